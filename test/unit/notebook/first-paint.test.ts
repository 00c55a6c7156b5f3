import { describe, expect, it } from 'vitest';
import { shadowCss, usableFirstPaint, type StoredFirstPaint } from '../../../src/lib/notebook/first-paint';

const stored: StoredFirstPaint = {
  v: 2,
  locale: 'zh-CN',
  notebook: 'nb-1',
  note: '尚未实时运行',
  html: '<main>客户</main>',
  css: ':host{--ink:#222}.cm-editor{}',
};

describe('usableFirstPaint', () => {
  it('gives back a drawing in this language', () => {
    expect(usableFirstPaint(stored, { locale: 'zh-CN' })).toEqual(stored);
  });

  it('refuses a drawing in another language (its words would be in the wrong one)', () => {
    expect(usableFirstPaint(stored, { locale: 'en' })).toBeNull();
  });

  it('refuses anything malformed, or kept by an older version, rather than drawing it', () => {
    const now = { locale: 'zh-CN' };
    for (const bad of [null, 'x', 3, [], { ...stored, v: 1 }, { ...stored, html: '' }, { ...stored, css: undefined }, { ...stored, note: 1 }, { ...stored, notebook: 7 }]) {
      expect(usableFirstPaint(bad, now)).toBeNull();
    }
  });
});

describe('shadowCss', () => {
  it('moves the page-level variables onto the shadow host and leaves other rules alone', () => {
    expect(shadowCss(':root { --ink: #222 } .root-cell { color: red }')).toBe(':host { --ink: #222 } .root-cell { color: red }');
  });
});
