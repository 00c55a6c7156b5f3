/**
 * The Chinese address parser (issue 15): a list of real-looking addresses with their parts worked
 * out by hand, the 34 province-level names against the official list, and the SQL twin against
 * the parser on generated addresses and inside an attributes grouping.
 */
import { describe, expect, test } from 'vitest';
import { parseCnAddress } from '../../../src/lib/geo/cn-address';
import { cnProvinceNames, cnProvinceRules } from '../../../src/lib/geo/cn-address-rules';
import { addressLikeSql, cnAddressInputSql, cnCitySql, cnProvinceSql } from '../../../src/lib/geo/cn-address-sql';
import { attributeSegmentSql } from '../../../src/lib/segment/attribute-bands';
import { openTestDb } from '../helpers/duckdb';
import { createRandom } from '../../gen/random';
import { randomCnAddress } from '../../gen/cn-addresses';

type Want = [address: string | null, province: string | null, city: string | null, district: string | null];

// Expected parts by hand (district as written; null where the address does not say).
const CASES: Want[] = [
  // Picker-made (Taobao/Tmall) forms with spaces.
  ['浙江省 杭州市 西湖区 文三路 478 号 华星时代广场 A 座', '浙江省', '杭州市', '西湖区'],
  ['广东省 深圳市 南山区 粤海街道 科技园南区 R2-B 栋', '广东省', '深圳市', '南山区'],
  ['江苏省 苏州市 昆山市 花桥镇 绿地大道 188 号', '江苏省', '苏州市', '昆山市'],
  ['四川省 成都市 武侯区 人民南路四段 11 号(610041)', '四川省', '成都市', '武侯区'],
  // Municipalities: written once, twice, short, with the old 市辖区 level.
  ['北京市朝阳区建国路88号SOHO现代城', '北京市', '北京市', '朝阳区'],
  ['北京 北京市 海淀区 中关村大街 27 号', '北京市', '北京市', '海淀区'],
  ['上海上海市浦东新区世纪大道100号', '上海市', '上海市', '浦东新区'],
  ['天津市 市辖区 和平区 南京路 189 号', '天津市', '天津市', '和平区'],
  ['重庆 万州区 白岩路 2 号', '重庆市', '重庆市', '万州区'],
  ['上海市杭州路 8 号', '上海市', '上海市', null],
  // Autonomous regions, short and full, informal 自治区 forms.
  ['内蒙古自治区 呼和浩特市 赛罕区 大学西街 235 号', '内蒙古自治区', '呼和浩特市', '赛罕区'],
  ['内蒙古锡林郭勒盟锡林浩特市额尔敦路', '内蒙古自治区', '锡林郭勒盟', '锡林浩特市'],
  ['内蒙古 兴安盟 乌兰浩特市 兴安北大路', '内蒙古自治区', '兴安盟', '乌兰浩特市'],
  ['广西壮族自治区南宁市青秀区民族大道 136 号', '广西壮族自治区', '南宁市', '青秀区'],
  ['广西 桂林 七星区 七星路 1 号', '广西壮族自治区', '桂林市', '七星区'],
  ['广西自治区柳州市城中区', '广西壮族自治区', '柳州市', '城中区'],
  ['西藏自治区 拉萨市 城关区 北京中路 1 号', '西藏自治区', '拉萨市', '城关区'],
  ['西藏阿里地区噶尔县', '西藏自治区', '阿里地区', '噶尔县'],
  ['宁夏银川市兴庆区解放西街', '宁夏回族自治区', '银川市', '兴庆区'],
  ['宁夏回族自治区 吴忠市 利通区', '宁夏回族自治区', '吴忠市', '利通区'],
  ['新疆乌鲁木齐市天山区解放北路', '新疆维吾尔自治区', '乌鲁木齐市', '天山区'],
  ['新疆维吾尔自治区 石河子市 北四路', '新疆维吾尔自治区', '石河子市', null],
  ['新疆 伊犁州 伊宁市 解放路', '新疆维吾尔自治区', '伊犁哈萨克自治州', '伊宁市'],
  ['新疆维吾尔自治区巴音郭楞蒙古自治州库尔勒市', '新疆维吾尔自治区', '巴音郭楞蒙古自治州', '库尔勒市'],
  // SARs and Taiwan.
  ['香港特别行政区 九龙 油尖旺区 弥敦道 132 号', '香港特别行政区', '香港特别行政区', '油尖旺区'],
  ['香港九龙城区太子道西', '香港特别行政区', '香港特别行政区', '九龙城区'],
  ['澳门特别行政区 花地玛堂区 黑沙环马路', '澳门特别行政区', '澳门特别行政区', '花地玛堂区'],
  ['澳门氹仔嘉模堂区', '澳门特别行政区', '澳门特别行政区', '嘉模堂区'],
  ['台湾省 台北市 大安区 复兴南路', '台湾省', '台北市', '大安区'],
  // Autonomous prefectures, 地区, county-level units under the province.
  ['吉林省延边朝鲜族自治州延吉市光明街', '吉林省', '延边朝鲜族自治州', '延吉市'],
  ['湖北 恩施州 恩施市 舞阳大街', '湖北省', '恩施土家族苗族自治州', '恩施市'],
  ['黑龙江省大兴安岭地区漠河市', '黑龙江省', '大兴安岭地区', '漠河市'],
  ['湖北省仙桃市仙桃大道 1 号', '湖北省', '仙桃市', null],
  ['海南省 陵水黎族自治县 椰林镇', '海南省', '陵水黎族自治县', null],
  ['云南省西双版纳傣族自治州景洪市', '云南省', '西双版纳傣族自治州', '景洪市'],
  // No province: inferred from the city where unambiguous.
  ['杭州市西湖区文三路 1 号', '浙江省', '杭州市', '西湖区'],
  ['苏州工业园区星湖街 328 号', '江苏省', '苏州市', '工业园区'],
  ['吉林市船营区北京路', '吉林省', '吉林市', '船营区'],
  ['海南藏族自治州共和县', '青海省', '海南藏族自治州', '共和县'],
  ['海南州共和县恰卜恰镇', '青海省', '海南藏族自治州', '共和县'],
  ['昆山市花桥镇', '江苏省', '苏州市', '昆山市'],
  ['东莞市 南城街道 鸿福路', '广东省', '东莞市', null],
  // Short province names, a province and a city of the same name, 中国 in front.
  ['吉林吉林市丰满区', '吉林省', '吉林市', '丰满区'],
  ['海南海口市美兰区', '海南省', '海口市', '美兰区'],
  ['中国浙江省宁波市鄞州区', '浙江省', '宁波市', '鄞州区'],
  ['辽宁省朝阳市双塔区', '辽宁省', '朝阳市', '双塔区'],
  ['乌鲁木齐新市区北京南路', '新疆维吾尔自治区', '乌鲁木齐市', '新市区'],
  ['湖北省荆州市沙市区', '湖北省', '荆州市', '沙市区'],
  // A city of another province, a typo in the city, unknown places.
  ['广东省杭州市西湖区', '广东省', null, null],
  ['浙江省杭洲市西湖区', '浙江省', null, null],
  ['朝阳区建国路 88 号', null, null, null],
  ['中山路 100 号', null, null, null],
  // Garbage.
  ['', null, null, null],
  ['   ', null, null, null],
  ['N/A', null, null, null],
  ['详见备注', null, null, null],
  ['12345678', null, null, null],
  [null, null, null, null],
];

describe('parseCnAddress', () => {
  test.each(CASES)('%s', (address, province, city, district) => {
    expect(parseCnAddress(address)).toEqual({ province, city, district });
  });

  test('never throws, whatever it is given', () => {
    for (const v of [undefined, 42, {}, [], '\u0000', '省'.repeat(10_000), '\ud800', '🙂北京']) expect(() => parseCnAddress(v)).not.toThrow();
    expect(parseCnAddress(42)).toEqual({ province: null, city: null, district: null });
  });
});

// The 34 province-level administrative units of the PRC (民政部 list, in the order of their codes).
const OFFICIAL = [
  '北京市', '天津市', '河北省', '山西省', '内蒙古自治区', '辽宁省', '吉林省', '黑龙江省', '上海市', '江苏省', '浙江省', '安徽省', '福建省', '江西省', '山东省', '河南省', '湖北省',
  '湖南省', '广东省', '广西壮族自治区', '海南省', '重庆市', '四川省', '贵州省', '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区', '台湾省',
  '香港特别行政区', '澳门特别行政区',
];
const SHORT: Record<string, string> = {
  内蒙古自治区: '内蒙古', 广西壮族自治区: '广西', 西藏自治区: '西藏', 宁夏回族自治区: '宁夏', 新疆维吾尔自治区: '新疆', 香港特别行政区: '香港', 澳门特别行政区: '澳门',
};

describe('the 34 province-level names', () => {
  test('the table holds exactly the official names', () => {
    expect(cnProvinceNames()).toEqual(OFFICIAL);
  });
  test.each(OFFICIAL)('%s: full and short names normalise to it', (name) => {
    const short = SHORT[name] ?? name.replace(/[省市]$/, '');
    expect(parseCnAddress(`${name}某某路1号`).province).toBe(name);
    expect(parseCnAddress(`${short} 某某路1号`).province).toBe(name);
  });
  test('every prefecture-level division names its own province (333 + county-level units under a province + Taiwan)', () => {
    let n = 0;
    for (const p of cnProvinceRules()) {
      for (const c of p.cities) {
        n++;
        expect(parseCnAddress(`${c.name}人民路1号`), c.name).toMatchObject({ province: p.name, city: c.name });
        expect(parseCnAddress(`${p.name}${c.name}人民路1号`), c.name).toMatchObject({ province: p.name, city: c.name });
      }
    }
    expect(n).toBe(385);
  });
  test('no strong token of one unit starts a strong token of another (the order of units never decides)', () => {
    const rules = cnProvinceRules();
    const tokens = rules.flatMap((p) => p.strong.replace(/^\^\(\?:|\)$/g, '').split('|').map((t) => ({ t, p: p.name })));
    const clashes = tokens.filter((a) => tokens.some((b) => b.p !== a.p && b.t !== a.t && b.t.startsWith(a.t)));
    expect(clashes).toEqual([]);
  });
});

describe('the SQL twin', () => {
  test('gives the parser\'s province and city on 30,000 generated addresses and the hand-worked list', async () => {
    const db = await openTestDb();
    const r = createRandom(15);
    const addresses = [...Array.from({ length: 30_000 }, () => randomCnAddress(r, 0.1)), ...CASES.map((c) => c[0])];
    const csv = `i,address\n${addresses.map((a, i) => `${i},${a === null ? '' : `"${a.replaceAll('"', '""')}"`}`).join('\n')}\n`;
    const path = db.registerFile('addresses.csv', new TextEncoder().encode(csv));
    db.exec(`CREATE TABLE addresses AS SELECT * FROM read_csv('${path}', header = true, columns = {'i': 'INTEGER', 'address': 'VARCHAR'})`);
    // Each step once per row, as the attributes cell computes them (about 1 s for 30,000 rows here).
    const rows = db.rows(`SELECT i, p, ${cnCitySql('a', 'p')} AS c FROM (SELECT *, ${cnProvinceSql('a')} AS p FROM (SELECT i, ${cnAddressInputSql('address')} AS a FROM addresses)) ORDER BY i`);
    const mismatches = rows.flatMap((row, i) => {
      // read_csv reads an empty field as NULL: the parser gets what DuckDB holds.
      const want = parseCnAddress(addresses[i] === '' ? null : addresses[i]);
      const got = { province: (row.p as string | null) ?? null, city: (row.c as string | null) ?? null };
      return got.province === want.province && got.city === want.city ? [] : [`${addresses[i]}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`];
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    const recognised = rows.filter((x) => x.p !== null).length;
    expect(recognised).toBeGreaterThan(0.9 * rows.length);
  }, 120_000);

  test('grouping customers by province in an attributes cell counts what the parser counts', async () => {
    const db = await openTestDb();
    const r = createRandom(16);
    const n = 3000;
    const rows = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, address: randomCnAddress(r, 0.08), revenue: r.int(1, 500) }));
    const csv = `customer_id,收货地址,revenue\n${rows.map((x) => `${x.id},"${x.address}",${x.revenue}`).join('\n')}\n`;
    const path = db.registerFile('people.csv', new TextEncoder().encode(csv));
    db.exec(`CREATE TABLE people AS SELECT * FROM read_csv('${path}', header = true, columns = {'customer_id': 'VARCHAR', '收货地址': 'VARCHAR', 'revenue': 'INTEGER'})`);
    const columns = [{ name: 'customer_id', type: 'VARCHAR' }, { name: '收货地址', type: 'VARCHAR' }, { name: 'revenue', type: 'INTEGER' }];
    for (const derive of ['province', 'city'] as const) {
      const sql = attributeSegmentSql('people', [{ column: '收货地址', kind: 'category', derive, minShare: 0, maxGroups: 1000 }], { revenue: 'revenue' }, columns);
      const got = new Map(db.rows(sql).map((x) => [String(x.band_1), [Number(x.customers), Number(x.revenue)]]));
      const want = new Map<string, number[]>();
      for (const x of rows) {
        const part = parseCnAddress(x.address === '' ? null : x.address)[derive] ?? '(empty)';
        const w = want.get(part) ?? [0, 0];
        want.set(part, [w[0] + 1, w[1] + x.revenue]);
      }
      expect(got).toEqual(want);
    }
  }, 120_000);

  test('address-like text columns are told from others', async () => {
    const db = await openTestDb();
    db.exec(`CREATE TABLE t AS SELECT * FROM (VALUES ('浙江省 杭州市 西湖区 文三路1号', 'tb_小明', '北京'), ('北京市朝阳区建国路88号', '王大锤', '上海'), ('广东深圳南山区', 'lily', NULL)) AS v(addr, nick, city)`);
    const [row] = db.rows(addressLikeSql('t', ['addr', 'nick', 'city']));
    expect([row.share_0, row.share_1, row.share_2]).toEqual([1, 0, 0]);
  });
});

describe('notebook files', () => {
  test('a band by an address part reads back; an unknown part is refused', async () => {
    const { readBand } = await import('../../../src/lib/notebook/cells-segment-reader');
    const band = { column: '收货地址', kind: 'category', derive: 'province', minShare: 0, maxGroups: 34 };
    expect(readBand(JSON.parse(JSON.stringify(band)), 'band')).toEqual(band);
    expect(() => readBand({ ...band, derive: 'street' }, 'band')).toThrow(/part of the address/);
  });
});
