// Verify page (#/verify?narrative=ID): a narrative's claim walked through
// the verification workflow — its state and the moves allowed from it, who
// verifies it, the deadline with a timer, notes and evidence links, the
// rating form, publication as a public fact-check page (its link), and the
// answer sent back to the people who sent the rumour to a tipline. The
// server enforces the workflow; this page only offers the allowed moves.
// Without a narrative (#/verify) the page is the queue of the checks in
// progress, late ones first, each linking to its check.
// Everything from users is put in the page as text, never as HTML.
import { Vigil } from './core/vigil.js';
import { clipWords } from './integrity_learn.js';
import { answerTexts } from './core/text.js';
import { audienceText, broadcastForm, notice } from './broadcast_form.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
// A server's refusal: in the page's language when it comes as a message of the dictionary (Vigil.errText), else as the server wrote it.
const errMsg = (e) => Vigil.errMsg(e);
const RATINGS = ['false', 'misleading', 'true', 'unverifiable'];
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/; // Hebrew, Arabic, Syriac, Thaana, N'Ko… letters
let timer = 0;
// What the broadcast form offers (the gateways, the contacts' groups),
// asked once for the narrative shown (render): not again after each step.
let bcSource = null;

const fmtTime = (s) => Vigil.dateTime(s);

/** "due in 3 h 20 min" / "overdue by 2 d 4 h", from now. */
function remaining(deadline) {
  let ms = new Date(deadline).getTime() - Date.now();
  const late = ms < 0;
  ms = Math.abs(ms);
  const d = Math.floor(ms / 86400000);
  const h = Math.floor((ms % 86400000) / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const span = d ? t('verify.span.dh', { d, h }) : h ? t('verify.span.hm', { h, m }) : t('verify.span.m', { m });
  return { late, text: t(late ? 'verify.overdueBy' : 'verify.dueIn', { span }) };
}

function narrativeId() {
  const v = Vigil.params().get('narrative');
  return /^\d+$/.test(v || '') ? Number(v) : 0;
}

async function post(id, body, path = '') {
  return Vigil.api(`/api/v1/integrity/narratives/${id}/check${path}`, { method: 'POST', json: body });
}

/**
 * A small form with its fields and a submit button; onSubmit(values) posts.
 * A field with a kind ('date', 'month', 'datetime') is a Vigil.dateInput.
 */
function stepForm(id, fields, button, onSubmit) {
  const inputs = fields.map((f) => {
    const input = f.kind ? Vigil.dateInput({ id: f.id, label: f.label, kind: f.kind, value: f.value, required: f.required, hint: f.hint })
      : f.tag === 'textarea' ? el('textarea', { id: f.id, rows: '3', maxlength: f.max, required: f.required }, f.value || '')
      : f.tag === 'select' ? el('select', { id: f.id, required: f.required }, ...f.options.map((o) => el('option', { value: o.value, selected: o.value === f.value }, o.label)))
        : el('input', { id: f.id, type: f.type || 'text', value: f.value || '', maxlength: f.max, required: f.required, list: f.list, autocomplete: f.list ? 'off' : null });
    return { f, input };
  });
  return el('form', { id, class: 'verify-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const vals = Object.fromEntries(inputs.map(({ f, input }) => [f.name, input.value]));
    await onSubmit(vals);
  } }, ...inputs.map(({ f, input }) => (input.classList.contains('date-input') ? input : el('div', { class: 'field' }, el('label', { for: f.id }, t(f.label)), input,
    f.count ? Vigil.charCount(input, Number(f.max)) : null, f.hint ? el('span', { class: 'hint' }, t(f.hint)) : null))),
  el('div', { class: 'btn-row' }, el('button', { type: 'submit' }, t(button))));
}

// The datalist of the users a check may be given to (analyst and up),
// filled when their names arrive; left empty if they cannot be read.
function assigneeList() {
  const list = el('datalist', { id: 'verify-assignees' });
  Vigil.api('/api/v1/integrity/assignees').then(({ names }) => {
    list.replaceChildren(...names.map((n) => el('option', { value: n })));
  }).catch(() => {});
  return list;
}

function render(view, id) {
  view.dataset.narrative = String(id); // the narrative shown (the route's may change under it)
  clearInterval(timer);
  bcSource = null;
  const body = el('div', { id: 'verify-body', 'aria-live': 'polite' }, el('p', {}, t('verify.loading')));
  view.replaceChildren(el('h1', {}, t('verify.title')), el('p', { class: 'muted' }, t('verify.intro')), picker(view, id), body);
  if (id) {
    view.insertBefore(el('p', {}, el('a', { id: 'verify-queue-link', href: '#/verify' }, t('verify.queue.back'))), body);
    load(body, id);
  } else queue(body);
}

/** A deadline's words and its late / remaining badge (none once closed). */
function deadlineBadge(deadline, state) {
  if (!deadline || state === 'closed') return null;
  const r = remaining(deadline);
  // One line, its duration never broken (« 3 j 4 » / « h »): app.css
  // keeps a table cell's .badge.deadline unwrapped.
  return el('span', { class: 'badge deadline ' + (r.late ? 'danger' : 'info') }, r.text);
}

// queue draws the checks in progress in box: a table (late ones first,
// then by nearest deadline, then the most recently changed, as the server
// orders them), or how to start one when there are none.
async function queue(box) {
  const mine = Vigil.latest(box);
  let l;
  try {
    l = await Vigil.api('/api/v1/integrity/checks');
  } catch (e) {
    if (mine()) box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errMsg(e)));
    return;
  }
  if (!mine() || !box.isConnected) return;
  if (!l.checks.length) {
    box.replaceChildren(Vigil.empty({ title: 'verify.queue.emptyTitle', body: 'verify.queue.emptyBody', action: { label: 'verify.empty.action', href: '#/integrity?tab=narratives' } }));
    return;
  }
  const ticks = [];
  let unkeyed = false; // a message whose sender cannot be told apart
  const rows = l.checks.map((c) => {
    const tick = el('span', {});
    const upd = () => tick.replaceChildren(...(c.deadline && c.state !== 'closed' ? [' ', deadlineBadge(c.deadline, c.state)] : []));
    upd();
    ticks.push(upd);
    const name = clipWords(c.name || c.claim || c.sample, 80) || `#${c.narrative}`;
    if (c.unkeyed) unkeyed = true;
    return el('tr', { dataset: { narrative: c.narrative } },
      el('td', { 'data-col': 'narrative' }, el('a', { href: `#/verify?narrative=${c.narrative}`, translate: 'no' }, name),
        // Messages and the people who sent them: one villager who sent
        // the rumour five times is one person (a keyed hash of the
        // number, never the number); a message without one counts one.
        el('div', { class: 'muted' }, c.tipline
          ? t('verify.queue.counts', { n: c.items, tip: c.tipline, who: c.senders ?? c.tipline }) + (c.unkeyed ? ' ' + t('verify.queue.unkeyed', { n: c.unkeyed }) : '')
          : t('verify.queue.items', { n: c.items }))),
      el('td', { 'data-col': 'state' }, el('span', { class: 'badge info', dataset: { state: c.state } }, t('verify.state.' + c.state))),
      el('td', { 'data-col': 'rating' }, c.rating ? t('verify.rating.' + c.rating) : t('verify.none')),
      el('td', { 'data-col': 'assignee' }, c.assignee || t('verify.nobody')),
      el('td', { 'data-col': 'deadline' }, c.deadline ? fmtTime(c.deadline) : t('verify.noDeadline'), tick),
      el('td', { 'data-col': 'updated' }, fmtTime(c.updated), c.updated_by ? el('span', { class: 'muted' }, ` · ${c.updated_by}`) : null));
  });
  const cols = ['verify.narrative', 'verify.state', 'verify.rating', 'verify.assignee', 'verify.deadline', 'verify.queue.updated'];
  box.replaceChildren(el('section', { id: 'verify-queue' },
    Vigil.scrollTable(el('table', { class: 'full' },
      el('caption', {}, t('verify.queue.caption')),
      el('thead', {}, el('tr', {}, ...cols.map((k) => el('th', { scope: 'col' }, t(k))))),
      el('tbody', {}, ...rows))),
    unkeyed ? el('p', { class: 'muted', id: 'verify-queue-senders' }, t('verify.queue.sendersHelp')) : null,
    l.more ? el('p', { class: 'muted', id: 'verify-queue-more' }, t('verify.queue.more', { n: l.checks.length })) : null));
  clearInterval(timer);
  timer = setInterval(() => (box.isConnected ? ticks.forEach((f) => f()) : clearInterval(timer)), 30000);
}

/**
 * The narrative chooser: every live narrative by name (else its sample),
 * largest first as the Integrity page's table lists them (the server's
 * order), each with its item count and its check's state when it has one
 * (« DEMO : rumeur d’une nouvelle attaque · 16 contenus · en veille »):
 * the demo's one-item narratives, unnamed and unchecked, are told from
 * those that carry a check.
 * Its number is said only where the name alone does not tell it apart:
 * two narratives of the same name, or none (« Rumeur du pont (récit n° 12) »).
 */
function picker(view, id) {
  const sel = el('select', { id: 'verify-narrative' }, el('option', { value: '' }, t('verify.choose')));
  // The checks' states, those in progress and the closed ones, in one
  // request (state=all; a list that cannot be read leaves the options
  // without states).
  const checks = Vigil.api('/api/v1/integrity/checks', { query: { state: 'all' } }).then((l) => l.checks).catch(() => []);
  Promise.all([Vigil.api('/api/v1/integrity/narratives'), checks]).then(([{ narratives }, all]) => {
    const states = new Map(all.map((c) => [c.narrative, c.state]));
    const names = narratives.map((n) => clipWords(n.name || n.sample, 80) || '');
    const seen = new Map();
    for (const s of names) seen.set(s, (seen.get(s) || 0) + 1);
    narratives.forEach((n, i) => {
      const name = names[i];
      const label = !name ? t('verify.chooser.unnamed', { n: n.id }) : seen.get(name) > 1 ? t('verify.chooser.same', { name, n: n.id }) : name;
      const items = t('verify.queue.items', { n: n.items });
      // A right-to-left sample is isolated, so the count after it stays after it (an option holds text only, no <bdi>).
      const shown = RTL.test(label) ? `\u2068${label}\u2069` : label;
      const state = states.get(n.id);
      sel.append(el('option', { value: n.id, selected: n.id === id, translate: 'no' },
        state ? t('verify.chooser.optionState', { name: shown, items, state: t('verify.chooser.state.' + state) }) : t('verify.chooser.option', { name: shown, items })));
    });
  }).catch(() => {});
  return el('form', { class: 'form-row', onsubmit: (ev) => {
    ev.preventDefault();
    if (sel.value) { Vigil.replaceRoute('#/verify?narrative=' + sel.value); render(view, Number(sel.value)); }
  } }, el('div', { class: 'field' }, el('label', { for: 'verify-narrative' }, t('verify.narrative')), sel),
  el('div', { class: 'field' }, el('button', { type: 'submit' }, t('verify.open'))));
}

// load draws narrative id's check in box. Only the newest load of box
// draws (after two changes saved in quick succession, the first change's
// reload may answer last), and none once box has left the page.
async function load(box, id) {
  const mine = Vigil.latest(box);
  try {
    const c = await Vigil.api(`/api/v1/integrity/narratives/${id}/check`);
    if (mine() && box.isConnected) box.replaceChildren(...panel(c, () => load(box, id)));
  } catch (e) {
    if (mine()) box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errMsg(e)));
  }
}

function panel(c, reload) {
  const analyst = Vigil.can('analyst');
  const id = c.narrative;
  // The page is drawn anew after a step: the focus goes back to the
  // form's button it was taken from, or after a move (its button gone) to
  // the check's new state, not to <body>.
  const act = (fn) => async (vals) => {
    const form = document.activeElement?.closest?.('form[id]');
    try {
      await fn(vals);
      await reload();
      const back = document.querySelector(form ? `#${form.id} button[type="submit"]` : '#verify-state');
      if (back) back.focus();
    } catch (e) { Vigil.notify(Vigil.errText(e)); }
  };
  const parts = [];

  // State, assignee, deadline and its timer.
  const deadline = el('span', { id: 'verify-deadline' }, c.deadline ? fmtTime(c.deadline) : t('verify.noDeadline'));
  const tick = el('span', { id: 'verify-timer' });
  const upd = () => tick.replaceChildren(...(c.deadline && c.state !== 'closed' ? [' ', deadlineBadge(c.deadline, c.state)] : []));
  upd();
  clearInterval(timer);
  timer = setInterval(() => (document.body.contains(tick) ? upd() : clearInterval(timer)), 30000);
  parts.push(el('section', { class: 'card', id: 'verify-summary' },
    el('h2', {}, t('verify.claim')),
    el('blockquote', { id: 'verify-claim' }, c.claim || t('verify.noClaim')),
    // Terms and values side by side, as the app's other facts (dl.pairs, app.css).
    el('dl', { class: 'pairs verify-facts' },
      el('dt', {}, t('verify.state')), el('dd', {}, el('span', { id: 'verify-state', class: 'badge info', tabindex: '-1', dataset: { state: c.state } }, t('verify.state.' + c.state))),
      el('dt', {}, t('verify.rating')), el('dd', { id: 'verify-rating' }, c.rating ? t('verify.rating.' + c.rating) : t('verify.none')),
      el('dt', {}, t('verify.assignee')), el('dd', { id: 'verify-assignee' }, c.assignee || t('verify.nobody')),
      el('dt', {}, t('verify.deadline')), el('dd', {}, deadline, tick),
      el('dt', {}, t('verify.senders')), el('dd', { id: 'verify-senders' }, t('verify.sendersLine', { n: Vigil.num(c.senders), sent: Vigil.num(c.replies_sent) })
        + (c.unkeyed ? ' ' + t('verify.queue.unkeyed', { n: c.unkeyed }) : ''))),
    // What people actually wrote: the narrative's items on the Integrity page.
    el('p', {}, el('a', { id: 'verify-items', href: `#/integrity?tab=items&narrative=${id}` }, t('verify.items')))));

  // The public page, once published.
  if (c.slug) {
    const url = `${location.origin}/factcheck/${c.slug}`;
    parts.push(el('section', { class: 'card', id: 'verify-public' }, el('h2', {}, t('verify.public')),
      el('p', {}, el('a', { id: 'verify-link', href: url, target: '_blank', rel: 'noopener' }, url)),
      el('p', {}, el('a', { href: url + '?lang=fr', hreflang: 'fr', lang: 'fr', target: '_blank', rel: 'noopener' }, t('verify.publicFr')), ' · ',
        el('a', { href: `${location.origin}/factcheck/feed.atom`, target: '_blank', rel: 'noopener' }, t('verify.feed')))));
  }

  if (analyst) {
    // Moves allowed from here (rated has its own form).
    // "Responded" says how the claim was answered when no fact-check
    // answer went to a tipline sender (a broadcast, the radio, a meeting):
    // the server refuses the move without it.
    const how = !c.replies_sent && (c.next || []).includes('responded');
    const moves = (c.next || []).filter((s) => s !== 'rated' && !(how && s === 'responded'));
    if (moves.length || how) {
      parts.push(el('section', { class: 'card', id: 'verify-moves' }, el('h2', {}, t('verify.moves')),
        moves.length ? el('div', { class: 'btn-row' }, ...moves.map((s) => el('button', { type: 'button', dataset: { to: s },
          onclick: () => act(() => post(id, { state: s }))() }, t('verify.moveTo', { state: t('verify.state.' + s) })))) : null,
        how ? stepForm('verify-respond', [{ name: 'response', id: 'verify-respond-how', label: 'verify.respondHow', max: '300', required: true, hint: 'verify.respondHowHint' }],
          'verify.respondSubmit', act((v) => post(id, { state: 'responded', response: v.response }))) : null));
    }
    if ((c.next || []).includes('rated')) {
      parts.push(el('section', { class: 'card' }, el('h2', {}, t('verify.rate')),
        stepForm('verify-rate', [
          { name: 'rating', id: 'verify-rate-rating', label: 'verify.rating', tag: 'select', required: true, value: c.rating,
            options: RATINGS.map((r) => ({ value: r, label: t('verify.rating.' + r) })) },
          { name: 'summary_en', id: 'verify-rate-en', label: 'verify.summaryEn', tag: 'textarea', max: '480', count: true, value: c.summary_en, hint: 'verify.summaryHint' },
          { name: 'summary_fr', id: 'verify-rate-fr', label: 'verify.summaryFr', tag: 'textarea', max: '480', count: true, value: c.summary_fr },
        ], 'verify.rateSubmit', act((v) => post(id, { state: 'rated', ...v })))));
    }
    if (c.rating && !c.slug && !['new', 'monitoring', 'verifying'].includes(c.state)) {
      parts.push(el('section', { class: 'card' }, el('h2', {}, t('verify.publishTitle')), el('p', { class: 'hint' }, t('verify.publishHint')),
        el('button', { type: 'button', id: 'verify-publish', class: 'primary', onclick: () => act(() => post(id, undefined, '/publish'))() }, t('verify.publish'))));
    }
    // Published and rated: the answer can go at once. The server sends it
    // once the response is planned, so from "rated" the button plans it and
    // sends (the send was hidden behind the move « Passer à : Réponse
    // prévue », which nothing said to make).
    const planFirst = c.slug && c.state === 'rated';
    if (c.slug && (planFirst || ['response_planned', 'responded'].includes(c.state))) {
      // Who is left to answer (the server counts them as the answer would):
      // none left, the button is off and says why.
      const left = c.to_answer ?? c.senders;
      parts.push(el('section', { class: 'card' }, el('h2', {}, t('verify.answers')), el('p', { class: 'hint' }, t('verify.answersHint')),
        left ? null : el('p', { id: 'verify-answers-why' }, c.senders ? t('verify.answersAllDone', { n: c.senders }) : t('verify.answersNoSenders')),
        el('button', { type: 'button', id: 'verify-answers', disabled: !left, 'aria-describedby': left ? null : 'verify-answers-why', onclick: async () => {
          try {
            if (planFirst) await post(id, { state: 'response_planned' });
            const r = await post(id, undefined, '/answers');
            Vigil.notify(answersLine(r), 'info');
            reload();
          } catch (e) { Vigil.notify(errMsg(e)); reload(); }
        } }, left ? t(planFirst ? 'verify.answersPlanSend' : 'verify.answersSend', { n: Vigil.num(left) }) : t('verify.answersNone'))));
    }
    parts.push(el('section', { class: 'card verify-steps' }, el('h2', {}, t('verify.work')),
      c.slug ? null : stepForm('verify-claim-form', [{ name: 'claim', id: 'verify-claim-in', label: 'verify.claim', tag: 'textarea', max: '1000', value: c.claim, required: true }],
        'verify.save', act((v) => post(id, { claim: v.claim }))),
      // The users who may verify are offered; any name is still taken (the
      // server accepts any text of 100 characters).
      stepForm('verify-assign', [{ name: 'assignee', id: 'verify-assignee-in', label: 'verify.assignee', max: '100', value: c.assignee, list: 'verify-assignees' }],
        'verify.save', act((v) => post(id, { assignee: v.assignee }))),
      assigneeList(),
      stepForm('verify-deadline-form', [{ name: 'deadline', id: 'verify-deadline-in', label: 'verify.deadlineUtc', kind: 'datetime', value: c.deadline || '' }],
        // The API's form 'YYYY-MM-DD HH:MM' (UTC); '' clears the deadline.
        'verify.save', act((v) => post(id, { deadline: v.deadline.replace('T', ' ') }))),
      stepForm('verify-note', [{ name: 'note', id: 'verify-note-in', label: 'verify.note', tag: 'textarea', max: '4000', required: true }],
        'verify.addNote', act((v) => post(id, { note: v.note }))),
      stepForm('verify-evidence', [
        { name: 'evidence', id: 'verify-evidence-in', label: 'verify.evidence', type: 'url', max: '2000', required: true },
        { name: 'note', id: 'verify-evidence-note', label: 'verify.evidenceNote', max: '4000' },
      ], 'verify.addEvidence', act((v) => post(id, v.note ? { evidence: v.evidence, note: v.note } : { evidence: v.evidence })))));
  }

  // The broadcasts that answer the claim (integrity.LinkBroadcast): each
  // with its channel, when and what the gateways reported (counts), and
  // while the check is in progress the form that sends one from the check
  // (its text the fact-check's answer, once rated) and the one that links
  // one sent earlier by its number.
  if (c.updated_by && c.state !== 'closed') {
    const bs = c.broadcasts || [];
    parts.push(el('section', { class: 'card', id: 'verify-broadcasts' }, el('h2', {}, t('verify.broadcasts')), el('p', { class: 'hint' }, t('verify.broadcastsHint')),
      bs.length ? el('ul', { id: 'verify-broadcast-list' }, ...bs.map((b) => el('li', { dataset: { id: b.id } },
        el('strong', { class: 'audience' }, audienceText(b)), ' — ', broadcastLine(b)))) : null,
      analyst ? sendSection(c, reload) : null,
      analyst ? el('h3', {}, t('verify.broadcast.linkTitle')) : null,
      analyst ? stepForm('verify-broadcast-form', [{ name: 'broadcast', id: 'verify-broadcast-in', label: 'verify.broadcast.id', type: 'number', min: '1', required: true }],
        'verify.broadcast.link', act((v) => post(id, { broadcast: Number(v.broadcast) }, '/broadcasts'))) : null));
  }
  // The log, oldest first.
  parts.push(el('section', { class: 'card' }, el('h2', {}, t('verify.log')),
    (c.log || []).length ? el('ol', { id: 'verify-log' }, ...c.log.map((e) => el('li', { dataset: { kind: e.kind } },
      el('span', { class: 'muted' }, `${fmtTime(e.at)} · ${e.actor} · `),
      t('verify.kind.' + e.kind), ' ', logText(e),
      e.url ? [' ', el('a', { href: e.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, e.url)] : null)))
      : el('p', { class: 'muted' }, t('verify.noLog'))));
  return parts;
}

/** What a log entry says beyond its kind, in the reader's language. */
function logText(e) {
  switch (e.kind) {
    case 'state':
      // The text of a move: the rating given (to rated), how the claim
      // was answered (to responded: the analyst's words, as written).
      if (e.text && e.to === 'responded') return t('verify.fromTo', { from: t('verify.state.' + e.from), to: t('verify.state.' + e.to) }) + ' — ' + t('verify.respondedHow', { how: e.text });
      return t('verify.fromTo', { from: t('verify.state.' + e.from), to: t('verify.state.' + e.to) }) + (e.text ? ` (${t('verify.rating.' + e.text)})` : '');
    case 'reply': {
      let r = {};
      try { r = JSON.parse(e.text); } catch { /* an older entry: shown as is */ return e.text; }
      return answersLine(r);
    }
    case 'publish':
      return '';
    // A narrative merge carried the check (integrity.LogMergedIn /
    // LogMerged); text is the other narrative's id.
    case 'merged_in':
      return t('verify.log.mergedIn', { n: e.text });
    case 'broadcast':
      return t('verify.log.broadcast', { id: e.text });
    case 'merged':
      return t('verify.log.merged', { n: e.text, from: t('verify.state.' + e.from), to: t('verify.state.' + e.to) });
    default:
      return e.text || '';
  }
}

/**
 * The form that sends a broadcast answering check c (POST
 * .../check/broadcasts with a broadcast's body; broadcast_form.js), its
 * texts the fact-check's answer in English and French once rated. Sent,
 * the check is drawn again (reload) and the card says how many people it
 * was queued for (or when it will go), in a status under the list.
 */
function sendSection(c, reload) {
  const result = el('div', { id: 'verify-bc-result', 'aria-live': 'polite' });
  const box = el('div', {}, el('p', { class: 'muted' }, t('verify.loading')));
  bcSource = bcSource || Promise.all([Vigil.api('/api/v1/broadcasts/gateways'), Vigil.api('/api/v1/contacts').catch(() => [])]);
  bcSource.then(([gateways, contacts]) => {
    box.replaceChildren(broadcastForm({ prefix: 'verify-bc', gateways, contacts, texts: answerTexts(c, location.origin), submit: 'verify.bc.submit',
      send: async (req) => {
        const had = new Set((c.broadcasts || []).map((b) => b.id));
        const now = await post(c.narrative, req, '/broadcasts');
        const b = (now.broadcasts || []).find((x) => !had.has(x.id));
        await reload();
        const at = document.getElementById('verify-bc-result');
        if (at && b) notice(at, sentText(b), 'ok');
        document.querySelector('#verify-bc-form button[type="submit"]')?.focus();
      } }));
  }).catch((e) => { bcSource = null; box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errMsg(e))); });
  return el('section', { id: 'verify-bc', 'aria-labelledby': 'verify-bc-h' }, el('h3', { id: 'verify-bc-h' }, t('verify.bc.title')), box, result);
}

/** What came of a broadcast just sent: how many people it was queued for, or when it goes. */
function sentText(b) {
  if (!b.queued_at) return t(b.no_one_now ? 'verify.bc.scheduledNoOne' : 'verify.bc.scheduled', { when: fmtTime(b.scheduled_at) });
  return t('verify.bc.queued', { n: b.recipients, o: b.skipped_opted_out || 0 });
}

/** A broadcast that answers the claim: channel, when, recipients and reach (counts). */
function broadcastLine(b) {
  if (!b.queued_at) return t('verify.broadcast.scheduled', { id: b.id, channel: b.channel, when: fmtTime(b.scheduled_at) });
  // Due to an audience that reached no one: done, nothing sent.
  if (!b.recipients) return t('verify.broadcast.nobody', { id: b.id, channel: b.channel, when: fmtTime(b.queued_at), o: b.skipped_opted_out || 0 });
  return t('verify.broadcast.line', { id: b.id, channel: b.channel, when: fmtTime(b.queued_at), n: b.recipients,
    delivered: Vigil.num(b.delivered || 0), failed: Vigil.num(b.failed || 0), pending: Vigil.num(b.pending || 0) });
}

function answersLine(r) {
  return t('verify.answersDone', { sent: Vigil.num(r.sent || 0), opted: Vigil.num(r.opted_out || 0), none: Vigil.num((r.no_number || 0) + (r.no_gateway || 0)), already: Vigil.num(r.already || 0) });
}

Vigil.registerPage({
  id: 'verify',
  label: 'verify.nav',
  minRole: 'viewer',
  order: 46,
  render(view) {
    const draw = () => render(view, narrativeId());
    draw();
    const off = Vigil.on('lang', draw);
    // The router keeps a page across its own ?queries: a link to another
    // narrative (pasted, or from the address bar) opened while the page
    // shows one redraws it for that narrative.
    const onHash = () => { if (location.hash.startsWith('#/verify') && String(narrativeId()) !== view.dataset.narrative) draw(); };
    window.addEventListener('hashchange', onHash);
    return () => { off(); window.removeEventListener('hashchange', onHash); clearInterval(timer); };
  },
});
