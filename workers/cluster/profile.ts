/**
 * Cluster profiles: per cluster, the mean of each feature in original units and in standard
 * deviations from the overall mean (of the transformed features clustering used), and short names
 * built from each cluster's strongest deviations ("high spend, frequent, recent").
 */
import { ClusterError } from './errors';
import { t, type MessageKey } from '../../src/lib/i18n';

/** What each cluster looks like. */
export interface ClusterProfile {
  /** Rows per cluster. */
  sizes: number[];
  /** Share of all rows per cluster. */
  shares: number[];
  /** means[c][j]: mean of feature j over cluster c, in original units (NaN for an empty cluster). */
  means: number[][];
  /** Mean of each feature over all rows, in original units. */
  overallMeans: number[];
  /**
   * stdMeans[c][j]: (mean over cluster c - mean over all rows) / standard deviation over all rows,
   * of the transformed feature j (0 for a feature without spread).
   */
  stdMeans: number[][];
}

/**
 * Profiles k clusters. `original` holds the features in original units, `features` the transformed
 * (e.g. log and standardised) values clustering ran on; both row-major n x d, same rows.
 */
export function clusterProfiles(
  original: Float64Array,
  features: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
): ClusterProfile {
  if (original.length !== n * d || features.length !== n * d || labels.length !== n) {
    throw new ClusterError('Profiles need the original and transformed features and one label per row.');
  }
  const sizes = new Array<number>(k).fill(0);
  const sumO = new Float64Array(k * d);
  const sumF = new Float64Array(k * d);
  const allO = new Float64Array(d);
  const allF = new Float64Array(d);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    const c = labels[i];
    sizes[c]++;
    for (let j = 0; j < d; j++) {
      sumO[c * d + j] += original[off + j];
      sumF[c * d + j] += features[off + j];
      allO[j] += original[off + j];
      allF[j] += features[off + j];
    }
  }
  const meanF = Array.from(allF, (s) => s / n);
  const sd = new Float64Array(d);
  for (let i = 0, off = 0; i < n; i++, off += d) {
    for (let j = 0; j < d; j++) sd[j] += (features[off + j] - meanF[j]) ** 2;
  }
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] / n);
  const means: number[][] = [];
  const stdMeans: number[][] = [];
  for (let c = 0; c < k; c++) {
    means.push(Array.from({ length: d }, (_, j) => (sizes[c] ? sumO[c * d + j] / sizes[c] : NaN)));
    stdMeans.push(
      Array.from({ length: d }, (_, j) => {
        if (!sizes[c]) return NaN;
        return sd[j] > 1e-12 * Math.max(1, Math.abs(meanF[j])) ? (sumF[c * d + j] / sizes[c] - meanF[j]) / sd[j] : 0;
      }),
    );
  }
  return { sizes, shares: sizes.map((s) => s / n), means, overallMeans: Array.from(allO, (s) => s / n), stdMeans };
}

/** Words for a feature whose name matches `pattern`: when a cluster is above / below average. */
interface Lexicon {
  pattern: RegExp;
  high: MessageKey;
  low: MessageKey;
}

// First match wins: "days_since_last_order" is recency, "avg_order_value" an amount, "total_orders" a count.
const LEXICON: Lexicon[] = [
  { pattern: /recen|days?_?since|since_?last|last_?(order|purchase|visit|seen|active)|inactiv/i, high: 'msg.cluster.word.lapsed', low: 'msg.cluster.word.recent' },
  { pattern: /tenure|customer_?age|age_?days|since_?first|first_?(order|purchase)|lifetime_?days/i, high: 'msg.cluster.word.longStanding', low: 'msg.cluster.word.new' },
  { pattern: /monetary|spend|revenue|amount|sales|value|basket|clv|ltv|money/i, high: 'msg.cluster.word.highSpend', low: 'msg.cluster.word.lowSpend' },
  { pattern: /freq|(^|_)(orders?|visits?|purchases?|transactions?|count|n|num)(_|$)/i, high: 'msg.cluster.word.frequent', low: 'msg.cluster.word.infrequent' },
];

/** The phrase for a feature above (`high`) or below (`low`) average, e.g. recency low -> "recent". */
export function featureWord(name: string, direction: 'high' | 'low'): string {
  const hit = LEXICON.find((l) => l.pattern.test(name));
  if (hit) return t(hit[direction]);
  return t(direction === 'high' ? 'msg.cluster.word.high' : 'msg.cluster.word.low', { feature: name.replace(/[_\-.]+/g, ' ').trim() });
}

/** Options of `clusterNames`. */
export interface NameOptions {
  /** Smallest |standardised mean| a feature needs to be named (default 0.5). */
  threshold?: number;
  /** Most features in a name (default 3). */
  maxTerms?: number;
  /** Words per feature that replace featureWord's (e.g. for a one-hot category); null keeps them. */
  words?: readonly ({ high: string; low: string } | null)[];
}

// A feature added only to tell two names apart must still deviate this much.
const MIN_EXTRA = 0.1;

/**
 * A short name per cluster from its strongest deviations, strongest first, e.g.
 * "high spend, frequent, recent"; "average" when no feature deviates by `threshold`.
 * Names are made distinct by adding the next-strongest features (deviating by at least 0.1),
 * then by a number.
 */
export function clusterNames(stdMeans: readonly (readonly number[])[], featureNames: readonly string[], opts: NameOptions = {}): string[] {
  const threshold = opts.threshold ?? 0.5;
  const maxTerms = opts.maxTerms ?? 3;
  const ranked = stdMeans.map((row) => {
    if (row.length !== featureNames.length) throw new ClusterError('Each standardised mean needs a feature name.');
    return row
      .map((z, j) => ({ z: Number.isFinite(z) ? z : 0, j }))
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.j - b.j)
      .map(({ z, j }) => ({ z, word: opts.words?.[j]?.[z >= 0 ? 'high' : 'low'] ?? featureWord(featureNames[j], z >= 0 ? 'high' : 'low') }));
  });
  const terms = ranked.map((r) => {
    const strong = r.filter((term) => Math.abs(term.z) >= threshold).length;
    return Math.min(strong, maxTerms);
  });
  const name = (c: number): string =>
    terms[c] === 0 ? t('msg.cluster.word.average') : ranked[c].slice(0, terms[c]).map((term) => term.word).join(t('msg.cluster.nameSeparator'));
  // Lengthen clashing names while that can tell them apart.
  for (let round = 0; round < featureNames.length; round++) {
    const names = ranked.map((_, c) => name(c));
    let grew = false;
    names.forEach((nm, c) => {
      const nextTerm = ranked[c][terms[c]];
      if (names.indexOf(nm) !== names.lastIndexOf(nm) && nextTerm && Math.abs(nextTerm.z) >= MIN_EXTRA) {
        terms[c]++;
        grew = true;
      }
    });
    if (!grew) break;
  }
  const names = ranked.map((_, c) => name(c));
  const seen = new Map<string, number>();
  return names.map((nm) => {
    const count = (seen.get(nm) ?? 0) + 1;
    seen.set(nm, count);
    return names.indexOf(nm) !== names.lastIndexOf(nm) ? `${nm} (${count})` : nm;
  });
}
