/** Registers the k-means cluster cell kind: runtime, component and notebook-file reader. */
import '../../lib/notebook/cells-cluster-reader';
import { registerCellKind } from '../../state/cell-kinds';
import { clusterRuntime } from '../../state/cluster-run';
import { registerCellView } from '../cell-views';
import ClusterCell from './ClusterCell.svelte';

registerCellKind(clusterRuntime);
registerCellView({ kind: 'cluster', component: ClusterCell, addLabel: 'cl.addCell' });
