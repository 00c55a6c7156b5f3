/** Issue 13: a text column of ambiguous dates turned into dates with a picked format (table details). */
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { DATE_FORMAT_CHOICES, datePreviewSql } from '../../../src/lib/ingest/date-formats';
import { openNodeEngine, source } from '../helpers/node-engine';

const AMBIGUOUS = 'day,amount\n05/03/2024,1\n01/02/2024,2\n12/11/2024 10:30,3\nsoon,4\n';

describe('picking a date format', () => {
  test('the preview shows how values read and counts those that do not', async () => {
    const engine = await openNodeEngine();
    const r = await engine.loadFile(source('amb.csv', AMBIGUOUS));
    expect(r.columns.find((c) => c.name === 'day')?.type).toBe('VARCHAR');
    const rows = tableFromIPC((await engine.query(datePreviewSql(r.table, 'day', '%d/%m/%Y'))).ipc).toArray().map((x) => x.toJSON());
    // Sorted as text; by hand: 01/02 is 1 February, 05/03 is 5 March, 12/11 10:30 is 12 November; "soon" does not read.
    expect(rows.map((x) => [x.value, x.reads_as])).toEqual([
      ['01/02/2024', '2024-02-01 00:00'],
      ['05/03/2024', '2024-03-05 00:00'],
      ['12/11/2024 10:30', '2024-11-12 10:30'],
      ['soon', null],
    ]);
    expect(Number(rows[0].unreadable)).toBe(1);
  });

  test('loading with the pick reads the column as dates, and says so; an unreadable value keeps it text', async () => {
    const engine = await openNodeEngine();
    const clean = AMBIGUOUS.replace('soon,4\n', '');
    const r = await engine.loadFile(source('amb.csv', clean), { dateFormats: { day: '%d/%m/%Y' } });
    expect(r.columns.find((c) => c.name === 'day')?.type).toBe('TIMESTAMP');
    expect(r.notes.find((n) => n.column === 'day')).toMatchObject({ code: 'dates', params: { why: 'ingest.why.picked' } });
    const days = tableFromIPC((await engine.query(`SELECT strftime(day, '%Y-%m-%d') AS d FROM ${r.table} ORDER BY amount`)).ipc).toArray().map((x) => x.toJSON().d);
    expect(days).toEqual(['2024-03-05', '2024-02-01', '2024-11-12']);
    const kept = await engine.loadFile(source('amb2.csv', AMBIGUOUS), { dateFormats: { day: '%d/%m/%Y' } });
    expect(kept.columns.find((c) => c.name === 'day')?.type).toBe('VARCHAR');
    expect(kept.notes.find((n) => n.column === 'day')?.code).toBe('not-converted');
  });

  test('every offered format is valid strptime in DuckDB', async () => {
    const engine = await openNodeEngine();
    for (const f of DATE_FORMAT_CHOICES) await expect(engine.query(`SELECT try_strptime('x', '${f.format}')`)).resolves.toBeTruthy();
  });
});
