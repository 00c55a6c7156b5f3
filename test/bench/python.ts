/**
 * The Python references (pandas, scikit-learn), run only when a Python here can import them (the
 * first of $SEGNOTE_PYTHON, `python3` on the PATH and Debian's /usr/bin/python3, where
 * `apt-get install python3-sklearn python3-pandas` puts them); the benchmark never installs anything. Each script loads its input untimed, times its own runs
 * with perf_counter and prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Dataset } from './dataset';
import { kmeansInputs } from './native';
import { KMEANS } from './queries';
import type { EngineWorkload, Measured } from './workloads';

/** What a Python workload works with. */
export interface PythonCtx {
  dataset: Dataset;
  log(line: string): void;
}

const SCRIPTS = fileURLToPath(new URL('./python/', import.meta.url));

/** The interpreters tried, in order. */
export const PYTHON_CANDIDATES = [process.env.SEGNOTE_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);

/** The first interpreter for which `-c "import <module>"` succeeds, or null. */
export function pythonFor(module: string): string | null {
  return PYTHON_CANDIDATES.find((py) => spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0) ?? null;
}

function runScript(module: string, script: string, args: string[], env: Record<string, string> = {}): Measured {
  const python = pythonFor(module);
  if (!python) throw new Error(`no Python here imports ${module}`);
  const r = spawnSync(python, [`${SCRIPTS}${script}`, ...args], {
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
    measure: async (ctx, runs) => runScript('pandas', 'rfm_pandas.py', [ctx.dataset.csv, String(runs)], ONE_THREAD),
  },
  {
    workload: 'kmeans',
    engine: 'sklearn-1t',
    module: 'sklearn',
    measure: async (ctx, runs) => {
      const { features, seeds } = await kmeansInputs(ctx.dataset, ctx.log);
      return runScript('sklearn', 'kmeans_sklearn.py', [features, seeds, String(KMEANS.k), String(KMEANS.iterations), String(runs)], ONE_THREAD);
    },
  },
];
