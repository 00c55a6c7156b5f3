/**
 * Choosing k: k-means for each k in a range, with inertia (for the elbow) and the silhouette on a
 * fixed sample, and a suggested k.
 *
 * Suggested k: the highest silhouette, except that a smaller k within `tieTolerance` (default 0.01)
 * of the best wins (fewer clusters are easier to act on; differences that small are within the
 * noise of a 2000-row sample). The elbow (Kneedle on the inertia curve) is reported beside it.
 */
import { ClusterError } from './errors';
import { kmeansSteps, type KMeansProgress } from './kmeans';
import { defaultLocalTrials } from './kmeans-init';
import { KMeansSpace } from './simd/kmeans-space';
import { DEFAULT_SILHOUETTE_SAMPLE, silhouette } from './silhouette';
import { mapSteps, runSteps } from '../run-steps';
import { t } from '../../src/lib/i18n';

/** Options of a sweep over k. */
export interface SweepOptions {
  /** Smallest k (default 2). */
  kMin?: number;
  /** Largest k (default 10, capped at n). */
  kMax?: number;
  /** Seed of every k-means run and of the silhouette sample. */
  seed: number;
  /** Lloyd iterations per run (default 20). */
  maxIter?: number;
  /** k-means tolerance (see KMeansOptions.tol). */
  tol?: number;
  /** Rows the silhouette is computed on (default 2000). */
  silhouetteSample?: number;
  /** How close to the best silhouette a smaller k may be and still be suggested (default 0.01). */
  tieTolerance?: number;
  /** Called after each k-means iteration; returning false cancels (CancelledError). */
  onProgress?: (k: number, iter: number) => void | boolean;
  /** The rows laid out for k-means, for every k of the range (made from `data` if absent). */
  space?: KMeansSpace;
}

/** One k of a sweep. */
export interface SweepPoint {
  k: number;
  inertia: number;
  silhouette: number;
  iterations: number;
}

/** The outcome of a sweep. */
export interface SweepResult {
  points: SweepPoint[];
  /** The k with the best silhouette (ties within tieTolerance to the smaller k). */
  suggestedK: number;
  /** The knee of the inertia curve (Kneedle), or null when the curve has none. */
  elbowK: number | null;
  /** Rows the silhouettes were computed on. */
  silhouetteSampleSize: number;
}

/** A progress report of `sweepSteps`. */
export type SweepProgress = { k: number; progress: KMeansProgress };

/** The sweep as a generator: yields each k-means step, returns the result (see kmeansSteps). */
export function* sweepSteps(
  data: Float64Array,
  n: number,
  d: number,
  opts: SweepOptions,
): Generator<SweepProgress, SweepResult, void> {
  const kMin = opts.kMin ?? 2;
  const kMax = Math.min(opts.kMax ?? 10, n);
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new ClusterError(t('msg.cluster.kRange', { from: String(kMin), to: String(kMax) }));
  }
  const points: SweepPoint[] = [];
  let sampleSize = 0;
  const space = opts.space ?? new KMeansSpace(data, n, d, kMax, defaultLocalTrials(kMax));
  for (let k = kMin; k <= kMax; k++) {
    const run = kmeansSteps(data, n, d, { k, seed: opts.seed, maxIter: opts.maxIter ?? 20, tol: opts.tol, space });
    const r = yield* mapSteps(run, (progress) => ({ k, progress }));
    const sil = silhouette(data, n, d, r.labels, k, {
      sampleSize: opts.silhouetteSample ?? DEFAULT_SILHOUETTE_SAMPLE,
      seed: opts.seed,
    });
    sampleSize = sil.sampleSize;
    points.push({ k, inertia: r.inertia, silhouette: sil.score, iterations: r.iterations });
  }
  return {
    points,
    suggestedK: suggestK(points, opts.tieTolerance ?? 0.01),
    elbowK: kneedle(points.map((p) => p.k), points.map((p) => p.inertia)),
    silhouetteSampleSize: sampleSize,
  };
}

/** Runs k-means for each k in the range (see SweepOptions); throws CancelledError when onProgress returns false. */
export function sweep(data: Float64Array, n: number, d: number, opts: SweepOptions): SweepResult {
  return runSteps(sweepSteps(data, n, d, opts), ({ k, progress }) => (progress.phase === 'iterate' ? opts.onProgress?.(k, progress.iter) : undefined));
}

/** The smallest k whose silhouette is within `tolerance` of the best one. */
export function suggestK(points: readonly { k: number; silhouette: number }[], tolerance = 0.01): number {
  if (points.length === 0) throw new ClusterError(t('msg.cluster.noK'));
  const best = Math.max(...points.map((p) => p.silhouette));
  const sorted = [...points].sort((a, b) => a.k - b.k);
  return sorted.find((p) => p.silhouette >= best - tolerance)!.k;
}

/**
 * The knee of a decreasing, convex curve (Satopää et al. 2011, "Kneedle"): after scaling both axes
 * to [0, 1], the x where the curve lies farthest below the straight line between its ends.
 * Null when fewer than 3 points or no point lies below that line.
 */
export function kneedle(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length < 3) return null;
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const yMax = Math.max(...ys);
  const yMin = Math.min(...ys);
  if (!(x1 > x0) || !(yMax > yMin)) return null;
  let best: number | null = null;
  let bestGap = 1e-9;
  for (let i = 0; i < xs.length; i++) {
    const xn = (xs[i] - x0) / (x1 - x0);
    const yn = (ys[i] - yMin) / (yMax - yMin);
    const gap = 1 - xn - yn; // the line from (0, 1) to (1, 0) minus the curve
    if (gap > bestGap) {
      bestGap = gap;
      best = xs[i];
    }
  }
  return best;
}
