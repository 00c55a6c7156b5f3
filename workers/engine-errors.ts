/**
 * Errors that cross the worker boundary. Comlink keeps only name, message and stack,
 * so each carries a stable `name` and puts its context in the message.
 */
import { t } from '../src/lib/i18n';

/** A query DuckDB refused or failed. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(message: string, readonly sql?: string) {
    super(message);
  }
}

/** A file that could not be loaded; the message names the file and, where known, line and column. */
export class IngestError extends Error {
  override name = 'IngestError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * A CSV load refused because of its layout (a wrong number of fields, an unterminated quote): the
 * one kind of failure that "skip malformed rows" may get past. The page offers that only for this name.
 */
export class MalformedRowsError extends IngestError {
  override name = 'MalformedRowsError';
}

/**
 * A CSV load refused only because some lines have fewer fields than the header: besides skipping
 * them, the page offers to keep them with the missing fields blank (no row lost).
 */
export class ShortLinesError extends MalformedRowsError {
  override name = 'ShortLinesError';
}

/** The user cancelled a running query. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super(t('engine.cancelled'));
  }
}

/** DuckDB's message without the stack noise emscripten sometimes appends. */
export function cleanDuckDBMessage(raw: unknown): string {
  let text = (raw instanceof Error ? raw.message : String(raw)).replace(/FAIL WITH:[\s\S]*$/, '').trim();
  // Pending queries report errors as JSON: {"exception_type":"Parser","exception_message":"..."}.
  if (text.startsWith('{')) {
    try {
      const j = JSON.parse(text) as { exception_type?: string; exception_message?: string };
      if (j.exception_message) text = `${j.exception_type ?? 'Query'} Error: ${j.exception_message}`.replace(/^(\w+) Error: \1 Error: /, '$1 Error: ');
    } catch {
      /* not JSON after all */
    }
  }
  return text;
}

/** Whether an error means the wasm instance itself is broken and must be restarted. */
export function isFatalEngineError(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && /^(RuntimeError|Aborted)/.test(e.message));
}

/**
 * Removes a wrapper we put around the user's SQL (e.g. `CREATE TABLE x AS `) from DuckDB's
 * `LINE n: ...` context — DuckDB may have elided its start with "..." — and moves the caret back.
 */
export function unwrapErrorContext(message: string, wrapperPrefix: string): string {
  const lines = message.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^LINE \d+: /.exec(lines[i])?.[0];
    if (!head) continue;
    let content = lines[i].slice(head.length);
    let removed = 0;
    const elided = content.startsWith('...');
    const rest = elided ? content.slice(3) : content;
    for (let k = wrapperPrefix.length; k >= 8; k--) {
      if (rest.startsWith(wrapperPrefix.slice(wrapperPrefix.length - k))) {
        content = rest.slice(k);
        removed = k + (elided ? 3 : 0);
        break;
      }
    }
    if (removed === 0) continue;
    lines[i] = head + content;
    const caret = lines[i + 1];
    if (caret !== undefined && /^\s*\^/.test(caret)) {
      const col = caret.indexOf('^');
      lines[i + 1] = ' '.repeat(Math.max(head.length, col - removed)) + caret.slice(col);
    }
  }
  return lines.join('\n');
}
