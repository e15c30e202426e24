// The broadcast form, shared by the Contacts page (a broadcast of its
// own) and the Verify page (a broadcast that answers a check): the ready
// gateway, the recipients (a contact group, everyone within a radius of a
// place, an admin area or grid cells), a text per language and when to
// send it (now, or at a time typed in UTC). Its body is
// core/text.js broadcastRequest; a refusal is shown in the form in the
// page's language, next to the field it is about (broadcastField), and
// read out (role=alert). Registers nothing: pages import it.
import { Vigil } from './core/vigil.js';
import { broadcastField, broadcastRequest } from './core/text.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);

/** The languages a broadcast form has a text for, in its order. */
export const BROADCAST_LANGS = ['fr', 'en', 'sw', 'ln', 'ar'];

/** notice puts text in box: an error (role=alert), else a status; '' empties it. */
export function notice(box, text, kind) {
  box.replaceChildren(text ? el('p', { class: `notice ${kind || ''}`, role: kind === 'error' ? 'alert' : 'status' }, text) : '');
}

/**
 * Whom a broadcast to group name reaches among the contacts cs, in words:
 * the active contacts and their languages (which texts to write), or that
 * the group has none (a mistyped name was sent to no one, « 0 en file
 * d’attente », with nothing said before). '' for no name.
 */
export function groupReach(cs, name) {
  const g = name.trim().toLowerCase(); // the server matches groups so
  if (!g) return '';
  const active = cs.filter((c) => !c.opted_out_at && (c.groups || []).some((x) => x.toLowerCase() === g));
  if (!active.length) return t('contacts.bc.groupEmpty', { g: name.trim() });
  const by = new Map();
  for (const c of active) by.set(c.language, (by.get(c.language) || 0) + 1);
  const langs = [...by].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${langName(l)} (${Vigil.num(n)})`).join(', ');
  return t('contacts.bc.groupReach', { n: active.length, langs });
}

/**
 * A broadcast's audience in words, by name ("Group can", "Everyone in
 * Ituri", "20 km around Bunia"; grid cells by the places nearest them
 * and their count, "Everyone in 12 grid cells around Bria", never their
 * numbers): the Contacts page's list, the Verify page's list of the
 * broadcasts that answer a check and the weekly brief say it so. A
 * broadcast stored without one says so.
 */
export function audienceText(b) {
  if (b.group) return t('contacts.bc.toGroup', { g: b.group });
  // « dans la zone Ituri »: an admin-1 unit after French "in", as the Performance page says areas (Vigil.inArea).
  // admin_area_fr: its French name where it differs (Darfour-Nord).
  if (b.admin_area) return t('contacts.bc.toAdmin', { in_a: Vigil.inArea('', (Vigil.lang === 'fr' && b.admin_area_fr) || b.admin_area) });
  if (b.cells && b.cells.length) {
    const around = b.cells_around || [];
    if (!around.length) return t('contacts.bc.toCells', { n: b.cells.length }); // no gazetteer, or no place within 100 km
    const places = new Intl.ListFormat(Vigil.lang, { type: 'conjunction' }).format(around);
    // « autour de Bria », « autour d’Aweil »: French elides before a vowel.
    const deP = (/^[AEIOUÉÈÊÂÎÔÛaeiouéèêâîôû]/.test(places) ? 'd’' : 'de ') + places;
    return t('contacts.bc.toCellsAround', { n: b.cells.length, places, de_places: deP });
  }
  if (b.near_place) return t('contacts.bc.toArea', { r: Vigil.num(b.radius_km), p: b.near_place });
  if (b.lat != null && b.lon != null) return t('contacts.bc.toPoint', { r: Vigil.num(b.radius_km), lat: Vigil.num(b.lat), lon: Vigil.num(b.lon) });
  return t('contacts.bc.toUnknown');
}

/**
 * What a broadcast did, in words: scheduled (its time, and when its
 * audience reaches no one now that it is counted when it is sent), done
 * to no one (nobody in its audience when it was due, or everyone in it had
 * opted out: nothing sent), else its counts.
 */
export function reachText(b) {
  const r = b.reach || {};
  if (!b.queued_at) return t(b.no_one_now ? 'contacts.reach.scheduledNoOne' : 'contacts.reach.scheduled', { at: Vigil.dateTime(b.scheduled_at) });
  if (!r.queued) return t(r.skipped_opted_out ? 'contacts.reach.allOptedOut' : 'contacts.reach.nobody', { at: Vigil.dateTime(b.queued_at), skipped: r.skipped_opted_out || 0 });
  return t('contacts.reach.full', { queued: r.queued, sent: r.sent, delivered: r.delivered || 0, failed: r.failed || 0,
    withheld: r.withheld, skipped: r.skipped_opted_out });
}

/**
 * When a queued broadcast went out, by its state: queued and none sent yet
 * (the time it was queued), sending (queued, some sent, some waiting: the
 * last message's time too), sent (none waiting: the last message's time),
 * or queued and nothing sent (every message withheld or failed). '' for a
 * scheduled one, and for one queued to no one: their reach says their time.
 */
export function whenText(b) {
  const r = b.reach || {};
  if (!b.queued_at || !r.queued) return '';
  const queued = Vigil.dateTime(b.queued_at), sent = b.sent_at ? Vigil.dateTime(b.sent_at) : '';
  if (r.pending > 0) return sent ? t('contacts.bc.sending', { queued, sent }) : t('contacts.bc.queuedAt', { at: queued });
  return sent ? t('contacts.bc.sentAt', { at: sent }) : t('contacts.bc.noneSent', { at: queued });
}

// A language's name in a sentence: lower case in French (« français »).
const langName = (l) => (Vigil.lang === 'fr' ? Vigil.language(l).toLocaleLowerCase('fr') : Vigil.language(l));

/**
 * The language whose text goes to contacts with no text in theirs, as the
 * server chooses it (contacts/broadcast.go): the only one written, else
 * French when written, else the first written by code. '' when none is.
 */
function fallbackLang(written) {
  const ls = [...written].sort();
  if (ls.length <= 1) return ls[0] || '';
  return ls.includes('fr') ? 'fr' : ls[0];
}

/**
 * broadcastForm is the form with id `${prefix}-form`, its controls'
 * ids `${prefix}-gateway`, `-mode`, `-group`, `-place`, `-radius`,
 * `-admin`, `-cells`, `-text-<lang>`, `-at` and its message box `-msg`.
 * gateways are GET /api/v1/broadcasts/gateways' (the ready ones offered),
 * contacts GET /api/v1/contacts' (their groups offered, and whom a group
 * reaches said), texts the texts it starts with by language. send(req)
 * sends the body and says what came of it (a text for the message box,
 * or nothing when it drew the page anew); what it throws is shown in the
 * form, next to the field the server names.
 */
export function broadcastForm({ prefix, gateways, contacts = [], texts = {}, submit = 'contacts.bc.submit', send }) {
  const id = (s) => `${prefix}-${s}`;
  const field = (name, key, control, ...more) => el('div', { class: 'field' },
    el('label', { for: id(name), 'data-i18n': key }, t(key)), control, ...more);
  const msg = el('div', { id: id('msg'), 'aria-live': 'polite' });
  const ready = gateways.filter((g) => g.ready);
  const gw = el('select', { id: id('gateway') }, ...ready.map((g) => el('option', { value: g.id },
    t('contacts.bc.gatewayOpt', { name: g.name, kind: t('admin.channels.kind.' + g.kind), rate: g.rate_per_s }))));
  const mode = el('select', { id: id('mode') },
    el('option', { value: 'group' }, t('contacts.bc.byGroup')), el('option', { value: 'area' }, t('contacts.bc.byArea')),
    el('option', { value: 'admin' }, t('contacts.bc.byAdmin')), el('option', { value: 'cells' }, t('contacts.bc.byCells')));
  // The groups the contacts are in, offered as the name is typed; under it, whom the group reaches.
  const groups = [...new Set(contacts.flatMap((c) => c.groups || []))].sort();
  const group = el('input', { id: id('group'), type: 'text', list: id('groups'), 'aria-describedby': id('group-reach') });
  const groupList = el('datalist', { id: id('groups') }, ...groups.map((g) => el('option', { value: g })));
  const reach = el('p', { id: id('group-reach'), class: 'hint', 'aria-live': 'polite' });
  group.addEventListener('input', () => { reach.textContent = groupReach(contacts, group.value); });
  const admin = el('input', { id: id('admin'), type: 'text' });
  const cells = el('input', { id: id('cells'), type: 'text', inputmode: 'numeric', 'aria-describedby': id('cells-hint') });
  const place = el('input', { id: id('place'), type: 'text' });
  const radius = el('input', { id: id('radius'), type: 'number', min: '1', max: '500', step: 'any', value: '20' });
  const at = Vigil.dateInput({ id: id('at'), label: 'contacts.bc.at', kind: 'datetime', hint: 'contacts.bc.atHint' });
  const areas = {
    group: field('group', 'contacts.bc.group', group, groupList, reach),
    place: field('place', 'contacts.bc.place', place),
    radius: field('radius', 'contacts.bc.radius', radius),
    admin: field('admin', 'contacts.bc.admin', admin),
    cells: field('cells', 'contacts.bc.cells', cells, el('p', { id: id('cells-hint'), class: 'hint' }, t('contacts.bc.cellsHint'))),
  };
  const show = () => {
    const m = mode.value;
    areas.group.hidden = m !== 'group';
    areas.place.hidden = areas.radius.hidden = m !== 'area';
    areas.admin.hidden = m !== 'admin';
    areas.cells.hidden = m !== 'cells';
  };
  mode.addEventListener('change', show);
  show();
  const boxes = Object.fromEntries(BROADCAST_LANGS.map((l) => [l, el('textarea', { id: id('text-' + l), rows: texts[l] ? '4' : '2', maxlength: '640', lang: l }, texts[l] || '')]));
  // Which text the contacts of other languages get, as the texts are
  // written: the hint said « le texte français à défaut » whatever was
  // written, and with English and Arabic texts French speakers got Arabic.
  const fallback = el('p', { id: id('fallback'), class: 'hint', 'aria-live': 'polite' });
  const showFallback = () => {
    const written = BROADCAST_LANGS.filter((l) => boxes[l].value.trim());
    const fb = fallbackLang(written);
    fallback.textContent = !fb ? '' : t(written.length === 1 ? 'contacts.bc.fallbackOne' : 'contacts.bc.fallback', { lang: langName(fb) });
  };
  for (const b of Object.values(boxes)) b.addEventListener('input', showFallback);
  showFallback();

  // A refusal about one field: said under it, the field marked invalid
  // and described by it, and focused.
  const controls = { channel: gw, group, place, radius, admin, cells, at: at.querySelector('input, select') };
  for (const l of BROADCAST_LANGS) controls['text-' + l] = boxes[l];
  const errs = new Map(); // control → its error line
  const clearErrors = () => {
    for (const [c, p] of errs) {
      p.remove();
      c.removeAttribute('aria-invalid');
      const rest = (c.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== p.id).join(' ');
      if (rest) c.setAttribute('aria-describedby', rest); else c.removeAttribute('aria-describedby');
    }
    errs.clear();
  };
  const fieldError = (name, text) => {
    const c = controls[name === 'text' ? 'text-' + BROADCAST_LANGS[0] : name];
    if (!c || c.closest('[hidden]')) return false; // a field of another audience: said in the box
    const p = el('p', { id: `${c.id}-err`, class: 'field-error', role: 'alert' }, text);
    c.closest('.field, fieldset')?.append(p);
    c.setAttribute('aria-invalid', 'true');
    c.setAttribute('aria-describedby', [c.getAttribute('aria-describedby'), p.id].filter(Boolean).join(' '));
    errs.set(c, p);
    c.focus();
    return true;
  };

  const button = el('button', { type: 'submit', class: 'primary' }, t(submit));
  const form = el('form', { id: id('form'), class: 'broadcast-form', onsubmit: async (ev) => {
    ev.preventDefault();
    clearErrors();
    notice(msg, '');
    const req = broadcastRequest({ channel: gw.value, mode: mode.value, group: group.value, place: place.value, radius: radius.value,
      admin: admin.value, cells: cells.value, texts: Object.fromEntries(BROADCAST_LANGS.map((l) => [l, boxes[l].value])), at: at.value });
    button.disabled = true;
    try {
      const said = await send(req);
      if (said) notice(msg, said);
    } catch (e) {
      // Next to its field when it names one, else in the message box.
      const text = Vigil.errText(e);
      if (!fieldError(broadcastField(e && e.field), text)) notice(msg, text, 'error');
    } finally { button.disabled = false; }
  } },
  ready.length ? '' : el('p', { class: 'notice' }, t('contacts.bc.noGateway')),
  field('gateway', 'contacts.bc.gateway', gw),
  el('fieldset', {}, el('legend', {}, t('contacts.bc.audience')),
    field('mode', 'contacts.bc.sendTo', mode),
    areas.group, areas.place, areas.radius, areas.admin, areas.cells),
  el('fieldset', {}, el('legend', {}, t('contacts.bc.texts')),
    ...BROADCAST_LANGS.map((l) => field('text-' + l, 'contacts.bc.text.' + l, boxes[l], Vigil.charCount(boxes[l], 640))), // contacts.MaxMessageChars
    fallback),
  at,
  el('p', { class: 'hint' }, t('contacts.bc.hint')),
  button, msg);
  return form;
}
