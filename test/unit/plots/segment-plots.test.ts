/**
 * The segmentation chart builders (issue 5): each chart's options rendered through Plot.plot on a
 * minimal DOM, counting the shapes and reading the words drawn.
 */
import { describe, expect, test } from 'vitest';
import type { PlotOptions } from '@observablehq/plot';
import {
  attributePairs,
  channelMixOptions,
  compareHeatOptions,
  crossTabOptions,
  crossTabValue,
  formatMeasure,
  labelWidth,
  sharePairOptions,
  type SegmentPlotText,
} from '../../../src/lib/plots/segment-plots';
import { comparePivot, type AttributeRow, type CompareRow, type MixRow } from '../../../src/lib/segment/segment-results';
import { countTags, renderPlot, type FakeNode } from '../helpers/fake-dom';

const TEXT: SegmentPlotText = {
  shareCustomers: '← % of customers',
  shareRevenue: '% of revenue →',
  customers: 'Customers',
  revenue: 'Revenue',
  avgOrderValue: 'AOV',
  customersN: (n) => `${n} customers`,
  measures: { customers: 'Customers', share_in_band_1: 'Share in row', revenue: 'Revenue', avg_order_value: 'AOV' },
  inSegment: 'segment',
  overall: 'all orders',
  index: (v) => `index ${v}`,
  average: (a) => `${a}: average`,
};
const SIZE = { width: 640 };

function texts(node: FakeNode): string[] {
  return node.querySelectorAll('text').map((t) => t.textContent);
}

/** The chart's own svg (a figure may hold a legend's svg first). */
function svgOf(o: PlotOptions): FakeNode {
  const root = renderPlot(o);
  if (root.tagName === 'svg') return root;
  const svgs = root.querySelectorAll('svg');
  return svgs[svgs.length - 1];
}

const attr = (p: Partial<AttributeRow>): AttributeRow => ({
  band_1: '', band_1_order: 1, customers: 0, share_customers: null, revenue: null, share_revenue: null, revenue_per_customer: null, avg_order_value: null, ...p,
});

describe('shares of customers and revenue per group', () => {
  const rows = [
    attr({ band_1: 'Tier 1', band_1_order: 1, customers: 30, share_customers: 0.3, revenue: 6000, share_revenue: 0.6, avg_order_value: 80 }),
    attr({ band_1: '高价值 "VIP"', band_1_order: 2, customers: 50, share_customers: 0.5, revenue: 3000, share_revenue: 0.3 }),
    attr({ band_1: 'Other', band_1_order: 3, customers: 20, share_customers: 0.2, revenue: 1000, share_revenue: 0.1 }),
    attr({ band_1: 'Other', band_1_order: 4, customers: 0, share_customers: 0, revenue: 0, share_revenue: 0 }),
  ];

  test('two bars per group in band order, percentages written, repeated labels kept apart', () => {
    const o = sharePairOptions(attributePairs(rows), TEXT, SIZE);
    expect((o.y as { domain: number[] }).domain).toEqual([0, 1, 2, 3]);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBe(8);
    const words = texts(svg);
    for (const w of ['30%', '60%', '50%', '10%', 'Tier 1', '高价值 "VIP"', '← % of customers', '% of revenue →']) expect(words).toContain(w);
    expect(words.filter((w) => w === 'Other')).toHaveLength(2);
  });

  test('without a revenue column, customers only', () => {
    const o = sharePairOptions(rows.map((r) => ({ label: r.band_1, customers: r.customers, shareCustomers: r.share_customers, revenue: null, shareRevenue: null })), TEXT, SIZE);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBe(4);
    expect(texts(svg)).not.toContain('% of revenue →');
  });
});

describe('the cross-tab heat map', () => {
  // 2 x 3 pairs; one empty pair.
  const cells: AttributeRow[] = [];
  const tiers = ['Tier 1', 'Tier 2'];
  const incomes = ['<5k', '5k-10k', '50k+'];
  let n = 0;
  tiers.forEach((tier, i) =>
    incomes.forEach((inc, j) => {
      const customers = i === 1 && j === 2 ? 0 : ++n * 10;
      cells.push(attr({ band_1: tier, band_1_order: i + 1, band_2: inc, band_2_order: j + 1, customers, share_in_band_1: customers / 100, revenue: customers * 10, avg_order_value: customers ? 25.5 : null }));
    }),
  );

  test('a cell per pair in band order, labelled with the measure; the empty pair outlined with 0', () => {
    const o = crossTabOptions(cells, 'customers', { x: 'income_band', y: 'city_tier' }, TEXT, SIZE);
    expect((o.x as { domain: number[] }).domain).toEqual([1, 2, 3]);
    expect((o.y as { domain: number[] }).domain).toEqual([1, 2]);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBeGreaterThanOrEqual(6);
    const words = texts(svg);
    for (const w of ['10', '20', '30', '40', '50', '0', 'Tier 1', 'Tier 2', '<5k', '5k-10k', '50k+']) expect(words).toContain(w);
  });

  test('other measures: share within the row as a percentage, the average order value rounded', () => {
    expect(texts(svgOf(crossTabOptions(cells, 'share_in_band_1', { x: 'b', y: 'a' }, TEXT, SIZE)))).toContain('10%');
    expect(crossTabValue(cells[0], 'avg_order_value')).toBe(25.5);
    expect(crossTabValue(cells[5], 'avg_order_value')).toBeNull();
    expect(formatMeasure(25.5, 'avg_order_value')).toBe('25.5');
    expect(formatMeasure(null, 'revenue')).toBe('–');
  });

  test('long column labels are turned so they do not overlap', () => {
    const long = cells.map((c) => ({ ...c, band_2: `${c.band_2} with a very long label` }));
    const o = crossTabOptions(long, 'customers', { x: 'b', y: 'a' }, TEXT, { width: 320 });
    expect((o.x as { tickRotate?: number }).tickRotate).toBe(-35);
    expect(labelWidth('中文')).toBe(labelWidth('abcd'));
  });
});

describe('channel mix', () => {
  test('a bar per channel (segment share) and a tick (all orders)', () => {
    const mix: MixRow[] = [
      { channel: 'app', segment_orders: 60, share_in_segment: 0.6, overall_orders: 400, share_overall: 0.4, index: 1.5, segment_revenue: 100 },
      { channel: 'store', segment_orders: 40, share_in_segment: 0.4, overall_orders: 600, share_overall: 0.6, index: 0.667, segment_revenue: 80 },
    ];
    const svg = svgOf(channelMixOptions(mix, TEXT, SIZE));
    expect(countTags(svg, 'rect')).toBe(2);
    expect(countTags(svg, 'line')).toBeGreaterThanOrEqual(2);
    const words = texts(svg);
    for (const w of ['app', 'store', '60%', '40%']) expect(words).toContain(w);
  });
});

describe('segments compared', () => {
  const rows: CompareRow[] = [];
  const add = (value: string, shares: [number, number, number]) =>
    ['All customers', 'VIP', "O'Brien's"].forEach((segment, i) =>
      rows.push({ attribute: 'lifestyle', kind: 'category', value, segment, segment_order: i, customers: 10, share: shares[i], mean: null, index: shares[i] / shares[0] }),
    );
  add('Outdoor', [0.2, 0.6, 0.1]);
  add('Homebody', [0.8, 0.4, 0.9]);

  test('a cell per value and segment, strongest first, shares written; all customers in grey', () => {
    const pivot = comparePivot(rows);
    expect(pivot.map((p) => p.value)).toEqual(['Outdoor', 'Homebody']);
    const o = compareHeatOptions(pivot, ['All customers', 'VIP', "O'Brien's"], TEXT, SIZE);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBe(6);
    const words = texts(svg);
    for (const w of ['20%', '60%', '10%', '80%', 'lifestyle: Outdoor', 'VIP', "O'Brien's", 'All customers']) expect(words).toContain(w);
    // The baseline column is one mark with a constant grey fill (set on its group).
    const grey = svg.querySelectorAll('g').filter((g) => g.getAttribute('fill') === '#f3f5f8');
    expect(grey).toHaveLength(1);
    expect(countTags(grey[0], 'rect')).toBe(2);
  });
});

describe('issue 14: colour legends keep their end labels', () => {
  test('the first tick label of the cross-tab legend ("0%") fits inside the legend, not clipped to "%"', () => {
    const cells = [attr({ band_1: 'a', band_1_order: 1, band_2: 'x', band_2_order: 1, customers: 5, share_in_band_1: 0.25 }), attr({ band_1: 'a', band_1_order: 1, band_2: 'y', band_2_order: 2, customers: 15, share_in_band_1: 0.75 })];
    const root = renderPlot(crossTabOptions(cells, 'share_in_band_1', { x: 'b', y: 'a' }, TEXT, SIZE));
    const legend = root.querySelectorAll('svg')[0];
    const ticks = legend
      .querySelectorAll('g')
      .filter((g) => g.querySelectorAll('text').length === 1) // one tick each (the axis group holds them all)
      .map((g) => ({ m: /translate\(([-\d.]+)/.exec(g.getAttribute('transform') ?? ''), text: g.querySelectorAll('text')[0]?.textContent }))
      .filter((x) => x.m && x.text);
    expect(ticks[0].text).toBe('0%');
    // Centred on its tick: half its width (about 6.5 px a character) must fit left of the tick.
    expect(Number(ticks[0].m![1])).toBeGreaterThanOrEqual((ticks[0].text!.length * 6.5) / 2);
  });
});
