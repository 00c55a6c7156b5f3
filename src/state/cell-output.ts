/** What an analysis cell's view reads from its run. */
import type { CellRun } from './notebook.svelte';

/** A cell's run as its view shows it. */
export interface CellOutput<R> {
  run: CellRun | undefined;
  /** The last result: it stays on screen (dimmed) while a new run is on its way, so the page does not jump; none after an error. */
  result: R | undefined;
  /** The result is the latest run's. */
  current: boolean;
}

/** The run, last result and currency of a cell's run (`output` is the kind's result; an RFM cell's is `run.rfm`). Destructure it in `$derived`. */
export function cellOutput<R>(run: CellRun | undefined, output: unknown = run?.output): CellOutput<R> {
  return { run, result: run?.status === 'error' ? undefined : (output as R | undefined), current: run?.status === 'done' };
}
