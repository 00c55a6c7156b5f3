/**
 * Predicted lifetime value as SQL around the worker's model fit: the settings, the calibration and
 * holdout dates, the per-customer model inputs (x, t_x, T, mbar), the per-customer result view and
 * the small summaries the page shows (distributions, quantiles, CLV by segment).
 *
 * Definitions (as `summarizeOrders` in workers/clv/summarize.ts, which the unit tests compare with):
 * - Purchases: rows with customer id, date and amount present and readable and amount >= 0.
 *   Refunds (amount < 0) are left out: the models describe purchases. Orders of one customer on the
 *   same day are one purchase whose value is their sum.
 * - Dates: as_of = the spec's date, else the day after the last purchase. The spec's
 *   `calibrationEnd` is the last day of calibration, inclusive (issue 14: the paper's 1997-09-30
 *   for CDNOW); internally `ClvDates.calibrationEnd` is the day after it, an exclusive bound. The
 *   calibration period is every purchase before that bound (default bound: as_of, or as_of minus
 *   the holdout when there is one); the holdout period is [bound, bound + holdout). Customers
 *   whose first purchase is in the holdout are not in the cohort.
 * - x = purchase days after the first within calibration; t_x = last of them - first; T =
 *   (calibrationEnd - 1 day) - first, i.e. the age at the end of the last calibration day; t_x and T
 *   in the chosen unit (weeks = days / 7). mbar = mean value of the x repeat purchases (the first is
 *   excluded), 0 when x = 0. holdout_x and holdout_value: purchase days and their value in the
 *   holdout period.
 */
import { date, ident, num, str } from '../sql/quote';
import { addDays, daysBetween, isIsoDay, ordersCte, type OrdersSource, type SpecProblem } from './orders-source';
import { CHURN_BANDS, churnRiskSql, nextOrderSql, validChurnBands, type ChurnBands, type ClvModel } from './clv-predict-sql';
import { histogramBinsSql } from './rfm-views';

/** The model's time unit. */
export type ClvUnit = 'days' | 'weeks';

/** Everything a CLV run needs. */
export interface ClvSpec extends OrdersSource {
  /** Time unit of t_x, T, the horizon and the holdout. */
  unit: ClvUnit;
  /** yyyy-mm-dd: purchases before it are used; null = the day after the last purchase. */
  asOf: string | null;
  /** Holdout length in `unit`; 0 = no holdout (fit on everything before as-of). */
  holdout: number;
  /**
   * yyyy-mm-dd: the last day of calibration, inclusive (purchases on or before it calibrate the
   * model); null = the day before as-of minus the holdout. Notebooks before version 2 stored the
   * exclusive day after it and are migrated on read.
   */
  calibrationEnd: string | null;
  /** Prediction horizon in `unit` (e.g. 52 weeks). */
  horizon: number;
  /** Annual discount rate as a fraction (0.1 = 10 % a year); 0 = no discounting. */
  discountRate: number;
  /** The purchase model behind the predictions (the other is fitted too, for comparison). Notebooks without it: BG/NBD. */
  model: ClvModel;
  /** P(alive) cut points of the churn-risk band (see clv-predict-sql.ts). */
  churnBands: ChurnBands;
}

/** Default settings besides the source and roles: weeks, a one-year horizon, no holdout, no discounting, BG/NBD, bands 0.3 / 0.7. */
export const CLV_DEFAULTS: Omit<ClvSpec, keyof OrdersSource> = {
  unit: 'weeks',
  asOf: null,
  holdout: 0,
  calibrationEnd: null,
  horizon: 52,
  discountRate: 0,
  model: 'bgnbd',
  churnBands: CHURN_BANDS,
};

/** Days per unit. */
export function unitDays(unit: ClvUnit): number {
  return unit === 'weeks' ? 7 : 1;
}

/** Units per year (for discounting by an annual rate). */
export function unitsPerYear(unit: ClvUnit): number {
  return 365.25 / unitDays(unit);
}

/** Problems with the settings that need no data. */
export function validateClvSpec(spec: ClvSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const value of [spec.asOf, spec.calibrationEnd]) {
    if (value !== null && !isIsoDay(value)) problems.push({ key: 'clv.err.badDate', params: { value } });
  }
  const maxUnits = 36500 / unitDays(spec.unit);
  if (!(Number.isFinite(spec.horizon) && spec.horizon > 0 && spec.horizon <= maxUnits)) problems.push({ key: 'clv.err.horizon', params: { max: Math.floor(maxUnits) } });
  if (!(Number.isFinite(spec.holdout) && spec.holdout >= 0 && spec.holdout <= maxUnits && Number.isInteger(spec.holdout * unitDays(spec.unit)))) {
    problems.push({ key: 'clv.err.holdout' });
  }
  if (!(Number.isFinite(spec.discountRate) && spec.discountRate >= 0 && spec.discountRate < 10)) problems.push({ key: 'clv.err.discount' });
  if (!validChurnBands(spec.churnBands)) problems.push({ key: 'clv.err.bands' });
  if (spec.asOf && spec.calibrationEnd && isIsoDay(spec.asOf) && isIsoDay(spec.calibrationEnd) && spec.calibrationEnd >= spec.asOf) {
    problems.push({ key: 'clv.err.calibrationAfterAsOf', params: { calibrationEnd: spec.calibrationEnd, asOf: spec.asOf } });
  }
  return problems;
}

/**
 * The dates of a run: calibration end and holdout end as exclusive bounds (the SQL and the task
 * use them), and the same periods as their inclusive last days (what the user sees and types).
 */
export interface ClvDates {
  asOf: string;
  /** The day after the last calibration day (exclusive bound). */
  calibrationEnd: string;
  /** The day after the last holdout day (exclusive bound); null without a holdout. */
  holdoutEnd: string | null;
  /** The last day of calibration (inclusive). */
  calibrationLast: string;
  /** The last day of the holdout (inclusive); null without a holdout. */
  holdoutLast: string | null;
}

/**
 * The run's dates from the settings and the data's day after the last purchase (`dayAfterLast`,
 * used when as-of is automatic): calibration end = the day after the setting's last calibration
 * day, else as-of minus the holdout; holdout end = calibration end plus the holdout.
 */
export function clvDates(spec: ClvSpec, dayAfterLast: string): ClvDates {
  const asOf = spec.asOf ?? dayAfterLast;
  const holdoutDays = Math.round(spec.holdout * unitDays(spec.unit));
  const calibrationEnd = spec.calibrationEnd ? addDays(spec.calibrationEnd, 1) : addDays(asOf, -holdoutDays);
  const holdoutEnd = holdoutDays > 0 ? addDays(calibrationEnd, holdoutDays) : null;
  return { asOf, calibrationEnd, holdoutEnd, calibrationLast: addDays(calibrationEnd, -1), holdoutLast: holdoutEnd ? addDays(holdoutEnd, -1) : null };
}

/** A period of a run as the user reads it: first and last day (both included), its length in days and in the unit. */
export interface ClvPeriod {
  from: string;
  to: string;
  days: number;
  units: number;
}

/**
 * The calibration period (from the first purchase `first` to the last calibration day) and the
 * holdout period (null without one) of a run, with their lengths in days and in `unit`.
 */
export function clvPeriods(dates: ClvDates, first: string, unit: ClvUnit): { calibration: ClvPeriod; holdout: ClvPeriod | null } {
  const period = (from: string, endExclusive: string): ClvPeriod => {
    const days = daysBetween(from, endExclusive);
    return { from, to: addDays(endExclusive, -1), days, units: days / unitDays(unit) };
  };
  return {
    calibration: period(first, dates.calibrationEnd),
    holdout: dates.holdoutEnd ? period(dates.calibrationEnd, dates.holdoutEnd) : null,
  };
}

/**
 * One SELECT with the model inputs per customer in the cohort: customer_id, x, t_x, T, mbar
 * (DOUBLE), holdout_x, holdout_value (0 without a holdout), first_purchase (DATE); sorted by
 * customer id unless `ordered` is false (the worker numbers the rows itself and skips the sort).
 * See the module comment.
 */
export function clvSummarySql(spec: OrdersSource & { unit: ClvUnit }, dates: Pick<ClvDates, 'calibrationEnd' | 'holdoutEnd'>, ordered = true): string {
  const cal = date(dates.calibrationEnd);
  const end = date(dates.holdoutEnd ?? dates.calibrationEnd);
  const per = num(unitDays(spec.unit));
  const inCal = `FILTER (WHERE day < ${cal})`;
  const inHoldout = `FILTER (WHERE day >= ${cal})`;
  return `WITH
${ordersCte('clv_source', spec)},
clv_days AS (
  SELECT customer_id, order_date AS day, sum(amount) AS value
  FROM clv_source
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount >= 0 AND order_date < ${end}
  GROUP BY customer_id, order_date
),
clv_customers AS (
  SELECT customer_id,
    min(day) ${inCal} AS first_day,
    max(day) ${inCal} AS last_day,
    count(*) ${inCal} AS days,
    sum(value) ${inCal} AS total,
    arg_min(value, day) ${inCal} AS first_value,
    count(*) ${inHoldout} AS holdout_x,
    coalesce(sum(value) ${inHoldout}, 0) AS holdout_value
  FROM clv_days
  GROUP BY customer_id
)
SELECT customer_id,
  CAST(days - 1 AS DOUBLE) AS x,
  CAST(last_day - first_day AS DOUBLE) / ${per} AS t_x,
  CAST((${cal} - 1) - first_day AS DOUBLE) / ${per} AS "T",
  CASE WHEN days > 1 THEN CAST((total - first_value) / (days - 1) AS DOUBLE) ELSE 0 END AS mbar,
  CAST(holdout_x AS DOUBLE) AS holdout_x,
  CAST(holdout_value AS DOUBLE) AS holdout_value,
  first_day AS first_purchase
FROM clv_customers
WHERE first_day IS NOT NULL${ordered ? '\nORDER BY customer_id' : ''}`;
}

/** What the result view needs besides the two tables: the last calibration day, the unit, the horizon and the bands. */
export interface ClvResultContext {
  calibrationLast: string;
  unit: ClvUnit;
  horizon: number;
  churnBands: ChurnBands;
}

/**
 * The per-customer result: the model inputs table `inputs` (a `clvSummarySql` result with a row
 * index `i`) joined with the worker's predictions `predictions` (i, p_alive, expected_purchases,
 * p_order, next_wait, expected_aov, clv), highest CLV first, with the churn-risk band and the next
 * order date and its source (clv-predict-sql.ts). Money is rounded to cents; a prediction that is
 * not a finite number (e.g. expected spend when the Gamma-Gamma q <= 1) becomes NULL.
 */
export function clvResultSql(inputs: string, predictions: string, ctx: ClvResultContext): string {
  const finite = (e: string, digits?: number) => `CASE WHEN isfinite(${e}) THEN ${digits === undefined ? e : `round(${e}, ${num(digits)})`} END`;
  const next = nextOrderSql({ calibrationLast: ctx.calibrationLast, unitDays: unitDays(ctx.unit), horizonDays: ctx.horizon * unitDays(ctx.unit) });
  return `SELECT s.customer_id,
  CAST(s.x AS INTEGER) AS frequency,
  round(s.t_x, 4) AS recency,
  round(s."T", 4) AS age,
  round(s.mbar, 2) AS avg_repeat_value,
  ${finite('p.p_alive', 6)} AS p_alive,
  ${churnRiskSql('p.p_alive', ctx.churnBands)} AS churn_risk,
  ${finite('p.expected_purchases', 4)} AS expected_purchases,
  ${finite('p.p_order', 6)} AS p_order,
  ${next.date} AS next_order_date,
  ${next.source} AS next_order_source,
  ${finite('p.expected_aov', 2)} AS expected_aov,
  ${finite('p.clv', 2)} AS clv
FROM ${ident(inputs)} s
JOIN ${ident(predictions)} p ON p.i = s.i
ORDER BY CASE WHEN isfinite(p.clv) THEN p.clv END DESC NULLS LAST, s.customer_id`;
}

/**
 * A histogram of a numeric column with its top tail folded into one bin: values up to the `clip`
 * quantile (quantile_disc) fall into `bins` equal bins from `lo` (the minimum, or the given fixed
 * lower bound); values above it form one last bin flagged `overflow`. With `fixed` = [lo, hi] the
 * bins span exactly that range and nothing is folded. Rows: bin, bin_start, bin_end, customers,
 * overflow (every bin listed; none when there are no values). Same shape as the RFM histograms.
 */
export function foldedHistogramSql(view: string, column: string, bins: number, clip = 0.95, fixed?: [number, number]): string {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`invalid bin count: ${bins}`);
  if (!(clip > 0 && clip <= 1)) throw new Error(`invalid clip quantile: ${clip}`);
  const b = num(bins);
  const bounds = fixed
    ? `SELECT CAST(${num(fixed[0])} AS DOUBLE) AS lo, CAST(${num(fixed[1])} AS DOUBLE) AS cap, CAST(${num(fixed[1])} AS DOUBLE) AS hi, count(*) AS n FROM hist_values`
    : `SELECT min(v) AS lo, CAST(quantile_disc(v, ${num(clip)}) AS DOUBLE) AS cap, max(v) AS hi, count(*) AS n FROM hist_values`;
  return `WITH
hist_values AS (
  SELECT CAST(${ident(column)} AS DOUBLE) AS v FROM ${ident(view)} WHERE ${ident(column)} IS NOT NULL AND isfinite(CAST(${ident(column)} AS DOUBLE))
),
hist_bounds AS (
  ${bounds}
),
hist_grid AS (
  SELECT lo, cap, hi, (cap - lo) / ${b} AS width, CASE WHEN cap = lo THEN 1 ELSE ${b} END AS nbins
  FROM hist_bounds WHERE n > 0
),
${histogramBinsSql({
    binOf: 'CASE WHEN width = 0 THEN 0 ELSE least(nbins - 1, greatest(0, CAST(floor((v - lo) / width) AS INTEGER))) END',
    overflowStart: 'g.cap',
    overflowEnd: 'g.hi',
    regularEnd: 'CASE WHEN b.bin = g.nbins - 1 THEN g.cap ELSE g.lo + (b.bin + 1) * g.width END',
  })}`;
}

/** Totals, means and medians of CLV, P(alive) and expected purchases, and the high-risk and next-order-due counts in a CLV view (one row). */
export function clvStatsSql(view: string): string {
  const v = ident(view);
  return `SELECT count(*) AS customers,
  count(clv) AS valued,
  CAST(sum(clv) AS DOUBLE) AS total_clv,
  avg(clv) AS mean_clv,
  quantile_cont(clv, 0.5) AS median_clv,
  quantile_cont(clv, 0.9) AS p90_clv,
  CAST(sum(expected_purchases) AS DOUBLE) AS total_expected_purchases,
  avg(p_alive) AS mean_p_alive,
  quantile_cont(p_alive, 0.5) AS median_p_alive,
  count(*) FILTER (WHERE p_alive < 0.5) AS likely_gone,
  count(*) FILTER (WHERE frequency > 0) AS repeat_customers,
  count(*) FILTER (WHERE churn_risk = 'high') AS high_risk,
  count(*) FILTER (WHERE next_order_source = 'model') AS next_due
FROM ${v}`;
}

/** A row of `clvStatsSql`. */
export interface ClvStatsRow {
  customers: number;
  valued: number;
  total_clv: number | null;
  mean_clv: number | null;
  median_clv: number | null;
  p90_clv: number | null;
  total_expected_purchases: number | null;
  mean_p_alive: number | null;
  median_p_alive: number | null;
  likely_gone: number;
  repeat_customers: number;
  /** Customers in the high churn-risk band. */
  high_risk: number;
  /** Customers with a next-order date from the model (at least even odds within the horizon). */
  next_due: number;
}

/** The label of CLV customers a segment view does not list. */
export const NO_SEGMENT = '(no segment)';

/**
 * CLV by segment: the CLV view left-joined on customer_id with `segmentView`'s `segmentColumn`
 * (customers it does not list are `NO_SEGMENT`): segment, customers, total_clv, avg_clv,
 * share_clv (fraction of 1), avg_p_alive, expected_purchases; largest total first.
 */
export function clvBySegmentSql(view: string, segmentView: string, segmentColumn: string): string {
  return `WITH
seg AS (SELECT customer_id, any_value(CAST(${ident(segmentColumn)} AS VARCHAR)) AS segment FROM ${ident(segmentView)} GROUP BY customer_id),
joined AS (
  SELECT coalesce(s.segment, ${str(NO_SEGMENT)}) AS segment, c.clv, c.p_alive, c.expected_purchases
  FROM ${ident(view)} c LEFT JOIN seg s ON s.customer_id = c.customer_id
),
total AS (SELECT sum(clv) AS all_clv FROM joined)
SELECT segment, count(*) AS customers, CAST(sum(clv) AS DOUBLE) AS total_clv, avg(clv) AS avg_clv,
  sum(clv) / nullif(any_value(all_clv), 0) AS share_clv,
  avg(p_alive) AS avg_p_alive, CAST(sum(expected_purchases) AS DOUBLE) AS expected_purchases
FROM joined CROSS JOIN total
GROUP BY segment
ORDER BY total_clv DESC NULLS LAST, segment`;
}

/** A row of `clvBySegmentSql`. */
export interface ClvSegmentRow {
  segment: string;
  customers: number;
  total_clv: number | null;
  avg_clv: number | null;
  share_clv: number | null;
  avg_p_alive: number | null;
  expected_purchases: number | null;
}

/** The columns of the CLV table and its export, in this order. */
export const CLV_COLUMNS = [
  'customer_id',
  'frequency',
  'recency',
  'age',
  'avg_repeat_value',
  'p_alive',
  'churn_risk',
  'expected_purchases',
  'p_order',
  'next_order_date',
  'next_order_source',
  'expected_aov',
  'clv',
] as const;

/** The whole CLV view for export: `CLV_COLUMNS`, highest CLV first (ties by id). */
export function clvExportSql(view: string): string {
  return `SELECT ${CLV_COLUMNS.map(ident).join(', ')} FROM ${ident(view)} ORDER BY clv DESC NULLS LAST, customer_id`;
}
