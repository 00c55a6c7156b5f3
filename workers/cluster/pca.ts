/**
 * Principal components of a few features: the d x d covariance matrix (two passes over the rows)
 * and its eigen-decomposition by cyclic Jacobi rotations, which is exact enough and simple for
 * the small d of customer features.
 */
import { ClusterError } from './errors';
import { t as msg } from '../../src/lib/i18n';

/** A fitted PCA: what the 2-D map shows and how to place rows on it. */
export interface PcaModel {
  /** Feature means (rows are centred before projecting). */
  mean: Float64Array;
  /**
   * The first min(2, d) components, unit length, each with its largest-magnitude loading
   * positive (the sign rule scikit-learn uses since 1.5).
   */
  components: Float64Array[];
  /** Variance along each component (sample variance, n - 1 denominator). */
  explainedVariance: number[];
  /** Share of the total variance along each component (0 when there is no variance). */
  explainedVarianceRatio: number[];
  /** All d eigenvalues of the covariance matrix, largest first. */
  eigenvalues: number[];
}

/** A PCA model and the rows projected on it. */
export interface PcaResult extends PcaModel {
  /** Row-major n x 2 coordinates on the first two components (second column 0 when d = 1). */
  coords: Float64Array;
}

/** Fits PCA to the n x d rows of `data` (row-major) and projects them on the first two components. */
export function pca(data: Float64Array, n: number, d: number): PcaResult {
  const model = fitPca(data, n, d);
  return { ...model, coords: pcaProject(model, data, n, d) };
}

/** Fits PCA to the n x d rows of `data` (row-major). */
export function fitPca(data: Float64Array, n: number, d: number): PcaModel {
  if (n < 1 || d < 1) throw new ClusterError(msg('msg.cluster.pcaEmpty'));
  if (data.length !== n * d) throw new ClusterError(`The data has ${data.length} values; expected n × d = ${n * d}.`);
  const mean = new Float64Array(d);
  for (let i = 0, off = 0; i < n; i++, off += d) for (let j = 0; j < d; j++) mean[j] += data[off + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const t = new Float64Array(d);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    for (let j = 0; j < d; j++) t[j] = data[off + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += t[a] * t[b];
  }
  const denom = Math.max(n - 1, 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b] /= denom;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from(values.keys()).sort((p, q) => values[q] - values[p]);
  const eigenvalues = order.map((o) => Math.max(values[o], 0));
  const total = eigenvalues.reduce((s, v) => s + v, 0);
  const q = Math.min(2, d);
  const components: Float64Array[] = [];
  for (let c = 0; c < q; c++) {
    const v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = vectors[j * d + order[c]];
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    components.push(v);
  }
  return {
    mean,
    components,
    explainedVariance: eigenvalues.slice(0, q),
    explainedVarianceRatio: eigenvalues.slice(0, q).map((v) => (total > 0 ? v / total : 0)),
    eigenvalues,
  };
}

/** Coordinates of the n x d rows of `data` on the model's first two components (row-major n x 2). */
export function pcaProject(model: PcaModel, data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * 2);
  const { mean, components } = model;
  for (let c = 0; c < components.length; c++) {
    const v = components[c];
    for (let i = 0, off = 0; i < n; i++, off += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[off + j] - mean[j]) * v[j];
      out[i * 2 + c] = s;
    }
  }
  return out;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major d x d) of a symmetric matrix,
 * by cyclic Jacobi rotations until the off-diagonal part is negligible.
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let j = 0; j < d; j++) v[j * d + j] = 1;
  let scale = 0;
  for (let j = 0; j < d * d; j++) scale += a[j] * a[j];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          // A <- A J on columns p, q
          const arp = a[r * d + p];
          const arq = a[r * d + q];
          a[r * d + p] = c * arp - s * arq;
          a[r * d + q] = s * arp + c * arq;
        }
        for (let r = 0; r < d; r++) {
          // A <- J^T A on rows p, q
          const apr = a[p * d + r];
          const aqr = a[q * d + r];
          a[p * d + r] = c * apr - s * aqr;
          a[q * d + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p];
          const vrq = v[r * d + q];
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: Array.from({ length: d }, (_, j) => a[j * d + j]), vectors: v };
}
