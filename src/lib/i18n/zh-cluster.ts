/** Simplified Chinese text for the cluster keys (mirrors en-cluster.ts). */
import type { enCluster } from './en-cluster';
import type { Translation } from './translation';

export const zhCluster: Partial<Translation<typeof enCluster>> = {};
