/**
 * Offline after the first visit (issue 16): the built app registers a service worker that keeps
 * the app, the engine's wasm and the samples; with the network cut, a reload opens the app, a
 * dropped file loads and the RFM cell runs through the orders model. parquet-wasm is not part of
 * the first result (the sample is Arrow) but is kept too: the first Parquet file, offline, loads.
 */
import { expect, test } from 'vitest';
import { appPerFile, dropFiles } from './browser';
import { cellNamed, cellVersion, settleCell } from './cells';
import { readFileSync } from 'node:fs';
import { onlineRetail } from '../gen/exports';
import { tableToParquet } from '../gen/write-parquet';
import { sampleIPCToTable } from '../gen/write-arrow';

const appOf = appPerFile();

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
