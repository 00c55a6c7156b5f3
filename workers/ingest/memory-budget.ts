/**
 * Whether a file's table can fit in the memory left, decided before its rows are read: a table
 * that cannot fit is refused with a message that says why and what to do, instead of a long load
 * that ends out of memory (or, outside DuckDB's own accounting, in a crashed tab). Pure.
 *
 * The need is a lower bound, never a guess upwards: DuckDB keeps an in-memory table uncompressed,
 * so every row takes at least the fixed width of its columns (a string 16 bytes, its text beyond
 * 12 characters more). Only a table whose lower bound exceeds what is left is refused, so a file
 * that would load is never turned away; one whose strings push it over still ends in DuckDB's
 * out-of-memory error, which leaves the loaded data as it was.
 */
import { IngestError } from '../engine-errors';
import { t } from '../../src/lib/i18n';

/** What the worker can know about memory. */
export interface MemoryFacts {
  /** DuckDB's memory_limit in bytes (in the 32-bit wasm it stays under the 4 GB address space). */
  limitBytes: number;
  /** What DuckDB holds now (tables, results, buffers). */
  usedBytes: number;
  /** The device's memory (navigator.deviceMemory, a rounded-down figure capped at 8 GB), when the browser tells it. */
  deviceBytes: number | null;
}

/** The 32-bit wasm's address space: no DuckDB-WASM database can hold more. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;

/** Bytes a value of a DuckDB type takes in an uncompressed in-memory table (its fixed part). */
export function typeWidth(type: string): number {
  const t = type.toUpperCase();
  if (/^(BOOLEAN|TINYINT|UTINYINT)$/.test(t)) return 1;
  if (/^(SMALLINT|USMALLINT)$/.test(t)) return 2;
  if (/^(INTEGER|UINTEGER|DATE|FLOAT|REAL)$/.test(t)) return 4;
  if (/^(BIGINT|UBIGINT|DOUBLE|TIMESTAMP.*|TIME.*)$/.test(t)) return 8;
  if (/^DECIMAL\((\d+)/.test(t)) {
    const width = Number(/^DECIMAL\((\d+)/.exec(t)![1]);
    return width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16;
  }
  // VARCHAR, BLOB, HUGEINT, UUID, INTERVAL, nested types: 16 bytes or more.
  return 16;
}

/** The least a table of `rows` rows with these column types takes in DuckDB. */
export function tableBytesAtLeast(rows: number, types: string[]): number {
  // The validity mask adds a bit per value; ignored: a lower bound.
  return rows * types.reduce((n, type) => n + typeWidth(type), 0);
}

/** Bytes that can still be given to a new table. */
export function bytesLeft(f: MemoryFacts): number {
  const ceiling = Math.min(f.limitBytes, WASM_MAX_BYTES, f.deviceBytes ?? Infinity);
  return Math.max(0, ceiling - f.usedBytes);
}

/**
 * Throws an IngestError when a table needing at least `needBytes` cannot fit in what is left;
 * `rows` is the file's row count (exact for Parquet, estimated from the first lines for CSV).
 */
export function checkFits(file: string, rows: number, needBytes: number, facts: MemoryFacts, formatBytes: (n: number) => string): void {
  const left = bytesLeft(facts);
  if (needBytes <= left) return;
  const loaded = facts.usedBytes >= 64 * 1024 ** 2;
  throw new IngestError(
    t(loaded ? 'msg.ingest.noMemoryLoaded' : 'msg.ingest.noMemory', {
      file,
      rows: Math.round(rows),
      need: formatBytes(needBytes),
      left: formatBytes(left),
      used: formatBytes(facts.usedBytes),
    }),
  );
}

/** DuckDB's memory_limit setting (e.g. `3.1 GiB`, `512.0 MiB`, `1.5 GB`) in bytes; null when unreadable. */
export function parseMemoryLimit(text: string): number | null {
  const m = /^\s*([\d.]+)\s*([KMGT]?i?B|bytes?)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? 'B').toUpperCase();
  const power = { B: 0, BYTE: 0, BYTES: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 }[unit];
  if (power === undefined) return null;
  return Number(m[1]) * (unit.includes('I') ? 1024 : 1000) ** power;
}

/** The device's memory in bytes as the browser tells it (navigator.deviceMemory), or null. */
export function deviceMemoryBytes(): number | null {
  const gb = (globalThis as { navigator?: { deviceMemory?: unknown } }).navigator?.deviceMemory;
  return typeof gb === 'number' && gb > 0 ? gb * 1024 ** 3 : null;
}
