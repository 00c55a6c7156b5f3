/**
 * The bundled Chinese sample (issue 15) through the real ingest and the orders model with the
 * default guesses, no SQL of our own: purchases, refunds and customers must equal the truth the
 * generator works out from its own records (test/gen/tmall-sample.ts states the definition).
 * Also: the committed files are the generator's bytes, and the starter's province grouping runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, test } from 'vitest';
import type { EngineCore } from '../../../workers/engine-core';
import { openNodeEngine, source } from '../helpers/node-engine';
import { csvWarnings } from '../../../workers/ingest/csv-messages';
import { TMALL_MANIFEST, generateTmallSample, type TmallSample } from '../../gen/tmall-sample';
import { prepareModel } from '../../../src/lib/orders/orders-build';
import { reconciliationSql } from '../../../src/lib/orders/orders-sql';
import { newOrdersCell, pointAtOrdersModel } from '../../../src/lib/notebook/cells-orders';
import { defaultRfmRules, newRfmSpec, type Cell } from '../../../src/lib/notebook/cells';
import { newCustomerViewSpec } from '../../../src/lib/notebook/cells-segment';
import { rfmSql } from '../../../src/lib/segment/rfm-sql';
import { customerViewSql } from '../../../src/lib/segment/customer-view';
import { attributeSegmentSql } from '../../../src/lib/segment/attribute-bands';
import { parseCnAddress } from '../../../src/lib/geo/cn-address';
import { zhStarterNotebook } from '../../../src/lib/notebook/starter-zh';
import type { CustomersCell, AttributesCell } from '../../../src/lib/notebook/cells-segment';
import type { OrdersCell } from '../../../src/lib/notebook/cells-orders';

const rowsOf = async (engine: EngineCore, sql: string) =>
  tableFromIPC((await engine.query(sql)).ipc).toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v));

const dir = fileURLToPath(new URL('../../../public/samples/tmall/', import.meta.url));

describe('the Chinese sample shop', () => {
  let engine: EngineCore;
  let sample: TmallSample;
  let model: OrdersCell;
  let warnings: unknown[] = [];
  beforeAll(async () => {
    sample = generateTmallSample();
    engine = await openNodeEngine();
    // As the app loads a sample: the manifest's files under the manifest's table names.
    const reports = [
      await engine.loadFile(source(TMALL_MANIFEST[0].file, sample.orders), { tableName: TMALL_MANIFEST[0].table }),
      await engine.loadFile(source(TMALL_MANIFEST[1].file, sample.members), { tableName: TMALL_MANIFEST[1].table }),
    ];
    warnings = reports.flatMap((r) => r.warnings);
    const relations = await engine.relations();
    model = newOrdersCell({ id: 'm', name: '购买记录' }, relations);
    const prepared = await prepareModel(model.spec, relations, (sql) => rowsOf(engine, sql));
    await engine.query(`CREATE VIEW "购买记录" AS ${prepared.purchases}`);
    await engine.query(`CREATE VIEW om_rows AS ${prepared.classified}`);
  }, 120_000);

  test.skipIf(!existsSync(`${dir}manifest.json`))('the committed files are the generator\'s (else run `npm run sample`)', () => {
    expect(new Uint8Array(readFileSync(`${dir}${TMALL_MANIFEST[0].file}`))).toEqual(sample.orders);
    expect(new Uint8Array(readFileSync(`${dir}${TMALL_MANIFEST[1].file}`))).toEqual(sample.members);
    expect(JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8'))).toEqual(TMALL_MANIFEST);
  });

  test('the default guess: member name, order number, payment time, amount paid net of refunds, statuses; no join to the member list', () => {
    const r = model.spec.roles;
    expect(model.spec.source).toBe('订单');
    expect(model.spec.joins).toEqual([]);
    expect(r.customer).toEqual({ table: '订单', column: '买家会员名' });
    expect(r.orderId?.column).toBe('订单编号');
    expect(r.orderDate?.column).toBe('订单付款时间');
    expect(r.amount?.column).toBe('买家实际支付金额');
    expect(r.refund?.column).toBe('退款金额');
    expect(r.status?.column).toBe('订单状态');
    expect(r.quantity?.column).toBe('宝贝总数量');
    expect(r.product?.column).toBe('宝贝标题');
    expect(model.spec.amountMode).toBe('column');
  });

  test('no load warning: Excel\'s ="…" guards in an unquoted file are not quotes read wrongly', () => {
    expect(warnings).toEqual([]);
    // A stray quote elsewhere still warns.
    const csv = { delimiter: ',', quote: '', escape: '', hasHeader: true, dateFormat: null, timestampFormat: null, skipRows: 0 };
    expect(csvWarnings([{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }], csv, 'a,b\r\n="123",x\r\n="456",y\r\n')).toEqual([]);
    expect(csvWarnings([{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }], csv, 'a,b\n="123",say "hi"\n').map((w) => w.code)).toEqual(['quotes-ignored']);
  });

  test('ingest: GBK decoded, order numbers kept exactly as text, payment time read as a timestamp', async () => {
    const cols = Object.fromEntries((await engine.relations()).find((x) => x.name === '订单')!.columns.map((c) => [c.name, c.type]));
    expect(cols['订单编号']).toBe('VARCHAR');
    expect(cols['订单付款时间']).toMatch(/TIMESTAMP/);
    const [row] = await rowsOf(engine, `SELECT count(*) AS n, count(DISTINCT "订单编号") AS ids, min(length("订单编号")) AS len FROM "订单"`);
    expect(row).toEqual({ n: sample.rows, ids: sample.rows, len: 19 });
  });

  test('every row is accounted for: purchases, refunded (closed after payment, refunding) and excluded (unpaid) rows by status', async () => {
    const rec = Object.fromEntries((await rowsOf(engine, reconciliationSql('om_rows'))).map((r) => [String(r.row_class), Number(r.rows)]));
    const s = sample.statuses;
    const purchases = (s['交易成功'] ?? 0) + (s['卖家已发货，等待买家确认'] ?? 0) + (s['买家已付款，等待卖家发货'] ?? 0);
    expect(rec.purchase).toBe(purchases);
    expect((rec.refunded ?? 0) + (rec.excluded ?? 0)).toBe(sample.rows - purchases);
    expect(rec.refunded).toBeGreaterThan(50);
    expect(Object.values(rec).reduce((a, b) => a + b, 0)).toBe(sample.rows);
  });

  test('RFM over the model and the customer view equal the generator\'s truth, customer by customer', async () => {
    const relations = await engine.relations();
    const rfm = pointAtOrdersModel({ id: 'r', name: 'rfm', kind: 'rfm', spec: newRfmSpec(relations), rules: defaultRfmRules() }, model, relations) as Extract<Cell, { kind: 'rfm' }>;
    const got = new Map((await rowsOf(engine, rfmSql(rfm.spec, rfm.rules))).map((r) => [String(r.customer_id), r]));
    expect(got.size).toBe(sample.truth.size);
    const bad: string[] = [];
    for (const [id, t] of sample.truth) {
      const row = got.get(id);
      if (!row || Number(row.frequency) !== t.orders || Math.abs(Number(row.monetary) - t.cents / 100) > 0.005) bad.push(`${id}: ${JSON.stringify(row)} vs ${t.orders} / ${t.cents}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    const cv = pointAtOrdersModel({ id: 'c', name: 'cv', kind: 'customers', spec: newCustomerViewSpec(relations) }, model, relations) as CustomersCell;
    expect(cv.spec.customers).toBe('会员');
    const members = relations.find((x) => x.name === '会员')!.columns;
    const cvRows = await rowsOf(engine, customerViewSql(cv.spec, members));
    const buyers = cvRows.filter((r) => Number(r.orders) > 0);
    expect(buyers.length).toBe(sample.truth.size);
    for (const r of buyers) {
      const t = sample.truth.get(String(r.customer_id))!;
      expect([Number(r.orders), Math.round(Number(r.revenue) * 100), day(r.first_order), day(r.last_order)]).toEqual([t.orders, t.cents, t.first, t.last]);
    }
  });

  test('the Chinese starter\'s province grouping over its customer view counts what the parser counts', async () => {
    const cells = zhStarterNotebook();
    const cvCell = cells.find((c): c is CustomersCell => c.kind === 'customers')!;
    const attr = cells.find((c): c is AttributesCell => c.kind === 'attributes')!;
    const members = (await engine.relations()).find((x) => x.name === '会员')!.columns;
    await engine.query(`CREATE VIEW ${JSON.stringify(cvCell.name)} AS ${customerViewSql({ ...cvCell.spec, orders: '购买记录' }, members)}`);
    const cvColumns = (await engine.relations()).find((x) => x.name === cvCell.name)!.columns;
    expect(attr.source).toBe(cvCell.name);
    const got = await rowsOf(engine, attributeSegmentSql(cvCell.name, attr.bands, { revenue: attr.revenue, orders: attr.orders }, cvColumns));
    const all = await rowsOf(engine, `SELECT "收货地址" AS a FROM ${JSON.stringify(cvCell.name)}`);
    const want = new Map<string, number>();
    for (const { a } of all) {
      const p = parseCnAddress(a ?? null).province ?? '(empty)';
      want.set(p, (want.get(p) ?? 0) + 1);
    }
    expect(new Map(got.map((r) => [String(r.band_1), Number(r.customers)]))).toEqual(new Map([...want].filter(([, n]) => n > 0)));
    // Ranked: most customers first, (empty) last.
    const counts = got.filter((r) => r.band_1 !== '(empty)').map((r) => Number(r.customers));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(got[0].band_1).toBe('广东省');
  });
});
