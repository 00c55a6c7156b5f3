/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials scikit-learn uses):
 * each new centre is the best of several candidates drawn with probability proportional to the
 * squared distance to the nearest centre chosen so far.
 */
import { dist2 } from './distance';
import { ClusterError } from './errors';
import type { Rng } from './rng';

/** scikit-learn's number of local trials per centre: 2 + floor(ln k). */
export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Chosen centres, and for every row its nearest two, as a first k-means assignment. */
export interface Seeding {
  /** Row-major k x d. */
  centers: Float64Array;
  /** Nearest centre of each row (the lowest index on ties). */
  labels: Int32Array;
  /** Squared distance of each row to its nearest centre. */
  closest: Float64Array;
  /** Second-nearest centre of each row (-1 when k = 1). */
  secondLabel: Int32Array;
  /** Squared distance of each row to its second-nearest centre (Infinity when k = 1). */
  second: Float64Array;
}

/**
 * Chooses k initial centres from the rows of `data` (row-major n x d). Yields the number of centres
 * chosen so far. With `trials` = 1 this is plain k-means++. Throws a ClusterError when the data has
 * fewer than k distinct rows (the potential drops to 0 before k centres are chosen).
 */
export function* kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  trials: number = defaultLocalTrials(k),
): Generator<number, Seeding, void> {
  const centers = new Float64Array(k * d);
  const closest = new Float64Array(n);
  const second = new Float64Array(n).fill(Infinity);
  const labels = new Int32Array(n);
  const secondLabel = new Int32Array(n).fill(-1);
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  let pot = firstCenter(data, n, d, centers, closest);
  yield 1;

  const groups = Math.ceil(trials / 4);
  const cand = new Int32Array(trials);
  const candRows = new Float64Array(groups * 4 * d);
  const candPot = new Float64Array(groups * 4);
  const targets = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
    if (!(pot > 0)) throw tooFewDistinct(k, c);
    for (let t = 0; t < trials; t++) targets[t] = rng.next() * pot;
    targets.sort();
    // The previous centre is folded into `closest` in the same pass that draws the candidates:
    // the running sum there equals `pot`, because the trial pass summed exactly the same values.
    if (c === 1) drawCandidates(closest, n, targets, cand);
    else updateAndDraw(data, n, d, centers, c - 1, closest, second, labels, secondLabel, targets, cand);
    // Candidates go four to a pass; a short last group repeats its last candidate.
    for (let t = 0; t < groups * 4; t++) {
      const row = cand[Math.min(t, trials - 1)];
      candRows.set(data.subarray(row * d, row * d + d), t * d);
    }
    for (let g = 0; g < groups; g++) fourPotentials(data, n, d, candRows, g * 4, closest, candPot);
    let best = 0;
    for (let t = 1; t < trials; t++) if (candPot[t] < candPot[best]) best = t;
    centers.set(candRows.subarray(best * d, best * d + d), c * d);
    pot = candPot[best];
    yield c + 1;
  }
  if (k > 1) updateAndDraw(data, n, d, centers, k - 1, closest, second, labels, secondLabel, targets.subarray(0, 0), cand);
  return { centers, labels, closest, secondLabel, second };
}

function tooFewDistinct(k: number, distinct: number): ClusterError {
  return new ClusterError(
    `k = ${k} is more than the number of distinct rows (${distinct}); choose k ≤ ${distinct}.`,
  );
}

/** Squared distance of every row to centre 0, written to `out`; returns their sum. */
function firstCenter(data: Float64Array, n: number, d: number, centers: Float64Array, out: Float64Array): number {
  const dist = dist2; // see distance.ts: a local alias is inlined, the imported binding was not
  let pot = 0;
  for (let i = 0, off = 0; i < n; i++, off += d) {
    const s = dist(data, off, centers, 0, d);
    out[i] = s;
    pot += s;
  }
  return pot;
}

/** For ascending targets, the first row whose running weight sum exceeds each target. */
function drawCandidates(closest: Float64Array, n: number, targets: Float64Array, cand: Int32Array): void {
  const m = targets.length;
  let t = 0;
  let cum = 0;
  let lastPositive = 0;
  for (let i = 0; i < n && t < m; i++) {
    const v = closest[i];
    if (v > 0) lastPositive = i;
    cum += v;
    while (t < m && cum > targets[t]) cand[t++] = i;
  }
  while (t < m) cand[t++] = lastPositive; // rounding: a target fell on the total
}

/**
 * Folds centre c into the nearest / second-nearest distances and centres (in centre order, so ties
 * go to the lower index, as in a plain assignment), and draws the candidates for ascending
 * `targets` from the updated weights in the same pass.
 */
function updateAndDraw(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  c: number,
  closest: Float64Array,
  second: Float64Array,
  labels: Int32Array,
  secondLabel: Int32Array,
  targets: Float64Array,
  cand: Int32Array,
): void {
  const dist = dist2;
  const co = c * d;
  const m = targets.length;
  let t = 0;
  let cum = 0;
  let lastPositive = 0;
  for (let i = 0, off = 0; i < n; i++, off += d) {
    const s = dist(data, off, centers, co, d);
    let v = closest[i];
    if (s < v) {
      second[i] = v;
      secondLabel[i] = labels[i];
      closest[i] = v = s;
      labels[i] = c;
    } else if (s < second[i]) {
      second[i] = s;
      secondLabel[i] = c;
    }
    if (v > 0) lastPositive = i;
    cum += v;
    while (t < m && cum > targets[t]) cand[t++] = i;
  }
  while (t < m) cand[t++] = lastPositive;
}

/**
 * For the four candidate rows at candRows[t0 ..], the potential sum_i min(closest_i, |x_i - cand|^2)
 * into out[t0 ..]. Four at a time in scalar accumulators: one pass over the data instead of four.
 */
function fourPotentials(
  data: Float64Array,
  n: number,
  d: number,
  candRows: Float64Array,
  t0: number,
  closest: Float64Array,
  out: Float64Array,
): void {
  const dist = dist2;
  const c0 = t0 * d;
  const c1 = c0 + d;
  const c2 = c1 + d;
  const c3 = c2 + d;
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let i = 0, off = 0; i < n; i++, off += d) {
    const v = closest[i];
    const s0 = dist(data, off, candRows, c0, d);
    const s1 = dist(data, off, candRows, c1, d);
    const s2 = dist(data, off, candRows, c2, d);
    const s3 = dist(data, off, candRows, c3, d);
    p0 += s0 < v ? s0 : v;
    p1 += s1 < v ? s1 : v;
    p2 += s2 < v ? s2 : v;
    p3 += s3 < v ? s3 : v;
  }
  out[t0] = p0;
  out[t0 + 1] = p1;
  out[t0 + 2] = p2;
  out[t0 + 3] = p3;
}
