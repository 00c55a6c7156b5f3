/**
 * The orders model as SQL: spec + data facts -> the clean purchases view, the classified rows
 * behind its reconciliation, and the small checks that establish the facts. Plain DuckDB (no
 * extensions, no clock): the view runs unchanged on native DuckDB.
 *
 * Definitions (test/unit/orders follows them with an independent computation):
 * - Each source row (after the joins) is classified once, first match wins: excluded by status
 *   (with a positive refund column: refunded, it was paid first), refunded by status, no customer, no readable date, no readable amount, refund line (a
 *   negative amount, or an order id made of the cancel prefix and digits), purchase.
 * - Joined tables with one row per key are looked up; with several rows per key (payments, order
 *   lines) their numeric roles are summed per key (quantity × price per line, then summed) and the
 *   others take the smallest value.
 * - When order ids repeat across rows (line items) and a line lacks the customer, date or status
 *   that another line of its order carries, it takes the order's; a line without an amount whose
 *   order has an amount on another line (the order total stands on the first line) counts 0.
 * - Amounts are rounded to cents per row. A purchase's amount is its amount, minus its refund
 *   column when refunds are netted. A refund line's amount is -|amount|; with refunds excluded
 *   refund lines are left out and the refund column is ignored.
 * - The view has one row per purchase line (and per refund line when netted): customer_id,
 *   order_id (NULL when unknown: each such row is its own order), order_date (DATE), amount
 *   (DECIMAL(18,2)), quantity, product, category, channel, discount (as stored), status.
 */
import { ident, num, str } from '../sql/quote';
import { columnKind, isNumericKind } from '../segment/column-kinds';
import type { ColumnRef, OrdersModelSpec, OrdersRole, StatusKind, StatusRule } from './orders-spec';

/** What a check of the data established; every flag only adds work where the data needs it. */
export interface ModelFacts {
  /** Per join: whether the joined table has several rows per key. */
  joinMany: boolean[];
  /** Fill a line's missing customer, date, status or amount from its order (see the module comment). */
  fillFromOrder: boolean;
  /** Order ids of the form prefix+digits exist beside plain ids: read them as cancellations. */
  cancelIds: boolean;
  /** The customer column is floating point and every value is whole: read it as BIGINT. */
  customerWhole: boolean;
  /** The status rules in force (the user's, then presets for the values found). */
  statuses: StatusRule[];
  /** No row lacks a customer, a readable date or a readable amount. */
  noMissing?: boolean;
  /** No row is a refund line (no negative amount, no cancellation id). */
  noRefundLines?: boolean;
  /** Every amount (an amount column of a number type) is already in whole cents. */
  amountCents?: boolean;
}

/** Facts that assume nothing about the data (correct, possibly slower). */
export function noFacts(spec: OrdersModelSpec): ModelFacts {
  return { joinMany: spec.joins.map(() => true), fillFromOrder: false, cancelIds: false, customerWhole: false, statuses: spec.statuses };
}

/** Type of a column by table and name (case-insensitive), or undefined when unknown. */
export type TypeOf = (ref: ColumnRef) => string | undefined;

const SUMMED: ReadonlySet<OrdersRole> = new Set(['amount', 'quantity', 'refund']);

/** The SQL reading `x` (of type `type`) as a DATE; NULL when it does not read. */
export function dateSql(x: string, type: string | undefined): string {
  const kind = type ? columnKind(type) : 'other';
  if (kind === 'date') return x;
  if (kind === 'timestamp') return `CAST(${x} AS DATE)`;
  return `TRY_CAST(TRY_CAST(${x} AS TIMESTAMP) AS DATE)`;
}

/** The SQL reading `x` as money rounded to cents, DECIMAL(18,2); NULL when it is not a number. */
export function moneySql(x: string, type: string | undefined): string {
  const kind = type ? columnKind(type) : 'other';
  if (kind === 'integer') return `CAST(${x} AS DECIMAL(18, 2))`;
  if (kind === 'float' || kind === 'decimal') return `CAST(round(${x}, 2) AS DECIMAL(18, 2))`;
  return `CAST(round(TRY_CAST(${x} AS DECIMAL(18, 4)), 2) AS DECIMAL(18, 2))`;
}

function numberSql(x: string, type: string | undefined): string {
  return type && isNumericKind(columnKind(type)) ? `CAST(${x} AS DOUBLE)` : `TRY_CAST(${x} AS DOUBLE)`;
}

function textSql(x: string, type: string | undefined): string {
  return type && columnKind(type) === 'text' ? x : `CAST(${x} AS VARCHAR)`;
}

/** A text id with blank placeholders read as missing. */
function idSql(x: string, type: string | undefined, whole: boolean): string {
  const kind = type ? columnKind(type) : 'other';
  if (kind === 'float' && whole) return `CAST(${x} AS BIGINT)`;
  if (kind === 'text') return `CASE WHEN trim(${x}) IN ('', '(blank)') THEN NULL ELSE ${x} END`;
  return x;
}

interface Source {
  /** The FROM clause with its joins. */
  from: string;
  /** A role's column as SQL (aliased by table), or null. */
  col(role: OrdersRole): string | null;
  /** The type of a role's column as read (summed columns of a many-join are numbers). */
  type(role: OrdersRole): string | undefined;
  /** One boolean SQL per join: whether the row found a match. */
  matched: string[];
}

function refKey(ref: ColumnRef): string {
  return ref.table.toLowerCase();
}

/** The FROM clause and per-role column expressions. */
function sourceOf(spec: OrdersModelSpec, facts: ModelFacts, typeOf: TypeOf): Source {
  const alias = new Map<string, string>([[spec.source.toLowerCase(), 's']]);
  spec.joins.forEach((j, i) => alias.set(j.table.toLowerCase(), `j${i + 1}`));
  const roles = Object.entries(spec.roles) as [OrdersRole, ColumnRef | null][];
  const lineAmount = spec.amountMode === 'quantity-price';
  const parts = [`${ident(spec.source)} AS s`];
  const exprs = new Map<OrdersRole, { sql: string; type: string | undefined }>();
  const matched: string[] = [];
  spec.joins.forEach((j, i) => {
    const a = `j${i + 1}`;
    const mine = roles.filter(([, ref]) => ref && refKey(ref) === j.table.toLowerCase()) as [OrdersRole, ColumnRef][];
    const on = `${alias.get(j.on.table.toLowerCase()) ?? 's'}.${ident(j.on.column)}`;
    const keyType = typeOf({ table: j.table, column: j.key });
    const onType = typeOf(j.on);
    const sameType = keyType && onType && keyType.toUpperCase() === onType.toUpperCase();
    const cond = sameType ? `${a}.__key = ${on}` : `CAST(${a}.__key AS VARCHAR) = CAST(${on} AS VARCHAR)`;
    if (facts.joinMany[i]) {
      const cols = [`${ident(j.key)} AS __key`];
      for (const [role, ref] of mine) {
        if (lineAmount && role === 'unitPrice') continue;
        if (lineAmount && role === 'quantity' && spec.roles.unitPrice && refKey(spec.roles.unitPrice) === refKey(ref)) {
          const p = ident(spec.roles.unitPrice.column);
          cols.push(`sum(${moneySql(`${numberSql(ident(ref.column), typeOf(ref))} * ${numberSql(p, typeOf(spec.roles.unitPrice))}`, 'DOUBLE')}) AS __line_amount`);
        }
        const c = ident(ref.column);
        cols.push(SUMMED.has(role) ? `sum(${role === 'quantity' ? numberSql(c, typeOf(ref)) : moneySql(c, typeOf(ref))}) AS ${ident(role)}` : `min(${c}) AS ${ident(role)}`);
      }
      parts.push(`LEFT JOIN (SELECT ${cols.join(', ')} FROM ${ident(j.table)} GROUP BY ALL) AS ${a} ON ${cond}`);
      for (const [role] of mine) {
        exprs.set(role, { sql: `${a}.${ident(role)}`, type: SUMMED.has(role) ? 'DECIMAL(18,2)' : typeOf(spec.roles[role]!) });
      }
      if (lineAmount && spec.roles.quantity && refKey(spec.roles.quantity) === j.table.toLowerCase()) {
        exprs.set('unitPrice', { sql: `${a}.__line_amount`, type: 'DECIMAL(18,2)' });
      }
    } else {
      parts.push(`LEFT JOIN (SELECT *, ${ident(j.key)} AS __key FROM ${ident(j.table)}) AS ${a} ON ${cond}`);
      for (const [role, ref] of mine) exprs.set(role, { sql: `${a}.${ident(ref.column)}`, type: typeOf(ref) });
    }
    matched.push(`(${a}.__key IS NOT NULL)`);
  });
  for (const [role, ref] of roles) {
    if (ref && refKey(ref) === spec.source.toLowerCase()) exprs.set(role, { sql: `s.${ident(ref.column)}`, type: typeOf(ref) });
  }
  return {
    from: parts.join('\n  '),
    col: (role) => exprs.get(role)?.sql ?? null,
    type: (role) => exprs.get(role)?.type,
    matched,
  };
}

/** The amount of a row before refunds, rounded to cents. */
function amountOf(spec: OrdersModelSpec, src: Source): string {
  if (spec.amountMode === 'quantity-price') {
    const q = src.col('quantity');
    const p = src.col('unitPrice');
    if (!q || !p) return 'CAST(NULL AS DECIMAL(18, 2))';
    // A many-joined lines table carries its per-line products summed already.
    if (src.type('unitPrice') === 'DECIMAL(18,2)' && p.endsWith('.__line_amount')) return p;
    return moneySql(`${numberSql(q, src.type('quantity'))} * ${numberSql(p, src.type('unitPrice'))}`, 'DOUBLE');
  }
  const a = src.col('amount');
  return a ? moneySql(a, src.type('amount')) : 'CAST(NULL AS DECIMAL(18, 2))';
}

/** The status values of each kind as SQL literals; the first rule for a value wins. */
function statusGroups(facts: ModelFacts): Record<StatusKind, string[]> {
  const groups: Record<StatusKind, string[]> = { purchase: [], refund: [], excluded: [] };
  const seen = new Set<string>();
  for (const r of facts.statuses) {
    if (seen.has(r.value)) continue;
    seen.add(r.value);
    groups[r.kind].push(str(r.value));
  }
  return groups;
}

function statusKindSql(spec: OrdersModelSpec, facts: ModelFacts): string | null {
  if (!spec.roles.status) return null;
  const groups = statusGroups(facts);
  const whens = (['excluded', 'refund', 'purchase'] as StatusKind[])
    .filter((k) => groups[k].length > 0 && k !== spec.otherStatuses)
    .map((k) => `WHEN status IN (${groups[k].join(', ')}) THEN '${k}'`);
  return whens.length ? `CASE ${whens.join(' ')} ELSE '${spec.otherStatuses}' END` : `'${spec.otherStatuses}'`;
}

/** The row CTEs (without WITH) and the name of the last one: the roles under fixed names, lines filled from their order. */
function rowCtes(spec: OrdersModelSpec, facts: ModelFacts, typeOf: TypeOf, forPurchases: boolean): { ctes: string[]; last: string; src: Source } {
  const src = sourceOf(spec, facts, typeOf);
  const col = (role: OrdersRole, fallback: string) => src.col(role) ?? fallback;
  const customer = src.col('customer') ? idSql(src.col('customer')!, src.type('customer'), facts.customerWhole) : 'NULL';
  const orderId = src.col('orderId') ? idSql(src.col('orderId')!, src.type('orderId'), false) : 'CAST(NULL AS VARCHAR)';
  const date = src.col('orderDate');
  const amountType = src.type('amount');
  // Amounts already in whole cents keep their type: no rounding to do.
  const amount = facts.amountCents && spec.amountMode === 'column' && src.col('amount') && amountType && isNumericKind(columnKind(amountType)) ? src.col('amount')! : amountOf(spec, src);
  const cols = [
    `${customer} AS customer_id`,
    `${orderId} AS order_id`,
    `${date ? dateSql(date, src.type('orderDate')) : 'CAST(NULL AS DATE)'} AS order_date`,
    ...(forPurchases ? [] : [`${date ? textSql(date, src.type('orderDate')) : 'NULL'} AS date_text`]),
    `${amount} AS amount`,
    `${src.col('refund') ? moneySql(src.col('refund')!, src.type('refund')) : 'CAST(0 AS DECIMAL(18, 2))'} AS refund`,
    `${src.col('quantity') ? numberSql(src.col('quantity')!, src.type('quantity')) : 'CAST(NULL AS DOUBLE)'} AS quantity`,
    `${textSql(col('product', 'NULL'), src.type('product'))} AS product`,
    `${textSql(col('category', 'NULL'), src.type('category'))} AS category`,
    `${textSql(col('channel', 'NULL'), src.type('channel'))} AS channel`,
    `${col('discount', 'NULL')} AS discount`,
    `${src.col('status') ? `trim(${textSql(src.col('status')!, src.type('status'))})` : 'CAST(NULL AS VARCHAR)'} AS status`,
    ...(forPurchases ? [] : src.matched.map((m, i) => `${m} AS matched_${i + 1}`)),
  ];
  const ctes = [`om_rows AS (\n  SELECT ${cols.join(',\n    ')}\n  FROM ${src.from}\n)`];
  let last = 'om_rows';
  if (facts.fillFromOrder && src.col('orderId')) {
    const fill = (c: string, agg: string) => `CASE WHEN order_id IS NULL THEN ${c} ELSE coalesce(${c}, ${agg}(${c}) OVER o) END AS ${c}`;
    ctes.push(`om_filled AS (
  SELECT * REPLACE (
    ${fill('customer_id', 'max')},
    ${fill('order_date', 'min')},
    ${fill('status', 'max')},
    CASE WHEN amount IS NULL AND order_id IS NOT NULL AND count(amount) OVER o > 0 THEN 0 ELSE amount END AS amount,
    coalesce(refund, 0) AS refund)
  FROM om_rows
  WINDOW o AS (PARTITION BY order_id)
)`);
    last = 'om_filled';
  }
  return { ctes, last, src };
}

/** Whether a row is a refund line: a negative amount, or an order id made of the cancel prefix and digits. */
function refundLineSql(spec: OrdersModelSpec, facts: ModelFacts, src: Source): string {
  const prefix = spec.cancelPrefix;
  const cancelled = facts.cancelIds && prefix && src.col('orderId')
    ? ` OR (starts_with(CAST(order_id AS VARCHAR), ${str(prefix)}) AND TRY_CAST(substr(CAST(order_id AS VARCHAR), ${num(prefix.length + 1)}) AS BIGINT) IS NOT NULL)`
    : '';
  return `(amount < 0${cancelled})`;
}

/**
 * The classified rows: every source row once, with the role columns under fixed names, the raw
 * date text, `row_class` (purchase, refund, refunded, excluded, no_customer, no_date, no_amount)
 * and one `matched_<n>` flag per join. The reconciliation and the row lists read this.
 */
export function classifiedSql(spec: OrdersModelSpec, facts: ModelFacts, typeOf: TypeOf): string {
  const { ctes, last, src } = rowCtes(spec, facts, typeOf, false);
  const statusKind = statusKindSql(spec, facts);
  const klass = [
    // An excluded order with money refunded was paid first (交易关闭 after payment): it counts as refunded.
    ...(statusKind ? [`WHEN ${statusKind} = 'excluded' AND coalesce(refund, 0) <= 0 THEN 'excluded'`, `WHEN ${statusKind} IN ('excluded', 'refund') THEN 'refunded'`] : []),
    `WHEN customer_id IS NULL THEN 'no_customer'`,
    `WHEN order_date IS NULL THEN 'no_date'`,
    `WHEN amount IS NULL THEN 'no_amount'`,
    `WHEN ${refundLineSql(spec, facts, src)} THEN 'refund'`,
  ];
  ctes.push(`om_classified AS (\n  SELECT *, CASE ${klass.join('\n    ')}\n    ELSE 'purchase' END AS row_class\n  FROM ${last}\n)`);
  return `WITH ${ctes.join(',\n')}\nSELECT * FROM om_classified`;
}

/** Whether a row's status counts it as a purchase (NULL when there is no status role). */
function purchaseStatusSql(spec: OrdersModelSpec, facts: ModelFacts): string | null {
  if (!spec.roles.status) return null;
  const { purchase, refund, excluded } = statusGroups(facts);
  const other = [...refund, ...excluded];
  // A NULL status follows `otherStatuses`, as values no rule names do.
  if (spec.otherStatuses === 'purchase') return other.length ? `NOT coalesce(status IN (${other.join(', ')}), false)` : null;
  return purchase.length ? `coalesce(status IN (${purchase.join(', ')}), false)` : 'false';
}

/**
 * The clean purchases view as one self-contained query (what the model's view runs; copyable).
 * The same rows as the classified rows of class purchase (and refund when netted), with plain
 * conditions instead of a class column, and only the conditions the facts leave necessary.
 */
export function purchasesSql(spec: OrdersModelSpec, facts: ModelFacts, typeOf: TypeOf): string {
  const { ctes, last, src } = rowCtes(spec, facts, typeOf, true);
  const net = spec.refunds === 'net';
  const refundLine = refundLineSql(spec, facts, src);
  const conds = [
    purchaseStatusSql(spec, facts),
    ...(facts.noMissing ? [] : ['customer_id IS NOT NULL', 'order_date IS NOT NULL', 'amount IS NOT NULL']),
    net || facts.noRefundLines ? null : `NOT ${refundLine}`,
  ].filter((c): c is string => c !== null);
  let amount = 'amount';
  if (net && (spec.roles.refund || facts.cancelIds)) amount = `CASE WHEN ${refundLine} THEN -abs(amount) ELSE amount - coalesce(refund, 0) END`;
  const exact = (facts.amountCents && !amount.startsWith('CASE')) ? amount : `CAST(${amount} AS DECIMAL(18, 2))`;
  return `WITH ${ctes.join(',\n')}
SELECT customer_id, order_id, order_date, ${exact} AS amount, quantity, product, category, channel, discount, status
FROM ${last}${conds.length ? `\nWHERE ${conds.join('\n  AND ')}` : ''}`;
}

/** One row per row class: rows, the amount (refund lines as -|amount|, as netted) and the refund column's sum. */
export function reconciliationSql(classified: string): string {
  return `SELECT row_class, count(*) AS rows, CAST(sum(CASE WHEN row_class = 'refund' THEN -abs(amount) ELSE amount END) AS DOUBLE) AS amount, CAST(sum(refund) AS DOUBLE) AS refund
FROM ${ident(classified)}
GROUP BY row_class`;
}

/** One row of totals over the clean purchases view: rows, customers with a purchase, orders, revenue, first and last day. */
export function purchaseTotalsSql(view: string): string {
  return `SELECT count(*) AS rows,
  count(DISTINCT customer_id) FILTER (WHERE amount >= 0) AS customers,
  count(DISTINCT order_id) FILTER (WHERE amount >= 0) + count(*) FILTER (WHERE order_id IS NULL AND amount >= 0) AS orders,
  CAST(sum(amount) AS DOUBLE) AS revenue,
  CAST(sum(amount) FILTER (WHERE amount < 0) AS DOUBLE) AS refunds,
  CAST(min(order_date) AS VARCHAR) AS first_day,
  CAST(max(order_date) AS VARCHAR) AS last_day
FROM ${ident(view)}`;
}

/** Rows of the classified relation in one class ('duplicate' = rows that repeat another row's roles exactly). */
export function classRowsSql(classified: string, rowClass: string): string {
  const cols = 'customer_id, order_id, date_text AS order_date, amount, refund, quantity, product, status';
  if (rowClass === 'duplicate') {
    return `SELECT ${cols} FROM ${ident(classified)}
QUALIFY count(*) OVER (PARTITION BY customer_id, order_id, date_text, amount, refund, quantity, product, status) > 1
ORDER BY order_id, customer_id, order_date`;
  }
  return `SELECT ${cols} FROM ${ident(classified)} WHERE row_class = ${str(rowClass)}`;
}

/** Rows that repeat an earlier row on every role column, and their amount. */
export function duplicatesSql(classified: string): string {
  return `SELECT CAST(coalesce(sum(n - 1), 0) AS BIGINT) AS rows, CAST(coalesce(sum((n - 1) * amount), 0) AS DOUBLE) AS amount FROM (
  SELECT count(*) AS n, any_value(amount) AS amount FROM ${ident(classified)}
  GROUP BY customer_id, order_id, date_text, amount, refund, quantity, product, status
  HAVING count(*) > 1
)`;
}

/** Per join: rows of the source without a match, and rows of the joined table whose key no source row has. */
export function joinReportSql(spec: OrdersModelSpec, classified: string, index: number): string {
  const j = spec.joins[index];
  const on = ident(j.on.column);
  const onTable = ident(j.on.table);
  return `SELECT
  (SELECT count(*) FROM ${ident(classified)} WHERE NOT matched_${index + 1}) AS unmatched_source,
  (SELECT count(*) FROM ${ident(j.table)} AS t WHERE NOT EXISTS (SELECT 1 FROM ${onTable} AS o WHERE CAST(o.${on} AS VARCHAR) = CAST(t.${ident(j.key)} AS VARCHAR))) AS unmatched_joined`;
}

/** Per join: rows and distinct keys of the joined table (several rows per key: summed). */
export function joinKeysSql(spec: OrdersModelSpec): string {
  if (spec.joins.length === 0) return 'SELECT 0 AS i, 0 AS n, 0 AS k WHERE FALSE';
  return spec.joins
    .map((j, i) => `SELECT ${num(i)} AS i, count(*) AS n, count(DISTINCT ${ident(j.key)}) AS k FROM ${ident(j.table)}`)
    .join('\nUNION ALL\n');
}

/** One row of counts over the rows as read without facts, from which `ModelFacts` follow (see `factsFrom`). */
export function factsCheckSql(spec: OrdersModelSpec, rows: string, customerType: string | undefined): string {
  const p = spec.cancelPrefix;
  const oid = 'CAST(order_id AS VARCHAR)';
  const gaps = ['customer_id IS NULL', 'order_date IS NULL', 'amount IS NULL', ...(spec.roles.status ? ['status IS NULL'] : [])].join(' OR ');
  return `SELECT count(*) AS rows,
  count(DISTINCT order_id) AS order_ids,
  count(order_id) AS with_order_id,
  count(*) FILTER (WHERE ${gaps}) AS with_gaps,
  count(*) FILTER (WHERE customer_id IS NULL OR order_date IS NULL OR amount IS NULL) AS missing,
  count(*) FILTER (WHERE amount < 0) AS negatives,
  ${p ? `count(*) FILTER (WHERE starts_with(${oid}, ${str(p)}) AND TRY_CAST(substr(${oid}, ${num(p.length + 1)}) AS BIGINT) IS NOT NULL)` : '0'} AS prefixed_ids,
  count(*) FILTER (WHERE TRY_CAST(${oid} AS BIGINT) IS NOT NULL) AS digit_ids,
  ${customerType && columnKind(customerType) === 'float' ? 'coalesce(bool_and(customer_id = floor(customer_id)), false)' : 'false'} AS customer_whole
FROM ${rows}`;
}

/** A row of `factsCheckSql`. */
export interface FactsCheck {
  rows: number;
  order_ids: number;
  with_order_id: number;
  with_gaps: number;
  missing: number;
  negatives: number;
  prefixed_ids: number;
  digit_ids: number;
  customer_whole: boolean;
}

/** The facts a check established (statuses come separately, from the status listing). */
export function factsFrom(raw: FactsCheck, joinMany: boolean[], statuses: StatusRule[], amountCents = false): ModelFacts {
  const n = (k: keyof FactsCheck) => Number(raw[k]);
  const check = { rows: n('rows'), order_ids: n('order_ids'), with_order_id: n('with_order_id'), with_gaps: n('with_gaps'), prefixed_ids: n('prefixed_ids'), digit_ids: n('digit_ids') };
  const cancelIds = check.prefixed_ids > 0 && check.digit_ids > 0 && check.prefixed_ids < check.rows / 2;
  return {
    joinMany,
    fillFromOrder: check.with_order_id > check.order_ids && check.with_gaps > 0,
    cancelIds,
    customerWhole: raw.customer_whole === true,
    statuses,
    noMissing: n('missing') === 0,
    noRefundLines: n('negatives') === 0 && !cancelIds,
    amountCents,
  };
}

/**
 * One row (cents: true when every value of the amount column is already in whole cents) for an
 * amount column of the source table with a fractional number type; null when there is nothing to
 * check (whole numbers are cents already; other amounts are computed and rounded).
 */
export function amountCentsSql(spec: OrdersModelSpec, typeOf: TypeOf): string | null | true {
  const ref = spec.roles.amount;
  if (spec.amountMode !== 'column' || !ref || ref.table.toLowerCase() !== spec.source.toLowerCase()) return null;
  const type = typeOf(ref);
  const kind = type ? columnKind(type) : 'other';
  if (kind === 'integer') return true;
  if (kind === 'decimal') {
    const scale = /,\s*(\d+)\s*\)/.exec(type!)?.[1];
    if (scale !== undefined && Number(scale) <= 2) return true;
  }
  if (kind !== 'float' && kind !== 'decimal') return null;
  const c = ident(ref.column);
  return `SELECT coalesce(bool_and(${c} = round(${c}, 2)), true) AS cents FROM ${ident(spec.source)}`;
}

/** The status values of the rows as read, most rows first: value, rows, raw amount (at most `limit` + 1 rows). */
export function statusValuesSql(rows: string, limit: number): string {
  return `SELECT status AS value, count(*) AS rows, CAST(sum(amount) AS DOUBLE) AS amount
FROM ${rows}
GROUP BY status
ORDER BY rows DESC, value NULLS LAST
LIMIT ${num(limit + 1)}`;
}
