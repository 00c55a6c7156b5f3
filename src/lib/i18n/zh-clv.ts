/** Simplified Chinese text for the clv keys (mirrors en-clv.ts). */
import type { enClv } from './en-clv';
import type { Translation } from './translation';

export const zhClv: Partial<Translation<typeof enClv>> = {};
