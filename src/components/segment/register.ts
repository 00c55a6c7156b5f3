/**
 * Registers the segmentation cells (issue 5): the customer view, attribute segmentation, the
 * segment builder and segment comparison — their runtimes, components and notebook-file readers.
 */
import { registerCellKind } from '../../state/cell-kinds';
import { customersRuntime } from '../../state/customers-run';
import { attributesRuntime } from '../../state/attributes-run';
import { segmentRuntime } from '../../state/segment-run';
import { compareRuntime } from '../../state/compare-run';
import { registerSegmentReaders } from '../../lib/notebook/cells-segment-reader';
import { registerCellView } from '../cell-views';
import CustomersCell from './CustomersCell.svelte';
import AttributesCell from './AttributesCell.svelte';
import SegmentCell from './SegmentCell.svelte';
import CompareCell from './CompareCell.svelte';

registerCellKind(customersRuntime);
registerCellKind(attributesRuntime);
registerCellKind(segmentRuntime);
registerCellKind(compareRuntime);

registerCellView({ kind: 'customers', component: CustomersCell, addLabel: 'seg.cv.add' });
registerCellView({ kind: 'attributes', component: AttributesCell, addLabel: 'seg.attr.add' });
registerCellView({ kind: 'segment', component: SegmentCell, addLabel: 'seg.seg.add' });
registerCellView({ kind: 'compare', component: CompareCell, addLabel: 'seg.cmp.add.button' });

registerSegmentReaders();
