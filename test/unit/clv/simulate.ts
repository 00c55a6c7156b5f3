/**
 * Test helpers: a seeded random source, Gamma/Beta samplers and simulators of the BG/NBD,
 * Pareto/NBD and Gamma-Gamma processes written from the models' definitions (not from the code
 * under test).
 */

/** A seeded source of uniforms in (0, 1), normals and Gamma/Beta deviates. */
export class Random {
  private s: Uint32Array;
  private spare = NaN;

  constructor(seed: number) {
    // sfc32 seeded through splitmix32.
    let z = seed >>> 0;
    const mix = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z ^ (z >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s = Uint32Array.of(mix(), mix(), mix(), 1);
    for (let i = 0; i < 16; i++) this.u32();
  }

  private u32(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in (0, 1), never 0 or 1. */
  uniform(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * m;
        return u * m;
      }
    }
  }

  /** Exponential with rate 1. */
  exponential(): number {
    return -Math.log(this.uniform());
  }

  /** Gamma(shape, rate 1) by Marsaglia & Tsang (2000), boosted for shape < 1. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Beta(a, b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }
}

/** One simulated BG/NBD customer: calibration summary and purchases in a following window. */
export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  /** Purchases in (T, T + future]. */
  future: number;
}

/**
 * Simulates one BG/NBD customer observed for T after the first purchase, and `future` beyond:
 * λ ~ Gamma(r, α), p ~ Beta(a, b); purchases follow a Poisson process with rate λ, and after each
 * repeat purchase the customer becomes inactive with probability p.
 */
export function simulateBgNbd(
  rng: Random,
  params: { r: number; alpha: number; a: number; b: number },
  T: number,
  future = 0,
): SimulatedCustomer {
  const lambda = rng.gamma(params.r) / params.alpha;
  const p = rng.beta(params.a, params.b);
  let t = 0;
  let x = 0;
  let tx = 0;
  let after = 0;
  for (;;) {
    t += rng.exponential() / lambda;
    if (t > T + future) break;
    if (t <= T) {
      x++;
      tx = t;
    } else {
      after++;
    }
    if (rng.uniform() < p) break;
  }
  return { x, tx, T, future: after };
}

/**
 * Simulates one Pareto/NBD customer observed for T after the first purchase, and `future` beyond:
 * λ ~ Gamma(r, α), μ ~ Gamma(s, β); the customer is alive for an exponential time with rate μ and
 * meanwhile purchases follow a Poisson process with rate λ.
 */
export function simulateParetoNbd(
  rng: Random,
  params: { r: number; alpha: number; s: number; beta: number },
  T: number,
  future = 0,
): SimulatedCustomer {
  const lambda = rng.gamma(params.r) / params.alpha;
  const mu = rng.gamma(params.s) / params.beta;
  const end = Math.min(rng.exponential() / mu, T + future);
  let t = 0;
  let x = 0;
  let tx = 0;
  let after = 0;
  for (;;) {
    t += rng.exponential() / lambda;
    if (t > end) break;
    if (t <= T) {
      x++;
      tx = t;
    } else {
      after++;
    }
  }
  return { x, tx, T, future: after };
}

/**
 * The mean of x order values drawn from the Gamma-Gamma model: ν ~ Gamma(q, rate gamma) per
 * customer, each order ~ Gamma(p, rate ν).
 */
export function simulateMeanSpend(rng: Random, params: { p: number; q: number; gamma: number }, x: number): number {
  const nu = rng.gamma(params.q) / params.gamma;
  let sum = 0;
  for (let j = 0; j < x; j++) sum += rng.gamma(params.p) / nu;
  return sum / x;
}

/**
 * ∫_0^1 f(u) du by tanh-sinh quadrature, which tolerates integrable singularities at the ends.
 * f receives u and 1 - u (computed without cancellation near 1).
 */
export function integrate01(f: (u: number, oneMinusU: number) => number, h = 1 / 64, limit = 4.5): number {
  let sum = 0;
  for (let k = -Math.ceil(limit / h); k <= Math.ceil(limit / h); k++) {
    const t = k * h;
    const s = (Math.PI / 2) * Math.sinh(t);
    // u = (1 + tanh s) / 2 = 1 / (1 + e^(-2s)); 1 - u = 1 / (1 + e^(2s)).
    const u = 1 / (1 + Math.exp(-2 * s));
    const v = 1 / (1 + Math.exp(2 * s));
    if (u <= 0 || v <= 0) continue;
    const w = Math.PI * Math.cosh(t) * u * v; // du/dt
    const value = f(u, v);
    if (Number.isFinite(value)) sum += w * value;
  }
  return sum * h;
}

/** ∫_0^∞ f(t) dt, by substituting t = u / (1 - u) into `integrate01`. */
export function integrate0Inf(f: (t: number) => number): number {
  return integrate01((u, v) => f(u / v) / (v * v));
}
