/** The components of registered cell kinds (see src/state/cell-kinds.ts), with their add-button labels. */
import type { Component } from 'svelte';
import type { MessageKey } from '../lib/i18n';
import { registerCellKind, type CellKindRuntime } from '../state/cell-kinds';
import type { Cell } from '../lib/notebook/cells';

/** How a registered cell kind is shown. */
export interface CellView {
  kind: string;
  // Each kind's component takes its own cell type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: Component<{ cell: any }>;
  /** Catalogue key of the "+ …" button that adds such a cell. */
  addLabel: MessageKey;
}

const views: CellView[] = [];

/** Registers a cell kind's component. */
export function registerCellView(view: CellView): void {
  if (!views.some((v) => v.kind === view.kind)) views.push(view);
}

/** Registered cell views, in registration order. */
export function cellViews(): readonly CellView[] {
  return views;
}

/** Registers a cell kind at once: its runtime, and its component with the catalogue key of its "+ …" button. */
export function registerKind<C extends Cell>(runtime: CellKindRuntime<C>, component: CellView['component'], addLabel: MessageKey): void {
  registerCellKind(runtime);
  registerCellView({ kind: runtime.kind, component, addLabel });
}
