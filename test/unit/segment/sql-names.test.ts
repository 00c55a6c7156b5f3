/** Every generated SQL string runs in DuckDB with awkward names: Chinese, keywords, quotes. */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { roleCheckQuery } from '../../../src/lib/segment/column-roles';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';
import { rfmDistributionSql, rfmGridSql, rfmNotesSql, rfmSql, rfmSummarySql, type RfmMeasure } from '../../../src/lib/segment/rfm-sql';
import { decilesSql, giniSql, lorenzSql, topShareSql } from '../../../src/lib/segment/value-sql';
import { ident } from '../../../src/lib/sql/quote';
import { fixtureSql, referenceRfm, type OrderRow } from './rfm-reference';

const ROWS: OrderRow[] = [
  { c: '张三', d: '2024-01-31', a: 120.5, o: 'D1' },
  { c: '张三', d: '2024-02-29', a: 80, o: 'D2' },
  { c: '李四', d: '2023-12-31', a: 45, o: 'D3' },
  { c: "O'Hara", d: '2024-02-01', a: 300, o: 'D4' },
  { c: 'x"y', d: '2024-02-15', a: -20, o: 'D5' },
  { c: 'x"y', d: '2024-02-10', a: 60, o: 'D6' },
];

const NAME_SETS = [
  { table: '订单表', cols: { c: '客户编号', d: '下单时间', a: '实付金额', o: '订单号' } },
  { table: 'order', cols: { c: 'user', d: 'date', a: 'order', o: 'select' } },
  { table: `it's "quoted"`, cols: { c: `cust "id"`, d: `it's date`, a: `amt"'`, o: `""` } },
];

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

describe.each(NAME_SETS)('names: table $table', ({ table, cols }) => {
  let spec: RfmSpec;
  beforeAll(() => {
    db.exec(fixtureSql(table, ROWS, cols));
    spec = defaultRfmSpec(table, { customerId: cols.c, orderDate: cols.d, amount: cols.a, orderId: cols.o });
  });

  test('rfm, notes and role check run and keep the customer values', () => {
    const rows = db.rows(rfmSql({ ...spec, window: { from: '2023-01-01', to: '2024-12-31' }, asOf: '2024-03-01' }, DEFAULT_RFM_RULES));
    expect(rows.map((r) => r.customer_id).sort()).toEqual(["O'Hara", 'x"y', '张三', '李四'].sort());
    const want = referenceRfm(ROWS, { ...spec, asOf: '2024-03-01' }, DEFAULT_RFM_RULES);
    for (const r of rows) expect(r).toMatchObject(want.get(r.customer_id as string)!);
    expect(db.rows(rfmNotesSql(spec))[0]).toMatchObject({ rows_total: 6, rows_used: 6, refunds_netted: 1 });
    expect(db.rows(roleCheckQuery(spec))[0]).toMatchObject({ rows: 6, order_ids: 6 });
  });

  test('no generated SQL reads the clock', () => {
    const all = [rfmSql(spec, DEFAULT_RFM_RULES), rfmNotesSql(spec), roleCheckQuery(spec), rfmSummarySql('v', DEFAULT_RFM_RULES), rfmGridSql('v')];
    for (const sql of all) expect(sql).not.toMatch(/current_date|current_timestamp|now\(|today\(/i);
  });

  test('summary, grid, distributions and value queries run on a view with an awkward name', () => {
    const view = `${table} rfm`;
    db.exec(`CREATE VIEW ${ident(view)} AS ${rfmSql({ ...spec, monetary: 'average', negatives: 'exclude' }, DEFAULT_RFM_RULES)}`);
    expect(db.rows(rfmSummarySql(view, DEFAULT_RFM_RULES)).reduce((s, r) => s + (r.customers as number), 0)).toBe(4);
    expect(db.rows(rfmGridSql(view))).toHaveLength(25);
    for (const m of ['recency_days', 'frequency', 'monetary', 'revenue', 'r_score', 'f_score', 'm_score'] as RfmMeasure[]) {
      expect(db.rows(rfmDistributionSql(view, m)).reduce((s, r) => s + (r.customers as number), 0)).toBe(4);
    }
    expect(db.rows(lorenzSql(view, 'revenue'))).toHaveLength(101);
    expect(db.rows(giniSql(view, 'revenue'))[0].customers).toBe(4);
    expect(db.rows(topShareSql(view, 'revenue'))).toHaveLength(4);
    expect(db.rows(decilesSql(view, 'revenue'))).toHaveLength(4);
  });
});

describe('date column types', () => {
  test.each([
    ['DATE', `CAST(d AS DATE)`],
    ['TIMESTAMP', `CAST(d AS TIMESTAMP) + INTERVAL 23 HOUR`],
    ['TIMESTAMPTZ (read as its UTC day)', `CAST(CAST(d AS TIMESTAMP) + INTERVAL 1 HOUR AS TIMESTAMPTZ)`],
  ])('%s', (label, expr) => {
    const name = `typed_${label.split(' ')[0]}`;
    db.exec(`CREATE TABLE ${name} AS SELECT c, ${expr} AS d, a FROM (VALUES ('a', '2024-02-29', 10.0), ('b', '2023-12-31', 20.0)) t(c, d, a)`);
    const spec = defaultRfmSpec(name, { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
    const rows = db.rows(rfmSql({ ...spec, asOf: '2024-03-01' }, DEFAULT_RFM_RULES));
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.recency_days]))).toEqual({ a: 1, b: 61 });
  });
});
