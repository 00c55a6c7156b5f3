/**
 * The interface language and currency symbol as reactive state, remembered in this browser.
 * Installed as the catalogue's locale store, so every `t()` and formatter read in a template,
 * `$derived` or effect re-runs when they change: switching language re-renders the page in
 * place, keeping tables, the notebook and every result.
 */
import { LOCALES, isLocale, localeFor, useLocaleStore, type Locale, type LocaleStore } from '../lib/i18n';

const LOCALE_KEY = 'segnote.locale';
const CURRENCY_KEY = 'segnote.currency';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage blocked: the choice lasts for this page only */
  }
}

/** The page's language settings. */
export class LocaleState implements LocaleStore {
  #locale = $state<Locale>('en');
  #currency = $state<string | null>(null);

  /** The interface language. */
  get locale(): Locale {
    return this.#locale;
  }

  set locale(v: Locale) {
    this.#locale = v;
  }

  /** The currency symbol chosen in this browser, or null for the language's default. */
  get currency(): string | null {
    return this.#currency;
  }

  set currency(v: string | null) {
    this.#currency = v;
  }

  /** The languages offered, with their names in their own language. */
  readonly options: readonly { value: Locale; label: string }[] = LOCALES.map((value) => ({ value, label: value === 'zh-CN' ? '简体中文' : 'English' }));

  /** Reads the remembered choice, or the browser's preferred languages. */
  init(languages: readonly string[]): void {
    const remembered = stored(LOCALE_KEY);
    this.#locale = isLocale(remembered) ? remembered : localeFor(languages);
    const currency = stored(CURRENCY_KEY);
    this.#currency = currency !== null && currency.length <= 4 ? currency : null;
    this.#applyToDocument();
  }

  /** Switches the language and remembers the choice. */
  choose(locale: Locale): void {
    this.#locale = locale;
    store(LOCALE_KEY, locale);
    this.#applyToDocument();
  }

  /** Sets the currency symbol ('' for none, null for the language's default) and remembers it. */
  chooseCurrency(symbol: string | null): void {
    this.#currency = symbol;
    store(CURRENCY_KEY, symbol);
  }

  #applyToDocument(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = this.#locale === 'zh-CN' ? 'zh-CN' : 'en';
  }
}

/** The one language state of the page, installed as the catalogue's locale store. */
export const localeState = new LocaleState();
useLocaleStore(localeState);
