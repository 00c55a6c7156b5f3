/**
 * Issue 13: when sniffing fails, the read-options form shows what each delimiter makes of the
 * first lines and previews a choice. Expected counts are read off the fixtures by hand.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { EngineCore } from '../../../workers/engine-core';
import { layoutPreview, sampleLines, tryDelimiters } from '../../../workers/ingest/csv-layout';
import { gbkEncode } from '../../gen/gbk';
import { openNodeEngine, source } from '../helpers/node-engine';

// Semicolons between fields, commas inside the amounts (a European export), one short line.
const EUROPEAN = ['id;name;amount', '1;Anna;12,50', '2;"Bo; Jr";7,00', '3;Cy', '4;Di;3,25'].join('\r\n') + '\r\n';

describe('sampleLines', () => {
  test('drops a BOM, a cut-off last line and the empty end, but keeps blank lines inside', () => {
    expect(sampleLines('\uFEFFa,b\n1,2\n\n3,4\n5,', false)).toEqual(['a,b', '1,2', '', '3,4']);
    expect(sampleLines('a,b\r\n1,2\r\n', true)).toEqual(['a,b', '1,2']);
    expect(sampleLines('a,b\r1,2', true)).toEqual(['a,b', '1,2']);
  });
});

describe('tryDelimiters', () => {
  test('counts fields per line for each candidate, honouring quotes', () => {
    const lines = sampleLines(EUROPEAN, true);
    const byDelim = Object.fromEntries(tryDelimiters(lines, '"').map((t) => [t.delimiter, [t.fields, t.consistent, t.lines]]));
    // ';' gives 3 fields on 4 of the 5 lines (line 4 "3;Cy" has 2); the quoted "Bo; Jr" stays one field.
    expect(byDelim[';']).toEqual([3, 4, 5]);
    // ',' splits the amounts: "1;Anna;12,50" has 2 fields, as do lines 3 and 5; the header and "3;Cy" have 1.
    expect(byDelim[',']).toEqual([2, 3, 5]);
    expect(byDelim['\t']).toEqual([1, 5, 5]);
  });
});

describe('layoutPreview', () => {
  test('suggests the most consistent delimiter and lists the uneven lines', () => {
    const p = layoutPreview(sampleLines(EUROPEAN, true), { quote: '"', header: true });
    expect(p.suggested).toBe(';');
    expect(p.header).toEqual(['id', 'name', 'amount']);
    expect(p.rows).toEqual([['1', 'Anna', '12,50'], ['2', 'Bo; Jr', '7,00'], ['3', 'Cy'], ['4', 'Di', '3,25']]);
    expect(p.uneven).toEqual([{ line: 4, fields: 2 }]);
  });

  test('a chosen delimiter and no header give numbered columns', () => {
    const p = layoutPreview(sampleLines(EUROPEAN, true), { delimiter: ',', quote: '"', header: false }, 2);
    expect(p.header).toEqual(['column0']);
    expect(p.rows).toEqual([['id;name;amount'], ['1;Anna;12', '50']]);
    expect(p.uneven.map((u) => u.line)).toEqual([2, 3, 5]);
  });
});

describe('EngineCore.previewCsv', () => {
  let engine: EngineCore;
  beforeAll(async () => {
    engine = await openNodeEngine();
  });

  test('decodes a GBK file before splitting it', async () => {
    const bytes = gbkEncode('订单编号|买家会员名|金额\n1001|张三|88.00\n1002|李四|19.90\n');
    const p = await engine.previewCsv(source('gbk.csv', bytes), { quote: '"', header: true });
    expect(p.encoding).toBe('gb18030');
    expect(p.suggested).toBe('|');
    expect(p.header).toEqual(['订单编号', '买家会员名', '金额']);
    expect(p.rows[1]).toEqual(['1002', '李四', '19.90']);
  });
});
