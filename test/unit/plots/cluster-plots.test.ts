/** The cluster chart builders (issue 6): pure options from results, checked by their data and scales. */
import { describe, expect, test } from 'vitest';
import { clusterColor, heatmapOptions, mapOptions, mapRows, sweepOptions } from '../../../src/lib/plots/cluster-plots';

const marksOf = (o: { marks?: unknown[] }) => (o.marks ?? []).filter(Boolean) as { data?: unknown[] }[];

describe('cluster plots', () => {
  const points = [2, 3, 4].map((k) => ({ k, inertia: 100 / k, silhouette: k === 3 ? 0.8 : 0.5 }));
  test('the sweep marks the chosen k, and the suggestion when it differs', () => {
    const same = sweepOptions(points, 'silhouette', 'Silhouette', { k: 3, suggested: 3 }, { width: 400 });
    const other = sweepOptions(points, 'inertia', 'Inertia', { k: 4, suggested: 3 }, { width: 400 });
    expect(marksOf(same)).toHaveLength(3);
    expect(marksOf(other)).toHaveLength(4);
    expect(marksOf(other).at(-1)!.data).toEqual([{ k: 4, value: 25 }]);
  });
  test('the map labels points with their cluster and the axes with explained variance', () => {
    const map = { explained: [0.6234, 0.2], x: [1, 2], y: [3, 4], cluster: [2, 1] };
    expect(mapRows(map, ['a', 'b'])).toEqual([{ x: 1, y: 3, cluster: 2, name: '2. b' }, { x: 2, y: 4, cluster: 1, name: '1. a' }]);
    const o = mapOptions(map, ['a', 'b'], (axis, share) => `PC${axis} ${share}`, { width: 500 });
    expect((o.x as { label: string }).label).toBe('PC1 62.3%');
    expect((o.y as { label: string }).label).toBe('PC2 20%');
    expect((o.color as { range: string[] }).range).toEqual([clusterColor(1), clusterColor(2)]);
  });
  test('the heat map has a cell per cluster and feature with the original mean as its label', () => {
    const o = heatmapOptions([[1, -2], [0, NaN]], [[10, 1], [5, 3]], ['m', 'f'], ['high', 'low'], (v) => String(v), { width: 500 });
    const cells = marksOf(o)[0].data as { cluster: string; feature: string; z: number; label: string }[];
    expect(cells).toHaveLength(4);
    expect(cells[1]).toEqual({ cluster: '1. high', feature: 'f', z: -2, label: '1' });
    expect(cells[3].z).toBe(0);
    expect((o.color as { domain: number[] }).domain).toEqual([2, -2]);
  });
});
