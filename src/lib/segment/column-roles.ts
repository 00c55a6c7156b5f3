/**
 * Column roles for RFM: guessing which columns hold the customer id, order date, amount and
 * order id from their names (English and Chinese) and DuckDB types, and checking a choice.
 */
import { t, type MessageKey } from '../i18n';
import { ident } from '../sql/quote';
import { amountExpr, orderDateExpr } from './rfm-sql';
import type { RfmSpec } from './rfm-spec';
import { columnKind, type ColumnKind } from './column-kinds';

/** A column as DuckDB describes it (`DESCRIBE`): name and type text, e.g. 'DECIMAL(10,2)'. */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** The columns chosen (or guessed) for each RFM role; null = none. */
export interface ColumnRoles {
  customerId: string | null;
  orderDate: string | null;
  amount: string | null;
  orderId: string | null;
}

/** One of the RFM column roles. */
export type RoleName = keyof ColumnRoles;

/** A problem with a role choice: errors block the computation, warnings and notes inform. */
export interface RoleProblem {
  severity: 'error' | 'warning' | 'info';
  role: RoleName | null;
  message: string;
}

const ROLE_LABEL: Record<RoleName, MessageKey> = {
  customerId: 'msg.roles.customerId',
  orderDate: 'msg.roles.orderDate',
  amount: 'msg.roles.amount',
  orderId: 'msg.roles.orderId',
};
const roleLabel = (role: RoleName) => t(ROLE_LABEL[role]);

type TypeKind = ColumnKind;
const typeKind = columnKind;

const isNumeric = (k: TypeKind) => k === 'integer' || k === 'decimal' || k === 'float';
const isDateLike = (k: TypeKind) => k === 'date' || k === 'timestamp';

/** How a type reads in a message: "text", "a date", ... */
function describeType(type: string): string {
  switch (typeKind(type)) {
    case 'text': return t('msg.type.text');
    case 'date': return t('msg.type.date');
    case 'timestamp': return t('msg.type.timestamp');
    case 'boolean': return t('msg.type.boolean');
    case 'integer':
    case 'decimal':
    case 'float': return t('msg.type.number');
    default: return t('msg.type.other', { type });
  }
}

/** Lower-case name without separators ("Customer ID" -> "customerid"; CJK kept). */
function flat(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Lower-case words, splitting camelCase and separators ("InvoiceNo" -> invoice, no). */
function words(name: string): string[] {
  return name
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

type Scorer = (name: string, kind: TypeKind) => number;

/** The first matching pattern's score, else 0. */
function firstScore(f: string, patterns: [RegExp, number][]): number {
  for (const [re, score] of patterns) if (re.test(f)) return score;
  return 0;
}

const PERSON = 'customer|cust|client|member|user|buyer|shopper|consumer|account|patron';
const PERSON_ZH = '客户|会员|用户|顾客|买家|消费者|客人';
const ID_SUFFIX = 'id|no|num|number|nr|code|key|ref';
const ID_SUFFIX_ZH = '编号|id|号码|号|代码|编码|卡号';

const scoreCustomerId: Scorer = (name, kind) => {
  if (isDateLike(kind) || kind === 'boolean') return 0;
  const f = flat(name);
  // Spreadsheets often turn numeric ids into floats (17850.0): still an id, but a weaker guess.
  const penalty = kind === 'float' ? 3 : 0;
  return Math.max(0, firstScore(f, [
    [new RegExp(`^(${PERSON})(${ID_SUFFIX})$`), 10],
    [new RegExp(`^(${PERSON_ZH})(${ID_SUFFIX_ZH})$`), 10],
    [new RegExp(`(${PERSON})(${ID_SUFFIX})$`), 9],
    [new RegExp(`(${PERSON_ZH})(${ID_SUFFIX_ZH})`), 9],
    [new RegExp(`^(${PERSON})$`), 7],
    [new RegExp(`^(${PERSON_ZH})$`), 7],
    [new RegExp(`^(${PERSON}|${PERSON_ZH})(name|名称|姓名|名)$`), 3],
  ]) - penalty);
};

const EVENT = 'order|orders|purchase|invoice|transaction|txn|trans|sale|sales|payment|pay|paid|booking|checkout';
const EVENT_ZH = '订单|下单|交易|购买|支付|付款|成交|消费';
// Dates of a person or a parcel, not of a purchase (入会时间: the day someone joined the membership).
const NOT_ORDER_DATE = /(birth|dob|signup|register|registration|joined|membersince|first|ship|deliver|update|modified|expir|due|生日|出生|注册|入会|开卡|发货|更新|到期|首次)/;

const scoreOrderDate: Scorer = (name, kind) => {
  if (!isDateLike(kind) && kind !== 'text') return 0;
  const f = flat(name);
  if (NOT_ORDER_DATE.test(f)) return 0;
  let s = firstScore(f, [
    [new RegExp(`^(${EVENT})(date|time|datetime|timestamp|dt|day|at|on)$`), 10],
    [new RegExp(`^(${EVENT_ZH})(日期|时间)$`), 10],
    [/^(date|日期)$/, 7],
    [/^(datetime|timestamp|time|ts|dt|day|时间)$/, 6],
    [/^(created|create|creation)(at|date|time|on)?$|^创建(日期|时间)$/, 6],
    [new RegExp(`(${EVENT}|${EVENT_ZH})(date|time|日期|时间)`), 8],
    [/(date|time|日期|时间)/, 4],
  ]);
  if (isDateLike(kind)) s = s > 0 ? s + 5 : 3;
  return s;
};

const NOT_AMOUNT_WORDS = new Set(['id', 'no', 'num', 'number', 'code', 'qty', 'quantity', 'count', 'cnt', 'discount', 'tax', 'shipping', 'freight', 'coupon', 'cost', 'fee', 'rate', 'pct', 'percent', 'year', 'month', 'day', 'age']);
const NOT_AMOUNT_ZH = /(数量|编号|号|折扣|优惠|运费|税|成本|费率|年龄)/;

const scoreAmount: Scorer = (name, kind) => {
  if (!isNumeric(kind)) return 0;
  const f = flat(name);
  const s = firstScore(f, [
    [/(实付金额|支付金额|订单金额|付款金额|成交金额|实收金额|实付|实收)/, 10],
    [/(amount|amt)/, 10],
    [/金额/, 9],
    [/^(total|totalprice|ordertotal|ordervalue|revenue|sales|sale|salesvalue|payment|paid|spend|spent|gmv|netsales|totalsales|totalpaid|subtotal|value|monetary)$/, 8],
    [/(销售额|营业额|收入|总价|总额|消费额|消费|付款)/, 8],
    [/(revenue|sales|total|payment|paid|spend|spent|gmv)/, 7],
    [/^(price|售价|价格)$/, 5],
    [/(price|价格|单价|售价)/, 4],
  ]);
  if (s === 0) return 0;
  if (words(name).some((w) => NOT_AMOUNT_WORDS.has(w)) || NOT_AMOUNT_ZH.test(f)) return 1;
  return s;
};

const scoreOrderId: Scorer = (name, kind) => {
  if (isDateLike(kind) || kind === 'float' || kind === 'boolean') return 0;
  const f = flat(name);
  return firstScore(f, [
    [new RegExp(`^(order|orders)(${ID_SUFFIX})$`), 10],
    [/^(订单)(号|编号|id|号码|编码|代码)$/, 10],
    [new RegExp(`^(invoice|transaction|txn|trans|receipt|bill|purchase|sale|sales|basket)(${ID_SUFFIX})$`), 9],
    [/^(交易|发票|流水|单据|小票|收据)(号|编号|id|号码|编码)$/, 9],
    [/^(invoice|receipt|单号|订单)$/, 8],
    [new RegExp(`(order|invoice|transaction|receipt)(${ID_SUFFIX})$`), 8],
    [/(订单号|订单编号|交易号|流水号|单号)/, 8],
    [/^order$/, 6],
  ]);
};

const SCORERS: [RoleName, Scorer][] = [
  ['customerId', scoreCustomerId],
  ['orderDate', scoreOrderDate],
  ['amount', scoreAmount],
  ['orderId', scoreOrderId],
];

/**
 * Guesses the column for each role from names (English and Chinese) and DuckDB types: dates
 * prefer DATE/TIMESTAMP columns (a lone DATE/TIMESTAMP column is taken even without a telling
 * name), amounts must be numeric. Each column gets at most one role, best scores first; a role
 * with no plausible column stays null.
 */
export function guessRoles(columns: ColumnInfo[]): ColumnRoles {
  const candidates: { role: RoleName; col: number; score: number }[] = [];
  columns.forEach((c, col) => {
    const kind = typeKind(c.type);
    for (const [role, scorer] of SCORERS) {
      const score = scorer(c.name, kind);
      if (score > 1) candidates.push({ role, col, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.col - b.col);
  const roles: ColumnRoles = { customerId: null, orderDate: null, amount: null, orderId: null };
  const used = new Set<number>();
  for (const { role, col } of candidates) {
    if (roles[role] !== null || used.has(col)) continue;
    roles[role] = columns[col].name;
    used.add(col);
  }
  return roles;
}

/**
 * Problems with a role choice, judged from column types alone: missing required roles, unknown
 * columns, a column used twice, an amount that is not numeric, a date column that is neither
 * DATE/TIMESTAMP nor text (text dates are read with TRY_CAST; run `roleCheckQuery` to count failures).
 */
export function validateRoles(roles: ColumnRoles, columns: ColumnInfo[]): RoleProblem[] {
  const problems: RoleProblem[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  const required: RoleName[] = ['customerId', 'orderDate', 'amount'];
  for (const role of required) {
    if (!roles[role]) problems.push({ severity: 'error', role, message: t('msg.roles.choose', { role: roleLabel(role) }) });
  }
  const seen = new Map<string, RoleName>();
  for (const role of ['customerId', 'orderDate', 'amount', 'orderId'] as RoleName[]) {
    const name = roles[role];
    if (!name) continue;
    const col = byName.get(name);
    if (!col) {
      problems.push({ severity: 'error', role, message: t('msg.roles.notAColumn', { name, role: roleLabel(role) }) });
      continue;
    }
    const other = seen.get(name);
    if (other) {
      problems.push({ severity: 'error', role, message: t('msg.roles.twice', { name, first: roleLabel(other), second: roleLabel(role) }) });
    }
    seen.set(name, role);
    const kind = typeKind(col.type);
    if (role === 'amount' && !isNumeric(kind)) {
      problems.push({ severity: 'error', role, message: t('msg.roles.amountNotNumber', { name, type: describeType(col.type) }) });
    }
    if (role === 'orderDate') {
      if (kind === 'text') {
        problems.push({ severity: 'warning', role, message: t('msg.roles.dateText', { name }) });
      } else if (!isDateLike(kind)) {
        problems.push({ severity: 'error', role, message: t('msg.roles.dateNotDate', { name, type: describeType(col.type) }) });
      }
    }
    if ((role === 'customerId' || role === 'orderId') && (kind === 'float' || isDateLike(kind) || kind === 'boolean')) {
      problems.push({ severity: 'warning', role, message: t('roles.unusualIdType', { name, type: describeType(col.type), role: roleLabel(role) }) });
    }
  }
  return problems;
}

/** The source and columns `roleCheckQuery` reads. */
export type RoleCheckSpec = Pick<RfmSpec, 'source' | 'customerId' | 'orderDate' | 'amount' | 'orderId'>;

/** The one row `roleCheckQuery` returns (counts; dates as yyyy-mm-dd text). */
export interface RoleCheck {
  rows: number;
  null_customer_ids: number;
  null_dates: number;
  bad_dates: number;
  null_amounts: number;
  non_numeric_amounts: number;
  negative_amounts: number;
  null_order_ids: number;
  /** Distinct non-null order ids; null when there is no order id column. */
  order_ids: number | null;
  min_date: string | null;
  max_date: string | null;
}

/**
 * One row of data-quality counts for a role choice, reading the columns exactly as `rfmSql` does:
 * rows, null customer ids, null dates, non-null dates that do not read as dates, null amounts,
 * non-null amounts that are not numbers, negative amounts, null order ids, distinct order ids,
 * min and max date.
 */
export function roleCheckQuery(spec: RoleCheckSpec): string {
  const d = orderDateExpr(spec.orderDate);
  const a = amountExpr(spec.amount);
  const oid = spec.orderId ? ident(spec.orderId) : null;
  return `SELECT count(*) AS rows,
  count(*) FILTER (WHERE ${ident(spec.customerId)} IS NULL) AS null_customer_ids,
  count(*) FILTER (WHERE ${ident(spec.orderDate)} IS NULL) AS null_dates,
  count(*) FILTER (WHERE ${ident(spec.orderDate)} IS NOT NULL AND ${d} IS NULL) AS bad_dates,
  count(*) FILTER (WHERE ${ident(spec.amount)} IS NULL) AS null_amounts,
  count(*) FILTER (WHERE ${ident(spec.amount)} IS NOT NULL AND ${a} IS NULL) AS non_numeric_amounts,
  count(*) FILTER (WHERE ${a} < 0) AS negative_amounts,
  ${oid ? `count(*) FILTER (WHERE ${oid} IS NULL)` : '0'} AS null_order_ids,
  ${oid ? `count(DISTINCT ${oid})` : 'CAST(NULL AS BIGINT)'} AS order_ids,
  CAST(min(${d}) AS VARCHAR) AS min_date,
  CAST(max(${d}) AS VARCHAR) AS max_date
FROM ${ident(spec.source)}`;
}

/** Whether the order ids are unique per row (then frequency can count rows: `orderIdsUnique`). */
export function orderIdsAreUnique(check: RoleCheck): boolean {
  return check.order_ids !== null && check.null_order_ids === 0 && check.order_ids === check.rows;
}

/** Turns a `roleCheckQuery` row into problems a user can act on (e.g. "no dates in column 'X'"). */
export function roleCheckProblems(check: RoleCheck, spec: RoleCheckSpec & { negatives?: 'net' | 'exclude' }): RoleProblem[] {
  const problems: RoleProblem[] = [];
  const { rows } = check;
  if (rows === 0) return [{ severity: 'error', role: null, message: t('msg.roles.noRows', { source: spec.source }) }];
  // Counts as they always read here (no grouping), so existing checks of these messages hold.
  const of = (n: number) => t('msg.roles.rowsOf', { n: String(n), rows: String(rows) });
  if (check.null_customer_ids === rows) {
    problems.push({ severity: 'error', role: 'customerId', message: t('msg.roles.noCustomerIds', { column: spec.customerId }) });
  } else if (check.null_customer_ids > 0) {
    problems.push({ severity: 'warning', role: 'customerId', message: t('msg.roles.someNoCustomerId', { count: of(check.null_customer_ids), column: spec.customerId }) });
  }
  const goodDates = rows - check.null_dates - check.bad_dates;
  if (goodDates === 0) {
    const why = check.bad_dates > 0 ? t('msg.roles.noDatesBad', { n: String(check.bad_dates) }) : t('msg.roles.allEmpty');
    problems.push({ severity: 'error', role: 'orderDate', message: t('msg.roles.noDates', { column: spec.orderDate, why }) });
  } else {
    if (check.bad_dates > 0) problems.push({ severity: 'warning', role: 'orderDate', message: t('msg.roles.someBadDates', { count: of(check.bad_dates), column: spec.orderDate }) });
    if (check.null_dates > 0) problems.push({ severity: 'warning', role: 'orderDate', message: t('msg.roles.someNoDates', { count: of(check.null_dates), column: spec.orderDate }) });
  }
  const goodAmounts = rows - check.null_amounts - check.non_numeric_amounts;
  if (goodAmounts === 0) {
    problems.push({ severity: 'error', role: 'amount', message: t('msg.roles.noNumbers', { column: spec.amount }) });
  } else {
    const bad = check.null_amounts + check.non_numeric_amounts;
    if (bad > 0) problems.push({ severity: 'warning', role: 'amount', message: t('msg.roles.someNoAmount', { count: of(bad), column: spec.amount }) });
    // The note says what the chosen setting does (issue 14: it said "netted" while Exclude was chosen).
    if (check.negative_amounts > 0) {
      const key = spec.negatives === 'exclude' ? 'roles.refundsExcluded' : 'roles.refundsNetted';
      problems.push({ severity: 'info', role: 'amount', message: t(key, { n: check.negative_amounts, rows }) });
    }
  }
  if (spec.orderId && check.order_ids !== null) {
    if (orderIdsAreUnique(check)) {
      problems.push({ severity: 'info', role: 'orderId', message: t('msg.roles.uniqueOrderIds', { column: spec.orderId }) });
    } else if (check.null_order_ids > 0) {
      problems.push({ severity: 'warning', role: 'orderId', message: t('msg.roles.someNoOrderId', { count: of(check.null_order_ids), column: spec.orderId }) });
    }
  }
  return problems;
}
