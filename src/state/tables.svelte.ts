/** Loaded tables and cell views, file loads in progress or failed, and column profiles. */
import type { ColumnProfile, FileSource, LoadOptions, LoadReport, Progress, RelationInfo } from '../../workers/engine-types';
import type { EngineState } from './engine.svelte';

/** A file being loaded, or one whose load failed (kept so the user can retry with options). */
export interface LoadJob {
  id: number;
  fileName: string;
  progress: Progress | null;
  error: string | null;
  /** The failure is about malformed lines, so "skip malformed rows" may get past it. */
  skippable: boolean;
  /** The malformed lines only lack fields at the end, so they can be kept with blanks. */
  paddable?: boolean;
  options: LoadOptions;
}

let jobSeq = 0;

export class TablesState {
  relations = $state.raw<RelationInfo[]>([]);
  reports = $state.raw<Record<string, LoadReport>>({});
  rowCounts = $state.raw<Record<string, number>>({});
  jobs = $state<LoadJob[]>([]);
  profiles = $state.raw<Record<string, ColumnProfile[] | 'loading' | { error: string }>>({});
  selected = $state<string | null>(null);
  lastLoaded = $state<string | null>(null);
  #sources = new Map<string, FileSource>();
  #jobSources = new Map<number, FileSource>();
  #listeners: { loaded?: (report: LoadReport, src: FileSource) => void; removed?: (table: string) => void }[] = [];

  /** Calls back after a file became a table, and after a table was removed (storage, staleness). */
  listen(listener: { loaded?: (report: LoadReport, src: FileSource) => void; removed?: (table: string) => void }): void {
    this.#listeners.push(listener);
  }

  constructor(private readonly engine: EngineState) {
    engine.onRestart(() => {
      this.profiles = {};
      void this.refresh();
    });
  }

  /** Names of loaded tables (not cell views). */
  get tableNames(): string[] {
    return this.relations.filter((r) => r.kind === 'table').map((r) => r.name);
  }

  /** Re-reads the list of tables and views from the engine. */
  async refresh(): Promise<void> {
    this.relations = await this.engine.client.relations();
  }

  /** Loads files one after another; failures stay listed with their message. */
  async loadFiles(sources: FileSource[], options: LoadOptions = {}): Promise<LoadReport[]> {
    const reports: LoadReport[] = [];
    for (const src of sources) {
      const job: LoadJob = { id: ++jobSeq, fileName: src.name, progress: null, error: null, skippable: false, options };
      this.#jobSources.set(job.id, src);
      this.jobs = [...this.jobs, job];
      const report = await this.#runJob(job.id, src, options);
      if (report) reports.push(report);
    }
    return reports;
  }

  /** Loads a failed job's file again with other options. */
  async retry(jobId: number, options: LoadOptions): Promise<void> {
    const src = this.#jobSources.get(jobId);
    if (!src) return;
    this.#patchJob(jobId, { error: null, progress: null, options });
    await this.#runJob(jobId, src, options);
  }

  /** How a failed job's file reads with other delimiter, quote and header choices (null if its file is gone). */
  previewJob(jobId: number, options: Pick<LoadOptions, 'delimiter' | 'quote' | 'header'>) {
    const src = this.#jobSources.get(jobId);
    return src ? this.engine.client.previewCsv(src, options) : Promise.resolve(null);
  }

  /** Replaces a loaded table by loading its file again with other options (e.g. a warning's fix). */
  async reload(table: string, options: LoadOptions): Promise<void> {
    const src = this.#sources.get(table.toLowerCase());
    const previous = this.reports[table.toLowerCase()];
    if (!src) return;
    const wasSelected = this.selected?.toLowerCase() === table.toLowerCase();
    await this.remove(table);
    await this.loadFiles([src], { ...previous?.options, ...options, tableName: table });
    // Keep the details open on the reloaded table (a reload from its details should not close them).
    if (wasSelected && this.reports[table.toLowerCase()]) this.selected = table;
  }

  /** Loads another sheet of a loaded workbook as a new table. */
  async loadSheet(table: string, sheet: string): Promise<void> {
    const src = this.#sources.get(table.toLowerCase());
    if (src) await this.loadFiles([src], { sheet });
  }

  /** Drops a loaded table. */
  async remove(table: string): Promise<void> {
    await this.engine.track(this.engine.client.drop(table));
    const key = table.toLowerCase();
    this.#sources.delete(key);
    const { [key]: _r, ...reports } = this.reports;
    this.reports = reports;
    const { [key]: _p, ...profiles } = this.profiles;
    this.profiles = profiles;
    if (this.selected?.toLowerCase() === key) this.selected = null;
    for (const l of this.#listeners) l.removed?.(table);
    await this.refresh();
  }

  /** Forgets a failed job. */
  dismiss(jobId: number): void {
    this.jobs = this.jobs.filter((j) => j.id !== jobId);
    this.#jobSources.delete(jobId);
  }

  /** Computes (once) the column profile of a table or view. */
  async profile(name: string, force = false): Promise<void> {
    const key = name.toLowerCase();
    const current = this.profiles[key];
    if (current === 'loading' || (current && !force)) return;
    this.profiles = { ...this.profiles, [key]: 'loading' };
    try {
      const profile = await this.engine.track(this.engine.client.profile(name));
      this.profiles = { ...this.profiles, [key]: profile };
    } catch (e) {
      this.profiles = { ...this.profiles, [key]: { error: e instanceof Error ? e.message : String(e) } };
    }
  }

  async #runJob(jobId: number, src: FileSource, options: LoadOptions): Promise<LoadReport | null> {
    try {
      const report = await this.engine.track(
        this.engine.client.loadFile(src, options, (p) => this.#patchJob(jobId, { progress: p })),
      );
      const key = report.table.toLowerCase();
      this.#sources.set(key, src);
      this.reports = { ...this.reports, [key]: report };
      this.rowCounts = { ...this.rowCounts, [key]: report.rows };
      this.jobs = this.jobs.filter((j) => j.id !== jobId);
      this.#jobSources.delete(jobId);
      this.lastLoaded = report.table;
      if (report.warnings.length > 0) this.selected = report.table;
      await this.refresh();
      for (const l of this.#listeners) l.loaded?.(report, src);
      return report;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      const skippable = (name === 'MalformedRowsError' || name === 'ShortLinesError') && !options.skipBadRows;
      const paddable = name === 'ShortLinesError' && !options.padShortLines;
      this.#patchJob(jobId, { error: e instanceof Error ? e.message : String(e), skippable, paddable, progress: null });
      return null;
    }
  }

  #patchJob(jobId: number, patch: Partial<LoadJob>): void {
    this.jobs = this.jobs.map((j) => (j.id === jobId ? { ...j, ...patch } : j));
  }
}
