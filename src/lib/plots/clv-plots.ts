/**
 * CLV results -> `Plot.plot` options: the calibration/holdout chart (customers grouped by their
 * calibration purchases, mean actual against mean predicted holdout purchases — the standard check
 * of Fader, Hardie & Lee) and CLV by segment. The distributions use the RFM histogram. Pure: no DOM.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import type { ClvSegmentRow } from '../segment/clv-sql';
import { truncateLabel, widthInLatin } from './chart-plot';
import { formatNumber, formatPercent, type RfmPlotSize } from './rfm-plots';

/** The CLV charts' colours: text, secondary text, the predicted series. */
export const INK = '#1d2330';
export const MUTED = '#5c6577';
export const ACCENT = '#2f5fd0';

/** One frequency group of the holdout check (as the worker returns it). */
export interface HoldoutPoint {
  label: string;
  customers: number;
  actual: number;
  predicted: number;
}

/** The words of the CLV charts. */
export interface ClvPlotText {
  actual: string;
  predicted: string;
  /** x axis of the holdout chart. */
  holdoutX: string;
  /** y axis of the holdout chart. */
  holdoutY: string;
  /** "{n} customers" */
  customersN: (n: string) => string;
  totalClv: string;
  share: string;
}

/**
 * Mean holdout purchases per calibration-frequency group: actual (solid, dark) against the model's
 * prediction (dashed, blue), with a legend; empty groups are left out.
 */
export function holdoutOptions(groups: readonly HoldoutPoint[], text: ClvPlotText, size: RfmPlotSize): PlotOptions {
  const used = groups.filter((g) => g.customers > 0 && Number.isFinite(g.actual) && Number.isFinite(g.predicted));
  const long = used.flatMap((g) => [
    { label: g.label, series: text.actual, value: g.actual, customers: g.customers },
    { label: g.label, series: text.predicted, value: g.predicted, customers: g.customers },
  ]);
  const max = Math.max(0.1, ...long.map((d) => d.value));
  const title = (d: (typeof long)[number]) => `${d.label}: ${text.customersN(formatNumber(d.customers))}\n${d.series}: ${formatNumber(Math.round(d.value * 100) / 100)}`;
  return {
    width: Math.min(size.width, 560),
    height: 250,
    marginLeft: 44,
    marginTop: 16,
    marginBottom: 40,
    x: { type: 'point', domain: used.map((g) => g.label), label: text.holdoutX, labelAnchor: 'center', padding: 0.3 },
    y: { domain: [0, max * 1.1], label: text.holdoutY, grid: true, ticks: 5, tickFormat: (v: number) => formatNumber(v) },
    color: { type: 'ordinal', domain: [text.actual, text.predicted], range: [INK, ACCENT], legend: true },
    marks: [
      Plot.line(long.filter((d) => d.series === text.actual), { x: 'label', y: 'value', stroke: 'series', strokeWidth: 2 }),
      Plot.line(long.filter((d) => d.series === text.predicted), { x: 'label', y: 'value', stroke: 'series', strokeWidth: 2, strokeDasharray: '5 3' }),
      Plot.dot(long, { x: 'label', y: 'value', fill: 'series', r: 3.5, title }),
      Plot.ruleY([0]),
    ],
  };
}

/** Total CLV per segment (largest first), the share of all CLV written at each bar's end. */
export function segmentClvOptions(rows: readonly ClvSegmentRow[], colors: Record<string, string>, text: ClvPlotText, size: RfmPlotSize): PlotOptions {
  const data = rows.filter((r) => r.total_clv !== null).map((r) => ({ ...r, total: Math.max(0, r.total_clv as number) }));
  const names = data.map((r) => r.segment);
  const widest = Math.max(40, ...names.map((n) => widthInLatin(truncateLabel(n, 24)) * 6.5));
  const max = Math.max(1, ...data.map((r) => r.total));
  const title = (r: (typeof data)[number]) =>
    `${r.segment}\n${text.customersN(formatNumber(r.customers))}\n${text.totalClv}: ${formatNumber(r.total_clv)} (${formatPercent(r.share_clv)})`;
  return {
    width: size.width,
    height: Math.max(120, names.length * 24 + 50),
    marginLeft: widest + 12,
    marginRight: 56,
    marginBottom: 34,
    x: { domain: [0, max * 1.08], label: text.totalClv, labelAnchor: 'center', grid: true, ticks: 5, tickFormat: (v: number) => formatNumber(v) },
    y: { domain: names, label: null, tickFormat: (d: string) => truncateLabel(d, 24), tickSize: 0 },
    marks: [
      Plot.barX(data, { x: 'total', y: 'segment', fill: (r: (typeof data)[number]) => colors[r.segment] ?? ACCENT, insetTop: 3, insetBottom: 3, title }),
      Plot.text(data, { x: 'total', y: 'segment', text: (r: (typeof data)[number]) => formatPercent(r.share_clv), textAnchor: 'start', dx: 4, fill: MUTED, fontSize: 10.5 }),
      Plot.ruleX([0], { stroke: INK }),
    ],
  };
}
