/**
 * Issue 15: messages raised outside components travel as keys. The worker's t() encodes key and
 * parameters; the page words them in its language (also nested in another message's
 * parameters), and text kept from before a language switch is shown again in the new language.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { decodeMessages, encodeMessages, english, getLocale, localeFor, mentionsMessage, retranslate, setLocale, t, useLocaleStore } from '../../../src/lib/i18n';
import { ClusterError } from '../../../workers/cluster/errors';
import { kmeans } from '../../../workers/cluster/kmeans';

afterEach(() => {
  encodeMessages(false);
  setLocale('en');
});

/** What the worker sends: the message of an error raised with encoding on. */
function fromWorker(fn: () => unknown): string {
  encodeMessages(true);
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  } finally {
    encodeMessages(false);
  }
  throw new Error('expected an error');
}

describe('messages from the worker', () => {
  test('an error raised in the worker carries its key and parameters, not English', () => {
    const message = fromWorker(() => kmeans(new Float64Array(4), 2, 2, { k: 3, seed: 1 }));
    expect(message).toContain('"msg.cluster.kTooLarge"');
    expect(message).not.toContain('more than the number of rows');
    expect(decodeMessages(message)).toBe('k = 3 is more than the number of rows (2); choose k ≤ 2.');
    setLocale('zh-CN');
    expect(decodeMessages(message)).toBe('k = 3 超过了行数（2）；请选择 k ≤ 2。');
  });

  test('the same error in Node (unit tests) reads in English, so assertions on English hold', () => {
    expect(() => kmeans(new Float64Array(4), 2, 2, { k: 3, seed: 1 })).toThrow(ClusterError);
    expect(() => kmeans(new Float64Array(4), 2, 2, { k: 3, seed: 1 })).toThrow(english('msg.cluster.kTooLarge', { k: 3, n: 2 }));
  });

  test('nested messages, file names with any characters and text around them all survive', () => {
    encodeMessages(true);
    const inner = t('ingest.reason.quote');
    const outer = `prefix ${t('msg.ingest.failed', { file: 'a "b"\u0001\u0002}.csv', message: inner })} suffix`;
    encodeMessages(false);
    expect(decodeMessages(outer)).toBe('prefix a "b"\u0001\u0002}.csv: a quoted value is not closed. suffix');
    setLocale('zh-CN');
    expect(decodeMessages(outer)).toMatch(/^prefix a "b"\u0001\u0002\}\.csv：.+ suffix$/);
    expect(mentionsMessage(outer, 'ingest.reason.quote')).toBe(true);
  });

  test('text that was never encoded passes through unchanged', () => {
    expect(decodeMessages('Binder Error: Referenced column "x" not found')).toBe('Binder Error: Referenced column "x" not found');
    expect(decodeMessages('\u0001["no.such.key",{}]\u0002')).toBe('\u0001["no.such.key",{}]\u0002');
  });
});

describe('switching language', () => {
  test('a message kept from before the switch is shown in the new language, also inside another', () => {
    const inner = t('msg.cluster.sourceEmpty', { source: 'rfm' });
    const outer = t('cl.err.model', { message: inner });
    setLocale('zh-CN');
    expect(retranslate(outer)).toBe(t('cl.err.model', { message: 'rfm 中没有可聚类的行。' }));
    expect(retranslate(`${inner}\n${t('msg.cluster.noRows')}`)).toBe('rfm 中没有可聚类的行。\n没有可聚类的行。');
    setLocale('en');
    expect(retranslate(retranslate(inner))).toBe(inner);
    expect(retranslate('a data value')).toBe('a data value');
  });

  test('a decoded worker message is shown again in the new language', () => {
    encodeMessages(true);
    const raw = `${t('msg.ingest.empty', { file: 'x.csv' })}`;
    encodeMessages(false);
    const shown = decodeMessages(raw);
    expect(shown).toBe('x.csv: the file is empty.');
    setLocale('zh-CN');
    expect(retranslate(shown)).toBe('x.csv：文件为空。');
  });

  test('the default language follows the browser: the first English or Chinese entry decides', () => {
    expect(localeFor(['zh-CN', 'en'])).toBe('zh-CN');
    expect(localeFor(['zh-TW'])).toBe('zh-CN');
    expect(localeFor(['zh'])).toBe('zh-CN');
    expect(localeFor(['fr-FR', 'zh-Hans-CN'])).toBe('zh-CN');
    expect(localeFor(['en-US', 'zh-CN'])).toBe('en');
    expect(localeFor(['fr-FR', 'de'])).toBe('en');
    expect(localeFor([])).toBe('en');
  });

  test('a store the page provides holds the locale; unknown locales fall back to English', () => {
    const store = { locale: 'en' as const as 'en' | 'zh-CN', currency: null as string | null };
    useLocaleStore(store, true);
    setLocale('zh-CN');
    expect(store.locale).toBe('zh-CN');
    setLocale('fr');
    expect(getLocale()).toBe('en');
  });

  test('numbers in parameters are grouped for the language', () => {
    expect(t('data.rows', { n: 12345 })).toBe('12,345 rows');
  });
});
