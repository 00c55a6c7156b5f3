/**
 * The bundled samples: the English outdoor shop (Arrow IPC streams, the default) and the Chinese Tmall tea
 * shop (a GBK CSV seller export and a member list), each a folder with a manifest. Which one a
 * page opens with: `?sample=` in the address, else the one this browser last opened, else the
 * Chinese one when the interface is in Chinese.
 */
import type { FileSource } from '../../workers/engine-types';
import { t } from '../lib/i18n';

/** A bundled sample. */
export type SampleId = 'shop' | 'tmall';

/** The samples in the order the page offers them, with their folders under the page. */
export const SAMPLES: readonly { id: SampleId; base: string }[] = [
  { id: 'shop', base: './samples/' },
  { id: 'tmall', base: './samples/tmall/' },
];

interface ManifestEntry {
  table: string;
  file: string;
}

const KEY = 'segnote.sample';
let active: SampleId = 'shop';

function isSample(v: unknown): v is SampleId {
  return SAMPLES.some((s) => s.id === v);
}

function remembered(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/**
 * Decides the sample a page opens with (see the module comment) from its query string and
 * interface locale, makes it the active one and remembers it (a notebook made over one sample
 * keeps finding its tables when the language changes).
 */
export function chooseSample(search: string, locale: string): SampleId {
  const asked = new URLSearchParams(search).get('sample');
  const last = remembered();
  const id = isSample(asked) ? asked : isSample(last) ? last : locale === 'zh-CN' ? 'tmall' : 'shop';
  setActiveSample(id);
  return id;
}

/**
 * As `chooseSample`, except that a browser which already keeps a notebook from before samples were
 * remembered opens the English sample its notebook was made over (so its tables are still there),
 * whatever the interface language. Only that case waits for `hasSavedNotebook`.
 */
export async function decideSample(search: string, locale: string, hasSavedNotebook: () => Promise<boolean>): Promise<SampleId> {
  const asked = new URLSearchParams(search).get('sample');
  if (!isSample(asked) && !isSample(remembered()) && locale === 'zh-CN' && (await hasSavedNotebook().catch(() => false))) {
    setActiveSample('shop');
    return 'shop';
  }
  return chooseSample(search, locale);
}

/** The sample whose tables the page loaded last (its starter notebook is the one new notebooks get). */
export function activeSample(): SampleId {
  return active;
}

/** Makes `id` the active sample and remembers it in this browser. */
export function setActiveSample(id: SampleId): void {
  active = id;
  try {
    localStorage.setItem(KEY, id);
  } catch {
    /* storage unavailable: remembered for this page only */
  }
}

/** A sample's tables, fetched relative to the page so the app works from any sub-path. */
export async function fetchSample(id: SampleId = 'shop'): Promise<{ table: string; src: FileSource }[]> {
  const base = SAMPLES.find((s) => s.id === id)?.base ?? './samples/';
  const manifest = (await (await fetch(`${base}manifest.json`)).json()) as ManifestEntry[];
  return Promise.all(
    manifest.map(async (m) => {
      const res = await fetch(`${base}${m.file}`);
      if (!res.ok) throw new Error(t('msg.sample.missing', { file: m.file, status: String(res.status) }));
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { table: m.table, src: { name: m.file, size: bytes.length, bytes } };
    }),
  );
}
