/**
 * Writes the bundled sample dataset to public/samples/ (customers.parquet, orders.parquet,
 * manifest.json) from the fixed seed. Run with `npm run sample` (`npx tsx test/gen/generate-sample.ts`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SAMPLE_SEED, customersTable, generateSampleData, ordersTable, sampleStats } from './sample-data';
import { writeParquetFile } from './write-parquet';

/** The tables listed in public/samples/manifest.json, in load order. */
export const SAMPLE_MANIFEST = [
  { table: 'customers', file: 'customers.parquet' },
  { table: 'orders', file: 'orders.parquet' },
] as const;

const outDir = fileURLToPath(new URL('../../public/samples/', import.meta.url));
const data = generateSampleData({ seed: SAMPLE_SEED });
const sizes = {
  customers: writeParquetFile(`${outDir}customers.parquet`, customersTable(data.customers)),
  orders: writeParquetFile(`${outDir}orders.parquet`, ordersTable(data.orders)),
};
writeFileSync(`${outDir}manifest.json`, `${JSON.stringify(SAMPLE_MANIFEST, null, 2)}\n`);

const stats = sampleStats(data);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log(`seed ${SAMPLE_SEED} -> ${outDir}`);
console.log(`customers.parquet  ${stats.customers} rows  ${kb(sizes.customers)}`);
console.log(`orders.parquet     ${stats.orders} rows (${stats.purchases} purchases, ${stats.refunds} refunds)  ${kb(sizes.orders)}`);
console.log(
  `one-time buyers ${pct(stats.oneTimeShare)}, never bought ${stats.neverBought}, top 10% revenue ${pct(stats.top10RevenueShare)}, ` +
    `100+ purchases ${stats.heavyBuyers} (max ${stats.maxPurchases}), lapsed in 2024 ${stats.lapsedIn2024}, ` +
    `recent signups ${stats.recentSignups}, net revenue ${stats.netRevenue.toFixed(2)}`,
);
