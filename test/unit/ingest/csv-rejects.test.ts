import { describe, expect, test } from 'vitest';
import { castTarget, castValue, withOptions, withTextColumns } from '../../../workers/ingest/csv-rejects';
import { requoteColumns } from '../../../workers/ingest/load-csv';
import { splitLine, longIntegerColumns } from '../../../workers/ingest/sample-fields';
import { openTestDb } from '../helpers/duckdb';

describe('cast errors', () => {
  test("value and type are read from DuckDB's message", () => {
    const m = `Error when converting column "InvoiceNo". Could not convert string "A563185" to 'BIGINT'`;
    expect(castValue(m)).toBe('A563185');
    expect(castTarget(m)).toBe('BIGINT');
    expect(castValue('something else')).toBeNull();
  });
});

describe('withTextColumns', () => {
  test('re-types only the named columns of a sniffed reader, which DuckDB then reads (issue 13)', async () => {
    const db = await openTestDb();
    const path = db.registerFile('r.csv', new TextEncoder().encode("id,it's,amt\n1,2,3.5\n"));
    const [row] = db.rows(`SELECT Prompt, Columns FROM sniff_csv('${path}')`);
    const prompt = String(row.Prompt).replace(/^FROM /, '').replace(/;$/, '');
    // DuckDB prints the name it's unescaped, so its Prompt is not valid SQL until requoted.
    const columns = [...(row.Columns as Iterable<{ toJSON(): { name: string; type: string } }>)].map((c) => c.toJSON());
    const csv = { delimiter: ',', quote: '', escape: '', hasHeader: true, dateFormat: null, timestampFormat: null, skipRows: 0 };
    const reader = withTextColumns(requoteColumns(prompt, columns, csv), ["it's", 'id']);
    expect(db.rows(`SELECT typeof(id) AS a, typeof("it's") AS b, typeof(amt) AS c FROM ${reader}`)).toEqual([{ a: 'VARCHAR', b: 'VARCHAR', c: 'DOUBLE' }]);
  });

  test('a reader without a column list gets a types override', () => {
    expect(withTextColumns("read_csv('/x.csv', delim=',')", ['a'])).toBe("read_csv('/x.csv', delim=',', types={'a': 'VARCHAR'})");
    expect(withOptions("read_csv('/x.csv')", ['store_rejects=true'])).toBe("read_csv('/x.csv', store_rejects=true)");
  });
});

describe('sample fields', () => {
  test('splitLine honours quotes and doubled quotes', () => {
    expect(splitLine('1,"a, b","say ""hi""",x', ',', '"')).toEqual(['1', 'a, b', 'say "hi"', 'x']);
    expect(splitLine('1;2;3', ';', '"')).toEqual(['1', '2', '3']);
  });

  test('finds columns holding integers of 16 or more digits (a double would round them)', () => {
    const sample = 'id,amount,code\n1234567890123456789,1.5,12\n2,2.5,9999999999999999\n3,3';
    expect(longIntegerColumns(sample, { delimiter: ',', quote: '"', header: true, skip: 0 }, [0, 1, 2])).toEqual([0, 2]);
  });
});
