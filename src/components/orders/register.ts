/** Registers the orders model cell kind: runtime, component and notebook-file reader. */
import '../../lib/notebook/cells-orders-reader';
import { ordersRuntime } from '../../state/orders-run';
import { registerKind } from '../cell-views';
import OrdersCell from './OrdersCell.svelte';

registerKind(ordersRuntime, OrdersCell, 'om.addCell');
