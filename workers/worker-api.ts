/**
 * The API the worker exposes: the engine's methods, with Arrow IPC results transferred
 * (not copied) to the page and progress reported through a callback.
 */
import * as Comlink from 'comlink';
import type { EngineCore } from './engine-core';
import type { FileSource, KeptTable, LoadOptions, Progress } from './engine-types';
import type { ExportFormat } from './export';
import { t } from '../src/lib/i18n';

/** Builds the worker API over an engine that is still starting. */
export function makeWorkerApi(ready: Promise<EngineCore>) {
  const ipc = (bytes: Uint8Array) => Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  return {
    async info() {
      return (await ready).info();
    },
    /** Asks a running query to stop; answered at once, even while a query runs. */
    async cancel() {
      (await ready).cancel();
    },
    async query(sql: string, onProgress?: (p: Progress) => void) {
      const r = await (await ready).query(sql, onProgress);
      return Comlink.transfer(r, [r.ipc.buffer as ArrayBuffer]);
    },
    /**
     * Downloads a data file the user added by URL (the page has already checked that its origin
     * was approved). DuckDB itself never reaches the network; only this explicit fetch does.
     */
    async download(url: string): Promise<{ name: string; bytes: Uint8Array }> {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(t('msg.download.protocol', { protocol: u.protocol }));
      let res: Response;
      try {
        res = await fetch(u, { credentials: 'omit', referrerPolicy: 'no-referrer' });
      } catch (e) {
        throw new Error(t('msg.download.failed', { url, message: e instanceof Error ? e.message : String(e) }));
      }
      if (!res.ok) throw new Error(t('msg.download.status', { url, status: String(res.status), statusText: res.statusText }));
      const bytes = new Uint8Array(await res.arrayBuffer());
      const name = decodeURIComponent(u.pathname.split('/').pop() || 'data.csv');
      return Comlink.transfer({ name, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    async references(sql: string) {
      return (await ready).references(sql);
    },
    async relations() {
      return (await ready).relations();
    },
    async loadFile(src: FileSource, options: LoadOptions, onProgress?: (p: Progress) => void) {
      return (await ready).loadFile(src, options, onProgress);
    },
    async previewCsv(src: FileSource, options: Pick<LoadOptions, 'delimiter' | 'quote' | 'header' | 'encoding'>) {
      return (await ready).previewCsv(src, options);
    },
    async runCell(name: string, sql: string, previousName?: string | null) {
      return (await ready).runCell(name, sql, previousName);
    },
    async dataStamp(source: string) {
      return (await ready).dataStamp(source);
    },
    async keep(tables: KeptTable[], source: string) {
      return (await ready).keep(tables, source);
    },
    async dropKept(table: string) {
      return (await ready).dropKept(table);
    },
    async fetchRows(relation: string, offset: number, limit: number) {
      return ipc(await (await ready).fetchRows(relation, offset, limit));
    },
    async profile(relation: string) {
      return (await ready).profile(relation);
    },
    async runTask(name: string, args: unknown, onProgress?: (p: { fraction: number | null; note?: string }) => void) {
      return (await ready).runTask(name, args, onProgress);
    },
    async exportQuery(sql: string, format: ExportFormat) {
      return ipc(await (await ready).exportQuery(sql, format));
    },
    /** Kills the worker with an uncaught error: lets tests check that the page recovers from a crash. */
    async crashForTest() {
      setTimeout(() => {
        throw new Error('Segnote test crash');
      }, 0);
    },
    async drop(name: string) {
      return (await ready).drop(name);
    },
    async renameTable(from: string, to: string) {
      return (await ready).renameTable(from, to);
    },
  };
}

/** The worker API as the page sees it. */
export type WorkerApi = ReturnType<typeof makeWorkerApi> & {
  /** Hands over DuckDB's wasm compiled by the page (null: the worker fetches and compiles it). */
  useCompiledDuckDB(module: WebAssembly.Module | null): Promise<void>;
};
