/**
 * Offline after the first visit, and repeat visits (issue 16). The built app registers a service
 * worker that keeps the app, the engine's wasm and the samples; with the network cut, a reload
 * opens the app, a dropped file loads and the RFM cell runs through the orders model. parquet-wasm
 * is not part of the first result (the sample is Arrow) but is kept too: the first Parquet file,
 * offline, loads. A repeat visit shows the last results, marked as not live, until the engine has
 * run the cells again.
 */
import { expect, test } from 'vitest';
import { appPerFile, dropFiles } from './browser';
import { cellNamed, cellVersion, settleCell } from './cells';
import { readFileSync } from 'node:fs';
import { onlineRetail } from '../gen/exports';
import { tableToParquet } from '../gen/write-parquet';
import { sampleIPCToTable } from '../gen/write-arrow';

const appOf = appPerFile({ offline: true });

test('after one visit the app opens and works with the network cut', async () => {
  const { page, context } = appOf();
  // The first result did not need the Parquet reader: the page and its worker never asked for it.
  const asked = [...appOf().requests];
  expect(asked.some((u) => /duckdb-eh.*\.wasm$/.test(u))).toBe(true);
  expect(asked.filter((u) => /parquet|xlsx/.test(u))).toEqual([]);
  // The worker is active once everything it keeps is cached.
  expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))).toBe(true);
  const manifest = await page.evaluate(async () => (await fetch('./manifest.webmanifest')).json() as Promise<{ name: string; icons: unknown[] }>);
  expect(manifest.icons.length).toBeGreaterThan(0);

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  // The starter notebook ran on the cached sample.
  expect(await cellNamed(page, 'rfm').getAttribute('data-status')).toBe('done');

  const fx = onlineRetail();
  const model = cellNamed(page, 'purchases');
  const before = await cellVersion(page, 'purchases');
  const rfmBefore = await cellVersion(page, 'rfm');
  await dropFiles(page, fx.files);
  await model.getByTestId('om-suggest-use').click();
  expect(await settleCell(page, 'purchases', before)).toBe('done');
  expect(await settleCell(page, 'rfm', rfmBefore)).toBe('done');
  expect(Number(await cellNamed(page, 'rfm').getByTestId('rfm-meta').getAttribute('data-customers'))).toBe(fx.truth.size);
  // parquet-wasm's first use comes from the service worker's cache.
  const parquet = tableToParquet(sampleIPCToTable(new Uint8Array(readFileSync('public/samples/customers.arrows'))));
  await dropFiles(page, [{ name: 'offline customers.parquet', bytes: parquet }]);
  const item = page.locator('[data-testid="table-item"][data-table="offline_customers"]');
  await item.waitFor({ timeout: 60_000 });
  expect(appOf().requests.some((u) => /parquet_wasm_bg.*\.wasm$/.test(u))).toBe(true);
  expect(await item.textContent()).toContain('5,000 rows');
  expect(appOf().foreignRequests).toEqual([]);
  await context.setOffline(false);
});

/** Holds DuckDB's wasm compile (the page compiles it and the worker waits for it) until the test lets it go. */
const HOLD_ENGINE = `(() => {
  const compile = WebAssembly.compileStreaming.bind(WebAssembly);
  let release;
  const gate = new Promise((r) => (release = r));
  window.__releaseEngine = release;
  WebAssembly.compileStreaming = (source) => gate.then(() => compile(source));
})()`;

/** Records the repeat visit's first paint (the notebook as last drawn) when it is put on screen. */
const WATCH_FIRST_PAINT = `(() => {
  new MutationObserver((changes, observer) => {
    for (const c of changes) for (const n of c.addedNodes) {
      if (!(n instanceof HTMLElement) || !n.classList.contains('first-paint')) continue;
      const root = n.shadowRoot;
      window.__firstPaint = { inert: n.inert, testIds: root.querySelectorAll('[data-testid]').length, ids: root.querySelectorAll('[id]').length, text: root.querySelector('.first-paint-note').innerText + '\\n' + root.querySelector('.first-paint-body').innerText, uiMounted: performance.getEntriesByName('segnote:ui-mounted').length };
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
})()`;

test('a repeat visit shows the last results before the engine is ready, then the live ones', async () => {
  const { page, context } = appOf();
  await page.waitForSelector('html[data-ready="true"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cell"][data-status="running"]').length === 0);
  // What the user saw last: the RFM cell (over their own file, dropped above) and a SQL cell.
  const rfm = cellNamed(page, 'rfm');
  const summaryLive = await rfm.getByTestId('rfm-summary').innerText();
  const customers = await rfm.getByTestId('rfm-meta').getAttribute('data-customers');
  const topRows = await cellNamed(page, 'top_customers').getByTestId('row-count').getAttribute('data-rows');
  // A cell edited since its run keeps no result: its text changes without a run.
  const edited = cellNamed(page, 'monthly_revenue');
  const sql = await edited.locator('.cm-content').innerText();
  await edited.locator('.cm-content').fill(`${sql}\nLIMIT 1000`);
  expect(await edited.getAttribute('data-status')).toBe('stale');
  // The results are kept once the runs have settled: over both dropped files, without the edited cell.
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<string>((resolve) => {
              const req = indexedDB.open('segnote');
              req.onsuccess = () => {
                const get = req.result.transaction('results').objectStore('results').getAll();
                get.onsuccess = () => {
                  const kept = (get.result as { data: string; cells: Record<string, unknown> }[])[0];
                  resolve(kept ? `${kept.data.includes('offline_customers')} ${Object.keys(kept.cells).sort().join(',')}` : '');
                };
              };
            }),
        ),
      { timeout: 30_000, interval: 250 },
    )
    .toBe('true starter-monthly-chart,starter-orders,starter-rfm,starter-tier-chart,starter-top');

  await context.addInitScript(HOLD_ENGINE);
  await context.addInitScript(WATCH_FIRST_PAINT);
  await page.reload();
  // The engine is held: the notebook shows the kept results, marked as not live.
  await rfm.getByTestId('cell-kept').waitFor({ timeout: 60_000 });
  // Before the interface was even mounted, the page's first script drew the notebook as it was
  // last seen: inert, under a line saying it is not live, without the live interface's ids.
  const firstPaint = await page.evaluate(() => (window as unknown as { __firstPaint?: { inert: boolean; testIds: number; ids: number; text: string; uiMounted: number } }).__firstPaint);
  expect(firstPaint).toMatchObject({ inert: true, testIds: 0, ids: 0, uiMounted: 0 });
  expect(firstPaint!.text).toContain('not live yet');
  // The top of the page as the user left it: their tables and the SQL cell as they edited it.
  expect(firstPaint!.text).toContain('offline_customers');
  expect(firstPaint!.text).toContain('LIMIT 1000');
  // Once the interface shows the notebook with its own kept results, the drawing is gone.
  expect(await page.locator('.first-paint').count()).toBe(0);
  expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBeUndefined();
  expect(await rfm.getAttribute('data-status')).toBe('cached');
  expect(await rfm.getByTestId('rfm-summary').innerText()).toBe(summaryLive);
  expect(await rfm.getByTestId('rfm-meta').getAttribute('data-customers')).toBe(customers);
  expect(await cellNamed(page, 'top_customers').getByTestId('row-count').getAttribute('data-rows')).toBe(topRows);
  // A kept chart keeps its settings on screen, though the view it reads is not there yet.
  expect(await cellNamed(page, 'revenue_chart').getAttribute('data-status')).toBe('cached');
  expect(await cellNamed(page, 'revenue_chart').getByTestId('chart-x').inputValue()).toBe('month');
  expect(await cellNamed(page, 'monthly_revenue').getAttribute('data-status')).toBe('idle');
  expect(await cellNamed(page, 'monthly_revenue').getByTestId('cell-kept').count()).toBe(0);
  const marks = await page.evaluate(() => ['segnote:kept-results', 'segnote:engine-ready', 'segnote:first-result'].map((m) => performance.getEntriesByName(m).length));
  expect(marks).toEqual([1, 0, 0]);

  // The engine starts: every kept result is replaced by a live one, with the same figures.
  await page.evaluate(() => (window as unknown as { __releaseEngine: () => void }).__releaseEngine());
  await page.waitForSelector('html[data-ready="true"]', { timeout: 90_000 });
  expect(await page.getByTestId('cell-kept').count()).toBe(0);
  expect(await rfm.getAttribute('data-status')).toBe('done');
  expect(await rfm.getByTestId('rfm-summary').innerText()).toBe(summaryLive);
  expect(await cellNamed(page, 'monthly_revenue').getAttribute('data-status')).toBe('done');
  expect(await cellNamed(page, 'top_customers').getByTestId('result-grid').count()).toBe(1);
  expect(appOf().foreignRequests).toEqual([]);
});
