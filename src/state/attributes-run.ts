/**
 * Running an attributes cell: checks the source and the band specs, groups the customers by one
 * or two columns into the cell's view (one row per group or pair of groups) and reads the rows.
 * A group's customers are picked on demand (profile, comparison) with `groupWhere`.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { t } from '../lib/i18n';
import { newAttributesSettings, renamed, type AttributesCell } from '../lib/notebook/cells-segment';
import { attributeSegmentSql, validateBand, type BandSpec } from '../lib/segment/attribute-bands';
import { findColumn } from '../lib/segment/column-kinds';
import { attributeRateSql, validateRate, type RateRow } from '../lib/segment/attribute-rates';
import type { AttributeRow } from '../lib/segment/segment-results';
import { bandGroupMembersSql, guessIdColumn, membersWhereSql } from '../lib/segment/segment-sources';
import { ident } from '../lib/sql/quote';
import { runToView, type CellKindRuntime } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import { checkGrain, missingRelation, relationOf, rows, stopOn } from './segment-common';
import { segmentRegistry, type AttributesInfo } from './segment-registry.svelte';
import type { TablesState } from './tables.svelte';

/** More groups than this (pairs with two columns) are refused: nobody reads such a table. */
const MAX_GROUPS = 2500;

/** Everything an attributes run shows. */
export interface AttributesResult {
  view: string;
  source: string;
  bands: BandSpec[];
  rows: AttributeRow[];
  /** The source's columns. */
  columns: ColumnInfo[];
  idColumn: string | null;
  revenue: string | null;
  orders: string | null;
  sql: string;
  elapsedMs: number;
  /** The rate by group, when the cell asks for one: its settings as run, the grouping and the rows. */
  rate: { column: string; value: string; minBase: number; bands: BandSpec[]; rows: RateRow[]; sql: string } | null;
}

/** The grouping of a cell's rate table: its bands, then the rate's third column. */
export function rateBands(cell: Pick<AttributesCell, 'bands' | 'rate'>): BandSpec[] {
  return [...cell.bands, ...(cell.rate?.third ? [cell.rate.third] : [])];
}

/** Problems with an attributes cell's settings against its source's columns. */
export function attributesProblems(cell: Pick<AttributesCell, 'bands' | 'revenue' | 'orders' | 'rate'>, columns: readonly ColumnInfo[]): string[] {
  const problems: string[] = [];
  if (cell.bands.length === 0) problems.push(t('seg.attr.err.noColumn'));
  if (cell.bands.length === 2 && cell.bands[0].column === cell.bands[1].column) problems.push(t('seg.attr.err.sameColumn'));
  cell.bands.forEach((b) => problems.push(...validateBand(b, columns)));
  for (const m of [cell.revenue, cell.orders]) if (m && !findColumn(columns, m)) problems.push(t('seg.err.noColumn', { column: m }));
  if (cell.rate) {
    const bands = rateBands(cell);
    for (const p of validateRate(cell.rate, bands, columns)) problems.push(t(p.key, p.params));
    if (cell.rate.third) problems.push(...validateBand(cell.rate.third, columns));
  }
  return problems;
}

/** Runs an attributes cell (a plain snapshot); throws SegmentInputError with what to change. */
export async function runAttributesCell(engine: EngineState, tables: TablesState, cell: AttributesCell, previousView: string | undefined): Promise<AttributesResult> {
  const t0 = performance.now();
  const source = relationOf(tables, cell.source);
  if (!source) stopOn([missingRelation(cell.source)]);
  const columns = source!.columns;
  stopOn(attributesProblems(cell, columns));
  await checkGrain(engine, cell.id, source!.name, guessIdColumn(columns));
  const sql = attributeSegmentSql(source!.name, cell.bands, { revenue: cell.revenue, orders: cell.orders }, columns);
  const result = await engine.track(engine.client.runCell(cell.name, sql, previousView));
  if (result.rows > MAX_GROUPS) stopOn([t('seg.attr.err.tooMany', { n: result.rows, max: MAX_GROUPS })]);
  const order = cell.bands.length === 2 ? 'band_1_order, band_2_order' : 'band_1_order';
  const groups = await rows<AttributeRow>(engine, `SELECT * FROM ${ident(cell.name)} ORDER BY ${order}`);
  const idColumn = guessIdColumn(columns);
  const info: AttributesInfo = { cellId: cell.id, view: cell.name, source: source!.name, bands: cell.bands, columns, idColumn, rows: groups };
  segmentRegistry.rememberAttributes(info);
  let rate: AttributesResult['rate'] = null;
  if (cell.rate) {
    const bands = rateBands(cell);
    const rateSql = attributeRateSql(source!.name, bands, cell.rate, columns);
    rate = { column: cell.rate.column, value: cell.rate.value, minBase: cell.rate.minBase, bands, rows: await rows<RateRow>(engine, rateSql), sql: rateSql };
  }
  return { view: cell.name, source: source!.name, bands: cell.bands, rows: groups, columns, idColumn, revenue: cell.revenue, orders: cell.orders, sql, elapsedMs: performance.now() - t0, rate };
}

/**
 * The condition over the attributes cell's source picking the customers of one group (band
 * positions from 1); null when the source has no customer id column to pick them by.
 */
export function groupWhere(info: Pick<AttributesInfo, 'source' | 'bands' | 'columns' | 'idColumn'>, positions: readonly number[]): string | null {
  const id = info.idColumn ? findColumn(info.columns, info.idColumn) : undefined;
  if (!id) return null;
  const members = bandGroupMembersSql(info.source, info.bands, info.columns, id.name, positions);
  return membersWhereSql(id, `(\n${members}\n)`, { name: 'member_id', type: id.type });
}

/** The attributes cell kind. */
export const attributesRuntime: CellKindRuntime<AttributesCell> = {
  kind: 'attributes',
  create: (base, tables) => ({ ...base, kind: 'attributes', ...newAttributesSettings(tables.relations, segmentRegistry.customerViews.map((v) => ({ view: v.view, attributes: v.attributes }))) }),
  run: runToView((cell, ctx) => runAttributesCell(ctx.engine, ctx.tables, cell, ctx.previousView)),
  reads: (cell) => (cell.source ? [cell.source] : []),
  renameSource(cell, from, to) {
    cell.source = renamed(cell.source, from, to);
  },
  async remove(cell) {
    segmentRegistry.forget(cell.id);
  },
};
