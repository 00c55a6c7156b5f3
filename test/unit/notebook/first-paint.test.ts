import { describe, expect, it } from 'vitest';
import { usableFirstPaint, type StoredFirstPaint } from '../../../src/lib/notebook/first-paint';

const stored: StoredFirstPaint = {
  v: 1,
  build: 'index-abc.js',
  locale: 'zh-CN',
  notebook: 'nb-1',
  html: '<main>客户</main>',
  links: ['http://x/assets/App-1.css'],
  styles: ['.cm-editor{}'],
};

describe('usableFirstPaint', () => {
  it('gives back a drawing of this build in this language', () => {
    expect(usableFirstPaint(stored, { build: 'index-abc.js', locale: 'zh-CN' })).toEqual(stored);
  });

  it('refuses a drawing of another build (its stylesheets are gone) or another language', () => {
    expect(usableFirstPaint(stored, { build: 'index-def.js', locale: 'zh-CN' })).toBeNull();
    expect(usableFirstPaint(stored, { build: 'index-abc.js', locale: 'en' })).toBeNull();
  });

  it('refuses anything malformed rather than drawing it', () => {
    const now = { build: 'index-abc.js', locale: 'zh-CN' };
    for (const bad of [null, 'x', 3, [], { ...stored, v: 2 }, { ...stored, html: '' }, { ...stored, links: [1] }, { ...stored, styles: undefined }, { ...stored, notebook: 7 }]) {
      expect(usableFirstPaint(bad, now)).toBeNull();
    }
  });
});
