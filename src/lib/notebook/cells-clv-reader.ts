/**
 * Reading lifecycle, CLV and movement cells from a notebook file: every field is checked (type,
 * length, range, allowed values) and copied into a fresh object, so a hostile file cannot smuggle
 * in keys, prototypes, huge strings or values the SQL builders would refuse. Registered with the
 * document reader on import.
 */
import { registerCellReader } from './document';
import type { ClvCell, LifecycleCell, MovementCell } from './cells-clv';
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from '../segment/lifecycle-sql';
import { isIsoDay } from '../segment/orders-source';
import { t } from '../i18n';
import { CHURN_BANDS, CLV_MODELS, type ChurnBands } from '../segment/clv-predict-sql';

const MAX_NAME = 1000;

/** Shared with the other cell readers. */
export class Bad extends Error {}

/** Shared with the other cell readers. */
export function obj(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(`${at} ${t('msg.nb.object')}`);
  for (const k of Object.keys(v)) if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new Bad(`${at} ${t('msg.nb.forbiddenKey', { key: k })}`);
  return v as Record<string, unknown>;
}

/** Shared with the other cell readers. */
export function text(v: unknown, at: string, max = MAX_NAME): string {
  if (typeof v !== 'string') throw new Bad(`${at} ${t('msg.nb.text')}`);
  if (v.length > max) throw new Bad(`${at} ${t('msg.nb.tooLong', { max })}`);
  if (v.includes('\0')) throw new Bad(`${at} ${t('msg.nb.nul')}`);
  return v;
}

function nullableText(v: unknown, at: string): string | null {
  return v === null || v === undefined ? null : text(v, at);
}

function day(v: unknown, at: string): string | null {
  if (v === null || v === undefined) return null;
  const s = text(v, at, 10);
  if (!isIsoDay(s)) throw new Bad(`${at} ${t('msg.nb.date')}`);
  return s;
}

function number(v: unknown, at: string, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new Bad(`${at} ${t(integer ? 'msg.nb.wholeFromTo' : 'msg.nb.numberFromTo', { min: String(min), max: String(max) })}`);
  }
  return v;
}

/** Shared with the other cell readers. */
export function oneOf<T extends string>(v: unknown, options: readonly T[], at: string): T {
  if (typeof v !== 'string' || !options.includes(v as T)) throw new Bad(`${at} ${t('msg.nb.oneOf', { options: options.join(', ') })}`);
  return v as T;
}

function ordersSource(s: Record<string, unknown>, at: string) {
  return {
    source: text(s.source, `${at} source`),
    customerId: text(s.customerId, `${at} customer id`),
    orderDate: text(s.orderDate, `${at} order date`),
    amount: text(s.amount, `${at} amount`),
  };
}

/** Rule values are range-checked loosely here (wide bounds); `validateLifecycleRules` explains finer problems to the user. */
function lifecycleRules(raw: unknown, at: string): LifecycleRules {
  const r = obj(raw, at);
  const rules = {} as LifecycleRules;
  for (const key of Object.keys(DEFAULT_LIFECYCLE_RULES) as (keyof LifecycleRules)[]) {
    rules[key] = number(r[key], `${at} ${key}`, 0, 100_000);
  }
  return rules;
}

/** Shared with the other cell readers. */
export function guard<C>(read: () => C): C | string {
  try {
    return read();
  } catch (e) {
    if (e instanceof Bad) return e.message;
    throw e;
  }
}

/** Validates and rebuilds a lifecycle cell. */
export function readLifecycleCell(raw: Record<string, unknown>, base: { id: string; name: string }): LifecycleCell | string {
  return guard(() => {
    const s = obj(raw.spec, 'lifecycle settings');
    return {
      ...base,
      kind: 'lifecycle',
      spec: { ...ordersSource(s, 'lifecycle settings'), asOf: day(s.asOf, 'lifecycle as-of date'), valueView: nullableText(s.valueView, 'lifecycle value view') },
      rules: lifecycleRules(raw.rules, 'lifecycle rules'),
    };
  });
}

/** Churn-risk bands: absent (notebooks before issue 17) = the defaults; else two probabilities, high <= low. */
function churnBands(v: unknown, at: string): ChurnBands {
  if (v === undefined || v === null) return { ...CHURN_BANDS };
  const b = obj(v, at);
  const bands = { high: number(b.high, `${at} high`, 0, 1), low: number(b.low, `${at} low`, 0, 1) };
  if (!(bands.high > 0 && bands.high <= bands.low)) throw new Bad(`${at}: high must be above 0 and at most low`);
  return bands;
}

/** Validates and rebuilds a CLV cell. Notebooks before issue 17 have no model (BG/NBD) and no bands (the defaults). */
export function readClvCell(raw: Record<string, unknown>, base: { id: string; name: string }): ClvCell | string {
  return guard(() => {
    const s = obj(raw.spec, 'CLV settings');
    return {
      ...base,
      kind: 'clv',
      spec: {
        ...ordersSource(s, 'CLV settings'),
        unit: oneOf(s.unit, ['days', 'weeks'] as const, 'CLV unit'),
        asOf: day(s.asOf, 'CLV as-of date'),
        holdout: number(s.holdout, 'CLV holdout', 0, 36_500),
        calibrationEnd: day(s.calibrationEnd, 'CLV calibration end'),
        horizon: number(s.horizon, 'CLV horizon', 0, 36_500),
        discountRate: number(s.discountRate, 'CLV discount rate', 0, 10),
        model: s.model === undefined || s.model === null ? 'bgnbd' : oneOf(s.model, CLV_MODELS, 'CLV model'),
        churnBands: churnBands(s.churnBands, 'CLV churn-risk bands'),
      },
      segmentView: nullableText(raw.segmentView, 'CLV segment view'),
    };
  });
}

/** Validates and rebuilds a movement cell. */
export function readMovementCell(raw: Record<string, unknown>, base: { id: string; name: string }): MovementCell | string {
  return guard(() => {
    const s = obj(raw.spec, 'movement settings');
    return {
      ...base,
      kind: 'movement',
      spec: {
        ...ordersSource(s, 'movement settings'),
        orderId: nullableText(s.orderId, 'movement order id'),
        measure: oneOf(s.measure, ['rfm', 'lifecycle', 'views'] as const, 'movement measure'),
        basis: nullableText(s.basis, 'movement basis cell'),
        from: day(s.from, 'movement first date'),
        to: day(s.to, 'movement second date'),
        lookbackDays: s.lookbackDays === null || s.lookbackDays === undefined ? null : number(s.lookbackDays, 'movement lookback', 1, 36_500, true),
        viewA: text(s.viewA, 'movement first view'),
        viewB: text(s.viewB, 'movement second view'),
        segmentColumn: text(s.segmentColumn, 'movement segment column'),
      },
    };
  });
}

registerCellReader('lifecycle', (raw, base) => readLifecycleCell(raw, base));
registerCellReader('clv', (raw, base) => readClvCell(raw, base));
registerCellReader('movement', (raw, base) => readMovementCell(raw, base));
