/**
 * Changes of meaning between notebook document versions, applied to the raw cells of an older
 * document before they are read, so that its results do not change:
 * - version 1 -> 2 (issue 14): a CLV cell's `calibrationEnd` was the exclusive day after the
 *   calibration period; it is now the last day of calibration, so one day is subtracted.
 */
import { addDays, isIsoDay } from '../segment/orders-source';

/** The raw cells of a document of `version`, rewritten to mean the same in the current version (copies; the input is not changed). */
export function migrateCells(cells: readonly unknown[], version: number): unknown[] {
  return cells.map((cell) => {
    if (version >= 2 || !isRecord(cell) || cell.kind !== 'clv' || !isRecord(cell.spec)) return cell;
    const end = cell.spec.calibrationEnd;
    if (typeof end !== 'string' || !isIsoDay(end)) return cell;
    return { ...cell, spec: { ...cell.spec, calibrationEnd: addDays(end, -1) } };
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
