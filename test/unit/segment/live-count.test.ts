/**
 * Issue 16: the segment builder's live count, made faster, still counts the same customers for a
 * built-in segment written in English, in Chinese or as its stored key — checked on the real
 * DuckDB-WASM against counts worked out here in plain JavaScript from the same generated rows.
 *
 * The rows (130,000 customers, more than one of DuckDB's row groups of 122,880) are a pure function of i,
 * computed once in SQL and once in JS. Segment names mix the two languages (a view can hold both:
 * a result computed in English beside one computed in Chinese), plus a user's own name and NULL.
 * Which names are the same segment is written out by hand below, not taken from the app's
 * catalogue.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import type { ColumnInfo } from '../../../src/lib/segment/column-kinds';
import { segmentCountSql, type Condition, type ConditionTree } from '../../../src/lib/segment/conditions';

const N = 130_000;
const NAMES: (string | null)[] = ['Champions', '冠军客户', 'Loyal Customers', '忠诚客户', 'At Risk', '流失风险客户', 'Lost', '已流失客户', 'Whales', null, 'Champions'];
/** The same segment in every spelling a condition may use (by hand: English, Chinese, stored key). */
const SAME: Record<string, string[]> = {
  champions: ['Champions', '冠军客户'],
  loyal: ['Loyal Customers', '忠诚客户'],
  atRisk: ['At Risk', '流失风险客户'],
};
const SPELLINGS: Record<keyof typeof SAME, string[]> = {
  champions: ['Champions', '冠军客户', 'rfm.seg.champions'],
  loyal: ['Loyal Customers', '忠诚客户', 'rfm.seg.loyal'],
  atRisk: ['At Risk', '流失风险客户', 'rfm.seg.atRisk'],
};

interface Row {
  segment: string | null;
  frequency: number;
  revenue: number;
}
const ROWS: Row[] = Array.from({ length: N }, (_, i) => ({
  segment: NAMES[(i * 7 + Math.floor(i / 1000)) % NAMES.length],
  frequency: 1 + ((i * 13) % 11),
  revenue: ((i * 37) % 1000) + 0.25 * (i % 4),
}));
const COLUMNS: ColumnInfo[] = [
  { name: 'customer_id', type: 'BIGINT' },
  { name: 'segment', type: 'VARCHAR' },
  { name: 'frequency', type: 'BIGINT' },
  { name: 'revenue', type: 'DOUBLE' },
];

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  db.exec(`CREATE TABLE cust AS
    SELECT i AS customer_id,
      [${NAMES.map((n) => (n === null ? 'NULL' : `'${n}'`)).join(', ')}][1 + (i * 7 + i // 1000) % ${NAMES.length}] AS segment,
      1 + (i * 13) % 11 AS frequency,
      CAST((i * 37) % 1000 AS DOUBLE) + 0.25 * (i % 4) AS revenue
    FROM range(${N}) t(i)`);
}, 120_000);

/** Every way the app counts a tree: over a relation (matching rows by WHERE, totals apart) and in one pass (a joined source). */
function counts(tree: ConditionTree): { customers: number; revenue: number; total: number }[] {
  return [segmentCountSql('cust', tree, COLUMNS, null, 'revenue'), segmentCountSql('cust', tree, COLUMNS, null, 'revenue', 'once')].map((sql) => {
    const r = db.rows(sql)[0];
    return { customers: Number(r.customers), revenue: Number(r.revenue), total: Number(r.total_customers) };
  });
}

/** The count worked out in JS. */
function expected(match: (r: Row) => boolean): { customers: number; revenue: number } {
  let customers = 0;
  let revenue = 0;
  for (const r of ROWS) {
    if (match(r)) {
      customers++;
      revenue += r.revenue;
    }
  }
  return { customers, revenue };
}

function expectCounts(tree: ConditionTree, match: (r: Row) => boolean): void {
  const want = expected(match);
  expect(want.customers).toBeGreaterThan(0);
  for (const got of counts(tree)) {
    expect(got.customers).toBe(want.customers);
    expect(got.total).toBe(N);
    expect(got.revenue).toBeCloseTo(want.revenue, 4);
  }
}

const inSeg = (names: readonly string[], r: Row) => r.segment !== null && names.includes(r.segment);

describe('issue 16: live count of built-in segments in every spelling', () => {
  test.each(Object.keys(SPELLINGS) as (keyof typeof SAME)[])('%s: English, Chinese and the key count the same customers', (seg) => {
    for (const spelling of SPELLINGS[seg]) {
      expectCounts({ kind: 'in', column: 'segment', values: [spelling] }, (r) => inSeg(SAME[seg], r));
      expectCounts({ kind: 'compare', column: 'segment', op: '=', value: spelling }, (r) => inSeg(SAME[seg], r));
      // Not equal / not in: never NULL (as everywhere in the builder).
      expectCounts({ kind: 'compare', column: 'segment', op: '<>', value: spelling }, (r) => r.segment !== null && !inSeg(SAME[seg], r));
      expectCounts({ kind: 'in', column: 'segment', values: [spelling], negate: true }, (r) => r.segment !== null && !inSeg(SAME[seg], r));
    }
  });

  test('three segments and a frequency, as the benchmark edits them, in each language and mixed', () => {
    const all = [...SAME.champions, ...SAME.loyal, ...SAME.atRisk];
    const lists = [
      ['Champions', 'Loyal Customers', 'At Risk'],
      ['冠军客户', '忠诚客户', '流失风险客户'],
      ['rfm.seg.champions', 'rfm.seg.loyal', 'rfm.seg.atRisk'],
      ['冠军客户', 'Loyal Customers', 'rfm.seg.atRisk', 'At Risk'],
    ];
    for (const values of lists) {
      for (const min of [1, 4, 9]) {
        const items: Condition[] = [
          { kind: 'in', column: 'segment', values },
          { kind: 'compare', column: 'frequency', op: '>=', value: min },
        ];
        expectCounts({ kind: 'group', op: 'and', items }, (r) => inSeg(all, r) && r.frequency >= min);
        expectCounts({ kind: 'group', op: 'or', items }, (r) => inSeg(all, r) || r.frequency >= min);
      }
    }
  });

  test('a name of the user and empty segments are matched as they are', () => {
    expectCounts({ kind: 'in', column: 'segment', values: ['Whales', 'Lost'] }, (r) => inSeg(['Whales', 'Lost', '已流失客户'], r));
    expectCounts({ kind: 'empty', column: 'segment' }, (r) => r.segment === null);
    expectCounts({ kind: 'group', op: 'and', items: [{ kind: 'empty', column: 'segment', negate: true }, { kind: 'compare', column: 'frequency', op: '<', value: 3 }] }, (r) => r.segment !== null && r.frequency < 3);
  });
});
