/**
 * Shows, on a repeat visit, the notebook as it was last drawn before the interface's modules have
 * even been evaluated (they wait for CPU while DuckDB's wasm compiles), and keeps the drawing each
 * time the notebook's results are kept. The copy carries its own styles in a shadow root, so it
 * waits for no file; it is inert, marked as not live, and removed as soon as the real interface
 * has opened the notebook with its own kept results.
 */
import { getLocale, t } from '../lib/i18n';
import { MAX_FIRST_PAINT_CHARS, STRIPPED_ATTRIBUTES, shadowCss, usableFirstPaint, type StoredFirstPaint } from '../lib/notebook/first-paint';

const KEY = 'segnote:first-paint';

function read(): unknown {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

/** Forgets the kept drawing (its notebook was deleted, or nothing of it is kept). */
export function forgetFirstPaint(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* storage refused: nothing was kept either */
  }
}

/**
 * Draws the kept notebook above the (not yet mounted) interface when one in this language is
 * kept; `onScreen` hears when it was painted. Not in development (styles are injected
 * by the dev server there) nor for a shared link (that notebook is another).
 */
export function showFirstPaint(onScreen: (at: number) => void): void {
  if (import.meta.env.DEV || location.hash.length > 1) return;
  const stored = usableFirstPaint(read(), { locale: getLocale() });
  if (!stored) return;
  const host = document.createElement('div');
  host.className = 'first-paint';
  host.inert = true;
  host.setAttribute('aria-busy', 'true');
  host.dataset.notebook = stored.notebook;
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = stored.css;
  const note = document.createElement('p');
  note.className = 'first-paint-note';
  note.setAttribute('role', 'status');
  note.textContent = stored.note;
  const body = document.createElement('div');
  body.className = 'first-paint-body';
  body.innerHTML = stored.html;
  root.append(style, note, body);
  document.body.prepend(host);
  whenPainted(onScreen);
}

let endedAt = Infinity;

/**
 * Tells `painted` when the drawing reached the screen: the page's first contentful paint (the page
 * has no other content yet), unless the drawing was removed before it; the next frame where paint
 * timing is not supported.
 */
function whenPainted(painted: (at: number) => void): void {
  if (!PerformanceObserver.supportedEntryTypes?.includes('paint')) {
    requestAnimationFrame(() => painted(performance.now()));
    return;
  }
  const observer = new PerformanceObserver((list) => {
    const fcp = list.getEntriesByName('first-contentful-paint')[0];
    if (!fcp) return;
    observer.disconnect();
    if (fcp.startTime < endedAt) painted(fcp.startTime);
  });
  observer.observe({ type: 'paint', buffered: true });
}

/**
 * Removes the kept drawing once the interface shows notebook `id`; it is forgotten too when the
 * interface opened another notebook or could not show that one's kept results (it is stale).
 */
export function endFirstPaint(opened?: { id: string; showsKept: boolean }): void {
  const host = document.querySelector<HTMLElement>('body > .first-paint');
  if (!host) return;
  host.remove();
  endedAt = performance.now();
  if (opened && (opened.id !== host.dataset.notebook || !opened.showsKept)) forgetFirstPaint();
}

/** Cells starting further down the page than this many window heights are not kept: the first paint shows the top of the page. */
const KEPT_SCREENS = 1.5;

/** A copy of `root`'s markup as drawn, with form values (properties, not attributes) written in. */
function drawnMarkup(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  // Live and copied elements pair up by their order, before anything is removed from the copy.
  const pairs = <E extends Element>(selector: string) => {
    const copied = copy.querySelectorAll<E>(selector);
    return [...root.querySelectorAll<E>(selector)].map((live, i) => [live, copied[i]] as const);
  };
  for (const [el, c] of pairs<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select')) {
    if (el instanceof HTMLTextAreaElement) c.textContent = el.value;
    else if (el instanceof HTMLSelectElement) c.querySelectorAll('option').forEach((o, j) => o.toggleAttribute('selected', j === el.selectedIndex));
    else if (el.type === 'checkbox' || el.type === 'radio') c.toggleAttribute('checked', el.checked);
    else if (el.type !== 'file' && el.type !== 'password') c.setAttribute('value', el.value);
  }
  // What is below the first screens is not seen before the interface takes over, and drawing it costs.
  const limit = KEPT_SCREENS * innerHeight;
  for (const [cell, c] of pairs('article.cell')) if (cell.getBoundingClientRect().top + scrollY > limit) c.remove();
  for (const el of copy.querySelectorAll('[data-live-only]')) el.remove();
  const selector = STRIPPED_ATTRIBUTES.map((a) => `[${a}]`).join(',');
  for (const el of copy.querySelectorAll(selector)) for (const a of STRIPPED_ATTRIBUTES) el.removeAttribute(a);
  return copy.innerHTML;
}

/** Every style rule of the page, linked or added at run time (the editor's), as text. */
function pageCss(): string {
  const out: string[] = [];
  for (const sheet of document.styleSheets) {
    try {
      for (const rule of sheet.cssRules) out.push(rule.cssText);
    } catch {
      /* a sheet whose rules cannot be read is left out */
    }
  }
  return out.join('\n');
}

/** Keeps the interface as drawn now, showing notebook `notebook` (too large a drawing is not kept). */
export function keepFirstPaint(root: Element, kept: { notebook: string; locale: string }): void {
  if (import.meta.env.DEV) return;
  const stored: StoredFirstPaint = { v: 2, locale: kept.locale, notebook: kept.notebook, note: t('app.firstPaint'), html: drawnMarkup(root), css: shadowCss(pageCss()) };
  if (stored.html.length + stored.css.length > MAX_FIRST_PAINT_CHARS) return forgetFirstPaint();
  try {
    localStorage.setItem(KEY, JSON.stringify(stored));
  } catch {
    forgetFirstPaint();
  }
}
