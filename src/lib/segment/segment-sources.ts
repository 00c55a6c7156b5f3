/**
 * Where segments come from and how they meet: a customer view joined with an RFM result, segment
 * membership as a condition over another relation of customers (a saved segment, an RFM segment,
 * a group of an attribute cell), and the saved segment's own SQL. Pure: spec -> SQL.
 *
 * Customer ids of two relations are matched as they are when both columns have the same type;
 * otherwise as text, with whole numbers written without decimals on both sides (17850.0 and
 * 17850 match, as in the customer view's join).
 */
import { bandExpr, bandRowsSql, type BandSpec } from './attribute-bands';
import { columnKind, findColumn, isNumericKind, type ColumnInfo } from './column-kinds';
import { segmentCountSql, segmentSql, type ConditionTree } from './conditions';
import { ident, num } from '../sql/quote';
import { guessRoles } from './column-roles';
import { t } from '../i18n';

/** The CTE name a joined source goes by inside a saved segment's and the live count's SQL. */
export const JOINED_SOURCE = 'seg_source';

/** The customer id column of a relation: `customer_id` when present, else the guessed one, else null. */
export function guessIdColumn(columns: readonly ColumnInfo[]): string | null {
  const exact = columns.find((c) => c.name === 'customer_id') ?? columns.find((c) => c.name.toLowerCase() === 'customer_id');
  return exact?.name ?? guessRoles([...columns]).customerId;
}

/**
 * Whether a column's name says it identifies rows (issue 14): id, uuid, key, no/nr/number at the
 * end of the name ("customer_id", "InvoiceNo", "order number", "buyerID"), or 编号/单号/号码/账号/ID in
 * Chinese names. Such columns are never a default group or clustering feature: grouping by an id
 * gives one group per row.
 */
export function looksLikeIdColumn(name: string): boolean {
  const n = name.trim();
  return (
    /(^|[_\s.-])(id|ids|uuid|guid|key|no|nr|num|number)$/i.test(n) ||
    /[a-z0-9](Id|ID|No|Nr|Key|Uuid|UUID)$/.test(n) ||
    /^(id|uuid|guid)$/i.test(n) ||
    /(编号|单号|号码|账号|账户)$/.test(n) ||
    /\p{Script=Han}\s*(ID|Id|id)$/u.test(n)
  );
}

const REVENUE_NAMES = ['revenue', 'monetary', 'total_revenue', 'total_spend', 'spend', 'sales', 'total', 'amount', 'clv', '消费金额', '金额'];

/** The revenue-per-customer column of a relation: a numeric column named like revenue (first match in that order), else null. */
export function guessRevenueColumn(columns: readonly ColumnInfo[]): string | null {
  const numeric = columns.filter((c) => isNumericKind(columnKind(c.type)));
  for (const n of REVENUE_NAMES) {
    const c = numeric.find((col) => col.name.toLowerCase() === n);
    if (c) return c.name;
  }
  return null;
}

/** A customer id as text for matching across types (see the module comment). */
export function idKeySql(expr: string, type: string): string {
  const kind = columnKind(type);
  if (kind === 'decimal' || kind === 'float') {
    return `CASE WHEN ${expr} = trunc(${expr}) THEN coalesce(CAST(TRY_CAST(${expr} AS HUGEINT) AS VARCHAR), CAST(${expr} AS VARCHAR)) ELSE CAST(${expr} AS VARCHAR) END`;
  }
  return `CAST(${expr} AS VARCHAR)`;
}

/** The two sides of an id match: raw when the types are the same, normalised text otherwise. */
function matchKeys(left: string, leftType: string, right: string, rightType: string): [string, string] {
  if (leftType.trim().toUpperCase() === rightType.trim().toUpperCase()) return [left, right];
  return [idKeySql(left, leftType), idKeySql(right, rightType)];
}

/**
 * A condition over a relation whose id column is `id`: its customer is among the ids `memberId`
 * of `from` (a quoted relation name or a parenthesised query) for which `filter` holds.
 */
export function membersWhereSql(id: ColumnInfo, from: string, memberId: ColumnInfo, filter: string | null = null): string {
  const [l, r] = matchKeys(ident(id.name), id.type, ident(memberId.name), memberId.type);
  return `${l} IN (SELECT ${r} FROM ${from} WHERE ${ident(memberId.name)} IS NOT NULL${filter ? ` AND (${filter})` : ''})`;
}

/** A column of a customer view joined with an RFM result, and where it comes from. */
export interface JoinedColumn extends ColumnInfo {
  from: 'customers' | 'rfm';
  /** Its name in its own relation. */
  source: string;
}

/**
 * The columns of `joinedSourceSql`: every column of the customer view, then the RFM result's
 * columns but its customer id; an RFM column whose name the customer view has (case-insensitive)
 * is renamed `rfm_<name>` (`rfm_<name>_2`... if needed).
 */
export function joinedSourceColumns(customerColumns: readonly ColumnInfo[], rfmColumns: readonly ColumnInfo[]): JoinedColumn[] {
  const rfmId = guessIdColumn(rfmColumns);
  const taken = new Set(customerColumns.map((c) => c.name.toLowerCase()));
  const out: JoinedColumn[] = customerColumns.map((c) => ({ ...c, from: 'customers', source: c.name }));
  for (const c of rfmColumns) {
    if (c.name === rfmId) continue;
    let name = c.name;
    if (taken.has(name.toLowerCase())) {
      name = `rfm_${c.name}`;
      for (let i = 2; taken.has(name.toLowerCase()); i++) name = `rfm_${c.name}_${i}`;
    }
    taken.add(name.toLowerCase());
    out.push({ name, type: c.type, from: 'rfm', source: c.name });
  }
  return out;
}

/**
 * Every customer of a customer view with the RFM result's columns for that customer (NULL when
 * the RFM result does not score them: customers without purchases), matched on the customer id.
 * Columns as `joinedSourceColumns`; one row per customer view row.
 */
export function joinedSourceSql(customerView: string, customerColumns: readonly ColumnInfo[], rfmView: string, rfmColumns: readonly ColumnInfo[]): string {
  const cid = findColumn(customerColumns, guessIdColumn(customerColumns) ?? '');
  const rid = findColumn(rfmColumns, guessIdColumn(rfmColumns) ?? '');
  if (!cid) throw new Error(t('msg.seg.noIdToJoin', { view: customerView }));
  if (!rid) throw new Error(t('msg.seg.noIdToJoin', { view: rfmView }));
  const [l, r] = matchKeys(`c.${ident(cid.name)}`, cid.type, `r.${ident(rid.name)}`, rid.type);
  const rfm = joinedSourceColumns(customerColumns, rfmColumns).filter((c) => c.from === 'rfm');
  const select = ['c.*', ...rfm.map((c) => `r.${ident(c.source)} AS ${ident(c.name)}`)];
  return `SELECT ${select.join(', ')}\nFROM ${ident(customerView)} c\nLEFT JOIN ${ident(rfmView)} r ON ${l} = ${r}`;
}

/** Where a segment's customers are picked from: a relation, or a customer view joined with an RFM result. */
export type SegmentSource =
  | { kind: 'relation'; name: string }
  | { kind: 'joined'; customers: string; customerColumns: readonly ColumnInfo[]; rfm: string; rfmColumns: readonly ColumnInfo[] };

/** `WITH seg_source AS (...)` before a query over a joined source; '' for a relation. */
function withSource(source: SegmentSource): string {
  if (source.kind === 'relation') return '';
  return `WITH ${ident(JOINED_SOURCE)} AS (\n${joinedSourceSql(source.customers, source.customerColumns, source.rfm, source.rfmColumns)}\n)\n`;
}

/** The relation name a query over the source reads (the CTE for a joined source). */
function sourceName(source: SegmentSource): string {
  return source.kind === 'relation' ? source.name : JOINED_SOURCE;
}

/**
 * A saved segment's SQL: `body`, the SELECT of its customers (what the cell's view holds), and
 * `statement`, the same as `CREATE OR REPLACE VIEW name AS ...` — self-contained, so it runs on
 * native DuckDB wherever the source relations exist.
 */
export function savedSegmentSql(name: string, source: SegmentSource, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null): { body: string; statement: string } {
  const body = `${withSource(source)}${segmentSql(sourceName(source), tree, columns, asOf)}`;
  return { body, statement: `CREATE OR REPLACE VIEW ${ident(name)} AS\n${body}` };
}

/**
 * The live count (`segmentCountSql`) over a source: one query, one row. A joined source is read
 * once (its join is not worth doing twice), a relation twice unless `scan` says 'once' (a view
 * over a join).
 */
export function segmentCountQuery(source: SegmentSource, tree: ConditionTree, columns: readonly ColumnInfo[], asOf: string | null, revenue: string | null, scan: 'once' | 'twice' = 'twice'): string {
  return `${withSource(source)}${segmentCountSql(sourceName(source), tree, columns, asOf, revenue, source.kind === 'joined' ? 'once' : scan)}`;
}

/**
 * The customer ids (column `member_id`) of one group of `attributeSegmentSql(view, bands, ...)`:
 * the group at `positions` (band_1_order, and band_2_order with two bands). Bands are worked out
 * exactly as there, so the count of members equals the group's `customers`.
 */
export function bandGroupMembersSql(view: string, bands: readonly BandSpec[], columns: readonly ColumnInfo[], idColumn: string, positions: readonly number[]): string {
  if (bands.length !== 1 && bands.length !== 2) throw new Error(t('msg.band.oneOrTwo', { n: bands.length }));
  if (positions.length !== bands.length) throw new Error(`a group of ${bands.length} columns needs ${bands.length} band positions`);
  if (!findColumn(columns, idColumn)) throw new Error(t('msg.band.notInTable', { column: idColumn, table: view }));
  const parts = bands.map((b, i) => bandExpr(b, (i + 1) as 1 | 2, columns));
  const ns = parts.map((_, i) => i + 1);
  const ctes = [
    `seg_rows AS (\n  SELECT ${ident(idColumn)} AS member_id, ${parts.map((p, i) => `${p.value} AS v${i + 1}`).join(', ')}\n  FROM ${bandRowsSql(view, parts)}\n)`,
    ...parts.flatMap((p) => p.ctes),
    `seg_assigned AS (
  SELECT r.member_id, ${ns.map((i) => `r.v${i}, ${parts[i - 1].key} AS o${i}`).join(', ')}
  FROM seg_rows r
  ${parts.flatMap((p) => p.joins).join('\n  ')}
)`,
    ...parts.map((p, i) => `b${i + 1}_bands AS (
  SELECT ord, CAST(row_number() OVER (ORDER BY ord) AS INTEGER) AS band_order FROM (
  ${p.list}
  ) AS t(ord, label)
)`),
  ];
  return `WITH
${ctes.join(',\n')}
SELECT a.member_id
FROM seg_assigned a
${ns.map((i) => `JOIN b${i}_bands b${i} ON b${i}.ord = a.o${i}`).join('\n')}
WHERE ${ns.map((i) => `b${i}.band_order = ${num(positions[i - 1])}`).join(' AND ')}`;
}

/** The most common values of a column of the source as text (for pick lists): rows (value), at most `limit`. */
export function columnValuesSql(source: SegmentSource, column: string, limit = 50): string {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit: ${limit}`);
  const c = ident(column);
  return `${withSource(source)}SELECT value FROM (
  SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM ${ident(sourceName(source))} WHERE ${c} IS NOT NULL GROUP BY 1
)
ORDER BY n DESC, value
LIMIT ${num(limit)}`;
}
