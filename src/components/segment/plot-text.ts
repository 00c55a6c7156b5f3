/** The words of the segmentation charts, from the catalogue (so charts follow the interface language). */
import { t } from '../../lib/i18n';
import type { SegmentPlotText } from '../../lib/plots/segment-plots';

/** The chart text in the current language. */
export function plotText(): SegmentPlotText {
  return {
    shareCustomers: t('seg.chart.shareCustomers'),
    shareRevenue: t('seg.chart.shareRevenue'),
    customers: t('seg.chart.customers'),
    revenue: t('seg.chart.revenue'),
    avgOrderValue: t('seg.chart.aov'),
    customersN: (n) => t('seg.chart.customersN', { n }),
    measures: {
      customers: t('seg.measure.customers'),
      share_in_band_1: t('seg.measure.shareInRow'),
      revenue: t('seg.measure.revenue'),
      avg_order_value: t('seg.measure.aov'),
    },
    inSegment: t('seg.chart.inSegment'),
    overall: t('seg.chart.overall'),
    index: (value) => t('seg.chart.index', { value }),
    average: (attribute) => t('seg.chart.average', { attribute }),
  };
}
