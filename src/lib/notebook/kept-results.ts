/**
 * Results kept from the previous visit (issue 16): a repeat visit shows the notebook with its last
 * results before the engine is ready, marked as not live, and the live runs replace them. A kept
 * result is shown only for a cell whose settings are exactly those it was computed with, over the
 * same data and in the same interface language; anything else waits for its live run.
 */

/** JSON with object keys sorted, so the same settings give the same text however they were built. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** One cell's kept result: the cell as it was run (`stableJson`) and its run's outputs. */
export interface KeptCell<R> {
  cell: string;
  run: R;
}

/** What is kept for one notebook. */
export interface KeptResults<R> {
  /** The notebook's id. */
  id: string;
  /** What the data was when the results were computed (see `dataFingerprint`). */
  data: string;
  /** The interface language the results were worded in. */
  locale: string;
  cells: Record<string, KeptCell<R>>;
}

/** Results larger than this (per cell, estimated) are not kept: a kept result is a summary. */
export const MAX_KEPT_CELL_BYTES = 2 * 1024 ** 2;

/** What identifies the loaded data without reading it: the sample and the kept files' tables, names and sizes, in load order. */
export function dataFingerprint(sample: string, files: { table: string; fileName: string; size: number }[]): string {
  return JSON.stringify([sample, files.map((f) => [f.table, f.fileName, f.size])]);
}

const PLAIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype, null]);

/**
 * The estimated size in bytes of a value IndexedDB can keep and give back as it was, or null when
 * it holds something that would come back changed (a class instance loses its methods, a function
 * cannot be kept at all).
 */
export function plainSize(value: unknown, seen = new Set<object>()): number | null {
  if (value === null || value === undefined) return 8;
  switch (typeof value) {
    case 'string':
      return 2 * value.length + 8;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 8;
    case 'object':
      break;
    default:
      return null;
  }
  const obj = value as object;
  if (seen.has(obj)) return null;
  if (ArrayBuffer.isView(obj)) return obj.byteLength + 16;
  if (obj instanceof Date) return 16;
  if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(obj))) return null;
  seen.add(obj);
  let total = 16;
  for (const [k, v] of Object.entries(obj)) {
    const size = plainSize(v, seen);
    if (size === null) return null;
    total += size + 2 * k.length;
  }
  seen.delete(obj);
  return total;
}

/**
 * The results worth keeping: finished runs, with the cell they were computed from (`ranWith`),
 * plain and small; and kept results no live run has replaced yet (pass `kept` only when the data
 * has not changed since it was kept). A cell that is re-running or out of date keeps nothing: the
 * result it still shows may be of other data or other settings.
 */
export function keepable<R extends { status: string; ranWith?: string }>(cells: { id: string }[], runs: Record<string, R>, kept?: KeptResults<R>): Record<string, KeptCell<R>> {
  const out: Record<string, KeptCell<R>> = {};
  for (const { id } of cells) {
    const run = runs[id];
    if (run?.status === 'done' && run.ranWith) {
      const size = plainSize(run);
      if (size !== null && size <= MAX_KEPT_CELL_BYTES) out[id] = { cell: run.ranWith, run };
    } else if (run?.status === 'cached' && kept?.cells[id]) out[id] = kept.cells[id];
  }
  return out;
}

/**
 * The kept runs that may be shown for `cells` now, each marked 'cached' (not live): none when the
 * data or the language changed; per cell, only when the cell is exactly as it was run.
 */
export function keptRunsFor<R extends { status: string }>(
  kept: KeptResults<R> | undefined,
  cells: { id: string }[],
  now: { data: string; locale: string },
): Record<string, R> {
  const out: Record<string, R> = {};
  if (!kept || kept.data !== now.data || kept.locale !== now.locale) return out;
  for (const cell of cells) {
    const k = kept.cells[cell.id];
    if (k && k.cell === stableJson(cell)) out[cell.id] = { ...k.run, status: 'cached' };
  }
  return out;
}
