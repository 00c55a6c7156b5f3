/**
 * The first paint of a repeat visit (issue 16): the notebook as it was last drawn, kept with the
 * styles it was drawn with, so the page's first script can show it before the interface's modules
 * have run and without waiting for any file. It is shown inert, in a shadow root (its styles and
 * the live interface's do not meet), under a line saying it is not live, and only in the language
 * it was drawn in.
 */

/** What is kept of the last drawing. */
export interface StoredFirstPaint {
  v: 2;
  locale: string;
  /** The notebook shown. */
  notebook: string;
  /** The line saying the drawing is not live, in its language. */
  note: string;
  /** The interface's markup, without test ids, element ids or form names. */
  html: string;
  /** Every style rule the page had, rewritten for a shadow root (`shadowCss`). */
  css: string;
}

/** Larger drawings are not kept (localStorage holds about five million characters per site). */
export const MAX_FIRST_PAINT_CHARS = 3_000_000;

/** The kept drawing when it can be shown now (in this language, well formed), else null. */
export function usableFirstPaint(stored: unknown, now: { locale: string }): StoredFirstPaint | null {
  if (!stored || typeof stored !== 'object') return null;
  const s = stored as Partial<StoredFirstPaint>;
  const wellFormed =
    s.v === 2 &&
    typeof s.locale === 'string' &&
    typeof s.notebook === 'string' &&
    typeof s.note === 'string' &&
    typeof s.html === 'string' &&
    s.html.length > 0 &&
    typeof s.css === 'string';
  if (!wellFormed || s.locale !== now.locale) return null;
  return s as StoredFirstPaint;
}

/** The page's style rules for a shadow root: what the page set on `:root` (its colour and size variables) goes on the host. */
export function shadowCss(css: string): string {
  return css.replace(/:root\b/g, ':host');
}

/** Attributes that identify elements or drive tests; a copy shown beside the live interface must not carry them. */
export const STRIPPED_ATTRIBUTES = ['id', 'for', 'name', 'data-testid', 'data-status', 'autofocus', 'aria-controls', 'aria-labelledby', 'aria-describedby'];
