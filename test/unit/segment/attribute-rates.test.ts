/**
 * Issue 14: rates by group ("churn rate by gender × senior citizen"). A seeded Telco-like table
 * goes through attributeRateSql in DuckDB; every group's base, hits and rate are counted here
 * with plain loops, and the Wilson interval is computed another way: as the two roots of
 * (1 + z²/n) p² - (2 p̂ + z²/n) p + p̂² = 0 (the points where |p̂ - p| = z·sqrt(p(1-p)/n)).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { attributeRateSql, validateRate, WILSON_Z, type RateRow } from '../../../src/lib/segment/attribute-rates';
import type { BandSpec } from '../../../src/lib/segment/attribute-bands';
import { literal } from '../../../src/lib/sql/quote';
import { seeded } from './rfm-reference';

interface Person {
  gender: string | null;
  senior: number;
  partner: boolean;
  churn: string | null;
  tenure: number;
}

const COLUMNS = [
  { name: 'customer_id', type: 'VARCHAR' },
  { name: 'gender', type: 'VARCHAR' },
  { name: 'SeniorCitizen', type: 'BIGINT' },
  { name: 'Partner', type: 'BOOLEAN' },
  { name: 'Churn', type: 'VARCHAR' },
  { name: 'tenure', type: 'DOUBLE' },
];

let db: TestDb;
const people: Person[] = [];
beforeAll(async () => {
  db = await openTestDb();
  const rand = seeded(2014);
  for (let i = 0; i < 1500; i++) {
    const senior = rand() < 0.16 ? 1 : 0;
    const partner = rand() < 0.48;
    const churn = rand() < 0.02 ? null : rand() < (senior ? 0.42 : 0.24) + (partner ? -0.08 : 0.05) ? 'Yes' : 'No';
    people.push({ gender: rand() < 0.01 ? null : rand() < 0.5 ? 'Female' : 'Male', senior, partner, churn, tenure: Math.floor(rand() * 72) });
  }
  db.exec(`CREATE TABLE telco (customer_id VARCHAR, gender VARCHAR, "SeniorCitizen" BIGINT, "Partner" BOOLEAN, "Churn" VARCHAR, tenure DOUBLE)`);
  db.exec(`INSERT INTO telco VALUES ${people.map((p, i) => `('c${i}', ${literal(p.gender)}, ${p.senior}, ${p.partner}, ${literal(p.churn)}, ${p.tenure})`).join(', ')}`);
});

/** The Wilson interval as the roots of its quadratic. */
function wilsonRoots(hits: number, n: number): [number, number] {
  const z2 = WILSON_Z * WILSON_Z;
  const ph = hits / n;
  const a = 1 + z2 / n;
  const b = -(2 * ph + z2 / n);
  const c = ph * ph;
  const d = Math.sqrt(b * b - 4 * a * c);
  return [(-b - d) / (2 * a), (-b + d) / (2 * a)];
}

function run(bands: BandSpec[], value = 'Yes', column = 'Churn', minBase = 30): RateRow[] {
  return db.rows(attributeRateSql('telco', bands, { column, value, minBase }, COLUMNS)) as unknown as RateRow[];
}

const GENDER: BandSpec = { column: 'gender', kind: 'category', minShare: 0, maxGroups: 20 };
const SENIOR: BandSpec = { column: 'SeniorCitizen', kind: 'quantile', bins: 4 };
const PARTNER: BandSpec = { column: 'Partner', kind: 'category', minShare: 0, maxGroups: 20 };

describe('churn rate by group', () => {
  test('gender × senior citizen: base, hits, rate and Wilson interval per group match an independent count', () => {
    const got = run([GENDER, SENIOR]);
    // Groups: Female/Male by size, then (empty); SeniorCitizen 0 and 1 (one band per value).
    expect(got.map((r) => `${r.band_1}|${r.band_2}`).sort()).toEqual(['(empty)|0', '(empty)|1', 'Female|0', 'Female|1', 'Male|0', 'Male|1']);
    for (const r of got) {
      const members = people.filter((p) => (r.band_1 === '(empty)' ? p.gender === null : p.gender === r.band_1) && String(p.senior) === r.band_2);
      const base = members.filter((p) => p.churn !== null).length;
      const hits = members.filter((p) => p.churn === 'Yes').length;
      expect([r.rows, r.base, r.hits]).toEqual([members.length, base, hits]);
      if (base === 0) {
        expect([r.rate, r.ci_low, r.ci_high]).toEqual([null, null, null]);
        continue;
      }
      expect(r.rate).toBeCloseTo(hits / base, 12);
      const [lo, hi] = wilsonRoots(hits, base);
      expect(r.ci_low!).toBeCloseTo(lo, 9);
      expect(r.ci_high!).toBeCloseTo(hi, 9);
      expect(r.ci_low!).toBeLessThanOrEqual(r.rate! + 1e-12);
      expect(r.ci_high!).toBeGreaterThanOrEqual(r.rate! - 1e-12);
      expect(r.small).toBe(base < 30);
    }
    // The empty-gender groups are small (about 1 % of 1,500) and flagged.
    expect(got.filter((r) => r.band_1 === '(empty)').every((r) => r.small)).toBe(true);
    expect(got.filter((r) => r.band_1 !== '(empty)').some((r) => !r.small)).toBe(true);
  });

  test('three grouping columns, a boolean value and a numeric value', () => {
    const got = run([GENDER, SENIOR, PARTNER]);
    expect(got).toHaveLength(3 * 2 * 2);
    for (const r of got) {
      const members = people.filter((p) => (r.band_1 === '(empty)' ? p.gender === null : p.gender === r.band_1) && String(p.senior) === r.band_2 && String(p.partner) === r.band_3);
      expect([r.rows, r.hits]).toEqual([members.length, members.filter((p) => p.churn === 'Yes').length]);
    }
    // Share of partners (a BOOLEAN counted as "true") by senior citizen; share of seniors ("1") by gender.
    const partners = run([SENIOR], 'true', 'Partner', 0);
    for (const r of partners) {
      const m = people.filter((p) => String(p.senior) === r.band_1);
      expect([r.base, r.hits]).toEqual([m.length, m.filter((p) => p.partner).length]);
    }
    const seniors = run([GENDER], '1', 'SeniorCitizen', 0);
    const female = seniors.find((r) => r.band_1 === 'Female')!;
    expect(female.hits).toBe(people.filter((p) => p.gender === 'Female' && p.senior === 1).length);
    expect(female.small).toBe(false);
  });

  test('settings problems are keyed for the catalogue', () => {
    expect(validateRate({ column: 'Churn', value: 'Yes', minBase: 30 }, [GENDER], COLUMNS)).toEqual([]);
    expect(validateRate({ column: 'nope', value: '', minBase: -1 }, [], COLUMNS).map((p) => p.key)).toEqual(['seg.rate.err.column', 'seg.rate.err.value', 'seg.rate.err.bands', 'seg.rate.err.minBase']);
  });
});
