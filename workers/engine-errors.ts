/**
 * Errors that cross the worker boundary. Comlink keeps only name, message and stack,
 * so each carries a stable `name` and puts its context in the message.
 */

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

/** The user cancelled a running query. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('Cancelled.');
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
