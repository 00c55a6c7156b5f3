/**
 * The update notice (issue 16: "an update notice when a new build is deployed"). The built app is
 * served from a temporary copy of dist/ so that a test can deploy a new build under an open page:
 * its service worker's version changes (a new precache) and its page carries a marker. The notice
 * must appear in the open tab once the browser has looked for an update, read in the interface
 * language, and its button must reload the tab into the new build. Screenshots of the notice in
 * both languages go to test/e2e/artifacts/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, openApp, type AppPage } from './browser';
import { serveDir, type StaticServer } from './static-server';
import { en } from '../../src/lib/i18n/en';
import { zhCore } from '../../src/lib/i18n/zh-core';

const ARTIFACTS = 'test/e2e/artifacts';
let root: string;
let server: StaticServer;
let app: AppPage;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'segnote-update-'));
  cpSync(process.env.SEGNOTE_DIST || 'dist', root, { recursive: true });
  server = await serveDir(root);
  app = await openApp({ baseUrl: server.url, locale: 'en-US', offline: true });
});

afterAll(async () => {
  await app?.close();
  await closeBrowser();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Deploys "build n": a new service-worker version (so a new precache) and a page that says which build it is. */
function deploy(n: number): string {
  const sw = readFileSync(join(root, 'sw.js'), 'utf8');
  const version = /const VERSION = '([^']+)'/.exec(sw)?.[1];
  if (!version) throw new Error('sw.js has no VERSION line');
  const next = `${version.slice(0, 8)}-b${n}`;
  const html = readFileSync(join(root, 'index.html'), 'utf8').replace(/<meta name="segnote-test-build"[^>]*>|(?=<\/head>)/, `<meta name="segnote-test-build" content="${n}">`);
  // New files, not writes into the old ones (a copy may share them with dist/).
  for (const [file, text] of [
    ['sw.js', sw.replace(`const VERSION = '${version}'`, `const VERSION = '${next}'`)],
    ['index.html', html],
  ]) {
    unlinkSync(join(root, file));
    writeFileSync(join(root, file), text);
  }
  return `segnote-${next}`;
}

const build = (page: Page) => page.evaluate(() => document.querySelector('meta[name="segnote-test-build"]')?.getAttribute('content') ?? null);
const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('segnote-')));

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.getByTestId('update-ready').screenshot({ path: `${ARTIFACTS}/${name}` });
  await page.screenshot({ path: `${ARTIFACTS}/${name.replace('.png', '-page.png')}`, clip: { x: 0, y: 0, width: 1400, height: 220 } });
}

test('a first visit is offline-ready without an update notice', async () => {
  const { page } = app;
  // The first service worker takes control of the page it was installed from (clients.claim).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });
  expect(await cacheNames(page)).toHaveLength(1);
  expect(await page.getByTestId('update-ready').count()).toBe(0);
  expect(await build(page)).toBeNull();
});

test('a new build deployed while the tab is open: the notice appears in English and Chinese, and its button reloads into the new build', async () => {
  const { page } = app;
  const [oldCache] = await cacheNames(page);
  const newCache = deploy(2);
  // What the browser does on a navigation, and the page when the tab comes back into view.
  await page.evaluate(async () => void (await (await navigator.serviceWorker.getRegistration())!.update()));
  const notice = page.getByTestId('update-ready');
  await notice.waitFor({ timeout: 90_000 });
  expect(await notice.getAttribute('role')).toBe('status');
  expect(await notice.textContent()).toContain(en['app.updateReady']);
  expect(await page.getByTestId('update-apply').textContent()).toBe(en['app.updateApply']);
  await shot(page, 'update-notice-en.png');

  await page.getByTestId('locale-select').selectOption('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  expect(await notice.textContent()).toContain(zhCore['app.updateReady']);
  expect(await page.getByTestId('update-apply').textContent()).toBe(zhCore['app.updateApply']);
  await shot(page, 'update-notice-zh-CN.png');
  await page.getByTestId('locale-select').selectOption('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  // Until the button is pressed, the tab keeps running the build it was opened with.
  expect(await build(page)).toBeNull();
  expect(await cacheNames(page)).toEqual(expect.arrayContaining([oldCache, newCache]));
  const reloaded = page.waitForEvent('load', { timeout: 90_000 });
  await page.getByTestId('update-apply').click();
  await reloaded;
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(await build(page)).toBe('2');
  // The new worker controls the tab and the old build's cache is gone.
  expect(await cacheNames(page)).toEqual([newCache]);
  expect(await page.getByTestId('update-ready').count()).toBe(0);
  expect(app.foreignRequests).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});

test('a build deployed while the tab was closed: reopening shows the notice, and the button switches to it', async () => {
  const { page } = app;
  const [oldCache] = await cacheNames(page);
  const newCache = deploy(3);
  // A reload is a navigation: the browser looks for a new service worker and installs it in the background.
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  await page.getByTestId('update-ready').waitFor({ timeout: 90_000 });
  expect(await page.getByTestId('update-ready').textContent()).toContain(en['app.updateReady']);
  // The new worker waits: the old build's cache is still the one in use.
  expect(await cacheNames(page)).toEqual(expect.arrayContaining([oldCache, newCache]));
  const reloaded = page.waitForEvent('load', { timeout: 90_000 });
  await page.getByTestId('update-apply').click();
  await reloaded;
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(await build(page)).toBe('3');
  expect(await cacheNames(page)).toEqual([newCache]);
  expect(await page.getByTestId('update-ready').count()).toBe(0);
  expect(app.foreignRequests).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});
