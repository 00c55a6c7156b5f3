/**
 * The sample-data generator: determinism, the shape the later features rely on, and the
 * Parquet and Arrow (the bundled files) round trips. Headline figures are re-derived in DuckDB SQL (an independent engine)
 * from a CSV copy, since DuckDB-WASM cannot read Parquet offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { createRandom } from '../../gen/random';
import {
  CATEGORIES,
  CHANNELS,
  INCOME_BANDS,
  ORDER_RANGE,
  SAMPLE_SEED,
  customersTable,
  dayNumber,
  generateSampleData,
  isoDate,
  ordersTable,
  sampleStats,
  type SampleData,
} from '../../gen/sample-data';
import { parquetToTable, tableToParquet } from '../../gen/write-parquet';
import { sampleIPCToTable, tableToSampleIPC } from '../../gen/write-arrow';
import { openTestDb } from '../helpers/duckdb';
import { openNodeEngine, source } from '../helpers/node-engine';

const DAY_MS = 86_400_000;
const data = generateSampleData({ seed: SAMPLE_SEED });
const stats = sampleStats(data);
const { customers, orders } = data;
const isRefund = (i: number) => orders.order_id[i].startsWith('R');

function countBy<T>(values: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Index of the first difference between two sequences (or of the length mismatch), else -1; deep equality is too slow here. */
function firstMismatch(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function extent(xs: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) [lo, hi] = [Math.min(lo, xs[i]), Math.max(hi, xs[i])];
  return [lo, hi];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

describe('random', () => {
  test('a seed gives a fixed sequence and forks are independent of the parent', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRandom(7).fork('x').next()).toBe(createRandom(7).fork('x').next());
    expect(createRandom(7).fork('x').next()).not.toBe(createRandom(7).fork('y').next());
    expect(createRandom(7).next()).not.toBe(createRandom(8).next());
  });

  test('distributions have the expected means', () => {
    const r = createRandom(1);
    const mean = (f: () => number, n = 20_000) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(() => r.normal(3, 2))).toBeCloseTo(3, 1);
    expect(mean(() => r.gamma(0.6, 2))).toBeCloseTo(1.2, 1);
    expect(mean(() => r.gamma(3, 0.5))).toBeCloseTo(1.5, 1);
    expect(mean(() => r.beta(2, 6))).toBeCloseTo(0.25, 1);
    expect(mean(() => r.poisson(4))).toBeCloseTo(4, 1);
    expect(mean(() => r.geometric(0.25))).toBeCloseTo(3, 0);
    expect(mean(() => r.int(1, 6))).toBeCloseTo(3.5, 1);
    const picks = countBy(Array.from({ length: 10_000 }, () => r.weighted(['a', 'b'], [1, 3])));
    expect(picks.get('b')! / 10_000).toBeCloseTo(0.75, 1);
  });
});

describe('generateSampleData', () => {
  test('the same seed gives identical data and another seed differs', () => {
    const a = generateSampleData({ seed: 42, customers: 400 });
    const b = generateSampleData({ seed: 42, customers: 400 });
    const c = generateSampleData({ seed: 43, customers: 400 });
    expect(a).toEqual(b);
    expect(c.orders.order_id.length).not.toBe(a.orders.order_id.length);
    expect(c.customers.age).not.toEqual(a.customers.age);
  });

  test('row counts, ids and dates', () => {
    expect(customers.customer_id).toHaveLength(5000);
    expect(orders.order_id.length).toBeGreaterThanOrEqual(60_000);
    expect(orders.order_id.length).toBeLessThanOrEqual(90_000);
    expect(new Set(customers.customer_id).size).toBe(5000);
    expect(new Set(orders.order_id).size).toBe(orders.order_id.length);
    expect(customers.customer_id.every((id) => /^C\d{5}$/.test(id))).toBe(true);
    expect(orders.order_id.every((id) => /^[OR]\d{7}$/.test(id))).toBe(true);

    const ids = new Set(customers.customer_id);
    expect(orders.customer_id.every((id) => ids.has(id))).toBe(true);
    expect(extent(orders.order_date)).toEqual([ORDER_RANGE.start, ORDER_RANGE.end]);
    expect(isoDate(ORDER_RANGE.start)).toBe('2023-01-01');
    expect(isoDate(ORDER_RANGE.end)).toBe('2025-12-31');
    expect(firstMismatch(orders.order_date, Int32Array.from(orders.order_date).sort())).toBe(-1); // sorted by date
  });

  test('every customer signs up no later than their first order', () => {
    const signup = new Map(customers.customer_id.map((id, i) => [id, customers.signup_date[i]]));
    const late = orders.customer_id.filter((id, i) => orders.order_date[i] < signup.get(id)!);
    expect(late).toEqual([]);
  });

  test('refund rows mirror an earlier purchase of the same customer', () => {
    const byId = new Map(orders.order_id.map((id, i) => [id, i]));
    const bad: string[] = [];
    let refunds = 0;
    for (let i = 0; i < orders.order_id.length; i++) {
      if (!isRefund(i)) {
        if (!(orders.amount[i] > 0)) bad.push(orders.order_id[i]);
        continue;
      }
      refunds++;
      const o = byId.get(`O${orders.order_id[i].slice(1)}`);
      const ok =
        o !== undefined &&
        orders.customer_id[i] === orders.customer_id[o] &&
        orders.category[i] === orders.category[o] &&
        orders.channel[i] === orders.channel[o] &&
        orders.discount[i] === orders.discount[o] &&
        orders.order_date[i] > orders.order_date[o] &&
        orders.amount[i] < 0 &&
        -orders.amount[i] <= orders.amount[o];
      if (!ok) bad.push(orders.order_id[i]);
    }
    expect(bad).toEqual([]);
    expect(refunds).toBe(stats.refunds);
    expect(refunds / stats.purchases).toBeGreaterThan(0.02);
    expect(refunds / stats.purchases).toBeLessThan(0.04);
  });

  test('amounts are in cents and depend on income', () => {
    expect(Array.from(orders.amount).every((a) => Math.abs(a * 100 - Math.round(a * 100)) < 1e-6)).toBe(true);
    const band = new Map(customers.customer_id.map((id, i) => [id, customers.income_band[i]]));
    const spend = (b: string) => median(orders.customer_id.flatMap((id, i) => (!isRefund(i) && band.get(id) === b ? [orders.amount[i]] : [])));
    expect(spend('50k+')).toBeGreaterThan(1.8 * spend('<5k'));
  });

  test('customer behaviour is skewed like a real retailer', () => {
    expect(stats.oneTimeShare).toBeGreaterThan(0.33);
    expect(stats.oneTimeShare).toBeLessThan(0.45);
    expect(stats.top10RevenueShare).toBeGreaterThan(0.5);
    expect(stats.heavyBuyers).toBeGreaterThan(0);
    expect(stats.lapsedIn2024).toBeGreaterThan(200);
    expect(stats.recentSignups / stats.customers).toBeGreaterThan(0.05);
    expect(stats.neverBought / stats.customers).toBeLessThan(0.2);
  });

  test('seasonality: 11.11 is the busiest day of each year and November beats the average month', () => {
    const purchasesByDay = countBy(orders.order_date.filter((_, i) => !isRefund(i)));
    for (const year of [2023, 2024, 2025]) {
      let best = 0;
      let bestDay = 0;
      for (const [day, n] of purchasesByDay) {
        if (isoDate(day).startsWith(`${year}-`) && n > best) [best, bestDay] = [n, day];
      }
      expect(isoDate(bestDay)).toBe(`${year}-11-11`);
    }
    const byMonth = countBy(Array.from(orders.order_date, (d) => isoDate(d).slice(0, 7)));
    const avg2024 = [...byMonth].filter(([m]) => m.startsWith('2024')).reduce((s, [, n]) => s + n, 0) / 12;
    expect(byMonth.get('2024-11')!).toBeGreaterThan(1.3 * avg2024);
    expect(byMonth.get('2024-02')!).toBeLessThan(avg2024); // Chinese New Year lull
  });

  test('attributes are plausible and correlated', () => {
    const share = (col: string[], value: string, where: (i: number) => boolean) => {
      let n = 0;
      let k = 0;
      col.forEach((v, i) => {
        if (where(i)) {
          n++;
          if (v === value) k++;
        }
      });
      return k / n;
    };
    const c = customers;
    const [youngest, oldest] = extent(c.age);
    expect(youngest).toBeGreaterThanOrEqual(18);
    expect(oldest).toBeLessThanOrEqual(80);
    expect(share(c.country, 'China', () => true)).toBeGreaterThan(0.9);
    expect(new Set(c.country).size).toBeGreaterThan(3);
    expect(new Set(c.city_tier)).toEqual(new Set(['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4']));
    expect(new Set(c.income_band)).toEqual(new Set(INCOME_BANDS));
    expect(new Set(orders.category)).toEqual(new Set(CATEGORIES));
    expect(new Set(orders.channel)).toEqual(new Set(CHANNELS));
    expect(share(c.gender, 'Other', () => true)).toBeLessThan(0.05);
    const tier = (t: string) => (i: number) => c.city_tier[i] === t && c.country[i] === 'China';
    expect(share(c.income_band, '<5k', tier('Tier 4'))).toBeGreaterThan(share(c.income_band, '<5k', tier('Tier 1')) + 0.15);
    expect(share(c.urban_rural, 'Rural', tier('Tier 4'))).toBeGreaterThan(share(c.urban_rural, 'Rural', tier('Tier 1')));
    const band = (b: string) => (i: number) => c.income_band[i] === b;
    expect(share(c.price_sensitivity, 'High', band('<5k'))).toBeGreaterThan(share(c.price_sensitivity, 'High', band('20k-50k')) + 0.3);
    expect(share(c.lifestyle, 'Trendsetter', (i) => c.age[i] < 30)).toBeGreaterThan(share(c.lifestyle, 'Trendsetter', (i) => c.age[i] >= 60));
    expect(share(c.occupation, 'Student', (i) => c.age[i] >= 30)).toBe(0);
    // Discounts are likelier for price-sensitive customers.
    const ps = new Map(c.customer_id.map((id, i) => [id, c.price_sensitivity[i]]));
    const discountShare = (level: string) => {
      const idx = orders.customer_id.flatMap((id, i) => (ps.get(id) === level ? [i] : []));
      return idx.filter((i) => orders.discount[i]).length / idx.length;
    };
    expect(discountShare('High')).toBeGreaterThan(discountShare('Low') + 0.15);
    // No stores abroad.
    const abroad = new Set(c.customer_id.filter((_, i) => c.country[i] !== 'China'));
    expect(orders.channel.some((ch, i) => ch === 'store' && abroad.has(orders.customer_id[i]))).toBe(false);
  });
});

describe('Arrow and Parquet', () => {
  const expectSchema = (table: Table, expected: Record<string, (t: DataType) => boolean>) => {
    expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(expected));
    for (const f of table.schema.fields) expect(expected[f.name](f.type), `${f.name}: ${f.type}`).toBe(true);
  };
  const utf8 = DataType.isUtf8;
  const customerSchema = {
    customer_id: utf8,
    signup_date: (t: DataType) => DataType.isDate(t) && t.unit === 0, // DateUnit.DAY
    age: (t: DataType) => DataType.isInt(t) && t.bitWidth === 32,
    gender: utf8,
    city: utf8,
    province: utf8,
    country: utf8,
    city_tier: utf8,
    urban_rural: utf8,
    income_band: utf8,
    occupation: utf8,
    education: utf8,
    lifestyle: utf8,
    price_sensitivity: utf8,
    brand_loyalty: utf8,
  };
  const orderSchema = {
    order_id: utf8,
    customer_id: utf8,
    order_date: (t: DataType) => DataType.isDate(t) && t.unit === 0,
    amount: (t: DataType) => DataType.isFloat(t) && t.precision === 2, // Precision.DOUBLE
    channel: utf8,
    category: utf8,
    discount: DataType.isBool,
  };

  /** Checks a table read back from Parquet against the generated columns. */
  function expectSameData(customersPq: Table, ordersPq: Table, d: SampleData) {
    expectSchema(customersPq, customerSchema);
    expectSchema(ordersPq, orderSchema);
    expect(customersPq.numRows).toBe(d.customers.customer_id.length);
    expect(ordersPq.numRows).toBe(d.orders.order_id.length);
    const same = (t: Table, name: string, expected: ArrayLike<unknown>) =>
      expect(firstMismatch(t.getChild(name)!.toArray(), expected), name).toBe(-1);
    const ms = (days: Int32Array) => Array.from(days, (x) => x * DAY_MS); // Arrow JS reads dates as epoch ms
    for (const name of Object.keys(customerSchema) as (keyof typeof customerSchema)[]) {
      same(customersPq, name, name === 'signup_date' ? ms(d.customers.signup_date) : d.customers[name]);
    }
    for (const name of Object.keys(orderSchema) as (keyof typeof orderSchema)[]) {
      same(ordersPq, name, name === 'order_date' ? ms(d.orders.order_date) : d.orders[name]);
    }
  }

  test('the tables round-trip through Parquet with their names and types', () => {
    const c = customersTable(customers);
    const o = ordersTable(orders);
    expectSchema(c, customerSchema);
    expectSchema(o, orderSchema);
    const customerBytes = tableToParquet(c);
    expect(Buffer.compare(customerBytes, tableToParquet(customersTable(customers)))).toBe(0); // deterministic bytes
    expectSameData(parquetToTable(customerBytes), parquetToTable(tableToParquet(o)), data);
  });

  test('the tables round-trip through the bundled Arrow encoding (dictionary text columns) with their names and types', () => {
    const customerBytes = tableToSampleIPC(customersTable(customers));
    expect(Buffer.compare(customerBytes, tableToSampleIPC(customersTable(customers)))).toBe(0); // deterministic bytes
    expectSameData(sampleIPCToTable(customerBytes), sampleIPCToTable(tableToSampleIPC(ordersTable(orders))), data);
  });

  const samples = fileURLToPath(new URL('../../../public/samples/', import.meta.url));
  test.skipIf(!existsSync(`${samples}orders.arrows`))('the committed sample files match the generator (else run `npm run sample`)', () => {
    const read = (f: string) => sampleIPCToTable(new Uint8Array(readFileSync(`${samples}${f}`)));
    expectSameData(read('customers.arrows'), read('orders.arrows'), data);
    expect(JSON.parse(readFileSync(`${samples}manifest.json`, 'utf8'))).toEqual([
      { table: 'customers', file: 'customers.arrows' },
      { table: 'orders', file: 'orders.arrows' },
    ]);
  });

  // Issue 16: the sample moved from Parquet to Arrow so that its first result needs no Parquet
  // decoder; DuckDB must still see every column with the type the Parquet encoding gave it.
  test.skipIf(!existsSync(`${samples}orders.arrows`))('the engine loads the bundled files with the same column types and values as their Parquet encoding', async () => {
    const engine = await openNodeEngine();
    const types: Record<string, string> = {};
    for (const [name, table] of [
      ['customers', customersTable(customers)],
      ['orders', ordersTable(orders)],
    ] as const) {
      const bytes = new Uint8Array(readFileSync(`${samples}${name}.arrows`));
      const arrow = await engine.loadFile(source(`${name}.arrows`, bytes), { tableName: `${name}_arrow` });
      const parquet = await engine.loadFile(source(`${name}.parquet`, tableToParquet(table)), { tableName: `${name}_parquet` });
      expect(arrow.columns.map((c) => `${c.name} ${c.type}`)).toEqual(parquet.columns.map((c) => `${c.name} ${c.type}`));
      expect(arrow.rows).toBe(table.numRows);
      const diff = await engine.query(`SELECT count(*)::INT AS n FROM (SELECT * FROM ${name}_arrow EXCEPT ALL SELECT * FROM ${name}_parquet)`);
      expect(Number(tableFromIPC(diff.ipc).getChild('n')!.get(0))).toBe(0);
      for (const col of arrow.columns) types[`${name}.${col.name}`] = col.type;
    }
    // Dates stay DATE, money DOUBLE, dictionary-encoded labels plain VARCHAR.
    expect(types).toMatchObject({
      'orders.order_id': 'VARCHAR', 'orders.customer_id': 'VARCHAR', 'orders.order_date': 'DATE', 'orders.amount': 'DOUBLE', 'orders.channel': 'VARCHAR', 'orders.discount': 'BOOLEAN',
      'customers.customer_id': 'VARCHAR', 'customers.signup_date': 'DATE', 'customers.age': 'INTEGER', 'customers.city': 'VARCHAR',
    });
  });
});

describe('cross-check in DuckDB', () => {
  test('SQL over a CSV copy agrees on integrity and headline figures', async () => {
    const db = await openTestDb();
    const enc = new TextEncoder();
    const customersCsv = ['customer_id,signup_date', ...customers.customer_id.map((id, i) => `${id},${isoDate(customers.signup_date[i])}`)];
    const ordersCsv = [
      'order_id,customer_id,order_date,amount',
      ...orders.order_id.map((id, i) => `${id},${orders.customer_id[i]},${isoDate(orders.order_date[i])},${orders.amount[i]}`),
    ];
    const cPath = db.registerFile('gen-customers.csv', enc.encode(customersCsv.join('\n')));
    const oPath = db.registerFile('gen-orders.csv', enc.encode(ordersCsv.join('\n')));
    db.exec(`CREATE TABLE customers AS SELECT * FROM read_csv('${cPath}', header = true, columns = {'customer_id': 'VARCHAR', 'signup_date': 'DATE'})`);
    db.exec(
      `CREATE TABLE orders AS SELECT * FROM read_csv('${oPath}', header = true, columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DOUBLE'})`,
    );

    const [row] = db.rows(`
      WITH per AS (
        SELECT c.customer_id,
               count(o.order_id) FILTER (WHERE o.order_id LIKE 'O%') AS purchases,
               coalesce(sum(o.amount), 0) AS revenue
        FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY ALL),
      ranked AS (SELECT revenue, row_number() OVER (ORDER BY revenue DESC) AS rn FROM per)
      SELECT
        (SELECT count(*) FROM orders o ANTI JOIN customers c USING (customer_id)) AS orphans,
        (SELECT count(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.order_date < c.signup_date) AS before_signup,
        (SELECT min(order_date)::VARCHAR FROM orders) AS first_day,
        (SELECT max(order_date)::VARCHAR FROM orders) AS last_day,
        (SELECT avg((purchases = 1)::INT) FROM per) AS one_time_share,
        (SELECT sum(revenue) FILTER (WHERE rn <= 500) / sum(revenue) FROM ranked) AS top10_share,
        (SELECT count(*) FROM orders r JOIN orders o ON o.order_id = 'O' || substr(r.order_id, 2)
          WHERE r.order_id LIKE 'R%' AND r.customer_id = o.customer_id AND r.order_date > o.order_date
            AND r.amount < 0 AND -r.amount <= o.amount) AS matched_refunds`);
    expect(row.orphans).toBe(0);
    expect(row.before_signup).toBe(0);
    expect(row.first_day).toBe('2023-01-01');
    expect(row.last_day).toBe('2025-12-31');
    expect(row.one_time_share as number).toBeCloseTo(stats.oneTimeShare, 9);
    expect(row.top10_share as number).toBeCloseTo(stats.top10RevenueShare, 6);
    expect(row.matched_refunds).toBe(stats.refunds);
    expect(dayNumber('2025-12-31')).toBe(ORDER_RANGE.end);
  });
});
