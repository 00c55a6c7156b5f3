import { describe, expect, test } from 'vitest';
import { fitTree, formatNumber, niceBetween, predictTree, treeRules } from '../../../workers/cluster/tree';
import { mulberry32 } from './reference';

/** Rows with x0, x1, x2 uniform on [0, 100) and cluster = x0 ≤ 50 ? 0 : x1 ≤ 20 ? 1 : 2. */
function axisData(n: number, seed: number): { data: Float64Array; labels: Int32Array } {
  const rand = mulberry32(seed);
  const data = new Float64Array(n * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) data[i * 3 + j] = rand() * 100;
    labels[i] = data[i * 3] <= 50 ? 0 : data[i * 3 + 1] <= 20 ? 1 : 2;
  }
  return { data, labels };
}

describe('fitTree', () => {
  test('recovers an axis-aligned rule exactly, with readable thresholds', () => {
    const { data, labels } = axisData(5000, 1);
    const tree = fitTree(data, 5000, 3, labels, 3);
    expect(tree.accuracy).toBe(1);
    expect(predictTree(tree, data, 5000, 3)).toEqual(labels);
    const rules = treeRules(tree, ['x0', 'x1', 'x2']);
    expect(rules.map((r) => [r.cluster, r.text, r.accuracy])).toEqual([
      [0, 'x0 ≤ 50', 1],
      [1, 'x0 > 50 and x1 ≤ 20', 1],
      [2, 'x0 > 50 and x1 > 20', 1],
    ]);
    const counts = [0, 1, 2].map((c) => labels.filter((l) => l === c).length);
    expect(rules.map((r) => r.count)).toEqual(counts);
    expect(rules.map((r) => r.coverage)).toEqual(counts.map((c) => c / 5000));
  });

  test('on a sample of a larger table the rule still holds for every row', () => {
    const n = 200_000;
    const { data, labels } = axisData(n, 2);
    const tree = fitTree(data, n, 3, labels, 3, { maxSamples: 20_000 });
    expect(tree.fitRows).toBe(20_000);
    expect(tree.n).toBe(n);
    expect(tree.accuracy).toBe(1);
  });

  test('merges ranges on one feature into one condition', () => {
    const rand = mulberry32(3);
    const n = 3000;
    const data = new Float64Array(n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      data[i] = rand() * 30;
      labels[i] = data[i] > 10 && data[i] <= 20 ? 1 : 0;
    }
    const rules = treeRules(fitTree(data, n, 1, labels, 2, { maxDepth: 2 }), ['spend']);
    expect(rules.find((r) => r.cluster === 1)!.text).toBe('10 < spend ≤ 20');
  });

  test('respects the depth limit; an imperfect leaf reports its accuracy', () => {
    const { data, labels } = axisData(2000, 4);
    const tree = fitTree(data, 2000, 3, labels, 3, { maxDepth: 1 });
    const rules = treeRules(tree, ['x0', 'x1', 'x2']);
    expect(rules.length).toBe(2);
    const right = rules.find((r) => r.text === 'x0 > 50')!;
    expect(right.cluster).toBe(2);
    expect(right.accuracy).toBeCloseTo(right.count ? labels.filter((l) => l === 2).length / right.count : 0, 12);
    expect(() => fitTree(data, 2000, 3, labels, 3, { maxDepth: 0 })).toThrow(/depth/);
  });

  test('a single cluster gives one rule covering all rows', () => {
    const rules = treeRules(fitTree(new Float64Array([1, 2, 3]), 3, 1, new Int32Array(3), 1), ['x']);
    expect(rules).toEqual([{ cluster: 0, conditions: [], text: 'all rows', count: 3, coverage: 1, accuracy: 1 }]);
  });
});

describe('thresholds for display', () => {
  test('the roundest number between the two sides', () => {
    expect(niceBetween(3, 4)).toBe(3);
    expect(niceBetween(49.93, 50.04)).toBe(50);
    expect(niceBetween(-0.5, 0.7)).toBe(0);
    expect(niceBetween(0.3, 0.31)).toBe(0.3);
    expect(niceBetween(1234.49, 1234.6)).toBe(1234.5);
    expect(niceBetween(0.000123, 0.000124)).toBe(0.000123);
  });

  test('formatted with grouping and without float noise', () => {
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1e-7)).toBe('0.0000001');
  });
});
