/**
 * Pareto/NBD (issue 17) against the published CDNOW fit, against the model's definition integrated
 * numerically, and against simulation.
 *
 * Independent references used here (none uses 2F1, the closed forms or the code under test):
 * - the likelihood over the lifetime distribution: with A(τ) = E[λ^x e^(-λτ)] for λ ~ Gamma(r, α)
 *   and the Pareto (Lomax) lifetime, survival S(τ) = (β/(β+τ))^s and density f(τ) = s β^s/(β+τ)^(s+1)
 *   (an exponential lifetime with μ ~ Gamma(s, β)), L = A(T) S(T) + ∫_{t_x}^T A(τ) f(τ) dτ; A(τ)
 *   and its normalising constant are integrated numerically, and so is the τ integral;
 * - P(alive) as the share of the first term in that sum (Bayes' rule);
 * - E[Y(t) | x, t_x, T] as a double integral over the posterior of (λ, μ): given alive at T with
 *   λ and μ, the expected purchases in the next t are λ (1 - e^(-μt)) / μ, weighted by
 *   λ^x e^(-(λ+μ)T) × prior and divided by the likelihood, all integrated numerically;
 * - Monte Carlo simulation of the purchase process (simulate.ts), seeded.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../workers/engine-errors';
import { ClvError } from '../../../workers/clv/errors';
import {
  fitParetoNbd,
  fitParetoNbdSteps,
  SERIES_GAP,
  MAX_DROPOUT_SHAPE,
  logTailIntegral,
  logTailIntegrals,
  paretonbdAliveExpected,
  paretonbdConditionalExpected,
  paretonbdExpected,
  paretonbdLogLikelihood,
  paretonbdLogLikelihoodOne,
  paretonbdPredict,
  paretonbdProbabilityAlive,
  type ParetoNbdParams,
} from '../../../workers/clv/paretonbd';
import { cdnowSummary } from './cdnow';
import { integrate01, integrate0Inf, Random, simulateParetoNbd } from './simulate';

// Fader, Hardie & Lee (2005), CDNOW, 39-week calibration, weeks.
const PUBLISHED: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
// Other parameter sets: α >= β (the other 2F1 branch), s = 1 and s = 2 (integer s), α = β.
const OTHERS: ParetoNbdParams[] = [
  { r: 1.7, alpha: 12, s: 0.9, beta: 3 },
  { r: 0.8, alpha: 5, s: 1, beta: 20 },
  { r: 2.5, alpha: 30, s: 2, beta: 8 },
  { r: 0.4, alpha: 6, s: 0.7, beta: 6 },
];

/** h -> E[h(λ)] for λ ~ Gamma(shape, rate), both integrals numeric (the normalising one once). */
function gammaMeanOf(shape: number, rate: number): (h: (l: number) => number) => number {
  const kernel = (l: number) => Math.pow(l, shape - 1) * Math.exp(-rate * l);
  const norm = integrate0Inf(kernel);
  return (h) => integrate0Inf((l) => h(l) * kernel(l)) / norm;
}

/** E[h(λ)] for λ ~ Gamma(shape, rate), both integrals numeric. */
function gammaMean(shape: number, rate: number, h: (l: number) => number): number {
  return gammaMeanOf(shape, rate)(h);
}

/** The two terms of the likelihood over the Pareto lifetime: alive at T, and dropped out in (t_x, T]. */
function likelihoodTerms(m: ParetoNbdParams, x: number, tx: number, T: number): { alive: number; dead: number } {
  const kernel = (l: number) => Math.pow(l, m.r - 1) * Math.exp(-m.alpha * l);
  const norm = integrate0Inf(kernel);
  const A = (tau: number) => integrate0Inf((l) => l ** x * Math.exp(-l * tau) * kernel(l)) / norm;
  const survival = (tau: number) => Math.pow(m.beta / (m.beta + tau), m.s);
  const density = (tau: number) => (m.s * Math.pow(m.beta, m.s)) / Math.pow(m.beta + tau, m.s + 1);
  const alive = A(T) * survival(T);
  const dead = tx < T ? (T - tx) * integrate01((u) => A(tx + (T - tx) * u) * density(tx + (T - tx) * u)) : 0;
  return { alive, dead };
}

/** E[Y(t) | x, t_x, T] for each t through the posterior of (λ, μ), integrated numerically. */
function conditionalExpectedNumeric(m: ParetoNbdParams, ts: number[], x: number, tx: number, T: number): number[] {
  const { alive, dead } = likelihoodTerms(m, x, tx, T);
  const overLambda = gammaMeanOf(m.r, m.alpha);
  const overMu = gammaMeanOf(m.s, m.beta);
  return ts.map(
    (t) => overLambda((l) => overMu((mu) => l ** x * Math.exp(-(l + mu) * T) * ((l * -Math.expm1(-mu * t)) / mu))) / (alive + dead),
  );
}

function simulateCustomers(seed: number, n: number, m: ParetoNbdParams, age: () => number, days = false) {
  const rng = new Random(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // In whole days (times in weeks): the way orders are dated, and identical rows compress.
    const c = simulateParetoNbd(rng, m, days ? Math.floor(age() * 7) / 7 : age());
    x[i] = c.x;
    tx[i] = days ? Math.min(c.T, Math.ceil(c.tx * 7) / 7) : c.tx;
    T[i] = c.T;
  }
  return { x, tx, T };
}

const CUSTOMERS: [number, number, number][] = [
  [0, 0, 38.86], // CDNOW customer 3: no repeat purchase
  [2, 30.43, 38.86], // CDNOW customer 1
  [7, 35.71, 36.43],
  [1, 0.5, 2],
];

describe('Pareto/NBD likelihood', () => {
  it('matches the definition integrated over the lifetime distribution, for four customers and five parameter sets', () => {
    for (const m of [PUBLISHED, ...OTHERS]) {
      for (const [x, tx, T] of CUSTOMERS) {
        const { alive, dead } = likelihoodTerms(m, x, tx, T);
        expect(paretonbdLogLikelihoodOne(m, x, tx, T), JSON.stringify([m, x, tx, T])).toBeCloseTo(Math.log(alive + dead), 8);
      }
    }
  });

  it('has no "dropped out" term for a customer whose last purchase is at T', () => {
    const m = PUBLISHED;
    const { alive } = likelihoodTerms(m, 3, 20, 20);
    expect(paretonbdLogLikelihoodOne(m, 3, 20, 20)).toBeCloseTo(Math.log(alive), 9);
  });

  it('is the same summed, with weights for repeated customers', () => {
    const x = Float64Array.of(0, 2, 7, 2, 0);
    const tx = Float64Array.of(0, 30.43, 35.71, 30.43, 0);
    const T = Float64Array.of(38.86, 38.86, 36.43, 38.86, 38.86);
    const sum = [0, 1, 2, 3, 4].reduce((s, i) => s + paretonbdLogLikelihoodOne(PUBLISHED, x[i], tx[i], T[i]), 0);
    expect(paretonbdLogLikelihood(PUBLISHED, { x, tx, T })).toBeCloseTo(sum, 10);
    const weighted = {
      x: Float64Array.of(0, 2, 7),
      tx: Float64Array.of(0, 30.43, 35.71),
      T: Float64Array.of(38.86, 38.86, 36.43),
      weight: Float64Array.of(2, 2, 1),
    };
    expect(paretonbdLogLikelihood(PUBLISHED, weighted)).toBeCloseTo(sum, 10);
  });

  it('gives the published log-likelihood at the published CDNOW parameters', () => {
    expect(paretonbdLogLikelihood(PUBLISHED, cdnowSummary()).toFixed(1)).toBe('-9595.0');
  });

  it('integrates F(t) numerically where the 2F1 series would crawl (z near 1), matching the definition', () => {
    expect(SERIES_GAP).toBe(0.05);
    // x = 0 has t_x = 0, where 1 - z = min(α, β) / max(α, β): both sides of SERIES_GAP, both branches.
    const cases: [ParetoNbdParams, number, number, number][] = [
      [{ r: 0.5, alpha: 19.9, s: 0.8, beta: 1 }, 0, 0, 30], // 1 - z = 0.0503: series
      [{ r: 0.5, alpha: 20.1, s: 0.8, beta: 1 }, 0, 0, 30], // 0.0498: quadrature
      [{ r: 0.5, alpha: 1e4, s: 0.8, beta: 1 }, 0, 0, 30],
      [{ r: 0.5, alpha: 1e6, s: 0.8, beta: 1 }, 0, 0, 30],
      [{ r: 0.5, alpha: 1e6, s: 0.8, beta: 1 }, 3, 0.2, 30],
      [{ r: 0.7, alpha: 0.001, s: 1.3, beta: 50 }, 0, 0, 30], // α < β
      [{ r: 0.7, alpha: 0.001, s: 1.3, beta: 50 }, 4, 1, 30],
      [{ r: 3, alpha: 0.01, s: 0.3, beta: 400 }, 25, 0.5, 3],
      // Heavy buyers: with α < β the series' terms grow for ~(r+x)·z/(1-z) steps first (here about
      // 1,400 and 14,000), so F is integrated instead.
      [{ r: 0.3, alpha: 0.8, s: 2.3, beta: 60 }, 220, 150, 160],
      [{ r: 0.3, alpha: 0.8, s: 2.3, beta: 600 }, 220, 40, 60],
    ];
    for (const [m, x, tx, T] of cases) {
      const { alive, dead } = likelihoodTerms(m, x, tx, T);
      const name = JSON.stringify([m, x, tx, T]);
      expect(paretonbdLogLikelihoodOne(m, x, tx, T), name).toBeCloseTo(Math.log(alive + dead), 8);
      expect(paretonbdProbabilityAlive(m, x, tx, T), name).toBeCloseTo(alive / (alive + dead), 9);
    }
  });
});

describe('Pareto/NBD tail integrals', () => {
  it('sweeps the tails of many starts as each start integrated on its own does', () => {
    const rng = new Random(77);
    let worst = 0;
    for (const [b1, b2, d] of [
      [1.4, 0.3, 5],
      [10001, 0.27, 3.5e5],
      [0.8, 221.3, 60],
      [3.2, 1.6, 0.01],
      [250, 40.3, 4000],
    ]) {
      const starts = Float64Array.from({ length: 60 }, () => Math.log(0.5 + 200 * rng.uniform() ** 2)).sort();
      const out = new Float64Array(starts.length);
      logTailIntegrals(b1, b2, d, starts, out);
      starts.forEach((v, k) => (worst = Math.max(worst, Math.abs(out[k] - logTailIntegral(b1, b2, d, v)))));
    }
    expect(worst).toBeLessThan(1e-10);
  });
});

describe('Pareto/NBD fit', () => {
  it('reproduces the published CDNOW fit: r = 0.553, α = 10.58, s = 0.606, β = 11.67, LL = -9595.0', () => {
    const fit = fitParetoNbd(cdnowSummary());
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(fit.r.toPrecision(3)).toBe('0.553');
    expect(fit.alpha.toPrecision(3)).toBe('10.6');
    expect(fit.s.toPrecision(3)).toBe('0.606');
    expect(fit.beta.toPrecision(3)).toBe('11.7');
    // Four figures as published, too.
    expect(fit.alpha.toFixed(2)).toBe('10.58');
    expect(fit.beta.toFixed(2)).toBe('11.67');
    expect(fit.logLikelihood.toFixed(1)).toBe('-9595.0');
  });

  it('gives the same fit without compression and from another start, and reports progress', () => {
    const data = cdnowSummary();
    const lls: number[] = [];
    const plain = fitParetoNbd(data, {
      compress: false,
      init: { r: 2, alpha: 3, s: 0.3, beta: 50 },
      onProgress: (_, ll) => void lls.push(ll),
    });
    const compressed = fitParetoNbd(data);
    expect(plain.converged).toBe(true);
    expect(compressed.distinct).toBeLessThan(plain.distinct);
    for (const k of ['r', 'alpha', 's', 'beta'] as const) expect(plain[k] / compressed[k] - 1).toBeCloseTo(0, 4);
    expect(lls.length).toBe(plain.iterations);
    expect(lls[lls.length - 1]).toBeCloseTo(plain.logLikelihood, 8);
  });

  it('fits the same model in days: alpha and beta scale by 7, r and s stay', () => {
    const weeks = cdnowSummary();
    const days = { x: weeks.x, tx: weeks.tx.map((v) => v * 7), T: weeks.T.map((v) => v * 7) };
    const fw = fitParetoNbd(weeks);
    const fd = fitParetoNbd(days);
    expect(fd.converged).toBe(true);
    expect(fd.alpha / 7 / fw.alpha - 1).toBeCloseTo(0, 4);
    expect(fd.beta / 7 / fw.beta - 1).toBeCloseTo(0, 4);
    for (const k of ['r', 's'] as const) expect(fd[k] / fw[k] - 1).toBeCloseTo(0, 4);
    // The density of the purchase times changes by x ln 7 per customer.
    const repeat = weeks.x.reduce((s, v) => s + v, 0);
    expect(fd.logLikelihood).toBeCloseTo(fw.logLikelihood - repeat * Math.log(7), 4);
  });

  it('cancels when onProgress returns false, and the generator yields per iteration', () => {
    const data = cdnowSummary();
    expect(() => fitParetoNbd(data, { onProgress: (iter) => iter < 2 })).toThrow(CancelledError);
    const first = fitParetoNbdSteps(data).next();
    expect(first.done).toBe(false);
    if (!first.done) expect(first.value.iter).toBe(1);
  });

  it('recovers the parameters of 20,000 customers simulated in whole days', () => {
    const truth: ParetoNbdParams = { r: 0.55, alpha: 10, s: 0.6, beta: 12 };
    const rng = new Random(33);
    // Ages of one to two years: with less, s and β are hardly told apart.
    const data = simulateCustomers(3, 20_000, truth, () => 52 + 52 * rng.uniform(), true);
    const fit = fitParetoNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.distinct).toBeLessThan(10_000);
    // Tolerances are about four standard deviations of the estimates over eight seeds (r 3%, α 2.5%,
    // s 4.5%, β 11%, E[X(104)] 2%): β is the least precise.
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.s / truth.s - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.beta / truth.beta - 1)).toBeLessThan(0.4);
    expect(Math.abs(paretonbdExpected(fit, 104) / paretonbdExpected(truth, 104) - 1)).toBeLessThan(0.08);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretonbdLogLikelihood(truth, data));
  });

  it('recovers parameters where lifetimes are far shorter than purchase intervals (the quadrature side of F)', () => {
    // 1 - z = β/α = 0.015 at t_x = 0: every customer without repeat purchases goes through the
    // quadrature. Exact times (whole days would blur lifetimes of a few days).
    const truth: ParetoNbdParams = { r: 0.8, alpha: 20, s: 0.7, beta: 0.3 };
    const ages = new Random(21);
    const data = simulateCustomers(2, 20_000, truth, () => 52 + 52 * ages.uniform());
    const fit = fitParetoNbd(data);
    expect(fit.converged).toBe(true);
    // About four standard deviations over five seeds (r 10%, α 7%, s 5%, β 17%).
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.4);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.3);
    expect(Math.abs(fit.s / truth.s - 1)).toBeLessThan(0.25);
    expect(Math.abs(fit.beta / truth.beta - 1)).toBeLessThan(0.7);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretonbdLogLikelihood(truth, data));
  });

  it('stops on the ridge where every customer drops out at the same rate, and says so', () => {
    // s = 1e6: dropout rates within 0.1 % of 0.02 a week. The likelihood rises forever along s/β =
    // 0.02; an unbounded search crawled there for hundreds of ever slower iterations.
    const truth: ParetoNbdParams = { r: 0.6, alpha: 4, s: 1e6, beta: 5e7 };
    // (Samples like this one put the maximum at the ridge's end about half the time; others have an
    // interior maximum with s in the tens, which the tests above cover.)
    const ages = new Random(101);
    const data = simulateCustomers(1, 8_000, truth, () => 26 + 78 * ages.uniform());
    const fit = fitParetoNbd(data, { maxIter: 120 });
    expect(fit.dropoutShapeCapped).toBe(true);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(60);
    expect(fit.s).toBeLessThanOrEqual(MAX_DROPOUT_SHAPE);
    expect(Math.abs(fit.s / fit.beta / 0.02 - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.25);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.3);
    // The true model (one rate for all) is the ridge's end: the fit is within rounding of it.
    expect(fit.logLikelihood).toBeGreaterThan(paretonbdLogLikelihood(truth, data) - 1e-3 * data.x.length);
    // CDNOW has spread in dropout rates: not capped.
    expect(fitParetoNbd(cdnowSummary()).dropoutShapeCapped).toBe(false);
  });

  it('refuses invalid histories, invalid parameters and data without repeat purchases', () => {
    const ok = { x: Float64Array.of(1, 0), tx: Float64Array.of(2, 0), T: Float64Array.of(5, 5) };
    expect(() => fitParetoNbd({ ...ok, tx: Float64Array.of(6, 0) })).toThrow(/Customer 1: recency/);
    expect(() => fitParetoNbd({ x: Float64Array.of(0, 0), tx: Float64Array.of(0, 0), T: Float64Array.of(5, 5) })).toThrow(
      /No customer made a repeat purchase/,
    );
    expect(() => paretonbdLogLikelihood({ ...PUBLISHED, s: 0 }, ok)).toThrow(/Pareto\/NBD parameter s/);
    expect(() => fitParetoNbd(ok, { init: { ...PUBLISHED, beta: NaN } })).toThrow(/parameter beta/);
  });
});

describe('Pareto/NBD predictions', () => {
  it('agrees with Bayes’ rule on the likelihood terms for P(alive)', () => {
    for (const m of [PUBLISHED, OTHERS[0], OTHERS[2]]) {
      for (const [x, tx, T] of [...CUSTOMERS, [10, 5, 38.86] as [number, number, number]]) {
        const { alive, dead } = likelihoodTerms(m, x, tx, T);
        expect(paretonbdProbabilityAlive(m, x, tx, T)).toBeCloseTo(alive / (alive + dead), 9);
      }
    }
    // Unlike BG/NBD, a customer without repeat purchases may have left.
    expect(paretonbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBeLessThan(0.9);
    expect(paretonbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBeGreaterThan(0.1);
    // Bought at the very end: certainly alive.
    expect(paretonbdProbabilityAlive(PUBLISHED, 4, 30, 30)).toBe(1);
  });

  it('matches the posterior integral for E[Y(t) | x, t_x, T], including s = 1 and long horizons', () => {
    // α < β, α >= β and s = 1; each case is a double integral, so a few only.
    for (const m of [PUBLISHED, OTHERS[0], OTHERS[1]]) {
      for (const [x, tx, T] of CUSTOMERS) {
        const ts = [39, 400];
        const wants = conditionalExpectedNumeric(m, ts, x, tx, T);
        for (const [k, t] of ts.entries()) {
          const want = wants[k];
          expect(paretonbdConditionalExpected(m, t, x, tx, T) / want - 1, JSON.stringify([m, t, x, tx, T])).toBeCloseTo(0, 7);
        }
      }
    }
    expect(paretonbdAliveExpected(PUBLISHED, 0, 3, 38)).toBe(0);
    // Near s = 1 the closed form is continuous.
    const at1 = paretonbdAliveExpected({ ...PUBLISHED, s: 1 }, 39, 2, 38.86);
    expect(paretonbdAliveExpected({ ...PUBLISHED, s: 1 + 1e-9 }, 39, 2, 38.86) / at1 - 1).toBeCloseTo(0, 8);
  });

  it('gives a new customer’s E[X(t)] as the prior integral, and agrees with Monte Carlo per frequency group', () => {
    for (const m of [PUBLISHED, OTHERS[1]]) {
      for (const t of [1, 39, 78]) {
        const overMu = gammaMeanOf(m.s, m.beta);
        const want = gammaMean(m.r, m.alpha, (l) => overMu((mu) => (l * -Math.expm1(-mu * t)) / mu));
        expect(paretonbdExpected(m, t) / want - 1).toBeCloseTo(0, 8);
      }
    }
    // Customers observed for T and followed for t more: within groups chosen by calibration data,
    // future purchases minus each customer's E[Y(t) | x, t_x, T] average to 0.
    const T = 38.86;
    const t = 39;
    const n = 300_000;
    const rng = new Random(2024);
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const future = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = simulateParetoNbd(rng, PUBLISHED, T, t);
      x[i] = c.x;
      tx[i] = c.tx;
      future[i] = c.future;
    }
    const { expected } = paretonbdPredict(PUBLISHED, { x, tx, T: new Float64Array(n).fill(T) }, t);
    const meanAndError = (values: (i: number) => number, keep: (i: number) => boolean) => {
      let k = 0;
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        if (!keep(i)) continue;
        const v = values(i);
        k++;
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / k;
      return { k, mean, se: Math.sqrt((sumSq / k - mean * mean) / k) };
    };
    const groups: [string, (i: number) => boolean][] = [
      ['x = 0', (i) => x[i] === 0],
      ['x = 2', (i) => x[i] === 2],
      ['x >= 3, t_x < T / 2', (i) => x[i] >= 3 && tx[i] < T / 2],
      ['x >= 3', (i) => x[i] >= 3],
    ];
    for (const [name, keep] of groups) {
      const { k, mean, se } = meanAndError((i) => future[i] - expected[i], keep);
      expect(k, name).toBeGreaterThan(3000);
      expect(Math.abs(mean), name).toBeLessThan(4 * se);
    }
    const { mean, se } = meanAndError((i) => x[i], () => true);
    expect(Math.abs(mean - paretonbdExpected(PUBLISHED, T))).toBeLessThan(4 * se);
  });

  it('predicts per customer on typed arrays as the scalar functions do', () => {
    const data = cdnowSummary();
    const { pAlive, expected } = paretonbdPredict(PUBLISHED, data, 52);
    for (const i of [0, 1, 2, 100, 2356]) {
      expect(pAlive[i]).toBe(paretonbdProbabilityAlive(PUBLISHED, data.x[i], data.tx[i], data.T[i]));
      expect(expected[i]).toBeCloseTo(paretonbdConditionalExpected(PUBLISHED, 52, data.x[i], data.tx[i], data.T[i]), 12);
    }
    expect(() => paretonbdPredict(PUBLISHED, data, -1)).toThrow(/horizon/);
  });
});
