import { describe, expect, test } from 'vitest';
import { createRng, sampleIndices } from '../../../workers/cluster/rng';

describe('createRng', () => {
  test('the same seed gives the same sequence; other seeds differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    const c = createRng(43);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    expect(createRng(-1).next()).not.toBe(createRng(2 ** 32 - 1 + 2 ** 32).next());
  });

  test('floats are in [0, 1) and roughly uniform; ints in range; normals standard', () => {
    const r = createRng(7);
    const m = 100_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const hist = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < m; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      hist[r.int(10)]++;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(outside).toBe(0);
    expect(sum / m).toBeCloseTo(0.5, 2);
    for (const h of hist) expect(Math.abs(h - m / 10)).toBeLessThan(600);
    expect(sumN / m).toBeCloseTo(0, 1);
    expect(sumN2 / m).toBeCloseTo(1, 1);
  });

  test('a non-integer seed is refused', () => {
    expect(() => createRng(0.5)).toThrow(/whole number/);
  });
});

describe('sampleIndices', () => {
  test('distinct, ascending, in range, deterministic', () => {
    const s = sampleIndices(1000, 100, createRng(1));
    expect(s.length).toBe(100);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
    expect(s[0]).toBeGreaterThanOrEqual(0);
    expect(s[99]).toBeLessThan(1000);
    expect(sampleIndices(1000, 100, createRng(1))).toEqual(s);
  });

  test('all rows when the sample is not smaller than n', () => {
    expect(Array.from(sampleIndices(4, 10, createRng(1)))).toEqual([0, 1, 2, 3]);
  });
});
