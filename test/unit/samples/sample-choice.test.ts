/**
 * Issue 15: a Chinese interface opens the Chinese sample, except in a browser that already keeps a
 * notebook made over the English sample before the choice was remembered (its tables must stay).
 */
import { describe, expect, test } from 'vitest';
import { decideSample } from '../../../src/state/sample';

describe('decideSample', () => {
  test('a new Chinese visitor gets the Chinese sample; one with a saved notebook keeps the English one', async () => {
    expect(await decideSample('', 'zh-CN', async () => false)).toBe('tmall');
    expect(await decideSample('', 'zh-CN', async () => true)).toBe('shop');
    // A storage that cannot be read counts as no notebook.
    expect(await decideSample('', 'zh-CN', () => Promise.reject(new Error('blocked')))).toBe('tmall');
  });

  test('the address decides over everything; English asks nothing of storage', async () => {
    expect(await decideSample('?sample=tmall', 'zh-CN', async () => true)).toBe('tmall');
    let asked = false;
    expect(await decideSample('', 'en', async () => (asked = true))).toBe('shop');
    expect(asked).toBe(false);
  });
});
