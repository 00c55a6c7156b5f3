/**
 * The segment builder's runs. While editing, `liveCount` answers with one query how many
 * customers match and their share of revenue. Running the cell saves the segment: its customers
 * become the cell's view (the SQL is self-contained and shown to the user), then the profile —
 * size, what sets it apart, top categories by lift, channel mix — is read.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { tableToObjects } from '../lib/arrow-rows';
import { t } from '../lib/i18n';
import { newSegmentSettings, renamed, type SegmentCell } from '../lib/notebook/cells-segment';
import { columnsOf, pathLabel } from '../lib/segment/condition-edit';
import { conditionSql, describeCondition, segmentCountMessages, validateCondition, type ConditionProblem, type Group, type SegmentCount } from '../lib/segment/conditions';
import { findColumn } from '../lib/segment/column-kinds';
import { guessIdColumn, joinedSourceColumns, joinedSourceSql, savedSegmentSql, segmentCountQuery, type SegmentSource } from '../lib/segment/segment-sources';
import { ident } from '../lib/sql/quote';
import { runToView, type CellKindRuntime } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import { checkGrain, dropViews, internalName, loadProfile, messageOf, missingRelation, profileAttributes, relationOf, rows, stopOn, type SegmentProfileResult } from './segment-common';
import { segmentRegistry, type CustomerViewInfo } from './segment-registry.svelte';
import type { TablesState } from './tables.svelte';

/** A segment cell's source as the builder sees it. */
export interface ResolvedSource {
  source: SegmentSource | null;
  /** The columns conditions can use. */
  columns: ColumnInfo[];
  /** The customer view the source is (or starts from), if known. */
  customerView: CustomerViewInfo | null;
  idColumn: string | null;
  /** The as-of date for 'within the last N days': the cell's, else the customer view's. */
  asOf: string | null;
  /** Missing relations or columns (the builder cannot count until they are fixed). */
  problems: string[];
}

/** Works out a segment cell's source from the loaded relations and known customer views. */
export function resolveSegmentSource(cell: Pick<SegmentCell, 'source' | 'rfm' | 'revenue' | 'asOf'>, tables: Pick<TablesState, 'relations'>): ResolvedSource {
  const problems: string[] = [];
  const rel = relationOf(tables, cell.source);
  const rfm = cell.rfm ? relationOf(tables, cell.rfm) : undefined;
  if (!rel) problems.push(missingRelation(cell.source));
  if (cell.rfm && !rfm) problems.push(missingRelation(cell.rfm));
  const customerView = rel ? (segmentRegistry.customerView(rel.name) ?? null) : null;
  const asOf = cell.asOf ?? customerView?.asOf ?? null;
  if (!rel || (cell.rfm && !rfm)) return { source: null, columns: [], customerView, idColumn: null, asOf, problems };
  let source: SegmentSource;
  let columns: ColumnInfo[];
  if (rfm) {
    source = { kind: 'joined', customers: rel.name, customerColumns: rel.columns, rfm: rfm.name, rfmColumns: rfm.columns };
    columns = joinedSourceColumns(rel.columns, rfm.columns).map((c) => ({ name: c.name, type: c.type }));
    if (!guessIdColumn(rel.columns)) problems.push(t('seg.seg.err.noId', { name: rel.name }));
    if (!guessIdColumn(rfm.columns)) problems.push(t('seg.seg.err.noId', { name: rfm.name }));
  } else {
    source = { kind: 'relation', name: rel.name };
    columns = rel.columns;
  }
  if (cell.revenue && !findColumn(columns, cell.revenue)) problems.push(t('seg.err.noColumn', { column: cell.revenue }));
  return { source, columns, customerView, idColumn: guessIdColumn(columns), asOf, problems };
}

/** Condition problems as lines a user can act on: "Condition 1.2: ...". */
export function conditionMessages(problems: readonly ConditionProblem[]): string[] {
  return problems.map((p) => (p.path.length ? t('seg.seg.problemAt', { at: pathLabel(p.path), message: p.message }) : p.message));
}

/**
 * The live count of a tree over a resolved source: one query; the round trip in ms. Over a
 * customer view joined with an RFM result, while no condition (nor the revenue column) reads an
 * RFM column, the count reads the customer view alone: the join keeps one row per customer of the
 * view (an RFM result has one row per customer), so the answer is the same without the join's cost.
 */
export async function liveCount(engine: EngineState, src: ResolvedSource, tree: Group, revenue: string | null): Promise<{ count: SegmentCount; ms: number }> {
  if (!src.source) throw new Error(src.problems[0] ?? t('seg.err.noSource'));
  let source = src.source;
  let columns = src.columns;
  if (source.kind === 'joined') {
    const own = new Set(source.customerColumns.map((c) => c.name));
    const reads = [...columnsOf(tree), ...(revenue ? [revenue] : [])];
    if (reads.every((c) => own.has(c))) {
      columns = [...source.customerColumns];
      source = { kind: 'relation', name: source.customers };
    }
  }
  const sql = segmentCountQuery(source, tree, columns, src.asOf, revenue && findColumn(columns, revenue) ? revenue : null);
  const t0 = performance.now();
  const { table } = await engine.client.query(sql);
  const [count] = tableToObjects(table) as unknown as SegmentCount[];
  return { count, ms: performance.now() - t0 };
}

/** Everything a saved segment shows. */
export interface SegmentResult {
  view: string;
  /** Customers in the saved view. */
  rows: number;
  columns: ColumnInfo[];
  /** `CREATE OR REPLACE VIEW ...` as shown to the user. */
  statement: string;
  /** The tree as saved (to tell unsaved edits). */
  tree: Group;
  description: string;
  count: SegmentCount;
  /** Notes: an empty segment, an empty source. */
  notes: string[];
  profile: SegmentProfileResult | null;
  profileError: string | null;
  asOf: string | null;
  elapsedMs: number;
}

/** The relation all customers of the profile are read from: the source, or a hidden view of the joined source. */
async function profileBase(engine: EngineState, cell: SegmentCell, source: SegmentSource): Promise<string> {
  if (source.kind === 'relation') return source.name;
  const name = internalName(cell.id, 'src');
  await rows(engine, `CREATE OR REPLACE VIEW ${ident(name)} AS\n${joinedSourceSql(source.customers, source.customerColumns, source.rfm, source.rfmColumns)};\nSELECT 1 AS ok`);
  return name;
}

/** Saves a segment cell (a plain snapshot); throws SegmentInputError with what to change. */
export async function runSegmentCell(engine: EngineState, tables: TablesState, cell: SegmentCell, previousView: string | undefined): Promise<SegmentResult> {
  const t0 = performance.now();
  const src = resolveSegmentSource(cell, tables);
  stopOn(src.problems);
  const problems = validateCondition(cell.tree, src.columns, src.asOf);
  stopOn(conditionMessages(problems));
  const source = src.source!;
  if (source.kind === 'relation') await checkGrain(engine, cell.id, source.name, src.idColumn);
  else await checkGrain(engine, cell.id, source.customers, guessIdColumn(source.customerColumns));
  const { body, statement } = savedSegmentSql(cell.name, source, cell.tree, src.columns, src.asOf);
  const saved = await engine.track(engine.client.runCell(cell.name, body, previousView));
  const base = await profileBase(engine, cell, source);
  const revenue = cell.revenue && findColumn(src.columns, cell.revenue) ? cell.revenue : null;
  const where = conditionSql(cell.tree, src.columns, src.asOf);
  // A joined source's base is a view over the join: read it once.
  const [count] = await rows<SegmentCount>(engine, segmentCountQuery({ kind: 'relation', name: base }, cell.tree, src.columns, src.asOf, revenue, source.kind === 'joined' ? 'once' : 'twice'));
  let profile: SegmentProfileResult | null = null;
  let profileError: string | null = null;
  try {
    profile = await loadProfile(engine, { base, where, attributes: profileAttributes(src.columns, src.idColumn), revenue, customerView: src.customerView });
  } catch (e) {
    profileError = messageOf(e);
  }
  return {
    view: cell.name,
    rows: saved.rows,
    columns: saved.columns,
    statement,
    tree: cell.tree,
    description: describeCondition(cell.tree, src.columns),
    count,
    notes: segmentCountMessages(count),
    profile,
    profileError,
    asOf: src.asOf,
    elapsedMs: performance.now() - t0,
  };
}

/** The segment cell kind. */
export const segmentRuntime: CellKindRuntime<SegmentCell> = {
  kind: 'segment',
  create: (base, tables) => ({ ...base, kind: 'segment', ...newSegmentSettings(tables.relations, segmentRegistry.customerViews.map((v) => v.view)) }),
  run: runToView((cell, ctx) => runSegmentCell(ctx.engine, ctx.tables, cell, ctx.previousView)),
  reads: (cell) => [cell.source, ...(cell.rfm ? [cell.rfm] : [])].filter(Boolean),
  renameSource(cell, from, to) {
    cell.source = renamed(cell.source, from, to);
    if (cell.rfm) cell.rfm = renamed(cell.rfm, from, to);
  },
  async remove(cell, engine) {
    await dropViews(engine, [internalName(cell.id, 'src')]);
  },
};
