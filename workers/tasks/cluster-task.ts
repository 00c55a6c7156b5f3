/**
 * The k-means task: reads the id and feature columns of a relation into an internal table keyed by
 * row index, reads the features as typed arrays (they never leave the worker), prepares them
 * (missing values, log1p, standardisation), optionally sweeps k (inertia and silhouette), runs
 * k-means with a visible seed, and stores the per-row cluster as a second internal table. The page
 * joins the two into the cell's view and gets back only summaries: sizes, profiles, generated
 * names, tree rules, the sweep and a sample of at most `maxPoints` rows on the 2-D PCA map.
 *
 * Clusters are numbered 1..k by size (largest first, ties by k-means index), so the same data and
 * seed always give the same numbers.
 */
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { ident, str } from '../../src/lib/sql/quote';
import { ClusterError } from '../cluster/errors';
import { kmeansSteps, type KMeansProgress, type KMeansResult } from '../cluster/kmeans';
import { defaultLocalTrials } from '../cluster/kmeans-init';
import { pca } from '../cluster/pca';
import { applyScale, fitScale, handleMissing, log1pColumn, skewness, suggestLog, toRowMajor } from '../cluster/preprocess';
import { clusterNames, clusterProfiles } from '../cluster/profile';
import { createRng, sampleIndices } from '../cluster/rng';
import { KMeansSpace } from '../cluster/simd/kmeans-space';
import { sweepSteps, type SweepResult } from '../cluster/sweep';
import { fitTree, treeRules } from '../cluster/tree';
import { Pacer, registerTask, type TaskHost } from './registry';
import { t } from '../../src/lib/i18n';

/** The task's name. */
export const CLUSTER_TASK = 'cluster-kmeans';

/** Standardisation of the features ('none' only for inputs that are already standardised, e.g. the benchmark). */
export type ClusterScale = 'zscore' | 'robust' | 'none';

/** What the page sends. */
export interface ClusterTaskArgs {
  /** Relation to read, its id column and its features (log null = as suggested). */
  source: string;
  idColumn: string;
  features: ClusterFeatureArg[];
  /** Columns copied as they are into the input table (c0, c1, ...), for the cell's view. */
  carry?: string[];
  scale: ClusterScale;
  missing: 'drop' | 'median';
  /** A column whose per-cluster sum gives the revenue share (null: none). */
  valueColumn: string | null;
  seed: number;
  /** Clusters of the final run; 0 = the sweep's suggested k. */
  k: number;
  maxIter: number;
  tol: number;
  /** Explicit starting centres in the prepared feature space, row-major k x d (else k-means++). */
  init?: number[] | null;
  /** Sweep k over this range first (null: no sweep). */
  sweep: { kMin: number; kMax: number; silhouetteSample: number } | null;
  /** Depth of the rule tree (1-3), 0 for no rules. */
  treeDepth: number;
  /** Most rows sent back for the map. */
  maxPoints: number;
  /** Internal tables to (re)create for the inputs and the labels; both must start with `__segnote_`. */
  inputTable: string;
  labelTable: string;
  /** Only time the k-means run (benchmark): no tables, profiles, map or rules. */
  kmeansOnly?: boolean;
}

/**
 * One feature: a numeric column, or a 0/1 indicator of a category column (one-hot encoding): 1
 * where the column's text is one of `values` (null stands for NULL), or with `other`, where it is
 * none of them. Indicators are neither log-transformed nor standardised.
 */
export interface ClusterFeatureArg {
  name: string;
  log: boolean | null;
  indicator?: { column: string; values: (string | null)[]; other: boolean; label: string } | null;
}

/** What was done to one feature. */
export interface ClusterFeatureInfo {
  name: string;
  log: boolean;
  suggestedLog: boolean;
  skewness: number;
  center: number;
  scale: number;
  constant: boolean;
  imputed: number;
  /** A one-hot indicator (0/1, kept as is). */
  indicator: boolean;
}

/** One if-then rule, clusters numbered 1..k. */
export interface ClusterRule {
  cluster: number;
  text: string;
  count: number;
  coverage: number;
  accuracy: number;
}

/** What the task returns (small: no per-row data beyond the map sample). */
export interface ClusterTaskResult {
  /** Rows read, and rows clustered (after dropping rows with missing values). */
  rowsRead: number;
  n: number;
  dropped: number;
  features: ClusterFeatureInfo[];
  k: number;
  inertia: number;
  iterations: number;
  converged: boolean;
  sweep: SweepResult | null;
  /** Per cluster (index c is cluster c + 1): rows, share, value share (null without a value column). */
  sizes: number[];
  shares: number[];
  valueShares: number[] | null;
  /** Mean of each feature per cluster in original units, and standardised means (heat map). */
  means: number[][];
  stdMeans: number[][];
  overallMeans: number[];
  names: string[];
  rules: ClusterRule[];
  ruleAccuracy: number | null;
  /** The map: explained variance ratio per axis and a sample of points. */
  map: { explained: number[]; x: number[]; y: number[]; cluster: number[]; sampled: number };
  /** Milliseconds per phase: read and prepare the features, copy them for the kernels, sweep, final run, summaries, storing the labels. */
  timings: { read: number; space: number; sweep: number; kmeans: number; summaries: number; store: number; total: number };
}

const internal = (n: unknown) => typeof n === 'string' && n.startsWith('__segnote_') && n.length < 200;

function readArgs(raw: unknown): ClusterTaskArgs {
  const a = raw as ClusterTaskArgs;
  if (!a || typeof a !== 'object' || !Array.isArray(a.features)) throw new ClusterError('The cluster task got no settings.');
  if (!internal(a.inputTable) || !internal(a.labelTable)) throw new ClusterError('The cluster task can only write internal tables.');
  if (typeof a.source !== 'string' || !a.source) throw new ClusterError(t('msg.cluster.chooseTable'));
  if (typeof a.idColumn !== 'string' || !a.idColumn) throw new ClusterError(t('msg.cluster.chooseId'));
  if (a.features.length === 0) throw new ClusterError(t('msg.cluster.chooseNumericFeature'));
  if (!Number.isInteger(a.k) || a.k < 0 || (a.k === 0 && !a.sweep)) throw new ClusterError(t('msg.cluster.kWhole', { k: String(a.k) }));
  return a;
}

/** The SQL of one feature as a DOUBLE, NaN where missing (indicators are never missing). */
function featureSql(f: ClusterFeatureArg): string {
  if (!f.indicator) return `coalesce(TRY_CAST(${ident(f.name)} AS DOUBLE), 'NaN'::DOUBLE)`;
  const { column: c, values, other } = f.indicator;
  const texts = values.filter((v): v is string => v !== null);
  const parts = [texts.length ? `CAST(${ident(c)} AS VARCHAR) IN (${texts.map(str).join(', ')})` : '', values.includes(null) ? `${ident(c)} IS NULL` : ''].filter(Boolean);
  const member = parts.length ? `coalesce(${parts.join(' OR ')}, false)` : 'false';
  return `CAST(${other ? `NOT ${member}` : member} AS DOUBLE)`;
}

function column(table: Table, name: string): Float64Array {
  const v = table.getChild(name);
  if (!v) throw new ClusterError(`The input has no column ${name}.`);
  const values = v.toArray();
  return values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
}

/**
 * The input table's rows in the order of i. The table was written in that order, so it is read as
 * stored and checked (sorting a million rows again would cost a quarter of a second); sorted only
 * if the check fails.
 */
async function readInOrder(host: TaskHost, input: string, select: string): Promise<Table> {
  const stored = await host.query(`SELECT i, ${select} FROM ${input}`);
  const i = stored.getChild('i')?.toArray() as Int32Array | undefined;
  let ordered = !!i;
  for (let r = 0; ordered && r < i!.length; r++) ordered = i![r] === r;
  return ordered ? stored : host.query(`SELECT i, ${select} FROM ${input} ORDER BY i`);
}

/** Prepared features: row-major standardised data and original values of the kept rows. */
function prepare(columns: Float64Array[], args: ClusterTaskArgs) {
  const m = handleMissing(columns, args.missing);
  const n = m.rows.length;
  if (n === 0) throw new ClusterError(t('msg.cluster.noRowsAfterDrop'));
  const infos: ClusterFeatureInfo[] = [];
  const scaled = m.columns.map((c, j) => {
    const f = args.features[j];
    const skew = skewness(c);
    if (f.indicator) {
      const constant = c.every((v) => v === c[0]);
      infos.push({ name: f.name, log: false, suggestedLog: false, skewness: skew, center: 0, scale: 1, constant, imputed: 0, indicator: true });
      return c;
    }
    const suggested = suggestLog(c, skew);
    const log = f.log ?? suggested;
    const t = log ? log1pColumn(c, f.name) : c;
    if (args.scale === 'none') {
      infos.push({ name: f.name, log, suggestedLog: suggested, skewness: skew, center: 0, scale: 1, constant: false, imputed: m.imputed[j], indicator: false });
      return t;
    }
    const p = fitScale(t, args.scale);
    infos.push({ name: f.name, log, suggestedLog: suggested, skewness: skew, center: p.center, scale: p.scale, constant: p.constant, imputed: m.imputed[j], indicator: false });
    return applyScale(t, p);
  });
  return { data: toRowMajor(scaled), original: toRowMajor(m.columns), n, rows: m.rows, dropped: m.dropped, infos };
}

/** Runs the task (see the module comment). */
export async function runClusterTask(host: TaskHost, raw: unknown): Promise<ClusterTaskResult> {
  const args = readArgs(raw);
  const t0 = performance.now();
  const pacer = new Pacer(host, (note) => (note.startsWith('kmeans|') ? 'kmeans' : note));
  host.progress(null, 'read');
  const d = args.features.length;
  const input = ident(args.inputTable);
  const cols = args.features.map((f, j) => `${featureSql(f)} AS f${j}`);
  const carried = (args.carry ?? []).map((c, j) => `, ${ident(c)} AS c${j}`).join('');
  const value = args.valueColumn ? `, coalesce(TRY_CAST(${ident(args.valueColumn)} AS DOUBLE), 0) AS v` : '';
  // Rows in id order, so that the same data clusters the same whatever order the source has; i
  // numbers them in that order (a sort then row_number() OVER () costs less than OVER (ORDER BY id)).
  await host.exec(`CREATE OR REPLACE TABLE ${input} AS
SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS i, * FROM (
  SELECT ${ident(args.idColumn)} AS id, ${cols.join(', ')}${value}${carried}
  FROM ${ident(args.source)}
  ORDER BY ${ident(args.idColumn)}
)`);
  const read = await readInOrder(host, input, `${args.features.map((_, j) => `f${j}`).join(', ')}${args.valueColumn ? ', v' : ''}`);
  const columns = args.features.map((_, j) => column(read, `f${j}`));
  const values = args.valueColumn ? column(read, 'v') : null;
  const rowsRead = read.numRows;
  if (rowsRead === 0) throw new ClusterError(t('msg.cluster.sourceEmpty', { source: args.source }));
  const prep = prepare(columns, args);
  const { data, original, n, rows } = prep;
  if (n < 2 || n < args.k) throw new ClusterError(t('msg.cluster.tooFewRows', { n, k: Math.max(2, args.k) }));
  const tRead = performance.now();

  // One copy of the rows for the kernels serves the sweep and the final run.
  const kSpace = Math.max(1, args.k, args.sweep ? Math.min(args.sweep.kMax, n) : 0);
  const space = new KMeansSpace(data, n, d, kSpace, defaultLocalTrials(kSpace));
  const tSpace = performance.now();
  let sweep: SweepResult | null = null;
  if (args.sweep) {
    const { kMin, kMax } = args.sweep;
    const span = Math.max(1, Math.min(kMax, n) - kMin + 1);
    const steps = sweepSteps(data, n, d, { kMin, kMax, seed: args.seed, maxIter: args.maxIter, tol: args.tol, silhouetteSample: args.sweep.silhouetteSample, space });
    for (;;) {
      const step = steps.next();
      if (step.done) {
        sweep = step.value;
        break;
      }
      const { k, progress } = step.value;
      await pacer.tick(0.05 + (0.6 * (k - kMin + stepFraction(progress, args.maxIter))) / span, `sweep|${k}`);
    }
  }
  const tSweep = performance.now();

  const k = args.k > 0 ? args.k : sweep!.suggestedK;
  const init = args.init ? Float64Array.from(args.init) : 'k-means++';
  const steps = kmeansSteps(data, n, d, { k, seed: args.seed, maxIter: args.maxIter, tol: args.tol, init, space });
  let fit: KMeansResult;
  const from = args.sweep ? 0.65 : 0.05;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      fit = step.value;
      break;
    }
    await pacer.tick(from + (0.85 - from) * stepFraction(step.value, args.maxIter), `kmeans|${step.value.phase === 'iterate' ? step.value.iter : 0}`);
  }
  const tKmeans = performance.now();
  const base = { rowsRead, n, dropped: prep.dropped, features: prep.infos, k, inertia: fit.inertia, iterations: fit.iterations, converged: fit.converged, sweep };
  if (args.kmeansOnly) {
    const total = performance.now() - t0;
    return { ...base, sizes: Array.from(fit.sizes), shares: [], valueShares: null, means: [], stdMeans: [], overallMeans: [], names: [], rules: [], ruleAccuracy: null, map: { explained: [], x: [], y: [], cluster: [], sampled: 0 }, timings: { read: tRead - t0, space: tSpace - tRead, sweep: tSweep - tSpace, kmeans: tKmeans - tSweep, summaries: 0, store: 0, total } };
  }
  await pacer.tick(0.86, 'summaries');

  // Renumber by size, largest first.
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => fit.sizes[b] - fit.sizes[a] || a - b);
  const rank = new Int32Array(k);
  order.forEach((c, r) => (rank[c] = r));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rank[fit.labels[i]];

  const profile = clusterProfiles(original, data, n, d, labels, k);
  const featureNames = args.features.map((f) => f.name);
  const indicators = args.features.map((f) => f.indicator ?? null);
  const names = clusterNames(profile.stdMeans, featureNames, {
    words: indicators.map((x) => (x ? { high: t('msg.cluster.word.often', { value: x.label }), low: t('msg.cluster.word.rarely', { value: x.label }) } : null)),
  });
  let valueShares: number[] | null = null;
  if (values) {
    const sums = new Array<number>(k).fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = values[rows[i]];
      sums[labels[i]] += v;
      total += v;
    }
    valueShares = sums.map((s) => (total !== 0 ? s / total : 0));
  }
  let rules: ClusterRule[] = [];
  let ruleAccuracy: number | null = null;
  if (args.treeDepth > 0) {
    const tree = fitTree(original, n, d, labels, k, { maxDepth: args.treeDepth, seed: args.seed });
    const words = indicators.map((x) => (x ? { yes: `${x.column} = ${x.label}`, no: `${x.column} ≠ ${x.label}` } : null));
    rules = treeRules(tree, featureNames, words).map((r) => ({ cluster: r.cluster + 1, text: r.text, count: r.count, coverage: r.coverage, accuracy: r.accuracy }));
    ruleAccuracy = tree.accuracy;
  }
  await pacer.tick(0.9, 'summaries');
  const p = pca(data, n, d);
  const sample = sampleIndices(n, args.maxPoints, createRng(args.seed));
  const map = { explained: p.explainedVarianceRatio, x: [] as number[], y: [] as number[], cluster: [] as number[], sampled: sample.length };
  for (const i of sample) {
    map.x.push(p.coords[i * 2]);
    map.y.push(p.coords[i * 2 + 1]);
    map.cluster.push(labels[i] + 1);
  }
  const tSummaries = performance.now();
  await pacer.tick(0.95, 'store');

  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) cluster[i] = labels[i] + 1;
  await host.createTable(args.labelTable, tableToIPC(tableFromArrays({ i: rows, cluster }), 'stream'));
  const tStore = performance.now();
  host.progress(1, 'store');
  return {
    ...base,
    sizes: profile.sizes,
    shares: profile.shares,
    valueShares,
    means: profile.means,
    stdMeans: profile.stdMeans,
    overallMeans: profile.overallMeans,
    names,
    rules,
    ruleAccuracy,
    map,
    timings: { read: tRead - t0, space: tSpace - tRead, sweep: tSweep - tSpace, kmeans: tKmeans - tSweep, summaries: tSummaries - tKmeans, store: tStore - tSummaries, total: tStore - t0 },
  };
}

/** How far one k-means run is, 0..1, from its progress report. */
function stepFraction(p: KMeansProgress, maxIter: number): number {
  return p.phase === 'seed' ? (0.2 * p.centers) / p.k : 0.2 + (0.8 * p.iter) / maxIter;
}

registerTask(CLUSTER_TASK, runClusterTask);
