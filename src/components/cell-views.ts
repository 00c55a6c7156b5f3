/** The components of registered cell kinds (see src/state/cell-kinds.ts), with their add-button labels. */
import type { Component } from 'svelte';
import type { MessageKey } from '../lib/i18n';

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
