/**
 * What the lifecycle, CLV and movement runs share: checking the orders source and its columns
 * (types first, then one data-quality scan per table and roles, as the RFM cell does), reading
 * small query results, per-cell internal views, and the error that carries input problems.
 */
import type { ColumnInfo, RelationInfo } from '../../workers/engine-types';
import { tableToObjects } from '../lib/arrow-rows';
import { t, type MessageKey } from '../lib/i18n';
import { roleCheckProblems, roleCheckQuery, validateRoles, type RoleCheck, type RoleProblem } from '../lib/segment/column-roles';
import type { OrdersSource, SpecProblem } from '../lib/segment/orders-source';
import { ident } from '../lib/sql/quote';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';

/** A cell that cannot run as set up; the message lists what to change, one problem a line. */
export class CellInputError extends Error {
  override name = 'CellInputError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Translates keyed problems from the lib validators. */
export function translate(problems: readonly SpecProblem[]): string[] {
  return problems.map((p) => t(p.key, p.params ?? {}));
}

/** Throws CellInputError when there are error problems. */
export function stopOn(errors: readonly string[]): void {
  if (errors.length) throw new CellInputError([...errors]);
}

/** The relation named `name` (case-insensitive), if loaded. */
export function relationOf(tables: TablesState, name: string): RelationInfo | undefined {
  const key = name.toLowerCase();
  return tables.relations.find((r) => r.name.toLowerCase() === key);
}

/** Rows of a small query as plain objects. */
export async function rows<T>(engine: EngineState, sql: string): Promise<T[]> {
  const { table } = await engine.track(engine.client.query(sql));
  return tableToObjects(table) as unknown as T[];
}

/**
 * Problems with an orders source and role choice judged from the column types (missing table,
 * unknown columns, a column used twice, a non-numeric amount, a non-date date). Errors and warnings.
 */
export function sourceSetupProblems(spec: OrdersSource & { orderId?: string | null }, relation: RelationInfo | undefined): RoleProblem[] {
  if (!spec.source) return [{ severity: 'error', role: null, message: t('clv.err.noSource') }];
  if (!relation) return [{ severity: 'error', role: null, message: t('clv.err.missingSource', { name: spec.source }) }];
  const roles = { customerId: spec.customerId || null, orderDate: spec.orderDate || null, amount: spec.amount || null, orderId: spec.orderId || null };
  return validateRoles(roles, relation.columns);
}

// Data-quality scans of loaded tables by table, roles and row count: a settings change does not repeat them.
const checkCache = new Map<string, RoleCheck>();

/**
 * Type checks, then (when they pass) one scan of the data: throws CellInputError with every error;
 * returns the warnings.
 */
export async function checkOrders(engine: EngineState, tables: TablesState, spec: OrdersSource & { orderId?: string | null }): Promise<RoleProblem[]> {
  const relation = relationOf(tables, spec.source);
  const setup = sourceSetupProblems(spec, relation);
  stopOn(setup.filter((p) => p.severity === 'error').map((p) => p.message));
  const checkSpec = { source: relation!.name, customerId: spec.customerId, orderDate: spec.orderDate, amount: spec.amount, orderId: spec.orderId ?? null };
  const key = JSON.stringify([checkSpec, relation!.kind, tables.rowCounts[relation!.name.toLowerCase()] ?? '']);
  let check = relation!.kind === 'table' ? checkCache.get(key) : undefined;
  if (!check) {
    [check] = await rows<RoleCheck>(engine, roleCheckQuery(checkSpec));
    if (relation!.kind === 'table') checkCache.set(key, check);
  }
  const problems = [...setup, ...roleCheckProblems(check, checkSpec)];
  stopOn(problems.filter((p) => p.severity === 'error').map((p) => p.message));
  // The info notes speak of RFM's settings (netting refunds, order ids); these cells explain their own rows.
  return problems.filter((p) => p.severity === 'warning');
}

/** Checks that `name` is a relation with the given columns; a problem message otherwise. */
export function viewProblem(tables: TablesState, name: string, columns: string[], what: MessageKey): string | null {
  const rel = relationOf(tables, name);
  if (!rel) return t('clv.err.missingView', { name, what: t(what) });
  const missing = columns.filter((c) => !rel.columns.some((col) => col.name.toLowerCase() === c.toLowerCase()));
  return missing.length ? t('clv.err.viewColumns', { name, what: t(what), columns: missing.join(', ') }) : null;
}

/** A hidden per-cell view name (internal prefix: not listed as a table, not a cell). */
export function internalName(kind: string, cellId: string, part = ''): string {
  return `__segnote_${kind}_${cellId}${part ? `_${part}` : ''}`;
}

/** A customer list ready for the result grid. */
export interface CustomerList {
  relation: string;
  rows: number;
  columns: ColumnInfo[];
}

/** Points the hidden view `name` at `sql` and counts its rows; the columns are typed from `typed` where they match. */
export async function listView(engine: EngineState, name: string, sql: string, columns: readonly string[], typed: readonly ColumnInfo[]): Promise<CustomerList> {
  const [row] = await rows<{ n: number }>(engine, `CREATE OR REPLACE VIEW ${ident(name)} AS\n${sql};\nSELECT count(*) AS n FROM ${ident(name)}`);
  const types = new Map(typed.map((c) => [c.name, c.type]));
  return { relation: name, rows: Number(row.n), columns: columns.map((c) => ({ name: c, type: types.get(c) ?? '' })) };
}

/** Drops hidden views (when a cell is deleted). */
export async function dropViews(engine: EngineState, names: readonly string[]): Promise<void> {
  for (const n of names) await engine.track(engine.client.query(`DROP VIEW IF EXISTS ${ident(n)}`)).catch(() => undefined);
}
