import { expect, test } from 'vitest';
import { openTestDb } from './duckdb';

test('the test database runs SQL in real DuckDB-WASM', async () => {
  const db = await openTestDb();
  expect(db.rows(`SELECT 40 + 2 AS answer, '客户' AS name`)).toEqual([{ answer: 42, name: '客户' }]);
});
