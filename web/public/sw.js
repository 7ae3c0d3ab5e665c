// Yiwang's service worker: only so that the /verify page opens offline after one online visit.
// The page posts the asset files it used ({type:'keep', urls}); they are cached (hashed names, so a
// cached file never goes stale) and served from the cache first. Navigations to /verify go to the
// network first and fall back to the cached page. Everything else passes through untouched.
const CACHE = 'yiwang-verify-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.add('/verify'))
      .catch(() => undefined),
  );
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('yiwang-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const isVerifyPage = (url) => url.pathname === '/verify' || url.pathname.startsWith('/verify/');
const keepable = (url) => url.origin === self.location.origin && (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg' || url.pathname === '/verify');

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'keep' || !Array.isArray(data.urls)) return;
  const wanted = new Set(data.urls.map((u) => new URL(u, self.location.origin)).filter(keepable).map((u) => u.pathname));
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      // Files of older builds are dropped; the page and this build's files are fetched if missing.
      for (const req of await cache.keys()) {
        const path = new URL(req.url).pathname;
        if (!wanted.has(path) && path !== '/verify') await cache.delete(req);
      }
      await Promise.all([...wanted].map(async (path) => ((await cache.match(path)) ? undefined : cache.add(path).catch(() => undefined))));
    }),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && isVerifyPage(url)) {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            event.waitUntil(caches.open(CACHE).then((c) => c.put('/verify', copy)));
          }
          return res;
        })
        .catch(() => caches.match('/verify').then((hit) => hit || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(req)));
  }
});
