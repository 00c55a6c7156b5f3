/**
 * The k-means inner loops as WebAssembly SIMD, generated for the number of features d so that the
 * loop over features is unrolled and a row's features stay in registers. Two rows go through each
 * instruction (f64x2). Rows are read column by column: feature j of row i is the f64 at
 * cols + j * stride + 8 i, with every column padded to an even number of rows.
 *
 * Every squared distance is summed exactly as `s = t0 * t0; s += t1 * t1; ...` would be in scalar
 * code, and per-row totals are added in row order, so results match a plain scalar loop bit for bit.
 * Functions take a row range [start, end) with start even, so that callers can work in chunks.
 */
import { ctl, F64, f64, f64x2, I32, i32, i64x2, local, V128, v128, writeModule, type Code, type WasmFunction } from './wasm-writer';

/** Byte address of the i32 that `assign` adds its count of changed labels to. */
export const CHANGED_ADDR = 0;

/** The exports of a kernel module (addresses are byte offsets into env.memory). */
export interface Kernels {
  /**
   * Labels rows [start, end) with their nearest of the k centres (row-major k x d; ties to the
   * lower index); adds each row to sums (k x d) and counts (k) of its cluster and the number of
   * changed labels to the i32 at CHANGED_ADDR; returns `inertia` plus the rows' squared distances.
   */
  assign(cols: number, stride: number, centres: number, k: number, labels: number, sums: number, counts: number, start: number, end: number, n: number, inertia: number): number;
  /** closest[i] = min(closest[i], |row i - centre|²) for rows [start, end) rounded up to even. */
  fold(cols: number, stride: number, centre: number, closest: number, start: number, end: number): void;
  /**
   * For m candidate centres (row-major m x d): adds min(closest[i], |row i - candidate|²) of rows
   * [start, end) rounded up to even into acc, two f64 lanes per candidate (16 m bytes).
   */
  potentials(cols: number, stride: number, closest: number, cands: number, m: number, acc: number, start: number, end: number): void;
}

const cache = new Map<number, WebAssembly.Module>();

/** The compiled kernel module for d features (compiled once per d). */
export function kernelModule(d: number): WebAssembly.Module {
  let mod = cache.get(d);
  if (!mod) {
    mod = new WebAssembly.Module(kernelBytes(d));
    cache.set(d, mod);
  }
  return mod;
}

let simd: boolean | undefined;

/** Whether this JavaScript engine runs WebAssembly SIMD (checked once). */
export function simdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(kernelBytes(1));
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** The binary module for d features. */
export function kernelBytes(d: number): Uint8Array<ArrayBuffer> {
  return writeModule([assign(d), fold(d), potentials(d)]);
}

const get = local.get;
const set = local.set;
const c32 = i32.const;

/** Locals numbered in declaration order after the parameters. */
function locals(params: number) {
  const types: (typeof I32 | typeof F64 | typeof V128)[] = [];
  const add = (t: typeof I32 | typeof F64 | typeof V128): number => types.push(t) - 1 + params;
  return { types, add };
}

/** (x_0 - c[0])² + (x_1 - c[8])² + ..., summed left to right; c a byte address of d f64. */
function squaredDistance(x: number[], centre: Code, t: number): Code {
  const term = (j: number): Code =>
    [...set(t, f64x2.sub(get(x[j]), v128.load64Splat(centre, 8 * j))), ...f64x2.mul(get(t), get(t))];
  let s = term(0);
  for (let j = 1; j < x.length; j++) s = f64x2.add(s, term(j));
  return s;
}

/** Loads the d feature pairs of rows (i, i + 1) into the locals x. */
function loadRows(x: number[], cols: number, stride: number, i: number, ptr: number): Code[] {
  const code: Code[] = [set(ptr, i32.add(get(cols), i32.shl(get(i), c32(3))))];
  x.forEach((xj, j) => {
    if (j > 0) code.push(set(ptr, i32.add(get(ptr), get(stride))));
    code.push(set(xj, v128.load(get(ptr))));
  });
  return code;
}

/** for (i = start; i < end; i += 2) body */
function pairLoop(i: number, start: number, end: number, body: Code[]): Code {
  return [
    ...set(i, get(start)),
    ...ctl.block(ctl.loop(ctl.brIf(1, i32.geU(get(i), get(end))), ...body, set(i, i32.add(get(i), c32(2))), ctl.br(0))),
  ];
}

function assign(d: number): WasmFunction {
  const [cols, stride, centres, k, labels, sums, counts, start, end, n, inertia] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = locals(11);
  const [i, ptr, cp, cend, lab, sp, changed] = [L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const [best, idx, civ, s, t] = [L.add(V128), L.add(V128), L.add(V128), L.add(V128), L.add(V128)];
  const x = Array.from({ length: d }, () => L.add(V128));
  const rowBytes = 8 * d;

  // Label, inertia, counts and sums of the row in `lane`; its label slot is at labels + 4 i + 4 lane.
  const account = (lane: 0 | 1): Code[] => [
    set(lab, i32.wrapI64(i64x2.extractLane(get(idx), lane))),
    set(inertia, f64.add(get(inertia), f64x2.extractLane(get(best), lane))),
    set(sp, i32.add(get(labels), i32.shl(get(i), c32(2)))),
    set(changed, i32.add(get(changed), i32.ne(i32.load(get(sp), 4 * lane), get(lab)))),
    i32.store(get(sp), get(lab), 4 * lane),
    set(sp, i32.add(get(counts), i32.shl(get(lab), c32(2)))),
    i32.store(get(sp), i32.add(i32.load(get(sp)), c32(1))),
    set(sp, i32.add(get(sums), i32.mul(get(lab), c32(rowBytes)))),
    ...x.map((xj, j) => f64.store(get(sp), f64.add(f64.load(get(sp), 8 * j), f64x2.extractLane(get(xj), lane)), 8 * j)),
  ];

  const body: Code[] = [
    set(cend, i32.add(get(centres), i32.mul(get(k), c32(rowBytes)))),
    pairLoop(i, start, end, [
      ...loadRows(x, cols, stride, i, ptr),
      set(best, f64x2.infinity()),
      set(idx, v128.zero()),
      set(civ, v128.zero()),
      set(cp, get(centres)),
      ctl.loop(
        set(s, squaredDistance(x, get(cp), t)),
        set(t, f64x2.lt(get(s), get(best))),
        set(best, v128.bitselect(get(s), get(best), get(t))),
        set(idx, v128.bitselect(get(civ), get(idx), get(t))),
        set(civ, i64x2.add(get(civ), i64x2.one())),
        set(cp, i32.add(get(cp), c32(rowBytes))),
        ctl.brIf(0, i32.ltU(get(cp), get(cend))),
      ),
      ...account(0),
      ctl.if(i32.ltU(i32.add(get(i), c32(1)), get(n)), ...account(1)),
    ]),
    i32.store(c32(CHANGED_ADDR), i32.add(i32.load(c32(CHANGED_ADDR)), get(changed))),
    get(inertia),
  ];
  return {
    name: 'assign',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64],
    results: [F64],
    locals: L.types,
    body,
  };
}

function fold(d: number): WasmFunction {
  const [cols, stride, centre, closest, start, end] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const [i, ptr, cp] = [L.add(I32), L.add(I32), L.add(I32)];
  const t = L.add(V128);
  const x = Array.from({ length: d }, () => L.add(V128));
  const body: Code[] = [
    pairLoop(i, start, end, [
      ...loadRows(x, cols, stride, i, ptr),
      set(cp, i32.add(get(closest), i32.shl(get(i), c32(3)))),
      v128.store(get(cp), f64x2.pmin(v128.load(get(cp)), squaredDistance(x, get(centre), t))),
    ]),
  ];
  return { name: 'fold', params: [I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}

function potentials(d: number): WasmFunction {
  const [cols, stride, closest, cands, m, acc, start, end] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = locals(8);
  const [i, ptr, cp, cend, ap] = [L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const [cl, t] = [L.add(V128), L.add(V128)];
  const x = Array.from({ length: d }, () => L.add(V128));
  const body: Code[] = [
    set(cend, i32.add(get(cands), i32.mul(get(m), c32(8 * d)))),
    pairLoop(i, start, end, [
      ...loadRows(x, cols, stride, i, ptr),
      set(cl, v128.load(i32.add(get(closest), i32.shl(get(i), c32(3))))),
      set(cp, get(cands)),
      set(ap, get(acc)),
      ctl.loop(
        v128.store(get(ap), f64x2.add(v128.load(get(ap)), f64x2.pmin(get(cl), squaredDistance(x, get(cp), t)))),
        set(ap, i32.add(get(ap), c32(16))),
        set(cp, i32.add(get(cp), c32(8 * d))),
        ctl.brIf(0, i32.ltU(get(cp), get(cend))),
      ),
    ]),
  ];
  return { name: 'potentials', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}
