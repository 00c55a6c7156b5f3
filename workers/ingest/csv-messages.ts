/** Turns DuckDB's CSV reader and sniffer results into messages and warnings a user can act on. */
import { t } from '../../src/lib/i18n';
import type { ColumnInfo, CsvDetection, LoadWarning } from '../engine-types';

/** A short message for a failed CSV load, naming the file, line and column where DuckDB says them. */
export function describeCsvError(fileName: string, raw: string): string {
  raw = raw.replace(/"?\/segnote\/\d+-[^"\s]*"?/g, `"${fileName}"`);
  const line = /CSV Error on Line: (\d+)/.exec(raw)?.[1];
  const original = /Original Line: ?(.*)/.exec(raw)?.[1];
  const conversion = /Error when converting column "(.+?)"\. (Could not convert .*)/.exec(raw);
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(raw);
  const where = [fileName, line ? t('msg.ingest.where.line', { line }) : null, conversion ? t('msg.ingest.where.column', { column: conversion[1] }) : null].filter(Boolean).join(t('msg.listSeparator'));
  let what: string;
  if (conversion) {
    what = t('ingest.reason.conversion', { detail: conversion[2].replace(/'/g, '') });
  } else if (columns) {
    what = t('ingest.reason.fields', { expected: columns[1], found: columns[2] });
  } else if (/not possible to automatically detect the CSV parsing dialect/.test(raw)) {
    const delim = /Delimiter is set to '(.+?)'/.exec(raw)?.[1];
    what = delim ? t('ingest.reason.dialectDelim', { delim }) : t('ingest.reason.dialect');
  } else if (/unterminated quote|quoted value/i.test(raw)) {
    what = t('ingest.reason.quote');
  } else {
    const first = raw.split('\n').find((l) => l.trim() && !/^CSV Error on Line/.test(l.replace(/^[A-Za-z ]+Error: /, ''))) ?? raw;
    what = first.replace(/^[A-Za-z ]+Error: /, '').trim();
  }
  // DuckDB sometimes reports an empty "Original Line": say nothing rather than "The line reads:" and nothing.
  const shown = original !== undefined && original.trim() !== '' ? t('ingest.err.lineReads', { text: truncate(original, 200) }) : '';
  return t('ingest.err.csv', { where, what, shown });
}

/** Warnings for loads that succeeded but probably read the file wrongly, each with a fix. */
export function csvWarnings(columns: ColumnInfo[], csv: CsvDetection, sampleText: string): LoadWarning[] {
  const warnings: LoadWarning[] = [];
  if (columns.length === 1) {
    const name = columns[0].name;
    const delimiter = mostFrequent(name, [',', ';', '\t', '|']);
    if (delimiter) {
      warnings.push({
        code: 'single-column',
        message: t('msg.ingest.warn.singleColumn', { name: truncate(name, 60), delimiter: printable(delimiter) }),
        fix: { delimiter },
      });
    }
  }
  // Excel's ="…" text guards (Tmall exports) read fine unquoted: the cleaning pass removes them.
  const d = csv.delimiter.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') || ',';
  const unguarded = sampleText.replace(new RegExp(`(^|${d})="[^"\\r\\n]*"(?=${d}|\\r?$)`, 'gm'), '$1');
  if ((csv.quote === '' || csv.quote === '(empty)') && unguarded.includes('"')) {
    warnings.push({
      code: 'quotes-ignored',
      message: t('msg.ingest.warn.quotesIgnored'),
      fix: { quote: '"' },
    });
  }
  return warnings;
}

/** The detection as shown to the user, from one row of `sniff_csv`. */
export function detectionFromSniff(row: Record<string, unknown>): CsvDetection {
  const text = (v: unknown) => (v == null ? '' : String(v));
  return {
    delimiter: text(row.Delimiter),
    quote: text(row.Quote) === '(empty)' ? '' : text(row.Quote),
    escape: text(row.Escape) === '(empty)' ? '' : text(row.Escape),
    hasHeader: Boolean(row.HasHeader),
    dateFormat: row.DateFormat == null ? null : text(row.DateFormat),
    timestampFormat: row.TimestampFormat == null ? null : text(row.TimestampFormat),
    skipRows: Number(row.SkipRows ?? 0),
  };
}

function mostFrequent(text: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const c of candidates) {
    const n = text.split(c).length - 1;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

function printable(ch: string): string {
  return ch === '\t' ? '\\t' : ch;
}

/** `s` cut to `n` characters with an ellipsis. */
export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
