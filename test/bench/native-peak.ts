/**
 * The native reference for peak-memory, run in a process of its own (so that its peak resident
 * memory is DuckDB's work and Node's small baseline, nothing the benchmark itself holds): native
 * DuckDB does what the page does before its peak is read — the orders CSV loaded as a table, the
 * Parquet loaded and dropped `parquetLoads` times, Segnote's RFM SQL kept as a table — and prints
 * its peak RSS (VmHWM) as JSON. Spawned by native.ts; arguments: one JSON object.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { segnoteRfmSql } from './queries';

interface Args {
  csv: string;
  parquet: string;
  parquetLoads: number;
  threads: string | null;
}

const sqlPath = (p: string) => `'${p.replaceAll("'", "''")}'`;
const kB = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as Args;
  const baseline = kB('VmRSS');
  const instance = await DuckDBInstance.create(':memory:', a.threads ? { threads: a.threads } : {});
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE orders AS SELECT * FROM read_csv(${sqlPath(a.csv)})`);
  for (let i = 0; i < a.parquetLoads; i++) {
    await conn.run(`CREATE TABLE orders_parquet AS SELECT * FROM read_parquet(${sqlPath(a.parquet)})`);
    await conn.run('DROP TABLE orders_parquet');
  }
  await conn.run(`CREATE TABLE rfm AS ${segnoteRfmSql('orders')}`);
  const r = await conn.runAndReadAll(`SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()`);
  const duckdbBytes = Number(r.getRowObjects()[0].b);
  console.log(JSON.stringify({ peak_rss_bytes: kB('VmHWM'), node_baseline_rss_bytes: baseline, duckdb_memory_bytes: duckdbBytes }));
  conn.closeSync();
  instance.closeSync();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
