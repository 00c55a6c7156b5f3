/**
 * The Python references (pandas, scikit-learn), run only when `python3` can import them; the
 * benchmark never installs anything. Each script loads its input untimed, times its own runs
 * with perf_counter and prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DATA_DIR, GENERATOR_VERSION, sizeLabel, type Dataset } from './dataset';
import { writeKmeansInputs } from './native';
import { KMEANS } from './queries';
import type { EngineWorkload, Measured } from './workloads';

/** What a Python workload works with. */
export interface PythonCtx {
  dataset: Dataset;
  log(line: string): void;
}

const SCRIPTS = fileURLToPath(new URL('./python/', import.meta.url));

/** Whether `python3 -c "import <module>"` succeeds. */
export function pythonHas(module: string): boolean {
  const r = spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' });
  return r.status === 0;
}

function runScript(script: string, args: string[], env: Record<string, string> = {}): Measured {
  const r = spawnSync('python3', [`${SCRIPTS}${script}`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}): ${(r.stderr || r.error?.message || '').trim().slice(-800)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const { runs, ...extra } = JSON.parse(line) as { runs: number[] } & Record<string, unknown>;
  return { runs, extra };
}

const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** The Python registry: each entry names the module it needs. */
export const pythonWorkloads: (EngineWorkload<PythonCtx> & { module: string })[] = [
  {
    workload: 'rfm',
    engine: 'pandas',
    module: 'pandas',
    measure: async (ctx, runs) => runScript('rfm_pandas.py', [ctx.dataset.csv, String(runs)], ONE_THREAD),
  },
  {
    workload: 'kmeans',
    engine: 'sklearn-1t',
    module: 'sklearn',
    measure: async (ctx, runs) => {
      const base = `${DATA_DIR}kmeans-v${GENERATOR_VERSION}-${sizeLabel(ctx.dataset.rows)}`;
      const features = `${base}-features.csv`;
      const seeds = `${base}-seeds.csv`;
      if (!existsSync(features) || !existsSync(seeds)) {
        ctx.log(`  writing k-means features for ${sizeLabel(ctx.dataset.rows)} (native DuckDB, Segnote's RFM SQL)`);
        await writeKmeansInputs(ctx.dataset, features, seeds);
      }
      return runScript('kmeans_sklearn.py', [features, seeds, String(KMEANS.k), String(KMEANS.iterations), String(runs)], ONE_THREAD);
    },
  },
];
