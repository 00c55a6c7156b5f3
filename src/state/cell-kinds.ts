/**
 * Cell kinds beyond the built-in ones (SQL, chart, notes, RFM) plug in here: each kind's module
 * registers how to create, run, clean up and read its cells. NotebookState consults this registry
 * for any kind it does not handle itself, so a new kind touches no shared state code.
 */
import type { Cell } from '../lib/notebook/cells';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';

/** What a kind's run gets. */
export interface CellRunContext {
  engine: EngineState;
  tables: TablesState;
  /** The view this cell created last time (drop it when renamed), if any. */
  previousView: string | undefined;
  /** Whether this run is still the latest one for the cell (long runs should stop when it is not). */
  isCurrent(): boolean;
  /** Reports progress (0..1 or null) while a long run goes on. */
  progress(fraction: number | null, note?: string): void;
}

/** The outcome of a kind's run: what the cell shows, and the view it now provides. */
export interface CellRunOutput {
  /** Kind-specific results for the cell's component (small: summaries, chart data — never per-customer rows). */
  output: unknown;
  /** The name of the view the cell created (later cells can read it), or null. */
  view: string | null;
}

/** How one cell kind behaves. */
export interface CellKindRuntime<C extends Cell = Cell> {
  kind: C['kind'];
  /** A new cell of this kind with sensible defaults for the loaded tables. */
  create(base: { id: string; name: string }, tables: TablesState): C;
  /** Runs the cell; throws an Error with a message for the user on failure. */
  run(cell: C, ctx: CellRunContext): Promise<CellRunOutput>;
  /** Table and view names the cell reads (for staleness); null when unknown. */
  reads(cell: C): string[];
  /** Points the cell at a renamed table or cell. */
  renameSource?(cell: C, from: string, to: string): void;
  /** Cleans up engine objects beyond the cell's view when the cell is deleted. */
  remove?(cell: C, engine: EngineState): Promise<void>;
}

const runtimes = new Map<string, CellKindRuntime>();

/** Registers a cell kind's runtime. */
export function registerCellKind<C extends Cell>(runtime: CellKindRuntime<C>): void {
  runtimes.set(runtime.kind, runtime as unknown as CellKindRuntime);
}

/** The runtime for a kind registered here, if any. */
export function cellKindRuntime(kind: string): CellKindRuntime | undefined {
  return runtimes.get(kind);
}

/** Kinds registered here, in registration order. */
export function registeredKinds(): string[] {
  return [...runtimes.keys()];
}

/** A kind's `run` from the function that makes its output, which names the view the cell creates. */
export function runToView<C extends Cell, O extends { view: string }>(make: (cell: C, ctx: CellRunContext) => Promise<O>): CellKindRuntime<C>['run'] {
  return async (cell, ctx) => {
    const output = await make(cell, ctx);
    return { output, view: output.view };
  };
}
