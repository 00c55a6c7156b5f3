/**
 * Attribute segmentation: customers grouped by one or two columns of a customer view, with
 * customers, revenue, average order value and shares per group (per pair: a cross-tab).
 *
 * Banding rules:
 * - Numeric bands are [lo, hi): a value exactly on an edge goes to the upper band. Quantile and
 *   equal-width bands cover [min, max], the last band closed, so the max is in the last band.
 *   Breaks b1 < ... < bk give k + 1 bands: '< b1', [b1, b2), ..., '≥ bk'.
 * - Quantile, few values (issue 14): a column with at most bins + 1 distinct values (0/1 flags,
 *   1–5 ratings) gets one band per value — quantile edges would merge them ("0–1" holding
 *   everyone) or leave a band for a single value anyway.
 * - Quantile: sorted values s[1..n]; band k (k = 1..bins-1) starts at the value at the first
 *   position of NTILE(bins) bucket k, s[k * (n div bins) + min(k, n mod bins) + 1]. As edges are
 *   values, a tie is never split: a tie spanning a bucket boundary goes wholly to the upper band,
 *   and repeated edges merge bands (fewer bands than asked). Labels are the band's own min–max.
 * - Equal width: edges min + k * (max - min) / bins; all values equal give one band.
 * - Labels: numbers with thousands separators and at most 2 decimals. Breaks on a whole-number
 *   column with whole-number breaks read as whole-number ranges: [18, 25) is '18–24'; otherwise
 *   [5000, 10000) is '5,000–10,000'.
 * - Categories: each value is its own group (as text), most customers first, ties by value;
 *   numeric columns list their values in numeric order instead ("each value" of a rating).
 *   A value held by fewer than `minShare` of the customers who have a value, or ranked after
 *   `maxGroups`, is folded into 'Other' (listed after the kept values).
 * - Empty values (NULL; for text also blank) form one '(empty)' group, listed last, only when
 *   present. Every other band is listed even when no customer falls in it (counts 0), so charts
 *   keep their axes; with two columns, every pair is listed.
 *
 * Measures: revenue = sum of the revenue column; avg_order_value = revenue / sum of the orders
 * column (NULL without an orders column or without orders); revenue_per_customer = revenue /
 * customers. Shares are fractions of 1 (NULL when the total is 0).
 */
import { ident, num, str } from '../sql/quote';
import { cnAddressInputSql, cnCitySql, cnProvinceSql, type CnAddressPart } from '../geo/cn-address-sql';
import { t, type MessageKey } from '../i18n';
import { columnKind, describeKind, emptySql, findColumn, formatNumber, formatNumberSql, isNumericKind, type ColumnInfo } from './column-kinds';

/** How to group customers by one column. */
export type BandSpec =
  | {
      column: string;
      kind: 'category';
      /** fold values below this share into 'Other' (default 0.01) */ minShare?: number;
      /** keep at most this many values (default 20) */ maxGroups?: number;
      /** group by the province or city of a Chinese address in the (text) column instead of its values */ derive?: CnAddressPart;
    }
  | { column: string; kind: 'quantile'; bins: number }
  | { column: string; kind: 'equal-width'; bins: number }
  | { column: string; kind: 'breaks'; breaks: number[] };

/** The label of the group of customers with an empty value. */
export const EMPTY_LABEL = '(empty)';
/** The label of the group of folded rare values. */
export const OTHER_LABEL = 'Other';

/**
 * A group label as shown: the two labels the SQL writes itself (`EMPTY_LABEL`, `OTHER_LABEL`) in
 * the interface language; every other label is data (a value or a range) and stays as it is.
 */
export function bandLabel(label: string): string {
  return label === EMPTY_LABEL ? t('msg.band.empty') : label === OTHER_LABEL ? t('msg.band.other') : label;
}

/**
 * Words the cells' own SQL writes as values (a customer view's status, a lifecycle stage, a CLV
 * churn-risk band): stored in English in the data, shown in the interface language.
 */
const COMPUTED_VALUES: Record<string, Record<string, MessageKey>> = {
  customer_status: { new: 'msg.value.status.new', returning: 'msg.value.status.returning', 'no orders': 'msg.value.status.noOrders' },
  stage: { new: 'lc.stage.new', active: 'lc.stage.active', reactivated: 'lc.stage.reactivated', cooling: 'lc.stage.cooling', at_risk: 'lc.stage.at_risk', lapsed: 'lc.stage.lapsed' },
  churn_risk: { high: 'clv.risk.high', medium: 'clv.risk.medium', low: 'clv.risk.low' },
};

/** A group's or value's label as shown: the special groups and the cells' own value words in the interface language. */
export function valueLabel(column: string, value: string): string {
  const key = COMPUTED_VALUES[column.toLowerCase()]?.[value];
  return key ? t(key) : bandLabel(value);
}

// Internal sort keys of the two special groups, after every real band.
const OTHER_ORD = 2147483646;
const EMPTY_ORD = 2147483647;

/** The measure columns of the view: revenue and orders per customer (null = not available). */
export interface BandMeasures {
  revenue: string | null;
  orders?: string | null;
}

/** Numeric columns with at most this many distinct values (0/1 flags, 1–5 ratings) default to one group per value. */
export const FEW_VALUES = 10;

/**
 * The default band of a column once its number of distinct values is known (issue 14): a numeric
 * column with at most FEW_VALUES values is grouped by each value, not in quantile bands.
 */
export function bandForDistinct(band: BandSpec, distinct: number): BandSpec {
  return band.kind === 'quantile' && distinct <= FEW_VALUES ? { column: band.column, kind: 'category', minShare: 0, maxGroups: FEW_VALUES } : band;
}

/** One row (distinct) counting the distinct non-empty values of a column. */
export function distinctValuesSql(relation: string, column: string): string {
  return `SELECT count(DISTINCT ${ident(column)}) AS distinct FROM ${ident(relation)}`;
}

/**
 * One row counting the rows of `relation` (n) and the distinct values of each text column
 * (d_0, d_1, …) — to tell id-like columns (mostly distinct: names, e-mails, ids) from attributes.
 */
export function distinctCountsSql(relation: string, columns: readonly string[]): string {
  return `SELECT count(*) AS n${columns.map((c, i) => `, count(DISTINCT ${ident(c)}) AS d_${i}`).join('')} FROM ${ident(relation)}`;
}

/** Whether a column with `distinct` values in `rows` rows is id-like: over 20 rows and more than 90 % distinct. */
export function mostlyDistinct(distinct: number, rows: number): boolean {
  return rows > 20 && distinct > 0.9 * rows;
}

/** Problems with a band spec against the view's columns, as messages a user can act on. */
export function validateBand(spec: BandSpec, columns: readonly ColumnInfo[]): string[] {
  const col = findColumn(columns, spec.column);
  if (!col) return [t('msg.band.gone', { column: spec.column })];
  const kind = columnKind(col.type);
  const problems: string[] = [];
  if (spec.kind === 'category') {
    if (spec.derive && kind !== 'text') problems.push(t('geo.err.notText', { column: col.name, kind: describeKind(kind, col.type) }));
    if (spec.derive && spec.derive !== 'province' && spec.derive !== 'city') problems.push(t('geo.err.part', { part: String(spec.derive) }));
    if (spec.minShare !== undefined && !(spec.minShare >= 0 && spec.minShare < 1)) problems.push(t('msg.band.minShare', { value: String(spec.minShare) }));
    if (spec.maxGroups !== undefined && !(Number.isInteger(spec.maxGroups) && spec.maxGroups >= 1)) problems.push(t('msg.band.maxGroups', { value: String(spec.maxGroups) }));
    return problems;
  }
  if (!isNumericKind(kind)) problems.push(t('msg.band.notNumbers', { column: col.name, kind: describeKind(kind, col.type) }));
  if (spec.kind === 'breaks') {
    if (spec.breaks.length === 0) problems.push(t('msg.band.noBreaks', { column: col.name }));
    else if (!spec.breaks.every((b) => Number.isFinite(b))) problems.push(t('msg.band.breaksNumbers', { column: col.name }));
    else if (!spec.breaks.every((b, i) => i === 0 || b > spec.breaks[i - 1])) problems.push(t('msg.band.breaksUp', { column: col.name, breaks: spec.breaks.join(', ') }));
  } else if (!(Number.isInteger(spec.bins) && spec.bins >= 1 && spec.bins <= 100)) {
    problems.push(t('msg.band.bins', { value: String(spec.bins) }));
  }
  return problems;
}

/** The labels of break bands, in order (see the module comment). */
export function breakLabels(breaks: readonly number[], wholeNumbers: boolean): string[] {
  const f = formatNumber;
  const whole = wholeNumbers && breaks.every((b) => Number.isInteger(b));
  const labels = [`< ${f(breaks[0])}`];
  for (let i = 0; i + 1 < breaks.length; i++) {
    const lo = breaks[i];
    const hi = breaks[i + 1];
    labels.push(whole ? (hi - 1 === lo ? f(lo) : `${f(lo)}–${f(hi - 1)}`) : `${f(lo)}–${f(hi)}`);
  }
  labels.push(`≥ ${f(breaks[breaks.length - 1])}`);
  return labels;
}

/**
 * The SQL pieces of one band spec (n = 1 or 2): in a query whose CTE `seg_rows` has the value as
 * `v<n>` and whose CTE `seg_assigned` has it and the band key as `o<n>`.
 */
export interface BandParts {
  /** The value to band, over the view's row: text for categories, DOUBLE for numbers; NULL = empty. */
  value: string;
  /**
   * Columns computed over the view's rows before `value` (each may use the ones before it), for
   * a value that would otherwise repeat a costly step: an address's province and city.
   */
  prepare?: { name: string; sql: string }[];
  /** CTEs over `seg_rows` (statistics the bands need). */
  ctes: string[];
  /** Joins adding those statistics to `seg_rows` (alias r). */
  joins: string[];
  /** The band key (INTEGER, in band order; empty = last) over r and the joined statistics. */
  key: string;
  /** A SELECT of (ord, label) for every band, reading the CTEs and `seg_assigned`. */
  list: string;
}

/**
 * The SQL pieces grouping by one band spec (see `BandParts`); throws on a spec `validateBand`
 * rejects. Used by `attributeSegmentSql`.
 */
export function bandExpr(spec: BandSpec, n: 1 | 2 | 3, columns: readonly ColumnInfo[]): BandParts {
  const problems = validateBand(spec, columns);
  if (problems.length) throw new Error(problems[0]);
  const col = findColumn(columns, spec.column) as ColumnInfo;
  const kind = columnKind(col.type);
  const v = `v${n}`;
  const o = `o${n}`;
  const missing = `SELECT ${num(EMPTY_ORD)}, ${str(EMPTY_LABEL)} WHERE EXISTS (SELECT 1 FROM seg_assigned WHERE ${o} = ${num(EMPTY_ORD)})`;
  if (spec.kind === 'category') {
    const minShare = spec.minShare ?? 0.01;
    const maxGroups = spec.maxGroups ?? 20;
    const keep = `b${n}_keep`;
    const address = spec.derive ? addressParts(spec.column, spec.derive, n) : null;
    return {
      ...(address ? { prepare: address.prepare } : {}),
      // Whole numbers of any numeric type read as "1", not "1.0".
      value: address ? address.value : isNumericKind(kind)
        ? `CASE WHEN ${emptySql(spec.column, kind)} THEN NULL WHEN ${ident(spec.column)} = trunc(${ident(spec.column)}) THEN CAST(TRY_CAST(${ident(spec.column)} AS HUGEINT) AS VARCHAR) ELSE CAST(${ident(spec.column)} AS VARCHAR) END`
        : `CASE WHEN ${emptySql(spec.column, kind)} THEN NULL ELSE CAST(${ident(spec.column)} AS VARCHAR) END`,
      ctes: [
        `${keep} AS (
  SELECT value, CAST(row_number() OVER (ORDER BY ${isNumericKind(kind) ? 'TRY_CAST(value AS DOUBLE), value' : 'rank'}) AS INTEGER) AS ord FROM (
    SELECT ${v} AS value, row_number() OVER (ORDER BY count(*) DESC, ${v}) AS rank
    FROM seg_rows
    WHERE ${v} IS NOT NULL
    GROUP BY ${v}
    QUALIFY rank <= ${num(maxGroups)} AND count(*) >= ${num(minShare)} * (SELECT count(${v}) FROM seg_rows)
  )
)`,
      ],
      joins: [`LEFT JOIN ${keep} k${n} ON k${n}.value = r.${v}`],
      key: `CASE WHEN r.${v} IS NULL THEN ${num(EMPTY_ORD)} WHEN k${n}.ord IS NULL THEN ${num(OTHER_ORD)} ELSE k${n}.ord END`,
      list: `SELECT ord, value AS label FROM ${keep}
  UNION ALL SELECT ${num(OTHER_ORD)}, ${str(OTHER_LABEL)} WHERE EXISTS (SELECT 1 FROM seg_assigned WHERE ${o} = ${num(OTHER_ORD)})
  UNION ALL ${missing}`,
    };
  }
  const value = `TRY_CAST(${ident(spec.column)} AS DOUBLE)`;
  if (spec.kind === 'breaks') {
    const labels = breakLabels(spec.breaks, kind === 'integer');
    const above = spec.breaks.map((b) => `CAST(r.${v} >= ${num(b)} AS INTEGER)`).join(' + ');
    return {
      value,
      ctes: [],
      joins: [],
      key: `CASE WHEN r.${v} IS NULL THEN ${num(EMPTY_ORD)} ELSE ${above} END`,
      list: `SELECT * FROM (VALUES ${labels.map((l, i) => `(${num(i)}, ${str(l)})`).join(', ')})\n  UNION ALL ${missing}`,
    };
  }
  const bins = spec.bins;
  if (spec.kind === 'equal-width') {
    const range = `b${n}_range`;
    const edge = (k: string) => `${range}.lo + ${k} * (${range}.hi - ${range}.lo) / ${num(bins)}`;
    const above = Array.from({ length: bins - 1 }, (_, i) => `CAST(r.${v} >= ${edge(num(i + 1))} AS INTEGER)`);
    return {
      value,
      ctes: [`${range} AS (SELECT min(${v}) AS lo, max(${v}) AS hi FROM seg_rows)`],
      joins: [`CROSS JOIN ${range}`],
      key: `CASE WHEN r.${v} IS NULL THEN ${num(EMPTY_ORD)} WHEN ${range}.hi = ${range}.lo THEN 0 ELSE ${above.length ? above.join(' + ') : '0'} END`,
      list: `SELECT CAST(k AS INTEGER) AS ord,
    CASE WHEN ${range}.hi = ${range}.lo THEN ${formatNumberSql(`${range}.lo`)}
      ELSE ${formatNumberSql(edge('k'))} || '–' || ${formatNumberSql(`CASE WHEN k = ${num(bins - 1)} THEN ${range}.hi ELSE ${edge('(k + 1)')} END`)} END AS label
  FROM ${range} CROSS JOIN range(0, CASE WHEN ${range}.hi = ${range}.lo THEN 1 ELSE ${num(bins)} END) AS t(k)
  WHERE ${range}.lo IS NOT NULL
  UNION ALL ${missing}`,
    };
  }
  // Quantile bands.
  const cuts = `b${n}_cuts`;
  const edges = Array.from({ length: bins - 1 }, (_, i) => i + 1);
  const edgeAt = (k: number) => `s[${num(k)} * (n // ${num(bins)}) + least(${num(k)}, n % ${num(bins)}) + 1] AS e${k}`;
  return {
    value,
    ctes: [
      `${cuts} AS (
  SELECT ${edges.length ? edges.map(edgeAt).join(', ') : '0 AS e0'}, d, len(d) <= ${num(bins + 1)} AS each_value
  FROM (
    SELECT list_sort(list(${v}) FILTER (WHERE ${v} IS NOT NULL)) AS s, count(${v}) AS n,
      list_sort(list_distinct(list(${v}) FILTER (WHERE ${v} IS NOT NULL))) AS d
    FROM seg_rows
  )
)`,
    ],
    joins: [`CROSS JOIN ${cuts}`],
    // An edge past the last value (fewer values than bands) is NULL and adds nothing.
    key: `CASE WHEN r.${v} IS NULL THEN ${num(EMPTY_ORD)} WHEN ${cuts}.each_value THEN CAST(list_position(${cuts}.d, r.${v}) AS INTEGER) ELSE ${edges.length ? edges.map((k) => `coalesce(CAST(r.${v} >= ${cuts}.e${k} AS INTEGER), 0)`).join(' + ') : '0'} END`,
    list: `SELECT ${o} AS ord,
    CASE WHEN min(${v}) = max(${v}) THEN ${formatNumberSql(`min(${v})`)} ELSE ${formatNumberSql(`min(${v})`)} || '–' || ${formatNumberSql(`max(${v})`)} END AS label
  FROM seg_assigned WHERE ${o} <> ${num(EMPTY_ORD)} GROUP BY ${o}
  UNION ALL ${missing}`,
  };
}

/** The columns and value of a band by an address's province or city (see cn-address-sql.ts). */
function addressParts(column: string, part: CnAddressPart, n: number): { prepare: { name: string; sql: string }[]; value: string } {
  const a = `__cn_address_${n}`;
  const p = `__cn_province_${n}`;
  const c = `__cn_city_${n}`;
  const prepare = [
    { name: a, sql: cnAddressInputSql(ident(column)) },
    { name: p, sql: cnProvinceSql(a) },
    ...(part === 'city' ? [{ name: c, sql: cnCitySql(a, p) }] : []),
  ];
  return { prepare, value: part === 'city' ? c : p };
}

/**
 * The rows the bands read: `view`, or a subquery over it per column the bands prepare (an
 * address's normalised text, province, city), each computed once per row.
 */
export function bandRowsSql(view: string, parts: readonly Pick<BandParts, 'prepare'>[]): string {
  let from = ident(view);
  let i = 0;
  for (const col of parts.flatMap((p) => p.prepare ?? [])) {
    i += 1;
    from = `(SELECT *, ${col.sql} AS ${col.name}\n  FROM ${from}) AS seg_prep_${i}`;
  }
  return from;
}

/**
 * The CTEs that put each row of `view` in its bands: seg_rows (v1.. and the `carried` columns,
 * each 'expression AS name'), the bands' own CTEs, seg_assigned (v1.., o1.. the band positions,
 * and the carried names) and b1_bands.. (ord, label, band_order).
 */
export function bandAssignmentCtes(view: string, parts: readonly BandParts[], carried: readonly { sql: string; name: string }[]): string[] {
  const ns = parts.map((_, i) => i + 1);
  return [
    `seg_rows AS (\n  SELECT ${parts.map((p, i) => `${p.value} AS v${i + 1}`).join(', ')}, ${carried.map((c) => `${c.sql} AS ${c.name}`).join(', ')}\n  FROM ${bandRowsSql(view, parts)}\n)`,
    ...parts.flatMap((p) => p.ctes),
    `seg_assigned AS (
  SELECT ${ns.map((i) => `r.v${i}, ${parts[i - 1].key} AS o${i}`).join(', ')}, ${carried.map((c) => `r.${c.name}`).join(', ')}
  FROM seg_rows r
  ${parts.flatMap((p) => p.joins).join('\n  ')}
)`,
    ...parts.map((p, i) => `b${i + 1}_bands AS (
  SELECT ord, label, CAST(row_number() OVER (ORDER BY ord) AS INTEGER) AS band_order FROM (
  ${p.list}
  ) AS t(ord, label)
)`),
  ];
}

/**
 * Customers of a view grouped by one band spec, or by a pair (a cross-tab). Rows:
 * band_1, band_1_order (1.. in band order) [, band_2, band_2_order, share_in_band_1 (customers /
 * customers of the band_1 row)], customers, share_customers, revenue, share_revenue,
 * revenue_per_customer, avg_order_value; ordered by band_1_order [, band_2_order]. See the module
 * comment for the rules. Throws with a readable message on a spec `validateBand` rejects.
 */
export function attributeSegmentSql(view: string, bands: readonly BandSpec[], measures: BandMeasures, columns: readonly ColumnInfo[]): string {
  if (bands.length !== 1 && bands.length !== 2) throw new Error(t('msg.band.oneOrTwo', { n: bands.length }));
  for (const m of [measures.revenue, measures.orders ?? null]) {
    if (m !== null && !findColumn(columns, m)) throw new Error(t('msg.seg.notInView', { column: m }));
  }
  const parts = bands.map((b, i) => bandExpr(b, (i + 1) as 1 | 2, columns));
  const two = parts.length === 2;
  const revenue = measures.revenue ? `CAST(${ident(measures.revenue)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const orders = measures.orders ? `CAST(${ident(measures.orders)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  const ns = parts.map((_, i) => i + 1);
  const ctes = [
    ...bandAssignmentCtes(view, parts, [{ sql: revenue, name: 'revenue' }, { sql: orders, name: 'orders' }]),
    `seg_counts AS (
  SELECT ${ns.map((i) => `o${i}`).join(', ')}, count(*) AS customers, sum(revenue) AS revenue, sum(orders) AS orders
  FROM seg_assigned GROUP BY ${ns.map((i) => `o${i}`).join(', ')}
)`,
    `seg_totals AS (SELECT count(*) AS customers, sum(revenue) AS revenue FROM seg_assigned)`,
  ];
  const customers = 'coalesce(c.customers, 0)';
  const rev = measures.revenue ? 'coalesce(c.revenue, 0)' : 'CAST(NULL AS DOUBLE)';
  const select = [
    'b1.label AS band_1',
    'b1.band_order AS band_1_order',
    ...(two ? ['b2.label AS band_2', 'b2.band_order AS band_2_order', `${customers} / nullif(sum(${customers}) OVER (PARTITION BY b1.ord), 0) AS share_in_band_1`] : []),
    `${customers} AS customers`,
    `${customers} / nullif(t.customers, 0) AS share_customers`,
    `${rev} AS revenue`,
    `${rev} / nullif(t.revenue, 0) AS share_revenue`,
    `c.revenue / nullif(c.customers, 0) AS revenue_per_customer`,
    `c.revenue / nullif(c.orders, 0) AS avg_order_value`,
  ];
  return `WITH
${ctes.join(',\n')}
SELECT ${select.join(',\n  ')}
FROM b1_bands b1${two ? '\nCROSS JOIN b2_bands b2' : ''}
LEFT JOIN seg_counts c ON c.o1 = b1.ord${two ? ' AND c.o2 = b2.ord' : ''}
CROSS JOIN seg_totals t
ORDER BY b1.band_order${two ? ', b2.band_order' : ''}`;
}
