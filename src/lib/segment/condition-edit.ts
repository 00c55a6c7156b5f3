/**
 * Editing a condition tree (see conditions.ts) the way the segment builder does: the operators a
 * column offers by its kind, a fresh condition for a column, switching a condition's operator
 * (keeping the value where it still makes sense), and changes at a path of the tree. Every
 * function returns new objects and leaves its input untouched.
 */
import { columnKind, isDateKind, isIsoDate, isNumericKind, type ColumnInfo, type ColumnKind } from './column-kinds';
import type { Condition, ConditionProblem, ConditionTree, ConditionValue, Group } from './conditions';

/** An operator as the builder lists it. */
export type OpId =
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'between' | 'in' | 'not-in' | 'contains'
  | 'empty' | 'not-empty'
  | 'before' | 'after' | 'within';

const COMPARE: Record<string, Extract<Condition, { kind: 'compare' }>['op']> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const COMPARE_IDS: Record<string, OpId> = { '=': 'eq', '<>': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/** Text columns whose name says they hold dates also offer the date operators (read with TRY_CAST). */
const DATE_NAME = /date|day|time|_at$|日期|时间/i;

/** The operators offered for a column, in menu order. */
export function opsFor(column: ColumnInfo): OpId[] {
  const kind = columnKind(column.type);
  if (isNumericKind(kind)) return ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between', 'in', 'not-in', 'empty', 'not-empty'];
  if (isDateKind(kind)) return ['within', 'before', 'after', 'between', 'eq', 'empty', 'not-empty'];
  if (kind === 'boolean') return ['eq', 'empty', 'not-empty'];
  if (kind === 'text') {
    const base: OpId[] = ['in', 'not-in', 'eq', 'ne', 'contains', 'empty', 'not-empty'];
    return DATE_NAME.test(column.name) ? [...base, 'within', 'before', 'after'] : base;
  }
  return ['contains', 'empty', 'not-empty'];
}

/** The operator of a condition. */
export function opOf(c: Condition): OpId {
  switch (c.kind) {
    case 'compare': return COMPARE_IDS[c.op] ?? 'eq';
    case 'between': return 'between';
    case 'in': return c.negate ? 'not-in' : 'in';
    case 'contains': return 'contains';
    case 'empty': return c.negate ? 'not-empty' : 'empty';
    case 'date': return c.op === 'within-last-days' ? 'within' : c.op;
  }
}

/** The value(s) a condition holds, as a list (to carry over to another operator). */
function valuesOf(c: Condition): ConditionValue[] {
  switch (c.kind) {
    case 'compare': return [c.value];
    case 'between': return [c.low, c.high];
    case 'in': return c.values;
    case 'contains': return [c.text];
    case 'date': return [c.value];
    default: return [];
  }
}

const blank = (v: ConditionValue | undefined) => v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * `c` switched to operator `op` on the same column, keeping its value where it fits (a single
 * value carries between comparisons, ranges, in-lists and contains; a list keeps its first value;
 * a day count stays with 'within the last N days', a date with before / after).
 */
export function withOp(c: Condition, op: OpId, kind: ColumnKind = 'other'): Condition {
  const column = c.column;
  const days = opOf(c) === 'within';
  const vals = days ? [] : valuesOf(c).filter((v) => !blank(v));
  const first = vals[0] as ConditionValue | undefined;
  if (op in COMPARE) return { kind: 'compare', column, op: COMPARE[op], value: first ?? (kind === 'boolean' ? true : '') };
  switch (op) {
    case 'between':
      return c.kind === 'between' ? { ...c } : { kind: 'between', column, low: first ?? '', high: '' };
    case 'in':
    case 'not-in': {
      const values = c.kind === 'in' ? [...c.values] : first === undefined ? [] : [typeof first === 'boolean' ? String(first) : first];
      return op === 'not-in' ? { kind: 'in', column, values, negate: true } : { kind: 'in', column, values };
    }
    case 'contains':
      return { kind: 'contains', column, text: c.kind === 'contains' ? c.text : first === undefined ? '' : String(first) };
    case 'empty':
      return { kind: 'empty', column };
    case 'not-empty':
      return { kind: 'empty', column, negate: true };
    case 'within':
      return { kind: 'date', column, op: 'within-last-days', value: c.kind === 'date' && days ? c.value : 30 };
    case 'before':
    case 'after': {
      const day = typeof first === 'string' && isIsoDate(first.trim()) ? first.trim() : '';
      return { kind: 'date', column, op, value: day };
    }
    default:
      return c;
  }
}

/** A new condition on `column` with the operator the builder starts with for its kind. */
export function defaultCondition(column: ColumnInfo): Condition {
  const kind = columnKind(column.type);
  const base: Condition = { kind: 'empty', column: column.name, negate: true };
  if (isNumericKind(kind)) return withOp(base, 'ge', kind);
  if (isDateKind(kind)) return withOp(base, 'within', kind);
  if (kind === 'boolean') return { kind: 'compare', column: column.name, op: '=', value: true };
  if (kind === 'text') return withOp(base, 'in', kind);
  return base;
}

/** `c` moved to another column: the same operator (values cleared) when the column offers it, else a fresh condition. */
export function withColumn(c: Condition, column: ColumnInfo): Condition {
  const op = opOf(c);
  if (!opsFor(column).includes(op)) return defaultCondition(column);
  return withOp({ kind: 'empty', column: column.name }, op, columnKind(column.type));
}

/** The node at `path` (indexes from the root), or undefined. */
export function nodeAt(tree: ConditionTree, path: readonly number[]): ConditionTree | undefined {
  let node: ConditionTree | undefined = tree;
  for (const i of path) node = node && node.kind === 'group' ? node.items[i] : undefined;
  return node;
}

/** The tree with the node at `path` replaced by `fn(node)`; unchanged when there is no such node. */
export function updateAt(tree: ConditionTree, path: readonly number[], fn: (node: ConditionTree) => ConditionTree): ConditionTree {
  if (path.length === 0) return fn(tree);
  if (tree.kind !== 'group' || path[0] < 0 || path[0] >= tree.items.length) return tree;
  const [i, ...rest] = path;
  const items = [...tree.items];
  items[i] = updateAt(items[i], rest, fn);
  return { ...tree, items };
}

/** The tree without the node at `path` (the root cannot be removed: its items are cleared instead). */
export function removeAt(tree: Group, path: readonly number[]): Group {
  if (path.length === 0) return { ...tree, items: [] };
  const parent = path.slice(0, -1);
  const index = path[path.length - 1];
  return updateAt(tree, parent, (g) => (g.kind === 'group' ? { ...g, items: g.items.filter((_, j) => j !== index) } : g)) as Group;
}

/** The tree with `node` appended to the group at `path`. */
export function appendAt(tree: Group, path: readonly number[], node: ConditionTree): Group {
  return updateAt(tree, path, (g) => (g.kind === 'group' ? { ...g, items: [...g.items, node] } : g)) as Group;
}

/** The number of conditions (not groups) in a tree. */
export function conditionCount(tree: ConditionTree): number {
  return tree.kind === 'group' ? tree.items.reduce((n, i) => n + conditionCount(i), 0) : 1;
}

/** Whether any condition of the tree is 'within the last N days'. */
export function usesAsOf(tree: ConditionTree): boolean {
  return tree.kind === 'group' ? tree.items.some(usesAsOf) : tree.kind === 'date' && tree.op === 'within-last-days';
}

/** Every column a tree's conditions read. */
export function columnsOf(tree: ConditionTree): string[] {
  const out = new Set<string>();
  const walk = (n: ConditionTree) => (n.kind === 'group' ? n.items.forEach(walk) : out.add(n.column));
  walk(tree);
  return [...out];
}

/** The messages of problems at exactly `path`. */
export function problemsAt(problems: readonly ConditionProblem[], path: readonly number[]): string[] {
  return problems.filter((p) => p.path.length === path.length && p.path.every((x, i) => x === path[i])).map((p) => p.message);
}

/** A position as users count it: [0, 2] -> '1.3'. */
export function pathLabel(path: readonly number[]): string {
  return path.map((i) => i + 1).join('.');
}

/** Whether the only problem is an empty root group (the count still works: it matches everyone). */
export function onlyEmptyRoot(problems: readonly ConditionProblem[]): boolean {
  return problems.length > 0 && problems.every((p) => p.path.length === 0);
}
