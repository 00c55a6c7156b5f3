/** The notebook a newcomer sees: a short tour of the bundled sample data. */
import type { Cell } from './cells';
import { defaultRfmRules } from './cells';
import { defaultRfmSpec } from '../segment/rfm-spec';
import { emptyOrdersSpec } from '../orders/orders-spec';
import { MODEL_ROLES } from './cells-orders';

/** The orders model of the sample shop: one row per order, refunds as negative amounts. */
function sampleModel(): Cell {
  const col = (column: string) => ({ table: 'orders', column });
  const spec = emptyOrdersSpec();
  spec.source = 'orders';
  spec.roles = { ...spec.roles, customer: col('customer_id'), orderId: col('order_id'), orderDate: col('order_date'), amount: col('amount'), category: col('category'), channel: col('channel'), discount: col('discount') };
  return { id: 'starter-orders', kind: 'orders', name: 'purchases', spec };
}

/** The starter notebook over the sample tables `customers` and `orders`. */
export function starterNotebook(): Cell[] {
  return [
    {
      id: 'starter-intro',
      kind: 'notes',
      name: 'intro',
      text: [
        '## Welcome to Segnote',
        'The sample shop is loaded as two tables: **customers** (who they are) and **orders** (what they bought, with refunds as negative amounts).',
        'Every SQL cell\'s result is a view named after the cell, so later cells can build on it. Drop your own CSV, Parquet, Arrow or JSON files anywhere on the page — they stay on this machine.',
      ].join('\n\n'),
    },
    {
      id: 'starter-monthly',
      kind: 'sql',
      name: 'monthly_revenue',
      sql: [
        'SELECT date_trunc(\'month\', order_date) AS month,',
        '       channel,',
        '       round(sum(amount), 2) AS revenue,',
        '       count(*) AS orders',
        'FROM orders',
        'GROUP BY ALL',
        'ORDER BY month, channel',
      ].join('\n'),
    },
    {
      id: 'starter-monthly-chart',
      kind: 'chart',
      name: 'revenue_chart',
      spec: { source: 'monthly_revenue', mark: 'line', x: 'month', y: 'revenue', color: 'channel', aggregate: 'sum' },
    },
    {
      id: 'starter-top',
      kind: 'sql',
      name: 'top_customers',
      sql: [
        'SELECT c.customer_id, c.city, c.income_band,',
        '       count(*) AS orders,',
        '       round(sum(o.amount), 2) AS revenue,',
        '       max(o.order_date) AS last_order',
        'FROM orders o JOIN customers c USING (customer_id)',
        'GROUP BY ALL',
        'ORDER BY revenue DESC',
        'LIMIT 100',
      ].join('\n'),
    },
    {
      id: 'starter-tier-chart',
      kind: 'chart',
      name: 'customers_by_tier',
      spec: { source: 'customers', mark: 'bar', x: 'city_tier', y: null, color: 'urban_rural', aggregate: 'count' },
    },
    sampleModel(),
    {
      id: 'starter-rfm-intro',
      kind: 'notes',
      name: 'rfm_intro',
      text: [
        '## Who are the best customers, and who is slipping away?',
        'The **RFM** cell below scores every customer 1–5 on **R**ecency (days since the last purchase), **F**requency (orders) and **M**onetary value (spend), then names segments from the scores — Champions, At Risk, Lost… Change the columns, the as-of date or the rules and it runs again; click a segment to list its customers and export them.',
      ].join('\n\n'),
    },
    {
      id: 'starter-rfm',
      kind: 'rfm',
      name: 'rfm',
      spec: defaultRfmSpec('purchases', { ...MODEL_ROLES }),
      rules: defaultRfmRules(),
    },
  ];
}
