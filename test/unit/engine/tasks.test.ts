import { expect, test } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { registerTask } from '../../../workers/tasks/registry';
import { CancelledError } from '../../../workers/engine-errors';
import { openNodeEngine } from '../helpers/node-engine';

test('a worker task reads query results as Arrow, stores a result table and reports progress', async () => {
  registerTask('test-double', async (host, args) => {
    const t = await host.query(`SELECT range::DOUBLE AS x FROM range(${(args as { n: number }).n})`);
    const xs = t.getChild('x')!.toArray() as Float64Array;
    host.progress(0.5, 'halfway');
    const doubled = Float64Array.from(xs, (v) => v * 2);
    await host.createTable('doubled', tableToIPC(tableFromArrays({ y: doubled }), 'stream'));
    return { sum: doubled.reduce((a, b) => a + b, 0) };
  });
  const engine = await openNodeEngine();
  const seen: (number | null)[] = [];
  // 2 * (0 + 1 + ... + 9) = 90
  expect(await engine.runTask('test-double', { n: 10 }, (p) => seen.push(p.fraction))).toEqual({ sum: 90 });
  expect(seen).toEqual([0.5]);
  const rows = (await engine.relations()).find((r) => r.name === 'doubled');
  expect(rows?.columns).toEqual([{ name: 'y', type: 'DOUBLE' }]);
  await expect(engine.runTask('no-such-task', {})).rejects.toThrow(/Unknown task "no-such-task"/);
});

test('a long task can be cancelled between chunks', async () => {
  registerTask('test-forever', async (host) => {
    for (;;) {
      await host.yieldToEvents();
      if (host.cancelled()) throw new CancelledError();
    }
  });
  const engine = await openNodeEngine();
  const running = engine.runTask('test-forever', {});
  await new Promise((r) => setTimeout(r, 50));
  engine.cancel();
  await expect(running).rejects.toThrow(/Cancelled/);
});
