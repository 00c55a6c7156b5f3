/**
 * The RFM result readers (segment lists and exports, score ranges, folded histograms) run against
 * real DuckDB on small hand-built RFM views whose answers are worked out in the comments.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import {
  RFM_EXPORT_COLUMNS,
  rfmCustomersSql,
  rfmHistogramSql,
  rfmScoreRangesSql,
  rfmSelectionViewSql,
  segmentSlug,
  thresholdsFromRanges,
  FALLBACK_THRESHOLDS,
  type RfmScoreRange,
} from '../../../src/lib/segment/rfm-views';
import { rfmSql } from '../../../src/lib/segment/rfm-sql';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec } from '../../../src/lib/segment/rfm-spec';

let db: TestDb;

// A hand-made RFM view (the columns rfmSql produces), with a quoted, Chinese-named view.
const VIEW = 'rfm "结果"';
const CUSTOMERS: [string, number, number, number, number, number, number, string][] = [
  // id, recency, frequency, monetary, r, f, m, segment
  ['a', 3, 9, 500, 5, 5, 5, 'Champions'],
  ['b', 5, 7, 500, 5, 4, 5, 'Champions'],
  ['c', 40, 4, 120.5, 3, 3, 3, 'Loyal Customers'],
  ['d', 300, 1, 20, 1, 1, 1, 'Lost'],
  ['e', 2, 1, 35, 5, 1, 2, 'New Customers'],
  ['f', 310, 1, 15.25, 1, 1, 1, 'Lost'],
  ["o'neil", 200, 6, 900, 2, 4, 5, 'At Risk'],
];

beforeAll(async () => {
  db = await openTestDb();
  const values = CUSTOMERS.map(
    ([id, rec, fr, mon, r, f, m, seg]) => `('${id.replace("'", "''")}', ${rec}, ${fr}, ${mon}::DOUBLE, ${mon}::DOUBLE, ${r}, ${f}, ${m}, '${r}${f}${m}', '${seg}')`,
  ).join(', ');
  db.exec(`CREATE TABLE "${VIEW.replaceAll('"', '""')}" AS SELECT * FROM (VALUES ${values})
    AS t(customer_id, recency_days, frequency, monetary, revenue, r_score, f_score, m_score, rfm_cell, segment)`);
});

describe('customer lists and exports', () => {
  test('all customers: exactly the export columns, highest monetary first, ties by id', () => {
    const rows = db.rows(rfmCustomersSql(VIEW, null));
    expect(Object.keys(rows[0])).toEqual([...RFM_EXPORT_COLUMNS]);
    expect(RFM_EXPORT_COLUMNS.join(',')).toBe('customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment');
    // 900 (o'neil), then the two 500s by id (a, b), 120.5, 35, 20, 15.25
    expect(rows.map((r) => r.customer_id)).toEqual(["o'neil", 'a', 'b', 'c', 'e', 'd', 'f']);
    expect(rows[0]).toEqual({ customer_id: "o'neil", recency_days: 200, frequency: 6, monetary: 900, r_score: 2, f_score: 4, m_score: 5, segment: 'At Risk' });
  });

  test('one segment, including a name with a quote; an unknown segment gives no rows', () => {
    expect(db.rows(rfmCustomersSql(VIEW, 'Lost')).map((r) => r.customer_id)).toEqual(['d', 'f']);
    expect(db.rows(rfmCustomersSql(VIEW, "Can't Lose Them"))).toEqual([]);
  });

  test('a selection view pages in order with LIMIT/OFFSET, as the result grid reads it', () => {
    db.exec(rfmSelectionViewSql('__segnote_rfm_sel_test', VIEW, null));
    expect(db.rows('SELECT customer_id FROM __segnote_rfm_sel_test LIMIT 3 OFFSET 2').map((r) => r.customer_id)).toEqual(['b', 'c', 'e']);
    db.exec(rfmSelectionViewSql('__segnote_rfm_sel_test', VIEW, 'Champions'));
    expect(db.rows('SELECT count(*) AS n FROM __segnote_rfm_sel_test')[0].n).toBe(2);
  });

  test('works on the view rfmSql itself produces', () => {
    db.exec(`CREATE TABLE small_orders AS SELECT * FROM (VALUES ('x', DATE '2024-01-01', 10.0), ('x', DATE '2024-01-05', 5.0), ('y', DATE '2024-01-03', 7.5)) t(c, d, a)`);
    const spec = defaultRfmSpec('small_orders', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
    db.exec(`CREATE VIEW small_rfm AS ${rfmSql(spec, DEFAULT_RFM_RULES)}`);
    // as-of 2024-01-06: x bought twice (15.00, last 1 day ago), y once (7.50, 3 days ago)
    expect(db.rows(rfmCustomersSql('small_rfm', null)).map((r) => [r.customer_id, r.recency_days, r.frequency, r.monetary])).toEqual([
      ['x', 1, 2, 15],
      ['y', 3, 1, 7.5],
    ]);
  });
});

describe('score ranges', () => {
  test('min and max value per score that occurs, R then F then M, high scores first', () => {
    const rows = db.rows(rfmScoreRangesSql(VIEW));
    const pick = (m: string) => rows.filter((r) => r.measure === m).map((r) => [r.score, r.customers, r.min_value, r.max_value]);
    // R: 5 <- a(3), b(5), e(2); 3 <- c(40); 2 <- o'neil(200); 1 <- d(300), f(310)
    expect(pick('recency_days')).toEqual([[5, 3, 2, 5], [3, 1, 40, 40], [2, 1, 200, 200], [1, 2, 300, 310]]);
    // F: 5 <- 9; 4 <- 7, 6; 3 <- 4; 1 <- d, e, f (all 1)
    expect(pick('frequency')).toEqual([[5, 1, 9, 9], [4, 2, 6, 7], [3, 1, 4, 4], [1, 3, 1, 1]]);
    // M: 5 <- 500, 500, 900; 3 <- 120.5; 2 <- 35; 1 <- 20, 15.25
    expect(pick('monetary')).toEqual([[5, 3, 500, 900], [3, 1, 120.5, 120.5], [2, 1, 35, 35], [1, 2, 15.25, 20]]);
  });
});

describe('thresholds from a run', () => {
  test('cut points at the largest value of each score reproduce the quantile scores', () => {
    db.exec('DROP TABLE IF EXISTS q_orders');
    // 10 customers, one order each on distinct days and amounts; as-of 2024-01-11.
    db.exec(`CREATE TABLE q_orders AS SELECT 'c' || i AS c, DATE '2024-01-01' + CAST(i - 1 AS INTEGER) AS d, 10.0 * i AS a FROM range(1, 11) t(i)`);
    const spec = defaultRfmSpec('q_orders', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
    const quantile = db.rows(rfmSql(spec, DEFAULT_RFM_RULES));
    db.exec(`CREATE OR REPLACE TABLE q_rfm AS ${rfmSql(spec, DEFAULT_RFM_RULES)}`);
    const cuts = thresholdsFromRanges(db.rows(rfmScoreRangesSql('q_rfm')) as unknown as RfmScoreRange[]);
    // recency 1..10 days, two customers per quintile: R 5 <= 2, R 4 <= 4, ...; money 10..100: M 1 <= 20, ...
    expect(cuts.r).toEqual([2, 4, 6, 8]);
    expect(cuts.m).toEqual([20, 40, 60, 80]);
    // Everyone bought once: F has only score 1, so F falls back.
    expect(cuts.f).toEqual([...FALLBACK_THRESHOLDS.f]);
    const thresholds = db.rows(rfmSql({ ...spec, scoring: { method: 'thresholds', ...cuts } }, DEFAULT_RFM_RULES));
    const key = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.customer_id}:${r.r_score}${r.m_score}`).sort();
    expect(key(thresholds)).toEqual(key(quantile));
  });

  test('missing scores fall back', () => {
    expect(thresholdsFromRanges([])).toEqual({ r: [...FALLBACK_THRESHOLDS.r], f: [...FALLBACK_THRESHOLDS.f], m: [...FALLBACK_THRESHOLDS.m] });
  });
});

describe('folded histograms', () => {
  function hist(values: number[], measure: 'recency_days' | 'monetary', bins: number, clip: number) {
    db.exec('DROP TABLE IF EXISTS h');
    db.exec(`CREATE TABLE h(${measure} DOUBLE)`);
    if (values.length) db.exec(`INSERT INTO h VALUES ${values.map((v) => `(${v})`).join(', ')}`);
    return db.rows(rfmHistogramSql('h', measure, bins, clip)).map((r) => [r.bin, r.bin_start, r.bin_end, r.customers, r.overflow]);
  }

  test('whole numbers: the tail above the clip quantile is one overflow bin', () => {
    // 1..19 and 1000; the 0.9 quantile (18th of 20 values) is 18. width = ceil((18 - 1 + 1) / 6) = 3,
    // bins [1,4) [4,7) ... [16,19) with 3 values each; 19 and 1000 go to the overflow bin [19, 1001).
    const values = [...Array.from({ length: 19 }, (_, i) => i + 1), 1000];
    expect(hist(values, 'recency_days', 6, 0.9)).toEqual([
      [0, 1, 4, 3, false],
      [1, 4, 7, 3, false],
      [2, 7, 10, 3, false],
      [3, 10, 13, 3, false],
      [4, 13, 16, 3, false],
      [5, 16, 19, 3, false],
      [6, 19, 1001, 2, true],
    ]);
  });

  test('money: equal bins up to the cap (inclusive), then (cap, max]; empty bins listed', () => {
    // 0, 10, 20, 30, 40, 1000: the 0.8 quantile (5th of 6) is 40; width 10:
    // [0,10) 0 | [10,20) 10 | [20,30) 20 | [30,40] 30, 40 | (40, 1000] 1000
    expect(hist([0, 10, 20, 30, 40, 1000], 'monetary', 4, 0.8)).toEqual([
      [0, 0, 10, 1, false],
      [1, 10, 20, 1, false],
      [2, 20, 30, 1, false],
      [3, 30, 40, 2, false],
      [4, 40, 1000, 1, true],
    ]);
    // 0, 0, 9 and 1, clip 1 (no overflow): 3 bins of width 3 from 0 to 9: [0,3) 0, 0, 1 | [3,6) none | [6,9] 9
    expect(hist([0, 0, 9, 1], 'monetary', 3, 1)).toEqual([
      [0, 0, 3, 3, false],
      [1, 3, 6, 0, false],
      [2, 6, 9, 1, false],
    ]);
  });

  test('all-equal values give one bin; no customers give no rows; bad arguments throw', () => {
    expect(hist([5, 5, 5], 'monetary', 10, 0.95)).toEqual([[0, 5, 5, 3, false]]);
    expect(hist([7, 7], 'recency_days', 10, 0.95)).toEqual([[0, 7, 8, 2, false]]);
    expect(hist([], 'monetary', 10, 0.95)).toEqual([]);
    expect(() => rfmHistogramSql('h', 'r_score', 5)).toThrow(/invalid histogram measure/);
    expect(() => rfmHistogramSql('h', 'monetary', 0)).toThrow(/invalid bin count/);
    expect(() => rfmHistogramSql('h', 'monetary', 5, 0)).toThrow(/invalid clip/);
  });
});

test('segment names become file-name-safe slugs', () => {
  expect(segmentSlug("Can't Lose Them")).toBe('cant_lose_them');
  expect(segmentSlug('Need Attention')).toBe('need_attention');
  expect(segmentSlug('高价值 客户')).toBe('高价值_客户');
  expect(segmentSlug('///')).toBe('segment');
});
