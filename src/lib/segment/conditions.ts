/**
 * The segment builder's condition tree: conditions on columns of a customer view, combined in
 * AND / OR groups, turned into a WHERE expression, checked against the columns, and read aloud.
 *
 * Rules:
 * - Values are typed by the column: numbers for numeric columns (a numeric text such as '18' is
 *   accepted), DATE literals (yyyy-mm-dd) for DATE and TIMESTAMP columns, true/false for booleans,
 *   strings otherwise. Date and timestamp columns are compared by their day.
 * - Comparisons, ranges and in-lists never match an empty value (NULL), also when negated ('<>',
 *   not in): use `empty` for those. `between` includes both ends.
 * - `contains` looks for the text anywhere in the value read as text; case-insensitive by
 *   default (ILIKE, with %, _ and \ in the text escaped, so they match themselves).
 * - `empty`: NULL, and for text also blank ('' or only spaces).
 * - `date`: 'before' / 'after' a day are strict (the day itself is neither); 'within-last-days' N
 *   is as_of - N <= day < as_of, relative to the as-of date passed in, never the clock (as in RFM,
 *   the as-of day itself is the future). Text columns are read as dates with TRY_CAST.
 * - An empty AND group matches everyone, an empty OR group no one; `validateCondition` reports
 *   both, so a user is told rather than surprised.
 * - On a text column holding segment names (`segment`, `rfm_segment`, `from_segment`…), `=`, `<>`
 *   and in-lists match a built-in segment name in every language: "segment = Champions" also
 *   matches 冠军客户, the same segment after the RFM cell ran in Chinese (issue 15).
 */
import { date, ident, num, str } from '../sql/quote';
import { columnKind, describeKind, emptySql, findColumn, isDateKind, isIsoDate, isNumericKind, type ColumnInfo, type ColumnKind } from './column-kinds';
import { orderDateExpr } from './rfm-sql';
import { isSegmentColumn, segmentForms } from './builtin-names';

/** A value typed by the user: a string (as typed) or a number / boolean from a picker. */
export type ConditionValue = string | number | boolean;

/** One condition on one column. */
export type Condition =
  | { kind: 'compare'; column: string; op: '=' | '<>' | '<' | '<=' | '>' | '>='; value: ConditionValue }
  | { kind: 'between'; column: string; low: ConditionValue; high: ConditionValue }
  | { kind: 'in'; column: string; values: (string | number)[]; negate?: boolean }
  | { kind: 'contains'; column: string; text: string; caseSensitive?: boolean }
  | { kind: 'empty'; column: string; negate?: boolean }
  | { kind: 'date'; column: string; op: 'before' | 'after' | 'within-last-days'; value: string | number };

/** Conditions (and groups) combined with AND or OR. */
export interface Group {
  kind: 'group';
  op: 'and' | 'or';
  items: (Condition | Group)[];
}

/** A condition or a group. */
export type ConditionTree = Condition | Group;

/** A problem with one node of the tree; `path` = indexes from the root (empty = the root). */
export interface ConditionProblem {
  path: number[];
  message: string;
}

type Typed = { sql: string } | { problem: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };

/** The SQL literal for `value` in a column of this kind, or why it does not fit. */
function typedLiteral(col: ColumnInfo, kind: ColumnKind, value: ConditionValue): Typed {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  const wrong = (expected: string) => ({ problem: `${shown} is not ${expected}: column '${col.name}' holds ${describeKind(kind, col.type)}` });
  if (isNumericKind(kind)) {
    if (typeof value === 'number') return Number.isFinite(value) ? { sql: num(value) } : wrong('a number');
    if (typeof value === 'string' && NUMBER.test(value.trim())) return { sql: num(Number(value.trim())) };
    return wrong('a number');
  }
  if (isDateKind(kind)) {
    return typeof value === 'string' && isIsoDate(value.trim()) ? { sql: date(value.trim()) } : wrong('a date (expected yyyy-mm-dd)');
  }
  if (kind === 'boolean') {
    const b = typeof value === 'boolean' ? value : BOOLEANS[String(value).trim().toLowerCase()];
    return b === undefined ? wrong('true or false') : { sql: b ? 'TRUE' : 'FALSE' };
  }
  if (kind === 'text') return { sql: str(String(value)) };
  return { problem: `column '${col.name}' holds values of type ${col.type}, which this condition cannot compare` };
}

/** The column as compared: its day for dates and timestamps, else itself. */
function columnSql(col: ColumnInfo, kind: ColumnKind): string {
  return isDateKind(kind) ? `CAST(${ident(col.name)} AS DATE)` : ident(col.name);
}

/** A day count for 'within-last-days': a whole number >= 0 (or its text), else null. */
function dayCount(value: string | number): number | null {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** Escapes a text for a LIKE pattern with ESCAPE '\'. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQL and problems of one condition (sql is null when there is a problem). */
function conditionParts(c: Condition, columns: readonly ColumnInfo[], asOf: string | null | undefined): { sql: string | null; problems: string[] } {
  const col = findColumn(columns, c.column);
  if (!col) return { sql: null, problems: [`column '${c.column}' does not exist (any more): choose another column or remove this condition`] };
  const kind = columnKind(col.type);
  const problems: string[] = [];
  const segmentNames = kind === 'text' && isSegmentColumn(col.name);
  const lit = (v: ConditionValue) => {
    const t = typedLiteral(col, kind, v);
    if ('problem' in t) {
      problems.push(t.problem);
      return 'NULL';
    }
    return t.sql;
  };
  let sql: string;
  switch (c.kind) {
    case 'compare': {
      if (!['=', '<>', '<', '<=', '>', '>='].includes(c.op)) problems.push(`unknown comparison '${c.op}'`);
      const forms = segmentNames && (c.op === '=' || c.op === '<>') ? segmentForms(String(c.value)) : [];
      if (forms.length > 1) sql = `${columnSql(col, kind)} ${c.op === '=' ? 'IN' : 'NOT IN'} (${forms.map(lit).join(', ')})`;
      else sql = `${columnSql(col, kind)} ${c.op} ${lit(c.value)}`;
      break;
    }
    case 'between': {
      const lo = lit(c.low);
      const hi = lit(c.high);
      if (!problems.length && (isNumericKind(kind) || isDateKind(kind))) {
        const a = isNumericKind(kind) ? Number(String(c.low).trim()) : String(c.low).trim();
        const b = isNumericKind(kind) ? Number(String(c.high).trim()) : String(c.high).trim();
        if (a > b) problems.push(`the range for '${col.name}' starts (${String(c.low)}) after it ends (${String(c.high)})`);
      }
      sql = `${columnSql(col, kind)} BETWEEN ${lo} AND ${hi}`;
      break;
    }
    case 'in': {
      if (c.values.length === 0) problems.push(`choose at least one value for '${col.name}'`);
      const values = segmentNames ? [...new Set(c.values.flatMap((v) => segmentForms(String(v))))] : c.values;
      const list = values.map(lit).join(', ');
      sql = `${columnSql(col, kind)} ${c.negate ? 'NOT IN' : 'IN'} (${list || 'NULL'})`;
      break;
    }
    case 'contains': {
      if (c.text === '') problems.push(`type the text to look for in '${col.name}'`);
      const text = kind === 'text' ? ident(col.name) : `CAST(${ident(col.name)} AS VARCHAR)`;
      sql = c.caseSensitive ? `strpos(${text}, ${str(c.text)}) > 0` : `${text} ILIKE ${str(`%${likeEscape(c.text)}%`)} ESCAPE '\\'`;
      break;
    }
    case 'empty': {
      const e = emptySql(col.name, kind);
      sql = c.negate ? `NOT (${e})` : e;
      break;
    }
    case 'date': {
      let day: string;
      if (isDateKind(kind)) day = `CAST(${ident(col.name)} AS DATE)`;
      else if (kind === 'text') day = orderDateExpr(col.name);
      else {
        problems.push(`column '${col.name}' holds ${describeKind(kind, col.type)}, not dates`);
        day = 'NULL';
      }
      if (c.op === 'within-last-days') {
        const n = dayCount(c.value);
        if (n === null) problems.push(`'${String(c.value)}' is not a number of days (a whole number, 0 or more)`);
        if (asOf === null) problems.push(`'within the last ${String(c.value)} days' needs an as-of date`);
        else if (asOf !== undefined && !isIsoDate(asOf)) problems.push(`as-of date '${asOf}' is not a date (expected yyyy-mm-dd)`);
        const ref = asOf && isIsoDate(asOf) ? date(asOf) : 'NULL';
        sql = `(${day} >= ${ref} - ${num(n ?? 0)} AND ${day} < ${ref})`;
      } else if (c.op === 'before' || c.op === 'after') {
        const v = String(c.value).trim();
        if (!isIsoDate(v)) problems.push(`'${String(c.value)}' is not a date (expected yyyy-mm-dd) for '${col.name}'`);
        sql = `${day} ${c.op === 'before' ? '<' : '>'} ${isIsoDate(v) ? date(v) : 'NULL'}`;
      } else {
        problems.push(`unknown date condition '${String(c.op)}'`);
        sql = 'NULL';
      }
      break;
    }
    default:
      return { sql: null, problems: [`unknown condition kind '${String((c as { kind: unknown }).kind)}'`] };
  }
  return { sql: problems.length ? null : sql, problems };
}

/** Walks the tree: the SQL (null when any problem) and every problem with its path. */
function walk(tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null | undefined, path: number[], problems: ConditionProblem[]): string | null {
  if (tree.kind !== 'group') {
    const { sql, problems: ps } = conditionParts(tree, columns, asOf);
    for (const message of ps) problems.push({ path, message });
    return sql;
  }
  if (tree.items.length === 0) {
    problems.push({
      path,
      message: path.length === 0 ? 'add a condition: the segment has none' : `a group has no conditions: add one or remove the group`,
    });
    return tree.op === 'and' ? 'TRUE' : 'FALSE';
  }
  const parts = tree.items.map((item, i) => walk(item, columns, asOf, [...path, i], problems));
  if (parts.some((p) => p === null)) return null;
  if (parts.length === 1) return parts[0];
  return `(${parts.join(tree.op === 'and' ? ' AND ' : ' OR ')})`;
}

/**
 * Problems with a tree against the view's columns: a column that does not exist (any more), a
 * value that does not fit the column's type (naming the column and the value), an empty group or
 * list, a range that ends before it starts, and — when `asOf` is passed as null — a
 * 'within the last N days' condition without an as-of date.
 */
export function validateCondition(tree: ConditionTree, columns: readonly ColumnInfo[], asOf?: string | null): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  walk(tree, columns, asOf, [], problems);
  return problems;
}

/**
 * The tree as a SQL boolean expression over the view's columns (typed literals; dates relative
 * to `asOf`, yyyy-mm-dd). An empty root group gives TRUE (everyone). Throws an Error with the
 * first problem's message when `validateCondition` finds any (other than an empty root group).
 */
export function conditionSql(tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null): string {
  if (tree.kind === 'group' && tree.items.length === 0) return tree.op === 'and' ? 'TRUE' : 'FALSE';
  const problems: ConditionProblem[] = [];
  const sql = walk(tree, columns, asOf, [], problems);
  if (sql === null || problems.length) throw new Error(problems[0]?.message ?? 'invalid condition');
  return sql;
}

/** The customers of `view` matching the tree: `SELECT * FROM view WHERE ...`. */
export function segmentSql(view: string, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null): string {
  return `SELECT * FROM ${ident(view)}\nWHERE ${conditionSql(tree, columns, asOf)}`;
}

/** A statement saving a segment as the view `name` over `segmentSql(...)`. */
export function segmentViewSql(name: string, view: string, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null): string {
  return `CREATE OR REPLACE VIEW ${ident(name)} AS\n${segmentSql(view, tree, columns, asOf)}`;
}

/** The one row of `segmentCountSql`. */
export interface SegmentCount {
  customers: number;
  total_customers: number;
  share_customers: number | null;
  revenue: number | null;
  total_revenue: number | null;
  revenue_share: number | null;
}

/**
 * One row for the live count while editing: customers (matching), total_customers,
 * share_customers, revenue (of the matching customers), total_revenue, revenue_share (NULL when
 * the total is 0; revenue columns NULL when `revenueCol` is null).
 */
export function segmentCountSql(view: string, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null, revenueCol: string | null): string {
  const where = conditionSql(tree, columns, asOf);
  if (revenueCol !== null && !findColumn(columns, revenueCol)) throw new Error(`'${revenueCol}' is not a column of this view (any more)`);
  const rev = revenueCol ? `CAST(${ident(revenueCol)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const seg = revenueCol ? 'coalesce(sum(rev) FILTER (WHERE m), 0)' : 'CAST(NULL AS DOUBLE)';
  return `SELECT count(*) FILTER (WHERE m) AS customers,
  count(*) AS total_customers,
  count(*) FILTER (WHERE m) / nullif(count(*), 0) AS share_customers,
  ${seg} AS revenue,
  ${revenueCol ? 'coalesce(sum(rev), 0)' : 'CAST(NULL AS DOUBLE)'} AS total_revenue,
  ${seg} / nullif(sum(rev), 0) AS revenue_share
FROM (SELECT coalesce(${where}, FALSE) AS m, ${rev} AS rev FROM ${ident(view)})`;
}

/** Plain-English notes on a `segmentCountSql` row: an empty view or an empty segment. */
export function segmentCountMessages(count: Pick<SegmentCount, 'customers' | 'total_customers'>): string[] {
  if (count.total_customers === 0) return ['the customer view has no customers'];
  if (count.customers === 0) return ['no customer matches these conditions: loosen a condition or switch AND to OR'];
  return [];
}

const COMPARE_WORDS: Record<string, string> = {
  '=': 'is', '<>': 'is not', '<': 'is less than', '<=': 'is at most', '>': 'is more than', '>=': 'is at least',
};

/** A value as it reads in a sentence: text in double quotes; numbers, dates and booleans plain. */
function shown(value: ConditionValue, kind: ColumnKind | null): string {
  if (typeof value !== 'string') return String(value);
  const v = value.trim();
  if (kind !== null && kind !== 'text' && kind !== 'other' && v !== '') return v;
  return `"${value}"`;
}

function describeOne(c: Condition, columns: readonly ColumnInfo[] | undefined): string {
  const col = columns ? findColumn(columns, c.column) : undefined;
  const kind = col ? columnKind(col.type) : null;
  const val = (v: ConditionValue) => shown(v, kind);
  switch (c.kind) {
    case 'compare': return `${c.column} ${COMPARE_WORDS[c.op] ?? c.op} ${val(c.value)}`;
    case 'between': return `${c.column} is between ${val(c.low)} and ${val(c.high)}`;
    case 'in':
      return c.values.length === 1
        ? `${c.column} ${c.negate ? 'is not' : 'is'} ${val(c.values[0])}`
        : `${c.column} is ${c.negate ? 'not ' : ''}one of ${c.values.map(val).join(', ')}`;
    case 'contains': return `${c.column} contains ${shown(c.text, null)}${c.caseSensitive ? ' (matching case)' : ''}`;
    case 'empty': return `${c.column} is ${c.negate ? 'not ' : ''}empty`;
    case 'date':
      if (c.op === 'within-last-days') return `${c.column} is within the last ${c.value} ${Number(c.value) === 1 ? 'day' : 'days'}`;
      return `${c.column} is ${c.op} ${c.value}`;
  }
}

function describeNode(tree: ConditionTree, nested: boolean, columns: readonly ColumnInfo[] | undefined): string {
  if (tree.kind !== 'group') return describeOne(tree, columns);
  if (tree.items.length === 0) return tree.op === 'and' ? 'all customers' : 'no customers';
  if (tree.items.length === 1) return describeNode(tree.items[0], nested, columns);
  const text = tree.items.map((i) => describeNode(i, true, columns)).join(tree.op === 'and' ? ' and ' : ' or ');
  return nested ? `(${text})` : text;
}

/**
 * The tree as one English sentence, e.g. `Customers where age is at least 18 and (city is "Paris"
 * or orders is more than 2).` With `columns`, values of numeric, date and boolean columns read
 * without quotes; without, every string value is quoted.
 */
export function describeCondition(tree: ConditionTree, columns?: readonly ColumnInfo[]): string {
  if (tree.kind === 'group' && tree.items.length === 0) return tree.op === 'and' ? 'All customers.' : 'No customers.';
  return `Customers where ${describeNode(tree, false, columns)}.`;
}
