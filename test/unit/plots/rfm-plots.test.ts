/**
 * The RFM chart builders: colours per segment, number formats, and each chart's options rendered
 * through Plot.plot on a minimal DOM, counting the shapes and reading the words drawn.
 */
import { describe, expect, test } from 'vitest';
import type { PlotOptions } from '@observablehq/plot';
import {
  DEFAULT_SEGMENT_COLORS,
  decilesOptions,
  formatNumber,
  formatPercent,
  histogramOptions,
  niceTicks,
  paretoOptions,
  rfmGridOptions,
  segmentColors,
  segmentShareOptions,
  textColorOn,
  type RfmPlotText,
} from '../../../src/lib/plots/rfm-plots';
import type { DecileRow, LorenzPoint, RfmGridRow, RfmHistogramBin, RfmSummaryRow } from '../../../src/lib/segment/rfm-views';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { segmentLabel } from '../../../src/lib/segment/builtin-names';
import { countTags, renderPlot, type FakeNode } from '../helpers/fake-dom';

const TEXT: RfmPlotText = {
  customers: 'Customers',
  revenue: 'Revenue',
  shareCustomers: '← % of customers',
  shareRevenue: '% of revenue →',
  avgMonetary: 'Avg monetary',
  rAxis: 'R score',
  fAxis: 'F score',
  customersN: (n) => `${n} customers`,
  avgShort: (v) => `avg ${v}`,
  mostly: (s, p) => `mostly ${s} (${p})`,
  cellTitle: (r, f) => `R ${r} · F ${f}`,
  paretoX: 'share of customers',
  paretoY: 'share of revenue',
  equality: 'equal spend',
  topLabel: (pct, share) => `top ${pct}: ${share}`,
  paretoTip: (c, r) => `top ${c} bring ${r}`,
  decileAxis: 'decile',
  topDecile: '1 (top)',
  range: (a, b) => `${a} – ${b}`,
};
const SIZE = { width: 600 };

/** All text drawn in the SVG (tick labels, mark labels), in document order. */
function texts(node: FakeNode): string[] {
  return node.querySelectorAll('text').map((t) => t.textContent);
}

function svgOf(o: PlotOptions): FakeNode {
  const root = renderPlot(o);
  return root.tagName === 'svg' ? root : root.querySelector('svg')!;
}

describe('segment colours', () => {
  test('the default segments keep their own colours whatever the order, by name as shown in any language; other names get a palette in order', () => {
    const keys = DEFAULT_RFM_RULES.map((r) => r.name);
    const names = keys.map(segmentLabel);
    const colors = segmentColors([...names].reverse());
    keys.forEach((k, i) => expect(colors[names[i]]).toBe(DEFAULT_SEGMENT_COLORS[k]));
    expect(new Set(names.map((n) => colors[n])).size).toBe(names.length);
    const custom = segmentColors(['Whales', 'Champions', 'Minnows', 'Whales', '冠军客户']);
    expect(Object.keys(custom)).toEqual(['Whales', 'Champions', 'Minnows', '冠军客户', 'Unassigned']);
    expect(custom.Whales).not.toBe(custom.Minnows);
    expect(custom.Champions).toBe(DEFAULT_SEGMENT_COLORS['rfm.seg.champions']);
    expect(custom['冠军客户']).toBe(DEFAULT_SEGMENT_COLORS['rfm.seg.champions']);
    expect(custom.Unassigned).toBe(DEFAULT_SEGMENT_COLORS['rfm.seg.unassigned']);
  });

  test('labels are white on dark fills and dark on light ones', () => {
    expect(textColorOn(DEFAULT_SEGMENT_COLORS['rfm.seg.champions'])).toBe('#ffffff');
    expect(textColorOn(DEFAULT_SEGMENT_COLORS['rfm.seg.cantLose'])).toBe('#ffffff');
    expect(textColorOn(DEFAULT_SEGMENT_COLORS['rfm.seg.needAttention'])).not.toBe('#ffffff');
    expect(textColorOn(DEFAULT_SEGMENT_COLORS['rfm.seg.unassigned'])).not.toBe('#ffffff');
  });
});

describe('formats', () => {
  test('numbers, percentages and round ticks', () => {
    expect(formatNumber(1234.567)).toBe('1,234.57');
    expect(formatNumber(17_099_544.97)).toBe('17.1M');
    expect(formatNumber(null)).toBe('–');
    expect(formatPercent(0.236)).toBe('24%');
    expect(formatPercent(0.0142)).toBe('1.4%');
    expect(formatPercent(0.0004)).toBe('0.04%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('–');
    expect(niceTicks(1, 1100, 5)).toEqual([200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 118_615, 6)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

const SUMMARY: RfmSummaryRow[] = [
  { segment: 'Champions', customers: 20, pct_customers: 0.2, revenue: 6000, pct_revenue: 0.6, avg_recency: 5, avg_frequency: 9, avg_monetary: 300 },
  { segment: "Can't Lose Them", customers: 30, pct_customers: 0.3, revenue: 3000, pct_revenue: 0.3, avg_recency: 200, avg_frequency: 6, avg_monetary: 100 },
  { segment: 'Lost', customers: 50, pct_customers: 0.5, revenue: 1000, pct_revenue: 0.1, avg_recency: 400, avg_frequency: 1, avg_monetary: 20 },
  { segment: 'Hibernating', customers: 0, pct_customers: 0, revenue: 0, pct_revenue: 0, avg_recency: null, avg_frequency: null, avg_monetary: null },
];

describe('segment shares', () => {
  test('two bars per segment, in the summary order, with both percentages written', () => {
    const colors = segmentColors(SUMMARY.map((s) => s.segment));
    const o = segmentShareOptions(SUMMARY, colors, TEXT, SIZE);
    expect((o.y as { domain: string[] }).domain).toEqual(['Champions', "Can't Lose Them", 'Lost', 'Hibernating']);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBe(8);
    const words = texts(svg);
    for (const w of ['20%', '60%', '30%', '50%', '10%', '← % of customers', '% of revenue →', "Can't Lose Them"]) expect(words).toContain(w);
    // Bars are filled with the segment colours.
    const fills = svg.querySelectorAll('rect').map((r) => r.getAttribute('fill'));
    expect(fills).toContain(DEFAULT_SEGMENT_COLORS['rfm.seg.champions']);
    expect(fills).toContain(DEFAULT_SEGMENT_COLORS['rfm.seg.lost']);
  });
});

describe('R by F grid', () => {
  const grid: RfmGridRow[] = [];
  for (let r = 5; r >= 1; r--) {
    for (let f = 1; f <= 5; f++) {
      const customers = r === 3 && f === 3 ? 0 : r * 10 + f;
      grid.push({ r_score: r, f_score: f, customers, avg_monetary: customers ? f * 100 : null, segment: customers ? (r >= 4 ? 'Champions' : 'Lost') : null, segment_share: customers ? 0.75 : null });
    }
  }

  test('25 cells, R 5 on top, counts and average monetary written, a legend of the segments present', () => {
    const colors = segmentColors(DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)));
    const o = rfmGridOptions(grid, colors, TEXT, SIZE);
    expect((o.y as { domain: number[] }).domain).toEqual([5, 4, 3, 2, 1]);
    expect((o.color as { domain: string[] }).domain).toEqual(['Champions', 'Lost']);
    const root = renderPlot(o);
    const svg = root.tagName === 'svg' ? root : root.querySelectorAll('svg').at(-1)!;
    expect(countTags(svg, 'rect')).toBe(25);
    const words = texts(svg);
    expect(words).toContain('55');
    expect(words).toContain('avg 500');
    expect(words).toContain('0');
    expect(words).toContain('R score');
    // The legend (a figure around the chart) names the segments present.
    expect(root.textContent).toContain('Champions');
  });
});

describe('histograms', () => {
  const bins: RfmHistogramBin[] = [
    { bin: 0, bin_start: 1, bin_end: 4, customers: 3, overflow: false },
    { bin: 1, bin_start: 4, bin_end: 7, customers: 5, overflow: false },
    { bin: 2, bin_start: 7, bin_end: 10, customers: 0, overflow: false },
    { bin: 3, bin_start: 10, bin_end: 1001, customers: 2, overflow: true },
  ];

  test('the overflow bin is drawn as one more bar past the regular ones and labelled with its bound', () => {
    const o = histogramOptions(bins, { label: 'Frequency (orders)', color: '#2f5fd0', integer: true }, TEXT, SIZE);
    const domain = (o.x as { domain: number[] }).domain;
    // Regular bins span 1..10; the overflow bar sits 0.6 to 1.6 steps of 3 after 10: domain ends at 14.8.
    expect(domain[0]).toBe(1);
    expect(domain[1]).toBeCloseTo(14.8, 9);
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBe(4);
    const words = texts(svg);
    expect(words).toContain('≥ 10');
    expect(words.some((w) => w.startsWith('Frequency (orders)'))).toBe(true);
    // Whole-number measures get whole-number ticks only.
    expect(words.filter((w) => /^\d+(\.\d+)?$/.test(w)).every((w) => !w.includes('.'))).toBe(true);
    expect(words).not.toContain('1,000');
  });

  test('without overflow and empty input', () => {
    const money = histogramOptions([{ bin: 0, bin_start: 5, bin_end: 5, customers: 3, overflow: false }], { label: 'M', color: '#000000', integer: false }, TEXT, SIZE);
    expect(countTags(svgOf(money), 'rect')).toBe(1);
    expect(() => renderPlot(histogramOptions([], { label: 'M', color: '#000000', integer: false }, TEXT, SIZE))).not.toThrow();
  });
});

describe('value concentration', () => {
  test('the Pareto curve runs from (0,0) to (1,1) above the diagonal, with the top shares marked', () => {
    const points: LorenzPoint[] = [0, 1, 2, 3, 4].map((i) => ({ point: i, customers: i, share_customers: i / 4, share_revenue: [0, 0.6, 0.85, 0.95, 1][i] }));
    const o = paretoOptions(points, [{ pct: 20, customers: 1, share_revenue: 0.6 }, { pct: 1, customers: 1, share_revenue: null }], TEXT, SIZE);
    const svg = svgOf(o);
    expect(countTags(svg, 'path')).toBeGreaterThanOrEqual(3);
    const words = texts(svg);
    expect(words).toContain('top 20%: 60%');
    expect(words).toContain('equal spend');
    expect(words.some((w) => w.startsWith('top 1%'))).toBe(false);
  });

  test('deciles: one bar per decile, the top one named, shares written', () => {
    const rows: DecileRow[] = Array.from({ length: 10 }, (_, i) => ({
      decile: i + 1, customers: 10, revenue: 100 - i * 10, share_revenue: (100 - i * 10) / 550, min_value: 1, max_value: 2, avg_value: 1.5,
    }));
    const svg = svgOf(decilesOptions(rows, TEXT, SIZE));
    expect(countTags(svg, 'rect')).toBe(10);
    const words = texts(svg);
    expect(words).toContain('1 (top)');
    expect(words).toContain('18%');
  });
});
