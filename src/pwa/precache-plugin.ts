/**
 * A Vite build plugin that writes the service worker (src/pwa/service-worker.js) into the build
 * with the build's version and the files to keep for offline use: every emitted file except the
 * fallback DuckDB build for browsers without WebAssembly exceptions (modern browsers never load
 * it), plus the public files (samples, manifest, icon) and the page itself.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

function publicFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** The plugin; `publicDir` is the folder Vite copies as it is. */
export function precache(publicDir: string): Plugin {
  return {
    name: 'segnote-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const emitted = Object.keys(bundle).filter((f) => !/duckdb-mvp.*\.wasm$/.test(f) && !f.endsWith('.map'));
      const files = ['./', ...publicFiles(publicDir).map((f) => `./${f}`), ...emitted.map((f) => `./${f}`)];
      // Emitted names carry content hashes; public files keep their names, so their bytes count.
      const hash = createHash('sha256');
      for (const f of [...files].sort()) hash.update(f);
      for (const f of publicFiles(publicDir).sort()) hash.update(readFileSync(join(publicDir, f)));
      const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
      const source = template.replace('__SEGNOTE_VERSION__', hash.digest('hex').slice(0, 12)).replace('__SEGNOTE_PRECACHE__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
