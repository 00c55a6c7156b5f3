/**
 * The Chromium side of the benchmark: builds the app, serves it with `vite preview`, launches
 * Debian's Chromium the way test/e2e/browser.ts does, and samples the memory of its processes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

const VITE = 'node_modules/vite/bin/vite.js';

/** Builds the app into `outDir` (outside dist/, so a benchmark never disturbs someone's e2e run). */
export function buildApp(outDir: string): void {
  const r = spawnSync(process.execPath, [VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Serves a built app with `vite preview` on a free port; `stop` ends that server by its PID. */
export async function startPreview(outDir: string): Promise<{ baseUrl: string; stop(): void }> {
  const port = await freePort();
  // Started as `node vite.js` so the PID is the server's own (see test/e2e/global-setup.ts).
  const server: ChildProcess = spawn(process.execPath, [VITE, 'preview', '--outDir', outDir, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with ${server.exitCode}`);
    try {
      if ((await fetch(baseUrl)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 200) {
      server.kill('SIGTERM');
      throw new Error(`vite preview did not answer at ${baseUrl}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, stop: () => void server.kill('SIGTERM') };
}

/** Launches headless Chromium with the flags of test/e2e/browser.ts. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The Chromium version string, e.g. "Chromium 138.0.7204.92 built on Debian". */
export function chromiumVersion(): string {
  const r = spawnSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium', ['--version'], { encoding: 'utf8' });
  return (r.stdout || '').trim();
}

/** Resident memory of every Chromium process started by this Node process, in bytes. */
export function chromiumRss(): { total: number; largest: number; processes: number } {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      comm.set(Number(name), stat.slice(stat.indexOf('(') + 1, close));
      parent.set(Number(name), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      /* the process ended meanwhile */
    }
  }
  let total = 0;
  let largest = 0;
  let processes = 0;
  for (const [pid, name] of comm) {
    if (!/chrom/i.test(name)) continue;
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p !== process.pid) continue;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      const rss = m ? Number(m[1]) * 1024 : 0;
      total += rss;
      largest = Math.max(largest, rss);
      processes++;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return { total, largest, processes };
}

/** Samples Chromium's RSS every `intervalMs` until stopped; keeps the peaks. */
export class MemorySampler {
  peakTotal = 0;
  peakLargest = 0;
  samples = 0;
  private timer: NodeJS.Timeout | null = null;

  start(intervalMs = 200): void {
    const sample = () => {
      const m = chromiumRss();
      this.peakTotal = Math.max(this.peakTotal, m.total);
      this.peakLargest = Math.max(this.peakLargest, m.largest);
      this.samples++;
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
