/**
 * The next-order date (issue 17), checked against a direct computation: the chance of another order
 * within t given alive is integrated numerically over the posterior purchase (and dropout) rates —
 * E[1 - e^-λt] for BG/NBD, E[λ/(λ+μ) (1 - e^-(λ+μ)t)] for Pareto/NBD, λ ~ Gamma(r+x, α+T),
 * μ ~ Gamma(s, β+T) — by the trapezoid rule over log-rates, not through the closed form or the 2F1
 * tail integrals the code uses. The wait the code reports must be the first whole day by which
 * P(alive) times that chance reaches 1/2.
 */
import { describe, expect, test } from 'vitest';
import { bgnbdProbabilityAlive, type BgNbdParams } from '../../../workers/clv/bgnbd';
import { paretonbdProbabilityAlive, type ParetoNbdParams } from '../../../workers/clv/paretonbd';
import { bgnbdOrderTime, nextOrders, paretonbdOrderTime } from '../../../workers/clv/next-order';
import { lgamma } from '../../../workers/clv/special';
import { expectedCumulativeRepeat } from '../../../workers/clv/holdout';
import { trackingSeries } from '../../../workers/clv/model-checks';
import { paretonbdModel } from '../../../workers/clv/purchase-model';

// CDNOW, weeks: Fader, Hardie & Lee (2005) for BG/NBD, and the Pareto/NBD note.
const BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PNBD: ParetoNbdParams = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };
// Lifetimes far shorter than purchase intervals: (β+T)/(α+T) < 0.05, the quadrature side of the tail integral.
const PNBD_SHORT: ParetoNbdParams = { r: 2, alpha: 200, s: 0.5, beta: 2 };

/** Nodes v (log-rate) and weights of Gamma(shape, rate) over ln-space: ∫ h(λ) dGamma ≈ Σ w h(e^v). */
function gammaNodes(shape: number, rate: number): { rate: Float64Array; weight: Float64Array } {
  const centre = Math.log(shape / rate);
  const lo = centre - 40 / Math.min(1, shape);
  const hi = centre + 6;
  const n = 4000;
  const h = (hi - lo) / n;
  const rates = new Float64Array(n + 1);
  const weights = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const v = lo + k * h;
    rates[k] = Math.exp(v);
    weights[k] = (k === 0 || k === n ? h / 2 : h) * Math.exp(shape * Math.log(rate) - lgamma(shape) + shape * v - rate * rates[k]);
  }
  return { rate: rates, weight: weights };
}

function bgDirect(p: BgNbdParams, t: number, x: number, T: number): number {
  const g = gammaNodes(p.r + x, p.alpha + T);
  let sum = 0;
  for (let k = 0; k < g.rate.length; k++) sum += g.weight[k] * -Math.expm1(-g.rate[k] * t);
  return sum;
}

function paretoDirect(p: ParetoNbdParams, t: number, x: number, T: number): number {
  const lam = gammaNodes(p.r + x, p.alpha + T);
  const mu = gammaNodes(p.s, p.beta + T);
  // Thin the grids: 800 × 800 nodes are plenty for these smooth integrands.
  let sum = 0;
  let norm = 0;
  for (let i = 0; i < lam.rate.length; i += 5) {
    for (let j = 0; j < mu.rate.length; j += 5) {
      const w = lam.weight[i] * mu.weight[j];
      const total = lam.rate[i] + mu.rate[j];
      sum += w * (lam.rate[i] / total) * -Math.expm1(-total * t);
      norm += w;
    }
  }
  return sum / norm;
}

describe('the chance of another order within t, given alive', () => {
  test('BG/NBD: the closed form equals the posterior integral', () => {
    const g = bgnbdOrderTime(BG);
    for (const [x, T] of [[0, 38], [2, 38.86], [10, 20]]) {
      for (const t of [0.5, 4, 52]) expect(g.within(t, x, T)).toBeCloseTo(bgDirect(BG, t, x, T), 7);
    }
  });

  test('Pareto/NBD: the tail-integral form equals the posterior double integral (series and quadrature sides)', () => {
    for (const p of [PNBD, PNBD_SHORT]) {
      const g = paretonbdOrderTime(p);
      for (const [x, T] of [[0, 30], [3, 5], [12, 38]]) {
        for (const t of [1, 10, 52]) expect(g.within(t, x, T), `${JSON.stringify(p)} x ${x} T ${T} t ${t}`).toBeCloseTo(paretoDirect(p, t, x, T), 5);
      }
    }
  });

  test('the density is the derivative of the chance', () => {
    for (const g of [bgnbdOrderTime(BG), paretonbdOrderTime(PNBD), paretonbdOrderTime(PNBD_SHORT)]) {
      for (const t of [0.7, 9]) {
        const h = 1e-4;
        expect(g.density(t, 4, 30)).toBeCloseTo((g.within(t + h, 4, 30) - g.within(t - h, 4, 30)) / (2 * h), 6);
      }
    }
  });
});

describe('the next-order wait', () => {
  // Weeks; a 52-week horizon is 364 days.
  const customers = { x: Float64Array.of(2, 10, 5, 0, 1, 7), tx: Float64Array.of(30.43, 37, 35, 0, 2, 38), T: Float64Array.of(38.86, 38, 38, 38, 38, 38.5) };
  const cases = [
    { name: 'BG/NBD', alive: (x: number, tx: number, T: number) => bgnbdProbabilityAlive(BG, x, tx, T), g: bgnbdOrderTime(BG), direct: (t: number, x: number, T: number) => bgDirect(BG, t, x, T) },
    { name: 'Pareto/NBD', alive: (x: number, tx: number, T: number) => paretonbdProbabilityAlive(PNBD, x, tx, T), g: paretonbdOrderTime(PNBD), direct: (t: number, x: number, T: number) => paretoDirect(PNBD, t, x, T) },
  ];

  test.each(cases)('$name: the first whole day by which P(alive) · P(order within it | alive) reaches 1/2, checked directly', ({ alive, g, direct }) => {
    const pAlive = Float64Array.from(customers.x, (x, i) => alive(x, customers.tx[i], customers.T[i]));
    const got = nextOrders(g, customers, pAlive, 52, 7);
    let dated = 0;
    for (let i = 0; i < customers.x.length; i++) {
      const [x, T] = [customers.x[i], customers.T[i]];
      const chance = (days: number) => pAlive[i] * direct(days / 7, x, T);
      expect(got.pOrder[i]).toBeCloseTo(chance(364), 5);
      if (Number.isNaN(got.wait[i])) {
        expect(chance(364)).toBeLessThan(0.5);
        continue;
      }
      dated++;
      const d = got.wait[i];
      expect(chance(d)).toBeGreaterThanOrEqual(0.5 - 1e-6);
      if (d > 1) expect(chance(d - 1)).toBeLessThan(0.5);
    }
    // Frequent recent buyers get a date; the one-time buyer and the lapsed one do not.
    expect(dated).toBeGreaterThanOrEqual(3);
    expect(got.wait[3]).toBeNaN();
    expect(got.wait[4]).toBeNaN();
  });

  test('hand-checked BG/NBD case: x = 10, T = 38, P(alive) = 1 gives t = (α+T)(2^(1/(r+x)) - 1) weeks', () => {
    const t = (BG.alpha + 38) * (Math.pow(2, 1 / (BG.r + 10)) - 1);
    const got = nextOrders(bgnbdOrderTime(BG), { x: Float64Array.of(10), T: Float64Array.of(38) }, Float64Array.of(1), 52, 7);
    expect(got.wait[0]).toBe(Math.ceil(t * 7));
  });
});

describe('the tracking series (issue 17)', () => {
  test('its expected curve equals expectedCumulativeRepeat summed customer by customer', () => {
    const model = paretonbdModel(PNBD);
    // Ages in weeks of whole days, as the SQL makes them.
    const T = Float64Array.from([0, 1, 3, 10, 10, 52, 60], (w) => w + 3 / 7);
    const series = trackingSeries(model, T, 7, new Map([[-2, 5], [1, 3]]), 30);
    const want = expectedCumulativeRepeat(model, Float64Array.from(T, (v) => -v), series.map((p) => p.day / 7));
    series.forEach((p, j) => expect(p.expected).toBeCloseTo(want[j], 9));
    expect(series.at(-1)).toMatchObject({ week: 5, day: 30, actual: 8 });
  });
});
