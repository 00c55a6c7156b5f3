/**
 * The reference of Segnote's start-up that any DuckDB-WASM page pays: duckdb-wasm's own documented
 * start alone (test/bench/bare-duckdb/, built with Vite once per benchmark and served by its own
 * `vite preview`), timed from navigation start to its first answer. The compile floor leaves out
 * instantiating DuckDB, running its start-up code and opening a database; this does not.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { startPreview } from './browser';
import { ms } from './workloads';

export interface BareServer {
  baseUrl: string;
  stop(): void;
}

/** Builds the bare page into a temporary folder and serves it. */
export async function startBareDuckDB(): Promise<BareServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'segnote-bare-duckdb-'));
  await build({
    configFile: false,
    root: fileURLToPath(new URL('./bare-duckdb', import.meta.url)),
    base: './',
    logLevel: 'error',
    optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  });
  return startPreview(outDir);
}

/** One start in a fresh profile (`reload`: then a reload in the same profile, its HTTP cache warm): navigation -> SELECT 1 answered. */
export async function bareStartOnce(browser: Browser, baseUrl: string, reload: boolean): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const answered = async () => {
      await page.waitForFunction(() => performance.getEntriesByName('bare:first-result').length > 0 || document.body.dataset.error, null, { timeout: 120_000 });
      const error = await page.evaluate(() => document.body.dataset.error);
      if (error) throw new Error(`bare DuckDB-WASM failed: ${error}`);
      return ms(await page.evaluate(() => performance.getEntriesByName('bare:first-result')[0].startTime));
    };
    await page.goto(baseUrl);
    const first = await answered();
    if (!reload) return first;
    await page.reload();
    return await answered();
  } finally {
    await context.close();
  }
}
