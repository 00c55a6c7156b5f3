/**
 * Built-in RFM names are stored as keys (issue 15): old notebooks with English segment names are
 * migrated to the keys, the same stored notebook shows its segments in English and in Chinese, the
 * SQL writes the names of the current language, and what a user stored under one language (a
 * segment-builder condition "segment = Champions", a compare cell's segment) still matches after
 * the cell ran in the other. The 8-type settings come back from a file as they were.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/duckdb';
import { NOTEBOOK_FORMAT, NOTEBOOK_VERSION, parseNotebook, toDocument, upgradeDocument, type NotebookDoc } from '../../../src/lib/notebook/document';
import { registerSegmentReaders } from '../../../src/lib/notebook/cells-segment-reader';
import { defaultRfmRules, type Cell, type RfmCell } from '../../../src/lib/notebook/cells';
import { refLabel, type CompareCell } from '../../../src/lib/notebook/cells-segment';
import { registerCatalogue, setLocale } from '../../../src/lib/i18n';
import { zhCN } from '../../../src/lib/i18n/zh-CN';
import { builtinKeyOf, builtinText, segmentForms, segmentLabel, segmentMatchSql } from '../../../src/lib/segment/builtin-names';
import { defaultRfmSpec } from '../../../src/lib/segment/rfm-spec';
import { rfmSql, rfmSummarySql } from '../../../src/lib/segment/rfm-sql';
import { defaultRfmTypes, rfmTypesSql } from '../../../src/lib/segment/rfm-types';
import { conditionSql } from '../../../src/lib/segment/conditions';
import { fixtureSql } from '../segment/rfm-reference';

beforeAll(() => {
  registerSegmentReaders();
  registerCatalogue('zh-CN', zhCN);
});
afterAll(() => setLocale('en'));

// A rule table as version 2 saved it: English names, descriptions and actions. Champions is
// untouched; Loyal Customers was renamed "VIP"; Lost still has its issue-14 description; At Risk
// has an action the user wrote.
const V2_RULES = [
  { name: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5], description: 'Bought recently, buy often and spend the most.', action: 'Reward them: early access to new products, loyalty perks; ask for reviews and referrals.' },
  { name: 'VIP', r: [3, 5], f: [3, 5], m: [3, 5], description: 'Buy regularly and spend well; responsive to promotions.', action: 'Upsell higher-value products, enrol in a loyalty programme, ask for reviews.' },
  { name: 'New Customers', r: [5, 5], f: [1, 1], m: [1, 5], description: 'The most recent customers, with the fewest orders.', action: 'Onboard them: welcome series, help with the first use, a reason to come back.' },
  { name: 'Promising', r: [3, 4], f: [1, 1], m: [1, 5], description: 'Fairly recent customers with the fewest orders.', action: 'Build the relationship: free trials, a second-purchase incentive, brand content.' },
  { name: 'Potential Loyalist', r: [4, 5], f: [2, 5], m: [1, 5], description: 'Recent customers with repeat orders, but few of them or little spend (not yet Champions or Loyal Customers).', action: 'Offer membership or a loyalty programme; recommend related products.' },
  { name: 'Need Attention', r: [3, 3], f: [2, 5], m: [1, 5], description: 'Middling recency with repeat orders; slipping from regular to occasional.', action: 'Limited-time offers and recommendations based on past purchases to reactivate them.' },
  { name: "Can't Lose Them", r: [1, 1], f: [4, 5], m: [4, 5], description: 'Used to buy often and spend the most, but not for a long time.', action: 'Win them back with renewals or new products; talk to them; do not lose them to a competitor.' },
  { name: 'At Risk', r: [1, 2], f: [3, 5], m: [3, 5], description: 'Bought often and spent well, but a long time ago.', action: 'Call them this week.' },
  { name: 'About To Sleep', r: [2, 2], f: [1, 5], m: [1, 5], description: 'Below-average recency with few orders or low spend; will be lost if not reactivated.', action: 'Share popular products and a discount; reconnect before they lapse.' },
  { name: 'Hibernating', r: [1, 1], f: [2, 5], m: [1, 5], description: 'Last purchase long ago; repeat orders, but few of them or little spend.', action: 'Offer relevant products and special discounts; otherwise reduce contact cost.' },
  { name: 'Lost', r: [1, 1], f: [1, 1], m: [1, 5], description: 'Bought once, a long time ago.', action: 'Try one reactivation campaign; if it fails, stop spending on them.' },
];
const SPEC = defaultRfmSpec('orders', { customerId: 'c', orderDate: 'd', amount: 'a', orderId: null });
const V2_CELLS = [
  { id: 'r', kind: 'rfm', name: 'rfm', spec: SPEC, rules: V2_RULES },
  {
    id: 'k',
    kind: 'compare',
    name: 'compare_1',
    base: 'customers',
    segments: [
      { kind: 'rfm', view: 'rfm', segment: "Can't Lose Them" },
      { kind: 'rfm', view: 'rfm', segment: 'VIP' },
    ],
  },
];
const v2File = () => JSON.stringify({ format: NOTEBOOK_FORMAT, version: 2, name: 'old', cells: V2_CELLS, settings: { autoRun: true }, tables: [] });

function rfmOf(doc: NotebookDoc): RfmCell {
  const cell = doc.cells.find((c) => c.kind === 'rfm');
  if (cell?.kind !== 'rfm') throw new Error('no RFM cell');
  return cell;
}

describe('migration of notebooks saved with English segment names (version 2 -> 3)', () => {
  test('default names, descriptions (also the issue-14 wording) and actions become keys; what the user changed stays as typed', () => {
    const parsed = parseNotebook(v2File());
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.doc.version).toBe(NOTEBOOK_VERSION);
    const rules = rfmOf(parsed.doc).rules;
    expect(rules.map((r) => r.name)).toEqual([
      'rfm.seg.champions', 'VIP', 'rfm.seg.new', 'rfm.seg.promising', 'rfm.seg.potentialLoyalist', 'rfm.seg.needAttention',
      'rfm.seg.cantLose', 'rfm.seg.atRisk', 'rfm.seg.aboutToSleep', 'rfm.seg.hibernating', 'rfm.seg.lost',
    ]);
    // The renamed rule keeps its default description and action, now as keys.
    expect(rules[1]).toMatchObject({ name: 'VIP', description: 'rfm.segDesc.loyal', action: 'rfm.segAction.loyal' });
    expect(rules[7]).toMatchObject({ description: 'rfm.segDesc.atRisk', action: 'Call them this week.' });
    expect(rules[10].description).toBe('rfm.segDesc.lost');
    // Apart from the user's own words, the migrated table is the default one.
    const defaults = defaultRfmRules();
    expect(rules.map((r, i) => (i === 1 ? { ...r, name: defaults[1].name } : i === 7 ? { ...r, action: defaults[7].action } : r))).toEqual(defaults);
    const compare = parsed.doc.cells.find((c) => c.kind === 'compare') as CompareCell;
    expect(compare.segments).toEqual([
      { kind: 'rfm', view: 'rfm', segment: 'rfm.seg.cantLose' },
      { kind: 'rfm', view: 'rfm', segment: 'VIP' },
    ]);
  });

  test('a notebook stored in this browser by version 2 is upgraded the same way', () => {
    const stored = { format: NOTEBOOK_FORMAT, version: 2, name: 'old', cells: V2_CELLS as unknown as Cell[], settings: { autoRun: true }, tables: [] } as NotebookDoc;
    const parsed = parseNotebook(v2File());
    expect(parsed.ok && upgradeDocument(stored).cells).toEqual(parsed.ok && parsed.doc.cells);
  });

  test('a version-3 notebook is not migrated again: a name the user typed that reads like a default stays text', () => {
    const rules = defaultRfmRules();
    rules[1].name = 'Champions ';
    rules[2].name = 'Lost';
    rules[2].description = 'Bought once, a long time ago.';
    const doc = toDocument('n', [{ id: 'r', kind: 'rfm', name: 'rfm', spec: SPEC, rules }], { autoRun: true }, []);
    const parsed = parseNotebook(JSON.stringify(doc));
    expect(parsed.ok && rfmOf(parsed.doc).rules).toEqual(rules);
  });
});

describe('one stored notebook, two languages', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    // c1 buys often and recently (Champions, R5 F5 M5 among these five); c5 once, long ago (Lost).
    const rows = [
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ c: 'c1', d: `2024-02-${String(20 + i).padStart(2, '0')}`, a: 100 })),
      ...[1, 2, 3, 4].map((i) => ({ c: 'c2', d: `2024-01-${String(10 + i).padStart(2, '0')}`, a: 50 })),
      ...[1, 2].map((i) => ({ c: 'c3', d: `2023-12-${String(10 + i).padStart(2, '0')}`, a: 30 })),
      { c: 'c4', d: '2023-10-01', a: 20 },
      { c: 'c5', d: '2023-03-01', a: 10 },
    ];
    db.exec(fixtureSql('orders', rows));
  });
  afterAll(() => setLocale('en'));

  const parsed = () => {
    const p = parseNotebook(v2File());
    if (!p.ok) throw new Error(p.error);
    return p.doc;
  };

  test('the rule table reads in English and in Chinese; the renamed rule and the user\'s action stay as typed', () => {
    const rules = rfmOf(parsed()).rules;
    setLocale('en');
    expect(rules.map((r) => segmentLabel(r.name)).slice(0, 3)).toEqual(['Champions', 'VIP', 'New Customers']);
    expect(builtinText(rules[0].description)).toBe('Bought recently, buy often and spend the most.');
    setLocale('zh-CN');
    expect(rules.map((r) => segmentLabel(r.name)).slice(0, 3)).toEqual(['冠军客户', 'VIP', '新客户']);
    expect(builtinText(rules[0].description)).toBe('最近有消费，消费频次高，消费金额最高。');
    expect(builtinText(rules[7].action)).toBe('Call them this week.');
    expect(refLabel({ kind: 'rfm', view: 'rfm', segment: 'rfm.seg.cantLose' })).toBe('rfm: 不能失去的客户');
    setLocale('en');
    expect(refLabel({ kind: 'rfm', view: 'rfm', segment: 'rfm.seg.cantLose' })).toBe("rfm: Can't Lose Them");
  });

  test('the SQL writes the names of the current language, and the summary follows', () => {
    const rules = rfmOf(parsed()).rules;
    setLocale('zh-CN');
    db.exec(`CREATE OR REPLACE TABLE rfm_zh AS ${rfmSql({ ...SPEC, asOf: '2024-03-01' }, rules)}`);
    const zh = db.rows('SELECT customer_id, segment FROM rfm_zh ORDER BY customer_id');
    expect(zh.find((r) => r.customer_id === 'c1')?.segment).toBe('冠军客户');
    expect(zh.find((r) => r.customer_id === 'c5')?.segment).toBe('已流失客户');
    const summary = db.rows(rfmSummarySql('rfm_zh', rules));
    expect(summary.map((r) => r.segment).slice(0, 3)).toEqual(['冠军客户', 'VIP', '新客户']);
    expect(summary.reduce((s, r) => s + (r.customers as number), 0)).toBe(5);
    setLocale('en');
    db.exec(`CREATE OR REPLACE TABLE rfm_en AS ${rfmSql({ ...SPEC, asOf: '2024-03-01' }, rules)}`);
    const en = db.rows('SELECT customer_id, segment FROM rfm_en ORDER BY customer_id');
    expect(en.map((r) => r.customer_id)).toEqual(zh.map((r) => r.customer_id));
    expect(en.find((r) => r.customer_id === 'c1')?.segment).toBe('Champions');
    expect(en.find((r) => r.customer_id === 'c5')?.segment).toBe('Lost');
    // The 8 types likewise.
    setLocale('zh-CN');
    const typed = db.rows(`SELECT segment FROM (${rfmTypesSql({ ...SPEC, asOf: '2024-03-01' }, defaultRfmTypes())}) WHERE customer_id = 'c1'`);
    expect(typed[0].segment).toBe('重要价值客户');
    setLocale('en');
  });

  test('"segment = Champions" saved in English still matches after the cell ran in Chinese, and 冠军客户 in English', () => {
    const columns = [{ name: 'customer_id', type: 'VARCHAR' }, { name: 'segment', type: 'VARCHAR' }];
    const count = (table: string, where: string) => db.rows(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)[0].n;
    const champions = { kind: 'compare' as const, column: 'segment', op: '=' as const, value: 'Champions' };
    expect(count('rfm_zh', conditionSql(champions, columns, null))).toBe(1);
    expect(count('rfm_en', conditionSql({ ...champions, value: '冠军客户' }, columns, null))).toBe(1);
    expect(count('rfm_zh', conditionSql({ ...champions, op: '<>' }, columns, null))).toBe(4);
    expect(count('rfm_zh', conditionSql({ kind: 'in', column: 'segment', values: ['Champions', 'Lost'] }, columns, null))).toBe(2);
    // Other text columns, and other values, compare as they are.
    expect(conditionSql({ kind: 'compare', column: 'city', op: '=', value: 'Lost' }, [{ name: 'city', type: 'VARCHAR' }], null)).toBe(`"city" = 'Lost'`);
    expect(conditionSql({ ...champions, value: 'VIP' }, columns, null)).toBe(`"segment" = 'VIP'`);
    // A compare cell's segment (a key, or an old English name) picks the same customers either way.
    expect(count('rfm_zh', segmentMatchSql('segment', 'rfm.seg.champions'))).toBe(1);
    expect(count('rfm_en', segmentMatchSql('segment', "Can't Lose Them"))).toBe(count('rfm_zh', segmentMatchSql('segment', 'rfm.seg.cantLose')));
  });

  test('built-in names are recognised in either language; other text is not', () => {
    expect(builtinKeyOf('冠军客户')).toBe('rfm.seg.champions');
    expect(builtinKeyOf('High-value to win back')).toBe('rfm8.type.importantWinBack');
    expect(builtinKeyOf('一般发展客户')).toBe('rfm8.type.generalDevelop');
    expect(builtinKeyOf('Bought recently, buy often and spend the most.')).toBeNull();
    expect(builtinKeyOf('VIP')).toBeNull();
    expect(segmentForms('Lost')).toEqual(['Lost', '已流失客户']);
    expect(segmentForms('Whales')).toEqual(['Whales']);
  });
});

test('an RFM cell with the 8-type model comes back from a file as it was; a broken type list is refused', () => {
  const types = defaultRfmTypes();
  types.reference = { r: { kind: 'median' }, f: { kind: 'value', value: 3 }, m: { kind: 'mean' } };
  types.types[0].name = '高价值会员';
  const cell: RfmCell = { id: 'r', kind: 'rfm', name: 'rfm', spec: SPEC, rules: defaultRfmRules(), model: 'types', types };
  const doc = toDocument('n', [cell], { autoRun: true }, []);
  expect(parseNotebook(JSON.stringify(doc))).toEqual({ ok: true, doc });
  const broken = { ...cell, types: { ...types, types: types.types.map((x) => ({ ...x, r: 'high' })) } };
  const r = parseNotebook(JSON.stringify({ ...doc, cells: [broken] }));
  expect(r.ok ? '' : r.error).toMatch(/8 combinations/);
  const badRef = { ...cell, types: { ...types, reference: { ...types.reference, f: { kind: 'value', value: 'three' } } } };
  const r2 = parseNotebook(JSON.stringify({ ...doc, cells: [badRef] }));
  expect(r2.ok ? '' : r2.error).toMatch(/F reference value must be a number/);
});
