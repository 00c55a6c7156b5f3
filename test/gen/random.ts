/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) with the
 * distributions the sample-data generator needs. Pure: no Math.random, no clock.
 */

/** A deterministic source of random numbers: the same seed always gives the same sequence. */
export interface Random {
  /** The seed this source was created from. */
  readonly seed: number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** A uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** A normal deviate (Box-Muller). */
  normal(mean?: number, sd?: number): number;
  /** exp(normal(mu, sigma)). */
  lognormal(mu: number, sigma: number): number;
  /** A gamma deviate with the given shape and scale (mean = shape * scale). */
  gamma(shape: number, scale?: number): number;
  /** A beta deviate on (0, 1). */
  beta(a: number, b: number): number;
  /** An exponential deviate with the given rate (mean = 1 / rate). */
  exponential(rate: number): number;
  /** A Poisson count with the given mean. */
  poisson(mean: number): number;
  /** Failures before the first success in Bernoulli(p) trials (0, 1, 2, ...). */
  geometric(p: number): number;
  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with probability proportional to its (non-negative) weight. */
  weightedIndex(weights: readonly number[]): number;
  /** One item drawn with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** An independent stream derived from this seed and a label; does not advance this one. */
  fork(label: string | number): Random;
}

/** Creates a seeded random source; any integer seed (taken modulo 2^32) works. */
export function createRandom(seed: number): Random {
  const sm = splitmix32(seed >>> 0);
  const next = sfc32(sm(), sm(), sm(), sm());
  for (let i = 0; i < 12; i++) next();
  let spare: number | undefined;

  const rng: Random = {
    seed: seed >>> 0,
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bernoulli: (p) => next() < p,
    normal(mean = 0, sd = 1) {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + sd * z;
      }
      const u1 = 1 - next(); // (0, 1]: log stays finite
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return mean + sd * r * Math.cos(2 * Math.PI * u2);
    },
    lognormal: (mu, sigma) => Math.exp(rng.normal(mu, sigma)),
    gamma(shape, scale = 1) {
      if (!(shape > 0) || !(scale > 0)) throw new RangeError(`invalid gamma parameters: ${shape}, ${scale}`);
      // Marsaglia & Tsang (2000); shape < 1 via the boost gamma(shape + 1) * U^(1/shape).
      if (shape < 1) return rng.gamma(shape + 1, scale) * Math.pow(1 - next(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = rng.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const u = 1 - next();
        if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
          return d * v * scale;
        }
      }
    },
    beta(a, b) {
      const x = rng.gamma(a);
      const y = rng.gamma(b);
      return x / (x + y);
    },
    exponential: (rate) => -Math.log(1 - next()) / rate,
    poisson(mean) {
      if (!(mean >= 0)) throw new RangeError(`invalid poisson mean: ${mean}`);
      if (mean > 30) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    geometric(p) {
      if (!(p > 0 && p <= 1)) throw new RangeError(`invalid geometric probability: ${p}`);
      if (p === 1) return 0;
      return Math.floor(Math.log(1 - next()) / Math.log(1 - p));
    },
    pick: (items) => items[Math.floor(next() * items.length)],
    weightedIndex(weights) {
      let total = 0;
      for (const w of weights) total += w;
      if (!(total > 0)) throw new RangeError('weights must have a positive sum');
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    weighted: (items, weights) => items[rng.weightedIndex(weights)],
    fork: (label) => createRandom(hash32(`${seed >>> 0}/${label}`)),
  };
  return rng;
}

/** FNV-1a over the UTF-16 code units, finished with a murmur-style mix. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
