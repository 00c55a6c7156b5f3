/**
 * Issue 15: the whole interface in Simplified Chinese. A browser set to zh-CN opens the app in
 * Chinese; the main flows run (the sample, its orders model and RFM from the starter notebook, a
 * customer view, a saved segment, clusters, CLV) and no English interface text is left outside
 * data values: every visible text node outside data grids and code is searched for words of the
 * English catalogue, after removing the names and text values the data brings (tables, columns,
 * cells, distinct values of the loaded tables) and the terms that stay Latin in Chinese (SQL, RFM,
 * CSV, DuckDB…). The same search finds plenty of English when the page is switched to English, so
 * it cannot pass by finding nothing. Switching English and back keeps every result: no cell runs
 * again and the page is not reloaded. With SHOTS_DIR set, screenshots of the main cells go there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { closeBrowser, openApp, type AppPage } from './browser';
import { addCell, cellNamed, settleCell } from './cells';
import { en } from '../../src/lib/i18n/en';

const SHOTS = process.env.SHOTS_DIR ?? null;

/** Words that stay in Latin letters in the Chinese interface (the glossary's "never translate"). */
const LATIN_TERMS = [
  'segnote', 'duckdb', 'sql', 'rfm', 'csv', 'tsv', 'excel', 'xlsx', 'xls', 'parquet', 'arrow', 'feather', 'ipc', 'json', 'ndjson',
  'bg', 'nbd', 'pareto', 'gamma', 'means', 'pca', 'url', 'http', 'https', 'utf', 'gbk', 'simd', 'webassembly', 'wasm',
  'select', 'from', 'where', 'limit', 'ctrl', 'cmd', 'enter', 'null', 'true', 'false', 'id', 'mb', 'gb', 'kb', 'ms',
  // The log transform of a feature, as Chinese statistics texts write it.
  'log',
];
/** Upper-case abbreviations (CLV, CRM, PC1, AND / OR of a condition group) and "z-score" are terms Chinese tools keep in Latin letters. */
const LATIN_PATTERNS = /\b[A-Z]{2,}\d*\b|\bz-score\b/g;

/** Lower-case words of the English catalogue (placeholders removed), minus the Latin terms. */
const ENGLISH_WORDS = [
  ...new Set(
    Object.values(en)
      .flatMap((text) => String(text).replace(/\{\w+\}/g, ' ').match(/[A-Za-z]{2,}/g) ?? [])
      .map((w) => w.toLowerCase()),
  ),
  // Month names Plot writes on English time axes.
  ...['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
].filter((w) => !LATIN_TERMS.includes(w));

interface Hit {
  text: string;
  words: string[];
  where: string;
}

let app: AppPage;
const cells: Record<string, string> = {};

beforeAll(async () => {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  // ?bench hands the test the page's engine, to list the names and values the data brings.
  app = await openApp({ locale: 'zh-CN', path: '?bench' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await closeBrowser();
});

const cell = (name: string) => cellNamed(app.page, name);

/** Adds a cell of `kind` with its "+" button; returns its name. */
const add = (kind: string) => addCell(app.page, kind);

/** Names and text values the data brings: tables, views and their columns, cells, distinct text values of the loaded tables. */
async function dataNames(): Promise<string[]> {
  return app.page.evaluate(async () => {
    type Rel = { name: string; kind: string; columns: { name: string; type: string }[] };
    const s = (window as unknown as { __segnote: { tables: { relations: Rel[] }; engine: { client: { query(sql: string): Promise<{ table: { toArray(): { v: unknown }[] } }> } } } }).__segnote;
    const names = new Set<string>();
    for (const r of s.tables.relations) {
      names.add(r.name);
      // Column types are DuckDB's words ("order_date · date"), like SQL.
      for (const c of r.columns) names.add(c.name).add(c.type).add(c.type.toLowerCase());
      // Values computed by the cells' SQL (a customer view's status 'new' / 'returning') are data of their views, like any column's values.
      for (const c of r.columns.filter((col) => /VARCHAR/.test(col.type))) {
        const q = `SELECT DISTINCT CAST("${c.name.replaceAll('"', '""')}" AS VARCHAR) AS v FROM "${r.name.replaceAll('"', '""')}" LIMIT 500`;
        const { table } = await s.engine.client.query(q);
        for (const row of table.toArray()) if (row.v !== null) names.add(String(row.v));
      }
    }
    for (const el of document.querySelectorAll('[data-testid="cell"]')) names.add(el.getAttribute('data-name') ?? '');
    return [...names].filter((n) => n.length > 0);
  });
}

/** Visible interface text containing words of the English catalogue (see the module comment). */
async function englishLeft(): Promise<Hit[]> {
  const names = await dataNames();
  return app.page.evaluate(
    ({ words, names, latinSource }) => {
      const vocabulary = new Set(words);
      const latin = new RegExp(latinSource, 'g');
      // Longest first, so "Tier 1" goes before "Tier"; whole words only.
      const escaped = names.sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const dataPattern = escaped.length ? new RegExp(`(?<![A-Za-z0-9_])(?:${escaped.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
      const SKIP = '[data-testid="result-grid"], .cm-editor, pre, code, .mono, script, style, title, option';
      const hits: { text: string; words: string[]; where: string }[] = [];
      const check = (text: string, el: Element) => {
        const stripped = (dataPattern ? text.replace(dataPattern, ' ') : text).replace(latin, ' ');
        const found = (stripped.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => vocabulary.has(w.toLowerCase()));
        if (found.length === 0) return;
        const where = el.closest('[data-testid="cell"]')?.getAttribute('data-name') ?? el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.tagName.toLowerCase();
        hits.push({ text: text.trim().slice(0, 160), words: found, where });
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        const text = node.textContent ?? '';
        if (!el || !/[A-Za-z]{2}/.test(text) || el.closest(SKIP)) continue;
        if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        check(text, el);
      }
      // What a select shows is its chosen option; what a text field shows is its value.
      for (const el of document.querySelectorAll('select, textarea, input[type="text"], input:not([type])')) {
        if (el.closest(SKIP) || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        const text = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.textContent ?? '') : (el as HTMLInputElement).value;
        if (/[A-Za-z]{2}/.test(text)) check(text, el);
      }
      return hits;
    },
    { words: ENGLISH_WORDS, names, latinSource: LATIN_PATTERNS.source },
  );
}

/** Every cell's status and result version: a re-run or a reload would change them. */
async function cellStates(): Promise<Record<string, string>> {
  return app.page.getByTestId('cell').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-name'), `${e.getAttribute('data-status')}#${e.querySelector('[data-testid="cell-result"]')?.getAttribute('data-version') ?? '-'}`])),
  );
}

/** A screenshot of a cell (or of one part of it) when SHOTS_DIR asks for them. */
async function shot(name: string, file: string, part?: string): Promise<void> {
  if (!SHOTS) return;
  const target = part ? cell(name).getByTestId(part).first() : cell(name);
  if ((await target.count()) === 0) return;
  await target.scrollIntoViewIfNeeded();
  await target.screenshot({ path: `${SHOTS}/${file}` });
}

const report = (hits: Hit[]) => hits.map((h) => `[${h.where}] ${h.text}  <- ${h.words.join(', ')}`).join('\n');

describe('a browser set to Chinese', () => {
  test('opens the app in Chinese and runs the main flows', async () => {
    const t0 = Date.now();
    const page = app.page;
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByTestId('locale-select').inputValue()).toBe('zh-CN');
    expect(await page.evaluate(() => document.title)).toMatch(/客户分群/);
    // The starter notebook ran: the orders model and RFM over the sample (added here if a starter has none).
    cells.orders = (await page.locator('[data-testid="cell"][data-kind="orders"]').first().getAttribute('data-name'))!;
    expect(await cell(cells.orders).getAttribute('data-status')).toBe('done');
    const rfm = page.locator('[data-testid="cell"][data-kind="rfm"]').first();
    if ((await rfm.count()) === 0) {
      cells.rfm = await add('rfm');
      if ((await cell(cells.rfm).getAttribute('data-status')) !== 'done') await cell(cells.rfm).getByTestId('run-cell').click();
    } else cells.rfm = (await rfm.getAttribute('data-name'))!;
    expect(await settleCell(page, cells.rfm)).toBe('done');

    cells.customers = await add('customers');
    await cell(cells.customers).getByTestId('run-cell').click();
    expect(await settleCell(page, cells.customers)).toBe('done');

    cells.segment = await add('segment');
    const seg = cell(cells.segment);
    await seg.getByTestId('add-condition').last().click();
    const cond = seg.locator('[data-testid="cond"]').first();
    // `orders` is a column of every customer view, whatever the sample.
    await cond.getByTestId('cond-column').selectOption('orders');
    await cond.getByTestId('cond-op').selectOption('ge');
    await cond.getByTestId('cond-value').fill('2');
    // The live count is back for this very condition.
    await page.waitForFunction(
      (n) => {
        const el = [...document.querySelectorAll('[data-testid="cell"]')].find((c) => c.getAttribute('data-name') === n);
        const live = el?.querySelector('[data-testid="seg-live"]');
        return live?.getAttribute('data-state') === 'ready' && live.getAttribute('data-for') === el?.querySelector('[data-testid="seg-description"]')?.getAttribute('data-tree');
      },
      cells.segment,
      { timeout: 30_000 },
    );
    // The condition reads as a Chinese sentence around the column name and the value.
    expect(await seg.getByTestId('seg-description').textContent()).toBe('满足以下条件的客户：orders 大于等于 2。');
    await seg.getByTestId('seg-save').click();
    expect(await settleCell(page, cells.segment)).toBe('done');
    await seg.getByTestId('seg-profile').waitFor({ timeout: 30_000 });

    cells.cluster = await add('cluster');
    await cell(cells.cluster).getByTestId('run-cell').click();
    expect(await settleCell(page, cells.cluster)).toBe('done');

    cells.clv = await add('clv');
    await cell(cells.clv).getByTestId('run-cell').click();
    expect(await settleCell(page, cells.clv)).toBe('done');
    // Headline figures in 万 / 亿 with ¥ (the sample's total CLV is well above 10,000).
    expect(await cell(cells.clv).getByTestId('clv-total').textContent()).toMatch(/^¥[\d.]+(万|亿)$/);
    console.log(`zh-CN main flows: ${Date.now() - t0} ms`);

    if (SHOTS) {
      // The sticky header would sit on top of tall cells in element screenshots.
      await page.addStyleTag({ content: 'header.top { position: static !important; }' });
      for (const [kind, name] of Object.entries(cells)) await shot(name, `zh-${kind}.png`);
      for (const part of ['rfm-charts', 'rfm-summary']) await shot(cells.rfm, `zh-rfm-${part}.png`, part);
      const chart = await page.locator('[data-testid="cell"][data-kind="chart"]').first().getAttribute('data-name');
      if (chart) await shot(chart, 'zh-chart.png');
      await page.locator('header.top').screenshot({ path: `${SHOTS}/zh-header.png` });
    }
    expect(app.pageErrors).toEqual([]);
  }, 180_000);

  test('no English interface text is left outside data values', async () => {
    const hits = await englishLeft();
    expect(hits, `English left in the Chinese interface:\n${report(hits)}`).toEqual([]);
  }, 60_000);

  test('switching to English and back re-renders in place: results, notebook and tables are kept', async () => {
    const page = app.page;
    const before = await cellStates();
    const tables = await page.getByTestId('table-item').count();
    await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));

    await page.getByTestId('locale-select').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.evaluate(() => localStorage.getItem('segnote.locale'))).toBe('en');
    // The search is not blind: in English it finds the interface's words all over the page.
    const english = await englishLeft();
    expect(english.length, 'the English page should be full of catalogue words').toBeGreaterThan(50);
    expect(new Set(english.map((h) => h.where)).size).toBeGreaterThan(5);
    expect(await cell(cells.clv).getByTestId('clv-total').textContent()).toMatch(/^[\d.]+[KM]$/);
    if (SHOTS) await cell(cells.rfm).screenshot({ path: `${SHOTS}/en-rfm.png` });

    await page.getByTestId('locale-select').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // The RFM result holds segment names in the language it ran in, so it runs again in the new one
    // (and the cells that read it after it); every cell ends where it was.
    const statuses = async () => Object.fromEntries(Object.entries(await cellStates()).map(([k, v]) => [k, v.split('#')[0]]));
    const expected = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.split('#')[0]]));
    await expect.poll(statuses, { timeout: 60_000, interval: 250 }).toEqual(expected);
    expect(await page.getByTestId('table-item').count()).toBe(tables);
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    expect(app.pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
    const hits = await englishLeft();
    expect(hits, `English left after switching back:\n${report(hits)}`).toEqual([]);
  }, 60_000);
});
