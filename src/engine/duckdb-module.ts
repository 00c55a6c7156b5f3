/**
 * DuckDB's wasm (34 MB), fetched and compiled by the page the moment its first script runs.
 *
 * The engine worker can only ask for the wasm after its own 2 MB script has downloaded and run,
 * about two seconds into a cold start; compiling here instead starts the download with the page's
 * first script, and the compiled module is handed to the worker (a WebAssembly.Module can be
 * posted to a worker; its code is shared, not copied).
 */
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';

/** The feature test duckdb-wasm runs to choose its build with wasm exceptions ("eh"). */
const EXCEPTIONS_TEST = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11]);

let compiled: Promise<WebAssembly.Module | null> | undefined;

/**
 * The compiled "eh" build, started on the first call; null where the browser would run the other
 * build or the compile failed (the worker then fetches and compiles the wasm itself).
 */
export function compileDuckDB(): Promise<WebAssembly.Module | null> {
  compiled ??=
    typeof WebAssembly.compileStreaming === 'function' && WebAssembly.validate(EXCEPTIONS_TEST)
      ? WebAssembly.compileStreaming(fetch(ehWasm)).catch(() => null)
      : Promise.resolve(null);
  return compiled;
}
