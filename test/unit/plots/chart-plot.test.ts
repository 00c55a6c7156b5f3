/**
 * The plot builder: marks, channels, labels, tooltips and orientation of the options object; then
 * the options go through `Plot.plot` on a minimal in-test DOM (no jsdom here) to prove they render.
 */
import { describe, expect, test } from 'vitest';
import { countTags, renderPlot } from '../helpers/fake-dom';
import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { chartLabels, chartNote, chartPlotOptions, formatUtc, truncateLabel } from '../../../src/lib/plots/chart-plot';
import type { ChartSpec, ColumnInfo } from '../../../src/lib/plots/chart-spec';

const COLUMNS: ColumnInfo[] = [
  { name: '城市', type: 'VARCHAR' },
  { name: 'amount "net"', type: 'DOUBLE' },
  { name: 'day', type: 'DATE' },
  { name: 'seg', type: 'VARCHAR' },
  { name: 'select', type: 'INTEGER' },
];
const spec = (over: Partial<ChartSpec>): ChartSpec => ({
  source: 't',
  mark: 'bar',
  x: '城市',
  y: null,
  color: null,
  aggregate: 'count',
  ...over,
});
const jan = (d: number) => Date.UTC(2024, 0, d);

/**
 * The marks of an options object: type (`bar`, `rule`, `dot`, ...), channels as the field they read
 * (a stacked channel shows its source field), the tip's pointer mode (`x`, `y`, `xy`) and the data.
 */
function marks(o: PlotOptions): { type: string; options: Record<string, unknown>; data: unknown }[] {
  return (o.marks ?? []).flat(Infinity as 1).map((m) => {
    const mark = m as unknown as { ariaLabel?: string; channels: Record<string, { value: unknown }>; tip?: unknown; data: unknown };
    const field = (v: unknown) => (v !== null && typeof v === 'object' && 'label' in v ? (v as { label: unknown }).label : v);
    const channels = Object.fromEntries(Object.entries(mark.channels ?? {}).map(([k, v]) => [k, field(v.value)]));
    return { type: String(mark.ariaLabel), options: { ...channels, tip: mark.tip }, data: mark.data };
  });
}

describe('labels', () => {
  test('axis titles use the user column names and the aggregate', () => {
    expect(chartLabels(spec({}))).toEqual({ x: '城市', y: 'count', color: null });
    expect(chartLabels(spec({ y: 'amount "net"', aggregate: 'sum', color: 'seg' }))).toEqual({ x: '城市', y: 'sum(amount "net")', color: 'seg' });
    expect(chartLabels(spec({ y: 'seg', aggregate: 'count_distinct' })).y).toBe('count(distinct seg)');
    expect(chartLabels(spec({ mark: 'histogram', x: 'select' }))).toMatchObject({ x: 'select', y: 'count' });
    expect(chartLabels(spec({ mark: 'scatter', x: 'select', y: 'amount "net"' }))).toMatchObject({ x: 'select', y: 'amount "net"' });
    expect(chartLabels(spec({ mark: 'heatmap', y: 'seg', color: 'select', aggregate: 'avg' })).color).toBe('avg(select)');
  });

  test('label overrides and helpers', () => {
    const o = chartPlotOptions(spec({}), [{ x: 'a', y: 1 }], { width: 600, labels: { x: '城市 (city)', y: undefined } });
    expect((o.x as { label: string }).label).toBe('城市 (city)');
    expect((o.y as { label: string }).label).toBe('count');
    expect(truncateLabel('a'.repeat(40))).toBe(`${'a'.repeat(28)}…`);
    expect(truncateLabel('客'.repeat(20))).toBe(`${'客'.repeat(14)}…`);
    expect(formatUtc(jan(31))).toBe('2024-01-31');
    expect(formatUtc(jan(31) + 8.5 * 3600_000)).toBe('2024-01-31 08:30');
  });
});

describe('bar', () => {
  const rows = [
    { x: '北京', y: 3, truncated: 0 },
    { x: '上海', y: 2, truncated: 0 },
    { x: '广州', y: 1, truncated: 0 },
  ];

  test('few short categories: vertical bars in result order, tooltips, grid, compact numbers', () => {
    const o = chartPlotOptions(spec({}), rows, { width: 640 });
    const [bar, rule] = marks(o);
    expect(bar.type).toBe('bar');
    expect(bar.options).toMatchObject({ x: 'x', y1: 'y', y2: 'y', tip: 'x' });
    expect(rule.type).toBe('rule');
    expect(o.x).toMatchObject({ type: 'band', domain: ['北京', '上海', '广州'], label: '城市' });
    expect(o.y).toMatchObject({ label: 'count', grid: true });
    expect(o.grid).toBe(true);
    const fmt = (o.y as { tickFormat: (n: number) => string }).tickFormat;
    expect([fmt(2500), fmt(12_500), fmt(1_500_000), fmt(0.25)]).toEqual(['2,500', '12.5K', '1.5M', '0.25']);
  });

  test('many or long categories: horizontal bars with room for the labels', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ x: `c${i}`, y: 20 - i, truncated: 5 }));
    const o = chartPlotOptions(spec({}), many, { width: 640 });
    expect(marks(o)[0].type).toBe('bar');
    expect(marks(o)[0].options).toMatchObject({ y: 'x', x1: 'y', x2: 'y', tip: 'y' });
    expect(o.y).toMatchObject({ type: 'band', label: '城市' });
    expect((o.y as { domain: unknown[] }).domain).toHaveLength(20);
    expect(o.x).toMatchObject({ label: 'count', grid: true });
    expect(o.height).toBeGreaterThanOrEqual(20 * 22);
    expect(chartNote(spec({}), many)).toEqual({ kind: 'truncated', shown: 20, hidden: 5 });

    const long = [
      { x: '华东大区重点客户（年度合同）', y: 5 },
      { x: 'Customers with a very long segment name', y: 3 },
    ];
    const h = chartPlotOptions(spec({}), long, { width: 400 });
    expect(h.y).toMatchObject({ type: 'band' });
    expect(h.marginLeft).toBeGreaterThan(150);
    expect(h.marginLeft).toBeLessThanOrEqual(260);
  });

  test('colour: stacked bars, a legend, Other grey and last', () => {
    const colored = [
      { x: '北京', y: 5, color: 'A' },
      { x: '北京', y: 1, color: 'Other' },
      { x: '上海', y: 2, color: 'B' },
      { x: '上海', y: 9, color: 'A' },
      { x: '上海', y: 1, color: '(null)' },
    ];
    const o = chartPlotOptions(spec({ color: 'seg' }), colored, { width: 640 });
    expect(marks(o)[0].options).toMatchObject({ fill: 'color' });
    expect(o.color).toMatchObject({ legend: true, label: 'seg', domain: ['A', 'B', '(null)', 'Other'] });
    const range = (o.color as { range: string[] }).range;
    expect(range[3]).toBe('#c4c4c4');
    expect(new Set(range).size).toBe(4);
  });

  test('date categories are shown as UTC dates', () => {
    const o = chartPlotOptions(spec({ x: 'day' }), [{ x: jan(1), y: 2 }, { x: jan(2), y: 1 }], { width: 640, columns: COLUMNS });
    expect((o.x as { domain: unknown[] }).domain).toEqual(['2024-01-01', '2024-01-02']);
  });
});

describe('line, area, scatter, histogram, heatmap', () => {
  test('line over dates: UTC time scale, Date values, markers for few points', () => {
    const rows = [{ x: jan(1), y: 2 }, { x: jan(2), y: 1 }];
    const o = chartPlotOptions(spec({ mark: 'line', x: 'day' }), rows, { width: 640, columns: COLUMNS });
    expect(o.x).toMatchObject({ type: 'utc', label: 'day' });
    const line = marks(o).find((m) => m.type === 'line')!;
    expect(line.options.tip).toBeTruthy();
    expect((line.data as { x: Date }[])[0].x).toEqual(new Date(jan(1)));
  });

  test('area by colour stacks filled series', () => {
    const rows = [
      { x: jan(1), y: 2, color: 'A' },
      { x: jan(1), y: 1, color: 'B' },
    ];
    const o = chartPlotOptions(spec({ mark: 'area', x: 'day', color: 'seg' }), rows, { width: 640, columns: COLUMNS });
    const area = marks(o).find((m) => m.type === 'area')!;
    expect(area.options).toMatchObject({ fill: 'color', tip: 'x' });
    expect(o.color).toMatchObject({ legend: true });
  });

  test('scatter: dots with tooltips; numeric colour gets a continuous legend', () => {
    const rows = [{ x: 1, y: 10, color: 0.5, total: 9000 }, { x: 2, y: 20, color: 2, total: 9000 }];
    const o = chartPlotOptions(spec({ mark: 'scatter', x: 'select', y: 'amount "net"', color: 'select' }), rows, { width: 640, columns: COLUMNS });
    const [dot] = marks(o);
    expect(dot.type).toBe('dot');
    expect(dot.options).toMatchObject({ x: 'x', y: 'y', fill: 'color', tip: 'xy' });
    expect(o.x).toMatchObject({ label: 'select', grid: true });
    expect(o.y).toMatchObject({ label: 'amount "net"' });
    expect(o.color).toMatchObject({ type: 'linear', legend: true });
    expect(chartNote(spec({ mark: 'scatter' }), rows)).toEqual({ kind: 'sampled', shown: 2, total: 9000 });
  });

  test('histogram: rects from x1 to x2, dates on a UTC scale', () => {
    const rows = [{ x1: jan(1), x2: jan(5), y: 4 }, { x1: jan(5), x2: jan(9), y: 2 }];
    const o = chartPlotOptions(spec({ mark: 'histogram', x: 'day' }), rows, { width: 640, columns: COLUMNS });
    const rect = marks(o).find((m) => m.type === 'rect')!;
    expect(rect.options).toMatchObject({ x1: 'x1', x2: 'x2', y1: 'y', y2: 'y', tip: 'x' });
    expect(o.x).toMatchObject({ type: 'utc', label: 'day' });
    expect(o.y).toMatchObject({ label: 'count' });
  });

  test('heatmap: cells coloured by value with a legend', () => {
    const rows = [{ x: '北京', y: 'A', value: 3, truncated: 0 }, { x: '上海', y: 'B', value: 1, truncated: 0 }];
    const o = chartPlotOptions(spec({ mark: 'heatmap', y: 'seg' }), rows, { width: 640 });
    const [cell] = marks(o);
    expect(cell.type).toBe('cell');
    expect(cell.options).toMatchObject({ x: 'x', y: 'y', fill: 'value', tip: 'xy' });
    expect(o.color).toMatchObject({ legend: true, label: 'count' });
  });
});

const render = renderPlot;
const count = countTags;

describe('rendering with Plot.plot', () => {
  test('every chart kind renders, with the expected number of shapes', () => {
    const bar = render(chartPlotOptions(spec({}), [{ x: '北京', y: 3 }, { x: '上海', y: 2 }], { width: 640 }));
    expect(bar.tagName).toBe('svg');
    expect(count(bar, 'rect')).toBe(2);
    expect(bar.outerHTML).toContain('北京');

    const hbar = render(chartPlotOptions(spec({}), Array.from({ length: 15 }, (_, i) => ({ x: `c${i}`, y: i + 1 })), { width: 640 }));
    expect(count(hbar, 'rect')).toBe(15);

    const stacked = render(
      chartPlotOptions(spec({ color: 'seg' }), [{ x: '北京', y: 5, color: 'A' }, { x: '北京', y: 1, color: 'Other' }], { width: 640 }),
    );
    expect(stacked.tagName).toBe('figure'); // svg + swatch legend
    expect(stacked.outerHTML).toContain('Other');

    const line = render(chartPlotOptions(spec({ mark: 'line', x: 'day' }), [{ x: jan(1), y: 2 }, { x: jan(2), y: 1 }], { width: 640, columns: COLUMNS }));
    expect(count(line, 'path')).toBeGreaterThan(0);
    expect(line.outerHTML).toMatch(/Jan|2024/);

    const area = render(
      chartPlotOptions(spec({ mark: 'area', x: 'day', color: 'seg' }), [{ x: jan(1), y: 2, color: 'A' }, { x: jan(2), y: 3, color: 'A' }], { width: 640, columns: COLUMNS }),
    );
    expect(count(area, 'path')).toBeGreaterThan(0);

    const scatter = render(
      chartPlotOptions(spec({ mark: 'scatter', x: 'select', y: 'amount "net"', color: 'select' }), [{ x: 1, y: 2, color: 1 }, { x: 3, y: 4, color: 5 }], {
        width: 640,
        columns: COLUMNS,
      }),
    );
    expect(count(scatter, 'circle')).toBe(2);

    const hist = render(chartPlotOptions(spec({ mark: 'histogram', x: 'select' }), [{ x1: 1, x2: 2, y: 3 }, { x1: 2, x2: 3, y: 0 }], { width: 640, columns: COLUMNS }));
    expect(count(hist, 'rect')).toBe(2);

    const heat = render(chartPlotOptions(spec({ mark: 'heatmap', y: 'seg' }), [{ x: '北京', y: 'A', value: 3 }, { x: '上海', y: 'B', value: 1 }], { width: 640 }));
    expect(count(heat, 'rect')).toBe(2);
  });

  test('an empty result renders without throwing', () => {
    for (const mark of ['bar', 'line', 'area', 'scatter', 'histogram', 'heatmap'] as const) {
      expect(() => render(chartPlotOptions(spec({ mark, y: 'seg' }), [], { width: 400 }))).not.toThrow();
    }
  });
});
