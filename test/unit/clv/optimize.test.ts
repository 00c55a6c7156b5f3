/**
 * BFGS on functions with known minima.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../workers/engine-errors';
import { minimize, minimizeSteps, type Objective } from '../../../workers/clv/optimize';

/** Rosenbrock's banana, minimum 0 at (1, 1). */
const rosenbrock: Objective = (v, grad) => {
  const [x, y] = v;
  if (grad) {
    grad[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    grad[1] = 200 * (y - x * x);
  }
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
};

describe('minimize', () => {
  it('finds the minimum of Rosenbrock’s function from the classic start', () => {
    const res = minimize(rosenbrock, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 7);
    expect(res.x[1]).toBeCloseTo(1, 7);
    expect(res.value).toBeLessThan(1e-14);
    expect(res.iterations).toBeLessThan(100);
  });

  it('works with central-difference gradients', () => {
    const res = minimize((v) => rosenbrock(v, null), [-1.2, 1], { numericGradient: true, gtol: 1e-6 });
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('minimises an ill-conditioned quadratic in 5 dimensions', () => {
    const scales = [1, 10, 100, 1000, 1e4];
    const f: Objective = (v, g) => {
      let s = 0;
      for (let i = 0; i < v.length; i++) {
        const d = v[i] - (i + 1);
        s += 0.5 * scales[i] * d * d;
        if (g) g[i] = scales[i] * d;
      }
      return s;
    };
    const res = minimize(f, new Float64Array(5));
    expect(res.converged).toBe(true);
    for (let i = 0; i < 5; i++) expect(res.x[i]).toBeCloseTo(i + 1, 8);
  });

  it('treats non-finite values as out of bounds and backs off', () => {
    // -ln x - ln(1 - x) on (0, 1), NaN outside: minimum at 1/2. The first step overshoots.
    const f: Objective = (v, g) => {
      const x = v[0];
      if (!(x > 0 && x < 1)) return NaN;
      if (g) g[0] = -1 / x + 1 / (1 - x);
      return -Math.log(x) - Math.log(1 - x);
    };
    const res = minimize(f, [0.001]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(0.5, 9);
  });

  it('reports progress, stops at maxIter and cancels when onProgress returns false', () => {
    const seen: number[] = [];
    const res = minimize(rosenbrock, [-1.2, 1], { maxIter: 5, onProgress: (_, v) => void seen.push(v) });
    expect(res.iterations).toBe(5);
    expect(res.converged).toBe(false);
    expect(seen).toHaveLength(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]);
    expect(() => minimize(rosenbrock, [-1.2, 1], { onProgress: (iter) => iter < 3 })).toThrow(CancelledError);
  });

  it('runs as a generator that yields once per iteration', () => {
    const steps = minimizeSteps(rosenbrock, [-1.2, 1]);
    let yields = 0;
    let step = steps.next();
    while (!step.done) {
      yields++;
      step = steps.next();
    }
    expect(yields).toBe(step.value.iterations);
    expect(step.value.converged).toBe(true);
  });

  it('refuses a start where the objective is not finite', () => {
    expect(() => minimize(() => NaN, [0])).toThrow(RangeError);
  });
});
