/**
 * BG/NBD (Fader, Hardie & Lee 2005) against the published CDNOW fit, against the model's
 * definition integrated numerically, and against simulation.
 *
 * Independent references used here:
 * - the likelihood as the model defines it (FHL 2005, section 3): given λ and p,
 *   L = (1-p)^x λ^x e^(-λT) + [x > 0] p (1-p)^(x-1) λ^x e^(-λ t_x), averaged over λ ~ Gamma(r, α)
 *   and p ~ Beta(a, b) by tanh-sinh quadrature, with the normalising constants also integrated
 *   numerically (no Γ function involved);
 * - P(alive) as the share of the first term in that average (Bayes' rule);
 * - E[Y(t) | x, t_x, T]: given alive, λ and p, the expected purchases in the next t are
 *   (1 - e^(-λpt)) / p (a geometric number of Poisson events); averaging over the posterior
 *   λ ~ Gamma(r + x, α + T) gives (1 - (1 + pt/(α+T))^-(r+x)) / p, then p ~ Beta(a, b + x) is
 *   integrated numerically — the code under test uses the 2F1 closed form instead;
 * - Monte Carlo simulation of the purchase process (simulate.ts).
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../workers/engine-errors';
import {
  bgnbdAliveExpected,
  bgnbdConditionalExpected,
  bgnbdExpected,
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodOne,
  bgnbdPredict,
  bgnbdProbabilityAlive,
  fitBgNbd,
  fitBgNbdSteps,
  type BgNbdParams,
} from '../../../workers/clv/bgnbd';
import { ClvError } from '../../../workers/clv/errors';
import { cdnowSummary } from './cdnow';
import { integrate01, integrate0Inf, Random, simulateBgNbd } from './simulate';

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** E[h(λ)] for λ ~ Gamma(r, α), both integrals numeric. */
function gammaMean(r: number, alpha: number, h: (l: number) => number): number {
  const kernel = (l: number) => Math.pow(l, r - 1) * Math.exp(-alpha * l);
  return integrate0Inf((l) => h(l) * kernel(l)) / integrate0Inf(kernel);
}

/** E[h(p, 1 - p)] for p ~ Beta(a, b), both integrals numeric. */
function betaMean(a: number, b: number, h: (p: number, q: number) => number): number {
  const kernel = (p: number, q: number) => Math.pow(p, a - 1) * Math.pow(q, b - 1);
  return integrate01((p, q) => h(p, q) * kernel(p, q)) / integrate01(kernel);
}

/** The two terms of the likelihood (still alive at T, dropped out after t_x), averaged numerically. */
function likelihoodTerms(m: BgNbdParams, x: number, tx: number, T: number): { alive: number; dead: number } {
  const alive = gammaMean(m.r, m.alpha, (l) => l ** x * Math.exp(-l * T)) * betaMean(m.a, m.b, (_, q) => q ** x);
  const dead =
    x === 0
      ? 0
      : gammaMean(m.r, m.alpha, (l) => l ** x * Math.exp(-l * tx)) * betaMean(m.a, m.b, (p, q) => p * q ** (x - 1));
  return { alive, dead };
}

/** E[Y(t) | x, t_x, T] through the posterior of p, integrated numerically. */
function conditionalExpectedNumeric(m: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { alive, dead } = likelihoodTerms(m, x, tx, T);
  const givenAlive = betaMean(m.a, m.b + x, (p) => -Math.expm1(-(m.r + x) * Math.log1p((p * t) / (m.alpha + T))) / p);
  return (alive / (alive + dead)) * givenAlive;
}

function simulateCustomers(seed: number, n: number, m: BgNbdParams, age: () => number) {
  const rng = new Random(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = simulateBgNbd(rng, m, age());
    x[i] = c.x;
    tx[i] = c.tx;
    T[i] = c.T;
  }
  return { x, tx, T };
}

function sig3(v: number): string {
  return v.toPrecision(3);
}

describe('BG/NBD likelihood', () => {
  const customers: [number, number, number][] = [
    [0, 0, 38.86], // CDNOW customer 3: no repeat purchase
    [2, 30.43, 38.86], // CDNOW customer 1
    [7, 35.71, 36.43],
  ];
  const parameterSets: BgNbdParams[] = [PUBLISHED, { r: 1.7, alpha: 12, a: 2.5, b: 0.6 }];

  it('matches the model definition integrated numerically, for three customers', () => {
    for (const m of parameterSets) {
      for (const [x, tx, T] of customers) {
        const { alive, dead } = likelihoodTerms(m, x, tx, T);
        expect(bgnbdLogLikelihoodOne(m, x, tx, T)).toBeCloseTo(Math.log(alive + dead), 8);
      }
    }
  });

  it('is the same summed, compressed or not, and with weights for repeated customers', () => {
    const x = Float64Array.of(0, 2, 7, 2, 0);
    const tx = Float64Array.of(0, 30.43, 35.71, 30.43, 0);
    const T = Float64Array.of(38.86, 38.86, 36.43, 38.86, 38.86);
    const sum = [0, 1, 2, 3, 4].reduce((s, i) => s + bgnbdLogLikelihoodOne(PUBLISHED, x[i], tx[i], T[i]), 0);
    expect(bgnbdLogLikelihood(PUBLISHED, { x, tx, T })).toBeCloseTo(sum, 10);
    const weighted = {
      x: Float64Array.of(0, 2, 7),
      tx: Float64Array.of(0, 30.43, 35.71),
      T: Float64Array.of(38.86, 38.86, 36.43),
      weight: Float64Array.of(2, 2, 1),
    };
    expect(bgnbdLogLikelihood(PUBLISHED, weighted)).toBeCloseTo(sum, 10);
  });

  it('sums a million customers without losing digits (the optimiser needs ~1e-14 of the mean)', () => {
    // 50 copies of 20,000 customers, uncompressed, must give exactly 50 times their likelihood;
    // plain summation is off by ~7e-14 here, enough to stall the line search near the optimum.
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const rng = new Random(5);
    const base = simulateCustomers(1, 20_000, truth, () => 26 + 26 * rng.uniform());
    const tile = (a: Float64Array) => {
      const out = new Float64Array(a.length * 50);
      for (let k = 0; k < 50; k++) out.set(a, k * a.length);
      return out;
    };
    const big = bgnbdLogLikelihood(truth, { x: tile(base.x), tx: tile(base.tx), T: tile(base.T) });
    expect(Math.abs(big / (50 * bgnbdLogLikelihood(truth, base)) - 1)).toBeLessThan(1e-15);
  });

  it('gives the published log-likelihood at the published CDNOW parameters', () => {
    expect(bgnbdLogLikelihood(PUBLISHED, cdnowSummary())).toBeCloseTo(-9582.4, 1);
  });
});

describe('BG/NBD fit', () => {
  it('reproduces Fader, Hardie & Lee (2005) on CDNOW: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.4', () => {
    const fit = fitBgNbd(cdnowSummary());
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    expect(sig3(fit.r)).toBe('0.243');
    expect(sig3(fit.alpha)).toBe('4.41');
    expect(sig3(fit.a)).toBe('0.793');
    expect(sig3(fit.b)).toBe('2.43');
    // Four figures as published, too.
    expect(fit.alpha.toFixed(3)).toBe('4.414');
    expect(fit.b.toFixed(3)).toBe('2.426');
    expect(fit.logLikelihood.toFixed(1)).toBe('-9582.4');
  });

  it('gives the same fit without compression, from another start, and reports progress', () => {
    const data = cdnowSummary();
    const lls: number[] = [];
    const plain = fitBgNbd(data, {
      compress: false,
      init: { r: 2, alpha: 1, a: 3, b: 0.5 },
      onProgress: (_, ll) => void lls.push(ll),
    });
    const compressed = fitBgNbd(data);
    expect(compressed.distinct).toBeLessThan(plain.distinct);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(plain[k]).toBeCloseTo(compressed[k], 5);
    expect(lls.length).toBe(plain.iterations);
    expect(lls[lls.length - 1]).toBeCloseTo(plain.logLikelihood, 8);
  });

  it('fits the same model in days: alpha scales by 7, r, a and b stay', () => {
    const weeks = cdnowSummary();
    const days = { x: weeks.x, tx: weeks.tx.map((v) => v * 7), T: weeks.T.map((v) => v * 7) };
    const fw = fitBgNbd(weeks);
    const fd = fitBgNbd(days);
    expect(fd.converged).toBe(true);
    expect(fd.alpha / 7).toBeCloseTo(fw.alpha, 4);
    for (const k of ['r', 'a', 'b'] as const) expect(fd[k]).toBeCloseTo(fw[k], 5);
    // The likelihood of the times changes by the Jacobian of the unit change: x ln 7 per customer.
    const repeat = weeks.x.reduce((s, v) => s + v, 0);
    expect(fd.logLikelihood).toBeCloseTo(fw.logLikelihood - repeat * Math.log(7), 5);
  });

  it('cancels when onProgress returns false, and the generator yields per iteration', () => {
    const data = cdnowSummary();
    expect(() => fitBgNbd(data, { onProgress: (iter) => iter < 2 })).toThrow(CancelledError);
    const steps = fitBgNbdSteps(data);
    const first = steps.next();
    expect(first.done).toBe(false);
    if (!first.done) expect(first.value.iter).toBe(1);
  });

  it('recovers the parameters of 20,000 simulated customers', () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const rng = new Random(99);
    const data = simulateCustomers(1, 20_000, truth, () => 26 + 26 * rng.uniform());
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    // Tolerances are about four standard errors (seen across seeds): a and b are the least precise.
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.12);
    expect(Math.abs(fit.a / truth.a - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.b / truth.b - 1)).toBeLessThan(0.25);
    // The maximum likelihood is at least the likelihood of the truth.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(truth, data));
  });

  it('refuses invalid histories and data without repeat purchases', () => {
    const ok = { x: Float64Array.of(1, 0), tx: Float64Array.of(2, 0), T: Float64Array.of(5, 5) };
    expect(() => fitBgNbd({ ...ok, tx: Float64Array.of(6, 0) })).toThrow(/Customer 1: recency/);
    expect(() => fitBgNbd({ ...ok, x: Float64Array.of(1.5, 0) })).toThrow(ClvError);
    expect(() => fitBgNbd({ ...ok, T: Float64Array.of(5) })).toThrow(/differ in length/);
    expect(() => fitBgNbd({ x: Float64Array.of(0, 0), tx: Float64Array.of(0, 0), T: Float64Array.of(5, 5) })).toThrow(
      /No customer made a repeat purchase/,
    );
    expect(() => bgnbdLogLikelihood({ ...PUBLISHED, a: -1 }, ok)).toThrow(/parameter a/);
  });
});

describe('BG/NBD predictions', () => {
  it('gives P(alive) = 1 when x = 0, and agrees with Bayes’ rule on the likelihood terms', () => {
    expect(bgnbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBe(1);
    expect(bgnbdProbabilityAlive(PUBLISHED, 0, 0, 1000)).toBe(1);
    for (const [x, tx, T] of [
      [1, 1.71, 38.86],
      [2, 30.43, 38.86],
      [10, 5, 38.86],
    ]) {
      const { alive, dead } = likelihoodTerms(PUBLISHED, x, tx, T);
      expect(bgnbdProbabilityAlive(PUBLISHED, x, tx, T)).toBeCloseTo(alive / (alive + dead), 9);
    }
  });

  it('reproduces the published spot check: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks', () => {
    expect(bgnbdConditionalExpected(PUBLISHED, 39, 2, 30.43, 38.86).toFixed(3)).toBe('1.226');
  });

  it('matches the posterior integral for E[Y(t) | x, t_x, T], including long horizons and a > 1', () => {
    const sets: BgNbdParams[] = [PUBLISHED, { r: 1.7, alpha: 12, a: 2.5, b: 0.6 }, { r: 0.5, alpha: 3, a: 0.3, b: 0.4 }];
    for (const m of sets) {
      for (const [x, tx, T] of [
        [0, 0, 38.86],
        [2, 30.43, 38.86],
        [7, 35.71, 36.43],
        [1, 0.5, 2],
      ]) {
        for (const t of [1, 39, 400]) {
          const want = conditionalExpectedNumeric(m, t, x, tx, T);
          expect(bgnbdConditionalExpected(m, t, x, tx, T) / want - 1).toBeCloseTo(0, 7);
        }
      }
    }
  });

  it('handles a = 1, where the closed form is 0/0', () => {
    const m = { r: 0.5, alpha: 5, a: 1, b: 2 };
    const want = conditionalExpectedNumeric(m, 39, 3, 20, 38);
    expect(bgnbdConditionalExpected(m, 39, 3, 20, 38) / want - 1).toBeCloseTo(0, 8);
    expect(bgnbdAliveExpected(m, 0, 3, 38)).toBe(0);
  });

  it('agrees with Monte Carlo: E[Y(t) | x, t_x, T] per frequency group, and E[X(T)]', () => {
    // Simulate customers observed for T and followed for t more; within any group chosen by
    // (x, t_x), actual future purchases minus each customer's E[Y(t) | x, t_x, T] average to 0.
    const T = 38.86;
    const t = 39;
    const n = 1_000_000;
    const rng = new Random(2024);
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const future = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = simulateBgNbd(rng, PUBLISHED, T, t);
      x[i] = c.x;
      tx[i] = c.tx;
      future[i] = c.future;
    }
    const { expected } = bgnbdPredict(PUBLISHED, { x, tx, T: new Float64Array(n).fill(T) }, t);
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
      ['x = 2, t_x within a week of 30.43', (i) => x[i] === 2 && Math.abs(tx[i] - 30.43) < 1],
      ['x >= 3', (i) => x[i] >= 3],
    ];
    for (const [name, keep] of groups) {
      const { k, mean, se } = meanAndError((i) => future[i] - expected[i], keep);
      expect(k, name).toBeGreaterThan(4000);
      expect(Math.abs(mean), name).toBeLessThan(4 * se);
    }
    const { mean, se } = meanAndError((i) => x[i], () => true);
    expect(Math.abs(mean - bgnbdExpected(PUBLISHED, T))).toBeLessThan(4 * se);
  });

  it('predicts per customer on typed arrays as the scalar functions do', () => {
    const data = cdnowSummary();
    const { pAlive, expected } = bgnbdPredict(PUBLISHED, data, 52);
    for (const i of [0, 1, 2, 100, 2356]) {
      expect(pAlive[i]).toBe(bgnbdProbabilityAlive(PUBLISHED, data.x[i], data.tx[i], data.T[i]));
      expect(expected[i]).toBeCloseTo(bgnbdConditionalExpected(PUBLISHED, 52, data.x[i], data.tx[i], data.T[i]), 12);
    }
  });
});
