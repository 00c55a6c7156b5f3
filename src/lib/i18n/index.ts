/**
 * The message catalogue: `t(key, params)` looks up interface text for the current locale.
 *
 * The locale lives in a `LocaleStore`. Here it is a plain variable; the page swaps in a store
 * backed by Svelte state (src/state/locale.svelte.ts), so every template, `$derived` and effect
 * that calls `t()` re-runs when the language changes — without this module importing Svelte.
 *
 * Text made earlier and kept (a cell's problems, an error) can be shown again in the current
 * language with `retranslate(text)`: every `t()` output remembers the key and parameters it was
 * made from. The engine worker does not render text at all: with `encodeMessages(true)` its
 * `t()` returns the key and parameters in a recognisable form (see `decodeMessages`), which the
 * page turns into text in its own language.
 */
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey };

/** The interface languages. */
export const LOCALES = ['en', 'zh-CN'] as const;
/** An interface language. */
export type Locale = (typeof LOCALES)[number];
/** Parameters of a message: text or numbers (numbers are formatted for the locale). */
export type MessageParams = Record<string, string | number>;

type Catalogue = Record<MessageKey, string>;
const catalogues: Record<string, Partial<Catalogue>> = { en, 'zh-CN': zhCN };

/** Where the current locale and currency symbol are kept; the page replaces it with reactive state. */
export interface LocaleStore {
  locale: Locale;
  /** The currency symbol the user chose, or null for the locale's default. */
  currency: string | null;
}

let store: LocaleStore = { locale: 'en', currency: null };

/** Keeps the locale in `next` from now on (its current values are taken over when `adopt` is true). */
export function useLocaleStore(next: LocaleStore, adopt = false): void {
  if (adopt) {
    next.locale = store.locale;
    next.currency = store.currency;
  }
  store = next;
}

/** Whether `name` is one of the interface languages. */
export function isLocale(name: unknown): name is Locale {
  return typeof name === 'string' && (LOCALES as readonly string[]).includes(name);
}

/** Switches the interface language; unknown locales fall back to English. */
export function setLocale(next: string): void {
  store.locale = isLocale(next) ? next : 'en';
}

/** The current interface language ('en' or 'zh-CN'). */
export function getLocale(): Locale {
  return store.locale;
}

/** The currency symbol the user chose (null: the locale's default). */
export function getCurrencyChoice(): string | null {
  return store.currency;
}

/** Sets the currency symbol ('' for none, null for the locale's default). */
export function setCurrencyChoice(symbol: string | null): void {
  store.currency = symbol;
}

/**
 * The interface language for a browser's preferred languages (`navigator.languages`): the first
 * entry that is English or Chinese decides — any `zh*` (zh, zh-CN, zh-TW, zh-Hans…) gives zh-CN —
 * and English when none is.
 */
export function localeFor(languages: readonly string[]): Locale {
  for (const l of languages) {
    const tag = l.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Adds or replaces a translation. */
export function registerCatalogue(name: string, messages: Partial<Catalogue>): void {
  catalogues[name] = messages;
}

/** A key's text (without parameters) in every interface language, e.g. to recognise a default name made in another one. */
export function inEveryLocale(key: MessageKey): string[] {
  return LOCALES.map((l) => render(catalogues[l]?.[key] ?? en[key], {}, l));
}

/** The English text of a key, the same in every locale (for tests and logs). */
export function english(key: MessageKey, params: MessageParams = {}): string {
  return render(en[key], params, 'en');
}

// ---------------------------------------------------------------------------------------------
// Remembering how text was made, to show it again in another language.

type Origin = { key: MessageKey; params: MessageParams } | { encoded: string };
const made = new Map<string, Origin>();
const MADE_LIMIT = 20_000;

function remember(text: string, origin: Origin): void {
  if (made.size >= MADE_LIMIT) {
    let drop = MADE_LIMIT / 4;
    for (const k of made.keys()) {
      made.delete(k);
      if (--drop <= 0) break;
    }
  }
  made.set(text, origin);
}

/**
 * `text` in the current language, if it was made by `t()` (or decoded from the worker) in any
 * language; otherwise `text` itself (data, user input, DuckDB's own messages).
 */
export function retranslate(text: string): string {
  const origin = made.get(text);
  // Problems are often kept one a line: each line on its own.
  if (!origin) return text.includes('\n') ? text.split('\n').map((line) => (made.has(line) ? retranslate(line) : line)).join('\n') : text;
  // Keep it from being evicted while it is still shown.
  made.delete(text);
  made.set(text, origin);
  if ('encoded' in origin) return decodeMessages(origin.encoded);
  return t(origin.key, retranslateParams(origin.params));
}

function retranslateParams(params: MessageParams): MessageParams {
  const out: MessageParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? retranslate(v) : v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Messages that cross the worker boundary as keys.

const OPEN = '\u0001';
const CLOSE = '\u0002';
// JSON.stringify escapes U+0001 and U+0002, so they can only be the delimiters (also when nested).
const ENCODED = /\u0001(\[[^\u0001\u0002]*\])\u0002/g;
let encoding = false;

/** In the engine worker: make `t()` return keys and parameters (`encodeMessage`) instead of text. */
export function encodeMessages(on: boolean): void {
  encoding = on;
}

/** A message as a key and parameters in a recognisable form that survives any string channel. */
export function encodeMessage(key: MessageKey, params: MessageParams = {}): string {
  return `${OPEN}${JSON.stringify([key, params])}${CLOSE}`;
}

/** Whether `text` holds encoded messages. */
export function hasEncodedMessages(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * `text` with every encoded message in it (`encodeMessage`, also nested in another message's
 * parameters) replaced by its text in the current language.
 */
export function decodeMessages(text: string): string {
  if (!text.includes(OPEN)) return text;
  const out = text.replace(ENCODED, (whole, json: string) => {
    try {
      const [key, params] = JSON.parse(json) as [MessageKey, MessageParams];
      if (!(key in en)) return whole;
      const decoded: MessageParams = {};
      for (const [k, v] of Object.entries(params ?? {})) decoded[k] = typeof v === 'string' ? decodeMessages(v) : v;
      return t(key, decoded);
    } catch {
      return whole;
    }
  });
  if (out !== text) remember(out, { encoded: text });
  return out;
}

/** Whether `text` is, or holds, the message `key` (as text made by `t()` or encoded). */
export function mentionsMessage(text: string, key: MessageKey): boolean {
  // Encoded: `"key"`, or `\"key\"` when nested in another message's parameters.
  return text.includes(`"${key}"`) || text.includes(`"${key}\\"`) || text.includes(english(key)) || text.includes(render(catalogues[store.locale]?.[key] || en[key], {}, store.locale));
}

// ---------------------------------------------------------------------------------------------

/** The text for `key` with `{param}` placeholders filled in. */
export function t(key: MessageKey, params: MessageParams = {}): string {
  if (encoding) return encodeMessage(key, params);
  const locale = store.locale;
  const text = render(catalogues[locale]?.[key] || en[key], params, locale);
  remember(text, { key, params });
  return text;
}

function render(template: string, params: MessageParams, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? formatParam(params[p], locale) : m));
}

const paramFormats = new Map<string, Intl.NumberFormat>();

function formatParam(v: string | number, locale: Locale): string {
  if (typeof v !== 'number') return v;
  let f = paramFormats.get(locale);
  if (!f) paramFormats.set(locale, (f = new Intl.NumberFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 3 })));
  return f.format(v);
}
