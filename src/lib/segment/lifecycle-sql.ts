/**
 * Lifecycle stages and churn warnings as SQL: spec + rules -> one SELECT with a row per customer,
 * plus the notes, stage summary, gap histogram and churn-warning list over its result. Each
 * customer is judged against their own purchase rhythm, not one cutoff for everybody.
 *
 * Definitions (the unit tests work them out by hand):
 * - Rows: customer id, date and amount present and readable (read as RFM reads them), date before
 *   the as-of date. as-of: the rules' date, else the day after the last such row. A row with
 *   amount >= 0 is a purchase, amount < 0 a refund: refunds never count as purchases, they are
 *   netted in `revenue`. Customers with only refunds are left out (and counted in the notes).
 * - Purchase days p_1 < ... < p_n: the distinct days with a purchase (several orders on one day
 *   are one visit). Gaps g_i = p_i - p_(i-1) in days, i = 2..n.
 * - usual interval (repeat buyers, n >= 2) = max(median(g_2..g_n), minIntervalDays).
 *   store interval = max(median of g_2 over all repeat buyers, minIntervalDays): the store's usual
 *   time to a second purchase (NULL when nobody came back). One-time buyers (n = 1) are measured
 *   against it for cooling and at risk.
 * - days_since_last = as_of - p_n; tenure_days = as_of - p_1.
 * - A purchase p_i (i >= 2) is a return when g_i exceeded the lapse threshold of the history
 *   before it: g_i > lapsedFactor * max(median(g_2..g_(i-1)), minIntervalDays) when i >= 3, and
 *   g_2 > oneTimeLapsedDays (the customer was a one-time buyer until then). returned_on = the
 *   latest return.
 * - Stage, the first rule that matches:
 *     1 new          tenure_days <= newDays (first purchase within the window)
 *     2 lapsed       repeat buyer: days_since_last > lapsedFactor * usual interval;
 *                    one-time buyer: days_since_last > oneTimeLapsedDays
 *     3 at_risk      days_since_last > atRiskFactor * (usual interval, or the store interval)
 *     4 cooling      days_since_last > coolingFactor * (usual interval, or the store interval)
 *     5 reactivated  as_of - returned_on <= reactivatedDays (came back recently after a lapse)
 *     6 active       everyone else
 *   Thresholds are strict (a gap equal to k x interval is not yet past it); windows include their end.
 * - Churn warning (never for new or lapsed customers):
 *     overdue  a repeat buyer who is cooling or at risk (gap well past their own rhythm);
 *     slowing  purchase rate dropped against their own history: with W = slowdownWindowDays,
 *              tenure_days >= 2W, at least 2 purchase days before as_of - W ("earlier"), and
 *              recent / W < slowdownRatio * earlier / (tenure_days - W), where recent counts the
 *              purchase days in [as_of - W, as_of).
 *   warning_reason = 'overdue', 'slowing' or 'overdue, slowing'.
 * - revenue = net total (purchases + refunds) rounded to cents. annual_run_rate = max(0, revenue
 *   * 365 / max(tenure_days, 365)) rounded to cents: the yearly revenue of the relationship, not
 *   extrapolated from less than a year. value_at_stake = the customer's CLV from a CLV view when one
 *   is given (the run-rate for customers it does not cover), else the run-rate.
 */
import { date, ident, num, str } from '../sql/quote';
import { isIsoDay, ordersCte, type OrdersSource, type SpecProblem } from './orders-source';

/** The lifecycle stages, in the order the summary lists them. */
export const LIFECYCLE_STAGES = ['new', 'active', 'reactivated', 'cooling', 'at_risk', 'lapsed'] as const;

/** One lifecycle stage. */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** The editable rule parameters (see the module comment for how each is used). */
export interface LifecycleRules {
  /** A customer is new while their first purchase is at most this many days before as-of. */
  newDays: number;
  /** Floor on a customer's usual interval, in days (two orders a day apart are not a daily habit). */
  minIntervalDays: number;
  /** Cooling: gap > this x usual interval. */
  coolingFactor: number;
  /** At risk: gap > this x usual interval. */
  atRiskFactor: number;
  /** Lapsed: gap > this x usual interval (repeat buyers). */
  lapsedFactor: number;
  /** Lapsed: gap > this many days (one-time buyers); also what made a one-time buyer's return a return. */
  oneTimeLapsedDays: number;
  /** Reactivated: the customer's return was at most this many days before as-of. */
  reactivatedDays: number;
  /** The recent window of the "slowing" warning, in days. */
  slowdownWindowDays: number;
  /** Slowing: recent purchase rate < this x the earlier rate. */
  slowdownRatio: number;
}

/** The default rules. */
export const DEFAULT_LIFECYCLE_RULES: Readonly<LifecycleRules> = {
  newDays: 30,
  minIntervalDays: 7,
  coolingFactor: 1.5,
  atRiskFactor: 2.5,
  lapsedFactor: 4,
  oneTimeLapsedDays: 180,
  reactivatedDays: 90,
  slowdownWindowDays: 180,
  slowdownRatio: 0.5,
};

/** Everything a lifecycle run needs besides the rules. */
export interface LifecycleSpec extends OrdersSource {
  /** yyyy-mm-dd; null = the day after the last order. */
  asOf: string | null;
  /** A view with customer_id and clv columns (a CLV cell's result) to rank warnings by; null = run-rate. */
  valueView: string | null;
}

/** A fresh copy of the default rules. */
export function defaultLifecycleRules(): LifecycleRules {
  return { ...DEFAULT_LIFECYCLE_RULES };
}

const RULE_LIMITS: Record<keyof LifecycleRules, { min: number; max: number; integer: boolean; above?: boolean }> = {
  newDays: { min: 0, max: 3650, integer: true },
  minIntervalDays: { min: 1, max: 3650, integer: true },
  coolingFactor: { min: 0, max: 100, integer: false, above: true },
  atRiskFactor: { min: 0, max: 100, integer: false, above: true },
  lapsedFactor: { min: 0, max: 100, integer: false, above: true },
  oneTimeLapsedDays: { min: 1, max: 36500, integer: true },
  reactivatedDays: { min: 0, max: 3650, integer: true },
  slowdownWindowDays: { min: 1, max: 3650, integer: true },
  slowdownRatio: { min: 0, max: 1, integer: false, above: true },
};

/** Problems with the rules: each value in its range, and cooling < at risk < lapsed. */
export function validateLifecycleRules(rules: LifecycleRules): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [key, lim] of Object.entries(RULE_LIMITS) as [keyof LifecycleRules, (typeof RULE_LIMITS)[keyof LifecycleRules]][]) {
    const v = rules[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && (lim.above ? v > lim.min : v >= lim.min) && v <= lim.max && (!lim.integer || Number.isInteger(v));
    if (!ok) problems.push({ key: lim.integer ? 'lc.err.ruleWhole' : 'lc.err.ruleNumber', params: { rule: key, min: lim.min, max: lim.max } });
  }
  if (problems.length === 0 && !(rules.coolingFactor < rules.atRiskFactor && rules.atRiskFactor < rules.lapsedFactor)) {
    problems.push({ key: 'lc.err.factorOrder' });
  }
  return problems;
}

/** Problems with the spec that need no data. */
export function validateLifecycleSpec(spec: LifecycleSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (spec.asOf !== null && !isIsoDay(spec.asOf)) problems.push({ key: 'clv.err.badDate', params: { value: spec.asOf } });
  return problems;
}

function checkRules(rules: LifecycleRules): void {
  const problems = validateLifecycleRules(rules);
  if (problems.length) throw new Error(`invalid lifecycle rules: ${problems.map((p) => `${p.key} ${JSON.stringify(p.params ?? {})}`).join('; ')}`);
}

/** Shared CTEs: the rows used and the as-of date. */
function rowsAndAsOf(spec: LifecycleSpec): string {
  const filters = ['customer_id IS NOT NULL', 'order_date IS NOT NULL', 'amount IS NOT NULL'];
  if (spec.asOf) filters.push(`order_date < ${date(spec.asOf)}`);
  const asOf = spec.asOf ? `SELECT ${date(spec.asOf)} AS as_of` : 'SELECT max(order_date) + 1 AS as_of FROM lc_rows';
  return `${ordersCte('lc_source', spec)},
lc_rows AS (
  SELECT * FROM lc_source
  WHERE ${filters.join('\n    AND ')}
),
lc_as_of AS (
  ${asOf}
)`;
}

/**
 * One SELECT with a row per customer who made a purchase before as-of: customer_id, stage,
 * first_purchase, last_purchase (DATE), purchase_days, revenue, usual_interval_days (NULL for
 * one-time buyers), expected_interval_days (the usual interval, else the store interval: what the
 * customer's gap is measured against), days_since_last, gap_ratio (days_since_last / usual interval, 2 decimals),
 * returned_on, recent_purchase_days, earlier_purchase_days, annual_run_rate, value_at_stake,
 * warning, warning_reason. Usable as a CREATE VIEW body; see the module comment.
 */
export function lifecycleSql(spec: LifecycleSpec, rules: LifecycleRules): string {
  checkRules(rules);
  const r = {
    newDays: num(rules.newDays),
    minI: num(rules.minIntervalDays),
    k1: num(rules.coolingFactor),
    k2: num(rules.atRiskFactor),
    k3: num(rules.lapsedFactor),
    D: num(rules.oneTimeLapsedDays),
    R: num(rules.reactivatedDays),
    W: num(rules.slowdownWindowDays),
    ratio: num(rules.slowdownRatio),
  };
  const value = spec.valueView
    ? `CAST(round(coalesce(v.clv, s.annual_run_rate), 2) AS DOUBLE)`
    : 's.annual_run_rate';
  const valueJoin = spec.valueView
    ? `\nLEFT JOIN (SELECT customer_id, any_value(clv) AS clv FROM ${ident(spec.valueView)} GROUP BY customer_id) v ON v.customer_id = s.customer_id`
    : '';
  return `WITH
${rowsAndAsOf(spec)},
lc_days AS (
  SELECT customer_id, order_date AS day FROM lc_rows WHERE amount >= 0 GROUP BY customer_id, order_date
),
lc_gaps AS (
  SELECT customer_id, day, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap FROM lc_days
),
lc_history AS (
  SELECT customer_id, day, gap,
    count(gap) OVER earlier_days AS prior_gaps,
    median(gap) OVER earlier_days AS prior_median
  FROM lc_gaps
  WINDOW earlier_days AS (PARTITION BY customer_id ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
lc_visits AS (
  SELECT customer_id, day, gap, prior_gaps,
    gap > CASE WHEN prior_gaps = 0 THEN ${r.D} ELSE ${r.k3} * greatest(prior_median, ${r.minI}) END AS is_return
  FROM lc_history
),
lc_customers AS (
  SELECT customer_id, min(day) AS first_purchase, max(day) AS last_purchase, count(*) AS purchase_days,
    median(gap) AS median_gap,
    any_value(gap) FILTER (WHERE prior_gaps = 0 AND gap IS NOT NULL) AS second_gap,
    max(day) FILTER (WHERE is_return) AS returned_on,
    count(*) FILTER (WHERE day >= as_of - ${r.W}) AS recent_days,
    count(*) FILTER (WHERE day < as_of - ${r.W}) AS earlier_days
  FROM lc_visits CROSS JOIN lc_as_of
  GROUP BY customer_id
),
lc_revenue AS (
  SELECT customer_id, sum(amount) AS total FROM lc_rows GROUP BY customer_id
),
lc_measures AS (
  SELECT c.*, a.as_of,
    CAST(round(r.total, 2) AS DOUBLE) AS revenue,
    CASE WHEN c.purchase_days >= 2 THEN CAST(greatest(c.median_gap, ${r.minI}) AS DOUBLE) END AS usual_interval_days,
    CAST(a.as_of - c.last_purchase AS INTEGER) AS days_since_last,
    CAST(a.as_of - c.first_purchase AS INTEGER) AS tenure_days
  FROM lc_customers c
  JOIN lc_revenue r ON r.customer_id = c.customer_id
  CROSS JOIN lc_as_of a
),
lc_store AS (
  SELECT CAST(CASE WHEN count(second_gap) > 0 THEN greatest(median(second_gap), ${r.minI}) END AS DOUBLE) AS store_interval
  FROM lc_measures
),
lc_staged AS (
  SELECT m.*, lc_store.store_interval,
    CASE
      WHEN tenure_days <= ${r.newDays} THEN 'new'
      WHEN purchase_days >= 2 AND days_since_last > ${r.k3} * usual_interval_days THEN 'lapsed'
      WHEN purchase_days = 1 AND days_since_last > ${r.D} THEN 'lapsed'
      WHEN days_since_last > ${r.k2} * coalesce(usual_interval_days, store_interval) THEN 'at_risk'
      WHEN days_since_last > ${r.k1} * coalesce(usual_interval_days, store_interval) THEN 'cooling'
      WHEN as_of - returned_on <= ${r.R} THEN 'reactivated'
      ELSE 'active'
    END AS stage,
    CAST(greatest(0, round(revenue * 365 / greatest(tenure_days, 365), 2)) AS DOUBLE) AS annual_run_rate
  FROM lc_measures m CROSS JOIN lc_store
),
lc_flags AS (
  SELECT *,
    purchase_days >= 2 AND stage IN ('cooling', 'at_risk') AS overdue,
    stage NOT IN ('new', 'lapsed') AND tenure_days >= 2 * ${r.W} AND earlier_days >= 2
      AND recent_days * (tenure_days - ${r.W}) < ${r.ratio} * earlier_days * ${r.W} AS slowing
  FROM lc_staged
)
SELECT s.customer_id, s.stage, s.first_purchase, s.last_purchase, s.purchase_days, s.revenue,
  s.usual_interval_days,
  CAST(coalesce(s.usual_interval_days, s.store_interval) AS DOUBLE) AS expected_interval_days,
  s.days_since_last,
  CAST(round(s.days_since_last / s.usual_interval_days, 2) AS DOUBLE) AS gap_ratio,
  s.returned_on, s.recent_days AS recent_purchase_days, s.earlier_days AS earlier_purchase_days,
  s.annual_run_rate,
  ${value} AS value_at_stake,
  s.overdue OR s.slowing AS warning,
  CASE
    WHEN s.overdue AND s.slowing THEN 'overdue, slowing'
    WHEN s.overdue THEN 'overdue'
    WHEN s.slowing THEN 'slowing'
  END AS warning_reason
FROM lc_flags s${valueJoin}`;
}

/**
 * One row of counts explaining what `lifecycleSql(spec)` used: rows_total, rows_used, rows_unreadable
 * (customer, date or amount missing or unreadable), rows_after_as_of, refunds (used rows with a
 * negative amount), customers, customers_only_refunds, as_of, and the first and last purchase dates
 * of the whole table (min_date, max_date; yyyy-mm-dd text) so a page can tell dates outside the data.
 */
export function lifecycleNotesSql(spec: LifecycleSpec): string {
  const before = spec.asOf ? `order_date < ${date(spec.asOf)}` : 'TRUE';
  const asOf = spec.asOf
    ? `SELECT ${date(spec.asOf)} AS as_of`
    : 'SELECT max(order_date) + 1 AS as_of FROM lc_source WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL';
  return `WITH
${ordersCte('lc_source', spec)},
lc_as_of AS (
  ${asOf}
),
lc_status AS (
  SELECT customer_id, order_date, amount,
    customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL AS readable,
    ${before} AS before_as_of
  FROM lc_source
),
lc_buyers AS (
  SELECT customer_id, bool_or(amount >= 0) AS bought
  FROM lc_status WHERE readable AND before_as_of GROUP BY customer_id
)
SELECT count(*) AS rows_total,
  count(*) FILTER (WHERE readable AND before_as_of) AS rows_used,
  count(*) FILTER (WHERE NOT readable) AS rows_unreadable,
  count(*) FILTER (WHERE readable AND NOT before_as_of) AS rows_after_as_of,
  count(*) FILTER (WHERE readable AND before_as_of AND amount < 0) AS refunds,
  (SELECT count(*) FROM lc_buyers WHERE bought) AS customers,
  (SELECT count(*) FROM lc_buyers WHERE NOT bought) AS customers_only_refunds,
  (SELECT CAST(as_of AS VARCHAR) FROM lc_as_of) AS as_of,
  CAST(min(order_date) FILTER (WHERE readable AND amount >= 0) AS VARCHAR) AS min_date,
  CAST(max(order_date) FILTER (WHERE readable AND amount >= 0) AS VARCHAR) AS max_date
FROM lc_status`;
}

/** A row of `lifecycleNotesSql`. */
export interface LifecycleNotesRow {
  rows_total: number;
  rows_used: number;
  rows_unreadable: number;
  rows_after_as_of: number;
  refunds: number;
  customers: number;
  customers_only_refunds: number;
  as_of: string | null;
  min_date: string | null;
  max_date: string | null;
}

/**
 * Per stage of a lifecycle view, every stage in `LIFECYCLE_STAGES` order (0 when empty): customers,
 * pct_customers, revenue, pct_revenue (fractions of 1, NULL when the total is 0), value_at_stake,
 * warnings, avg_days_since_last, repeat_buyers.
 */
export function lifecycleSummarySql(view: string): string {
  const order = LIFECYCLE_STAGES.map((s, i) => `(${i}, ${str(s)})`).join(', ');
  const v = ident(view);
  return `WITH
lc_order(ord, stage) AS (VALUES ${order}),
lc_totals AS (SELECT count(*) AS customers, sum(revenue) AS revenue FROM ${v}),
lc_stats AS (
  SELECT stage, count(*) AS customers, sum(revenue) AS revenue, sum(value_at_stake) AS value_at_stake,
    count(*) FILTER (WHERE warning) AS warnings, avg(days_since_last) AS avg_days_since_last,
    count(*) FILTER (WHERE purchase_days >= 2) AS repeat_buyers
  FROM ${v} GROUP BY stage
)
SELECT o.stage, coalesce(s.customers, 0) AS customers,
  coalesce(s.customers, 0) / nullif(t.customers, 0) AS pct_customers,
  CAST(coalesce(s.revenue, 0) AS DOUBLE) AS revenue,
  coalesce(s.revenue, 0) / nullif(t.revenue, 0) AS pct_revenue,
  CAST(coalesce(s.value_at_stake, 0) AS DOUBLE) AS value_at_stake,
  coalesce(s.warnings, 0) AS warnings,
  s.avg_days_since_last,
  coalesce(s.repeat_buyers, 0) AS repeat_buyers
FROM lc_order o
LEFT JOIN lc_stats s ON s.stage = o.stage
CROSS JOIN lc_totals t
ORDER BY o.ord`;
}

/** A row of `lifecycleSummarySql`. */
export interface LifecycleSummaryRow {
  stage: LifecycleStage;
  customers: number;
  pct_customers: number | null;
  revenue: number;
  pct_revenue: number | null;
  value_at_stake: number;
  warnings: number;
  avg_days_since_last: number | null;
  repeat_buyers: number;
}

/** The columns of the churn-warning list and its export, in this order. */
export const CHURN_WARNING_COLUMNS = [
  'customer_id',
  'stage',
  'warning_reason',
  'value_at_stake',
  'revenue',
  'purchase_days',
  'usual_interval_days',
  'days_since_last',
  'gap_ratio',
  'recent_purchase_days',
  'earlier_purchase_days',
  'last_purchase',
] as const;

/** The churn-warning list of a lifecycle view: `CHURN_WARNING_COLUMNS`, highest value at stake first (ties by id). */
export function churnWarningsSql(view: string): string {
  return `SELECT ${CHURN_WARNING_COLUMNS.map(ident).join(', ')}
FROM ${ident(view)}
WHERE warning
ORDER BY value_at_stake DESC, customer_id`;
}

/** The columns of a stage's customer list, in this order. */
export const LIFECYCLE_LIST_COLUMNS = [
  'customer_id',
  'stage',
  'days_since_last',
  'usual_interval_days',
  'gap_ratio',
  'purchase_days',
  'revenue',
  'value_at_stake',
  'first_purchase',
  'last_purchase',
  'returned_on',
  'warning_reason',
] as const;

/** The customers of one stage (or all when null), highest value at stake first (ties by id). */
export function lifecycleCustomersSql(view: string, stage: string | null): string {
  const where = stage === null ? '' : `\nWHERE stage = ${str(stage)}`;
  return `SELECT ${LIFECYCLE_LIST_COLUMNS.map(ident).join(', ')}
FROM ${ident(view)}${where}
ORDER BY value_at_stake DESC, customer_id`;
}

/**
 * Repeat buyers of a lifecycle view by gap ratio (days since last purchase / usual interval) and
 * stage: bins of width `width` from 0; ratios at or above `cap` go to one last bin (bin = number of
 * regular bins, flagged `overflow`). Rows (bin, bin_start, bin_end, stage, customers, overflow),
 * only non-empty (bin, stage) pairs.
 */
export function gapRatioHistogramSql(view: string, width: number, cap: number): string {
  if (!(width > 0) || !(cap > width)) throw new Error(`invalid gap histogram: width ${width}, cap ${cap}`);
  const bins = Math.ceil(cap / width);
  return `SELECT CAST(least(floor(days_since_last / usual_interval_days / ${num(width)}), ${num(bins)}) AS INTEGER) AS bin,
  CAST(least(floor(days_since_last / usual_interval_days / ${num(width)}), ${num(bins)}) * ${num(width)} AS DOUBLE) AS bin_start,
  CAST(CASE WHEN floor(days_since_last / usual_interval_days / ${num(width)}) >= ${num(bins)} THEN NULL
    ELSE (floor(days_since_last / usual_interval_days / ${num(width)}) + 1) * ${num(width)} END AS DOUBLE) AS bin_end,
  stage, count(*) AS customers,
  floor(days_since_last / usual_interval_days / ${num(width)}) >= ${num(bins)} AS overflow
FROM ${ident(view)}
WHERE usual_interval_days IS NOT NULL
GROUP BY ALL
ORDER BY bin, stage`;
}

/** A row of `gapRatioHistogramSql`. */
export interface GapRatioBin {
  bin: number;
  bin_start: number;
  bin_end: number | null;
  stage: LifecycleStage;
  customers: number;
  overflow: boolean;
}

/** The store interval of a lifecycle view (what one-time buyers are measured against): one row, store_interval (NULL when unknown). */
export function storeIntervalSql(view: string): string {
  return `SELECT max(expected_interval_days) FILTER (WHERE usual_interval_days IS NULL) AS store_interval FROM ${ident(view)}`;
}
