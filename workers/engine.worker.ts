/// <reference lib="webworker" />
/**
 * The engine worker: instantiates the synchronous DuckDB-WASM build from same-origin files, and
 * exposes the engine over Comlink. parquet-wasm (~5 MB) is loaded on the first Parquet file or
 * export, not at start: the first result (the bundled sample is Arrow) never waits for it.
 */
import * as Comlink from 'comlink';
import { BROWSER_RUNTIME, ConsoleLogger, DuckDBDataProtocol, LogLevel, createDuckDB } from '@duckdb/duckdb-wasm/blocking-browser';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { EngineCore } from './engine-core';
import { openParquetInWorker } from './ingest/parquet-worker-client';
import { makeWorkerApi } from './worker-api';
import { encodeMessages, t } from '../src/lib/i18n';

// The worker has no language: its messages travel as keys and parameters, worded by the page.
encodeMessages(true);

let furthestRead = 0;
const runtime = BROWSER_RUNTIME as unknown as { readFile: (...a: number[]) => number };
const originalRead = runtime.readFile;
// Count how far DuckDB has read into registered files: the only load progress it exposes.
runtime.readFile = function (this: unknown, mod: number, fileId: number, buf: number, bytes: number, location: number): number {
  const n = originalRead.call(this, mod, fileId, buf, bytes, location);
  furthestRead = Math.max(furthestRead, location + n);
  return n;
};

type ParquetWasm = typeof import('parquet-wasm/esm');
let parquet: Promise<ParquetWasm> | undefined;
/** parquet-wasm, fetched, compiled and initialised on first use (once). */
function parquetWasmReady(): Promise<ParquetWasm> {
  if (!parquet) {
    parquet = import('parquet-wasm/esm')
      .then(async (m) => {
        await m.default({ module_or_path: parquetWasm });
        return m;
      })
      .catch((e: unknown) => {
        throw new Error(t('msg.engine.parquetUnavailable', { message: e instanceof Error ? e.message : String(e) }));
      });
    // A failed load (e.g. offline before the service worker kept it) is tried again next time.
    parquet.catch(() => (parquet = undefined));
  }
  return parquet;
}

let pageCompiled: (module: WebAssembly.Module | null) => void = () => {};
/** DuckDB's "eh" wasm as the page compiled it, or null: the page always sends one or the other. */
const compiledByPage = new Promise<WebAssembly.Module | null>((resolve) => (pageCompiled = resolve));

/** The shape of duckdb-wasm's bindings that its instantiation goes through (not in its types). */
interface Instantiable {
  mainModuleURL: string;
  _runtime: unknown;
  instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => unknown;
}

async function start(): Promise<EngineCore> {
  // DuckDB's wasm (~34 MB; usually compiled by the page already).
  const duckdb = createDuckDB(
    { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
    new ConsoleLogger(LogLevel.WARNING),
    BROWSER_RUNTIME,
  ).then(async (b) => {
    const module = await compiledByPage;
    const inst = b as unknown as Instantiable;
    if (module && inst.mainModuleURL === ehWasm) {
      // What duckdb-wasm's own instantiateWasm does, from the page's module instead of a fetch.
      const fetchAndCompile = inst.instantiateWasm.bind(inst);
      inst.instantiateWasm = (imports, done) => {
        (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = inst._runtime;
        WebAssembly.instantiate(module, imports).then(
          (instance) => done(instance, module),
          () => fetchAndCompile(imports, done),
        );
        return [];
      };
    }
    return b.instantiate(() => {});
  });
  const bindings = await duckdb;
  bindings.open({ query: { castBigIntToDouble: false } });
  const reader = new FileReaderSync();
  return EngineCore.open({
    bindings,
    bundle: 'browser-blocking',
    readParquet: async (bytes) => (await parquetWasmReady()).readParquet(bytes).intoIPCStream(),
    writeParquet: async (ipc) => {
      const { writeParquet, Table, WriterPropertiesBuilder, Compression } = await parquetWasmReady();
      return writeParquet(Table.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build());
    },
    openParquet: openParquetInWorker,
    readBlob: (blob, start, end) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(start, end))),
    blobProtocol: DuckDBDataProtocol.BROWSER_FILEREADER,
    bytesRead: () => furthestRead,
    resetBytesRead: () => {
      furthestRead = 0;
    },
    yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });
}

Comlink.expose({ ...makeWorkerApi(start()), useCompiledDuckDB: (module: WebAssembly.Module | null) => pageCompiled(module) });
