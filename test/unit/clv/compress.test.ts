/**
 * Compression of identical rows.
 */
import { describe, expect, it } from 'vitest';
import { uniqueRows, uniqueRowsUpTo } from '../../../workers/clv/compress';

describe('uniqueRows', () => {
  it('keeps distinct rows in order of first occurrence, with counts and an index', () => {
    const a = Float64Array.of(1, 2, 1, 3, 2, 1);
    const b = Float64Array.of(5, 5, 5, 5, 6, 5);
    const u = uniqueRows([a, b]);
    expect(Array.from(u.columns[0])).toEqual([1, 2, 3, 2]);
    expect(Array.from(u.columns[1])).toEqual([5, 5, 5, 6]);
    expect(Array.from(u.weight)).toEqual([3, 1, 1, 1]);
    expect(Array.from(u.index)).toEqual([0, 1, 0, 2, 3, 0]);
  });

  it('sums weights, and survives growing its table many times', () => {
    const n = 100_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i % 5000;
      b[i] = (i % 7) / 7;
      w[i] = 0.5;
    }
    const u = uniqueRows([a, b], w);
    expect(u.weight.length).toBe(35_000); // lcm(5000, 7) distinct pairs
    expect(u.weight.reduce((s, v) => s + v, 0)).toBe(n / 2);
    for (let i = 0; i < n; i += 997) {
      expect(u.columns[0][u.index[i]]).toBe(a[i]);
      expect(u.columns[1][u.index[i]]).toBe(b[i]);
    }
  });

  it('works on subarrays and on empty input', () => {
    const big = Float64Array.of(9, 1, 1, 2);
    const u = uniqueRows([big.subarray(1)]);
    expect(Array.from(u.columns[0])).toEqual([1, 2]);
    expect(uniqueRows([new Float64Array(0)]).weight.length).toBe(0);
  });

  it('gives up when there are more distinct rows than allowed', () => {
    const a = Float64Array.of(1, 2, 1, 3);
    expect(uniqueRowsUpTo([a], 2)).toBeNull();
    expect(uniqueRowsUpTo([a], 3)?.weight).toEqual(Float64Array.of(2, 1, 1));
  });
});
