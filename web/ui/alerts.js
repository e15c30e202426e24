// Community alerts: the live queue of incidents (new alerts appear without
// reload: the page follows the Server-Sent Events stream
// /api/v1/alerts/stream, and polls /api/v1/alerts?since_id= every 5 s while
// the stream is down or unsupported), the incident page with
// its alerts, timeline and triage controls, the SLA dashboard (median and
// 90th percentile time to triage and to response by week), and a map layer
// of open incidents. Viewers see it read-only, without reporters' details.
import { Vigil } from './core/vigil.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const POLL_MS = 5000;
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

function dur(s) {
  if (s == null) return '—';
  if (s < 3600) return t('alerts.min', { n: Vigil.num(Math.round(s / 60)) });
  return t('alerts.hours', { n: Vigil.num(Math.round(s / 360) / 10) });
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString(Vigil.lang === 'fr' ? 'fr-FR' : 'en-GB') : '';
}

function statusBadge(s) {
  return el('span', { class: `alerts-status alerts-st-${s}` }, t('alerts.status.' + s));
}

function incidentRow(inc, open) {
  const loc = inc.location && inc.location.lat != null ? `${inc.location.lat.toFixed(3)}, ${inc.location.lon.toFixed(3)}` : t('alerts.noLocation');
  return el('li', { class: 'alerts-inc' + (inc.overdue ? ' alerts-overdue' : '') },
    el('button', { type: 'button', class: 'linklike', onclick: () => open(inc.id) },
      `#${inc.id} `, inc.title || t('alerts.untitled')),
    ' ', statusBadge(inc.status),
    inc.priority ? el('span', { class: 'alerts-prio' }, t('alerts.prio.' + inc.priority)) : '',
    inc.overdue ? el('strong', { class: 'alerts-late', role: 'status' }, t('alerts.overdue.' + inc.overdue)) : '',
    el('div', { class: 'muted' }, t('alerts.count', { n: inc.alert_count }), ' · ', when(inc.first_at), ' · ', loc,
      inc.location && inc.location.status !== 'resolved' && inc.location.status !== 'manual' ? el('em', {}, ' · ' + t('alerts.loc.' + inc.location.status)) : ''));
}

async function showQueue(root, open) {
  const list = el('ul', { id: 'alerts-list', class: 'alerts-list' });
  const only = el('input', { type: 'checkbox', id: 'alerts-open', checked: true });
  const head = el('div', { class: 'alerts-bar' },
    el('h1', {}, t('alerts.title')),
    el('label', {}, only, ' ', t('alerts.openOnly')),
    el('span', { id: 'alerts-live', class: 'muted', 'aria-live': 'polite' }),
    el('span', { id: 'alerts-mode', class: 'muted' }));
  root.replaceChildren(head, list, el('section', { id: 'alerts-sla' }), el('section', { id: 'alerts-channels' }));
  if (Vigil.can('admin')) showChannels(root.querySelector('#alerts-channels')).catch((e) => Vigil.notify(e.message, 'error'));
  async function load() {
    const rows = await Vigil.api('/api/v1/alerts/incidents', { query: only.checked ? { open: '1' } : {} });
    list.replaceChildren(...(rows.length ? rows.map((r) => incidentRow(r, open)) : [el('li', { class: 'muted' }, t('alerts.empty'))]));
  }
  only.addEventListener('change', () => load().catch((e) => Vigil.notify(e.message, 'error')));
  await load();
  showSLA(root.querySelector('#alerts-sla')).catch((e) => Vigil.notify(e.message, 'error'));
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
  const setMode = (m) => {
    mode.dataset.mode = m;
    mode.textContent = ' · ' + t('alerts.live.' + m);
  };
  let timer = null;
  const poll = async () => {
    try {
      const fresh = await Vigil.api('/api/v1/alerts', { query: { since_id: String(since), limit: '100' } });
      if (fresh.length) {
        since = Math.max(since, ...fresh.map((a) => a.id));
        live.textContent = t('alerts.new', { n: fresh.length });
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
        live.textContent = t('alerts.new', { n: c.alerts.length });
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

async function showSLA(box) {
  const s = await Vigil.api('/api/v1/alerts/stats', { query: { weeks: '12' } });
  const rows = s.weeks.map((w) => el('tr', {},
    el('td', {}, w.week), el('td', {}, Vigil.num(w.incidents)),
    el('td', {}, dur(w.triage_median_s)), el('td', {}, dur(w.triage_p90_s)),
    el('td', {}, dur(w.response_median_s)), el('td', {}, dur(w.response_p90_s))));
  box.replaceChildren(
    el('h2', {}, t('alerts.sla.title')),
    el('p', { class: 'muted' }, t('alerts.sla.targets', { tr: dur(s.sla.triage_s), rs: dur(s.sla.response_s) })),
    el('table', { class: 'alerts-sla' },
      el('thead', {}, el('tr', {}, ...['week', 'incidents', 'triageMed', 'triageP90', 'respMed', 'respP90'].map((k) => el('th', { scope: 'col' }, t('alerts.sla.' + k))))),
      el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '6' }, t('alerts.empty')))]))));
}

async function showChannels(box) {
  const rows = await Vigil.api('/api/v1/alerts/channels');
  const kind = el('select', { id: 'alerts-ch-kind', 'aria-label': t('alerts.ch.kind') }, ...['smssync', 'twilio', 'webhook', 'web'].map((k) => el('option', { value: k }, t('admin.channels.kind.' + k))));
  const name = el('input', { id: 'alerts-ch-name', maxlength: '100', 'aria-label': t('alerts.ch.name') });
  const secret = el('input', { id: 'alerts-ch-secret', type: 'password', autocomplete: 'off', 'aria-label': t('alerts.ch.secret') });
  const basis = el('select', { id: 'alerts-ch-basis', 'aria-label': t('alerts.ch.basis') },
    ...['vital interest', 'consent', 'public interest', 'legitimate interest', 'legal obligation', 'contract'].map((b) => el('option', { value: b }, t('admin.channels.basis.' + b.replace(' ', '_')))));
  box.replaceChildren(
    el('h2', {}, t('alerts.ch.title')),
    el('table', { class: 'alerts-sla' },
      el('thead', {}, el('tr', {}, ...['kind', 'name', 'basis', 'url'].map((k) => el('th', { scope: 'col' }, t('alerts.ch.' + k))))),
      el('tbody', {}, ...rows.map((c) => el('tr', {}, el('td', {}, t('admin.channels.kind.' + c.kind)), el('td', {}, c.name),
        el('td', {}, t('admin.channels.basis.' + String(c.legal_basis).replace(' ', '_'))), el('td', {}, el('code', {}, c.intake_url)))))),
    Vigil.can('admin') ? el('p', {}, el('a', { href: '#/admin?tab=channels' }, t('alerts.ch.manage'))) : null,
    el('div', { class: 'alerts-controls' },
      el('label', {}, t('alerts.ch.kind'), kind), el('label', {}, t('alerts.ch.name'), name),
      el('label', {}, t('alerts.ch.secret'), secret), el('label', {}, t('alerts.ch.basis'), basis),
      el('button', { type: 'button', id: 'alerts-ch-add', onclick: async () => {
        try {
          await Vigil.api('/api/v1/alerts/channels', { method: 'POST', json: { kind: kind.value, name: name.value, secret: secret.value, legal_basis: basis.value } });
          showChannels(box);
        } catch (e) { Vigil.notify(e.message, 'error'); }
      } }, t('alerts.ch.add'))));
}

async function showIncident(root, id, back, data) {
  const d = data || await Vigil.api(`/api/v1/alerts/incidents/${id}`);
  const inc = d.incident;
  delete root.dataset.dirty;
  const canWork = Vigil.can('responder');
  const controls = el('div', { class: 'alerts-controls' });
  const refresh = () => showIncident(root, id, back).catch((e) => Vigil.notify(e.message, 'error'));
  const patch = async (body) => {
    try {
      await Vigil.api(`/api/v1/alerts/incidents/${id}`, { method: 'PATCH', json: body });
      refresh();
    } catch (e) { Vigil.notify(e.message, 'error'); }
  };
  if (canWork) {
    const title = el('input', { id: 'alerts-title', value: inc.title, maxlength: '200', 'aria-label': t('alerts.titleLabel') });
    const summary = el('textarea', { id: 'alerts-summary', rows: '3', 'aria-label': t('alerts.summaryLabel') }, inc.summary || '');
    const prio = el('select', { id: 'alerts-prio', 'aria-label': t('alerts.prioLabel') },
      el('option', { value: '' }, '—'), ...['critical', 'high', 'medium', 'low'].map((p) => el('option', { value: p, selected: inc.priority === p }, t('alerts.prio.' + p))));
    const assignee = el('input', { id: 'alerts-assignee', value: inc.assignee, maxlength: '100', 'aria-label': t('alerts.assigneeLabel') });
    const note = el('textarea', { id: 'alerts-note', rows: '2', 'aria-label': t('alerts.noteLabel') });
    controls.append(
      el('div', {}, ...(NEXT[inc.status] || []).map((s) => el('button', { type: 'button', onclick: () => patch({ status: s }) }, t('alerts.to.' + s)))),
      el('label', {}, t('alerts.titleLabel'), title), el('label', {}, t('alerts.summaryLabel'), summary),
      el('label', {}, t('alerts.prioLabel'), prio), el('label', {}, t('alerts.assigneeLabel'), assignee),
      el('label', {}, t('alerts.noteLabel'), note),
      el('button', { type: 'button', id: 'alerts-save', onclick: () => {
        const body = { title: title.value, summary: summary.value, assignee: assignee.value, note: note.value };
        if (prio.value) body.priority = prio.value;
        patch(body);
      } }, t('alerts.save')),
      ['verified', 'dispatched', 'resolved'].includes(inc.status)
        ? el('button', { type: 'button', onclick: async () => {
          try {
            const p = await Vigil.api(`/api/v1/alerts/incidents/${id}/cap`, { method: 'POST' });
            Vigil.notify(t('alerts.capDone', { id: p.identifier }), 'info');
            refresh();
          } catch (e) { Vigil.notify(e.message, 'error'); }
        } }, t('alerts.publishCAP')) : '',
      Vigil.can('analyst') && ['verified', 'dispatched', 'resolved', 'closed'].includes(inc.status)
        ? el('button', { type: 'button', onclick: async () => {
          try {
            const r = await Vigil.api(`/api/v1/alerts/incidents/${id}/event`, { method: 'POST', json: {} });
            Vigil.notify(t('alerts.eventDone', { id: r.event_id }), 'info');
            refresh();
          } catch (e) { Vigil.notify(e.message, 'error'); }
        } }, t('alerts.toEvent')) : '');
  }
  const alertItems = d.alerts.map((a) => {
    const who = el('span', { class: 'muted' }, a.phone_masked || '', a.name_masked ? ' ' + a.name_masked : '', a.anonymised ? t('alerts.anonymised') : '');
    const li = el('li', {}, el('div', {}, `#${a.id} · ${when(a.received_at)} `, who), a.message ? el('p', { class: 'alerts-msg' }, a.message) : '',
      a.location && a.location.note ? el('p', { class: 'muted' }, a.location.note) : '');
    if (canWork && d.alerts.length > 1) {
      li.append(el('button', { type: 'button', onclick: async () => {
        try {
          const to = await Vigil.api(`/api/v1/alerts/${a.id}/move`, { method: 'POST', json: { incident: 0 } });
          Vigil.notify(t('alerts.moved', { id: to.id }), 'info');
          refresh();
        } catch (e) { Vigil.notify(e.message, 'error'); }
      } }, t('alerts.split')));
    }
    if (canWork && a.has_reporter && !a.anonymised) {
      li.append(el('button', { type: 'button', onclick: async () => {
        const reason = window.prompt(t('alerts.revealWhy'));
        if (!reason) return;
        try {
          const r = await Vigil.api(`/api/v1/alerts/${a.id}/reveal`, { method: 'POST', json: { reason } });
          who.textContent = `${r.phone || ''} ${r.name || ''}`;
        } catch (e) { Vigil.notify(e.message, 'error'); }
      } }, t('alerts.reveal')));
    }
    return li;
  });
  const timeline = d.timeline.map((l) => el('li', {}, el('time', { datetime: l.at }, when(l.at)), ` · ${l.actor} · `, t('alerts.log.' + l.kind), ': ', l.text));
  root.replaceChildren(
    el('button', { type: 'button', class: 'linklike', onclick: back }, '← ', t('alerts.back')),
    el('h1', {}, `#${inc.id} `, inc.title || t('alerts.untitled'), ' ', statusBadge(inc.status)),
    inc.overdue ? el('p', { class: 'alerts-late', role: 'alert' }, t('alerts.overdue.' + inc.overdue)) : '',
    el('p', {}, t('alerts.timers', { tr: dur(inc.time_to_triage_s), rs: dur(inc.time_to_response_s) })),
    inc.summary ? el('p', {}, inc.summary) : '',
    controls,
    el('h2', {}, t('alerts.alerts')), el('ul', { class: 'alerts-alerts' }, ...alertItems),
    el('h2', {}, t('alerts.timeline')), el('ol', { class: 'alerts-timeline' }, ...timeline));
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
  const redraw = async () => {
    if (busy) return;
    busy = true;
    try {
      const d = await Vigil.api(`/api/v1/alerts/incidents/${id}`);
      const sig = JSON.stringify(d);
      if (sig === last) return;
      const first = last === '';
      last = sig;
      if (first) return;
      if (root.dataset.dirty) {
        if (!root.querySelector('#alerts-stale')) {
          root.prepend(el('p', { id: 'alerts-stale', class: 'alerts-late', role: 'status' }, t('alerts.stale'), ' ',
            el('button', { type: 'button', onclick: () => showIncident(root, id, back, d).catch((e) => Vigil.notify(e.message, 'error')) }, t('alerts.reload'))));
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
    root.removeEventListener('input', typing);
    if (timer) clearInterval(timer);
    if (es) es.close();
  };
}

Vigil.registerPage({
  id: 'alerts',
  label: 'alerts.nav',
  minRole: 'viewer',
  order: 30,
  render(el0) {
    let cleanup = null;
    const stop = () => { if (cleanup) cleanup(); cleanup = null; };
    const queue = () => {
      stop();
      showQueue(el0, open).then((c) => { cleanup = c; }).catch((e) => Vigil.notify(e.message, 'error'));
    };
    const open = (id) => {
      stop();
      showIncident(el0, id, queue).then(() => { if (!closed) cleanup = liveIncident(el0, id, queue); })
        .catch((e) => Vigil.notify(e.message, 'error'));
      let closed = false;
      cleanup = () => { closed = true; };
    };
    queue();
    const off = Vigil.on('lang', queue);
    return () => { stop(); off(); };
  },
});

Vigil.registerLayer({
  id: 'alerts',
  label: 'alerts.layer',
  minRole: 'viewer',
  defaultOn: false,
  create() {
    return L.layerGroup();
  },
  async update(layer, ctx) {
    const rows = await ctx.api('/api/v1/alerts/incidents', { query: { open: '1' }, signal: ctx.signal });
    layer.clearLayers();
    for (const inc of rows) {
      if (!inc.location || inc.location.lat == null) continue;
      L.circleMarker([inc.location.lat, inc.location.lon], {
        radius: 6 + Math.min(10, inc.alert_count), color: COLOUR[inc.status] || '#333', weight: inc.overdue ? 4 : 2, fillOpacity: 0.5,
      }).bindTooltip(`#${inc.id} ${t('alerts.status.' + inc.status)} · ${t('alerts.count', { n: inc.alert_count })}`).addTo(layer);
    }
  },
  legend(ctx) {
    return el('div', { class: 'legend' }, ...['received', 'triaged', 'verified', 'dispatched'].map((s) =>
      el('span', { class: 'alerts-legend' }, el('i', { style: `background:${COLOUR[s]}`, 'aria-hidden': 'true' }), ' ', ctx.t('alerts.status.' + s))));
  },
});
