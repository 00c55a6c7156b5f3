/**
 * The orders model in the built app (issue 12): a user drops real export shapes — UCI line items,
 * a GBK Tmall seller export — accepts the guesses (one click to use the new table), and reads the
 * right customer count and revenue in the reconciliation and in the RFM summary. The truth comes
 * from the generators' own records, not from SQL.
 */
import { describe, expect, test } from 'vitest';
import { appPerFile, dropFiles } from './browser';
import { cellNamed, cellVersion, settleCell } from './cells';
import { onlineRetail, tmall, type ExportFixture } from '../gen/exports';

const appOf = appPerFile();

const revenueOf = (fx: ExportFixture) => [...fx.truth.values()].reduce((s, t) => s + t.cents, 0) / 100;

async function useExport(fx: ExportFixture, table: string) {
  const { page } = appOf();
  const model = cellNamed(page, 'purchases');
  const before = await cellVersion(page, 'purchases');
  const rfmBefore = await cellVersion(page, 'rfm');
  await dropFiles(page, fx.files);
  await model.getByTestId('om-suggest-use').waitFor({ timeout: 60_000 });
  expect(await model.getByTestId('om-suggest').textContent()).toContain(table);
  await model.getByTestId('om-suggest-use').click();
  expect(await settleCell(page, 'purchases', before)).toBe('done');
  // The RFM cell reads the model and re-runs by itself; its summary counts every customer once.
  expect(await settleCell(page, 'rfm', rfmBefore)).toBe('done');
  const counts = await cellNamed(page, 'rfm').getByTestId('rfm-segment-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-customers'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(fx.truth.size);
}

describe('orders model', () => {
  test('the starter notebook reads the sample through the model; the reconciliation adds up', async () => {
    const model = cellNamed(appOf().page, 'purchases');
    await model.getByTestId('om-reconciliation').waitFor();
    const raw = Number(await model.locator('[data-class="raw"] [data-testid="om-raw-rows"]').textContent().then((s) => s!.replaceAll(',', '')));
    const parts = await model.locator('tr[data-class][data-rows]').evaluateAll((rows) => rows.filter((r) => r.getAttribute('data-class') !== 'duplicate').map((r) => Number(r.getAttribute('data-rows'))));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(raw);
    expect(raw).toBe(66_275);
  });

  test('a UCI line-item export: quantity × price, cancellations netted, the right customers and revenue', async () => {
    const fx = onlineRetail();
    await useExport(fx, 'online_retail');
    const model = cellNamed(appOf().page, 'purchases');
    expect(await model.getByTestId('om-amount-mode').inputValue()).toBe('quantity-price');
    expect(Number(await model.getByTestId('om-totals').getAttribute('data-customers'))).toBe(fx.truth.size);
    expect(Number(await model.getByTestId('om-revenue').getAttribute('data-value'))).toBeCloseTo(revenueOf(fx), 2);
    expect(Number(await cellNamed(appOf().page, 'rfm').getByTestId('rfm-meta').getAttribute('data-customers'))).toBe(fx.truth.size);
    // The rows without a customer can be listed.
    await model.locator('tr[data-class="no_customer"]').click();
    await model.getByTestId('om-rows-list').waitFor();
  });

  test('a Tmall seller export (GBK): closed and unpaid orders excluded, refunds netted', async () => {
    const fx = tmall();
    await useExport(fx, 'tmall_orders');
    const model = cellNamed(appOf().page, 'purchases');
    expect(await model.getByTestId('om-role-customer').inputValue()).toContain('买家会员名');
    expect(await model.locator('[data-testid="om-statuses"] tr[data-status="交易关闭"] select').inputValue()).toBe('excluded');
    expect(Number(await model.getByTestId('om-totals').getAttribute('data-customers'))).toBe(fx.truth.size);
    expect(Number(await model.getByTestId('om-revenue').getAttribute('data-value'))).toBeCloseTo(revenueOf(fx), 2);
    expect(Number(await cellNamed(appOf().page, 'rfm').getByTestId('rfm-meta').getAttribute('data-customers'))).toBe(fx.truth.size);
    expect(appOf().foreignRequests).toEqual([]);
    expect(appOf().pageErrors).toEqual([]);
  });

  test('in an empty notebook, "+ RFM" adds the orders model above it, guessed from the table loaded last, and runs through it', async () => {
    const { page } = appOf();
    const fx = tmall();
    await page.getByTestId('notebooks-button').click();
    await page.getByTestId('nb-new').click();
    await settleCell(page, 'rfm');
    // A new notebook starts as the starter; empty it (the page accepts the confirmations).
    while ((await page.getByTestId('cell').count()) > 0) {
      const n = await page.getByTestId('cell').count();
      await page.getByTestId('cell').last().getByTestId('delete-cell').click();
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid="cell"]').length < k, n);
    }
    await page.getByTestId('add-rfm').last().click();
    const kinds = await page.getByTestId('cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-kind')));
    expect(kinds).toEqual(['orders', 'rfm']);
    const model = page.getByTestId('cell').first();
    expect(await model.getByTestId('om-source').inputValue()).toBe('tmall_orders');
    const rfmName = (await page.getByTestId('cell').last().getAttribute('data-name'))!;
    await cellNamed(page, rfmName).getByTestId('run-cell').click();
    expect(await settleCell(page, rfmName)).toBe('done');
    expect(Number(await cellNamed(page, rfmName).getByTestId('rfm-meta').getAttribute('data-customers'))).toBe(fx.truth.size);
    expect(await model.getAttribute('data-status')).toBe('done');
  });
});
