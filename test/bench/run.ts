/**
 * `npm run bench`: Segnote (the built page in headless Chromium) against native DuckDB, pandas and
 * scikit-learn on the same synthetic orders, side by side. See test/bench/README.md.
 *
 *   npm run bench                      100k, 1M and 10M orders; 5 runs (3 at 10M)
 *   npm run bench -- --quick           100k and 1M only
 *   options: --sizes=100k,1M  --runs=N  --runs-large=N (10M and up)  --no-build (serve dist/ as it is)
 *            --engines=segnote,native,python,libraries (which sides to run)
 *            --workloads=kmeans,rfm (only these workloads; peak memory is then not recorded)
 */
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { sizeLabel, ensureDataset, type Dataset } from './dataset';
import { MemorySampler, buildApp, chromiumVersion, launchChromium, startPreview } from './browser';
import { measureLibraries } from './libraries';
import { NATIVE_CONFIGS, nativeWorkloads, openNative } from './native';
import { PYTHON_CANDIDATES, pythonFor, pythonWorkloads } from './python';
import { compare, formatMarkdown, formatTable, previousRun, writeResults, type RunRecord } from './report';
import { BENCH_RFM, duckdbMemory, engineInfo, engineNotice, openBenchPage, peakMemoryWork, segnoteWorkloads, stopSegnoteExtras, type SegnoteCtx } from './segnote';
import { median, ms, type EngineName, type Measured, type ResultRow, type WorkloadId } from './workloads';

interface Options {
  quick: boolean;
  sizes: number[];
  runs: number;
  runsLarge: number;
  build: boolean;
  engines: Set<string>;
  /** Only these workloads (null: all). */
  workloads: Set<string> | null;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`invalid size: ${text} (use e.g. 100k, 1M, 10M)`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
}

function positiveInt(arg: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid ${arg}: expected a whole number >= 1`);
  return n;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, sizes: [1e5, 1e6, 1e7], runs: 5, runsLarge: 3, build: true, engines: new Set(['segnote', 'native', 'python', 'libraries']), workloads: null };
  let sizesGiven = false;
  for (const a of argv) {
    const [key, value] = a.split('=', 2);
    if (key === '--quick') o.quick = true;
    else if (key === '--no-build') o.build = false;
    else if (key === '--sizes' && value) {
      o.sizes = value.split(',').map(parseSize);
      sizesGiven = true;
    } else if (key === '--runs' && value) o.runs = positiveInt(a, value);
    else if (key === '--runs-large' && value) o.runsLarge = positiveInt(a, value);
    else if (key === '--engines' && value) o.engines = new Set(value.split(','));
    else if (key === '--workloads' && value) o.workloads = new Set(value.split(','));
    else throw new Error(`unknown option: ${a}`);
  }
  if (o.quick && !sizesGiven) o.sizes = [1e5, 1e6];
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const started = new Date();
const results: ResultRow[] = [];
const notes: string[] = [];
const skipped = new Map<string, string>();
const machine: Record<string, unknown> = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  load_at_start: loadavg().map((l) => Math.round(l * 100) / 100),
};
const wanted = (w: { workload: string }) => opts.workloads === null || opts.workloads.has(w.workload);
const runsFor = (rows: number) => (rows >= 1e7 ? opts.runsLarge : opts.runs);
const log = (line: string) => console.log(line);
const note = (line: string) => {
  notes.push(line);
  console.log(`  note: ${line}`);
};

function record(workload: WorkloadId, rows: number, engine: EngineName, m: Measured): void {
  if (m.runs.length === 0 && m.extra?.not_run) return; // a workload that runs at some sizes only
  const row: ResultRow = { workload, rows, engine, median_ms: median(m.runs) === null ? null : ms(median(m.runs)!), runs: m.runs.map(ms), ...m.extra };
  results.push(row);
  const extra = m.extra && Object.keys(m.extra).length ? ` ${JSON.stringify(m.extra)}` : '';
  log(`  ${workload.padEnd(15)} ${sizeLabel(rows).padStart(5)} ${engine.padEnd(25)} median ${row.median_ms} ms  runs [${row.runs.join(', ')}]${extra}`);
}

async function attempt(label: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    note(`${label} FAILED: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 400)}`);
  }
}

interface SegnoteSession {
  ctx: SegnoteCtx;
  close(): Promise<void>;
}

/** Builds and serves the app, launches Chromium and runs the sample-scope workloads (cold start). */
async function startSegnote(): Promise<SegnoteSession> {
  log('\nSegnote: the built page in headless Chromium');
  const outDir = `${tmpdir()}/segnote-bench-dist`;
  if (opts.build) {
    const t0 = performance.now();
    buildApp(outDir);
    log(`  built the app into ${outDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const preview = await startPreview(opts.build ? outDir : 'dist');
  const browser = await launchChromium().catch((e: unknown) => {
    preview.stop();
    throw e;
  });
  machine.chromium = chromiumVersion();
  const ctx: SegnoteCtx = { browser, baseUrl: preview.baseUrl, distDir: opts.build ? outDir : 'dist', page: null, dataset: null };
  for (const w of segnoteWorkloads) {
    if (w.skip) {
      skipped.set(w.workload, w.skip);
      log(`  ${w.workload}: ${w.skip}`);
    }
  }
  for (const w of segnoteWorkloads.filter((w) => !w.skip && w.scope === 'sample' && wanted(w))) {
    await attempt(`segnote ${w.workload}`, async () => {
      const m = await w.measure(ctx, opts.runs);
      record(w.workload, Number(m.extra?.sample_rows ?? results.find((r) => r.workload === 'cold-start')?.rows ?? 0), w.engine, m);
    });
  }
  return {
    ctx,
    close: async () => {
      await stopSegnoteExtras(ctx);
      await browser.close().catch(() => undefined);
      preview.stop();
    },
  };
}

/** One size on the page: a fresh page, every Segnote workload, and the page's peak memory. */
async function runSegnoteSize(session: SegnoteSession, dataset: Dataset): Promise<void> {
  const { ctx } = session;
  const label = sizeLabel(dataset.rows);
  const sampler = new MemorySampler();
  sampler.start(200);
  let opened: Awaited<ReturnType<typeof openBenchPage>> | null = null;
  try {
    await attempt(`segnote ${label}`, async () => {
      const page = await openBenchPage(ctx.browser, ctx.baseUrl);
      opened = page;
      machine.duckdb_wasm ??= await engineInfo(page.page);
      ctx.page = page.page;
      ctx.dataset = dataset;
      for (const w of segnoteWorkloads.filter((w) => !w.skip && w.scope !== 'sample' && wanted(w))) {
        await attempt(`segnote ${w.workload} ${label}`, async () => record(w.workload, dataset.rows, w.engine, await w.measure(ctx, runsFor(dataset.rows))));
      }
      // Run alone, peak-memory still measures the page with the orders loaded and segmented.
      let segmented = results.some((r) => r.workload === 'rfm' && r.engine === 'segnote' && r.rows === dataset.rows);
      if (wanted({ workload: 'peak-memory' })) {
        await attempt(`segnote peak-memory work ${label}`, async () => {
          segmented = await peakMemoryWork(ctx, wanted({ workload: 'parquet-ingest' }) ? 0 : runsFor(dataset.rows));
        });
      }
      const restart = await engineNotice(page.page);
      if (restart) note(`segnote ${label}: the engine restarted during the run: ${restart}`);
      if (page.errors.length) note(`segnote ${label}: ${page.errors.slice(0, 3).join('; ')}`);
      const hasRfm = segmented;
      const duckdbBytes = await duckdbMemory(page.page);
      sampler.stop();
      if (wanted({ workload: 'peak-memory' })) {
        results.push({
          workload: 'peak-memory',
          rows: dataset.rows,
          engine: 'segnote',
          median_ms: null,
          runs: [],
          peak_rss_bytes: sampler.peakTotal,
          largest_process_rss_bytes: sampler.peakLargest,
          duckdb_memory_bytes: duckdbBytes,
          state: hasRfm ? `${label} orders loaded from CSV, the Parquet loaded and dropped ${runsFor(dataset.rows)} times, ${BENCH_RFM} segmented` : 'the RFM did not complete',
          samples: sampler.samples,
        });
        log(
          `  ${'peak-memory'.padEnd(15)} ${label.padStart(5)} ${'segnote'.padEnd(25)} Chromium RSS sum ${Math.round(sampler.peakTotal / 2 ** 20)} MB ` +
            `(largest process ${Math.round(sampler.peakLargest / 2 ** 20)} MB; DuckDB's own accounting at the end ${duckdbBytes == null ? '?' : Math.round(duckdbBytes / 2 ** 20)} MB)`,
        );
      }
    });
  } finally {
    sampler.stop();
    ctx.page = null;
    ctx.dataset = null;
    const page = opened as { close(): Promise<void> } | null;
    if (page) await page.close().catch(() => undefined);
  }
}

async function runNativeSize(dataset: Dataset): Promise<void> {
  for (const config of NATIVE_CONFIGS) {
    await attempt(`${config.engine} ${sizeLabel(dataset.rows)}`, async () => {
      const db = await openNative(config.threads);
      machine.duckdb_native = db.version;
      if (config.threads === null) machine.duckdb_native_default_threads = db.threads;
      try {
        for (const w of nativeWorkloads(config).filter(wanted)) {
          await attempt(`${w.engine} ${w.workload} ${sizeLabel(dataset.rows)}`, async () =>
            record(w.workload, dataset.rows, w.engine, await w.measure({ conn: db.conn, dataset, threads: db.threads }, runsFor(dataset.rows))),
          );
        }
      } finally {
        db.close();
      }
    });
  }
}

/** The Python entries whose module imports here; a note for each that does not. */
function availablePython(): typeof pythonWorkloads {
  return pythonWorkloads.filter(wanted).filter((w) => {
    if (pythonFor(w.module)) return true;
    note(`${w.engine} reference skipped: no Python here imports ${w.module} (tried ${PYTHON_CANDIDATES.join(', ')}; the benchmark installs nothing).`);
    return false;
  });
}

async function runPythonSize(entries: typeof pythonWorkloads, dataset: Dataset): Promise<void> {
  for (const w of entries) {
    await attempt(`${w.engine} ${w.workload} ${sizeLabel(dataset.rows)}`, async () =>
      record(w.workload, dataset.rows, w.engine, await w.measure({ dataset, log }, runsFor(dataset.rows))),
    );
  }
}

/** Our PCA and rule tree against ml-pca and ml-cart, in Node (see libraries.ts). */
async function runLibrariesSize(dataset: Dataset): Promise<void> {
  if (!wanted({ workload: 'cluster-pca' }) && !wanted({ workload: 'cluster-rules' })) return;
  await attempt(`libraries ${sizeLabel(dataset.rows)}`, async () => {
    for (const r of await measureLibraries({ dataset, log }, runsFor(dataset.rows))) if (wanted(r)) record(r.workload, dataset.rows, r.engine, r.measured);
  });
}

async function main(): Promise<void> {
  log(`Segnote benchmark — sizes ${opts.sizes.map(sizeLabel).join(', ')}, ${opts.runs} runs (${opts.runsLarge} at 10M and up)${opts.quick ? ', quick' : ''}`);
  log(`machine: ${machine.cpus} cores (${machine.cpu}), ${machine.memory_gb} GB, Node ${machine.node}, load average ${(machine.load_at_start as number[]).join(' ')}`);
  log('\nData (test/bench/data/, cached)');
  const datasets: Dataset[] = [];
  for (const rows of opts.sizes) datasets.push(await ensureDataset(rows, log));
  for (const d of datasets) {
    log(`  ${sizeLabel(d.rows).padStart(4)}: ${d.info.customers} customers, CSV ${(d.info.csvBytes / 1e6).toFixed(0)} MB, Parquet ${(d.info.parquetBytes / 1e6).toFixed(0)} MB`);
  }
  // Sizes outermost, engines inside: the figures compared with each other are taken minutes
  // apart, not a whole run apart, which matters on a shared machine whose load changes.
  const python = opts.engines.has('python') ? (log('\nPython references'), availablePython()) : [];
  const segnote = opts.engines.has('segnote') ? await startSegnote() : null;
  try {
    for (const dataset of datasets) {
      log(`\n${sizeLabel(dataset.rows)} orders`);
      if (segnote) await runSegnoteSize(segnote, dataset);
      if (opts.engines.has('native')) await runNativeSize(dataset);
      await runPythonSize(python, dataset);
      if (opts.engines.has('libraries')) await runLibrariesSize(dataset);
    }
  } finally {
    await segnote?.close();
  }

  machine.load_at_end = loadavg().map((l) => Math.round(l * 100) / 100);
  const previous = previousRun();
  const { lines, misses } = compare(results, skipped, opts.sizes, previous);
  log(`\nResults (medians; ratio = Segnote / reference; prev = Segnote in the previous run${previous ? `, ${previous.started}` : ''})\n`);
  log(formatTable(lines));
  log(`\nload average (1, 5, 15 min) at start ${(machine.load_at_start as number[]).join(' ')}, at end ${(machine.load_at_end as number[]).join(' ')} on ${machine.cpus} cores: other work on the machine slows every engine.`);
  for (const [workload, reason] of skipped) log(`${workload}: ${reason}`);
  for (const n of notes) log(`note: ${n}`);
  if (misses.length) {
    log('\nTargets missed:');
    for (const m of misses) log(`  MISS ${m}`);
  } else log('\nNo target that could be checked was missed.');
  const record: RunRecord = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    args: process.argv.slice(2),
    quick: opts.quick,
    machine,
    datasets: datasets.map((d) => d.info),
    notes: [...[...skipped].map(([w, r]) => `${w}: ${r}`), ...notes],
    results,
  };
  // A run of some workloads only keeps latest.json (the last full picture) as it is.
  const files = writeResults(record, opts.workloads === null, formatMarkdown(lines, record));
  log(files.latest ? `\nwrote ${files.latest}\n  and ${files.history}` : `\nwrote ${files.history} (latest.json kept: only some workloads ran)`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
