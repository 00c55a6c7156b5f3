/**
 * Issue 15: the Chinese catalogue is complete. Every key of the English catalogue has Chinese
 * text, and that text uses exactly the same {placeholders} (a missing or renamed one would show
 * as "{n}" or lose a value). The failure names the keys, so a translator sees what is left.
 */
import { describe, expect, test } from 'vitest';
import { en } from '../../../src/lib/i18n/en';
import { zhCN } from '../../../src/lib/i18n/zh-CN';

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/** Keys without Chinese text, and keys whose Chinese placeholders differ from the English ones. */
function catalogueGaps(english: Record<string, string>, chinese: Record<string, string | undefined>): { missing: string[]; placeholders: string[] } {
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const [key, text] of Object.entries(english)) {
    const zh = chinese[key];
    // A few English texts are empty on purpose (nothing to say); their Chinese may be empty too.
    if (typeof zh !== 'string' || (zh.trim() === '' && text.trim() !== '')) {
      missing.push(key);
      continue;
    }
    const want = placeholders(text);
    const got = placeholders(zh);
    if (want.join(',') !== got.join(',')) mismatched.push(`${key}: English {${want.join('}, {')}} but Chinese {${got.join('}, {')}}`);
  }
  return { missing, placeholders: mismatched };
}

describe('the zh-CN catalogue', () => {
  const gaps = catalogueGaps(en, zhCN as Record<string, string | undefined>);

  test('every key has Chinese text', () => {
    const total = Object.keys(en).length;
    expect(gaps.missing, `${gaps.missing.length} of ${total} keys have no zh-CN text:\n  ${gaps.missing.join('\n  ')}`).toEqual([]);
  });

  test('every Chinese text has the same {placeholders} as the English', () => {
    expect(gaps.placeholders, `placeholders differ:\n  ${gaps.placeholders.join('\n  ')}`).toEqual([]);
  });

  test('no Chinese key is unknown to the English catalogue (a typo would never be shown)', () => {
    const unknown = Object.keys(zhCN).filter((k) => !(k in en));
    expect(unknown).toEqual([]);
  });

  test('the check itself finds a missing key and a placeholder that differs', () => {
    const found = catalogueGaps({ a: 'A {n} of {total}', b: 'B', c: 'C {x}' }, { a: '{total} 中的 {m}', c: '丙 {x}' });
    expect(found.missing).toEqual(['b']);
    expect(found.placeholders).toEqual(['a: English {n}, {total} but Chinese {m}, {total}']);
  });
});

describe('inEveryLocale', () => {
  test("gives a key's text in each interface language, to recognise a default name made in another", async () => {
    const { inEveryLocale } = await import('../../../src/lib/i18n');
    expect(inEveryLocale('lib.untitled')).toEqual([en['lib.untitled'], zhCN['lib.untitled']]);
    expect(new Set(inEveryLocale('lib.untitled')).size).toBe(2);
  });
});
