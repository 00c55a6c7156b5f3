/**
 * Arrow IPC stream encoding of the bundled sample's tables (`.arrows` files). The app loads them
 * with DuckDB's `insertArrowFromIPCStream` as they are: no decoder (no parquet-wasm) is needed for
 * the first result. Text columns with few distinct values are dictionary-encoded, which keeps the
 * files small; DuckDB reads such a column as VARCHAR, like the plain one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Dictionary, Field, Int16, RecordBatch, Schema, Struct, Table, Utf8, makeData, makeVector, tableFromIPC, tableToIPC, vectorFromArray, type Data } from 'apache-arrow';

/** Up to this many distinct values a text column is stored as a dictionary (Int16 indices). */
const MAX_DICTIONARY = 32_767;

function encodeColumn(field: Field, data: Data, id: number): { field: Field; data: Data } {
  if (!(field.type instanceof Utf8) || data.nullCount > 0) return { field, data };
  const values = makeVector(data).toArray() as string[];
  const distinct = new Map<string, number>();
  for (const v of values) if (!distinct.has(v)) distinct.set(v, distinct.size);
  // A dictionary pays off only when values repeat (ids that are unique per row stay plain).
  if (distinct.size > MAX_DICTIONARY || distinct.size * 2 > values.length) return { field, data };
  // Every dictionary in a stream needs its own id: the column's position.
  const type = new Dictionary(new Utf8(), new Int16(), id, false);
  const dictionary = vectorFromArray([...distinct.keys()], new Utf8());
  const indices = Int16Array.from(values, (v) => distinct.get(v)!);
  return { field: new Field(field.name, type, field.nullable), data: makeData({ type, length: values.length, nullCount: 0, data: indices, dictionary }) };
}

/**
 * The table as Arrow IPC stream bytes, repeating text columns dictionary-encoded (values in order
 * of first appearance); the same table always gives the same bytes.
 */
export function tableToSampleIPC(table: Table): Uint8Array {
  if (table.batches.length !== 1) throw new Error(`expected one record batch, got ${table.batches.length}`);
  const batch = table.batches[0];
  const columns = table.schema.fields.map((f, i) => encodeColumn(f, batch.data.children[i], i));
  const fields = columns.map((c) => c.field);
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: table.numRows, nullCount: 0, children: columns.map((c) => c.data) });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, struct)]), 'stream');
}

/** Reads sample IPC bytes back into a table whose dictionary columns are plain Utf8 again. */
export function sampleIPCToTable(bytes: Uint8Array): Table {
  const t = tableFromIPC(bytes);
  const fields: Field[] = [];
  const columns: Data[] = [];
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name)!;
    if (f.type instanceof Dictionary) {
      fields.push(new Field(f.name, new Utf8(), f.nullable));
      columns.push(vectorFromArray(v.toArray() as string[], new Utf8()).data[0]);
    } else {
      fields.push(f);
      columns.push(v.data[0]);
    }
  }
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: t.numRows, nullCount: 0, children: columns });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Writes a table as a sample `.arrows` file, creating its folder; returns the file size in bytes. */
export function writeSampleArrowFile(path: string, table: Table): number {
  const bytes = tableToSampleIPC(table);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return bytes.byteLength;
}
