/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials scikit-learn uses):
 * each new centre is the best of several candidates drawn with probability proportional to the
 * squared distance to the nearest centre chosen so far.
 */
import { ClusterError } from './errors';
import type { Rng } from './rng';
import type { KMeansSpace } from './simd/kmeans-space';
import { t } from '../../src/lib/i18n';

/** scikit-learn's number of local trials per centre: 2 + floor(ln k). */
export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/**
 * Chooses k initial centres (row-major k x d) from the rows of `space`. Yields the number of
 * centres chosen so far. With `trials` = 1 this is plain k-means++. Throws a ClusterError when the
 * data has fewer than k distinct rows (the potential drops to 0 before k centres are chosen).
 */
export function* kmeansPlusPlus(
  space: KMeansSpace,
  k: number,
  rng: Rng,
  trials: number = defaultLocalTrials(k),
): Generator<number, Float64Array, void> {
  const { data, n, d } = space;
  if (trials > space.mMax) throw new ClusterError(`At most ${space.mMax} local trials, got ${trials}.`);
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  space.resetClosest();
  space.fold(centers);
  let pot = 0;
  for (const v of space.closest) pot += v;
  yield 1;

  const cand = new Int32Array(trials);
  const candRows = new Float64Array(trials * d);
  const targets = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
    if (!(pot > 0)) throw tooFewDistinct(k, c);
    for (let t = 0; t < trials; t++) targets[t] = rng.next() * pot;
    targets.sort();
    drawCandidates(space.closest, targets, cand);
    for (let t = 0; t < trials; t++) candRows.set(data.subarray(cand[t] * d, cand[t] * d + d), t * d);
    const pots = space.potentials(candRows, trials);
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    const centre = candRows.subarray(best * d, best * d + d);
    centers.set(centre, c * d);
    pot = pots[best];
    if (c < k - 1) space.fold(centre);
    yield c + 1;
  }
  return centers;
}

function tooFewDistinct(k: number, distinct: number): ClusterError {
  return new ClusterError(t('msg.cluster.kTooFewDistinct', { k, n: distinct }));
}

/** For ascending targets, the first row whose running weight sum exceeds each target. */
function drawCandidates(closest: Float64Array, targets: Float64Array, cand: Int32Array): void {
  const n = closest.length;
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
