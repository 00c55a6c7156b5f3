/**
 * What kind of values a column holds, from its DuckDB type name: the shared vocabulary of the
 * segment builders (which literal a condition needs, which columns band as numbers, which
 * profile as categories). Also the SQL fragments that depend only on the kind.
 */
import { ident } from '../sql/quote';
import { t } from '../i18n';

/** A column as DuckDB describes it (`DESCRIBE`): name and type text, e.g. 'DECIMAL(10,2)'. */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** The kind of a DuckDB type. */
export type ColumnKind = 'integer' | 'decimal' | 'float' | 'date' | 'timestamp' | 'text' | 'boolean' | 'other';

/** Classifies a DuckDB type name (case-insensitive; parameters such as DECIMAL(10,2) allowed). */
export function columnKind(type: string): ColumnKind {
  const t = type.trim().toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT1|INT2|INT4|INT8|SHORT|LONG|VARINT|BIGNUM)$/.test(t)) return 'integer';
  if (/^(DECIMAL|NUMERIC)(\s*\(.*\))?$/.test(t)) return 'decimal';
  if (/^(FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE)$/.test(t)) return 'float';
  if (t === 'DATE') return 'date';
  if (/^(TIMESTAMP|DATETIME|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP_US)$/.test(t)) return 'timestamp';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)(\s*\(.*\))?$/.test(t)) return 'text';
  if (t === 'BOOLEAN' || t === 'BOOL' || t === 'LOGICAL') return 'boolean';
  return 'other';
}

/** Whether a kind holds numbers. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'integer' || kind === 'decimal' || kind === 'float';
}

/** Whether a kind holds dates or timestamps. */
export function isDateKind(kind: ColumnKind): boolean {
  return kind === 'date' || kind === 'timestamp';
}

/** How a kind reads in a message: "text", "a number", "a date", ... */
export function describeKind(kind: ColumnKind, type: string): string {
  switch (kind) {
    case 'text': return t('msg.kind.text');
    case 'date': return t('msg.kind.date');
    case 'timestamp': return t('msg.kind.timestamp');
    case 'boolean': return t('msg.kind.boolean');
    case 'integer': return t('msg.kind.integer');
    case 'decimal':
    case 'float': return t('msg.kind.number');
    default: return t('msg.kind.other', { type });
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a yyyy-mm-dd text is a real calendar date (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The column called `name` (exact match, as DESCRIBE spells it), or undefined. */
export function findColumn(columns: readonly ColumnInfo[], name: string): ColumnInfo | undefined {
  return columns.find((c) => c.name === name);
}

/**
 * "Empty" for a column, the one rule every segment builder shares: NULL, and for text also
 * blank ('' or only spaces).
 */
export function emptySql(column: string, kind: ColumnKind): string {
  const c = ident(column);
  return kind === 'text' ? `(${c} IS NULL OR trim(${c}) = '')` : `${c} IS NULL`;
}

/** A DuckDB type name safe to splice after `CAST(... AS`, or null (names, parameters and spaces only). */
export function safeTypeName(type: string): string | null {
  const t = type.trim();
  return /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(t) ? t : null;
}

/**
 * A finite number for SQL, formatted readably: thousands separators, at most 2 decimals,
 * trailing zeros dropped (5000 -> '5,000', 0.125 -> '0.13', -1234.5 -> '-1,234.5').
 */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const sign = rounded < 0 ? '-' : '';
  const [int, frac] = Math.abs(rounded).toFixed(2).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const f = frac.replace(/0+$/, '');
  return `${sign}${grouped}${f ? `.${f}` : ''}`;
}

/** The SQL twin of `formatNumber` for a DOUBLE expression (same rounding and separators). */
export function formatNumberSql(expr: string): string {
  return `regexp_replace(format('{:,.2f}', round(CAST(${expr} AS DOUBLE), 2) + 0.0), '\\.?0+$', '')`;
}
