/**
 * The RFM cell in the built app (issue 3): on the sample data the starter's RFM cell has run; its
 * numbers agree with an independent SQL computation; the summary, charts, segment lists, exports
 * and SQL work as a user would use them; wrong column choices and rule gaps explain themselves;
 * the 8-type model (issue 15) names every customer with one of its eight types.
 * With SHOTS_DIR set, a screenshot of the cell with the 8-type model goes there (to look at it).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { closeBrowser, openApp, type AppPage } from './browser';
import { addCell, addSqlCell as addSqlCellIn, afterRun, cellNamed, cellVersion, gridRow } from './cells';

let app: AppPage;

beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const cell = (name: string) => cellNamed(app.page, name);
const rfm = () => cell('rfm');
const HEADER = 'customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment';
const SHOTS = process.env.SHOTS_DIR ?? null;
const TYPES = ['High-value loyal', 'High-value to develop', 'High-value to retain', 'High-value to win back', 'Low-value loyal', 'Low-value to develop', 'Low-value to retain', 'Low-value to win back'];
const SEGMENTS = ['Champions', 'Loyal Customers', 'New Customers', 'Promising', 'Potential Loyalist', 'Need Attention', "Can't Lose Them", 'At Risk', 'About To Sleep', 'Hibernating', 'Lost'];

const addSqlCell = (sql: string) => addSqlCellIn(app.page, sql);
const firstRow = (name: string) => gridRow(app.page, name);
const rfmVersion = () => cellVersion(app.page, 'rfm');
const afterRerun = (action: () => Promise<unknown>) => afterRun(app.page, 'rfm', action);

async function waitForStatus(status: 'done' | 'error'): Promise<void> {
  await rfm().and(app.page.locator(`[data-status="${status}"]`)).waitFor({ timeout: 60_000 });
}

async function summaryRows(): Promise<{ segment: string; customers: number }[]> {
  return rfm()
    .getByTestId('rfm-segment-row')
    .evaluateAll((rows) => rows.map((r) => ({ segment: r.getAttribute('data-segment')!, customers: Number(r.getAttribute('data-customers')) })));
}

async function customerCount(): Promise<number> {
  return Number(await rfm().getByTestId('rfm-meta').getAttribute('data-customers'));
}

async function downloadText(click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([app.page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

function csvLines(bytes: Buffer): string[] {
  let text = bytes.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  text = text.slice(1);
  return text.split('\r\n').filter((l) => l !== '');
}

describe('the starter notebook\'s RFM cell', () => {
  test('has run on the sample data; its customers and measures agree with an independent computation', async () => {
    expect(await rfm().getAttribute('data-status')).toBe('done');
    const customers = await customerCount();
    expect(customers).toBeGreaterThan(1000);
    const ms = Number(await rfm().getByTestId('rfm-meta').getAttribute('data-ms'));
    console.log(`RFM cell on the sample data: ${customers} customers in ${ms} ms (as shown: ${await rfm().getByTestId('rfm-meta').textContent()})`);

    // Independently: customers with at least one purchase (refunds are negative amounts), and per
    // customer the days from the day after the last order to their last purchase, their purchase
    // count (order ids are unique per row) and their net spend.
    const check = await addSqlCell(`WITH ref AS (
  SELECT customer_id,
    (SELECT max(order_date) + 1 FROM orders) - max(order_date) FILTER (WHERE amount >= 0) AS rec,
    count(*) FILTER (WHERE amount >= 0) AS freq,
    round(sum(amount), 2) AS total
  FROM orders
  GROUP BY customer_id
  HAVING count(*) FILTER (WHERE amount >= 0) > 0
)
SELECT (SELECT count(DISTINCT customer_id) FROM orders WHERE amount >= 0) AS buyers,
  count(*) AS joined,
  count(*) FILTER (WHERE r.recency_days <> ref.rec OR r.frequency <> ref.freq OR abs(r.monetary - ref.total) > 0.005) AS mismatches
FROM ref JOIN rfm r USING (customer_id)`);
    expect(await cell(check).getAttribute('data-status')).toBe('done');
    const [buyers, joined, mismatches] = (await firstRow(check)).map(Number);
    expect(buyers).toBe(customers);
    expect(joined).toBe(customers);
    expect(mismatches).toBe(0);
  });

  test('the summary lists the 11 segments in rule order, customer counts summing to the per-customer rows', async () => {
    const rows = await summaryRows();
    expect(rows.map((r) => r.segment)).toEqual(SEGMENTS);
    expect(rows.reduce((s, r) => s + r.customers, 0)).toBe(await customerCount());
    expect(await rfm().getByTestId('rfm-summary-total').textContent()).toBe((await customerCount()).toLocaleString('en-US'));
    // The scoring is explained in one line, and the as-of date is the data's, not the clock's.
    expect(await rfm().getByTestId('rfm-explain').textContent()).toMatch(/five groups of about equal size.*F 1 means one order/);
    expect(await rfm().getByTestId('rfm-meta').textContent()).toContain('as of 2026-01-01');
    // Descriptions and actions are shown per segment.
    expect(await rfm().getByTestId('rfm-segment-action').first().textContent()).toMatch(/^→ \S/);
  });

  test('the summary sorts by a column and back', async () => {
    await rfm().getByTestId('rfm-sort-customers').click();
    const sorted = (await summaryRows()).map((r) => r.customers);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    await rfm().getByTestId('rfm-sort-customers').click();
    const ascending = (await summaryRows()).map((r) => r.customers);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  });

  test('the charts render with their marks and figures', async () => {
    for (const id of ['rfm-chart-shares', 'rfm-chart-grid', 'rfm-chart-pareto', 'rfm-chart-deciles', 'rfm-chart-recency_days', 'rfm-chart-frequency', 'rfm-chart-monetary']) {
      const svg = rfm().getByTestId(id).locator('[data-testid="plot"] svg');
      expect(await svg.count(), id).toBeGreaterThan(0);
    }
    // 11 segments x 2 bars; 25 grid cells; 10 deciles; the Pareto curve is a path.
    expect(await rfm().getByTestId('rfm-chart-shares').locator('svg rect').count()).toBe(22);
    expect(await rfm().getByTestId('rfm-chart-grid').locator('svg rect').count()).toBeGreaterThanOrEqual(25);
    expect(await rfm().getByTestId('rfm-chart-deciles').locator('svg rect').count()).toBe(10);
    expect(await rfm().getByTestId('rfm-chart-pareto').locator('svg path').count()).toBeGreaterThan(2);
    expect(await rfm().getByTestId('rfm-chart-grid').textContent()).toContain('Champions');
    const gini = Number(await rfm().getByTestId('rfm-gini').textContent());
    expect(gini).toBeGreaterThan(0);
    expect(gini).toBeLessThan(1);
    expect(await rfm().getByTestId('rfm-top-share').count()).toBe(4);
    expect(app.pageErrors).toEqual([]);
  });

  test('clicking a segment lists its customers; its export has the right columns and rows', async () => {
    const atRisk = (await summaryRows()).find((r) => r.segment === 'At Risk')!;
    expect(atRisk.customers).toBeGreaterThan(0);
    await rfm().locator('[data-testid="rfm-segment-row"][data-segment="At Risk"] button').click();
    const count = rfm().getByTestId('rfm-selection-count');
    await rfm().locator('[data-testid="rfm-selection-count"][data-segment="At Risk"]').waitFor();
    expect(Number(await count.getAttribute('data-rows'))).toBe(atRisk.customers);
    const grid = rfm().getByTestId('rfm-customers').getByTestId('result-grid');
    expect(Number(await grid.getAttribute('aria-rowcount'))).toBe(atRisk.customers);
    const first = grid.locator('[data-row="0"] .td');
    await first.first().filter({ hasText: /\S/ }).waitFor();
    expect((await first.allTextContents()).at(-1)).toBe('At Risk');

    const { download, bytes } = await downloadText(() => rfm().getByTestId('rfm-export-csv').click());
    expect(download.suggestedFilename()).toBe('rfm_at_risk.csv');
    const lines = csvLines(bytes);
    expect(lines[0]).toBe(HEADER);
    expect(lines.length - 1).toBe(atRisk.customers);
    expect(lines.slice(1).every((l) => l.endsWith(',At Risk'))).toBe(true);
  });

  test('all customers export as CSV and Parquet', async () => {
    await rfm().getByTestId('rfm-show-all').click();
    await rfm().locator('[data-testid="rfm-selection-count"][data-segment=""]').waitFor();
    const customers = await customerCount();
    const csv = await downloadText(() => rfm().getByTestId('rfm-export-csv').click());
    expect(csv.download.suggestedFilename()).toBe('rfm_all.csv');
    const lines = csvLines(csv.bytes);
    expect(lines[0]).toBe(HEADER);
    expect(lines.length - 1).toBe(customers);
    const parquet = await downloadText(() => rfm().getByTestId('rfm-export-parquet').click());
    expect(parquet.download.suggestedFilename()).toBe('rfm_all.parquet');
    expect(parquet.bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(parquet.bytes.subarray(-4).toString()).toBe('PAR1');
  });

  test('the SQL behind the result is shown, copies, and runs on its own', async () => {
    await rfm().getByTestId('rfm-sql').locator('summary').click();
    const sql = (await rfm().getByTestId('rfm-sql-text').textContent())!;
    expect(sql).toMatch(/^WITH/);
    expect(sql).toContain('FROM "purchases"');
    expect(sql).not.toMatch(/current_date|now\(\)/i);
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await rfm().getByTestId('rfm-copy-sql').click();
    await rfm().getByTestId('rfm-copy-sql').filter({ hasText: 'Copied' }).waitFor();
    expect(await app.page.evaluate(() => navigator.clipboard.readText())).toBe(sql);
    // The same text as a plain query gives one row per customer.
    const name = await addSqlCell(`SELECT count(*) AS n, count(DISTINCT segment) AS segments FROM (${sql})`);
    expect(await cell(name).getAttribute('data-status')).toBe('done');
    expect((await firstRow(name)).map(Number)).toEqual([await customerCount(), SEGMENTS.length]);
  });
});

describe('explaining problems', () => {
  test('choosing the orders table instead of the model shows its columns, guessed, with the same customers', async () => {
    const customers = await customerCount();
    expect(await rfm().getByTestId('rfm-model').isVisible()).toBe(true);
    await afterRerun(() => rfm().getByTestId('rfm-source').selectOption('orders'));
    expect(await rfm().getByTestId('rfm-role-customerId').inputValue()).toBe('customer_id');
    expect(await rfm().getByTestId('rfm-role-amount').inputValue()).toBe('amount');
    expect(await customerCount()).toBe(customers);
  });

  test('a text column as the amount, or a column with no dates, gets a clear message instead of a SQL error', async () => {
    await rfm().getByTestId('rfm-role-amount').selectOption('channel');
    await waitForStatus('error');
    const problems = rfm().getByTestId('rfm-problems');
    expect(await problems.locator('[data-severity="error"]').allTextContents()).toContain("'channel' is text, not a number: choose a numeric column as the amount");
    expect(await rfm().textContent()).not.toMatch(/Binder Error|Conversion Error/);

    await afterRerun(() => rfm().getByTestId('rfm-role-amount').selectOption('amount'));
    await rfm().getByTestId('rfm-role-orderDate').selectOption('channel');
    await waitForStatus('error');
    expect((await problems.locator('[data-severity="error"]').allTextContents()).join('\n')).toMatch(/no dates in column 'channel': none of its \d+ values reads as a date/);
    expect(await rfm().textContent()).not.toMatch(/Binder Error|Conversion Error/);

    await afterRerun(() => rfm().getByTestId('rfm-role-orderDate').selectOption('order_date'));
    expect(await summaryRows()).toHaveLength(SEGMENTS.length);
  });

  test('changing settings reruns with them: average order value, refunds excluded, thresholds', async () => {
    const before = await customerCount();
    await afterRerun(() => rfm().getByTestId('rfm-monetary').selectOption('average'));
    await afterRerun(() => rfm().getByTestId('rfm-refunds').selectOption('exclude'));
    expect(await rfm().getByTestId('rfm-notes').textContent()).toMatch(/refund rows \(excluded\)/);
    await afterRerun(() => rfm().getByTestId('rfm-scoring').selectOption('thresholds'));
    expect(await rfm().getByTestId('rfm-explain').textContent()).toMatch(/your cut points/);
    // Thresholds start from the cut points of the quantile run: a bad edit is refused with a message.
    await rfm().getByTestId('rfm-cut-r-1').fill('0');
    await rfm().getByTestId('rfm-cut-r-1').press('Tab');
    await waitForStatus('error');
    expect(await rfm().getByTestId('rfm-problems').textContent()).toMatch(/R cut points must be ascending/);
    await afterRerun(() => rfm().getByTestId('rfm-scoring').selectOption('quantile'));
    await afterRerun(() => rfm().getByTestId('rfm-refunds').selectOption('net'));
    await afterRerun(() => rfm().getByTestId('rfm-monetary').selectOption('total'));
    expect(await customerCount()).toBe(before);
  });

  test('a rule edit that leaves a score combination unassigned, or a rule unreachable, is flagged', async () => {
    expect(await rfm().getByTestId('rfm-coverage').count()).toBe(0);
    await rfm().getByTestId('rfm-rules-box').locator('summary').click();
    const lost = rfm().locator('[data-testid="rfm-rule"][data-rule="Lost"]');
    // Lost is R 1, F 1, M 1-5: narrowing M to 1-4 leaves 1-1-5 to no rule.
    await afterRerun(() => lost.getByTestId('rfm-rule-m-to').selectOption('4'));
    const unassigned = rfm().getByTestId('rfm-unassigned');
    await unassigned.waitFor();
    expect(await unassigned.getAttribute('data-count')).toBe('1');
    expect(await unassigned.textContent()).toContain('1-1-5');
    // The summary still adds up (an Unassigned row appears if any customer is 1-1-5).
    expect((await summaryRows()).reduce((s, r) => s + r.customers, 0)).toBe(await customerCount());

    await afterRerun(() => rfm().getByTestId('rfm-rule-reset').click());
    expect(await rfm().getByTestId('rfm-coverage').count()).toBe(0);
    expect((await summaryRows()).map((r) => r.segment)).toEqual(SEGMENTS);

    // A new rule at the end gets nothing: the rules above already take every combination.
    await afterRerun(() => rfm().getByTestId('rfm-rule-add').click());
    expect(await rfm().getByTestId('rfm-unreachable').textContent()).toContain('Segment 12');
    expect(await rfm().getByTestId('rfm-unassigned').count()).toBe(0);
    await afterRerun(() => rfm().locator('[data-testid="rfm-rule"][data-rule="Segment 12"]').getByTestId('rfm-rule-remove').click());
    expect(await rfm().getByTestId('rfm-coverage').count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});

test('"+ RFM" adds a cell over the orders model, which runs to the same customers', async () => {
  const name = await addCell(app.page, 'rfm');
  const added = cell(name);
  expect(name).toMatch(/^rfm_\d+$/);
  expect(await added.getByTestId('rfm-source').inputValue()).toBe('purchases');
  expect(await added.getByTestId('rfm-model').isVisible()).toBe(true);
  expect(await added.getByTestId('rfm-role-customerId').count()).toBe(0);
  await added.getByTestId('rfm-not-run').waitFor();
  await added.getByTestId('run-cell').click();
  await cell(name).and(app.page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
  expect(Number(await cell(name).getByTestId('rfm-meta').getAttribute('data-customers'))).toBe(await customerCount());
  expect(app.pageErrors).toEqual([]);
});

test('issue 15: the 8-type model names every customer with one of its eight types, against the stated references', async () => {
  const customers = await customerCount();
  await afterRerun(() => rfm().getByTestId('rfm-model-select').selectOption('types'));
  const rows = await summaryRows();
  expect(rows.map((r) => r.segment)).toEqual(TYPES);
  expect(rows.reduce((s, r) => s + r.customers, 0)).toBe(customers);
  const lines = await rfm().getByTestId('rfm8-reference-line').allTextContents();
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^R: last purchase ≤ \d+ days ago counts as high \(mean [\d.,]+\)$/);
  expect(await rfm().getByTestId('rfm8-chart-grid').locator('svg').count()).toBeGreaterThan(0);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    // The page header is sticky: let it scroll away so it does not cover the middle of a tall shot.
    await rfm().screenshot({ path: `${SHOTS}/rfm-8-types.png`, style: 'header.top { position: static !important; }' });
  }
  expect(app.pageErrors).toEqual([]);
});
