import { mount } from 'svelte';
import App from './components/App.svelte';
import { EngineState } from './state/engine.svelte';
import { NotebookState } from './state/notebook.svelte';
import { TablesState } from './state/tables.svelte';
import { fetchSample } from './state/sample';
import { starterNotebook } from './lib/notebook/starter';
import './app.css';

const engine = new EngineState(() => new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'segnote-engine' }));
const tables = new TablesState(engine);
const notebook = new NotebookState(engine, tables);
notebook.load(starterNotebook());

// The benchmark and debugging drive the page's own engine through this handle (only with ?bench).
if (new URLSearchParams(location.search).has('bench')) {
  (window as unknown as { __segnote: unknown }).__segnote = { engine, tables, notebook };
}

mount(App, { target: document.getElementById('app')!, props: { session: { engine, tables, notebook } } });

async function boot(): Promise<void> {
  if (!(await engine.start())) return;
  try {
    const sample = await fetchSample();
    for (const s of sample) await tables.loadFiles([s.src], { tableName: s.table });
  } catch (e) {
    engine.notice = e instanceof Error ? e.message : String(e);
  }
  await tables.refresh();
  await notebook.runAll();
  document.documentElement.dataset.ready = 'true';
}

void boot();
