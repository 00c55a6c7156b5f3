import { describe, expect, test } from 'vitest';
import { parseNotebook, toDocument, NOTEBOOK_FORMAT } from '../../../src/lib/notebook/document';
import { decodeShareFragment, encodeShareFragment } from '../../../src/lib/notebook/share-link';
import { starterNotebook } from '../../../src/lib/notebook/starter';
import '../../../src/lib/notebook/cells-orders-reader';
import type { Cell } from '../../../src/lib/notebook/cells';

const base = (cells: unknown[]) => JSON.stringify({ format: NOTEBOOK_FORMAT, version: 1, name: 'n', cells, settings: { autoRun: false }, tables: [] });
const sqlCell = { id: 'a', kind: 'sql', name: 'q', sql: 'SELECT 1' };

describe('notebook documents', () => {
  test('round-trip: cells, settings and expected tables come back equal', () => {
    const cells = [
      { id: '1', kind: 'sql', name: '客户 汇总', sql: 'SELECT "城市" FROM t' },
      { id: '2', kind: 'chart', name: 'c', spec: { source: '客户 汇总', mark: 'bar', x: '城市', y: null, color: null, aggregate: 'count' } },
      { id: '3', kind: 'notes', name: 'n', text: '# hi' },
    ] as Cell[];
    const doc = toDocument('My notebook', cells, { autoRun: false }, [{ name: 'orders', columns: [{ name: 'amount', type: 'DOUBLE' }] }]);
    const back = parseNotebook(JSON.stringify(doc));
    expect(back).toEqual({ ok: true, doc });
  });

  test.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['another format', JSON.stringify({ format: 'jupyter', version: 1, cells: [] }), /not a Segnote notebook/],
    ['a newer version', JSON.stringify({ format: NOTEBOOK_FORMAT, version: 99, cells: [] }), /newer than this app/],
    ['cells that are not a list', JSON.stringify({ format: NOTEBOOK_FORMAT, version: 1, cells: 'x' }), /cells must be a list/],
    ['an unknown cell kind', base([{ id: 'a', kind: 'script', name: 'x', code: 'alert(1)' }]), /cell 1 kind "script" is not a cell kind/],
    ['a wrong type', base([{ id: 'a', kind: 'sql', name: 'x', sql: 42 }]), /cell 1 sql must be text/],
    ['a __proto__ key', `{"format":"${NOTEBOOK_FORMAT}","version":1,"cells":[],"__proto__":{"polluted":true}}`, /forbidden key "__proto__"/],
    ['a nested constructor key', base([{ ...sqlCell, constructor: { prototype: { polluted: true } } }]), /forbidden key "constructor"/],
    ['a huge string', base([{ ...sqlCell, sql: 'x'.repeat(300_000) }]), /too long/],
    ['duplicate names', base([sqlCell, { ...sqlCell, id: 'b', name: 'Q' }]), /repeats the name "Q"/],
    ['a reserved name', base([{ ...sqlCell, name: '__segnote_cell_x' }]), /not allowed/],
    ['an RFM rule with a score out of range', base([{ id: 'r', kind: 'rfm', name: 'r', spec: { source: 'o', customerId: 'c', orderDate: 'd', amount: 'a', orderId: null, asOf: null, window: { from: null, to: null }, monetary: 'total', negatives: 'net', scoring: { method: 'quantile' } }, rules: [{ name: 'X', r: [0, 9], f: [1, 5], m: [1, 5], description: '', action: '' }] }]), /rule 1 R range must be two scores from 1 to 5/],
    ['an RFM as-of that is not a date', base([{ id: 'r', kind: 'rfm', name: 'r', spec: { source: 'o', customerId: 'c', orderDate: 'd', amount: 'a', orderId: null, asOf: "2024-01-01'; DROP TABLE x; --", window: {}, monetary: 'total', negatives: 'net', scoring: { method: 'quantile' } }, rules: [] }]), /too long|must be a date/],
    ['a bad chart mark', base([{ id: 'c', kind: 'chart', name: 'c', spec: { source: 't', mark: 'pie<script>', x: null, y: null, color: null, aggregate: 'count' } }]), /mark must be one of/],
  ])('refuses %s with a message', (_what, text, message) => {
    const r = parseNotebook(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('included table data round-trips, and data that is not base64 Parquet is refused', () => {
    const doc = toDocument('With data', [], { autoRun: true }, [{ name: 'orders', columns: [{ name: 'id', type: 'BIGINT' }], data: { format: 'parquet', base64: 'UEFSMQ==' } }]);
    expect(parseNotebook(JSON.stringify(doc))).toEqual({ ok: true, doc });
    const bad = JSON.stringify({ ...doc, tables: [{ name: 'orders', columns: [], data: { format: 'parquet', base64: '<script>' } }] });
    expect(parseNotebook(bad)).toMatchObject({ ok: false, error: expect.stringMatching(/table 1 data is not base64/) });
    const csv = JSON.stringify({ ...doc, tables: [{ name: 'orders', columns: [], data: { format: 'csv', base64: 'YQ==' } }] });
    expect(parseNotebook(csv)).toMatchObject({ ok: false, error: expect.stringMatching(/must be Parquet/) });
  });

  test('extra unknown fields are dropped, not kept', () => {
    const r = parseNotebook(base([{ ...sqlCell, onclick: 'evil()' }]));
    expect(r.ok && r.doc.cells[0]).toEqual(sqlCell);
  });
});

describe('share links', () => {
  test('the starter notebook survives a round trip through the URL fragment', async () => {
    const doc = toDocument('Starter', starterNotebook(), { autoRun: true }, []);
    expect(doc.cells.map((c) => c.kind)).toContain('rfm');
    const fragment = await encodeShareFragment(doc);
    expect(fragment).toMatch(/^#nb=[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(JSON.stringify(doc).length);
    expect(await decodeShareFragment(fragment)).toEqual({ ok: true, doc });
  });

  test('damaged or foreign fragments are reported, not thrown', async () => {
    expect(await decodeShareFragment('#section-2')).toBeNull();
    expect(await decodeShareFragment('#nb=%%%')).toMatchObject({ ok: false, error: expect.stringMatching(/damaged/) });
    expect(await decodeShareFragment('#nb=AAAA')).toMatchObject({ ok: false });
  });
});
