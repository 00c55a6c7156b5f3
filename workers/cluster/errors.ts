/**
 * Errors of the clustering code. They cross the worker boundary, where Comlink keeps only
 * name, message and stack, so the name is stable and the message says what to change.
 * Cancellation uses the engine's `CancelledError`.
 */

/** Input the clustering code cannot work with (too few rows, k too large, missing values, ...). */
export class ClusterError extends Error {
  override name = 'ClusterError';
  constructor(message: string) {
    super(message);
  }
}
