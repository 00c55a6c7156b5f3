/**
 * Compression of customers with identical inputs: the likelihoods are sums over customers, and
 * customers measured in whole days repeat the same (x, t_x, T) many times, so a million customers
 * shrink to a few tens of thousands of weighted rows.
 */

/** Distinct rows of some columns, with how often each occurs. */
export interface UniqueRows {
  /** One array per input column, holding the distinct rows in order of first occurrence. */
  columns: Float64Array[];
  /** Per distinct row: the number of input rows (or the sum of their weights). */
  weight: Float64Array;
  /** Per input row: the index of its distinct row. */
  index: Int32Array;
}

/**
 * The distinct rows of equally long columns, matched bit for bit (so 0 and -0 differ, and every
 * NaN pattern is its own row; validate values first). `weights`, if given, are summed per row.
 */
export function uniqueRows(columns: Float64Array[], weights?: Float64Array): UniqueRows {
  return uniqueRowsUpTo(columns, Infinity, weights)!;
}

/**
 * `uniqueRows`, giving up (null) as soon as there are more than `maxDistinct` distinct rows, so
 * that data where nothing repeats costs only a fraction of a full pass.
 */
export function uniqueRowsUpTo(
  columns: Float64Array[],
  maxDistinct: number,
  weights?: Float64Array,
): UniqueRows | null {
  const m = columns.length;
  const n = m > 0 ? columns[0].length : 0;
  const bits = columns.map((c) => new Uint32Array(c.buffer, c.byteOffset, c.length * 2));
  const index = new Int32Array(n);
  let cap = 1024;
  let table = new Int32Array(cap).fill(-1); // slot -> distinct row, open addressing
  let firstRow = new Int32Array(256); // distinct row -> an input row holding it
  let weight = new Float64Array(256);
  let count = 0;

  const hashOf = (row: number): number => {
    let h = 0x811c9dc5;
    for (let j = 0; j < m; j++) {
      h = Math.imul(h ^ bits[j][2 * row], 0x9e3779b1);
      h = Math.imul(h ^ bits[j][2 * row + 1], 0x85ebca6b);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 13)) >>> 0;
  };
  const same = (a: number, b: number): boolean => {
    for (let j = 0; j < m; j++) {
      if (bits[j][2 * a] !== bits[j][2 * b] || bits[j][2 * a + 1] !== bits[j][2 * b + 1]) return false;
    }
    return true;
  };

  for (let i = 0; i < n; i++) {
    let slot = hashOf(i) & (cap - 1);
    let id = -1;
    for (;;) {
      const u = table[slot];
      if (u < 0) break;
      if (same(firstRow[u], i)) {
        id = u;
        break;
      }
      slot = (slot + 1) & (cap - 1);
    }
    if (id < 0) {
      if (count >= maxDistinct) return null;
      id = count++;
      if (id === firstRow.length) {
        firstRow = grow(firstRow);
        weight = grow(weight);
      }
      firstRow[id] = i;
      table[slot] = id;
      if (count * 2 > cap) {
        cap *= 2;
        table = new Int32Array(cap).fill(-1);
        for (let u = 0; u < count; u++) {
          let s = hashOf(firstRow[u]) & (cap - 1);
          while (table[s] >= 0) s = (s + 1) & (cap - 1);
          table[s] = u;
        }
      }
    }
    index[i] = id;
    weight[id] += weights ? weights[i] : 1;
  }

  const out = columns.map(() => new Float64Array(count));
  for (let u = 0; u < count; u++) {
    const row = firstRow[u];
    for (let j = 0; j < m; j++) out[j][u] = columns[j][row];
  }
  return { columns: out, weight: weight.slice(0, count), index };
}

function grow<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Values computed once per distinct row, spread back to every original row (row i has values[index[i]]). */
export function perRow(values: Float64Array, index: ArrayLike<number>): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = values[index[i]];
  return out;
}
