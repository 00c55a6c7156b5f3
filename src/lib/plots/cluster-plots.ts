/**
 * Cluster results -> `Plot.plot` options: the sweep over k (inertia for the elbow, silhouette), the
 * 2-D PCA map coloured by cluster, and the heat map of standardised cluster means. Pure: no DOM.
 */
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { RAMP_LEGEND_MARGINS, widthInLatin } from './chart-plot';
import { t } from '../i18n';

const INK = '#1d2330';
const ACCENT = '#2f5fd0';
const HIGHLIGHT = '#d9480f';

/** Colours of clusters 1..k (a categorical palette that stays readable up to ~12). */
export const CLUSTER_COLORS = ['#2f5fd0', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#e67700', '#5c940d', '#862e9c', '#a61e4d', '#1864ab', '#5f3dc4'];

/** The colour of cluster `c` (1-based). */
export function clusterColor(c: number): string {
  return CLUSTER_COLORS[(c - 1) % CLUSTER_COLORS.length];
}

/** Size of a chart. */
export interface ClusterPlotSize {
  width: number;
  height?: number;
}

/** One k of a sweep. */
export interface SweepPointLike {
  k: number;
  inertia: number;
  silhouette: number;
}

/**
 * A line chart of one sweep measure against k, with the chosen k marked (and the suggested one, if
 * different, as a dashed rule).
 */
export function sweepOptions(
  points: readonly SweepPointLike[],
  measure: 'inertia' | 'silhouette',
  label: string,
  chosen: { k: number; suggested: number },
  size: ClusterPlotSize,
): PlotOptions {
  const data = points.map((p) => ({ k: p.k, value: p[measure] }));
  const at = data.find((p) => p.k === chosen.k);
  return {
    width: size.width,
    height: size.height ?? 200,
    marginLeft: 56,
    x: { label: 'k', ticks: data.map((p) => p.k), tickFormat: 'd' },
    y: { label, grid: true, nice: true, zero: measure === 'inertia' },
    marks: [
      ...(chosen.suggested !== chosen.k ? [Plot.ruleX([chosen.suggested], { stroke: HIGHLIGHT, strokeDasharray: '4,3' })] : []),
      Plot.line(data, { x: 'k', y: 'value', stroke: ACCENT }),
      Plot.dot(data, { x: 'k', y: 'value', fill: ACCENT, r: 3, title: (p: { k: number; value: number }) => `k = ${p.k}: ${p.value.toPrecision(4)}` }),
      ...(at ? [Plot.dot([at], { x: 'k', y: 'value', r: 6, stroke: HIGHLIGHT, strokeWidth: 2 })] : []),
    ],
  };
}

/** Points of the map as the worker sends them. */
export interface MapPoints {
  explained: number[];
  x: number[];
  y: number[];
  cluster: number[];
}

/** Rows of the map for Plot: one object per point with its cluster's name. */
export function mapRows(map: MapPoints, names: readonly string[]): { x: number; y: number; cluster: number; name: string }[] {
  return map.x.map((x, i) => ({ x, y: map.y[i], cluster: map.cluster[i], name: `${map.cluster[i]}. ${names[map.cluster[i] - 1] ?? ''}` }));
}

/** The 2-D PCA map: a dot per sampled row, coloured by cluster; axis labels carry the explained variance. */
export function mapOptions(map: MapPoints, names: readonly string[], axisLabel: (axis: number, share: string) => string, size: ClusterPlotSize): PlotOptions {
  const rows = mapRows(map, names);
  const domain = names.map((n, c) => `${c + 1}. ${n}`);
  const share = (i: number) => `${Math.round((map.explained[i] ?? 0) * 1000) / 10}%`;
  return {
    width: size.width,
    height: size.height ?? 360,
    x: { label: axisLabel(1, share(0)), grid: true },
    y: { label: axisLabel(2, share(1)), grid: true },
    color: { domain, range: domain.map((_, c) => clusterColor(c + 1)), legend: true },
    marks: [Plot.dot(rows, { x: 'x', y: 'y', fill: 'name', r: 2, fillOpacity: 0.6 })],
  };
}

/** The heat map: clusters by features, coloured by standardised mean, labelled with the mean in original units. */
export function heatmapOptions(
  stdMeans: readonly (readonly number[])[],
  means: readonly (readonly number[])[],
  features: readonly string[],
  names: readonly string[],
  format: (v: number, feature: number) => string,
  size: ClusterPlotSize,
): PlotOptions {
  const rows = stdMeans.flatMap((row, c) =>
    row.map((z, j) => ({ cluster: `${c + 1}. ${names[c] ?? ''}`, feature: features[j], z: Number.isFinite(z) ? z : 0, label: format(means[c][j], j) })),
  );
  const extent = Math.max(1, ...rows.map((r) => Math.abs(r.z)));
  // Many or long feature names (one-hot categories) are slanted so that they do not overlap.
  const longest = Math.max(...features.map((f) => widthInLatin(f)), 1);
  const slant = features.length > 1 && (size.width / features.length) < 7 * longest;
  const top = slant ? Math.min(170, 16 + 5 * longest) : 30;
  return {
    width: size.width,
    height: size.height ?? Math.max(120, 36 * stdMeans.length + 20 + top),
    marginTop: top,
    // A slanted label runs right of its column: room for the last one.
    ...(slant ? { marginRight: Math.min(140, 4 * longest) } : {}),
    marginLeft: Math.min(260, 12 + 7 * Math.max(...names.map((n, c) => widthInLatin(`${c + 1}. ${n}`)), 6)),
    x: { label: null, axis: 'top', domain: [...features], ...(slant ? { tickRotate: -35 } : {}) },
    y: { label: null, domain: names.map((n, c) => `${c + 1}. ${n}`) },
    color: { type: 'diverging', scheme: 'RdBu', domain: [extent, -extent], legend: true, ...RAMP_LEGEND_MARGINS, label: t('msg.plot.sigmaFromMean') },
    marks: [
      Plot.cell(rows, { x: 'feature', y: 'cluster', fill: 'z', inset: 1 }),
      Plot.text(rows, { x: 'feature', y: 'cluster', text: 'label', fill: (r: { z: number }) => (Math.abs(r.z) > extent * 0.6 ? 'white' : INK) }),
    ],
  };
}
