/** The notebook: its cells, their run state and results, and the operations on them. */
import type { CellRunResult, ColumnInfo } from '../../workers/engine-types';
import { tableToObjects, type PlainValue } from '../lib/arrow-rows';
import { ordersModelOf, ORDERS_READERS, pointAtOrdersModel, type OrdersCell } from '../lib/notebook/cells-orders';
import { checkCellName, defaultRfmRules, moveCell, newCellId, newRfmSpec, nextCellName, type Cell, type CellKind, type NameProblem, type RfmCell } from '../lib/notebook/cells';
import type { RoleProblem } from '../lib/segment/column-roles';
import { chartQuery } from '../lib/plots/chart-query';
import { defaultChartSpec, validateChartSpec, type ChartSpec } from '../lib/plots/chart-spec';
import { t } from '../lib/i18n';
import { hideInternalNames } from '../lib/internal-names';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';
import { dropSelection, RfmInputError, runRfmCell, type RfmResult } from './rfm-run';
import { cellKindRuntime } from './cell-kinds';
import { stableJson } from '../lib/notebook/kept-results';
import { markOnce } from './boot-marks';
import { downstream, graphProblems, renameReference, runOrder, upstreamOf, type CellDeps } from '../lib/notebook/dependencies';

/** Chart data as drawn. */
export interface ChartData {
  spec: ChartSpec;
  rows: Record<string, PlainValue>[];
  shape: string;
  sourceColumns: ColumnInfo[];
}

/** The state of one cell's last run. */
export interface CellRun {
  /** 'cached': a result kept from the previous visit, shown until the live run replaces it (not live: nothing in the engine backs it). */
  status: 'idle' | 'running' | 'done' | 'error' | 'stale' | 'cached';
  result?: CellRunResult;
  chart?: ChartData;
  error?: string;
  /** An RFM cell's results. */
  rfm?: RfmResult;
  /** An RFM cell's problems with its roles and data (errors when it could not run, else warnings and notes). */
  problems?: RoleProblem[];
  /** Results of a registered cell kind (see cell-kinds.ts). */
  output?: unknown;
  /** Progress of a long run of a registered kind. */
  progress?: { fraction: number | null; note?: string };
  /** The cell as this result was computed from (`stableJson`), so a kept result is shown only for the same settings. */
  ranWith?: string;
  /** Bumped on every successful run so result views refetch. */
  version: number;
}

export class NotebookState {
  cells = $state<Cell[]>([]);
  runs = $state<Record<string, CellRun>>({});
  /** A message about the notebook as a whole (e.g. cells a rename could not update). */
  notice = $state<string | null>(null);
  /** Whether stale cells re-run by themselves (the notebook's setting; Library provides it). */
  autoRun: () => boolean = () => true;
  /** Parsed references of SQL text, so the parser runs once per distinct text. */
  #refCache = new Map<string, string[] | null>();
  /** The name under which each SQL or RFM cell's view currently exists in the engine. */
  #viewNames = new Map<string, string>();
  /** The latest run of each cell, so an older run finishing late does not overwrite a newer one. */
  #runSeq = new Map<string, number>();
  #inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: EngineState,
    private readonly tables: TablesState,
  ) {
    engine.onRestart(() => {
      this.#viewNames.clear();
      for (const id of Object.keys(this.runs)) this.#patch(id, { status: 'stale' });
    });
    tables.listen({
      loaded: (report) => void this.#propagate({ tables: [report.table] }),
      removed: (table) => void this.#propagate({ tables: [table] }),
    });
  }

  /** Whether any cell waits to be re-run. */
  get hasStale(): boolean {
    return Object.values(this.runs).some((r) => r.status === 'stale');
  }

  /** Re-runs every stale cell, upstream first. */
  async runStale(): Promise<void> {
    const deps = await this.#deps();
    const stale = Object.entries(this.runs).filter(([, r]) => r.status === 'stale').map(([id]) => id);
    for (const id of runOrder(deps, stale)) await this.#runOne(id);
  }

  /** Replaces all cells (e.g. the starter notebook). */
  load(cells: Cell[]): void {
    this.cells = cells;
    this.runs = {};
    this.#viewNames.clear();
  }

  /** Shows results kept from the previous visit (status 'cached') for cells that have not run yet. */
  showKept(kept: Record<string, CellRun>): void {
    for (const [id, run] of Object.entries(kept)) if (!this.runs[id] && this.cells.some((c) => c.id === id)) this.runs[id] = run;
  }

  /** Whether any cell shows a kept result that no live run has replaced yet. */
  get showsKept(): boolean {
    return Object.values(this.runs).some((r) => r.status === 'cached');
  }

  /** Adds a cell of `kind` after `afterIndex` (default: at the end); returns its id. */
  add(kind: CellKind, afterIndex = this.cells.length - 1): string {
    const name = nextCellName(kind, this.cells, this.tables.tableNames);
    const id = newCellId();
    const base = { id, name };
    const firstTable = this.tables.relations[0];
    const runtime = cellKindRuntime(kind);
    const cell: Cell = runtime
      ? runtime.create(base, this.tables)
      : kind === 'sql'
        ? { ...base, kind, sql: firstTable ? `SELECT *\nFROM "${firstTable.name.replaceAll('"', '""')}"\nLIMIT 100` : 'SELECT 42 AS answer' }
        : kind === 'chart'
          ? { ...base, kind, spec: firstTable ? defaultChartSpec(firstTable.name, firstTable.columns) : { source: '', mark: 'bar', x: null, y: null, color: null, aggregate: 'count' } }
          : kind === 'rfm'
            ? { ...base, kind, spec: newRfmSpec(this.tables.relations), rules: defaultRfmRules() }
            : { ...base, kind: 'notes', text: '' };
    const next = [...this.cells];
    const placed = this.#readModel(cell, next);
    next.splice(afterIndex + 1 + (next.length - this.cells.length), 0, placed);
    this.cells = next;
    return id;
  }

  /**
   * A new analysis cell reads the notebook's orders model; when the notebook has none yet and the
   * loaded tables look like orders, the model is added first (at the top), guessed from them.
   */
  #readModel(cell: Cell, cells: Cell[]): Cell {
    if (!ORDERS_READERS.has(cell.kind)) return cell;
    let model = ordersModelOf(cells);
    if (!model) {
      const runtime = cellKindRuntime('orders');
      if (!runtime) return cell;
      const tableNames = this.tables.tableNames;
      const name = checkCellName('purchases', '', cells, tableNames) ? nextCellName('orders', cells, tableNames) : 'purchases';
      const created = runtime.create({ id: newCellId(), name }, this.tables) as OrdersCell;
      if (!created.spec.source) return cell;
      cells.unshift(created);
      model = created;
    }
    return pointAtOrdersModel(cell, model, this.tables.relations);
  }

  /** Deletes a cell and its result view. */
  async remove(id: string): Promise<void> {
    const view = this.#viewNames.get(id);
    const removed = this.cells.find((c) => c.id === id);
    const wasRfm = removed?.kind === 'rfm';
    this.cells = this.cells.filter((c) => c.id !== id);
    const { [id]: _gone, ...runs } = this.runs;
    this.runs = runs;
    this.#viewNames.delete(id);
    if (wasRfm) await dropSelection(this.engine, id).catch(() => undefined);
    const runtime = removed && cellKindRuntime(removed.kind);
    if (runtime?.remove && removed) await runtime.remove(removed, this.engine).catch(() => undefined);
    if (view) {
      await this.engine.track(this.engine.client.drop(view)).catch(() => undefined);
      await this.tables.refresh();
    }
  }

  /** Moves a cell up (-1) or down (+1). */
  move(id: string, delta: number): void {
    this.cells = moveCell(this.cells, this.cells.findIndex((c) => c.id === id), delta);
  }

  /** Renames a cell; charts reading the old name follow. Returns the problem if the name is refused. */
  async rename(id: string, name: string): Promise<NameProblem | null> {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) return null;
    const trimmed = name.trim();
    if (trimmed === cell.name) return null;
    const problem = checkCellName(trimmed, id, this.cells, this.tables.tableNames);
    if (problem) return problem;
    const old = cell.name;
    cell.name = trimmed;
    const broken: string[] = [];
    for (const c of this.cells) {
      if ((c.kind === 'chart' || c.kind === 'rfm') && c.spec.source.toLowerCase() === old.toLowerCase()) c.spec.source = trimmed;
      cellKindRuntime(c.kind)?.renameSource?.(c, old, trimmed);
      if (c.kind === 'sql' && c.id !== id) {
        const before = await this.#reads(c.sql);
        if (!before?.some((r) => r.toLowerCase() === old.toLowerCase())) continue;
        c.sql = renameReference(c.sql, old, trimmed);
        const after = await this.#reads(c.sql);
        if (after?.some((r) => r.toLowerCase() === old.toLowerCase())) broken.push(c.name);
      }
    }
    this.notice = broken.length ? t('nb.renameBroken', { old, name: trimmed, cells: broken.join(', ') }) : null;
    if (this.#viewNames.has(id)) await this.run(id);
    return null;
  }

  /** Updates a SQL cell's text. */
  setSql(id: string, sql: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind !== 'sql' || cell.sql === sql) return;
    cell.sql = sql;
    const status = this.runs[id]?.status;
    if (status === 'done' || status === 'error') this.#patch(id, { status: 'stale' });
  }

  /** Updates a notes cell's text. */
  setText(id: string, text: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind === 'notes') cell.text = text;
  }

  /** Updates a chart cell's spec. */
  setSpec(id: string, spec: ChartSpec): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind === 'chart') cell.spec = spec;
  }

  /** Replaces a registered-kind cell's settings (any fields but id, name and kind). */
  setCell(id: string, patch: Record<string, unknown>): void {
    const cell = this.cells.find((c) => c.id === id) as Record<string, unknown> | undefined;
    if (!cell) return;
    for (const [k, v] of Object.entries(patch)) if (k !== 'id' && k !== 'name' && k !== 'kind') cell[k] = v;
  }

  /** Updates an RFM cell's settings, rule table, model and/or 8-type settings. */
  setRfm(id: string, patch: Partial<Pick<RfmCell, 'spec' | 'rules' | 'model' | 'types'>>): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind !== 'rfm') return;
    if (patch.spec) cell.spec = patch.spec;
    if (patch.rules) cell.rules = patch.rules;
    if (patch.model) cell.model = patch.model;
    if (patch.types) cell.types = patch.types;
  }

  /** Runs one cell, then marks (and, with auto-run, re-runs) the cells downstream of it. */
  async run(id: string): Promise<void> {
    await this.#runUpstream(id);
    await this.#runOne(id);
    if (this.runs[id]?.status === 'done') await this.#propagate({ cellIds: [id] });
  }

  /** Runs the cells `id` reads (transitively) that have not run yet, upstream first: a new cell can read a model added with it. */
  async #runUpstream(id: string): Promise<void> {
    const deps = await this.#deps();
    const up = upstreamOf(deps);
    const need = new Set<string>();
    const visit = (cid: string) => {
      for (const u of up.get(cid) ?? []) {
        if (need.has(u)) continue;
        need.add(u);
        visit(u);
      }
    };
    visit(id);
    for (const cid of runOrder(deps, need)) {
      const status = this.runs[cid]?.status;
      if (!status || status === 'idle' || status === 'cached') await this.#runOne(cid);
    }
  }

  async #runOne(id: string): Promise<void> {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell || cell.kind === 'notes') return;
    const cycle = await this.#cycleThrough(id);
    if (cycle) {
      this.#patch(id, { status: 'error', error: t('nb.cycle', { cycle }) });
      return;
    }
    const seq = (this.#runSeq.get(id) ?? 0) + 1;
    this.#runSeq.set(id, seq);
    this.#patch(id, { status: 'running', error: undefined });
    const ranWith = stableJson($state.snapshot(cell));
    // One run per cell at a time (issue 14): a run waits for the one in flight, whose scratch
    // tables and view it would otherwise replace, and only the latest of the waiting runs goes on.
    const previous = this.#inFlight.get(id);
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.#inFlight.set(id, mine);
    try {
      if (previous) await previous;
      if (this.#runSeq.get(id) !== seq) return;
      const runtime = cellKindRuntime(cell.kind);
      if (runtime) {
        const out = await runtime.run($state.snapshot(cell) as Cell, {
          engine: this.engine,
          tables: this.tables,
          previousView: this.#viewNames.get(id),
          isCurrent: () => this.#runSeq.get(id) === seq,
          progress: (fraction, note) => this.#patch(id, { progress: { fraction, note } }),
        });
        if (this.#runSeq.get(id) !== seq) return;
        if (out.view) this.#viewNames.set(id, out.view);
        else this.#viewNames.delete(id);
        this.#done(id, ranWith, { output: out.output, progress: undefined });
        if (out.view) await this.tables.refresh();
      } else if (cell.kind === 'rfm') {
        const relation = this.tables.relations.find((r) => r.name.toLowerCase() === cell.spec.source.toLowerCase());
        const rfm = await runRfmCell(this.engine, $state.snapshot(cell) as RfmCell, {
          relation,
          dataKey: relation ? `${relation.kind}:${this.tables.rowCounts[relation.name.toLowerCase()] ?? ''}` : '',
          previousView: this.#viewNames.get(id),
        });
        this.#viewNames.set(id, rfm.view);
        if (this.#runSeq.get(id) !== seq) return;
        this.#done(id, ranWith, { rfm, problems: rfm.problems });
        await this.tables.refresh();
      } else if (cell.kind === 'sql') {
        const result = await this.engine.track(this.engine.client.runCell(cell.name, cell.sql, this.#viewNames.get(id)));
        if (result.kind === 'rows') this.#viewNames.set(id, cell.name);
        else this.#viewNames.delete(id);
        this.#done(id, ranWith, { result });
        await this.tables.refresh();
      } else if (cell.kind === 'chart') {
        const chart = await this.#chartData(cell.spec);
        this.#done(id, ranWith, { chart });
      }
    } catch (e) {
      if (this.#runSeq.get(id) !== seq) return;
      const problems = e instanceof RfmInputError ? e.problems : undefined;
      this.#patch(id, { status: 'error', error: hideInternalNames(e instanceof Error ? e.message : String(e)), problems, rfm: undefined, progress: undefined });
    } finally {
      release();
      if (this.#inFlight.get(id) === mine) this.#inFlight.delete(id);
    }
  }

  /** Runs every cell, each after the cells it reads (notebook order otherwise). */
  async runAll(): Promise<void> {
    const deps = await this.#deps();
    const ids = this.cells.filter((c) => c.kind !== 'notes').map((c) => c.id);
    const ordered = runOrder(deps, ids);
    for (const id of [...ordered, ...ids.filter((i) => !ordered.includes(i))]) await this.#runOne(id);
  }

  /** Marks the cells downstream of a change stale, and re-runs them in order when auto-run is on. */
  async #propagate(changed: { cellIds?: string[]; tables?: string[] }): Promise<void> {
    const deps = await this.#deps();
    // A kept result is not live: it waits for its own run, not for a change upstream.
    const affected = [...downstream(deps, changed)].filter((id) => this.runs[id] && this.runs[id].status !== 'idle' && this.runs[id].status !== 'cached');
    if (affected.length === 0) return;
    for (const id of affected) this.#patch(id, { status: 'stale' });
    if (!this.autoRun()) return;
    for (const id of runOrder(deps, affected)) if (this.runs[id]?.status === 'stale') await this.#runOne(id);
  }

  /** What each cell provides and reads. */
  async #deps(): Promise<CellDeps[]> {
    const out: CellDeps[] = [];
    for (const c of this.cells) {
      const runtime = cellKindRuntime(c.kind);
      let reads: string[] | null = [];
      let provides: string | null = null;
      if (c.kind === 'sql') {
        reads = await this.#reads(c.sql);
        provides = this.#viewNames.get(c.id) ?? c.name;
      } else if (c.kind === 'chart') reads = [c.spec.source];
      else if (c.kind === 'rfm') {
        reads = [c.spec.source];
        provides = this.#viewNames.get(c.id) ?? c.name;
      } else if (runtime) {
        reads = runtime.reads(c);
        provides = this.#viewNames.get(c.id) ?? c.name;
      }
      out.push({ id: c.id, provides, reads });
    }
    return out;
  }

  async #reads(sql: string): Promise<string[] | null> {
    if (!this.#refCache.has(sql)) this.#refCache.set(sql, await this.engine.client.references(sql).catch(() => null));
    return this.#refCache.get(sql) ?? null;
  }

  /** "a → b → a" when the cell is part of a cycle of cells reading each other, else null. */
  async #cycleThrough(id: string): Promise<string | null> {
    const deps = await this.#deps();
    const cycle = graphProblems(deps, []).cycles.find((c) => c.includes(id));
    if (!cycle) return null;
    const name = (cid: string) => this.cells.find((c) => c.id === cid)?.name ?? cid;
    return [...cycle, cycle[0]].map(name).join(' → ');
  }

  async #chartData(spec: ChartSpec): Promise<ChartData> {
    if (!spec.source) throw new Error(t('chart.pickSource'));
    const source = this.tables.relations.find((r) => r.name.toLowerCase() === spec.source.toLowerCase());
    if (!source) throw new Error(t('chart.sourceMissing', { name: spec.source }));
    const problem = validateChartSpec(spec, source.columns);
    if (problem) throw new Error(problem);
    const q = chartQuery({ ...spec, source: source.name }, source.columns);
    const { table } = await this.engine.track(this.engine.client.query(q.sql));
    return { spec: { ...spec }, rows: tableToObjects(table), shape: q.shape, sourceColumns: source.columns };
  }

  /** A successful run: its outputs, the cell as it ran, a new version (result views refetch), and the first-result boot mark. */
  #done(id: string, ranWith: string, outputs: Partial<CellRun>): void {
    this.#patch(id, { ...outputs, status: 'done', ranWith, version: (this.runs[id]?.version ?? 0) + 1 });
    markOnce('segnote:first-result');
  }

  #patch(id: string, patch: Partial<CellRun>): void {
    const prev = this.runs[id] ?? { status: 'idle', version: 0 };
    this.runs[id] = { ...prev, ...patch };
  }
}
