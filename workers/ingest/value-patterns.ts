/**
 * The shapes of messy values in exported files, as SQL expressions over one text column: missing-value
 * placeholders, Excel's ="…" guard, numbers written for people (¥1,234.50, 12%, １２３, 45-), and
 * non-ISO dates. Pure: each function returns SQL text for DuckDB (RE2 regular expressions).
 */
import { str } from '../../src/lib/sql/quote';

/** Always read as missing in a text column. */
export const PLACEHOLDERS = ['', '(blank)', '(空白)', 'NULL', 'null', 'Null', '(null)', 'N/A', 'n/a', '#N/A', '-', '--', '—', '无', '空', '暂无'];
/** Read as missing only in a column that becomes numbers or dates ("NA" is also Namibia). */
export const WEAK_PLACEHOLDERS = ['NA', 'na', 'NaN', 'nan', 'None', 'none', '#VALUE!', '#DIV/0!'];

const SPACE_CHARS = ' \t\u00a0\u3000\ufeff\r\n';
const FULL_WIDTH = '０１２３４５６７８９．，－＋％（）';
const HALF_WIDTH = '0123456789.,-+%()';

/**
 * How a column's values are normalised before matching. The costly steps (trimming other spaces than
 * ASCII, full-width to ASCII) run only where the quick look at the first rows saw them: on a
 * million values each costs more than the whole load.
 */
export interface Normalise {
  /** No-break, ideographic spaces or a BOM at the ends of values. */
  exoticSpace: boolean;
  /** Full-width digits or signs. */
  fullWidth: boolean;
}

/** Everything on (for the quick look at a few thousand rows). */
export const NORMALISE_ALL: Normalise = { exoticSpace: true, fullWidth: true };

/** Counts values with exotic spaces at their ends. */
export function exoticSpaceTest(col: string): string {
  return `regexp_matches(${col}, '^[\\x{a0}\\x{3000}\\x{feff}]|[\\x{a0}\\x{3000}]$')`;
}

/** Counts values with full-width digits or signs. */
export function fullWidthTest(col: string): string {
  return `regexp_matches(${col}, '[\\x{ff05}\\x{ff08}-\\x{ff19}]')`;
}

/** The value trimmed of spaces (with `exoticSpace`, also no-break, ideographic and stray BOMs). */
export function trimmed(col: string, n: Normalise = NORMALISE_ALL): string {
  return n.exoticSpace ? `trim(${col}, ${str(SPACE_CHARS)})` : `trim(${col})`;
}

/** Whether the raw value has Excel's text guard `="…"`. */
export function hasGuard(col: string): string {
  return `(starts_with(${col}, '="') AND ends_with(${col}, '"') AND length(${col}) >= 3)`;
}

/** The value without the guard and surrounding spaces. */
export function unguarded(col: string, n: Normalise = NORMALISE_ALL): string {
  const t = trimmed(col, n);
  return `CASE WHEN ${hasGuard(t)} THEN ${t}[3:-2] ELSE ${t} END`;
}

/** `v` (already unguarded) with full-width digits and signs made ASCII (when `fullWidth`). */
export function halfWidth(v: string, n: Normalise = NORMALISE_ALL): string {
  return n.fullWidth ? `translate(${v}, ${str(FULL_WIDTH)}, ${str(HALF_WIDTH)})` : v;
}

/** SQL list literal of strings. */
export function stringList(values: string[]): string {
  return values.map(str).join(', ');
}

/** A number as people write it (after halfWidth): sign, currency, thousands, decimals, exponent, %, trailing minus, (parens). */
export const NUMBER_RE = String.raw`^\(?[-+]?[¥￥$€£]?\s*[-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*%?\s*-?\)?$`;
/** Digits only (an integer or an id). */
export const INTEGER_RE = String.raw`^[-+]?\d+$`;
/** A whole number written as a decimal, as ids exported through a float are (12923.0). */
export const FLOAT_INTEGER_RE = String.raw`^[-+]?\d+\.0+$`;

/** The number in `u` (a halfWidth value that matched NUMBER_RE), as DOUBLE. */
export function numberExpr(u: string): string {
  const negative = `(starts_with(${u}, '(') OR regexp_matches(${u}, '^[^0-9.]*-') OR (ends_with(${u}, '-') AND length(${u}) > 1))`;
  // Plain forms (with an exponent too) cast directly; the others keep only digits and the point.
  const magnitude = `TRY_CAST(regexp_replace(${u}, '[^0-9.]', '', 'g') AS DOUBLE)`;
  return `coalesce(TRY_CAST(${u} AS DOUBLE), CASE WHEN ${negative} THEN -1 ELSE 1 END * ${magnitude} / CASE WHEN contains(${u}, '%') THEN 100 ELSE 1 END)`;
}

/** A date format family we recognise in text. */
export type DateFamily = 'dmy-or-mdy' | 'ymd' | 'compact' | 'cn';

const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
/** Full-match patterns for each family. */
export const DATE_RE: Record<DateFamily, string> = {
  'dmy-or-mdy': String.raw`^\d{1,2}([/.-])\d{1,2}([/.-])\d{4}` + TIME + '$',
  ymd: String.raw`^\d{4}([/.-])\d{1,2}([/.-])\d{1,2}` + TIME + '$',
  compact: String.raw`^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$`,
  cn: String.raw`^\d{4}年\d{1,2}月\d{1,2}日\s*(\d{1,2}[:：]\d{2}([:：]\d{2})?)?$`,
};

/** The strptime formats for a family: date with seconds, with minutes, and without a time. */
export function dateFormats(family: DateFamily, sep: string, order: 'dmy' | 'mdy' | null): string[] {
  const withTimes = (d: string, space = ' ') => [`${d}${space}%H:%M:%S`, `${d}${space}%H:%M`, d];
  switch (family) {
    case 'dmy-or-mdy':
      return withTimes(order === 'dmy' ? `%d${sep}%m${sep}%Y` : `%m${sep}%d${sep}%Y`);
    case 'ymd':
      return withTimes(`%Y${sep}%m${sep}%d`);
    case 'compact':
      return ['%Y%m%d'];
    case 'cn':
      return withTimes('%Y年%m月%d日');
  }
}

/** The text a family's value is parsed from (the Chinese form with spacing and full-width colons made regular). */
export function dateInput(family: DateFamily, u: string): string {
  if (family === 'cn') return `regexp_replace(replace(${u}, '：', ':'), '日\\s*', '日 ')`;
  return `replace(${u}, 'T', ' ')`;
}

/** The parsed value (NULL when it does not parse) as TIMESTAMP. */
export function dateExpr(family: DateFamily, u: string, formats: string[]): string {
  const input = family === 'cn' ? `trim(${dateInput(family, u)})` : dateInput(family, u);
  return `try_strptime(${input}, [${stringList(formats)}])`;
}

/** A format as shown to the user (strptime codes as letters). */
export function showFormat(format: string): string {
  return format.replace('%Y', 'YYYY').replace('%m', 'M').replace('%d', 'D').replace('%H', 'H').replace('%M', 'MM').replace('%S', 'SS');
}

/** Column names that suggest a date (for Excel serial day numbers). */
export const DATE_NAME_RE = /date|time|day|_at$|^at_|日期|时间|日/i;
/** Column names that suggest an identifier (for ids exported as floats). */
export const ID_NAME_RE = /(^|[_\s])(id|no|nr|num|number|code|key)$|id$|ID|编号|号码|单号|账号|会员/;
