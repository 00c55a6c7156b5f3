/**
 * Registers the service worker (built apps only) once the first result is on screen, so it never
 * competes with the first visit's downloads. When a new deployment has been fetched in the
 * background, `onUpdate` is called; the function returned switches to it and reloads the page.
 */

const CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** Starts offline support; returns a function that activates a waiting update and reloads. */
export function registerServiceWorker(onUpdate: () => void): () => void {
  let waiting: ServiceWorker | null = null;
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return () => undefined;
  // A worker installed while another one controls the page is a new deployment; the very first
  // install (no controller yet) is not. Asked when it installs, not at registration: a first
  // visit's page comes under control (clients.claim) and may see a deployment later on.
  const isUpdate = () => navigator.serviceWorker.controller !== null;
  const ready = (worker: ServiceWorker) => {
    waiting = worker;
    onUpdate();
  };
  navigator.serviceWorker
    .register('./sw.js')
    .then((reg) => {
      const watch = (worker: ServiceWorker | null) => {
        if (!worker) return;
        worker.addEventListener('statechange', () => {
          if (worker.state === 'installed' && isUpdate()) ready(worker);
        });
      };
      if (reg.waiting && isUpdate()) ready(reg.waiting);
      watch(reg.installing);
      reg.addEventListener('updatefound', () => watch(reg.installing));
      // Browsers look for a new service worker on navigation; a tab left open looks again when it
      // comes back into view (at most hourly).
      let checked = Date.now();
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState !== 'visible' || Date.now() - checked < CHECK_INTERVAL_MS) return;
        checked = Date.now();
        reg.update().catch(() => undefined);
      });
    })
    .catch(() => undefined);
  return () => {
    if (!waiting) return location.reload();
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage('segnote:activate');
  };
}
