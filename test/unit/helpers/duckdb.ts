/** A plain DuckDB-WASM database for tests of generated SQL: run it, read rows as objects. */
import { tableFromIPC } from 'apache-arrow';
import { createNodeBindings } from '../../../workers/duckdb-node';

export interface TestDb {
  /** Runs SQL and returns the rows as plain objects (BIGINT becomes number when safe). */
  rows(sql: string): Record<string, unknown>[];
  /** Runs SQL, ignoring the result. */
  exec(sql: string): void;
  /** Registers bytes as a file under /segnote/. */
  registerFile(name: string, bytes: Uint8Array): string;
}

/** Opens a fresh in-memory database with extension autoloading off, as the app does. */
export async function openTestDb(): Promise<TestDb> {
  const db = await createNodeBindings();
  const conn = db.connect();
  const run = (sql: string) => conn.useUnsafe((b, c) => b.runQuery(c, sql));
  run('SET autoload_known_extensions=false');
  run('SET autoinstall_known_extensions=false');
  return {
    rows(sql) {
      const t = tableFromIPC(run(sql));
      return t.toArray().map((r) => {
        const o = r.toJSON() as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          const v = o[k];
          if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)) o[k] = Number(v);
        }
        return o;
      });
    },
    exec(sql) {
      run(sql);
    },
    registerFile(name, bytes) {
      const path = `/segnote/${name}`;
      db.registerFileBuffer(path, bytes);
      return path;
    },
  };
}
