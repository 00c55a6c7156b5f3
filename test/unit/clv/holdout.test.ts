/**
 * The calibration/holdout chart data: on CDNOW (Fader, Hardie & Lee 2005, figure 4: mean holdout
 * purchases by calibration frequency 0..7+) and on simulated customers where the truth is known.
 */
import { describe, expect, it } from 'vitest';
import {
  bgnbdConditionalExpected,
  bgnbdExpected,
  bgnbdPredict,
  fitBgNbd,
  type BgNbdParams,
} from '../../../workers/clv/bgnbd';
import { calibrationHoldout, expectedCumulativeRepeat } from '../../../workers/clv/holdout';
import { summarizeOrders } from '../../../workers/clv/summarize';
import { CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, cdnowOrders, cdnowSummary } from './cdnow';
import { Random, simulateBgNbd } from './simulate';

describe('calibrationHoldout', () => {
  it('groups the CDNOW customers by frequency 0..7+ and compares the 39-week holdout', () => {
    const s = summarizeOrders(cdnowOrders(), {
      calibrationEnd: CDNOW_CALIBRATION_END,
      holdoutEnd: CDNOW_HOLDOUT_END,
      unit: 'weeks',
    });
    const fit = fitBgNbd(cdnowSummary());
    const groups = calibrationHoldout(fit, s, s.holdoutX!, 39);
    expect(groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    // Group sizes counted from the summary file.
    expect(groups.map((g) => g.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    // 1,882 repeat purchases in the holdout period (weeks 40 to 78).
    const actualTotal = groups.reduce((t, g) => t + g.actual * g.customers, 0);
    expect(Math.round(actualTotal)).toBe(1882);
    // Predicted means are means of E[Y(39) | x, t_x, T] over each group.
    for (const g of groups) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < s.x.length; i++) {
        if (s.x[i] < g.minX || s.x[i] > g.maxX) continue;
        sum += bgnbdConditionalExpected(fit, 39, s.x[i], s.tx[i], s.T[i]);
        n++;
      }
      expect(g.predicted).toBeCloseTo(sum / n, 10);
    }
    // The model tracks the holdout as in the paper's figure (it under-predicts x = 1 and 2 a little).
    expect(groups[0].actual).toBeCloseTo(0.237, 3);
    expect(groups[0].predicted).toBeCloseTo(0.225, 3);
    for (const g of groups) expect(Math.abs(g.predicted - g.actual)).toBeLessThan(0.4);
  });

  it('agrees with the truth on customers simulated from known parameters', () => {
    const truth: BgNbdParams = { r: 0.4, alpha: 6, a: 0.8, b: 2.5 };
    const rng = new Random(11);
    const n = 100_000;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    const future = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = simulateBgNbd(rng, truth, 30 + 9 * rng.uniform(), 39);
      x[i] = c.x;
      tx[i] = c.tx;
      T[i] = c.T;
      future[i] = c.future;
    }
    const groups = calibrationHoldout(truth, { x, tx, T }, future, 39, 5);
    expect(groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5+']);
    // Each group's actual minus predicted mean is 0 up to sampling error, estimated from the
    // per-customer differences.
    const { expected } = bgnbdPredict(truth, { x, tx, T }, 39);
    for (const g of groups) {
      let k = 0;
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        if (x[i] < g.minX || x[i] > g.maxX) continue;
        const dev = future[i] - expected[i];
        k++;
        sum += dev;
        sumSq += dev * dev;
      }
      const se = Math.sqrt((sumSq / k - (sum / k) ** 2) / k);
      expect(k).toBe(g.customers);
      expect(Math.abs(g.actual - g.predicted), g.label).toBeLessThan(4 * se);
    }
  });

  it('keeps empty groups, and refuses mismatched holdout counts', () => {
    const data = { x: Float64Array.of(0, 1), tx: Float64Array.of(0, 3), T: Float64Array.of(10, 10) };
    const groups = calibrationHoldout({ r: 1, alpha: 1, a: 1.5, b: 2 }, data, Float64Array.of(0, 2), 10, 3);
    expect(groups.map((g) => g.customers)).toEqual([1, 1, 0, 0]);
    expect(groups[2].actual).toBeNaN();
    expect(() => calibrationHoldout({ r: 1, alpha: 1, a: 1.5, b: 2 }, data, Float64Array.of(0), 10)).toThrow(/holdout counts/);
  });
});

describe('expectedCumulativeRepeat', () => {
  it('sums E[X(t - first purchase)] over the customers who have arrived by t', () => {
    const m: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const first = Float64Array.of(0, 0, 3.5, 10);
    const curve = expectedCumulativeRepeat(m, first, [0, 5, 20]);
    expect(curve[0]).toBe(0);
    expect(curve[1]).toBeCloseTo(2 * bgnbdExpected(m, 5) + bgnbdExpected(m, 1.5), 12);
    expect(curve[2]).toBeCloseTo(2 * bgnbdExpected(m, 20) + bgnbdExpected(m, 16.5) + bgnbdExpected(m, 10), 12);
  });
});
