/**
 * The cleaning pass's SQL, run through real DuckDB-WASM on small tables whose answers are worked
 * out by hand next to each case (issue 13).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { planExpr, planText, readTextStats, statsSql, type ColumnPlan } from '../../../workers/ingest/clean-plan';
import { NORMALISE_ALL } from '../../../workers/ingest/value-patterns';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { str } from '../../../src/lib/sql/quote';

let db: TestDb;
let seq = 0;
beforeAll(async () => {
  db = await openTestDb();
});

/** Puts `values` in a one-column VARCHAR table, plans it and returns the plan and the converted values. */
function clean(name: string, values: (string | null)[]): { plan: ColumnPlan; out: unknown[] } {
  const table = `t${++seq}`;
  db.exec(`CREATE TABLE ${table} ("${name}" VARCHAR)`);
  if (values.length) db.exec(`INSERT INTO ${table} VALUES ${values.map((v) => `(${v === null ? 'NULL' : str(v)})`).join(', ')}`);
  const [row] = db.rows(statsSql(table, [{ name, detailed: true, normalise: NORMALISE_ALL }], [], null));
  const plan = planText(name, readTextStats(row, 0), NORMALISE_ALL);
  const out = db.rows(`SELECT ${planExpr(plan)} AS v FROM ${table} ORDER BY rowid`).map((r) => {
    const v = r.v;
    return v instanceof Date ? v.toISOString() : typeof v === 'number' && Math.abs(v) > 1e11 ? new Date(v).toISOString() : v;
  });
  return { plan, out };
}

describe('placeholders and guards', () => {
  test('placeholders in a text column become NULL, counted; "NA" stays (it may be Namibia)', () => {
    const { plan, out } = clean('country', ['DE', '(blank)', 'NA', '—', ' ', '暂无', 'FR']);
    expect(plan.kind).toBe('text');
    expect(out).toEqual(['DE', null, 'NA', null, null, null, 'FR']);
    expect(plan.notes.find((n) => n.code === 'placeholders')?.count).toBe(4);
  });

  test('Excel ="…" guards are removed; long digit strings stay text', () => {
    const { plan, out } = clean('order_no', ['="2000000000000000001"', '="2000000000000000002"']);
    expect(out).toEqual(['2000000000000000001', '2000000000000000002']);
    expect(plan.notes.map((n) => n.code)).toEqual(['guards', 'long-ids']);
  });

  test('ids with leading zeros stay text', () => {
    expect(clean('zip', ['01234', '98765']).plan.kind).toBe('keep');
  });
});

describe('numbers', () => {
  test('numbers as people write them', () => {
    // by hand: 1234.5, 88, -45, -12.5, 0.12, 123, NULL (a placeholder), 1000
    const { plan, out } = clean('price', ['¥1,234.50', '￥88', '45-', '(12.5)', '12%', '１２３', 'N/A', '$1,000']);
    expect(plan.kind).toBe('double');
    expect(out).toEqual([1234.5, 88, -45, -12.5, 0.12, 123, null, 1000]);
  });

  test('a numeric column with blanks becomes numeric (Telco TotalCharges)', () => {
    const { plan, out } = clean('TotalCharges', ['29.85', ' ', '1889.5']);
    expect(plan.kind).toBe('double');
    expect(out).toEqual([29.85, null, 1889.5]);
  });

  test('whole numbers written as decimals become BIGINT', () => {
    const { plan, out } = clean('CustomerID', ['12923.0', '(blank)', '17850.0']);
    expect(plan.kind).toBe('bigint');
    expect(out).toEqual([12923, null, 17850]);
  });

  test('a column with a few non-numbers stays text, naming the first', () => {
    const values = [...Array.from({ length: 20 }, (_v, i) => String(536365 + i)), 'A563185'];
    const { plan } = clean('InvoiceNo', values);
    expect(plan.kind).toBe('keep');
    expect(plan.notes[0]).toMatchObject({ code: 'mostly-numbers', count: 1, params: { example: 'A563185' } });
  });
});

describe('dates', () => {
  test('M/D/YYYY H:MM: a second number above 12 decides month first', () => {
    const { plan, out } = clean('InvoiceDate', ['12/1/2010 8:26', '12/13/2010 17:05']);
    expect(plan.kind).toBe('timestamp');
    expect(out).toEqual(['2010-12-01T08:26:00.000Z', '2010-12-13T17:05:00.000Z']);
    expect(plan.notes[0].params.why).toBe('ingest.why.monthFirst');
  });

  test('D/M/YYYY: a first number above 12 decides day first', () => {
    const { plan, out } = clean('day', ['05/03/2024', '25/12/2024']);
    expect(plan.kind).toBe('date');
    expect(out).toEqual(['2024-03-05T00:00:00.000Z', '2024-12-25T00:00:00.000Z']);
  });

  test('no number above 12: kept as text and reported as ambiguous', () => {
    const { plan } = clean('day', ['05/03/2024', '01/02/2024']);
    expect(plan.kind).toBe('keep');
    expect(plan.notes[0].code).toBe('dates-ambiguous');
  });

  test('YYYY.M.D, YYYY/M/D and 2024年3月5日 with and without a time', () => {
    expect(clean('d', ['2024.3.5', '2024.12.25']).out).toEqual(['2024-03-05T00:00:00.000Z', '2024-12-25T00:00:00.000Z']);
    expect(clean('d', ['2024/3/5 8:05', '2024/12/25']).out).toEqual(['2024-03-05T08:05:00.000Z', '2024-12-25T00:00:00.000Z']);
    expect(clean('d', ['2024年3月5日', '2024年3月15日 14:30'])).toMatchObject({ out: ['2024-03-05T00:00:00.000Z', '2024-03-15T14:30:00.000Z'] });
  });

  test('YYYYMMDD only in a column named like a date; Excel serials likewise', () => {
    expect(clean('order_date', ['20240305', '20241225']).out).toEqual(['2024-03-05T00:00:00.000Z', '2024-12-25T00:00:00.000Z']);
    expect(clean('code', ['20240305', '20241225']).plan.kind).toBe('bigint');
    // 45000 is 2023-03-15 in Excel's 1900 system (checked in LibreOffice).
    expect(clean('paid_date', ['45000', '45292']).out).toEqual(['2023-03-15T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
  });
});
