/**
 * Segment movement -> a two-column flow chart (Sankey-like): each segment at the first date is a
 * bar on the left, each at the second date a bar on the right, sized by customers, and every flow
 * a band between them as wide as its customers, coloured by where it came from. Drawn with Plot
 * rect, link and text marks on a pixel y scale; `flowLayout` is the pure layout the tests check.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import type { MovementFlow } from '../segment/movement-sql';
import { formatNumber, formatPercent } from './rfm-plots';
import { widthInLatin } from './chart-plot';

const INK = '#1d2330';
const MUTED = '#5c6577';
const NODE_W = 0.035;
const CHAR_PX = 6.5;

/** A bar of the flow chart. */
/** What the matrix and the flow chart both draw: the flows, the rows (first date) and columns (second date) in order, and a colour per segment. */
export interface MovementAxesView {
  flows: MovementFlow[];
  rows: string[];
  columns: string[];
  colors: Record<string, string>;
}

export interface FlowNode {
  side: 'from' | 'to';
  segment: string;
  customers: number;
  y0: number;
  y1: number;
}

/** A band of the flow chart: its flow, and where it leaves and enters (band centres and width, in px). */
export interface FlowLink extends MovementFlow {
  /** Index in the flows given to `flowLayout`. */
  index: number;
  ySource: number;
  yTarget: number;
  width: number;
}

/** The layout of a flow chart. */
export interface FlowLayout {
  nodes: FlowNode[];
  links: FlowLink[];
  /** Pixels per customer. */
  unit: number;
  total: number;
}

/**
 * Stacks the segments of each side top to bottom in `rows` / `columns` order with `gap` px
 * between them over `height` px, and places each flow's band inside its source bar (ordered by
 * target) and its target bar (ordered by source), so bands never cross inside a bar.
 */
export function flowLayout(flows: readonly MovementFlow[], rows: readonly string[], columns: readonly string[], height: number, gap = 8): FlowLayout {
  const total = flows.reduce((s, f) => s + f.customers, 0);
  const count = (side: 'from' | 'to', seg: string) => flows.reduce((s, f) => s + ((side === 'from' ? f.from_segment : f.to_segment) === seg ? f.customers : 0), 0);
  const fromNames = rows.filter((r) => count('from', r) > 0);
  const toNames = columns.filter((c) => count('to', c) > 0);
  const gaps = gap * Math.max(0, Math.max(fromNames.length, toNames.length) - 1);
  const unit = total > 0 ? Math.max(0, height - gaps) / total : 0;
  const stack = (side: 'from' | 'to', names: string[]): FlowNode[] => {
    let y = 0;
    return names.map((segment) => {
      const customers = count(side, segment);
      const node = { side, segment, customers, y0: y, y1: y + customers * unit };
      y = node.y1 + gap;
      return node;
    });
  };
  const nodes = [...stack('from', fromNames), ...stack('to', toNames)];
  const at = (side: 'from' | 'to', seg: string) => nodes.find((n) => n.side === side && n.segment === seg)!;
  const rank = (names: string[], s: string) => names.indexOf(s);
  const indexed = flows.map((f, index) => ({ ...f, index })).filter((f) => f.customers > 0);
  const sourceCursor = new Map<string, number>();
  const targetCursor = new Map<string, number>();
  const ySource = new Map<number, number>();
  const yTarget = new Map<number, number>();
  for (const f of [...indexed].sort((a, b) => rank(fromNames, a.from_segment) - rank(fromNames, b.from_segment) || rank(toNames, a.to_segment) - rank(toNames, b.to_segment))) {
    const n = at('from', f.from_segment);
    const y = sourceCursor.get(f.from_segment) ?? n.y0;
    ySource.set(f.index, y + (f.customers * unit) / 2);
    sourceCursor.set(f.from_segment, y + f.customers * unit);
  }
  for (const f of [...indexed].sort((a, b) => rank(toNames, a.to_segment) - rank(toNames, b.to_segment) || rank(fromNames, a.from_segment) - rank(fromNames, b.from_segment))) {
    const n = at('to', f.to_segment);
    const y = targetCursor.get(f.to_segment) ?? n.y0;
    yTarget.set(f.index, y + (f.customers * unit) / 2);
    targetCursor.set(f.to_segment, y + f.customers * unit);
  }
  const links = indexed.map((f) => ({ ...f, ySource: ySource.get(f.index)!, yTarget: yTarget.get(f.index)!, width: f.customers * unit }));
  return { nodes, links, unit, total };
}

/** The words of the flow chart. */
export interface MovementPlotText {
  /** A segment's label (translates the new / departed markers and stage keys). */
  label: (segment: string) => string;
  /** Column headings: the two dates. */
  fromTitle: string;
  toTitle: string;
  /** "{n} customers" */
  customersN: (n: string) => string;
  /** "{from} → {to}" */
  flowTitle: (from: string, to: string) => string;
  revenue: string;
}

/**
 * The flow chart. Links are drawn in the order of `layout.links` (one `<path>` each under the
 * link mark's group), so a page can map a click on the n-th path back to its flow; `selected` (a
 * flow index) is drawn stronger.
 */
export function flowOptions(layout: FlowLayout, colors: Record<string, string>, text: MovementPlotText, size: { width: number }, selected: number | null = null): PlotOptions {
  const labelOf = (n: FlowNode) => `${text.label(n.segment)}  ${formatNumber(n.customers)}`;
  const widest = (side: 'from' | 'to') => Math.max(60, ...layout.nodes.filter((n) => n.side === side).map((n) => widthInLatin(labelOf(n)) * CHAR_PX));
  const marginTop = 26;
  const inner = Math.max(...layout.nodes.map((n) => n.y1), 1);
  const colorOf = (seg: string) => colors[seg] ?? '#9aa3b2';
  const share = (n: number) => formatPercent(layout.total > 0 ? n / layout.total : null);
  const linkTitle = (l: FlowLink) => `${text.flowTitle(text.label(l.from_segment), text.label(l.to_segment))}\n${text.customersN(formatNumber(l.customers))} (${share(l.customers)})\n${text.revenue}: ${formatNumber(l.revenue)}`;
  const nodeTitle = (n: FlowNode) => `${text.label(n.segment)}\n${text.customersN(formatNumber(n.customers))} (${share(n.customers)})`;
  // Thin bands stay visible and clickable.
  const stroke = (l: FlowLink) => Math.max(1.5, l.width);
  return {
    width: size.width,
    height: inner + marginTop + 10,
    marginLeft: widest('from') + 10,
    marginRight: widest('to') + 10,
    marginTop,
    marginBottom: 10,
    x: { domain: [0, 1], axis: null },
    y: { domain: [0, inner], range: [marginTop, marginTop + inner], axis: null },
    marks: [
      Plot.link(layout.links, {
        x1: NODE_W,
        x2: 1 - NODE_W,
        y1: 'ySource',
        y2: 'yTarget',
        curve: 'bump-x',
        stroke: (l: FlowLink) => colorOf(l.from_segment),
        strokeOpacity: (l: FlowLink) => (selected === null ? 0.38 : l.index === selected ? 0.85 : 0.2),
        strokeWidth: stroke,
        title: linkTitle,
      }),
      Plot.rect(layout.nodes, {
        x1: (n: FlowNode) => (n.side === 'from' ? 0 : 1 - NODE_W),
        x2: (n: FlowNode) => (n.side === 'from' ? NODE_W : 1),
        y1: 'y0',
        y2: (n: FlowNode) => Math.max(n.y1, n.y0 + 1.5),
        fill: (n: FlowNode) => colorOf(n.segment),
        title: nodeTitle,
      }),
      Plot.text(layout.nodes.filter((n) => n.side === 'from'), { x: 0, y: (n: FlowNode) => (n.y0 + n.y1) / 2, text: labelOf, textAnchor: 'end', dx: -6, fill: INK, fontSize: 11 }),
      Plot.text(layout.nodes.filter((n) => n.side === 'to'), { x: 1, y: (n: FlowNode) => (n.y0 + n.y1) / 2, text: labelOf, textAnchor: 'start', dx: 6, fill: INK, fontSize: 11 }),
      Plot.text([text.fromTitle], { frameAnchor: 'top-left', dy: -18, fill: MUTED, fontWeight: 600 }),
      Plot.text([text.toTitle], { frameAnchor: 'top-right', dy: -18, fill: MUTED, fontWeight: 600 }),
    ],
  };
}
