/**
 * JSON and NDJSON to an Arrow IPC stream, because DuckDB-WASM's json extension is not
 * available offline. The stream goes to `insertArrowFromIPCStream`.
 */
import { Field, Float64, Int64, RecordBatch, Schema, Struct, Table, makeData, tableToIPC, type Data } from 'apache-arrow';
import { IngestError } from '../engine-errors';
import { booleans, uniqueColumnNames, utf8, validity } from './arrow-build';
import { t } from '../../src/lib/i18n';

/** The Arrow IPC stream made from a JSON file, with its row count and column names. */
export interface JsonArrowResult {
  ipc: Uint8Array;
  rows: number;
  columns: string[];
}

type JsonRecord = Record<string, unknown>;

/**
 * Converts JSON text to an Arrow IPC stream. Accepts an array of objects, an object holding one
 * array of objects (`{"data": [...]}`), a single object (one row) or NDJSON (one object per
 * line). Columns are the union of keys in first-seen order; whole-integer columns become Int64,
 * other numeric columns Float64, booleans Bool, and strings, nested values and mixed columns
 * Utf8 (nested values as JSON text). Throws an `IngestError` naming the file, and for invalid
 * JSON the line and column.
 */
export function jsonToArrowIPC(text: string, fileName: string): JsonArrowResult {
  const records = parseRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, fileName);
  if (records.length === 0) throw new IngestError(t('msg.ingest.json.noRecords', { file: fileName }));

  const keys: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  if (keys.length === 0) throw new IngestError(t('msg.ingest.json.emptyObjects', { file: fileName }));

  const columns = uniqueColumnNames(keys);
  const fields: Field[] = [];
  const children: Data[] = [];
  keys.forEach((key, i) => {
    const data = buildColumn(records, key);
    fields.push(new Field(columns[i], data.type, true));
    children.push(data);
  });
  const schema = new Schema(fields);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: records.length, nullCount: 0, children }),
  );
  return { ipc: tableToIPC(new Table(schema, [batch]), 'stream'), rows: records.length, columns };
}

function parseRecords(text: string, fileName: string): JsonRecord[] {
  if (text.trim() === '') throw new IngestError(t('msg.ingest.json.emptyFile', { file: fileName }));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // Several top-level objects, one a line: NDJSON. Only if the first line stands alone;
    // otherwise the whole-document error is the useful one.
    const ndjson = text.trimStart().startsWith('{') ? parseNdjson(text, fileName) : null;
    if (ndjson) return ndjson;
    throw syntaxError(fileName, text, e, 0);
  }
  return recordsOf(doc, fileName);
}

/** Records from NDJSON, or null when the first non-blank line is not a JSON object by itself. */
function parseNdjson(text: string, fileName: string): JsonRecord[] | null {
  const lines = text.split('\n');
  const records: JsonRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (records.length === 0) return null;
      throw syntaxError(fileName, line, e, i);
    }
    if (!isRecord(value)) {
      if (records.length === 0) return null;
      throw new IngestError(t('msg.ingest.json.lineNotObject', { file: fileName, line: i + 1, what: describe(value) }));
    }
    records.push(value);
  }
  return records;
}

function recordsOf(doc: unknown, fileName: string): JsonRecord[] {
  if (Array.isArray(doc)) return arrayOfRecords(doc, fileName, '');
  if (!isRecord(doc)) throw new IngestError(t('msg.ingest.json.notArray', { file: fileName, what: describe(doc) }));

  const arrays = Object.keys(doc).filter((k) => Array.isArray(doc[k]));
  const tables = arrays.filter((k) => {
    const a = doc[k] as unknown[];
    return a.length > 0 && a.every(isRecord);
  });
  if (tables.length === 1) return doc[tables[0]] as JsonRecord[];
  if (tables.length > 1) {
    const list = tables.map((k) => JSON.stringify(k)).join(', ');
    throw new IngestError(t('msg.ingest.json.severalArrays', { file: fileName, list }));
  }
  const only = Object.keys(doc);
  if (only.length === 1 && arrays.length === 1) return arrayOfRecords(doc[only[0]] as unknown[], fileName, only[0]);
  return [doc]; // a single object is a single row
}

function arrayOfRecords(items: unknown[], fileName: string, property: string): JsonRecord[] {
  const bad = items.findIndex((item) => !isRecord(item));
  if (bad >= 0) {
    const what = describe(items[bad]);
    throw new IngestError(
      property
        ? t('msg.ingest.json.badItemIn', { file: fileName, item: bad + 1, property: JSON.stringify(property), what })
        : t('msg.ingest.json.badItem', { file: fileName, item: bad + 1, what }),
    );
  }
  return items as JsonRecord[];
}

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return t('msg.ingest.json.null');
  if (Array.isArray(v)) return t('msg.ingest.json.array');
  switch (typeof v) {
    case 'object':
      return t('msg.ingest.json.object');
    case 'string':
      return t('msg.ingest.json.string');
    case 'number':
      return t('msg.ingest.json.number');
    case 'boolean':
      return t('msg.ingest.json.boolean');
    default:
      return t('msg.ingest.json.value', { type: typeof v });
  }
}

// Kinds of values seen in a column, as bits.
const INT = 1;
const FLOAT = 2;
const BOOL = 4;
const STRING = 8;
const NESTED = 16;

function kindOf(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? INT : FLOAT;
    case 'boolean':
      return BOOL;
    case 'string':
      return STRING;
    default:
      return v === null || v === undefined ? 0 : NESTED;
  }
}

function buildColumn(records: JsonRecord[], key: string): Data {
  // Own properties only: a missing "toString" key must not find Object.prototype.toString.
  const values = records.map((r) => (Object.hasOwn(r, key) ? r[key] : null));
  let kinds = 0;
  for (const v of values) kinds |= kindOf(v);
  const length = values.length;
  if (kinds === INT) {
    const data = new BigInt64Array(length);
    for (let i = 0; i < length; i++) if (typeof values[i] === 'number') data[i] = BigInt(values[i] as number);
    return makeData({ type: new Int64(), length, data, ...validity(values) });
  }
  if (kinds === FLOAT || kinds === (INT | FLOAT)) {
    const data = new Float64Array(length);
    for (let i = 0; i < length; i++) if (typeof values[i] === 'number') data[i] = values[i] as number;
    return makeData({ type: new Float64(), length, data, ...validity(values) });
  }
  if (kinds === BOOL) return booleans(values);
  return utf8(values, (v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)));
}

/** An IngestError for a JSON syntax error in `text`, which starts at line `firstLine` (0-based) of the file. */
function syntaxError(fileName: string, text: string, e: unknown, firstLine: number): IngestError {
  const raw = e instanceof Error ? e.message : String(e);
  const at = errorLocation(text, raw);
  const reason = cleanReason(raw);
  return new IngestError(
    at ? t('msg.ingest.json.invalidAt', { file: fileName, line: firstLine + at.line, column: at.column, reason }) : t('msg.ingest.json.invalid', { file: fileName, reason }),
  );
}

/** Line and column (1-based) of a JSON.parse error, from its message where the engine gives it. */
function errorLocation(text: string, message: string): { line: number; column: number } | null {
  // Firefox: "at line 3 column 5 of the JSON data"; newer V8: "(line 3 column 5)".
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  // Node 20 gives no position for "Unexpected token", Safari never does: find it ourselves.
  const offset = findJsonErrorOffset(text);
  return offset < 0 ? null : lineColumn(text, offset);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  // An error at the very end (unexpected end of input) is shown just after the last content.
  const at = Math.min(offset, text.trimEnd().length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** The engine's reason without the quoted source text and position it sometimes appends. */
function cleanReason(message: string): string {
  const reason = message
    .replace(/^JSON(\.parse| Parse error)?:\s*/i, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at line \d+ column \d+ of the JSON data$/, '')
    .trim();
  return reason.length > 120 ? `${reason.slice(0, 119)}…` : reason;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

// Parser states of findJsonErrorOffset.
const VALUE = 0;
const ARRAY_START = 1; // after '[': a value or ']'
const OBJECT_START = 2; // after '{': a key or '}'
const KEY = 3;
const COLON = 4;
const AFTER = 5; // after a value: ',' or a closing bracket, or the end

/**
 * Offset (0-based) of the first syntax error in `s`, `s.length` if it ends too early, or -1
 * if it is valid JSON. Used only after JSON.parse failed, to locate the error.
 */
export function findJsonErrorOffset(s: string): number {
  const n = s.length;
  const stack: number[] = [];
  let state = VALUE;
  let i = 0;
  for (;;) {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    if (i >= n) return state === AFTER && stack.length === 0 ? -1 : n;
    const c = s.charCodeAt(i);
    switch (state) {
      case ARRAY_START:
        if (c === 0x5d) {
          stack.pop();
          i++;
          state = AFTER;
          break;
        }
      // falls through
      case VALUE:
        if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i++;
          state = c === 0x7b ? OBJECT_START : ARRAY_START;
        } else {
          const end = scanScalar(s, i);
          if (end < 0) return -end - 1;
          i = end;
          state = AFTER;
        }
        break;
      case OBJECT_START:
        if (c === 0x7d) {
          stack.pop();
          i++;
          state = AFTER;
          break;
        }
      // falls through
      case KEY: {
        if (c !== 0x22) return i;
        const end = scanString(s, i);
        if (end < 0) return -end - 1;
        i = end;
        state = COLON;
        break;
      }
      case COLON:
        if (c !== 0x3a) return i;
        i++;
        state = VALUE;
        break;
      default: {
        const open = stack[stack.length - 1];
        if (open === undefined) return i; // content after the top-level value
        if (c === 0x2c) {
          i++;
          state = open === 0x7b ? KEY : VALUE;
        } else if (c === (open === 0x7b ? 0x7d : 0x5d)) {
          stack.pop();
          i++;
        } else {
          return i;
        }
      }
    }
  }
}

/** End of the string, number or literal at `i`, or -(error offset) - 1. */
function scanScalar(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x22) return scanString(s, i);
  for (const word of ['true', 'false', 'null']) if (s.startsWith(word, i)) return i + word.length;
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(s);
  return m ? i + m[0].length : -i - 1;
}

/** End of the string starting at the quote at `i`, or -(error offset) - 1. */
function scanString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -j - 1;
    if (c === 0x5c) {
      const e = s[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) return -(j + 1) - 1;
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        j += 1;
      } else {
        return -(j + 1) - 1;
      }
    }
  }
  return -s.length - 1;
}
