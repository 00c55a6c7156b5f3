/** The segment builder's conditions (issue 5): every kind, AND/OR nesting, validation, the live count. */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import type { ColumnInfo } from '../../../src/lib/segment/column-kinds';
import {
  conditionSql,
  describeCondition,
  segmentCountMessages,
  segmentCountSql,
  segmentSql,
  segmentViewSql,
  validateCondition,
  type Condition,
  type ConditionTree,
  type Group,
} from '../../../src/lib/segment/conditions';

let db: TestDb;

// Six customers; revenue = id * 10 (total 210).
const CUSTOMERS = `CREATE TABLE cust AS SELECT * FROM (VALUES
  (1, 'Ann',      25,   'Paris', TRUE,  DATE '2023-12-31', TIMESTAMP '2024-01-05 10:00:00', '50% off', '2024-01-09', 10.0),
  (2, 'Bob',      35,   'Lyon',  FALSE, DATE '2024-01-01', TIMESTAMP '2023-12-20 00:00:00', 'a_b',     '2023-12-31', 20.0),
  (3, 'O''Brien', 45,   'Paris', NULL,  DATE '2024-01-15', TIMESTAMP '2024-01-31 23:59:00', 'ab',      'soon',       30.0),
  (4, 'Dan',      NULL, '',      FALSE, NULL,              NULL,                            NULL,      NULL,         40.0),
  (5, 'Eve',      18,   'Nice',  TRUE,  DATE '2023-11-30', TIMESTAMP '2024-01-02 00:00:00', '5 % OFF', '2024-01-10', 50.0),
  (6, '张三',     60,   '上海',  FALSE, DATE '2024-02-01', TIMESTAMP '2024-02-01 00:00:00', '  ',      '2024-01-01', 60.0)
) t(id, name, age, city, vip, signup, last_seen, note, since, revenue)`;

const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: 'INTEGER' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'age', type: 'INTEGER' },
  { name: 'city', type: 'VARCHAR' },
  { name: 'vip', type: 'BOOLEAN' },
  { name: 'signup', type: 'DATE' },
  { name: 'last_seen', type: 'TIMESTAMP' },
  { name: 'note', type: 'VARCHAR' },
  { name: 'since', type: 'VARCHAR' },
  { name: 'revenue', type: 'DECIMAL(4,1)' },
];

beforeAll(async () => {
  db = await openTestDb();
  db.exec(CUSTOMERS);
}, 60_000);

/** The ids matching a tree, ascending. */
function ids(tree: ConditionTree, asOf: string | null = null): number[] {
  return db.rows(`SELECT id FROM (${segmentSql('cust', tree, COLUMNS, asOf)}) ORDER BY id`).map((r) => r.id as number);
}

const and = (...items: ConditionTree[]): Group => ({ kind: 'group', op: 'and', items });
const or = (...items: ConditionTree[]): Group => ({ kind: 'group', op: 'or', items });
const A: Condition = { kind: 'compare', column: 'age', op: '>=', value: 25 };
const B: Condition = { kind: 'compare', column: 'city', op: '=', value: 'Paris' };
const C: Condition = { kind: 'compare', column: 'vip', op: '=', value: true };

describe('AND / OR nesting', () => {
  test('A and (B or C) vs (A and B) or C', () => {
    // A: age >= 25 -> 1, 2, 3, 6 (4 has no age). B: Paris -> 1, 3. C: vip -> 1, 5.
    // A and (B or C): 1 (25, Paris), 3 (45, Paris); 2 and 6 are neither Paris nor vip -> [1, 3].
    expect(ids(and(A, or(B, C)))).toEqual([1, 3]);
    // (A and B) or C: 1, 3 from the left, 1 and 5 from the right -> [1, 3, 5].
    expect(ids(or(and(A, B), C))).toEqual([1, 3, 5]);
  });

  test('three levels: (A and city not in (Paris)) or city is empty', () => {
    // left: 2 (Lyon), 6 (上海); 4 has no age. right: 4 (''). -> [2, 4, 6]
    expect(ids(or(and(A, { kind: 'in', column: 'city', values: ['Paris'], negate: true }), { kind: 'empty', column: 'city' }))).toEqual([2, 4, 6]);
  });

  test('a group of one is the condition itself; an empty root group is everyone', () => {
    expect(ids(and(or(B)))).toEqual([1, 3]);
    expect(ids(and())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(conditionSql(or(), COLUMNS, null)).toBe('FALSE');
  });
});

describe('each condition kind', () => {
  test('comparisons with typed literals; NULLs never match, also for <>', () => {
    expect(ids({ kind: 'compare', column: 'age', op: '<', value: '25' })).toEqual([5]);
    expect(ids({ kind: 'compare', column: 'age', op: '<=', value: 25 })).toEqual([1, 5]);
    expect(ids({ kind: 'compare', column: 'age', op: '>', value: 45 })).toEqual([6]);
    expect(ids({ kind: 'compare', column: 'age', op: '<>', value: 25 })).toEqual([2, 3, 5, 6]);
    expect(ids({ kind: 'compare', column: 'name', op: '=', value: "O'Brien" })).toEqual([3]);
    expect(ids({ kind: 'compare', column: 'city', op: '<>', value: 'Paris' })).toEqual([2, 4, 5, 6]);
    expect(ids({ kind: 'compare', column: 'vip', op: '=', value: 'yes' })).toEqual([1, 5]);
    // A timestamp compares by its day: 2024-01-31 23:59 is on 2024-01-31.
    expect(ids({ kind: 'compare', column: 'last_seen', op: '=', value: '2024-01-31' })).toEqual([3]);
  });

  test('between includes both ends; in-lists and their negation', () => {
    expect(ids({ kind: 'between', column: 'age', low: 25, high: 45 })).toEqual([1, 2, 3]);
    expect(ids({ kind: 'between', column: 'signup', low: '2024-01-01', high: '2024-01-15' })).toEqual([2, 3]);
    expect(ids({ kind: 'in', column: 'city', values: ['Paris', '上海'] })).toEqual([1, 3, 6]);
    expect(ids({ kind: 'in', column: 'city', values: ['Paris', '上海'], negate: true })).toEqual([2, 4, 5]);
    expect(ids({ kind: 'in', column: 'age', values: [18, '60'] })).toEqual([5, 6]);
  });

  test('contains: % and _ match themselves; case-insensitive unless asked', () => {
    // notes: 1 '50% off', 2 'a_b', 3 'ab', 5 '5 % OFF'.
    expect(ids({ kind: 'contains', column: 'note', text: '%' })).toEqual([1, 5]);
    expect(ids({ kind: 'contains', column: 'note', text: '_' })).toEqual([2]);
    expect(ids({ kind: 'contains', column: 'note', text: 'A_B' })).toEqual([2]);
    expect(ids({ kind: 'contains', column: 'note', text: 'A_B', caseSensitive: true })).toEqual([]);
    expect(ids({ kind: 'contains', column: 'note', text: 'off' })).toEqual([1, 5]);
    expect(ids({ kind: 'contains', column: 'note', text: 'off', caseSensitive: true })).toEqual([1]);
    expect(ids({ kind: 'contains', column: 'name', text: "o'b" })).toEqual([3]);
    // Numbers are searched as text: 25, 35, 45.
    expect(ids({ kind: 'contains', column: 'age', text: '5' })).toEqual([1, 2, 3]);
  });

  test("empty: NULL, and for text also '' and blanks", () => {
    expect(ids({ kind: 'empty', column: 'city' })).toEqual([4]);
    expect(ids({ kind: 'empty', column: 'note' })).toEqual([4, 6]);
    expect(ids({ kind: 'empty', column: 'age' })).toEqual([4]);
    expect(ids({ kind: 'empty', column: 'city', negate: true })).toEqual([1, 2, 3, 5, 6]);
  });

  test('within the last N days is relative to the as-of date, across a year boundary', () => {
    // as-of 2024-01-10, 10 days: 2023-12-31 <= signup < 2024-01-10 -> 1 (2023-12-31, the edge), 2 (2024-01-01).
    expect(ids({ kind: 'date', column: 'signup', op: 'within-last-days', value: 10 }, '2024-01-10')).toEqual([1, 2]);
    // 9 days: from 2024-01-01 -> 2 only.
    expect(ids({ kind: 'date', column: 'signup', op: 'within-last-days', value: '9' }, '2024-01-10')).toEqual([2]);
    // Timestamps by day; the as-of day itself is the future: as-of 2024-02-01, 10 days: 2024-01-22 .. 2024-01-31 -> 3 (not 6).
    expect(ids({ kind: 'date', column: 'last_seen', op: 'within-last-days', value: 10 }, '2024-02-01')).toEqual([3]);
    // Across a month boundary into a leap February: as-of 2024-03-01, 30 days: 2024-01-31 .. 2024-02-29 -> 3 (Jan 31), 6 (Feb 1).
    expect(ids({ kind: 'date', column: 'last_seen', op: 'within-last-days', value: 30 }, '2024-03-01')).toEqual([3, 6]);
    // A text column is read as dates ('soon' does not read): 2024-01-01 .. 2024-01-10 -> 1 (01-09), 5 (01-10), 6 (01-01).
    expect(ids({ kind: 'date', column: 'since', op: 'within-last-days', value: 10 }, '2024-01-11')).toEqual([1, 5, 6]);
  });

  test('before and after are strict', () => {
    expect(ids({ kind: 'date', column: 'signup', op: 'before', value: '2024-01-01' })).toEqual([1, 5]);
    expect(ids({ kind: 'date', column: 'signup', op: 'after', value: '2024-01-01' })).toEqual([3, 6]);
    expect(ids({ kind: 'date', column: 'last_seen', op: 'after', value: '2024-01-31' })).toEqual([6]);
  });

  test('no generated SQL reads the clock', () => {
    const sql = conditionSql({ kind: 'date', column: 'signup', op: 'within-last-days', value: 7 }, COLUMNS, '2024-01-10');
    expect(sql).not.toMatch(/current_date|current_timestamp|now\(|today\(/i);
  });
});

describe('validation', () => {
  test('a value that does not fit names the column and the value', () => {
    expect(validateCondition({ kind: 'compare', column: 'age', op: '=', value: 'abc' }, COLUMNS)).toEqual([
      { path: [], message: `'abc' is not a number: column 'age' holds whole numbers` },
    ]);
    expect(validateCondition(and(B, { kind: 'date', column: 'signup', op: 'before', value: '2024-13-01' }), COLUMNS)).toEqual([
      { path: [1], message: `'2024-13-01' is not a date (expected yyyy-mm-dd) for 'signup'` },
    ]);
    expect(validateCondition({ kind: 'compare', column: 'signup', op: '>', value: 'yesterday' }, COLUMNS)[0].message).toBe(
      `'yesterday' is not a date (expected yyyy-mm-dd): column 'signup' holds dates`,
    );
    expect(validateCondition({ kind: 'in', column: 'vip', values: ['maybe'] }, COLUMNS)[0].message).toBe(
      `'maybe' is not true or false: column 'vip' holds true/false values`,
    );
  });

  test('a column that does not exist any more, empty groups and lists, an as-of date that is missing', () => {
    expect(validateCondition(or(A, and(), { kind: 'compare', column: 'gone', op: '=', value: 1 }), COLUMNS)).toEqual([
      { path: [1], message: 'a group has no conditions: add one or remove the group' },
      { path: [2], message: `column 'gone' does not exist (any more): choose another column or remove this condition` },
    ]);
    expect(validateCondition(and(), COLUMNS)).toEqual([{ path: [], message: 'add a condition: the segment has none' }]);
    expect(validateCondition({ kind: 'in', column: 'city', values: [] }, COLUMNS)[0].message).toBe(`choose at least one value for 'city'`);
    expect(validateCondition({ kind: 'between', column: 'age', low: 40, high: 30 }, COLUMNS)[0].message).toBe(`the range for 'age' starts (40) after it ends (30)`);
    expect(validateCondition({ kind: 'date', column: 'signup', op: 'within-last-days', value: 7 }, COLUMNS, null)[0].message).toBe(
      `'within the last 7 days' needs an as-of date`,
    );
    expect(validateCondition({ kind: 'date', column: 'age', op: 'within-last-days', value: -1 }, COLUMNS, '2024-01-01').map((p) => p.message)).toEqual([
      `column 'age' holds whole numbers, not dates`,
      `'-1' is not a number of days (a whole number, 0 or more)`,
    ]);
  });

  test('the builders refuse an invalid tree with the same message, not a SQL error', () => {
    expect(() => segmentSql('cust', { kind: 'compare', column: 'age', op: '=', value: 'abc' }, COLUMNS, null)).toThrow(
      `'abc' is not a number: column 'age' holds whole numbers`,
    );
    expect(() => segmentCountSql('cust', { kind: 'empty', column: 'gone' }, COLUMNS, null, 'revenue')).toThrow(/column 'gone' does not exist/);
  });
});

describe('saved segments and the live count', () => {
  test('count, total and revenue share of A and (B or C)', () => {
    // Matching 1 and 3: revenue 10 + 30 = 40 of 210.
    const row = db.rows(segmentCountSql('cust', and(A, or(B, C)), COLUMNS, null, 'revenue'))[0];
    expect(row).toMatchObject({ customers: 2, total_customers: 6, revenue: 40, total_revenue: 210 });
    expect(row.share_customers).toBeCloseTo(2 / 6, 12);
    expect(row.revenue_share).toBeCloseTo(40 / 210, 12);
    expect(segmentCountMessages(row as { customers: number; total_customers: number })).toEqual([]);
  });

  test('an empty segment gets a plain message', () => {
    const row = db.rows(segmentCountSql('cust', { kind: 'compare', column: 'age', op: '>', value: 100 }, COLUMNS, null, null))[0];
    expect(row).toMatchObject({ customers: 0, total_customers: 6, revenue: null, revenue_share: null });
    expect(segmentCountMessages(row as { customers: number; total_customers: number })).toEqual([
      'no customer matches these conditions: loosen a condition or switch AND to OR',
    ]);
  });

  test('a saved segment is a view later SQL can use', () => {
    db.exec(segmentViewSql(`Paris "VIP"'s`, 'cust', and(A, or(B, C)), COLUMNS, null));
    expect(db.rows(`SELECT count(*) AS n FROM "Paris ""VIP""'s"`)[0].n).toBe(2);
  });
});

describe('describeCondition', () => {
  test('reads as one sentence with nested groups in brackets', () => {
    const tree = and(A, or(B, { kind: 'in', column: 'city', values: ['Lyon', "O'Hara"], negate: true }), { kind: 'date', column: 'signup', op: 'within-last-days', value: 30 });
    expect(describeCondition(tree)).toBe(
      `Customers where age is at least 25 and (city is "Paris" or city is not one of "Lyon", "O'Hara") and signup is within the last 30 days.`,
    );
    expect(describeCondition({ kind: 'compare', column: 'age', op: '<', value: '18' }, COLUMNS)).toBe('Customers where age is less than 18.');
    expect(describeCondition({ kind: 'empty', column: 'email', negate: true })).toBe('Customers where email is not empty.');
    expect(describeCondition(and())).toBe('All customers.');
  });
});
