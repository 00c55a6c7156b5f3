/**
 * Issue 13: every file of the nasty corpus (test/gen/nasty/corpus.ts) loads with every row kept
 * and the right types, or is refused with a message naming the file (and, for malformed lines,
 * the line and reason) — never a crash, never a hang, and the table loaded before is still there.
 * Expected counts come from how each file was generated, not from the loader.
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, test } from 'vitest';
import type { EngineCore } from '../../../workers/engine-core';
import { NASTY_FILES, type Loads } from '../../gen/nasty/corpus';
import { openNodeEngine, source } from '../helpers/node-engine';

let engine: EngineCore;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return tableFromIPC((await engine.query(sql)).ipc)
    .toArray()
    .map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'bigint') o[k] = Number(v);
        else if (v && typeof v === 'object' && Symbol.iterator in v && typeof v !== 'string') o[k] = [...(v as Iterable<unknown>)].map((x) => (typeof x === 'bigint' ? Number(x) : x));
      }
      return o;
    });
}

beforeAll(async () => {
  engine = await openNodeEngine();
  await engine.loadFile(source('sentinel.csv', 'id,v\n1,a\n2,b\n3,c\n'), { tableName: 'sentinel' });
});

describe('the nasty-files corpus', () => {
  test('has at least 40 files, with unique names', () => {
    expect(NASTY_FILES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(NASTY_FILES.map((f) => f.name)).size).toBe(NASTY_FILES.length);
  });

  test.each(NASTY_FILES.map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const before = (await engine.relations()).map((r) => r.name).sort();
    const load = engine.loadFile(source(file.name, file.bytes()), file.options ?? {});
    if ('refuses' in file.expect) {
      const error = await load.then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error, 'the load should have been refused').not.toBeNull();
      expect(error!.name).toMatch(/^(IngestError|MalformedRowsError|ShortLinesError)$/);
      expect(error!.message.startsWith(`${file.name}`)).toBe(true);
      expect(error!.message).toMatch(file.expect.refuses);
      // Nothing half-made is left behind.
      expect((await engine.relations()).map((r) => r.name).sort()).toEqual(before);
    } else {
      const want: Loads = file.expect;
      const report = await load;
      expect(report.rows).toBe(want.rows);
      if (want.types) {
        const types = Object.fromEntries(report.columns.map((c) => [c.name, c.type]));
        for (const [column, type] of Object.entries(want.types)) expect(`${column}: ${types[column]}`).toBe(`${column}: ${type}`);
      }
      for (const code of want.notes ?? []) expect(report.notes.map((n) => n.code)).toContain(code);
      for (const code of want.warnings ?? []) expect(report.warnings.map((w) => w.code)).toContain(code);
      if (want.skipped !== undefined) expect(report.skipped?.total).toBe(want.skipped);
      for (const check of want.checks ?? []) expect(await rows(check.sql.replaceAll('$t', `"${report.table}"`))).toEqual(check.equals);
      await engine.drop(report.table);
    }
    // The table loaded before every file is still there, whole.
    expect(await rows('SELECT count(*)::INT AS n FROM sentinel')).toEqual([{ n: 3 }]);
    // No prototype was polluted by a hostile key.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);
});
