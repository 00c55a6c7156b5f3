/**
 * Running a customer-view cell: checks the tables and roles, checks the join with the customers
 * table (unmatched ids on either side become messages; no match at all stops the run), finds the
 * channels, builds one row per customer into the cell's view and reads the as-of date and a
 * short summary. Later segmentation cells learn the settings through the segment registry.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import { t } from '../lib/i18n';
import { newCustomerViewSpec, renamed, type CustomersCell } from '../lib/notebook/cells-segment';
import { channelValuesSql, customerViewColumns, customerViewSql, joinCheckSql, joinMessages, orderLinesCtes, validateCustomerViewSpec, type CustomerViewSpec, type JoinCheck, type JoinMessage } from '../lib/segment/customer-view';
import { ident } from '../lib/sql/quote';
import { runToView, type CellKindRuntime } from './cell-kinds';
import type { EngineState } from './engine.svelte';
import { missingRelation, relationOf, rows, stopOn, viewRunFigures } from './segment-common';
import { segmentRegistry } from './segment-registry.svelte';
import type { TablesState } from './tables.svelte';

/** At most this many channels get a share column. */
const MAX_CHANNELS = 12;

/** A short summary of the view. */
export interface CustomersSummary {
  customers: number;
  buyers: number;
  new_customers: number;
  revenue: number | null;
}

/** Everything a customer-view run shows. */
export interface CustomersResult {
  view: string;
  rows: number;
  columns: ColumnInfo[];
  elapsedMs: number;
  /** The view's query alone. */
  viewMs: number;
  /** The SELECT behind the view, as run. */
  sql: string;
  asOf: string;
  channels: string[];
  /** Notes and warnings about the join (errors stop the run instead). */
  messages: JoinMessage[];
  join: JoinCheck | null;
  summary: CustomersSummary;
  spec: CustomerViewSpec;
}

/** Runs a customer-view cell (a plain snapshot); throws SegmentInputError with what to change. */
export async function runCustomersCell(engine: EngineState, tables: TablesState, cell: CustomersCell, previousView: string | undefined): Promise<CustomersResult> {
  const t0 = performance.now();
  const orders = relationOf(tables, cell.spec.orders);
  if (!orders) stopOn([cell.spec.orders ? missingRelation(cell.spec.orders) : t('seg.cv.err.noOrders')]);
  const customers = cell.spec.customers ? relationOf(tables, cell.spec.customers) : undefined;
  if (cell.spec.customers && !customers) stopOn([missingRelation(cell.spec.customers)]);
  if (customers && customers.name.toLowerCase() === orders!.name.toLowerCase()) stopOn([t('seg.cv.err.sameTable')]);
  const spec: CustomerViewSpec = { ...cell.spec, orders: orders!.name, customers: customers?.name ?? null, roles: { ...cell.spec.roles } };
  const customerColumns = customers?.columns ?? [];
  stopOn(validateCustomerViewSpec(spec, orders!.columns, customerColumns));

  let join: JoinCheck | null = null;
  let messages: JoinMessage[] = [];
  if (spec.customers) {
    [join] = await rows<JoinCheck>(engine, joinCheckSql(spec, customerColumns));
    messages = joinMessages(join, spec);
    const errors = messages.filter((m) => m.severity === 'error');
    if (errors.length) stopOn(errors.map((m) => m.message));
  }

  const [asOfRow] = await rows<{ as_of: string | null }>(engine, `WITH\n${orderLinesCtes({ ...spec, customers: null }, [])}\nSELECT CAST(as_of AS VARCHAR) AS as_of FROM cv_as_of`);
  if (!asOfRow?.as_of) stopOn([t('seg.cv.err.noOrdersRows', { table: spec.orders })]);
  const asOf = asOfRow.as_of!;
  const channels = spec.roles.channel ? (await rows<{ channel: string }>(engine, channelValuesSql(spec, MAX_CHANNELS))).map((r) => r.channel) : [];
  const sql = customerViewSql(spec, customerColumns, channels);
  const result = await engine.track(engine.client.runCell(cell.name, sql, previousView));
  const view = cell.name;
  const [summary] = await rows<CustomersSummary>(
    engine,
    `SELECT count(*) AS customers, count(*) FILTER (WHERE orders > 0) AS buyers, count(*) FILTER (WHERE customer_status = 'new') AS new_customers, sum(revenue) AS revenue FROM ${ident(view)}`,
  );
  const attributes = customerViewColumns(spec, customerColumns, channels).filter((c) => c.source === 'attribute').map((c) => c.name);
  segmentRegistry.rememberCustomerView({ cellId: cell.id, view, spec, customerColumns, columns: result.columns, asOf, attributes });
  return {
    ...viewRunFigures(view, sql, result, t0),
    rows: result.rows,
    viewMs: result.elapsedMs,
    asOf,
    channels,
    messages,
    join,
    summary,
    spec,
  };
}

/** The customer-view cell kind. */
export const customersRuntime: CellKindRuntime<CustomersCell> = {
  kind: 'customers',
  create: (base, tables) => ({ ...base, kind: 'customers', spec: newCustomerViewSpec(tables.relations) }),
  run: runToView((cell, ctx) => runCustomersCell(ctx.engine, ctx.tables, cell, ctx.previousView)),
  reads: (cell) => [cell.spec.orders, ...(cell.spec.customers ? [cell.spec.customers] : [])].filter(Boolean),
  renameSource(cell, from, to) {
    cell.spec.orders = renamed(cell.spec.orders, from, to);
    if (cell.spec.customers) cell.spec.customers = renamed(cell.spec.customers, from, to);
  },
  async remove(cell) {
    segmentRegistry.forget(cell.id);
  },
};
