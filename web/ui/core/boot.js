// Starts the UI once the core and every capability module have registered:
// who is logged in, language, navigation bar, page routing (#/<page-id>),
// log out. Loaded last by index.html.
import { Vigil, loadDict } from './vigil.js';

const main = document.getElementById('main');
let cleanup = null;
let current = '';

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
  main.replaceChildren();
  main.dataset.page = page.id;
  document.title = `${Vigil.label(page.label)} · Vigil`;
  try {
    cleanup = page.render(main, { t: Vigil.t.bind(Vigil), api: Vigil.api.bind(Vigil) });
  } catch (e) {
    console.error(e);
    main.append(Vigil.el('p', { class: 'error' }, Vigil.t('app.pageFailed', { error: e.message })));
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
    main.replaceChildren(Vigil.el('p', { class: 'error' }, e.message));
    return;
  }
  Vigil.user = { name: me.name ?? me.user?.name ?? '', role: me.role ?? me.user?.role ?? 'viewer' };
  Vigil.csrf = me.csrf ?? me.csrf_token ?? me.csrfToken ?? '';
  document.getElementById('user').textContent = `${Vigil.user.name} (${Vigil.t('role.' + Vigil.user.role)})`;

  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await Vigil.api('/logout', { method: 'POST', raw: true });
    } catch { /* offline: still leave */ }
    location.assign('/login?lang=' + Vigil.lang);
  });

  Vigil.on('lang', () => {
    sel.value = Vigil.lang;
    document.getElementById('user').textContent = `${Vigil.user.name} (${Vigil.t('role.' + Vigil.user.role)})`;
    renderNav();
    const p = Vigil.pages.find((x) => x.id === current);
    if (p) document.title = `${Vigil.label(p.label)} · Vigil`;
  });
  Vigil.on('pages', renderNav);
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]);
    if (id !== current || !location.hash.includes('?')) show();
  });
  show();
}

boot();
