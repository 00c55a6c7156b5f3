/**
 * The notebook's dependency graph: which cells read which, in what order to run them, what
 * becomes stale when something changes, and which references are cycles or missing.
 */

/** What one cell provides and reads (names compared case-insensitively, as DuckDB does). */
export interface CellDeps {
  id: string;
  /** The view this cell creates, if any. */
  provides: string | null;
  /** Tables and views it reads; null when unknown (e.g. the SQL does not parse). */
  reads: string[] | null;
}

/** Problems found in the graph, per cell id. */
export interface GraphProblems {
  missing: Record<string, string[]>;
  cycles: string[][];
}

const key = (n: string) => n.toLowerCase();

/** For each cell, the ids of the cells whose results it reads. */
export function upstreamOf(cells: readonly CellDeps[]): Map<string, string[]> {
  const byName = new Map<string, string>();
  for (const c of cells) if (c.provides) byName.set(key(c.provides), c.id);
  const up = new Map<string, string[]>();
  for (const c of cells) {
    const ids = (c.reads ?? []).map((r) => byName.get(key(r))).filter((id): id is string => id !== undefined && id !== c.id);
    up.set(c.id, [...new Set(ids)]);
  }
  return up;
}

/** All cells downstream of `changed` (ids of cells or names of tables), not including the changed cells themselves. */
export function downstream(cells: readonly CellDeps[], changed: { cellIds?: string[]; tables?: string[] }): Set<string> {
  const up = upstreamOf(cells);
  const tables = new Set((changed.tables ?? []).map(key));
  const dirty = new Set<string>(changed.cellIds ?? []);
  const result = new Set<string>();
  for (const c of cells) if ((c.reads ?? []).some((r) => tables.has(key(r)))) result.add(c.id);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of cells) {
      if (result.has(c.id)) continue;
      if ((up.get(c.id) ?? []).some((u) => dirty.has(u) || result.has(u))) {
        result.add(c.id);
        grew = true;
      }
    }
  }
  for (const id of changed.cellIds ?? []) result.delete(id);
  return result;
}

/**
 * A run order for `ids` (and nothing else) in which every cell comes after the cells it reads;
 * ties keep notebook order. Cells in a cycle are left out (see `graphProblems`).
 */
export function runOrder(cells: readonly CellDeps[], ids: Iterable<string>): string[] {
  const wanted = new Set(ids);
  const up = upstreamOf(cells);
  const done = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const c of cells) {
      if (!wanted.has(c.id) || done.has(c.id)) continue;
      const blockers = (up.get(c.id) ?? []).filter((u) => wanted.has(u) && !done.has(u));
      if (blockers.length === 0) {
        done.add(c.id);
        order.push(c.id);
        progress = true;
      }
    }
  }
  return order;
}

/** References to names no cell or table provides, and cycles between cells. */
export function graphProblems(cells: readonly CellDeps[], tables: readonly string[]): GraphProblems {
  const known = new Set([...tables.map(key), ...cells.flatMap((c) => (c.provides ? [key(c.provides)] : []))]);
  const missing: Record<string, string[]> = {};
  for (const c of cells) {
    const m = (c.reads ?? []).filter((r) => !known.has(key(r)));
    if (m.length) missing[c.id] = m;
  }
  const up = upstreamOf(cells);
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const u of up.get(id) ?? []) {
      if (state.get(u) === 'visiting') cycles.push(stack.slice(stack.indexOf(u)));
      else if (!state.has(u)) visit(u);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const c of cells) if (!state.has(c.id)) visit(c.id);
  return { missing, cycles };
}

/**
 * Rewrites `FROM from` / `JOIN from` (quoted or not, any case) to `to`. Other mentions — a column
 * that happens to share the name, a comma-separated FROM list — are left alone; callers check the
 * result with the parser and tell the user about anything still pointing at the old name.
 */
export function renameReference(sql: string, from: string, to: string): string {
  const quotedTo = /^[\p{L}_][\p{L}\p{N}_]*$/u.test(to) ? to : `"${to.replaceAll('"', '""')}"`;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const name = `(?:"${esc(from.replaceAll('"', '""'))}"|${esc(from)}(?![\\p{L}\\p{N}_]))`;
  return sql.replace(new RegExp(`(\\b(?:FROM|JOIN)\\s+)${name}`, 'giu'), (_m, kw: string) => `${kw}${quotedTo}`);
}
