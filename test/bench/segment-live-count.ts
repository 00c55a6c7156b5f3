/**
 * The segment builder's live count ("segment filter round trip") on a 1M-customer view in Node:
 * the same DuckDB-WASM engine core the worker runs, one `segmentCountQuery` per edit, decoded from
 * Arrow as the page does. Run: npx tsx test/bench/segment-live-count.ts [customers]
 */
import { tableFromIPC } from 'apache-arrow';
import { openNodeEngine } from '../unit/helpers/node-engine';
import type { ColumnInfo } from '../../src/lib/segment/column-kinds';
import type { Group } from '../../src/lib/segment/conditions';
import { joinedSourceColumns, segmentCountQuery, type SegmentSource } from '../../src/lib/segment/segment-sources';

const N = Number(process.argv[2] ?? 1_000_000);
const engine = await openNodeEngine();
const t0 = performance.now();
await engine.runCell(
  'cv',
  `SELECT 'C' || lpad(CAST(i AS VARCHAR), 8, '0') AS customer_id,
    CAST(floor(random() * 40) AS BIGINT) AS orders,
    round(random() * 5000, 2) AS revenue,
    ['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4'][1 + i % 4] AS city_tier,
    ['Outdoor', 'Homebody', 'Family-first', 'Trendsetter', 'Career-driven'][1 + (i * 7) % 5] AS lifestyle,
    ['<5k', '5k-10k', '10k-20k', '20k-50k', '50k+'][1 + (i * 3) % 5] AS income_band,
    CAST(18 + i % 60 AS INTEGER) AS age,
    DATE '2025-12-31' - CAST(i % 900 AS INTEGER) AS last_order
  FROM range(${N}) t(i)`,
);
await engine.runCell(
  'rfm',
  `SELECT customer_id, CAST(1 + hash(customer_id) % 5 AS INTEGER) AS r_score, ['Champions', 'Lost', 'At Risk'][CAST(1 + hash(customer_id) % 3 AS BIGINT)] AS segment FROM cv WHERE orders > 0`,
);
console.log(`made ${N} customers in ${Math.round(performance.now() - t0)} ms`);

const CV: ColumnInfo[] = [
  { name: 'customer_id', type: 'VARCHAR' }, { name: 'orders', type: 'BIGINT' }, { name: 'revenue', type: 'DOUBLE' },
  { name: 'city_tier', type: 'VARCHAR' }, { name: 'lifestyle', type: 'VARCHAR' }, { name: 'income_band', type: 'VARCHAR' },
  { name: 'age', type: 'INTEGER' }, { name: 'last_order', type: 'DATE' },
];
const RFM: ColumnInfo[] = [{ name: 'customer_id', type: 'VARCHAR' }, { name: 'r_score', type: 'INTEGER' }, { name: 'segment', type: 'VARCHAR' }];
const tree = (min: number): Group => ({
  kind: 'group', op: 'or', items: [
    { kind: 'group', op: 'and', items: [{ kind: 'compare', column: 'city_tier', op: '=', value: 'Tier 1' }, { kind: 'compare', column: 'orders', op: '>=', value: String(min) }] },
    { kind: 'in', column: 'lifestyle', values: ['Outdoor'] },
    { kind: 'date', column: 'last_order', op: 'within-last-days', value: 30 },
  ],
});

async function measure(label: string, source: SegmentSource, columns: ColumnInfo[], extra: Group['items'] = []): Promise<void> {
  const times: number[] = [];
  let customers = 0;
  for (let k = 0; k < 12; k++) {
    const t = tree(1 + (k % 6));
    const sql = segmentCountQuery(source, { ...t, items: [...t.items, ...extra] }, columns, '2026-01-01', 'revenue');
    const s = performance.now();
    const r = await engine.query(sql);
    const row = tableFromIPC(r.ipc).get(0)!.toJSON();
    times.push(performance.now() - s);
    customers = Number(row.customers);
  }
  const warm = times.slice(2).sort((a, b) => a - b);
  console.log(`${label}: median ${warm[Math.floor(warm.length / 2)].toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms (first ${times[0].toFixed(1)} ms); last count ${customers}`);
}

await measure(`customer view, ${N} customers`, { kind: 'relation', name: 'cv' }, CV);
await measure(
  `customer view joined with RFM, ${N} customers`,
  { kind: 'joined', customers: 'cv', customerColumns: CV, rfm: 'rfm', rfmColumns: RFM },
  joinedSourceColumns(CV, RFM),
  [{ kind: 'in', column: 'segment', values: ['Champions'] }],
);
