// Starts the UI once the core and every capability module have registered:
// who is logged in, language, navigation bar, page routing (#/<page-id>),
// log out. Loaded last by index.html.
import { Vigil, loadDict, OfflineError, clearOfflineData, leave } from './vigil.js';

const main = document.getElementById('main');
let cleanup = null;
let current = '';
let typed = false; // the user has typed or chosen something in the page shown
const DEMO_KEY = 'vigil.demo'; // whether the server last said it runs the demo (showDemoBanner)

function visiblePages() {
  return Vigil.pages.filter((p) => Vigil.can(p.minRole));
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren(
    ...visiblePages().map((p) =>
      Vigil.el('a', { href: '#/' + p.id, id: 'nav-' + p.id, 'aria-current': p.id === current ? 'page' : null }, Vigil.label(p.label)),
    ),
  );
}

function show() {
  const pages = visiblePages();
  const want = decodeURIComponent(location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]);
  const page = pages.find((p) => p.id === want) || pages[0];
  if (!page) return;
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (e) { console.error(e); }
  }
  cleanup = null;
  current = page.id;
  typed = false;
  Vigil.latest(main); // what the page left was still waiting for draws nothing now
  main.replaceChildren();
  main.dataset.page = page.id;
  // "full": the page fills the window (the map); "page": the framed layout.
  main.dataset.layout = page.layout === 'full' ? 'full' : 'page';
  document.querySelector('.topbar')?.classList.remove('open');
  document.getElementById('nav-toggle')?.setAttribute('aria-expanded', 'false');
  document.title = `${Vigil.label(page.label)} · Vigil`;
  try {
    cleanup = page.render(main, { t: Vigil.t.bind(Vigil), api: Vigil.api.bind(Vigil) });
  } catch (e) {
    console.error(e);
    main.append(Vigil.el('p', { class: 'error' }, Vigil.t('app.pageFailed', { error: Vigil.errMsg(e) })));
  }
  renderNav();
  Vigil.emit('page', page.id);
}

async function boot() {
  document.documentElement.lang = Vigil.lang;
  const sel = document.getElementById('lang');
  sel.value = Vigil.lang;
  sel.addEventListener('change', () => Vigil.setLang(sel.value));
  await Promise.all([loadDict('en'), loadDict(Vigil.lang)]);
  Vigil.translate(document);

  let me;
  try {
    me = await Vigil.api('/api/v1/me');
  } catch (e) {
    // Server unreachable: open with the user remembered from the last visit
    // (name and role only, forgotten on logout) and the stored map data.
    const saved = e instanceof OfflineError ? rememberedUser() : null;
    if (!saved) {
      main.replaceChildren(Vigil.el('p', { class: 'error' }, Vigil.t('app.pageFailed', { error: Vigil.errMsg(e) })));
      return;
    }
    me = saved;
  }
  Vigil.user = { name: me.name ?? me.user?.name ?? '', role: me.role ?? me.user?.role ?? 'viewer', services: me.services ?? null };
  Vigil.csrf = me.csrf ?? me.csrf_token ?? me.csrfToken ?? '';
  if (Vigil.csrf) {
    // Someone else's stored answers must not show offline to this user.
    if (rememberedUser()?.name !== Vigil.user.name) await clearOfflineData();
    localStorage.setItem('vigil.user', JSON.stringify(Vigil.user));
  }
  showUser();

  document.getElementById('logout').addEventListener('click', async () => {
    leave();
    try {
      // A page opened offline has no CSRF token yet: ask for it first.
      if (!Vigil.csrf) Vigil.csrf = (await Vigil.api('/api/v1/me', { leaving: true })).csrf || '';
      await Vigil.api('/logout', { method: 'POST', raw: true, leaving: true });
    } catch { /* offline: still leave */ }
    await clearOfflineData();
    location.assign('/login?lang=' + Vigil.lang);
  });

  Vigil.on('lang', () => {
    sel.value = Vigil.lang;
    showUser();
    renderNav();
    const p = Vigil.pages.find((x) => x.id === current);
    if (p) document.title = `${Vigil.label(p.label)} · Vigil`;
  });
  Vigil.on('pages', renderNav);
  // Opened offline: once the server answers, take the CSRF token (and a
  // changed role) from it; a session that ended meanwhile goes to the login page.
  // A page left as it was at the reconnection, over what was typed in it:
  // said once the page is back online (the reconnection is tried first:
  // core/vigil.js checkHealth).
  let keptTyped = false;
  Vigil.on('offline', async (on) => {
    if (!on && keptTyped) {
      keptTyped = false;
      Vigil.notify(Vigil.t('app.onlineTyped', { time: Vigil.dateTime(new Date().toISOString()) }), 'info');
    }
    if (on || Vigil.csrf) return;
    try {
      const fresh = await Vigil.api('/api/v1/me');
      Vigil.csrf = fresh.csrf || '';
      if (fresh.name !== Vigil.user.name || fresh.role !== Vigil.user.role) location.reload();
    } catch { /* unreachable again: the next reconnection tries again */ }
  });
  // Back online: a page whose data could not load while offline opens
  // again, unless the user has typed in it (that would be lost: the banner
  // says to send it and open the page again). The map reloads its own data.
  main.addEventListener('input', () => { typed = true; });
  Vigil.on('reconnect', (page) => {
    showDemoBanner();
    if (!page || page !== current || page === 'map') return;
    if (typed) keptTyped = true;
    else show();
  });
  window.addEventListener('hashchange', (ev) => {
    // Where the user went (the menu's #/map): the page being left may have
    // rewritten the address since, before this event ran (the map's
    // debounced writeLink puts its own view back, link filters and all),
    // which would keep that page or open the new one on the old view.
    const hash = new URL(ev.newURL).hash;
    if (hash && location.hash !== hash) history.replaceState(null, '', hash);
    const id = decodeURIComponent(location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]);
    if (id !== current || !location.hash.includes('?')) show();
  });
  const toggle = document.getElementById('nav-toggle');
  toggle.addEventListener('click', () => {
    const open = document.querySelector('.topbar').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  show();
  showDemoBanner();
  registerWorker();
}

// The demo banner: shown on every page when the server runs the demo
// (GET /api/v1/demo answers {"demo": true}); hidden otherwise, and hidden
// when the server has no such route. While the server cannot be reached
// (the app opened offline, a proxy's 502/503/504) it is as the server last
// said: the stored data shown offline is the demo's too. What it said is
// remembered in localStorage, forgotten at logout (clearOfflineData).
async function showDemoBanner() {
  const b = document.getElementById('demo-banner');
  const remembered = () => { b.hidden = localStorage.getItem(DEMO_KEY) !== '1'; };
  let res;
  try {
    res = await Vigil.api('/api/v1/demo', { raw: true });
  } catch (e) {
    if (e instanceof OfflineError) remembered();
    return;
  }
  if (!res.ok) {
    if ([502, 503, 504].includes(res.status)) remembered();
    return;
  }
  try {
    const d = await res.json();
    b.hidden = !(d && d.demo);
    localStorage.setItem(DEMO_KEY, b.hidden ? '0' : '1');
  } catch { /* the answer broke off: the banner as it was */ }
}

// The user's name over their role (the top bar holds one line at 1366 px).
function showUser() {
  document.getElementById('user').replaceChildren(Vigil.el('span', { translate: 'no' }, Vigil.user.name), ' ',
    Vigil.el('span', { class: 'user-role' }, `(${Vigil.t('role.' + Vigil.user.role)})`));
}

function rememberedUser() {
  try {
    const u = JSON.parse(localStorage.getItem('vigil.user') || 'null');
    return u && typeof u.name === 'string' && typeof u.role === 'string' ? { name: u.name, role: u.role } : null;
  } catch {
    return null;
  }
}

// The service worker (core/sw.js, served at /sw.js) keeps the app and the
// last map data for opening with no network. Browsers allow it on https and
// on localhost only (see README: Configuration).
function registerWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const first = !navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // On the first visit the map's data was loaded before the worker took
    // over: load it again through the worker so that it is kept.
    if (first) Vigil.emit('reconnect');
  }, { once: true });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e) => console.warn('Vigil: service worker not registered', e));
}

boot();
