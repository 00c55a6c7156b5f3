/**
 * The segmentation cells (issue 5): the customer view, attribute segmentation, the segment builder
 * and segment comparison. Each keeps its settings here; the SQL builders in lib/segment turn them
 * into queries. Also the settings a new cell starts with, guessed from the loaded relations.
 */
import type { BandSpec } from '../segment/attribute-bands';
import { columnKind, isNumericKind, type ColumnInfo } from '../segment/column-kinds';
import { guessRoles } from '../segment/column-roles';
import type { Group } from '../segment/conditions';
import type { CustomerViewRoles, CustomerViewSpec } from '../segment/customer-view';
import { guessIdColumn, guessRevenueColumn, looksLikeIdColumn } from '../segment/segment-sources';
import { segmentLabel } from '../segment/builtin-names';

interface SegmentCellBase {
  id: string;
  name: string;
}

/**
 * One row per customer from an orders table (and a customers table, when chosen): behavioural
 * features next to every customer attribute; the result is a view named after the cell. In
 * `spec`, '' for `orders` or a required role means "not chosen yet".
 */
export interface CustomersCell extends SegmentCellBase {
  kind: 'customers';
  spec: CustomerViewSpec;
}

/** Customers grouped by one or two columns of a relation; the group table is a view named after the cell. */
export interface AttributesCell extends SegmentCellBase {
  kind: 'attributes';
  /** The relation to group (usually a customer view). */
  source: string;
  /** One or two band specs. */
  bands: BandSpec[];
  /** Revenue and orders per customer (null = none). */
  revenue: string | null;
  orders: string | null;
  /**
   * A rate by group (issue 14): the share of rows where `column` = `value` within the groups of
   * the bands, plus an optional third grouping column; null/absent = none.
   */
  rate?: AttributesRate | null;
}

/** The rate measure of an attributes cell. */
export interface AttributesRate {
  column: string;
  value: string;
  /** Groups with fewer rows with a value are greyed. */
  minBase: number;
  /** A third grouping column for the rate table only. */
  third: BandSpec | null;
}

/** A segment built from conditions; saved, its customers are a view named after the cell. */
export interface SegmentCell extends SegmentCellBase {
  kind: 'segment';
  /** The relation whose rows are customers (a customer view, an RFM result, any table). */
  source: string;
  /** An RFM result joined onto the source by customer id, or null. */
  rfm: string | null;
  tree: Group;
  /** The revenue column for the live count and the profile (null = none). */
  revenue: string | null;
  /** yyyy-mm-dd for 'within the last N days'; null = the customer view's as-of date. */
  asOf: string | null;
}

/** One segment to compare. */
export type SegmentRef =
  /** A saved segment (or any relation of customers): every row's customer id. */
  | { kind: 'saved'; view: string }
  /** One segment of an RFM result. */
  | { kind: 'rfm'; view: string; segment: string }
  /** One group (band 1, band 2 positions from 1) of an attributes cell. */
  | { kind: 'group'; view: string; band1: number; band2: number | null; label: string };

/** Two or more segments side by side against all customers of `base`. */
export interface CompareCell extends SegmentCellBase {
  kind: 'compare';
  /** The relation of all customers (usually a customer view). */
  base: string;
  segments: SegmentRef[];
}

/** Any segmentation cell. */
export type SegmentFamilyCell = CustomersCell | AttributesCell | SegmentCell | CompareCell;

/** A relation a new cell can read. */
export interface RelationCandidate {
  name: string;
  kind?: 'table' | 'view';
  columns: ColumnInfo[];
}

const CHANNEL = /channel|渠道|平台|来源|^(source|platform|medium)$/i;
const CATEGORY = /categor|department|product_?type|品类|类别|分类|类目/i;
const DISCOUNT = /discount|promo|coupon|voucher|折扣|优惠|促销/i;

/** Channel, category and discount columns of an orders table, guessed by name (null = none). */
export function guessExtraRoles(columns: readonly ColumnInfo[], taken: readonly string[] = []): Pick<CustomerViewRoles, 'channel' | 'category' | 'discount'> {
  const used = new Set(taken);
  const pick = (re: RegExp, ok: (c: ColumnInfo) => boolean = () => true): string | null => {
    const c = columns.find((col) => !used.has(col.name) && re.test(col.name) && ok(col));
    if (c) used.add(c.name);
    return c ? c.name : null;
  };
  const notDate = (c: ColumnInfo) => !/^(DATE|TIMESTAMP)/i.test(c.type);
  return { channel: pick(CHANNEL, notDate), category: pick(CATEGORY, notDate), discount: pick(DISCOUNT, notDate) };
}

/** Roles of an orders relation: the RFM guesses (customer, date, amount, order id) plus channel, category, discount. */
export function guessCustomerViewRoles(columns: readonly ColumnInfo[]): CustomerViewRoles {
  const r = guessRoles([...columns]);
  const base = { customerId: r.customerId ?? '', orderDate: r.orderDate ?? '', amount: r.amount ?? '', orderId: r.orderId };
  const taken = [base.customerId, base.orderDate, base.amount, base.orderId ?? ''].filter(Boolean);
  return { ...base, ...guessExtraRoles(columns, taken) };
}

/** The customer id column of a customers table for an orders id column: the same name, else the guess. */
export function guessCustomersId(columns: readonly ColumnInfo[], ordersCustomerId: string): string | null {
  const same = columns.find((c) => c.name.toLowerCase() === ordersCustomerId.toLowerCase() && ordersCustomerId !== '');
  return same?.name ?? guessRoles([...columns]).customerId ?? guessIdColumn(columns);
}

/**
 * The settings of a new customer view: the first relation that looks like orders (customer id,
 * date and amount guessed) with its roles; as customers table the first other table (not a cell
 * result) holding that customer id column and no order dates or amounts.
 */
export function newCustomerViewSpec(relations: readonly RelationCandidate[]): CustomerViewSpec {
  const guessed = relations.map((r) => ({ r, roles: guessRoles([...r.columns]) }));
  const orders = guessed.find((g) => g.roles.customerId && g.roles.orderDate && g.roles.amount)?.r;
  const empty: CustomerViewSpec = {
    orders: '',
    customers: null,
    roles: { customerId: '', orderDate: '', amount: '', orderId: null, channel: null, category: null, discount: null },
    customersId: null,
    asOf: null,
    newWithinDays: 90,
  };
  if (!orders) return empty;
  const roles = guessCustomerViewRoles(orders.columns);
  const customers = relations.find((r) => {
    if (r.name === orders.name || r.kind === 'view') return false;
    const g = guessRoles([...r.columns]);
    const hasId = r.columns.some((c) => c.name.toLowerCase() === roles.customerId.toLowerCase()) || g.customerId !== null;
    return hasId && !(g.orderDate && g.amount);
  });
  return { ...empty, orders: orders.name, roles, customers: customers?.name ?? null, customersId: customers ? guessCustomersId(customers.columns, roles.customerId) : null };
}

/** The settings of a customer view after its orders table changed: roles guessed afresh, the rest kept. */
export function customerViewSpecForOrders(orders: RelationCandidate, previous: CustomerViewSpec): CustomerViewSpec {
  return { ...previous, orders: orders.name, roles: guessCustomerViewRoles(orders.columns) };
}

/** A relation that looks like a customer view (one row per customer with features), as names go. */
export function looksLikeCustomerView(columns: readonly ColumnInfo[]): boolean {
  const names = new Set(columns.map((c) => c.name));
  return names.has('customer_id') && names.has('orders') && names.has('revenue');
}

/** A band spec for `column`: categories for text and booleans, 4 quantile bands for numbers. */
export function defaultBand(column: ColumnInfo): BandSpec {
  return isNumericKind(columnKind(column.type)) ? { column: column.name, kind: 'quantile', bins: 4 } : { column: column.name, kind: 'category', minShare: 0.01, maxGroups: 20 };
}

/** Columns worth grouping by: everything but the id column, dates and odd types. */
export function groupableColumns(columns: readonly ColumnInfo[], idColumn: string | null): ColumnInfo[] {
  return columns.filter((c) => {
    if (c.name === idColumn) return false;
    const k = columnKind(c.type);
    return k === 'text' || k === 'boolean' || isNumericKind(k);
  });
}

/**
 * The first attribute to group by in `columns`: with `preferred` (the customer attributes of a
 * customer view), the first of those with a text type; else the first text column, else the first
 * numeric one.
 */
function firstBandColumn(columns: readonly ColumnInfo[], preferred: readonly string[], avoid: ReadonlySet<string> = new Set()): ColumnInfo | undefined {
  // Id-like columns stay choosable but are never the default group (issue 14).
  const candidates = groupableColumns(columns, guessIdColumn(columns)).filter((c) => !looksLikeIdColumn(c.name) && !avoid.has(c.name));
  const text = (c: ColumnInfo) => columnKind(c.type) === 'text';
  return candidates.find((c) => preferred.includes(c.name) && text(c)) ?? candidates.find((c) => preferred.includes(c.name)) ?? candidates.find(text) ?? candidates[0];
}

/**
 * Settings of a new attributes cell over `source` (or, when null, the first customer view among
 * `customerViews`, else the first relation that looks like one, else the first relation); grouped
 * by its first attribute. `attributes` = customer attribute names of known customer views.
 */
export function newAttributesSettings(
  relations: readonly RelationCandidate[],
  customerViews: readonly { view: string; attributes: readonly string[] }[],
): Pick<AttributesCell, 'source' | 'bands' | 'revenue' | 'orders'> {
  const byName = (n: string) => relations.find((r) => r.name.toLowerCase() === n.toLowerCase());
  const known = customerViews.map((v) => ({ rel: byName(v.view), attrs: v.attributes })).find((v) => v.rel);
  const rel = known?.rel ?? relations.find((r) => looksLikeCustomerView(r.columns)) ?? relations[0];
  if (!rel) return { source: '', bands: [], revenue: null, orders: null };
  return attributesSettingsFor(rel, known?.rel === rel ? known.attrs : []);
}

/**
 * Settings of an attributes cell pointed at `rel`: its first attribute, its revenue and orders
 * columns. Columns in `avoid` (e.g. text columns found mostly distinct: names, e-mails) are not
 * picked as the first attribute.
 */
export function attributesSettingsFor(rel: RelationCandidate, preferred: readonly string[] = [], avoid: ReadonlySet<string> = new Set()): Pick<AttributesCell, 'source' | 'bands' | 'revenue' | 'orders'> {
  const first = firstBandColumn(rel.columns, preferred, avoid);
  const orders = rel.columns.find((c) => c.name === 'orders' && isNumericKind(columnKind(c.type)))?.name ?? null;
  return { source: rel.name, bands: first ? [defaultBand(first)] : [], revenue: guessRevenueColumn(rel.columns), orders };
}

/** Settings of a new segment cell: over the first customer view (else the first relation), no conditions yet. */
export function newSegmentSettings(relations: readonly RelationCandidate[], customerViews: readonly string[]): Pick<SegmentCell, 'source' | 'rfm' | 'tree' | 'revenue' | 'asOf'> {
  const byName = (n: string) => relations.find((r) => r.name.toLowerCase() === n.toLowerCase());
  const rel = customerViews.map(byName).find(Boolean) ?? relations.find((r) => looksLikeCustomerView(r.columns)) ?? relations[0];
  return { source: rel?.name ?? '', rfm: null, tree: { kind: 'group', op: 'and', items: [] }, revenue: rel ? guessRevenueColumn(rel.columns) : null, asOf: null };
}

/** Settings of a new compare cell: all customers of the first customer view (else the first relation), no segments yet. */
export function newCompareSettings(relations: readonly RelationCandidate[], customerViews: readonly string[]): Pick<CompareCell, 'base' | 'segments'> {
  const byName = (n: string) => relations.find((r) => r.name.toLowerCase() === n.toLowerCase());
  const rel = customerViews.map(byName).find(Boolean) ?? relations.find((r) => looksLikeCustomerView(r.columns)) ?? relations[0];
  return { base: rel?.name ?? '', segments: [] };
}

/** The relation names a segment reference reads. */
export function refReads(ref: SegmentRef): string {
  return ref.view;
}

/** How a segment reference reads in tables and charts: the view, or "view: segment". */
export function refLabel(ref: SegmentRef): string {
  if (ref.kind === 'saved') return ref.view;
  if (ref.kind === 'rfm') return `${ref.view}: ${segmentLabel(ref.segment)}`;
  return `${ref.view}: ${ref.label}`;
}

/** `name` with `from` replaced by `to` when it names the renamed relation (case-insensitive, as DuckDB). */
export function renamed(name: string, from: string, to: string): string {
  return name.toLowerCase() === from.toLowerCase() ? to : name;
}
