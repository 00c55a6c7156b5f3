/**
 * From an order table to the models' per-customer inputs: a reference implementation on typed
 * arrays (the worker will do the same in SQL; tests use this to check that SQL and the fixtures).
 *
 * Conventions, as in Fader, Hardie & Lee's CDNOW data and the `lifetimes` library:
 * - time is counted in whole days; orders of one customer on the same day are one purchase whose
 *   value is their sum;
 * - the calibration period ends at the end of `calibrationEnd` (inclusive); customers whose first
 *   purchase is later are not part of the cohort and are left out;
 * - x = purchase days after the first within calibration, t_x = last of them minus the first,
 *   T = calibrationEnd minus the first, all divided by 7 for weeks;
 * - mbar = mean value of the x repeat purchases (the first purchase is excluded), 0 when x = 0;
 * - holdout purchases are the purchase days in (calibrationEnd, holdoutEnd].
 */
import { ClvError } from './errors';
import { t } from '../../src/lib/i18n';

/** Orders as columns of equal length. */
export interface OrderColumns {
  /** Customer key (any number that identifies a customer). */
  customer: ArrayLike<number>;
  /** Order date as a whole day number (e.g. days since 1970-01-01). */
  day: ArrayLike<number>;
  /** Order value. */
  amount: ArrayLike<number>;
}

/** Options of `summarizeOrders`. */
export interface SummarizeOptions {
  /** Last day of the calibration period (inclusive), on the same day scale as the orders. */
  calibrationEnd: number;
  /** Last day of the holdout period (inclusive); omit for no holdout. */
  holdoutEnd?: number;
  /** Unit of t_x and T (default 'days'). */
  unit?: 'days' | 'weeks';
}

/** Per-customer summaries, sorted by customer key. */
export interface CustomerSummary {
  customer: Float64Array;
  /** First purchase day. */
  first: Float64Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  mbar: Float64Array;
  /** Purchases in the holdout period (when holdoutEnd was given). */
  holdoutX?: Float64Array;
  /** Total value of the holdout purchases (when holdoutEnd was given). */
  holdoutAmount?: Float64Array;
}

/** Summarises orders into (x, t_x, T, mbar) per customer (see the module comment for the rules). */
export function summarizeOrders(orders: OrderColumns, opts: SummarizeOptions): CustomerSummary {
  const { customer, day, amount } = orders;
  const n = customer.length;
  if (day.length !== n || amount.length !== n) {
    throw new ClvError(
      `The order columns differ in length (customer ${n}, day ${day.length}, amount ${amount.length}).`,
    );
  }
  const calEnd = opts.calibrationEnd;
  const holdEnd = opts.holdoutEnd;
  if (!Number.isFinite(calEnd)) throw new ClvError(`The calibration end must be a day number, got ${calEnd}.`);
  if (holdEnd !== undefined && !(holdEnd >= calEnd)) {
    throw new ClvError(t('msg.clv.holdoutBeforeCalibration', { holdout: String(holdEnd), calibration: String(calEnd) }));
  }
  const scale = (opts.unit ?? 'days') === 'weeks' ? 1 / 7 : 1;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(customer[i])) throw new ClvError(`Order ${i + 1}: the customer key is ${customer[i]}.`);
    if (!Number.isInteger(day[i])) {
      throw new ClvError(`Order ${i + 1}: the day must be a whole day number, got ${day[i]}.`);
    }
    if (!Number.isFinite(amount[i])) throw new ClvError(`Order ${i + 1}: the amount is ${amount[i]}.`);
  }

  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => customer[i] - customer[j] || day[i] - day[j]);

  const out = {
    customer: [] as number[],
    first: [] as number[],
    x: [] as number[],
    tx: [] as number[],
    T: [] as number[],
    mbar: [] as number[],
    holdoutX: [] as number[],
    holdoutAmount: [] as number[],
  };
  let k = 0;
  while (k < n) {
    const c = customer[order[k]];
    const first = day[order[k]];
    let x = 0;
    let last = first;
    let spend = 0;
    let hx = 0;
    let hAmount = 0;
    let prevDay = first;
    for (; k < n && customer[order[k]] === c; k++) {
      const i = order[k];
      const d = day[i];
      const isNewDay = d !== prevDay;
      prevDay = d;
      if (d <= calEnd) {
        if (d === first) continue; // the first purchase (same-day orders merge into it)
        if (isNewDay) x++;
        last = d;
        spend += amount[i];
      } else if (holdEnd !== undefined && d <= holdEnd) {
        if (isNewDay) hx++;
        hAmount += amount[i];
      }
    }
    if (first > calEnd) continue;
    out.customer.push(c);
    out.first.push(first);
    out.x.push(x);
    out.tx.push((last - first) * scale);
    out.T.push((calEnd - first) * scale);
    out.mbar.push(x > 0 ? spend / x : 0);
    out.holdoutX.push(hx);
    out.holdoutAmount.push(hAmount);
  }
  const result: CustomerSummary = {
    customer: Float64Array.from(out.customer),
    first: Float64Array.from(out.first),
    x: Float64Array.from(out.x),
    tx: Float64Array.from(out.tx),
    T: Float64Array.from(out.T),
    mbar: Float64Array.from(out.mbar),
  };
  if (holdEnd !== undefined) {
    result.holdoutX = Float64Array.from(out.holdoutX);
    result.holdoutAmount = Float64Array.from(out.holdoutAmount);
  }
  return result;
}

/** The day number (days since 1970-01-01) of a date written as YYYYMMDD, e.g. 19970101. */
export function dayFromYmd(ymd: number): number {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  const valid = back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
  if (!Number.isInteger(ymd) || !valid) {
    throw new ClvError(t('msg.clv.notYmd', { value: String(ymd) }));
  }
  return ms / 86_400_000;
}
