/**
 * The k-means cluster cell: which relation and columns to cluster on (numeric features, and category
 * columns one-hot encoded), how each feature is prepared,
 * the seed, the range of k to sweep and the chosen k, the rule depth and the user's cluster names.
 */
import { columnKind } from '../segment/column-kinds';
import type { ColumnInfo } from '../segment/column-roles';
import { looksLikeIdColumn } from '../segment/segment-sources';

/** How one feature is prepared: log1p (null = as suggested for skewed features). */
export interface ClusterFeature {
  name: string;
  log: boolean | null;
}

/** A k-means clustering whose per-row result (id, cluster, cluster_name, features) is a view named after the cell. */
export interface ClusterCell {
  id: string;
  name: string;
  kind: 'cluster';
  /** The relation read ('' = not chosen yet). */
  source: string;
  idColumn: string;
  features: ClusterFeature[];
  /**
   * Category columns one-hot encoded: their most common values (up to MAX_CATEGORY_VALUES) each
   * become a 0/1 feature, the rest one "(other)" feature. Not standardised.
   */
  categories: string[];
  scale: 'zscore' | 'robust';
  missing: 'drop' | 'median';
  seed: number;
  /** The range of k the sweep covers. */
  kMin: number;
  kMax: number;
  /** The chosen k; null = the sweep's suggestion. */
  k: number | null;
  /** Depth of the rule tree, 1-3. */
  treeDepth: number;
  /** The user's names for clusters, by cluster number (1..k) as text; cleared when the clustering changes. */
  names: Record<string, string>;
}

/** Defaults of a new cluster cell. */
export const CLUSTER_DEFAULTS = { scale: 'zscore', missing: 'drop', seed: 42, kMin: 2, kMax: 10, treeDepth: 3 } as const;

/** Values of a category column that get a feature of their own; the rest share "(other)". */
export const MAX_CATEGORY_VALUES = 10;

/** Whether a column of this type can be one-hot encoded (text, boolean and other non-numeric, non-date types). */
export function isCategoryType(type: string): boolean {
  const kind = columnKind(type);
  return kind === 'text' || kind === 'boolean' || kind === 'other';
}

/** The RFM measures a cell clusters on by default. */
export const RFM_FEATURES = ['recency_days', 'frequency', 'monetary'] as const;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|INT\d*|Int\d+|Uint\d+|Float\d+|Decimal)/i;

/** Whether a column type is numeric. */
export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

/** A relation a cluster cell can read. */
export interface ClusterSourceCandidate {
  name: string;
  columns: ColumnInfo[];
}

/** The id column of a relation: customer_id, else a column ending in "id", else the first column. */
export function guessIdColumn(columns: readonly ColumnInfo[]): string {
  return (
    columns.find((c) => c.name.toLowerCase() === 'customer_id')?.name ??
    columns.find((c) => /(^|_)id$/i.test(c.name))?.name ??
    columns[0]?.name ??
    ''
  );
}

/** Settings for clustering `relation`: its RFM measures when present, else its numeric columns other than the id (at most 6). */
export function clusterSourceFor(relation: ClusterSourceCandidate): Pick<ClusterCell, 'source' | 'idColumn' | 'features' | 'categories'> {
  const idColumn = guessIdColumn(relation.columns);
  const has = (n: string) => relation.columns.some((c) => c.name === n);
  const names = RFM_FEATURES.every(has)
    ? [...RFM_FEATURES]
    : relation.columns.filter((c) => c.name !== idColumn && isNumericType(c.type) && !looksLikeIdColumn(c.name)).map((c) => c.name).slice(0, 6);
  return { source: relation.name, idColumn, features: names.map((name) => ({ name, log: null })), categories: [] };
}

/** A new cluster cell over the first relation with the RFM measures (an RFM cell's view), else the first with numeric columns. */
export function newClusterCell(base: { id: string; name: string }, relations: readonly ClusterSourceCandidate[]): ClusterCell {
  const rfm = relations.find((r) => RFM_FEATURES.every((n) => r.columns.some((c) => c.name === n)));
  const pick = rfm ?? relations.find((r) => r.columns.some((c) => isNumericType(c.type)));
  const source = pick ? clusterSourceFor(pick) : { source: '', idColumn: '', features: [], categories: [] };
  return { ...base, kind: 'cluster', ...source, ...CLUSTER_DEFAULTS, k: null, names: {} };
}
