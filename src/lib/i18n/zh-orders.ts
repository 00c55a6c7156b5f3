/** Simplified Chinese text for the orders keys (mirrors en-orders.ts). */
import type { enOrders } from './en-orders';
import type { Translation } from './translation';

export const zhOrders: Partial<Translation<typeof enOrders>> = {};
