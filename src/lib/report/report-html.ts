/**
 * One self-contained HTML file from a `ReportDoc`: inline CSS with print styles, charts as inline
 * SVG, no script and no external resource (fonts are the reader's own, CJK included). Every text
 * from the doc is escaped; chart markup and rendered Markdown pass through `safeSvg` /
 * `safeMarkdown`, which drop anything that could run or fetch.
 */
import { t } from '../i18n';
import { formatFull, formatMoney } from '../i18n/format';
import { renderMarkdown } from '../markdown';
import type { ComparisonRow, ReportChart, ReportComparison, ReportDoc, ReportSection, ReportTable } from './report-model';

/** Text made safe for HTML content and attribute values. */
export function esc(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Chart markup as it may sit inside the report: no script, event handler, foreignObject or
 * link out of the document; no namespace URLs (inline SVG in HTML needs none). Anything that
 * is not an `<svg>` or `<figure>` is dropped.
 */
export function safeSvg(markup: string): string {
  const trimmed = markup.trim();
  if (!/^<(svg|figure)[\s>]/i.test(trimmed)) return '';
  return trimmed
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<script\b[^>]*\/?>/gi, '')
    .replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/<(iframe|object|embed|image|img|use|a)\b[^>]*>/gi, (tag) => (/\s(?:xlink:)?href\s*=\s*["']?\s*#/i.test(tag) || !/\s(?:xlink:)?(href|src)\s*=/i.test(tag) ? tag : ''))
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+xmlns(:[a-z]+)?\s*=\s*("[^"]*"|'[^']*')/gi, '')
    .replace(/\s+(?:xlink:)?(href|src)\s*=\s*("(?!#)[^"]*"|'(?!#)[^']*')/gi, '')
    .replace(/url\(\s*['"]?(?!#)[^)]*\)/gi, 'none')
    .replace(/@import[^;]*;?/gi, '');
}

/** Notes rendered from Markdown without anything fetched: images become their alt text. */
export function safeMarkdown(text: string): string {
  return renderMarkdown(text)
    .replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*>/gi, '$1')
    .replace(/<img\b[^>]*>/gi, '');
}

const FONT = `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif`;
const MONO = `ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC", monospace`;

/** The report's stylesheet: screen and print (A4, a page per section, no table row or chart cut). */
export const REPORT_CSS = `
:root { --ink: #1d2433; --muted: #5d6678; --line: #dde1e8; --soft: #f5f7fa; --accent: #2f5fb3; }
* { box-sizing: border-box; }
html { font-family: ${FONT}; color: var(--ink); background: #fff; }
body { margin: 0 auto; padding: 28px 32px 60px; max-width: 1040px; font-size: 13.5px; line-height: 1.5; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 0 0 4px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h4 { font-size: 13.5px; margin: 12px 0 4px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.kind { font-size: 11px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: var(--accent); }
.cover .facts { margin: 12px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0 10px; font-size: 12.5px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.privacy { border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 6px 10px; font-size: 12.5px; }
nav ol { margin: 4px 0; padding-left: 22px; }
nav a { color: var(--accent); text-decoration: none; }
section.cell, section.comparison, section.appendix { margin-top: 36px; }
figure.chart { margin: 10px 0 16px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 600; font-size: 12.5px; margin-bottom: 4px; }
figure.chart svg { max-width: 100%; height: auto; font-family: ${FONT}; overflow: visible; }
figure.chart figure { margin: 0; }
.table-wrap { margin: 8px 0 14px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; border-bottom-width: 2px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
th, td:first-child { word-break: keep-all; }
td.up { color: #1a7f37; } td.down { color: #b42318; }
td.diag { background: #eef3fb; font-weight: 600; }
.note { font-size: 11.5px; color: var(--muted); }
.markdown h1, .markdown h2 { border: none; font-size: 18px; }
.markdown code, pre { font-family: ${MONO}; }
pre.sql { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; font-size: 11px; white-space: pre-wrap; word-break: break-word; }
.error { color: #b42318; }
table.matrix { table-layout: fixed; font-size: 10.5px; }
table.matrix th, table.matrix td { padding: 2px 3px; white-space: normal; overflow-wrap: anywhere; }
table.matrix thead th { vertical-align: bottom; }
@media screen { .table-wrap { overflow-x: auto; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11.5px; }
  section.cell, section.comparison, section.appendix { break-before: page; page-break-before: always; margin-top: 0; }
  section.cell.notes, section.cell.brief { break-before: auto; page-break-before: auto; margin-top: 18px; }
  h2, h3, h4, figcaption, caption { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  /* Totals once, under the last row (not repeated on every page). */
  tfoot { display: table-row-group; }
  tr, .facts, .privacy { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap.small, .keep { break-inside: avoid; page-break-inside: avoid; }
  th.num { white-space: normal; }
  /* An A4 page is about 700 px wide: wide summary tables fit with a smaller font and padding. */
  table { font-size: 10px; }
  th, td { padding: 2px 4px; }
  table.matrix { font-size: 9.5px; }
  pre.sql { break-inside: auto; }
  nav a { color: var(--ink); }
}
`;

function tableHtml(table: ReportTable, testid = 'report-table'): string {
  const cls = (i: number) => (table.numeric?.[i] ? ' class="num"' : '');
  const row = (cells: string[], tag: 'td' | 'th') => `<tr>${cells.map((c, i) => `<${tag}${cls(i)}>${esc(c)}</${tag}>`).join('')}</tr>`;
  const small = table.rows.length <= 25 ? ' small' : '';
  return `<div class="table-wrap${small}"><table data-testid="${esc(testid)}">${table.caption ? `<caption>${esc(table.caption)}</caption>` : ''}
<thead>${row(table.head, 'th')}</thead>
<tbody>${table.rows.map((r) => row(r, 'td')).join('\n')}</tbody>${table.foot?.length ? `\n<tfoot>${table.foot.map((r) => row(r, 'td')).join('')}</tfoot>` : ''}
</table>${table.note ? `<p class="note">${esc(table.note)}</p>` : ''}</div>`;
}

function chartHtml(c: ReportChart | undefined): string {
  const svg = c ? safeSvg(c.svg) : '';
  return svg ? `<figure class="chart" data-testid="report-chart">${c!.title ? `<figcaption>${esc(c!.title)}</figcaption>` : ''}${svg}</figure>` : '';
}

function factsHtml(facts: { label: string; value: string }[]): string {
  if (!facts.length) return '';
  return `<dl class="facts">${facts.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('')}</dl>`;
}

function sectionHtml(s: ReportSection, index: number): string {
  const id = `s-${index + 1}`;
  const parts: string[] = [];
  if (s.markdown !== undefined) {
    return `<section class="cell notes" id="${id}" data-testid="report-section" data-name="${esc(s.name)}"><div class="markdown">${safeMarkdown(s.markdown)}</div></section>`;
  }
  parts.push(`<div class="kind">${esc(s.kind)}</div><h2>${esc(s.name)}</h2>`);
  parts.push(factsHtml(s.facts));
  if (!s.ran) parts.push(`<p class="muted">${esc(t('report.doc.notRun'))}</p>`);
  for (const c of s.charts) parts.push(chartHtml(c));
  for (const table of s.tables) parts.push(tableHtml(table));
  if (s.definitions) {
    const d = s.definitions;
    const defs = [`<h3>${esc(t('report.doc.definitions'))}</h3>`];
    if (d.conditions) defs.push(`<h4>${esc(t('report.doc.conditions'))}</h4><p data-testid="report-conditions">${esc(d.conditions)}</p>`);
    for (const n of d.notes) defs.push(`<p class="note">${esc(n)}</p>`);
    if (d.table) defs.push(tableHtml(d.table, 'report-definitions'));
    // Heading, notes and a short rule table stay on one page.
    parts.push(`<div class="${(d.table?.rows.length ?? 0) <= 16 ? 'keep' : ''}">${defs.join('\n')}</div>`);
  }
  if (s.customersLeftOut) parts.push(`<p class="note" data-testid="report-rows-left-out">${esc(t('report.doc.rowsLeftOut'))}</p>`);
  if (s.customerTables.length) {
    parts.push(`<h3>${esc(t('report.doc.customerRows'))}</h3>`);
    for (const table of s.customerTables) parts.push(tableHtml(table, 'report-customers'));
  }
  // A section with nothing but facts does not need a page of its own.
  const brief = !s.charts.length && !s.tables.length && !s.definitions && !s.customerTables.length;
  return `<section class="cell${brief ? ' brief' : ''}" id="${id}" data-testid="report-section" data-name="${esc(s.name)}">\n${parts.join('\n')}\n</section>`;
}

/** The change from `then` to `now` as text with a sign (+12, -3, 0). */
function change(then: number, now: number, money: boolean, locale: ReportDoc['lang']): { text: string; cls: string } {
  const d = Math.round((now - then) * 100) / 100;
  const text = money ? formatMoney(d, {}, locale) : formatFull(d, 2, locale);
  return { text: d > 0 ? `+${text}` : text, cls: d > 0 ? 'up' : d < 0 ? 'down' : '' };
}

/** The totals row of a comparison: sums over the segments. */
export function comparisonTotals(rows: readonly ComparisonRow[]): Omit<ComparisonRow, 'segment'> {
  const sum = (k: keyof Omit<ComparisonRow, 'segment'>) => rows.reduce((s, r) => s + r[k], 0);
  return { customersThen: sum('customersThen'), customersNow: sum('customersNow'), revenueThen: sum('revenueThen'), revenueNow: sum('revenueNow') };
}

function comparisonHtml(c: ReportComparison, locale: ReportDoc['lang']): string {
  const num = (n: number) => formatFull(n, 2, locale);
  const money = (n: number) => formatMoney(n, {}, locale);
  const line = (label: string, r: Omit<ComparisonRow, 'segment'>, tag: 'td' | 'th' = 'td') => {
    const dc = change(r.customersThen, r.customersNow, false, locale);
    const dr = change(r.revenueThen, r.revenueNow, true, locale);
    return `<tr><${tag}>${esc(label)}</${tag}><td class="num">${esc(num(r.customersThen))}</td><td class="num">${esc(num(r.customersNow))}</td><td class="num ${dc.cls}">${esc(dc.text)}</td><td class="num">${esc(money(r.revenueThen))}</td><td class="num">${esc(money(r.revenueNow))}</td><td class="num ${dr.cls}">${esc(dr.text)}</td></tr>`;
  };
  const head = [t('report.doc.segment'), t('report.cmp.customersAt', { date: c.from }), t('report.cmp.customersAt', { date: c.to }), t('report.cmp.change'), t('report.cmp.revenueAt', { date: c.from }), t('report.cmp.revenueAt', { date: c.to }), t('report.cmp.change')];
  const sizes = `<div class="table-wrap small"><table data-testid="report-comparison-sizes"><thead><tr>${head.map((h, i) => `<th${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${c.sizes.map((r) => line(c.label(r.segment), r)).join('\n')}</tbody>
<tfoot>${line(t('report.cmp.total'), comparisonTotals(c.sizes))}</tfoot></table><p class="note">${esc(t('report.cmp.revenueHint'))}</p></div>`;
  const m = c.matrix;
  const matrix = `<div class="table-wrap small"><table class="matrix" data-testid="report-comparison-matrix"><thead><tr><th>${esc(`${c.from} \\ ${c.to}`)}</th>${m.columns.map((col) => `<th class="num">${esc(c.label(col))}</th>`).join('')}<th class="num">${esc(t('report.cmp.total'))}</th></tr></thead>
<tbody>${m.rows
    .map((r, i) => `<tr><th>${esc(c.label(r))}</th>${m.columns.map((col, j) => `<td class="num${col === r ? ' diag' : ''}">${m.counts[i][j] ? esc(num(m.counts[i][j])) : ''}</td>`).join('')}<td class="num">${esc(num(m.counts[i].reduce((a, b) => a + b, 0)))}</td></tr>`)
    .join('\n')}</tbody></table><p class="note">${esc(t('report.cmp.matrixHint', { from: c.from, to: c.to }))}</p></div>`;
  return `<section class="comparison" id="comparison" data-testid="report-comparison">
<div class="kind">${esc(t('report.cmp.title'))}</div><h2>${esc(t('report.cmp.dates', { from: c.from, to: c.to }))}</h2>
<p class="muted">${esc(t('report.cmp.basis', { name: c.basis }))}</p>
<h3>${esc(t('report.cmp.sizes'))}</h3>${chartHtml(c.charts?.sizes)}${sizes}
<div class="keep"><h3>${esc(t('report.cmp.matrix'))}</h3>${chartHtml(c.charts?.flows)}</div>${matrix}
</section>`;
}

/** The report as one HTML document (a string), in `doc.lang`. */
export function reportHtml(doc: ReportDoc): string {
  const sections = doc.sections.map(sectionHtml);
  const toc = doc.sections
    .map((s, i) => (s.markdown !== undefined ? '' : `<li><a href="#s-${i + 1}">${esc(s.name)}</a> <span class="muted">${esc(s.kind)}</span></li>`))
    .filter(Boolean);
  const comparison = doc.comparison && 'error' in doc.comparison ? null : doc.comparison;
  if (comparison) toc.push(`<li><a href="#comparison">${esc(t('report.cmp.title'))}</a></li>`);
  const appendix = doc.sections.filter((s) => s.sql);
  if (appendix.length || comparison) toc.push(`<li><a href="#appendix">${esc(t('report.doc.sqlAppendix'))}</a></li>`);
  const facts: { label: string; value: string }[] = [];
  if (doc.dataPeriod) facts.push({ label: t('report.doc.dataPeriod'), value: t('report.doc.range', { from: doc.dataPeriod.from, to: doc.dataPeriod.to }) + (doc.dataPeriod.note ? ` · ${doc.dataPeriod.note}` : '') });
  if (doc.asOf) facts.push({ label: t('report.doc.asOf'), value: doc.asOf });
  const privacy = doc.includeCustomers ? t('report.doc.privacyOn', { n: doc.maxRows }) : t('report.doc.privacyOff');
  const error = doc.comparison && 'error' in doc.comparison ? `<p class="error" data-testid="report-comparison-error">${esc(t('report.cmp.failed', { message: doc.comparison.error }))}</p>` : '';
  const sqlBlocks = [
    ...appendix.map((s) => `<h3>${esc(t('report.doc.sqlFor', { name: s.name }))}</h3><pre class="sql" data-testid="report-sql" data-name="${esc(s.name)}">${esc(s.sql!)}</pre>`),
    ...(comparison ? [`<h3>${esc(t('report.doc.comparisonSql'))}</h3><pre class="sql" data-testid="report-sql" data-name="">${esc(comparison.sql)}</pre>`] : []),
  ];
  return `<!DOCTYPE html>
<html lang="${esc(doc.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Segnote">
<title>${esc(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="cover" data-testid="report-cover">
<h1>${esc(doc.title)}</h1>
<p class="muted">${esc(t('report.doc.generated', { date: doc.generatedOn }))}</p>
${factsHtml(facts)}
<p class="privacy" data-testid="report-privacy">${esc(privacy)}</p>
${error}
<nav><h3>${esc(t('report.doc.contents'))}</h3><ol>${toc.join('')}</ol></nav>
</header>
${sections.join('\n')}
${comparison ? comparisonHtml(comparison, doc.lang) : ''}
${sqlBlocks.length ? `<section class="appendix" id="appendix" data-testid="report-appendix"><h2>${esc(t('report.doc.sqlAppendix'))}</h2><p class="muted">${esc(t('report.doc.sqlHint'))}</p>\n${sqlBlocks.join('\n')}</section>` : ''}
</body>
</html>
`;
}
