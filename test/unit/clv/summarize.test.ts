/**
 * Orders to (x, t_x, T, mbar): the CDNOW transaction log must give the published summary files.
 */
import { describe, expect, it } from 'vitest';
import { dayFromYmd, summarizeOrders } from '../../../workers/clv/summarize';
import { CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, cdnowOrders, cdnowSummaryWithSpend } from './cdnow';

describe('summarizeOrders', () => {
  it('turns the CDNOW transactions into the published 39-week summary (weeks, 2 decimals)', () => {
    const s = summarizeOrders(cdnowOrders(), {
      calibrationEnd: CDNOW_CALIBRATION_END,
      holdoutEnd: CDNOW_HOLDOUT_END,
      unit: 'weeks',
    });
    const want = cdnowSummaryWithSpend();
    expect(Array.from(s.customer)).toEqual(Array.from(want.id));
    expect(Array.from(s.x)).toEqual(Array.from(want.x));
    // The files round to cents and hundredths of a week.
    for (let i = 0; i < want.x.length; i++) {
      expect(Math.abs(s.tx[i] - want.tx[i])).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T[i] - want.T[i])).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.mbar[i] - want.zbar[i])).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    expect(s.holdoutX!.reduce((t, v) => t + v, 0)).toBe(1882);
  });

  it('merges same-day orders, leaves the first purchase out of mbar, and splits calibration and holdout', () => {
    const d = dayFromYmd;
    const orders = {
      customer: [7, 7, 7, 7, 7, 7, 3, 9],
      day: [d(20200101), d(20200101), d(20200105), d(20200105), d(20200110), d(20200120), d(20200108), d(20200111)],
      amount: [10, 5, 20, 4, 30, 99, 12, 50],
    };
    const s = summarizeOrders(orders, { calibrationEnd: d(20200110), holdoutEnd: d(20200131) });
    // Customer 9 first bought after the calibration period: not in the cohort.
    expect(Array.from(s.customer)).toEqual([3, 7]);
    expect(Array.from(s.x)).toEqual([0, 2]);
    expect(Array.from(s.tx)).toEqual([0, 9]);
    expect(Array.from(s.T)).toEqual([2, 9]);
    expect(Array.from(s.mbar)).toEqual([0, (20 + 4 + 30) / 2]);
    expect(Array.from(s.holdoutX!)).toEqual([0, 1]);
    expect(Array.from(s.holdoutAmount!)).toEqual([0, 99]);
    const weeks = summarizeOrders(orders, { calibrationEnd: d(20200110), unit: 'weeks' });
    expect(weeks.T[1]).toBeCloseTo(9 / 7, 15);
    expect(weeks.holdoutX).toBeUndefined();
  });

  it('refuses bad dates and inconsistent columns', () => {
    expect(() => dayFromYmd(19970231)).toThrow(/YYYYMMDD/);
    expect(dayFromYmd(19700102)).toBe(1);
    const one = { customer: [1], day: [0], amount: [1] };
    expect(() => summarizeOrders({ ...one, day: [0.5] }, { calibrationEnd: 1 })).toThrow(/whole day/);
    expect(() => summarizeOrders({ ...one, customer: [1, 2] }, { calibrationEnd: 1 })).toThrow(/differ in length/);
    expect(() => summarizeOrders(one, { calibrationEnd: 5, holdoutEnd: 4 })).toThrow(/holdout end/);
  });
});
