/** Attribute segmentation (issue 5): band edges, quantile ties, folding into 'Other', cross-tabs. */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { attributeSegmentSql, bandForDistinct, breakLabels, distinctCountsSql, distinctValuesSql, mostlyDistinct, validateBand, type BandSpec } from '../../../src/lib/segment/attribute-bands';
import { attributesSettingsFor } from '../../../src/lib/notebook/cells-segment';
import { formatNumber, formatNumberSql, type ColumnInfo } from '../../../src/lib/segment/column-kinds';

let db: TestDb;

// 12 customers. Ages: 17, 18, 24, 25, 34, 35, 64, 65, 80, NULL, 40, 41; revenue 10..100 then 0, 0
// (total 550); cities Paris x5, Lyon x3, Nice, Lille, NULL, ''.
const PEOPLE = `CREATE TABLE people AS SELECT * FROM (VALUES
  (1, 17, 'Paris', 10.0, 1, 'F'),
  (2, 18, 'Paris', 20.0, 2, 'M'),
  (3, 24, 'Paris', 30.0, 1, 'F'),
  (4, 25, 'Paris', 40.0, 2, 'M'),
  (5, 34, 'Paris', 50.0, 1, 'F'),
  (6, 35, 'Lyon', 60.0, 3, 'M'),
  (7, 64, 'Lyon', 70.0, 1, 'F'),
  (8, 65, 'Lyon', 80.0, 2, 'M'),
  (9, 80, 'Nice', 90.0, 1, 'F'),
  (10, NULL, 'Lille', 100.0, 4, 'M'),
  (11, 40, NULL, 0.0, 0, 'F'),
  (12, 41, '', 0.0, 0, 'M')
) t(id, age, city, revenue, orders, gender)`;

const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: 'INTEGER' },
  { name: 'age', type: 'INTEGER' },
  { name: 'city', type: 'VARCHAR' },
  { name: 'revenue', type: 'DOUBLE' },
  { name: 'orders', type: 'INTEGER' },
  { name: 'gender', type: 'VARCHAR' },
];
const MEASURES = { revenue: 'revenue', orders: 'orders' };

beforeAll(async () => {
  db = await openTestDb();
  db.exec(PEOPLE);
}, 60_000);

/** [label, customers] per band of a single-column grouping. */
function counts(view: string, spec: BandSpec, columns: ColumnInfo[] = COLUMNS): [string, number][] {
  return db.rows(attributeSegmentSql(view, [spec], MEASURES, columns)).map((r) => [r.band_1 as string, r.customers as number]);
}

/** Loads values into a one-column table `name(v DOUBLE)`. */
function values(name: string, vs: number[]): ColumnInfo[] {
  db.exec(`CREATE TABLE ${name} AS SELECT CAST(v AS DOUBLE) AS v, 0.0 AS revenue, 0 AS orders FROM (VALUES ${vs.map((v) => `(${v})`).join(', ')}) t(v)`);
  return [{ name: 'v', type: 'DOUBLE' }, { name: 'revenue', type: 'DOUBLE' }, { name: 'orders', type: 'INTEGER' }];
}

describe('breaks', () => {
  test('age bands: a value on a break goes up; whole-number labels; empty last', () => {
    // [18, 25, 35, 65]: 17 | 18, 24 | 25, 34 | 35, 64, 40, 41 | 65, 80 | NULL.
    const rows = db.rows(attributeSegmentSql('people', [{ column: 'age', kind: 'breaks', breaks: [18, 25, 35, 65] }], MEASURES, COLUMNS));
    expect(rows.map((r) => [r.band_1, r.band_1_order, r.customers])).toEqual([
      ['< 18', 1, 1], ['18–24', 2, 2], ['25–34', 3, 2], ['35–64', 4, 4], ['≥ 65', 5, 2], ['(empty)', 6, 1],
    ]);
    // 18–24: ids 2, 3: revenue 50 of 550, orders 3 -> avg order value 50 / 3; 25 per customer.
    expect(rows[1]).toMatchObject({ share_customers: 2 / 12, revenue: 50, revenue_per_customer: 25 });
    expect(rows[1].share_revenue).toBeCloseTo(50 / 550, 12);
    expect(rows[1].avg_order_value).toBeCloseTo(50 / 3, 12);
    // 35–64: 60 + 70 + 0 + 0 = 130 over 3 + 1 + 0 + 0 = 4 orders.
    expect(rows[3]).toMatchObject({ revenue: 130, avg_order_value: 32.5 });
  });

  test('labels: whole-number ranges only for whole-number columns and breaks', () => {
    expect(breakLabels([18, 25, 35, 65], true)).toEqual(['< 18', '18–24', '25–34', '35–64', '≥ 65']);
    expect(breakLabels([5000, 10000], false)).toEqual(['< 5,000', '5,000–10,000', '≥ 10,000']);
    expect(breakLabels([1, 2, 2.5], true)).toEqual(['< 1', '1–2', '2–2.5', '≥ 2.5']);
    expect(breakLabels([1, 2, 4], true)).toEqual(['< 1', '1', '2–3', '≥ 4']);
  });

  test('numbers in labels read the same from TypeScript and from SQL', () => {
    const xs = [0, 5000, -1234.5, 0.125, 1234567.891, 100, -0.001];
    expect(xs.map(formatNumber)).toEqual(['0', '5,000', '-1,234.5', '0.13', '1,234,567.89', '100', '0']);
    const sql = db.rows(`SELECT ${xs.map((x, i) => `${formatNumberSql(String(x))} AS x${i}`).join(', ')}`)[0];
    expect(Object.values(sql)).toEqual(xs.map(formatNumber));
  });

  test('income bands on a DOUBLE column: 4999.99 | 5000, 9999.5 | 10000, 25000', () => {
    const cols = values('income', [4999.99, 5000, 9999.5, 10000, 25000]);
    expect(counts('income', { column: 'v', kind: 'breaks', breaks: [5000, 10000] }, cols)).toEqual([
      ['< 5,000', 1], ['5,000–10,000', 2], ['≥ 10,000', 2],
    ]);
  });
});

describe('equal width', () => {
  test('edges go up and the max is in the last band', () => {
    // 0..10 in 4: edges 2.5, 5, 7.5 -> [0, 2.5) {0}, [2.5, 5) {2.5}, [5, 7.5) {5}, [7.5, 10] {7.5, 10}.
    const cols = values('ew', [0, 2.5, 5, 7.5, 10]);
    expect(counts('ew', { column: 'v', kind: 'equal-width', bins: 4 }, cols)).toEqual([
      ['0–2.5', 1], ['2.5–5', 1], ['5–7.5', 1], ['7.5–10', 2],
    ]);
  });

  test('empty bands are listed with 0; equal values give one band', () => {
    const cols = values('ew_gap', [0, 1, 10]);
    expect(counts('ew_gap', { column: 'v', kind: 'equal-width', bins: 5 }, cols)).toEqual([
      ['0–2', 2], ['2–4', 0], ['4–6', 0], ['6–8', 0], ['8–10', 1],
    ]);
    const same = values('ew_same', [3, 3, 3]);
    expect(counts('ew_same', { column: 'v', kind: 'equal-width', bins: 4 }, same)).toEqual([['3', 3]]);
  });
});

describe('quantiles', () => {
  test('a tie is never split: it goes wholly to the upper band', () => {
    // n = 10, 4 bands: NTILE starts at positions 4, 7, 9 -> edges s[4] = 2, s[7] = 5, s[9] = 7.
    // Bands [1, 2) {1}, [2, 5) {2, 2, 2, 3, 4}, [5, 7) {5, 6}, [7, 8] {7, 8}; plain NTILE would split the 2s.
    const cols = values('q1', [1, 2, 2, 2, 3, 4, 5, 6, 7, 8]);
    expect(counts('q1', { column: 'v', kind: 'quantile', bins: 4 }, cols)).toEqual([['1', 1], ['2–4', 5], ['5–6', 2], ['7–8', 2]]);
  });

  test('repeated edges merge bands; fewer values than bands', () => {
    // n = 11, 4 bands: starts 4, 7, 10 -> edges 1, 2, 12: the six 1s form one band (nothing is below
    // the first edge), then [2, 12) and [12, 15] (six distinct values: more than bins + 1, so edges apply).
    const cols = values('q2', [1, 1, 1, 1, 1, 1, 2, 3, 9, 12, 15]);
    expect(counts('q2', { column: 'v', kind: 'quantile', bins: 4 }, cols)).toEqual([['1', 6], ['2–9', 3], ['12–15', 2]]);
    // n = 2, 4 bands: starts 2, 3, 3 -> edges 9, -, -: bands {5} and {9}.
    const few = values('q3', [9, 5]);
    expect(counts('q3', { column: 'v', kind: 'quantile', bins: 4 }, few)).toEqual([['5', 1], ['9', 1]]);
  });

  test('issue 14: a 0/1 flag or a 1-5 rating gets one band per value, not one band "0–1" holding everyone', () => {
    // 17 zeros and 3 ones: NTILE edges would all be 0 (one band 0–1); 2 distinct values <= bins + 1.
    const flag = values('q_flag', [...Array(17).fill(0), 1, 1, 1]);
    expect(counts('q_flag', { column: 'v', kind: 'quantile', bins: 4 }, flag)).toEqual([['0', 17], ['1', 3]]);
    // Five rating values with 4 bands: each value its own band, in value order.
    const rating = values('q_rating', [5, 5, 5, 5, 4, 4, 4, 3, 2, 1, 5, 5]);
    expect(counts('q_rating', { column: 'v', kind: 'quantile', bins: 4 }, rating)).toEqual([['1', 1], ['2', 1], ['3', 1], ['4', 3], ['5', 6]]);
    // As categories ("each value"), a numeric column lists its values in numeric order, not by size.
    const c = counts('q_rating', { column: 'v', kind: 'category' }, rating);
    expect(c.map(([label]) => label)).toEqual(['1', '2', '3', '4', '5']);
  });

  test('quantiles of the age column keep NULLs apart', () => {
    // 11 ages sorted 17 18 24 25 34 35 40 41 64 65 80; 2 bands: start at position 11 div 2 + 1 + 1 = 7 -> edge 40.
    expect(counts('people', { column: 'age', kind: 'quantile', bins: 2 })).toEqual([['17–35', 6], ['40–80', 5], ['(empty)', 1]]);
  });
});

describe('categories', () => {
  test("rare values fold into 'Other'; NULL and '' are one empty group, listed last", () => {
    // Non-empty cities: 10. minShare 0.15 -> at least 1.5 customers: Nice (1) and Lille (1) fold.
    expect(counts('people', { column: 'city', kind: 'category', minShare: 0.15 })).toEqual([
      ['Paris', 5], ['Lyon', 3], ['Other', 2], ['(empty)', 2],
    ]);
    // Default 1 %: nothing folds; Lille and Nice tie on 1 customer -> by value.
    expect(counts('people', { column: 'city', kind: 'category' })).toEqual([
      ['Paris', 5], ['Lyon', 3], ['Lille', 1], ['Nice', 1], ['(empty)', 2],
    ]);
    expect(counts('people', { column: 'city', kind: 'category', maxGroups: 1 })).toEqual([['Paris', 5], ['Other', 5], ['(empty)', 2]]);
  });
});

describe('two columns: a cross-tab', () => {
  test('every pair is listed with counts, overall shares and shares within the row', () => {
    // age < 35: ids 1-5 (F 1, 3, 5; M 2, 4); >= 35: 6-9, 11, 12 (F 7, 9, 11; M 6, 8, 12); empty: 10 (M).
    // Genders tie at 6 each, so F comes first.
    const rows = db.rows(attributeSegmentSql('people', [{ column: 'age', kind: 'breaks', breaks: [35] }, { column: 'gender', kind: 'category' }], MEASURES, COLUMNS));
    expect(rows.map((r) => [r.band_1, r.band_2, r.customers, r.share_customers, r.share_in_band_1])).toEqual([
      ['< 35', 'F', 3, 0.25, 0.6],
      ['< 35', 'M', 2, 2 / 12, 0.4],
      ['≥ 35', 'F', 3, 0.25, 0.5],
      ['≥ 35', 'M', 3, 0.25, 0.5],
      ['(empty)', 'F', 0, 0, 0],
      ['(empty)', 'M', 1, 1 / 12, 1],
    ]);
    // (< 35, F): ids 1, 3, 5 -> revenue 10 + 30 + 50 = 90 over 3 orders.
    expect(rows[0]).toMatchObject({ revenue: 90, avg_order_value: 30, band_1_order: 1, band_2_order: 1 });
    expect(rows[0].share_revenue).toBeCloseTo(90 / 550, 12);
    expect(rows[4]).toMatchObject({ revenue: 0, avg_order_value: null, revenue_per_customer: null });
  });

  test('without an orders column the average order value is NULL', () => {
    const rows = db.rows(attributeSegmentSql('people', [{ column: 'gender', kind: 'category' }], { revenue: 'revenue' }, COLUMNS));
    expect(rows.map((r) => [r.band_1, r.revenue, r.avg_order_value])).toEqual([['F', 250, null], ['M', 300, null]]);
  });
});

describe('bad input', () => {
  test('readable messages for a text column banded as numbers, a missing column, bad breaks', () => {
    expect(validateBand({ column: 'city', kind: 'quantile', bins: 4 }, COLUMNS)).toEqual([`'city' holds text, not numbers: group it as categories`]);
    expect(validateBand({ column: 'gone', kind: 'category' }, COLUMNS)).toEqual([`'gone' is not a column of this view (any more): choose another column`]);
    expect(validateBand({ column: 'age', kind: 'breaks', breaks: [30, 20] }, COLUMNS)).toEqual([`the breaks for 'age' must go up: 30, 20`]);
    expect(validateBand({ column: 'age', kind: 'equal-width', bins: 0 }, COLUMNS)[0]).toMatch(/number of bands/);
    expect(() => attributeSegmentSql('people', [{ column: 'gone', kind: 'category' }], MEASURES, COLUMNS)).toThrow(`'gone' is not a column`);
    expect(() => attributeSegmentSql('people', [], MEASURES, COLUMNS)).toThrow(/one or two columns/);
  });
});

describe('issue 14: defaults for few-valued numeric columns', () => {
  test('a column with at most 10 distinct values defaults to each value; others keep quantile bands', () => {
    const flag = values('few_flag', [0, 0, 0, 1, 0, 1]);
    const [{ distinct }] = db.rows(distinctValuesSql('few_flag', 'v')) as { distinct: number }[];
    expect(distinct).toBe(new Set([0, 0, 0, 1, 0, 1]).size);
    const band = bandForDistinct({ column: 'v', kind: 'quantile', bins: 4 }, distinct);
    expect(band).toEqual({ column: 'v', kind: 'category', minShare: 0, maxGroups: 10 });
    expect(counts('few_flag', band, flag)).toEqual([['0', 4], ['1', 2]]);
    expect(bandForDistinct({ column: 'v', kind: 'quantile', bins: 4 }, 11).kind).toBe('quantile');
    expect(bandForDistinct({ column: 'v', kind: 'breaks', breaks: [1] }, 2).kind).toBe('breaks');
  });
});

describe('issue 14: mostly-distinct text columns are ids, not default groups', () => {
  test('distinct counts per text column; a name column is avoided, a city column chosen', () => {
    db.exec(`CREATE TABLE people_ids AS SELECT 'name ' || i AS full_name, CASE WHEN i % 3 = 0 THEN 'Beijing' ELSE 'Shanghai' END AS city FROM range(1, 41) t(i)`);
    const [row] = db.rows(distinctCountsSql('people_ids', ['full_name', 'city'])) as Record<string, number>[];
    expect(row).toEqual({ n: 40, d_0: 40, d_1: 2 });
    expect([mostlyDistinct(row.d_0, row.n), mostlyDistinct(row.d_1, row.n)]).toEqual([true, false]);
    expect(mostlyDistinct(10, 10)).toBe(false); // too few rows to tell
    const columns = [{ name: 'full_name', type: 'VARCHAR' }, { name: 'city', type: 'VARCHAR' }];
    expect(attributesSettingsFor({ name: 'people_ids', columns }, [], new Set(['full_name'])).bands[0].column).toBe('city');
    expect(attributesSettingsFor({ name: 'people_ids', columns }).bands[0].column).toBe('full_name');
  });
});
