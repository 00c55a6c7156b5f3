/**
 * What the maximum-likelihood fits of the lifetime-value models share: parameters kept positive by
 * minimising over their logarithms inside a box, BFGS run as a generator with progress in
 * log-likelihood units, and the weighted (x, t_x, T) rows the purchase models sum over.
 */
import { uniqueRowsUpTo } from './compress';
import { ClvError } from './errors';
import { minimizeSteps, withinBox, type Objective } from './optimize';
import type { CustomerHistory } from './history';
import { mapSteps, runSteps } from '../run-steps';

/**
 * Bound on |ln parameter| while fitting: beyond e^±30 in any parameter the data is pushing the fit
 * to a boundary (e.g. no dropout at all), and the search should stop there and report no
 * convergence rather than wander off.
 */
export const LOG_PARAM_LIMIT = 30;

/** A progress report of a fit: the BFGS iteration and the log-likelihood reached. */
export interface FitProgress {
  iter: number;
  logLikelihood: number;
}

/** Options of `fitLogParamsSteps`. */
export interface LogParamFitOptions {
  /** Most BFGS iterations (default 500). */
  maxIter?: number;
  /** Gradient tolerance on the objective, in log-parameters (default 1e-8). */
  gtol?: number;
  /** Central-difference gradients (for objectives without an analytic gradient). */
  numericGradient?: boolean;
}

/** The outcome of `fitLogParamsSteps`. */
export interface LogParamFit<K extends string> {
  params: Record<K, number>;
  /** The maximised log-likelihood: -objective · total. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Minimises `objective` (the mean negative log-likelihood per customer over the logarithms of the
 * parameters named by `keys`, in that order) from `init`, within the box |ln p| <= LOG_PARAM_LIMIT.
 * Yields after each iteration; `total` turns the mean back into a log-likelihood.
 */
export function* fitLogParamsSteps<K extends string>(
  objective: Objective,
  keys: readonly K[],
  init: Record<K, number>,
  total: number,
  opts: LogParamFitOptions = {},
): Generator<FitProgress, LogParamFit<K>, void> {
  const theta0 = paramsToLog(keys, init);
  const minimizeOpts = { maxIter: opts.maxIter, gtol: opts.gtol, numericGradient: opts.numericGradient };
  const steps = minimizeSteps(withinBox(objective, LOG_PARAM_LIMIT), theta0, minimizeOpts);
  const result = yield* mapSteps(steps, (step) => ({ iter: step.iter, logLikelihood: -step.value * total }));
  return {
    params: paramsFromLog(keys, result.x),
    logLikelihood: -result.value * total,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** The options every model fit takes. */
export interface ModelFitOptions<P> {
  /** Starting parameters (default: from the data, per model). */
  init?: P;
  /** Most BFGS iterations (default 500). */
  maxIter?: number;
  /** Gradient tolerance on the mean log-likelihood per customer, in log-parameters (default 1e-8). */
  gtol?: number;
  /** Called after each iteration with the log-likelihood; returning false cancels (CancelledError). */
  onProgress?: (iter: number, logLikelihood: number) => void | boolean;
}

/** What every model fit reports beside its parameters. */
export interface ModelFit {
  /** The maximised log-likelihood (summed over customers, weights applied). */
  logLikelihood: number;
  /** BFGS iterations. */
  iterations: number;
  /** Whether the gradient reached the tolerance. */
  converged: boolean;
  /** Customers fitted (sum of weights). */
  customers: number;
}

/** A model's likelihood ready to fit: the mean negative log-likelihood per customer over log-parameters, and the customers (sum of weights). */
export interface FitProblem {
  objective: Objective;
  total: number;
}

/**
 * Fits a model's parameters (named by `keys`) by maximum likelihood from `init` as a generator:
 * `fitLogParamsSteps` on `problem`, returning the parameters with the fit's figures.
 */
export function* fitModelSteps<K extends string>(
  problem: FitProblem,
  keys: readonly K[],
  init: Record<K, number>,
  opts: LogParamFitOptions = {},
): Generator<FitProgress, Record<K, number> & ModelFit, void> {
  const fit = yield* fitLogParamsSteps(problem.objective, keys, init, problem.total, opts);
  return { ...fit.params, logLikelihood: fit.logLikelihood, iterations: fit.iterations, converged: fit.converged, customers: problem.total };
}

/** Runs a fit's steps to the end, reporting each to `onProgress` (returning false cancels: CancelledError). */
export function runFit<F>(steps: Generator<FitProgress, F, void>, onProgress?: ModelFitOptions<unknown>['onProgress']): F {
  return runSteps(steps, (s) => onProgress?.(s.iter, s.logLikelihood));
}

/**
 * The distinct frequencies among weighted rows, so that likelihood terms depending on x alone are
 * computed once per level: each row's level, the levels' x and their summed weights.
 */
export function frequencyLevels(x: Float64Array, w: Float64Array): { level: Int32Array; xs: Float64Array; weight: Float64Array } {
  const levelOf = new Map<number, number>();
  const level = new Int32Array(x.length);
  const levels: number[] = [];
  for (let i = 0; i < x.length; i++) {
    let l = levelOf.get(x[i]);
    if (l === undefined) {
      l = levels.length;
      levels.push(x[i]);
      levelOf.set(x[i], l);
    }
    level[i] = l;
  }
  const weight = new Float64Array(levels.length);
  for (let i = 0; i < x.length; i++) weight[level[i]] += w[i];
  return { level, xs: Float64Array.from(levels), weight };
}

/** The logarithms of the parameters named by `keys`, in that order. */
export function paramsToLog<K extends string>(keys: readonly K[], params: Record<K, number>): Float64Array {
  return Float64Array.from(keys, (k) => Math.log(params[k]));
}

/** The parameters named by `keys` from their logarithms, in that order. */
export function paramsFromLog<K extends string>(keys: readonly K[], theta: ArrayLike<number>): Record<K, number> {
  const p = {} as Record<K, number>;
  keys.forEach((k, i) => (p[k] = Math.exp(theta[i])));
  return p;
}

/** Throws ClvError unless every parameter named by `keys` is finite and positive. */
export function checkPositiveParams<K extends string>(model: string, params: Record<K, number>, keys: readonly K[]): void {
  for (const key of keys) {
    const v = params[key];
    if (!(v > 0 && v < Infinity)) throw new ClvError(`${model} parameter ${key} must be finite and > 0, got ${v}.`);
  }
}

/** Customers as weighted rows, with the totals the fits start from. */
export interface WeightedHistory {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  /** Customers (sum of weights). */
  total: number;
  /** Repeat purchases (weighted sum of x). */
  repeat: number;
  /** Time observed (weighted sum of T). */
  exposure: number;
}

/**
 * The rows of a (checked) history, compressed into distinct (x, t_x, T) with weights when
 * `compress` is set and at most half of them are distinct (times in whole days repeat; exact
 * times would not, and compressing them would not pay).
 */
export function weightedHistory(data: CustomerHistory, compress: boolean): WeightedHistory {
  let { x, tx, T } = data;
  let w: Float64Array;
  const u = compress ? uniqueRowsUpTo([x, tx, T], x.length / 2, data.weight) : null;
  if (u) {
    [x, tx, T] = u.columns;
    w = u.weight;
  } else {
    w = data.weight ?? new Float64Array(x.length).fill(1);
  }
  let total = 0;
  let repeat = 0;
  let exposure = 0;
  for (let i = 0; i < x.length; i++) {
    total += w[i];
    repeat += w[i] * x[i];
    exposure += w[i] * T[i];
  }
  return { x, tx, T, w, total, repeat, exposure };
}
