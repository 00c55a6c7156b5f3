/**
 * Numbers, money and dates as the page shows them, through `Intl` for the current locale.
 *
 * - `formatFull`: every digit, grouped (`12,345.67`) — tables and anything compared row by row.
 * - `formatFigure`: a figure shown alone (headline, KPI tile, chart label): from 10,000 up
 *   compact — `12.3K`, `1.5M` in English, `1.23万`, `4.5亿` in Chinese.
 * - `formatMoney`: either of those (whole units from 1,000 up) with the currency symbol the user chose (the locale's default
 *   otherwise: ¥ in zh-CN, none in English — what the app always showed).
 * - `formatPercent`, `formatDay`, `formatMonth` for shares and dates.
 * Reading the locale through `getLocale()` makes every caller re-run when the language changes.
 */
import { getCurrencyChoice, getLocale, type Locale } from './index';

/** What `Intl` is asked for in each interface language. */
const INTL_TAG: Record<Locale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

/** Currency symbols offered in the settings ('' = none). */
export const CURRENCY_SYMBOLS = ['', '¥', '$', '€', '£', 'HK$', 'NT$'] as const;

/** From this magnitude on a figure shown alone is compact (12.3K, 1.23万). */
export const COMPACT_FROM = 10_000;

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(id);
  if (!f) cache.set(id, (f = new Intl.NumberFormat(INTL_TAG[locale], options)));
  return f;
}

const missing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || !Number.isFinite(n);

/** The `Intl` locale tag of the interface language (`en-US`, `zh-CN`). */
export function intlLocale(locale: Locale = getLocale()): string {
  return INTL_TAG[locale];
}

/** The currency symbol a language uses unless the user chose one: ¥ in zh-CN, none in English (as the app always showed). */
export function defaultCurrencySymbol(locale: Locale = getLocale()): string {
  return locale === 'zh-CN' ? '¥' : '';
}

/** The currency symbol in use: the user's choice, else the language's default. */
export function currencySymbol(locale: Locale = getLocale()): string {
  return getCurrencyChoice() ?? defaultCurrencySymbol(locale);
}

/** A number with every digit, grouped for the locale; at most `maxDigits` decimals. '–' when missing. */
export function formatFull(n: number | null | undefined, maxDigits = 2, locale: Locale = getLocale()): string {
  if (missing(n)) return '–';
  return numberFormat(locale, { maximumFractionDigits: maxDigits }).format(n);
}

/**
 * A number shown alone: below 10,000 as `formatFull`; from 10,000 up compact with three
 * significant digits — `12.3K`, `4.5M` in English, `1.23万`, `4.5亿` in zh-CN (Intl's compact
 * notation gives 万 and 亿 for zh-CN in Node and Chromium alike).
 */
export function formatFigure(n: number | null | undefined, locale: Locale = getLocale()): string {
  if (missing(n)) return '–';
  if (Math.abs(n) < COMPACT_FROM) return formatFull(n, 2, locale);
  return numberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(n);
}

/** A number always in compact notation (5K, 10K; 5000, 1万) — every tick of an axis alike. */
export function formatCompact(n: number | null | undefined, locale: Locale = getLocale()): string {
  if (missing(n)) return '–';
  return numberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(n);
}

/** A model parameter or statistic to `digits` significant digits, grouped for the locale (0.2430, 4.414, 1,234). */
export function formatSignificant(n: number | null | undefined, digits = 4, locale: Locale = getLocale()): string {
  if (missing(n)) return '–';
  return numberFormat(locale, { maximumSignificantDigits: digits }).format(Number(n.toPrecision(digits)));
}

/** Options of `formatMoney`. */
export interface MoneyOptions {
  /** Shown alone: compact from 10,000 up (`¥1.23万`); otherwise every digit. */
  figure?: boolean;
  /**
   * Decimals: 'cents' always two (`1,234.50`, for reconciliations); by default ('auto') at most
   * two below 1,000 (`12.5`, `999.99`) and none from 1,000 up (`1,235`), where cents only widen
   * the column.
   */
  decimals?: 'cents' | 'auto';
}

/** An amount of money with the currency symbol in use (`¥1,234.5`, `-¥12`, `¥1.23万`). */
export function formatMoney(n: number | null | undefined, options: MoneyOptions = {}, locale: Locale = getLocale()): string {
  if (missing(n)) return '–';
  const abs = Math.abs(n);
  const digits =
    options.figure && abs >= COMPACT_FROM
      ? numberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(abs)
      : options.decimals === 'cents'
        ? numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(abs)
        : abs >= 1000
          ? numberFormat(locale, { maximumFractionDigits: 0 }).format(abs)
          : // Cents in full (¥425.90, not ¥425.9), but a whole amount stays whole (¥233).
            numberFormat(locale, { minimumFractionDigits: Math.abs(abs - Math.round(abs)) < 0.005 ? 0 : 2, maximumFractionDigits: 2 }).format(abs);
  // Rounding can make a tiny negative amount zero: no "-0".
  const sign = n < 0 && /[1-9]/.test(digits) ? '-' : '';
  return `${sign}${currencySymbol(locale)}${digits}`;
}

/** A fraction of 1 as a percentage: 0.236 -> '24%', 0.0142 -> '1.4%', 0.0004 -> '0.04%'. */
export function formatPercent(v: number | null | undefined, locale: Locale = getLocale()): string {
  if (missing(v)) return '–';
  const p = v * 100;
  if (p === 0) return '0%';
  const digits = Math.abs(p) >= 10 ? 0 : Math.abs(p) >= 1 ? 1 : 2;
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

function toDate(v: Date | number | string): Date | null {
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v) : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A day as text: ISO `2024-03-05` in both languages — the form the date fields take back and
 * Chinese analytics tools show too. Dates arrive as UTC midnight, so they are read in UTC.
 */
export function formatDay(v: Date | number | string | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const d = toDate(v);
  return d ? d.toISOString().slice(0, 10) : String(v);
}

/** A month for chart ticks: `Mar 2024` / `2024年3月` (UTC). */
export function formatMonth(v: Date | number | string, locale: Locale = getLocale()): string {
  const d = toDate(v);
  if (!d) return String(v);
  return new Intl.DateTimeFormat(INTL_TAG[locale], { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** Scale options for a time axis: the locale's own tick labels in zh-CN (2024年4月), Plot's default in English. */
export function timeAxisTicks(): { tickFormat?: (v: Date, i: number, ticks?: Date[]) => string } {
  return getLocale() === 'zh-CN' ? { tickFormat: (v, _i, ticks) => timeTickFormat(ticks ?? [v])(v) } : {};
}

/**
 * A tick label for a time axis whose ticks are `ticks`: years when every tick is on 1 January,
 * months when every tick is on the first of a month, else days — in the locale's words
 * (`2024`, `Mar 2024`, `Mar 5` / `2024年`, `2024年3月`, `3月5日`).
 */
export function timeTickFormat(ticks: readonly (Date | number)[], locale: Locale = getLocale()): (v: Date | number) => string {
  const dates = ticks.map((v) => new Date(v));
  const onFirst = dates.every((d) => d.getUTCDate() === 1 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0);
  const years = onFirst && dates.every((d) => d.getUTCMonth() === 0);
  const midnight = dates.every((d) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0);
  const spansYears = new Set(dates.map((d) => d.getUTCFullYear())).size > 1;
  const options: Intl.DateTimeFormatOptions = years
    ? { year: 'numeric' }
    : onFirst
      ? { year: 'numeric', month: 'short' }
      : midnight
        ? spansYears
          ? { year: 'numeric', month: 'short', day: 'numeric' }
          : { month: 'short', day: 'numeric' }
        : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const f = new Intl.DateTimeFormat(INTL_TAG[locale], { ...options, timeZone: 'UTC' });
  return (v) => f.format(new Date(v));
}
