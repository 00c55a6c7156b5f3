/**
 * Segnote's workloads: the built page in headless Chromium, driven through the page's own engine
 * (`window.__segnote.engine.client`, exposed with `?bench`). Every time is taken inside the page
 * with performance.now() around one awaited client call, so it includes the Comlink round trip,
 * the worker's own work and decoding the result on the main thread, as the app experiences it.
 *
 * Files reach the page as a user's do: a (hidden) file input is given the path on disk, so the
 * page holds a disk-backed File and the worker registers and reads it without a copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { conditionSql, segmentCountSql, type ConditionTree } from '../../src/lib/segment/conditions';
import type { EngineClient } from '../../src/engine/engine-client';
import { rfmSummarySql } from '../../src/lib/segment/rfm-sql';
import { DEFAULT_RFM_RULES } from '../../src/lib/segment/rfm-rules';
import type { Dataset } from './dataset';
import { benchModelSql, benchRfmSpec, KMEANS, kmeansFeaturesSql, kmeansSeedsSql, segnoteRfmSql } from './queries';
import { rfmGridSql, rfmKeptPlan, rfmSql, type RfmKeptTable } from '../../src/lib/segment/rfm-sql';
import { rfmAggregatesName, rfmCutsName } from '../../src/lib/internal-names';
import { defaultRfmTypes, rfmTypesGridSql, rfmTypesReferenceSql, rfmTypesSql } from '../../src/lib/segment/rfm-types';
import { rfmHistogramSql, rfmScoreRangesSql } from '../../src/lib/segment/rfm-views';
import { decilesSql, giniSql, lorenzSql, topShareSql } from '../../src/lib/segment/value-sql';
import type { RfmSpec } from '../../src/lib/segment/rfm-spec';
import type { ClusterTaskArgs } from '../../workers/tasks/cluster-task';
import { ms, repeat, type EngineWorkload, type Measured } from './workloads';
import { ensureWorkbook, XLSX_ROWS } from './workbook';
import { bareStartOnce, startBareDuckDB, type BareServer } from './bare-duckdb';

/** The page's handle as main.ts exposes it with `?bench` (only the parts the benchmark uses). */
interface BenchWindow {
  __segnote: { engine: { client: EngineClient; notice: string | null } };
  __benchMarks: { engineReady?: number; ready?: number };
}

/** Table and cell names the benchmark creates (the sample already has `orders`). */
export const BENCH_TABLE = 'bench_orders';
export const BENCH_RFM = 'bench_rfm';
/** The cell the re-score workload changes the settings of (BENCH_RFM stays as the other workloads expect it). */
const BENCH_RESCORE = 'bench_rfm_rescore';
const BENCH_MODEL = 'bench_purchases';
const FILE_INPUTS = { csv: 'bench-csv-file', parquet: 'bench-parquet-file', xlsx: 'bench-xlsx-file' } as const;
/** Rows the result grid asks for per page (src/components/ResultGrid.svelte). */
const GRID_PAGE = 200;

/**
 * Runs before the page's scripts: records when the engine first answers (by calling info() the
 * moment main.ts exposes the handle) and when `html[data-ready]` turns true. Both are
 * performance.now() values, i.e. milliseconds since navigation started.
 */
const MARKS_SCRIPT = `(() => {
  const marks = (window.__benchMarks = {});
  let handle;
  Object.defineProperty(window, '__segnote', {
    configurable: true,
    get: () => handle,
    set: (v) => {
      handle = v;
      v.engine.client.info().then(() => { marks.engineReady = performance.now(); }, () => {});
    },
  });
  new MutationObserver(() => {
    if (marks.ready === undefined && document.documentElement && document.documentElement.dataset.ready === 'true') marks.ready = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
})();`;

/** What a Segnote workload works with: the browser, the app's URL and, per size, an open page. */
export interface SegnoteCtx {
  browser: Browser;
  baseUrl: string;
  /** The built app being served. */
  distDir: string;
  /** The page for the current dataset (null for sample-scope workloads). */
  page: Page | null;
  dataset: Dataset | null;
  /** Cold-start runs, shared by the cold-start and engine-start workloads (measured once). */
  coldStarts?: Promise<ColdStart[]>;
  /** Repeat visits, shared by the repeat-visit and kept-results workloads (measured once). */
  repeatVisits?: Promise<RepeatVisit[]>;
  /** The compile floor, the reference of every start-up workload (measured once). */
  compileFloor?: Promise<number[]>;
  /** duckdb-wasm's own start alone, served beside the app (started on first use; stopped with the session). */
  bare?: Promise<BareServer>;
}

/** Stops what the sample-scope workloads started beside the app. */
export async function stopSegnoteExtras(ctx: SegnoteCtx): Promise<void> {
  (await ctx.bare?.catch(() => undefined))?.stop();
}

/** The bare DuckDB-WASM start as the reference line of a start-up workload: fresh profiles, or (repeat) reloads in the same profile. */
function bareOf(workload: 'cold-start' | 'repeat-visit'): EngineWorkload<SegnoteCtx> & { scope: 'sample' } {
  return {
    workload,
    engine: 'duckdb-wasm-bare',
    scope: 'sample',
    measure: async (ctx, runs) => {
      const { baseUrl } = await (ctx.bare ??= startBareDuckDB());
      return { runs: await repeat(runs, () => bareStartOnce(ctx.browser, baseUrl, workload === 'repeat-visit')) };
    },
  };
}

interface ColdStart {
  /** Navigation start -> the `segnote:first-result` boot mark (the engine answered the first cell). */
  firstResultMs: number;
  engineReadyMs: number;
  readyMs: number;
  /** What the visit downloaded before the notebook was ready. */
  download: { files: number; bytes: number; gzipBytes: number; paths: string[] };
  firstQueryMs: number;
  sampleRows: number;
}

/** Opens the app with `?bench` in a fresh context and waits until the starter notebook has run. */
export async function openBenchPage(
  browser: Browser,
  baseUrl: string,
): Promise<{ page: Page; close(): Promise<void>; errors: string[]; requestedBeforeReady: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript(MARKS_SCRIPT);
  // Every URL the page and its worker ask for until the notebook is ready (the service worker's
  // precache starts after that): what a first visit downloads before its first results.
  const requestedBeforeReady: string[] = [];
  let recording = true;
  context.on('request', (r) => void (recording && requestedBeforeReady.push(r.url())));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(new URL('?bench', baseUrl).toString());
  await page.waitForFunction(() => (window as unknown as BenchWindow).__benchMarks.ready !== undefined, null, { timeout: 180_000 });
  recording = false;
  return { page, errors, requestedBeforeReady, close: () => context.close() };
}

/** Bytes of the built files behind `urls` (same origin only), as stored and gzip-compressed, and their paths. */
function downloadSize(ctx: SegnoteCtx, urls: string[]): ColdStart['download'] {
  const origin = new URL(ctx.baseUrl).origin;
  const paths = new Set<string>();
  for (const u of urls) {
    const url = new URL(u);
    if (url.origin !== origin) continue;
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    if (existsSync(`${ctx.distDir}/${path}`) && statSync(`${ctx.distDir}/${path}`).isFile()) paths.add(path);
  }
  let bytes = 0;
  let gzipBytes = 0;
  for (const path of paths) {
    const data = readFileSync(`${ctx.distDir}/${path}`);
    bytes += data.length;
    gzipBytes += gzipSync(data).length;
  }
  return { files: paths.size, bytes, gzipBytes, paths: [...paths].sort() };
}

async function coldStartOnce(ctx: SegnoteCtx): Promise<ColdStart> {
  const { page, close, requestedBeforeReady } = await openBenchPage(ctx.browser, ctx.baseUrl);
  try {
    const download = downloadSize(ctx, requestedBeforeReady);
    const timings = await page.evaluate(async () => {
      const w = window as unknown as BenchWindow;
      const t0 = performance.now();
      const r = await w.__segnote.engine.client.query('SELECT count(*)::DOUBLE AS n FROM orders');
      const firstQueryMs = performance.now() - t0;
      return {
        firstResultMs: performance.getEntriesByName('segnote:first-result')[0]?.startTime ?? NaN,
        engineReadyMs: w.__benchMarks.engineReady ?? NaN,
        readyMs: w.__benchMarks.ready ?? NaN,
        firstQueryMs,
        sampleRows: Number(r.table.getChildAt(0)?.get(0)),
      };
    });
    return { ...timings, download };
  } finally {
    await close();
  }
}

interface RepeatVisit {
  /** Navigation start of the reload -> the `segnote:first-result` boot mark. */
  firstResultMs: number;
  /** Navigation start of the reload -> the `segnote:kept-results` boot mark (the last visit's results on screen). */
  keptMs: number;
  readyMs: number;
}

/**
 * A visit, then a reload in the same profile once the service worker has cached the app and the
 * notebook's results are kept: what a returning user sees.
 */
async function repeatVisitOnce(ctx: SegnoteCtx): Promise<RepeatVisit> {
  const { page, close } = await openBenchPage(ctx.browser, ctx.baseUrl);
  try {
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    // The notebook's results are kept a moment after its runs settle.
    const keptCells = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const req = indexedDB.open('segnote');
            req.onsuccess = () => {
              const get = req.result.transaction('results').objectStore('results').getAll();
              get.onsuccess = () => resolve(Math.max(0, ...(get.result as { cells: object }[]).map((r) => Object.keys(r.cells).length)));
              get.onerror = () => resolve(0);
            };
            req.onerror = () => resolve(0);
          }),
      );
    for (let waited = 0; (await keptCells()) === 0; waited += 250) {
      if (waited > 60_000) throw new Error('the notebook kept no results within 60 s');
      await page.waitForTimeout(250);
    }
    await page.reload();
    await page.waitForFunction(() => (window as unknown as BenchWindow).__benchMarks.ready !== undefined, null, { timeout: 180_000 });
    return await page.evaluate(() => ({
      firstResultMs: performance.getEntriesByName('segnote:first-result')[0]?.startTime ?? NaN,
      keptMs: performance.getEntriesByName('segnote:kept-results')[0]?.startTime ?? NaN,
      readyMs: (window as unknown as BenchWindow).__benchMarks.ready ?? NaN,
    }));
  } finally {
    await close();
  }
}

function repeatVisits(ctx: SegnoteCtx, runs: number): Promise<RepeatVisit[]> {
  ctx.repeatVisits ??= (async () => {
    const out: RepeatVisit[] = [];
    for (let i = 0; i < runs; i++) out.push(await repeatVisitOnce(ctx));
    return out;
  })();
  return ctx.repeatVisits;
}

/** Fetch + WebAssembly.compileStreaming of DuckDB's wasm alone, each in a fresh profile (no app code runs). */
function compileFloor(ctx: SegnoteCtx, runs: number): Promise<number[]> {
  ctx.compileFloor ??= (async () => {
    const wasm = readdirSync(`${ctx.distDir}/assets`).find((f) => /^duckdb-eh-.*\.wasm$/.test(f));
    if (!wasm) throw new Error(`no duckdb-eh wasm in ${ctx.distDir}/assets`);
    return repeat(runs, async () => {
      const context = await ctx.browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(new URL('manifest.json', ctx.baseUrl).toString());
        return ms(
          await page.evaluate(async (url) => {
            const t0 = performance.now();
            await WebAssembly.compileStreaming(fetch(url));
            return performance.now() - t0;
          }, new URL(`assets/${wasm}`, ctx.baseUrl).toString()),
        );
      } finally {
        await context.close();
      }
    });
  })();
  return ctx.compileFloor;
}

/** The compile floor as the reference line of a start-up workload. */
function floorOf(workload: 'cold-start' | 'repeat-visit' | 'kept-results'): EngineWorkload<SegnoteCtx> & { scope: 'sample' } {
  return { workload, engine: 'wasm-compile-floor', scope: 'sample', measure: async (ctx, runs) => ({ runs: await compileFloor(ctx, runs) }) };
}

function coldStarts(ctx: SegnoteCtx, runs: number): Promise<ColdStart[]> {
  ctx.coldStarts ??= (async () => {
    const out: ColdStart[] = [];
    for (let i = 0; i < runs; i++) out.push(await coldStartOnce(ctx));
    return out;
  })();
  return ctx.coldStarts;
}

function needPage(ctx: SegnoteCtx): { page: Page; dataset: Dataset } {
  if (!ctx.page || !ctx.dataset) throw new Error('no page is open for a dataset');
  return { page: ctx.page, dataset: ctx.dataset };
}

/** Gives a hidden file input of the page the file at `path` (a disk-backed File, no copy). */
async function attachFile(page: Page, inputId: string, path: string): Promise<void> {
  await page.evaluate((id) => {
    if (document.getElementById(id)) return;
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    input.style.display = 'none';
    document.body.append(input);
  }, inputId);
  await page.setInputFiles(`#${inputId}`, path);
}

/** Times engine.client.loadFile for the file in an input; drops the table afterwards unless `keep`. */
async function timedLoad(page: Page, inputId: string, table: string, keep: boolean, options: { plainRead?: boolean } = {}): Promise<{ ms: number; workerMs: number; rows: number }> {
  return page.evaluate(
    async ({ inputId, table, keep, options }) => {
      const client = (window as unknown as BenchWindow).__segnote.engine.client;
      const file = (document.getElementById(inputId) as HTMLInputElement).files![0];
      const t0 = performance.now();
      const report = await client.loadFile({ name: file.name, size: file.size, file }, { ...options, tableName: table });
      const elapsed = performance.now() - t0;
      if (!keep) await client.drop(table);
      return { ms: elapsed, workerMs: report.elapsedMs, rows: report.rows };
    },
    { inputId, table, keep, options },
  );
}

async function hasRelation(page: Page, name: string): Promise<boolean> {
  return page.evaluate(async (n) => {
    const rels = await (window as unknown as BenchWindow).__segnote.engine.client.relations();
    return rels.some((r) => r.name.toLowerCase() === n.toLowerCase());
  }, name);
}

/** Loads the dataset's CSV as BENCH_TABLE (untimed) unless the CSV ingest left it there. */
async function ensureOrders(page: Page, dataset: Dataset): Promise<void> {
  if (await hasRelation(page, BENCH_TABLE)) return;
  await attachFile(page, FILE_INPUTS.csv, dataset.csv);
  await timedLoad(page, FILE_INPUTS.csv, BENCH_TABLE, true);
}

/**
 * RFM as a cell (runCell, the result kept in the worker) over the orders model's clean purchases
 * view ('segnote') or straight over the table ('segnote-table'), in the same page one after the
 * other: the ratio is what the orders model adds to an RFM run. The view is created untimed (it is
 * a view: its work happens inside each RFM run); the RFM spec carries the facts the app's data check
 * finds on either relation (unique order ids, typed columns, no refunds, no nulls).
 */
function rfmModel(engine: 'segnote' | 'segnote-table'): EngineWorkload<SegnoteCtx> {
  return {
    workload: 'rfm-model',
    engine,
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureOrders(page, dataset);
      const source = engine === 'segnote' ? BENCH_MODEL : BENCH_TABLE;
      await page.evaluate(async ({ name, sql }) => void (await (window as unknown as BenchWindow).__segnote.engine.client.query(`CREATE OR REPLACE VIEW ${name} AS ${sql}`)), { name: BENCH_MODEL, sql: benchModelSql(BENCH_TABLE) });
      const sql = rfmSql(benchRfmSpec(source), DEFAULT_RFM_RULES);
      let customers = 0;
      const times = await repeat(runs, async () => {
        const r = await page.evaluate(
          async ({ name, sql }) => {
            const client = (window as unknown as BenchWindow).__segnote.engine.client;
            const t0 = performance.now();
            const res = await client.runCell(name, sql);
            return { ms: performance.now() - t0, rows: res.rows };
          },
          { name: `${BENCH_RFM}_${engine.replace('-', '_')}`, sql },
        );
        customers = r.rows;
        return ms(r.ms);
      });
      return { runs: times, extra: { customers } };
    },
  };
}

/** A settings change of the re-score workload: what the cell keeps and runs for it, and the summaries it then reads. */
interface RescoreEdit {
  what: string;
  keep: RfmKeptTable[];
  sql: string;
  view: string[];
  /** Summaries of the measures alone, which the cell reads once per aggregates and monetary definition (the key). */
  measures: { key: string; sql: string }[];
}

const RESCORE_NAMES = { aggregates: rfmAggregatesName('bench'), cuts: (m: RfmSpec['monetary']) => rfmCutsName('bench', m) };

/** The settings changes the re-score workload cycles through (each one differs from the run before). */
function rescoreEdits(spec: RfmSpec): RescoreEdit[] {
  const renamed = DEFAULT_RFM_RULES.map((r, i) => ({ ...r, name: `Group ${i + 1}` }));
  const medians = { ...defaultRfmTypes(), reference: { r: { kind: 'median' as const }, f: { kind: 'median' as const }, m: { kind: 'median' as const } } };
  const scoreViews = (rules: typeof DEFAULT_RFM_RULES) => [rfmSummarySql(BENCH_RESCORE, rules), rfmGridSql(BENCH_RESCORE), rfmScoreRangesSql(BENCH_RESCORE)];
  const typeViews = (t: ReturnType<typeof defaultRfmTypes>) => [rfmSummarySql(BENCH_RESCORE, t.types), rfmTypesGridSql(BENCH_RESCORE, t), rfmTypesReferenceSql(BENCH_RESCORE, t)];
  const common = (s: RfmSpec) =>
    [
      ...(['recency_days', 'frequency', 'monetary'] as const).map((m) => rfmHistogramSql(BENCH_RESCORE, m, 24, 0.95)),
      giniSql(BENCH_RESCORE, 'revenue'),
      topShareSql(BENCH_RESCORE, 'revenue', [1, 5, 10, 20]),
      lorenzSql(BENCH_RESCORE, 'revenue', 100),
      decilesSql(BENCH_RESCORE, 'revenue'),
    ].map((sql) => ({ key: JSON.stringify([s.monetary, sql]), sql }));
  // As the cell runs it (src/state/rfm-run.ts): the kept tables of the plan, then the per-customer SQL over them.
  const scores = (what: string, s: RfmSpec, rules: typeof DEFAULT_RFM_RULES): RescoreEdit => {
    const plan = rfmKeptPlan(s, 'scores', RESCORE_NAMES);
    return { what, keep: plan.keep, sql: rfmSql(plan.spec, rules), view: scoreViews(rules), measures: common(s) };
  };
  const types = (what: string, s: RfmSpec, t: ReturnType<typeof defaultRfmTypes>): RescoreEdit => {
    const plan = rfmKeptPlan(s, 'types', RESCORE_NAMES);
    return { what, keep: plan.keep, sql: rfmTypesSql(plan.spec, t), view: typeViews(t), measures: common(s) };
  };
  return [
    scores('fixed cut points', { ...spec, scoring: { method: 'thresholds', r: [30, 90, 180, 365], f: [1, 2, 3, 5], m: [50, 100, 250, 500] } }, DEFAULT_RFM_RULES),
    scores('quintiles, average monetary', { ...spec, monetary: 'average' }, DEFAULT_RFM_RULES),
    scores('renamed rules', spec, renamed),
    types('8-type model, means', spec, defaultRfmTypes()),
    types('8-type model, medians', spec, medians),
    scores('quintiles', spec, DEFAULT_RFM_RULES),
  ];
}

/**
 * Issue 16: after a first RFM run (untimed: it keeps the per-customer aggregates and the quintile
 * cuts), one settings change re-scored as the RFM cell does it (src/state/rfm-run.ts): the
 * source's data stamp, keep() of each table of the run's plan (the aggregates found current; the
 * cuts of a monetary definition computed the first time it is used, then found current), and
 * runCell of the per-customer SQL reading them. The summaries the cell then reads (segment table,
 * grid or type cells; histograms and value concentration only the first time for the aggregates
 * and monetary definition, as the cell caches them with the notes) are timed too and reported as
 * `with_views_ms`.
 */
async function rfmRescore(ctx: SegnoteCtx, runs: number): Promise<Measured> {
  const { page, dataset } = needPage(ctx);
  await ensureOrders(page, dataset);
  const spec = benchRfmSpec(BENCH_TABLE);
  // As src/state/rfm-run.ts: the measures' summaries are read once per aggregates and monetary definition.
  const seen = new Set<string>();
  const run = (edit: RescoreEdit) => {
    const view = [...edit.view, ...edit.measures.filter((m) => !seen.has(m.key)).map((m) => m.sql)];
    for (const m of edit.measures) seen.add(m.key);
    return page.evaluate(
      async ({ keep, source, name, sql, view }) => {
        const client = (window as unknown as BenchWindow).__segnote.engine.client;
        const t0 = performance.now();
        await client.dataStamp(source);
        const kept = await client.keep(keep, source);
        const res = await client.runCell(name, sql);
        const scored = performance.now() - t0;
        await Promise.all(view.map((q) => client.query(q)));
        return { ms: scored, withViews: performance.now() - t0, rows: res.rows, rebuilt: kept.rebuilt };
      },
      { keep: edit.keep, source: BENCH_TABLE, name: BENCH_RESCORE, sql: edit.sql, view },
    );
  };
  const edits = rescoreEdits(spec);
  // The first run (untimed) keeps the aggregates and the cuts of total monetary, and reads the measures' summaries.
  const firstMs = (await run(edits[edits.length - 1])).ms;
  let customers = 0;
  const withViews: number[] = [];
  const what: string[] = [];
  const cutsRebuilt: boolean[] = [];
  const times = await repeat(runs, async (i) => {
    const edit = edits[i % edits.length];
    const r = await run(edit);
    if (r.rebuilt[0]) throw new Error('rfm-rescore: the kept aggregates were rebuilt on a scoring change');
    if (r.rebuilt.length > 1) cutsRebuilt.push(r.rebuilt[1]);
    customers = r.rows;
    withViews.push(ms(r.withViews));
    what.push(edit.what);
    return ms(r.ms);
  });
  return { runs: times, extra: { customers, first_run_ms: ms(firstMs), with_views_ms: withViews, edits: what, cuts_computed: cutsRebuilt } };
}

/**
 * The work peak-memory is read after, done untimed where the workloads that do it did not run
 * (`--workloads=peak-memory`): the orders CSV loaded as BENCH_TABLE, the Parquet loaded and dropped
 * `parquetLoads` times, the RFM cell run. Returns whether the RFM result is there.
 */
export async function peakMemoryWork(ctx: SegnoteCtx, parquetLoads: number): Promise<boolean> {
  const { page, dataset } = needPage(ctx);
  await ensureOrders(page, dataset);
  if (parquetLoads > 0) {
    await attachFile(page, FILE_INPUTS.parquet, dataset.parquet);
    for (let i = 0; i < parquetLoads; i++) await timedLoad(page, FILE_INPUTS.parquet, `${BENCH_TABLE}_parquet`, false);
  }
  await ensureRfm(page, dataset);
  return hasRelation(page, BENCH_RFM);
}

/** Runs the RFM cell (untimed) unless the RFM workload left it there. */
async function ensureRfm(page: Page, dataset: Dataset): Promise<void> {
  if (await hasRelation(page, BENCH_RFM)) return;
  await ensureOrders(page, dataset);
  const sql = segnoteRfmSql(BENCH_TABLE);
  await page.evaluate(async ({ name, sql }) => void (await (window as unknown as BenchWindow).__segnote.engine.client.runCell(name, sql)), { name: BENCH_RFM, sql });
}

function ingest(kind: 'csv' | 'parquet', variant: { plainRead?: boolean } = {}): (ctx: SegnoteCtx, runs: number) => Promise<Measured> {
  return async (ctx, runs) => {
    const { page, dataset } = needPage(ctx);
    await attachFile(page, FILE_INPUTS[kind], kind === 'csv' ? dataset.csv : dataset.parquet);
    // The CSV ingest's last run stays loaded: it is the table the RFM workloads read.
    const keepLast = kind === 'csv' && !variant.plainRead;
    const table = keepLast ? BENCH_TABLE : `${BENCH_TABLE}_${kind}${variant.plainRead ? '_plain' : ''}`;
    if (keepLast && (await hasRelation(page, BENCH_TABLE))) await page.evaluate(async (t) => (window as unknown as BenchWindow).__segnote.engine.client.drop(t), BENCH_TABLE);
    let rows = 0;
    const worker: number[] = [];
    const times = await repeat(runs, async (i) => {
      const r = await timedLoad(page, FILE_INPUTS[kind], table, keepLast && i === runs - 1, variant);
      rows = r.rows;
      worker.push(ms(r.workerMs));
      return ms(r.ms);
    });
    return { runs: times, extra: { loaded_rows: rows, worker_ms: worker } };
  };
}

/** The Excel workbook's load (100k orders only: the size analysts keep in Excel), with the cleaning pass. */
async function xlsxIngest(ctx: SegnoteCtx, runs: number): Promise<Measured> {
  const { page, dataset } = needPage(ctx);
  if (dataset.rows !== XLSX_ROWS) return { runs: [], extra: { not_run: `only at ${XLSX_ROWS} rows` } };
  await attachFile(page, FILE_INPUTS.xlsx, await ensureWorkbook(dataset));
  let rows = 0;
  const times = await repeat(runs, async () => {
    const r = await timedLoad(page, FILE_INPUTS.xlsx, `${BENCH_TABLE}_xlsx`, false);
    rows = r.rows;
    return ms(r.ms);
  });
  return { runs: times, extra: { loaded_rows: rows } };
}

/** The Segnote registry. `scope: 'sample'` entries run once per benchmark, the rest once per size. */
export const segnoteWorkloads: (EngineWorkload<SegnoteCtx> & { scope?: 'sample' })[] = [
  {
    // Navigation start -> the first live result (the segnote:first-result boot mark); the whole
    // starter notebook (html[data-ready="true"]) is reported beside it.
    workload: 'cold-start',
    engine: 'segnote',
    scope: 'sample',
    measure: async (ctx, runs) => {
      const starts = await coldStarts(ctx, runs);
      return {
        runs: starts.map((s) => ms(s.firstResultMs)),
        extra: {
          sample_rows: starts[0]?.sampleRows,
          notebook_ready_ms: starts.map((s) => ms(s.readyMs)),
          first_visit_files: starts[0]?.download.files,
          first_visit_mb: starts[0] && Math.round(starts[0].download.bytes / 1e5) / 10,
          first_visit_gzip_mb: starts[0] && Math.round(starts[0].download.gzipBytes / 1e5) / 10,
          first_visit_paths: starts[0]?.download.paths,
          first_query_after_ready_ms: starts.map((s) => ms(s.firstQueryMs)),
        },
      };
    },
  },
  // The physical floor of a cold start: fetch + WebAssembly.compileStreaming of DuckDB's wasm
  // alone, in a fresh profile from the same server (no app code runs).
  floorOf('cold-start'),
  // What any page built on DuckDB-WASM waits for: duckdb-wasm's own start and a SELECT 1, no app.
  bareOf('cold-start'),
  {
    // A returning user (same profile, service worker and kept results in place): reload -> the
    // first live result. Target: within the compile floor of a fresh profile.
    workload: 'repeat-visit',
    engine: 'segnote',
    scope: 'sample',
    measure: async (ctx, runs) => {
      const visits = await repeatVisits(ctx, runs);
      return { runs: visits.map((v) => ms(v.firstResultMs)), extra: { notebook_ready_ms: visits.map((v) => ms(v.readyMs)) } };
    },
  },
  floorOf('repeat-visit'),
  bareOf('repeat-visit'),
  {
    // The same reloads: -> the last visit's results on screen, marked as not live yet.
    workload: 'kept-results',
    engine: 'segnote',
    scope: 'sample',
    measure: async (ctx, runs) => ({ runs: (await repeatVisits(ctx, runs)).map((v) => ms(v.keptMs)) }),
  },
  floorOf('kept-results'),
  {
    // Navigation start -> engine.client.info() resolves (worker up, DuckDB instantiated).
    workload: 'engine-start',
    engine: 'segnote',
    scope: 'sample',
    measure: async (ctx, runs) => ({ runs: (await coldStarts(ctx, runs)).map((s) => ms(s.engineReadyMs)) }),
  },
  { workload: 'csv-ingest', engine: 'segnote', measure: ingest('csv') },
  { workload: 'csv-ingest', engine: 'segnote-plain', measure: ingest('csv', { plainRead: true }) },
  { workload: 'xlsx-ingest', engine: 'segnote', measure: xlsxIngest },
  { workload: 'parquet-ingest', engine: 'segnote', measure: ingest('parquet') },
  {
    // engine.client.runCell(BENCH_RFM, rfmSql(spec, DEFAULT_RFM_RULES)): the result kept in the worker.
    workload: 'rfm',
    engine: 'segnote',
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureOrders(page, dataset);
      const sql = segnoteRfmSql(BENCH_TABLE);
      let customers = 0;
      const worker: number[] = [];
      const times = await repeat(runs, async () => {
        const r = await page.evaluate(
          async ({ name, sql }) => {
            const client = (window as unknown as BenchWindow).__segnote.engine.client;
            const t0 = performance.now();
            const res = await client.runCell(name, sql);
            return { ms: performance.now() - t0, workerMs: res.elapsedMs, rows: res.rows };
          },
          { name: BENCH_RFM, sql },
        );
        customers = r.rows;
        worker.push(ms(r.workerMs));
        return ms(r.ms);
      });
      return { runs: times, extra: { customers, worker_ms: worker } };
    },
  },
  rfmModel('segnote-table'),
  rfmModel('segnote'),
  { workload: 'rfm-rescore', engine: 'segnote', measure: rfmRescore },
  {
    // The first page of the RFM result (fetchRows, 200 rows, decoded) plus the segment summary
    // (rfmSummarySql, decoded), one after the other, as the customer view asks for them.
    workload: 'customer-view',
    engine: 'segnote',
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureRfm(page, dataset);
      const summarySql = rfmSummarySql(BENCH_RFM, DEFAULT_RFM_RULES);
      const times = await repeat(runs, async () =>
        ms(
          await page.evaluate(
            async ({ name, summarySql, pageRows }) => {
              const client = (window as unknown as BenchWindow).__segnote.engine.client;
              const t0 = performance.now();
              const rows = await client.fetchRows(name, 0, pageRows);
              const summary = await client.query(summarySql);
              const elapsed = performance.now() - t0;
              if (rows.numRows !== pageRows || summary.table.numRows === 0) throw new Error(`customer view: got ${rows.numRows} rows, ${summary.table.numRows} segments`);
              return elapsed;
            },
            { name: BENCH_RFM, summarySql, pageRows: GRID_PAGE },
          ),
        ),
      );
      return { runs: times };
    },
  },
  {
    // k-means (issue 6): the cluster task (workers/tasks/cluster-task.ts) on the features of
    // kmeansFeaturesSql over BENCH_RFM (already standardised: scale 'none', no log), k = 8, at most
    // 20 iterations with tol 0, from the fixed starting centres of kmeansSeedsSql (as the sklearn
    // reference). Timed, as scikit-learn's fit() on an array already in memory: the k-means run in
    // the worker on the features already read (copying them for the kernels, the iterations, the
    // final labels), from the task's own timings. The whole task as the page sees it (reading the
    // features from DuckDB into typed arrays, k-means, the answer back) is reported beside it.
    workload: 'kmeans',
    engine: 'segnote',
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureRfm(page, dataset);
      const features = 'bench_kmeans_features';
      const setup = { name: features, featuresSql: kmeansFeaturesSql(BENCH_RFM), seedsSql: kmeansSeedsSql(features) };
      const init = await page.evaluate(async ({ name, featuresSql, seedsSql }) => {
        const client = (window as unknown as BenchWindow).__segnote.engine.client;
        await client.runCell(name, featuresSql);
        const seeds = (await client.query(seedsSql)).table;
        const out: number[] = [];
        for (const row of seeds.toArray()) out.push(Number(row.f1), Number(row.f2), Number(row.f3));
        return out;
      }, setup);
      if (init.length !== KMEANS.k * 3) throw new Error(`k-means: expected ${KMEANS.k} starting centres, got ${init.length / 3}`);
      const args: ClusterTaskArgs = {
        source: features,
        idColumn: 'customer_id',
        features: ['f1', 'f2', 'f3'].map((name) => ({ name, log: false })),
        scale: 'none',
        missing: 'drop',
        valueColumn: null,
        seed: 0,
        k: KMEANS.k,
        maxIter: KMEANS.iterations,
        tol: 0,
        init,
        sweep: null,
        treeDepth: 0,
        maxPoints: 0,
        inputTable: '__segnote_bench_kmeans_in',
        labelTable: '__segnote_bench_kmeans_labels',
        kmeansOnly: true,
      };
      let inertia = 0;
      let iterations = 0;
      let customers = 0;
      const taskMs: number[] = [];
      const readMs: number[] = [];
      const times = await repeat(runs, async () => {
        const r = await page.evaluate(async (args) => {
          const client = (window as unknown as BenchWindow).__segnote.engine.client;
          const t0 = performance.now();
          const res = await client.runTask<{ inertia: number; iterations: number; n: number; timings: { read: number; space: number; kmeans: number; total: number } }>('cluster-kmeans', args);
          return { ms: performance.now() - t0, res };
        }, args);
        inertia = r.res.inertia;
        iterations = r.res.iterations;
        customers = r.res.n;
        taskMs.push(ms(r.ms));
        readMs.push(ms(r.res.timings.read));
        return ms(r.res.timings.space + r.res.timings.kmeans);
      });
      await page.evaluate(async () => void (await (window as unknown as BenchWindow).__segnote.engine.client.query('DROP TABLE IF EXISTS __segnote_bench_kmeans_in')));
      return { runs: times, extra: { inertia, iterations, customers, task_ms: taskMs, read_ms: readMs } };
    },
  },
  {
    // Segment filter round trip (issue 5): on BENCH_RFM (one row per customer), the segment
    // builder's live count for "(segment in Champions/Loyal Customers/At Risk) AND frequency >= N",
    // with N changed on every run as a user edits the condition, plus the chart data for the
    // edited segment (customers per R score). Timed: from issuing both queries to both results
    // decoded on the page. The SQL is the builder's own (segmentCountSql, conditionSql).
    workload: 'segment-filter',
    engine: 'segnote',
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureRfm(page, dataset);
      const columns = await page.evaluate(async (name) => {
        const rels = await (window as unknown as BenchWindow).__segnote.engine.client.relations();
        return rels.find((r) => r.name === name)?.columns ?? [];
      }, BENCH_RFM);
      let edit = 0;
      const times = await repeat(runs, async () => {
        edit += 1;
        const tree: ConditionTree = {
          kind: 'group',
          op: 'and',
          items: [
            { kind: 'in', column: 'segment', values: ['Champions', 'Loyal Customers', 'At Risk'] },
            { kind: 'compare', column: 'frequency', op: '>=', value: 1 + (edit % 6) },
          ],
        };
        const countSql = segmentCountSql(BENCH_RFM, tree, columns, null, 'revenue');
        const chartSql = `SELECT r_score, count(*) AS customers FROM ${BENCH_RFM} WHERE ${conditionSql(tree, columns, null)} GROUP BY r_score ORDER BY r_score`;
        return ms(
          await page.evaluate(
            async ({ countSql, chartSql }) => {
              const client = (window as unknown as BenchWindow).__segnote.engine.client;
              const t0 = performance.now();
              const [count, chart] = await Promise.all([client.query(countSql), client.query(chartSql)]);
              const elapsed = performance.now() - t0;
              if (count.table.numRows !== 1 || chart.table.numRows === 0) throw new Error('segment filter: empty result');
              return elapsed;
            },
            { countSql, chartSql },
          ),
        );
      });
      return { runs: times };
    },
  },
  clvWorkload('clv', 'bgnbd'),
  clvWorkload('clv-paretonbd', 'paretonbd'),
];

/**
 * Predicted lifetime value (issues 8 and 17): the CLV cell's worker task on the benchmark's orders,
 * as the cell runs it — per-customer (x, t_x, T, mbar) in SQL, maximum likelihood on typed arrays
 * (BG/NBD and Pareto/NBD both, for the comparison; `model` says which drives the predictions) and
 * Gamma-Gamma, predictions for every customer (with next-order waits) stored as a table, the
 * frequency × recency grid and the tracking chart. Weeks, calibration to the end of the data
 * (2026-01-01), no holdout, 52-week horizon. Timed: engine.client.runTask; the task's own per-phase
 * timings are reported beside it.
 */
function clvWorkload(workload: 'clv' | 'clv-paretonbd', model: 'bgnbd' | 'paretonbd'): EngineWorkload<SegnoteCtx> {
  return {
    workload,
    engine: 'segnote',
    measure: async (ctx, runs) => {
      const { page, dataset } = needPage(ctx);
      await ensureOrders(page, dataset);
      const args = {
        spec: { source: BENCH_TABLE, customerId: 'customer_id', orderDate: 'order_date', amount: 'amount', unit: 'weeks' },
        dates: { calibrationEnd: '2026-01-01', holdoutEnd: null },
        holdout: 0,
        horizon: 52,
        discountRate: 0,
        model,
        compare: true,
        inputTable: '__segnote_bench_clv_in',
        predictionTable: '__segnote_bench_clv_pred',
      };
      let customers = 0;
      let timings: Record<string, number> = {};
      const times = await repeat(runs, async () => {
        const r = await page.evaluate(async (args) => {
          const client = (window as unknown as BenchWindow).__segnote.engine.client;
          const t0 = performance.now();
          const res = await client.runTask<{ customers?: number; timings?: Record<string, number> }>('clv-fit', args);
          return { ms: performance.now() - t0, customers: Number(res.customers ?? 0), timings: res.timings ?? {} };
        }, args);
        customers = r.customers;
        timings = r.timings;
        return ms(r.ms);
      });
      const fit = (k: string) => (typeof timings[k] === 'number' ? Math.round(timings[k]) : null);
      return { runs: times, extra: { customers, bgnbd_ms: fit('bgnbd'), paretonbd_ms: fit('paretonbd'), gammagamma_ms: fit('gammaGamma'), predict_ms: fit('predict'), checks_ms: fit('checks') } };
    },
  };
}

/** DuckDB's own memory accounting in the page's worker (all tables, buffers), in bytes. */
export async function duckdbMemory(page: Page): Promise<number | null> {
  try {
    return await page.evaluate(async () => {
      const r = await (window as unknown as BenchWindow).__segnote.engine.client.query('SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()');
      return Number(r.table.getChildAt(0)?.get(0));
    });
  } catch {
    return null;
  }
}

/** The page engine's DuckDB version and bundle. */
export async function engineInfo(page: Page): Promise<string> {
  const info = await page.evaluate(() => (window as unknown as BenchWindow).__segnote.engine.client.info());
  return `DuckDB ${info.duckdbVersion} (wasm, ${info.bundle})`;
}

/** A restart notice the engine showed (it restarts the worker after a crash), or null. */
export async function engineNotice(page: Page): Promise<string | null> {
  try {
    return await page.evaluate(() => (window as unknown as BenchWindow).__segnote.engine.notice);
  } catch {
    return null;
  }
}
