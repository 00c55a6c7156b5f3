/**
 * The CLV worker task (issue 8) through the real engine: on an order log simulated from known
 * BG/NBD and Gamma-Gamma parameters it fits both models (the maximum likelihood is at least the
 * likelihood of the true parameters), predicts per customer consistently with the numeric core,
 * stores the predictions, compares a holdout, reports progress, can be cancelled, and says what is
 * wrong with data it cannot fit.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { EngineCore } from '../../../workers/engine-core';
import type { ClvTaskArgs, ClvTaskResult } from '../../../workers/tasks/clv-task';
import { bgnbdLogLikelihood } from '../../../workers/clv/bgnbd';
import { customerValue, ratePerPeriod } from '../../../workers/clv/clv';
import { gammaGammaLogLikelihood } from '../../../workers/clv/gammagamma';
import { paretonbdLogLikelihood } from '../../../workers/clv/paretonbd';
import { paretonbdModel } from '../../../workers/clv/purchase-model';
import { clvResultSql } from '../../../src/lib/segment/clv-sql';
import { CHURN_BANDS } from '../../../src/lib/segment/clv-predict-sql';
import { addDays } from '../../../src/lib/segment/orders-source';
import { openNodeEngine, source } from '../helpers/node-engine';
import { Random } from '../clv/simulate';

const TRUTH = { r: 0.8, alpha: 4, a: 0.8, b: 3 }; // per week
const SPEND = { p: 6, q: 4, gamma: 15 }; // mean spend per purchase 6 x 15 / 3 = 30

/**
 * An order log drawn from the models' definitions: first purchase on a day in the first half of
 * 2023, then purchases at Poisson rate λ ~ Gamma(r, α) per week until the customer drops out (after
 * each repeat purchase, with p ~ Beta(a, b)); each order worth Gamma(p, ν), ν ~ Gamma(q, γ).
 */
function simulate(customers: number, seed: number): string {
  const rng = new Random(seed);
  const lines = ['customer_id,order_date,amount'];
  const end = 78; // weeks of history to draw (to mid-2024)
  for (let k = 0; k < customers; k++) {
    const id = `S${String(k).padStart(5, '0')}`;
    const firstDay = Math.floor(rng.uniform() * 181);
    const lambda = rng.gamma(TRUTH.r) / TRUTH.alpha;
    const p = rng.beta(TRUTH.a, TRUTH.b);
    const nu = rng.gamma(SPEND.q) / SPEND.gamma;
    const order = (week: number) => lines.push(`${id},${addDays('2023-01-01', firstDay + Math.floor(week * 7))},${(rng.gamma(SPEND.p) / nu).toFixed(2)}`);
    order(0);
    let t = 0;
    for (;;) {
      t += rng.exponential() / lambda;
      if (t > end) break;
      order(t);
      if (rng.uniform() < p) break;
    }
  }
  return lines.join('\n');
}

let engine: EngineCore;
beforeAll(async () => {
  engine = await openNodeEngine();
  await engine.loadFile(source('sim.csv', simulate(3000, 42)), { tableName: 'sim' });
  await engine.loadFile(source('once.csv', 'customer_id,order_date,amount\na,2024-01-01,10\nb,2024-01-02,20\n'), { tableName: 'once' });
}, 60_000);

const args = (over: Partial<ClvTaskArgs> = {}): ClvTaskArgs => ({
  spec: { source: 'sim', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', unit: 'weeks' },
  dates: { calibrationEnd: '2024-01-01', holdoutEnd: '2024-07-01' },
  holdout: 26,
  horizon: 52,
  discountRate: 0.1,
  inputTable: '__segnote_clv_t_in',
  predictionTable: '__segnote_clv_t_pred',
  ...over,
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return tableFromIPC((await engine.query(sql)).ipc)
    .toArray()
    .map((r) => r.toJSON() as Record<string, unknown>);
}

describe('the clv-fit task', () => {
  let result: ClvTaskResult;
  const progress: { fraction: number | null; note?: string }[] = [];

  beforeAll(async () => {
    result = (await engine.runTask('clv-fit', args(), (p) => progress.push(p))) as ClvTaskResult;
  }, 60_000);

  test('fits both models to their maximum likelihood (at least that of the true parameters)', async () => {
    const inputs = await rows('SELECT x, t_x, "T", mbar FROM __segnote_clv_t_in ORDER BY i');
    const col = (k: string) => Float64Array.from(inputs, (r) => Number(r[k]));
    const data = { x: col('x'), tx: col('t_x'), T: col('T') };
    expect(result.customers).toBe(3000);
    expect(result.bgnbd.converged).toBe(true);
    expect(result.gammaGamma.converged).toBe(true);
    expect(result.bgnbd.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(TRUTH, data) - 1e-6);
    expect(result.gammaGamma.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(SPEND, { x: data.x, mbar: col('mbar') }) - 1e-6);
    // 3000 customers pin the purchase rate r/α and the mean spend down well.
    expect(result.bgnbd.r / result.bgnbd.alpha).toBeGreaterThan(0.7 * (TRUTH.r / TRUTH.alpha));
    expect(result.bgnbd.r / result.bgnbd.alpha).toBeLessThan(1.3 * (TRUTH.r / TRUTH.alpha));
    const meanSpend = (result.gammaGamma.p * result.gammaGamma.gamma) / (result.gammaGamma.q - 1);
    expect(meanSpend).toBeGreaterThan(25);
    expect(meanSpend).toBeLessThan(35);
    // Spend is drawn independently of frequency: the check passes.
    expect(result.check).toMatchObject({ ok: true, limit: 0.3 });
    expect(Math.abs(result.check.correlation)).toBeLessThan(0.3);
  });

  test('stores one prediction per customer, equal to the numeric core on the same inputs', async () => {
    await engine.runCell('clv_sim', clvResultSql('__segnote_clv_t_in', '__segnote_clv_t_pred', { calibrationLast: '2023-12-31', unit: 'weeks', horizon: 52, churnBands: CHURN_BANDS }));
    const view = await rows('SELECT count(*)::INT AS n, sum(clv) AS clv, min(p_alive) AS lo, max(p_alive) AS hi FROM clv_sim');
    expect(view[0].n).toBe(3000);
    expect(Number(view[0].lo)).toBeGreaterThanOrEqual(0);
    expect(Number(view[0].hi)).toBeLessThanOrEqual(1);
    // The view rounds CLV to cents: 3000 roundings of at most half a cent.
    expect(Math.abs(Number(view[0].clv) - result.totalClv)).toBeLessThan(15);

    const some = await rows(`SELECT s.x, s.t_x, s."T", s.mbar, p.p_alive, p.expected_purchases, p.expected_aov, p.clv
      FROM __segnote_clv_t_in s JOIN __segnote_clv_t_pred p USING (i) WHERE s.i IN (0, 7, 1234, 2999) ORDER BY s.i`);
    const f = (k: string) => Float64Array.from(some, (r) => Number(r[k]));
    const perYear = 365.25 / 7;
    const want = customerValue(result.bgnbd, result.gammaGamma, { x: f('x'), tx: f('t_x'), T: f('T') }, f('mbar'), {
      horizon: 52,
      periodLength: perYear / 12,
      discountRate: ratePerPeriod(0.1, perYear / 12, perYear),
    });
    some.forEach((r, i) => {
      expect(Number(r.p_alive)).toBeCloseTo(want.pAlive[i], 12);
      expect(Number(r.expected_purchases)).toBeCloseTo(want.expectedPurchases[i], 12);
      expect(Number(r.expected_aov)).toBeCloseTo(want.expectedSpend[i], 9);
      expect(Number(r.clv)).toBeCloseTo(want.clv[i], 9);
    });
  });

  test('compares the holdout: groups cover every customer, and the model predicts the holdout purchases closely', () => {
    const h = result.holdout!;
    expect(h.length).toBe(26);
    expect(h.groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(h.groups.reduce((s, g) => s + g.customers, 0)).toBe(3000);
    expect(h.actual).toBeGreaterThan(500);
    expect(Math.abs(h.predicted / h.actual - 1)).toBeLessThan(0.12);
  });

  test('reports progress through the phases and times them', () => {
    expect(progress[0]).toEqual({ fraction: null, note: 'summary' });
    expect(progress.at(-1)).toEqual({ fraction: 1, note: 'store' });
    const fractions = progress.slice(1).map((p) => p.fraction as number);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(result.timings.total).toBeGreaterThan(0);
    expect(result.timings.total).toBeGreaterThanOrEqual(result.timings.bgnbd + result.timings.gammaGamma);
  });

  test('with compare, Pareto/NBD past its time budget is reported as not fitted and BG/NBD still predicts (issue 17)', async () => {
    const r = (await engine.runTask('clv-fit', args({ compare: true, compareBudgetMs: 0, inputTable: '__segnote_clv_b_in', predictionTable: '__segnote_clv_b_pred' }))) as ClvTaskResult;
    expect(r.model).toBe('bgnbd');
    expect(r.paretonbd).toBeUndefined();
    expect(r.comparison.map((c) => [c.model, c.overBudgetMs ?? null])).toEqual([['bgnbd', null], ['paretonbd', 0]]);
    expect(r.bgnbd.logLikelihood).toBe(result.bgnbd.logLikelihood);
  });

  test('uses BG/NBD by default and fits no Pareto/NBD', () => {
    expect(result.model).toBe('bgnbd');
    expect(result.paretonbd).toBeUndefined();
    expect(result.timings.paretonbd).toBeUndefined();
    expect(progress.some((p) => p.note?.startsWith('paretonbd'))).toBe(false);
  });
});

describe('the clv-fit task with model: paretonbd (issue 17)', () => {
  let result: ClvTaskResult;
  const progress: { fraction: number | null; note?: string }[] = [];
  const pargs = args({ model: 'paretonbd', inputTable: '__segnote_clv_p_in', predictionTable: '__segnote_clv_p_pred' });

  beforeAll(async () => {
    result = (await engine.runTask('clv-fit', pargs, (p) => progress.push(p))) as ClvTaskResult;
  }, 60_000);

  test('fits Pareto/NBD beside BG/NBD, and reports its progress and time', async () => {
    const inputs = await rows('SELECT x, t_x, "T" FROM __segnote_clv_p_in ORDER BY i');
    const col = (k: string) => Float64Array.from(inputs, (r) => Number(r[k]));
    const data = { x: col('x'), tx: col('t_x'), T: col('T') };
    expect(result.model).toBe('paretonbd');
    const fit = result.paretonbd!;
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(3000);
    expect(fit.logLikelihood).toBeCloseTo(paretonbdLogLikelihood(fit, data), 6);
    // Still fitted for comparison, as in the default run.
    expect(result.bgnbd.converged).toBe(true);
    expect(result.bgnbd.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(TRUTH, data) - 1e-6);
    // The purchase rate r/α is pinned down by the data whichever model reads it.
    expect(fit.r / fit.alpha).toBeGreaterThan(0.7 * (TRUTH.r / TRUTH.alpha));
    expect(fit.r / fit.alpha).toBeLessThan(1.3 * (TRUTH.r / TRUTH.alpha));
    expect(progress.some((p) => p.note?.startsWith('paretonbd|'))).toBe(true);
    const fractions = progress.slice(1).map((p) => p.fraction as number);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(result.timings.paretonbd).toBeGreaterThan(0);
  });

  test('stores predictions from Pareto/NBD, equal to the numeric core on the same inputs', async () => {
    const some = await rows(`SELECT s.x, s.t_x, s."T", s.mbar, p.p_alive, p.expected_purchases, p.clv
      FROM __segnote_clv_p_in s JOIN __segnote_clv_p_pred p USING (i) WHERE s.i IN (0, 7, 1234, 2999) ORDER BY s.i`);
    const f = (k: string) => Float64Array.from(some, (r) => Number(r[k]));
    const perYear = 365.25 / 7;
    const want = customerValue(paretonbdModel(result.paretonbd!), result.gammaGamma, { x: f('x'), tx: f('t_x'), T: f('T') }, f('mbar'), {
      horizon: 52,
      periodLength: perYear / 12,
      discountRate: ratePerPeriod(0.1, perYear / 12, perYear),
    });
    some.forEach((r, i) => {
      expect(Number(r.p_alive)).toBeCloseTo(want.pAlive[i], 12);
      expect(Number(r.expected_purchases)).toBeCloseTo(want.expectedPurchases[i], 12);
      expect(Number(r.clv)).toBeCloseTo(want.clv[i], 9);
    });
    // Pareto/NBD lets customers without repeat purchases leave; BG/NBD does not.
    const zero = await rows('SELECT max(p.p_alive) AS hi FROM __segnote_clv_p_in s JOIN __segnote_clv_p_pred p USING (i) WHERE s.x = 0');
    expect(Number(zero[0].hi)).toBeLessThan(1);
  });

  test('compares the holdout with Pareto/NBD predictions', () => {
    const h = result.holdout!;
    expect(h.groups.reduce((s, g) => s + g.customers, 0)).toBe(3000);
    expect(Math.abs(h.predicted / h.actual - 1)).toBeLessThan(0.2);
  });

  test('compares both models: log-likelihoods and holdout errors, the chosen model first (issue 17)', () => {
    expect(result.comparison.map((c) => c.model)).toEqual(['paretonbd', 'bgnbd']);
    expect(result.comparison[0].logLikelihood).toBe(result.paretonbd!.logLikelihood);
    expect(result.comparison[1].logLikelihood).toBe(result.bgnbd.logLikelihood);
    for (const c of result.comparison) {
      expect(c.holdout!.actual).toBe(result.holdout!.actual);
      expect(c.holdout!.mae).toBeGreaterThan(0);
    }
    expect(result.comparison[0].holdout!.predicted).toBeCloseTo(result.holdout!.predicted, 6);
  });

  test('stores the chance of an order within the horizon and a next-order wait only where it reaches 1/2', async () => {
    const r = await rows(`SELECT count(*) FILTER (WHERE p_order < 0 OR p_order > p_alive + 1e-12) AS bad,
      count(*) FILTER (WHERE isfinite(next_wait) <> (p_order >= 0.5)) AS mismatched,
      count(*) FILTER (WHERE isfinite(next_wait) AND (next_wait < 1 OR next_wait > 364 OR next_wait <> round(next_wait))) AS bad_wait,
      count(*) FILTER (WHERE isfinite(next_wait)) AS dated
      FROM __segnote_clv_p_pred`);
    expect(r[0]).toMatchObject({ bad: 0n, mismatched: 0n, bad_wait: 0n });
    expect(Number(r[0].dated)).toBeGreaterThan(0);
  });

  test('the tracking chart ends at the cohort\'s actual repeat purchases (counted here in SQL) and the expected ones are close', async () => {
    const [{ n }] = await rows(`WITH d AS (SELECT DISTINCT customer_id, CAST(order_date AS DATE) AS day FROM sim WHERE amount >= 0 AND CAST(order_date AS DATE) < DATE '2024-07-01'),
      f AS (SELECT customer_id, min(day) AS first FROM d GROUP BY customer_id HAVING min(day) < DATE '2024-01-01')
      SELECT count(*)::DOUBLE AS n FROM d JOIN f USING (customer_id) WHERE day > first`);
    const track = result.tracking;
    const last = track.at(-1)!;
    expect(last.actual).toBe(Number(n));
    expect(last.day).toBe(182); // 26 weeks of holdout
    expect(track.find((p) => p.week === 0)!.day).toBe(0);
    for (let k = 1; k < track.length; k++) expect(track[k].expected).toBeGreaterThanOrEqual(track[k - 1].expected);
    expect(Math.abs(last.expected / last.actual - 1)).toBeLessThan(0.15);
  });

  test('the frequency × recency grid holds probabilities for every frequency and recency range', () => {
    const g = result.grid;
    expect(g.cells).toHaveLength((g.maxX + 1) * g.columns);
    expect(g.cells.every((c) => c.pAlive >= 0 && c.pAlive <= 1 && c.expected >= 0)).toBe(true);
    // More recent last purchases make a frequent buyer likelier to be alive.
    const row = g.cells.filter((c) => c.x === 3);
    expect(row.at(-1)!.pAlive).toBeGreaterThan(row[0].pAlive);
  });

  test('refuses an unknown model', async () => {
    await expect(engine.runTask('clv-fit', { ...pargs, model: 'weibull' })).rejects.toThrow(/Unknown purchase model "weibull"/);
  });
});

describe('the clv-fit task refuses and stops', () => {
  test('is cancelled between steps', async () => {
    const running = engine.runTask('clv-fit', args({ inputTable: '__segnote_clv_c_in', predictionTable: '__segnote_clv_c_pred' }), (p) => {
      if (p.note === 'summary') engine.cancel();
    });
    await expect(running).rejects.toThrow(/Cancelled/);
  });

  test('says so when nobody bought twice, and writes only internal tables', async () => {
    const once = args({ spec: { source: 'once', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', unit: 'days' }, dates: { calibrationEnd: '2024-02-01', holdoutEnd: null }, holdout: 0 });
    await expect(engine.runTask('clv-fit', once)).rejects.toThrow(/No customer made a repeat purchase/);
    await expect(engine.runTask('clv-fit', args({ predictionTable: 'sim' }))).rejects.toThrow(/only write internal tables/);
    await expect(engine.runTask('clv-fit', args({ dates: { calibrationEnd: '2020-01-01', holdoutEnd: null }, holdout: 0 }))).rejects.toThrow(/No customer made a purchase in the calibration period/);
  });
});
