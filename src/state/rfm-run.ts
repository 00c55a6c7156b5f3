/**
 * Running an RFM cell: checks the role choice (types, then one data-quality scan, remembered per
 * table and roles), scores every customer into the cell's view, then reads the small results the
 * page shows — notes, segment summary, R-by-F grid, histograms, score ranges, value concentration.
 * Per-customer rows never come to the page except a page of a segment's list or an export.
 */
import type { ColumnInfo, RelationInfo } from '../../workers/engine-types';
import { tableToObjects } from '../lib/arrow-rows';
import type { RfmCell, RfmModel } from '../lib/notebook/cells';
import { orderIdsAreUnique, roleCheckProblems, roleCheckQuery, validateRoles, type RoleCheck, type RoleProblem } from '../lib/segment/column-roles';
import { validateRules } from '../lib/segment/rfm-rules';
import { validateRfmSpec, type RfmSpec } from '../lib/segment/rfm-spec';
import { rfmGridSql, rfmKeptPlan, rfmNotesSql, rfmSql, rfmSummarySql } from '../lib/segment/rfm-sql';
import { rfmAggregatesName, rfmCutsName } from '../lib/internal-names';
import {
  defaultRfmTypes,
  RFM_TYPE_EXPORT_COLUMNS,
  rfmTypesGridSql,
  rfmTypesReferenceSql,
  rfmTypesSql,
  validateRfmTypes,
  type RfmTypeCell,
  type RfmTypeReferences,
  type RfmTypesSettings,
} from '../lib/segment/rfm-types';
import {
  RFM_EXPORT_COLUMNS,
  rfmCustomersSql,
  rfmHistogramSql,
  rfmScoreRangesSql,
  rfmSelectionViewSql,
  segmentSlug,
  type DecileRow,
  type GiniRow,
  type LorenzPoint,
  type RfmGridRow,
  type RfmHistogramBin,
  type RfmNotesRow,
  type RfmScoredMeasure,
  type RfmScoreRange,
  type RfmSummaryRow,
  type TopShareRow,
} from '../lib/segment/rfm-views';
import { decilesSql, giniSql, lorenzSql, topShareSql } from '../lib/segment/value-sql';
import { ident } from '../lib/sql/quote';
import { columnKind, isNumericKind } from '../lib/segment/column-kinds';
import { getLocale, t } from '../lib/i18n';
import { downloadBytes } from './download';
import type { EngineState } from './engine.svelte';
import { viewRunFigures } from './segment-common';

/** Bins of the R, F and M histograms, and the quantile above which their tail is folded into one bin. */
const HISTOGRAM_BINS = 24;
const HISTOGRAM_CLIP = 0.95;
/** Points of the Pareto curve. */
const PARETO_POINTS = 100;

/** Everything an RFM run shows. */
export interface RfmResult {
  /** The per-customer view (the cell's name). */
  view: string;
  customers: number;
  columns: ColumnInfo[];
  /** The whole run: checks, scoring and the summaries. */
  elapsedMs: number;
  /** The scoring query alone (as the engine measured it). */
  scoringMs: number;
  /** The per-customer SQL exactly as run (plain DuckDB: it runs unchanged on native DuckDB). */
  sql: string;
  /** The spec as run, including whether order ids were found unique. */
  spec: RfmSpec;
  /** The model as run: 11 segments from scores, or the 8 types. */
  model: RfmModel;
  /** The 8-type settings as run (the defaults for the score model, unused there). */
  types: RfmTypesSettings;
  /** The interface language the segment names were written in: a run in another language is out of date. */
  locale: string;
  /** The columns of a customer list and its export. */
  exportColumns: readonly string[];
  /** Warnings and notes about the data (errors stop the run instead). */
  problems: RoleProblem[];
  notes: RfmNotesRow;
  summary: RfmSummaryRow[];
  /** The 5 x 5 R-by-F grid of the score model ([] for the 8 types). */
  grid: RfmGridRow[];
  /** The 8 cells of the type model ([] for the scores). */
  typeGrid: RfmTypeCell[];
  /** The references the 8 types were cut at (null for the scores). */
  references: RfmTypeReferences | null;
  histograms: Record<RfmScoredMeasure, RfmHistogramBin[]>;
  /** The values behind each score ([] for the 8 types). */
  ranges: RfmScoreRange[];
  gini: GiniRow;
  topShares: TopShareRow[];
  pareto: LorenzPoint[];
  deciles: DecileRow[];
}

/** An RFM cell that cannot run as set up: the problems say what to change (no SQL error). */
export class RfmInputError extends Error {
  override name = 'RfmInputError';
  constructor(readonly problems: RoleProblem[]) {
    super(problems.filter((p) => p.severity === 'error').map((p) => p.message).join('\n'));
  }
}

/** What the runner needs to know besides the cell. */
export interface RfmRunContext {
  /** The relation named by the cell's source, if it exists. */
  relation: RelationInfo | undefined;
  /** Changes when the source's data may have changed (e.g. its row count); part of the check cache key. */
  dataKey: string;
  /** The name under which the cell's view currently exists, if any. */
  previousView: string | undefined;
}

// Data-quality scans, by source, roles and the engine's data stamp: a settings change does not repeat them.
const checkCache = new Map<string, RoleCheck>();
// The notes of a run (they read every order), by the aggregates' key and the data stamp they were kept at.
const notesCache = new Map<string, RfmNotesRow>();
// Summaries of revenue, recency and frequency (and of monetary, per definition), by the same key and
// their query: they read no score or segment, so a change of scoring, rules or model reuses them.
const measureCache = new Map<string, unknown[]>();
const CACHE_LIMIT = 64;

function remember<T>(cache: Map<string, T>, key: string, value: T, limit = CACHE_LIMIT): void {
  if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

function errorsOf(problems: RoleProblem[]): RoleProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Problems with the cell's set-up that need no data: roles against column types, dates, thresholds, rules or types. */
export function rfmSetupProblems(cell: Pick<RfmCell, 'spec' | 'rules' | 'model' | 'types'>, relation: RelationInfo | undefined): RoleProblem[] {
  const { spec } = cell;
  if (!spec.source) return [{ severity: 'error', role: null, message: t('rfm.err.noSource') }];
  if (!relation) return [{ severity: 'error', role: null, message: t('rfm.err.missingSource', { name: spec.source }) }];
  const roles = { customerId: spec.customerId || null, orderDate: spec.orderDate || null, amount: spec.amount || null, orderId: spec.orderId || null };
  const problems = validateRoles(roles, relation.columns);
  const seen = new Set(problems.map((p) => p.message));
  for (const message of validateRfmSpec({ ...spec, orderId: spec.orderId || null })) {
    if (!seen.has(message)) problems.push({ severity: 'error', role: null, message });
  }
  if ((cell.model ?? 'scores') === 'scores') {
    for (const message of validateRules(cell.rules)) problems.push({ severity: 'error', role: null, message: t('rfm.err.rules', { message }) });
  } else {
    for (const message of validateRfmTypes(cell.types ?? defaultRfmTypes())) problems.push({ severity: 'error', role: null, message });
  }
  return problems;
}

async function rows<T>(engine: EngineState, sql: string): Promise<T[]> {
  const { table } = await engine.track(engine.client.query(sql));
  return tableToObjects(table) as unknown as T[];
}

/**
 * Runs an RFM cell (pass a plain snapshot of it): throws `RfmInputError` with messages a user can
 * act on when the roles or settings do not fit the data; otherwise creates the view named after
 * the cell and returns the summaries.
 */
export async function runRfmCell(engine: EngineState, cell: RfmCell, ctx: RfmRunContext): Promise<RfmResult> {
  const t0 = performance.now();
  const setup = rfmSetupProblems(cell, ctx.relation);
  if (errorsOf(setup).length) throw new RfmInputError(setup);
  const spec: RfmSpec = { ...cell.spec, orderId: cell.spec.orderId || null };

  // The stamp changes whenever the source, or anything it reads, may have changed in the engine.
  const stamp = await engine.track(engine.client.dataStamp(spec.source));
  const key = JSON.stringify([spec.source, spec.customerId, spec.orderDate, spec.amount, spec.orderId, ctx.relation?.kind, ctx.dataKey, stamp]);
  let check = stamp !== null ? checkCache.get(key) : undefined;
  if (!check) {
    [check] = await rows<RoleCheck>(engine, roleCheckQuery(spec));
    if (stamp !== null) remember(checkCache, key, check);
  }
  const problems = [...setup, ...roleCheckProblems(check, spec)];
  if (errorsOf(problems).length) throw new RfmInputError(problems);

  // Unique order ids let frequency count rows instead of COUNT(DISTINCT): about half the work.
  const runSpec: RfmSpec = { ...spec, orderIdsUnique: spec.orderId ? orderIdsAreUnique(check) : undefined };
  if (!runSpec.orderIdsUnique) delete runSpec.orderIdsUnique;
  // What the data check established lets the executed SQL skip casts and filters that cannot
  // change the result; the SQL shown to the user stays the general one (same result here, and
  // still right if they run it on other data).
  const model: RfmModel = cell.model ?? 'scores';
  const types = cell.types ?? defaultRfmTypes();
  const locale = getLocale();
  // The result's segment column holds the names as shown now (see segment/builtin-names.ts).
  const perCustomer = (s: RfmSpec) => (model === 'types' ? rfmTypesSql(s, types) : rfmSql(s, cell.rules));
  const sql = perCustomer(runSpec);
  const kindOf = (name: string) => columnKind(ctx.relation?.columns.find((c) => c.name === name)?.type ?? '');
  const facts = {
    dateIsDate: kindOf(spec.orderDate) === 'date',
    amountIsNumeric: isNumericKind(kindOf(spec.amount)),
    noRefunds: Number(check.negative_amounts) === 0,
    noNulls: Number(check.null_customer_ids) === 0 && Number(check.null_dates) === 0 && Number(check.null_amounts) === 0,
  };
  // Kept in the worker: the per-customer aggregates (a change of scoring, rules, model or monetary
  // reuses them) and, for quintiles, their cuts (a change of rules or model reuses them); anything
  // they depend on (key) or a change of the data (the engine's stamp) rebuilds them.
  const execSpec: RfmSpec = { ...runSpec, facts };
  const plan = rfmKeptPlan(execSpec, model, { aggregates: rfmAggregatesName(cell.id), cuts: (m) => rfmCutsName(cell.id, m) });
  const aggregatesKey = plan.keep[0].key;
  const kept = await engine.track(engine.client.keep(plan.keep, spec.source));
  const result = await engine.track(engine.client.runCell(cell.name, perCustomer(plan.spec), ctx.previousView));
  const view = cell.name;
  const notesKey = kept.stamp === null ? null : JSON.stringify([aggregatesKey, kept.stamp]);
  const cachedNotes = notesKey === null ? undefined : notesCache.get(notesKey);

  const q = <T>(query: string) => rows<T>(engine, query);
  const ofMeasures = async <T>(query: string): Promise<T[]> => {
    if (notesKey === null) return q<T>(query);
    const key = JSON.stringify([notesKey, runSpec.monetary, query]);
    const hit = measureCache.get(key);
    if (hit) return hit as T[];
    const r = await q<T>(query);
    remember(measureCache, key, r, CACHE_LIMIT * 8);
    return r;
  };
  const histogram = (m: RfmScoredMeasure) => ofMeasures<RfmHistogramBin>(rfmHistogramSql(view, m, HISTOGRAM_BINS, HISTOGRAM_CLIP));
  const scores = model === 'scores';
  const none = <T>() => Promise.resolve([] as T[]);
  const [notes, summary, grid, typeGrid, references, recency, frequency, monetary, ranges, gini, topShares, pareto, deciles] = await Promise.all([
    cachedNotes ? [cachedNotes] : q<RfmNotesRow>(rfmNotesSql(spec)),
    q<RfmSummaryRow>(rfmSummarySql(view, scores ? cell.rules : types.types)),
    scores ? q<RfmGridRow>(rfmGridSql(view)) : none<RfmGridRow>(),
    scores ? none<RfmTypeCell>() : q<RfmTypeCell>(rfmTypesGridSql(view, types)),
    scores ? none<RfmTypeReferences>() : q<RfmTypeReferences>(rfmTypesReferenceSql(view, types)),
    histogram('recency_days'),
    histogram('frequency'),
    histogram('monetary'),
    scores ? q<RfmScoreRange>(rfmScoreRangesSql(view)) : none<RfmScoreRange>(),
    ofMeasures<GiniRow>(giniSql(view, 'revenue')),
    ofMeasures<TopShareRow>(topShareSql(view, 'revenue', [1, 5, 10, 20])),
    ofMeasures<LorenzPoint>(lorenzSql(view, 'revenue', PARETO_POINTS)),
    ofMeasures<DecileRow>(decilesSql(view, 'revenue')),
  ]);

  if (notesKey !== null && !cachedNotes) remember(notesCache, notesKey, notes[0]);

  return {
    ...viewRunFigures(view, sql, result, t0),
    customers: result.rows,
    scoringMs: kept.elapsedMs + result.elapsedMs,
    spec: runSpec,
    model,
    types,
    locale,
    exportColumns: scores ? RFM_EXPORT_COLUMNS : RFM_TYPE_EXPORT_COLUMNS,
    problems: problems.filter((p) => p.severity !== 'error'),
    notes: notes[0],
    summary,
    grid,
    typeGrid,
    references: references[0] ?? null,
    histograms: { recency_days: recency, frequency, monetary },
    ranges,
    gini: gini[0],
    topShares,
    pareto,
    deciles,
  };
}

/** The internal (hidden) view listing the selected customers of an RFM cell. */
export function selectionViewName(cellId: string): string {
  return `__segnote_rfm_${cellId}`;
}

/** A customer list ready for the result grid. */
export interface RfmSelection {
  relation: string;
  rows: number;
  columns: ColumnInfo[];
}

/** Points the cell's selection view at one segment (or all customers) and counts its rows. */
export async function selectSegment(engine: EngineState, cellId: string, result: Pick<RfmResult, 'view' | 'columns' | 'exportColumns'>, segment: string | null): Promise<RfmSelection> {
  const name = selectionViewName(cellId);
  const [row] = await rows<{ n: number }>(engine, `${rfmSelectionViewSql(name, result.view, segment, result.exportColumns)};\nSELECT count(*) AS n FROM ${ident(name)}`);
  const types = new Map(result.columns.map((c) => [c.name, c.type]));
  return { relation: name, rows: Number(row.n), columns: result.exportColumns.map((c) => ({ name: c, type: types.get(c) ?? '' })) };
}

/** Drops the cell's selection view and its kept aggregates and cuts (when the cell is deleted). */
export async function dropSelection(engine: EngineState, cellId: string): Promise<void> {
  await engine.track(engine.client.query(`DROP VIEW IF EXISTS ${ident(selectionViewName(cellId))}`));
  await engine.track(engine.client.dropKept(rfmAggregatesName(cellId)));
  for (const m of ['total', 'average'] as const) await engine.track(engine.client.dropKept(rfmCutsName(cellId, m)));
}

/** The file name of an export: `rfm_champions.csv`, `rfm_all.parquet`. */
export function exportFileName(view: string, segment: string | null, format: 'csv' | 'parquet'): string {
  return `${segmentSlug(view)}_${segment === null ? 'all' : segmentSlug(segment)}.${format}`;
}

/** Downloads a segment's (or all) customers with the result's export columns, as CSV or Parquet. */
export async function exportCustomers(engine: EngineState, view: string, segment: string | null, format: 'csv' | 'parquet', columns: readonly string[] = RFM_EXPORT_COLUMNS): Promise<void> {
  const bytes = await engine.track(engine.client.exportQuery(rfmCustomersSql(view, segment, columns), format));
  downloadBytes(bytes, exportFileName(view, segment, format), format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.apache.parquet');
}
