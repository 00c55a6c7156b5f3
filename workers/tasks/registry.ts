/**
 * Numeric work that runs next to the data in the worker (k-means, CLV models...): each task
 * registers under a name and gets a small host API — query results as Arrow tables that never
 * leave the worker, a way to store results as tables, progress, and cancellation.
 */
import type { Table } from 'apache-arrow';
import { CancelledError } from '../engine-errors';

/** What a task can do with the engine. */
export interface TaskHost {
  /** Runs SQL and returns the result as an Arrow table (inside the worker). */
  query(sql: string): Promise<Table>;
  /** Runs SQL for its effect. */
  exec(sql: string): Promise<void>;
  /** Creates (or replaces) a table from an Arrow IPC stream, e.g. per-customer results. */
  createTable(name: string, ipc: Uint8Array): Promise<void>;
  /** Reports progress (0..1, or null when unknown) with a short note. */
  progress(fraction: number | null, note?: string): void;
  /** True once the user asked to cancel; long loops should check it and throw `new CancelledError()`. */
  cancelled(): boolean;
  /** Lets cancel messages and progress reports through between chunks of work. */
  yieldToEvents(): Promise<void>;
}

/** A task: structured-cloneable args in, structured-cloneable result out (keep it small). */
export type Task = (host: TaskHost, args: unknown) => Promise<unknown>;

const tasks = new Map<string, Task>();

/** Registers a task under `name`. */
export function registerTask(name: string, task: Task): void {
  tasks.set(name, task);
}

/** The task registered under `name`. */
export function getTask(name: string): Task | undefined {
  return tasks.get(name);
}

/** How often a long task gives the event loop a turn (cancel messages, progress reports). */
const YIELD_EVERY_MS = 40;

/**
 * Paces a long task: at most every YIELD_EVERY_MS it reports progress and yields to the event loop,
 * and it throws CancelledError as soon as the user cancelled. With `phaseOf`, a note whose phase
 * differs from the last one reported is reported at once (a new phase or k shows immediately).
 */
export class Pacer {
  private last = performance.now();
  private reported = '';
  constructor(
    private readonly host: TaskHost,
    private readonly phaseOf?: (note: string) => string,
  ) {}

  async tick(fraction: number | null, note: string): Promise<void> {
    if (this.host.cancelled()) throw new CancelledError();
    const now = performance.now();
    const phase = this.phaseOf ? this.phaseOf(note) : this.reported;
    if (now - this.last < YIELD_EVERY_MS && phase === this.reported) return;
    this.last = now;
    this.reported = phase;
    this.host.progress(fraction, note);
    await this.host.yieldToEvents();
    if (this.host.cancelled()) throw new CancelledError();
  }
}
