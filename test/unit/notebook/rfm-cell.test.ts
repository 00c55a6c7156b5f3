/** RFM cells in the notebook document: a new cell's table and guessed roles, settings kept across a table change, the starter's cell. */
import { guessOrdersModel } from '../../../src/lib/orders/orders-guess';
import { describe, expect, test } from 'vitest';
import { defaultRfmRules, newRfmSpec, nextCellName, rfmSpecForSource, type Cell } from '../../../src/lib/notebook/cells';
import { starterNotebook } from '../../../src/lib/notebook/starter';
import { DEFAULT_RFM_RULES, ruleCoverage } from '../../../src/lib/segment/rfm-rules';
import { guessRoles } from '../../../src/lib/segment/column-roles';
import { validateRfmSpec } from '../../../src/lib/segment/rfm-spec';

const CUSTOMERS = { name: 'customers', columns: [{ name: 'customer_id', type: 'VARCHAR' }, { name: 'signup_date', type: 'DATE' }, { name: 'age', type: 'INTEGER' }] };
const ORDERS = {
  name: 'orders',
  columns: [
    { name: 'order_id', type: 'VARCHAR' },
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'order_date', type: 'DATE' },
    { name: 'amount', type: 'DOUBLE' },
    { name: 'channel', type: 'VARCHAR' },
  ],
};
const ZH = { name: '订单', columns: [{ name: '客户编号', type: 'VARCHAR' }, { name: '下单日期', type: 'DATE' }, { name: '实付金额', type: 'DECIMAL(10,2)' }] };

describe('a new RFM cell', () => {
  test('reads the first table whose columns look like orders, with the guessed roles and default settings', () => {
    const spec = newRfmSpec([CUSTOMERS, ORDERS]);
    expect(spec).toMatchObject({ source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', orderId: 'order_id' });
    expect(spec).toMatchObject({ asOf: null, window: { from: null, to: null }, monetary: 'total', negatives: 'net', scoring: { method: 'quantile' } });
    expect(validateRfmSpec(spec)).toEqual([]);
    expect(newRfmSpec([ZH])).toMatchObject({ source: '订单', customerId: '客户编号', orderDate: '下单日期', amount: '实付金额', orderId: null });
  });

  test('with no table like orders it takes the first one and leaves unknown roles empty; with no tables, nothing', () => {
    expect(newRfmSpec([CUSTOMERS])).toMatchObject({ source: 'customers', customerId: 'customer_id', amount: '' });
    expect(validateRfmSpec(newRfmSpec([CUSTOMERS]))).toContain('choose the amount column');
    expect(newRfmSpec([])).toMatchObject({ source: '', customerId: '', orderDate: '', amount: '' });
  });

  test('changing the table guesses the roles again and keeps the other settings', () => {
    const before = { ...newRfmSpec([ORDERS]), asOf: '2025-06-30', monetary: 'average' as const, orderIdsUnique: true };
    const after = rfmSpecForSource(ZH, before);
    expect(after).toMatchObject({ source: '订单', customerId: '客户编号', orderId: null, asOf: '2025-06-30', monetary: 'average' });
    expect(after.orderIdsUnique).toBeUndefined();
  });

  test('gets its own copy of the default rules and a name like rfm_1', () => {
    const rules = defaultRfmRules();
    expect(rules).toEqual(DEFAULT_RFM_RULES);
    rules[0].r[0] = 1;
    expect(DEFAULT_RFM_RULES[0].r[0]).toBe(4);
    const cells: Cell[] = [{ id: 'x', kind: 'notes', name: 'rfm_1', text: '' }];
    expect(nextCellName('rfm', cells, [])).toBe('rfm_2');
  });
});

test('the starter notebook ends with an RFM cell over the orders model, whose guess on the sample is the starter\'s model, and whose rules cover every score combination', () => {
  const cells = starterNotebook();
  const rfm = cells.find((c) => c.kind === 'rfm');
  if (rfm?.kind !== 'rfm') throw new Error('no RFM cell in the starter');
  expect(cells.at(-1)).toBe(rfm);
  const { source, customerId, orderDate, amount, orderId } = rfm.spec;
  const model = cells.find((c) => c.kind === 'orders');
  if (model?.kind !== 'orders') throw new Error('no orders model in the starter');
  expect({ source, customerId, orderDate, amount, orderId }).toEqual({ source: model.name, ...guessRoles(ORDERS.columns) });
  // The starter's model is what the guess makes of the sample's orders table.
  const sampleOrders = { name: 'orders', columns: [...ORDERS.columns, { name: 'category', type: 'VARCHAR' }, { name: 'discount', type: 'BOOLEAN' }] };
  expect(model.spec).toEqual(guessOrdersModel([sampleOrders]).spec);
  const coverage = ruleCoverage(rfm.rules);
  expect(coverage.unassigned).toEqual([]);
  expect(coverage.unreachable).toEqual([]);
  expect(new Set(cells.map((c) => c.name)).size).toBe(cells.length);
});
