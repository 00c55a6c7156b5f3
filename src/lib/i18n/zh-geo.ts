/** Simplified Chinese text for the geographic and sample keys (mirrors en-geo.ts). */
import type { enGeo } from './en-geo';
import type { Translation } from './translation';

export const zhGeo: Translation<typeof enGeo> = {
  'geo.method.province': '省份（由地址识别）',
  'geo.method.city': '城市（由地址识别）',
  'geo.title.province': '{column} → 省份',
  'geo.title.city': '{column} → 城市',
  'geo.hint': '从中文地址中识别省级行政区或地级市，并统一为全称（北京 → 北京市，内蒙古 → 内蒙古自治区，杭州 → 杭州市）；无法识别的地址归入“（空）”组。识别规则就是下方的 SQL。',
  'geo.err.notText': '“{column}”的类型是 {kind}，不是地址：请按其取值分组',
  'geo.err.part': '未知的地址层级：{part}（应为省份或城市）。',
  'geo.chartNote': '按客户数排序。省份地图需要可离线打包且持续维护的边界数据，目前没有找到这样的包，因此以排名图展示。',

  'sample.label': '示例数据：',
  'sample.shop': '户外用品店（英文）',
  'sample.tmall': '天猫店铺（中文）',
  'sample.open': '打开示例数据「{name}」',
  'sample.loading': '正在加载示例数据…',
  'sample.hint': '加载示例数据的表，并以新笔记本打开对应的入门笔记本；已有的笔记本和表都会保留。',

  'starterZh.introTitle': '欢迎使用 Segnote',
  'starterZh.intro': '这份示例数据来自一家天猫店铺：**订单** 是卖家中心导出的订单报表（GBK 编码的 CSV，中文列名、订单状态和收货地址都与真实导出一致），**会员** 是店铺 CRM 的会员列表。把你自己的导出文件拖到页面任意位置即可分析，数据只留在本机。',
  'starterZh.modelTitle': '哪些订单算作购买',
  'starterZh.model': '下方的 **订单模型** 为整个笔记本统一定义购买：交易成功和已发货的订单算作购买，交易关闭和等待买家付款不算，退款金额从消费金额中扣除。请核对订单状态和对账结果，后面的单元格都读取这个模型。',
  'starterZh.rfmTitle': '谁是最有价值的客户？谁正在流失？',
  'starterZh.rfm': '**RFM** 单元格按最近一次消费（距上次购买的天数）、消费频次（订单数）和消费金额为每位客户打分，并据此划分客群。点击客群即可查看其中的客户。',
  'starterZh.geoTitle': '客户分布在哪里？',
  'starterZh.geo': '**客户视图** 把每位会员的订单与 CRM 属性放在一起；**属性** 单元格按收货地址识别出的省份分组，展示各省的客户占比和销售额占比。',
};
