/**
 * Line endings and byte-order marks that DuckDB's CSV sniffer trips over: a header ending in LF
 * above data lines ending in CRLF (or the reverse), and a BOM in the middle of files that were
 * concatenated. Pure byte code.
 */

/** What a stretch of bytes says about its line endings and inner byte-order marks. */
export interface LineEndingTrouble {
  /** Both LF and CRLF (or lone CR) line ends occur. */
  mixed: boolean;
  /** A UTF-8 BOM occurs somewhere other than at the very start. */
  innerBom: boolean;
}

/** Looks for mixed line endings and inner BOMs in `bytes` (a sample or the whole file). */
export function lineEndingTrouble(bytes: Uint8Array): LineEndingTrouble {
  let lf = 0;
  let crlf = 0;
  let loneCr = 0;
  // indexOf runs natively: much faster than a byte loop over a whole file.
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
    if (i > 0 && bytes[i - 1] === 0x0d) crlf++;
    else lf++;
    if (lf > 0 && crlf > 0) break;
  }
  if (lf === 0) {
    for (let i = bytes.indexOf(0x0d); i >= 0 && i < bytes.length - 1; i = bytes.indexOf(0x0d, i + 1)) {
      if (bytes[i + 1] !== 0x0a) {
        loneCr++;
        break;
      }
    }
  }
  let innerBom = false;
  for (let i = bytes.indexOf(0xef, 1); i >= 0; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      innerBom = true;
      break;
    }
  }
  return { mixed: (lf > 0 && crlf > 0) || (loneCr > 0 && crlf > 0), innerBom };
}

/** The normalised bytes and what was changed. */
export interface NormalisedText {
  bytes: Uint8Array;
  /** CRLF and lone CR line ends turned into LF. */
  lineEnds: number;
  /** Byte-order marks removed (a leading one included). */
  boms: number;
}

/**
 * Rewrites every line end as LF and removes every UTF-8 BOM, in one pass into a new buffer.
 * Line ends inside quoted values change too (CRLF inside a value becomes LF).
 */
export function normaliseLineEndings(bytes: Uint8Array): NormalisedText {
  const out = new Uint8Array(bytes.length);
  let o = 0;
  let lineEnds = 0;
  let boms = 0;
  let from = 0;
  const n = bytes.length;
  // Copy runs between special bytes with set(), which is native.
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x0d) {
      out.set(bytes.subarray(from, i), o);
      o += i - from;
      lineEnds++;
      if (bytes[i + 1] === 0x0a) {
        from = i + 1; // keep the LF
      } else {
        out[o++] = 0x0a;
        from = i + 1;
      }
    } else if (b === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      out.set(bytes.subarray(from, i), o);
      o += i - from;
      boms++;
      i += 2;
      from = i + 1;
    }
  }
  out.set(bytes.subarray(from, n), o);
  o += n - from;
  return { bytes: out.subarray(0, o), lineEnds, boms };
}
