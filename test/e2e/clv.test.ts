/**
 * Customers over time in the built app (issue 8): on the sample data a user adds a lifecycle, a
 * CLV and a movement cell with the "+" buttons and runs them. Lifecycle stages sum to the
 * customers (checked against an independent count), the churn list renders and exports a CSV with
 * its header; the CLV cell shows the fitted parameters, the Gamma-Gamma check, distributions and
 * its table; the movement matrix and flow chart sum to the customers of either date, and clicking a
 * flow lists its customers. Wrong columns and dates outside the data explain themselves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { closeBrowser, openApp, type AppPage } from './browser';
import { addAndRun as addAndRunIn, cellNamed, cellVersion, runSql, settleCell } from './cells';

const SHOTS = process.env.SHOTS_DIR ?? null;

let app: AppPage;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const cell = (name: string) => cellNamed(app.page, name);
const settle = (name: string, previousVersion = -1) => settleCell(app.page, name, previousVersion);
const version = (name: string) => cellVersion(app.page, name);
const addSql = (sql: string) => runSql(app.page, sql);
const WARNING_HEADER = 'customer_id,stage,warning_reason,value_at_stake,revenue,purchase_days,usual_interval_days,days_since_last,gap_ratio,recent_purchase_days,earlier_purchase_days,last_purchase';

/** Adds a cell of `kind` with its "+" button, runs it, and returns its name. */
async function addAndRun(kind: string): Promise<string> {
  const t0 = Date.now();
  const name = await addAndRunIn(app.page, kind);
  console.log(`${kind} cell on the sample data: done in ${Date.now() - t0} ms (${await cell(name).getByTestId('row-count').textContent()})`);
  return name;
}

describe('the lifecycle cell', () => {
  let name: string;
  beforeAll(async () => {
    name = await addAndRun('lifecycle');
  });

  test('stages every customer with a purchase; the stage counts sum to them', async () => {
    const c = cell(name);
    const customers = Number(await c.getByTestId('lc-meta').getAttribute('data-customers'));
    const rows = await c.getByTestId('lc-stage-row').evaluateAll((els) => els.map((e) => ({ stage: e.getAttribute('data-stage'), n: Number(e.getAttribute('data-customers')) })));
    expect(rows.map((r) => r.stage)).toEqual(['new', 'active', 'reactivated', 'cooling', 'at_risk', 'lapsed']);
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(customers);
    expect(Number(await c.getByTestId('lc-summary-total').getAttribute('data-customers'))).toBe(customers);
    // Independently: customers with at least one purchase (refunds are negative amounts).
    const [buyers] = await addSql('SELECT count(DISTINCT customer_id) AS n FROM orders WHERE amount >= 0');
    expect(Number(buyers)).toBe(customers);
    // The rules are shown as a table with each stage's customers; the as-of date is the data's.
    expect(await c.getByTestId('lc-rule-row').count()).toBe(6);
    expect(await c.getByTestId('lc-as-of-auto').textContent()).toContain('2026-01-01');
    for (const id of ['lc-chart-shares', 'lc-chart-gaps']) expect(await c.getByTestId(id).locator('[data-testid="plot"] svg').count()).toBeGreaterThan(0);
  });

  test('the churn-warning list renders and exports a CSV with its header', async () => {
    const c = cell(name);
    const warnings = Number(await c.getByTestId('lc-warning-count').getAttribute('data-rows'));
    expect(warnings).toBeGreaterThan(0);
    await c.getByTestId('lc-warnings').locator('[data-row="0"] .td').first().waitFor();
    const [download] = await Promise.all([app.page.waitForEvent('download', { timeout: 60_000 }), c.getByTestId('lc-export-warnings').click()]);
    expect(download.suggestedFilename()).toBe(`${name}_churn_warnings.csv`);
    let text = readFileSync((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    text = text.slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(WARNING_HEADER);
    expect(lines).toHaveLength(warnings + 1);
  });

  test('clicking a stage lists its customers', async () => {
    const c = cell(name);
    const row = c.locator('[data-testid="lc-stage-row"][data-stage="lapsed"]');
    const n = Number(await row.getAttribute('data-customers'));
    await row.locator('button').click();
    await c.locator(`[data-testid="lc-selection-count"][data-rows="${n}"]`).waitFor({ timeout: 30_000 });
  });

  test('a changed rule re-runs the cell and moves customers between stages', async () => {
    const c = cell(name);
    const before = Number(await c.locator('[data-testid="lc-stage-row"][data-stage="new"]').getAttribute('data-customers'));
    const v = await version(name);
    await c.getByTestId('lc-rule-newDays').fill('90');
    await c.getByTestId('lc-rule-newDays').press('Tab');
    expect(await settle(name, v)).toBe('done');
    expect(Number(await c.locator('[data-testid="lc-stage-row"][data-stage="new"]').getAttribute('data-customers'))).toBeGreaterThan(before);
  });

  test('wrong column choices and dates outside the data explain themselves', async () => {
    const c = cell(name);
    let v = await version(name);
    // The cell reads the orders model; choosing the orders table instead shows its columns.
    expect(await c.getByTestId('lc-setup-source').inputValue()).toBe('purchases');
    await c.getByTestId('lc-setup-source').selectOption('orders');
    expect(await settle(name, v)).toBe('done');
    v = await version(name);
    await c.getByTestId('lc-setup-amount').selectOption('channel');
    expect(await settle(name, v)).toBe('error');
    expect(await c.getByTestId('cell-error').textContent()).toMatch(/'channel' is text, not a number/);
    await c.getByTestId('lc-setup-amount').selectOption('amount');
    expect(await settle(name, v)).toBe('done');
    v = await version(name);
    await c.getByTestId('lc-as-of').fill('2020-01-01');
    expect(await settle(name, v)).toBe('error');
    expect(await c.getByTestId('cell-error').textContent()).toMatch(/2020-01-01 is on or before the first purchase in the data \(2023-01-01\)/);
    await c.getByTestId('lc-as-of').fill('');
    await c.getByTestId('lc-as-of').dispatchEvent('change');
    expect(await settle(name, v)).toBe('done');
  });
});

describe('the CLV cell', () => {
  let name: string;
  beforeAll(async () => {
    name = await addAndRun('clv');
  });

  test('shows the fitted parameters with their log-likelihoods and the Gamma-Gamma check', async () => {
    const c = cell(name);
    for (const p of ['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma']) {
      const v = Number((await c.getByTestId(`clv-param-${p}`).textContent())!.replace(/,/g, ''));
      expect(v, p).toBeGreaterThan(0);
    }
    expect(Number(await c.getByTestId('clv-ll-bgnbd').textContent())).toBeLessThan(0);
    expect(Number(await c.getByTestId('clv-ll-gg').textContent())).toBeLessThan(0);
    await c.getByTestId('clv-converged').waitFor();
    const check = c.getByTestId('clv-gg-check');
    expect(await check.getAttribute('data-ok')).toBe('true');
    expect(await check.textContent()).toMatch(/correlation r = -?0\.\d\d/);
    const meta = c.getByTestId('clv-meta');
    console.log(`CLV fit on the sample: ${await meta.getAttribute('data-customers')} customers, ${await meta.getAttribute('data-fit-ms')} ms in the worker task (${await meta.textContent()})`);
  });

  test('shows the distributions, CLV by RFM segment and the per-customer table', async () => {
    const c = cell(name);
    for (const id of ['clv-chart-p_alive', 'clv-chart-clv', 'clv-chart-segments']) expect(await c.getByTestId(id).locator('[data-testid="plot"] svg').count(), id).toBeGreaterThan(0);
    const customers = Number(await c.getByTestId('clv-meta').getAttribute('data-customers'));
    const segs = await c.getByTestId('clv-segment-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-customers'))));
    expect(segs.reduce((s, n) => s + n, 0)).toBe(customers);
    const grid = c.getByTestId('clv-table').getByTestId('result-grid');
    expect(Number(await grid.getAttribute('aria-rowcount'))).toBe(customers);
    const headers = await grid.locator('.th .cn').allTextContents();
    expect(headers).toEqual(['customer_id', 'frequency', 'recency', 'age', 'avg_repeat_value', 'p_alive', 'churn_risk', 'expected_purchases', 'p_order', 'next_order_date', 'next_order_source', 'expected_aov', 'clv']);
    // Highest CLV first; every P(alive) is a probability.
    const check = await addSql(`SELECT count(*) FILTER (WHERE p_alive < 0 OR p_alive > 1) AS bad, max(clv) = (SELECT clv FROM ${name} LIMIT 1) AS top_first, count(*) AS n FROM ${name}`);
    expect(check).toEqual(['0', 'true', String(customers)]);
  });

  test('in holdout mode it shows predicted against actual purchases per frequency group', async () => {
    const c = cell(name);
    const v = await version(name);
    await c.getByTestId('clv-holdout').fill('26');
    await c.getByTestId('clv-holdout').press('Tab');
    expect(await settle(name, v)).toBe('done');
    const h = c.getByTestId('clv-holdout');
    await h.locator('[data-testid="plot"] svg').first().waitFor();
    expect(await c.getByTestId('clv-holdout-totals').textContent()).toMatch(/actual, .* predicted/);
    expect(await h.locator('svg circle').count()).toBeGreaterThanOrEqual(8);
  });
});

describe('the CLV cell with Pareto/NBD (issue 17)', () => {
  test('choosing Pareto/NBD shows both log-likelihoods and holdout errors, the model checks and the next-order column', async () => {
    const name = (await app.page.getByTestId('cell').filter({ has: app.page.getByTestId('clv-model') }).last().getAttribute('data-name'))!;
    const c = cell(name);
    const v = await version(name);
    const t0 = Date.now();
    await c.getByTestId('clv-model').selectOption('paretonbd');
    expect(await settle(name, v)).toBe('done');
    console.log(`CLV with Pareto/NBD on the sample: ${Date.now() - t0} ms (${await c.getByTestId('clv-meta').textContent()})`);
    for (const m of ['bgnbd', 'paretonbd']) {
      expect(Number(await c.getByTestId(`clv-ll-${m}`).textContent()), m).toBeLessThan(0);
      expect(Number(await c.getByTestId(`clv-mae-${m}`).textContent()), m).toBeGreaterThan(0);
    }
    expect(await c.locator('[data-testid="clv-compare-row"][data-model="paretonbd"] [data-testid="clv-drives"]').count()).toBe(1);
    expect(Number((await c.getByTestId('clv-param-pnbd-s').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
    for (const id of ['clv-grid-p_alive', 'clv-grid-expected', 'clv-tracking']) expect(await c.getByTestId(id).locator('[data-testid="plot"] svg').count(), id).toBeGreaterThan(0);
    const headers = await c.getByTestId('clv-table').getByTestId('result-grid').locator('.th .cn').allTextContents();
    expect(headers).toContain('next_order_date');
    // Model dates fall after the last calibration day and within the 52-week horizon; bands follow P(alive).
    const [bad, dated] = await addSql(`SELECT count(*) FILTER (WHERE (next_order_source = 'model' AND p_order < 0.5)
        OR (churn_risk = 'high') <> (p_alive < 0.3) OR (next_order_date IS NULL) <> (next_order_source IS NULL)) AS bad,
      count(*) FILTER (WHERE next_order_source = 'model') AS dated FROM ${name}`);
    expect(bad).toBe('0');
    expect(Number(dated)).toBeGreaterThan(0);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await c.scrollIntoViewIfNeeded();
      await c.screenshot({ path: `${SHOTS}/clv-paretonbd.png` });
    }
  });
});

describe('the movement cell', () => {
  let name: string;
  beforeAll(async () => {
    name = await addAndRun('movement');
  });

  test('compares the RFM cell\'s segments at two dates; matrix and flows sum to the customers of either date', async () => {
    const c = cell(name);
    expect(await c.getByTestId('mv-meta').textContent()).toContain('settings of rfm');
    const customers = Number(await c.getByTestId('mv-meta').getAttribute('data-customers'));
    const cells = await c.getByTestId('mv-cell').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-customers'))));
    expect(cells.reduce((s, n) => s + n, 0)).toBe(customers);
    expect(Number(await c.getByTestId('mv-total').getAttribute('data-customers'))).toBe(customers);
    const flows = await c.getByTestId('mv-flow').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-customers'))));
    expect(flows.reduce((s, n) => s + n, 0)).toBe(customers);
    // Independently: customers with a purchase in the year before either date (as shown: 2025-10-03 and 2026-01-01).
    expect(await c.getByTestId('mv-meta').textContent()).toContain('2025-10-03 → 2026-01-01');
    const [n] = await addSql(`SELECT count(DISTINCT customer_id) FROM orders WHERE amount >= 0 AND (
  (order_date >= DATE '2025-10-03' - 365 AND order_date < DATE '2025-10-03') OR (order_date >= DATE '2026-01-01' - 365 AND order_date < DATE '2026-01-01'))`);
    expect(Number(n)).toBe(customers);
    // New and departed customers have their own row and column.
    expect(await c.locator('[data-testid="mv-cell"][data-from="(new)"]').count()).toBeGreaterThan(0);
    expect(await c.locator('[data-testid="mv-cell"][data-to="(departed)"]').count()).toBeGreaterThan(0);
  });

  test('clicking a flow lists its customers (in the matrix and in the chart)', async () => {
    const c = cell(name);
    const matrixCell = c.locator('[data-testid="mv-cell"][data-from="Champions"][data-to="Champions"]');
    const n = Number(await matrixCell.getAttribute('data-customers'));
    await matrixCell.click();
    await c.locator(`[data-testid="mv-selection-count"][data-rows="${n}"][data-from="Champions"][data-to="Champions"]`).waitFor({ timeout: 30_000 });
    await c.getByTestId('mv-customers').locator('[data-row="0"] .td').first().waitFor();
    expect(await c.getByTestId('mv-customers').locator('[data-row="0"] .td').nth(1).textContent()).toBe('Champions');

    const band = c.locator('[data-testid="mv-flow"][data-from="(new)"]').first();
    const to = (await band.getAttribute('data-to'))!;
    const m = Number(await band.getAttribute('data-customers'));
    await band.dispatchEvent('click');
    await c.locator(`[data-testid="mv-selection-count"][data-rows="${m}"][data-from="(new)"][data-to="${to}"]`).waitFor({ timeout: 30_000 });
  });

  test('lifecycle stages can be compared too', async () => {
    const c = cell(name);
    const v = await version(name);
    await c.getByTestId('mv-measure').selectOption('lifecycle');
    expect(await settle(name, v)).toBe('done');
    const customers = Number(await c.getByTestId('mv-meta').getAttribute('data-customers'));
    const cells = await c.getByTestId('mv-cell').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-customers'))));
    expect(cells.reduce((s, x) => s + x, 0)).toBe(customers);
    expect(await c.locator('[data-testid="mv-cell"][data-to="lapsed"]').count()).toBeGreaterThan(0);
  });

  test('dates in the wrong order are refused with a message', async () => {
    const c = cell(name);
    const v = await version(name);
    await c.getByTestId('mv-from').fill('2026-06-01');
    expect(await settle(name, v)).toBe('error');
    expect(await c.getByTestId('cell-error').textContent()).toMatch(/first date \(2026-06-01\) must be before the second \(2026-01-01\)/);
  });

  test('nothing failed on the page and nothing left it', () => {
    expect(app.pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});

describe('movement between two saved segment views', () => {
  test('compares the segment column of two views: customers only in the first depart, only in the second are new', async () => {
    // The second "snapshot": the RFM segments of customers who bought in the last 90 days only.
    await addSql('SELECT customer_id, segment FROM rfm WHERE recency_days <= 90');
    const second = (await app.page.getByTestId('cell').last().getAttribute('data-name'))!;
    const name = await addAndRun('movement');
    const c = cell(name);
    let v = await version(name);
    await c.getByTestId('mv-measure').selectOption('views');
    await settle(name, v);
    v = await version(name);
    await c.getByTestId('mv-view-a').selectOption('rfm');
    await settle(name, v);
    v = await version(name);
    await c.getByTestId('mv-view-b').selectOption(second);
    const status = await settle(name, v);
    if (status === 'error') console.log('movement error:', await c.getByTestId('cell-error').textContent());
    expect(status).toBe('done');
    const rfmCustomers = Number(await cell('rfm').getByTestId('rfm-meta').getAttribute('data-customers'));
    const customers = Number(await c.getByTestId('mv-meta').getAttribute('data-customers'));
    expect(customers).toBe(rfmCustomers);
    const cells = await c.getByTestId('mv-cell').evaluateAll((els) => els.map((e) => ({ to: e.getAttribute('data-to'), from: e.getAttribute('data-from'), n: Number(e.getAttribute('data-customers')) })));
    expect(cells.reduce((s, x) => s + x.n, 0)).toBe(customers);
    // Nobody is new; everyone in the second view kept their segment; the rest departed.
    expect(cells.filter((x) => x.from === '(new)')).toEqual([]);
    expect(cells.every((x) => x.to === '(departed)' || x.to === x.from)).toBe(true);
    const [recent] = await addSql('SELECT count(*) FROM rfm WHERE recency_days <= 90');
    expect(cells.filter((x) => x.to !== '(departed)').reduce((s, x) => s + x.n, 0)).toBe(Number(recent));
  });
});
