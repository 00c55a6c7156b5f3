/**
 * Data facts only remove work: with them the RFM result is identical to the fully general SQL,
 * on data where each fact holds (typed columns, no refunds, no nulls) and for every setting.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { rfmSql } from '../../../src/lib/segment/rfm-sql';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  // 40 customers, seeded arithmetic data: typed DATE and DOUBLE columns, no nulls, no refunds.
  db.exec(`CREATE TABLE clean AS
    SELECT 'C' || (i % 40) AS cid, DATE '2024-01-01' + CAST((i * 37) % 400 AS INTEGER) AS day,
           round(((i * 7919) % 1000) / 7.0 + 0.01, 2) AS amount, 'O' || i AS oid
    FROM range(1, 600) t(i)`);
  // The same with refunds and a null amount.
  db.exec(`CREATE TABLE messy AS SELECT * FROM clean UNION ALL
    SELECT 'C3', DATE '2024-05-05', -12.5, 'R1' UNION ALL SELECT 'C4', DATE '2024-06-06', NULL, 'O9999'`);
});

const spec = (source: string, patch: Partial<RfmSpec> = {}): RfmSpec => ({
  ...defaultRfmSpec(source, { customerId: 'cid', orderDate: 'day', amount: 'amount', orderId: 'oid' }),
  orderIdsUnique: true,
  ...patch,
});
const run = (s: RfmSpec) => db.rows(`SELECT * FROM (${rfmSql(s, DEFAULT_RFM_RULES)}) ORDER BY customer_id`);

describe('RFM data facts', () => {
  test.each([
    ['total, net', {}],
    ['average', { monetary: 'average' as const }],
    ['exclude refunds', { negatives: 'exclude' as const }],
    ['window', { window: { from: '2024-02-01', to: '2024-12-31' } }],
  ])('clean data, %s: identical with all facts', (_name, patch) => {
    const general = run(spec('clean', patch));
    const withFacts = run(spec('clean', { ...patch, facts: { dateIsDate: true, amountIsNumeric: true, noRefunds: true, noNulls: true } }));
    expect(general.length).toBe(40);
    expect(withFacts).toEqual(general);
  });

  test('data with refunds and nulls: the type facts alone keep the result identical', () => {
    const general = run(spec('messy'));
    expect(run(spec('messy', { facts: { dateIsDate: true, amountIsNumeric: true } }))).toEqual(general);
  });

  test('the facts remove the casts and filters from the SQL', () => {
    const sql = rfmSql(spec('clean', { facts: { dateIsDate: true, amountIsNumeric: true, noRefunds: true, noNulls: true } }), DEFAULT_RFM_RULES);
    expect(sql).not.toMatch(/TRY_CAST|FILTER|IS NOT NULL/);
  });
});
