/**
 * Changes of meaning between notebook document versions, applied to the raw cells of an older
 * document before they are read, so that its results do not change:
 * - version 1 -> 2 (issue 14): a CLV cell's `calibrationEnd` was the exclusive day after the
 *   calibration period; it is now the last day of calibration, so one day is subtracted.
 * - version 2 -> 3 (issue 15): built-in RFM segment names, descriptions and actions are stored as
 *   catalogue keys and shown in the current language. A rule whose name, description or action is
 *   still the English default text (descriptions also in their issue-14 wording) gets the key; text
 *   the user changed stays as it is. An RFM segment chosen in a compare cell by its English default
 *   name gets the key too. Segment-builder conditions keep their values: a built-in name there
 *   matches in every language (see segment/builtin-names.ts).
 */
import { addDays, isIsoDay } from '../segment/orders-source';
import { enRfmTypes } from '../i18n/en-rfm-types';
import { isBuiltinKey, type BuiltinKey } from '../segment/builtin-names';
import { LEGACY_DESCRIPTIONS } from '../segment/rfm-rules';

/** The raw cells of a document of `version`, rewritten to mean the same in the current version (copies; the input is not changed). */
export function migrateCells(cells: readonly unknown[], version: number): unknown[] {
  return cells.map((cell) => {
    let out = cell;
    if (version < 2) out = clvCalibrationEnd(out);
    if (version < 3) out = builtinNamesToKeys(out);
    return out;
  });
}

function clvCalibrationEnd(cell: unknown): unknown {
  if (!isRecord(cell) || cell.kind !== 'clv' || !isRecord(cell.spec)) return cell;
  const end = cell.spec.calibrationEnd;
  if (typeof end !== 'string' || !isIsoDay(end)) return cell;
  return { ...cell, spec: { ...cell.spec, calibrationEnd: addDays(end, -1) } };
}

let englishKeys: Map<string, BuiltinKey> | null = null;

/** The key of an English default text of the 11-segment model (name, description or action), else null. */
export function englishDefaultKey(text: unknown, prefix: 'rfm.seg.' | 'rfm.segDesc.' | 'rfm.segAction.'): BuiltinKey | null {
  if (typeof text !== 'string') return null;
  if (!englishKeys) {
    englishKeys = new Map();
    for (const [key, value] of Object.entries(enRfmTypes)) if (isBuiltinKey(key)) englishKeys.set(`${key.slice(0, key.lastIndexOf('.') + 1)}${value}`, key);
    for (const [key, value] of Object.entries(LEGACY_DESCRIPTIONS)) if (isBuiltinKey(key)) englishKeys.set(`rfm.segDesc.${value}`, key);
  }
  return englishKeys.get(`${prefix}${text}`) ?? null;
}

function builtinNamesToKeys(cell: unknown): unknown {
  if (!isRecord(cell)) return cell;
  if (cell.kind === 'rfm' && Array.isArray(cell.rules)) {
    return {
      ...cell,
      rules: cell.rules.map((rule) => {
        if (!isRecord(rule)) return rule;
        return {
          ...rule,
          name: englishDefaultKey(rule.name, 'rfm.seg.') ?? rule.name,
          description: englishDefaultKey(rule.description, 'rfm.segDesc.') ?? rule.description,
          action: englishDefaultKey(rule.action, 'rfm.segAction.') ?? rule.action,
        };
      }),
    };
  }
  if (cell.kind === 'compare' && Array.isArray(cell.segments)) {
    return {
      ...cell,
      segments: cell.segments.map((ref) => (isRecord(ref) && ref.kind === 'rfm' ? { ...ref, segment: englishDefaultKey(ref.segment, 'rfm.seg.') ?? ref.segment } : ref)),
    };
  }
  return cell;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
