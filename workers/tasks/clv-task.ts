/**
 * The CLV task: builds the per-customer model inputs (x, t_x, T, mbar) in SQL into an internal
 * table, reads them as typed arrays (they never leave the worker), fits BG/NBD (and Pareto/NBD
 * when chosen) and Gamma-Gamma by maximum likelihood with progress and cancellation between
 * iterations, predicts with the chosen purchase model P(alive),
 * expected purchases, expected order value and CLV per customer, and stores the predictions as a
 * second internal table keyed by the inputs' row index, with the chance of an order within the
 * horizon and the next-order wait (next-order.ts). The page joins the two into the cell's view
 * (`clvResultSql`) and gets back only parameters, checks, holdout groups, both models' log-likelihood
 * and holdout error, the frequency × recency grid, the tracking chart and totals.
 */
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { ident } from '../../src/lib/sql/quote';
import { clvSummarySql, unitDays, unitsPerYear, type ClvUnit } from '../../src/lib/segment/clv-sql';
import { clvTrackingSql } from '../../src/lib/segment/clv-predict-sql';
import { addDays, daysBetween } from '../../src/lib/segment/orders-source';
import { fitBgNbdSteps, type BgNbdFit } from '../clv/bgnbd';
import { customerValue, ratePerPeriod } from '../clv/clv';
import { ClvError } from '../clv/errors';
import { fitParetoNbdSteps, type ParetoNbdFit } from '../clv/paretonbd';
import { bgnbdModel, paretonbdModel, type PurchaseModelName } from '../clv/purchase-model';
import { fitGammaGammaSteps, gammaGammaCheck, GAMMA_GAMMA_CORRELATION_LIMIT, type GammaGammaCheck, type GammaGammaFit } from '../clv/gammagamma';
import { calibrationHoldout, type HoldoutGroup } from '../clv/holdout';
import { frequencyRecencyGrid, gridMaxFrequency, holdoutError, trackingSeries, type FrequencyRecencyGrid, type HoldoutError, type TrackingPoint } from '../clv/model-checks';
import { nextOrders } from '../clv/next-order';
import { Pacer, registerTask, type TaskHost } from './registry';
import { t } from '../../src/lib/i18n';

/** The task's name. */
export const CLV_TASK = 'clv-fit';

/** What the page sends. */
export interface ClvTaskArgs {
  /** The orders source and roles, and the model's time unit. */
  spec: { source: string; customerId: string; orderDate: string; amount: string; unit: ClvUnit };
  /** Calibration end and holdout end (exclusive, yyyy-mm-dd; holdoutEnd null = no holdout). */
  dates: { calibrationEnd: string; holdoutEnd: string | null };
  /** Holdout length in the unit (0 without a holdout). */
  holdout: number;
  /** Prediction horizon in the unit. */
  horizon: number;
  /** Annual discount rate (fraction). */
  discountRate: number;
  /**
   * The purchase model behind the predictions (default 'bgnbd'). With 'paretonbd' BG/NBD is fitted
   * too, so that the two can be compared.
   */
  model?: PurchaseModelName;
  /** Fit the other purchase model too (for the comparison), also when BG/NBD is chosen. */
  compare?: boolean;
  /**
   * Most milliseconds the comparison's model may take (default COMPARE_BUDGET_MS): past it, it is
   * reported as not fitted rather than holding up the chosen model's predictions.
   */
  compareBudgetMs?: number;
  /** Internal tables to (re)create for the inputs and the predictions; both must start with `__segnote_`. */
  inputTable: string;
  predictionTable: string;
}

/** The calibration/holdout comparison. */
export interface ClvHoldoutResult {
  /** Customers grouped by calibration frequency: mean actual against mean predicted holdout purchases. */
  groups: HoldoutGroup[];
  /** Holdout purchases of the whole cohort, actual and predicted. */
  actual: number;
  predicted: number;
  /** Holdout length in the unit. */
  length: number;
}

/** One purchase model's fit as the comparison shows it. */
export interface ClvModelSummary {
  model: PurchaseModelName;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  /** Its error on the holdout (null without a holdout). */
  holdout: HoldoutError | null;
  /** Why the model could not be fitted (only for the model that does not drive the predictions). */
  error?: string;
  /** The model was left unfitted after this many milliseconds (the comparison's time budget). */
  overBudgetMs?: number;
}

/** What the task returns (small: no per-customer data). */
export interface ClvTaskResult {
  customers: number;
  repeatCustomers: number;
  /** The purchase model the predictions come from. */
  model: PurchaseModelName;
  bgnbd: BgNbdFit;
  /** The Pareto/NBD fit, when it is the chosen model. */
  paretonbd?: ParetoNbdFit;
  gammaGamma: GammaGammaFit;
  check: GammaGammaCheck & { limit: number };
  holdout: ClvHoldoutResult | null;
  /** The purchase models fitted, the chosen one first. */
  comparison: ClvModelSummary[];
  /** The chosen model's P(alive) and expected purchases over the frequency × recency grid. */
  grid: FrequencyRecencyGrid;
  /** The tracking chart's weeks (chosen model). */
  tracking: TrackingPoint[];
  /** Sum of CLV (finite values) and of expected purchases over the horizon. */
  totalClv: number;
  totalExpectedPurchases: number;
  /** Milliseconds per phase, measured in the worker. */
  timings: { summary: number; bgnbd: number; paretonbd?: number; gammaGamma: number; predict: number; checks: number; store: number; total: number };
}

/** Progress notes: a phase code, and for the fits `phase|iteration|log-likelihood` (the page words them). */
export type ClvProgressPhase = 'summary' | 'bgnbd' | 'paretonbd' | 'gammagamma' | 'predict' | 'checks' | 'store';

const PREDICT_CHUNK = 200_000;

/**
 * Default time budget of the comparison's model. Pareto/NBD can take minutes where customers have
 * hundreds of purchases (its 2F1 series slows down); BG/NBD, the default, waits for it at most 5 s.
 */
export const COMPARE_BUDGET_MS = 5_000;

/** Thrown by `drive` past its deadline. */
class OverBudget extends Error {}

function readArgs(raw: unknown): ClvTaskArgs {
  const a = raw as ClvTaskArgs;
  const internal = (n: unknown) => typeof n === 'string' && n.startsWith('__segnote_') && n.length < 200;
  if (!a || typeof a !== 'object' || !a.spec || !a.dates) throw new ClvError('The CLV task got no settings.');
  if (!internal(a.inputTable) || !internal(a.predictionTable)) throw new ClvError('The CLV task can only write internal tables.');
  if (a.spec.unit !== 'days' && a.spec.unit !== 'weeks') throw new ClvError(t('msg.clv.unit', { unit: String(a.spec.unit) }));
  for (const [key, v] of [['msg.clv.horizonNumber', a.horizon], ['msg.clv.holdoutNumber', a.holdout], ['msg.clv.discountNumber', a.discountRate]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ClvError(t(key, { value: String(v) }));
  }
  if (!(a.horizon > 0)) throw new ClvError(t('msg.clv.horizonPositive'));
  if (a.compare !== undefined && typeof a.compare !== 'boolean') throw new ClvError('The CLV task\'s compare flag must be true or false.');
  if (a.compareBudgetMs !== undefined && !(typeof a.compareBudgetMs === 'number' && a.compareBudgetMs >= 0)) throw new ClvError('The comparison\'s time budget must be a number of milliseconds >= 0.');
  if (a.model !== undefined && a.model !== 'bgnbd' && a.model !== 'paretonbd') {
    throw new ClvError(t('msg.clv.model', { model: String(a.model) }));
  }
  return a;
}

function column(table: Table, name: string): Float64Array {
  const v = table.getChild(name);
  if (!v) throw new ClvError(`The model inputs have no column ${name}.`);
  const values = v.toArray();
  return values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
}

/** Drives a fit generator to its end, reporting each iteration; fractions go from `from` towards `to`. */
async function drive<P extends { iter: number; logLikelihood: number }, R>(
  steps: Generator<P, R, void>,
  pacer: Pacer,
  phase: ClvProgressPhase,
  from: number,
  to: number,
  deadline = Infinity,
): Promise<R> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() > deadline) throw new OverBudget();
    const { iter, logLikelihood } = step.value;
    // Iterations are not known in advance; most fits converge within ~50.
    const fraction = from + (to - from) * Math.min(0.95, iter / 60);
    await pacer.tick(fraction, `${phase}|${iter}|${logLikelihood}`);
  }
}

/** Fits and predicts (see the module comment). */
export async function runClvTask(host: TaskHost, raw: unknown): Promise<ClvTaskResult> {
  const args = readArgs(raw);
  const t0 = performance.now();
  const pacer = new Pacer(host);
  // One long query: its length is unknown, so the bar runs without a fraction.
  host.progress(null, 'summary');

  const input = ident(args.inputTable);
  // Rows are numbered in whatever order the aggregate produces them (no sort); `i` places each one.
  await host.exec(`CREATE OR REPLACE TABLE ${input} AS
SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS i, *
FROM (
${clvSummarySql(args.spec, args.dates, false)}
)`);
  const inputs = await host.query(`SELECT i, x, t_x, "T", mbar, holdout_x FROM ${input}`);
  const index = column(inputs, 'i');
  const n = index.length;
  const place = (name: string) => {
    const values = column(inputs, name);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[index[k]] = values[k];
    return out;
  };
  const x = place('x');
  const tx = place('t_x');
  const T = place('T');
  const mbar = place('mbar');
  const holdoutX = place('holdout_x');
  if (n === 0) throw new ClvError(t('msg.clv.noCalibrationPurchase'));
  const tSummary = performance.now();
  await pacer.tick(0.1, 'bgnbd');

  const data = { x, tx, T };
  const modelName = args.model ?? 'bgnbd';
  const pareto = modelName === 'paretonbd' || args.compare === true;
  const bgnbd = await drive(fitBgNbdSteps(data), pacer, 'bgnbd', 0.1, pareto ? 0.35 : 0.6);
  const tBg = performance.now();
  let paretonbd: ParetoNbdFit | undefined;
  let paretoError: string | undefined;
  let paretoOverBudget: number | undefined;
  if (pareto) {
    const chosen = modelName === 'paretonbd';
    const budget = args.compareBudgetMs ?? COMPARE_BUDGET_MS;
    try {
      paretonbd = await drive(fitParetoNbdSteps(data), pacer, 'paretonbd', 0.35, 0.6, chosen ? Infinity : performance.now() + budget);
    } catch (e) {
      // Only the comparison's model may fail quietly; cancellation and the chosen model's failure stop the run.
      if (e instanceof OverBudget) paretoOverBudget = budget;
      else if (chosen || !(e instanceof ClvError)) throw e;
      else paretoError = e.message;
    }
  }
  const tPareto = performance.now();
  const model = modelName === 'paretonbd' && paretonbd ? paretonbdModel(paretonbd) : bgnbdModel(bgnbd);

  // Gamma-Gamma models positive order values: repeat customers whose repeat orders were all free are left out of its fit.
  const spendX = new Float64Array(n);
  let repeatCustomers = 0;
  for (let k = 0; k < n; k++) {
    if (x[k] > 0) repeatCustomers++;
    spendX[k] = mbar[k] > 0 ? x[k] : 0;
  }
  const spend = { x: spendX, mbar };
  const check = gammaGammaCheck(spend);
  const gammaGamma = await drive(fitGammaGammaSteps(spend), pacer, 'gammagamma', 0.6, 0.75);
  const tGg = performance.now();

  const perYear = unitsPerYear(args.spec.unit);
  const periodLength = perYear / 12;
  const options = { horizon: args.horizon, periodLength, discountRate: ratePerPeriod(args.discountRate, periodLength, perYear) };
  const pAlive = new Float64Array(n);
  const expectedPurchases = new Float64Array(n);
  const expectedAov = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let start = 0; start < n; start += PREDICT_CHUNK) {
    const end = Math.min(n, start + PREDICT_CHUNK);
    const part = { x: x.subarray(start, end), tx: tx.subarray(start, end), T: T.subarray(start, end) };
    const v = customerValue(model, gammaGamma, part, mbar.subarray(start, end), options);
    pAlive.set(v.pAlive, start);
    expectedPurchases.set(v.expectedPurchases, start);
    expectedAov.set(v.expectedSpend, start);
    clv.set(v.clv, start);
    await pacer.tick(0.75 + (0.1 * end) / n, 'predict');
  }
  const next = nextOrders(model.orderTime, { x, T }, pAlive, args.horizon, unitDays(args.spec.unit));
  let totalClv = 0;
  let totalExpectedPurchases = 0;
  for (let k = 0; k < n; k++) {
    if (Number.isFinite(clv[k])) totalClv += clv[k];
    totalExpectedPurchases += expectedPurchases[k];
  }

  let holdout: ClvHoldoutResult | null = null;
  if (args.dates.holdoutEnd && args.holdout > 0) {
    const groups = calibrationHoldout(model, data, holdoutX, args.holdout);
    let actual = 0;
    let predicted = 0;
    for (const g of groups) {
      if (g.customers > 0) {
        actual += g.actual * g.customers;
        predicted += g.predicted * g.customers;
      }
    }
    holdout = { groups, actual, predicted, length: args.holdout };
  }
  const tPredict = performance.now();
  await pacer.tick(0.85, 'checks');

  const fitted = [
    { name: 'bgnbd' as const, fit: bgnbd, make: () => bgnbdModel(bgnbd) },
    ...(paretonbd ? [{ name: 'paretonbd' as const, fit: paretonbd, make: () => paretonbdModel(paretonbd) }] : []),
  ];
  const comparison: ClvModelSummary[] = fitted.map(({ name, fit, make }) => ({
    model: name,
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    iterations: fit.iterations,
    holdout: holdout ? holdoutError(make(), data, holdoutX, args.holdout) : null,
  }));
  if (paretoError !== undefined || paretoOverBudget !== undefined) {
    comparison.push({ model: 'paretonbd', logLikelihood: NaN, converged: false, iterations: 0, holdout: null, ...(paretoError ? { error: paretoError } : { overBudgetMs: paretoOverBudget }) });
  }
  comparison.sort((a, b) => (a.model === modelName ? -1 : b.model === modelName ? 1 : 0));
  let oldest = 0;
  for (let k = 0; k < n; k++) if (T[k] > oldest) oldest = T[k];
  const grid = frequencyRecencyGrid(model, Math.max(oldest, 1e-6), gridMaxFrequency(x), args.horizon);
  const calibrationLast = addDays(args.dates.calibrationEnd, -1);
  const end = args.dates.holdoutEnd && args.holdout > 0 ? args.dates.holdoutEnd : args.dates.calibrationEnd;
  const weekly = await host.query(clvTrackingSql(args.spec, { calibrationEnd: args.dates.calibrationEnd, calibrationLast, end }));
  const weeks = column(weekly, 'week');
  const counts = column(weekly, 'purchases');
  const perWeek = new Map<number, number>();
  weeks.forEach((w, j) => perWeek.set(w, counts[j]));
  const tracking = trackingSeries(model, T, unitDays(args.spec.unit), perWeek, daysBetween(args.dates.calibrationEnd, end));
  const tChecks = performance.now();
  await pacer.tick(0.9, 'store');

  const rowIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) rowIndex[k] = k;
  const predictions = tableFromArrays({
    i: rowIndex,
    p_alive: pAlive,
    expected_purchases: expectedPurchases,
    p_order: next.pOrder,
    next_wait: next.wait,
    expected_aov: expectedAov,
    clv,
  });
  await host.createTable(args.predictionTable, tableToIPC(predictions, 'stream'));
  const tStore = performance.now();
  host.progress(1, 'store');

  return {
    customers: n,
    repeatCustomers,
    model: modelName,
    bgnbd,
    ...(paretonbd ? { paretonbd } : {}),
    gammaGamma,
    check: { ...check, limit: GAMMA_GAMMA_CORRELATION_LIMIT },
    holdout,
    comparison,
    grid,
    tracking,
    totalClv,
    totalExpectedPurchases,
    timings: {
      summary: tSummary - t0,
      bgnbd: tBg - tSummary,
      ...(paretonbd ? { paretonbd: tPareto - tBg } : {}),
      gammaGamma: tGg - tPareto,
      predict: tPredict - tGg,
      checks: tChecks - tPredict,
      store: tStore - tChecks,
      total: tStore - t0,
    },
  };
}

registerTask(CLV_TASK, runClvTask);
