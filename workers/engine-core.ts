/**
 * The engine: DuckDB-WASM bindings plus everything Segnote does with them — loading files,
 * running cells, paging results, profiling tables. Plain TypeScript with injected I/O, so the
 * same class runs in the browser worker and in Node tests.
 */
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking-browser';
import { tableFromIPC } from 'apache-arrow';
import { ident, str } from '../src/lib/sql/quote';
import { tableNameFromFile, uniqueName } from '../src/lib/sql/names';
import { resultShape, splitStatements, stripComments } from '../src/lib/sql/statements';
import { CancelledError, IngestError, QueryError, cleanDuckDBMessage, unwrapErrorContext } from './engine-errors';
import type {
  CellRunResult,
  ColumnInfo,
  ColumnProfile,
  EngineInfo,
  FileSource,
  KeepResult,
  KeptTable,
  LoadOptions,
  LoadReport,
  Progress,
  QueryResult,
  RelationInfo,
} from './engine-types';
import { detectFormat, sizeLimit } from './ingest/formats';
import { loadCsv } from './ingest/load-csv';
import { decodeSample, layoutPreview, sampleLines, type LayoutPreview } from './ingest/csv-layout';
import { cleanTable } from './ingest/clean-table';
import { t } from '../src/lib/i18n';
import { detectEncoding, needsTranscoding, transcodeToUtf8, type TextEncodingName } from './ingest/text-encoding';

import { jsonToArrowIPC } from './ingest/json-to-arrow';
import type { OpenParquet, ParquetReader } from './ingest/parquet-stream';
import { checkFits, deviceMemoryBytes, parseMemoryLimit, tableBytesAtLeast, WASM_MAX_BYTES, type MemoryFacts } from './ingest/memory-budget';
import { toIPCStream } from './ingest/arrow-ipc';
import { profileQueries, readProfile } from './profile';
import { ipcToCsv, type ExportFormat } from './export';
import { getTask, type TaskHost } from './tasks/registry';
import './tasks/index';

/** What the host environment provides to the engine. */
export interface EngineDeps {
  bindings: DuckDBBindings;
  bundle: string;
  /** Decodes Parquet bytes to an Arrow IPC stream (parquet-wasm; the browser loads it on first use). */
  readParquet(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * Opens Parquet data for reading a row group at a time (parquet-wasm's ParquetFile; see
   * ingest/parquet-stream.ts). Without it, Parquet files are decoded whole with readParquet.
   */
  openParquet?: OpenParquet;
  /** Encodes an Arrow IPC stream as Parquet (parquet-wasm; the browser loads it on first use). */
  writeParquet(ipc: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Reads part of a Blob synchronously (FileReaderSync in a worker). */
  readBlob?(blob: Blob, start: number, end: number): Uint8Array;
  /** The DuckDB protocol number for registering a Blob without copying (BROWSER_FILEREADER). */
  blobProtocol?: number;
  /** Furthest byte offset DuckDB has read from registered file handles since the last reset. */
  bytesRead?(): number;
  resetBytesRead?(): void;
  /** Lets other messages (cancel) in between polls of a running query. */
  yieldToEvents(): Promise<void>;
  now(): number;
  /** DuckDB memory_limit to set before locking (tests use a small one to provoke out-of-memory). */
  memoryLimit?: string;
}

type ProgressFn = (p: Progress) => void;

/** Directory under which every user file is registered; the only one DuckDB may read. */
export const FILE_ROOT = '/segnote/';
const INTERNAL_PREFIX = '__segnote';
const PROGRESS_INTERVAL_MS = 100;
/** How much of a file the read-options preview looks at. */
const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_LINES = 200;
/**
 * Parquet bytes already in memory up to this size (the sample, a small download) are decoded
 * whole, where the worker may have decoded them ahead of time; files and larger data stream.
 */
const WHOLE_PARQUET_MAX = 16 * 1024 * 1024;

interface LoadedFile {
  table: string;
  paths: string[];
}

/** The database and its connection, with a queue so only one query runs at a time. */
export class EngineCore {
  private readonly conn: number;
  private cancelRequested = false;
  private queue: Promise<unknown> = Promise.resolve();
  private fileSeq = 0;
  private readonly files = new Map<string, LoadedFile>();
  /** Distinguishes this engine's data stamps from those of an engine before a restart. */
  private readonly instance = Math.random().toString(36).slice(2);
  /** Bumped by anything that may have changed data anywhere (a statement we cannot place, a task). */
  private epoch = 0;
  /** Per relation (lower-case name): bumped whenever it is loaded, (re)created, renamed or dropped. */
  private readonly versions = new Map<string, number>();
  /** Kept internal tables (lower-case name) -> the key and data stamp they were built for. */
  private readonly kept = new Map<string, string>();

  private constructor(private readonly deps: EngineDeps) {
    this.conn = deps.bindings.connect().useUnsafe((_b, c) => c);
  }

  /** Opens the engine and locks DuckDB down: no extension downloads, no access outside registered files. */
  static async open(deps: EngineDeps): Promise<EngineCore> {
    const core = new EngineCore(deps);
    for (const sql of [
      'SET autoload_known_extensions=false',
      'SET autoinstall_known_extensions=false',
      ...(deps.memoryLimit ? [`SET memory_limit=${str(deps.memoryLimit)}`] : []),
      `SET allowed_directories=[${str(FILE_ROOT)}]`,
      'SET enable_external_access=false',
      'SET lock_configuration=true',
    ]) {
      core.runNow(sql);
    }
    return core;
  }

  /** Version and bundle facts. */
  info(): EngineInfo {
    return { duckdbVersion: this.deps.bindings.getVersion(), bundle: this.deps.bundle };
  }

  /** Asks the running query (if any) to stop at its next poll. */
  cancel(): void {
    this.cancelRequested = true;
  }

  /** Runs SQL (one or more statements) and returns the last statement's result. */
  query(sql: string, onProgress?: ProgressFn): Promise<QueryResult> {
    return this.exclusive(async () => {
      const t0 = this.deps.now();
      const statements = splitStatements(sql);
      if (statements.length === 0) throw new QueryError(t('msg.engine.queryEmpty'));
      let ipc: Uint8Array = new Uint8Array();
      for (const s of statements) {
        try {
          ipc = await this.run(s, onProgress, 'query');
        } finally {
          this.noteWrites(s);
        }
      }
      return { ipc, elapsedMs: this.deps.now() - t0 };
    });
  }

  /**
   * The tables and views a cell's SQL reads, from DuckDB's own parser (CTE names excluded);
   * null when the SQL cannot be parsed.
   */
  references(sql: string): Promise<string[] | null> {
    return this.exclusive(async () => {
      const names = new Set<string>();
      const b = this.deps.bindings;
      try {
        for (const s of splitStatements(sql)) {
          let found: string[];
          try {
            found = b.getTableNames(this.conn, s);
          } catch {
            // getTableNames binds JOIN ... USING and fails on it; the join condition does not change which tables are read.
            found = b.getTableNames(this.conn, s.replace(/\bUSING\s*\([^()]*\)/gi, 'ON TRUE'));
          }
          // getTableNames binds, which expands a cell's view into the internal table behind it.
          for (const n of found) names.add(n.startsWith(CELL_PREFIX) ? n.slice(CELL_PREFIX.length) : n);
        }
      } catch {
        return null;
      }
      return [...names];
    });
  }

  /** Loaded tables and cell views, with their columns. */
  relations(): Promise<RelationInfo[]> {
    return this.exclusive(async () => this.listRelations());
  }

  /**
   * How the first lines of a CSV file read with a chosen delimiter, quote and header (and what
   * each delimiter makes of them): the live preview offered when sniffing fails. Reads 64 KiB.
   */
  async previewCsv(src: FileSource, options: Pick<LoadOptions, 'delimiter' | 'quote' | 'header' | 'encoding'>): Promise<LayoutPreview & { encoding: string }> {
    const sample = this.csvHost({ table: '', paths: [] }, undefined, 0).read(src, 0, PREVIEW_BYTES);
    const encoding = (options.encoding as TextEncodingName | undefined) ?? detectEncoding(sample).encoding;
    const lines = sampleLines(decodeSample(sample, encoding), src.size <= PREVIEW_BYTES).slice(0, PREVIEW_LINES);
    return { ...layoutPreview(lines, { delimiter: options.delimiter, quote: options.quote ?? '"', header: options.header ?? true }), encoding };
  }

  /** Loads a file into a new table; throws IngestError naming the file on failure. */
  loadFile(src: FileSource, options: LoadOptions = {}, onProgress?: ProgressFn): Promise<LoadReport> {
    return this.exclusive(async () => {
      const t0 = this.deps.now();
      const format = detectFormat(src.name);
      if (src.size === 0) throw new IngestError(t('msg.ingest.empty', { file: src.name }));
      const limit = sizeLimit(format);
      if (src.size > limit) {
        throw new IngestError(t('msg.ingest.tooLarge', { file: src.name, size: formatBytes(src.size), limit: formatBytes(limit), format: format.toUpperCase() }));
      }
      const taken = await this.relationNames();
      const table = options.tableName ?? uniqueName(await this.notKeyword(tableNameFromFile(src.name)), taken);
      if (options.tableName && taken.some((t) => t.toLowerCase() === table.toLowerCase())) {
        throw new IngestError(t('msg.ingest.nameTaken', { file: src.name, table }));
      }
      const loaded: LoadedFile = { table, paths: [] };
      this.touch(table);
      try {
        let report: Omit<LoadReport, 'rows' | 'columns' | 'elapsedMs' | 'table' | 'fileName' | 'options'>;
        let xlsx: { notes: LoadReport['notes']; sheets: string[] } | null = null;
        if (format === 'csv') {
          report = await loadCsv(this.csvHost(loaded, onProgress, t0), src, table, options);
        } else {
          const streamParquet = format === 'parquet' && this.deps.openParquet !== undefined && (src.file !== undefined || src.size > WHOLE_PARQUET_MAX);
          const bytes = streamParquet ? new Uint8Array() : this.readAll(src);
          if (streamParquet) {
            await this.loadParquetParts(src, table, onProgress, t0);
          } else if (format === 'parquet') {
            if (!startsWith(bytes, 'PAR1')) throw new IngestError(t('msg.ingest.notParquet', { file: src.name }));
            let ipc: Uint8Array;
            try {
              ipc = await this.deps.readParquet(bytes);
            } catch (e) {
              throw new IngestError(t('msg.ingest.parquetUnreadable', { file: src.name, message: cleanDuckDBMessage(e) }));
            }
            await this.insertArrow(ipc, table, src.name);
          } else if (format === 'xlsx') {
            // Imported on first use: the Excel reader is not part of the first download.
            const { loadXlsx } = await import('./ingest/load-xlsx');
            const progress = (fraction: number) => onProgress?.({ phase: 'decoding', fraction, elapsedMs: this.deps.now() - t0 });
            const x = await loadXlsx(bytes, src.name, options.sheet, progress);
            await this.insertArrow(x.ipc, table, src.name);
            xlsx = { notes: x.notes, sheets: x.sheets };
          } else if (format === 'arrow') {
            await this.insertArrow(toIPCStream(bytes, src.name), table, src.name);
          } else {
            const enc = detectEncoding(bytes.subarray(0, 65536));
            if (enc.binary) throw new IngestError(t('msg.ingest.binaryJson', { file: src.name }));
            const utf8 = needsTranscoding(enc.encoding)
              ? transcodeToUtf8((a, b) => bytes.subarray(a, b), bytes.length, enc.encoding)
              : bytes;
            const text = new TextDecoder('utf-8').decode(utf8);
            let ipc: Uint8Array;
            try {
              ipc = jsonToArrowIPC(text, src.name).ipc;
            } catch (e) {
              // Deep nesting overflows the stack in JSON.parse or JSON.stringify: a message, not a crash.
              if (e instanceof RangeError) throw new IngestError(t('ingest.err.jsonTooDeep', { file: src.name }));
              throw e;
            }
            await this.insertArrow(ipc, table, src.name);
          }
          report = { format, encoding: null, csv: null, warnings: [], notes: xlsx?.notes ?? [], ...(xlsx ? { sheets: xlsx.sheets } : {}) };
        }
        if ((format === 'csv' || format === 'json' || format === 'xlsx') && !options.keepText && !options.plainRead) {
          const cleanHost = { rows: (sql: string) => this.rows(sql), exec: async (sql: string) => void (await this.run(sql, undefined, 'loading')) };
          report.notes.push(...(await cleanTable(cleanHost, table, await this.describe(table), options.dateFormats)));
        }
        this.files.set(table.toLowerCase(), loaded);
        const rows = await this.count(table);
        const columns = await this.describe(table);
        if (columns.length === 0) throw new IngestError(t('msg.ingest.noColumns', { file: src.name }));
        return { ...report, table, fileName: src.name, rows, columns, elapsedMs: this.deps.now() - t0, options, ...(src.url ? { url: src.url } : {}) };
      } catch (e) {
        this.dropPaths(loaded.paths);
        this.files.delete(table.toLowerCase());
        await this.runQuiet(`DROP TABLE IF EXISTS ${ident(table)}`);
        if (e instanceof IngestError || e instanceof CancelledError) throw e;
        throw new IngestError(t('msg.ingest.failed', { file: src.name, message: describeLoadError(e) }));
      }
    });
  }

  /**
   * Runs a SQL cell. A query's result is kept in an internal table and exposed as a view named
   * after the cell, so later cells can read it and pages can be fetched without re-running it.
   */
  runCell(name: string, sql: string, previousName?: string | null): Promise<CellRunResult> {
    return this.exclusive(async () => {
      const t0 = this.deps.now();
      const statements = splitStatements(sql);
      if (statements.length === 0) throw new QueryError(t('msg.engine.cellEmpty'));
      this.touch(name);
      if (previousName) this.touch(previousName);
      // Statements before the last, or a last one that is not a query, may write anywhere.
      if (statements.length > 1 || mayWrite(statements[statements.length - 1])) this.epoch++;
      if (previousName && previousName.toLowerCase() !== name.toLowerCase()) await this.dropCellObjects(previousName);
      for (const s of statements.slice(0, -1)) await this.run(s);
      const last = statements[statements.length - 1];
      const shape = resultShape(last);
      if (shape === 'statement') {
        const ipc = await this.run(last);
        await this.dropCellObjects(name);
        const t = tableFromIPC(ipc);
        return { kind: 'statement', rows: t.numRows, columns: t.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })), elapsedMs: this.deps.now() - t0 };
      }
      // One catalog lookup, not listRelations(): that binds every view and costs a re-score tens of ms.
      const [conflict] = await this.rows(
        `SELECT count(*)::INT AS n FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()
          AND NOT starts_with(table_name, ${str(INTERNAL_PREFIX)}) AND lower(table_name) = ${str(name.toLowerCase())}`,
      );
      if (Number(conflict.n) > 0) throw new QueryError(t('msg.engine.tableExists', { name }));
      const body = shape === 'query' ? last : `SELECT * FROM (${last})`;
      const internal = cellTable(name);
      const wrapper = `CREATE OR REPLACE TABLE ${ident(internal)} AS `;
      try {
        await this.run(`${wrapper}${body}`, undefined, 'query', last);
      } catch (e) {
        if (e instanceof QueryError) throw new QueryError(unwrapErrorContext(e.message, wrapper), last);
        throw e;
      }
      await this.run(`CREATE OR REPLACE VIEW ${ident(name)} AS SELECT * FROM ${ident(internal)}`);
      return { kind: 'rows', rows: await this.count(internal), columns: await this.describe(internal), elapsedMs: this.deps.now() - t0 };
    });
  }

  /** Rows [offset, offset+limit) of a table or cell result, with display-unfriendly types cast to text. */
  fetchRows(relation: string, offset: number, limit: number): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const source = (await this.isCellView(relation)) ? cellTable(relation) : relation;
      const columns = await this.describe(source);
      const select = columns.map((c) => displayExpr(c)).join(', ') || '*';
      return this.run(`SELECT ${select} FROM ${ident(source)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`);
    });
  }

  /** Per-column profile: nulls, distinct values, min/max, top values and a histogram. */
  profile(relation: string, onProgress?: ProgressFn): Promise<ColumnProfile[]> {
    return this.exclusive(async () => {
      const columns = await this.describe(relation);
      const rows = await this.count(relation);
      const queries = profileQueries(relation, columns, rows);
      const results: Uint8Array[] = [];
      for (const q of queries.sql) results.push(await this.run(q, onProgress, 'profiling'));
      return readProfile(queries, results);
    });
  }

  /** Runs a query and returns its result as a file's bytes (CSV or Parquet). */
  exportQuery(sql: string, format: ExportFormat): Promise<Uint8Array> {
    return this.exclusive(async () => {
      let ipc: Uint8Array;
      try {
        ipc = await this.run(sql);
      } finally {
        this.noteWrites(sql);
      }
      return format === 'csv' ? ipcToCsv(ipc) : this.deps.writeParquet(ipc);
    });
  }

  /** Runs a registered numeric task (k-means, CLV...) next to the data; see tasks/registry.ts. */
  runTask(name: string, args: unknown, onProgress?: (p: { fraction: number | null; note?: string }) => void): Promise<unknown> {
    return this.exclusive(async () => {
      const task = getTask(name);
      if (!task) throw new QueryError(t('msg.engine.unknownTask', { name }));
      // Tasks create and fill tables of their own: count them as writes anywhere.
      this.epoch++;
      const host: TaskHost = {
        query: async (sql) => tableFromIPC(await this.run(sql)),
        exec: async (sql) => {
          await this.run(sql);
        },
        createTable: async (table, ipc) => {
          await this.runQuiet(`DROP TABLE IF EXISTS ${ident(table)}`);
          await this.insertArrow(ipc, table, table);
        },
        progress: (fraction, note) => onProgress?.({ fraction, note }),
        cancelled: () => this.cancelRequested,
        yieldToEvents: () => this.deps.yieldToEvents(),
      };
      return task(host, args);
    });
  }

  /** Drops a loaded table (and its registered files) or a cell's result. */
  drop(name: string): Promise<void> {
    return this.exclusive(async () => {
      this.touch(name);
      const loaded = this.files.get(name.toLowerCase());
      if (loaded) {
        await this.run(`DROP TABLE IF EXISTS ${ident(loaded.table)}`);
        this.dropPaths(loaded.paths);
        this.files.delete(name.toLowerCase());
      } else {
        await this.dropCellObjects(name);
      }
    });
  }

  /** Renames a loaded table. */
  renameTable(from: string, to: string): Promise<void> {
    return this.exclusive(async () => {
      this.touch(from);
      this.touch(to);
      await this.run(`ALTER TABLE ${ident(from)} RENAME TO ${ident(to)}`);
      const loaded = this.files.get(from.toLowerCase());
      if (loaded) {
        this.files.delete(from.toLowerCase());
        this.files.set(to.toLowerCase(), { ...loaded, table: to });
      }
    });
  }

  /**
   * A stamp of the data `source` (a table or view) shows: it changes whenever the source or any
   * relation it reads may have changed in this engine (a load, a cell run, a drop or rename, SQL
   * that writes, a task). Null when the source cannot be bound.
   */
  dataStamp(source: string): Promise<string | null> {
    return this.exclusive(async () => this.stampOf(source));
  }

  /**
   * Makes each internal table hold the result of its `sql` (which reads `source`, or a table kept
   * before it in the list) for its `key`: rebuilt unless it was last built for the same key from
   * the same data (see `dataStamp`), so a table kept across edits can never outlive the data it
   * was computed from. One call for the tables a run needs: the stamp is read once.
   */
  keep(tables: readonly KeptTable[], source: string): Promise<KeepResult> {
    return this.exclusive(async () => {
      const t0 = this.deps.now();
      for (const { table } of tables) {
        if (!table.startsWith(`${INTERNAL_PREFIX}_`)) throw new QueryError(t('msg.engine.keepName', { name: table }));
      }
      const { stamp, tables: existing } = await this.stampAndTables(source);
      const rebuilt: boolean[] = [];
      for (const { table, key, sql } of tables) {
        const lower = table.toLowerCase();
        const wanted = stamp === null ? null : JSON.stringify([key, stamp]);
        if (wanted !== null && this.kept.get(lower) === wanted && existing.has(lower)) {
          rebuilt.push(false);
          continue;
        }
        this.kept.delete(lower);
        await this.run(`CREATE OR REPLACE TABLE ${ident(table)} AS ${sql}`, undefined, 'query', sql);
        if (wanted !== null) this.kept.set(lower, wanted);
        rebuilt.push(true);
      }
      return { rebuilt, stamp, elapsedMs: this.deps.now() - t0 };
    });
  }

  /** Drops a kept internal table (see `keep`). */
  dropKept(table: string): Promise<void> {
    return this.exclusive(async () => {
      if (!table.startsWith(`${INTERNAL_PREFIX}_`)) return;
      this.kept.delete(table.toLowerCase());
      await this.runQuiet(`DROP TABLE IF EXISTS ${ident(table)}`);
    });
  }

  // ---- internals ----

  private touch(name: string): void {
    const key = name.toLowerCase();
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
  }

  /**
   * Records what a statement run through query() or exportQuery() may have changed: nothing for a
   * query, the view for CREATE VIEW (a definition changes no data elsewhere), anything otherwise.
   */
  private noteWrites(statement: string): void {
    if (!mayWrite(statement)) return;
    const view = CREATE_VIEW.exec(stripComments(statement).trim());
    if (view) this.touch(view[1] ?? view[2].replace(/""/g, '"'));
    else this.epoch++;
  }

  /**
   * The source's stamp: this engine, the write epoch, and the version of every relation it may
   * read. A view's relations are found in its SQL text, transitively: every relation whose name
   * occurs in it counts (more than it reads at worst, which only costs a rebuild). DuckDB's own
   * getTableNames fails on views with several columns, so it cannot be used here.
   */
  private async stampOf(source: string): Promise<string | null> {
    return (await this.stampAndTables(source)).stamp;
  }

  /** `stampOf(source)` and the lower-case names of all tables, from one catalog query. */
  private async stampAndTables(source: string): Promise<{ stamp: string | null; tables: Set<string> }> {
    const rels = await this.rows(
      `SELECT lower(table_name) AS name, NULL AS sql FROM duckdb_tables()
      UNION ALL SELECT lower(view_name) AS name, lower(sql) AS sql FROM duckdb_views() WHERE NOT internal`,
    );
    const views = new Map<string, string>();
    const names = new Set<string>();
    const tables = new Set<string>();
    for (const r of rels) {
      names.add(String(r.name));
      if (r.sql != null) views.set(String(r.name), String(r.sql));
      else tables.add(String(r.name));
    }
    const start = source.toLowerCase();
    if (!names.has(start)) return { stamp: null, tables };
    const seen = new Set<string>([start]);
    const todo = [start];
    while (todo.length) {
      const sql = views.get(todo.pop()!);
      if (sql === undefined) continue;
      for (const n of names) {
        // A quoted name in the view's text has its double quotes doubled.
        if (!seen.has(n) && (sql.includes(n) || sql.includes(n.replaceAll('"', '""')))) {
          seen.add(n);
          todo.push(n);
        }
      }
    }
    // A cell's result table changes only with a run of the cell, which touches the cell's name.
    const parts = [...new Set([...seen].map((n) => (n.startsWith(CELL_PREFIX) ? n.slice(CELL_PREFIX.length) : n)))]
      .sort()
      .map((n) => `${n}@${this.versions.get(n) ?? 0}`);
    return { stamp: JSON.stringify([this.instance, this.epoch, parts]), tables };
  }

  /** Runs operations one at a time; a cancel applies to the operation running when it arrives. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const start = () => {
      this.cancelRequested = false;
      return work();
    };
    const next = this.queue.then(start, start);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs one statement as a pending query, polling so cancel and progress messages get through. */
  private async run(sql: string, onProgress?: ProgressFn, phase: Progress['phase'] = 'query', shownSql = sql): Promise<Uint8Array> {
    const { bindings: b } = this.deps;
    const t0 = this.deps.now();
    let lastReport = t0;
    let header: Uint8Array | null;
    try {
      header = b.startPendingQuery(this.conn, sql, false);
      while (header == null) {
        await this.deps.yieldToEvents();
        if (this.cancelRequested) {
          b.cancelPendingQuery(this.conn);
          throw new CancelledError();
        }
        const now = this.deps.now();
        if (onProgress && now - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = now;
          onProgress({ phase, fraction: null, elapsedMs: now - t0 });
        }
        header = b.pollPendingQuery(this.conn);
      }
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      throw new QueryError(cleanDuckDBMessage(e), shownSql);
    }
    const chunks: Uint8Array[] = [header];
    for (;;) {
      const batch = b.fetchQueryResults(this.conn);
      if (!batch || batch.length === 0) break;
      chunks.push(batch);
    }
    return concatBytes(chunks);
  }

  private runNow(sql: string): Uint8Array {
    return this.deps.bindings.runQuery(this.conn, sql);
  }

  private async runQuiet(sql: string): Promise<void> {
    try {
      await this.run(sql);
    } catch {
      /* cleanup only */
    }
  }

  private async rows(sql: string): Promise<Record<string, unknown>[]> {
    return tableFromIPC(await this.run(sql))
      .toArray()
      .map((r) => r.toJSON() as Record<string, unknown>);
  }

  private async count(relation: string): Promise<number> {
    const [row] = await this.rows(`SELECT count(*)::DOUBLE AS n FROM ${ident(relation)}`);
    return Number(row.n);
  }

  private async describe(relation: string): Promise<ColumnInfo[]> {
    const rows = await this.rows(`DESCRIBE ${ident(relation)}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  private async listRelations(): Promise<RelationInfo[]> {
    const rows = await this.rows(`
      SELECT c.table_name AS name, t.kind AS kind, list(c.column_name ORDER BY c.column_index) AS names,
             list(c.data_type ORDER BY c.column_index) AS types
      FROM duckdb_columns() c
      JOIN (SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()
            UNION ALL
            SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()) t
        ON t.name = c.table_name
      WHERE c.schema_name = 'main' AND c.database_name = current_database() AND NOT starts_with(c.table_name, ${str(INTERNAL_PREFIX)})
      GROUP BY ALL ORDER BY kind, name`);
    return rows.map((r) => {
      const names = [...(r.names as Iterable<string>)];
      const types = [...(r.types as Iterable<string>)];
      return { name: String(r.name), kind: r.kind as 'table' | 'view', rows: null, columns: names.map((n, i) => ({ name: n, type: types[i] })) };
    });
  }

  /** Names of the loaded tables and views, without binding any view (listRelations binds each: slow with many cells). */
  private async relationNames(): Promise<string[]> {
    const where = `NOT internal AND schema_name = 'main' AND database_name = current_database() AND NOT starts_with(name, ${str(INTERNAL_PREFIX)})`;
    const rows = await this.rows(
      `SELECT name FROM (SELECT table_name AS name, internal, schema_name, database_name FROM duckdb_tables()
        UNION ALL SELECT view_name, internal, schema_name, database_name FROM duckdb_views()) WHERE ${where}`,
    );
    return rows.map((r) => String(r.name));
  }

  /** Appends `_data` to names DuckDB treats as keywords, so `FROM name` works unquoted. */
  private async notKeyword(name: string): Promise<string> {
    const [r] = await this.rows(`SELECT count(*)::INT AS n FROM duckdb_keywords() WHERE keyword_name = ${str(name.toLowerCase())} AND keyword_category <> 'unreserved'`);
    return Number(r.n) > 0 ? `${name}_data` : name;
  }

  private async isCellView(name: string): Promise<boolean> {
    const rows = await this.rows(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = ${str(cellTable(name))}`);
    return Number(rows[0].n) > 0;
  }

  private async dropCellObjects(name: string): Promise<void> {
    await this.runQuiet(`DROP VIEW IF EXISTS ${ident(name)}`);
    await this.runQuiet(`DROP TABLE IF EXISTS ${ident(cellTable(name))}`);
  }

  /**
   * Loads a Parquet file a part (row group) at a time: each part's Arrow goes into the table as it
   * is decoded, so neither the file nor its whole decoded form is held in memory, and the table's
   * least size (from the footer's row count and the column types) is checked against the memory
   * left before any row is read.
   */
  private async loadParquetParts(src: FileSource, table: string, onProgress: ProgressFn | undefined, t0: number): Promise<void> {
    const data = src.file ?? new Blob([src.bytes as Uint8Array<ArrayBuffer>]);
    if (!startsWith(new Uint8Array(await data.slice(0, 4).arrayBuffer()), 'PAR1')) throw new IngestError(t('msg.ingest.notParquet', { file: src.name }));
    let reader: ParquetReader;
    try {
      reader = await this.deps.openParquet!(data);
    } catch (e) {
      throw new IngestError(t('msg.ingest.parquetUnreadable', { file: src.name, message: cleanDuckDBMessage(e) }));
    }
    const tmp = `${INTERNAL_PREFIX}_load_${++this.fileSeq}`;
    let parts: AsyncIterator<{ ipc: Uint8Array; rows: number }> | null = null;
    try {
      checkFits(src.name, reader.rows, tableBytesAtLeast(reader.rows, reader.types), await this.memoryFacts(), formatBytes);
      let done = 0;
      let first = true;
      parts = reader.parts()[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<{ ipc: Uint8Array; rows: number }>;
        try {
          next = await parts.next();
        } catch (e) {
          throw new IngestError(t('msg.ingest.parquetUnreadable', { file: src.name, message: cleanDuckDBMessage(e) }));
        }
        if (next.done) break;
        try {
          this.deps.bindings.insertArrowFromIPCStream(this.conn, next.value.ipc, { name: tmp, create: first });
        } catch (e) {
          throw new IngestError(t('msg.ingest.insertFailed', { file: src.name, message: cleanDuckDBMessage(e) }));
        }
        first = false;
        done += next.value.rows;
        // Every row the footer counts is in: no round trip to the decoder to hear that the stream has ended.
        if (done >= reader.rows) break;
        onProgress?.({ phase: 'loading', fraction: done / Math.max(1, reader.rows), elapsedMs: this.deps.now() - t0 });
        // Lets a cancel through between parts.
        await this.deps.yieldToEvents();
        if (this.cancelRequested) throw new CancelledError();
      }
      // Ends the stream here; the decoder's own end-of-stream read is not waited for.
      await parts.return?.(undefined);
      await this.run(`ALTER TABLE ${ident(tmp)} RENAME TO ${ident(table)}`);
    } catch (e) {
      // Stopped early (cancel, a failed insert): stop decoding before the file is freed.
      await parts?.return?.(undefined).catch(() => undefined);
      await this.runQuiet(`DROP TABLE IF EXISTS ${ident(tmp)}`);
      throw e;
    } finally {
      reader.close();
    }
  }

  /** What DuckDB holds now and may hold at most, and the device's memory when the browser tells it. */
  private async memoryFacts(): Promise<MemoryFacts> {
    const [r] = await this.rows(
      `SELECT (SELECT sum(memory_usage_bytes) FROM duckdb_memory())::DOUBLE AS used, current_setting('memory_limit')::VARCHAR AS lim`,
    );
    return { usedBytes: Number(r.used ?? 0), limitBytes: parseMemoryLimit(String(r.lim ?? '')) ?? WASM_MAX_BYTES, deviceBytes: deviceMemoryBytes() };
  }

  private async insertArrow(ipc: Uint8Array, table: string, fileName: string): Promise<void> {
    const tmp = `${INTERNAL_PREFIX}_load_${++this.fileSeq}`;
    try {
      this.deps.bindings.insertArrowFromIPCStream(this.conn, ipc, { name: tmp, create: true });
    } catch (e) {
      throw new IngestError(t('msg.ingest.insertFailed', { file: fileName, message: cleanDuckDBMessage(e) }));
    }
    await this.run(`ALTER TABLE ${ident(tmp)} RENAME TO ${ident(table)}`);
  }

  private readAll(src: FileSource): Uint8Array {
    if (src.bytes) return src.bytes;
    if (src.file && this.deps.readBlob) return this.deps.readBlob(src.file, 0, src.size);
    throw new IngestError(t('msg.ingest.unavailable', { file: src.name }));
  }

  private registerPath(loaded: LoadedFile, src: FileSource, bytes: Uint8Array | null): string {
    const safe = src.name.replace(/[^\p{L}\p{N}._-]+/gu, '_');
    const path = `${FILE_ROOT}${++this.fileSeq}-${safe}`;
    const b = this.deps.bindings;
    if (bytes) b.registerFileBuffer(path, bytes);
    else if (src.bytes) b.registerFileBuffer(path, src.bytes);
    else if (src.file && this.deps.blobProtocol !== undefined) b.registerFileHandle(path, src.file, this.deps.blobProtocol, true);
    else throw new IngestError(t('msg.ingest.unavailable', { file: src.name }));
    loaded.paths.push(path);
    return path;
  }

  private dropPaths(paths: string[]): void {
    for (const p of paths) {
      try {
        this.deps.bindings.dropFile(p);
      } catch {
        /* already gone */
      }
    }
  }

  private csvHost(loaded: LoadedFile, onProgress: ProgressFn | undefined, t0: number) {
    return {
      read: (src: FileSource, start: number, end: number): Uint8Array => {
        if (src.bytes) return src.bytes.subarray(start, Math.min(end, src.bytes.length));
        if (src.file && this.deps.readBlob) return this.deps.readBlob(src.file, start, Math.min(end, src.size));
        throw new IngestError(t('msg.ingest.unavailable', { file: src.name }));
      },
      register: (src: FileSource, bytes: Uint8Array | null) => this.registerPath(loaded, src, bytes),
      run: (sql: string, size: number) => {
        this.deps.resetBytesRead?.();
        const tick: ProgressFn | undefined = onProgress
          ? (p) => {
              const read = this.deps.bytesRead?.() ?? 0;
              onProgress({ phase: 'loading', fraction: read > 0 && size > 0 ? Math.min(0.99, read / size) : null, elapsedMs: p.elapsedMs });
            }
          : undefined;
        return this.run(sql, tick, 'loading');
      },
      rows: (sql: string) => this.rows(sql),
      progress: (fraction: number) => onProgress?.({ phase: 'decoding', fraction, elapsedMs: this.deps.now() - t0 }),
      /** Refuses the file before its rows are read when a table of about `rows` rows of these types cannot fit. */
      checkMemory: async (file: string, rows: number, types: string[]) => checkFits(file, rows, tableBytesAtLeast(rows, types), await this.memoryFacts(), formatBytes),
    };
  }
}

/** What loadCsv needs from the engine. */
export type CsvHost = ReturnType<EngineCore['csvHost']>;

const CELL_PREFIX = `${INTERNAL_PREFIX}_cell_`;
/** Words that make a statement starting like a query write all the same (e.g. WITH ... INSERT). */
const WRITE_WORD = /\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|DETACH|IMPORT|TRUNCATE|CHECKPOINT|LOAD|INSTALL|SET|RESET|USE|CALL|PRAGMA)\b/i;
/** Whether a statement may change data: anything but a query, or a query with a writing word outside its literals. */
function mayWrite(statement: string): boolean {
  const head = stripComments(statement).trim();
  if (resultShape(head) === 'statement') return true;
  return WRITE_WORD.test(head.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""'));
}

/** CREATE [OR REPLACE] [TEMP] VIEW name AS SELECT ... (a plain or quoted name, nothing else in the head). */
const CREATE_VIEW = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"]|"")+)")\s+AS\s+(?:SELECT|WITH|FROM)\b/i;

/** The internal table that holds a cell's result. */
export function cellTable(name: string): string {
  return `${CELL_PREFIX}${name.toLowerCase()}`;
}

function displayExpr(c: ColumnInfo): string {
  const t = c.type.toUpperCase();
  const asText = /^(DECIMAL|HUGEINT|UHUGEINT|INTERVAL|UUID|BLOB|BIT|TIME|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)|[\[\]]|^(STRUCT|MAP|UNION|ENUM)/.test(t);
  return asText ? `${ident(c.name)}::VARCHAR AS ${ident(c.name)}` : ident(c.name);
}

function describeLoadError(e: unknown): string {
  const msg = cleanDuckDBMessage(e);
  return msg.length > 600 ? `${msg.slice(0, 600)}…` : msg;
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic.charCodeAt(i)) return false;
  return true;
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Bytes as a short human string (e.g. 1.5 GB). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(n >= 10 || i === 0 ? 0 : 1)} ${units[i]}`;
}
