/**
 * Where a load's time goes (issue 16), in Node on the engine core the worker runs: loads the
 * benchmark's orders CSV and Parquet a few times and prints each SQL statement (and each Arrow
 * insert) of the last load with its wall and CPU milliseconds, beside native DuckDB one thread
 * loading the same file in the same process. CPU time moves less with the machine's load. Run:
 * npx tsx test/bench/ingest-profile.ts [1M|10M] [runs] [csv|parquet|both]
 */
import { readFileSync } from 'node:fs';
import { openNodeEngine, source } from '../unit/helpers/node-engine';
import { EngineCore } from '../../workers/engine-core';
import { DATA_DIR } from './dataset';
import { openNative } from './native';

const size = process.argv[2] ?? '1M';
const runs = Number(process.argv[3] ?? 3);
const which = process.argv[4] ?? 'both';

interface Step {
  what: string;
  wall: number;
  cpu: number;
}
let steps: Step[] = [];
const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const since = (c: ReturnType<typeof clock>) => {
  const cpu = process.cpuUsage(c.cpu);
  return { wall: performance.now() - c.wall, cpu: (cpu.user + cpu.system) / 1000 };
};

// Every statement the engine runs goes through its private run(); time each call.
const proto = EngineCore.prototype as unknown as { run: (sql: string, ...rest: unknown[]) => Promise<Uint8Array> };
const run = proto.run;
proto.run = async function (this: unknown, sql: string, ...rest: unknown[]) {
  const c = clock();
  try {
    return await run.call(this, sql, ...rest);
  } finally {
    steps.push({ what: sql.replace(/\s+/g, ' ').slice(0, 160), ...since(c) });
  }
};

const engine = await openNodeEngine();
// The Arrow inserts bypass run(): wrap the bindings' insert.
const bindings = (engine as unknown as { deps: { bindings: { insertArrowFromIPCStream: (...a: unknown[]) => void } } }).deps.bindings;
const insert = bindings.insertArrowFromIPCStream.bind(bindings);
bindings.insertArrowFromIPCStream = (...a: unknown[]) => {
  const c = clock();
  try {
    insert(...a);
  } finally {
    steps.push({ what: 'insertArrowFromIPCStream', ...since(c) });
  }
};

const show = (label: string, total: { wall: number; cpu: number }) => {
  console.log(`${label}: ${total.wall.toFixed(0)} ms wall, ${total.cpu.toFixed(0)} ms CPU`);
  const accounted = steps.reduce((n, s) => n + s.wall, 0);
  for (const s of steps) console.log(`  ${s.wall.toFixed(1).padStart(7)} wall ${s.cpu.toFixed(1).padStart(7)} cpu  ${s.what}`);
  console.log(`  ${(total.wall - accounted).toFixed(1).padStart(7)} wall outside statements`);
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function profile(kind: 'csv' | 'parquet', plainRead = false) {
  const bytes = new Uint8Array(readFileSync(`${DATA_DIR}orders-${size}.${kind}`));
  // A File-like source (Blob), as in the browser, for Parquet; CSV from bytes (Node has no FileReaderSync).
  const src = kind === 'parquet' ? { name: `orders.${kind}`, size: bytes.length, file: new Blob([bytes]) as File } : source(`orders.${kind}`, bytes);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    steps = [];
    const c = clock();
    const report = await engine.loadFile(src, { tableName: 't', plainRead });
    const total = since(c);
    walls.push(total.wall);
    cpus.push(total.cpu);
    if (i === runs - 1) {
      show(`segnote ${kind}${plainRead ? ' plain' : ''} (${report.rows} rows: ${report.columns.map((x) => `${x.name} ${x.type}`).join(', ')})`, total);
    }
    await engine.drop('t');
  }
  console.log(`segnote ${kind}${plainRead ? ' plain' : ''} median ${median(walls).toFixed(0)} ms wall, ${median(cpus).toFixed(0)} ms CPU  runs ${walls.map((x) => x.toFixed(0)).join(' ')}\n`);
  return { wall: median(walls), cpu: median(cpus) };
}

async function native(kind: 'csv' | 'parquet') {
  const db = await openNative('1');
  const path = `${DATA_DIR}orders-${size}.${kind}`;
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const c = clock();
      await db.conn.run(`CREATE TABLE t AS SELECT * FROM ${kind === 'csv' ? 'read_csv' : 'read_parquet'}('${path}')`);
      const total = since(c);
      walls.push(total.wall);
      cpus.push(total.cpu);
      if (i === runs - 1) {
        const r = await db.conn.runAndReadAll('DESCRIBE t');
        console.log(`native ${kind} columns: ${r.getRowObjects().map((x) => `${x.column_name} ${x.column_type}`).join(', ')}`);
      }
      await db.conn.run('DROP TABLE t');
    }
  } finally {
    db.close();
  }
  console.log(`native-1t ${kind} median ${median(walls).toFixed(0)} ms wall, ${median(cpus).toFixed(0)} ms CPU  runs ${walls.map((x) => x.toFixed(0)).join(' ')}\n`);
  return { wall: median(walls), cpu: median(cpus) };
}

for (const kind of ['csv', 'parquet'] as const) {
  if (which !== 'both' && which !== kind) continue;
  const s = await profile(kind);
  if (kind === 'csv') await profile(kind, true);
  const n = await native(kind);
  console.log(`${kind}: segnote / native-1t = ${(s.wall / n.wall).toFixed(2)}x wall, ${(s.cpu / n.cpu).toFixed(2)}x CPU\n`);
}
