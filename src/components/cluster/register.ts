/** Registers the k-means cluster cell kind: runtime, component and notebook-file reader. */
import '../../lib/notebook/cells-cluster-reader';
import { clusterRuntime } from '../../state/cluster-run';
import { registerKind } from '../cell-views';
import ClusterCell from './ClusterCell.svelte';

registerKind(clusterRuntime, ClusterCell, 'cl.addCell');
