/**
 * Shows, on a repeat visit, the notebook as it was last drawn before the interface's modules have
 * even been evaluated (they wait for CPU while DuckDB's wasm compiles), and keeps the drawing each
 * time the notebook's results are kept. The copy is inert, marked as not live, and removed as soon
 * as the real interface has opened the notebook with its own kept results.
 */
import { getLocale, t } from '../lib/i18n';
import { MAX_FIRST_PAINT_CHARS, STRIPPED_ATTRIBUTES, usableFirstPaint, type StoredFirstPaint } from '../lib/notebook/first-paint';

const KEY = 'segnote:first-paint';
/** The page's own script names the build: a new build has a new name (hashed) and new stylesheets. */
const BUILD = new URL(import.meta.url).pathname.split('/').pop() ?? '';

let shown: { host: HTMLElement; stored: StoredFirstPaint } | null = null;

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

function stylesheetLoaded(href: string): Promise<void> {
  const present = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].some((l) => l.href === href);
  if (present) return Promise.resolve();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  const loaded = new Promise<void>((resolve) => {
    link.onload = () => resolve();
    link.onerror = () => resolve();
  });
  document.head.append(link);
  return loaded;
}

/**
 * Draws the kept notebook above the (not yet mounted) interface when one of this build and
 * language is kept; `onScreen` hears once it is about to be painted. Not in development (styles
 * are injected by the dev server there) nor for a shared link (that notebook is another).
 */
export function showFirstPaint(onScreen: () => void): void {
  if (import.meta.env.DEV || location.hash.length > 1) return;
  const stored = usableFirstPaint(read(), { build: BUILD, locale: getLocale() });
  if (!stored) return;
  const host = document.createElement('div');
  host.className = 'first-paint';
  host.inert = true;
  host.setAttribute('aria-busy', 'true');
  shown = { host, stored };
  // Without its stylesheets the copy would flash unstyled: it is drawn once they are in.
  void Promise.all(stored.links.map(stylesheetLoaded)).then(() => {
    if (shown?.host !== host) return;
    for (const text of stored.styles) {
      const style = document.createElement('style');
      style.dataset.firstPaint = '';
      style.textContent = text;
      document.head.append(style);
    }
    const note = document.createElement('p');
    note.className = 'first-paint-note';
    note.setAttribute('role', 'status');
    note.textContent = t('app.firstPaint');
    const body = document.createElement('div');
    body.innerHTML = stored.html;
    host.append(note, body);
    document.body.prepend(host);
    requestAnimationFrame(onScreen);
  });
}

/**
 * Removes the kept drawing once the interface shows notebook `id`; it is forgotten too when the
 * interface opened another notebook or could not show that one's kept results (it is stale).
 */
export function endFirstPaint(opened?: { id: string; showsKept: boolean }): void {
  if (!shown) return;
  const { host, stored } = shown;
  shown = null;
  host.remove();
  for (const s of document.querySelectorAll('style[data-first-paint]')) s.remove();
  if (opened && (opened.id !== stored.notebook || !opened.showsKept)) forgetFirstPaint();
}

/** A copy of `root`'s markup as drawn, with form values (properties, not attributes) written in. */
function drawnMarkup(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  const fields = 'input, textarea, select';
  const live = root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(fields);
  const copied = copy.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(fields);
  live.forEach((el, i) => {
    const c = copied[i];
    if (el instanceof HTMLTextAreaElement) c.textContent = el.value;
    else if (el instanceof HTMLSelectElement) (c as HTMLSelectElement).querySelectorAll('option').forEach((o, j) => o.toggleAttribute('selected', j === el.selectedIndex));
    else if (el.type === 'checkbox' || el.type === 'radio') c.toggleAttribute('checked', el.checked);
    else if (el.type !== 'file' && el.type !== 'password') c.setAttribute('value', el.value);
  });
  for (const el of copy.querySelectorAll('[data-live-only]')) el.remove();
  const selector = STRIPPED_ATTRIBUTES.map((a) => `[${a}]`).join(',');
  for (const el of copy.querySelectorAll(selector)) for (const a of STRIPPED_ATTRIBUTES) el.removeAttribute(a);
  return copy.innerHTML;
}

/** Keeps the interface as drawn now, showing notebook `notebook` (too large a drawing is not kept). */
export function keepFirstPaint(root: Element, kept: { notebook: string; locale: string }): void {
  if (import.meta.env.DEV) return;
  const html = drawnMarkup(root);
  if (html.length > MAX_FIRST_PAINT_CHARS) return forgetFirstPaint();
  const stored: StoredFirstPaint = {
    v: 1,
    build: BUILD,
    locale: kept.locale,
    notebook: kept.notebook,
    html,
    links: [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => l.href),
    styles: [...document.querySelectorAll('head style:not([data-first-paint])')].map((s) => s.textContent ?? ''),
  };
  try {
    localStorage.setItem(KEY, JSON.stringify(stored));
  } catch {
    forgetFirstPaint();
  }
}
