/** The customer view (issue 5): features worked out by hand on small fixtures, and the join check. */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import {
  channelValuesSql,
  customerViewColumns,
  customerViewSql,
  joinCheckSql,
  joinMessages,
  validateCustomerViewSpec,
  type CustomerViewSpec,
  type JoinCheck,
} from '../../../src/lib/segment/customer-view';

let db: TestDb;

// Three customers, as-of 2024-04-01 (rows on or after it are ignored).
// A: order A1 on 2024-01-10 has two lines (40 online shoes, 60 online bags with a discount of 5),
//    A2 2024-01-30 (50 store bags), A3 2024-03-10 (30 online shoes), and a refund of -20 on
//    2024-03-15 (not an order, netted in revenue).
//    first 2024-01-10, last 2024-03-10, orders 3, revenue 100 + 50 + 30 - 20 = 160,
//    avg_order_value = round(160 / 3, 2) = 53.33; avg days between = (Jan 10 -> Mar 10 = 31 + 29 = 60) / 2 = 30;
//    share_online = 2/3 (A1, A3), share_store = 1/3 -> multi-channel, top channel online;
//    categories: shoes 2 orders (A1, A3) spend 70, bags 2 orders (A1, A2) spend 110 -> tie on orders,
//    bags wins on spend; category_count 2; discount_share 1/3 (A1);
//    refunds 1, refund_amount 20, refund_share 20 / 180; tenure = Apr 1 - Jan 10 = 22 + 29 + 31 = 82 -> returning.
// B: two orders on the same day 2024-03-20 (25 store toys, 25 store games), no discount (NULL):
//    orders 2, avg days between = 0 / 1 = 0, revenue 50, aov 25, share_store 1, preferred 'store';
//    top_category: toys and games tie on orders and spend -> by name: 'games'; tenure 12 -> new.
// C: 2024-03-02 (10 online shoes, discount 2.5) and 999 on 2024-04-01 (the as-of day: ignored):
//    orders 1, avg days between NULL, tenure = Apr 1 - Mar 2 = 30 -> new with newWithinDays 30 (the edge).
// Also ignored: a row with no customer id and a row whose date does not read.
const ORDERS = `CREATE TABLE orders AS SELECT * FROM (VALUES
  ('A', '2024-01-10', 40.0, 'A1', 'online', 'shoes', 0.0),
  ('A', '2024-01-10', 60.0, 'A1', 'online', 'bags', 5.0),
  ('A', '2024-01-30', 50.0, 'A2', 'store', 'bags', 0.0),
  ('A', '2024-03-10', 30.0, 'A3', 'online', 'shoes', 0.0),
  ('A', '2024-03-15', -20.0, 'R1', 'online', 'shoes', 0.0),
  ('B', '2024-03-20', 25.0, 'B1', ' store ', 'toys', NULL),
  ('B', '2024-03-20', 25.0, 'B2', 'store', 'games', NULL),
  ('C', '2024-03-02', 10.0, 'C1', 'online', 'shoes', 2.5),
  ('C', '2024-04-01', 999.0, 'C2', 'online', 'shoes', 0.0),
  (NULL, '2024-03-01', 5.0, 'X1', 'online', 'shoes', 0.0),
  ('A', 'not a date', 5.0, 'X2', 'online', 'shoes', 0.0)
) t(cust, day, amount, order_no, channel, category, discount)`;

const SPEC: CustomerViewSpec = {
  orders: 'orders',
  customers: null,
  roles: { customerId: 'cust', orderDate: 'day', amount: 'amount', orderId: 'order_no', channel: 'channel', category: 'category', discount: 'discount' },
  customersId: null,
  asOf: '2024-04-01',
  newWithinDays: 30,
};

/** Runs a customer view query with dates as text, one object per customer id. */
function byCustomer(sql: string): Record<string, Record<string, unknown>> {
  const rows = db.rows(`SELECT * REPLACE (CAST(first_order AS VARCHAR) AS first_order, CAST(last_order AS VARCHAR) AS last_order) FROM (${sql})`);
  return Object.fromEntries(rows.map((r) => [String(r.customer_id), r]));
}

beforeAll(async () => {
  db = await openTestDb();
  db.exec(ORDERS);
}, 60_000);

describe('customerViewSql', () => {
  test('features of the 3-customer fixture match the hand-worked values', () => {
    const channels = db.rows(channelValuesSql(SPEC)).map((r) => r.channel as string);
    // online: A1, A3, C1 = 3 orders; store: A2, B1, B2 = 3 -> tie, by name. ' store ' is trimmed.
    expect(channels).toEqual(['online', 'store']);
    const got = byCustomer(customerViewSql(SPEC, [], channels));
    expect(Object.keys(got).sort()).toEqual(['A', 'B', 'C']);
    expect(got.A).toMatchObject({
      first_order: '2024-01-10', last_order: '2024-03-10', tenure_days: 82, orders: 3, revenue: 160,
      avg_order_value: 53.33, avg_days_between_orders: 30, channel_count: 2, top_channel: 'online',
      preferred_channel: 'multi-channel', top_category: 'bags', category_count: 2, refunds: 1, refund_amount: 20,
      customer_status: 'returning',
    });
    expect(got.A.share_online).toBeCloseTo(2 / 3, 12);
    expect(got.A.share_store).toBeCloseTo(1 / 3, 12);
    expect(got.A.discount_share).toBeCloseTo(1 / 3, 12);
    expect(got.A.refund_share).toBeCloseTo(20 / 180, 12);
    expect(got.B).toMatchObject({
      first_order: '2024-03-20', last_order: '2024-03-20', tenure_days: 12, orders: 2, revenue: 50, avg_order_value: 25,
      avg_days_between_orders: 0, share_online: 0, share_store: 1, channel_count: 1, preferred_channel: 'store',
      top_category: 'games', category_count: 2, discount_share: 0, refunds: 0, refund_share: 0, customer_status: 'new',
    });
    expect(got.C).toMatchObject({
      first_order: '2024-03-02', tenure_days: 30, orders: 1, revenue: 10, avg_days_between_orders: null,
      share_online: 1, preferred_channel: 'online', top_category: 'shoes', discount_share: 1, customer_status: 'new',
    });
  });

  test("'new' is tenure <= newWithinDays: C (30 days) is returning with 29", () => {
    const got = byCustomer(customerViewSql({ ...SPEC, newWithinDays: 29 }, []));
    expect(got.C.customer_status).toBe('returning');
    expect(got.B.customer_status).toBe('new');
  });

  test('without an order id every purchase row is an order; without optional roles their columns are left out', () => {
    const spec: CustomerViewSpec = { ...SPEC, roles: { ...SPEC.roles, orderId: null, channel: null, category: null, discount: null } };
    const got = byCustomer(customerViewSql(spec, []));
    // A: 4 purchase rows (the refund is not an order); revenue unchanged.
    expect(got.A).toMatchObject({ orders: 4, revenue: 160, avg_order_value: 40 });
    expect(Object.keys(got.A)).not.toContain('top_category');
    expect(Object.keys(got.A)).not.toContain('discount_share');
    expect(customerViewColumns(spec, []).map((c) => c.name)).toEqual(Object.keys(got.A));
  });

  test('a row with a null order id is its own order; an order counts once per channel it has lines in', () => {
    // N: order N1 has lines in online (10) and store (5); two rows without an order id (online 7, 3).
    // orders = 1 + 2 = 3; online: N1 and both rows -> 3/3; store: N1 -> 1/3.
    db.exec(`CREATE TABLE null_ids AS SELECT * FROM (VALUES
      ('N', '2024-03-01', 10.0, 'N1', 'online'), ('N', '2024-03-01', 5.0, 'N1', 'store'),
      ('N', '2024-03-02', 7.0, NULL, 'online'), ('N', '2024-03-03', 3.0, NULL, 'online')) t(cust, day, amount, order_no, channel)`);
    const spec: CustomerViewSpec = { ...SPEC, orders: 'null_ids', roles: { ...SPEC.roles, category: null, discount: null } };
    const got = byCustomer(customerViewSql(spec, [], ['online', 'store']));
    expect(got.N).toMatchObject({ orders: 3, revenue: 25, share_online: 1, channel_count: 2, top_channel: 'online', last_order: '2024-03-03' });
    expect(got.N.share_store).toBeCloseTo(1 / 3, 12);
    expect(db.rows(channelValuesSql(spec))).toEqual([{ channel: 'online', orders: 3 }, { channel: 'store', orders: 1 }]);
  });

  test('the default as-of is the day after the latest row, so the 999 order counts', () => {
    const got = byCustomer(customerViewSql({ ...SPEC, asOf: null }, []));
    // as-of 2024-04-02: C has C1 and C2; A's tenure grows by one day.
    expect(got.C).toMatchObject({ orders: 2, revenue: 1009, last_order: '2024-04-01' });
    expect(got.A.tenure_days).toBe(83);
  });

  test('customer attributes are joined; clashing names get _attr; customers without orders are kept', () => {
    db.exec(`CREATE TABLE people AS SELECT * FROM (VALUES ('A', 'Paris', 1.5::DOUBLE), ('B', 'Lyon', 2.0), ('Z', 'Nice', 0.0)) t(id, city, revenue)`);
    const cols = [{ name: 'id', type: 'VARCHAR' }, { name: 'city', type: 'VARCHAR' }, { name: 'revenue', type: 'DOUBLE' }];
    const spec: CustomerViewSpec = { ...SPEC, customers: 'people', customersId: 'id' };
    const names = customerViewColumns(spec, cols, ['online']).map((c) => c.name);
    expect(names.slice(-2)).toEqual(['city', 'revenue_attr']);
    const got = byCustomer(customerViewSql(spec, cols, ['online']));
    expect(Object.keys(got).sort()).toEqual(['A', 'B', 'C', 'Z']);
    expect(got.A).toMatchObject({ city: 'Paris', revenue: 160, orders: 3 });
    expect(got.A.revenue_attr).toBe(1.5);
    expect(got.C).toMatchObject({ city: null, orders: 1 });
    expect(got.Z).toMatchObject({ city: 'Nice', orders: 0, revenue: 0, first_order: null, customer_status: 'no orders', share_online: null, refunds: 0 });
  });

  test('validation names columns that do not exist any more', () => {
    const cols = [{ name: 'cust', type: 'VARCHAR' }, { name: 'day', type: 'VARCHAR' }, { name: 'amount', type: 'VARCHAR' }];
    const problems = validateCustomerViewSpec({ ...SPEC, customers: 'people', customersId: 'cid', newWithinDays: -1 }, cols, [{ name: 'id', type: 'VARCHAR' }]);
    expect(problems).toContain(`'order_no' is not a column of 'orders' (any more): choose the order id column again`);
    expect(problems).toContain(`'amount' holds VARCHAR, not numbers: choose a numeric amount column`);
    expect(problems).toContain(`'cid' is not a column of 'people' (any more): choose its customer id column again`);
    expect(problems.some((p) => p.includes("'new within'"))).toBe(true);
    expect(() => customerViewSql({ ...SPEC, customers: 'people', customersId: 'cid' }, [])).toThrow(/'cid' is not a column of 'people'/);
  });
});

describe('joinCheckSql and joinMessages', () => {
  // Orders ids are DOUBLE (1.0, 2.0, 5.0), customers ids INTEGER (1, 2, 3, 3 again, NULL):
  // order customers {1, 2, 5}, customers {1, 2, 3}: matched 2 (1.0 matches 1), orders without
  // customer 1 (5), customers without orders 1 (3), duplicated ids 1 (3), null ids 1.
  beforeAll(() => {
    db.exec(`CREATE TABLE o2 AS SELECT * FROM (VALUES (1.0, DATE '2024-01-01', 10.0), (2.0, DATE '2024-01-02', 20.0), (5.0, DATE '2024-01-03', 30.0), (1.0, DATE '2024-01-04', 5.0)) t(cid, d, amt)`);
    db.exec(`CREATE TABLE c2 AS SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'z'), (3, 'a'), (NULL, 'n')) t(id, tag)`);
    db.exec(`CREATE TABLE c3 AS SELECT * FROM (VALUES ('K1', 'x'), ('K2', 'y')) t(id, tag)`);
  });
  const spec: CustomerViewSpec = {
    orders: 'o2', customers: 'c2', customersId: 'id', asOf: null, newWithinDays: 30,
    roles: { customerId: 'cid', orderDate: 'd', amount: 'amt', orderId: null, channel: null, category: null, discount: null },
  };
  const cols = [{ name: 'id', type: 'INTEGER' }, { name: 'tag', type: 'VARCHAR' }];

  test('counts unmatched ids on either side, duplicates and null ids', () => {
    const check = db.rows(joinCheckSql(spec, cols))[0] as unknown as JoinCheck;
    expect(check).toEqual({
      order_customers: 3, customers: 3, matched: 2, orders_without_customer: 1, customers_without_orders: 1,
      duplicate_customer_ids: 1, customers_null_ids: 1,
      examples_orders_without_customer: "'5'", examples_customers_without_orders: "'3'",
    });
    expect(joinMessages(check, spec)).toEqual([
      { severity: 'warning', message: `1 customer of 3 in 'o2' is not in 'c2' (e.g. '5'): kept, with empty customer attributes` },
      { severity: 'info', message: `1 customer of 3 in 'c2' has no orders (e.g. '3'): kept, with 0 orders` },
      { severity: 'warning', message: `1 customer id occurs more than once in 'c2': one row of each is used` },
      { severity: 'warning', message: `1 row of 'c2' has no customer id: left out` },
    ]);
  });

  test('the view has one row per customer: 1, 2, 3 (no orders, first tag by value), 5 (no attributes)', () => {
    const rows = db.rows(`SELECT customer_id, orders, revenue, tag FROM (${customerViewSql(spec, cols)}) ORDER BY customer_id`);
    expect(rows).toEqual([
      { customer_id: '1', orders: 2, revenue: 15, tag: 'x' },
      { customer_id: '2', orders: 1, revenue: 20, tag: 'y' },
      { customer_id: '3', orders: 0, revenue: 0, tag: 'a' },
      { customer_id: '5', orders: 1, revenue: 30, tag: null },
    ]);
  });

  test('a join that matches nothing is an error naming both tables', () => {
    const s = { ...spec, customers: 'c3' };
    const check = db.rows(joinCheckSql(s, [{ name: 'id', type: 'VARCHAR' }, { name: 'tag', type: 'VARCHAR' }]))[0] as unknown as JoinCheck;
    expect(check).toMatchObject({ matched: 0, orders_without_customer: 3, customers_without_orders: 2 });
    expect(joinMessages(check, s)).toEqual([
      { severity: 'error', message: `no customer id in 'o2' (e.g. '1.0', '2.0', '5.0') matches one in 'c3' (e.g. 'K1', 'K2'): check that the two id columns hold the same ids` },
    ]);
  });
});
