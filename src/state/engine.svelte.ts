/** The engine's status as the page shows it: starting, ready or failed; busy; restart notices. */
import { EngineClient } from '../engine/engine-client';
import { t } from '../lib/i18n';

export class EngineState {
  readonly client: EngineClient;
  status = $state<'starting' | 'ready' | 'failed'>('starting');
  version = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  #busy = $state(0);
  #restartListeners: Array<() => void> = [];

  constructor(createWorker: () => Worker, compiledDuckDB?: () => Promise<WebAssembly.Module | null>) {
    this.client = new EngineClient(createWorker, compiledDuckDB);
    this.client.onRestart = (reason) => {
      this.notice = t('engine.restarted', { reason });
      for (const l of this.#restartListeners) l();
    };
  }

  /** Waits for DuckDB to be ready. */
  async start(): Promise<boolean> {
    try {
      const info = await this.client.info();
      this.version = info.duckdbVersion;
      this.status = 'ready';
      return true;
    } catch (e) {
      this.status = 'failed';
      this.error = t('engine.failed', { message: e instanceof Error ? e.message : String(e) });
      return false;
    }
  }

  /** Whether any operation is running. */
  get busy(): boolean {
    return this.#busy > 0;
  }

  /** Marks the page busy while `work` runs. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work;
    } finally {
      this.#busy--;
    }
  }

  /** Stops the running operation (restarting the engine if it does not stop). */
  async cancel(): Promise<void> {
    await this.client.cancel();
  }

  /** Registers a callback for after a restart (tables reloaded). */
  onRestart(listener: () => void): void {
    this.#restartListeners.push(listener);
  }
}
