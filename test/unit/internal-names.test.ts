/** Issue 14: internal engine object names (__segnote_…) never reach the user. */
import { expect, test } from 'vitest';
import { hideInternalNames } from '../../src/lib/internal-names';
import { t } from '../../src/lib/i18n';

test('a missing scratch table becomes a sentence to act on; other internal names are reworded; other messages stay', () => {
  const missing = 'Catalog Error: Table with name __segnote_clv_c3_in does not exist!\nDid you mean "orders"?';
  expect(hideInternalNames(missing)).toBe(t('err.internalMissing'));
  expect(hideInternalNames('Binder Error: column "x" not found in "__segnote_seg_s1_members"')).toBe(`Binder Error: column "x" not found in ${t('err.internalObject')}`);
  expect(hideInternalNames('Parser Error: syntax error at or near "FORM"')).toBe('Parser Error: syntax error at or near "FORM"');
  for (const m of [missing, 'x __segnote_a_b y "__segnote_客户_1"']) expect(hideInternalNames(m)).not.toContain('__segnote_');
});
