/** Fetches the bundled sample dataset (same origin) as file sources. */
import type { FileSource } from '../../workers/engine-types';
import { t } from '../lib/i18n';

interface ManifestEntry {
  table: string;
  file: string;
}

/** The sample tables, fetched relative to the page so the app works from any sub-path. */
export async function fetchSample(base = './samples/'): Promise<{ table: string; src: FileSource }[]> {
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
