/**
 * Segmentation in the built app (issue 5), driven with the "+ …" buttons on the sample data: the
 * customer view, a two-column cross-tab, a saved segment with an AND/OR condition whose live count
 * matches the saved view and an independent SQL count, its profile, a comparison; bad input
 * explains itself; names and values with quotes and Chinese characters work.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Download, Locator } from 'playwright-core';
import { closeBrowser, openApp, type AppPage } from './browser';
import { addCell as addCellIn, addSqlCell as addSqlCellIn, afterRun as afterRunIn, cellNamed, gridRow } from './cells';

let app: AppPage;

beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const VIP = '高价值 "VIP"';
const cell = (name: string) => cellNamed(app.page, name);
const addCell = (kind: string) => addCellIn(app.page, kind);
const afterRun = (name: string, action: () => Promise<unknown>, status: 'done' | 'error' = 'done') => afterRunIn(app.page, name, action, status);
const addSqlCell = (sql: string) => addSqlCellIn(app.page, sql);

/** Runs SQL in a new SQL cell; the first row of its result as numbers. */
async function sqlNumbers(sql: string): Promise<number[]> {
  const name = await addSqlCell(sql);
  expect(await cell(name).getAttribute('data-status')).toBe('done');
  return (await gridRow(app.page, name)).map(Number);
}

/** Waits until the live count is back for the tree now in the editor; returns it. */
async function liveCount(seg: Locator): Promise<{ customers: number; total: number; revenueShare: number; ms: number }> {
  await app.page.waitForFunction(
    (name) => {
      const el = [...document.querySelectorAll('[data-testid="cell"]')].find((c) => c.getAttribute('data-name') === name);
      const live = el?.querySelector('[data-testid="seg-live"]');
      const tree = el?.querySelector('[data-testid="seg-description"]')?.getAttribute('data-tree');
      return live?.getAttribute('data-state') === 'ready' && live.getAttribute('data-for') === tree;
    },
    await seg.getAttribute('data-name'),
    { timeout: 30_000 },
  );
  const d = await seg.getByTestId('seg-live').evaluate((e) => ({ ...(e as HTMLElement).dataset }));
  return { customers: Number(d.customers), total: Number(d.total), revenueShare: Number(d.revenueShare), ms: Number(d.ms) };
}

async function downloadBytes(click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([app.page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

let cvName = '';
let customers = 0;
let segName = '';
let savedCount = 0;

describe('segmentation on the sample data', () => {
  test('the customer view has one row per customer, matching an independent count; the join is explained', async () => {
    cvName = await addCell('customers');
    expect(cvName).toBe('customers_1');
    // Guessed from the column names: the channel, category and discount of the orders.
    const cv = cell(cvName);
    expect(await cv.getByTestId('cv-role-channel').inputValue()).toBe('channel');
    expect(await cv.getByTestId('cv-customers').inputValue()).toBe('customers');
    await afterRun(cvName, () => cv.getByTestId('run-cell').click());
    customers = Number(await cv.getByTestId('row-count').getAttribute('data-rows'));
    const [independent] = await sqlNumbers('SELECT count(*) FROM (SELECT customer_id FROM customers UNION SELECT customer_id FROM orders WHERE customer_id IS NOT NULL)');
    expect(customers).toBe(independent);
    expect(customers).toBe(5000);
    // Customers without orders are kept and said so; order ids all match.
    expect(await cv.getByTestId('cv-join-messages').textContent()).toMatch(/621 customers of 5000 in 'customers' have no orders .*kept, with 0 orders/);
    expect(await cv.getByTestId('result-grid').count()).toBe(1);
    expect(await cv.getByTestId('cv-sql-text').textContent()).toContain('FULL JOIN cv_customers');
  });

  test('a two-column cross-tab (city_tier × income_band): the pairs sum to the customers; a pair agrees with SQL; its profile opens', async () => {
    const name = await addCell('attributes');
    const at = cell(name);
    expect(await at.getByTestId('attr-source').inputValue()).toBe(cvName);
    await afterRun(name, () => at.getByTestId('band-1-column').selectOption('city_tier'));
    await afterRun(name, () => at.getByTestId('attr-add-column').click());
    await afterRun(name, () => at.getByTestId('band-2-column').selectOption('income_band'));
    const pairs = await at.getByTestId('attr-cross-cell').evaluateAll((els) => els.map((e) => ({ b1: e.getAttribute('data-band1'), b2: e.getAttribute('data-band2'), n: Number(e.getAttribute('data-customers')) })));
    expect(pairs.length).toBe(20);
    expect(pairs.reduce((s, p) => s + p.n, 0)).toBe(customers);
    expect(Number(await at.getByTestId('attr-cross-total').getAttribute('data-customers'))).toBe(customers);
    expect(await at.getByTestId('attr-heatmap').locator('svg rect').count()).toBeGreaterThanOrEqual(20);
    const tier1Low = pairs.find((p) => p.b1 === 'Tier 1' && p.b2 === '<5k')!;
    const [sqlPair] = await sqlNumbers(`SELECT count(*) FROM customers WHERE city_tier = 'Tier 1' AND income_band = '<5k'`);
    expect(tier1Low.n).toBe(sqlPair);
    // Click the pair: its profile shows its size and what sets it apart.
    await at.locator(`[data-testid="attr-cross-cell"][data-band1="Tier 1"][data-band2="<5k"]`).click();
    const profile = at.getByTestId('attr-profile');
    await profile.getByTestId('seg-profile-row').first().waitFor({ timeout: 30_000 });
    expect(Number(await profile.getByTestId('seg-profile-size').getAttribute('data-customers'))).toBe(tier1Low.n);
  });

  test('a saved segment with an AND/OR condition: live count = saved view = independent SQL; named with quotes and Chinese', async () => {
    segName = await addCell('segment');
    const seg = cell(segName);
    expect(await seg.getByTestId('seg-source').inputValue()).toBe(cvName);
    // (city_tier = 'Tier 1' AND orders >= 3) OR lifestyle IN ('Outdoor')
    await seg.getByTestId('group-or').first().click();
    await seg.getByTestId('add-group').first().click();
    const group = seg.locator('[data-testid="cond-group"][data-path="1"]');
    const first = group.locator('[data-testid="cond"][data-path="1.1"]');
    await first.getByTestId('cond-column').selectOption('city_tier');
    await first.getByTestId('cond-op').selectOption('eq');
    await first.getByTestId('cond-value').fill('Tier 1');
    await group.getByTestId('add-condition').click();
    const second = group.locator('[data-testid="cond"][data-path="1.2"]');
    await second.getByTestId('cond-column').selectOption('orders');
    await second.getByTestId('cond-op').selectOption('ge');
    await second.getByTestId('cond-value').fill('3');
    await seg.getByTestId('add-condition').last().click();
    const third = seg.locator('[data-testid="cond"][data-path="2"]');
    await third.getByTestId('cond-column').selectOption('lifestyle');
    await third.getByTestId('cond-value-input').fill('Outdoor');
    await third.getByTestId('cond-value-input').press('Enter');
    expect(await seg.getByTestId('seg-description').textContent()).toBe('Customers where (city_tier is "Tier 1" and orders is at least 3) or lifestyle is "Outdoor".');
    const live = await liveCount(seg);
    console.log(`live count on the sample: ${live.customers} of ${live.total} customers, ${(live.revenueShare * 100).toFixed(1)} % of revenue, round trip ${live.ms} ms`);
    expect(live.total).toBe(customers);
    expect(live.revenueShare).toBeGreaterThan(0);
    expect(live.revenueShare).toBeLessThan(1);

    // Independently from the raw tables: orders = distinct order ids of purchases (amount >= 0).
    const [independent] = await sqlNumbers(`SELECT count(*) FROM customers c
LEFT JOIN (SELECT customer_id, count(DISTINCT order_id) FILTER (WHERE amount >= 0) AS n FROM orders GROUP BY 1) o USING (customer_id)
WHERE (c.city_tier = 'Tier 1' AND coalesce(o.n, 0) >= 3) OR c.lifestyle IN ('Outdoor')`);
    expect(live.customers).toBe(independent);

    // Name it with quotes and Chinese characters, then save it: the view holds the same customers.
    const nameInput = seg.getByTestId('cell-name');
    await nameInput.fill(VIP);
    await nameInput.press('Enter');
    await cell(VIP).waitFor();
    segName = VIP;
    await afterRun(VIP, () => cell(VIP).getByTestId('seg-save').click());
    const saved = cell(VIP);
    savedCount = Number(await saved.getByTestId('row-count').getAttribute('data-rows'));
    expect(savedCount).toBe(live.customers);
    const [viewRows] = await sqlNumbers(`SELECT count(*) FROM "高价值 ""VIP"""`);
    expect(viewRows).toBe(live.customers);
    expect(await saved.getByTestId('seg-sql-text').textContent()).toMatch(/^CREATE OR REPLACE VIEW "高价值 ""VIP""" AS\nSELECT \* FROM "customers_1"\nWHERE \(\("city_tier" = 'Tier 1' AND "orders" >= 3\) OR "lifestyle" IN \('Outdoor'\)\)$/);
    expect(await saved.getByTestId('seg-unsaved').count()).toBe(0);
  });

  test('its profile: size, revenue share, index values strongest first, lift and channel mix; exports', async () => {
    const saved = cell(VIP);
    const profile = saved.getByTestId('seg-profile');
    expect(Number(await profile.getByTestId('seg-profile-size').getAttribute('data-customers'))).toBe(savedCount);
    expect(Number(await profile.getByTestId('seg-profile-revenue').getAttribute('data-share'))).toBeGreaterThan(0);
    const rows = await profile.getByTestId('seg-profile-row').evaluateAll((els) => els.map((e) => ({ attribute: e.getAttribute('data-attribute'), value: e.getAttribute('data-value'), index: Number(e.getAttribute('data-index')) })));
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) expect(Number.isFinite(r.index)).toBe(true);
    const strength = rows.map((r) => (r.index > 0 ? Math.abs(Math.log(r.index)) : Infinity));
    expect(strength.slice(0, -1).every((s, i) => s >= strength[i + 1] - 1e-9 || !Number.isFinite(strength[i + 1]))).toBe(true);
    // Outdoor customers are all in the segment: far more common inside than overall.
    const outdoor = rows.find((r) => r.attribute === 'lifestyle' && r.value === 'Outdoor')!;
    expect(outdoor.index).toBeGreaterThan(2);
    expect(await saved.getByTestId('seg-lift-row').count()).toBeGreaterThan(3);
    expect(await profile.getByTestId('seg-profile-mix').locator('svg rect').count()).toBe(3);

    const csv = await downloadBytes(() => saved.getByTestId('seg-export-csv').click());
    expect(csv.download.suggestedFilename()).toBe('高价值_vip.csv');
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(savedCount + 1);
    expect(lines[0].startsWith('customer_id,first_order,last_order')).toBe(true);
    const parquet = await downloadBytes(() => saved.getByTestId('seg-export-parquet').click());
    expect(parquet.download.suggestedFilename()).toBe('高价值_vip.parquet');
    expect(parquet.bytes.subarray(0, 4).toString()).toBe('PAR1');
  });

  test('a compare cell puts the saved segment and an RFM segment side by side', async () => {
    const name = await addCell('compare');
    const cmp = cell(name);
    expect(await cmp.getByTestId('cmp-base').inputValue()).toBe(cvName);
    const options = await cmp.getByTestId('cmp-add').locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.getAttribute('data-label') })));
    const vip = options.find((o) => o.label === VIP)!;
    const champions = options.find((o) => o.label === 'rfm: Champions')!;
    await cmp.getByTestId('cmp-add').selectOption(vip.value);
    const again = await cmp.getByTestId('cmp-add').locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.getAttribute('data-label') })));
    await afterRun(name, () => cmp.getByTestId('cmp-add').selectOption(again.find((o) => o.label === champions.label)!.value));
    // A group of the cross-tab joins them.
    const third = await cmp.getByTestId('cmp-add').locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.getAttribute('data-label') })));
    await afterRun(name, () => cmp.getByTestId('cmp-add').selectOption(third.find((o) => o.label === 'attributes_1: Tier 1 × <5k')!.value));
    const sizes = await cmp.getByTestId('cmp-size-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-segment'), Number(e.getAttribute('data-customers'))]));
    const [rfmChampions, tier1Low] = await sqlNumbers(`SELECT (SELECT count(*) FROM rfm WHERE segment = 'Champions'), (SELECT count(*) FROM customers WHERE city_tier = 'Tier 1' AND income_band = '<5k')`);
    expect(sizes).toEqual([['All customers', customers], [VIP, savedCount], ['rfm: Champions', rfmChampions], ['attributes_1: Tier 1 × <5k', tier1Low]]);
    expect(await cmp.getByTestId('cmp-heat').locator('svg rect').count()).toBeGreaterThan(10);
    expect(await cmp.getByTestId('cmp-row').count()).toBeGreaterThan(5);
  });

  test('a segment over the customer view joined with RFM scores: conditions on both; live count = saved rows = SQL', async () => {
    const name = await addCell('segment');
    const seg = cell(name);
    await seg.getByTestId('seg-rfm').selectOption('rfm');
    await seg.getByTestId('add-condition').click();
    const a = seg.locator('[data-testid="cond"][data-path="1"]');
    await a.getByTestId('cond-column').selectOption('segment');
    await a.getByTestId('cond-value-input').fill('Champions');
    await a.getByTestId('cond-value-input').press('Enter');
    await seg.getByTestId('add-condition').last().click();
    const b = seg.locator('[data-testid="cond"][data-path="2"]');
    await b.getByTestId('cond-column').selectOption('urban_rural');
    await b.getByTestId('cond-value-input').fill('Rural');
    await b.getByTestId('cond-value-input').press('Enter');
    const live = await liveCount(seg);
    const [independent] = await sqlNumbers(`SELECT count(*) FROM rfm r JOIN customers c USING (customer_id) WHERE r.segment = 'Champions' AND c.urban_rural = 'Rural'`);
    expect(live.customers).toBe(independent);
    await afterRun(name, () => seg.getByTestId('seg-save').click());
    expect(Number(await seg.getByTestId('row-count').getAttribute('data-rows'))).toBe(independent);
    expect(await seg.getByTestId('seg-sql-text').textContent()).toContain('LEFT JOIN "rfm" r ON c."customer_id" = r."customer_id"');
    expect(await seg.getByTestId('seg-profile-row').count()).toBeGreaterThan(3);
  });

  test('bad input: a wrong-typed value, an empty segment, values with quotes and Chinese, a join that matches nothing', async () => {
    const name = await addCell('segment');
    const seg = cell(name);
    await seg.getByTestId('add-condition').click();
    const c = seg.locator('[data-testid="cond"][data-path="1"]');
    await c.getByTestId('cond-column').selectOption('orders');
    await c.getByTestId('cond-value').fill('three');
    expect(await c.getByTestId('cond-problem').textContent()).toBe("'three' is not a number: column 'orders' holds whole numbers");
    expect(await seg.getByTestId('seg-live').getAttribute('data-state')).toBe('invalid');
    // Saving anyway explains, without SQL.
    await afterRun(name, () => seg.getByTestId('seg-save').click(), 'error');
    const error = (await seg.getByTestId('cell-error').textContent())!;
    expect(error).toContain("Condition 1: 'three' is not a number");
    expect(error).not.toMatch(/SELECT|Binder|Parser/);

    // An empty segment says so; the notebook keeps working.
    await c.getByTestId('cond-value').fill('100000');
    expect((await liveCount(seg)).customers).toBe(0);
    expect(await seg.getByTestId('seg-empty').textContent()).toMatch(/No customer matches/);

    // Values with quotes and Chinese characters are plain values.
    await c.getByTestId('cond-column').selectOption('lifestyle');
    for (const v of ['Outdoor', `O'Brien "户外"`, 'SELECT * FROM customers; --']) {
      await c.getByTestId('cond-value-input').fill(v);
      await c.getByTestId('cond-value-input').press('Enter');
    }
    expect(await c.getByTestId('cond-chip').count()).toBe(3);
    const [outdoor] = await sqlNumbers(`SELECT count(*) FROM customers WHERE lifestyle = 'Outdoor'`);
    expect((await liveCount(seg)).customers).toBe(outdoor);
    await afterRun(name, () => seg.getByTestId('seg-save').click());
    expect(Number(await seg.getByTestId('row-count').getAttribute('data-rows'))).toBe(outdoor);

    // A customer view whose join matches nothing stops with a message naming both tables.
    const bad = await addCell('customers');
    const cv = cell(bad);
    await afterRun(bad, () => cv.getByTestId('cv-customers-id').selectOption('city'), 'error');
    const joinError = (await cv.getByTestId('cell-error').textContent())!;
    expect(joinError).toMatch(/no customer id in 'purchases' \(e\.g\. .*\) matches one in 'customers'/);
    expect(joinError).not.toMatch(/SELECT|Binder/);
    expect(app.pageErrors).toEqual([]);
  });
});
