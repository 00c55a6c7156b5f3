import { readFileSync } from 'node:fs';
import { RecordBatchStreamWriter, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { createNodeBindings } from '../../../workers/duckdb-node';
import { toIPCStream } from '../../../workers/ingest/arrow-ipc';

const CONTINUATION = [0xff, 0xff, 0xff, 0xff];
const table = tableFromArrays({
  客户编号: ['C001', 'C002', 'C003'],
  订单数: Int32Array.from([3, 1, 7]),
  实付金额: Float64Array.from([128.5, 86, 240.75]),
});
const values = (ipc: Uint8Array) => tableFromIPC(ipc).toArray().map((r) => ({ ...(r.toJSON() as Record<string, unknown>) }));
const expected = [
  { 客户编号: 'C001', 订单数: 3, 实付金额: 128.5 },
  { 客户编号: 'C002', 订单数: 1, 实付金额: 86 },
  { 客户编号: 'C003', 订单数: 7, 实付金额: 240.75 },
];

function ingestMessage(bytes: Uint8Array): string {
  try {
    toIPCStream(bytes, 'data.arrow');
  } catch (e) {
    expect((e as Error).name).toBe('IngestError');
    return (e as Error).message;
  }
  throw new Error('expected an IngestError');
}

describe('toIPCStream', () => {
  test('the IPC file format (.arrow, Feather v2) becomes the stream format', () => {
    const file = tableToIPC(table, 'file');
    expect(new TextDecoder().decode(file.subarray(0, 6))).toBe('ARROW1');
    const stream = toIPCStream(file);
    expect([...stream.subarray(0, 4)]).toEqual(CONTINUATION);
    expect(values(stream)).toEqual(expected);
  });

  test('a stream passes through unchanged', () => {
    const stream = tableToIPC(table, 'stream');
    expect(toIPCStream(stream)).toBe(stream);
  });

  test('a pre-1.0 stream without continuation markers is re-encoded', () => {
    const legacy = RecordBatchStreamWriter.writeAll(table, { writeLegacyIpcFormat: true }).toUint8Array(true);
    expect([...legacy.subarray(0, 4)]).not.toEqual(CONTINUATION);
    const stream = toIPCStream(legacy);
    expect([...stream.subarray(0, 4)]).toEqual(CONTINUATION);
    expect(values(stream)).toEqual(expected);
  });

  test('bytes that are not Arrow IPC are refused with a message naming the file', () => {
    const png = new Uint8Array(readFileSync(new URL('../../fixtures/encodings/image.png.csv', import.meta.url)));
    const file = tableToIPC(table, 'file');
    const notArrow = 'data.arrow: not a valid Arrow IPC file (.arrow, .feather version 2 or an Arrow stream).';
    expect(ingestMessage(new Uint8Array(0))).toBe(notArrow);
    expect(ingestMessage(new TextEncoder().encode('id,name\n1,a\n'))).toBe(notArrow);
    expect(ingestMessage(png)).toBe(notArrow);
    expect(ingestMessage(file.subarray(0, 40))).toBe(notArrow); // truncated
    expect(ingestMessage(tableToIPC(table, 'stream').subarray(0, 100))).toBe(notArrow);
  });

  test('without a file name the message starts with the problem', () => {
    expect(() => toIPCStream(new Uint8Array(8))).toThrow(/^not a valid Arrow IPC file/);
  });

  test('Feather version 1 gets its own message', () => {
    expect(ingestMessage(new TextEncoder().encode('FEA1\0\0\0\0'))).toMatch(/^data\.arrow: Feather version 1 files are not supported/);
  });

  test('DuckDB-WASM loads a converted .arrow file', async () => {
    const db = await createNodeBindings();
    const conn = db.connect();
    const query = (sql: string) => values(conn.useUnsafe((b, c) => b.runQuery(c, sql)));
    query('SET autoload_known_extensions=false');
    conn.useUnsafe((b, c) => b.insertArrowFromIPCStream(c, toIPCStream(tableToIPC(table, 'file')), { name: 't', create: true }));
    expect(query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`)).toEqual([
      { column_name: '客户编号', data_type: 'VARCHAR' },
      { column_name: '订单数', data_type: 'INTEGER' },
      { column_name: '实付金额', data_type: 'DOUBLE' },
    ]);
    expect(query('SELECT * FROM t ORDER BY 客户编号')).toEqual(expected);
  });
});
