/**
 * Guessing an orders model from the loaded tables: which table holds the orders, which tables to
 * join, which column plays each role and how the amount is computed — from column names (English
 * and Chinese) and types, and the shapes of common exports (UCI Online Retail, Shopify,
 * WooCommerce, Tmall/Taobao, JD, Youzan, Olist-like multi-table sets, CRM exports). Every guess
 * carries its reason; a guess that may be wrong carries a warning the page shows before it runs.
 */
import type { MessageKey } from '../i18n';
import { columnKind, isDateKind, isNumericKind, type ColumnInfo, type ColumnKind } from '../segment/column-kinds';
import { guessRoles } from '../segment/column-roles';
import { emptyOrdersSpec, type ColumnRef, type OrdersJoin, type OrdersModelSpec, type OrdersRole } from './orders-spec';

/** A relation the model may read. */
export interface ModelRelation {
  name: string;
  kind?: 'table' | 'view';
  columns: readonly ColumnInfo[];
}

/** Why a role got its column, or what to check. */
export interface GuessNote {
  role: OrdersRole | null;
  severity: 'info' | 'warning';
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** A guessed model and its reasons. */
export interface ModelGuess {
  spec: OrdersModelSpec;
  notes: GuessNote[];
}

function flat(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function find(columns: readonly ColumnInfo[], test: (f: string, kind: ColumnKind) => boolean): ColumnInfo | undefined {
  return columns.find((c) => test(flat(c.name), columnKind(c.type)));
}

const QUANTITY = /^(quantity|qty|lineitemquantity|units|数量|件数|购买数量|商品数量|宝贝总数量|quantityordered)$|quantity$|数量$/;
const UNIT_PRICE = /^(unitprice|price|lineitemprice|itemprice|saleprice|单价|价格|售价|商品单价|成交单价)$|unitprice$|单价$/;
const REFUND = /refund|退款金额|退款|退货金额/;
const STATUS = /^(status|orderstatus|state|orderstate|financialstatus|paymentstatus|订单状态|交易状态|状态|支付状态)$|status$|状态$/;
const PRODUCT = /^(product|productname|item|itemname|description|lineitemname|sku|stockcode|title|商品|商品名称|宝贝标题|商品标题|产品|产品名称|品名)$/;
const CATEGORY = /categor|department|producttype|品类|类别|分类|类目/;
const CHANNEL = /channel|渠道|平台|来源|^(source|platform|medium)$/;
const DISCOUNT = /discount|promo|coupon|voucher|折扣|优惠|促销/;
/** A person: stable across orders (the customer key to prefer over a per-order id). */
const PERSON_KEY = /unique|person|member|会员|买家会员名|买家昵称|旺旺|账号|帐号|用户名|手机号|手机|phone|mobile|email|邮箱|卡号/;
/** Columns about a person that are not the person: levels, tiers, points, dates. */
const NOT_PERSON = /level|tier|grade|type|points?$|date|time|since|等级|级别|类型|积分|时间|日期/;
/** A total of the order (preferred over a line price or a subtotal). */
const TOTAL = /^(total|ordertotal|ordertotalamount|totalamount|amount|orderamount|paymentvalue|grandtotal|totalpaid)$|实际支付金额|实付金额|实付款|实收金额|支付金额|订单金额|成交金额|付款金额/;

function ref(table: string, column: ColumnInfo | undefined | null): ColumnRef | null {
  return column ? { table, column: column.name } : null;
}

function byName(columns: readonly ColumnInfo[], name: string | null): ColumnInfo | undefined {
  return name ? columns.find((c) => c.name === name) : undefined;
}

/** A customer key column: the RFM guess, else an e-mail, phone or member column. */
function customerColumn(columns: readonly ColumnInfo[]): ColumnInfo | undefined {
  const g = byName(columns, guessRoles([...columns]).customerId);
  // A stable person id beside a customer id (customer_unique_id next to a per-order customer_id) wins.
  const person = find(columns, (f, k) => /unique|person/.test(f) && (k === 'text' || k === 'integer'));
  if (g && person && person !== g) return person;
  return g ?? find(columns, (f, k) => (PERSON_KEY.test(f) && (k === 'text' || k === 'integer') && !/name$|姓名|收货人/.test(f)) || /会员名|买家昵称/.test(f));
}

/** How much a relation looks like an orders table: a date and a way to an amount, with ids. */
function ordersScore(r: ModelRelation): number {
  const g = guessRoles([...r.columns]);
  let s = 0;
  if (g.orderDate && isDateKind(columnKind(byName(r.columns, g.orderDate)!.type))) s += 4;
  else if (g.orderDate) s += 2;
  if (g.amount || (find(r.columns, (f) => QUANTITY.test(f)) && find(r.columns, (f) => UNIT_PRICE.test(f)))) s += 3;
  if (g.orderId) s += 2;
  if (customerColumn(r.columns)) s += 2;
  if (find(r.columns, (f) => STATUS.test(f))) s += 1;
  if (r.kind === 'view') s -= 0.5;
  return s;
}

function sharedColumn(a: readonly ColumnInfo[], b: readonly ColumnInfo[], name: string | null): ColumnInfo | undefined {
  if (!name) return undefined;
  return b.find((c) => c.name.toLowerCase() === name.toLowerCase() && a.some((x) => x.name === name));
}

/** Whether a relation looks like an orders table (a date, a way to an amount, ids). */
export function looksLikeOrders(r: ModelRelation): boolean {
  return guessRoles([...r.columns]).orderDate !== null && ordersScore(r) >= 5;
}

/**
 * The guessed model over `relations` (tables first): the table that looks most like orders as the
 * source (or `source` when given; ties go to the earlier relation, so list the latest loaded first); a customers table joined on the source's per-order customer id when it holds a person
 * key; a payments or lines table joined on the order id when the source has no amount.
 */
export function guessOrdersModel(relations: readonly ModelRelation[], source?: string): ModelGuess {
  const spec = emptyOrdersSpec();
  const notes: GuessNote[] = [];
  const candidates = relations.filter((r) => r.columns.length > 0 && !r.name.startsWith('__'));
  const scored = candidates.map((r) => ({ r, s: ordersScore(r) })).sort((a, b) => b.s - a.s);
  const main = source !== undefined ? candidates.find((r) => r.name === source) : scored.find((x) => looksLikeOrders(x.r))?.r;
  if (!main) return { spec, notes: [{ role: null, severity: 'warning', key: 'om.guess.noOrders' }] };
  spec.source = main.name;
  const cols = main.columns;
  const g = guessRoles([...cols]);
  const roles = spec.roles;
  roles.orderId = ref(main.name, byName(cols, g.orderId));
  if (!roles.orderId) {
    const name = find(cols, (f) => /^(name|ordername|ordernumber|订单编号|订单号)$/.test(f));
    if (name && find(cols, (f) => /financialstatus|lineitem/.test(f))) {
      roles.orderId = ref(main.name, name);
      notes.push({ role: 'orderId', severity: 'info', key: 'om.why.shopifyName', params: { column: name.name } });
    }
  }
  roles.orderDate = ref(main.name, byName(cols, g.orderDate));
  roles.status = ref(main.name, find(cols, (f, k) => STATUS.test(f) && (k === 'text' || k === 'other')));
  roles.quantity = ref(main.name, find(cols, (f, k) => QUANTITY.test(f) && isNumericKind(k)));
  roles.unitPrice = ref(main.name, find(cols, (f, k) => UNIT_PRICE.test(f) && isNumericKind(k)));
  roles.refund = ref(main.name, find(cols, (f, k) => REFUND.test(f) && isNumericKind(k) && !/status|状态|时间|date/.test(f)));
  roles.product = ref(main.name, find(cols, (f) => PRODUCT.test(f)));
  roles.category = ref(main.name, find(cols, (f, k) => CATEGORY.test(f) && !isDateKind(k)));
  roles.channel = ref(main.name, find(cols, (f, k) => CHANNEL.test(f) && !isDateKind(k)));
  roles.discount = ref(main.name, find(cols, (f, k) => DISCOUNT.test(f) && !isDateKind(k) && k !== 'text'));

  // Amount: an order total beats a price; a price next to a quantity means quantity × price.
  const total = find(cols, (f, k) => TOTAL.test(f) && isNumericKind(k) && !REFUND.test(f));
  const guessedAmount = byName(cols, g.amount);
  const amountCol = total ?? (guessedAmount && !REFUND.test(flat(guessedAmount.name)) ? guessedAmount : undefined);
  const priceLike = amountCol && UNIT_PRICE.test(flat(amountCol.name));
  if (amountCol && !priceLike) {
    roles.amount = ref(main.name, amountCol);
  } else if (roles.quantity && roles.unitPrice) {
    spec.amountMode = 'quantity-price';
    notes.push({ role: 'amount', severity: 'info', key: 'om.why.quantityPrice', params: { quantity: roles.quantity.column, price: roles.unitPrice.column } });
  } else if (amountCol) {
    roles.amount = ref(main.name, amountCol);
    notes.push({ role: 'amount', severity: 'warning', key: 'om.warn.priceAsAmount', params: { column: amountCol.name } });
  }

  // Customer: the source's own key, or a person key from a joined customers table.
  const cust = customerColumn(cols);
  roles.customer = ref(main.name, cust);
  if (cust && g.customerId && cust.name !== g.customerId) {
    notes.push({ role: 'customer', severity: 'info', key: 'om.why.personOverId', params: { person: cust.name, other: g.customerId } });
  } else if (cust && cust.name !== g.customerId) {
    notes.push({ role: 'customer', severity: 'info', key: 'om.why.person', params: { person: cust.name } });
  }
  const others = candidates.filter((r) => r !== main);
  // Only a per-order id needs a person from another table: a member name (买家会员名), e-mail or
  // phone already is one, and a member list beside it holds attributes (会员等级), not people.
  if (cust && !PERSON_KEY.test(flat(cust.name))) {
    for (const t of others) {
      const key = sharedColumn(cols, t.columns, cust.name);
      if (!key) continue;
      const person = find(t.columns, (f, k) => /unique|person|member|会员|卡号|手机/.test(f) && f !== flat(key.name) && !NOT_PERSON.test(f) && (k === 'text' || k === 'integer'));
      if (!person) continue;
      spec.joins.push({ table: t.name, key: key.name, on: { table: main.name, column: cust.name } });
      roles.customer = { table: t.name, column: person.name };
      notes.push({ role: 'customer', severity: 'info', key: 'om.why.personJoin', params: { table: t.name, person: person.name, other: cust.name } });
      break;
    }
  }
  if (!roles.amount && spec.amountMode === 'column' && roles.orderId) {
    for (const t of others) {
      const key = sharedColumn(cols, t.columns, roles.orderId.column);
      if (!key || spec.joins.some((j) => j.table === t.name)) continue;
      const tg = guessRoles([...t.columns]);
      const amount = find(t.columns, (f, k) => TOTAL.test(f) && isNumericKind(k)) ?? byName(t.columns, tg.amount);
      const q = find(t.columns, (f, k) => QUANTITY.test(f) && isNumericKind(k));
      const p = find(t.columns, (f, k) => UNIT_PRICE.test(f) && isNumericKind(k));
      if (!amount && !(q && p)) continue;
      spec.joins.push({ table: t.name, key: key.name, on: { table: main.name, column: roles.orderId.column } } satisfies OrdersJoin);
      if (amount && !UNIT_PRICE.test(flat(amount.name))) roles.amount = ref(t.name, amount);
      else {
        spec.amountMode = 'quantity-price';
        roles.quantity = ref(t.name, q);
        roles.unitPrice = ref(t.name, p);
      }
      notes.push({ role: 'amount', severity: 'info', key: 'om.why.amountJoin', params: { table: t.name, column: (roles.amount ?? roles.unitPrice)!.column } });
      break;
    }
  }
  if (roles.refund && roles.amount) notes.push({ role: 'refund', severity: 'info', key: 'om.why.refund', params: { column: roles.refund.column } });
  if (roles.status) notes.push({ role: 'status', severity: 'info', key: 'om.why.status', params: { column: roles.status.column } });
  const customerRef = roles.customer;
  if (customerRef) {
    const type = (relations.find((r) => r.name === customerRef.table)?.columns.find((c) => c.name === customerRef.column)?.type) ?? '';
    if (columnKind(type) === 'float') notes.push({ role: 'customer', severity: 'info', key: 'om.why.floatId', params: { column: customerRef.column } });
  }
  return { spec, notes };
}
