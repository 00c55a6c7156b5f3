/**
 * Segment definitions for a report, from a cell's settings: the RFM rule table (score ranges,
 * description, recommended action), the 8 types (high/low levels, action) and the scoring or
 * references they rest on, a segment builder's conditions. Built-in names and texts are shown in
 * the current language, the user's own as written.
 */
import { t, type MessageKey } from '../i18n';
import { formatFull } from '../i18n/format';
import type { RfmCell } from '../notebook/cells';
import type { SegmentCell } from '../notebook/cells-segment';
import { builtinText, segmentLabel } from '../segment/builtin-names';
import { describeCondition } from '../segment/conditions';
import type { LifecycleRules, LifecycleStage } from '../segment/lifecycle-sql';
import { ruleDescription } from '../segment/rfm-rules';
import type { RfmSpec } from '../segment/rfm-spec';
import { defaultRfmTypes, type RfmReference } from '../segment/rfm-types';
import type { ReportDefinitions } from './report-model';

const range = ([lo, hi]: [number, number]) => (lo === hi ? String(lo) : `${lo}–${hi}`);

function scoringNote(spec: RfmSpec): string {
  if (spec.scoring.method === 'quantile') return t('report.doc.quantile');
  const list = (cuts: number[]) => cuts.map((c) => formatFull(c)).join(' / ');
  return t('report.doc.thresholds', { r: list(spec.scoring.r), f: list(spec.scoring.f), m: list(spec.scoring.m) });
}

function referenceText(ref: RfmReference): string {
  if (ref.kind === 'value') return t('report.doc.ref.value', { value: formatFull(ref.value) });
  return t(ref.kind === 'mean' ? 'report.doc.ref.mean' : 'report.doc.ref.median');
}

/** An RFM cell's segments: the rule table of the score model, or the 8 types with their references. */
export function rfmDefinitions(cell: Pick<RfmCell, 'rules' | 'model' | 'types' | 'spec'>): ReportDefinitions {
  const head = [t('report.doc.segment'), t('report.doc.rule'), t('report.doc.description'), t('report.doc.action')];
  if (cell.model === 'types') {
    const types = cell.types ?? defaultRfmTypes();
    const level = (l: 'high' | 'low') => t(l === 'high' ? 'report.doc.high' : 'report.doc.low');
    return {
      notes: [t('report.doc.reference', { r: referenceText(types.reference.r), f: referenceText(types.reference.f), m: referenceText(types.reference.m) })],
      table: {
        head: [head[0], head[1], head[3]],
        rows: types.types.map((x) => [segmentLabel(x.name), t('report.doc.ruleRange', { r: level(x.r), f: level(x.f), m: level(x.m) }), builtinText(x.action)]),
      },
    };
  }
  return {
    notes: [scoringNote(cell.spec), t('report.doc.firstMatch')],
    table: {
      head,
      rows: cell.rules.map((rule) => [segmentLabel(rule.name), t('report.doc.ruleRange', { r: range(rule.r), f: range(rule.f), m: range(rule.m) }), builtinText(ruleDescription(rule)), builtinText(rule.action)]),
    },
  };
}

/** A segment builder's conditions as a sentence. */
export function segmentDefinitions(cell: Pick<SegmentCell, 'tree'>): ReportDefinitions {
  return { notes: [], table: null, conditions: describeCondition(cell.tree) };
}

/** The lifecycle stage rules in the order they are checked (as the lifecycle cell lists them). */
const LIFECYCLE_RULE_ROWS: [LifecycleStage, MessageKey][] = [
  ['new', 'lc.rule.new'],
  ['lapsed', 'lc.rule.lapsed'],
  ['at_risk', 'lc.rule.atRisk'],
  ['cooling', 'lc.rule.cooling'],
  ['reactivated', 'lc.rule.reactivated'],
  ['active', 'lc.rule.active'],
];

/** A lifecycle cell's stages: each stage's rule with the cell's numbers, first match wins. */
export function lifecycleDefinitions(rules: LifecycleRules): ReportDefinitions {
  const params = { days: rules.newDays, k1: rules.coolingFactor, k2: rules.atRiskFactor, k3: rules.lapsedFactor, d: rules.oneTimeLapsedDays, r: rules.reactivatedDays };
  return {
    notes: [t('report.doc.firstMatch'), `${t('lc.rules.interval')} ${t('lc.input.minIntervalDays' as MessageKey)}: ${formatFull(rules.minIntervalDays)}.`],
    table: { head: [t('lc.rules.stage'), t('lc.rules.rule')], rows: LIFECYCLE_RULE_ROWS.map(([stage, key]) => [t(`lc.stage.${stage}` as MessageKey), t(key, params)]) },
  };
}
