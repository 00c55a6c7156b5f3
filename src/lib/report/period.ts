/**
 * The period comparison of a report: the same RFM segmentation at the current as-of date and an
 * earlier one (a week, a month or a quarter before), as SQL and as plain tables.
 *
 * Definitions: a segment's customers at a date are the rows of the membership query at that
 * date with that segment; its revenue at a date is the sum of those customers' `revenue`
 * column (their net spend in the scoring window, as the RFM summary counts it). The movement
 * between the dates is `movementSql` / `movementMatrixSql` of src/lib/segment/movement-sql.ts.
 */
import { ident } from '../sql/quote';
import { addDays, isIsoDay } from '../segment/orders-source';
import { movementAxes, movementMatrixSql, movementSql, type Membership, type MovementFlow } from '../segment/movement-sql';
import type { OrdersSource } from '../segment/orders-source';
import type { ComparisonRow, MovementTable } from './report-model';

/** How far back the earlier date is. */
export type ComparePeriod = 'week' | 'month' | 'quarter';

/** The periods offered, in order. */
export const COMPARE_PERIODS: readonly ComparePeriod[] = ['week', 'month', 'quarter'];

/** The yyyy-mm-dd `months` calendar months before `day`, on the same day of the month or the month's last day. */
export function monthsBefore(day: string, months: number): string {
  if (!isIsoDay(day)) throw new Error(`invalid date: ${day} (expected yyyy-mm-dd)`);
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The earlier as-of date of a comparison: 7 days, 1 month or 3 months before `asOf`. */
export function earlierDate(asOf: string, period: ComparePeriod): string {
  return period === 'week' ? addDays(asOf, -7) : monthsBefore(asOf, period === 'month' ? 1 : 3);
}

function sizesCte(name: string, m: Membership): string {
  const from = m.relation ? ident(m.sql) : `(\n${m.sql}\n)`;
  return `${name} AS (
  SELECT CAST(${ident(m.segmentColumn ?? 'segment')} AS VARCHAR) AS segment, count(*) AS customers, sum(revenue) AS revenue
  FROM ${from}
  GROUP BY 1
)`;
}

/**
 * Per segment of either membership: segment, customers_then, customers_now, revenue_then,
 * revenue_now (0 where a segment is empty at a date). Both memberships need a `revenue` column.
 */
export function segmentSizesSql(then: Membership, now: Membership): string {
  return `WITH
${sizesCte('p_then', then)},
${sizesCte('p_now', now)}
SELECT coalesce(n.segment, t.segment) AS segment,
  CAST(coalesce(t.customers, 0) AS BIGINT) AS customers_then,
  CAST(coalesce(n.customers, 0) AS BIGINT) AS customers_now,
  CAST(round(coalesce(t.revenue, 0), 2) AS DOUBLE) AS revenue_then,
  CAST(round(coalesce(n.revenue, 0), 2) AS DOUBLE) AS revenue_now
FROM p_then t FULL JOIN p_now n ON n.segment = t.segment
ORDER BY 1`;
}

/** A row of `segmentSizesSql`. */
export interface SegmentSizesRow {
  segment: string;
  customers_then: number;
  customers_now: number;
  revenue_then: number;
  revenue_now: number;
}

/** The SQL of a comparison: the sizes, the per-customer movement (as a view named `view`) and its matrix. */
export function comparisonSql(then: Membership, now: Membership, orders: OrdersSource, from: string, to: string, view: string): { sizes: string; movement: string; matrix: string } {
  return { sizes: segmentSizesSql(then, now), movement: `CREATE OR REPLACE VIEW ${ident(view)} AS\n${movementSql(then, now, orders, from, to)}`, matrix: movementMatrixSql(view) };
}

/** The sizes as report rows, segments in `order` first (the rule order), then others by name. */
export function comparisonRows(rows: readonly SegmentSizesRow[], order: readonly string[]): ComparisonRow[] {
  const rank = new Map(order.map((s, i) => [s, i]));
  return [...rows]
    .sort((a, b) => (rank.get(a.segment) ?? Infinity) - (rank.get(b.segment) ?? Infinity) || (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0))
    .map((r) => ({ segment: r.segment, customersThen: Number(r.customers_then), customersNow: Number(r.customers_now), revenueThen: Number(r.revenue_then), revenueNow: Number(r.revenue_now) }));
}

/** The movement matrix as a table: rows and columns as `movementAxes` orders them, customers in each cell. */
export function movementTable(flows: readonly MovementFlow[], order: readonly string[]): MovementTable {
  const { rows, columns } = movementAxes(flows, order);
  const counts = rows.map((r) => columns.map((c) => flows.filter((f) => f.from_segment === r && f.to_segment === c).reduce((s, f) => s + Number(f.customers), 0)));
  return { rows, columns, counts };
}
