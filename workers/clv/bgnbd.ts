/**
 * The BG/NBD model of Fader, Hardie & Lee (2005), "Counting your customers the easy way":
 * while alive a customer buys at Poisson rate λ ~ Gamma(r, α); after each repeat purchase they
 * drop out with probability p ~ Beta(a, b). Equation numbers refer to that paper.
 *
 * Fitting maximises the likelihood (eq. 6) over log-parameters with BFGS and analytic gradients.
 * Customers with identical (x, t_x, T) are compressed into weighted rows first; terms that depend
 * only on x are computed once per distinct x, and ln(alpha + t) once per distinct time, so a
 * million customers measured in whole days cost little more than a few exp/log1p calls each.
 */
import { uniqueRows, uniqueRowsUpTo } from './compress';
import { ClvError } from './errors';
import { checkHistory, checkHorizon, type CustomerHistory, type PurchasePrediction } from './history';
import { checkPositiveParams, fitModelSteps, frequencyLevels, paramsToLog, runFit, weightedHistory, type FitProgress, type ModelFit, type ModelFitOptions } from './log-param-fit';
import { addCompensated, digamma, hyp2f1Tail, lgamma } from './special';
import { t } from '../../src/lib/i18n';

/** BG/NBD parameters: purchase rate λ ~ Gamma(shape r, rate alpha), dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A maximum-likelihood BG/NBD fit (its log-likelihood is eq. 6 summed over customers). */
export interface BgNbdFit extends BgNbdParams, ModelFit {
  /** Rows the likelihood was evaluated on: the distinct (x, t_x, T) if compressed, else customers. */
  distinct: number;
}

/** Options of `fitBgNbd` (default start: r = 1, a = 1, b = 1 and alpha matching the mean purchase rate). */
export interface BgNbdFitOptions extends ModelFitOptions<BgNbdParams> {
  /**
   * Compress identical customers into weighted rows first, unless over half are distinct (default
   * true; the result is the same either way).
   */
  compress?: boolean;
}

/** A progress report of `fitBgNbdSteps`. */
export type BgNbdProgress = FitProgress;

const KEYS = ['r', 'alpha', 'a', 'b'] as const;

/**
 * Log-likelihood of one customer with x repeat purchases, the last at t_x, observed for T
 * (eq. 6, in logs: the x = 0 case has only the "still alive" term).
 */
export function bgnbdLogLikelihoodOne(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const common =
    lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const alive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + alive;
  const dead = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(alive, dead);
  return common + m + Math.log1p(Math.exp(-Math.abs(alive - dead)));
}

/** Total log-likelihood of customers (weights applied). Throws ClvError for invalid histories. */
export function bgnbdLogLikelihood(params: BgNbdParams, data: CustomerHistory): number {
  checkBgNbdParams(params);
  checkHistory(data);
  const problem = prepare(data, false);
  return -problem.objective(paramsToLog(KEYS, params), null) * problem.total;
}

/**
 * Fits BG/NBD by maximum likelihood as a generator: yields after each BFGS iteration and returns
 * the fit. Throws ClvError for invalid histories or data without any repeat purchase.
 */
export function* fitBgNbdSteps(
  data: CustomerHistory,
  opts: BgNbdFitOptions = {},
): Generator<BgNbdProgress, BgNbdFit, void> {
  checkHistory(data);
  const problem = prepare(data, opts.compress ?? true);
  if (!(problem.total > 0)) throw new ClvError(t('msg.clv.noCustomers'));
  if (!(problem.repeat > 0)) {
    throw new ClvError(t('msg.clv.noRepeat', { model: 'BG/NBD' }));
  }
  let init = opts.init;
  if (init) checkBgNbdParams(init);
  else {
    // alpha / r is the mean time between purchases.
    init = { r: 1, alpha: problem.exposure > 0 ? problem.exposure / problem.repeat : 1, a: 1, b: 1 };
  }
  return { ...(yield* fitModelSteps(problem, KEYS, init, opts)), distinct: problem.rows };
}

/**
 * Fits BG/NBD by maximum likelihood (see the module comment). Throws ClvError for invalid input and
 * CancelledError when onProgress returns false.
 */
export function fitBgNbd(data: CustomerHistory, opts: BgNbdFitOptions = {}): BgNbdFit {
  return runFit(fitBgNbdSteps(data, opts), opts.onProgress);
}

/**
 * P(alive | x, t_x, T): the probability that the customer has not dropped out by T (eq. 12); 1 when
 * x = 0, since the model lets customers drop out only after a repeat purchase.
 */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in (T, T + t] of a customer with x repeat purchases by T, given that they are
 * still alive at T: E[(1 - (1 + p t / (alpha + T))^-(r + x)) / p] with p ~ Beta(a, b + x), in
 * closed form via 2F1. Eq. 10 is this times P(alive); with x = 0 and T = 0 it is E[X(t)] (eq. 7).
 */
export function bgnbdAliveExpected(params: BgNbdParams, t: number, x: number, T: number): number {
  if (!(t > 0)) return 0;
  const { a } = params;
  // At a = 1 the closed form is 0/0; the average at a = 1 ± 1e-5 is within 1e-10 of the limit.
  if (Math.abs(a - 1) < 1e-5) {
    const below = aliveExpected({ ...params, a: 1 - 1e-5 }, t, x, T);
    const above = aliveExpected({ ...params, a: 1 + 1e-5 }, t, x, T);
    return 0.5 * (below + above);
  }
  return aliveExpected(params, t, x, T);
}

function aliveExpected(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  const A = r + x;
  const B = b + x;
  const C = a + b + x - 1;
  const z = t / (alpha + T + t);
  const logP = -A * Math.log1p(t / (alpha + T)); // ln (1 - z)^A
  const P = Math.exp(logP);
  // (a + b + x - 1)/(a - 1) · [1 - (1 - z)^A 2F1(A, B; C; z)], written so that C near 0 is harmless.
  return (C * -Math.expm1(logP) - P * hyp2f1Tail(A, B, C, z)) / (a - 1);
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t after T (eq. 10). */
export function bgnbdConditionalExpected(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  return bgnbdProbabilityAlive(params, x, tx, T) * bgnbdAliveExpected(params, t, x, T);
}

/** E[X(t)]: expected repeat purchases of a new customer in their first t (eq. 7). */
export function bgnbdExpected(params: BgNbdParams, t: number): number {
  return bgnbdAliveExpected(params, t, 0, 0);
}


/**
 * P(alive) and expected purchases over `horizon` for every customer. The 2F1 part depends only on
 * (x, T), so it is computed once per distinct pair.
 */
export function bgnbdPredict(params: BgNbdParams, data: CustomerHistory, horizon: number): PurchasePrediction {
  checkBgNbdParams(params);
  const n = checkHistory(data);
  checkHorizon(horizon);
  const pairs = uniqueRows([data.x, data.T]);
  const [ux, uT] = pairs.columns;
  const perPair = new Float64Array(ux.length);
  for (let u = 0; u < ux.length; u++) perPair[u] = bgnbdAliveExpected(params, horizon, ux[u], uT[u]);
  const pAlive = new Float64Array(n);
  const expected = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pAlive[i] = bgnbdProbabilityAlive(params, data.x[i], data.tx[i], data.T[i]);
    expected[i] = pAlive[i] * perPair[pairs.index[i]];
  }
  return { pAlive, expected };
}

/** Throws ClvError unless all four parameters are finite and positive. */
export function checkBgNbdParams(params: BgNbdParams): void {
  checkPositiveParams('BG/NBD', params, KEYS);
}

// Rows summed plainly before their block sum is added with compensation.
const BLOCK = 256;

/**
 * The distinct values among t_x and T, and each row's index into them; when they hardly repeat,
 * simply all 2n values.
 */
function timeTable(
  tx: Float64Array,
  T: Float64Array,
): { values: Float64Array; count: number; tx: Int32Array; T: Int32Array } {
  const n = T.length;
  const both = new Float64Array(2 * n);
  both.set(T);
  both.set(tx, n);
  const u = uniqueRowsUpTo([both], n / 2);
  if (!u) {
    const index = new Int32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) index[i] = i;
    return { values: both, count: 2 * n, T: index.subarray(0, n), tx: index.subarray(n) };
  }
  return { values: u.columns[0], count: u.columns[0].length, T: u.index.subarray(0, n), tx: u.index.subarray(n) };
}

interface Problem {
  /** Mean negative log-likelihood per customer over log-parameters, with its gradient. */
  objective: (theta: Float64Array, grad: Float64Array | null) => number;
  total: number;
  repeat: number;
  exposure: number;
  rows: number;
}

/** The weighted rows and per-x caches behind the likelihood. */
function prepare(data: CustomerHistory, compress: boolean): Problem {
  const { x, tx, T, w, total, repeat, exposure } = weightedHistory(data, compress);
  const rows = x.length;
  // Distinct frequencies: terms depending on x alone are computed once per level.
  const { level, xs, weight: levelWeight } = frequencyLevels(x, w);
  const L = xs.length;
  const common = new Float64Array(L); // log-likelihood terms depending on x only
  const deadConst = new Float64Array(L); // ln a - ln(b + x - 1), or -Infinity for x = 0
  const dR = new Float64Array(L);
  const dA = new Float64Array(L);
  const dB = new Float64Array(L);
  const dBdead = new Float64Array(L);
  // ln(alpha + t) and 1/(alpha + t) per distinct time value, recomputed once per evaluation.
  const time = timeTable(tx, T);
  const logTime = new Float64Array(time.count);
  const invTime = new Float64Array(time.count);
  const compensated = new Float64Array(10);

  const objective = (theta: Float64Array, grad: Float64Array | null): number => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && r < Infinity && alpha < Infinity && a < Infinity && b < Infinity)) {
      return NaN;
    }
    const logAlpha = Math.log(alpha);
    const lgR = lgamma(r);
    const lgB = lgamma(b);
    const lgAB = lgamma(a + b);
    const psiR = grad ? digamma(r) : 0;
    const psiB = grad ? digamma(b) : 0;
    const psiAB = grad ? digamma(a + b) : 0;
    let ll = 0;
    for (let l = 0; l < L; l++) {
      const xl = xs[l];
      common[l] =
        xl === 0
          ? r * logAlpha
          : lgamma(r + xl) - lgR + r * logAlpha + lgAB + lgamma(b + xl) - lgB - lgamma(a + b + xl);
      deadConst[l] = xl === 0 ? -Infinity : Math.log(a) - Math.log(b + xl - 1);
      ll += levelWeight[l] * common[l];
      if (grad) {
        if (xl === 0) {
          dR[l] = logAlpha;
          dA[l] = 0;
          dB[l] = 0;
          dBdead[l] = 0;
        } else {
          const psiABx = digamma(a + b + xl);
          dR[l] = digamma(r + xl) - psiR + logAlpha;
          dA[l] = psiAB - psiABx;
          dB[l] = psiAB - psiB + digamma(b + xl) - psiABx;
          dBdead[l] = -1 / (b + xl - 1);
        }
      }
    }
    // Gradient: level-only parts weighted by the customers at each level, plus per-row parts.
    let gR = 0;
    let gAlpha = (total * r) / alpha;
    let gA = 0;
    let gB = 0;
    if (grad) {
      for (let l = 0; l < L; l++) {
        gR += levelWeight[l] * dR[l];
        gA += levelWeight[l] * dA[l];
        gB += levelWeight[l] * dB[l];
      }
    }
    // Per-row parts: summed in blocks, and the block sums added with compensation, because with a
    // million rows plain summation leaves rounding noise of ~1e-12 in the mean, enough to stall
    // the line search near the optimum.
    const sums = compensated.fill(0);
    for (let i = 0; i < time.count; i++) {
      const v = alpha + time.values[i];
      logTime[i] = Math.log(v);
      invTime[i] = 1 / v;
    }
    for (let start = 0; start < rows; start += BLOCK) {
      const end = Math.min(start + BLOCK, rows);
      let bLl = 0;
      let bR = 0;
      let bAlpha = 0;
      let bA = 0;
      let bB = 0;
      for (let i = start; i < end; i++) {
        const l = level[i];
        const xi = xs[l];
        const wi = w[i];
        const rx = r + xi;
        const iT = time.T[i];
        const logT = logTime[iT];
        const alive = -rx * logT;
        if (xi === 0) {
          bLl += wi * alive;
          bR -= wi * logT;
          bAlpha -= wi * rx * invTime[iT];
          continue;
        }
        const iTx = time.tx[i];
        const logTx = logTime[iTx];
        const dead = deadConst[l] - rx * logTx;
        // ln(e^alive + e^dead), and the share of the "dropped out" term in it.
        const diff = dead - alive;
        const e = Math.exp(-Math.abs(diff));
        bLl += wi * ((diff > 0 ? dead : alive) + Math.log1p(e));
        const share = diff > 0 ? 1 / (1 + e) : e / (1 + e);
        bR -= wi * ((1 - share) * logT + share * logTx);
        bAlpha -= wi * rx * ((1 - share) * invTime[iT] + share * invTime[iTx]);
        bA += wi * share;
        bB += wi * share * dBdead[l];
      }
      addCompensated(sums, 0, bLl);
      addCompensated(sums, 1, bR);
      addCompensated(sums, 2, bAlpha);
      addCompensated(sums, 3, bA);
      addCompensated(sums, 4, bB);
    }
    ll += sums[0] + sums[5];
    gR += sums[1] + sums[6];
    gAlpha += sums[2] + sums[7];
    gA += (sums[3] + sums[8]) / a;
    gB += sums[4] + sums[9];
    if (grad) {
      // Chain rule to log-parameters, and the sign and scale of the objective.
      grad[0] = (-r * gR) / total;
      grad[1] = (-alpha * gAlpha) / total;
      grad[2] = (-a * gA) / total;
      grad[3] = (-b * gB) / total;
    }
    return -ll / total;
  };

  return { objective, total, repeat, exposure, rows };
}
