/**
 * Built-in segment names, descriptions and actions as catalogue keys (issue 15). A notebook stores
 * a built-in text as its key (`rfm.seg.champions`, `rfm8.type.importantValue`, `rfm.segAction.lost`)
 * and the page shows it in the current language; text the user typed is stored and shown as typed.
 *
 * Where names meet data: an RFM result's `segment` column holds the names as shown in the language
 * of its run (readable in SQL cells, charts and exports), and the RFM cell runs again when the
 * language changes. Anything stored that names a built-in segment — a segment-builder condition
 * "segment = Champions", a compare cell's RFM segment — matches it in every language
 * (`segmentForms`), so it keeps working after a switch.
 */
import { t, type MessageKey } from '../i18n';
import { enRfmTypes } from '../i18n/en-rfm-types';
import { zhRfmTypes } from '../i18n/zh-rfm-types';
import { ident, str } from '../sql/quote';

/** A key of a built-in text that notebooks store. */
export type BuiltinKey = keyof typeof enRfmTypes & MessageKey;

const NAME_PREFIXES = ['rfm.seg.', 'rfm8.type.'];
const TEXT_PREFIXES = [...NAME_PREFIXES, 'rfm.segDesc.', 'rfm.segAction.', 'rfm8.action.'];

/** The catalogues whose built-in names are matched, in every language the app ships. */
const LANGUAGES: readonly Record<string, string>[] = [enRfmTypes, zhRfmTypes];

/** Whether a stored text is the key of a built-in name, description or action. */
export function isBuiltinKey(text: string): text is BuiltinKey {
  return Object.hasOwn(enRfmTypes, text) && TEXT_PREFIXES.some((p) => text.startsWith(p));
}

/** Whether a stored name is the key of a built-in segment or type name. */
export function isBuiltinNameKey(text: string): text is BuiltinKey {
  return isBuiltinKey(text) && NAME_PREFIXES.some((p) => text.startsWith(p));
}

/** A stored name, description or action as shown: a built-in key in the current language, anything else as it is. */
export function builtinText(stored: string): string {
  return isBuiltinKey(stored) ? t(stored) : stored;
}

/** A stored segment name as shown (and as written into results): the same as `builtinText`. */
export const segmentLabel: (stored: string) => string = builtinText;

let byText: Map<string, BuiltinKey> | null = null;

/** The key of the built-in text whose wording in some language is `text` (or which is `text`), else null. */
export function builtinKeyOf(text: string, kinds: 'names' | 'all' = 'names'): BuiltinKey | null {
  if (isBuiltinKey(text)) return kinds === 'all' || isBuiltinNameKey(text) ? text : null;
  if (!byText) {
    byText = new Map();
    for (const catalogue of LANGUAGES) {
      for (const [key, value] of Object.entries(catalogue)) {
        if (isBuiltinKey(key) && !byText.has(value)) byText.set(value, key);
      }
    }
  }
  const key = byText.get(text);
  if (!key) return null;
  return kinds === 'all' || isBuiltinNameKey(key) ? key : null;
}

/**
 * Every way a segment value can appear in data: a built-in name (its key, or its name in any
 * language) gives its name in each language; any other value only itself.
 */
export function segmentForms(value: string): string[] {
  const key = builtinKeyOf(value);
  if (!key) return [value];
  return [...new Set(LANGUAGES.map((c) => c[key]))];
}

/** A condition that `column` holds the segment `value` in any language (see `segmentForms`). */
export function segmentMatchSql(column: string, value: string): string {
  const forms = segmentForms(value);
  return forms.length === 1 ? `${ident(column)} = ${str(forms[0])}` : `${ident(column)} IN (${forms.map(str).join(', ')})`;
}

/** Whether a column holds segment names (RFM `segment`, `rfm_segment`, movement `from_segment`…), so its values match across languages. */
export function isSegmentColumn(name: string): boolean {
  return /(^|_)segment$/i.test(name);
}

/** What to store for a text the user typed over a built-in one: the key while it still reads the same, else the text. */
export function storedText(typed: string, previous: string): string {
  return isBuiltinKey(previous) && typed === builtinText(previous) ? previous : typed;
}
