import { tableFromIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { findHeaderRow, headerNames, sheetTable, type SheetValue } from '../../../workers/ingest/sheet-table';
import { checkZip, zipEntries } from '../../../workers/ingest/zip-check';
import { bombDeflate, makeZip } from '../../gen/nasty/zip';

describe('sheet-table', () => {
  test('the header is found below a title block', () => {
    const grid: SheetValue[][] = [['Sales report'], [], ['Generated 2024-04-01'], ['id', 'name', 'amount', 'date'], [1, 'a', 2.5, { ms: 0 }]];
    expect(findHeaderRow(grid)).toBe(3);
    expect(findHeaderRow([['id', 'name'], [1, 'a']])).toBe(0);
  });

  test('merged and empty header cells get usable, unique names', () => {
    expect(headerNames(['Sales', null, 'Total', null, 'total'], 5, [{ r: 0, c0: 0, c1: 1 }])).toEqual({ names: ['Sales', 'Sales_2', 'Total', 'column_4', 'total_1'], generated: ['column_4'] });
  });

  test('columns are typed from their cells: whole numbers, decimals, dates, text for mixed kinds', () => {
    const grid: SheetValue[][] = [
      ['n', 'x', 'd', 'mixed', '__proto__'],
      [1, 1.5, { ms: Date.UTC(2024, 2, 5) }, 12923, 'a'],
      [2, 2, { ms: Date.UTC(2024, 2, 6) }, 'A563185', 'b'],
    ];
    const t = sheetTable(grid, [])!;
    const table = tableFromIPC(t.ipc);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['n:Int64', 'x:Float64', 'd:Date32<DAY>', 'mixed:Utf8', '__proto__:Utf8']);
    expect(table.getChild('mixed')!.toArray()).toEqual(['12923', 'A563185']);
    expect(t.rows).toBe(2);
  });
});

describe('zip-check', () => {
  test('lists the entries of an archive', () => {
    const zip = makeZip([{ name: 'a.xml', data: '<a/>' }, { name: 'b.xml', data: 'x'.repeat(1000) }]);
    const entries = zipEntries(zip, 10);
    expect(Array.isArray(entries) && entries.map((e) => [e.name, e.size])).toEqual([['a.xml', 4], ['b.xml', 1000]]);
  });

  test('a bomb whose headers claim 4 KB is stopped by counting what inflating produces', async () => {
    const zip = makeZip([{ name: 's.xml', data: '', deflated: bombDeflate(40), claimedSize: 4096 }]);
    expect(await checkZip(zip, { maxEntries: 10, maxTotal: 16 * 1024 * 1024 })).toEqual({ kind: 'too-large', detail: expect.any(Number) });
    // The same archive is fine under a limit above its real 40 MiB.
    expect(await checkZip(zip, { maxEntries: 10, maxTotal: 64 * 1024 * 1024 })).toBeNull();
  });

  test('truncated, foreign and crowded archives are refused', async () => {
    const zip = makeZip([{ name: 'a.xml', data: '<a/>' }, { name: 'b.xml', data: '<b/>' }]);
    expect(await checkZip(zip.subarray(0, zip.length - 30), { maxEntries: 10, maxTotal: 1e6 })).toEqual({ kind: 'truncated' });
    expect(await checkZip(new TextEncoder().encode('not a zip at all, no'), { maxEntries: 10, maxTotal: 1e6 })).toEqual({ kind: 'not-zip' });
    expect(await checkZip(zip, { maxEntries: 1, maxTotal: 1e6 })).toEqual({ kind: 'too-many-entries', detail: 2 });
  });
});
