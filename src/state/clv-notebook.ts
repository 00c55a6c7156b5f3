/**
 * The notebook's cells as the lifecycle, CLV and movement runtimes see them. A kind's run gets the
 * engine and the tables but not the other cells, while these kinds reuse other cells' settings (a
 * movement over an RFM cell's rules, CLV by the first RFM cell's segments): their components hand
 * over a getter when they mount.
 */
import type { Cell } from '../lib/notebook/cells';

let getter: (() => readonly Cell[]) | null = null;

/** Lets the runtimes read the notebook's cells (a plain snapshot each time). */
export function provideNotebookCells(cells: () => readonly Cell[]): void {
  getter = cells;
}

/** The notebook's cells, or none when no component has provided them yet. */
export function notebookCells(): readonly Cell[] {
  return getter ? getter() : [];
}

/** The first cell of `kind`, or the cell of that kind named `name` (case-insensitive). */
export function findCell<K extends Cell['kind']>(kind: K, name: string | null): Extract<Cell, { kind: K }> | undefined {
  const cells = notebookCells().filter((c): c is Extract<Cell, { kind: K }> => c.kind === kind);
  return name === null ? cells[0] : cells.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
