/** Registers the lifecycle, CLV and movement cell kinds: runtimes, components and notebook-file readers. */
import '../../lib/notebook/cells-clv-reader';
import { clvRuntime } from '../../state/clv-run';
import { lifecycleRuntime } from '../../state/lifecycle-run';
import { movementRuntime } from '../../state/movement-run';
import { registerKind } from '../cell-views';
import ClvCell from './ClvCell.svelte';
import LifecycleCell from './LifecycleCell.svelte';
import MovementCell from './MovementCell.svelte';

registerKind(lifecycleRuntime, LifecycleCell, 'lc.addCell');
registerKind(clvRuntime, ClvCell, 'clv.addCell');
registerKind(movementRuntime, MovementCell, 'mv.addCell');
