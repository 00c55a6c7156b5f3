/**
 * Customer value concentration over a per-customer money column (e.g. the `revenue` of an RFM
 * view): Pareto/Lorenz curve, Gini coefficient, top-p% shares and deciles.
 *
 * Shared definitions:
 * - Customers with a NULL value are left out; a negative value (a customer whose refunds exceed
 *   their purchases) is clamped to 0: such a customer counts as a customer who brought no revenue.
 *   Without the clamp the shares could exceed 1 and the Gini is undefined.
 * - "Top" order is value descending, then the id column ascending, so positions are deterministic
 *   even when customers tie on value (sums over the top k do not depend on tie order anyway).
 * - Shares are fractions of 1; they are NULL when total revenue is 0.
 */
import { ident, num } from '../sql/quote';

function valuesCte(view: string, col: string, idCol: string | null): string {
  const id = idCol ? `, ${ident(idCol)} AS id` : '';
  return `value_rows AS (
  SELECT greatest(CAST(${ident(col)} AS DOUBLE), 0) AS value${id}
  FROM ${ident(view)}
  WHERE ${ident(col)} IS NOT NULL
)`;
}

function rankedCtes(view: string, col: string, idCol: string): string {
  return `${valuesCte(view, col, idCol)},
value_ranked AS (
  SELECT row_number() OVER w AS k, sum(value) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
  FROM value_rows
  WINDOW w AS (ORDER BY value DESC, id)
),
value_totals AS (SELECT count(*) AS n, sum(value) AS total FROM value_rows)`;
}

/**
 * The Pareto (Lorenz-type) curve, customers sorted by value descending: for i = 0..points, the
 * top k = ceil(i * n / points) customers, as share_customers = k / n, and the share of revenue
 * they bring (share_revenue). Rows: point, customers, share_customers, share_revenue; starts at
 * (0, 0) and ends at (1, 1). The classic Lorenz curve (ascending) is (1 - x, 1 - y) of this.
 */
export function lorenzSql(view: string, col: string, points = 100, idCol = 'customer_id'): string {
  if (!Number.isInteger(points) || points < 1) throw new Error(`invalid point count: ${points}`);
  const p = num(points);
  return `WITH
${rankedCtes(view, col, idCol)},
value_grid AS (SELECT unnest(range(0, ${p} + 1)) AS i)
SELECT CAST(g.i AS INTEGER) AS point,
  (g.i * t.n + ${p} - 1) // ${p} AS customers,
  ((g.i * t.n + ${p} - 1) // ${p}) / nullif(t.n, 0) AS share_customers,
  coalesce(r.cum, 0) / nullif(t.total, 0) AS share_revenue
FROM value_grid g
CROSS JOIN value_totals t
LEFT JOIN value_ranked r ON r.k = (g.i * t.n + ${p} - 1) // ${p}
ORDER BY g.i`;
}

/**
 * The Gini coefficient of customer revenue (negative totals clamped to 0): with values sorted
 * ascending x_1..x_n, G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n, which equals the mean
 * absolute difference over all ordered pairs divided by twice the mean. 0 = everyone spends the
 * same (also for a single customer), towards 1 = one customer brings everything. NULL when there
 * are no customers or total revenue is 0. Rows: gini, customers, revenue, negative_customers.
 */
export function giniSql(view: string, col: string): string {
  return `WITH
${valuesCte(view, col, null)},
value_sorted AS (SELECT value, row_number() OVER (ORDER BY value) AS i FROM value_rows),
value_sums AS (SELECT count(*) AS n, sum(value) AS total, sum(i * value) AS weighted FROM value_sorted)
SELECT CASE WHEN n = 0 OR total = 0 THEN NULL ELSE 2 * weighted / (n * total) - (n + 1) / n END AS gini,
  n AS customers,
  coalesce(total, 0) AS revenue,
  (SELECT count(*) FROM ${ident(view)} WHERE ${ident(col)} < 0) AS negative_customers
FROM value_sums`;
}

/**
 * The share of revenue from the top p % of customers, for each p in `percents` (0 < p <= 100):
 * the first k = ceil(p * n / 100) customers in the deterministic top order (value desc, id), so a
 * tie at the boundary is split by id rather than widening the group. Rows: pct, customers,
 * share_revenue (NULL when there are no customers or no revenue).
 */
export function topShareSql(view: string, col: string, percents: number[] = [1, 5, 10, 20], idCol = 'customer_id'): string {
  if (percents.length === 0) throw new Error('no percentages given');
  for (const p of percents) if (!(p > 0 && p <= 100)) throw new Error(`invalid percentage: ${p} (expected 0 < p <= 100)`);
  const values = percents.map((p, i) => `(${num(i)}, ${num(p)})`).join(', ');
  return `WITH
${rankedCtes(view, col, idCol)},
value_pcts(ord, pct) AS (VALUES ${values}),
value_k AS (
  SELECT ord, pct, CAST(ceil(pct * n / 100) AS BIGINT) AS k, total
  FROM value_pcts CROSS JOIN value_totals
)
SELECT CAST(pct AS DOUBLE) AS pct, q.k AS customers, r.cum / nullif(q.total, 0) AS share_revenue
FROM value_k q
LEFT JOIN value_ranked r ON r.k = q.k
ORDER BY q.ord`;
}

/**
 * Revenue per customer decile: decile 1 = the top 10 % by value. Assignment is NTILE(10) over
 * (value desc, id), so it is deterministic and, when n is not a multiple of 10, the first deciles
 * hold one customer more. Fewer than 10 customers give fewer deciles. Rows: decile, customers,
 * revenue, share_revenue, min_value, max_value, avg_value.
 */
export function decilesSql(view: string, col: string, idCol = 'customer_id'): string {
  return `WITH
${valuesCte(view, col, idCol)},
value_deciles AS (SELECT value, ntile(10) OVER (ORDER BY value DESC, id) AS decile FROM value_rows),
value_totals AS (SELECT sum(value) AS total FROM value_rows)
SELECT CAST(decile AS INTEGER) AS decile, count(*) AS customers, sum(value) AS revenue,
  sum(value) / nullif(any_value(total), 0) AS share_revenue,
  min(value) AS min_value, max(value) AS max_value, avg(value) AS avg_value
FROM value_deciles CROSS JOIN value_totals
GROUP BY decile
ORDER BY decile`;
}
