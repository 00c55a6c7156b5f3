/**
 * The cells of customers over time: lifecycle stages with churn warnings, predicted lifetime value
 * (BG/NBD + Gamma-Gamma), and segment movement between two dates. Each keeps its settings here;
 * the SQL builders in lib/segment turn them into queries.
 */
import { guessRoles, type ColumnInfo } from '../segment/column-roles';
import { CLV_DEFAULTS, type ClvSpec } from '../segment/clv-sql';
import { defaultLifecycleRules, type LifecycleRules, type LifecycleSpec } from '../segment/lifecycle-sql';
import { DEFAULT_LOOKBACK_DAYS, type MovementSpec } from '../segment/movement-sql';
import type { OrdersSource } from '../segment/orders-source';

interface ClvCellBase {
  id: string;
  name: string;
}

/** Lifecycle stage per customer at an as-of date, with editable rules; the result is a view named after the cell. */
export interface LifecycleCell extends ClvCellBase {
  kind: 'lifecycle';
  spec: LifecycleSpec;
  rules: LifecycleRules;
}

/** BG/NBD + Gamma-Gamma lifetime value per customer; the result is a view named after the cell. */
export interface ClvCell extends ClvCellBase {
  kind: 'clv';
  spec: ClvSpec;
  /** The view whose segment (or stage) column groups CLV; null = the first RFM cell's view, if any. */
  segmentView: string | null;
}

/** Segment membership at two dates, as a transition matrix and flows; the per-customer moves are a view named after the cell. */
export interface MovementCell extends ClvCellBase {
  kind: 'movement';
  spec: MovementSpec;
}

/** Any of these cells. */
export type ClvFamilyCell = LifecycleCell | ClvCell | MovementCell;

/** A relation a new cell can read: a table or a cell result with its columns. */
export interface SourceCandidate {
  name: string;
  columns: ColumnInfo[];
}

/** Source and roles for a new cell: the first relation whose guessed roles include customer, date and amount (else the first, with what could be guessed). */
export function guessOrdersSource(relations: readonly SourceCandidate[]): OrdersSource & { orderId: string | null } {
  const guessed = relations.map((r) => ({ r, roles: guessRoles(r.columns) }));
  const pick = guessed.find((g) => g.roles.customerId && g.roles.orderDate && g.roles.amount) ?? guessed[0];
  if (!pick) return { source: '', customerId: '', orderDate: '', amount: '', orderId: null };
  return ordersSourceFor(pick.r);
}

/** Source and freshly guessed roles for `relation`. */
export function ordersSourceFor(relation: SourceCandidate): OrdersSource & { orderId: string | null } {
  const roles = guessRoles(relation.columns);
  return { source: relation.name, customerId: roles.customerId ?? '', orderDate: roles.orderDate ?? '', amount: roles.amount ?? '', orderId: roles.orderId };
}

/** A new lifecycle cell with guessed roles and the default rules. */
export function newLifecycleCell(base: ClvCellBase, relations: readonly SourceCandidate[]): LifecycleCell {
  const { orderId: _o, ...source } = guessOrdersSource(relations);
  return { ...base, kind: 'lifecycle', spec: { ...source, asOf: null, valueView: null }, rules: defaultLifecycleRules() };
}

/** A new CLV cell with guessed roles and the defaults (weeks, 52-week horizon, no holdout, no discounting, BG/NBD). */
export function newClvCell(base: ClvCellBase, relations: readonly SourceCandidate[]): ClvCell {
  const { orderId: _o, ...source } = guessOrdersSource(relations);
  return { ...base, kind: 'clv', spec: { ...source, ...CLV_DEFAULTS, churnBands: { ...CLV_DEFAULTS.churnBands } }, segmentView: null };
}

/** A new movement cell: RFM segments 90 days apart, each scored on the year of orders before it. */
export function newMovementCell(base: ClvCellBase, relations: readonly SourceCandidate[]): MovementCell {
  return {
    ...base,
    kind: 'movement',
    spec: {
      ...guessOrdersSource(relations),
      measure: 'rfm',
      basis: null,
      from: null,
      to: null,
      lookbackDays: DEFAULT_LOOKBACK_DAYS,
      viewA: '',
      viewB: '',
      segmentColumn: 'segment',
    },
  };
}
