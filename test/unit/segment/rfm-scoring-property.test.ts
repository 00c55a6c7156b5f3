/**
 * Issue 14: RFM scores keep their meaning on skewed data. Many seeded generated datasets (most
 * customers buying once, heavy-tailed spend, all-equal values, few customers, few distinct
 * values) are scored by the SQL; every property is checked against per-customer measures
 * computed here from the raw rows with plain loops (not the SQL, not rfm-reference's scorer):
 * - no empty score level when the measure has at least five distinct values;
 * - F 1 is exactly the one-order customers whenever they are at least a fifth of all customers;
 * - equal values, equal scores; a larger value never scores lower (R: reversed);
 * - every default segment's description (from the run's score ranges) holds for every member,
 *   and so for the members' averages; "bought once" only when every member has one order.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { DEFAULT_RFM_RULES } from '../../../src/lib/segment/rfm-rules';
import { defaultRfmSpec } from '../../../src/lib/segment/rfm-spec';
import { rfmSql } from '../../../src/lib/segment/rfm-sql';
import { rfmScoreRangesSql, type RfmScoreRange } from '../../../src/lib/segment/rfm-views';
import { describeRule, ruleSpans } from '../../../src/lib/segment/rfm-describe';
import { fixtureSql, referenceRfm, seeded, type OrderRow } from './rfm-reference';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

type Shape = 'skewed' | 'mostlyOnce' | 'fewOnce' | 'allEqual' | 'few' | 'discrete';
const SHAPES: Shape[] = ['skewed', 'mostlyOnce', 'fewOnce', 'allEqual', 'few', 'discrete'];

function isoDay(day: number): string {
  return new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/** A generated orders table of the given shape; the same seed gives the same rows. */
function generate(shape: Shape, seed: number): OrderRow[] {
  const rand = seeded(seed);
  const customers = shape === 'few' ? 1 + Math.floor(rand() * 7) : 20 + Math.floor(rand() * 380);
  const once = shape === 'mostlyOnce' ? 0.6 + rand() * 0.35 : shape === 'fewOnce' ? rand() * 0.15 : shape === 'skewed' ? 0.4 + rand() * 0.3 : rand();
  const span = 1 + Math.floor(rand() * (rand() < 0.3 ? 6 : 700)); // sometimes very few distinct days
  const rows: OrderRow[] = [];
  for (let c = 0; c < customers; c++) {
    const id = `c${String(c).padStart(4, '0')}`;
    if (shape === 'allEqual') {
      rows.push({ c: id, d: '2024-01-10', a: 50 });
      continue;
    }
    let orders = 1;
    if (rand() >= once) {
      orders = 2;
      while (rand() < 0.55 && orders < 60) orders++; // heavy-ish tail of repeat orders
    }
    for (let k = 0; k < orders; k++) {
      const day = Math.floor(rand() * span);
      let amount: number;
      if (shape === 'discrete') amount = [10, 20, 50][Math.floor(rand() * 3)];
      else amount = Math.round(100 * 5 * Math.pow(1 - rand(), -1 / 1.3)) / 100; // Pareto spend
      rows.push({ c: id, d: isoDay(day), a: amount });
    }
  }
  return rows;
}

interface Measures {
  recency_days: number;
  frequency: number;
  monetary: number;
}

/** recency (days before the day after the last order), orders and total spend per customer, by loops. */
function measuresOf(rows: OrderRow[]): Map<string, Measures> {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  let last = -Infinity;
  for (const r of rows) last = Math.max(last, day(r.d!));
  const out = new Map<string, { latest: number; orders: number; cents: number }>();
  for (const r of rows) {
    const m = out.get(r.c!) ?? { latest: -Infinity, orders: 0, cents: 0 };
    m.latest = Math.max(m.latest, day(r.d!));
    m.orders += 1;
    m.cents += Math.round(r.a! * 100);
    out.set(r.c!, m);
  }
  return new Map([...out].map(([c, m]) => [c, { recency_days: last + 1 - m.latest, frequency: m.orders, monetary: m.cents / 100 }]));
}

const SCORE = { recency_days: 'r_score', frequency: 'f_score', monetary: 'm_score' } as const;
type Scored = Measures & { customer_id: string; r_score: number; f_score: number; m_score: number; segment: string };

let table = 0;
const cases = SHAPES.flatMap((shape) => Array.from({ length: 8 }, (_, i) => [shape, 1000 * (SHAPES.indexOf(shape) + 1) + i] as const));

describe('RFM quantile scores on skewed data (issue 14)', () => {
  test.each(cases)('%s dataset, seed %i', (shape, seed) => {
    const rows = generate(shape, seed);
    const name = `gen_${++table}`;
    db.exec(fixtureSql(name, rows));
    const spec = defaultRfmSpec(name, { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
    const sql = rfmSql(spec, DEFAULT_RFM_RULES);
    const got = db.rows(sql) as unknown as Scored[];
    const mine = measuresOf(rows);
    expect(got).toHaveLength(mine.size);

    // The SQL's measures are the ones computed here.
    for (const g of got) {
      const m = mine.get(g.customer_id)!;
      expect([g.recency_days, g.frequency]).toEqual([m.recency_days, m.frequency]);
      expect(g.monetary).toBeCloseTo(m.monetary, 6);
    }
    // And the scores are those of the reference scorer (another formulation of the method).
    const ref = referenceRfm(rows, spec, DEFAULT_RFM_RULES);
    for (const g of got) expect(`${g.r_score}${g.f_score}${g.m_score}`).toBe(ref.get(g.customer_id)!.rfm_cell);

    for (const measure of ['recency_days', 'frequency', 'monetary'] as const) {
      const score = SCORE[measure];
      const distinct = new Set(got.map((g) => mine.get(g.customer_id)![measure]));
      const levels = new Set(got.map((g) => g[score]));
      if (distinct.size >= 5) expect([...levels].sort()).toEqual([1, 2, 3, 4, 5]);
      else expect(levels.size).toBe(distinct.size); // fewer values: one score each, none merged
      // Equal values, equal scores; order kept (recency reversed).
      const sorted = [...got].sort((a, b) => mine.get(a.customer_id)![measure] - mine.get(b.customer_id)![measure]);
      for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [sorted[i - 1], sorted[i]];
        const [va, vb] = [mine.get(a.customer_id)![measure], mine.get(b.customer_id)![measure]];
        if (va === vb) expect(b[score]).toBe(a[score]);
        else if (measure === 'recency_days') expect(b[score]).toBeLessThanOrEqual(a[score]);
        else expect(b[score]).toBeGreaterThanOrEqual(a[score]);
      }
    }

    // F 1 = exactly one order when one-time buyers are at least a fifth of the customers.
    const oneTimers = new Set([...mine].filter(([, m]) => m.frequency === 1).map(([c]) => c));
    if (oneTimers.size * 5 >= mine.size) {
      expect(new Set(got.filter((g) => g.f_score === 1).map((g) => g.customer_id))).toEqual(oneTimers);
    }

    // Descriptions from the run's score ranges hold for every member of every default segment.
    db.exec(`CREATE VIEW ${name}_rfm AS ${sql}`);
    const ranges = db.rows(rfmScoreRangesSql(`${name}_rfm`)) as unknown as RfmScoreRange[];
    for (const rule of DEFAULT_RFM_RULES) {
      const members = got.filter((g) => g.segment === rule.name).map((g) => mine.get(g.customer_id)!);
      const spans = ruleSpans(rule, ranges);
      const phrases = describeRule(rule, ranges, 'total');
      if (members.length === 0) continue;
      expect(phrases.map((p) => p.key)).not.toContain('rfm.desc.nobody');
      for (const measure of ['recency_days', 'frequency', 'monetary'] as const) {
        const span = spans[measure];
        expect(span.kind).not.toBe('none');
        if (span.kind !== 'span') continue;
        const values = members.map((m) => m[measure]);
        const avg = values.reduce((s, v) => s + v, 0) / values.length;
        expect(Math.min(...values)).toBeGreaterThanOrEqual(span.lo - 1e-9);
        expect(Math.max(...values)).toBeLessThanOrEqual(span.hi + 1e-9);
        expect(avg).toBeGreaterThanOrEqual(span.lo - 1e-9);
        expect(avg).toBeLessThanOrEqual(span.hi + 1e-9);
      }
      if (phrases.some((p) => p.key === 'rfm.desc.once')) expect(members.every((m) => m.frequency === 1)).toBe(true);
      const orders = phrases.find((p) => p.key === 'rfm.desc.orders');
      if (orders) expect(members.every((m) => m.frequency >= orders.params.lo && m.frequency <= orders.params.hi)).toBe(true);
    }
  });

  test('60 % one-time buyers: F is 1, 2, 3, 4 and 5+ orders, not 1, 4, 5 (the case in the issue)', () => {
    // 60 one-timers, 10 with 2 orders, 10 with 3, 10 with 4, 10 with 5 .. 14 orders.
    const rows: OrderRow[] = [];
    const counts = [...Array(60).fill(1), ...Array(10).fill(2), ...Array(10).fill(3), ...Array(10).fill(4), ...Array.from({ length: 10 }, (_, i) => 5 + i)];
    counts.forEach((n, c) => {
      for (let k = 0; k < n; k++) rows.push({ c: `c${c}`, d: isoDay((c * 7 + k) % 300), a: 10 + c });
    });
    const name = `gen_${++table}`;
    db.exec(fixtureSql(name, rows));
    const spec = defaultRfmSpec(name, { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
    db.exec(`CREATE VIEW ${name}_rfm AS ${rfmSql(spec, DEFAULT_RFM_RULES)}`);
    const f = (db.rows(rfmScoreRangesSql(`${name}_rfm`)) as unknown as RfmScoreRange[]).filter((r) => r.measure === 'frequency');
    expect(f.map((r) => [r.score, r.customers, r.min_value, r.max_value])).toEqual([
      [5, 10, 5, 14],
      [4, 10, 4, 4],
      [3, 10, 3, 3],
      [2, 10, 2, 2],
      [1, 60, 1, 1],
    ]);
  });
});
