/**
 * The notebook lives on: cells re-run when what they read changes, and autosave survives a killed
 * browser. (Sharing and notebook files: notebook-share; hostile notebooks, data URLs and static
 * hosting: notebook-guard.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, type AppPage } from './browser';
import { emptyNotebookFragment, killProfileBrowsers, leaveReview, openQuiet, persistent, ready, sharedLink, typeSql, typeSqlAndRun, useTempDirs } from './notebook-helpers';
import { toDocument, type NotebookDoc } from '../../src/lib/notebook/document';
import { encodeShareFragment } from '../../src/lib/notebook/share-link';
import type { Cell } from '../../src/lib/notebook/cells';

const dirs = useTempDirs();

describe('reactive cells', () => {
  async function sqlCell(page: Page, sql: string): Promise<string> {
    await typeSql(page, sql);
    await page.keyboard.press('Control+Enter');
    const last = page.getByTestId('cell').last();
    await last.and(page.locator('[data-status="done"], [data-status="error"]')).waitFor();
    return (await last.getAttribute('data-name'))!;
  }
  const cellOf = (page: Page, name: string) => page.locator(`[data-testid="cell"][data-name="${name}"]`);
  const firstValue = async (page: Page, name: string, expected: string) =>
    cellOf(page, name).locator('[data-row="0"] .td').first().filter({ hasText: new RegExp(`^${expected}$`) }).waitFor();

  async function setSql(page: Page, name: string, sql: string): Promise<void> {
    const editor = cellOf(page, name).locator('.cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await editor.fill(sql);
    await page.keyboard.press('Control+Enter');
  }

  // One page for the three tests: each makes and reads only its own cells; auto-run is on at the start of each.
  let app: AppPage;
  beforeAll(async () => {
    app = await openQuiet('empty');
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await app.page.getByTestId('notebooks-button').click();
    await app.page.getByTestId('auto-run').check();
    await app.page.getByTestId('notebooks-button').click();
  });

  test('changing a cell re-runs the cells that read it, in order; with auto-run off they wait as stale', async () => {
    const a = await sqlCell(app.page, 'SELECT 1 AS v');
    const b = await sqlCell(app.page, `SELECT v * 10 AS v FROM ${a}`);
    const c = await sqlCell(app.page, `SELECT v + 1 AS v FROM ${b}`);
    await firstValue(app.page, c, '11');
    await setSql(app.page, a, 'SELECT 2 AS v');
    await firstValue(app.page, c, '21');
    await firstValue(app.page, b, '20');

    await app.page.getByTestId('notebooks-button').click();
    await app.page.getByTestId('auto-run').uncheck();
    await app.page.getByTestId('notebooks-button').click();
    await setSql(app.page, a, 'SELECT 3 AS v');
    await cellOf(app.page, c).and(app.page.locator('[data-status="stale"]')).waitFor();
    expect(await cellOf(app.page, b).getAttribute('data-status')).toBe('stale');
    await app.page.getByTestId('run-stale').click();
    await firstValue(app.page, c, '31');
    expect(await app.page.getByTestId('run-stale').count()).toBe(0);
  });

  test('a cycle is reported on the cell; a rename updates the cells that read it', async () => {
    const a = await sqlCell(app.page, 'SELECT 1 AS v');
    const b = await sqlCell(app.page, `SELECT v + 1 AS v FROM ${a}`);
    await setSql(app.page, a, `SELECT v FROM ${b}`);
    await cellOf(app.page, a).getByTestId('cell-error').filter({ hasText: 'cycle' }).waitFor();
    expect(await cellOf(app.page, a).getByTestId('cell-error').textContent()).toContain(`${a} → ${b} → ${a}`);
    await setSql(app.page, a, 'SELECT 5 AS v');
    await firstValue(app.page, b, '6');
    const input = cellOf(app.page, a).getByTestId('cell-name');
    await input.fill('base_value');
    await input.press('Enter');
    await cellOf(app.page, 'base_value').waitFor();
    expect(await cellOf(app.page, b).locator('.cm-content').textContent()).toBe('SELECT v + 1 AS v FROM base_value');
    await setSql(app.page, 'base_value', 'SELECT 7 AS v');
    await firstValue(app.page, b, '8');
  });

  test('reloading a table re-runs the cells that read it', async () => {
    await app.page.getByTestId('file-input').setInputFiles([{ name: 'nums.csv', mimeType: 'text/csv', buffer: Buffer.from('n;m\n1;2\n3;4\n') }]);
    await app.page.locator('[data-table="nums"]').waitFor();
    const a = await sqlCell(app.page, 'SELECT count(*) AS k FROM nums');
    await firstValue(app.page, a, '2');
    // Reload the same file with "skip malformed rows" as a new load of the table: the cell follows.
    await app.page.locator('[data-table="nums"] button.row').click();
    await app.page.locator('[data-table="nums"]').getByRole('button', { name: 'Reload with options' }).click();
    await app.page.locator('[data-table="nums"]').getByLabel('Header').uncheck();
    await app.page.locator('[data-table="nums"]').getByRole('button', { name: 'Reload', exact: true }).click();
    await firstValue(app.page, a, '3');
  });
});

describe('autosave', () => {
  test('an edit made a moment before the browser is killed is back after a restart, with the loaded file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segnote-profile-'));
    dirs.push(dir);
    const url = inject('baseUrl');
    let { context, page } = await persistent(dir);
    // The first visit makes an empty notebook (from a link to one), so that neither visit runs the starter's analyses.
    await page.goto(url + (await emptyNotebookFragment()));
    await ready(page);
    await leaveReview(page, 'empty');
    await page.getByTestId('file-input').setInputFiles([{ name: 'kept.csv', mimeType: 'text/csv', buffer: Buffer.from('v\n40\n2\n') }]);
    await page.locator('[data-table="kept"]').waitFor();
    await typeSql(page, 'SELECT sum(v) AS answer FROM kept -- typed just before the crash');
    await page.getByTestId('save-state').and(page.locator('[data-state="saved"]')).waitFor();
    // Kill the browser outright: no unload handlers, no graceful shutdown.
    killProfileBrowsers(dir);
    await context.close().catch(() => undefined);
    ({ context, page } = await persistent(dir));
    try {
      await page.goto(url);
      await ready(page);
      const last = page.getByTestId('cell').last();
      expect(await last.locator('.cm-content').textContent()).toBe('SELECT sum(v) AS answer FROM kept -- typed just before the crash');
      await page.locator('[data-table="kept"]').waitFor();
      await last.and(page.locator('[data-status="done"]')).waitFor();
      await last.locator('[data-row="0"] .td').first().filter({ hasText: /^42$/ }).waitFor();
    } finally {
      await context.close();
    }
  });
});
