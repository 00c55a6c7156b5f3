import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { segmentLabel } from '../../../src/lib/segment/builtin-names';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';
import {
  rfmDistributionSql,
  rfmGridSql,
  rfmNotesSql,
  rfmSql,
  rfmSummarySql,
  type RfmMeasure,
} from '../../../src/lib/segment/rfm-sql';
import { fixtureSql, referenceRfm, seeded, type OrderRow, type RefCustomer } from './rfm-reference';

let db: TestDb;
let tableNo = 0;

beforeAll(async () => {
  db = await openTestDb();
});

/** Loads rows into a fresh table and returns a default spec over it (columns c, d, a, o). */
function load(rows: OrderRow[], overrides: Partial<RfmSpec> = {}): RfmSpec {
  const table = `orders_${++tableNo}`;
  db.exec(fixtureSql(table, rows));
  return { ...defaultRfmSpec(table, { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null }), ...overrides };
}

function runRfm(spec: RfmSpec): Map<string, RefCustomer> {
  const out = new Map<string, RefCustomer>();
  for (const row of db.rows(rfmSql(spec, DEFAULT_RFM_RULES))) out.set(String(row.customer_id), row as unknown as RefCustomer);
  return out;
}

function notes(spec: RfmSpec): Record<string, unknown> {
  return db.rows(rfmNotesSql(spec))[0];
}

/** Compares SQL output with the reference loop, customer by customer. */
function expectMatchesReference(rows: OrderRow[], spec: RfmSpec): Map<string, RefCustomer> {
  const got = runRfm(spec);
  const want = referenceRfm(rows, spec, DEFAULT_RFM_RULES);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [id, w] of want) {
    const g = got.get(id)!;
    expect({ id, ...g, monetary: undefined }).toEqual({ id, ...w, monetary: undefined });
    expect(g.monetary).toBeCloseTo(w.monetary, 9);
  }
  return got;
}

// Fixture A, as-of 2024-03-01. Hand-worked (n = 10, so NTILE(5) buckets are positions 1-2, 3-4, ...):
// recency sorted 1,1,2,3,29,46,60,61,245,366 -> R 5,5,4,4,3,3,2,2,1,1.
//   c01 2024-02-29 -> 1 day (leap day); c02 2023-12-31 -> 61 days; c04 2023-03-01 -> 366 days.
// frequency sorted 1,1,1,1,1,1,2,2,3,4: only four distinct values, so each is its own score
//   (issue 14): 1 order -> F 1, 2 -> F 2, 3 -> F 3, 4 -> F 4, F 5 empty. (Tie-safe NTILE gave
//   F 1, 4, 5, 5: "F 4" for two orders.)
// monetary sorted 5,10,12.34,32,40,50,75,100,100,125.5: the two 100s straddle positions 8 and 9
//   (buckets 4 and 5) and both get M 4.
const FIXTURE_A: OrderRow[] = [
  { c: 'c01', d: '2024-02-29', a: 100 },
  { c: 'c02', d: '2023-12-31', a: 50 },
  { c: 'c03', d: '2024-01-31', a: 20 },
  { c: 'c03', d: '2024-02-01', a: 20 },
  { c: 'c04', d: '2023-03-01', a: 10 },
  { c: 'c05', d: '2024-02-28', a: 30 },
  { c: 'c05', d: '2024-02-10', a: 30 },
  { c: 'c05', d: '2023-11-30', a: 40 },
  { c: 'c06', d: '2024-01-01', a: 5 },
  { c: 'c07', d: '2024-02-29', a: 75 },
  { c: 'c08', d: '2023-12-31', a: 100 },
  { c: 'c08', d: '2024-01-15', a: 25.5 },
  { c: 'c09', d: '2023-06-30', a: 12.34 },
  { c: 'c10', d: '2024-02-15', a: 8 },
  { c: 'c10', d: '2024-02-20', a: 8 },
  { c: 'c10', d: '2024-02-25', a: 8 },
  { c: 'c10', d: '2024-02-27', a: 8 },
];

describe('rfmSql: scores and segments', () => {
  test('fixture A with ties and month/year boundaries matches the hand-worked values', () => {
    const spec = load(FIXTURE_A, { asOf: '2024-03-01' });
    const got = expectMatchesReference(FIXTURE_A, spec);
    const pick = (id: string) => {
      const g = got.get(id)!;
      return [g.recency_days, g.frequency, g.monetary, g.rfm_cell, g.segment];
    };
    expect(pick('c01')).toEqual([1, 1, 100, '514', 'New Customers']);
    expect(pick('c02')).toEqual([61, 1, 50, '213', 'About To Sleep']);
    expect(pick('c03')).toEqual([29, 2, 40, '323', 'Need Attention']);
    expect(pick('c04')).toEqual([366, 1, 10, '111', 'Lost']);
    expect(pick('c05')).toEqual([2, 3, 100, '434', 'Loyal Customers']);
    expect(pick('c06')).toEqual([60, 1, 5, '211', 'About To Sleep']);
    expect(pick('c07')).toEqual([1, 1, 75, '514', 'New Customers']);
    expect(pick('c08')).toEqual([46, 2, 125.5, '325', 'Need Attention']);
    expect(pick('c09')).toEqual([245, 1, 12.34, '112', 'Lost']);
    expect(pick('c10')).toEqual([3, 4, 32, '442', 'Potential Loyalist']);
  });

  test('ties always get equal scores, also when rows are loaded in a different order', () => {
    const spec = load([...FIXTURE_A].reverse(), { asOf: '2024-03-01' });
    const got = runRfm(spec);
    expect(got.get('c01')!.rfm_cell).toBe(got.get('c07')!.rfm_cell);
    expect(got.get('c01')!.m_score).toBe(got.get('c05')!.m_score);
  });

  test('default as-of is the day after the latest order: recency 1 for the latest buyer', () => {
    const spec = load(FIXTURE_A);
    const got = expectMatchesReference(FIXTURE_A, spec);
    expect(got.get('c01')!.recency_days).toBe(1);
    expect(notes(spec).as_of).toBe('2024-03-01');
  });

  test('a single customer scores R 5, F 1, M 1 (New Customers)', () => {
    const rows: OrderRow[] = [
      { c: 'solo', d: '2024-05-01', a: 12.5 },
      { c: 'solo', d: '2024-05-03', a: 7.5 },
    ];
    const spec = load(rows);
    const got = expectMatchesReference(rows, spec);
    expect(got.get('solo')).toMatchObject({ recency_days: 1, frequency: 2, monetary: 20, rfm_cell: '511', segment: 'New Customers' });
  });

  test('all-identical customers all score R 5, F 1, M 1', () => {
    const rows: OrderRow[] = ['x', 'y', 'z', 'w'].map((c) => ({ c, d: '2024-01-10', a: 50 }));
    const spec = load(rows, { asOf: '2024-01-20' });
    const got = expectMatchesReference(rows, spec);
    for (const c of got.values()) expect(c).toMatchObject({ recency_days: 10, rfm_cell: '511' });
  });

  test('fewer than five distinct values: the j-th smallest scores j (1, 2, 3 for three values)', () => {
    const rows: OrderRow[] = [
      { c: 'a', d: '2024-01-01', a: 10 },
      { c: 'b', d: '2024-01-02', a: 20 },
      { c: 'b', d: '2024-01-03', a: 20 },
      { c: 'c', d: '2024-01-04', a: 30 },
      { c: 'c', d: '2024-01-05', a: 30 },
      { c: 'c', d: '2024-01-06', a: 30 },
    ];
    const spec = load(rows, { asOf: '2024-01-07' });
    const got = expectMatchesReference(rows, spec);
    expect(['a', 'b', 'c'].map((c) => got.get(c)!.rfm_cell)).toEqual(['311', '422', '533']);
  });

  test('refunds: netted (not orders, customers with only refunds left out) or excluded', () => {
    // as-of 2024-06-01. r1 buys 100 and returns 30 (own order id); r2's refund reuses order o3;
    // r3 only has a refund; r4 has a paid and a free (0) order on 2024-05-31.
    const rows: OrderRow[] = [
      { c: 'r1', d: '2024-05-01', a: 100, o: 'o1' },
      { c: 'r1', d: '2024-05-10', a: -30, o: 'o2' },
      { c: 'r2', d: '2024-04-01', a: 50, o: 'o3' },
      { c: 'r2', d: '2024-05-20', a: -50, o: 'o3' },
      { c: 'r3', d: '2024-05-15', a: -20, o: 'o4' },
      { c: 'r4', d: '2024-05-31', a: 10, o: 'o5' },
      { c: 'r4', d: '2024-05-31', a: 0, o: 'o6' },
    ];
    const net = load(rows, { asOf: '2024-06-01', orderId: 'o' });
    const gotNet = expectMatchesReference(rows, net);
    expect([...gotNet.keys()].sort()).toEqual(['r1', 'r2', 'r4']);
    // Hand-worked: r1 31 days (May 1 -> Jun 1), 1 order, 70; r2 61 days (Apr 1 -> Jun 1), 1 order, 0; r4 1 day, 2 orders, 10.
    expect(['r1', 'r2', 'r4'].map((c) => [gotNet.get(c)!.recency_days, gotNet.get(c)!.frequency, gotNet.get(c)!.revenue])).toEqual([
      [31, 1, 70],
      [61, 1, 0],
      [1, 2, 10],
    ]);
    expect(notes(net)).toMatchObject({ rows_used: 7, refunds_netted: 3, refund_amount: -100, refunds_excluded: 0, customers: 3, customers_without_purchase: 1 });

    const excl = { ...net, negatives: 'exclude' as const };
    const gotExcl = expectMatchesReference(rows, excl);
    expect(['r1', 'r2', 'r4'].map((c) => gotExcl.get(c)!.revenue)).toEqual([100, 50, 10]);
    expect(notes(excl)).toMatchObject({ rows_used: 4, refunds_netted: 0, refunds_excluded: 3, customers: 3, customers_without_purchase: 0 });
  });

  test('monetary average divides the (net) total by the orders', () => {
    const rows: OrderRow[] = [
      { c: 'a', d: '2024-01-01', a: 10 },
      { c: 'a', d: '2024-01-02', a: 20.01 },
      { c: 'a', d: '2024-01-03', a: -5 },
      { c: 'b', d: '2024-01-02', a: 7 },
      { c: 'b', d: '2024-01-03', a: 7 },
      { c: 'b', d: '2024-01-04', a: 7.01 },
    ];
    const spec = load(rows, { monetary: 'average' });
    const got = expectMatchesReference(rows, spec);
    expect(got.get('a')!.monetary).toBe(12.51); // (10 + 20.01 - 5) / 2 = 12.505 -> 12.51 (half away from zero)
    expect(got.get('b')!.monetary).toBe(7); // 21.01 / 3 = 7.0033
    expect(got.get('a')!.revenue).toBe(25.01);
  });

  test('order ids: distinct orders, rows without an id count as their own order, orderIdsUnique counts rows', () => {
    const rows: OrderRow[] = [
      { c: 'a', d: '2024-01-01', a: 5, o: 'A1' },
      { c: 'a', d: '2024-01-01', a: 6, o: 'A1' },
      { c: 'a', d: '2024-01-05', a: 7, o: 'A2' },
      { c: 'a', d: '2024-01-06', a: 8, o: null },
      { c: 'b', d: '2024-01-02', a: 9, o: 'B1' },
    ];
    const spec = load(rows, { orderId: 'o' });
    const got = expectMatchesReference(rows, spec);
    expect(got.get('a')!.frequency).toBe(3); // A1, A2 and the row without an id
    const rowsCounted = expectMatchesReference(rows, { ...spec, orderIdsUnique: true });
    expect(rowsCounted.get('a')!.frequency).toBe(4);
  });

  test('thresholds: a value equal to a cut point falls in the lower band (R: the better one)', () => {
    const spec = load(FIXTURE_A, {
      asOf: '2024-03-01',
      scoring: { method: 'thresholds', r: [7, 30, 90, 180], f: [1, 2, 3, 5], m: [10, 50, 100, 200] },
    });
    const got = expectMatchesReference(FIXTURE_A, spec);
    expect(got.get('c01')!.rfm_cell).toBe('513'); // 1 day <= 7; 1 order <= 1; 100 <= 100
    expect(got.get('c04')!.rfm_cell).toBe('111'); // 366 > 180; 10 <= 10
    expect(got.get('c03')!.rfm_cell).toBe('422'); // 29 <= 30; 2 <= 2; 40 <= 50
  });

  test('invalid threshold cut points are refused', () => {
    const spec = load(FIXTURE_A.slice(0, 2), { scoring: { method: 'thresholds', r: [1, 2, 3], f: [1, 2, 3, 4], m: [1, 2, 3, 4] } });
    expect(() => rfmSql(spec, DEFAULT_RFM_RULES)).toThrow(/R cut points/);
  });
});

describe('rfmNotesSql and row filters', () => {
  // Every row lands in exactly one bucket, checked in this order:
  // null customer, null date, bad date, null amount, outside window, after as-of, used.
  const rows: OrderRow[] = [
    { c: null, d: '2024-01-10', a: 10 }, // null customer
    { c: 'a', d: null, a: 10 }, // null date
    { c: 'a', d: 'not a date', a: 10 }, // bad date
    { c: 'a', d: '2024-02-30', a: 10 }, // bad date: no such day
    { c: 'b', d: '2024-01-05', a: null }, // null amount
    { c: 'a', d: '2024-01-05', a: 20 },
    { c: 'b', d: '2024-01-06 13:45:00', a: 5 }, // text timestamp: the day counts
    { c: 'b', d: '2023-12-31', a: 7 }, // before the window
    { c: 'c', d: '2024-01-31', a: 4 }, // last day of the window (inclusive)
    { c: 'c', d: '2024-02-01', a: 9 }, // after the window end / on the as-of date
  ];

  test('window with inclusive end; as-of computed as the day after the last row in the window', () => {
    const spec = load(rows, { window: { from: '2024-01-01', to: '2024-01-31' } });
    const got = expectMatchesReference(rows, spec);
    // as-of 2024-02-01: a Jan 5 -> 27 days; b Jan 6 -> 26 days; c Jan 31 -> 1 day.
    expect(['a', 'b', 'c'].map((c) => got.get(c)!.recency_days)).toEqual([27, 26, 1]);
    expect(notes(spec)).toEqual({
      rows_total: 10,
      rows_used: 3,
      rows_null_customer: 1,
      rows_null_date: 1,
      rows_bad_date: 2,
      rows_null_amount: 1,
      rows_outside_window: 2,
      rows_after_as_of: 0,
      refunds_excluded: 0,
      refunds_netted: 0,
      refund_amount: 0,
      customers: 3,
      customers_without_purchase: 0,
      as_of: '2024-02-01',
    });
  });

  test('rows on or after a given as-of date are left out and counted', () => {
    const spec = load(rows, { window: { from: '2024-01-01', to: null }, asOf: '2024-02-01' });
    expectMatchesReference(rows, spec);
    expect(notes(spec)).toMatchObject({ rows_used: 3, rows_outside_window: 1, rows_after_as_of: 1, as_of: '2024-02-01' });
  });

  test('every row is counted exactly once', () => {
    const spec = load(rows, { window: { from: '2024-01-01', to: null }, asOf: '2024-02-01', negatives: 'exclude' });
    const n = notes(spec) as Record<string, number>;
    const buckets = ['rows_used', 'rows_null_customer', 'rows_null_date', 'rows_bad_date', 'rows_null_amount', 'rows_outside_window', 'rows_after_as_of', 'refunds_excluded'];
    expect(buckets.reduce((s, k) => s + n[k], 0)).toBe(n.rows_total);
  });
});

describe('rfmSql against the reference on seeded random orders', () => {
  const random = seeded(20240229);
  const rows: OrderRow[] = [];
  for (let i = 0; i < 400; i++) {
    const customer = random() < 0.02 ? null : `cust${Math.floor(random() ** 2 * 60)}`;
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10);
    const d = random() < 0.02 ? null : random() < 0.02 ? 'n/a' : day;
    const cents = Math.floor(random() * 20_000) * (random() < 0.08 ? -1 : 1);
    const a = random() < 0.02 ? null : random() < 0.1 ? 25 : cents / 100; // many ties at 25
    const o = random() < 0.03 ? null : `o${Math.floor(random() * 300)}`;
    rows.push({ c: customer, d, a, o });
  }
  const variants: [string, Partial<RfmSpec>][] = [
    ['defaults', {}],
    ['order ids, net, total', { orderId: 'o' }],
    ['order ids, exclude, average', { orderId: 'o', negatives: 'exclude', monetary: 'average' }],
    ['window and as-of', { window: { from: '2023-04-01', to: '2024-06-30' }, asOf: '2024-05-15' }],
    ['window only, average', { window: { from: '2023-07-01', to: '2023-12-31' }, monetary: 'average' }],
    ['thresholds', { scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 4, 8], m: [50, 200, 500, 1000] } }],
  ];
  let base: RfmSpec;
  beforeAll(() => {
    base = load(rows);
  });
  for (const [name, overrides] of variants) {
    test(name, () => {
      const spec = { ...base, ...overrides };
      const got = expectMatchesReference(rows, spec);
      expect(got.size).toBeGreaterThan(20);
    });
  }
});

describe('summary, grid and distribution queries', () => {
  let view: string;
  beforeAll(() => {
    const spec = load(FIXTURE_A, { asOf: '2024-03-01' });
    view = `rfm view "${tableNo}"`;
    db.exec(`CREATE VIEW "${view.replaceAll('"', '""')}" AS ${rfmSql(spec, DEFAULT_RFM_RULES)}`);
  });

  test('summary lists every rule in order with customers and revenue shares', () => {
    const rows = db.rows(rfmSummarySql(view, DEFAULT_RFM_RULES));
    expect(rows.map((r) => r.segment)).toEqual(DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)));
    const byName = Object.fromEntries(rows.map((r) => [r.segment, r]));
    // Need Attention: c03 (40) and c08 (125.5) of 549.84 total revenue, 2 of 10 customers.
    expect(byName['Need Attention']).toMatchObject({ customers: 2, pct_customers: 0.2, revenue: 165.5, avg_recency: 37.5, avg_frequency: 2 });
    expect(byName['Need Attention'].pct_revenue as number).toBeCloseTo(165.5 / 549.84, 12);
    expect(byName['Loyal Customers']).toMatchObject({ customers: 1, revenue: 100 });
    expect(byName['Champions']).toMatchObject({ customers: 0, revenue: 0 });
    expect(byName["Can't Lose Them"]).toMatchObject({ customers: 0, revenue: 0, avg_recency: null });
    expect(rows.reduce((s, r) => s + (r.customers as number), 0)).toBe(10);
  });

  test('grid has all 25 cells with majority segment', () => {
    const rows = db.rows(rfmGridSql(view));
    expect(rows).toHaveLength(25);
    const cell = (r: number, f: number) => rows.find((x) => x.r_score === r && x.f_score === f)!;
    expect(cell(5, 1)).toMatchObject({ customers: 2, avg_monetary: 87.5, segment: 'New Customers', segment_share: 1 });
    expect(cell(3, 2)).toMatchObject({ customers: 2, segment: 'Need Attention' });
    expect(cell(1, 5)).toMatchObject({ customers: 0, segment: null });
  });

  test('distributions: scores 1..5, whole-day recency bins, equal-width money bins', () => {
    const r = db.rows(rfmDistributionSql(view, 'r_score'));
    expect(r.map((x) => x.customers)).toEqual([2, 2, 2, 2, 2]);
    const f = db.rows(rfmDistributionSql(view, 'f_score'));
    expect(f.map((x) => x.customers)).toEqual([6, 2, 1, 1, 0]);
    // recency 1..366 in 5 bins: width ceil(366 / 5) = 74 -> [1,75) [75,149) [149,223) [223,297) [297,371)
    const rec = db.rows(rfmDistributionSql(view, 'recency_days', 5));
    expect(rec.map((x) => [x.bin_start, x.customers])).toEqual([[1, 8], [75, 0], [149, 0], [223, 1], [297, 1]]);
    // monetary 5..125.5 in 2 bins of 60.25: [5, 65.25) has 6, [65.25, 125.5] has 4
    const m = db.rows(rfmDistributionSql(view, 'monetary', 2));
    expect(m.map((x) => [x.bin_start, x.bin_end, x.customers])).toEqual([[5, 65.25, 6], [65.25, 125.5, 4]]);
    for (const measure of ['frequency', 'revenue', 'm_score'] as RfmMeasure[]) {
      expect(db.rows(rfmDistributionSql(view, measure)).reduce((s, x) => s + (x.customers as number), 0)).toBe(10);
    }
  });

  test('queries over an empty result return no customers without failing', () => {
    const spec = load([{ c: null, d: '2024-01-01', a: 1 }]);
    const sql = rfmSql(spec, DEFAULT_RFM_RULES);
    expect(db.rows(sql)).toEqual([]);
    db.exec(`CREATE VIEW empty_rfm AS ${sql}`);
    expect(db.rows(rfmSummarySql('empty_rfm', DEFAULT_RFM_RULES)).every((r) => r.customers === 0)).toBe(true);
    expect(db.rows(rfmGridSql('empty_rfm'))).toHaveLength(25);
    expect(db.rows(rfmDistributionSql('empty_rfm', 'monetary'))).toEqual([]);
    expect(notes(spec)).toMatchObject({ rows_total: 1, rows_null_customer: 1, customers: 0, as_of: null });
  });
});
