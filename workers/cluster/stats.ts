/** Summary statistics of one feature, skipping non-finite values (NaN, ±Infinity mean "missing"). */

/**
 * Quantiles of the finite values at probabilities `ps` (each in [0, 1]), interpolating linearly
 * between closest ranks (numpy's default, R type 7). NaN for each p when there are no finite values.
 * O(n) per quantile by selection, not sorting.
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const buf = finiteCopy(values);
  const m = buf.length;
  const out = ps.map(() => NaN);
  if (m === 0) return out;
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  let from = 0;
  for (const [p, i] of order) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
    const h = (m - 1) * p;
    const lo = Math.floor(h);
    select(buf, lo, from, m - 1);
    from = lo;
    const vLo = buf[lo];
    let vHi = vLo;
    if (h > lo) {
      vHi = Infinity;
      for (let j = lo + 1; j < m; j++) if (buf[j] < vHi) vHi = buf[j];
    }
    out[i] = vLo + (h - lo) * (vHi - vLo);
  }
  return out;
}

/** The median of the finite values (NaN when there are none). */
export function median(values: ArrayLike<number>): number {
  return quantiles(values, [0.5])[0];
}

/** Count, mean and population standard deviation of the finite values (two-pass, for accuracy). */
export function meanStd(values: ArrayLike<number>): { count: number; mean: number; std: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      count++;
      sum += v;
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { count, mean, std: count > 0 ? Math.sqrt(ss / count) : NaN };
}

function finiteCopy(values: ArrayLike<number>): Float64Array {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m++;
  const buf = new Float64Array(m);
  for (let i = 0, j = 0; i < values.length; i++) if (Number.isFinite(values[i])) buf[j++] = values[i];
  return buf;
}

/** Moves the k-th smallest of a[left..right] to a[k], smaller ones before it, larger after (Hoare). */
function select(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const mid = (left + right) >>> 1;
    const x = a[left];
    const y = a[mid];
    const z = a[right];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
