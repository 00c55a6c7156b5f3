/**
 * The per-customer input of the lifetime-value models, and its validation. Times are in one unit
 * chosen by the caller (days or weeks); the fitted rate parameter alpha is in that unit.
 */
import { ClvError } from './errors';
import { t } from '../../src/lib/i18n';

/** Calibration-period summaries of customers, one entry per customer in each array. */
export interface CustomerHistory {
  /** Repeat purchases (frequency): purchases after the first, a whole number >= 0. */
  x: Float64Array;
  /** Time of the last repeat purchase since the first purchase (recency); 0 when x = 0. */
  tx: Float64Array;
  /** Time from the first purchase to the end of the calibration period (age), >= tx. */
  T: Float64Array;
  /** Optional count of identical customers each entry stands for (default 1 each). */
  weight?: Float64Array;
}

/**
 * Checks lengths and values of a history and returns the number of entries. Throws ClvError naming
 * the first bad entry (1-based) and what is wrong with it.
 */
export function checkHistory(data: CustomerHistory): number {
  const { x, tx, T, weight } = data;
  const n = x.length;
  if (tx.length !== n || T.length !== n || (weight && weight.length !== n)) {
    const w = weight ? `, weight ${weight.length}` : '';
    throw new ClvError(`The customer arrays differ in length (x ${n}, t_x ${tx.length}, T ${T.length}${w}).`);
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    if (!(xi >= 0 && xi === Math.floor(xi) && xi < 2 ** 31)) {
      throw new ClvError(`Customer ${i + 1}: frequency must be a whole number >= 0, got ${xi}.`);
    }
    if (!(Ti >= 0 && Ti < Infinity)) throw new ClvError(`Customer ${i + 1}: age T must be finite and >= 0, got ${Ti}.`);
    if (!(ti >= 0 && ti <= Ti)) {
      throw new ClvError(`Customer ${i + 1}: recency must be between 0 and the age T = ${Ti}, got ${ti}.`);
    }
    if (weight && !(weight[i] >= 0 && weight[i] < Infinity)) {
      throw new ClvError(`Customer ${i + 1}: weight must be finite and >= 0, got ${weight[i]}.`);
    }
  }
  return n;
}

/** Per-customer predictions of a purchase model (BG/NBD or Pareto/NBD). */
export interface PurchasePrediction {
  /** P(alive | x, t_x, T). */
  pAlive: Float64Array;
  /** E[Y(horizon) | x, t_x, T]. */
  expected: Float64Array;
}

/** Throws ClvError unless the prediction horizon is finite and >= 0. */
export function checkHorizon(horizon: number): void {
  if (!(horizon >= 0 && horizon < Infinity)) throw new ClvError(t('msg.clv.horizonFiniteZero', { value: String(horizon) }));
}
