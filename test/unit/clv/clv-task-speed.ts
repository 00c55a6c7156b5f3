/**
 * The CLV cell's work on a million customers, end to end through the worker task in Node (issue 8:
 * fitting a million customers must not freeze the page — it runs in the worker with progress; this
 * measures how long it takes). Not a test: run with
 *   npx tsx test/unit/clv/clv-task-speed.ts [customers] [runs]
 *
 * Orders are simulated from the BG/NBD and Gamma-Gamma definitions with CDNOW-like parameters
 * (first purchases spread over 2023, observed to the end of 2024), loaded into the real engine
 * (DuckDB-WASM, as in the worker), then the task summarises them in SQL, fits both models,
 * predicts and stores; the cell's view is made as the page makes it.
 */
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { clvResultSql } from '../../../src/lib/segment/clv-sql';
import { CHURN_BANDS } from '../../../src/lib/segment/clv-predict-sql';
import type { ClvTaskResult } from '../../../workers/tasks/clv-task';
import { openNodeEngine, source } from '../helpers/node-engine';
import { Random } from './simulate';

const n = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 2);
const TRUTH = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // per week (CDNOW)
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };
const EPOCH_2023 = Date.UTC(2023, 0, 1) / 86_400_000;
const END_WEEKS = 104;

function simulate(): Uint8Array {
  const rng = new Random(1);
  const customer: number[] = [];
  const day: number[] = [];
  const amount: number[] = [];
  for (let k = 0; k < n; k++) {
    const first = Math.floor(rng.uniform() * 365);
    const lambda = rng.gamma(TRUTH.r) / TRUTH.alpha;
    const p = rng.beta(TRUTH.a, TRUTH.b);
    const nu = rng.gamma(SPEND.q) / SPEND.gamma;
    const add = (week: number) => {
      customer.push(k);
      day.push(EPOCH_2023 + first + Math.floor(week * 7));
      amount.push(Math.round((rng.gamma(SPEND.p) / nu) * 100) / 100);
    };
    add(0);
    let t = 0;
    const horizon = END_WEEKS - first / 7;
    for (;;) {
      t += rng.exponential() / lambda;
      if (t > horizon) break;
      add(t);
      if (rng.uniform() < p) break;
    }
  }
  const table = tableFromArrays({ customer_id: Int32Array.from(customer), day: Int32Array.from(day), amount: Float64Array.from(amount) });
  return tableToIPC(table, 'stream');
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function main(): Promise<void> {
  let w0 = performance.now();
  const ipc = simulate();
  console.log(`simulated ${n.toLocaleString('en')} customers in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
  const engine = await openNodeEngine();
  w0 = performance.now();
  await engine.loadFile(source('raw.arrow', ipc), { tableName: 'raw' });
  await engine.query(`CREATE TABLE orders AS SELECT customer_id, DATE '1970-01-01' + day AS order_date, amount FROM raw; DROP TABLE raw`);
  const rows = Number(tableFromIPC((await engine.query('SELECT count(*)::DOUBLE AS n FROM orders')).ipc).getChild('n')!.get(0));
  console.log(`loaded ${rows.toLocaleString('en')} orders in ${((performance.now() - w0) / 1000).toFixed(1)} s`);

  for (const holdout of [0, 26]) {
    for (let run = 0; run < runs; run++) {
      const c0 = cpuSeconds();
      w0 = performance.now();
      let reports = 0;
      let longest = 0;
      let last = performance.now();
      const result = (await engine.runTask(
        'clv-fit',
        {
          spec: { source: 'orders', customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', unit: 'weeks' },
          dates: holdout ? { calibrationEnd: '2024-07-02', holdoutEnd: '2025-01-01' } : { calibrationEnd: '2025-01-01', holdoutEnd: null },
          holdout,
          horizon: 52,
          discountRate: 0.1,
          inputTable: '__segnote_clv_speed_in',
          predictionTable: '__segnote_clv_speed_pred',
        },
        () => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
          reports++;
        },
      )) as ClvTaskResult;
      const task = performance.now() - w0;
      const v0 = performance.now();
      await engine.runCell('clv_speed', clvResultSql('__segnote_clv_speed_in', '__segnote_clv_speed_pred', { calibrationLast: '2024-12-31', unit: 'weeks', horizon: 52, churnBands: CHURN_BANDS }));
      await engine.query('DROP TABLE __segnote_clv_speed_in; DROP TABLE __segnote_clv_speed_pred');
      const view = performance.now() - v0;
      const tm = result.timings;
      console.log(
        `${holdout ? 'holdout 26 weeks' : 'no holdout'}, run ${run + 1}: ${result.customers.toLocaleString('en')} customers (${result.repeatCustomers.toLocaleString('en')} repeat, ${result.bgnbd.distinct.toLocaleString('en')} distinct histories)\n` +
          `  task ${(task / 1000).toFixed(2)} s = summary SQL ${(tm.summary / 1000).toFixed(2)} + BG/NBD ${(tm.bgnbd / 1000).toFixed(2)} (${result.bgnbd.iterations} it) + Gamma-Gamma ${(tm.gammaGamma / 1000).toFixed(2)} (${result.gammaGamma.iterations} it) + predict ${(tm.predict / 1000).toFixed(2)} + store ${(tm.store / 1000).toFixed(2)} s;` +
          ` result view ${(view / 1000).toFixed(2)} s; total ${((task + view) / 1000).toFixed(2)} s wall, ${(cpuSeconds() - c0).toFixed(2)} s CPU\n` +
          `  ${reports} progress reports, longest gap between them ${(longest / 1000).toFixed(2)} s\n` +
          `  r ${result.bgnbd.r.toFixed(3)} (${TRUTH.r}), alpha ${result.bgnbd.alpha.toFixed(3)} (${TRUTH.alpha}), a ${result.bgnbd.a.toFixed(3)} (${TRUTH.a}), b ${result.bgnbd.b.toFixed(3)} (${TRUTH.b}); ` +
          `p ${result.gammaGamma.p.toFixed(2)} (${SPEND.p}), q ${result.gammaGamma.q.toFixed(2)} (${SPEND.q}), gamma ${result.gammaGamma.gamma.toFixed(2)} (${SPEND.gamma})` +
          (result.holdout ? `\n  holdout purchases: actual ${result.holdout.actual.toLocaleString('en')}, predicted ${Math.round(result.holdout.predicted).toLocaleString('en')}` : ''),
      );
    }
  }
}

void main();
