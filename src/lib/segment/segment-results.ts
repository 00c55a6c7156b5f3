/**
 * The rows the segmentation queries return, typed, and the small reshaping the page does with
 * them: a cross-tab as a matrix with totals, and a comparison pivoted to one row per attribute
 * value with a column per segment, strongest differences first. Pure.
 */

/** A row of `attributeSegmentSql`. */
export interface AttributeRow {
  band_1: string;
  band_1_order: number;
  band_2?: string;
  band_2_order?: number;
  share_in_band_1?: number | null;
  customers: number;
  share_customers: number | null;
  revenue: number | null;
  share_revenue: number | null;
  revenue_per_customer: number | null;
  avg_order_value: number | null;
}

/** A row of `profileSql`. */
export interface ProfileRow {
  attribute: string;
  kind: 'category' | 'numeric';
  value: string | null;
  in_segment: number;
  share_in_segment: number | null;
  share_overall: number | null;
  mean_in_segment: number | null;
  mean_overall: number | null;
  index: number | null;
  strength: number | null;
}

/** A row of `segmentSizesSql`. */
export interface SizeRow {
  segment: string;
  segment_order: number;
  customers: number;
  share_customers: number | null;
  revenue: number | null;
  share_revenue: number | null;
  revenue_per_customer: number | null;
}

/** A row of `liftSql`. */
export interface LiftRow {
  category: string;
  segment_orders: number;
  share_in_segment: number | null;
  overall_orders: number;
  share_overall: number | null;
  lift: number | null;
  segment_revenue: number | null;
}

/** A row of `channelMixSql`. */
export interface MixRow {
  channel: string;
  segment_orders: number;
  share_in_segment: number | null;
  overall_orders: number;
  share_overall: number | null;
  index: number | null;
  segment_revenue: number | null;
}

/** A row of `compareSegmentsSql`. */
export interface CompareRow {
  attribute: string;
  kind: 'category' | 'numeric';
  value: string | null;
  segment: string;
  segment_order: number;
  customers: number;
  share: number | null;
  mean: number | null;
  index: number | null;
}

/** How a group reads: its band, or "band 1 × band 2" for a pair. */
export function groupLabel(r: Pick<AttributeRow, 'band_1' | 'band_2'>): string {
  return r.band_2 === undefined ? r.band_1 : `${r.band_1} × ${r.band_2}`;
}

/** The measures a cross-tab can show. */
export type CrossTabMeasure = 'customers' | 'share_in_band_1' | 'revenue' | 'avg_order_value';

/** A two-column attribute result as a matrix: row and column labels in band order, totals. */
export interface CrossTab {
  rows: string[];
  cols: string[];
  /** cells[r][c]: the row of that pair (every pair is listed by the query). */
  cells: (AttributeRow | undefined)[][];
  rowCustomers: number[];
  colCustomers: number[];
  total: number;
}

/** Arranges the rows of a two-column `attributeSegmentSql` result as a matrix. */
export function crossTab(rows: readonly AttributeRow[]): CrossTab {
  const rowOrder = new Map<number, string>();
  const colOrder = new Map<number, string>();
  for (const r of rows) {
    rowOrder.set(r.band_1_order, r.band_1);
    if (r.band_2_order !== undefined && r.band_2 !== undefined) colOrder.set(r.band_2_order, r.band_2);
  }
  const rk = [...rowOrder.keys()].sort((a, b) => a - b);
  const ck = [...colOrder.keys()].sort((a, b) => a - b);
  const ri = new Map(rk.map((k, i) => [k, i]));
  const ci = new Map(ck.map((k, i) => [k, i]));
  const cells: (AttributeRow | undefined)[][] = rk.map(() => ck.map(() => undefined));
  const rowCustomers = rk.map(() => 0);
  const colCustomers = ck.map(() => 0);
  let total = 0;
  for (const r of rows) {
    const i = ri.get(r.band_1_order);
    const j = r.band_2_order === undefined ? undefined : ci.get(r.band_2_order);
    if (i === undefined || j === undefined) continue;
    cells[i][j] = r;
    rowCustomers[i] += r.customers;
    colCustomers[j] += r.customers;
    total += r.customers;
  }
  return { rows: rk.map((k) => rowOrder.get(k)!), cols: ck.map((k) => colOrder.get(k)!), cells, rowCustomers, colCustomers, total };
}

/** One attribute value (or numeric attribute) across the compared segments. */
export interface ComparePivotRow {
  attribute: string;
  kind: 'category' | 'numeric';
  value: string | null;
  /** Per segment, in segment order (index 0 = all customers). */
  cells: { segment: string; customers: number; share: number | null; mean: number | null; index: number | null }[];
  /**
   * The largest |ln index| over the segments (not all customers) among cells held by enough
   * customers (see `comparePivot`); 0 when none.
   */
  strength: number;
}

/** The segments of a comparison in order (all customers first). */
export function compareSegments(rows: readonly CompareRow[]): string[] {
  const names = new Map<number, string>();
  for (const r of rows) names.set(r.segment_order, r.segment);
  return [...names.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

/**
 * A comparison pivoted: one row per attribute value (numeric attributes: one row, means), a cell
 * per segment; sorted by the strongest difference from all customers, ties in the query's order.
 * A value's difference in a segment counts only when at least `minShare` of the segment's
 * customers (and at least 3) hold it, so rare values with wild ratios do not crowd the top.
 */
export function comparePivot(rows: readonly CompareRow[], minShare = 0.02): ComparePivotRow[] {
  const segments = compareSegments(rows);
  const byKey = new Map<string, { row: ComparePivotRow; first: number }>();
  rows.forEach((r, i) => {
    const key = JSON.stringify([r.attribute, r.kind, r.value]);
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        row: { attribute: r.attribute, kind: r.kind, value: r.value, cells: segments.map((segment) => ({ segment, customers: 0, share: null, mean: null, index: null })), strength: 0 },
        first: i,
      };
      byKey.set(key, entry);
    }
    const at = segments.indexOf(r.segment);
    if (at >= 0) entry.row.cells[at] = { segment: r.segment, customers: r.customers, share: r.share, mean: r.mean, index: r.index };
  });
  const out = [...byKey.values()];
  for (const { row } of out) {
    row.strength = Math.max(
      0,
      ...row.cells.slice(1).map((c) => {
        if (c.index === null || c.index <= 0) return 0;
        // Categories: the segment size is customers / share; too few holders, no weight.
        if (row.kind === 'category' && (c.customers < 3 || (c.share !== null && c.share < minShare))) return 0;
        return Math.abs(Math.log(c.index));
      }),
    );
  }
  return out.sort((a, b) => b.row.strength - a.row.strength || a.first - b.first).map((e) => e.row);
}
