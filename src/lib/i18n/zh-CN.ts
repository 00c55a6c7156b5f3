/** The Simplified Chinese interface text, assembled from one file per feature like en.ts. */
import { zhCore } from './zh-core';
import { zhSegment } from './zh-segment';
import { zhCluster } from './zh-cluster';
import { zhClv } from './zh-clv';
import { zhOrders } from './zh-orders';
import { zhIngest } from './zh-ingest';
import { zhMessages } from './zh-messages';
import { zhRfmTypes } from './zh-rfm-types';
import { zhGeo } from './zh-geo';
import { zhReport } from './zh-report';

export const zhCN = {
  ...zhCore,
  ...zhSegment,
  ...zhCluster,
  ...zhClv,
  ...zhOrders,
  ...zhIngest,
  ...zhMessages,
  ...zhRfmTypes,
  ...zhGeo,
  ...zhReport,
};
