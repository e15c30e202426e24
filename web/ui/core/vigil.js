// Vigil UI core: the registry capability modules build on (pages, map
// layers, translations), the API client (session cookie + CSRF token), and a
// few DOM helpers. No framework, no build step. See web/ui/README.md.

import { csvCell, fill, frenchIn, replaceDurations } from './text.js';

const ROLE_LEVEL = { viewer: 1, responder: 2, analyst: 3, admin: 4 };
const LANGS = ['en', 'fr'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const GATEWAY = new Set([502, 503, 504]); // a proxy's answers when the server behind it is down

const listeners = new Map(); // event name → Set of functions
const dicts = { en: {}, fr: {} };

/** Error thrown by Vigil.api: message from the server's {"error","field"}. */
export class ApiError extends Error {
  constructor(status, message, field, key, args) {
    super(message);
    this.status = status;
    this.field = field || '';
    // The message as a catalog key with its arguments, when the server
    // gives one (a capability's page may say it in its language).
    this.key = key || '';
    this.args = args || {};
  }
}

/** Thrown when the server cannot be reached (network down, server stopped); said by errText in the page's language (key). */
export class OfflineError extends Error {
  constructor(message, key = 'app.offline') {
    super(message);
    this.key = key;
    this.args = {};
  }
}

// What a request that could not reach the server is said as: a read « could
// not be loaded »; a change (POST, PUT, PATCH, DELETE) « nothing was saved,
// what you typed is still here » — the forms keep their fields on failure;
// a change that carries its own id (opts.idempotent: an incident's note or
// status, a phone alert) « may have been saved » — the connection may have
// broken after it reached the server, before its answer came — and « will
// not be recorded twice » when sent again with that id.
function unreachable(method, idempotent) {
  const key = !UNSAFE.has(method) ? 'app.offline' : idempotent ? 'app.offlineMaybeSaved' : 'app.offlineNotSaved';
  return new OfflineError(Vigil.t(key), key);
}

// The server failed (500, or a 5xx without the API's answer: a proxy's
// 502/504 page): what is said instead of its text, which may hold details
// the page has no use for (the server logged them).
const SERVER_FAILED = 'app.serverFailed';

// keepLang gives the login page the language chosen in the app (a cookie
// only /login is sent, web/auth_login.go): it otherwise followed the
// browser's, and a French user on an English browser was met in English.
// The cookie is written when it would change — another language than the
// one last written (localStorage vigil.langPref: the language and the day
// written), or written 30 days ago or more, so that its year's Max-Age
// never lapses — not on every page load; the app's pages cannot read it
// back (Path=/login).
function keepLang(l) {
  const day = Math.floor(Date.now() / 864e5);
  const [was, on] = String(localStorage.getItem('vigil.langPref') ?? '').split(' ');
  if (was === l && day - Number(on) < 30) return;
  document.cookie = `vigil_lang_pref=${l}; Max-Age=31536000; Path=/login; SameSite=Strict` + (globalThis.location?.protocol === 'https:' ? '; Secure' : '');
  localStorage.setItem('vigil.langPref', `${l} ${day}`);
}

function pickLang() {
  // The language chosen on the login page (a cookie its answer sets once,
  // web/auth_login.go) becomes the app's: a French user on an English
  // browser who picked « Français » there is not met in English.
  const chosen = /(?:^|;\s*)vigil_lang=([a-z]+)/.exec(document.cookie)?.[1];
  if (chosen) {
    document.cookie = 'vigil_lang=; Max-Age=0; Path=/; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');
    if (LANGS.includes(chosen)) localStorage.setItem('vigil.lang', chosen);
  }
  const saved = localStorage.getItem('vigil.lang');
  if (LANGS.includes(saved)) {
    keepLang(saved);
    return saved;
  }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().slice(0, 2);
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

// Frames of tables (Vigil.scrollTable): a frame is a tab stop only while
// it scrolls, sideways (a table wider than it) or down (a table taller
// than its max-height, app.css). It is measured when it comes into the
// document (at once if it is in already, else when a MutationObserver
// sees it put in: a microtask after the append, before the page's render
// resolves and before the page is drawn), then watched by a
// ResizeObserver, frame and table: the frame narrows with the window, the
// table grows with rows. Set by the ResizeObserver only, the tab stop
// came a frame or two after the table was drawn (a test read it before,
// TestE2EIntegrityNarrativesLayout). A frame a redraw took out of the
// document is no longer watched (the observer held it, and its table, for
// as long as the page lived); put back, it is measured and watched again
// at once (the same MutationObserver, which is on only while a frame
// waits to come in).
let captionSeq = 0;
let headingSeq = 0;
const waiting = new Set(); // WeakRefs of the frames not in the document: not yet put in, or taken out
// A frame whose table has no caption or label is named, once it scrolls,
// after the heading before it (a card's or a section's).
const nameByHeading = (frame) => {
  for (let e = frame; e && e !== document.body; e = e.parentElement) {
    for (let p = e.previousElementSibling; p; p = p.previousElementSibling) {
      const h = p.matches('h1, h2, h3, h4, h5, h6') ? p : null;
      if (h && h.textContent.trim()) {
        h.id ||= 'table-heading-' + (++headingSeq);
        frame.setAttribute('aria-labelledby', h.id);
        frame.setAttribute('role', 'region');
        return;
      }
    }
  }
};
// markScroll measures all the frames first, then marks them: one layout
// for them all, not one per frame. It also sets --frame-bar on a frame:
// the width of its vertical scroll bar, which app.css takes off its
// caption's width (100cqi counts the bar: a long caption ran 15 px under
// it, cut, on a phone-sized window, TestE2EWalk25Captions).
const markScroll = (frames) => {
  const scrolls = frames.map((f) => f.scrollWidth > f.clientWidth + 1 || f.scrollHeight > f.clientHeight + 1);
  const bars = frames.map((f) => Math.max(0, f.offsetWidth - f.clientWidth - 2 * f.clientLeft));
  frames.forEach((frame, i) => {
    const bar = bars[i] ? bars[i] + 'px' : '';
    if (frame.style.getPropertyValue('--frame-bar') !== bar) {
      if (bar) frame.style.setProperty('--frame-bar', bar);
      else frame.style.removeProperty('--frame-bar');
    }
    if (scrolls[i]) {
      frame.setAttribute('tabindex', '0');
      if (!frame.hasAttribute('aria-labelledby') && !frame.hasAttribute('aria-label')) nameByHeading(frame);
    } else if (frame.getAttribute('tabindex') === '0' && document.activeElement !== frame) frame.removeAttribute('tabindex');
  });
};
const frameOf = (e) => (e.classList.contains('table-wrap') ? e : e.parentElement?.classList.contains('table-wrap') ? e.parentElement : null);
const scrollWatch = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => {
    const frames = new Set();
    for (const e of entries) {
      const frame = frameOf(e.target);
      if (e.target.isConnected) {
        if (frame) frames.add(frame);
      } else { // taken out (only frames in the document are observed)
        scrollWatch.unobserve(e.target);
        if (frame === e.target) wait(frame);
      }
    }
    markScroll([...frames]);
  })
  : null;
// comeIn watches the frames waiting that are now in the document (and
// forgets those gone for good); the observer stops once none waits.
const comeIn = typeof MutationObserver === 'function'
  ? new MutationObserver(() => {
    const frames = [];
    for (const ref of waiting) {
      const frame = ref.deref();
      if (!frame) waiting.delete(ref);
      else if (frame.isConnected) {
        waiting.delete(ref);
        frames.push(frame);
      }
    }
    if (!waiting.size) comeIn.disconnect();
    for (const f of frames) observe(f);
    markScroll(frames);
  })
  : null;
function wait(frame) {
  if (!comeIn) return;
  if (!waiting.size) comeIn.observe(document.documentElement, { childList: true, subtree: true });
  waiting.add(new WeakRef(frame));
}
function observe(frame) {
  const table = frame.querySelector('table');
  if (!scrollWatch || !table) return;
  scrollWatch.observe(frame);
  scrollWatch.observe(table);
}
// watchFrame measures frame now if it is in the document, else once it
// is put in; the ResizeObserver follows it from then on.
function watchFrame(frame) {
  if (!scrollWatch || !frame.querySelector('table')) return;
  if (!frame.isConnected) {
    wait(frame);
    return;
  }
  observe(frame);
  markScroll([frame]);
}

export const Vigil = {
  /** The languages the UI speaks. */
  langs: LANGS,
  /** Current language code ("en" or "fr"). */
  lang: pickLang(),
  /** The logged-in user: {name, role}; set by boot before pages render. */
  user: null,
  /** CSRF token sent as X-CSRF-Token on unsafe requests. */
  csrf: '',
  /** Registered pages and map layers, in registration order. */
  pages: [],
  layers: [],
  /** The Leaflet map once the map page has been shown (else null). */
  map: null,
  /**
   * The map's current filters, shared with layers:
   * {types: ["state-based",…], from: "YYYY-MM-DD"|"", to: "YYYY-MM-DD"|"",
   *  country: "", month: "YYYY-MM" (time slider), bbox: [w,s,e,n], zoom}
   */
  filters: { types: ['state-based', 'non-state', 'one-sided'], from: '', to: '', country: '', month: '', bbox: null, zoom: 0 },

  /**
   * Register a page reachable from the navigation bar.
   * {id, label: "i18n.key" | {en, fr}, minRole?: "viewer"|…, order?: number,
   *  render(el, ctx): called each time the page is shown, el is empty;
   *  may return a cleanup function called when the page is left}
   */
  registerPage(p) {
    check(p, ['id', 'label', 'render']);
    if (this.pages.some((q) => q.id === p.id)) throw new Error(`Vigil: page ${p.id} registered twice`);
    this.pages.push({ minRole: 'viewer', order: 100, ...p });
    this.pages.sort((a, b) => a.order - b.order);
    emit('pages');
  },

  /**
   * Register an overlay on the map page (listed under "Layers").
   * {id, label, minRole?, defaultOn?: false,
   *  create?(ctx) → L.Layer | Promise<L.Layer>: called when switched on
   *    (default: an empty L.layerGroup() for update to fill),
   *  update?(layer, ctx): called when filters or the view change,
   *  legend?(ctx) → Node|string: shown under the checkbox while on}
   * ctx = {map, filters, t, api, signal} (signal aborts on the next update).
   */
  registerLayer(l) {
    check(l, ['id', 'label']);
    if (this.layers.some((q) => q.id === l.id)) throw new Error(`Vigil: layer ${l.id} registered twice`);
    this.layers.push({ minRole: 'viewer', defaultOn: false, create: () => L.layerGroup(), ...l });
    emit('layers');
  },

  /** Add translations: {en: {key: text}, fr: {key: text}} (JSON files under i18n/ are merged by the server; this is for strings built in JS). */
  registerStrings(d) {
    for (const l of LANGS) Object.assign(dicts[l], d[l] || {});
  },

  /**
   * Translate key; {name} placeholders are filled from vars, and plurals,
   * {name, plural, one {# item} other {# items}}, pick the form of the
   * number vars.name in the UI language (# is the number, formatted; see
   * core/text.js). Falls back to English, then the key.
   */
  t(key, vars) {
    const s = dicts[this.lang][key] ?? dicts.en[key] ?? key;
    return vars ? fill(s, vars, dicts[this.lang][key] === undefined ? 'en' : this.lang, (n) => this.num(n)) : s;
  },

  /** An area (ISO3 code, its name in the UI language) after "in": "in Mali"; in French "au Mali", "en Somalie", "dans l’ensemble des zones" (core/text.js frenchIn). */
  inArea(code, name) {
    return this.lang === 'fr' ? frenchIn(code, name) : `in ${name}`;
  },

  /** t(key, vars) when a dictionary has key, else fallback (a value no dictionary names is shown as stored, never as its key). */
  tOr(key, fallback, vars) {
    const s = this.t(key, vars);
    return s === key ? fallback : s;
  },

  /** The dictionaries' keys that start with prefix, sorted (the English dictionary has every key). */
  keys(prefix) {
    return Object.keys(dicts.en).filter((k) => k.startsWith(prefix)).sort();
  },

  /**
   * A server's English text read by a table of its forms: the first row
   * [regex, key, names] whose regex matches text gives {key, vars}, vars
   * naming the captured groups (names[i] for group i + 1); null when no row
   * matches (the text is then shown as it came).
   */
  matchText(table, text) {
    for (const [re, key, names] of table) {
      const m = re.exec(String(text ?? ''));
      if (m) return { key, vars: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
    }
    return null;
  },

  /** A language's name in the UI language from its code ("bm": "Bambara"; i18n/languages.*.json), else the code. */
  language(code) {
    const k = `language.${String(code ?? '').trim().toLowerCase()}`;
    return dicts[this.lang][k] ?? dicts.en[k] ?? String(code ?? '');
  },

  /** A label given as an i18n key or as {en, fr}. */
  label(x) {
    if (x && typeof x === 'object') return x[this.lang] ?? x.en ?? '';
    return this.t(String(x));
  },

  /** Switch language: persists, re-translates the page and tells listeners. */
  async setLang(l) {
    if (!LANGS.includes(l)) return;
    await loadDict(l);
    this.lang = l;
    localStorage.setItem('vigil.lang', l);
    keepLang(l);
    document.documentElement.lang = l;
    this.translate(document);
    emit('lang', l);
  },

  /** Apply data-i18n="key" (text) and data-i18n-attr="attr:key;attr:key" under root. */
  translate(root) {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = this.t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of el.dataset.i18nAttr.split(';')) {
        const [attr, key] = pair.split(':');
        if (attr && key) el.setAttribute(attr.trim(), this.t(key.trim()));
      }
    }
  },

  /**
   * Whether the server runs the optional service name (alerts, contacts,
   * integrity, performance, surveys); true when not known (offline start).
   */
  serves(name) {
    return !this.user?.services || this.user.services.includes(name);
  },

  /**
   * Rewrite the address within the page shown (history.replaceState of
   * hash '#/page?…'), unless the address already names another page: the
   * reader has navigated away and the router has not handled it yet, and
   * writing now would cancel that navigation. Returns whether it wrote.
   */
  replaceRoute(hash) {
    const page = (h) => decodeURIComponent(h.replace(/^#\/?/, '').split(/[/?]/)[0]);
    const now = page(location.hash);
    if (now && now !== page(hash)) return false;
    history.replaceState(null, '', hash);
    return true;
  },

  /** The query of the route in the address (#/page?k=v&…), as URLSearchParams. */
  params() {
    return new URLSearchParams(location.hash.split('?')[1] || '');
  },

  /** Whether the user has at least role. */
  can(role) {
    return !!this.user && (ROLE_LEVEL[this.user.role] || 0) >= (ROLE_LEVEL[role] || 99);
  },

  /**
   * Call the API. path is "/api/v1/…"; opts: {method, query: {k: v|[v]},
   * json: body, or body with type its Content-Type (a file), signal,
   * raw: true → the Response, idempotent: true for a change that carries
   * its own id, so that sending it again never makes it twice}. Sends the CSRF token on
   * unsafe methods; answers the parsed JSON; throws ApiError (with the
   * server's message) or OfflineError. A 401 sends the browser to the login page.
   */
  async api(path, opts = {}) {
    // Logging out: nothing more is asked, so nothing more is stored for offline use.
    if (leaving && !opts.leaving) throw new DOMException('logging out', 'AbortError');
    const method = (opts.method || (opts.json !== undefined ? 'POST' : 'GET')).toUpperCase();
    let url = path;
    if (opts.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) {
        if (v === undefined || v === null || v === '') continue;
        for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
      }
      const qs = q.toString();
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    const headers = { Accept: 'application/json' };
    if (UNSAFE.has(method) && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body !== undefined) {
      body = opts.body;
      if (opts.type) headers['Content-Type'] = opts.type;
    }
    // Counted while the page tries to come back online (checkHealth): back
    // online is said only once the trial's requests have all answered.
    const answered = trialAsk();
    try {
      return await ask(url, method, headers, body, opts);
    } finally {
      answered();
    }
  },

  /**
   * Last request wins in a box the page draws into: latest(box) returns a
   * function saying whether this call is still the newest latest(box). A
   * page asks it before drawing an answer, so an answer that comes after a
   * newer request for the same box (a filter changed again, another item
   * chosen, the language switched, another page shown: boot takes a turn on
   * <main>) draws nothing. box is the element drawn into, or any object
   * standing for what is drawn.
   */
  latest(box) {
    const n = (turns.get(box) || 0) + 1;
    turns.set(box, n);
    return () => turns.get(box) === n;
  },

  /**
   * How often, in ms, to repeat what the page repeats (name "health",
   * "alertsPoll"): ms, unless the server set another interval on the app
   * page's <html> (data-health-ms, …: web.Server.PageEvery, which only the
   * browser tests set, to wait less).
   */
  every(name, ms) {
    const set = Number(document.documentElement.dataset[name + 'Ms']);
    return set > 0 ? set : ms;
  },

  /** Subscribe to an event ("lang", "filters", "view", "page", "offline"); returns an unsubscribe function. */
  on(name, fn) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(fn);
    return () => listeners.get(name).delete(fn);
  },
  emit(name, arg) { return emit(name, arg); },

  /** Show a message in the banner (kind "error"|"info"); empty text hides it. */
  notify(text, kind = 'error') {
    const b = document.getElementById('banner');
    if (!b) return;
    // A page saying the server is unreachable in the banner: the banner
    // says it once, with since when and what still works on this page.
    if (offline && text === this.t('app.offline')) text = offlineText();
    clearTimeout(backTimer);
    b.textContent = text || '';
    b.className = 'banner ' + kind;
    b.hidden = !text;
  },

  /**
   * A live count of a text field's characters against its limit max, as a
   * hint to put under the field ("120 characters of 480"). It counts as the
   * server does: Unicode code points, an accented letter is one; the
   * field's maxlength (UTF-16 units: never fewer) stops typing at max.
   * The field is described by it; it follows the language while shown.
   */
  charCount(input, max) {
    const out = this.el('span', { class: 'hint char-count', id: `${input.id}-count` });
    const show = () => {
      const n = [...input.value].length;
      out.textContent = this.t('app.charCount', { n, max: this.num(max) });
      out.classList.toggle('over', n > max);
    };
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), out.id].filter(Boolean).join(' '));
    input.addEventListener('input', show);
    const off = this.on('lang', () => (out.isConnected ? show() : off()));
    show();
    return out;
  },

  /**
   * Build an element without innerHTML: el("p", {class: "x", onclick: fn}, "text", child…).
   * Attributes starting with "on" become listeners; null/false attributes are skipped.
   */
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  },

  /**
   * table in a frame that scrolls sideways when the table is wider than the
   * page (a phone), so that the page itself never does, and down, under
   * its header row, when the table is taller than three quarters of the
   * window (app.css). While it scrolls, the frame is a named region the
   * keyboard can reach and scroll (WCAG 2.1.1, axe's
   * scrollable-region-focusable); while it does not, it is no tab stop.
   * Named by the table's caption, or its aria-labelledby or aria-label,
   * else by the heading before the frame. cls: more classes for the frame
   * ('scroll': a smaller fixed height). table may be given later:
   * scrollTable(null) is an empty frame, and Vigil.watchScroll(frame)
   * after its table is put in.
   */
  scrollTable(table, cls = '') {
    const box = this.el('div', { class: cls ? 'table-wrap ' + cls : 'table-wrap' }, table);
    if (table) this.watchScroll(box);
    return box;
  },

  /** Names frame (a .table-wrap) after its table and follows whether it scrolls (scrollTable). */
  watchScroll(frame) {
    const table = frame.querySelector('table');
    if (!table) return;
    const cap = table.querySelector('caption');
    if (cap) {
      cap.id ||= 'cap-' + (++captionSeq);
      frame.setAttribute('aria-labelledby', cap.id);
    } else if (table.getAttribute('aria-labelledby')) {
      frame.setAttribute('aria-labelledby', table.getAttribute('aria-labelledby'));
    } else if (table.getAttribute('aria-label')) {
      frame.setAttribute('aria-label', table.getAttribute('aria-label'));
    }
    if (frame.hasAttribute('aria-labelledby') || frame.hasAttribute('aria-label')) frame.setAttribute('role', 'region');
    watchFrame(frame);
  },

  /**
   * A span holding s as text: what a map tooltip or popup is given, since
   * Leaflet renders a string as HTML (a place or label from an imported
   * file must never become markup).
   */
  plain(s) {
    return this.el('span', {}, s);
  },

  /**
   * A CSV file of rows (arrays of cells, the header first) as an object URL
   * for a download link: cells quoted where needed, none read as a
   * spreadsheet formula, UTF-8 with a byte-order mark so that spreadsheets
   * read accented place names. The caller revokes it when done.
   */
  csvURL(rows) {
    const csv = rows.map((r) => r.map((v) => {
      // No formulas in a spreadsheet (OWASP, CSV injection): csvsafe's rule
      // (a cell that starts with = + - @, a tab or a carriage return starts
      // with ' ; a plain number, -3.5 or +2, stays a number).
      const s = csvCell(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }).join(',')).join('\r\n') + '\r\n';
    return URL.createObjectURL(new Blob(['\ufeff' + csv], { type: 'text/csv;charset=utf-8' }));
  },

  /**
   * The empty state: a box that says the page has nothing yet and how to
   * fill it from the UI. empty({title: key, body: key, vars, action: {label: key, href} | {label: key, onclick}})
   */
  empty({ title = 'app.empty.title', body, vars, action } = {}) {
    const box = this.el('div', { class: 'empty', role: 'status' },
      this.el('span', { class: 'empty-title', 'data-i18n': title }, this.t(title, vars)));
    if (body) box.append(this.el('p', { 'data-i18n': body }, this.t(body, vars)));
    if (action) {
      const attrs = { 'data-i18n': action.label };
      box.append(action.href
        ? this.el('a', { ...attrs, class: 'btn btn-primary', href: action.href }, this.t(action.label))
        : this.el('button', { ...attrs, type: 'button', class: 'primary', onclick: action.onclick }, this.t(action.label)));
    }
    return box;
  },

  /**
   * Ask before an action, in the page (never window.confirm or
   * window.prompt: their buttons are in the browser's language, not the
   * page's, and an empty answer cannot be told from a cancelled one). A
   * modal <dialog> (class "ask") with a title, a text, a text field when
   * reason is given, and Cancel and confirm buttons in the UI language;
   * title, text, reason (the field's label) and confirm (the button) are
   * i18n keys, danger marks a destructive confirm. The focus stays in the
   * dialog (Tab cycles in it), Escape or Cancel close it, and the focus goes
   * back where it was; leaving the page cancels it. A reason is required,
   * checked as the server checks it (alerts.CheckText): confirming without
   * one, or with only white space or invisible characters (zero-width
   * space, joiners, direction marks: Unicode Cf), says so
   * (app.ask.needReason) and keeps the dialog open; so does a reason over
   * maxBytes, the server's limit, counted as the server counts it, in UTF-8
   * bytes of what is sent (app.ask.tooLong, said as soon as it is typed;
   * an accented letter is 2 bytes: a character limit would let through a
   * French reason the server refuses). The server's refusal stays the
   * authority. Resolves to null when cancelled, else the reason given,
   * trimmed ('' when no reason was asked).
   */
  ask({ title, text, reason, confirm, danger = false, maxBytes = 500 }) {
    const el = this.el.bind(this), t = this.t.bind(this);
    const id = `ask-${++asked}`;
    const back = document.activeElement;
    const err = el('p', { class: 'error ask-error', id: `${id}-error`, 'aria-live': 'assertive' });
    const field = reason ? el('input', { id: `${id}-reason`, class: 'ask-reason', autocomplete: 'off', 'aria-required': 'true', 'aria-describedby': text ? `${id}-text ${id}-error` : `${id}-error` }) : null;
    const cancel = el('button', { type: 'button', class: 'ask-cancel', 'data-i18n': 'app.ask.cancel' }, t('app.ask.cancel'));
    const ok = el('button', { type: 'submit', class: danger ? 'ask-confirm danger' : 'ask-confirm', 'data-i18n': confirm }, t(confirm));
    const form = el('form', { class: 'ask-form', novalidate: true },
      el('h2', { id: `${id}-title`, 'data-i18n': title }, t(title)),
      text ? el('p', { id: `${id}-text`, 'data-i18n': text }, t(text)) : null,
      field ? el('div', { class: 'field' }, el('label', { for: field.id, 'data-i18n': reason }, t(reason)), field, err) : null,
      el('div', { class: 'btn-row' }, cancel, ok));
    const dlg = el('dialog', { class: 'ask', id, 'aria-labelledby': `${id}-title`, 'aria-describedby': text ? `${id}-text` : null }, form);
    document.body.append(dlg);
    return new Promise((resolve) => {
      let off = () => {};
      const finish = (v) => {
        if (!dlg.isConnected) return;
        off();
        dlg.close();
        dlg.remove();
        // Back where it was; a page redrawn meanwhile (a live update) has
        // the control again under the same id.
        const to = back && !back.isConnected && back.id ? document.getElementById(back.id) : back;
        if (to && to.isConnected && typeof to.focus === 'function') to.focus();
        resolve(v);
      };
      off = this.on('page', () => finish(null));
      // What is wrong with the reason v (trimmed), as [key, vars], or null.
      const problem = (v) => {
        if (/^[\s\u0085\p{Cf}]*$/u.test(v)) return ['app.ask.needReason'];
        const n = new TextEncoder().encode(v).length;
        return n > maxBytes ? ['app.ask.tooLong', { n, max: this.num(maxBytes) }] : null;
      };
      const say = (p) => {
        if (p) {
          err.dataset.i18n = p[0];
          err.textContent = t(p[0], p[1]);
          field.setAttribute('aria-invalid', 'true');
        } else {
          delete err.dataset.i18n;
          err.textContent = '';
          field.removeAttribute('aria-invalid');
        }
      };
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (!field) { finish(''); return; }
        const v = field.value.trim(), p = problem(v);
        if (!p) { finish(v); return; }
        say(p);
        field.focus();
      });
      field?.addEventListener('input', () => {
        // Too long is said while typing; a blank field only on confirming.
        const p = problem(field.value.trim());
        if (!p || p[0] === 'app.ask.tooLong') say(p);
      });
      cancel.addEventListener('click', () => finish(null));
      // Escape: the browser's cancel; a close by any other way is a cancel too.
      dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); finish(null); });
      dlg.addEventListener('close', () => finish(null));
      dlg.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Tab') return;
        const stops = [...dlg.querySelectorAll('input, button')].filter((e) => !e.disabled);
        const first = stops[0], last = stops[stops.length - 1];
        if (ev.shiftKey ? document.activeElement === first : document.activeElement === last) {
          ev.preventDefault();
          (ev.shiftKey ? last : first).focus();
        }
      });
      dlg.showModal();
      // The field to fill, else Cancel: a destructive action is not one Enter away.
      (field || cancel).focus();
    });
  },

  /**
   * A file input in the UI language (the browser's own "Choose File / No
   * file chosen" is in the browser's): the input, already placed and with
   * an id, stays in the page visually hidden (focusable, labelled by its
   * field's label, opened by Enter or Space); a label styled as a button
   * opens it too, and a live text after it names the chosen file or says
   * none is. Setting input.value (clearing it after an upload) updates the
   * text. Returns the input.
   */
  filePick(input) {
    if (!input.id || !input.parentNode) throw new Error('Vigil: filePick needs a placed input with an id');
    input.classList.add('file-input');
    const name = this.el('span', { class: 'file-name', 'aria-live': 'polite' });
    const show = () => {
      const f = input.files && input.files[0];
      name.textContent = f ? f.name : this.t('app.file.none');
      if (f) delete name.dataset.i18n;
      else name.dataset.i18n = 'app.file.none';
    };
    const value = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    Object.defineProperty(input, 'value', { configurable: true, get() { return value.get.call(this); }, set(v) { value.set.call(this, v); show(); } });
    input.addEventListener('change', show);
    show();
    input.after(this.el('span', { class: 'file-pick' },
      this.el('label', { for: input.id, class: 'btn', 'data-i18n': 'app.file.choose' }, this.t('app.file.choose')), name));
    return input;
  },

  /**
   * durations says the durations a server text writes as Go does
   * ("2h30m0s", "45m10s", "1.5s") for people, in the UI language:
   * "2 h 30 min", "45 min", "2 s"; the rest of the text is kept. A text
   * that is one duration is read whole; in a sentence, only durations of
   * two units or more are ("1990s" is not one; core/text.js).
   */
  durations(text) {
    return replaceDurations(text, (sec) => this.duration(sec));
  },

  /**
   * duration says a number of seconds for people, in the UI language,
   * to the minute past one minute: "45 s", "12 min", "1 h 6 min", "3 h";
   * from 48 hours on, in days and hours, to the hour: "6 d 16 h" (« 6 j
   * 16 h »), not "160 h 34 min".
   */
  duration(sec) {
    if (sec < 0) return `−${this.duration(-sec)}`;
    if (sec < 59.5) return this.t('app.dur.s', { n: this.num(Math.round(sec)) });
    const mins = Math.round(sec / 60);
    if (mins < 60) return this.t('app.dur.min', { n: this.num(mins) });
    if (mins >= 48 * 60) {
      const hours = Math.round(sec / 3600), dd = Math.floor(hours / 24), h = hours % 24;
      return h ? this.t('app.dur.dH', { d: this.num(dd), h: this.num(h) }) : this.t('app.dur.d', { n: this.num(dd) });
    }
    const hh = Math.floor(mins / 60), mm = mins % 60;
    return mm ? this.t('app.dur.hMin', { h: this.num(hh), m: this.num(mm) }) : this.t('app.dur.h', { n: this.num(hh) });
  },

  /** A day (YYYY-MM-DD, or a time) in the UI language: "5 March 2018", "5 mars 2018" (the first « 1er mars 2018 »); the text as given when it is not one. */
  date(day) {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(day)) ? `${day}T00:00:00Z` : String(day ?? ''));
    if (Number.isNaN(d.getTime())) return String(day ?? '');
    return this.dayFormat({ dateStyle: 'long', timeZone: 'UTC' }, d);
  },

  /** A time (RFC 3339) in the UI language, to the minute, in UTC: "5 Dec 2026, 14:31 UTC", "5 déc. 2026, 14:31 UTC"; the text as given when it is not one. */
  dateTime(s) {
    const d = new Date(String(s ?? ''));
    if (Number.isNaN(d.getTime())) return String(s ?? '');
    return this.dayFormat({ timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }, d) + ' UTC';
  },

  /** d formatted with Intl's options in the UI language; in French the first of a month is « 1er » (Intl writes « 1 décembre »). */
  dayFormat(options, d) {
    const parts = new Intl.DateTimeFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', options).formatToParts(d);
    return parts.map((p) => (this.lang === 'fr' && p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
  },

  /** A period's first and last months (YYYY-MM) as the service reads it (2019, 2019-Q3 or Q3 2019 / T3 2019, 2019-07, 2019-01..2019-06), else null. */
  periodMonths(p) {
    const one = (x) => {
      x = x.trim().replace(/^[QqTt]([1-4])\s+(\d{4})$/, '$2-Q$1'); // a quarter in words (performance.ParsePeriod)
      let m = /^(\d{4})$/.exec(x);
      if (m) return [`${m[1]}-01`, `${m[1]}-12`];
      if ((m = /^(\d{4})-[Qq]([1-4])$/.exec(x))) return [`${m[1]}-${String(3 * m[2] - 2).padStart(2, '0')}`, `${m[1]}-${String(3 * m[2]).padStart(2, '0')}`];
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(x) ? [x, x] : null;
    };
    const [a, b = a] = String(p ?? '').trim().split('..');
    const from = one(a), to = one(b);
    return from && to && from[0] <= to[1] ? [from[0], to[1]] : null;
  },

  /**
   * A period in words of the page's language, as the brief writes it
   * (performance.Period.Words), from month: "2019", "Q3 2019" (« T3
   * 2019 »), "July 2019", "January–June 2019", "November 2018 – February
   * 2019", "2017 – 2018"; anything else as given.
   */
  period(p) {
    const ms = this.periodMonths(p);
    if (!ms) return p ?? '';
    const [from, to] = ms;
    const [fy, ty] = [from.slice(0, 4), to.slice(0, 4)];
    if (from === to) return this.month(from);
    if (from.endsWith('-01') && to.endsWith('-12')) return fy === ty ? fy : `${fy} – ${ty}`;
    const [fm, tm] = [Number(from.slice(5)), Number(to.slice(5))];
    if (fy === ty && fm % 3 === 1 && tm === fm + 2) return `${this.lang === 'fr' ? 'T' : 'Q'}${(fm + 2) / 3} ${fy}`;
    return fy === ty ? `${this.month(from).replace(/\s*\d{4}$/, '')}–${this.month(to)}` : `${this.month(from)} – ${this.month(to)}`;
  },

  /** A month (YYYY-MM) in the UI language: "January 2019", "janvier 2019"; the text as given when it is not one. */
  month(ym) {
    const m = /^(\d{4})-(\d{2})$/.exec(String(ym ?? ''));
    if (!m) return String(ym ?? '');
    return new Intl.DateTimeFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
  },

  /**
   * A date (kind 'date': day, month, year), a month (kind 'month': month,
   * year) or a date and time (kind 'datetime': day, month, year, hour,
   * minutes, 24-hour) entered in the UI language, in place of <input
   * type=date|month|datetime-local>, which the browser draws in its own
   * locale ("mm/dd/yyyy", "January", "AM" on a French page). GOV.UK's date-input pattern: a fieldset (class "field
   * date-input") whose legend is label (an i18n key), the day and year
   * typed, the month chosen from the month names of the page's language;
   * a language switch redraws them. The fieldset takes id and stands for
   * the input it replaces: its .value is 'YYYY-MM-DD' or 'YYYY-MM' (and is
   * set the same way; 'YYYY-MM-DDTHH:MM' for a datetime), '' when empty or not a date; the parts' input and
   * change events bubble from it; .focus() focuses the first part. A date
   * not whole, not real (31 February) or before min is said under the
   * legend, naming the field, once the user leaves the fieldset or submits,
   * and holds back the form's submission (the first part's validity).
   */
  dateInput({ id, label, kind = 'date', value = '', required = false, min = '', hint = '' }) {
    const el = this.el.bind(this), t = this.t.bind(this);
    const part = (name, control) => this.el('div', { class: 'date-part' },
      el('label', { for: `${id}-${name}`, 'data-i18n': 'app.date.' + name }, t('app.date.' + name)), control);
    const digits = (name, n) => el('input', { id: `${id}-${name}`, class: 'date-' + name, inputmode: 'numeric', maxlength: String(n), size: String(n), autocomplete: 'off', 'aria-required': required ? 'true' : null });
    const day = kind !== 'month' ? digits('day', 2) : null;
    const year = digits('year', 4);
    const hour = kind === 'datetime' ? digits('hour', 2) : null;
    const minute = kind === 'datetime' ? digits('minute', 2) : null;
    const month = el('select', { id: `${id}-month`, class: 'date-month', 'aria-required': required ? 'true' : null },
      el('option', { value: '' }, ''), ...Array.from({ length: 12 }, (_, i) => el('option', { value: String(i + 1).padStart(2, '0') })));
    const parts = [day, month, year, hour, minute].filter(Boolean);
    const err = el('p', { class: 'error date-error', id: `${id}-error`, hidden: true });
    const hintP = hint ? el('p', { class: 'hint', id: `${id}-hint`, 'data-i18n': hint }, t(hint)) : null;
    const fs = el('fieldset', { class: 'field date-input', id, 'data-kind': kind, 'aria-describedby': [hintP && `${id}-hint`, `${id}-error`].filter(Boolean).join(' ') },
      el('legend', { 'data-i18n': label }, t(label)), hintP, err,
      el('div', { class: 'date-parts' }, ...[day && part('day', day), part('month', month), part('year', year), hour && part('hour', hour), minute && part('minute', minute)].filter(Boolean)));
    const names = () => {
      const f = new Intl.DateTimeFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', timeZone: 'UTC' });
      [...month.options].slice(1).forEach((o, i) => { o.textContent = f.format(new Date(Date.UTC(2000, i, 15))); });
      // A field named "Month" shows that name once: the month list's own label is then for screen readers only.
      month.previousElementSibling.classList.toggle('sr-only', t(label) === t('app.date.month'));
    };
    // read: {value, problem} of what the parts hold; problem is an i18n key.
    const read = () => {
      const d = day ? day.value.trim() : '1', m = month.value, y = year.value.trim();
      if (parts.every((p) => !p.value.trim())) return { value: '', problem: required ? 'app.date.required.' + kind : '' };
      if (parts.some((p) => !p.value.trim())) return { value: '', problem: 'app.date.incomplete.' + kind };
      if (!/^\d{4}$/.test(y)) return { value: '', problem: 'app.date.badYear' };
      const when = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
      if (!/^\d{1,2}$/.test(d) || when.getUTCDate() !== Number(d)) return { value: '', problem: 'app.date.notReal' };
      let iso = kind === 'month' ? `${y}-${m}` : `${y}-${m}-${d.padStart(2, '0')}`;
      if (kind === 'datetime') {
        const hh = hour.value.trim(), mm = minute.value.trim();
        if (!/^\d{1,2}$/.test(hh) || !/^\d{1,2}$/.test(mm) || Number(hh) > 23 || Number(mm) > 59) return { value: '', problem: 'app.date.badTime' };
        iso += `T${hh.padStart(2, '0')}:${mm.padStart(2, '0')}`;
      }
      if (min && iso < min.slice(0, iso.length)) return { value: '', problem: 'app.date.tooEarly' };
      return { value: iso, problem: '' };
    };
    let shown = false; // the problem is said (after leaving the fieldset, or a blocked submit)
    const check = () => {
      const { problem } = read();
      const early = problem === 'app.date.tooEarly'; // the one problem that says min
      const text = problem ? t(problem, { field: t(label), min: !early ? '' : kind === 'month' ? this.month(min.slice(0, 7)) : this.date(min.slice(0, 10)) }) : '';
      parts[0].setCustomValidity(text);
      err.textContent = text;
      err.hidden = !(shown && text);
      for (const p of parts) p.setAttribute('aria-invalid', String(Boolean(shown && text)));
    };
    fs.addEventListener('input', check);
    fs.addEventListener('change', check);
    fs.addEventListener('focusout', (ev) => { if (!fs.contains(ev.relatedTarget)) { shown = true; check(); } });
    parts[0].addEventListener('invalid', () => { shown = true; check(); });
    const set = (v, initial) => {
      const m = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2}))?)?/.exec(String(v ?? '')) || [];
      const vals = [[day, m[3] ? String(Number(m[3])) : ''], [month, m[2] || ''], [year, m[1] || ''], [hour, m[4] || ''], [minute, m[5] || '']];
      for (const [p, x] of vals) {
        if (!p) continue;
        p.value = x;
        if (initial && p.tagName === 'INPUT') p.defaultValue = x;
        if (initial && p.tagName === 'SELECT') for (const o of p.options) o.defaultSelected = o.value === x;
      }
      check();
    };
    Object.defineProperty(fs, 'value', { configurable: true, get: () => read().value, set: (v) => set(v, false) });
    fs.focus = () => parts[0].focus();
    names();
    set(value, true);
    // Redrawn on a language switch; after a form reset (the first values
    // back), said again once it is done. Both through the one listener each
    // of dateHooks, so nothing holds the control once it leaves the page.
    dateHooks.set(fs, { relang: () => { names(); check(); }, reset: () => setTimeout(() => { shown = false; check(); }) });
    return fs;
  },

  /**
   * An error for people: an ApiError as "field: message" when the API names
   * a field its message does not already name (the UI's one form), else the message.
   * A refusal the server says as a message of the dictionary (its key and
   * args: i18n/refusals.*.json), a server that failed (500) or could not be
   * reached is said in the UI language. The field is said by its label in
   * the UI language (field.<name> in the dictionaries: « Message : est
   * vide », not « message : est vide »); a field without one is named as
   * the API does, except before an unkeyed message that is a whole sentence
   * (a capital to a full stop), which is shown alone.
   */
  errText(e) {
    if (e && e.key && (dicts[this.lang][e.key] ?? dicts.en[e.key]) !== undefined) return said(e.key, e.args);
    const m = String((e && e.message) || e);
    if (!e || !e.field || m.includes(`${e.field}: `)) return m;
    const label = fieldLabel(e.field);
    if (label) return this.t('refusal.field', { 0: label, 1: m });
    return /^\p{Lu}.*[.!?]$/su.test(m) ? m : `${e.field}: ${m}`;
  },

  /**
   * An error as the page shows it: a refusal the server says as a message of
   * the dictionary, a failed or unreachable server in the UI language
   * (errText); any other error's message as it is.
   */
  errMsg(e) {
    return e && e.key ? this.errText(e) : (e && e.message) || String(e);
  },

  /**
   * Number formatting in the UI language; digits is the most fraction digits
   * shown (Intl's default, 3, without it). French takes its typography's
   * minus sign (U+2212) where Intl writes a hyphen (−3,39), as the server's
   * briefs do (performance.LocalNumber).
   */
  num(n, digits) {
    const key = `${this.lang}:${digits ?? ''}`;
    let f = numFormats.get(key);
    if (!f) {
      f = new Intl.NumberFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', digits === undefined ? {} : { maximumFractionDigits: digits });
      numFormats.set(key, f);
    }
    const s = f.format(n);
    return this.lang === 'fr' ? s.replace(/^-/, '\u2212') : s;
  },

  /** A share or probability (0–1) as a percentage to one decimal in the UI language: 0.847 → "84.7%" ("84,7 %"). */
  pct(p) {
    return this.percent(Math.round(p * 1000) / 10);
  },

  /**
   * A number of per cent in the UI language: 12.5 → "12.5%" in English, "12,5 %" in French, with a narrow
   * no-break space (U+202F) so that a line never breaks between the number and %; digits as for num.
   */
  percent(n, digits) {
    const s = this.num(n, digits);
    return this.lang === 'fr' ? `${s}\u202f%` : `${s}%`;
  },
};

// What each Vigil.dateInput does on a language switch and a form reset,
// called by one listener each for the controls on the page (a listener per
// control stayed, with its control, until the next switch after the
// control's form had gone).
const dateHooks = new WeakMap();
const dateInputsIn = (root) => (root && root.querySelectorAll ? root.querySelectorAll('fieldset.date-input') : []);
Vigil.on('lang', () => { for (const fs of dateInputsIn(document)) dateHooks.get(fs)?.relang(); });
document.addEventListener('reset', (ev) => { for (const fs of dateInputsIn(ev.target)) dateHooks.get(fs)?.reset(); }, true);

// The browser refuses a form's empty or wrong field in its own language
// (« Please fill out this field. » on a French page in an English browser)
// and without the field's name: each such refusal is said here in the
// page's language, naming the field, when the page gave the field no words
// of its own (a date's parts, a token's length keep theirs); what the field
// holds next (or the form's reset) clears it.
const ownValidity = new WeakSet();
const validityName = (c) => (c.labels?.[0]?.textContent || c.getAttribute('aria-label') || c.closest('fieldset')?.querySelector('legend')?.textContent
  || Vigil.t('app.form.thisField')).trim();
function validityText(c) {
  const v = c.validity, field = validityName(c);
  if (v.valueMissing) {
    const key = c.type === 'checkbox' ? 'app.form.requiredBox' : c.tagName === 'SELECT' || c.type === 'radio' ? 'app.form.requiredChoice' : 'app.form.required';
    return Vigil.t(key, { field });
  }
  if (v.badInput) return Vigil.t('app.form.number', { field });
  if (v.typeMismatch) return Vigil.t(c.type === 'email' ? 'app.form.email' : 'app.form.url', { field });
  if (v.rangeUnderflow) return Vigil.t('app.form.min', { field, min: Vigil.num(Number(c.min)) });
  if (v.rangeOverflow) return Vigil.t('app.form.max', { field, max: Vigil.num(Number(c.max)) });
  if (v.stepMismatch) return Vigil.t('app.form.step', { field, step: Vigil.num(Number(c.step)) });
  if (v.tooShort) return Vigil.t('app.form.tooShort', { field, min: c.minLength });
  return '';
}
document.addEventListener('invalid', (ev) => {
  const c = ev.target;
  if (!c.setCustomValidity) return;
  if (ownValidity.has(c)) c.setCustomValidity('');
  else if (c.validity.customError) return; // the page's own words
  const text = validityText(c);
  if (!text) return;
  c.setCustomValidity(text);
  ownValidity.add(c);
}, true);
const validityClear = (ev) => {
  const c = ev.target;
  if (ownValidity.has(c)) { c.setCustomValidity(''); ownValidity.delete(c); }
};
document.addEventListener('input', validityClear, true);
document.addEventListener('change', validityClear, true);
document.addEventListener('reset', (ev) => { for (const c of ev.target.elements || []) validityClear({ target: c }); }, true);

// The number of Vigil.ask dialogs opened (their ids).
let asked = 0;

// The turns of Vigil.latest: a box → the number of its newest turn.
const turns = new WeakMap();

// One number formatter per language and precision (Vigil.num runs for every
// number on a page; building an Intl.NumberFormat each time was the cost).
const numFormats = new Map();

function check(o, keys) {
  for (const k of keys) if (!o || o[k] === undefined) throw new Error(`Vigil: registration needs "${k}"`);
}

// emit calls name's listeners with arg and returns what they returned (a
// page may wait for the promises of those that draw into it).
function emit(name, arg) {
  const got = [];
  for (const fn of listeners.get(name) || []) {
    try { got.push(fn(arg)); } catch (e) { console.error(`Vigil: ${name} listener failed`, e); }
  }
  return got;
}

/** The request of Vigil.api, once built: its answer read, or why it failed. */
// ask is Vigil.api's request once built: its answer read, or why it failed.
async function ask(url, method, headers, body, opts) {
  let res;
  try {
    res = await fetch(url, { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    setOffline(true);
    if (method === 'GET') missed = document.getElementById('main')?.dataset.page || '';
    throw unreachable(method, opts.idempotent);
  }
  // The service worker answers with the last stored copy when the server
  // cannot be reached (core/sw.js), marked with when it was stored. An
  // answer of the server's own does not end « offline »: only the health
  // check does (checkHealth). A link that drops some requests and lets
  // others through (a flaky field-office link; the browser's offline
  // emulation, which the worker's own requests get past) made the page
  // flip: one request failed (offline), another answered (online), each
  // reconnection asked the map and the demo banner again, and one of
  // them failed again — a storm of requests and a flickering banner.
  const cachedAt = res.headers.get('X-Vigil-Cached-At');
  const gateway = GATEWAY.has(res.status) && !/json/.test(res.headers.get('Content-Type') || '');
  if (cachedAt) setOffline(true, cachedAt);
  if (res.status === 401) {
    location.assign('/login?lang=' + Vigil.lang + '&next=' + encodeURIComponent(location.pathname + location.hash));
    throw new ApiError(401, Vigil.t('app.sessionExpired'));
  }
  if (opts.raw) return res;
  let text;
  try {
    text = await res.text();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw unreachable(method, opts.idempotent); // the connection broke while the answer came
  }
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (gateway && !(data && data.error)) {
    // A proxy in front of Vigil (TLS, a field office's gateway) answers
    // for it when it is down: that is the server unreachable, not failed.
    setOffline(true);
    if (method === 'GET') missed = document.getElementById('main')?.dataset.page || '';
    throw unreachable(method, opts.idempotent);
  }
  if (res.status === 500 || (res.status > 500 && !(data && data.error))) {
    throw new ApiError(res.status, Vigil.t(SERVER_FAILED), '', SERVER_FAILED);
  }
  if (!res.ok) {
    const msg = (data && data.error) || `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg, data && data.field, data && data.key, data && data.args);
  }
  return data;
}

let offline = false;
let healthTimer = 0;
// Back online is tried, then said (checkHealth): trial while the page's own
// requests are asked again after /healthz answered; relapses, the trials in a
// row in which one of them failed, each doubling the wait between health
// checks (healthEvery).
let trial = false;
let relapses = 0;
// The trial's requests not yet answered (trialAsk), the trial they belong to
// (a request of an ended trial no longer counts), and the health checks that
// found some still waiting. Back online is said only once they have all
// answered, none failed: a reconnection request that failed after the next
// health check (a slow link, a busy server) came after « back » was said,
// and the banner said « back » then « offline » again for one outage.
let trialAsked = 0;
let trialEpoch = 0;
let trialWaits = 0;
// A trial whose requests have not all answered by this many health checks
// ends unsaid, as a failed one does: a request that never answers keeps
// the page offline (tried again later), it never makes it say « back ».
const TRIAL_WAITS = 3;
// A health check is under way: the next waits for its answer. Checks asked
// by the timer while /healthz was slow to answer (a busy server or page)
// ran side by side, and two answers in a row started a trial and said
// « back » before any of the trial's requests had answered.
let checking = false;
let backTimer = 0;
let since = 0; // when the server stopped answering (ms)
let dataTime = 0; // while offline: the oldest stored answer shown (ms), 0 if none
let missed = ''; // the page whose data could not be loaded while offline
// The pages that draw answers the service worker stores (core/sw.js
// API_ALLOW): only they say « showing data from … »; another page shows none.
const STORED_PAGES = ['map', 'coverage'];
// A time the banner says, as the pages say times (UTC, to the minute).
function when(ms) { return Vigil.dateTime(new Date(ms).toISOString()); }
// The banner while the server cannot be reached: since when (or, when the
// page shows stored answers, from when they are), then what still works on
// the page shown (app.offlineWorks.<page>, else app.offlineWorks.other).
function offlineText() {
  const id = document.getElementById('main')?.dataset.page || '';
  const head = dataTime && STORED_PAGES.includes(id) ? Vigil.t('app.offlineData', { time: when(dataTime) }) : Vigil.t('app.offlineSince', { time: when(since) });
  const page = 'app.offlineWorks.' + id;
  return head + ' ' + Vigil.t((dicts[Vigil.lang][page] ?? dicts.en[page]) !== undefined ? page : 'app.offlineWorks.other');
}
// The wait between health checks while offline: the health interval (10 s),
// doubled by each relapse, up to 32 times (about 5 minutes).
function healthEvery() { return Vigil.every('health', 10000) * 2 ** Math.min(relapses, 5); }
function startTrial(on) {
  trial = on;
  trialEpoch++;
  trialAsked = 0;
  trialWaits = 0;
}
// trialAsk counts a request asked during a trial; it answers the function
// to call once the request has answered or failed (a failure also ends the
// trial: setOffline).
function trialAsk() {
  if (!trial) return () => {};
  const epoch = trialEpoch;
  trialAsked++;
  let done = false;
  return () => {
    if (!done && epoch === trialEpoch) trialAsked--;
    done = true;
  };
}
// relapse ends a trial unsaid: still offline, as the banner says, and
// asked again after a longer wait.
function relapse() {
  startTrial(false);
  relapses++;
  clearInterval(healthTimer);
  healthTimer = setInterval(checkHealth, healthEvery());
}
function setOffline(on, cachedAt) {
  const at = on && cachedAt ? Date.parse(cachedAt) : NaN;
  const older = Number.isFinite(at) && (!dataTime || at < dataTime);
  if (older) dataTime = at;
  if (on === offline) {
    // A request failed while the page tried again: nothing new is said.
    if (on && trial) relapse();
    if (older) Vigil.notify(offlineText(), 'error');
    return;
  }
  offline = on;
  startTrial(false);
  clearInterval(healthTimer);
  if (on) {
    since = Date.now();
    Vigil.notify(offlineText(), 'error');
    emit('offline', true);
    // Poll the health endpoint until the server answers again.
    healthTimer = setInterval(checkHealth, healthEvery());
    return;
  }
  relapses = 0;
  dataTime = 0;
  // Back: said for a while (the banner is an alert: screen readers say it too).
  Vigil.notify(Vigil.t('app.online', { time: when(Date.now()) }), 'info');
  backTimer = setTimeout(() => Vigil.notify(''), 20000);
  emit('offline', false);
}
// The one way back online (an API answer does not count: see Vigil.api):
// /healthz answering the page's own request, asked every health interval
// while offline and at once when the browser says its network is back; and
// then the page's own requests answering. /healthz may answer while the
// API's requests still fail (a proxy or a link that lets some through):
// the page went back online, asked its data again (the reconnection), a
// request failed, offline again — both said in the banner (an alert) at
// each health check. Now /healthz answering starts a trial: the page whose
// data could not load is told (boot.js opens it again unless something was
// typed in it; the map asks its clusters), the banner still says offline;
// back online is said at a later health check by which the trial's requests
// have all answered (trialAsk), none failed. A request that fails ends the
// trial, unsaid, and doubles the wait before the next (healthEvery), as do
// requests still unanswered after TRIAL_WAITS checks. One health check at a
// time, and at most one reconnection per health check answered.
async function checkHealth() {
  if (checking) return; // the previous one has not answered yet
  checking = true;
  const epoch = trialEpoch;
  let up = false;
  try {
    up = (await fetch('/healthz', { cache: 'no-store' })).ok;
  } catch { /* still down */ } finally {
    checking = false;
  }
  if (!offline) return;
  if (trial) {
    // A check asked before this trial started says nothing of its requests.
    if (epoch !== trialEpoch) return;
    if (!up) { startTrial(false); return; }
    if (trialAsked > 0) {
      if (++trialWaits >= TRIAL_WAITS) relapse();
      return;
    }
    setOffline(false);
    return;
  }
  if (!up) return;
  startTrial(true);
  clearInterval(healthTimer); // the trial lasts one health interval, not a relapse's longer wait
  healthTimer = setInterval(checkHealth, Vigil.every('health', 10000));
  const page = missed;
  missed = '';
  emit('reconnect', page);
}

/**
 * A catalog message in the UI language: key's text with args filled, an
 * argument N that is itself a message (args["N.key"], its own args under
 * "N.") said the same way; the server's English of an argument otherwise.
 */
function said(key, args = {}, depth = 0) {
  const vars = {};
  for (const [k, v] of Object.entries(args || {})) {
    if (k.includes('.')) continue;
    const nested = args[`${k}.key`];
    const sub = Object.fromEntries(Object.entries(args).filter(([n]) => n.startsWith(`${k}.`)).map(([n, x]) => [n.slice(k.length + 1), x]));
    vars[k] = nested && depth < 64 && (dicts[Vigil.lang][nested] ?? dicts.en[nested]) !== undefined ? said(nested, sub, depth + 1) : v;
  }
  // An API field (apperr.Fieldf: "{0}: {1}") by its label, when it has one.
  if (key === 'refusal.field' && !args['0.key']) vars[0] = fieldLabel(vars[0]) || vars[0];
  return Vigil.t(key, vars);
}

/** An API field's label in the UI language (field.<name>), '' when no dictionary has one. */
function fieldLabel(name) {
  const k = `field.${name}`;
  return dicts[Vigil.lang][k] ?? dicts.en[k] ?? '';
}

/** Load the merged dictionary for a language (core + every module's i18n file). */
export async function loadDict(l) {
  if (dicts[l].__loaded) return;
  try {
    const res = await fetch(`/ui/i18n/${l}.json`, { credentials: 'same-origin' });
    if (res.ok) Object.assign(dicts[l], await res.json());
    dicts[l].__loaded = '1';
  } catch {
    setOffline(true);
  }
}

let leaving = false;
/** Stop all API calls but those made with {leaving: true} (the logout itself). */
export function leave() { leaving = true; }

/**
 * Forget what was stored for offline use: the API answers the service worker
 * kept and the remembered user. Called on logout (a field laptop is shared).
 */
export async function clearOfflineData() {
  localStorage.removeItem('vigil.user');
  localStorage.removeItem('vigil.demo'); // core/boot.js showDemoBanner
  sessionStorage.removeItem('vigil.mapOwn'); // the map filters the user chose (core/map.js)
  try {
    navigator.serviceWorker?.controller?.postMessage('clear-api');
    if (window.caches) {
      for (const k of await caches.keys()) if (k.startsWith('vigil-api-')) await caches.delete(k);
    }
  } catch (e) {
    console.error('Vigil: clearing the offline data failed', e);
  }
}

Vigil.on('lang', () => { if (offline) Vigil.notify(offlineText(), 'error'); });
Vigil.on('page', () => { if (offline) Vigil.notify(offlineText(), 'error'); });
window.addEventListener('offline', () => setOffline(true));
// The network is back, but is the server? Asked at once rather than in 10 s.
window.addEventListener('online', () => { if (offline) checkHealth(); });

window.Vigil = Vigil;
export default Vigil;
