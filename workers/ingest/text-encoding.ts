/**
 * Text encoding detection and re-encoding to UTF-8, for files DuckDB cannot read as they are
 * (it reads UTF-8, UTF-16 and latin-1 only; we hand it UTF-8). Pure byte code: runs in the
 * worker and in Node.
 */

/** An encoding we can detect and decode. */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

/** What `detectEncoding` concluded about a sample from the start of a file. */
export interface EncodingGuess {
  encoding: TextEncodingName;
  /** 'bom': a byte-order mark said so; 'valid': the sample decodes strictly; 'heuristic': a statistical guess. */
  confidence: 'bom' | 'valid' | 'heuristic';
  /** The sample looks like binary data (an image, archive or Parquet file), not text. */
  binary: boolean;
}

// The WHATWG label for the GBK family. Not 'gbk': in Node (ICU) 'gbk' is Windows-936, which
// has no four-byte sequences and maps some codes (A2E3, FE50, FF) to private-use characters.
const DECODER_LABEL: Record<TextEncodingName, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gb18030: 'gb18030',
  'windows-1252': 'windows-1252',
};

/** Guesses the text encoding of a sample from the start of a file (a few tens of KiB is plenty). */
export function detectEncoding(sample: Uint8Array): EncodingGuess {
  const b = sample;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return { encoding: 'utf-8-bom', confidence: 'bom', binary: controlShare(decodeLoose('utf-8', b)) > BINARY_CONTROL_SHARE };
  }
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const encoding = b[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return { encoding, confidence: 'bom', binary: controlShare(decodeLoose(encoding, b)) > BINARY_CONTROL_SHARE };
  }
  const utf16 = utf16ByNulPattern(b);
  if (utf16) return { encoding: utf16, confidence: 'heuristic', binary: controlShare(decodeLoose(utf16, b)) > BINARY_CONTROL_SHARE };

  const binary = looksBinary(b);
  if (isValidUtf8(b)) return { encoding: 'utf-8', confidence: 'valid', binary };
  if (looksLikeGb18030(b)) return { encoding: 'gb18030', confidence: 'heuristic', binary };
  return { encoding: 'windows-1252', confidence: 'heuristic', binary };
}

/** Whether text in this encoding must be re-encoded before DuckDB reads it (we hand it UTF-8 only). */
export function needsTranscoding(encoding: TextEncodingName): boolean {
  return encoding !== 'utf-8' && encoding !== 'utf-8-bom';
}

/**
 * Decodes a whole file from `encoding` and returns it as one UTF-8 buffer without a BOM, reading
 * `chunkSize` bytes at a time through `read` and reporting progress after each chunk. Bytes that
 * are invalid in the encoding become U+FFFD. Peak memory is about twice the output size.
 */
export function transcodeToUtf8(
  read: (start: number, end: number) => Uint8Array,
  size: number,
  encoding: TextEncodingName,
  onProgress?: (done: number, total: number) => void,
  chunkSize = 8 * 1024 * 1024,
): Uint8Array {
  if (!(chunkSize >= 1)) throw new RangeError(`invalid chunk size: ${chunkSize}`);
  // The decoder drops a leading BOM by default and keeps a character split across chunks
  // (stream: true) until its remaining bytes arrive.
  const decoder = new TextDecoder(DECODER_LABEL[encoding]);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (text: string) => {
    if (text.length === 0) return;
    const part = encoder.encode(text);
    parts.push(part);
    total += part.length;
  };
  for (let start = 0; start < size; start += chunkSize) {
    const end = Math.min(size, start + chunkSize);
    push(decoder.decode(read(start, end), { stream: true }));
    onProgress?.(end, size);
  }
  push(decoder.decode());
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Share of control characters above which a sample counts as binary. */
const BINARY_CONTROL_SHARE = 0.05;

function decodeLoose(encoding: TextEncodingName, b: Uint8Array): string {
  return new TextDecoder(DECODER_LABEL[encoding]).decode(b, { stream: true });
}

/** Share of characters that are controls other than tab, line feed, form feed and carriage return. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) n++;
  }
  return n / text.length;
}

/** Any NUL byte, or many other control bytes: no text encoding we read (besides UTF-16) has them. */
function looksBinary(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let controls = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0) return true;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) controls++;
  }
  return controls / b.length > BINARY_CONTROL_SHARE;
}

/**
 * UTF-16 without a BOM, recognised on mostly-ASCII text: the high byte of each ASCII code unit
 * is NUL, so NULs fill the odd positions (little-endian) or the even ones (big-endian), and
 * almost never the other.
 */
function utf16ByNulPattern(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const units = b.length >> 1;
  if (units < 2) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < units * 2; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  if (odd >= units * 0.4 && even <= units * 0.05) return 'utf-16le';
  if (even >= units * 0.4 && odd <= units * 0.05) return 'utf-16be';
  return null;
}

/** Strict UTF-8 check that forgives a multibyte character cut off at the end of the sample. */
function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, b.length - incompleteUtf8Tail(b)));
    return true;
  } catch {
    return false;
  }
}

/** How many trailing bytes (0-3) form the start of a multibyte sequence that the sample cuts off. */
function incompleteUtf8Tail(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back];
    if (c < 0x80) return 0; // ASCII: nothing pending
    if (c < 0xc0) continue; // continuation byte: look further back for the lead
    const needed = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return needed > back ? back : 0;
  }
  return 0;
}

/**
 * GB18030 (which contains GBK and GB2312) when the sample decodes strictly and most non-ASCII
 * characters are CJK. Latin-1 text can pass that test by accident ("Müller" decodes as "M黮ler"),
 * so we also require that most two-byte characters have a non-ASCII second byte, as every
 * GB2312 character and most GBK ones do, while an accented letter is usually followed by ASCII.
 */
function looksLikeGb18030(b: Uint8Array): boolean {
  let text: string;
  try {
    // stream: true holds back a character cut off at the end of the sample instead of failing.
    text = new TextDecoder('gb18030', { fatal: true }).decode(b, { stream: true });
  } catch {
    return false;
  }
  let nonAscii = 0;
  let cjk = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    nonAscii++;
    if (isCjk(c)) cjk++;
  }
  if (nonAscii === 0 || cjk < nonAscii * 0.6) return false;

  let pairs = 0;
  let asciiTrail = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < 0x81 || b[i] === 0xff || i + 1 >= b.length) continue;
    const second = b[i + 1];
    if (second >= 0x30 && second <= 0x39) {
      i += 3; // four-byte sequence
    } else {
      pairs++;
      if (second < 0x80) asciiTrail++;
      i += 1;
    }
  }
  return asciiTrail * 2 <= pairs;
}

function isCjk(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || // unified ideographs
    (c >= 0x3400 && c <= 0x4dbf) || // extension A
    (c >= 0x3000 && c <= 0x303f) || // CJK symbols and punctuation
    (c >= 0xff00 && c <= 0xffef) // fullwidth forms
  );
}
