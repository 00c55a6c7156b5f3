/** Types shared by the engine worker and the page. Only `import type` this from src/. */

/** A column as DuckDB reports it. */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** A loaded table or a cell's result view. */
export interface RelationInfo {
  name: string;
  kind: 'table' | 'view';
  rows: number | null;
  columns: ColumnInfo[];
}

/** The input formats Segnote reads. */
export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'json' | 'xlsx';

/** User overrides for loading a file; everything optional. */
export interface LoadOptions {
  tableName?: string;
  delimiter?: string;
  header?: boolean;
  quote?: string;
  /** Skip rows that do not parse instead of failing the load. */
  skipBadRows?: boolean;
  /** Keep lines with fewer fields than the header, the missing fields left blank (DuckDB's null_padding). */
  padShortLines?: boolean;
  /** Force a text encoding instead of detecting it. */
  encoding?: string;
  /** Excel: the sheet to load (default: the first sheet with data). */
  sheet?: string;
  /** Leave every text column as read: no placeholder, number or date conversion. */
  keepText?: boolean;
  /**
   * Only DuckDB's sniffed read, none of Segnote's checks (integer guards, the cleaning pass): the
   * benchmark's reference for what those checks cost. Not offered in the interface.
   */
  plainRead?: boolean;
  /** Text columns to read as dates with a format the user picked (strptime codes, e.g. %d/%m/%Y). */
  dateFormats?: Record<string, string>;
}

/** What DuckDB's CSV sniffer decided. */
export interface CsvDetection {
  delimiter: string;
  quote: string;
  escape: string;
  hasHeader: boolean;
  dateFormat: string | null;
  timestampFormat: string | null;
  skipRows: number;
}

/** Something about a load that looks wrong, with the options that probably fix it. */
export interface LoadWarning {
  code: 'single-column' | 'quotes-ignored' | 'rows-skipped' | 'transcoded';
  message: string;
  fix?: LoadOptions;
}

/**
 * One conversion the loader made (or declined to make), shown in the table's details. The text is
 * the catalogue message `ingest.note.<code>` filled with `params`; `column` and `count` say where
 * and how many values.
 */
export interface LoadNote {
  code:
    | 'type-widened' | 'rows-skipped' | 'line-endings' | 'inner-bom' | 'transcoded'
    | 'placeholders' | 'guards' | 'numbers' | 'numeric' | 'integers' | 'long-ids' | 'mostly-numbers' | 'not-converted'
    | 'dates' | 'dates-ambiguous' | 'title-rows' | 'sheet' | 'sheets-other' | 'header-renamed' | 'repeated-header' | 'delimiter-retried' | 'lines-padded' | 'decimals';
  column?: string;
  count?: number;
  params: Record<string, string | number>;
}

/** A line of the file that was not loaded (only with "skip malformed rows"). */
export interface SkippedLine {
  line: number;
  reason: string;
  text: string;
}

/** The outcome of loading one file into a table. */
export interface LoadReport {
  table: string;
  fileName: string;
  format: FileFormat;
  rows: number;
  columns: ColumnInfo[];
  encoding: string | null;
  csv: CsvDetection | null;
  warnings: LoadWarning[];
  /** Every conversion made while loading, in order. */
  notes: LoadNote[];
  /** Lines left out with "skip malformed rows" (the first SKIPPED_LIST_LIMIT), and how many there were. */
  skipped?: { total: number; lines: SkippedLine[] };
  /** Excel: the sheets of the workbook, so another can be picked. */
  sheets?: string[];
  elapsedMs: number;
  options: LoadOptions;
  /** The URL the data came from, when added by URL. */
  url?: string;
}

/** A file handed to the engine: a browser File (registered without copying) or bytes. */
export interface FileSource {
  name: string;
  size: number;
  file?: Blob;
  bytes?: Uint8Array;
  /** Where the bytes were downloaded from, for data the user added by URL. */
  url?: string;
}

/** Progress of a long operation. `fraction` is null when unknown. */
export interface Progress {
  phase: 'reading' | 'decoding' | 'loading' | 'profiling' | 'query';
  fraction: number | null;
  elapsedMs: number;
}

/** A query result as Arrow IPC stream bytes. */
export interface QueryResult {
  ipc: Uint8Array;
  elapsedMs: number;
}

/** The outcome of running a SQL cell. */
export interface CellRunResult {
  /** 'rows': the result is a view named after the cell; 'statement': it produced no rows to keep. */
  kind: 'rows' | 'statement';
  rows: number;
  columns: ColumnInfo[];
  elapsedMs: number;
}

/** Per-column profile for the data panel. */
export interface ColumnProfile {
  name: string;
  type: string;
  nulls: number;
  distinct: number;
  distinctApprox: boolean;
  min: string | null;
  max: string | null;
  top: { value: string; count: number }[];
  histogram: { x0: number; x1: number; count: number }[];
  histogramKind: 'number' | 'date' | null;
}

/** Facts about the running engine. */
export interface EngineInfo {
  duckdbVersion: string;
  bundle: string;
}

/** A table for the engine to keep (see `EngineCore.keep`): its internal name, what it is kept for, and the SQL building it. */
export interface KeptTable {
  table: string;
  key: string;
  sql: string;
}

/** What `keep` did: per table (in order) whether it was rebuilt, the source's data stamp, the time taken. */
export interface KeepResult {
  rebuilt: boolean[];
  stamp: string | null;
  elapsedMs: number;
}
