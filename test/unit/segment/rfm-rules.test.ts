import { describe, expect, test } from 'vitest';
import { openTestDb } from '../helpers/duckdb';
import {
  assignSegment,
  DEFAULT_RFM_RULES,
  ruleCoverage,
  ruleDescription,
  segmentCaseSql,
  validateRules,
  type SegmentRule,
} from '../../../src/lib/segment/rfm-rules';
import { builtinText, segmentLabel } from '../../../src/lib/segment/builtin-names';

const NAMES = [
  'Champions', 'Loyal Customers', 'Potential Loyalist', 'New Customers', 'Promising', 'Need Attention',
  'About To Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost',
];

function allCombos(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) out.push([r, f, m]);
  return out;
}

const rule = (name: string, r: [number, number], f: [number, number], m: [number, number]): SegmentRule => ({
  name, r, f, m, description: '', action: '',
});

describe('DEFAULT_RFM_RULES', () => {
  test('has the 11 named segments, each with a description and an action (all catalogue keys)', () => {
    expect(DEFAULT_RFM_RULES.map((r) => segmentLabel(r.name)).sort()).toEqual([...NAMES].sort());
    for (const r of DEFAULT_RFM_RULES) {
      expect(r.name).toMatch(/^rfm\.seg\./);
      expect(builtinText(r.description).length).toBeGreaterThan(10);
      expect(builtinText(r.action).length).toBeGreaterThan(10);
    }
    expect(validateRules(DEFAULT_RFM_RULES)).toEqual([]);
  });

  test('every one of the 125 (R, F, M) combinations is assigned by first match, and every rule is reachable', () => {
    const firstMatch: Record<string, number> = {};
    for (const [r, f, m] of allCombos()) {
      const seg = assignSegment(DEFAULT_RFM_RULES, r, f, m);
      expect(seg, `${r}${f}${m}`).not.toBeNull();
      firstMatch[seg!] = (firstMatch[seg!] ?? 0) + 1;
    }
    expect(Object.keys(firstMatch).map(segmentLabel).sort()).toEqual([...NAMES].sort());
    expect(Object.values(firstMatch).reduce((a, b) => a + b, 0)).toBe(125);

    const cov = ruleCoverage(DEFAULT_RFM_RULES);
    expect(cov.unassigned).toEqual([]);
    expect(cov.unreachable).toEqual([]);
    expect(cov.counts).toEqual(firstMatch);
    // Overlaps are allowed (first match wins): later rules are written as the rest of their R band.
    expect(cov.overlaps).toBe(45);
  });

  test('typical cells land where a marketer expects', () => {
    const seg = (r: number, f: number, m: number) => segmentLabel(assignSegment(DEFAULT_RFM_RULES, r, f, m)!);
    expect(seg(5, 5, 5)).toBe('Champions');
    expect(seg(5, 1, 1)).toBe('New Customers');
    expect(seg(1, 5, 5)).toBe("Can't Lose Them");
    expect(seg(2, 4, 4)).toBe('At Risk');
    expect(seg(1, 1, 1)).toBe('Lost');
    expect(seg(3, 3, 3)).toBe('Loyal Customers');
    expect(seg(3, 2, 2)).toBe('Need Attention');
  });
});

describe('rule tables', () => {
  test('ruleCoverage reports unassigned combinations and shadowed rules', () => {
    const broken = [
      rule('Everyone recent', [3, 5], [1, 5], [1, 5]),
      rule('Shadowed', [4, 5], [4, 5], [4, 5]), // inside the first rule: never the first match
      rule('Old regulars', [1, 2], [2, 5], [1, 5]), // R 1-2 with F 1 is left unassigned
    ];
    const cov = ruleCoverage(broken);
    expect(cov.unreachable).toEqual(['Shadowed']);
    expect(cov.unassigned).toHaveLength(10);
    expect(cov.unassigned).toContainEqual([1, 1, 1]);
    expect(cov.unassigned).toContainEqual([2, 1, 5]);
    expect(cov.overlaps).toBe(8);
    expect(cov.counts).toEqual({ 'Everyone recent': 75, Shadowed: 0, 'Old regulars': 40 });
    expect(assignSegment(broken, 1, 1, 1)).toBeNull();
  });

  test('validateRules catches bad ranges and names', () => {
    const problems = validateRules([
      rule('', [1, 5], [1, 5], [1, 5]),
      rule('A', [0, 5], [1, 5], [1, 5]),
      rule('A', [1, 5], [4, 2], [1, 5]),
      rule('B', [1, 5], [1, 5], [1.5, 5]),
      rule('Unassigned', [1, 5], [1, 5], [1, 5]),
    ]);
    expect(problems).toEqual([
      'rule 1 has no name',
      "'A': R range 0-5 must use whole scores from 1 to 5",
      "'A' appears more than once",
      "'A': F range 4-2 starts above its end",
      "'B': M range 1.5-5 must use whole scores from 1 to 5",
      "'Unassigned' is reserved for customers no rule matches",
    ]);
    expect(() => segmentCaseSql([rule('A', [0, 5], [1, 5], [1, 5])], 'r', 'f', 'm')).toThrow(/invalid segment rules/);
  });

  test('segmentCaseSql agrees with assignSegment on all 125 combinations in DuckDB, quoting names', async () => {
    const db = await openTestDb();
    const tables: SegmentRule[][] = [
      [...DEFAULT_RFM_RULES],
      [rule(`O'Brien "quoted" 客户`, [4, 5], [1, 5], [1, 5]), rule('Rest', [1, 3], [2, 5], [1, 5])],
      [],
    ];
    for (const rules of tables) {
      const sql = `SELECT r."r s" AS r, f."f""s" AS f, m.m AS m, ${segmentCaseSql(rules, 'r s', 'f"s', 'm')} AS segment
        FROM range(1, 6) r("r s"), range(1, 6) f("f""s"), range(1, 6) m(m)`;
      const rows = db.rows(sql);
      expect(rows).toHaveLength(125);
      for (const row of rows) {
        const want = segmentLabel(assignSegment(rules, row.r as number, row.f as number, row.m as number) ?? 'rfm.seg.unassigned');
        expect(row.segment).toBe(want);
      }
    }
  });
});

test('issue 14: notebooks saved with a default description that claimed "bought once" show the current default', () => {
  const lost = DEFAULT_RFM_RULES.find((r) => r.name === 'rfm.seg.lost')!;
  expect(ruleDescription({ name: 'rfm.seg.lost', description: 'Bought once, a long time ago.' })).toBe(lost.description);
  expect(builtinText(lost.description)).not.toMatch(/once/);
  expect(ruleDescription({ name: 'rfm.seg.lost', description: 'My own words' })).toBe('My own words');
  expect(ruleDescription({ name: 'Elsewhere', description: 'Bought once, a long time ago.' })).toBe('Bought once, a long time ago.');
});
