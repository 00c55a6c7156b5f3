/**
 * Table and cell names: derived from file names, kept readable (Unicode letters such as
 * Chinese stay), made safe to use unquoted where possible and unique among existing names.
 */

const MAX_NAME = 60;

/** Turns a file name into a table name: extension dropped, runs of other characters become `_`. */
export function tableNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.(gz|zst))?$/i, '').replace(/\.[^.]*$/, '');
  let name = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_NAME);
  if (!name) name = 'table';
  if (/^\p{N}/u.test(name)) name = `t_${name}`;
  return name.toLowerCase();
}

/** Returns `name`, or `name_2`, `name_3`... — the first not in `taken` (compared case-insensitively, as DuckDB does). */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  if (!used.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name}_${i}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Whether a user-typed cell name is acceptable: non-empty, no control characters, not internal. */
export function validateCellName(name: string): string | null {
  if (!name.trim()) return 'empty';
  if (/[\u0000-\u001f]/.test(name)) return 'control';
  if (name.length > MAX_NAME) return 'long';
  if (name.startsWith('__segnote')) return 'reserved';
  return null;
}
