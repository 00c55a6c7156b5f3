/**
 * The SQL the benchmark runs: the textbook RFM query a user would write by hand (the reference),
 * Segnote's own generated RFM SQL, and the k-means feature and seed definitions every k-means
 * engine must share so that times and inertia compare.
 */
import { emptyOrdersSpec, type OrdersModelSpec } from '../../src/lib/orders/orders-spec';
import { noFacts, purchasesSql } from '../../src/lib/orders/orders-sql';
import { rfmSql } from '../../src/lib/segment/rfm-sql';
import { DEFAULT_RFM_RULES } from '../../src/lib/segment/rfm-rules';
import { defaultRfmSpec } from '../../src/lib/segment/rfm-spec';

/**
 * RFM as it is usually written by hand: one GROUP BY per customer (with COUNT(DISTINCT order_id),
 * since a user does not know the ids are unique), three NTILE(5) windows, and a CASE mapping the
 * scores to the same 11 segments as Segnote's default rule table. As-of is the day after the last
 * order. The result is kept as a table, as Segnote keeps a cell's result.
 */
export function textbookRfmSql(orders: string, result: string): string {
  return `CREATE OR REPLACE TABLE ${result} AS
WITH as_of AS (
  SELECT max(order_date) + 1 AS as_of FROM ${orders}
),
customer_rfm AS (
  SELECT customer_id,
         (SELECT as_of FROM as_of) - max(order_date) AS recency,
         count(DISTINCT order_id) AS frequency,
         sum(amount) AS monetary
  FROM ${orders}
  GROUP BY customer_id
),
scores AS (
  SELECT *,
         NTILE(5) OVER (ORDER BY recency DESC) AS r,
         NTILE(5) OVER (ORDER BY frequency) AS f,
         NTILE(5) OVER (ORDER BY monetary) AS m
  FROM customer_rfm
)
SELECT *,
  CASE
    WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'Champions'
    WHEN r >= 3 AND f >= 3 AND m >= 3 THEN 'Loyal Customers'
    WHEN r = 5 AND f = 1 THEN 'New Customers'
    WHEN r IN (3, 4) AND f = 1 THEN 'Promising'
    WHEN r >= 4 THEN 'Potential Loyalist'
    WHEN r = 3 THEN 'Need Attention'
    WHEN r = 1 AND f >= 4 AND m >= 4 THEN 'Can''t Lose Them'
    WHEN r <= 2 AND f >= 3 AND m >= 3 THEN 'At Risk'
    WHEN r = 2 THEN 'About To Sleep'
    WHEN r = 1 AND f >= 2 THEN 'Hibernating'
    ELSE 'Lost'
  END AS segment
FROM scores`;
}

/**
 * Segnote's RFM spec for the benchmark table: default settings, plus what the app's one-time data
 * check finds on this data (unique order ids, DATE and DOUBLE columns, no refunds, no nulls).
 */
export function benchRfmSpec(orders: string) {
  return {
    ...defaultRfmSpec(orders, { customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', orderId: 'order_id' }),
    orderIdsUnique: true,
    facts: { dateIsDate: true, amountIsNumeric: true, noRefunds: true, noNulls: true },
  };
}

/** Segnote's own RFM SELECT (what the app runs as a cell) over `orders`. */
export function segnoteRfmSql(orders: string): string {
  return rfmSql(benchRfmSpec(orders), DEFAULT_RFM_RULES);
}

/** k-means parameters of the issue: k = 8, exactly 20 Lloyd iterations (no early stop, tol 0), one start. */
export const KMEANS = { k: 8, iterations: 20 } as const;

/**
 * The k-means features over an RFM result (Segnote's view or table): per customer, in
 * customer_id order, recency_days, ln(1 + frequency) and ln(1 + monetary), each standardised
 * with its population mean and standard deviation.
 */
export function kmeansFeaturesSql(rfm: string): string {
  return `WITH raw AS (
  SELECT customer_id, recency_days::DOUBLE AS x1, ln(1 + frequency) AS x2, ln(1 + monetary) AS x3 FROM ${rfm}
),
stats AS (
  SELECT avg(x1) AS m1, stddev_pop(x1) AS s1, avg(x2) AS m2, stddev_pop(x2) AS s2, avg(x3) AS m3, stddev_pop(x3) AS s3 FROM raw
)
SELECT customer_id, (x1 - m1) / s1 AS f1, (x2 - m2) / s2 AS f2, (x3 - m3) / s3 AS f3
FROM raw CROSS JOIN stats
ORDER BY customer_id`;
}

/**
 * The k-means starting centres: the first k distinct feature vectors when customers are ordered
 * by a fixed multiplicative hash of their id (Knuth's 2654435761), so every engine starts from
 * the same points and no randomness is involved.
 */
export function kmeansSeedsSql(features: string): string {
  return `SELECT f1, f2, f3 FROM (
  SELECT f1, f2, f3, min((customer_id * 2654435761) % 4294967296) AS h FROM ${features} GROUP BY f1, f2, f3
) ORDER BY h LIMIT ${KMEANS.k}`;
}

/** The orders model the app guesses for the benchmark table (one row per order, no statuses or refunds). */
export function benchModelSpec(orders: string): OrdersModelSpec {
  const spec = emptyOrdersSpec();
  const col = (column: string) => ({ table: orders, column });
  spec.source = orders;
  spec.roles = { ...spec.roles, customer: col('customer_id'), orderId: col('order_id'), orderDate: col('order_date'), amount: col('amount'), channel: col('channel') };
  return spec;
}

/** The facts the orders model's checks find on the benchmark table (test/bench/model-speed.ts checks them). */
export const BENCH_MODEL_FACTS = { fillFromOrder: false, cancelIds: false, customerWhole: false, noMissing: true, noRefundLines: true, amountCents: true } as const;

/** The clean purchases view of the benchmark table, with the facts the app's checks find on it. */
export function benchModelSql(orders: string): string {
  const spec = benchModelSpec(orders);
  const types: Record<string, string> = { customer_id: 'BIGINT', order_id: 'BIGINT', order_date: 'DATE', amount: 'DOUBLE', channel: 'VARCHAR' };
  return purchasesSql(spec, { ...noFacts(spec), joinMany: [], ...BENCH_MODEL_FACTS }, (ref) => types[ref.column]);
}
