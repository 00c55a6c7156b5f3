/**
 * Issue 17, reports: from the sample notebook, export a report (the download is captured), open
 * the HTML in a fresh page with the network cut and every request blocked, and find every chart
 * as inline SVG, the segment table, the period comparison and the SQL appendix; print it to PDF
 * (pages written to REPORT_OUT for looking at). Customer rows only when ticked in. Any chart
 * downloads as SVG and as a 2× PNG named after its cell. Then the same in Chinese.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerFile, launch } from './browser';
import { cellNamed, settleCell } from './cells';

const OUT = process.env.REPORT_OUT || join(tmpdir(), 'segnote-report');
mkdirSync(OUT, { recursive: true });
const app = appPerFile();

/** Clicks `click` and returns the download it starts: file name and bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

/** Exports a report through the notebook menu's dialog. */
async function exportReport(page: Page, options: { rows?: boolean; compare?: string } = {}): Promise<{ name: string; html: string }> {
  await page.getByTestId('notebooks-button').click();
  await page.getByTestId('nb-report').click();
  const dialog = page.getByTestId('report-dialog');
  await dialog.waitFor();
  // Every cell is chosen by default; the customer rows are not.
  expect(await dialog.getByTestId('report-cell').count()).toBeGreaterThan(5);
  expect(await dialog.locator('[data-testid="report-cell"]:not(:checked)').count()).toBe(0);
  expect(await dialog.getByTestId('report-include-rows').isChecked()).toBe(false);
  if (options.rows) await dialog.getByTestId('report-include-rows').check();
  if (options.compare) await dialog.getByTestId('report-compare').selectOption(options.compare);
  const file = await download(page, () => dialog.getByTestId('report-download').click());
  await dialog.waitFor({ state: 'detached' });
  return { name: file.name, html: file.bytes.toString('utf8') };
}

/** Opens report HTML in a fresh, offline context that blocks and records every request. */
async function openOffline(html: string, locale: string) {
  const browser = await launch();
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    void route.abort();
  });
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests, close: () => context.close() };
}

/** The number of pages of a PDF. */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

/** Looks at a report page: charts, tables, comparison, appendix; prints it. Returns the PDF's page count. */
async function checkReport(html: string, lang: string, charts: number, stem: string): Promise<number> {
  expect(html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang}">`));
  // Nothing to fetch: no absolute URL at all, no script.
  expect(html.match(/https?:\/\/[^\s"'<>]+/g) ?? []).toEqual([]);
  expect(html).not.toMatch(/<script/i);
  writeFileSync(join(OUT, `${stem}.html`), html);

  const view = await openOffline(html, lang);
  try {
    const p = view.page;
    expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
    // Every chart is an inline <svg> that was drawn (has a size), as many as the notebook showed.
    expect(await p.locator('[data-testid="report-section"] [data-testid="report-chart"]').count()).toBe(charts);
    // …plus the comparison's two: customers then and now, and the flows between them.
    expect(await p.getByTestId('report-comparison').getByTestId('report-chart').count()).toBe(2);
    const figures = p.getByTestId('report-chart');
    expect(await figures.count()).toBe(charts + 2);
    const sizes = await figures.evaluateAll((els) => els.map((f) => {
      const svg = f.querySelector(':scope > svg');
      const box = svg?.getBoundingClientRect();
      return svg ? Math.round(box!.width) * Math.round(box!.height) : 0;
    }));
    expect(sizes.every((s) => s > 1000), `chart sizes ${sizes.join(', ')}`).toBe(true);
    expect(await p.locator('img').count()).toBe(0);
    // The RFM segment table (with each segment's recommended action) and the rule definitions.
    const rfm = p.locator('[data-testid="report-section"][data-name="rfm"]');
    const segmentTable = rfm.getByTestId('report-table').filter({ hasText: /→/ });
    expect(await segmentTable.locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await rfm.getByTestId('report-definitions').locator('tbody tr').count()).toBe(11);
    // An aggregate result (months × channels) is a summary table; a list of customers is not.
    expect(await p.locator('[data-testid="report-section"][data-name="monthly_revenue"] [data-testid="report-table"] tbody tr').count()).toBeGreaterThan(20);
    expect(await p.locator('[data-testid="report-section"][data-name="top_customers"] table').count()).toBe(0);
    expect(await p.locator('[data-testid="report-section"][data-name="top_customers"] [data-testid="report-rows-left-out"]').count()).toBe(1);
    // The period comparison: sizes then and now, and the movement matrix.
    expect(await p.getByTestId('report-comparison-sizes').locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await p.getByTestId('report-comparison-matrix').locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
    // The SQL appendix: the SQL cells', the RFM scoring, the charts' queries and the comparison's.
    const sql = p.getByTestId('report-appendix').getByTestId('report-sql');
    const byName = Object.fromEntries(await sql.evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.textContent ?? ''])));
    expect(byName.monthly_revenue).toMatch(/date_trunc\('month', order_date\)/);
    expect(byName.rfm).toMatch(/rfm_measures/);
    expect(byName.revenue_chart).toMatch(/monthly_revenue/);
    expect(byName['']).toMatch(/CREATE OR REPLACE VIEW "period_movement"/);
    expect(view.requests).toEqual([]);

    const pdf = await p.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(OUT, `${stem}.pdf`), pdf);
    return pdfPages(pdf);
  } finally {
    await view.close();
  }
}

describe('reports', () => {
  test('a chart downloads as SVG and as a PNG at twice its size, named after its cell', async () => {
    const { page } = app();
    const chart = cellNamed(page, 'revenue_chart');
    await chart.locator('[data-testid="plot"] svg').first().waitFor();
    await chart.locator('[data-testid="plot"]').hover();
    const svg = await download(page, () => chart.getByTestId('chart-svg').click());
    expect(svg.name).toBe('revenue_chart.svg');
    const text = svg.bytes.toString('utf8');
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toMatch(/font-family="[^"]*Noto Sans CJK SC/);
    expect(text).toContain('<rect width="100%" height="100%" fill="#ffffff"');
    // The colour legend (channels) is drawn into the SVG.
    expect(text).toMatch(/<text[^>]*>online<\/text>/i);
    const width = Number(/^<svg[^>]*\swidth="(\d+)"/.exec(text)![1]);
    const height = Number(/^<svg[^>]*\sheight="(\d+)"/.exec(text)![1]);
    writeFileSync(join(OUT, svg.name), svg.bytes);

    const png = await download(page, () => chart.getByTestId('chart-png').click());
    expect(png.name).toBe('revenue_chart.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([width * 2, height * 2]);
    writeFileSync(join(OUT, png.name), png.bytes);
  });

  test('the report of the sample notebook opens offline with every chart, the segment table, the comparison and the SQL; no customer rows unless ticked', async () => {
    const { page, foreignRequests, pageErrors } = app();
    await settleCell(page, 'rfm');
    const charts = await page.locator('[data-testid="cell"] [data-testid="plot"]:has(svg)').count();
    expect(charts).toBeGreaterThanOrEqual(6);
    // A customer id the notebook shows in a grid (top_customers), to look for in the report.
    const row = await cellNamed(page, 'top_customers').locator('[data-row="0"] .td').allTextContents();
    const customer = row.find((v) => /^C\d{5}$/.test(v.trim()))!.trim();
    expect(customer).toBeTruthy();

    const report = await exportReport(page, { compare: 'month' });
    expect(report.name).toMatch(/\.html$/);
    expect(report.html).not.toContain(customer);
    expect(report.html).not.toContain('data-testid="report-customers"');
    const pages = await checkReport(report.html, 'en', charts, 'report-en');
    expect(pages).toBeGreaterThanOrEqual(4);

    const withRows = await exportReport(page, { rows: true });
    expect(withRows.html).toContain(`<td>${customer}</td>`);
    expect(withRows.html).toContain('data-testid="report-customers"');
    const view = await openOffline(withRows.html, 'en');
    expect(await view.page.locator('[data-testid="report-section"][data-name="top_customers"] [data-testid="report-customers"] tbody tr').count()).toBe(100);
    await view.close();
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('in Chinese: the report is written in Chinese and prints', async () => {
    const { page, pageErrors } = app();
    const version = Number(await cellNamed(page, 'rfm').getByTestId('cell-result').getAttribute('data-version'));
    await page.getByTestId('locale-select').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // The RFM result names segments in the language it ran in: it runs again.
    await settleCell(page, 'rfm', version);
    const charts = await page.locator('[data-testid="cell"] [data-testid="plot"]:has(svg)').count();
    const report = await exportReport(page, { compare: 'quarter' });
    expect(report.html).toContain('附录：各结果背后的 SQL');
    expect(report.html).toContain('客群定义与建议动作');
    expect(report.html).toContain('冠军客户');
    const pages = await checkReport(report.html, 'zh-CN', charts, 'report-zh');
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pageErrors).toEqual([]);
  });
});
