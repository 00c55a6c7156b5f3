/**
 * The starter notebook of the Chinese sample (a Tmall tea shop: tables 订单 and 会员): its notes
 * come from the catalogue, so they read in the interface language; cell names are Chinese, as a
 * Chinese analyst would name them (they are names, never translated).
 */
import { t } from '../i18n';
import type { Cell } from './cells';
import { defaultRfmRules } from './cells';
import { defaultRfmSpec } from '../segment/rfm-spec';
import { emptyOrdersSpec } from '../orders/orders-spec';
import { MODEL_ROLES } from './cells-orders';

/** The table names of the Chinese sample (public/samples/tmall/manifest.json). */
export const ZH_SAMPLE_TABLES = { orders: '订单', members: '会员' } as const;
/** The names of the Chinese starter's model, customer view and province cells. */
export const ZH_STARTER_NAMES = { model: '购买记录', monthly: '月度销售', customers: '客户视图', provinces: '地域分布', rfm: 'rfm' } as const;

/** The orders model of the Tmall export: the seller centre's column names, statuses decided by the presets. */
function tmallModel(): Cell {
  const col = (column: string) => ({ table: ZH_SAMPLE_TABLES.orders, column });
  const spec = emptyOrdersSpec();
  spec.source = ZH_SAMPLE_TABLES.orders;
  spec.roles = {
    ...spec.roles,
    customer: col('买家会员名'),
    orderId: col('订单编号'),
    orderDate: col('订单付款时间'),
    amount: col('买家实际支付金额'),
    refund: col('退款金额'),
    status: col('订单状态'),
    quantity: col('宝贝总数量'),
    product: col('宝贝标题'),
  };
  return { id: 'starter-zh-orders', kind: 'orders', name: ZH_STARTER_NAMES.model, spec };
}

const note = (id: string, name: string, title: string, body: string): Cell => ({ id, kind: 'notes', name, text: `## ${title}\n\n${body}` });

/** The starter notebook over the Chinese sample tables. */
export function zhStarterNotebook(): Cell[] {
  const n = ZH_STARTER_NAMES;
  return [
    note('starter-zh-intro', '介绍', t('starterZh.introTitle'), t('starterZh.intro')),
    note('starter-zh-model-intro', '订单模型说明', t('starterZh.modelTitle'), t('starterZh.model')),
    tmallModel(),
    {
      id: 'starter-zh-monthly',
      kind: 'sql',
      name: n.monthly,
      sql: [
        'SELECT date_trunc(\'month\', order_date) AS 月份,',
        '       round(sum(amount), 2) AS 销售额,',
        '       count(DISTINCT order_id) AS 订单数,',
        '       count(DISTINCT customer_id) AS 客户数',
        `FROM "${n.model}"`,
        'GROUP BY ALL',
        'ORDER BY 月份',
      ].join('\n'),
    },
    { id: 'starter-zh-monthly-chart', kind: 'chart', name: '月度销售趋势', spec: { source: n.monthly, mark: 'line', x: '月份', y: '销售额', color: null, aggregate: 'sum' } },
    note('starter-zh-rfm-intro', 'rfm说明', t('starterZh.rfmTitle'), t('starterZh.rfm')),
    { id: 'starter-zh-rfm', kind: 'rfm', name: n.rfm, spec: defaultRfmSpec(n.model, { ...MODEL_ROLES }), rules: defaultRfmRules() },
    note('starter-zh-geo-intro', '地域说明', t('starterZh.geoTitle'), t('starterZh.geo')),
    {
      id: 'starter-zh-customers',
      kind: 'customers',
      name: n.customers,
      spec: {
        orders: n.model,
        customers: ZH_SAMPLE_TABLES.members,
        roles: { ...MODEL_ROLES, channel: null, category: null, discount: null },
        customersId: '买家会员名',
        asOf: null,
        newWithinDays: 90,
      },
    },
    {
      id: 'starter-zh-provinces',
      kind: 'attributes',
      name: n.provinces,
      source: n.customers,
      bands: [{ column: '收货地址', kind: 'category', derive: 'province', minShare: 0, maxGroups: 34 }],
      revenue: 'revenue',
      orders: 'orders',
      rate: null,
    },
  ];
}
