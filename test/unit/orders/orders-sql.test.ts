/**
 * Issue 12: the clean purchases SQL on small hand-worked fixtures — the classification order, line
 * items filled from their order, refunds netted or left out, the cancel prefix and its guard,
 * joined tables one or many. Expected values are worked out by hand next to each test.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { prepareModel } from '../../../src/lib/orders/orders-build';
import { emptyOrdersSpec, type OrdersModelSpec } from '../../../src/lib/orders/orders-spec';
import { validateOrdersSpec } from '../../../src/lib/orders/orders-spec';

let db: TestDb;

async function relationsOf(names: string[]) {
  return names.map((name) => ({ name, columns: db.rows(`DESCRIBE ${name}`).map((r) => ({ name: String(r.column_name), type: String(r.column_type) })) }));
}

async function model(spec: OrdersModelSpec) {
  const relations = await relationsOf([spec.source, ...spec.joins.map((j) => j.table)]);
  const p = await prepareModel(spec, relations, async (sql) => db.rows(sql));
  return {
    p,
    purchases: db.rows(`SELECT customer_id, order_id, CAST(order_date AS VARCHAR) AS d, CAST(amount AS DOUBLE) AS amount FROM (${p.purchases}) ORDER BY order_id, amount`),
    classes: Object.fromEntries(db.rows(`SELECT row_class, count(*) AS n FROM (${p.classified}) GROUP BY ALL`).map((r) => [r.row_class, r.n])),
  };
}

const ref = (table: string, column: string) => ({ table, column });

beforeAll(async () => {
  db = await openTestDb();
  // Line items: order 1 has two lines, the second without customer, date or status (filled from
  // the order); order 2's total stands on its first line only (line 2 counts 0); C3 cancels a line
  // (-2 × 5 = -10, a refund even without a status); order 4 is closed (excluded); order 5 has no
  // customer on any line; order 6 has an unreadable date; order 7 is refunded by status.
  db.exec(`CREATE TABLE lines AS SELECT * FROM (VALUES
    ('1', 'ann', '2024-01-05', 2, 10.004, 30.0, 'paid'),
    ('1', NULL, NULL, 1, 5.0, NULL, NULL),
    ('2', 'bob', '2024-01-06', 1, 7.0, 12.5, 'paid'),
    ('2', 'bob', '2024-01-06', 1, 5.5, NULL, 'paid'),
    ('C3', 'ann', '2024-01-09', -2, 5.0, -10.0, 'paid'),
    ('4', 'bob', '2024-01-10', 1, 99.0, 99.0, 'cancelled'),
    ('5', '(blank)', '2024-01-11', 1, 3.0, 3.0, 'paid'),
    ('6', 'ann', 'not a date', 1, 4.0, 4.0, 'paid'),
    ('7', 'cyd', '2024-01-12', 1, 8.0, 8.0, 'refunded')
  ) t(order_no, buyer, day, qty, price, total, status)`);
  db.exec(`CREATE TABLE people AS SELECT * FROM (VALUES ('k1', 'P1'), ('k2', 'P1'), ('k3', 'P2')) t(cid, person)`);
  db.exec(`CREATE TABLE heads AS SELECT * FROM (VALUES ('o1', 'k1', DATE '2024-02-01'), ('o2', 'k2', DATE '2024-02-03'), ('o3', 'k3', DATE '2024-02-04'), ('o4', 'k9', DATE '2024-02-05')) t(oid, cid, d)`);
  db.exec(`CREATE TABLE items AS SELECT * FROM (VALUES ('o1', 2, 1.5), ('o1', 1, 10.0), ('o2', 3, 2.0), ('o3', 1, 0.333)) t(oid, q, p)`);
  db.exec(`CREATE TABLE ids AS SELECT * FROM (VALUES ('CN100', 'a', DATE '2024-01-01', 5.0), ('CN101', 'b', DATE '2024-01-02', 6.0)) t(order_no, buyer, d, total)`);
});

function linesSpec(): OrdersModelSpec {
  const s = emptyOrdersSpec();
  s.source = 'lines';
  s.roles = { ...s.roles, orderId: ref('lines', 'order_no'), customer: ref('lines', 'buyer'), orderDate: ref('lines', 'day'), amount: ref('lines', 'total'), status: ref('lines', 'status') };
  return s;
}

describe('line items with an order total and statuses', () => {
  test('each row in exactly one class, first match wins', async () => {
    const { classes, p } = await model(linesSpec());
    // 1,1(filled),2,2(0) purchases; C3 refund; 4 excluded; 5 no customer; 6 no date; 7 refunded.
    expect(classes).toEqual({ purchase: 4, refund: 1, excluded: 1, no_customer: 1, no_date: 1, refunded: 1 });
    expect(p.facts.fillFromOrder).toBe(true);
    expect(p.facts.cancelIds).toBe(true);
  });

  test('purchases: the second line of order 1 takes its order\'s customer and date; the lines without a total count 0', async () => {
    const { purchases } = await model(linesSpec());
    expect(purchases).toEqual([
      { customer_id: 'ann', order_id: '1', d: '2024-01-05', amount: 0 },
      { customer_id: 'ann', order_id: '1', d: '2024-01-05', amount: 30 },
      { customer_id: 'bob', order_id: '2', d: '2024-01-06', amount: 0 },
      { customer_id: 'bob', order_id: '2', d: '2024-01-06', amount: 12.5 },
      { customer_id: 'ann', order_id: 'C3', d: '2024-01-09', amount: -10 },
    ].sort((a, b) => a.order_id.localeCompare(b.order_id) || a.amount - b.amount));
  });

  test('quantity × price rounds each line to cents: 2 × 10.004 = 20.01', async () => {
    const spec = { ...linesSpec(), amountMode: 'quantity-price' as const };
    spec.roles = { ...spec.roles, amount: null, quantity: ref('lines', 'qty'), unitPrice: ref('lines', 'price') };
    const { purchases } = await model(spec);
    expect(purchases.filter((r) => r.order_id === '1').map((r) => r.amount).sort()).toEqual([20.01, 5]);
    expect(purchases.find((r) => r.order_id === 'C3')?.amount).toBe(-10);
  });

  test('refunds left out: the cancellation line goes', async () => {
    const { purchases } = await model({ ...linesSpec(), refunds: 'exclude' });
    expect(purchases.some((r) => r.order_id === 'C3')).toBe(false);
  });

  test('the user marks "cancelled" a purchase: order 4 comes in', async () => {
    const { purchases } = await model({ ...linesSpec(), statuses: [{ value: 'cancelled', kind: 'purchase' }] });
    expect(purchases.find((r) => r.order_id === '4')?.amount).toBe(99);
  });
});

test('ids that merely start with C (CN100) are not cancellations', async () => {
  const s = emptyOrdersSpec();
  s.source = 'ids';
  s.roles = { ...s.roles, orderId: ref('ids', 'order_no'), customer: ref('ids', 'buyer'), orderDate: ref('ids', 'd'), amount: ref('ids', 'total') };
  const { classes, p } = await model(s);
  expect(p.facts.cancelIds).toBe(false);
  expect(classes).toEqual({ purchase: 2 });
});

test('joins: a person table looked up, a lines table summed per order (quantity × price per line)', async () => {
  const s = emptyOrdersSpec();
  s.source = 'heads';
  s.joins = [{ table: 'people', key: 'cid', on: ref('heads', 'cid') }, { table: 'items', key: 'oid', on: ref('heads', 'oid') }];
  s.amountMode = 'quantity-price';
  s.roles = { ...s.roles, orderId: ref('heads', 'oid'), customer: ref('people', 'person'), orderDate: ref('heads', 'd'), quantity: ref('items', 'q'), unitPrice: ref('items', 'p') };
  expect(validateOrdersSpec(s)).toEqual([]);
  const { purchases, classes, p } = await model(s);
  expect(p.facts.joinMany).toEqual([false, true]);
  // o1: 2×1.5 + 1×10 = 13 (P1); o2: 3×2 = 6 (P1); o3: 0.333 → 0.33 (P2); o4: no person, no items.
  expect(purchases).toEqual([
    { customer_id: 'P1', order_id: 'o1', d: '2024-02-01', amount: 13 },
    { customer_id: 'P1', order_id: 'o2', d: '2024-02-03', amount: 6 },
    { customer_id: 'P2', order_id: 'o3', d: '2024-02-04', amount: 0.33 },
  ]);
  expect(classes).toEqual({ purchase: 3, no_customer: 1 });
});
