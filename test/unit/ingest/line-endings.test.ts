import { describe, expect, test } from 'vitest';
import { lineEndingTrouble, normaliseLineEndings } from '../../../workers/ingest/line-endings';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

describe('lineEndingTrouble', () => {
  test.each([
    ['a,b\n1,2\r\n3,4\r\n', true, false],
    ['a,b\r\n1,2\n', true, false],
    ['a,b\n1,2\n', false, false],
    ['a,b\r\n1,2\r\n', false, false],
    ['a,b\r1,2\r', false, false], // old Mac endings alone are consistent
    ['\ufeffa,b\n1,2\n', false, false], // a BOM at the start is normal
    ['\ufeffa,b\n1,2\n\ufeffa,b\n3,4\n', false, true],
  ])('%j: mixed %s, inner BOM %s', (text, mixed, innerBom) => {
    expect(lineEndingTrouble(enc(text))).toEqual({ mixed, innerBom });
  });
});

describe('normaliseLineEndings', () => {
  test('CRLF and lone CR become LF, every BOM goes, other bytes stay (issue 13)', () => {
    const n = normaliseLineEndings(enc('\ufeffid,名字\n1,"a\r\nb"\r\n2,x\r3,y\n\ufeffid,名字\n'));
    expect(dec(n.bytes)).toBe('id,名字\n1,"a\nb"\n2,x\n3,y\nid,名字\n');
    // Counted by hand: two CRLF and one lone CR; two BOMs.
    expect(n.lineEnds).toBe(3);
    expect(n.boms).toBe(2);
  });

  test('clean input comes back unchanged', () => {
    const text = 'a,b\n1,2\n';
    expect(dec(normaliseLineEndings(enc(text)).bytes)).toBe(text);
  });
});
