/** Helpers the end-to-end tests share for driving notebook cells. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The cell named `name` (quotes and backslashes in the name are escaped for the selector). */
export function cellNamed(page: Page, name: string): Locator {
  return page.locator(`[data-testid="cell"][data-name="${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`);
}

/** The cell's result version: it grows with every finished run. */
export async function cellVersion(page: Page, name: string): Promise<number> {
  return Number(await cellNamed(page, name).getByTestId('cell-result').getAttribute('data-version'));
}

/** Waits until the cell fails or finishes a run newer than `previousVersion`; returns its status. */
export async function settleCell(page: Page, name: string, previousVersion = -1): Promise<string> {
  await page.waitForFunction(
    ([n, v]) => {
      const el = document.querySelector(`[data-testid="cell"][data-name="${n}"]`);
      const status = el?.getAttribute('data-status');
      const version = Number(el?.querySelector('[data-testid="cell-result"]')?.getAttribute('data-version') ?? 0);
      return status === 'error' || (status === 'done' && version > (v as number));
    },
    [name, previousVersion] as const,
    { timeout: 120_000 },
  );
  return (await cellNamed(page, name).getAttribute('data-status'))!;
}

/** Adds a cell of `kind` with its "+" button (the last one on the page); returns its name. */
export async function addCell(page: Page, kind: string): Promise<string> {
  await page.getByTestId(`add-${kind}`).last().click();
  const last = page.getByTestId('cell').last();
  expect(await last.getAttribute('data-kind')).toBe(kind);
  return (await last.getAttribute('data-name'))!;
}

/** Adds a cell of `kind`, runs it with its run button and waits until it is done; returns its name. */
export async function addAndRun(page: Page, kind: string): Promise<string> {
  const name = await addCell(page, kind);
  const before = await cellVersion(page, name);
  await cellNamed(page, name).getByTestId('run-cell').click();
  expect(await settleCell(page, name, before)).toBe('done');
  return name;
}

/** Runs `action` and waits until the cell has finished a new run (`done`), or fails (`error`). */
export async function afterRun(page: Page, name: string, action: () => Promise<unknown>, status: 'done' | 'error' = 'done'): Promise<void> {
  const before = status === 'done' ? await cellVersion(page, name) : -1;
  await action();
  await page.waitForFunction(
    ([n, v, s]) => {
      const el = [...document.querySelectorAll('[data-testid="cell"]')].find((c) => c.getAttribute('data-name') === n);
      if (el?.getAttribute('data-status') !== s) return false;
      return s === 'error' || Number(el.querySelector('[data-testid="cell-result"]')?.getAttribute('data-version')) > Number(v);
    },
    [name, before, status] as const,
    { timeout: 60_000 },
  );
}

/** Adds a SQL cell with its "+" button, types `sql` and runs it; returns its name once it is done or failed. */
export async function addSqlCell(page: Page, sql: string): Promise<string> {
  await page.getByTestId('add-sql').last().click();
  const last = page.getByTestId('cell').last();
  const name = (await last.getAttribute('data-name'))!;
  const editor = last.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await editor.fill(sql);
  await page.keyboard.press('Control+Enter');
  await cellNamed(page, name).and(page.locator('[data-status="done"], [data-status="error"]')).waitFor({ timeout: 60_000 });
  return name;
}

/** The cell texts of a row of the cell's grid, once its values are in (the grid first shows a "Loading rows…" placeholder, .td.muted). */
export async function gridRow(page: Page, name: string, row = 0): Promise<string[]> {
  const cells = cellNamed(page, name).locator(`[data-row="${row}"] .td`);
  await cellNamed(page, name).locator(`[data-row="${row}"] .td:not(.muted)`).first().waitFor({ timeout: 30_000 });
  return cells.allTextContents();
}

/** Adds a SQL cell with its "+" button, types `sql`, runs it and returns the first row's cell texts. */
export async function runSql(page: Page, sql: string): Promise<string[]> {
  const name = await addSqlCell(page, sql);
  expect(await cellNamed(page, name).getAttribute('data-status')).toBe('done');
  return gridRow(page, name);
}
