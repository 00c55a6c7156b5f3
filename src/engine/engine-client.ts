/**
 * The page's handle on the engine worker: a typed Comlink wrap that decodes Arrow results,
 * remembers every loaded file so it can restart the worker (after a crash or a cancel the
 * query did not honour) and load them again without losing anything on the page.
 */
import * as Comlink from 'comlink';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { WorkerApi } from '../../workers/worker-api';
import type { CellRunResult, ColumnProfile, EngineInfo, FileSource, KeepResult, KeptTable, LoadOptions, LoadReport, Progress, RelationInfo } from '../../workers/engine-types';
import { decodeMessages, hasEncodedMessages, t } from '../lib/i18n';

/** How long a cancelled operation may take to stop before the worker is replaced. */
const CANCEL_GRACE_MS = 3000;

interface LoadRecord {
  src: FileSource;
  options: LoadOptions;
  table: string;
}

/** Raised for operations that were in flight when the engine had to be restarted. */
export class EngineRestartedError extends Error {
  override name = 'EngineRestartedError';
  constructor(reason: string) {
    super(t('msg.engine.restartedRun', { reason }));
  }
}

/**
 * The worker words its messages as keys and parameters (it has no language of its own): they
 * become text in the page's language here, the one place where the worker's words arrive.
 */
function localizeError(e: unknown): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (hasEncodedMessages(err.message)) {
    try {
      err.message = decodeMessages(err.message);
    } catch {
      /* a frozen error object: shown as it came */
    }
  }
  return err;
}

/**
 * A task's result with the worker's words (cluster names, rule texts) in the page's language:
 * strings are decoded in place in arrays and plain objects (the result is a fresh copy).
 */
function localizeResult<T>(value: T): T {
  if (typeof value === 'string') return (hasEncodedMessages(value) ? decodeMessages(value) : value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'string' || (value[i] !== null && typeof value[i] === 'object')) value[i] = localizeResult(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = localizeResult(o[k]);
  }
  return value;
}

/** A load report with the worker's encoded messages worded in the page's language. */
function localizeReport(report: LoadReport): LoadReport {
  return {
    ...report,
    warnings: report.warnings.map((w) => ({ ...w, message: decodeMessages(w.message) })),
    ...(report.skipped ? { skipped: { ...report.skipped, lines: report.skipped.lines.map((l) => ({ ...l, reason: decodeMessages(l.reason) })) } } : {}),
  };
}

/** Main-thread engine handle. */
export class EngineClient {
  private worker!: Worker;
  private api!: Comlink.Remote<WorkerApi>;
  private loads: LoadRecord[] = [];
  private inflight = new Set<(e: Error) => void>();
  private generation = 0;
  /** Called after the worker was replaced and the files loaded again. */
  onRestart: (reason: string) => void = () => {};

  /**
   * `compiledDuckDB` gives DuckDB's wasm compiled by the page (or null), handed to every worker
   * started; without it the worker fetches and compiles the wasm itself.
   */
  constructor(
    private readonly createWorker: () => Worker,
    private readonly compiledDuckDB: () => Promise<WebAssembly.Module | null> = () => Promise.resolve(null),
  ) {
    this.spawn();
  }

  /** Resolves once DuckDB is instantiated. */
  info(): Promise<EngineInfo> {
    return this.call((api) => api.info());
  }

  /** Runs SQL; returns the last statement's rows as an Arrow table. */
  async query(sql: string, onProgress?: (p: Progress) => void): Promise<{ table: Table; elapsedMs: number }> {
    const r = await this.call((api) => api.query(sql, onProgress ? Comlink.proxy(onProgress) : undefined));
    return { table: tableFromIPC(r.ipc), elapsedMs: r.elapsedMs };
  }

  /** Loads a file into a table, remembering it for restarts. */
  async loadFile(src: FileSource, options: LoadOptions = {}, onProgress?: (p: Progress) => void): Promise<LoadReport> {
    const report = localizeReport(await this.call((api) => api.loadFile(src, options, onProgress ? Comlink.proxy(onProgress) : undefined)));
    this.loads = this.loads.filter((l) => l.table.toLowerCase() !== report.table.toLowerCase());
    this.loads.push({ src, options: { ...options, tableName: report.table }, table: report.table });
    return report;
  }

  /** The first lines of a CSV file read with the given delimiter, quote and header (for the read-options form). */
  previewCsv(src: FileSource, options: Pick<LoadOptions, 'delimiter' | 'quote' | 'header' | 'encoding'>) {
    return this.call((api) => api.previewCsv(src, options));
  }

  /** Names of the tables and views `sql` reads (null if it does not parse). */
  references(sql: string): Promise<string[] | null> {
    return this.call((api) => api.references(sql));
  }

  /** Downloads a data file by URL in the worker (call only for origins the user approved). */
  download(url: string): Promise<{ name: string; bytes: Uint8Array }> {
    return this.call((api) => api.download(url));
  }

  relations(): Promise<RelationInfo[]> {
    return this.call((api) => api.relations());
  }

  runCell(name: string, sql: string, previousName?: string | null): Promise<CellRunResult> {
    return this.call((api) => api.runCell(name, sql, previousName));
  }

  /** A stamp of the data a table or view shows: changes whenever that data may have changed (null when it cannot be bound). */
  dataStamp(source: string): Promise<string | null> {
    return this.call((api) => api.dataStamp(source));
  }

  /** Keeps each table's `sql` result (reading `source`) in its internal table for its key; each rebuilt only when its key or the data changed. */
  keep(tables: KeptTable[], source: string): Promise<KeepResult> {
    return this.call((api) => api.keep(tables, source));
  }

  /** Drops a table made by `keep`. */
  dropKept(table: string): Promise<void> {
    return this.call((api) => api.dropKept(table));
  }

  async fetchRows(relation: string, offset: number, limit: number): Promise<Table> {
    return tableFromIPC(await this.call((api) => api.fetchRows(relation, offset, limit)));
  }

  profile(relation: string): Promise<ColumnProfile[]> {
    return this.call((api) => api.profile(relation));
  }

  /** Runs a registered worker task (k-means, CLV models...) on data that stays in the worker. */
  async runTask<T>(name: string, args: unknown, onProgress?: (p: { fraction: number | null; note?: string }) => void): Promise<T> {
    return localizeResult((await this.call((api) => api.runTask(name, args, onProgress ? Comlink.proxy(onProgress) : undefined))) as T);
  }

  /** Runs a query and returns its rows as a CSV or Parquet file's bytes. */
  exportQuery(sql: string, format: 'csv' | 'parquet'): Promise<Uint8Array> {
    return this.call((api) => api.exportQuery(sql, format));
  }

  async drop(name: string): Promise<void> {
    await this.call((api) => api.drop(name));
    this.loads = this.loads.filter((l) => l.table.toLowerCase() !== name.toLowerCase());
  }

  async renameTable(from: string, to: string): Promise<void> {
    await this.call((api) => api.renameTable(from, to));
    for (const l of this.loads) if (l.table.toLowerCase() === from.toLowerCase()) Object.assign(l, { table: to, options: { ...l.options, tableName: to } });
  }

  /**
   * Stops whatever runs. The worker stops the query at its next poll; if it has not answered
   * within a grace period (a query stuck inside one step), the worker is replaced.
   */
  async cancel(): Promise<'stopped' | 'restarted'> {
    if (this.inflight.size === 0) return 'stopped';
    const gen = this.generation;
    const settled = new Promise<boolean>((resolve) => {
      const check = () => (this.inflight.size === 0 || this.generation !== gen ? resolve(true) : setTimeout(check, 50));
      check();
    });
    void this.api.cancel().catch(() => undefined);
    const stopped = await Promise.race([settled, new Promise<boolean>((r) => setTimeout(() => r(false), CANCEL_GRACE_MS))]);
    if (stopped) return 'stopped';
    await this.restart(t('msg.engine.reasonStuck'));
    return 'restarted';
  }

  /** Replaces the worker and loads every remembered file again. */
  async restart(reason: string): Promise<void> {
    this.generation++;
    this.worker.terminate();
    const error = new EngineRestartedError(reason);
    for (const reject of this.inflight) reject(error);
    this.inflight.clear();
    this.spawn();
    const loads = this.loads;
    this.loads = [];
    for (const l of loads) {
      try {
        await this.loadFile(l.src, l.options);
      } catch {
        /* a file that loaded before should load again; if not, it is simply missing */
      }
    }
    this.onRestart(reason);
  }

  /** Makes the worker fail as a crash would (tests only). */
  crashForTest(): Promise<void> {
    return this.call((api) => api.crashForTest());
  }

  /** Whether an operation is running. */
  get busy(): boolean {
    return this.inflight.size > 0;
  }

  private spawn(): void {
    this.worker = this.createWorker();
    this.api = Comlink.wrap<WorkerApi>(this.worker);
    const api = this.api;
    void this.compiledDuckDB()
      .catch(() => null)
      .then((module) => api.useCompiledDuckDB(module))
      .catch(() => undefined);
    const gen = this.generation;
    this.worker.addEventListener('error', (e) => {
      if (gen === this.generation) void this.restart(t('msg.engine.reasonWorker', { message: e.message || t('msg.engine.unknownError') }));
    });
  }

  private call<T>(fn: (api: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.inflight.add(reject);
      const done = () => this.inflight.delete(reject);
      fn(this.api).then(
        (v) => {
          done();
          resolve(v);
        },
        (e: unknown) => {
          done();
          const err = localizeError(e);
          reject(err);
          // The wasm instance is gone (out of memory inside the engine, a trap): start afresh.
          if (/RuntimeError|Aborted\(|memory access out of bounds|unreachable/.test(err.message)) void this.restart(t('msg.engine.reasonCrash', { message: err.message.slice(0, 120) }));
        },
      );
    });
  }
}
