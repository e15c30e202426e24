// Vigil's service worker: lets the web UI open with no network (a field
// office whose link or server is down). The binary serves it at /sw.js, so
// its scope is the whole UI, with BUILD written in by web/offline.go: a
// version hash over every embedded UI file (it names the caches, so a new
// binary installs a new worker and drops the old caches) and the /ui/ files
// to precache (everything the app page can load).
//
// - The app page (GET /) and /ui/ files: network first, so an online user
//   always gets the running binary's files; the stored copy when the server
//   cannot be reached (no network, or a proxy's 502/503/504 page for it).
// - API GETs of the map and analysis layers on API_ALLOW only: network first;
//   when the server cannot be reached, the last answer to the same request
//   (or, for a map view, the one whose bbox overlaps most), marked
//   X-Vigil-Cached-At (when it was stored) so the page can say how old
//   it is. An answer with Cache-Control: no-store is never stored.
// - Everything else is left alone and never stored: POST/PUT/PATCH/DELETE,
//   login and logout, /api/v1/me (it carries the CSRF token), alerts,
//   surveys, tokens, users, every route not on the allowlist.
// - Logging out (POST /logout, the page's "clear" message) or opening the
//   login page deletes the stored API answers: a field laptop is shared.

const BUILD = { version: 'dev', precache: [] }; // replaced by the server (web/offline.go)
const SHELL = 'vigil-shell-' + BUILD.version;
const API = 'vigil-api-' + BUILD.version;
const API_MAX = 400; // stored API answers kept, oldest dropped first

// Map and analysis layers without personal data. An allowlist on purpose: a
// new route is not stored until someone decides it may be.
const API_ALLOW = [
  /^\/api\/v1\/(events|clusters|grid)$/,
  /^\/api\/v1\/events\/[^/]+$/,
  /^\/api\/v1\/risk$/,
  /^\/api\/v1\/risk\/cell\/[^/]+$/,
  /^\/api\/v1\/coverage$/,
  /^\/api\/v1\/coverage\/(gaps|deployments|responsiveness|seasons)$/,
];

// When the API cache was last cleared: answers to requests started before
// are not stored (a request in flight during a logout must not refill it).
let clearedAt = 0;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(BUILD.precache.map((u) => new Request(u, { cache: 'no-cache' })));
    // The app page needs a session: stored now when the worker is installed
    // from a logged-in page, and again on every visit.
    try {
      const res = await fetch('/', { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' });
      if (isPage(res)) await cache.put('/', res);
    } catch { /* offline while installing: the next visit stores it */ }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('vigil-') && k !== SHELL && k !== API) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'clear-api') event.waitUntil(clearAPI());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/logout' || (url.pathname === '/login' && req.mode === 'navigate')) {
    event.waitUntil(clearAPI());
    return;
  }
  if (req.method !== 'GET') return;
  if (url.pathname === '/' && req.mode === 'navigate') {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith('/ui/')) {
    event.respondWith(shell(req));
  } else if (API_ALLOW.some((re) => re.test(url.pathname)) && !req.headers.has('Authorization')) {
    event.respondWith(api(event));
  }
});

// A proxy in front of Vigil (TLS, a field office's gateway) answering for
// it while it is down (502, 503, 504, not the API's JSON): the server
// cannot be reached, as when the network fails.
function gatewayDown(res) {
  return [502, 503, 504].includes(res.status) && !/json/.test(res.headers.get('Content-Type') || '');
}

function isPage(res) {
  return res.ok && res.type === 'basic' && !res.redirected && (res.headers.get('Content-Type') || '').startsWith('text/html');
}

async function page(event) {
  try {
    const res = await fetch(event.request);
    if (gatewayDown(res)) return (await caches.match('/', { cacheName: SHELL })) || res;
    if (isPage(res)) {
      const copy = res.clone();
      event.waitUntil(caches.open(SHELL).then((c) => c.put('/', copy)));
    }
    return res;
  } catch (e) {
    const hit = await caches.match('/', { cacheName: SHELL });
    if (hit) return hit;
    throw e;
  }
}

async function shell(req) {
  // Files are stored without their ?v= content hash: the cache name holds the build.
  const stored = () => caches.match(req, { cacheName: SHELL, ignoreSearch: true, ignoreVary: true });
  try {
    const res = await fetch(req);
    return gatewayDown(res) ? (await stored()) || res : res;
  } catch (e) {
    const hit = await stored();
    if (hit) return hit;
    throw e;
  }
}

async function api(event) {
  const req = event.request;
  const started = Date.now();
  let res;
  const stored = async () => {
    const cache = await caches.open(API);
    return (await cache.match(req, { ignoreVary: true })) || (await nearest(cache, req));
  };
  try {
    res = await fetch(req);
  } catch (e) {
    const hit = await stored();
    if (hit) return hit;
    throw e;
  }
  if (gatewayDown(res)) return (await stored()) || res;
  if (res.ok && res.type === 'basic' && !/no-store/i.test(res.headers.get('Cache-Control') || '')) {
    event.waitUntil(store(req, res.clone(), started));
  }
  return res;
}

// A stored answer for a map view that is not exactly this one: same path
// and parameters except bbox, the stored bbox overlapping most with this one
// (a view restored from the address is rounded to 4 decimals, so its bbox
// rarely matches the last one to the digit).
async function nearest(cache, req) {
  const want = new URL(req.url);
  const box = bbox(want.searchParams.get('bbox'));
  if (!box) return undefined;
  const rest = others(want.searchParams);
  let best, bestArea = 0;
  for (const k of await cache.keys()) {
    const u = new URL(k.url);
    if (u.pathname !== want.pathname || others(u.searchParams) !== rest) continue;
    const b = bbox(u.searchParams.get('bbox'));
    if (!b) continue;
    const area = Math.max(0, Math.min(b[2], box[2]) - Math.max(b[0], box[0])) * Math.max(0, Math.min(b[3], box[3]) - Math.max(b[1], box[1]));
    if (area > 0 && area >= bestArea) { best = k; bestArea = area; } // later (more recent) wins a tie
  }
  return best ? cache.match(best, { ignoreVary: true }) : undefined;
}

function bbox(s) {
  const b = String(s || '').split(',').map(Number);
  return b.length === 4 && b.every(Number.isFinite) ? b : null;
}

function others(params) {
  return [...params].filter(([k]) => k !== 'bbox').map(([k, v]) => k + '=' + v).sort().join('&');
}

async function store(req, res, started) {
  const body = await res.blob();
  if (started <= clearedAt) return;
  const headers = new Headers(res.headers);
  headers.delete('Content-Encoding'); // the body is already decoded
  headers.delete('Content-Length');
  headers.set('X-Vigil-Cached-At', new Date().toISOString());
  const cache = await caches.open(API);
  await cache.put(req, new Response(body, { status: res.status, statusText: res.statusText, headers }));
  if (started <= clearedAt) {
    await cache.delete(req);
    return;
  }
  const keys = await cache.keys();
  for (const k of keys.slice(0, Math.max(0, keys.length - API_MAX))) await cache.delete(k);
}

async function clearAPI() {
  clearedAt = Date.now();
  for (const k of await caches.keys()) {
    if (k.startsWith('vigil-api-')) await caches.delete(k);
  }
}
