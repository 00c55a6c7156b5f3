/**
 * The benchmark's outputs: the printed comparison table with targets, and the results files
 * (results/latest.json, the plain list of figures; results/history/<time>.json, every run with
 * its machine and notes, kept for comparison).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sizeLabel } from './dataset';
import { TARGETS, WORKLOADS, type EngineName, type ResultRow, type Target } from './workloads';

/** Where results are written. */
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const HISTORY_DIR = `${RESULTS_DIR}history/`;

/** Everything a run leaves in its history file. */
export interface RunRecord {
  started: string;
  finished: string;
  args: string[];
  quick: boolean;
  machine: Record<string, unknown>;
  datasets: unknown[];
  notes: string[];
  results: ResultRow[];
}

/** A comparison of Segnote with a reference (or an absolute limit) on one size. */
interface Line {
  workload: string;
  rows: string;
  segnote: string;
  refEngine: string;
  ref: string;
  ratio: string;
  target: string;
  status: string;
  prev: string;
}

const fmtMs = (v: number | null | undefined) => (v == null ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);
const fmtMb = (v: unknown) => (typeof v === 'number' ? `${Math.round(v / 2 ** 20)} MB` : '-');

/** Workloads measured once, on the bundled sample, not per dataset size. */
const SAMPLE_SCOPE = new Set<string>(['cold-start', 'engine-start', 'repeat-visit', 'kept-results']);

function targetFor(workload: string, rows: number, reference: EngineName | null): Target | undefined {
  return TARGETS.find(
    (t) => t.workload === workload && (t.sizes === 'all' || t.sizes.includes(rows)) && (t.kind === 'ratio' ? t.reference === reference : reference === null),
  );
}

/** Segnote medians of the previous run, by workload and rows. */
export function previousRun(): RunRecord | null {
  if (!existsSync(HISTORY_DIR)) return null;
  // Full runs only: a run of some workloads (-partial) lacks most figures.
  const files = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json') && !f.includes('-partial')).sort();
  if (files.length === 0) return null;
  try {
    return JSON.parse(readFileSync(`${HISTORY_DIR}${files[files.length - 1]}`, 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}

/** How far apart two k-means inertias may be, relative to the reference's. */
const KMEANS_INERTIA_TOLERANCE = 0.01;

/** Relative difference of the inertias of two results, when both have one. */
function inertiaGap(seg: ResultRow | undefined, ref: ResultRow | undefined): number | null {
  const a = Number(seg?.inertia);
  const b = Number(ref?.inertia);
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? Math.abs(a - b) / b : null;
}

/** Builds the table lines and the plain-language misses. */
export function compare(results: ResultRow[], skipped: Map<string, string>, sizes: number[], previous: RunRecord | null): { lines: Line[]; misses: string[] } {
  const lines: Line[] = [];
  const misses: string[] = [];
  const prevOf = (workload: string, rows: number) => previous?.results.find((r) => r.workload === workload && r.rows === rows && r.engine === 'segnote');
  for (const workload of WORKLOADS) {
    const sampleScope = SAMPLE_SCOPE.has(workload);
    const rowSet = sampleScope ? [...new Set(results.filter((r) => r.workload === workload).map((r) => r.rows))] : sizes;
    if (sampleScope && rowSet.length === 0) rowSet.push(0);
    for (const rows of rowSet) {
      const seg = results.find((r) => r.workload === workload && r.rows === rows && r.engine === 'segnote');
      const prev = prevOf(workload, rows);
      const isMemory = workload === 'peak-memory';
      const segText = seg ? (isMemory ? fmtMb(seg.peak_rss_bytes) : fmtMs(seg.median_ms)) : skipped.has(workload) ? 'skipped' : 'not run';
      const prevText = prev ? (isMemory ? fmtMb(prev.peak_rss_bytes) : fmtMs(prev.median_ms)) : '-';
      const rowsText = sampleScope ? (rows ? `sample ${sizeLabel(Math.round(rows / 1000) * 1000)}` : 'sample') : sizeLabel(rows);
      const refs = results.filter((r) => r.workload === workload && r.rows === rows && r.engine !== 'segnote');
      // References a target needs but that did not run still get a line, so the gap is visible.
      const wanted = new Set<EngineName>(refs.map((r) => r.engine));
      for (const t of TARGETS) if (t.kind === 'ratio' && t.workload === workload && (t.sizes === 'all' || t.sizes.includes(rows))) wanted.add(t.reference);
      const base = { workload, rows: rowsText, segnote: segText, prev: prevText };
      if (wanted.size === 0) {
        const t = targetFor(workload, rows, null);
        let status = '';
        if (t?.kind === 'absolute') {
          if (!seg || seg.median_ms == null) status = seg ? '' : 'SKIP';
          else if (seg.median_ms <= t.maxMs) status = 'PASS';
          else {
            status = 'MISS';
            misses.push(`${workload} ${rowsText}: Segnote median ${fmtMs(seg.median_ms)}, target ${t.label}.`);
          }
        } else if (t?.kind === 'report') status = seg ? 'REPORT' : 'NOT RUN';
        lines.push({ ...base, refEngine: '-', ref: '-', ratio: '-', target: t?.label ?? '-', status });
        continue;
      }
      for (const engine of wanted) {
        const ref = refs.find((r) => r.engine === engine);
        const t = targetFor(workload, rows, engine);
        // Peak memory compares bytes (peak RSS), every other workload median times.
        const figure = (r: ResultRow | undefined) => (r ? (isMemory ? (typeof r.peak_rss_bytes === 'number' ? r.peak_rss_bytes : null) : r.median_ms) : null);
        const [segFigure, refFigure] = [figure(seg), figure(ref)];
        const ratio = segFigure != null && refFigure ? segFigure / refFigure : null;
        const show = (r: ResultRow | undefined) => (isMemory ? fmtMb(r?.peak_rss_bytes) : fmtMs(r?.median_ms));
        let status = '';
        if (t?.kind === 'ratio') {
          if (!seg) status = 'SKIP';
          else if (!ref) status = 'NO REF';
          else if (ratio !== null && ratio <= t.max) status = 'PASS';
          else {
            status = 'MISS';
            misses.push(`${workload} ${rowsText}: Segnote ${show(seg)} vs ${engine} ${show(ref)} = ${ratio?.toFixed(2)}x, target ${t.label}.`);
          }
        }
        // k-means must also reach the reference's inertia (issue 6: within 1 %).
        const off = inertiaGap(seg, ref);
        if (off !== null && off > KMEANS_INERTIA_TOLERANCE) {
          status = 'MISS';
          misses.push(`${workload} ${rowsText}: inertia ${String(seg!.inertia)} vs ${engine} ${String(ref!.inertia)}, ${(off * 100).toFixed(2)} % apart (at most 1 %).`);
        }
        lines.push({
          ...base,
          refEngine: engine,
          ref: ref ? show(ref) : 'not run',
          ratio: ratio === null ? '-' : `${ratio.toFixed(2)}x`,
          target: t?.label ?? '-',
          status,
        });
      }
    }
  }
  return { lines, misses };
}

/** The table as fixed-width text. */
export function formatTable(lines: Line[]): string {
  const head: Line = {
    workload: 'workload',
    rows: 'rows',
    segnote: 'segnote median',
    refEngine: 'reference engine',
    ref: 'reference median',
    ratio: 'ratio',
    target: 'target',
    status: 'PASS/MISS',
    prev: 'prev segnote',
  };
  const cols: (keyof Line)[] = ['workload', 'rows', 'segnote', 'refEngine', 'ref', 'ratio', 'target', 'status', 'prev'];
  const right = new Set<keyof Line>(['segnote', 'ref', 'ratio', 'prev']);
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...lines].map((l) => l[c].length))])) as Record<keyof Line, number>;
  const row = (l: Line) => cols.map((c) => (right.has(c) ? l[c].padStart(width[c]) : l[c].padEnd(width[c]))).join(' | ').trimEnd();
  const rule = cols.map((c) => '-'.repeat(width[c])).join('-|-');
  return [row(head), rule, ...lines.map(row)].join('\n');
}

/**
 * The table as Markdown for the README (`npm run bench:readme` copies it there): the lines where
 * Segnote ran, headed by when and on what the run was taken.
 */
export function formatMarkdown(lines: Line[], record: Pick<RunRecord, 'started' | 'args' | 'machine'>): string {
  const m = record.machine as { cpus?: number; chromium?: string; load_at_start?: number[]; load_at_end?: number[] };
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    `Run ${record.started.slice(0, 16).replace('T', ' ')} UTC, \`npm run bench${record.args.length ? ` -- ${record.args.join(' ')}` : ''}\`, ${m.cpus ?? '?'} cores, ${m.chromium ?? 'Chromium'}; load average ${m.load_at_start?.[0] ?? '?'} at the start, ${m.load_at_end?.[0] ?? '?'} at the end. Medians; ratio = Segnote / reference, taken in the same run.`,
    '',
    '| workload | orders | Segnote | reference | reference median | ratio | target | status |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const l of lines) {
    if (l.segnote === 'not run' || l.segnote === 'skipped') continue;
    out.push(`| ${[l.workload, l.rows, l.segnote, l.refEngine, l.ref, l.ratio, l.target, l.status ? `**${l.status}**` : ''].map(cell).join(' | ')} |`);
  }
  return out.join('\n');
}

/** Writes results/latest.json (this run's list) and results/history/<started>.json. */
export function writeResults(record: RunRecord, updateLatest = true, markdown?: string): { latest: string | null; history: string } {
  mkdirSync(HISTORY_DIR, { recursive: true });
  const latest = `${RESULTS_DIR}latest.json`;
  const history = `${HISTORY_DIR}${record.started.replace(/[:.]/g, '-')}${record.quick ? '-quick' : ''}${updateLatest ? '' : '-partial'}.json`;
  // One result per line: readable, and a diff between two runs shows which figures moved.
  if (updateLatest) writeFileSync(latest, `[\n${record.results.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`);
  if (updateLatest && markdown) writeFileSync(`${RESULTS_DIR}latest.md`, `${markdown}\n`);
  writeFileSync(history, `${JSON.stringify(record, null, 2)}\n`);
  return { latest: updateLatest ? latest : null, history };
}
