/** Simplified Chinese text for the core keys defined directly in en.ts. */
import type { en } from './en';
import type { enSegment } from './en-segment';
import type { enCluster } from './en-cluster';
import type { enClv } from './en-clv';
import type { enOrders } from './en-orders';
import type { enIngest } from './en-ingest';
import type { Translation } from './translation';

type CoreKeys = Omit<typeof en, keyof typeof enSegment | keyof typeof enCluster | keyof typeof enClv | keyof typeof enOrders | keyof typeof enIngest>;

export const zhCore: Partial<Translation<CoreKeys>> = {};
