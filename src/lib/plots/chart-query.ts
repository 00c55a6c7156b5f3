/**
 * The SQL behind a chart cell: a pure function from spec to a query whose result is small enough
 * to cross the worker boundary (aggregates, bins or a fixed-size sample — never the table).
 *
 * Output columns have fixed names so the plot builder never depends on user column names:
 * - bar, line, area (`aggregated`): `x`, `y`, [`color`], `truncated` — the number of x groups not shown
 *   (same value on every row; 0 when nothing was cut);
 * - heatmap (`aggregated`): `x`, `y`, `value`, `truncated` — x plus y categories not shown;
 * - scatter (`sampled`): `x`, `y`, [`color`], `total` — the number of plottable rows before sampling;
 * - histogram (`binned`): `x1`, `x2` (bin start inclusive, end exclusive; the last bin includes the max),
 *   `y` (row count), [`color`].
 * Numbers come back as DOUBLE (so DECIMAL, HUGEINT and BIGINT arrive as plain JS numbers); dates and
 * timestamps stay DATE / TIMESTAMP (epoch milliseconds at UTC in Arrow); other types become text.
 * Rows whose x (or scatter/heatmap y) is NULL are left out; a NULL colour becomes the group `(null)`.
 */
import { ident, num, str } from '../sql/quote';
import {
  columnKind,
  effectiveBins,
  effectiveLimit,
  isDiscreteType,
  MAX_COLORS,
  validateChartSpec,
  type Aggregate,
  type ChartSpec,
  type ColumnInfo,
} from './chart-spec';

/** What the result rows are: one row per group, a sample of raw points, or one row per bin. */
export type ChartShape = 'aggregated' | 'sampled' | 'binned';

/** A chart's SQL and the shape of its result. */
export interface ChartQuery {
  sql: string;
  shape: ChartShape;
}

/** Label of the colour group that collects every colour beyond the first ten. */
export const OTHER_COLOR = 'Other';
/** Label of the colour group for rows whose colour is NULL. */
export const NULL_COLOR = '(null)';
/** Seed of the scatter sample, so the same table always gives the same points. */
export const SAMPLE_SEED = 42;

const DAY_MS = 86_400_000;

/**
 * Builds the SQL for a chart. Throws `invalid chart: …` when the spec does not fit the columns
 * (see `validateChartSpec`).
 */
export function chartQuery(spec: ChartSpec, columns: ColumnInfo[]): ChartQuery {
  const problem = validateChartSpec(spec, columns);
  if (problem) throw new Error(`invalid chart: ${problem}`);
  const column = (name: string | null): ColumnInfo | null =>
    name === null ? null : (columns.find((c) => c.name === name) ?? null);
  const x = column(spec.x)!;
  const y = column(spec.y);
  const color = column(spec.color);
  switch (spec.mark) {
    case 'bar':
    case 'line':
    case 'area':
      return { sql: groupedSql(spec, x, y, color), shape: 'aggregated' };
    case 'heatmap':
      return { sql: heatmapSql(spec, x, y!, color), shape: 'aggregated' };
    case 'scatter':
      return { sql: scatterSql(spec, x, y!, color), shape: 'sampled' };
    case 'histogram':
      return { sql: histogramSql(spec, x, color), shape: 'binned' };
  }
}

/** A column as output: numbers as DOUBLE, dates/text/booleans as they are, anything else as text. */
function outExpr(c: ColumnInfo): string {
  const kind = columnKind(c.type);
  if (kind === 'numeric') return `CAST(${ident(c.name)} AS DOUBLE)`;
  if (kind === 'other') return `CAST(${ident(c.name)} AS VARCHAR)`;
  return ident(c.name);
}

/** A colour column as a category label: text, NULL shown as `(null)`. */
function colorLabelExpr(c: ColumnInfo): string {
  return `coalesce(CAST(${ident(c.name)} AS VARCHAR), ${str(NULL_COLOR)})`;
}

/** A filter keeping rows where the column is a finite value (no NULL, NaN or ±infinity). */
function finiteExpr(c: ColumnInfo): string {
  const kind = columnKind(c.type);
  if (kind === 'numeric') return `isfinite(CAST(${ident(c.name)} AS DOUBLE))`;
  if (kind === 'temporal') return `isfinite(${ident(c.name)})`;
  return `${ident(c.name)} IS NOT NULL`;
}

/** `agg(arg)` as SQL; numeric results are cast to DOUBLE, min/max of dates stay dates. */
function aggregateExpr(agg: Aggregate, arg: string | null, argType: string | null): string {
  let e: string;
  if (agg === 'count') e = arg ? `count(${arg})` : 'count(*)';
  else if (agg === 'count_distinct') e = `count(DISTINCT ${arg})`;
  else e = `${agg}(${arg})`;
  const temporal = argType !== null && columnKind(argType) === 'temporal';
  return (agg === 'min' || agg === 'max') && temporal ? e : `CAST(${e} AS DOUBLE)`;
}

/**
 * CTEs `colors` (each colour's rank by `rankExpr`) and `folded` (`base` with every colour past the
 * first ten renamed `Other`). Folding happens on rows, before aggregating, so avg/median stay right.
 */
function colorCtes(rankExpr: string): string[] {
  return [
    `colors AS (\n  SELECT color, row_number() OVER (ORDER BY ${rankExpr} DESC NULLS LAST, color) AS color_rank\n  FROM base GROUP BY color\n)`,
    `folded AS (\n  SELECT base.* REPLACE (CASE WHEN colors.color_rank <= ${num(MAX_COLORS)} THEN base.color ELSE ${str(OTHER_COLOR)} END AS color)\n  FROM base JOIN colors USING (color)\n)`,
  ];
}

function withClause(ctes: string[]): string {
  return `WITH ${ctes.join(',\n')}\n`;
}

/** Colours are ranked by their share of a sum, otherwise by row count. */
function colorRank(spec: ChartSpec): string {
  return spec.aggregate === 'sum' && spec.y !== null ? 'sum(y)' : 'count(*)';
}

/** bar / line / area: one row per x (and colour) with the aggregate; bars keep the `limit` largest x. */
function groupedSql(spec: ChartSpec, x: ColumnInfo, y: ColumnInfo | null, color: ColumnInfo | null): string {
  const limit = effectiveLimit(spec);
  const isBar = spec.mark === 'bar';
  const value = aggregateExpr(spec.aggregate, y ? 'y' : null, y?.type ?? null);
  const baseCols = [`${outExpr(x)} AS x`];
  if (y) baseCols.push(`${ident(y.name)} AS y`);
  if (color) baseCols.push(`${colorLabelExpr(color)} AS color`);
  const ctes = [`base AS (\n  SELECT ${baseCols.join(', ')}\n  FROM ${ident(spec.source)}\n  WHERE ${ident(x.name)} IS NOT NULL\n)`];
  // Bars keep the x groups with the largest values; lines and areas keep the first x values.
  const keep = isBar ? 'value DESC NULLS LAST, x' : 'x';
  ctes.push(
    `xs AS (\n  SELECT x, value, row_number() OVER (ORDER BY ${keep}) AS x_rank, count(*) OVER () AS x_groups\n` +
      `  FROM (SELECT x, ${value} AS value FROM base GROUP BY x)\n)`,
  );
  const sort = isBar ? (spec.sort ?? 'value-desc') : 'x';
  const order = (xCol: string) =>
    sort === 'x' ? xCol : `xs.value ${sort === 'value-desc' ? 'DESC' : 'ASC'} NULLS LAST, ${xCol}`;
  const truncated = `CAST(greatest(xs.x_groups - ${num(limit)}, 0) AS DOUBLE) AS truncated`;
  if (!color) {
    return `${withClause(ctes)}SELECT x, value AS y, ${truncated}\nFROM xs\nWHERE x_rank <= ${num(limit)}\nORDER BY ${order('x')}`;
  }
  ctes.push(...colorCtes(colorRank(spec)));
  ctes.push(`g AS (\n  SELECT x, color, ${value} AS y\n  FROM folded GROUP BY x, color\n)`);
  return (
    `${withClause(ctes)}SELECT g.x, g.y, g.color, ${truncated}\nFROM g JOIN xs ON g.x = xs.x\n` +
    `WHERE xs.x_rank <= ${num(limit)}\nORDER BY ${order('g.x')}, g.color`
  );
}

/** heatmap: one row per (x, y) cell among the `limit` most frequent x and y categories. */
function heatmapSql(spec: ChartSpec, x: ColumnInfo, y: ColumnInfo, color: ColumnInfo | null): string {
  const limit = num(effectiveLimit(spec));
  const baseCols = [`${outExpr(x)} AS x`, `${outExpr(y)} AS y`];
  if (color) baseCols.push(`${ident(color.name)} AS v`);
  const value = aggregateExpr(spec.aggregate, color ? 'v' : null, color?.type ?? null);
  const rank = (axis: 'x' | 'y') =>
    `${axis}s AS (\n  SELECT ${axis}, row_number() OVER (ORDER BY count(*) DESC, ${axis}) AS ${axis}_rank, count(*) OVER () AS ${axis}_groups\n  FROM base GROUP BY ${axis}\n)`;
  const ctes = [
    `base AS (\n  SELECT ${baseCols.join(', ')}\n  FROM ${ident(spec.source)}\n  WHERE ${ident(x.name)} IS NOT NULL AND ${ident(y.name)} IS NOT NULL\n)`,
    rank('x'),
    rank('y'),
  ];
  return (
    `${withClause(ctes)}SELECT base.x, base.y, ${value} AS value,\n` +
    `  CAST(greatest(max(xs.x_groups) - ${limit}, 0) + greatest(max(ys.y_groups) - ${limit}, 0) AS DOUBLE) AS truncated\n` +
    `FROM base JOIN xs ON base.x = xs.x JOIN ys ON base.y = ys.y\n` +
    `WHERE xs.x_rank <= ${limit} AND ys.y_rank <= ${limit}\n` +
    `GROUP BY base.x, base.y\nORDER BY base.x, base.y`
  );
}

/**
 * scatter: raw points, at most `limit` (default 5000) of them, chosen by a seeded reservoir sample
 * so the same data always gives the same points. The sample is taken from a CTE that already
 * dropped incomplete rows, because DuckDB applies `USING SAMPLE` before the WHERE of its own SELECT.
 */
function scatterSql(spec: ChartSpec, x: ColumnInfo, y: ColumnInfo, color: ColumnInfo | null): string {
  const limit = num(effectiveLimit(spec));
  const numericColor = color !== null && columnKind(color.type) === 'numeric';
  const baseCols = [`${outExpr(x)} AS x`, `${outExpr(y)} AS y`];
  if (color) baseCols.push(`${numericColor ? outExpr(color) : colorLabelExpr(color)} AS color`);
  const ctes = [
    `base AS (\n  SELECT ${baseCols.join(', ')}\n  FROM ${ident(spec.source)}\n  WHERE ${finiteExpr(x)} AND ${finiteExpr(y)}\n)`,
  ];
  const categorical = color !== null && !numericColor;
  if (categorical) ctes.push(...colorCtes('count(*)'));
  const cols = color ? 'x, y, color' : 'x, y';
  return (
    `${withClause(ctes)}SELECT ${cols}, CAST((SELECT count(*) FROM base) AS DOUBLE) AS total\n` +
    `FROM ${categorical ? 'folded' : 'base'}\nUSING SAMPLE reservoir(${limit} ROWS) REPEATABLE (${num(SAMPLE_SEED)})`
  );
}

/**
 * histogram: `bins` equal-width bins between min and max, computed in SQL on numbers (dates and
 * timestamps as epoch milliseconds). Whole-number and DATE columns get whole-unit bin widths (so no
 * bin holds one more distinct value than its neighbour; there may then be fewer than `bins` bins).
 * A column with a single value gets one bin around it; an all-NULL column gives no rows.
 * Without colour every bin is returned, empty ones with count 0.
 */
function histogramSql(spec: ChartSpec, x: ColumnInfo, color: ColumnInfo | null): string {
  // Constants as DOUBLE: DuckDB types bare integer literals as INTEGER, and 86400000 * 30 overflows it.
  const bins = `${num(effectiveBins(spec))}::DOUBLE`;
  const temporal = columnKind(x.type) === 'temporal';
  const discrete = isDiscreteType(x.type);
  const unit = `${num(temporal ? DAY_MS : 1)}::DOUBLE`;
  const v = temporal ? `CAST(epoch_ms(${ident(x.name)}) AS DOUBLE)` : `CAST(${ident(x.name)} AS DOUBLE)`;
  const baseCols = [`${v} AS v`];
  if (color) baseCols.push(`${colorLabelExpr(color)} AS color`);
  const ctes = [`base AS (\n  SELECT ${baseCols.join(', ')}\n  FROM ${ident(spec.source)}\n  WHERE ${finiteExpr(x)}\n)`];
  if (color) ctes.push(...colorCtes('count(*)'));
  ctes.push(`stats AS (\n  SELECT min(v) AS lo, max(v) AS hi FROM base\n)`);
  if (discrete) {
    ctes.push(
      `params AS (\n  SELECT lo, hi, lo AS start, width, CAST(ceil((hi - lo + ${unit}) / width) AS BIGINT) AS bins\n` +
        `  FROM (SELECT lo, hi, ceil((hi - lo + ${unit}) / (${unit} * ${bins})) * ${unit} AS width FROM stats WHERE lo IS NOT NULL)\n)`,
    );
  } else {
    ctes.push(
      `params AS (\n  SELECT lo, hi,\n    CASE WHEN hi > lo THEN lo ELSE lo - ${unit} / 2 END AS start,\n` +
        `    CASE WHEN hi > lo THEN (hi - lo) / ${bins} ELSE ${unit} END AS width,\n` +
        `    CAST(CASE WHEN hi > lo THEN ${bins} ELSE 1 END AS BIGINT) AS bins\n  FROM stats WHERE lo IS NOT NULL\n)`,
    );
  }
  // The last bin of a continuous range ends exactly at the max, whatever the float rounding.
  const end = discrete
    ? 'start + (bin + 1) * width'
    : 'CASE WHEN hi > lo AND bin = bins - 1 THEN hi ELSE start + (bin + 1) * width END';
  ctes.push(
    `edges AS (\n  SELECT bin, start + bin * width AS e1, ${end} AS e2\n` +
      `  FROM (SELECT unnest(range(bins)) AS bin, lo, hi, start, width, bins FROM params)\n)`,
  );
  const groupCols = color ? 'bin, color' : 'bin';
  ctes.push(
    `counts AS (\n  SELECT CAST(least(floor((v - start) / width), bins - 1) AS BIGINT) AS bin${color ? ', color' : ''}, count(*) AS n\n` +
      `  FROM ${color ? 'folded' : 'base'}, params\n  GROUP BY ${groupCols}\n)`,
  );
  const edge = (e: string) => {
    if (!temporal) return e;
    const ts = `make_timestamp(CAST(round(${e} * 1000) AS BIGINT))`;
    return discrete ? `CAST(${ts} AS DATE)` : ts;
  };
  if (!color) {
    return (
      `${withClause(ctes)}SELECT ${edge('e1')} AS x1, ${edge('e2')} AS x2, CAST(coalesce(counts.n, 0) AS DOUBLE) AS y\n` +
      `FROM edges LEFT JOIN counts USING (bin)\nORDER BY bin`
    );
  }
  return (
    `${withClause(ctes)}SELECT ${edge('e1')} AS x1, ${edge('e2')} AS x2, counts.color, CAST(counts.n AS DOUBLE) AS y\n` +
    `FROM counts JOIN edges USING (bin)\nORDER BY bin, counts.color`
  );
}
