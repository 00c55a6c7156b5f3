import { describe, expect, test } from 'vitest';
import { sniffedReader } from '../../../workers/ingest/load-csv';
import { openTestDb } from '../helpers/duckdb';

describe('sniffedReader', () => {
  test("takes the read_csv call from a real sniff_csv Prompt, so the file is detected only once", async () => {
    const db = await openTestDb();
    const path = db.registerFile('a.csv', new TextEncoder().encode('id,名字,"amt;x"\n1,"张三",3.5\n2,李四,4\n'));
    const [row] = db.rows(`SELECT Prompt FROM sniff_csv('${path}')`);
    const reader = sniffedReader(String(row.Prompt), path);
    expect(reader).toMatch(/^read_csv\('\/segnote\/a\.csv', auto_detect=false, .*columns=\{.*'名字': 'VARCHAR'.*\}\)$/s);
    expect(db.rows(`SELECT * FROM ${reader}`)).toEqual([
      { id: 1, 名字: '张三', 'amt;x': 3.5 },
      { id: 2, 名字: '李四', 'amt;x': 4 },
    ]);
  });

  test('anything else is not trusted', () => {
    expect(sniffedReader("FROM read_csv('/segnote/other.csv', auto_detect=false);", '/segnote/a.csv')).toBeNull();
    expect(sniffedReader('SELECT 1', '/segnote/a.csv')).toBeNull();
  });
});
