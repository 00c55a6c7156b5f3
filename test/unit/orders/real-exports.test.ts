/**
 * Issue 12: real export shapes, only the default choices, no SQL. The orders model is guessed from
 * the loaded files, the analysis cells are created as the app creates them (pointed at the model),
 * and their per-customer figures must equal the truth the generators work out from their records.
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, test } from 'vitest';
import type { EngineCore } from '../../../workers/engine-core';
import { openNodeEngine, source } from '../helpers/node-engine';
import { olist, onlineRetail, shopify, tmall, type ExportFixture } from '../../gen/exports';
import { guessOrdersModel } from '../../../src/lib/orders/orders-guess';
import { prepareModel } from '../../../src/lib/orders/orders-build';
import { reconciliationSql } from '../../../src/lib/orders/orders-sql';
import { newOrdersCell, pointAtOrdersModel } from '../../../src/lib/notebook/cells-orders';
import { defaultRfmRules, newRfmSpec, type Cell } from '../../../src/lib/notebook/cells';
import { newClvCell, newLifecycleCell } from '../../../src/lib/notebook/cells-clv';
import { newCustomerViewSpec } from '../../../src/lib/notebook/cells-segment';
import { rfmSql } from '../../../src/lib/segment/rfm-sql';
import { customerViewSql } from '../../../src/lib/segment/customer-view';
import { lifecycleSql } from '../../../src/lib/segment/lifecycle-sql';
import { clvSummarySql } from '../../../src/lib/segment/clv-sql';
import { addDays, daysBetween } from '../../../src/lib/segment/orders-source';
import { ident } from '../../../src/lib/sql/quote';

const rowsOf = async (engine: EngineCore, sql: string) =>
  tableFromIPC((await engine.query(sql)).ipc).toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v));

interface Loaded {
  engine: EngineCore;
  fx: ExportFixture;
  cells: Record<string, Cell>;
}

async function load(fx: ExportFixture): Promise<Loaded> {
  const engine = await openNodeEngine();
  for (const f of fx.files) await engine.loadFile(source(f.name, f.bytes));
  let relations = await engine.relations();
  const model = newOrdersCell({ id: 'm', name: 'purchases' }, relations);
  const prepared = await prepareModel(model.spec, relations, (sql) => rowsOf(engine, sql));
  await engine.query(`CREATE VIEW purchases AS ${prepared.purchases}`);
  await engine.query(`CREATE VIEW om_rows AS ${prepared.classified}`);
  relations = await engine.relations();
  const cells: Record<string, Cell> = {
    orders: model,
    rfm: pointAtOrdersModel({ id: 'r', name: 'rfm', kind: 'rfm', spec: newRfmSpec(relations), rules: defaultRfmRules() }, model, relations),
    customers: pointAtOrdersModel({ id: 'c', name: 'cv', kind: 'customers', spec: newCustomerViewSpec(relations) }, model, relations),
    lifecycle: pointAtOrdersModel(newLifecycleCell({ id: 'l', name: 'lc' }, relations), model, relations),
    clv: pointAtOrdersModel(newClvCell({ id: 'v', name: 'clv' }, relations), model, relations),
  };
  return { engine, fx, cells };
}

function expectPerCustomer(loaded: Loaded, label: string, got: Record<string, unknown>[], pick: (t: ExportFixture['truth'] extends Map<string, infer T> ? T : never) => Record<string, unknown>) {
  const byId = new Map(got.map((r) => [String(r.customer_id), r]));
  expect(byId.size, `${label}: customers`).toBe(loaded.fx.truth.size);
  let mismatches = 0;
  const examples: string[] = [];
  for (const [id, t] of loaded.fx.truth) {
    const row = byId.get(id);
    const want = pick(t);
    for (const [k, v] of Object.entries(want)) {
      const have = row?.[k];
      const ok = typeof v === 'number' ? Math.abs(Number(have) - v) < 0.005 : day(have) === v;
      if (!ok) {
        mismatches++;
        if (examples.length < 5) examples.push(`${id}.${k}: ${String(have)} != ${String(v)}`);
      }
    }
  }
  expect(examples, `${label} mismatches (${mismatches})`).toEqual([]);
}

async function checkAll(loaded: Loaded) {
  const { engine, fx, cells } = loaded;
  const asOf = addDays(fx.maxDay, 1);
  // RFM with the cell's defaults.
  const rfm = cells.rfm as Extract<Cell, { kind: 'rfm' }>;
  expect(rfm.spec.source).toBe('purchases');
  const rfmRows = await rowsOf(engine, rfmSql(rfm.spec, rfm.rules));
  expectPerCustomer(loaded, 'rfm', rfmRows, (t) => ({ frequency: t.orders, monetary: t.cents / 100, recency_days: daysBetween(t.last, asOf) }));
  // Customer view.
  const cv = cells.customers as Extract<Cell, { kind: 'customers' }>;
  const customerCols = cv.spec.customers ? (await engine.relations()).find((r) => r.name === cv.spec.customers)!.columns : [];
  const cvRows = await rowsOf(engine, customerViewSql(cv.spec, customerCols));
  expectPerCustomer(loaded, 'customer view', cvRows.filter((r) => Number(r.orders) > 0), (t) => ({ orders: t.orders, revenue: t.cents / 100, first_order: t.first, last_order: t.last }));
  // Lifecycle.
  const lc = cells.lifecycle as Extract<Cell, { kind: 'lifecycle' }>;
  const lcRows = await rowsOf(engine, lifecycleSql(lc.spec, lc.rules));
  expectPerCustomer(loaded, 'lifecycle', lcRows, (t) => ({ first_purchase: t.first, last_purchase: t.last, purchase_days: t.days.size }));
  // CLV model inputs (repeat purchase days and ages), everything before as-of.
  const clv = cells.clv as Extract<Cell, { kind: 'clv' }>;
  const clvRows = await rowsOf(engine, clvSummarySql(clv.spec, { calibrationEnd: asOf, holdoutEnd: null }));
  expectPerCustomer(loaded, 'clv', clvRows, (t) => ({ x: t.days.size - 1, first_purchase: t.first, t_x: daysBetween(t.first, t.last) / 7 }));
}

async function reconciliation(loaded: Loaded) {
  const rows = await rowsOf(loaded.engine, reconciliationSql('om_rows'));
  return Object.fromEntries(rows.map((r) => [String(r.row_class), Number(r.rows)]));
}

describe('UCI Online Retail line items', () => {
  let loaded: Loaded;
  beforeAll(async () => { loaded = await load(onlineRetail()); }, 60_000);
  test('the guess: quantity × price, cancellations by the C prefix, float ids as whole numbers', () => {
    const m = loaded.cells.orders as Extract<Cell, { kind: 'orders' }>;
    expect(m.spec.amountMode).toBe('quantity-price');
    expect(m.spec.roles.customer?.column).toBe('CustomerID');
    expect(m.spec.roles.orderId?.column).toBe('InvoiceNo');
  });
  test('every row is accounted for', async () => {
    const rec = await reconciliation(loaded);
    expect(Object.values(rec).reduce((a, b) => a + b, 0)).toBe(loaded.fx.rows);
    expect(rec.refund).toBeGreaterThan(10);
    expect(rec.no_customer).toBeGreaterThan(3);
  });
  test('RFM, customer view, lifecycle and CLV inputs equal the independent computation', () => checkAll(loaded));
});

describe('Tmall seller export (GBK)', () => {
  let loaded: Loaded;
  beforeAll(async () => { loaded = await load(tmall()); }, 60_000);
  test('the guess: the member name is the customer, statuses decide, refunds netted', () => {
    const m = loaded.cells.orders as Extract<Cell, { kind: 'orders' }>;
    expect(m.spec.roles.customer?.column).toBe('买家会员名');
    expect(m.spec.roles.status?.column).toBe('订单状态');
    expect(m.spec.roles.refund?.column).toBe('退款金额');
    expect(m.spec.roles.amount?.column.trim()).toBe('买家实际支付金额');
  });
  test('closed and unpaid orders are not purchases: closed after payment (money refunded) counts as refunded', async () => {
    const rec = await reconciliation(loaded);
    expect(rec.excluded).toBeGreaterThan(50);
    expect(rec.refunded).toBeGreaterThan(20);
    expect(rec.purchase + rec.excluded + rec.refunded).toBe(loaded.fx.rows);
    const roles = (loaded.cells.orders as Extract<Cell, { kind: 'orders' }>).spec.roles;
    const [closed] = await rowsOf(loaded.engine, `SELECT count(*) FILTER (WHERE row_class = 'refunded') AS refunded, count(*) FILTER (WHERE t.${ident(roles.orderDate!.column)} IS NOT NULL) AS paid FROM om_rows JOIN tmall_orders t ON order_id = t.${ident(roles.orderId!.column)} WHERE status = '交易关闭'`);
    expect(closed.refunded).toBe(closed.paid);
  });
  test('RFM, customer view, lifecycle and CLV inputs equal the independent computation', () => checkAll(loaded));
});

describe('Olist-like three tables', () => {
  let loaded: Loaded;
  beforeAll(async () => { loaded = await load(olist()); }, 60_000);
  test('the guess: customer_unique_id through the customers table, payments summed per order', () => {
    const m = loaded.cells.orders as Extract<Cell, { kind: 'orders' }>;
    expect(m.spec.roles.customer).toEqual({ table: 'olist_customers', column: 'customer_unique_id' });
    expect(m.spec.roles.amount).toEqual({ table: 'olist_payments', column: 'payment_value' });
    const cv = loaded.cells.customers as Extract<Cell, { kind: 'customers' }>;
    expect(cv.spec.customers).toBeNull();
  });
  test('RFM, customer view, lifecycle and CLV inputs equal the independent computation', () => checkAll(loaded));
});

describe('Shopify orders export', () => {
  let loaded: Loaded;
  beforeAll(async () => { loaded = await load(shopify()); }, 60_000);
  test('the guess: Name is the order, Email the customer, Total net of Refunded Amount', () => {
    const m = loaded.cells.orders as Extract<Cell, { kind: 'orders' }>;
    expect(m.spec.roles.orderId?.column).toBe('Name');
    expect(m.spec.roles.customer?.column).toBe('Email');
    expect(m.spec.roles.amount?.column).toBe('Total');
    expect(m.spec.roles.refund?.column).toBe('Refunded Amount');
  });
  test('RFM, customer view, lifecycle and CLV inputs equal the independent computation', () => checkAll(loaded));
});


test('the clean purchases SQL runs unchanged on native DuckDB and gives the same rows (Olist shape: two joins)', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const fx = olist(7, 200);
  const engine = await openNodeEngine();
  for (const f of fx.files) await engine.loadFile(source(f.name, f.bytes));
  const relations = await engine.relations();
  const model = newOrdersCell({ id: 'm', name: 'purchases' }, relations);
  const prepared = await prepareModel(model.spec, relations, (sql) => rowsOf(engine, sql));
  const order = 'ORDER BY order_id';
  const wasm = await rowsOf(engine, `SELECT customer_id, order_id, CAST(order_date AS VARCHAR) AS d, CAST(amount AS DOUBLE) AS amount FROM (${prepared.purchases}) ${order}`);
  const dir = mkdtempSync(join(tmpdir(), 'segnote-native-'));
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  for (const f of fx.files) {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    await native.run(`CREATE TABLE ${f.name.replace('.csv', '')} AS SELECT * FROM read_csv('${path}')`);
  }
  const reader = await native.runAndReadAll(`SELECT customer_id, order_id, CAST(order_date AS VARCHAR) AS d, CAST(amount AS DOUBLE) AS amount FROM (${prepared.purchases}) ${order}`);
  const nativeRows = reader.getRowObjectsJS().map((r) => ({ ...r }));
  expect(nativeRows.length).toBeGreaterThan(100);
  expect(nativeRows).toEqual(wasm);
}, 60_000);
