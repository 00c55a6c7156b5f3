/**
 * Segnote's own PCA and rule tree against the npm libraries issue 6 names for them (ml-pca,
 * ml-cart), in Node on the same data: the k-means features of each size (kmeansInputs) and the
 * clusters of Segnote's k-means from the fixed starting centres. Our side is the code the worker
 * runs (workers/cluster/pca.ts, tree.ts); it must be faster than the library, or the library
 * should replace it. Each side is timed from the typed array the task holds to its result: the
 * libraries' conversion to their own matrix or nested arrays is part of using them.
 */
import { readFileSync } from 'node:fs';
import { PCA } from 'ml-pca';
import { Matrix } from 'ml-matrix';
import { DecisionTreeClassifier } from 'ml-cart';
import { kmeans } from '../../workers/cluster/kmeans';
import { pca } from '../../workers/cluster/pca';
import { fitTree } from '../../workers/cluster/tree';
import type { Dataset } from './dataset';
import { kmeansInputs } from './native';
import { KMEANS } from './queries';
import { ms, repeat, type EngineName, type Measured, type WorkloadId } from './workloads';

/** Most rows ml-cart is given: it took 36 s on 10,000 rows and 369 s on 30,000 here. */
export const ML_CART_MAX_ROWS = 12_000;
const TREE_DEPTH = 3;

/** What the comparison works with. */
export interface LibraryCtx {
  dataset: Dataset;
  log(line: string): void;
}

/** One measured side of a comparison. */
export interface LibraryResult {
  workload: WorkloadId;
  engine: EngineName;
  measured: Measured;
}

function readCsv(path: string): { data: Float64Array; n: number } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const data = new Float64Array(lines.length * 3);
  lines.forEach((line, i) => {
    const [a, b, c] = line.split(',');
    data[i * 3] = Number(a);
    data[i * 3 + 1] = Number(b);
    data[i * 3 + 2] = Number(c);
  });
  return { data, n: lines.length };
}

async function timed<T>(runs: number, fn: () => T): Promise<{ runs: number[]; value: T }> {
  let value!: T;
  const times = await repeat(runs, async () => {
    const t0 = performance.now();
    value = fn();
    return ms(performance.now() - t0);
  });
  return { runs: times, value };
}

/** Both sides of the PCA and the tree on one size; ml-cart only up to ML_CART_MAX_ROWS rows. */
export async function measureLibraries(ctx: LibraryCtx, runs: number): Promise<LibraryResult[]> {
  const inputs = await kmeansInputs(ctx.dataset, ctx.log);
  const { data, n } = readCsv(inputs.features);
  const init = readCsv(inputs.seeds).data;
  const d = 3;
  const out: LibraryResult[] = [];

  const ours = await timed(runs, () => pca(data, n, d));
  const lib = await timed(runs, () => {
    const x = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x.set(i, j, data[i * d + j]);
    const model = new PCA(x, { method: 'covarianceMatrix', center: true, scale: false });
    return { ratio: model.getExplainedVariance().slice(0, 2), coords: model.predict(x, { nComponents: 2 }) };
  });
  const explained = (r: number[]) => r.map((v) => Number(v.toFixed(6)));
  out.push({ workload: 'cluster-pca', engine: 'segnote', measured: { runs: ours.runs, extra: { customers: n, explained: explained(ours.value.explainedVarianceRatio) } } });
  out.push({ workload: 'cluster-pca', engine: 'ml-pca', measured: { runs: lib.runs, extra: { customers: n, explained: explained(lib.value.ratio) } } });

  const { labels } = kmeans(data, n, d, { k: KMEANS.k, seed: 0, init, maxIter: KMEANS.iterations, tol: 0 });
  const tree = await timed(runs, () => fitTree(data, n, d, labels, KMEANS.k, { maxDepth: TREE_DEPTH, seed: 0 }));
  out.push({ workload: 'cluster-rules', engine: 'segnote', measured: { runs: tree.runs, extra: { customers: n, depth: TREE_DEPTH, accuracy: Number(tree.value.accuracy.toFixed(4)) } } });
  if (n <= ML_CART_MAX_ROWS) {
    const x = Array.from({ length: n }, (_, i) => [data[i * d], data[i * d + 1], data[i * d + 2]]);
    const y = Array.from(labels);
    // One run: a single fit takes half a minute.
    const cart = await timed(1, () => {
      const model = new DecisionTreeClassifier({ gainFunction: 'gini', maxDepth: TREE_DEPTH });
      model.train(x, y);
      return model;
    });
    const predicted = cart.value.predict(x);
    const accuracy = predicted.filter((v, i) => v === y[i]).length / n;
    out.push({ workload: 'cluster-rules', engine: 'ml-cart', measured: { runs: cart.runs, extra: { customers: n, depth: TREE_DEPTH, accuracy: Number(accuracy.toFixed(4)) } } });
  } else {
    ctx.log(`  ml-cart not run on ${n.toLocaleString('en-US')} customers (it grows quadratically: 369 s on 30,000 rows here)`);
  }
  return out;
}
