/**
 * Rates by group (issue 14): the share of rows where COLUMN = VALUE (churn rate, repeat rate,
 * share with a low review) within groups of one to three band specs, with the base (rows that have
 * a value in COLUMN) per group, a 95 % Wilson score interval, and a flag for groups too small to
 * trust. Grouping follows `attributeSegmentSql` (same bands, labels and order; every combination
 * listed, empty ones with base 0).
 *
 * - hit: the row's value of COLUMN, as text, equals VALUE; whole numbers read as "1" (not "1.0"),
 *   booleans as "true"/"false". Rows whose COLUMN is empty (NULL, blank text) are not in the base.
 * - rate = hits / base (NULL when base = 0).
 * - Wilson interval (z = 1.96): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
 * - small: base < minBase.
 */
import { ident, num, str } from '../sql/quote';
import { bandAssignmentCtes, bandExpr, type BandSpec } from './attribute-bands';
import { columnKind, emptySql, findColumn, isNumericKind, type ColumnInfo } from './column-kinds';
import { t } from '../i18n';

/** Which share to measure. */
export interface RateSpec {
  /** The column whose value is counted. */
  column: string;
  /** The value counted (as text, see the module comment). */
  value: string;
  /** Groups with a smaller base are flagged small (greyed). */
  minBase: number;
}

/** z of a two-sided 95 % interval. */
export const WILSON_Z = 1.959963984540054;

/** Groups smaller than this are flagged by default. */
export const DEFAULT_MIN_BASE = 30;

/** A row of `attributeRateSql`. */
export interface RateRow {
  band_1: string;
  band_1_order: number;
  band_2?: string;
  band_2_order?: number;
  band_3?: string;
  band_3_order?: number;
  rows: number;
  base: number;
  hits: number;
  rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  small: boolean;
}

/** A column's value as text for matching a rate value: whole numbers without ".0". */
export function valueTextSql(column: ColumnInfo): string {
  const c = ident(column.name);
  const kind = columnKind(column.type);
  if (isNumericKind(kind)) return `CASE WHEN ${c} = trunc(${c}) THEN CAST(TRY_CAST(${c} AS HUGEINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
  return `CAST(${c} AS VARCHAR)`;
}

/** Problems with a rate spec against the columns, as messages a user can act on (keys and params for the catalogue). */
export function validateRate(rate: RateSpec, bands: readonly BandSpec[], columns: readonly ColumnInfo[]): { key: 'seg.rate.err.column' | 'seg.rate.err.value' | 'seg.rate.err.bands' | 'seg.rate.err.minBase'; params?: Record<string, string | number> }[] {
  const problems: ReturnType<typeof validateRate> = [];
  if (!findColumn(columns, rate.column)) problems.push({ key: 'seg.rate.err.column', params: { column: rate.column } });
  if (rate.value === '') problems.push({ key: 'seg.rate.err.value', params: { column: rate.column } });
  if (bands.length < 1 || bands.length > 3) problems.push({ key: 'seg.rate.err.bands' });
  if (!(Number.isInteger(rate.minBase) && rate.minBase >= 0)) problems.push({ key: 'seg.rate.err.minBase' });
  return problems;
}

/** One SELECT of `RateRow`s for `view` grouped by 1–3 band specs (see the module comment). */
export function attributeRateSql(view: string, bands: readonly BandSpec[], rate: RateSpec, columns: readonly ColumnInfo[]): string {
  if (bands.length < 1 || bands.length > 3) throw new Error(t('msg.band.oneToThree', { n: bands.length }));
  const target = findColumn(columns, rate.column);
  if (!target) throw new Error(t('msg.seg.notInView', { column: rate.column }));
  const parts = bands.map((b, i) => bandExpr(b, (i + 1) as 1 | 2 | 3, columns));
  const ns = parts.map((_, i) => i + 1);
  const z = num(WILSON_Z);
  const hit = `CASE WHEN ${emptySql(target.name, columnKind(target.type))} THEN NULL WHEN ${valueTextSql(target)} = ${str(rate.value)} THEN 1 ELSE 0 END`;
  const ctes = [
    ...bandAssignmentCtes(view, parts, [{ sql: hit, name: 'hit' }]),
    `rate_counts AS (
  SELECT ${ns.map((i) => `o${i}`).join(', ')}, count(*) AS n_rows, count(hit) AS base, coalesce(sum(hit), 0) AS hits
  FROM seg_assigned GROUP BY ${ns.map((i) => `o${i}`).join(', ')}
)`,
    `rate_groups AS (
  SELECT ${ns.map((i) => `b${i}.label AS band_${i}, b${i}.band_order AS band_${i}_order`).join(', ')},
    CAST(coalesce(c.n_rows, 0) AS BIGINT) AS rows, CAST(coalesce(c.base, 0) AS BIGINT) AS base, CAST(coalesce(c.hits, 0) AS BIGINT) AS hits
  FROM ${ns.map((i) => `b${i}_bands b${i}`).join(' CROSS JOIN ')}
  LEFT JOIN rate_counts c ON ${ns.map((i) => `c.o${i} = b${i}.ord`).join(' AND ')}
)`,
  ];
  const p = 'CAST(hits AS DOUBLE) / base';
  const n = 'CAST(base AS DOUBLE)';
  return `WITH
${ctes.join(',\n')}
SELECT *,
  CASE WHEN base > 0 THEN ${p} END AS rate,
  CASE WHEN base > 0 THEN (${p} + ${z} * ${z} / (2 * ${n}) - ${z} * sqrt(${p} * (1 - ${p}) / ${n} + ${z} * ${z} / (4 * ${n} * ${n}))) / (1 + ${z} * ${z} / ${n}) END AS ci_low,
  CASE WHEN base > 0 THEN (${p} + ${z} * ${z} / (2 * ${n}) + ${z} * sqrt(${p} * (1 - ${p}) / ${n} + ${z} * ${z} / (4 * ${n} * ${n}))) / (1 + ${z} * ${z} / ${n}) END AS ci_high,
  base < ${num(rate.minBase)} AS small
FROM rate_groups
ORDER BY ${ns.map((i) => `band_${i}_order`).join(', ')}`;
}

/** The most frequent values of `column` in `relation` as the rate matches them (text, whole numbers without ".0"): rows (value). */
export function rateValuesSql(relation: string, column: ColumnInfo, limit = 50): string {
  return `SELECT value FROM (
  SELECT ${valueTextSql(column)} AS value, count(*) AS n FROM ${ident(relation)} WHERE ${ident(column.name)} IS NOT NULL GROUP BY 1
)
ORDER BY n DESC, value
LIMIT ${num(limit)}`;
}

const RATE_COLUMN = /churn|attrition|cancel|流失|退订|复购|repeat/i;
const RATE_VALUE = /^(yes|true|1|是|y)$/i;

/** A column named like an outcome a rate measures (churn, cancel, repeat): kept free for the rate rather than grouped by. */
export function isOutcomeColumn(name: string): boolean {
  return RATE_COLUMN.test(name);
}

/** The column a new rate starts with: one named like churn, else the first boolean, else the first of `candidates`. */
export function defaultRateColumn(candidates: readonly ColumnInfo[]): ColumnInfo | undefined {
  return candidates.find((c) => RATE_COLUMN.test(c.name)) ?? candidates.find((c) => columnKind(c.type) === 'boolean') ?? candidates[0];
}

/** The value a new rate counts among a column's values (most frequent first): Yes/true/1/是 when present, else the rarer of two, else the first. */
export function defaultRateValue(values: readonly string[]): string {
  return values.find((v) => RATE_VALUE.test(v)) ?? (values.length === 2 ? values[1] : (values[0] ?? ''));
}
