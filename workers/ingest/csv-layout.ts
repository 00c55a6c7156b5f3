/**
 * A look at the first lines of a CSV sample under a chosen delimiter, quote and header, for the
 * "choose how to read it" form shown when DuckDB's sniffer gives up: what each candidate
 * delimiter makes of the lines, and a preview of the rows a choice gives. Pure.
 */
import { splitLine } from './sample-fields';
import { needsTranscoding, transcodeToUtf8, type TextEncodingName } from './text-encoding';

/** The delimiters offered (and tried) when sniffing fails. */
export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** What one delimiter makes of the sample: how many fields per line, and how consistently. */
export interface DelimiterTrial {
  delimiter: string;
  /** The most common number of fields per line. */
  fields: number;
  /** Lines with that number of fields. */
  consistent: number;
  /** Lines looked at. */
  lines: number;
}

/** The rows a choice gives, with the lines whose field count differs from the header's. */
export interface LayoutPreview {
  header: string[];
  rows: string[][];
  /** Line numbers (1-based, within the sample) whose field count differs from the first line's. */
  uneven: { line: number; fields: number }[];
  trials: DelimiterTrial[];
  /** The delimiter the trials favour (most lines with the same number of fields, more than one field). */
  suggested: string;
}

/** Lines of a sample, dropping a last line cut off by the sample's end and a leading BOM. */
export function sampleLines(text: string, complete: boolean): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  if (!complete || lines[lines.length - 1] === '') lines.pop();
  return lines.filter((l, i) => l !== '' || i < lines.length - 1);
}

/** How each candidate delimiter splits `lines`. */
export function tryDelimiters(lines: string[], quote: string): DelimiterTrial[] {
  return CANDIDATE_DELIMITERS.map((delimiter) => {
    const counts = new Map<number, number>();
    for (const l of lines) {
      const n = splitLine(l, delimiter, quote).length;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let fields = 1;
    let consistent = 0;
    for (const [n, c] of counts) if (c > consistent || (c === consistent && n > fields)) [fields, consistent] = [n, c];
    return { delimiter, fields, consistent, lines: lines.length };
  });
}

/** The preview of `lines` read with the given choices (at most `maxRows` data rows). */
export function layoutPreview(lines: string[], o: { delimiter?: string; quote: string; header: boolean }, maxRows = 8): LayoutPreview {
  const trials = tryDelimiters(lines, o.quote);
  const split = trials.filter((t) => t.fields > 1);
  const best = split.sort((a, b) => b.consistent - a.consistent || b.fields - a.fields)[0];
  const suggested = best?.delimiter ?? ',';
  const delimiter = o.delimiter ?? suggested;
  const fields = lines.map((l) => splitLine(l, delimiter, o.quote));
  const width = fields[0]?.length ?? 0;
  const header = o.header ? (fields[0] ?? []) : Array.from({ length: width }, (_, k) => `column${k}`);
  const body = o.header ? fields.slice(1) : fields;
  const uneven = fields.flatMap((f, i) => (f.length !== width ? [{ line: i + 1, fields: f.length }] : []));
  return { header, rows: body.slice(0, maxRows), uneven, trials, suggested };
}

/** The bytes at the start of a file, decoded to text in their detected (or chosen) encoding. */
export function decodeSample(sample: Uint8Array, encoding: TextEncodingName): string {
  const utf8 = needsTranscoding(encoding) ? transcodeToUtf8((a, b) => sample.subarray(a, b), sample.length, encoding) : sample;
  return new TextDecoder().decode(utf8);
}
