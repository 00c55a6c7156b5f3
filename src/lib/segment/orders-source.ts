/**
 * What the lifecycle, CLV and movement cells share: an orders table with its column roles, read
 * exactly as RFM reads it (dates via TRY_CAST through TIMESTAMP, amounts as DECIMAL(18,4)), plus
 * small date helpers and the keyed problems their validators return (the page translates them).
 */
import type { MessageKey } from '../i18n';
import { ident } from '../sql/quote';
import { amountExpr, orderDateExpr } from './rfm-sql';

/** An orders table and the columns holding the customer, the date and the amount ('' = not chosen). */
export interface OrdersSource {
  source: string;
  customerId: string;
  orderDate: string;
  amount: string;
}

/** A problem with a cell's settings: a catalogue key and its parameters. */
export interface SpecProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The CTE `name` with the source's columns as customer_id, order_date (DATE) and amount (DECIMAL). */
export function ordersCte(name: string, spec: OrdersSource): string {
  return `${name} AS (
  SELECT ${ident(spec.customerId)} AS customer_id,
    ${orderDateExpr(spec.orderDate)} AS order_date,
    ${amountExpr(spec.amount)} AS amount
  FROM ${ident(spec.source)}
)`;
}

/** Whether `value` is a real calendar date written yyyy-mm-dd. */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The day `days` after (or before, when negative) a yyyy-mm-dd date, as yyyy-mm-dd. */
export function addDays(day: string, days: number): string {
  if (!isIsoDay(day)) throw new Error(`invalid date: ${day} (expected yyyy-mm-dd)`);
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.round(days));
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b - a), both yyyy-mm-dd. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * One row describing the usable purchase rows of an orders source (customer id, date and amount
 * all present and readable, amount >= 0): rows_total, rows_used (purchases), refunds (rows with
 * amount < 0), rows_unreadable (a missing or unreadable customer, date or amount), min_date and
 * max_date (yyyy-mm-dd text, NULL without purchases) and day_after (max_date + 1).
 */
export function purchaseRangeSql(spec: OrdersSource): string {
  return `WITH
${ordersCte('src_rows', spec)}
SELECT count(*) AS rows_total,
  count(*) FILTER (WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount >= 0) AS rows_used,
  count(*) FILTER (WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount < 0) AS refunds,
  count(*) FILTER (WHERE customer_id IS NULL OR order_date IS NULL OR amount IS NULL) AS rows_unreadable,
  CAST(min(order_date) FILTER (WHERE customer_id IS NOT NULL AND amount >= 0) AS VARCHAR) AS min_date,
  CAST(max(order_date) FILTER (WHERE customer_id IS NOT NULL AND amount >= 0) AS VARCHAR) AS max_date,
  CAST(max(order_date) FILTER (WHERE customer_id IS NOT NULL AND amount >= 0) + 1 AS VARCHAR) AS day_after
FROM src_rows`;
}

/** A row of `purchaseRangeSql`. */
export interface PurchaseRange {
  rows_total: number;
  rows_used: number;
  refunds: number;
  rows_unreadable: number;
  min_date: string | null;
  max_date: string | null;
  day_after: string | null;
}
