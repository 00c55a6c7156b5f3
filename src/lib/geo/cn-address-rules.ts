/**
 * The matching rules behind the Chinese address parser, built once from the division table and
 * shared by the JavaScript parser (cn-address.ts) and its SQL twin (cn-address-sql.ts), so both
 * decide with the same regular expressions in the same order.
 *
 * How an address is read (after whitespace is removed and a leading 中国 / 中华人民共和国 dropped):
 * - Tokens of a province-level unit: *strong* ones carry their own suffix — the official name
 *   (浙江省, 广西壮族自治区), 广西自治区-style and 香港特区-style forms, and the names of its
 *   prefecture-level divisions (杭州市, 延边朝鲜族自治州, 延边州, 大兴安岭地区, 锡林郭勒盟), of
 *   county-level units under the province itself (仙桃市, 石河子市) and of county-level cities
 *   (昆山市); *weak* ones are bare names (浙江, 杭州, 延边) and count only when the next character
 *   does not continue a different place or a street (朝阳区 is not 朝阳市, 中山路 is not 中山市).
 * - Province: the first unit one of whose strong tokens starts the address, else the first one of
 *   whose weak tokens does. So 吉林市… is in 吉林省 and 海南藏族自治州… in 青海省, not 海南省.
 * - City (prefecture level): for a municipality or SAR the unit itself (北京市); otherwise the
 *   first division of the province whose name (any form above, or one of its county-level cities)
 *   starts the address, optionally after the province's own name. A city of another province
 *   (广东省杭州市) is no city: the province as written wins and the city stays empty.
 * - Bare names shared by two units, or one the start of another unit's, are left out: they do not
 *   decide (only 海南, the short name of both 海南省 and 海南藏族自治州, is affected).
 */
import { CN_DIVISIONS } from './cn-divisions';

/** How a province-level unit is governed. */
export type CnUnitKind = 'municipality' | 'province' | 'autonomous-region' | 'sar';

/** A prefecture-level division (or an equivalent) and how to recognise it. */
export interface CnCityRule {
  name: string;
  /** Regex source: the address starts with the city, optionally after its province's name. */
  test: string;
  /** County-level cities of this division (names ending in 市). */
  counties: readonly string[];
  /** The division's own tokens, strong ones then weak ones (for the parser's own use). */
  strong: readonly string[];
  weak: readonly string[];
}

/** A province-level unit and how to recognise it. */
export interface CnProvinceRule {
  name: string;
  kind: CnUnitKind;
  /** Regex source: the address starts with one of the unit's strong tokens (never null: the name is one). */
  strong: string;
  /** Regex source: the address starts with one of its weak tokens in an acceptable context; null when none. */
  weak: string | null;
  /** Regex source of the unit's own names (official and informal, no divisions), without anchors. */
  own: string;
  cities: readonly CnCityRule[];
}

/** Characters removed before matching: ASCII whitespace, no-break space and the ideographic space. */
export const SPACE_CLASS_JS = '[\\t\\n\\v\\f\\r \\u00a0\\u3000]+';
/** The same class in DuckDB's (RE2) syntax. */
export const SPACE_CLASS_RE2 = '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{3000}]+';
/** A leading country name, removed before matching. */
export const COUNTRY_PREFIX = '^(?:中华人民共和国|中国大陆|中国)';

/** After a bare province name: anything but the start of a street or village (北京路 is a street). */
const AFTER_WEAK_PROVINCE = '(?:[^路街道巷弄号村镇乡]|$)';
/** Characters that, after a bare city name, make it another place (吉林省, 朝阳区, 海南州) or a street. */
export const WEAK_CITY_STOP = '省区县市旗镇乡路街道村巷弄号州盟';
/** After a bare city name: anything but a stop character. */
const AFTER_WEAK_CITY = `(?:[^${WEAK_CITY_STOP}]|$)`;

const KINDS: Record<string, CnUnitKind> = { m: 'municipality', p: 'province', a: 'autonomous-region', s: 'sar' };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alternation(tokens: readonly string[]): string {
  // Longest first, so the first alternative that matches is also the longest.
  return [...new Set(tokens)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escape).join('|');
}

interface Division {
  name: string;
  short: string | null;
  counties: string[];
  direct: boolean;
}

function parseDivisions(text: string): Division[] {
  const out: Division[] = [];
  for (const m of text.matchAll(/(\*?)([^\s/()]+)(?:\/([^\s()]+))?(?:\(([^)]*)\))?/g)) {
    out.push({ name: m[2], short: m[3] ?? null, counties: m[4] ? m[4].split(' ').map((c) => `${c}市`) : [], direct: m[1] === '*' });
  }
  return out;
}

/** The bare name of a division: without 市 / 地区 / 盟, an autonomous prefecture's short name. */
function bareName(d: Division): string | null {
  if (d.direct) return null;
  if (d.short) return d.short;
  const m = /^(.{2,}?)(?:市|地区|盟)$/.exec(d.name);
  return m ? m[1] : null;
}

interface Draft {
  name: string;
  kind: CnUnitKind;
  ownStrong: string[];
  ownWeak: string[];
  divisions: { d: Division; strong: string[]; weak: string[] }[];
}

function drafts(): Draft[] {
  return CN_DIVISIONS.map(([name, short, k, text]) => {
    const kind = KINDS[k];
    const shorts = short.split(' ').filter(Boolean);
    const ownStrong = [name];
    if (kind === 'autonomous-region') ownStrong.push(...shorts.map((s) => `${s}自治区`));
    if (kind === 'sar') ownStrong.push(...shorts.flatMap((s) => [`${s}特区`, `${s}特别行政区`]));
    if (kind === 'province') ownStrong.push(...shorts.map((s) => `${s}省`));
    if (name === '台湾省') ownStrong.push('台湾地区');
    const divisions = parseDivisions(text).map((d) => {
      const strong = [d.name, ...d.counties];
      if (d.short) strong.push(`${d.short}州`);
      const bare = bareName(d);
      return { d, strong, weak: bare ? [bare] : [] };
    });
    return { name, kind, ownStrong, ownWeak: shorts, divisions };
  });
}

/**
 * Bare division names that would not decide: held by two units, or the start of another unit's
 * bare name. A province's own bare name (海南) always stays its own: it is dropped from the other
 * unit's divisions instead (海南 for 海南藏族自治州, which keeps 海南藏族自治州 and 海南州).
 */
function ambiguousWeak(all: Draft[]): Set<string> {
  const owners = new Map<string, Set<string>>();
  for (const u of all) {
    for (const w of u.divisions.flatMap((x) => x.weak)) owners.set(w, (owners.get(w) ?? new Set<string>()).add(u.name));
  }
  const provinceOwn = new Map(all.flatMap((u) => u.ownWeak.map((w) => [w, u.name] as const)));
  const bad = new Set<string>();
  for (const [w, units] of owners) {
    const own = provinceOwn.get(w);
    if (units.size > 1 || (own !== undefined && !units.has(own))) bad.add(w);
    for (const [other, otherUnits] of owners) {
      if (other !== w && other.startsWith(w) && [...otherUnits].some((x) => !units.has(x))) bad.add(w);
    }
  }
  return bad;
}

let cached: CnProvinceRule[] | null = null;

/** The province rules in the order they are tried (see the module comment); built once. */
export function cnProvinceRules(): readonly CnProvinceRule[] {
  if (cached) return cached;
  const all = drafts();
  const bad = ambiguousWeak(all);
  cached = all.map((u) => {
    const keep = (ts: readonly string[]) => ts.filter((t) => !bad.has(t));
    const ownWeak = u.ownWeak;
    const own = alternation([...u.ownStrong, ...ownWeak]);
    const strongTokens = [...u.ownStrong, ...u.divisions.flatMap((x) => x.strong)];
    const weakCity = keep(u.divisions.flatMap((x) => x.weak));
    const weakParts = [
      ...(ownWeak.length ? [`^(?:${alternation(ownWeak)})${AFTER_WEAK_PROVINCE}`] : []),
      ...(weakCity.length ? [`^(?:${alternation(weakCity)})${AFTER_WEAK_CITY}`] : []),
    ];
    const cities: CnCityRule[] = u.kind === 'municipality' || u.kind === 'sar' ? [] : u.divisions.map(({ d, strong, weak }) => {
      const w = keep(weak);
      const forms = [alternation(strong), ...(w.length ? [`(?:${alternation(w)})${AFTER_WEAK_CITY}`] : [])];
      return { name: d.name, test: `^(?:${own})?(?:${forms.join('|')})`, counties: d.counties, strong, weak: w };
    });
    return { name: u.name, kind: u.kind, strong: `^(?:${alternation(strongTokens)})`, weak: weakParts.length ? weakParts.join('|') : null, own, cities };
  });
  return cached;
}

/** The 34 official province-level names, in the order of their codes. */
export function cnProvinceNames(): string[] {
  return cnProvinceRules().map((r) => r.name);
}
