/** Editing the segment builder's condition tree (issue 5): operators by column kind, switching operators and columns, edits at a path. */
import { describe, expect, test } from 'vitest';
import type { ColumnInfo } from '../../../src/lib/segment/column-kinds';
import {
  appendAt,
  columnsOf,
  conditionCount,
  defaultCondition,
  nodeAt,
  onlyEmptyRoot,
  opOf,
  opsFor,
  pathLabel,
  problemsAt,
  removeAt,
  updateAt,
  usesAsOf,
  withColumn,
  withOp,
} from '../../../src/lib/segment/condition-edit';
import { validateCondition, type Condition, type Group } from '../../../src/lib/segment/conditions';

const AGE: ColumnInfo = { name: 'age', type: 'INTEGER' };
const CITY: ColumnInfo = { name: 'city', type: 'VARCHAR' };
const FIRST: ColumnInfo = { name: 'first_order', type: 'DATE' };
const VIP: ColumnInfo = { name: 'vip', type: 'BOOLEAN' };
const SIGNUP_TEXT: ColumnInfo = { name: 'signup_date', type: 'VARCHAR' };
const COLUMNS = [AGE, CITY, FIRST, VIP, SIGNUP_TEXT];

describe('operators', () => {
  test('each column kind offers its own operators; text columns named like dates also offer date operators', () => {
    expect(opsFor(AGE)).toEqual(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between', 'in', 'not-in', 'empty', 'not-empty']);
    expect(opsFor(CITY)).toEqual(['in', 'not-in', 'eq', 'ne', 'contains', 'empty', 'not-empty']);
    expect(opsFor(FIRST)).toEqual(['within', 'before', 'after', 'between', 'eq', 'empty', 'not-empty']);
    expect(opsFor(VIP)).toEqual(['eq', 'empty', 'not-empty']);
    expect(opsFor(SIGNUP_TEXT)).toContain('within');
    expect(opsFor({ name: 'tags', type: 'VARCHAR[]' })).toEqual(['contains', 'empty', 'not-empty']);
  });

  test('a new condition per kind starts incomplete where a value is needed (so it is flagged, not silently wrong)', () => {
    expect(defaultCondition(AGE)).toEqual({ kind: 'compare', column: 'age', op: '>=', value: '' });
    expect(defaultCondition(CITY)).toEqual({ kind: 'in', column: 'city', values: [] });
    expect(defaultCondition(FIRST)).toEqual({ kind: 'date', column: 'first_order', op: 'within-last-days', value: 30 });
    expect(defaultCondition(VIP)).toEqual({ kind: 'compare', column: 'vip', op: '=', value: true });
    expect(validateCondition(defaultCondition(AGE), COLUMNS).length).toBe(1);
    expect(validateCondition(defaultCondition(CITY), COLUMNS)[0].message).toMatch(/choose at least one value/);
    expect(validateCondition(defaultCondition(VIP), COLUMNS)).toEqual([]);
  });

  test('switching operators keeps the value where it fits, and opOf reads it back', () => {
    const c: Condition = { kind: 'compare', column: 'city', op: '=', value: '上海' };
    expect(withOp(c, 'in', 'text')).toEqual({ kind: 'in', column: 'city', values: ['上海'] });
    expect(withOp(c, 'not-in', 'text')).toEqual({ kind: 'in', column: 'city', values: ['上海'], negate: true });
    expect(withOp(c, 'contains', 'text')).toEqual({ kind: 'contains', column: 'city', text: '上海' });
    expect(withOp({ kind: 'in', column: 'city', values: ['a', 'b'] }, 'ne', 'text')).toEqual({ kind: 'compare', column: 'city', op: '<>', value: 'a' });
    expect(withOp({ kind: 'compare', column: 'age', op: '>=', value: '18' }, 'between', 'integer')).toEqual({ kind: 'between', column: 'age', low: '18', high: '' });
    expect(withOp(c, 'empty', 'text')).toEqual({ kind: 'empty', column: 'city' });
    expect(withOp(c, 'not-empty', 'text')).toEqual({ kind: 'empty', column: 'city', negate: true });
    // A day count is not a date or a value; a date carries from a comparison to before / after.
    const within: Condition = { kind: 'date', column: 'first_order', op: 'within-last-days', value: 90 };
    expect(withOp(within, 'eq', 'date')).toEqual({ kind: 'compare', column: 'first_order', op: '=', value: '' });
    expect(withOp({ kind: 'compare', column: 'first_order', op: '=', value: '2025-01-31' }, 'after', 'date')).toEqual({ kind: 'date', column: 'first_order', op: 'after', value: '2025-01-31' });
    expect(withOp({ kind: 'date', column: 'first_order', op: 'before', value: '2025-01-31' }, 'within', 'date')).toEqual({ kind: 'date', column: 'first_order', op: 'within-last-days', value: 30 });
    for (const op of opsFor(AGE)) expect(opOf(withOp(c, op, 'integer'))).toBe(op);
    for (const op of opsFor(FIRST)) expect(opOf(withOp(within, op, 'date'))).toBe(op);
  });

  test('moving a condition to another column keeps the operator when offered (values cleared), else starts afresh', () => {
    expect(withColumn({ kind: 'in', column: 'city', values: ['Paris'] }, { name: 'lifestyle', type: 'VARCHAR' })).toEqual({ kind: 'in', column: 'lifestyle', values: [] });
    expect(withColumn({ kind: 'contains', column: 'city', text: 'x' }, AGE)).toEqual(defaultCondition(AGE));
    expect(withColumn({ kind: 'compare', column: 'age', op: '<', value: '3' }, { name: 'orders', type: 'BIGINT' })).toEqual({ kind: 'compare', column: 'orders', op: '<', value: '' });
  });
});

describe('edits at a path', () => {
  const tree: Group = {
    kind: 'group',
    op: 'or',
    items: [
      { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'city', op: '=', value: 'Tier 1' }, { kind: 'compare', column: 'age', op: '>=', value: 3 }] },
      { kind: 'in', column: 'city', values: ['Outdoor'] },
    ],
  };

  test('read, replace, remove and append without touching the input', () => {
    const before = JSON.stringify(tree);
    expect(nodeAt(tree, [0, 1])).toEqual({ kind: 'compare', column: 'age', op: '>=', value: 3 });
    expect(nodeAt(tree, [5])).toBeUndefined();
    const replaced = updateAt(tree, [0, 1], () => ({ kind: 'empty', column: 'age' })) as Group;
    expect(nodeAt(replaced, [0, 1])).toEqual({ kind: 'empty', column: 'age' });
    const removed = removeAt(tree, [0, 0]);
    expect(nodeAt(removed, [0])).toMatchObject({ items: [{ column: 'age' }] });
    const appended = appendAt(tree, [0], { kind: 'empty', column: 'vip', negate: true });
    expect(conditionCount(appended)).toBe(4);
    expect(removeAt(tree, []).items).toEqual([]);
    expect(updateAt(tree, [9, 9], () => ({ kind: 'empty', column: 'x' }))).toEqual(tree);
    expect(JSON.stringify(tree)).toBe(before);
  });

  test('what a tree uses, and problems by position', () => {
    expect(columnsOf(tree)).toEqual(['city', 'age']);
    expect(usesAsOf(tree)).toBe(false);
    expect(usesAsOf(appendAt(tree, [], { kind: 'date', column: 'first_order', op: 'within-last-days', value: 7 }))).toBe(true);
    const bad = updateAt(tree, [0, 1], () => ({ kind: 'compare', column: 'age', op: '>=', value: 'three' })) as Group;
    const problems = validateCondition(bad, COLUMNS);
    expect(problemsAt(problems, [0, 1])).toEqual([`'three' is not a number: column 'age' holds whole numbers`]);
    expect(problemsAt(problems, [0])).toEqual([]);
    expect(pathLabel([0, 1])).toBe('1.2');
    expect(onlyEmptyRoot(validateCondition({ kind: 'group', op: 'and', items: [] }, COLUMNS))).toBe(true);
    expect(onlyEmptyRoot(problems)).toBe(false);
  });
});
