/**
 * A report as plain data: what `reportHtml` turns into one self-contained HTML file. Everything
 * here is text (already in the report's language) or numbers; charts are SVG markup serialised
 * from the page. Nothing here touches the DOM or the engine.
 */
import type { Locale } from '../i18n';

/** A table of text cells. `numeric[i]` right-aligns column i. */
export interface ReportTable {
  caption?: string;
  head: string[];
  rows: string[][];
  foot?: string[][];
  numeric?: boolean[];
  /** A line under the table (e.g. "the first 500 of 2,000 rows"). */
  note?: string;
}

/** A chart: SVG markup (an `<svg>`, or Plot's `<figure>` holding its legend and `<svg>`). */
export interface ReportChart {
  title?: string;
  svg: string;
}

/** How a cell's segments are defined: notes (scoring, references) and a table of rules with actions. */
export interface ReportDefinitions {
  notes: string[];
  table: ReportTable | null;
  /** A segment builder's conditions as a sentence. */
  conditions?: string;
}

/** One cell of the notebook in the report. */
export interface ReportSection {
  /** The cell's name (the user's text). */
  name: string;
  /** The cell's kind in the report's language. */
  kind: string;
  /** A notes cell's Markdown (rendered safely, raw HTML escaped). */
  markdown?: string;
  /** Short facts shown under the title (as-of date, customers, model…). */
  facts: { label: string; value: string }[];
  charts: ReportChart[];
  /** Summary tables as shown in the cell. */
  tables: ReportTable[];
  definitions: ReportDefinitions | null;
  /** Row-level customer data: only when the user ticked it in. */
  customerTables: ReportTable[];
  /** How many lists of customers the cell shows that were left out (not ticked in). */
  customersLeftOut?: number;
  /** The SQL behind the result, for the appendix. */
  sql: string | null;
  /** False when the cell has no result to show. */
  ran: boolean;
}

/** Size and revenue of one segment at the earlier and the later date. */
export interface ComparisonRow {
  segment: string;
  customersThen: number;
  customersNow: number;
  revenueThen: number;
  revenueNow: number;
}

/** Customers moving between segments: `counts[i][j]` from `rows[i]` (earlier) to `columns[j]` (later). */
export interface MovementTable {
  rows: string[];
  columns: string[];
  counts: number[][];
}

/** The comparison of the as-of date with an earlier one. */
export interface ReportComparison {
  /** The RFM cell whose segments are compared. */
  basis: string;
  from: string;
  to: string;
  sizes: ComparisonRow[];
  matrix: MovementTable;
  /** Labels for the matrix's (new) and (departed) rows/columns, and for segment names. */
  label: (segment: string) => string;
  /** The SQL of both, for the appendix. */
  sql: string;
  /** Charts of both (customers then and now; the flows), when they could be drawn. */
  charts?: { sizes?: ReportChart; flows?: ReportChart };
}

/** The whole report. */
export interface ReportDoc {
  title: string;
  lang: Locale;
  /** yyyy-mm-dd the report was made. */
  generatedOn: string;
  dataPeriod: { from: string; to: string; note?: string } | null;
  asOf: string | null;
  includeCustomers: boolean;
  /** The most customer rows per list (when included). */
  maxRows: number;
  sections: ReportSection[];
  comparison: ReportComparison | { error: string } | null;
}
