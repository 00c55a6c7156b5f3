/**
 * The RFM segment rule table: named ranges of R, F and M scores, evaluated in order, first
 * match wins. The same table drives the SQL CASE and the reference JS assignment.
 * Built-in names, descriptions and actions are catalogue keys (see builtin-names.ts); the SQL
 * writes each name as shown in the current language.
 */
import { ident, num, str } from '../sql/quote';
import { segmentLabel } from './builtin-names';

/** One segment: inclusive score ranges on 1..5 for R, F and M, with what it means and what to do. */
export interface SegmentRule {
  /** A built-in name's key (`rfm.seg.champions`) or the user's own name. */
  name: string;
  r: [number, number];
  f: [number, number];
  m: [number, number];
  /** A built-in description's key or the user's text. */
  description: string;
  /** A built-in action's key or the user's text. */
  action: string;
}

/** The segment (key) given to a customer no rule matches: "Unassigned" in English. */
export const UNASSIGNED = 'rfm.seg.unassigned';

/**
 * The default 11 segments, in evaluation order. Every one of the 125 (R, F, M) cells is matched
 * by a rule, and each rule is the first match for at least one cell (see `ruleCoverage`).
 * Later rules are written as the remainder of their R band: e.g. Potential Loyalist is
 * "R 4-5, F 2-5" and only receives what Champions and Loyal Customers left.
 */
export const DEFAULT_RFM_RULES: readonly SegmentRule[] = [
  {
    name: 'rfm.seg.champions',
    r: [4, 5], f: [4, 5], m: [4, 5],
    description: 'rfm.segDesc.champions',
    action: 'rfm.segAction.champions',
  },
  {
    name: 'rfm.seg.loyal',
    r: [3, 5], f: [3, 5], m: [3, 5],
    description: 'rfm.segDesc.loyal',
    action: 'rfm.segAction.loyal',
  },
  {
    name: 'rfm.seg.new',
    r: [5, 5], f: [1, 1], m: [1, 5],
    description: 'rfm.segDesc.new',
    action: 'rfm.segAction.new',
  },
  {
    name: 'rfm.seg.promising',
    r: [3, 4], f: [1, 1], m: [1, 5],
    description: 'rfm.segDesc.promising',
    action: 'rfm.segAction.promising',
  },
  {
    name: 'rfm.seg.potentialLoyalist',
    r: [4, 5], f: [2, 5], m: [1, 5],
    description: 'rfm.segDesc.potentialLoyalist',
    action: 'rfm.segAction.potentialLoyalist',
  },
  {
    name: 'rfm.seg.needAttention',
    r: [3, 3], f: [2, 5], m: [1, 5],
    description: 'rfm.segDesc.needAttention',
    action: 'rfm.segAction.needAttention',
  },
  {
    name: 'rfm.seg.cantLose',
    r: [1, 1], f: [4, 5], m: [4, 5],
    description: 'rfm.segDesc.cantLose',
    action: 'rfm.segAction.cantLose',
  },
  {
    name: 'rfm.seg.atRisk',
    r: [1, 2], f: [3, 5], m: [3, 5],
    description: 'rfm.segDesc.atRisk',
    action: 'rfm.segAction.atRisk',
  },
  {
    name: 'rfm.seg.aboutToSleep',
    r: [2, 2], f: [1, 5], m: [1, 5],
    description: 'rfm.segDesc.aboutToSleep',
    action: 'rfm.segAction.aboutToSleep',
  },
  {
    name: 'rfm.seg.hibernating',
    r: [1, 1], f: [2, 5], m: [1, 5],
    description: 'rfm.segDesc.hibernating',
    action: 'rfm.segAction.hibernating',
  },
  {
    name: 'rfm.seg.lost',
    r: [1, 1], f: [1, 1], m: [1, 5],
    description: 'rfm.segDesc.lost',
    action: 'rfm.segAction.lost',
  },
];

/**
 * Default descriptions of earlier versions that claimed what the scores cannot promise ("bought
 * once" when F 1 also held two-order customers; "do not yet spend the most" for a rule that takes
 * any M), by the key of the current default description; notebooks saved with them show the
 * current default instead (issue 14).
 */
export const LEGACY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'rfm.segDesc.new': 'Made their first purchase very recently.',
  'rfm.segDesc.promising': 'Bought once, fairly recently.',
  'rfm.segDesc.potentialLoyalist': 'Recent customers with several orders who do not yet spend the most.',
  'rfm.segDesc.hibernating': 'Last purchase long ago; bought more than once, but little.',
  'rfm.segDesc.lost': 'Bought once, a long time ago.',
};

/**
 * The description to store or show for a rule (a key or text): its own, or the current default's
 * key when it still holds an outdated default text of that rule.
 */
export function ruleDescription(rule: Pick<SegmentRule, 'name' | 'description'>): string {
  const current = DEFAULT_RFM_RULES.find((r) => r.name === rule.name)?.description;
  if (current && LEGACY_DESCRIPTIONS[current] === rule.description) return current;
  return rule.description;
}

type ScoreRule = Pick<SegmentRule, 'name' | 'r' | 'f' | 'm'>;

function inRange(v: number, [lo, hi]: [number, number]): boolean {
  return v >= lo && v <= hi;
}

function matches(rule: ScoreRule, r: number, f: number, m: number): boolean {
  return inRange(r, rule.r) && inRange(f, rule.f) && inRange(m, rule.m);
}

/** The segment of a score triple by first match (reference implementation of the SQL CASE); null if none matches. */
export function assignSegment(rules: readonly ScoreRule[], r: number, f: number, m: number): string | null {
  for (const rule of rules) if (matches(rule, r, f, m)) return rule.name;
  return null;
}

/** How a rule table covers the 125 score triples. */
export interface RuleCoverage {
  /** Triples no rule matches. */
  unassigned: [number, number, number][];
  /** Names of rules that are never the first match (fully shadowed by earlier rules, or empty). */
  unreachable: string[];
  /** Number of triples matched by more than one rule (harmless: first match wins). */
  overlaps: number;
  /** Triples per rule name by first match. */
  counts: Record<string, number>;
}

/** Checks a rule table against all 125 (R, F, M) score triples. */
export function ruleCoverage(rules: readonly ScoreRule[]): RuleCoverage {
  const counts: Record<string, number> = {};
  for (const rule of rules) counts[rule.name] = 0;
  const unassigned: [number, number, number][] = [];
  let overlaps = 0;
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      for (let m = 1; m <= 5; m++) {
        const matching = rules.filter((rule) => matches(rule, r, f, m));
        if (matching.length === 0) unassigned.push([r, f, m]);
        else counts[matching[0].name] += 1;
        if (matching.length > 1) overlaps += 1;
      }
    }
  }
  const unreachable = rules.filter((rule) => counts[rule.name] === 0).map((rule) => rule.name);
  return { unassigned, unreachable, overlaps, counts };
}

/**
 * Problems with a rule table (ranges within 1..5 and ordered, names present and unique as shown
 * by `label`, the current language by default); empty when valid.
 */
export function validateRules(rules: readonly ScoreRule[], label: (name: string) => string = segmentLabel): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const unassigned = label(UNASSIGNED);
  rules.forEach((rule, i) => {
    const shown = typeof rule.name === 'string' ? label(rule.name) : rule.name;
    const name = shown?.trim() ? `'${shown}'` : `rule ${i + 1}`;
    if (!shown?.trim()) problems.push(`rule ${i + 1} has no name`);
    else if (shown === unassigned) problems.push(`'${unassigned}' is reserved for customers no rule matches`);
    else if (seen.has(shown)) problems.push(`${name} appears more than once`);
    seen.add(shown);
    for (const key of ['r', 'f', 'm'] as const) {
      const range = rule[key];
      const letter = key.toUpperCase();
      if (!Array.isArray(range) || range.length !== 2) {
        problems.push(`${name}: ${letter} needs a range [from, to]`);
        continue;
      }
      const [lo, hi] = range;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 5 || lo > 5 || hi < 1) {
        problems.push(`${name}: ${letter} range ${lo}-${hi} must use whole scores from 1 to 5`);
      } else if (lo > hi) {
        problems.push(`${name}: ${letter} range ${lo}-${hi} starts above its end`);
      }
    }
  });
  return problems;
}

/**
 * A SQL CASE expression giving the segment name by first match over the score columns
 * `rCol`, `fCol`, `mCol` (column names, quoted here), with ELSE 'Unassigned'. Names are written
 * as `label` shows them (the current language by default).
 * Throws on an invalid table rather than producing SQL that silently misassigns.
 */
export function segmentCaseSql(rules: readonly ScoreRule[], rCol: string, fCol: string, mCol: string, label: (name: string) => string = segmentLabel): string {
  const problems = validateRules(rules, label);
  if (problems.length) throw new Error(`invalid segment rules: ${problems.join('; ')}`);
  if (rules.length === 0) return str(label(UNASSIGNED));
  const between = (col: string, [lo, hi]: [number, number]) => `${ident(col)} BETWEEN ${num(lo)} AND ${num(hi)}`;
  const whens = rules.map(
    (rule) =>
      `WHEN ${between(rCol, rule.r)} AND ${between(fCol, rule.f)} AND ${between(mCol, rule.m)} THEN ${str(label(rule.name))}`,
  );
  return `CASE\n    ${whens.join('\n    ')}\n    ELSE ${str(label(UNASSIGNED))}\n  END`;
}
