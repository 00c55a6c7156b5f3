/**
 * Reading an orders model cell from a notebook file: every field checked and copied into a fresh
 * object (see cells-clv-reader.ts for the rules). Registered with the document reader on import.
 */
import { registerCellReader } from './document';
import { Bad, guard, obj, oneOf, text } from './cells-clv-reader';
import type { OrdersCell } from './cells-orders';
import { emptyRoles, ORDERS_ROLES, type ColumnRef, type OrdersModelSpec, type StatusRule } from '../orders/orders-spec';
import { t } from '../i18n';

const MAX_JOINS = 8;
const MAX_STATUSES = 500;
const KINDS = ['purchase', 'refund', 'excluded'] as const;

function columnRef(v: unknown, at: string): ColumnRef | null {
  if (v === null || v === undefined) return null;
  const r = obj(v, at);
  return { table: text(r.table, `${at} table`), column: text(r.column, `${at} column`) };
}

function list(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new Bad(`${at} ${t('msg.nb.list')}`);
  if (v.length > max) throw new Bad(`${at} ${t('msg.nb.moreThan', { max })}`);
  return v;
}

/** Validates and rebuilds an orders model cell. */
export function readOrdersCell(raw: Record<string, unknown>, base: { id: string; name: string }): OrdersCell | string {
  return guard(() => {
    const s = obj(raw.spec, 'orders model');
    const r = obj(s.roles, 'orders model roles');
    const roles = emptyRoles();
    for (const role of ORDERS_ROLES) roles[role] = columnRef(r[role], `orders model ${role}`);
    const statuses: StatusRule[] = list(s.statuses, 'orders model statuses', MAX_STATUSES).map((x, i) => {
      const st = obj(x, `orders model status ${i + 1}`);
      return { value: text(st.value, `orders model status ${i + 1}`), kind: oneOf(st.kind, KINDS, `orders model status ${i + 1} kind`) };
    });
    const spec: OrdersModelSpec = {
      source: text(s.source, 'orders model table'),
      joins: list(s.joins, 'orders model joins', MAX_JOINS).map((x, i) => {
        const j = obj(x, `orders model join ${i + 1}`);
        return { table: text(j.table, `join ${i + 1} table`), key: text(j.key, `join ${i + 1} key`), on: columnRef(j.on, `join ${i + 1} match`) ?? (() => { throw new Bad(t('msg.nb.joinMatch', { n: i + 1 })); })() };
      }),
      roles,
      amountMode: oneOf(s.amountMode, ['column', 'quantity-price'] as const, 'orders model amount'),
      statuses,
      otherStatuses: oneOf(s.otherStatuses, KINDS, 'orders model other statuses'),
      cancelPrefix: text(s.cancelPrefix, 'orders model cancel prefix', 8),
      refunds: oneOf(s.refunds, ['net', 'exclude'] as const, 'orders model refunds'),
    };
    return { ...base, kind: 'orders', spec };
  });
}

registerCellReader('orders', (raw, base) => readOrdersCell(raw, base));
