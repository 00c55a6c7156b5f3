/**
 * The engine core against real DuckDB-WASM in Node: lockdown, cells and views, paging,
 * profiles, and the errors a user sees. Expected values are worked out by hand in comments.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { EngineCore } from '../../../workers/engine-core';
import { openNodeEngine, source } from '../helpers/node-engine';
import { SNIFF_BUFFER_BYTES } from '../../../workers/ingest/load-csv';

const rowsOf = (ipc: Uint8Array) => tableFromIPC(ipc).toArray().map((r) => r.toJSON() as Record<string, unknown>);
const query = async (e: EngineCore, sql: string) => rowsOf((await e.query(sql)).ipc);

let engine: EngineCore;
beforeAll(async () => {
  engine = await openNodeEngine();
});

describe('lockdown', () => {
  test.each([
    [`SELECT * FROM read_csv('/etc/passwd')`, /Permission Error/],
    [`SELECT * FROM read_csv('http://example.com/x.csv')`, /Permission Error|disabled/],
    [`COPY (SELECT 1) TO 'http://example.com/x.csv'`, /Permission Error|disabled/],
    [`LOAD httpfs`, /Permission Error|disabled|Catalog/],
    [`SET enable_external_access = true`, /locked/i],
    [`SET allowed_directories = ['/']`, /locked/i],
  ])('refuses %s', async (sql, message) => {
    await expect(engine.query(sql)).rejects.toThrow(message);
    // and the engine keeps working afterwards
    expect(await query(engine, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('loading CSV', () => {
  test('Chinese headers and values in UTF-8 with BOM load as a table named after the file', async () => {
    const report = await engine.loadFile(source('会员订单 2024.csv', '\ufeff客户编号,订单日期,实付金额\nC1,2024-01-31,10.5\nC2,2024-02-01,20\n'));
    expect(report.table).toBe('会员订单_2024');
    expect(report.rows).toBe(2);
    expect(report.columns).toEqual([
      { name: '客户编号', type: 'VARCHAR' },
      { name: '订单日期', type: 'DATE' },
      { name: '实付金额', type: 'DOUBLE' },
    ]);
    expect(report.csv).toMatchObject({ delimiter: ',', hasHeader: true });
    expect(report.warnings).toEqual([]);
    expect(await query(engine, `SELECT sum("实付金额") AS s FROM "会员订单_2024"`)).toEqual([{ s: 30.5 }]);
  });

  test('a second file with the same name gets a unique table name', async () => {
    const a = await engine.loadFile(source('dup.csv', 'x\n1\n'));
    const b = await engine.loadFile(source('dup.csv', 'x\n2\n'));
    expect([a.table, b.table]).toEqual(['dup', 'dup_2']);
  });

  test('TSV and semicolon files are sniffed', async () => {
    const tsv = await engine.loadFile(source('t.tsv', 'a\tb\n1\tx\n2\ty\n'));
    expect(tsv.csv?.delimiter).toBe('\t');
    expect(tsv.columns.map((c) => c.name)).toEqual(['a', 'b']);
    const semi = await engine.loadFile(source('semi.csv', 'name;amount\n"Smith; J";3\nDoe;4\n'));
    expect(semi.csv?.delimiter).toBe(';');
    // SEMI is a SQL keyword: the table gets a name that works unquoted.
    expect(semi.table).toBe('semi_data');
    expect(await query(engine, `SELECT name FROM ${semi.table} ORDER BY amount`)).toEqual([{ name: 'Smith; J' }, { name: 'Doe' }]);
  });

  test('a file the sniffer reads as one column is read with the delimiter in its header, naming the malformed line (issue 13)', async () => {
    const bad = 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n';
    // Line 3 has four fields: the sniffer gives up on the layout; we retry with "," and name the line.
    await expect(engine.loadFile(source('onecol.csv', bad))).rejects.toThrow(
      /^onecol\.csv, line 3: expected 3 fields but found 4\. The line reads: 4,5,6,7 .*skip malformed rows/,
    );
    // ...and skipping malformed rows loads the other two, listing the skipped line.
    const fixed = await engine.loadFile(source('onecol.csv', bad), { skipBadRows: true });
    expect(fixed.rows).toBe(2);
    expect(fixed.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(fixed.notes.find((n) => n.code === 'rows-skipped')).toMatchObject({ count: 1, params: { line: '3' } });
    // The skipped line is listed with its text and reason, not just counted (issue 13).
    expect(fixed.skipped).toEqual({ total: 1, lines: [{ line: 3, reason: 'TOO MANY COLUMNS', text: '4,5,6,7' }] });
  });

  test('quotes present but not detected are flagged with a fix', async () => {
    const report = await engine.loadFile(source('unterminated.csv', 'a,b\n1,"hello\n2,world\n'));
    expect(report.warnings.map((w) => w.code)).toContain('quotes-ignored');
    expect(report.warnings.find((w) => w.code === 'quotes-ignored')?.fix).toEqual({ quote: '"' });
  });

  test('a value deep in the file that does not fit the sniffed type makes the column text, with a note (issue 13)', async () => {
    const text = 'id,name\n' + Array.from({ length: 30000 }, (_, i) => `${i},n${i}`).join('\n') + '\nfoo,bar\n';
    const report = await engine.loadFile(source('late.csv', text));
    expect(report.rows).toBe(30001);
    expect(report.columns).toEqual([{ name: 'id', type: 'VARCHAR' }, { name: 'name', type: 'VARCHAR' }]);
    expect(report.notes.find((n) => n.code === 'type-widened')).toEqual({
      code: 'type-widened', column: 'id', count: 1, params: { column: 'id', line: '30002', value: 'foo', type: 'BIGINT' },
    });
    expect(await query(engine, `SELECT id FROM ${report.table} WHERE name = 'bar'`)).toEqual([{ id: 'foo' }]);
  });

  test('the sniffer reads a small buffer but still samples past it: a text value 6 MB in, row 15,001, types the column as the full buffer did (issue 16)', async () => {
    // 30,000 rows of ~390 bytes (11.7 MB): row 15,001 of `code` is 'X12', inside the sniffer's
    // 20,480-row sample but past its first buffer (SNIFF_BUFFER_BYTES, 4 MB). Native DuckDB (32 MB buffer) types `code`
    // VARCHAR from the sample, so the load must too, without a widened-type note.
    const pad = 'y'.repeat(380);
    const lines = ['id,code,note'];
    for (let i = 0; i < 30000; i++) lines.push(`${i},${i === 15000 ? 'X12' : i},${pad}`);
    const text = `${lines.join('\n')}\n`;
    expect(text.indexOf('X12')).toBeGreaterThan(SNIFF_BUFFER_BYTES);
    const report = await engine.loadFile(source('wide.csv', text));
    expect(report.rows).toBe(30000);
    expect(report.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'code', type: 'VARCHAR' }, { name: 'note', type: 'VARCHAR' }]);
    expect(report.notes.filter((n) => n.code === 'type-widened')).toEqual([]);
    expect(await query(engine, `SELECT id::INT AS id, code FROM ${report.table} WHERE code = 'X12'`)).toEqual([{ id: 15000, code: 'X12' }]);
  });

  test.each([
    ['empty.csv', '', /^empty\.csv: the file is empty/],
    ['report.xlsx', 'PK\u0003\u0004', /^report\.xlsx: the workbook is damaged or incomplete/],
    ['notes.docx', 'x', /^notes\.docx: \.docx files are not supported/],
    ['image.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]), /^image\.csv: this is not a text file/],
    ['fake.parquet', 'a,b\n1,2\n', /^fake\.parquet: this is not a Parquet file/],
  ])('%s is refused with a message naming the file', async (name, content, message) => {
    await expect(engine.loadFile(source(name, content))).rejects.toThrow(message);
  });

  test('a failed load leaves no half-made table behind', async () => {
    const before = (await engine.relations()).map((r) => r.name);
    const text = 'id,name\n' + Array.from({ length: 25000 }, (_, i) => `${i},n${i}`).join('\n') + '\nfoo,bar,baz\n';
    await expect(engine.loadFile(source('broken.csv', text))).rejects.toThrow(/broken\.csv, line 25002: expected 2 fields but found 3\. The line reads: foo,bar,baz/);
    expect((await engine.relations()).map((r) => r.name)).toEqual(before);
  });
});

describe('cells', () => {
  test('a query cell becomes a view later cells can read, including Chinese names', async () => {
    await engine.loadFile(source('sales.csv', 'city,amount\nShanghai,10.0\nBeijing,5.5\nShanghai,7.0\n'));
    const a = await engine.runCell('城市汇总', 'SELECT city, sum(amount) AS total FROM sales GROUP BY city ORDER BY total DESC');
    expect(a).toMatchObject({ kind: 'rows', rows: 2 });
    expect(a.columns.map((c) => c.name)).toEqual(['city', 'total']);
    // Shanghai 10 + 7 = 17, Beijing 5.5
    expect(await query(engine, 'SELECT * FROM "城市汇总"')).toEqual([{ city: 'Shanghai', total: 17 }, { city: 'Beijing', total: 5.5 }]);
    const b = await engine.runCell('top_city', 'SELECT city FROM "城市汇总" LIMIT 1');
    expect(b.rows).toBe(1);
    const relations = await engine.relations();
    expect(relations.filter((r) => r.kind === 'view').map((r) => r.name).sort()).toEqual(['top_city', '城市汇总'].sort());
    expect(relations.some((r) => r.name.startsWith('__segnote'))).toBe(false);
  });

  test('renaming a cell drops the old view', async () => {
    await engine.runCell('old_name', 'SELECT 1 AS x');
    await engine.runCell('new_name', 'SELECT 1 AS x', 'old_name');
    const names = (await engine.relations()).map((r) => r.name);
    expect(names).toContain('new_name');
    expect(names).not.toContain('old_name');
  });

  test('several statements run in order; the last one is the result', async () => {
    const r = await engine.runCell('multi', "CREATE TABLE helper AS SELECT 41 AS v; -- a comment; with a semicolon\nSELECT v + 1 AS answer FROM helper;");
    expect(r.rows).toBe(1);
    expect(await query(engine, 'SELECT answer FROM multi')).toEqual([{ answer: 42 }]);
  });

  test('DESCRIBE and SUMMARIZE results are kept too', async () => {
    const r = await engine.runCell('described', 'DESCRIBE sales');
    expect(r.rows).toBe(2);
  });

  test('errors carry DuckDB\'s message and leave the engine usable', async () => {
    await expect(engine.runCell('bad', 'SELECT no_such_column FROM sales')).rejects.toThrow(/^Binder Error: Referenced column "no_such_column" not found/);
    await expect(engine.runCell('bad', 'SELEC 1')).rejects.toThrow(/^Parser Error: syntax error at or near "SELEC"/);
    // The error context shows the user's SQL, not our wrapper, with the caret under the culprit.
    const err = await engine.runCell('bad', 'SELECT city, nope FROM sales').catch((e: Error) => e);
    expect((err as Error).message).not.toContain('__segnote');
    const lines = (err as Error).message.split('\n');
    const at = lines.findIndex((l) => l.startsWith('LINE 1:'));
    expect(lines[at]).toBe('LINE 1: SELECT city, nope FROM sales');
    expect(lines[at + 1].indexOf('^')).toBe(lines[at].indexOf('nope'));
    await expect(engine.runCell('empty', '  -- nothing\n')).rejects.toThrow(/The cell is empty/);
    await expect(engine.runCell('sales', 'SELECT 1')).rejects.toThrow(/A table named "sales" already exists/);
    expect(await query(engine, 'SELECT count(*)::INT AS n FROM sales')).toEqual([{ n: 3 }]);
  });

  test('pages of a large result are fetched by offset', async () => {
    const r = await engine.runCell('big', 'SELECT range AS i, range * 2 AS twice FROM range(1000000)');
    expect(r.rows).toBe(1_000_000);
    const page = rowsOf(await engine.fetchRows('big', 500_000, 3));
    expect(page.map((p) => Number(p.i))).toEqual([500_000, 500_001, 500_002]);
    expect(page.map((p) => Number(p.twice))).toEqual([1_000_000, 1_000_002, 1_000_004]);
  });

  test('decimals and big integers are shown exactly', async () => {
    await engine.runCell('exact', 'SELECT 12345678901234567.89::DECIMAL(20,2) AS d, 9007199254740993::BIGINT AS b');
    const [row] = rowsOf(await engine.fetchRows('exact', 0, 1));
    expect(row.d).toBe('12345678901234567.89');
    expect(String(row.b)).toBe('9007199254740993');
  });
});

describe('references', () => {
  test('come from DuckDB\'s parser: subqueries and joins in, CTE names out, quoted Chinese names kept', async () => {
    expect((await engine.references('WITH t AS (SELECT * FROM a) SELECT * FROM t, "客户 表" JOIN b USING (id)'))?.sort()).toEqual(['a', 'b', '客户 表'].sort());
    expect((await engine.references('SELECT * FROM orders o JOIN customers c USING (customer_id, "城市")'))?.sort()).toEqual(['customers', 'orders']);
    expect(await engine.references('SELECT * FROM (SELECT * FROM inner_t) WHERE x IN (SELECT id FROM sub_t); SELECT 1 FROM third')).toEqual(['inner_t', 'sub_t', 'third']);
    expect(await engine.references('SELECT 42')).toEqual([]);
    // A cell's view is reported by the cell's name, not the internal table behind it.
    await engine.runCell('Upstream_Cell', 'SELECT 1 AS v');
    expect(await engine.references('SELECT v FROM Upstream_Cell')).toEqual(['upstream_cell']);
    expect(await engine.references('SELEC broken')).toBeNull();
  });
});

describe('cancel', () => {
  test('a runaway query can be cancelled and the engine keeps its tables', async () => {
    const running = engine.query('WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t) SELECT count(*) FROM t');
    const stop = new Promise<void>((resolve) =>
      setTimeout(() => {
        engine.cancel();
        resolve();
      }, 300),
    );
    await stop;
    await expect(running).rejects.toThrow(/Cancelled/);
    expect(await query(engine, 'SELECT count(*)::INT AS n FROM sales')).toEqual([{ n: 3 }]);
  });
});

describe('profile', () => {
  test('nulls, distinct values, min/max, top values and histogram bins match a hand count', async () => {
    // amount: 1, 2, 2, 3, NULL, 10  -> nulls 1, distinct 4, min 1, max 10
    // histogram over [1, 10] in 20 bins of 0.45: 1 -> bin 0; 2 -> bin 2; 3 -> bin 4; 10 -> bin 19
    await engine.loadFile(source('prof.csv', 'amount,city,day\n1,A,2024-01-01\n2,B,2024-01-02\n2,A,2024-01-02\n3,A,\n,C,2024-01-05\n10,,2024-01-31\n'));
    const [amount, city, day] = await engine.profile('prof');
    expect(amount).toMatchObject({ nulls: 1, distinct: 4, min: '1', max: '10', histogramKind: 'number' });
    expect(amount.histogram).toHaveLength(20);
    expect(amount.histogram.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect([0, 2, 4, 19].map((i) => amount.histogram[i].count)).toEqual([1, 2, 1, 1]);
    expect(amount.histogram[0].x0).toBe(1);
    expect(amount.histogram[19].x1).toBeCloseTo(10);
    expect(city).toMatchObject({ nulls: 1, distinct: 3 });
    expect(city.top).toEqual([{ value: 'A', count: 3 }, { value: 'B', count: 1 }, { value: 'C', count: 1 }]);
    expect(day).toMatchObject({ nulls: 1, distinct: 4, min: '2024-01-01', max: '2024-01-31', histogramKind: 'date' });
    expect(day.histogram[0].x0).toBe(Date.UTC(2024, 0, 1));
  });

  test('a constant column gets one bin', async () => {
    await engine.loadFile(source('const.csv', 'v\n5\n5\n5\n'));
    const [v] = await engine.profile('const');
    expect(v.histogram).toEqual([{ x0: 5, x1: 5, count: 3 }]);
  });
});
