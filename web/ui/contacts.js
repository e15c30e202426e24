// Contacts page: community contacts (phones and names masked, opt-out
// status), CSV import, and the broadcast form (a group or an area, a text
// per language, now or later) with the reach of recent broadcasts. Every
// action goes through /api/v1/contacts and /api/v1/broadcasts.
import { Vigil } from './core/vigil.js';
import { contactChanges, contactRequest } from './core/text.js';
import { audienceText, broadcastForm, notice, reachText, whenText } from './broadcast_form.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);

const field = (id, key, control) => el('div', { class: 'field' },
  el('label', { for: id, 'data-i18n': key }, t(key)), control);

const errText = (e) => Vigil.errText(e);

function importSection(view) {
  const msg = el('div', { id: 'contacts-import-msg' });
  const file = el('input', { id: 'contacts-file', type: 'file', accept: '.csv,text/csv' });
  const consent = el('input', { id: 'contacts-consent', type: 'text', required: true });
  const form = el('form', { id: 'contacts-import', onsubmit: async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) { notice(msg, t('contacts.import.noFile'), 'error'); return; }
    try {
      const r = await Vigil.api('/api/v1/contacts/import', { method: 'POST', body: await f.text(), query: { name: f.name, consent: consent.value } });
      // The page is drawn anew: the notice goes in the new form's box and
      // the focus back on its Importer (both went with the old form).
      await draw(view);
      const again = document.getElementById('contacts-import-msg') || msg;
      notice(again, t('contacts.import.done', { n: r.imported }));
      again.closest('form')?.querySelector('button[type=submit]')?.focus();
    } catch (e) { notice(msg, errText(e), 'error'); }
  } },
  el('p', { class: 'hint', 'data-i18n': 'contacts.import.hint' }, t('contacts.import.hint')),
  field('contacts-file', 'contacts.import.file', file),
  field('contacts-consent', 'contacts.import.consent', consent),
  el('button', { type: 'submit', class: 'primary', 'data-i18n': 'contacts.import.submit' }, t('contacts.import.submit')), msg);
  Vigil.filePick(file);
  return el('section', { 'aria-labelledby': 'contacts-import-h' },
    el('h2', { id: 'contacts-import-h', 'data-i18n': 'contacts.import.title' }, t('contacts.import.title')), form);
}

// Every contact language the server takes (contacts.Languages).
const CONTACT_LANGS = ['fr', 'en', 'sw', 'ln', 'ar', 'bm', 'ha', 'pt', 'es', 'so', 'am', 'ff', 'wo', 'sg'];

/**
 * oneSection is the form that adds one contact, or edits the contact
 * chosen in the list (its number never shown back: the field stays empty,
 * to keep it). A contact who opted out is opted in again only by ticking
 * the box and saying how the person agreed again.
 */
function oneSection(view) {
  const msg = el('div', { id: 'contact-msg' });
  const title = el('h2', { id: 'contact-h' }, t('contacts.one.addTitle'));
  const input = (id, attrs = {}) => el('input', { id, type: 'text', ...attrs });
  const phone = input('contact-phone', { inputmode: 'tel', autocomplete: 'off', 'aria-describedby': 'contact-phone-hint' });
  const name = input('contact-name', { autocomplete: 'off' });
  const language = el('select', { id: 'contact-language' }, ...CONTACT_LANGS.map((l) => el('option', { value: l }, Vigil.language(l))));
  const groups = input('contact-groups');
  const place = input('contact-place');
  const lat = input('contact-lat', { inputmode: 'decimal' });
  const lon = input('contact-lon', { inputmode: 'decimal' });
  const consent = input('contact-consent');
  const optIn = el('input', { id: 'contact-optin', type: 'checkbox' });
  const optInRow = el('div', { class: 'field', hidden: '' }, optIn, ' ', el('label', { for: 'contact-optin' }, t('contacts.one.optIn')));
  const clearName = el('input', { id: 'contact-name-clear', type: 'checkbox' });
  const clearNameRow = el('div', { class: 'field', hidden: '' }, clearName, ' ', el('label', { for: 'contact-name-clear' }, t('contacts.one.clearName')));
  const phoneHint = el('p', { id: 'contact-phone-hint', class: 'hint' });
  const submit = el('button', { type: 'submit', class: 'primary' }, t('contacts.one.add'));
  const cancel = el('button', { type: 'button', hidden: '' }, t('contacts.one.cancel'));
  let editing = null;
  let before = null; // the form as edit filled it: an edit sends only what changed
  const values = () => ({ phone: phone.value, name: name.value, language: language.value, groups: groups.value,
    place: place.value, lat: lat.value, lon: lon.value, consent: consent.value, optIn: !optInRow.hidden && optIn.checked,
    clearName: !clearNameRow.hidden && clearName.checked });
  const reset = () => {
    editing = null; before = null;
    form.reset();
    title.textContent = t('contacts.one.addTitle');
    submit.textContent = t('contacts.one.add');
    phone.required = true;
    phoneHint.textContent = '';
    optInRow.hidden = true; clearNameRow.hidden = true; cancel.hidden = true;
  };
  const form = el('form', { id: 'contact-form', onsubmit: async (ev) => {
    ev.preventDefault();
    // Editing, only the fields changed are sent (PATCH keeps the others);
    // an empty number or name keeps it (the page only has them masked).
    const req = editing ? contactChanges(before, values()) : contactRequest(values());
    if (!editing) delete req.opt_in;
    const id = editing?.id;
    try {
      const wasOut = !!editing?.opted_out_at;
      const c = await Vigil.api(id ? `/api/v1/contacts/${id}` : '/api/v1/contacts', id ? { method: 'PATCH', json: req } : { json: req });
      await draw(view);
      const again = view.querySelector('#contact-msg') || msg;
      // A number that replied STOP before it was a contact's makes the
      // contact opted out: said here, with the reply's date.
      const done = t(id ? 'contacts.one.saved' : 'contacts.one.added');
      notice(again, c?.opted_out_at && !wasOut ? t('contacts.one.alreadyOptedOut', { done, status: optedOutText(c) }) : done);
      view.querySelector('#contact-form button[type=submit]')?.focus();
    } catch (e) { notice(msg, errText(e), 'error'); }
  } },
  el('p', { class: 'hint' }, t('contacts.one.hint')),
  field('contact-phone', 'contacts.one.phone', phone), phoneHint,
  field('contact-name', 'contacts.one.name', name), clearNameRow,
  field('contact-language', 'contacts.one.language', language),
  field('contact-groups', 'contacts.one.groups', groups),
  field('contact-place', 'contacts.one.place', place),
  field('contact-lat', 'contacts.one.lat', lat),
  field('contact-lon', 'contacts.one.lon', lon),
  field('contact-consent', 'contacts.one.consent', consent),
  optInRow,
  submit, ' ', cancel, msg);
  cancel.addEventListener('click', () => { reset(); notice(msg, ''); phone.focus(); });
  phone.required = true;
  /** edit fills the form with contact c (masked number and name: not typed back). */
  const edit = (c) => {
    reset();
    editing = c;
    title.textContent = t('contacts.one.editTitle', { phone: c.phone });
    submit.textContent = t('contacts.one.save');
    phone.required = false;
    phoneHint.textContent = t('contacts.one.keepPhone', { phone: c.phone });
    language.value = c.language;
    groups.value = (c.groups || []).join(', ');
    place.value = c.place || '';
    if (c.lat !== undefined && !c.place) { lat.value = String(c.lat); lon.value = String(c.lon); }
    consent.placeholder = c.consent?.how || '';
    optInRow.hidden = !c.opted_out_at;
    clearNameRow.hidden = !c.name;
    before = values();
    cancel.hidden = false;
    notice(msg, '');
    title.scrollIntoView?.({ block: 'start' });
    phone.focus();
  };
  return { edit, section: el('section', { 'aria-labelledby': 'contact-h' }, title, form) };
}

/** How a contact opted out: the date, and the word it replied (opt_out_how "reply: stop"). */
function optedOutText(c) {
  const reply = /^reply: (.+)$/.exec(c.opt_out_how || '');
  const date = Vigil.date(c.opted_out_at);
  return reply ? t('contacts.optedOutReply', { date, word: reply[1].toUpperCase() }) : t('contacts.optedOut', { date });
}

function listSection(cs, edit) {
  if (!cs.length) {
    return Vigil.empty({ title: 'contacts.empty.title', body: 'contacts.empty.body',
      action: { label: 'contacts.empty.action', onclick: () => document.getElementById('contacts-file')?.focus() } });
  }
  const head = ['contacts.col.phone', 'contacts.col.name', 'contacts.col.language', 'contacts.col.groups', 'contacts.col.place', 'contacts.col.status']
    .map((k) => el('th', { scope: 'col', 'data-i18n': k }, t(k)));
  const rows = cs.map((c) => el('tr', {},
    el('td', {}, c.phone), el('td', {}, c.name || ''), el('td', {}, Vigil.language(c.language)), el('td', {}, (c.groups || []).join(', ')),
    el('td', {}, c.place || (Vigil.lang === 'fr' && c.near_fr) || c.near || (c.lat !== undefined ? t('contacts.coords', { lat: Vigil.num(c.lat, 3), lon: Vigil.num(c.lon, 3) }) : '')),
    el('td', {}, c.opted_out_at
      ? el('span', { class: 'badge danger' }, optedOutText(c))
      : el('span', { class: 'badge ok' }, t('contacts.active')),
    c.demo ? [' ', el('span', { class: 'badge' }, t('contacts.demo'))] : '',
    // « Modifier », named for a screen reader by the row's (masked) number: the number repeated on the
    // button (« Modifier +•••••••••001 #933e ») made the buttons wide, of unequal widths, and noisy.
    ' ', el('button', { type: 'button', class: 'link contact-edit', 'data-id': c.id, 'aria-label': t('contacts.one.editRow', { phone: c.phone }), onclick: () => edit(c) },
      t('contacts.one.edit')))));
  return Vigil.scrollTable(el('table', { id: 'contacts-list' },
    el('caption', {}, t('contacts.count', { n: cs.length })), el('thead', {}, el('tr', {}, head)), el('tbody', {}, rows)));
}

/**
 * Why a queued broadcast's messages failed, under it: a disclosure
 * "Why 5 messages failed (1 will be tried again)" (failed for good, and
 * failed a try and waiting for the next) that, opened, asks the server for the failures grouped by
 * reason (GET /api/v1/broadcasts/{id}/failures) and lists them most
 * frequent first: the reason in the UI language (its key; the server's
 * words in ?lang= when the dictionary has none), how many, whether they will be
 * tried again, and the gateway's own words, numbers already masked by the
 * server. null when none failed. A list left open stays open when the page
 * is drawn again (a language switch, a new broadcast): openFailures.
 */
function failuresDetails(b) {
  const r = b.reach || {};
  const n = (r.failed || 0) + (r.retrying || 0);
  if (!b.queued_at || !n) return null;
  const box = el('div', { 'aria-live': 'polite' });
  const summary = r.retrying ? t('contacts.fail.showRetry', { n, r: r.retrying }) : t('contacts.fail.show', { n });
  const details = el('details', { class: 'failures' }, el('summary', {}, summary), box);
  let asked = false;
  const load = async () => {
    if (asked) return;
    asked = true;
    box.replaceChildren(el('p', { class: 'muted' }, t('contacts.fail.loading')));
    try {
      const f = await Vigil.api(`/api/v1/broadcasts/${b.id}/failures?lang=${Vigil.lang}`);
      box.replaceChildren(f.reasons.length
        ? el('ul', {}, ...f.reasons.map((x) => el('li', { 'data-code': x.code },
          el('span', { class: 'fail-reason' }, Vigil.tOr(x.key, x.reason, x.args)), ' — ',
          el('strong', {}, t('contacts.fail.count', { n: x.count })), ', ',
          el('span', { class: x.retry ? 'fail-retry' : 'fail-final' }, t(x.retry ? 'contacts.fail.retry' : 'contacts.fail.final', { n: x.count })), '.',
          // The gateway's words as it said them (often English), not translated.
          x.gateway_said ? [' ', t('contacts.fail.said'), ' ', el('span', { class: 'fail-said', translate: 'no' }, t('contacts.fail.quoted', { said: x.gateway_said }))] : null)))
        : el('p', { class: 'muted' }, t('contacts.fail.none')));
    } catch (e) {
      asked = false;
      box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errText(e)));
    }
  };
  details.addEventListener('toggle', () => {
    if (!details.open) {
      openFailures.delete(b.id);
      return;
    }
    openFailures.add(b.id);
    load();
  });
  // Open again as it was on the page this one replaces.
  if (openFailures.has(b.id)) {
    details.open = true;
    load();
  }
  return details;
}

// openFailures are the ids of the broadcasts whose failures list is open
// on this visit of the page (failuresDetails; render starts it empty).
let openFailures = new Set();

function broadcastSection(view, gateways, bs, cs) {
  const form = broadcastForm({ prefix: 'broadcast', gateways, contacts: cs, send: async (req) => {
    const b = await Vigil.api('/api/v1/broadcasts', { json: req });
    await draw(view);
    notice(view.querySelector('#broadcast-msg'), reachText(b));
    view.querySelector('#broadcast-form button[type=submit]')?.focus(); // the redraw took it with the old form
  } });
  const recent = bs.length
    ? el('ul', { id: 'broadcast-list' }, ...bs.map((b) => el('li', { 'data-id': b.id },
      el('strong', {}, audienceText(b)), ' — ', el('span', { class: 'reach' }, reachText(b)), ' — ',
      // When it was queued or went out (a scheduled one, or one due to
      // no one, says its time in its reach).
      whenText(b) ? [el('span', { class: 'when' }, whenText(b)), ' — '] : null,
      // Each script's language named as the page names languages
      // (« Anglais » on the French page), the link marked hreflang.
      t('contacts.bc.script'), ' ',
      ...['en', 'fr'].flatMap((l, i) => [i ? ' · ' : '', el('a', { href: `/api/v1/broadcasts/${b.id}/script?lang=${l}`, download: '',
        hreflang: l, 'aria-label': t(`contacts.bc.scriptLabel.${l}`, { id: b.id }) }, Vigil.language(l))]),
      failuresDetails(b))))
    : el('p', { class: 'muted' }, t('contacts.bc.none'));
  return el('section', { 'aria-labelledby': 'broadcast-h' },
    el('h2', { id: 'broadcast-h' }, t('contacts.bc.title')), form,
    el('h3', {}, t('contacts.bc.recent')), recent);
}

// factChecks lists the published fact-checks (their public Atom feed)
// with links to their radio scripts; nothing when there are none.
async function factCheckSection() {
  let entries = [];
  try {
    const r = await fetch('/factcheck/feed.atom?lang=' + Vigil.lang, { credentials: 'same-origin' });
    if (r.ok) {
      const doc = new DOMParser().parseFromString(await r.text(), 'application/xml');
      entries = [...doc.getElementsByTagName('entry')].map((e) => {
        const href = [...e.getElementsByTagName('link')].map((l) => l.getAttribute('href') || '').find((h) => /\/factcheck\/[0-9a-f]{24}/.test(h)) || '';
        return { slug: (href.match(/\/factcheck\/([0-9a-f]{24})/) || [])[1], title: e.getElementsByTagName('title')[0]?.textContent || '' };
      }).filter((e) => e.slug);
    }
  } catch (e) { entries = []; }
  const body = entries.length
    // The title is the claim's own words (data, not translated): each
    // link's name is "Radio script in French:" and that title.
    ? el('ul', { id: 'factcheck-scripts' }, ...entries.map((e, n) => el('li', {}, el('span', { id: `fc-title-${n}`, translate: 'no' }, e.title), ' — ',
      ...['en', 'fr'].flatMap((l, i) => [i ? ' · ' : '', el('span', { id: `fc-in-${n}-${l}`, hidden: '' }, t(`contacts.fc.scriptIn.${l}`)),
        el('a', { href: `/api/v1/radio/factchecks/${e.slug}?lang=${l}`, download: '', hreflang: l, id: `fc-link-${n}-${l}`,
          'aria-labelledby': `fc-in-${n}-${l} fc-title-${n}` }, Vigil.language(l))]))))
    : el('p', { class: 'muted' }, t('contacts.fc.none'));
  return el('section', { 'aria-labelledby': 'factcheck-scripts-h' },
    el('h2', { id: 'factcheck-scripts-h' }, t('contacts.fc.title')), el('p', { class: 'hint' }, t('contacts.fc.hint')), body);
}

// draw draws the page in view from fresh answers; only the newest draw
// does, and none once the page is left (boot takes a turn on view): a
// late answer never replaces a newer page, or another page.
async function draw(view) {
  const mine = Vigil.latest(view);
  let cs, gateways, bs, fc;
  try {
    [cs, gateways, bs] = await Promise.all([
      Vigil.api('/api/v1/contacts'), Vigil.api('/api/v1/broadcasts/gateways'), Vigil.api('/api/v1/broadcasts')]);
    fc = await factCheckSection();
  } catch (e) {
    if (mine()) throw e;
    return;
  }
  if (!mine()) return;
  const one = oneSection(view);
  view.replaceChildren(
    el('h1', {}, t('contacts.title')),
    el('p', {}, t('contacts.intro')),
    listSection(cs, one.edit), one.section, importSection(view), broadcastSection(view, gateways, bs, cs), fc);
}

Vigil.registerPage({
  id: 'contacts',
  label: 'contacts.nav',
  minRole: 'analyst',
  order: 47,
  render(view) {
    openFailures = new Set();
    view.append(el('p', {}, t('contacts.loading')));
    draw(view).catch((e) => view.replaceChildren(el('h1', {}, t('contacts.title')), el('p', { class: 'notice error', role: 'alert' }, errText(e))));
    const off = Vigil.on('lang', () => { draw(view).catch(() => {}); });
    return () => off();
  },
});
