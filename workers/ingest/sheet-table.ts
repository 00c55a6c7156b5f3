/**
 * A worksheet's grid of values to a table: the header row found below any title block, usable
 * column names (merged or empty header cells), and one typed Arrow column each — numbers, whole
 * numbers, dates, booleans, or text when a column mixes kinds (ids stay exact as text). Pure.
 */
import type { Data } from 'apache-arrow';
import type { LoadNote } from '../engine-types';
import { booleans, columnsToIPC, dateDays, float64, int64, timestampMs, uniqueColumnNames, utf8 } from './arrow-build';

/** A date or date-time cell as milliseconds of UTC wall time (the workbook's clock, no time zone). */
export interface SheetDate {
  ms: number;
}

/** One cell's value as the loader sees it. */
export type SheetValue = string | number | boolean | SheetDate | null;

/** Columns spanned by a merged cell within one row (row and columns 0-based, inclusive). */
export interface HeaderMerge {
  r: number;
  c0: number;
  c1: number;
}

/** The rows searched for the header below a title block. */
export const HEADER_SEARCH_ROWS = 30;

const isEmpty = (v: SheetValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const width = (row: SheetValue[] | undefined) => (row ? row.reduce<number>((n, v) => n + (isEmpty(v) ? 0 : 1), 0) : 0);

/**
 * The index of the header row: the first of the top rows that fills most of the table's width
 * with text. Title rows above it (a report name, a date, a blank line) have a cell or two.
 */
export function findHeaderRow(rows: SheetValue[][]): number {
  const top = rows.slice(0, HEADER_SEARCH_ROWS);
  const widest = Math.max(0, ...top.map(width));
  if (widest <= 1) return Math.max(0, top.findIndex((r) => width(r) > 0));
  const needed = widest <= 2 ? widest : Math.ceil(widest * 0.6);
  const index = top.findIndex((r) => {
    const filled = r.filter((v) => !isEmpty(v));
    return filled.length >= needed && filled.filter((v) => typeof v === 'string').length >= filled.length * 0.6;
  });
  return index < 0 ? Math.max(0, top.findIndex((r) => width(r) > 0)) : index;
}

/** Column names from the header row: merged cells repeat their name with a number, empty ones become column_N. */
export function headerNames(header: SheetValue[], count: number, merges: HeaderMerge[]): { names: string[]; generated: string[] } {
  const raw: string[] = [];
  for (let c = 0; c < count; c++) raw.push(isEmpty(header[c]) ? '' : cellText(header[c]).trim().replace(/\s+/g, ' '));
  for (const m of merges) {
    for (let c = m.c0 + 1; c <= Math.min(m.c1, count - 1); c++) if (raw[c] === '' && raw[m.c0] !== '') raw[c] = `${raw[m.c0]}_${c - m.c0 + 1}`;
  }
  const generated: string[] = [];
  const named = raw.map((n, c) => {
    if (n !== '') return n;
    const g = `column_${c + 1}`;
    generated.push(g);
    return g;
  });
  return { names: uniqueColumnNames(named), generated };
}

/** A cell as text (numbers in full, dates as ISO). */
export function cellText(v: SheetValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return isoText(v.ms);
  return String(v);
}

function isoText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/** The typed Arrow column for one column's values. */
export function sheetColumn(values: SheetValue[]): Data {
  let numbers = 0;
  let wholes = 0;
  let dates = 0;
  let midnights = 0;
  let bools = 0;
  let present = 0;
  for (const v of values) {
    if (isEmpty(v)) continue;
    present++;
    if (typeof v === 'number') {
      numbers++;
      if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) wholes++;
    } else if (typeof v === 'boolean') bools++;
    else if (typeof v === 'object' && v !== null) {
      dates++;
      if (v.ms % 86_400_000 === 0) midnights++;
    }
  }
  const blank = (v: SheetValue) => (isEmpty(v) ? null : v);
  if (present > 0 && numbers === present) {
    const nums = values.map((v) => (typeof v === 'number' ? v : null));
    return wholes === present ? int64(nums) : float64(nums);
  }
  if (present > 0 && dates === present) {
    const ms = values.map((v) => (typeof v === 'object' && v !== null ? v.ms : null));
    return midnights === present ? dateDays(ms) : timestampMs(ms);
  }
  if (present > 0 && bools === present) return booleans(values.map((v) => (typeof v === 'boolean' ? v : null)));
  // Mixed or text: every value as text, so ids keep all their digits; the cleaning pass looks at it next.
  return utf8(values.map(blank), (v) => cellText(v as SheetValue));
}

/** The table made from a sheet's grid. */
export interface SheetTable {
  ipc: Uint8Array;
  rows: number;
  columns: string[];
  notes: LoadNote[];
}

/** Builds the table: header below the title block, blank rows and all-empty columns left out. */
export function sheetTable(grid: SheetValue[][], merges: HeaderMerge[]): SheetTable | null {
  const headerAt = findHeaderRow(grid);
  const header = grid[headerAt] ?? [];
  const body = grid.slice(headerAt + 1).filter((r) => width(r) > 0);
  let count = 0;
  for (const r of [header, ...body]) for (let c = r.length - 1; c >= count; c--) if (!isEmpty(r[c])) count = c + 1;
  if (count === 0) return null;
  const used: number[] = [];
  for (let c = 0; c < count; c++) if (!isEmpty(header[c]) || body.some((r) => !isEmpty(r[c]))) used.push(c);
  const headerMerges = merges
    .filter((m) => m.r === headerAt)
    .map((m) => ({ r: 0, c0: used.indexOf(m.c0), c1: used.indexOf(m.c1) }))
    .filter((m) => m.c0 >= 0 && m.c1 > m.c0);
  const { names, generated } = headerNames(used.map((c) => header[c] ?? null), used.length, headerMerges);
  const columns = used.map((c) => sheetColumn(body.map((r) => r[c] ?? null)));
  const notes: LoadNote[] = [];
  if (headerAt > 0) notes.push({ code: 'title-rows', count: headerAt, params: { count: headerAt } });
  if (generated.length > 0) notes.push({ code: 'header-renamed', count: generated.length, params: { count: generated.length, names: generated.slice(0, 5).join(', ') } });
  return { ipc: columnsToIPC(names, columns, body.length), rows: body.length, columns: names, notes };
}
