import { describe, expect, test } from 'vitest';
import { isSafeLink, renderMarkdown } from '../../src/lib/markdown';

/** No executable HTML: no script element, no event-handler attribute in a tag, no javascript:/data: URL in an attribute. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
  expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|vbscript|data):/i);
  expect(html).not.toMatch(/<(iframe|object|embed|svg|style|form|img[^>]*src="x")/i);
}

describe('renderMarkdown', () => {
  test('headings, lists, emphasis, code and tables render', () => {
    const html = renderMarkdown('# 客户分群\n\n- one\n- **two**\n\n1. first\n\n`code` and *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<h1>客户分群</h1>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>');
    expect(html).toContain('<ol>\n<li>first</li>\n</ol>');
    expect(html).toContain('<code>code</code> and <em>em</em>');
    expect(html).toContain('<td>1</td>');
  });

  test('http(s) and mailto links open in a new tab without opener or referrer', () => {
    expect(renderMarkdown('[docs](https://duckdb.org/docs)')).toBe(
      '<p><a href="https://duckdb.org/docs" target="_blank" rel="noopener noreferrer">docs</a></p>\n',
    );
    expect(renderMarkdown('<mailto:team@example.com>')).toContain('href="mailto:team@example.com" target="_blank"');
    // linkify turns bare URLs into links.
    expect(renderMarkdown('see https://example.com/a?b=1 now')).toContain(
      '<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">https://example.com/a?b=1</a>',
    );
  });

  test('relative links are allowed; in-page anchors stay in the page', () => {
    expect(renderMarkdown('[next](notes/next.md)')).toContain('<a href="notes/next.md" target="_blank" rel="noopener noreferrer">');
    expect(renderMarkdown('[top](#top)')).toContain('<a href="#top">top</a>');
  });

  test('raw HTML is escaped, never rendered', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)> <b onclick="x()">b</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expectInert(html);
    expectInert(renderMarkdown('<iframe src="javascript:alert(1)"></iframe>\n<svg onload=alert(1)>'));
  });

  test('javascript:, data: and other schemes never become links', () => {
    const cases = [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](javascript&#58;alert(1))',
      '[x](data:text/html,<script>alert(1)</script>)',
      '[x](vbscript:msgbox(1))',
      '[x](file:///etc/passwd)',
      '<javascript:alert(1)>',
      '[x][r]\n\n[r]: javascript:alert(1)',
    ];
    for (const src of cases) {
      const html = renderMarkdown(src);
      expectInert(html);
      expect(html).not.toMatch(/href="(?!#|https?:|mailto:)[a-z]+:/i);
    }
    // A rejected link stays plain text; an empty one is an inert <a> without href.
    expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
    expect(renderMarkdown('[x]()')).toBe('<p><a>x</a></p>\n');
  });

  test('images load only from http(s); others show their alt text', () => {
    expect(renderMarkdown('![chart](https://example.com/a.png)')).toBe(
      '<p><img src="https://example.com/a.png" alt="chart" loading="lazy" referrerpolicy="no-referrer"></p>\n',
    );
    for (const src of ['![a<b](javascript:alert(1))', '![a<b](data:image/png;base64,AAAA)', '![a<b](x.png)', '![a<b](x" onerror="alert(1))']) {
      const html = renderMarkdown(src);
      expect(html).not.toContain('<img');
      expectInert(html);
    }
    // data: fails link validation, so it stays literal text; a relative src parses but renders as alt text.
    expect(renderMarkdown('![a<b](data:image/png;base64,AAAA)')).toBe('<p>![a&lt;b](data:image/png;base64,AAAA)</p>\n');
    expect(renderMarkdown('![a<b](x.png)')).toBe('<p>a&lt;b</p>\n');
  });

  test('attribute values are escaped', () => {
    const html = renderMarkdown('[x](https://example.com/"onmouseover="alert(1) "t\\"itle")');
    expectInert(html);
    expect(html).not.toMatch(/"\s+onmouseover=/);
  });
});

describe('isSafeLink', () => {
  test('allows http, https, mailto and relative URLs only', () => {
    for (const ok of ['http://a.b', 'HTTPS://a.b', 'mailto:a@b.c', '/x', 'x/y.md', '#h', '?q=1', '//cdn.example.com/x']) expect(isSafeLink(ok), ok).toBe(true);
    for (const bad of ['javascript:x', ' javascript:x', 'java\nscript:x', 'data:text/html,x', 'vbscript:x', 'file:///x', 'ftp://x', 'blob:x']) expect(isSafeLink(bad), bad).toBe(false);
  });
});
