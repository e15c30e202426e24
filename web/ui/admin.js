// Administration in the browser (#/admin?tab=…): users, API tokens, intake
// channels (with the intake URL and a QR code to configure a phone), survey
// forms and enumerators, population margins, the interlocutor log, the
// audit log (filter, export CSV) and the encryption keys. Each tab shows only
// to the roles its API accepts; the server checks the role again and audits
// every change. Secrets (tokens, passwords, channel secrets) are shown once.
import { Vigil } from './core/vigil.js';
import qrcode from './vendor/qrcode-generator/qrcode.js';
import { langText } from './surveys.js';

const { el } = Vigil;
const t = (k, v) => Vigil.t(k, v);

// Tabs in order; role: the least role that may open it.
const TABS = [
  { id: 'users', role: 'admin', render: usersTab },
  { id: 'tokens', role: 'viewer', render: tokensTab },
  { id: 'channels', role: 'admin', render: channelsTab },
  { id: 'forms', role: 'analyst', render: formsTab },
  { id: 'margins', role: 'analyst', render: marginsTab },
  { id: 'interlocutors', role: 'analyst', render: interlocutorsTab },
  { id: 'places', role: 'analyst', render: placesTab },
  { id: 'data', role: 'analyst', render: dataTab },
  { id: 'scoring', role: 'analyst', render: scoringTab },
  { id: 'notices', role: 'admin', render: noticesTab },
  { id: 'audit', role: 'admin', render: auditTab },
  { id: 'keys', role: 'admin', render: keysTab },
];

const LEGAL_BASES = ['vital interest', 'consent', 'public interest', 'legitimate interest', 'legal obligation', 'contract'];
const ROLES = ['viewer', 'responder', 'analyst', 'admin'];
const KINDS = ['smssync', 'twilio', 'webhook', 'web'];
const KIND_KEYS = new Set(['town', 'locality', 'deployment', 'admin1', 'admin2']); // gazetteer place kinds

// What the shown tab has open, drawn again when the language changes: the
// forms tab's enumerators panel (form) and the user chosen in it (enumUser).
let kept = {};

Vigil.registerPage({
  id: 'admin',
  label: 'admin.nav',
  minRole: 'viewer',
  order: 90,
  render(root) {
    const tabs = TABS.filter((x) => Vigil.can(x.role));
    // The tab bar is navigation, not an ARIA tab list (WAI-ARIA APG): each
    // tab is a link to its own address (#/admin?tab=audit), which the
    // browser's history keeps (Back returns to the tab before), that can
    // be bookmarked, shared or opened in a new window, and that draws the
    // whole body anew. So it is a <nav> of links, the open one marked
    // aria-current="page", Tab moving between them as between any links;
    // role=tablist/tab/tabpanel, with arrow keys, is for panels switched in
    // place within one view.
    const tabNav = el('nav', { class: 'tabs', 'aria-label': t('admin.tabs'), 'data-i18n-attr': 'aria-label:admin.tabs' });
    const body = el('div', { id: 'admin-body' });
    root.append(el('h1', { 'data-i18n': 'admin.title' }, t('admin.title')), tabNav, body);
    let cleanup = null;
    kept = {};
    const show = () => {
      const want = Vigil.params().get('tab');
      const tab = tabs.find((x) => x.id === want) || tabs[0];
      // What a tab keeps open lasts while it is shown (a language switch
      // draws it again), not when another tab is opened.
      if (body.dataset.tab !== tab.id) kept = {};
      tabNav.replaceChildren(...tabs.map((x) => el('a', {
        href: '#/admin?tab=' + x.id, id: 'admin-tab-' + x.id, class: 'tab', 'aria-current': x === tab ? 'page' : null,
      }, t('admin.tab.' + x.id))));
      // On a phone the bar is one row that scrolls sideways (admin.css):
      // the open tab is brought into it.
      if (tabNav.scrollWidth > tabNav.clientWidth) {
        const open = tabNav.querySelector('[aria-current]');
        tabNav.scrollLeft = open.offsetLeft - tabNav.offsetLeft - (tabNav.clientWidth - open.offsetWidth) / 2;
      }
      if (typeof cleanup === 'function') cleanup();
      body.replaceChildren();
      body.dataset.tab = tab.id;
      cleanup = tab.render(body);
    };
    const onHash = () => { if (location.hash.startsWith('#/admin')) show(); };
    window.addEventListener('hashchange', onHash);
    const off = Vigil.on('lang', show);
    show();
    return () => { window.removeEventListener('hashchange', onHash); off(); if (typeof cleanup === 'function') cleanup(); };
  },
});

// ---- small building blocks ------------------------------------------------

function field(id, key, control, hintKey) {
  control.id = id;
  const f = el('div', { class: 'field' }, el('label', { for: id }, t(key)), control);
  if (hintKey) {
    const hid = id + '-hint';
    control.setAttribute('aria-describedby', hid);
    f.append(el('span', { class: 'hint', id: hid }, t(hintKey)));
  }
  return f;
}

function select(options, value) {
  const s = el('select');
  for (const [v, label] of options) s.append(el('option', { value: v, selected: v === value ? true : null }, label));
  return s;
}

function card(titleKey, ...children) {
  return el('section', { class: 'card' }, el('h2', {}, t(titleKey)), ...children);
}

function status() {
  return el('div', { 'aria-live': 'polite' });
}

// A box saying it is loading, until what it is for is drawn in it.
function loading() {
  return el('div', {}, el('p', { class: 'loading' }, t('app.loading')));
}

// onSubmit runs act in place of sending form; a failure is said in out.
function onSubmit(form, out, act) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await act(); } catch (e) { failed(out, e); }
  });
}

// onFile makes file a picker (Vigil.filePick) and runs act with the chosen
// file in place of sending form, nothing when none is chosen; a failure is
// said in out.
function onFile(form, file, out, act) {
  Vigil.filePick(file);
  onSubmit(form, out, async () => {
    const f = file.files[0];
    if (f) await act(f);
  });
}

// listed fetches path and draws in box what render makes of the answer's
// list under key (a node or several), or the empty notice emptyKey when the
// list is empty; a failure is said in box. Only the newest listing of box
// draws (one asked after two quick changes may answer first).
async function listed(box, path, key, emptyKey, render) {
  const mine = Vigil.latest(box);
  try {
    const items = (await Vigil.api(path))[key];
    if (!mine()) return;
    if (!items.length) { box.replaceChildren(Vigil.empty({ body: emptyKey })); return; }
    const nodes = [await render(items)].flat();
    if (!mine()) return;
    const back = focusPlace(box);
    box.replaceChildren(...nodes);
    back();
  } catch (e) { if (mine()) failed(box, e); }
}

// focusPlace notes where the focus is in a list (its row, by a key, and
// which control of the row) and returns what puts it back on the same
// control of the same row once the list is drawn again, if the focus was
// lost meanwhile (left on <body> by the redraw, not taken elsewhere by
// the user): a user disabled or a channel's secret renewed by keyboard,
// the focus was left on the page's body. The rows are a table's, keyed by
// their first cell, unless opts says {rows: selector, key: (row) → key,
// heading: (row) → element}: then a control gone (or disabled) gives the
// focus to its row's heading, and a row gone to the heading of the row
// now in its place (else the last one).
function focusPlace(box, opts = {}) {
  const { rows = 'tbody tr', key = (r) => r.cells[0]?.textContent, heading } = opts;
  const f = document.activeElement;
  const row = f && box.contains(f) ? f.closest(rows) : null;
  if (!row) return () => {};
  const controls = (r) => [...r.querySelectorAll('button, select, input, a[href]')];
  const k = key(row), at = controls(row).indexOf(f), nth = [...box.querySelectorAll(rows)].indexOf(row);
  return () => {
    const now = document.activeElement;
    if (now && now !== document.body && now.isConnected) return; // the user has gone on elsewhere
    const all = [...box.querySelectorAll(rows)];
    const again = all.find((r) => key(r) === k);
    if (!again) {
      if (heading) { const r = all[Math.min(nth, all.length - 1)]; if (r) heading(r)?.focus(); }
      return;
    }
    const same = controls(again)[at];
    if (same && !same.disabled) same.focus();
    else if (heading) heading(again)?.focus();
    else controls(again).find((c) => !c.disabled)?.focus();
  };
}

function say(box, kind, ...content) {
  box.replaceChildren(el('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, ...content));
}

function failed(box, e) {
  say(box, 'error', t('admin.failed', { error: Vigil.errText(e) }));
}

function table(cols, rows, opts = {}) {
  const head = el('tr', {}, ...cols.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, t(c.key))));
  const tb = el('tbody', {}, ...rows);
  return Vigil.scrollTable(el('table', { class: 'full', id: opts.id || null },
    opts.caption ? el('caption', {}, opts.caption) : null, el('thead', {}, head), tb));
}

function cell(x, num) {
  return el('td', { class: num ? 'num' : null }, x ?? '');
}

// tokenLength makes input (a Twilio auth token, new channel's or new)
// refuse what the server refuses, a token that is not 8 to 200 characters
// once trimmed (alerts.refusal.new-secret-length, secret-length), and
// spaces alone as the server's refusal missing says (the required field
// takes them), in the page's language before anything is sent; not while
// its field is hidden (another kind of channel chosen).
function tokenLength(input, missing) {
  const check = () => {
    const n = [...input.value.trim()].length;
    const why = !n ? (input.value && t(missing)) : (n < 8 || n > 200) && t('admin.channels.tokenLength');
    input.setCustomValidity(why && !input.closest('[hidden]') ? why : '');
  };
  input.addEventListener('input', check);
  return input;
}

// A random secret (passwords, channel secrets): 20 characters from an
// alphabet without look-alikes, from the browser's CSPRNG.
function randomSecret(n = 20) {
  const abc = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => abc[x % abc.length]).join('');
}

// A secret shown once, with a button that copies it.
function shownOnce(labelKey, secret) {
  const code = el('code', { class: 'secret' }, secret);
  return el('div', { class: 'shown-once' }, el('p', {}, el('strong', {}, t(labelKey)), ' ', t('admin.shownOnce')), el('p', {}, code, ' ', copyButton(secret)));
}

// A button that copies text (« Copied » once done); label names what it
// copies to a screen reader when several are on the page.
function copyButton(text, label) {
  const copy = el('button', { type: 'button', 'aria-label': label || null, onclick: () => navigator.clipboard?.writeText(text).then(() => { copy.textContent = t('admin.copied'); }, () => {}) }, t('admin.copy'));
  return copy;
}

// Two-step confirmation without a modal dialog: the first press arms the
// button, the second (within 5 s) does it, and the button says again what
// it does (it went on saying « press again to confirm » once done).
function confirmButton(key, confirmKey, cls, action) {
  const b = el('button', { type: 'button', class: cls });
  b.textContent = t(key);
  let armed = 0;
  b.addEventListener('click', () => {
    if (!armed) {
      b.textContent = t(confirmKey);
      armed = setTimeout(() => { armed = 0; b.textContent = t(key); }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = 0;
    b.textContent = t(key);
    action(b);
  });
  return b;
}

function absoluteURL(u) {
  return u && u.startsWith('/') ? location.origin + u : u;
}

// The QR code of text as an SVG (drawn here, nothing fetched).
function qrSVG(text, label) {
  const q = qrcode(0, 'M');
  q.addData(text);
  q.make();
  const n = q.getModuleCount();
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `-4 -4 ${n + 8} ${n + 8}`);
  svg.setAttribute('width', '200');
  svg.setAttribute('height', '200');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  const bg = document.createElementNS(NS, 'rect');
  for (const [k, v] of Object.entries({ x: -4, y: -4, width: n + 8, height: n + 8, fill: '#fff' })) bg.setAttribute(k, v);
  svg.append(bg);
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (q.isDark(r, c)) d += `M${c} ${r}h1v1h-1z`;
  const p = document.createElementNS(NS, 'path');
  p.setAttribute('d', d);
  p.setAttribute('fill', '#000');
  svg.append(p);
  return svg;
}

// ---- users ---------------------------------------------------------------

function usersTab(body) {
  const out = status();
  const list = loading();
  const name = el('input', { autocomplete: 'off', required: true, maxlength: '64' });
  const role = select(ROLES.map((r) => [r, t('role.' + r)]), 'viewer');
  const form = el('form', { class: 'form-row', id: 'admin-user-form' },
    field('admin-user-name', 'admin.users.name', name),
    field('admin-user-role', 'admin.users.role', role),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('admin.users.add'))));
  onSubmit(form, out, async () => {
    const password = randomSecret(16);
    await Vigil.api('/api/v1/users', { json: { name: name.value.trim(), role: role.value, password } });
    say(out, 'ok', t('admin.users.added', { name: name.value.trim() }), shownOnce('admin.users.password', password));
    name.value = '';
    load();
  });
  // What each role may do: the choice is made here, and the words alone
  // (viewer, responder…) do not say it.
  const roles = el('div', { class: 'muted', id: 'admin-roles' }, el('p', {}, t('admin.users.rolesIntro')),
    el('ul', {}, ...ROLES.map((r) => el('li', {}, el('strong', {}, t('role.' + r)), ' — ', t('admin.users.roleDoes.' + r)))));
  body.append(card('admin.users.addTitle', el('p', { class: 'muted' }, t('admin.users.addHelp')), form, out, roles), card('admin.users.title', list));

  function load() {
    return listed(list, '/api/v1/users', 'users', 'admin.users.empty', (users) => table(
      [{ key: 'admin.users.name' }, { key: 'admin.users.role' }, { key: 'admin.users.state' }, { key: 'admin.users.created' }, { key: 'admin.actions' }],
      users.map((u) => {
        const me = u.name === Vigil.user.name;
        const rs = select(ROLES.map((r) => [r, t('role.' + r)]), u.role);
        rs.setAttribute('aria-label', t('admin.users.roleOf', { name: u.name }));
        rs.disabled = me;
        rs.addEventListener('change', () => change(u.name, { role: rs.value }, t('admin.users.roleSet', { name: u.name, role: t('role.' + rs.value) })));
        const toggle = el('button', { type: 'button', disabled: me ? true : null, class: u.disabled ? null : 'danger' },
          t(u.disabled ? 'admin.users.enable' : 'admin.users.disable'));
        toggle.addEventListener('click', () => change(u.name, { disabled: !u.disabled }, t(u.disabled ? 'admin.users.enabled' : 'admin.users.disabled', { name: u.name })));
        const reset = confirmButton('admin.users.reset', 'admin.confirm', null, async () => {
          const password = randomSecret(16);
          try {
            await Vigil.api('/api/v1/users/' + encodeURIComponent(u.name), { method: 'PATCH', json: { password } });
            say(out, 'ok', t('admin.users.resetDone', { name: u.name }), shownOnce('admin.users.password', password));
            out.scrollIntoView({ block: 'nearest' });
          } catch (e) { failed(out, e); }
        });
        return el('tr', {}, cell(u.name), el('td', {}, rs),
          el('td', {}, el('span', { class: 'badge ' + (u.disabled ? 'danger' : 'ok') }, t(u.disabled ? 'admin.users.isDisabled' : 'admin.users.isActive'))),
          cell(Vigil.dateTime(u.created)), el('td', {}, el('div', { class: 'btn-row' }, toggle, reset)));
      }), { id: 'admin-users' }));
  }
  async function change(user, json, done) {
    try {
      await Vigil.api('/api/v1/users/' + encodeURIComponent(user), { method: 'PATCH', json });
      say(out, 'ok', done);
    } catch (e) { failed(out, e); }
    load();
  }
  load();
}

// ---- API tokens ------------------------------------------------------------

function tokensTab(body) {
  const admin = Vigil.can('admin');
  const out = status();
  const list = loading();
  const name = el('input', { required: true, maxlength: '100', placeholder: t('admin.tokens.namePh') });
  const ttl = select([['30', t('admin.tokens.days', { n: 30 })], ['90', t('admin.tokens.days', { n: 90 })], ['365', t('admin.tokens.days', { n: 365 })], ['0', t('admin.tokens.never')]], '90');
  const user = admin ? select([[Vigil.user.name, Vigil.user.name]], Vigil.user.name) : null;
  const form = el('form', { class: 'form-row', id: 'admin-token-form' },
    field('admin-token-name', 'admin.tokens.name', name),
    user ? field('admin-token-user', 'admin.tokens.user', user) : null,
    field('admin-token-ttl', 'admin.tokens.expiry', ttl),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('admin.tokens.create'))));
  onSubmit(form, out, async () => {
    const r = await Vigil.api('/api/v1/tokens', { json: { name: name.value.trim(), ttl_days: Number(ttl.value), user: user ? user.value : undefined } });
    say(out, 'ok', t('admin.tokens.created', { name: r.name, user: r.user }), shownOnce('admin.tokens.secret', r.token),
      el('p', { class: 'muted' }, t('admin.tokens.use')));
    name.value = '';
    load();
  });
  body.append(card('admin.tokens.createTitle', el('p', { class: 'muted' }, t('admin.tokens.help')), form, out), card('admin.tokens.title', list));
  if (admin) {
    Vigil.api('/api/v1/users').then(({ users }) => {
      user.replaceChildren(...users.filter((u) => !u.disabled).map((u) => el('option', { value: u.name, selected: u.name === Vigil.user.name ? true : null }, u.name)));
    }).catch((e) => failed(out, e));
  }
  function load() {
    return listed(list, admin ? '/api/v1/admin/tokens' : '/api/v1/tokens', 'tokens', 'admin.tokens.empty', (tokens) => {
      const now = Date.now();
      return table(
        [{ key: 'admin.tokens.id', num: true }, ...(admin ? [{ key: 'admin.tokens.user' }] : []), { key: 'admin.tokens.name' }, { key: 'admin.tokens.createdAt' }, { key: 'admin.tokens.expires' }, { key: 'admin.actions' }],
        tokens.map((k) => {
          const expired = k.expires && Date.parse(k.expires) < now;
          const revoke = confirmButton('admin.tokens.revoke', 'admin.confirm', 'danger', async () => {
            try {
              await Vigil.api('/api/v1/tokens/' + k.id, { method: 'DELETE' });
              say(out, 'ok', t('admin.tokens.revoked', { name: k.name }));
            } catch (e) { failed(out, e); }
            load();
          });
          revoke.setAttribute('aria-label', t('admin.tokens.revokeNamed', { name: k.name }));
          return el('tr', {}, cell(k.id, true), admin ? cell(k.user) : null, cell(k.name), cell(Vigil.dateTime(k.created)),
            el('td', {}, k.expires ? Vigil.dateTime(k.expires) : t('admin.tokens.never'), ' ', expired ? el('span', { class: 'badge danger' }, t('admin.tokens.expired')) : null),
            el('td', {}, revoke));
        }), { id: 'admin-tokens' });
    });
  }
  load();
}

// ---- intake channels -------------------------------------------------------

/**
 * The form that creates an intake channel (every kind, legal basis, the
 * Twilio token, the Tipline box), with its status line: on success it
 * shows the intake URL, the secret once and a QR code, then calls
 * created(). The one channel form of the UI (the admin page's channel tab
 * and the alerts page use it).
 */
export function channelForm(created) {
  const out = status();
  const kind = select(KINDS.map((k) => [k, t('admin.channels.kind.' + k)]), 'smssync');
  const name = el('input', { required: true, maxlength: '100', placeholder: t('admin.channels.namePh') });
  const basis = select(LEGAL_BASES.map((b) => [b, t('admin.channels.basis.' + b.replace(' ', '_'))]), 'vital interest');
  const token = tokenLength(el('input', { autocomplete: 'off', maxlength: '200' }), 'alerts.refusal.token-missing');
  const tokenField = field('admin-channel-token', 'admin.channels.twilioToken', token, 'admin.channels.twilioHint');
  const help = el('p', { class: 'muted', id: 'admin-channel-help' });
  // A tipline's messages (forwarded rumours) also become information-integrity items.
  const tipline = el('input', { type: 'checkbox', id: 'admin-channel-tipline', 'aria-describedby': 'admin-channel-tipline-hint' });
  const tiplineField = el('div', { class: 'field' }, el('label', {}, tipline, ' ', t('admin.channels.tipline')),
    el('span', { class: 'hint', id: 'admin-channel-tipline-hint' }, t('admin.channels.tiplineHint')));
  // The language the service answers this channel's reporters in by SMS.
  const lang = langSelect('');
  const sync = () => {
    tokenField.hidden = kind.value !== 'twilio';
    token.required = kind.value === 'twilio';
    token.dispatchEvent(new Event('input'));
    help.textContent = t('admin.channels.help.' + kind.value);
  };
  kind.addEventListener('change', sync);
  const form = el('form', { id: 'admin-channel-form' },
    el('div', { class: 'form-row' }, field('admin-channel-kind', 'admin.channels.kindLabel', kind), field('admin-channel-name', 'admin.channels.name', name),
      field('admin-channel-basis', 'admin.channels.basis', basis)),
    help, tokenField, field('admin-channel-lang', 'admin.channels.lang', lang, 'admin.channels.langHint'), tiplineField,
    el('button', { type: 'submit' }, t('admin.channels.create')));
  sync();
  onSubmit(form, out, async () => {
    // SMSSync and webhook gateways prove who they are with a shared secret:
    // made here, shown once. Twilio signs with the account's auth token.
    const secret = kind.value === 'twilio' ? token.value.trim() : (kind.value === 'web' ? '' : randomSecret(24));
    const c = await Vigil.api('/api/v1/alerts/channels', { json: { kind: kind.value, name: name.value.trim(), secret, legal_basis: basis.value, tipline: tipline.checked, lang: lang.value } });
    const url = absoluteURL(c.intake_url);
    say(out, 'ok', el('p', {}, t('admin.channels.created', { name: c.name })),
      el('p', {}, el('strong', {}, t('admin.channels.url')), ' ', el('code', { class: 'secret' }, url)),
      secret && kind.value !== 'twilio' ? shownOnce('admin.channels.secret', secret) : null,
      el('p', { class: 'muted' }, t('admin.channels.setup.' + c.kind)),
      qrSVG(url, t('admin.channels.qrOf', { name: c.name })));
    name.value = '';
    token.value = '';
    tipline.checked = false;
    lang.value = '';
    created();
  });
  return card('admin.channels.createTitle', form, out);
}

// langSelect chooses the language of a channel's SMS answers to its
// reporters: none ('': each message's own), English or French.
function langSelect(value) {
  return select([['', t('admin.channels.lang.none')], ['en', t('admin.channels.lang.en')], ['fr', t('admin.channels.lang.fr')]], value);
}

function channelsTab(body) {
  const list = loading();
  const note = status();
  const gateways = loading();
  const channels = card('admin.channels.title', el('p', { class: 'muted', id: 'admin-channels-manage' }, t('admin.channels.manageHint')), note, list);
  body.append(channelForm(() => load()), channels);
  loadGateways(gateways);
  // Where the focus goes back once the list is drawn again after an
  // action on a card (restore): noted when the action starts on the card
  // (mark), as a checkbox or a select is disabled while its change is
  // sent (and so loses the focus) and Twilio's new token is typed in a
  // form outside the card.
  let back = () => {};
  const mark = () => {
    if (list.contains(document.activeElement)) back = focusPlace(list, { rows: 'li[data-channel]', key: (r) => r.dataset.channel, heading: (r) => r.querySelector('h3') });
  };
  const restore = () => { back(); back = () => {}; };

  async function load() {
    const mine = Vigil.latest(list); // the newest listing only
    try {
      const [cs, st] = await Promise.all([Vigil.api('/api/v1/alerts/channels'), Vigil.api('/api/v1/admin/channels/stats')]);
      if (!mine()) return;
      const stats = new Map((st.channels || []).map((s) => [s.channel, s]));
      if (!cs.length) { list.replaceChildren(Vigil.empty({ body: 'admin.channels.empty' })); return; }
      const qrBox = el('div', { class: 'qr-box', 'aria-live': 'polite' });
      list.replaceChildren(el('ul', { class: 'plain channel-list', id: 'admin-channels' }, ...cs.map((c) => channelItem(c, stats.get(c.id) || {}, qrBox))), qrBox);
      restore();
    } catch (e) { if (mine()) failed(list, e); }
  }

  // channelItem is one channel, whole without scrolling sideways (a table of
  // 15 columns ran past 1366 px, its address off-screen and its actions in
  // a 70 px column): its name, kind and state; its intake address, to copy
  // or show as a QR code; its settings (legal basis, tipline, the language
  // of its answers) and its figures (stats s), each named; its actions.
  function channelItem(c, s, qrBox) {
    const url = absoluteURL(c.intake_url);
    const head = 'admin-channel-name-' + c.id;
    const qrb = el('button', { type: 'button', 'aria-label': t('admin.channels.qrOf', { name: c.name }) }, t('admin.channels.qrShow'));
    qrb.addEventListener('click', () => qrBox.replaceChildren(el('h3', {}, c.name), qrSVG(url, t('admin.channels.qrOf', { name: c.name })), el('p', {}, el('code', {}, url))));
    const pairs = (cls, items) => el('dl', { class: 'pairs ' + cls }, ...items.flatMap(([key, value, num]) => [el('dt', {}, t(key)), el('dd', { class: num ? 'num' : null }, value)]));
    const count = (n) => Vigil.num(n || 0);
    return el('li', { class: 'card channel', 'data-channel': String(c.id), 'aria-labelledby': head },
      el('div', { class: 'channel-head' }, el('h3', { id: head, tabindex: '-1' }, c.name), el('span', { class: 'channel-kind' }, t('admin.channels.kind.' + c.kind)),
        el('span', { class: 'badge ' + (c.disabled ? 'danger' : 'ok') }, t(c.disabled ? 'admin.channels.isDisabled' : 'admin.channels.isActive'))),
      el('div', { class: 'channel-url' }, el('span', { class: 'channel-url-label' }, t('admin.channels.url')), el('code', {}, url), copyButton(url, t('admin.channels.copyOf', { name: c.name })), qrb),
      el('div', { class: 'channel-facts' },
        pairs('channel-settings', [['admin.channels.basis', t('admin.channels.basis.' + String(c.legal_basis).replace(' ', '_'))],
          ['admin.channels.tipline', tiplineBox(c)], ['admin.channels.lang', langBox(c)]]),
        pairs('channel-counts', [['admin.channels.messages', count(s.messages), true], ['admin.channels.phone', count(s.phone), true],
          ['admin.channels.replies', count(s.replies), true], ['admin.channels.broadcasts', count(s.broadcasts), true],
          ['admin.channels.throttled', count(s.throttled), true], ['admin.channels.lastSeen', s.last_seen ? Vigil.dateTime(s.last_seen) : t('admin.channels.never')]])),
      el('div', { class: 'btn-row channel-actions' }, ...channelActions(c, s)));
  }

  // A channel's actions, each audited: disable it (its gateway is refused,
  // nothing it sends is stored, its alerts stay) or enable it again; give
  // it a new secret (made by the server and shown once; Twilio's new auth
  // token typed in); remove it (refused, saying why, once it has alerts or
  // messages: disable it instead). A channel its stats s show alerts,
  // replies or broadcasts for (the uses the server's refusal counts) is
  // offered no remove, the reason beside the disabled button; the server
  // still decides.
  function channelActions(c, s) {
    const path = '/api/v1/alerts/channels/' + c.id;
    const done = async (act, says) => {
      mark();
      try {
        const got = await act();
        say(note, 'ok', ...[says(got)].flat());
      } catch (e) { failed(note, e); }
      note.scrollIntoView({ block: 'nearest' });
      load();
    };
    const toggle = el('button', { type: 'button', class: c.disabled ? null : 'danger', 'aria-label': t(c.disabled ? 'admin.channels.enableOf' : 'admin.channels.disableOf', { name: c.name }) },
      t(c.disabled ? 'admin.channels.enable' : 'admin.channels.disable'));
    toggle.addEventListener('click', () => done(() => Vigil.api(path, { method: 'PATCH', json: { disabled: !c.disabled } }),
      (got) => t(got.disabled ? 'admin.channels.disabled' : 'admin.channels.enabled', { name: got.name })));
    const out = [toggle];
    if (c.kind === 'twilio') {
      const token = el('button', { type: 'button', 'aria-label': t('admin.channels.newTokenOf', { name: c.name }) }, t('admin.channels.newToken'));
      token.addEventListener('click', () => { mark(); tokenForm(c, path, done); });
      out.push(token);
    } else if (c.kind !== 'web') {
      const secret = confirmButton('admin.channels.newSecret', 'admin.confirm', null, () => done(() => Vigil.api(path + '/secret', { json: {} }),
        (got) => [el('p', {}, t('admin.channels.secretDone', { name: got.channel.name })), shownOnce('admin.channels.secret', got.secret),
          el('p', { class: 'muted' }, t('admin.channels.secretSetup.' + got.channel.kind))]));
      secret.setAttribute('aria-label', t('admin.channels.newSecretOf', { name: c.name }));
      out.push(secret);
    }
    const remove = confirmButton('admin.channels.remove', 'admin.confirm', 'danger', () => done(() => Vigil.api(path, { method: 'DELETE' }),
      () => t('admin.channels.removed', { name: c.name })));
    remove.setAttribute('aria-label', t('admin.channels.removeOf', { name: c.name }));
    out.push(remove);
    const alerted = (s.messages || 0) + (s.phone || 0) > 0;
    if (alerted || (s.replies || 0) + (s.broadcasts || 0) > 0) {
      const why = el('span', { class: 'hint', id: 'admin-channel-used-' + c.id }, t(alerted ? 'admin.channels.usedHint' : 'admin.channels.sentHint'));
      remove.disabled = true;
      remove.setAttribute('aria-describedby', why.id);
      out.push(why);
    }
    return out;
  }

  // Twilio makes a channel's auth token: the new one, from its console, is
  // typed here (never shown again).
  function tokenForm(c, path, done) {
    const token = tokenLength(el('input', { type: 'password', id: 'admin-channel-newtoken', autocomplete: 'new-password', maxlength: '200', required: true, 'aria-describedby': 'admin-channel-newtoken-hint' }), 'alerts.refusal.secret-twilio');
    const form = el('form', { id: 'admin-channel-token-form' },
      el('div', { class: 'field' }, el('label', { for: 'admin-channel-newtoken' }, t('admin.channels.newTokenOf', { name: c.name })), token,
        el('span', { class: 'hint', id: 'admin-channel-newtoken-hint' }, t('admin.channels.tokenHint'))),
      el('button', { type: 'submit' }, t('admin.channels.tokenSave')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      done(() => Vigil.api(path + '/secret', { json: { secret: token.value.trim() } }), () => t('admin.channels.tokenDone', { name: c.name }));
    });
    note.replaceChildren(form);
    token.focus();
  }

  // An existing channel is marked or unmarked as a tipline in place
  // (PATCH /api/v1/alerts/channels/{id}, audited): from its next message on,
  // what it receives also becomes information-integrity items, or no longer.
  function tiplineBox(c) {
    const box = el('input', { type: 'checkbox', class: 'admin-channel-tipline-toggle', 'data-channel': String(c.id), 'aria-label': t('admin.channels.tiplineOf', { name: c.name }) });
    box.checked = !!c.tipline;
    box.addEventListener('change', async () => {
      const on = box.checked;
      mark();
      box.disabled = true;
      try {
        const got = await Vigil.api('/api/v1/alerts/channels/' + c.id, { method: 'PATCH', json: { tipline: on } });
        say(note, 'ok', t(got.tipline ? 'admin.channels.tiplineOn' : 'admin.channels.tiplineOff', { name: got.name }));
        load();
      } catch (e) {
        box.checked = !on;
        box.disabled = false;
        failed(note, e);
        restore();
      }
    });
    return box;
  }

  // An existing channel's answers to its reporters change language in
  // place (PATCH /api/v1/alerts/channels/{id} lang, audited), from its next
  // message on.
  function langBox(c) {
    const box = langSelect(c.lang || '');
    box.classList.add('admin-channel-lang-select');
    box.dataset.channel = String(c.id);
    box.setAttribute('aria-label', t('admin.channels.langOf', { name: c.name }));
    box.addEventListener('change', async () => {
      const was = c.lang || '';
      mark();
      box.disabled = true;
      try {
        const got = await Vigil.api('/api/v1/alerts/channels/' + c.id, { method: 'PATCH', json: { lang: box.value } });
        say(note, 'ok', t('admin.channels.langSet', { name: got.name, lang: t('admin.channels.lang.' + (got.lang || 'none')) }));
        load();
      } catch (e) {
        box.value = was;
        box.disabled = false;
        failed(note, e);
        restore();
      }
    });
    return box;
  }
  // The gateways' card comes under the channel list once the list is
  // drawn: shown at once, it was pushed ~390 px down when the list came
  // (its form under a pointer on its way to it).
  load().finally(() => { if (channels.isConnected) channels.after(card('admin.gw.title', gateways)); });
}

// ---- broadcast gateways --------------------------------------------------------

/**
 * Broadcast gateways (POST /api/v1/broadcasts/gateways, admin): per
 * channel, whether it sends broadcasts, its rate, its tries per message,
 * Twilio's account and sender or the webhook's URL, and a new secret:
 * Twilio's auth token is typed and never shown again; a webhook's or
 * SMSSync's is made here and shown once. The server never returns one.
 */
async function loadGateways(box, note) {
  let gws;
  const mine = Vigil.latest(box); // the newest listing only
  try { gws = await Vigil.api('/api/v1/broadcasts/gateways'); } catch (e) { if (mine()) failed(box, e); return; }
  if (!mine()) return;
  if (!gws.length) { box.replaceChildren(Vigil.empty({ body: 'admin.gw.empty' })); return; }
  const yes = (b) => t(b ? 'admin.gw.yes' : 'admin.gw.no');
  const list = table([{ key: 'admin.channels.name' }, { key: 'admin.channels.kindLabel' }, { key: 'admin.gw.sends' }, { key: 'admin.gw.rate', num: true },
    { key: 'admin.gw.tries', num: true }, { key: 'admin.gw.hasSecret' }],
  gws.map((g) => el('tr', {}, cell(g.name), cell(t('admin.channels.kind.' + g.kind)), cell(g.ready ? t('admin.gw.ready') : (g.paused ? t('admin.gw.paused') : t('admin.gw.notReady'))),
    cell(Vigil.num(g.rate_per_s), true), cell(g.max_attempts ? Vigil.num(g.max_attempts) : t('admin.gw.default'), true), cell(yes(g.has_secret)))), { id: 'admin-gateways' });
  const chan = select(gws.map((g) => [String(g.id), g.name + ' — ' + t('admin.channels.kind.' + g.kind)]), String(gws[0].id));
  const sends = el('input', { type: 'checkbox', id: 'admin-gw-sends' });
  const rate = el('input', { type: 'number', min: '0.01', max: '100', step: '0.01', required: true });
  const tries = el('input', { type: 'number', min: '0', max: '20', step: '1' });
  const sendURL = el('input', { type: 'url', maxlength: '500' });
  const sid = el('input', { maxlength: '34', autocomplete: 'off', spellcheck: 'false' });
  const from = el('input', { type: 'tel', maxlength: '20' });
  const token = el('input', { type: 'password', autocomplete: 'new-password', maxlength: '200' });
  const renew = el('input', { type: 'checkbox', id: 'admin-gw-renew' });
  const f = {
    url: field('admin-gw-url', 'admin.gw.sendURL', sendURL, 'admin.gw.sendURLHint'), sid: field('admin-gw-sid', 'admin.gw.sid', sid),
    from: field('admin-gw-from', 'admin.gw.from', from), token: field('admin-gw-token', 'admin.gw.token', token, 'admin.gw.tokenHint'),
    renew: el('div', { class: 'field' }, el('label', {}, renew, ' ', t('admin.gw.renew'))),
  };
  const out = status();
  const current = () => gws.find((g) => String(g.id) === chan.value);
  const sync = () => {
    const g = current();
    sends.checked = !g.paused;
    rate.value = g.rate_per_s;
    tries.value = g.max_attempts || '';
    sendURL.value = g.send_url || '';
    sid.value = g.account_sid || '';
    from.value = g.from || '';
    token.value = '';
    renew.checked = false;
    f.url.hidden = g.kind === 'smssync';
    f.sid.hidden = f.from.hidden = f.token.hidden = g.kind !== 'twilio';
    f.renew.hidden = g.kind === 'twilio';
  };
  chan.addEventListener('change', sync);
  const form = el('form', { id: 'admin-gw-form' },
    el('div', { class: 'form-row top' }, field('admin-gw-channel', 'admin.gw.channel', chan), field('admin-gw-rate', 'admin.gw.rate', rate, 'admin.gw.rateHint'),
      field('admin-gw-tries', 'admin.gw.tries', tries, 'admin.gw.triesHint')),
    el('div', { class: 'field' }, el('label', {}, sends, ' ', t('admin.gw.sendsLabel'))),
    f.url, el('div', { class: 'form-row' }, f.sid, f.from), f.token, f.renew, el('button', { type: 'submit' }, t('admin.gw.save')));
  sync();
  onSubmit(form, out, async () => {
    const g = current();
    const secret = g.kind === 'twilio' ? token.value.trim() : (renew.checked ? randomSecret(24) : '');
    await Vigil.api('/api/v1/broadcasts/gateways', { json: { channel_id: g.id, paused: !sends.checked, rate_per_s: Number(rate.value), max_attempts: Number(tries.value || 0),
      send_url: sendURL.value.trim(), account_sid: sid.value.trim(), from: from.value.trim(), secret } });
    token.value = '';
    await loadGateways(box, [el('p', {}, t('admin.gw.saved', { name: g.name })), secret && g.kind !== 'twilio' ? shownOnce('admin.gw.secret', secret) : null]);
  });
  box.replaceChildren(list, form, out);
  if (note) say(out, 'ok', ...note);
}

// ---- survey forms ------------------------------------------------------------

function formsTab(body) {
  const admin = Vigil.can('admin');
  const out = status();
  const list = loading();
  if (admin) {
    const file = el('input', { type: 'file', accept: '.xlsx,.xml', required: true });
    const form = el('form', { id: 'admin-form-upload' }, field('admin-form-file', 'admin.forms.file', file, 'admin.forms.fileHint'),
      el('button', { type: 'submit' }, t('admin.forms.upload')));
    // A file goes with its own Content-Type (upload).
    onFile(form, file, out, async (f) => {
      const ct = /\.xlsx$/i.test(f.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/xml';
      const r = await upload('/api/v1/surveys/forms', f, ct, 'POST');
      say(out, 'ok', t('admin.forms.uploaded', { form: r.form.form_id, version: r.form.version || '—' }),
        ...(r.warning_messages || []).map((w) => el('p', {}, t('admin.forms.warning'), ' ', Vigil.errText({ message: w.warning, key: w.key, args: w.args }))));
      file.value = '';
      load();
    });
    body.append(card('admin.forms.uploadTitle', el('p', { class: 'muted' }, t('admin.forms.help')), form, out));
  } else {
    body.append(out);
  }
  body.append(card('admin.forms.title', list));
  function load() {
    let reopen = null; // the enumerators panel that was open, opened again once the list is drawn
    return listed(list, '/api/v1/surveys/forms', 'forms', admin ? 'admin.forms.emptyAdmin' : 'admin.forms.empty', async (forms) => {
      const users = admin ? (await Vigil.api('/api/v1/users')).users.filter((u) => !u.disabled) : [];
      return [table(
        [{ key: 'admin.forms.id' }, { key: 'admin.forms.formTitle' }, { key: 'admin.forms.version' }, { key: 'admin.forms.state' }, { key: 'admin.forms.submissions', num: true }, { key: 'admin.forms.updated' }, ...(admin ? [{ key: 'admin.actions' }] : [])],
        forms.map((f) => {
          const open = f.state === 'open';
          const tr = el('tr', {}, cell(f.form_id), cell(f.title), cell(f.version), el('td', {}, el('span', { class: 'badge ' + (open ? 'ok' : '') }, t('admin.forms.' + (open ? 'open' : 'closed')))),
            cell(Vigil.num(f.submissions), true), cell(Vigil.dateTime(f.updated || f.created)));
          if (admin) {
            const flip = el('button', { type: 'button' }, t(open ? 'admin.forms.close' : 'admin.forms.reopen'));
            flip.setAttribute('aria-label', t(open ? 'admin.forms.closeNamed' : 'admin.forms.reopenNamed', { form: f.form_id }));
            flip.addEventListener('click', async () => {
              try {
                await Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(f.form_id)}/state`, { method: 'PUT', json: { state: open ? 'closed' : 'open' } });
                say(out, 'ok', t(open ? 'admin.forms.closedDone' : 'admin.forms.openedDone', { form: f.form_id }));
              } catch (e) { failed(out, e); }
              load();
            });
            const en = el('button', { type: 'button', 'aria-expanded': 'false' }, t('admin.forms.enumerators'));
            en.setAttribute('aria-label', t('admin.forms.enumeratorsOf', { form: f.form_id }));
            en.addEventListener('click', () => enumerators(f, users, en));
            if (kept.form === f.form_id) reopen = () => { if (en.isConnected) enumerators(f, users, en); };
            tr.append(el('td', {}, el('div', { class: 'btn-row' }, flip, en)));
          }
          return tr;
        }), { id: 'admin-forms' }), el('div', { id: 'admin-enumerators' })];
    }).then(() => { if (reopen) reopen(); });
  }
  async function enumerators(f, users, btn) {
    const box = document.getElementById('admin-enumerators');
    if (!box) return; // the list was drawn again since
    if (kept.form !== f.form_id) kept.enumUser = '';
    kept.form = f.form_id;
    btn.setAttribute('aria-expanded', 'true');
    const render = async () => {
      const mine = Vigil.latest(box); // another form's, chosen since, is drawn instead
      try {
        const r = await Vigil.api(`/api/v1/admin/forms/${encodeURIComponent(f.form_id)}/enumerators`);
        if (!mine()) return;
        const who = select(users.filter((u) => !r.enumerators.includes(u.name)).map((u) => [u.name, u.name]), kept.enumUser || '');
        who.addEventListener('change', () => { kept.enumUser = who.value; });
        const add = el('form', { class: 'form-row' }, field('admin-enum-user', 'admin.forms.enumUser', who),
          el('div', { class: 'field' }, el('button', { type: 'submit' }, t('admin.forms.enumAdd'))));
        onSubmit(add, out, async () => {
          if (!who.value) return;
          await Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(f.form_id)}/enumerators`, { json: { user: who.value } });
          render();
        });
        box.replaceChildren(el('section', { class: 'card' }, el('h3', {}, t('admin.forms.enumTitle', { form: f.form_id })),
          r.enumerators.length ? el('ul', {}, ...r.enumerators.map((n) => el('li', {}, n))) : el('p', { class: 'muted' }, t('admin.forms.enumNone')),
          add, el('p', { class: 'muted', id: 'admin-enum-help' }, t('admin.forms.enumHelp'), ' ', el('code', { id: 'admin-enum-url' }, location.origin), ' ',
            t('admin.forms.enumLogin'))));
      } catch (e) { if (mine()) failed(box, e); }
    };
    render();
  }
  load();
}

// upload sends a file with its Content-Type (Vigil.api: the CSRF token, a
// refusal's key, a failed or unreachable server said in the page's language); answers the JSON.
const upload = (path, file, type, method) => Vigil.api(path, { method, body: file, type });

// ---- population margins ------------------------------------------------------

// marginAreas returns the areas and the community groups of the stored
// margin sets, each code -> label in the page's language (the code where no
// form labels it). The server picks each set's area dimension (the one a
// form's analysis settings name as their area field, which "who is
// unheard" matches the log's place against) and group dimension (matched
// against the log's community group) and answers only the codes and
// labels, not the sets' cells.
async function marginAreas() {
  const { areas, groups } = await Vigil.api('/api/v1/surveys/interlocutors/areas');
  const named = (xs) => new Map((xs || []).map((a) => [a.code, langText(a.label) || a.code]));
  return { areas: named(areas), groups: named(groups) };
}

// codeChooser is a required-or-not select of a margin dimension's codes by
// their labels, sorted in the page's language, first the empty choice.
function codeChooser(codes, emptyKey, required) {
  const opts = [...codes].sort((a, b) => a[1].localeCompare(b[1], Vigil.lang));
  return el('select', required ? { required: true } : {}, el('option', { value: '' }, t(emptyKey)),
    ...opts.map(([v, label]) => el('option', { value: v }, label)));
}

function marginsTab(body) {
  const out = status();
  const list = loading();
  const view = el('div', { id: 'admin-margins-view' });
  const name = el('input', { required: true, maxlength: '64', pattern: '[A-Za-z0-9_.\\-]{1,64}', placeholder: 'census' });
  const file = el('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const form = el('form', { id: 'admin-margins-form' }, el('div', { class: 'form-row top' },
    field('admin-margins-name', 'admin.margins.name', name, 'admin.margins.nameHint'), field('admin-margins-file', 'admin.margins.file', file)),
  el('p', { class: 'muted' }, t('admin.margins.format')), el('button', { type: 'submit' }, t('admin.margins.upload')));
  onFile(form, file, out, async (f) => {
    const r = await upload('/api/v1/surveys/margins/' + encodeURIComponent(name.value.trim()), f, 'text/csv', 'PUT');
    say(out, 'ok', t('admin.margins.uploaded', { name: r.name, cells: Vigil.num(r.cells), dims: r.dims.join(', ') }));
    file.value = '';
    load();
    show(r.name);
  });
  body.append(card('admin.margins.uploadTitle', form, out), card('admin.margins.title', list, view));
  function load() {
    return listed(list, '/api/v1/surveys/margins', 'margins', 'admin.margins.empty', (margins) => el('ul', { class: 'plain' }, ...margins.map((m) => el('li', {},
      el('button', { type: 'button', class: 'linklike', onclick: () => show(m) }, m)))));
  }
  async function show(m) {
    const mine = Vigil.latest(view); // other margins, chosen since, are drawn instead
    try {
      const p = await Vigil.api('/api/v1/surveys/margins/' + encodeURIComponent(m));
      if (!mine()) return;
      const total = p.cells.reduce((a, c) => a + c.count, 0);
      // The survey forms' own words (EN/FR) for the dimensions and their
      // values; a code no form labels is shown as it is in the file.
      const labels = p.labels || {};
      const dimName = (d) => langText((labels.fields || {})[d]) || d;
      const valueName = (d, v) => langText(((labels.choices || {})[d] || {})[v]) || v;
      view.replaceChildren(el('h3', {}, t('admin.margins.of', { name: m })),
        el('p', { class: 'muted' }, t('admin.margins.summary', { cells: Vigil.num(p.cells.length), total: Vigil.num(Math.round(total)) })),
        Vigil.scrollTable(el('table', { class: 'full' },
          el('thead', {}, el('tr', {}, ...p.dims.map((d) => el('th', { scope: 'col' }, dimName(d))), el('th', { scope: 'col', class: 'num' }, t('admin.margins.population')))),
          el('tbody', {}, ...p.cells.slice(0, 500).map((c) => el('tr', {}, ...c.values.map((v, i) => cell(valueName(p.dims[i], v))), cell(Vigil.num(c.count), true))))), 'scroll'),
        p.cells.length > 500 ? el('p', { class: 'muted' }, t('admin.margins.first', { n: 500 })) : null);
    } catch (e) { if (mine()) failed(view, e); }
  }
  load();
}

// ---- interlocutor log ----------------------------------------------------------

function interlocutorsTab(body) {
  const out = status();
  const list = loading();
  const date = Vigil.dateInput({ id: 'admin-inter-date', label: 'admin.inter.date', required: true, value: new Date().toISOString().slice(0, 10) });
  // The place is an area code of the stored margins ("north"), chosen by its
  // label ("Nord"), so that "who is unheard" matches it; with no margins
  // stored, free text and a word on how to load them.
  // Disabled until the margins are known: what is typed meanwhile would
  // be lost when the choice list replaces the field.
  let place = el('input', { required: true, maxlength: '200', disabled: true });
  let areas = new Map(), groups = new Map();
  const placeField = field('admin-inter-place', 'admin.inter.place', place, 'admin.inter.placeNoMargins');
  // The community group likewise: a group of the margins ("idp"), chosen by
  // its label (« Déplacé interne »), when the margins have a group
  // dimension; else free text. The log listed the codes (idp, resident).
  let group = el('input', { maxlength: '200' });
  const groupField = field('admin-inter-group', 'admin.inter.group', group);
  const sex = select([['', t('admin.inter.sexUnknown')], ['female', t('admin.inter.female')], ['male', t('admin.inter.male')]], '');
  const role = el('input', { maxlength: '200', placeholder: t('admin.inter.rolePh') });
  const form = el('form', { id: 'admin-inter-form' }, el('div', { class: 'form-row top' },
    date, placeField,
    groupField, field('admin-inter-sex', 'admin.inter.sex', sex), field('admin-inter-role', 'admin.inter.role', role)),
  el('button', { type: 'submit' }, t('admin.inter.add')));
  onSubmit(form, out, async () => {
    await Vigil.api('/api/v1/surveys/interlocutors', { json: { date: date.value, place: place.value.trim(), group: group.value.trim(), sex: sex.value, role: role.value.trim() } });
    say(out, 'ok', t('admin.inter.added'));
    if (place.tagName === 'INPUT') place.value = '';
    group.value = ''; role.value = '';
    load();
  });
  // The form is shown once the margins' areas are known (below): the place
  // was a text field with a long hint until then, and the chooser that
  // replaced it re-wrapped the form's row under a pointer (« Record
  // meeting » 114 px up).
  const wait = loading();
  body.append(wait);
  function load() {
    return listed(list, '/api/v1/surveys/interlocutors', 'interlocutors', 'admin.inter.empty', (interlocutors) => table(
      [{ key: 'admin.inter.date' }, { key: 'admin.inter.place' }, { key: 'admin.inter.group' }, { key: 'admin.inter.sex' }, { key: 'admin.inter.role' }],
      interlocutors.slice().reverse().map((i) => el('tr', {}, cell(Vigil.date(i.date)), cell(areas.get(i.place) ?? i.place), cell(groups.get(i.group) ?? i.group),
        cell(i.sex === 'female' || i.sex === 'male' ? t('admin.inter.' + i.sex) : i.sex), cell(i.role))), { id: 'admin-inter' }));
  }
  (async () => {
    try { ({ areas, groups } = await marginAreas()); } catch (e) { failed(out, e); }
    if (areas.size) {
      place = codeChooser(areas, 'admin.inter.placeChoose', true);
      placeField.replaceWith(field('admin-inter-place', 'admin.inter.place', place, 'admin.inter.placeHint'));
    } else place.disabled = false;
    if (groups.size) {
      group = codeChooser(groups, 'admin.inter.groupChoose', false);
      groupField.replaceWith(field('admin-inter-group', 'admin.inter.group', group, 'admin.inter.groupHint'));
    }
    if (!wait.isConnected) return; // another tab is shown
    wait.replaceWith(card('admin.inter.addTitle', el('p', { class: 'muted' }, t('admin.inter.help')), form, out), card('admin.inter.title', list));
    load();
  })();
}

// ---- gazetteer (place names) ----------------------------------------------------

function placesTab(body) {
  const out = status();
  const info = loading();
  const file = el('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const form = el('form', { id: 'admin-places-form' }, field('admin-places-file', 'admin.places.file', file, 'admin.places.fileHint'),
    el('button', { type: 'submit' }, t('admin.places.import')));
  onFile(form, file, out, async (f) => {
    const r = await Vigil.api('/api/v1/places/gazetteer', { json: { name: f.name, data: await f.text() } });
    say(out, 'ok', t('admin.places.imported', { name: r.name, n: Vigil.num(r.places) }));
    file.value = '';
    load();
  });
  const q = el('input', { type: 'search', maxlength: '100', placeholder: 'Djugu' });
  const hits = el('div', { 'aria-live': 'polite' });
  const find = el('form', { class: 'form-row', id: 'admin-places-find' }, field('admin-places-q', 'admin.places.search', q),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('admin.places.find'))));
  onSubmit(find, hits, async () => {
    if (!q.value.trim()) return;
    const mine = Vigil.latest(hits); // the newest search's places only, or its failure (onSubmit says it)
    let r;
    try {
      r = await Vigil.api('/api/v1/places/search', { query: { q: q.value.trim(), lang: Vigil.lang, limit: 10 } });
    } catch (e) {
      if (mine()) throw e;
      return;
    }
    if (!mine()) return;
    hits.replaceChildren(r.places.length
      ? table([{ key: 'admin.places.place' }, { key: 'admin.places.kind' }, { key: 'admin.places.population', num: true }, { key: 'admin.places.position' }],
        r.places.map((p) => el('tr', {}, cell(p.label || p.name), cell(KIND_KEYS.has(p.kind) ? t('admin.places.kind.' + p.kind) : p.kind), cell(p.population ? Vigil.num(p.population) : '', true),
          el('td', {}, el('a', { href: `#/map?c=${p.lat},${p.lon}&z=9` }, t('admin.places.at', { lat: Vigil.num(p.lat, 3), lon: Vigil.num(p.lon, 3) }))))), { id: 'admin-places-hits' })
      : el('p', { class: 'muted' }, t('admin.places.none')));
  });
  // The import and search cards come under the gazetteer's summary once
  // it is drawn (load, below): shown at once, they were pushed 87 px down
  // when it came (their controls under a pointer on its way to them).
  const summary = card('admin.places.title', info);
  body.append(summary);
  const rest = [Vigil.can('analyst') ? card('admin.places.importTitle', el('p', { class: 'muted' }, t('admin.places.help')), form, out) : null,
    card('admin.places.searchTitle', find, hits)].filter(Boolean);
  async function load() {
    const mine = Vigil.latest(info);
    try {
      const g = await Vigil.api('/api/v1/places/gazetteer');
      if (!mine()) return;
      info.replaceChildren(el('dl', { class: 'pairs', id: 'admin-places-info' },
        el('dt', {}, t('admin.places.total')), el('dd', {}, Vigil.num(g.places)),
        el('dt', {}, t('admin.places.shipped')), el('dd', {}, Vigil.num(g.shipped)),
        el('dt', {}, t('admin.places.own')), el('dd', {}, g.imported
          ? t('admin.places.ownValue', { name: g.imported.name, n: Vigil.num(g.imported.places), by: g.imported.imported_by, at: Vigil.dateTime(g.imported.imported_at) })
          : t('admin.places.ownNone'))),
      el('p', { class: 'muted' }, t('admin.places.attribution'), ' ', g.attribution || ''));
    } catch (e) { if (mine()) failed(info, e); }
  }
  load().finally(() => { if (summary.isConnected) summary.after(...rest); });
}

// ---- audit log -----------------------------------------------------------------

// Words for what the server stores raw: the table shows them, the CSV export
// keeps the raw values for auditors.
const AUDIT_ACTORS = { system: 'admin.audit.system', tipline: 'admin.audit.tipline', anonymous: 'admin.audit.actor.anonymous',
  gateway: 'admin.audit.actor.gateway', intake: 'admin.audit.actor.intake', 'serve --demo': 'admin.audit.actor.demo', 'withdrawal watch': 'admin.audit.actor.watch' };
const AUDIT_ACTOR_PREFIXES = [['system:', 'admin.audit.actor.systemAs', 'what'], ['cli:', 'admin.audit.actor.cli', 'who'], ['demo:', 'admin.audit.actor.demoAs', 'who']];

// auditActor is a table cell naming the actor: a system actor in words (the
// stored value as its title), a user by name.
function auditActor(actor) {
  const a = String(actor ?? '');
  let words = AUDIT_ACTORS[a] ? t(AUDIT_ACTORS[a]) : '';
  for (const [prefix, key, v] of AUDIT_ACTOR_PREFIXES) {
    if (!words && a.startsWith(prefix) && a.length > prefix.length) words = t(key, { [v]: a.slice(prefix.length) });
  }
  return words ? el('td', { title: a }, words) : cell(a);
}

// AUDIT_OBJECTS are the whole objects the server names without an id
// (the opt-out of a number that is no contact, an import of deployments).
const AUDIT_OBJECTS = { 'number (not a contact)': 'admin.audit.obj.notContact', deployments: 'admin.audit.obj.deployments', contacts: 'admin.audit.obj.contacts',
  alerts: 'admin.audit.obj.alerts', alert_channels: 'admin.audit.obj.channels', interlocutors: 'admin.audit.obj.interlocutors', 'integrity:items': 'admin.audit.obj.items',
  'integrity:lexicon': 'admin.audit.obj.lexicon', coverage_population: 'admin.audit.obj.population', coverage_seasons: 'admin.audit.obj.seasons' };

// AUDIT_KINDS word the objects the server writes as "kind:id": the kind in
// the page's language, then the id (a name, a number); a channel by its
// name and a cell by its nearest place come from the record's subject, as
// do the names the store knows (an incident's place and first day, a
// narrative's name, an item's source and day …: admin.audit.obj.KIND.named,
// .dated with a day or month, .day for a day alone: a classifier model, an
// interlocutor met; .period for a manual value's indicator, period and
// area; a survey answer by its survey's title and day, never its answers
// nor who gave them). A contact is never named (its name is sealed):
// « contact n° 12 »; an encryption key by when it was made, which its id
// says (crypt: "k20261207T151108"), never anything of its material.
const AUDIT_KINDS = new Set(['channel', 'user', 'cell', 'incident', 'alert', 'token', 'form', 'submission', 'broadcast', 'scenario', 'framework',
  'integrity-narrative', 'integrity-item', 'integrity-term', 'integrity-feed', 'integrity-model', 'contact', 'interlocutor', 'margins', 'key',
  'forecast', 'notice', 'gazetteer', 'events', 'option', 'manual', 'integrity-spike']);

// AUDIT_CODES are the kinds whose subject's name is a code the page words
// (what a forecast is of: sb, ns, os), not data left as it was written.
const AUDIT_CODES = { forecast: (v) => Vigil.tOr('risk.type.' + v, v) };

// auditSubject is an object in words, or '' when the page has none for it.
function auditSubject(o, subject) {
  if (Object.hasOwn(AUDIT_OBJECTS, o)) return t(AUDIT_OBJECTS[o]);
  const i = o.indexOf(':');
  const kind = o.slice(0, i), id = o.slice(i + 1);
  if (i <= 0 || !id || !AUDIT_KINDS.has(kind)) return '';
  if (kind === 'cell') {
    const m = /^(\d+):(\d{4}-\d{2})$/.exec(id);
    if (!m) return '';
    const p = subject?.place;
    const place = p ? (Vigil.lang === 'fr' && p.label_fr) || p.label : m[1];
    return t('admin.audit.obj.cell', { place, month: Vigil.month(m[2]) });
  }
  const made = kind === 'key' && /^k(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:-\d+)?$/.exec(id);
  if (made) return t('admin.audit.obj.key.made', { time: Vigil.dateTime(`${made[1]}-${made[2]}-${made[3]}T${made[4]}:${made[5]}:${made[6]}Z`) });
  if (kind === 'integrity-model' && id === 'built-in') return t('admin.audit.obj.integrity-model.builtin');
  const key = 'admin.audit.obj.' + kind;
  const name = (Vigil.lang === 'fr' && subject?.name_fr) || subject?.name;
  const date = subject?.date ? Vigil.date(subject.date) : subject?.month ? Vigil.month(subject.month) : '';
  if (!name) return (date && Vigil.tOr(key + '.day', '', { date })) || t(key, { name: id });
  // A manual value by its indicator, period and area (by name, never a
  // code): admin.audit.obj.manual.period.
  const area = (Vigil.lang === 'fr' && subject?.area_fr) || subject?.area;
  const period = subject?.period && Vigil.tOr(key + '.period', '', { name: '\u0001', period: Vigil.period(subject.period), area: area || '—' });
  const phrase = (n) => (period && period.replace('\u0001', n)) || (date && Vigil.tOr(key + '.dated', '', { name: n, date })) || Vigil.tOr(key + '.named', t(key, { name: n }), { name: n });
  if (Object.hasOwn(AUDIT_CODES, kind)) return phrase(AUDIT_CODES[kind](name));
  // The name is the data's (a narrative's, a form's title, in whatever
  // language it was written): marked translate=no, so that it is not taken
  // for the page's words.
  const mark = '\u0000';
  const [before, after] = phrase(mark).split(mark);
  return after === undefined ? before : [before, el('span', { translate: 'no' }, name), after];
}

// auditObject is a table cell naming the object in words (auditSubject),
// the stored value as its title for investigators; else as stored.
function auditObject(object, subject) {
  const o = String(object ?? '');
  const words = auditSubject(o, subject);
  return words ? el('td', { title: o }, words) : cell(o);
}

// auditTime is a record's time on at most two lines, its day and its
// time each kept whole (« 7 déc. 2026, » / « 18:40 UTC »): squeezed by
// long details, the column broke it at every space, on four lines at
// 1366x768 in French. The full time, seconds and all, is its title.
function auditTime(iso) {
  const shown = Vigil.dateTime(iso), cut = shown.indexOf(', ');
  const d = new Date(String(iso ?? ''));
  if (cut < 0 || Number.isNaN(d.getTime())) return shown;
  const full = Vigil.dayFormat({ timeZone: 'UTC', dateStyle: 'long', timeStyle: 'medium' }, d) + ' UTC';
  return el('time', { datetime: d.toISOString(), title: full }, el('span', {}, shown.slice(0, cut + 1)), ' ', el('span', {}, shown.slice(cut + 2)));
}

// auditAction is an action code in words (the code itself if it has no label).
function auditAction(code) {
  return Vigil.tOr('admin.audit.do.' + code, code);
}

// AUDIT_DETAILS are the plain-text details the server writes that are read
// whole, before any split: those whose parts hold ", " or "; " themselves
// (a withdrawal alert, a spike, a model's training, a survey export, an
// item intake's counts and where the items came from: a file's or a
// channel's name may hold them).
const AUDIT_DETAILS = [
  [/^(\d+ items: \d+ new, \d+ updated, \d+ new narratives); (from .+|manual entry)$/, 'admin.audit.ph.intake', ['phrases', 'intake']],
  [/^(\d+) items re-located with the gazetteer \(place, admin-1 area\)$/, 'admin.audit.ph.relocated', ['n']],
  [/^(.+) \((\w*)\): (\S+) after against (\S+) expected, p (\S+); leadership alerted: (true|false)$/, 'admin.audit.ph.withdrawal', ['what', 'area', 'x', 'x2', 'p', 'yes']],
  [/^(narrative|term|place) "(.*)" on (\d{4}-\d{2}-\d{2}): (\d+) items \(expected (\S+)\)$/, 'admin.audit.ph.spike', ['by', 'what', 'date', 'n', 'x']],
  [/^(\d+) built-in examples \+ (\d+) labels; held-out macro-F1 (\S+) on (\d+) labels \((.+): (\S+)\)$/, 'admin.audit.ph.trained', ['n', 'm', 'x', 'm2', 'model', 'x2']],
  [/^format=(\S+) round="(.*)" records=(\d+) k=(\d+) blocked=(\d+) mean_risk=(\S+) free_text="(.*)"$/, 'admin.audit.ph.export', ['what', 'round', 'n', 'k', 'm', 'x', 'freeText']],
];

// AUDIT_PHRASES are the phrases the server writes in plain-text details
// (storage/*.go, auth, surveys, alerts, integrity, ingest: "12 inserted,
// 3 updated", "role analyst", "met 2026-12-05"), each read into its key's
// words (admin.audit.ph.*).
const AUDIT_PHRASES = [
  [/^(\d+) inserted$/, 'admin.audit.ph.inserted', ['n']],
  [/^(\d+) updated$/, 'admin.audit.ph.updated', ['n']],
  [/^(\d+) new$/, 'admin.audit.ph.new', ['n']],
  [/^(\d+) items: (\d+) new$/, 'admin.audit.ph.itemsNew', ['n', 'm']],
  [/^(\d+) items$/, 'admin.audit.ph.items', ['n']],
  [/^(\d+) new narratives$/, 'admin.audit.ph.newNarratives', ['n']],
  [/^merged narrative (\d+) \((\d+) items\)$/, 'admin.audit.ph.merged', ['id', 'n']],
  [/^(\d+) items into narrative (\d+)$/, 'admin.audit.ph.itemsInto', ['n', 'id']],
  [/^role (\w+)$/, 'admin.audit.ph.role', ['role']],
  [/^role (\w+) -> (\w+)$/, 'admin.audit.ph.roleChange', ['role', 'role2']],
  [/^disabled$/, 'admin.audit.ph.disabled', []],
  [/^enabled$/, 'admin.audit.ph.enabled', []],
  [/^password changed$/, 'admin.audit.ph.passwordChanged', []],
  [/^for user (.+)$/, 'admin.audit.ph.forUser', ['what']],
  [/^of user (.+)$/, 'admin.audit.ph.ofUser', ['what']],
  [/^expires (\S+)$/, 'admin.audit.ph.expires', ['time']],
  [/^unknown user \(name hash (\w+)\)$/, 'admin.audit.ph.unknownUser', ['what']],
  [/^rate limited$/, 'admin.audit.ph.rateLimited', []],
  [/^digest credential removed$/, 'admin.audit.ph.digestRemoved', []],
  [/^digest credential set \(sealed HA1\)$/, 'admin.audit.ph.digestSet', []],
  [/^(\d+) cells over (\d+) dimensions$/, 'admin.audit.ph.cellsDims', ['n', 'm']],
  [/^met (\d{4}-\d{2}-\d{2})$/, 'admin.audit.ph.met', ['date']],
  [/^webhook (\S+)$/, 'admin.audit.ph.hook', ['what']],
  [/^test notice to (\S+) set here$/, 'admin.audit.ph.hookTestHere', ['what']],
  [/^test notice to (\S+) set by the server's flag$/, 'admin.audit.ph.hookTestFlag', ['what']],
  [/^answered HTTP (\d+)$/, 'admin.audit.ph.hookStatus', ['n']],
  [/^failed: (.+)$/, 'admin.audit.ph.hookFailed', ['what']],
  [/^(\d+) indicators$/, 'admin.audit.ph.indicators', ['n']],
  [/^(\d+) breakdowns$/, 'admin.audit.ph.breakdowns', ['n']],
  [/^(\d+) fpc fields$/, 'admin.audit.ph.fpcFields', ['n']],
  [/^k=(\d+)$/, 'admin.audit.ph.k', ['n']],
  [/^(\d+) contacts added$/, 'admin.audit.ph.contactsAdded', ['n']],
  [/^(\d+) submissions$/, 'admin.audit.ph.submissions', ['n']],
  [/^read for performance indicator values$/, 'admin.audit.ph.readForIndicators', []],
  [/^read for the monthly brief of (\d{4}-\d{2})$/, 'admin.audit.ph.readForBrief', ['month']],
  [/^read for checking the raking settings against the answers$/, 'admin.audit.ph.readForRaking', []],
  [/^read for checking new population margins against the answers$/, 'admin.audit.ph.readForMargins', []],
  [/^read for (.+)$/, 'admin.audit.ph.readFor', ['what']],
  [/^(\d+) entries from "([^"]*)" to "([^"]*)"$/, 'admin.audit.ph.entries', ['n', 'date', 'date2']],
  [/^target (\w+)$/, 'admin.audit.ph.target', ['target']],
  [/^grid (\S+)$/, 'admin.audit.ph.grid', ['what']],
  [/^origin (\d{4}-\d{2})$/, 'admin.audit.ph.origin', ['month']],
  [/^(\d+) cell forecasts$/, 'admin.audit.ph.cellForecasts', ['n']],
  [/^(\d+) places from (.+)$/, 'admin.audit.ph.placesFrom', ['n', 'what']],
  [/^version "([^"]*)"$/, 'admin.audit.ph.version', ['what']],
  [/^(\d+) media files$/, 'admin.audit.ph.mediaFiles', ['n']],
  [/^enumerator (.+)$/, 'admin.audit.ph.enumerator', ['what']],
  [/^every (\d+) minutes$/, 'admin.audit.ph.everyMinutes', ['n']],
  [/^revision (\d+): (\d+) objectives$/, 'admin.audit.ph.revision', ['id', 'n']],
  [/^(\d+) compacts$/, 'admin.audit.ph.compacts', ['n']],
  [/^(\d+) values$/, 'admin.audit.ph.values', ['n']],
  [/^(\d+) secrets re-encrypted$/, 'admin.audit.ph.secretsResealed', ['n']],
  [/^(\d+) values re-encrypted$/, 'admin.audit.ph.valuesResealed', ['n']],
  [/^channel (\d+)$/, 'admin.audit.ph.channel', ['id']],
  [/^incident (\d+)$/, 'admin.audit.ph.incident', ['id']],
  [/^incident (\d+) → (\d+)$/, 'admin.audit.ph.incidentMove', ['id', 'id2']],
  [/^event (\d+)$/, 'admin.audit.ph.event', ['id']],
  [/^status (\w+)→(\w+)$/, 'admin.audit.ph.status', ['status', 'status2']],
  [/^(\d+) messages handed to the gateway$/, 'admin.audit.ph.handed', ['n']],
  [/^(\d+) messages taken by the gateway$/, 'admin.audit.ph.taken', ['n']],
  [/^(\d+) failed$/, 'admin.audit.ph.failed', ['n']],
  [/^(\d+) to try again$/, 'admin.audit.ph.retry', ['n']],
  [/^tipline on$/, 'admin.audit.ph.tiplineOn', []],
  [/^tipline off$/, 'admin.audit.ph.tiplineOff', []],
  [/^lang (en|fr|none)$/, 'admin.audit.ph.lang', ['langWord']],
  [/^new active key$/, 'admin.audit.ph.newKey', []],
  [/^label removed$/, 'admin.audit.ph.labelRemoved', []],
  [/^labelled (\S+)$/, 'admin.audit.ph.labelled', ['label']],
  [/^labelled (\S+) \((.+)\)$/, 'admin.audit.ph.labelledClass', ['label', 'what']],
  [/^kind (\S+)$/, 'admin.audit.ph.kind', ['channelKind']],
  [/^name "(.*)"$/, 'admin.audit.ph.name', ['what']],
  [/^legal basis (.+)$/, 'admin.audit.ph.legalBasis', ['basis']],
  [/^(\d+) recipients queued on channel (\d+)$/, 'admin.audit.ph.queued', ['n', 'id']],
  [/^(\d+) opted out skipped$/, 'admin.audit.ph.optedOutSkipped', ['n']],
  [/^(\d+) attachments$/, 'admin.audit.ph.attachments', ['n']],
  [/^reporter details removed from (\d+) alerts received before (\S+)$/, 'admin.audit.ph.purged', ['n', 'time']],
  [/^free text of (\d+) alert and incident rows written in clear by an older version sealed$/, 'admin.audit.ph.sealedText', ['n']],
  [/^outgoing (\S+)$/, 'admin.audit.ph.outgoing', ['what']],
  [/^note$/, 'admin.audit.ph.note', []],
  [/^(priority|assignee|title|summary|category|reporter_sex|location)$/, 'admin.audit.ph.changed', ['field']],
  [/^triage overdue: (\S+) since first alert$/, 'alerts.logText.escalate.triage', ['d']],
  [/^response overdue: (\S+) since first alert$/, 'alerts.logText.escalate.response', ['d']],
  [/^sending settings: (\S+) messages\/s$/, 'admin.audit.ph.rate', ['x']],
  [/^0 tries \(0: default\)$/, 'admin.audit.ph.triesDefault', []],
  [/^(\d+) tries \(0: default\)$/, 'admin.audit.ph.tries', ['n']],
  [/^paused true$/, 'admin.audit.ph.paused', []],
  [/^paused false$/, 'admin.audit.ph.notPaused', []],
  [/^secret replaced$/, 'admin.audit.ph.secretReplaced', []],
  [/^reply: (.+)$/, 'admin.audit.ph.optOutReply', ['what']],
  [/^stored (\S+) before the number was a contact's$/, 'admin.audit.ph.storedOptOut', ['time']],
  [/^scheduled for (\S+) to (.+)$/, 'admin.audit.ph.scheduled', ['time', 'audience']],
  [/^to group (.+)$/, 'admin.audit.ph.toGroup', ['what']],
  [/^to (\d+) cells$/, 'admin.audit.ph.toCells', ['n']],
  [/^to admin area (.+)$/, 'admin.audit.ph.toArea', ['what']],
  [/^to (\S+) km around (.+)$/, 'admin.audit.ph.toAround', ['x', 'what']],
  [/^(plan|try|cut) (\d{4}-\d{2})$/, 'admin.audit.ph.scenario', ['scenario', 'month']],
  [/^(.+): (\d+) rows$/, 'admin.audit.ph.rows', ['what', 'n']],
  [/^([A-Z]{2,3})=default$/, 'admin.audit.ph.seasonDefault', ['what']],
  [/^([A-Z]{2,3})=(\d+(?:,\d+)*)$/, 'admin.audit.ph.season', ['what', 'months']],
  [/^state (\w+) → (\w+)$/, 'admin.audit.ph.checkState', ['check', 'check2']],
  [/^evidence$/, 'admin.audit.ph.evidence', []],
  [/^deadline$/, 'admin.audit.ph.deadline', []],
  [/^claim$/, 'admin.audit.ph.claim', []],
  [/^assign$/, 'admin.audit.ph.unassigned', []],
  [/^assign (.+)$/, 'admin.audit.ph.assign', ['what']],
  [/^publish (\S+)$/, 'admin.audit.ph.publish', ['what']],
  [/^(\d+) items re-scored by the (.+)$/, 'admin.audit.ph.rescored', ['n', 'model']],
  [/^(\d+) items re-matched after a lexicon change$/, 'admin.audit.ph.rematched', ['n']],
  [/^(\d+) terms from (.+)$/, 'admin.audit.ph.termsFrom', ['n', 'source']],
  [/^wrong password$/, 'admin.audit.ph.wrongPassword', []],
  [/^user disabled$/, 'admin.audit.ph.userDisabled', []],
  [/^(\d+) unchanged$/, 'admin.audit.ph.unchanged', ['n']],
  [/^(\d+) inconsistent estimates$/, 'admin.audit.ph.inconsistent', ['n']],
  [/^(\d+) repaired$/, 'admin.audit.ph.repaired', ['n']],
  [/^(.+): scenario (\d+) for gap "(.*)"$/, 'admin.audit.ph.option', ['what', 'id', 'gap']],
];

// auditVar is a phrase's part for people: counts as numbers (for their
// plural), decimals with the page's separator, durations, times, days and
// months in the page's language, roles, alert and fact-check states, what
// a forecast is of, an incident's fields, a channel's kind and legal
// basis, labels, models and audiences in words.
function auditVar(name, v) {
  if (/^[nm]\d?$/.test(name)) return Number(v);
  if (name.startsWith('x')) return v.replace('.', Vigil.num(1.5).charAt(1)); // a decimal as written, the page's separator
  if (name === 'd') return Vigil.durations(v);
  if (name === 'p') return (v.startsWith('<') ? '< ' : '= ') + auditVar('x', v.replace(/^</, '')); // a p-value: '= 0,0123', '< 0,001'
  if (name === 'time') return Vigil.dateTime(v);
  if (name.startsWith('date')) return v ? Vigil.date(v) : '—';
  if (name === 'month') return Vigil.month(v);
  if (name === 'months') return v.split(',').map((m) => Vigil.month(`2000-${m.padStart(2, '0')}`).replace(/\s*2000\s*/, '')).join(', ');
  if (name.startsWith('role')) return Vigil.tOr('role.' + v, v);
  if (name.startsWith('status')) return Vigil.tOr('alerts.status.' + v, v);
  if (name.startsWith('check')) return Vigil.tOr('verify.state.' + v, v).toLocaleLowerCase(Vigil.lang);
  if (name === 'target') return Vigil.tOr('risk.type.' + v, v);
  if (name === 'field') return t('admin.audit.ph.field.' + v);
  if (name === 'channelKind') return Vigil.tOr('admin.channels.kind.' + v, v);
  if (name === 'langWord') return Vigil.tOr('admin.channels.lang.' + v, v);
  if (name === 'basis') return Vigil.tOr('admin.channels.basis.' + v.replaceAll(' ', '_'), v);
  if (name === 'yes') return t(v === 'true' ? 'admin.gw.yes' : 'admin.gw.no');
  if (['by', 'label', 'scenario'].includes(name)) return Vigil.tOr(`admin.audit.ph.${name}.${v}`, v);
  if (name === 'model') return auditRead(AUDIT_MODELS, v) ?? v;
  if (name === 'intake') return auditRead(AUDIT_INTAKES, v) ?? v;
  if (name === 'phrases') return auditPhrases(v);
  if (name === 'source') {
    if (v === 'the starter lexicon') return t('admin.audit.ph.starterLexicon');
    return v === "the demo's DEMO terms" ? t('admin.audit.ph.demoTerms') : t('admin.audit.ph.fromFile', { what: v });
  }
  if (name === 'audience') return auditRead(AUDIT_PHRASES, 'to ' + v) ?? v;
  if (name === 'freeText') return v || t('admin.audit.ph.none');
  return v;
}

// AUDIT_INTAKES say where an intake's items came from (integrity.Intake*).
const AUDIT_INTAKES = [
  [/^from file (.+)$/, 'admin.audit.ph.intakeFile', ['what']],
  [/^from feed (\d+) at (.+)$/, 'admin.audit.ph.intakeFeed', ['id', 'what']],
  [/^from a feed at (.+)$/, 'admin.audit.ph.intakeFeedURL', ['what']],
  [/^manual entry$/, 'admin.audit.ph.intakeManual', []],
  [/^from tipline channel (.+)$/, 'admin.audit.ph.intakeTipline', ['what']],
  [/^from the demo: synthetic items based on UCDP GED events$/, 'admin.audit.ph.intakeDemo', []],
];

// AUDIT_MODELS name the information-integrity model a detail speaks of.
const AUDIT_MODELS = [
  [/^built-in( model)?$/, 'admin.audit.ph.model.builtin', []],
  [/^model (\d+)$/, 'admin.audit.ph.model.n', ['id']],
];

// auditRead is text read by a table of its forms (AUDIT_DETAILS …) in
// words, or null when it is none of them.
function auditRead(table, text) {
  const hit = Vigil.matchText(table, text);
  return hit && t(hit.key, Object.fromEntries(Object.entries(hit.vars).map(([k, v]) => [k, auditVar(k, v)])));
}

// auditPhrase is one phrase of a plain-text detail in words, or as written
// (its Go durations in words) when it is none of AUDIT_PHRASES.
function auditPhrase(p) {
  return auditRead(AUDIT_PHRASES, p) ?? Vigil.durations(p);
}

// auditPhrases is text in words phrase by phrase (the parts between ", "
// and "; ", a semicolon as the page's language writes it: " ; " in French);
// a quoted name is one part, commas and all (a channel named « Ligne de
// Bria, Ouham » was split, its « name "… » left in English).
function auditPhrases(s) {
  return auditSplit(s).map((p, i) => (i % 2 ? (p === '; ' ? t('admin.audit.sep') : p) : auditPhrase(p))).join('');
}

// auditSplit is s split at ", " and "; " outside Go's double-quoted strings
// (their \" escapes kept), separators included as s.split(/(, |; )/) does;
// with a quote left open, that plain split.
function auditSplit(s) {
  const parts = [];
  let cur = '', quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') { cur += c + (s[i + 1] ?? ''); i++; continue; }
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === ',' || c === ';') && s[i + 1] === ' ') { parts.push(cur, c + ' '); cur = ''; i++; continue; }
    cur += c;
  }
  parts.push(cur);
  return quoted ? s.split(/(, |; )/) : parts;
}

// auditDetail is a detail in words: a JSON object as "key: value" pairs
// (keys in words where the dictionary has them), plain text whole when it
// is one of AUDIT_DETAILS, else phrase by phrase.
function auditDetail(detail) {
  const s = String(detail ?? '').trim();
  if (s.startsWith('{') || s.startsWith('[')) {
    try { return auditValue(JSON.parse(s)); } catch { /* not JSON: read as text */ }
  }
  return auditRead(AUDIT_DETAILS, s) ?? auditPhrases(s);
}

function auditValue(v) {
  if (Array.isArray(v)) return v.map(auditValue).join(', ');
  if (v && typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => t('admin.audit.pair', { key: Vigil.tOr('admin.audit.key.' + k, k),
      value: x && typeof x === 'object' ? '(' + auditValue(x) + ')' : auditValue(x) })).join(t('admin.audit.sep'));
  }
  return typeof v === 'number' ? Vigil.num(v) : String(v ?? '');
}

// AUDIT_FAMILIES are the families the action list groups the actions in,
// in its order, each with the first parts of the codes it holds
// (admin.audit.family.ID); an action of none is under « other ».
export const AUDIT_FAMILIES = [
  ['access', ['user', 'token', 'login', 'logout', 'keys']],
  ['alerts', ['alerts']],
  ['contacts', ['contacts', 'broadcasts']],
  ['integrity', ['integrity']],
  ['surveys', ['form', 'submission', 'survey']],
  ['performance', ['performance']],
  ['coverage', ['coverage', 'scenario', 'deployments']],
  ['data', ['events', 'gazetteer', 'forecast']],
];

/** The family of an action code (AUDIT_FAMILIES), 'other' when none. */
export function auditFamily(code) {
  const head = String(code).split('.')[0];
  return AUDIT_FAMILIES.find(([, heads]) => heads.includes(head))?.[0] ?? 'other';
}

const fold = (s) => String(s).normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/**
 * The actions ([code, words]) of the action list in their families, in
 * AUDIT_FAMILIES order (« other » last), each family's actions by their
 * words, those typed text q matches only: a code it begins (a prefix
 * such as "user." keeps working), words or a family's name holding it
 * (case and accents aside). Empty families are left out.
 * [{ family, label, actions: [[code, words]] }].
 */
export function auditActionGroups(actions, q = '') {
  const want = fold(q.trim());
  const order = [...AUDIT_FAMILIES.map(([id]) => id), 'other'];
  return order.map((family) => {
    const label = t('admin.audit.family.' + family);
    const all = !want || fold(label).includes(want);
    const mine = actions.filter(([code, words]) => auditFamily(code) === family && (all || code.startsWith(q.trim()) || fold(words).includes(want) || fold(code).includes(want)))
      .sort((a, b) => a[1].localeCompare(b[1], Vigil.lang));
    return { family, label, actions: mine };
  }).filter((g) => g.actions.length);
}

/** The option after i of n by a key (ArrowDown, ArrowUp, wrapping), across families; i -1: none yet. */
export function auditMove(i, n, key) {
  if (!n) return -1;
  if (key === 'ArrowDown') return i < 0 ? 0 : (i + 1) % n;
  if (key === 'ArrowUp') return i < 0 ? n - 1 : (i - 1 + n) % n;
  return i;
}

// actionChoice is the action field: a combobox whose list shows the
// actions in words by family (a listbox of labelled groups), filtered as
// one types; arrow keys move across the families, Enter or a click puts
// the action's code in the field (what the filter sends), Escape closes.
// A code or a prefix ending in "." may be typed in as before.
function actionChoice() {
  const input = el('input', { maxlength: '100', placeholder: 'user.', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': 'admin-audit-actions' });
  const list = el('div', { id: 'admin-audit-actions', role: 'listbox', class: 'combo-list', 'aria-label': t('admin.audit.action'), hidden: true });
  const actions = Vigil.keys('admin.audit.do.').map((k) => k.slice('admin.audit.do.'.length)).map((code) => [code, auditAction(code)]);
  let options = [], at = -1;
  const show = (i) => {
    options.forEach((o, j) => o.setAttribute('aria-selected', String(j === i)));
    at = i;
    if (i < 0) { input.removeAttribute('aria-activedescendant'); return; }
    input.setAttribute('aria-activedescendant', options[i].id);
    options[i].scrollIntoView?.({ block: 'nearest' });
  };
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); show(-1); };
  const open = () => {
    const groups = auditActionGroups(actions, input.value);
    list.replaceChildren(...groups.map((g) => {
      const hid = 'admin-audit-fam-' + g.family;
      return el('div', { role: 'group', 'aria-labelledby': hid },
        el('div', { id: hid, class: 'combo-group', role: 'presentation' }, g.label),
        ...g.actions.map(([code, words]) => el('div', { role: 'option', id: 'admin-audit-act-' + code.replaceAll('.', '-'), 'data-code': code, 'aria-selected': 'false' },
          words, ' ', el('code', { class: 'muted' }, code))));
    }));
    options = [...list.querySelectorAll('[role=option]')];
    list.hidden = !options.length;
    input.setAttribute('aria-expanded', String(!list.hidden));
    show(-1);
  };
  const pick = (o) => { input.value = o.dataset.code; close(); };
  input.addEventListener('input', open);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) open();
      show(auditMove(at, options.length, ev.key));
    } else if (ev.key === 'Enter' && !list.hidden && at >= 0) {
      ev.preventDefault(); // the action chosen; Enter again sends the filter
      pick(options[at]);
    } else if (ev.key === 'Enter') {
      close(); // what is typed (a code, a prefix) is sent as typed
    } else if (ev.key === 'Escape' && !list.hidden) {
      ev.preventDefault();
      close();
    }
  });
  list.addEventListener('mousedown', (ev) => ev.preventDefault()); // the field keeps the focus
  list.addEventListener('click', (ev) => { const o = ev.target.closest('[role=option]'); if (o) pick(o); });
  return { input, list };
}

function auditTab(body) {
  const out = el('div', {});
  const actor = el('input', { maxlength: '100' });
  // The action: chosen among the actions named in words, by family (the
  // list puts the code in), or a code or a prefix ending in "." typed in.
  const { input: action, list: actions } = actionChoice();
  const actionField = field('admin-audit-action', 'admin.audit.action', action, 'admin.audit.actionHint');
  const box = el('div', { class: 'combo-box' });
  action.replaceWith(box);
  box.append(action, actions); // the list under the field, over what follows
  const since = Vigil.dateInput({ id: 'admin-audit-since', label: 'admin.audit.since' });
  const until = Vigil.dateInput({ id: 'admin-audit-until', label: 'admin.audit.until' });
  const more = el('button', { type: 'button', id: 'admin-audit-more', hidden: true }, t('admin.audit.more'));
  const exp = el('button', { type: 'button' }, t('admin.audit.export'));
  const form = el('form', { class: 'form-row', id: 'admin-audit-form' },
    field('admin-audit-actor', 'admin.audit.actor', actor), actionField,
    since, until,
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('admin.audit.filter'))), el('div', { class: 'field' }, exp));
  const tbody = el('tbody');
  const tableBox = Vigil.scrollTable(null); // Vigil.watchScroll once its table is in
  const info = status();
  body.append(card('admin.audit.title', el('p', { class: 'muted' }, t('admin.audit.help')), form, info, tableBox, more, out));
  let next = '';
  const query = (cursor, limit) => ({ actor: actor.value.trim(), action: action.value.trim(), since: since.value,
    until: until.value ? until.value + 'T23:59:59Z' : '', cursor, limit });
  async function load(append) {
    // The newest filter (or page) only: an earlier filter's records, or the
    // next page of an earlier filter, answering after it are not drawn.
    const mine = Vigil.latest(tbody);
    try {
      const r = await Vigil.api('/api/v1/audit', { query: query(append ? next : '', 100) });
      if (!mine()) return;
      if (!append) tbody.replaceChildren();
      next = r.next || '';
      more.hidden = !next;
      tbody.append(...r.records.map((x) => el('tr', {}, el('td', {}, auditTime(x.time)), auditActor(x.actor),
        el('td', {}, auditAction(x.action), el('br'), el('code', { class: 'muted audit-code' }, x.action)),
        auditObject(x.object, x.subject), cell(auditDetail(x.detail)))));
      if (!tbody.children.length) {
        tableBox.replaceChildren(Vigil.empty({ body: 'admin.audit.empty' }));
      } else if (!tableBox.querySelector('table')) {
        tableBox.replaceChildren(el('table', { class: 'full', id: 'admin-audit', 'aria-label': t('admin.audit.title') }, el('thead', {}, el('tr', {},
          ...['admin.audit.time', 'admin.audit.actor', 'admin.audit.action', 'admin.audit.object', 'admin.audit.detail'].map((k) => el('th', { scope: 'col' }, t(k))))), tbody));
        Vigil.watchScroll(tableBox);
      }
    } catch (e) { if (mine()) failed(info, e); }
  }
  // A new filter hides the earlier filter's More until its own records
  // come: its next page, asked meanwhile, would be listed under the new
  // filter (and its answer, the newest, would drop the new filter's).
  form.addEventListener('submit', (ev) => { ev.preventDefault(); tableBox.replaceChildren(); more.hidden = true; load(false); });
  more.addEventListener('click', () => load(true));
  // Export: every record the filter selects (up to 50 000), as CSV.
  exp.addEventListener('click', async () => {
    exp.disabled = true;
    try {
      const rows = [['id', 'time', 'actor', 'action', 'object', 'detail']];
      let cursor = '';
      for (let i = 0; i < 50; i++) {
        const r = await Vigil.api('/api/v1/audit', { query: query(cursor, 1000) });
        for (const x of r.records) rows.push([x.id, x.time, x.actor, x.action, x.object, x.detail]);
        if (!r.next) break;
        cursor = r.next;
      }
      const a = el('a', { href: Vigil.csvURL(rows), download: 'vigil-audit.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      say(info, 'ok', t('admin.audit.exported', { n: Vigil.num(rows.length - 1) }));
    } catch (e) { failed(info, e); }
    exp.disabled = false;
  });
  load(false);
}

// ---- escalation notices ----------------------------------------------------------

// What each notice type is about (a notice's body says its type).
const NOTICE_TYPES = {
  'vigil.incident.overdue': 'admin.notices.type.overdue',
  'vigil.incident.escalated': 'admin.notices.type.escalated',
  'vigil.withdrawal.trigger': 'admin.notices.type.withdrawal',
  'vigil.integrity.spike': 'admin.notices.type.spike',
};
const NOTICE_STATES = { given_up: 'admin.notices.state.givenUp', pending: 'admin.notices.state.pending', no_webhook: 'admin.notices.state.noWebhook', sent: 'admin.notices.state.sent' };

// noticeFailure says a notice's last failed post: an HTTP status in the
// page's words, another cause (a refused connection, a timeout) as the
// server wrote it, as technical detail.
function noticeFailure(why) {
  if (!why) return '—';
  const m = /^status (\d+)$/.exec(why);
  return m ? t('admin.notices.status', { status: m[1] }) : el('code', {}, why);
}

// noticesTab lists the escalation webhook's notices nobody was told of
// (given up after their tries, waiting long, or waiting for a webhook this
// server does not have) and tries one again now.
function noticesTab(body) {
  const out = status();
  const box = loading();
  body.append(hookCard(() => load()), card('admin.notices.title', el('p', { class: 'muted' }, t('admin.notices.help')), out, box));
  async function load() {
    const mine = Vigil.latest(box);
    try {
      const r = await Vigil.api('/api/v1/alerts/notices');
      if (!mine()) return;
      // Without a webhook: the notices listed wait for one; with none
      // listed, escalations from now on notify nobody outside Vigil.
      const warn = r.webhook ? null : el('div', { class: 'notice error', role: 'alert', id: 'admin-notices-nohook' },
        t(r.notices.length ? 'admin.notices.noWebhook' : 'admin.notices.noWebhookEmpty'));
      if (!r.notices.length) {
        box.replaceChildren(...[warn, Vigil.empty({ title: 'admin.notices.emptyTitle', body: 'admin.notices.empty' })].filter(Boolean));
        return;
      }
      const rows = r.notices.map((n) => {
        const what = t(NOTICE_TYPES[n.type] || 'admin.notices.type.other', { type: n.type });
        const when = n.state === 'given_up' ? t('admin.notices.gaveUp', { when: Vigil.dateTime(n.gave_up_at) })
          : n.state === 'pending' ? t('admin.notices.next', { when: Vigil.dateTime(n.next_at) }) : '';
        const retry = el('button', { type: 'button', class: 'admin-notice-retry', disabled: r.webhook ? null : true }, t('admin.notices.retry'));
        retry.addEventListener('click', async () => {
          retry.disabled = true;
          try {
            const v = await Vigil.api(`/api/v1/alerts/notices/${n.id}/retry`, { method: 'POST' });
            if (v.state === 'sent') say(out, 'ok', t('admin.notices.retried', { id: Vigil.num(n.id) }));
            else say(out, 'error', t('admin.notices.retryFailed', { id: Vigil.num(n.id) }), ' ', noticeFailure(v.last_error));
          } catch (e) { failed(out, e); }
          load();
        });
        return el('tr', { 'data-notice': n.id, 'data-state': n.state },
          cell(n.incident_id ? el('span', {}, what, ' — ', el('a', { href: '#/alerts/incident/' + n.incident_id }, t('admin.notices.incident', { id: n.incident_id }))) : what),
          cell(Vigil.dateTime(n.created)),
          el('td', {}, el('span', { class: 'badge ' + (n.state === 'pending' ? 'warn' : 'danger') }, t(NOTICE_STATES[n.state] || 'admin.notices.state.pending')), when ? el('br') : null, when),
          cell(Vigil.num(n.tries), true),
          el('td', {}, noticeFailure(n.last_error)),
          el('td', {}, retry));
      });
      box.replaceChildren(...[warn, table([{ key: 'admin.notices.what' }, { key: 'admin.notices.created' }, { key: 'admin.notices.state' },
        { key: 'admin.notices.tries', num: true }, { key: 'admin.notices.failure' }, { key: 'admin.notices.action' }], rows, { id: 'admin-notices' })].filter(Boolean));
    } catch (e) { if (mine()) failed(box, e); }
  }
  load();
}

// hookCard is the escalation webhook's card: which one is in force (set
// here, or by the server's --alerts-escalation-url; only its scheme and
// host are ever shown), a form that sets or changes it, a test notice and
// its removal; changed() reloads the notices (they go to the new URL).
function hookCard(changed) {
  const out = status();
  const box = loading();
  const url = el('input', { type: 'url', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'https://', maxlength: 2000 });
  const save = el('button', { type: 'submit' }, t('admin.hook.save'));
  const test = el('button', { type: 'button', id: 'admin-hook-test' }, t('admin.hook.test'));
  const remove = confirmButton('admin.hook.remove', 'admin.hook.removeConfirm', 'danger', async (b) => {
    b.disabled = true;
    try {
      draw(await Vigil.api('/api/v1/alerts/escalation-hook', { method: 'DELETE' }));
      say(out, 'ok', t('admin.hook.removed'));
      changed();
    } catch (e) { failed(out, e); }
    b.disabled = false;
  });
  remove.id = 'admin-hook-remove';
  const form = el('form', { id: 'admin-hook-form' }, field('admin-hook-url', 'admin.hook.url', url, 'admin.hook.urlHint'),
    el('div', { class: 'form-row' }, save, test, remove));
  onSubmit(form, out, async () => {
    save.disabled = true;
    try {
      draw(await Vigil.api('/api/v1/alerts/escalation-hook', { method: 'PUT', json: { url: url.value.trim() } }));
      url.value = '';
      say(out, 'ok', t('admin.hook.saved'));
      changed();
    } finally { save.disabled = false; }
  });
  test.addEventListener('click', async () => {
    test.disabled = true;
    try {
      const r = await Vigil.api('/api/v1/alerts/escalation-hook/test', { method: 'POST' });
      if (r.ok) say(out, 'ok', t('admin.hook.testOK', { status: r.status, url: r.shown }));
      else if (r.status) say(out, 'error', t('admin.hook.testStatus', { status: r.status, url: r.shown }));
      else say(out, 'error', t('admin.hook.testFailed', { url: r.shown }), ' ', el('code', {}, r.error));
    } catch (e) { failed(out, e); }
    test.disabled = false;
  });
  // draw says which webhook is in force and offers what fits it.
  function draw(h) {
    const line = h.source === 'here'
      ? t('admin.hook.here', { url: h.shown, who: h.updated_by, when: Vigil.dateTime(h.updated) })
      : h.source === 'flag' ? t('admin.hook.flag', { url: h.shown }) : null;
    const state = line
      ? el('p', { id: 'admin-hook-state', 'data-source': h.source }, el('span', { class: 'badge ok' }, t('admin.hook.inForce')), ' ', line)
      : el('div', { class: 'notice warn', id: 'admin-hook-state', 'data-source': '' }, t('admin.hook.none'));
    const over = h.source === 'here' && h.flag ? el('p', { class: 'muted' }, t('admin.hook.overFlag', { url: h.flag })) : null;
    test.hidden = !h.source;
    remove.hidden = h.source !== 'here';
    save.textContent = t(h.source === 'here' ? 'admin.hook.change' : 'admin.hook.save');
    box.replaceChildren(...[state, over, form].filter(Boolean));
  }
  (async () => {
    try { draw(await Vigil.api('/api/v1/alerts/escalation-hook')); } catch (e) { failed(box, e); }
  })();
  return card('admin.hook.title', el('p', { class: 'muted' }, t('admin.hook.help')), box, out);
}

// ---- encryption keys -------------------------------------------------------------

function keysTab(body) {
  const out = status();
  const box = loading();
  body.append(card('admin.keys.title', el('p', { class: 'muted' }, t('admin.keys.help')), box, out));
  async function load() {
    try {
      const k = await Vigil.api('/api/v1/admin/keys');
      const rotate = confirmButton('admin.keys.rotate', 'admin.keys.confirm', 'danger', async (b) => {
        b.disabled = true;
        try {
          const r = await Vigil.api('/api/v1/admin/keys/rotate', { method: 'POST' });
          say(out, 'ok', t('admin.keys.rotated', { key: r.active, n: Vigil.num(r.resealed) }));
        } catch (e) { failed(out, e); }
        load();
      });
      box.replaceChildren(el('dl', { class: 'pairs' },
        el('dt', {}, t('admin.keys.active')), el('dd', {}, el('code', { id: 'admin-key-active' }, k.active)),
        el('dt', {}, t('admin.keys.all')), el('dd', {}, ...k.keys.map((id) => el('span', { class: 'badge ' + (id === k.active ? 'ok' : '') }, id, ' '))),
      ), el('p', { class: 'muted' }, t('admin.keys.rotateHelp')), rotate);
    } catch (e) { failed(box, e); }
  }
  load();
}

// ---- forecast scoring (VIEWS challenge) ----------------------------------------

// A refusal of an uploaded file in the page's language when the catalog
// says it (it names the file, line and column), else the server's English.
function fileRefusal(res, r) {
  if (r && r.key) return Vigil.errText({ message: r.error, key: r.key, args: r.args });
  if (res.status >= 500) return t('app.serverFailed');
  return (r && r.error) || `${res.status} ${res.statusText}`;
}

// scoringTab scores a VIEWS-challenge forecast file against actuals as
// `vigil views score` does (POST /api/v1/forecast/views/score), beside the
// challenge's benchmarks the server scores on the same actuals: zero
// everywhere always, and the last value with Poisson draws when the
// features file is given (`vigil views forecast --method
// zero|poisson-last`); or the refusal naming the file, line and column.
// Nothing is stored.
function scoringTab(body) {
  const out = status();
  say(out, 'info', t('admin.scoring.empty'));
  const fc = el('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const act = el('input', { type: 'file', accept: '.csv,text/csv', required: true });
  const feat = el('input', { type: 'file', accept: '.csv,text/csv' });
  const cutoff = el('input', { type: 'number', min: 1, max: 2000, step: 1, inputmode: 'numeric' });
  const submit = el('button', { type: 'submit' }, t('admin.scoring.score'));
  const form = el('form', { id: 'admin-scoring-form' }, el('div', { class: 'form-row top' },
    field('admin-scoring-forecast', 'admin.scoring.forecast', fc, 'admin.scoring.forecastHint'),
    field('admin-scoring-actuals', 'admin.scoring.actuals', act, 'admin.scoring.actualsHint')),
  el('div', { class: 'form-row top' },
    field('admin-scoring-features', 'admin.scoring.features', feat, 'admin.scoring.featuresHint'),
    field('admin-scoring-cutoff', 'admin.scoring.cutoff', cutoff, 'admin.scoring.cutoffHint')), submit);
  Vigil.filePick(fc);
  Vigil.filePick(act);
  Vigil.filePick(feat);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = fc.files[0];
    const a = act.files[0];
    const x = feat.files[0];
    if (!f || !a) return;
    const fd = new FormData();
    fd.append('forecast', f, f.name);
    fd.append('actuals', a, a.name);
    if (x) fd.append('features', x, x.name);
    if (cutoff.value.trim()) fd.append('cutoff', cutoff.value.trim());
    submit.disabled = true;
    say(out, 'info', t('admin.scoring.scoring', { name: f.name }));
    try {
      const res = await Vigil.api('/api/v1/forecast/views/score', { method: 'POST', body: fd, raw: true });
      let r = null;
      try { r = await res.json(); } catch { r = null; }
      if (!res.ok) {
        say(out, 'error', el('strong', {}, t('admin.scoring.refused')), ' ', el('code', { id: 'admin-scoring-error' }, fileRefusal(res, r)));
        return;
      }
      say(out, 'ok', t('admin.scoring.scored', { name: f.name, actuals: a.name }));
      out.append(scoringResult(r, f.name));
    } catch (e) { failed(out, e); } finally { submit.disabled = false; }
  });
  body.append(card('admin.scoring.title', el('p', { class: 'muted' }, t('admin.scoring.help')), form, out));
}

// scoringResult is a scoring's answer: the country-months and draws, then
// a table of the forecast (named name) and the benchmarks by mean CRPS,
// ignorance and interval score, the forecast's relative difference to
// each benchmark under its own score; a benchmark not scored (no features
// file) says how to score it.
function scoringResult(r, name) {
  const score = (v) => Vigil.num(Math.round(v * 1000) / 1000, 3);
  const metrics = [['crps', 'admin.scoring.crps'], ['ignorance', 'admin.scoring.ignorance'], ['interval_score_90', 'admin.scoring.interval']];
  const bench = Object.fromEntries((r.benchmarks || []).map((b) => [b.method, b]));
  const label = { zero: t('admin.scoring.zero'), 'poisson-last': t('admin.scoring.poisson', { cutoff: r.cutoff ?? '' }) };
  const vs = { zero: 'admin.scoring.vsZero', 'poisson-last': 'admin.scoring.vsPoisson' };
  // A relative difference, signed: "+3.2%", "−9.8 %" (a lower score is better).
  const change = (v) => (v > 0 ? '+' : '') + Vigil.pct(v);
  const yours = el('tr', { id: 'admin-scoring-yours' }, el('th', { scope: 'row' }, t('admin.scoring.yours', { name })),
    ...metrics.map(([m]) => el('td', { class: 'num', id: m === 'crps' ? 'admin-scoring-crps' : null, 'data-v': r[m] }, score(r[m]),
      ...['zero', 'poisson-last'].filter((b) => bench[b] && bench[b].relative[m] != null)
        .map((b) => el('span', { class: 'scoring-change', 'data-method': b }, t(vs[b], { change: change(bench[b].relative[m]) }))))));
  const row = (method) => bench[method]
    ? el('tr', { 'data-method': method }, el('th', { scope: 'row' }, label[method]),
      ...metrics.map(([m]) => el('td', { class: 'num', 'data-v': bench[method][m] }, score(bench[method][m]))))
    : el('tr', { 'data-method': method }, el('th', { scope: 'row' }, t('admin.scoring.poissonName')),
      el('td', { colspan: metrics.length, class: 'muted', id: 'admin-scoring-no-features' }, t('admin.scoring.noFeatures')));
  return el('div', { id: 'admin-scoring-scores', class: 'scoring-scores' },
    el('dl', { class: 'pairs' },
      el('dt', {}, t('admin.scoring.n')), el('dd', {}, Vigil.num(r.n)),
      el('dt', {}, t('admin.scoring.draws')), el('dd', {}, Vigil.num(r.draws))),
    table([{ key: 'admin.scoring.col.forecast' }, ...metrics.map(([, key]) => ({ key, num: true }))],
      [yours, row('zero'), row('poisson-last')], { id: 'admin-scoring-table', caption: t('admin.scoring.caption') }),
    el('p', { class: 'muted' }, t('admin.scoring.benchNote')));
}

// ---- data import (conflict events, deployments) ----------------------------------

// dataTab imports conflict event files (UCDP GED, ACLED, HXL, GeoJSON) as
// `vigil import` does and Geo-PKO / CSV / GeoJSON deployments as `vigil
// deploy import` does. A bad row refuses the whole file and names its line.
function dataTab(body) {
  const out = status();
  const file = el('input', { type: 'file', accept: '.csv,.geojson,.json,text/csv,application/geo+json', required: true });
  const format = select([['', t('admin.data.formatAuto')], ['ged', 'UCDP GED'], ['acled', 'ACLED'], ['hxl', 'HXL'], ['geojson', 'GeoJSON']], '');
  const policy = select([['', t('admin.data.keep')], ['strict', t('admin.data.strict')], ['repair', t('admin.data.repair')]], '');
  const check = el('input', { type: 'checkbox', id: 'admin-events-check' });
  const submit = el('button', { type: 'submit' }, t('admin.data.import'));
  const form = el('form', { id: 'admin-events-form' }, el('div', { class: 'form-row top' },
    field('admin-events-file', 'admin.data.file', file, 'admin.data.fileHint'), field('admin-events-format', 'admin.data.format', format),
    field('admin-events-policy', 'admin.data.policy', policy, 'admin.data.policyHint')),
  el('div', { class: 'field' }, el('label', { for: 'admin-events-check' }, check, ' ', t('admin.data.check'))), submit);
  Vigil.filePick(file);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const fd = new FormData();
    fd.append('file', f, f.name);
    submit.disabled = true;
    say(out, 'info', t('admin.data.importing', { name: f.name }));
    try {
      const res = await Vigil.api('/api/v1/events/import', { method: 'POST', body: fd, raw: true,
        query: { format: format.value, strict: policy.value === 'strict' ? 'true' : '', repair: policy.value === 'repair' ? 'true' : '', check: check.checked ? 'true' : '' } });
      let r = null;
      try { r = await res.json(); } catch { r = null; }
      if (!res.ok) {
        // A refusal the catalog says names its file, line and column in the
        // page's language; another is the server's English after them.
        const said = (r && r.key) || res.status >= 500;
        const where = !said && r && r.line ? t('admin.data.where', { line: Vigil.num(r.line), field: r.field || '—' }) : '';
        say(out, 'error', el('strong', {}, t('admin.data.refused')), ' ', where, ' ', el('code', { id: 'admin-events-error' }, fileRefusal(res, r)));
        return;
      }
      const summary = el('dl', { class: 'pairs', id: 'admin-events-summary' },
        el('dt', {}, t('admin.data.inserted')), el('dd', { 'data-n': r.inserted }, Vigil.num(r.inserted)),
        el('dt', {}, t('admin.data.updated')), el('dd', {}, Vigil.num(r.updated)),
        el('dt', {}, t('admin.data.unchanged')), el('dd', {}, Vigil.num(r.unchanged)),
        el('dt', {}, t('admin.data.inconsistent')), el('dd', { id: 'admin-events-inconsistent' }, Vigil.num(r.inconsistent_estimates)),
        r.repaired ? el('dt', {}, t('admin.data.repaired')) : null, r.repaired ? el('dd', {}, Vigil.num(r.repaired)) : null);
      say(out, 'ok', el('p', {}, t(check.checked ? 'admin.data.checked' : 'admin.data.imported', { name: f.name })), summary,
        r.inconsistent_estimates ? el('p', { class: 'muted' }, t('admin.data.inconsistentHelp')) : null,
        check.checked ? null : el('p', {}, el('a', { href: '#/map' }, t('admin.data.toMap'))));
      if (!check.checked) { file.value = ''; Vigil.emit('events-imported', r); }
    } catch (e) { failed(out, e); } finally { submit.disabled = false; }
  });

  const dout = status();
  const dfile = el('input', { type: 'file', accept: '.csv,.geojson,.json,text/csv,application/geo+json', required: true });
  const dformat = select([['geopko', 'Geo-PKO'], ['csv', 'CSV'], ['geojson', 'GeoJSON']], 'geopko');
  const dform = el('form', { id: 'admin-deploy-form' }, el('div', { class: 'form-row' },
    field('admin-deploy-file', 'admin.data.deployFile', dfile), field('admin-deploy-format', 'admin.data.format', dformat)),
  el('button', { type: 'submit' }, t('admin.data.deployImport')));
  Vigil.filePick(dfile);
  dform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = dfile.files[0];
    if (!f) return;
    try {
      const r = await Vigil.api('/api/v1/coverage/deployments', { json: { format: dformat.value, name: f.name, data: await f.text() } });
      say(dout, 'ok', t('admin.data.deployed', { name: f.name, n: Vigil.num(r.deployments), ins: Vigil.num(r.inserted), upd: Vigil.num(r.updated) }));
      dfile.value = '';
    } catch (e) { say(dout, 'error', el('strong', {}, t('admin.data.refused')), ' ', el('code', { id: 'admin-deploy-error' }, Vigil.errMsg(e))); }
  });
  // A CSV's columns (coverage.NativeColumns): a header to copy, and what
  // each needs; without it the only way to learn them was the source.
  const columns = el('div', { class: 'muted', id: 'admin-deploy-help' }, el('p', {}, t('admin.data.deployHeader')),
    el('pre', {}, el('code', { id: 'admin-deploy-columns' }, 'id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility,cost,location,country')),
    el('p', {}, t('admin.data.deployColumns')));
  body.append(card('admin.data.eventsTitle', el('p', { class: 'muted' }, t('admin.data.help')), form, out),
    card('admin.data.deployTitle', el('p', { class: 'muted' }, t('admin.data.deployHelp')), columns, dform, dout));
}
