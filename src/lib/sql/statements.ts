/**
 * Splits a SQL script into statements at top-level semicolons, respecting quotes,
 * comments and dollar-quoted strings. Empty statements are dropped.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i, ch);
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
      } else i++;
    } else if (ch === ';') {
      out.push(sql.slice(start, i));
      i++;
      start = i;
    } else i++;
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter((s) => stripComments(s).trim() !== '');
}

function skipQuoted(sql: string, i: number, q: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === q) {
      if (sql[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

/** Removes leading/trailing `--` and `/* *\/` comments (good enough to find a statement's first keyword). */
export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*(\n|$)/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** How a statement can be kept as a cell result: wrapped directly, via a subquery, or not at all. */
export function resultShape(statement: string): 'query' | 'subquery' | 'statement' {
  const head = stripComments(statement).trim().replace(/^\(+\s*/, '');
  const word = /^[A-Za-z]+/.exec(head)?.[0].toUpperCase() ?? '';
  if (['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'].includes(word)) return 'query';
  if (['DESCRIBE', 'SUMMARIZE', 'SHOW', 'PIVOT', 'UNPIVOT', 'PIVOT_WIDER', 'PIVOT_LONGER'].includes(word)) return 'subquery';
  return 'statement';
}
