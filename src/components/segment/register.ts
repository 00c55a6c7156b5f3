/**
 * Registers the segmentation cells (issue 5): the customer view, attribute segmentation, the
 * segment builder and segment comparison — their runtimes, components and notebook-file readers.
 */
import { customersRuntime } from '../../state/customers-run';
import { attributesRuntime } from '../../state/attributes-run';
import { segmentRuntime } from '../../state/segment-run';
import { compareRuntime } from '../../state/compare-run';
import { registerSegmentReaders } from '../../lib/notebook/cells-segment-reader';
import { registerKind } from '../cell-views';
import CustomersCell from './CustomersCell.svelte';
import AttributesCell from './AttributesCell.svelte';
import SegmentCell from './SegmentCell.svelte';
import CompareCell from './CompareCell.svelte';

registerKind(customersRuntime, CustomersCell, 'seg.cv.add');
registerKind(attributesRuntime, AttributesCell, 'seg.attr.add');
registerKind(segmentRuntime, SegmentCell, 'seg.seg.add');
registerKind(compareRuntime, CompareCell, 'seg.cmp.add.button');

registerSegmentReaders();
