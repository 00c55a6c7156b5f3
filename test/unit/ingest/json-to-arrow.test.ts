import { tableFromIPC, type Table } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { createNodeBindings } from '../../../workers/duckdb-node';
import { findJsonErrorOffset, jsonToArrowIPC } from '../../../workers/ingest/json-to-arrow';

/** Rows as plain objects, and `column: Arrow type` pairs, of a conversion's IPC stream. */
function decode(ipc: Uint8Array): { table: Table; rows: Record<string, unknown>[]; types: Record<string, string> } {
  const table = tableFromIPC(ipc);
  const rows = table.toArray().map((r) => ({ ...(r.toJSON() as Record<string, unknown>) }));
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  return { table, rows, types };
}

/** The IngestError a conversion throws. */
function ingestError(text: string, fileName = 'orders.json'): Error {
  try {
    jsonToArrowIPC(text, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe('IngestError');
    return e as Error;
  }
  throw new Error('expected an IngestError');
}

describe('accepted shapes', () => {
  test('an array of objects, with one type per column', () => {
    const text = JSON.stringify([
      { id: 1, amount: 12.5, vip: true, city: 'Berlin' },
      { id: 2, amount: 3, vip: false, city: 'Paris' },
    ]);
    const { ipc, rows, columns } = jsonToArrowIPC(text, 'orders.json');
    expect(rows).toBe(2);
    expect(columns).toEqual(['id', 'amount', 'vip', 'city']);
    const out = decode(ipc);
    expect(out.types).toEqual({ id: 'Int64', amount: 'Float64', vip: 'Bool', city: 'Utf8' });
    expect(out.rows).toEqual([
      { id: 1n, amount: 12.5, vip: true, city: 'Berlin' },
      { id: 2n, amount: 3, vip: false, city: 'Paris' },
    ]);
  });

  test('an object wrapping one array of objects, beside other properties', () => {
    const text = '{"total": 2, "meta": {"page": 1}, "data": [{"a": 1}, {"a": 2}], "tags": ["x"]}';
    const result = jsonToArrowIPC(text, 'api.json');
    expect(result.rows).toBe(2);
    expect(decode(result.ipc).rows).toEqual([{ a: 1n }, { a: 2n }]);
  });

  test('a single object is one row', () => {
    const { rows, ipc } = jsonToArrowIPC('{"name": "Ann", "tags": ["a", "b"]}', 'one.json');
    expect(rows).toBe(1);
    expect(decode(ipc).rows).toEqual([{ name: 'Ann', tags: '["a","b"]' }]);
  });

  test('NDJSON with blank lines, CRLF and a leading BOM', () => {
    const text = '\ufeff{"id": 1, "city": "北京"}\r\n\r\n{"id": 2, "city": "上海"}\r\n   \n{"id": 3}\n';
    const { rows, ipc, columns } = jsonToArrowIPC(text, 'events.ndjson');
    expect(rows).toBe(3);
    expect(columns).toEqual(['id', 'city']);
    expect(decode(ipc).rows).toEqual([
      { id: 1n, city: '北京' },
      { id: 2n, city: '上海' },
      { id: 3n, city: null },
    ]);
  });

  test('Chinese keys and values survive', () => {
    const text = '[{"客户编号": "C001", "实付金额": 128.5, "城市": "广州市天河区"}, {"客户编号": "C002", "实付金额": 86, "城市": "深圳，南山"}]';
    const { ipc, columns } = jsonToArrowIPC(text, '订单.json');
    expect(columns).toEqual(['客户编号', '实付金额', '城市']);
    expect(decode(ipc).rows).toEqual([
      { 客户编号: 'C001', 实付金额: 128.5, 城市: '广州市天河区' },
      { 客户编号: 'C002', 实付金额: 86, 城市: '深圳，南山' },
    ]);
  });
});

describe('column types', () => {
  test('union of keys in first-seen order; missing and null values are null', () => {
    const { ipc, columns } = jsonToArrowIPC('[{"b": 1}, {"a": "x", "b": null}, {"c": true}]', 'f.json');
    expect(columns).toEqual(['b', 'a', 'c']);
    expect(decode(ipc).rows).toEqual([
      { b: 1n, a: null, c: null },
      { b: null, a: 'x', c: null },
      { b: null, a: null, c: true },
    ]);
  });

  test('nulls land in the right rows across validity-bitmap bytes', () => {
    const records = Array.from({ length: 21 }, (_, i) =>
      i % 3 === 0 ? {} : { i, x: i / 2, b: i % 2 === 0, s: `客户${i}` },
    );
    const rows = decode(jsonToArrowIPC(JSON.stringify(records), 'f.json').ipc).rows;
    expect(rows).toEqual(
      records.map((r, i) => (i % 3 === 0 ? { i: null, x: null, b: null, s: null } : { ...r, i: BigInt(i) })),
    );
  });

  test('integers with any fraction become Float64; integers beyond 2^53 too', () => {
    const text = '[{"n": 1, "big": 9007199254740993, "neg": -7}, {"n": 2.5, "big": 1, "neg": 0}]';
    const out = decode(jsonToArrowIPC(text, 'f.json').ipc);
    expect(out.types).toEqual({ n: 'Float64', big: 'Float64', neg: 'Int64' });
    expect(out.rows[0]).toEqual({ n: 1, big: 9007199254740992, neg: -7n });
  });

  test('mixed types become Utf8 with numbers and booleans as text', () => {
    const text = '[{"zip": "01234"}, {"zip": 12345}, {"zip": true}, {"zip": 1.5}, {"zip": {"x": 1}}, {"zip": null}]';
    const out = decode(jsonToArrowIPC(text, 'f.json').ipc);
    expect(out.types).toEqual({ zip: 'Utf8' });
    expect(out.rows.map((r) => r.zip)).toEqual(['01234', '12345', 'true', '1.5', '{"x":1}', null]);
  });

  test('nested objects and arrays become JSON text; an all-null column is Utf8', () => {
    const text = '[{"addr": {"city": "北京", "zip": [100, 101]}, "none": null}, {"addr": [], "none": null}]';
    const out = decode(jsonToArrowIPC(text, 'f.json').ipc);
    expect(out.types).toEqual({ addr: 'Utf8', none: 'Utf8' });
    expect(out.rows).toEqual([
      { addr: '{"city":"北京","zip":[100,101]}', none: null },
      { addr: '[]', none: null },
    ]);
  });

  test('a key missing from a row does not read the object prototype (toString, __proto__)', () => {
    const text = '[{"toString": "a", "__proto__": 1}, {"other": 2}]';
    const result = jsonToArrowIPC(text, 'f.json');
    expect(result.columns).toEqual(['toString', '__proto__', 'other']);
    const col = (name: string) => [...decode(result.ipc).table.getChild(name)!];
    expect(col('toString')).toEqual(['a', null]);
    expect(col('__proto__')).toEqual([1n, null]);
  });

  test('keys equal but for case, and empty keys, get names DuckDB accepts', () => {
    expect(jsonToArrowIPC('[{"id": 1, "ID": 2, "": 3, "Id": 4}]', 'f.json').columns).toEqual(['id', 'ID_1', 'column2', 'Id_2']);
  });
});

describe('errors name the file, and the line and column of a syntax error', () => {
  test('unexpected token (Node 20 gives no position: we locate it)', () => {
    const text = '[\n  {"客户编号": "C001", "金额": 12.5},\n  {"客户编号": "C002", "金额": x}\n]';
    // Counted by hand: the x is the 26th character of line 3.
    expect(ingestError(text).message).toMatch(/^orders\.json: invalid JSON at line 3, column 26: /);
  });

  test('a trailing comma (V8 gives a position)', () => {
    expect(ingestError('[{"a":1},\n{"a":2,}]').message).toMatch(/^orders\.json: invalid JSON at line 2, column 8: /);
  });

  test('unexpected end points just after the last content', () => {
    expect(ingestError('[{"a":1},\n{"a":2}\n\n').message).toMatch(/at line 2, column 8/);
  });

  test('the reason is kept but not the quoted source text', () => {
    const message = ingestError(`{"a": nope${' '.repeat(500)}}`).message;
    expect(message).toMatch(/^orders\.json: invalid JSON at line 1, column 7: Unexpected token/);
    expect(message.length).toBeLessThan(200);
  });

  test('NDJSON reports the line of the bad record', () => {
    const text = '{"id": 1}\n\n{"id": 2}\n{"id": 3,,}\n{"id": 4}\n';
    // Line 4 is `{"id": 3,,}`: the second comma is its 10th character.
    expect(ingestError(text, 'events.jsonl').message).toMatch(/^events\.jsonl: invalid JSON at line 4, column 10: /);
    expect(ingestError('{"id": 1}\n[1, 2]\n', 'events.jsonl').message).toBe(
      'events.jsonl: line 2 is an array, not a JSON object.',
    );
  });

  test('no records', () => {
    expect(ingestError('[]').message).toBe('orders.json: contains no records.');
    expect(ingestError('{"data": []}').message).toBe('orders.json: contains no records.');
    expect(ingestError('  \n').message).toMatch(/^orders\.json: contains no records/);
    expect(ingestError('[{}, {}]').message).toMatch(/^orders\.json: contains no records/);
  });

  test('records that are not objects, and ambiguous wrappers', () => {
    expect(ingestError('[{"a": 1}, 2]').message).toBe('orders.json: expected an array of objects, but item 2 of the array is a number.');
    expect(ingestError('"hello"').message).toBe('orders.json: expected an array of objects, found a string.');
    expect(ingestError('{"a": [{"x": 1}], "b": [{"y": 2}]}').message).toBe(
      'orders.json: holds several arrays of objects ("a", "b"); expected one.',
    );
  });
});

describe('findJsonErrorOffset', () => {
  test('valid JSON has no error', () => {
    for (const s of ['0', ' [] ', '{"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n\\"",{}]}', '"北京"', '[[],[{}]]']) {
      expect(findJsonErrorOffset(s), s).toBe(-1);
    }
  });

  test('agrees with the positions V8 reports', () => {
    const broken = ['[1,]', '{"a" 1}', '{"a":1,}', '[1 2]', '{"a":01}', '[1]]', '{"a":"x\ny"}', '["\\x"]', '{,}', '[tru]'];
    for (const s of broken) {
      let position = -1;
      try {
        JSON.parse(s);
      } catch (e) {
        const m = /position (\d+)/.exec((e as Error).message);
        if (m) position = Number(m[1]);
      }
      if (position >= 0) expect(findJsonErrorOffset(s), s).toBe(position);
      else expect(findJsonErrorOffset(s), s).toBeGreaterThanOrEqual(0);
    }
  });
});

test('DuckDB-WASM loads the IPC stream with BIGINT, DOUBLE, BOOLEAN and VARCHAR columns', async () => {
  const text =
    '{"客户编号": "C001", "订单数": 3, "实付金额": 128.5, "会员": true, "地址": {"城市": "北京"}}\n' +
    '{"客户编号": "C002", "订单数": 1, "实付金额": 86, "会员": false, "地址": null}\n';
  const { ipc } = jsonToArrowIPC(text, 'customers.ndjson');

  const db = await createNodeBindings();
  const conn = db.connect();
  const query = (sql: string) =>
    tableFromIPC(conn.useUnsafe((b, c) => b.runQuery(c, sql)))
      .toArray()
      .map((r) => ({ ...(r.toJSON() as Record<string, unknown>) }));
  query('SET autoload_known_extensions=false');
  conn.useUnsafe((b, c) => b.insertArrowFromIPCStream(c, ipc, { name: 't', create: true }));

  expect(query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`)).toEqual([
    { column_name: '客户编号', data_type: 'VARCHAR' },
    { column_name: '订单数', data_type: 'BIGINT' },
    { column_name: '实付金额', data_type: 'DOUBLE' },
    { column_name: '会员', data_type: 'BOOLEAN' },
    { column_name: '地址', data_type: 'VARCHAR' },
  ]);
  expect(query('SELECT * FROM t ORDER BY 客户编号')).toEqual([
    { 客户编号: 'C001', 订单数: 3n, 实付金额: 128.5, 会员: true, 地址: '{"城市":"北京"}' },
    { 客户编号: 'C002', 订单数: 1n, 实付金额: 86, 会员: false, 地址: null },
  ]);
  expect(query('SELECT sum(订单数)::INTEGER AS n, sum(实付金额) AS total FROM t WHERE 会员 OR NOT 会员')).toEqual([{ n: 4, total: 214.5 }]);
});
