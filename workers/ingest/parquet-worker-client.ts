/**
 * The engine's side of parquet.worker.ts: an OpenParquet whose decoding runs in a worker of its
 * own (started on the first Parquet file, kept for later ones), so that the engine inserts one
 * part into DuckDB while the next is decoded. Browser only; Node (tests) reads in-process.
 */
import type { OpenParquet, ParquetReader } from './parquet-stream';

/** Messages to the Parquet worker. */
export type ParquetRequest =
  | { id: number; type: 'open'; data: Blob; partRows?: number }
  | { id: number; type: 'next' }
  | { id: number; type: 'close' };

/** Its answers. */
export type ParquetResponse =
  | { id: number; type: 'opened'; rows: number; uncompressedBytes: number; types: string[] }
  | { id: number; type: 'part'; done: true }
  | { id: number; type: 'part'; done: false; ipc: Uint8Array; rows: number }
  | { id: number; type: 'closed' }
  | { id: number; type: 'error'; message: string };

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, { resolve: (r: ParquetResponse) => void; reject: (e: Error) => void }>();

function parquetWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module', name: 'segnote-parquet' });
  w.onmessage = (e: MessageEvent<ParquetResponse>) => {
    const p = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    if (!p) return;
    if (e.data.type === 'error') p.reject(new Error(e.data.message));
    else p.resolve(e.data);
  };
  w.onerror = (e) => {
    // The worker itself failed (it could not start, or crashed): fail what waits and start afresh next time.
    const error = new Error(e.message || 'the Parquet reader stopped');
    for (const p of waiting.values()) p.reject(error);
    waiting.clear();
    worker = null;
    w.terminate();
  };
  worker = w;
  return w;
}

/** A request before it is given its id. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

function ask(request: Unsent<ParquetRequest>): Promise<ParquetResponse> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    parquetWorker().postMessage({ ...request, id });
  });
}

/** Opens Parquet data in the Parquet worker; parts come decoded one ahead. */
export const openParquetInWorker: OpenParquet = async (data) => {
  const opened = await ask({ type: 'open', data });
  if (opened.type !== 'opened') throw new Error('unexpected answer from the Parquet reader');
  const reader: ParquetReader = {
    rows: opened.rows,
    uncompressedBytes: opened.uncompressedBytes,
    types: opened.types,
    async *parts() {
      for (;;) {
        const r = await ask({ type: 'next' });
        if (r.type !== 'part' || r.done) return;
        yield { ipc: r.ipc, rows: r.rows };
      }
    },
    close: () => void ask({ type: 'close' }).catch(() => undefined),
  };
  return reader;
};
