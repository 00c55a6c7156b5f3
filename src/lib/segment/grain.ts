/**
 * The grain of a relation a customer-level cell reads (issue 14): attributes, the segment
 * builder, clusters and compare expect one row per customer. Pointed at an orders table they
 * would count rows as customers ("5,121 customers" for 632); the check counts both first.
 */
import { ident } from '../sql/quote';

/** Rows of a relation, rows with a customer id, and distinct customer ids. */
export interface GrainCheck {
  rows: number;
  id_rows: number;
  customers: number;
}

/** One row (rows, id_rows, customers) counting `relation`'s rows and distinct values of `idColumn`. */
export function grainSql(relation: string, idColumn: string): string {
  const id = ident(idColumn);
  return `SELECT count(*) AS rows, count(${id}) AS id_rows, count(DISTINCT ${id}) AS customers FROM ${ident(relation)}`;
}

/** True when some customer id appears on more than one row: the relation is not one row per customer. */
export function repeatsCustomers(check: GrainCheck): boolean {
  return Number(check.id_rows) > Number(check.customers);
}
