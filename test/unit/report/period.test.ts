/**
 * Issue 17, period comparison: segment sizes and revenue at two as-of dates and the movement
 * matrix between them, run in DuckDB-WASM on seeded random orders and checked against an
 * independent computation — the plain-loop RFM reference of test/unit/segment/rfm-reference.ts
 * at each date, then sizes, revenue sums and from→to counts tallied by hand in JS.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { fixtureSql, referenceRfm, seeded, type OrderRow } from '../segment/rfm-reference';
import { comparisonRows, comparisonSql, earlierDate, monthsBefore, movementTable, segmentSizesSql, type SegmentSizesRow } from '../../../src/lib/report/period';
import { comparisonTotals } from '../../../src/lib/report/report-html';
import { DEPARTED_SEGMENT, NEW_SEGMENT, rfmMembership, type MovementFlow } from '../../../src/lib/segment/movement-sql';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec, type RfmSpec } from '../../../src/lib/segment/rfm-spec';
import { segmentLabel } from '../../../src/lib/segment/builtin-names';

describe('earlier dates', () => {
  test('a week, a month and a quarter before, month ends clamped', () => {
    expect(earlierDate('2024-03-08', 'week')).toBe('2024-03-01');
    expect(earlierDate('2024-03-31', 'month')).toBe('2024-02-29');
    expect(earlierDate('2024-01-15', 'month')).toBe('2023-12-15');
    expect(earlierDate('2024-05-31', 'quarter')).toBe('2024-02-29');
    expect(monthsBefore('2023-05-31', 3)).toBe('2023-02-28');
    expect(monthsBefore('2024-12-31', 12)).toBe('2023-12-31');
    expect(() => earlierDate('2024-02-30', 'week')).toThrow(/invalid date/);
  });
});

let db: TestDb;
const rows: OrderRow[] = [];
const isoDay = (n: number) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = await openTestDb();
  const rand = seeded(17);
  // 150 customers over about 500 days: some stop early, some start late, a few refunds.
  for (let c = 0; c < 150; c++) {
    const start = Math.floor(rand() * 480);
    const n = 1 + Math.floor(rand() * rand() * 9);
    for (let k = 0; k < n; k++) {
      const day = Math.min(499, start + Math.floor(rand() * 120));
      rows.push({ c: `c${String(c).padStart(3, '0')}`, d: isoDay(day), a: Math.round(rand() * 20000) / 100 });
    }
    if (rand() < 0.08) rows.push({ c: `c${String(c).padStart(3, '0')}`, d: isoDay(Math.min(499, start + 3)), a: -10 });
  }
  db.exec(fixtureSql('cmp_orders', rows));
});

const TO = '2024-05-15';
const FROM = earlierDate(TO, 'quarter');

function specAt(asOf: string, scoring: RfmSpec['scoring']): RfmSpec {
  return { ...defaultRfmSpec('cmp_orders', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null }), asOf, scoring };
}

const scorings: [string, RfmSpec['scoring']][] = [
  ['quintiles', { method: 'quantile' }],
  ['fixed cut points', { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [50, 150, 300, 600] }],
];

describe.each(scorings)('the comparison with %s', (_name, scoring) => {
  test('sizes and revenue at both dates match the reference, and the matrix its hand count', () => {
    const then = referenceRfm(rows, specAt(FROM, scoring), DEFAULT_RFM_RULES);
    const now = referenceRfm(rows, specAt(TO, scoring), DEFAULT_RFM_RULES);
    // Independent tallies.
    const want = new Map<string, { ct: number; cn: number; rt: number; rn: number }>();
    const at = (s: string) => want.get(s) ?? (want.set(s, { ct: 0, cn: 0, rt: 0, rn: 0 }), want.get(s)!);
    for (const c of then.values()) {
      at(c.segment).ct += 1;
      at(c.segment).rt += c.revenue;
    }
    for (const c of now.values()) {
      at(c.segment).cn += 1;
      at(c.segment).rn += c.revenue;
    }
    const flows = new Map<string, number>();
    for (const id of new Set([...then.keys(), ...now.keys()])) {
      const key = `${then.get(id)?.segment ?? NEW_SEGMENT}→${now.get(id)?.segment ?? DEPARTED_SEGMENT}`;
      flows.set(key, (flows.get(key) ?? 0) + 1);
    }

    const a = rfmMembership(specAt(TO, scoring), DEFAULT_RFM_RULES, FROM, null);
    const b = rfmMembership(specAt(TO, scoring), DEFAULT_RFM_RULES, TO, null);
    const got = db.rows(segmentSizesSql(a, b)) as unknown as SegmentSizesRow[];
    expect(got.map((r) => r.segment).sort()).toEqual([...want.keys()].sort());
    for (const r of got) {
      const w = want.get(r.segment)!;
      expect([r.segment, r.customers_then, r.customers_now]).toEqual([r.segment, w.ct, w.cn]);
      expect(r.revenue_then).toBeCloseTo(w.rt, 2);
      expect(r.revenue_now).toBeCloseTo(w.rn, 2);
    }
    // Something did change over the quarter, or the test would prove little.
    expect(got.some((r) => r.customers_then !== r.customers_now)).toBe(true);
    expect(then.size).toBeLessThan(now.size);

    const sql = comparisonSql(a, b, { source: 'cmp_orders', customerId: 'c', orderDate: 'd', amount: 'a' }, FROM, TO, 'cmp_moves');
    db.exec(sql.movement);
    const matrixRows = db.rows(sql.matrix) as unknown as MovementFlow[];
    const table = movementTable(matrixRows, DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)));
    let cells = 0;
    table.rows.forEach((from, i) =>
      table.columns.forEach((to, j) => {
        expect(table.counts[i][j], `${from} → ${to}`).toBe(flows.get(`${from}→${to}`) ?? 0);
        cells += table.counts[i][j];
      }),
    );
    expect(cells).toBe(new Set([...then.keys(), ...now.keys()]).size);

    // The report rows: rule order, totals = all customers at each date.
    const report = comparisonRows(got, DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)));
    const order = DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)).filter((s) => want.has(s));
    expect(report.map((r) => r.segment).slice(0, order.length)).toEqual(order);
    const totals = comparisonTotals(report);
    expect([totals.customersThen, totals.customersNow]).toEqual([then.size, now.size]);
  });
});
