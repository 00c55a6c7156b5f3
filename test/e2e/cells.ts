/** Helpers the end-to-end tests share for driving notebook cells. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The cell named `name`. */
export function cellNamed(page: Page, name: string): Locator {
  return page.locator(`[data-testid="cell"][data-name="${name}"]`);
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

/** Adds a SQL cell with its "+" button, types `sql`, runs it and returns the first row's cell texts. */
export async function runSql(page: Page, sql: string): Promise<string[]> {
  await page.getByTestId('add-sql').last().click();
  const last = page.getByTestId('cell').last();
  const name = (await last.getAttribute('data-name'))!;
  const editor = last.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await editor.fill(sql);
  await page.keyboard.press('Control+Enter');
  const cell = cellNamed(page, name);
  await cell.and(page.locator('[data-status="done"], [data-status="error"]')).waitFor({ timeout: 60_000 });
  expect(await cell.getAttribute('data-status')).toBe('done');
  // The grid first shows a "Loading rows…" placeholder (.td.muted) in row 0: wait for the values.
  await cell.locator('[data-row="0"] .td:not(.muted)').first().waitFor();
  return cell.locator('[data-row="0"] .td').allTextContents();
}
