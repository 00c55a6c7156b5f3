/** Quotes an identifier for DuckDB: any name, including Chinese, spaces, quotes or keywords. */
export function ident(name: string): string {
  if (name.includes('\0')) throw new Error(`invalid identifier: contains a NUL character`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB. */
export function str(value: string): string {
  if (value.includes('\0')) throw new Error(`invalid string literal: contains a NUL character`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A finite number as a SQL literal; NaN and infinities are refused rather than producing invalid SQL. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`invalid number literal: ${value}`);
  return String(value);
}

/** A date (yyyy-mm-dd) as a typed DuckDB DATE literal. */
export function date(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`invalid date: ${value} (expected yyyy-mm-dd)`);
  return `DATE ${str(value)}`;
}

/** A SQL literal for a JS value: strings, finite numbers, booleans, null. */
export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return str(value);
}
