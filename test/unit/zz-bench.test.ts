import { test, expect } from 'vitest';
import { openTestDb } from '/work/wt-cn/test/unit/helpers/duckdb';
import { createRandom } from '/work/wt-cn/test/gen/random';
import { randomCnAddress } from '/work/wt-cn/test/gen/cn-addresses';
import { parseCnAddress } from '/work/wt-cn/src/lib/geo/cn-address';
import { cnAddressInputSql, cnAddressPartSql } from '/work/wt-cn/src/lib/geo/cn-address-sql';
test('bench', async () => {
  const db = await openTestDb();
  const r = createRandom(5);
  const addrs = Array.from({ length: 66000 }, () => randomCnAddress(r, 0.1));
  console.log(addrs.slice(0, 30).join('\n'));
  const csv = 'i,addr\n' + addrs.map((a, i) => `${i},"${a.replaceAll('"', '""')}"`).join('\n');
  const p = db.registerFile('a.csv', new TextEncoder().encode(csv));
  db.exec(`CREATE TABLE t AS SELECT * FROM read_csv('${p}', header=true, columns={'i':'INTEGER','addr':'VARCHAR'})`);
  const inp = cnAddressInputSql('addr');
  let t0 = performance.now();
  const rows = db.rows(`SELECT i, ${cnAddressPartSql(inp, 'province')} AS p FROM t ORDER BY i`);
  console.log('province inline ms', performance.now() - t0);
  t0 = performance.now();
  const rows2 = db.rows(`SELECT i, ${cnAddressPartSql('a', 'province')} AS p FROM (SELECT i, ${inp} AS a FROM t) ORDER BY i`);
  console.log('province prepared ms', performance.now() - t0);
  t0 = performance.now();
  const rows3 = db.rows(`SELECT i, ${cnAddressPartSql('a', 'city')} AS c FROM (SELECT i, ${inp} AS a FROM t) ORDER BY i`);
  console.log('city prepared ms', performance.now() - t0, 'sql chars', cnAddressPartSql('a', 'city').length, cnAddressPartSql('a', 'province').length);
  t0 = performance.now();
  const js = addrs.map((a) => parseCnAddress(a));
  console.log('js ms', performance.now() - t0);
  let bad = 0;
  for (let i = 0; i < addrs.length; i++) {
    if ((rows[i].p ?? null) !== js[i].province || (rows3[i].c ?? null) !== js[i].city) { if (bad++ < 10) console.log('MISMATCH', addrs[i], rows[i].p, rows3[i].c, js[i]); }
  }
  console.log('mismatches', bad, 'nulls', js.filter((x) => !x.province).length, 'nocity', js.filter((x) => !x.city).length);
  expect(rows2.length).toBe(66000);
}, 300000);
