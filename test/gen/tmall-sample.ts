/**
 * The Chinese sample shop (issue 15): a Tmall tea shop's seller order export and its CRM member
 * list, seeded, with the per-customer truth worked out from the generated records directly (in
 * cents, plain TypeScript — never through SQL or the app's code).
 *
 * The export looks like the seller centre's 订单报表: GBK-encoded CSV, Chinese column names (two
 * with a trailing space), Excel's ="…" text guard on order, payment and tracking numbers, the
 * statuses 交易成功 / 卖家已发货，等待买家确认 / 买家已付款，等待卖家发货 / 交易关闭 (paid and
 * refunded, or never paid) / 等待买家付款 / 退款中, an empty 订单付款时间 when unpaid, 退款金额,
 * picker-made and hand-typed delivery addresses. The member list (GBK too, as Excel saves it)
 * holds member level, gender, age band, a usual delivery address and the join date; a few buyers
 * are not members and a few members never bought.
 *
 * What a purchase is (the definition the truth follows): an order whose status is 交易成功,
 * 卖家已发货，等待买家确认 or 买家已付款，等待卖家发货, dated by its payment time, worth
 * 买家实际支付金额 − 退款金额. Closed, unpaid and refunding orders are not purchases.
 */
import { randomCnAddress } from './cn-addresses';
import type { CustomerTruth } from './exports';
import { gbkEncode } from './gbk';
import { createRandom, type Random } from './random';

/** The seed of the bundled Chinese sample. */
export const TMALL_SAMPLE_SEED = 20241111;

/** The tables of the Chinese sample, in load order: file names under public/samples/tmall/. */
export const TMALL_MANIFEST = [
  { table: '订单', file: 'tmall-orders.csv' },
  { table: '会员', file: 'tmall-members.csv' },
] as const;

/** The generated sample: the two files' bytes and what they mean. */
export interface TmallSample {
  orders: Uint8Array;
  members: Uint8Array;
  /** Per buyer (买家会员名): purchases, net spend in cents, first and last purchase day, purchase days. */
  truth: Map<string, CustomerTruth>;
  /** Rows of the order export. */
  rows: number;
  /** Rows of each status. */
  statuses: Record<string, number>;
  /** Members in the member list. */
  memberCount: number;
}

const PRODUCTS: [title: string, cents: number][] = [
  ['2025新茶 明前龙井 西湖产区 绿茶 250g罐装', 26800],
  ['安吉白茶 雨前一级 100g 礼盒装', 15800],
  ['正山小种 红茶 武夷山桐木关 200g', 12800],
  ['云南普洱 熟茶 勐海七子饼 357g', 19900],
  ['福鼎白茶 白牡丹 2019年老白茶 饼 300g', 35900],
  ['安溪铁观音 清香型 浓香 500g 散装', 9800],
  ['茉莉花茶 福州飘雪 250g', 5900],
  ['凤凰单丛 鸭屎香 乌龙茶 150g', 16800],
  ['金骏眉 红茶 特级 礼盒 250g', 49800],
  ['陶瓷功夫茶具套装 家用 整套', 23900],
  ['便携式旅行茶具 快客杯 一壶两杯', 6900],
  ['玻璃公道杯 加厚耐热 茶海', 3900],
  ['竹制茶盘 储水式 小号', 12900],
  ['试饮装 五款名茶组合 每款5g', 1990],
];
const NICKS = ['tb', '茶友', '小鹿', 'sunny', '阿花', '米粒', '晴天', 'ocean', '清风', '木子', 'lucky', '小橘子', '老王', 'momo', '糖糖', 'kiki'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '晓东', '雨萱', '子涵'];
const LEVELS = ['普通会员', '银卡会员', '金卡会员', '钻石会员'] as const;
const AGE_BANDS = ['18-24岁', '25-29岁', '30-34岁', '35-39岁', '40-49岁', '50岁以上'];
const COURIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递'];
const MESSAGES = ['请尽快发货', '不要放发票', '送人的，请包装好看一点', '周末送货', '麻烦多给几个试饮装'];
const MEMOS = ['赠送试饮装', '顺丰加急', '老客户，送茶点', '已电话确认地址', '缺货改发同款'];
const CLOSE_REASONS_UNPAID = ['买家未付款，交易超时自动关闭', '买家不想买了', '拍错了'];
const CLOSE_REASONS_PAID = ['退款成功，交易关闭', '缺货，卖家主动退款'];

/** The first day orders are created, and the export's end (exclusive). */
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2025, 11, 1);
const DAY = 86_400_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const stamp = (t: number) => {
  const d = new Date(t);
  return `${isoDay(t)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const money = (cents: number) => (cents / 100).toFixed(2);
const digits = (r: Random, n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');

function csv(rows: (string | number | null)[][]): string {
  return `${rows
    .map((row) =>
      row
        .map((v) => {
          if (v === null) return '';
          const s = String(v);
          if (s.startsWith('="')) return s; // Excel's text guard, written raw as the shops write it
          return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
        })
        .join(','),
    )
    .join('\r\n')}\r\n`;
}

interface Member {
  nick: string;
  name: string;
  phone: string;
  address: string;
  gender: string;
  age: string;
  joined: number;
  inList: boolean;
}

function member(r: Random, i: number): Member {
  const nick = `${r.pick(NICKS)}${r.bernoulli(0.5) ? '_' : ''}${(i * 7919 + 13) % 100_000}`;
  return {
    nick,
    name: `${r.pick(SURNAMES)}${r.pick(GIVEN)}`,
    phone: `1${r.pick(['38', '39', '58', '86', '35', '77'])}****${digits(r, 4)}`,
    address: randomCnAddress(r, 0.03),
    gender: r.weighted(['女', '男', '未知'], [58, 36, 6]),
    age: r.weighted(AGE_BANDS, [10, 22, 24, 18, 17, 9]),
    joined: 0,
    inList: r.bernoulli(0.95),
  };
}

function addPurchase(truth: Map<string, CustomerTruth>, buyer: string, day: string, cents: number): void {
  const t = truth.get(buyer) ?? { orders: 0, cents: 0, first: day, last: day, days: new Set<string>() };
  truth.set(buyer, t);
  t.orders += 1;
  t.cents += cents;
  if (day < t.first) t.first = day;
  if (day > t.last) t.last = day;
  t.days.add(day);
}

/** Generates the sample from `seed` (the same seed gives the same bytes). */
export function generateTmallSample(seed = TMALL_SAMPLE_SEED, members = 1200): TmallSample {
  const r = createRandom(seed);
  const people = Array.from({ length: members }, (_, i) => member(r.fork(`member-${i}`), i));
  const header = [
    '订单编号', '买家会员名', '买家支付宝账号', '支付单号', '买家应付货款 ', '买家应付邮费', '总金额', '买家实际支付金额', '订单状态', '买家留言', '收货人姓名', '收货地址',
    '运送方式', '联系手机', '订单创建时间', '订单付款时间', '宝贝标题', '宝贝种类', '物流单号 ', '物流公司', '宝贝总数量', '店铺名称', '订单关闭原因', '退款金额', '商家备注',
  ];
  const orders: { created: number; row: (string | number | null)[] }[] = [];
  const truth = new Map<string, CustomerTruth>();
  const statuses: Record<string, number> = {};
  const spent = new Map<string, number>();
  for (const [i, p] of people.entries()) {
    const pr = r.fork(`orders-${i}`);
    if (pr.bernoulli(0.05)) continue; // a member who never bought
    // Loyal customers buy often; about half buy once.
    const loyalty = pr.beta(1.2, 2.2);
    let t = START + Math.floor(pr.next() ** 1.3 * (END - START - DAY));
    p.joined = t - pr.int(0, 400) * DAY;
    for (let k = 0; t < END; k++) {
      const created = t + pr.int(8 * 3600, 23 * 3600) * 1000;
      if (created >= END) break;
      const lines = pr.weighted([1, 2, 3], [70, 22, 8]);
      const items = Array.from({ length: lines }, () => ({ product: pr.pick(PRODUCTS), q: pr.weighted([1, 2, 3], [80, 15, 5]) }));
      const goods = items.reduce((s, x) => s + x.q * x.product[1], 0);
      const postage = goods >= 9900 ? 0 : 800;
      const coupon = pr.weighted([0, 500, 1000, 2000], [60, 20, 12, 8]);
      const paidCents = Math.max(1, goods + postage - (goods > coupon * 3 ? coupon : 0));
      const age = (END - created) / DAY;
      let status: string;
      if (age < 5) status = pr.weighted(['等待买家付款', '买家已付款，等待卖家发货', '卖家已发货，等待买家确认'], [25, 40, 35]);
      else if (age < 15) status = pr.weighted(['卖家已发货，等待买家确认', '交易成功', '交易关闭', '退款中'], [55, 35, 6, 4]);
      else status = pr.weighted(['交易成功', '交易关闭', '退款中'], [88, 11.6, 0.4]);
      const paid = status !== '等待买家付款' && !(status === '交易关闭' && pr.bernoulli(0.55));
      const paidAt = paid ? created + pr.int(20, 1800) * 1000 : null;
      let refund = 0;
      if (status === '交易成功' && pr.bernoulli(0.07)) refund = pr.int(500, Math.max(500, Math.floor(paidCents / 2)));
      if ((status === '交易关闭' && paid) || status === '退款中') refund = paidCents;
      const shipped = paid && status !== '买家已付款，等待卖家发货' && !(status === '交易关闭');
      const address = pr.bernoulli(0.9) ? p.address : randomCnAddress(pr, 0.03);
      const row = [
        `="${pad(Math.floor(created / 1000) % 1e9, 9)}${digits(pr, 10)}"`,
        p.nick,
        `${p.phone.replace('****', digits(pr, 4))}`,
        paid ? `="${isoDay(paidAt!).replaceAll('-', '')}${digits(pr, 20)}"` : '',
        money(goods),
        money(postage),
        money(goods + postage),
        money(paid ? paidCents : 0),
        status,
        pr.bernoulli(0.08) ? pr.pick(MESSAGES) : '',
        p.name,
        address,
        '快递',
        p.phone,
        stamp(created),
        paidAt ? stamp(paidAt) : '',
        items.map((x) => x.product[0]).join('，'),
        new Set(items.map((x) => x.product[0])).size,
        shipped ? `="${pr.pick(['SF', 'ZT', 'YT', 'YD'])}${digits(pr, 12)}"` : '',
        shipped ? pr.pick(COURIERS) : '',
        items.reduce((s, x) => s + x.q, 0),
        '山茶记旗舰店',
        status === '交易关闭' ? pr.pick(paid ? CLOSE_REASONS_PAID : CLOSE_REASONS_UNPAID) : '',
        money(refund),
        pr.bernoulli(0.05) ? pr.pick(MEMOS) : '',
      ];
      orders.push({ created, row });
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === '交易成功' || status === '卖家已发货，等待买家确认' || status === '买家已付款，等待卖家发货') {
        addPurchase(truth, p.nick, isoDay(paidAt!), paidCents - refund);
        spent.set(p.nick, (spent.get(p.nick) ?? 0) + paidCents - refund);
      }
      if (pr.bernoulli(k === 0 ? 0.48 : 0.05 + 0.7 * (1 - loyalty))) break;
      t = created + Math.max(1, Math.round(pr.exponential(1 / (25 + 140 * (1 - loyalty))))) * DAY;
    }
  }
  // The export lists the newest orders first.
  orders.sort((a, b) => b.created - a.created);
  const memberHeader = ['买家会员名', '会员等级', '性别', '年龄段', '收货地址', '入会时间'];
  const memberRows = people
    .filter((p) => p.inList)
    .map((p) => {
      const cents = spent.get(p.nick) ?? 0;
      const level = LEVELS[cents >= 200_000 ? 3 : cents >= 80_000 ? 2 : cents >= 30_000 ? 1 : 0];
      const joined = p.joined || START + r.int(0, 600) * DAY;
      return [p.nick, level, p.gender, p.age, p.address, isoDay(joined)];
    });
  return {
    orders: gbkEncode(csv([header, ...orders.map((o) => o.row)])),
    members: gbkEncode(csv([memberHeader, ...memberRows])),
    truth,
    rows: orders.length,
    statuses,
    memberCount: memberRows.length,
  };
}
