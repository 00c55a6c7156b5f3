/** The real engine core in Node: DuckDB-WASM and parquet-wasm, as the worker runs them. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Compression, initSync, ParquetFile, readParquet, Table as ParquetTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/esm';
import { openParquetFile } from '../../../workers/ingest/parquet-stream';
import { EngineCore } from '../../../workers/engine-core';
import { createNodeBindings } from '../../../workers/duckdb-node';

const require = createRequire(import.meta.url);
let parquetReady = false;

/** Opens a fresh engine (locked down, as in the app). */
export async function openNodeEngine(options: { memoryLimit?: string } = {}): Promise<EngineCore> {
  if (!parquetReady) {
    initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    parquetReady = true;
  }
  return EngineCore.open({
    bindings: await createNodeBindings(),
    bundle: 'node',
    // Asynchronous, as in the browser worker (which loads parquet-wasm on first use).
    readParquet: async (bytes) => readParquet(bytes).intoIPCStream(),
    openParquet: (data) => openParquetFile(ParquetFile, data),
    writeParquet: async (ipc) => writeParquet(ParquetTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    memoryLimit: options.memoryLimit,
  });
}

/** A FileSource from text or bytes, as a dropped file would be. */
export function source(name: string, content: string | Uint8Array) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: bytes.length, bytes };
}
