/**
 * What the benchmark measures: the workloads, the engines, the result rows and the targets.
 * Each engine has its own small registry of runnable workloads (segnote.ts, native.ts,
 * python.ts); a later issue adds a workload by adding one entry there and, if it has a target,
 * one line to TARGETS here.
 */

/** The workloads, in the order the table prints them. */
export const WORKLOADS = [
  'cold-start',
  'engine-start',
  'repeat-visit',
  'kept-results',
  'csv-ingest',
  'xlsx-ingest',
  'parquet-ingest',
  'rfm',
  'rfm-model',
  'rfm-rescore',
  'customer-view',
  'kmeans',
  'cluster-pca',
  'cluster-rules',
  'segment-filter',
  'clv',
  'clv-paretonbd',
  'peak-memory',
] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

/** Engine labels as they appear in results/latest.json. */
export type EngineName = 'segnote' | 'segnote-table' | 'segnote-plain' | 'wasm-compile-floor' | 'duckdb-wasm-bare' | 'duckdb-native-1t' | 'duckdb-native' | 'duckdb-native-1t-own-sql' | 'sklearn-1t' | 'pandas' | 'ml-pca' | 'ml-cart';

/** One line of results/latest.json: every timed run of one workload on one engine and size. */
export interface ResultRow {
  workload: WorkloadId;
  /** Order rows of the dataset (for cold start: the sample's order rows). */
  rows: number;
  engine: EngineName;
  /** Median of `runs`; null where the figure is not a time (peak-memory). */
  median_ms: number | null;
  /** Every timed run in milliseconds, in the order they ran; none is discarded. */
  runs: number[];
  /** Workload-specific facts (k-means inertia, peak RSS, result row counts). */
  [extra: string]: unknown;
}

/** What one workload entry returns: its timed runs plus facts worth keeping. */
export interface Measured {
  runs: number[];
  extra?: Record<string, unknown>;
}

/** A registry entry of one engine: runs `runs` times, or says why it cannot run yet. */
export interface EngineWorkload<Ctx> {
  workload: WorkloadId;
  engine: EngineName;
  /** When set, the workload is not run and this is printed instead. */
  skip?: string;
  measure(ctx: Ctx, runs: number): Promise<Measured>;
}

/** A performance target from issue 4. */
export type Target =
  | { workload: WorkloadId; sizes: number[] | 'all'; kind: 'ratio'; reference: EngineName; max: number; label: string }
  | { workload: WorkloadId; sizes: number[] | 'all'; kind: 'absolute'; maxMs: number; label: string }
  | { workload: WorkloadId; sizes: number[] | 'all'; kind: 'report'; label: string };

/** The 10M-order dataset holds ~1.04M customers: the "1M customers" size of the filter target. */
export const TARGETS: Target[] = [
  { workload: 'cold-start', sizes: 'all', kind: 'absolute', maxMs: 2000, label: '< 2 s' },
  // Issue 16: the first live result within 1.3x of fetching and compiling DuckDB's wasm alone.
  { workload: 'cold-start', sizes: 'all', kind: 'ratio', reference: 'wasm-compile-floor', max: 1.3, label: '<= 1.3x compile floor' },
  // Issue 16: a returning user's first live result within the floor, and the last visit's results on screen within 0.3x of it.
  { workload: 'repeat-visit', sizes: 'all', kind: 'ratio', reference: 'wasm-compile-floor', max: 1.0, label: '<= 1.0x compile floor' },
  { workload: 'kept-results', sizes: 'all', kind: 'ratio', reference: 'wasm-compile-floor', max: 0.3, label: '<= 0.3x compile floor' },
  // What is ours in a start: Segnote's first result (two tables loaded, a notebook run) beside
  // DuckDB-WASM's own start and SELECT 1 alone, which the compile floor leaves out.
  { workload: 'cold-start', sizes: 'all', kind: 'ratio', reference: 'duckdb-wasm-bare', max: 1.5, label: '<= 1.5x bare DuckDB-WASM' },
  { workload: 'repeat-visit', sizes: 'all', kind: 'ratio', reference: 'duckdb-wasm-bare', max: 1.5, label: '<= 1.5x bare DuckDB-WASM' },
  { workload: 'csv-ingest', sizes: 'all', kind: 'ratio', reference: 'duckdb-native-1t', max: 1.5, label: '<= 1.5x' },
  // Issue 13: the loader's checks (integer guards, the cleaning pass) cost at most 10 % of a plain sniffed read.
  { workload: 'csv-ingest', sizes: [1_000_000], kind: 'ratio', reference: 'segnote-plain', max: 1.1, label: '<= 1.1x' },
  // Issue 13: an Excel workbook's load beside native DuckDB reading the same rows as CSV.
  { workload: 'xlsx-ingest', sizes: [100_000], kind: 'report', label: 'report vs native CSV' },
  { workload: 'parquet-ingest', sizes: 'all', kind: 'ratio', reference: 'duckdb-native-1t', max: 1.5, label: '<= 1.5x' },
  { workload: 'rfm', sizes: [1_000_000, 10_000_000], kind: 'ratio', reference: 'duckdb-native-1t', max: 1.0, label: '<= 1.0x' },
  { workload: 'rfm', sizes: [1_000_000, 10_000_000], kind: 'ratio', reference: 'pandas', max: 1.0, label: '<= 1.0x' },
  // Issue 12: reading the orders through the clean purchases view costs at most 10 % of an RFM run.
  { workload: 'rfm-model', sizes: [1_000_000, 10_000_000], kind: 'ratio', reference: 'segnote-table', max: 1.1, label: '<= 1.1x' },
  // Issue 16: after a first run, a change of scoring, rules, model or monetary re-scores from the kept aggregates.
  { workload: 'rfm-rescore', sizes: [1_000_000], kind: 'absolute', maxMs: 150, label: '<= 150 ms' },
  { workload: 'rfm-rescore', sizes: [10_000_000], kind: 'absolute', maxMs: 600, label: '<= 600 ms' },
  { workload: 'kmeans', sizes: 'all', kind: 'ratio', reference: 'sklearn-1t', max: 1.0, label: '<= 1.0x' },
  // Our own PCA and rule tree stay only while they beat the libraries issue 6 names.
  { workload: 'cluster-pca', sizes: 'all', kind: 'ratio', reference: 'ml-pca', max: 1.0, label: '<= 1.0x' },
  { workload: 'cluster-rules', sizes: [100_000], kind: 'ratio', reference: 'ml-cart', max: 1.0, label: '<= 1.0x' },
  { workload: 'segment-filter', sizes: [10_000_000], kind: 'absolute', maxMs: 100, label: '< 100 ms' },
  // Issue 16: peak resident memory (summed over Chromium's processes) at 10M orders loaded and
  // segmented at most twice native DuckDB's (one thread, same work, its own process); no crash.
  { workload: 'peak-memory', sizes: [10_000_000], kind: 'ratio', reference: 'duckdb-native-1t', max: 2.0, label: '<= 2.0x; no crash' },
];

/** Median of a list (mean of the middle two for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `once` `runs` times in sequence and returns every elapsed time. */
export async function repeat(runs: number, once: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await once(i));
  return out;
}

/** Milliseconds rounded to 0.1. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}
