/**
 * The Excel workbook of the xlsx-ingest workload: the 100k-order dataset written once as an .xlsx
 * next to its CSV (dates as Excel dates, amounts and ids as numbers), the way a shop's export
 * saved from Excel looks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import type { Dataset } from './dataset';

/** The one size the Excel workload runs at (analysts keep files of this size in Excel). */
export const XLSX_ROWS = 100_000;

/** The workbook's path, written from the dataset's CSV on first use. */
export async function ensureWorkbook(dataset: Dataset): Promise<string> {
  const path = dataset.csv.replace(/\.csv$/, '.xlsx');
  if (existsSync(path)) return path;
  const [header, ...lines] = readFileSync(dataset.csv, 'utf8').trimEnd().split('\n');
  const rows: unknown[][] = [header.split(',')];
  for (const line of lines) {
    const [orderId, customerId, date, amount, channel, country] = line.split(',');
    rows.push([Number(orderId), Number(customerId), new Date(`${date}T00:00:00Z`), Number(amount), channel, country]);
  }
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), 'orders');
  writeFileSync(path, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  return path;
}
