/**
 * The Gamma-Gamma model of spend per order (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader &
 * Hardie, "The Gamma-Gamma model of monetary value", note 025, 2013): a customer's order values are
 * Gamma(p, ν) with ν ~ Gamma(q, gamma) across customers, so the mean E[Z] = p ν⁻¹ has population
 * mean p gamma / (q - 1). It is fitted on repeat customers only (x > 0), with x their number of
 * repeat orders and mbar the mean value of those orders. It assumes spend per order does not depend
 * on purchase frequency: `gammaGammaCheck` tests that.
 */
import { uniqueRowsUpTo } from './compress';
import { ClvError } from './errors';
import { checkPositiveParams, fitModelSteps, frequencyLevels, paramsToLog, runFit, type FitProgress, type ModelFit, type ModelFitOptions } from './log-param-fit';
import { addCompensated, digamma, lgamma } from './special';
import { t } from '../../src/lib/i18n';

/** Gamma-Gamma parameters: order value ~ Gamma(shape p, rate ν), ν ~ Gamma(shape q, rate gamma). */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Repeat purchases and their mean value, per customer. Customers with x = 0 are ignored. */
export interface SpendHistory {
  /** Repeat purchases in the calibration period. */
  x: Float64Array;
  /** Mean value of those repeat purchases (> 0 where x > 0). */
  mbar: Float64Array;
  /** Optional count of identical customers each entry stands for (default 1 each). */
  weight?: Float64Array;
}

/** A maximum-likelihood Gamma-Gamma fit: the log-likelihood is that of the repeat customers' mean spends, the customers are the repeat customers (sum of weights over x > 0). */
export type GammaGammaFit = GammaGammaParams & ModelFit;

/** Options of `fitGammaGamma` (default start: method-of-moments-like values from the data). */
export type GammaGammaFitOptions = ModelFitOptions<GammaGammaParams>;

/** A progress report of `fitGammaGammaSteps`. */
export type GammaGammaProgress = FitProgress;

const KEYS = ['p', 'q', 'gamma'] as const;

/** The |correlation| above which `gammaGammaCheck` warns. */
export const GAMMA_GAMMA_CORRELATION_LIMIT = 0.3;

/** The outcome of `gammaGammaCheck`. */
export interface GammaGammaCheck {
  /** Pearson correlation of x and mbar among repeat customers (NaN if undefined). */
  correlation: number;
  /** Repeat customers it was computed on. */
  customers: number;
  /** Whether |correlation| <= the limit. */
  ok: boolean;
  /** A sentence for the user when the check fails or cannot be made; absent when ok. */
  warning?: string;
}

/**
 * Log-density of the mean spend mbar of a customer's x >= 1 orders (note 025, eq. 4):
 * Γ(px + q) / (Γ(px) Γ(q)) · gamma^q mbar^(px-1) x^(px) / (gamma + x mbar)^(px+q).
 */
export function gammaGammaLogLikelihoodOne(params: GammaGammaParams, x: number, mbar: number): number {
  const { p, q, gamma } = params;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(mbar) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + x * mbar)
  );
}

/** Total log-likelihood over the repeat customers (x > 0; weights applied). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendHistory): number {
  checkGammaGammaParams(params);
  const problem = prepare(data);
  return -problem.objective(paramsToLog(KEYS, params), null) * problem.total;
}

/**
 * Fits Gamma-Gamma by maximum likelihood on the repeat customers as a generator: yields after each
 * BFGS iteration and returns the fit. Throws ClvError for invalid input or fewer than 2 repeat
 * customers.
 */
export function* fitGammaGammaSteps(
  data: SpendHistory,
  opts: GammaGammaFitOptions = {},
): Generator<GammaGammaProgress, GammaGammaFit, void> {
  const problem = prepare(data);
  if (!problem.varied) {
    throw new ClvError(t('msg.clv.ggTwoRepeat'));
  }
  let init = opts.init;
  if (init) checkGammaGammaParams(init);
  else init = problem.start;
  return yield* fitModelSteps(problem, KEYS, init, opts);
}

/**
 * Fits Gamma-Gamma by maximum likelihood on the repeat customers. Throws ClvError for invalid input
 * and CancelledError when onProgress returns false.
 */
export function fitGammaGamma(data: SpendHistory, opts: GammaGammaFitOptions = {}): GammaGammaFit {
  return runFit(fitGammaGammaSteps(data, opts), opts.onProgress);
}

/**
 * E[Z | x, mbar]: a customer's expected value per order (note 025, eq. 5), the weighted mean
 * (q - 1)/(px + q - 1) · p gamma/(q - 1) + px/(px + q - 1) · mbar. With x = 0 it is the population
 * mean p gamma / (q - 1), which is infinite (NaN here) when q <= 1.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, mbar: number): number {
  const { p, q, gamma } = params;
  const denom = p * x + q - 1;
  if (!(denom > 0)) return NaN;
  return (p * (gamma + (x > 0 ? x * mbar : 0))) / denom;
}

/** `gammaGammaExpectedSpend` for every customer (x = 0 gets the population mean). */
export function gammaGammaExpectedSpendAll(
  params: GammaGammaParams,
  x: Float64Array,
  mbar: Float64Array,
): Float64Array {
  checkGammaGammaParams(params);
  if (x.length !== mbar.length) throw new ClvError(`x has ${x.length} entries but mbar has ${mbar.length}.`);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = gammaGammaExpectedSpend(params, x[i], mbar[i]);
  return out;
}

/**
 * The Gamma-Gamma independence check: the Pearson correlation of frequency x and mean spend mbar
 * among repeat customers (weights applied). Fader & Hardie report 0.11 on CDNOW and call that
 * negligible; |correlation| > `limit` (default 0.3, a "moderate" correlation) gets a warning that
 * the model's spend predictions are unreliable for this data.
 */
export function gammaGammaCheck(data: SpendHistory, limit = GAMMA_GAMMA_CORRELATION_LIMIT): GammaGammaCheck {
  const { x, mbar, weight } = checkSpend(data);
  let sw = 0;
  let sx = 0;
  let sm = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    const w = weight ? weight[i] : 1;
    sw += w;
    sx += w * x[i];
    sm += w * mbar[i];
  }
  const mx = sx / sw;
  const mm = sm / sw;
  let cxx = 0;
  let cmm = 0;
  let cxm = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    const w = weight ? weight[i] : 1;
    const dx = x[i] - mx;
    const dm = mbar[i] - mm;
    cxx += w * dx * dx;
    cmm += w * dm * dm;
    cxm += w * dx * dm;
  }
  const correlation = cxx > 0 && cmm > 0 ? cxm / Math.sqrt(cxx * cmm) : NaN;
  if (Number.isNaN(correlation)) {
    return {
      correlation,
      customers: sw,
      ok: false,
      warning:
        'The correlation of purchase frequency and spend cannot be computed: ' +
        'too few repeat customers, or no variation.',
    };
  }
  const ok = Math.abs(correlation) <= limit;
  const result: GammaGammaCheck = { correlation, customers: sw, ok };
  if (!ok) {
    result.warning =
      `Purchase frequency and average spend are correlated (r = ${correlation.toFixed(2)}, beyond ±${limit}); ` +
      'the Gamma-Gamma model assumes they are independent, so its spend and lifetime-value figures may be biased.';
  }
  return result;
}

/** Throws ClvError unless all three parameters are finite and positive. */
export function checkGammaGammaParams(params: GammaGammaParams): void {
  checkPositiveParams('Gamma-Gamma', params, KEYS);
}

function checkSpend(data: SpendHistory): SpendHistory {
  const { x, mbar, weight } = data;
  if (mbar.length !== x.length || (weight && weight.length !== x.length)) {
    const w = weight ? `, weight ${weight.length}` : '';
    throw new ClvError(`The spend arrays differ in length (x ${x.length}, mbar ${mbar.length}${w}).`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 0 && x[i] === Math.floor(x[i]))) {
      throw new ClvError(`Customer ${i + 1}: frequency must be a whole number >= 0, got ${x[i]}.`);
    }
    if (x[i] > 0 && !(mbar[i] > 0 && mbar[i] < Infinity)) {
      throw new ClvError(`Customer ${i + 1}: mean spend must be > 0 for a repeat customer, got ${mbar[i]}.`);
    }
    if (weight && !(weight[i] >= 0 && weight[i] < Infinity)) {
      throw new ClvError(`Customer ${i + 1}: weight must be finite and >= 0, got ${weight[i]}.`);
    }
  }
  return data;
}

// Rows summed plainly before their block sum is added with compensation.
const BLOCK = 256;

interface Problem {
  objective: (theta: Float64Array, grad: Float64Array | null) => number;
  total: number;
  rows: number;
  /** Whether the repeat customers' mean spends differ at all (else there is nothing to fit). */
  varied: boolean;
  start: GammaGammaParams;
}

/** Weighted (x, mbar) rows of the repeat customers, and the likelihood over them. */
function prepare(data: SpendHistory): Problem {
  checkSpend(data);
  let keep = 0;
  for (let i = 0; i < data.x.length; i++) if (data.x[i] > 0) keep++;
  const xr = new Float64Array(keep);
  const mr = new Float64Array(keep);
  const wr = new Float64Array(keep);
  for (let i = 0, k = 0; i < data.x.length; i++) {
    if (data.x[i] === 0) continue;
    xr[k] = data.x[i];
    mr[k] = data.mbar[i];
    wr[k++] = data.weight ? data.weight[i] : 1;
  }
  // Mean spends are rarely repeated exactly; compress only when it pays.
  const u = uniqueRowsUpTo([xr, mr], keep / 2, wr);
  const [x, m] = u ? u.columns : [xr, mr];
  const w = u ? u.weight : wr;
  const rows = x.length;
  let total = 0;
  let constant = 0; // Σ w (-ln mbar): the part of the likelihood free of parameters
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < rows; i++) {
    total += w[i];
    constant -= w[i] * Math.log(m[i]);
    s1 += w[i] * m[i];
    s2 += w[i] * m[i] * m[i];
  }
  // Start: p = 1 and (q, gamma) so that the population mean and spread of mbar roughly match.
  const mean = s1 / total;
  const cv2 = Math.max((s2 / total - mean * mean) / (mean * mean), 0.05);
  const q0 = 2 + 1 / cv2;
  const start = { p: 1, q: q0, gamma: mean * (q0 - 1) };
  // Terms with Γ and ψ depend on x only: computed once per distinct x.
  const { xs, weight: levelWeight } = frequencyLevels(x, w);
  const L = xs.length;

  // The likelihood per row, rearranged so that no large terms cancel (summed over many customers
  // they would swamp the last digits the optimiser needs):
  //   ln Γ(px+q) - ln Γ(px) - ln Γ(q) - ln mbar - px ln(1 + γ/(x mbar)) - q ln(1 + x mbar/γ).
  const xm = new Float64Array(rows);
  for (let i = 0; i < rows; i++) xm[i] = x[i] * m[i];
  const compensated = new Float64Array(8);

  const objective = (theta: Float64Array, grad: Float64Array | null): number => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const gamma = Math.exp(theta[2]);
    if (!(p > 0 && q > 0 && gamma > 0 && p < Infinity && q < Infinity && gamma < Infinity)) return NaN;
    let ll = constant - total * lgamma(q);
    let gp = 0;
    let gq = grad ? -total * digamma(q) : 0;
    let gg = 0;
    for (let l = 0; l < L; l++) {
      const px = p * xs[l];
      ll += levelWeight[l] * (lgamma(px + q) - lgamma(px));
      if (grad) {
        const psiPQ = digamma(px + q);
        gp += levelWeight[l] * xs[l] * (psiPQ - digamma(px));
        gq += levelWeight[l] * psiPQ;
      }
    }
    // Per-row parts in blocks, block sums added with compensation (see bgnbd.ts for why).
    const sums = compensated.fill(0);
    for (let start = 0; start < rows; start += BLOCK) {
      const end = Math.min(start + BLOCK, rows);
      let bLl = 0;
      let bP = 0;
      let bQ = 0;
      let bG = 0;
      for (let i = start; i < end; i++) {
        const xi = x[i];
        const wi = w[i];
        const u = gamma / xm[i];
        const l1 = Math.log1p(u); // ln(1 + γ/(x mbar))
        const l2 = Math.log1p(1 / u); // ln(1 + x mbar/γ)
        bLl -= wi * (p * xi * l1 + q * l2);
        bP -= wi * xi * l1;
        bQ -= wi * l2;
        bG += (wi * (q * xm[i] - gamma * p * xi)) / (gamma * (gamma + xm[i]));
      }
      addCompensated(sums, 0, bLl);
      addCompensated(sums, 1, bP);
      addCompensated(sums, 2, bQ);
      addCompensated(sums, 3, bG);
    }
    ll += sums[0] + sums[4];
    gp += sums[1] + sums[5];
    gq += sums[2] + sums[6];
    gg += sums[3] + sums[7];
    if (grad) {
      grad[0] = (-p * gp) / total;
      grad[1] = (-q * gq) / total;
      grad[2] = (-gamma * gg) / total;
    }
    return -ll / total;
  };
  let varied = false;
  for (let i = 1; i < rows && !varied; i++) varied = m[i] !== m[0];
  return { objective, total, rows, varied, start };
}
