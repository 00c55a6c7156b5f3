/**
 * Mean silhouette coefficient on a deterministic sample of rows (exact, O(s² d) on the sample),
 * as scikit-learn's silhouette_score with sample_size computes it on its sample.
 */
import { dist2 } from './distance';
import { ClusterError } from './errors';
import { createRng, sampleIndices } from './rng';
import { t } from '../../src/lib/i18n';

/** Options of `silhouette`. */
export interface SilhouetteOptions {
  /** Rows to sample (default 2000); all rows when n is smaller. */
  sampleSize?: number;
  /** Seed of the sample (default 0): the same seed picks the same rows. */
  seed?: number;
}

/** A silhouette score and the sample it was computed on. */
export interface SilhouetteResult {
  /** Mean silhouette over the sampled rows, in [-1, 1]. */
  score: number;
  /** Rows actually used. */
  sampleSize: number;
  /** Mean silhouette of the sampled rows of each cluster (NaN for a cluster with no sampled row). */
  perCluster: number[];
}

/** Default number of rows the silhouette is computed on. */
export const DEFAULT_SILHOUETTE_SAMPLE = 2000;

/**
 * Mean silhouette of the labelled rows of `data` (row-major n x d, labels in 0..k-1), computed on
 * a sample. A row alone in its cluster (within the sample) scores 0, as in scikit-learn.
 * Throws a ClusterError when the sample holds fewer than 2 clusters.
 */
export function silhouette(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  opts: SilhouetteOptions = {},
): SilhouetteResult {
  const rows = sampleIndices(n, opts.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE, createRng(opts.seed ?? 0));
  const s = rows.length;
  const x = new Float64Array(s * d);
  const lab = new Int32Array(s);
  const size = new Int32Array(k);
  for (let r = 0; r < s; r++) {
    x.set(data.subarray(rows[r] * d, rows[r] * d + d), r * d);
    lab[r] = labels[rows[r]];
    size[lab[r]]++;
  }
  if (size.filter((c) => c > 0).length < 2) {
    throw new ClusterError(t('msg.cluster.silhouette'));
  }
  // sum[r * k + c]: summed distance from sampled row r to the sampled rows of cluster c.
  const sum = new Float64Array(s * k);
  const dist = dist2; // see distance.ts
  for (let r = 0; r < s; r++) {
    const lr = lab[r];
    for (let q = r + 1; q < s; q++) {
      const e = Math.sqrt(dist(x, r * d, x, q * d, d));
      sum[r * k + lab[q]] += e;
      sum[q * k + lr] += e;
    }
  }
  let total = 0;
  const clusterTotal = new Float64Array(k);
  for (let r = 0; r < s; r++) {
    const own = lab[r];
    let v = 0;
    if (size[own] > 1) {
      const a = sum[r * k + own] / (size[own] - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && size[c] > 0) b = Math.min(b, sum[r * k + c] / size[c]);
      const m = Math.max(a, b);
      v = m > 0 ? (b - a) / m : 0;
    }
    total += v;
    clusterTotal[own] += v;
  }
  return {
    score: total / s,
    sampleSize: s,
    perCluster: Array.from(clusterTotal, (t, c) => (size[c] > 0 ? t / size[c] : NaN)),
  };
}
