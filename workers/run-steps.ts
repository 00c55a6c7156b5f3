/** Running the step generators of the numeric code (k-means, sweeps, BFGS fits) to their end. */
import { CancelledError } from './engine-errors';

/**
 * Runs `steps` to its end and returns its result; `onStep` sees every step and cancels the run
 * (CancelledError) by returning false.
 */
export function runSteps<P, R>(steps: Generator<P, R, void>, onStep?: (step: P) => boolean | void): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (onStep && onStep(step.value) === false) throw new CancelledError();
  }
}

/** Relays the steps of `steps`, each passed through `map`, and returns its result (use with `yield*`). */
export function* mapSteps<P, Q, R>(steps: Generator<P, R, void>, map: (step: P) => Q): Generator<Q, R, void> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield map(step.value);
  }
}
