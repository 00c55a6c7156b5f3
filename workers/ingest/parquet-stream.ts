/**
 * Reads a Parquet file part by part with parquet-wasm: the footer first (rows, row groups, sizes),
 * then a batch of rows at a time (within a row group) as an Arrow IPC stream. Only the byte
 * ranges of the part being read are fetched from the Blob, so neither the file nor its decoded
 * whole ever sits in memory. Takes parquet-wasm's `ParquetFile` class as a parameter: how and when
 * parquet-wasm is initialised is the host's business.
 */
import type { ParquetFile, RecordBatch } from 'parquet-wasm/esm';
import { DataType, tableFromIPC, type Field } from 'apache-arrow';

/** A Parquet file opened for reading in parts. */
export interface ParquetReader {
  /** Rows in the file, from its footer. */
  rows: number;
  /** Bytes of the file's column data once decompressed (the footer's figure, summed over row groups). */
  uncompressedBytes: number;
  /** The DuckDB type each column becomes, as far as its storage width goes (see memory-budget.ts). */
  types: string[];
  /**
   * Arrow IPC streams of consecutive parts of the file, in file order; at least one (a stream
   * with the schema and no rows for a file without rows).
   */
  parts(): AsyncIterable<{ ipc: Uint8Array; rows: number }>;
  /** Frees the reader's memory in parquet-wasm. */
  close(): void;
}

/** Opens Parquet data for reading in parts. */
export type OpenParquet = (data: Blob) => Promise<ParquetReader>;

/**
 * Rows per part (parquet-wasm's default batch of 1024 rows makes inserting slow): small enough
 * that memory stays at a few parts and that, with decoding in a worker of its own, the insert of
 * one part overlaps the decoding of the next even in a file of one 1M-row group; large enough that
 * each part's fixed cost does not show. Measured in Node (CPU time, 10M orders, 1M-row groups):
 * parts of 2^19 and 2^20 rows cost the same as decoding the whole file, 2^18 about 1.5 times that.
 */
export const PART_ROWS = 1 << 19;

/** A ParquetReader over parquet-wasm's ParquetFile (the class is passed in, initialised by the host). */
export async function openParquetFile(parquetFile: typeof ParquetFile, data: Blob, partRows = PART_ROWS): Promise<ParquetReader> {
  const file = await parquetFile.fromFile(data);
  const meta = file.metadata();
  const groups = meta.rowGroups().map((g) => {
    const r = { rows: g.numRows(), bytes: g.totalByteSize() };
    g.free();
    return r;
  });
  meta.free();
  const rows = groups.reduce((n, g) => n + g.rows, 0);
  // The schema from the footer (read({ limit: 0 }) set up a read of the first row group for it).
  const schemaIpc = file.schema().intoIPCStream();
  return {
    rows,
    uncompressedBytes: groups.reduce((n, g) => n + g.bytes, 0),
    types: tableFromIPC(schemaIpc).schema.fields.map(storageType),
    async *parts() {
      // Batches of `partRows` decoded one by one as the stream is read (they do not cross row groups).
      const batches = (await file.stream({ batchSize: partRows })).getReader();
      let any = false;
      try {
        for (;;) {
          const { done, value } = await batches.read();
          if (done) break;
          const batch = value as RecordBatch;
          any = true;
          const rows = batch.numRows;
          yield { ipc: batch.intoIPCStream(), rows };
        }
      } finally {
        // Stopped early (a cancel, an error): no more decoding.
        void batches.cancel().catch(() => undefined);
      }
      // A file without rows still has columns: hand over its schema.
      if (!any) yield { ipc: schemaIpc, rows: 0 };
    },
    close: () => file.free(),
  };
}

/** The DuckDB type an Arrow field is stored as, as far as its width goes (strings and the rest: VARCHAR). */
function storageType(f: Field): string {
  const t = f.type;
  if (DataType.isBool(t)) return 'BOOLEAN';
  if (DataType.isInt(t)) return ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as Record<number, string>)[t.bitWidth] ?? 'BIGINT';
  if (DataType.isFloat(t)) return t.precision === 2 ? 'DOUBLE' : 'FLOAT';
  if (DataType.isDate(t)) return 'DATE';
  if (DataType.isTimestamp(t) || DataType.isTime(t)) return 'TIMESTAMP';
  if (DataType.isDecimal(t)) return `DECIMAL(${t.precision},${t.scale})`;
  return 'VARCHAR';
}
