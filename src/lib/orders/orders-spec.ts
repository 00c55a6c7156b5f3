/**
 * The orders model: the one place where a notebook says what a purchase is — the source table and
 * its joins, which column plays which role, how the amount is computed, which statuses count, and
 * what happens to refunds. `orders-sql.ts` turns it into one clean-purchases view; nothing here
 * touches a database.
 */

/** A column of the source table or of one of its joined tables. */
export interface ColumnRef {
  table: string;
  column: string;
}

/** A table joined onto the source: `table.key = on.table.on.column`. Rows of `table` per key may be many (summed) or one. */
export interface OrdersJoin {
  table: string;
  key: string;
  on: ColumnRef;
}

/** Every role a column can play in the model. */
export interface OrdersRoles {
  customer: ColumnRef | null;
  orderId: ColumnRef | null;
  orderDate: ColumnRef | null;
  amount: ColumnRef | null;
  quantity: ColumnRef | null;
  unitPrice: ColumnRef | null;
  refund: ColumnRef | null;
  status: ColumnRef | null;
  product: ColumnRef | null;
  category: ColumnRef | null;
  channel: ColumnRef | null;
  discount: ColumnRef | null;
}

/** A role name. */
export type OrdersRole = keyof OrdersRoles;

/** The roles in the order the page lists them. */
export const ORDERS_ROLES: readonly OrdersRole[] = [
  'customer', 'orderId', 'orderDate', 'amount', 'quantity', 'unitPrice', 'refund', 'status', 'product', 'category', 'channel', 'discount',
];

/** What a row with a given status is. */
export type StatusKind = 'purchase' | 'refund' | 'excluded';

/** The status value's kind as the user (or a preset) set it. */
export interface StatusRule {
  value: string;
  kind: StatusKind;
}

/** The whole model. */
export interface OrdersModelSpec {
  /** The table holding one row per order or order line ('' = not chosen). */
  source: string;
  joins: OrdersJoin[];
  roles: OrdersRoles;
  /** The amount of a row: the amount column, or quantity × unit price. */
  amountMode: 'column' | 'quantity-price';
  /** Status values and their kinds; values not listed follow `otherStatuses`. */
  statuses: StatusRule[];
  /** Kind of status values not in `statuses` (new values, or a status column chosen later). */
  otherStatuses: StatusKind;
  /** Order ids made of this prefix and digits (C536379) are cancellations; '' = none. */
  cancelPrefix: string;
  /** Refunds, returns and cancellations: netted against spend, or left out. */
  refunds: 'net' | 'exclude';
}

/** The column names of the clean purchases view, in order. Later cells read these. */
export const PURCHASE_COLUMNS = ['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'product', 'category', 'channel', 'discount', 'status'] as const;

/** An empty role set. */
export function emptyRoles(): OrdersRoles {
  return {
    customer: null, orderId: null, orderDate: null, amount: null, quantity: null, unitPrice: null,
    refund: null, status: null, product: null, category: null, channel: null, discount: null,
  };
}

/** A model with nothing chosen yet. */
export function emptyOrdersSpec(): OrdersModelSpec {
  return { source: '', joins: [], roles: emptyRoles(), amountMode: 'column', statuses: [], otherStatuses: 'purchase', cancelPrefix: 'C', refunds: 'net' };
}

/** The tables a model reads: the source, then each joined table. */
export function modelTables(spec: OrdersModelSpec): string[] {
  return spec.source ? [spec.source, ...spec.joins.map((j) => j.table)] : [];
}

/** Problems that keep the model from running, as catalogue keys with parameters. */
export interface ModelProblem {
  key: import('../i18n').MessageKey;
  params?: Record<string, string | number>;
}

/** Problems a model has before any data is read (missing roles, joins on unknown tables). */
export function validateOrdersSpec(spec: OrdersModelSpec): ModelProblem[] {
  const problems: ModelProblem[] = [];
  if (!spec.source) return [{ key: 'om.err.noSource' }];
  const tables = new Set(modelTables(spec).map((t) => t.toLowerCase()));
  if (tables.size !== modelTables(spec).length) problems.push({ key: 'om.err.joinTwice' });
  const { roles } = spec;
  if (!roles.customer) problems.push({ key: 'om.err.noRole', params: { role: 'customer' } });
  if (!roles.orderDate) problems.push({ key: 'om.err.noRole', params: { role: 'orderDate' } });
  if (spec.amountMode === 'column' && !roles.amount) problems.push({ key: 'om.err.noRole', params: { role: 'amount' } });
  if (spec.amountMode === 'quantity-price') {
    if (!roles.quantity) problems.push({ key: 'om.err.noRole', params: { role: 'quantity' } });
    if (!roles.unitPrice) problems.push({ key: 'om.err.noRole', params: { role: 'unitPrice' } });
    if (roles.quantity && roles.unitPrice && roles.quantity.table !== roles.unitPrice.table) problems.push({ key: 'om.err.priceTables' });
  }
  for (const role of Object.keys(roles) as OrdersRole[]) {
    const ref = roles[role];
    if (ref && !tables.has(ref.table.toLowerCase())) problems.push({ key: 'om.err.roleTable', params: { role, table: ref.table } });
  }
  for (const j of spec.joins) {
    if (!tables.has(j.on.table.toLowerCase())) problems.push({ key: 'om.err.joinOn', params: { table: j.table, on: j.on.table } });
  }
  return problems;
}
