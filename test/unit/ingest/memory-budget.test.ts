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
  // 100,000 rows × 8 VARCHAR = 12.8 MB at least, in a database limited to 8 MB.
  const WIDE = `SELECT ${['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((c, i) => `chr(65 + ((range + ${i}) % 26)::INTEGER) AS ${c}`).join(', ')} FROM range(100000)`;

  test('a Parquet file too large for the memory left is refused before loading; loaded data stays', async () => {
    const small = await openNodeEngine({ memoryLimit: '8MB' });
    await small.query('CREATE TABLE kept AS SELECT * FROM (VALUES (1), (2)) t(x)');
    const pq = writeParquet(ParquetTable.fromIPCStream((await small.query(WIDE)).ipc));
    const file = { name: 'wide.parquet', size: pq.length, file: new Blob([pq as Uint8Array<ArrayBuffer>]) };
    await expect(small.loadFile(file)).rejects.toThrow(/^wide\.parquet: its 100,000 rows need at least 12 MB of memory, more than the \d+(\.\d)? MB a browser tab can give them/);
    const rows = tableFromIPC((await small.query('SELECT sum(x)::INT AS s FROM kept')).ipc).toArray().map((r) => r.toJSON());
    expect(rows).toEqual([{ s: 3 }]);
    expect((await small.relations()).map((r) => r.name)).toEqual(['kept']);
  }, 180_000);

  test('a CSV too large for the memory left is refused after sniffing, before the read; it loads where it fits', async () => {
    // An id and 31 empty columns: 38 bytes a line, at least 8 + 31 × 16 = 504 bytes a row in DuckDB.
    // 240,000 rows: 9.1 MB of CSV, at least 121 MB of table (97 MB as estimated), in 96 MB. The
    // sniffer alone needs most of 64 MB.
    const header = ['id', ...Array.from({ length: 31 }, (_, i) => `c${i}`)].join(',');
    const empty = ','.repeat(31);
    const csv = `${header}\n${Array.from({ length: 240_000 }, (_, i) => `${100000 + i}${empty}`).join('\n')}\n`;
    const small = await openNodeEngine({ memoryLimit: '96MB' });
    await expect(small.loadFile(source('sparse.csv', csv))).rejects.toThrow(/^sparse\.csv: its [\d,]+ rows need at least \d+ MB of memory/);
    expect((await small.relations()).map((r) => r.name)).toEqual([]);
    const usual = await openNodeEngine();
    expect((await usual.loadFile(source('sparse.csv', csv))).rows).toBe(240_000);
  }, 180_000);
});
