/** The 8-type grid (issue 15): one cell per type, R high on top, names, counts and averages written, empty types outlined. */
import { expect, test } from 'vitest';
import { typeGridOptions, type TypeGridText } from '../../../src/lib/plots/rfm-type-plots';
import { segmentColors } from '../../../src/lib/plots/rfm-plots';
import type { RfmTypeCell } from '../../../src/lib/segment/rfm-types';
import { countTags, renderPlot } from '../helpers/fake-dom';

const TEXT: TypeGridText = {
  rAxis: 'Recency',
  fmAxis: 'Frequency · Monetary',
  rLevel: (h) => `R ${h ? 'high' : 'low'}`,
  fmLevel: (f, m) => `F ${f ? 'high' : 'low'} · M ${m ? 'high' : 'low'}`,
  customersN: (n) => `${n} customers`,
  avgShort: (v) => `avg ${v}`,
  avgMonetary: 'Avg monetary',
};

const CELLS: RfmTypeCell[] = [
  [true, true, true, '重要价值客户', 12, 900],
  [true, false, true, '重要发展客户', 3, 700],
  [false, true, true, '重要保持客户', 0, null],
  [false, false, true, '重要挽留客户', 5, 650],
  [true, true, false, '一般价值客户', 8, 120],
  [true, false, false, '一般发展客户', 40, 60],
  [false, true, false, '一般保持客户', 2, 100],
  [false, false, false, '一般挽留客户', 30, 40],
].map(([r, f, m, segment, customers, avg]) => ({ r_high: r, f_high: f, m_high: m, segment, customers, avg_monetary: avg }) as RfmTypeCell);

test('8 cells on 2 rows by 4 columns, every type named with its count; the empty one outlined', () => {
  const colors = segmentColors(CELLS.map((c) => c.segment));
  const o = typeGridOptions(CELLS, colors, TEXT, { width: 600 });
  expect((o.y as { domain: string[] }).domain).toEqual(['H', 'L']);
  expect((o.x as { domain: string[] }).domain).toEqual(['HH', 'HL', 'LH', 'LL']);
  // The built-in types keep their colours by their Chinese names too.
  expect(new Set(Object.values(colors)).size).toBeGreaterThanOrEqual(8);
  const root = renderPlot(o);
  const svg = root.tagName === 'svg' ? root : root.querySelectorAll('svg').at(-1)!;
  expect(countTags(svg, 'rect')).toBe(8);
  const words = svg.querySelectorAll('text').map((t) => t.textContent).join('|');
  for (const c of CELLS) expect(words).toContain(c.segment);
  for (const w of ['12', '40', 'avg 900', 'R high', 'F low · M high']) expect(words).toContain(w);
  // Filled cells carry their type's colour; the empty type is the one white, outlined cell.
  const fills = svg.querySelectorAll('rect').map((r) => r.getAttribute('fill'));
  expect(fills.filter((f) => f && Object.values(colors).includes(f))).toHaveLength(7);
  expect(fills).not.toContain(colors['重要保持客户']);
});
