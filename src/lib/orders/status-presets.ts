/**
 * What an order status means, guessed from the value: the statuses of Tmall/Taobao, JD, Youzan,
 * Shopify (financial status), WooCommerce and Olist exports, then generic words in English and
 * Chinese. A guess is a starting point the user sees and can change in the model.
 */
import type { StatusKind, StatusRule } from './orders-spec';

/** Exact values of common exports (compared after trimming and lower-casing). */
const EXACT: Record<string, StatusKind> = {
  // Tmall / Taobao
  '交易成功': 'purchase',
  '卖家已发货，等待买家确认': 'purchase',
  '卖家已发货,等待买家确认': 'purchase',
  '买家已付款，等待卖家发货': 'purchase',
  '买家已付款,等待卖家发货': 'purchase',
  '等待买家付款': 'excluded',
  '交易关闭': 'excluded',
  '付款以前，卖家或买家主动关闭交易': 'excluded',
  '付款以后用户退款成功，交易自动关闭': 'refund',
  // JD / Youzan
  '完成': 'purchase',
  '已完成': 'purchase',
  '等待出库': 'purchase',
  '等待确认收货': 'purchase',
  '已发货': 'purchase',
  '待发货': 'purchase',
  '已签收': 'purchase',
  '已取消': 'excluded',
  '待付款': 'excluded',
  '已关闭': 'excluded',
  '退款成功': 'refund',
  '已退款': 'refund',
  // Shopify financial status
  paid: 'purchase',
  partially_paid: 'purchase',
  partially_refunded: 'purchase',
  'partially refunded': 'purchase',
  refunded: 'refund',
  voided: 'excluded',
  pending: 'excluded',
  authorized: 'excluded',
  expired: 'excluded',
  // WooCommerce
  completed: 'purchase',
  'wc-completed': 'purchase',
  processing: 'purchase',
  'wc-processing': 'purchase',
  'on-hold': 'excluded',
  'wc-on-hold': 'excluded',
  'wc-pending': 'excluded',
  cancelled: 'excluded',
  'wc-cancelled': 'excluded',
  'wc-refunded': 'refund',
  failed: 'excluded',
  'wc-failed': 'excluded',
  'checkout-draft': 'excluded',
  // Magento
  complete: 'purchase',
  closed: 'refund',
  holded: 'excluded',
  // Olist
  delivered: 'purchase',
  shipped: 'purchase',
  invoiced: 'purchase',
  approved: 'purchase',
  canceled: 'excluded',
  unavailable: 'excluded',
  created: 'excluded',
};

/** Words, tried in order: refunds before cancellations before purchases ("refund completed" is a refund). */
const WORDS: [RegExp, StatusKind][] = [
  [/partial/i, 'purchase'],
  [/refund|return|chargeback|退款|退货|售后成功/i, 'refund'],
  [/cancel|void|fail|declin|reject|unpaid|not paid|pending|draft|abandon|test|关闭|取消|失败|待付款|未付款|等待买家付款|作废|无效/i, 'excluded'],
  [/success|complete|paid|deliver|ship|fulfil|settled|成功|完成|已付款|已发货|已收货|已签收|已支付|付款成功/i, 'purchase'],
];

/** The kind a status value most likely has, or null when nothing recognises it. */
export function presetStatusKind(value: string): StatusKind | null {
  const v = value.trim().toLowerCase();
  if (v in EXACT) return EXACT[v];
  for (const [re, kind] of WORDS) if (re.test(v)) return kind;
  return null;
}

/** A status value with its count, as the model's status listing returns it. */
export interface StatusValue {
  value: string | null;
  rows: number;
  amount: number | null;
}

/**
 * The effective rules for the values present: the user's rules first, then a preset for each
 * other value; `unknown` lists the values no preset recognised (they follow `otherStatuses`).
 */
export function statusRulesFor(values: readonly StatusValue[], userRules: readonly StatusRule[]): { rules: StatusRule[]; unknown: string[] } {
  const byValue = new Map(userRules.map((r) => [r.value, r.kind]));
  const rules: StatusRule[] = [...userRules];
  const unknown: string[] = [];
  for (const { value } of values) {
    if (value === null || byValue.has(value)) continue;
    const kind = presetStatusKind(value);
    if (kind) rules.push({ value, kind });
    else unknown.push(value);
    byValue.set(value, kind ?? 'purchase');
  }
  return { rules, unknown };
}
