/**
 * Segment movement as SQL: customers' segment at two as-of dates (RFM segments, lifecycle stages or
 * the segment column of two saved views), one row per customer with where they were and where they
 * are, and the transition matrix over it.
 *
 * Definitions:
 * - A membership is a SELECT with columns customer_id and segment (text). RFM and lifecycle
 *   memberships are `rfmSql` / `lifecycleSql` with the as-of date replaced by each date (and, for
 *   RFM with a lookback, the window set to the `lookbackDays` days before it).
 * - Customers in the first membership but not the second are `DEPARTED` in the second; customers in
 *   the second but not the first are `NEW` in the first. Every customer of either membership is one
 *   row, so the matrix counts sum to the customers of the union.
 * - revenue_between = the customer's net revenue (purchases + refunds) from orders dated in
 *   [from, to): what they spent between the two dates; 0 without orders then. The matrix's revenue is
 *   its sum over the customers of each flow, so all flows together give the period's revenue of these
 *   customers.
 */
import { date, ident, str } from '../sql/quote';
import { lifecycleSql, type LifecycleRules } from './lifecycle-sql';
import { addDays, ordersCte, type OrdersSource } from './orders-source';
import type { SegmentRule } from './rfm-rules';
import { rfmSql } from './rfm-sql';
import type { RfmSpec } from './rfm-spec';
import { rfmTypesSql, type RfmTypesSettings } from './rfm-types';

/** The first-date "segment" of customers who had none yet. */
export const NEW_SEGMENT = '(new)';
/** The second-date "segment" of customers who have none any more. */
export const DEPARTED_SEGMENT = '(departed)';

/** A membership query: customer_id and segment (or another column, renamed). */
export interface Membership {
  /** A SELECT (possibly WITH ...) or a relation name (`relation: true`). */
  sql: string;
  relation?: boolean;
  /** The column holding the segment (default 'segment'). */
  segmentColumn?: string;
}

function membershipCte(name: string, m: Membership): string {
  const from = m.relation ? ident(m.sql) : `(\n${m.sql}\n)`;
  const seg = ident(m.segmentColumn ?? 'segment');
  return `${name} AS (
  SELECT customer_id, any_value(CAST(${seg} AS VARCHAR)) AS segment
  FROM ${from}
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
)`;
}

/**
 * One SELECT with a row per customer of either membership: customer_id, from_segment, to_segment
 * (`NEW_SEGMENT` / `DEPARTED_SEGMENT` where missing), moved (segments differ), revenue_between
 * (see the module comment). Usable as a CREATE VIEW body.
 */
export function movementSql(a: Membership, b: Membership, orders: OrdersSource, from: string, to: string): string {
  return `WITH
${membershipCte('mv_a', a)},
${membershipCte('mv_b', b)},
${ordersCte('mv_orders', orders)},
mv_revenue AS (
  SELECT customer_id, sum(amount) AS revenue
  FROM mv_orders
  WHERE customer_id IS NOT NULL AND amount IS NOT NULL AND order_date >= ${date(from)} AND order_date < ${date(to)}
  GROUP BY customer_id
),
mv_pairs AS (
  SELECT coalesce(a.customer_id, b.customer_id) AS customer_id,
    coalesce(a.segment, ${str(NEW_SEGMENT)}) AS from_segment,
    coalesce(b.segment, ${str(DEPARTED_SEGMENT)}) AS to_segment
  FROM mv_a a FULL JOIN mv_b b ON a.customer_id = b.customer_id
)
SELECT p.customer_id, p.from_segment, p.to_segment, p.from_segment <> p.to_segment AS moved,
  CAST(round(coalesce(r.revenue, 0), 2) AS DOUBLE) AS revenue_between
FROM mv_pairs p
LEFT JOIN mv_revenue r ON r.customer_id = p.customer_id`;
}

/** The transition matrix of a movement view: from_segment, to_segment, customers, revenue (non-empty flows only). */
export function movementMatrixSql(view: string): string {
  return `SELECT from_segment, to_segment, count(*) AS customers, CAST(sum(revenue_between) AS DOUBLE) AS revenue
FROM ${ident(view)}
GROUP BY from_segment, to_segment
ORDER BY from_segment, to_segment`;
}

/** A row of `movementMatrixSql`. */
export interface MovementFlow {
  from_segment: string;
  to_segment: string;
  customers: number;
  revenue: number;
}

/** The columns of a flow's customer list and its export. */
export const MOVEMENT_LIST_COLUMNS = ['customer_id', 'from_segment', 'to_segment', 'revenue_between'] as const;

/** The customers of one flow (or of every flow when both are null), highest revenue first (ties by id). */
export function movementCustomersSql(view: string, from: string | null, to: string | null): string {
  const conds: string[] = [];
  if (from !== null) conds.push(`from_segment = ${str(from)}`);
  if (to !== null) conds.push(`to_segment = ${str(to)}`);
  return `SELECT ${MOVEMENT_LIST_COLUMNS.map(ident).join(', ')}
FROM ${ident(view)}${conds.length ? `\nWHERE ${conds.join(' AND ')}` : ''}
ORDER BY revenue_between DESC, customer_id`;
}

/** The totals of a movement: customers in all, who stayed, moved (between known segments), came new or left, and the revenue between the dates. */
export function movementSummary(flows: readonly MovementFlow[]): { total: number; stayed: number; moved: number; newCustomers: number; departed: number; revenue: number } {
  const sum = (pred: (f: MovementFlow) => boolean) => flows.filter(pred).reduce((s, f) => s + f.customers, 0);
  return {
    total: sum(() => true),
    stayed: sum((f) => f.from_segment === f.to_segment),
    moved: sum((f) => f.from_segment !== f.to_segment && f.from_segment !== NEW_SEGMENT && f.to_segment !== DEPARTED_SEGMENT),
    newCustomers: sum((f) => f.from_segment === NEW_SEGMENT),
    departed: sum((f) => f.to_segment === DEPARTED_SEGMENT),
    revenue: flows.reduce((s, f) => s + f.revenue, 0),
  };
}

/**
 * The order of a matrix's rows and columns: `NEW_SEGMENT` first among the rows, `DEPARTED_SEGMENT`
 * last among the columns, the others in `known` order, then any other segment by name.
 */
export function movementAxes(flows: readonly MovementFlow[], known: readonly string[]): { rows: string[]; columns: string[] } {
  const rank = new Map(known.map((s, i) => [s, i]));
  const sort = (names: Set<string>) =>
    [...names].sort((x, y) => (rank.get(x) ?? Infinity) - (rank.get(y) ?? Infinity) || (x < y ? -1 : x > y ? 1 : 0));
  const from = new Set(flows.map((f) => f.from_segment));
  const to = new Set(flows.map((f) => f.to_segment));
  // Segments present on either side appear on both, so the diagonal lines up.
  const both = new Set([...from, ...to].filter((s) => s !== NEW_SEGMENT && s !== DEPARTED_SEGMENT));
  const ordered = sort(both);
  return {
    rows: [...(from.has(NEW_SEGMENT) ? [NEW_SEGMENT] : []), ...ordered],
    columns: [...ordered, ...(to.has(DEPARTED_SEGMENT) ? [DEPARTED_SEGMENT] : [])],
  };
}

/** What the two as-of dates compare. */
export type MovementMeasure = 'rfm' | 'lifecycle' | 'views';

/** The settings of a movement cell. */
export interface MovementSpec extends OrdersSource {
  /** Order id column (RFM frequency counts distinct orders); null = each row is an order. */
  orderId: string | null;
  measure: MovementMeasure;
  /**
   * The RFM or lifecycle cell whose source, columns and rules to use; null = the notebook's first
   * cell of that kind (the defaults when there is none); '' = this cell's source with the default rules.
   */
  basis: string | null;
  /** yyyy-mm-dd of the first snapshot; null = 90 days before the second. */
  from: string | null;
  /** yyyy-mm-dd of the second snapshot; null = the day after the last order. */
  to: string | null;
  /** RFM only: score each date on the orders of the N days before it; null = all history. */
  lookbackDays: number | null;
  /** 'views': the relations holding the segment at the first and the second date (with customer_id). */
  viewA: string;
  viewB: string;
  /** 'views': the segment column of both views. */
  segmentColumn: string;
}

/** Days between the snapshots when the first date is automatic. */
export const DEFAULT_MOVEMENT_DAYS = 90;
/** The default RFM lookback: a year of orders before each date. */
export const DEFAULT_LOOKBACK_DAYS = 365;

/** An RFM membership at `asOf`: `rfmSql` on the orders before it (the `lookbackDays` before it when set). */
export function rfmMembership(spec: RfmSpec, rules: readonly SegmentRule[], asOf: string, lookbackDays: number | null): Membership {
  const window = { from: lookbackDays ? addDays(asOf, -lookbackDays) : null, to: null };
  return { sql: rfmSql({ ...spec, asOf, window }, rules) };
}

/**
 * An 8-type RFM membership at `asOf`: `rfmTypesSql` on the orders before it (the `lookbackDays`
 * before it when set); mean and median references are those of the customers at that date.
 */
export function rfmTypesMembership(spec: RfmSpec, settings: RfmTypesSettings, asOf: string, lookbackDays: number | null): Membership {
  const window = { from: lookbackDays ? addDays(asOf, -lookbackDays) : null, to: null };
  return { sql: rfmTypesSql({ ...spec, asOf, window }, settings) };
}

/** A lifecycle membership at `asOf`: the stage of `lifecycleSql`. */
export function lifecycleMembership(spec: OrdersSource, rules: LifecycleRules, asOf: string): Membership {
  const { source, customerId, orderDate, amount } = spec;
  return { sql: lifecycleSql({ source, customerId, orderDate, amount, asOf, valueView: null }, rules), segmentColumn: 'stage' };
}
