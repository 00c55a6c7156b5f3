/**
 * What the segmentation runs share: the error that carries input problems (shown as plain
 * messages, never as SQL), reading small results, finding relations, a segment's profile (size,
 * what sets it apart, top categories by lift, channel mix) and exporting a relation's rows.
 */
import type { ColumnInfo, RelationInfo } from '../../workers/engine-types';
import { tableToObjects } from '../lib/arrow-rows';
import { t } from '../lib/i18n';
import { channelMixSql, liftSql, profileSql, segmentSizesSql } from '../lib/segment/segment-profile';
import type { LiftRow, MixRow, ProfileRow, SizeRow } from '../lib/segment/segment-results';
import { segmentSlug } from '../lib/segment/rfm-views';
import { ident } from '../lib/sql/quote';
import { downloadBytes } from './download';
import type { EngineState } from './engine.svelte';
import { segmentRegistry, type CustomerViewInfo } from './segment-registry.svelte';
import { grainSql, repeatsCustomers, type GrainCheck } from '../lib/segment/grain';
import type { TablesState } from './tables.svelte';

/** A cell that cannot run as set up: one message a line, each saying what to change. */
export class SegmentInputError extends Error {
  override name = 'SegmentInputError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Throws SegmentInputError when there are problems. */
export function stopOn(problems: readonly string[]): void {
  if (problems.length) throw new SegmentInputError([...problems]);
}

/** The relation named `name` (case-insensitive, as DuckDB), if it exists. */
export function relationOf(tables: Pick<TablesState, 'relations'>, name: string | null | undefined): RelationInfo | undefined {
  if (!name) return undefined;
  const key = name.toLowerCase();
  return tables.relations.find((r) => r.name.toLowerCase() === key);
}

/** Rows of a small query as plain objects (the page shows it busy meanwhile). */
export async function rows<T>(engine: EngineState, sql: string): Promise<T[]> {
  const { table } = await engine.track(engine.client.query(sql));
  return tableToObjects(table) as unknown as T[];
}

/**
 * Checks that `relation` holds one row per customer (issue 14): when a customer id repeats, the
 * cell stops with "5,121 rows but 632 customers: this is an orders table" and remembers it, so the
 * cell can offer a customer view instead of computing on orders.
 */
export async function checkGrain(engine: EngineState, cellId: string, relation: string, idColumn: string | null): Promise<void> {
  if (!idColumn) {
    segmentRegistry.rememberGrain(cellId, null);
    return;
  }
  const [check] = await rows<GrainCheck>(engine, grainSql(relation, idColumn));
  if (!repeatsCustomers(check)) {
    segmentRegistry.rememberGrain(cellId, null);
    return;
  }
  const info = { source: relation, rows: Number(check.rows), customers: Number(check.customers) };
  segmentRegistry.rememberGrain(cellId, info);
  stopOn([t('seg.grain.orders', { rows: info.rows, customers: info.customers, name: relation, id: idColumn })]);
}

/** A hidden per-cell relation name (the internal prefix keeps it out of the table list). */
export function internalName(cellId: string, part: string): string {
  return `__segnote_seg_${cellId}_${part}`;
}

/** Drops hidden views, ignoring failures (a cell was deleted). */
export async function dropViews(engine: EngineState, names: readonly string[]): Promise<void> {
  for (const n of names) await engine.client.query(`DROP VIEW IF EXISTS ${ident(n)}`).catch(() => undefined);
}

/** What a profile is computed over. */
export interface ProfileRequest {
  /** All customers: a relation with one row per customer. */
  base: string;
  /** The segment: a condition over `base`'s rows. */
  where: string;
  /** The columns to profile (categorical and numeric; others are skipped). */
  attributes: ColumnInfo[];
  revenue: string | null;
  /** The customer view `base` comes from (for lift and channel mix, which read its orders), if any. */
  customerView: CustomerViewInfo | null;
}

/** A segment's profile. */
export interface SegmentProfileResult {
  segment: SizeRow;
  all: SizeRow;
  /** What sets it apart, strongest differences first. */
  rows: ProfileRow[];
  /** Top categories by lift; null when the orders have no category column (or no customer view). */
  lift: LiftRow[] | null;
  /** Channel mix; null when the orders have no channel column (or no customer view). */
  mix: MixRow[] | null;
  /** Minimum segment customers behind a listed value. */
  minSupport: number;
}

/** Computes a segment's profile; the profile rows are left out for an empty segment. */
export async function loadProfile(engine: EngineState, req: ProfileRequest): Promise<SegmentProfileResult> {
  const sizes = await rows<SizeRow>(engine, segmentSizesSql(req.base, [{ name: 'segment', where: req.where }], req.revenue));
  const all = sizes.find((s) => s.segment_order === 0)!;
  const segment = sizes.find((s) => s.segment_order === 1)!;
  // Rare values make noisy indexes: ask for 2 % of the segment (at least 3 customers) behind a listed value.
  const minSupport = segment.customers < 50 ? 1 : Math.max(3, Math.ceil(segment.customers * 0.02));
  if (segment.customers === 0) return { segment, all, rows: [], lift: null, mix: null, minSupport };
  const cv = req.customerView;
  const [profile, lift, mix] = await Promise.all([
    rows<ProfileRow>(engine, profileSql(req.base, req.where, req.attributes, { minSupport })),
    cv?.spec.roles.category ? rows<LiftRow>(engine, liftSql(cv.spec, cv.customerColumns, req.base, req.where, { limit: 12, minOrders: minSupport })) : Promise.resolve(null),
    cv?.spec.roles.channel ? rows<MixRow>(engine, channelMixSql(cv.spec, cv.customerColumns, req.base, req.where)) : Promise.resolve(null),
  ]);
  return { segment, all, rows: profile, lift, mix, minSupport };
}

/** The columns to profile: all but the customer id (dates and odd types are skipped by the query). */
export function profileAttributes(columns: readonly ColumnInfo[], idColumn: string | null): ColumnInfo[] {
  return columns.filter((c) => c.name !== idColumn);
}

/** Downloads every row of a relation as CSV or Parquet, named after it. */
export async function exportRelation(engine: EngineState, relation: string, format: 'csv' | 'parquet'): Promise<void> {
  const bytes = await engine.track(engine.client.exportQuery(`SELECT * FROM ${ident(relation)}`, format));
  downloadBytes(bytes, `${segmentSlug(relation)}.${format}`, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.apache.parquet');
}

/** What every cell that creates a view reports of its run: the view, the SQL behind it, its columns, and the whole run's time since `t0` (performance.now()). */
export function viewRunFigures(view: string, sql: string, staged: { columns: ColumnInfo[] }, t0: number): { view: string; sql: string; columns: ColumnInfo[]; elapsedMs: number } {
  return { view, sql, columns: staged.columns, elapsedMs: performance.now() - t0 };
}

/** An error's message for the page (the engine's errors already carry a readable message). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A message when a relation a cell reads is missing: run the cell that makes it, or load the table. */
export function missingRelation(name: string): string {
  return name ? t('seg.err.missing', { name }) : t('seg.err.noSource');
}
