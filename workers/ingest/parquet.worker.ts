/// <reference lib="webworker" />
/**
 * A worker of the engine's own that decodes Parquet (parquet-wasm, loaded here on the first file)
 * while the engine inserts the part before: the next part is decoded as soon as one is handed
 * over, so decoding and DuckDB's insert run side by side on two cores. One file at a time.
 * Speaks the protocol of parquet-worker-client.ts.
 */
import initParquet, { ParquetFile } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { openParquetFile, type ParquetReader } from './parquet-stream';
import type { ParquetRequest, ParquetResponse } from './parquet-worker-client';

let ready: Promise<unknown> | null = null;
let reader: ParquetReader | null = null;
let parts: AsyncIterator<{ ipc: Uint8Array; rows: number }> | null = null;
/** The next part, being decoded while the engine inserts the one before. */
let ahead: Promise<IteratorResult<{ ipc: Uint8Array; rows: number }>> | null = null;

const post = (m: ParquetResponse, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Frees the open file, once a part still being decoded is done with it. */
async function close(): Promise<void> {
  const [r, pending] = [reader, ahead];
  reader = null;
  parts = null;
  ahead = null;
  await pending?.catch(() => undefined);
  r?.close();
}

self.onmessage = async (event: MessageEvent<ParquetRequest>) => {
  const m = event.data;
  try {
    if (m.type === 'open') {
      await close();
      ready ??= initParquet({ module_or_path: parquetWasm });
      await ready;
      reader = await openParquetFile(ParquetFile, m.data, m.partRows);
      parts = reader.parts()[Symbol.asyncIterator]();
      ahead = parts.next();
      // A failure of the first part is reported when it is asked for.
      ahead.catch(() => undefined);
      post({ id: m.id, type: 'opened', rows: reader.rows, uncompressedBytes: reader.uncompressedBytes, types: reader.types });
    } else if (m.type === 'next') {
      if (!parts || !ahead) throw new Error('no Parquet file is open');
      const r = await ahead;
      if (r.done) {
        ahead = Promise.resolve(r);
        post({ id: m.id, type: 'part', done: true });
        return;
      }
      ahead = parts.next();
      ahead.catch(() => undefined);
      const ipc = r.value.ipc;
      post({ id: m.id, type: 'part', done: false, ipc, rows: r.value.rows }, [ipc.buffer]);
    } else {
      await close();
      post({ id: m.id, type: 'closed' });
    }
  } catch (e) {
    post({ id: m.id, type: 'error', message: message(e) });
  }
};
