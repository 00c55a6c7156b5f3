/** The notebook document: cell kinds, names and the operations on the ordered list. */
import type { ChartSpec } from '../plots/chart-spec';
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

/** Any cell. */
export type Cell = SqlCell | ChartCell | NotesCell;
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
