/*
 * Segnote's service worker: after one visit the app opens and works without a network. The build
 * (src/pwa/precache-plugin.ts) replaces the two placeholders below with the build's version and
 * the list of files to keep: the app shell, its scripts and styles, the engine's wasm and the
 * samples. Same-origin GETs are answered from the cache first (hashed files never change);
 * the page itself is asked of the network first, so a new deployment is seen as soon as there is
 * a network. Requests to other origins (data URLs the user approved) are left alone.
 */
const VERSION = '__SEGNOTE_VERSION__';
const PRECACHE = __SEGNOTE_PRECACHE__;
const CACHE = `segnote-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((p) => new Request(p, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('segnote-') && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'segnote:activate') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          if (response.ok) void caches.open(CACHE).then((cache) => cache.put('./', copy));
          return response;
        })
        .catch(() => caches.match('./', { cacheName: CACHE, ignoreVary: true }).then((hit) => hit ?? caches.match('./index.html', { cacheName: CACHE, ignoreVary: true })).then((hit) => hit ?? Response.error())),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true, ignoreVary: true }).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
