import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { precache } from './src/pwa/precache-plugin';

const blockingBrowser = fileURLToPath(
  new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
);

export default defineConfig({
  // Relative base: the built app works from any sub-path of a static host.
  base: './',
  plugins: [svelte(), precache(fileURLToPath(new URL('./public', import.meta.url)))],
  resolve: {
    // The package's `blocking` export points browsers at a file that does not exist.
    alias: { '@duckdb/duckdb-wasm/blocking-browser': blockingBrowser },
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { port: 4173, strictPort: false },
  test: {
    projects: [
      {
        extends: true,
        // Vitest's default is one worker fewer than the cores: one worker on a two-core CI machine, while
        // the main process idles. Every core works here (the tests do not depend on wall-clock time).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, maxWorkers: '100%' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time, each with its own browser: a file's time is mostly the app starting
          // and cells running in Chromium, which leaves the other core idle half the time.
          maxWorkers: 2,
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
