/**
 * Runs the cleaning pass on a freshly loaded table: a quick look at the first rows picks the text
 * columns worth a full scan, one query scans them, the plans are checked against every value and
 * the table is rewritten once with the conversions. Returns the notes. I/O glue for clean-plan.ts.
 */
import type { ColumnInfo, LoadNote } from '../engine-types';
import {
  SAMPLE_ROWS, normaliseFor, numericCandidates, screenPasses, screenSql, planNumeric, planText, readNumericStats, readTextStats, rewriteSql, statsSql, verifySql, worthFullScan,
  type ColumnPlan, type TextScan, type TextStats,
} from './clean-plan';
import { truncate } from './csv-messages';
import { ident } from '../../src/lib/sql/quote';
import { NORMALISE_ALL, PLACEHOLDERS, showFormat } from './value-patterns';

/** What the cleaning pass needs from the engine. */
export interface CleanHost {
  rows(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
}

/** The plan for a column the user asked to read as dates in a format (table details). */
async function pickedDatePlan(host: CleanHost, table: string, name: string, format: string): Promise<ColumnPlan> {
  const [r] = await host.rows(`SELECT count(*) FILTER (WHERE contains(${ident(name)}, ':'))::DOUBLE AS t, count(${ident(name)})::DOUBLE AS n FROM ${ident(table)}`);
  const time = Number(r.t) > 0;
  const formats = time ? [`${format} %H:%M:%S`, `${format} %H:%M`, format] : [format];
  return {
    name, type: 'VARCHAR', normalise: NORMALISE_ALL, kind: time ? 'timestamp' : 'date', missing: PLACEHOLDERS, unguard: false,
    date: { family: format.includes('年') ? 'cn' : 'dmy-or-mdy', formats },
    notes: [{ code: 'dates', column: name, count: Number(r.n), params: { column: name, type: time ? 'TIMESTAMP' : 'DATE', format: showFormat(formats[formats.length > 1 ? 1 : 0]), count: Number(r.n), why: 'ingest.why.picked' } }],
  };
}

/** Columns per stats query: DuckDB slows down much faster than linearly with the number of filtered aggregates in one query. */
const COLUMNS_PER_QUERY = 2;
const SCREEN_COLUMNS_PER_QUERY = 8;

async function textStats(host: CleanHost, table: string, scans: TextScan[], sampleRows: number | null): Promise<TextStats[]> {
  const out: TextStats[] = [];
  for (let i = 0; i < scans.length; i += COLUMNS_PER_QUERY) {
    const group = scans.slice(i, i + COLUMNS_PER_QUERY);
    const [row] = await host.rows(statsSql(table, group, [], sampleRows));
    group.forEach((_c, k) => out.push(readTextStats(row, k)));
  }
  return out;
}

/** Cleans `table` in place (placeholders, guards, numbers, dates) and says what it did. */
export async function cleanTable(host: CleanHost, table: string, columns: ColumnInfo[], picked: Record<string, string> = {}): Promise<LoadNote[]> {
  const chosen = columns.filter((c) => c.type === 'VARCHAR' && Object.hasOwn(picked, c.name));
  const text = columns.filter((c) => c.type === 'VARCHAR' && !Object.hasOwn(picked, c.name));
  const numeric = numericCandidates(columns);
  if (text.length === 0 && numeric.length === 0 && chosen.length === 0) return [];

  // A cheap screen of the first rows, then a detailed look at the columns it flags, picks the
  // columns (and the normalisation) worth a full scan.
  const flagged: ColumnInfo[] = [];
  for (let i = 0; i < text.length; i += SCREEN_COLUMNS_PER_QUERY) {
    const group = text.slice(i, i + SCREEN_COLUMNS_PER_QUERY);
    const [row] = await host.rows(screenSql(table, group.map((c) => c.name), SAMPLE_ROWS));
    group.forEach((c, k) => screenPasses(row, k) && flagged.push(c));
  }
  const sampled = await textStats(host, table, flagged.map((c) => ({ name: c.name, detailed: true, normalise: NORMALISE_ALL })), SAMPLE_ROWS);
  const scans = flagged
    .map((c, i) => ({ c, s: sampled[i] }))
    .filter(({ s }) => worthFullScan(s))
    .map(({ c, s }) => ({ name: c.name, detailed: true, normalise: normaliseFor(s) }));
  const numericSample = numeric.length ? (await host.rows(statsSql(table, [], numeric.map((c) => c.name), SAMPLE_ROWS)))[0] : {};
  const numericScans = numeric.filter((c, i) => planNumeric(c, readNumericStats(numericSample, i)).kind !== 'keep');
  if (scans.length === 0 && numericScans.length === 0 && chosen.length === 0) return [];
  const full = await textStats(host, table, scans, null);
  const numericFull = numericScans.length ? (await host.rows(statsSql(table, [], numericScans.map((c) => c.name), null)))[0] : {};
  const plans: ColumnPlan[] = [
    ...scans.map((c, i) => planText(c.name, full[i], c.normalise)),
    ...numericScans.map((c, i) => planNumeric(c, readNumericStats(numericFull, i))),
    ...(await Promise.all(chosen.map((c) => pickedDatePlan(host, table, c.name, picked[c.name])))),
  ];

  const converting = plans.filter((p) => p.kind !== 'keep' && p.kind !== 'text');
  if (converting.length > 0) {
    // A value the shape scan accepted may still not convert (31/02/2024): such a column stays as it was.
    const [check] = await host.rows(verifySql(table, converting));
    converting.forEach((p, i) => {
      const failed = Number(check[`f${i}`] ?? 0);
      if (failed === 0) return;
      const at = plans.indexOf(p);
      const keepNotes = p.notes.filter((n) => n.code === 'guards' || n.code === 'placeholders');
      plans[at] = {
        ...p,
        kind: p.type === 'VARCHAR' && (p.unguard || keepNotes.some((n) => n.code === 'placeholders')) ? 'text' : 'keep',
        missing: p.missing.filter((x) => PLACEHOLDERS.includes(x)),
        date: undefined,
        serial: false,
        compactNumber: false,
        notes: [
          ...keepNotes,
          { code: 'not-converted', column: p.name, count: failed, params: { column: p.name, type: p.kind.toUpperCase(), count: failed, example: truncate(String(check[`e${i}`] ?? ''), 60) } },
        ],
      };
    });
  }
  const changed = new Map(plans.filter((p) => p.kind !== 'keep').map((p) => [p.name, p]));
  if (changed.size > 0) await host.exec(rewriteSql(table, columns, changed));
  return plans.flatMap((p) => p.notes);
}
