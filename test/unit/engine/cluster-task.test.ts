/**
 * The k-means task (issue 6) through the real engine: on three well-separated blobs made in SQL
 * (centres 0, 20 and 40 on every axis, noise within ±0.5, so any sensible clustering recovers them
 * exactly) the task finds the blobs, the sweep suggests k = 3, the same seed reproduces the same
 * clusters, the labels table joins back into the cell's view, progress is reported, cancel stops it,
 * and bad input (k above the distinct rows, too few rows, missing values) says what to change.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { EngineCore } from '../../../workers/engine-core';
import type { ClusterTaskArgs, ClusterTaskResult } from '../../../workers/tasks/cluster-task';
import { categoryValuesSql, clusterViewSql, indicatorFeatures } from '../../../src/state/cluster-run';
import { openNodeEngine } from '../helpers/node-engine';

let engine: EngineCore;
const rows = async (sql: string) => tableFromIPC((await engine.query(sql)).ipc).toArray().map((r) => r.toJSON());

// 600 rows, blob = id % 3; noise from a fixed hash of the id, so the data is the same on every run.
const BLOBS = `CREATE TABLE blobs AS
SELECT id, id % 3 AS truth,
  (id % 3) * 20 + ((hash(id, 1) % 1000) / 1000.0 - 0.5) AS a,
  (id % 3) * 20 + ((hash(id, 2) % 1000) / 1000.0 - 0.5) AS b,
  exp((id % 3) * 2 + ((hash(id, 3) % 1000) / 1000.0 - 0.5) * 0.1) AS spend
FROM range(600) t(id)`;

beforeAll(async () => {
  engine = await openNodeEngine();
  await engine.query(BLOBS);
  await engine.query(`CREATE TABLE tiny AS SELECT * FROM (VALUES (1, 1.0), (2, 1.0), (3, 1.0), (4, 2.0)) t(id, x)`);
  // Three regions (NULL is one) that decide everything, 12 cities of which 2 are rare.
  await engine.query(`CREATE TABLE shops AS
SELECT id, CASE id % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' END AS region,
  'city ' || (CASE WHEN id < 12 THEN id ELSE id % 10 END) AS city
FROM range(300) t(id)`);
  await engine.query(`CREATE TABLE holes AS SELECT id, CASE WHEN id % 10 = 0 THEN NULL ELSE a END AS a, b FROM blobs`);
}, 60_000);

const args = (over: Partial<ClusterTaskArgs> = {}): ClusterTaskArgs => ({
  source: 'blobs',
  idColumn: 'id',
  features: [{ name: 'a', log: false }, { name: 'b', log: false }, { name: 'spend', log: null }],
  scale: 'zscore',
  missing: 'drop',
  valueColumn: 'spend',
  seed: 7,
  k: 3,
  maxIter: 100,
  tol: 1e-4,
  sweep: null,
  treeDepth: 3,
  maxPoints: 3000,
  inputTable: '__segnote_cluster_t_in',
  labelTable: '__segnote_cluster_t_labels',
  ...over,
});

async function labelsByTruth(): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  for (const r of await rows(`SELECT b.truth, l.cluster FROM __segnote_cluster_t_in i JOIN __segnote_cluster_t_labels l USING (i) JOIN blobs b ON b.id = i.id`)) {
    if (!out.has(Number(r.truth))) out.set(Number(r.truth), new Set());
    out.get(Number(r.truth))!.add(Number(r.cluster));
  }
  return out;
}

describe('the cluster task', () => {
  let result: ClusterTaskResult;
  const progress: { fraction: number | null; note?: string }[] = [];
  beforeAll(async () => {
    result = (await engine.runTask('cluster-kmeans', args({ k: 0, sweep: { kMin: 2, kMax: 6, silhouetteSample: 2000 } }), (p) => progress.push(p))) as ClusterTaskResult;
  }, 60_000);

  test('the sweep suggests k = 3 on three blobs, with the sample size stated', () => {
    expect(result.sweep!.points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6]);
    expect(result.sweep!.suggestedK).toBe(3);
    expect(result.sweep!.silhouetteSampleSize).toBe(600);
    expect(result.k).toBe(3);
  });

  test('recovers the blobs exactly: each blob is one cluster, each cluster one blob', async () => {
    const map = await labelsByTruth();
    expect([...map.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set([...map.values()].map((s) => [...s][0])).size).toBe(3);
    expect(result.sizes).toEqual([200, 200, 200]);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(600);
  });

  test('summaries: profiles in original units, names, rules that are right, a map, revenue shares', () => {
    const aMeans = result.means.map((m) => Math.round(m[0] / 20) * 20).sort((x, y) => x - y);
    expect(aMeans).toEqual([0, 20, 40]);
    expect(result.names).toHaveLength(3);
    expect(new Set(result.names).size).toBe(3);
    expect(result.ruleAccuracy).toBe(1);
    expect(result.rules.every((r) => r.accuracy === 1)).toBe(true);
    expect(result.map.x).toHaveLength(600);
    expect(result.map.explained[0]).toBeGreaterThan(0.9);
    expect(result.valueShares!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // log: null follows the suggestion; explicit choices are kept.
    const spend = result.features.find((f) => f.name === 'spend')!;
    expect(spend.log).toBe(spend.suggestedLog);
    expect(Number.isFinite(spend.skewness)).toBe(true);
    expect(result.features.find((f) => f.name === 'a')!.log).toBe(false);
    expect(progress.some((p) => p.note?.startsWith('sweep|'))).toBe(true);
    expect(progress.some((p) => p.note?.startsWith('kmeans|'))).toBe(true);
  });

  test('the same seed reproduces the same clusters; the map is capped', async () => {
    const first = await rows('SELECT i, cluster FROM __segnote_cluster_t_labels ORDER BY i');
    const again = (await engine.runTask('cluster-kmeans', args({ maxPoints: 100 }))) as ClusterTaskResult;
    expect(await rows('SELECT i, cluster FROM __segnote_cluster_t_labels ORDER BY i')).toEqual(first);
    expect(again.inertia).toBe(result.inertia);
    expect(again.map.x).toHaveLength(100);
    expect(again.map.sampled).toBe(100);
  });

  test('the labels join back into the view named after the cell', async () => {
    const cell = { idColumn: 'id', features: [{ name: 'a', log: false }, { name: 'b', log: false }, { name: 'spend', log: null }], categories: [] };
    const r = await engine.runCell('clusters_1', clusterViewSql(cell, ['one', 'two', 'three'], '__segnote_cluster_t_in', '__segnote_cluster_t_labels'));
    expect(r.kind).toBe('rows');
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'cluster', 'cluster_name', 'a', 'b', 'spend']);
    const counts = await rows('SELECT cluster_name, count(*) AS n, count(DISTINCT id % 3) AS blobs FROM clusters_1 GROUP BY ALL ORDER BY 1');
    expect(counts.map((c) => [c.cluster_name, Number(c.n), Number(c.blobs)])).toEqual([['one', 200, 1], ['three', 200, 1], ['two', 200, 1]]);
  });

  test('missing values: dropped rows are counted and left out; imputed ones counted per feature', async () => {
    const features = [{ name: 'a', log: false }, { name: 'b', log: false }];
    const dropped = (await engine.runTask('cluster-kmeans', args({ source: 'holes', features, valueColumn: null }))) as ClusterTaskResult;
    expect(dropped.dropped).toBe(60);
    expect(dropped.n).toBe(540);
    expect(dropped.valueShares).toBeNull();
    const imputed = (await engine.runTask('cluster-kmeans', args({ source: 'holes', features, valueColumn: null, missing: 'median' }))) as ClusterTaskResult;
    expect(imputed.n).toBe(600);
    expect(imputed.features.map((f) => f.imputed)).toEqual([60, 0]);
  });

  test('bad input says what to change', async () => {
    await expect(engine.runTask('cluster-kmeans', args({ source: 'tiny', features: [{ name: 'x', log: false }], valueColumn: null, k: 3 }))).rejects.toThrow(/distinct/);
    await expect(engine.runTask('cluster-kmeans', args({ source: 'tiny', features: [{ name: 'x', log: false }], valueColumn: null, k: 5 }))).rejects.toThrow(/4 rows to cluster/);
    await expect(engine.runTask('cluster-kmeans', args({ features: [] }))).rejects.toThrow(/at least one numeric feature/);
    await expect(engine.runTask('cluster-kmeans', args({ labelTable: 'blobs' }))).rejects.toThrow(/internal tables/);
  });

  test('cancel stops a run between steps', async () => {
    let asked = false;
    const run = engine.runTask('cluster-kmeans', args({ k: 0, sweep: { kMin: 2, kMax: 10, silhouetteSample: 2000 } }), () => {
      if (!asked) {
        asked = true;
        engine.cancel();
      }
    });
    await expect(run).rejects.toThrow(/cancel/i);
  });
});

describe('one-hot categories', () => {
  const top = async (column: string) => (await rows(categoryValuesSql('shops', column))).map((r) => r.v as string | null);
  const labels = async () => rows(`SELECT s.region, l.cluster, count(*) AS n FROM __segnote_cluster_t_in i JOIN __segnote_cluster_t_labels l USING (i) JOIN shops s ON s.id = i.id GROUP BY ALL ORDER BY 1, 2`);

  test('the most common values get a feature each, the rest one "(other)" feature', async () => {
    // 100 rows each; ties ordered by value with NULL last.
    expect(await top('region')).toEqual(['north', 'south', null]);
    const region = indicatorFeatures('region', await top('region'));
    expect(region.map((f) => f.name)).toEqual(['region = north', 'region = south', 'region = (empty)']);
    // cities 0-9 have 30 or 31 rows, "city 10" and "city 11" one each: they share "(other)".
    const city = indicatorFeatures('city', await top('city'));
    expect(city).toHaveLength(11);
    expect(city[10]).toEqual({ name: 'city = (other)', log: false, indicator: { column: 'city', values: city.slice(0, 10).map((f) => f.indicator!.values[0]), other: true, label: '(other)' } });
  });

  test('clusters on the indicators alone recover the categories, with shares, names and rules in words', async () => {
    const features = indicatorFeatures('region', await top('region'));
    const r = (await engine.runTask('cluster-kmeans', args({ source: 'shops', features, carry: ['region'], valueColumn: null, k: 3 }))) as ClusterTaskResult;
    expect(r.sizes).toEqual([100, 100, 100]);
    // Each region is one cluster: three (region, cluster) pairs of 100 rows.
    expect((await labels()).map((x) => Number(x.n))).toEqual([100, 100, 100]);
    expect(r.features.every((f) => f.indicator && !f.log && f.center === 0 && f.scale === 1)).toBe(true);
    // The means are the shares of each cluster's rows in each region: one 1 per cluster.
    expect(r.means.map((m) => m.slice().sort())).toEqual([[0, 0, 1], [0, 0, 1], [0, 0, 1]]);
    expect(r.overallMeans.map((m) => m.toFixed(4))).toEqual(['0.3333', '0.3333', '0.3333']);
    expect(r.names.every((n) => /often (north|south|\(empty\))/.test(n))).toBe(true);
    expect(r.ruleAccuracy).toBe(1);
    expect(r.rules.every((x) => /^region (=|≠) (north|south|\(empty\))( and region (=|≠) (north|south|\(empty\)))*$/.test(x.text))).toBe(true);
    // The category column is carried into the view as it was.
    const cell = { idColumn: 'id', features: [], categories: ['region'] };
    const v = await engine.runCell('shop_clusters', clusterViewSql(cell, ['a', 'b', 'c'], '__segnote_cluster_t_in', '__segnote_cluster_t_labels'));
    expect(v.kind === 'rows' && v.columns.map((c) => c.name)).toEqual(['id', 'cluster', 'cluster_name', 'region']);
    expect(Number((await rows(`SELECT count(DISTINCT cluster) AS n FROM shop_clusters WHERE region IS NULL`))[0].n)).toBe(1);
  });

  test('"(other)" is 1 exactly where the value is none of the listed ones', async () => {
    const features = indicatorFeatures('city', await top('city'));
    await engine.runTask('cluster-kmeans', args({ source: 'shops', features, valueColumn: null, k: 2 }));
    const sums = await rows(`SELECT ${features.map((_, j) => `sum(f${j})::INTEGER AS s${j}`).join(', ')}, min(${features.map((_, j) => `f${j}`).join(' + ')}) AS lo, max(${features.map((_, j) => `f${j}`).join(' + ')}) AS hi FROM __segnote_cluster_t_in`);
    expect(Number(sums[0].s10)).toBe(2); // city 10 and city 11
    expect([Number(sums[0].lo), Number(sums[0].hi)]).toEqual([1, 1]); // exactly one indicator per row
  });
});
