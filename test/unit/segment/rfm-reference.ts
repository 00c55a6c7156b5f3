/**
 * An independent RFM reference for the tests: plain TypeScript loops over the fixture rows,
 * following the definitions documented in src/lib/segment/rfm-sql.ts (not its SQL).
 * Money is kept in exact integer units of 1/10000 so sums match DuckDB's DECIMAL sums.
 */
import { segmentLabel } from '../../../src/lib/segment/builtin-names';
import { assignSegment, UNASSIGNED, type SegmentRule } from '../../../src/lib/segment/rfm-rules';
import type { RfmSpec } from '../../../src/lib/segment/rfm-spec';
import { literal } from '../../../src/lib/sql/quote';

/** One fixture row: customer, date text (or null), amount (or null), order id. */
export interface OrderRow {
  c: string | null;
  d: string | null;
  a: number | null;
  o?: string | null;
}

/** The reference result for one customer. */
export interface RefCustomer {
  customer_id: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  revenue: number;
  r_score: number;
  f_score: number;
  m_score: number;
  rfm_cell: string;
  segment: string;
}

/** `CREATE TABLE name (c VARCHAR, d VARCHAR, a DOUBLE, o VARCHAR) AS VALUES ...` for the rows. */
export function fixtureSql(table: string, rows: OrderRow[], cols = { c: 'c', d: 'd', a: 'a', o: 'o' }, dateType = 'VARCHAR'): string {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const values = rows
    .map((r) => `(${literal(r.c)}, CAST(${literal(r.d)} AS ${dateType}), CAST(${r.a === null ? 'NULL' : literal(r.a)} AS DOUBLE), ${literal(r.o ?? null)})`)
    .join(',\n');
  return `CREATE TABLE ${q(table)} (${q(cols.c)} VARCHAR, ${q(cols.d)} ${dateType}, ${q(cols.a)} DOUBLE, ${q(cols.o)} VARCHAR);
INSERT INTO ${q(table)} VALUES ${values};`;
}

/** Days since 1970-01-01 of a yyyy-mm-dd (optionally followed by a time) text, or null if it is not a real date. */
export function dayNumber(text: string | null): number | null {
  if (text === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})([ T]\d{2}:\d{2}(:\d{2})?)?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / 86_400_000;
}

/** Rounds half away from zero to cents, as DuckDB's round(x, 2) on a DOUBLE does. */
export function roundCents(x: number): number {
  return (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100;
}

/** Exact cents of an amount in 1/10000 units, half away from zero (DuckDB's DECIMAL round). */
function unitsToCents(units: number): number {
  const cents = Math.floor((Math.abs(units) + 50) / 100);
  return (Math.sign(units) * cents) / 100;
}

/** NTILE(5) bucket of 1-based position p among n: the first n mod 5 buckets hold one more. */
export function ntile5(p: number, n: number): number {
  const q = Math.floor(n / 5);
  const r = n % 5;
  let end = 0;
  for (let b = 1; b <= 5; b++) {
    end += q + (b <= r ? 1 : 0);
    if (p <= end) return b;
  }
  return 5;
}

/**
 * Quantile scores of a list of values (issue 14 method), computed by walking the distinct values
 * with their running counts rather than by indexing: returns value -> score 1..5.
 * Fewer than five distinct values: the j-th smallest scores j. Otherwise score k (k = 1..4) ends
 * at the first distinct value whose running count reaches the NTILE(5) end of bucket k, moved up
 * past the end of score k - 1 and down so that every later score keeps one distinct value.
 */
export function quantileScores(values: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinct = [...counts.keys()].sort((a, b) => a - b);
  const n = values.length;
  const out = new Map<number, number>();
  if (distinct.length < 5) {
    distinct.forEach((v, j) => out.set(v, j + 1));
    return out;
  }
  // 1-based distinct positions ending scores 1..4.
  const ends: number[] = [];
  for (let k = 1; k <= 4; k++) {
    let target = 0;
    for (let p = 1; p <= n; p++) if (ntile5(p, n) === k) target = p;
    let running = 0;
    let j = 0;
    while (running < target) running += counts.get(distinct[j++])!;
    const earliest = k === 1 ? 1 : ends[k - 2] + 1;
    const latest = distinct.length - (5 - k);
    ends.push(Math.min(Math.max(j, earliest), latest));
  }
  let score = 1;
  distinct.forEach((v, j) => {
    while (score <= 4 && j + 1 > ends[score - 1]) score++;
    out.set(v, score);
  });
  return out;
}

/** Threshold score: 1 when v <= c[0], 2 when v <= c[1], ..., 5 above c[3]. */
export function thresholdScore(cuts: number[], v: number): number {
  for (let i = 0; i < cuts.length; i++) if (v <= cuts[i]) return i + 1;
  return cuts.length + 1;
}

/** RFM per customer by the documented definitions, computed with loops. */
export function referenceRfm(rows: OrderRow[], spec: RfmSpec, rules: readonly SegmentRule[]): Map<string, RefCustomer> {
  const from = dayNumber(spec.window.from);
  const to = dayNumber(spec.window.to);
  const givenAsOf = dayNumber(spec.asOf);
  const useOrderIds = spec.orderId !== null && !spec.orderIdsUnique;
  const used = rows
    .map((r) => ({ ...r, day: dayNumber(r.d) }))
    .filter((r) => r.c !== null && r.day !== null && r.a !== null)
    .filter((r) => (from === null || r.day! >= from) && (to === null || r.day! <= to))
    .filter((r) => givenAsOf === null || r.day! < givenAsOf)
    .filter((r) => spec.negatives === 'net' || r.a! >= 0);
  let asOf = givenAsOf;
  if (asOf === null) {
    asOf = -Infinity;
    for (const r of used) asOf = Math.max(asOf, r.day! + 1);
  }
  const byCustomer = new Map<string, typeof used>();
  for (const r of used) {
    const list = byCustomer.get(r.c!) ?? [];
    list.push(r);
    byCustomer.set(r.c!, list);
  }
  const measures: Omit<RefCustomer, 'r_score' | 'f_score' | 'm_score' | 'rfm_cell' | 'segment'>[] = [];
  for (const [customer, list] of byCustomer) {
    const purchases = list.filter((r) => r.a! >= 0);
    if (purchases.length === 0) continue;
    let last = -Infinity;
    for (const r of purchases) last = Math.max(last, r.day!);
    let frequency: number;
    if (useOrderIds) {
      const ids = new Set<string>();
      let withoutId = 0;
      for (const r of purchases) {
        if (r.o === null || r.o === undefined) withoutId++;
        else ids.add(r.o);
      }
      frequency = ids.size + withoutId;
    } else frequency = purchases.length;
    let units = 0;
    for (const r of list) units += Math.round(r.a! * 10_000);
    const revenue = unitsToCents(units);
    const monetary = spec.monetary === 'total' ? revenue : roundCents(units / 10_000 / frequency);
    measures.push({ customer_id: customer, recency_days: asOf - last, frequency, monetary, revenue });
  }
  const scoresR = quantileScores(measures.map((m) => m.recency_days));
  const scoresF = quantileScores(measures.map((m) => m.frequency));
  const scoresM = quantileScores(measures.map((m) => m.monetary));
  const result = new Map<string, RefCustomer>();
  for (const m of measures) {
    let r: number, f: number, mm: number;
    if (spec.scoring.method === 'quantile') {
      r = 6 - scoresR.get(m.recency_days)!;
      f = scoresF.get(m.frequency)!;
      mm = scoresM.get(m.monetary)!;
    } else {
      r = 6 - thresholdScore(spec.scoring.r, m.recency_days);
      f = thresholdScore(spec.scoring.f, m.frequency);
      mm = thresholdScore(spec.scoring.m, m.monetary);
    }
    result.set(m.customer_id, {
      ...m,
      r_score: r,
      f_score: f,
      m_score: mm,
      rfm_cell: `${r}${f}${mm}`,
      segment: segmentLabel(assignSegment(rules, r, f, mm) ?? UNASSIGNED),
    });
  }
  return result;
}

/** A small seeded generator (mulberry32) so random fixtures are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
