import { describe, expect, test } from 'vitest';
import { createRng, sampleIndices } from '../../../workers/cluster/rng';
import { silhouette } from '../../../workers/cluster/silhouette';
import { mixture } from './reference';

/** Silhouette straight from its definition, for every row (independent of the module). */
function bruteForce(points: number[][], labels: number[]): number {
  const dist = (p: number[], q: number[]): number => Math.hypot(...p.map((v, j) => v - q[j]));
  const clusters = [...new Set(labels)];
  const values = points.map((p, i) => {
    const mean = (c: number, skipSelf: boolean): number => {
      const others = points.filter((_, j) => labels[j] === c && !(skipSelf && j === i));
      return others.reduce((s, q) => s + dist(p, q), 0) / others.length;
    };
    if (labels.filter((l) => l === labels[i]).length === 1) return 0;
    const a = mean(labels[i], true);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map((c) => mean(c, false)));
    return (b - a) / Math.max(a, b);
  });
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe('silhouette', () => {
  test('a four-point example worked by hand', () => {
    // 1-D points 0, 1, 10, 11 in two clusters. For 0: a = 1, b = (10 + 11) / 2 = 10.5;
    // for 1: a = 1, b = 9.5; symmetric for 10 and 11. Mean = (9.5/10.5 + 8.5/9.5) / 2.
    const r = silhouette(new Float64Array([0, 1, 10, 11]), 4, 1, new Int32Array([0, 0, 1, 1]), 2);
    expect(r.score).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 14);
    expect(r.sampleSize).toBe(4);
    expect(r.perCluster[0]).toBeCloseTo(r.score, 14);
  });

  test('matches the definition on a small 2-D dataset with three clusters and a singleton', () => {
    const points = [[0, 0], [1, 0.5], [0.2, 1.1], [5, 5], [6, 5.5], [5.5, 4], [9, 0]];
    const labels = [0, 0, 0, 1, 1, 1, 2];
    const r = silhouette(new Float64Array(points.flat()), 7, 2, new Int32Array(labels), 3);
    expect(r.score).toBeCloseTo(bruteForce(points, labels), 12);
    expect(r.perCluster[2]).toBe(0);
  });

  test('on a sample: the stated number of rows, the same rows for the same seed', () => {
    const { data, n, d, truth } = mixture([[0, 0], [4, 0], [0, 4]], 400, 1, 3);
    const r = silhouette(data, n, d, truth, 3, { sampleSize: 150, seed: 9 });
    expect(r.sampleSize).toBe(150);
    const rows = Array.from(sampleIndices(n, 150, createRng(9)));
    const expected = bruteForce(rows.map((i) => [data[i * 2], data[i * 2 + 1]]), rows.map((i) => truth[i]));
    expect(r.score).toBeCloseTo(expected, 12);
    expect(silhouette(data, n, d, truth, 3, { sampleSize: 150, seed: 9 }).score).toBe(r.score);
  });

  test('needs two clusters', () => {
    expect(() => silhouette(new Float64Array([0, 1, 2]), 3, 1, new Int32Array([0, 0, 0]), 1)).toThrow(/at least 2 clusters/);
  });
});
