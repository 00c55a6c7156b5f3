/**
 * RFM as SQL: spec -> one SELECT that scores every customer, plus the notes, summary, grid and
 * distribution queries over its result. The SQL uses plain DuckDB (no extensions, no clock), so
 * it runs unchanged in the worker and on native DuckDB.
 *
 * Definitions (the reference implementation in test/unit/segment follows them exactly):
 * - Rows: a row is used when its customer id is not null, its date reads as a date, its amount
 *   reads as a number, and its date is inside the window (`from` <= date <= `to`, both inclusive)
 *   and before the as-of date. Dates are read with TRY_CAST via TIMESTAMP, so DATE, TIMESTAMP,
 *   TIMESTAMPTZ (its UTC day in the wasm build; the session time zone where ICU is loaded) and
 *   ISO-like text all work, and the time of day is ignored. Text amounts are read as
 *   DECIMAL(18,4); numeric columns are summed in their own type (DuckDB-WASM runs one thread, so a
 *   floating-point sum has a fixed order) and rounded to cents before scoring.
 * - Data facts (`spec.facts`, from the run's data check) only remove work that cannot change the
 *   result: casts of columns that already have the right type, refund filters when there are no
 *   negative amounts, null filters when there are no nulls.
 * - Purchases and refunds: a row with amount >= 0 is a purchase, amount < 0 a refund.
 *   `negatives: 'net'` keeps refunds in the customer's spend; `'exclude'` drops refund rows.
 *   Either way refunds never count as orders and never set the recency. Customers with no
 *   purchase in the window (only refunds) are left out and counted by `rfmNotesSql`.
 * - as-of: the spec's date, else the day after the latest used row (computed in SQL). Rows on or
 *   after a given as-of date are in its future and are left out.
 * - recency_days = as_of - last purchase date (whole days, >= 1 with the default as-of).
 * - frequency = distinct order ids among purchases (a purchase row with a null order id counts as
 *   its own order), or purchase rows when there is no order id or `orderIdsUnique` is set.
 * - revenue = the customer's total (purchases + netted refunds) rounded to cents;
 *   monetary = revenue ('total') or round(total / frequency, 2) ('average'); frequency is >= 1 for
 *   every customer kept, the guard maps 0 to monetary 0 all the same.
 * - Scores, quantile method ("quintiles that keep their meaning", issue 14): sort the customers'
 *   values ascending, s[1..n], and list the distinct values d[1] < ... < d[K]. Every score is a
 *   contiguous run of distinct values, so equal values always get equal scores.
 *   - K < 5: each distinct value is its own score, v = d[j] scores j (F1 = the smallest order
 *     count, F2 the next ...); levels above K stay empty because there is nothing to put in them.
 *   - K >= 5: the NTILE(5) cut positions e_k = k * (n div 5) + min(k, n mod 5) (k = 1..4, the last
 *     position of bucket k) give candidate boundaries i_k = the index of s[e_k] among the distinct
 *     values. They are clamped so that every score keeps at least one distinct value:
 *     b_k = max(min(max(i_k, k), K - 5 + k), b_(k-1) + 1) (b_0 = 0). Score j holds
 *     d[b_(j-1) + 1 .. b_j] (b_5 = K). Without ties this is exactly NTILE(5) over the ascending
 *     order. With ties (most customers buying once) the levels a plain tie-safe quintile would
 *     leave empty move up one distinct value each: 60 % one-time buyers give F = 1, 2, 3, 4, 5+
 *     orders instead of F = 1, 4, 5 only. When one-time buyers are at least a fifth of the
 *     customers, e_1 lies among them and F1 is exactly "one order".
 *   A value v scores 1 + #{k : v > d[b_k]}. R is scored on recency the same way and reversed,
 *   R = 6 - score, so recent customers score 5. All-equal values (including a single customer)
 *   score R 5, F 1, M 1 (a New Customer with the default rules). The cuts come from the
 *   measure's distinct values in order with their running customer counts (`quantileCutsCtes`).
 * - Scores, thresholds method: the same formula with the user's 4 ascending cut points: a value
 *   equal to a cut point falls in the lower band (recency <= r[0] days scores R 5).
 */
import { date, ident, num, str } from '../sql/quote';
import { segmentLabel } from './builtin-names';
import { segmentCaseSql, UNASSIGNED, type SegmentRule } from './rfm-rules';
import type { RfmSpec } from './rfm-spec';

/** The SQL reading a date column of any type as a DATE (NULL when it does not parse). */
export function orderDateExpr(column: string): string {
  return `TRY_CAST(TRY_CAST(${ident(column)} AS TIMESTAMP) AS DATE)`;
}

/** The SQL reading an amount column as an exact DECIMAL(18,4) (NULL when it is not a number). */
export function amountExpr(column: string): string {
  return `TRY_CAST(${ident(column)} AS DECIMAL(18, 4))`;
}

/** Row filters shared by the scores and the notes: window bounds and a given as-of date. */
function windowConditions(spec: RfmSpec): string[] {
  const conds: string[] = [];
  if (spec.window.from) conds.push(`order_date >= ${date(spec.window.from)}`);
  if (spec.window.to) conds.push(`order_date <= ${date(spec.window.to)}`);
  if (spec.asOf) conds.push(`order_date < ${date(spec.asOf)}`);
  return conds;
}

/** The first CTE: the user's columns under fixed internal names, read with TRY_CAST where needed. */
function sourceCte(spec: RfmSpec, withRaw: boolean): string {
  const facts = withRaw ? {} : (spec.facts ?? {});
  const cols = [
    `${ident(spec.customerId)} AS customer_id`,
    `${facts.dateIsDate ? ident(spec.orderDate) : orderDateExpr(spec.orderDate)} AS order_date`,
    `${facts.amountIsNumeric ? ident(spec.amount) : amountExpr(spec.amount)} AS amount`,
  ];
  if (spec.orderId) cols.push(`${ident(spec.orderId)} AS order_id`);
  if (withRaw) cols.push(`${ident(spec.orderDate)} IS NULL AS date_missing`);
  return `rfm_source AS (\n  SELECT ${cols.join(',\n    ')}\n  FROM ${ident(spec.source)}\n)`;
}

const QUANTILE_MEASURES = [
  ['recency_days', 'r'],
  ['frequency', 'f'],
  ['monetary', 'm'],
] as const;

/**
 * The CTEs (without WITH, after rfm_measures) giving `rfm_breakpoints`: the four cut values r1..r4,
 * f1..f4, m1..m4 of the quantile method (see the module comment). Each measure is grouped by value
 * and only its distinct values d[1..K] are sorted: a value's row number among them is its index,
 * and the running count of customers up to it says which positions s[(cum - c) + 1 .. cum] it
 * fills. Issue 16: recency and frequency have a few thousand distinct values for a million
 * customers, so this replaces three sorts of every customer by one sort of the distinct monetary
 * values; the cuts are the same as from sorting every customer.
 */
function quantileCutsCtes(): string {
  return QUANTILE_MEASURES.map(([m, p]) => {
    const positions = [1, 2, 3, 4].map((k) => `${num(k)} * (n // 5) + least(${num(k)}, n % 5) AS e${k}`).join(', ');
    // i_k: the index of the distinct value filling position e_k.
    const candidates = [1, 2, 3, 4].map((k) => `max(CASE WHEN cum - c < e${k} AND cum >= e${k} THEN rk END) AS i${k}`).join(',\n    ');
    const bound = (k: number): string => {
      const clamped = `least(greatest(i${k}, ${num(k)}), k - ${num(5 - k)})`;
      return k === 1 ? clamped : `greatest(${clamped}, ${bound(k - 1)} + 1)`;
    };
    const bounds = [1, 2, 3, 4].map((k) => `CASE WHEN k >= 5 THEN ${bound(k)} ELSE least(${num(k)}, k) END AS b${k}`).join(',\n    ');
    const cuts = [1, 2, 3, 4].map((k) => `max(CASE WHEN rk = b${k} THEN v END) AS ${p}${k}`).join(', ');
    return `rfm_${p}_values AS (
  SELECT ${m} AS v, count(*) AS c FROM rfm_measures GROUP BY ${m}
),
rfm_${p}_sorted AS (
  SELECT v, c, sum(c) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum, row_number() OVER (ORDER BY v) AS rk
  FROM rfm_${p}_values
),
rfm_${p}_positions AS (
  SELECT k, ${positions}
  FROM (SELECT sum(c) AS n, count(*) AS k FROM rfm_${p}_values)
),
rfm_${p}_candidates AS (
  SELECT any_value(k) AS k,
    ${candidates}
  FROM rfm_${p}_sorted CROSS JOIN rfm_${p}_positions
),
rfm_${p}_bounds AS (
  SELECT ${bounds}
  FROM rfm_${p}_candidates
),
rfm_${p}_cuts AS (
  SELECT ${cuts}
  FROM rfm_${p}_sorted CROSS JOIN rfm_${p}_bounds
)`;
  }).join(',\n') + `,
rfm_breakpoints AS (
  SELECT * FROM rfm_r_cuts CROSS JOIN rfm_f_cuts CROSS JOIN rfm_m_cuts
)`;
}

/**
 * The score of `value` against the ascending cuts prefix1..prefix4: 1 + #{k : value > cut k}
 * (reversed: 6 minus that), NULL when the value is NULL. The cuts never decrease, so the count is
 * the highest k with value > cut k, which a CASE finds with fewer operations than summing four
 * comparisons (issue 16).
 */
function scoreExpr(value: string, prefix: string, reversed: boolean): string {
  const score = (above: number) => num(reversed ? 5 - above : 1 + above);
  const whens = [4, 3, 2, 1].map((k) => `WHEN ${value} > ${prefix}${k} THEN ${score(k)}`).join(' ');
  return `CASE ${whens} WHEN ${value} <= ${prefix}1 THEN ${score(0)} END`;
}

/**
 * The CTEs (without WITH) that read the orders and give one row per customer in `rfm_customers`:
 * customer_id, last_purchase, last_row (latest used row, purchase or refund), frequency and total
 * (unrounded). Everything later (as-of default, monetary, scores, segments) is computed from this
 * row, so it depends only on `rfmAggregatesKey(spec)`.
 */
function aggregateCtes(spec: RfmSpec): string {
  const facts = spec.facts ?? {};
  const net = spec.negatives === 'net';
  const allPurchases = facts.noRefunds === true;
  const purchases = net && !allPurchases ? ' FILTER (WHERE amount >= 0)' : '';
  const purchaseAnd = net && !allPurchases ? 'amount >= 0 AND ' : '';
  // Nulls can also come from casts, so the null filters may only go when no cast is left.
  const nullsImpossible = facts.noNulls === true && facts.dateIsDate === true && facts.amountIsNumeric === true;
  const rowFilters = [
    ...(nullsImpossible ? [] : ['customer_id IS NOT NULL', 'order_date IS NOT NULL', 'amount IS NOT NULL']),
    ...windowConditions(spec),
    ...(net || allPurchases ? [] : ['amount >= 0']),
  ];
  let frequency: string;
  if (!spec.orderId || spec.orderIdsUnique) frequency = `count(*)${purchases}`;
  else {
    frequency =
      `count(DISTINCT order_id)${purchases}` +
      ` + count(*) FILTER (WHERE ${purchaseAnd}order_id IS NULL)`;
  }
  return `${sourceCte(spec, false)},
rfm_orders AS (
  SELECT * FROM rfm_source${rowFilters.length ? `\n  WHERE ${rowFilters.join('\n    AND ')}` : ''}
),
rfm_customers AS (
  SELECT customer_id,
    max(order_date)${purchases} AS last_purchase,
    max(order_date) AS last_row,
    ${frequency} AS frequency,
    sum(amount) AS total
  FROM rfm_orders
  GROUP BY customer_id
)`;
}

/**
 * The per-customer aggregates of a spec as one SELECT (customer_id, last_purchase, last_row,
 * frequency, total): what a cell keeps in the worker so that changing the scoring, the rules, the
 * model or the monetary definition re-scores without reading the orders again (issue 16). Put
 * the kept table's name in `spec.aggregates` to score from it.
 */
export function rfmAggregatesSql(spec: RfmSpec): string {
  return `WITH\n${aggregateCtes({ ...spec, aggregates: undefined })}\nSELECT customer_id, last_purchase, last_row, frequency, total FROM rfm_customers`;
}

/**
 * Exactly what `rfmAggregatesSql(spec)` depends on besides the data: the source, the columns, the
 * window, the as-of date, refunds, order-id uniqueness and the data facts. Scoring, monetary,
 * rules and the model are left out: they are computed from the aggregates.
 */
export function rfmAggregatesKey(spec: RfmSpec): string {
  const f = spec.facts ?? {};
  return JSON.stringify([
    'rfm-aggregates-1',
    spec.source,
    spec.customerId,
    spec.orderDate,
    spec.amount,
    spec.orderId,
    spec.orderIdsUnique === true,
    spec.window.from,
    spec.window.to,
    spec.asOf,
    spec.negatives,
    [f.dateIsDate === true, f.amountIsNumeric === true, f.noRefunds === true, f.noNulls === true],
  ]);
}

/**
 * The quantile cuts of a spec as one row (r1..r4, f1..f4, m1..m4: a value above cut k scores
 * above k, see the module comment), from the kept aggregates when `spec.aggregates` names them.
 * They depend only on the aggregates and the monetary definition (`rfmCutsKey`), so a change of
 * rules or model, or back to quintiles, scores with kept cuts in one pass (issue 16).
 */
export function rfmCutsSql(spec: RfmSpec): string {
  const cuts = QUANTILE_MEASURES.flatMap(([, p]) => [1, 2, 3, 4].map((k) => `${p}${k}`)).join(', ');
  return `WITH\n${rfmMeasuresCtes({ ...spec, cuts: undefined })},\n${quantileCutsCtes()}\nSELECT ${cuts} FROM rfm_breakpoints`;
}

/** Exactly what `rfmCutsSql(spec)` depends on besides the data: the aggregates' key and the monetary definition. */
export function rfmCutsKey(spec: RfmSpec): string {
  return JSON.stringify(['rfm-cuts-1', rfmAggregatesKey(spec), spec.monetary]);
}

/** An internal table to keep in the worker for a run: its name, what it is kept for (key) and the SQL building it. */
export interface RfmKeptTable {
  table: string;
  key: string;
  sql: string;
}

/**
 * What a run keeps in the worker before scoring, in order: the per-customer aggregates, then (for
 * the score model with quintiles) the cuts read from them; and the spec that scores from both.
 * `names` are the cell's internal table names for the aggregates and for the cuts of each
 * monetary definition (the two are kept side by side, so switching back and forth reuses both).
 */
export function rfmKeptPlan(
  spec: RfmSpec,
  model: 'scores' | 'types',
  names: { aggregates: string; cuts: (monetary: RfmSpec['monetary']) => string },
): { keep: RfmKeptTable[]; spec: RfmSpec } {
  const plain: RfmSpec = { ...spec, aggregates: undefined, cuts: undefined };
  const aggregates: RfmKeptTable = { table: names.aggregates, key: rfmAggregatesKey(plain), sql: rfmAggregatesSql(plain) };
  const fromAggregates: RfmSpec = { ...plain, aggregates: names.aggregates };
  if (model !== 'scores' || spec.scoring.method !== 'quantile') return { keep: [aggregates], spec: fromAggregates };
  const cuts: RfmKeptTable = { table: names.cuts(spec.monetary), key: rfmCutsKey(plain), sql: rfmCutsSql(fromAggregates) };
  return { keep: [aggregates, cuts], spec: { ...fromAggregates, cuts: cuts.table } };
}

/**
 * The CTEs (without WITH) that read the orders (or the kept aggregates named by
 * `spec.aggregates`) and give one row per customer in `rfm_measures`: customer_id, recency_days,
 * frequency, monetary, revenue (see the module comment). Both models (scores here, the 8 types in
 * rfm-types.ts) build on them, so they measure customers alike.
 */
export function rfmMeasuresCtes(spec: RfmSpec): string {
  const net = spec.negatives === 'net';
  const purchasesOnly = net && spec.facts?.noRefunds !== true;
  // The default as-of comes from the per-customer aggregate, so the rows are scanned once.
  const asOf = spec.asOf
    ? `SELECT ${date(spec.asOf)} AS as_of`
    : `SELECT max(last_row) + 1 AS as_of FROM rfm_customers`;
  const monetary =
    spec.monetary === 'total'
      ? 'CAST(round(total, 2) AS DOUBLE)'
      : 'CASE WHEN frequency > 0 THEN round(CAST(total AS DOUBLE) / frequency, 2) ELSE 0 END';
  // Read twice (as-of, measures) but already a table: materialising the CTE would only copy it.
  const customers = spec.aggregates
    ? `rfm_customers AS NOT MATERIALIZED (\n  SELECT customer_id, last_purchase, last_row, frequency, total FROM ${ident(spec.aggregates)}\n)`
    : aggregateCtes(spec);

  return `${customers},
rfm_as_of AS (
  ${asOf}
),
rfm_measures AS (
  SELECT customer_id,
    CAST(as_of - last_purchase AS INTEGER) AS recency_days,
    frequency,
    ${monetary} AS monetary,
    CAST(round(total, 2) AS DOUBLE) AS revenue
  FROM rfm_customers CROSS JOIN rfm_as_of${purchasesOnly ? '\n  WHERE last_purchase IS NOT NULL' : ''}
)`;
}

/**
 * One SELECT scoring every customer: customer_id (the user's value), recency_days, frequency,
 * monetary, revenue, r_score, f_score, m_score, rfm_cell ('545') and segment (first matching
 * rule, else 'Unassigned'; the rules are applied to the 125 score combinations once and joined
 * to each customer on the scores), the names written as `label` shows them — the current
 * language by default. With `spec.aggregates` and `spec.cuts` (see `rfmKeptPlan`) it scores from
 * kept tables. Usable as a CREATE VIEW body. See the module comment for definitions.
 */
export function rfmSql(spec: RfmSpec, rules: readonly SegmentRule[], label: (name: string) => string = segmentLabel): string {
  let breakpoints: string;
  if (spec.scoring.method === 'quantile') {
    const cutColumns = QUANTILE_MEASURES.flatMap(([, p]) => [1, 2, 3, 4].map((k) => `${p}${k}`)).join(', ');
    breakpoints = spec.cuts ? `rfm_breakpoints AS (\n  SELECT ${cutColumns} FROM ${ident(spec.cuts)}\n)` : quantileCutsCtes();
  } else {
    const { r, f, m } = spec.scoring;
    const cuts = (values: number[], prefix: string) => {
      if (values.length !== 4 || values.some((v, i) => !Number.isFinite(v) || (i > 0 && v <= values[i - 1]))) {
        throw new Error(`invalid ${prefix.toUpperCase()} cut points: expected 4 ascending numbers`);
      }
      return values.map((v, i) => `${num(v)} AS ${prefix}${i + 1}`).join(', ');
    };
    breakpoints = `rfm_breakpoints AS (\n  SELECT ${cuts(r, 'r')},\n    ${cuts(f, 'f')},\n    ${cuts(m, 'm')}\n)`;
  }

  return `WITH
${rfmMeasuresCtes(spec)},
${breakpoints},
rfm_scored AS (
  SELECT rfm_measures.*,
    ${scoreExpr('recency_days', 'r', true)} AS r_score,
    ${scoreExpr('frequency', 'f', false)} AS f_score,
    ${scoreExpr('monetary', 'm', false)} AS m_score
  FROM rfm_measures CROSS JOIN rfm_breakpoints
),
-- The cell and the rules worked out once for each of the 125 score combinations and joined on
-- the scores (issue 16: a join on small integers costs less than building the strings per customer).
rfm_segment_map AS (
  SELECT CAST(r AS INTEGER) AS r, CAST(f AS INTEGER) AS f, CAST(m AS INTEGER) AS m,
    CAST(r * 100 + f * 10 + m AS VARCHAR) AS cell,
    ${segmentCaseSql(rules, 'r', 'f', 'm', label).replaceAll('\n', '\n  ')} AS name
  FROM range(1, 6) AS rr(r) CROSS JOIN range(1, 6) AS ff(f) CROSS JOIN range(1, 6) AS mm(m)
)
SELECT customer_id, recency_days, frequency, monetary, revenue, r_score, f_score, m_score,
  cell AS rfm_cell,
  CASE WHEN r_score IS NULL OR f_score IS NULL OR m_score IS NULL THEN ${str(label(UNASSIGNED))} ELSE name END AS segment
FROM rfm_scored LEFT JOIN rfm_segment_map ON r = r_score AND f = f_score AND m = m_score`;
}

/**
 * One row of counts explaining what `rfmSql(spec)` used and dropped. Each row of the source lands
 * in exactly one of rows_null_customer, rows_null_date, rows_bad_date, rows_null_amount (empty or
 * not a number), rows_outside_window, rows_after_as_of, refunds_excluded, rows_used (checked in
 * that order). Also: refunds_netted (refund rows among rows_used), refund_amount (their sum),
 * customers (scored), customers_without_purchase (only refunds in the window: left out),
 * as_of (yyyy-mm-dd text).
 */
export function rfmNotesSql(spec: RfmSpec): string {
  const net = spec.negatives === 'net';
  const windowed = windowConditions({ ...spec, asOf: null });
  const inWindow = windowed.length ? windowed.join(' AND ') : 'TRUE';
  const asOf = spec.asOf
    ? `SELECT ${date(spec.asOf)} AS as_of`
    : `SELECT max(order_date) + 1 AS as_of FROM rfm_source\n  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL AND ${inWindow}${net ? '' : ' AND amount >= 0'}`;
  const status = [
    `WHEN customer_id IS NULL THEN 'null_customer'`,
    `WHEN date_missing THEN 'null_date'`,
    `WHEN order_date IS NULL THEN 'bad_date'`,
    `WHEN amount IS NULL THEN 'null_amount'`,
    `WHEN NOT (${inWindow}) THEN 'outside_window'`,
    ...(spec.asOf ? [`WHEN order_date >= as_of THEN 'after_as_of'`] : []),
    ...(net ? [] : [`WHEN amount < 0 THEN 'refund_excluded'`]),
    `ELSE 'used'`,
  ];
  const count = (s: string) => `count(*) FILTER (WHERE status = ${str(s)}) AS `;
  return `WITH
${sourceCte(spec, true)},
rfm_as_of AS (
  ${asOf}
),
rfm_status AS (
  SELECT customer_id, amount, as_of,
    CASE
      ${status.join('\n      ')}
    END AS status
  FROM rfm_source CROSS JOIN rfm_as_of
),
rfm_counts AS (
  SELECT count(*) AS rows_total,
    ${count('used')}rows_used,
    ${count('null_customer')}rows_null_customer,
    ${count('null_date')}rows_null_date,
    ${count('bad_date')}rows_bad_date,
    ${count('null_amount')}rows_null_amount,
    ${count('outside_window')}rows_outside_window,
    ${count('after_as_of')}rows_after_as_of,
    ${count('refund_excluded')}refunds_excluded,
    count(*) FILTER (WHERE status = 'used' AND amount < 0) AS refunds_netted,
    CAST(coalesce(sum(amount) FILTER (WHERE status = 'used' AND amount < 0), 0) AS DOUBLE) AS refund_amount,
    count(DISTINCT customer_id) FILTER (WHERE status = 'used' AND amount >= 0) AS customers,
    count(DISTINCT customer_id) FILTER (WHERE status = 'used') AS customers_with_rows,
    CAST(any_value(as_of) AS VARCHAR) AS as_of
  FROM rfm_status
)
SELECT rows_total, rows_used, rows_null_customer, rows_null_date, rows_bad_date, rows_null_amount,
  rows_outside_window, rows_after_as_of, refunds_excluded, refunds_netted, refund_amount, customers,
  customers_with_rows - customers AS customers_without_purchase,
  coalesce(as_of, (SELECT CAST(as_of AS VARCHAR) FROM rfm_as_of)) AS as_of
FROM rfm_counts`;
}

/**
 * Per segment of an RFM view (rule order, then segments not in the rules, then 'Unassigned' if
 * any): customers, pct_customers, revenue, pct_revenue (fractions of 1), avg_recency,
 * avg_frequency, avg_monetary. Segments with no customers are listed with 0. `rules` are the
 * segment rules or the 8 types (only their names count), written as `label` shows them.
 */
export function rfmSummarySql(viewName: string, rules: readonly Pick<SegmentRule, 'name'>[], label: (name: string) => string = segmentLabel): string {
  // Segments missing from the rules (a view built with another table) sort between the rules and 'Unassigned'.
  const order = [...rules.map((r, i) => [i, label(r.name)] as const), [rules.length + 1, label(UNASSIGNED)] as const].map(
    ([i, name]) => `(${num(i)}, ${str(name)})`,
  );
  const v = ident(viewName);
  return `WITH
seg_order(ord, segment) AS (VALUES ${order.join(', ')}),
seg_totals AS (SELECT count(*) AS customers, sum(revenue) AS revenue FROM ${v}),
seg_stats AS (
  SELECT segment, count(*) AS customers, sum(revenue) AS revenue,
    avg(recency_days) AS avg_recency, avg(frequency) AS avg_frequency, avg(monetary) AS avg_monetary
  FROM ${v}
  GROUP BY segment
)
SELECT coalesce(o.segment, s.segment) AS segment,
  coalesce(s.customers, 0) AS customers,
  coalesce(s.customers, 0) / nullif(t.customers, 0) AS pct_customers,
  coalesce(s.revenue, 0) AS revenue,
  coalesce(s.revenue, 0) / nullif(t.revenue, 0) AS pct_revenue,
  s.avg_recency, s.avg_frequency, s.avg_monetary
FROM seg_order o
FULL JOIN seg_stats s ON s.segment = o.segment
CROSS JOIN seg_totals t
WHERE coalesce(o.segment, '') <> ${str(label(UNASSIGNED))} OR s.customers > 0
ORDER BY coalesce(o.ord, ${num(rules.length)}), coalesce(o.segment, s.segment)`;
}

/**
 * The 5 x 5 R-by-F grid of an RFM view, all 25 cells: customers, avg_monetary, the majority
 * segment (most customers; ties by name) and its share of the cell. Empty cells have 0 customers
 * and NULL averages and segment.
 */
export function rfmGridSql(viewName: string): string {
  const v = ident(viewName);
  return `WITH
grid_cells AS (
  SELECT CAST(r.r_score AS INTEGER) AS r_score, CAST(f.f_score AS INTEGER) AS f_score
  FROM range(1, 6) AS r(r_score) CROSS JOIN range(1, 6) AS f(f_score)
),
grid_stats AS (
  SELECT r_score, f_score, count(*) AS customers, avg(monetary) AS avg_monetary
  FROM ${v} GROUP BY r_score, f_score
),
grid_segments AS (
  SELECT r_score, f_score, segment, count(*) AS n FROM ${v} GROUP BY r_score, f_score, segment
),
grid_majority AS (
  SELECT r_score, f_score, segment, n FROM grid_segments
  QUALIFY row_number() OVER (PARTITION BY r_score, f_score ORDER BY n DESC, segment) = 1
)
SELECT c.r_score, c.f_score, coalesce(s.customers, 0) AS customers, s.avg_monetary,
  m.segment, m.n / s.customers AS segment_share
FROM grid_cells c
LEFT JOIN grid_stats s ON s.r_score = c.r_score AND s.f_score = c.f_score
LEFT JOIN grid_majority m ON m.r_score = c.r_score AND m.f_score = c.f_score
ORDER BY c.r_score DESC, c.f_score`;
}

/** A column of an RFM view that has a distribution. */
export type RfmMeasure = 'recency_days' | 'frequency' | 'monetary' | 'revenue' | 'r_score' | 'f_score' | 'm_score';

const RFM_MEASURES: readonly RfmMeasure[] = ['recency_days', 'frequency', 'monetary', 'revenue', 'r_score', 'f_score', 'm_score'];

/**
 * A histogram of one measure of an RFM view: rows (bin, bin_start, bin_end, customers), every bin
 * listed. Scores: one bin per score 1..5 ([s, s+1)). recency_days and frequency: up to `bins`
 * whole-number bins [start, end). monetary and revenue: `bins` equal-width bins between min and
 * max, the last one including the max (a single bin when all values are equal).
 */
export function rfmDistributionSql(viewName: string, measure: RfmMeasure, bins = 20): string {
  if (!RFM_MEASURES.includes(measure)) throw new Error(`invalid RFM measure: ${String(measure)}`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`invalid bin count: ${bins}`);
  const v = ident(viewName);
  const col = ident(measure);
  if (measure.endsWith('_score')) {
    return `SELECT CAST(s.score - 1 AS INTEGER) AS bin, CAST(s.score AS INTEGER) AS bin_start, CAST(s.score + 1 AS INTEGER) AS bin_end,
  count(v.${col}) AS customers
FROM range(1, 6) AS s(score)
LEFT JOIN ${v} v ON v.${col} = s.score
GROUP BY s.score
ORDER BY s.score`;
  }
  const integer = measure === 'recency_days' || measure === 'frequency';
  const width = integer
    ? `greatest(1, CAST(ceil((hi - lo + 1) / ${num(bins)}) AS BIGINT))`
    : `(hi - lo) / ${num(bins)}`;
  const nbins = integer ? `(hi - lo) // width + 1` : `CASE WHEN width = 0 THEN 1 ELSE ${num(bins)} END`;
  const bin = integer
    ? `(${col} - lo) // width`
    : `CASE WHEN width = 0 THEN 0 ELSE least(CAST(floor((${col} - lo) / width) AS BIGINT), ${num(bins - 1)}) END`;
  return `WITH
dist_range AS (SELECT min(${col}) AS lo, max(${col}) AS hi FROM ${v}),
dist_width AS (SELECT lo, hi, ${width} AS width FROM dist_range),
dist_spec AS (SELECT lo, hi, width, ${nbins} AS nbins FROM dist_width),
dist_counts AS (
  SELECT ${bin} AS bin, count(*) AS customers
  FROM ${v} CROSS JOIN dist_spec
  WHERE ${col} IS NOT NULL
  GROUP BY 1
),
dist_bins AS (SELECT unnest(range(nbins)) AS bin FROM dist_spec WHERE lo IS NOT NULL)
SELECT b.bin, lo + b.bin * width AS bin_start,
  ${integer ? 'lo + (b.bin + 1) * width' : 'CASE WHEN b.bin = nbins - 1 THEN hi ELSE lo + (b.bin + 1) * width END'} AS bin_end,
  coalesce(c.customers, 0) AS customers
FROM dist_bins b CROSS JOIN dist_spec
LEFT JOIN dist_counts c ON c.bin = b.bin
ORDER BY b.bin`;
}
