/**
 * Where segments come from (issue 5): a customer view joined with an RFM result, membership of
 * saved segments / RFM segments / attribute groups as conditions, the saved segment's SQL and
 * the live count — all run through DuckDB. Expected answers are worked out by hand next to each test.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import type { ColumnInfo } from '../../../src/lib/segment/column-kinds';
import { attributeSegmentSql, type BandSpec } from '../../../src/lib/segment/attribute-bands';
import type { Group } from '../../../src/lib/segment/conditions';
import { segmentSizesSql } from '../../../src/lib/segment/segment-profile';
import {
  bandGroupMembersSql,
  columnValuesSql,
  guessIdColumn,
  guessRevenueColumn,
  idKeySql,
  joinedSourceColumns,
  joinedSourceSql,
  looksLikeIdColumn,
  membersWhereSql,
  savedSegmentSql,
  segmentCountQuery,
  type SegmentSource,
} from '../../../src/lib/segment/segment-sources';
import { attributesSettingsFor } from '../../../src/lib/notebook/cells-segment';
import { clusterSourceFor } from '../../../src/lib/notebook/cells-cluster';

let db: TestDb;

// A customer view of 6 customers (ids as text) and an RFM result scoring 4 of them (ids as DOUBLE,
// as a spreadsheet would give them): customers '5' and '6' have no RFM row; RFM row 9 has no customer.
const CV = `CREATE TABLE cv AS SELECT * FROM (VALUES
  ('1', 3, 300.0, 'Tier 1', 'Outdoor',  '高价值 "VIP"'),
  ('2', 1,  50.0, 'Tier 1', 'Homebody', 'O''Brien'),
  ('3', 5, 900.0, 'Tier 2', 'Outdoor',  'select'),
  ('4', 2, 120.0, 'Tier 2', 'Homebody', NULL),
  ('5', 0,   0.0, 'Tier 3', NULL,       'x'),
  ('6', 4, 400.0, 'Tier 1', 'Trendsetter', 'y')
) t(customer_id, orders, revenue, city_tier, lifestyle, note)`;
const CV_COLUMNS: ColumnInfo[] = [
  { name: 'customer_id', type: 'VARCHAR' },
  { name: 'orders', type: 'INTEGER' },
  { name: 'revenue', type: 'DECIMAL(18,2)' },
  { name: 'city_tier', type: 'VARCHAR' },
  { name: 'lifestyle', type: 'VARCHAR' },
  { name: 'note', type: 'VARCHAR' },
];
const RFM = `CREATE TABLE rfm AS SELECT CAST(customer_id AS DOUBLE) AS customer_id, recency_days, frequency, CAST(revenue AS DOUBLE) AS revenue, segment FROM (VALUES
  (1.0, 10, 3, 300.0, 'Champions'),
  (2.0, 200, 1, 50.0, 'Lost'),
  (3.0, 5, 5, 900.0, 'Champions'),
  (4.0, 90, 2, 120.0, 'At Risk'),
  (9.0, 1, 1, 1.0, 'New Customers')
) t(customer_id, recency_days, frequency, revenue, segment)`;
const RFM_COLUMNS: ColumnInfo[] = [
  { name: 'customer_id', type: 'DOUBLE' },
  { name: 'recency_days', type: 'INTEGER' },
  { name: 'frequency', type: 'INTEGER' },
  { name: 'revenue', type: 'DOUBLE' },
  { name: 'segment', type: 'VARCHAR' },
];

beforeAll(async () => {
  db = await openTestDb();
  db.exec(CV);
  db.exec(RFM);
}, 60_000);

const and = (...items: Group['items']): Group => ({ kind: 'group', op: 'and', items });
const or = (...items: Group['items']): Group => ({ kind: 'group', op: 'or', items });

describe('guessing columns', () => {
  test('the id column: customer_id first, else the RFM-style guess; revenue: a numeric column named like revenue', () => {
    expect(guessIdColumn(CV_COLUMNS)).toBe('customer_id');
    expect(guessIdColumn([{ name: 'amount', type: 'DOUBLE' }, { name: '客户编号', type: 'VARCHAR' }])).toBe('客户编号');
    expect(guessIdColumn([{ name: 'x', type: 'INTEGER' }])).toBeNull();
    expect(guessRevenueColumn(CV_COLUMNS)).toBe('revenue');
    expect(guessRevenueColumn([{ name: 'monetary', type: 'DOUBLE' }, { name: 'Revenue', type: 'VARCHAR' }])).toBe('monetary');
    expect(guessRevenueColumn([{ name: 'age', type: 'INTEGER' }])).toBeNull();
  });

  test('ids as text: whole DOUBLE and DECIMAL values lose their decimals, others stay as they are', () => {
    const [r] = db.rows(`SELECT ${idKeySql('CAST(17850.0 AS DOUBLE)', 'DOUBLE')} AS a, ${idKeySql('CAST(17850.00 AS DECIMAL(10,2))', 'DECIMAL(10,2)')} AS b,
      ${idKeySql('CAST(1.5 AS DOUBLE)', 'DOUBLE')} AS c, ${idKeySql('CAST(42 AS BIGINT)', 'BIGINT')} AS d, ${idKeySql("'C001'", 'VARCHAR')} AS e`);
    expect(r).toEqual({ a: '17850', b: '17850', c: '1.5', d: '42', e: 'C001' });
  });
});

describe('a customer view joined with an RFM result', () => {
  test('columns: the RFM id is dropped and a clashing name becomes rfm_<name>', () => {
    const cols = joinedSourceColumns(CV_COLUMNS, RFM_COLUMNS);
    expect(cols.map((c) => c.name)).toEqual(['customer_id', 'orders', 'revenue', 'city_tier', 'lifestyle', 'note', 'recency_days', 'frequency', 'rfm_revenue', 'segment']);
    expect(cols.find((c) => c.name === 'rfm_revenue')).toMatchObject({ from: 'rfm', source: 'revenue', type: 'DOUBLE' });
    // A clash with an existing rfm_ name moves on to rfm_<name>_2.
    const again = joinedSourceColumns([...CV_COLUMNS, { name: 'RFM_revenue', type: 'INTEGER' }], RFM_COLUMNS);
    expect(again.filter((c) => c.from === 'rfm').map((c) => c.name)).toContain('rfm_revenue_2');
  });

  test('one row per customer of the view; ids matched across VARCHAR and DOUBLE; unscored customers get NULLs', () => {
    const rows = db.rows(`SELECT customer_id, segment, recency_days, rfm_revenue FROM (${joinedSourceSql('cv', CV_COLUMNS, 'rfm', RFM_COLUMNS)}) ORDER BY customer_id`);
    expect(rows).toEqual([
      { customer_id: '1', segment: 'Champions', recency_days: 10, rfm_revenue: 300 },
      { customer_id: '2', segment: 'Lost', recency_days: 200, rfm_revenue: 50 },
      { customer_id: '3', segment: 'Champions', recency_days: 5, rfm_revenue: 900 },
      { customer_id: '4', segment: 'At Risk', recency_days: 90, rfm_revenue: 120 },
      { customer_id: '5', segment: null, recency_days: null, rfm_revenue: null },
      { customer_id: '6', segment: null, recency_days: null, rfm_revenue: null },
    ]);
  });
});

describe('saved segments and the live count', () => {
  const TREE = or(and({ kind: 'compare', column: 'city_tier', op: '=', value: 'Tier 1' }, { kind: 'compare', column: 'orders', op: '>=', value: '3' }), { kind: 'in', column: 'lifestyle', values: ['Outdoor'] });
  // Tier 1 with >= 3 orders: 1, 6; Outdoor: 1, 3 -> customers 1, 3, 6; revenue 1600 of 1770.

  test('over a relation: the body lists the customers, the statement creates the view, the count agrees', () => {
    const source: SegmentSource = { kind: 'relation', name: 'cv' };
    const { body, statement } = savedSegmentSql('高价值 "VIP"', source, TREE, CV_COLUMNS, null);
    expect(db.rows(`SELECT customer_id FROM (${body}) ORDER BY 1`).map((r) => r.customer_id)).toEqual(['1', '3', '6']);
    expect(statement.startsWith('CREATE OR REPLACE VIEW "高价值 ""VIP""" AS\n')).toBe(true);
    db.exec(statement);
    expect(db.rows('SELECT count(*) AS n FROM "高价值 ""VIP"""')[0].n).toBe(3);
    const [count] = db.rows(segmentCountQuery(source, TREE, CV_COLUMNS, null, 'revenue'));
    expect(count).toMatchObject({ customers: 3, total_customers: 6 });
    expect(count.revenue).toBeCloseTo(1600, 9);
    expect(count.revenue_share).toBeCloseTo(1600 / 1770, 12);
  });

  test('over the joined source: conditions on RFM columns; self-contained SQL', () => {
    const source: SegmentSource = { kind: 'joined', customers: 'cv', customerColumns: CV_COLUMNS, rfm: 'rfm', rfmColumns: RFM_COLUMNS };
    const columns = joinedSourceColumns(CV_COLUMNS, RFM_COLUMNS);
    const tree = and({ kind: 'in', column: 'segment', values: ['Champions', 'At Risk'] }, { kind: 'compare', column: 'rfm_revenue', op: '<', value: 500 });
    // Champions or At Risk: 1, 3, 4; RFM revenue < 500: 1 (300), 4 (120).
    const { body, statement } = savedSegmentSql('seg', source, tree, columns, null);
    expect(body.startsWith('WITH "seg_source" AS (')).toBe(true);
    expect(db.rows(`SELECT customer_id FROM (${body}) ORDER BY 1`).map((r) => r.customer_id)).toEqual(['1', '4']);
    db.exec(statement);
    expect(db.rows('SELECT count(*) AS n FROM seg')[0].n).toBe(2);
    const [count] = db.rows(segmentCountQuery(source, tree, columns, null, 'revenue'));
    expect(count).toMatchObject({ customers: 2, total_customers: 6 });
    expect(count.revenue).toBeCloseTo(420, 9);
  });

  test('the values of a column for pick lists: most common first, then by value; quotes and Chinese kept', () => {
    const source: SegmentSource = { kind: 'relation', name: 'cv' };
    expect(db.rows(columnValuesSql(source, 'lifestyle')).map((r) => r.value)).toEqual(['Homebody', 'Outdoor', 'Trendsetter']);
    expect(db.rows(columnValuesSql(source, 'note', 2)).map((r) => r.value)).toEqual(['O\'Brien', 'select']);
    expect(db.rows(columnValuesSql(source, 'note')).map((r) => r.value)).toContain('高价值 "VIP"');
  });
});

describe('membership as a condition', () => {
  const ID = { name: 'customer_id', type: 'VARCHAR' };

  test('of a saved segment and of an RFM segment, across id types', () => {
    db.exec(`CREATE TABLE saved AS SELECT * FROM cv WHERE orders >= 3`); // 1, 3, 6
    const inSaved = membersWhereSql(ID, '"saved"', ID);
    expect(inSaved).not.toContain('CAST');
    const champions = membersWhereSql(ID, '"rfm"', { name: 'customer_id', type: 'DOUBLE' }, `"segment" = 'Champions'`);
    const rows = db.rows(segmentSizesSql('cv', [{ name: 'saved', where: inSaved }, { name: 'Champions', where: champions }], 'revenue'));
    expect(rows.map((r) => [r.segment, r.customers])).toEqual([['All customers', 6], ['saved', 3], ['Champions', 2]]);
  });

  test('of an attribute group: members equal the group counts of attributeSegmentSql, one and two columns', () => {
    const cases: BandSpec[][] = [
      [{ column: 'lifestyle', kind: 'category', minShare: 0.2, maxGroups: 20 }], // Homebody 2, Outdoor 2, Other 1, (empty) 1
      [{ column: 'revenue', kind: 'quantile', bins: 3 }],
      [{ column: 'orders', kind: 'breaks', breaks: [1, 3] }],
      [{ column: 'city_tier', kind: 'category' }, { column: 'orders', kind: 'equal-width', bins: 2 }],
    ];
    for (const bands of cases) {
      const groups = db.rows(attributeSegmentSql('cv', bands, { revenue: 'revenue', orders: 'orders' }, CV_COLUMNS));
      expect(groups.length).toBeGreaterThan(2);
      for (const g of groups) {
        const positions = bands.length === 2 ? [g.band_1_order as number, g.band_2_order as number] : [g.band_1_order as number];
        const members = db.rows(bandGroupMembersSql('cv', bands, CV_COLUMNS, 'customer_id', positions));
        expect(members.length, JSON.stringify([bands, g])).toBe(g.customers);
        const where = membersWhereSql(ID, `(\n${bandGroupMembersSql('cv', bands, CV_COLUMNS, 'customer_id', positions)}\n)`, { name: 'member_id', type: 'VARCHAR' });
        expect(db.rows(`SELECT count(*) AS n FROM cv WHERE ${where}`)[0].n).toBe(g.customers);
      }
    }
  });

  test('bad input: a missing id column, a wrong number of positions', () => {
    const band: BandSpec[] = [{ column: 'lifestyle', kind: 'category' }];
    expect(() => bandGroupMembersSql('cv', band, CV_COLUMNS, 'nope', [1])).toThrow(/'nope' is not a column/);
    expect(() => bandGroupMembersSql('cv', band, CV_COLUMNS, 'customer_id', [1, 2])).toThrow(/needs 1 band position/);
    expect(() => joinedSourceSql('cv', [{ name: 'x', type: 'INTEGER' }], 'rfm', RFM_COLUMNS)).toThrow(/no customer id column/);
  });
});

describe('issue 14: id-like columns are never a default group or feature', () => {
  test('names that identify rows are recognised, ordinary attributes are not', () => {
    for (const n of ['customer_id', 'buyer_id', 'customerID', 'InvoiceNo', 'order number', 'id', 'UUID', 'account_key', '会员编号', '订单号码', '买家ID']) expect(looksLikeIdColumn(n), n).toBe(true);
    for (const n of ['gender', 'city_tier', 'SeniorCitizen', 'paid', 'country_code', 'tenure', 'video', 'android', 'orders', '性别']) expect(looksLikeIdColumn(n), n).toBe(false);
  });

  test('the attributes default skips id-like columns; the cluster default leaves them out of the features', () => {
    const columns = [
      { name: 'customer_id', type: 'VARCHAR' },
      { name: 'InvoiceNo', type: 'VARCHAR' },
      { name: 'buyer_id', type: 'VARCHAR' },
      { name: 'gender', type: 'VARCHAR' },
      { name: 'member_no', type: 'BIGINT' },
      { name: 'spend', type: 'DOUBLE' },
    ];
    expect(attributesSettingsFor({ name: 't', kind: 'table', columns }).bands.map((b) => b.column)).toEqual(['gender']);
    expect(clusterSourceFor({ name: 't', columns }).features.map((f) => f.name)).toEqual(['spend']);
  });
});
