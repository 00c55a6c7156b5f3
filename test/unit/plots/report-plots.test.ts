/**
 * Issue 17, period comparison charts: two bars per segment (earlier, later) with the customers of
 * each date, segments in the given order; the flow chart reuses the movement cell's layout.
 */
import { describe, expect, test } from 'vitest';
import { comparisonBarsOptions, comparisonFlowOptions } from '../../../src/lib/plots/report-plots';
import { DEPARTED_SEGMENT, NEW_SEGMENT } from '../../../src/lib/segment/movement-sql';
import { countTags, renderPlot } from '../helpers/fake-dom';

const rows = [
  { segment: 'Champions', customersThen: 10, customersNow: 12, revenueThen: 1, revenueNow: 2 },
  { segment: 'Lost', customersThen: 5, customersNow: 3, revenueThen: 1, revenueNow: 1 },
];

describe('comparison charts', () => {
  test('bars: a bar per segment and date, lighter for the earlier date', () => {
    const o = comparisonBarsOptions(rows, '2024-04-01', '2024-05-01', (s) => s.toUpperCase(), 'Customers');
    expect((o.fy as { domain: string[] }).domain).toEqual(['CHAMPIONS', 'LOST']);
    expect((o.color as { domain: string[] }).domain).toEqual(['2024-04-01', '2024-05-01']);
    const data = (o.marks![0] as unknown as { data: { segment: string; when: string; customers: number }[] }).data;
    expect(data).toEqual([
      { segment: 'CHAMPIONS', when: '2024-04-01', customers: 10 },
      { segment: 'CHAMPIONS', when: '2024-05-01', customers: 12 },
      { segment: 'LOST', when: '2024-04-01', customers: 5 },
      { segment: 'LOST', when: '2024-05-01', customers: 3 },
    ]);
    expect(countTags(renderPlot(o), 'rect')).toBeGreaterThanOrEqual(4);
  });

  test('flows: drawn from the matrix rows and columns, new and departed included', () => {
    const flows = [
      { from_segment: NEW_SEGMENT, to_segment: 'Champions', customers: 2, revenue: 10 },
      { from_segment: 'Champions', to_segment: 'Champions', customers: 9, revenue: 50 },
      { from_segment: 'Champions', to_segment: DEPARTED_SEGMENT, customers: 1, revenue: 0 },
    ];
    const text = { label: (s: string) => s, fromTitle: 'then', toTitle: 'now', customersN: (n: string) => `${n} customers`, flowTitle: (a: string, b: string) => `${a} → ${b}`, revenue: 'revenue' };
    const o = comparisonFlowOptions(flows, [NEW_SEGMENT, 'Champions'], ['Champions', DEPARTED_SEGMENT], text);
    expect(o.marks!.length).toBeGreaterThan(2);
    expect(() => renderPlot(o)).not.toThrow();
  });
});
