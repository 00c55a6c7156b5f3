/** File formats by extension, and how large a file of each a browser tab can take. */
import { IngestError } from '../engine-errors';
import type { FileFormat } from '../engine-types';
import { t } from '../../src/lib/i18n';

const BY_EXTENSION: Record<string, FileFormat> = {
  csv: 'csv', tsv: 'csv', tab: 'csv', txt: 'csv', psv: 'csv', dat: 'csv',
  parquet: 'parquet', pq: 'parquet', parq: 'parquet',
  arrow: 'arrow', feather: 'arrow', ipc: 'arrow', arrows: 'arrow',
  json: 'json', ndjson: 'json', jsonl: 'json',
  xlsx: 'xlsx', xlsm: 'xlsx', xls: 'xlsx',
};

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The format of a file from its extension; throws an IngestError that says what to do for others. */
export function detectFormat(fileName: string): FileFormat {
  const ext = /\.([^.\\/]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const format = BY_EXTENSION[ext];
  if (format) return format;
  throw new IngestError(ext ? t('msg.ingest.unsupportedExt', { file: fileName, ext }) : t('msg.ingest.noExtension', { file: fileName }));
}

/**
 * The largest file of a format we try to load. CSV and Parquet stream from the file (Parquet part
 * by part), so what decides for them is whether their table fits (ingest/memory-budget.ts); the
 * others are read whole into memory and decoded, which needs several times their size in the
 * tab's 4 GB.
 */
export function sizeLimit(format: FileFormat): number {
  switch (format) {
    case 'csv':
    case 'parquet':
      return 2 * GiB;
    case 'arrow':
      return 1 * GiB;
    case 'json':
      return 256 * MiB;
    case 'xlsx':
      return XLSX_LIMIT;
  }
}

/** The largest Excel workbook we open: it is unzipped and parsed whole, at many times its size. */
export const XLSX_LIMIT = 50 * MiB;

/** The largest non-UTF-8 text file we transcode (it is held in memory twice while converting). */
export const TRANSCODE_LIMIT = 768 * MiB;
