/**
 * What the segmentation cells learn from each other's runs: the settings each customer view was
 * built with (later cells need its orders table, roles and as-of date for lift, channel mix and
 * 'within the last N days') and each attributes cell's bands (to pick a group's customers).
 * Filled by the runs, keyed by cell; reactive, so a cell's editor sees a new run upstream.
 */
import type { ColumnInfo } from '../../workers/engine-types';
import type { BandSpec } from '../lib/segment/attribute-bands';
import type { CustomerViewSpec } from '../lib/segment/customer-view';
import type { AttributeRow } from '../lib/segment/segment-results';

/** A customer view as last built. */
export interface CustomerViewInfo {
  cellId: string;
  view: string;
  /** The spec as run (relation names as the engine spells them). */
  spec: CustomerViewSpec;
  /** The customers table's columns (DESCRIBE), [] without one. */
  customerColumns: ColumnInfo[];
  /** The view's columns. */
  columns: ColumnInfo[];
  /** The as-of date used (yyyy-mm-dd). */
  asOf: string;
  /** Names of the view's columns that are customer attributes. */
  attributes: string[];
}

/** An attributes cell's groups as last computed. */
export interface AttributesInfo {
  cellId: string;
  view: string;
  source: string;
  bands: BandSpec[];
  /** The source's columns. */
  columns: ColumnInfo[];
  idColumn: string | null;
  rows: AttributeRow[];
}

/** A customer-level cell's source that repeats customer ids (an orders table), as its last run found. */
export interface GrainInfo {
  source: string;
  rows: number;
  customers: number;
}

class SegmentRegistry {
  #customerViews = $state.raw<CustomerViewInfo[]>([]);
  #attributes = $state.raw<AttributesInfo[]>([]);
  #grain = $state.raw<Record<string, GrainInfo>>({});

  /** The orders-like source a cell's last run refused, if any (the cell then offers a customer view). */
  grainOf(cellId: string): GrainInfo | undefined {
    return this.#grain[cellId];
  }

  /** Records (or, with null, clears) what a cell's grain check found. */
  rememberGrain(cellId: string, info: GrainInfo | null): void {
    if (!info && !(cellId in this.#grain)) return;
    const next = { ...this.#grain };
    if (info) next[cellId] = info;
    else delete next[cellId];
    this.#grain = next;
  }

  /** Known customer views, in the order their cells last ran. */
  get customerViews(): readonly CustomerViewInfo[] {
    return this.#customerViews;
  }

  /** Known attributes cells' groups. */
  get attributes(): readonly AttributesInfo[] {
    return this.#attributes;
  }

  /** The customer view named `view` (case-insensitive), if known. */
  customerView(view: string | null | undefined): CustomerViewInfo | undefined {
    if (!view) return undefined;
    const key = view.toLowerCase();
    return this.#customerViews.find((v) => v.view.toLowerCase() === key);
  }

  /** The groups of the attributes cell whose view is `view`, if known. */
  attributesOf(view: string): AttributesInfo | undefined {
    const key = view.toLowerCase();
    return this.#attributes.find((v) => v.view.toLowerCase() === key);
  }

  /** Records a customer view (replacing the cell's earlier one and any other under that name). */
  rememberCustomerView(info: CustomerViewInfo): void {
    const key = info.view.toLowerCase();
    this.#customerViews = [...this.#customerViews.filter((v) => v.cellId !== info.cellId && v.view.toLowerCase() !== key), info];
  }

  /** Records an attributes cell's groups. */
  rememberAttributes(info: AttributesInfo): void {
    const key = info.view.toLowerCase();
    this.#attributes = [...this.#attributes.filter((v) => v.cellId !== info.cellId && v.view.toLowerCase() !== key), info];
  }

  /** Forgets what a cell recorded (it was deleted). */
  forget(cellId: string): void {
    this.#customerViews = this.#customerViews.filter((v) => v.cellId !== cellId);
    this.#attributes = this.#attributes.filter((v) => v.cellId !== cellId);
    this.rememberGrain(cellId, null);
  }
}

/** The page's registry. */
export const segmentRegistry = new SegmentRegistry();
