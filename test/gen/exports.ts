/**
 * Generators of realistic shop exports with their quirks, and the per-customer truth worked out
 * from the generated records directly (in cents, in plain TypeScript — never through SQL):
 * - UCI Online Retail line items: C-cancellations (negative quantity), float customer ids with
 *   blanks, a few "A" adjustment invoices late in the file;
 * - a Tmall/Taobao seller export: GBK, ="…" order numbers, trailing spaces in header names, the
 *   four status kinds, an empty payment time when unpaid, a refund column;
 * - an Olist-like set of three tables: per-order customer ids mapped to a person id, payments per order;
 * - a Shopify orders export: several lines per order, the order-level fields on the first line only.
 * Seeded: the same seed gives the same bytes.
 */
import { createRandom, type Random } from './random';
import { gbkEncode } from './gbk';

/** One customer's purchases as the model should see them. */
export interface CustomerTruth {
  orders: number;
  /** Net spend in cents (purchases minus refunds). */
  cents: number;
  first: string;
  last: string;
  /** Days with a purchase. */
  days: Set<string>;
}

/** Generated files and what they mean. */
export interface ExportFixture {
  files: { name: string; bytes: Uint8Array }[];
  truth: Map<string, CustomerTruth>;
  /** Source rows. */
  rows: number;
  /** The latest day of any purchase or refund the model keeps. */
  maxDay: string;
}

const enc = (s: string) => new TextEncoder().encode(s);
const pad = (n: number) => String(n).padStart(2, '0');

function day(r: Random, from = Date.UTC(2023, 0, 1), days = 700): Date {
  return new Date(from + r.int(0, days) * 86_400_000 + r.int(8 * 3600, 21 * 3600) * 1000);
}
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const isoTime = (d: Date) => `${isoDay(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const money = (cents: number) => (cents / 100).toFixed(2);

function csv(rows: (string | number | null)[][]): string {
  return rows.map((r) => r.map((v) => {
    if (v === null) return '';
    const s = String(v);
    if (s.startsWith('="')) return s; // Excel's text guard is written raw, as the shops write it
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  }).join(',')).join('\n') + '\n';
}

let maxDay = '';

function add(truth: Map<string, CustomerTruth>, customer: string, date: string, cents: number, order: boolean): void {
  if (date > maxDay) maxDay = date;
  const t = truth.get(customer) ?? { orders: 0, cents: 0, first: date, last: date, days: new Set<string>() };
  if (!truth.has(customer)) truth.set(customer, t);
  t.cents += cents;
  if (order) {
    t.orders += 1;
    if (t.orders === 1 || date < t.first) t.first = date;
    if (t.orders === 1 || date > t.last) t.last = date;
    t.days.add(date);
  }
}

function takeMaxDay(): string {
  const d = maxDay;
  maxDay = '';
  return d;
}

/** Purchases only set first and last; a customer with refunds before any order is fixed up here. */
function dropWithoutOrders(truth: Map<string, CustomerTruth>): void {
  for (const [k, v] of truth) if (v.orders === 0) truth.delete(k);
}

/** UCI Online Retail shape (amount = Quantity × UnitPrice per line). */
export function onlineRetail(seed = 1, invoices = 900): ExportFixture {
  const r = createRandom(seed);
  const header = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];
  const rows: (string | number | null)[][] = [];
  const truth = new Map<string, CustomerTruth>();
  const bought: { customer: number; line: (string | number | null)[] }[] = [];
  let no = 536365;
  for (let i = 0; i < invoices; i++) {
    const customer = r.bernoulli(0.05) ? null : 12346 + Math.floor(r.next() ** 2 * 180);
    const d = day(r);
    const lines = r.int(1, 6);
    let orderCents = 0;
    for (let l = 0; l < lines; l++) {
      const q = r.int(1, 24);
      const priceCents = r.int(12, 1500);
      const line = [String(no), `8${r.int(1000, 9999)}`, r.pick(['WHITE HANGING HEART', 'REGENCY CAKESTAND', 'JUMBO BAG RED', 'LUNCH BOX']), q, isoTime(d), money(priceCents), customer === null ? null : `${customer}.0`, r.pick(['United Kingdom', 'France', 'Germany'])];
      rows.push(line);
      orderCents += q * priceCents;
      if (customer !== null) bought.push({ customer, line });
    }
    if (customer !== null) add(truth, String(customer), isoDay(d), orderCents, true);
    no += 1;
    // A cancellation of an earlier line now and then: C + number, negative quantity.
    if (bought.length > 3 && r.bernoulli(0.08)) {
      const { customer: c, line } = bought[r.int(0, bought.length - 1)];
      const q = -r.int(1, Number(line[3]));
      const later = new Date(Math.max(Date.parse(`${String(line[4]).replace(' ', 'T')}Z`), d.getTime()) + 86_400_000);
      rows.push([`C${no}`, line[1], line[2], q, isoTime(later), line[5], `${c}.0`, line[7]]);
      add(truth, String(c), isoDay(later), Math.round(q * Number(line[5]) * 100), false);
      no += 1;
    }
  }
  // Adjustments late in the file: "A" invoices without a customer (bad-debt write-offs).
  for (let i = 0; i < 3; i++) rows.push([`A${563185 + i}`, 'B', 'Adjust bad debt', 1, isoTime(day(r, Date.UTC(2024, 11, 1), 10)), money(r.int(-1_000_000, 1_000_000)), null, 'United Kingdom']);
  dropWithoutOrders(truth);
  return { files: [{ name: 'online_retail.csv', bytes: enc(csv([header, ...rows])) }], truth, rows: rows.length, maxDay: takeMaxDay() };
}

const TMALL_STATUS = ['交易成功', '卖家已发货，等待买家确认', '交易关闭', '等待买家付款'] as const;

/** Tmall/Taobao seller export (GBK). Purchases: 交易成功 and 卖家已发货; amount = 买家实际支付金额 − 退款金额, dated by 订单付款时间. */
export function tmall(seed = 2, orders = 700): ExportFixture {
  const r = createRandom(seed);
  const header = ['订单编号 ', '买家会员名', '买家支付宝账号', '买家应付货款', '总金额', '买家实际支付金额 ', '订单状态', '收货人姓名', '收货地址 ', '联系手机', '订单创建时间', '订单付款时间 ', '宝贝标题 ', '宝贝总数量', '退款金额'];
  const names = ['tb_小明', '快乐的猫', 'lily2019', '王大锤', '阿花花', 'sunny_day', '张三丰', '米粒儿', 'ocean99', '晴天娃娃'];
  const members = Array.from({ length: 120 }, (_, i) => `${r.pick(names)}${i}`);
  const truth = new Map<string, CustomerTruth>();
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < orders; i++) {
    const buyer = members[Math.floor(r.next() ** 1.5 * members.length)];
    const status = r.weighted(TMALL_STATUS, [70, 12, 10, 8]);
    const created = day(r);
    const paidAt = new Date(created.getTime() + r.int(30, 3600) * 1000);
    const paid = status === '等待买家付款' || (status === '交易关闭' && r.bernoulli(0.5)) ? null : paidAt;
    const goods = r.int(990, 59_900);
    const refund = status === '交易成功' && r.bernoulli(0.1) ? r.int(100, goods) : status === '交易关闭' && paid ? goods : 0;
    const id = `="${2000000000000000 + i * 7919}"`;
    rows.push([id, buyer, `${buyer}@alipay`, money(goods), money(goods), money(goods), status, '收货人', '浙江省 杭州市 西湖区 文三路1号', `138${r.int(10_000_000, 99_999_999)}`, isoTime(created), paid ? isoTime(paid) : null, '春季新款连衣裙', r.int(1, 3), money(refund)]);
    if (status === '交易成功' || status === '卖家已发货，等待买家确认') add(truth, buyer, isoDay(paidAt), goods - refund, true);
  }
  return { files: [{ name: 'tmall_orders.csv', bytes: gbkEncode(csv([header, ...rows])) }], truth, rows: rows.length, maxDay: takeMaxDay() };
}

/** Olist-like: orders with a per-order customer_id, customers mapping it to customer_unique_id, payments per order. */
export function olist(seed = 3, orders = 600): ExportFixture {
  const r = createRandom(seed);
  const people = Array.from({ length: 200 }, (_, i) => `u${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}`);
  const statuses = ['delivered', 'delivered', 'delivered', 'delivered', 'shipped', 'invoiced', 'canceled', 'unavailable'];
  const ord: (string | number | null)[][] = [['order_id', 'customer_id', 'order_status', 'order_purchase_timestamp', 'order_delivered_customer_date']];
  const cus: (string | number | null)[][] = [['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state']];
  const pay: (string | number | null)[][] = [['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value']];
  const truth = new Map<string, CustomerTruth>();
  for (let i = 0; i < orders; i++) {
    const person = people[Math.floor(r.next() ** 2 * people.length)];
    const orderId = `o${(i * 40503 + 17).toString(16).padStart(6, '0')}`;
    const customerId = `c${(i * 7 + 3).toString(16).padStart(6, '0')}`;
    const status = r.pick(statuses);
    const d = day(r);
    ord.push([orderId, customerId, status, isoTime(d), status === 'delivered' ? isoTime(new Date(d.getTime() + 5 * 86_400_000)) : null]);
    cus.push([customerId, person, r.int(1000, 99999), r.pick(['sao paulo', 'rio de janeiro', 'curitiba']), r.pick(['SP', 'RJ', 'PR'])]);
    let cents = 0;
    const n = r.bernoulli(0.15) ? r.int(2, 3) : 1;
    for (let p = 1; p <= n; p++) {
      const c = r.int(500, 40_000);
      cents += c;
      pay.push([orderId, p, r.pick(['credit_card', 'boleto', 'voucher']), r.int(1, 10), money(c)]);
    }
    if (status !== 'canceled' && status !== 'unavailable') add(truth, person, isoDay(d), cents, true);
  }
  return {
    files: [
      { name: 'olist_orders.csv', bytes: enc(csv(ord)) },
      { name: 'olist_customers.csv', bytes: enc(csv(cus)) },
      { name: 'olist_payments.csv', bytes: enc(csv(pay)) },
    ],
    truth,
    rows: ord.length - 1,
    maxDay: takeMaxDay(),
  };
}

/** Shopify orders export: lines per order, order-level fields (status, paid at, total, refunds) on the first line only. */
export function shopify(seed = 4, orders = 500): ExportFixture {
  const r = createRandom(seed);
  const header = ['Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem sku', 'Billing Name', 'Refunded Amount'];
  const emails = Array.from({ length: 150 }, (_, i) => `shopper${i}@example.com`);
  const statuses = ['paid', 'paid', 'paid', 'paid', 'partially_refunded', 'refunded', 'pending', 'voided'];
  const rows: (string | number | null)[][] = [];
  const truth = new Map<string, CustomerTruth>();
  for (let i = 0; i < orders; i++) {
    const email = emails[Math.floor(r.next() ** 1.7 * emails.length)];
    const status = r.pick(statuses);
    const created = day(r);
    const paid = status === 'pending' || status === 'voided' ? null : new Date(created.getTime() + 60_000);
    const lines = Array.from({ length: r.int(1, 4) }, () => ({ q: r.int(1, 3), p: r.int(500, 9_000) }));
    const sub = lines.reduce((s, l) => s + l.q * l.p, 0);
    const ship = r.pick([0, 499, 999]);
    const tax = Math.round(sub * 0.08);
    const total = sub + ship + tax;
    const refunded = status === 'refunded' ? total : status === 'partially_refunded' ? r.int(100, total) : 0;
    lines.forEach((l, k) => {
      const first = k === 0;
      rows.push([`#${1001 + i}`, email, first ? status : null, first && paid ? isoTime(paid) : null, first ? 'fulfilled' : null, first ? 'USD' : null,
        first ? money(sub) : null, first ? money(ship) : null, first ? money(tax) : null, first ? money(total) : null, null, isoTime(created),
        l.q, r.pick(['Tee', 'Hoodie', 'Cap', 'Mug']), money(l.p), `SKU-${r.int(100, 999)}`, first ? 'Pat Doe' : null, first ? money(refunded) : null]);
    });
    if (paid && (status === 'paid' || status === 'partially_refunded')) add(truth, email, isoDay(paid), total - refunded, true);
  }
  return { files: [{ name: 'shopify_orders.csv', bytes: enc(csv([header, ...rows])) }], truth, rows: rows.length, maxDay: takeMaxDay() };
}
