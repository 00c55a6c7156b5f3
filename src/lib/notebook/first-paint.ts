/**
 * The first paint of a repeat visit (issue 16): the notebook as it was last drawn, kept as HTML
 * so the page's first script can show it before the interface's modules have run. It is shown
 * inert, under a line saying it is not live, and only in the build and language it was drawn in
 * (the stylesheets it names belong to one build; its words to one language).
 */

/** What is kept of the last drawing. */
export interface StoredFirstPaint {
  v: 1;
  /** The build that drew it (its stylesheets and scoped class names belong to that build). */
  build: string;
  locale: string;
  /** The notebook shown. */
  notebook: string;
  /** The interface's markup, without test ids, element ids or form names. */
  html: string;
  /** Stylesheets the markup needs: links by URL, and the text of styles added at run time (the editor's). */
  links: string[];
  styles: string[];
}

/** Larger drawings are not kept (localStorage holds about five million characters per site). */
export const MAX_FIRST_PAINT_CHARS = 3_000_000;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The kept drawing when it can be shown now (same build and language, well formed), else null. */
export function usableFirstPaint(stored: unknown, now: { build: string; locale: string }): StoredFirstPaint | null {
  if (!stored || typeof stored !== 'object') return null;
  const s = stored as Partial<StoredFirstPaint>;
  const wellFormed =
    s.v === 1 &&
    typeof s.build === 'string' &&
    typeof s.locale === 'string' &&
    typeof s.notebook === 'string' &&
    typeof s.html === 'string' &&
    s.html.length > 0 &&
    isStrings(s.links) &&
    isStrings(s.styles);
  if (!wellFormed || s.build !== now.build || s.locale !== now.locale) return null;
  return s as StoredFirstPaint;
}

/** Attributes that identify elements or drive tests; a copy shown beside the live interface must not carry them. */
export const STRIPPED_ATTRIBUTES = ['id', 'for', 'name', 'data-testid', 'data-status', 'autofocus', 'aria-controls', 'aria-labelledby', 'aria-describedby'];
