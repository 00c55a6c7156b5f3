/**
 * Creates the synchronous DuckDB-WASM bindings in Node (tests, scripts). Works offline:
 * the wasm files come from the installed package.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking-browser';

const require = createRequire(import.meta.url);

/** Instantiates and opens an in-memory DuckDB-WASM database in Node. */
export async function createNodeBindings(): Promise<DuckDBBindings> {
  const duck = require('@duckdb/duckdb-wasm/blocking') as typeof import('@duckdb/duckdb-wasm/blocking-browser') & {
    NODE_RUNTIME: import('@duckdb/duckdb-wasm/blocking-browser').DuckDBRuntime;
  };
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const db = await duck.createDuckDB(
    {
      mvp: { mainModule: `${dist}/duckdb-mvp.wasm`, mainWorker: `${dist}/duckdb-node-mvp.worker.cjs` },
      eh: { mainModule: `${dist}/duckdb-eh.wasm`, mainWorker: `${dist}/duckdb-node-eh.worker.cjs` },
    },
    new duck.VoidLogger(),
    duck.NODE_RUNTIME,
  );
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: false } });
  return db;
}
