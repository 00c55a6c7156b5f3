/**
 * Feature preparation for clustering: missing values, an optional log1p per feature, then
 * standardisation. Columns are Float64Arrays; NaN and ±Infinity count as missing.
 * Rules: a constant feature (spread 0) standardises to all zeros and is flagged `constant`;
 * robust scaling whose IQR is 0 falls back to the standard deviation.
 */
import { ClusterError } from './errors';
import { meanStd, median, quantiles } from './stats';
import { t } from '../../src/lib/i18n';

/**
 * Sample skewness g1 = m3 / m2^1.5 of the finite values (scipy.stats.skew with bias=True).
 * 0 for a constant feature, NaN with no finite values.
 */
export function skewness(values: ArrayLike<number>): number {
  const { count, mean } = meanStd(values);
  if (count === 0) return NaN;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const t = v - mean;
    m2 += t * t;
    m3 += t * t * t;
  }
  m2 /= count;
  m3 /= count;
  // Relative threshold: rounding leaves m2 slightly above 0 for a constant column.
  if (!(m2 > 1e-24 * mean * mean)) return 0;
  return m3 / Math.pow(m2, 1.5);
}

/** Skewness above which a log transform is suggested. */
export const SKEW_LOG_THRESHOLD = 1;

/** Whether to suggest log1p for a feature: no negative values and skewness above 1 (heavily right-skewed). */
export function suggestLog(values: ArrayLike<number>, skew = skewness(values)): boolean {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  return min >= 0 && skew > SKEW_LOG_THRESHOLD;
}

/** log(1 + x) of every value; missing stays missing. Throws a ClusterError on a negative value. */
export function log1pColumn(values: ArrayLike<number>, name = 'this feature'): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0) throw new ClusterError(t('msg.cluster.logNegative', { name, value: String(v) }));
    out[i] = Math.log1p(v);
  }
  return out;
}

/** z-score (mean, population standard deviation) or robust (median, interquartile range). */
export type ScaleMethod = 'zscore' | 'robust';

/** How a feature was standardised: scaled = (value - center) / scale. */
export interface ScaleParams {
  method: ScaleMethod;
  center: number;
  scale: number;
  /** The feature has no spread; it standardises to 0. */
  constant: boolean;
}

/** Fits standardisation parameters to the finite values of a column. */
export function fitScale(values: ArrayLike<number>, method: ScaleMethod): ScaleParams {
  const { count, mean, std } = meanStd(values);
  if (count === 0) throw new ClusterError(t('msg.cluster.noValues'));
  // Relative threshold: rounding leaves a tiny spread in a constant column with a large mean.
  const constant = !(std > 1e-12 * Math.abs(mean));
  if (method === 'zscore') {
    return { method, center: mean, scale: constant ? 1 : std, constant };
  }
  const [q1, med, q3] = quantiles(values, [0.25, 0.5, 0.75]);
  const iqr = q3 - q1;
  return { method, center: med, scale: constant ? 1 : iqr > 0 ? iqr : std, constant };
}

/** (value - center) / scale for every value; a constant feature gives zeros. */
export function applyScale(values: ArrayLike<number>, p: ScaleParams): Float64Array {
  const out = new Float64Array(values.length);
  if (p.constant) return out;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - p.center) / p.scale;
  return out;
}

/** Rows with a missing value are dropped, or each missing value is replaced by its feature's median. */
export type MissingRule = 'drop' | 'median';

/** Columns after missing-value handling, with what was done. */
export interface MissingResult {
  columns: Float64Array[];
  /** Original index of each remaining row. */
  rows: Int32Array;
  /** Rows dropped (rule 'drop'). */
  dropped: number;
  /** Values imputed per feature (rule 'median'). */
  imputed: number[];
  /** Median per feature over its present values (the imputed value); empty for rule 'drop'. */
  medians: number[];
}

/** Applies a missing-value rule to equally long columns. */
export function handleMissing(columns: Float64Array[], rule: MissingRule): MissingResult {
  const n = columns.length ? columns[0].length : 0;
  for (const c of columns) if (c.length !== n) throw new ClusterError('All features must have the same number of rows.');
  const imputed = columns.map(() => 0);
  if (rule === 'median') {
    const medians = columns.map((c) => median(c));
    const out = columns.map((c, j) => {
      const copy = Float64Array.from(c);
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(copy[i])) {
          if (Number.isNaN(medians[j])) throw new ClusterError(t('msg.cluster.noMedian', { feature: j + 1 }));
          copy[i] = medians[j];
          imputed[j]++;
        }
      }
      return copy;
    });
    return { columns: out, rows: identity(n), dropped: 0, imputed, medians };
  }
  const keep = new Uint8Array(n).fill(1);
  let kept = n;
  for (const c of columns) {
    for (let i = 0; i < n; i++) {
      if (keep[i] && !Number.isFinite(c[i])) {
        keep[i] = 0;
        kept--;
      }
    }
  }
  if (kept === n) return { columns, rows: identity(n), dropped: 0, imputed, medians: [] };
  const rows = new Int32Array(kept);
  for (let i = 0, r = 0; i < n; i++) if (keep[i]) rows[r++] = i;
  const out = columns.map((c) => {
    const o = new Float64Array(kept);
    for (let r = 0; r < kept; r++) o[r] = c[rows[r]];
    return o;
  });
  return { columns: out, rows, dropped: n - kept, imputed, medians: [] };
}

/** Packs equally long columns into one row-major Float64Array (n x d). */
export function toRowMajor(columns: ArrayLike<number>[]): Float64Array {
  const d = columns.length;
  const n = d ? columns[0].length : 0;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const c = columns[j];
    for (let i = 0, o = j; i < n; i++, o += d) out[o] = c[i];
  }
  return out;
}

/** One feature of a preparation: its name and whether to log1p it (default: when suggested). */
export interface FeatureSpec {
  name: string;
  log?: boolean;
}

/** What `prepareFeatures` did to one feature. */
export interface FeatureTransform {
  name: string;
  log: boolean;
  skewness: number;
  suggestedLog: boolean;
  scale: ScaleParams;
}

/** Features ready for clustering, and the same rows in original units for profiles. */
export interface PreparedFeatures {
  /** Transformed and standardised, row-major n x d. */
  data: Float64Array;
  /** Original units after missing-value handling, row-major n x d. */
  original: Float64Array;
  n: number;
  d: number;
  rows: Int32Array;
  dropped: number;
  imputed: number[];
  transforms: FeatureTransform[];
}

/** Missing values, then log1p where asked (or suggested), then standardisation, per feature. */
export function prepareFeatures(
  columns: Float64Array[],
  spec: { features: FeatureSpec[]; scale: ScaleMethod; missing: MissingRule },
): PreparedFeatures {
  if (columns.length !== spec.features.length) throw new ClusterError('Each feature needs a name.');
  if (columns.length === 0) throw new ClusterError(t('msg.cluster.chooseFeature'));
  const m = handleMissing(columns, spec.missing);
  const n = m.rows.length;
  if (n === 0) throw new ClusterError(t('msg.cluster.noRowsLeft'));
  const transforms: FeatureTransform[] = [];
  const scaled = m.columns.map((c, j) => {
    const f = spec.features[j];
    const skew = skewness(c);
    const suggestedLog = suggestLog(c, skew);
    const log = f.log ?? suggestedLog;
    const t = log ? log1pColumn(c, f.name) : c;
    const scale = fitScale(t, spec.scale);
    transforms.push({ name: f.name, log, skewness: skew, suggestedLog, scale });
    return applyScale(t, scale);
  });
  return {
    data: toRowMajor(scaled),
    original: toRowMajor(m.columns),
    n,
    d: columns.length,
    rows: m.rows,
    dropped: m.dropped,
    imputed: m.imputed,
    transforms,
  };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
