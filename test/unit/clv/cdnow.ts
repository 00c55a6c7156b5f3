/**
 * Loaders of the CDNOW fixtures (test/fixtures/cdnow/README.md names their source).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dayFromYmd } from '../../../workers/clv/summarize';

const dir = fileURLToPath(new URL('../../fixtures/cdnow/', import.meta.url));

function csv(name: string): number[][] {
  const lines = readFileSync(dir + name, 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line) => line.split(',').map(Number));
}

/** `cdnow_customers_summary.csv`: frequency, recency and T in weeks, 39-week calibration. */
export function cdnowSummary(): { id: Float64Array; x: Float64Array; tx: Float64Array; T: Float64Array } {
  const rows = csv('cdnow_customers_summary.csv');
  return {
    id: Float64Array.from(rows, (r) => r[0]),
    x: Float64Array.from(rows, (r) => r[1]),
    tx: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
  };
}

/** `cdnow_customers_summary_with_transactions.csv`: x, t_x, T and zbar (mean repeat spend). */
export function cdnowSummaryWithSpend(): {
  id: Float64Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  zbar: Float64Array;
} {
  const rows = csv('cdnow_customers_summary_with_transactions.csv');
  return {
    id: Float64Array.from(rows, (r) => r[0]),
    x: Float64Array.from(rows, (r) => r[1]),
    tx: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
    zbar: Float64Array.from(rows, (r) => r[4]),
  };
}

/** `CDNOW_sample.txt` as order columns: sample id, day number, dollar value. */
export function cdnowOrders(): { customer: Float64Array; day: Float64Array; amount: Float64Array } {
  const rows = readFileSync(dir + 'CDNOW_sample.txt', 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/).map(Number));
  return {
    customer: Float64Array.from(rows, (r) => r[1]),
    day: Float64Array.from(rows, (r) => dayFromYmd(r[2])),
    amount: Float64Array.from(rows, (r) => r[4]),
  };
}

/** End of the 39-week calibration period that starts 1997-01-01: 1997-09-30, inclusive. */
export const CDNOW_CALIBRATION_END = dayFromYmd(19970930);
/** End of the 39-week holdout period: 1998-06-30, inclusive. */
export const CDNOW_HOLDOUT_END = dayFromYmd(19980630);
