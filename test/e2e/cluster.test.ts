/**
 * Clusters in the built app (issue 6): on the sample data a user adds a cluster cell with its "+"
 * button; it picks the starter's RFM view and its three measures, sweeps k (inertia and silhouette
 * on a stated sample), suggests a k the user overrides, and shows the sizes (summing to the view's
 * rows, checked by an independent count), the PCA map with points, the profile heat map, if-then
 * rules and the cross-tab against RFM segments; a rename lands in the view; the same seed gives the
 * same sizes. No page errors, no requests outside the app.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeBrowser, openApp, type AppPage } from './browser';
import { addAndRun, addCell, cellNamed, cellVersion, runSql, settleCell } from './cells';

let app: AppPage;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const cell = (name: string) => cellNamed(app.page, name);
const version = (name: string) => cellVersion(app.page, name);
const settle = (name: string, previousVersion: number) => settleCell(app.page, name, previousVersion);
const sqlValue = async (sql: string) => (await runSql(app.page, sql))[0].trim();

async function sizes(name: string): Promise<number[]> {
  return cell(name).getByTestId('cluster-size-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rows'))));
}

describe('the cluster cell', () => {
  let name: string;
  beforeAll(async () => {
    const t0 = Date.now();
    name = await addAndRun(app.page, 'cluster');
    const meta = cell(name).getByTestId('cluster-meta');
    console.log(`cluster cell (sweep k = 2-10 + k-means) on the sample: ${Date.now() - t0} ms in the page; ${await meta.textContent()}`);
  });

  test('picks the RFM view and its measures', async () => {
    const c = cell(name);
    expect(await c.getByTestId('cluster-source').inputValue()).toBe('rfm');
    expect(await c.getByTestId('cluster-id').inputValue()).toBe('customer_id');
    const checked = await c.locator('[data-testid="cluster-feature"]:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-feature')));
    expect(checked).toEqual(['recency_days', 'frequency', 'monetary']);
  });

  test('sweeps k with elbow and silhouette charts and a suggested k', async () => {
    const c = cell(name);
    expect(await c.getByTestId('cluster-k').count()).toBe(9);
    for (const id of ['cluster-elbow', 'cluster-silhouette']) expect(await c.getByTestId(id).locator('svg').count()).toBeGreaterThan(0);
    expect(await c.getByTestId('cluster-sweep').textContent()).toMatch(/Silhouette on a sample of [\d,]+ rows/);
    const suggested = Number(await c.getByTestId('cluster-meta').getAttribute('data-k'));
    expect(suggested).toBeGreaterThanOrEqual(2);
  });

  test('a chosen k re-runs; sizes sum to the rows of the view and of the RFM view', async () => {
    const c = cell(name);
    const v = await version(name);
    const t0 = Date.now();
    await c.locator('[data-testid="cluster-k"][data-k="4"]').click();
    expect(await settle(name, v)).toBe('done');
    console.log(`k = 4 (sweep cached) in the page: ${Date.now() - t0} ms; k-means ${await c.getByTestId('cluster-meta').getAttribute('data-kmeans-ms')} ms in the worker`);
    expect(await c.getByTestId('cluster-meta').getAttribute('data-k')).toBe('4');
    const s = await sizes(name);
    expect(s).toHaveLength(4);
    const rows = Number(await c.getByTestId('cluster-meta').getAttribute('data-rows'));
    expect(s.reduce((a, b) => a + b, 0)).toBe(rows);
    expect(Number(await c.getByTestId('cluster-size-total').getAttribute('data-rows'))).toBe(rows);
    expect(Number(await sqlValue('SELECT count(*) FROM rfm'))).toBe(rows);
  });

  test('the map, heat map, rules and cross-tab render', async () => {
    const c = cell(name);
    const dots = await c.getByTestId('cluster-map').locator('svg circle').count();
    expect(dots).toBeGreaterThan(100);
    expect(dots).toBeLessThanOrEqual(3000);
    expect(await c.getByTestId('cluster-map').textContent()).toMatch(/PC1 \([\d.]+% of variance\)/);
    expect(await c.getByTestId('cluster-heatmap').locator('svg rect').count()).toBeGreaterThanOrEqual(12);
    const rules = c.getByTestId('cluster-rule');
    expect(await rules.count()).toBeGreaterThan(0);
    expect(await rules.first().textContent()).toMatch(/^\s*If .+ then cluster \d/);
    expect(await c.getByTestId('cluster-crosstab').locator('tbody tr').count()).toBe(4);
  });

  test('a rename lands in the view; the same seed gives the same clusters', async () => {
    const c = cell(name);
    const before = await sizes(name);
    const v = await version(name);
    const input = c.getByTestId('cluster-name').first();
    await input.fill('Best friends');
    await input.press('Enter');
    await input.blur();
    expect(await settle(name, v)).toBe('done');
    expect(await sizes(name)).toEqual(before);
    expect(Number(await sqlValue(`SELECT count(*) FROM ${name} WHERE cluster_name = 'Best friends' AND cluster = 1`))).toBe(before[0]);
  });

  test('one-hot categories: a text column becomes 0/1 features whose cluster shares match SQL', async () => {
    const other = await addCell(app.page, 'cluster');
    const last = cell(other);
    let v = await version(other);
    await last.getByTestId('cluster-source').selectOption('customers');
    expect(await settle(other, v)).toBe('done');
    v = await version(other);
    await last.locator('[data-testid="cluster-category"][data-column="city_tier"]').check();
    expect(await settle(other, v)).toBe('done');
    const headers = await last.getByTestId('cluster-means').locator('thead th').allTextContents();
    const tiers = headers.filter((h) => h.startsWith('city_tier = '));
    expect(tiers.length).toBeGreaterThanOrEqual(2);
    expect(headers).toContain('age');
    const s = await sizes(other);
    expect(s.reduce((a, b) => a + b, 0)).toBe(Number(await sqlValue('SELECT count(*) FROM customers WHERE age IS NOT NULL')));
    // Cluster 1's share of the first tier, as shown, against the view.
    const col = headers.indexOf(tiers[0]);
    const shown = (await last.getByTestId('cluster-means').locator('tbody tr').first().locator('td').nth(col).textContent())!;
    const tier = tiers[0].slice('city_tier = '.length);
    const share = Number(await sqlValue(`SELECT round(100 * avg(CAST(city_tier = '${tier}' AS INTEGER)), 3) FROM ${other} WHERE cluster = 1`));
    expect(Math.abs(Number(shown.replace(/[%\s]/g, '')) - share)).toBeLessThanOrEqual(0.5); // shown rounded to whole percents above 10 %
    expect(await sqlValue(`SELECT count(*) FROM ${other} WHERE city_tier IS NOT NULL`)).not.toBe('0');
  });

  test('no page errors and no foreign requests', () => {
    expect(app.pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});
