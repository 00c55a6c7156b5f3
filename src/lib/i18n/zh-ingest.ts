/** Simplified Chinese text for the ingest keys (mirrors en-ingest.ts). */
import type { enIngest } from './en-ingest';
import type { Translation } from './translation';

export const zhIngest: Partial<Translation<typeof enIngest>> = {};
