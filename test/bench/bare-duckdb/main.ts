/**
 * The benchmark's bare DuckDB-WASM page: duckdb-wasm's own documented start (its "eh" worker
 * fetches, compiles and instantiates the wasm, opens an in-memory database) and one `SELECT 1`,
 * with no app around it. Navigation start -> `bare:first-result` is what any page built on
 * DuckDB-WASM waits for before its first answer: the reference of Segnote's cold start.
 */
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

async function start(): Promise<void> {
  const db = new AsyncDuckDB(new VoidLogger(), new Worker(ehWorker));
  await db.instantiate(ehWasm);
  await db.open({});
  const conn = await db.connect();
  const answer = await conn.query('SELECT 1 AS one');
  if (Number(answer.getChildAt(0)?.get(0)) !== 1) throw new Error('DuckDB answered SELECT 1 wrongly');
  performance.mark('bare:first-result');
}

start().catch((e: unknown) => {
  document.body.dataset.error = e instanceof Error ? e.message : String(e);
});
