/**
 * The native DuckDB references (@duckdb/node-api, the same DuckDB version as Segnote's wasm):
 * one in-memory database per engine and size, on one thread and on DuckDB's default thread
 * count. Times are taken in Node around `connection.run`, so they include the binding's call
 * overhead and nothing else.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, GENERATOR_VERSION, sizeLabel, type Dataset } from './dataset';
import { kmeansFeaturesSql, kmeansSeedsSql, segnoteRfmSql, textbookRfmSql } from './queries';
import { repeat, type EngineName, type EngineWorkload } from './workloads';
import { XLSX_ROWS } from './workbook';

/** What a native workload works with. */
export interface NativeCtx {
  conn: DuckDBConnection;
  dataset: Dataset;
  threads: number;
}

/** The native engine configurations: label and DuckDB `threads` (null = DuckDB's default). */
export const NATIVE_CONFIGS: { engine: EngineName; threads: string | null }[] = [
  { engine: 'duckdb-native-1t', threads: '1' },
  { engine: 'duckdb-native', threads: null },
];

const sqlPath = (p: string) => `'${p.replaceAll("'", "''")}'`;

async function timed(conn: DuckDBConnection, sql: string): Promise<number> {
  const t0 = performance.now();
  await conn.run(sql);
  return performance.now() - t0;
}

async function tableExists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = '${name}'`);
  return Number(r.getRowObjects()[0].n) > 0;
}

/** Loads the CSV into `orders` (untimed) unless it is there; the RFM workloads read it. */
async function ensureOrders(ctx: NativeCtx): Promise<void> {
  if (!(await tableExists(ctx.conn, 'orders'))) await ctx.conn.run(`CREATE TABLE orders AS SELECT * FROM read_csv(${sqlPath(ctx.dataset.csv)})`);
}

async function resultRows(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${table}`);
  return Number(r.getRowObjects()[0].n);
}

/** Workloads on both thread settings (`engine` is replaced by the configuration's label). */
const perConfig: EngineWorkload<NativeCtx>[] = [
  {
    workload: 'csv-ingest',
    engine: 'duckdb-native',
    measure: async (ctx, runs) => ({
      runs: await repeat(runs, async () => {
        const t = await timed(ctx.conn, `CREATE TABLE orders_csv AS SELECT * FROM read_csv(${sqlPath(ctx.dataset.csv)})`);
        await ctx.conn.run('DROP TABLE orders_csv');
        return t;
      }),
    }),
  },
  {
    workload: 'parquet-ingest',
    engine: 'duckdb-native',
    measure: async (ctx, runs) => ({
      runs: await repeat(runs, async () => {
        const t = await timed(ctx.conn, `CREATE TABLE orders_parquet AS SELECT * FROM read_parquet(${sqlPath(ctx.dataset.parquet)})`);
        await ctx.conn.run('DROP TABLE orders_parquet');
        return t;
      }),
    }),
  },
  {
    // The textbook query (COUNT DISTINCT, three NTILE windows, CASE), kept as a table.
    workload: 'rfm',
    engine: 'duckdb-native',
    measure: async (ctx, runs) => {
      await ensureOrders(ctx);
      const times = await repeat(runs, () => timed(ctx.conn, textbookRfmSql('orders', 'rfm_textbook')));
      return { runs: times, extra: { customers: await resultRows(ctx.conn, 'rfm_textbook'), query: 'textbook' } };
    },
  },
];

/** Workloads only on one thread, with a fixed engine label. */
const oneThreadOnly: EngineWorkload<NativeCtx>[] = [
  {
    // Segnote's generated SQL, unchanged, kept as a table as the app keeps a cell's result.
    workload: 'rfm',
    engine: 'duckdb-native-1t-own-sql',
    measure: async (ctx, runs) => {
      await ensureOrders(ctx);
      const sql = `CREATE OR REPLACE TABLE rfm_own AS ${segnoteRfmSql('orders')}`;
      const times = await repeat(runs, () => timed(ctx.conn, sql));
      return { runs: times, extra: { customers: await resultRows(ctx.conn, 'rfm_own'), query: 'segnote' } };
    },
  },
];

/** Issue 13's reference for the Excel load: the same rows read from the CSV, at the workbook's size. */
const xlsxReference: EngineWorkload<NativeCtx> = {
  workload: 'xlsx-ingest',
  engine: 'duckdb-native-1t',
  measure: async (ctx, runs) => {
    if (ctx.dataset.rows !== XLSX_ROWS) return { runs: [], extra: { not_run: `only at ${XLSX_ROWS} rows` } };
    return {
      runs: await repeat(runs, async () => {
        const t = await timed(ctx.conn, `CREATE TABLE orders_xlsx_ref AS SELECT * FROM read_csv(${sqlPath(ctx.dataset.csv)})`);
        await ctx.conn.run('DROP TABLE orders_xlsx_ref');
        return t;
      }),
      extra: { reads: 'the same rows as CSV' },
    };
  },
};

/**
 * Issue 16's reference for peak-memory: native DuckDB doing the work the page has done when its
 * peak is read (the CSV loaded, the Parquet loaded and dropped as many times as the page did, the
 * RFM kept as a table), in a fresh process whose peak RSS (VmHWM) is the figure. Not a time.
 */
function peakMemory(threads: string | null): EngineWorkload<NativeCtx> {
  return {
    workload: 'peak-memory',
    engine: 'duckdb-native',
    measure: async (ctx, runs) => {
      const script = fileURLToPath(new URL('./native-peak.ts', import.meta.url));
      const args = JSON.stringify({ csv: ctx.dataset.csv, parquet: ctx.dataset.parquet, parquetLoads: runs, threads });
      // Under tsx, execArgv carries its loader: the child runs the TypeScript as this process does.
      const r = spawnSync(process.execPath, [...process.execArgv, script, args], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const line = (r.stdout || '').trim().split('\n').pop() ?? '';
      if (r.status !== 0 || !line.startsWith('{')) throw new Error(`native peak-memory failed: ${(r.stderr || r.stdout || '').slice(0, 300)}`);
      const out = JSON.parse(line) as Record<string, number>;
      return { runs: [], extra: { ...out, state: `CSV loaded, the Parquet loaded and dropped ${runs} times, RFM (Segnote's SQL) kept as a table` } };
    },
  };
}

/** The native registry for one configuration. */
export function nativeWorkloads(config: (typeof NATIVE_CONFIGS)[number]): EngineWorkload<NativeCtx>[] {
  const own = config.threads === '1' ? [...oneThreadOnly, xlsxReference] : [];
  return [...perConfig.map((w) => ({ ...w, engine: config.engine })), ...own, { ...peakMemory(config.threads), engine: config.engine }];
}

/** Opens an in-memory native DuckDB with the given thread count. */
export async function openNative(threads: string | null): Promise<{ conn: DuckDBConnection; threads: number; version: string; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', threads ? { threads } : {});
  const conn = await instance.connect();
  const r = await conn.runAndReadAll(`SELECT current_setting('threads')::INT AS t, version() AS v`);
  const row = r.getRowObjects()[0];
  return {
    conn,
    threads: Number(row.t),
    version: String(row.v),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Writes the k-means inputs for a dataset with native DuckDB: the standardised features of
 * Segnote's RFM (CSV, no header, customer_id order) and the k starting centres (CSV, no header).
 */
/**
 * The k-means inputs of a dataset (features and fixed starting centres, CSV without header), written
 * once with native DuckDB and Segnote's RFM SQL, then cached under test/bench/data/.
 */
export async function kmeansInputs(dataset: Dataset, log: (line: string) => void): Promise<{ features: string; seeds: string }> {
  const base = `${DATA_DIR}kmeans-v${GENERATOR_VERSION}-${sizeLabel(dataset.rows)}`;
  const features = `${base}-features.csv`;
  const seeds = `${base}-seeds.csv`;
  if (!existsSync(features) || !existsSync(seeds)) {
    log(`  writing k-means features for ${sizeLabel(dataset.rows)} (native DuckDB, Segnote's RFM SQL)`);
    await writeKmeansInputs(dataset, features, seeds);
  }
  return { features, seeds };
}

export async function writeKmeansInputs(dataset: Dataset, featuresPath: string, seedsPath: string): Promise<{ customers: number }> {
  const db = await openNative(null);
  try {
    await db.conn.run(`CREATE TABLE orders AS SELECT * FROM read_csv(${sqlPath(dataset.csv)})`);
    await db.conn.run(`CREATE TABLE rfm AS ${segnoteRfmSql('orders')}`);
    await db.conn.run(`CREATE TABLE features AS ${kmeansFeaturesSql('rfm')}`);
    await db.conn.run(`COPY (SELECT f1, f2, f3 FROM features ORDER BY customer_id) TO ${sqlPath(featuresPath)} (HEADER false)`);
    await db.conn.run(`COPY (${kmeansSeedsSql('features')}) TO ${sqlPath(seedsPath)} (HEADER false)`);
    return { customers: await resultRows(db.conn, 'features') };
  } finally {
    db.close();
  }
}
