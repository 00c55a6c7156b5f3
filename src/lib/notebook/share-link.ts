/**
 * A notebook in a link: the document, deflated and base64url-encoded into the URL fragment,
 * which browsers never send to the server.
 */
import { readNotebook, type NotebookDoc } from './document';
import { t } from '../i18n';

const PREFIX = '#nb=';
/** Links longer than this are refused: some browsers and chat tools cut long URLs. */
export const MAX_LINK_LENGTH = 60_000;

/** The fragment (`#nb=...`) for a notebook document. */
export async function encodeShareFragment(doc: NotebookDoc): Promise<string> {
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw'));
  return PREFIX + toBase64Url(bytes);
}

/** Reads a notebook from a fragment; null when the fragment holds none. */
export async function decodeShareFragment(hash: string): Promise<{ ok: true; doc: NotebookDoc } | { ok: false; error: string } | null> {
  if (!hash.startsWith(PREFIX)) return null;
  const payload = hash.slice(PREFIX.length);
  if (payload.length > MAX_LINK_LENGTH) return { ok: false, error: t('msg.share.tooLong') };
  let json: string;
  try {
    const bytes = await pipe(fromBase64Url(payload), new DecompressionStream('deflate-raw'), 5_000_000);
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: t('msg.share.damaged') };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, error: t('msg.share.notJson') };
  }
  return readNotebook(raw);
}

async function pipe(input: Uint8Array, transform: CompressionStream | DecompressionStream, maxBytes = Infinity): Promise<Uint8Array> {
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(transform);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error('too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('not base64url');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
