/**
 * Registers the service worker (built apps only) once the first result is on screen, so it never
 * competes with the first visit's downloads. When a new deployment has been fetched in the
 * background, `onUpdate` is called; `applyUpdate` switches to it and reloads the page.
 */

/** Starts offline support; returns a function that activates a waiting update and reloads. */
export function registerServiceWorker(onUpdate: () => void): () => void {
  let waiting: ServiceWorker | null = null;
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return () => undefined;
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker
    .register('./sw.js')
    .then((reg) => {
      const watch = (worker: ServiceWorker | null) => {
        if (!worker) return;
        worker.addEventListener('statechange', () => {
          // An installed worker while another controls the page is a new deployment.
          if (worker.state === 'installed' && hadController) {
            waiting = worker;
            onUpdate();
          }
        });
      };
      if (reg.waiting && hadController) {
        waiting = reg.waiting;
        onUpdate();
      }
      watch(reg.installing);
      reg.addEventListener('updatefound', () => watch(reg.installing));
    })
    .catch(() => undefined);
  return () => {
    if (!waiting) return location.reload();
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage('segnote:activate');
  };
}
