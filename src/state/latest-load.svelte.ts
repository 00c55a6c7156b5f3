/**
 * The latest of a cell's follow-up loads (a group's customers, a profile): each `load` replaces
 * the one before, and an answer that comes after a newer request is dropped.
 */
import { untrack } from 'svelte';
import { messageOf } from './segment-common';

/** A value loaded for the latest request, with the error of that request and a version that grows with every answer. */
export class LatestLoad<T> {
  value = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  version = $state(0);
  #seq = 0;

  /** Starts `job` (untracked: the engine's busy counter is read and written inside, which must not re-run the caller's effect). */
  load(job: () => Promise<T>): void {
    const seq = ++this.#seq;
    untrack(job)
      .then((value) => {
        if (seq !== this.#seq) return;
        this.value = value;
        this.version += 1;
        this.error = null;
      })
      .catch((e: unknown) => {
        if (seq === this.#seq) this.error = messageOf(e);
      });
  }

  /** Forgets the value (and any answer still on its way). */
  clear(): void {
    this.#seq += 1;
    this.value = null;
    this.error = null;
  }
}
