/**
 * The 8-type RFM model (重要价值客户 … 一般挽留客户) as SQL: each customer is high or low on R, F
 * and M against a reference, and the 2 x 2 x 2 combination names one of 8 types. Pure: spec ->
 * SQL, like rfm-sql.ts, whose per-customer measures it shares (`rfmMeasuresCtes`), so both models
 * see the same recency_days, frequency, monetary and revenue.
 *
 * Definitions (the tests in test/unit/segment/rfm-types.test.ts work them out by hand):
 * - The reference of a measure is the mean (default) or the median of that measure over the
 *   customers of the run (one value per customer, not per order), or a value the user types. The
 *   median of an even count is the mean of the two middle values (quantile_cont(0.5)).
 * - R is high when recency_days <= the R reference (a recent purchase is good); F is high when
 *   frequency >= the F reference; M is high when monetary >= the M reference. A value exactly at
 *   the reference counts as high, for all three.
 * - M is compared in whole cents (monetary is rounded to cents already): the mean and median are
 *   taken over the cents, a typed value is turned into cents rounded to 6 decimals, so a tie at
 *   the reference is a tie whatever binary fractions 0.07 or 19.99 have.
 * - Thresholds as shown: integer days and orders make "R high" the same as recency_days <=
 *   floor(reference) and "F high" frequency >= ceil(reference); M high is monetary >=
 *   ceil(reference in cents) / 100 (`typeThresholds`).
 */
import { t } from '../i18n';
import { ident, num, str } from '../sql/quote';
import { segmentLabel } from './builtin-names';
import { UNASSIGNED } from './rfm-rules';
import { rfmMeasuresCtes } from './rfm-sql';
import type { RfmSpec } from './rfm-spec';

/** High or low on one measure. */
export type RfmLevel = 'high' | 'low';

/** What a measure is compared with: the customers' mean or median, or a value the user typed. */
export type RfmReference = { kind: 'mean' } | { kind: 'median' } | { kind: 'value'; value: number };

/** One of the 8 types: its levels of R, F and M, its name and its recommended action (keys or the user's text). */
export interface RfmTypeRule {
  r: RfmLevel;
  f: RfmLevel;
  m: RfmLevel;
  name: string;
  action: string;
}

/** The 8-type model's settings: a reference per measure and the 8 types. */
export interface RfmTypesSettings {
  reference: { r: RfmReference; f: RfmReference; m: RfmReference };
  /** Exactly 8, each combination of levels once, in the order they are listed. */
  types: RfmTypeRule[];
}

const type = (r: RfmLevel, f: RfmLevel, m: RfmLevel, key: string): RfmTypeRule => ({ r, f, m, name: `rfm8.type.${key}`, action: `rfm8.action.${key}` });

/**
 * The 8 types in the usual order: 重要 (M high) before 一般 (M low); within each, 价值 (R and F
 * high), 发展 (R high, F low), 保持 (R low, F high), 挽留 (R and F low).
 */
export const DEFAULT_RFM_TYPES: readonly RfmTypeRule[] = [
  type('high', 'high', 'high', 'importantValue'),
  type('high', 'low', 'high', 'importantDevelop'),
  type('low', 'high', 'high', 'importantRetain'),
  type('low', 'low', 'high', 'importantWinBack'),
  type('high', 'high', 'low', 'generalValue'),
  type('high', 'low', 'low', 'generalDevelop'),
  type('low', 'high', 'low', 'generalRetain'),
  type('low', 'low', 'low', 'generalWinBack'),
];

/** Fresh default settings: the mean for every measure and the 8 default types. */
export function defaultRfmTypes(): RfmTypesSettings {
  return { reference: { r: { kind: 'mean' }, f: { kind: 'mean' }, m: { kind: 'mean' } }, types: DEFAULT_RFM_TYPES.map((x) => ({ ...x })) };
}

const MEASURE_LETTER = { r: 'R', f: 'F', m: 'M' } as const;

/** Problems with the settings as messages a user can act on; empty when valid. */
export function validateRfmTypes(settings: RfmTypesSettings, label: (name: string) => string = segmentLabel): string[] {
  const problems: string[] = [];
  for (const k of ['r', 'f', 'm'] as const) {
    const ref = settings.reference[k];
    if (ref.kind === 'value' && !Number.isFinite(ref.value)) problems.push(t('rfm8.err.value', { measure: MEASURE_LETTER[k] }));
  }
  const combos = new Set(settings.types.map((x) => `${x.r}${x.f}${x.m}`));
  const levelsOk = settings.types.every((x) => [x.r, x.f, x.m].every((l) => l === 'high' || l === 'low'));
  if (settings.types.length !== 8 || combos.size !== 8 || !levelsOk) problems.push(t('rfm8.err.types'));
  const seen = new Set<string>();
  settings.types.forEach((x, i) => {
    const shown = label(x.name).trim();
    if (!shown) problems.push(t('rfm8.err.name', { n: i + 1 }));
    else if (seen.has(shown)) problems.push(t('rfm8.err.duplicate', { name: shown }));
    seen.add(shown);
  });
  return problems;
}

/** M in whole cents, as compared. */
const M_CENTS = 'CAST(round(monetary * 100) AS BIGINT)';

/** The aggregate (or constant) giving one measure's reference over a relation with the per-customer columns. */
function referenceExpr(ref: RfmReference, column: string, cents: boolean): string {
  const value = cents ? M_CENTS : ident(column);
  if (ref.kind === 'mean') return `CAST(avg(${value}) AS DOUBLE)`;
  if (ref.kind === 'median') return `CAST(quantile_cont(CAST(${value} AS DOUBLE), 0.5) AS DOUBLE)`;
  if (!Number.isFinite(ref.value)) throw new Error(`invalid ${column} reference value: ${ref.value}`);
  return cents ? `round(CAST(${num(ref.value)} AS DOUBLE) * 100, 6)` : `CAST(${num(ref.value)} AS DOUBLE)`;
}

/** One row over `from`: customers, r_reference (days), f_reference (orders), m_reference_cents. */
function referenceSelect(settings: RfmTypesSettings, from: string): string {
  const { r, f, m } = settings.reference;
  // count(*) makes it one row even when every reference is a typed constant.
  return `SELECT count(*) AS customers,
    ${referenceExpr(r, 'recency_days', false)} AS r_reference,
    ${referenceExpr(f, 'frequency', false)} AS f_reference,
    ${referenceExpr(m, 'monetary', true)} AS m_reference_cents
  FROM ${from}`;
}

function levelsCondition(x: Pick<RfmTypeRule, 'r' | 'f' | 'm'>): string {
  return (['r', 'f', 'm'] as const).map((k) => `${x[k] === 'high' ? '' : 'NOT '}${k}_high`).join(' AND ');
}

/**
 * One SELECT typing every customer: customer_id, recency_days, frequency, monetary, revenue,
 * r_high, f_high, m_high (BOOLEAN) and segment (the type's name as `label` shows it, the current
 * language by default). Usable as a CREATE VIEW body; plain DuckDB, no clock.
 */
export function rfmTypesSql(spec: RfmSpec, settings: RfmTypesSettings, label: (name: string) => string = segmentLabel): string {
  const problems = validateRfmTypes(settings, label);
  if (problems.length) throw new Error(`invalid RFM types: ${problems.join(' ')}`);
  const whens = settings.types.map((x) => `WHEN ${levelsCondition(x)} THEN ${str(label(x.name))}`);
  return `WITH
${rfmMeasuresCtes(spec)},
rfm_reference AS (
  ${referenceSelect(settings, 'rfm_measures')}
),
rfm_levels AS (
  SELECT rfm_measures.*,
    recency_days <= r_reference AS r_high,
    frequency >= f_reference AS f_high,
    ${M_CENTS} >= m_reference_cents AS m_high
  FROM rfm_measures CROSS JOIN rfm_reference
)
SELECT customer_id, recency_days, frequency, monetary, revenue, r_high, f_high, m_high,
  CASE
    ${whens.join('\n    ')}
    ELSE ${str(label(UNASSIGNED))}
  END AS segment
FROM rfm_levels`;
}

/**
 * The references of a run, read back from its per-customer result `view` with the same
 * expressions over the same values (so they are the ones the types were cut at): one row of
 * `RfmTypeReferences`.
 */
export function rfmTypesReferenceSql(view: string, settings: RfmTypesSettings): string {
  return referenceSelect(settings, ident(view));
}

/**
 * The 8 cells of a type result, in the settings' order: r_high, f_high, m_high, segment (the
 * name in the data, else as `label` shows the type), customers (0 for an empty type) and
 * avg_monetary (NULL when empty).
 */
export function rfmTypesGridSql(view: string, settings: RfmTypesSettings, label: (name: string) => string = segmentLabel): string {
  const bool = (l: RfmLevel) => (l === 'high' ? 'TRUE' : 'FALSE');
  const cells = settings.types.map((x, i) => `(${num(i)}, ${bool(x.r)}, ${bool(x.f)}, ${bool(x.m)}, ${str(label(x.name))})`);
  return `WITH
type_cells(ord, r_high, f_high, m_high, name) AS (VALUES ${cells.join(', ')}),
type_stats AS (
  SELECT r_high, f_high, m_high, count(*) AS customers, avg(monetary) AS avg_monetary, min(segment) AS segment
  FROM ${ident(view)}
  GROUP BY r_high, f_high, m_high
)
SELECT c.r_high, c.f_high, c.m_high, coalesce(s.segment, c.name) AS segment,
  coalesce(s.customers, 0) AS customers, s.avg_monetary
FROM type_cells c
LEFT JOIN type_stats s ON s.r_high = c.r_high AND s.f_high = c.f_high AND s.m_high = c.m_high
ORDER BY c.ord`;
}

/** The columns of a customer export of a type result, in this order. */
export const RFM_TYPE_EXPORT_COLUMNS = ['customer_id', 'recency_days', 'frequency', 'monetary', 'r_high', 'f_high', 'm_high', 'segment'] as const;

/** A row of `rfmTypesReferenceSql` (references NULL when there are no customers). */
export interface RfmTypeReferences {
  customers: number;
  r_reference: number | null;
  f_reference: number | null;
  m_reference_cents: number | null;
}

/** A row of `rfmTypesGridSql`. */
export interface RfmTypeCell {
  r_high: boolean;
  f_high: boolean;
  m_high: boolean;
  segment: string;
  customers: number;
  avg_monetary: number | null;
}

/** Where high starts, in the units customers have: R high = at most `rMaxDays`, F high = at least `fMinOrders`, M high = at least `mMin`. */
export interface TypeThresholds {
  rMaxDays: number;
  fMinOrders: number;
  mMin: number;
}

/** The thresholds equivalent to a run's references (see the module comment); null without customers. */
export function typeThresholds(refs: RfmTypeReferences): TypeThresholds | null {
  const { r_reference: r, f_reference: f, m_reference_cents: m } = refs;
  if (r === null || f === null || m === null) return null;
  return { rMaxDays: Math.floor(r), fMinOrders: Math.ceil(f), mMin: Math.ceil(m) / 100 };
}

/** One phrase of a type's description or of the references line: a catalogue key and its parameters (numbers unformatted). */
export interface TypePhrase {
  key:
    | 'rfm8.desc.rHigh' | 'rfm8.desc.rLow' | 'rfm8.desc.fHigh' | 'rfm8.desc.fLow'
    | 'rfm8.desc.mHigh' | 'rfm8.desc.mLow' | 'rfm8.desc.mAvgHigh' | 'rfm8.desc.mAvgLow';
  params: Record<string, number>;
}

/** What a type's customers have in a run, in R, F, M order (e.g. "last purchase ≤ 45 days ago; fewer than 3 orders; spent 1,200 or more"). */
export function describeType(x: Pick<RfmTypeRule, 'r' | 'f' | 'm'>, th: TypeThresholds, monetary: 'total' | 'average'): TypePhrase[] {
  const avg = monetary === 'average';
  return [
    { key: x.r === 'high' ? 'rfm8.desc.rHigh' : 'rfm8.desc.rLow', params: { days: th.rMaxDays } },
    { key: x.f === 'high' ? 'rfm8.desc.fHigh' : 'rfm8.desc.fLow', params: { orders: th.fMinOrders } },
    { key: x.m === 'high' ? (avg ? 'rfm8.desc.mAvgHigh' : 'rfm8.desc.mHigh') : avg ? 'rfm8.desc.mAvgLow' : 'rfm8.desc.mLow', params: { money: th.mMin } },
  ];
}

/** One line of "the references used in this run": the measure, its threshold, how the reference was chosen and its value. */
export interface ReferenceLine {
  key: 'rfm8.line.r' | 'rfm8.line.f' | 'rfm8.line.m' | 'rfm8.line.mAvg';
  /** The threshold parameter: days, orders or money. */
  params: Record<string, number>;
  basis: RfmReference['kind'];
  /** The reference itself (days, orders, money), before rounding to whole days, orders or cents. */
  value: number;
}

/** The lines "R: last purchase ≤ 45 days ago counts as high (mean 45.6)" … of a run; [] without customers. */
export function referenceLines(settings: RfmTypesSettings, refs: RfmTypeReferences, monetary: 'total' | 'average'): ReferenceLine[] {
  const th = typeThresholds(refs);
  if (!th) return [];
  const { r, f, m } = settings.reference;
  return [
    { key: 'rfm8.line.r', params: { days: th.rMaxDays }, basis: r.kind, value: refs.r_reference! },
    { key: 'rfm8.line.f', params: { orders: th.fMinOrders }, basis: f.kind, value: refs.f_reference! },
    { key: monetary === 'average' ? 'rfm8.line.mAvg' : 'rfm8.line.m', params: { money: th.mMin }, basis: m.kind, value: m.kind === 'value' ? m.value : refs.m_reference_cents! / 100 },
  ];
}
