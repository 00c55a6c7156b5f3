/** Column profiles for the data panel: SQL to compute them and the reader for the results. */
import { tableFromIPC } from 'apache-arrow';
import { ident } from '../src/lib/sql/quote';
import type { ColumnInfo, ColumnProfile } from './engine-types';

const BINS = 20;
const TOP = 5;
/** Above this many rows distinct counts are approximate (HyperLogLog), which keeps profiling fast. */
export const EXACT_DISTINCT_MAX_ROWS = 2_000_000;

type Kind = 'number' | 'date' | 'text' | 'nested';

/** The queries for a profile, with what each one is for. */
export interface ProfilePlan {
  columns: ColumnInfo[];
  kinds: Kind[];
  approx: boolean;
  /** sql[0] is the stats query; sql[i + 1] belongs to column detailFor[i]. */
  sql: string[];
  detailFor: number[];
}

/** How a DuckDB type is profiled. */
export function columnKind(type: string): Kind {
  const t = type.toUpperCase();
  if (/\[|^(STRUCT|MAP|UNION|LIST)/.test(t)) return 'nested';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'number';
  if (/^(DATE|TIMESTAMP)/.test(t) && !/TIME ZONE|TZ/.test(t)) return 'date';
  return 'text';
}

/** Builds the profile queries for a relation with `rows` rows. */
export function profileQueries(relation: string, columns: ColumnInfo[], rows: number): ProfilePlan {
  const rel = ident(relation);
  const kinds = columns.map((c) => columnKind(c.type));
  const approx = rows > EXACT_DISTINCT_MAX_ROWS;
  const stats = columns.flatMap((c, i) => {
    const col = ident(c.name);
    if (kinds[i] === 'nested') return [`count(${col}) AS nn_${i}`, `NULL::BIGINT AS d_${i}`, `NULL AS lo_${i}`, `NULL AS hi_${i}`];
    return [
      `count(${col}) AS nn_${i}`,
      approx ? `approx_count_distinct(${col}) AS d_${i}` : `count(DISTINCT ${col}) AS d_${i}`,
      `min(${col})::VARCHAR AS lo_${i}`,
      `max(${col})::VARCHAR AS hi_${i}`,
    ];
  });
  const sql = [`SELECT count(*) AS n${stats.map((s) => `, ${s}`).join('')} FROM ${rel}`];
  const detailFor: number[] = [];
  columns.forEach((c, i) => {
    const col = ident(c.name);
    if (kinds[i] === 'number' || kinds[i] === 'date') {
      const value = kinds[i] === 'date' ? `epoch_ms(${col}::TIMESTAMP)::DOUBLE` : `${col}::DOUBLE`;
      sql.push(
        `WITH v AS (SELECT ${value} AS v FROM ${rel} WHERE ${col} IS NOT NULL), ` +
          `f AS (SELECT v FROM v WHERE isfinite(v)), ` +
          `b AS (SELECT min(v) AS lo, max(v) AS hi FROM f) ` +
          `SELECT any_value(lo) AS lo, any_value(hi) AS hi, ` +
          `coalesce(least(floor((v - lo) / nullif((hi - lo) / ${BINS}, 0))::INT, ${BINS - 1}), 0) AS bin, count(*) AS n ` +
          `FROM f, b GROUP BY bin ORDER BY bin`,
      );
      detailFor.push(i);
    } else if (kinds[i] === 'text') {
      sql.push(`SELECT ${col}::VARCHAR AS v, count(*) AS n FROM ${rel} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v LIMIT ${TOP}`);
      detailFor.push(i);
    }
  });
  return { columns, kinds, approx, sql, detailFor };
}

/** Reads the results of `profileQueries` (Arrow IPC, in order) into profiles. */
export function readProfile(plan: ProfilePlan, results: Uint8Array[]): ColumnProfile[] {
  const stats = tableFromIPC(results[0]).get(0)?.toJSON() as Record<string, unknown>;
  const n = Number(stats.n);
  const profiles: ColumnProfile[] = plan.columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    nulls: n - Number(stats[`nn_${i}`]),
    distinct: Number(stats[`d_${i}`] ?? 0),
    distinctApprox: plan.approx,
    min: stats[`lo_${i}`] == null ? null : String(stats[`lo_${i}`]),
    max: stats[`hi_${i}`] == null ? null : String(stats[`hi_${i}`]),
    top: [],
    histogram: [],
    histogramKind: null,
  }));
  plan.detailFor.forEach((colIndex, k) => {
    const rows = tableFromIPC(results[k + 1]).toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const p = profiles[colIndex];
    const kind = plan.kinds[colIndex];
    if (kind === 'text') {
      p.top = rows.map((r) => ({ value: String(r.v), count: Number(r.n) }));
    } else if (rows.length > 0) {
      const lo = Number(rows[0].lo);
      const hi = Number(rows[0].hi);
      const width = (hi - lo) / BINS;
      const bins = width > 0 ? BINS : 1;
      const counts = new Array<number>(bins).fill(0);
      for (const r of rows) counts[Math.min(Number(r.bin), bins - 1)] += Number(r.n);
      p.histogram = counts.map((count, b) => ({ x0: lo + b * width, x1: width > 0 ? lo + (b + 1) * width : hi, count }));
      p.histogramKind = kind === 'date' ? 'date' : 'number';
    }
  });
  return profiles;
}
