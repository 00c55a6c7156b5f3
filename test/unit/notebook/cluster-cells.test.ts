/** Cluster cells (issue 6): the defaults of a new cell and the notebook-file reader's strict round trip. */
import { describe, expect, test } from 'vitest';
import { newClusterCell, type ClusterCell } from '../../../src/lib/notebook/cells-cluster';
import { readClusterCell } from '../../../src/lib/notebook/cells-cluster-reader';
import { parseNotebook, toDocument } from '../../../src/lib/notebook/document';

const rfmView = { name: 'rfm', columns: ['customer_id:INTEGER', 'recency_days:INTEGER', 'frequency:BIGINT', 'monetary:DOUBLE', 'r_score:INTEGER', 'segment:VARCHAR'].map((s) => ({ name: s.split(':')[0], type: s.split(':')[1] })) };
const orders = { name: 'orders', columns: [{ name: 'order_id', type: 'INTEGER' }, { name: 'customer_id', type: 'INTEGER' }, { name: 'amount', type: 'DECIMAL(10,2)' }, { name: 'channel', type: 'VARCHAR' }] };

describe('a new cluster cell', () => {
  test('picks the RFM view and its three measures', () => {
    const c = newClusterCell({ id: 'c1', name: 'cluster_1' }, [orders, rfmView]);
    expect(c.source).toBe('rfm');
    expect(c.idColumn).toBe('customer_id');
    expect(c.features).toEqual([{ name: 'recency_days', log: null }, { name: 'frequency', log: null }, { name: 'monetary', log: null }]);
    expect([c.kMin, c.kMax, c.k, c.treeDepth, c.seed]).toEqual([2, 10, null, 3, 42]);
  });
  test('else the first table with numeric columns, leaving out ids', () => {
    const c = newClusterCell({ id: 'c1', name: 'cluster_1' }, [orders]);
    expect(c.source).toBe('orders');
    expect(c.idColumn).toBe('customer_id');
    expect(c.features.map((f) => f.name)).toEqual(['amount']);
  });
  test('with no tables, nothing chosen', () => {
    expect(newClusterCell({ id: 'c1', name: 'cluster_1' }, []).source).toBe('');
  });
});

describe('reading cluster cells', () => {
  const cell: ClusterCell = { ...newClusterCell({ id: 'c1', name: 'clusters' }, [rfmView]), k: 4, names: { '1': 'Big spenders' }, features: [{ name: 'recency_days', log: false }, { name: 'monetary', log: true }, { name: 'frequency', log: null }], categories: ['segment'] };

  test('round-trips through a notebook file', () => {
    const text = JSON.stringify(toDocument('nb', [cell], {} as never, []));
    const parsed = parseNotebook(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.doc.cells[0]).toEqual(cell);
  });

  test('builds a fresh object without unknown keys', () => {
    const raw = { ...JSON.parse(JSON.stringify(cell)), extra: 'x' };
    const read = readClusterCell(raw, { id: 'c1', name: 'clusters' }, 'cell 1') as ClusterCell;
    expect(read).toEqual(cell);
    expect('extra' in read).toBe(false);
  });

  test('a file from before category columns reads with none', () => {
    const raw = JSON.parse(JSON.stringify(cell));
    delete raw.categories;
    expect((readClusterCell(raw, { id: 'c1', name: 'clusters' }, 'cell 1') as ClusterCell).categories).toEqual([]);
  });

  test.each([
    ['a k out of range', { k: 99 }, /k must be/],
    ['categories that are not a list', { categories: 'city' }, /categories must be a list/],
    ['a category that is not text', { categories: [3] }, /category column 1 must be text/],
    ['a reversed range', { kMin: 5, kMax: 3 }, /largest k/],
    ['an unknown scale', { scale: 'minmax' }, /standardisation must be one of/],
    ['a fractional seed', { seed: 1.5 }, /seed must be a whole number/],
    ['a depth of 4', { treeDepth: 4 }, /rule depth/],
    ['features that are not a list', { features: 'a' }, /features must be a list/],
    ['a feature log that is text', { features: [{ name: 'a', log: 'yes' }] }, /log must be/],
    ['names keyed by text', { names: { x: 'a' } }, /keyed by cluster number/],
    ['a forbidden key', { names: JSON.parse('{"__proto__": "x"}') }, /forbidden key/],
    ['a huge name', { names: { '1': 'x'.repeat(300) } }, /too long/],
  ])('rejects %s', (_what, patch, message) => {
    const raw = { ...JSON.parse(JSON.stringify(cell)), ...patch };
    const read = readClusterCell(raw, { id: 'c1', name: 'clusters' }, 'cell 1');
    expect(typeof read).toBe('string');
    expect(read as string).toMatch(message);
  });
});
