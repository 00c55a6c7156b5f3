import { describe, expect, test } from 'vitest';
import { dataFingerprint, keepable, keptRunsFor, MAX_KEPT_CELL_BYTES, plainSize, stableJson, type KeptResults } from '../../../src/lib/notebook/kept-results';

interface Run {
  status: string;
  ranWith?: string;
  version: number;
  output?: unknown;
}

const cellA = { id: 'a', kind: 'sql', name: 'top', sql: 'SELECT 1' };
const cellB = { id: 'b', kind: 'rfm', name: 'rfm', spec: { source: 'orders', scoring: 'quintiles' } };
const json = (c: object) => stableJson(c);
const files = [{ table: 'orders', fileName: 'orders.csv', size: 1200, seq: 3 }];

describe('stableJson', () => {
  test('the same settings give the same text whatever order their keys were set in', () => {
    expect(stableJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(stableJson({ a: { c: null, d: [2, { x: 2, y: 1 }] }, b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: 2 }));
  });
});

describe('plainSize', () => {
  test('plain data, typed arrays and dates are sized', () => {
    expect(plainSize({ rows: [{ n: 1, s: 'ab' }], f: new Float64Array(10), d: new Date(0) })).toBeGreaterThan(80);
  });
  test('class instances and functions are refused: IndexedDB would give them back changed', () => {
    class Table {
      get(): number {
        return 1;
      }
    }
    expect(plainSize({ t: new Table() })).toBeNull();
    expect(plainSize({ f: () => 1 })).toBeNull();
    expect(plainSize(new Map())).toBeNull();
  });
  test('a value that contains itself is refused', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(plainSize(a)).toBeNull();
  });
});

describe('keepable and keptRunsFor', () => {
  const runs: Record<string, Run> = {
    a: { status: 'done', ranWith: json(cellA), version: 2, output: { rows: 5 } },
    b: { status: 'done', ranWith: json(cellB), version: 1, output: { segments: ['Champions'] } },
  };
  const kept = (): KeptResults<Run> => ({ id: 'nb', data: dataFingerprint('shop', files), locale: 'en', cells: keepable([cellA, cellB], runs) });
  const now = { data: dataFingerprint('shop', files), locale: 'en' };

  test('finished runs are kept and come back marked as not live', () => {
    const back = keptRunsFor(kept(), [cellA, cellB], now);
    expect(Object.keys(back).sort()).toEqual(['a', 'b']);
    expect(back.a).toEqual({ ...runs.a, status: 'cached' });
    expect(back.b.output).toEqual({ segments: ['Champions'] });
  });

  test('a cell changed since its run gets no kept result; the others do', () => {
    const edited = { ...cellA, sql: 'SELECT 2' };
    const back = keptRunsFor(kept(), [edited, cellB], now);
    expect(Object.keys(back)).toEqual(['b']);
  });

  test('other data or another interface language: nothing is shown', () => {
    expect(keptRunsFor(kept(), [cellA, cellB], { ...now, data: dataFingerprint('shop', [{ ...files[0], size: 1201 }]) })).toEqual({});
    expect(keptRunsFor(kept(), [cellA, cellB], { ...now, data: dataFingerprint('tmall', files) })).toEqual({});
    expect(keptRunsFor(kept(), [cellA, cellB], { ...now, locale: 'zh-CN' })).toEqual({});
    expect(keptRunsFor(undefined, [cellA], now)).toEqual({});
  });

  test('the fingerprint follows the files, not the load counter', () => {
    const reloaded = [{ ...files[0], seq: 9 }];
    expect(dataFingerprint('shop', files)).toBe(dataFingerprint('shop', reloaded));
  });

  test('re-running, out-of-date, failed, unplain, oversized and unattributed runs keep nothing; a kept result not yet replaced stays kept', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id }));
    class Thing {}
    const out = keepable(ids, {
      // Re-running after a data change: the result it still shows is of the old data.
      a: { status: 'running', ranWith: 'A', version: 1, output: { n: 1 } },
      b: { status: 'cached', ranWith: json(cellB), version: 1 },
      c: { status: 'done', ranWith: 'C', version: 1, output: new Thing() },
      d: { status: 'done', ranWith: 'D', version: 1, output: 'x'.repeat(MAX_KEPT_CELL_BYTES) },
      e: { status: 'stale', ranWith: 'E', version: 1, output: { n: 2 } },
      f: { status: 'done', version: 1 },
      g: { status: 'error', ranWith: 'G', version: 1 },
    }, kept());
    expect(Object.keys(out)).toEqual(['b']);
    expect(out.b).toEqual(kept().cells.b);
  });

  test('without the kept record (the data changed since), a kept result not yet replaced is dropped', () => {
    expect(keepable([cellB], { b: { status: 'cached', version: 1 } })).toEqual({});
  });
});
