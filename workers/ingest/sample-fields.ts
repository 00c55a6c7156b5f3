/**
 * A light look at the first lines of a CSV sample in JS, for what the sniffer's types hide: a
 * column typed DOUBLE because its integers are too long for BIGINT (16-19 digit ids) would lose
 * digits, so such columns are read as text instead. Pure.
 */

/** Splits one line into fields, honouring a quote character (doubled quotes inside are kept as one). */
export function splitLine(line: string, delimiter: string, quote: string): string[] {
  if (!quote || !line.includes(quote)) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) quoted = false;
      else field += ch;
    } else if (ch === quote) quoted = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += ch;
  }
  out.push(field);
  return out;
}

const LONG_INTEGER = /^\s*[-+]?\d{16,}\s*$/;

/** Indexes among `candidates` whose sample values include an integer of 16 or more digits. */
export function longIntegerColumns(sampleText: string, o: { delimiter: string; quote: string; header: boolean; skip: number }, candidates: number[], maxLines = 2000): number[] {
  if (candidates.length === 0 || !o.delimiter) return [];
  const lines = sampleText.split(/\r?\n/);
  lines.pop(); // the sample may end inside a line
  const found = new Set<number>();
  for (const line of lines.slice(o.skip + (o.header ? 1 : 0), o.skip + (o.header ? 1 : 0) + maxLines)) {
    const fields = splitLine(line, o.delimiter, o.quote);
    for (const k of candidates) if (!found.has(k) && fields[k] !== undefined && LONG_INTEGER.test(fields[k])) found.add(k);
    if (found.size === candidates.length) break;
  }
  return candidates.filter((k) => found.has(k));
}

const TRUE_FALSE = /^\s*(true|false)\s*$/i;

/**
 * Indexes among `candidates` (columns the sniffer typed BOOLEAN) whose sample values are words
 * other than true/false — Yes/No, Y/N, T/F: read as text, so the file's own words stay (issue 14).
 */
export function wordFlagColumns(sampleText: string, o: { delimiter: string; quote: string; header: boolean; skip: number }, candidates: number[], maxLines = 2000): number[] {
  if (candidates.length === 0 || !o.delimiter) return [];
  const lines = sampleText.split(/\r?\n/);
  lines.pop();
  const found = new Set<number>();
  for (const line of lines.slice(o.skip + (o.header ? 1 : 0), o.skip + (o.header ? 1 : 0) + maxLines)) {
    const fields = splitLine(line, o.delimiter, o.quote);
    for (const k of candidates) {
      const v = fields[k];
      if (!found.has(k) && v !== undefined && v.trim() !== '' && !TRUE_FALSE.test(v)) found.add(k);
    }
    if (found.size === candidates.length) break;
  }
  return candidates.filter((k) => found.has(k));
}
