/** English interface text for the segment cells (merged into the catalogue in en.ts). */
export const enSegment = {} as const;
