/**
 * The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987): while alive a customer buys at
 * Poisson rate λ ~ Gamma(r, alpha); their lifetime is exponential with rate μ ~ Gamma(s, beta), so
 * they may drop out at any time (in BG/NBD only right after a purchase). The likelihood, P(alive)
 * and the expectations follow Fader, Hardie & Lee (2005), "A Note on Deriving the Pareto/NBD Model
 * and Related Expressions" (the note).
 *
 * The likelihood is a "still alive at T" term plus a "dropped out in (t_x, T]" term,
 * s/(r+s+x) · A_0, where A_0 is a difference of two 2F1 values (branches α >= β and α < β, so that
 * the series argument is in [0, 1)). Everything is kept in logs; the fit maximises it over
 * log-parameters with BFGS on central-difference gradients (the 2F1 derivatives in its parameters
 * have no cheap closed form).
 *
 * The 2F1 series converges like z^n, and z = |α - β| / (max(α, β) + t) approaches 1 when one time
 * scale dwarfs the other and t is small. Where 1 - z < SERIES_GAP the same quantity is computed
 * instead as the integral it stands for, F(t) = (r+s+x) ∫_t^∞ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ, by
 * Gauss-Legendre quadrature over ln(min(α, β) + τ), where the integrand is smooth and its only
 * sharp feature has unit width; the far tail is added in closed form.
 *
 * The fit's objective computes F for all customers with the same x in one sweep: F(t) is a tail
 * integral of one integrand, so the tails at ascending t differ by the integral between them
 * (`logTailIntegrals`), a few integrand values per customer.
 */
import { perRow, uniqueRows } from './compress';
import { ClvError } from './errors';
import { checkHistory, checkHorizon, type CustomerHistory, type PurchasePrediction } from './history';
import { checkPositiveParams, fitLogParamsSteps, paramsToLog, weightedHistory, type FitProgress } from './log-param-fit';
import { addCompensated, hyp2f1, lgamma, logAddExp } from './special';
import { runSteps } from '../run-steps';
import { t } from '../../src/lib/i18n';

/** Pareto/NBD parameters: purchase rate λ ~ Gamma(shape r, rate alpha), dropout rate μ ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** A maximum-likelihood Pareto/NBD fit. */
export interface ParetoNbdFit extends ParetoNbdParams {
  /** The maximised log-likelihood (summed over customers, weights applied). */
  logLikelihood: number;
  /** BFGS iterations. */
  iterations: number;
  /** Whether the gradient reached the tolerance. */
  converged: boolean;
  /** Customers fitted (sum of weights). */
  customers: number;
  /** Rows the likelihood was evaluated on: the distinct (x, t_x, T) if compressed, else customers. */
  distinct: number;
  /** s ran up towards MAX_DROPOUT_SHAPE: the data show no spread in dropout rates (one rate, s/β, for all). */
  dropoutShapeCapped: boolean;
}

/**
 * Largest dropout shape s the fit reports. Where every customer's dropout rate looks the same, the
 * likelihood keeps rising as s and β grow together with s/β (the mean dropout rate) fixed, towards
 * a model with one dropout rate for all; a search over ln s and ln β crawls along that ridge for
 * hundreds of iterations, ever more slowly. The search therefore runs over ln(s/β) and a
 * coordinate u with ln s = u - ln(1 + e^(u - ln MAX)): a bijection onto s < MAX (so the maximum is
 * the same where it is interior), in which the ridge flattens out exponentially past MAX and the
 * gradient test ends the search. Rates with s = 1e4 are within 1 % of each other.
 */
export const MAX_DROPOUT_SHAPE = 1e4;
const LN_MAX_DROPOUT_SHAPE = Math.log(MAX_DROPOUT_SHAPE);
const SEARCH_KEYS = ['r', 'alpha', 'u', 'meanDropout'] as const;

/**
 * The fit also stops, as converged, after two iterations in a row that change the log-likelihood by
 * less than this share of it (scipy's L-BFGS-B default): near the ridge above, and wherever the
 * numeric gradient's noise keeps it above the gradient tolerance, BFGS would otherwise go on with
 * steps that no longer change the model.
 */
const FLAT_TOLERANCE = 2.2e-9;

/** ln(1 + e^z) without overflow. */
function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Parameters from the search coordinates (ln r, ln α, u, ln(s/β)). */
function fromSearch(theta: ArrayLike<number>): ParetoNbdParams {
  const lnS = theta[2] - log1pExp(theta[2] - LN_MAX_DROPOUT_SHAPE);
  return { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), s: Math.exp(lnS), beta: Math.exp(lnS - theta[3]) };
}

/** The search coordinates of parameters with s < MAX_DROPOUT_SHAPE, as `fitLogParamsSteps` takes them (exponentiated). */
function toSearch(p: ParetoNbdParams): Record<(typeof SEARCH_KEYS)[number], number> {
  const s = Math.min(p.s, MAX_DROPOUT_SHAPE / 2);
  return { r: p.r, alpha: p.alpha, u: s / (1 - s / MAX_DROPOUT_SHAPE), meanDropout: p.s / p.beta };
}

/** Options of `fitParetoNbd`. */
export interface ParetoNbdFitOptions {
  /** Starting parameters (default: r = s = 1, alpha the mean time between purchases, beta the mean age). */
  init?: ParetoNbdParams;
  /** Most BFGS iterations (default 500). */
  maxIter?: number;
  /** Gradient tolerance on the mean log-likelihood per customer, in log-parameters (default 1e-8). */
  gtol?: number;
  /** Compress identical customers into weighted rows first, unless over half are distinct (default true). */
  compress?: boolean;
  /** Called after each iteration with the log-likelihood; returning false cancels (CancelledError). */
  onProgress?: (iter: number, logLikelihood: number) => void | boolean;
}

/** A progress report of `fitParetoNbdSteps`. */
export type ParetoNbdProgress = FitProgress;

const KEYS = ['r', 'alpha', 's', 'beta'] as const;

/**
 * Smallest 1 - z the 2F1 series is run at (it needs about 40 / (1 - z) terms, so up to ~800); below
 * it F(t) is integrated numerically.
 */
export const SERIES_GAP = 0.05;

// Most 2F1 terms: above SERIES_GAP the series needs fewer unless r + x is in the thousands.
const MAX_TERMS = 200_000;

// 10-point Gauss-Legendre nodes and weights on [-1, 1] (positive half).
const GL_X = [0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717];
const GL_W = [0.2955242247147529, 0.2692667193099963, 0.219086362515982, 0.1494513491505806, 0.0666713443086881];

/** g(v) = -b1 ln(d + e^v) - (b2 - 1) v, the log-integrand of the tail integrals below, without overflow. */
function tailIntegrand(b1: number, b2: number, d: number): (v: number) => number {
  const lnD = Math.log(d);
  return (v) => -b1 * (v > lnD ? v + Math.log1p(d * Math.exp(-v)) : lnD + Math.log1p(Math.exp(v - lnD))) - (b2 - 1) * v;
}

/**
 * ln ∫_{v0}^∞ exp(g(v)) dv with g(v) = -b1 ln(d + e^v) - (b2 - 1) v (d > 0, b1 + b2 > 1): the
 * integral behind F(t) after the substitution v = ln(min(α, β) + τ). Panels are at most 1 wide and
 * narrower where g is steep; beyond v = ln d + 14, where ln(d + e^v) = v + d e^-v to 1e-12, the
 * rest is integrated in closed form.
 */
export function logTailIntegral(b1: number, b2: number, d: number, v0: number): number {
  const lnD = Math.log(d);
  const vc = lnD + 14;
  const g = tailIntegrand(b1, b2, d);
  // Values in units of e^ref, ref being the largest log-integrand seen, so nothing overflows.
  let ref = g(v0);
  let sum = 0;
  let v = v0;
  for (let panel = 0; v < vc && panel < 10_000; panel++) {
    const share = Math.exp(v - lnD) / (1 + Math.exp(v - lnD));
    const slope = Math.abs(b1 * share + b2 - 1);
    const h = Math.min(1, 8 / slope, vc - v);
    const mid = v + h / 2;
    let part = 0;
    for (let k = 0; k < 5; k++) {
      const lo = g(mid - (h / 2) * GL_X[k]);
      const hi = g(mid + (h / 2) * GL_X[k]);
      const top = Math.max(lo, hi);
      if (top > ref) {
        sum *= Math.exp(ref - top);
        part *= Math.exp(ref - top);
        ref = top;
      }
      part += GL_W[k] * (Math.exp(lo - ref) + Math.exp(hi - ref));
    }
    sum += (h / 2) * part;
    v += h;
    // g is concave (g'' = -b1 · share · (1 - share)), so once g' < 0 the integrand only falls: stop
    // once a panel adds nothing.
    const falling = b1 * (Math.exp(v - lnD) / (1 + Math.exp(v - lnD))) + b2 - 1 > 0;
    if (falling && (h / 2) * part < 1e-18 * sum) return ref + Math.log(sum);
  }
  const start = Math.max(v, vc);
  // ∫_start^∞ e^{-a v} (1 - b1 d e^{-v}) dv with a = b1 + b2 - 1.
  const a = b1 + b2 - 1;
  const logTail = -a * start - Math.log(a) + Math.log1p(-((b1 * d * Math.exp(-start)) * a) / (a + 1));
  return logAddExp(ref + Math.log(sum), logTail);
}

/**
 * About how many terms 2F1(c, b; c+1; z) takes: its terms grow for about b·z/(1-z) steps before
 * they fall geometrically at rate z (about 40/(1-z) more steps to 1e-16).
 */
function seriesTerms(b: number, gap: number): number {
  return (b * (1 - gap) + 40) / gap;
}

/**
 * Beyond this many expected series terms F(t) is integrated instead: the quadrature costs a few
 * hundred integrand values whatever the exponents (a steep integrand gets narrow panels but is
 * negligible after a few of them), while the series slows without bound as r + x grows.
 */
export const MAX_SERIES_TERMS = 400;

// 5-point Gauss-Legendre nodes and weights on [-1, 1] (positive half and the centre).
const GL5_X = [0.5384693101056831, 0.906179845938664];
const GL5_W = [0.4786286704993665, 0.2369268850561891];
const GL5_W0 = 0.5688888888888889;

/**
 * ln ∫_{v0[k]}^∞ exp(g(v)) dv for every k, g as in logTailIntegral and v0 ascending, into `out`:
 * the last by logTailIntegral, each earlier one adding the integral up to the next start. For
 * the many customers who share x this costs a few integrand values each instead of a whole tail
 * integral each. Panels are at most 1 wide and narrow enough that g changes by at most 1 across
 * one (5-point rule, relative error below 1e-12), or 8 (10-point rule).
 */
export function logTailIntegrals(b1: number, b2: number, d: number, v0: ArrayLike<number>, out: Float64Array): void {
  const n = v0.length;
  if (n === 0) return;
  const lnD = Math.log(d);
  const g = tailIntegrand(b1, b2, d);
  const slopeAt = (v: number) => Math.abs(b1 / (1 + d * Math.exp(-v)) + b2 - 1);
  let acc = logTailIntegral(b1, b2, d, v0[n - 1]);
  out[n - 1] = acc;
  for (let k = n - 2; k >= 0; k--) {
    let v = v0[k];
    const end = v0[k + 1];
    while (v < end) {
      const slope = Math.max(slopeAt(v), slopeAt(Math.min(end, v + 1)));
      const h5 = Math.min(1, 1 / slope, end - v);
      let part: number;
      let h: number;
      if (h5 === end - v || h5 >= 0.125) {
        h = h5;
        const mid = v + h / 2;
        const ref = g(mid);
        let sum = GL5_W0;
        for (let j = 0; j < 2; j++) {
          sum += GL5_W[j] * (Math.exp(g(mid - (h / 2) * GL5_X[j]) - ref) + Math.exp(g(mid + (h / 2) * GL5_X[j]) - ref));
        }
        part = ref + Math.log((h / 2) * sum);
      } else {
        h = Math.min(1, 8 / slope, end - v);
        const mid = v + h / 2;
        const ref = g(mid);
        let sum = 0;
        for (let j = 0; j < 5; j++) {
          sum += GL_W[j] * (Math.exp(g(mid - (h / 2) * GL_X[j]) - ref) + Math.exp(g(mid + (h / 2) * GL_X[j]) - ref));
        }
        part = ref + Math.log((h / 2) * sum);
      }
      acc = logAddExp(acc, part);
      v += h;
    }
    out[k] = acc;
  }
}

// Rows summed plainly before their block sum is added with compensation.
const BLOCK = 256;

/**
 * ln ∫_t^∞ (A+u)^-ea (B+u)^-eb du (A, B > 0, ea + eb > 1) for t >= 0: with M = max(A, B), m = min
 * and c = ea + eb - 1 it is 2F1(c, e_m; c+1; (M-m)/(M+t)) / (c (M+t)^c), e_m being the exponent
 * of the smaller one's factor; near z = 1 by quadrature (see the module comment). NaN if the
 * series fails (exponents in the tens of thousands).
 */
export function logPowerTail(A: number, ea: number, B: number, eb: number, t: number): number {
  const high = A >= B;
  const m = high ? B : A;
  const M = high ? A : B;
  const c = ea + eb - 1;
  // 1 - z = (m + t) / (M + t), without the cancellation of 1 - (M - m) / (M + t).
  const gap = (m + t) / (M + t);
  if (gap < SERIES_GAP || seriesTerms(high ? eb : ea, gap) > MAX_SERIES_TERMS) {
    // (M+u)^-eM (m+u)^-em = (d + y)^-eM y^-em with y = m + u, d = M - m.
    return logTailIntegral(high ? ea : eb, high ? eb : ea, M - m, Math.log(m + t));
  }
  let f: number;
  try {
    f = hyp2f1(c, high ? eb : ea, c + 1, (M - m) / (M + t), { maxTerms: MAX_TERMS });
  } catch (e) {
    // Large exponents slow the series further (its terms grow for ~e·z/(1-z) steps first).
    if (e instanceof ClvError) return NaN;
    throw e;
  }
  return Math.log(f) - c * Math.log(M + t) - Math.log(c);
}

/**
 * ln F(t) = ln[2F1(r+s+x, b; r+s+x+1; |α-β| / (m+t)) / (m+t)^(r+s+x)], where m = max(α, β) and
 * b = s + 1 if α >= β, else r + x (the two branches of the note): (r+s+x) times the tail integral
 * (α+τ)^-(r+x) (β+τ)^-(s+1) from t. A_0 of the note is F(t_x) - F(T). NaN if the series fails.
 */
function logF(p: ParetoNbdParams, x: number, t: number): number {
  const a = p.r + p.s + x;
  return Math.log(a) + logPowerTail(p.alpha, p.r + x, p.beta, p.s + 1, t);
}

/**
 * ln A_0 = ln[F(t_x) - F(T)] from ln F(t_x) and ln F(T) (F decreases in t): -Infinity when t_x = T,
 * where there is no room to drop out after t_x.
 */
function logA0(upper: number, lower: number, tx: number, T: number): number {
  if (!(tx < T)) return -Infinity;
  if (Number.isNaN(upper) || Number.isNaN(lower)) return NaN;
  const diff = lower - upper; // < 0
  if (!(diff < 0)) return -Infinity; // t_x and T so close that F(t_x) - F(T) is lost to rounding
  return upper + (diff > -Math.LN2 ? Math.log(-Math.expm1(diff)) : Math.log1p(-Math.exp(diff)));
}

/** ln of the "still alive at T" term without Γ(r+x) α^r β^s / Γ(r): ln[(α+T)^-(r+x) (β+T)^-s]. */
function logAlive(p: ParetoNbdParams, x: number, T: number): number {
  return -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
}

/**
 * The two terms of a customer's log-likelihood without the factor Γ(r+x) α^r β^s / Γ(r): alive,
 * ln[(α+T)^-(r+x) (β+T)^-s]; dead, ln[s/(r+s+x) · A_0] (NaN where a series failed).
 */
function logTerms(p: ParetoNbdParams, x: number, tx: number, T: number): { alive: number; dead: number } {
  const a0 = tx < T ? logA0(logF(p, x, tx), logF(p, x, T), tx, T) : -Infinity;
  return { alive: logAlive(p, x, T), dead: Math.log(p.s) - Math.log(p.r + p.s + x) + a0 };
}

function slowSeries(p: ParetoNbdParams): ClvError {
  return new ClvError(t('msg.clv.slowSeries', { r: String(p.r), alpha: String(p.alpha), s: String(p.s), beta: String(p.beta) }));
}

/**
 * Log-likelihood of one customer with x repeat purchases, the last at t_x, observed for T (the
 * note, in logs). Throws ClvError where the 2F1 series does not converge.
 */
export function paretonbdLogLikelihoodOne(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const { alive, dead } = logTerms(params, x, tx, T);
  if (Number.isNaN(dead)) throw slowSeries(params);
  return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(alive, dead);
}

/** Total log-likelihood of customers (weights applied). Throws ClvError for invalid histories. */
export function paretonbdLogLikelihood(params: ParetoNbdParams, data: CustomerHistory): number {
  checkParetoNbdParams(params);
  checkHistory(data);
  const problem = prepare(data, false);
  const value = -problem.objectiveAt(params) * problem.total;
  if (Number.isNaN(value)) throw slowSeries(params);
  return value;
}

/**
 * Fits Pareto/NBD by maximum likelihood as a generator: yields after each BFGS iteration and
 * returns the fit. Throws ClvError for invalid histories or data without any repeat purchase.
 */
export function* fitParetoNbdSteps(
  data: CustomerHistory,
  opts: ParetoNbdFitOptions = {},
): Generator<ParetoNbdProgress, ParetoNbdFit, void> {
  checkHistory(data);
  const problem = prepare(data, opts.compress ?? true);
  if (!(problem.total > 0)) throw new ClvError(t('msg.clv.noCustomers'));
  if (!(problem.repeat > 0)) {
    throw new ClvError(t('msg.clv.noRepeat', { model: 'Pareto/NBD' }));
  }
  let init = opts.init;
  if (init) checkParetoNbdParams(init);
  else {
    // alpha / r is the mean time between purchases, beta / s the mean lifetime's scale.
    const meanAge = problem.exposure / problem.total;
    init = { r: 1, alpha: problem.exposure > 0 ? problem.exposure / problem.repeat : 1, s: 1, beta: meanAge > 0 ? meanAge : 1 };
  }
  // The best point evaluated, for the stop on a flat objective (FLAT_TOLERANCE).
  let bestValue = Infinity;
  let bestTheta = paramsToLog(SEARCH_KEYS, toSearch(init));
  const objective = (theta: Float64Array, grad: Float64Array | null): number => {
    const value = problem.objective(theta, grad);
    if (value < bestValue) {
      bestValue = value;
      bestTheta = Float64Array.from(theta);
    }
    return value;
  };
  const steps = fitLogParamsSteps(objective, SEARCH_KEYS, toSearch(init), problem.total, {
    maxIter: opts.maxIter,
    gtol: opts.gtol,
    numericGradient: true,
  });
  let theta: Float64Array;
  let logLikelihood: number;
  let iterations = 0;
  let converged: boolean;
  let previous = NaN;
  let flat = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      theta = paramsToLog(SEARCH_KEYS, step.value.params);
      ({ logLikelihood, iterations, converged } = step.value);
      break;
    }
    yield step.value;
    iterations = step.value.iter;
    const ll = step.value.logLikelihood;
    flat = Math.abs(ll - previous) <= FLAT_TOLERANCE * Math.abs(ll) ? flat + 1 : 0;
    previous = ll;
    if (flat >= 2) {
      theta = bestTheta;
      logLikelihood = -bestValue * problem.total;
      converged = true;
      break;
    }
  }
  const params = fromSearch(theta);
  return {
    ...params,
    dropoutShapeCapped: params.s >= MAX_DROPOUT_SHAPE / 2,
    logLikelihood,
    iterations,
    converged,
    customers: problem.total,
    distinct: problem.rows,
  };
}

/**
 * Fits Pareto/NBD by maximum likelihood (see the module comment). Throws ClvError for invalid input
 * and CancelledError when onProgress returns false.
 */
export function fitParetoNbd(data: CustomerHistory, opts: ParetoNbdFitOptions = {}): ParetoNbdFit {
  return runSteps(fitParetoNbdSteps(data, opts), (s) => opts.onProgress?.(s.iter, s.logLikelihood));
}

/**
 * P(alive | x, t_x, T): the share of the "still alive at T" term in the likelihood (the note).
 * Throws ClvError where the 2F1 series would not converge.
 */
export function paretonbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { alive, dead } = logTerms(params, x, tx, T);
  if (Number.isNaN(dead)) throw slowSeries(params);
  return 1 / (1 + Math.exp(dead - alive));
}

/**
 * Expected purchases in (T, T + t] of a customer with x repeat purchases by T, given that they are
 * still alive at T: (r+x)(β+T) / ((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)], with its limit at s = 1.
 */
export function paretonbdAliveExpected(params: ParetoNbdParams, t: number, x: number, T: number): number {
  if (!(t > 0)) return 0;
  const { r, alpha, s, beta } = params;
  const L = Math.log1p(t / (beta + T));
  const k = s - 1;
  // [1 - e^(-k L)] / k, which tends to L as s -> 1.
  const life = k === 0 ? L : -Math.expm1(-k * L) / k;
  return ((r + x) * (beta + T) * life) / (alpha + T);
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t after T (the note). */
export function paretonbdConditionalExpected(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  return paretonbdProbabilityAlive(params, x, tx, T) * paretonbdAliveExpected(params, t, x, T);
}

/** E[X(t)]: expected purchases of a new customer in their first t after the first purchase (the note). */
export function paretonbdExpected(params: ParetoNbdParams, t: number): number {
  return paretonbdAliveExpected(params, t, 0, 0);
}


/**
 * P(alive) and expected purchases over `horizon` for every customer; the 2F1 terms are computed
 * once per distinct (x, t_x, T). Throws ClvError where the 2F1 series would not converge.
 */
export function paretonbdPredict(params: ParetoNbdParams, data: CustomerHistory, horizon: number): PurchasePrediction {
  checkParetoNbdParams(params);
  checkHistory(data);
  checkHorizon(horizon);
  const rows = uniqueRows([data.x, data.tx, data.T]);
  const [ux, utx, uT] = rows.columns;
  const uAlive = new Float64Array(ux.length);
  const uExpected = new Float64Array(ux.length);
  for (let u = 0; u < ux.length; u++) {
    uAlive[u] = paretonbdProbabilityAlive(params, ux[u], utx[u], uT[u]);
    uExpected[u] = uAlive[u] * paretonbdAliveExpected(params, horizon, ux[u], uT[u]);
  }
  return { pAlive: perRow(uAlive, rows.index), expected: perRow(uExpected, rows.index) };
}

/** Throws ClvError unless all four parameters are finite and positive. */
export function checkParetoNbdParams(params: ParetoNbdParams): void {
  checkPositiveParams('Pareto/NBD', params, KEYS);
}

/** The distinct t of F(t_x) and F(T) for each distinct x, ascending, and where each pair's t is. */
interface SweepGroups {
  x: Float64Array;
  /** Group g's t are t[start[g] .. start[g + 1]). */
  start: Int32Array;
  t: Float64Array;
  /** Position in t of each (x, t_x) pair's t_x, and of each (x, T) pair's T. */
  txPos: Int32Array;
  tPos: Int32Array;
}

function sweepGroups(txX: Float64Array, txT: Float64Array, tX: Float64Array, tT: Float64Array): SweepGroups {
  const n = txX.length + tX.length;
  const xOf = (i: number) => (i < txX.length ? txX[i] : tX[i - txX.length]);
  const tOf = (i: number) => (i < txX.length ? txT[i] : tT[i - txX.length]);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xOf(a) - xOf(b) || tOf(a) - tOf(b));
  const xs: number[] = [];
  const starts: number[] = [];
  const ts: number[] = [];
  const txPos = new Int32Array(txX.length);
  const tPos = new Int32Array(tX.length);
  for (const i of order) {
    const x = xOf(i);
    const t = tOf(i);
    if (xs.length === 0 || xs[xs.length - 1] !== x) {
      xs.push(x);
      starts.push(ts.length);
      ts.push(t);
    } else if (ts[ts.length - 1] !== t) {
      ts.push(t);
    }
    if (i < txX.length) txPos[i] = ts.length - 1;
    else tPos[i - txX.length] = ts.length - 1;
  }
  starts.push(ts.length);
  return { x: Float64Array.from(xs), start: Int32Array.from(starts), t: Float64Array.from(ts), txPos, tPos };
}

interface Problem {
  /** Mean negative log-likelihood per customer over the search coordinates (no gradient; NaN where a series failed). */
  objective: (theta: Float64Array, grad: Float64Array | null) => number;
  /** The same at given parameters. */
  objectiveAt: (p: ParetoNbdParams) => number;
  total: number;
  repeat: number;
  exposure: number;
  rows: number;
}

/**
 * The weighted rows behind the likelihood. F(t_x) depends on (x, t_x) and the alive term and F(T)
 * on (x, T) only, and these pairs repeat far more than whole rows, so each is computed once per
 * distinct pair.
 */
function prepare(data: CustomerHistory, compress: boolean): Problem {
  const { x, tx, T, w, total, repeat, exposure } = weightedHistory(data, compress);
  const rows = x.length;
  const atTx = uniqueRows([x, tx]);
  const atT = uniqueRows([x, T]);
  const [txX, txT] = atTx.columns;
  const [tX, tT] = atT.columns;
  const groups = sweepGroups(txX, txT, tX, tT);
  const v0 = new Float64Array(groups.t.length);
  const logFs = new Float64Array(groups.t.length);
  const fTx = new Float64Array(txX.length);
  const fT = new Float64Array(tX.length);
  const commonT = new Float64Array(tX.length); // ln Γ(r+x) - ln Γ(r) + r ln α + s ln β
  const aliveT = new Float64Array(tX.length);
  const deadScale = new Float64Array(tX.length); // ln s - ln(r+s+x)
  const sums = new Float64Array(2);
  const objectiveAt = (p: ParetoNbdParams): number => {
    const { r, alpha, s, beta } = p;
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0 && r < Infinity && alpha < Infinity && s < Infinity && beta < Infinity)) {
      return NaN;
    }
    const common0 = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    const logS = Math.log(s);
    // ln F(t) for every t of every x, one sweep per x (see logTailIntegrals): the tail integral
    // ∫_t^∞ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ in y = min(α, β) + τ.
    const high = alpha >= beta;
    const m = high ? beta : alpha;
    const d = Math.abs(alpha - beta);
    for (let gi = 0; gi < groups.x.length; gi++) {
      const from = groups.start[gi];
      const to = groups.start[gi + 1];
      const x = groups.x[gi];
      const b1 = high ? r + x : s + 1; // the exponent of the larger scale's factor
      const b2 = high ? s + 1 : r + x;
      const lnA = Math.log(r + s + x);
      if (d > 1e-12 * Math.max(alpha, beta)) {
        for (let k = from; k < to; k++) v0[k] = Math.log(m + groups.t[k]);
        logTailIntegrals(b1, b2, d, v0.subarray(from, to), logFs.subarray(from, to));
        for (let k = from; k < to; k++) logFs[k] += lnA;
      } else {
        // α = β: ∫_t^∞ (α+τ)^-(r+s+x+1) dτ = (α+t)^-(r+s+x) / (r+s+x).
        for (let k = from; k < to; k++) logFs[k] = -(r + s + x) * Math.log(m + groups.t[k]);
      }
    }
    for (let j = 0; j < tX.length; j++) {
      fT[j] = logFs[groups.tPos[j]];
      commonT[j] = lgamma(r + tX[j]) + common0;
      aliveT[j] = logAlive(p, tX[j], tT[j]);
      deadScale[j] = logS - Math.log(r + s + tX[j]);
    }
    for (let j = 0; j < txX.length; j++) fTx[j] = logFs[groups.txPos[j]];
    sums.fill(0);
    // Summed in blocks, the block sums added with compensation (see bgnbd.ts).
    for (let start = 0; start < rows; start += BLOCK) {
      const end = Math.min(start + BLOCK, rows);
      let block = 0;
      for (let i = start; i < end; i++) {
        const j = atT.index[i];
        const dead = deadScale[j] + logA0(fTx[atTx.index[i]], fT[j], tx[i], T[i]);
        block += w[i] * (commonT[j] + logAddExp(aliveT[j], dead));
      }
      addCompensated(sums, 0, block);
    }
    return -(sums[0] + sums[1]) / total;
  };
  const objective = (theta: Float64Array): number => objectiveAt(fromSearch(theta));
  return { objective, objectiveAt, total, repeat, exposure, rows };
}
