/**
 * The cleaning pass after a load: a scan of each text column (placeholders, guards, number and date
 * shapes) and, from its counts, a plan per column — keep as text, or convert to numbers or dates —
 * with a note for every conversion. Pure: SQL text in, plans and SQL text out; clean-table.ts runs it.
 */
import { ident, num, str } from '../../src/lib/sql/quote';
import type { ColumnInfo, LoadNote } from '../engine-types';
import {
  DATE_NAME_RE, DATE_RE, FLOAT_INTEGER_RE, ID_NAME_RE, INTEGER_RE, NUMBER_RE, PLACEHOLDERS, WEAK_PLACEHOLDERS,
  dateExpr, dateFormats, exoticSpaceTest, fullWidthTest, halfWidth, hasGuard, numberExpr, showFormat, stringList, trimmed, unguarded,
  NORMALISE_ALL, type DateFamily, type Normalise,
} from './value-patterns';

/** Rows of the quick look that decides which text columns get the full scan. */
export const SAMPLE_ROWS = 5000;
/** Integers with this many digits or more stay text: a double cannot hold them exactly, nor can the page show them. */
export const LONG_ID_DIGITS = 16;
/** A "mostly numbers" column: at least this share of its values are numbers (but not all). */
const MOSTLY = 0.9;
const FAMILIES: DateFamily[] = ['dmy-or-mdy', 'ymd', 'compact', 'cn'];
const NUMERIC_TYPES = /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|DOUBLE|FLOAT|REAL|DECIMAL.*)$/;

/** Counts for one text column (from the sample or the whole table). */
export interface TextStats {
  n: number;
  placeholders: number;
  placeholderValues: string[];
  weak: number;
  weakValues: string[];
  guards: number;
  numbers: number;
  integers: number;
  floatIntegers: number;
  maxDigits: number;
  leadingZeros: number;
  min: number | null;
  max: number | null;
  thousands: number;
  currency: number;
  percent: number;
  fullWidth: number;
  trailingMinus: number;
  parens: number;
  fancyExample: string | null;
  floatIntegerExample: string | null;
  nonNumberExample: string | null;
  dates: Record<DateFamily, number>;
  firstMax: number | null;
  secondMax: number | null;
  firstOver12: string | null;
  secondOver12: string | null;
  sep: string | null;
  ymdSep: string | null;
  /** Values with a time of day (a colon). */
  withTime: number;
  /** Values with exotic spaces at their ends, and with full-width characters (only counted where looked for). */
  exoticSpaces: number;
  fullWidthChars: number;
}

/** Counts for a numeric column whose name suggests an id or a date. */
export interface NumericStats {
  n: number;
  integral: number;
  min: number | null;
  max: number | null;
  compactDates: number;
  example: string | null;
}

const inside = (i: number) => ({ r: `r${i}`, v: `v${i}`, u: `u${i}` });

/** A text column to scan: with the shape counts (`detailed`) or only placeholders and guards. */
export interface TextScan {
  name: string;
  detailed: boolean;
  normalise: Normalise;
}

/** The projection the stats read: raw, trimmed and normalised value of each text column. */
function projection(table: string, text: TextScan[], numericColumns: string[], sampleRows: number | null): string {
  const parts: string[] = [];
  text.forEach((c, i) => {
    const { r, v, u } = inside(i);
    const col = ident(c.name);
    parts.push(`${col} AS ${r}`, `${trimmed(col, c.normalise)} AS ${v}`, `${halfWidth(unguarded(col, c.normalise), c.normalise)} AS ${u}`);
  });
  numericColumns.forEach((c, i) => parts.push(`${ident(c)} AS n${i}`));
  // rowid, not LIMIT: a rowid range skips the rest of the table, LIMIT here still reads it.
  return `(SELECT ${parts.join(', ') || '1'} FROM ${ident(table)}${sampleRows === null ? '' : ` WHERE rowid < ${num(sampleRows)}`})`;
}

/**
 * One query computing the stats of every listed column; `detailed` columns get the shape counts,
 * the others only placeholders and guards (cheap: no regular expressions).
 */
export function statsSql(table: string, text: TextScan[], numeric: string[], sampleRows: number | null): string {
  const out: string[] = [];
  const ph = stringList(PLACEHOLDERS);
  const weak = stringList(WEAK_PLACEHOLDERS);
  text.forEach((c, i) => {
    const { r, v, u } = inside(i);
    const a = (k: string) => `s${i}_${k}`;
    out.push(
      `count(${r})::DOUBLE AS ${a('n')}`,
      `count(*) FILTER (WHERE ${v} IN (${ph}))::DOUBLE AS ${a('ph')}`,
      `list_distinct(list(${v}) FILTER (WHERE ${v} IN (${ph}))) AS ${a('phv')}`,
      `count(*) FILTER (WHERE ${hasGuard(v)})::DOUBLE AS ${a('guard')}`,
    );
    if (!c.detailed) return;
    if (c.normalise.exoticSpace) out.push(`count(*) FILTER (WHERE ${exoticSpaceTest(r)})::DOUBLE AS ${a('xsp')}`);
    if (c.normalise.fullWidth) out.push(`count(*) FILTER (WHERE ${fullWidthTest(r)})::DOUBLE AS ${a('fwc')}`);
    const isNum = `regexp_full_match(${u}, ${str(NUMBER_RE)})`;
    const isInt = `regexp_full_match(${u}, ${str(INTEGER_RE)})`;
    const dm = `regexp_full_match(${u}, ${str(DATE_RE['dmy-or-mdy'])})`;
    const first = `TRY_CAST(regexp_extract(${u}, '^(\\d{1,2})[/.-]', 1) AS INTEGER)`;
    const second = `TRY_CAST(regexp_extract(${u}, '^\\d{1,2}[/.-](\\d{1,2})[/.-]', 1) AS INTEGER)`;
    out.push(
      `count(*) FILTER (WHERE ${v} IN (${weak}))::DOUBLE AS ${a('weak')}`,
      `list_distinct(list(${v}) FILTER (WHERE ${v} IN (${weak}))) AS ${a('weakv')}`,
      `count(*) FILTER (WHERE ${isNum})::DOUBLE AS ${a('num')}`,
      `count(*) FILTER (WHERE ${isInt})::DOUBLE AS ${a('int')}`,
      `count(*) FILTER (WHERE regexp_full_match(${u}, ${str(FLOAT_INTEGER_RE)}))::DOUBLE AS ${a('fint')}`,
      `coalesce(max(length(ltrim(${u}, '+-'))) FILTER (WHERE ${isInt}), 0)::DOUBLE AS ${a('maxdig')}`,
      `count(*) FILTER (WHERE regexp_full_match(${u}, '^0\\d+$'))::DOUBLE AS ${a('lead0')}`,
      `min(TRY_CAST(${u} AS DOUBLE)) AS ${a('min')}`,
      `max(TRY_CAST(${u} AS DOUBLE)) AS ${a('max')}`,
      `count(*) FILTER (WHERE ${isNum} AND contains(${u}, ','))::DOUBLE AS ${a('thou')}`,
      `count(*) FILTER (WHERE ${isNum} AND regexp_matches(${u}, '[¥￥$€£]'))::DOUBLE AS ${a('cur')}`,
      `count(*) FILTER (WHERE ${isNum} AND contains(${u}, '%'))::DOUBLE AS ${a('pct')}`,
      `count(*) FILTER (WHERE ${isNum} AND regexp_matches(${v}, '[０-９]'))::DOUBLE AS ${a('fw')}`,
      `count(*) FILTER (WHERE ${isNum} AND ends_with(${u}, '-') AND length(${u}) > 1)::DOUBLE AS ${a('tminus')}`,
      `count(*) FILTER (WHERE ${isNum} AND starts_with(${u}, '('))::DOUBLE AS ${a('parens')}`,
      `min(${v}) FILTER (WHERE ${isNum} AND TRY_CAST(${u} AS DOUBLE) IS NULL) AS ${a('fancyex')}`,
      `min(${v}) FILTER (WHERE regexp_full_match(${u}, ${str(FLOAT_INTEGER_RE)})) AS ${a('fintex')}`,
      `min(${v}) FILTER (WHERE NOT ${isNum} AND ${v} NOT IN (${ph}) AND ${v} NOT IN (${weak})) AS ${a('nonnumex')}`,
      ...FAMILIES.map((f, k) => `count(*) FILTER (WHERE regexp_full_match(${u}, ${str(DATE_RE[f])}))::DOUBLE AS ${a(`d${k}`)}`),
      `max(${first}) FILTER (WHERE ${dm}) AS ${a('amax')}`,
      `max(${second}) FILTER (WHERE ${dm}) AS ${a('bmax')}`,
      `min(${v}) FILTER (WHERE ${dm} AND ${first} > 12) AS ${a('aex')}`,
      `min(${v}) FILTER (WHERE ${dm} AND ${second} > 12) AS ${a('bex')}`,
      `min(regexp_extract(${u}, ${str(DATE_RE['dmy-or-mdy'])}, 1)) FILTER (WHERE ${dm}) AS ${a('sep')}`,
      `min(regexp_extract(${u}, ${str(DATE_RE.ymd)}, 1)) FILTER (WHERE regexp_full_match(${u}, ${str(DATE_RE.ymd)})) AS ${a('ysep')}`,
      `count(*) FILTER (WHERE regexp_matches(${u}, '\\d[:：]\\d'))::DOUBLE AS ${a('time')}`,
    );
  });
  numeric.forEach((_c, i) => {
    const n = `n${i}`;
    const a = (k: string) => `m${i}_${k}`;
    out.push(
      `count(${n})::DOUBLE AS ${a('n')}`,
      `count(*) FILTER (WHERE ${n} = trunc(${n}))::DOUBLE AS ${a('int')}`,
      `min(${n})::DOUBLE AS ${a('min')}`,
      `max(${n})::DOUBLE AS ${a('max')}`,
      `count(*) FILTER (WHERE ${n} BETWEEN 19000101 AND 21001231 AND try_strptime(CAST(TRY_CAST(${n} AS BIGINT) AS VARCHAR), '%Y%m%d') IS NOT NULL)::DOUBLE AS ${a('compact')}`,
      `min(${n})::VARCHAR AS ${a('ex')}`,
    );
  });
  return `SELECT ${out.join(',\n  ') || '1'} FROM ${projection(table, text, numeric, sampleRows)}`;
}

const numberOr = (v: unknown, d: number) => (v == null ? d : Number(v));
const numberOrNull = (v: unknown) => (v == null ? null : Number(v));
const textOrNull = (v: unknown) => (v == null ? null : String(v));

/** Reads the stats of text column `i` from the row of statsSql. */
export function readTextStats(row: Record<string, unknown>, i: number): TextStats {
  const g = (k: string) => row[`s${i}_${k}`];
  const list = (x: unknown) => (x == null ? [] : [...(x as Iterable<unknown>)].map(String).sort());
  return {
    n: numberOr(g('n'), 0),
    placeholders: numberOr(g('ph'), 0),
    placeholderValues: list(g('phv')),
    weak: numberOr(g('weak'), 0),
    weakValues: list(g('weakv')),
    guards: numberOr(g('guard'), 0),
    numbers: numberOr(g('num'), 0),
    integers: numberOr(g('int'), 0),
    floatIntegers: numberOr(g('fint'), 0),
    maxDigits: numberOr(g('maxdig'), 0),
    leadingZeros: numberOr(g('lead0'), 0),
    min: numberOrNull(g('min')),
    max: numberOrNull(g('max')),
    thousands: numberOr(g('thou'), 0),
    currency: numberOr(g('cur'), 0),
    percent: numberOr(g('pct'), 0),
    fullWidth: numberOr(g('fw'), 0),
    trailingMinus: numberOr(g('tminus'), 0),
    parens: numberOr(g('parens'), 0),
    fancyExample: textOrNull(g('fancyex')),
    floatIntegerExample: textOrNull(g('fintex')),
    nonNumberExample: textOrNull(g('nonnumex')),
    dates: Object.fromEntries(FAMILIES.map((f, k) => [f, numberOr(g(`d${k}`), 0)])) as Record<DateFamily, number>,
    firstMax: numberOrNull(g('amax')),
    secondMax: numberOrNull(g('bmax')),
    firstOver12: textOrNull(g('aex')),
    secondOver12: textOrNull(g('bex')),
    sep: textOrNull(g('sep')),
    ymdSep: textOrNull(g('ysep')),
    withTime: numberOr(g('time'), 0),
    exoticSpaces: numberOr(g('xsp'), 0),
    fullWidthChars: numberOr(g('fwc'), 0),
  };
}

/** Reads the stats of numeric column `i`. */
export function readNumericStats(row: Record<string, unknown>, i: number): NumericStats {
  const g = (k: string) => row[`m${i}_${k}`];
  return {
    n: numberOr(g('n'), 0),
    integral: numberOr(g('int'), 0),
    min: numberOrNull(g('min')),
    max: numberOrNull(g('max')),
    compactDates: numberOr(g('compact'), 0),
    example: textOrNull(g('ex')),
  };
}

/**
 * A cheap first screen of text columns over the first rows (four plain aggregates per column):
 * values present, placeholders, guards, and values with a digit. Only columns where it finds
 * something get the detailed look — a column of words has no digits and costs nothing more.
 */
export function screenSql(table: string, columns: string[], sampleRows: number): string {
  const ph = stringList(PLACEHOLDERS);
  const parts = columns.flatMap((name, i) => {
    const c = ident(name);
    return [
      `count(${c})::DOUBLE AS k${i}_n`,
      `count(*) FILTER (WHERE trim(${c}) IN (${ph}))::DOUBLE AS k${i}_ph`,
      `count(*) FILTER (WHERE starts_with(${c}, '="'))::DOUBLE AS k${i}_guard`,
      `count(*) FILTER (WHERE regexp_matches(${c}, '[0-9\\x{ff10}-\\x{ff19}]'))::DOUBLE AS k${i}_digits`,
    ];
  });
  return `SELECT ${parts.join(', ')} FROM ${ident(table)} WHERE rowid < ${num(sampleRows)}`;
}

/** Whether the screen saw anything that the detailed look could act on. */
export function screenPasses(row: Record<string, unknown>, i: number): boolean {
  const g = (k: string) => Number(row[`k${i}_${k}`] ?? 0);
  const present = g('n') - g('ph');
  return g('ph') > 0 || g('guard') > 0 || (present > 0 && g('digits') >= present * 0.5);
}

/**
 * Whether the first rows suggest the column holds placeholders, guarded ids, numbers or dates, so
 * that it is worth a full scan. A plain text column is not scanned: on a large file the scan would
 * cost more than the load (a placeholder that first appears after the quick look stays as it is).
 */
export function worthFullScan(s: TextStats): boolean {
  const present = s.n - s.placeholders - s.weak;
  if (s.guards > 0 || s.placeholders > 0) return true;
  if (present <= 0) return false;
  if (s.numbers >= present * 0.5) return true;
  return FAMILIES.some((f) => s.dates[f] >= present * 0.5);
}

/** The normalisation a column needs, from the quick look. */
export function normaliseFor(s: TextStats): Normalise {
  return { exoticSpace: s.exoticSpaces > 0, fullWidth: s.fullWidthChars > 0 };
}

/** What becomes of one column. */
export interface ColumnPlan {
  name: string;
  type: string;
  normalise: Normalise;
  kind: 'keep' | 'text' | 'bigint' | 'double' | 'date' | 'timestamp';
  /** Values read as missing. */
  missing: string[];
  unguard: boolean;
  date?: { family: DateFamily; formats: string[] };
  serial?: boolean;
  compactNumber?: boolean;
  notes: LoadNote[];
}

/** The plan for a text column from its full-table stats. */
export function planText(name: string, s: TextStats, normalise: Normalise = NORMALISE_ALL): ColumnPlan {
  const plan: ColumnPlan = { name, type: 'VARCHAR', normalise, kind: 'keep', missing: [], unguard: s.guards > 0, notes: [] };
  const notes: LoadNote[] = [];
  if (s.guards > 0) notes.push({ code: 'guards', column: name, count: s.guards, params: { column: name, count: s.guards } });
  const present = s.n - s.placeholders - s.weak;
  const placeholderNote = (count: number, values: string[]) =>
    count > 0 ? [{ code: 'placeholders' as const, column: name, count, params: { column: name, count, values: values.map((x) => `"${x}"`).join(', ') } }] : [];
  const finish = (kind: ColumnPlan['kind'], withWeak: boolean, more: LoadNote[], extra: Partial<ColumnPlan> = {}): ColumnPlan => {
    const count = s.placeholders + (withWeak ? s.weak : 0);
    const values = withWeak ? [...s.placeholderValues, ...s.weakValues] : s.placeholderValues;
    const changed = kind !== 'keep' || count > 0 || plan.unguard;
    return {
      ...plan,
      ...extra,
      kind: changed && kind === 'keep' ? 'text' : kind,
      missing: count > 0 ? (withWeak ? [...PLACEHOLDERS, ...WEAK_PLACEHOLDERS] : PLACEHOLDERS) : [],
      notes: [...notes, ...placeholderNote(count, values), ...more],
    };
  };
  if (present <= 0 || s.n === 0) return finish('keep', false, []);

  // Dates first: 20240305 and 3/5/2024 are numbers-ish too.
  for (const family of FAMILIES) {
    if (s.dates[family] !== present) continue;
    if (family === 'compact' && !DATE_NAME_RE.test(name)) continue;
    const time = family !== 'compact' && s.withTime > 0;
    const pick = (formats: string[]) => (time ? formats : [formats[formats.length - 1]]);
    if (family === 'dmy-or-mdy') {
      const firstBig = (s.firstMax ?? 0) > 12;
      const secondBig = (s.secondMax ?? 0) > 12;
      if (firstBig && secondBig) break; // neither order reads every value
      const sep = s.sep ?? '/';
      if (!firstBig && !secondBig) {
        return finish('keep', false, [{
          code: 'dates-ambiguous', column: name, count: present,
          params: { column: name, a: showFormat(`%m${sep}%d${sep}%Y`), b: showFormat(`%d${sep}%m${sep}%Y`) },
        }]);
      }
      const order = firstBig ? 'dmy' : 'mdy';
      const formats = pick(dateFormats(family, sep, order));
      return finish(time ? 'timestamp' : 'date', true, [dateNote(name, present, formats, order === 'dmy' ? { why: 'ingest.why.dayFirst', example: s.firstOver12 ?? '' } : { why: 'ingest.why.monthFirst', example: s.secondOver12 ?? '' })], { date: { family, formats } });
    }
    const formats = pick(dateFormats(family, family === 'ymd' ? (s.ymdSep ?? '/') : '', null));
    return finish(time ? 'timestamp' : 'date', true, [dateNote(name, present, formats, { why: 'ingest.why.unambiguous' })], { date: { family, formats } });
  }

  if (s.numbers === present) {
    const allIntegers = s.integers + s.floatIntegers === present && s.percent === 0;
    if (s.integers === present && (s.maxDigits >= LONG_ID_DIGITS || s.leadingZeros > 0)) {
      return finish('keep', false, [{ code: 'long-ids', column: name, count: present, params: { column: name, digits: String(s.maxDigits) } }]);
    }
    if (DATE_NAME_RE.test(name) && s.min !== null && s.max !== null && s.min >= 20000 && s.max <= 60000) {
      return finish(allIntegers ? 'date' : 'timestamp', true, [{ code: 'dates', column: name, count: present, params: { column: name, type: allIntegers ? 'DATE' : 'TIMESTAMP', format: 'Excel', count: present, why: 'ingest.why.serial' } }], { serial: true });
    }
    const how = howWritten(s);
    const more: LoadNote[] = [];
    if (allIntegers && s.maxDigits < LONG_ID_DIGITS) {
      if (s.floatIntegers > 0) more.push({ code: 'integers', column: name, count: s.floatIntegers, params: { column: name, example: s.floatIntegerExample ?? '' } });
      if (how.keys.length) more.push(numbersNote(name, 'BIGINT', how, s));
      if (!how.keys.length && s.floatIntegers === 0) more.push({ code: 'numeric', column: name, count: present, params: { column: name, type: 'BIGINT' } });
      return finish('bigint', true, more);
    }
    if (!allIntegers || s.maxDigits < LONG_ID_DIGITS) {
      more.push(how.keys.length ? numbersNote(name, 'DOUBLE', how, s) : { code: 'numeric', column: name, count: present, params: { column: name, type: 'DOUBLE' } });
      return finish('double', true, more);
    }
  }
  if (s.numbers >= present * MOSTLY && s.numbers < present) {
    const others = present - s.numbers;
    return finish('keep', false, [{ code: 'mostly-numbers', column: name, count: others, params: { column: name, count: others, example: s.nonNumberExample ?? '' } }]);
  }
  return finish('keep', false, []);
}

function dateNote(name: string, count: number, formats: string[], why: { why: string; example?: string }): LoadNote {
  return { code: 'dates', column: name, count, params: { column: name, type: formats.length > 1 ? 'TIMESTAMP' : 'DATE', format: showFormat(formats.length > 1 ? formats[1] : formats[0]), count, ...why } };
}

function howWritten(s: TextStats): { keys: string[]; count: number } {
  const parts: [number, string][] = [
    [s.thousands, 'ingest.how.thousands'],
    [s.currency, 'ingest.how.currency'],
    [s.percent, 'ingest.how.percent'],
    [s.fullWidth, 'ingest.how.fullwidth'],
    [s.trailingMinus, 'ingest.how.trailingMinus'],
    [s.parens, 'ingest.how.parens'],
  ];
  const used = parts.filter(([n]) => n > 0);
  return { keys: used.map(([, k]) => k), count: Math.max(0, ...used.map(([n]) => n)) };
}

function numbersNote(name: string, type: string, how: { keys: string[]; count: number }, s: TextStats): LoadNote {
  return { code: 'numbers', column: name, count: how.count, params: { column: name, type, count: how.count, how: how.keys.join('|'), example: s.fancyExample ?? '' } };
}

/** The plan for a numeric column named like an id (floats that are whole) or a date (Excel serials, YYYYMMDD). */
export function planNumeric(col: ColumnInfo, s: NumericStats): ColumnPlan {
  const plan: ColumnPlan = { name: col.name, type: col.type, normalise: NORMALISE_ALL, kind: 'keep', missing: [], unguard: false, notes: [] };
  if (s.n === 0) return plan;
  const isFloat = /^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(col.type);
  if (DATE_NAME_RE.test(col.name)) {
    if (s.compactDates === s.n) {
      return { ...plan, kind: 'date', compactNumber: true, notes: [{ code: 'dates', column: col.name, count: s.n, params: { column: col.name, type: 'DATE', format: 'YYYYMMDD', count: s.n, why: 'ingest.why.unambiguous' } }] };
    }
    if (s.min !== null && s.max !== null && s.min >= 20000 && s.max <= 60000) {
      const whole = s.integral === s.n;
      return { ...plan, kind: whole ? 'date' : 'timestamp', serial: true, notes: [{ code: 'dates', column: col.name, count: s.n, params: { column: col.name, type: whole ? 'DATE' : 'TIMESTAMP', format: 'Excel', count: s.n, why: 'ingest.why.serial' } }] };
    }
  }
  if (isFloat && ID_NAME_RE.test(col.name) && s.integral === s.n && s.max !== null && s.min !== null && Math.max(Math.abs(s.max), Math.abs(s.min)) < 1e15) {
    return { ...plan, kind: 'bigint', notes: [{ code: 'integers', column: col.name, count: s.n, params: { column: col.name, example: `${s.example ?? ''}` } }] };
  }
  return plan;
}

/** Numeric columns worth a look: floats named like ids, numbers named like dates. */
export function numericCandidates(columns: ColumnInfo[]): ColumnInfo[] {
  return columns.filter((c) => NUMERIC_TYPES.test(c.type) && (DATE_NAME_RE.test(c.name) || (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(c.type) && ID_NAME_RE.test(c.name))));
}

/** The converted value of a planned column (raw column reference `c`). */
export function planExpr(p: ColumnPlan): string {
  const c = ident(p.name);
  if (p.kind === 'keep') return c;
  if (p.serial) {
    const days = p.type === 'VARCHAR' ? `TRY_CAST(${halfWidth(unguarded(c, p.normalise), p.normalise)} AS DOUBLE)` : `CAST(${c} AS DOUBLE)`;
    const value = p.kind === 'date' ? `(DATE '1899-12-30' + CAST(${days} AS INTEGER))` : `(TIMESTAMP '1899-12-30' + to_seconds(round(${days} * 86400)))`;
    return missingGuard(p, value);
  }
  if (p.compactNumber) return `CAST(try_strptime(CAST(${c}::BIGINT AS VARCHAR), '%Y%m%d') AS DATE)`;
  if (p.type !== 'VARCHAR') return p.kind === 'bigint' ? `CAST(${c} AS BIGINT)` : c;
  const u = halfWidth(unguarded(c, p.normalise), p.normalise);
  switch (p.kind) {
    case 'text': {
      const t = trimmed(c, p.normalise);
      return missingGuard(p, p.unguard ? `CASE WHEN ${hasGuard(t)} THEN ${t}[3:-2] ELSE ${c} END` : c);
    }
    case 'bigint':
      return missingGuard(p, `CAST(${numberExpr(u)} AS BIGINT)`);
    case 'double':
      return missingGuard(p, numberExpr(u));
    case 'date':
    case 'timestamp': {
      const d = dateExpr(p.date!.family, u, p.date!.formats);
      return missingGuard(p, p.kind === 'date' ? `CAST(${d} AS DATE)` : d);
    }
  }
}

function missingGuard(p: ColumnPlan, value: string): string {
  if (p.missing.length === 0) return value;
  return `CASE WHEN ${trimmed(ident(p.name), p.normalise)} IN (${stringList(p.missing)}) THEN NULL ELSE ${value} END`;
}

/** Counts, per converting plan, the present values the conversion could not read (they would become NULL). */
export function verifySql(table: string, plans: ColumnPlan[]): string {
  const parts = plans.map((p, i) => {
    const present = p.missing.length ? `${ident(p.name)} IS NOT NULL AND ${trimmed(ident(p.name), p.normalise)} NOT IN (${stringList(p.missing)})` : `${ident(p.name)} IS NOT NULL`;
    return `count(*) FILTER (WHERE ${present} AND (${planExpr(p)}) IS NULL)::DOUBLE AS f${i}, min(${ident(p.name)}::VARCHAR) FILTER (WHERE ${present} AND (${planExpr(p)}) IS NULL) AS e${i}`;
  });
  return `SELECT ${parts.join(', ')} FROM ${ident(table)}`;
}

/** Rewrites the table with the plans applied, keeping column order and every row. */
export function rewriteSql(table: string, columns: ColumnInfo[], plans: Map<string, ColumnPlan>): string {
  const select = columns.map((c) => {
    const p = plans.get(c.name);
    return p && p.kind !== 'keep' ? `${planExpr(p)} AS ${ident(c.name)}` : ident(c.name);
  });
  return `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${select.join(', ')} FROM ${ident(table)}`;
}
