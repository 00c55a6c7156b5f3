/**
 * The CLV predictions' SQL (issue 17): churn-risk bands at and around their boundaries (DuckDB
 * against the page's `churnRisk`), and the tracking chart's weekly repeat purchases on a
 * hand-worked order log.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { CHURN_BANDS, churnRisk, churnRiskSql, clvTrackingSql, validChurnBands } from '../../../src/lib/segment/clv-predict-sql';
import { fixtureSql, type OrderRow } from './rfm-reference';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

describe('churn-risk bands', () => {
  test('high below 0.3, medium from 0.3 to below 0.7, low from 0.7; not-a-number has none', () => {
    const values = [0, 0.2999999, 0.3, 0.5, 0.6999999, 0.7, 1];
    const want = ['high', 'high', 'medium', 'medium', 'medium', 'low', 'low'];
    expect(values.map((v) => churnRisk(v, CHURN_BANDS))).toEqual(want);
    const sql = `SELECT ${churnRiskSql('p', CHURN_BANDS)} AS band FROM (VALUES ${values.map((v, i) => `(${i}, ${v}::DOUBLE)`).join(', ')}, (99, 'NaN'::DOUBLE)) t(i, p) ORDER BY i`;
    expect(db.rows(sql).map((r) => r.band)).toEqual([...want, null]);
  });

  test('custom bands, and equal limits leave no medium band; invalid bands are refused', () => {
    const b = { high: 0.5, low: 0.5 };
    expect(validChurnBands(b)).toBe(true);
    expect([0.49, 0.5, 0.51].map((v) => churnRisk(v, b))).toEqual(['high', 'low', 'low']);
    expect(db.rows(`SELECT ${churnRiskSql('0.49::DOUBLE', b)} AS a, ${churnRiskSql('0.5::DOUBLE', b)} AS b`)).toEqual([{ a: 'high', b: 'low' }]);
    for (const bad of [{ high: 0, low: 0.5 }, { high: 0.8, low: 0.3 }, { high: 0.3, low: 1.2 }, { high: Number.NaN, low: 0.7 }]) expect(validChurnBands(bad)).toBe(false);
  });
});

describe('the tracking chart\'s weekly repeat purchases', () => {
  // Calibration ends on Wed 2024-01-10 (last day); holdout to 2024-01-31 (end exclusive 2024-02-01).
  // a: Jan 1 (first), Jan 3, Jan 10 twice (one purchase day), Jan 11, Jan 31 (Feb 1 is after the end).
  // Week k holds days in (Jan 10 + 7(k-1), Jan 10 + 7k]: week -1 = Dec 28 - Jan 3, week 0 = Jan 4 - Jan 10,
  // week 1 = Jan 11 - 17, week 3 = Jan 25 - 31.
  // b: first Jan 12 (in the holdout): not in the cohort. c: Jan 5 only (no repeat). A refund never counts.
  const LOG: OrderRow[] = [
    { c: 'a', d: '2024-01-01', a: 10 },
    { c: 'a', d: '2024-01-03', a: 10 },
    { c: 'a', d: '2024-01-10', a: 10 },
    { c: 'a', d: '2024-01-10', a: 5 },
    { c: 'a', d: '2024-01-11', a: 10 },
    { c: 'a', d: '2024-01-20', a: -10 },
    { c: 'a', d: '2024-01-31', a: 10 },
    { c: 'a', d: '2024-02-01', a: 10 },
    { c: 'b', d: '2024-01-12', a: 10 },
    { c: 'b', d: '2024-01-13', a: 10 },
    { c: 'c', d: '2024-01-05', a: 10 },
  ];

  test('counts each cohort customer\'s purchase days after their first, by week ending on the last calibration day', () => {
    db.exec(fixtureSql('track_log', LOG));
    const spec = { source: 'track_log', customerId: 'c', orderDate: 'd', amount: 'a' };
    const rows = db.rows(clvTrackingSql(spec, { calibrationEnd: '2024-01-11', calibrationLast: '2024-01-10', end: '2024-02-01' }));
    expect(rows).toEqual([
      { week: -1, purchases: 1 },
      { week: 0, purchases: 1 },
      { week: 1, purchases: 1 },
      { week: 3, purchases: 1 },
    ]);
    // Without a holdout only calibration days count.
    const cal = db.rows(clvTrackingSql(spec, { calibrationEnd: '2024-01-11', calibrationLast: '2024-01-10', end: '2024-01-11' }));
    expect(cal).toEqual([{ week: -1, purchases: 1 }, { week: 0, purchases: 1 }]);
  });
});
