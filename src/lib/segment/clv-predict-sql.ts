/**
 * The per-customer predictions a campaign tool uses, as SQL around the worker's numbers (issue 17):
 * the purchase model behind them, the churn-risk band, the expected date of the next order, and the
 * tracking chart's actual repeat purchases per week.
 *
 * Definitions (shown to the user in the cell):
 * - Churn risk from P(alive) with two settings `high` (default 0.3) and `low` (default 0.7):
 *   'high' when P(alive) < high, 'low' when P(alive) >= low, else 'medium'.
 * - Next order date. Day 1 is the day after the last day of calibration (the predictions' time 0).
 *   1. 'model': the first day d (1 <= d <= the horizon in days) by which the fitted model gives a
 *      50 % chance of at least one more order in days 1..d: P(alive) · P(an order within d | alive)
 *      >= 0.5. The worker computes d (`next_wait`, NaN when the chance stays below 50 % over the
 *      whole horizon).
 *   2. 'rhythm': otherwise, for a customer with at least two purchase days, their last purchase day
 *      plus their mean gap between purchase days (t_x / x), when that day falls within days
 *      1..horizon — the customer is still within their own rhythm although the model gives less
 *      than even odds.
 *   3. none (NULL) otherwise: one-time buyers the model gives under 50 %, and customers already past
 *      their own rhythm.
 */
import { date, num, str } from '../sql/quote';
import { ordersCte, type OrdersSource } from './orders-source';

/** The purchase models a CLV cell can use. */
export type ClvModel = 'bgnbd' | 'paretonbd';

/** The purchase models, in the order the cell offers them (the first is the default). */
export const CLV_MODELS: readonly ClvModel[] = ['bgnbd', 'paretonbd'];

/** P(alive) cut points of the churn-risk band: high risk below `high`, low risk from `low` up. */
export interface ChurnBands {
  high: number;
  low: number;
}

/** The default bands: high < 0.3 <= medium < 0.7 <= low. */
export const CHURN_BANDS: ChurnBands = { high: 0.3, low: 0.7 };

/** The band names as stored in the result (shown through the catalogue as clv.risk.<name>). */
export const CHURN_RISKS = ['high', 'medium', 'low'] as const;

/** Whether the bands are usable: 0 < high <= low <= 1. */
export function validChurnBands(b: ChurnBands): boolean {
  return Number.isFinite(b.high) && Number.isFinite(b.low) && b.high > 0 && b.high <= b.low && b.low <= 1;
}

/** The band of a probability, as the SQL computes it (for the page and the tests). */
export function churnRisk(pAlive: number, b: ChurnBands): (typeof CHURN_RISKS)[number] {
  return pAlive < b.high ? 'high' : pAlive >= b.low ? 'low' : 'medium';
}

/** The churn-risk band of the P(alive) expression `pAlive` (NULL when it is not a number). */
export function churnRiskSql(pAlive: string, b: ChurnBands): string {
  return `CASE WHEN NOT isfinite(${pAlive}) THEN NULL WHEN ${pAlive} < ${num(b.high)} THEN 'high' WHEN ${pAlive} >= ${num(b.low)} THEN 'low' ELSE 'medium' END`;
}

/** What the next-order expressions need: the last day of calibration, days per unit and the horizon in days. */
export interface NextOrderContext {
  calibrationLast: string;
  unitDays: number;
  horizonDays: number;
}

/**
 * The next-order date and its source ('model', 'rhythm' or NULL) as two SELECT expressions over
 * the inputs `s` (x, t_x, first_purchase) and the predictions `p` (next_wait: whole days after the
 * last calibration day, NaN for none). See the module comment.
 */
export function nextOrderSql(ctx: NextOrderContext): { date: string; source: string } {
  const last = date(ctx.calibrationLast);
  const per = num(ctx.unitDays);
  // The customer's last purchase day and the day their mean gap after it points to (whole days).
  const lastDay = `CAST(round(s.t_x * ${per}) AS INTEGER)`;
  const gap = `CAST(round(s.t_x * ${per} / s.x) AS INTEGER)`;
  const rhythm = `(s.first_purchase + ${lastDay} + ${gap})`;
  const rhythmOk = `s.x >= 1 AND ${rhythm} > ${last} AND ${rhythm} <= ${last} + ${num(Math.floor(ctx.horizonDays))}`;
  const model = 'isfinite(p.next_wait)';
  return {
    date: `CASE WHEN ${model} THEN ${last} + CAST(p.next_wait AS INTEGER) WHEN ${rhythmOk} THEN ${rhythm} END`,
    source: `CASE WHEN ${model} THEN ${str('model')} WHEN ${rhythmOk} THEN ${str('rhythm')} END`,
  };
}

/**
 * Repeat purchases of the cohort (customers whose first purchase day is before `calibrationEnd`,
 * exclusive) per week: week k holds the purchase days d after each customer's first with
 * calibrationLast + 7(k-1) < d <= calibrationLast + 7k (so week 0 ends on the last calibration
 * day and weeks 1, 2, … are the holdout), for days before `end` (exclusive). Rows: week, purchases
 * (only weeks with purchases). Purchase days are as in the model inputs (orders on one day count
 * once; refunds never count).
 */
export function clvTrackingSql(spec: OrdersSource, dates: { calibrationEnd: string; calibrationLast: string; end: string }): string {
  const cal = date(dates.calibrationEnd);
  const last = date(dates.calibrationLast);
  return `WITH
${ordersCte('track_source', spec)},
track_days AS (
  SELECT DISTINCT customer_id, order_date AS day
  FROM track_source
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount >= 0 AND order_date < ${date(dates.end)}
),
track_first AS (
  SELECT customer_id, min(day) AS first_day FROM track_days GROUP BY customer_id HAVING min(day) < ${cal}
)
SELECT CAST(ceil((d.day - ${last}) / 7) AS INTEGER) AS week, CAST(count(*) AS DOUBLE) AS purchases
FROM track_days d JOIN track_first f ON f.customer_id = d.customer_id
WHERE d.day > f.first_day
GROUP BY week
ORDER BY week`;
}

/** The SQL names a prediction table must have besides i (for tests that build one by hand). */
export const PREDICTION_COLUMNS = ['p_alive', 'expected_purchases', 'p_order', 'next_wait', 'expected_aov', 'clv'] as const;

