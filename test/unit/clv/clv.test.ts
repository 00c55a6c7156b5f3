/**
 * CLV over a horizon: the discretisation stated in workers/clv/clv.ts, recomputed here from the
 * scalar BG/NBD and Gamma-Gamma functions.
 */
import { describe, expect, it } from 'vitest';
import { bgnbdConditionalExpected, bgnbdPredict, type BgNbdParams } from '../../../workers/clv/bgnbd';
import { customerValue, ratePerPeriod } from '../../../workers/clv/clv';
import { gammaGammaExpectedSpend, type GammaGammaParams } from '../../../workers/clv/gammagamma';
import { cdnowSummaryWithSpend } from './cdnow';

const BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GG: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('customerValue', () => {
  const d = cdnowSummaryWithSpend();
  const data = { x: d.x, tx: d.tx, T: d.T };

  it('without discounting is expected purchases times expected spend, whatever the period length', () => {
    const one = customerValue(BG, GG, data, d.zbar, { horizon: 52 });
    const weekly = customerValue(BG, GG, data, d.zbar, { horizon: 52, periodLength: 1 });
    const { pAlive, expected } = bgnbdPredict(BG, data, 52);
    for (let i = 0; i < d.x.length; i++) {
      expect(one.pAlive[i]).toBe(pAlive[i]);
      expect(one.expectedPurchases[i]).toBeCloseTo(expected[i], 12);
      expect(one.expectedSpend[i]).toBe(gammaGammaExpectedSpend(GG, d.x[i], d.zbar[i]));
      expect(one.clv[i]).toBeCloseTo(expected[i] * one.expectedSpend[i], 10);
      expect(weekly.clv[i]).toBeCloseTo(one.clv[i], 10);
    }
  });

  it('discounts each period’s expected purchases at its end, the last period possibly shorter', () => {
    const horizon = 52;
    const L = 4.345; // about a month in weeks: 12 periods of 4.345 and a last one of 0.86
    const rate = ratePerPeriod(0.1, L, 365.25 / 7);
    const res = customerValue(BG, GG, data, d.zbar, { horizon, periodLength: L, discountRate: rate });
    for (const i of [0, 1, 2, 17, 1000]) {
      const [x, tx, T] = [d.x[i], d.tx[i], d.T[i]];
      let want = 0;
      let prev = 0;
      for (let k = 1; (k - 1) * L < horizon; k++) {
        const cum = bgnbdConditionalExpected(BG, Math.min(k * L, horizon), x, tx, T);
        want += (cum - prev) / Math.pow(1 + rate, k);
        prev = cum;
      }
      want *= gammaGammaExpectedSpend(GG, x, d.zbar[i]);
      expect(res.clv[i]).toBeCloseTo(want, 10);
      expect(res.clv[i]).toBeLessThan(res.expectedPurchases[i] * res.expectedSpend[i]);
    }
  });

  it('values the published spot-check customer (x = 2, t_x = 30.43, T = 38.86) at 1.226 purchases over 39 weeks', () => {
    const one = {
      x: Float64Array.of(2),
      tx: Float64Array.of(30.43),
      T: Float64Array.of(38.86),
    };
    const res = customerValue(BG, GG, one, Float64Array.of(22.35), { horizon: 39 });
    expect(res.expectedPurchases[0].toFixed(3)).toBe('1.226');
    expect(res.clv[0]).toBeCloseTo(1.226 * gammaGammaExpectedSpend(GG, 2, 22.35), 1);
  });

  it('converts an annual discount rate to a rate per period', () => {
    expect(ratePerPeriod(0.1, 1, 12)).toBeCloseTo(Math.pow(1.1, 1 / 12) - 1, 15);
    expect(ratePerPeriod(0.1, 365.25, 365.25)).toBeCloseTo(0.1, 15);
    expect(() => ratePerPeriod(-1, 1, 12)).toThrow(/annual discount rate/);
  });

  it('refuses bad options and mismatched arrays', () => {
    expect(() => customerValue(BG, GG, data, d.zbar, { horizon: 0 })).toThrow(/horizon/);
    expect(() => customerValue(BG, GG, data, d.zbar, { horizon: 52, periodLength: -1 })).toThrow(/period length/);
    expect(() => customerValue(BG, GG, data, d.zbar, { horizon: 52, discountRate: -1 })).toThrow(/discount rate/);
    expect(() => customerValue(BG, GG, data, d.zbar.subarray(1), { horizon: 52 })).toThrow(/mean spends/);
    expect(() => customerValue(BG, { ...GG, q: 0 }, data, d.zbar, { horizon: 52 })).toThrow(/parameter q/);
  });
});
