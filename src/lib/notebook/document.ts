/**
 * The notebook as a file: a versioned JSON document with the cells, the settings and the
 * tables it expects (names and column types — never the data). Reading one validates every
 * field and builds fresh objects, so a hostile file cannot inject keys, prototypes or huge strings.
 */
import type { Cell } from './cells';
import { AGGREGATES, CHART_MARKS, type ChartSpec } from '../plots/chart-spec';
import type { RfmSpec } from '../segment/rfm-spec';
import type { SegmentRule } from '../segment/rfm-rules';
import type { RfmLevel, RfmReference, RfmTypeRule, RfmTypesSettings } from '../segment/rfm-types';
import { migrateCells } from './migrate';
import { t } from '../i18n';

/** The current document version. */
export const NOTEBOOK_VERSION = 3;
export const NOTEBOOK_FORMAT = 'segnote-notebook';

const LIMITS = { cells: 500, name: 60, sql: 200_000, text: 200_000, tables: 200, columns: 2000, total: 5_000_000, data: 70_000_000 };

/** A table a notebook expects, with its columns. */
export interface ExpectedTable {
  name: string;
  columns: { name: string; type: string }[];
  /** A public http(s) URL the data can be loaded from (after the user approves its origin). */
  url?: string;
  /** The table's rows, when the user chose to include the data: a Parquet file, base64-encoded. */
  data?: { format: 'parquet'; base64: string };
}

/** Notebook settings. */
export interface NotebookSettings {
  /** Re-run stale cells automatically, or wait for "Run stale". */
  autoRun: boolean;
}

/** A notebook document. */
export interface NotebookDoc {
  format: typeof NOTEBOOK_FORMAT;
  version: number;
  name: string;
  cells: Cell[];
  settings: NotebookSettings;
  tables: ExpectedTable[];
}

/** Validates and rebuilds one cell of a kind other modules add (e.g. RFM); returns an error message or the cell. */
export type CellReader = (raw: Record<string, unknown>, base: { id: string; name: string }, at: string) => Cell | string;
const readers = new Map<string, CellReader>();

/** Teaches the document reader a cell kind defined elsewhere. */
export function registerCellReader(kind: string, reader: CellReader): void {
  readers.set(kind, reader);
}

/** Builds the document for a notebook. */
export function toDocument(name: string, cells: readonly Cell[], settings: NotebookSettings, tables: readonly ExpectedTable[]): NotebookDoc {
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, name, cells: structuredClone([...cells]), settings: { ...settings }, tables: structuredClone([...tables]) };
}

/** Parses and validates a notebook file's text. */
export function parseNotebook(text: string): { ok: true; doc: NotebookDoc } | { ok: false; error: string } {
  if (text.length > LIMITS.total + LIMITS.data) return { ok: false, error: t('msg.nb.tooLarge', { mb: (LIMITS.total + LIMITS.data) / 1e6 }) };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: t('msg.nb.notJson') };
  }
  return readNotebook(raw);
}

/** Validates an already-parsed value as a notebook document. */
export function readNotebook(raw: unknown): { ok: true; doc: NotebookDoc } | { ok: false; error: string } {
  try {
    return { ok: true, doc: readDoc(raw) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

class Invalid extends Error {}
const fail = (at: string, what: string): never => {
  throw new Invalid(t('msg.nb.invalid', { at, what }));
};

function obj(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, t('msg.nb.object'));
  for (const k of Object.keys(v as object)) if (k === '__proto__' || k === 'constructor' || k === 'prototype') fail(at, t('msg.nb.forbiddenKey', { key: k }));
  return v as Record<string, unknown>;
}

function text(v: unknown, at: string, max: number, allowEmpty = true): string {
  if (typeof v !== 'string') fail(at, t('msg.nb.text'));
  const s = v as string;
  if (s.length > max) fail(at, t('msg.nb.tooLong', { max }));
  if (!allowEmpty && !s.trim()) fail(at, t('msg.nb.notEmpty'));
  return s;
}

function nullableText(v: unknown, at: string, max: number): string | null {
  return v === null || v === undefined ? null : text(v, at, max);
}

function list(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(at, t('msg.nb.list'));
  if ((v as unknown[]).length > max) fail(at, t('msg.nb.tooMany', { max }));
  return v as unknown[];
}

function oneOf<T extends string>(v: unknown, options: readonly T[], at: string): T {
  if (typeof v !== 'string' || !options.includes(v as T)) fail(at, t('msg.nb.oneOf', { options: options.join(', ') }));
  return v as T;
}

/** A stored document of an older version, its cells rewritten to mean the same now (see migrate.ts). */
export function upgradeDocument(doc: NotebookDoc): NotebookDoc {
  if (doc.version >= NOTEBOOK_VERSION) return doc;
  return { ...doc, version: NOTEBOOK_VERSION, cells: migrateCells(doc.cells, doc.version) as Cell[] };
}

function readDoc(raw: unknown): NotebookDoc {
  const o = obj(raw, t('msg.nb.at.document'));
  if (o.format !== NOTEBOOK_FORMAT) fail(t('msg.nb.at.document'), t('msg.nb.notNotebook', { format: NOTEBOOK_FORMAT }));
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) fail('version', t('msg.nb.whole'));
  if ((o.version as number) > NOTEBOOK_VERSION) fail('version', t('msg.nb.newer', { version: String(o.version), supported: String(NOTEBOOK_VERSION) }));
  const ids = new Set<string>();
  const names = new Set<string>();
  const cells = migrateCells(list(o.cells, 'cells', LIMITS.cells), o.version as number).map((c, i) => {
    const at = t('msg.nb.at.cell', { n: i + 1 });
    const cell = readCell(c, at);
    if (ids.has(cell.id)) fail(at, t('msg.nb.repeatsId', { id: cell.id }));
    if (names.has(cell.name.toLowerCase())) fail(at, t('msg.nb.repeatsName', { name: cell.name }));
    ids.add(cell.id);
    names.add(cell.name.toLowerCase());
    return cell;
  });
  const s = o.settings === undefined ? {} : obj(o.settings, 'settings');
  const tables = o.tables === undefined ? [] : list(o.tables, 'tables', LIMITS.tables).map((entry, i) => {
    const to = obj(entry, `table ${i + 1}`);
    const url = to.url === undefined || to.url === null ? undefined : text(to.url, `table ${i + 1} url`, 2000);
    if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) fail(`${t('msg.nb.at.table', { n: i + 1 })} url`, t('msg.nb.url'));
    let data: ExpectedTable['data'];
    if (to.data !== undefined && to.data !== null) {
      const d = obj(to.data, `table ${i + 1} data`);
      if (d.format !== 'parquet') fail(`${t('msg.nb.at.table', { n: i + 1 })} data`, t('msg.nb.parquet'));
      const b64 = text(d.base64, `table ${i + 1} data`, LIMITS.data);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) fail(`${t('msg.nb.at.table', { n: i + 1 })} data`, t('msg.nb.base64'));
      data = { format: 'parquet', base64: b64 };
    }
    return {
      name: text(to.name, `table ${i + 1} name`, LIMITS.name, false),
      ...(url ? { url } : {}),
      ...(data ? { data } : {}),
      columns: list(to.columns, `table ${i + 1} columns`, LIMITS.columns).map((c, j) => {
        const co = obj(c, `table ${i + 1} column ${j + 1}`);
        return { name: text(co.name, `table ${i + 1} column ${j + 1} name`, 1000), type: text(co.type, `table ${i + 1} column ${j + 1} type`, 200) };
      }),
    };
  });
  return {
    format: NOTEBOOK_FORMAT,
    version: NOTEBOOK_VERSION,
    name: o.name === undefined ? 'Untitled' : text(o.name, 'name', 200),
    cells,
    settings: { autoRun: s.autoRun === undefined ? true : s.autoRun === true },
    tables,
  };
}

function readCell(raw: unknown, at: string): Cell {
  const c = obj(raw, at);
  const id = text(c.id, `${at} id`, 100, false);
  const name = text(c.name, `${at} name`, LIMITS.name, false);
  if (/[\u0000-\u001f]/.test(name) || name.startsWith('__segnote')) fail(`${at} name`, t('msg.nb.nameChars'));
  const base = { id, name };
  switch (c.kind) {
    case 'sql':
      return { ...base, kind: 'sql', sql: text(c.sql, `${at} sql`, LIMITS.sql) };
    case 'notes':
      return { ...base, kind: 'notes', text: text(c.text, `${at} text`, LIMITS.text) };
    case 'chart':
      return { ...base, kind: 'chart', spec: readChartSpec(c.spec, `${at} chart`) };
    case 'rfm':
      return {
        ...base,
        kind: 'rfm',
        spec: readRfmSpec(c.spec, `${at} RFM settings`),
        rules: list(c.rules, `${at} rules`, 100).map((r, i) => readRule(r, `${at} rule ${i + 1}`)),
        ...(c.model === undefined ? {} : { model: oneOf(c.model, ['scores', 'types'] as const, `${at} model`) }),
        ...(c.types === undefined ? {} : { types: readRfmTypes(c.types, `${at} 8-type settings`) }),
      };
    default: {
      const reader = typeof c.kind === 'string' ? readers.get(c.kind) : undefined;
      if (!reader) return fail(`${at} kind`, t('msg.nb.unknownKind', { kind: String(c.kind).slice(0, 40) }));
      const cell = reader(c, base, at);
      if (typeof cell === 'string') fail(at, cell);
      return cell as Cell;
    }
  }
}

function readChartSpec(raw: unknown, at: string): ChartSpec {
  const s = obj(raw, at);
  const spec: ChartSpec = {
    source: text(s.source, `${at} source`, 1000),
    mark: oneOf(s.mark, CHART_MARKS, `${at} mark`),
    x: nullableText(s.x, `${at} x`, 1000),
    y: nullableText(s.y, `${at} y`, 1000),
    color: nullableText(s.color, `${at} color`, 1000),
    aggregate: oneOf(s.aggregate, AGGREGATES, `${at} aggregate`),
  };
  for (const k of ['bins', 'limit'] as const) {
    if (s[k] === undefined) continue;
    if (typeof s[k] !== 'number' || !Number.isInteger(s[k]) || (s[k] as number) < 1 || (s[k] as number) > 100_000) fail(`${at} ${k}`, t('msg.nb.wholeFromTo', { min: '1', max: '100000' }));
    spec[k] = s[k] as number;
  }
  if (s.sort !== undefined) spec.sort = oneOf(s.sort, ['x', 'value-desc', 'value-asc'] as const, `${at} sort`);
  return spec;
}

function isoDateOrNull(v: unknown, at: string): string | null {
  if (v === null || v === undefined) return null;
  const s = text(v, at, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) fail(at, t('msg.nb.date'));
  return s;
}

function numbers(v: unknown, at: string): number[] {
  const l = list(v, at, 4);
  if (l.length !== 4 || l.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail(at, t('msg.nb.fourNumbers'));
  return l as number[];
}

function readRfmSpec(raw: unknown, at: string): RfmSpec {
  const s = obj(raw, at);
  const w = s.window === undefined ? {} : obj(s.window, `${at} window`);
  const scoringRaw = obj(s.scoring, `${at} scoring`);
  const method = oneOf(scoringRaw.method, ['quantile', 'thresholds'] as const, `${at} scoring method`);
  return {
    source: text(s.source, `${at} source`, 1000),
    customerId: text(s.customerId, `${at} customer id`, 1000),
    orderDate: text(s.orderDate, `${at} order date`, 1000),
    amount: text(s.amount, `${at} amount`, 1000),
    orderId: nullableText(s.orderId, `${at} order id`, 1000),
    asOf: isoDateOrNull(s.asOf, `${at} as-of date`),
    window: { from: isoDateOrNull(w.from, `${at} window start`), to: isoDateOrNull(w.to, `${at} window end`) },
    monetary: oneOf(s.monetary, ['total', 'average'] as const, `${at} monetary`),
    negatives: oneOf(s.negatives, ['net', 'exclude'] as const, `${at} refunds`),
    scoring:
      method === 'quantile'
        ? { method }
        : { method, r: numbers(scoringRaw.r, `${at} R thresholds`), f: numbers(scoringRaw.f, `${at} F thresholds`), m: numbers(scoringRaw.m, `${at} M thresholds`) },
  };
}

function range(v: unknown, at: string): [number, number] {
  const l = list(v, at, 2);
  if (l.length !== 2 || l.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 5)) fail(at, t('msg.nb.twoScores'));
  return [l[0] as number, l[1] as number];
}

function readRule(raw: unknown, at: string): SegmentRule {
  const r = obj(raw, at);
  return {
    name: text(r.name, `${at} name`, 100, false),
    r: range(r.r, `${at} R range`),
    f: range(r.f, `${at} F range`),
    m: range(r.m, `${at} M range`),
    description: text(r.description ?? '', `${at} description`, 2000),
    action: text(r.action ?? '', `${at} action`, 2000),
  };
}

function readReference(raw: unknown, at: string): RfmReference {
  const r = obj(raw, at);
  const kind = oneOf(r.kind, ['mean', 'median', 'value'] as const, `${at} kind`);
  if (kind !== 'value') return { kind };
  if (typeof r.value !== 'number' || !Number.isFinite(r.value)) fail(`${at} value`, 'must be a number');
  return { kind, value: r.value as number };
}

function readRfmTypes(raw: unknown, at: string): RfmTypesSettings {
  const s = obj(raw, at);
  const ref = obj(s.reference, `${at} reference`);
  const levels = ['high', 'low'] as const;
  const types = list(s.types, `${at} types`, 8).map((t, i): RfmTypeRule => {
    const o = obj(t, `${at} type ${i + 1}`);
    const level = (k: 'r' | 'f' | 'm'): RfmLevel => oneOf(o[k], levels, `${at} type ${i + 1} ${k.toUpperCase()}`);
    return {
      r: level('r'),
      f: level('f'),
      m: level('m'),
      name: text(o.name, `${at} type ${i + 1} name`, 100, false),
      action: text(o.action ?? '', `${at} type ${i + 1} action`, 2000),
    };
  });
  if (types.length !== 8 || new Set(types.map((x) => x.r + x.f + x.m)).size !== 8) fail(`${at} types`, 'must name each of the 8 combinations of high and low once');
  return {
    reference: { r: readReference(ref.r, `${at} R reference`), f: readReference(ref.f, `${at} F reference`), m: readReference(ref.m, `${at} M reference`) },
    types,
  };
}
