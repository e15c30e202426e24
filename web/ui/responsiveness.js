// Responsiveness page (`vigil coverage check` in the browser): after
// violence against civilians starts in a cell of a country with a mission,
// how soon (if at all) did a deployment cover it — overall, by mission, by
// year and by perpetrator — and were cells with violence in the prior year
// covered more often than those without (overall and per country)?
import { Vigil } from './core/vigil.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const pct = (p) => Vigil.pct(p);

/** The way to the deployments' import (Administration → Import data), for those who may import. */
const importAction = () => (Vigil.can('analyst') ? { label: 'resp.empty.toImport', href: '#/admin?tab=data' } : undefined);

/** A table of onset distributions; groups named by name(group). */
function distTable(id, caption, rows, name) {
  const cols = ['resp.col.group', 'resp.col.n', 'resp.col.atOnset', 'resp.col.within3', 'resp.col.within12', 'resp.col.never', 'resp.col.median'];
  return Vigil.scrollTable(el('table', { class: 'resp-table', id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...cols.map((k) => el('th', { scope: 'col' }, t(k))))),
    el('tbody', {}, ...rows.map((d) => el('tr', {},
      el('th', { scope: 'row' }, name(d.group)),
      el('td', { class: 'num' }, Vigil.num(d.n)),
      el('td', { class: 'num' }, pct(d.covered_at_onset)),
      el('td', { class: 'num' }, pct(d.within_3)),
      el('td', { class: 'num' }, pct(d.within_12)),
      el('td', { class: 'num' }, pct(d.never)),
      el('td', { class: 'num' }, d.median_months < 0 ? '—' : t('resp.months', { n: Vigil.num(d.median_months) })))))));
}

/** A prior-year check's definition in words of the user's language (a country's row: its name). */
function definition(c) {
  const d = c.definition;
  if (d.startsWith('any UCDP event')) return t('resp.def.any');
  if (d.startsWith('one-sided violence')) return t('resp.def.osv');
  return Vigil.lang === 'fr' && c.name_fr ? c.name_fr : d; // a country
}

function priorTable(id, caption, rows, head) {
  const cols = [head, 'resp.col.with', 'resp.col.without', 'resp.col.ratio'];
  return Vigil.scrollTable(el('table', { class: 'resp-table', id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...cols.map((k) => el('th', { scope: 'col' }, t(k))))),
    el('tbody', {}, ...rows.map((c) => el('tr', {},
      el('th', { scope: 'row' }, definition(c)),
      el('td', { class: 'num' }, `${pct(c.share_with)} (${Vigil.num(c.with_violence_covered)}/${Vigil.num(c.with_violence)})`),
      el('td', { class: 'num' }, `${pct(c.share_without)} (${Vigil.num(c.without_violence_covered)}/${Vigil.num(c.without_violence)})`),
      el('td', { class: 'num' }, Number.isFinite(c.ratio) && c.ratio > 0 ? Vigil.num(Math.round(c.ratio * 100) / 100) : '—'))))));
}

function report(r) {
  if (!r.onsets) {
    return Vigil.empty({ title: 'resp.empty.title', body: 'resp.empty.body', action: importAction() });
  }
  const perp = (g) => (g === 'state' || g === 'non-state' ? t('resp.perp.' + g) : g);
  const all = (r.overall || [])[0];
  return el('div', {},
    el('p', { id: 'resp-summary' }, t('resp.summary', { n: Vigil.num(r.onsets), from: Vigil.month(r.from), to: Vigil.month(r.to), cells: Vigil.num(r.cells), deps: Vigil.num(r.deployments) })),
    all ? el('p', { class: 'resp-headline' }, t('resp.headline', { at: pct(all.covered_at_onset), w12: pct(all.within_12), never: pct(all.never) })) : '',
    distTable('resp-overall', t('resp.overall'), r.overall || [], () => t('resp.all')),
    distTable('resp-mission', t('resp.byMission'), r.by_mission || [], (g) => g || t('resp.noMission')),
    distTable('resp-year', t('resp.byYear'), r.by_year || [], (g) => g),
    distTable('resp-perp', t('resp.byPerp'), r.by_perpetrator || [], perp),
    el('h2', {}, t('resp.priorTitle')),
    el('p', { class: 'muted' }, t('resp.priorIntro')),
    priorTable('resp-prior', t('resp.prior'), r.prior_year || [], 'resp.col.definition'),
    (r.prior_year_by_country || []).length ? priorTable('resp-prior-country', t('resp.priorCountry'), r.prior_year_by_country, 'resp.col.country') : '',
  );
}

Vigil.registerPage({
  id: 'responsiveness',
  label: 'resp.nav',
  minRole: 'viewer',
  order: 45,
  render(view) {
    // Empty, they take the whole of the data: said (the fields stood empty with no word of it).
    const from = Vigil.dateInput({ id: 'resp-from', label: 'resp.from', kind: 'month', hint: 'resp.fromHint' });
    const to = Vigil.dateInput({ id: 'resp-to', label: 'resp.to', kind: 'month', hint: 'resp.toHint' });
    // Each bound reads as one block: its legend, Month and Year, then what
    // empty means (the hint stood between « Du » and its fields).
    for (const f of [from, to]) f.append(f.querySelector('.hint'));
    const go = el('button', { type: 'submit', id: 'resp-go', 'data-i18n': 'resp.go' }, t('resp.go'));
    const out = el('div', { id: 'resp-out', 'aria-live': 'polite' });
    const form = el('form', { class: 'resp-controls' },
      from, to, go);
    view.append(el('h1', { 'data-i18n': 'resp.title' }, t('resp.title')), el('p', { class: 'muted', 'data-i18n': 'resp.intro' }, t('resp.intro')), form, out);
    let last = null;
    const load = async () => {
      // Only the newest period asked for draws (an earlier one may answer after it).
      const mine = Vigil.latest(out);
      out.replaceChildren(el('p', {}, t('resp.loading')));
      try {
        const r = await Vigil.api('/api/v1/coverage/responsiveness', { query: { from: from.value, to: to.value } });
        if (!mine()) return;
        last = r;
        out.replaceChildren(report(last));
      } catch (e) {
        if (!mine()) return;
        last = null;
        out.replaceChildren(e.status === 404 || e.status === 409
          ? Vigil.empty({ title: 'resp.empty.title', body: 'resp.empty.noDeployments', action: importAction() })
          : el('p', { class: 'error' }, Vigil.errMsg(e)));
      }
    };
    form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
    load();
    const off = Vigil.on('lang', () => { Vigil.translate(view); if (last) out.replaceChildren(report(last)); });
    return () => off();
  },
});
