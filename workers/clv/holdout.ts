/**
 * Calibration/holdout checks of a BG/NBD (or Pareto/NBD) fit, as in Fader, Hardie & Lee (2005): the conditional
 * expectations chart (customers grouped by calibration frequency, mean actual holdout purchases
 * against the mean of E[Y(t*) | x, t_x, T]) and the expected cumulative repeat purchases of a
 * cohort over time (the tracking chart).
 */
import { uniqueRows } from './compress';
import { ClvError } from './errors';
import type { BgNbdParams } from './bgnbd';
import { checkHistory, type CustomerHistory } from './history';
import { asPurchaseModel, type PurchaseModel } from './purchase-model';
import { t } from '../../src/lib/i18n';

/** One group of the conditional expectations chart. */
export interface HoldoutGroup {
  /** "0", "1", …, or "7+" for the last, open group. */
  label: string;
  /** Smallest calibration frequency in the group. */
  minX: number;
  /** Largest calibration frequency in the group (Infinity for the open group). */
  maxX: number;
  /** Customers in the group (sum of weights). */
  customers: number;
  /** Mean actual holdout purchases (NaN for an empty group). */
  actual: number;
  /** Mean predicted holdout purchases E[Y(t*) | x, t_x, T] (NaN for an empty group). */
  predicted: number;
}

/**
 * Groups customers by calibration frequency x = 0, 1, …, lastGroup - 1 and lastGroup+ (default 7,
 * as in the papers; empty groups are kept so the axis is fixed) and compares mean actual purchases
 * in the holdout period of length `holdoutLength` with the model's mean prediction.
 */
export function calibrationHoldout(
  params: BgNbdParams | PurchaseModel,
  data: CustomerHistory,
  actual: Float64Array,
  holdoutLength: number,
  lastGroup = 7,
): HoldoutGroup[] {
  const model = asPurchaseModel(params);
  const n = checkHistory(data);
  if (actual.length !== n) throw new ClvError(`There are ${n} customers but ${actual.length} holdout counts.`);
  if (!(holdoutLength > 0 && holdoutLength < Infinity)) {
    throw new ClvError(t('msg.clv.holdoutLength', { value: String(holdoutLength) }));
  }
  if (!(Number.isInteger(lastGroup) && lastGroup >= 1)) {
    throw new ClvError(`The last frequency group must be a whole number >= 1, got ${lastGroup}.`);
  }
  const { expected } = model.predict(data, holdoutLength);
  const groups = lastGroup + 1;
  const count = new Float64Array(groups);
  const sumActual = new Float64Array(groups);
  const sumPredicted = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    if (!(actual[i] >= 0 && actual[i] < Infinity)) {
      throw new ClvError(`Customer ${i + 1}: holdout purchases must be finite and >= 0, got ${actual[i]}.`);
    }
    const g = Math.min(data.x[i], lastGroup);
    const w = data.weight ? data.weight[i] : 1;
    count[g] += w;
    sumActual[g] += w * actual[i];
    sumPredicted[g] += w * expected[i];
  }
  const out: HoldoutGroup[] = [];
  for (let g = 0; g < groups; g++) {
    const open = g === lastGroup;
    out.push({
      label: open ? `${g}+` : `${g}`,
      minX: g,
      maxX: open ? Infinity : g,
      customers: count[g],
      actual: count[g] > 0 ? sumActual[g] / count[g] : NaN,
      predicted: count[g] > 0 ? sumPredicted[g] / count[g] : NaN,
    });
  }
  return out;
}

/**
 * Expected cumulative repeat purchases of a cohort at each of `times`: Σ_i E[X(time - first_i)]
 * over customers whose first purchase is before the time (eq. 7 per customer). `first` holds each
 * customer's first-purchase time, on the same clock and in the same unit as `times`.
 */
export function expectedCumulativeRepeat(
  params: BgNbdParams | PurchaseModel,
  first: Float64Array,
  times: ArrayLike<number>,
): Float64Array {
  const model = asPurchaseModel(params);
  for (let i = 0; i < first.length; i++) {
    if (!Number.isFinite(first[i])) throw new ClvError(`Customer ${i + 1}: the first-purchase time is ${first[i]}.`);
  }
  const starts = uniqueRows([first]);
  const [s] = starts.columns;
  const out = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const t = times[k];
    let sum = 0;
    for (let u = 0; u < s.length; u++) {
      if (t > s[u]) sum += starts.weight[u] * model.expected(t - s[u]);
    }
    out[k] = sum;
  }
  return out;
}
