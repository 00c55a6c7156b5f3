/** The message catalogue: `t(key, params)` looks up interface text for the current locale. */
import { en, type MessageKey } from './en';

export type { MessageKey };

type Catalogue = Record<MessageKey, string>;
const catalogues: Record<string, Partial<Catalogue>> = { en };
let locale = 'en';

/** Switches the interface language; unknown locales and missing keys fall back to English. */
export function setLocale(next: string): void {
  locale = next in catalogues ? next : 'en';
}

/** The current interface language ('en' or 'zh-CN'). */
export function getLocale(): string {
  return locale;
}

/** Adds or replaces a translation (e.g. zh-CN). */
export function registerCatalogue(name: string, messages: Partial<Catalogue>): void {
  catalogues[name] = messages;
}

/** The text for `key` with `{param}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[locale]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? formatParam(params[p]) : m));
}

function formatParam(v: string | number): string {
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}
