import { describe, expect, test } from 'vitest';
import { kneedle, suggestK, sweep } from '../../../workers/cluster/sweep';
import { mixture } from './reference';

describe('sweep', () => {
  test('four separated blobs: silhouette and elbow both point at k = 4', () => {
    const { data, n, d } = mixture([[0, 0], [10, 0], [0, 10], [10, 10]], 150, 1, 8);
    const r = sweep(data, n, d, { kMin: 2, kMax: 7, seed: 1 });
    expect(r.points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.suggestedK).toBe(4);
    expect(r.elbowK).toBe(4);
    expect(r.silhouetteSampleSize).toBe(600);
    for (const p of r.points) expect(p.silhouette).toBeGreaterThan(0);
  });

  test('the silhouette sample size is capped and stated', () => {
    const { data, n, d } = mixture([[0, 0], [10, 0]], 300, 1, 8);
    const r = sweep(data, n, d, { kMin: 2, kMax: 3, seed: 1, silhouetteSample: 100 });
    expect(r.silhouetteSampleSize).toBe(100);
  });

  test('can be cancelled', () => {
    const { data, n, d } = mixture([[0, 0], [10, 0]], 50, 1, 8);
    expect(() => sweep(data, n, d, { seed: 1, kMax: 4, onProgress: (k) => k < 3 })).toThrow(
      expect.objectContaining({ name: 'CancelledError' }),
    );
  });

  test('an impossible range is refused', () => {
    expect(() => sweep(new Float64Array(4), 4, 1, { kMin: 1, seed: 1 })).toThrow(/range of k/);
  });
});

describe('suggestK', () => {
  test('highest silhouette; a smaller k within the tolerance wins', () => {
    const points = [
      { k: 2, silhouette: 0.5 },
      { k: 3, silhouette: 0.505 },
      { k: 4, silhouette: 0.7 },
      { k: 5, silhouette: 0.695 },
    ];
    expect(suggestK(points)).toBe(4);
    expect(suggestK([{ k: 3, silhouette: 0.605 }, { k: 2, silhouette: 0.6 }])).toBe(2);
    expect(suggestK([{ k: 3, silhouette: 0.605 }, { k: 2, silhouette: 0.6 }], 0)).toBe(3);
  });
});

describe('kneedle', () => {
  test('a curve worked by hand', () => {
    // k 2..7, inertia 100 50 30 25 22 20: scaled x 0 .2 .4 .6 .8 1, y 1 .375 .125 .0625 .025 0;
    // 1 - x - y = 0 .425 .475 .3375 .175 0 -> k = 4.
    expect(kneedle([2, 3, 4, 5, 6, 7], [100, 50, 30, 25, 22, 20])).toBe(4);
    expect(kneedle([2, 3, 4], [3, 2, 1])).toBeNull();
    expect(kneedle([2, 3], [3, 1])).toBeNull();
  });
});
