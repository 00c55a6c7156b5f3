/**
 * Every generated query runs in real DuckDB-WASM against tiny tables whose answers are worked out
 * by hand (stated next to each assertion).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { chartQuery, NULL_COLOR, OTHER_COLOR } from '../../../src/lib/plots/chart-query';
import type { ChartSpec, ColumnInfo } from '../../../src/lib/plots/chart-spec';

const DAY = 86_400_000;
const jan = (d: number) => Date.UTC(2024, 0, d);

/*
 * Fixture "客户 表" (a Chinese table name with a space). Column names: a Chinese name, a SQL keyword,
 * one with a space and double quotes, a date, a text colour.
 *
 *  #  城市    select  amount "net"  day         seg
 *  1  北京    1       10            2024-01-01  A
 *  2  北京    2       20            2024-01-01  B
 *  3  上海    3       5.5           2024-01-02  A
 *  4  上海    NULL    NULL          2024-01-03  NULL
 *  5  广州    5       100           2024-01-05  A
 *  6  NULL    6       1             NULL        B
 *  7  北京    7       30            2024-01-05  NULL
 *  8  深圳    8       2             2024-01-10  C
 */
const FIXTURE = `
CREATE TABLE "客户 表" ("城市" VARCHAR, "select" INTEGER, "amount ""net""" DOUBLE, "day" DATE, seg VARCHAR, price DECIMAL(10,2));
INSERT INTO "客户 表" VALUES
  ('北京', 1, 10, '2024-01-01', 'A', 1.25),
  ('北京', 2, 20, '2024-01-01', 'B', 2.50),
  ('上海', 3, 5.5, '2024-01-02', 'A', NULL),
  ('上海', NULL, NULL, '2024-01-03', NULL, 4.00),
  ('广州', 5, 100, '2024-01-05', 'A', 5.00),
  (NULL, 6, 1, NULL, 'B', 6.00),
  ('北京', 7, 30, '2024-01-05', NULL, 7.00),
  ('深圳', 8, 2, '2024-01-10', 'C', 8.00);
`;
const AMOUNT = 'amount "net"';

let db: TestDb;
let cols: ColumnInfo[];
const describeTable = (name: string): ColumnInfo[] =>
  db.rows(`DESCRIBE "${name.replaceAll('"', '""')}"`).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));

beforeAll(async () => {
  db = await openTestDb();
  for (const stmt of FIXTURE.split(';').filter((s) => s.trim())) db.exec(stmt);
  cols = describeTable('客户 表');
});

const spec = (over: Partial<ChartSpec>): ChartSpec => ({
  source: '客户 表',
  mark: 'bar',
  x: '城市',
  y: null,
  color: null,
  aggregate: 'count',
  ...over,
});
const run = (s: ChartSpec, columns: ColumnInfo[] = cols) => db.rows(chartQuery(s, columns).sql);
const pick = (rows: Record<string, unknown>[], ...keys: string[]) =>
  rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

describe('bar', () => {
  test('count per category, largest first, ties by name, NULL x left out', () => {
    // 北京 rows 1,2,7 = 3; 上海 rows 3,4 = 2; 广州 1; 深圳 1 (广 U+5E7F sorts before 深 U+6DF1); row 6 has no city.
    expect(chartQuery(spec({}), cols).shape).toBe('aggregated');
    expect(run(spec({}))).toEqual([
      { x: '北京', y: 3, truncated: 0 },
      { x: '上海', y: 2, truncated: 0 },
      { x: '广州', y: 1, truncated: 0 },
      { x: '深圳', y: 1, truncated: 0 },
    ]);
  });

  test('sum, avg, median, min, max and count_distinct of a quoted column', () => {
    // amount: 北京 10+20+30 = 60, 上海 5.5 (row 4 is NULL), 广州 100, 深圳 2.
    expect(pick(run(spec({ y: AMOUNT, aggregate: 'sum' })), 'x', 'y')).toEqual([
      { x: '广州', y: 100 },
      { x: '北京', y: 60 },
      { x: '上海', y: 5.5 },
      { x: '深圳', y: 2 },
    ]);
    const byX = (agg: ChartSpec['aggregate'], y: string) =>
      Object.fromEntries(run(spec({ y, aggregate: agg, sort: 'x' })).map((r) => [r.x, r.y]));
    // avg 北京 60/3 = 20; median of 10,20,30 = 20; min 10; max 30.
    expect(byX('avg', AMOUNT)).toEqual({ 北京: 20, 上海: 5.5, 广州: 100, 深圳: 2 });
    expect(byX('median', AMOUNT)).toMatchObject({ 北京: 20, 上海: 5.5 });
    expect(byX('min', AMOUNT)).toMatchObject({ 北京: 10 });
    expect(byX('max', AMOUNT)).toMatchObject({ 北京: 30 });
    // "select" (a keyword) per city: 北京 1+2+7 = 10 (INTEGER sum is HUGEINT in DuckDB; it must arrive as a number).
    expect(byX('sum', 'select')).toEqual({ 北京: 10, 上海: 3, 广州: 5, 深圳: 8 });
    // distinct segments: 北京 {A,B} = 2 (NULL not counted), 上海 {A} = 1.
    expect(byX('count_distinct', 'seg')).toEqual({ 北京: 2, 上海: 1, 广州: 1, 深圳: 1 });
    // count(y) counts non-null y: 上海 has one NULL amount, so 1.
    expect(byX('count', AMOUNT)).toEqual({ 北京: 3, 上海: 1, 广州: 1, 深圳: 1 });
    // DECIMAL sums arrive as plain numbers: 北京 1.25 + 2.50 + 7.00 = 10.75.
    expect(byX('sum', 'price')).toMatchObject({ 北京: 10.75, 上海: 4 });
  });

  test('limit keeps the largest groups and reports how many were cut', () => {
    // sum(amount): 广州 100 and 北京 60 stay; 上海 and 深圳 are cut -> truncated 2 on every row.
    expect(run(spec({ y: AMOUNT, aggregate: 'sum', limit: 2 }))).toEqual([
      { x: '广州', y: 100, truncated: 2 },
      { x: '北京', y: 60, truncated: 2 },
    ]);
    // Ascending display still keeps the largest two, only the order changes.
    expect(pick(run(spec({ y: AMOUNT, aggregate: 'sum', limit: 2, sort: 'value-asc' })), 'x')).toEqual([
      { x: '北京' },
      { x: '广州' },
    ]);
  });

  test('colour splits each bar; NULL colour is its own group', () => {
    // 北京: A (row 1), B (row 2), NULL (row 7); 上海: A (3), NULL (4); 广州: A; 深圳: C. Bars ordered by total.
    expect(run(spec({ color: 'seg' }))).toEqual([
      { x: '北京', y: 1, color: NULL_COLOR, truncated: 0 },
      { x: '北京', y: 1, color: 'A', truncated: 0 },
      { x: '北京', y: 1, color: 'B', truncated: 0 },
      { x: '上海', y: 1, color: NULL_COLOR, truncated: 0 },
      { x: '上海', y: 1, color: 'A', truncated: 0 },
      { x: '广州', y: 1, color: 'A', truncated: 0 },
      { x: '深圳', y: 1, color: 'C', truncated: 0 },
    ]);
  });

  test('more than 10 colours: the 10 largest stay, the rest fold into Other', async () => {
    // Colour cK has K rows (K = 1..15), all in one bar: c15..c06 stay; c01..c05 fold: 1+2+3+4+5 = 15 rows.
    db.exec(`CREATE TABLE many AS SELECT 'all' AS grp, printf('c%02d', k) AS "颜色", k * 1.0 AS amt FROM range(1, 16) t(k), range(15) r(i) WHERE i < k`);
    const many = describeTable('many');
    const rows = run({ source: 'many', mark: 'bar', x: 'grp', y: null, color: '颜色', aggregate: 'count' }, many);
    expect(rows).toHaveLength(11);
    const byColor = Object.fromEntries(rows.map((r) => [r.color, r.y]));
    expect(byColor[OTHER_COLOR]).toBe(15);
    expect(byColor.c15).toBe(15);
    expect(byColor.c06).toBe(6);
    expect(byColor.c05).toBeUndefined();
    // avg is computed over the folded rows, not averaged averages: Other holds amounts 1..5 with weights 1..5,
    // (1·1 + 2·2 + 3·3 + 4·4 + 5·5) / 15 = 55 / 15.
    const avg = run({ source: 'many', mark: 'bar', x: 'grp', y: 'amt', color: '颜色', aggregate: 'avg' }, many);
    expect(avg.find((r) => r.color === OTHER_COLOR)!.y).toBeCloseTo(55 / 15, 12);
    // Lines fold the same way.
    expect(run({ source: 'many', mark: 'line', x: 'grp', y: null, color: '颜色', aggregate: 'count' }, many)).toHaveLength(11);
  });
});

describe('line and area', () => {
  test('count per date, ordered by date; dates arrive as UTC-midnight milliseconds', () => {
    // Jan 1: rows 1,2; Jan 2: 3; Jan 3: 4; Jan 5: 5,7; Jan 10: 8; row 6 has no date.
    expect(pick(run(spec({ mark: 'line', x: 'day' })), 'x', 'y')).toEqual([
      { x: jan(1), y: 2 },
      { x: jan(2), y: 1 },
      { x: jan(3), y: 1 },
      { x: jan(5), y: 2 },
      { x: jan(10), y: 1 },
    ]);
  });

  test('area by colour with max, and a limit keeping the first dates', () => {
    // max("select") per (day, seg): Jan 1 A 1, B 2; Jan 2 A 3; Jan 3 (null) NULL; Jan 5 (null) 7, A 5; Jan 10 C 8.
    expect(pick(run(spec({ mark: 'area', x: 'day', y: 'select', color: 'seg', aggregate: 'max' })), 'x', 'color', 'y')).toEqual([
      { x: jan(1), color: 'A', y: 1 },
      { x: jan(1), color: 'B', y: 2 },
      { x: jan(2), color: 'A', y: 3 },
      { x: jan(3), color: NULL_COLOR, y: null },
      { x: jan(5), color: NULL_COLOR, y: 7 },
      { x: jan(5), color: 'A', y: 5 },
      { x: jan(10), color: 'C', y: 8 },
    ]);
    // 5 dates, limit 2: Jan 1 and Jan 2 kept, 3 cut.
    const rows = run(spec({ mark: 'line', x: 'day', limit: 2 }));
    expect(rows.map((r) => r.x)).toEqual([jan(1), jan(2)]);
    expect(rows[0].truncated).toBe(3);
  });

  test('min and max of a date stay dates', () => {
    // Latest day per city: 北京 Jan 5 (row 7), 深圳 Jan 10.
    const rows = run(spec({ y: 'day', aggregate: 'max', sort: 'x' }));
    expect(Object.fromEntries(rows.map((r) => [r.x, r.y]))).toMatchObject({ 北京: jan(5), 深圳: jan(10) });
  });
});

describe('histogram', () => {
  test('integer column: whole-unit bins from min to max, counts sum to the non-null count', () => {
    // "select" non-null values 1,2,3,5,6,7,8 (7 rows); range 1..8 needs only 8 one-wide bins (4 is empty).
    const q = chartQuery(spec({ mark: 'histogram', x: 'select' }), cols);
    expect(q.shape).toBe('binned');
    const rows = db.rows(q.sql);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => ({ x1: v, x2: v + 1, y: v === 4 ? 0 : 1 })));
    // 3 bins: width ceil(8/3) = 3 -> [1,4) holds 1,2,3; [4,7) holds 5,6; [7,10) holds 7,8.
    expect(run(spec({ mark: 'histogram', x: 'select', bins: 3 }))).toEqual([
      { x1: 1, x2: 4, y: 3 },
      { x1: 4, x2: 7, y: 2 },
      { x1: 7, x2: 10, y: 2 },
    ]);
  });

  test('double column: equal-width bins, the last bin ends at the max and includes it', () => {
    // amounts 1, 2, 5.5, 10, 20, 30, 100; 4 bins of (100 - 1) / 4 = 24.75:
    // [1, 25.75) 1,2,5.5,10,20 = 5; [25.75, 50.5) 30 = 1; [50.5, 75.25) 0; [75.25, 100] 100 = 1.
    expect(run(spec({ mark: 'histogram', x: AMOUNT, bins: 4 }))).toEqual([
      { x1: 1, x2: 25.75, y: 5 },
      { x1: 25.75, x2: 50.5, y: 1 },
      { x1: 50.5, x2: 75.25, y: 0 },
      { x1: 75.25, x2: 100, y: 1 },
    ]);
    const rows = run(spec({ mark: 'histogram', x: AMOUNT }));
    expect(rows).toHaveLength(30);
    expect(rows[0].x1).toBe(1);
    expect(rows[29].x2).toBe(100);
    expect(rows.reduce((s, r) => s + (r.y as number), 0)).toBe(7);
    for (let i = 1; i < rows.length; i++) expect(rows[i].x1).toBe(rows[i - 1].x2);
  });

  test('date column: whole-day bins, edges as dates; per colour', () => {
    // Days Jan 1 ×2, 2, 3, 5 ×2, 10 (7 rows): span 10 days, 3 bins -> width ceil(10/3) = 4 days:
    // [Jan 1, Jan 5) rows 1,2,3,4 (NULL 4, A 1,3, B 2); [Jan 5, Jan 9) rows 5 (A), 7 (NULL); [Jan 9, Jan 13) row 8 (C).
    expect(run(spec({ mark: 'histogram', x: 'day', bins: 3 }))).toEqual([
      { x1: jan(1), x2: jan(5), y: 4 },
      { x1: jan(5), x2: jan(9), y: 2 },
      { x1: jan(9), x2: jan(13), y: 1 },
    ]);
    expect(run(spec({ mark: 'histogram', x: 'day', bins: 3, color: 'seg' }))).toEqual([
      { x1: jan(1), x2: jan(5), color: NULL_COLOR, y: 1 },
      { x1: jan(1), x2: jan(5), color: 'A', y: 2 },
      { x1: jan(1), x2: jan(5), color: 'B', y: 1 },
      { x1: jan(5), x2: jan(9), color: NULL_COLOR, y: 1 },
      { x1: jan(5), x2: jan(9), color: 'A', y: 1 },
      { x1: jan(9), x2: jan(13), color: 'C', y: 1 },
    ]);
    // Default 30 bins over 10 days: one bin per day, Jan 1..Jan 10.
    const daily = run(spec({ mark: 'histogram', x: 'day' }));
    expect(daily.map((r) => r.y)).toEqual([2, 1, 1, 0, 2, 0, 0, 0, 0, 1]);
    expect(daily[9]).toEqual({ x1: jan(10), x2: jan(11), y: 1 });
  });

  test('timestamps with time zone, NaN and infinity skipped; single value; all NULL', () => {
    db.exec(`CREATE TABLE ts AS SELECT * FROM (VALUES
      (TIMESTAMPTZ '2024-01-01 00:00:00+00', 1.0::DOUBLE, 7, NULL::DOUBLE),
      (TIMESTAMPTZ '2024-01-01 06:00:00+00', 'NaN'::DOUBLE, 7, NULL),
      (TIMESTAMPTZ '2024-01-02 00:00:00+00', 'Infinity'::DOUBLE, 7, NULL),
      (TIMESTAMPTZ 'infinity', 3.0, NULL, NULL)) t("at", v, k, nothing)`);
    const tsCols = describeTable('ts');
    const h = (over: Partial<ChartSpec>) => run({ ...spec({ source: 'ts', mark: 'histogram' }), ...over } as ChartSpec, tsCols);
    // Three finite instants from Jan 1 00:00 to Jan 2 00:00 in 4 bins of 6 h: 00:00 and 06:00 fall in bins 1 and 2, Jan 2 in the last.
    const at = h({ x: 'at', bins: 4 });
    expect(at.map((r) => [r.x1, r.x2, r.y])).toEqual([
      [jan(1), jan(1) + DAY / 4, 1],
      [jan(1) + DAY / 4, jan(1) + DAY / 2, 1],
      [jan(1) + DAY / 2, jan(1) + (3 * DAY) / 4, 0],
      [jan(1) + (3 * DAY) / 4, jan(2), 1],
    ]);
    // Finite doubles 1 and 3 only (NaN and Infinity dropped): 2 bins [1,2) and [2,3].
    expect(h({ x: 'v', bins: 2 })).toEqual([
      { x1: 1, x2: 2, y: 1 },
      { x1: 2, x2: 3, y: 1 },
    ]);
    // A single value: one bin around it (integer: [7, 8); a double column would get [v - 0.5, v + 0.5)).
    expect(h({ x: 'k' })).toEqual([{ x1: 7, x2: 8, y: 3 }]);
    db.exec(`CREATE TABLE one AS SELECT 2.5::DOUBLE AS d FROM range(4)`);
    expect(run({ ...spec({ source: 'one', mark: 'histogram', x: 'd' }) }, describeTable('one'))).toEqual([{ x1: 2, x2: 3, y: 4 }]);
    // All NULL: no bins at all.
    expect(h({ x: 'nothing' })).toEqual([]);
  });
});

describe('scatter', () => {
  test('small tables come back whole, with complete rows only', () => {
    // Rows with both "select" and amount: all but row 4 -> 7 points, total 7.
    const q = chartQuery(spec({ mark: 'scatter', x: 'select', y: AMOUNT, color: 'seg' }), cols);
    expect(q.shape).toBe('sampled');
    expect(q.sql).toContain('USING SAMPLE reservoir(5000 ROWS) REPEATABLE (42)');
    const rows = db.rows(q.sql);
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.total === 7)).toBe(true);
    expect(rows.find((r) => r.x === 5)).toEqual({ x: 5, y: 100, color: 'A', total: 7 });
    expect(rows.find((r) => r.x === 7)).toMatchObject({ color: NULL_COLOR });
  });

  test('20,000 rows: at most 5000 points, the same ones on every run', () => {
    db.exec(`CREATE TABLE big AS SELECT range AS "x 值", (range * 7919) % 1000 AS "y", range % 3 AS "group" FROM range(20000)`);
    const bigCols = describeTable('big');
    const s: ChartSpec = { source: 'big', mark: 'scatter', x: 'x 值', y: 'y', color: 'group', aggregate: 'count' };
    const a = run(s, bigCols);
    const b = run(s, bigCols);
    expect(a.length).toBeLessThanOrEqual(5000);
    expect(a.length).toBe(5000);
    expect(a[0].total).toBe(20000);
    expect(b).toEqual(a);
    // A numeric colour stays numeric (continuous legend), checked against the source row.
    for (const r of a.slice(0, 50)) expect(r.color).toBe((r.x as number) % 3);
    expect(new Set(a.map((r) => r.x)).size).toBe(5000);
    expect(run({ ...s, limit: 100 }, bigCols)).toHaveLength(100);
  });
});

describe('heatmap', () => {
  test('count per (x, y) cell, NULLs left out', () => {
    // (上海, A) row 3; (北京, A) 1; (北京, B) 2; (广州, A) 5; (深圳, C) 8. Rows 4, 6, 7 lack a city or a segment.
    expect(run(spec({ mark: 'heatmap', y: 'seg' }))).toEqual([
      { x: '上海', y: 'A', value: 1, truncated: 0 },
      { x: '北京', y: 'A', value: 1, truncated: 0 },
      { x: '北京', y: 'B', value: 1, truncated: 0 },
      { x: '广州', y: 'A', value: 1, truncated: 0 },
      { x: '深圳', y: 'C', value: 1, truncated: 0 },
    ]);
  });

  test('aggregate of the colour column, capped categories', () => {
    // sum(amount) per cell: (北京, A) 10, (北京, B) 20.
    const rows = run(spec({ mark: 'heatmap', y: 'seg', color: AMOUNT, aggregate: 'sum' }));
    expect(rows.find((r) => r.x === '北京' && r.y === 'B')!.value).toBe(20);
    // limit 1: the most frequent city (北京, 2 complete rows) and segment (A, 3 rows) -> one cell; 3 cities + 2 segments cut.
    expect(run(spec({ mark: 'heatmap', y: 'seg', limit: 1 }))).toEqual([{ x: '北京', y: 'A', value: 1, truncated: 5 }]);
  });
});

describe('validation', () => {
  test('an invalid spec throws before any SQL is built', () => {
    expect(() => chartQuery(spec({ x: 'nope' }), cols)).toThrow('invalid chart: x column "nope" does not exist');
    expect(() => chartQuery(spec({ mark: 'histogram', x: '城市' }), cols)).toThrow('Histogram needs a numeric or date x column');
    expect(() => chartQuery(spec({ y: 'seg', aggregate: 'sum' }), cols)).toThrow('sum needs a numeric y column');
  });
});
