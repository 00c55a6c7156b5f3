/** Whether a new deployment of the app is ready to use (the service worker fetched it), and how to switch to it. */
export class AppUpdate {
  ready = $state(false);
  #apply: () => void = () => undefined;

  /** Connects the service worker's "update ready" to this state. */
  connect(start: (onUpdate: () => void) => () => void): void {
    this.#apply = start(() => (this.ready = true));
  }

  /** Switches to the new version (reloads the page). */
  apply(): void {
    this.#apply();
  }
}

/** The page's one update state. */
export const appUpdate = new AppUpdate();
