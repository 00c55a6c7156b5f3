/**
 * Reading an RFM result (the per-customer view `rfmSql` makes): the customer list of a segment for
 * paging and export, the value range behind each score, and histograms whose long tail is folded
 * into one last bin so the bulk of the customers stays readable. Also the row types of the RFM and
 * value queries as the page receives them.
 */
import { ident, num, str } from '../sql/quote';
import type { RfmMeasure } from './rfm-sql';

/** The columns of a customer export, in this order. */
export const RFM_EXPORT_COLUMNS = ['customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment'] as const;

/**
 * The customers of one segment (or all when `segment` is null) of an RFM view, with exactly
 * `columns` (the `RFM_EXPORT_COLUMNS` of the score model by default; the 8-type model has its
 * own), highest monetary first (ties by customer id, so pages are stable).
 */
export function rfmCustomersSql(view: string, segment: string | null, columns: readonly string[] = RFM_EXPORT_COLUMNS): string {
  const where = segment === null ? '' : `\nWHERE segment = ${str(segment)}`;
  return `SELECT ${columns.map(ident).join(', ')}
FROM ${ident(view)}${where}
ORDER BY monetary DESC, customer_id`;
}

/** A statement (re)creating the view `name` over `rfmCustomersSql(view, segment, columns)`. */
export function rfmSelectionViewSql(name: string, view: string, segment: string | null, columns: readonly string[] = RFM_EXPORT_COLUMNS): string {
  return `CREATE OR REPLACE VIEW ${ident(name)} AS\n${rfmCustomersSql(view, segment, columns)}`;
}

/**
 * Whether a relation's columns are those of an RFM cell's result: a segment with the three scores
 * (the 11-segment model) or with the three high/low levels (the 8-type model).
 */
export function looksLikeRfmResult(columns: readonly { name: string }[]): boolean {
  const has = (n: string) => columns.some((c) => c.name === n);
  return has('segment') && (['r_score', 'f_score', 'm_score'].every(has) || ['r_high', 'f_high', 'm_high'].every(has));
}

/** The measures behind the three scores, in R, F, M order. */
export const RFM_SCORED_MEASURES = ['recency_days', 'frequency', 'monetary'] as const;

/** One of `RFM_SCORED_MEASURES`. */
export type RfmScoredMeasure = (typeof RFM_SCORED_MEASURES)[number];

/**
 * The values behind each score that occurs: rows (measure, score, customers, min_value, max_value)
 * for measure recency_days (score r_score), frequency (f_score) and monetary (m_score), ordered by
 * measure (R, F, M) and score descending. Scores no customer has are not listed.
 */
export function rfmScoreRangesSql(view: string): string {
  const v = ident(view);
  const part = (measure: RfmScoredMeasure, score: string, ord: number) =>
    `SELECT ${num(ord)} AS ord, ${str(measure)} AS measure, CAST(${ident(score)} AS INTEGER) AS score, count(*) AS customers,
    CAST(min(${ident(measure)}) AS DOUBLE) AS min_value, CAST(max(${ident(measure)}) AS DOUBLE) AS max_value
  FROM ${v} GROUP BY ${ident(score)}`;
  return `SELECT measure, score, customers, min_value, max_value FROM (
  ${part('recency_days', 'r_score', 0)}
  UNION ALL
  ${part('frequency', 'f_score', 1)}
  UNION ALL
  ${part('monetary', 'm_score', 2)}
)
ORDER BY ord, score DESC`;
}

/**
 * A histogram of one measure of an RFM view with the top tail folded: values up to the `clip`
 * quantile (quantile_disc, 0 < clip <= 1) are split into at most `bins` equal bins from the minimum;
 * values above it form one last bin flagged `overflow`. Rows: bin (0..), bin_start, bin_end,
 * customers, overflow; every bin is listed, empty or not; no rows when the view is empty.
 * recency_days and frequency (whole numbers): bins are [bin_start, bin_end) with whole-number
 * edges; the overflow bin is [cap + 1, max + 1). Other measures: bins are [bin_start, bin_end),
 * the last regular one including the cap; the overflow bin is (cap, max]; all values equal give
 * one bin.
 */
export function rfmHistogramSql(view: string, measure: RfmMeasure, bins = 20, clip = 0.95): string {
  if (!['recency_days', 'frequency', 'monetary', 'revenue'].includes(measure)) throw new Error(`invalid histogram measure: ${String(measure)}`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`invalid bin count: ${bins}`);
  if (!(clip > 0 && clip <= 1)) throw new Error(`invalid clip quantile: ${clip} (expected 0 < clip <= 1)`);
  const integer = measure === 'recency_days' || measure === 'frequency';
  const b = num(bins);
  const width = integer ? `greatest(1, ceil((cap - lo + 1) / ${b}))` : `(cap - lo) / ${b}`;
  const nbins = integer ? `CAST(floor((cap - lo) / width) AS INTEGER) + 1` : `CASE WHEN width = 0 THEN 1 ELSE ${b} END`;
  const binOf = integer
    ? `CAST(floor((v - lo) / width) AS INTEGER)`
    : `CASE WHEN width = 0 THEN 0 ELSE least(nbins - 1, CAST(floor((v - lo) / width) AS INTEGER)) END`;
  const overflowStart = integer ? 'g.cap + 1' : 'g.cap';
  const overflowEnd = integer ? 'g.hi + 1' : 'g.hi';
  const regularEnd = integer ? 'g.lo + (b.bin + 1) * g.width' : 'CASE WHEN b.bin = g.nbins - 1 THEN g.cap ELSE g.lo + (b.bin + 1) * g.width END';
  return `WITH
hist_values AS (
  SELECT CAST(${ident(measure)} AS DOUBLE) AS v FROM ${ident(view)} WHERE ${ident(measure)} IS NOT NULL
),
hist_bounds AS (
  SELECT min(v) AS lo, CAST(quantile_disc(v, ${num(clip)}) AS DOUBLE) AS cap, max(v) AS hi FROM hist_values
),
hist_width AS (
  SELECT lo, cap, hi, ${width} AS width FROM hist_bounds WHERE lo IS NOT NULL
),
hist_grid AS (
  SELECT lo, cap, hi, width, ${nbins} AS nbins FROM hist_width
),
${histogramBinsSql({ binOf, overflowStart, overflowEnd, regularEnd })}`;
}

/**
 * The end of a histogram query over CTEs hist_values (v) and hist_grid (lo, cap, hi, width, nbins):
 * every bin listed, values above cap in one last bin flagged `overflow`, as rows bin, bin_start,
 * bin_end, customers, overflow. The SQL expressions say how a value finds its bin and where bins end.
 */
export function histogramBinsSql(e: { binOf: string; overflowStart: string; overflowEnd: string; regularEnd: string }): string {
  return `hist_bins AS (
  SELECT CAST(unnest(range(0, nbins)) AS INTEGER) AS bin FROM hist_grid
  UNION ALL
  SELECT nbins FROM hist_grid WHERE hi > cap
),
hist_assigned AS (
  SELECT CASE WHEN v > cap THEN nbins ELSE ${e.binOf} END AS bin
  FROM hist_values CROSS JOIN hist_grid
),
hist_counts AS (
  SELECT bin, count(*) AS customers FROM hist_assigned GROUP BY bin
)
SELECT b.bin,
  CAST(CASE WHEN b.bin = g.nbins THEN ${e.overflowStart} ELSE g.lo + b.bin * g.width END AS DOUBLE) AS bin_start,
  CAST(CASE WHEN b.bin = g.nbins THEN ${e.overflowEnd} ELSE ${e.regularEnd} END AS DOUBLE) AS bin_end,
  coalesce(c.customers, 0) AS customers,
  b.bin = g.nbins AS overflow
FROM hist_bins b
CROSS JOIN hist_grid g
LEFT JOIN hist_counts c ON c.bin = b.bin
ORDER BY b.bin`;
}

/** A file-name-safe form of a segment name: "Can't Lose Them" -> "cant_lose_them" (letters of any script kept). */
export function segmentSlug(name: string): string {
  const slug = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return slug || 'segment';
}

/** A row of `rfmNotesSql`: what the computation used and left out. */
export interface RfmNotesRow {
  rows_total: number;
  rows_used: number;
  rows_null_customer: number;
  rows_null_date: number;
  rows_bad_date: number;
  rows_null_amount: number;
  rows_outside_window: number;
  rows_after_as_of: number;
  refunds_excluded: number;
  refunds_netted: number;
  refund_amount: number;
  customers: number;
  customers_without_purchase: number;
  as_of: string | null;
}

/** A row of `rfmSummarySql`. */
export interface RfmSummaryRow {
  segment: string;
  customers: number;
  pct_customers: number | null;
  revenue: number;
  pct_revenue: number | null;
  avg_recency: number | null;
  avg_frequency: number | null;
  avg_monetary: number | null;
}

/** A row of `rfmGridSql`. */
export interface RfmGridRow {
  r_score: number;
  f_score: number;
  customers: number;
  avg_monetary: number | null;
  segment: string | null;
  segment_share: number | null;
}

/** A row of `rfmHistogramSql`. */
export interface RfmHistogramBin {
  bin: number;
  bin_start: number;
  bin_end: number;
  customers: number;
  overflow: boolean;
}

/** A row of `rfmScoreRangesSql`. */
export interface RfmScoreRange {
  measure: RfmScoredMeasure;
  score: number;
  customers: number;
  min_value: number;
  max_value: number;
}

/** A row of `lorenzSql`. */
export interface LorenzPoint {
  point: number;
  customers: number;
  share_customers: number | null;
  share_revenue: number | null;
}

/** A row of `giniSql`. */
export interface GiniRow {
  gini: number | null;
  customers: number;
  revenue: number;
  negative_customers: number;
}

/** A row of `topShareSql`. */
export interface TopShareRow {
  pct: number;
  customers: number;
  share_revenue: number | null;
}

/** A row of `decilesSql`. */
export interface DecileRow {
  decile: number;
  customers: number;
  revenue: number;
  share_revenue: number | null;
  min_value: number;
  max_value: number;
  avg_value: number;
}

/** Cut points offered when a run gives none to start from: days, orders, money. */
export const FALLBACK_THRESHOLDS = { r: [30, 90, 180, 365], f: [1, 2, 4, 8], m: [100, 250, 500, 1000] } as const;

/**
 * Threshold cut points that reproduce a run's scores (for the values present), to start editing
 * from: R cuts are the largest recency of R 5, 4, 3 and 2; F and M cuts the largest value of scores
 * 1, 2, 3 and 4. A measure whose cuts are missing or not strictly ascending gets the fallback.
 */
export function thresholdsFromRanges(ranges: readonly RfmScoreRange[]): { r: number[]; f: number[]; m: number[] } {
  const maxOf = (measure: RfmScoredMeasure, score: number) => ranges.find((x) => x.measure === measure && x.score === score)?.max_value;
  const pick = (measure: RfmScoredMeasure, scores: number[], fallback: readonly number[]) => {
    const cuts = scores.map((s) => maxOf(measure, s));
    const ok = cuts.every((c, i) => c !== undefined && Number.isFinite(c) && (i === 0 || c > (cuts[i - 1] as number)));
    return ok ? cuts.map((c) => Math.round((c as number) * 100) / 100) : [...fallback];
  };
  return {
    r: pick('recency_days', [5, 4, 3, 2], FALLBACK_THRESHOLDS.r),
    f: pick('frequency', [1, 2, 3, 4], FALLBACK_THRESHOLDS.f),
    m: pick('monetary', [1, 2, 3, 4], FALLBACK_THRESHOLDS.m),
  };
}
