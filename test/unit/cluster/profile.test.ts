import { describe, expect, test } from 'vitest';
import { clusterNames, clusterProfiles, featureWord } from '../../../workers/cluster/profile';

describe('clusterProfiles', () => {
  test('means in original units and standardised means, by hand', () => {
    // Two features; rows (original | transformed): cluster 0 = rows 0, 1; cluster 1 = rows 2, 3.
    const original = new Float64Array([10, 1, 20, 3, 100, 5, 300, 7]);
    const features = new Float64Array([-1, -1, -1, -1, 1, 1, 1, 1]);
    const p = clusterProfiles(original, features, 4, 2, new Int32Array([0, 0, 1, 1]), 2);
    expect(p.sizes).toEqual([2, 2]);
    expect(p.shares).toEqual([0.5, 0.5]);
    expect(p.means).toEqual([[15, 2], [200, 6]]);
    expect(p.overallMeans).toEqual([107.5, 4]);
    // transformed: mean 0, population sd 1 -> standardised means -1 and 1
    expect(p.stdMeans).toEqual([[-1, -1], [1, 1]]);
  });
});

describe('cluster names', () => {
  const names = ['recency_days', 'frequency', 'monetary'];

  test('an obvious RFM profile', () => {
    const std = [
      [-1.2, 1.5, 2.0],
      [1.8, -0.9, -0.7],
      [0.1, 0.2, -0.1],
      [0.05, 0.9, 0.3],
    ];
    expect(clusterNames(std, names)).toEqual([
      'high spend, frequent, recent',
      'lapsed, infrequent, low spend',
      'average',
      'frequent',
    ]);
  });

  test('direction words by feature name', () => {
    expect(featureWord('days_since_last_order', 'low')).toBe('recent');
    expect(featureWord('recency', 'high')).toBe('lapsed');
    expect(featureWord('avg_order_value', 'high')).toBe('high spend');
    expect(featureWord('total_orders', 'high')).toBe('frequent');
    expect(featureWord('order_count', 'low')).toBe('infrequent');
    expect(featureWord('tenure_days', 'low')).toBe('new');
    expect(featureWord('discount_rate', 'high')).toBe('high discount rate');
  });

  test('clashing names are told apart by the next feature, then by a number', () => {
    const std = [
      [0.1, 0.2, 2.0],
      [-0.1, -0.3, 2.1],
      [0, 0, 0],
      [0, 0, 0],
    ];
    expect(clusterNames(std, names)).toEqual([
      'high spend, frequent',
      'high spend, infrequent',
      'average (1)',
      'average (2)',
    ]);
  });
});
