/**
 * A Vite build plugin that has the page ask for DuckDB's wasm from its <head>, so the 34 MB
 * download starts with the HTML instead of once the first script has been fetched, parsed and
 * run (a few hundred milliseconds later). `compileDuckDB` then compiles the preloaded response:
 * same URL, same request mode (`fetch()` is CORS, credentials same-origin, as `crossorigin` is).
 */
import type { Plugin } from 'vite';

export function preloadDuckDBWasm(): Plugin {
  return {
    name: 'segnote-preload-duckdb-wasm',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).find((f) => /(^|\/)duckdb-eh-[^/]*\.wasm$/.test(f));
        if (!wasm) throw new Error('segnote-preload-duckdb-wasm: no duckdb-eh wasm in the bundle');
        return [{ tag: 'link', attrs: { rel: 'preload', href: `./${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: '' }, injectTo: 'head' }];
      },
    },
  };
}
