/**
 * Checks of a fitted purchase model a reader can follow (issue 17): its error on the holdout, the
 * frequency × recency grid of P(alive) and expected purchases (as in Fader, Hardie & Lee's
 * figures and the `lifetimes` library's matrices), and the tracking chart — cumulative repeat
 * purchases of the cohort per week, actual against expected, over calibration and holdout.
 */
import { ClvError } from './errors';
import type { CustomerHistory } from './history';
import type { PurchaseModel } from './purchase-model';

/** A model's holdout error over the cohort. */
export interface HoldoutError {
  /** Holdout purchases, actual and predicted (sums over customers). */
  actual: number;
  predicted: number;
  /** Mean absolute error per customer: mean of |E[Y(length) | x, t_x, T] - actual|. */
  mae: number;
}

/** The holdout error of `model` on customers who bought `actual` times in the holdout of `length`. */
export function holdoutError(model: PurchaseModel, data: CustomerHistory, actual: Float64Array, length: number): HoldoutError {
  const { expected } = model.predict(data, length);
  let sumActual = 0;
  let sumPredicted = 0;
  let absolute = 0;
  for (let i = 0; i < expected.length; i++) {
    sumActual += actual[i];
    sumPredicted += expected[i];
    absolute += Math.abs(expected[i] - actual[i]);
  }
  return { actual: sumActual, predicted: sumPredicted, mae: expected.length > 0 ? absolute / expected.length : NaN };
}

/** One cell of the frequency × recency grid. */
export interface GridCell {
  /** Repeat purchases. */
  x: number;
  /** Column index and its recency range [from, to) in the model's unit (x = 0: recency is 0 whatever the column). */
  k: number;
  from: number;
  to: number;
  pAlive: number;
  /** Expected purchases over the horizon. */
  expected: number;
}

/** The grid of a customer of age `T`, frequencies 0..maxX, and `columns` recency ranges. */
export interface FrequencyRecencyGrid {
  T: number;
  horizon: number;
  maxX: number;
  columns: number;
  cells: GridCell[];
}

/**
 * P(alive) and expected purchases over `horizon` for a customer of age T with x = 0..maxX repeat
 * purchases, the last at the middle of each of `columns` equal recency ranges of [0, T]. One-time
 * buyers (x = 0) have recency 0: their row repeats that one value.
 */
export function frequencyRecencyGrid(model: PurchaseModel, T: number, maxX: number, horizon: number, columns = 20): FrequencyRecencyGrid {
  if (!(T > 0 && T < Infinity)) throw new ClvError(`The grid needs an age above 0, got ${T}.`);
  if (!(Number.isInteger(maxX) && maxX >= 1 && maxX <= 200)) throw new ClvError(`The grid's largest frequency must be a whole number from 1 to 200, got ${maxX}.`);
  const cells: GridCell[] = [];
  const width = T / columns;
  for (let x = 0; x <= maxX; x++) {
    const alive0 = x === 0 ? model.probabilityAlive(0, 0, T) : NaN;
    for (let k = 0; k < columns; k++) {
      const tx = x === 0 ? 0 : (k + 0.5) * width;
      const pAlive = x === 0 ? alive0 : model.probabilityAlive(x, tx, T);
      cells.push({ x, k, from: k * width, to: (k + 1) * width, pAlive, expected: pAlive * model.aliveExpected(horizon, x, T) });
    }
  }
  return { T, horizon, maxX, columns, cells };
}

/** The largest frequency the grid shows: the 99th percentile of x, at least 5 and at most 30 (and at most the largest x, if that is over 0). */
export function gridMaxFrequency(x: Float64Array): number {
  const counts = new Float64Array(31);
  let top = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.min(30, Math.max(0, Math.round(x[i])));
    counts[v]++;
    if (v > top) top = v;
  }
  let seen = 0;
  let p99 = 0;
  for (let v = 0; v <= 30; v++) {
    seen += counts[v];
    if (seen >= 0.99 * x.length) {
      p99 = v;
      break;
    }
  }
  return Math.max(Math.min(5, Math.max(1, top)), Math.min(30, p99));
}

/** One week of the tracking chart. */
export interface TrackingPoint {
  /** Week index: 0 ends on the last calibration day, 1, 2, … are holdout weeks. */
  week: number;
  /** The week's last day, in days after the last calibration day (<= 0 in calibration). */
  day: number;
  /** Cumulative repeat purchases of the cohort by the end of the week, actual and expected. */
  actual: number;
  expected: number;
}

/**
 * The tracking chart's weeks from the cohort's first purchase to the end of the holdout
 * (`holdoutDays`, 0 without one; its last week may be shorter): cumulative actual repeat purchases
 * from `perWeek` (week -> purchases, as `clvTrackingSql` returns them) against Σ_i E[X(t - first_i)],
 * first_i = -T_i (each customer's first purchase, in the model's unit before the end of calibration).
 */
export function trackingSeries(
  model: PurchaseModel,
  T: Float64Array,
  unitDays: number,
  perWeek: ReadonlyMap<number, number>,
  holdoutDays: number,
): TrackingPoint[] {
  if (T.length === 0) return [];
  let oldest = 0;
  for (let i = 0; i < T.length; i++) if (T[i] > oldest) oldest = T[i];
  const firstWeek = Math.ceil((-oldest * unitDays) / 7);
  const lastWeek = Math.ceil(holdoutDays / 7);
  const weeks: number[] = [];
  const days: number[] = [];
  for (let k = firstWeek; k <= lastWeek; k++) {
    weeks.push(k);
    days.push(Math.min(7 * k, holdoutDays));
  }
  // Customers by how many whole days before the end of calibration they first bought; E[X(τ)] is
  // then needed only at whole-day lags τ, each computed once (as expectedCumulativeRepeat would
  // sum it, without one model evaluation per start and week).
  const byDay = new Map<number, number>();
  for (let i = 0; i < T.length; i++) {
    const d = Math.round(T[i] * unitDays);
    byDay.set(d, (byDay.get(d) ?? 0) + 1);
  }
  const span = Math.round(oldest * unitDays) + Math.max(0, holdoutDays);
  const atLag = new Float64Array(span + 1);
  for (let lag = 1; lag <= span; lag++) atLag[lag] = model.expected(lag / unitDays);
  const expected = days.map((day) => {
    let sum = 0;
    for (const [d, count] of byDay) if (day + d > 0) sum += count * atLag[day + d];
    return sum;
  });
  const out: TrackingPoint[] = [];
  let actual = 0;
  for (const [w, n] of perWeek) if (w < firstWeek) actual += n;
  weeks.forEach((k, j) => {
    actual += perWeek.get(k) ?? 0;
    out.push({ week: k, day: days[j], actual, expected: expected[j] });
  });
  return out;
}
