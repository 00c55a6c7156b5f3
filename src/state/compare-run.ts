/**
 * Running a compare cell: each chosen segment (a saved segment, an RFM segment, a group of an
 * attributes cell) becomes a condition over one relation of all customers, then their sizes and
 * every attribute are compared side by side with all customers.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { t } from '../lib/i18n';
import { newCompareSettings, refLabel, renamed, type CompareCell, type SegmentRef } from '../lib/notebook/cells-segment';
import { findColumn } from '../lib/segment/column-kinds';
import { compareSegmentsSql, segmentSizesSql, type NamedSegment } from '../lib/segment/segment-profile';
import { groupLabel, type CompareRow, type SizeRow } from '../lib/segment/segment-results';
import { guessIdColumn, guessRevenueColumn, membersWhereSql } from '../lib/segment/segment-sources';
import { ident } from '../lib/sql/quote';
import { segmentMatchSql } from '../lib/segment/builtin-names';
import { groupWhere } from './attributes-run';
import type { CellKindRuntime } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import { checkGrain, missingRelation, profileAttributes, relationOf, rows, stopOn } from './segment-common';
import { segmentRegistry } from './segment-registry.svelte';
import type { TablesState } from './tables.svelte';

/** Everything a comparison shows. */
export interface CompareResult {
  base: string;
  /** Segment names in order (all customers first), as in the rows. */
  segments: string[];
  sizes: SizeRow[];
  rows: CompareRow[];
  revenue: string | null;
  elapsedMs: number;
}

/** The condition over `base` (id column `id`) picking a segment's customers, or the problem. */
export function refWhere(ref: SegmentRef, id: ColumnInfo, tables: Pick<TablesState, 'relations'>): { where: string } | { problem: string } {
  const rel = relationOf(tables, ref.view);
  if (!rel) return { problem: missingRelation(ref.view) };
  if (ref.kind === 'group') {
    const info = segmentRegistry.attributesOf(rel.name);
    if (!info) return { problem: t('seg.cmp.err.runGroups', { name: ref.view }) };
    // Positions name groups; after the bands changed they may name others: check the label.
    const group = info.rows.find((r) => r.band_1_order === ref.band1 && (r.band_2_order ?? null) === ref.band2);
    const label = group ? groupLabel(group) : null;
    if (label !== ref.label) return { problem: t('seg.cmp.err.groupGone', { group: ref.label, name: ref.view }) };
    const where = groupWhere(info, ref.band2 === null ? [ref.band1] : [ref.band1, ref.band2]);
    return where ? { where } : { problem: t('seg.seg.err.noId', { name: info.source }) };
  }
  const memberId = findColumn(rel.columns, guessIdColumn(rel.columns) ?? '');
  if (!memberId) return { problem: t('seg.seg.err.noId', { name: rel.name }) };
  if (ref.kind === 'saved') return { where: membersWhereSql(id, ident(rel.name), memberId) };
  if (!findColumn(rel.columns, 'segment')) return { problem: t('seg.cmp.err.noSegmentColumn', { name: rel.name }) };
  // A built-in segment matches by its name in any language: the RFM cell may have run in another.
  return { where: membersWhereSql(id, ident(rel.name), memberId, segmentMatchSql('segment', ref.segment)) };
}

/** Segment names made unique for display ("a", "a (2)"). */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

/** Runs a compare cell (a plain snapshot); throws SegmentInputError with what to change. */
export async function runCompareCell(engine: EngineState, tables: TablesState, cell: CompareCell): Promise<CompareResult> {
  const t0 = performance.now();
  const base = relationOf(tables, cell.base);
  if (!base) stopOn([missingRelation(cell.base)]);
  const id = findColumn(base!.columns, guessIdColumn(base!.columns) ?? '');
  if (!id) stopOn([t('seg.seg.err.noId', { name: base!.name })]);
  if (cell.segments.length < 2) stopOn([t('seg.cmp.err.few')]);
  await checkGrain(engine, cell.id, base!.name, id!.name);
  const problems: string[] = [];
  const names = uniqueNames(cell.segments.map(refLabel));
  const segments: NamedSegment[] = [];
  cell.segments.forEach((ref, i) => {
    const r = refWhere(ref, id!, tables);
    if ('problem' in r) problems.push(r.problem);
    else segments.push({ name: names[i], where: r.where });
  });
  stopOn(problems);
  const revenue = guessRevenueColumn(base!.columns);
  const attributes = profileAttributes(base!.columns, id!.name);
  const [sizes, compared] = await Promise.all([
    rows<SizeRow>(engine, segmentSizesSql(base!.name, segments, revenue)),
    rows<CompareRow>(engine, compareSegmentsSql(base!.name, segments, attributes)),
  ]);
  return { base: base!.name, segments: sizes.map((s) => s.segment), sizes, rows: compared, revenue, elapsedMs: performance.now() - t0 };
}

/** The compare cell kind (it makes no view: its result is the comparison itself). */
export const compareRuntime: CellKindRuntime<CompareCell> = {
  kind: 'compare',
  create: (base, tables) => ({ ...base, kind: 'compare', ...newCompareSettings(tables.relations, segmentRegistry.customerViews.map((v) => v.view)) }),
  async run(cell, ctx) {
    return { output: await runCompareCell(ctx.engine, ctx.tables, cell), view: null };
  },
  reads: (cell) => [cell.base, ...cell.segments.map((s) => s.view)].filter(Boolean),
  renameSource(cell, from, to) {
    cell.base = renamed(cell.base, from, to);
    for (const s of cell.segments) s.view = renamed(s.view, from, to);
  },
};
