/**
 * Reading cluster cells from a notebook file: every field is checked (type, length, range, allowed
 * values) and copied into a fresh object, so a hostile file cannot smuggle in keys, prototypes,
 * huge strings or values the task would refuse. Registered with the document reader on import.
 */
import { registerCellReader } from './document';
import type { ClusterCell, ClusterFeature } from './cells-cluster';
import { t } from '../i18n';

const MAX_NAME = 1000;
const MAX_FEATURES = 50;
const MAX_LABEL = 200;

class Bad extends Error {}

function obj(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(`${at} ${t('msg.nb.object')}`);
  for (const k of Object.keys(v)) if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new Bad(`${at} ${t('msg.nb.forbiddenKey', { key: k })}`);
  return v as Record<string, unknown>;
}

function text(v: unknown, at: string, max = MAX_NAME): string {
  if (typeof v !== 'string') throw new Bad(`${at} ${t('msg.nb.text')}`);
  if (v.length > max) throw new Bad(`${at} ${t('msg.nb.tooLong', { max })}`);
  if (v.includes('\0')) throw new Bad(`${at} ${t('msg.nb.nul')}`);
  return v;
}

function int(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Bad(`${at} ${t('msg.nb.wholeFromTo', { min: String(min), max: String(max) })}`);
  return v;
}

function oneOf<T extends string>(v: unknown, options: readonly T[], at: string): T {
  if (typeof v !== 'string' || !options.includes(v as T)) throw new Bad(`${at} ${t('msg.nb.oneOf', { options: options.join(', ') })}`);
  return v as T;
}

function feature(raw: unknown, at: string): ClusterFeature {
  const f = obj(raw, at);
  if (f.log !== null && typeof f.log !== 'boolean') throw new Bad(`${at} ${t('msg.nb.logBool')}`);
  return { name: text(f.name, `${at} name`), log: f.log as boolean | null };
}

/** One-hot category columns (absent in files written before they existed). */
function categories(raw: unknown, at: string): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Bad(`${at} ${t('msg.nb.fieldList', { field: 'categories' })}`);
  if (raw.length > MAX_FEATURES) throw new Bad(`${at} ${t('msg.nb.tooManyCategories', { max: MAX_FEATURES })}`);
  return raw.map((v, i) => text(v, `${at} category column ${i + 1}`));
}

/** Validates and rebuilds a cluster cell; returns the cell or what is wrong. */
export function readClusterCell(c: Record<string, unknown>, base: { id: string; name: string }, at: string): ClusterCell | string {
  try {
    if (!Array.isArray(c.features)) throw new Bad(`${at} ${t('msg.nb.fieldList', { field: 'features' })}`);
    if (c.features.length > MAX_FEATURES) throw new Bad(`${at} ${t('msg.nb.tooManyFeatures', { max: MAX_FEATURES })}`);
    const kMin = int(c.kMin, `${at} smallest k`, 2, 50);
    const kMax = int(c.kMax, `${at} largest k`, 2, 50);
    if (kMax < kMin) throw new Bad(`${at} ${t('msg.nb.kOrder')}`);
    const namesRaw = obj(c.names ?? {}, `${at} cluster names`);
    const names: Record<string, string> = {};
    for (const [key, value] of Object.entries(namesRaw)) {
      if (!/^[1-9]\d?$/.test(key)) throw new Bad(`${at} ${t('msg.nb.clusterNameKeys')}`);
      names[key] = text(value, `${at} name of cluster ${key}`, MAX_LABEL);
    }
    return {
      id: base.id,
      name: base.name,
      kind: 'cluster',
      source: text(c.source, `${at} source`),
      idColumn: text(c.idColumn, `${at} id column`),
      features: c.features.map((f, i) => feature(f, `${at} feature ${i + 1}`)),
      categories: categories(c.categories, at),
      scale: oneOf(c.scale, ['zscore', 'robust'] as const, `${at} standardisation`),
      missing: oneOf(c.missing, ['drop', 'median'] as const, `${at} missing values`),
      seed: int(c.seed, `${at} seed`, 0, 2 ** 31 - 1),
      kMin,
      kMax,
      k: c.k === null || c.k === undefined ? null : int(c.k, `${at} k`, 1, 50),
      treeDepth: int(c.treeDepth, `${at} rule depth`, 1, 3),
      names,
    };
  } catch (e) {
    if (e instanceof Bad) return e.message;
    throw e;
  }
}

registerCellReader('cluster', readClusterCell);
