/** Registers the orders model cell kind: runtime, component and notebook-file reader. */
import '../../lib/notebook/cells-orders-reader';
import { registerCellKind } from '../../state/cell-kinds';
import { ordersRuntime } from '../../state/orders-run';
import { registerCellView } from '../cell-views';
import OrdersCell from './OrdersCell.svelte';

registerCellKind(ordersRuntime);
registerCellView({ kind: 'orders', component: OrdersCell, addLabel: 'om.addCell' });
