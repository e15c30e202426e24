// Community alerts: the live queue of incidents (new alerts appear without
// reload: the page follows the Server-Sent Events stream
// /api/v1/alerts/stream, and polls /api/v1/alerts?since_id= every 5 s while
// the stream is down or unsupported), the incident page with
// its alerts, timeline and triage controls, the SLA dashboard (median and
// 90th percentile time to triage and to response by week), and a map layer
// of open incidents. Viewers see it read-only, without reporters' details.
import { Vigil } from './core/vigil.js';
import { guillemets } from './core/text.js';
import { channelForm } from './admin.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const POLL_MS = Vigil.every('alertsPoll', 5000);
const NEXT = {
  received: ['triaged', 'false'],
  triaged: ['verified', 'unverified', 'false'],
  unverified: ['verified', 'false', 'closed'],
  verified: ['dispatched', 'resolved'],
  dispatched: ['resolved'],
  resolved: ['closed'],
  false: ['closed', 'triaged'],
  closed: [],
};
const COLOUR = { received: '#c0392b', triaged: '#e67e22', verified: '#8e44ad', unverified: '#7f8c8d', false: '#bdc3c7', dispatched: '#2980b9', resolved: '#27ae60', closed: '#95a5a6' };

// dur says a span in seconds in hours and minutes ("1 h 6 min"), never as decimal hours.
function dur(s) {
  if (s == null) return '—';
  if (s < 60) return t('app.dur.min', { n: Vigil.num(Math.round(s / 60)) });
  return Vigil.duration(s);
}

function statusBadge(s) {
  return el('span', { class: `alerts-status alerts-st-${s}` }, t('alerts.status.' + s));
}

const CATEGORIES = ['attack_on_civilians', 'sexual_violence', 'abduction', 'displacement', 'looting_property', 'threat_rumour', 'armed_group_movement', 'other'];
const SEXES = ['female', 'male', 'unknown', 'not_asked'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];
// How alerts come in, as GET /api/v1/alerts/stats counts them (by_source):
// each channel kind's own route, and alerts taken by telephone or in person.
const SOURCES = ['smssync', 'twilio', 'webhook', 'web', 'phone'];

// incidentHref is an incident's own address (the escalation webhook links to it too).
const incidentHref = (id) => `#/alerts/incident/${id}`;

// place names the incident's place, never by coordinates.
function place(inc) {
  return inc.place_label || (inc.location && inc.location.place) || t('alerts.placeUnknown');
}

// incidentTitle: the responder's title, else category · place · time.
function incidentTitle(inc) {
  if (inc.title) return inc.title;
  const cat = inc.category ? t('alerts.cat.' + inc.category) : t('alerts.cat.none');
  return `${cat} · ${place(inc)} · ${Vigil.dateTime(inc.first_at)}`;
}

// clock shows the running SLA timer: time left, or overdue by how long.
function clock(inc) {
  if (!inc.sla) return '';
  const left = inc.sla.left_s;
  const late = left < 0;
  return el('span', { class: 'alerts-clock' + (late ? ' alerts-clock-late' : '') },
    t(`alerts.clock.${inc.sla.kind}.${late ? 'late' : 'left'}`, { d: dur(Math.abs(left)) }));
}

function locStatus(inc) {
  const l = inc.location || {};
  if (l.status === 'manual') return t('alerts.loc.setBy', { role: t('role.' + (l.set_by || 'responder')) });
  if (l.status === 'resolved') return t('alerts.loc.resolved');
  return t('alerts.loc.' + (l.status || 'unresolved'));
}

function incidentRow(inc) {
  return el('li', { class: 'alerts-inc' + (inc.overdue ? ' alerts-overdue' : '') },
    el('a', { href: incidentHref(inc.id), class: 'alerts-open', 'data-inc': String(inc.id) }, `#${inc.id} `, incidentTitle(inc)),
    ' ', statusBadge(inc.status),
    // « haute » alone said nothing in French: « priorité haute », "high priority".
    inc.priority ? el('span', { class: 'alerts-prio' }, t('alerts.prio.badge', { priority: t('alerts.prio.' + inc.priority) })) : '',
    ' ', clock(inc),
    // The reporter's words, in the reporter's language: cut after a whole
    // word (the server), the whole text the row's title when cut.
    inc.preview ? el('p', { class: 'alerts-preview', translate: 'no', title: inc.preview_full || null }, inc.preview) : '',
    el('div', { class: 'muted' },
      el('span', { class: 'alerts-cat' }, inc.category ? t('alerts.cat.' + inc.category) : t('alerts.cat.none')), ' · ',
      el('span', { class: 'alerts-place' }, place(inc)), ' · ',
      t('alerts.count', { n: inc.alert_count }), ' · ', Vigil.dateTime(inc.first_at),
      inc.location && inc.location.status !== 'resolved' ? el('em', {}, ' · ' + locStatus(inc)) : ''));
}

// How long the statistics and the channels wait, once the queue is drawn,
// for the alerts to leadership to be listed above them (showQueue).
const LEAD_WAIT_MS = 2000;

// showQueue draws the queue into root; drawn() is called once its fields
// are in the page (the phone form, drawn before the queue's answer comes).
async function showQueue(root, drawn = () => {}) {
  const list = el('ul', { id: 'alerts-list', class: 'alerts-list' }, el('li', { class: 'muted', id: 'alerts-loading' }, t('alerts.loading')));
  const only = el('input', { type: 'checkbox', id: 'alerts-open', checked: true });
  const head = el('div', { class: 'alerts-bar' },
    el('h1', {}, t('alerts.title')),
    el('label', {}, only, ' ', t('alerts.openOnly')),
    el('span', { id: 'alerts-live', class: 'muted', 'aria-live': 'polite' }),
    el('span', { id: 'alerts-mode', class: 'muted' }));
  const sla = el('section', { id: 'alerts-sla' });
  const channelsBox = el('section', { id: 'alerts-channels' });
  // performance.js lists the open alerts to leadership in their box, from
  // its own request. Drawn over the phone form and the queue, it pushed
  // them down when it came (the phone form's button under a pointer on its
  // way to it); waiting for it before drawing them (3be65c0) made the
  // queue wait on another service. The box stands under the queue, hidden
  // until the queue is drawn, and the statistics and the channels under it
  // come once it is filled — or, when its request takes longer than
  // LEAD_WAIT_MS, it goes to the page's foot, where it pushes nothing.
  const leadBox = el('section', { id: 'alerts-leadership', hidden: '' });
  root.replaceChildren(head, list, leadBox, sla, channelsBox);
  const lead = Promise.allSettled(Vigil.emit('alerts-queue', root) || []);
  // The statistics and the channels are asked for now, and drawn in the
  // page's order once the queue above them is (below): each drawn as its
  // answer came pushed what is under it down (the channel form by 37 and
  // then 1,067 px), so a click aimed at a control there pressed the page.
  const asked = (p) => { p.catch(() => {}); return p; }; // its failure is said where it is drawn
  const stats = asked(Vigil.api('/api/v1/alerts/stats', { query: { weeks: '12' } }));
  const channels = Vigil.can('admin') ? asked(Vigil.api('/api/v1/alerts/channels')) : null;
  async function load() {
    // Only the newest load draws: the box ticked again, or the live
    // stream's reload, may answer before an earlier one.
    const mine = Vigil.latest(list);
    const rows = await Vigil.api('/api/v1/alerts/incidents', { query: only.checked ? { open: '1', lang: Vigil.lang } : { lang: Vigil.lang } });
    if (!mine() || routeIncident() || !list.isConnected) return; // the user has opened an incident meanwhile
    // A redraw must not take the keyboard user's place: keep focus on the
    // same incident's link when it is still in the queue.
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.inc : null;
    list.replaceChildren(...(rows.length ? rows.map((r) => incidentRow(r)) : [el('li', { class: 'muted', id: 'alerts-empty' }, t(only.checked ? 'alerts.emptyOpen' : 'alerts.emptyAll'))]));
    if (focused) list.querySelector(`a[data-inc="${focused}"]`)?.focus();
  }
  only.addEventListener('change', () => load().catch((e) => Vigil.notify(Vigil.errText(e), 'error')));
  // An alert typed in redraws the queue and the statistics (counted by source).
  if (Vigil.can('responder')) head.after(phoneForm(() => Promise.all([load(), showSLA(sla)])));
  drawn();
  await load();
  const inTime = await Promise.race([lead.then(() => true), new Promise((r) => setTimeout(r, LEAD_WAIT_MS, false))]);
  if (!head.isConnected) return; // another page, or an incident, is shown meanwhile
  if (!inTime) root.append(leadBox);
  leadBox.hidden = false;
  await showSLA(sla, stats).catch((e) => Vigil.notify(Vigil.errText(e), 'error'));
  if (channels) showChannels(root.querySelector('#alerts-channels'), channels).catch((e) => Vigil.notify(Vigil.errText(e), 'error'));
  // Live: the stream says when the queue changed (ids only) and we reload
  // it; while the stream is down (or the browser has no EventSource) we poll
  // for alerts newer than the newest we have seen.
  const live = head.querySelector('#alerts-live');
  const mode = head.querySelector('#alerts-mode');
  let since = 0;
  try {
    const latest = await Vigil.api('/api/v1/alerts', { query: { limit: '1' } });
    since = latest.length ? latest[0].id : 0;
  } catch (e) { /* shown by the banner */ }
  // One reload at a time; changes during a reload cause one more.
  let reloading = false;
  let again = false;
  const reload = async () => {
    if (reloading) { again = true; return; }
    reloading = true;
    try {
      do {
        again = false;
        await load();
      } while (again);
    } catch (e) { /* offline banner handles it */ } finally { reloading = false; }
  };
  // The mode follows the count of new alerts after a separator, or stands
  // alone while nothing new has come (it read « · en direct »).
  const setMode = (m = mode.dataset.mode) => {
    if (!m) return;
    mode.dataset.mode = m;
    mode.textContent = (live.textContent ? ' · ' : '') + t('alerts.live.' + m);
  };
  const setLive = (n) => {
    live.textContent = t('alerts.new', { n });
    setMode();
  };
  let timer = null;
  const poll = async () => {
    try {
      const fresh = await Vigil.api('/api/v1/alerts', { query: { since_id: String(since), limit: '100' } });
      if (fresh.length) {
        since = Math.max(since, ...fresh.map((a) => a.id));
        setLive(fresh.length);
        await reload();
      }
    } catch (e) { /* offline banner handles it */ }
  };
  const startPolling = () => {
    if (!timer) timer = setInterval(poll, POLL_MS);
    setMode('poll');
  };
  const stopPolling = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  let es = null;
  if (typeof EventSource === 'function') {
    es = new EventSource('/api/v1/alerts/stream');
    es.addEventListener('hello', () => {
      // (Re)connected: stop polling and catch up on anything missed.
      stopPolling();
      setMode('stream');
      reload();
    });
    es.addEventListener('queue', (ev) => {
      let c = {};
      try { c = JSON.parse(ev.data); } catch (e) { /* reload anyway */ }
      if (Array.isArray(c.alerts) && c.alerts.length) {
        since = Math.max(since, ...c.alerts);
        setLive(c.alerts.length);
      }
      reload();
    });
    // The browser reconnects by itself after a network error (and after the
    // server ends a stream); it gives up for good on an error answer (e.g.
    // 401, 503). Either way we poll until a stream says hello again.
    es.onerror = () => startPolling();
  } else {
    startPolling();
  }
  return () => {
    stopPolling();
    if (es) es.close();
  };
}

/** The first day (Monday) of an ISO week "2026-W48", written as the UI writes dates ("23 November 2026"); the text as given when it is not one. */
function weekStart(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(String(week ?? ''));
  if (!m) return String(week ?? '');
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4)); // always in week 1
  const monday = new Date(jan4.getTime() + (((Number(m[2]) - 1) * 7) - ((jan4.getUTCDay() + 6) % 7)) * 86400000);
  return Vigil.date(monday.toISOString().slice(0, 10));
}

/** The SLA statistics into box, from asked (their request, made by the caller) or a new request. */
async function showSLA(box, asked) {
  const s = await (asked || Vigil.api('/api/v1/alerts/stats', { query: { weeks: '12' } }));
  const rows = s.weeks.map((w) => el('tr', {},
    el('td', { title: w.week }, weekStart(w.week)), el('td', {}, Vigil.num(w.incidents)),
    el('td', {}, dur(w.triage_median_s)), el('td', {}, dur(w.triage_p90_s)),
    el('td', {}, dur(w.response_median_s)), el('td', {}, dur(w.response_p90_s))));
  box.replaceChildren(
    el('h2', {}, t('alerts.sla.title')),
    el('p', { class: 'muted' }, t('alerts.sla.targets', { tr: dur(s.sla.triage_s), rs: dur(s.sla.response_s) })),
    Vigil.scrollTable(el('table', { class: 'alerts-sla' },
      el('thead', {}, el('tr', {}, ...['week', 'incidents', 'triageMed', 'triageP90', 'respMed', 'respP90'].map((k) => el('th', { scope: 'col' }, t('alerts.sla.' + k))))),
      el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '6' }, t('alerts.sla.empty')))])))),
    // the three small tables side by side (stacked, each left two thirds
    // of the page empty), each under the other on a narrow screen
    el('div', { class: 'alerts-breakdowns' },
      breakdown('alerts-by-cat', t('alerts.stats.byCategory'), t('alerts.stats.colCategory'), s.by_category || {}, [...CATEGORIES, 'none'], 'alerts.cat.'),
      breakdown('alerts-by-source', t('alerts.stats.bySource'), t('alerts.stats.colSource'), s.by_source || {}, SOURCES, 'alerts.source.', t('alerts.alerts')),
      s.by_reporter_sex ? breakdown('alerts-by-sex', t('alerts.stats.bySex'), t('alerts.stats.colSex'), s.by_reporter_sex, [...SEXES, 'none'], 'alerts.sex.')
        : el('p', { class: 'muted', id: 'alerts-by-sex' }, t('alerts.stats.bySexHidden'))));
}

// breakdown is a table of counts (of incidents, unless counted says what)
// under its title (the caption), its rows' column named by the short noun
// what (the title again there read « Incidents par catégorie | Incidents »).
function breakdown(id, title, what, counts, keys, prefix, counted = t('alerts.sla.incidents')) {
  return Vigil.scrollTable(el('table', { class: 'alerts-sla', id },
    el('caption', {}, title),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, what), el('th', { scope: 'col' }, counted))),
    el('tbody', {}, ...keys.map((k) => el('tr', {}, el('th', { scope: 'row' }, t(prefix + k)), el('td', {}, Vigil.num(counts[k] || 0)))))));
}

function channelRows(rows) {
  return rows.map((c) => el('tr', {}, el('td', {}, t('admin.channels.kind.' + c.kind) + (c.tipline ? ' · ' + t('admin.channels.tiplineShort') : '')), el('td', {}, c.name),
    el('td', {}, t('admin.channels.basis.' + String(c.legal_basis).replace(' ', '_'))), el('td', {}, el('code', {}, c.intake_url))));
}

/** The channels card into box, from asked (the channel list's request). */
async function showChannels(box, asked) {
  const rows = await asked;
  box.replaceChildren(
    el('h2', {}, t('alerts.ch.title')),
    // words, not figures: left-aligned (the response-time tables' right
    // alignment set the names and addresses against the right edge)
    Vigil.scrollTable(el('table', { class: 'full', id: 'alerts-channels-table' },
      el('thead', {}, el('tr', {}, ...['kind', 'name', 'basis', 'url'].map((k) => el('th', { scope: 'col' }, t('alerts.ch.' + k))))),
      el('tbody', {}, ...channelRows(rows)))),
    // one link, the page's name (a whole sentence as a link read as two,
    // « … : Administration → » / « Canaux de réception », once wrapped)
    Vigil.can('admin') ? el('p', {}, t('alerts.ch.manage'), ' ', el('a', { href: '#/admin?tab=channels', class: 'alerts-manage' }, t('alerts.ch.manageLink'))) : null,
    // the administration page's channel form (secret made and shown once, Tipline box, QR code)
    channelForm(() => {
      // the list above, redrawn under the form's confirmation (kept)
      Vigil.api('/api/v1/alerts/channels').then((rs) => {
        const tb = box.querySelector('tbody');
        if (tb) tb.replaceChildren(...channelRows(rs));
      }).catch((e) => Vigil.notify(Vigil.errText(e), 'error'));
    }));
}

// phoneForm records an alert taken by telephone or heard in person (a
// community liaison assistant called from a village) through
// POST /api/v1/alerts, on one of the web channels; the reporter's number and
// name are optional and sealed at rest. reload redraws the queue.
function phoneForm(reload) {
  const f = (id, label, input, hint) => el('label', { for: id }, label, hint ? el('span', { class: 'muted', id: id + '-hint' }, hint) : '', input);
  const channel = el('select', { id: 'alerts-phone-channel', required: true });
  const message = el('textarea', { id: 'alerts-phone-message', rows: '3', maxlength: '640', required: true });
  const from = el('input', { id: 'alerts-phone-from', type: 'tel', autocomplete: 'off', 'aria-describedby': 'alerts-phone-sealed' });
  const name = el('input', { id: 'alerts-phone-name', type: 'text', autocomplete: 'off', 'aria-describedby': 'alerts-phone-sealed' });
  const cat = el('select', { id: 'alerts-phone-cat', 'aria-describedby': 'alerts-phone-triage' },
    el('option', { value: '' }, t('alerts.cat.none')), ...CATEGORIES.map((c) => el('option', { value: c }, t('alerts.cat.' + c))));
  const prio = el('select', { id: 'alerts-phone-prio', 'aria-describedby': 'alerts-phone-triage' },
    el('option', { value: '' }, '—'), ...PRIORITIES.map((p) => el('option', { value: p }, t('alerts.prio.' + p))));
  const where = el('input', { id: 'alerts-phone-place', type: 'search', autocomplete: 'off', 'aria-describedby': 'alerts-phone-place-hint alerts-phone-place-say' });
  // What the place search says of itself (a place name is needed), by the
  // field, as the incident's « Corriger le lieu » does (locationEditor).
  const whereSay = el('p', { id: 'alerts-phone-place-say', class: 'alerts-say', role: 'status', 'aria-live': 'polite' });
  const places = el('ul', { id: 'alerts-phone-places', class: 'alerts-loc-results' });
  const status = el('p', { id: 'alerts-phone-say', class: 'alerts-say', role: 'status', 'aria-live': 'polite' });
  const saying = (text, kind) => { status.textContent = text; status.className = 'alerts-say alerts-say-' + kind; };
  let pick = null; // a gazetteer place: {label, lat, lon}
  let clientID = ''; // the same id for retries of one alert (idempotent)
  where.addEventListener('input', () => { pick = null; });
  const search = async () => {
    const q = where.value.trim();
    // An empty field searched nothing and said nothing.
    if (!q) {
      whereSay.textContent = t('alerts.loc.needName');
      where.focus();
      return;
    }
    whereSay.textContent = '';
    const mine = Vigil.latest(places);
    try {
      const r = await Vigil.api('/api/v1/places/search', { query: { q, limit: '8', lang: Vigil.lang } });
      if (!mine()) return;
      places.replaceChildren(...(r.places.length ? r.places.map((p) => el('li', {}, el('button', { type: 'button', class: 'linklike', onclick: () => {
        pick = { label: p.label, lat: p.lat, lon: p.lon };
        where.value = p.label;
        places.replaceChildren();
        saying(t('alerts.phone.placeChosen', { place: p.label }), 'info');
      } }, p.label))) : [el('li', { class: 'muted' }, t('alerts.loc.none'))]));
    } catch (e) { if (mine()) saying(Vigil.errMsg(e), 'error'); }
  };
  where.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });
  const form = el('form', { id: 'alerts-phone-form', class: 'alerts-controls' },
    f('alerts-phone-channel', t('alerts.phone.channel'), channel),
    f('alerts-phone-message', t('alerts.phone.message'), message),
    el('fieldset', {},
      el('legend', {}, t('alerts.phone.reporter')),
      el('p', { id: 'alerts-phone-sealed', class: 'muted' }, t('alerts.phone.sealed')),
      f('alerts-phone-from', t('alerts.phone.from'), from),
      f('alerts-phone-name', t('alerts.phone.name'), name)),
    el('p', { id: 'alerts-phone-triage', class: 'muted' }, t('alerts.phone.triage')),
    el('div', { class: 'alerts-grid' }, f('alerts-phone-cat', t('alerts.catLabel'), cat), f('alerts-phone-prio', t('alerts.prioLabel'), prio)),
    f('alerts-phone-place', t('alerts.phone.place'), where, t('alerts.phone.placeHint')),
    el('button', { type: 'button', id: 'alerts-phone-search', onclick: search }, t('alerts.loc.search')),
    whereSay,
    places,
    el('button', { type: 'submit', id: 'alerts-phone-submit' }, t('alerts.phone.submit')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!clientID) clientID = 'phone-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    const body = { channel: channel.value, message: message.value, from: from.value.trim(), name: name.value.trim(), id: clientID };
    if (cat.value) body.category = cat.value;
    if (prio.value) body.priority = prio.value;
    const w = where.value.trim();
    if (pick && pick.label === w) Object.assign(body, { location: pick.label, lat: pick.lat, lon: pick.lon });
    else if (w) body.location = w;
    try {
      const a = await Vigil.api('/api/v1/alerts', { method: 'POST', json: body, idempotent: true });
      clientID = '';
      pick = null;
      for (const i of [message, from, name, where, cat, prio]) i.value = '';
      saying(t('alerts.phone.saved', { id: a.id, inc: a.incident_id }), 'info');
      reload().catch(() => {});
    } catch (e) {
      saying(Vigil.errMsg(e), 'error');
      // The first send was stored (its answer was lost) and the text was
      // edited since: the server kept the first version. Offer to send this
      // one as a new alert (a new client id).
      if (e && e.key === 'alerts.refusal.id-other-content') {
        status.append(' ', el('button', { type: 'button', id: 'alerts-phone-new', onclick: () => { clientID = ''; form.requestSubmit(); } }, t('alerts.phone.sendNew')));
      }
    }
  });
  const channels = () => Vigil.api('/api/v1/alerts/web-channels').then((cs) => {
    channel.replaceChildren(...cs.map((c) => el('option', { value: c.key }, c.name)));
    if (!cs.length) saying(t('alerts.phone.noChannel'), 'error');
    else if (status.classList.contains('alerts-say-error')) saying('', 'info');
  }).catch((e) => saying(Vigil.errMsg(e), 'error'));
  channels();
  // Opened while the server could not be reached: the channels come when it
  // answers again, so that what was typed meanwhile can be sent (the page
  // is not reopened over it).
  const off = Vigil.on('reconnect', () => {
    if (!form.isConnected) off();
    else if (!channel.options.length) channels();
  });
  return el('details', { id: 'alerts-phone', class: 'alerts-phone' },
    el('summary', {}, t('alerts.phone.title')),
    el('p', { class: 'muted' }, t('alerts.phone.intro')),
    form);
}

// say puts a message in the page's status line (an aria-live region that
// stays in the page, so screen readers announce each message).
function say(text, kind = 'info') {
  const box = document.getElementById('alerts-say');
  if (!box) return;
  box.textContent = text;
  box.className = 'alerts-say alerts-say-' + kind;
}

// fail shows an API error: a refusal the server says as a message of the
// dictionary in the page's language (Vigil.errText), else translated when
// the server names a field we know.
function fail(e) {
  const key = e && e.field ? 'alerts.err.' + e.field : '';
  const msg = e && e.key ? Vigil.errText(e) : key && t(key) !== key ? t(key) + ' (' + e.message + ')' : (e && e.message) || String(e);
  say(msg, 'error');
}

const saved = { text: '' };
// The change to an incident last sent and not yet answered, by incident id:
// {json: the change, rid: its request_id}, kept across redrawings (a
// language switch) so that the same change sent again has the same id.
const pending = new Map();

// showIncident draws incident id in root (from data, else fetched) and
// answers whether it drew: the user may have moved on while the answer
// came (another incident, the queue, another page), or a newer drawing
// been asked for (a language switch, a change saved again).
async function showIncident(root, id, back, data) {
  const mine = Vigil.latest(root);
  const d = data || await Vigil.api(`/api/v1/alerts/incidents/${id}`, { query: { lang: Vigil.lang } });
  if (!mine() || routeIncident() !== id) return false;
  const inc = d.incident;
  delete root.dataset.dirty;
  const canWork = Vigil.can('responder');
  const controls = el('div', { class: 'alerts-controls' });
  // After a change the page is redrawn; the keyboard user stays on the
  // control they used when it is still there (else on the title).
  const refresh = () => {
    const was = root.contains(document.activeElement) ? document.activeElement.id : '';
    return showIncident(root, id, back).then(() => {
      if (saved.text) say(saved.text);
      saved.text = '';
      if (was) document.getElementById(was)?.focus();
    }).catch(fail);
  };
  // Each change carries an id (request_id), the same when the same change
  // is sent again (its answer lost on the way): the server makes it once.
  const patch = async (body, msg) => {
    const json = JSON.stringify(body);
    const p = pending.get(id);
    const rid = p && p.json === json ? p.rid : 'change-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    pending.set(id, { json, rid });
    try {
      say(t('alerts.saving'));
      await Vigil.api(`/api/v1/alerts/incidents/${id}`, { method: 'PATCH', json: { ...body, request_id: rid }, idempotent: true });
      if (pending.get(id)?.rid === rid) pending.delete(id);
      saved.text = msg || t('alerts.saved');
      await refresh();
    } catch (e) { fail(e); }
  };
  let locBox = '';
  if (canWork) {
    const title = el('input', { id: 'alerts-title', value: inc.title, maxlength: '200' });
    const summary = el('textarea', { id: 'alerts-summary', rows: '3' }, inc.summary || '');
    const prio = el('select', { id: 'alerts-prio' },
      el('option', { value: '' }, '—'), ...PRIORITIES.map((p) => el('option', { value: p, selected: inc.priority === p }, t('alerts.prio.' + p))));
    const cat = el('select', { id: 'alerts-cat' },
      el('option', { value: '' }, t('alerts.cat.none')), ...CATEGORIES.map((c) => el('option', { value: c, selected: inc.category === c }, t('alerts.cat.' + c))));
    const sex = el('select', { id: 'alerts-sex' },
      el('option', { value: '' }, t('alerts.sex.none')), ...SEXES.map((c) => el('option', { value: c, selected: inc.reporter_sex === c }, t('alerts.sex.' + c))));
    const assignee = el('input', { id: 'alerts-assignee', value: inc.assignee, maxlength: '100' });
    const note = el('textarea', { id: 'alerts-note', rows: '2' });
    const field = (label, input) => el('label', { for: input.id }, label, input);
    controls.append(
      el('div', { role: 'group', class: 'btn-row alerts-move', 'aria-label': t('alerts.moveTo') }, ...(NEXT[inc.status] || []).map((s) => el('button', { type: 'button', id: 'alerts-to-' + s, onclick: () => patch({ status: s }, t('alerts.movedTo', { s: t('alerts.status.' + s) })) }, t('alerts.to.' + s)))),
      el('div', { class: 'alerts-grid' },
        field(t('alerts.catLabel'), cat), field(t('alerts.sexLabel'), sex),
        field(t('alerts.prioLabel'), prio), field(t('alerts.assigneeLabel'), assignee)),
      field(t('alerts.titleLabel'), title), field(t('alerts.summaryLabel'), summary),
      field(t('alerts.noteLabel'), note),
      el('button', { type: 'button', id: 'alerts-save', onclick: () => {
        const body = { title: title.value, summary: summary.value, assignee: assignee.value, note: note.value, category: cat.value, reporter_sex: sex.value };
        if (prio.value) body.priority = prio.value;
        patch(body);
      } }, t('alerts.save')),
      ['verified', 'dispatched', 'resolved'].includes(inc.status)
        ? el('button', { type: 'button', id: 'alerts-cap', onclick: async () => {
          // The title is what partners read (the reporters' words never are).
          if (!(inc.title || '').trim()) {
            say(t('alerts.cap.needTitle'), 'error');
            title.focus();
            return;
          }
          try {
            const p = await Vigil.api(`/api/v1/alerts/incidents/${id}/cap`, { method: 'POST', query: { lang: Vigil.lang } });
            saved.text = t('alerts.capDone', { id: p.identifier });
            refresh();
          } catch (e) { fail(e); }
        } }, t('alerts.publishCAP')) : '',
      Vigil.can('analyst') && ['verified', 'dispatched', 'resolved', 'closed'].includes(inc.status)
        ? el('button', { type: 'button', id: 'alerts-event', onclick: async () => {
          try {
            const r = await Vigil.api(`/api/v1/alerts/incidents/${id}/event`, { method: 'POST', json: {} });
            saved.text = t('alerts.eventDone', { id: r.event_id });
            refresh();
          } catch (e) { fail(e); }
        } }, t('alerts.toEvent')) : '');
    locBox = locationEditor(inc, patch);
    if (!['resolved', 'closed', 'false'].includes(inc.status)) controls.append(escalateForm(id, inc, refresh, d.timeline));
  }
  const alertItems = d.alerts.map((a) => {
    const who = el('span', { class: 'muted', id: `alerts-who-${a.id}` }, a.phone_masked || '', a.name_masked ? ' ' + a.name_masked : '', a.anonymised ? t('alerts.anonymised') : '');
    const li = el('li', {}, el('div', {}, `#${a.id} · ${Vigil.dateTime(a.received_at)} `, a.intake === 'phone' ? el('span', { class: 'alerts-source' }, t('alerts.source.phone'), ' · ') : '', who), a.message ? el('p', { class: 'alerts-msg', translate: 'no' }, a.message) : '',
      a.location && a.location.note ? el('p', { class: 'muted' }, serverText(SERVER_NOTE, 'note', a.location.note)) : '');
    if (canWork && d.alerts.length > 1) {
      li.append(el('button', { type: 'button', onclick: async () => {
        try {
          const to = await Vigil.api(`/api/v1/alerts/${a.id}/move`, { method: 'POST', json: { incident: 0 } });
          saved.text = t('alerts.moved', { id: to.id });
          refresh();
        } catch (e) { fail(e); }
      } }, t('alerts.split')));
    }
    if (canWork && a.has_reporter && !a.anonymised) {
      li.append(el('button', { type: 'button', class: 'alerts-reveal', id: `alerts-reveal-${a.id}`, onclick: async () => {
        const reason = await Vigil.ask({ title: 'alerts.revealTitle', text: 'alerts.revealAudit', reason: 'alerts.revealWhy', confirm: 'alerts.reveal', maxBytes: 500 }); // Service.Reveal's limit
        if (reason === null) return;
        try {
          const r = await Vigil.api(`/api/v1/alerts/${a.id}/reveal`, { method: 'POST', json: { reason } });
          // The page may have been redrawn (the live stream) while the dialog was open.
          (document.getElementById(`alerts-who-${a.id}`) || who).textContent = `${r.phone || ''} ${r.name || ''}`;
        } catch (e) { fail(e); }
      } }, t('alerts.reveal')));
      li.append(replyForm(a, (d.reply_routes || {})[a.id]));
    }
    return li;
  });
  const timeline = d.timeline.map((l) => el('li', {}, el('time', { datetime: l.at }, Vigil.dateTime(l.at)), ` · ${l.actor === 'system' ? t('alerts.log.system') : l.actor} · `,
    t('alerts.log.line', { kind: t('alerts.log.' + l.kind), text: serverText(SERVER_LOG, l.kind, l.text) }),
    l.delivery ? [' — ', el('span', { class: 'alerts-delivery alerts-delivery-' + l.delivery.state }, deliveryText(l.delivery))] : ''));
  // The escalations' times: the incident keeps the first (escalated_at);
  // a later one, by hand or overdue, is a line of the timeline.
  const escalations = d.timeline.filter((l) => l.kind === 'escalate').map((l) => l.at).sort();
  const lastEscalation = escalations.length ? escalations[escalations.length - 1] : inc.escalated_at;
  const h1 = el('h1', { tabindex: '-1', id: 'alerts-inc-title' }, `#${inc.id} `, incidentTitle(inc), ' ', statusBadge(inc.status));
  // A redraw of the same incident (the live stream, another user's change)
  // keeps the status line's last message and the keyboard user's place.
  const same = root.dataset.incident === String(id);
  const lastSay = same && data ? root.querySelector('#alerts-say') : null;
  const focusedId = same && data && root.contains(document.activeElement) ? document.activeElement.id : '';
  root.dataset.incident = String(id);
  root.replaceChildren(
    el('a', { href: '#/alerts', class: 'alerts-back' }, '← ', t('alerts.back')),
    h1,
    el('p', { id: 'alerts-say', class: 'alerts-say', role: 'status', 'aria-live': 'polite' }),
    inc.overdue ? el('p', { class: 'alerts-late', role: 'alert' }, t('alerts.overdue.' + inc.overdue)) : '',
    ...undeliveredNotices(d.undelivered_notices),
    el('dl', { class: 'alerts-facts' },
      el('dt', {}, t('alerts.catLabel')), el('dd', { id: 'alerts-cat-shown' }, inc.category ? t('alerts.cat.' + inc.category) : t('alerts.cat.none')),
      el('dt', {}, t('alerts.placeLabel')), el('dd', { id: 'alerts-place' }, place(inc), ' ', el('span', { class: 'muted', id: 'alerts-loc-status' }, '(' + locStatus(inc) + ')')),
      inc.sla ? el('dt', {}, t('alerts.clockLabel')) : '', inc.sla ? el('dd', {}, clock(inc)) : '',
      inc.escalated_at ? el('dt', {}, t(Date.parse(lastEscalation) > Date.parse(inc.escalated_at) ? 'alerts.escalatedFirst' : 'alerts.escalatedLabel')) : '', inc.escalated_at ? el('dd', { id: 'alerts-escalated' }, Vigil.dateTime(inc.escalated_at)) : '',
      el('dt', {}, t('alerts.timersLabel')), el('dd', {}, t('alerts.timers', { tr: dur(inc.time_to_triage_s), rs: dur(inc.time_to_response_s) }))),
    inc.summary ? el('p', {}, inc.summary) : '',
    controls,
    locBox,
    capList(d.cap || []),
    el('h2', {}, t('alerts.alerts')), el('ul', { class: 'alerts-alerts' }, ...alertItems),
    el('h2', {}, t('alerts.timeline')), el('ol', { class: 'alerts-timeline' }, ...timeline));
  if (lastSay && lastSay.textContent) say(lastSay.textContent, (/alerts-say-(\w+)/.exec(lastSay.className) || [])[1]);
  if (!data) h1.focus();
  else if (focusedId) document.getElementById(focusedId)?.focus();
  return true;
}

// The states of an escalation notice nobody was told of (alerts.NoticeView).
const NOTICE_LINES = { given_up: 'alerts.notice.givenUp', pending: 'alerts.notice.pending', no_webhook: 'alerts.notice.noWebhook' };

// undeliveredNotices says the escalation notices about the incident that
// nobody was told of (undelivered_notices, answered to analysts and
// admins: given up, waiting long, or no webhook), one line each, with for
// an admin the way to Administration → Escalation notices, which retries
// them.
function undeliveredNotices(ns) {
  return (ns || []).map((n) => el('p', { class: 'alerts-late alerts-notice', 'data-state': n.state },
    t(NOTICE_LINES[n.state] || 'alerts.notice.pending', { n: n.tries }),
    Vigil.can('admin') ? ' ' : '', Vigil.can('admin') ? el('a', { href: '#/admin?tab=notices' }, t('alerts.notice.admin')) : ''));
}

// escalateForm escalates open incident id now, by hand, with the reason
// asked in Vigil.ask (POST /api/v1/alerts/incidents/{id}/escalate: the
// escalation webhook, the timeline and the audit log, as for an overdue
// incident); done redraws.
function escalateForm(id, inc, done, timeline) {
  // The last escalation said (the incident keeps only the first's time).
  const at = (timeline || []).filter((l) => l.kind === 'escalate').map((l) => l.at).sort().pop() || inc.escalated_at;
  const go = el('button', { type: 'button', id: 'alerts-escalate', 'aria-describedby': inc.escalated_at ? 'alerts-escalate-note' : null, onclick: async () => {
    // maxBytes: the server's limit (alerts.MaxEscalateReason, bytes).
    const reason = await Vigil.ask({ title: 'alerts.escalate.title', text: 'alerts.escalate.hint', reason: 'alerts.escalate.why', confirm: 'alerts.escalate.confirm', maxBytes: 1000 });
    if (reason === null) return;
    try {
      await Vigil.api(`/api/v1/alerts/incidents/${id}/escalate`, { method: 'POST', json: { reason } });
      saved.text = t('alerts.escalate.done');
      await done();
    } catch (e) { fail(e); }
  } }, t('alerts.escalate.button'));
  return el('div', { id: 'alerts-escalate-box', class: 'alerts-escalate' }, go,
    inc.escalated_at ? el('p', { class: 'muted', id: 'alerts-escalate-note' }, Date.parse(at) > Date.parse(inc.escalated_at) ? t('alerts.escalate.last', { at: Vigil.dateTime(at) }) : t('alerts.escalate.already', { at: Vigil.dateTime(inc.escalated_at) })) : '');
}

// deliveryText says what became of a reply's message (a timeline line's
// delivery, read from the outbox at each refresh): queued for its
// gateway (to be tried again, and why its last try failed), sent,
// delivered, not sent because the person opted out (and when), or failed
// and why, in the words of the broadcast failures
// (contacts.fail.*; the server's words in its language otherwise).
export function deliveryText(d) {
  const why = () => Vigil.tOr(d.key, d.reason || d.code, d.args);
  if (d.state === 'withheld') return t('alerts.delivery.optedOut', { when: d.opted_out_at ? Vigil.dateTime(d.opted_out_at) : '?' });
  if (d.state === 'failed') return t('alerts.delivery.failed', { reason: why() });
  if (d.state === 'queued' && (d.key || d.reason)) return t('alerts.delivery.retry', { reason: why() });
  return Vigil.tOr('alerts.delivery.' + d.state, d.state);
}

// The server writes the timeline's own lines and the location notes of
// alerts in fixed English forms; serverText reads them back and says them
// in the user's language. Text people wrote (notes, titles) and any form
// not known here are shown as written.
const SERVER_LOG = [
  ['alert', /^alert (\d+) received \(location (\w+)\)$/, (m) => t('alerts.logText.received', { id: m[1], status: Vigil.tOr('alerts.logText.loc.' + m[2], m[2]) })],
  ['status', /^(\w+) → (\w+)$/, (m) => `${Vigil.tOr('alerts.status.' + m[1], m[1])} → ${Vigil.tOr('alerts.status.' + m[2], m[2])}`],
  ['priority', /^(\w+)$/, (m) => Vigil.tOr('alerts.prio.' + m[1], m[1])],
  ['category', /^(\w+)$/, (m) => Vigil.tOr('alerts.cat.' + m[1], m[1])],
  ['reporter_sex', /^(\w+)$/, (m) => Vigil.tOr('alerts.sex.' + m[1], m[1])],
  ['summary', /^summary edited$/, () => t('alerts.logText.summaryEdited')],
  ['location', /^location set by hand to (.+) \((-?[\d.]+), (-?[\d.]+), ±(\d+) m\)$/, (m) => t('alerts.logText.locationPlace', { place: m[1], lat: m[2], lon: m[3], prec: distance(Number(m[4])) })],
  ['location', /^location set by hand to (-?[\d.]+), (-?[\d.]+) \(±(\d+) m\)$/, (m) => t('alerts.logText.locationPoint', { lat: m[1], lon: m[2], prec: distance(Number(m[3])) })],
  ['cap', /^published as CAP (\S+)$/, (m) => t('alerts.logText.cap', { id: m[1] })],
  ['event', /^recorded as event (\d+)$/, (m) => t('alerts.logText.event', { id: m[1] })],
  ['merge', /^alert (\d+) moved to incident (\d+)$/, (m) => t('alerts.logText.movedTo', { id: m[1], to: m[2] })],
  ['merge', /^alert (\d+) moved here from incident (\d+)$/, (m) => t('alerts.logText.movedFrom', { id: m[1], from: m[2] })],
  ['escalate', /^(triage|response) overdue: (\S+) since first alert$/, (m) => t('alerts.logText.escalate.' + m[1], { d: Vigil.durations(m[2]) })],
  ['escalate', /^escalated by hand: ([\s\S]+)$/, (m) => t('alerts.logText.escalate.hand', { reason: m[1] })],
  ['escalate', /^escalated by hand$/, () => t('alerts.logText.escalate.handShort')],
  // An answer's line written before lines said how they went says no way: it went by SMS.
  ['answer', /^fact-check answer for narrative (\d+) sent (?:by (SMS|WhatsApp) )?to (\d+) tipline senders? through ([\s\S]+)$/, (m) => t(m[2] === 'WhatsApp' ? 'alerts.logText.answerWhatsApp' : 'alerts.logText.answer', { id: m[1], n: Vigil.num(Number(m[3])), channel: m[4] })],
  ['reply', /^reply to the reporter of alert (\d+) sent by (SMS|WhatsApp) through ([\s\S]+)$/, (m) => t(m[2] === 'WhatsApp' ? 'alerts.logText.replyWhatsApp' : 'alerts.logText.reply', { id: m[1], channel: m[3] })],
];
const SERVER_NOTE = [
  ['note', /^coordinates given by the sender$/, () => t('alerts.note.coords')],
  ['note', /^no coordinates in the message and no gazetteer imported$/, () => t('alerts.note.noGazetteer')],
  ['note', /^no coordinates and no known place name in the message$/, () => t('alerts.note.noPlace')],
  ['note', /^(\d+) different coordinates in the message(: .*)?$/s, (m) => t('alerts.note.manyCoords', { n: m[1] }) + (m[2] || '')],
  ['note', /^place name( spelled "(.*)")?: (.+), confidence (\d+)[ \u202f]%(; (\d+) other places share the name)?$/s, (m) =>
    t(m[1] ? 'alerts.note.spelled' : 'alerts.note.placeName', { text: m[2], place: m[3], c: m[4] }) + (m[5] ? t('alerts.note.others', { n: m[6] }) : '')],
  ['note', /^(\d+) places match (".*?") \((.*)\)(: .*)?$/s, (m) => t('alerts.note.ambiguous', { n: m[1], names: Vigil.lang === 'fr' ? guillemets(m[2]) : m[2] }) + ' (' + m[3].replace(/(\d) %/g, '$1\u202f%') + ')' + (m[4] || '')], // a note stored before the % took U+202F
];

function serverText(forms, kind, text) {
  if (!text) return text;
  for (const [k, re, say] of forms) {
    const m = k === kind && re.exec(text);
    if (m) return say(m);
  }
  return text;
}

// capList lists the incident's CAP 1.2 publications, newest first, each a
// link to the document as served to partners.
function capList(caps) {
  if (!caps.length) return '';
  return el('section', { id: 'alerts-caps', 'aria-labelledby': 'alerts-caps-h' },
    el('h2', { id: 'alerts-caps-h' }, t('alerts.cap.title')),
    el('ul', {}, ...caps.map((p) => el('li', {},
      el('a', { href: '/api/v1/alerts/cap/' + encodeURIComponent(p.identifier), class: 'alerts-cap-link', type: 'application/cap+xml' }, p.identifier),
      ' · ', el('time', { datetime: p.sent }, Vigil.dateTime(p.sent)), ' · ', p.headline))),
    el('p', { class: 'muted' }, t('alerts.cap.feed'), ' ', el('a', { href: '/api/v1/alerts/cap/feed.atom' }, t('alerts.cap.feedLink'))));
}

// locationEditor sets or corrects an incident's location: by place name
// (the server's gazetteer search, with each match's confidence) or by a
// click on a small map; Enter in the search field searches.
function locationEditor(inc, patch) {
  const l = inc.location || {};
  let pick = null; // {lat, lon, place, precision_m}
  const q = el('input', { id: 'alerts-loc-q', type: 'search', autocomplete: 'off', 'aria-describedby': 'alerts-loc-q-say' });
  // What the search says of itself (a place name is needed), next to the field.
  const qSay = el('p', { id: 'alerts-loc-q-say', class: 'alerts-say', role: 'status', 'aria-live': 'polite' });
  const results = el('ul', { id: 'alerts-loc-results', class: 'alerts-loc-results' });
  const chosen = el('p', { id: 'alerts-loc-chosen', class: 'muted', 'aria-live': 'polite' });
  const setBtn = el('button', { type: 'button', id: 'alerts-loc-set', disabled: true }, t('alerts.loc.set'));
  // Without a mouse: move the map with the arrow keys (+/- to zoom), then
  // choose its centre.
  const centreBtn = el('button', { type: 'button', id: 'alerts-loc-centre', onclick: () => {
    if (!map) return;
    const c = map.getCenter();
    choose({ lat: Math.round(c.lat * 1e5) / 1e5, lon: Math.round(c.lng * 1e5) / 1e5, place: '', precision_m: 1000 });
  } }, t('alerts.loc.centre'));
  const mapDiv = el('div', { id: 'alerts-loc-map', class: 'alerts-loc-map', role: 'region', 'aria-label': t('alerts.loc.mapLabel') });
  let map = null;
  let marker = null;
  const choose = (p) => {
    pick = p;
    chosen.textContent = t('alerts.loc.chosen', { place: p.place || `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`, prec: distance(p.precision_m), conf: p.confidence != null ? Vigil.percent(Math.round(p.confidence * 100)) : '—' });
    setBtn.disabled = false;
    if (map) {
      if (marker) marker.setLatLng([p.lat, p.lon]); else marker = L.marker([p.lat, p.lon], { keyboard: false }).addTo(map);
      map.setView([p.lat, p.lon], Math.max(map.getZoom(), 8));
    }
  };
  const search = async () => {
    const text = q.value.trim();
    // An empty field searched nothing and said nothing.
    if (!text) {
      qSay.textContent = t('alerts.loc.needName');
      q.focus();
      return;
    }
    qSay.textContent = '';
    const mine = Vigil.latest(results); // the newest search's places only
    try {
      const r = await Vigil.api('/api/v1/places/search', { query: { q: text, limit: '8', lang: Vigil.lang } });
      if (!mine()) return;
      results.replaceChildren(...(r.places.length ? r.places.map((p) => el('li', {}, el('button', { type: 'button', class: 'linklike', onclick: () => choose({ lat: p.lat, lon: p.lon, place: p.label, precision_m: p.kind === 'admin1' ? 100000 : 5000, confidence: p.confidence }) },
        p.label, ' ', el('span', { class: 'muted' }, t('alerts.loc.confidence', { c: Vigil.num(Math.round((p.confidence || 0) * 100)) }))))) : [el('li', { class: 'muted' }, t('alerts.loc.none'))]));
    } catch (e) { if (mine()) fail(e); }
  };
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });
  setBtn.addEventListener('click', () => {
    if (!pick) return;
    const body = { lat: pick.lat, lon: pick.lon, precision_m: pick.precision_m };
    if (pick.place) body.place = pick.place;
    patch(body, t('alerts.loc.saved'));
  });
  const box = el('section', { class: 'alerts-loc', 'aria-labelledby': 'alerts-loc-h' },
    el('h2', { id: 'alerts-loc-h' }, l.status === 'manual' || l.status === 'resolved' ? t('alerts.loc.correct') : t('alerts.loc.setTitle')),
    el('p', { class: 'muted' }, t('alerts.loc.now', { place: place(inc), status: locStatus(inc), prec: distance(l.precision_m) })),
    el('div', { class: 'alerts-loc-search' },
      el('label', { for: 'alerts-loc-q' }, t('alerts.loc.byName')), q,
      el('button', { type: 'button', id: 'alerts-loc-go', onclick: search }, t('alerts.loc.search'))),
    qSay,
    results,
    el('p', { class: 'muted' }, t('alerts.loc.byMap')),
    mapDiv, centreBtn, chosen, setBtn);
  if (typeof L !== 'undefined') {
    setTimeout(() => {
      if (!mapDiv.isConnected) return;
      const at = l.lat != null ? [l.lat, l.lon] : [2, 25];
      map = L.map(mapDiv, { center: at, zoom: l.lat != null ? 7 : 4, attributionControl: false, keyboard: true });
      fetch('/ui/vendor/world-atlas/countries-110m.json', { credentials: 'same-origin' }).then((r) => r.json()).then((topo) => {
        if (typeof topojson !== 'undefined') L.geoJSON(topojson.feature(topo, topo.objects.countries), { pane: 'tilePane', interactive: false, style: { color: '#8c8c8c', weight: 0.8, fillColor: '#f2efe6', fillOpacity: 1 } }).addTo(map);
      }).catch(() => {});
      if (l.lat != null) {
        L.circle(at, { radius: Math.max(l.precision_m || 100, 100), color: '#2c5d8a', weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
        L.circleMarker(at, { radius: 5, color: '#2c5d8a', weight: 2, fillOpacity: 0.8, interactive: false }).addTo(map);
      }
      map.on('click', (ev) => choose({ lat: Math.round(ev.latlng.lat * 1e5) / 1e5, lon: Math.round(ev.latlng.lng * 1e5) / 1e5, place: '', precision_m: 1000 }));
    }, 0);
  }
  return box;
}

// distance formats a length in metres for people (km from 1,000 m).
function distance(m) {
  if (m == null || !m) return '—';
  return m >= 1000 ? t('alerts.km', { n: Vigil.num(Math.round(m / 100) / 10) }) : t('alerts.m', { n: Vigil.num(Math.round(m)) });
}

// GATEWAY_KINDS name a channel's kind in the reply form's notice.
const GATEWAY_KINDS = { smssync: 'SMSSync', twilio: 'Twilio', webhook: 'webhook', web: 'web' };

// replyRouteText says, before the responder writes, how a reply goes
// (route: the incident page's reply_routes entry, alerts.ReplyRoute):
// back through the channel the message came in on, by SMS through the
// mission's gateway for a web form's sender, or not at all (the server's
// refusal, in the page's language: it is never rerouted through another
// channel).
function replyRouteText(route) {
  if (!route) return '';
  if (route.refusal) return t('alerts.reply.route.none', { why: route.refusal });
  if (route.kind === 'web') return t('alerts.reply.route.webForm', { channel: route.channel, via: route.via, kind: GATEWAY_KINDS[route.via_kind] || route.via_kind });
  return t('alerts.reply.route.' + route.kind, { channel: route.channel });
}

// replyLabel names the reply box by the way the reply goes (route: its
// via, via_kind and by, alerts.ReplyRoute): by SMS through the phone or
// Twilio channel, on WhatsApp back through the Twilio channel, through the
// webhook (its gateway decides how); with no route, the reporter alone.
function replyLabel(route) {
  if (!route || route.refusal || !route.via) return t('alerts.reply.label');
  if (route.via_kind === 'webhook') return t('alerts.reply.label.webhook', { channel: route.via });
  if (route.by === 'WhatsApp') return t('alerts.reply.label.whatsapp', { channel: route.via });
  return t('alerts.reply.label.sms', { channel: route.via });
}

// replyQueued says a reply was queued at when, and how it goes (route):
// an SMSSync phone takes it when it next checks in; a Twilio or webhook
// gateway is pushed to by the server's gateway runner.
function replyQueued(route, when) {
  if (!route || !route.via) return t('alerts.reply.queuedAny', { when });
  const channel = route.via;
  if (route.via_kind === 'smssync') return t('alerts.reply.queued', { when, channel });
  if (route.via_kind === 'webhook') return t('alerts.reply.queuedWebhook', { when, channel });
  if (route.by === 'WhatsApp') return t('alerts.reply.queuedWhatsApp', { when, channel });
  return t('alerts.reply.queuedPush', { when, channel, kind: GATEWAY_KINDS[route.via_kind] || route.via_kind });
}

// replyForm answers the reporter of an alert through the gateway route
// names (queued: an SMSSync phone takes it at its next task=send, Twilio
// and webhook gateways are pushed to; the outcome is shown). When route
// says the reply cannot be sent, the notice above the box says why before
// anything is written (the form still sends: the server's refusal is the
// same words, and the channel may have been set up since the page was
// drawn).
function replyForm(a, route) {
  const id = `alerts-reply-${a.id}`;
  const blocked = !!(route && route.refusal);
  const text = el('textarea', { id, rows: '2', maxlength: '640', 'aria-describedby': id + '-route' });
  const out = el('p', { class: 'muted', id: id + '-out', 'aria-live': 'polite' });
  const notice = el('p', { class: blocked ? 'alerts-reply-route' : 'alerts-reply-route muted', id: id + '-route' }, replyRouteText(route));
  return el('div', { class: 'alerts-reply' },
    el('label', { for: id }, replyLabel(route)), notice, text, Vigil.charCount(text, 640), // alerts.MaxReplyChars
    el('button', { type: 'button', id: id + '-send', onclick: async () => {
      // Nothing written: said here, by the form (the server's refusal named
      // its JSON field, « message : est vide », at the top of the page).
      if (!text.value.trim()) {
        out.textContent = t('alerts.reply.needText');
        text.focus();
        return;
      }
      try {
        const m = await Vigil.api(`/api/v1/alerts/${a.id}/reply`, { method: 'POST', json: { message: text.value } });
        text.value = '';
        text.dispatchEvent(new Event('input')); // the count back to 0
        out.textContent = replyQueued(route, Vigil.dateTime(m.created));
        say(out.textContent);
      } catch (e) { fail(e); out.textContent = t('alerts.reply.failedWhy', { why: document.getElementById('alerts-say')?.textContent || Vigil.errText(e) }); }
    } }, t('alerts.reply.send')), out);
}

// incidentSig is what liveIncident compares of two answers for an
// incident to tell whether it changed: the answer without the SLA clock's
// seconds left (sla.left_s), which the server counts at each request.
// With them, two answers differed whenever a second had turned between
// them: the page was drawn again at the stream's hello (or at a poll while
// the stream is down) though nobody had changed the incident, over the
// choices made in it and not yet saved, or said it had changed when the
// responder had typed in it. The clock's
// due time, its kind and the overdue state are compared: a clock that
// runs out is a change.
export function incidentSig(d) {
  return JSON.stringify(d, (k, v) => (k === 'left_s' ? undefined : v));
}

// liveIncident keeps an open incident page current: when the stream names
// this incident (or the page polls, with the stream down, and finds it
// changed) the page is redrawn — unless the user is typing in it, in which
// case a notice offers to reload. It returns the page's cleanup.
function liveIncident(root, id, back) {
  const typing = () => { root.dataset.dirty = '1'; };
  root.addEventListener('input', typing);
  let last = '';
  let busy = false;
  let stopped = false; // the cleanup ran: an answer still on its way draws nothing
  const redraw = async () => {
    if (busy) return;
    busy = true;
    try {
      const d = await Vigil.api(`/api/v1/alerts/incidents/${id}`, { query: { lang: Vigil.lang } });
      if (stopped) return; // the page has a newer drawing (a language switch) or is left
      const sig = incidentSig(d);
      if (sig === last) return;
      const first = last === '';
      last = sig;
      if (first) return;
      if (root.dataset.dirty) {
        if (!root.querySelector('#alerts-stale')) {
          root.prepend(el('p', { id: 'alerts-stale', class: 'alerts-late', role: 'status' }, t('alerts.stale'), ' ',
            el('button', { type: 'button', onclick: () => showIncident(root, id, back, d).catch((e) => Vigil.notify(Vigil.errText(e), 'error')) }, t('alerts.reload'))));
        }
        return;
      }
      await showIncident(root, id, back, d);
    } catch (e) { /* offline banner handles it */ } finally { busy = false; }
  };
  redraw(); // remembers the state just drawn
  let timer = null;
  const startPolling = () => { if (!timer) timer = setInterval(redraw, POLL_MS); };
  let es = null;
  if (typeof EventSource === 'function') {
    es = new EventSource('/api/v1/alerts/stream');
    es.addEventListener('hello', () => {
      if (timer) clearInterval(timer);
      timer = null;
      redraw();
    });
    es.addEventListener('queue', (ev) => {
      let c = {};
      try { c = JSON.parse(ev.data); } catch (e) { /* redraw anyway */ }
      if (c.more || c.kind === 'store' || !Array.isArray(c.incidents) || c.incidents.includes(id)) redraw();
    });
    es.onerror = () => startPolling();
  } else {
    startPolling();
  }
  return () => {
    stopped = true;
    root.removeEventListener('input', typing);
    if (timer) clearInterval(timer);
    if (es) es.close();
  };
}

// typedIn answers what the user has typed in root's fields (by id: text
// fields whose value is not the one drawn) and which sections they opened.
function typedIn(root) {
  const fields = [...root.querySelectorAll('textarea[id], input[id]:not([type]), input[id][type=text], input[id][type=tel], input[id][type=search]')]
    .filter((f) => f.value !== f.defaultValue).map((f) => [f.id, f.value, f]);
  const open = [...root.querySelectorAll('details[id][open]')].map((d) => d.id);
  return { fields, open };
}

// keepTyped puts what typedIn kept back into the fields of the same id in
// root, once the redrawn page has drawn them (the page's draw() resolves):
// a field the user has typed in since is left as it is. A field put back
// counts as typed: a live redraw of the incident offers to reload rather
// than drawing over it (liveIncident).
function keepTyped(root, kept) {
  for (const [id, v] of kept.fields) {
    const f = root.querySelector('#' + CSS.escape(id));
    if (f && f.value === f.defaultValue) {
      f.value = v;
      root.dataset.dirty = '1';
    }
  }
  for (const id of kept.open) {
    const d = root.querySelector('#' + CSS.escape(id));
    if (d) d.open = true;
  }
}

// The page's own addresses: #/alerts (the queue) and #/alerts/incident/ID
// (an incident, reloadable and linkable; back and forward move between them).
function routeIncident() {
  const m = /^#\/?alerts\/incident\/(\d+)/.exec(location.hash);
  return m ? Number(m[1]) : 0;
}

Vigil.registerPage({
  id: 'alerts',
  label: 'alerts.nav',
  minRole: 'viewer',
  order: 30,
  render(el0) {
    let cleanup = null;
    let closed = false;
    const stop = () => { if (cleanup) cleanup(); cleanup = null; };
    let drawn = 0; // the newest draw's number: an older one's queue or incident stops when it is ready
    // draw draws the queue or the incident the address names; the promise
    // it returns resolves (never rejects) once the drawing's fields are in
    // the page, or it failed.
    const draw = () => {
      stop();
      const n = ++drawn;
      const id = routeIncident();
      if (!id) {
        let shown;
        const fields = new Promise((r) => { shown = r; });
        showQueue(el0, shown).then((c) => { if (closed || n !== drawn) c(); else cleanup = c; }).catch((e) => {
          // The queue could not load (the server unreachable): said in the
          // page, where the queue would be, not only in the banner.
          const list = el0.querySelector('#alerts-list');
          if (!closed && n === drawn && list) list.replaceChildren(el('li', { class: 'error', id: 'alerts-failed' }, Vigil.errText(e)));
          else Vigil.notify(Vigil.errText(e), 'error');
        }).finally(shown);
        return fields;
      }
      const back = () => { location.hash = '#/alerts'; };
      return showIncident(el0, id, back).then((ok) => { if (ok && !closed && n === drawn && routeIncident() === id) cleanup = liveIncident(el0, id, back); })
        .catch((e) => {
          if (closed || n !== drawn || routeIncident() !== id) return;
          // Not a blank page: the way back and what went wrong.
          el0.replaceChildren(el('a', { href: '#/alerts', class: 'alerts-back' }, '← ', t('alerts.back')),
            el('h1', { tabindex: '-1', id: 'alerts-inc-title' }, t('alerts.incident', { id })),
            el('p', { class: 'error', id: 'alerts-failed' }, Vigil.errText(e)));
          // A refusal (no such incident) is said in the banner too; the
          // server unreachable, the banner says already.
          if (e.key !== 'app.offline') Vigil.notify(Vigil.errText(e), 'error');
        });
    };
    draw();
    // A language switch redraws the page: what the user was typing (a
    // phone alert, a note, a reply) comes back into the same fields, once,
    // when the new drawing has them (unless a newer drawing or the page's
    // end came first).
    const off = Vigil.on('lang', () => {
      const kept = typedIn(el0);
      if (!kept.fields.length && !kept.open.length) { draw(); return; }
      const done = draw();
      const n = drawn;
      done.then(() => { if (!closed && n === drawn) keepTyped(el0, kept); });
    });
    return () => { closed = true; stop(); off(); };
  },
});

Vigil.registerLayer({
  id: 'alerts',
  label: 'alerts.layer',
  async update(layer, ctx) {
    // the map's filters: the country, and the dates (of an incident's first alert)
    const f = ctx.filters;
    const query = { open: '1' };
    if (f.country) query.country = f.country;
    if (f.from) query.since = `${f.from}T00:00:00Z`;
    if (f.to) query.until = new Date(Date.parse(`${f.to}T00:00:00Z`) + 864e5).toISOString().replace('.000Z', 'Z'); // until is exclusive
    const rows = await ctx.api('/api/v1/alerts/incidents', { query, signal: ctx.signal });
    layer.clearLayers();
    for (const inc of rows) {
      if (!inc.location || inc.location.lat == null) continue;
      L.circleMarker([inc.location.lat, inc.location.lon], {
        radius: 6 + Math.min(10, inc.alert_count), color: COLOUR[inc.status] || '#333', weight: inc.overdue ? 4 : 2, fillOpacity: 0.5,
      }).bindTooltip(Vigil.plain(`#${inc.id} ${t('alerts.status.' + inc.status)} · ${t('alerts.count', { n: inc.alert_count })}`)).addTo(layer);
    }
  },
  legend(ctx) {
    return el('div', { class: 'legend' }, ...['received', 'triaged', 'verified', 'dispatched'].map((s) =>
      el('span', { class: 'alerts-legend' }, el('i', { style: `background:${COLOUR[s]}`, 'aria-hidden': 'true' }), ' ', ctx.t('alerts.status.' + s))));
  },
});
