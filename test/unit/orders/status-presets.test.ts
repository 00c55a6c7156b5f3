/** Issue 12: status values of common exports and generic words, read as purchase, refund or excluded. */
import { expect, test } from 'vitest';
import { presetStatusKind, statusRulesFor } from '../../../src/lib/orders/status-presets';

test.each([
  // Tmall / Taobao
  ['交易成功', 'purchase'], ['卖家已发货，等待买家确认', 'purchase'], ['买家已付款，等待卖家发货', 'purchase'], ['交易关闭', 'excluded'], ['等待买家付款', 'excluded'],
  // JD / Youzan
  ['完成', 'purchase'], ['等待出库', 'purchase'], ['已取消', 'excluded'], ['退款成功', 'refund'],
  // Shopify financial status
  ['paid', 'purchase'], ['partially_refunded', 'purchase'], ['refunded', 'refund'], ['voided', 'excluded'], ['pending', 'excluded'], ['authorized', 'excluded'],
  // WooCommerce
  ['wc-completed', 'purchase'], ['Processing', 'purchase'], ['on-hold', 'excluded'], ['Cancelled', 'excluded'], ['Refunded', 'refund'], ['failed', 'excluded'],
  // Olist
  ['delivered', 'purchase'], ['shipped', 'purchase'], ['invoiced', 'purchase'], ['canceled', 'excluded'], ['unavailable', 'excluded'],
  // Generic words
  ['Order Cancelled by customer', 'excluded'], ['refund requested', 'refund'], ['Returned', 'refund'], ['  Completed ', 'purchase'], ['已退货', 'refund'], ['订单已关闭', 'excluded'], ['已付款', 'purchase'],
] as const)('%s is a %s', (value, kind) => {
  expect(presetStatusKind(value)).toBe(kind);
});

test('unknown values are listed, the user\'s rules win over presets', () => {
  const { rules, unknown } = statusRulesFor(
    [{ value: 'paid', rows: 5, amount: 10 }, { value: 'X-17', rows: 1, amount: 2 }, { value: null, rows: 3, amount: null }, { value: 'refunded', rows: 1, amount: 1 }],
    [{ value: 'refunded', kind: 'excluded' }],
  );
  expect(unknown).toEqual(['X-17']);
  expect(rules).toEqual([{ value: 'refunded', kind: 'excluded' }, { value: 'paid', kind: 'purchase' }]);
});
