/**
 * A small WebAssembly binary writer: just the instructions the clustering kernels use, written as
 * nested calls in the order of the text format's folded form, so `f64x2.sub(x, y)` reads like
 * `(f64x2.sub x y)`. Each call returns the bytes that leave its value on the stack.
 * Reference: the WebAssembly core specification 2.0, binary format (section 5) and SIMD opcodes.
 */

/** Encoded instructions. */
export type Code = number[];

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F64 | typeof V128;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const cat = (...parts: Code[]): Code => parts.flat();
const simd = (op: number): Code => [0xfd, ...uleb(op)];
/** A memory argument: alignment exponent, constant byte offset. */
const mem = (align: number, offset: number): Code => [align, ...uleb(offset)];

/** Control instructions; depth 0 is the innermost enclosing block or loop. */
export const ctl = {
  block: (...body: Code[]): Code => cat([0x02, 0x40], ...body, [0x0b]),
  loop: (...body: Code[]): Code => cat([0x03, 0x40], ...body, [0x0b]),
  if: (cond: Code, ...then: Code[]): Code => cat(cond, [0x04, 0x40], ...then, [0x0b]),
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number, cond: Code): Code => cat(cond, [0x0d, ...uleb(depth)]),
};

/** Locals (parameters first). */
export const local = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number, value: Code): Code => cat(value, [0x21, ...uleb(i)]),
};

export const i32 = {
  const: (v: number): Code => [0x41, ...sleb(v)],
  load: (addr: Code, offset = 0): Code => cat(addr, [0x28], mem(2, offset)),
  store: (addr: Code, value: Code, offset = 0): Code => cat(addr, value, [0x36], mem(2, offset)),
  ne: (a: Code, b: Code): Code => cat(a, b, [0x47]),
  ltU: (a: Code, b: Code): Code => cat(a, b, [0x49]),
  geU: (a: Code, b: Code): Code => cat(a, b, [0x4f]),
  add: (a: Code, b: Code): Code => cat(a, b, [0x6a]),
  mul: (a: Code, b: Code): Code => cat(a, b, [0x6c]),
  shl: (a: Code, b: Code): Code => cat(a, b, [0x74]),
  wrapI64: (a: Code): Code => cat(a, [0xa7]),
};

export const f64 = {
  load: (addr: Code, offset = 0): Code => cat(addr, [0x2b], mem(3, offset)),
  store: (addr: Code, value: Code, offset = 0): Code => cat(addr, value, [0x39], mem(3, offset)),
  add: (a: Code, b: Code): Code => cat(a, b, [0xa0]),
};

export const v128 = {
  /** All lanes zero. */
  zero: (): Code => cat(simd(0x0c), new Array<number>(16).fill(0)),
  load: (addr: Code, offset = 0): Code => cat(addr, simd(0x00), mem(4, offset)),
  store: (addr: Code, value: Code, offset = 0): Code => cat(addr, value, simd(0x0b), mem(4, offset)),
  /** Both f64 lanes from one 8-byte value in memory. */
  load64Splat: (addr: Code, offset = 0): Code => cat(addr, simd(0x0a), mem(3, offset)),
  /** Lanes of a where mask is set, else of b. */
  bitselect: (a: Code, b: Code, mask: Code): Code => cat(a, b, mask, simd(0x52)),
};

export const f64x2 = {
  /** Both lanes +Infinity. */
  infinity: (): Code => cat(simd(0x0c), [0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f]),
  extractLane: (v: Code, lane: 0 | 1): Code => cat(v, simd(0x21), [lane]),
  lt: (a: Code, b: Code): Code => cat(a, b, simd(0x49)),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xf0)),
  sub: (a: Code, b: Code): Code => cat(a, b, simd(0xf1)),
  mul: (a: Code, b: Code): Code => cat(a, b, simd(0xf2)),
  /** b < a ? b : a, lane by lane. */
  pmin: (a: Code, b: Code): Code => cat(a, b, simd(0xf6)),
};

export const i64x2 = {
  /** Both lanes 1. */
  one: (): Code => cat(simd(0x0c), [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
  extractLane: (v: Code, lane: 0 | 1): Code => cat(v, simd(0x1d), [lane]),
  add: (a: Code, b: Code): Code => cat(a, b, simd(0xce)),
};

/** A function of a module: its signature, extra locals and body. */
export interface WasmFunction {
  name: string;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: Code[];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** A module that imports its memory as env.memory and exports each function under its name. */
export function writeModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]]); // memory, min 0 pages
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const bodies = vec(
    functions.map((f) => {
      const body = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}
