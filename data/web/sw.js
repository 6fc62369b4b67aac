// mgadvisor's service worker: keeps the page's own files so the page opens without the network
// (or with the server stopped) once it has been loaded. Network first, so a new version of the
// page is used as soon as the server answers; the cache is only the fallback. API answers are
// never cached: they are a person's journal and carry Cache-Control: no-store.
'use strict';

const CACHE = 'mgadvisor-page-v1';
const FILES = ['/', '/assets/app.js', '/assets/app.css', '/assets/icon.svg',
               '/assets/manifest.webmanifest'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES))
                      .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname !== '/' && !url.pathname.startsWith('/assets/')) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request, {ignoreSearch: true})));
});
