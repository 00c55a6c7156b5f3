/**
 * The segmentation cells in the notebook document (issue 5): a new cell's guessed settings, and
 * reading every field back from a notebook file strictly (round trip; hostile or broken input refused).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { NOTEBOOK_FORMAT, parseNotebook, toDocument } from '../../../src/lib/notebook/document';
import { registerSegmentReaders } from '../../../src/lib/notebook/cells-segment-reader';
import type { Cell } from '../../../src/lib/notebook/cells';
import {
  guessCustomerViewRoles,
  guessExtraRoles,
  newAttributesSettings,
  newCompareSettings,
  newCustomerViewSpec,
  newSegmentSettings,
  refLabel,
  type AttributesCell,
  type CompareCell,
  type CustomersCell,
  type SegmentCell,
} from '../../../src/lib/notebook/cells-segment';
import { validateCustomerViewSpec } from '../../../src/lib/segment/customer-view';

beforeAll(() => registerSegmentReaders());

const ORDERS = {
  name: 'orders',
  kind: 'table' as const,
  columns: [
    { name: 'order_id', type: 'VARCHAR' },
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'order_date', type: 'DATE' },
    { name: 'amount', type: 'DOUBLE' },
    { name: 'channel', type: 'VARCHAR' },
    { name: 'category', type: 'VARCHAR' },
    { name: 'discount', type: 'BOOLEAN' },
  ],
};
const CUSTOMERS = {
  name: 'customers',
  kind: 'table' as const,
  columns: [
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'signup_date', type: 'DATE' },
    { name: 'age', type: 'INTEGER' },
    { name: 'city_tier', type: 'VARCHAR' },
    { name: 'income_band', type: 'VARCHAR' },
  ],
};
const CV = {
  name: 'customers_1',
  kind: 'view' as const,
  columns: [
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'orders', type: 'BIGINT' },
    { name: 'revenue', type: 'DOUBLE' },
    { name: 'top_channel', type: 'VARCHAR' },
    { name: 'age', type: 'INTEGER' },
    { name: 'city_tier', type: 'VARCHAR' },
  ],
};

describe('new cells', () => {
  test('a customer view reads the orders-like table with its roles and joins the customers table', () => {
    const spec = newCustomerViewSpec([CUSTOMERS, ORDERS]);
    expect(spec).toEqual({
      orders: 'orders',
      customers: 'customers',
      roles: { customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', orderId: 'order_id', channel: 'channel', category: 'category', discount: 'discount' },
      customersId: 'customer_id',
      asOf: null,
      newWithinDays: 90,
    });
    expect(validateCustomerViewSpec(spec, ORDERS.columns, CUSTOMERS.columns)).toEqual([]);
    // Orders only; no orders-like table at all.
    expect(newCustomerViewSpec([ORDERS]).customers).toBeNull();
    expect(newCustomerViewSpec([CUSTOMERS]).orders).toBe('');
  });

  test('channel, category and discount are guessed by name, in English and Chinese; other columns are not', () => {
    expect(guessExtraRoles([{ name: '渠道', type: 'VARCHAR' }, { name: '商品品类', type: 'VARCHAR' }, { name: '优惠券', type: 'VARCHAR' }])).toEqual({ channel: '渠道', category: '商品品类', discount: '优惠券' });
    expect(guessExtraRoles([{ name: 'SalesChannel', type: 'VARCHAR' }, { name: 'ProductCategory', type: 'VARCHAR' }, { name: 'promo_code', type: 'VARCHAR' }])).toEqual({ channel: 'SalesChannel', category: 'ProductCategory', discount: 'promo_code' });
    expect(guessExtraRoles([{ name: 'resource_id', type: 'VARCHAR' }, { name: 'city', type: 'VARCHAR' }])).toEqual({ channel: null, category: null, discount: null });
    expect(guessCustomerViewRoles(ORDERS.columns).channel).toBe('channel');
  });

  test('attributes, segment and compare cells start from the first customer view', () => {
    const rels = [CUSTOMERS, ORDERS, CV];
    const attrs = newAttributesSettings(rels, [{ view: 'customers_1', attributes: ['age', 'city_tier'] }]);
    expect(attrs).toEqual({ source: 'customers_1', bands: [{ column: 'city_tier', kind: 'category', minShare: 0.01, maxGroups: 20 }], revenue: 'revenue', orders: 'orders' });
    // Without a known customer view: a relation that looks like one, else the first relation.
    expect(newAttributesSettings(rels, []).source).toBe('customers_1');
    expect(newAttributesSettings([CUSTOMERS], []).bands).toEqual([{ column: 'city_tier', kind: 'category', minShare: 0.01, maxGroups: 20 }]);
    expect(newAttributesSettings([], [])).toEqual({ source: '', bands: [], revenue: null, orders: null });
    expect(newSegmentSettings(rels, ['customers_1'])).toEqual({ source: 'customers_1', rfm: null, tree: { kind: 'group', op: 'and', items: [] }, revenue: 'revenue', asOf: null });
    expect(newCompareSettings(rels, [])).toEqual({ base: 'customers_1', segments: [] });
    expect(refLabel({ kind: 'rfm', view: 'rfm', segment: "Can't Lose Them" })).toBe("rfm: Can't Lose Them");
  });
});

describe('reading segmentation cells from a notebook file', () => {
  const customers: CustomersCell = { id: 'a', kind: 'customers', name: 'customers_1', spec: newCustomerViewSpec([CUSTOMERS, ORDERS]) };
  const attributes: AttributesCell = {
    id: 'b',
    kind: 'attributes',
    name: 'tier × income',
    source: 'customers_1',
    bands: [
      { column: 'city_tier', kind: 'category', minShare: 0.05, maxGroups: 8 },
      { column: 'age', kind: 'breaks', breaks: [18, 25, 35.5] },
    ],
    revenue: 'revenue',
    orders: null,
  };
  const segment: SegmentCell = {
    id: 'c',
    kind: 'segment',
    name: '高价值 "VIP"',
    source: 'customers_1',
    rfm: 'rfm',
    tree: {
      kind: 'group',
      op: 'or',
      items: [
        { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'city_tier', op: '=', value: "Tier 1'; DROP TABLE x; --" }, { kind: 'compare', column: 'orders', op: '>=', value: 3 }] },
        { kind: 'in', column: 'lifestyle', values: ['Outdoor', '户外', 7], negate: true },
        { kind: 'between', column: 'age', low: '18', high: 30 },
        { kind: 'contains', column: 'city', text: '100%_', caseSensitive: true },
        { kind: 'empty', column: 'note' },
        { kind: 'date', column: 'last_order', op: 'within-last-days', value: 30 },
        { kind: 'compare', column: 'vip', op: '=', value: false },
      ],
    },
    revenue: 'revenue',
    asOf: '2025-12-31',
  };
  const compare: CompareCell = {
    id: 'd',
    kind: 'compare',
    name: 'compare_1',
    base: 'customers_1',
    segments: [
      { kind: 'saved', view: '高价值 "VIP"' },
      { kind: 'rfm', view: 'rfm', segment: "Can't Lose Them" },
      { kind: 'group', view: 'tier × income', band1: 1, band2: 3, label: 'Tier 1 × <5k' },
    ],
  };
  const base = (cells: unknown[]) => JSON.stringify({ format: NOTEBOOK_FORMAT, version: 1, name: 'n', cells, settings: { autoRun: true }, tables: [] });

  test('round trip: every kind comes back equal', () => {
    const doc = toDocument('Segments', [customers, attributes, segment, compare] as Cell[], { autoRun: true }, []);
    expect(parseNotebook(JSON.stringify(doc))).toEqual({ ok: true, doc });
  });

  test('issue 14: an attributes cell with a rate by group (and a third column) comes back equal; a bad rate is refused', () => {
    const withRate = { ...attributes, rate: { column: 'Churn', value: 'Yes', minBase: 30, third: { column: 'gender', kind: 'category', minShare: 0.01, maxGroups: 20 } } };
    const doc = toDocument('Rates', [withRate] as Cell[], { autoRun: true }, []);
    expect(parseNotebook(JSON.stringify(doc))).toEqual({ ok: true, doc });
    const bad = parseNotebook(base([{ ...withRate, rate: { column: 'Churn', value: 'Yes', minBase: -3, third: null } }]));
    expect(bad.ok ? '' : bad.error).toMatch(/rate minimum base must be a whole number/);
  });

  test('unknown fields are dropped, not kept', () => {
    const r = parseNotebook(base([{ ...compare, onclick: 'evil()', segments: [{ kind: 'saved', view: 'x', extra: 1 }] }]));
    expect(r.ok && r.doc.cells[0]).toEqual({ ...compare, segments: [{ kind: 'saved', view: 'x' }] });
  });

  const nested = (depth: number): unknown => (depth === 0 ? { kind: 'empty', column: 'x' } : { kind: 'group', op: 'and', items: [nested(depth - 1)] });
  test.each([
    ['a customer view without roles', { ...customers, spec: { ...customers.spec, roles: undefined } }, /customer view roles must be an object/],
    ['a negative "new within"', { ...customers, spec: { ...customers.spec, newWithinDays: -1 } }, /'new within' days must be a whole number/],
    ['an as-of that is not a date', { ...customers, spec: { ...customers.spec, asOf: '2024-1-1' } }, /as-of date must be a date/],
    ['three band columns', { ...attributes, bands: [...attributes.bands, attributes.bands[0]] }, /columns has too many entries/],
    ['a band kind that does not exist', { ...attributes, bands: [{ column: 'age', kind: 'deciles' }] }, /column 1 kind must be one of/],
    ['0 quantile bands', { ...attributes, bands: [{ column: 'age', kind: 'quantile', bins: 0 }] }, /bands must be a whole number from 1 to 100/],
    ['a break that is not a number', { ...attributes, bands: [{ column: 'age', kind: 'breaks', breaks: [18, '25'] }] }, /break 2 must be a number/],
    ['a tree whose root is a condition', { ...segment, tree: { kind: 'empty', column: 'x' } }, /conditions must be a group/],
    ['an unknown operator', { ...segment, tree: { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'a', op: '==', value: 1 }] } }, /conditions.1 comparison must be one of/],
    ['a value that is an object', { ...segment, tree: { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'a', op: '=', value: { $gt: 1 } }] } }, /value must be text, a number or true\/false/],
    ['a tree nested too deep', { ...segment, tree: nested(12) }, /nests groups too deep/],
    ['a forbidden key in a condition', { ...segment, tree: JSON.parse('{"kind":"group","op":"and","items":[{"kind":"empty","column":"a","__proto__":{"polluted":true}}]}') }, /forbidden key "__proto__"/],
    ['a segment reference of another kind', { ...compare, segments: [{ kind: 'sql', view: 'x' }] }, /segment 1 kind must be one of/],
    ['a group reference without its band', { ...compare, segments: [{ kind: 'group', view: 'x', label: 'y' }] }, /segment 1 band must be a whole number/],
  ])('refuses %s with a message', (_what, cell, message) => {
    const r = parseNotebook(base([cell]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('too many conditions are refused', () => {
    const items = Array.from({ length: 600 }, () => ({ kind: 'empty', column: 'x' }));
    const r = parseNotebook(base([{ ...segment, tree: { kind: 'group', op: 'and', items } }]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/too many/);
  });
});
