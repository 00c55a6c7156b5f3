/** Registers the lifecycle, CLV and movement cell kinds: runtimes, components and notebook-file readers. */
import '../../lib/notebook/cells-clv-reader';
import { registerCellKind } from '../../state/cell-kinds';
import { clvRuntime } from '../../state/clv-run';
import { lifecycleRuntime } from '../../state/lifecycle-run';
import { movementRuntime } from '../../state/movement-run';
import { registerCellView } from '../cell-views';
import ClvCell from './ClvCell.svelte';
import LifecycleCell from './LifecycleCell.svelte';
import MovementCell from './MovementCell.svelte';

registerCellKind(lifecycleRuntime);
registerCellKind(clvRuntime);
registerCellKind(movementRuntime);
registerCellView({ kind: 'lifecycle', component: LifecycleCell, addLabel: 'lc.addCell' });
registerCellView({ kind: 'clv', component: ClvCell, addLabel: 'clv.addCell' });
registerCellView({ kind: 'movement', component: MovementCell, addLabel: 'mv.addCell' });
