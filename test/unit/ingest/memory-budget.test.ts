/**
 * Issue 16: a file whose table cannot fit in the memory left is refused before its rows are read,
 * saying what is wrong and what to do (English and Chinese), and the tables already loaded stay.
 * The need is a lower bound (fixed column widths × rows), so files that fit are never refused.
 */
import { tableFromIPC } from 'apache-arrow';
import { Table as ParquetTable, writeParquet } from 'parquet-wasm/esm';
import { afterEach, describe, expect, test } from 'vitest';
import { formatBytes } from '../../../workers/engine-core';
import { bytesLeft, checkFits, parseMemoryLimit, tableBytesAtLeast, typeWidth } from '../../../workers/ingest/memory-budget';
import { likelyRows } from '../../../workers/ingest/load-csv';
import { setLocale } from '../../../src/lib/i18n';
import { openNodeEngine, source } from '../helpers/node-engine';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

afterEach(() => setLocale('en'));

describe('the memory budget (pure)', () => {
  test('column widths are those of DuckDB storage', () => {
    expect(['BOOLEAN', 'SMALLINT', 'INTEGER', 'DATE', 'BIGINT', 'DOUBLE', 'TIMESTAMP', 'VARCHAR', 'DECIMAL(4,1)', 'DECIMAL(18,2)', 'DECIMAL(38,2)'].map(typeWidth)).toEqual([1, 2, 4, 4, 8, 8, 8, 16, 2, 8, 16]);
    // The bench's orders: order_id, customer_id, order_date, amount, channel, country.
    expect(tableBytesAtLeast(20_000_000, ['BIGINT', 'BIGINT', 'DATE', 'DOUBLE', 'VARCHAR', 'VARCHAR'])).toBe(1_200_000_000);
  });

  test("DuckDB's memory_limit strings read as bytes", () => {
    expect(parseMemoryLimit('3.1 GiB')).toBeCloseTo(3.1 * GiB);
    expect(parseMemoryLimit('64.0 MB')).toBe(64e6);
    expect(parseMemoryLimit('512 bytes')).toBe(512);
    expect(parseMemoryLimit('lots')).toBeNull();
  });

  test('what is left: the least of the limit, the 4 GB wasm and the device, less what DuckDB holds', () => {
    expect(bytesLeft({ limitBytes: 3 * GiB, usedBytes: GiB, deviceBytes: null })).toBe(2 * GiB);
    expect(bytesLeft({ limitBytes: 8 * GiB, usedBytes: 0, deviceBytes: null })).toBe(4 * GiB);
    expect(bytesLeft({ limitBytes: 3 * GiB, usedBytes: 0, deviceBytes: 2 * GiB })).toBe(2 * GiB);
    expect(bytesLeft({ limitBytes: GiB, usedBytes: 2 * GiB, deviceBytes: null })).toBe(0);
  });

  test('a table that fits passes; one that cannot is refused in words that say what to do, in both languages', () => {
    const facts = { limitBytes: 3 * GiB, usedBytes: 0, deviceBytes: null };
    expect(() => checkFits('orders.csv', 20e6, 1.2e9, facts, formatBytes)).not.toThrow();
    expect(() => checkFits('big.parquet', 60e6, 3.6e9, facts, formatBytes)).toThrow(
      /^big\.parquet: its 60,000,000 rows need at least 3\.4 GB of memory, more than the 3\.0 GB a browser tab can give them\. Load a part of it/,
    );
    const busy = { limitBytes: 3 * GiB, usedBytes: 2.5 * GiB, deviceBytes: null };
    expect(() => checkFits('orders.csv', 20e6, 1.2e9, busy, formatBytes)).toThrow(/only 512 MB is left: the tables and results already open hold 2\.5 GB\. Remove the tables you no longer need/);
    setLocale('zh-CN');
    expect(() => checkFits('big.parquet', 60e6, 3.6e9, facts, formatBytes)).toThrow(/^big\.parquet：这 60,000,000 行数据至少需要 3\.4 GB 内存/);
  });

  test("a CSV's rows are estimated from its first lines, on the low side", () => {
    const head = new TextEncoder().encode('a,b\n' + '1,2\n'.repeat(999));
    expect(likelyRows(head, head.length * 10)).toBe(8000);
    expect(likelyRows(new TextEncoder().encode('no line break'), 1000)).toBe(0);
  });
});

describe('refusals in the engine', () => {
  // 600,000 rows × 8 VARCHAR = 76.8 MB at least, in a database limited to 64 MB.
  const COLS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const WIDE = `SELECT ${COLS.map((c, i) => `chr(65 + ((range + ${i}) % 26)::INTEGER) AS ${c}`).join(', ')} FROM range(600000)`;
  // 1,400,000 such rows for the CSV (179 MB at least; the estimate from its first lines takes a
  // fifth off: 143 MB), in 128 MB: the sniffer alone needs most of 64 MB.
  const wideCsv = () => `${COLS.join(',')}\n${Array.from({ length: 1_400_000 }, (_, r) => COLS.map((_c, i) => String.fromCharCode(65 + ((r + i) % 26))).join(',')).join('\n')}\n`;

  test('a Parquet file too large for the memory left is refused before loading; loaded data stays', async () => {
    const small = await openNodeEngine({ memoryLimit: '64MB' });
    await small.loadFile(source('kept.csv', 'x\n1\n2\n'));
    const pq = writeParquet(ParquetTable.fromIPCStream((await small.query(WIDE)).ipc));
    const file = { name: 'wide.parquet', size: pq.length, file: new Blob([pq as Uint8Array<ArrayBuffer>]) };
    await expect(small.loadFile(file)).rejects.toThrow(/^wide\.parquet: its 600,000 rows need at least 73 MB of memory, more than the \d+ MB a browser tab can give them/);
    const rows = tableFromIPC((await small.query('SELECT sum(x)::INT AS s FROM kept')).ipc).toArray().map((r) => r.toJSON());
    expect(rows).toEqual([{ s: 3 }]);
    expect((await small.relations()).map((r) => r.name)).toEqual(['kept']);
  });

  test('a CSV too large for the memory left is refused after sniffing, before the read', async () => {
    const small = await openNodeEngine({ memoryLimit: '128MB' });
    const csv = wideCsv();
    await expect(small.loadFile(source('wide.csv', csv))).rejects.toThrow(/^wide\.csv: its [\d,]+ rows need at least \d+ MB of memory/);
    expect((await small.relations()).map((r) => r.name)).toEqual([]);
    // The same file fits a database of the usual size.
    const usual = await openNodeEngine();
    expect((await usual.loadFile(source('wide.csv', csv))).rows).toBe(1_400_000);
  });
});
