/**
 * Running a CLV cell: checks the source, roles and dates, then the worker task builds the model
 * inputs in SQL, fits BG/NBD and Pareto/NBD (the cell's choice drives the predictions, the other is
 * shown beside it) and Gamma-Gamma with progress (cancellable) and stores predictions;
 * the per-customer result becomes the cell's view, and only parameters, checks, holdout groups,
 * distributions and CLV by segment come to the page.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import type { ClvTaskArgs, ClvTaskResult } from '../../workers/tasks/clv-task';
import { t } from '../lib/i18n';
import { newClvCell, type ClvCell } from '../lib/notebook/cells-clv';
import type { RoleProblem } from '../lib/segment/column-roles';
import {
  clvBySegmentSql,
  clvDates,
  clvExportSql,
  clvResultSql,
  clvStatsSql,
  foldedHistogramSql,
  NO_SEGMENT,
  validateClvSpec,
  type ClvDates,
  type ClvSegmentRow,
  type ClvStatsRow,
} from '../lib/segment/clv-sql';
import { daysBetween, purchaseRangeSql, type PurchaseRange } from '../lib/segment/orders-source';
import type { RfmHistogramBin } from '../lib/segment/rfm-views';
import { segmentSlug } from '../lib/segment/rfm-views';
import { ident } from '../lib/sql/quote';
import { runToView, type CellKindRuntime, type CellRunContext } from './cell-kinds';
import { checkOrders, internalName, relationOf, rows, stopOn, translate } from './clv-common';
import { notebookCells } from './clv-notebook';
import { downloadBytes } from './download';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';

/** The worker task's name (see workers/tasks/clv-task.ts). */
const CLV_TASK = 'clv-fit';
const LATE_AS_OF_DAYS = 365;

/** The segment grouping of a run. */
export interface ClvSegmentResult {
  view: string;
  column: string;
  rows: ClvSegmentRow[];
}

/** Everything a CLV run shows. */
export interface ClvResult {
  view: string;
  customers: number;
  columns: ColumnInfo[];
  elapsedMs: number;
  dates: ClvDates;
  range: PurchaseRange;
  unit: ClvCell['spec']['unit'];
  horizon: number;
  discountRate: number;
  holdoutLength: number;
  fit: ClvTaskResult;
  stats: ClvStatsRow;
  pAlive: RfmHistogramBin[];
  clv: RfmHistogramBin[];
  segments: ClvSegmentResult | null;
  problems: RoleProblem[];
  /** The per-customer SQL (the join of model inputs and predictions) and the inputs' SQL. */
  sql: string;
}

/** The internal tables a run writes before the view is made (dropped afterwards). */
function workTables(cellId: string): { input: string; predictions: string } {
  return { input: internalName('clv', cellId, 'in'), predictions: internalName('clv', cellId, 'pred') };
}

/** The RFM cell whose segments group CLV by default: the first over the same table. */
export function autoSegmentCell(cell: Pick<ClvCell, 'spec'>): string | null {
  const source = cell.spec.source.toLowerCase();
  return notebookCells().find((c) => c.kind === 'rfm' && c.spec.source.toLowerCase() === source)?.name ?? null;
}

/** The view and column CLV is grouped by: the cell's choice, else the first RFM cell's view over the same table; null when none fits. */
export function segmentSource(cell: ClvCell, tables: TablesState): { view: string; column: string } | { problem: string } | null {
  const name = cell.segmentView ?? autoSegmentCell(cell);
  if (!name) return null;
  const rel = relationOf(tables, name);
  if (!rel) return cell.segmentView ? { problem: t('clv.seg.missing', { name }) } : null;
  const cols = rel.columns.map((c) => c.name);
  if (!cols.includes('customer_id')) return { problem: t('clv.seg.noColumns', { name }) };
  const column = cols.includes('segment') ? 'segment' : cols.includes('stage') ? 'stage' : null;
  return column ? { view: rel.name, column } : { problem: t('clv.seg.noColumns', { name }) };
}

/** A progress note of the task in words. */
export function progressNote(note: string | undefined): string {
  const [phase, iter, ll] = (note ?? '').split('|');
  switch (phase) {
    case 'summary':
      return t('clv.progress.summary');
    case 'bgnbd':
      return iter ? t('clv.progress.bgnbdIter', { iter, ll: Number(ll).toFixed(1) }) : t('clv.progress.bgnbd');
    case 'paretonbd':
      return iter ? t('clv.progress.paretoIter', { iter, ll: Number(ll).toFixed(1) }) : t('clv.progress.pareto');
    case 'checks':
      return t('clv.progress.checks');
    case 'gammagamma':
      return iter ? t('clv.progress.ggIter', { iter, ll: Number(ll).toFixed(1) }) : t('clv.progress.gg');
    case 'predict':
      return t('clv.progress.predict');
    case 'store':
      return t('clv.progress.store');
    default:
      return t('engine.busy');
  }
}

/** Runs a CLV cell (a plain snapshot); throws CellInputError with what to change. */
export async function runClvCell(cell: ClvCell, ctx: Pick<CellRunContext, 'engine' | 'tables' | 'previousView' | 'progress'>): Promise<ClvResult> {
  const { engine, tables } = ctx;
  const t0 = performance.now();
  const spec = { ...cell.spec };
  stopOn(translate(validateClvSpec(spec)));
  const problems = await checkOrders(engine, tables, spec);
  spec.source = relationOf(tables, spec.source)!.name;
  const seg = segmentSource(cell, tables);
  if (seg && 'problem' in seg) problems.push({ severity: 'warning', role: null, message: seg.problem });

  const [range] = await rows<PurchaseRange>(engine, purchaseRangeSql(spec));
  if (!range.min_date || !range.day_after) stopOn([t('clv.err.noPurchases', { source: spec.source })]);
  const dates = clvDates(spec, range.day_after!);
  const first = range.min_date!;
  if (dates.asOf <= first) stopOn([t('clv.err.asOfBeforeData', { asOf: dates.asOf, first })]);
  if (dates.calibrationEnd <= first) stopOn([t('clv.err.calibrationBeforeData', { calibrationEnd: dates.calibrationLast, first })]);
  if (dates.calibrationLast >= dates.asOf) stopOn([t('clv.err.calibrationAfterAsOf', { calibrationEnd: dates.calibrationLast, asOf: dates.asOf })]);
  if (dates.holdoutEnd && dates.holdoutEnd > dates.asOf) stopOn([t('clv.err.holdoutPastAsOf', { calibrationEnd: dates.calibrationEnd, holdoutEnd: dates.holdoutLast!, asOf: dates.asOf })]);
  const late = daysBetween(range.max_date!, dates.asOf);
  if (late > LATE_AS_OF_DAYS) problems.push({ severity: 'warning', role: null, message: t('clv.warn.asOfLate', { asOf: dates.asOf, last: range.max_date!, days: late }) });
  if (range.refunds > 0) problems.push({ severity: 'info', role: 'amount', message: t('clv.note.refunds', { n: range.refunds }) });

  const work = workTables(cell.id);
  const args: ClvTaskArgs = {
    spec: { source: spec.source, customerId: spec.customerId, orderDate: spec.orderDate, amount: spec.amount, unit: spec.unit },
    dates: { calibrationEnd: dates.calibrationEnd, holdoutEnd: dates.holdoutEnd },
    holdout: dates.holdoutEnd ? spec.holdout : 0,
    horizon: spec.horizon,
    discountRate: spec.discountRate,
    model: spec.model,
    compare: true,
    inputTable: work.input,
    predictionTable: work.predictions,
  };
  let fit: ClvTaskResult;
  const resultContext = { calibrationLast: dates.calibrationLast, unit: spec.unit, horizon: spec.horizon, churnBands: spec.churnBands };
  const sql = clvResultSql(work.input, work.predictions, resultContext);
  let result;
  try {
    ctx.progress(null, progressNote('summary'));
    try {
      fit = await engine.track(engine.client.runTask<ClvTaskResult>(CLV_TASK, args, (p) => ctx.progress(p.fraction, progressNote(p.note))));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err.name === 'ClvError' || /ClvError/.test(err.message)) stopOn([t('clv.err.model', { message: err.message.replace(/^ClvError:\s*/, '') })]);
      throw err;
    }
    ctx.progress(null, t('clv.progress.view'));
    result = await engine.track(engine.client.runCell(cell.name, sql, ctx.previousView));
  } finally {
    await engine.track(engine.client.query(`DROP TABLE IF EXISTS ${ident(work.input)}; DROP TABLE IF EXISTS ${ident(work.predictions)}`)).catch(() => undefined);
  }
  const view = cell.name;
  const [[stats], pAlive, clv, segRows] = await Promise.all([
    rows<ClvStatsRow>(engine, clvStatsSql(view)),
    rows<RfmHistogramBin>(engine, foldedHistogramSql(view, 'p_alive', 20, 1, [0, 1])),
    rows<RfmHistogramBin>(engine, foldedHistogramSql(view, 'clv', 24, 0.95)),
    seg && !('problem' in seg) ? rows<ClvSegmentRow>(engine, clvBySegmentSql(view, seg.view, seg.column)) : Promise.resolve(null),
  ]);
  let segments: ClvSegmentResult | null = null;
  if (segRows && seg && !('problem' in seg)) {
    // A segment view of other customers (another table) groups nothing: say so rather than show one bar.
    if (segRows.every((r) => r.segment === NO_SEGMENT)) problems.push({ severity: 'warning', role: null, message: t('clv.seg.noMatch', { name: seg.view }) });
    else segments = { view: seg.view, column: seg.column, rows: segRows };
  }
  return {
    view,
    customers: result.rows,
    columns: result.columns,
    elapsedMs: performance.now() - t0,
    dates,
    range,
    unit: spec.unit,
    horizon: spec.horizon,
    discountRate: spec.discountRate,
    holdoutLength: args.holdout,
    fit,
    stats,
    pAlive,
    clv,
    segments,
    problems,
    // Shown to the user: the scratch tables under readable names (issue 14: no internal names on screen).
    sql: clvResultSql('clv_model_inputs', 'clv_model_predictions', resultContext),
  };
}

/** Downloads the whole CLV table (every prediction column) as CSV or Parquet. */
export async function exportClv(engine: EngineState, view: string, format: 'csv' | 'parquet' = 'csv'): Promise<void> {
  const bytes = await engine.track(engine.client.exportQuery(clvExportSql(view), format));
  if (format === 'csv') downloadBytes(bytes, `${segmentSlug(view)}_clv.csv`, 'text/csv;charset=utf-8');
  else downloadBytes(bytes, `${segmentSlug(view)}_clv.parquet`, 'application/vnd.apache.parquet');
}

/** The CLV cell kind. */
export const clvRuntime: CellKindRuntime<ClvCell> = {
  kind: 'clv',
  create: (base, tables) => newClvCell(base, tables.relations),
  run: runToView(runClvCell),
  reads(cell) {
    const seg = cell.segmentView ?? autoSegmentCell(cell);
    return [cell.spec.source, ...(seg ? [seg] : [])].filter(Boolean);
  },
  renameSource(cell, from, to) {
    if (cell.spec.source.toLowerCase() === from.toLowerCase()) cell.spec.source = to;
    if (cell.segmentView?.toLowerCase() === from.toLowerCase()) cell.segmentView = to;
  },
  async remove(cell, engine) {
    const work = workTables(cell.id);
    await engine.track(engine.client.query(`DROP TABLE IF EXISTS ${ident(work.input)}; DROP TABLE IF EXISTS ${ident(work.predictions)}`)).catch(() => undefined);
  },
};
