// Information integrity page: narratives (volume, reach, languages, places,
// targeted groups, spike flags; name, merge, split), content items with
// their harmful score and why (the words that drove it, lexicon matches
// with their meaning), the mission's lexicon (add, edit, import CSV, the
// starter lexicon), and ways to bring items in (by hand, export upload).
// Item texts are always put in the page as text, never as HTML.
import { Vigil } from './core/vigil.js';
import { listSep } from './core/text.js';
import { passStatus, admin1Table, admin1Line, admin1Title, placeText, cellPlace, nearLabel, labelForm, renderModels, countryName, errMsg, clipWords } from './integrity_learn.js';
import { audienceText } from './broadcast_form.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const TABS = ['narratives', 'where', 'brief', 'items', 'lexicon', 'model', 'add'];
const KINDS = ['rumour', 'post', 'message', 'article', 'radio'];
const state = { tab: 'narratives', narrative: 0, harmful: false, q: '', narratives: [], allNarratives: false };
// The narratives listed before "Show all": the largest (first) ones and any
// with a spike; the rest, often one-item narratives, one click away.
const NARRATIVES_SHOWN = 10;
// The route this page last drew or wrote ('#/integrity?tab=items&narrative=3'):
// a change of the address to another one (Back, Forward, a link pasted or
// followed) draws the page again for it.
let routeShown = '';
/** Write route in the address (a new history entry when push: a tab chosen) and remember it as drawn. */
function writeRoute(route, push) {
  if (push && location.hash.startsWith('#/integrity') && location.hash !== route) history.pushState(null, '', route);
  else Vigil.replaceRoute(route);
  routeShown = location.hash;
}

const pct = (p) => Vigil.percent(Math.round(p * 100));
/** "value (n), …", each value named by name (as it comes by default). */
const counts = (cs, name = (v) => v) => (cs || []).map((c) => `${name(c.value)} (${Vigil.num(c.n)})`).join(', ');
/** A language's name in the page language ("bm": "Bambara"), '—' for none. */
const languageName = (code) => (code ? Vigil.language(code) : '—');

function showError(box, e) {
  box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errMsg(e)));
}

function scoreBadge(it) {
  // An analyst's label decides whether the item counts as harmful (the
  // server's "harmful" when it says it): the badge says the label too.
  const lab = it.labelled ? ` · ${t('integrity.label.' + it.labelled)}` : '';
  const attrs = (cls, title) => ({ class: 'badge integrity-score ' + cls, title, dataset: { item: String(it.id) } });
  if (it.label === 'unscored') return el('span', attrs(it.labelled === 'harmful' ? 'danger' : 'info', t('integrity.unscoredHint')), t('integrity.unscored') + lab);
  const score = it.score;
  const harmful = it.harmful ?? (it.labelled ? it.labelled === 'harmful' : score >= 0.5);
  const cls = harmful ? 'danger' : it.labelled === 'normal' ? 'ok' : score >= 0.3 ? 'warn' : 'ok';
  return el('span', attrs(cls, t('integrity.scoreHint')), `${t('integrity.score')} ${pct(score)}${lab}`);
}

/** A label's answer r on the page: its item's badge and its narrative's harmful count, in place. */
function labelled(r) {
  for (const b of document.querySelectorAll(`.integrity-score[data-item="${r.id}"]`)) b.replaceWith(scoreBadge(r));
  if (!r.narrative || r.narrative_harmful === undefined) return;
  const n = state.narratives.find((m) => m.id === r.narrative);
  if (n) n.harmful = r.narrative_harmful;
  for (const c of document.querySelectorAll(`[data-narrative-harmful="${r.narrative}"]`)) c.textContent = c.dataset.words ? t('integrity.ofNarrativeHarmful', { n: Vigil.num(r.narrative_harmful) }) : Vigil.num(r.narrative_harmful);
}

function narrativeTitle(n) {
  return n.name || n.sample || `#${n.id}`;
}

// ---- narratives -------------------------------------------------------

async function renderNarratives(box, go) {
  box.replaceChildren(el('p', {}, t('integrity.loading')));
  try {
    const [{ narratives }, { spikes }] = await Promise.all([
      Vigil.api('/api/v1/integrity/narratives'), Vigil.api('/api/v1/integrity/spikes')]);
    state.narratives = narratives;
    if (!narratives.length) {
      box.replaceChildren(Vigil.empty({ title: 'integrity.empty.title', body: 'integrity.empty.narratives',
        action: Vigil.can('analyst') ? { label: 'integrity.empty.action', onclick: () => go('add', true) } : undefined }));
      return;
    }
    spikeNotice.seen(spikes);
    const parts = [];
    if (spikes.length) {
      const label = (s) => {
        if (s.by !== 'narrative') return s.key;
        const n = narratives.find((m) => String(m.id) === s.key);
        return n ? clipWords(narrativeTitle(n), 80) : `#${s.key}`;
      };
      parts.push(el('section', { class: 'card', id: 'integrity-spikes' },
        el('h2', {}, t('integrity.spikes.title')),
        el('p', { class: 'hint' }, t('integrity.spikes.rule')),
        el('ul', {}, ...spikes.map((s) => el('li', { dataset: { by: s.by } },
          el('span', { class: 'badge danger' }, t('integrity.spike')), ' ',
          t('integrity.spikes.line', { by: t('integrity.by.' + s.by), key: label(s), day: Vigil.date(s.day), count: s.count, expected: s.expected }))))));
    }
    const analyst = Vigil.can('analyst');
    // One edit panel for the narrative chosen (rename, merge), not a form per row.
    const edit = analyst ? editPanel(box, go) : null;
    if (edit) parts.push(edit.panel);
    const rows = narratives.map((n) => narrativeRow(n, edit, go));
    // Column widths (integrity.css): the narrative takes what the others leave.
    const cols = ['narrative', 'items', 'harmful', 'reach', 'languages', 'places', 'groups', 'period', 'actions'];
    // Below 1000 px wide the table scrolls sideways in its frame (integrity.css), which the keyboard can scroll too.
    parts.push(Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-narratives' },
      el('caption', { id: 'integrity-narratives-caption' }, t('integrity.narratives.caption'), el('span', { class: 'integrity-scroll-hint' }, ' ', t('integrity.narratives.scrollHint'))),
      el('colgroup', {}, ...cols.map((c) => el('col', { class: 'col-' + c }))),
      el('thead', {}, el('tr', {}, ...['integrity.col.narrative', 'integrity.col.items', 'integrity.col.harmful', 'integrity.col.reach',
        'integrity.col.languages', 'integrity.col.places', 'integrity.col.groups', 'integrity.col.period', 'integrity.col.actions']
        .map((k) => el('th', { scope: 'col', class: /items|harmful|reach/.test(k) ? 'num' : undefined }, t(k))))),
      el('tbody', {}, ...rows))));
    if (rows.length > NARRATIVES_SHOWN) {
      const more = el('button', { type: 'button', id: 'integrity-narratives-all', 'aria-controls': 'integrity-narratives' });
      const fold = () => {
        // A narrative with a spike stays listed (the spikes card names it).
        rows.forEach((r, i) => { r.hidden = !state.allNarratives && i >= NARRATIVES_SHOWN && !narratives[i].spike; });
        more.setAttribute('aria-expanded', String(state.allNarratives));
        more.textContent = state.allNarratives ? t('integrity.narratives.fewer', { n: NARRATIVES_SHOWN })
          : t('integrity.narratives.all', { n: rows.length });
      };
      more.addEventListener('click', () => { state.allNarratives = !state.allNarratives; fold(); });
      fold();
      parts.push(el('p', {}, more));
    }
    parts.push(el('p', { class: 'hint', id: 'integrity-harmful-rule' }, t('integrity.harmfulRule', { at: pct(0.5) })));
    box.replaceChildren(...parts);
  } catch (e) {
    showError(box, e);
  }
}

/**
 * The narratives tab's one edit panel: rename the chosen narrative or
 * merge another into it. open(n, opener) shows it for n and focuses the
 * name; Close (or Escape) hides it and returns focus to the row's button.
 */
function editPanel(box, go) {
  const title = el('h2', { id: 'integrity-edit-title' });
  const nameIn = el('input', { id: 'integrity-edit-name', maxlength: '200' });
  const sel = el('select', { id: 'integrity-edit-merge' });
  const mergeRow = el('form', { class: 'integrity-inline', id: 'integrity-edit-mergeform' },
    el('label', { for: 'integrity-edit-merge' }, t('integrity.mergeIn')), sel, el('button', { type: 'submit' }, t('integrity.merge')));
  const close = el('button', { type: 'button', class: 'linklike' }, t('integrity.edit.close'));
  const panel = el('section', { class: 'card', id: 'integrity-edit', hidden: true, 'aria-labelledby': 'integrity-edit-title' }, title,
    el('form', { class: 'integrity-inline', id: 'integrity-edit-rename' },
      el('label', { for: 'integrity-edit-name' }, t('integrity.name')), nameIn, el('button', { type: 'submit' }, t('integrity.save'))),
    mergeRow, close);
  let cur = null;
  let opener = null;
  const hide = () => {
    panel.hidden = true;
    if (opener) opener.setAttribute('aria-expanded', 'false');
    if (opener && opener.isConnected) opener.focus();
    cur = null;
  };
  close.addEventListener('click', hide);
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') hide(); });
  // The list is drawn anew after a rename or merge: the focus goes back to
  // the narrative's « Rename or merge » (its row unfolded), not to <body>.
  const act = (fn) => async (ev) => {
    ev.preventDefault();
    const id = cur.id;
    try {
      await fn();
      await renderNarratives(box, go);
      const back = box.querySelector(`#narrative-edit-${id}`);
      if (back && back.closest('tr').hidden) box.querySelector('#integrity-narratives-all')?.click();
      if (back) back.focus();
    } catch (e) { Vigil.notify(errMsg(e)); }
  };
  panel.querySelector('#integrity-edit-rename').addEventListener('submit', act(() =>
    Vigil.api(`/api/v1/integrity/narratives/${cur.id}`, { method: 'PATCH', json: { name: nameIn.value } })));
  // The merge says what became of the merged narrative's check (moved
  // here, or closed because this one has its own): the page says it too.
  mergeRow.addEventListener('submit', act(async () => {
    const into = cur, from = Number(sel.value);
    const was = state.narratives.find((m) => m.id === from);
    const r = await Vigil.api(`/api/v1/integrity/narratives/${into.id}/merge`, { json: { from } });
    const outcome = r && r.check && r.check.outcome;
    if (outcome === 'moved' || outcome === 'closed') {
      // Both narratives by name: their numbers are shown nowhere else.
      Vigil.notify(t('integrity.mergeCheck.' + outcome, { from: was ? clipWords(narrativeTitle(was), 80) : `#${from}`, name: clipWords(narrativeTitle(into), 80) }), 'info');
    }
  }));
  const open = (n, button) => {
    if (opener && opener !== button) opener.setAttribute('aria-expanded', 'false');
    cur = n;
    opener = button;
    button.setAttribute('aria-expanded', 'true');
    title.textContent = t('integrity.edit.title', { name: clipWords(narrativeTitle(n), 80) });
    nameIn.value = n.name || '';
    const others = state.narratives.filter((m) => m.id !== n.id);
    sel.replaceChildren(...others.map((m) => el('option', { value: m.id }, `#${m.id} ${clipWords(narrativeTitle(m), 60)}`)));
    mergeRow.hidden = !others.length;
    panel.hidden = false;
    nameIn.focus();
  };
  return { panel, open };
}

/**
 * A narrative's first and last days, short ("10 Nov 2026 – 5 Dec 2026", « 10 nov. 2026 – 5 déc. 2026 »), each
 * day kept on one line: one day when they are the same ("6 Dec 2026", not "6 Dec 2026 – 6 Dec 2026").
 */
function period(first, last) {
  const day = (text) => el('span', { class: 'integrity-day' }, text);
  const a = shortDate(first), b = shortDate(last);
  return a === b ? [day(a)] : [day(`${a} –`), ' ', day(b)];
}

/** A day as "10 Nov 2026" / « 10 nov. 2026 », « 1er déc. 2026 » (UTC), the text as given when it is not one. */
function shortDate(s) {
  const d = new Date(String(s ?? ''));
  if (Number.isNaN(d.getTime())) return String(s ?? '');
  return Vigil.dayFormat({ dateStyle: 'medium', timeZone: 'UTC' }, d);
}

function narrativeRow(n, edit, go) {
  // A narrative's name (an analyst's words) or sample (its first item) is
  // data: a sample carries its language, a name is not translated.
  // An unnamed narrative's sample is cut (its whole text is one click away,
  // in its items): a paragraph-long sample made a row a screen high.
  const shown = n.name ? narrativeTitle(n) : clipWords(narrativeTitle(n), 100);
  const title = el('span', { class: 'integrity-text', id: `narrative-title-${n.id}`, lang: n.name ? undefined : langOf({ lang: ((n.languages || [])[0] || {}).value }), translate: n.name ? 'no' : undefined,
    title: shown === narrativeTitle(n) ? undefined : narrativeTitle(n) }, shown);
  const cell = el('th', { scope: 'row' }, title);
  if (n.spike) {
    cell.append(' ', el('span', { class: 'badge danger', title: t('integrity.spikeHint', { day: Vigil.date(n.spike.day), count: n.spike.count, expected: n.spike.expected }) },
      t('integrity.spike')));
  }
  const actions = el('td', { class: 'integrity-actions' },
    el('button', { type: 'button', class: 'linklike', onclick: () => { state.narrative = n.id; go('items', true); } }, t('integrity.viewItems')),
    ' ', el('a', { href: `#/verify?narrative=${n.id}`, class: 'integrity-verify' }, t('verify.button')));
  if (edit) {
    const b = el('button', { type: 'button', class: 'linklike integrity-edit-open', 'aria-controls': 'integrity-edit', 'aria-expanded': 'false',
      id: `narrative-edit-${n.id}`, 'aria-labelledby': `narrative-edit-${n.id} narrative-title-${n.id}` }, t('integrity.edit.open'));
    b.addEventListener('click', () => edit.open(n, b));
    actions.append(' ', b);
  }
  return el('tr', { dataset: { narrative: String(n.id) } }, cell,
    el('td', { class: 'num' }, Vigil.num(n.items)),
    el('td', { class: 'num', dataset: { narrativeHarmful: String(n.id) } }, Vigil.num(n.harmful)),
    el('td', { class: 'num' }, Vigil.num(n.reach)),
    el('td', {}, counts(n.languages, languageName)),
    el('td', {}, counts(n.places)),
    el('td', {}, counts(n.groups)),
    el('td', {}, ...period(n.first, n.last)),
    actions);
}

// ---- items ------------------------------------------------------------

/** The item's language as an HTML lang attribute (so screen readers read it right). */
const langOf = (it) => (/^[a-z]{2}$/.test(it.lang || '') ? it.lang : undefined);

// The starter lexicon's meanings are Vigil's own words (the studies' term
// lists give none): such a term or match carries the sentence's code and
// figure (meaning_code, meaning_pct; lexicon.GeneratedMeaning), shown from
// the code's template in the page's language. Every other meaning (a
// mission's, or a starter meaning an analyst rewrote) is the lexicon's data,
// shown as written and marked not to translate.

/** A term's or match's meaning as shown: its code's template, or null when it is the lexicon's own words. */
const generatedMeaning = (m) => (m.meaning_code ? t('integrity.meaning.' + m.meaning_code, { pct: m.meaning_pct || 0 }) : null);

/** The meaning as an element: generated text in the page's language, else data not to translate. */
function meaningEl(m) {
  const g = generatedMeaning(m);
  return g === null ? el('span', { translate: 'no' }, m.meaning) : el('span', { class: 'integrity-generated' }, g);
}

function why(it) {
  const parts = [];
  // The words that raised the score, for every scored item (the server
  // gives them under the line too), each as text.
  if (it.reasons && it.reasons.length) {
    parts.push(el('p', { class: 'integrity-why' }, t('integrity.why.words', { score: pct(it.score) }), ' ',
      ...it.reasons.map((r, i) => [i ? ', ' : '', el('mark', { lang: langOf(it) }, r.text)])));
  }
  for (const m of it.matches || []) {
    parts.push(el('p', { class: 'integrity-why' }, t('integrity.why.term', { matched: m.matched, term: m.term }),
      m.meaning ? [' — ', meaningEl(m)] : '',
      m.group ? ` (${t('integrity.targets', { group: m.group })})` : '',
      ' ', el('span', { class: 'badge ' + (m.severity >= 3 ? 'danger' : m.severity === 2 ? 'warn' : 'info') }, t('integrity.severity.' + (m.severity || 1)))));
  }
  return parts;
}

/** An item's source in the page's language: a tipline's message is stored with the source "tipline: CHANNEL" (integrity.Service), said « ligne de signalement : CHANNEL » in French. */
function sourceText(it) {
  const m = it.via === 'tipline' && /^tipline: (.*)$/s.exec(it.source || '');
  return m ? t('integrity.item.tiplineSource', { channel: m[1] }) : it.source;
}

function itemCard(it, analyst, selectable) {
  const meta = [Vigil.date(it.time), sourceText(it), it.lang ? languageName(it.lang) : '', it.place ? t('integrity.placeIs', { place: placeText(it) }) : '',
    t('integrity.reachIs', { n: Vigil.num(it.shares + it.reactions + it.views + it.replies) })].filter(Boolean).join(' · ');
  const card = el('li', { class: 'card integrity-item', dataset: { item: String(it.id) } });
  const head = el('div', { class: 'integrity-item-head' });
  if (selectable) {
    const id = `integrity-sel-${it.id}`;
    head.append(el('input', { type: 'checkbox', id, value: it.id, class: 'integrity-select' }), el('label', { for: id, class: 'sr-only' }, t('integrity.select')));
  }
  head.append(scoreBadge(it), ' ', el('span', { class: 'muted' }, meta));
  card.append(head, el('p', { class: 'integrity-text', lang: langOf(it) }, it.text), ...why(it));
  // The label form, the original and the author on one row (integrity.css):
  // a card was 320 px tall, 100 of them 25,000 px, at 1366 px.
  const links = el('p', { class: 'integrity-item-links' });
  if (it.url) links.append(el('a', { href: it.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, t('integrity.open')));
  if (analyst && it.has_author) {
    const out = el('span', { class: 'integrity-author' });
    links.append(el('button', { type: 'button', class: 'linklike', onclick: async () => {
      try {
        const r = await Vigil.api(`/api/v1/integrity/items/${it.id}/author`, { method: 'POST' });
        out.textContent = r.author;
      } catch (e) { Vigil.notify(errMsg(e)); }
    } }, t('integrity.showAuthor')), ' ', out);
  }
  const foot = el('div', { class: 'integrity-item-foot' }, analyst ? labelForm(it, labelled) : null, links.childNodes.length ? links : null);
  if (foot.childNodes.length) card.append(foot);
  return card;
}

/**
 * The notice of a split: the items now form narrative r (named as the
 * list names it: vars.name), a link to its items. Put in as text.
 */
function splitNotice(r, vars) {
  const [before, after] = t('integrity.splitNew', { n: vars.n, name: '\u0000' }).split('\u0000');
  return el('p', { class: 'notice info', id: 'integrity-split-done', role: 'status' }, before,
    el('a', { id: 'integrity-split-link', href: `#/integrity?tab=items&narrative=${r.id}`, translate: 'no' }, vars.name), after ?? '');
}

// ITEMS_PAGE is how many items the Items tab shows at a time.
const ITEMS_PAGE = 100;

/**
 * itemsShown says which of the filter's total items the list shows (« 1–100
 * sur 2 345 contenus »), and the button adding the next page after it,
 * while any remain: the new cards are added to the list and the focus goes
 * to the first of them (the button, gone once all are shown, kept it
 * nowhere); the count, a status, announces the new range.
 */
function moreItems(list, count, total, page, card) {
  const say = () => {
    const shown = list.children.length;
    count.textContent = shown >= total ? t('integrity.items.all', { total })
      : t('integrity.items.range', { from: Vigil.num(1), to: Vigil.num(shown), total });
    // Said again beside the button, where the reader is (not a status: once is enough for a screen reader).
    again.textContent = count.textContent;
    more.hidden = shown >= total;
    again.hidden = more.hidden;
    more.textContent = t('integrity.items.more', { n: Math.min(ITEMS_PAGE, total - shown) });
  };
  const more = el('button', { type: 'button', id: 'integrity-more', onclick: async () => {
    more.disabled = true;
    try {
      const r = await page(list.children.length);
      total = r.total;
      // Items that came in since shifted the pages down: one already shown is not shown twice.
      const cards = r.items.filter((it) => !list.querySelector(`:scope > li[data-item="${it.id}"]`)).map(card);
      list.append(...cards);
      say();
      if (cards.length) {
        cards[0].tabIndex = -1;
        cards[0].focus();
      }
    } catch (e) {
      Vigil.notify(errMsg(e));
    } finally {
      more.disabled = false;
    }
  } });
  const again = el('span', { class: 'muted', 'aria-hidden': 'true' });
  list.after(el('div', { class: 'btn-row integrity-more' }, more, again));
  say();
}

async function renderItems(box, go) {
  const analyst = Vigil.can('analyst');
  const list = el('ul', { id: 'integrity-items', class: 'integrity-list' });
  const qIn = el('input', { id: 'integrity-q', type: 'search', value: state.q, maxlength: '200' });
  const harmIn = el('input', { id: 'integrity-harmful', type: 'checkbox', checked: state.harmful });
  const filters = el('form', { class: 'form-row', onsubmit: (ev) => { ev.preventDefault(); state.q = qIn.value; state.harmful = harmIn.checked; renderItems(box, go); } },
    el('div', { class: 'field' }, el('label', { for: 'integrity-q' }, t('integrity.search')), qIn),
    el('div', { class: 'field' }, el('label', { for: 'integrity-harmful' }, harmIn, ' ', t('integrity.harmfulOnly'))),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('integrity.filter'))));
  const parts = [filters];
  if (state.narrative) {
    const n = state.narratives.find((m) => m.id === state.narrative);
    const of = el('span', { id: 'integrity-of-narrative' }, t('integrity.ofNarrative', { name: n ? narrativeTitle(n) : `#${state.narrative}` }));
    // Opened by its address (the Verify page's link): the narrative's name once the list is known.
    if (!n) {
      const want = state.narrative;
      Vigil.api('/api/v1/integrity/narratives').then(({ narratives }) => {
        const m = narratives.find((x) => x.id === want);
        if (m && of.isConnected) of.textContent = t('integrity.ofNarrative', { name: narrativeTitle(m) });
      }).catch(() => { /* the number stays */ });
    }
    // Its harmful items, kept up to date as items are labelled here.
    const harm = n ? el('span', { id: 'integrity-narrative-harmful', dataset: { narrativeHarmful: String(n.id), words: '1' } }, t('integrity.ofNarrativeHarmful', { n: Vigil.num(n.harmful) })) : null;
    parts.push(el('p', {}, of, harm ? [' ', harm] : null, ' ',
      el('button', { type: 'button', class: 'linklike', onclick: () => { state.narrative = 0; go('items', true); } }, t('integrity.allItems'))));
  }
  // How many of how many are shown, said again (politely) as a page is added.
  const count = el('p', { id: 'integrity-items-count', class: 'muted', role: 'status' });
  parts.push(count, list);
  box.replaceChildren(...parts);
  // A page of the filter's items from offset, with their total (filtered again: paging starts over).
  const page = (offset) => Vigil.api('/api/v1/integrity/items', { query: { narrative: state.narrative || '', harmful: state.harmful ? '1' : '', q: state.q,
    limit: ITEMS_PAGE, offset: offset || '' } });
  try {
    const { items, total } = await page(0);
    if (!items.length) {
      count.remove();
      list.replaceWith(Vigil.empty({ title: 'integrity.empty.title', body: state.q || state.harmful || state.narrative ? 'integrity.empty.filtered' : 'integrity.empty.items',
        action: Vigil.can('analyst') ? { label: 'integrity.empty.action', onclick: () => go('add', true) } : undefined }));
      return;
    }
    const selectable = analyst && state.narrative && total > 1;
    list.replaceChildren(...items.map((it) => itemCard(it, analyst, selectable)));
    moreItems(list, count, total, page, (it) => itemCard(it, analyst, selectable));
    if (selectable) {
      const nameIn = el('input', { id: 'integrity-split-name', maxlength: '200' });
      box.append(el('form', { class: 'form-row', id: 'integrity-split', onsubmit: async (ev) => {
        ev.preventDefault();
        const ids = [...box.querySelectorAll('.integrity-select:checked')].map((c) => Number(c.value));
        // Nothing checked: said here, in the page's words (the server's refusal named its field, « items »).
        if (!ids.length) {
          Vigil.notify(t('integrity.splitNone'));
          box.querySelector('.integrity-select')?.focus();
          return;
        }
        try {
          const r = await Vigil.api(`/api/v1/integrity/narratives/${state.narrative}/split`, { json: { items: ids, name: nameIn.value } });
          // The new narrative by name (else its first item's words, as the
          // list names it), as the merge names them, and a link to its items.
          const vars = { n: r.items || ids.length, name: clipWords(narrativeTitle(r), 80) };
          Vigil.notify(t('integrity.splitDone', vars), 'info');
          // Drawn anew: the focus goes to the items left (it fell to <body>).
          await renderItems(box, go);
          box.querySelector('#integrity-split-done')?.remove();
          box.insertBefore(splitNotice(r, vars), box.firstChild?.nextSibling || null);
          const back = ['#integrity-split button[type="submit"]', '.integrity-item .integrity-label select', '#integrity-q'].map((q) => box.querySelector(q)).find(Boolean);
          if (back) back.focus();
        } catch (e) { Vigil.notify(errMsg(e)); }
      } }, el('div', { class: 'field' }, el('label', { for: 'integrity-split-name' }, t('integrity.splitName')), nameIn),
      el('div', { class: 'field' }, el('button', { type: 'submit' }, t('integrity.split')))));
    }
  } catch (e) {
    showError(list, e);
  }
}

// ---- lexicon ----------------------------------------------------------

// TERM_LANGUAGES are the languages a term can be given, by code: those
// the language identifier tells apart (integrity/langid Languages; an
// item's language is one of them), which a term's must equal to match.
const TERM_LANGUAGES = ['ar', 'bm', 'en', 'fr', 'ha', 'ln', 'sg', 'sw'];

// termLanguage chooses a term's language among TERM_LANGUAGES by name in
// the UI language (as the lexicon table names them), or any language
// (''); a term saved with another code keeps it, as an option of its own.
function termLanguage(id, value) {
  const v = String(value ?? '').toLowerCase();
  const codes = TERM_LANGUAGES.includes(v) || !v ? TERM_LANGUAGES : [...TERM_LANGUAGES, v];
  const named = codes.map((c) => [c, Vigil.language(c)]).sort((a, b) => a[1].localeCompare(b[1], Vigil.lang));
  return el('select', { id, name: 'language' }, el('option', { value: '', selected: !v }, t('integrity.term.anyLanguage')),
    ...named.map(([c, n]) => el('option', { value: c, selected: c === v }, n)));
}

function termForm(term, done) {
  const f = (name, value, attrs = {}) => {
    const id = `integrity-term-${name}-${term.id || 'new'}`;
    return el('div', { class: 'field' }, el('label', { for: id }, t('integrity.term.' + name)), el('input', { id, name, value: value ?? '', ...attrs }));
  };
  const langId = `integrity-term-language-${term.id || 'new'}`;
  const sevId = `integrity-term-severity-${term.id || 'new'}`;
  const form = el('form', { class: 'integrity-term-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const v = (n) => form.elements[n].value;
    const body = { term: v('term'), variants: v('variants').split('|').map((s) => s.trim()).filter(Boolean), language: v('language'),
      meaning: v('meaning'), group: v('group'), severity: Number(v('severity')), source: term.source || 'mission',
      meaning_code: term.meaning_code, meaning_pct: term.meaning_pct }; // kept only while the meaning is its sentence
    try {
      await Vigil.api(term.id ? `/api/v1/integrity/terms/${term.id}` : '/api/v1/integrity/terms', { method: term.id ? 'PUT' : 'POST', json: body });
      done();
    } catch (e) { Vigil.notify(errMsg(e)); }
  } },
  // Two rows at 1366 px (the term and how it is matched / what it means):
  // at a field's width each, « Gravité » wrapped onto a line of its own.
  el('div', { class: 'form-row top' }, f('term', term.term, { required: true, maxlength: '300' }), f('variants', (term.variants || []).join('|')),
    el('div', { class: 'field' }, el('label', { for: langId }, t('integrity.term.language')), termLanguage(langId, term.language)),
    el('div', { class: 'field' }, el('label', { for: sevId }, t('integrity.term.severity')),
      el('select', { id: sevId, name: 'severity' }, ...[1, 2, 3].map((s) => el('option', { value: s, selected: (term.severity || 1) === s }, t('integrity.severity.' + s)))))),
  el('div', { class: 'form-row top' }, f('meaning', term.meaning, { class: 'integrity-wide' }), f('group', term.group)),
  el('div', { class: 'btn-row' }, el('button', { type: 'submit' }, term.id ? t('integrity.save') : t('integrity.term.add'))));
  return form;
}

/** The lexicon tab's search and page, kept across its reloads. */
const lexState = { q: '', page: 1 };
const LEX_PAGE = 50;

/**
 * The lexicon tab, drawn once its terms and the re-matching's status are
 * read. Drawn again (a term saved, the starter loaded, a search, a page),
 * the panel shown stays in place, marked busy, until the new one replaces
 * it: a "Loading…" line in its place took away the buttons under the
 * pointer, and a click aimed at them then pressed nothing. Only the newest
 * drawing is shown (Vigil.latest).
 */
async function renderLexicon(box) {
  const analyst = Vigil.can('analyst');
  const mine = Vigil.latest(box);
  if (!box.firstChild) box.replaceChildren(el('p', {}, t('integrity.loading')));
  box.setAttribute('aria-busy', 'true');
  try {
    const [{ terms }, rematch] = await Promise.all([Vigil.api('/api/v1/integrity/terms'), passStatus('/api/v1/integrity/terms/rematch', 'integrity.rematch', 'integrity-rematch')]);
    if (!mine()) return;
    const reload = () => renderLexicon(box);
    const parts = [rematch];
    if (analyst) {
      const file = el('input', { id: 'integrity-lexicon-file', type: 'file', accept: '.csv,text/csv' });
      const lexResult = el('div', { 'aria-live': 'polite', id: 'integrity-lexicon-result' });
      parts.push(el('section', { class: 'card' }, el('h2', {}, t('integrity.term.new')), termForm({}, reload)),
        el('section', { class: 'card' }, el('h2', {}, t('integrity.lexicon.import')),
          el('p', { class: 'hint' }, t('integrity.lexicon.importHint')),
          el('form', { class: 'form-row', onsubmit: async (ev) => {
            ev.preventDefault();
            const fl = file.files[0];
            // No file chosen: said by the form, the focus on the field (it did nothing).
            if (!fl) { showError(lexResult, new Error(t('integrity.import.noFile'))); file.focus(); return; }
            lexResult.replaceChildren();
            try {
              const r = await Vigil.api('/api/v1/integrity/terms/import', { method: 'POST', query: { name: fl.name }, body: fl });
              Vigil.notify(t('integrity.lexicon.imported', { n: r.terms }), 'info');
              reload();
            } catch (e) { Vigil.notify(errMsg(e)); }
          } }, el('div', { class: 'field' }, el('label', { for: 'integrity-lexicon-file' }, t('integrity.file')), file),
          el('div', { class: 'field' }, el('button', { type: 'submit' }, t('integrity.upload'))), lexResult),
          el('button', { type: 'button', id: 'integrity-starter', onclick: async (ev) => {
            // Pressed once: busy, and not pressed again, until the lexicon is drawn again.
            const b = ev.currentTarget;
            b.disabled = true;
            b.textContent = t('integrity.lexicon.starterBusy');
            try {
              const r = await Vigil.api('/api/v1/integrity/terms/starter', { method: 'POST' });
              Vigil.notify(t('integrity.lexicon.imported', { n: r.terms }), 'info');
              await reload();
            } catch (e) { Vigil.notify(errMsg(e)); }
            b.disabled = false;
            b.textContent = t('integrity.lexicon.starter');
          } }, t('integrity.lexicon.starter'))));
      Vigil.filePick(file);
    }
    if (!terms.length) {
      parts.push(Vigil.empty({ title: 'integrity.empty.title', body: 'integrity.empty.lexicon' }));
    } else {
      // A search (term, variants, meaning, language, group) and pages of
      // LEX_PAGE terms: the whole lexicon in one table is pages long.
      const fold = (x) => String(x || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
      const q = fold(lexState.q);
      const shown = q ? terms.filter((tm) => [tm.term, (tm.variants || []).join(' '), tm.meaning, generatedMeaning(tm), tm.language, tm.language ? languageName(tm.language) : '', tm.group].some((x) => fold(x).includes(q))) : terms;
      const pages = Math.max(1, Math.ceil(shown.length / LEX_PAGE));
      lexState.page = Math.min(Math.max(1, lexState.page), pages);
      const from = (lexState.page - 1) * LEX_PAGE;
      const search = el('input', { id: 'integrity-lexicon-q', type: 'search', value: lexState.q });
      const go = (page) => { lexState.page = page; renderLexicon(box); };
      // The button beside its input (a field of its own, it stood past the
      // long label's end, 200 px from the input).
      parts.push(el('form', { role: 'search', onsubmit: (ev) => { ev.preventDefault(); lexState.q = search.value; lexState.page = 1; renderLexicon(box); } },
        el('div', { class: 'field' }, el('label', { for: search.id }, t('integrity.lexicon.search')),
          el('div', { class: 'integrity-search-line' }, search, el('button', { type: 'submit' }, t('integrity.lexicon.find'))))),
      el('nav', { class: 'btn-row', id: 'integrity-lexicon-pages', 'aria-label': t('integrity.lexicon.pages') },
        el('button', { type: 'button', id: 'integrity-lexicon-prev', disabled: lexState.page <= 1 ? true : null, onclick: () => go(lexState.page - 1) }, t('integrity.lexicon.prev')),
        el('span', { 'aria-live': 'polite' }, t('integrity.lexicon.page', { page: Vigil.num(lexState.page), pages: Vigil.num(pages), n: shown.length })),
        el('button', { type: 'button', id: 'integrity-lexicon-next', disabled: lexState.page >= pages ? true : null, onclick: () => go(lexState.page + 1) }, t('integrity.lexicon.next'))));
      parts.push(Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-terms' },
        el('caption', {}, t('integrity.lexicon.caption', { n: Vigil.num(terms.length) })),
        el('thead', {}, el('tr', {}, ...['term', 'variants', 'language', 'meaning', 'group', 'severity'].map((k) => el('th', { scope: 'col' }, t('integrity.lexicon.col.' + k))),
          analyst ? el('th', { scope: 'col' }, t('integrity.col.actions')) : null)),
        el('tbody', {}, ...shown.slice(from, from + LEX_PAGE).map((tm) => {
          // A term, its variants, meaning and group are the lexicon's own
          // words (the mission's or a study's): marked with the term's
          // language, or as data not to translate.
          const own = tm.language ? { lang: tm.language } : { translate: 'no' };
          const row = el('tr', {}, el('th', { scope: 'row', id: `term-${tm.id}`, ...own }, tm.term), el('td', own, (tm.variants || []).join(', ')), el('td', {}, tm.language ? languageName(tm.language) : ''),
            el('td', {}, meaningEl(tm)), el('td', { translate: 'no' }, tm.group), el('td', {}, t('integrity.severity.' + tm.severity)));
          if (analyst) {
            row.append(el('td', {},
              el('button', { type: 'button', class: 'linklike', id: `term-edit-${tm.id}`, 'aria-labelledby': `term-edit-${tm.id} term-${tm.id}`, 'aria-expanded': 'false', onclick: (ev) => {
                // One edit form per term, its first field focused (each
                // press added another form, the focus left on the button).
                // The button controls the form once it is there: an
                // aria-controls naming no element is invalid (axe).
                if (!document.getElementById(`term-form-${tm.id}`)) row.after(el('tr', { id: `term-form-${tm.id}` }, el('td', { colspan: '7' }, termForm(tm, reload))));
                ev.currentTarget.setAttribute('aria-controls', `term-form-${tm.id}`);
                ev.currentTarget.setAttribute('aria-expanded', 'true');
                document.getElementById(`integrity-term-term-${tm.id}`)?.focus();
              } }, t('integrity.edit')), ' ',
              el('button', { type: 'button', class: 'linklike', id: `term-del-${tm.id}`, 'aria-labelledby': `term-del-${tm.id} term-${tm.id}`, onclick: async () => {
                try {
                  await Vigil.api(`/api/v1/integrity/terms/${tm.id}`, { method: 'DELETE' });
                  reload();
                } catch (e) { Vigil.notify(errMsg(e)); }
              } }, t('integrity.delete'))));
          }
          return row;
        })))));
    }
    box.replaceChildren(...parts);
  } catch (e) {
    if (mine()) showError(box, e);
  } finally {
    if (mine()) box.removeAttribute('aria-busy');
  }
}

// ---- bring items in ----------------------------------------------------

/**
 * The "bring items in" tab, drawn once the feeds card has its list: the
 * list (« No feed yet » or the feeds) came after the tab was shown and
 * pushed the manual item card under it 40 px down.
 */
async function renderAdd(box, go) {
  if (!Vigil.can('analyst')) {
    box.replaceChildren(el('p', { class: 'notice' }, t('integrity.needAnalyst')));
    return;
  }
  const field = (name, input, hint) => el('div', { class: 'field' }, el('label', { for: input.id }, t('integrity.item.' + name)), input,
    hint ? el('span', { class: 'hint' }, t(hint)) : null);
  const text = el('textarea', { id: 'integrity-item-text', rows: '4', required: true, maxlength: '10000' });
  const source = el('input', { id: 'integrity-item-source', maxlength: '300' });
  const kind = el('select', { id: 'integrity-item-kind' }, ...KINDS.map((k) => el('option', { value: k }, t('integrity.kind.' + k))));
  const place = el('input', { id: 'integrity-item-place', maxlength: '300' });
  const when = Vigil.dateInput({ id: 'integrity-item-time', label: 'integrity.item.time', kind: 'datetime', hint: 'integrity.item.timeHint' });
  const url = el('input', { id: 'integrity-item-url', type: 'url', maxlength: '2000' });
  const result = el('div', { 'aria-live': 'polite' });
  const manual = el('form', { id: 'integrity-manual', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const it = await Vigil.api('/api/v1/integrity/items', { json: { text: text.value, source: source.value, kind: kind.value, place: place.value,
        time: when.value ? when.value.replace('T', ' ') : '', url: url.value } });
      manual.reset();
      // Said by the narrative's words (its name, else its first item's
      // text), with the way to its items: « récit n° 34 » was a number the
      // page shows nowhere else.
      const { narratives } = await Vigil.api('/api/v1/integrity/narratives').catch(() => ({ narratives: [] }));
      const n = narratives.find((m) => m.id === it.narrative);
      result.replaceChildren(el('p', { class: 'notice ok' }, t('integrity.item.added', { name: n ? narrativeTitle(n) : `#${it.narrative}` })),
        el('button', { type: 'button', id: 'integrity-manual-see', onclick: () => { state.narrative = it.narrative; go('items', true); } }, t('integrity.item.see')));
    } catch (e) { showError(result, e); }
  } }, field('text', text), el('div', { class: 'form-row top' }, field('source', source, 'integrity.item.sourceHint'), field('kind', kind), field('place', place, 'integrity.item.placeHint')),
  el('div', { class: 'form-row' }, when, field('url', url)),
  el('div', { class: 'btn-row' }, el('button', { type: 'submit' }, t('integrity.item.add'))), result);

  const file = el('input', { id: 'integrity-import-file', type: 'file', accept: '.csv,.tsv,.jsonl,.ndjson,.json,text/csv' });
  const impSource = el('input', { id: 'integrity-import-source', maxlength: '300' });
  const impResult = el('div', { 'aria-live': 'polite', id: 'integrity-import-result' });
  const upload = el('form', { id: 'integrity-import', onsubmit: async (ev) => {
    ev.preventDefault();
    const fl = file.files[0];
    if (!fl) { showError(impResult, new Error(t('integrity.import.noFile'))); return; }
    impResult.replaceChildren(el('p', {}, t('integrity.loading')));
    try {
      const r = await Vigil.api('/api/v1/integrity/import', { method: 'POST', query: { name: fl.name, source: impSource.value }, body: fl });
      impResult.replaceChildren(el('p', { class: 'notice ok' }, t('integrity.import.done', { added: Vigil.num(r.added), updated: Vigil.num(r.updated), narratives: Vigil.num(r.new_narratives) })),
        el('button', { type: 'button', onclick: () => go('narratives', true) }, t('integrity.import.see')));
    } catch (e) { showError(impResult, e); }
  } }, el('p', { class: 'hint' }, t('integrity.import.hint')),
  el('div', { class: 'form-row top' }, field('file', file), el('div', { class: 'field' }, el('label', { for: 'integrity-import-source' }, t('integrity.import.source')), impSource,
    el('span', { class: 'hint' }, t('integrity.import.sourceHint')))),
  el('div', { class: 'btn-row' }, el('button', { type: 'submit' }, t('integrity.upload'))), impResult);
  Vigil.filePick(file);

  const feeds = el('section', { class: 'card', id: 'integrity-feeds' });
  // Tipline messages come in by themselves: the tab says so, and where a
  // channel is made a tipline (an administrator's setting).
  const channels = t('integrity.tipline.where', { page: t('admin.nav'), tab: t('admin.tab.channels') });
  const tipline = el('section', { class: 'card', id: 'integrity-tipline' }, el('h2', {}, t('integrity.tipline.title')),
    el('p', { class: 'hint' }, t('integrity.tipline.hint')),
    Vigil.can('admin') ? el('p', {}, el('a', { href: '#/admin?tab=channels' }, t('integrity.tipline.admin', { where: channels })))
      : el('p', {}, t('integrity.tipline.askAdmin', { where: channels })));
  box.replaceChildren(el('p', {}, t('integrity.loading')));
  await renderFeeds(feeds);
  box.replaceChildren(tipline, el('section', { class: 'card' }, el('h2', {}, t('integrity.import.title')), upload), feeds,
    el('section', { class: 'card' }, el('h2', {}, t('integrity.item.title')), manual));
}

// ---- scheduled feeds ----------------------------------------------------

/**
 * The name of a feed given no source before a poll has read its own title
 * (which its items take): its host name.
 */
function feedHost(url) {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}

// A feed's last failure: the server says it as a message of the catalog
// (i18n/refusals.*.json; integrity.FeedErrorSaid) in the page's language,
// Go's own words kept as technical detail; else its text as stored.
const feedError = (f) => Vigil.errText({ message: f.last_error, key: f.last_error_key, args: f.last_error_args });

// A feed as the list names it: its source, else its title, else its host.
const feedName = (f) => f.source || f.title || feedHost(f.url);

function feedStatus(f) {
  if (!f.last_polled) return el('span', { class: 'muted' }, t('integrity.feeds.never'));
  if (f.last_error) {
    return el('span', {}, el('span', { class: 'badge danger' }, t('integrity.feeds.failed')), ' ', t('integrity.feeds.failedAt', { when: Vigil.dateTime(f.last_polled) }), ' ',
      el('span', { class: 'integrity-feed-error' }, feedError(f)));
  }
  return el('span', {}, el('span', { class: 'badge ok' }, t('integrity.feeds.ok')), ' ',
    t('integrity.feeds.added', { when: Vigil.dateTime(f.last_polled), n: Vigil.num(f.last_added) }));
}

async function renderFeeds(card) {
  const url = el('input', { id: 'integrity-feed-url', type: 'url', required: true, maxlength: '2000', placeholder: 'https://' });
  const source = el('input', { id: 'integrity-feed-source', maxlength: '300' });
  const every = el('input', { id: 'integrity-feed-every', type: 'number', min: '5', max: '10080', value: '60', required: true });
  const result = el('div', { 'aria-live': 'polite', id: 'integrity-feed-result' });
  const list = el('div', {});
  const reload = () => renderFeedList(list, result);
  const form = el('form', { id: 'integrity-feed-form', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await Vigil.api('/api/v1/integrity/feeds', { json: { url: url.value, source: source.value, every_minutes: Number(every.value) } });
      form.reset();
      result.replaceChildren(el('p', { class: 'notice ok' }, t('integrity.feeds.saved')));
      reload();
    } catch (e) { showError(result, e); }
  } }, el('p', { class: 'hint' }, t('integrity.feeds.hint')),
  el('div', { class: 'form-row top' },
    el('div', { class: 'field' }, el('label', { for: url.id }, t('integrity.feeds.url')), url),
    el('div', { class: 'field' }, el('label', { for: source.id }, t('integrity.feeds.source')), source, el('span', { class: 'hint' }, t('integrity.feeds.sourceHint'))),
    el('div', { class: 'field' }, el('label', { for: every.id }, t('integrity.feeds.every', { max: Vigil.num(10080) })), every)),
  el('div', { class: 'btn-row' }, el('button', { type: 'submit' }, t('integrity.feeds.add'))), result);
  await reload();
  card.replaceChildren(el('h2', {}, t('integrity.feeds.title')), form, list);
}

async function renderFeedList(list, result) {
  try {
    const { feeds } = await Vigil.api('/api/v1/integrity/feeds');
    if (!feeds.length) {
      list.replaceChildren(el('p', { class: 'muted' }, t('integrity.feeds.none')));
      return;
    }
    const again = () => renderFeedList(list, result);
    list.replaceChildren(Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-feed-list' },
      el('caption', {}, t('integrity.feeds.caption')),
      el('thead', {}, el('tr', {}, ...['url', 'source', 'every', 'status', 'actions'].map((k) => el('th', { scope: 'col' }, t('integrity.feeds.col.' + k))))),
      el('tbody', {}, ...feeds.map((f) => el('tr', { dataset: { feed: String(f.id) } },
        el('th', { scope: 'row', class: 'integrity-text' }, f.url),
        el('td', {}, feedName(f)),
        el('td', {}, t('integrity.feeds.minutes', { n: Vigil.num(f.every_minutes) })),
        el('td', { class: 'integrity-feed-status' }, feedStatus(f)),
        // The actions spaced by their row's gap; a wrapped one starts at the cell's edge.
        el('td', {}, el('div', { class: 'btn-row' },
          el('button', { type: 'button', class: 'linklike integrity-feed-poll', 'aria-label': t('integrity.feeds.pollOne', { url: f.url }), onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              const got = await Vigil.api(`/api/v1/integrity/feeds/${f.id}/poll`, { method: 'POST' });
              if (got.last_error) result.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, t('integrity.feeds.pollFailed', { feed: feedName(got), error: feedError(got) })));
              else result.replaceChildren(el('p', { class: 'notice ok' }, t('integrity.feeds.polled', { feed: feedName(got), n: Vigil.num(got.last_added || 0) })));
            } catch (e) { showError(result, e); }
            again();
          } }, t('integrity.feeds.poll')), ' ',
          el('button', { type: 'button', class: 'linklike', 'aria-label': t('integrity.feeds.removeOne', { url: f.url }), onclick: async () => {
            try {
              await Vigil.api(`/api/v1/integrity/feeds/${f.id}`, { method: 'DELETE' });
              result.replaceChildren(el('p', { class: 'notice ok' }, t('integrity.feeds.removed', { feed: feedName(f) })));
            } catch (e) { showError(result, e); }
            again();
          } }, t('integrity.feeds.remove'))))))))));
  } catch (e) {
    showError(list, e);
  }
}

// ---- where it matters: items by cell, with risk and coverage ---------------

/** The where query from the map's filters (dates, country, month). */
function whereQuery(f) {
  f = f || Vigil.filters || {};
  return { from: f.from || '', to: f.to || '', country: f.country || '', month: f.month || '' };
}

/** A cell's country in the page's language, as the gazetteer names it ("DR Congo", not the events' "DR Congo (Zaire)"). */
const countryOf = (c) => (Vigil.lang === 'fr' ? c.country_fr : c.country_name) || c.country || '—';
/** A cell's name: its items' places, else the place near its centre, else (none within reach) its number. */
const cellName = (c) => (c.places && c.places.length ? c.places.map((p) => p.value).slice(0, 3).join(', ') : nearLabel(c) || t('integrity.where.cell', { cell: c.cell }));

/**
 * Where a cell's sentences say it is, with its preposition and no cell
 * number when a place names it: « à Bunia (RD Congo) », « près de Goma,
 * Nord-Kivu (RD Congo) » (a label already saying « près de » takes no
 * other), « dans la cellule 127139 » when no place is within reach.
 */
function cellWhere(c) {
  if (c.places && c.places.length) {
    return c.country ? t('integrity.where.in', { place: cellName(c), country: countryOf(c) }) : t('integrity.where.at', { place: cellName(c) });
  }
  const near = nearLabel(c);
  if (near) return /^(près d|near )/.test(near) ? near : t('integrity.where.at', { place: near });
  return t('integrity.where.inCell', { cell: c.cell });
}

/** The statements of a cell, as text: what is rising there, and its risk and coverage. */
function cellLines(c, rep) {
  const where = cellWhere(c);
  const lines = [];
  for (const g of c.groups.filter((x) => x.rising)) {
    lines.push(t('integrity.where.groupRising', { group: g.value, where, recent: Vigil.num(g.recent), before: Vigil.num(g.before) }));
  }
  if (c.harmful.rising) lines.push(t('integrity.where.harmfulRising', { where, recent: Vigil.num(c.harmful.recent), before: Vigil.num(c.harmful.before) }));
  for (const n of c.rising.slice(0, 3)) lines.push(t('integrity.where.narrativeRising', { name: n.name || `#${n.id}`, where, recent: Vigil.num(n.recent), before: Vigil.num(n.before) }));
  const risk = rep.risk_is_forecast ? pct(c.risk) : Vigil.num(c.risk);
  const cov = c.covered === null || c.covered === undefined ? t('integrity.where.coverUnknown') : c.covered ? t('integrity.where.covered') : t('integrity.where.uncovered');
  lines.push(t(rep.risk_is_forecast ? 'integrity.where.riskForecast' : 'integrity.where.riskRecent', { risk }) + ' · ' + cov);
  return lines;
}

function cellColour(c) {
  if (c.alert) return '#b2182b';
  if (c.harmful.items || c.groups.length) return '#ef8a62';
  return '#67a9cf';
}

async function renderWhere(box) {
  box.replaceChildren(el('p', {}, t('integrity.loading')));
  const q = whereQuery();
  try {
    const rep = await Vigil.api('/api/v1/integrity/where', { query: q });
    const filters = [q.from || q.to ? t('integrity.where.dates', { from: Vigil.date(rep.from), to: Vigil.date(rep.to) }) : t('integrity.where.lastDays', { from: Vigil.date(rep.from), to: Vigil.date(rep.to) }),
      q.country ? t('integrity.where.country', { country: q.country }) : '',
      rep.month_asked ? t('integrity.where.monthFallback', { month: Vigil.month(rep.month), asked: Vigil.month(rep.month_asked) }) : t('integrity.where.month', { month: Vigil.month(rep.month) })].filter(Boolean).join(' · ');
    const parts = [el('p', { class: 'hint', id: 'integrity-where-filters' }, filters, ' ', el('a', { href: '#/map?layers=integrity&types=&fit=integrity' }, t('integrity.where.onMap'))),
      el('p', { class: 'hint' }, t('integrity.where.rule', { days: 7, min: 2, from: rep.risk_is_forecast ? pct(rep.at_risk_from) : Vigil.num(rep.at_risk_from) }),
        rep.risk_code === 'forecast' && rep.risk_params ? ` ${t('integrity.where.riskForecastDef', { forecast: rep.risk_params.made ? t('integrity.where.forecastOf', { made: Vigil.date(rep.risk_params.made) }) : t('integrity.where.forecastNo', { run: Vigil.num(rep.risk_params.run) }), horizon: rep.risk_params.horizon,
          model: t(rep.risk_params.model === 'gbt' ? 'integrity.where.modelLearned' : 'integrity.where.modelBaseline', { model: rep.risk_params.model }) })}`
          : rep.risk_code ? ` ${t(rep.risk_code === 'forecast' ? 'integrity.where.riskForecastDefBare' : 'integrity.where.riskRecentDef')}` : '')];
    // Placing items again is upkeep: it comes after what the tab is read
    // for (the alerts and tables), not between the rule and the alerts.
    const relocate = Vigil.can('analyst') ? [relocateCard(box)] : [];
    if (rep.coverage_note) parts.push(el('p', { class: 'notice' }, t('integrity.where.noCoverage'), ' ', rep.coverage_code ? t(rep.coverage_code === 'no_grid' ? 'integrity.where.noGrid' : 'integrity.where.unavailable') : rep.coverage_note));
    if (!rep.cells.length) {
      parts.push(Vigil.empty({ title: 'integrity.empty.title', body: 'integrity.where.empty' }), ...relocate);
      box.replaceChildren(...parts);
      return;
    }
    const alerts = rep.cells.filter((c) => c.alert);
    parts.push(el('section', { class: 'card', id: 'integrity-where-alerts' }, el('h2', {}, t('integrity.where.alertsTitle', { n: Vigil.num(alerts.length) })),
      alerts.length ? el('ul', {}, ...alerts.map((c) => el('li', { dataset: { cell: String(c.cell) } }, el('span', { class: 'badge danger' }, t('integrity.where.alert')), ' ',
        cellLines(c, rep).join(' ')))) : el('p', { class: 'muted' }, t('integrity.where.noAlert'))));
    parts.push(Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-where' },
      el('caption', {}, t('integrity.where.caption', { n: Vigil.num(rep.cells.length), unplaced: Vigil.num(rep.unplaced) })),
      el('thead', {}, el('tr', {}, ...['place', 'country', 'items', 'harmful', 'groups', 'rising', 'risk', 'coverage'].map((k) =>
        el('th', { scope: 'col', class: /items|harmful|risk/.test(k) ? 'num' : undefined }, t('integrity.where.col.' + k))))),
      el('tbody', {}, ...rep.cells.map((c) => el('tr', { dataset: { cell: String(c.cell) }, class: c.alert ? 'integrity-alert' : undefined },
        el('th', { scope: 'row', title: t('integrity.where.cell', { cell: c.cell }) }, cellPlace(c, rep.admin1 || [])),
        el('td', {}, countryOf(c)),
        el('td', { class: 'num' }, Vigil.num(c.items)),
        el('td', { class: 'num' }, `${Vigil.num(c.harmful.items)}${c.harmful.rising ? ' ↑' : ''}`),
        el('td', {}, c.groups.map((g) => `${g.value} (${Vigil.num(g.items)}${g.rising ? ' ↑' : ''})`).join(', ')),
        el('td', { translate: 'no' }, c.rising.map((n) => n.name || `#${n.id}`).join(listSep(Vigil.lang))),
        el('td', { class: 'num' }, rep.risk_is_forecast ? pct(c.risk) : Vigil.num(c.risk)),
        el('td', {}, c.covered === null || c.covered === undefined ? '—' : c.covered ? t('integrity.where.yes') : t('integrity.where.no'))))))));
    parts.push(admin1Table(rep.admin1 || []), ...relocate);
    box.replaceChildren(...parts);
  } catch (e) {
    showError(box, e);
  }
}

/**
 * The analyst's re-location: every item without an admin-1 area is placed
 * again with the current gazetteer (as at start-up); the view is redrawn and
 * the banner says how many items the gazetteer placed.
 */
function relocateCard(box) {
  const btn = el('button', { type: 'button', id: 'integrity-relocate', onclick: async () => {
    btn.disabled = true;
    try {
      const r = await Vigil.api('/api/v1/integrity/items/relocate', { method: 'POST' });
      await renderWhere(box);
      Vigil.notify(t('integrity.relocate.done', { checked: r.checked, relocated: r.relocated }), 'info');
    } catch (e) {
      btn.disabled = false;
      Vigil.notify(errMsg(e));
    }
  } }, t('integrity.relocate.button'));
  return el('section', { class: 'card', id: 'integrity-relocate-card' }, el('h2', {}, t('integrity.relocate.title')),
    el('p', { class: 'hint' }, t('integrity.relocate.hint')), btn);
}

// The map layer: cells with items, red where harmful speech is rising in a
// cell at risk that no patrol reaches; the map's dates, country and month.
Vigil.registerLayer({
  id: 'integrity',
  label: 'integrity.where.layer',
  create: () => L.featureGroup(), // its bounds: the Where tab's link fits the map to its cells
  async update(layer, ctx) {
    const rep = await ctx.api('/api/v1/integrity/where', { query: whereQuery(ctx.filters), signal: ctx.signal });
    layer.clearLayers();
    for (const c of rep.cells) {
      const h = 0.25;
      const r = L.rectangle([[c.lat - h, c.lon - h], [c.lat + h, c.lon + h]],
        { color: cellColour(c), weight: c.alert ? 3 : 1, fillColor: cellColour(c), fillOpacity: 0.45, className: 'integrity-cell' + (c.alert ? ' integrity-cell-alert' : '') });
      r.bindTooltip(Vigil.plain(`${cellName(c)} · ${t('integrity.where.tip', { items: Vigil.num(c.items), harmful: Vigil.num(c.harmful.items) })}`));
      r.bindPopup(() => el('div', { class: 'integrity-popup' }, el('strong', {}, cellName(c)), admin1Line(c, rep.admin1), ...cellLines(c, rep).map((l) => el('p', {}, l))));
      layer.addLayer(r);
    }
    // Harmful speech by first-level area. Vigil ships no admin-1 boundaries,
    // so none is drawn: each area is a circle at the centre of its cells
    // (weighted by their items there), sized by its harmful items, and
    // named; never an author's location.
    for (const a of rep.admin1 || []) {
      let lat = 0, lon = 0, w = 0;
      for (const c of rep.cells) {
        const n = ((c.admin1 || []).find((x) => x.value === a.admin1) || {}).n || 0;
        lat += c.lat * n; lon += c.lon * n; w += n;
      }
      if (!w) continue;
      const m = L.circleMarker([lat / w, lon / w], { radius: 6 + 3 * Math.sqrt(a.harmful), color: '#5e3c99', weight: 2, fillOpacity: 0.15, className: 'integrity-admin1' });
      m.bindTooltip(Vigil.plain(t('integrity.admin1.tip', { area: admin1Title(a), country: countryName(a), harmful: Vigil.num(a.harmful), items: Vigil.num(a.items), cells: Vigil.num(a.cells) })));
      layer.addLayer(m);
    }
  },
  legend() {
    // Its entries are sentences: they wrap within the sidebar (.integrity-legend).
    return el('div', { class: 'legend integrity-legend' },
      el('span', { class: 'swatch' }, el('i', { style: 'background:#b2182b' }), t('integrity.where.legendAlert')),
      el('span', { class: 'swatch' }, el('i', { style: 'background:#ef8a62' }), t('integrity.where.legendHarmful')),
      el('span', { class: 'swatch' }, el('i', { style: 'background:#67a9cf' }), t('integrity.where.legendItems')),
      el('span', { class: 'swatch' }, el('i', { style: 'border:2px solid #5e3c99;border-radius:50%' }), t('integrity.where.legendAdmin1')));
  },
});

// ---- the weekly information-environment brief (printable) ----------------

/** A brief's table under its own heading (h3, or h4 below another), which labels it; "None this week." for no rows. */
function briefTable(id, heading, cols, rows, level = 'h3') {
  if (!rows.length) return [el(level, { id: `${id}-title` }, heading), el('p', { class: 'muted', id }, t('integrity.brief.none'))];
  return [el(level, { id: `${id}-title` }, heading), Vigil.scrollTable(el('table', { class: 'full', id, 'aria-labelledby': `${id}-title` },
    el('thead', {}, el('tr', {}, ...cols.map(([k, num]) => el('th', { scope: 'col', class: num ? 'num' : undefined }, t('integrity.brief.col.' + k))))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', { class: cols[i][1] ? 'num' : undefined }, c))))))))];
}

const shareRows = (xs, label) => xs.map((x) => [label(x.value, x), Vigil.num(x.items), Vigil.num(x.harmful), pct(x.share)]);
/** A brief's first-level area with its country's name in the page's language ("Ituri, RD Congo"). */
const admin1Name = (x) => (!x.value ? t('integrity.brief.noAdmin1') : x.admin1 && x.country ? `${admin1Title(x)}, ${countryName(x)}` : x.value);

async function renderBrief(box, end, printable, redraw) {
  const endIn = Vigil.dateInput({ id: 'integrity-brief-end', label: 'integrity.brief.end', value: end || '' });
  const printLink = el('a', { id: 'integrity-brief-printable', href: briefLink(end, true), onclick: redraw ? follow(redraw) : null }, t('integrity.brief.printable'));
  const controls = el('form', { class: 'form-row no-print', onsubmit: (ev) => { ev.preventDefault(); renderBrief(box, endIn.value, false, redraw); } },
    endIn,
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('integrity.brief.show'))),
    el('div', { class: 'field' }, el('button', { type: 'button', id: 'integrity-brief-print', onclick: () => window.print() }, t('integrity.brief.print'))),
    el('div', { class: 'field' }, printLink));
  const out = el('div', { id: 'integrity-brief' }, el('p', {}, t('integrity.loading')));
  box.replaceChildren(...(printable ? [] : [controls]), out);
  try {
    const b = await Vigil.api('/api/v1/integrity/brief', { query: { end: end || '' } });
    if (!end) endIn.value = b.to;
    printLink.href = briefLink(b.to, true);
    // Only while this brief is still the one shown: a newer route (the
    // printable brief asked meanwhile) must not be written over.
    if (!printable && out.isConnected && !printParams().print) writeRoute(briefLink(end ? b.to : '', false), false);
    const shareCols = [['items', true], ['harmful', true], ['share', true]];
    const langCols = [['language', false], ...shareCols];
    const placeCols = [['place', false], ...shareCols];
    const parts = [el('h2', {}, t('integrity.brief.title', { from: Vigil.date(b.from), to: Vigil.date(b.to) })),
      el('p', { id: 'integrity-brief-summary' }, t('integrity.brief.summary', { items: Vigil.num(b.items), harmful: Vigil.num(b.harmful), share: pct(b.share), reach: Vigil.num(b.reach) })),
      el('p', { class: 'hint', id: 'integrity-brief-harmful-rule' }, t('integrity.harmfulRule', { at: pct(0.5) })),
      ...(b.narratives.length ? briefTable('integrity-brief-narratives', t('integrity.brief.narratives'),
        [['narrative', false], ['items', true], ['harmful', true], ['reach', true], ['languages', false]],
        b.narratives.map((n) => [el('span', { translate: 'no' }, n.name || `#${n.id}`, n.spike ? [' ', el('span', { class: 'badge danger' }, t('integrity.spike'))] : ''),
          Vigil.num(n.items), Vigil.num(n.harmful), Vigil.num(n.reach), counts(n.languages, languageName)]))
        : [el('h3', {}, t('integrity.brief.narratives')), el('p', { class: 'muted' }, t('integrity.brief.none'))]),
      el('h3', {}, t('integrity.spikes.title')),
      b.spikes.length ? el('ul', { id: 'integrity-brief-spikes' }, ...b.spikes.map((x) => el('li', {}, t('integrity.spikes.line', {
        by: t('integrity.by.' + x.by), key: x.by === 'narrative' ? ((b.narratives.find((n) => String(n.id) === x.key) || {}).name || `#${x.key}`) : x.key,
        day: Vigil.date(x.day), count: x.count, expected: x.expected })))) : el('p', { class: 'muted' }, t('integrity.brief.noSpike')),
      ...briefTable('integrity-brief-lang', t('integrity.brief.byLanguage'), langCols, shareRows(b.by_language, languageName)),
      ...briefTable('integrity-brief-area', t('integrity.brief.byArea'), placeCols, shareRows(b.by_area, (v) => v || t('integrity.brief.noPlace'))),
      ...briefTable('integrity-brief-admin1', t('integrity.brief.byAdmin1'), placeCols, shareRows(b.by_admin1 || [], (v, x) => admin1Name(x))),
      el('h3', {}, t('integrity.brief.groups')),
      b.groups.length ? el('p', { id: 'integrity-brief-groups' }, counts(b.groups)) : el('p', { class: 'muted' }, t('integrity.brief.none')),
      el('h3', {}, t('integrity.brief.responses')),
      el('p', { id: 'integrity-brief-reach' }, t('integrity.brief.reach', { n: Vigil.num(b.response_reach), checks: Vigil.num(b.fact_checks.length), broadcasts: Vigil.num(b.broadcasts.length) }))];
    if (b.fact_checks.length) {
      parts.push(...briefTable('integrity-brief-checks', t('integrity.brief.checks'), [['claim', false], ['rating', false], ['published', false], ['answered', true]],
        b.fact_checks.map((c) => [el('span', { translate: 'no' }, c.claim || `#${c.narrative}`), t('verify.rating.' + c.rating), Vigil.date(c.published), Vigil.num(c.answered)]), 'h4'));
    }
    if (b.broadcasts.length) {
      parts.push(...briefTable('integrity-brief-broadcasts', t('integrity.brief.broadcasts'), [['audience', false], ['created', false], ['queued', true], ['sent', true]],
        b.broadcasts.map((x) => [audienceText(x), Vigil.date(x.created), Vigil.num(x.queued), Vigil.num(x.sent)]), 'h4'));
    }
    out.replaceChildren(...parts);
  } catch (e) {
    showError(out, e);
  }
}

// ---- spike notice for the analysts on duty --------------------------------

// The Integrity entry of the menu carries a badge with the number of current
// spike flags (narratives, terms, places) this browser has not shown yet;
// analysts' browsers check every minute, and the narratives tab marks them
// seen. vigil serve also posts each new flag to the escalation webhook.
const spikeNotice = (() => {
  const KEY = 'vigil.integrity.spikesSeen';
  const id = (s) => `${s.by}|${s.key}|${s.day}`;
  let current = [];
  let timer = 0;
  const seenSet = () => {
    try { return new Set(JSON.parse(localStorage.getItem(KEY) || '[]')); } catch { return new Set(); }
  };
  const draw = () => {
    const link = document.getElementById('nav-integrity');
    if (!link) return;
    link.querySelector('.integrity-nav-badge')?.remove();
    const seen = seenSet();
    const n = current.filter((k) => !seen.has(k)).length;
    if (!n) return;
    link.append(el('span', { class: 'badge danger integrity-nav-badge', id: 'integrity-spike-badge', title: t('integrity.spikes.unseen', { n }) },
      el('span', { 'aria-hidden': 'true' }, Vigil.num(n)), el('span', { class: 'sr-only' }, t('integrity.spikes.unseen', { n }))));
  };
  const check = async () => {
    if (!Vigil.user || !Vigil.can('analyst') || !Vigil.serves('integrity')) return;
    try {
      const { spikes } = await Vigil.api('/api/v1/integrity/spikes');
      current = spikes.map(id);
      draw();
    } catch { /* offline or not available: the badge stays as it was */ }
  };
  const later = () => setTimeout(draw, 0); // after the menu is drawn again
  Vigil.on('page', () => {
    if (!timer && Vigil.user && Vigil.can('analyst')) {
      timer = setInterval(check, 60000);
      check();
    }
    later();
  });
  Vigil.on('lang', later);
  return {
    /** The page showed these flags: they are seen. */
    seen(spikes) {
      current = spikes.map(id);
      try { localStorage.setItem(KEY, JSON.stringify(current)); } catch { /* private mode: the badge stays */ }
      draw();
    },
  };
})();

// ---- the page -----------------------------------------------------------

Vigil.registerPage({
  id: 'integrity',
  label: 'integrity.nav',
  minRole: 'viewer',
  order: 45,
  render(view) {
    const draw = () => {
      view.replaceChildren();
      drawPage(view, draw);
    };
    draw();
    const off = Vigil.on('lang', draw);
    // The router keeps a page across its own ?queries: the page draws
    // itself again when the address names another tab, narrative, week or
    // the printable brief than it shows (Back and Forward between tabs, a
    // link pasted or followed); the tabs write their route as they open.
    const onHash = () => { if (location.hash.startsWith('#/integrity') && location.hash !== routeShown) draw(); };
    window.addEventListener('hashchange', onHash);
    return () => { off(); window.removeEventListener('hashchange', onHash); document.body.classList.remove('print-page'); };
  },
});

/** The route's query: the tab, the brief's last day, whether the printable brief is asked and the narrative whose items are listed. */
function printParams() {
  const q = Vigil.params();
  return { tab: q.get('tab'), end: /^\d{4}-\d{2}-\d{2}$/.test(q.get('end') || '') ? q.get('end') : '', print: q.get('tab') === 'brief' && q.get('print') === '1',
    narrative: /^\d+$/.test(q.get('narrative') || '') ? Number(q.get('narrative')) : 0 };
}

/** The link to a week's brief, on the page or as the printable page. */
const briefLink = (end, print) => '#/integrity?tab=brief' + (end ? '&end=' + end : '') + (print ? '&print=1' : '');

/**
 * The printable brief (#/integrity?tab=brief&end=…&print=1): the brief
 * alone, without the navigation, tabs or controls, on screen as on paper,
 * so it can be printed or saved as PDF from the browser.
 */
function drawPrintable(view, end, redraw) {
  document.body.classList.add('print-page');
  const box = el('div', { id: 'integrity-body' });
  view.append(el('p', { class: 'no-print btn-row' }, el('a', { href: briefLink(end, false), id: 'integrity-brief-back', onclick: follow(redraw) }, t('integrity.brief.back')),
    el('button', { type: 'button', id: 'integrity-brief-print', onclick: () => window.print() }, t('integrity.brief.print'))),
  el('h1', {}, t('integrity.brief.docTitle')), box,
  el('p', { class: 'muted', id: 'integrity-brief-made' }, t('integrity.brief.made', { day: Vigil.date(new Date().toISOString()) })));
  renderBrief(box, end, true);
}

/** A click on a link to this page's own route: go there and redraw. */
const follow = (redraw) => (ev) => { ev.preventDefault(); history.pushState(null, '', ev.currentTarget.getAttribute('href')); redraw(); };

function drawPage(view, redraw) {
    const p = printParams();
    routeShown = location.hash;
    if (p.print) { drawPrintable(view, p.end, redraw); return; }
    document.body.classList.remove('print-page');
    const box = el('div', { id: 'integrity-body' });
    const bar = el('div', { class: 'btn-row', id: 'integrity-tabs' });
    // go opens a tab; push: chosen by the reader (a history entry, so that
    // Back returns to the tab before), else the route drawn is rewritten.
    const go = (tab, push = false) => {
      const end = tab === 'brief' ? printParams().end : '';
      state.tab = tab;
      writeRoute(tab === 'brief' ? briefLink(end, false) : '#/integrity?tab=' + tab + (tab === 'items' && state.narrative ? '&narrative=' + state.narrative : ''), push);
      for (const b of bar.children) b.setAttribute('aria-pressed', String(b.dataset.tab === tab));
      // Each tab draws into a pane of its own: a tab whose data arrives
      // after another tab was chosen draws into a pane no longer shown
      // (the lexicon's answer once replaced the import form chosen after it).
      const pane = el('div', { class: 'integrity-pane', dataset: { tab } });
      box.replaceChildren(pane);
      if (tab === 'narratives') renderNarratives(pane, go);
      else if (tab === 'items') renderItems(pane, go);
      else if (tab === 'where') renderWhere(pane);
      else if (tab === 'brief') renderBrief(pane, end, false, redraw);
      else if (tab === 'lexicon') renderLexicon(pane);
      else if (tab === 'model') renderModels(pane);
      else renderAdd(pane, go);
    };
    for (const tab of TABS) {
      if (tab === 'add' && !Vigil.can('analyst')) continue;
      bar.append(el('button', { type: 'button', id: 'integrity-tab-' + tab, dataset: { tab }, onclick: () => go(tab, true) }, t('integrity.tab.' + tab)));
    }
    view.append(el('h1', {}, t('integrity.title')), el('p', { class: 'muted no-print' }, t('integrity.intro')), bar, box);
    if (TABS.includes(p.tab)) state.tab = p.tab;
    if (p.tab === 'items') state.narrative = p.narrative; // the address says whose items, or all
    go(TABS.includes(state.tab) && (state.tab !== 'add' || Vigil.can('analyst')) ? state.tab : 'narratives');
}
