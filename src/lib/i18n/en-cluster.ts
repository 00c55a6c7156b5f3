/** English interface text for the cluster cells (merged into the catalogue in en.ts). */
export const enCluster = {} as const;
