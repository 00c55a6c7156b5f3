/**
 * Errors of the lifetime-value code. They cross the worker boundary, where Comlink keeps only
 * name, message and stack, so the name is stable and the message says what to change.
 * Cancellation uses the engine's `CancelledError`.
 */

/** Input or parameters the lifetime-value models cannot work with. */
export class ClvError extends Error {
  override name = 'ClvError';
  constructor(message: string) {
    super(message);
  }
}
