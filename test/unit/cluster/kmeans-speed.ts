/**
 * k-means speed on RFM-like data, against scikit-learn's figure from issue 6
 * (1.1M customers x 3 features, k = 8, 20 iterations: about 0.97 s on one thread).
 * Not a test: run with `npx tsx test/unit/cluster/kmeans-speed.ts [rows] [runs]`.
 * If a Python here can import sklearn ($SEGNOTE_PYTHON, python3, or Debian's /usr/bin/python3 after
 * `apt-get install python3-sklearn`), the same data is also clustered there for comparison.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { kmeansSteps, type KMeansResult } from '../../../workers/cluster/kmeans';
import { kmeansPlusPlus } from '../../../workers/cluster/kmeans-init';
import { prepareFeatures } from '../../../workers/cluster/preprocess';
import { createRng } from '../../../workers/cluster/rng';
import { KMeansSpace } from '../../../workers/cluster/simd/kmeans-space';

const SKLEARN_REFERENCE_S = 0.97;
// Issue 6 measured "a plain typed-array loop" at 1.5-2.7 s on the same task.
const PLAIN_LOOP_REFERENCE_S = [1.5, 2.7];
const n = Number(process.argv[2] ?? 1_100_000);
const runs = Number(process.argv[3] ?? 3);
const k = 8;
const maxIter = 20;
const seed = 42;

/** Recency uniform-ish in days, frequency geometric, monetary lognormal (grows with frequency). */
function rfm(rows: number): Float64Array[] {
  const rng = createRng(7);
  const recency = new Float64Array(rows);
  const frequency = new Float64Array(rows);
  const monetary = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    recency[i] = Math.floor(rng.next() ** 1.5 * 730);
    frequency[i] = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 0.35));
    monetary[i] = Math.round(frequency[i] * Math.exp(3.5 + 0.8 * rng.normal()) * 100) / 100;
  }
  return [recency, frequency, monetary];
}

/** Seconds of CPU this process has used: on a shared machine it is steadier than wall time. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Timing {
  seedS: number;
  iterS: number;
  seedCpuS: number;
  iterCpuS: number;
  result: KMeansResult;
}

function run(data: Float64Array, rows: number, d: number): Timing {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let tSeed = t0;
  let cSeed = c0;
  const steps = kmeansSteps(data, rows, d, { k, maxIter, tol: 0, seed });
  for (;;) {
    const s = steps.next();
    if (s.done) {
      const t1 = performance.now();
      const c1 = cpuSeconds();
      return { seedS: (tSeed - t0) / 1000, iterS: (t1 - tSeed) / 1000, seedCpuS: cSeed - c0, iterCpuS: c1 - cSeed, result: s.value };
    }
    if (s.value.phase === 'seed' && s.value.centers === k) {
      tSeed = performance.now();
      cSeed = cpuSeconds();
    }
  }
}

/**
 * A plain typed-array Lloyd loop (every distance, every iteration) from the same initial centres:
 * timed beside ours, it puts our figure in the units of the measurements when this machine
 * is busy or differs.
 */
function plainLoop(data: Float64Array, rows: number, d: number, init: Float64Array, iters: number): number {
  const centres = Float64Array.from(init);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let inertia = 0;
  for (let it = 0; it < iters; it++) {
    sums.fill(0);
    counts.fill(0);
    inertia = 0;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = data[i * d + j] - centres[c * d + j];
          s += t * t;
        }
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      inertia += bestD;
      counts[best]++;
      for (let j = 0; j < d; j++) sums[best * d + j] += data[i * d + j];
    }
    for (let q = 0; q < k * d; q++) centres[q] = sums[q] / counts[Math.floor(q / d)];
  }
  return inertia;
}

const tg = performance.now();
const prepared = prepareFeatures(rfm(n), {
  features: [{ name: 'recency_days' }, { name: 'frequency' }, { name: 'monetary' }],
  scale: 'zscore',
  missing: 'drop',
});
const tp = performance.now();
console.log(`${n.toLocaleString('en-US')} rows x ${prepared.d}: generated + prepared in ${((tp - tg) / 1000).toFixed(2)} s`);
console.log(
  'transforms:',
  prepared.transforms.map((t) => `${t.name} skew ${t.skewness.toFixed(2)}${t.log ? ' log1p' : ''}`).join('; '),
);

// Ours and the plain loop alternate, so both see the same load on a shared machine.
const start = firstCentres();
const totals: number[] = [];
const cpuTotals: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < runs; r++) {
  const { seedS, iterS, seedCpuS, iterCpuS, result } = run(prepared.data, prepared.n, prepared.d);
  totals.push(seedS + iterS);
  cpuTotals.push(seedCpuS + iterCpuS);
  const c0 = cpuSeconds();
  const plainInertia = plainLoop(prepared.data, prepared.n, prepared.d, start, maxIter);
  const plainCpu = cpuSeconds() - c0;
  ratios.push((seedCpuS + iterCpuS) / plainCpu);
  console.log(
    `run ${r + 1}${r === 0 ? ' (cold)' : ''}: wall seeding ${seedS.toFixed(3)} s + ${result.iterations} iterations ${iterS.toFixed(3)} s ` +
      `= ${(seedS + iterS).toFixed(3)} s; cpu ${seedCpuS.toFixed(3)} + ${iterCpuS.toFixed(3)} = ${(seedCpuS + iterCpuS).toFixed(3)} s; ` +
      `inertia ${result.inertia.toFixed(1)} | plain loop cpu ${plainCpu.toFixed(3)} s, inertia ${plainInertia.toFixed(1)}`,
  );
}
const ratio = [...ratios].sort((a, b) => a - b)[ratios.length >> 1];
console.log(
  `best total: wall ${Math.min(...totals).toFixed(3)} s, cpu ${Math.min(...cpuTotals).toFixed(3)} s ` +
    `(scikit-learn, one thread, from issue 6: ${SKLEARN_REFERENCE_S} s); load average ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `ours / plain typed-array loop (median of ${runs}) = ${ratio.toFixed(2)}: about ` +
    `${(ratio * PLAIN_LOOP_REFERENCE_S[0]).toFixed(2)}-${(ratio * PLAIN_LOOP_REFERENCE_S[1]).toFixed(2)} s on the machine of issue 6 ` +
    `(plain loop ${PLAIN_LOOP_REFERENCE_S[0]}-${PLAIN_LOOP_REFERENCE_S[1]} s, scikit-learn ${SKLEARN_REFERENCE_S} s)`,
);

/** The k-means++ centres for seed 42 (the start of every run above). */
function firstCentres(): Float64Array {
  const steps = kmeansPlusPlus(new KMeansSpace(prepared.data, prepared.n, prepared.d, k, 4), k, createRng(seed));
  let s = steps.next();
  while (!s.done) s = steps.next();
  return s.value;
}

const python = [process.env.SEGNOTE_PYTHON, 'python3', '/usr/bin/python3'].find(
  (py) => py && spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0,
);
if (python) {
  const dir = mkdtempSync(join(tmpdir(), 'kmeans-speed-'));
  try {
    const file = join(dir, 'x.f64');
    writeFileSync(file, prepared.data);
    const py = `
import time, numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans
X = np.fromfile(${JSON.stringify(file)}, dtype=np.float64).reshape(-1, ${prepared.d})
with threadpool_limits(1):
    for r in range(${runs}):
        t = time.perf_counter()
        km = KMeans(n_clusters=${k}, max_iter=${maxIter}, tol=0, n_init=1, random_state=${seed}).fit(X)
        print(f"sklearn run {r + 1}: {time.perf_counter() - t:.3f} s, {km.n_iter_} iterations, inertia {km.inertia_:.1f}")
`;
    console.log(execFileSync(python, ['-c', py], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('scikit-learn is not importable here; compare against the reference figure above.');
}
