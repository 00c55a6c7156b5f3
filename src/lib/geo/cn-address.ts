/**
 * Splits a Chinese postal address (收货地址-style text: "浙江省 杭州市 西湖区 文三路 1 号",
 * "北京北京市朝阳区…", "杭州市西湖区…", "内蒙古锡林郭勒盟锡林浩特市…") into its province-level
 * unit, prefecture-level city and district, with official full names (北京 -> 北京市,
 * 内蒙古 -> 内蒙古自治区, 广西 -> 广西壮族自治区, 香港 -> 香港特别行政区). Province and city follow
 * the rules in cn-address-rules.ts (the SQL twin in cn-address-sql.ts gives the same answers);
 * the district is read only here, as written: the first name after the city ending in 区, 县, 旗 or
 * 市 (a county-level city), or the county-level city that stood in the city's place (江苏省昆山市 ->
 * city 苏州市, district 昆山市). Anything unrecognised is null; the parser never throws.
 */
import { COUNTRY_PREFIX, SPACE_CLASS_JS, WEAK_CITY_STOP, cnProvinceRules, type CnCityRule, type CnProvinceRule } from './cn-address-rules';

/** The parts of an address; null where the address does not say (or says something unknown). */
export interface CnAddress {
  province: string | null;
  city: string | null;
  district: string | null;
}

const NONE: CnAddress = { province: null, city: null, district: null };
const SPACES = new RegExp(SPACE_CLASS_JS, 'gu');
const COUNTRY = new RegExp(COUNTRY_PREFIX, 'u');
/** A district as written: a short name ending in 区, 县, 旗 or 市, with no digits, Latin letters or street words. */
const DISTRICT = /^[^\d\sA-Za-z路街道巷弄号村镇乡()（）,，.。#-]{1,9}?(?:区|县|旗|市)/u;
/** Regions of the SARs written before the district (九龙城区 is a district, not 九龙 + 城区). */
const SAR_REGION = /^(?:香港岛|九龙(?!城)|新界|澳门半岛|氹仔|路环)/u;

interface Compiled {
  rule: CnProvinceRule;
  strong: RegExp;
  weak: RegExp | null;
  own: RegExp;
  cities: { rule: CnCityRule; test: RegExp; exec: RegExp }[];
}

let compiled: Compiled[] | null = null;

function alt(tokens: readonly string[]): string {
  return [...tokens].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

function rules(): Compiled[] {
  compiled ??= cnProvinceRules().map((rule) => ({
    rule,
    strong: new RegExp(rule.strong, 'u'),
    weak: rule.weak ? new RegExp(rule.weak, 'u') : null,
    own: new RegExp(`^(?:${rule.own})+`, 'u'),
    cities: rule.cities.map((c) => ({
      rule: c,
      test: new RegExp(c.test, 'u'),
      // The same match with the city token captured and the context after a bare name not consumed.
      exec: new RegExp(`^(?:${rule.own})?(?:(${alt(c.strong)})${c.weak.length ? `|(${alt(c.weak)})(?=[^${WEAK_CITY_STOP}]|$)` : ''})`, 'u'),
    })),
  }));
  return compiled;
}

/** The text the rules read: whitespace removed, a leading 中国 / 中华人民共和国 dropped. */
export function normalizeCnAddress(text: string): string {
  return text.replace(SPACES, '').replace(COUNTRY, '');
}

/** The province-level unit the (normalised) address is in, or undefined. */
function provinceOf(a: string): Compiled | undefined {
  const all = rules();
  return all.find((p) => p.strong.test(a)) ?? all.find((p) => p.weak?.test(a));
}

function districtOf(rest: string): string | null {
  const m = DISTRICT.exec(rest);
  if (!m) return null;
  // 新市区, 沙市区: a district whose name holds 市.
  return m[0].endsWith('市') && rest[m[0].length] === '区' ? `${m[0]}区` : m[0];
}

/** Province, city and district of an address; nulls for anything unrecognised (never throws). */
export function parseCnAddress(value: unknown): CnAddress {
  try {
    if (typeof value !== 'string') return { ...NONE };
    const a = normalizeCnAddress(value);
    const p = a ? provinceOf(a) : undefined;
    if (!p) return { ...NONE };
    const province = p.rule.name;
    if (p.rule.kind === 'municipality' || p.rule.kind === 'sar') {
      let rest = a.replace(p.own, '');
      // Old and picker-made forms repeat the unit or add a placeholder level (北京 北京市 市辖区 朝阳区).
      rest = rest.replace(/^(?:市辖区|辖区)/u, '');
      if (p.rule.kind === 'sar') rest = rest.replace(SAR_REGION, '');
      return { province, city: province, district: districtOf(rest) };
    }
    const c = p.cities.find((x) => x.test.test(a));
    if (!c) return { province, city: null, district: null };
    const m = c.exec.exec(a);
    const token = m?.[1] ?? m?.[2] ?? null;
    if (token && c.rule.counties.includes(token)) return { province, city: c.rule.name, district: token };
    return { province, city: c.rule.name, district: m ? districtOf(a.slice(m[0].length)) : null };
  } catch {
    return { ...NONE };
  }
}
