/**
 * Numeric work that runs next to the data in the worker (k-means, CLV models...): each task
 * registers under a name and gets a small host API — query results as Arrow tables that never
 * leave the worker, a way to store results as tables, progress, and cancellation.
 */
import type { Table } from 'apache-arrow';

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
