/**
 * Writes the bundled sample dataset to public/samples/ (customers.arrows, orders.arrows —
 * Arrow IPC streams, which the app loads without a Parquet decoder — and manifest.json) and the Chinese sample to public/samples/tmall/ (tmall-orders.csv,
 * tmall-members.csv, manifest.json) from fixed seeds. Run with `npm run sample`
 * (`npx tsx test/gen/generate-sample.ts`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLE_SEED, customersTable, generateSampleData, ordersTable, sampleStats } from './sample-data';
import { writeSampleArrowFile } from './write-arrow';
import { TMALL_MANIFEST, TMALL_SAMPLE_SEED, generateTmallSample } from './tmall-sample';

/** The tables listed in public/samples/manifest.json, in load order. */
export const SAMPLE_MANIFEST = [
  { table: 'customers', file: 'customers.arrows' },
  { table: 'orders', file: 'orders.arrows' },
] as const;

const outDir = fileURLToPath(new URL('../../public/samples/', import.meta.url));
const data = generateSampleData({ seed: SAMPLE_SEED });
const sizes = {
  customers: writeSampleArrowFile(`${outDir}customers.arrows`, customersTable(data.customers)),
  orders: writeSampleArrowFile(`${outDir}orders.arrows`, ordersTable(data.orders)),
};
writeFileSync(`${outDir}manifest.json`, `${JSON.stringify(SAMPLE_MANIFEST, null, 2)}\n`);

const stats = sampleStats(data);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(`seed ${SAMPLE_SEED} -> ${outDir}`);
console.log(`customers.arrows  ${stats.customers} rows  ${kb(sizes.customers)}`);
console.log(`orders.arrows     ${stats.orders} rows (${stats.purchases} purchases, ${stats.refunds} refunds)  ${kb(sizes.orders)}`);
console.log(
  `one-time buyers ${pct(stats.oneTimeShare)}, never bought ${stats.neverBought}, top 10% revenue ${pct(stats.top10RevenueShare)}, ` +
    `100+ purchases ${stats.heavyBuyers} (max ${stats.maxPurchases}), lapsed in 2024 ${stats.lapsedIn2024}, ` +
    `recent signups ${stats.recentSignups}, net revenue ${stats.netRevenue.toFixed(2)}`,
);

const zhDir = `${outDir}tmall/`;
mkdirSync(zhDir, { recursive: true });
const zh = generateTmallSample(TMALL_SAMPLE_SEED);
writeFileSync(`${zhDir}${TMALL_MANIFEST[0].file}`, zh.orders);
writeFileSync(`${zhDir}${TMALL_MANIFEST[1].file}`, zh.members);
writeFileSync(`${zhDir}manifest.json`, `${JSON.stringify(TMALL_MANIFEST, null, 2)}\n`);
const buyers = [...zh.truth.values()];
console.log(`seed ${TMALL_SAMPLE_SEED} -> ${zhDir}`);
console.log(`${TMALL_MANIFEST[0].file}  ${zh.rows} rows  ${kb(zh.orders.length)}  statuses ${JSON.stringify(zh.statuses)}`);
console.log(`${TMALL_MANIFEST[1].file}  ${zh.memberCount} rows  ${kb(zh.members.length)}`);
console.log(`buyers ${buyers.length}, one-time ${pct(buyers.filter((b) => b.orders === 1).length / buyers.length)}, net revenue ${(buyers.reduce((s, b) => s + b.cents, 0) / 100).toFixed(2)}`);
