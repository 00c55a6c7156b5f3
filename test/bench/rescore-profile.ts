/**
 * Where an RFM re-score's time goes (issue 16), in Node on the engine core the worker runs:
 * loads the benchmark's orders CSV, runs RFM once (keeping the aggregates), then times each part of
 * a settings change. Run: npx tsx test/bench/rescore-profile.ts [1M|10M]
 */
import { readFileSync } from 'node:fs';
import { openNodeEngine, source } from '../unit/helpers/node-engine';
import { rfmAggregatesKey, rfmAggregatesSql, rfmSql } from '../../src/lib/segment/rfm-sql';
import { rfmTypesSql, defaultRfmTypes } from '../../src/lib/segment/rfm-types';
import { DEFAULT_RFM_RULES } from '../../src/lib/segment/rfm-rules';
import { benchRfmSpec } from './queries';
import { DATA_DIR } from './dataset';

const size = process.argv[2] ?? '1M';
const engine = await openNodeEngine();
const bytes = readFileSync(`${DATA_DIR}orders-${size}.csv`);
let t = performance.now();
await engine.loadFile(source('orders.csv', new Uint8Array(bytes)), { tableName: 'bench_orders' });
console.log(`load ${Math.round(performance.now() - t)} ms`);
const spec = benchRfmSpec('bench_orders');
const agg = '__segnote_rfmagg_x';
const time = async (label: string, f: () => Promise<unknown>) => {
  const s = performance.now();
  await f();
  console.log(`${label}: ${(performance.now() - s).toFixed(1)} ms`);
};
await time('full rfm (runCell)', () => engine.runCell('full', rfmSql(spec, DEFAULT_RFM_RULES)));
await time('keep (build)', () => engine.keep(agg, rfmAggregatesKey(spec), rfmAggregatesSql(spec), 'bench_orders'));
for (let i = 0; i < 3; i++) {
  await time('dataStamp', () => engine.dataStamp('bench_orders'));
  await time('keep (current)', () => engine.keep(agg, rfmAggregatesKey(spec), rfmAggregatesSql(spec), 'bench_orders'));
  await time('rescore quintiles', () => engine.runCell('r', rfmSql({ ...spec, aggregates: agg }, DEFAULT_RFM_RULES)));
  await time('rescore thresholds', () => engine.runCell('r', rfmSql({ ...spec, aggregates: agg, scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [50, 100, 250, 500] } }, DEFAULT_RFM_RULES)));
  await time('rescore types', () => engine.runCell('r', rfmTypesSql({ ...spec, aggregates: agg }, defaultRfmTypes())));
  await time('measures only', () => engine.query(`SELECT count(*) FROM (SELECT customer_id, CAST(round(total, 2) AS DOUBLE) FROM ${agg})`));
  const thr = rfmSql({ ...spec, aggregates: agg, scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [50, 100, 250, 500] } }, DEFAULT_RFM_RULES);
  const q = rfmSql({ ...spec, aggregates: agg }, DEFAULT_RFM_RULES);
  const cutsOnly = q.slice(0, q.indexOf(',\nrfm_scored AS (')) + '\nSELECT * FROM rfm_breakpoints';
  await time('quintile cuts only', () => engine.query(cutsOnly));
  await time('one window sort', () => engine.query(`SELECT max(p) FROM (SELECT row_number() OVER (ORDER BY round(total, 2)) AS p FROM ${agg})`));
  await time('quintiles count only', () => engine.query(`SELECT count(*), sum(length(segment)) FROM (${q})`));
  await time('runCell SELECT 1', () => engine.runCell('one', 'SELECT 1 AS x'));
  await time('thresholds count only', () => engine.query(`SELECT count(*), sum(length(segment)) FROM (${thr})`));
  await time('thresholds CTAS via query', () => engine.query(`CREATE OR REPLACE TABLE __segnote_t AS ${thr}`));
  await time('relations()', () => engine.relations());
  await time('copy aggregates', () => engine.runCell('c', `SELECT * FROM ${agg}`));
}
t = performance.now();
