/**
 * Seeded Chinese postal addresses in the shapes real exports hold: Taobao/Tmall's picker form
 * ("浙江省 杭州市 西湖区 文三路 12 号"), the same without spaces, municipalities written twice
 * (北京 北京市 朝阳区) with real districts, short province names, no province at all, county-level cities, a postcode
 * at the end, and a share of typos and garbage. For the parser's SQL-against-JS check and the
 * Chinese sample shop.
 */
import { cnProvinceRules } from '../../src/lib/geo/cn-address-rules';
import type { Random } from './random';

const STREETS = ['文三路', '人民路', '解放路', '中山路', '建设路', '长江路', '和平街', '新华路', '学院路', '滨江大道', '科技园路', '东风路'];
const COMMUNITIES = ['阳光花园', '锦绣小区', '翠苑一区', '金色家园', '幸福里', '南湖新村', '绿城桂花园', '万科城', ''];
/** Real districts of the municipalities and SARs. */
const UNIT_DISTRICTS: Record<string, string[]> = {
  北京市: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区', '昌平区', '通州区'],
  天津市: ['和平区', '南开区', '河西区', '滨海新区'],
  上海市: ['浦东新区', '黄浦区', '徐汇区', '静安区', '闵行区', '杨浦区'],
  重庆市: ['渝中区', '江北区', '渝北区', '万州区', '南岸区'],
  香港特别行政区: ['油尖旺区', '湾仔区', '沙田区', '中西区'],
  澳门特别行政区: ['花地玛堂区', '风顺堂区', '大堂区'],
};
/** Zones found in most cities, written where a district would stand. */
const ZONES = ['高新技术产业开发区', '经济技术开发区'];
const GARBAGE = ['', '   ', '无', 'N/A', '收货地址', '12345', 'abc road 5', '详见备注', '同上', '自提', '????', '地址不详', '浙', '中国'];

/** One street-level tail: road, number, estate, building and room. */
export function streetTail(r: Random): string {
  const estate = r.pick(COMMUNITIES);
  return `${r.pick(STREETS)}${r.int(1, 999)}号${estate ? `${estate}${r.int(1, 30)}幢${r.int(1, 6)}单元${r.int(101, 2806)}室` : ''}`;
}

/**
 * An address drawn from the divisions table, weighted like a shop's customers (big provinces
 * more often), in one of the shapes above; `messy` is the share of typos and garbage.
 */
export function randomCnAddress(r: Random, messy = 0.05): string {
  if (r.bernoulli(messy / 2)) return r.pick(GARBAGE);
  const rules = cnProvinceRules();
  const p = rules[r.weightedIndex(rules.map((x) => PROVINCE_WEIGHT[x.name] ?? 1))];
  const short = p.own.split('|').sort((a, b) => a.length - b.length)[0];
  const prov = r.bernoulli(0.75) ? p.name : short;
  const sep = r.bernoulli(0.6) ? ' ' : '';
  const tail = streetTail(r);
  const typo = r.bernoulli(messy / 2);
  if (p.kind === 'municipality' || p.kind === 'sar') {
    const head = r.bernoulli(0.3) ? [short, p.name] : [prov];
    return [...head, r.pick(UNIT_DISTRICTS[p.name] ?? ['']), tail].join(sep);
  }
  const c = r.pick(p.cities);
  let city = r.bernoulli(0.85) || c.weak.length === 0 ? c.name : c.weak[0];
  if (typo) city = city.replace(/^(.)/u, '$1洲');
  // A county-level city of the division, a development zone, or nothing between city and street.
  const district = c.counties.length && r.bernoulli(0.4) ? r.pick(c.counties) : r.bernoulli(0.3) ? r.pick(ZONES) : '';
  const shape = r.int(0, 9);
  if (shape === 0) return [city, district, tail].filter(Boolean).join(sep); // no province
  if (shape === 1 && c.counties.length) return [prov, r.pick(c.counties), tail].join(sep); // county-level city in the city's place
  if (shape === 2) return `${[prov, city, district, tail].filter(Boolean).join(' ')}(${r.int(100000, 899999)})`;
  return [prov, city, district, tail].filter(Boolean).join(sep);
}

/** Rough weights (orders of a national online shop), the rest 1. */
const PROVINCE_WEIGHT: Record<string, number> = {
  广东省: 14, 浙江省: 10, 江苏省: 10, 上海市: 7, 北京市: 7, 山东省: 7, 四川省: 5, 福建省: 5, 河南省: 5, 湖北省: 4, 湖南省: 4,
  安徽省: 4, 河北省: 4, 陕西省: 3, 重庆市: 3, 天津市: 2, 辽宁省: 3, 江西省: 3, 云南省: 2, 广西壮族自治区: 2,
  香港特别行政区: 0.3, 澳门特别行政区: 0.1, 台湾省: 0.1,
};
