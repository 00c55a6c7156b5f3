/**
 * k-means on a row-major Float64Array: greedy k-means++ seeding, then Lloyd iterations accelerated
 * with Hamerly's bounds (hamerly.ts). The bounds only skip work that cannot change a label, so the
 * result is the one plain Lloyd reaches from the same initial centres.
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
import { assignAll, HamerlyLloyd, type Assignment } from './hamerly';
import { defaultLocalTrials, kmeansPlusPlus } from './kmeans-init';
import { createRng } from './rng';
import { runSteps } from '../run-steps';

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
  /**
   * Inertia of each iteration's assignment, against that iteration's centres; never increases
   * (beyond rounding: after the first it comes from per-cluster sums, not a pass over the rows).
   */
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
  validate(data, n, d, k, maxIter, tol);

  let centers: Float64Array;
  let first: Assignment;
  if (opts.init instanceof Float64Array) {
    if (opts.init.length !== k * d) throw new ClusterError(`init has ${opts.init.length} values; expected k × d = ${k * d}.`);
    centers = Float64Array.from(opts.init);
    first = assignAll(data, n, d, k, centers);
  } else {
    // The k-means++ pass that places the last centre also yields the first assignment.
    const steps = kmeansPlusPlus(data, n, d, k, createRng(opts.seed), opts.localTrials ?? defaultLocalTrials(k));
    let step = steps.next();
    while (!step.done) {
      yield { phase: 'seed', centers: step.value, k };
      step = steps.next();
    }
    centers = step.value.centers;
    first = step.value;
  }
  const tolAbs = tol > 0 ? tol * meanVariance(data, n, d) : 0;
  const run = new HamerlyLloyd(data, n, d, k, centers, first);
  let inertia = run.firstInertia;
  const history: number[] = [];

  let converged = false;
  let centersMoved = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const changed = iter === 1 ? n : run.assign();
    if (iter > 1) inertia = run.inertia();
    history.push(inertia);
    centersMoved = false;
    yield { phase: 'iterate', iter, inertia };
    if (changed === 0) {
      converged = true;
      break;
    }
    const shift = run.update();
    centersMoved = true;
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // Labels for the final centres (scikit-learn's closing E-step); not an iteration.
  if (centersMoved) run.assign();
  return {
    labels: run.labels,
    centroids: run.centers,
    inertia: run.exactInertia(),
    iterations: iter,
    converged,
    inertiaHistory: history,
    sizes: run.counts,
  };
}

/**
 * Clusters the n x d rows of `data` into k clusters (see the module comment for the rules).
 * Throws ClusterError for unusable input and CancelledError when onProgress returns false.
 */
export function kmeans(data: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  return runSteps(kmeansSteps(data, n, d, opts), (p) => (p.phase === 'iterate' ? opts.onProgress?.(p.iter, p.inertia) : undefined));
}

function validate(data: Float64Array, n: number, d: number, k: number, maxIter: number, tol: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ClusterError('There are no rows to cluster.');
  if (!Number.isInteger(d) || d < 1) throw new ClusterError('Choose at least one feature to cluster on.');
  if (data.length !== n * d) throw new ClusterError(`The data has ${data.length} values; expected n × d = ${n * d}.`);
  if (!Number.isInteger(k) || k < 1) throw new ClusterError(`k must be a whole number ≥ 1, got ${k}.`);
  if (k > n) throw new ClusterError(`k = ${k} is more than the number of rows (${n}); choose k ≤ ${n}.`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ClusterError(`maxIter must be a whole number ≥ 1, got ${maxIter}.`);
  if (!(tol >= 0)) throw new ClusterError(`tol must be ≥ 0, got ${tol}.`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / d);
      throw new ClusterError(
        `Row ${row + 1}, feature ${(i % d) + 1} is ${data[i]}: drop or impute missing values before clustering.`,
      );
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
