/**
 * Issue 14: customer-level cells check the grain of their input. grainSql counts rows, rows with
 * an id and distinct ids in DuckDB; the expected counts are computed here with a Set.
 */
import { beforeAll, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { grainSql, repeatsCustomers, type GrainCheck } from '../../../src/lib/segment/grain';
import { literal } from '../../../src/lib/sql/quote';
import { seeded } from './rfm-reference';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

function load(name: string, ids: (string | null)[]): void {
  db.exec(`CREATE TABLE "${name}" ("客户 id" VARCHAR, amount DOUBLE)`);
  if (ids.length) db.exec(`INSERT INTO "${name}" VALUES ${ids.map((id, i) => `(${literal(id)}, ${i})`).join(', ')}`);
}

test('an orders table (ids repeat) is told apart from a customer table (one row each), nulls not counted as customers', () => {
  const rand = seeded(14);
  const orders = Array.from({ length: 5121 }, () => (rand() < 0.01 ? null : `c${Math.floor(rand() * 632)}`));
  load('orders_t', orders);
  const [got] = db.rows(grainSql('orders_t', '客户 id')) as unknown as GrainCheck[];
  const distinct = new Set(orders.filter((x) => x !== null));
  expect(got).toEqual({ rows: 5121, id_rows: orders.filter((x) => x !== null).length, customers: distinct.size });
  expect(repeatsCustomers(got)).toBe(true);

  const customers = [...distinct, null];
  load('customers_t', customers);
  const [one] = db.rows(grainSql('customers_t', '客户 id')) as unknown as GrainCheck[];
  expect(one).toEqual({ rows: distinct.size + 1, id_rows: distinct.size, customers: distinct.size });
  expect(repeatsCustomers(one)).toBe(false);

  load('empty_t', []);
  expect(repeatsCustomers(db.rows(grainSql('empty_t', '客户 id'))[0] as unknown as GrainCheck)).toBe(false);
});
