/**
 * The orders model cell: the notebook's one definition of a purchase. Its result is the clean
 * purchases view named after the cell; analysis cells added after it read that view by default
 * (`pointAtOrdersModel`), and re-run when it changes through the usual dependency graph.
 */
import { guessOrdersModel, type ModelRelation } from '../orders/orders-guess';
import type { OrdersModelSpec } from '../orders/orders-spec';
import type { Cell } from './cells';

/** The orders model cell. */
export interface OrdersCell {
  id: string;
  name: string;
  kind: 'orders';
  spec: OrdersModelSpec;
}

/** The role columns of the clean purchases view, as the analysis cells name their roles. */
export const MODEL_ROLES = { customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', orderId: 'order_id' } as const;

/** A new orders model cell guessed from the loaded relations. */
export function newOrdersCell(base: { id: string; name: string }, relations: readonly ModelRelation[]): OrdersCell {
  return { ...base, kind: 'orders', spec: guessOrdersModel(relations).spec };
}

/** The notebook's orders model (its first orders cell), if any. */
export function ordersModelOf(cells: readonly Cell[]): OrdersCell | undefined {
  return cells.find((c): c is OrdersCell => c.kind === 'orders');
}

/** Whether `name` is the view of one of the notebook's orders models (case-insensitive, as DuckDB). */
export function isOrdersModelView(cells: readonly Cell[], name: string): boolean {
  const key = name.toLowerCase();
  return cells.some((c) => c.kind === 'orders' && c.name.toLowerCase() === key);
}

/** Whether a cell's orders source and roles are an orders model's view with its columns (no column choices to show). */
export function readsOrdersModel(cells: readonly Cell[], source: string, roles: { customerId: string; orderDate: string; amount: string; orderId?: string | null }, withOrderId = false): boolean {
  return isOrdersModelView(cells, source) && roles.customerId === MODEL_ROLES.customerId && roles.orderDate === MODEL_ROLES.orderDate && roles.amount === MODEL_ROLES.amount && (!withOrderId || roles.orderId === MODEL_ROLES.orderId);
}

/** Relations with the orders models' views first (for source pickers). */
export function modelViewsFirst<R extends { name: string }>(cells: readonly Cell[], relations: readonly R[]): R[] {
  return [...relations].sort((a, b) => Number(isOrdersModelView(cells, b.name)) - Number(isOrdersModelView(cells, a.name)));
}

/** The cell kinds that read orders, and so read the orders model by default. */
export const ORDERS_READERS: ReadonlySet<string> = new Set(['rfm', 'customers', 'lifecycle', 'clv', 'movement']);

/**
 * Points a new analysis cell at the orders model: its source becomes the model's view and its
 * roles the view's columns. The customer view keeps a customers table only when that table holds
 * the model's customer key column and is not one of the model's own tables (a table the model
 * joined to map per-order ids to people has one row per order, not per person).
 */
export function pointAtOrdersModel(cell: Cell, model: OrdersCell, relations: readonly ModelRelation[]): Cell {
  const name = model.name;
  switch (cell.kind) {
    case 'rfm':
      return { ...cell, spec: { ...cell.spec, source: name, ...MODEL_ROLES } };
    case 'lifecycle':
    case 'clv': {
      const { orderId: _o, ...roles } = MODEL_ROLES;
      return { ...cell, spec: { ...cell.spec, source: name, ...roles } } as Cell;
    }
    case 'movement':
      return { ...cell, spec: { ...cell.spec, source: name, ...MODEL_ROLES } };
    case 'customers': {
      const m = model.spec;
      const own = new Set([m.source, ...m.joins.map((j) => j.table)].map((t) => t.toLowerCase()));
      const key = m.roles.customer?.column ?? '';
      const customers = relations.find((r) => r.kind !== 'view' && !own.has(r.name.toLowerCase()) && r.columns.some((c) => c.name === key));
      return {
        ...cell,
        spec: {
          ...cell.spec,
          orders: name,
          roles: { ...MODEL_ROLES, channel: m.roles.channel ? 'channel' : null, category: m.roles.category ? 'category' : null, discount: m.roles.discount ? 'discount' : null },
          customers: customers?.name ?? null,
          customersId: customers ? key : null,
        },
      };
    }
    default:
      return cell;
  }
}
