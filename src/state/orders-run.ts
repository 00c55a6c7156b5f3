/**
 * Running the orders model cell: checks the tables and roles, establishes the data facts and the
 * status kinds, creates the clean purchases view (named after the cell) and the hidden view of
 * classified rows, then reads the reconciliation — every source row once, by class, with sums —
 * the totals the analyses will use, duplicates and join matches.
 */
import { t } from '../lib/i18n';
import { newOrdersCell, type OrdersCell } from '../lib/notebook/cells-orders';
import { modelInputProblems, prepareModel, type PreparedModel } from '../lib/orders/orders-build';
import {
  classRowsSql,
  duplicatesSql,
  joinReportSql,
  purchaseTotalsSql,
  reconciliationSql,
} from '../lib/orders/orders-sql';
import type { OrdersModelSpec, OrdersRole } from '../lib/orders/orders-spec';
import { ident } from '../lib/sql/quote';
import { runToView, type CellKindRuntime } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';
import type { RelationInfo } from '../../workers/engine-types';
import { renamed } from '../lib/notebook/cells-segment';
import { rows, stopOn } from './segment-common';

/** One line of the reconciliation. */
export interface ReconciliationLine {
  rowClass: string;
  rows: number;
  amount: number;
  refund: number;
}

/** Totals over the clean purchases. */
export interface PurchaseTotals {
  rows: number;
  customers: number;
  orders: number;
  revenue: number | null;
  refunds: number | null;
  first_day: string | null;
  last_day: string | null;
}

/** A message about the data (the model still ran). */
export interface ModelMessage {
  severity: 'warning' | 'info' | 'error';
  text: string;
}

/** Everything an orders model run shows. */
export interface OrdersResult {
  view: string;
  /** The hidden relation of classified rows (for row lists). */
  classifiedView: string;
  sql: string;
  spec: OrdersModelSpec;
  prepared: Omit<PreparedModel, 'classified' | 'purchases'>;
  sourceRows: number;
  lines: ReconciliationLine[];
  duplicates: { rows: number; amount: number };
  joins: { table: string; unmatchedSource: number; unmatchedJoined: number }[];
  totals: PurchaseTotals;
  messages: ModelMessage[];
  elapsedMs: number;
}

/** The hidden relation holding a model cell's classified rows. */
export function classifiedViewName(cellId: string): string {
  return `__segnote_om_${cellId}_rows`;
}

const CLASS_ORDER = ['purchase', 'refund', 'refunded', 'excluded', 'no_customer', 'no_date', 'no_amount'];

/** Runs an orders model cell (a plain snapshot). */
export async function runOrdersCell(engine: EngineState, relations: readonly { name: string; columns: { name: string; type: string }[] }[], cell: OrdersCell, previousView: string | undefined): Promise<OrdersResult> {
  const t0 = performance.now();
  const spec = cell.spec;
  const roleLabel = (role: string) => (role === 'join' ? t('om.role.join') : t(`om.role.${role as OrdersRole}`));
  stopOn(modelInputProblems(spec, relations).map((p) => t(p.key, { ...p.params, ...(p.params?.role ? { role: roleLabel(String(p.params.role)) } : {}) })));
  const prepared = await prepareModel(spec, relations, (sql) => rows<Record<string, unknown>>(engine, sql));
  const classifiedView = classifiedViewName(cell.id);
  const run = (sql: string) => engine.track(engine.client.query(sql));
  if (previousView && previousView.toLowerCase() !== cell.name.toLowerCase()) await run(`DROP VIEW IF EXISTS ${ident(previousView)}`).catch(() => undefined);
  await run(`CREATE OR REPLACE VIEW ${ident(classifiedView)} AS\n${prepared.classified}`);
  await run(`CREATE OR REPLACE VIEW ${ident(cell.name)} AS\n${prepared.purchases}`);

  const rawLines = await rows<{ row_class: string; rows: number; amount: number | null; refund: number | null }>(engine, reconciliationSql(classifiedView));
  const lines = rawLines
    .map((r) => ({ rowClass: r.row_class, rows: Number(r.rows), amount: Number(r.amount ?? 0), refund: Number(r.refund ?? 0) }))
    .sort((a, b) => CLASS_ORDER.indexOf(a.rowClass) - CLASS_ORDER.indexOf(b.rowClass));
  const sourceRows = lines.reduce((s, l) => s + l.rows, 0);
  const [totals] = await rows<PurchaseTotals>(engine, purchaseTotalsSql(cell.name));
  const [dup] = await rows<{ rows: number; amount: number }>(engine, duplicatesSql(classifiedView));
  const joins = [];
  for (let i = 0; i < spec.joins.length; i++) {
    const [j] = await rows<{ unmatched_source: number; unmatched_joined: number }>(engine, joinReportSql(spec, classifiedView, i));
    joins.push({ table: spec.joins[i].table, unmatchedSource: Number(j.unmatched_source), unmatchedJoined: Number(j.unmatched_joined) });
  }
  const messages: ModelMessage[] = [];
  const kindLabel = (k: string) => t(`om.status.${k as 'purchase' | 'refund' | 'excluded'}`);
  if (prepared.unknownStatuses.length) {
    messages.push({ severity: 'warning', text: t('om.status.unknown', { kind: kindLabel(spec.otherStatuses), values: prepared.unknownStatuses.slice(0, 8).join(', ') }) });
  }
  if (prepared.manyStatuses) messages.push({ severity: 'warning', text: t('om.status.many', { n: 60 }) });
  const customers = Number(totals.customers);
  const orders = Number(totals.orders);
  if (customers >= 50 && customers === orders && spec.roles.customer) {
    messages.push({ severity: 'warning', text: t('om.warn.onePerCustomer', { customers, orders, column: spec.roles.customer.column }) });
  }
  if (Number(totals.rows) === 0) messages.push({ severity: 'error', text: t('om.err.noPurchases') });
  return {
    view: cell.name,
    classifiedView,
    sql: prepared.purchases,
    spec,
    prepared: { facts: prepared.facts, statusValues: prepared.statusValues, unknownStatuses: prepared.unknownStatuses, manyStatuses: prepared.manyStatuses },
    sourceRows,
    lines,
    duplicates: { rows: Number(dup?.rows ?? 0), amount: Number(dup?.amount ?? 0) },
    joins,
    totals: { ...totals, rows: Number(totals.rows), customers, orders },
    messages,
    elapsedMs: performance.now() - t0,
  };
}

/** The SQL listing the rows of one reconciliation line ('duplicate' for repeated rows). */
export function linesOfClass(result: OrdersResult, rowClass: string): string {
  return classRowsSql(result.classifiedView, rowClass);
}

/** Relations with the tables loaded last first (a tie between two orders-like tables goes to the one just loaded). */
export function latestFirst(tables: Pick<TablesState, 'relations' | 'reports'>): RelationInfo[] {
  const order = Object.keys(tables.reports).map((k) => k.toLowerCase()).reverse();
  const rank = (name: string) => {
    const i = order.indexOf(name.toLowerCase());
    return i < 0 ? order.length : i;
  };
  return tables.relations.filter((r) => !r.name.startsWith('__')).sort((a, b) => rank(a.name) - rank(b.name));
}

/** The orders model cell kind. */
export const ordersRuntime: CellKindRuntime<OrdersCell> = {
  kind: 'orders',
  create: (base, tables) => newOrdersCell(base, latestFirst(tables)),
  run: runToView((cell, ctx) => runOrdersCell(ctx.engine, ctx.tables.relations, cell, ctx.previousView)),
  reads: (cell) => [cell.spec.source, ...cell.spec.joins.map((j) => j.table)].filter(Boolean),
  renameSource(cell, from, to) {
    const spec = cell.spec;
    const swap = (name: string) => renamed(name, from, to);
    spec.source = swap(spec.source);
    for (const j of spec.joins) {
      j.table = swap(j.table);
      j.on.table = swap(j.on.table);
    }
    for (const ref of Object.values(spec.roles)) if (ref) ref.table = swap(ref.table);
  },
  async remove(cell, engine) {
    await engine.client.query(`DROP VIEW IF EXISTS ${ident(classifiedViewName(cell.id))}`).catch(() => undefined);
  },
};
