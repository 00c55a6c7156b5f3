/**
 * BG/NBD and Gamma-Gamma speed on a million simulated customers (issue 8: fitting a million
 * customers must not freeze the page; it runs in the worker with progress).
 * Not a test: run with `npx tsx test/unit/clv/clv-speed.ts [customers] [runs]`.
 *
 * Customers are simulated from known parameters, first purchases spread over a year and observed
 * to the end of the second year, with purchase times in whole days expressed in weeks — as the
 * worker's SQL will produce them — so identical (x, t_x, T) rows are common and compression pays.
 */
import { bgnbdPredict, fitBgNbd, type BgNbdFit, type BgNbdParams } from '../../../workers/clv/bgnbd';
import { customerValue, ratePerPeriod } from '../../../workers/clv/clv';
import { uniqueRows } from '../../../workers/clv/compress';
import { fitGammaGamma } from '../../../workers/clv/gammagamma';
import { Random, simulateBgNbd, simulateMeanSpend } from './simulate';

const n = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const TRUTH: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

/** Seconds of CPU this process has used: on a shared machine it is steadier than wall time. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function timed<T>(label: string, f: () => T): { value: T; wall: number; cpu: number } {
  const w0 = performance.now();
  const c0 = cpuSeconds();
  const value = f();
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuSeconds() - c0;
  console.log(`${label.padEnd(44)} ${wall.toFixed(3)} s wall, ${cpu.toFixed(3)} s CPU`);
  return { value, wall, cpu };
}

const sim = timed(`simulate ${n.toLocaleString('en')} customers`, () => {
  const rng = new Random(1);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const mbar = new Float64Array(n);
  const txExact = new Float64Array(n);
  const TExact = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ageDays = 365 + Math.floor(365 * rng.uniform());
    const c = simulateBgNbd(rng, TRUTH, ageDays / 7);
    x[i] = c.x;
    tx[i] = Math.min(Math.floor(c.tx * 7), ageDays) / 7; // purchase days, in weeks
    T[i] = ageDays / 7;
    txExact[i] = c.tx;
    TExact[i] = (ageDays + rng.uniform()) / 7; // first purchase at any time of its day
    if (txExact[i] > TExact[i]) txExact[i] = TExact[i];
    mbar[i] = c.x > 0 ? Math.round(simulateMeanSpend(rng, SPEND, c.x) * 100) / 100 : 0;
  }
  return { x, tx, T, mbar, txExact, TExact };
});
const data = { x: sim.value.x, tx: sim.value.tx, T: sim.value.T };

const distinct = timed('compress identical (x, t_x, T)', () => uniqueRows([data.x, data.tx, data.T])).value.weight.length;
console.log(`  ${distinct.toLocaleString('en')} distinct rows`);

let fit: BgNbdFit | undefined;
const walls: number[] = [];
for (let run = 0; run < runs; run++) {
  let reports = 0;
  const t = timed(`fit BG/NBD, compressed (run ${run + 1})`, () =>
    fitBgNbd(data, { onProgress: () => void reports++ }),
  );
  fit = t.value;
  walls.push(t.wall);
  if (run === 0) console.log(`  ${fit.iterations} iterations, ${reports} progress reports, converged: ${fit.converged}`);
}
walls.sort((a, b) => a - b);
console.log(`  median ${walls[Math.floor(walls.length / 2)].toFixed(3)} s (compression included)`);
const f = fit!;
console.log(
  `  r ${f.r.toFixed(4)} (${TRUTH.r}), alpha ${f.alpha.toFixed(3)} (${TRUTH.alpha}), a ${f.a.toFixed(4)} (${TRUTH.a}), ` +
    `b ${f.b.toFixed(3)} (${TRUTH.b}), LL ${f.logLikelihood.toFixed(1)}`,
);

const plain = timed('fit BG/NBD, uncompressed (for comparison)', () => fitBgNbd(data, { compress: false })).value;
console.log(`  ${plain.iterations} iterations, converged: ${plain.converged}, r ${plain.r.toFixed(4)}`);

const exact = timed('fit BG/NBD, continuous times (nothing repeats)', () =>
  fitBgNbd({ x: data.x, tx: sim.value.txExact, T: sim.value.TExact }),
).value;
console.log(`  ${exact.distinct.toLocaleString('en')} distinct rows, ${exact.iterations} iterations, converged: ${exact.converged}`);

const gg = timed('fit Gamma-Gamma on the repeat customers', () => fitGammaGamma({ x: data.x, mbar: sim.value.mbar })).value;
console.log(
  `  p ${gg.p.toFixed(3)} (${SPEND.p}), q ${gg.q.toFixed(3)} (${SPEND.q}), gamma ${gg.gamma.toFixed(2)} (${SPEND.gamma}), ` +
    `${gg.customers.toLocaleString('en')} customers, ${gg.iterations} iterations, converged: ${gg.converged}`,
);

timed('P(alive), E[Y(52 weeks)] per customer', () => bgnbdPredict(f, data, 52));
timed('CLV over 52 weeks, monthly, 10% a year', () =>
  customerValue(f, gg, data, sim.value.mbar, {
    horizon: 52,
    periodLength: 52 / 12,
    discountRate: ratePerPeriod(0.1, 52 / 12, 365.25 / 7),
  }),
);
