/**
 * A minimal ZIP writer for test workbooks, including hostile ones: entries may lie about their
 * size, and `bombDeflate` builds a small deflate stream that inflates to many megabytes.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One file in the archive. */
export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Already-compressed deflate data (for bombs); `data` is then ignored for the CRC. */
  deflated?: Uint8Array;
  /** Claim this uncompressed size in the headers instead of the real one. */
  claimedSize?: number;
  /** Store without compression. */
  store?: boolean;
}

const enc = new TextEncoder();

/** The archive's bytes. */
export function makeZip(entries: ZipInput[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? enc.encode(e.data) : e.data;
    const body = e.deflated ?? (e.store ? raw : new Uint8Array(deflateRawSync(raw)));
    const method = e.store && !e.deflated ? 0 : 8;
    const crc = e.deflated ? 0 : crc32(raw);
    const size = e.claimedSize ?? raw.length;
    const name = enc.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end]);
}

/**
 * A deflate stream that inflates to `megabytes` MiB of spaces: one byte-aligned, non-final
 * compressed MiB repeated, then an empty final block. About 1 KB per MiB.
 */
export function bombDeflate(megabytes: number): Uint8Array {
  const chunk = new Uint8Array(deflateRawSync(new Uint8Array(1024 * 1024).fill(0x20), { finishFlush: constants.Z_SYNC_FLUSH }));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < megabytes; i++) parts.push(chunk);
  parts.push(Uint8Array.from([0x03, 0x00])); // final fixed-Huffman block with no symbols but end-of-block
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
