/**
 * Issue 16, "edits answer at once": an RFM cell keeps its per-customer aggregates in the worker,
 * and with quintiles their cuts, and re-scores from them. On the real engine core (DuckDB-WASM),
 * every setting change re-scored from the kept tables must give, row by row, exactly what a
 * from-scratch run over the orders gives; and a source that changed between runs (replaced,
 * reloaded, written to, a cell re-run, a view over a replaced table) must rebuild the aggregates
 * and the cuts, never reuse them.
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, test } from 'vitest';
import { openNodeEngine, source } from '../helpers/node-engine';
import type { EngineCore } from '../../../workers/engine-core';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';
import { rfmCutsSql, rfmKeptPlan, rfmSql } from '../../../src/lib/segment/rfm-sql';
import { defaultRfmTypes, rfmTypesSql, type RfmTypesSettings } from '../../../src/lib/segment/rfm-types';
import { DEFAULT_RFM_RULES, type SegmentRule } from '../../../src/lib/segment/rfm-rules';
import { rfmAggregatesName, rfmCutsName } from '../../../src/lib/internal-names';

let engine: EngineCore;
const KEPT = rfmAggregatesName('cell1');

/**
 * ~3000 order lines of ~400 customers over two years, deterministic (hash of the row number):
 * repeated order ids (several lines per order), null order ids, refunds, zero amounts, null
 * customers and amounts, and many ties (one-time buyers, equal totals). `salt` changes the data.
 */
function ordersSql(table: string, salt: number, rows = 3000): string {
  const h = (k: number) => `(hash(i * 7919 + ${salt * 104729 + k}) % 1000000)`;
  return `CREATE OR REPLACE TABLE "${table}" AS
SELECT
  CASE WHEN ${h(1)} % 97 = 0 THEN NULL ELSE 'C' || lpad(CAST(${h(2)} % 400 AS VARCHAR), 4, '0') END AS customer,
  DATE '2024-01-01' + CAST(${h(3)} % 730 AS INTEGER) AS order_day,
  CASE WHEN ${h(4)} % 89 = 0 THEN NULL
       WHEN ${h(5)} % 23 = 0 THEN -CAST((${h(6)} % 5000) / 100.0 AS DECIMAL(10, 2))
       ELSE CAST((${h(7)} % 20) * 5 AS DECIMAL(10, 2)) END AS amount,
  CASE WHEN ${h(8)} % 31 = 0 THEN NULL ELSE 'O' || CAST(i // 2 AS VARCHAR) END AS order_no
FROM range(${rows}) t(i)`;
}

function rowsOf(ipc: Uint8Array): Record<string, unknown>[] {
  return tableFromIPC(ipc).toArray().map((r) => ({ ...r.toJSON() }));
}

async function select(sql: string): Promise<Record<string, unknown>[]> {
  return rowsOf((await engine.query(`SELECT * FROM (${sql}) ORDER BY customer_id`)).ipc);
}

type Model = { kind: 'scores'; rules: readonly SegmentRule[] } | { kind: 'types'; types: RfmTypesSettings };
const scores: Model = { kind: 'scores', rules: DEFAULT_RFM_RULES };

function perCustomer(spec: RfmSpec, model: Model): string {
  return model.kind === 'scores' ? rfmSql(spec, model.rules) : rfmTypesSql(spec, model.types);
}

const NAMES = { aggregates: KEPT, cuts: (m: RfmSpec['monetary']) => rfmCutsName('cell1', m) };

/**
 * Keeps what a run of the cell keeps (the aggregates, and the quintile cuts for the score model)
 * and returns the re-scored and the from-scratch rows; `rebuilt` is whether the aggregates were
 * rebuilt, `cutsRebuilt` whether the cuts were (null when none are kept).
 */
async function both(spec: RfmSpec, model: Model) {
  const plan = rfmKeptPlan(spec, model.kind, NAMES);
  const { rebuilt } = await engine.keep(plan.keep, spec.source);
  const rescored = await select(perCustomer(plan.spec, model));
  const scratch = await select(perCustomer(spec, model));
  return { rebuilt: rebuilt[0], cutsRebuilt: rebuilt.length > 1 ? rebuilt[1] : null, rescored, scratch, plan };
}

function spec(table: string, overrides: Partial<RfmSpec> = {}): RfmSpec {
  return { ...defaultRfmSpec(table, { customerId: 'customer', orderDate: 'order_day', amount: 'amount', orderId: 'order_no' }), ...overrides };
}

beforeAll(async () => {
  engine = await openNodeEngine();
  await engine.query(ordersSql('orders', 1));
});

describe('re-scoring from kept aggregates (issue 16)', () => {
  test('scoring, monetary, rules and model changes reuse the aggregates and match a from-scratch run row by row', async () => {
    const base = spec('orders');
    const renamed: SegmentRule[] = DEFAULT_RFM_RULES.map((r, i) => ({ ...r, name: `Group ${i}` }));
    const median: RfmTypesSettings = { ...defaultRfmTypes(), reference: { r: { kind: 'median' }, f: { kind: 'median' }, m: { kind: 'value', value: 40 } } };
    // The last column: whether the quintile cuts are computed (true), reused (false) or not used (null).
    const changes: [string, RfmSpec, Model, boolean | null][] = [
      ['first run', base, scores, true],
      ['fixed cut points', { ...base, scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [20, 50, 100, 200] } }, scores, null],
      ['back to quintiles', base, scores, false],
      ['average monetary', { ...base, monetary: 'average' }, scores, true],
      ['renamed rules', base, { kind: 'scores', rules: renamed }, false],
      ['fewer rules', base, { kind: 'scores', rules: DEFAULT_RFM_RULES.slice(0, 4) }, false],
      ['average monetary again, renamed rules', { ...base, monetary: 'average' }, { kind: 'scores', rules: renamed }, false],
      ['8-type model, means', base, { kind: 'types', types: defaultRfmTypes() }, null],
      ['8-type model, medians and a typed value, average monetary', { ...base, monetary: 'average' }, { kind: 'types', types: median }, null],
      ['back to the scores', base, scores, false],
    ];
    for (const [what, s, model, cuts] of changes) {
      const r = await both(s, model);
      expect(r.rescored.length, what).toBeGreaterThan(100);
      expect(r.rescored, what).toEqual(r.scratch);
      expect(r.rebuilt, what).toBe(what === 'first run');
      expect(r.cutsRebuilt, what).toBe(cuts);
    }
  });

  test('the kept cuts are the cuts of the orders, for either monetary definition', async () => {
    for (const monetary of ['total', 'average'] as const) {
      const s = spec('orders', { monetary });
      const r = await both(s, scores);
      const kept = rowsOf((await engine.query(`SELECT * FROM "${NAMES.cuts(monetary)}"`)).ipc);
      const fromOrders = rowsOf((await engine.query(rfmCutsSql(s))).ipc);
      expect(kept, monetary).toEqual(fromOrders);
      expect(Object.keys(kept[0]), monetary).toEqual(['r1', 'r2', 'r3', 'r4', 'f1', 'f2', 'f3', 'f4', 'm1', 'm2', 'm3', 'm4']);
      expect(r.plan.spec.cuts, monetary).toBe(NAMES.cuts(monetary));
    }
  });

  test('cuts kept for the other monetary definition are rebuilt after the data changed', async () => {
    await engine.query(ordersSql('switched', 6));
    const total = spec('switched');
    const average = spec('switched', { monetary: 'average' });
    await both(total, scores);
    expect((await both(average, scores)).cutsRebuilt).toBe(true);
    expect((await both(total, scores)).cutsRebuilt).toBe(false);
    await engine.query(ordersSql('switched', 7));
    const t2 = await both(total, scores);
    expect(t2.rebuilt).toBe(true);
    expect(t2.cutsRebuilt).toBe(true);
    expect(t2.rescored).toEqual(t2.scratch);
    const a2 = await both(average, scores);
    expect(a2.rebuilt).toBe(false);
    expect(a2.cutsRebuilt).toBe(true);
    expect(a2.rescored).toEqual(a2.scratch);
    // A window change rebuilds the aggregates and the cuts, though the data did not change.
    const windowed = await both({ ...average, window: { from: '2024-03-01', to: null } }, scores);
    expect(windowed.rebuilt).toBe(true);
    expect(windowed.cutsRebuilt).toBe(true);
    expect(windowed.rescored).toEqual(windowed.scratch);
  });

  test('window, as-of, refunds and order-id changes rebuild the aggregates and still match', async () => {
    const base = spec('orders');
    await both(base, scores);
    const changes: [string, RfmSpec][] = [
      ['window', { ...base, window: { from: '2024-06-01', to: '2025-06-30' } }],
      ['as-of', { ...base, asOf: '2025-03-01' }],
      ['refunds excluded', { ...base, negatives: 'exclude' }],
      ['no order id', { ...base, orderId: null }],
      ['order ids taken as unique', { ...base, orderIdsUnique: true }],
      ['data facts', { ...base, facts: { dateIsDate: true, amountIsNumeric: true } }],
    ];
    for (const [what, s] of changes) {
      const r = await both(s, scores);
      expect(r.rebuilt, what).toBe(true);
      expect(r.rescored, what).toEqual(r.scratch);
    }
  });

  test('the source replaced between runs (same row count) rebuilds: never the old figures', async () => {
    const s = spec('replaced');
    await engine.query(ordersSql('replaced', 2));
    const first = await both(s, scores);
    expect(first.rescored).toEqual(first.scratch);
    await engine.query(ordersSql('replaced', 3));
    const second = await both(s, scores);
    expect(second.rebuilt).toBe(true);
    expect(second.cutsRebuilt).toBe(true);
    expect(second.rescored).toEqual(second.scratch);
    expect(second.scratch).not.toEqual(first.scratch);
    // Written to in place, by a statement that starts like a query.
    await engine.query(`UPDATE replaced SET amount = amount * 2 WHERE customer = 'C0001'`);
    const third = await both(s, scores);
    expect(third.rebuilt).toBe(true);
    expect(third.rescored).toEqual(third.scratch);
    await engine.query(`WITH x AS (SELECT 1) INSERT INTO replaced SELECT 'C9999', DATE '2025-12-30', 1000, 'Z1'`);
    const fourth = await both(s, scores);
    expect(fourth.rebuilt).toBe(true);
    expect(fourth.rescored).toEqual(fourth.scratch);
    expect(fourth.scratch.some((r) => r.customer_id === 'C9999')).toBe(true);
  });

  test('a table reloaded from a file under the same name rebuilds', async () => {
    const csv = (amount: number) => `customer,order_day,amount,order_no\nA,2025-01-01,${amount},1\nB,2025-02-01,20,2\nA,2025-03-01,5,3\n`;
    await engine.loadFile(source('loaded.csv', csv(10)), { tableName: 'loaded' });
    const s = spec('loaded');
    const first = await both(s, scores);
    await engine.drop('loaded');
    await engine.loadFile(source('loaded.csv', csv(99)), { tableName: 'loaded' });
    const second = await both(s, scores);
    expect(second.rebuilt).toBe(true);
    expect(second.rescored).toEqual(second.scratch);
    expect(second.rescored.find((r) => r.customer_id === 'A')?.revenue).toBe(104);
    expect(first.rescored.find((r) => r.customer_id === 'A')?.revenue).toBe(15);
  });

  test('a source cell re-run, and a view over a replaced table, rebuild', async () => {
    await engine.query(ordersSql('base_orders', 4));
    await engine.runCell('recent_orders', `SELECT * FROM base_orders WHERE order_day >= DATE '2024-07-01'`);
    const fromCell = spec('recent_orders');
    await both(fromCell, scores);
    expect((await both(fromCell, scores)).rebuilt).toBe(false);
    await engine.runCell('recent_orders', `SELECT * FROM base_orders WHERE order_day >= DATE '2025-01-01'`);
    const cellRerun = await both(fromCell, scores);
    expect(cellRerun.rebuilt).toBe(true);
    expect(cellRerun.rescored).toEqual(cellRerun.scratch);

    await engine.query(`CREATE OR REPLACE VIEW purchases AS SELECT * FROM base_orders WHERE amount > 0`);
    const fromView = spec('purchases');
    await both(fromView, scores);
    expect((await both(fromView, scores)).rebuilt).toBe(false);
    // A view made elsewhere leaves the aggregates alone; redefining a view in the chain does not.
    await engine.query(`CREATE OR REPLACE VIEW "__segnote_rfm_other" AS SELECT 1 AS x`);
    expect((await both(fromView, scores)).rebuilt).toBe(false);
    await engine.query(`CREATE OR REPLACE VIEW big_purchases AS SELECT * FROM purchases WHERE amount > 10`);
    const fromChain = spec('big_purchases');
    await both(fromChain, scores);
    await engine.query(`CREATE OR REPLACE VIEW purchases AS SELECT * FROM base_orders WHERE amount > 20`);
    const chainRerun = await both(fromChain, scores);
    expect(chainRerun.rebuilt).toBe(true);
    expect(chainRerun.rescored).toEqual(chainRerun.scratch);
    await both(fromView, scores);
    await engine.query(ordersSql('base_orders', 5));
    const viewRerun = await both(fromView, scores);
    expect(viewRerun.rebuilt).toBe(true);
    expect(viewRerun.rescored).toEqual(viewRerun.scratch);
  });

  test('a kept table is only ever an internal one', async () => {
    await expect(engine.keep([{ table: 'orders', key: 'k', sql: 'SELECT 1' }], 'orders')).rejects.toThrow();
    // Checked before anything is built.
    await expect(engine.keep([{ table: '__segnote_ok', key: 'k', sql: 'SELECT 1' }, { table: 'orders', key: 'k', sql: 'SELECT 1' }], 'orders')).rejects.toThrow();
    expect(rowsOf((await engine.query(`SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = '__segnote_ok'`)).ipc)).toEqual([{ n: 0 }]);
  });
});
