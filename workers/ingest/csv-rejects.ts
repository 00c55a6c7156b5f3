/**
 * DuckDB's CSV reject tables (`store_rejects=true`): every line the reader could not take, with
 * its text and the reason. We read with them on, so one pass tells us which columns had values
 * that do not fit the sniffed type (read those again as text) and which lines are malformed
 * (refuse, or skip them when the user asked). Pure SQL builders and parsing.
 */
import { ident, str } from '../../src/lib/sql/quote';

/** One kind of problem in the last scan: a cast failure in a column, or a structural error. */
export interface RejectGroup {
  /** DuckDB's error_type: CAST, MISSING COLUMNS, TOO MANY COLUMNS, UNQUOTED VALUE, LINE SIZE OVER MAXIMUM, INVALID UNICODE… */
  errorType: string;
  column: string | null;
  count: number;
  firstLine: number;
  firstText: string;
  firstMessage: string;
}

/** Drops the reject tables left by an earlier scan (each scan appends to them). */
export const DROP_REJECTS_SQL = ['DROP TABLE IF EXISTS reject_errors', 'DROP TABLE IF EXISTS reject_scans'];

/**
 * Problems of the last scan, grouped by kind and column, earliest line first. A rejected line's
 * text is trimmed of line breaks: in CRLF files DuckDB keeps the previous line's LF at its start.
 */
export const REJECT_GROUPS_SQL = `
  SELECT error_type::VARCHAR AS error_type, column_name, count(DISTINCT line)::DOUBLE AS n, min(line)::DOUBLE AS first_line,
         arg_min(trim(csv_line, chr(13) || chr(10)), line) AS first_text, arg_min(error_message, line) AS first_message
  FROM reject_errors
  GROUP BY ALL ORDER BY first_line`;

/** The distinct lines of the last scan that were left out, with their reasons, in file order. */
export function skippedLinesSql(limit: number): string {
  return `
  SELECT line::DOUBLE AS line, string_agg(DISTINCT error_type::VARCHAR, ', ') AS reason, any_value(trim(csv_line, chr(13) || chr(10))) AS text
  FROM reject_errors GROUP BY line ORDER BY line LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/** Reads one row of REJECT_GROUPS_SQL. */
export function rejectGroup(r: Record<string, unknown>): RejectGroup {
  return {
    errorType: String(r.error_type ?? ''),
    column: r.column_name == null ? null : String(r.column_name),
    count: Number(r.n),
    firstLine: Number(r.first_line),
    firstText: r.first_text == null ? '' : String(r.first_text),
    firstMessage: r.first_message == null ? '' : String(r.first_message),
  };
}

/** The value in a cast error message (`Could not convert string "A563185" to 'BIGINT'`). */
export function castValue(message: string): string | null {
  const m = /Could not convert string "([\s\S]*?)" to '/.exec(message);
  return m ? m[1] : null;
}

/** The type in a cast error message. */
export function castTarget(message: string): string | null {
  return /to '([^']+)'/.exec(message)?.[1] ?? null;
}

/**
 * The reader with these columns read as VARCHAR. For a sniffed reader (`columns={…}` with
 * detection off) the types are replaced in place; otherwise a `types={…}` override is added.
 */
export function withTextColumns(reader: string, columns: string[]): string {
  return withColumnType(reader, columns, 'VARCHAR');
}

/** The reader with these columns read as `type` (in place in a sniffed reader, else a `types={…}` override). */
export function withColumnType(reader: string, columns: string[], type: string): string {
  if (columns.length === 0) return reader;
  const at = reader.lastIndexOf('columns={');
  if (at >= 0) {
    const head = reader.slice(0, at);
    let tail = reader.slice(at);
    for (const c of columns) {
      const key = `${str(c)}: '`;
      const k = tail.indexOf(key);
      if (k < 0) continue;
      const end = tail.indexOf("'", k + key.length);
      tail = `${tail.slice(0, k + key.length)}${type}${tail.slice(end)}`;
    }
    return head + tail;
  }
  const types = columns.map((c) => `${str(c)}: ${str(type)}`).join(', ');
  return `${reader.slice(0, -1)}, types={${types}})`;
}

/** Adds read_csv options before the closing parenthesis. */
export function withOptions(reader: string, options: string[]): string {
  return options.length ? `${reader.slice(0, -1)}, ${options.join(', ')})` : reader;
}

/** Integer types DuckDB's sniffer chooses; reading "2.5" into one of them silently rounds it. */
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

/** The tag an integer guard's error carries: `<tag> fraction|large <column>`. */
export const INTEGER_GUARD_TAG = 'segnote-integer-guard';

/** Columns the sniffer typed as integers (from its first rows), with their types. */
export function integerColumns(columns: { name: string; type: string }[], except: string[]): { name: string; type: string }[] {
  return columns.filter((c) => INTEGER_TYPE.test(c.type) && !except.includes(c.name));
}

/**
 * A SELECT that reads the integer columns as DOUBLE and casts them back only when every value is
 * whole and exact in a double; a fraction or a value beyond 2^53 stops the read with a tagged
 * error (DuckDB's CSV reader would round "2.5" to 3 in an integer column, without a word).
 */
export function integerGuardedSelect(reader: string, columns: { name: string; type: string }[]): string {
  if (columns.length === 0) return `SELECT * FROM ${reader}`;
  const asDouble = withColumnType(reader, columns.map((c) => c.name), 'DOUBLE');
  const replaced = columns.map((c) => {
    const x = ident(c.name);
    return `CASE WHEN ${x} IS NULL THEN NULL::${c.type}` +
      ` WHEN ${x} <> trunc(${x}) THEN error(${str(`${INTEGER_GUARD_TAG} fraction ${c.name}`)})` +
      ` WHEN abs(${x}) >= 9007199254740992 THEN error(${str(`${INTEGER_GUARD_TAG} large ${c.name}`)})` +
      ` ELSE ${x}::${c.type} END AS ${x}`;
  });
  return `SELECT * REPLACE (${replaced.join(', ')}) FROM ${asDouble}`;
}

/** What a tripped integer guard said: which column, and whether it held a fraction or a large number. */
export function integerGuardTripped(message: string): { column: string; kind: 'fraction' | 'large' } | null {
  const m = new RegExp(`${INTEGER_GUARD_TAG} (fraction|large) (.+?)(?:\\n|$)`).exec(message);
  return m ? { kind: m[1] as 'fraction' | 'large', column: m[2] } : null;
}
