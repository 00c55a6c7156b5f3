/** Simplified Chinese text for the segment keys (mirrors en-segment.ts). */
import type { enSegment } from './en-segment';
import type { Translation } from './translation';

export const zhSegment: Partial<Translation<typeof enSegment>> = {};
