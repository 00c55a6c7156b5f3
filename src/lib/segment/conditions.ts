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
import { t, type MessageKey } from '../i18n';
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
  const wrong = (expected: MessageKey) => ({ problem: t('msg.cond.wrongValue', { value: shown, expected: t(expected), column: col.name, kind: describeKind(kind, col.type) }) });
  if (isNumericKind(kind)) {
    if (typeof value === 'number') return Number.isFinite(value) ? { sql: num(value) } : wrong('msg.cond.expect.number');
    if (typeof value === 'string' && NUMBER.test(value.trim())) return { sql: num(Number(value.trim())) };
    return wrong('msg.cond.expect.number');
  }
  if (isDateKind(kind)) {
    return typeof value === 'string' && isIsoDate(value.trim()) ? { sql: date(value.trim()) } : wrong('msg.cond.expect.date');
  }
  if (kind === 'boolean') {
    const b = typeof value === 'boolean' ? value : BOOLEANS[String(value).trim().toLowerCase()];
    return b === undefined ? wrong('msg.cond.expect.boolean') : { sql: b ? 'TRUE' : 'FALSE' };
  }
  if (kind === 'text') return { sql: str(String(value)) };
  return { problem: t('msg.cond.cannotCompare', { column: col.name, type: col.type }) };
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
  if (!col) return { sql: null, problems: [t('msg.cond.noColumn', { column: c.column })] };
  const kind = columnKind(col.type);
  const problems: string[] = [];
  const segmentNames = kind === 'text' && isSegmentColumn(col.name);
  const lit = (v: ConditionValue) => {
    const typed = typedLiteral(col, kind, v);
    if ('problem' in typed) {
      problems.push(typed.problem);
      return 'NULL';
    }
    return typed.sql;
  };
  let sql: string;
  switch (c.kind) {
    case 'compare': {
      if (!['=', '<>', '<', '<=', '>', '>='].includes(c.op)) problems.push(t('msg.cond.unknownOp', { op: String(c.op) }));
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
        if (a > b) problems.push(t('msg.cond.rangeReversed', { column: col.name, low: String(c.low), high: String(c.high) }));
      }
      sql = `${columnSql(col, kind)} BETWEEN ${lo} AND ${hi}`;
      break;
    }
    case 'in': {
      if (c.values.length === 0) problems.push(t('msg.cond.chooseValue', { column: col.name }));
      const values = segmentNames ? [...new Set(c.values.flatMap((v) => segmentForms(String(v))))] : c.values;
      const list = values.map(lit).join(', ');
      sql = `${columnSql(col, kind)} ${c.negate ? 'NOT IN' : 'IN'} (${list || 'NULL'})`;
      break;
    }
    case 'contains': {
      if (c.text === '') problems.push(t('msg.cond.typeText', { column: col.name }));
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
        problems.push(t('msg.cond.notDates', { column: col.name, kind: describeKind(kind, col.type) }));
        day = 'NULL';
      }
      if (c.op === 'within-last-days') {
        const n = dayCount(c.value);
        if (n === null) problems.push(t('msg.cond.badDays', { value: String(c.value) }));
        if (asOf === null) problems.push(t('msg.cond.needsAsOf', { value: String(c.value) }));
        else if (asOf !== undefined && !isIsoDate(asOf)) problems.push(t('msg.cond.badAsOf', { asOf }));
        const ref = asOf && isIsoDate(asOf) ? date(asOf) : 'NULL';
        sql = `(${day} >= ${ref} - ${num(n ?? 0)} AND ${day} < ${ref})`;
      } else if (c.op === 'before' || c.op === 'after') {
        const v = String(c.value).trim();
        if (!isIsoDate(v)) problems.push(t('msg.cond.badDate', { value: String(c.value), column: col.name }));
        sql = `${day} ${c.op === 'before' ? '<' : '>'} ${isIsoDate(v) ? date(v) : 'NULL'}`;
      } else {
        problems.push(t('msg.cond.unknownDateOp', { op: String(c.op) }));
        sql = 'NULL';
      }
      break;
    }
    default:
      return { sql: null, problems: [t('msg.cond.unknownKind', { kind: String((c as { kind: unknown }).kind) })] };
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
      message: path.length === 0 ? t('msg.cond.noConditions') : t('msg.cond.emptyGroup'),
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
  if (sql === null || problems.length) throw new Error(problems[0]?.message ?? t('msg.cond.invalid'));
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
 *
 * With `scan: 'twice'` (the default) the matching customers are read with the tree as a WHERE
 * clause and the totals by a second, plain aggregate: DuckDB pushes the conditions into the scan
 * and needs no per-row flag, about half the cost of one pass at 1M customers (issue 16). `'once'`
 * reads `view` once, for a relation that is expensive to produce twice (a join in a CTE).
 */
export function segmentCountSql(view: string, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null, revenueCol: string | null, scan: 'once' | 'twice' = 'twice'): string {
  const where = conditionSql(tree, columns, asOf);
  if (revenueCol !== null && !findColumn(columns, revenueCol)) throw new Error(t('msg.seg.notInView', { column: revenueCol }));
  const rev = revenueCol ? `CAST(${ident(revenueCol)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  if (scan === 'twice') {
    return `SELECT s.n AS customers,
  t.n AS total_customers,
  s.n / nullif(t.n, 0) AS share_customers,
  ${revenueCol ? 'coalesce(s.rev, 0)' : 'CAST(NULL AS DOUBLE)'} AS revenue,
  ${revenueCol ? 'coalesce(t.rev, 0)' : 'CAST(NULL AS DOUBLE)'} AS total_revenue,
  ${revenueCol ? 'coalesce(s.rev, 0)' : 'CAST(NULL AS DOUBLE)'} / nullif(t.rev, 0) AS revenue_share
FROM (SELECT count(*) AS n, sum(${rev}) AS rev FROM ${ident(view)} WHERE ${where}) AS s
CROSS JOIN (SELECT count(*) AS n, sum(${rev}) AS rev FROM ${ident(view)}) AS t`;
  }
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
  if (count.total_customers === 0) return [t('msg.cond.viewEmpty')];
  if (count.customers === 0) return [t('msg.cond.noMatch')];
  return [];
}

const COMPARE_WORDS: Record<string, MessageKey> = {
  '=': 'msg.cond.op.eq', '<>': 'msg.cond.op.ne', '<': 'msg.cond.op.lt', '<=': 'msg.cond.op.le', '>': 'msg.cond.op.gt', '>=': 'msg.cond.op.ge',
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
    case 'compare': {
      const key = COMPARE_WORDS[c.op];
      return key ? t(key, { column: c.column, value: val(c.value) }) : t('msg.cond.op.other', { column: c.column, op: String(c.op), value: val(c.value) });
    }
    case 'between': return t('msg.cond.between', { column: c.column, low: val(c.low), high: val(c.high) });
    case 'in':
      return c.values.length === 1
        ? t(c.negate ? 'msg.cond.isNot' : 'msg.cond.is', { column: c.column, value: val(c.values[0]) })
        : t(c.negate ? 'msg.cond.notOneOf' : 'msg.cond.oneOf', { column: c.column, values: c.values.map(val).join(t('msg.valueSeparator')) });
    case 'contains': return t(c.caseSensitive ? 'msg.cond.containsCase' : 'msg.cond.contains', { column: c.column, text: shown(c.text, null) });
    case 'empty': return t(c.negate ? 'msg.cond.notEmpty' : 'msg.cond.empty', { column: c.column });
    case 'date':
      if (c.op === 'within-last-days') return t(Number(c.value) === 1 ? 'msg.cond.withinDay' : 'msg.cond.withinDays', { column: c.column, n: String(c.value) });
      return t(c.op === 'before' ? 'msg.cond.before' : 'msg.cond.after', { column: c.column, date: String(c.value) });
  }
}

function describeNode(tree: ConditionTree, nested: boolean, columns: readonly ColumnInfo[] | undefined): string {
  if (tree.kind !== 'group') return describeOne(tree, columns);
  if (tree.items.length === 0) return tree.op === 'and' ? t('msg.cond.allCustomers') : t('msg.cond.noCustomers');
  if (tree.items.length === 1) return describeNode(tree.items[0], nested, columns);
  const text = tree.items.map((i) => describeNode(i, true, columns)).join(t(tree.op === 'and' ? 'msg.cond.and' : 'msg.cond.or'));
  return nested ? `(${text})` : text;
}

/**
 * The tree as one English sentence, e.g. `Customers where age is at least 18 and (city is "Paris"
 * or orders is more than 2).` With `columns`, values of numeric, date and boolean columns read
 * without quotes; without, every string value is quoted.
 */
export function describeCondition(tree: ConditionTree, columns?: readonly ColumnInfo[]): string {
  if (tree.kind === 'group' && tree.items.length === 0) return t(tree.op === 'and' ? 'msg.cond.sentenceAll' : 'msg.cond.sentenceNone');
  return t('msg.cond.sentence', { text: describeNode(tree, false, columns) });
}
