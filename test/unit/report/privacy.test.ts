/**
 * Issue 17, reports: which results count as row-level customer data (left out of a report unless
 * ticked in). Any identifier-like column makes a result customer rows; aggregates have none.
 */
import { describe, expect, test } from 'vitest';
import { isIdentifierColumn, looksLikeCustomerRows } from '../../../src/lib/report/privacy';

describe('customer rows', () => {
  test('results listing people: ids, names, contact details, in English and Chinese', () => {
    for (const cols of [['customer_id', 'revenue'], ['CustomerID', 'orders'], ['email'], ['user_key', 'x'], ['Phone'], ['name', 'city'], ['客户ID', '金额'], ['会员编号'], ['手机号'], ['买家昵称'], ['order_no']]) {
      expect(looksLikeCustomerRows(cols), cols.join(',')).toBe(true);
    }
  });

  test('aggregates: months, channels, segments, counts of customers', () => {
    for (const cols of [['month', 'channel', 'revenue', 'orders'], ['segment', 'customers', 'revenue'], ['city_tier', 'count'], ['渠道', '客户数', '销售额'], ['avg_monetary', 'n']]) {
      expect(looksLikeCustomerRows(cols), cols.join(',')).toBe(false);
    }
  });

  test('words that merely end in the same letters are not ids', () => {
    expect(isIdentifierColumn('paid')).toBe(false);
    expect(isIdentifierColumn('monkey')).toBe(false);
    expect(isIdentifierColumn('province')).toBe(false);
    expect(isIdentifierColumn('valid')).toBe(false);
  });
});
