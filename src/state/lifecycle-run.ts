/**
 * Running a lifecycle cell: checks the source and roles, the rules and the as-of date against the
 * data, stages every customer into the cell's view, then reads the small results the page shows —
 * notes, the stage summary, the gap-ratio histogram and the number of churn warnings. Stage lists,
 * the warning list and its CSV export read the view on demand.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { t, type MessageKey } from '../lib/i18n';
import type { LifecycleCell } from '../lib/notebook/cells-clv';
import { newLifecycleCell } from '../lib/notebook/cells-clv';
import type { RoleProblem } from '../lib/segment/column-roles';
import {
  CHURN_WARNING_COLUMNS,
  churnWarningsSql,
  gapRatioHistogramSql,
  LIFECYCLE_LIST_COLUMNS,
  lifecycleCustomersSql,
  lifecycleNotesSql,
  lifecycleSql,
  lifecycleSummarySql,
  storeIntervalSql,
  validateLifecycleRules,
  validateLifecycleSpec,
  type GapRatioBin,
  type LifecycleNotesRow,
  type LifecycleRules,
  type LifecycleSummaryRow,
} from '../lib/segment/lifecycle-sql';
import { daysBetween } from '../lib/segment/orders-source';
import { segmentSlug } from '../lib/segment/rfm-views';
import { runToView, type CellKindRuntime } from './cell-kinds';
import { checkOrders, dropViews, internalName, listView, relationOf, rows, stopOn, translate, viewProblem, type CustomerList } from './clv-common';
import { downloadBytes } from './download';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';
import { viewRunFigures } from './segment-common';

/** Width of a gap-ratio histogram bin (in multiples of the usual interval). */
export const GAP_BIN = 0.25;
/** An as-of date this many days after the last order gets a warning. */
const LATE_AS_OF_DAYS = 365;

/** Everything a lifecycle run shows. */
export interface LifecycleResult {
  view: string;
  customers: number;
  columns: ColumnInfo[];
  elapsedMs: number;
  /** The staging query alone. */
  stagingMs: number;
  sql: string;
  asOf: string;
  rules: LifecycleRules;
  /** Ranked by CLV from this view, or null for the run-rate. */
  valueView: string | null;
  notes: LifecycleNotesRow;
  problems: RoleProblem[];
  summary: LifecycleSummaryRow[];
  gapBins: GapRatioBin[];
  /** The histogram's last regular edge (ratios beyond it are folded). */
  gapCap: number;
  /** The store's usual time to a second purchase (days), which one-time buyers are measured against. */
  storeInterval: number | null;
  warnings: number;
}

/** Runs a lifecycle cell (a plain snapshot); throws CellInputError with what to change. */
export async function runLifecycleCell(engine: EngineState, cell: LifecycleCell, tables: TablesState, previousView: string | undefined): Promise<LifecycleResult> {
  const t0 = performance.now();
  const spec = { ...cell.spec };
  const ruleProblems = validateLifecycleRules(cell.rules).map((p) => (p.params?.rule ? { ...p, params: { ...p.params, rule: t(`lc.ruleName.${p.params.rule}` as MessageKey) } } : p));
  const setup = [...translate(validateLifecycleSpec(spec)), ...translate(ruleProblems).map((m) => t('lc.err.rules', { message: m }))];
  if (spec.valueView) {
    const problem = viewProblem(tables, spec.valueView, ['customer_id', 'clv'], 'lc.valueView.what');
    if (problem) setup.push(problem);
  }
  stopOn(setup);
  const problems = await checkOrders(engine, tables, spec);
  spec.source = relationOf(tables, spec.source)!.name;

  const [notes] = await rows<LifecycleNotesRow>(engine, lifecycleNotesSql(spec));
  if (!notes.min_date || !notes.max_date) stopOn([t('lc.err.noPurchases', { source: spec.source })]);
  if (spec.asOf && spec.asOf <= notes.min_date!) stopOn([t('clv.err.asOfBeforeData', { asOf: spec.asOf, first: notes.min_date! })]);
  if (notes.customers === 0) stopOn([t('lc.err.noCustomers', { asOf: notes.as_of ?? '' })]);
  const asOf = notes.as_of!;
  const late = daysBetween(notes.max_date!, asOf);
  if (late > LATE_AS_OF_DAYS) problems.push({ severity: 'warning', role: null, message: t('clv.warn.asOfLate', { asOf, last: notes.max_date!, days: late }) });

  const sql = lifecycleSql(spec, cell.rules);
  const result = await engine.track(engine.client.runCell(cell.name, sql, previousView));
  const view = cell.name;
  const gapCap = Math.ceil(cell.rules.lapsedFactor * 1.5 / GAP_BIN) * GAP_BIN;
  const [summary, gapBins, [store]] = await Promise.all([
    rows<LifecycleSummaryRow>(engine, lifecycleSummarySql(view)),
    rows<GapRatioBin>(engine, gapRatioHistogramSql(view, GAP_BIN, gapCap)),
    rows<{ store_interval: number | null }>(engine, storeIntervalSql(view)),
  ]);
  return {
    ...viewRunFigures(view, sql, result, t0),
    customers: result.rows,
    stagingMs: result.elapsedMs,
    asOf,
    rules: { ...cell.rules },
    valueView: spec.valueView,
    notes,
    problems,
    summary,
    gapBins,
    gapCap,
    storeInterval: store?.store_interval ?? null,
    warnings: summary.reduce((s, r) => s + r.warnings, 0),
  };
}

/** The hidden views listing a stage's customers and the churn warnings. */
export function lifecycleListViews(cellId: string): { stage: string; warnings: string } {
  return { stage: internalName('lc', cellId, 'stage'), warnings: internalName('lc', cellId, 'warn') };
}

/** Lists the customers of a stage (or all) of a lifecycle result. */
export function selectStage(engine: EngineState, cellId: string, result: Pick<LifecycleResult, 'view' | 'columns'>, stage: string | null): Promise<CustomerList> {
  return listView(engine, lifecycleListViews(cellId).stage, lifecycleCustomersSql(result.view, stage), LIFECYCLE_LIST_COLUMNS, result.columns);
}

/** Lists the churn warnings of a lifecycle result. */
export function selectWarnings(engine: EngineState, cellId: string, result: Pick<LifecycleResult, 'view' | 'columns'>): Promise<CustomerList> {
  return listView(engine, lifecycleListViews(cellId).warnings, churnWarningsSql(result.view), CHURN_WARNING_COLUMNS, result.columns);
}

/** Downloads the churn-warning list (`CHURN_WARNING_COLUMNS`) as CSV. */
export async function exportWarnings(engine: EngineState, view: string): Promise<void> {
  const bytes = await engine.track(engine.client.exportQuery(churnWarningsSql(view), 'csv'));
  downloadBytes(bytes, `${segmentSlug(view)}_churn_warnings.csv`, 'text/csv;charset=utf-8');
}

/** The lifecycle cell kind. */
export const lifecycleRuntime: CellKindRuntime<LifecycleCell> = {
  kind: 'lifecycle',
  create: (base, tables) => newLifecycleCell(base, tables.relations),
  run: runToView((cell, ctx) => runLifecycleCell(ctx.engine, cell, ctx.tables, ctx.previousView)),
  reads: (cell) => [cell.spec.source, ...(cell.spec.valueView ? [cell.spec.valueView] : [])].filter(Boolean),
  renameSource(cell, from, to) {
    if (cell.spec.source.toLowerCase() === from.toLowerCase()) cell.spec.source = to;
    if (cell.spec.valueView?.toLowerCase() === from.toLowerCase()) cell.spec.valueView = to;
  },
  async remove(cell, engine) {
    const v = lifecycleListViews(cell.id);
    await dropViews(engine, [v.stage, v.warnings]);
  },
};
