/** Parquet encoding of Arrow tables with parquet-wasm, for the sample-data generator and its tests (Node only). */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { Compression, Table as PqTable, WriterPropertiesBuilder, initSync, readParquet, writeParquet } from 'parquet-wasm/esm';

const require = createRequire(import.meta.url);
let initialised = false;

function init(): void {
  if (initialised) return;
  initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  initialised = true;
}

/** Encodes an Arrow table as ZSTD-compressed Parquet bytes; the same table always gives the same bytes. */
export function tableToParquet(table: Table): Uint8Array {
  init();
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setCreatedBy('segnote sample generator')
    .build();
  // Both the wasm table and the properties are consumed (freed) by writeParquet.
  return writeParquet(PqTable.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/** Decodes Parquet bytes into an Arrow table. */
export function parquetToTable(bytes: Uint8Array): Table {
  init();
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}

/** Writes an Arrow table to a Parquet file, creating its folder; returns the file size in bytes. */
export function writeParquetFile(path: string, table: Table): number {
  const bytes = tableToParquet(table);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return bytes.byteLength;
}
