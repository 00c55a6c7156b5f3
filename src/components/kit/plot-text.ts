/** The words of the analysis charts, from the catalogue (so charts follow the interface language). Call inside `$derived` so a language switch redraws. */
import { t } from '../../lib/i18n';
import type { SegmentPlotText } from '../../lib/plots/segment-plots';
import type { RfmPlotText } from '../../lib/plots/rfm-plots';
import type { ClvPlotText } from '../../lib/plots/clv-plots';

/** The segmentation charts' text in the current language. */
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

/** The RFM charts' text (also the share bars and histograms of lifecycle and CLV) in the current language. */
export function rfmPlotText(): RfmPlotText {
  return {
    customers: t('rfm.chart.customers'),
    revenue: t('rfm.chart.revenue'),
    shareCustomers: t('rfm.chart.shareCustomers'),
    shareRevenue: t('rfm.chart.shareRevenue'),
    avgMonetary: t('rfm.chart.avgMonetary'),
    rAxis: t('rfm.chart.rAxis'),
    fAxis: t('rfm.chart.fAxis'),
    customersN: (n) => t('rfm.chart.customersN', { n }),
    avgShort: (value) => t('rfm.chart.avgShort', { value }),
    mostly: (segment, share) => t('rfm.chart.mostly', { segment, share }),
    cellTitle: (r, f) => t('rfm.chart.cellTitle', { r, f }),
    paretoX: t('rfm.chart.paretoX'),
    paretoY: t('rfm.chart.paretoY'),
    equality: t('rfm.chart.equality'),
    topLabel: (pct, share) => t('rfm.chart.topLabel', { pct, share }),
    paretoTip: (customers, revenue) => t('rfm.chart.paretoTip', { customers, revenue }),
    decileAxis: t('rfm.chart.decileAxis'),
    topDecile: t('rfm.chart.topDecile'),
    range: (from, to) => t('rfm.chart.range', { from, to }),
  };
}

/** The CLV charts' text in the current language. */
export function clvPlotText(): ClvPlotText {
  return {
    actual: t('clv.holdout.actual'),
    predicted: t('clv.holdout.predicted'),
    holdoutX: t('clv.holdout.x'),
    holdoutY: t('clv.holdout.y'),
    customersN: (n) => t('rfm.chart.customersN', { n }),
    totalClv: t('clv.seg.total'),
    share: t('clv.seg.share'),
  };
}
