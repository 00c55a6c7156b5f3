/**
 * The RFM spec: which table and columns hold the orders, the as-of date, the window and the
 * scoring parameters. `rfm-sql.ts` turns it into SQL; nothing here touches a database.
 */
import { t } from '../i18n';

/** Scores by the customers' own distribution (quintiles) or by the user's fixed cut points. */
export type RfmScoring =
  | { method: 'quantile' }
  | {
      method: 'thresholds';
      /** 4 ascending cut points in days: recency <= r[0] scores 5, > r[3] scores 1. */
      r: number[];
      /** 4 ascending cut points in orders: frequency <= f[0] scores 1, > f[3] scores 5. */
      f: number[];
      /** 4 ascending cut points in money: monetary <= m[0] scores 1, > m[3] scores 5. */
      m: number[];
    };

/** Everything needed to compute RFM scores from an orders table. */
export interface RfmSpec {
  /** Name of the table or view holding one row per order (or order line). */
  source: string;
  /** Column identifying the customer. */
  customerId: string;
  /** Column with the order date: DATE, TIMESTAMP or text that casts to a date. */
  orderDate: string;
  /** Numeric column with the order (line) amount; negative amounts are refunds. */
  amount: string;
  /** Column identifying the order when several rows belong to one order; null = each row is an order. */
  orderId: string | null;
  /** yyyy-mm-dd; null = the day after the latest purchase in the window. */
  asOf: string | null;
  /** Inclusive yyyy-mm-dd bounds on the order date; null = unbounded. */
  window: { from: string | null; to: string | null };
  /** Monetary value per customer: the total spent, or the average per order. */
  monetary: 'total' | 'average';
  /** Refunds (amount < 0): netted against the customer's spend, or dropped. */
  negatives: 'net' | 'exclude';
  /** How R, F and M values become 1..5 scores. */
  scoring: RfmScoring;
  /** Set when order ids are known to be unique per row: frequency then counts rows (half the work). */
  orderIdsUnique?: boolean;
  /** Facts the run's data check found (not stored): they let the SQL skip work that cannot change the result. */
  facts?: RfmDataFacts;
  /**
   * The internal table holding this spec's per-customer aggregates (`rfmAggregatesSql`), kept in
   * the worker for exactly `rfmAggregatesKey(spec)` and the current data (not stored): the SQL then
   * scores from it instead of reading the orders.
   */
  aggregates?: string;
  /**
   * The internal table holding the quantile cuts of this spec (`rfmCutsSql`: one row r1..r4,
   * f1..f4, m1..m4), kept in the worker for exactly `rfmCutsKey(spec)` and the current data (not
   * stored): the quantile method then scores with them instead of computing them again.
   */
  cuts?: string;
}

/** What a data check established about the chosen columns. */
export interface RfmDataFacts {
  /** The date column is of type DATE: no casting needed. */
  dateIsDate?: boolean;
  /** The amount column is numeric (integer, decimal or floating point): no casting needed. */
  amountIsNumeric?: boolean;
  /** No amount is negative: every row is a purchase. */
  noRefunds?: boolean;
  /** No customer id, date or amount is null. */
  noNulls?: boolean;
}

/** The column roles an RFM spec needs. */
export interface RfmRoles {
  customerId: string;
  orderDate: string;
  amount: string;
  orderId: string | null;
}

/** Defaults for everything that is not a table or column: as-of the day after the last order, all dates, total spend, refunds netted, quintiles. */
export const RFM_SPEC_DEFAULTS: Omit<RfmSpec, 'source' | 'customerId' | 'orderDate' | 'amount' | 'orderId'> = {
  asOf: null,
  window: { from: null, to: null },
  monetary: 'total',
  negatives: 'net',
  scoring: { method: 'quantile' },
};

/** A complete spec for `source` with the given roles and the defaults for the rest. */
export function defaultRfmSpec(source: string, roles: RfmRoles): RfmSpec {
  return {
    source,
    ...roles,
    ...RFM_SPEC_DEFAULTS,
    window: { ...RFM_SPEC_DEFAULTS.window },
    scoring: { method: 'quantile' },
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Problems that make a spec unusable, as messages a user can act on; empty when the spec is valid. */
export function validateRfmSpec(spec: RfmSpec): string[] {
  const problems: string[] = [];
  if (!spec.source) problems.push(t('msg.rfm.chooseTable'));
  if (!spec.customerId) problems.push(t('msg.rfm.chooseCustomerId'));
  if (!spec.orderDate) problems.push(t('msg.rfm.chooseOrderDate'));
  if (!spec.amount) problems.push(t('msg.rfm.chooseAmount'));
  if (spec.orderId === '') problems.push(t('msg.rfm.chooseOrderId'));
  for (const [label, value] of [
    ['msg.rfm.asOf', spec.asOf],
    ['msg.rfm.windowStart', spec.window.from],
    ['msg.rfm.windowEnd', spec.window.to],
  ] as const) {
    if (value !== null && !isValidDate(value)) problems.push(t('msg.rfm.notDate', { label: t(label), value }));
  }
  const { from, to } = spec.window;
  if (from && to && isValidDate(from) && isValidDate(to) && from > to) {
    problems.push(t('msg.rfm.windowReversed', { from, to }));
  }
  if (spec.scoring.method === 'thresholds') {
    for (const key of ['r', 'f', 'm'] as const) {
      const cuts = spec.scoring[key];
      const label = key.toUpperCase();
      if (cuts.length !== 4) problems.push(t('msg.rfm.cutCount', { measure: label, n: cuts.length }));
      else if (!cuts.every((c) => Number.isFinite(c))) problems.push(t('msg.rfm.cutNumbers', { measure: label }));
      else if (!cuts.every((c, i) => i === 0 || c > cuts[i - 1])) problems.push(t('msg.rfm.cutAscending', { measure: label }));
    }
  }
  return problems;
}
