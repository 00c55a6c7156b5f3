/**
 * Special functions the lifetime-value models need: log-gamma (Lanczos), digamma, log-beta,
 * the Gauss hypergeometric series 2F1 and log-sum-exp helpers. Plain numbers, no allocation.
 */
import { ClvError } from './errors';

// Lanczos approximation with g = 607/128 and 15 terms (Godfrey's coefficients, as in Boost and
// numerical-recipes-style libraries): relative error of Γ about 1e-15 for x >= 0.5.
const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.2174396181152126432e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln |Γ(x)| for real x (Infinity at 0 and the negative integers). */
export function lgamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
    const s = Math.sin(Math.PI * x);
    if (s === 0) return Infinity;
    return Math.log(Math.PI / Math.abs(s)) - lgamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ψ(x) = d/dx ln Γ(x), the digamma function (NaN at 0 and the negative integers). */
export function digamma(x: number): number {
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    // Reflection: ψ(1 - x) - ψ(x) = π cot(πx).
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  // Asymptotic series ln x - 1/(2x) - Σ B_2n / (2n x^2n); at x >= 10 the next term is below 1e-16.
  const x2 = 1 / (x * x);
  const series =
    x2 *
    (1 / 12 -
      x2 * (1 / 120 - x2 * (1 / 252 - x2 * (1 / 240 - x2 * (1 / 132 - x2 * (691 / 32760 - x2 / 12))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^a + e^b) without overflow; -Infinity when both are -Infinity. */
export function logAddExp(a: number, b: number): number {
  const m = a > b ? a : b;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln Σ e^v over the values, without overflow; -Infinity for none. */
export function logSumExp(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i] - m);
  return m + Math.log(s);
}

/** Options of `hyp2f1`. */
export interface Hyp2f1Options {
  /** Stop when the remaining tail is below this fraction of the sum (default 1e-16). */
  tol?: number;
  /** Most terms before giving up with ClvError (default 1,000,000). */
  maxTerms?: number;
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) by its power series, for |z| < 1 and c not a
 * non-positive integer. The series stops once a bound on the remaining tail is below `tol` of the
 * sum; convergence slows as |z| approaches 1 (about 40 / (1 - |z|) terms), and ClvError is thrown
 * if it has not converged within `maxTerms`.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, opts: Hyp2f1Options = {}): number {
  if (!(Math.abs(z) < 1)) throw new ClvError(`2F1 needs |z| < 1, got z = ${z}.`);
  if (c <= 0 && c === Math.floor(c)) throw new ClvError(`2F1 is undefined for c = ${c} (a non-positive integer).`);
  return 1 + seriesTail(a, b, c, z, opts.tol ?? 1e-16, opts.maxTerms ?? 1_000_000) / c;
}

/**
 * c · (2F1(a, b; c; z) - 1) = Σ_{n>=1} c · (a)_n (b)_n / ((c)_n n!) z^n, which stays finite as c
 * approaches 0. Shared by `hyp2f1` and the BG/NBD expectations (where c can be near 0).
 */
export function hyp2f1Tail(a: number, b: number, c: number, z: number, opts: Hyp2f1Options = {}): number {
  if (!(Math.abs(z) < 1)) throw new ClvError(`2F1 needs |z| < 1, got z = ${z}.`);
  if (c <= -1 && c === Math.floor(c)) throw new ClvError(`2F1 is undefined for c = ${c} (a non-positive integer).`);
  return seriesTail(a, b, c, z, opts.tol ?? 1e-16, opts.maxTerms ?? 1_000_000);
}

function seriesTail(a: number, b: number, c: number, z: number, tol: number, maxTerms: number): number {
  if (z === 0) return 0;
  let term = a * b * z; // c · (first term of the series)
  let sum = term;
  for (let n = 1; n < maxTerms; n++) {
    if (term === 0) return sum; // a or b a non-positive integer: a polynomial
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    const next = term * ratio;
    // For large n the ratio tends to z monotonically, so later ratios stay below max(|ratio|, |z|)
    // and the tail from `next` on is bounded by a geometric series.
    const rho = Math.max(Math.abs(ratio), Math.abs(z));
    if (rho < 1 && Math.abs(next) <= tol * (1 - rho) * Math.abs(sum)) return sum + next;
    sum += next;
    term = next;
    if (!Number.isFinite(sum)) break;
  }
  throw new ClvError(
    `The hypergeometric series 2F1(${a}, ${b}; ${c}; ${z}) did not converge; ` +
      "the horizon is too long for the data's time scale.",
  );
}

/**
 * Adds v to the running sum k of `sums` with Neumaier's compensation: `sums` holds m sums in its
 * first half and their lost low-order parts in its second, so sum k is sums[k] + sums[k + m].
 */
export function addCompensated(sums: Float64Array, k: number, v: number): void {
  const s = sums[k];
  const t = s + v;
  sums[k + (sums.length >> 1)] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
  sums[k] = t;
}
