/**
 * The memory a k-means run works in: the rows copied column by column into a WebAssembly memory,
 * with per-row slots for the nearest distance (k-means++) and the label, and room for centres,
 * cluster sums and counts. Wraps the SIMD kernels (kernels.ts) with typed arrays. One space serves
 * every k up to `kMax`, so a sweep over k copies the rows once.
 */
import { ClusterError } from '../errors';
import { CHANGED_ADDR, kernelModule, simdSupported, type Kernels } from './kernels';
import { t } from '../../../src/lib/i18n';

/** Rows per kernel call: V8 moves a WebAssembly function to optimised code between calls, not inside one. */
const CHUNK = 1 << 16;
/** The largest WebAssembly memory browsers give (4 GiB), in bytes. */
const MAX_BYTES = 2 ** 32;
const PAGE = 65536;

/** The outcome of one assignment pass. */
export interface AssignPass {
  /** Sum over rows, in row order, of the squared distance to the nearest centre. */
  inertia: number;
  /** Rows whose label differs from the one before the pass (all of them on the first pass). */
  changed: number;
}

/** Rows of one dataset laid out for the kernels. */
export class KMeansSpace {
  /** Nearest squared distance of each row so far (k-means++), n entries. */
  readonly closest: Float64Array;
  /** Cluster of each row after the last pass (-1 before the first), n entries. */
  readonly labels: Int32Array;
  /** Per-cluster sums (row-major kMax x d) and counts of the last pass. */
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  private readonly kernels: Kernels;
  private readonly memory: WebAssembly.Memory;
  private readonly changedCell: Int32Array;
  private readonly stride: number;
  private readonly cols: number;
  private readonly closestAt: number;
  private readonly labelsAt: number;
  private readonly centresAt: number;
  private readonly sumsAt: number;
  private readonly countsAt: number;
  private readonly candsAt: number;
  private readonly accAt: number;
  private readonly centres: Float64Array;
  private readonly cands: Float64Array;
  private readonly acc: Float64Array;

  /**
   * Copies the n x d rows of `data` (row-major). kMax bounds the centres and mMax the candidates
   * of one `potentials` call. Throws ClusterError when the rows do not fit a WebAssembly memory or
   * this browser has no WebAssembly SIMD.
   */
  constructor(
    readonly data: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly kMax: number,
    readonly mMax: number,
  ) {
    if (!simdSupported()) {
      throw new ClusterError(t('msg.cluster.simd'));
    }
    const rows = n + (n & 1); // even: the kernels take rows in pairs
    let at = 16; // the changed-label counter lives below
    const take = (bytes: number): number => {
      const start = at;
      at += Math.ceil(bytes / 16) * 16;
      return start;
    };
    this.stride = rows * 8;
    this.cols = take(rows * 8 * d);
    this.closestAt = take(rows * 8);
    this.labelsAt = take(rows * 4);
    this.centresAt = take(kMax * d * 8);
    this.sumsAt = take(kMax * d * 8);
    this.countsAt = take(kMax * 4);
    this.candsAt = take(mMax * d * 8);
    this.accAt = take(mMax * 16);
    if (at > MAX_BYTES) {
      throw new ClusterError(t('msg.cluster.tooMuchMemory', { rows: n, features: d, mb: String(Math.ceil(at / 2 ** 20)) }));
    }
    try {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(at / PAGE) });
    } catch {
      throw new ClusterError(t('msg.cluster.noMemory', { mb: String(Math.ceil(at / 2 ** 20)) }));
    }
    this.kernels = new WebAssembly.Instance(kernelModule(d), { env: { memory: this.memory } }).exports as unknown as Kernels;
    const buf = this.memory.buffer;
    this.changedCell = new Int32Array(buf, CHANGED_ADDR, 1);
    const columns = new Float64Array(buf, this.cols, rows * d);
    for (let j = 0; j < d; j++) {
      const base = j * rows;
      for (let i = 0, at = j; i < n; i++, at += d) columns[base + i] = data[at];
      if (rows > n) columns[base + n] = columns[base + n - 1]; // a real value, never counted
    }
    this.closest = new Float64Array(buf, this.closestAt, n);
    this.labels = new Int32Array(buf, this.labelsAt, n);
    this.centres = new Float64Array(buf, this.centresAt, kMax * d);
    this.sums = new Float64Array(buf, this.sumsAt, kMax * d);
    this.counts = new Int32Array(buf, this.countsAt, kMax);
    this.cands = new Float64Array(buf, this.candsAt, mMax * d);
    this.acc = new Float64Array(buf, this.accAt, mMax * 2);
    this.labels.fill(-1);
  }

  /** Starts k-means++ afresh: every row infinitely far from the (no) centres. */
  resetClosest(): void {
    this.closest.fill(Infinity);
    // The padding row's slot stays 0 so that it adds nothing to a potential.
    if (this.n & 1) new Float64Array(this.memory.buffer, this.closestAt + this.n * 8, 1)[0] = 0;
  }

  /** Lowers `closest` to the squared distance to `centre` (d values) where that is nearer. */
  fold(centre: Float64Array): void {
    this.cands.set(centre.subarray(0, this.d));
    for (let s = 0; s < this.n; s += CHUNK) {
      this.kernels.fold(this.cols, this.stride, this.candsAt, this.closestAt, s, Math.min(s + CHUNK, this.n));
    }
  }

  /** For each of m candidate centres (row-major m x d): sum over rows of min(closest, distance²). */
  potentials(cands: Float64Array, m: number): Float64Array {
    this.cands.set(cands.subarray(0, m * this.d));
    this.acc.fill(0);
    for (let s = 0; s < this.n; s += CHUNK) {
      this.kernels.potentials(this.cols, this.stride, this.closestAt, this.candsAt, m, this.accAt, s, Math.min(s + CHUNK, this.n));
    }
    const out = new Float64Array(m);
    for (let t = 0; t < m; t++) out[t] = this.acc[2 * t] + this.acc[2 * t + 1];
    return out;
  }

  /** Labels every row with its nearest of the k centres (row-major k x d) and sums the clusters. */
  assign(centres: Float64Array, k: number): AssignPass {
    this.centres.set(centres.subarray(0, k * this.d));
    this.sums.fill(0, 0, k * this.d);
    this.counts.fill(0, 0, k);
    this.changedCell[0] = 0;
    let inertia = 0;
    for (let s = 0; s < this.n; s += CHUNK) {
      const e = Math.min(s + CHUNK, this.n);
      inertia = this.kernels.assign(this.cols, this.stride, this.centresAt, k, this.labelsAt, this.sumsAt, this.countsAt, s, e, this.n, inertia);
    }
    return { inertia, changed: this.changedCell[0] };
  }
}
