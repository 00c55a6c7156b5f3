/**
 * Independent reference code for the clustering tests: a tiny seeded RNG, Gaussian mixtures,
 * plain k-means++ and plain Lloyd, written from the textbook definitions and sharing nothing with
 * workers/cluster/.
 */

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box-Muller). */
export function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** `perCluster` points around each centre (number[] of length d), spread `sd`; rows in random order. */
export function mixture(
  centres: number[][],
  perCluster: number,
  sd: number,
  seed: number,
): { data: Float64Array; truth: Int32Array; n: number; d: number } {
  const rand = mulberry32(seed);
  const d = centres[0].length;
  const n = centres.length * perCluster;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  order.forEach((row, q) => {
    const c = Math.floor(q / perCluster);
    truth[row] = c;
    for (let j = 0; j < d; j++) data[row * d + j] = centres[c][j] + sd * gauss(rand);
  });
  return { data, truth, n, d };
}

function sq(data: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const u = data[i * d + t] - c[j * d + t];
    s += u * u;
  }
  return s;
}

/** Plain k-means++ (one candidate per step). */
export function plainKmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rand: () => number): Float64Array {
  const centres = new Float64Array(k * d);
  const first = Math.floor(rand() * n);
  for (let t = 0; t < d; t++) centres[t] = data[first * d + t];
  const best = Array.from({ length: n }, (_, i) => sq(data, i, centres, 0, d));
  for (let c = 1; c < k; c++) {
    const total = best.reduce((a, b) => a + b, 0);
    let target = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= best[i];
      if (target < 0) {
        pick = i;
        break;
      }
    }
    for (let t = 0; t < d; t++) centres[c * d + t] = data[pick * d + t];
    for (let i = 0; i < n; i++) best[i] = Math.min(best[i], sq(data, i, centres, c, d));
  }
  return centres;
}

/** Each row's nearest centre (ties to the lower index) and the inertia summed in row order. */
export function nearest(data: Float64Array, n: number, d: number, centres: Float64Array): { next: Int32Array; inertia: number } {
  const k = centres.length / d;
  const next = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let bestJ = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const e = sq(data, i, centres, j, d);
      if (e < bestD) {
        bestD = e;
        bestJ = j;
      }
    }
    next[i] = bestJ;
    inertia += bestD;
  }
  return { next, inertia };
}

/**
 * Plain Lloyd with the conventions of the module under test: assign every row to its nearest
 * centre (ties to the lower index), stop when labels repeat, otherwise move each centre to the
 * mean of its rows (summed in row order); after maxIter a final assignment to the last centres.
 * Expects no cluster to go empty.
 */
export function plainLloyd(
  data: Float64Array,
  n: number,
  d: number,
  init: Float64Array,
  maxIter: number,
): { labels: Int32Array; centroids: Float64Array; inertia: number; history: number[]; iterations: number } {
  const k = init.length / d;
  let centres = Float64Array.from(init);
  let labels: Int32Array = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Array<number>(k).fill(0);
  const history: number[] = [];
  const assign = () => nearest(data, n, d, centres);
  let iterations = 0;
  let inertia = 0;
  let moved = false;
  while (iterations < maxIter) {
    iterations++;
    const a = assign();
    history.push(a.inertia);
    inertia = a.inertia;
    const same = iterations > 1 && a.next.every((v, i) => v === labels[i]);
    moved = false;
    if (same) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const to = a.next[i];
      for (let t = 0; t < d; t++) sums[to * d + t] += data[i * d + t];
      counts[to]++;
    }
    labels = a.next;
    if (counts.includes(0)) throw new Error('reference Lloyd: empty cluster');
    centres = sums.map((s, q) => s / counts[Math.floor(q / d)]);
    moved = true;
  }
  if (moved) {
    const a = assign();
    labels = a.next;
    inertia = a.inertia;
  }
  return { labels, centroids: centres, inertia, history, iterations };
}

/** Whether two labellings are the same partition (equal up to renaming the clusters). */
export function samePartition(a: Int32Array, b: Int32Array): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}
