/**
 * The chart builders of the lifecycle, CLV and movement cells (issue 8): the flow layout's
 * geometry worked out by hand, and each chart rendered through Plot.plot on a minimal DOM,
 * counting its shapes and reading its words.
 */
import { describe, expect, test } from 'vitest';
import type { PlotOptions } from '@observablehq/plot';
import { flowLayout, flowOptions, type MovementPlotText } from '../../../src/lib/plots/movement-plots';
import { gapRatioOptions, STAGE_COLORS, stageSharesOptions, type LifecyclePlotText } from '../../../src/lib/plots/lifecycle-plots';
import { holdoutOptions, segmentClvOptions, type ClvPlotText } from '../../../src/lib/plots/clv-plots';
import { DEFAULT_LIFECYCLE_RULES, type GapRatioBin, type LifecycleSummaryRow } from '../../../src/lib/segment/lifecycle-sql';
import { DEPARTED_SEGMENT, NEW_SEGMENT, type MovementFlow } from '../../../src/lib/segment/movement-sql';
import type { RfmPlotText } from '../../../src/lib/plots/rfm-plots';
import { countTags, renderPlot, type FakeNode } from '../helpers/fake-dom';

/** The chart's own SVG (after any legend's swatches). */
function svgOf(o: PlotOptions): FakeNode {
  const root = renderPlot(o);
  return root.tagName === 'svg' ? root : root.querySelectorAll('svg').at(-1)!;
}
const texts = (node: FakeNode) => node.querySelectorAll('text').map((t) => t.textContent);

// New -> Gold 10, Gold -> Gold 30, Gold -> Silver 10, Silver -> Gold 20, Silver -> departed 30.
const FLOWS: MovementFlow[] = [
  { from_segment: NEW_SEGMENT, to_segment: 'Gold', customers: 10, revenue: 100 },
  { from_segment: 'Gold', to_segment: 'Gold', customers: 30, revenue: 300 },
  { from_segment: 'Gold', to_segment: 'Silver', customers: 10, revenue: 50 },
  { from_segment: 'Silver', to_segment: 'Gold', customers: 20, revenue: 80 },
  { from_segment: 'Silver', to_segment: DEPARTED_SEGMENT, customers: 30, revenue: 0 },
];
const ROWS = [NEW_SEGMENT, 'Gold', 'Silver'];
const COLUMNS = ['Gold', 'Silver', DEPARTED_SEGMENT];

describe('flowLayout', () => {
  test('stacks each side by customers with gaps, and stacks the bands inside their bars without crossing', () => {
    // 100 customers; 3 bars a side, 2 gaps of 10 px in 220 px: 2 px per customer.
    const l = flowLayout(FLOWS, ROWS, COLUMNS, 220, 10);
    expect(l.total).toBe(100);
    expect(l.unit).toBe(2);
    const bar = (side: string, seg: string) => l.nodes.find((n) => n.side === side && n.segment === seg)!;
    // Left: new 10 (0-20), Gold 40 (30-110), Silver 50 (120-220).
    expect([bar('from', NEW_SEGMENT).y0, bar('from', NEW_SEGMENT).y1]).toEqual([0, 20]);
    expect([bar('from', 'Gold').y0, bar('from', 'Gold').y1]).toEqual([30, 110]);
    expect([bar('from', 'Silver').y0, bar('from', 'Silver').y1]).toEqual([120, 220]);
    // Right: Gold 60 (0-120), Silver 10 (130-150), departed 30 (160-220).
    expect([bar('to', 'Gold').y0, bar('to', 'Gold').y1]).toEqual([0, 120]);
    expect([bar('to', DEPARTED_SEGMENT).y0, bar('to', DEPARTED_SEGMENT).y1]).toEqual([160, 220]);
    // Gold -> Gold leaves Gold's top 60 px (centre 60) and enters Gold after new's 20 px (centre 20 + 30 = 50).
    const link = (from: string, to: string) => l.links.find((k) => k.from_segment === from && k.to_segment === to)!;
    expect(link('Gold', 'Gold')).toMatchObject({ ySource: 60, yTarget: 50, width: 60, index: 1 });
    expect(link(NEW_SEGMENT, 'Gold')).toMatchObject({ ySource: 10, yTarget: 10, width: 20 });
    // Silver -> Gold enters Gold below Gold -> Gold (80 + 20).
    expect(link('Silver', 'Gold')).toMatchObject({ ySource: 140, yTarget: 100, width: 40 });
    expect(l.links.reduce((s, k) => s + k.width, 0)).toBe(200);
  });

  test('leaves out empty flows and empty sides', () => {
    const l = flowLayout([...FLOWS, { from_segment: 'Gold', to_segment: 'Bronze', customers: 0, revenue: 0 }], ROWS, [...COLUMNS, 'Bronze'], 220, 10);
    expect(l.links).toHaveLength(5);
    expect(l.nodes.some((n) => n.segment === 'Bronze')).toBe(false);
    expect(flowLayout([], [], [], 100).nodes).toEqual([]);
  });
});

describe('charts', () => {
  const MV_TEXT: MovementPlotText = {
    label: (s) => (s === NEW_SEGMENT ? 'New customers' : s === DEPARTED_SEGMENT ? 'Departed' : s),
    fromTitle: 'as of 2025-10-03',
    toTitle: 'as of 2026-01-01',
    customersN: (n) => `${n} customers`,
    flowTitle: (a, b) => `${a} → ${b}`,
    revenue: 'revenue',
  };

  test('the flow chart draws a band per flow, a bar per segment and side, and readable labels', () => {
    const l = flowLayout(FLOWS, ROWS, COLUMNS, 220, 10);
    const svg = svgOf(flowOptions(l, { Gold: '#d4a017', Silver: '#999999' }, MV_TEXT, { width: 640 }, 2));
    expect(countTags(svg, 'path')).toBeGreaterThanOrEqual(5);
    expect(countTags(svg, 'rect')).toBe(6);
    const words = texts(svg);
    for (const w of ['New customers  10', 'Gold  40', 'Silver  50', 'Gold  60', 'Departed  30', 'as of 2025-10-03', 'as of 2026-01-01']) expect(words).toContain(w);
  });

  const SHARES_TEXT = { customers: 'Customers', revenue: 'Revenue', shareCustomers: '← % of customers', shareRevenue: '% of revenue →', customersN: (n: string) => `${n} customers`, range: (a: string, b: string) => `${a} – ${b}` } as RfmPlotText;
  const LABEL = { new: 'New', active: 'Active', reactivated: 'Reactivated', cooling: 'Cooling', at_risk: 'At risk', lapsed: 'Lapsed' } as const;
  const LC_TEXT: LifecyclePlotText = {
    shares: SHARES_TEXT,
    stage: (s) => LABEL[s],
    gapAxis: 'gap ÷ interval',
    customers: 'Customers',
    customersN: (n) => `${n} customers`,
    gapRange: (a, b) => `${a}–${b ?? ''}`,
    threshold: (s, f) => `${LABEL[s]} > ${f}×`,
  };

  test('stage shares use the stage labels and colours', () => {
    const rows: LifecycleSummaryRow[] = [
      { stage: 'new', customers: 10, pct_customers: 0.1, revenue: 100, pct_revenue: 0.05, value_at_stake: 100, warnings: 0, avg_days_since_last: 5, repeat_buyers: 1 },
      { stage: 'lapsed', customers: 90, pct_customers: 0.9, revenue: 1900, pct_revenue: 0.95, value_at_stake: 500, warnings: 0, avg_days_since_last: 300, repeat_buyers: 40 },
    ];
    const svg = svgOf(stageSharesOptions(rows, LC_TEXT, { width: 600 }));
    expect(texts(svg)).toContain('Lapsed');
    expect(svg.querySelectorAll('rect').map((r) => r.getAttribute('fill'))).toContain(STAGE_COLORS.lapsed);
  });

  test('the gap chart stacks stages per bin and draws the three rule factors', () => {
    const bins: GapRatioBin[] = [
      { bin: 0, bin_start: 0, bin_end: 0.5, stage: 'active', customers: 5, overflow: false },
      { bin: 0, bin_start: 0, bin_end: 0.5, stage: 'reactivated', customers: 2, overflow: false },
      { bin: 4, bin_start: 2, bin_end: 2.5, stage: 'cooling', customers: 3, overflow: false },
      { bin: 12, bin_start: 6, bin_end: null, stage: 'lapsed', customers: 9, overflow: true },
    ];
    const o = gapRatioOptions(bins, DEFAULT_LIFECYCLE_RULES, 6, LC_TEXT, { width: 600 });
    const svg = svgOf(o);
    expect(countTags(svg, 'rect')).toBeGreaterThanOrEqual(4);
    const words = texts(svg);
    for (const w of ['Cooling > 1.5×', 'At risk > 2.5×', 'Lapsed > 4×', '> 6']) expect(words).toContain(w);
  });

  const CLV_TEXT: ClvPlotText = { actual: 'actual', predicted: 'predicted', holdoutX: 'x', holdoutY: 'y', customersN: (n) => `${n} customers`, totalClv: 'Total CLV', share: '%' };

  test('the holdout chart draws actual and predicted per group, leaving out empty groups', () => {
    const groups = [
      { label: '0', customers: 100, actual: 0.2, predicted: 0.25 },
      { label: '1', customers: 40, actual: 1.1, predicted: 1.0 },
      { label: '2', customers: 0, actual: Number.NaN, predicted: Number.NaN },
    ];
    const o = holdoutOptions(groups, CLV_TEXT, { width: 500 });
    expect((o.x as { domain: string[] }).domain).toEqual(['0', '1']);
    const svg = svgOf(o);
    expect(countTags(svg, 'circle')).toBe(4);
  });

  test('CLV by segment: one bar per segment with its share written', () => {
    const rows = [
      { segment: 'Champions', customers: 10, total_clv: 5000, avg_clv: 500, share_clv: 0.625, avg_p_alive: 0.9, expected_purchases: 40 },
      { segment: 'Lost', customers: 90, total_clv: 3000, avg_clv: 33.3, share_clv: 0.375, avg_p_alive: 0.2, expected_purchases: 10 },
    ];
    const svg = svgOf(segmentClvOptions(rows, { Champions: '#17693a' }, CLV_TEXT, { width: 500 }));
    expect(countTags(svg, 'rect')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['63%', '38%', 'Champions', 'Lost']));
  });
});
