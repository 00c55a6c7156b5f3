/** What the condition-tree editor components share: the columns, the problems and the edits. */
import type { ColumnInfo } from '../../lib/segment/column-kinds';
import type { ConditionProblem, ConditionTree } from '../../lib/segment/conditions';

/** Columns under a heading in the column menu. */
export interface ColumnGroup {
  label: string;
  columns: ColumnInfo[];
}

/** The editor's handle on the tree: passed down through nested groups. */
export interface ConditionEditor {
  columns: ColumnInfo[];
  groups: ColumnGroup[];
  problems: ConditionProblem[];
  /** The as-of date 'within the last N days' counts back from, if known. */
  asOf: string | null;
  replace(path: number[], node: ConditionTree): void;
  remove(path: number[]): void;
  append(path: number[], node: ConditionTree): void;
  /** The most common values of a column (for pick lists); [] when unknown. */
  values(column: string): Promise<string[]>;
}
