/**
 * The CLV model checks as `Plot.plot` options (issue 17): the frequency × recency heat maps of
 * P(alive) and of expected purchases (cell marks, one row per frequency, one column per recency
 * range, a colour legend) and the tracking chart (cumulative repeat purchases per week, actual
 * against expected, the end of calibration marked). Pure: no DOM; all words come in `text`.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, type RfmPlotSize } from './rfm-plots';
import { ACCENT, INK, MUTED } from './clv-plots';
import { timeAxisTicks } from '../i18n/format';
import type { GridCell } from '../../../workers/clv/model-checks';

/** One cell of the grid, as the worker returns it. */
export type GridPoint = GridCell;

/** The words of a heat map. */
export interface GridText {
  /** Tooltip label of the value (the legend has none: the chart's heading names it). */
  value: string;
  xLabel: string;
  yLabel: string;
  /** Tooltip head of a cell. */
  cell: (p: GridPoint) => string;
}

/** Formats a recency for axis labels: whole numbers above 10, one decimal below. */
function short(v: number): string {
  return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

/**
 * A heat map of `value` ('pAlive' on a fixed 0–1 scale, or 'expected') over frequency (rows, the
 * highest on top) and recency ranges (columns, labelled by their start every few columns).
 */
export function gridHeatmapOptions(cells: readonly GridPoint[], value: 'pAlive' | 'expected', text: GridText, size: RfmPlotSize): PlotOptions {
  const columns = Math.max(1, ...cells.map((c) => c.k + 1));
  const maxX = Math.max(0, ...cells.map((c) => c.x));
  const every = Math.max(1, Math.ceil(columns / 5));
  const starts = new Map(cells.filter((c) => c.x === 1 || maxX === 0).map((c) => [c.k, c.from]));
  const format = (v: number) => (value === 'pAlive' ? `${Math.round(v * 100)}%` : formatNumber(Math.round(v * 100) / 100));
  const top = Math.max(1e-9, ...cells.map((c) => c.expected));
  const rowEvery = maxX > 15 ? 5 : maxX > 8 ? 2 : 1;
  return {
    width: Math.min(size.width, 520),
    height: Math.max(180, Math.min(340, (maxX + 1) * 12 + 90)),
    marginLeft: 44,
    marginBottom: 40,
    marginTop: 8,
    x: {
      type: 'band',
      domain: Array.from({ length: columns }, (_, k) => k),
      label: text.xLabel,
      labelAnchor: 'center',
      ticks: Array.from({ length: columns }, (_, k) => k).filter((k) => k % every === 0),
      tickFormat: (k: number) => short(starts.get(k) ?? 0),
      padding: 0,
    },
    y: {
      type: 'band',
      domain: Array.from({ length: maxX + 1 }, (_, x) => maxX - x),
      label: text.yLabel,
      labelAnchor: 'center',
      ticks: Array.from({ length: maxX + 1 }, (_, x) => x).filter((x) => x % rowEvery === 0),
      padding: 0,
    },
    color:
      value === 'pAlive'
        ? { type: 'linear', domain: [0, 1], scheme: 'ylgn', legend: true, label: null, tickFormat: (v: number) => `${Math.round(v * 100)}%` }
        : { type: 'linear', domain: [0, top], scheme: 'blues', legend: true, label: null, tickFormat: (v: number) => formatNumber(Math.round(v * 10) / 10) },
    marks: [
      Plot.cell(cells, {
        x: 'k',
        y: 'x',
        fill: value,
        inset: 0.25,
        title: (c: GridPoint) => `${text.cell(c)}\n${text.value}: ${format(c[value])}`,
      }),
    ],
  };
}

/** One week of the tracking chart with its end date. */
export interface TrackingRow {
  /** The week's last day (UTC midnight). */
  date: Date;
  actual: number;
  expected: number;
}

/** The words of the tracking chart. */
export interface TrackingText {
  actual: string;
  expected: string;
  xLabel: string;
  yLabel: string;
  calibrationEnd: string;
  /** Tooltip head: the week's end, formatted. */
  week: (date: Date) => string;
}

/**
 * Cumulative repeat purchases per week: actual (solid, dark) against expected (dashed, blue), with
 * a legend, and a dashed rule labelled at the end of calibration (`calibrationLast`, UTC midnight).
 */
export function trackingOptions(rows: readonly TrackingRow[], calibrationLast: Date, text: TrackingText, size: RfmPlotSize): PlotOptions {
  const long = rows.flatMap((r) => [
    { date: r.date, series: text.actual, value: r.actual },
    { date: r.date, series: text.expected, value: r.expected },
  ]);
  const max = Math.max(1, ...long.map((d) => d.value));
  const title = (d: (typeof long)[number]) => `${text.week(d.date)}\n${d.series}: ${formatNumber(Math.round(d.value))}`;
  return {
    width: size.width,
    height: 260,
    marginLeft: 56,
    marginTop: 18,
    marginBottom: 40,
    x: { type: 'utc', label: text.xLabel, labelAnchor: 'center', ...timeAxisTicks() },
    y: { domain: [0, max * 1.08], label: text.yLabel, grid: true, ticks: 5, tickFormat: (v: number) => formatNumber(v) },
    color: { type: 'ordinal', domain: [text.actual, text.expected], range: [INK, ACCENT], legend: true },
    marks: [
      Plot.ruleX([calibrationLast], { stroke: MUTED, strokeDasharray: '4 3' }),
      Plot.text([calibrationLast], { x: (d: Date) => d, frameAnchor: 'top', text: () => text.calibrationEnd, textAnchor: 'end', dx: -4, dy: 2, fill: MUTED, fontSize: 10.5 }),
      Plot.line(long.filter((d) => d.series === text.actual), { x: 'date', y: 'value', stroke: 'series', strokeWidth: 2 }),
      Plot.line(long.filter((d) => d.series === text.expected), { x: 'date', y: 'value', stroke: 'series', strokeWidth: 2, strokeDasharray: '5 3' }),
      Plot.dot(long, Plot.pointerX({ x: 'date', y: 'value', fill: 'series', r: 3, title })),
      Plot.tip(long, Plot.pointerX({ x: 'date', y: 'value', title })),
      Plot.ruleY([0]),
    ],
  };
}
