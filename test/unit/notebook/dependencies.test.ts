import { describe, expect, test } from 'vitest';
import { downstream, graphProblems, renameReference, runOrder, type CellDeps } from '../../../src/lib/notebook/dependencies';

// a <- orders; b <- a; c <- a, b; d <- customers; e reads nothing known
const cells: CellDeps[] = [
  { id: '1', provides: 'a', reads: ['orders'] },
  { id: '2', provides: 'B', reads: ['A'] },
  { id: '3', provides: 'c', reads: ['a', 'b'] },
  { id: '4', provides: 'd', reads: ['customers'] },
  { id: '5', provides: null, reads: ['c'] },
];

describe('dependencies', () => {
  test('a changed table marks every cell that reads it, directly or not', () => {
    expect([...downstream(cells, { tables: ['ORDERS'] })].sort()).toEqual(['1', '2', '3', '5']);
    expect([...downstream(cells, { tables: ['customers'] })]).toEqual(['4']);
  });

  test('a changed cell marks its downstream, not itself', () => {
    expect([...downstream(cells, { cellIds: ['2'] })].sort()).toEqual(['3', '5']);
  });

  test('run order puts every cell after what it reads, keeping notebook order on ties', () => {
    const shuffled = [cells[2], cells[4], cells[0], cells[3], cells[1]];
    expect(runOrder(shuffled, ['1', '2', '3', '5'])).toEqual(['1', '2', '3', '5']);
    expect(runOrder(cells, ['3', '2'])).toEqual(['2', '3']);
  });

  test('missing names and cycles are reported', () => {
    const withCycle: CellDeps[] = [
      { id: 'x', provides: 'x', reads: ['y', 'nowhere'] },
      { id: 'y', provides: 'y', reads: ['x'] },
      { id: 'z', provides: 'z', reads: ['orders'] },
    ];
    const p = graphProblems(withCycle, ['orders']);
    expect(p.missing).toEqual({ x: ['nowhere'] });
    expect(p.cycles.map((c) => [...c].sort())).toEqual([['x', 'y']]);
    expect(runOrder(withCycle, ['x', 'y', 'z'])).toEqual(['z']);
  });
});

describe('renameReference', () => {
  test('rewrites FROM and JOIN uses, quoted or not, and leaves a same-named column alone', () => {
    expect(renameReference('SELECT top, n FROM top JOIN "top" t2 USING (id) WHERE top > 1', 'top', 'best')).toBe(
      'SELECT top, n FROM best JOIN best t2 USING (id) WHERE top > 1',
    );
    expect(renameReference('select * from Top_customers', 'top_customers', '大客户')).toBe('select * from 大客户');
    expect(renameReference('SELECT * FROM top_customers_2', 'top_customers', 'x')).toBe('SELECT * FROM top_customers_2');
    expect(renameReference('SELECT * FROM a', 'a', 'new name')).toBe('SELECT * FROM "new name"');
  });
});
