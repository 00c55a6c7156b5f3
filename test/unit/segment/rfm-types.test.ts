/**
 * The 8-type RFM model (issue 15) through the real DuckDB-WASM: a hand-worked fixture with the
 * mean, the median and typed references, ties exactly at the reference (they count as high), the
 * references read back from the result, and seeded random orders against a plain-JS classifier.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';
import {
  DEFAULT_RFM_TYPES,
  defaultRfmTypes,
  describeType,
  referenceLines,
  rfmTypesGridSql,
  rfmTypesReferenceSql,
  rfmTypesSql,
  typeThresholds,
  validateRfmTypes,
  type RfmReference,
  type RfmTypeReferences,
  type RfmTypesSettings,
} from '../../../src/lib/segment/rfm-types';
import { rfmSummarySql } from '../../../src/lib/segment/rfm-sql';
import { looksLikeRfmResult } from '../../../src/lib/segment/rfm-views';
import { segmentLabel } from '../../../src/lib/segment/builtin-names';
import { fixtureSql, referenceRfm, seeded, type OrderRow } from './rfm-reference';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';

let db: TestDb;
let tableNo = 0;

beforeAll(async () => {
  db = await openTestDb();
});

function load(rows: OrderRow[], overrides: Partial<RfmSpec> = {}): RfmSpec {
  const table = `types_${++tableNo}`;
  db.exec(fixtureSql(table, rows));
  return { ...defaultRfmSpec(table, { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null }), ...overrides };
}

const settings = (r: RfmReference, f: RfmReference, m: RfmReference): RfmTypesSettings => ({ ...defaultRfmTypes(), reference: { r, f, m } });
const MEAN: RfmReference = { kind: 'mean' };
const MEDIAN: RfmReference = { kind: 'median' };
const value = (v: number): RfmReference => ({ kind: 'value', value: v });

/** customer -> "HLH" (R, F, M high or low) and the type's English name, from the SQL. */
function typed(spec: RfmSpec, s: RfmTypesSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of db.rows(`SELECT * FROM (${rfmTypesSql(spec, s)}) ORDER BY customer_id`)) {
    const code = (['r_high', 'f_high', 'm_high'] as const).map((k) => (row[k] ? 'H' : 'L')).join('');
    out[String(row.customer_id)] = `${code} ${String(row.segment)}`;
  }
  return out;
}

// Fixture T, as-of 2024-07-01 (the day each recency counts from). Per customer (worked by hand):
//   customer  last order   R days  orders F  spend M
//   c1        2024-06-29      2       8      80.00  (8 x 10.00)
//   c2        2024-06-27      4       1      68.40
//   c3        2024-06-25      6       2       1.10  (0.60 + 0.50)
//   c4        2024-06-01     30       4      40.00  (4 x 10.00)
//   c5        2024-04-24     68       2      30.50  (2 x 15.25)
//   c6        2024-04-22     70       1      20.00
// R: sum 180, mean 30 (c4 ties at it); sorted 2 4 6 30 68 70, median (6 + 30) / 2 = 18.
// F: sum 18, mean 3; sorted 1 1 2 2 4 8, median (2 + 2) / 2 = 2 (c3 and c5 tie at it).
// M: 110 + 2000 + 3050 + 4000 + 6840 + 8000 = 24000 cents, mean 4000 = 40.00 (c4 ties at it);
//   sorted 1.10 20 30.50 40 68.40 80, median (30.50 + 40) / 2 = 35.25.
const FIXTURE_T: OrderRow[] = [
  ...['2024-06-29', '2024-06-20', '2024-06-10', '2024-05-30', '2024-05-01', '2024-04-01', '2024-03-01', '2024-02-01'].map((d) => ({ c: 'c1', d, a: 10 })),
  { c: 'c2', d: '2024-06-27', a: 68.4 },
  { c: 'c3', d: '2024-06-25', a: 0.6 },
  { c: 'c3', d: '2024-01-15', a: 0.5 },
  ...['2024-06-01', '2024-05-15', '2024-04-15', '2024-03-15'].map((d) => ({ c: 'c4', d, a: 10 })),
  { c: 'c5', d: '2024-04-24', a: 15.25 },
  { c: 'c5', d: '2023-12-24', a: 15.25 },
  { c: 'c6', d: '2024-04-22', a: 20 },
];

describe('rfmTypesSql on the hand-worked fixture', () => {
  let spec: RfmSpec;
  beforeAll(() => {
    spec = load(FIXTURE_T, { asOf: '2024-07-01' });
  });

  test('the measures are the ones worked out by hand', () => {
    const rows = db.rows(`SELECT customer_id, recency_days, frequency, monetary FROM (${rfmTypesSql(spec, defaultRfmTypes())}) ORDER BY customer_id`);
    expect(rows.map((r) => [r.customer_id, r.recency_days, r.frequency, r.monetary])).toEqual([
      ['c1', 2, 8, 80], ['c2', 4, 1, 68.4], ['c3', 6, 2, 1.1], ['c4', 30, 4, 40], ['c5', 68, 2, 30.5], ['c6', 70, 1, 20],
    ]);
  });

  test('mean references (30 days, 3 orders, 40.00): ties at the mean count as high', () => {
    // R high: <= 30 -> c1 c2 c3 c4 (c4 exactly 30). F high: >= 3 -> c1 (8), c4 (4).
    // M high: >= 40.00 -> c1, c2, c4 (exactly 40.00).
    expect(typed(spec, settings(MEAN, MEAN, MEAN))).toEqual({
      c1: 'HHH High-value loyal',
      c2: 'HLH High-value to develop',
      c3: 'HLL Low-value to develop',
      c4: 'HHH High-value loyal',
      c5: 'LLL Low-value to win back',
      c6: 'LLL Low-value to win back',
    });
    const [refs] = db.rows(`WITH v AS (${rfmTypesSql(spec, defaultRfmTypes())}) ${rfmTypesReferenceSql('v', defaultRfmTypes()).replace('FROM "v"', 'FROM v')}`);
    expect(refs).toEqual({ customers: 6, r_reference: 30, f_reference: 3, m_reference_cents: 4000 });
  });

  test('median references (18 days, 2 orders, 35.25): ties at the median count as high', () => {
    // R high: <= 18 -> c1 c2 c3. F high: >= 2 -> c1 c3 c4 c5 (c3, c5 exactly 2). M high: >= 35.25 -> c1 c2 c4.
    expect(typed(spec, settings(MEDIAN, MEDIAN, MEDIAN))).toEqual({
      c1: 'HHH High-value loyal',
      c2: 'HLH High-value to develop',
      c3: 'HHL Low-value loyal',
      c4: 'LHH High-value to retain',
      c5: 'LHL Low-value to retain',
      c6: 'LLL Low-value to win back',
    });
  });

  test('typed references (30 days, 4 orders, 1.10): ties at the value count as high, also for money whose binary fraction is above it', () => {
    // R high: <= 30 -> c1..c4 (c4 exactly). F high: >= 4 -> c1, c4 (exactly 4). M high: >= 1.10 -> everyone;
    // c3 spent exactly 1.10, and 1.1 * 100 = 110.00000000000001 in binary: compared in cents it is a tie.
    expect(1.1 * 100).toBeGreaterThan(110);
    expect(typed(spec, settings(value(30), value(4), value(1.1)))).toEqual({
      c1: 'HHH High-value loyal',
      c2: 'HLH High-value to develop',
      c3: 'HLH High-value to develop',
      c4: 'HHH High-value loyal',
      c5: 'LLH High-value to win back',
      c6: 'LLH High-value to win back',
    });
  });

  test('each measure takes its own reference: R median, F a typed 2, M mean', () => {
    // R <= 18: c1 c2 c3. F >= 2: c1 c3 c4 c5. M >= 40: c1 c2 c4.
    expect(typed(spec, settings(MEDIAN, value(2), MEAN))).toEqual({
      c1: 'HHH High-value loyal',
      c2: 'HLH High-value to develop',
      c3: 'HHL Low-value loyal',
      c4: 'LHH High-value to retain',
      c5: 'LHL Low-value to retain',
      c6: 'LLL Low-value to win back',
    });
  });

  test('the references read back from the result, their thresholds and the lines shown', () => {
    const s = settings(MEDIAN, MEDIAN, value(35.254));
    db.exec(`CREATE OR REPLACE TABLE types_result AS ${rfmTypesSql(spec, s)}`);
    const [refs] = db.rows(rfmTypesReferenceSql('types_result', s)) as unknown as RfmTypeReferences[];
    expect(refs.r_reference).toBe(18);
    expect(refs.f_reference).toBe(2);
    expect(refs.m_reference_cents).toBeCloseTo(3525.4, 9);
    // R high <= 18 days; F high >= 2 orders; M high >= 35.26 (3525.4 cents rounds up to 3526).
    expect(typeThresholds(refs)).toEqual({ rMaxDays: 18, fMinOrders: 2, mMin: 35.26 });
    expect(referenceLines(s, refs, 'total')).toEqual([
      { key: 'rfm8.line.r', params: { days: 18 }, basis: 'median', value: 18 },
      { key: 'rfm8.line.f', params: { orders: 2 }, basis: 'median', value: 2 },
      { key: 'rfm8.line.m', params: { money: 35.26 }, basis: 'value', value: 35.254 },
    ]);
    expect(describeType({ r: 'low', f: 'high', m: 'low' }, typeThresholds(refs)!, 'average')).toEqual([
      { key: 'rfm8.desc.rLow', params: { days: 18 } },
      { key: 'rfm8.desc.fHigh', params: { orders: 2 } },
      { key: 'rfm8.desc.mAvgLow', params: { money: 35.26 } },
    ]);
    // Mean recency 45.6 days: high is 45 days or fewer.
    expect(typeThresholds({ customers: 5, r_reference: 45.6, f_reference: 2.2, m_reference_cents: 1200 })).toEqual({ rMaxDays: 45, fMinOrders: 3, mMin: 12 });
  });

  test('the summary lists the 8 types in their order with counts adding up; the grid has one cell per type', () => {
    const s = settings(MEDIAN, MEDIAN, MEDIAN);
    db.exec(`CREATE OR REPLACE TABLE types_median AS ${rfmTypesSql(spec, s)}`);
    const summary = db.rows(rfmSummarySql('types_median', s.types));
    expect(summary.map((r) => [r.segment, r.customers])).toEqual([
      ['High-value loyal', 1], ['High-value to develop', 1], ['High-value to retain', 1], ['High-value to win back', 0],
      ['Low-value loyal', 1], ['Low-value to develop', 0], ['Low-value to retain', 1], ['Low-value to win back', 1],
    ]);
    const grid = db.rows(rfmTypesGridSql('types_median', s));
    expect(grid).toHaveLength(8);
    expect(grid.map((g) => [g.r_high, g.f_high, g.m_high, g.segment, g.customers])).toEqual([
      [true, true, true, 'High-value loyal', 1], [true, false, true, 'High-value to develop', 1],
      [false, true, true, 'High-value to retain', 1], [false, false, true, 'High-value to win back', 0],
      [true, true, false, 'Low-value loyal', 1], [true, false, false, 'Low-value to develop', 0],
      [false, true, false, 'Low-value to retain', 1], [false, false, false, 'Low-value to win back', 1],
    ]);
    expect(grid[0].avg_monetary).toBe(80);
    expect(grid[3].avg_monetary).toBeNull();
  });

  test('the result is recognised as an RFM result (segment builder, clusters), like a score result', () => {
    db.exec(`CREATE OR REPLACE TABLE types_cols AS ${rfmTypesSql(spec, defaultRfmTypes())}`);
    const columns = db.rows('DESCRIBE types_cols').map((r) => ({ name: String(r.column_name) }));
    expect(columns.map((c) => c.name)).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'revenue', 'r_high', 'f_high', 'm_high', 'segment']);
    expect(looksLikeRfmResult(columns)).toBe(true);
    expect(looksLikeRfmResult(columns.filter((c) => c.name !== 'm_high'))).toBe(false);
  });

  test('renamed types are written as typed; names are written in the language asked for', () => {
    const s = defaultRfmTypes();
    s.types[0].name = 'VIP';
    const zh = (name: string) => (name === 'rfm8.type.generalWinBack' ? '一般挽留客户' : segmentLabel(name));
    const rows = db.rows(`SELECT customer_id, segment FROM (${rfmTypesSql(spec, s, zh)}) ORDER BY customer_id`);
    expect(rows.map((r) => r.segment)).toEqual(['VIP', 'High-value to develop', 'Low-value to develop', 'VIP', '一般挽留客户', '一般挽留客户']);
  });
});

describe('settings', () => {
  test('the defaults: the mean for each measure; 8 types covering each combination once, 重要 (M high) first', () => {
    const s = defaultRfmTypes();
    expect(s.reference).toEqual({ r: MEAN, f: MEAN, m: MEAN });
    expect(new Set(s.types.map((x) => x.r + x.f + x.m)).size).toBe(8);
    expect(s.types.slice(0, 4).every((x) => x.m === 'high')).toBe(true);
    expect(validateRfmTypes(s)).toEqual([]);
    s.types[0].r = 'low';
    expect(s.types).not.toEqual(DEFAULT_RFM_TYPES);
  });

  test('problems: a typed reference that is not a number, a repeated combination, an empty or repeated name', () => {
    const s = settings(value(Number.NaN), MEAN, MEAN);
    s.types[1] = { ...s.types[1], r: 'high', f: 'high', m: 'high' };
    s.types[2] = { ...s.types[2], name: ' ' };
    s.types[3] = { ...s.types[3], name: 'rfm8.type.importantValue' };
    const problems = validateRfmTypes(s);
    expect(problems).toContain('R reference: type a number, or choose the mean or the median.');
    expect(problems).toContain('The 8 types must name each combination of high and low R, F and M exactly once: reset them.');
    expect(problems).toContain('Type 3 has no name.');
    expect(problems).toContain("'High-value loyal' names more than one type.");
    expect(() => rfmTypesSql(load(FIXTURE_T), s)).toThrow(/invalid RFM types/);
  });
});

/** The 8-type levels by the documented definitions, in plain JS over the reference measures. */
function referenceTypes(rows: OrderRow[], spec: RfmSpec, s: RfmTypesSettings): Record<string, string> {
  const customers = [...referenceRfm(rows, spec, DEFAULT_RFM_RULES).values()];
  const cents = (m: number) => Math.round(m * 100);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const h = sorted.length >> 1;
    return sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
  };
  const ref = (r: RfmReference, xs: number[], money: boolean) =>
    r.kind === 'mean' ? mean(xs) : r.kind === 'median' ? median(xs) : money ? Math.round(r.value * 100 * 1e6) / 1e6 : r.value;
  const rRef = ref(s.reference.r, customers.map((c) => c.recency_days), false);
  const fRef = ref(s.reference.f, customers.map((c) => c.frequency), false);
  const mRef = ref(s.reference.m, customers.map((c) => cents(c.monetary)), true);
  const out: Record<string, string> = {};
  for (const c of customers) {
    const code = [c.recency_days <= rRef, c.frequency >= fRef, cents(c.monetary) >= mRef].map((h) => (h ? 'H' : 'L')).join('');
    const x = s.types.find((y) => [y.r, y.f, y.m].map((l) => (l === 'high' ? 'H' : 'L')).join('') === code)!;
    out[c.customer_id] = `${code} ${segmentLabel(x.name)}`;
  }
  return out;
}

test('seeded random orders: the SQL types every customer as a plain-JS classifier does, for each kind of reference', () => {
  const rand = seeded(8);
  const rows: OrderRow[] = [];
  for (let i = 0; i < 600; i++) {
    const day = 1 + Math.floor(rand() * 360);
    const d = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
    // Few distinct amounts and customers with many orders, so values repeat: 8 customers sit exactly
    // at the F median (7 orders), 8 at the typed F 9 and one at the typed R 40 days.
    rows.push({ c: `k${Math.floor(rand() * 70)}`, d, a: [5, 9.99, 10, 20.07, 35.5, -4][Math.floor(rand() * 6)] });
  }
  for (const monetary of ['total', 'average'] as const) {
    const spec = load(rows, { monetary });
    for (const s of [settings(MEAN, MEAN, MEAN), settings(MEDIAN, MEDIAN, MEDIAN), settings(value(40), value(9), value(100.07))]) {
      expect(typed(spec, s)).toEqual(referenceTypes(rows, spec, s));
    }
  }
});
