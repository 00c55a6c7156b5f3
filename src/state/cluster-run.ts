/**
 * Running a cluster cell: checks the source and columns, then the worker task reads the features
 * (they stay in the worker), sweeps k when the sweep for these settings and data is not known yet,
 * runs k-means with the cell's seed (cancellable, with progress) and stores the labels; the cell's
 * view joins ids, clusters, names and features, and only summaries come to the page.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import type { ClusterFeatureArg, ClusterTaskArgs, ClusterTaskResult } from '../../workers/tasks/cluster-task';
import type { SweepResult } from '../../workers/cluster/sweep';
import { tableToObjects } from '../lib/arrow-rows';
import { t, type MessageKey } from '../lib/i18n';
import { isNumericType, MAX_CATEGORY_VALUES, newClusterCell, type ClusterCell } from '../lib/notebook/cells-cluster';
import { ident, str } from '../lib/sql/quote';
import { runToView, type CellKindRuntime, type CellRunContext } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';
import { segmentRegistry } from './segment-registry.svelte';
import { grainSql, repeatsCustomers, type GrainCheck } from '../lib/segment/grain';
import { looksLikeRfmResult } from '../lib/segment/rfm-views';

/** The worker task's name (see workers/tasks/cluster-task.ts). */
const CLUSTER_TASK = 'cluster-kmeans';
/** Rows the silhouette of each k is computed on. */
export const SILHOUETTE_SAMPLE = 2000;
/** Most points sent to the page for the map. */
export const MAP_POINTS = 3000;
const MAX_ITER = 100;
const TOL = 1e-4;

/** A cell that cannot run as set up; the message lists what to change, one problem a line. */
export class ClusterInputError extends Error {
  override name = 'ClusterInputError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Cluster against RFM segment counts. */
export interface ClusterCrossTab {
  view: string;
  segments: string[];
  /** counts[c][s]: rows of cluster c + 1 in segment s. */
  counts: number[][];
}

/** Everything a cluster run shows. */
export interface ClusterResult {
  view: string;
  rows: number;
  columns: ColumnInfo[];
  fit: ClusterTaskResult;
  sweep: SweepResult | null;
  /** Whether k is the sweep's suggestion (the cell has no k of its own). */
  kAuto: boolean;
  /** Effective name per cluster (the user's, else the generated one). */
  names: string[];
  valueColumn: string | null;
  crossTab: ClusterCrossTab | null;
  elapsedMs: number;
  sql: string;
}

function workTables(cellId: string): { input: string; labels: string } {
  return { input: `__segnote_cluster_${cellId}_in`, labels: `__segnote_cluster_${cellId}_labels` };
}

async function rows<T>(engine: EngineState, sql: string): Promise<T[]> {
  const { table } = await engine.track(engine.client.query(sql));
  return tableToObjects(table) as unknown as T[];
}

const find = (tables: TablesState, name: string) => tables.relations.find((r) => r.name.toLowerCase() === name.toLowerCase());

/** Problems with the cell's settings judged from the column types (empty when it can run). */
export function clusterSetupProblems(cell: ClusterCell, tables: TablesState): string[] {
  if (!cell.source) return [t('cl.err.noSource')];
  const rel = find(tables, cell.source);
  if (!rel) return [t('cl.err.missingSource', { name: cell.source })];
  const col = (n: string) => rel.columns.find((c) => c.name === n);
  const problems: string[] = [];
  if (!cell.idColumn || !col(cell.idColumn)) problems.push(t('cl.err.noId', { name: cell.idColumn || '–', source: rel.name }));
  if (cell.features.length === 0 && cell.categories.length === 0) problems.push(t('cl.err.noFeatures'));
  for (const f of cell.features) {
    const c = col(f.name);
    if (!c) problems.push(t('cl.err.missingFeature', { name: f.name, source: rel.name }));
    else if (!isNumericType(c.type)) problems.push(t('cl.err.notNumeric', { name: f.name, type: c.type }));
    else if (f.name === cell.idColumn) problems.push(t('cl.err.idFeature', { name: f.name }));
  }
  for (const name of cell.categories) {
    if (!col(name)) problems.push(t('cl.err.missingFeature', { name, source: rel.name }));
    else if (name === cell.idColumn) problems.push(t('cl.err.idFeature', { name }));
    else if (cell.features.some((f) => f.name === name)) problems.push(t('cl.err.bothKinds', { name }));
  }
  if (cell.k !== null && (!Number.isInteger(cell.k) || cell.k < 1 || cell.k > 50)) problems.push(t('cl.err.k', { k: String(cell.k) }));
  if (!(cell.kMin >= 2 && cell.kMax >= cell.kMin && cell.kMax <= 50)) problems.push(t('cl.err.range', { from: cell.kMin, to: cell.kMax }));
  if (!Number.isSafeInteger(cell.seed) || cell.seed < 0) problems.push(t('cl.err.seed'));
  return problems;
}

/** A monetary column of the source, for revenue shares: "monetary", else the first feature that looks like money. */
export function valueColumnOf(cell: ClusterCell, columns: readonly ColumnInfo[]): string | null {
  const numeric = columns.filter((c) => isNumericType(c.type));
  return (
    numeric.find((c) => c.name === 'monetary')?.name ??
    cell.features.find((f) => /monetary|revenue|spend|amount|sales/i.test(f.name) && numeric.some((c) => c.name === f.name))?.name ??
    null
  );
}

/** The RFM view to cross-tabulate against: the source itself when it has segments, else the first RFM result (scores or 8 types) keyed by the same id. */
export function segmentViewOf(cell: ClusterCell, tables: TablesState): string | null {
  const isRfm = (cols: ColumnInfo[]) => ['segment', cell.idColumn].every((n) => cols.some((c) => c.name === n));
  const source = find(tables, cell.source);
  if (source && isRfm(source.columns)) return source.name;
  const rfm = tables.relations.find((r) => r.name.toLowerCase() !== cell.name.toLowerCase() && isRfm(r.columns) && looksLikeRfmResult(r.columns));
  return rfm?.name ?? null;
}

// Sweeps by settings and data fingerprint: choosing another k does not sweep again.
const sweeps = new Map<string, SweepResult>();

/** Catalogue keys of the task's phases that need no figures. */
const PHASE_NOTES: Record<string, MessageKey> = { read: 'cl.progress.read', summaries: 'cl.progress.summaries', store: 'cl.progress.store' };

/** A progress note of the task in words. */
export function progressNote(note: string | undefined): string {
  const [phase, n] = (note ?? '').split('|');
  if (phase === 'sweep') return t('cl.progress.sweep', { k: n ?? '' });
  if (phase === 'kmeans') return t('cl.progress.kmeans', { iter: n ?? '0' });
  return t(PHASE_NOTES[phase] ?? 'engine.busy');
}

/**
 * The SQL of the cell's view: the task's input and label tables joined, with cluster names, the
 * numeric features and the category columns as they were (the task carries them as c0, c1, ...).
 */
export function clusterViewSql(cell: Pick<ClusterCell, 'idColumn' | 'features' | 'categories'>, names: readonly string[], input: string, labels: string): string {
  const nameCase = names.map((n, c) => `WHEN ${c + 1} THEN ${str(n)}`).join(' ');
  const features = [
    ...cell.features.map((f, j) => `CASE WHEN isnan(inp.f${j}) THEN NULL ELSE inp.f${j} END AS ${ident(f.name)}`),
    ...cell.categories.map((c, j) => `inp.c${j} AS ${ident(c)}`),
  ];
  return `SELECT inp.id AS ${ident(cell.idColumn)}, l.cluster, CASE l.cluster ${nameCase} END AS cluster_name, ${features.join(', ')}
FROM ${ident(input)} inp JOIN ${ident(labels)} l USING (i)
ORDER BY inp.i`;
}

/** How a category value reads in feature names, cluster names and rules. */
function categoryLabel(value: string | null): string {
  return value === null ? t('msg.cluster.valueEmpty') : value === '' ? t('msg.cluster.valueBlank') : value;
}

/** The most common values of a category column (as text, NULL included), one more than get a feature of their own. */
export function categoryValuesSql(source: string, column: string): string {
  return `SELECT CAST(${ident(column)} AS VARCHAR) AS v, count(*) AS n FROM ${ident(source)} GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT ${MAX_CATEGORY_VALUES + 1}`;
}

/**
 * One-hot features of a category column from its most common values (categoryValuesSql): one per
 * value among the first MAX_CATEGORY_VALUES, plus "(other)" for the rest when there are more.
 */
export function indicatorFeatures(column: string, top: readonly (string | null)[]): ClusterFeatureArg[] {
  const values = top.slice(0, MAX_CATEGORY_VALUES);
  const out: ClusterFeatureArg[] = values.map((v) => {
    const label = categoryLabel(v);
    return { name: `${column} = ${label}`, log: false, indicator: { column, values: [v], other: false, label } };
  });
  if (top.length > MAX_CATEGORY_VALUES) {
    const other = t('msg.cluster.valueOther');
    out.push({ name: `${column} = ${other}`, log: false, indicator: { column, values, other: true, label: other } });
  }
  return out;
}

function taskError(e: unknown): never {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === 'ClusterError' || /ClusterError/.test(err.message)) {
    throw new ClusterInputError([t('cl.err.model', { message: err.message.replace(/^ClusterError:\s*/, '') })]);
  }
  throw err;
}

/** Runs a cluster cell (a plain snapshot); throws ClusterInputError with what to change. */
export async function runClusterCell(cell: ClusterCell, ctx: Pick<CellRunContext, 'engine' | 'tables' | 'previousView' | 'progress'>): Promise<ClusterResult> {
  const { engine, tables } = ctx;
  const t0 = performance.now();
  const problems = clusterSetupProblems(cell, tables);
  if (problems.length) throw new ClusterInputError(problems);
  const rel = find(tables, cell.source)!;
  const valueColumn = valueColumnOf(cell, rel.columns);
  const featureCols = [...cell.features.map((f) => ident(f.name)), ...cell.categories.map(ident)];
  const [print] = await rows<{ n: number; h: string }>(
    engine,
    `SELECT count(*) AS n, CAST(bit_xor(hash(${ident(cell.idColumn)}, ${featureCols.join(', ')})) AS VARCHAR) AS h FROM ${ident(rel.name)}`,
  );
  if (Number(print.n) === 0) throw new ClusterInputError([t('cl.err.noRows', { source: rel.name })]);
  // One row per customer (issue 14): clustering an orders table would cluster orders, not customers.
  const [grain] = await rows<GrainCheck>(engine, grainSql(rel.name, cell.idColumn));
  if (repeatsCustomers(grain)) {
    segmentRegistry.rememberGrain(cell.id, { source: rel.name, rows: Number(grain.rows), customers: Number(grain.customers) });
    throw new ClusterInputError([t('seg.grain.orders', { rows: Number(grain.rows), customers: Number(grain.customers), name: rel.name, id: cell.idColumn })]);
  }
  segmentRegistry.rememberGrain(cell.id, null);
  const sweepKey = JSON.stringify([rel.name, print, cell.idColumn, cell.features, cell.categories, cell.scale, cell.missing, cell.seed, cell.kMin, cell.kMax]);
  const indicators: ClusterFeatureArg[] = [];
  for (const column of cell.categories) {
    const top = await rows<{ v: string | null }>(engine, categoryValuesSql(rel.name, column));
    indicators.push(...indicatorFeatures(column, top.map((r) => r.v)));
  }
  let sweep = sweeps.get(sweepKey) ?? null;
  const work = workTables(cell.id);
  const args: ClusterTaskArgs = {
    source: rel.name,
    idColumn: cell.idColumn,
    features: [...cell.features.map((f) => ({ name: f.name, log: f.log })), ...indicators],
    carry: cell.categories,
    scale: cell.scale,
    missing: cell.missing,
    valueColumn,
    seed: cell.seed,
    k: cell.k ?? sweep?.suggestedK ?? 0,
    maxIter: MAX_ITER,
    tol: TOL,
    sweep: sweep ? null : { kMin: cell.kMin, kMax: cell.kMax, silhouetteSample: SILHOUETTE_SAMPLE },
    treeDepth: cell.treeDepth,
    maxPoints: MAP_POINTS,
    inputTable: work.input,
    labelTable: work.labels,
  };
  let fit: ClusterTaskResult;
  let result;
  let names: string[] = [];
  let sql = '';
  try {
    ctx.progress(null, progressNote('read'));
    try {
      fit = await engine.track(engine.client.runTask<ClusterTaskResult>(CLUSTER_TASK, args, (p) => ctx.progress(p.fraction, progressNote(p.note))));
    } catch (e) {
      taskError(e);
    }
    if (fit.sweep) {
      sweep = fit.sweep;
      sweeps.set(sweepKey, sweep);
    }
    names = fit.names.map((g, c) => cell.names[String(c + 1)]?.trim() || g);
    sql = clusterViewSql(cell, names, work.input, work.labels);
    ctx.progress(null, t('cl.progress.view'));
    result = await engine.track(engine.client.runCell(cell.name, sql, ctx.previousView));
  } finally {
    await engine.track(engine.client.query(`DROP TABLE IF EXISTS ${ident(work.input)}; DROP TABLE IF EXISTS ${ident(work.labels)}`)).catch(() => undefined);
  }
  let crossTab: ClusterCrossTab | null = null;
  const segView = segmentViewOf(cell, tables);
  if (segView) {
    const id = ident(cell.idColumn);
    const counts = await rows<{ cluster: number; segment: string; n: number }>(
      engine,
      `SELECT v.cluster, CAST(s.segment AS VARCHAR) AS segment, count(*) AS n FROM ${ident(cell.name)} v JOIN ${ident(segView)} s ON v.${id} = s.${id} GROUP BY ALL ORDER BY 1, 2`,
    );
    const segments = [...new Set(counts.map((r) => r.segment ?? ''))].sort();
    const grid = fit.sizes.map(() => segments.map(() => 0));
    for (const r of counts) grid[Number(r.cluster) - 1][segments.indexOf(r.segment ?? '')] = Number(r.n);
    if (counts.length) crossTab = { view: segView, segments, counts: grid };
  }
  return {
    view: cell.name,
    rows: result.rows,
    columns: result.columns,
    fit,
    sweep,
    kAuto: cell.k === null,
    names,
    valueColumn,
    crossTab,
    elapsedMs: performance.now() - t0,
    // Shown to the user: the scratch tables under readable names (issue 14: no internal names on screen).
    sql: clusterViewSql(cell, names, 'cluster_inputs', 'cluster_labels'),
  };
}

/** The cluster cell kind. */
export const clusterRuntime: CellKindRuntime<ClusterCell> = {
  kind: 'cluster',
  create: (base, tables) => newClusterCell(base, tables.relations),
  run: runToView(runClusterCell),
  reads(cell) {
    return [cell.source].filter(Boolean);
  },
  renameSource(cell, from, to) {
    if (cell.source.toLowerCase() === from.toLowerCase()) cell.source = to;
  },
  async remove(cell, engine) {
    const work = workTables(cell.id);
    await engine.track(engine.client.query(`DROP TABLE IF EXISTS ${ident(work.input)}; DROP TABLE IF EXISTS ${ident(work.labels)}`)).catch(() => undefined);
  },
};
