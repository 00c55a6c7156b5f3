/** Arrow results to plain JS values for charts and grids, without losing what matters. */
import { DataType, type Table } from 'apache-arrow';

/** A value ready for display or plotting. */
export type PlainValue = string | number | boolean | Date | null;

/** Rows as objects: BIGINT as number when exact (else text), dates and timestamps as Date (UTC). */
export function tableToObjects(table: Table): Record<string, PlainValue>[] {
  const fields = table.schema.fields;
  const columns = fields.map((f) => table.getChild(f.name)!);
  const out: Record<string, PlainValue>[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, PlainValue> = {};
    fields.forEach((f, j) => {
      row[f.name] = plainValue(columns[j].get(i), f.type);
    });
    out[i] = row;
  }
  return out;
}

/** Rows as arrays in column order, same conversions as `tableToObjects`. */
export function tableToArrays(table: Table): PlainValue[][] {
  const fields = table.schema.fields;
  const columns = fields.map((f) => table.getChild(f.name)!);
  const out: PlainValue[][] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) out[i] = fields.map((f, j) => plainValue(columns[j].get(i), f.type));
  return out;
}

function plainValue(v: unknown, type: DataType): PlainValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(-Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    return v instanceof Date ? v : new Date(Number(v));
  }
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/** A value as grid text: dates in UTC (yyyy-mm-dd, with time when not midnight), numbers unchanged. */
export function formatValue(v: PlainValue): string {
  if (v === null) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return String(v);
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(12)));
  }
  return String(v);
}
