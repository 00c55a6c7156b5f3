/**
 * The engine objects Segnote makes for itself (scratch tables of a run, selection views) all start
 * with `__segnote_`. They must never reach the user (issue 14): an error that names one is
 * reworded here before it is shown.
 */
import { t } from './i18n';

/** The prefix of every internal engine object. */
export const INTERNAL_PREFIX = '__segnote_';

/** The kept per-customer aggregates of an RFM cell (issue 16: settings changes re-score from them). */
export function rfmAggregatesName(cellId: string): string {
  return `${INTERNAL_PREFIX}rfmagg_${cellId}`;
}

/** The kept quintile cuts of an RFM cell for one monetary definition (issue 16). */
export function rfmCutsName(cellId: string, monetary: 'total' | 'average'): string {
  return `${INTERNAL_PREFIX}rfmcuts_${monetary}_${cellId}`;
}

const MISSING = /(?:Table|View) with name "?__segnote_[\p{L}\p{N}_]*"? does not exist/u;
const NAME = /"?__segnote_[\p{L}\p{N}_]*"?/gu;

/** The message without internal object names: a missing scratch table becomes a sentence to act on, other names "a working table of this cell". */
export function hideInternalNames(message: string): string {
  if (!message.includes(INTERNAL_PREFIX)) return message;
  if (MISSING.test(message)) return t('err.internalMissing');
  return message.replace(NAME, t('err.internalObject'));
}
