import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { decilesSql, giniSql, lorenzSql, topShareSql } from '../../../src/lib/segment/value-sql';

let db: TestDb;

/** Gini by the mean absolute difference: sum over all ordered pairs |x_i - x_j| / (2 n^2 mean). */
function giniByPairs(xs: number[]): number {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  let sum = 0;
  for (const a of xs) for (const b of xs) sum += Math.abs(a - b);
  return sum / (2 * n * n * mean);
}

beforeAll(async () => {
  db = await openTestDb();
  // Five customers with revenue 1, 2, 3, 4, 10 (total 20), in a shuffled insert order.
  db.exec(`CREATE TABLE five AS SELECT * FROM (VALUES ('d', 4.0), ('a', 1.0), ('e', 10.0), ('c', 3.0), ('b', 2.0)) t(customer_id, revenue)`);
  db.exec(`CREATE TABLE with_refund AS SELECT * FROM five UNION ALL SELECT 'f', -3.0 UNION ALL SELECT 'g', NULL`);
  db.exec(`CREATE TABLE ties AS SELECT * FROM (VALUES ('x', 5.0), ('y', 5.0), ('z', 5.0), ('w', 1.0)) t(customer_id, revenue)`);
  db.exec(`CREATE TABLE twelve AS SELECT 'c' || lpad(CAST(i AS VARCHAR), 2, '0') AS customer_id, CAST(i AS DOUBLE) AS revenue FROM range(1, 13) t(i)`);
});

describe('value concentration', () => {
  test('Gini of 1, 2, 3, 4, 10 is 0.4 (pairs: 80 / (2 * 25 * 4))', () => {
    const [row] = db.rows(giniSql('five', 'revenue'));
    expect(giniByPairs([1, 2, 3, 4, 10])).toBeCloseTo(0.4, 12);
    expect(row.gini as number).toBeCloseTo(0.4, 12);
    expect(row).toMatchObject({ customers: 5, revenue: 20, negative_customers: 0 });
  });

  test('a negative total is clamped to 0 and counted; NULL values are left out', () => {
    const [row] = db.rows(giniSql('with_refund', 'revenue'));
    expect(row.gini as number).toBeCloseTo(giniByPairs([0, 1, 2, 3, 4, 10]), 12);
    expect(row).toMatchObject({ customers: 6, revenue: 20, negative_customers: 1 });
  });

  test('Gini edge cases: one customer is 0, all equal is 0, no revenue is NULL', () => {
    db.exec(`CREATE TABLE one AS SELECT 'a' AS customer_id, 7.0 AS revenue`);
    db.exec(`CREATE TABLE zeros AS SELECT * FROM (VALUES ('a', 0.0), ('b', 0.0)) t(customer_id, revenue)`);
    expect(db.rows(giniSql('one', 'revenue'))[0].gini).toBe(0);
    expect(db.rows(giniSql('ties', 'revenue'))[0].gini as number).toBeCloseTo(giniByPairs([5, 5, 5, 1]), 12);
    expect(db.rows(giniSql('zeros', 'revenue'))[0].gini).toBeNull();
  });

  test('top shares: top 20 % of 5 customers is 1 customer = 10 / 20', () => {
    const rows = db.rows(topShareSql('five', 'revenue', [1, 5, 10, 20, 40, 50, 100]));
    expect(rows.map((r) => [r.pct, r.customers, r.share_revenue])).toEqual([
      [1, 1, 0.5],
      [5, 1, 0.5],
      [10, 1, 0.5],
      [20, 1, 0.5],
      [40, 2, 0.7], // 10 + 4
      [50, 3, 0.85], // ceil(2.5) = 3: 10 + 4 + 3
      [100, 5, 1],
    ]);
    expect(db.rows(topShareSql('five', 'revenue')).map((r) => r.pct)).toEqual([1, 5, 10, 20]);
  });

  test('a tie at the boundary is split by id: top 25 % of (5, 5, 5, 1) is one customer', () => {
    const rows = db.rows(topShareSql('ties', 'revenue', [25, 50]));
    expect(rows.map((r) => [r.customers, r.share_revenue])).toEqual([
      [1, 5 / 16],
      [2, 10 / 16],
    ]);
    expect(() => topShareSql('ties', 'revenue', [0])).toThrow(/invalid percentage/);
  });

  test('Pareto curve: cumulative revenue share of the top customers', () => {
    const rows = db.rows(lorenzSql('five', 'revenue', 5));
    expect(rows.map((r) => r.share_customers)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const shares = rows.map((r) => r.share_revenue as number);
    [0, 0.5, 0.7, 0.85, 0.95, 1].forEach((want, i) => expect(shares[i]).toBeCloseTo(want, 12));
    // 100 points over 5 customers: point 30 is the top ceil(1.5) = 2 customers
    const fine = db.rows(lorenzSql('five', 'revenue'));
    expect(fine).toHaveLength(101);
    expect(fine[30]).toMatchObject({ point: 30, customers: 2, share_customers: 0.4 });
  });

  test('deciles: decile 1 is the top; NTILE(10) by value desc then id', () => {
    const rows = db.rows(decilesSql('twelve', 'revenue'));
    expect(rows).toHaveLength(10);
    // 12 customers: deciles 1 and 2 hold two each -> {12, 11}, {10, 9}, then 8, 7, ..., 1.
    expect(rows.slice(0, 3).map((r) => [r.decile, r.customers, r.revenue, r.min_value, r.max_value])).toEqual([
      [1, 2, 23, 11, 12],
      [2, 2, 19, 9, 10],
      [3, 1, 8, 8, 8],
    ]);
    expect(rows.reduce((s, r) => s + (r.share_revenue as number), 0)).toBeCloseTo(1, 12);
    const few = db.rows(decilesSql('five', 'revenue'));
    expect(few.map((r) => r.revenue)).toEqual([10, 4, 3, 2, 1]);
  });
});
