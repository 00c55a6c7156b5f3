/** Segment profiles (issue 5): index values, ranking, lift, channel mix and comparisons, worked out by hand. */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import type { ColumnInfo } from '../../../src/lib/segment/column-kinds';
import { conditionSql } from '../../../src/lib/segment/conditions';
import { customerViewSql, type CustomerViewSpec } from '../../../src/lib/segment/customer-view';
import { channelMixSql, compareSegmentsSql, liftSql, profileSql, segmentSizesSql } from '../../../src/lib/segment/segment-profile';

let db: TestDb;

// Ten customers; total revenue 720.
const P10 = `CREATE TABLE p10 AS SELECT * FROM (VALUES
  (1, 'Paris', TRUE,  30,   200.0, 0),
  (2, 'Paris', TRUE,  40,   150.0, 0),
  (3, 'Paris', FALSE, 50,   120.0, 0),
  (4, 'Lyon',  TRUE,  20,   100.0, 0),
  (5, 'Lyon',  FALSE, 30,    50.0, 1),
  (6, 'Lyon',  FALSE, 40,    40.0, 2),
  (7, 'Nice',  FALSE, 50,    30.0, 0),
  (8, 'Nice',  FALSE, 60,    20.0, 1),
  (9, 'Paris', FALSE, NULL,  10.0, 0),
  (10, NULL,   FALSE, 30,     0.0, 0)
) t(id, city, member, age, revenue, complaints)`;

const ATTRS: ColumnInfo[] = [
  { name: 'city', type: 'VARCHAR' },
  { name: 'member', type: 'BOOLEAN' },
  { name: 'age', type: 'INTEGER' },
  { name: 'complaints', type: 'INTEGER' },
];

// The segment: revenue >= 100 -> customers 1, 2, 3, 4 (4 of 10).
const TOP = '"revenue" >= 100';

beforeAll(async () => {
  db = await openTestDb();
  db.exec(P10);
}, 60_000);

describe('profileSql', () => {
  // city overall: Paris 4/10 (1, 2, 3, 9), Lyon 3/10, Nice 2/10, (empty) 1/10.
  //   in segment: Paris 3/4 -> index 0.75 / 0.4 = 1.875; Lyon 1/4 -> 0.25 / 0.3 = 0.8333.
  // member overall: true 3/10, false 7/10. In segment: true 3/4 -> 2.5; false 1/4 -> 0.25 / 0.7 = 0.3571.
  // age: mean overall 350 / 9 (9 known ages), in segment 140 / 4 = 35 -> ratio 0.9.
  // complaints: overall 4 / 10 = 0.4, in segment 0 -> index 0, strength NULL (listed last).
  // strength |ln index|: member false 1.0296, member true 0.9163, Paris 0.6286, Lyon 0.1823, age 0.1054.
  test('index values and their order, strongest difference first', () => {
    const rows = db.rows(profileSql('p10', TOP, ATTRS));
    expect(rows.map((r) => [r.attribute, r.value])).toEqual([
      ['member', 'false'], ['member', 'true'], ['city', 'Paris'], ['city', 'Lyon'], ['age', null], ['complaints', null],
    ]);
    const [mFalse, mTrue, paris, lyon, age, complaints] = rows;
    expect(mFalse).toMatchObject({ kind: 'category', in_segment: 1, share_in_segment: 0.25, share_overall: 0.7 });
    expect(mFalse.index).toBeCloseTo(0.25 / 0.7, 12);
    expect(mTrue.index).toBeCloseTo(2.5, 12);
    expect(paris).toMatchObject({ in_segment: 3, share_in_segment: 0.75, share_overall: 0.4 });
    expect(paris.index).toBeCloseTo(1.875, 12);
    expect(paris.strength).toBeCloseTo(Math.log(1.875), 12);
    expect(lyon.index).toBeCloseTo(0.25 / 0.3, 12);
    expect(lyon.strength).toBeCloseTo(Math.abs(Math.log(0.25 / 0.3)), 12);
    expect(age).toMatchObject({ kind: 'numeric', in_segment: 4, mean_in_segment: 35, share_in_segment: null });
    expect(age.mean_overall).toBeCloseTo(350 / 9, 12);
    expect(age.index).toBeCloseTo(0.9, 12);
    expect(complaints).toMatchObject({ mean_in_segment: 0, mean_overall: 0.4, index: 0, strength: null });
  });

  test('minimum support drops values held by too few segment customers; maxValues drops wide attributes', () => {
    const rows = db.rows(profileSql('p10', TOP, ATTRS, { minSupport: 2 }));
    expect(rows.map((r) => [r.attribute, r.value])).toEqual([['member', 'true'], ['city', 'Paris'], ['age', null], ['complaints', null]]);
    const narrow = db.rows(profileSql('p10', TOP, ATTRS, { maxValues: 3 }));
    expect(narrow.some((r) => r.attribute === 'city')).toBe(false);
  });

  test('a segment given as column = value; NULL values and blanks are one (empty) value', () => {
    const rows = db.rows(profileSql('p10', { column: 'city', value: 'Lyon' }, [{ name: 'city', type: 'VARCHAR' }]));
    expect(rows).toHaveLength(1);
    expect(rows[0].index).toBeCloseTo(1 / 0.3, 12);
    const all = db.rows(profileSql('p10', 'TRUE', [{ name: 'city', type: 'VARCHAR' }]));
    expect(all.map((r) => [r.value, r.index])).toEqual([['Paris', 1], ['Lyon', 1], ['Nice', 1], ['(empty)', 1]]);
  });
});

describe('segmentSizesSql and compareSegmentsSql', () => {
  const segments = [
    { name: 'Top', where: TOP },
    { name: 'Lyon', where: { column: 'city', value: 'Lyon' } },
  ];

  test('sizes and revenue shares', () => {
    // Top: 1-4, revenue 570 of 720. Lyon: 4, 5, 6, revenue 190.
    const rows = db.rows(segmentSizesSql('p10', segments, 'revenue'));
    expect(rows.map((r) => [r.segment, r.customers, r.revenue])).toEqual([['All customers', 10, 720], ['Top', 4, 570], ['Lyon', 3, 190]]);
    expect(rows[1].share_revenue).toBeCloseTo(570 / 720, 12);
    expect(rows[1].share_customers).toBe(0.4);
    expect(rows[2].revenue_per_customer).toBeCloseTo(190 / 3, 12);
  });

  test('side by side: shares per value for every segment, 0 when absent; means and their index', () => {
    const rows = db.rows(compareSegmentsSql('p10', segments, ATTRS));
    const city = rows.filter((r) => r.attribute === 'city').map((r) => [r.value, r.segment, r.customers, r.share]);
    expect(city).toEqual([
      ['Paris', 'All customers', 4, 0.4], ['Paris', 'Top', 3, 0.75], ['Paris', 'Lyon', 0, 0],
      ['Lyon', 'All customers', 3, 0.3], ['Lyon', 'Top', 1, 0.25], ['Lyon', 'Lyon', 3, 1],
      ['Nice', 'All customers', 2, 0.2], ['Nice', 'Top', 0, 0], ['Nice', 'Lyon', 0, 0],
      ['(empty)', 'All customers', 1, 0.1], ['(empty)', 'Top', 0, 0], ['(empty)', 'Lyon', 0, 0],
    ]);
    const lyonInLyon = rows.find((r) => r.attribute === 'city' && r.value === 'Lyon' && r.segment === 'Lyon')!;
    expect(lyonInLyon.index).toBeCloseTo(1 / 0.3, 12);
    // age: Lyon mean (20 + 30 + 40) / 3 = 30 -> index 30 / (350 / 9) = 0.7714.
    const age = rows.filter((r) => r.attribute === 'age');
    expect(age.map((r) => [r.segment, r.customers, r.mean])).toEqual([['All customers', 9, 350 / 9], ['Top', 4, 35], ['Lyon', 3, 30]]);
    expect(age[2].index).toBeCloseTo(270 / 350, 12);
    // member: false is the more common value overall, so it comes first.
    expect(rows.filter((r) => r.attribute === 'member').map((r) => [r.value, r.segment, r.customers])).toEqual([
      ['false', 'All customers', 7], ['false', 'Top', 1], ['false', 'Lyon', 2],
      ['true', 'All customers', 3], ['true', 'Top', 3], ['true', 'Lyon', 1],
    ]);
  });

  test('an empty segment is listed with zeros', () => {
    const rows = db.rows(compareSegmentsSql('p10', [{ name: 'none', where: 'FALSE' }], [{ name: 'age', type: 'INTEGER' }]));
    expect(rows.map((r) => [r.segment, r.customers, r.mean])).toEqual([['All customers', 9, 350 / 9], ['none', 0, null]]);
  });
});

describe('liftSql and channelMixSql', () => {
  // Orders (one line each unless noted, 10 each): o1 c1 shoes online, o2 c1 bags store, o3 c2 shoes
  // online, o4 c3 shoes + hats online (two lines), o5 c5 bags store, o6 c6 bags store, o7 c7 shoes
  // online, o8 c8 hats store; a refund of c1 (bags, store) is not an order. c4 has no orders.
  // Segment c1-c4: orders o1-o4 (4). shoes 3/4 vs 4/8 overall -> lift 1.5; hats 1/4 vs 2/8 -> 1;
  // bags 1/4 vs 3/8 -> 0.6667. Channels: online 3/4 vs 4/8 -> 1.5; store 1/4 vs 4/8 -> 0.5.
  const spec: CustomerViewSpec = {
    orders: 'sales', customers: 'members', customersId: 'cid', asOf: '2024-06-01', newWithinDays: 30,
    roles: { customerId: 'cust', orderDate: 'day', amount: 'amount', orderId: 'ord', channel: 'channel', category: 'category', discount: null },
  };
  const memberCols: ColumnInfo[] = [{ name: 'cid', type: 'VARCHAR' }, { name: 'tier', type: 'VARCHAR' }];
  let where: string;

  beforeAll(() => {
    db.exec(`CREATE TABLE sales AS SELECT * FROM (VALUES
      ('c1', DATE '2024-05-01', 10.0, 'o1', 'online', 'shoes'),
      ('c1', DATE '2024-05-02', 10.0, 'o2', 'store', 'bags'),
      ('c1', DATE '2024-05-03', -5.0, 'r1', 'store', 'bags'),
      ('c2', DATE '2024-05-01', 10.0, 'o3', 'online', 'shoes'),
      ('c3', DATE '2024-05-01', 10.0, 'o4', 'online', 'shoes'),
      ('c3', DATE '2024-05-01', 10.0, 'o4', 'online', 'hats'),
      ('c5', DATE '2024-05-01', 10.0, 'o5', 'store', 'bags'),
      ('c6', DATE '2024-05-01', 10.0, 'o6', 'store', 'bags'),
      ('c7', DATE '2024-05-01', 10.0, 'o7', 'online', 'shoes'),
      ('c8', DATE '2024-05-01', 10.0, 'o8', 'store', 'hats')
    ) t(cust, day, amount, ord, channel, category)`);
    db.exec(`CREATE TABLE members AS SELECT 'c' || i AS cid, CASE WHEN i <= 4 THEN 'gold' ELSE 'basic' END AS tier FROM range(1, 9) r(i)`);
    db.exec(`CREATE VIEW sales_customers AS ${customerViewSql(spec, memberCols, ['online', 'store'])}`);
    where = conditionSql({ kind: 'compare', column: 'tier', op: '=', value: 'gold' }, [{ name: 'tier', type: 'VARCHAR' }], null);
  });

  test('top categories by lift', () => {
    const rows = db.rows(liftSql(spec, memberCols, 'sales_customers', where));
    expect(rows.map((r) => [r.category, r.segment_orders, r.share_in_segment, r.overall_orders, r.share_overall, r.segment_revenue])).toEqual([
      ['shoes', 3, 0.75, 4, 0.5, 30], ['hats', 1, 0.25, 2, 0.25, 10], ['bags', 1, 0.25, 3, 0.375, 10],
    ]);
    expect(rows.map((r) => r.lift)).toEqual([1.5, 1, 0.25 / 0.375]);
    expect(db.rows(liftSql(spec, memberCols, 'sales_customers', where, { minOrders: 2 })).map((r) => r.category)).toEqual(['shoes']);
  });

  test('channel mix of the segment against all orders', () => {
    const rows = db.rows(channelMixSql(spec, memberCols, 'sales_customers', where));
    expect(rows.map((r) => [r.channel, r.segment_orders, r.share_in_segment, r.overall_orders, r.share_overall, r.index])).toEqual([
      ['online', 3, 0.75, 4, 0.5, 1.5], ['store', 1, 0.25, 4, 0.5, 0.5],
    ]);
  });
});
