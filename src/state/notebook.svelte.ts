/** The notebook: its cells, their run state and results, and the operations on them. */
import type { CellRunResult, ColumnInfo } from '../../workers/engine-types';
import { tableToObjects, type PlainValue } from '../lib/arrow-rows';
import { checkCellName, defaultRfmRules, moveCell, newCellId, newRfmSpec, nextCellName, type Cell, type CellKind, type NameProblem, type RfmCell } from '../lib/notebook/cells';
import type { RoleProblem } from '../lib/segment/column-roles';
import { chartQuery } from '../lib/plots/chart-query';
import { defaultChartSpec, validateChartSpec, type ChartSpec } from '../lib/plots/chart-spec';
import { t } from '../lib/i18n';
import type { EngineState } from './engine.svelte';
import type { TablesState } from './tables.svelte';
import { dropSelection, RfmInputError, runRfmCell, type RfmResult } from './rfm-run';
import { cellKindRuntime } from './cell-kinds';

/** Chart data as drawn. */
export interface ChartData {
  spec: ChartSpec;
  rows: Record<string, PlainValue>[];
  shape: string;
  sourceColumns: ColumnInfo[];
}

/** The state of one cell's last run. */
export interface CellRun {
  status: 'idle' | 'running' | 'done' | 'error' | 'stale';
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
  /** Bumped on every successful run so result views refetch. */
  version: number;
}

export class NotebookState {
  cells = $state<Cell[]>([]);
  runs = $state<Record<string, CellRun>>({});
  /** The name under which each SQL or RFM cell's view currently exists in the engine. */
  #viewNames = new Map<string, string>();
  /** The latest run of each cell, so an older run finishing late does not overwrite a newer one. */
  #runSeq = new Map<string, number>();

  constructor(
    private readonly engine: EngineState,
    private readonly tables: TablesState,
  ) {
    engine.onRestart(() => {
      this.#viewNames.clear();
      for (const id of Object.keys(this.runs)) this.#patch(id, { status: 'stale' });
    });
  }

  /** Replaces all cells (e.g. the starter notebook). */
  load(cells: Cell[]): void {
    this.cells = cells;
    this.runs = {};
    this.#viewNames.clear();
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
            : { ...base, kind, text: '' };
    const next = [...this.cells];
    next.splice(afterIndex + 1, 0, cell);
    this.cells = next;
    return id;
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
    for (const c of this.cells) {
      if ((c.kind === 'chart' || c.kind === 'rfm') && c.spec.source.toLowerCase() === old.toLowerCase()) c.spec.source = trimmed;
      cellKindRuntime(c.kind)?.renameSource?.(c, old, trimmed);
    }
    if (this.#viewNames.has(id)) await this.run(id);
    return null;
  }

  /** Updates a SQL cell's text. */
  setSql(id: string, sql: string): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind === 'sql') cell.sql = sql;
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

  /** Updates an RFM cell's settings and/or rule table. */
  setRfm(id: string, patch: Partial<Pick<RfmCell, 'spec' | 'rules'>>): void {
    const cell = this.cells.find((c) => c.id === id);
    if (cell?.kind !== 'rfm') return;
    if (patch.spec) cell.spec = patch.spec;
    if (patch.rules) cell.rules = patch.rules;
  }

  /** Runs one cell. */
  async run(id: string): Promise<void> {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell || cell.kind === 'notes') return;
    const seq = (this.#runSeq.get(id) ?? 0) + 1;
    this.#runSeq.set(id, seq);
    this.#patch(id, { status: 'running', error: undefined });
    try {
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
        this.#patch(id, { status: 'done', output: out.output, progress: undefined, version: (this.runs[id]?.version ?? 0) + 1 });
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
        this.#patch(id, { status: 'done', rfm, problems: rfm.problems, version: (this.runs[id]?.version ?? 0) + 1 });
        await this.tables.refresh();
      } else if (cell.kind === 'sql') {
        const result = await this.engine.track(this.engine.client.runCell(cell.name, cell.sql, this.#viewNames.get(id)));
        if (result.kind === 'rows') this.#viewNames.set(id, cell.name);
        else this.#viewNames.delete(id);
        this.#patch(id, { status: 'done', result, version: (this.runs[id]?.version ?? 0) + 1 });
        await this.tables.refresh();
      } else {
        const chart = await this.#chartData(cell.spec);
        this.#patch(id, { status: 'done', chart, version: (this.runs[id]?.version ?? 0) + 1 });
      }
    } catch (e) {
      if (this.#runSeq.get(id) !== seq) return;
      const problems = e instanceof RfmInputError ? e.problems : undefined;
      this.#patch(id, { status: 'error', error: e instanceof Error ? e.message : String(e), problems, rfm: undefined, progress: undefined });
    }
  }

  /** Runs every cell in order. */
  async runAll(): Promise<void> {
    for (const c of [...this.cells]) if (c.kind !== 'notes') await this.run(c.id);
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

  #patch(id: string, patch: Partial<CellRun>): void {
    const prev = this.runs[id] ?? { status: 'idle', version: 0 };
    this.runs[id] = { ...prev, ...patch };
  }
}
