/**
 * The chart cell's spec: which table, which mark, which columns play which role, how values are
 * aggregated. Pure data plus validation against the source's columns and a sensible default.
 */
import { t } from '../i18n';

/** The kinds of chart a chart cell can draw. */
export type ChartMark = 'bar' | 'line' | 'scatter' | 'histogram' | 'area' | 'heatmap';

/** How rows are summarised per x (and colour) group. */
export type Aggregate = 'count' | 'sum' | 'avg' | 'median' | 'min' | 'max' | 'count_distinct';

/** Display order of bar categories (line and area are always ordered by x). */
export type ChartSort = 'x' | 'value-desc' | 'value-asc';

/**
 * A chart cell's settings. Column roles by mark:
 * - bar, line, area: `x` groups, `y` is aggregated with `aggregate` (`count` may leave `y` null), `color` splits series;
 * - scatter: raw `x` and `y` points, optional `color` (numeric → continuous, otherwise categories);
 * - histogram: `x` binned into `bins` equal-width bins, rows counted (`y` and `aggregate` are ignored);
 * - heatmap: `x` and `y` are categories; each cell is `count(*)`, or `aggregate(color)` when `color` is set.
 * `limit` caps bar/heatmap categories (default 50), line/area points (5000) and scatter samples (5000).
 */
export interface ChartSpec {
  source: string;
  mark: ChartMark;
  x: string | null;
  y: string | null;
  color: string | null;
  aggregate: Aggregate;
  bins?: number;
  sort?: ChartSort;
  limit?: number;
}

/** A column of the source as DuckDB describes it (`DESCRIBE` column_name / column_type). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** What a column type means for a chart axis. */
export type ColumnKind = 'numeric' | 'temporal' | 'boolean' | 'text' | 'other';

/** All marks, in the order a picker shows them. */
export const CHART_MARKS: readonly ChartMark[] = ['bar', 'line', 'area', 'scatter', 'histogram', 'heatmap'];

/** All aggregates, in the order a picker shows them. */
export const AGGREGATES: readonly Aggregate[] = ['count', 'sum', 'avg', 'median', 'min', 'max', 'count_distinct'];

/** Default number of histogram bins. */
export const DEFAULT_BINS = 30;
/** Largest accepted `bins`. */
export const MAX_BINS = 500;
/** Largest accepted `limit`. */
export const MAX_LIMIT = 20_000;
/** Colour groups shown before the rest fold into `Other`. */
export const MAX_COLORS = 10;

const DEFAULT_LIMIT: Record<ChartMark, number> = {
  bar: 50,
  heatmap: 50,
  line: 5000,
  area: 5000,
  scatter: 5000,
  histogram: 0,
};

/** The category cap (bar, heatmap), point cap (line, area) or sample size (scatter) in effect. */
export function effectiveLimit(spec: ChartSpec): number {
  return spec.limit ?? DEFAULT_LIMIT[spec.mark];
}

/** The number of histogram bins in effect. */
export function effectiveBins(spec: ChartSpec): number {
  return spec.bins ?? DEFAULT_BINS;
}

/** Classifies a DuckDB type name (as `DESCRIBE` prints it). Lists, structs, maps and arrays are `other`. */
export function columnKind(type: string): ColumnKind {
  const t = type.trim().toUpperCase();
  if (/[[\]]/.test(t) || /^(STRUCT|MAP|UNION)\b/.test(t)) return 'other';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]?|LONG|SHORT|FLOAT[48]?|REAL|DOUBLE|DECIMAL|NUMERIC|VARINT|BIGNUM)\b/.test(t)) return 'numeric';
  if (/^(DATE|DATETIME|TIMESTAMP(_S|_MS|_NS|TZ)?)\b/.test(t)) return 'temporal';
  if (/^(BOOLEAN|BOOL|LOGICAL)$/.test(t)) return 'boolean';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|NVARCHAR)\b/.test(t)) return 'text';
  return 'other';
}

/** Whether a type holds whole numbers or whole days (histogram bins then get whole-unit widths). */
export function isDiscreteType(type: string): boolean {
  const t = type.trim().toUpperCase();
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]?|LONG|SHORT|DATE)$/.test(t);
}

/** Whether the aggregate's result is a number whatever the input (as opposed to min/max of a date). */
function needsNumericY(agg: Aggregate): boolean {
  return agg === 'sum' || agg === 'avg' || agg === 'median';
}

function findColumn(columns: ColumnInfo[], name: string): ColumnInfo | undefined {
  return columns.find((c) => c.name === name);
}

/** Checks the aggregate against its input column (`role` names the column in messages). */
function checkAggregate(agg: Aggregate, col: ColumnInfo | undefined, role: 'y' | 'color'): string | null {
  if (agg === 'count') return null;
  const params = { aggregate: t(`chart.agg.${agg}`), role: t(`msg.chart.role.${role}`) };
  const minMax = agg === 'min' || agg === 'max';
  if (!col) return t(needsNumericY(agg) ? 'msg.chart.aggNeedsNumeric' : minMax ? 'msg.chart.aggNeedsNumericOrDate' : 'msg.chart.aggNeedsColumn', params);
  const kind = columnKind(col.type);
  if (needsNumericY(agg) && kind !== 'numeric') return t('msg.chart.aggNeedsNumeric', params);
  if (minMax && kind !== 'numeric' && kind !== 'temporal') return t('msg.chart.aggNeedsNumericOrDate', params);
  return null;
}

const markName = (mark: ChartMark) => t(`chart.mark.${mark}`);

/**
 * Checks a spec against the source's columns. Returns a short description (in the interface language) of the first
 * problem (e.g. `x column "foo" does not exist`, `sum needs a numeric y column`), or null when valid.
 */
export function validateChartSpec(spec: ChartSpec, columns: ColumnInfo[]): string | null {
  if (!spec.source || !spec.source.trim()) return t('msg.chart.noSource');
  if (!CHART_MARKS.includes(spec.mark)) return t('msg.chart.unknownMark', { mark: String(spec.mark) });
  if (!AGGREGATES.includes(spec.aggregate)) return t('msg.chart.unknownAggregate', { aggregate: String(spec.aggregate) });
  for (const role of ['x', 'y', 'color'] as const) {
    const name = spec[role];
    if (name !== null && name !== undefined && !findColumn(columns, name)) return t('msg.chart.noColumn', { role: t(`msg.chart.role.${role}`), name });
  }
  if (spec.bins !== undefined && (!Number.isInteger(spec.bins) || spec.bins < 1 || spec.bins > MAX_BINS)) {
    return t('msg.chart.bins', { max: MAX_BINS });
  }
  if (spec.limit !== undefined && (!Number.isInteger(spec.limit) || spec.limit < 1 || spec.limit > MAX_LIMIT)) {
    return t('msg.chart.limit', { max: MAX_LIMIT });
  }
  if (spec.sort !== undefined && !['x', 'value-desc', 'value-asc'].includes(spec.sort)) return t('msg.chart.unknownSort', { sort: String(spec.sort) });

  const x = spec.x === null ? undefined : findColumn(columns, spec.x);
  const y = spec.y === null ? undefined : findColumn(columns, spec.y);
  const color = spec.color === null ? undefined : findColumn(columns, spec.color);
  const isAxis = (c: ColumnInfo) => ['numeric', 'temporal'].includes(columnKind(c.type));

  switch (spec.mark) {
    case 'bar':
    case 'line':
    case 'area':
      if (!x) return t('msg.chart.needsX', { mark: markName(spec.mark) });
      return checkAggregate(spec.aggregate, y, 'y');
    case 'scatter':
      if (!x || !isAxis(x)) return t('msg.chart.needsAxis', { mark: markName('scatter'), role: 'x' });
      if (!y || !isAxis(y)) return t('msg.chart.needsAxis', { mark: markName('scatter'), role: 'y' });
      return null;
    case 'histogram':
      if (!x || !isAxis(x)) return t('msg.chart.needsAxis', { mark: markName('histogram'), role: 'x' });
      return null;
    case 'heatmap':
      if (!x) return t('msg.chart.needsColumn', { mark: markName('heatmap'), role: 'x' });
      if (!y) return t('msg.chart.needsColumn', { mark: markName('heatmap'), role: 'y' });
      return checkAggregate(spec.aggregate, color, 'color');
  }
}

const ID_LIKE = /(^|[_\s-])(id|uuid|guid|key|email|phone|name)$|^(id|编号|客户编号|手机|电话|邮箱|姓名)$/i;

/**
 * A sensible first chart for a table: a bar chart counting rows per category when there is a
 * text or boolean column, otherwise a histogram of the first numeric or date column.
 */
export function defaultChartSpec(source: string, columns: ColumnInfo[]): ChartSpec {
  const base: ChartSpec = { source, mark: 'bar', x: null, y: null, color: null, aggregate: 'count' };
  const usable = columns.filter((c) => !ID_LIKE.test(c.name));
  const pool = usable.length ? usable : columns;
  const of = (...kinds: ColumnKind[]) => pool.find((c) => kinds.includes(columnKind(c.type)));
  const category = of('text', 'boolean');
  if (category) return { ...base, x: category.name, sort: 'value-desc' };
  const measure = of('numeric') ?? of('temporal');
  if (measure) return { ...base, mark: 'histogram', x: measure.name };
  const any = pool[0];
  return any ? { ...base, x: any.name } : base;
}
