/**
 * Segment descriptions written from a run's actual score ranges (issue 14): for the score ranges
 * of a rule, the values its customers can have in this run — "bought once", "2–3 orders",
 * "last order 90–180 days ago". Members of a segment are a subset of its rule's score box, and
 * each score is a contiguous run of values, so the phrases hold for every member (and thus for
 * the members' averages). Returns catalogue keys and parameters; the page formats them.
 */
import type { SegmentRule } from './rfm-rules';
import type { RfmScoredMeasure, RfmScoreRange } from './rfm-views';

/** The values a rule's score range covers for one measure in a run. */
export type MeasureSpan =
  | { kind: 'any' }
  | { kind: 'none' }
  | { kind: 'span'; lo: number; hi: number };

/** The spans of a rule on R (recency days), F (orders) and M (money). */
export interface RuleSpans {
  recency_days: MeasureSpan;
  frequency: MeasureSpan;
  monetary: MeasureSpan;
}

/** One phrase of a description: a catalogue key and its parameters (numbers unformatted). */
export interface DescriptionPhrase {
  key:
    | 'rfm.desc.recency'
    | 'rfm.desc.recencyOne'
    | 'rfm.desc.recencyOneDay'
    | 'rfm.desc.once'
    | 'rfm.desc.orders'
    | 'rfm.desc.ordersOne'
    | 'rfm.desc.spent'
    | 'rfm.desc.spentOne'
    | 'rfm.desc.perOrder'
    | 'rfm.desc.perOrderOne'
    | 'rfm.desc.anyone'
    | 'rfm.desc.nobody';
  params: Record<string, number>;
}

const SCORE_OF: Record<RfmScoredMeasure, 'r' | 'f' | 'm'> = { recency_days: 'r', frequency: 'f', monetary: 'm' };

/**
 * The values of `measure` that customers with a score inside `range` have in the run: 'any' when
 * the range holds every score that occurs, 'none' when it holds no score that occurs.
 */
export function measureSpan(ranges: readonly RfmScoreRange[], measure: RfmScoredMeasure, [lo, hi]: [number, number]): MeasureSpan {
  const present = ranges.filter((x) => x.measure === measure && x.customers > 0);
  const inside = present.filter((x) => x.score >= lo && x.score <= hi);
  if (inside.length === 0) return { kind: 'none' };
  if (inside.length === present.length) return { kind: 'any' };
  return { kind: 'span', lo: Math.min(...inside.map((x) => x.min_value)), hi: Math.max(...inside.map((x) => x.max_value)) };
}

/** The spans of a rule's R, F and M ranges in a run. */
export function ruleSpans(rule: Pick<SegmentRule, 'r' | 'f' | 'm'>, ranges: readonly RfmScoreRange[]): RuleSpans {
  const span = (measure: RfmScoredMeasure) => measureSpan(ranges, measure, rule[SCORE_OF[measure]]);
  return { recency_days: span('recency_days'), frequency: span('frequency'), monetary: span('monetary') };
}

/**
 * The phrases describing a rule in a run, in R, F, M order; measures the rule does not restrict
 * are left out. `monetary` says whether M is the total spend or the average per order.
 */
export function describeRule(rule: Pick<SegmentRule, 'r' | 'f' | 'm'>, ranges: readonly RfmScoreRange[], monetary: 'total' | 'average'): DescriptionPhrase[] {
  const spans = ruleSpans(rule, ranges);
  if (Object.values(spans).some((s) => s.kind === 'none')) return [{ key: 'rfm.desc.nobody', params: {} }];
  const phrases: DescriptionPhrase[] = [];
  const add = (span: MeasureSpan, one: DescriptionPhrase['key'], many: DescriptionPhrase['key']) => {
    if (span.kind !== 'span') return;
    phrases.push(span.lo === span.hi ? { key: one, params: { n: span.lo } } : { key: many, params: { lo: span.lo, hi: span.hi } });
  };
  const r = spans.recency_days;
  if (r.kind === 'span' && r.lo === 1 && r.hi === 1) phrases.push({ key: 'rfm.desc.recencyOneDay', params: {} });
  else add(r, 'rfm.desc.recencyOne', 'rfm.desc.recency');
  const f = spans.frequency;
  if (f.kind === 'span' && f.lo === 1 && f.hi === 1) phrases.push({ key: 'rfm.desc.once', params: {} });
  else add(f, 'rfm.desc.ordersOne', 'rfm.desc.orders');
  if (monetary === 'total') add(spans.monetary, 'rfm.desc.spentOne', 'rfm.desc.spent');
  else add(spans.monetary, 'rfm.desc.perOrderOne', 'rfm.desc.perOrder');
  return phrases.length ? phrases : [{ key: 'rfm.desc.anyone', params: {} }];
}
