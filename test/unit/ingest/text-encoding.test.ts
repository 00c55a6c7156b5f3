import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectEncoding, needsTranscoding, transcodeToUtf8, type TextEncodingName } from '../../../workers/ingest/text-encoding';

// Fixtures come from test/fixtures/encodings/make.ts; each was checked byte for byte against
// glibc iconv (`iconv -f UTF-8 -t GBK crm.utf8.csv | cmp - crm.gbk.csv`, likewise UTF-16LE/BE).
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/encodings/${name}`, import.meta.url)));

const CRM_TEXT =
  '客户编号,订单日期,实付金额,城市\n' +
  'C001,2024-01-15,128.50,北京\n' +
  'C002,2024-02-03,86.00,上海\n' +
  'C003,2024-02-17,240.75,广州市天河区\n' +
  'C004,2024-03-01,35.20,"深圳，南山"\n' +
  'C005,2024-03-09,99.90,Hangzhou\n';
const LATIN1_TEXT = 'Nachname,Vorname,Lieblingsort\nMüller,Zoë,café\nGarçon,Renée,Straße\n';

const utf8 = (s: string) => new TextEncoder().encode(s);
const transcodeAll = (bytes: Uint8Array, encoding: TextEncodingName, chunkSize?: number) =>
  new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
    transcodeToUtf8((s, e) => bytes.subarray(s, e), bytes.length, encoding, undefined, chunkSize),
  );

describe('fixtures: detection and transcoding back to the original text', () => {
  const cases: [string, TextEncodingName, 'bom' | 'valid' | 'heuristic', string][] = [
    ['crm.utf8.csv', 'utf-8', 'valid', CRM_TEXT],
    ['crm.utf8-bom.csv', 'utf-8-bom', 'bom', CRM_TEXT],
    ['crm.utf16le-bom.csv', 'utf-16le', 'bom', CRM_TEXT],
    ['crm.utf16be-bom.csv', 'utf-16be', 'bom', CRM_TEXT],
    ['crm.gbk.csv', 'gb18030', 'heuristic', CRM_TEXT],
    ['people.latin1.csv', 'windows-1252', 'heuristic', LATIN1_TEXT],
  ];
  test.each(cases)('%s is %s (%s)', (name, encoding, confidence, text) => {
    const bytes = fixture(name);
    expect(detectEncoding(bytes)).toEqual({ encoding, confidence, binary: false });
    // Output is exactly the text: no BOM (ignoreBOM above keeps one if it were there).
    expect(transcodeAll(bytes, encoding)).toBe(text);
    for (const chunkSize of [1, 2, 3, 5, 7]) expect(transcodeAll(bytes, encoding, chunkSize)).toBe(text);
  });

  test('the GBK fixture holds the GB2312 codes of 客户 (BFCD BBA7, from the GB2312 table)', () => {
    expect([...fixture('crm.gbk.csv').subarray(0, 4)]).toEqual([0xbf, 0xcd, 0xbb, 0xa7]);
  });

  test('a PNG renamed .csv is binary', () => {
    expect(detectEncoding(fixture('image.png.csv')).binary).toBe(true);
  });
});

describe('detectEncoding', () => {
  test('UTF-16 without a BOM, by the NUL pattern of ASCII text', () => {
    const le = new Uint8Array(Buffer.from('id,city\n1,Berlin\n2,北京\n', 'utf16le'));
    expect(detectEncoding(le)).toEqual({ encoding: 'utf-16le', confidence: 'heuristic', binary: false });
    const be = new Uint8Array(Buffer.from(le).swap16());
    expect(detectEncoding(be)).toEqual({ encoding: 'utf-16be', confidence: 'heuristic', binary: false });
  });

  test('a sample cut inside a multibyte UTF-8 character is still UTF-8', () => {
    const bytes = utf8('id,城市\n1,北京\n');
    const cut = bytes.indexOf(0xe5) + 1; // 1 and 2 bytes into the three of 城 / 北
    for (const end of [cut, cut + 1, bytes.lastIndexOf(0xe5) + 1, bytes.lastIndexOf(0xe5) + 2]) {
      expect(detectEncoding(bytes.subarray(0, end))).toEqual({ encoding: 'utf-8', confidence: 'valid', binary: false });
    }
    const emoji = utf8('a,😀'); // four bytes, cut after three
    expect(detectEncoding(emoji.subarray(0, emoji.length - 1)).encoding).toBe('utf-8');
  });

  test('invalid UTF-8 in the middle is not forgiven as a cut-off tail', () => {
    expect(detectEncoding(Uint8Array.from([0x61, 0xe5, 0x61, 0x62, 0x0a])).encoding).not.toBe('utf-8');
  });

  test('a GBK sample cut after the first byte of a character is still GB18030', () => {
    const gbk = fixture('crm.gbk.csv');
    expect(detectEncoding(gbk.subarray(0, 3)).encoding).toBe('gb18030'); // 客 + first byte of 户
  });

  test('latin-1 that happens to decode as GB18030 ideographs stays windows-1252', () => {
    // "Müller Straße Köln": ü+l, ß+e, ö+l are each a valid GBK pair of CJK ideographs (M黮ler…).
    const bytes = new Uint8Array(Buffer.from('Name\nMüller Straße Köln\n', 'latin1'));
    expect(new TextDecoder('gb18030', { fatal: true }).decode(bytes)).toContain('黮');
    expect(detectEncoding(bytes).encoding).toBe('windows-1252');
  });

  test('windows-1252 punctuation (0x80-0x9F) is windows-1252', () => {
    const bytes = Uint8Array.from([...utf8('Preis,Notiz\n10,'), 0x80, 0x20, 0x93, 0x61, 0x94, 0x0a]); // € “a”
    expect(detectEncoding(bytes).encoding).toBe('windows-1252');
    expect(transcodeAll(bytes, 'windows-1252')).toBe('Preis,Notiz\n10,€ “a”\n');
  });

  test('ASCII and empty samples are UTF-8', () => {
    expect(detectEncoding(utf8('a,b\n1,2\n'))).toEqual({ encoding: 'utf-8', confidence: 'valid', binary: false });
    expect(detectEncoding(new Uint8Array(0))).toEqual({ encoding: 'utf-8', confidence: 'valid', binary: false });
  });

  test('zip and Parquet headers are binary; tabs and CRLF are not', () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x5a]);
    const parquet = Uint8Array.from([...utf8('PAR1'), 0x15, 0x04, 0x15, 0x80, 0x01, 0x15, 0x7c, 0x4c, 0x15, 0x08]);
    expect(detectEncoding(zip).binary).toBe(true);
    expect(detectEncoding(parquet).binary).toBe(true);
    expect(detectEncoding(utf8('a\tb\r\n1\t2\r\n')).binary).toBe(false);
    const controls = Uint8Array.from([0x61, 0x01, 0x62, 0x02, 0x63, 0x03, 0x64, 0x0a]); // no NUL, many controls
    expect(detectEncoding(controls).binary).toBe(true);
  });

  test('binary data after a UTF-16 BOM is binary', () => {
    // Little-endian code units 1, 2, 0, 0: control characters, not text.
    expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 1, 0, 2, 0, 0, 0, 0, 0])).binary).toBe(true);
  });
});

test('needsTranscoding: everything but UTF-8', () => {
  expect(needsTranscoding('utf-8')).toBe(false);
  expect(needsTranscoding('utf-8-bom')).toBe(false);
  for (const e of ['utf-16le', 'utf-16be', 'gb18030', 'windows-1252'] as const) expect(needsTranscoding(e)).toBe(true);
});

describe('transcodeToUtf8', () => {
  test('characters split across chunk boundaries survive at every chunk size', () => {
    const text = 'a😀b北京€c\n'; // a surrogate pair, three-byte and four-byte characters
    const le = new Uint8Array(Buffer.from('\ufeff' + text, 'utf16le'));
    const gbk = Uint8Array.from([0x61, 0xb1, 0xb1, 0xbe, 0xa9, 0x62]); // a北京b
    for (let chunkSize = 1; chunkSize <= 9; chunkSize++) {
      expect(transcodeAll(le, 'utf-16le', chunkSize)).toBe(text);
      expect(transcodeAll(utf8(text), 'utf-8', chunkSize)).toBe(text);
      expect(transcodeAll(gbk, 'gb18030', chunkSize)).toBe('a北京b');
    }
  });

  test('four-byte GB18030 sequences decode (GBK has none; gb18030 does)', () => {
    // 0x81 0x30 0x81 0x30 is U+0080 and 0x95 0x32 0x82 0x36 is U+20000 in GB18030.
    const bytes = Uint8Array.from([0x81, 0x30, 0x81, 0x30, 0x95, 0x32, 0x82, 0x36]);
    expect(transcodeAll(bytes, 'gb18030', 3)).toBe('\u0080\u{20000}');
  });

  test('reports progress once per chunk, ending at the total', () => {
    const bytes = fixture('crm.gbk.csv');
    const calls: [number, number][] = [];
    transcodeToUtf8((s, e) => bytes.subarray(s, e), bytes.length, 'gb18030', (d, t) => calls.push([d, t]), 64);
    expect(calls).toEqual([
      [64, 189],
      [128, 189],
      [189, 189],
    ]);
  });

  test('strips the BOM of UTF-8 input and returns an empty buffer for an empty file', () => {
    const out = transcodeToUtf8((s, e) => fixture('crm.utf8-bom.csv').subarray(s, e), 221, 'utf-8-bom');
    expect([...out.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(transcodeToUtf8(() => new Uint8Array(0), 0, 'utf-16le')).toEqual(new Uint8Array(0));
  });

  test('bytes invalid in the encoding become U+FFFD instead of failing the load', () => {
    expect(transcodeAll(Uint8Array.from([0x61, 0xff, 0x62]), 'gb18030')).toBe('a\ufffdb');
  });
});
