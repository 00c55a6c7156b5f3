/**
 * Arrow IPC files (.arrow, Feather v2) to the IPC stream format that DuckDB-WASM's
 * `insertArrowFromIPCStream` takes.
 */
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { IngestError } from '../engine-errors';
import { t } from '../../src/lib/i18n';

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const FEATHER_V1_MAGIC = [0x46, 0x45, 0x41, 0x31]; // "FEA1"

/**
 * Returns Arrow IPC bytes in the stream format: a stream that starts with the continuation
 * marker is returned unchanged (after checking that it reads), anything else Arrow can read
 * (the file format, the pre-1.0 stream format) is re-encoded. Throws an `IngestError`, whose
 * message starts with `fileName` when given, when the bytes are not Arrow IPC.
 */
export function toIPCStream(bytes: Uint8Array, fileName?: string): Uint8Array {
  if (startsWith(bytes, FEATHER_V1_MAGIC)) {
    throw new IngestError(t('msg.ingest.featherV1', { prefix: prefix(fileName) }));
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch {
    throw notArrow(fileName);
  }
  // An empty or unrecognisable input can read as a table without a schema instead of failing.
  if (table.schema.fields.length === 0) throw notArrow(fileName);
  const isModernStream = !startsWith(bytes, FILE_MAGIC) && startsWith(bytes, [0xff, 0xff, 0xff, 0xff]);
  return isModernStream ? bytes : tableToIPC(table, 'stream');
}

function notArrow(fileName: string | undefined): IngestError {
  // Arrow's own messages ("Expected to read 1936 metadata bytes…") do not help a user.
  return new IngestError(t('msg.ingest.notArrow', { prefix: prefix(fileName) }));
}

function prefix(fileName: string | undefined): string {
  return fileName ? t('msg.ingest.filePrefix', { file: fileName }) : '';
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
