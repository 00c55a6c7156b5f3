/**
 * RFM over the orders model's clean purchases view against RFM over the table itself, in Node on
 * the benchmark's 1M-row data (the `rfm-model` workload of `npm run bench` measures the same in the
 * browser): `npx tsx test/bench/model-speed.ts [rows]`.
 */
import { readFileSync } from 'node:fs';
import { openNodeEngine, source } from '../unit/helpers/node-engine';
import { tableFromIPC } from 'apache-arrow';
import { BENCH_MODEL_FACTS, benchModelSpec, benchModelSql, benchRfmSpec } from './queries';
import { prepareModel } from '../../src/lib/orders/orders-build';
import { rfmSql } from '../../src/lib/segment/rfm-sql';
import { DEFAULT_RFM_RULES } from '../../src/lib/segment/rfm-rules';

const size = process.argv[2] ?? "1M";
const engine = await openNodeEngine();
const t0 = performance.now();
await engine.loadFile(source('bench_orders.parquet', new Uint8Array(readFileSync(`test/bench/data/orders-${size}.parquet`))));
console.log(`loaded in ${Math.round(performance.now() - t0)} ms`);
// The facts the benchmark assumes are the ones the app's checks find.
const rowsOf = async (sql: string) => tableFromIPC((await engine.query(sql)).ipc).toArray().map((r) => r.toJSON() as Record<string, unknown>);
const t1 = performance.now();
const prepared = await prepareModel(benchModelSpec('bench_orders'), await engine.relations(), rowsOf);
console.log(`model checks in ${Math.round(performance.now() - t1)} ms`);
for (const [k, v] of Object.entries(BENCH_MODEL_FACTS)) if (prepared.facts[k as keyof typeof BENCH_MODEL_FACTS] !== v) throw new Error(`fact ${k}: the app finds ${String(prepared.facts[k as keyof typeof BENCH_MODEL_FACTS])}, the benchmark assumes ${String(v)}`);
await engine.query(`CREATE VIEW bench_purchases AS ${benchModelSql('bench_orders')}`);
// Alternating runs, so neither side gets the warmer cache.
const sqls = { table: rfmSql(benchRfmSpec('bench_orders'), DEFAULT_RFM_RULES), model: rfmSql(benchRfmSpec('bench_purchases'), DEFAULT_RFM_RULES) };
const runs: Record<keyof typeof sqls, number[]> = { table: [], model: [] };
for (let i = 0; i < 7; i++) {
  for (const k of ['table', 'model'] as const) {
    const t = performance.now();
    await engine.query(`CREATE OR REPLACE TABLE r AS ${sqls[k]}`);
    runs[k].push(performance.now() - t);
  }
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const k of ['table', 'model'] as const) console.log(`${k.padEnd(6)} median ${Math.round(med(runs[k]))} ms  runs ${runs[k].map(Math.round).join(', ')}`);
console.log(`model / table = ${(med(runs.model) / med(runs.table)).toFixed(2)}x`);
