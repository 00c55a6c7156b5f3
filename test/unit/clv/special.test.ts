/**
 * Special functions against closed forms and published values (Abramowitz & Stegun; DLMF).
 */
import { describe, expect, it } from 'vitest';
import { digamma, hyp2f1, hyp2f1Tail, lgamma, logAddExp, logBeta, logSumExp } from '../../../workers/clv/special';

describe('lgamma', () => {
  it('matches factorials, Γ(1/2) = √π and small/large arguments', () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(2)).toBeCloseTo(0, 14);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    // ln Γ(x) = -ln x - γ_E x + O(x²) near 0.
    expect(lgamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649015329e-8, 12);
    // Stirling with three correction terms is exact to ~1e-17 at x = 1000.
    const x = 1000;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
    expect(lgamma(x) / stirling - 1).toBeLessThan(1e-14);
    // Γ(-0.5) = -2√π: lgamma is ln|Γ|.
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(lgamma(0)).toBe(Infinity);
  });

  it('satisfies the recurrence ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    for (const x of [0.01, 0.243, 0.793, 2.426, 4.414, 17.3, 250.5]) {
      expect(lgamma(x + 1) - lgamma(x) - Math.log(x)).toBeCloseTo(0, 12);
    }
  });

  it('gives ln B(a, b)', () => {
    expect(logBeta(1, 1)).toBeCloseTo(0, 14);
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(logBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 14);
  });
});

describe('digamma', () => {
  const eulerGamma = 0.5772156649015329;
  it('matches ψ(1) = -γ, ψ(1/2) = -γ - 2 ln 2 and ψ(n) = H_(n-1) - γ', () => {
    expect(digamma(1)).toBeCloseTo(-eulerGamma, 14);
    expect(digamma(0.5)).toBeCloseTo(-eulerGamma - 2 * Math.LN2, 14);
    let harmonic = 0;
    for (let k = 1; k < 30; k++) harmonic += 1 / k;
    expect(digamma(30)).toBeCloseTo(harmonic - eulerGamma, 13);
    expect(digamma(-0.5)).toBeCloseTo(-eulerGamma - 2 * Math.LN2 + 2, 13);
    expect(digamma(0)).toBeNaN();
  });

  it('is the derivative of lgamma', () => {
    for (const x of [0.05, 0.243, 1.7, 9.99, 10.01, 123.4]) {
      const h = 1e-5 * x;
      const fd = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
      expect(digamma(x) / fd - 1).toBeCloseTo(0, 7);
    }
  });
});

describe('hyp2f1', () => {
  it('matches elementary closed forms', () => {
    for (const z of [-0.9, -0.3, 0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 12);
      expect(hyp2f1(0.7, 2.3, 2.3, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 11);
    }
    for (const w of [0.2, 0.6, 0.95]) {
      expect(hyp2f1(0.5, 1, 1.5, -w * w)).toBeCloseTo(Math.atan(w) / w, 12);
      expect(hyp2f1(0.5, 0.5, 1.5, w * w)).toBeCloseTo(Math.asin(w) / w, 12);
    }
    // A polynomial when a is a non-positive integer: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z²/(c(c+1)).
    expect(hyp2f1(-2, 3, 4, 0.5)).toBeCloseTo(1 - (2 * 3 * 0.5) / 4 + (3 * 4 * 0.25) / (4 * 5), 14);
    expect(hyp2f1(1, 1, 2, 0)).toBe(1);
  });

  it('matches Gauss’s sum at z → 1 when c - a - b > 0', () => {
    // 2F1(a, b; c; 1) = Γ(c)Γ(c-a-b) / (Γ(c-a)Γ(c-b)); at z = 0.9999 it is within ~1e-4 of that.
    const [a, b, c] = [0.3, 0.4, 2.5];
    const gauss = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
    expect(hyp2f1(a, b, c, 0.9999)).toBeCloseTo(gauss, 4);
  });

  it('has a tail c·(F - 1) that stays finite as c → 0', () => {
    const tail = (c: number) => hyp2f1Tail(0.5, 2, c, 0.4);
    expect(tail(1e-12)).toBeCloseTo(tail(0), 10);
    expect(tail(0.7)).toBeCloseTo(0.7 * (hyp2f1(0.5, 2, 0.7, 0.4) - 1), 13);
  });

  it('refuses |z| >= 1, c a non-positive integer, and a series that will not converge', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/\|z\| < 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
    expect(() => hyp2f1(1, 1, 2, 0.999999, { maxTerms: 1000 })).toThrow(/did not converge/);
  });
});

describe('log-sum-exp', () => {
  it('adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logSumExp([Math.log(1), Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(6), 14);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logSumExp([])).toBe(-Infinity);
  });
});
