/** Reshaping segmentation results for the page (issue 5): the cross-tab matrix and the pivoted comparison. */
import { describe, expect, test } from 'vitest';
import { compareSegments, comparePivot, crossTab, groupLabel, type AttributeRow, type CompareRow } from '../../../src/lib/segment/segment-results';

const row = (b1: string, o1: number, b2: string, o2: number, customers: number): AttributeRow => ({
  band_1: b1, band_1_order: o1, band_2: b2, band_2_order: o2, share_in_band_1: null, customers,
  share_customers: null, revenue: null, share_revenue: null, revenue_per_customer: null, avg_order_value: null,
});

describe('crossTab', () => {
  test('rows and columns in band order (whatever the row order), totals per row, column and overall', () => {
    // Labels repeat on purpose ('Other' as a value and as the folded group): positions tell them apart.
    const rows = [row('Tier 2', 2, 'Other', 2, 5), row('Tier 1', 1, '<5k', 1, 3), row('Tier 1', 1, 'Other', 2, 0), row('Tier 2', 2, '<5k', 1, 7)];
    const m = crossTab(rows);
    expect(m.rows).toEqual(['Tier 1', 'Tier 2']);
    expect(m.cols).toEqual(['<5k', 'Other']);
    expect(m.cells.map((r) => r.map((c) => c?.customers))).toEqual([[3, 0], [7, 5]]);
    expect(m.rowCustomers).toEqual([3, 12]);
    expect(m.colCustomers).toEqual([10, 5]);
    expect(m.total).toBe(15);
    expect(groupLabel(rows[1])).toBe('Tier 1 × <5k');
    expect(groupLabel({ band_1: '高价值 "VIP"' })).toBe('高价值 "VIP"');
  });
});

describe('comparePivot', () => {
  const cmp = (attribute: string, value: string | null, segment: string, order: number, share: number | null, index: number | null, kind: 'category' | 'numeric' = 'category'): CompareRow => ({
    attribute, kind, value, segment, segment_order: order, customers: share === null ? 0 : Math.round(share * 100), share, mean: kind === 'numeric' ? share : null, index,
  });
  test('one row per value with a cell per segment (all customers first), strongest difference first, ties in query order', () => {
    const rows = [
      cmp('city', 'Paris', 'All customers', 0, 0.5, 1), cmp('city', 'Paris', 'A', 1, 0.5, 1), cmp('city', 'Paris', 'B', 2, 0.6, 1.2),
      cmp('city', 'Lyon', 'All customers', 0, 0.5, 1), cmp('city', 'Lyon', 'A', 1, 0.25, 0.5), cmp('city', 'Lyon', 'B', 2, 0.4, 0.8),
      cmp('age', null, 'All customers', 0, 40, 1, 'numeric'), cmp('age', null, 'A', 1, 40, 1, 'numeric'), cmp('age', null, 'B', 2, null, null, 'numeric'),
      // A rare value: 1 % of segment A (under 2 %), five times as common — too few holders to rank first.
      cmp('city', 'Nice', 'All customers', 0, 0.002, 1), { ...cmp('city', 'Nice', 'A', 1, 0.01, 5), customers: 4 }, cmp('city', 'Nice', 'B', 2, 0, 0),
    ];
    expect(compareSegments(rows)).toEqual(['All customers', 'A', 'B']);
    const p = comparePivot(rows);
    expect(p.map((r) => [r.attribute, r.value])).toEqual([['city', 'Lyon'], ['city', 'Paris'], ['age', null], ['city', 'Nice']]);
    expect(p[0].strength).toBeCloseTo(Math.log(2), 12);
    expect(p[1].strength).toBeCloseTo(Math.log(1.2), 12);
    expect(p[2].strength).toBe(0);
    expect(p[3].strength).toBe(0);
    // With no minimum share it would lead.
    expect(comparePivot(rows, 0)[0].value).toBe('Nice');
    expect(p[0].cells.map((c) => [c.segment, c.share, c.index])).toEqual([['All customers', 0.5, 1], ['A', 0.25, 0.5], ['B', 0.4, 0.8]]);
  });
});
