/**
 * Issue 14: a Yes/No column keeps the file's words. DuckDB's sniffer types Yes/No (and Y/N, T/F)
 * as BOOLEAN, so a churn column would show true/false the analyst never wrote; true/false
 * columns stay BOOLEAN.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { EngineCore } from '../../../workers/engine-core';
import { wordFlagColumns } from '../../../workers/ingest/sample-fields';
import { openNodeEngine, source } from '../helpers/node-engine';

const layout = { delimiter: ',', quote: '"', header: true, skip: 0 };

describe('wordFlagColumns', () => {
  test('finds the columns whose values are words other than true/false', () => {
    const sample = 'a,b,c\nYes,true,\nNo,FALSE,y\n';
    expect(wordFlagColumns(`${sample}cut`, layout, [0, 1, 2])).toEqual([0, 2]);
  });
});

describe('loading yes/no columns', () => {
  let engine: EngineCore;
  beforeAll(async () => {
    engine = await openNodeEngine();
  }, 60_000);

  test('Yes/No stays text with its words; true/false stays BOOLEAN', async () => {
    const rows = ['id,Churn,Partner,active', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? 'Yes' : 'No'},${i % 2 ? 'Y' : 'N'},${i % 2 === 0}`)];
    const report = await engine.loadFile(source('telco.csv', rows.join('\n') + '\n'), {});
    const types = Object.fromEntries(report.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ Churn: 'VARCHAR', Partner: 'VARCHAR', active: 'BOOLEAN' });
    const [r] = tableFromIPC((await engine.query(`SELECT count(*) FILTER (WHERE Churn = 'Yes')::INT AS yes, list(DISTINCT Partner ORDER BY Partner) AS p FROM "${report.table}"`)).ipc).toArray().map((x) => x.toJSON());
    // i = 0, 3, …, 39: 14 multiples of 3 below 40.
    expect(r.yes).toBe(14);
    expect([...(r.p as Iterable<string>)]).toEqual(['N', 'Y']);
  });
});
