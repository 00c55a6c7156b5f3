/** Loads CSV/TSV text into a table: encoding, line endings, sniffing, reading, and the notes about it. */
import { ident, str } from '../../src/lib/sql/quote';
import { mentionsMessage, t } from '../../src/lib/i18n';
import type { CsvHost } from '../engine-core';
import { IngestError, MalformedRowsError, QueryError, ShortLinesError } from '../engine-errors';
import type { CsvDetection, FileSource, LoadNote, LoadOptions, LoadReport, LoadWarning, SkippedLine } from '../engine-types';
import { csvWarnings, describeCsvError, detectionFromSniff, truncate } from './csv-messages';
import {
  DROP_REJECTS_SQL, REJECT_GROUPS_SQL, castTarget, castValue, integerColumns, integerGuardTripped, integerGuardedSelect, rejectGroup, skippedLinesSql,
  withColumnType, withOptions, withTextColumns, type RejectGroup,
} from './csv-rejects';
import { TRANSCODE_LIMIT } from './formats';
import { lineEndingTrouble, normaliseLineEndings } from './line-endings';
import { longIntegerColumns, splitLine, wordFlagColumns } from './sample-fields';
import { detectEncoding, needsTranscoding, transcodeToUtf8 } from './text-encoding';

const SAMPLE_BYTES = 256 * 1024;
/** How many skipped lines a report lists (the count is always exact). */
export const SKIPPED_LIST_LIMIT = 10_000;
/** Rounds of "read these columns again as text" before giving up on the detected types altogether. */
const MAX_RETYPE_ROUNDS = 3;

/** Retries the loader makes by itself: a longer line limit, a delimiter read from a one-column header. */
interface Attempt {
  lineLimit?: number;
  noDelimiterRetry?: boolean;
}

/** DuckDB's words for a line over its length limit (not its list of possible fixes, which mentions the limit too). */
const LINE_TOO_LONG = /Maximum line size of \d+ bytes exceeded|Actual Size: ?\d+ bytes/;

/** A column name longer than this is not a header but a line of data (or a file without line breaks). */
const MAX_HEADER_LENGTH = 4096;

/** The longest line we let DuckDB read on a retry (its default is 2 MB). */
const MAX_LINE_LIMIT = 64 * 1024 * 1024;

/** read_csv named parameters for the user's overrides. */
export function csvOptionsSql(o: LoadOptions, lineLimit?: number): string {
  const parts: string[] = [];
  if (lineLimit !== undefined) parts.push(`max_line_size=${lineLimit}`, `buffer_size=${2 * lineLimit}`);
  if (o.delimiter !== undefined) parts.push(`delim=${str(o.delimiter)}`);
  if (o.quote !== undefined) parts.push(`quote=${str(o.quote)}`);
  if (o.header !== undefined) parts.push(`header=${o.header ? 'true' : 'false'}`);
  return parts.map((p) => `, ${p}`).join('');
}

type CsvLoad = Pick<LoadReport, 'format' | 'encoding' | 'csv' | 'warnings' | 'notes' | 'skipped'>;

/** Loads one CSV file (already known to be CSV by extension) into `table`. */
export async function loadCsv(host: CsvHost, src: FileSource, table: string, options: LoadOptions, attempt: Attempt = {}): Promise<CsvLoad> {
  try {
    return await loadCsvOnce(host, src, table, options, attempt);
  } catch (e) {
    // A line longer than DuckDB's default limit (2 MB): try once more with room for it.
    const message = e instanceof Error ? e.message : String(e);
    if (attempt.lineLimit === undefined && (LINE_TOO_LONG.test(message) || mentionsMessage(message, 'ingest.reason.lineSize')) && src.size < MAX_LINE_LIMIT) {
      return loadCsv(host, src, table, options, { ...attempt, lineLimit: Math.max(4 * 1024 * 1024, 2 ** Math.ceil(Math.log2(src.size + 1))) });
    }
    throw e;
  }
}

async function loadCsvOnce(host: CsvHost, src: FileSource, table: string, options: LoadOptions, attempt: Attempt): Promise<CsvLoad> {
  const sample = host.read(src, 0, SAMPLE_BYTES);
  const guess = options.encoding
    ? { encoding: options.encoding as ReturnType<typeof detectEncoding>['encoding'], binary: false }
    : detectEncoding(sample);
  if (guess.binary) throw new IngestError(t('ingest.err.binary', { file: src.name }));
  const notes: LoadNote[] = [];
  // The bytes DuckDB reads when they are not the file itself (converted or normalised).
  let bytes: Uint8Array | null = null;
  if (needsTranscoding(guess.encoding)) {
    if (src.size > TRANSCODE_LIMIT) throw new IngestError(t('ingest.err.transcodeTooLarge', { file: src.name, encoding: guess.encoding }));
    bytes = transcodeToUtf8((a, b) => host.read(src, a, b), src.size, guess.encoding, (done, total) => host.progress(done / total));
    notes.push({ code: 'transcoded', params: { encoding: guess.encoding } });
  }
  const head = bytes ? bytes.subarray(0, SAMPLE_BYTES) : sample;
  const trouble = lineEndingTrouble(head);
  if ((trouble.mixed || trouble.innerBom) && (bytes || src.size <= TRANSCODE_LIMIT)) {
    bytes = normalise(bytes ?? host.read(src, 0, src.size), notes);
  }
  const sampleText = new TextDecoder().decode(head);
  if (src.size <= SAMPLE_BYTES && sampleText.trim() === '') throw new IngestError(t('ingest.err.blank', { file: src.name }));
  let path = host.register(src, bytes);
  const opts = csvOptionsSql(options, attempt.lineLimit);
  // Only the sniffer gets ignore_errors: the read itself keeps every line in the reject tables.
  const sniffOpts = opts + (options.skipBadRows ? ', ignore_errors=true' : '');

  let sniffed: Sniffed;
  try {
    sniffed = await sniff(host, path, sniffOpts, opts);
  } catch (e) {
    let message = e instanceof Error ? e.message : String(e);
    if (LINE_TOO_LONG.test(message)) throw new IngestError(message);
    // The sniffer fails on line endings that change after the sample's first lines: look at the
    // whole file once, and if that is the trouble, normalise and sniff again.
    const whole = notes.some((n) => n.code === 'line-endings') || src.size > TRANSCODE_LIMIT ? null : (bytes ?? host.read(src, 0, src.size));
    const t2 = whole ? lineEndingTrouble(whole) : null;
    let retried: Sniffed | null = null;
    if (whole && t2 && (t2.mixed || t2.innerBom)) {
      bytes = normalise(whole, notes);
      path = host.register(src, bytes);
      try {
        retried = await sniff(host, path, sniffOpts, opts);
      } catch (e2) {
        message = e2 instanceof Error ? e2.message : String(e2);
      }
    }
    // Lines that do not fit the layout make the sniffer give up: sniff past them, so that the
    // read lists them and the load is refused naming the first one (or skips them, if asked).
    if (!retried && !options.skipBadRows) {
      try {
        retried = await sniff(host, path, `${sniffOpts}, ignore_errors=true`, opts);
      } catch {
        /* the first message says more */
      }
    }
    // Still nothing, but the delimiter is known: read every field as text with the header's names,
    // so the lines that break the layout (an unterminated quote) are found and named.
    if (!retried && options.delimiter !== undefined) retried = textLayout(path, sampleText, options);
    if (!retried) throw new MalformedRowsError(describeCsvError(src.name, message));
    sniffed = retried;
  }

  const total = bytes ? bytes.length : src.size;
  if (total > head.length) await host.checkMemory(src.name, likelyRows(head, total), sniffed.columns.map((c) => c.type));

  const warnings: LoadWarning[] = [];
  let skipped: CsvLoad['skipped'];
  try {
    const layout = { delimiter: sniffed.csv.delimiter, quote: sniffed.csv.quote, header: sniffed.csv.hasHeader, skip: sniffed.csv.skipRows };
    const typed = (type: string) => sniffed.columns.flatMap((c, k) => (c.type === type ? [k] : []));
    const longIds = longIntegerColumns(sampleText, layout, typed('DOUBLE')).map((k) => sniffed.columns[k].name);
    const wordFlags = options.plainRead ? [] : wordFlagColumns(sampleText, layout, typed('BOOLEAN')).map((k) => sniffed.columns[k].name);
    skipped = await readWithRejects(host, src, table, sniffed, options, notes, [...sniffed.guessedDates, ...longIds, ...wordFlags]);
  } catch (e) {
    // The sample looked like UTF-8 but bytes further in are not: detect again on the whole file and convert.
    if (isUnicodeTrouble(e) && !needsTranscoding(guess.encoding) && !options.encoding && src.size <= TRANSCODE_LIMIT) {
      const whole = detectEncoding(bytes ?? host.read(src, 0, src.size));
      if (!whole.binary && needsTranscoding(whole.encoding)) return loadCsv(host, src, table, { ...options, encoding: whole.encoding });
    }
    if (e instanceof QueryError) throw new IngestError(describeCsvError(src.name, e.message));
    throw e;
  }
  const columns = (await host.rows(`DESCRIBE ${ident(table)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  // One column whose name holds a delimiter: the sniffer gave up on the layout (a short or long
  // row, often a truncated last line). Read it with that delimiter, so a malformed line is named.
  const delimiter = columns.length === 1 && options.delimiter === undefined && !attempt.noDelimiterRetry ? likelyDelimiter(columns[0].name) : null;
  if (delimiter) {
    try {
      const again = await loadCsvOnce(host, src, table, { ...options, delimiter }, { ...attempt, noDelimiterRetry: true });
      return { ...again, notes: [...again.notes, { code: 'delimiter-retried', params: { delimiter: delimiter === '\t' ? '\\t' : delimiter } }] };
    } catch (e) {
      if (e instanceof MalformedRowsError) throw e;
      return loadCsvOnce(host, src, table, options, { ...attempt, noDelimiterRetry: true });
    }
  }
  const longest = Math.max(...columns.map((c) => c.name.length));
  if (longest > MAX_HEADER_LENGTH) throw new IngestError(t('ingest.err.hugeHeader', { file: src.name, length: longest }));
  if (notes.some((n) => n.code === 'type-widened' || n.code === 'inner-bom')) await dropRepeatedHeaders(host, table, columns, notes);
  warnings.push(...csvWarnings(columns, sniffed.csv, sampleText));
  return { format: 'csv', encoding: guess.encoding, csv: sniffed.csv, warnings, notes, ...(skipped ? { skipped } : {}) };
}

/**
 * The rows a file of `size` bytes holds if its lines are as long as those of its first bytes,
 * with a fifth taken off: line lengths vary through a file (and a quoted field may hold line
 * breaks), and the memory check this feeds must not refuse a file that would fit.
 */
export function likelyRows(head: Uint8Array, size: number): number {
  let lines = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0x0a) lines++;
  return lines === 0 ? 0 : Math.floor(0.8 * lines * (size / head.length));
}

function normalise(whole: Uint8Array, notes: LoadNote[]): Uint8Array {
  const n = normaliseLineEndings(whole);
  if (n.lineEnds > 0) notes.push({ code: 'line-endings', count: n.lineEnds, params: { count: n.lineEnds } });
  // A BOM at the very start is normal; only the ones further in are worth a note.
  const inner = n.boms - (whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? 1 : 0);
  if (inner > 0) notes.push({ code: 'inner-bom', count: inner, params: { count: inner } });
  return n.bytes;
}

interface Sniffed {
  csv: CsvDetection;
  reader: string;
  columns: { name: string; type: string }[];
  /** Date columns the sniffer read with a day/month order it guessed: we read them as text and decide from all values. */
  guessedDates: string[];
}

/**
 * The sniffer's read buffer. DuckDB reads a whole buffer (32 MB by default) before it samples the
 * first 20,480 rows, and in the browser every byte of it comes through FileReaderSync: for a 39 MB
 * file the sniff read 32 MB that the load then read again (issue 16). The sample reads on into the
 * next buffer when its rows need more, so what is detected stays the same.
 */
export const SNIFF_BUFFER_BYTES = 4 * 1024 * 1024;

async function sniff(host: CsvHost, path: string, sniffOpts: string, opts: string): Promise<Sniffed> {
  // A retry with a longer line limit sets its own (larger) buffer.
  const buffer = /\bbuffer_size=/.test(sniffOpts) ? '' : `, buffer_size=${SNIFF_BUFFER_BYTES}`;
  const [row] = await host.rows(`SELECT * FROM sniff_csv(${str(path)}${sniffOpts}${buffer})`);
  // The sniffer hands back the complete read_csv call it settled on (auto_detect=false, every
  // option and column type): reading with it skips a second detection pass over the file. The
  // read itself keeps DuckDB's default buffer, as native DuckDB's read does.
  const detected = sniffedReader(String(row.Prompt ?? '').replace(buffer, ''), path);
  const csv = detectionFromSniff(row);
  const sniffedColumns = columnsOf(row.Columns);
  const reader = detected ? `${requoteColumns(detected, sniffedColumns, csv).slice(0, -1)}${opts})` : `read_csv(${str(path)}${opts})`;
  const guessed = (f: string | null) => f !== null && /^%[dm]\W%[dm]\W/.test(f);
  const columns = sniffedColumns;
  const guessedDates = detected
    ? columns.filter((c) => (String(c.type) === 'DATE' && guessed(csv.dateFormat)) || (String(c.type).startsWith('TIMESTAMP') && guessed(csv.timestampFormat))).map((c) => String(c.name))
    : [];
  return { csv, reader, guessedDates, columns };
}

function columnsOf(value: unknown): { name: string; type: string }[] {
  if (value == null) return [];
  return [...(value as Iterable<{ name: unknown; type: unknown } | { toJSON(): { name: unknown; type: unknown } }>)]
    .map((c) => ('toJSON' in c ? c.toJSON() : c) as { name: unknown; type: unknown })
    .map((c) => ({ name: String(c.name), type: String(c.type) }));
}

/**
 * The sniffer's read_csv call with its column list (and date formats) written again with proper
 * quoting: DuckDB prints names unescaped, so a header such as `it's` makes its Prompt invalid SQL.
 */
export function requoteColumns(reader: string, columns: { name: string; type: string }[], csv: CsvDetection): string {
  const at = reader.indexOf(', columns={');
  if (at < 0 || columns.length === 0) return reader;
  const list = columns.map((c) => `${str(c.name)}: ${str(c.type)}`).join(', ');
  const formats = [csv.dateFormat ? `, dateformat=${str(csv.dateFormat)}` : '', csv.timestampFormat ? `, timestampformat=${str(csv.timestampFormat)}` : ''].join('');
  return `${reader.slice(0, at)}, columns={${list}}${formats})`;
}

/**
 * Reads the file into `table` with DuckDB's reject tables on, then looks at what was rejected:
 * columns whose values did not fit the sniffed type are read again as text (with a note each);
 * malformed lines fail the load with their text, or are skipped and listed when the user asked.
 */
async function readWithRejects(
  host: CsvHost,
  src: FileSource,
  table: string,
  sniffed: Sniffed,
  options: LoadOptions,
  notes: LoadNote[],
  asText: string[],
): Promise<CsvLoad['skipped']> {
  const baseReader = sniffed.reader;
  const textColumns: string[] = [...asText];
  const decimalColumns: string[] = [];
  const bigColumns: string[] = [];
  // Reads with `reader` into the table, guarding the integer columns against rounding: a column
  // whose later values have decimals is read as DOUBLE; one with integers beyond 2^53 (exact in
  // BIGINT, not in a double) is read unguarded in its sniffed type.
  const create = async (reader: (text: string[]) => string, guard: boolean) => {
    for (;;) {
      const guarded = guard && !options.plainRead ? integerColumns(sniffed.columns, [...textColumns, ...decimalColumns, ...bigColumns]) : [];
      try {
        await host.run(`CREATE TABLE ${ident(table)} AS ${integerGuardedSelect(withColumnType(reader(textColumns), decimalColumns, 'DOUBLE'), guarded)}`, src.size);
        return;
      } catch (e) {
        const tripped = e instanceof QueryError ? integerGuardTripped(e.message) : null;
        if (!tripped) throw e;
        await host.rows(`DROP TABLE IF EXISTS ${ident(table)}`);
        for (const sql of DROP_REJECTS_SQL) await host.rows(sql);
        (tripped.kind === 'fraction' ? decimalColumns : bigColumns).push(tripped.column);
      }
    }
  };
  const noteDecimals = async () => {
    for (const column of decimalColumns) {
      const c = ident(column);
      const [row] = await host.rows(`SELECT any_value(${c})::VARCHAR AS example, count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${c} <> trunc(${c})`);
      notes.push({ code: 'decimals', column, count: Number(row?.n ?? 0), params: { column, example: String(row?.example ?? ''), count: Number(row?.n ?? 0) } });
    }
  };
  // First a plain read: most files have nothing to reject, and the reject tables cost about 5 %
  // of the read. Only when it fails is the file read again with them, to learn every problem at once.
  if (!options.skipBadRows) {
    try {
      await create((text) => withTextColumns(baseReader, text), true);
      await noteDecimals();
      return undefined;
    } catch (e) {
      if (!(e instanceof QueryError) || isUnicodeTrouble(e) || /Out of Memory/i.test(e.message)) throw e;
    }
  }
  for (let round = 0; ; round++) {
    for (const sql of DROP_REJECTS_SQL) await host.rows(sql);
    await host.rows(`DROP TABLE IF EXISTS ${ident(table)}`);
    const last = round >= MAX_RETYPE_ROUNDS;
    const reader = (text: string[]) => (last ? withOptions(baseReader, ['all_varchar=true']) : withTextColumns(baseReader, text));
    await create((text) => withOptions(reader(text), ['store_rejects=true']), !last);
    const groups = (await host.rows(REJECT_GROUPS_SQL)).map(rejectGroup);
    const casts = groups.filter((g) => g.errorType === 'CAST' && g.column !== null && !textColumns.includes(g.column));
    if (casts.length > 0 && !last) {
      for (const g of casts) {
        textColumns.push(g.column!);
        notes.push({
          code: 'type-widened',
          column: g.column!,
          count: g.count,
          params: { column: g.column!, line: String(g.firstLine), value: truncate(castValue(g.firstMessage) ?? '', 60), type: sniffed.columns.find((c) => c.name === g.column)?.type ?? castTarget(g.firstMessage) ?? '?' },
        });
      }
      continue;
    }
    const unicode = groups.find((g) => g.errorType === 'INVALID UNICODE');
    if (unicode) throw new QueryError(`Invalid unicode (byte sequence mismatch) detected on line ${unicode.firstLine}`);
    const structural = groups.filter((g) => g.errorType !== 'CAST');
    if (structural.length === 0) {
      await noteDecimals();
      return undefined;
    }
    const malformed = structural.reduce((n, g) => n + g.count, 0);
    const onlyShort = structural.every(isShortLine);
    if (onlyShort && options.padShortLines) {
      await host.rows(`DROP TABLE IF EXISTS ${ident(table)}`);
      await create((text) => withOptions(reader(text), ['null_padding=true']), !last);
      await noteDecimals();
      notes.push({ code: 'lines-padded', count: malformed, params: { count: malformed, line: String(structural[0].firstLine) } });
      return undefined;
    }
    if (!options.skipBadRows) {
      const first = structural[0];
      await host.rows(`DROP TABLE IF EXISTS ${ident(table)}`);
      throw new (onlyShort ? ShortLinesError : MalformedRowsError)(
        t(onlyShort ? 'ingest.err.shortLines' : 'ingest.err.malformed', {
          file: src.name,
          line: String(first.firstLine),
          reason: reasonText(first),
          text: truncate(first.firstText, 200) || t('ingest.err.emptyLine'),
          count: malformed,
        }),
      );
    }
    const [{ n }] = await host.rows('SELECT count(DISTINCT line)::DOUBLE AS n FROM reject_errors');
    const lines: SkippedLine[] = (await host.rows(skippedLinesSql(SKIPPED_LIST_LIMIT))).map((r) => ({
      line: Number(r.line),
      reason: String(r.reason ?? ''),
      text: truncate(String(r.text ?? ''), 2000),
    }));
    const total = Number(n);
    await noteDecimals();
    notes.push({ code: 'rows-skipped', count: total, params: { count: total, line: String(lines[0]?.line ?? '') } });
    return { total, lines };
  }
}

/** A group of lines with fewer fields than the header (and nothing else wrong). */
function isShortLine(g: RejectGroup): boolean {
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(g.firstMessage);
  return fields !== null && Number(fields[2]) < Number(fields[1]);
}

/** A malformed line's reason, in the catalogue's words. */
function reasonText(g: RejectGroup): string {
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(g.firstMessage);
  if (fields) return t('ingest.reason.fields', { expected: fields[1], found: fields[2] });
  if (g.errorType === 'UNQUOTED VALUE' || /quote/i.test(g.firstMessage)) return t('ingest.reason.quote');
  if (g.errorType === 'LINE SIZE OVER MAXIMUM') return t('ingest.reason.lineSize');
  return g.firstMessage.split('\n')[0];
}

/** A reader for a file the sniffer could not make out: the given delimiter, the first line as header, every column text. */
function textLayout(path: string, sampleText: string, options: LoadOptions): Sniffed | null {
  const delimiter = options.delimiter!;
  const quote = options.quote ?? '"';
  const first = sampleText.split(/\r?\n/, 1)[0].replace(/^\ufeff/, '');
  if (!first) return null;
  const taken = new Set<string>();
  const names = splitLine(first, delimiter, quote).map((n, i) => {
    let name = n.trim() || `column${i}`;
    for (let k = 1; taken.has(name.toLowerCase()); k++) name = `${n.trim() || `column${i}`}_${k}`;
    taken.add(name.toLowerCase());
    return name;
  });
  const columns = names.map((n) => `${str(n)}: 'VARCHAR'`).join(', ');
  return {
    csv: { delimiter, quote, escape: quote, hasHeader: true, dateFormat: null, timestampFormat: null, skipRows: 0 },
    reader: `read_csv(${str(path)}, auto_detect=false, delim=${str(delimiter)}, quote=${str(quote)}, escape=${str(quote)}, header=true, columns={${columns}})`,
    guessedDates: [],
    columns: names.map((name) => ({ name, type: 'VARCHAR' })),
  };
}

/**
 * Removes lines that repeat the header (files joined with their headers): they made the columns
 * they cross text, and the cleaning pass can type those columns again once they are gone.
 */
async function dropRepeatedHeaders(host: CsvHost, table: string, columns: { name: string }[], notes: LoadNote[]): Promise<void> {
  const same = columns.map((c) => `trim(CAST(${ident(c.name)} AS VARCHAR), ' \ufeff') = ${str(c.name)}`).join(' AND ');
  const [{ n }] = await host.rows(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${same}`);
  const count = Number(n);
  if (count === 0) return;
  await host.rows(`DELETE FROM ${ident(table)} WHERE ${same}`);
  notes.push({ code: 'repeated-header', count, params: { count } });
}

/** The delimiter a one-column header most likely hides. */
function likelyDelimiter(name: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const c of [',', ';', '\t', '|']) {
    const n = name.split(c).length - 1;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

function isUnicodeTrouble(e: unknown): boolean {
  return e instanceof QueryError && /Invalid unicode/i.test(e.message);
}

/** The `read_csv(...)` call in sniff_csv's Prompt, if it reads our file with detection off. */
export function sniffedReader(prompt: string, path: string): string | null {
  const m = /^FROM (read_csv\([\s\S]*\));?\s*$/.exec(prompt.trim());
  if (!m || !m[1].startsWith(`read_csv(${str(path)}, auto_detect=false`)) return null;
  return m[1];
}
