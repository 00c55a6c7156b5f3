/**
 * The CLV SQL (issue 8): the per-customer model inputs (x, t_x, T, mbar, holdout) computed by
 * DuckDB must equal the reference `summarizeOrders` of workers/clv on the same orders (a hand-worked
 * case and a seeded random log with same-day orders, refunds and a holdout, in days and weeks);
 * plus the dates, the settings check, the result join, the folded histogram and CLV by segment.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import {
  CLV_DEFAULTS,
  clvBySegmentSql,
  clvDates,
  clvPeriods,
  clvResultSql,
  clvStatsSql,
  clvSummarySql,
  foldedHistogramSql,
  NO_SEGMENT,
  validateClvSpec,
  type ClvSpec,
  type ClvUnit,
} from '../../../src/lib/segment/clv-sql';
import { addDays } from '../../../src/lib/segment/orders-source';
import { segmentSql, type ConditionTree } from '../../../src/lib/segment/conditions';
import { summarizeOrders } from '../../../workers/clv/summarize';
import { Random } from '../clv/simulate';
import { dayNumber, fixtureSql, type OrderRow } from './rfm-reference';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  db.exec(fixtureSql('clv_hand', HAND));
  db.exec(fixtureSql('clv_log', randomLog()));
});

const ORDERS = (source: string) => ({ source, customerId: 'c', orderDate: 'd', amount: 'a' });

// Calibration: purchases before 2024-01-11 (last day Jan 10); holdout: Jan 11 to before Feb 1.
// k7: Jan 1 (10 + 5, one purchase), Jan 5 (20 + 4), Jan 10 (30), Jan 20 (99, holdout), Feb 1 (after).
//     x = 2 (Jan 5, Jan 10), t_x = 9, T = Jan 10 - Jan 1 = 9, mbar = (24 + 30) / 2 = 27;
//     holdout: 1 purchase worth 99. A refund on Jan 7 is left out.
// k3: Jan 8 only: x = 0, t_x = 0, T = 2, mbar = 0.
// k9: first purchase Jan 11, in the holdout: not in the cohort.
const HAND: OrderRow[] = [
  { c: 'k7', d: '2024-01-01', a: 10 },
  { c: 'k7', d: '2024-01-01', a: 5 },
  { c: 'k7', d: '2024-01-05', a: 20 },
  { c: 'k7', d: '2024-01-05', a: 4 },
  { c: 'k7', d: '2024-01-07', a: -8 },
  { c: 'k7', d: '2024-01-10', a: 30 },
  { c: 'k7', d: '2024-01-20', a: 99 },
  { c: 'k7', d: '2024-02-01', a: 1000 },
  { c: 'k3', d: '2024-01-08', a: 12 },
  { c: 'k9', d: '2024-01-11', a: 50 },
];

/** A seeded order log: 60 customers over 2023-2024, some same-day orders and refunds. */
function randomLog(): OrderRow[] {
  const rng = new Random(8);
  const rows: OrderRow[] = [];
  for (let k = 0; k < 60; k++) {
    const c = `r${String(k).padStart(2, '0')}`;
    let d = addDays('2023-01-01', Math.floor(rng.uniform() * 600));
    const n = 1 + Math.floor(rng.uniform() * 8);
    for (let j = 0; j < n; j++) {
      rows.push({ c, d, a: Math.round(rng.uniform() * 20000) / 100 });
      if (rng.uniform() < 0.2) rows.push({ c, d, a: Math.round(rng.uniform() * 5000) / 100 });
      if (rng.uniform() < 0.1) rows.push({ c, d, a: -Math.round(rng.uniform() * 3000) / 100 });
      d = addDays(d, 1 + Math.floor(rng.uniform() * 90));
    }
  }
  return rows;
}

/** `summarizeOrders` on the purchase rows (amount >= 0) with the SQL's exclusive end dates made inclusive. */
function reference(rows: OrderRow[], calibrationEnd: string, holdoutEnd: string | null, unit: ClvUnit) {
  const purchases = rows.filter((r) => r.c !== null && r.a !== null && r.a >= 0 && dayNumber(r.d) !== null);
  const ids = [...new Set(purchases.map((r) => r.c as string))].sort();
  const key = new Map(ids.map((id, i) => [id, i]));
  const s = summarizeOrders(
    { customer: purchases.map((r) => key.get(r.c as string)!), day: purchases.map((r) => dayNumber(r.d)!), amount: purchases.map((r) => r.a as number) },
    { calibrationEnd: dayNumber(calibrationEnd)! - 1, holdoutEnd: holdoutEnd ? dayNumber(holdoutEnd)! - 1 : undefined, unit },
  );
  return Array.from(s.customer, (k, i) => ({
    customer_id: ids[k],
    x: s.x[i],
    t_x: s.tx[i],
    T: s.T[i],
    mbar: s.mbar[i],
    holdout_x: s.holdoutX ? s.holdoutX[i] : 0,
    holdout_value: s.holdoutAmount ? s.holdoutAmount[i] : 0,
  }));
}

function summary(source: string, unit: ClvUnit, calibrationEnd: string, holdoutEnd: string | null) {
  return db.rows(clvSummarySql({ ...ORDERS(source), unit }, { calibrationEnd, holdoutEnd })).map(({ first_purchase: _f, ...r }) => r);
}

function expectSame(got: Record<string, unknown>[], want: ReturnType<typeof reference>) {
  expect(got.map((r) => r.customer_id)).toEqual(want.map((r) => r.customer_id));
  want.forEach((w, i) => {
    const g = got[i];
    expect(g.x).toBe(w.x);
    for (const k of ['t_x', 'T', 'mbar', 'holdout_x', 'holdout_value'] as const) expect(g[k] as number, `${w.customer_id} ${k}`).toBeCloseTo(w[k], 9);
  });
}

describe('clvSummarySql', () => {
  test('the hand-worked case: same-day orders merged, first purchase out of mbar, refunds and later purchases left out', () => {
    const got = summary('clv_hand', 'days', '2024-01-11', '2024-02-01');
    expect(got).toEqual([
      { customer_id: 'k3', x: 0, t_x: 0, T: 2, mbar: 0, holdout_x: 0, holdout_value: 0 },
      { customer_id: 'k7', x: 2, t_x: 9, T: 9, mbar: 27, holdout_x: 1, holdout_value: 99 },
    ]);
    expectSame(got, reference(HAND, '2024-01-11', '2024-02-01', 'days'));
    // In weeks t_x and T are divided by 7.
    const weeks = summary('clv_hand', 'weeks', '2024-01-11', null);
    expect(weeks[1]).toMatchObject({ x: 2, holdout_x: 0, holdout_value: 0 });
    expect(weeks[1].t_x).toBeCloseTo(9 / 7, 12);
  });

  test('a seeded order log gives the reference summaries, with and without a holdout, in days and weeks', () => {
    const log = randomLog();
    expectSame(summary('clv_log', 'days', '2024-06-01', '2024-09-01'), reference(log, '2024-06-01', '2024-09-01', 'days'));
    expectSame(summary('clv_log', 'weeks', '2024-06-01', '2024-09-01'), reference(log, '2024-06-01', '2024-09-01', 'weeks'));
    expectSame(summary('clv_log', 'weeks', '2025-01-01', null), reference(log, '2025-01-01', null, 'weeks'));
  });
});

describe('clv settings and dates', () => {
  const spec = (p: Partial<ClvSpec> = {}): ClvSpec => ({ ...ORDERS('clv_log'), ...CLV_DEFAULTS, ...p });

  test('calibration end defaults to as-of minus the holdout; the holdout follows it', () => {
    expect(clvDates(spec(), '2025-01-01')).toEqual({ asOf: '2025-01-01', calibrationEnd: '2025-01-01', holdoutEnd: null, calibrationLast: '2024-12-31', holdoutLast: null });
    expect(clvDates(spec({ holdout: 26 }), '2025-01-01')).toEqual({ asOf: '2025-01-01', calibrationEnd: '2024-07-03', holdoutEnd: '2025-01-01', calibrationLast: '2024-07-02', holdoutLast: '2024-12-31' });
    expect(clvDates(spec({ unit: 'days', holdout: 30, asOf: '2024-06-01' }), '2025-01-01')).toEqual({ asOf: '2024-06-01', calibrationEnd: '2024-05-02', holdoutEnd: '2024-06-01', calibrationLast: '2024-05-01', holdoutLast: '2024-05-31' });
  });

  test('issue 14: the calibration end setting is the last day of calibration, included', () => {
    // 2024-03-01 included: the exclusive bound is 2024-03-02, 4 weeks of holdout 2024-03-02 .. 2024-03-29.
    expect(clvDates(spec({ holdout: 4, calibrationEnd: '2024-03-01' }), '2025-01-01')).toEqual({ asOf: '2025-01-01', calibrationEnd: '2024-03-02', holdoutEnd: '2024-03-30', calibrationLast: '2024-03-01', holdoutLast: '2024-03-29' });
    // CDNOW, as in the paper: 1997-01-01 .. 1997-09-30 is 273 days = 39 weeks, and so is the holdout to 1998-06-30.
    const dates = clvDates(spec({ holdout: 39, calibrationEnd: '1997-09-30' }), '1998-07-01');
    const periods = clvPeriods(dates, '1997-01-01', 'weeks');
    expect(periods.calibration).toEqual({ from: '1997-01-01', to: '1997-09-30', days: 273, units: 39 });
    expect(periods.holdout).toEqual({ from: '1997-10-01', to: '1998-06-30', days: 273, units: 39 });
    expect(clvPeriods(clvDates(spec({ unit: 'days' }), '2024-01-11'), '2024-01-01', 'days')).toEqual({ calibration: { from: '2024-01-01', to: '2024-01-10', days: 10, units: 10 }, holdout: null });
    // The last calibration day may be the day before as-of, not as-of itself.
    expect(validateClvSpec(spec({ asOf: '2024-01-02', calibrationEnd: '2024-01-01' }))).toEqual([]);
  });

  test('settings problems are keyed for the catalogue', () => {
    expect(validateClvSpec(spec())).toEqual([]);
    expect(validateClvSpec(spec({ horizon: 0 })).map((p) => p.key)).toEqual(['clv.err.horizon']);
    expect(validateClvSpec(spec({ holdout: -1 })).map((p) => p.key)).toEqual(['clv.err.holdout']);
    expect(validateClvSpec(spec({ unit: 'weeks', holdout: 0.5 })).map((p) => p.key)).toEqual(['clv.err.holdout']);
    expect(validateClvSpec(spec({ discountRate: Number.NaN })).map((p) => p.key)).toEqual(['clv.err.discount']);
    expect(validateClvSpec(spec({ asOf: '2024-02-30' })).map((p) => p.key)).toEqual(['clv.err.badDate']);
    expect(validateClvSpec(spec({ asOf: '2024-01-01', calibrationEnd: '2024-01-01' })).map((p) => p.key)).toEqual(['clv.err.calibrationAfterAsOf']);
  });
});

describe('the CLV result and its summaries', () => {
  beforeAll(() => {
    db.exec(`CREATE TABLE clv_in AS SELECT CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS i, * FROM (${clvSummarySql({ ...ORDERS('clv_hand'), unit: 'days' }, { calibrationEnd: '2024-01-11', holdoutEnd: null })})`);
    // Predictions for k3 (i = 0) and k7 (i = 1); k3's spend is not a number (q <= 1 and x = 0).
    // k3 gets a model date 12 days after the last calibration day (Jan 10); k7 none from the model, so
    // their own rhythm: last purchase Jan 10 + mean gap 9 / 2 = 4.5, rounded to 5 days = Jan 15.
    db.exec(`CREATE TABLE clv_pred (i INTEGER, p_alive DOUBLE, expected_purchases DOUBLE, p_order DOUBLE, next_wait DOUBLE, expected_aov DOUBLE, clv DOUBLE)`);
    db.exec(`INSERT INTO clv_pred VALUES (0, 1.0, 0.5, 0.61, 12, 'NaN', 'NaN'), (1, 0.8, 2.123456, 0.45, 'NaN', 26.504, 56.2777)`);
    db.exec(`CREATE VIEW clv_view AS ${clvResultSql('clv_in', 'clv_pred', { calibrationLast: '2024-01-10', unit: 'days', horizon: 30, churnBands: { high: 0.3, low: 0.9 } })}`);
    db.exec(`CREATE TABLE seg AS SELECT * FROM (VALUES ('k7', 'Champions'), ('zz', 'Lost')) v(customer_id, segment)`);
  });

  test('joins inputs and predictions by row, money in cents, non-numbers as NULL, highest CLV first', () => {
    expect(db.rows('SELECT * FROM clv_view')).toEqual([
      { customer_id: 'k7', frequency: 2, recency: 9, age: 9, avg_repeat_value: 27, p_alive: 0.8, churn_risk: 'medium', expected_purchases: 2.1235, p_order: 0.45, next_order_date: Date.UTC(2024, 0, 15), next_order_source: 'rhythm', expected_aov: 26.5, clv: 56.28 },
      { customer_id: 'k3', frequency: 0, recency: 0, age: 2, avg_repeat_value: 0, p_alive: 1, churn_risk: 'low', expected_purchases: 0.5, p_order: 0.61, next_order_date: Date.UTC(2024, 0, 22), next_order_source: 'model', expected_aov: null, clv: null },
    ]);
    expect(db.rows(clvStatsSql('clv_view'))[0]).toMatchObject({ customers: 2, valued: 1, total_clv: 56.28, repeat_customers: 1, likely_gone: 0 });
  });

  test('issue 17: churn risk and the next order date are conditions of the segment builder', () => {
    const columns = db.rows(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'clv_view' ORDER BY ordinal_position`) as { name: string; type: string }[];
    expect(columns.find((c) => c.name === 'next_order_date')?.type).toBe('DATE');
    const tree: ConditionTree = {
      kind: 'group',
      op: 'and',
      items: [
        { kind: 'in', column: 'churn_risk', values: ['medium', 'high'] },
        { kind: 'date', column: 'next_order_date', op: 'before', value: '2024-01-20' },
      ],
    };
    expect(db.rows(segmentSql('clv_view', tree, columns, null)).map((r) => r.customer_id)).toEqual(['k7']);
    const due: ConditionTree = { kind: 'compare', column: 'next_order_source', op: '=', value: 'model' };
    expect(db.rows(segmentSql('clv_view', due, columns, null)).map((r) => r.customer_id)).toEqual(['k3']);
  });

  test('CLV by segment: customers the segment view does not list are grouped apart', () => {
    expect(db.rows(clvBySegmentSql('clv_view', 'seg', 'segment'))).toEqual([
      { segment: 'Champions', customers: 1, total_clv: 56.28, avg_clv: 56.28, share_clv: 1, avg_p_alive: 0.8, expected_purchases: 2.1235 },
      { segment: NO_SEGMENT, customers: 1, total_clv: null, avg_clv: null, share_clv: null, avg_p_alive: 1, expected_purchases: 0.5 },
    ]);
  });

  test('the folded histogram: equal bins up to the clip quantile, the rest in one last bin; fixed bounds fold nothing', () => {
    db.exec(`CREATE TABLE hv AS SELECT range::DOUBLE AS v FROM range(0, 100)`);
    // quantile_disc(0.9) of 0..99 is 89: ten bins of 8.9 from 0, then (89, 99] with 10 values.
    const bins = db.rows(foldedHistogramSql('hv', 'v', 10, 0.9));
    expect(bins).toHaveLength(11);
    expect(bins.reduce((s, b) => s + (b.customers as number), 0)).toBe(100);
    expect(bins[10]).toMatchObject({ bin: 10, bin_start: 89, bin_end: 99, customers: 10, overflow: true });
    expect(bins[9]).toMatchObject({ bin_end: 89, overflow: false });
    const fixed = db.rows(foldedHistogramSql('hv', 'v', 4, 1, [0, 100]));
    expect(fixed.map((b) => [b.bin_start, b.bin_end, b.customers])).toEqual([[0, 25, 25], [25, 50, 25], [50, 75, 25], [75, 100, 25]]);
    // No values: no bins.
    db.exec('CREATE TABLE hv0 (v DOUBLE)');
    expect(db.rows(foldedHistogramSql('hv0', 'v', 5))).toEqual([]);
  });
});
