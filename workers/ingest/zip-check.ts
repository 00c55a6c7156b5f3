/**
 * A look inside a ZIP container (an .xlsx) before an Excel library unpacks it: the entry list from
 * the central directory, and each compressed entry inflated once with a cap, so a zip bomb — also
 * one whose headers understate the sizes — is refused after reading at most `maxTotal` bytes.
 */

/** One file in the archive. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the compressed data. */
  dataStart: number;
}

/** Why an archive was refused; `detail` names the entry or the number. */
export type ZipProblem =
  | { kind: 'not-zip' }
  | { kind: 'truncated' }
  | { kind: 'too-many-entries'; detail: number }
  | { kind: 'too-large'; detail: number }
  | { kind: 'bad-entry'; detail: string };

/** The archive's entries, or the problem that makes it unreadable. */
export function zipEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] | ZipProblem {
  if (bytes.length < 22 || !(bytes[0] === 0x50 && bytes[1] === 0x4b)) return { kind: 'not-zip' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { kind: 'truncated' };
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count > maxEntries) return { kind: 'too-many-entries', detail: count };
  if (cdOffset >= bytes.length) return { kind: 'truncated' };
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  let at = cdOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return { kind: 'truncated' };
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (compressedSize === 0xffffffff || size === 0xffffffff) return { kind: 'too-large', detail: size };
    if (method !== 0 && method !== 8) return { kind: 'bad-entry', detail: name };
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) return { kind: 'truncated' };
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressedSize > bytes.length) return { kind: 'truncated' };
    entries.push({ name, method, compressedSize, size, dataStart });
  }
  return entries;
}

/**
 * Checks that the archive unpacks to at most `maxTotal` bytes in all, counting what inflating
 * really produces rather than what the headers claim. Returns null when it is fine.
 */
export async function checkZip(bytes: Uint8Array, limits: { maxEntries: number; maxTotal: number }): Promise<ZipProblem | null> {
  const entries = zipEntries(bytes, limits.maxEntries);
  if (!Array.isArray(entries)) return entries;
  const declared = entries.reduce((n, e) => n + e.size, 0);
  if (declared > limits.maxTotal) return { kind: 'too-large', detail: declared };
  let total = 0;
  for (const e of entries) {
    const data = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
    if (e.method === 0) {
      total += data.length;
    } else {
      const n = await inflatedSize(data, limits.maxTotal - total + 1);
      if (n < 0) return { kind: 'bad-entry', detail: e.name };
      total += n;
    }
    if (total > limits.maxTotal) return { kind: 'too-large', detail: total };
  }
  return null;
}

/** Bytes that inflating `data` produces, stopping once past `cap`; -1 for corrupt data. */
async function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return n;
      n += value.length;
      if (n > cap) {
        await reader.cancel().catch(() => undefined);
        return n;
      }
    }
  } catch {
    return -1;
  }
}
