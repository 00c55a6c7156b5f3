import { describe, expect, test } from 'vitest';
import {
  applyScale,
  fitScale,
  handleMissing,
  log1pColumn,
  prepareFeatures,
  skewness,
  suggestLog,
  toRowMajor,
} from '../../../workers/cluster/preprocess';
import { median, quantiles } from '../../../workers/cluster/stats';
import { mulberry32 } from './reference';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('skewness and the log suggestion', () => {
  test('skewness by hand: [1, 2, 3, 4, 10]', () => {
    // mean 4; deviations -3 -2 -1 0 6; m2 = 50/5 = 10; m3 = 180/5 = 36; g1 = 36 / 10^1.5
    expect(skewness(f64([1, 2, 3, 4, 10]))).toBeCloseTo(36 / Math.pow(10, 1.5), 12);
    expect(skewness(f64([1, 2, 3, 4, 5]))).toBeCloseTo(0, 12);
    expect(skewness(f64([7, 7, 7]))).toBe(0);
    expect(skewness(f64([1, NaN, 2, 3, 4, 10, NaN]))).toBeCloseTo(skewness(f64([1, 2, 3, 4, 10])), 12);
  });

  test('log is suggested for a heavily right-skewed, non-negative feature only', () => {
    const rand = mulberry32(3);
    const lognormal = f64(Array.from({ length: 5000 }, () => Math.exp(2 * (rand() + rand() + rand() - 1.5))));
    const uniform = f64(Array.from({ length: 5000 }, () => rand() * 100));
    expect(suggestLog(lognormal)).toBe(true);
    expect(suggestLog(uniform)).toBe(false);
    expect(suggestLog(f64([...lognormal, -1]))).toBe(false);
  });

  test('log1p, and a clear error on negative values', () => {
    expect(Array.from(log1pColumn(f64([0, Math.E - 1])))).toEqual([0, 1]);
    expect(() => log1pColumn(f64([1, -2]), 'monetary')).toThrow('Cannot log-transform monetary: it has negative values (for example -2).');
  });
});

describe('standardisation', () => {
  test('z-score: mean and population standard deviation', () => {
    const p = fitScale(f64([1, 2, 3, 4]), 'zscore');
    expect(p).toEqual({ method: 'zscore', center: 2.5, scale: Math.sqrt(1.25), constant: false });
    const z = applyScale(f64([1, 2, 3, 4]), p);
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(z[3]).toBeCloseTo(1.5 / Math.sqrt(1.25), 12);
  });

  test('robust: median and interquartile range (numpy linear quantiles)', () => {
    // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) = [2, 3, 4]
    const p = fitScale(f64([100, 1, 2, 3, 4]), 'robust');
    expect(p.center).toBe(3);
    expect(p.scale).toBe(2);
    expect(Array.from(applyScale(f64([3, 5]), p))).toEqual([0, 1]);
  });

  test('robust scaling with an IQR of 0 falls back to the standard deviation', () => {
    const xs = f64([0, 0, 0, 0, 0, 0, 0, 8]);
    const p = fitScale(xs, 'robust');
    expect(p.center).toBe(0);
    expect(p.scale).toBeCloseTo(Math.sqrt(7), 12); // mean 1; population variance (7 + 49) / 8 = 7
  });

  test('a constant feature standardises to zeros and is flagged', () => {
    for (const method of ['zscore', 'robust'] as const) {
      const p = fitScale(f64([5, 5, 5]), method);
      expect(p.constant).toBe(true);
      expect(Array.from(applyScale(f64([5, 5, 5]), p))).toEqual([0, 0, 0]);
    }
    expect(fitScale(f64([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), 'zscore').constant).toBe(true);
  });
});

describe('missing values', () => {
  const cols = [f64([1, NaN, 3, 4]), f64([10, 20, Infinity, 40])];

  test('drop: rows with any missing value go, and are counted', () => {
    const m = handleMissing(cols, 'drop');
    expect(m.dropped).toBe(2);
    expect(Array.from(m.rows)).toEqual([0, 3]);
    expect(m.columns.map((c) => Array.from(c))).toEqual([[1, 4], [10, 40]]);
  });

  test('median: each missing value becomes its feature median, counted per feature', () => {
    const m = handleMissing(cols, 'median');
    expect(m.dropped).toBe(0);
    expect(m.imputed).toEqual([1, 1]);
    expect(m.medians).toEqual([3, 20]);
    expect(m.columns.map((c) => Array.from(c))).toEqual([[1, 3, 3, 4], [10, 20, 20, 40]]);
  });
});

describe('quantiles', () => {
  test('match sorting with linear interpolation', () => {
    const rand = mulberry32(9);
    for (const m of [1, 2, 7, 100, 1001]) {
      const xs = f64(Array.from({ length: m }, () => Math.floor(rand() * 20)));
      const sorted = Array.from(xs).sort((a, b) => a - b);
      const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
      const expected = ps.map((p) => {
        const h = (m - 1) * p;
        const lo = Math.floor(h);
        return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, m - 1)] ?? 0) - sorted[lo]);
      });
      const got = quantiles(xs, ps);
      got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
    }
    expect(median(f64([NaN]))).toBeNaN();
  });
});

describe('prepareFeatures', () => {
  test('drops missing rows, logs the skewed feature, standardises, keeps original units', () => {
    const rand = mulberry32(5);
    const n = 2000;
    const spend = f64(Array.from({ length: n }, (_, i) => (i === 3 ? NaN : Math.exp(3 + 1.5 * (rand() + rand() - 1)) * 10)));
    const days = f64(Array.from({ length: n }, () => Math.floor(rand() * 365)));
    const p = prepareFeatures([days, spend], {
      features: [{ name: 'recency_days' }, { name: 'monetary' }],
      scale: 'zscore',
      missing: 'drop',
    });
    expect(p.n).toBe(n - 1);
    expect(p.dropped).toBe(1);
    expect(p.transforms.map((t) => t.log)).toEqual([false, true]);
    expect(p.original[3 * 2 + 1]).toBe(spend[4]);
    expect(p.data[3 * 2 + 1]).toBeCloseTo((Math.log1p(spend[4]) - p.transforms[1].scale.center) / p.transforms[1].scale.scale, 12);
    const forced = prepareFeatures([days, spend], {
      features: [{ name: 'recency_days', log: true }, { name: 'monetary', log: false }],
      scale: 'robust',
      missing: 'median',
    });
    expect(forced.transforms.map((t) => t.log)).toEqual([true, false]);
    expect(forced.imputed).toEqual([0, 1]);
  });

  test('toRowMajor interleaves columns', () => {
    expect(Array.from(toRowMajor([f64([1, 2]), f64([3, 4])]))).toEqual([1, 3, 2, 4]);
  });

  test('no rows left is an error', () => {
    expect(() =>
      prepareFeatures([f64([NaN])], { features: [{ name: 'x' }], scale: 'zscore', missing: 'drop' }),
    ).toThrow(/No rows are left/);
  });
});
