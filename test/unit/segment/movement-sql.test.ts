/**
 * Segment movement (issue 8): the per-customer moves and the transition matrix on a small fixture
 * with new and departed customers (hand-counted), memberships from two views, from RFM at two
 * dates with and without a lookback, and from lifecycle stages; and the matrix axes.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import {
  DEPARTED_SEGMENT,
  lifecycleMembership,
  movementAxes,
  movementCustomersSql,
  movementMatrixSql,
  movementSql,
  NEW_SEGMENT,
  rfmMembership,
  rfmTypesMembership,
  type MovementFlow,
} from '../../../src/lib/segment/movement-sql';
import { DEFAULT_LIFECYCLE_RULES } from '../../../src/lib/segment/lifecycle-sql';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec } from '../../../src/lib/segment/rfm-spec';
import { defaultRfmTypes } from '../../../src/lib/segment/rfm-types';
import { fixtureSql, type OrderRow } from './rfm-reference';

let db: TestDb;
const ORDERS = { source: 'mv_orders', customerId: 'c', orderDate: 'd', amount: 'a' };

// Segments at the first date (A) and the second (B): c5 departs, c6 and c7 are new; c1 and c3
// stay, c2 moves down, c4 up. c1 appears twice in A (one row kept).
const A = [['c1', 'Gold'], ['c1', 'Gold'], ['c2', 'Gold'], ['c3', 'Silver'], ['c4', 'Silver'], ['c5', 'Bronze']];
const B = [['c1', 'Gold'], ['c2', 'Silver'], ['c3', 'Silver'], ['c4', 'Gold'], ['c6', 'Bronze'], ['c7', 'Gold']];
// Revenue between 2024-01-01 (included) and 2024-04-01 (excluded):
const ORDER_ROWS: OrderRow[] = [
  { c: 'c1', d: '2023-12-31', a: 100 }, // before the first date: no
  { c: 'c1', d: '2024-01-15', a: 50 },
  { c: 'c1', d: '2024-03-31', a: 25 }, // c1: 75
  { c: 'c1', d: '2024-04-01', a: 70 }, // on the second date: no
  { c: 'c2', d: '2024-02-01', a: 40 },
  { c: 'c2', d: '2024-02-10', a: -10 }, // refunds are netted: c2 30
  { c: 'c4', d: '2024-01-01', a: 10 }, // on the first date: yes, c4 10
  { c: 'c5', d: '2023-06-01', a: 80 }, // c5 0
  { c: 'c6', d: '2024-03-01', a: 20 }, // c6 20
  { c: 'c7', d: '2024-03-15', a: 30 }, // c7 30
  { c: 'c8', d: '2024-02-01', a: 99 }, // in neither membership: not in the movement
];

beforeAll(async () => {
  db = await openTestDb();
  db.exec(fixtureSql('mv_orders', ORDER_ROWS));
  const table = (name: string, rows: string[][]) =>
    db.exec(`CREATE TABLE ${name} AS SELECT * FROM (VALUES ${rows.map(([c, s]) => `('${c}', '${s}')`).join(', ')}) v(customer_id, tier)`);
  table('seg_a', A);
  table('seg_b', B);
  db.exec(`CREATE VIEW moves AS ${movementSql({ sql: 'seg_a', relation: true, segmentColumn: 'tier' }, { sql: 'seg_b', relation: true, segmentColumn: 'tier' }, ORDERS, '2024-01-01', '2024-04-01')}`);
});

describe('movementSql', () => {
  test('one row per customer of either date, new and departed marked, revenue between the dates', () => {
    const rows = db.rows('SELECT * FROM moves ORDER BY customer_id');
    expect(rows).toEqual([
      { customer_id: 'c1', from_segment: 'Gold', to_segment: 'Gold', moved: false, revenue_between: 75 },
      { customer_id: 'c2', from_segment: 'Gold', to_segment: 'Silver', moved: true, revenue_between: 30 },
      { customer_id: 'c3', from_segment: 'Silver', to_segment: 'Silver', moved: false, revenue_between: 0 },
      { customer_id: 'c4', from_segment: 'Silver', to_segment: 'Gold', moved: true, revenue_between: 10 },
      { customer_id: 'c5', from_segment: 'Bronze', to_segment: DEPARTED_SEGMENT, moved: true, revenue_between: 0 },
      { customer_id: 'c6', from_segment: NEW_SEGMENT, to_segment: 'Bronze', moved: true, revenue_between: 20 },
      { customer_id: 'c7', from_segment: NEW_SEGMENT, to_segment: 'Gold', moved: true, revenue_between: 30 },
    ]);
  });

  test('the matrix counts each flow; counts sum to the customers of both dates and revenue to the period total', () => {
    const flows = db.rows(movementMatrixSql('moves')) as unknown as MovementFlow[];
    expect(flows.map((f) => [f.from_segment, f.to_segment, f.customers, f.revenue])).toEqual([
      [NEW_SEGMENT, 'Bronze', 1, 20],
      [NEW_SEGMENT, 'Gold', 1, 30],
      ['Bronze', DEPARTED_SEGMENT, 1, 0],
      ['Gold', 'Gold', 1, 75],
      ['Gold', 'Silver', 1, 30],
      ['Silver', 'Gold', 1, 10],
      ['Silver', 'Silver', 1, 0],
    ]);
    expect(flows.reduce((s, f) => s + f.customers, 0)).toBe(7);
    expect(flows.reduce((s, f) => s + f.revenue, 0)).toBe(165);
  });

  test('a flow lists its customers, highest revenue first', () => {
    expect(db.rows(movementCustomersSql('moves', NEW_SEGMENT, null)).map((r) => r.customer_id)).toEqual(['c7', 'c6']);
    expect(db.rows(movementCustomersSql('moves', 'Gold', 'Silver'))).toEqual([{ customer_id: 'c2', from_segment: 'Gold', to_segment: 'Silver', revenue_between: 30 }]);
    expect(db.rows(movementCustomersSql('moves', null, null))).toHaveLength(7);
  });

  test('axes: new customers first among the rows, departed last among the columns, known order then names', () => {
    const flows = db.rows(movementMatrixSql('moves')) as unknown as MovementFlow[];
    expect(movementAxes(flows, ['Gold', 'Silver', 'Bronze'])).toEqual({
      rows: [NEW_SEGMENT, 'Gold', 'Silver', 'Bronze'],
      columns: ['Gold', 'Silver', 'Bronze', DEPARTED_SEGMENT],
    });
    expect(movementAxes(flows, [])).toEqual({ rows: [NEW_SEGMENT, 'Bronze', 'Gold', 'Silver'], columns: ['Bronze', 'Gold', 'Silver', DEPARTED_SEGMENT] });
  });
});

describe('memberships at two dates', () => {
  // p1 buys before both dates' windows' ends; p2 only in the first 90-day window; p3 only later.
  const RFM_ROWS: OrderRow[] = [
    { c: 'p1', d: '2024-03-15', a: 100 },
    { c: 'p1', d: '2024-06-15', a: 100 },
    { c: 'p2', d: '2024-03-01', a: 50 },
    { c: 'p3', d: '2024-05-01', a: 70 },
    { c: 'p4', d: '2023-01-01', a: 10 },
  ];
  beforeAll(() => db.exec(fixtureSql('mv_rfm', RFM_ROWS)));
  const spec = defaultRfmSpec('mv_rfm', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
  const orders = { source: 'mv_rfm', customerId: 'c', orderDate: 'd', amount: 'a' };
  const moves = (lookback: number | null) =>
    new Map(
      db
        .rows(movementSql(rfmMembership(spec, DEFAULT_RFM_RULES, '2024-04-01', lookback), rfmMembership(spec, DEFAULT_RFM_RULES, '2024-07-01', lookback), orders, '2024-04-01', '2024-07-01'))
        .map((r) => [r.customer_id, r]),
    );

  test('RFM over the 90 days before each date: no order in the second window departs, a first order between the dates is new', () => {
    // Windows: [2024-01-02, 2024-04-01) and [2024-04-02, 2024-07-01). p4 (2023) is in neither.
    const m = moves(90);
    expect([...m.keys()].sort()).toEqual(['p1', 'p2', 'p3']);
    expect(m.get('p2')!.to_segment).toBe(DEPARTED_SEGMENT);
    expect(m.get('p3')!.from_segment).toBe(NEW_SEGMENT);
    expect(m.get('p1')!.from_segment).not.toMatch(/^\(/);
    expect(m.get('p1')!.to_segment).not.toMatch(/^\(/);
    // Revenue between the dates: p1's June order and p3's May order.
    expect(m.get('p1')!.revenue_between).toBe(100);
    expect(m.get('p3')!.revenue_between).toBe(70);
  });

  test('RFM over all history: nobody departs, and earlier customers are scored at both dates', () => {
    const m = moves(null);
    expect([...m.keys()].sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect([...m.values()].filter((r) => r.to_segment === DEPARTED_SEGMENT)).toEqual([]);
    expect(m.get('p3')!.from_segment).toBe(NEW_SEGMENT);
  });

  test('issue 15: the 8 types at two dates, each date against the means of its own customers', () => {
    // 2024-04-01: p1 17 days, 1 order, 100; p2 31, 1, 50; p4 456, 1, 10. Means: R 168, F 1 (all tie: high), M 53.33.
    //   p1 HHH High-value loyal; p2 HHL Low-value loyal; p4 LHL Low-value to retain.
    // 2024-07-01: p1 16 days, 2 orders, 200; p2 122, 1, 50; p3 61, 1, 70; p4 547, 1, 10. Means: R 186.5, F 1.25, M 82.5.
    //   p1 HHH High-value loyal; p2 and p3 HLL Low-value to develop; p4 LLL Low-value to win back.
    const types = defaultRfmTypes();
    const rows = db.rows(movementSql(rfmTypesMembership(spec, types, '2024-04-01', null), rfmTypesMembership(spec, types, '2024-07-01', null), orders, '2024-04-01', '2024-07-01'));
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, `${r.from_segment} -> ${r.to_segment}`]))).toEqual({
      p1: 'High-value loyal -> High-value loyal',
      p2: 'Low-value loyal -> Low-value to develop',
      p3: `${NEW_SEGMENT} -> Low-value to develop`,
      p4: 'Low-value to retain -> Low-value to win back',
    });
  });

  test('lifecycle stages at the two dates', () => {
    const rows = db.rows(
      movementSql(lifecycleMembership(orders, DEFAULT_LIFECYCLE_RULES, '2024-04-01'), lifecycleMembership(orders, DEFAULT_LIFECYCLE_RULES, '2024-07-01'), orders, '2024-04-01', '2024-07-01'),
    );
    const m = new Map(rows.map((r) => [r.customer_id, r]));
    // At Apr 1 nobody has two purchase days, so there is no store interval and one-time buyers are
    // active until lapsed: p1 (first purchase 17 days before) is new, p2 (31 days) active.
    // At Jul 1 p1 has bought twice, 92 days apart: the store interval is 92. p1's gap 16 -> active;
    // p2's gap 122 <= 1.5 x 92 = 138 -> active; p3 (one purchase 61 days before, > 30) -> active.
    expect([m.get('p1')!.from_segment, m.get('p1')!.to_segment]).toEqual(['new', 'active']);
    expect([m.get('p2')!.from_segment, m.get('p2')!.to_segment]).toEqual(['active', 'active']);
    expect([m.get('p3')!.from_segment, m.get('p3')!.to_segment]).toEqual([NEW_SEGMENT, 'active']);
    // p4: one purchase in 2023, over 180 days before both dates: lapsed at both.
    expect([m.get('p4')!.from_segment, m.get('p4')!.to_segment]).toEqual(['lapsed', 'lapsed']);
    expect(rows).toHaveLength(4);
  });
});
