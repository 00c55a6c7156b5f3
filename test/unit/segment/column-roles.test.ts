import { describe, expect, test } from 'vitest';
import { openTestDb } from '../helpers/duckdb';
import {
  guessRoles,
  orderIdsAreUnique,
  roleCheckProblems,
  roleCheckQuery,
  validateRoles,
  type ColumnInfo,
  type RoleCheck,
} from '../../../src/lib/segment/column-roles';

const cols = (spec: Record<string, string>): ColumnInfo[] => Object.entries(spec).map(([name, type]) => ({ name, type }));

describe('guessRoles', () => {
  test('UCI Online Retail style columns', () => {
    const columns = cols({
      InvoiceNo: 'VARCHAR', StockCode: 'VARCHAR', Description: 'VARCHAR', Quantity: 'BIGINT',
      InvoiceDate: 'TIMESTAMP', UnitPrice: 'DOUBLE', CustomerID: 'DOUBLE', Country: 'VARCHAR',
    });
    expect(guessRoles(columns)).toEqual({ customerId: 'CustomerID', orderDate: 'InvoiceDate', amount: 'UnitPrice', orderId: 'InvoiceNo' });
  });

  test('snake_case English columns, preferring a typed date and the amount over the price', () => {
    const columns = cols({
      order_id: 'BIGINT', customer_id: 'VARCHAR', created_at: 'TIMESTAMP', date: 'VARCHAR',
      unit_price: 'DECIMAL(10,2)', total_amount: 'DECIMAL(12,2)', discount_amount: 'DOUBLE', city: 'VARCHAR',
    });
    expect(guessRoles(columns)).toEqual({ customerId: 'customer_id', orderDate: 'created_at', amount: 'total_amount', orderId: 'order_id' });
  });

  test('other English spellings', () => {
    expect(guessRoles(cols({ 'Client ID': 'INTEGER', 'Order Date': 'DATE', Sales: 'DOUBLE', 'Order No': 'VARCHAR' }))).toEqual({
      customerId: 'Client ID', orderDate: 'Order Date', amount: 'Sales', orderId: 'Order No',
    });
    expect(guessRoles(cols({ member_no: 'VARCHAR', order_time: 'VARCHAR', revenue: 'INTEGER', invoice: 'VARCHAR', payment_id: 'VARCHAR' }))).toEqual({
      customerId: 'member_no', orderDate: 'order_time', amount: 'revenue', orderId: 'invoice',
    });
    expect(guessRoles(cols({ userId: 'BIGINT', ts: 'TIMESTAMP', payment: 'DOUBLE', order: 'VARCHAR', birth_date: 'DATE' }))).toEqual({
      customerId: 'userId', orderDate: 'ts', amount: 'payment', orderId: 'order',
    });
  });

  test('Chinese columns', () => {
    expect(guessRoles(cols({ 订单编号: 'VARCHAR', 客户ID: 'VARCHAR', 下单时间: 'TIMESTAMP', 商品数量: 'INTEGER', 实付金额: 'DECIMAL(10,2)', 城市: 'VARCHAR' }))).toEqual({
      customerId: '客户ID', orderDate: '下单时间', amount: '实付金额', orderId: '订单编号',
    });
    expect(guessRoles(cols({ 会员编号: 'BIGINT', 日期: 'VARCHAR', 销售额: 'DOUBLE', 订单号: 'VARCHAR', 运费: 'DOUBLE' }))).toEqual({
      customerId: '会员编号', orderDate: '日期', amount: '销售额', orderId: '订单号',
    });
    expect(guessRoles(cols({ 用户号: 'VARCHAR', 交易时间: 'TIMESTAMP', 订单金额: 'DOUBLE', 支付金额: 'DOUBLE', 注册时间: 'TIMESTAMP' }))).toEqual({
      customerId: '用户号', orderDate: '交易时间', amount: '订单金额', orderId: null,
    });
    expect(guessRoles(cols({ 顾客: 'VARCHAR', 订单日期: 'DATE', 金额: 'DOUBLE' }))).toEqual({
      customerId: '顾客', orderDate: '订单日期', amount: '金额', orderId: null,
    });
  });

  test('amounts must be numeric; nothing plausible stays null', () => {
    expect(guessRoles(cols({ amount: 'VARCHAR', city: 'VARCHAR' }))).toEqual({ customerId: null, orderDate: null, amount: null, orderId: null });
    // a lone DATE column is taken even with an unhelpful name
    expect(guessRoles(cols({ who: 'VARCHAR', 'd1': 'DATE', x: 'DOUBLE' })).orderDate).toBe('d1');
  });
});

describe('validateRoles', () => {
  const columns = cols({ 客户ID: 'VARCHAR', 城市: 'VARCHAR', 下单时间: 'VARCHAR', 金额: 'DOUBLE', 年份: 'INTEGER', 日期: 'DATE' });

  test('a valid choice has no errors', () => {
    expect(validateRoles({ customerId: '客户ID', orderDate: '日期', amount: '金额', orderId: null }, columns)).toEqual([]);
  });

  test('clear messages for missing, non-numeric, non-date and duplicate columns', () => {
    const problems = validateRoles({ customerId: null, orderDate: '年份', amount: '城市', orderId: '城市' }, columns);
    expect(problems.map((p) => [p.severity, p.role, p.message])).toEqual([
      ['error', 'customerId', 'choose the customer id column'],
      ['error', 'orderDate', "'年份' is a number, not a date: choose a DATE, TIMESTAMP or text date column as the order date"],
      ['error', 'amount', "'城市' is text, not a number: choose a numeric column as the amount"],
      ['error', 'orderId', "'城市' is chosen as both the amount and the order id: choose a different column for one of them"],
    ]);
  });

  test('text dates are a warning; unknown columns an error', () => {
    const problems = validateRoles({ customerId: 'nope', orderDate: '下单时间', amount: '金额', orderId: null }, columns);
    expect(problems.map((p) => p.severity)).toEqual(['error', 'warning']);
    expect(problems[0].message).toContain("'nope' is not a column");
    expect(problems[1].message).toContain('TRY_CAST');
  });

  test('issue 14: an odd id type reads as a sentence ("an customer id" before)', () => {
    const problems = validateRoles({ customerId: '金额', orderDate: '日期', amount: '年份', orderId: null }, columns);
    expect(problems.map((p) => p.message)).toEqual(["'金额' is a number, which is unusual for the customer id column: check the choice."]);
  });
});

describe('roleCheckQuery', () => {
  test('counts data problems and turns them into messages', async () => {
    const db = await openTestDb();
    db.exec(`CREATE TABLE "it's ""orders""" ("客户 ID" VARCHAR, "order" VARCHAR, "下单时间" VARCHAR, "金额" DOUBLE, "备注" VARCHAR)`);
    db.exec(`INSERT INTO "it's ""orders""" VALUES
      ('a', '1', '2024-01-05', 10, 'x'), ('a', '1', '2024-01-06', -2, 'x'), (NULL, '2', '2024-02-01', 5, 'x'),
      ('b', NULL, 'yesterday', NULL, 'x'), ('c', '3', NULL, 7, 'x')`);
    const spec = { source: `it's "orders"`, customerId: '客户 ID', orderDate: '下单时间', amount: '金额', orderId: 'order' };
    const check = db.rows(roleCheckQuery(spec))[0] as unknown as RoleCheck;
    expect(check).toEqual({
      rows: 5, null_customer_ids: 1, null_dates: 1, bad_dates: 1, null_amounts: 1, non_numeric_amounts: 0,
      negative_amounts: 1, null_order_ids: 1, order_ids: 3, min_date: '2024-01-05', max_date: '2024-02-01',
    });
    expect(orderIdsAreUnique(check)).toBe(false);
    const messages = roleCheckProblems(check, spec).map((p) => `${p.severity}: ${p.message}`);
    expect(messages).toEqual([
      "warning: 1 of 5 rows have no customer id in '客户 ID': they are left out",
      "warning: 1 of 5 rows have a value in '下单时间' that is not a date: they are left out",
      "warning: 1 of 5 rows have no date in '下单时间': they are left out",
      "warning: 1 of 5 rows have no numeric amount in '金额': they are left out",
      'info: 1 of 5 rows have a negative amount (refunds): they are netted against spend unless you choose to exclude them.',
      "warning: 1 of 5 rows have no order id in 'order': each of them counts as its own order",
    ]);
    // Issue 14: with Exclude chosen, the note says what Exclude does, not "netted … unless you exclude them".
    const excluded = roleCheckProblems(check, { ...spec, negatives: 'exclude' }).map((p) => p.message).filter((m) => m.includes('negative amount'));
    expect(excluded).toEqual(['1 of 5 rows have a negative amount (refunds): they are left out, as Exclude is chosen.']);

    // a text column with no dates at all
    const bad = { ...spec, orderDate: '备注', orderId: null };
    const badCheck = db.rows(roleCheckQuery(bad))[0] as unknown as RoleCheck;
    expect(badCheck.order_ids).toBeNull();
    expect(roleCheckProblems(badCheck, bad).filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([
      "no dates in column '备注': none of its 5 values reads as a date (expected e.g. 2024-01-31)",
    ]);
  });

  test('unique order ids are recognised', () => {
    const check: RoleCheck = {
      rows: 3, null_customer_ids: 0, null_dates: 0, bad_dates: 0, null_amounts: 0, non_numeric_amounts: 0,
      negative_amounts: 0, null_order_ids: 0, order_ids: 3, min_date: '2024-01-01', max_date: '2024-01-03',
    };
    expect(orderIdsAreUnique(check)).toBe(true);
    expect(roleCheckProblems(check, { source: 't', customerId: 'c', orderDate: 'd', amount: 'a', orderId: 'o' })).toEqual([
      { severity: 'info', role: 'orderId', message: "order ids in 'o' are unique per row: each row is one order" },
    ]);
  });
});
