/**
 * Preparing an orders model for a run: the few checks that establish its data facts (joins one
 * or many, line items to fill from their order, cancellation ids, whole-number float ids), the
 * status values with their kinds, and the SQL of the classified rows and the clean view. The query
 * function is passed in, so the same steps run in the app and in the Node tests.
 */
import type { ColumnInfo } from '../segment/column-kinds';
import {
  amountCentsSql,
  classifiedSql,
  factsCheckSql,
  factsFrom,
  joinKeysSql,
  noFacts,
  purchasesSql,
  statusValuesSql,
  type FactsCheck,
  type ModelFacts,
  type TypeOf,
} from './orders-sql';
import type { ColumnRef, ModelProblem, OrdersModelSpec } from './orders-spec';
import { validateOrdersSpec } from './orders-spec';
import { statusRulesFor, type StatusValue } from './status-presets';

/** Runs a query and returns its rows as plain objects. */
export type RowsOf = (sql: string) => Promise<Record<string, unknown>[]>;

/** Most status values listed (a column with more is probably not a status). */
export const MAX_STATUS_VALUES = 60;

/** A model ready to run. */
export interface PreparedModel {
  facts: ModelFacts;
  /** The classified rows (for the reconciliation and the row lists). */
  classified: string;
  /** The clean purchases view's query, self-contained. */
  purchases: string;
  /** Status values found (most rows first), or empty without a status role. */
  statusValues: StatusValue[];
  /** Values no preset recognised (they count as `otherStatuses`). */
  unknownStatuses: string[];
  /** The status column had more than MAX_STATUS_VALUES values. */
  manyStatuses: boolean;
}

/** Column types of the relations, looked up by table and column (case-insensitive). */
export function typeLookup(relations: readonly { name: string; columns: readonly ColumnInfo[] }[]): TypeOf {
  const types = new Map<string, string>();
  for (const r of relations) for (const c of r.columns) types.set(`${r.name.toLowerCase()}\u0000${c.name.toLowerCase()}`, c.type);
  return (ref: ColumnRef) => types.get(`${ref.table.toLowerCase()}\u0000${ref.column.toLowerCase()}`);
}

/** Problems found before reading data: spec problems, tables that are not loaded, columns that are gone. */
export function modelInputProblems(spec: OrdersModelSpec, relations: readonly { name: string; columns: readonly ColumnInfo[] }[]): ModelProblem[] {
  const problems = validateOrdersSpec(spec);
  if (problems.length) return problems;
  const rel = (t: string) => relations.find((r) => r.name.toLowerCase() === t.toLowerCase());
  for (const t of [spec.source, ...spec.joins.map((j) => j.table)]) if (!rel(t)) problems.push({ key: 'om.err.noTable', params: { table: t } });
  if (problems.length) return problems;
  const has = (ref: ColumnRef) => rel(ref.table)!.columns.some((c) => c.name.toLowerCase() === ref.column.toLowerCase());
  for (const [role, ref] of Object.entries(spec.roles)) {
    if (ref && !has(ref)) problems.push({ key: 'om.err.noColumn', params: { role, table: ref.table, column: ref.column } });
  }
  for (const j of spec.joins) {
    if (!has({ table: j.table, column: j.key })) problems.push({ key: 'om.err.noColumn', params: { role: 'join', table: j.table, column: j.key } });
    if (!has(j.on)) problems.push({ key: 'om.err.noColumn', params: { role: 'join', table: j.on.table, column: j.on.column } });
  }
  return problems;
}

/** Runs the checks and returns the model's SQL with its facts. */
export async function prepareModel(spec: OrdersModelSpec, relations: readonly { name: string; columns: readonly ColumnInfo[] }[], rowsOf: RowsOf): Promise<PreparedModel> {
  const typeOf = typeLookup(relations);
  const joinMany = spec.joins.map(() => true);
  if (spec.joins.length) {
    for (const r of await rowsOf(joinKeysSql(spec))) joinMany[Number(r.i)] = Number(r.k) < Number(r.n);
  }
  const bare = { ...noFacts(spec), joinMany, statuses: [] };
  const customerType = spec.roles.customer ? typeOf(spec.roles.customer) : undefined;
  const [check] = (await rowsOf(factsCheckSql(spec, `(\n${classifiedSql(spec, bare, typeOf)}\n) AS r`, customerType))) as unknown as FactsCheck[];
  const centsCheck = amountCentsSql(spec, typeOf);
  const amountCents = centsCheck === true || (typeof centsCheck === 'string' && (await rowsOf(centsCheck))[0]?.cents === true);
  let facts = factsFrom(check, joinMany, spec.statuses, amountCents);
  let statusValues: StatusValue[] = [];
  let unknownStatuses: string[] = [];
  let manyStatuses = false;
  if (spec.roles.status) {
    const listed = (await rowsOf(statusValuesSql(`(\n${classifiedSql(spec, facts, typeOf)}\n) AS r`, MAX_STATUS_VALUES))) as unknown as StatusValue[];
    manyStatuses = listed.length > MAX_STATUS_VALUES;
    statusValues = listed.slice(0, MAX_STATUS_VALUES).map((v) => ({ value: v.value, rows: Number(v.rows), amount: v.amount === null ? null : Number(v.amount) }));
    const { rules, unknown } = statusRulesFor(statusValues, spec.statuses);
    unknownStatuses = unknown;
    facts = { ...facts, statuses: rules };
  }
  return {
    facts,
    classified: classifiedSql(spec, facts, typeOf),
    purchases: purchasesSql(spec, facts, typeOf),
    statusValues,
    unknownStatuses,
    manyStatuses,
  };
}
