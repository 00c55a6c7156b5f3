/**
 * Reading the segmentation cells from a notebook file: every field is checked for its type and
 * range and copied into a fresh object, so a hostile file cannot smuggle in keys, prototypes,
 * huge strings or trees deep enough to exhaust the stack. Register with `registerSegmentReaders`.
 */
import type { BandSpec } from '../segment/attribute-bands';
import type { Condition, ConditionTree, Group } from '../segment/conditions';
import type { CustomerViewSpec } from '../segment/customer-view';
import { registerCellReader, type CellReader } from './document';
import type { AttributesCell, AttributesRate, CompareCell, CustomersCell, SegmentCell, SegmentRef } from './cells-segment';
import { t } from '../i18n';

const NAME = 1000;
const VALUE = 10_000;
const MAX_DEPTH = 8;
const MAX_NODES = 500;
const MAX_LIST = 1000;

class Bad extends Error {}
const bad = (at: string, what: string): never => {
  throw new Bad(`${at} ${what}`);
};

function obj(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(at, t('msg.nb.object'));
  for (const k of Object.keys(v as object)) if (k === '__proto__' || k === 'constructor' || k === 'prototype') bad(at, t('msg.nb.forbiddenKey', { key: k }));
  return v as Record<string, unknown>;
}

function text(v: unknown, at: string, max = NAME): string {
  if (typeof v !== 'string') bad(at, t('msg.nb.text'));
  if ((v as string).length > max) bad(at, t('msg.nb.tooLong', { max }));
  if ((v as string).includes('\0')) bad(at, t('msg.nb.noNul'));
  return v as string;
}

function nullableText(v: unknown, at: string, max = NAME): string | null {
  return v === null || v === undefined ? null : text(v, at, max);
}

function list(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) bad(at, t('msg.nb.list'));
  if ((v as unknown[]).length > max) bad(at, t('msg.nb.tooMany', { max }));
  return v as unknown[];
}

function oneOf<T extends string>(v: unknown, options: readonly T[], at: string): T {
  if (typeof v !== 'string' || !options.includes(v as T)) bad(at, t('msg.nb.oneOf', { options: options.join(', ') }));
  return v as T;
}

function int(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(at, t('msg.nb.wholeFromTo', { min: String(min), max: String(max) }));
  return v as number;
}

function finite(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(at, t('msg.nb.number'));
  return v as number;
}

function isoDateOrNull(v: unknown, at: string): string | null {
  if (v === null || v === undefined) return null;
  const s = text(v, at, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) bad(at, t('msg.nb.date'));
  return s;
}

function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') bad(at, t('msg.nb.boolean'));
  return v as boolean;
}

/** A value a user typed or picked: text, a finite number or a boolean. */
function value(v: unknown, at: string): string | number | boolean {
  if (typeof v === 'string') return text(v, at, VALUE);
  if (typeof v === 'number') return finite(v, at);
  if (typeof v === 'boolean') return v;
  return bad(at, t('msg.nb.value'));
}

/** Runs a reader, turning its first problem into the message the document reader expects. */
function guarded<T>(read: () => T): T | string {
  try {
    return read();
  } catch (e) {
    if (e instanceof Bad) return e.message;
    throw e;
  }
}

/** Reads a customer view's settings. */
export function readCustomerViewSpec(raw: unknown, at: string): CustomerViewSpec {
  const s = obj(raw, at);
  const r = obj(s.roles, `${at} roles`);
  return {
    orders: text(s.orders, `${at} orders table`),
    customers: nullableText(s.customers, `${at} customers table`),
    roles: {
      customerId: text(r.customerId, `${at} customer id`),
      orderDate: text(r.orderDate, `${at} order date`),
      amount: text(r.amount, `${at} amount`),
      orderId: nullableText(r.orderId, `${at} order id`),
      channel: nullableText(r.channel, `${at} channel`),
      category: nullableText(r.category, `${at} category`),
      discount: nullableText(r.discount, `${at} discount`),
    },
    customersId: nullableText(s.customersId, `${at} customers id column`),
    asOf: isoDateOrNull(s.asOf, `${at} as-of date`),
    newWithinDays: int(s.newWithinDays, `${at} 'new within' days`, 0, 100_000),
  };
}

/** Reads one band spec. */
export function readBand(raw: unknown, at: string): BandSpec {
  const b = obj(raw, at);
  const column = text(b.column, `${at} column`);
  const kind = oneOf(b.kind, ['category', 'quantile', 'equal-width', 'breaks'] as const, `${at} kind`);
  switch (kind) {
    case 'category': {
      const out: BandSpec = { column, kind };
      if (b.minShare !== undefined) {
        const m = finite(b.minShare, `${at} minimum share`);
        if (m < 0 || m >= 1) bad(`${at} minimum share`, t('msg.nb.share'));
        out.minShare = m;
      }
      if (b.maxGroups !== undefined) out.maxGroups = int(b.maxGroups, `${at} maximum groups`, 1, 1000);
      if (b.derive !== undefined) out.derive = oneOf(b.derive, ['province', 'city'] as const, `${at} part of the address`);
      return out;
    }
    case 'quantile':
    case 'equal-width':
      return { column, kind, bins: int(b.bins, `${at} bands`, 1, 100) };
    case 'breaks':
      return { column, kind, breaks: list(b.breaks, `${at} breaks`, 100).map((x, i) => finite(x, `${at} break ${i + 1}`)) };
  }
}

function readCondition(c: Record<string, unknown>, at: string): Condition {
  const column = text(c.column, `${at} column`);
  switch (c.kind) {
    case 'compare':
      return { kind: 'compare', column, op: oneOf(c.op, ['=', '<>', '<', '<=', '>', '>='] as const, `${at} comparison`), value: value(c.value, `${at} value`) };
    case 'between':
      return { kind: 'between', column, low: value(c.low, `${at} low`), high: value(c.high, `${at} high`) };
    case 'in': {
      const values = list(c.values, `${at} values`, MAX_LIST).map((v, i) => {
        if (typeof v === 'string') return text(v, `${at} value ${i + 1}`, VALUE);
        return finite(v, `${at} value ${i + 1}`);
      });
      return c.negate === undefined ? { kind: 'in', column, values } : { kind: 'in', column, values, negate: bool(c.negate, `${at} negate`) };
    }
    case 'contains': {
      const t = text(c.text, `${at} text`, VALUE);
      return c.caseSensitive === undefined ? { kind: 'contains', column, text: t } : { kind: 'contains', column, text: t, caseSensitive: bool(c.caseSensitive, `${at} case`) };
    }
    case 'empty':
      return c.negate === undefined ? { kind: 'empty', column } : { kind: 'empty', column, negate: bool(c.negate, `${at} negate`) };
    case 'date': {
      const op = oneOf(c.op, ['before', 'after', 'within-last-days'] as const, `${at} date condition`);
      const v = c.value;
      if (typeof v !== 'string' && typeof v !== 'number') bad(`${at} value`, t('msg.nb.textOrNumber'));
      return { kind: 'date', column, op, value: typeof v === 'string' ? text(v, `${at} value`, 100) : finite(v, `${at} value`) };
    }
    default:
      return bad(`${at} kind`, t('msg.nb.notConditionKind', { kind: String(c.kind).slice(0, 40) }));
  }
}

/** Reads a condition tree (a group at the root), at most 8 groups deep and 500 nodes in all. */
export function readConditionTree(raw: unknown, at: string): Group {
  let nodes = 0;
  const node = (v: unknown, where: string, depth: number): ConditionTree => {
    if (++nodes > MAX_NODES) bad(`${at ? `${at} ` : ''}conditions`, t('msg.nb.tooManyConditions', { max: MAX_NODES }));
    const o = obj(v, where);
    if (o.kind !== 'group') return readCondition(o, where);
    if (depth >= MAX_DEPTH) bad(where, t('msg.nb.tooDeep', { max: MAX_DEPTH }));
    return {
      kind: 'group',
      op: oneOf(o.op, ['and', 'or'] as const, `${where} AND/OR`),
      items: list(o.items, `${where} items`, MAX_NODES).map((item, i) => node(item, `${where}.${i + 1}`, depth + 1)),
    };
  };
  const where = `${at ? `${at} ` : ''}conditions`;
  const root = node(raw, where, 0);
  if (root.kind !== 'group') bad(where, t('msg.nb.group'));
  return root as Group;
}

/** Reads one segment reference of a compare cell. */
export function readSegmentRef(raw: unknown, at: string): SegmentRef {
  const r = obj(raw, at);
  const view = text(r.view, `${at} view`);
  switch (oneOf(r.kind, ['saved', 'rfm', 'group'] as const, `${at} kind`)) {
    case 'saved':
      return { kind: 'saved', view };
    case 'rfm':
      return { kind: 'rfm', view, segment: text(r.segment, `${at} segment`, VALUE) };
    case 'group':
      return {
        kind: 'group',
        view,
        band1: int(r.band1, `${at} band`, 1, 100_000),
        band2: r.band2 === null || r.band2 === undefined ? null : int(r.band2, `${at} second band`, 1, 100_000),
        label: text(r.label, `${at} label`, VALUE),
      };
  }
}

/** The reader of 'customers' cells. */
export const readCustomersCell: CellReader = (raw, base) => guarded((): CustomersCell => ({ ...base, kind: 'customers', spec: readCustomerViewSpec(raw.spec, 'customer view') }));

/** The reader of 'attributes' cells. */
export const readAttributesCell: CellReader = (raw, base) =>
  guarded((): AttributesCell => ({
    ...base,
    kind: 'attributes',
    source: text(raw.source, 'source'),
    bands: list(raw.bands, 'columns', 2).map((b, i) => readBand(b, `column ${i + 1}`)),
    revenue: nullableText(raw.revenue, 'revenue column'),
    orders: nullableText(raw.orders, 'orders column'),
    ...(raw.rate === null || raw.rate === undefined ? {} : { rate: readRate(raw.rate) }),
  }));

function readRate(raw: unknown): AttributesRate | null {
  if (raw === null || raw === undefined) return null;
  const r = obj(raw, 'rate');
  return {
    column: text(r.column, 'rate column'),
    value: text(r.value, 'rate value', VALUE),
    minBase: int(r.minBase, 'rate minimum base', 0, 1_000_000),
    third: r.third === null || r.third === undefined ? null : readBand(r.third, 'rate third column'),
  };
}

/** The reader of 'segment' cells. */
export const readSegmentCell: CellReader = (raw, base) =>
  guarded((): SegmentCell => ({
    ...base,
    kind: 'segment',
    source: text(raw.source, 'source'),
    rfm: nullableText(raw.rfm, 'RFM result'),
    tree: readConditionTree(raw.tree, ''),
    revenue: nullableText(raw.revenue, 'revenue column'),
    asOf: isoDateOrNull(raw.asOf, 'as-of date'),
  }));

/** The reader of 'compare' cells. */
export const readCompareCell: CellReader = (raw, base) =>
  guarded((): CompareCell => ({
    ...base,
    kind: 'compare',
    base: text(raw.base, 'customers'),
    segments: list(raw.segments, 'segments', 20).map((s, i) => readSegmentRef(s, `segment ${i + 1}`)),
  }));

/** Teaches the notebook reader the segmentation cells. */
export function registerSegmentReaders(): void {
  registerCellReader('customers', readCustomersCell);
  registerCellReader('attributes', readAttributesCell);
  registerCellReader('segment', readSegmentCell);
  registerCellReader('compare', readCompareCell);
}
