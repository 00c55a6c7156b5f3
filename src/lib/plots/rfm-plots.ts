/**
 * RFM result rows -> `Plot.plot` options: segment share of customers against share of revenue, the
 * R-by-F grid coloured by segment, folded histograms of R, F and M, the Pareto curve and revenue
 * deciles. Pure: no DOM. Every word shown comes in through `RfmPlotText`, so the page can
 * translate it; each segment keeps one colour across all charts (`segmentColors`).
 */
import * as Plot from '@observablehq/plot';
import type { Markish, PlotOptions } from '@observablehq/plot';
import { truncateLabel } from './chart-plot';
import { formatCompact, formatFigure, formatPercent as formatPercentIntl } from '../i18n/format';
import type { DecileRow, LorenzPoint, RfmGridRow, RfmHistogramBin, RfmSummaryRow, TopShareRow } from '../segment/rfm-views';
import { builtinKeyOf, segmentLabel } from '../segment/builtin-names';
import { UNASSIGNED } from '../segment/rfm-rules';

/**
 * Fixed colours of the built-in segments and types, by key: greens for the best, blues for the
 * new, warm for those slipping, greys for the gone.
 */
export const DEFAULT_SEGMENT_COLORS: Readonly<Record<string, string>> = {
  'rfm.seg.champions': '#17693a',
  'rfm.seg.loyal': '#3f9a5c',
  'rfm.seg.potentialLoyalist': '#8cc07a',
  'rfm.seg.new': '#2f6fb8',
  'rfm.seg.promising': '#7fb2e0',
  'rfm.seg.needAttention': '#e0b02a',
  'rfm.seg.aboutToSleep': '#ef8a47',
  'rfm.seg.atRisk': '#d6453d',
  'rfm.seg.cantLose': '#8e1f3b',
  'rfm.seg.hibernating': '#a7aebb',
  'rfm.seg.lost': '#5c6577',
  'rfm.seg.unassigned': '#e3e3e3',
  'rfm8.type.importantValue': '#17693a',
  'rfm8.type.importantDevelop': '#2f6fb8',
  'rfm8.type.importantRetain': '#e0a020',
  'rfm8.type.importantWinBack': '#d6453d',
  'rfm8.type.generalValue': '#8cc07a',
  'rfm8.type.generalDevelop': '#7fb2e0',
  'rfm8.type.generalRetain': '#f2cf86',
  'rfm8.type.generalWinBack': '#a7aebb',
};

/** Colours for segments the user adds or renames, in order. */
const EXTRA_COLORS = ['#7a3fb0', '#1aa5b8', '#b8a11a', '#d45fa6', '#8c5a3c', '#4b4fc4', '#5fae9e', '#c26b2f'];

/** The fixed colour of a built-in segment, by its key or its name in any language; undefined for other names. */
export function defaultSegmentColor(name: string): string | undefined {
  const key = builtinKeyOf(name);
  return key ? DEFAULT_SEGMENT_COLORS[key] : undefined;
}

/**
 * One colour per segment name (as shown): a built-in segment's own colour, else the next of a
 * fixed palette (by order); 'Unassigned' (as shown) is always included.
 */
export function segmentColors(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let next = 0;
  for (const name of names) {
    if (name in out) continue;
    out[name] = defaultSegmentColor(name) ?? EXTRA_COLORS[next++ % EXTRA_COLORS.length];
  }
  const unassigned = segmentLabel(UNASSIGNED);
  if (!(unassigned in out)) out[unassigned] = DEFAULT_SEGMENT_COLORS[UNASSIGNED];
  return out;
}

/** Black or white, whichever reads better on `hex` (#rrggbb). */
export function textColorOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#1d2330';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.36 ? '#1d2330' : '#ffffff';
}

/** The words the charts show; the page fills them from its catalogue. */
export interface RfmPlotText {
  customers: string;
  revenue: string;
  shareCustomers: string;
  shareRevenue: string;
  avgMonetary: string;
  rAxis: string;
  fAxis: string;
  /** "{n} customers" */
  customersN: (n: string) => string;
  /** "avg {value}" under a grid cell's count */
  avgShort: (value: string) => string;
  /** "mostly {segment} ({share})" */
  mostly: (segment: string, share: string) => string;
  /** "R {r} · F {f}" */
  cellTitle: (r: number, f: number) => string;
  paretoX: string;
  paretoY: string;
  equality: string;
  /** "top {pct}: {share}" */
  topLabel: (pct: string, share: string) => string;
  /** "top {customers} bring {revenue} of revenue" */
  paretoTip: (customers: string, revenue: string) => string;
  decileAxis: string;
  /** tick label of decile 1 ("1 (top)") */
  topDecile: string;
  /** "{from} – {to}" value range of a decile or bin */
  range: (from: string, to: string) => string;
}

/** Common sizing of the RFM charts. */
export interface RfmPlotSize {
  width: number;
}

const INK = '#1d2330';
const MUTED = '#5c6577';
const LINE = '#dfe3ea';
const ACCENT = '#2f5fd0';
const CHAR_PX = 6.5;

/**
 * Numbers for labels and figures shown alone, in the interface language: grouped below 10,000
 * (12.5, 9,870), compact above (12.3K, 1.5M; 1.23万, 4.5亿). Tables use `formatFull`.
 */
export function formatNumber(n: number | null | undefined): string {
  return formatFigure(n);
}

/** A fraction of 1 as a percentage: 0.236 -> '24%', 0.0142 -> '1.4%', 0.0004 -> '0.04%'. */
export function formatPercent(v: number | null | undefined): string {
  return formatPercentIntl(v);
}

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w * CHAR_PX;
}

/** One number style for all ticks of an axis: compact (5K, 10K) when any tick reaches 10,000. */
function axisFormat(ticks: number[]): (v: number) => string {
  return ticks.some((v) => Math.abs(v) >= 10_000) ? (v) => formatCompact(v) : (v) => formatNumber(v);
}

/** About `count` round tick values (steps of 1, 2 or 5 x 10^k, chosen as d3 does) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const e = raw / power;
  const step = (e >= Math.sqrt(50) ? 10 : e >= Math.sqrt(10) ? 5 : e >= Math.sqrt(2) ? 2 : 1) * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Share of customers (left, light) against share of revenue (right, full colour) per segment, one
 * row per segment in the summary's order, with the percentages written at the bar ends.
 */
export function segmentShareOptions(rows: readonly RfmSummaryRow[], colors: Record<string, string>, text: RfmPlotText, size: RfmPlotSize): PlotOptions {
  const data = rows.map((r) => ({ ...r, pc: r.pct_customers ?? 0, pr: r.pct_revenue ?? 0 }));
  const names = data.map((r) => r.segment);
  const maxC = Math.max(0.01, ...data.map((r) => r.pc));
  const maxR = Math.max(0.01, ...data.map((r) => r.pr));
  const widest = Math.max(40, ...names.map((n) => textWidth(truncateLabel(n, 24))));
  const marginLeft = widest + 12;
  const marginRight = 10;
  // Room for the percentage labels beyond the longest bar on each side, in data units.
  const LABEL_PX = 42;
  const perUnit = Math.max(1, size.width - marginLeft - marginRight - 2 * LABEL_PX) / (maxC + maxR);
  const pad = LABEL_PX / perUnit;
  const title = (r: (typeof data)[number]) =>
    `${r.segment}\n${text.customers}: ${formatNumber(r.customers)} (${formatPercent(r.pct_customers)})\n${text.revenue}: ${formatNumber(r.revenue)} (${formatPercent(r.pct_revenue)})`;
  return {
    width: size.width,
    height: Math.max(140, names.length * 26 + 56),
    marginLeft,
    marginRight,
    marginTop: 28,
    x: {
      domain: [-(maxC + pad), maxR + pad],
      label: null,
      tickFormat: (v: number) => formatPercent(Math.abs(v)),
      ticks: 6,
      grid: true,
    },
    y: { domain: names, label: null, tickFormat: (d: string) => truncateLabel(d, 24), tickSize: 0 },
    color: { type: 'ordinal', domain: Object.keys(colors), range: Object.values(colors) },
    marks: [
      Plot.barX(data, { x: (r: (typeof data)[number]) => -r.pc, y: 'segment', fill: 'segment', fillOpacity: 0.4, insetTop: 3, insetBottom: 3 }),
      Plot.barX(data, { x: 'pr', y: 'segment', fill: 'segment', insetTop: 3, insetBottom: 3 }),
      Plot.text(data, { x: (r: (typeof data)[number]) => -r.pc, y: 'segment', text: (r: (typeof data)[number]) => formatPercent(r.pc), textAnchor: 'end', dx: -4, fill: MUTED }),
      Plot.text(data, { x: 'pr', y: 'segment', text: (r: (typeof data)[number]) => formatPercent(r.pr), textAnchor: 'start', dx: 4, fill: INK, fontWeight: 600 }),
      Plot.ruleX([0], { stroke: INK }),
      Plot.text([text.shareCustomers], { frameAnchor: 'top-left', dy: -20, fill: MUTED }),
      Plot.text([text.shareRevenue], { frameAnchor: 'top-right', dy: -20, fill: INK, fontWeight: 600 }),
      Plot.tip(data, Plot.pointerY({ x: 'pr', y: 'segment', title })),
    ],
  };
}

/**
 * The 5 x 5 grid of R (rows, 5 at the top) by F (columns): each cell coloured by its main segment,
 * with its customer count and average monetary value written in it; empty cells are outlined.
 */
export function rfmGridOptions(rows: readonly RfmGridRow[], colors: Record<string, string>, text: RfmPlotText, size: RfmPlotSize): PlotOptions {
  const filled = rows.filter((r) => r.customers > 0 && r.segment !== null);
  const empty = rows.filter((r) => !(r.customers > 0 && r.segment !== null));
  const present = Object.keys(colors).filter((name) => filled.some((r) => r.segment === name));
  const ink = (r: RfmGridRow) => textColorOn(colors[r.segment ?? ''] ?? '#ffffff');
  const title = (r: RfmGridRow) =>
    [
      text.cellTitle(r.r_score, r.f_score),
      text.customersN(formatNumber(r.customers)),
      ...(r.segment ? [text.mostly(r.segment, formatPercent(r.segment_share))] : []),
      ...(r.avg_monetary !== null ? [`${text.avgMonetary}: ${formatNumber(r.avg_monetary)}`] : []),
    ].join('\n');
  const width = Math.min(size.width, 560);
  return {
    width,
    height: Math.round(Math.min(width - 60, 400) * 0.8) + 70,
    marginLeft: 52,
    marginBottom: 44,
    padding: 0.04,
    x: { type: 'band', domain: [1, 2, 3, 4, 5], label: text.fAxis, labelAnchor: 'center', labelOffset: 34, tickSize: 0 },
    y: { type: 'band', domain: [5, 4, 3, 2, 1], label: text.rAxis, labelAnchor: 'center', labelOffset: 40, tickSize: 0 },
    color: { type: 'ordinal', domain: present, range: present.map((n) => colors[n]), legend: true },
    marks: [
      Plot.cell(empty, { x: 'f_score', y: 'r_score', fill: '#ffffff', stroke: LINE }),
      Plot.cell(filled, { x: 'f_score', y: 'r_score', fill: 'segment', rx: 3 }),
      Plot.text(filled, { x: 'f_score', y: 'r_score', text: (r: RfmGridRow) => formatNumber(r.customers), dy: -7, fontSize: 13, fontWeight: 700, fill: ink }),
      Plot.text(filled, { x: 'f_score', y: 'r_score', text: (r: RfmGridRow) => (r.avg_monetary === null ? '' : text.avgShort(formatNumber(Math.round(r.avg_monetary)))), dy: 9, fontSize: 10, fill: ink }),
      Plot.text(empty, { x: 'f_score', y: 'r_score', text: () => '0', fill: '#9aa3b2' }),
      Plot.tip(rows as RfmGridRow[], Plot.pointer({ x: 'f_score', y: 'r_score', title })),
    ],
  };
}

/** Options of a histogram: the axis title, the bar colour, and whether values are whole numbers. */
export interface HistogramStyle {
  label: string;
  color: string;
  integer: boolean;
  /** Where high starts or ends (the 8-type model's threshold), drawn as a dashed line when inside the axis. */
  reference?: number | null;
}

/**
 * A histogram of folded bins (`rfmHistogramSql`): the regular bins on a linear axis and the
 * overflow bin drawn as one more bar of the same width past a small gap, labelled with its lower
 * bound (e.g. "≥ 70"); tooltips give each bin's true range and count.
 */
export function histogramOptions(bins: readonly RfmHistogramBin[], style: HistogramStyle, text: RfmPlotText, size: RfmPlotSize): PlotOptions {
  const regular = bins.filter((b) => !b.overflow);
  const overflow = bins.find((b) => b.overflow);
  const lo = regular.length ? regular[0].bin_start : 0;
  const hi = regular.length ? regular[regular.length - 1].bin_end : 1;
  const step = regular.length ? Math.max(regular[0].bin_end - regular[0].bin_start, (hi - lo) / 20) : 1;
  const extra = overflow ? { ...overflow, x1: hi + step * 0.6, x2: hi + step * 1.6 } : null;
  const data = [...regular.map((b) => ({ ...b, x1: b.bin_start, x2: b.bin_end })), ...(extra ? [extra] : [])];
  const rangeText = (b: RfmHistogramBin) => {
    if (b.overflow) return style.integer ? `≥ ${formatNumber(b.bin_start)}` : `> ${formatNumber(b.bin_start)}`;
    return style.integer && b.bin_end - b.bin_start === 1 ? formatNumber(b.bin_start) : text.range(formatNumber(b.bin_start), formatNumber(style.integer ? b.bin_end - 1 : b.bin_end));
  };
  const title = (b: RfmHistogramBin) => `${rangeText(b)}\n${text.customersN(formatNumber(b.customers))}`;
  const right = extra ? extra.x2 : hi;
  const ticks = niceTicks(lo, hi, Math.max(3, Math.floor(size.width / 55))).filter((v) => !style.integer || Number.isInteger(v));
  const marks: Markish[] = [
    Plot.rectY(data, { x1: 'x1', x2: 'x2', y: 'customers', fill: (b: RfmHistogramBin) => (b.overflow ? '#9aa3b2' : style.color), insetLeft: 0.5, insetRight: 0.5 }),
    Plot.ruleY([0]),
    Plot.tip(data, Plot.pointerX({ x1: 'x1', x2: 'x2', y: 'customers', title })),
  ];
  if (extra) {
    marks.push(Plot.text([extra], { x: (b: typeof extra) => (b.x1 + b.x2) / 2, y: 'customers', text: rangeText, dy: -8, fill: MUTED, fontSize: 10 }));
  }
  const ref = style.reference;
  if (ref !== null && ref !== undefined && Number.isFinite(ref) && ref >= lo && ref <= hi) {
    marks.push(Plot.ruleX([ref], { stroke: '#1d2330', strokeWidth: 1.5, strokeDasharray: '4,3' }));
  }
  return {
    width: size.width,
    height: 200,
    marginLeft: 48,
    marginTop: 22,
    marginBottom: 40,
    x: { domain: [lo, right], ticks, tickFormat: axisFormat(ticks), label: style.label, labelAnchor: 'center' },
    y: { label: text.customers, grid: true, tickFormat: (v: number) => formatNumber(v), ticks: 4 },
    marks,
  };
}

/**
 * The Pareto curve: share of revenue (y) brought by the top share of customers (x, highest
 * revenue first), against the diagonal of equal spend, with the top 1/5/10/20 % marked.
 */
export function paretoOptions(points: readonly LorenzPoint[], tops: readonly TopShareRow[], text: RfmPlotText, size: RfmPlotSize): PlotOptions {
  const data = points.filter((p) => p.share_customers !== null && p.share_revenue !== null) as (LorenzPoint & { share_customers: number; share_revenue: number })[];
  const marked = tops
    .filter((t) => t.share_revenue !== null)
    .map((t) => ({ x: t.pct / 100, y: t.share_revenue as number, label: text.topLabel(`${t.pct}%`, formatPercent(t.share_revenue)) }));
  const width = Math.min(size.width, 520);
  const height = Math.min(360, Math.round(width * 0.72));
  const [marginLeft, marginRight, marginTop, marginBottom] = [48, 16, 20, 40];
  // The angle of the diagonal on screen, so its label runs along it.
  const angle = -Math.atan((height - marginTop - marginBottom) / (width - marginLeft - marginRight)) * (180 / Math.PI);
  return {
    width,
    height,
    marginLeft,
    marginRight,
    marginTop,
    marginBottom,
    x: { domain: [0, 1], label: text.paretoX, labelAnchor: 'center', tickFormat: (v: number) => formatPercent(v), grid: true },
    y: { domain: [0, 1], label: text.paretoY, tickFormat: (v: number) => formatPercent(v), grid: true },
    marks: [
      Plot.line([[0, 0], [1, 1]], { stroke: '#9aa3b2', strokeDasharray: '4 3' }),
      Plot.text([{ x: 0.62, y: 0.62 }], { x: 'x', y: 'y', text: () => text.equality, rotate: angle, dy: 10, fill: MUTED, fontSize: 10 }),
      Plot.areaY(data, { x: 'share_customers', y: 'share_revenue', fill: ACCENT, fillOpacity: 0.08 }),
      Plot.line(data, { x: 'share_customers', y: 'share_revenue', stroke: ACCENT, strokeWidth: 2 }),
      Plot.dot(marked, { x: 'x', y: 'y', fill: ACCENT, r: 3.5 }),
      Plot.text(marked, { x: 'x', y: 'y', text: 'label', textAnchor: 'start', dx: 7, dy: 6, fill: INK, fontSize: 10.5 }),
      Plot.tip(data, Plot.pointerX({ x: 'share_customers', y: 'share_revenue', title: (p: LorenzPoint) => text.paretoTip(formatPercent(p.share_customers), formatPercent(p.share_revenue)) })),
    ],
  };
}

/** Share of revenue per customer decile (1 = the top 10 %), the share written over each bar. */
export function decilesOptions(rows: readonly DecileRow[], text: RfmPlotText, size: RfmPlotSize): PlotOptions {
  const title = (d: DecileRow) =>
    `${d.decile === 1 ? text.topDecile : d.decile}\n${text.customersN(formatNumber(d.customers))}\n${text.revenue}: ${formatNumber(d.revenue)} (${formatPercent(d.share_revenue)})\n${text.range(formatNumber(d.min_value), formatNumber(d.max_value))}`;
  const max = Math.max(0.01, ...rows.map((d) => d.share_revenue ?? 0));
  return {
    width: Math.min(size.width, 520),
    height: 240,
    marginLeft: 48,
    marginTop: 22,
    marginBottom: 40,
    x: { type: 'band', domain: rows.map((d) => d.decile), label: text.decileAxis, labelAnchor: 'center', tickFormat: (d: number) => (d === 1 ? text.topDecile : String(d)), tickSize: 0 },
    y: { domain: [0, max * 1.15], label: text.shareRevenue, tickFormat: (v: number) => formatPercent(v), grid: true, ticks: 4 },
    marks: [
      Plot.barY(rows as DecileRow[], { x: 'decile', y: (d: DecileRow) => d.share_revenue ?? 0, fill: ACCENT, fillOpacity: (d: DecileRow) => (d.decile === 1 ? 1 : 0.65), insetLeft: 2, insetRight: 2 }),
      Plot.text(rows as DecileRow[], { x: 'decile', y: (d: DecileRow) => d.share_revenue ?? 0, text: (d: DecileRow) => formatPercent(d.share_revenue), dy: -7, fill: INK, fontSize: 10 }),
      Plot.ruleY([0]),
      Plot.tip(rows as DecileRow[], Plot.pointerX({ x: 'decile', y: (d: DecileRow) => d.share_revenue ?? 0, title })),
    ],
  };
}
