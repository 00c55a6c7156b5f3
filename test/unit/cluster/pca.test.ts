import { describe, expect, test } from 'vitest';
import { pca, symmetricEigen } from '../../../workers/cluster/pca';
import { mulberry32 } from './reference';

describe('pca', () => {
  test('points on a line: the first component explains everything', () => {
    // y = 2x: direction (1, 2)/√5, all variance on it.
    const xs = [-2, -1, 0, 1, 2, 5];
    const r = pca(new Float64Array(xs.flatMap((x) => [x, 2 * x + 3])), xs.length, 2);
    expect(r.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    expect(r.explainedVarianceRatio[1]).toBeCloseTo(0, 12);
    expect(r.components[0][0]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(r.components[0][1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    const meanX = 5 / 6;
    xs.forEach((x, i) => {
      expect(r.coords[i * 2]).toBeCloseTo((x - meanX) * Math.sqrt(5), 12);
      expect(r.coords[i * 2 + 1]).toBeCloseTo(0, 12);
    });
  });

  test('a 2-D example worked by hand', () => {
    // Points (2,2), (-2,-2), (1,-1), (-1,1): mean 0; covariance (n - 1 = 3) [[10/3, 2], [2, 10/3]];
    // eigenvalues 16/3 and 4/3 (ratios 0.8, 0.2) along (1,1)/√2 and (1,-1)/√2.
    const r = pca(new Float64Array([2, 2, -2, -2, 1, -1, -1, 1]), 4, 2);
    expect(r.explainedVariance[0]).toBeCloseTo(16 / 3, 12);
    expect(r.explainedVariance[1]).toBeCloseTo(4 / 3, 12);
    expect(r.explainedVarianceRatio[0]).toBeCloseTo(0.8, 12);
    expect(r.explainedVarianceRatio[1]).toBeCloseTo(0.2, 12);
    const h = Math.SQRT1_2;
    expect(Array.from(r.components[0])).toEqual([expect.closeTo(h, 12), expect.closeTo(h, 12)]);
    expect(Array.from(r.components[1])).toEqual([expect.closeTo(h, 12), expect.closeTo(-h, 12)]);
    const expected = [2 * Math.SQRT2, 0, -2 * Math.SQRT2, 0, 0, Math.SQRT2, 0, -Math.SQRT2];
    expected.forEach((v, i) => expect(r.coords[i]).toBeCloseTo(v, 12));
  });

  test('the eigen-decomposition reproduces a random symmetric matrix', () => {
    const rand = mulberry32(4);
    const d = 6;
    const m = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) m[a * d + b] = m[b * d + a] = rand() * 2 - 1;
    const { values, vectors } = symmetricEigen(m, d);
    for (let c = 0; c < d; c++) {
      for (let a = 0; a < d; a++) {
        let av = 0;
        for (let b = 0; b < d; b++) av += m[a * d + b] * vectors[b * d + c];
        expect(av).toBeCloseTo(values[c] * vectors[a * d + c], 10);
      }
    }
  });

  test('one feature, and data without variance', () => {
    const one = pca(new Float64Array([1, 2, 3]), 3, 1);
    expect(one.components.length).toBe(1);
    expect(one.explainedVarianceRatio).toEqual([1]);
    expect(Array.from(one.coords)).toEqual([-1, 0, 0, 0, 1, 0]);
    const flat = pca(new Float64Array([4, 4, 4, 4]), 2, 2);
    expect(flat.explainedVarianceRatio).toEqual([0, 0]);
  });
});
