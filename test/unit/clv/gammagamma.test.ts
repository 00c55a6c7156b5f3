/**
 * Gamma-Gamma (Fader & Hardie, note 025) against the published CDNOW fit, the model's definition
 * integrated numerically, and simulation.
 *
 * Independent reference: given ν, the sum of x order values is Gamma(px, ν), so the mean mbar has
 * density x · Gamma(px, ν)(x mbar); averaging over ν ~ Gamma(q, γ) by quadrature (with Γ(px) and
 * Γ(q) also integrated numerically) gives the likelihood, and the posterior mean of p/ν the
 * expected spend per order.
 */
import { describe, expect, it } from 'vitest';
import {
  fitGammaGamma,
  gammaGammaCheck,
  gammaGammaExpectedSpend,
  gammaGammaExpectedSpendAll,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodOne,
  type GammaGammaParams,
} from '../../../workers/clv/gammagamma';
import { summarizeOrders } from '../../../workers/clv/summarize';
import { CDNOW_CALIBRATION_END, cdnowOrders, cdnowSummaryWithSpend } from './cdnow';
import { integrate0Inf, Random, simulateMeanSpend } from './simulate';

const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

/** Γ(s) by quadrature. */
function gammaFunction(s: number): number {
  return integrate0Inf((t) => Math.pow(t, s - 1) * Math.exp(-t));
}

/** Density of mbar given ν (x orders), and the prior density of ν, both from the definition. */
function densities(m: GammaGammaParams, x: number, mbar: number) {
  const gpx = gammaFunction(m.p * x);
  const gq = gammaFunction(m.q);
  const px = m.p * x;
  const given = (nu: number) => (x * Math.pow(nu, px) * Math.pow(x * mbar, px - 1) * Math.exp(-nu * x * mbar)) / gpx;
  const prior = (nu: number) => (Math.pow(m.gamma, m.q) * Math.pow(nu, m.q - 1) * Math.exp(-m.gamma * nu)) / gq;
  return { given, prior };
}

describe('Gamma-Gamma likelihood', () => {
  it('matches the model definition integrated numerically, for three customers', () => {
    for (const m of [PUBLISHED, { p: 0.8, q: 1.5, gamma: 3 }]) {
      for (const [x, mbar] of [
        [1, 11.77],
        [2, 22.35],
        [9, 48.1],
      ]) {
        const { given, prior } = densities(m, x, mbar);
        const density = integrate0Inf((nu) => given(nu) * prior(nu));
        expect(gammaGammaLogLikelihoodOne(m, x, mbar)).toBeCloseTo(Math.log(density), 8);
      }
    }
  });

  it('sums over repeat customers only, with weights', () => {
    const x = Float64Array.of(0, 2, 1, 2);
    const mbar = Float64Array.of(0, 22.35, 11.77, 22.35);
    const want = 2 * gammaGammaLogLikelihoodOne(PUBLISHED, 2, 22.35) + gammaGammaLogLikelihoodOne(PUBLISHED, 1, 11.77);
    expect(gammaGammaLogLikelihood(PUBLISHED, { x, mbar })).toBeCloseTo(want, 10);
    const weighted = { x: Float64Array.of(2, 1), mbar: Float64Array.of(22.35, 11.77), weight: Float64Array.of(2, 1) };
    expect(gammaGammaLogLikelihood(PUBLISHED, weighted)).toBeCloseTo(want, 10);
  });
});

describe('Gamma-Gamma fit', () => {
  it('reproduces Fader & Hardie on the 946 CDNOW repeat customers (zbar column): p = 6.25, q = 3.74, γ = 15.4', () => {
    const d = cdnowSummaryWithSpend();
    const fit = fitGammaGamma({ x: d.x, mbar: d.zbar });
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    expect(fit.p.toPrecision(3)).toBe('6.25');
    expect(fit.q.toPrecision(3)).toBe('3.74');
    expect(fit.gamma.toPrecision(3)).toBe('15.4');
    // zbar is rounded to cents in the CSV, which moves γ to 15.45 at four figures.
    expect(fit.gamma.toFixed(2)).toBe('15.45');
  });

  it('gives the published γ = 15.44 on averages recomputed from the transactions', () => {
    const s = summarizeOrders(cdnowOrders(), { calibrationEnd: CDNOW_CALIBRATION_END, unit: 'weeks' });
    const fit = fitGammaGamma({ x: s.x, mbar: s.mbar });
    expect(fit.customers).toBe(946);
    expect(fit.p.toFixed(2)).toBe('6.25');
    expect(fit.q.toFixed(2)).toBe('3.74');
    expect(fit.gamma.toFixed(2)).toBe('15.44');
  });

  it('recovers the parameters of 20,000 simulated repeat customers', () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const rng = new Random(7);
    const n = 20_000;
    const x = new Float64Array(n);
    const mbar = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(-2 * Math.log(rng.uniform())); // 1, 2, … with mean about 2.5
      mbar[i] = simulateMeanSpend(rng, truth, x[i]);
    }
    const fit = fitGammaGamma({ x, mbar });
    expect(fit.converged).toBe(true);
    // About four standard errors (seen across seeds); p and γ trade off against each other.
    expect(Math.abs(fit.p / truth.p - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.q / truth.q - 1)).toBeLessThan(0.06);
    expect(Math.abs(fit.gamma / truth.gamma - 1)).toBeLessThan(0.2);
    const mean = (m: GammaGammaParams) => (m.p * m.gamma) / (m.q - 1);
    expect(Math.abs(mean(fit) / mean(truth) - 1)).toBeLessThan(0.03);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, { x, mbar }));
  });

  it('refuses a repeat customer without positive spend, and too few customers', () => {
    expect(() => fitGammaGamma({ x: Float64Array.of(1, 2), mbar: Float64Array.of(10, 0) })).toThrow(/Customer 2: mean spend/);
    expect(() => fitGammaGamma({ x: Float64Array.of(1, 0), mbar: Float64Array.of(10, 0) })).toThrow(/at least two/);
  });
});

describe('Gamma-Gamma expected spend', () => {
  it('is the posterior mean of p/ν, integrated numerically', () => {
    for (const [x, mbar] of [
      [1, 11.77],
      [4, 60],
    ]) {
      const { given, prior } = densities(PUBLISHED, x, mbar);
      const joint = (nu: number) => given(nu) * prior(nu);
      const want = integrate0Inf((nu) => (PUBLISHED.p / nu) * joint(nu)) / integrate0Inf(joint);
      expect(gammaGammaExpectedSpend(PUBLISHED, x, mbar)).toBeCloseTo(want, 8);
    }
  });

  it('is the population mean pγ/(q - 1) for x = 0, and NaN when that is infinite', () => {
    const pop = (PUBLISHED.p * PUBLISHED.gamma) / (PUBLISHED.q - 1);
    expect(gammaGammaExpectedSpend(PUBLISHED, 0, 0)).toBeCloseTo(pop, 12);
    expect(gammaGammaExpectedSpend({ p: 2, q: 0.9, gamma: 5 }, 0, 0)).toBeNaN();
    const all = gammaGammaExpectedSpendAll(PUBLISHED, Float64Array.of(0, 2), Float64Array.of(0, 22.35));
    expect(all[0]).toBeCloseTo(pop, 12);
    expect(all[1]).toBe(gammaGammaExpectedSpend(PUBLISHED, 2, 22.35));
  });
});

describe('Gamma-Gamma assumption check', () => {
  it('finds the weak correlation Fader & Hardie report on CDNOW (0.11) acceptable', () => {
    const d = cdnowSummaryWithSpend();
    const check = gammaGammaCheck({ x: d.x, mbar: d.zbar });
    expect(check.customers).toBe(946);
    expect(check.correlation.toFixed(2)).toBe('0.11');
    expect(check.ok).toBe(true);
    expect(check.warning).toBeUndefined();
  });

  it('warns when spend grows with frequency, and when the correlation is undefined', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 0);
    const mbar = Float64Array.of(10, 19, 31, 42, 48, 0);
    const check = gammaGammaCheck({ x, mbar });
    expect(check.correlation).toBeGreaterThan(0.9);
    expect(check.ok).toBe(false);
    expect(check.warning).toMatch(/correlated \(r = 0\.99/);
    expect(gammaGammaCheck({ x, mbar }, 0.999).ok).toBe(true);
    const flat = gammaGammaCheck({ x: Float64Array.of(1, 1), mbar: Float64Array.of(5, 7) });
    expect(flat.ok).toBe(false);
    expect(flat.warning).toMatch(/cannot be computed/);
  });
});
