/**
 * The customer view: one row per customer, built from an orders table and, when given, a
 * customers table — behavioural features next to every customer attribute. Other cells
 * segment, band and profile this view.
 *
 * Definitions:
 * - Rows used: customer id not null, date reads as a date (TRY_CAST, as in RFM), amount reads as a
 *   number, date before the as-of date. as-of: the spec's date, else the day after the latest such
 *   row. Rows on or after a given as-of date are its future and are left out.
 * - Purchases and refunds: a row with amount >= 0 is a purchase line, amount < 0 a refund. Refunds
 *   never count as orders and never set first/last order; they are netted in `revenue`.
 * - An order is a distinct order id among a customer's purchase lines (a line with a null order id
 *   is its own order), or a purchase line when there is no order id column.
 * - first_order, last_order: first and last purchase date (DATE). tenure_days = as_of - first_order.
 * - orders; revenue = purchases + refunds, rounded to cents (DOUBLE);
 *   avg_order_value = round(revenue / orders, 2); avg_days_between_orders =
 *   (last_order - first_order) / (orders - 1), NULL below 2 orders.
 * - Channel (when the role is set): share_<channel> = orders with a line in that channel / orders
 *   (orders without a channel count in the denominator only); channel_count = distinct channels;
 *   top_channel = the channel with most orders (ties: larger spend, then name); preferred_channel =
 *   the only channel, 'multi-channel' when there are several, NULL without orders or channels.
 *   Channel and category values are read as trimmed text; blank counts as no value.
 * - Category (when set): top_category = most orders containing it (ties: larger spend, then name
 *   ascending); category_count = distinct categories bought.
 * - Discount (when set): discount_share = orders with a discounted line / orders. A line is
 *   discounted when its discount value is a number other than 0, true, or text other than
 *   '', '0', 'false', 'no', 'n', 'f'.
 * - refunds = refund rows; refund_amount = their total as a positive number; refund_share =
 *   refund_amount / purchase amount (NULL when nothing was bought).
 * - customer_status: 'no orders' when orders = 0; 'new' when the first order is within the last
 *   `newWithinDays` days before as-of (as_of - newWithinDays <= first_order < as_of, i.e.
 *   tenure_days <= newWithinDays); 'returning' otherwise.
 * - Join with a customers table (a FULL join on the customer id): customers without orders are
 *   kept with orders = 0, revenue = 0 and NULL order features; order customers missing from the
 *   customers table are kept with NULL attributes. Ids are matched as text, numbers normalised to
 *   the customers id type first (so 17850.0 in orders matches 17850), and `customer_id` is then
 *   VARCHAR. Rows of the customers table with a NULL id are left out; a duplicated id keeps one row
 *   (the first by its attribute values). `joinCheckSql` counts all of these.
 * - Column names: feature names are fixed; a customer attribute whose name clashes with one
 *   (case-insensitively, as DuckDB compares names) is renamed `<name>_attr` (see
 *   `customerViewColumns`); the customers table's id column is not repeated.
 */
import { date, ident, num, str } from '../sql/quote';
import { columnKind, findColumn, isIsoDate, isNumericKind, safeTypeName, type ColumnInfo } from './column-kinds';
import { amountExpr, orderDateExpr } from './rfm-sql';
import { t } from '../i18n';

/** Which orders columns hold what; null = the table has no such column. */
export interface CustomerViewRoles {
  customerId: string;
  orderDate: string;
  amount: string;
  orderId: string | null;
  channel: string | null;
  category: string | null;
  discount: string | null;
}

/** Everything needed to build the customer view. */
export interface CustomerViewSpec {
  /** Table or view with one row per order (or order line). */
  orders: string;
  /** Table or view with one row per customer, or null. */
  customers: string | null;
  roles: CustomerViewRoles;
  /** The customer id column of `customers` (required when `customers` is set). */
  customersId: string | null;
  /** yyyy-mm-dd; null = the day after the latest order. */
  asOf: string | null;
  /** A customer is 'new' when their first order is at most this many days before as-of. */
  newWithinDays: number;
}

/** Where an output column of the customer view comes from. */
export interface CustomerViewColumn {
  /** Name in the view. */
  name: string;
  source: 'feature' | 'channel-share' | 'attribute';
  /** The channel value (channel-share) or the customers table column (attribute). */
  from: string | null;
}

const ORDER_FEATURES = ['customer_id', 'first_order', 'last_order', 'tenure_days', 'orders', 'revenue', 'avg_order_value', 'avg_days_between_orders'];
const CHANNEL_FEATURES = ['channel_count', 'top_channel', 'preferred_channel'];
const CATEGORY_FEATURES = ['top_category', 'category_count'];
const DISCOUNT_FEATURES = ['discount_share'];
const TAIL_FEATURES = ['refunds', 'refund_amount', 'refund_share', 'customer_status'];

/** The value of `preferred_channel` for customers who ordered in more than one channel. */
export const MULTI_CHANNEL = 'multi-channel';

/** `base`, or `base` with the first free suffix, avoiding `taken` (lower-case); records the choice. */
function uniqueName(base: string, taken: Set<string>, suffix: string): string {
  let name = taken.has(base.toLowerCase()) ? `${base}${suffix}` : base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}${suffix}${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The columns of `customerViewSql(spec, customerColumns, channels)`, in order, with where each
 * comes from: the fixed features (those of unset roles left out), one share_<channel> per channel
 * value, then the customer attributes (renamed `<name>_attr` on a clash).
 */
export function customerViewColumns(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[], channels: readonly string[] = []): CustomerViewColumn[] {
  const { roles } = spec;
  const fixed = [
    ...ORDER_FEATURES,
    ...(roles.channel ? CHANNEL_FEATURES : []),
    ...(roles.category ? CATEGORY_FEATURES : []),
    ...(roles.discount ? DISCOUNT_FEATURES : []),
    ...TAIL_FEATURES,
  ];
  const taken = new Set(fixed.map((f) => f.toLowerCase()));
  const out: CustomerViewColumn[] = ORDER_FEATURES.map((name) => ({ name, source: 'feature', from: null }));
  if (roles.channel) {
    for (const ch of channels) out.push({ name: uniqueName(`share_${ch}`, taken, '_'), source: 'channel-share', from: ch });
  }
  for (const name of fixed.slice(ORDER_FEATURES.length)) out.push({ name, source: 'feature', from: null });
  if (spec.customers) {
    for (const c of customerColumns) {
      if (c.name === spec.customersId) continue;
      out.push({ name: uniqueName(c.name, taken, '_attr'), source: 'attribute', from: c.name });
    }
  }
  return out;
}

/**
 * Problems that make a spec unusable, as messages a user can act on: a role or id column that is
 * not (or no longer) a column of its table, a customers table without an id column, a bad as-of
 * date or day count. `orderColumns` / `customerColumns` as DESCRIBE lists them.
 */
export function validateCustomerViewSpec(spec: CustomerViewSpec, orderColumns: readonly ColumnInfo[], customerColumns: readonly ColumnInfo[]): string[] {
  const problems: string[] = [];
  const roles: (keyof CustomerViewRoles)[] = ['customerId', 'orderDate', 'amount', 'orderId', 'channel', 'category', 'discount'];
  for (const role of roles) {
    const name = spec.roles[role];
    if (name === null) continue;
    const label = t(`msg.cv.role.${role}`);
    if (!name) problems.push(t('msg.cv.chooseRole', { role: label }));
    else if (!findColumn(orderColumns, name)) problems.push(t('msg.cv.roleGone', { name, table: spec.orders, role: label }));
  }
  const amount = findColumn(orderColumns, spec.roles.amount);
  if (amount && !isNumericKind(columnKind(amount.type))) problems.push(t('msg.cv.amountNotNumber', { name: amount.name, type: amount.type }));
  if (spec.customers) {
    if (!spec.customersId) problems.push(t('msg.cv.chooseCustomersId', { table: spec.customers }));
    else if (!findColumn(customerColumns, spec.customersId)) problems.push(t('msg.cv.customersIdGone', { name: spec.customersId, table: spec.customers }));
  }
  if (spec.asOf !== null && !isIsoDate(spec.asOf)) problems.push(t('msg.cv.badAsOf', { asOf: spec.asOf }));
  if (!Number.isInteger(spec.newWithinDays) || spec.newWithinDays < 0) problems.push(t('msg.cv.badNewWithin', { value: String(spec.newWithinDays) }));
  return problems;
}

/** The text form of a channel / category value: trimmed, blank = NULL. */
function textValue(column: string): string {
  return `nullif(trim(CAST(${ident(column)} AS VARCHAR)), '')`;
}

/** Whether a discount value marks the line as discounted (see the module comment). */
function discountedExpr(column: string): string {
  const c = ident(column);
  return `CASE WHEN ${c} IS NULL THEN FALSE
      WHEN TRY_CAST(${c} AS DOUBLE) IS NOT NULL THEN TRY_CAST(${c} AS DOUBLE) <> 0
      ELSE lower(trim(CAST(${c} AS VARCHAR))) NOT IN ('', '0', 'false', 'no', 'n', 'f') END`;
}

/**
 * The SQL the view uses as the customer id of an orders row: the orders column as it is without a
 * customers table; with one, text — numbers first normalised to the customers id type.
 */
export function orderCustomerKeySql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[]): string {
  const raw = ident(spec.roles.customerId);
  if (!spec.customers) return raw;
  const type = customersIdType(spec, customerColumns);
  if (type === null) return `CAST(${raw} AS VARCHAR)`;
  return `coalesce(CAST(TRY_CAST(${raw} AS ${type}) AS VARCHAR), CAST(${raw} AS VARCHAR))`;
}

/** The SQL the view uses as the customer id of a customers row: text, numbers in their own type first. */
function customersKeySql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[]): string {
  const type = customersIdType(spec, customerColumns);
  const cid = ident(spec.customersId as string);
  return type === null ? `CAST(${cid} AS VARCHAR)` : `CAST(CAST(${cid} AS ${type}) AS VARCHAR)`;
}

/** The customers id type to normalise order ids to, or null to compare the plain text. */
function customersIdType(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[]): string | null {
  if (!spec.customersId) throw new Error(t('msg.cv.chooseCustomersId', { table: spec.customers ?? '' }));
  const col = findColumn(customerColumns, spec.customersId);
  if (!col) throw new Error(t('msg.cv.customersIdGone', { name: spec.customersId, table: spec.customers ?? '' }));
  return isNumericKind(columnKind(col.type)) ? safeTypeName(col.type) : null;
}

/**
 * The CTEs (without WITH) reading the orders as the view does: `cv_source` (all rows, internal
 * names: customer_id, order_date, amount, order_id, channel, category, discounted), `cv_as_of`
 * (one row: as_of) and `cv_lines` (the rows used). Shared with the profile queries so that they
 * see the same orders; count orders over them with `orderCountSql`.
 */
export function orderLinesCtes(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[]): string {
  const { roles } = spec;
  const cols = [
    `${orderCustomerKeySql(spec, customerColumns)} AS customer_id`,
    `${orderDateExpr(roles.orderDate)} AS order_date`,
    `${amountExpr(roles.amount)} AS amount`,
    `${roles.orderId ? ident(roles.orderId) : 'CAST(NULL AS VARCHAR)'} AS order_id`,
    `${roles.channel ? textValue(roles.channel) : 'CAST(NULL AS VARCHAR)'} AS channel`,
    `${roles.category ? textValue(roles.category) : 'CAST(NULL AS VARCHAR)'} AS category`,
    `${roles.discount ? discountedExpr(roles.discount) : 'FALSE'} AS discounted`,
  ];
  const usable = 'customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL';
  const asOf = spec.asOf ? `SELECT ${date(spec.asOf)} AS as_of` : `SELECT max(order_date) + 1 AS as_of FROM cv_source WHERE ${usable}`;
  return `cv_source AS (
  SELECT ${cols.join(',\n    ')}
  FROM ${ident(spec.orders)}
),
cv_as_of AS (
  ${asOf}
),
cv_lines AS (
  SELECT cv_source.* FROM cv_source CROSS JOIN cv_as_of
  WHERE ${usable} AND order_date < as_of
)`;
}

/**
 * The aggregate counting the orders among the `cv_lines` rows of a group that satisfy `filter`
 * (purchase lines only): distinct order ids plus rows with a null order id, or rows when there is
 * no order id column. Groups must not span customers (the same id for two customers is two orders).
 */
export function orderCountSql(spec: Pick<CustomerViewSpec, 'roles'>, filter = 'TRUE'): string {
  const f = `amount >= 0 AND ${filter}`;
  if (!spec.roles.orderId) return `count(*) FILTER (WHERE ${f})`;
  return `(count(DISTINCT order_id) FILTER (WHERE ${f}) + count(*) FILTER (WHERE ${f} AND order_id IS NULL))`;
}

/**
 * The distinct channel values of the orders (purchase lines the view uses), most orders first
 * (ties by value), at most `limit`: rows (channel, orders). Pass the `channel` values to
 * `customerViewSql` to get one share column each.
 */
export function channelValuesSql(spec: CustomerViewSpec, limit = 20): string {
  if (!spec.roles.channel) throw new Error(t('msg.cv.noChannel'));
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit: ${limit}`);
  // The customer key only has to be non-null here, so the customers table is not needed.
  return `WITH
${orderLinesCtes({ ...spec, customers: null }, [])}
SELECT channel, CAST(sum(n) AS BIGINT) AS orders FROM (
  SELECT customer_id, channel, ${orderCountSql(spec)} AS n
  FROM cv_lines
  WHERE amount >= 0 AND channel IS NOT NULL
  GROUP BY customer_id, channel
)
GROUP BY channel
ORDER BY orders DESC, channel
LIMIT ${num(limit)}`;
}

/** Per customer: the top value of `field` (most orders, then larger spend, then value ascending) and the number of values. */
function topCte(spec: CustomerViewSpec, name: string, field: 'channel' | 'category'): string {
  // arg_min over (-orders, -spend, value) picks what a window ranking would, without sorting every group.
  return `${name} AS (
  SELECT customer_id, arg_min(${field}, (-n, -spend, ${field})) AS top_value, count(*) AS value_count FROM (
    SELECT customer_id, ${field}, ${orderCountSql(spec)} AS n, sum(amount) AS spend
    FROM cv_lines
    WHERE amount >= 0 AND ${field} IS NOT NULL
    GROUP BY customer_id, ${field}
  )
  GROUP BY customer_id
)`;
}

/**
 * One SELECT with one row per customer: the features and attributes described in the module
 * comment, in the order of `customerViewColumns`. `customerColumns` are the customers table's
 * columns (DESCRIBE; ignored without a customers table); `channels` the channel values to give a
 * share column (usually the result of `channelValuesSql`). Usable as a CREATE VIEW body.
 */
export function customerViewSql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[], channels: readonly string[] = []): string {
  const { roles } = spec;
  if (!Number.isInteger(spec.newWithinDays) || spec.newWithinDays < 0) throw new Error(`invalid 'new within' days: ${spec.newWithinDays}`);
  const columns = customerViewColumns(spec, customerColumns, channels);
  const shares = columns.filter((c) => c.source === 'channel-share');
  // Order counts as [name, which purchase lines], other aggregates as [name, over lines, combining
  // per-order partials]. With an order id the lines are first grouped per (customer, order id), so
  // orders are counted without DISTINCT aggregates (many of them in one GROUP BY are slow in wasm).
  const counts: [string, string][] = [
    ['orders', 'TRUE'],
    ...shares.map((c, i): [string, string] => [`channel_${i}`, `channel = ${str(c.from as string)}`]),
    ...(roles.discount ? [['discounted_orders', 'discounted'] as [string, string]] : []),
  ];
  const others: [string, string, string][] = [
    ['first_order', 'min(order_date) FILTER (WHERE amount >= 0)', 'min(first_order)'],
    ['last_order', 'max(order_date) FILTER (WHERE amount >= 0)', 'max(last_order)'],
    ['total', 'sum(amount)', 'sum(total)'],
    ['purchases', 'coalesce(sum(amount) FILTER (WHERE amount >= 0), 0)', 'sum(purchases)'],
    ['refunds', 'count(*) FILTER (WHERE amount < 0)', 'CAST(sum(refunds) AS BIGINT)'],
    ['refund_amount', 'coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)', 'sum(refund_amount)'],
  ];
  const purchased = (f: string) => `count(*) FILTER (WHERE amount >= 0 AND ${f})`;
  let features: string;
  if (roles.orderId) {
    const perOrder = [
      ...counts.map(([name, f]) => `CASE WHEN order_id IS NULL THEN ${purchased(f)} ELSE CAST(${purchased(f)} > 0 AS BIGINT) END AS ${name}`),
      ...others.map(([name, agg]) => `${agg} AS ${name}`),
    ];
    const combined = [
      ...counts.map(([name]) => `CAST(sum(${name}) AS BIGINT) AS ${name}`),
      ...others.map(([name, , combine]) => `${combine} AS ${name}`),
    ];
    features = `cv_orders AS (
  SELECT customer_id,
    ${perOrder.join(',\n    ')}
  FROM cv_lines
  GROUP BY customer_id, order_id
),
cv_features AS (
  SELECT customer_id,
    ${combined.join(',\n    ')}
  FROM cv_orders
  GROUP BY customer_id
)`;
  } else {
    const direct = [...counts.map(([name, f]) => `${purchased(f)} AS ${name}`), ...others.map(([name, agg]) => `${agg} AS ${name}`)];
    features = `cv_features AS (
  SELECT customer_id,
    ${direct.join(',\n    ')}
  FROM cv_lines
  GROUP BY customer_id
)`;
  }
  const ctes = [orderLinesCtes(spec, customerColumns), features];
  if (roles.channel) ctes.push(topCte(spec, 'cv_top_channel', 'channel'));
  if (roles.category) ctes.push(topCte(spec, 'cv_top_category', 'category'));

  const attributes = columns.filter((c) => c.source === 'attribute');
  const joined = spec.customers !== null;
  if (joined) {
    const cid = ident(spec.customersId as string);
    const key = customersKeySql(spec, customerColumns);
    const attrCols = attributes.map((a) => `${ident(a.from as string)} AS ${ident(a.name)}`);
    const order = attributes.length ? attributes.map((a) => `${ident(a.from as string)} NULLS LAST`).join(', ') : 'customer_key';
    ctes.push(`cv_customers AS (
  SELECT ${[`${key} AS customer_key`, ...attrCols].join(', ')}
  FROM ${ident(spec.customers as string)}
  WHERE ${cid} IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY customer_key ORDER BY ${order}) = 1
)`);
  }

  const has = 'coalesce(f.orders, 0) > 0';
  const byName: Record<string, string> = {
    customer_id: joined ? 'coalesce(f.customer_id, c.customer_key)' : 'f.customer_id',
    first_order: 'f.first_order',
    last_order: 'f.last_order',
    tenure_days: 'CAST(a.as_of - f.first_order AS INTEGER)',
    orders: 'coalesce(f.orders, 0)',
    revenue: 'CAST(round(coalesce(f.total, 0), 2) AS DOUBLE)',
    avg_order_value: `CASE WHEN ${has} THEN round(CAST(f.total AS DOUBLE) / f.orders, 2) END`,
    avg_days_between_orders: 'CASE WHEN f.orders >= 2 THEN CAST(f.last_order - f.first_order AS DOUBLE) / (f.orders - 1) END',
    channel_count: 'coalesce(tch.value_count, 0)',
    top_channel: 'tch.top_value',
    preferred_channel: `CASE WHEN tch.value_count = 1 THEN tch.top_value WHEN tch.value_count > 1 THEN ${str(MULTI_CHANNEL)} END`,
    top_category: 'tca.top_value',
    category_count: 'coalesce(tca.value_count, 0)',
    discount_share: `CASE WHEN ${has} THEN f.discounted_orders / f.orders END`,
    refunds: 'coalesce(f.refunds, 0)',
    refund_amount: 'CAST(round(coalesce(f.refund_amount, 0), 2) AS DOUBLE)',
    refund_share: 'CAST(f.refund_amount AS DOUBLE) / nullif(CAST(f.purchases AS DOUBLE), 0)',
    customer_status: `CASE WHEN NOT (${has}) THEN 'no orders' WHEN f.first_order >= a.as_of - ${num(spec.newWithinDays)} THEN 'new' ELSE 'returning' END`,
  };
  const select = columns.map((c) => {
    if (c.source === 'feature') return `${byName[c.name]} AS ${ident(c.name)}`;
    if (c.source === 'channel-share') return `CASE WHEN ${has} THEN f.channel_${shares.indexOf(c)} / f.orders END AS ${ident(c.name)}`;
    return `c.${ident(c.name)}`;
  });
  const from = [
    joined ? 'cv_features f\nFULL JOIN cv_customers c ON c.customer_key = f.customer_id' : 'cv_features f',
    ...(roles.channel ? ['LEFT JOIN cv_top_channel tch ON tch.customer_id = f.customer_id'] : []),
    ...(roles.category ? ['LEFT JOIN cv_top_category tca ON tca.customer_id = f.customer_id'] : []),
    'CROSS JOIN cv_as_of a',
  ];
  return `WITH
${ctes.join(',\n')}
SELECT ${select.join(',\n  ')}
FROM ${from.join('\n')}`;
}

/** The one row `joinCheckSql` returns. */
export interface JoinCheck {
  /** Distinct customer ids among the orders the view uses. */
  order_customers: number;
  /** Distinct non-null ids in the customers table. */
  customers: number;
  /** Ids in both. */
  matched: number;
  /** Order customer ids not in the customers table (kept, with empty attributes). */
  orders_without_customer: number;
  /** Customers table ids with no used order (kept, with 0 orders). */
  customers_without_orders: number;
  /** Ids that occur on more than one customers row (one row kept). */
  duplicate_customer_ids: number;
  /** Customers rows with a NULL id (left out). */
  customers_null_ids: number;
  /** Up to 3 examples of each unmatched kind, as 'a', 'b' text (smallest ids first); null when none. */
  examples_orders_without_customer: string | null;
  examples_customers_without_orders: string | null;
}

/**
 * One row of counts for the join between orders and customers, read exactly as
 * `customerViewSql` joins them: see `JoinCheck`. Needs a customers table.
 */
export function joinCheckSql(spec: CustomerViewSpec, customerColumns: readonly ColumnInfo[]): string {
  if (!spec.customers) throw new Error(t('msg.cv.noCustomersTable'));
  const cid = ident(spec.customersId as string);
  const key = customersKeySql(spec, customerColumns);
  const examples = (from: string) =>
    `(SELECT string_agg('''' || CAST(id AS VARCHAR) || '''', ', ' ORDER BY id) FROM (SELECT id FROM ${from} ORDER BY id LIMIT 3))`;
  return `WITH
${orderLinesCtes(spec, customerColumns)},
jc_orders AS (SELECT DISTINCT customer_id AS id FROM cv_lines),
jc_customers AS (
  SELECT ${key} AS id, count(*) AS n FROM ${ident(spec.customers)} WHERE ${cid} IS NOT NULL GROUP BY 1
),
jc_orders_only AS (SELECT id FROM jc_orders WHERE id NOT IN (SELECT id FROM jc_customers)),
jc_customers_only AS (SELECT id FROM jc_customers WHERE id NOT IN (SELECT id FROM jc_orders))
SELECT (SELECT count(*) FROM jc_orders) AS order_customers,
  (SELECT count(*) FROM jc_customers) AS customers,
  (SELECT count(*) FROM jc_orders) - (SELECT count(*) FROM jc_orders_only) AS matched,
  (SELECT count(*) FROM jc_orders_only) AS orders_without_customer,
  (SELECT count(*) FROM jc_customers_only) AS customers_without_orders,
  (SELECT count(*) FROM jc_customers WHERE n > 1) AS duplicate_customer_ids,
  (SELECT count(*) FROM ${ident(spec.customers)} WHERE ${cid} IS NULL) AS customers_null_ids,
  ${examples('jc_orders_only')} AS examples_orders_without_customer,
  ${examples('jc_customers_only')} AS examples_customers_without_orders`;
}

/** A message about the join: errors mean the view would be useless, warnings and notes inform. */
export interface JoinMessage {
  severity: 'error' | 'warning' | 'info';
  message: string;
}


/** Turns a `joinCheckSql` row into plain-English messages (empty when every id matches). */
export function joinMessages(check: JoinCheck, spec: Pick<CustomerViewSpec, 'orders' | 'customers'>): JoinMessage[] {
  const orders = spec.orders;
  const customers = spec.customers ?? '';
  const out: JoinMessage[] = [];
  const eg = (x: string | null) => (x ? t('msg.cv.example', { value: x }) : '');
  if (check.order_customers === 0) {
    out.push({ severity: 'error', message: t('msg.cv.noOrders', { orders }) });
  }
  if (check.customers === 0) {
    out.push({ severity: 'error', message: t('msg.cv.noCustomerRows', { customers }) });
  }
  if (check.order_customers > 0 && check.customers > 0 && check.matched === 0) {
    out.push({
      severity: 'error',
      message: t('msg.cv.noMatch', { orders, eg1: eg(check.examples_orders_without_customer), customers, eg2: eg(check.examples_customers_without_orders) }),
    });
    return out;
  }
  if (check.orders_without_customer > 0) {
    out.push({
      severity: 'warning',
      message: t(check.orders_without_customer === 1 ? 'msg.cv.notInCustomersOne' : 'msg.cv.notInCustomersMany', { n: String(check.orders_without_customer), total: String(check.order_customers), orders, customers, eg: eg(check.examples_orders_without_customer) }),
    });
  }
  if (check.customers_without_orders > 0) {
    out.push({
      severity: 'info',
      message: t(check.customers_without_orders === 1 ? 'msg.cv.noOrdersOne' : 'msg.cv.noOrdersMany', { n: String(check.customers_without_orders), total: String(check.customers), customers, eg: eg(check.examples_customers_without_orders) }),
    });
  }
  if (check.duplicate_customer_ids > 0) {
    out.push({
      severity: 'warning',
      message: t(check.duplicate_customer_ids === 1 ? 'msg.cv.duplicateOne' : 'msg.cv.duplicateMany', { n: String(check.duplicate_customer_ids), customers }),
    });
  }
  if (check.customers_null_ids > 0) {
    out.push({ severity: 'warning', message: t(check.customers_null_ids === 1 ? 'msg.cv.nullIdOne' : 'msg.cv.nullIdMany', { n: String(check.customers_null_ids), customers }) });
  }
  return out;
}
