/**
 * The scalar distance of the clustering code outside k-means (silhouette). The first three
 * dimensions get straight-line code:
 * V8 inlines these helpers, and a 2-4 step loop per distance cost 2-3 times as much as the
 * unrolled form. Sums are accumulated left to right, exactly as `s = 0; s += t * t` would.
 *
 * Hot loops call these through a local alias (`const dist = dist2;`): V8 (Node 20) did not inline
 * a call through the imported binding, which made a pass over 1.1M rows 3 times slower.
 */

/** Squared Euclidean distance between a[ao .. ao+d) and b[bo .. bo+d), for d >= 1. */
export function dist2(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  // Kept short: V8 stops inlining once a function's inlined bytecode passes ~920 bytes in total.
  const t0 = a[ao] - b[bo];
  let s = t0 * t0;
  if (d > 1) {
    const t1 = a[ao + 1] - b[bo + 1];
    s += t1 * t1;
    if (d > 2) {
      const t2 = a[ao + 2] - b[bo + 2];
      s += t2 * t2;
      for (let j = 3; j < d; j++) {
        const t = a[ao + j] - b[bo + j];
        s += t * t;
      }
    }
  }
  return s;
}
