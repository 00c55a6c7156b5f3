/**
 * Readable rules for clusters: a shallow CART tree (Gini) that predicts the cluster from the
 * original feature values, and its leaves as if-then rules with coverage and accuracy.
 *
 * For speed on large n the tree is grown on a deterministic sample of rows (default 100,000) with
 * at most 32 quantile cut points per feature; the best coarse cut of each feature is then refined
 * exactly among the sample values next to it, and the threshold shown is the roundest number that
 * splits the sample the same way. Leaf counts, predictions and accuracy come from all rows.
 * Sibling leaves that predict the same cluster are merged.
 */
import { ClusterError } from './errors';
import { createRng, sampleIndices } from './rng';
import { t } from '../../src/lib/i18n';

/** A node of a fitted tree. */
export type TreeNode = TreeSplit | TreeLeaf;

/** Rows with feature ≤ threshold go left, the others right. */
export interface TreeSplit {
  kind: 'split';
  feature: number;
  threshold: number;
  left: TreeNode;
  right: TreeNode;
  /** Rows (of all rows) reaching this node. */
  count: number;
}

/** A leaf predicts the most common cluster of the rows reaching it. */
export interface TreeLeaf {
  kind: 'leaf';
  cluster: number;
  /** Rows (of all rows) reaching this leaf. */
  count: number;
  /** Of those, rows in `cluster`. */
  correct: number;
}

/** A fitted tree. */
export interface DecisionTree {
  root: TreeNode;
  /** Rows the leaf statistics were computed on (all rows). */
  n: number;
  /** Rows the tree was grown on (the sample). */
  fitRows: number;
  /** Share of all rows whose cluster the tree predicts. */
  accuracy: number;
}

/** Options of `fitTree`. */
export interface TreeOptions {
  /** Depth limit, 1 to 6 (default 3). */
  maxDepth?: number;
  /** Rows to grow the tree on (default 100,000). */
  maxSamples?: number;
  /** Quantile cut points per feature (default 32, at most 255). */
  bins?: number;
  /** Smallest leaf, as a share of the sampled rows (default 0.01). */
  minLeafShare?: number;
  /** Seed of the row sample (default 0). */
  seed?: number;
}

/** Grows a tree predicting `labels` (0..k-1) from the n x d rows of `data` (row-major, original units). */
export function fitTree(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  opts: TreeOptions = {},
): DecisionTree {
  const maxDepth = opts.maxDepth ?? 3;
  const bins = Math.min(opts.bins ?? 32, 255);
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 6) throw new ClusterError(t('msg.cluster.treeDepth', { depth: String(maxDepth) }));
  if (n < 1 || data.length !== n * d || labels.length !== n) throw new ClusterError('The tree needs rows of features and one cluster per row.');
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ClusterError(t('msg.cluster.treeMissing', { row: Math.floor(i / d) + 1 }));
  }
  const rows = sampleIndices(n, opts.maxSamples ?? 100_000, createRng(opts.seed ?? 0));
  const s = rows.length;
  const xs = new Float64Array(s * d); // column-major sample
  const y = new Int32Array(s);
  for (let r = 0; r < s; r++) {
    y[r] = labels[rows[r]];
    for (let j = 0; j < d; j++) xs[j * s + r] = data[rows[r] * d + j];
  }
  const cuts: Float64Array[] = [];
  const exact: boolean[] = [];
  const bin = new Uint8Array(s * d);
  for (let j = 0; j < d; j++) {
    const col = xs.subarray(j * s, j * s + s);
    const c = cutPoints(col, bins);
    cuts.push(c.cuts);
    exact.push(c.exact);
    for (let r = 0; r < s; r++) bin[j * s + r] = binOf(c.cuts, col[r]);
  }
  const grower = new Grower(xs, y, bin, cuts, exact, s, d, k, Math.max(1, Math.ceil((opts.minLeafShare ?? 0.01) * s)));
  const all = new Int32Array(s);
  for (let r = 0; r < s; r++) all[r] = r;
  const shape = grower.grow(all, 0, maxDepth);
  const root = withStats(shape, data, n, d, labels, k);
  const merged = mergeLeaves(root);
  return { root: merged, n, fitRows: s, accuracy: correctOf(merged) / n };
}

/** The cluster the tree predicts for each of the n x d rows of `data`. */
export function predictTree(tree: DecisionTree, data: Float64Array, n: number, d: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let node = tree.root;
    while (node.kind === 'split') node = data[i * d + node.feature] <= node.threshold ? node.left : node.right;
    out[i] = node.cluster;
  }
  return out;
}

/** One leaf of a tree as a rule. */
export interface TreeRule {
  cluster: number;
  /** Readable conditions, all of which hold, e.g. ["monetary > 1,234.5", "recency_days ≤ 30"]. */
  conditions: string[];
  /** The conditions joined with " and " ("all rows" for a tree without splits). */
  text: string;
  /** Rows the rule covers. */
  count: number;
  /** Share of all rows the rule covers. */
  coverage: number;
  /** Share of the covered rows that are in `cluster`. */
  accuracy: number;
}

/** How a 0/1 feature (a one-hot category) reads in a rule when it is 1 (`yes`) and 0 (`no`). */
export interface IndicatorWords {
  yes: string;
  no: string;
}

/**
 * The leaves of a tree as if-then rules, by cluster and then by coverage (largest first).
 * Conditions on the same feature along a path are merged into one range ("10 < x ≤ 20");
 * features with `indicators[j]` are 0/1 and read as its words ("channel = web").
 */
export function treeRules(tree: DecisionTree, featureNames: readonly string[], indicators: readonly (IndicatorWords | null)[] = []): TreeRule[] {
  const rules: TreeRule[] = [];
  const walk = (node: TreeNode, ranges: Map<number, [number, number]>): void => {
    if (node.kind === 'leaf') {
      const conditions = [...ranges].map(([j, [lo, hi]]) => {
        const words = indicators[j];
        // A split of a 0/1 feature falls between 0 and 1: one side holds the 0s, the other the 1s.
        if (words && (lo === -Infinity) !== (hi === Infinity)) return lo === -Infinity ? words.no : words.yes;
        return condition(featureNames[j] ?? `feature ${j + 1}`, lo, hi);
      });
      rules.push({
        cluster: node.cluster,
        conditions,
        text: conditions.length ? conditions.join(t('msg.cluster.rule.and')) : t('msg.cluster.rule.all'),
        count: node.count,
        coverage: node.count / tree.n,
        accuracy: node.count ? node.correct / node.count : 0,
      });
      return;
    }
    const [lo, hi] = ranges.get(node.feature) ?? [-Infinity, Infinity];
    walk(node.left, new Map(ranges).set(node.feature, [lo, Math.min(hi, node.threshold)]));
    walk(node.right, new Map(ranges).set(node.feature, [Math.max(lo, node.threshold), hi]));
  };
  walk(tree.root, new Map());
  return rules.sort((a, b) => a.cluster - b.cluster || b.count - a.count);
}

function condition(name: string, lo: number, hi: number): string {
  if (lo === -Infinity) return `${name} ≤ ${formatNumber(hi)}`;
  if (hi === Infinity) return `${name} > ${formatNumber(lo)}`;
  return `${formatNumber(lo)} < ${name} ≤ ${formatNumber(hi)}`;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

/** A threshold for display: grouped thousands, no float noise ("1,234.5"). */
export function formatNumber(x: number): string {
  return NUMBER.format(Number(x.toPrecision(12)) + 0);
}

/** The number with the fewest significant digits in [lo, hi) (lo < hi): a readable threshold. */
export function niceBetween(lo: number, hi: number): number {
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  for (let p = Math.ceil(Math.log10(mag)) + 1; p > -320; p--) {
    let t: number;
    if (p >= 0) {
      const step = 10 ** p;
      t = Math.ceil(lo / step) * step;
    } else {
      const f = 10 ** -p;
      t = Math.round(lo * f) / f;
      if (t < lo) t = Math.ceil(lo * f) / f;
      if (t < lo) t = (Math.ceil(lo * f) + 1) / f;
    }
    if (t >= lo && t < hi) return t + 0;
  }
  return lo;
}

/** Up to `bins` cut points: every distinct value but the largest when there are few (exact), else quantiles. */
function cutPoints(col: Float64Array, bins: number): { cuts: Float64Array; exact: boolean } {
  const sorted = Float64Array.from(col).sort();
  const distinct: number[] = [];
  for (let r = 0; r < sorted.length; r++) if (r === 0 || sorted[r] !== sorted[r - 1]) distinct.push(sorted[r]);
  if (distinct.length <= bins + 1) return { cuts: Float64Array.from(distinct.slice(0, -1)), exact: true };
  const max = sorted[sorted.length - 1];
  const out: number[] = [];
  for (let q = 1; q <= bins; q++) {
    const v = sorted[Math.floor((q * sorted.length) / (bins + 1))];
    if (v < max && (out.length === 0 || v > out[out.length - 1])) out.push(v);
  }
  return { cuts: Float64Array.from(out), exact: false };
}

/** Index of the first cut ≥ v (cuts.length when none): bins 0..b hold the values ≤ cuts[b]. */
function binOf(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** n times the Gini impurity of a node with these class counts. */
function impurity(counts: Int32Array | Float64Array, total: number, k: number, minus?: Int32Array): number {
  if (total === 0) return 0;
  let sq = 0;
  for (let c = 0; c < k; c++) {
    const v = minus ? counts[c] - minus[c] : counts[c];
    sq += v * v;
  }
  return total - sq / total;
}

/** A split under construction (sample rows with feature ≤ value go left). */
interface Candidate {
  score: number;
  feature: number;
  value: number;
}

/** The tree's shape before statistics: splits with thresholds, leaves as placeholders. */
type Shape = { kind: 'split'; feature: number; threshold: number; left: Shape; right: Shape } | { kind: 'leaf' };

class Grower {
  constructor(
    private readonly xs: Float64Array,
    private readonly y: Int32Array,
    private readonly bin: Uint8Array,
    private readonly cuts: Float64Array[],
    /** Whether a feature's cuts are all its distinct values (no refinement needed). */
    private readonly exact: boolean[],
    private readonly s: number,
    private readonly d: number,
    private readonly k: number,
    private readonly minLeaf: number,
  ) {}

  grow(idx: Int32Array, depth: number, maxDepth: number): Shape {
    const { k, y } = this;
    const total = new Int32Array(k);
    for (let q = 0; q < idx.length; q++) total[y[idx[q]]]++;
    const pure = total.some((c) => c === idx.length);
    if (depth >= maxDepth || pure || idx.length < 2 * this.minLeaf) return { kind: 'leaf' };
    const parent = impurity(total, idx.length, k);
    const best = this.bestSplit(idx, total);
    if (!best || parent - best.score <= 1e-9 * idx.length) return { kind: 'leaf' };
    const col = this.xs.subarray(best.feature * this.s, (best.feature + 1) * this.s);
    let leftMax = -Infinity;
    let rightMin = Infinity;
    let nl = 0;
    for (let q = 0; q < idx.length; q++) {
      const v = col[idx[q]];
      if (v <= best.value) {
        nl++;
        if (v > leftMax) leftMax = v;
      } else if (v < rightMin) rightMin = v;
    }
    const left = new Int32Array(nl);
    const right = new Int32Array(idx.length - nl);
    for (let q = 0, a = 0, b = 0; q < idx.length; q++) {
      if (col[idx[q]] <= best.value) left[a++] = idx[q];
      else right[b++] = idx[q];
    }
    return {
      kind: 'split',
      feature: best.feature,
      threshold: niceBetween(leftMax, rightMin),
      left: this.grow(left, depth + 1, maxDepth),
      right: this.grow(right, depth + 1, maxDepth),
    };
  }

  private bestSplit(idx: Int32Array, total: Int32Array): Candidate | null {
    let best: Candidate | null = null;
    for (let f = 0; f < this.d; f++) {
      const c = this.bestOnFeature(f, idx, total);
      if (c && (!best || c.score < best.score)) best = c;
    }
    return best;
  }

  /** The best coarse cut on feature f, then the exact best among the sample values around it. */
  private bestOnFeature(f: number, idx: Int32Array, total: Int32Array): Candidate | null {
    const { k, y, s, minLeaf } = this;
    const cuts = this.cuts[f];
    const nb = cuts.length + 1;
    if (nb < 2) return null;
    const bin = this.bin.subarray(f * s, f * s + s);
    const n = idx.length;
    const hist = new Int32Array(nb * k);
    for (let q = 0; q < n; q++) hist[bin[idx[q]] * k + y[idx[q]]]++;
    const left = new Int32Array(k);
    let nl = 0;
    let coarse = -1;
    let coarseScore = Infinity;
    for (let b = 0; b < nb - 1; b++) {
      for (let c = 0; c < k; c++) {
        left[c] += hist[b * k + c];
        nl += hist[b * k + c];
      }
      if (nl < minLeaf) continue;
      if (n - nl < minLeaf) break;
      const score = impurity(left, nl, k) + impurity(total, n - nl, k, left);
      if (score < coarseScore) {
        coarseScore = score;
        coarse = b;
      }
    }
    if (coarse < 0) return null;
    if (this.exact[f]) return { score: coarseScore, feature: f, value: cuts[coarse] };
    // Refine: rows in bins coarse and coarse + 1 may go either way; the rest stay put.
    left.fill(0);
    nl = 0;
    const near: number[] = [];
    const col = this.xs.subarray(f * s, f * s + s);
    for (let q = 0; q < n; q++) {
      const r = idx[q];
      const b = bin[r];
      if (b < coarse) {
        left[y[r]]++;
        nl++;
      } else if (b <= coarse + 1) near.push(r);
    }
    near.sort((p, q) => col[p] - col[q]);
    let best: Candidate | null = null;
    for (let p = 0; p <= near.length; p++) {
      if (p > 0) {
        left[y[near[p - 1]]]++;
        nl++;
      }
      if (p > 0 && p < near.length && col[near[p - 1]] === col[near[p]]) continue;
      if (nl < minLeaf || n - nl < minLeaf) continue;
      const score = impurity(left, nl, k) + impurity(total, n - nl, k, left);
      if (!best || score < best.score) {
        best = { score, feature: f, value: p > 0 ? col[near[p - 1]] : cuts[coarse - 1] };
      }
    }
    return best;
  }
}

/** Leaf statistics from all rows; each leaf predicts its most common cluster (lowest on ties). */
function withStats(shape: Shape, data: Float64Array, n: number, d: number, labels: Int32Array, k: number): TreeNode {
  const leaves: Shape[] = [];
  const ids = new Map<Shape, number>();
  const collect = (s: Shape): void => {
    if (s.kind === 'leaf') {
      ids.set(s, leaves.length);
      leaves.push(s);
    } else {
      collect(s.left);
      collect(s.right);
    }
  };
  collect(shape);
  const counts = new Float64Array(leaves.length * k);
  for (let i = 0; i < n; i++) {
    let node = shape;
    while (node.kind === 'split') node = data[i * d + node.feature] <= node.threshold ? node.left : node.right;
    counts[ids.get(node)! * k + labels[i]]++;
  }
  const build = (s: Shape): TreeNode => {
    if (s.kind === 'leaf') {
      const base = ids.get(s)! * k;
      let cluster = 0;
      let count = 0;
      for (let c = 0; c < k; c++) {
        count += counts[base + c];
        if (counts[base + c] > counts[base + cluster]) cluster = c;
      }
      return { kind: 'leaf', cluster, count, correct: counts[base + cluster] };
    }
    const left = build(s.left);
    const right = build(s.right);
    return { kind: 'split', feature: s.feature, threshold: s.threshold, left, right, count: left.count + right.count };
  };
  return build(shape);
}

/** Replaces splits whose two sides are leaves predicting the same cluster by one leaf. */
function mergeLeaves(node: TreeNode): TreeNode {
  if (node.kind === 'leaf') return node;
  const left = mergeLeaves(node.left);
  const right = mergeLeaves(node.right);
  if (left.kind === 'leaf' && right.kind === 'leaf' && left.cluster === right.cluster) {
    return { kind: 'leaf', cluster: left.cluster, count: left.count + right.count, correct: left.correct + right.correct };
  }
  return { ...node, left, right };
}

function correctOf(node: TreeNode): number {
  return node.kind === 'leaf' ? node.correct : correctOf(node.left) + correctOf(node.right);
}
