/**
 * Segment profiles: how big a segment is, and what sets it apart from all customers — per
 * attribute value its share inside the segment against its share overall; top categories by
 * lift and the channel mix of its orders; several segments side by side.
 *
 * Definitions:
 * - A segment is a WHERE expression over the customer view (from `conditionSql`) or
 *   { column, value } (e.g. an RFM segment column); a NULL result counts as not in the segment.
 *   "Overall" means all customers of the view, the segment's own included.
 * - Categorical attributes (text and boolean columns): every value is a group, and empty values
 *   (NULL; blank text) form one '(empty)' group, so shares add up to 1. share_in_segment =
 *   segment customers with the value / segment customers; share_overall = customers with the value
 *   / all customers; index = share_in_segment / share_overall (1 = as common as overall, 2 = twice
 *   as common); NULL when share_overall = 0.
 * - Numeric attributes: mean_in_segment and mean_overall (NULLs left out); index = their ratio,
 *   NULL when the overall mean is 0. Date and other columns are not profiled.
 * - Ranking: strength = |ln(index)| (NULL when index is 0 or NULL, or negative for numbers), so
 *   twice and half as common rank alike; sorted by strength descending, then segment support.
 *   Support: a value is listed when at least `minSupport` segment customers have it (numbers:
 *   have a value); a categorical attribute with more than `maxValues` distinct values (ids,
 *   e-mails) is left out.
 * - Lift and channel mix count orders as the customer view does (purchase lines; distinct order
 *   ids per customer, a line with a null id being its own order): share_in_segment = segment orders containing the value / segment
 *   orders; share_overall likewise over all orders; lift (index) = their ratio.
 */
import { ident, literal, num, str } from '../sql/quote';
import { EMPTY_LABEL } from './attribute-bands';
import { columnKind, emptySql, isNumericKind, type ColumnInfo } from './column-kinds';
import { orderCountSql, orderLinesCtes, type CustomerViewSpec } from './customer-view';
import { t } from '../i18n';

/** Which customers form a segment: a SQL condition (from `conditionSql`) or column = value. */
export type SegmentWhere = string | { column: string; value: string | number | boolean | null };

/** A named segment, for comparisons. */
export interface NamedSegment {
  name: string;
  where: SegmentWhere;
}

/** Options of `profileSql` and `compareSegmentsSql`. */
export interface ProfileOptions {
  /** Minimum segment customers behind a listed value (default 1). */
  minSupport?: number;
  /** Categorical attributes with more distinct values are left out (default 50). */
  maxValues?: number;
}

/** The display name of the baseline in comparisons. */
export const ALL_CUSTOMERS = 'All customers';

/** The SQL condition of a segment, parenthesised; never NULL. */
export function segmentWhereSql(where: SegmentWhere): string {
  if (typeof where === 'string') {
    if (!where.trim()) throw new Error(t('msg.seg.emptyCondition'));
    return `coalesce((${where}), FALSE)`;
  }
  return where.value === null ? `${ident(where.column)} IS NULL` : `coalesce(${ident(where.column)} = ${literal(where.value)}, FALSE)`;
}

interface AttrPlan {
  name: string;
  order: number;
  alias: string;
  kind: 'category' | 'numeric';
  expr: string;
}

/** The profiled attributes: categorical (text, boolean) and numeric, with their base-CTE columns. */
function plan(attributes: readonly ColumnInfo[]): AttrPlan[] {
  const out: AttrPlan[] = [];
  attributes.forEach((a, i) => {
    const k = columnKind(a.type);
    if (k === 'text' || k === 'boolean') {
      out.push({ name: a.name, order: i, alias: `a${i}`, kind: 'category', expr: `CASE WHEN ${emptySql(a.name, k)} THEN ${str(EMPTY_LABEL)} ELSE CAST(${ident(a.name)} AS VARCHAR) END` });
    } else if (isNumericKind(k)) {
      out.push({ name: a.name, order: i, alias: `a${i}`, kind: 'numeric', expr: `CAST(${ident(a.name)} AS DOUBLE)` });
    }
  });
  return out;
}

function options(opts: ProfileOptions): { minSupport: number; maxValues: number } {
  const minSupport = opts.minSupport ?? 1;
  const maxValues = opts.maxValues ?? 50;
  if (!Number.isInteger(minSupport) || minSupport < 0) throw new Error(`invalid minimum support: ${minSupport}`);
  if (!Number.isInteger(maxValues) || maxValues < 1) throw new Error(`invalid maximum number of values: ${maxValues}`);
  return { minSupport, maxValues };
}

const STRENGTH = `CASE WHEN "index" > 0 THEN abs(ln("index")) END`;

/**
 * What makes one segment different: rows (attribute, kind 'category' | 'numeric', value (NULL for
 * numbers), in_segment, share_in_segment, share_overall, mean_in_segment, mean_overall, index,
 * strength), strongest differences first (ties: more support, then attribute order, value).
 * See the module comment for the definitions.
 */
export function profileSql(view: string, segmentWhere: SegmentWhere, attributes: readonly ColumnInfo[], opts: ProfileOptions = {}): string {
  const { minSupport, maxValues } = options(opts);
  const attrs = plan(attributes);
  const cats = attrs.filter((a) => a.kind === 'category');
  const nums = attrs.filter((a) => a.kind === 'numeric');
  const base = [`${segmentWhereSql(segmentWhere)} AS in_seg`, ...attrs.map((a) => `${a.expr} AS ${a.alias}`)];
  const catValues = cats.length
    ? cats.map((a) => `SELECT ${str(a.name)} AS attribute, ${num(a.order)} AS attribute_order, ${a.alias} AS value,
    count(*) FILTER (WHERE in_seg) AS seg_count, count(*) AS all_count
  FROM prof_base GROUP BY ${a.alias}`).join('\n  UNION ALL\n  ')
    : `SELECT CAST(NULL AS VARCHAR), 0, CAST(NULL AS VARCHAR), CAST(0 AS BIGINT), CAST(0 AS BIGINT) WHERE FALSE`;
  const numRows = nums.map((a) => `SELECT ${str(a.name)}, ${num(a.order)}, 'numeric', CAST(NULL AS VARCHAR),
    count(${a.alias}) FILTER (WHERE in_seg), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE),
    avg(${a.alias}) FILTER (WHERE in_seg), avg(${a.alias})
  FROM prof_base`);
  return `WITH
prof_base AS (
  SELECT ${base.join(',\n    ')}
  FROM ${ident(view)}
),
prof_sizes AS (SELECT count(*) FILTER (WHERE in_seg) AS seg_n, count(*) AS all_n FROM prof_base),
prof_values AS (
  SELECT * FROM (
  ${catValues}
  ) AS t(attribute, attribute_order, value, seg_count, all_count)
  QUALIFY count(*) OVER (PARTITION BY attribute_order) <= ${num(maxValues)}
),
prof_rows AS (
  SELECT attribute, attribute_order, 'category' AS kind, value, seg_count AS in_segment,
    seg_count / nullif(seg_n, 0) AS share_in_segment, all_count / nullif(all_n, 0) AS share_overall,
    CAST(NULL AS DOUBLE) AS mean_in_segment, CAST(NULL AS DOUBLE) AS mean_overall
  FROM prof_values CROSS JOIN prof_sizes${numRows.length ? `\n  UNION ALL\n  ${numRows.join('\n  UNION ALL\n  ')}` : ''}
),
prof_indexed AS (
  SELECT *, CASE WHEN kind = 'category' THEN share_in_segment / nullif(share_overall, 0)
    ELSE mean_in_segment / nullif(mean_overall, 0) END AS "index"
  FROM prof_rows
  WHERE in_segment >= ${num(Math.max(minSupport, 1))}
)
SELECT attribute, kind, value, in_segment, share_in_segment, share_overall, mean_in_segment, mean_overall, "index",
  ${STRENGTH} AS strength
FROM prof_indexed
ORDER BY strength DESC NULLS LAST, in_segment DESC, attribute_order, value`;
}

/**
 * Size of each segment and of all customers: rows (segment, segment_order — 0 for
 * 'All customers', then 1.. in the given order —, customers, share_customers, revenue,
 * share_revenue, revenue_per_customer); revenue columns NULL when `revenue` is null.
 */
export function segmentSizesSql(view: string, segments: readonly NamedSegment[], revenue: string | null): string {
  const rev = revenue ? `CAST(${ident(revenue)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const flags = segments.map((s, i) => `${segmentWhereSql(s.where)} AS s${i + 1}`);
  const row = (name: string, order: number, filter: string) => `SELECT ${str(name)} AS segment, ${num(order)} AS segment_order,
    count(*)${filter} AS customers,
    count(*)${filter} / nullif(count(*), 0) AS share_customers,
    ${revenue ? `coalesce(sum(revenue)${filter}, 0)` : 'CAST(NULL AS DOUBLE)'} AS revenue,
    ${revenue ? `coalesce(sum(revenue)${filter}, 0) / nullif(sum(revenue), 0)` : 'CAST(NULL AS DOUBLE)'} AS share_revenue,
    sum(revenue)${filter} / nullif(count(*)${filter}, 0) AS revenue_per_customer
  FROM size_base`;
  const rows = [row(ALL_CUSTOMERS, 0, ''), ...segments.map((s, i) => row(s.name, i + 1, ` FILTER (WHERE s${i + 1})`))];
  return `WITH
size_base AS (SELECT ${[`${rev} AS revenue`, ...flags].join(', ')} FROM ${ident(view)})
${rows.join('\nUNION ALL\n')}
ORDER BY segment_order`;
}

/**
 * Two or more segments side by side with all customers, long form for tables and faceted charts:
 * rows (attribute, kind, value, segment, segment_order — 0 = 'All customers' —, customers, share,
 * mean, index (share or mean against all customers)). Every value of a categorical attribute is
 * listed for every segment (0 when absent), most common overall first, '(empty)' last. Segments
 * may overlap.
 */
export function compareSegmentsSql(view: string, segments: readonly NamedSegment[], attributes: readonly ColumnInfo[], opts: ProfileOptions = {}): string {
  if (segments.length === 0) throw new Error(t('msg.seg.chooseToCompare'));
  const { maxValues } = options(opts);
  const attrs = plan(attributes);
  const cats = attrs.filter((a) => a.kind === 'category');
  const nums = attrs.filter((a) => a.kind === 'numeric');
  const aliases = attrs.map((a) => a.alias);
  const base = [...segments.map((s, i) => `${segmentWhereSql(s.where)} AS s${i + 1}`), ...attrs.map((a) => `${a.expr} AS ${a.alias}`)];
  const cols = aliases.length ? `, ${aliases.join(', ')}` : '';
  const members = [`SELECT 0 AS segment_order${cols} FROM cmp_base`, ...segments.map((_, i) => `SELECT ${num(i + 1)}${cols} FROM cmp_base WHERE s${i + 1}`)];
  const names = [`(0, ${str(ALL_CUSTOMERS)})`, ...segments.map((s, i) => `(${num(i + 1)}, ${str(s.name)})`)];
  const catCounts = cats.length
    ? cats.map((a) => `SELECT segment_order, ${num(a.order)} AS attribute_order, ${str(a.name)} AS attribute, ${a.alias} AS value, count(*) AS customers FROM cmp_members GROUP BY segment_order, ${a.alias}`).join('\n  UNION ALL\n  ')
    : `SELECT 0, 0, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(0 AS BIGINT) WHERE FALSE`;
  const numStats = nums.map((a) => `SELECT segment_order, ${num(a.order)}, ${str(a.name)}, count(${a.alias}), avg(${a.alias}) FROM cmp_members GROUP BY segment_order`);
  const numPart = numStats.length
    ? `,
cmp_num AS (
  SELECT * FROM (
  ${numStats.join('\n  UNION ALL\n  ')}
  ) AS t(segment_order, attribute_order, attribute, customers, mean)
),
cmp_num_attrs(attribute_order, attribute) AS (VALUES ${nums.map((a) => `(${num(a.order)}, ${str(a.name)})`).join(', ')})`
    : '';
  // Every segment gets a row per numeric attribute, also an empty segment (0 customers, NULL mean).
  const numSelect = numStats.length
    ? `
  UNION ALL
  SELECT x.attribute, x.attribute_order, 'numeric', CAST(NULL AS VARCHAR), 0, s.segment_order, coalesce(n.customers, 0), CAST(NULL AS DOUBLE), n.mean,
    n.mean / nullif(a.mean, 0)
  FROM cmp_num_attrs x
  CROSS JOIN cmp_segments s
  LEFT JOIN cmp_num n ON n.attribute_order = x.attribute_order AND n.segment_order = s.segment_order
  LEFT JOIN cmp_num a ON a.attribute_order = x.attribute_order AND a.segment_order = 0`
    : '';
  return `WITH
cmp_base AS (
  SELECT ${base.join(',\n    ')}
  FROM ${ident(view)}
),
cmp_members AS (
  ${members.join('\n  UNION ALL\n  ')}
),
cmp_segments(segment_order, segment) AS (VALUES ${names.join(', ')}),
cmp_sizes AS (SELECT segment_order, count(*) AS n FROM cmp_members GROUP BY segment_order),
cmp_counts AS (
  SELECT * FROM (
  ${catCounts}
  ) AS t(segment_order, attribute_order, attribute, value, customers)
),
cmp_values AS (
  SELECT attribute, attribute_order, value, customers AS all_count,
    CAST(row_number() OVER (PARTITION BY attribute_order ORDER BY value = ${str(EMPTY_LABEL)}, customers DESC, value) AS INTEGER) AS value_order
  FROM cmp_counts WHERE segment_order = 0
  QUALIFY count(*) OVER (PARTITION BY attribute_order) <= ${num(maxValues)}
)${numPart},
cmp_rows AS (
  SELECT v.attribute, v.attribute_order, 'category' AS kind, v.value, v.value_order, s.segment_order,
    coalesce(c.customers, 0) AS customers,
    coalesce(c.customers, 0) / nullif(z.n, 0) AS share,
    CAST(NULL AS DOUBLE) AS mean,
    (coalesce(c.customers, 0) / nullif(z.n, 0)) / nullif(v.all_count / nullif(a.n, 0), 0) AS "index"
  FROM cmp_values v
  CROSS JOIN cmp_segments s
  LEFT JOIN cmp_sizes z ON z.segment_order = s.segment_order
  LEFT JOIN cmp_sizes a ON a.segment_order = 0
  LEFT JOIN cmp_counts c ON c.segment_order = s.segment_order AND c.attribute_order = v.attribute_order AND c.value = v.value${numSelect}
)
SELECT r.attribute, r.kind, r.value, s.segment, r.segment_order, r.customers, r.share, r.mean, r."index"
FROM cmp_rows r JOIN cmp_segments s ON s.segment_order = r.segment_order
ORDER BY r.attribute_order, r.value_order, r.segment_order`;
}

/** Options of `liftSql`. */
export interface LiftOptions {
  /** Minimum segment orders containing a category for it to be listed (default 1). */
  minOrders?: number;
  /** At most this many rows (default 20). */
  limit?: number;
}

/** Orders per value of the channel or category field, inside the segment and overall. */
function mixSql(field: 'category' | 'channel', spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[], view: string, segment: SegmentWhere): string {
  // Orders are counted per customer and then summed: the same order id for two customers is two orders.
  return `WITH
${orderLinesCtes(spec, customerColumns)},
mix_members AS (SELECT DISTINCT customer_id FROM ${ident(view)} WHERE ${segmentWhereSql(segment)}),
mix_customers AS (
  SELECT customer_id, ${orderCountSql(spec)} AS n,
    customer_id IN (SELECT customer_id FROM mix_members) AS in_seg
  FROM cv_lines WHERE amount >= 0 GROUP BY customer_id
),
mix_totals AS (
  SELECT coalesce(sum(n) FILTER (WHERE in_seg), 0) AS seg_orders, coalesce(sum(n), 0) AS all_orders FROM mix_customers
),
mix_customer_values AS (
  SELECT customer_id, ${field} AS value, ${orderCountSql(spec)} AS n, sum(amount) AS spend
  FROM cv_lines WHERE amount >= 0 AND ${field} IS NOT NULL GROUP BY customer_id, ${field}
),
mix_values AS (
  SELECT v.value, coalesce(sum(v.n) FILTER (WHERE c.in_seg), 0) AS segment_orders, sum(v.n) AS overall_orders,
    CAST(coalesce(sum(v.spend) FILTER (WHERE c.in_seg), 0) AS DOUBLE) AS segment_revenue
  FROM mix_customer_values v JOIN mix_customers c ON c.customer_id = v.customer_id
  GROUP BY v.value
),
mix_shares AS (
  SELECT value, CAST(segment_orders AS BIGINT) AS segment_orders, segment_orders / nullif(seg_orders, 0) AS share_in_segment,
    CAST(overall_orders AS BIGINT) AS overall_orders, overall_orders / nullif(all_orders, 0) AS share_overall, segment_revenue
  FROM mix_values CROSS JOIN mix_totals
)`;
}

/**
 * Top categories of a segment's orders by lift: rows (category, segment_orders, share_in_segment,
 * overall_orders, share_overall, lift, segment_revenue), highest lift first (ties: more segment
 * orders, then name). `spec` and `customerColumns` are those the customer view was built with.
 */
export function liftSql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[], view: string, segment: SegmentWhere, opts: LiftOptions = {}): string {
  if (!spec.roles.category) throw new Error(t('msg.seg.noCategory'));
  const minOrders = opts.minOrders ?? 1;
  const limit = opts.limit ?? 20;
  if (!Number.isInteger(minOrders) || minOrders < 1) throw new Error(`invalid minimum orders: ${minOrders}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit: ${limit}`);
  return `${mixSql('category', spec, customerColumns, view, segment)}
SELECT value AS category, segment_orders, share_in_segment, overall_orders, share_overall,
  share_in_segment / nullif(share_overall, 0) AS lift, segment_revenue
FROM mix_shares
WHERE segment_orders >= ${num(minOrders)}
ORDER BY lift DESC NULLS LAST, segment_orders DESC, category
LIMIT ${num(limit)}`;
}

/**
 * The channel mix of a segment's orders against all orders: rows (channel, segment_orders,
 * share_in_segment, overall_orders, share_overall, index, segment_revenue), every channel, most
 * orders overall first (ties by name).
 */
export function channelMixSql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[], view: string, segment: SegmentWhere): string {
  if (!spec.roles.channel) throw new Error(t('msg.seg.noChannelMix'));
  return `${mixSql('channel', spec, customerColumns, view, segment)}
SELECT value AS channel, segment_orders, share_in_segment, overall_orders, share_overall,
  share_in_segment / nullif(share_overall, 0) AS "index", segment_revenue
FROM mix_shares
ORDER BY overall_orders DESC, channel`;
}
