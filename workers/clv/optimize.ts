/**
 * Unconstrained minimisation by BFGS with a strong-Wolfe line search (Nocedal & Wright,
 * Numerical Optimization, 2nd ed., algorithms 3.5, 3.6 and 6.1). Models keep parameters positive
 * by minimising over their logarithms.
 *
 * Robustness rules:
 * - a non-finite objective value counts as "too far": the line search shrinks the step;
 * - near the minimum, where the value changes by less than rounding, a step is accepted on the
 *   approximate Wolfe conditions of Hager & Zhang (2005), which use only the derivative;
 * - when a line search fails or the search direction is not downhill, the inverse-Hessian
 *   approximation is reset to a scaled identity and the search restarts from the current point
 *   (at most `restarts` times in a row); the run stops when a fresh restart also fails.
 * - converged means the largest gradient component is at most `gtol`.
 */
import { runSteps } from '../run-steps';

/**
 * An objective: returns f(x) and, when `grad` is given, writes ∇f(x) into it. With
 * `numericGradient` the function is only ever called with `grad` = null.
 */
export type Objective = (x: Float64Array, grad: Float64Array | null) => number;

/** Options of `minimize`. */
export interface MinimizeOptions {
  /** Most BFGS iterations (default 500). */
  maxIter?: number;
  /** Converged when max |∂f/∂x_i| <= gtol (default 1e-8). */
  gtol?: number;
  /** Consecutive restarts allowed after a failed line search (default 3). */
  restarts?: number;
  /** Approximate the gradient by central differences instead of asking the objective. */
  numericGradient?: boolean;
  /** Called after each iteration with f; returning false cancels (CancelledError). */
  onProgress?: (iter: number, value: number) => void | boolean;
}

/** The outcome of `minimize`. */
export interface MinimizeResult {
  /** The minimiser found. */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ∇f(x). */
  gradient: Float64Array;
  /** BFGS iterations run. */
  iterations: number;
  /** Objective evaluations (each numeric gradient counts 2n + 1). */
  evaluations: number;
  /** Whether max |∇f| <= gtol at the end. */
  converged: boolean;
  /** Why it stopped, for logs. */
  message: string;
}

/**
 * The objective restricted to the box |x_i| <= limit: NaN outside, which the line search treats as
 * too far. Fits over log-parameters use it to stop at a boundary instead of wandering off.
 */
export function withinBox(f: Objective, limit: number): Objective {
  return (x, grad) => {
    for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i]) <= limit)) return NaN;
    return f(x, grad);
  };
}

/** A progress report of `minimizeSteps`. */
export interface MinimizeProgress {
  iter: number;
  value: number;
}

const C1 = 1e-4;
const C2 = 0.9;
const EPS_F = 1e-14; // relative change of f below which values are treated as rounding noise

/**
 * BFGS as a generator: yields after each iteration and returns the result, so a caller can give
 * the event loop a turn between iterations (and stop there).
 */
export function* minimizeSteps(
  f: Objective,
  x0: ArrayLike<number>,
  opts: MinimizeOptions = {},
): Generator<MinimizeProgress, MinimizeResult, void> {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 500;
  const gtol = opts.gtol ?? 1e-8;
  const maxRestarts = opts.restarts ?? 3;
  let evaluations = 0;

  const evaluate = (x: Float64Array, grad: Float64Array | null): number => {
    if (!opts.numericGradient) {
      evaluations++;
      return f(x, grad);
    }
    evaluations++;
    const v = f(x, null);
    if (grad && Number.isFinite(v)) numericGradient(f, x, grad, () => (evaluations += 2));
    return v;
  };

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = evaluate(x, g);
  if (!Number.isFinite(fx) || !allFinite(g)) {
    throw new RangeError(`The objective is not finite at the starting point (${Array.from(x).join(', ')}).`);
  }
  const H = new Float64Array(n * n);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  let fresh = true; // H is the (unscaled) identity: the first step is scaled by the gradient
  resetIdentity(H, n, 1);
  let restartsInARow = 0;
  let iter = 0;
  let message = 'maximum iterations reached';

  while (iter < maxIter) {
    if (maxAbs(g) <= gtol) {
      message = 'gradient below gtol';
      break;
    }
    // d = -H g
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      if (fresh) {
        message = 'no descent direction';
        break;
      }
      resetIdentity(H, n, 1);
      fresh = true;
      continue;
    }
    const step0 = fresh ? Math.min(1, 1 / maxAbs(g)) : 1;
    const ls = lineSearch(evaluate, x, fx, slope, d, step0, xNew, gNew);
    if (ls === null) {
      if (fresh || restartsInARow >= maxRestarts) {
        message = 'line search failed';
        break;
      }
      restartsInARow++;
      resetIdentity(H, n, 1);
      fresh = true;
      continue;
    }
    iter++;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    const fOld = fx;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = ls;
    if (fx < fOld - EPS_F * Math.abs(fOld)) restartsInARow = 0;

    if (sy > 1e-12 * Math.sqrt(yy) * norm(s)) {
      if (fresh) resetIdentity(H, n, sy / yy); // Nocedal & Wright (6.20)
      fresh = false;
      // H <- (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ, with ρ = 1 / sᵀy
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += v * y[i];
      }
      const rho = 1 / sy;
      const k = (1 + rho * yHy) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += k * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
        }
      }
    }
    yield { iter, value: fx };
  }

  return {
    x,
    value: fx,
    gradient: g,
    iterations: iter,
    evaluations,
    converged: maxAbs(g) <= gtol,
    message,
  };
}

/**
 * Minimises f from x0 by BFGS (see the module comment for the rules).
 * Throws CancelledError when onProgress returns false, RangeError if f is not finite at x0.
 */
export function minimize(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  return runSteps(minimizeSteps(f, x0, opts), (s) => opts.onProgress?.(s.iter, s.value));
}

/**
 * Strong-Wolfe line search along d from x (N&W algorithm 3.5 with zoom 3.6). On success writes the
 * accepted point and its gradient into xNew, gNew and returns f there; null when it failed.
 */
function lineSearch(
  evaluate: (x: Float64Array, g: Float64Array | null) => number,
  x: Float64Array,
  f0: number,
  slope0: number,
  d: Float64Array,
  step0: number,
  xNew: Float64Array,
  gNew: Float64Array,
): number | null {
  const n = x.length;
  const noise = EPS_F * Math.abs(f0);
  const at = (step: number): { f: number; slope: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
    const f = evaluate(xNew, gNew);
    if (!Number.isFinite(f) || !allFinite(gNew)) return { f: NaN, slope: NaN };
    let slope = 0;
    for (let i = 0; i < n; i++) slope += gNew[i] * d[i];
    return { f, slope };
  };
  // Strong Wolfe, or approximate Wolfe (Hager & Zhang) when f is flat to rounding.
  const accept = (step: number, f: number, slope: number): boolean =>
    (f <= f0 + C1 * step * slope0 && Math.abs(slope) <= -C2 * slope0) ||
    (f <= f0 + noise && slope >= C2 * slope0 && slope <= (2 * C1 - 1) * slope0);
  const sufficient = (step: number, f: number): boolean => f <= f0 + C1 * step * slope0;

  let prevStep = 0;
  let prevF = f0;
  let prevSlope = slope0;
  let step = step0;
  for (let i = 0; i < 40; i++) {
    const { f, slope } = at(step);
    if (Number.isFinite(f) && accept(step, f, slope)) return f;
    if (!Number.isFinite(f) || !sufficient(step, f) || (i > 0 && f >= prevF)) {
      return zoom(prevStep, prevF, prevSlope, step, f, slope);
    }
    if (slope >= 0) return zoom(step, f, slope, prevStep, prevF, prevSlope);
    prevStep = step;
    prevF = f;
    prevSlope = slope;
    step *= 2;
  }
  return null;

  function zoom(lo: number, fLo: number, sLo: number, hi: number, fHi: number, sHi: number): number | null {
    for (let i = 0; i < 60; i++) {
      const width = hi - lo;
      let step = Number.isFinite(fHi) ? cubicMin(lo, fLo, sLo, hi, fHi, sHi) : NaN;
      const margin = 0.1 * Math.abs(width);
      const left = Math.min(lo, hi) + margin;
      const right = Math.max(lo, hi) - margin;
      if (!(step >= left && step <= right)) step = lo + 0.5 * width;
      if (step === lo || step === hi || Math.abs(width) < 1e-20 * Math.max(1, Math.abs(lo))) break;
      const { f, slope } = at(step);
      if (Number.isFinite(f) && accept(step, f, slope)) return f;
      if (!Number.isFinite(f) || !sufficient(step, f) || f >= fLo) {
        hi = step;
        fHi = f;
        sHi = slope;
      } else {
        if (slope * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          sHi = sLo;
        }
        lo = step;
        fLo = f;
        sLo = slope;
      }
    }
    // No Wolfe point: settle for the best point with sufficient decrease, if any.
    if (lo > 0 && fLo < f0) {
      const { f } = at(lo);
      if (Number.isFinite(f)) return f;
    }
    return null;
  }
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/** Central-difference gradient of f at x into grad. */
function numericGradient(f: Objective, x: Float64Array, grad: Float64Array, count: () => void): void {
  const xi = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const h = 6e-6 * Math.max(1, Math.abs(x[i]));
    xi[i] = x[i] + h;
    const up = f(xi, null);
    xi[i] = x[i] - h;
    const down = f(xi, null);
    xi[i] = x[i];
    count();
    grad[i] = (up - down) / (2 * h);
  }
}

function resetIdentity(H: Float64Array, n: number, scale: number): void {
  H.fill(0);
  for (let i = 0; i < n; i++) H[i * n + i] = scale;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
