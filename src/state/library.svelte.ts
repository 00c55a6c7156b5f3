/**
 * The notebooks kept in this browser: autosave within a moment of every edit, the list to
 * create, open, rename, duplicate and delete them, files and links to share them, and review
 * mode for notebooks that come from someone else (nothing runs until the user says so).
 */
import { parseNotebook, toDocument, upgradeDocument, type ExpectedTable, type NotebookDoc, type NotebookSettings } from '../lib/notebook/document';
import { decodeShareFragment, encodeShareFragment, MAX_LINK_LENGTH } from '../lib/notebook/share-link';
import { starterNotebook } from '../lib/notebook/starter';
import { zhStarterNotebook } from '../lib/notebook/starter-zh';
import { activeSample, fetchSample, setActiveSample, type SampleId } from './sample';
import type { Cell } from '../lib/notebook/cells';
import { getLocale, inEveryLocale, t } from '../lib/i18n';
import { dataFingerprint, keepable, keptRunsFor, type KeptResults } from '../lib/notebook/kept-results';
import type { FileSource, LoadReport, RelationInfo } from '../../workers/engine-types';
import * as storage from './storage';
import { ident } from '../lib/sql/quote';
import { downloadBytes } from './download';
import type { EngineState } from './engine.svelte';
import type { CellRun, NotebookState } from './notebook.svelte';
import type { TablesState } from './tables.svelte';

/** How one expected table matches what is loaded. */
export interface ExpectedStatus {
  name: string;
  status: 'matched' | 'missing' | 'differs';
  differences: string[];
}

/** Showing a notebook's kept results: the kept files if already listed, and who hears once they are on screen (whether there were any). */
interface ShowKept {
  files?: storage.StoredFile[];
  shown?: (showsKept: boolean) => void;
}

/** A notebook from a link or file, waiting for the user's go-ahead. */
export interface Review {
  doc: NotebookDoc;
  origin: 'link' | 'file';
  statements: { cell: string; sql: string }[];
}

const SAVE_DELAY_MS = 200;
/** Results are kept once no run has finished for this long (runAll finishes cells one after another). */
const KEEP_RESULTS_DELAY_MS = 1000;
/** The most table data a notebook file may carry (base64 in JSON grows it by a third). */
const MAX_INCLUDED_DATA_BYTES = 48 * 1024 ** 2;

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The starter notebook of the sample the page loaded (built now, so its notes are in the current language). */
function starterCells(): Cell[] {
  return activeSample() === 'tmall' ? zhStarterNotebook() : starterNotebook();
}

let idSeq = 0;
function newNotebookId(): string {
  idSeq += 1;
  return `nb-${Date.now().toString(36)}-${idSeq}`;
}

export class Library {
  list = $state.raw<{ id: string; name: string; updatedAt: number }[]>([]);
  currentId = $state('');
  name = $state('Untitled');
  settings = $state<NotebookSettings>({ autoRun: true });
  review = $state.raw<Review | null>(null);
  saveState = $state<'idle' | 'saving' | 'saved' | 'error'>('idle');
  message = $state<string | null>(null);
  /** Files that were too large to keep: the user is asked for them by name. */
  missingFiles = $state.raw<storage.StoredFile[]>([]);
  /** Hears each time results are kept (to keep the notebook as drawn too), and null when a notebook's are deleted. */
  onKept: ((kept: KeptResults<CellRun> | null) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fileSeq = 0;
  #storageOk = typeof indexedDB !== 'undefined';

  constructor(
    private readonly engine: EngineState,
    private readonly tables: TablesState,
    private readonly notebook: NotebookState,
  ) {}

  /**
   * Restores kept files and the last notebook, or opens a shared notebook from the URL fragment
   * in review mode. Returns whether the notebook may run now. `opened` hears as soon as the last
   * notebook is on screen (before its files load) whether it shows results kept from the last visit.
   */
  async init(hash: string, opened?: (showsKept: boolean) => void): Promise<'run' | 'review'> {
    // Kept results name the data they were computed from, so they are kept again when it changes.
    this.tables.listen({
      loaded: (report, src) => {
        this.#fileWrite(() => this.#keepFile(report, src));
        this.#keepSoon();
      },
      removed: (table) => {
        this.#fileWrite(() => storage.deleteFile(table));
        this.#keepSoon();
      },
    });
    this.notebook.autoRun = () => this.settings.autoRun;
    const files = this.#storageOk ? await storage.listFiles().catch(() => []) : [];
    if (this.#storageOk) void storage.requestPersistence();
    const shared = await decodeShareFragment(hash);
    if (shared) {
      history.replaceState(null, '', location.pathname + location.search);
      if (shared.ok) {
        await this.#restoreFiles(files);
        await this.#openDefault();
        this.#startReview(shared.doc, 'link');
        return 'review';
      }
      this.message = shared.error;
    }
    // The notebook (with the results kept from the last visit) shows before the files behind its
    // tables are loaded: loading waits for the engine, showing does not.
    await this.#openDefault({ files, shown: opened });
    await this.#restoreFiles(files);
    this.#watch();
    return 'run';
  }

  /** Starts a new notebook from the starter cells. */
  async create(): Promise<void> {
    await this.#switchTo({ id: newNotebookId(), doc: toDocument(t('lib.untitled'), starterCells(), { autoRun: true }, []), updatedAt: Date.now() });
    await this.notebook.runAll();
  }

  /**
   * Loads a bundled sample's tables (beside those already loaded) and opens its starter notebook
   * as a new notebook; the sample is remembered for the next visit.
   */
  async openSample(id: SampleId): Promise<void> {
    try {
      const files = await fetchSample(id);
      for (const s of files) await this.tables.loadFiles([s.src], { tableName: s.table });
      await this.tables.refresh();
      setActiveSample(id);
      await this.create();
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }

  /** Opens a stored notebook. */
  async open(id: string): Promise<void> {
    const stored = (await storage.listNotebooks()).find((n) => n.id === id);
    if (!stored) return;
    await this.#switchTo(stored, {});
    await this.notebook.runAll();
  }

  /** Renames the open notebook. */
  rename(name: string): void {
    const trimmed = name.trim().slice(0, 200);
    if (trimmed) this.name = trimmed;
  }

  /** Copies the open notebook under a new name and opens the copy. */
  async duplicate(): Promise<void> {
    await this.#saveNow();
    const doc = this.#document([]);
    await this.#switchTo({ id: newNotebookId(), doc: { ...doc, name: t('lib.copyOf', { name: this.name }) }, updatedAt: Date.now() });
    await this.notebook.runAll();
  }

  /** Deletes the open notebook and opens another (or a new one). */
  async remove(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#storageOk) await storage.deleteNotebook(this.currentId);
    if (this.#storageOk) await storage.deleteResults(this.currentId).catch(() => undefined);
    this.#tellKept(null);
    await this.#refreshList();
    const next = this.list[0];
    if (next) await this.open(next.id);
    else await this.create();
  }

  /**
   * Downloads the notebook as a JSON file: cells, settings and the tables it expects — and, only
   * when asked, the rows of those tables as Parquet inside the file.
   */
  async exportFile(includeData = false): Promise<void> {
    const tables = await this.#expectedTables();
    if (includeData) {
      let total = 0;
      for (const table of tables) {
        const bytes = await this.engine.track(this.engine.client.exportQuery(`SELECT * FROM ${ident(table.name)}`, 'parquet'));
        total += bytes.length;
        if (total > MAX_INCLUDED_DATA_BYTES) {
          this.message = t('lib.dataTooLarge', { mb: Math.round(MAX_INCLUDED_DATA_BYTES / 1024 ** 2) });
          return;
        }
        table.data = { format: 'parquet', base64: toBase64(bytes) };
      }
    }
    const doc = this.#document(tables);
    const bytes = new TextEncoder().encode(JSON.stringify(doc, null, 2));
    downloadBytes(bytes, `${this.name.replace(/[\\/:*?"<>|]+/g, '_') || 'notebook'}.segnote.json`, 'application/json');
  }

  /** A link that carries the notebook in its fragment (never sent to a server). */
  async shareLink(): Promise<string> {
    const fragment = await encodeShareFragment(this.#document(await this.#expectedTables()));
    if (fragment.length > MAX_LINK_LENGTH) throw new Error(t('lib.linkTooLong'));
    return `${location.origin}${location.pathname}${fragment}`;
  }

  /** Opens a notebook file in review mode. */
  async openFile(file: Blob): Promise<void> {
    const parsed = parseNotebook(await file.text());
    if (!parsed.ok) {
      this.message = parsed.error;
      return;
    }
    this.#startReview(parsed.doc, 'file');
  }

  /** How each table the reviewed notebook expects matches the loaded tables. */
  expectedStatus(relations: readonly RelationInfo[]): ExpectedStatus[] {
    return (this.review?.doc.tables ?? []).map((want) => compareTable(want, relations));
  }

  /** Loads a table whose rows came inside the reviewed notebook file. */
  async loadIncludedData(name: string): Promise<void> {
    const table = this.review?.doc.tables.find((x) => x.name === name);
    if (!table?.data) return;
    const bytes = fromBase64(table.data.base64);
    await this.tables.loadFiles([{ name: `${name}.parquet`, size: bytes.length, bytes }], { tableName: name });
  }

  /** Accepts the reviewed notebook: it becomes a new notebook in this browser and runs. */
  async approveReview(): Promise<void> {
    const review = this.review;
    if (!review) return;
    this.review = null;
    await this.#switchTo({ id: newNotebookId(), doc: { ...review.doc, name: t('lib.sharedCopy', { name: review.doc.name }) }, updatedAt: Date.now() });
    this.#watch();
    await this.notebook.runAll();
  }

  /** Discards the reviewed notebook. */
  discardReview(): void {
    this.review = null;
    this.#watch();
  }

  /**
   * Loads a data file from a URL the user typed or a shared notebook names. The first time an
   * origin is used, the user is asked; nothing is downloaded before they agree.
   */
  async addDataUrl(url: string, tableName?: string): Promise<void> {
    let u: URL;
    try {
      u = new URL(url.trim());
    } catch {
      this.message = t('lib.urlInvalid', { url });
      return;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      this.message = t('lib.urlInvalid', { url });
      return;
    }
    const approved = this.#storageOk ? await storage.approvedOrigins().catch(() => []) : this.#sessionOrigins;
    if (!approved.includes(u.origin)) {
      if (!confirm(t('lib.approveOrigin', { origin: u.origin }))) return;
      if (this.#storageOk) await storage.approveOrigin(u.origin).catch(() => undefined);
      this.#sessionOrigins.push(u.origin);
    }
    try {
      const { name, bytes } = await this.engine.track(this.engine.client.download(u.toString()));
      await this.tables.loadFiles([{ name, size: bytes.length, bytes, url: u.toString() }], tableName ? { tableName } : {});
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }
  #sessionOrigins: string[] = [];

  /** Changes whether stale cells re-run by themselves. */
  setAutoRun(on: boolean): void {
    this.settings = { ...this.settings, autoRun: on };
  }

  // ---- internals ----

  #startReview(doc: NotebookDoc, origin: 'link' | 'file'): void {
    const statements = doc.cells.flatMap((c: Cell) => (c.kind === 'sql' ? [{ cell: c.name, sql: c.sql }] : []));
    this.review = { doc, origin, statements };
  }

  async #openDefault(kept?: ShowKept): Promise<void> {
    const last = this.#storageOk ? await storage.lastOpened().catch(() => undefined) : undefined;
    const stored = this.#storageOk ? (await storage.listNotebooks().catch(() => [])).find((n) => n.id === last) : undefined;
    if (stored) await this.#switchTo(stored, kept);
    else await this.#switchTo({ id: newNotebookId(), doc: toDocument(t('lib.untitled'), starterCells(), { autoRun: true }, []), updatedAt: Date.now() });
  }

  /** Shows the results kept from the notebook's last runs that still match its cells, data and language. */
  async #showKept(files?: storage.StoredFile[]): Promise<void> {
    if (!this.#storageOk) return;
    try {
      this.#kept = await storage.loadResults<CellRun>(this.currentId);
      const kept = this.#kept;
      if (!kept) return;
      const data = dataFingerprint(activeSample(), files ?? (await storage.listFiles()));
      this.notebook.showKept(keptRunsFor(kept, $state.snapshot(this.notebook.cells) as Cell[], { data, locale: getLocale() }));
    } catch {
      /* nothing kept, or storage refused: the live runs show as usual */
    }
  }

  /** Keeps the results once nothing has changed for a moment (after `#watch` has started). */
  #keepSoon(): void {
    if (!this.#watching) return;
    clearTimeout(this.#keptTimer);
    this.#keptTimer = setTimeout(() => void this.#saveKept(), KEEP_RESULTS_DELAY_MS);
  }

  #fileWrite(write: () => Promise<unknown>): void {
    this.#fileWrites = this.#fileWrites.then(write).catch(() => undefined);
  }

  /** A listener's failure must not stop results from being kept. */
  #tellKept(kept: KeptResults<CellRun> | null): void {
    try {
      this.onKept?.(kept);
    } catch {
      /* the drawing is not kept: the next visit shows the kept results a moment later */
    }
  }

  /** Keeps the notebook's finished results for the next visit. */
  async #saveKept(): Promise<void> {
    if (!this.#storageOk || !this.currentId || this.review) return;
    try {
      const runs = $state.snapshot(this.notebook.runs) as Record<string, CellRun>;
      // The data the results were computed from: the files as kept once their writes are done.
      await this.#fileWrites;
      const data = dataFingerprint(activeSample(), await storage.listFiles());
      const previous = this.#kept?.id === this.currentId && this.#kept.data === data ? this.#kept : undefined;
      this.#kept = { id: this.currentId, data, locale: getLocale(), cells: keepable(this.notebook.cells, runs, previous) };
      this.#tellKept(Object.keys(this.#kept.cells).length ? this.#kept : null);
      await storage.saveResults(this.#kept);
    } catch {
      /* not kept: the next visit waits for its live results */
    }
  }

  /** Opens a notebook, with the results kept from its last runs when `kept` is given (it is about to run). */
  async #switchTo(stored: storage.StoredNotebook, kept?: ShowKept): Promise<void> {
    // Notebooks saved by an older version mean the same after the upgrade (e.g. CLV calibration end).
    const n = { ...stored, doc: upgradeDocument(stored.doc) };
    if (this.currentId) await this.#saveNow();
    this.currentId = n.id;
    // The default name was made in the language of the day: it reads in today's.
    this.name = inEveryLocale('lib.untitled').includes(n.doc.name) ? t('lib.untitled') : n.doc.name;
    this.settings = { ...n.doc.settings };
    this.notebook.load(n.doc.cells);
    if (kept) {
      await this.#showKept(kept.files);
      kept.shown?.(this.notebook.showsKept);
    }
    if (this.#storageOk) {
      await storage.setLastOpened(n.id).catch(() => undefined);
      await this.#saveNow();
    }
  }

  /** Saves shortly after any change to the cells, the name or the settings. */
  #watch(): void {
    if (!this.#storageOk || this.#watching) return;
    this.#watching = true;
    $effect.root(() => {
      $effect(() => {
        // Reading the snapshot subscribes to every field of every cell.
        JSON.stringify(this.notebook.cells);
        void this.name;
        void this.settings.autoRun;
        clearTimeout(this.#timer);
        this.saveState = 'saving';
        this.#timer = setTimeout(() => void this.#saveNow(), SAVE_DELAY_MS);
      });
      $effect(() => {
        // Every run's state and version: results are kept once the runs have settled.
        for (const r of Object.values(this.notebook.runs)) void (r.status, r.version);
        this.#keepSoon();
      });
    });
    addEventListener('pagehide', () => void this.#saveNow());
  }
  #watching = false;
  #keptTimer: ReturnType<typeof setTimeout> | undefined;
  /** The kept files' writes, one after another (a replaced table is deleted before it is saved again). */
  #fileWrites: Promise<unknown> = Promise.resolve();
  #kept: KeptResults<CellRun> | undefined;

  async #saveNow(): Promise<void> {
    clearTimeout(this.#timer);
    if (!this.#storageOk || !this.currentId || this.review) return;
    try {
      await storage.saveNotebook({ id: this.currentId, doc: this.#document([]), updatedAt: Date.now() });
      this.saveState = 'saved';
      await this.#refreshList();
    } catch (e) {
      this.saveState = 'error';
      this.message = t('lib.saveFailed', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  #document(tables: ExpectedTable[]): NotebookDoc {
    return toDocument(this.name, $state.snapshot(this.notebook.cells) as Cell[], { ...this.settings }, tables);
  }

  async #refreshList(): Promise<void> {
    try {
      this.list = (await storage.listNotebooks()).map((n) => ({ id: n.id, name: n.doc.name, updatedAt: n.updatedAt }));
    } catch {
      /* storage unavailable: the list stays as it was */
    }
  }

  /** Loaded tables the notebook's cells read, with their columns. */
  async #expectedTables(): Promise<ExpectedTable[]> {
    const tableRels = this.tables.relations.filter((r) => r.kind === 'table');
    const used = new Set<string>();
    for (const c of this.notebook.cells) {
      if (c.kind === 'sql') for (const n of (await this.engine.client.references(c.sql).catch(() => null)) ?? []) used.add(n.toLowerCase());
      if (c.kind === 'chart') used.add(c.spec.source.toLowerCase());
      const source = (c as { spec?: { source?: unknown } }).spec?.source;
      if (typeof source === 'string') used.add(source.toLowerCase());
    }
    return tableRels
      .filter((r) => used.has(r.name.toLowerCase()))
      .map((r) => {
        const url = this.tables.reports[r.name.toLowerCase()]?.url;
        return { name: r.name, columns: r.columns.map((col) => ({ ...col })), ...(url ? { url } : {}) };
      });
  }

  async #keepFile(report: LoadReport, src: FileSource): Promise<void> {
    const blob = src.file ?? (src.url && src.bytes ? new Blob([src.bytes as BlobPart]) : null);
    if (!this.#storageOk || !blob) return;
    const keep = src.size <= storage.MAX_KEPT_FILE_BYTES;
    try {
      await storage.saveFile({ table: report.table, fileName: report.fileName, size: src.size, options: { ...report.options, tableName: report.table }, blob: keep ? blob : null, seq: ++this.#fileSeq });
    } catch {
      await storage.saveFile({ table: report.table, fileName: report.fileName, size: src.size, options: { ...report.options, tableName: report.table }, blob: null, seq: this.#fileSeq }).catch(() => undefined);
    }
  }

  async #restoreFiles(files: storage.StoredFile[]): Promise<void> {
    this.#fileSeq = files.reduce((m, f) => Math.max(m, f.seq), 0);
    const missing: storage.StoredFile[] = [];
    for (const f of files) {
      if (!f.blob) {
        missing.push(f);
        continue;
      }
      const file = new File([f.blob], f.fileName);
      await this.tables.loadFiles([{ name: f.fileName, size: file.size, file }], f.options);
    }
    this.missingFiles = missing;
  }
}

/** Compares a table a notebook expects with the loaded one of that name. */
export function compareTable(want: ExpectedTable, relations: readonly RelationInfo[]): ExpectedStatus {
  const have = relations.find((r) => r.name.toLowerCase() === want.name.toLowerCase());
  if (!have) return { name: want.name, status: 'missing', differences: [] };
  const differences: string[] = [];
  for (const col of want.columns) {
    const got = have.columns.find((c) => c.name.toLowerCase() === col.name.toLowerCase());
    if (!got) differences.push(t('review.colMissing', { column: col.name }));
    else if (got.type !== col.type) differences.push(t('review.colType', { column: col.name, have: got.type, want: col.type }));
  }
  return { name: want.name, status: differences.length ? 'differs' : 'matched', differences };
}
