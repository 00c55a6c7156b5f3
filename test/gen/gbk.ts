/**
 * GBK encoding for generated fixtures. Node has no GBK encoder, so the bytes come from a reverse
 * map built by running every two-byte code through the gb18030 decoder (GBK is its two-byte part).
 */

let reverse: Map<string, [number, number]> | null = null;

/** GBK bytes of `text` (every character must have a GBK code). */
export function gbkEncode(text: string): Uint8Array {
  if (!reverse) {
    const decoder = new TextDecoder('gb18030', { fatal: true });
    reverse = new Map();
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (!reverse.has(ch)) reverse.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const pair = reverse.get(ch);
    if (!pair) throw new Error(`no GBK code for ${ch}`);
    out.push(...pair);
  }
  return Uint8Array.from(out);
}

