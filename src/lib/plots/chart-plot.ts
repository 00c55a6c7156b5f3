/**
 * Chart result rows + spec -> the options object for `Plot.plot(...)`. Pure: builds marks and
 * scale options, never touches the DOM (rendering happens in the component).
 *
 * Rows are those of `chartQuery` (fixed columns `x`, `y`, `color`, `x1`, `x2`, `value`, ...);
 * user column names appear only as labels.
 */
import * as Plot from '@observablehq/plot';
import type { Markish, PlotOptions, ScaleOptions } from '@observablehq/plot';
import { columnKind, type ChartSpec, type ColumnInfo } from './chart-spec';
import { NULL_COLOR, OTHER_COLOR } from './chart-query';
import { t } from '../i18n';
import { intlLocale, timeAxisTicks } from '../i18n/format';

/**
 * Side margins of a continuous colour legend (Plot's ramp): its first and last tick labels sit
 * centred on the ramp's ends and are clipped without them ("%" for "0%", issue 14).
 */
export const RAMP_LEGEND_MARGINS = { marginLeft: 20, marginRight: 20 } as const;

/** Options of `chartPlotOptions`. */
export interface ChartPlotOptions {
  /** Width of the chart in pixels. */
  width: number;
  /** Height in pixels; by default 360, or enough rows for horizontal bars and heatmaps. */
  height?: number;
  /** Axis and legend titles replacing the defaults (column names and e.g. `sum(amount)`). */
  labels?: { x?: string; y?: string; color?: string };
  /** The source's columns (as given to `chartQuery`): tells which axes hold dates. */
  columns?: ColumnInfo[];
  /** Locale for tick numbers (compact: 12K, 1.5M; `zh` gives 1.2万). Defaults to `en`. */
  locale?: string;
}

/** What a chart leaves out, for a note under it: bar/line/heatmap categories cut, or scatter sampling. */
export type ChartNote = { kind: 'truncated'; shown: number; hidden: number } | { kind: 'sampled'; shown: number; total: number };

/** Bars turn horizontal beyond this many categories. */
export const MAX_VERTICAL_BARS = 12;
/** Tick labels longer than this (in Latin-character widths; CJK counts double) are cut with `…`. */
export const MAX_TICK_LABEL = 28;

const MAIN_COLOR = '#4269d0';
const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#e45756'];
const OTHER_FILL = '#c4c4c4';
const NULL_FILL = '#6f6f6f';
/** Estimated width of one Latin character of a 10px tick label; CJK characters count double. */
const CHAR_PX = 6;
const DEFAULT_HEIGHT = 360;

type Row = Record<string, unknown>;

/** Axis titles for a spec: the user's column names and the aggregate, e.g. `sum(amount)`. */
export function chartLabels(spec: ChartSpec): { x: string; y: string; color: string | null } {
  const x = spec.x ?? '';
  switch (spec.mark) {
    case 'scatter':
      return { x, y: spec.y ?? '', color: spec.color };
    case 'histogram':
      return { x, y: t('msg.chart.axisCount'), color: spec.color };
    case 'heatmap':
      return { x, y: spec.y ?? '', color: aggregateLabel(spec.aggregate, spec.color) };
    default:
      return { x, y: aggregateLabel(spec.aggregate, spec.y), color: spec.color };
  }
}

/** `count`, `count(col)`, `count(distinct col)`, `sum(col)`, ... */
export function aggregateLabel(aggregate: ChartSpec['aggregate'], column: string | null): string {
  if (aggregate === 'count' && !column) return t('msg.chart.axisCount');
  return t(`msg.chart.axis.${aggregate}`, { column: column ?? '' });
}

/** What the rows leave out of the table (for a note under the chart), or null when they show all of it. */
export function chartNote(spec: ChartSpec, rows: Row[]): ChartNote | null {
  if (rows.length === 0) return null;
  if (spec.mark === 'scatter') {
    const total = toNumber(rows[0].total);
    return total !== null && total > rows.length ? { kind: 'sampled', shown: rows.length, total } : null;
  }
  const hidden = toNumber(rows[0].truncated);
  if (hidden === null || hidden <= 0) return null;
  const shown = spec.mark === 'heatmap' ? distinct(rows, 'x').length + distinct(rows, 'y').length : distinct(rows, 'x').length;
  return { kind: 'truncated', shown, hidden };
}

/**
 * Builds `Plot.plot` options for a chart's result rows: labelled axes with grid lines and compact
 * numbers, a tooltip on every mark, a colour legend when `color` is set, dates on UTC scales,
 * and horizontal bars when there are more than 12 categories or their labels do not fit.
 */
export function chartPlotOptions(spec: ChartSpec, rows: Row[], opts: ChartPlotOptions): PlotOptions {
  const labels = { ...chartLabels(spec), ...definedOnly(opts.labels ?? {}) };
  const kindOf = (name: string | null) => {
    const col = name === null ? undefined : opts.columns?.find((c) => c.name === name);
    return col ? columnKind(col.type) : null;
  };
  const xTemporal = kindOf(spec.x) === 'temporal' || rows.some((r) => r.x instanceof Date || r.x1 instanceof Date);
  // y holds dates for scatter/heatmap date columns and for min/max of a date; histogram y is a count.
  const yIsColumn = spec.mark === 'scatter' || spec.mark === 'heatmap' || spec.aggregate === 'min' || spec.aggregate === 'max';
  const yTemporal =
    spec.mark !== 'histogram' && ((yIsColumn && kindOf(spec.y) === 'temporal') || rows.some((r) => r.y instanceof Date));
  const format = numberFormat(opts.locale ?? intlLocale());
  const ctx: Ctx = { spec, labels, opts, format, xTemporal, yTemporal };

  switch (spec.mark) {
    case 'bar':
      return barOptions(ctx, rows);
    case 'line':
    case 'area':
      return lineOptions(ctx, rows);
    case 'scatter':
      return scatterOptions(ctx, rows);
    case 'histogram':
      return histogramOptions(ctx, rows);
    case 'heatmap':
      return heatmapOptions(ctx, rows);
  }
}

interface Ctx {
  spec: ChartSpec;
  labels: { x: string; y: string; color: string | null };
  opts: ChartPlotOptions;
  format: (n: number) => string;
  xTemporal: boolean;
  yTemporal: boolean;
}

function base(ctx: Ctx, height: number): PlotOptions {
  return { width: ctx.opts.width, height: ctx.opts.height ?? height, grid: true };
}

function barOptions(ctx: Ctx, rows: Row[]): PlotOptions {
  const { spec, labels, format } = ctx;
  // Dates on a band scale are shown as text (2024-01-31), so ticks and tooltips agree.
  const data = rows.map((r): Row => ({ ...r, x: ctx.xTemporal ? formatUtc(r.x) : r.x, y: ctx.yTemporal ? toDate(r.y) : toNumber(r.y) }));
  const categories = distinct(data, 'x');
  const tickLabels = categories.map((c) => truncateLabel(String(c)));
  const widest = Math.max(0, ...tickLabels.map(textWidth));
  const band = (ctx.opts.width - 60) / Math.max(1, categories.length);
  const horizontal = categories.length > MAX_VERTICAL_BARS || widest > band - 4;
  const colors = colorScale(ctx, data);
  const fill = spec.color ? 'color' : MAIN_COLOR;
  const order = colors?.domain;
  const category: ScaleOptions = { type: 'band', domain: categories, label: labels.x, tickFormat: (d: unknown) => truncateLabel(String(d)) };
  const value: ScaleOptions = ctx.yTemporal ? { type: 'utc', label: labels.y, grid: true, ...timeAxisTicks() } : { label: labels.y, grid: true, tickFormat: format };
  // Bars of a date (e.g. max(order_date)) would start at 1970: show them as dots instead.
  const dots = ctx.yTemporal;
  if (horizontal) {
    return {
      ...base(ctx, Math.max(160, categories.length * 22 + 70)),
      marginLeft: Math.min(260, Math.max(40, widest + 14)),
      x: value,
      // A band axis title centred in a wide margin would sit on the tick labels: put it on top.
      y: { ...category, grid: false, labelAnchor: 'top' },
      color: colors?.options,
      marks: dots
        ? [Plot.dot(data, { x: 'y', y: 'x', fill, tip: true })]
        : [Plot.barX(data, { x: 'y', y: 'x', fill, order, tip: true }), Plot.ruleX([0])],
    };
  }
  return {
    ...base(ctx, DEFAULT_HEIGHT),
    x: { ...category, grid: false },
    y: value,
    color: colors?.options,
    marks: dots
      ? [Plot.dot(data, { x: 'x', y: 'y', fill, tip: true })]
      : [Plot.barY(data, { x: 'x', y: 'y', fill, order, tip: true }), Plot.ruleY([0])],
  };
}

function lineOptions(ctx: Ctx, rows: Row[]): PlotOptions {
  const { spec, labels, format } = ctx;
  const data = rows.map((r): Row => ({ ...r, x: ctx.xTemporal ? toDate(r.x) : r.x, y: ctx.yTemporal ? toDate(r.y) : toNumber(r.y) }));
  const numericX = !ctx.xTemporal && data.every((r) => r.x === null || typeof r.x === 'number');
  const rotation = ctx.xTemporal || numericX ? {} : rotatedTicks(distinct(data, 'x'), ctx.opts.width - 60);
  const x: ScaleOptions = ctx.xTemporal
    ? { type: 'utc', label: labels.x, ...timeAxisTicks() }
    : numericX
      ? { type: 'linear', label: labels.x, tickFormat: format }
      : { type: 'point', domain: distinct(data, 'x'), label: labels.x, tickFormat: (d: unknown) => truncateLabel(String(d)), tickRotate: rotation.tickRotate };
  const y: ScaleOptions = ctx.yTemporal ? { type: 'utc', label: labels.y, ...timeAxisTicks() } : { label: labels.y, grid: true, tickFormat: format };
  const colors = colorScale(ctx, data);
  const series = spec.color ? 'color' : undefined;
  const perSeries = data.length / Math.max(1, distinct(data, 'color').length);
  const marks: Markish[] = [];
  // Counts and sums are read from zero; averages, medians, min and max may float.
  const fromZero = !ctx.yTemporal && ['count', 'count_distinct', 'sum'].includes(spec.aggregate) && data.every((r) => r.y === null || (r.y as number) >= 0);
  if (spec.mark === 'area') {
    marks.push(Plot.areaY(data, { x: 'x', y: 'y', fill: series ?? MAIN_COLOR, fillOpacity: series ? 0.85 : 0.3, order: colors?.domain, tip: true }));
    if (!series) marks.push(Plot.lineY(data, { x: 'x', y: 'y', stroke: MAIN_COLOR }));
  } else {
    marks.push(
      Plot.lineY(data, { x: 'x', y: 'y', stroke: series ?? MAIN_COLOR, z: series, marker: perSeries <= 30 ? 'circle' : undefined, tip: true }),
    );
  }
  if (fromZero || spec.mark === 'area') marks.unshift(Plot.ruleY([0]));
  return { ...base(ctx, DEFAULT_HEIGHT), marginBottom: rotation.marginBottom, x, y, color: colors?.options, marks };
}

function scatterOptions(ctx: Ctx, rows: Row[]): PlotOptions {
  const { spec, labels, format } = ctx;
  const data = rows.map((r): Row => ({
    ...r,
    x: ctx.xTemporal ? toDate(r.x) : toNumber(r.x),
    y: ctx.yTemporal ? toDate(r.y) : toNumber(r.y),
  }));
  const numericColor = spec.color !== null && data.every((r) => r.color === null || r.color === undefined || typeof r.color === 'number');
  const color: ScaleOptions | undefined = !spec.color
    ? undefined
    : numericColor
      ? { type: 'linear', scheme: 'viridis', legend: true, ...RAMP_LEGEND_MARGINS, label: labels.color ?? undefined, tickFormat: format }
      : colorScale(ctx, data)?.options;
  const axis = (temporal: boolean, label: string): ScaleOptions =>
    temporal ? { type: 'utc', label, grid: true, ...timeAxisTicks() } : { type: 'linear', label, grid: true, nice: true, tickFormat: format };
  return {
    ...base(ctx, DEFAULT_HEIGHT),
    x: axis(ctx.xTemporal, labels.x),
    y: axis(ctx.yTemporal, labels.y),
    color,
    marks: [
      Plot.dot(data, {
        x: 'x',
        y: 'y',
        fill: spec.color ? 'color' : MAIN_COLOR,
        r: data.length > 1000 ? 2 : 3,
        fillOpacity: 0.7,
        tip: true,
      }),
    ],
  };
}

function histogramOptions(ctx: Ctx, rows: Row[]): PlotOptions {
  const { spec, labels, format } = ctx;
  const data = rows.map((r): Row => ({
    ...r,
    x1: ctx.xTemporal ? toDate(r.x1) : toNumber(r.x1),
    x2: ctx.xTemporal ? toDate(r.x2) : toNumber(r.x2),
    y: toNumber(r.y),
  }));
  const colors = colorScale(ctx, data);
  return {
    ...base(ctx, DEFAULT_HEIGHT),
    x: ctx.xTemporal ? { type: 'utc', label: labels.x, ...timeAxisTicks() } : { type: 'linear', label: labels.x, tickFormat: format },
    y: { label: labels.y, grid: true, tickFormat: format },
    color: colors?.options,
    marks: [
      Plot.rectY(data, {
        x1: 'x1',
        x2: 'x2',
        y: 'y',
        fill: spec.color ? 'color' : MAIN_COLOR,
        order: colors?.domain,
        insetLeft: 0.5,
        insetRight: 0.5,
        tip: true,
      }),
      Plot.ruleY([0]),
    ],
  };
}

function heatmapOptions(ctx: Ctx, rows: Row[]): PlotOptions {
  const { labels, format } = ctx;
  const data = rows.map((r): Row => ({
    ...r,
    x: ctx.xTemporal ? formatUtc(r.x) : r.x,
    y: ctx.yTemporal ? formatUtc(r.y) : r.y,
    value: toNumber(r.value),
  }));
  const xs = distinct(data, 'x').sort(natural);
  const ys = distinct(data, 'y').sort(natural);
  const widestY = Math.max(0, ...ys.map((v) => textWidth(truncateLabel(String(v)))));
  const marginLeft = Math.min(260, Math.max(40, widestY + 14));
  const cut = (d: unknown) => truncateLabel(String(d));
  const rotation = rotatedTicks(xs, ctx.opts.width - marginLeft - 20);
  return {
    ...base(ctx, Math.max(200, ys.length * 24 + 90) + (rotation.marginBottom ?? 0)),
    grid: false,
    marginLeft,
    marginBottom: rotation.marginBottom,
    x: { type: 'band', domain: xs, label: labels.x, tickFormat: cut, tickRotate: rotation.tickRotate },
    y: { type: 'band', domain: ys, label: labels.y, tickFormat: cut },
    color: { type: 'linear', scheme: 'blues', legend: true, ...RAMP_LEGEND_MARGINS, label: labels.color ?? undefined, tickFormat: format },
    marks: [Plot.cell(data, { x: 'x', y: 'y', fill: 'value', inset: 0.5, tip: true })],
  };
}

/**
 * A categorical colour scale for `color` rows: colours ordered by total |y| (or count of rows),
 * then `(null)` in dark grey and `Other` in light grey. Undefined when the spec has no colour.
 */
function colorScale(ctx: Ctx, data: Row[]): { domain: string[]; options: ScaleOptions } | undefined {
  if (!ctx.spec.color) return undefined;
  const totals = new Map<string, number>();
  for (const r of data) {
    const key = String(r.color);
    const v = typeof r.y === 'number' && ctx.spec.mark !== 'scatter' ? Math.abs(r.y) : 1;
    totals.set(key, (totals.get(key) ?? 0) + v);
  }
  const domain = [...totals.keys()]
    .filter((k) => k !== OTHER_COLOR && k !== NULL_COLOR)
    .sort((a, b) => totals.get(b)! - totals.get(a)! || natural(a, b));
  if (totals.has(NULL_COLOR)) domain.push(NULL_COLOR);
  if (totals.has(OTHER_COLOR)) domain.push(OTHER_COLOR);
  let next = 0;
  const range = domain.map((k) => (k === OTHER_COLOR ? OTHER_FILL : k === NULL_COLOR ? NULL_FILL : PALETTE[next++ % PALETTE.length]));
  return { domain, options: { type: 'categorical', domain, range, legend: true, label: ctx.labels.color ?? undefined } };
}

/** Rotated x tick labels and the bottom margin they need, when point/band labels would collide. */
function rotatedTicks(values: unknown[], width: number): { tickRotate?: number; marginBottom?: number } {
  const widest = Math.max(0, ...values.map((v) => textWidth(truncateLabel(String(v)))));
  if (widest <= width / Math.max(1, values.length) - 6) return {};
  return { tickRotate: -40, marginBottom: Math.min(160, Math.round(widest * Math.sin((40 * Math.PI) / 180)) + 36) };
}

/** Distinct values of a field, in order of first appearance (dates compared by time). */
function distinct(rows: Row[], field: string): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const r of rows) {
    const v = r[field];
    if (v === undefined) continue;
    const key = v instanceof Date ? v.getTime() : v;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function natural(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(v);
  return Number.isNaN(n) ? null : n;
}

/** A DuckDB date/timestamp as it arrives (epoch ms at UTC, or a Date) as a Date. */
function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date as text in UTC: `2024-01-31`, or `2024-01-31 08:30` when it has a time of day. */
export function formatUtc(v: unknown): string | null {
  const d = toDate(v);
  if (!d || Number.isNaN(d.getTime())) return v === null || v === undefined ? null : String(v);
  const iso = d.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.slice(0, 16).replace('T', ' ');
}

/** Compact tick numbers: below 10,000 as is (with grouping), above as 12K / 1.5M (or the locale's form). */
function numberFormat(locale: string): (n: number) => string {
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 });
  return (n: number) => (typeof n !== 'number' || !Number.isFinite(n) ? String(n) : Math.abs(n) >= 10_000 ? compact.format(n) : plain.format(n));
}

function isWide(ch: string): boolean {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch);
}

/** A label's width in Latin characters: Chinese, Japanese and Korean characters count double. */
export function widthInLatin(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? 2 : 1;
  return w;
}

/** Estimated pixel width of a tick label. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? 2 : 1;
  return w * CHAR_PX;
}

/** Cuts a label longer than `MAX_TICK_LABEL` Latin-character widths, ending it with `…`. */
export function truncateLabel(s: string, max = MAX_TICK_LABEL): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    w += isWide(ch) ? 2 : 1;
    if (w > max) return `${out}…`;
    out += ch;
  }
  return out;
}
