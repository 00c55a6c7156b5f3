/** Shared by the notebook e2e files (and app.test): persistent profiles, killing a profile's browser, typing SQL cells, share links, opening without running the starter. */
import { afterAll } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { closeBrowser, openApp, type AppPage } from './browser';
import { toDocument } from '../../src/lib/notebook/document';
import { encodeShareFragment } from '../../src/lib/notebook/share-link';

export const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/** Temporary profile directories of a test file, removed with its browser after its tests. */
export function useTempDirs(): string[] {
  const dirs: string[] = [];
  afterAll(async () => {
    await closeBrowser();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return dirs;
}

export async function persistent(dir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ARGS });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** SIGKILLs every Chromium process using profile `dir`, as a crash or a killed tab would end them. */
export function killProfileBrowsers(dir: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(dir) && /chrom/i.test(cmd.split('\0')[0])) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
}

export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
}

export async function typeSql(page: Page, sql: string): Promise<void> {
  await page.getByTestId('add-sql').last().click();
  const editor = page.getByTestId('cell').last().locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await editor.fill(sql);
}

/** The link "Copy share link" made (also written to the clipboard), once it exists. */
export async function sharedLink(page: Page): Promise<string> {
  await page.waitForFunction(() => typeof (window as unknown as { __segnoteLastLink?: string }).__segnoteLastLink === 'string');
  return page.evaluate(() => (window as unknown as { __segnoteLastLink: string }).__segnoteLastLink);
}

export async function typeSqlAndRun(page: Page, sql: string): Promise<void> {
  await typeSql(page, sql);
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('cell').last().and(page.locator('[data-status="done"], [data-status="error"]')).waitFor();
}

/** The fragment of a link to a notebook with no cells. */
export function emptyNotebookFragment(): Promise<string> {
  return encodeShareFragment(toDocument('Empty', [], { autoRun: true }, []));
}

/**
 * On a page opened with `emptyNotebookFragment()` (review mode: nothing has run), leaves review
 * the way a user does: `empty` approves the link (a new notebook with no cells), `starter`
 * discards it (the notebook this browser opens by default, not run). Resolves once that notebook
 * is on screen; the sample tables are loaded.
 */
export async function leaveReview(page: Page, notebook: 'empty' | 'starter'): Promise<void> {
  await page.getByTestId('review-panel').waitFor();
  await page.getByTestId(notebook === 'empty' ? 'review-run' : 'review-discard').click();
  // The reviewed notebook replaces the default one a moment after the panel closes.
  await page.waitForFunction(
    (empty) => !document.querySelector('[data-testid="review-panel"]') && !!document.querySelector('[data-testid="add-sql"]') && (document.querySelectorAll('[data-testid="cell"]').length === 0) === empty,
    notebook === 'empty',
  );
}

/**
 * Opens the app in a fresh context without running the starter notebook's analyses (each takes
 * a while), for tests of the notebook itself that need none of their results: through a link
 * to an empty notebook, then `leaveReview`. `path` may add a query string (such as `?bench`).
 */
export async function openQuiet(notebook: 'empty' | 'starter', options: Omit<NonNullable<Parameters<typeof openApp>[0]>, 'waitReady'> = {}): Promise<AppPage> {
  const app = await openApp({ ...options, path: `${options.path ?? ''}${await emptyNotebookFragment()}` });
  await leaveReview(app.page, notebook);
  return app;
}
