/**
 * Markdown for the notes cell, rendered to HTML that is safe to insert: raw HTML in the text is
 * escaped (never rendered), links may only be http(s), mailto or relative, images only http(s).
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

/** Whether a (normalized) URL is allowed as a link target: http:, https:, mailto:, or relative / anchor. */
export function isSafeLink(url: string): boolean {
  // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
  const u = url.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(u);
  if (!scheme) return true;
  return scheme[1] === 'http' || scheme[1] === 'https' || scheme[1] === 'mailto';
}

/** Whether a URL may be an image source: absolute http(s) only. */
export function isSafeImage(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

let md: MarkdownIt | null = null;

function renderer(): MarkdownIt {
  if (md) return md;
  const m = new MarkdownIt({ html: false, linkify: true });
  m.validateLink = isSafeLink;

  // Links open in a new tab without access to this page; a rejected link (markdown-it leaves
  // `href=""`) becomes an inert <a> without href. In-page anchors stay in the page.
  m.renderer.rules.link_open = (tokens: Token[], idx, options, _env, self) => {
    const token = tokens[idx];
    const href = token.attrGet('href') ?? '';
    if (!href) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');
    } else if (!href.startsWith('#')) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return self.renderToken(tokens, idx, options);
  };

  // Images only from http(s); anything else is shown as its alt text.
  const defaultImage = m.renderer.rules.image!;
  m.renderer.rules.image = (tokens: Token[], idx, options, env, self) => {
    const token = tokens[idx];
    if (!isSafeImage(token.attrGet('src') ?? '')) {
      return m.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
    }
    token.attrSet('loading', 'lazy');
    token.attrSet('referrerpolicy', 'no-referrer');
    return defaultImage(tokens, idx, options, env, self);
  };
  md = m;
  return m;
}

/** Renders a notes cell's Markdown to safe HTML (CommonMark + tables, strikethrough, autolinked URLs). */
export function renderMarkdown(text: string): string {
  return renderer().render(text);
}
