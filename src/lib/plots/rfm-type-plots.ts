/**
 * The 8-type RFM result as a chart: R high/low (rows) by F and M high/low (columns), one cell per
 * type, coloured by the type with its customers and average monetary value written in it. Pure:
 * no DOM; every word comes in through `TypeGridText`.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, textColorOn } from './rfm-plots';
import { truncateLabel } from './chart-plot';
import type { RfmTypeCell } from '../segment/rfm-types';

/** The words the type grid shows. */
export interface TypeGridText {
  rAxis: string;
  fmAxis: string;
  /** "R high" / "R low". */
  rLevel: (high: boolean) => string;
  /** "F high · M low". */
  fmLevel: (fHigh: boolean, mHigh: boolean) => string;
  customersN: (n: string) => string;
  avgShort: (value: string) => string;
  avgMonetary: string;
}

const LINE = '#d5dae3';
const code = (...levels: boolean[]) => levels.map((h) => (h ? 'H' : 'L')).join('');
const FM = ['HH', 'HL', 'LH', 'LL'];

/** Plot options of the 2 x 4 type grid (R high on top; F·M high-high first); empty types are outlined. */
export function typeGridOptions(cells: readonly RfmTypeCell[], colors: Record<string, string>, text: TypeGridText, size: { width: number }): PlotOptions {
  const data = cells.map((c) => ({ ...c, x: code(c.f_high, c.m_high), y: code(c.r_high) }));
  const filled = data.filter((c) => c.customers > 0);
  const empty = data.filter((c) => c.customers === 0);
  const ink = (c: RfmTypeCell) => textColorOn(colors[c.segment] ?? '#ffffff');
  const title = (c: RfmTypeCell) =>
    [
      c.segment,
      `${text.rLevel(c.r_high)} · ${text.fmLevel(c.f_high, c.m_high)}`,
      text.customersN(formatNumber(c.customers)),
      ...(c.avg_monetary !== null ? [`${text.avgMonetary}: ${formatNumber(c.avg_monetary)}`] : []),
    ].join('\n');
  const width = Math.min(size.width, 640);
  const names = filled.map((c) => c.segment);
  // A cell's width in ems of the 11px name, less padding; Plot measures normal weight, the name is bold.
  const nameEms = Math.max(4, (((width - 64) / 4 - 14) / 11) * 0.85);
  return {
    width,
    height: 280,
    marginLeft: 64,
    marginBottom: 44,
    marginTop: 8,
    padding: 0.05,
    x: { type: 'band', domain: FM, label: text.fmAxis, labelAnchor: 'center', labelOffset: 36, tickSize: 0, tickFormat: (d: string) => text.fmLevel(d[0] === 'H', d[1] === 'H') },
    y: { type: 'band', domain: ['H', 'L'], label: text.rAxis, labelAnchor: 'center', labelOffset: 52, tickSize: 0, tickFormat: (d: string) => text.rLevel(d === 'H') },
    color: { type: 'ordinal', domain: names, range: names.map((n) => colors[n] ?? '#ccc') },
    marks: [
      Plot.cell(empty, { x: 'x', y: 'y', fill: '#ffffff', stroke: LINE }),
      Plot.cell(filled, { x: 'x', y: 'y', fill: 'segment', rx: 3 }),
      // The name wraps at spaces within its cell (two lines at most), growing upwards from above the count.
      Plot.text(data, { x: 'x', y: 'y', text: (c: RfmTypeCell) => truncateLabel(c.segment, 40), lineWidth: nameEms, lineAnchor: 'bottom', dy: -12, fontSize: 11, fontWeight: 600, fill: (c: RfmTypeCell) => (c.customers > 0 ? ink(c) : '#9aa3b2') }),
      Plot.text(data, { x: 'x', y: 'y', text: (c: RfmTypeCell) => formatNumber(c.customers), dy: 2, fontSize: 14, fontWeight: 700, fill: (c: RfmTypeCell) => (c.customers > 0 ? ink(c) : '#9aa3b2') }),
      Plot.text(filled, { x: 'x', y: 'y', text: (c: RfmTypeCell) => (c.avg_monetary === null ? '' : text.avgShort(formatNumber(Math.round(c.avg_monetary)))), dy: 19, fontSize: 10, fill: ink }),
      Plot.tip(data, Plot.pointer({ x: 'x', y: 'y', title })),
    ],
  };
}
