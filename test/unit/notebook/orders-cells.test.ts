/**
 * The orders model cell in the notebook file (issue 12): a round trip keeps it, unknown keys are
 * dropped, hostile values are refused with a message naming the field; a notebook from before the
 * model keeps its cells' own tables and columns.
 */
import { expect, test } from 'vitest';
import '../../../src/lib/notebook/cells-orders-reader';
import '../../../src/lib/notebook/cells-clv-reader';
import { parseNotebook, toDocument, NOTEBOOK_FORMAT } from '../../../src/lib/notebook/document';
import type { Cell } from '../../../src/lib/notebook/cells';
import type { OrdersCell } from '../../../src/lib/notebook/cells-orders';
import { emptyOrdersSpec } from '../../../src/lib/orders/orders-spec';

const ref = (table: string, column: string) => ({ table, column });
const MODEL: OrdersCell = {
  id: 'm',
  kind: 'orders',
  name: '订单模型',
  spec: {
    ...emptyOrdersSpec(),
    source: 'orders',
    joins: [{ table: 'people', key: 'cid', on: ref('orders', 'customer_id') }],
    roles: { ...emptyOrdersSpec().roles, customer: ref('people', 'person'), orderId: ref('orders', 'order_id'), orderDate: ref('orders', 'day'), amount: ref('orders', 'total'), status: ref('orders', '订单状态') },
    statuses: [{ value: '交易关闭', kind: 'excluded' }, { value: "O'Brien", kind: 'refund' }],
    amountMode: 'column',
    otherStatuses: 'excluded',
    cancelPrefix: '',
    refunds: 'exclude',
  },
};
const doc = (cells: unknown[]) => JSON.stringify({ format: NOTEBOOK_FORMAT, version: 1, name: 'n', cells, settings: { autoRun: true }, tables: [] });

test('an orders model comes back equal after a round trip, without unknown keys', () => {
  const d = toDocument('nb', [MODEL] as Cell[], { autoRun: true }, []);
  expect(parseNotebook(JSON.stringify(d))).toEqual({ ok: true, doc: d });
  const r = parseNotebook(doc([{ ...MODEL, extra: 1, spec: { ...MODEL.spec, sql: 'DROP TABLE x' } }]));
  expect(r.ok && r.doc.cells[0]).toEqual(MODEL);
});

test.each([
  ['an unknown status kind', { ...MODEL, spec: { ...MODEL.spec, statuses: [{ value: 'x', kind: 'maybe' }] } }, /status 1 kind must be one of purchase, refund, excluded/],
  ['a role that is not a column reference', { ...MODEL, spec: { ...MODEL.spec, roles: { ...MODEL.spec.roles, amount: 'total' } } }, /orders model amount must be an object/],
  ['a __proto__ key in a role', JSON.parse(`{"id":"m","kind":"orders","name":"m","spec":${JSON.stringify({ ...MODEL.spec, roles: { ...MODEL.spec.roles, amount: null } }).replace('"amount":null', '"amount":{"__proto__":{"x":1}}')}}`), /forbidden key "__proto__"/],
  ['too many joins', { ...MODEL, spec: { ...MODEL.spec, joins: Array.from({ length: 9 }, () => MODEL.spec.joins[0]) } }, /joins has more than 8 entries/],
  ['a long cancel prefix', { ...MODEL, spec: { ...MODEL.spec, cancelPrefix: 'CANCELLED-' } }, /cancel prefix is too long/],
  ['an unknown amount mode', { ...MODEL, spec: { ...MODEL.spec, amountMode: 'sum' } }, /orders model amount must be one of column, quantity-price/],
])('refuse %s', (_what, cell, message) => {
  const r = parseNotebook(doc([cell]));
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(message);
});

test('a notebook from before the orders model keeps its cells\' own table and columns', () => {
  const lifecycle = { id: 'l', kind: 'lifecycle', name: 'lc', spec: { source: 'orders', customerId: 'cust', orderDate: 'd', amount: 'amt', asOf: null, valueView: null }, rules: { newDays: 30, minIntervalDays: 7, coolingFactor: 1.5, atRiskFactor: 2, lapsedFactor: 3, oneTimeLapsedDays: 180, reactivatedDays: 30, slowdownWindowDays: 180, slowdownRatio: 0.5 } };
  const r = parseNotebook(doc([lifecycle]));
  expect(r.ok).toBe(true);
  if (r.ok) {
    expect(r.doc.cells.map((c) => c.kind)).toEqual(['lifecycle']);
    expect((r.doc.cells[0] as { spec: { source: string; customerId: string } }).spec).toMatchObject({ source: 'orders', customerId: 'cust' });
  }
});
