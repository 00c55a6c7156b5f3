/** Loads CSV/TSV text into a table: encoding, sniffing, reading, and the warnings about it. */
import { ident, str } from '../../src/lib/sql/quote';
import type { CsvHost } from '../engine-core';
import { IngestError, QueryError } from '../engine-errors';
import type { CsvDetection, FileSource, LoadOptions, LoadReport, LoadWarning } from '../engine-types';
import { csvWarnings, describeCsvError, detectionFromSniff } from './csv-messages';
import { TRANSCODE_LIMIT } from './formats';
import { detectEncoding, needsTranscoding, transcodeToUtf8 } from './text-encoding';

const SAMPLE_BYTES = 256 * 1024;

/** read_csv named parameters for the user's overrides. */
export function csvOptionsSql(o: LoadOptions): string {
  const parts: string[] = [];
  if (o.delimiter !== undefined) parts.push(`delim=${str(o.delimiter)}`);
  if (o.quote !== undefined) parts.push(`quote=${str(o.quote)}`);
  if (o.header !== undefined) parts.push(`header=${o.header ? 'true' : 'false'}`);
  if (o.skipBadRows) parts.push('ignore_errors=true', 'store_rejects=true');
  return parts.map((p) => `, ${p}`).join('');
}

/** Loads one CSV file (already known to be CSV by extension) into `table`. */
export async function loadCsv(
  host: CsvHost,
  src: FileSource,
  table: string,
  options: LoadOptions,
): Promise<Pick<LoadReport, 'format' | 'encoding' | 'csv' | 'warnings'>> {
  const sample = host.read(src, 0, SAMPLE_BYTES);
  const guess = options.encoding
    ? { encoding: options.encoding as ReturnType<typeof detectEncoding>['encoding'], binary: false }
    : detectEncoding(sample);
  if (guess.binary) {
    throw new IngestError(`${src.name}: this is not a text file (it contains binary data), so it cannot be read as CSV. Check that you picked the right file.`);
  }
  let path: string;
  let sampleText: string;
  if (needsTranscoding(guess.encoding)) {
    if (src.size > TRANSCODE_LIMIT) {
      throw new IngestError(`${src.name}: the file is in ${guess.encoding} and too large to convert in the browser. Save it as UTF-8 and load it again.`);
    }
    const utf8 = transcodeToUtf8((a, b) => host.read(src, a, b), src.size, guess.encoding, (done, total) => host.progress(done / total));
    path = host.register(src, utf8);
    sampleText = new TextDecoder().decode(utf8.subarray(0, SAMPLE_BYTES));
  } else {
    path = host.register(src, null);
    sampleText = new TextDecoder().decode(sample);
  }
  const opts = csvOptionsSql(options);
  let csv: CsvDetection;
  let reader = `read_csv(${str(path)}${opts})`;
  try {
    const [row] = await host.rows(`SELECT * FROM sniff_csv(${str(path)}${opts.replace(/, store_rejects=true/g, '')})`);
    csv = detectionFromSniff(row);
    // The sniffer hands back the complete read_csv call it settled on (auto_detect=false, every
    // option and column type): reading with it skips a second detection pass over the file.
    const detected = sniffedReader(String(row.Prompt ?? ''), path);
    if (detected) reader = `${detected.slice(0, -1)}${opts})`;
  } catch (e) {
    throw new IngestError(describeCsvError(src.name, e instanceof Error ? e.message : String(e)));
  }
  const warnings: LoadWarning[] = [];
  try {
    if (options.skipBadRows) {
      await host.rows('DROP TABLE IF EXISTS reject_errors');
      await host.rows('DROP TABLE IF EXISTS reject_scans');
    }
    await host.run(`CREATE TABLE ${ident(table)} AS SELECT * FROM ${reader}`, src.size);
    if (options.skipBadRows) {
      const [r] = await host.rows('SELECT count(DISTINCT line)::INT AS n, min(line)::INT AS first FROM reject_errors');
      const skipped = Number(r.n);
      if (skipped > 0) {
        warnings.push({ code: 'rows-skipped', message: `${skipped} malformed row${skipped === 1 ? ' was' : 's were'} skipped (the first on line ${r.first}).` });
      }
    }
  } catch (e) {
    // The sample looked like UTF-8 but bytes further in are not: detect again on the whole file and convert.
    if (e instanceof QueryError && /Invalid unicode/i.test(e.message) && !needsTranscoding(guess.encoding) && !options.encoding && src.size <= TRANSCODE_LIMIT) {
      const whole = detectEncoding(host.read(src, 0, src.size));
      if (!whole.binary && needsTranscoding(whole.encoding)) return loadCsv(host, src, table, { ...options, encoding: whole.encoding });
    }
    if (e instanceof QueryError) throw new IngestError(describeCsvError(src.name, e.message));
    throw e;
  }
  const columns = (await host.rows(`DESCRIBE ${ident(table)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  warnings.push(...csvWarnings(columns, csv, sampleText));
  return { format: 'csv', encoding: guess.encoding, csv, warnings };
}

/** The `read_csv(...)` call in sniff_csv's Prompt, if it reads our file with detection off. */
export function sniffedReader(prompt: string, path: string): string | null {
  const m = /^FROM (read_csv\([\s\S]*\));?\s*$/.exec(prompt.trim());
  if (!m || !m[1].startsWith(`read_csv(${str(path)}, auto_detect=false`)) return null;
  return m[1];
}
