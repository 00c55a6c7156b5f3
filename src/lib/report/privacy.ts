/**
 * Which results are row-level customer data. A report leaves those out unless the user ticks
 * them in; other results (aggregates: months, channels, segments) go in as summary tables.
 * A result counts as customer rows when any column looks like an identifier of a person or a
 * record (an id, key or number column, a name, an e-mail address, a phone number) — in doubt,
 * a result is treated as customer rows.
 */

const ID_SUFFIX = /(^|[_\s.-])(id|key|uuid|guid|code|no|number|nr)$/i;
const ID_CAMEL = /[a-z](ID|Id|Key|No|Code|Nr)$/;
const PERSONAL = /^(id|uid|email|e-?mail|mail|phone|mobile|tel|telephone|name|first_?name|last_?name|full_?name|nick_?name|customer|client|user|member|buyer|shopper|address|ip)$/i;
const PERSONAL_ZH = /(客户|会员|用户|买家|顾客)(id|编号|号|名|名称|代码)?$|编号$|手机|姓名|邮箱|电话|昵称|地址|身份证/i;

/** Whether a column name looks like it identifies a person or a record. */
export function isIdentifierColumn(name: string): boolean {
  const n = name.trim();
  return ID_SUFFIX.test(n) || ID_CAMEL.test(n) || PERSONAL.test(n) || PERSONAL_ZH.test(n);
}

/** Whether a result with these columns is row-level customer data (some column identifies someone). */
export function looksLikeCustomerRows(columns: readonly string[]): boolean {
  return columns.some(isIdentifierColumn);
}
