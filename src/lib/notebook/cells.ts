/** The notebook document: cell kinds, names and the operations on the ordered list. */
import type { ChartSpec } from '../plots/chart-spec';
import { guessRoles, type ColumnInfo } from '../segment/column-roles';
import { DEFAULT_RFM_RULES, type SegmentRule } from '../segment/rfm-rules';
import { defaultRfmSpec, type RfmSpec } from '../segment/rfm-spec';
import type { RfmTypesSettings } from '../segment/rfm-types';
import { validateCellName } from '../sql/names';

interface CellBase {
  id: string;
  name: string;
}

/** A SQL query whose result becomes a view named after the cell. */
export interface SqlCell extends CellBase {
  kind: 'sql';
  sql: string;
}

/** An Observable Plot chart over a table or a cell result. */
export interface ChartCell extends CellBase {
  kind: 'chart';
  spec: ChartSpec;
}

/** Markdown text. */
export interface NotesCell extends CellBase {
  kind: 'notes';
  text: string;
}

/**
 * RFM scores and named segments per customer over an orders table; the per-customer result is a
 * view named after the cell. In `spec`, a role column of '' means "not chosen yet"; the data fact
 * `orderIdsUnique` is not stored (the run works it out).
 */
export interface RfmCell extends CellBase {
  kind: 'rfm';
  spec: RfmSpec;
  /** The ordered, editable segment rule table (first match wins). */
  rules: SegmentRule[];
  /** Which model names the customers: the 11 segments from 1–5 scores (absent = 'scores') or the 8 types. */
  model?: RfmModel;
  /** The 8-type model's references and types; absent = the defaults. Kept when the model is switched. */
  types?: RfmTypesSettings;
}

/** The models of an RFM cell: 11 segments from 1–5 scores, or 8 types from high/low against a reference. */
export type RfmModel = 'scores' | 'types';

/** Any cell. */
export type Cell = SqlCell | ChartCell | NotesCell | RfmCell | import('./cells-clv').ClvFamilyCell | import('./cells-segment').SegmentFamilyCell
  | import('./cells-cluster').ClusterCell | import('./cells-orders').OrdersCell;
export type CellKind = Cell['kind'];

/** Which name-related problem a proposed cell name has, if any. */
export type NameProblem = 'empty' | 'control' | 'long' | 'reserved' | 'taken';

/** Checks a new name for `cellId` against the other cells and the loaded tables (case-insensitive, as DuckDB). */
export function checkCellName(name: string, cellId: string, cells: readonly Cell[], tables: readonly string[]): NameProblem | null {
  const basic = validateCellName(name);
  if (basic) return basic as NameProblem;
  const lower = name.trim().toLowerCase();
  if (cells.some((c) => c.id !== cellId && c.name.toLowerCase() === lower)) return 'taken';
  if (tables.some((t) => t.toLowerCase() === lower)) return 'taken';
  return null;
}

/** A fresh name like `query_3` not used by any cell or table. */
export function nextCellName(kind: CellKind, cells: readonly Cell[], tables: readonly string[]): string {
  const base = kind === 'sql' ? 'query' : kind;
  const used = new Set([...cells.map((c) => c.name.toLowerCase()), ...tables.map((t) => t.toLowerCase())]);
  for (let i = 1; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Moves the cell at `index` by `delta` places, returning a new list (unchanged if out of range). */
export function moveCell<T>(cells: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= cells.length || to < 0 || to >= cells.length) return [...cells];
  const next = [...cells];
  const [cell] = next.splice(index, 1);
  next.splice(to, 0, cell);
  return next;
}

let seq = 0;
/** A cell id unique within this page. */
export function newCellId(): string {
  seq += 1;
  return `c${seq.toString(36)}${Math.floor(performance.now()).toString(36)}`;
}

/** A relation an RFM cell can read: a table or a cell result with its columns. */
export interface RfmSourceCandidate {
  name: string;
  columns: ColumnInfo[];
}

/**
 * The settings of a new RFM cell: the first relation (tables first, as listed) whose guessed roles
 * include a customer id, an order date and an amount, with those guesses and the default settings;
 * else the first relation with whatever could be guessed ('' for the rest).
 */
export function newRfmSpec(relations: readonly RfmSourceCandidate[]): RfmSpec {
  const guessed = relations.map((r) => ({ r, roles: guessRoles(r.columns) }));
  const pick = guessed.find((g) => g.roles.customerId && g.roles.orderDate && g.roles.amount) ?? guessed[0];
  if (!pick) return defaultRfmSpec('', { customerId: '', orderDate: '', amount: '', orderId: null });
  return rfmSpecForSource(pick.r, null);
}

/** Points an RFM spec at `source` with freshly guessed roles, keeping the other settings of `previous`. */
export function rfmSpecForSource(source: RfmSourceCandidate, previous: RfmSpec | null): RfmSpec {
  const roles = guessRoles(source.columns);
  const base = defaultRfmSpec(source.name, {
    customerId: roles.customerId ?? '',
    orderDate: roles.orderDate ?? '',
    amount: roles.amount ?? '',
    orderId: roles.orderId,
  });
  if (!previous) return base;
  const { source: _s, customerId: _c, orderDate: _d, amount: _a, orderId: _o, orderIdsUnique: _u, ...settings } = previous;
  return { ...base, ...settings };
}

/** A fresh, editable copy of the default segment rules. */
export function defaultRfmRules(): SegmentRule[] {
  return DEFAULT_RFM_RULES.map((rule) => ({ ...rule, r: [rule.r[0], rule.r[1]], f: [rule.f[0], rule.f[1]], m: [rule.m[0], rule.m[1]] }));
}
