/**
 * Issue 16: Parquet files load a row group at a time (parquet-wasm's ParquetFile, only the byte
 * ranges of one part in memory) with the same table as decoding the whole file: same types, rows
 * and values. The reference is the whole-file decode (readParquet), the path the app took before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tableFromIPC } from 'apache-arrow';
import { Compression, initSync, ParquetFile, Table as ParquetTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/esm';
import { beforeAll, describe, expect, test } from 'vitest';
import type { EngineCore } from '../../../workers/engine-core';
import { openParquetFile } from '../../../workers/ingest/parquet-stream';
import { openNodeEngine, source } from '../helpers/node-engine';

const require = createRequire(import.meta.url);
const rowsOf = (ipc: Uint8Array) => tableFromIPC(ipc).toArray().map((r) => r.toJSON() as Record<string, unknown>);
const blobOf = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);
const query = async (e: EngineCore, sql: string) => rowsOf((await e.query(sql)).ipc);

/** 2,500 rows of many types (with nulls), written as Parquet with 1,000-row row groups. */
const MIXED_SQL = `SELECT range AS id, (range % 7)::INTEGER AS small, CASE WHEN range % 5 = 0 THEN NULL ELSE range * 1.25 END AS amount,
  DATE '2024-01-01' + (range % 400)::INTEGER AS day, TIMESTAMP '2024-01-01 08:00:00' + to_seconds(range * 61) AS at,
  CASE WHEN range % 3 = 0 THEN NULL ELSE 'name ' || range || ' ' || repeat('x', (range % 20)::INTEGER) END AS label,
  range % 2 = 0 AS flag, (range / 100)::DECIMAL(12, 2) AS price, '客户' || (range % 9) AS city
  FROM range(2500)`;

let engine: EngineCore;
let mixed: Uint8Array;
beforeAll(async () => {
  engine = await openNodeEngine();
  initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  const ipc = (await engine.query(MIXED_SQL)).ipc;
  mixed = writeParquet(ParquetTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(1000).build());
});

describe('Parquet loaded in parts', () => {
  test('a file of several row groups (from a Blob) gives the same table as the whole-file decode', async () => {
    const whole = await engine.loadFile(source('mixed.parquet', mixed), { tableName: 'pq_whole' });
    const parts = await engine.loadFile({ name: 'mixed.parquet', size: mixed.length, file: blobOf(mixed) }, { tableName: 'pq_parts' });
    expect(parts.rows).toBe(2500);
    expect(parts.columns).toEqual(whole.columns);
    expect(parts.columns.map((c) => c.type)).toEqual(whole.columns.map((c) => c.type));
    expect(parts.columns.map((c) => c.type)).toEqual(expect.arrayContaining(['BIGINT', 'INTEGER', 'DATE', 'TIMESTAMP', 'VARCHAR', 'BOOLEAN', 'DECIMAL(12,2)']));
    // Row for row, in file order: no difference either way.
    const diff = `SELECT count(*)::INT AS n FROM (SELECT * FROM pq_whole EXCEPT ALL SELECT * FROM pq_parts UNION ALL SELECT * FROM pq_parts EXCEPT ALL SELECT * FROM pq_whole)`;
    expect(await query(engine, diff)).toEqual([{ n: 0 }]);
    const order = `SELECT count(*)::INT AS n FROM (SELECT id, row_number() OVER () AS k FROM pq_whole) a JOIN (SELECT id, row_number() OVER () AS k FROM pq_parts) b USING (k) WHERE a.id <> b.id`;
    expect(await query(engine, order)).toEqual([{ n: 0 }]);
    expect(await query(engine, 'SELECT count(label)::INT AS labels, count(amount)::INT AS amounts FROM pq_parts')).toEqual([{ labels: 1666, amounts: 2000 }]);
    await engine.drop('pq_whole');
    await engine.drop('pq_parts');
  });

  test('parts are batches of at most the part size, within row groups, in file order', async () => {
    const reader = await openParquetFile(ParquetFile, blobOf(mixed), 300);
    expect(reader.rows).toBe(2500);
    const ids: number[] = [];
    const sizes: number[] = [];
    for await (const part of reader.parts()) {
      const t = tableFromIPC(part.ipc);
      sizes.push(t.numRows);
      expect(part.rows).toBe(t.numRows);
      ids.push(...[...t.getChild('id')!].map(Number));
    }
    reader.close();
    // Row groups of 1000, 1000 and 500 rows, each cut into parts of at most 300.
    expect(sizes).toEqual([300, 300, 300, 100, 300, 300, 300, 100, 300, 200]);
    expect(ids).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });

  test('a Parquet file without rows loads as an empty table with its columns', async () => {
    const ipc = (await engine.query('SELECT 1::BIGINT AS id, 2.5 AS amount WHERE false')).ipc;
    const empty = writeParquet(ParquetTable.fromIPCStream(ipc));
    const r = await engine.loadFile({ name: 'empty.parquet', size: empty.length, file: blobOf(empty) });
    expect(r.rows).toBe(0);
    expect(r.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(2,1)' }]);
  });

  test('a file that is not Parquet, or is cut short, is refused with the file named', async () => {
    const bad = new TextEncoder().encode('a,b\n1,2\n');
    await expect(engine.loadFile({ name: 'fake.parquet', size: bad.length, file: blobOf(bad) })).rejects.toThrow(/^fake\.parquet: this is not a Parquet file/);
    const cut = mixed.subarray(0, mixed.length - 100);
    await expect(engine.loadFile({ name: 'cut.parquet', size: cut.length, file: blobOf(cut) })).rejects.toThrow(/^cut\.parquet: the Parquet file could not be read/);
    const names = (await engine.relations()).map((r) => r.name);
    expect(names.filter((n) => /cut|fake|__segnote_load/.test(n))).toEqual([]);
  });
});
