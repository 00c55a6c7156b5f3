/**
 * Seeded pseudo-random numbers (xoshiro128** seeded through splitmix32): the same seed gives the
 * same sequence on every engine. Nothing in `workers/cluster/` uses Math.random.
 */
import { ClusterError } from './errors';
import { t } from '../../src/lib/i18n';

/** A deterministic random source. */
export interface Rng {
  /** A float in [0, 1) with 53 random bits. */
  next(): number;
  /** An integer in [0, n), for 1 <= n <= 2^53. */
  int(n: number): number;
  /** A standard normal deviate (Box-Muller). */
  normal(): number;
}

class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  constructor(seed: number) {
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b1);
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) | 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
  }

  private u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  next(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const phi = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A random source for an integer seed (any safe integer, negative ones included). */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new ClusterError(t('msg.cluster.seed', { seed: String(seed) }));
  return new Xoshiro128(seed);
}

/**
 * `size` distinct row indices drawn uniformly from [0, n), in ascending order (all rows when
 * size >= n). Deterministic for a given rng state.
 */
export function sampleIndices(n: number, size: number, rng: Rng): Int32Array {
  if (size >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  // Floyd's algorithm: `size` draws, no array of n.
  const chosen = new Set<number>();
  for (let j = n - size; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
