/**
 * Excel workbooks (.xlsx, and .xls through the same library) to an Arrow table, in the worker.
 * The reader is SheetJS 0.20.3 as republished on npm by @e965/xlsx (0.18.5 on npm carries the
 * prototype-pollution and ReDoS advisories fixed in 0.19.3 and 0.20.2). It is imported lazily, so
 * it is downloaded only when a workbook is loaded. The archive is checked first (zip-check.ts);
 * only cached cell values are read: formulas are never evaluated, external links never followed.
 */
import { t } from '../../src/lib/i18n';
import { IngestError } from '../engine-errors';
import type { LoadNote } from '../engine-types';
import { sheetTable, type HeaderMerge, type SheetValue } from './sheet-table';
import { checkZip, type ZipProblem } from './zip-check';

/** The most a workbook may unpack to, and the most files it may hold. */
export const XLSX_UNPACKED_LIMIT = 512 * 1024 * 1024;
export const XLSX_MAX_ENTRIES = 10_000;

/** A loaded sheet as Arrow IPC, with the workbook's sheet names and notes. */
export interface XlsxLoad {
  ipc: Uint8Array;
  rows: number;
  sheet: string;
  sheets: string[];
  notes: LoadNote[];
}

type XLSXModule = typeof import('@e965/xlsx');

/** Reads one sheet (the named one, else the first with data) of a workbook's bytes. */
export async function loadXlsx(bytes: Uint8Array, fileName: string, sheet: string | undefined, progress: (fraction: number) => void): Promise<XlsxLoad> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const isCfb = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (!isZip && !isCfb) throw new IngestError(t('ingest.err.notWorkbook', { file: fileName }));
  if (isZip) {
    const problem = await checkZip(bytes, { maxEntries: XLSX_MAX_ENTRIES, maxTotal: XLSX_UNPACKED_LIMIT });
    if (problem) throw new IngestError(zipMessage(fileName, problem));
  }
  progress(0.1);
  const XLSX: XLSXModule = await import('@e965/xlsx');
  let names: string[];
  try {
    names = XLSX.read(bytes, { type: 'array', bookSheets: true }).SheetNames;
  } catch (e) {
    throw new IngestError(t('ingest.err.workbookUnreadable', { file: fileName, reason: reason(e) }));
  }
  if (names.length === 0) throw new IngestError(t('ingest.err.noSheets', { file: fileName }));
  if (sheet !== undefined && !names.includes(sheet)) throw new IngestError(t('ingest.err.noSuchSheet', { file: fileName, sheet, sheets: names.join(', ') }));
  const order = sheet !== undefined ? [sheet] : names;
  for (const name of order) {
    let wb: import('@e965/xlsx').WorkBook;
    try {
      wb = XLSX.read(bytes, {
        type: 'array', dense: true, sheets: name,
        cellFormula: false, cellHTML: false, cellText: false, cellNF: true, cellStyles: false, bookVBA: false,
      });
    } catch (e) {
      throw new IngestError(t('ingest.err.workbookUnreadable', { file: fileName, reason: reason(e) }));
    }
    progress(0.6);
    const ws = wb.Sheets[name];
    if (!ws) continue;
    const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
    const table = sheetTable(grid(XLSX, ws, date1904), headerMerges(ws));
    if (!table || table.rows === 0) {
      if (sheet !== undefined) throw new IngestError(t('ingest.err.emptySheet', { file: fileName, sheet: name }));
      continue;
    }
    progress(0.9);
    const notes: LoadNote[] = [];
    if (names.length > 1) {
      notes.push({ code: 'sheet', params: { sheet: name } });
      notes.push({ code: 'sheets-other', params: { sheets: names.filter((n) => n !== name).join(', ') } });
    }
    return { ipc: table.ipc, rows: table.rows, sheet: name, sheets: names, notes: [...notes, ...table.notes] };
  }
  throw new IngestError(t('ingest.err.noData', { file: fileName }));
}

/** The sheet's cells as values: dates from date-formatted numbers, errors as their text (#N/A). */
function grid(XLSX: XLSXModule, ws: import('@e965/xlsx').WorkSheet, date1904: boolean): SheetValue[][] {
  const data = (ws as unknown as { '!data'?: (import('@e965/xlsx').CellObject | undefined)[][] })['!data'] ?? [];
  const epoch = date1904 ? 24107 : 25569;
  const out: SheetValue[][] = [];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    const values: SheetValue[] = [];
    if (row) {
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        if (!cell) {
          values.push(null);
          continue;
        }
        switch (cell.t) {
          case 'n':
            values.push(typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z) ? { ms: Math.round(((cell.v as number) - epoch) * 86_400_000) } : (cell.v as number));
            break;
          case 's':
            values.push(String(cell.v ?? ''));
            break;
          case 'b':
            values.push(Boolean(cell.v));
            break;
          case 'd':
            values.push(cell.v instanceof Date ? { ms: cell.v.getTime() - cell.v.getTimezoneOffset() * 60_000 } : null);
            break;
          case 'e':
            values.push(typeof cell.w === 'string' ? cell.w : '#N/A');
            break;
          default:
            values.push(null);
        }
      }
    }
    out.push(values);
  }
  return out;
}

/** Merged cells, by column span, that could hold the header (the first rows). */
function headerMerges(ws: import('@e965/xlsx').WorkSheet): HeaderMerge[] {
  const merges = ws['!merges'] ?? [];
  return merges.filter((m) => m.s.r < 30).map((m) => ({ r: m.s.r, c0: m.s.c, c1: m.e.c }));
}

function zipMessage(fileName: string, p: ZipProblem): string {
  switch (p.kind) {
    case 'not-zip':
    case 'truncated':
      return t('ingest.err.workbookTruncated', { file: fileName });
    case 'too-many-entries':
      return t('ingest.err.workbookEntries', { file: fileName, count: p.detail, limit: XLSX_MAX_ENTRIES });
    case 'too-large':
      return t('ingest.err.workbookUnpacked', { file: fileName, limit: `${XLSX_UNPACKED_LIMIT / 1024 / 1024} MB` });
    case 'bad-entry':
      return t('ingest.err.workbookEntry', { file: fileName, entry: p.detail });
  }
}

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}
