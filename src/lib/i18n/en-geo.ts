/** English interface text for geographic segmentation from Chinese addresses and the bundled samples (merged into the catalogue in en.ts). */
export const enGeo = {
  'geo.method.province': 'Province (read from the address)',
  'geo.method.city': 'City (read from the address)',
  'geo.title.province': '{column} → province',
  'geo.title.city': '{column} → city',
  'geo.hint': 'Reads the province-level unit or prefecture-level city from Chinese addresses and writes it in full (北京 → 北京市, 内蒙古 → 内蒙古自治区, 杭州 → 杭州市); addresses it cannot place are grouped as (empty). The SQL below does the reading.',
  'geo.err.notText': "'{column}' holds {kind}, not addresses: group it by its values",
  'geo.err.part': 'Unknown part of an address: {part} (province or city).',
  'geo.chartNote': 'Ranked by customers. A province map would need boundary data that can be bundled offline and is kept up to date; no such package was found, so the ranking is shown instead.',

  'sample.label': 'Sample data:',
  'sample.shop': 'Outdoor shop (English)',
  'sample.tmall': 'Tmall shop (Chinese)',
  'sample.open': 'Open the {name} sample',
  'sample.loading': 'Loading the sample…',
  'sample.hint': 'Loads the sample tables and opens its starter notebook as a new notebook; your notebooks and tables stay.',

  'starterZh.introTitle': 'Welcome to Segnote',
  'starterZh.intro': 'This sample is a Tmall shop: **订单** is the seller order export (GBK-encoded CSV with Chinese column names, statuses and delivery addresses, as the seller centre exports it) and **会员** the member list of the shop\'s CRM. Drop your own export anywhere on the page — it stays on this machine.',
  'starterZh.modelTitle': 'What counts as a purchase',
  'starterZh.model': 'The **orders model** below decides it once for the whole notebook: 交易成功 and shipped orders are purchases, 交易关闭 and 等待买家付款 are not, refunds (退款金额) are netted. Check the statuses and the reconciliation; every cell below reads this model.',
  'starterZh.rfmTitle': 'Who are the best customers, and who is slipping away?',
  'starterZh.rfm': 'The **RFM** cell scores every customer on recency (days since the last purchase), frequency (orders) and monetary value (spend) and names segments from the scores. Click a segment to list its customers.',
  'starterZh.geoTitle': 'Where do the customers live?',
  'starterZh.geo': 'The **customer view** puts each member\'s orders next to their CRM attributes; the **attributes** cell groups them by the province read from their delivery address (收货地址), with their share of customers and of revenue.',
} as const;
