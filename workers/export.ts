/** Query results as downloadable files: CSV (UTF-8 with BOM, so Excel shows Chinese text) or Parquet. */
import { DataType, tableFromIPC, type Table } from 'apache-arrow';

/** Export formats. */
export type ExportFormat = 'csv' | 'parquet';

/** Arrow IPC result -> CSV bytes: RFC 4180 quoting, ISO dates (UTC), exact big integers. */
export function ipcToCsv(ipc: Uint8Array): Uint8Array {
  return new TextEncoder().encode(`\ufeff${tableToCsv(tableFromIPC(ipc))}`);
}

/** An Arrow table as CSV text with a header row. */
export function tableToCsv(table: Table): string {
  const fields = table.schema.fields;
  const columns = fields.map((f) => table.getChild(f.name)!);
  const lines: string[] = [fields.map((f) => quote(f.name)).join(',')];
  for (let i = 0; i < table.numRows; i++) {
    lines.push(fields.map((f, j) => quote(cellText(columns[j].get(i), f.type))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function cellText(v: unknown, type: DataType): string {
  if (v === null || v === undefined) return '';
  if (DataType.isDate(type)) return new Date(Number(v)).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) return new Date(Number(v)).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
