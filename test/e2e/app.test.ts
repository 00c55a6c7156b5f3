/**
 * The built app in headless Chromium, driven as a user would: the sample loads and the starter
 * notebook runs, files are picked and dropped, cells run, charts draw, bad files explain
 * themselves, and nothing leaves the page's origin.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { closeBrowser, dropFiles, openApp, type AppPage } from './browser';
import { openQuiet, typeSqlAndRun } from './notebook-helpers';
import { tableToParquet } from '../gen/write-parquet';
import { sampleIPCToTable } from '../gen/write-arrow';

let app: AppPage;
const enc = new TextEncoder();

beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const cell = (name: string) => app.page.locator(`[data-testid="cell"][data-name="${name}"]`);
const tableItem = (name: string) => app.page.locator(`[data-testid="table-item"][data-table="${name}"]`);

async function addSqlCell(sql: string): Promise<string> {
  await app.page.getByTestId('add-sql').last().click();
  const last = app.page.getByTestId('cell').last();
  const name = (await last.getAttribute('data-name'))!;
  const editor = last.locator('.cm-content');
  await editor.click();
  await app.page.keyboard.press('ControlOrMeta+a');
  await app.page.keyboard.press('Delete');
  await editor.fill(sql);
  await app.page.keyboard.press('Control+Enter');
  return name;
}

/** The text of a result cell once its page of rows has arrived. */
async function cellText(name: string, row: number, col: number): Promise<string> {
  const td = cell(name).locator(`[data-row="${row}"] .td`).nth(col);
  await td.filter({ hasNotText: 'Loading rows…' }).waitFor();
  return (await td.textContent()) ?? '';
}

async function waitForRun(name: string): Promise<string> {
  await cell(name).and(app.page.locator('[data-status="done"], [data-status="error"]')).waitFor({ timeout: 60_000 });
  return (await cell(name).getAttribute('data-status'))!;
}

describe('first visit', () => {
  test('the sample tables are loaded and listed with row counts', async () => {
    await expect(tableItem('customers').textContent()).resolves.toMatch(/[\d,]+ rows/);
    await expect(tableItem('orders').textContent()).resolves.toMatch(/[\d,]+ rows/);
  });

  test('the starter notebook has run: a SQL result with rows and a drawn chart', async () => {
    expect(await cell('monthly_revenue').getAttribute('data-status')).toBe('done');
    const rows = Number(await cell('monthly_revenue').getByTestId('row-count').getAttribute('data-rows'));
    // 36 months x 3 channels in the sample
    expect(rows).toBe(108);
    expect(await cellText('monthly_revenue', 0, 0)).toBe('2023-01-01');
    const svg = cell('revenue_chart').locator('[data-testid="plot"] svg');
    expect(await svg.count()).toBeGreaterThan(0);
    expect(await cell('revenue_chart').locator('path[d]').count()).toBeGreaterThan(0);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('loading files', () => {
  test('a CSV picked with the file button becomes a table', async () => {
    await app.page.getByTestId('file-input').setInputFiles([
      { name: 'My Customers.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,spend\n1,Ann,10.5\n2,Bo,20\n3,Cy,7.25\n') },
    ]);
    await tableItem('my_customers').waitFor();
    expect(await tableItem('my_customers').textContent()).toContain('3 rows');
  });

  test('a dropped Parquet file and a GBK-encoded CSV load with their characters intact', async () => {
    const gbk = readFileSync('test/fixtures/encodings/crm.gbk.csv');
    await dropFiles(app.page, [
      // The sample's orders as Parquet: parquet-wasm loads in the worker on this first use (issue 16).
      { name: 'orders copy.parquet', bytes: tableToParquet(sampleIPCToTable(new Uint8Array(readFileSync('public/samples/orders.arrows')))) },
      { name: '会员.csv', bytes: gbk },
    ]);
    await tableItem('orders_copy').waitFor({ timeout: 60_000 });
    await tableItem('会员').waitFor({ timeout: 60_000 });
    const name = await addSqlCell('SELECT (SELECT count(*) FROM orders_copy) = (SELECT count(*) FROM orders) AS same, (SELECT string_agg(column_name, \',\') FROM (DESCRIBE "会员")) AS cols');
    expect(await waitForRun(name)).toBe('done');
    expect(await cellText(name, 0, 0)).toBe('true');
    expect(await cellText(name, 0, 1)).toContain('客户编号');
  });

  test('a malformed file shows what is wrong and where, and the app keeps working', async () => {
    const text = 'id,amount\n' + Array.from({ length: 25000 }, (_, i) => `${i},${i}.5`).join('\n') + '\noops,1,2\n';
    await app.page.getByTestId('file-input').setInputFiles([{ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(text) }]);
    const error = app.page.getByTestId('load-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/bad\.csv, line 25002: expected 2 fields but found 3\. The line reads: oops,1,2/);
    await app.page.getByTestId('file-input').setInputFiles([{ name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]) }]);
    await app.page.getByText('photo.csv: this is not a text file').waitFor();
    // Loading again while skipping malformed rows gets the good rows.
    await app.page.getByRole('button', { name: 'Load again, skipping malformed rows' }).first().click();
    await tableItem('bad').waitFor();
    expect(await tableItem('bad').textContent()).toContain('25,000 rows');
    const name = await addSqlCell('SELECT count(*) AS n FROM orders');
    expect(await waitForRun(name)).toBe('done');
  });

  test('a file with a line of too many fields is refused naming the line, and loads when skipping it', async () => {
    await app.page.getByTestId('file-input').setInputFiles([{ name: 'odd.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n') }]);
    const error = app.page.getByTestId('load-error').filter({ hasText: 'odd.csv' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/odd\.csv, line 3: expected 3 fields but found 4\. The line reads: 4,5,6,7/);
    await app.page.getByTestId('load-job').filter({ hasText: 'odd.csv' }).getByRole('button', { name: 'Load again, skipping malformed rows' }).click();
    await tableItem('odd').filter({ hasText: '3 columns' }).waitFor();
    expect(await tableItem('odd').textContent()).toContain('2 rows');
  });
});

describe('cells', () => {
  test('a SQL cell runs with Ctrl+Enter and shows its rows; errors show DuckDB\'s message', async () => {
    const name = await addSqlCell("SELECT channel, count(*) AS orders FROM orders GROUP BY channel ORDER BY channel");
    expect(await waitForRun(name)).toBe('done');
    expect(await cell(name).getByTestId('row-count').getAttribute('data-rows')).toBe('3');
    expect(await cellText(name, 0, 0)).toBe('app');
    const bad = await addSqlCell('SELECT nope FROM orders');
    expect(await waitForRun(bad)).toBe('error');
    expect(await cell(bad).getByTestId('cell-error').textContent()).toMatch(/Binder Error: Referenced column "nope" not found/);
  });

  test('a million-row result scrolls, fetching only the rows in view', async () => {
    const name = await addSqlCell('SELECT range AS i, range * 3 AS triple FROM range(1000000)');
    expect(await waitForRun(name)).toBe('done');
    expect(await cell(name).getByTestId('row-count').getAttribute('data-rows')).toBe('1000000');
    const grid = cell(name).getByTestId('result-grid');
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastRow = grid.locator('[data-row="999999"]');
    await lastRow.locator('.td').first().filter({ hasText: '999999' }).waitFor();
    expect(await lastRow.locator('.td').nth(1).textContent()).toBe('2999997');
    // Far fewer rows in the DOM than in the result.
    expect(await grid.locator('[data-row]').count()).toBeLessThan(40);
  });

  test('cells can be renamed, moved and deleted; a later cell reads an earlier one by name', async () => {
    const first = await addSqlCell('SELECT 21 AS half');
    await waitForRun(first);
    const nameInput = cell(first).getByTestId('cell-name');
    await nameInput.fill('half_answer');
    await nameInput.press('Enter');
    await cell('half_answer').waitFor();
    const second = await addSqlCell('SELECT half * 2 AS answer FROM half_answer');
    expect(await waitForRun(second)).toBe('done');
    expect(await cellText(second, 0, 0)).toBe('42');
    const names = async () => app.page.getByTestId('cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    const before = await names();
    await cell(second).getByTestId('move-up').click();
    const after = await names();
    expect(after.indexOf(second)).toBe(before.indexOf(second) - 1);
    await cell(second).getByTestId('delete-cell').click();
    await cell(second).waitFor({ state: 'detached' });
  });

  test('a chart cell draws bars from a table with readable axis labels and tooltips', async () => {
    await app.page.getByTestId('add-chart').last().click();
    const chart = app.page.getByTestId('cell').last();
    await chart.getByTestId('chart-source').selectOption('orders');
    await chart.getByTestId('chart-mark').selectOption('bar');
    await chart.getByTestId('chart-x').selectOption('category');
    await chart.getByTestId('chart-y').selectOption('amount');
    await chart.getByTestId('chart-aggregate').selectOption('sum');
    // Every choice re-draws the chart: wait for the one with all of them.
    await chart.getByTestId('plot').filter({ hasText: /sum\(amount\)/i }).waitFor();
    await expect.poll(async () => chart.locator('[data-testid="plot"] rect').count()).toBeGreaterThanOrEqual(8);
    const text = await chart.getByTestId('plot').textContent();
    expect(text).toMatch(/category/);
    expect(text).toMatch(/sum\(amount\)/i);
    expect(await chart.locator('[data-testid="plot"] rect').count()).toBeGreaterThanOrEqual(8);
  });

  test('a notes cell renders markdown and never raw HTML', async () => {
    await app.page.getByTestId('add-notes').last().click();
    const notes = app.page.getByTestId('cell').last();
    await notes.getByTestId('notes-editor').fill('## Findings\n\n**Bold** text <img src=x onerror="window.__pwned=1"> [bad](javascript:alert(1))');
    await notes.getByTestId('notes-done').click();
    const view = notes.getByTestId('notes-view');
    expect(await view.locator('h2').textContent()).toBe('Findings');
    expect(await view.locator('strong').textContent()).toBe('Bold');
    expect(await view.locator('img').count()).toBe(0);
    expect(await view.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await app.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('a runaway query can be cancelled; tables and notebook survive', async () => {
    const cellsBefore = await app.page.getByTestId('cell').count();
    const name = await addSqlCell('WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t) SELECT count(*) FROM t');
    await app.page.getByTestId('cancel').click();
    expect(await waitForRun(name)).toBe('error');
    expect(await cell(name).getByTestId('cell-error').textContent()).toMatch(/Cancelled|restarted/);
    expect(await app.page.getByTestId('cell').count()).toBe(cellsBefore + 1);
    const check = await addSqlCell('SELECT count(*) AS n FROM my_customers');
    expect(await waitForRun(check)).toBe('done');
    expect(await cellText(check, 0, 0)).toBe('3');
  });
});

describe('recovery', () => {
  test('when the engine worker crashes it is restarted, files are loaded again and the notebook is kept', async () => {
    // The starter notebook not yet run (opened past a link to an empty notebook), and one cell that has run.
    const page = await openQuiet('starter', { path: '?bench' });
    try {
      await page.page.getByTestId('file-input').setInputFiles([{ name: 'kept.csv', mimeType: 'text/csv', buffer: Buffer.from('x\n1\n2\n3\n') }]);
      await page.page.locator('[data-testid="table-item"][data-table="kept"]').waitFor();
      await typeSqlAndRun(page.page, 'SELECT count(*) AS n FROM kept');
      const ran = page.page.getByTestId('cell').last();
      expect(await ran.getAttribute('data-status')).toBe('done');
      const ranName = (await ran.getAttribute('data-name'))!;
      const cellsBefore = await page.page.getByTestId('cell').count();
      await page.page.evaluate(() => (window as unknown as { __segnote: { engine: { client: { crashForTest(): Promise<void> } } } }).__segnote.engine.client.crashForTest());
      await page.page.getByTestId('engine-notice').waitFor();
      expect(await page.page.getByTestId('engine-notice').textContent()).toMatch(/restarted/);
      expect(await page.page.getByTestId('cell').count()).toBe(cellsBefore);
      // Its result came from the engine that crashed.
      await page.page.locator(`[data-testid="cell"][data-name="${ranName}"][data-status="stale"]`).waitFor();
      // The loaded file is back in the new engine: a cell that reads it runs.
      await page.page.getByTestId('add-sql').last().click();
      const last = page.page.getByTestId('cell').last();
      const editor = last.locator('.cm-content');
      await editor.click();
      await page.page.keyboard.press('ControlOrMeta+a');
      await editor.fill('SELECT sum(x) AS s FROM kept');
      await page.page.keyboard.press('Control+Enter');
      await last.and(page.page.locator('[data-status="done"]')).waitFor();
      await last.locator('[data-row="0"] .td').first().filter({ hasText: /^6$/ }).waitFor();
      // Run all brings the starter cells back.
      await page.page.getByTestId('run-all').click();
      await page.page.locator('[data-name="monthly_revenue"][data-status="done"]').waitFor();
    } finally {
      await page.close();
    }
  });
});

describe('privacy and health', () => {
  test('no request left the page\'s origin during the whole session', () => {
    expect(app.foreignRequests).toEqual([]);
  });

  test('no uncaught error happened on the page during the whole session', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
