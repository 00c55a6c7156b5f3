/**
 * Segmentation results -> `Plot.plot` options: share of customers against share of revenue per
 * group or segment, the cross-tab heat map of two attributes, a segment's channel mix against all
 * orders, and segments compared value by value as an index heat map. Pure: no DOM. Every word
 * shown comes in through `SegmentPlotText`, so the page can translate it.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { RAMP_LEGEND_MARGINS, truncateLabel } from './chart-plot';
import { formatNumber, formatPercent } from './rfm-plots';
import type { AttributeRow, ComparePivotRow, CrossTabMeasure, MixRow } from '../segment/segment-results';

/** The words the charts show. */
export interface SegmentPlotText {
  /** "← % of customers" */
  shareCustomers: string;
  /** "% of revenue →" */
  shareRevenue: string;
  customers: string;
  revenue: string;
  avgOrderValue: string;
  /** "{n} customers" */
  customersN: (n: string) => string;
  /** Names of the cross-tab measures (legend and tips). */
  measures: Record<CrossTabMeasure, string>;
  /** Channel mix: the bar (the segment's orders) and the tick (all orders). */
  inSegment: string;
  overall: string;
  /** "index {value}" (share against all customers) */
  index: (value: string) => string;
  /** "{attribute}: average" for a numeric attribute's row */
  average: (attribute: string) => string;
}

/** Chart width in pixels. */
export interface SegmentPlotSize {
  width: number;
}

const INK = '#1d2330';
const MUTED = '#5c6577';
const LINE = '#dfe3ea';
const CUSTOMERS_FILL = '#9db8ee';
const REVENUE_FILL = '#2f5fd0';
const CHAR_PX = 6.5;
const MAX_LABEL = 28;

function isWide(ch: string): boolean {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch);
}

/** Estimated pixel width of a label at 11px (CJK characters count double). */
export function labelWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch) ? 2 : 1;
  return w * CHAR_PX;
}

/** One bar pair: a group's or segment's share of customers and of revenue. */
export interface SharePair {
  label: string;
  customers: number;
  shareCustomers: number | null;
  revenue: number | null;
  shareRevenue: number | null;
  avgOrderValue?: number | null;
}

/** Attribute rows (one column) as share pairs, in band order. */
export function attributePairs(rows: readonly AttributeRow[]): SharePair[] {
  return rows.map((r) => ({ label: r.band_1, customers: r.customers, shareCustomers: r.share_customers, revenue: r.revenue, shareRevenue: r.share_revenue, avgOrderValue: r.avg_order_value }));
}

/**
 * Share of customers (left, light) against share of revenue (right, full colour), one row per
 * group in the given order, percentages at the bar ends; without revenue, customers only.
 * Labels may repeat (a value 'Other' and the folded 'Other'): rows are keyed by position.
 */
export function sharePairOptions(pairs: readonly SharePair[], text: SegmentPlotText, size: SegmentPlotSize): PlotOptions {
  const data = pairs.map((p, i) => ({ ...p, key: i, pc: p.shareCustomers ?? 0, pr: p.shareRevenue ?? 0 }));
  const hasRevenue = pairs.some((p) => p.shareRevenue !== null);
  const keys = data.map((d) => d.key);
  const labels = new Map(data.map((d) => [d.key, truncateLabel(d.label, MAX_LABEL)]));
  const maxC = Math.max(0.01, ...data.map((r) => r.pc));
  const maxR = hasRevenue ? Math.max(0.01, ...data.map((r) => r.pr)) : 0;
  const marginLeft = Math.max(40, ...[...labels.values()].map(labelWidth)) + 12;
  const LABEL_PX = 42;
  const perUnit = Math.max(1, size.width - marginLeft - 10 - 2 * LABEL_PX) / (maxC + maxR);
  const pad = LABEL_PX / perUnit;
  type D = (typeof data)[number];
  const title = (r: D) =>
    [
      r.label,
      `${text.customers}: ${formatNumber(r.customers)} (${formatPercent(r.shareCustomers)})`,
      ...(hasRevenue ? [`${text.revenue}: ${formatNumber(r.revenue)} (${formatPercent(r.shareRevenue)})`] : []),
      ...(r.avgOrderValue !== undefined && r.avgOrderValue !== null ? [`${text.avgOrderValue}: ${formatNumber(r.avgOrderValue)}`] : []),
    ].join('\n');
  return {
    width: size.width,
    height: Math.max(120, keys.length * 24 + 56),
    marginLeft,
    marginRight: 10,
    marginTop: 28,
    x: { domain: [-(maxC + pad), hasRevenue ? maxR + pad : pad * 0.2], label: null, tickFormat: (v: number) => formatPercent(Math.abs(v)), ticks: 6, grid: true },
    y: { type: 'band', domain: keys, label: null, tickFormat: (k: number) => labels.get(k) ?? '', tickSize: 0 },
    marks: [
      Plot.barX(data, { x: (r: D) => -r.pc, y: 'key', fill: CUSTOMERS_FILL, insetTop: 3, insetBottom: 3 }),
      ...(hasRevenue ? [Plot.barX(data, { x: 'pr', y: 'key', fill: REVENUE_FILL, insetTop: 3, insetBottom: 3 })] : []),
      Plot.text(data, { x: (r: D) => -r.pc, y: 'key', text: (r: D) => formatPercent(r.pc), textAnchor: 'end', dx: -4, fill: MUTED }),
      ...(hasRevenue ? [Plot.text(data, { x: 'pr', y: 'key', text: (r: D) => formatPercent(r.pr), textAnchor: 'start', dx: 4, fill: INK, fontWeight: 600 })] : []),
      Plot.ruleX([0], { stroke: INK }),
      Plot.text([text.shareCustomers], { frameAnchor: 'top-left', dy: -20, fill: MUTED }),
      ...(hasRevenue ? [Plot.text([text.shareRevenue], { frameAnchor: 'top-right', dy: -20, fill: INK, fontWeight: 600 })] : []),
      Plot.tip(data, Plot.pointerY({ x: (r: D) => (hasRevenue ? r.pr : -r.pc), y: 'key', title })),
    ],
  };
}

/** The value of a cross-tab cell for a measure (null when unknown). */
export function crossTabValue(r: AttributeRow, measure: CrossTabMeasure): number | null {
  const v = r[measure];
  return v === undefined || v === null || !Number.isFinite(v) ? null : v;
}

/** A measure's value as written in a cell. */
export function formatMeasure(v: number | null, measure: CrossTabMeasure): string {
  if (v === null) return '–';
  return measure === 'share_in_band_1' ? formatPercent(v) : formatNumber(measure === 'customers' ? v : Math.round(v * 100) / 100);
}

/**
 * The cross-tab of two attributes as a heat map: rows = the first column's bands, columns = the
 * second's (both in band order), colour and label = the measure; empty cells are outlined.
 */
export function crossTabOptions(rows: readonly AttributeRow[], measure: CrossTabMeasure, labels: { x: string; y: string }, text: SegmentPlotText, size: SegmentPlotSize): PlotOptions {
  const rowKeys = [...new Set(rows.map((r) => r.band_1_order))].sort((a, b) => a - b);
  const colKeys = [...new Set(rows.map((r) => r.band_2_order ?? 0))].sort((a, b) => a - b);
  const rowLabel = new Map(rows.map((r) => [r.band_1_order, truncateLabel(r.band_1, MAX_LABEL)]));
  const colLabel = new Map(rows.map((r) => [r.band_2_order ?? 0, truncateLabel(r.band_2 ?? '', 18)]));
  const values = rows.map((r) => crossTabValue(r, measure)).filter((v): v is number => v !== null);
  const max = Math.max(0, ...values);
  const filled = rows.filter((r) => r.customers > 0 && crossTabValue(r, measure) !== null);
  const empty = rows.filter((r) => !(r.customers > 0 && crossTabValue(r, measure) !== null));
  const marginLeft = Math.max(40, ...[...rowLabel.values()].map(labelWidth)) + 14;
  const widestCol = Math.max(20, ...[...colLabel.values()].map(labelWidth));
  const cellW = (size.width - marginLeft - 10) / Math.max(1, colKeys.length);
  const rotate = widestCol + 8 > cellW;
  const marginTop = rotate ? Math.min(120, Math.round(widestCol * 0.75) + 24) : 40;
  const cellH = 30;
  const title = (r: AttributeRow) =>
    [
      `${labels.y}: ${r.band_1}`,
      `${labels.x}: ${r.band_2 ?? ''}`,
      text.customersN(formatNumber(r.customers)),
      `${text.measures.share_in_band_1}: ${formatPercent(r.share_in_band_1 ?? null)}`,
      `${text.revenue}: ${formatNumber(r.revenue)} (${formatPercent(r.share_revenue)})`,
      `${text.avgOrderValue}: ${formatNumber(r.avg_order_value)}`,
    ].join('\n');
  const ink = (r: AttributeRow) => ((crossTabValue(r, measure) ?? 0) > max * 0.55 ? '#ffffff' : INK);
  return {
    width: size.width,
    height: rowKeys.length * cellH + marginTop + 30,
    marginLeft,
    marginTop,
    marginRight: 10,
    marginBottom: 26,
    padding: 0.04,
    x: { type: 'band', domain: colKeys, axis: 'top', label: labels.x, labelAnchor: 'center', tickFormat: (k: number) => colLabel.get(k) ?? '', tickSize: 0, ...(rotate ? { tickRotate: -35 } : {}) },
    y: { type: 'band', domain: rowKeys, label: labels.y, labelAnchor: 'top', tickFormat: (k: number) => rowLabel.get(k) ?? '', tickSize: 0 },
    color: { type: 'linear', scheme: 'blues', domain: [0, max || 1], legend: true, ...RAMP_LEGEND_MARGINS, label: text.measures[measure], tickFormat: (v: number) => formatMeasure(v, measure) },
    marks: [
      Plot.cell(empty, { x: (r: AttributeRow) => r.band_2_order ?? 0, y: 'band_1_order', fill: '#ffffff', stroke: LINE }),
      Plot.cell(filled, { x: (r: AttributeRow) => r.band_2_order ?? 0, y: 'band_1_order', fill: (r: AttributeRow) => crossTabValue(r, measure), rx: 2 }),
      Plot.text(filled, { x: (r: AttributeRow) => r.band_2_order ?? 0, y: 'band_1_order', text: (r: AttributeRow) => formatMeasure(crossTabValue(r, measure), measure), fill: ink, fontSize: 11.5, fontWeight: 600 }),
      Plot.text(empty, { x: (r: AttributeRow) => r.band_2_order ?? 0, y: 'band_1_order', text: () => '0', fill: '#9aa3b2' }),
      Plot.tip(rows as AttributeRow[], Plot.pointer({ x: (r: AttributeRow) => r.band_2_order ?? 0, y: 'band_1_order', title })),
    ],
  };
}

/** A segment's channel mix: bars = share of the segment's orders per channel, ticks = share of all orders. */
export function channelMixOptions(rows: readonly MixRow[], text: SegmentPlotText, size: SegmentPlotSize): PlotOptions {
  const data = rows.map((r, i) => ({ ...r, key: i, seg: r.share_in_segment ?? 0, all: r.share_overall ?? 0 }));
  type D = (typeof data)[number];
  const labels = new Map(data.map((d) => [d.key, truncateLabel(d.channel, MAX_LABEL)]));
  const marginLeft = Math.max(40, ...[...labels.values()].map(labelWidth)) + 12;
  const max = Math.max(0.05, ...data.map((d) => Math.max(d.seg, d.all)));
  const title = (d: D) =>
    [d.channel, `${text.inSegment}: ${formatPercent(d.share_in_segment)} (${formatNumber(d.segment_orders)})`, `${text.overall}: ${formatPercent(d.share_overall)}`, text.index(d.index === null ? '–' : d.index.toFixed(2))].join('\n');
  return {
    width: size.width,
    height: Math.max(110, data.length * 26 + 60),
    marginLeft,
    marginRight: 56,
    marginTop: 28,
    x: { domain: [0, max * 1.08], label: null, tickFormat: (v: number) => formatPercent(v), ticks: 5, grid: true },
    y: { type: 'band', domain: data.map((d) => d.key), label: null, tickFormat: (k: number) => labels.get(k) ?? '', tickSize: 0 },
    marks: [
      Plot.barX(data, { x: 'seg', y: 'key', fill: REVENUE_FILL, insetTop: 4, insetBottom: 4 }),
      Plot.tickX(data, { x: 'all', y: 'key', stroke: INK, strokeWidth: 2.5 }),
      Plot.text(data, { x: (d: D) => Math.max(d.seg, d.all), y: 'key', text: (d: D) => formatPercent(d.seg), textAnchor: 'start', dx: 6, fill: INK, fontWeight: 600 }),
      Plot.ruleX([0], { stroke: INK }),
      Plot.text([`■ ${text.inSegment}   ┃ ${text.overall}`], { frameAnchor: 'top-left', dy: -20, fill: MUTED }),
      Plot.tip(data, Plot.pointerY({ x: 'seg', y: 'key', title })),
    ],
  };
}

/** How far an index is drawn from neutral (ln of the index, clamped to ±ln 3). */
const CLAMP = Math.log(3);
function tone(index: number | null): number | null {
  if (index === null || !Number.isFinite(index)) return null;
  if (index <= 0) return -CLAMP;
  return Math.max(-CLAMP, Math.min(CLAMP, Math.log(index)));
}

/**
 * Segments compared value by value: a row per attribute value (the first `limit` of `pivot`, i.e.
 * the strongest differences), a column per segment (all customers first); each cell shows the
 * share (numbers: the average) and is coloured by its index against all customers — blue above,
 * red below, white alike.
 */
export function compareHeatOptions(pivot: readonly ComparePivotRow[], segments: readonly string[], text: SegmentPlotText, size: SegmentPlotSize, limit = 16): PlotOptions {
  const shown = pivot.slice(0, limit);
  const rowLabel = (p: ComparePivotRow) => (p.kind === 'numeric' ? text.average(p.attribute) : `${p.attribute}: ${p.value ?? ''}`);
  const data = shown.flatMap((p, i) =>
    p.cells.map((c, j) => ({ row: i, col: j, label: rowLabel(p), segment: c.segment, share: c.share, mean: c.mean, index: c.index, customers: c.customers, kind: p.kind, baseline: j === 0 })),
  );
  type D = (typeof data)[number];
  const rowLabels = new Map(shown.map((p, i) => [i, truncateLabel(rowLabel(p), 34)]));
  const marginLeft = Math.max(60, ...[...rowLabels.values()].map(labelWidth)) + 14;
  const cellW = (size.width - marginLeft - 10) / Math.max(1, segments.length);
  // Column labels as long as the cells allow (at least 18 characters; longer ones are turned).
  const colLabels = new Map(segments.map((s, j) => [j, truncateLabel(s, Math.max(18, Math.floor((cellW - 8) / CHAR_PX)))]));
  const widestCol = Math.max(20, ...[...colLabels.values()].map(labelWidth));
  const rotate = widestCol + 8 > cellW;
  const marginTop = rotate ? Math.min(120, Math.round(widestCol * 0.75) + 20) : 30;
  const cellText = (d: D) => (d.kind === 'numeric' ? formatNumber(d.mean) : formatPercent(d.share));
  const title = (d: D) =>
    [d.label, d.segment, d.kind === 'numeric' ? formatNumber(d.mean) : `${formatPercent(d.share)} (${formatNumber(d.customers)})`, ...(d.baseline ? [] : [text.index(d.index === null ? '–' : d.index.toFixed(2))])].join('\n');
  const ink = (d: D) => (Math.abs(tone(d.index) ?? 0) > CLAMP * 0.6 && !d.baseline ? '#ffffff' : INK);
  return {
    width: size.width,
    height: shown.length * 26 + marginTop + 20,
    marginLeft,
    marginTop,
    marginRight: 10,
    marginBottom: 10,
    padding: 0.05,
    x: { type: 'band', domain: segments.map((_, j) => j), axis: 'top', label: null, tickFormat: (j: number) => colLabels.get(j) ?? '', tickSize: 0, ...(rotate ? { tickRotate: -35 } : {}) },
    y: { type: 'band', domain: shown.map((_, i) => i), label: null, tickFormat: (i: number) => rowLabels.get(i) ?? '', tickSize: 0 },
    color: { type: 'diverging', scheme: 'rdbu', domain: [-CLAMP, CLAMP], pivot: 0 },
    marks: [
      Plot.cell(data.filter((d) => d.baseline || tone(d.index) === null), { x: 'col', y: 'row', fill: '#f3f5f8', stroke: LINE }),
      Plot.cell(data.filter((d) => !d.baseline && tone(d.index) !== null), { x: 'col', y: 'row', fill: (d: D) => tone(d.index), rx: 2 }),
      Plot.text(data, { x: 'col', y: 'row', text: cellText, fill: ink, fontSize: 11 }),
      Plot.tip(data, Plot.pointer({ x: 'col', y: 'row', title })),
    ],
  };
}

/** One group of a rate chart: its label, share with its interval, base, and whether it is too small to trust. */
export interface RatePoint {
  label: string;
  rate: number | null;
  low: number | null;
  high: number | null;
  base: number;
  small: boolean;
}

/**
 * A rate by group (issue 14): one row per group in the given order, a dot at the share and a
 * line across its 95 % interval; small groups are drawn faint; `overall` (the share over all rows)
 * as a dashed reference line. Groups without a base are left out.
 */
export function rateOptions(points: readonly RatePoint[], overall: number | null, text: { base: (n: string) => string; small: string }, size: SegmentPlotSize): PlotOptions {
  const data = points.map((p, i) => ({ ...p, key: i })).filter((p) => p.rate !== null);
  const labels = new Map(data.map((d) => [d.key, truncateLabel(d.label, 40)]));
  const marginLeft = Math.max(40, ...[...labels.values()].map(labelWidth)) + 12;
  const hi = Math.min(1, Math.max(0.05, ...data.map((d) => d.high ?? 0)) * 1.08);
  type D = (typeof data)[number];
  const title = (d: D) => [d.label, `${formatPercent(d.rate)} (${formatPercent(d.low)}–${formatPercent(d.high)})`, text.base(formatNumber(d.base)), ...(d.small ? [text.small] : [])].join('\n');
  const opacity = (d: D) => (d.small ? 0.3 : 1);
  return {
    width: size.width,
    height: Math.max(110, data.length * 22 + 50),
    marginLeft,
    marginRight: 48,
    x: { domain: [0, hi], label: null, tickFormat: (v: number) => formatPercent(v), ticks: 6, grid: true },
    y: { type: 'band', domain: data.map((d) => d.key), label: null, tickFormat: (k: number) => labels.get(k) ?? '', tickSize: 0 },
    marks: [
      ...(overall === null ? [] : [Plot.ruleX([overall], { stroke: MUTED, strokeDasharray: '4,3' })]),
      Plot.ruleY(data, { y: 'key', x1: 'low', x2: 'high', stroke: REVENUE_FILL, strokeWidth: 2, strokeOpacity: opacity }),
      Plot.dot(data, { x: 'rate', y: 'key', r: 4, fill: REVENUE_FILL, fillOpacity: opacity, stroke: 'white' }),
      Plot.text(data, { x: 'high', y: 'key', text: (d: D) => formatPercent(d.rate), textAnchor: 'start', dx: 6, fill: INK, fillOpacity: opacity }),
      Plot.tip(data, Plot.pointerY({ x: 'rate', y: 'key', title })),
    ],
  };
}
