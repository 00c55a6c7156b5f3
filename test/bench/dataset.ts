/**
 * Synthetic transactions for the benchmark: one row per order (order_id, customer_id, order_date,
 * amount, channel, country), deterministic for a seed and a row count, written as CSV and Parquet
 * under test/bench/data/ and reused while the generator version and seed are unchanged.
 *
 * Shape: about one customer per ten orders; ~45 % of customers buy once, the rest draw their
 * order count from a log-normal (heavy tail: the largest customers have thousands of orders);
 * amounts are log-normal around a per-customer level, in cents; four channels and six countries
 * with skewed weights; dates over 2022-2025. Rows are sorted by date and order ids follow that
 * order, so ids are unique per row and customers' rows are scattered through the file as in a
 * real export. No refunds and no missing values: every engine reads the same clean numbers.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DateDay, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, Utf8, makeData, tableToIPC, type Data } from 'apache-arrow';
import { Compression, Table as PqTable, WriterPropertiesBuilder, initSync, transformParquetStream, type RecordBatch as PqRecordBatch } from 'parquet-wasm/esm';
import { createRandom } from '../gen/random';

/** Bump when the generated data changes, so cached files are rebuilt. */
export const GENERATOR_VERSION = 1;
/** Seed of every benchmark dataset (each size forks its own stream from it). */
export const BENCH_SEED = 20260401;
/** Where the generated files live (gitignored). */
export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

const FIRST_DAY = Date.UTC(2022, 0, 1) / 86_400_000;
const DAYS = 4 * 365 + 1; // 2022-01-01 .. 2025-12-31
const CHANNELS = ['online', 'app', 'store', 'marketplace'];
const CHANNEL_WEIGHTS = [0.5, 0.3, 0.15, 0.05];
const COUNTRIES = ['CN', 'US', 'DE', 'GB', 'JP', 'FR'];
const COUNTRY_WEIGHTS = [0.45, 0.2, 0.1, 0.1, 0.08, 0.07];
/** Share of customers with exactly one order. */
const ONE_TIME_SHARE = 0.45;
/** Repeat buyers: 2 + floor(lognormal(mu, sigma)) orders, capped; mean ~17, so ~10 orders per customer overall. */
const REPEAT_MU = 2.0;
const REPEAT_SIGMA = 1.2;
const MAX_ORDERS = 20_000;
const ROW_BATCH = 1 << 20;

/** Column arrays of a generated dataset, sorted by date; money in cents. */
export interface Orders {
  rows: number;
  customers: number;
  orderId: Int32Array;
  customerId: Int32Array;
  /** Days since 1970-01-01. */
  day: Int32Array;
  cents: Int32Array;
  channel: Uint8Array;
  country: Uint8Array;
}

/** Facts about a generated dataset, stored next to the files. */
export interface DatasetInfo {
  version: number;
  seed: number;
  rows: number;
  customers: number;
  oneTimeBuyers: number;
  maxOrdersPerCustomer: number;
  csvBytes: number;
  parquetBytes: number;
  generateMs: number;
}

/** Paths of one size's files. */
export interface Dataset {
  rows: number;
  csv: string;
  parquet: string;
  info: DatasetInfo;
}

/** Generates the orders (in memory) for a row count. */
export function generateOrders(rows: number, seed = BENCH_SEED): Orders {
  const rng = createRandom(seed).fork(`orders/${rows}`);
  // Customers and their order counts until the rows are used up (the last one is cut short).
  let counts = new Int32Array(Math.max(16, Math.ceil(rows / 8)));
  let customers = 0;
  for (let total = 0; total < rows; customers++) {
    if (customers === counts.length) {
      const grown = new Int32Array(counts.length * 2);
      grown.set(counts);
      counts = grown;
    }
    const k = rng.next() < ONE_TIME_SHARE ? 1 : Math.min(MAX_ORDERS, 2 + Math.floor(rng.lognormal(REPEAT_MU, REPEAT_SIGMA)));
    counts[customers] = Math.min(k, rows - total);
    total += counts[customers];
  }
  // Customer ids are a seeded permutation, so id order says nothing about behaviour.
  const ids = new Int32Array(customers);
  for (let i = 0; i < customers; i++) ids[i] = i + 1;
  for (let i = customers - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  const countryCum = cumulative(COUNTRY_WEIGHTS);
  const channelCum = cumulative(CHANNEL_WEIGHTS);

  const cust = new Int32Array(rows);
  const day = new Int32Array(rows);
  const cents = new Int32Array(rows);
  const channel = new Uint8Array(rows);
  const custCountry = new Uint8Array(customers);
  let at = 0;
  for (let c = 0; c < customers; c++) {
    const k = counts[c];
    custCountry[c] = pickCum(countryCum, rng.next());
    // Active from a uniform first day for a log-normal lifetime (repeat buyers stay longer).
    const start = Math.floor(rng.next() * DAYS);
    const life = k === 1 ? 0 : Math.min(DAYS - 1 - start, Math.floor(rng.lognormal(5.5, 0.8)));
    const level = Math.log(40) + 0.6 * rng.normal();
    for (let i = 0; i < k; i++, at++) {
      cust[at] = c;
      day[at] = start + Math.floor(rng.next() * (life + 1));
      cents[at] = Math.max(50, Math.min(2_000_000_00, Math.round(100 * Math.exp(level + 0.7 * rng.normal()))));
      channel[at] = pickCum(channelCum, rng.next());
    }
  }
  // Counting sort by day (stable), then order ids in date order.
  const starts = new Int32Array(DAYS + 1);
  for (let i = 0; i < rows; i++) starts[day[i] + 1]++;
  for (let d = 0; d < DAYS; d++) starts[d + 1] += starts[d];
  const out: Orders = {
    rows,
    customers,
    orderId: new Int32Array(rows),
    customerId: new Int32Array(rows),
    day: new Int32Array(rows),
    cents: new Int32Array(rows),
    channel: new Uint8Array(rows),
    country: new Uint8Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    const p = starts[day[i]]++;
    out.customerId[p] = ids[cust[i]];
    out.day[p] = FIRST_DAY + day[i];
    out.cents[p] = cents[i];
    out.channel[p] = channel[i];
    out.country[p] = custCountry[cust[i]];
  }
  for (let i = 0; i < rows; i++) out.orderId[i] = i + 1;
  return out;
}

function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (cum[i] = s += w / total));
  cum[cum.length - 1] = 1;
  return cum;
}

function pickCum(cum: Float64Array, u: number): number {
  let i = 0;
  while (u >= cum[i] && i < cum.length - 1) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------
// CSV: bytes written by hand into a reused buffer, flushed in chunks (constant memory).

const CHUNK = 8 << 20;
const enc = new TextEncoder();

/** Writes the orders as a UTF-8 CSV with a header row; returns the byte size. */
export function writeCsv(path: string, o: Orders): number {
  const dates = Array.from({ length: DAYS }, (_, d) => enc.encode(new Date((FIRST_DAY + d) * 86_400_000).toISOString().slice(0, 10)));
  const channels = CHANNELS.map((s) => enc.encode(s));
  const countries = COUNTRIES.map((s) => enc.encode(s));
  const buf = new Uint8Array(CHUNK + 256);
  const fd = openSync(path, 'w');
  let n = 0;
  let size = 0;
  const flush = () => {
    writeSync(fd, buf, 0, n);
    size += n;
    n = 0;
  };
  const put = (b: Uint8Array) => {
    buf.set(b, n);
    n += b.length;
  };
  const digits = (v: number) => {
    if (v === 0) {
      buf[n++] = 48;
      return;
    }
    let len = 0;
    for (let t = v; t > 0; t = Math.floor(t / 10)) len++;
    for (let i = n + len - 1; i >= n; i--) {
      buf[i] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    n += len;
  };
  try {
    put(enc.encode('order_id,customer_id,order_date,amount,channel,country\n'));
    for (let i = 0; i < o.rows; i++) {
      digits(o.orderId[i]);
      buf[n++] = 44;
      digits(o.customerId[i]);
      buf[n++] = 44;
      put(dates[o.day[i] - FIRST_DAY]);
      buf[n++] = 44;
      const c = o.cents[i];
      digits(Math.floor(c / 100));
      buf[n++] = 46;
      buf[n++] = 48 + Math.floor((c % 100) / 10);
      buf[n++] = 48 + (c % 10);
      buf[n++] = 44;
      put(channels[o.channel[i]]);
      buf[n++] = 44;
      put(countries[o.country[i]]);
      buf[n++] = 10;
      if (n >= CHUNK) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return size;
}

// ---------------------------------------------------------------------------------------------
// Parquet: Arrow record batches of 1M rows streamed through parquet-wasm's writer (Snappy).

const require = createRequire(import.meta.url);
let parquetReady = false;

function initParquet(): void {
  if (parquetReady) return;
  initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  parquetReady = true;
}

const SCHEMA = new Schema([
  new Field('order_id', new Int64(), false),
  new Field('customer_id', new Int64(), false),
  new Field('order_date', new DateDay(), false),
  new Field('amount', new Float64(), false),
  new Field('channel', new Utf8(), false),
  new Field('country', new Utf8(), false),
]);

function int64Data(values: Int32Array): Data {
  // Non-negative int32 -> int64: low words from the values, high words zero (little-endian).
  const words = new Int32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) words[2 * i] = values[i];
  return makeData({ type: new Int64(), length: values.length, nullCount: 0, data: new BigInt64Array(words.buffer) });
}

function utf8Data(codes: Uint8Array, vocab: string[]): Data {
  const bytes = vocab.map((s) => enc.encode(s));
  const offsets = new Int32Array(codes.length + 1);
  for (let i = 0; i < codes.length; i++) offsets[i + 1] = offsets[i] + bytes[codes[i]].length;
  const data = new Uint8Array(offsets[codes.length]);
  for (let i = 0; i < codes.length; i++) data.set(bytes[codes[i]], offsets[i]);
  return makeData({ type: new Utf8(), length: codes.length, nullCount: 0, valueOffsets: offsets, data });
}

function batchIpc(o: Orders, from: number, to: number): Uint8Array {
  const amount = new Float64Array(to - from);
  for (let i = from; i < to; i++) amount[i - from] = o.cents[i] / 100;
  const children = [
    int64Data(o.orderId.subarray(from, to)),
    int64Data(o.customerId.subarray(from, to)),
    makeData({ type: new DateDay(), length: to - from, nullCount: 0, data: o.day.subarray(from, to) }),
    makeData({ type: new Float64(), length: to - from, nullCount: 0, data: amount }),
    utf8Data(o.channel.subarray(from, to), CHANNELS),
    utf8Data(o.country.subarray(from, to), COUNTRIES),
  ];
  const struct = makeData({ type: new Struct(SCHEMA.fields), length: to - from, nullCount: 0, children });
  return tableToIPC(new Table(SCHEMA, [new RecordBatch(SCHEMA, struct)]), 'stream');
}

/** Writes the orders as Snappy-compressed Parquet (row groups of 1M rows); returns the byte size. */
export async function writeParquetStreaming(path: string, o: Orders): Promise<number> {
  initParquet();
  let next = 0;
  const batches = new ReadableStream<PqRecordBatch>({
    pull(controller) {
      if (next >= o.rows) {
        controller.close();
        return;
      }
      const to = Math.min(o.rows, next + ROW_BATCH);
      const table = PqTable.fromIPCStream(batchIpc(o, next, to));
      controller.enqueue(table.recordBatch(0)!);
      table.free();
      next = to;
    },
  });
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_BATCH).setCreatedBy('segnote bench generator').build();
  const bytes = await transformParquetStream(batches, props);
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    const reader = bytes.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      writeSync(fd, value as Uint8Array);
      size += (value as Uint8Array).length;
    }
  } finally {
    closeSync(fd);
  }
  return size;
}

// ---------------------------------------------------------------------------------------------
// Cache

/** Short label for a row count: 100k, 1M, 10M. */
export function sizeLabel(rows: number): string {
  return rows >= 1e6 && rows % 1e6 === 0 ? `${rows / 1e6}M` : rows >= 1e3 && rows % 1e3 === 0 ? `${rows / 1e3}k` : String(rows);
}

/** The dataset for a row count: from the cache when its info matches, else generated and written. */
export async function ensureDataset(rows: number, log: (line: string) => void = console.log): Promise<Dataset> {
  mkdirSync(DATA_DIR, { recursive: true });
  const base = `${DATA_DIR}orders-${sizeLabel(rows)}`;
  const paths = { csv: `${base}.csv`, parquet: `${base}.parquet`, info: `${base}.json` };
  if (existsSync(paths.info) && existsSync(paths.csv) && existsSync(paths.parquet)) {
    const info = JSON.parse(readFileSync(paths.info, 'utf8')) as DatasetInfo;
    if (info.version === GENERATOR_VERSION && info.seed === BENCH_SEED && info.rows === rows && statSync(paths.csv).size === info.csvBytes && statSync(paths.parquet).size === info.parquetBytes) {
      return { rows, csv: paths.csv, parquet: paths.parquet, info };
    }
  }
  const t0 = performance.now();
  const orders = generateOrders(rows);
  let oneTime = 0;
  let maxOrders = 0;
  const perCustomer = new Int32Array(orders.customers + 1);
  for (let i = 0; i < rows; i++) perCustomer[orders.customerId[i]]++;
  for (const k of perCustomer) {
    if (k === 1) oneTime++;
    if (k > maxOrders) maxOrders = k;
  }
  // Write to temporary names and rename, so an interrupted run never leaves a file that looks complete.
  const csvBytes = writeCsv(`${paths.csv}.tmp`, orders);
  const parquetBytes = await writeParquetStreaming(`${paths.parquet}.tmp`, orders);
  renameSync(`${paths.csv}.tmp`, paths.csv);
  renameSync(`${paths.parquet}.tmp`, paths.parquet);
  const info: DatasetInfo = {
    version: GENERATOR_VERSION,
    seed: BENCH_SEED,
    rows,
    customers: orders.customers,
    oneTimeBuyers: oneTime,
    maxOrdersPerCustomer: maxOrders,
    csvBytes,
    parquetBytes,
    generateMs: Math.round(performance.now() - t0),
  };
  writeFileSync(paths.info, `${JSON.stringify(info, null, 2)}\n`);
  log(
    `  generated ${sizeLabel(rows)}: ${orders.customers} customers (${((100 * oneTime) / orders.customers).toFixed(0)} % one-time, max ${maxOrders} orders), ` +
      `CSV ${(csvBytes / 1e6).toFixed(0)} MB, Parquet ${(parquetBytes / 1e6).toFixed(0)} MB in ${(info.generateMs / 1000).toFixed(1)} s`,
  );
  return { rows, csv: paths.csv, parquet: paths.parquet, info };
}
