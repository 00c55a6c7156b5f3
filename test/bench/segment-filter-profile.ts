/**
 * Where the segment builder's live count goes (issue 16), in Node on the engine core the worker
 * runs: loads the benchmark's orders CSV, keeps Segnote's RFM result as the cell does, then times
 * the `segment-filter` workload's two queries (the live count and the chart data) and parts of
 * them, in wall and CPU milliseconds (CPU time moves less with the machine's load). Run:
 * npx tsx test/bench/segment-filter-profile.ts [1M|10M]
 */
import { existsSync, readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { openNodeEngine, source } from '../unit/helpers/node-engine';
import { conditionSql, segmentCountSql, type ConditionTree } from '../../src/lib/segment/conditions';
import { segnoteRfmSql } from './queries';
import { DATA_DIR } from './dataset';

const size = process.argv[2] ?? '1M';
const reps = Number(process.argv[3] ?? 7);
const engine = await openNodeEngine();
// Segnote's RFM result, computed once per size by native DuckDB and kept as Parquet (loading the
// CSV and scoring it in DuckDB-WASM costs about a minute at 10M).
const cached = `${DATA_DIR}profile-rfm-${size}.parquet`;
if (!existsSync(cached)) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`CREATE TABLE bench_orders AS SELECT * FROM read_csv('${DATA_DIR}orders-${size}.csv')`);
  await conn.run(`COPY (${segnoteRfmSql('bench_orders')}) TO '${cached}' (FORMAT parquet)`);
  conn.closeSync();
}
let t = performance.now();
await engine.loadFile(source('rfm.parquet', new Uint8Array(readFileSync(cached))), { tableName: 'rfm_loaded' });
console.log(`load ${Math.round(performance.now() - t)} ms`);
t = performance.now();
const cell = await engine.runCell('bench_rfm', 'SELECT * FROM rfm_loaded');
console.log(`rfm ${Math.round(performance.now() - t)} ms, ${cell.rows} customers`);
const columns = cell.kind === 'rows' ? cell.columns : [];

/** Median wall and CPU ms of `reps` runs of a query (decoded as the page does). */
async function time(label: string, sql: (edit: number) => string): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let answer = '';
  for (let i = 0; i < reps; i++) {
    const q = sql(i);
    const c = process.cpuUsage();
    const s = performance.now();
    if (label.includes('keep alone')) await engine.keep([{ table: '__segnote_profile_keep', key: 'k', sql: 'SELECT 1 AS x' }], 'bench_rfm');
    const r = await engine.query(q);
    const tab = tableFromIPC(r.ipc);
    wall.push(performance.now() - s);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
    answer = JSON.stringify(tab.get(0)?.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v));
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`${label.padEnd(58)} ${med(wall).toFixed(1).padStart(7)} ms wall ${med(cpu).toFixed(1).padStart(7)} ms CPU  ${answer.slice(0, 90)}`);
}

const tree = (edit: number): ConditionTree => ({
  kind: 'group',
  op: 'and',
  items: [
    { kind: 'in', column: 'segment', values: ['Champions', 'Loyal Customers', 'At Risk'] },
    { kind: 'compare', column: 'frequency', op: '>=', value: 1 + (edit % 6) },
  ],
});
const where = (i: number) => conditionSql(tree(i), columns, null);
console.log(`WHERE ${where(0)}`);

const segIn = where(0).replace(/ AND .*$/, '').slice(1);
const variants: [string, (i: number) => string][] = [
  ['live count (segmentCountSql)', (i) => segmentCountSql('bench_rfm', tree(i), columns, null, 'revenue')],
  ['chart data (r_score counts)', (i) => `SELECT r_score, count(*) AS customers FROM bench_rfm WHERE ${where(i)} GROUP BY r_score ORDER BY r_score`],
  ['  count(*)', () => 'SELECT count(*) FROM bench_rfm'],
  ['  count(*), sum(revenue)', () => 'SELECT count(*), sum(revenue) FROM bench_rfm'],
  ['  count(*) WHERE frequency >= N', (i) => `SELECT count(*) FROM bench_rfm WHERE frequency >= ${1 + (i % 6)}`],
  ['  count(*) WHERE segment IS NULL', () => `SELECT count(*) FROM bench_rfm WHERE segment IS NULL`],
  ['  count(*) WHERE length(segment) = 9 (reads the strings, no compare)', () => `SELECT count(*) FROM bench_rfm WHERE length(segment) = 9`],
  ['  max(segment) (reads the strings)', () => `SELECT max(segment) FROM bench_rfm`],
  ["  count(*) WHERE segment = 'Champions'", () => `SELECT count(*) FROM bench_rfm WHERE segment = 'Champions'`],
  ['  count(*) WHERE segment IN (6 forms)', () => `SELECT count(*) FROM bench_rfm WHERE ${segIn}`],
  ['  count(*) WHERE segment IN (3 English)', () => `SELECT count(*) FROM bench_rfm WHERE segment IN ('Champions', 'Loyal Customers', 'At Risk')`],
  ['  count(*) FILTER (segment IN 6 forms)', () => `SELECT count(*) FILTER (WHERE ${segIn}) FROM bench_rfm`],
  ['  count(*) WHERE full condition', (i) => `SELECT count(*) FROM bench_rfm WHERE ${where(i)}`],
  ['  count, sum(revenue) WHERE full condition', (i) => `SELECT count(*), sum(revenue) FROM bench_rfm WHERE ${where(i)}`],
  ['  t_code: code IN (…)', () => `SELECT count(*) FROM t_code WHERE code IN (SELECT code FROM t_dict WHERE ${segIn})`],
  ['  t_code: code IN (literal codes)', () => `SELECT count(*) FROM t_code WHERE code IN (0, 1, 2, 3, 4, 5)`],
  ['  t_code: list_contains((SELECT list(code)…), code)', () => `SELECT count(*) FROM t_code WHERE list_contains((SELECT list(code) FROM t_dict WHERE ${segIn}), code)`],
  ['  t_code: code = ANY (SELECT …)', () => `SELECT count(*) FROM t_code WHERE code = ANY (SELECT code FROM t_dict WHERE ${segIn})`],
  ['  t_code: bitmask', () => `SELECT count(*) FROM t_code WHERE ((SELECT bit_or(CAST(1 AS UBIGINT) << code) FROM t_dict WHERE ${segIn}) >> code) & 1 = 1`],
  ['  t_code: code split + totals + freq', (i) => `SELECT * FROM (SELECT count(*), sum(revenue) FROM t_code WHERE code IN (SELECT code FROM t_dict WHERE ${segIn}) AND frequency >= ${1 + (i % 6)}) CROSS JOIN (SELECT count(*), sum(revenue) FROM t_code)`],
  ['  t_sorted: segment IN (6 forms)', () => `SELECT count(*) FROM t_sorted WHERE ${segIn}`],
  ['  t_sorted: live count', (i) => segmentCountSql('t_sorted', tree(i), columns, null, 'revenue')],
  ['  t_narrow: live count', (i) => segmentCountSql('t_narrow', tree(i), columns, null, 'revenue')],
  ['  live count in one pass (before issue 16)', (i) => segmentCountSql('bench_rfm', tree(i), columns, null, 'revenue', 'once')],
  ['  keep alone (a kept table already current: the stamp check)', () => 'SELECT 1'],
  ['  catalog: duckdb_tables + duckdb_views', () => `SELECT lower(table_name) AS name, NULL AS sql FROM duckdb_tables() UNION ALL SELECT lower(view_name) AS name, lower(sql) AS sql FROM duckdb_views() WHERE NOT internal`],
  ['  catalog: duckdb_tables only', () => `SELECT lower(table_name) AS name FROM duckdb_tables()`],
  ['  catalog: duckdb_views only', () => `SELECT lower(view_name) AS name, lower(sql) AS sql FROM duckdb_views() WHERE NOT internal`],
  ['  catalog: information_schema.tables', () => `SELECT table_name, table_type FROM information_schema.tables`],
  ['  t_enum: seg IN (6 forms)', () => `SELECT count(*) FROM t_enum WHERE ${segIn.replace('"segment"', 'seg')}`],
  ['  t_comp (compressed): segment IN (6 forms)', () => `SELECT count(*) FROM comp.t_comp WHERE ${segIn}`],
  ['  count split: WHERE + totals', (i) => `SELECT s.n AS customers, t.n AS total, s.rev, t.rev FROM (SELECT count(*) AS n, coalesce(sum(CAST(revenue AS DOUBLE)), 0) AS rev FROM bench_rfm WHERE ${where(i)}) s CROSS JOIN (SELECT count(*) AS n, sum(CAST(revenue AS DOUBLE)) AS rev FROM bench_rfm) t`],
  ['  count one pass: FILTER (WHERE cond)', (i) => `SELECT count(*) FILTER (WHERE ${where(i)}) AS customers, count(*) AS total, sum(revenue) FILTER (WHERE ${where(i)}), sum(revenue) FROM bench_rfm`],
  ['  SELECT 1', () => 'SELECT 1'],
];
const setup = [
  `CREATE TABLE t_dict AS SELECT segment, CAST(row_number() OVER (ORDER BY segment) - 1 AS UTINYINT) AS code FROM (SELECT DISTINCT segment FROM bench_rfm)`,
  `CREATE TABLE t_code AS SELECT d.code, r.frequency, r.revenue, r.r_score FROM bench_rfm r LEFT JOIN t_dict d USING (segment)`,
  `CREATE TABLE t_sorted AS SELECT segment, frequency, revenue FROM bench_rfm ORDER BY segment`,
  `CREATE TABLE t_narrow AS SELECT segment, frequency, revenue FROM bench_rfm`,
  `CREATE TYPE seg_enum AS ENUM (SELECT DISTINCT segment FROM bench_rfm WHERE segment IS NOT NULL)`,
  `CREATE TABLE t_enum AS SELECT CAST(segment AS seg_enum) AS seg, frequency, revenue, r_score FROM bench_rfm`,
];
for (const s of setup) await engine.query(s);
try {
  await engine.query(`ATTACH ':memory:' AS comp (COMPRESS)`);
  await engine.query(`CREATE TABLE comp.t_comp AS SELECT * FROM bench_rfm`);
} catch (e) {
  console.log(`compressed in-memory: ${String(e).slice(0, 200)}`);
  variants.splice(variants.findIndex((v) => v[0].includes('t_comp')), 1);
}
const only = process.argv[4] ? new RegExp(process.argv[4]) : null;
for (let round = 0; round < 2; round++) {
  console.log(`-- round ${round + 1}`);
  for (const [label, sql] of variants) if (!only || only.test(label)) await time(label, sql);
}
