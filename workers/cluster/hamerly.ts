/**
 * Lloyd's k-means iterations with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"),
 * extended with the second-nearest centre of each row. The bounds only skip work that cannot
 * change a label, so labels and centres are exactly those of plain Lloyd from the same start when
 * plain Lloyd keeps its cluster sums the same way: computed once, then updated for each row that
 * changes cluster, in row order (the tests check this bit for bit).
 *
 * Per row: an upper bound on the distance to its centre, the second-nearest centre with a lower
 * bound on its distance, and a lower bound on the distance to every other centre. A row whose upper
 * bound is within max(lower bounds, half the gap from its centre to the nearest other centre) keeps
 * its cluster without its data being read; bounds are stored relative to the centres' accumulated
 * movement, so such a row costs a few loads and no writes. Per-cluster sums are kept up to date as
 * rows move, so no pass re-reads all rows.
 */
import { addRow, dist2 } from './distance';
import { ClusterError } from './errors';

// Settle a row only when the bound holds by a relative margin far above rounding error, so that
// rounding can never make the bounds keep a row that plain Lloyd would move.
const PRUNE = 1 - 1e-9;

/** A first assignment: per row the nearest and second-nearest centre, and their squared distances. */
export interface Assignment {
  labels: Int32Array;
  closest: Float64Array;
  /** Second-nearest centre (-1 when k = 1). */
  secondLabel: Int32Array;
  second: Float64Array;
}

/** Every distance: the first assignment for given centres (ties to the lower index). */
export function assignAll(data: Float64Array, n: number, d: number, k: number, centers: Float64Array): Assignment {
  const dist = dist2; // see distance.ts: a local alias is inlined, the imported binding was not
  const labels = new Int32Array(n);
  const closest = new Float64Array(n);
  const secondLabel = new Int32Array(n);
  const second = new Float64Array(n);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    let b1 = Infinity;
    let b2 = Infinity;
    let best = 0;
    let next = -1;
    for (let c = 0, co = 0; c < k; c++, co += d) {
      const s = dist(data, off, centers, co, d);
      if (s < b1) {
        b2 = b1;
        next = best;
        b1 = s;
        best = c;
      } else if (s < b2) {
        b2 = s;
        next = c;
      }
    }
    labels[i] = best;
    closest[i] = b1;
    secondLabel[i] = k > 1 ? next : -1;
    second[i] = b2;
  }
  return { labels, closest, secondLabel, second };
}

/** For each centre, the other centres by increasing distance from it. */
class Neighbours {
  /** Half the distance from each centre to its nearest other centre (Number.MAX_VALUE when k = 1). */
  readonly half: Float64Array;
  /** index[c * (k - 1) + q]: the q-th nearest other centre of c; gap: its distance. */
  readonly index: Int32Array;
  readonly gap: Float64Array;

  constructor(readonly k: number) {
    // Finite even for k = 1, so that max(half, lower) never computes Infinity - Infinity.
    this.half = new Float64Array(k).fill(Number.MAX_VALUE);
    this.index = new Int32Array(k * (k - 1));
    this.gap = new Float64Array(k * (k - 1));
  }

  update(centers: Float64Array, d: number): void {
    const { k, index, gap, half } = this;
    const m = k - 1;
    for (let a = 0; a < k; a++) {
      const start = a * m;
      let q = start;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const g = Math.sqrt(dist2(centers, a * d, centers, b * d, d));
        let p = q++;
        while (p > start && gap[p - 1] > g) {
          gap[p] = gap[p - 1];
          index[p] = index[p - 1];
          p--;
        }
        gap[p] = g;
        index[p] = b;
      }
      half[a] = m > 0 ? gap[start] / 2 : Number.MAX_VALUE;
    }
  }
}

/** The state of a k-means run between iterations. */
export class HamerlyLloyd {
  /** Cluster of each row. */
  readonly labels: Int32Array;
  /** Centres, row-major k x d. */
  readonly centers: Float64Array;
  /** Rows per cluster. */
  readonly counts: Int32Array;
  /** Per-cluster sums of the rows (kept up to date as rows move). */
  private readonly sums: Float64Array;
  /** Per-cluster sums of (row - mean) and of |row - mean|², for the inertia. */
  private readonly csum: Float64Array;
  private readonly csq: Float64Array;
  private readonly mean: Float64Array;
  /** Upper bound on the distance to the own centre, minus that centre's accumulated movement. */
  private readonly upper: Float64Array;
  /** Second-nearest centre at the last search (-1: none). */
  private readonly secs: Int32Array;
  /** Lower bound on the distance to the second-nearest centre, plus its accumulated movement. */
  private readonly lower: Float64Array;
  /** Lower bound on the distance to every other centre, plus the largest movements accumulated. */
  private readonly third: Float64Array;
  /** Accumulated movement of each centre, and the sum of each update's largest movement. */
  private readonly moved: Float64Array;
  private drift = 0;
  private readonly near: Neighbours;
  private readonly next: Float64Array;
  /** Inertia of the first assignment, summed over the rows in order. */
  readonly firstInertia: number;

  /**
   * Starts from `centers` and a first assignment to them. This state takes over the assignment's
   * arrays (its distance arrays become bounds), which saves allocating and collecting them.
   */
  constructor(
    private readonly data: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    centers: Float64Array,
    first: Assignment,
  ) {
    this.centers = centers;
    this.labels = first.labels;
    this.counts = new Int32Array(k);
    this.sums = new Float64Array(k * d);
    this.csum = new Float64Array(k * d);
    this.csq = new Float64Array(k);
    this.mean = new Float64Array(d);
    this.upper = first.closest;
    this.lower = first.second;
    this.secs = first.secondLabel;
    this.third = new Float64Array(n);
    this.moved = new Float64Array(k);
    this.near = new Neighbours(k);
    this.next = new Float64Array(k * d);
    this.near.update(centers, d);
    const { mean, labels, upper, lower, third, sums, counts, csum, csq } = this;
    for (let i = 0, off = 0; i < n; i++, off += d) for (let j = 0; j < d; j++) mean[j] += data[off + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    const add = addRow;
    let inertia = 0;
    for (let i = 0, off = 0; i < n; i++, off += d) {
      const a = labels[i];
      add(sums, a * d, data, off, d);
      counts[a]++;
      let q = 0;
      for (let j = 0; j < d; j++) {
        const t = data[off + j] - mean[j];
        csum[a * d + j] += t;
        q += t * t;
      }
      csq[a] += q;
      inertia += upper[i];
      upper[i] = Math.sqrt(upper[i]);
      const l = Math.sqrt(lower[i]);
      lower[i] = l;
      // The third-nearest centre is no nearer than the second (finite: see assign).
      third[i] = Math.min(l, Number.MAX_VALUE);
    }
    this.firstInertia = inertia;
  }

  /**
   * Assigns every row to its nearest centre; returns how many rows changed cluster.
   * Rows the bounds cannot settle get their own distance, then the cached second-nearest centre
   * (two distances settle the row when the nearer of the two is within the bound on all others),
   * then a search of the other centres, nearest-to-the-own-centre first, that stops once the
   * triangle inequality rules out the rest. Nearest centres come out exact (ties to the lower index).
   */
  assign(): number {
    const dist = dist2; // see distance.ts
    const { data, d, centers, labels, upper, lower, secs, third, moved } = this;
    const { half, index, gap } = this.near;
    const n = this.n;
    const m1 = this.k - 1;
    const drift = this.drift;
    // Bounds are stored as value ± accumulated movement: allow for the rounding of that sum too.
    let most = drift;
    for (let c = 0; c < this.k; c++) most = Math.max(most, moved[c]);
    const eps = most * 1e-12;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const b = secs[i];
      const u = upper[i] + moved[a] + eps;
      const l3 = third[i] - drift - eps;
      const lb = b >= 0 ? lower[i] - moved[b] - eps : l3;
      // l = min(lb, l3) and m = max(half, l) without branches (a data-dependent branch here
      // mispredicted often and cost ~10 % of the pass). Each is exact on one side and within
      // rounding of the other operand on the other side, which PRUNE covers; all values finite.
      const tl = lb - l3;
      const l = lb - 0.5 * (tl + Math.abs(tl));
      const h = half[a];
      const t = l - h;
      const m = (h + 0.5 * (t + Math.abs(t))) * PRUNE;
      if (u <= m) continue;
      const off = i * d;
      const s = dist(data, off, centers, a * d, d);
      const v = Math.sqrt(s);
      if (v <= m && m > 0) {
        upper[i] = v - moved[a];
        continue;
      }
      // The cached second-nearest centre: if the nearer of the two is within the bound on all
      // other centres, two distances settle the row.
      const l3p = l3 * PRUNE;
      if (b >= 0 && l3p > 0) {
        const e = dist(data, off, centers, b * d, d);
        const w = Math.sqrt(e);
        if ((w < v ? w : v) < l3p) {
          if (e < s || (e === s && b < a)) {
            secs[i] = a;
            this.move(i, off, a, b);
            changed++;
            upper[i] = w - moved[b];
            lower[i] = v + moved[a];
          } else {
            upper[i] = v - moved[a];
            lower[i] = w + moved[b];
          }
          continue;
        }
      }
      // Search the others.
      let b1 = s;
      let b2 = Infinity;
      let b3 = Infinity;
      let r2 = Infinity; // sqrt(b2)
      let rest = Infinity; // lower bound on the centres not visited
      let best = a;
      let sec = -1;
      for (let q = a * m1, end = q + m1; q < end; q++) {
        const g = gap[q];
        // |x - c_j| >= |c_a - c_j| - |x - c_a|: this centre and all farther ones are beyond b2.
        const bound = g - v - g * 1e-9;
        if (bound > r2) {
          rest = bound;
          break;
        }
        const j = index[q];
        const e = dist(data, off, centers, j * d, d);
        if (e < b1 || (e === b1 && j < best)) {
          b3 = b2;
          b2 = b1;
          sec = best;
          b1 = e;
          best = j;
          r2 = Math.sqrt(b2);
        } else if (e < b2 || (e === b2 && j < sec)) {
          b3 = b2;
          b2 = e;
          sec = j;
          r2 = Math.sqrt(e);
        } else if (e < b3) b3 = e;
      }
      if (best !== a) {
        this.move(i, off, a, best);
        changed++;
      }
      upper[i] = Math.sqrt(b1) - moved[best];
      lower[i] = r2 + moved[sec];
      secs[i] = sec;
      const r3 = Math.sqrt(b3);
      third[i] = Math.min(r3, rest, Number.MAX_VALUE) + drift;
    }
    return changed;
  }

  /**
   * Inertia of the current labels against the current centres, from the per-cluster sums
   * (sum over clusters of |x - m|² - 2 (c - m)·(x - m) + |c - m|², m the data mean): no pass over
   * the rows, accurate to rounding relative to the total variance.
   */
  inertia(): number {
    const { d, k, centers, counts, csum, csq, mean } = this;
    let total = 0;
    for (let c = 0; c < k; c++) {
      let cross = 0;
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const t = centers[c * d + j] - mean[j];
        cross += t * csum[c * d + j];
        norm += t * t;
      }
      total += csq[c] - 2 * cross + counts[c] * norm;
    }
    return Math.max(total, 0);
  }

  /** Inertia of the current labels against the current centres, summed over the rows in order. */
  exactInertia(): number {
    const dist = dist2;
    const { data, d, centers, labels } = this;
    let total = 0;
    for (let i = 0, off = 0; i < this.n; i++, off += d) total += dist(data, off, centers, labels[i] * d, d);
    return total;
  }

  /**
   * Moves each centre to the mean of its rows (reseeding empty clusters first) and carries the
   * bounds over; returns the summed squared movement (scikit-learn's centre shift).
   */
  update(): number {
    const { d, k, centers, counts, sums, next, moved } = this;
    if (counts.includes(0)) this.reseedEmpty();
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) next[c * d + j] = sums[c * d + j] / counts[c];
    let shift = 0;
    let most = 0;
    for (let c = 0; c < k; c++) {
      const s = dist2(next, c * d, centers, c * d, d);
      shift += s;
      const p = Math.sqrt(s);
      moved[c] += p;
      if (p > most) most = p;
    }
    this.drift += most;
    centers.set(next);
    this.near.update(centers, d);
    return shift;
  }

  /** Moves row i (data at off) from cluster a to cluster b, keeping the sums in step. */
  private move(i: number, off: number, a: number, b: number): void {
    const { data, d, sums, csum, mean } = this;
    let q = 0;
    for (let j = 0; j < d; j++) {
      const x = data[off + j];
      sums[a * d + j] -= x;
      sums[b * d + j] += x;
      const t = x - mean[j];
      csum[a * d + j] -= t;
      csum[b * d + j] += t;
      q += t * t;
    }
    this.csq[a] -= q;
    this.csq[b] += q;
    this.counts[a]--;
    this.counts[b]++;
    this.labels[i] = b;
  }

  /**
   * Gives each empty cluster the row farthest from its centre, taken only from clusters that keep
   * at least one row (scikit-learn's rule); the centre goes to that row.
   */
  private reseedEmpty(): void {
    const { data, n, d, k, centers, labels, counts } = this;
    const far2 = new Float64Array(n);
    for (let i = 0, off = 0; i < n; i++, off += d) far2[i] = dist2(data, off, centers, labels[i] * d, d);
    for (let e = 0; e < k; e++) {
      if (counts[e] !== 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) {
        if (far2[i] > 0 && counts[labels[i]] > 1 && (far < 0 || far2[i] > far2[far])) far = i;
      }
      if (far < 0) {
        throw new ClusterError(`Cluster ${e + 1} is empty and no row can be moved to it: the data has fewer than k distinct rows.`);
      }
      this.move(far, far * d, labels[far], e);
      far2[far] = 0;
      // Its bounds no longer hold: force a fresh look at it in the next pass.
      this.upper[far] = Infinity;
      this.secs[far] = -1;
      this.third[far] = this.drift;
    }
  }
}
