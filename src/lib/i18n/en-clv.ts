/** English interface text for the clv cells (merged into the catalogue in en.ts). */
export const enClv = {} as const;
