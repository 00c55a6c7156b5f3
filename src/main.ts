/**
 * Boot order matters for the first result: the engine worker starts first (DuckDB's wasm takes
 * the longest), the sample files download meanwhile, and the UI bundle loads in parallel.
 */
import { localeState } from './state/locale.svelte';
import { EngineState } from './state/engine.svelte';
import { compileDuckDB } from './engine/duckdb-module';
import { decideSample, fetchSample } from './state/sample';
import { lastOpened } from './state/storage';
import { getLocale } from './lib/i18n';
import { markOnce } from './state/boot-marks';
import { endFirstPaint, forgetFirstPaint, keepFirstPaint, showFirstPaint } from './state/first-paint';
import './app.css';
import './kit.css';

// The interface language first: everything after may word a message.
localeState.init(navigator.languages?.length ? navigator.languages : [navigator.language]);
// DuckDB's wasm starts downloading and compiling now, not once the worker's own script has run.
void compileDuckDB();
/** The last visit's results are on screen (the kept drawing, or the interface showing kept results): whichever is first. */
const keptOnScreen = (at?: number) => markOnce('segnote:kept-results', at);
// A repeat visit shows the notebook as last drawn at once; the interface replaces it when it has opened.
showFirstPaint(keptOnScreen);
const engine = new EngineState(
  () => new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'segnote-engine' }),
  compileDuckDB,
);
// The Chinese sample in a Chinese interface (the locale as it stands when the page starts), unless
// this browser keeps a notebook made over the English one before samples were remembered.
const sample = decideSample(location.search, getLocale(), async () => (await lastOpened()) !== undefined).then(fetchSample);

async function boot(): Promise<void> {
  const [{ mount, tick }, { default: App }, { TablesState }, { NotebookState }, { Library }] = await Promise.all([
    import('svelte'),
    import('./components/App.svelte'),
    import('./state/tables.svelte'),
    import('./state/notebook.svelte'),
    import('./state/library.svelte'),
    // Pluggable cell kinds register themselves on import.
    import('./components/kinds'),
  ]);
  performance.mark('segnote:ui-loaded');
  const tables = new TablesState(engine);
  const notebook = new NotebookState(engine, tables);
  const library = new Library(engine, tables, notebook);
  // The benchmark and debugging drive the page's own engine through this handle (only with ?bench).
  if (new URLSearchParams(location.search).has('bench')) {
    (window as unknown as { __segnote: unknown }).__segnote = { engine, tables, notebook, library };
  }
  mount(App, { target: document.getElementById('app')!, props: { session: { engine, tables, notebook, library } } });
  performance.mark('segnote:ui-mounted');

  // Everything is issued at once: the worker queues engine calls until DuckDB is ready, and the
  // notebook opens from IndexedDB while DuckDB's wasm compiles.
  const started = engine.start().then((ok) => (ok && performance.mark('segnote:engine-ready'), ok));
  // Both sample files are asked for at once: the worker loads them in order without a round trip between.
  const sampleLoaded = sample
    .then(async (files) => {
      await Promise.all(files.map((s) => tables.loadFiles([s.src], { tableName: s.table })));
      performance.mark('segnote:sample-loaded');
    })
    .catch((e: unknown) => {
      engine.notice = e instanceof Error ? e.message : String(e);
    });
  library.onKept = (kept) => (kept ? keepFirstPaint(document.getElementById('app')!, { notebook: kept.id, locale: kept.locale }) : forgetFirstPaint());
  // A repeat visit shows the last visit's results (marked as not live) as soon as the notebook opens.
  const opened = library.init(location.hash, (showsKept) =>
    void tick().then(() => {
      if (showsKept) keptOnScreen();
      endFirstPaint({ id: library.currentId, showsKept });
    }),
  );
  opened.then(
    () => endFirstPaint(),
    () => endFirstPaint(),
  );
  if (!(await started)) return;
  const [, mode] = await Promise.all([sampleLoaded, opened]);
  await tables.refresh();
  performance.mark('segnote:notebook-open');
  if (mode === 'run') await notebook.runAll();
  document.documentElement.dataset.ready = 'true';
  // Offline support starts after the first result, so it never slows the first visit down.
  const [{ registerServiceWorker }, { appUpdate }] = await Promise.all([import('./pwa/register'), import('./state/app-update.svelte')]);
  appUpdate.connect(registerServiceWorker);
}

void boot();
