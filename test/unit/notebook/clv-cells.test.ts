/**
 * Lifecycle, CLV and movement cells in the notebook file (issue 8): each comes back equal after a
 * round trip through the document, unknown keys are dropped, and hostile or broken values are
 * refused with a message naming the field. Also the settings of a new cell.
 */
import { describe, expect, test } from 'vitest';
import '../../../src/lib/notebook/cells-clv-reader';
import { parseNotebook, toDocument, upgradeDocument, NOTEBOOK_FORMAT, NOTEBOOK_VERSION, type NotebookDoc } from '../../../src/lib/notebook/document';
import { newClvCell, newLifecycleCell, newMovementCell, type ClvCell, type LifecycleCell, type MovementCell } from '../../../src/lib/notebook/cells-clv';
import type { Cell } from '../../../src/lib/notebook/cells';
import { DEFAULT_LIFECYCLE_RULES } from '../../../src/lib/segment/lifecycle-sql';
import { CLV_DEFAULTS } from '../../../src/lib/segment/clv-sql';

const ORDERS = {
  name: 'orders',
  columns: [
    { name: 'order_id', type: 'VARCHAR' },
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'order_date', type: 'DATE' },
    { name: 'amount', type: 'DOUBLE' },
  ],
};
const CUSTOMERS = { name: 'customers', columns: [{ name: 'customer_id', type: 'VARCHAR' }, { name: 'city', type: 'VARCHAR' }] };

const LIFECYCLE: LifecycleCell = {
  id: 'l1',
  kind: 'lifecycle',
  name: '生命周期',
  spec: { source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', asOf: '2025-12-31', valueView: 'clv_1' },
  rules: { ...DEFAULT_LIFECYCLE_RULES, coolingFactor: 1.25, slowdownRatio: 0.4 },
};
const CLV: ClvCell = {
  id: 'c1',
  kind: 'clv',
  name: 'clv_1',
  spec: { source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', unit: 'days', asOf: null, holdout: 90, calibrationEnd: '2025-06-30', horizon: 365, discountRate: 0.08, model: 'paretonbd', churnBands: { high: 0.25, low: 0.8 } },
  segmentView: 'rfm',
};
const MOVEMENT: MovementCell = {
  id: 'm1',
  kind: 'movement',
  name: 'movement_1',
  spec: {
    source: 'orders',
    customerId: 'customer_id',
    orderDate: 'order_date',
    amount: 'amount',
    orderId: 'order_id',
    measure: 'views',
    basis: null,
    from: '2025-01-01',
    to: null,
    lookbackDays: 365,
    viewA: 'segments_q1',
    viewB: 'segments_q2',
    segmentColumn: 'segment',
  },
};

const doc = (cells: unknown[], version = NOTEBOOK_VERSION) => JSON.stringify({ format: NOTEBOOK_FORMAT, version, name: 'n', cells, settings: { autoRun: true }, tables: [] });

describe('lifecycle, CLV and movement cells in a notebook file', () => {
  test('come back equal after a round trip', () => {
    const cells = [LIFECYCLE, CLV, MOVEMENT] as Cell[];
    const d = toDocument('nb', cells, { autoRun: true }, []);
    const back = parseNotebook(JSON.stringify(d));
    expect(back).toEqual({ ok: true, doc: d });
    // Fresh objects, not the parsed ones.
    if (back.ok) expect(back.doc.cells[0]).not.toBe(cells[0]);
  });

  test('drop keys they do not know', () => {
    const r = parseNotebook(doc([{ ...CLV, extra: 1, spec: { ...CLV.spec, script: 'alert(1)' } }]));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.doc.cells[0]).toEqual(CLV);
  });

  test.each([
    ['a lifecycle rule that is not a number', { ...LIFECYCLE, rules: { ...LIFECYCLE.rules, newDays: '30' } }, /lifecycle rules newDays must be a number/],
    ['a lifecycle rule that is missing', { ...LIFECYCLE, rules: { newDays: 30 } }, /lifecycle rules minIntervalDays must be a number/],
    ['an as-of date with SQL in it', { ...LIFECYCLE, spec: { ...LIFECYCLE.spec, asOf: "2024-01-01'; DROP TABLE x" } }, /lifecycle as-of date is too long|must be a date/],
    ['an impossible date', { ...LIFECYCLE, spec: { ...LIFECYCLE.spec, asOf: '2024-02-30' } }, /must be a date like 2024-12-31/],
    ['a __proto__ key in the rules', JSON.parse(`{"id":"l","kind":"lifecycle","name":"l","spec":${JSON.stringify(LIFECYCLE.spec)},"rules":{"__proto__":{"x":1}}}`), /forbidden key "__proto__"/],
    ['an unknown CLV unit', { ...CLV, spec: { ...CLV.spec, unit: 'months' } }, /CLV unit must be one of days, weeks/],
    ['a negative holdout', { ...CLV, spec: { ...CLV.spec, holdout: -1 } }, /CLV holdout must be a number from 0/],
    ['an infinite horizon', { ...CLV, spec: { ...CLV.spec, horizon: 1e308 * 10 } }, /CLV horizon must be a number/],
    ['a segment view that is not text', { ...CLV, segmentView: 7 }, /CLV segment view must be text/],
    ['an unknown purchase model', { ...CLV, spec: { ...CLV.spec, model: 'pareto' } }, /CLV model must be one of bgnbd, paretonbd/],
    ['churn bands out of order', { ...CLV, spec: { ...CLV.spec, churnBands: { high: 0.8, low: 0.3 } } }, /churn-risk bands: high must be above 0 and at most low/],
    ['a churn band above 1', { ...CLV, spec: { ...CLV.spec, churnBands: { high: 0.3, low: 1.5 } } }, /churn-risk bands low must be a number from 0 to 1/],
    ['a huge column name', { ...CLV, spec: { ...CLV.spec, amount: 'x'.repeat(5000) } }, /CLV settings amount is too long/],
    ['an unknown movement measure', { ...MOVEMENT, spec: { ...MOVEMENT.spec, measure: 'cohorts' } }, /movement measure must be one of rfm, lifecycle, views/],
    ['a fractional lookback', { ...MOVEMENT, spec: { ...MOVEMENT.spec, lookbackDays: 1.5 } }, /movement lookback must be a whole number/],
    ['settings that are a list', { ...MOVEMENT, spec: [] }, /movement settings must be an object/],
  ])('refuse %s', (_what, cell, message) => {
    const r = parseNotebook(doc([cell]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('new cells', () => {
  const base = { id: 'x', name: 'x' };
  test('read the first table that looks like orders, with the guessed columns and the defaults', () => {
    const l = newLifecycleCell(base, [CUSTOMERS, ORDERS]);
    expect(l.spec).toEqual({ source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', asOf: null, valueView: null });
    expect(l.rules).toEqual(DEFAULT_LIFECYCLE_RULES);
    expect(l.rules).not.toBe(DEFAULT_LIFECYCLE_RULES);
    expect(newClvCell(base, [ORDERS]).spec).toEqual({ source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', ...CLV_DEFAULTS });
    expect(newMovementCell(base, [ORDERS]).spec).toMatchObject({ orderId: 'order_id', measure: 'rfm', basis: null, from: null, to: null, lookbackDays: 365 });
  });

  test('with no tables, leave everything to choose', () => {
    expect(newClvCell(base, []).spec).toMatchObject({ source: '', customerId: '', orderDate: '', amount: '' });
  });
});

describe('issue 14: CLV calibration end migrates from the exclusive day (version 1) to the last day', () => {
  test('a version-1 file read now has the day before as its last calibration day; other cells and version-2 files are unchanged', () => {
    const v1 = parseNotebook(doc([{ ...CLV, spec: { ...CLV.spec, calibrationEnd: '1997-10-01' } }, LIFECYCLE, { ...CLV, id: 'c2', name: 'clv_2', spec: { ...CLV.spec, calibrationEnd: null } }], 1));
    if (!v1.ok) throw new Error(v1.error);
    expect(v1.doc.version).toBe(NOTEBOOK_VERSION);
    expect((v1.doc.cells[0] as ClvCell).spec.calibrationEnd).toBe('1997-09-30');
    expect(v1.doc.cells[1]).toEqual(LIFECYCLE);
    expect((v1.doc.cells[2] as ClvCell).spec.calibrationEnd).toBeNull();
    // Month and year boundaries.
    const jan = parseNotebook(doc([{ ...CLV, spec: { ...CLV.spec, calibrationEnd: '2025-01-01' } }], 1));
    expect(jan.ok && (jan.doc.cells[0] as ClvCell).spec.calibrationEnd).toBe('2024-12-31');
    const v2 = parseNotebook(doc([{ ...CLV, spec: { ...CLV.spec, calibrationEnd: '1997-10-01' } }]));
    expect(v2.ok && (v2.doc.cells[0] as ClvCell).spec.calibrationEnd).toBe('1997-10-01');
  });

  test('a stored version-1 document is upgraded once, without changing the stored object', () => {
    const stored: NotebookDoc = { ...toDocument('n', [{ ...CLV, spec: { ...CLV.spec, calibrationEnd: '2024-03-01' } }], { autoRun: true }, []), version: 1 };
    const up = upgradeDocument(stored);
    expect((up.cells[0] as ClvCell).spec.calibrationEnd).toBe('2024-02-29');
    expect((stored.cells[0] as ClvCell).spec.calibrationEnd).toBe('2024-03-01');
    expect(upgradeDocument(up)).toBe(up);
  });
});

describe('issue 17: the CLV purchase model and churn-risk bands are stored with the cell', () => {
  test('Pareto/NBD and custom bands come back after a round trip; a new cell uses BG/NBD and 0.3 / 0.7', () => {
    const back = parseNotebook(JSON.stringify(toDocument('n', [CLV], { autoRun: true }, [])));
    if (!back.ok) throw new Error(back.error);
    const spec = (back.doc.cells[0] as ClvCell).spec;
    expect(spec.model).toBe('paretonbd');
    expect(spec.churnBands).toEqual({ high: 0.25, low: 0.8 });
    const fresh = newClvCell({ id: 'n', name: 'n' }, [ORDERS]);
    expect(fresh.spec.model).toBe('bgnbd');
    expect(fresh.spec.churnBands).toEqual({ high: 0.3, low: 0.7 });
    // Each new cell has its own bands object (editing one never edits the defaults).
    expect(fresh.spec.churnBands).not.toBe(CLV_DEFAULTS.churnBands);
  });

  test('notebooks saved before (versions 1 and 2, no model or bands) read as BG/NBD with the default bands', () => {
    const { model: _m, churnBands: _b, ...old } = CLV.spec;
    for (const version of [1, 2]) {
      const r = parseNotebook(doc([{ ...CLV, spec: old }], version));
      if (!r.ok) throw new Error(r.error);
      const spec = (r.doc.cells[0] as ClvCell).spec;
      expect(spec.model).toBe('bgnbd');
      expect(spec.churnBands).toEqual({ high: 0.3, low: 0.7 });
    }
  });
});
