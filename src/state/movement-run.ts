/**
 * Running a movement cell: works out what to compare (an RFM or lifecycle cell's settings, the
 * defaults, or two saved views) and the two dates, checks them against the data, writes one row
 * per customer (where they were, where they are, what they spent in between) into the cell's view,
 * and reads the transition matrix. A flow's customers are listed on demand.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { t } from '../lib/i18n';
import { newMovementCell, type MovementCell } from '../lib/notebook/cells-clv';
import type { RoleProblem } from '../lib/segment/column-roles';
import { defaultLifecycleRules, LIFECYCLE_STAGES, type LifecycleRules } from '../lib/segment/lifecycle-sql';
import {
  DEFAULT_MOVEMENT_DAYS,
  lifecycleMembership,
  MOVEMENT_LIST_COLUMNS,
  movementCustomersSql,
  movementMatrixSql,
  movementSql,
  rfmMembership,
  rfmTypesMembership,
  type Membership,
  type MovementFlow,
  type MovementMeasure,
} from '../lib/segment/movement-sql';
import { addDays, daysBetween, isIsoDay, purchaseRangeSql, type OrdersSource, type PurchaseRange } from '../lib/segment/orders-source';
import { segmentLabel } from '../lib/segment/builtin-names';
import { DEFAULT_RFM_RULES, UNASSIGNED, type SegmentRule } from '../lib/segment/rfm-rules';
import { defaultRfmTypes } from '../lib/segment/rfm-types';
import { defaultRfmSpec, type RfmSpec } from '../lib/segment/rfm-spec';
import { runToView, type CellKindRuntime } from './cell-kinds';
import { checkOrders, dropViews, internalName, listView, relationOf, rows, stopOn, type CustomerList } from './clv-common';
import { findCell, notebookCells } from './clv-notebook';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';

/** Everything a movement run shows. */
export interface MovementResult {
  view: string;
  columns: ColumnInfo[];
  customers: number;
  elapsedMs: number;
  measure: MovementMeasure;
  /** The cell whose settings were used, or null for the defaults / saved views. */
  basis: string | null;
  from: string;
  to: string;
  /** Segment names in their natural order (rule order, stage order), for the matrix axes. */
  order: string[];
  flows: MovementFlow[];
  problems: RoleProblem[];
  sql: string;
}

interface Plan {
  orders: OrdersSource & { orderId: string | null };
  basis: string | null;
  order: string[];
  /** The memberships at the first and the second date. */
  memberships(from: string, to: string): [Membership, Membership];
}

/** The name of the cell whose settings a movement cell uses (see `MovementSpec.basis`), or null for the defaults. */
export function resolvedBasis(spec: MovementCell['spec']): string | null {
  if (spec.measure === 'views' || spec.basis === '') return null;
  if (spec.basis !== null) return spec.basis;
  return notebookCells().find((c) => c.kind === (spec.measure === 'lifecycle' ? 'lifecycle' : 'rfm'))?.name ?? null;
}

/** What to compare, from the cell's settings and the cells it refers to; throws CellInputError when a referred cell is missing. */
function plan(cell: MovementCell, tables: TablesState, lookbackDays: number | null): Plan {
  const spec = { ...cell.spec, basis: resolvedBasis(cell.spec) };
  const own = { source: spec.source, customerId: spec.customerId, orderDate: spec.orderDate, amount: spec.amount, orderId: spec.orderId };
  if (spec.measure === 'rfm') {
    const basis = spec.basis ? findCell('rfm', spec.basis) : undefined;
    if (spec.basis && !basis) stopOn([t('mv.err.noBasis', { name: spec.basis, kind: t('cell.kind.rfm') })]);
    const rfmSpec: RfmSpec = basis ? { ...basis.spec, orderId: basis.spec.orderId || null } : defaultRfmSpec(own.source, { ...own, orderId: own.orderId || null });
    const rules: readonly SegmentRule[] = basis ? basis.rules : DEFAULT_RFM_RULES;
    const source = relationOf(tables, rfmSpec.source)?.name ?? rfmSpec.source;
    const orders = { source, customerId: rfmSpec.customerId, orderDate: rfmSpec.orderDate, amount: rfmSpec.amount, orderId: rfmSpec.orderId };
    // The basis cell's model: its 11 segments, or its 8 types with its references.
    if (basis?.model === 'types') {
      const types = basis.types ?? defaultRfmTypes();
      return {
        orders,
        basis: basis.name,
        order: [...types.types.map((x) => segmentLabel(x.name)), segmentLabel(UNASSIGNED)],
        memberships: (from, to) => [rfmTypesMembership({ ...rfmSpec, source }, types, from, lookbackDays), rfmTypesMembership({ ...rfmSpec, source }, types, to, lookbackDays)],
      };
    }
    return {
      orders,
      basis: basis?.name ?? null,
      order: [...rules.map((r) => segmentLabel(r.name)), segmentLabel(UNASSIGNED)],
      memberships: (from, to) => [rfmMembership({ ...rfmSpec, source }, rules, from, lookbackDays), rfmMembership({ ...rfmSpec, source }, rules, to, lookbackDays)],
    };
  }
  if (spec.measure === 'lifecycle') {
    const basis = spec.basis ? findCell('lifecycle', spec.basis) : undefined;
    if (spec.basis && !basis) stopOn([t('mv.err.noBasis', { name: spec.basis, kind: t('cell.kind.lifecycle') })]);
    const src = basis ? basis.spec : own;
    const rules: LifecycleRules = basis ? basis.rules : defaultLifecycleRules();
    const source = relationOf(tables, src.source)?.name ?? src.source;
    const orders = { source, customerId: src.customerId, orderDate: src.orderDate, amount: src.amount, orderId: null };
    return {
      orders,
      basis: basis?.name ?? null,
      order: [...LIFECYCLE_STAGES],
      memberships: (from, to) => [lifecycleMembership(orders, rules, from), lifecycleMembership(orders, rules, to)],
    };
  }
  const problems: string[] = [];
  for (const [label, name] of [[t('mv.viewA'), spec.viewA], [t('mv.viewB'), spec.viewB]] as const) {
    if (!name) {
      problems.push(t('mv.err.chooseView', { which: label }));
      continue;
    }
    const rel = relationOf(tables, name);
    if (!rel) problems.push(t('clv.err.missingView', { name, what: label }));
    else {
      const missing = ['customer_id', spec.segmentColumn].filter((c) => c && !rel.columns.some((col) => col.name === c));
      if (!spec.segmentColumn) problems.push(t('mv.err.chooseSegmentColumn'));
      else if (missing.length) problems.push(t('clv.err.viewColumns', { name, what: label, columns: missing.join(', ') }));
    }
  }
  stopOn(problems);
  const source = relationOf(tables, own.source)?.name ?? own.source;
  return {
    orders: { ...own, source, orderId: null },
    basis: null,
    order: [],
    memberships: () => [
      { sql: relationOf(tables, spec.viewA)!.name, relation: true, segmentColumn: spec.segmentColumn },
      { sql: relationOf(tables, spec.viewB)!.name, relation: true, segmentColumn: spec.segmentColumn },
    ],
  };
}

/** Runs a movement cell (a plain snapshot); throws CellInputError with what to change. */
export async function runMovementCell(engine: EngineState, cell: MovementCell, tables: TablesState, previousView: string | undefined): Promise<MovementResult> {
  const t0 = performance.now();
  const spec = cell.spec;
  const dateProblems: string[] = [];
  for (const v of [spec.from, spec.to]) if (v !== null && !isIsoDay(v)) dateProblems.push(t('clv.err.badDate', { value: v }));
  if (spec.measure === 'rfm' && spec.lookbackDays !== null && !(Number.isInteger(spec.lookbackDays) && spec.lookbackDays >= 1)) dateProblems.push(t('mv.err.lookback'));
  stopOn(dateProblems);
  const lookback = spec.measure === 'rfm' ? spec.lookbackDays : null;
  const p = plan(cell, tables, lookback);
  const problems = await checkOrders(engine, tables, p.orders);

  const [range] = await rows<PurchaseRange>(engine, purchaseRangeSql(p.orders));
  if (!range.min_date || !range.day_after) stopOn([t('clv.err.noPurchases', { source: p.orders.source })]);
  const to = spec.to ?? range.day_after!;
  const from = spec.from ?? addDays(to, -DEFAULT_MOVEMENT_DAYS);
  if (from >= to) stopOn([t('mv.err.order', { from, to })]);
  if (to <= range.min_date!) stopOn([t('clv.err.asOfBeforeData', { asOf: to, first: range.min_date! })]);
  if (from <= range.min_date! && spec.measure !== 'views') problems.push({ severity: 'warning', role: null, message: t('mv.warn.fromBeforeData', { from, first: range.min_date! }) });
  const late = daysBetween(range.max_date!, to);
  if (late > 365) problems.push({ severity: 'warning', role: null, message: t('clv.warn.asOfLate', { asOf: to, last: range.max_date!, days: late }) });

  const [a, b] = p.memberships(from, to);
  const sql = movementSql(a, b, p.orders, from, to);
  const result = await engine.track(engine.client.runCell(cell.name, sql, previousView));
  const flows = await rows<MovementFlow>(engine, movementMatrixSql(cell.name));
  if (flows.length === 0) problems.push({ severity: 'warning', role: null, message: t('mv.warn.empty') });
  return {
    view: cell.name,
    columns: result.columns,
    customers: result.rows,
    elapsedMs: performance.now() - t0,
    measure: spec.measure,
    basis: p.basis,
    from,
    to,
    order: p.order,
    flows,
    problems,
    sql,
  };
}

/** The hidden view listing a flow's customers. */
export function flowViewName(cellId: string): string {
  return internalName('mv', cellId, 'flow');
}

/** Lists the customers of one flow (or all when both are null). */
export function selectFlow(engine: EngineState, cellId: string, result: Pick<MovementResult, 'view' | 'columns'>, from: string | null, to: string | null): Promise<CustomerList> {
  return listView(engine, flowViewName(cellId), movementCustomersSql(result.view, from, to), MOVEMENT_LIST_COLUMNS, result.columns);
}

/** The movement cell kind. */
export const movementRuntime: CellKindRuntime<MovementCell> = {
  kind: 'movement',
  create: (base, tables) => newMovementCell(base, tables.relations),
  run: runToView((cell, ctx) => runMovementCell(ctx.engine, cell, ctx.tables, ctx.previousView)),
  reads(cell) {
    const s = cell.spec;
    const basis = resolvedBasis(s);
    const names = s.measure === 'views' ? [s.source, s.viewA, s.viewB] : [s.source, ...(basis ? [basis] : [])];
    return names.filter(Boolean);
  },
  renameSource(cell, from, to) {
    const s = cell.spec;
    const same = (v: string | null) => v !== null && v.toLowerCase() === from.toLowerCase();
    if (same(s.source)) s.source = to;
    if (same(s.basis)) s.basis = to;
    if (same(s.viewA)) s.viewA = to;
    if (same(s.viewB)) s.viewB = to;
  },
  async remove(cell, engine) {
    await dropViews(engine, [flowViewName(cell.id)]);
  },
};
