/**
 * Gathers a report from the notebook as it stands: each chosen cell's text, facts and SQL from
 * its settings and last run, its charts (each `[data-testid=plot]` rendered in the page, as
 * standalone SVG) and summary tables (the cell's `<table>`s without form controls) from the page,
 * segment definitions from its settings, the results its grids show (aggregates as tables;
 * customer rows only when asked, see lib/report/privacy.ts), and the period comparison, run
 * through the engine like a cell's queries.
 */
import * as Plot from '@observablehq/plot';
import { formatValue, tableToObjects } from '../lib/arrow-rows';
import { comparisonBarsOptions, comparisonFlowOptions } from '../lib/plots/report-plots';
import { getLocale, t, type MessageKey } from '../lib/i18n';
import { formatFull } from '../lib/i18n/format';
import type { Cell, RfmCell } from '../lib/notebook/cells';
import { chartQuery } from '../lib/plots/chart-query';
import { lifecycleDefinitions, rfmDefinitions, segmentDefinitions } from '../lib/report/definitions';
import { comparisonRows, comparisonSql, earlierDate, movementTable, type ComparePeriod, type SegmentSizesRow } from '../lib/report/period';
import type { ReportComparison, ReportDoc, ReportSection, ReportTable } from '../lib/report/report-model';
import { looksLikeCustomerRows } from '../lib/report/privacy';
import { standaloneSvg } from '../lib/report/svg-export';
import { segmentLabel } from '../lib/segment/builtin-names';
import { DEPARTED_SEGMENT, NEW_SEGMENT, rfmMembership, rfmTypesMembership, type MovementFlow } from '../lib/segment/movement-sql';
import { daysBetween, purchaseRangeSql, type PurchaseRange } from '../lib/segment/orders-source';
import { UNASSIGNED } from '../lib/segment/rfm-rules';
import { ident } from '../lib/sql/quote';
import { internalName, rows } from './clv-common';
import type { EngineState } from './engine.svelte';
import type { CellRun } from './notebook.svelte';

/** What the user chose in the report dialog. */
export interface ReportOptions {
  /** The cells to include, by id, in notebook order. */
  cellIds: readonly string[];
  includeCustomers: boolean;
  compare: ComparePeriod | null;
  /** The RFM cell whose segments are compared (id); null = the first RFM cell with a result. */
  basisId: string | null;
}

/** The most rows a grid's result puts in the report (customer lists when included, aggregates). */
export const MAX_CUSTOMER_ROWS = 500;

/** What the collector reads from the page's state. */
export interface ReportSource {
  title: string;
  cells: readonly Cell[];
  runs: Readonly<Record<string, CellRun>>;
  engine: EngineState;
  /** Where the cells are rendered. */
  root: ParentNode;
}

const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').replace(/ [↑↓]$/, '').trim();

/** A cell's element in the page. */
function cellElement(root: ParentNode, name: string): Element | null {
  return [...root.querySelectorAll('[data-testid="cell"]')].find((el) => el.getAttribute('data-name') === name) ?? null;
}

/** The heading nearest before `el` inside `stop`: the chart's title as the cell shows it. */
function headingBefore(el: Element, stop: Element): string | undefined {
  for (let node: Element | null = el; node && node !== stop; node = node.parentElement) {
    for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) {
      if (/^H[2-5]$/.test(sib.tagName)) return clean(sib.textContent);
    }
  }
  return undefined;
}

/** A `<table>` of the page as text rows; null for tables holding form controls (settings, not results). */
export function tableFromElement(table: HTMLTableElement): ReportTable | null {
  if (table.querySelector('input, select, textarea')) return null;
  const text = (row: HTMLTableRowElement) => [...row.cells].map((c) => clean(c.textContent));
  const head = table.tHead ? [...table.tHead.rows] : [];
  const body = [...table.tBodies].flatMap((b) => [...b.rows]);
  const foot = table.tFoot ? [...table.tFoot.rows] : [];
  if (body.length === 0 && head.length === 0) return null;
  const first = body[0] ?? head[0];
  const numeric = [...first.cells].map((c) => c.classList.contains('num'));
  return {
    caption: table.caption ? clean(table.caption.textContent) : undefined,
    head: head.length ? text(head[head.length - 1]) : [],
    rows: body.map(text),
    foot: foot.map(text),
    numeric,
  };
}

/** The SQL behind a cell's result, if it has one. */
function sqlOf(cell: Cell, run: CellRun | undefined): string | null {
  if (cell.kind === 'sql') return cell.sql;
  if (cell.kind === 'rfm') return run?.rfm?.sql ?? null;
  if (cell.kind === 'chart' && run?.chart) {
    try {
      return chartQuery({ ...run.chart.spec }, run.chart.sourceColumns).sql;
    } catch {
      return null;
    }
  }
  const out = run?.output as { sql?: unknown } | undefined;
  return typeof out?.sql === 'string' ? out.sql : null;
}

/** Short facts about a cell's result: as-of date, dates compared, customers. */
function factsOf(cell: Cell, run: CellRun | undefined): { label: string; value: string }[] {
  const facts: { label: string; value: string }[] = [];
  if (cell.kind === 'rfm' && run?.rfm) {
    if (run.rfm.notes.as_of) facts.push({ label: t('report.doc.asOf'), value: run.rfm.notes.as_of });
    facts.push({ label: t('rfm.sum.customers'), value: formatFull(run.rfm.customers) });
    return facts;
  }
  if (cell.kind === 'sql' && run?.result?.kind === 'rows') facts.push({ label: t('report.doc.rows'), value: formatFull(run.result.rows) });
  const out = run?.output as { asOf?: unknown; from?: unknown; to?: unknown; customers?: unknown } | undefined;
  if (!out) return facts;
  if (typeof out.asOf === 'string') facts.push({ label: t('report.doc.asOf'), value: out.asOf });
  if (typeof out.from === 'string' && typeof out.to === 'string') facts.push({ label: t('report.doc.dataPeriod'), value: t('report.doc.range', { from: out.from, to: out.to }) });
  if (typeof out.customers === 'number') facts.push({ label: t('rfm.sum.customers'), value: formatFull(out.customers) });
  return facts;
}

function hasResult(cell: Cell, run: CellRun | undefined): boolean {
  if (cell.kind === 'notes') return true;
  if (!run || (run.status !== 'done' && run.status !== 'stale')) return false;
  return Boolean(run.rfm || run.output || run.result || run.chart);
}

/**
 * The results a cell's grids show: aggregates as summary tables; row-level customer data (see
 * privacy.ts) only when `includeCustomers`, else not even read.
 */
async function gridTables(engine: EngineState, el: Element, includeCustomers: boolean): Promise<{ summaries: ReportTable[]; customers: ReportTable[]; leftOut: number }> {
  const out = { summaries: [] as ReportTable[], customers: [] as ReportTable[], leftOut: 0 };
  for (const grid of el.querySelectorAll('[data-testid="result-grid"]')) {
    const relation = grid.getAttribute('data-relation');
    const total = Number(grid.getAttribute('data-rows') ?? 0);
    if (!relation) continue;
    const { table: described } = await engine.track(engine.client.query(`SELECT * FROM ${ident(relation)} LIMIT 0`));
    const head = described.schema.fields.map((f) => f.name);
    const customers = looksLikeCustomerRows(head);
    if (customers && !includeCustomers) {
      out.leftOut += 1;
      continue;
    }
    // The rows as the grid shows them (decimals and other wide types as text).
    const table = await engine.track(engine.client.fetchRows(relation, 0, MAX_CUSTOMER_ROWS));
    const rowsText = tableToObjects(table).map((o) => head.map((h) => formatValue(o[h] ?? null)));
    const numeric = described.schema.fields.map((f) => /Int|Float|Decimal/i.test(String(f.type)));
    const note = total > rowsText.length ? t('report.doc.rowsShown', { shown: rowsText.length, total }) : t('report.doc.rowsAll', { total: rowsText.length });
    (customers ? out.customers : out.summaries).push({ head, rows: rowsText, numeric, note });
  }
  return out;
}

async function section(src: ReportSource, cell: Cell, includeCustomers: boolean): Promise<ReportSection> {
  const run = src.runs[cell.id];
  const base: ReportSection = { name: cell.name, kind: t(`cell.kind.${cell.kind}` as MessageKey), facts: [], charts: [], tables: [], definitions: null, customerTables: [], sql: null, ran: hasResult(cell, run) };
  if (cell.kind === 'notes') return { ...base, markdown: cell.text };
  base.facts = factsOf(cell, run);
  base.sql = base.ran ? sqlOf(cell, run) : null;
  if (cell.kind === 'rfm') base.definitions = rfmDefinitions(cell);
  if (cell.kind === 'segment') base.definitions = segmentDefinitions(cell);
  if (cell.kind === 'lifecycle') base.definitions = lifecycleDefinitions(cell.rules);
  const el = cellElement(src.root, cell.name);
  if (!el || !base.ran) return base;
  for (const host of el.querySelectorAll<HTMLElement>('[data-testid="plot"]')) {
    const svg = standaloneSvg(host);
    if (svg) base.charts.push({ title: headingBefore(host, el), svg });
  }
  for (const table of el.querySelectorAll('table')) {
    const parsed = tableFromElement(table);
    if (parsed) base.tables.push(parsed);
  }
  const grids = await gridTables(src.engine, el, includeCustomers);
  base.tables.push(...grids.summaries);
  base.customerTables = grids.customers;
  base.customersLeftOut = grids.leftOut;
  return base;
}

/** A chart drawn off-page with Plot, as standalone SVG (undefined when it cannot be drawn). */
function drawn(options: () => Plot.PlotOptions): { svg: string } | undefined {
  try {
    const host = document.createElement('div');
    host.append(Plot.plot(options()));
    const svg = standaloneSvg(host);
    return svg ? { svg } : undefined;
  } catch {
    return undefined;
  }
}

/** The RFM cell a comparison uses: the chosen one, else the first with a result. */
export function comparisonBasis(cells: readonly Cell[], runs: Readonly<Record<string, CellRun>>, basisId: string | null): RfmCell | undefined {
  const ok = (c: Cell): c is RfmCell => c.kind === 'rfm' && Boolean(runs[c.id]?.rfm);
  return (basisId ? cells.find((c) => c.id === basisId && ok(c)) : undefined) as RfmCell | undefined ?? cells.find(ok);
}

async function comparison(src: ReportSource, period: ComparePeriod, basisId: string | null): Promise<ReportComparison> {
  const cell = comparisonBasis(src.cells, src.runs, basisId);
  const result = cell && src.runs[cell.id]?.rfm;
  if (!cell || !result || !result.notes.as_of) throw new Error(t('report.compare.noRfm'));
  const to = result.notes.as_of.slice(0, 10);
  const from = earlierDate(to, period);
  const spec = result.spec;
  const lookback = spec.window.from ? daysBetween(spec.window.from, to) : null;
  const types = result.model === 'types';
  const membership = (date: string) => (types ? rfmTypesMembership(spec, result.types, date, lookback) : rfmMembership(spec, cell.rules, date, lookback));
  const order = [...(types ? result.types.types.map((x) => segmentLabel(x.name)) : cell.rules.map((r) => segmentLabel(r.name))), segmentLabel(UNASSIGNED)];
  const orders = { source: spec.source, customerId: spec.customerId, orderDate: spec.orderDate, amount: spec.amount };
  const view = internalName('report', 'cmp');
  const sql = comparisonSql(membership(from), membership(to), orders, from, to, view);
  const sizes = await rows<SegmentSizesRow>(src.engine, sql.sizes);
  await src.engine.track(src.engine.client.query(sql.movement));
  let flows: MovementFlow[];
  try {
    flows = await rows<MovementFlow>(src.engine, sql.matrix);
  } finally {
    await src.engine.track(src.engine.client.query(`DROP VIEW IF EXISTS ${ident(view)}`)).catch(() => undefined);
  }
  const shown = comparisonSql(membership(from), membership(to), orders, from, to, 'period_movement');
  const label = (s: string) => (s === NEW_SEGMENT ? t('mv.new') : s === DEPARTED_SEGMENT ? t('mv.departed') : s);
  const rowsOut = comparisonRows(sizes, order);
  const matrix = movementTable(flows, order);
  const text = { label, fromTitle: t('mv.chart.at', { date: from }), toTitle: t('mv.chart.at', { date: to }), customersN: (n: string) => t('rfm.chart.customersN', { n }), flowTitle: (a: string, b: string) => t('mv.flowTitle', { from: a, to: b }), revenue: t('mv.revenueBetween') };
  return {
    basis: cell.name,
    from,
    to,
    sizes: rowsOut,
    matrix,
    label,
    sql: `${shown.sizes};\n\n${shown.movement};\n\n${shown.matrix};`,
    charts: {
      sizes: drawn(() => comparisonBarsOptions(rowsOut.filter((r) => r.customersThen || r.customersNow), from, to, label, t('rfm.sum.customers'))),
      flows: flows.length ? drawn(() => comparisonFlowOptions(flows, matrix.rows, matrix.columns, text)) : undefined,
    },
  };
}

/** The data period: the first and last purchase of the RFM cell's orders (or none without an RFM result). */
async function dataPeriod(src: ReportSource): Promise<ReportDoc['dataPeriod']> {
  const cell = comparisonBasis(src.cells, src.runs, null);
  const spec = cell && src.runs[cell.id]?.rfm?.spec;
  if (!spec) return null;
  const [range] = await rows<PurchaseRange & { customers?: number }>(src.engine, purchaseRangeSql({ source: spec.source, customerId: spec.customerId, orderDate: spec.orderDate, amount: spec.amount }));
  if (!range?.min_date || !range.max_date) return null;
  return { from: String(range.min_date).slice(0, 10), to: String(range.max_date).slice(0, 10), note: spec.source };
}

/** Collects the report the options describe. */
export async function collectReport(src: ReportSource, options: ReportOptions, today = new Date()): Promise<ReportDoc> {
  const chosen = src.cells.filter((c) => options.cellIds.includes(c.id));
  const sections: ReportSection[] = [];
  for (const cell of chosen) sections.push(await section(src, cell, options.includeCustomers));
  let cmp: ReportDoc['comparison'] = null;
  if (options.compare) {
    try {
      cmp = await comparison(src, options.compare, options.basisId);
    } catch (e) {
      cmp = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  const basis = comparisonBasis(src.cells, src.runs, options.basisId);
  const asOf = basis ? (src.runs[basis.id]?.rfm?.notes.as_of?.slice(0, 10) ?? null) : (sections.flatMap((s) => s.facts).find((f) => f.label === t('report.doc.asOf'))?.value ?? null);
  return {
    title: src.title,
    lang: getLocale(),
    generatedOn: today.toISOString().slice(0, 10),
    dataPeriod: await dataPeriod(src).catch(() => null),
    asOf,
    includeCustomers: options.includeCustomers,
    maxRows: MAX_CUSTOMER_ROWS,
    sections,
    comparison: cmp,
  };
}
