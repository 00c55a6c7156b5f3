/**
 * The SQL twin of the Chinese address parser: DuckDB expressions giving an address's province
 * or prefecture-level city exactly as `parseCnAddress` does — the same regular expressions from
 * cn-address-rules.ts, tried in the same order, as CASE expressions of `regexp_matches` (plain
 * DuckDB: they run unchanged on native DuckDB). Unrecognised and NULL addresses give NULL.
 * Three steps, each meant to be computed once per row (a column of a subquery): the normalised
 * text, its province, then its city from both.
 */
import { ident, str } from '../sql/quote';
import { COUNTRY_PREFIX, SPACE_CLASS_RE2, cnProvinceRules, type CnProvinceRule } from './cn-address-rules';

/** Which part of an address to derive. */
export type CnAddressPart = 'province' | 'city';

/** The normalised address text of an SQL expression (whitespace removed, a leading 中国 dropped). */
export function cnAddressInputSql(expr: string): string {
  return `regexp_replace(regexp_replace(CAST(${expr} AS VARCHAR), ${str(SPACE_CLASS_RE2)}, '', 'g'), ${str(COUNTRY_PREFIX)}, '')`;
}

function when(a: string, pattern: string, then: string): string {
  return `WHEN regexp_matches(${a}, ${str(pattern)}) THEN ${then}`;
}

/** Each province's conditions in the order they are tried: every strong one, then every weak one. */
function provinceConditions(): { rule: CnProvinceRule; pattern: string }[] {
  const rules = cnProvinceRules();
  return [...rules.map((rule) => ({ rule, pattern: rule.strong })), ...rules.flatMap((rule) => (rule.weak ? [{ rule, pattern: rule.weak }] : []))];
}

/** The province (official name) of the normalised address `a` (see `cnAddressInputSql`); NULL when not recognised. */
export function cnProvinceSql(a: string): string {
  return `CASE\n    ${provinceConditions().map(({ rule, pattern }) => when(a, pattern, str(rule.name))).join('\n    ')}\n  END`;
}

/**
 * The prefecture-level city of the normalised address `a`, given its province `p` (an expression
 * or column holding `cnProvinceSql(a)`); NULL when not recognised.
 */
export function cnCitySql(a: string, p: string): string {
  const rules = cnProvinceRules();
  const same = rules.filter((r) => r.kind === 'municipality' || r.kind === 'sar').map((r) => str(r.name));
  const nested = rules.filter((r) => r.cities.length > 0).map((r) => `WHEN ${p} = ${str(r.name)} THEN CASE ${r.cities.map((c) => when(a, c.test, str(c.name))).join(' ')} END`);
  return `CASE\n    WHEN ${p} IN (${same.join(', ')}) THEN ${p}\n    ${nested.join('\n    ')}\n  END`;
}

/**
 * One row: for each text column i, `share_i`, the share of its first 1,000 non-empty values that
 * look like Chinese addresses (six characters or more, holding 省, 市, 区, 县, 州, 盟 or 旗 after
 * a Chinese character). Columns with a share of at least `ADDRESS_SHARE` are offered the
 * province and city groupings.
 */
export function addressLikeSql(relation: string, columns: readonly string[]): string {
  const share = (c: string, i: number) =>
    `avg(CASE WHEN ${ident(c)} IS NULL OR trim(CAST(${ident(c)} AS VARCHAR)) = '' THEN NULL WHEN length(CAST(${ident(c)} AS VARCHAR)) >= 6 AND regexp_matches(CAST(${ident(c)} AS VARCHAR), '[\\x{4E00}-\\x{9FFF}][省市区县州盟旗]') THEN 1.0 ELSE 0.0 END) AS share_${i}`;
  return `SELECT ${columns.map(share).join(', ')} FROM (SELECT * FROM ${ident(relation)} LIMIT 1000)`;
}

/** The share of address-like values from which a column is offered the address groupings. */
export const ADDRESS_SHARE = 0.5;
