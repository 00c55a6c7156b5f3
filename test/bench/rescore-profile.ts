/**
 * Where an RFM re-score's time goes (issue 16), in Node on the engine core the worker runs:
 * loads the benchmark's orders CSV, runs the RFM cell's plan once (keeping the aggregates and the
 * quintile cuts), then times each settings change of the `rfm-rescore` workload and the parts of
 * one, in wall and CPU milliseconds (CPU time moves less with the machine's load). Run:
 * npx tsx test/bench/rescore-profile.ts [1M|10M]
 */
import { readFileSync } from 'node:fs';
import { openNodeEngine, source } from '../unit/helpers/node-engine';
import { rfmCutsSql, rfmKeptPlan, rfmSql } from '../../src/lib/segment/rfm-sql';
import { rfmTypesSql, defaultRfmTypes } from '../../src/lib/segment/rfm-types';
import { DEFAULT_RFM_RULES } from '../../src/lib/segment/rfm-rules';
import type { RfmSpec } from '../../src/lib/segment/rfm-spec';
import { benchRfmSpec } from './queries';
import { DATA_DIR } from './dataset';

const size = process.argv[2] ?? '1M';
const engine = await openNodeEngine();
const bytes = readFileSync(`${DATA_DIR}orders-${size}.csv`);
let t = performance.now();
await engine.loadFile(source('orders.csv', new Uint8Array(bytes)), { tableName: 'bench_orders' });
console.log(`load ${Math.round(performance.now() - t)} ms`);
const spec: RfmSpec = benchRfmSpec('bench_orders');
const names = { aggregates: '__segnote_rfmagg_x', cuts: (m: RfmSpec['monetary']) => `__segnote_rfmcuts_${m}_x` };
const time = async (label: string, f: () => Promise<unknown>) => {
  const c = process.cpuUsage();
  const s = performance.now();
  await f();
  const cpu = process.cpuUsage(c);
  console.log(`${label}: ${(performance.now() - s).toFixed(1)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms CPU`);
};
/** One settings change as the RFM cell runs it: data stamp, the plan's kept tables, the per-customer SQL. */
const rescore = (s: RfmSpec, model: 'scores' | 'types', sql: (s: RfmSpec) => string) => async () => {
  await engine.dataStamp('bench_orders');
  const plan = rfmKeptPlan(s, model, names);
  await engine.keep(plan.keep, 'bench_orders');
  await engine.runCell('r', sql(plan.spec));
};
const renamed = DEFAULT_RFM_RULES.map((r, i) => ({ ...r, name: `Group ${i + 1}` }));
const thresholds: RfmSpec = { ...spec, scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [50, 100, 250, 500] } };
const average: RfmSpec = { ...spec, monetary: 'average' };
await time('first run (keeps aggregates and cuts)', rescore(spec, 'scores', (s) => rfmSql(s, DEFAULT_RFM_RULES)));
for (let i = 0; i < 3; i++) {
  await time('fixed cut points', rescore(thresholds, 'scores', (s) => rfmSql(s, DEFAULT_RFM_RULES)));
  await time('quintiles, average monetary', rescore(average, 'scores', (s) => rfmSql(s, DEFAULT_RFM_RULES)));
  await time('renamed rules', rescore(spec, 'scores', (s) => rfmSql(s, renamed)));
  await time('8-type model, means', rescore(spec, 'types', (s) => rfmTypesSql(s, defaultRfmTypes())));
  await time('quintiles', rescore(spec, 'scores', (s) => rfmSql(s, DEFAULT_RFM_RULES)));
  // Parts (queries only: a statement through query() would count as a write and rebuild the kept tables).
  const plan = rfmKeptPlan(spec, 'scores', names);
  await time('  dataStamp', () => engine.dataStamp('bench_orders'));
  await time('  keep (all current)', () => engine.keep(plan.keep, 'bench_orders'));
  await time('  cuts from the aggregates (query)', () => engine.query(rfmCutsSql(plan.spec)));
  await time('  scoring pass, count only (query)', () => engine.query(`SELECT count(*), sum(length(segment)) FROM (${rfmSql(plan.spec, DEFAULT_RFM_RULES)})`));
  await time('  runCell SELECT 1', () => engine.runCell('one', 'SELECT 1 AS x'));
}
