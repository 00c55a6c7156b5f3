/**
 * The RFM segment rule table: named ranges of R, F and M scores, evaluated in order, first
 * match wins. The same table drives the SQL CASE and the reference JS assignment.
 */
import { ident, num, str } from '../sql/quote';

/** One segment: inclusive score ranges on 1..5 for R, F and M, with what it means and what to do. */
export interface SegmentRule {
  name: string;
  r: [number, number];
  f: [number, number];
  m: [number, number];
  description: string;
  action: string;
}

/** The segment name given to a customer no rule matches. */
export const UNASSIGNED = 'Unassigned';

/**
 * The default 11 segments, in evaluation order. Every one of the 125 (R, F, M) cells is matched
 * by a rule, and each rule is the first match for at least one cell (see `ruleCoverage`).
 * Later rules are written as the remainder of their R band: e.g. Potential Loyalist is
 * "R 4-5, F 2-5" and only receives what Champions and Loyal Customers left.
 */
export const DEFAULT_RFM_RULES: readonly SegmentRule[] = [
  {
    name: 'Champions',
    r: [4, 5], f: [4, 5], m: [4, 5],
    description: 'Bought recently, buy often and spend the most.',
    action: 'Reward them: early access to new products, loyalty perks; ask for reviews and referrals.',
  },
  {
    name: 'Loyal Customers',
    r: [3, 5], f: [3, 5], m: [3, 5],
    description: 'Buy regularly and spend well; responsive to promotions.',
    action: 'Upsell higher-value products, enrol in a loyalty programme, ask for reviews.',
  },
  {
    name: 'New Customers',
    r: [5, 5], f: [1, 1], m: [1, 5],
    description: 'The most recent customers, with the fewest orders.',
    action: 'Onboard them: welcome series, help with the first use, a reason to come back.',
  },
  {
    name: 'Promising',
    r: [3, 4], f: [1, 1], m: [1, 5],
    description: 'Fairly recent customers with the fewest orders.',
    action: 'Build the relationship: free trials, a second-purchase incentive, brand content.',
  },
  {
    name: 'Potential Loyalist',
    r: [4, 5], f: [2, 5], m: [1, 5],
    description: 'Recent customers with repeat orders, but few of them or little spend (not yet Champions or Loyal Customers).',
    action: 'Offer membership or a loyalty programme; recommend related products.',
  },
  {
    name: 'Need Attention',
    r: [3, 3], f: [2, 5], m: [1, 5],
    description: 'Middling recency with repeat orders; slipping from regular to occasional.',
    action: 'Limited-time offers and recommendations based on past purchases to reactivate them.',
  },
  {
    name: "Can't Lose Them",
    r: [1, 1], f: [4, 5], m: [4, 5],
    description: 'Used to buy often and spend the most, but not for a long time.',
    action: 'Win them back with renewals or new products; talk to them; do not lose them to a competitor.',
  },
  {
    name: 'At Risk',
    r: [1, 2], f: [3, 5], m: [3, 5],
    description: 'Bought often and spent well, but a long time ago.',
    action: 'Send a personalised win-back offer and helpful reminders; ask what changed.',
  },
  {
    name: 'About To Sleep',
    r: [2, 2], f: [1, 5], m: [1, 5],
    description: 'Below-average recency with few orders or low spend; will be lost if not reactivated.',
    action: 'Share popular products and a discount; reconnect before they lapse.',
  },
  {
    name: 'Hibernating',
    r: [1, 1], f: [2, 5], m: [1, 5],
    description: 'Last purchase long ago; repeat orders, but few of them or little spend.',
    action: 'Offer relevant products and special discounts; otherwise reduce contact cost.',
  },
  {
    name: 'Lost',
    r: [1, 1], f: [1, 1], m: [1, 5],
    description: 'The least recent customers, with the fewest orders.',
    action: 'Try one reactivation campaign; if it fails, stop spending on them.',
  },
];

/**
 * Default descriptions of earlier versions that claimed what the scores cannot promise ("bought
 * once" when F 1 also held two-order customers; "do not yet spend the most" for a rule that takes
 * any M), by rule name; notebooks saved with them show the current default instead (issue 14).
 */
const LEGACY_DESCRIPTIONS: Record<string, string> = {
  'New Customers': 'Made their first purchase very recently.',
  Promising: 'Bought once, fairly recently.',
  'Potential Loyalist': 'Recent customers with several orders who do not yet spend the most.',
  Hibernating: 'Last purchase long ago; bought more than once, but little.',
  Lost: 'Bought once, a long time ago.',
};

/** The description to show for a rule: its own, or the current default when it still holds an outdated default text. */
export function ruleDescription(rule: Pick<SegmentRule, 'name' | 'description'>): string {
  if (LEGACY_DESCRIPTIONS[rule.name] === rule.description) {
    return DEFAULT_RFM_RULES.find((r) => r.name === rule.name)?.description ?? rule.description;
  }
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

/** Problems with a rule table (ranges within 1..5 and ordered, names present and unique); empty when valid. */
export function validateRules(rules: readonly ScoreRule[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const label = rule.name?.trim() ? `'${rule.name}'` : `rule ${i + 1}`;
    if (!rule.name?.trim()) problems.push(`rule ${i + 1} has no name`);
    else if (rule.name === UNASSIGNED) problems.push(`'${UNASSIGNED}' is reserved for customers no rule matches`);
    else if (seen.has(rule.name)) problems.push(`${label} appears more than once`);
    seen.add(rule.name);
    for (const key of ['r', 'f', 'm'] as const) {
      const range = rule[key];
      const letter = key.toUpperCase();
      if (!Array.isArray(range) || range.length !== 2) {
        problems.push(`${label}: ${letter} needs a range [from, to]`);
        continue;
      }
      const [lo, hi] = range;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 5 || lo > 5 || hi < 1) {
        problems.push(`${label}: ${letter} range ${lo}-${hi} must use whole scores from 1 to 5`);
      } else if (lo > hi) {
        problems.push(`${label}: ${letter} range ${lo}-${hi} starts above its end`);
      }
    }
  });
  return problems;
}

/**
 * A SQL CASE expression giving the segment name by first match over the score columns
 * `rCol`, `fCol`, `mCol` (column names, quoted here), with ELSE 'Unassigned'.
 * Throws on an invalid table rather than producing SQL that silently misassigns.
 */
export function segmentCaseSql(rules: readonly ScoreRule[], rCol: string, fCol: string, mCol: string): string {
  const problems = validateRules(rules);
  if (problems.length) throw new Error(`invalid segment rules: ${problems.join('; ')}`);
  if (rules.length === 0) return str(UNASSIGNED);
  const between = (col: string, [lo, hi]: [number, number]) => `${ident(col)} BETWEEN ${num(lo)} AND ${num(hi)}`;
  const whens = rules.map(
    (rule) =>
      `WHEN ${between(rCol, rule.r)} AND ${between(fCol, rule.f)} AND ${between(mCol, rule.m)} THEN ${str(rule.name)}`,
  );
  return `CASE\n    ${whens.join('\n    ')}\n    ELSE ${str(UNASSIGNED)}\n  END`;
}
