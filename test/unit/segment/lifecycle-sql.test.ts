/**
 * Lifecycle stages and churn warnings (issue 8) on hand-built customer histories, run through real
 * DuckDB. Every expected value below is worked out by hand from the definitions in
 * src/lib/segment/lifecycle-sql.ts; the working is written next to each customer.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import {
  churnWarningsSql,
  CHURN_WARNING_COLUMNS,
  DEFAULT_LIFECYCLE_RULES,
  gapRatioHistogramSql,
  lifecycleNotesSql,
  lifecycleSql,
  lifecycleSummarySql,
  storeIntervalSql,
  validateLifecycleRules,
  type LifecycleRules,
  type LifecycleSpec,
} from '../../../src/lib/segment/lifecycle-sql';
import { addDays } from '../../../src/lib/segment/orders-source';
import { fixtureSql, type OrderRow } from './rfm-reference';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  db.exec(fixtureSql('hist', HISTORY));
});

const AS_OF = '2024-07-01';
const buy = (c: string, d: string, a = 50): OrderRow => ({ c, d, a });
const every = (c: string, first: string, step: number, count: number, a = 50): OrderRow[] => Array.from({ length: count }, (_, k) => buy(c, addDays(first, step * k), a));

// As of 2024-07-01 with the default rules (new 30 d, interval >= 7 d, cooling 1.5x, at risk 2.5x,
// lapsed 4x or 180 d for one-time buyers, reactivated within 90 d, slowing: < 50 % of the earlier
// rate over the last 180 d).
// Store interval = median first gap of repeat buyers, floored at 7:
//   first gaps 1 (floor), 10 (reg, cool, risk, lapsedr, edge40, sameday), 20 (both), 30 (slow),
//   234 (react_old), 349 (react) -> 11 values, the 6th is 10 -> store interval 10 d, so a one-time
//   buyer is cooling past 15 d and at risk past 25 d.
const HISTORY: OrderRow[] = [
  // One purchase 21 d ago: tenure 21 <= 30 -> new.
  buy('new1', '2024-06-10'),
  // Tenure exactly 30 (Jun 1 -> Jul 1): the window includes its end -> new.
  buy('newb', '2024-06-01'),
  // One purchase 31 d ago: not new; one-time, 31 > 2.5 x 10 -> at risk.
  buy('old1', '2024-05-31'),
  // One purchase 213 d ago (Dec 1 -> Jul 1: 30 + 31+29+31+30+31+30 + 1) > 180 -> lapsed.
  buy('one_lapsed', '2023-12-01'),
  // One purchase exactly 180 d ago (Jan 3 -> Jul 1: 28+29+31+30+31+30+1): not > 180 -> at risk.
  buy('one_edge', '2024-01-03'),
  // Every 10 d from May 2, last Jun 21: gap 10 <= 15 -> active. Its Jul 5 order is after as-of.
  ...every('reg', '2024-05-02', 10, 6),
  buy('reg', '2024-07-05', 999),
  // Every 10 d, last Jun 11: gap 20 in (15, 25] -> cooling; a repeat buyer -> overdue.
  ...every('cool', '2024-05-02', 10, 5),
  // Every 10 d, last Jun 1: gap 30 in (25, 40] -> at risk; overdue.
  ...every('risk', '2024-04-22', 10, 5),
  // Every 10 d, last May 12: gap 50 > 4 x 10 -> lapsed (no warning for the lapsed).
  ...every('lapsedr', '2024-03-03', 10, 8),
  // Every 10 d, last May 22: gap exactly 40 = 4 x 10, not past it -> at risk; overdue.
  ...every('edge40', '2024-04-22', 10, 4),
  // Gaps 1, 30, 1, 1: median 1, floored to 7. Gap 9: without the floor lapsed (9 > 4 x 1); with it
  // not even cooling (9 <= 10.5). Jun 20 came 30 d after a 1-d rhythm: 30 > 4 x max(1, 7) = 28, a
  // return 11 d ago -> reactivated.
  buy('floor', '2024-05-20'),
  buy('floor', '2024-05-21'),
  buy('floor', '2024-06-20'),
  buy('floor', '2024-06-21'),
  buy('floor', '2024-06-22'),
  // A one-time buyer for 349 d (> 180) came back May 15 and again Jun 15: usual = median(349, 31)
  // = 190, gap 16 -> fine; returned 47 d ago <= 90 -> reactivated.
  buy('react', '2023-06-01'),
  buy('react', '2024-05-15'),
  buy('react', '2024-06-15'),
  // Returned long ago (Sep 1 2023, after 234 d > 180); the next gap 293 < 4 x 234 is no return.
  // Usual 263.5, gap 11 -> active. Not slowing: 1 x (538 - 180) = 358 >= 0.5 x 2 x 180 = 180.
  buy('react_old', '2023-01-10'),
  buy('react_old', '2023-09-01'),
  buy('react_old', '2024-06-20'),
  // Two orders on May 1 are one purchase day: 6 days, gaps 10, gap 11 -> active; revenue 10+20+5x50.
  buy('sameday', '2024-05-01', 10),
  buy('sameday', '2024-05-01', 20),
  ...every('sameday', '2024-05-11', 10, 5),
  // One purchase Mar 1 and a refund Jun 25: the refund is no purchase -> one-time, gap 122 (Mar 1
  // -> Jul 1: 30+30+31+30+1) in (25, 180] -> at risk; revenue 100 - 30 = 70.
  buy('refund', '2024-03-01', 100),
  buy('refund', '2024-06-25', -30),
  // Only a refund: left out, counted in the notes.
  buy('onlyrefund', '2024-03-01', -20),
  // Every 30 d through 2023 (12 purchases, last Dec 1), then Jun 20 2024 after 202 d > 4 x 30: a
  // return 11 d ago, gap 11 -> reactivated. Slowing: tenure 543 (Jan 5 2023 -> Jul 1 2024),
  // 12 purchase days before Jan 3 2024, 1 since: 1 x 363 < 0.5 x 12 x 180 = 1080.
  // Run-rate 13 x 100 x 365 / 543 = 873.849... -> 873.85.
  ...every('slow', '2023-01-05', 30, 12, 100),
  buy('slow', '2024-06-20', 100),
  // Every 20 d from Jan 1 2023 (18 purchases, last Dec 7), then May 20 2024 after 165 d > 4 x 20.
  // Usual 20, gap 42 in (30, 50] -> cooling (before reactivated) -> overdue; and slowing:
  // 1 x (547 - 180) = 367 < 0.5 x 18 x 180 = 1620. Run-rate 19 x 50 x 365 / 547 = 633.91.
  ...every('both', '2023-01-01', 20, 18),
  buy('both', '2024-05-20'),
  // Unreadable rows: no customer, and a date that is not a date.
  { c: null, d: '2024-06-01', a: 10 },
  { c: 'bad', d: 'not a date', a: 10 },
];

const EXPECTED_STAGE: Record<string, string> = {
  new1: 'new',
  newb: 'new',
  old1: 'at_risk',
  one_lapsed: 'lapsed',
  one_edge: 'at_risk',
  reg: 'active',
  cool: 'cooling',
  risk: 'at_risk',
  lapsedr: 'lapsed',
  edge40: 'at_risk',
  floor: 'reactivated',
  react: 'reactivated',
  react_old: 'active',
  sameday: 'active',
  refund: 'at_risk',
  slow: 'reactivated',
  both: 'cooling',
};

function spec(overrides: Partial<LifecycleSpec> = {}): LifecycleSpec {
  return { source: 'hist', customerId: 'c', orderDate: 'd', amount: 'a', asOf: AS_OF, valueView: null, ...overrides };
}

function stages(rules: LifecycleRules = DEFAULT_LIFECYCLE_RULES, s = spec()): Map<string, Record<string, unknown>> {
  return new Map(db.rows(lifecycleSql(s, rules)).map((r) => [String(r.customer_id), r]));
}

const day = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString().slice(0, 10));

describe('lifecycleSql', () => {
  test('stages every customer of the hand-built histories as worked out', () => {
    const got = stages();
    expect(Object.fromEntries([...got].map(([id, r]) => [id, r.stage]))).toEqual(EXPECTED_STAGE);
  });

  test('measures: purchase days, intervals with their floor, gaps, returns and revenue', () => {
    const got = stages();
    const pick = (id: string) => {
      const r = got.get(id)!;
      return { days: r.purchase_days, usual: r.usual_interval_days, expected: r.expected_interval_days, gap: r.days_since_last, ratio: r.gap_ratio, returned: day(r.returned_on), revenue: r.revenue };
    };
    expect(pick('reg')).toEqual({ days: 6, usual: 10, expected: 10, gap: 10, ratio: 1, returned: null, revenue: 300 });
    expect(pick('floor')).toEqual({ days: 5, usual: 7, expected: 7, gap: 9, ratio: 1.29, returned: '2024-06-20', revenue: 250 });
    expect(pick('react')).toEqual({ days: 3, usual: 190, expected: 190, gap: 16, ratio: 0.08, returned: '2024-05-15', revenue: 150 });
    expect(pick('react_old')).toEqual({ days: 3, usual: 263.5, expected: 263.5, gap: 11, ratio: 0.04, returned: '2023-09-01', revenue: 150 });
    expect(pick('sameday')).toEqual({ days: 6, usual: 10, expected: 10, gap: 11, ratio: 1.1, returned: null, revenue: 280 });
    // One-time buyers have no usual interval; they are measured against the store's (10 d).
    expect(pick('refund')).toEqual({ days: 1, usual: null, expected: 10, gap: 122, ratio: null, returned: null, revenue: 70 });
    expect(got.has('onlyrefund')).toBe(false);
    expect(got.has('bad')).toBe(false);
  });

  test('churn warnings: overdue repeat buyers and slowing ones, ranked by annual run-rate', () => {
    const got = stages();
    const warned = [...got].filter(([, r]) => r.warning).map(([id, r]) => [id, r.warning_reason]);
    expect(Object.fromEntries(warned)).toEqual({ cool: 'overdue', risk: 'overdue', edge40: 'overdue', slow: 'slowing', both: 'overdue, slowing' });
    expect(got.get('slow')!.value_at_stake).toBe(873.85);
    expect(got.get('both')!.value_at_stake).toBe(633.91);
    // Tenure under a year is not extrapolated: reg's 300 over 60 days is 300 a year.
    expect(got.get('reg')!.annual_run_rate).toBe(300);

    db.exec(`CREATE OR REPLACE VIEW lc_fixture AS ${lifecycleSql(spec(), DEFAULT_LIFECYCLE_RULES)}`);
    const list = db.rows(churnWarningsSql('lc_fixture'));
    expect(Object.keys(list[0])).toEqual([...CHURN_WARNING_COLUMNS]);
    // cool and risk tie on 250: ties go by customer id.
    expect(list.map((r) => [r.customer_id, r.value_at_stake])).toEqual([
      ['slow', 873.85],
      ['both', 633.91],
      ['cool', 250],
      ['risk', 250],
      ['edge40', 200],
    ]);
    expect(db.rows(storeIntervalSql('lc_fixture'))).toEqual([{ store_interval: 10 }]);
  });

  test('the rules are parameters: a shorter new window and a shorter one-time lapse move the boundary customers', () => {
    // new1 (one purchase, 21 d): no longer new, 21 in (15, 25] -> cooling; newb (30 d) -> at risk.
    // one_edge (180 d) is now past 179 -> lapsed.
    const got = stages({ ...DEFAULT_LIFECYCLE_RULES, newDays: 10, oneTimeLapsedDays: 179 });
    expect(got.get('new1')!.stage).toBe('cooling');
    expect(got.get('newb')!.stage).toBe('at_risk');
    expect(got.get('one_edge')!.stage).toBe('lapsed');
    // Without the interval floor (1 d), floor's gap of 9 is past 4 x 1: lapsed.
    expect(stages({ ...DEFAULT_LIFECYCLE_RULES, minIntervalDays: 1 }).get('floor')!.stage).toBe('lapsed');
  });

  test('a CLV view ranks the warnings where it covers the customer', () => {
    db.exec(`CREATE OR REPLACE TABLE clv_fixture AS SELECT * FROM (VALUES ('cool', 5000.0), ('slow', 10.0)) v(customer_id, clv)`);
    const got = stages(DEFAULT_LIFECYCLE_RULES, spec({ valueView: 'clv_fixture' }));
    expect(got.get('cool')!.value_at_stake).toBe(5000);
    expect(got.get('slow')!.value_at_stake).toBe(10);
    // Not in the CLV view: its run-rate.
    expect(got.get('both')!.value_at_stake).toBe(633.91);
  });
});

describe('lifecycle summaries', () => {
  test('notes count what was used and left out; the default as-of is the day after the last row', () => {
    expect(db.rows(lifecycleNotesSql(spec()))[0]).toEqual({
      rows_total: HISTORY.length,
      // All rows but the Jul 5 order (after as-of) and the two unreadable ones.
      rows_used: HISTORY.length - 3,
      rows_unreadable: 2,
      rows_after_as_of: 1,
      refunds: 2,
      customers: 17,
      customers_only_refunds: 1,
      as_of: AS_OF,
      min_date: '2023-01-01',
      max_date: '2024-07-05',
    });
    expect(db.rows(lifecycleNotesSql(spec({ asOf: null })))[0]).toMatchObject({ as_of: '2024-07-06', rows_after_as_of: 0 });
  });

  test('the stage summary lists every stage in order; customers sum to the view and revenue to its total', () => {
    db.exec(`CREATE OR REPLACE VIEW lc_fixture AS ${lifecycleSql(spec(), DEFAULT_LIFECYCLE_RULES)}`);
    const rows = db.rows(lifecycleSummarySql('lc_fixture'));
    expect(rows.map((r) => [r.stage, r.customers, r.warnings])).toEqual([
      ['new', 2, 0],
      ['active', 3, 0],
      ['reactivated', 3, 1],
      ['cooling', 2, 2],
      ['at_risk', 5, 2],
      ['lapsed', 2, 0],
    ]);
    // new: new1 50 + newb 50; lapsed: one_lapsed 50 + lapsedr 400.
    expect(rows[0].revenue).toBe(100);
    expect(rows[5].revenue).toBe(450);
    const total = db.rows('SELECT sum(revenue) AS r FROM lc_fixture')[0].r as number;
    expect(rows.reduce((s, r) => s + (r.revenue as number), 0)).toBeCloseTo(total, 6);
    expect(rows.reduce((s, r) => s + (r.pct_customers as number), 0)).toBeCloseTo(1, 12);
  });

  test('the gap histogram counts repeat buyers by ratio bin and stage, folding ratios past the cap', () => {
    db.exec(`CREATE OR REPLACE VIEW lc_fixture AS ${lifecycleSql(spec(), DEFAULT_LIFECYCLE_RULES)}`);
    const bins = db.rows(gapRatioHistogramSql('lc_fixture', 0.5, 4));
    // Ratios: reg 1.0, cool 2.0, risk 3.0, edge40 4.0 (folded: >= cap), lapsedr 5.0 (folded),
    // floor 9/7 = 1.29, react 0.08, react_old 0.04, sameday 1.1, slow 11/30 = 0.37, both 2.1.
    const byBin = bins.map((b) => [b.bin, b.stage, b.customers, b.overflow]);
    expect(byBin).toEqual([
      [0, 'reactivated', 2, false],
      [0, 'active', 1, false],
      [2, 'active', 2, false],
      [2, 'reactivated', 1, false],
      [4, 'cooling', 2, false],
      [6, 'at_risk', 1, false],
      [8, 'at_risk', 1, true],
      [8, 'lapsed', 1, true],
    ].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))));
    expect(bins.reduce((s, b) => s + (b.customers as number), 0)).toBe(11);
  });
});

describe('validateLifecycleRules', () => {
  test('accepts the defaults and refuses out-of-range values and factors out of order', () => {
    expect(validateLifecycleRules(DEFAULT_LIFECYCLE_RULES)).toEqual([]);
    expect(validateLifecycleRules({ ...DEFAULT_LIFECYCLE_RULES, newDays: 2.5 })[0]).toMatchObject({ key: 'lc.err.ruleWhole', params: { rule: 'newDays' } });
    expect(validateLifecycleRules({ ...DEFAULT_LIFECYCLE_RULES, coolingFactor: Number.NaN })[0]).toMatchObject({ key: 'lc.err.ruleNumber', params: { rule: 'coolingFactor' } });
    expect(validateLifecycleRules({ ...DEFAULT_LIFECYCLE_RULES, atRiskFactor: 5 })).toEqual([{ key: 'lc.err.factorOrder' }]);
    expect(() => lifecycleSql(spec(), { ...DEFAULT_LIFECYCLE_RULES, lapsedFactor: 1 })).toThrow(/invalid lifecycle rules/);
  });
});
