/**
 * Offline after the first visit (issue 16): the built app registers a service worker that keeps
 * the app, the engine's wasm and the samples; with the network cut, a reload opens the app, a
 * dropped file loads and the RFM cell runs through the orders model.
 */
import { expect, test } from 'vitest';
import { appPerFile, dropFiles } from './browser';
import { cellNamed, cellVersion, settleCell } from './cells';
import { onlineRetail } from '../gen/exports';

const appOf = appPerFile();

test('after one visit the app opens and works with the network cut', async () => {
  const { page, context } = appOf();
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
  expect(appOf().foreignRequests).toEqual([]);
  await context.setOffline(false);
});
