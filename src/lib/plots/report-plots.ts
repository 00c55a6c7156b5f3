/**
 * The charts of a report's period comparison as Plot options: each segment's customers at the
 * earlier and the later date side by side, and the flow chart of the movement cell between them.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import type { ComparisonRow } from '../report/report-model';
import type { MovementFlow } from '../segment/movement-sql';
import { DEPARTED_SEGMENT, NEW_SEGMENT } from '../segment/movement-sql';
import { flowLayout, flowOptions, type MovementPlotText } from './movement-plots';
import { formatNumber, segmentColors } from './rfm-plots';
import { widthInLatin } from './chart-plot';

/** Customers per segment at both dates: a pair of bars per segment, the earlier one lighter. */
export function comparisonBarsOptions(rows: readonly ComparisonRow[], from: string, to: string, label: (s: string) => string, customersLabel: string, width = 760): PlotOptions {
  const data = rows.flatMap((r) => [
    { segment: label(r.segment), when: from, customers: r.customersThen },
    { segment: label(r.segment), when: to, customers: r.customersNow },
  ]);
  const names = rows.map((r) => label(r.segment));
  const marginLeft = Math.min(220, 16 + 6.5 * Math.max(4, ...names.map(widthInLatin)));
  return {
    width,
    height: 36 + rows.length * 30,
    marginLeft,
    marginRight: 50,
    x: { grid: true, label: customersLabel, tickFormat: (v: number) => formatNumber(v) },
    y: { axis: null, domain: [from, to] },
    fy: { label: null, domain: names, axis: 'left' },
    color: { legend: true, domain: [from, to], range: ['#b8c6e0', '#2f5fb3'] },
    marks: [
      Plot.barX(data, { fy: 'segment', y: 'when', x: 'customers', fill: 'when' }),
      Plot.text(data, { fy: 'segment', y: 'when', x: 'customers', text: (d: { customers: number }) => formatNumber(d.customers), dx: 4, textAnchor: 'start', fontSize: 9.5, fill: '#5c6577' }),
      Plot.ruleX([0]),
    ],
  };
}

/** The movement between the dates as the movement cell's flow chart. */
export function comparisonFlowOptions(flows: readonly MovementFlow[], rows: readonly string[], columns: readonly string[], text: MovementPlotText, width = 760): PlotOptions {
  const names = [...new Set([...rows, ...columns])];
  const colors = segmentColors(names.filter((n) => n !== NEW_SEGMENT && n !== DEPARTED_SEGMENT));
  colors[NEW_SEGMENT] = '#7fb2e0';
  colors[DEPARTED_SEGMENT] = '#a7aebb';
  const layout = flowLayout(flows, rows, columns, Math.max(220, Math.min(520, 22 * Math.max(rows.length, columns.length) + 120)));
  return flowOptions(layout, colors, text, { width });
}
