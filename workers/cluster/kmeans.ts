/**
 * k-means on a row-major Float64Array: greedy k-means++ seeding, then Lloyd iterations. Both run
 * in WebAssembly SIMD kernels (simd/), two rows per instruction, over a column-wise copy of the rows.
 * Each pass computes every distance and sums the clusters afresh in row order: the result is
 * exactly that of a plain scalar Lloyd loop from the same initial centres.
 *
 * Rules for the awkward cases:
 * - k > n, or k more than the number of distinct rows: ClusterError saying which k would work.
 * - non-finite values: ClusterError naming the row and feature (handle missing values first).
 * - n = 1 (so k = 1) and constant features need nothing special.
 * - a cluster left empty by an iteration is reseeded at the row farthest from its centre among
 *   clusters with more than one row (scikit-learn's rule), and that row moves to it.
 * - stopping: after an iteration whose labels equal the previous ones, when the centres moved by no
 *   more than `tol` (scikit-learn's definition), or after maxIter iterations. The returned labels
 *   are always the nearest-centre labels for the returned centroids.
 */
import { ClusterError } from './errors';
import { defaultLocalTrials, kmeansPlusPlus } from './kmeans-init';
import { createRng } from './rng';
import { KMeansSpace } from './simd/kmeans-space';
import { mapSteps, runSteps } from '../run-steps';
import { t } from '../../src/lib/i18n';

/** Options of a k-means run. */
export interface KMeansOptions {
  /** Number of clusters, 1 <= k <= distinct rows. */
  k: number;
  /** Seed of the k-means++ draws: the same seed and data give the same clusters. */
  seed: number;
  /** Most Lloyd iterations (default 20). */
  maxIter?: number;
  /**
   * Stop when the squared centre shift summed over clusters is at most tol times the mean feature
   * variance (scikit-learn's rule; default 1e-4). 0 stops only on unchanged labels or maxIter.
   */
  tol?: number;
  /** 'k-means++' (greedy, the default) or explicit initial centres, row-major k x d. */
  init?: 'k-means++' | Float64Array;
  /** Candidates per k-means++ step (default 2 + floor(ln k); 1 is plain k-means++). */
  localTrials?: number;
  /** Called after each iteration with its inertia; returning false cancels (CancelledError). */
  onProgress?: (iter: number, inertia: number) => void | boolean;
  /** The rows already laid out for the kernels (a sweep reuses one); made from `data` if absent. */
  space?: KMeansSpace;
}

/** The outcome of a k-means run. */
export interface KMeansResult {
  /** Cluster of each row, 0..k-1. */
  labels: Int32Array;
  /** Centres, row-major k x d. */
  centroids: Float64Array;
  /** Sum of squared distances of the rows to their centres. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
  /** Whether it stopped on unchanged labels or tol rather than on maxIter. */
  converged: boolean;
  /** Inertia of each iteration's assignment, against that iteration's centres; never increases. */
  inertiaHistory: number[];
  /** Rows per cluster. */
  sizes: Int32Array;
}

/** A progress report of `kmeansSteps`. */
export type KMeansProgress =
  | { phase: 'seed'; centers: number; k: number }
  | { phase: 'iterate'; iter: number; inertia: number };

/**
 * k-means as a generator: yields progress after each k-means++ centre and each iteration and
 * returns the result, so a caller can give the event loop a turn between steps (and stop there).
 */
export function* kmeansSteps(
  data: Float64Array,
  n: number,
  d: number,
  opts: KMeansOptions,
): Generator<KMeansProgress, KMeansResult, void> {
  const { k } = opts;
  const maxIter = opts.maxIter ?? 20;
  const tol = opts.tol ?? 1e-4;
  const trials = opts.localTrials ?? defaultLocalTrials(k);
  validate(data, n, d, k, maxIter, tol);
  const space = opts.space ?? new KMeansSpace(data, n, d, k, trials);
  if (space.data !== data || space.kMax < k) throw new ClusterError('The k-means space was made for other data or a smaller k.');

  let centers: Float64Array;
  if (opts.init instanceof Float64Array) {
    if (opts.init.length !== k * d) throw new ClusterError(`init has ${opts.init.length} values; expected k × d = ${k * d}.`);
    centers = Float64Array.from(opts.init);
  } else {
    centers = yield* mapSteps(kmeansPlusPlus(space, k, createRng(opts.seed), trials), (chosen): KMeansProgress => ({ phase: 'seed', centers: chosen, k }));
  }
  const tolAbs = tol > 0 ? tol * meanVariance(data, n, d) : 0;
  const history: number[] = [];
  space.labels.fill(-1);

  let inertia = 0;
  let converged = false;
  let centersMoved = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const pass = space.assign(centers, k);
    inertia = pass.inertia;
    history.push(inertia);
    centersMoved = false;
    yield { phase: 'iterate', iter, inertia };
    if (iter > 1 && pass.changed === 0) {
      converged = true;
      break;
    }
    if (space.counts.subarray(0, k).includes(0)) reseedEmpty(space, k, centers);
    const shift = moveCentres(space, k, centers);
    centersMoved = true;
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // Labels for the final centres (scikit-learn's closing E-step); not an iteration.
  if (centersMoved) inertia = space.assign(centers, k).inertia;
  return {
    labels: space.labels.slice(),
    centroids: centers,
    inertia,
    iterations: iter,
    converged,
    inertiaHistory: history,
    sizes: space.counts.slice(0, k),
  };
}

/** Moves each centre to the mean of its rows; returns the summed squared movement (scikit-learn's centre shift). */
function moveCentres(space: KMeansSpace, k: number, centers: Float64Array): number {
  const { d, sums, counts } = space;
  let shift = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const q = c * d + j;
      const next = sums[q] / counts[c];
      shift += (next - centers[q]) * (next - centers[q]);
      centers[q] = next;
    }
  }
  return shift;
}

/**
 * Gives each empty cluster the row farthest from its centre, taken only from clusters that keep
 * at least one row (scikit-learn's rule); the row moves to it, with the sums and counts.
 */
function reseedEmpty(space: KMeansSpace, k: number, centers: Float64Array): void {
  const { data, n, d, labels, sums, counts } = space;
  const far2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = data[i * d + j] - centers[labels[i] * d + j];
      s += t * t;
    }
    far2[i] = s;
  }
  for (let e = 0; e < k; e++) {
    if (counts[e] !== 0) continue;
    let far = -1;
    for (let i = 0; i < n; i++) {
      if (far2[i] > 0 && counts[labels[i]] > 1 && (far < 0 || far2[i] > far2[far])) far = i;
    }
    if (far < 0) {
      throw new ClusterError(t('msg.cluster.emptyCluster', { cluster: e + 1 }));
    }
    const from = labels[far];
    for (let j = 0; j < d; j++) {
      sums[from * d + j] -= data[far * d + j];
      sums[e * d + j] = data[far * d + j];
    }
    counts[from]--;
    counts[e] = 1;
    labels[far] = e;
    far2[far] = 0;
  }
}

/**
 * Clusters the n x d rows of `data` into k clusters (see the module comment for the rules).
 * Throws ClusterError for unusable input and CancelledError when onProgress returns false.
 */
export function kmeans(data: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  return runSteps(kmeansSteps(data, n, d, opts), (p) => (p.phase === 'iterate' ? opts.onProgress?.(p.iter, p.inertia) : undefined));
}

function validate(data: Float64Array, n: number, d: number, k: number, maxIter: number, tol: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ClusterError(t('msg.cluster.noRows'));
  if (!Number.isInteger(d) || d < 1) throw new ClusterError(t('msg.cluster.chooseFeature'));
  if (data.length !== n * d) throw new ClusterError(`The data has ${data.length} values; expected n × d = ${n * d}.`);
  if (!Number.isInteger(k) || k < 1) throw new ClusterError(t('msg.cluster.kWhole', { k: String(k) }));
  if (k > n) throw new ClusterError(t('msg.cluster.kTooLarge', { k, n }));
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ClusterError(`maxIter must be a whole number ≥ 1, got ${maxIter}.`);
  if (!(tol >= 0)) throw new ClusterError(`tol must be ≥ 0, got ${tol}.`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / d);
      throw new ClusterError(t('msg.cluster.missingValue', { row: row + 1, feature: (i % d) + 1, value: String(data[i]) }));
    }
  }
}

/** Mean over features of the population variance (scikit-learn scales tol by it). */
function meanVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = j; i < data.length; i += d) mean += data[i];
    mean /= n;
    let v = 0;
    for (let i = j; i < data.length; i += d) v += (data[i] - mean) * (data[i] - mean);
    total += v / n;
  }
  return total / d;
}
