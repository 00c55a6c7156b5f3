import { describe, expect, test } from 'vitest';
import { kernelBytes } from '../../../workers/cluster/simd/kernels';
import { KMeansSpace } from '../../../workers/cluster/simd/kmeans-space';
import { mulberry32, nearest } from './reference';

/** Rows with values on a coarse grid, so that ties between centres happen. */
function gridRows(n: number, d: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n * d }, () => Math.floor(rand() * 9) - 4);
}

/** Squared distance summed left to right, as the kernels promise. */
function sq(data: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (data[i * d + t] - c[j * d + t]) ** 2;
  return s;
}

/** Scalar assignment (the reference's), with the cluster sums and counts in row order. */
function scalarAssign(data: Float64Array, n: number, d: number, centres: Float64Array, k: number) {
  const { next: labels, inertia } = nearest(data, n, d, centres.subarray(0, k * d));
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let t = 0; t < d; t++) sums[labels[i] * d + t] += data[i * d + t];
  }
  return { labels, sums, counts, inertia };
}

describe('k-means SIMD kernels', () => {
  test('the generated module is valid WebAssembly for 1 to 24 features', () => {
    for (let d = 1; d <= 24; d++) expect(WebAssembly.validate(kernelBytes(d))).toBe(true);
  });

  test('assign matches a scalar loop bit for bit: odd row counts, several chunks, ties', () => {
    // 131,075 rows cross two chunk boundaries (65,536 rows each) and leave an odd row at the end.
    for (const [n, d, k] of [[1, 1, 1], [7, 2, 3], [131_075, 3, 8], [1001, 5, 12]]) {
      const data = gridRows(n, d, n + d);
      const centres = gridRows(k, d, 99 + k).map((v, q) => (q < d ? v : v + 0.5 * (q % 2)));
      const space = new KMeansSpace(data, n, d, k, 1);
      const got = space.assign(centres, k);
      const want = scalarAssign(data, n, d, centres, k);
      expect(space.labels).toEqual(want.labels);
      expect(got.inertia).toBe(want.inertia);
      expect(space.sums.subarray(0, k * d)).toEqual(want.sums);
      expect(space.counts.subarray(0, k)).toEqual(want.counts);
      expect(got.changed).toBe(n); // every label was -1
      expect(space.assign(centres, k).changed).toBe(0);
    }
  });

  test('an exact tie goes to the lower centre index', () => {
    const data = new Float64Array([0, 0, 2, 0, 1, 0]);
    const space = new KMeansSpace(data, 3, 2, 2, 1);
    space.assign(new Float64Array([2, 0, 0, 0]), 2);
    expect(Array.from(space.labels)).toEqual([1, 0, 0]); // (1, 0) is 1 from both centres
  });

  test('fold keeps the nearest squared distance; potentials sum min(closest, distance²)', () => {
    const n = 70_001;
    const d = 4;
    const data = gridRows(n, d, 5);
    const space = new KMeansSpace(data, n, d, 2, 3);
    const a = data.slice(0, d);
    const b = data.slice(10 * d, 11 * d);
    space.resetClosest();
    space.fold(a);
    space.fold(b);
    const closest = Float64Array.from({ length: n }, (_, i) => Math.min(sq(data, i, a, 0, d), sq(data, i, b, 0, d)));
    expect(space.closest).toEqual(closest);
    const cands = gridRows(3, d, 77);
    const pots = space.potentials(cands, 3);
    for (let t = 0; t < 3; t++) {
      let want = 0;
      for (let i = 0; i < n; i++) want += Math.min(closest[i], sq(data, i, cands, t, d));
      // Summed in two interleaved lanes, so equal up to rounding; the grid values make it exact here.
      expect(pots[t]).toBe(want);
    }
  });

  test('data too large for a WebAssembly memory is refused with a message', () => {
    expect(() => new KMeansSpace(new Float64Array(0), 200_000_000, 3, 8, 4)).toThrow(
      /200,000,000 rows × 3 features need \d+ MB for clustering, more than a browser allows \(4 GB\)/,
    );
  });
});
