/**
 * Lifecycle results -> `Plot.plot` options: the stage shares (customers against revenue, drawn as
 * the RFM segment-share chart) and the repeat buyers' gap ratio by stage with the rule thresholds
 * drawn on it, so the rules can be read off the chart. Pure: no DOM; words come in through `text`.
 */
import * as Plot from '@observablehq/plot';
import type { Markish, PlotOptions } from '@observablehq/plot';
import type { GapRatioBin, LifecycleRules, LifecycleStage, LifecycleSummaryRow } from '../segment/lifecycle-sql';
import { LIFECYCLE_STAGES } from '../segment/lifecycle-sql';
import type { RfmSummaryRow } from '../segment/rfm-views';
import { formatNumber, niceTicks, segmentShareOptions, type RfmPlotSize, type RfmPlotText } from './rfm-plots';

/** One colour per stage: blue for new, greens for the healthy, warm for those slipping, grey for the gone. */
export const STAGE_COLORS: Readonly<Record<LifecycleStage, string>> = {
  new: '#2f6fb8',
  active: '#3f9a5c',
  reactivated: '#8cc07a',
  cooling: '#e0b02a',
  at_risk: '#d6453d',
  lapsed: '#5c6577',
};

/** The words of the lifecycle charts. */
export interface LifecyclePlotText {
  /** The shares chart's words (the RFM chart's). */
  shares: RfmPlotText;
  /** A stage's label. */
  stage: (stage: LifecycleStage) => string;
  /** x axis of the gap chart. */
  gapAxis: string;
  customers: string;
  /** "{n} customers" */
  customersN: (n: string) => string;
  /** "{from}–{to} × usual interval" */
  gapRange: (from: string, to: string | null) => string;
  /** Threshold labels: "cooling > 1.5×" */
  threshold: (stage: LifecycleStage, factor: string) => string;
}

/** Stage labels to colours, for the shares chart (which colours by label). */
export function stageLabelColors(text: Pick<LifecyclePlotText, 'stage'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of LIFECYCLE_STAGES) out[text.stage(s)] = STAGE_COLORS[s];
  return out;
}

/** Share of customers against share of revenue per stage, in stage order. */
export function stageSharesOptions(rows: readonly LifecycleSummaryRow[], text: LifecyclePlotText, size: RfmPlotSize): PlotOptions {
  const asSegments: RfmSummaryRow[] = rows.map((r) => ({
    segment: text.stage(r.stage),
    customers: r.customers,
    pct_customers: r.pct_customers,
    revenue: r.revenue,
    pct_revenue: r.pct_revenue,
    avg_recency: null,
    avg_frequency: null,
    avg_monetary: null,
  }));
  return segmentShareOptions(asSegments, stageLabelColors(text), text.shares, size);
}

/**
 * Repeat buyers by gap ratio (days since the last purchase / their usual interval), stacked by
 * stage, with the cooling, at-risk and lapsed factors drawn as labelled rules; ratios past the
 * chart's cap are one grey-labelled bar after a small gap.
 */
export function gapRatioOptions(bins: readonly GapRatioBin[], rules: LifecycleRules, cap: number, text: LifecyclePlotText, size: RfmPlotSize): PlotOptions {
  const width = bins.length ? Math.max(...bins.map((b) => (b.bin_end ?? b.bin_start) - b.bin_start).filter((w) => w > 0), 0.25) : 0.25;
  const overflowX1 = cap + width * 0.6;
  const order = LIFECYCLE_STAGES.filter((s) => bins.some((b) => b.stage === s));
  // Stacked by hand (stage order within each bin), so the layers never depend on the data order.
  const base = new Map<number, number>();
  const data = [...bins]
    .sort((a, b) => a.bin - b.bin || order.indexOf(a.stage) - order.indexOf(b.stage))
    .map((b) => {
      const y1 = base.get(b.bin) ?? 0;
      base.set(b.bin, y1 + b.customers);
      return {
        ...b,
        x1: b.overflow ? overflowX1 : b.bin_start,
        x2: b.overflow ? overflowX1 + width * 1.2 : (b.bin_end as number),
        y1,
        y2: y1 + b.customers,
        label: text.stage(b.stage),
      };
    });
  const thresholds = [
    { stage: 'cooling' as const, x: rules.coolingFactor },
    { stage: 'at_risk' as const, x: rules.atRiskFactor },
    { stage: 'lapsed' as const, x: rules.lapsedFactor },
  ].filter((r) => r.x <= cap);
  const ticks = niceTicks(0, cap, Math.max(3, Math.floor(size.width / 60)));
  // A tall folded bar (the long-lapsed) would flatten everything else: cut it off and write its count.
  const stackTop = (overflow: boolean) => Math.max(0, ...[...base].filter(([bin]) => bins.some((b) => b.bin === bin && b.overflow === overflow)).map(([, top]) => top));
  const regularTop = stackTop(false);
  const overflowTop = stackTop(true);
  const cut = regularTop > 0 && overflowTop > 1.5 * regularTop;
  const yMax = cut ? regularTop * 1.3 : Math.max(1, regularTop, overflowTop);
  const title = (d: (typeof data)[number]) => `${d.label}\n${text.gapRange(formatNumber(d.bin_start), d.overflow ? null : formatNumber(d.bin_end))}\n${text.customersN(formatNumber(d.customers))}`;
  const marks: Markish[] = [
    Plot.rect(data, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'label', insetLeft: 0.5, insetRight: 0.5, title, clip: true }),
    Plot.ruleY([0]),
    Plot.ruleX(thresholds, { x: 'x', stroke: (r: (typeof thresholds)[number]) => STAGE_COLORS[r.stage], strokeWidth: 1.5, strokeDasharray: '4 3' }),
    // One label a line, so neighbouring factors (1.5x, 2.5x) never overlap.
    ...thresholds.map((r, i) =>
      Plot.text([r], { x: 'x', frameAnchor: 'top', text: () => text.threshold(r.stage, formatNumber(r.x)), textAnchor: 'start', dx: 3, dy: -34 + 12 * i, fill: STAGE_COLORS[r.stage], fontSize: 10.5, fontWeight: 600 }),
    ),
  ];
  if (cut) {
    marks.push(Plot.text([{ x: overflowX1 + width * 0.6 }], { x: 'x', frameAnchor: 'top', text: () => `${formatNumber(overflowTop)} ↑`, dy: 8, fill: '#ffffff', fontSize: 10, fontWeight: 700 }));
  }
  if (data.some((d) => d.overflow)) {
    marks.push(Plot.text([{ x: overflowX1 + width * 0.6 }], { x: 'x', frameAnchor: 'bottom', text: () => `> ${formatNumber(cap)}`, dy: 14, fill: '#5c6577', fontSize: 10 }));
  }
  return {
    width: size.width,
    height: 250,
    marginLeft: 48,
    marginTop: 46,
    marginBottom: 40,
    marginRight: 16,
    x: { domain: [0, data.some((d) => d.overflow) ? overflowX1 + width * 1.2 : cap], ticks, tickFormat: (v: number) => formatNumber(v), label: text.gapAxis, labelAnchor: 'center' },
    y: { domain: [0, yMax], label: text.customers, grid: true, ticks: 4, tickFormat: (v: number) => formatNumber(v) },
    color: { type: 'ordinal', domain: order.map((s) => text.stage(s)), range: order.map((s) => STAGE_COLORS[s]), legend: true },
    marks,
  };
}
