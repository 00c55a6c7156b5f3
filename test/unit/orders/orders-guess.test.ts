/** Issue 12: guessing the orders model from the shapes of common exports, and its traps. */
import { describe, expect, test } from 'vitest';
import { guessOrdersModel, looksLikeOrders, type ModelRelation } from '../../../src/lib/orders/orders-guess';

const rel = (name: string, cols: [string, string][]): ModelRelation => ({ name, kind: 'table', columns: cols.map(([n, type]) => ({ name: n, type })) });
const col = (table: string, column: string) => ({ table, column });

describe('shapes', () => {
  test('UCI Online Retail: quantity × unit price, float customer ids noted', () => {
    const g = guessOrdersModel([rel('retail', [['InvoiceNo', 'VARCHAR'], ['StockCode', 'VARCHAR'], ['Description', 'VARCHAR'], ['Quantity', 'BIGINT'], ['InvoiceDate', 'TIMESTAMP'], ['UnitPrice', 'DOUBLE'], ['CustomerID', 'DOUBLE'], ['Country', 'VARCHAR']])]);
    expect(g.spec.amountMode).toBe('quantity-price');
    expect(g.spec.roles.quantity).toEqual(col('retail', 'Quantity'));
    expect(g.spec.roles.unitPrice).toEqual(col('retail', 'UnitPrice'));
    expect(g.spec.roles.amount).toBeNull();
    expect(g.spec.roles.customer).toEqual(col('retail', 'CustomerID'));
    expect(g.spec.roles.orderId).toEqual(col('retail', 'InvoiceNo'));
    expect(g.notes.map((n) => n.key)).toEqual(expect.arrayContaining(['om.why.quantityPrice', 'om.why.floatId']));
    expect(g.notes.every((n) => n.severity === 'info')).toBe(true);
  });

  test('Tmall/Taobao: member name as the customer (trailing spaces in names), paid amount, refund column, status', () => {
    const g = guessOrdersModel([rel('tmall', [['订单编号 ', 'VARCHAR'], ['买家会员名', 'VARCHAR'], ['买家支付宝账号', 'VARCHAR'], ['买家应付货款', 'DOUBLE'], ['总金额', 'DOUBLE'], ['买家实际支付金额 ', 'DOUBLE'], ['订单状态', 'VARCHAR'], ['收货人姓名', 'VARCHAR'], ['订单创建时间', 'TIMESTAMP'], ['订单付款时间 ', 'TIMESTAMP'], ['宝贝标题 ', 'VARCHAR'], ['退款金额', 'DOUBLE']])]);
    expect(g.spec.roles.customer).toEqual(col('tmall', '买家会员名'));
    expect(g.spec.roles.orderId).toEqual(col('tmall', '订单编号 '));
    expect(g.spec.roles.amount).toEqual(col('tmall', '买家实际支付金额 '));
    expect(g.spec.roles.refund).toEqual(col('tmall', '退款金额'));
    expect(g.spec.roles.status).toEqual(col('tmall', '订单状态'));
    expect(g.spec.roles.product).toEqual(col('tmall', '宝贝标题 '));
  });

  test('issue 15: a Tmall export beside a member list keeps 买家会员名 as the customer (会员等级 is no person id)', () => {
    const orders = rel('订单', [['订单编号', 'VARCHAR'], ['买家会员名', 'VARCHAR'], ['买家实际支付金额', 'DOUBLE'], ['订单状态', 'VARCHAR'], ['订单付款时间', 'TIMESTAMP'], ['退款金额', 'DOUBLE']]);
    const members = rel('会员', [['买家会员名', 'VARCHAR'], ['会员等级', 'VARCHAR'], ['手机号', 'VARCHAR'], ['入会时间', 'DATE']]);
    const g = guessOrdersModel([orders, members]);
    expect(g.spec.joins).toEqual([]);
    expect(g.spec.roles.customer).toEqual(col('订单', '买家会员名'));
    // A member list with a join date is no orders table (the model offered it as one).
    expect(looksLikeOrders(members)).toBe(false);
    expect(looksLikeOrders(orders)).toBe(true);
  });

  test('Olist: the person id comes from the customers table, the amount from payments', () => {
    const g = guessOrdersModel([
      rel('customers', [['customer_id', 'VARCHAR'], ['customer_unique_id', 'VARCHAR'], ['customer_city', 'VARCHAR']]),
      rel('orders', [['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['order_status', 'VARCHAR'], ['order_purchase_timestamp', 'TIMESTAMP'], ['order_delivered_customer_date', 'TIMESTAMP']]),
      rel('payments', [['order_id', 'VARCHAR'], ['payment_sequential', 'BIGINT'], ['payment_type', 'VARCHAR'], ['payment_value', 'DOUBLE']]),
    ]);
    expect(g.spec.source).toBe('orders');
    expect(g.spec.roles.orderDate).toEqual(col('orders', 'order_purchase_timestamp'));
    expect(g.spec.roles.customer).toEqual(col('customers', 'customer_unique_id'));
    expect(g.spec.roles.amount).toEqual(col('payments', 'payment_value'));
    expect(g.spec.joins).toEqual([
      { table: 'customers', key: 'customer_id', on: col('orders', 'customer_id') },
      { table: 'payments', key: 'order_id', on: col('orders', 'order_id') },
    ]);
    expect(g.notes.find((n) => n.key === 'om.why.personJoin')?.params).toEqual({ table: 'customers', person: 'customer_unique_id', other: 'customer_id' });
  });

  test('Shopify: Name is the order, Email the customer, Total (not Subtotal or the line price) the amount', () => {
    const g = guessOrdersModel([rel('shopify', [['Name', 'VARCHAR'], ['Email', 'VARCHAR'], ['Financial Status', 'VARCHAR'], ['Paid at', 'TIMESTAMP'], ['Fulfillment Status', 'VARCHAR'], ['Subtotal', 'DOUBLE'], ['Shipping', 'DOUBLE'], ['Total', 'DOUBLE'], ['Created at', 'TIMESTAMP'], ['Lineitem quantity', 'BIGINT'], ['Lineitem name', 'VARCHAR'], ['Lineitem price', 'DOUBLE'], ['Refunded Amount', 'DOUBLE']])]);
    expect(g.spec.roles.orderId).toEqual(col('shopify', 'Name'));
    expect(g.spec.roles.customer).toEqual(col('shopify', 'Email'));
    expect(g.spec.amountMode).toBe('column');
    expect(g.spec.roles.amount).toEqual(col('shopify', 'Total'));
    expect(g.spec.roles.status).toEqual(col('shopify', 'Financial Status'));
    expect(g.spec.roles.refund).toEqual(col('shopify', 'Refunded Amount'));
  });

  test('WooCommerce, JD, Youzan and a Chinese CRM', () => {
    const woo = guessOrdersModel([rel('woo', [['Order Number', 'BIGINT'], ['Order Status', 'VARCHAR'], ['Order Date', 'TIMESTAMP'], ['Customer User ID', 'BIGINT'], ['Billing Email', 'VARCHAR'], ['Order Total Amount', 'DOUBLE']])]).spec;
    expect([woo.roles.orderId?.column, woo.roles.customer?.column, woo.roles.amount?.column, woo.roles.status?.column]).toEqual(['Order Number', 'Customer User ID', 'Order Total Amount', 'Order Status']);
    const jd = guessOrdersModel([rel('jd', [['订单号', 'VARCHAR'], ['下单帐号', 'VARCHAR'], ['下单时间', 'TIMESTAMP'], ['订单金额', 'DOUBLE'], ['订单状态', 'VARCHAR'], ['商品名称', 'VARCHAR'], ['购买数量', 'BIGINT']])]).spec;
    expect([jd.roles.orderId?.column, jd.roles.customer?.column, jd.roles.amount?.column, jd.roles.orderDate?.column]).toEqual(['订单号', '下单帐号', '订单金额', '下单时间']);
    const yz = guessOrdersModel([rel('youzan', [['订单号', 'VARCHAR'], ['买家手机号', 'VARCHAR'], ['下单时间', 'TIMESTAMP'], ['订单实付金额', 'DOUBLE'], ['订单状态', 'VARCHAR']])]).spec;
    expect([yz.roles.customer?.column, yz.roles.amount?.column]).toEqual(['买家手机号', '订单实付金额']);
    const crm = guessOrdersModel([rel('crm', [['客户编号', 'VARCHAR'], ['会员卡号', 'VARCHAR'], ['手机号', 'VARCHAR'], ['消费日期', 'DATE'], ['消费金额', 'DOUBLE']])]).spec;
    expect(crm.roles.customer?.column).toBe('客户编号');
  });
});

describe('traps', () => {
  test('a price next to a quantity is never the amount', () => {
    const g = guessOrdersModel([rel('t', [['order_id', 'VARCHAR'], ['customer', 'VARCHAR'], ['date', 'DATE'], ['price', 'DOUBLE'], ['qty', 'INTEGER']])]);
    expect(g.spec.amountMode).toBe('quantity-price');
    expect(g.spec.roles.amount).toBeNull();
  });

  test('a lone price is taken, with a warning shown before anything runs', () => {
    const g = guessOrdersModel([rel('t', [['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['order_date', 'DATE'], ['unit_price', 'DOUBLE']])]);
    expect(g.spec.roles.amount).toEqual(col('t', 'unit_price'));
    expect(g.notes.find((n) => n.severity === 'warning')?.key).toBe('om.warn.priceAsAmount');
  });

  test('a per-order customer id beside a person id: the person is the customer, and a note says why', () => {
    const g = guessOrdersModel([rel('t', [['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['customer_unique_id', 'VARCHAR'], ['order_date', 'DATE'], ['amount', 'DOUBLE']])]);
    expect(g.spec.roles.customer).toEqual(col('t', 'customer_unique_id'));
    expect(g.notes.find((n) => n.role === 'customer')).toMatchObject({ key: 'om.why.personOverId', params: { person: 'customer_unique_id', other: 'customer_id' } });
  });

  test('a refund column is never the amount', () => {
    const g = guessOrdersModel([rel('t', [['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['order_date', 'DATE'], ['refund_amount', 'DOUBLE'], ['order_amount', 'DOUBLE']])]);
    expect(g.spec.roles.amount).toEqual(col('t', 'order_amount'));
    expect(g.spec.roles.refund).toEqual(col('t', 'refund_amount'));
  });

  test('the sample shop and a customers table: no join, the customer key of the orders', () => {
    const g = guessOrdersModel([
      rel('customers', [['customer_id', 'VARCHAR'], ['age', 'INTEGER'], ['city', 'VARCHAR']]),
      rel('orders', [['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['order_date', 'DATE'], ['amount', 'DOUBLE'], ['channel', 'VARCHAR'], ['category', 'VARCHAR'], ['discount', 'BOOLEAN']]),
    ]);
    expect(g.spec.source).toBe('orders');
    expect(g.spec.joins).toEqual([]);
    expect(g.spec.roles.customer).toEqual(col('orders', 'customer_id'));
    expect(g.spec.roles.discount).toEqual(col('orders', 'discount'));
  });

  test('no orders-like table: nothing guessed, and a note says why', () => {
    const rels = [rel('people', [['name', 'VARCHAR'], ['age', 'INTEGER']])];
    expect(looksLikeOrders(rels[0])).toBe(false);
    const g = guessOrdersModel(rels);
    expect(g.spec.source).toBe('');
    expect(g.notes[0].key).toBe('om.guess.noOrders');
  });
});
