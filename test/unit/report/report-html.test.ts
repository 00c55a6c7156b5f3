/**
 * Issue 17, reports: the HTML builder escapes every text, keeps chart markup and notes from
 * running or fetching anything, holds no customer rows unless they were ticked in, carries the
 * SQL appendix, and is written in the interface language with no external URL.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { setLocale } from '../../../src/lib/i18n';
import { esc, reportHtml, safeMarkdown, safeSvg } from '../../../src/lib/report/report-html';
import type { ReportDoc, ReportSection } from '../../../src/lib/report/report-model';
import { lifecycleDefinitions, rfmDefinitions, segmentDefinitions } from '../../../src/lib/report/definitions';
import { defaultLifecycleRules } from '../../../src/lib/segment/lifecycle-sql';
import { defaultRfmRules } from '../../../src/lib/notebook/cells';
import { defaultRfmSpec } from '../../../src/lib/segment/rfm-spec';
import { defaultRfmTypes } from '../../../src/lib/segment/rfm-types';
import { DEPARTED_SEGMENT, NEW_SEGMENT } from '../../../src/lib/segment/movement-sql';

afterEach(() => setLocale('en'));

const EVIL = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
// What Plot's serialised SVG looks like, plus things that must not survive.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" class="plot-1" width="640" height="400" viewBox="0 0 640 400" onload="alert(1)"><style>:where(.plot-1){fill:currentColor}</style><script>alert(2)</script><g aria-label="bar"><rect x="1" y="2" width="3" height="4" fill="#4e79a7"></rect></g><image href="https://example.com/track.png"></image><a href="http://evil.example/"><text>x</text></a><use href="#ok"></use><rect style="fill:url(https://example.com/p)"></rect><foreignObject><div>hi</div></foreignObject><text>Champions &amp; co</text></svg>`;

function section(patch: Partial<ReportSection> = {}): ReportSection {
  return { name: 'rfm', kind: 'RFM', facts: [{ label: 'As-of date', value: '2024-05-01' }], charts: [{ title: 'Segments', svg: SVG }], tables: [{ head: ['Segment', 'Customers'], rows: [['Champions', '12'], [EVIL, '3']], numeric: [false, true] }], definitions: null, customerTables: [], sql: "SELECT 1 AS a WHERE 'x' < 'y'", ran: true, ...patch };
}

function doc(patch: Partial<ReportDoc> = {}): ReportDoc {
  return { title: `Weekly <report> & "more"`, lang: 'en', generatedOn: '2024-05-02', dataPeriod: { from: '2023-01-01', to: '2024-04-30', note: 'purchases' }, asOf: '2024-05-01', includeCustomers: false, maxRows: 500, sections: [section()], comparison: null, ...patch };
}

/** Every absolute URL in the text (namespace URIs included: there must be none at all). */
const urls = (html: string) => html.match(/\b(?:https?|ftp):\/\/[^\s"'<>)]+|\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi) ?? [];

describe('escaping', () => {
  test('esc covers the five characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('titles, names, facts and table cells are text, never markup', () => {
    const html = reportHtml(doc({ sections: [section({ name: EVIL, facts: [{ label: EVIL, value: EVIL }] })] }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<title>Weekly &lt;report&gt; &amp; &quot;more&quot;</title>');
  });

  test('chart markup loses scripts, handlers, foreign objects, outside links and namespace URLs', () => {
    const svg = safeSvg(SVG);
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toMatch(/script|onload|foreignObject|example\.com|evil|xmlns/i);
    expect(svg).toContain('<use href="#ok">');
    expect(svg).toContain('<rect x="1" y="2" width="3" height="4" fill="#4e79a7">');
    expect(svg).toContain('Champions &amp; co');
    expect(safeSvg('<div>not a chart</div>')).toBe('');
  });

  test('notes: raw HTML is escaped and images become their alt text (nothing is fetched)', () => {
    const html = safeMarkdown(`## Hello\n\n${EVIL}\n\n![a chart](https://example.com/c.png) and [a link](https://example.com/page)`);
    expect(html).toContain('<h2>Hello</h2>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('a chart and');
    expect(html).toContain('href="https://example.com/page"');
  });
});

describe('the document', () => {
  test('a complete HTML page: lang, charset, print styles, CJK fonts, each chart as inline SVG', () => {
    const html = reportHtml(doc());
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@media print \{[\s\S]*break-before: page/);
    expect(html).toContain('@page');
    expect(html).toMatch(/"Noto Sans CJK SC"/);
    expect(html.match(/<figure class="chart" data-testid="report-chart">(<figcaption>Segments<\/figcaption>)?<svg /g)).toHaveLength(1);
    expect(html).toContain('2023-01-01 to 2024-04-30');
    expect(html).toContain('As-of date');
  });

  test('no external URL anywhere, no script, no external stylesheet or font', () => {
    const html = reportHtml(doc({ sections: [section(), section({ name: 'notes', kind: 'Notes', markdown: '![x](https://cdn.example/x.png)' })] }));
    expect(urls(html)).toEqual([]);
    // (Escaped text such as "&lt;img src=x" in a table cell is harmless; tags are what count.)
    const found = html.match(/<script|<link\b|@import|@font-face|<[a-z][^>]*\ssrc=/gi);
    expect(found).toEqual(null);
  });

  test('the SQL appendix holds each result\'s SQL, escaped, and the comparison\'s', () => {
    const html = reportHtml(doc({ sections: [section(), section({ name: 'no_sql', sql: null })] }));
    const appendix = html.slice(html.indexOf('data-testid="report-appendix"'));
    expect(appendix).toContain('<pre class="sql" data-testid="report-sql" data-name="rfm">SELECT 1 AS a WHERE &#39;x&#39; &lt; &#39;y&#39;</pre>');
    expect(appendix).not.toContain('data-name="no_sql"');
  });

  test('no customer rows unless ticked in: the privacy line says which', () => {
    const off = reportHtml(doc());
    expect(off).not.toContain('report-customers');
    expect(off).toContain('No row-level customer data');
    expect(reportHtml(doc({ sections: [section({ customersLeftOut: 1 })] }))).toContain('the list is left out of the report');
    const on = reportHtml(doc({ includeCustomers: true, sections: [section({ customerTables: [{ head: ['customer_id'], rows: [['C-0001']], note: 'All 1 rows.' }] })] }));
    expect(on).toContain('data-testid="report-customers"');
    expect(on).toContain('<td>C-0001</td>');
    expect(on).toContain('at most 500 rows per list');
  });

  test('a cell without a result says so', () => {
    expect(reportHtml(doc({ sections: [section({ ran: false, charts: [], tables: [], sql: null })] }))).toContain('has no result');
  });

  test('in Chinese: lang zh-CN, Chinese headings, numbers and money for the locale', () => {
    setLocale('zh-CN');
    const html = reportHtml(doc({
      lang: 'zh-CN',
      comparison: {
        basis: 'rfm', from: '2024-02-01', to: '2024-05-01',
        sizes: [{ segment: '冠军客户', customersThen: 1200, customersNow: 1500, revenueThen: 10000, revenueNow: 9000.5 }],
        matrix: { rows: [NEW_SEGMENT, '冠军客户'], columns: ['冠军客户', DEPARTED_SEGMENT], counts: [[300, 0], [1100, 100]] },
        label: (s) => (s === NEW_SEGMENT ? '（新增）' : s === DEPARTED_SEGMENT ? '（流出）' : s), sql: 'SELECT 2',
      },
    }));
    expect(html).toMatch(/<html lang="zh-CN">/);
    expect(html).toContain('附录：各结果背后的 SQL');
    expect(html).toContain('分析基准日');
    expect(html).toContain('客户数 2024-02-01');
    expect(html).toContain('>1,200<');
    expect(html).toContain('>+300<');
    expect(html).toContain('>-¥999.50<');
    expect(html).toContain('（新增）');
    expect(html).toContain('<pre class="sql" data-testid="report-sql" data-name="">SELECT 2</pre>');
  });
});

describe('period comparison in the document', () => {
  test('sizes with changes and totals; the matrix with row totals and the diagonal marked', () => {
    const html = reportHtml(doc({
      comparison: {
        basis: 'rfm', from: '2024-04-24', to: '2024-05-01',
        sizes: [
          { segment: 'Champions', customersThen: 10, customersNow: 12, revenueThen: 500, revenueNow: 450 },
          { segment: 'Lost', customersThen: 5, customersNow: 5, revenueThen: 20, revenueNow: 20 },
        ],
        matrix: { rows: [NEW_SEGMENT, 'Champions', 'Lost'], columns: ['Champions', 'Lost', DEPARTED_SEGMENT], counts: [[2, 0, 0], [9, 1, 0], [1, 4, 0]] },
        label: (s) => s, sql: 'SELECT 3',
      },
    }));
    const sizes = html.slice(html.indexOf('report-comparison-sizes'), html.indexOf('</table>', html.indexOf('report-comparison-sizes')));
    expect(sizes).toMatch(/<td>Champions<\/td><td class="num">10<\/td><td class="num">12<\/td><td class="num up">\+2<\/td><td class="num">500<\/td><td class="num">450<\/td><td class="num down">-50<\/td>/);
    expect(sizes).toMatch(/<tfoot><tr><td>All customers<\/td><td class="num">15<\/td><td class="num">17<\/td><td class="num up">\+2<\/td>/);
    const matrix = html.slice(html.indexOf('report-comparison-matrix'));
    expect(matrix).toMatch(/<tr><th>Champions<\/th><td class="num diag">9<\/td><td class="num">1<\/td><td class="num"><\/td><td class="num">10<\/td><\/tr>/);
    expect(html).toContain('href="#comparison"');
  });

  test('a comparison that failed is reported, not hidden', () => {
    expect(reportHtml(doc({ comparison: { error: 'no RFM <cell>' } }))).toContain('could not be computed: no RFM &lt;cell&gt;');
  });
});

describe('definitions', () => {
  test('RFM rules: ranges, description and action of each rule, in the current language', () => {
    const d = rfmDefinitions({ rules: defaultRfmRules(), model: 'scores', spec: defaultRfmSpec('o', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null }) });
    expect(d.table!.rows[0]).toEqual(['Champions', 'R 4–5 · F 4–5 · M 4–5', 'Bought recently, buy often and spend the most.', expect.stringMatching(/^Reward them/)]);
    expect(d.notes[0]).toMatch(/quintile/);
    setLocale('zh-CN');
    const zh = rfmDefinitions({ rules: defaultRfmRules(), model: 'types', types: defaultRfmTypes(), spec: defaultRfmSpec('o', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null }) });
    expect(zh.table!.rows[0][0]).toBe('重要价值客户');
    expect(zh.table!.rows[0][1]).toBe('R 高 · F 高 · M 高');
    expect(zh.notes[0]).toContain('均值');
  });

  test('lifecycle: each stage with its rule and the cell\'s numbers, in the order they are checked', () => {
    const d = lifecycleDefinitions({ ...defaultLifecycleRules(), newDays: 45 });
    expect(d.table!.rows.map((r) => r[0])).toEqual(['New', 'Lapsed', 'At risk', 'Cooling', 'Reactivated', 'Active']);
    expect(d.table!.rows[0][1]).toBe('First purchase at most 45 days before the as-of date.');
    expect(d.notes.join(' ')).toMatch(/median/);
  });

  test('a segment builder: its conditions as a sentence', () => {
    const d = segmentDefinitions({ tree: { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'orders', op: '>', value: 2 }] } });
    expect(d.conditions).toMatch(/orders/);
  });
});
