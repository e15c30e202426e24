// Performance page: a mission's results framework with every indicator's
// value, 95 % interval, target, honest status and trend (a status or a
// trend only when the difference is larger than the uncertainty); the
// framework editor (objectives, indicators with targets, CSV import and
// export); compacts and what each party owes; the withdrawal watch; and
// the monthly brief (printable page or PDF). Every number comes from
// /api/v1/performance — the same values the brief prints.
import { Vigil } from './core/vigil.js';
import { listSep, scenarioName } from './core/text.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const API = '/api/v1/performance';

const state = {
  mission: '', period: '', month: '', lib: [], areas: [], frameworks: [],
  fw: null, rev: 0, status: null, compacts: null, watch: null, reasons: new Set(), leadership: [], tab: 'indicators',
};

const STATUS = {
  'on track': ['perf.status.onTrack', 'ok'],
  'at risk': ['perf.status.atRisk', 'warn'],
  'off track': ['perf.status.offTrack', 'danger'],
  'cannot tell yet': ['perf.status.cannotTell', 'info'],
  'no data': ['perf.status.noData', ''],
  improving: ['perf.trend.improving', 'ok'],
  worsening: ['perf.trend.worsening', 'danger'],
};
const COMMITMENT = ['not-started', 'in-progress', 'met', 'partly-met', 'not-met', 'dropped'];
const KINDS = ['host-government', 'national-forces', 'mission', 'tcc', 'pcc', 'party-to-conflict', 'partner'];

const PERCENT_ARGS = new Set(['lo', 'hi', 'target', 'baseline', 'l1', 'h1', 'l2', 'h2', 'v1', 'v2']); // performance.percentArgs
const POINT_ARGS = new Set(['change', 'z']);
// Arguments that may hold a period, said in words (performance.periodArgs).
const PERIOD_ARGS = new Set(['period', 'from', 'to', 'month', 'end', 'target_period', 'baseline_period']);

// A period's months and words: Vigil.periodMonths, Vigil.period (core).
const periodMonths = (p) => Vigil.periodMonths(p);
const periodText = (p) => Vigil.period(p);

/**
 * A reason or note in the page's language: the service gives a code with
 * its arguments (an argument that is itself a code is a nested reason;
 * area arguments are area codes; created is a time, shown as a day of the
 * language), the catalog comes from /api/v1/performance/reasons. Without
 * a code, the server's text.
 */
function msgText(m, fallback, depth = 0) {
  if (!m || !m.code || !state.reasons.has(m.code)) return fallback || '';
  const args = m.args || {};
  const vars = {};
  // A share's levels as percentages and its changes in percentage points, as the engine writes them (scale=percent; performance.percentArgs).
  const pct = args.scale === 'percent';
  for (const [k, v] of Object.entries(args)) {
    const x = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
    if (depth < 3 && state.reasons.has(v)) vars[k] = msgText({ code: v, args }, '', depth + 1);
    else if (pct && PERCENT_ARGS.has(k) && !Number.isNaN(x)) vars[k] = fmt(x, 'share');
    else if (args.scale === 'count' && PERCENT_ARGS.has(k) && !Number.isNaN(x)) vars[k] = Vigil.num(Math.round(x));
    else if (pct && POINT_ARGS.has(k) && !Number.isNaN(x)) vars[k] = `${Vigil.num(Math.round(x * 10000) / 100, 20)} points`;
    else if (k === 'area' || k.endsWith('_area')) {
      vars[k] = areaInSentence(v);
      vars[`in_${k}`] = Vigil.inArea(v, vars[k]); // {in_area}: "au Mali" (performance.Area.In)
    }
    else if (k === 'created') vars[k] = Vigil.date(v); // a forecast run's time, as a day of the language
    else if (PERIOD_ARGS.has(k) && periodMonths(v)) vars[k] = periodText(v);
    else if (/^-?\d+\.\d+$/.test(v)) vars[k] = Vigil.num(Number(v));
    else vars[k] = v;
  }
  const text = t(`perf.reason.${m.code}`, vars);
  // A run of months from {from} to {to} is one period in words ("January–June 2019"), as the brief writes it.
  const span = periodMonths(`${args.from}..${args.to}`);
  return span && depth === 0 ? text.replace(`${vars.from} – ${vars.to}`, periodText(`${args.from}..${args.to}`)) : text;
}

async function loadReasons() {
  if (state.reasons.size) return;
  const cat = await Vigil.api(`${API}/reasons`);
  const add = (l) => Object.fromEntries(Object.entries(cat[l] || {}).map(([k, v]) => [`perf.reason.${k}`, v]));
  Vigil.registerStrings({ en: add('en'), fr: add('fr') });
  state.reasons = new Set(Object.keys(cat.en || {}));
}

/**
 * Where on the UI a missing value's data is added, by the reason's code
 * (nested as a status's why): a link there for a user who may add it, else ''.
 */
const FIX_LINKS = {
  'value.no-personnel-sex': ['#/admin?tab=data', 'perf.fix.personnelSex', 'analyst'],
  'value.no-deployments': ['#/admin?tab=data', 'perf.fix.deployments', 'analyst'],
};
function fixLink(m) {
  const code = m && (FIX_LINKS[m.code] ? m.code : m.args?.why);
  const fix = FIX_LINKS[code];
  return fix && Vigil.can(fix[2]) ? el('a', { class: 'perf-fix', href: fix[0] }, t(fix[1])) : '';
}

function badge(a) {
  // No target for the period is not uncertainty: « cannot tell yet » there
  // read as if the data were too noisy.
  const noTarget = a.msg && a.msg.code === 'status.no-target';
  const [key, cls] = noTarget ? ['perf.status.noTarget', ''] : STATUS[a.status] || ['perf.status.cannotTell', 'info'];
  return el('span', { class: `badge ${cls}`, title: msgText(a.msg, a.reason) }, t(key));
}

function defName(id) {
  const d = state.lib.find((x) => x.id === id);
  if (!d || id === 'manual') return id;
  return (Vigil.lang === 'fr' && d.name_fr) || d.name;
}

/** A framework indicator's name: a perception indicator's label in its form's settings (the status answer's label, label_fr), else the library's name. */
function indName(ind, id) {
  const s = (state.status || []).find((x) => x.id === id && x.label);
  return s ? (Vigil.lang === 'fr' && s.label_fr) || s.label : defName(ind);
}

/**
 * A framework's text in the page's language: its French (title_fr,
 * owner_fr, name_fr, text_fr, summary_fr) on the French page when the
 * framework gives one, else the English (the mission's own words, shown
 * translate=no).
 */
const inLang = (en, fr) => (Vigil.lang === 'fr' && fr) || en;

/** A framework title in the page's language (inLang): id — title, or the id alone when there is none. */
function titled(id, title, titleFr) {
  const x = inLang(title, titleFr);
  return x ? `${id} — ${x}` : id;
}

function areaName(code) {
  const a = state.areas.find((x) => x.code === code);
  if (!a) return code;
  return (Vigil.lang === 'fr' && a.name_fr) || a.name;
}

/** A withdrawal's country by name, also where the page's areas are not loaded (the alerts page): from its place's country. */
function watchArea(x) {
  if (state.areas.some((a) => a.code === x.area) || !x.place || x.place.country !== x.area) return areaName(x.area);
  return (Vigil.lang === 'fr' && x.place.country_name_fr) || x.place.country_name || x.area;
}

/** An area's name inside a sentence: the whole of the data in lower case ("all areas", "toutes les zones"), as the engine writes it (performance.Area.InSentence). */
function areaInSentence(code) {
  const n = areaName(code);
  return code === 'ALL' ? n.charAt(0).toLocaleLowerCase(Vigil.lang) + n.slice(1) : n;
}

/** A watch cell's place by name, from the server's gazetteer ("near Bria, Haute-Kotto (Central African Republic)"); '' when it has none. */
const cellPlace = (x) => (x.place ? (Vigil.lang === 'fr' && x.place.label_fr) || x.place.label || '' : '');

/** A data source's name in the page's language (the catalog's source.NAME; performance.SourceLabel). */
function sourceName(n) {
  const m = /^survey (.+) responses$/.exec(n);
  return m ? msgText({ code: 'source.survey', args: { form: m[1] } }, n) : msgText({ code: `source.${n}` }, n);
}

/** A number as the brief writes it (shares as percentages), with every digit the API gives, in the page's language (Intl: 1 234,5 in French). */
function fmt(x, unit) {
  if (x === null || x === undefined) return '—';
  const num = (n) => Vigil.num(n, 20);
  if (unit === 'share') return Vigil.percent(Math.round(x * 10000) / 100, 20);
  return num(x);
}

/** A unit in the page's language: the engine's unit.NAME label, "share" as a share (as a percentage); a unit typed in the framework as it is. */
function unitText(u) {
  if (u === 'share') return t('perf.unitShare');
  return msgText({ code: `unit.${u}` }, u);
}

/** A saved scenario's kind or an option's strategy (plan, try, or a cut's targeted/thinning) in words, as the Coverage page names them. */
function strategyText(s) {
  if (s === 'try' || s === 'plan' || s === 'cut') return t(`coverage.save.${s}`);
  if (s === 'targeted' || s === 'thinning') return t(`coverage.cut.${s}`);
  return s || '?';
}

/**
 * The catalog's words for a forecast-skill value (the model's AUPR minus the
 * best baseline's), with performance.SkillWords's thresholds: within 0.005
 * about as accurate, within 0.05 slightly more or less accurate.
 */
function skillCode(x) {
  if (Math.abs(x) < 0.005) return 'skill.same';
  if (Math.abs(x) < 0.05) return x > 0 ? 'skill.higher-slightly' : 'skill.lower-slightly';
  return x > 0 ? 'skill.higher' : 'skill.lower';
}

function valueText(v) {
  if (v.no_data) return t('perf.noData');
  if (v.unit === 'share') return fmt(v.value, v.unit);
  // The forecast's skill in plain words first, its number for analysts after (as the brief writes it).
  if (v.unit === 'AUPR difference') return `${msgText({ code: skillCode(v.value) })} (${fmt(v.value)} ${unitText(v.unit)})`;
  // The singular for one, as the brief writes it (UnitLabelN): English for exactly 1, French below 2.
  const one = Vigil.lang === 'fr' ? Math.abs(v.value) < 2 : v.value === 1;
  const unit = one && state.reasons.has(`unit.${v.unit}.one`) ? msgText({ code: `unit.${v.unit}.one` }) : unitText(v.unit);
  return `${level(v.value, v)} ${unit}`;
}

/** Units that count things (deaths, events): their levels and interval bounds are said as whole numbers. */
const COUNT_UNITS = new Set(['deaths', 'events']);

/** A bound or level of value v: a whole number for a count, else as fmt. */
function level(x, v) {
  return COUNT_UNITS.has(v.unit) && x !== null && x !== undefined ? Vigil.num(Math.round(x)) : fmt(x, v.unit);
}

/**
 * A status or trend explanation of value v: its interval bounds, target
 * and baseline as whole numbers when v counts things, as the table writes them.
 */
function levelsText(m, fallback, v) {
  if (m && m.args && COUNT_UNITS.has(v.unit)) m = { ...m, args: { ...m.args, scale: 'count' } };
  return msgText(m, fallback);
}

/**
 * A 95 % interval as the explanations write it: "[164, 237]", « [164 ; 237] »,
 * after UCDP's low–high range when it has one (« 190–207 [164 ; 237] »); ''
 * when none. Each part is kept on one line (a span.perf-nowrap): in a
 * narrow column it wrapped inside its brackets at 1366 px.
 */
function intervalText(v) {
  if (v.no_data || v.uncertainty === 'exact' || v.uncertainty === 'unknown') return '';
  const hi = v.ci_high === null ? '∞' : level(v.ci_high, v);
  const ci = el('span', { class: 'perf-nowrap' }, `[${level(v.ci_low, v)}${listSep(Vigil.lang, 'interval')}${hi}]`);
  if (v.range !== 'UCDP low–high estimates') return el('span', {}, ci);
  return el('span', {}, el('span', { class: 'perf-nowrap' }, `${level(v.low, v)}–${level(v.high, v)}`), ' ', ci);
}

/**
 * How an interval was computed, for an adviser: a 95 % interval in plain
 * words (« fourchette à 95 % des valeurs probables »), its method
 * (« Poisson exact à 95 % (Garwood) … ») in its title; a text without one
 * (« aucun : … ») as it is.
 */
function ciText(v) {
  const method = msgText({ code: `ci.${v.ci}` }, v.ci);
  if (!/95\s*%/.test(v.ci)) return el('span', { class: 'muted', id: 'perf-v-ci' }, ` ${method}`);
  return el('span', { class: 'muted', id: 'perf-v-ci' }, ' ', el('span', { title: method }, t('perf.ciPlain')));
}

/** A source file's fingerprint, for an adviser: « empreinte du fichier », its sha256 in its title (it said « sha256 6f18… »). */
const fingerprint = (sha) => el('span', { class: 'perf-fingerprint', title: `sha256 ${sha}` }, t('perf.fingerprint'));

function notice(box, text, kind) {
  box.replaceChildren(text ? el('p', { class: `notice ${kind || ''}`, role: kind === 'error' ? 'alert' : 'status' }, text) : '');
}

// A period the service cannot read (every such error names the field
// period, from ParsePeriod in English) is said in the page's language.
function errText(e) {
  if (e && e.field === 'period' && e.status === 400) return t('perf.badPeriod');
  // A refusal the server says as a catalog message (a framework's: where and what) in the page's language.
  if (e && e.key && state.reasons.has(e.key)) return msgText({ code: e.key, args: e.args });
  return Vigil.errText(e);
}

function fwPath() {
  return `${API}/frameworks/${encodeURIComponent(state.mission)}`;
}

const field = (id, key, control, hint) => el('div', { class: 'field' },
  el('label', { for: id, 'data-i18n': key }, t(key)), control, hint ? el('span', { class: 'hint' }, t(hint)) : '');
const input = (id, attrs = {}) => el('input', { id, ...attrs });
const select = (id, opts, value) => el('select', { id },
  ...opts.map(([v, label]) => el('option', { value: v, selected: v === value ? '' : undefined }, label)));

// ---- indicators and status ----------------------------------------------

function statusTable() {
  const st = state.status || [];
  const head = ['perf.col.indicator', 'perf.col.area', 'perf.col.owner', 'perf.col.value', 'perf.col.interval', 'perf.col.target', 'perf.col.status', 'perf.col.trend']
    .map((k) => el('th', { scope: 'col', 'data-i18n': k }, t(k)));
  const row = (s) => el('tr', { 'data-id': s.id },
    el('th', { scope: 'row' }, el('span', {}, s.id), ' ', el('span', { class: 'muted' }, indName(s.indicator, s.id)), byButtons(s)),
    el('td', {}, areaName(s.value.area)),
    el('td', { translate: 'no', class: 'perf-owner' }, inLang(s.owner, s.owner_fr) || ''),
    el('td', { class: 'num' }, valueText(s.value)),
    el('td', { class: 'num' }, intervalText(s.value)),
    el('td', { class: 'num' }, s.target === null ? '—' : level(s.target, s.value),
      s.target_note ? el('div', { class: 'muted perf-target-note' }, levelsText(s.target_note, '', s.value)) : ''),
    el('td', {}, badge(s.status), el('div', { class: 'muted perf-reason' }, levelsText(s.status.msg, s.status.reason, s.value)), fixLink(s.status.msg)),
    el('td', {}, badge(s.trend), el('div', { class: 'muted perf-reason' }, levelsText(s.trend.msg, s.trend.reason, s.value))));
  // One row group per result, headed by its title (and its objective's, at the objective's first result) in the page's language.
  const groups = [];
  st.forEach((s, i) => {
    const newObj = i === 0 || st[i - 1].objective !== s.objective;
    if (newObj || st[i - 1].result !== s.result) {
      groups.push(el('tbody', { 'data-objective': s.objective, 'data-result': s.result }, el('tr', { class: 'perf-group' },
        el('th', { colspan: '8', scope: 'rowgroup', translate: 'no' },
          newObj ? [el('strong', { class: 'perf-group-obj' }, titled(s.objective, s.objective_title, s.objective_title_fr)), el('br')] : '',
          el('span', { class: 'perf-group-res' }, titled(s.result, s.result_title, s.result_title_fr))))));
    }
    groups.at(-1).append(row(s));
  });
  // How a period is judged against a longer period's target, in one line (performance.targetFor).
  return el('div', {}, Vigil.scrollTable(el('table', { id: 'perf-status', class: 'full' },
    el('caption', {}, t('perf.statusCaption', { mission: state.mission, period: periodText(state.period) })),
    el('thead', {}, el('tr', {}, ...head)), ...groups)), el('p', { class: 'muted', id: 'perf-target-rule' }, t('perf.targetRule')));
}

// ---- disaggregations --------------------------------------------------------

function fwIndicator(id) {
  for (const o of state.fw?.objectives || []) for (const r of o.results) for (const i of r.indicators) if (i.id === id) return i;
  return null;
}

/** A framework indicator named for people: "cd-caf — Civilian deaths from one-sided violence" (its id alone when the framework has none). */
function fwIndicatorName(id) {
  const fi = fwIndicator(id);
  return fi ? `${id} — ${indName(fi.indicator, id)}` : id;
}

/** The dimensions a framework indicator is broken down by that the library computes. */
function byDims(fi) {
  const d = state.lib.find((x) => x.id === fi.indicator);
  if (!d) return [];
  return (fi.disaggregations || []).filter((x) => (d.disaggregations || []).includes(x) || (x === 'area' && !d.area_less));
}

function byButtons(s) {
  const fi = fwIndicator(s.id);
  const dims = fi ? byDims(fi) : [];
  if (!dims.length) return '';
  return el('div', { class: 'btn-row perf-by-buttons' }, ...dims.map((dim) => {
    const b = el('button', { type: 'button', 'data-by': dim, 'aria-expanded': 'false' }, t('perf.byDim', { dim: t(`perf.dim.${dim}`) }));
    b.addEventListener('click', () => showBy(b, fi, dim));
    return b;
  }));
}

// One framework indicator's values by a disaggregation, each with its
// interval and number of observations, in a row under the indicator's.
async function showBy(btn, fi, dim) {
  const tr = btn.closest('tr');
  const old = tr.parentElement.querySelector(`tr.perf-by[data-for="${CSS.escape(fi.id)}"]`);
  const same = old && old.dataset.by === dim;
  old?.remove();
  tr.querySelectorAll('[data-by]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
  if (same) return;
  btn.setAttribute('aria-expanded', 'true');
  const cell = el('td', { colspan: '8' }, el('p', {}, t('perf.loading')));
  tr.after(el('tr', { class: 'perf-by', 'data-for': fi.id, 'data-by': dim }, cell));
  try {
    const query = { indicator: fi.indicator, period: state.period, ...(fi.params || {}) };
    // "area" is one value per country, unless the indicator has its own
    // area breakdown (a survey's region field).
    const perCountry = dim === 'area' && !(state.lib.find((d) => d.id === fi.indicator)?.disaggregations || []).includes('area');
    if (perCountry) { if (fi.area !== 'ALL') query.area = fi.area; } else { query.by = dim; query.area = fi.area; }
    const vs = await Vigil.api(`${API}/value`, { query });
    cell.replaceChildren(groupTable(vs, fi.indicator, dim, perCountry, t('perf.byCaption', { id: fi.id, dim: t(`perf.dim.${dim}`), period: periodText(state.period) })));
  } catch (e) {
    cell.replaceChildren(el('p', { class: 'notice error' }, errText(e)));
  }
}

// An indicator's values by a disaggregation (perCountry: one per area),
// largest first, each with its interval (or why there is none) and its
// number of observations.
function groupTable(vs, indicator, dim, perCountry, caption) {
  if (!Array.isArray(vs)) vs = [vs];
  // Alert categories and reporters' sexes are named as on the triage page.
  const alertKey = { category: 'cat', sex: 'sex' }[dim];
  const fromAlerts = alertKey && (state.lib.find((d) => d.id === indicator)?.sources || []).includes('alerts');
  const group = (v) => {
    if (perCountry) return areaName(v.area);
    const g = (v.disaggregation || {})[dim];
    if (g && fromAlerts) return t(`alerts.${alertKey}.${g}`);
    // Types of violence as the map names them; perpetrators in words (not the codes state, non-state).
    if (g && dim === 'type') return Vigil.tOr(`type.${g}`, g);
    if (g && dim === 'perpetrator') return Vigil.tOr(`perf.perp.${g}`, g);
    return g || '—';
  };
  vs.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  const head = ['perf.col.group', 'perf.col.value', 'perf.col.interval', 'perf.col.n'].map((k) => el('th', { scope: 'col' }, t(k)));
  return Vigil.scrollTable(el('table', { class: 'full perf-by-table' }, el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head)),
    el('tbody', {}, ...vs.map((v) => el('tr', {}, el('th', { scope: 'row' }, group(v)),
      el('td', { class: 'num' }, valueText(v)),
      el('td', { class: 'num' }, v.no_data ? msgText(v.reason_msg, v.reason) : intervalText(v) || '—'),
      el('td', { class: 'num' }, Vigil.num(v.n)))))));
}

// The framework's status for the period shown, asked of the server:
// { period, status } or { period, error }; null with no framework or period.
async function statusOf(fw) {
  if (!fw || !state.period) return null;
  const period = state.period;
  try {
    return { period, status: await Vigil.api(`${fwPath()}/status`, { query: { period } }) };
  } catch (error) {
    return { period, error };
  }
}

async function loadStatus(view) {
  // Only the newest status read draws: one asked before a language switch
  // or another period may answer after it.
  const mine = Vigil.latest(loadStatus);
  const box = view.querySelector('#perf-indicators');
  if (state.fw && state.period && box) box.replaceChildren(el('p', {}, t('perf.loading')));
  const got = await statusOf(state.fw);
  if (mine()) showStatus(view, got);
}

// Draws a status read (statusOf) in the indicators' card, at once: the
// page drawn by refresh shows it with the rest, so that the value form
// under the card is not pushed down once shown.
function showStatus(view, got) {
  const box = view.querySelector('#perf-indicators');
  if (!box) return;
  if (!state.fw) {
    box.replaceChildren(Vigil.empty({ title: 'perf.empty.title', body: 'perf.empty.body',
      action: { label: 'perf.empty.action', onclick: () => { selectTab(view, 'framework'); view.querySelector('#perf-obj-id').focus(); } } }));
    return;
  }
  // …and only while its period is still the one shown (Show pressed meanwhile: its caption would be the new period's).
  if (!got || got.period !== state.period) return;
  if (got.error) {
    box.replaceChildren(el('p', { class: 'notice error' }, errText(got.error)));
    return;
  }
  state.status = got.status;
  // The outline names perception indicators by the status answer's labels.
  const inds = new Map((state.fw?.objectives || []).flatMap((o) => o.results.flatMap((r) => r.indicators)).map((i) => [i.id, i]));
  for (const li of view.querySelectorAll('#perf-outline li[data-ind]')) {
    const i = inds.get(li.dataset.ind);
    if (i) li.firstElementChild.textContent = indSummary(i);
  }
  box.replaceChildren(state.status.length ? statusTable()
    : Vigil.empty({ title: 'perf.noIndicators.title', body: 'perf.noIndicators.body' }));
  if (state.status.length && Vigil.can('analyst')) {
    const msg = el('span', { 'aria-live': 'polite' });
    const rec = el('button', { type: 'button', id: 'perf-record', 'data-i18n': 'perf.record' }, t('perf.record'));
    rec.addEventListener('click', async () => {
      try {
        const r = await Vigil.api(`${fwPath()}/record`, { method: 'POST', query: { period: state.period } });
        msg.textContent = t('perf.recorded', { n: r.length });
      } catch (e) { msg.textContent = errText(e); }
    });
    box.append(el('div', { class: 'btn-row' }, rec, ' ', msg));
  }
  const manual = (state.fw?.objectives || []).flatMap((o) => o.results.flatMap((r) => r.indicators)).filter((i) => i.indicator === 'manual');
  if (manual.length && Vigil.can('analyst')) box.append(manualForm(view, manual));
}

// A value for a manual indicator, entered with its source and evidence.
function manualForm(view, inds) {
  const msg = el('div', { 'aria-live': 'polite' });
  const ind = select('perf-m-ind', inds.map((i) => [i.params.id, `${i.id} (${i.params.id})`]), inds[0].params.id);
  const area = select('perf-m-area', state.areas.map((a) => [a.code, areaName(a.code)]), inds[0].area);
  const period = input('perf-m-period', { value: state.period, size: '10', required: '' });
  const value = input('perf-m-value', { size: '8', inputmode: 'decimal', required: '' });
  const source = input('perf-m-source', { size: '24', required: '' });
  const evidence = input('perf-m-evidence', { size: '30', type: 'url' });
  const form = el('form', { id: 'perf-manual-form' },
    el('div', { class: 'form-row' }, field('perf-m-ind', 'perf.manualIndicator', ind), field('perf-m-area', 'perf.area', area), field('perf-m-period', 'perf.period', period),
      field('perf-m-value', 'perf.col.value', value)),
    el('div', { class: 'form-row top' }, field('perf-m-source', 'perf.source', source, 'perf.sourceHint'), field('perf-m-evidence', 'perf.evidence', evidence)),
    el('button', { type: 'submit', 'data-i18n': 'perf.enterValue' }, t('perf.enterValue')), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await Vigil.api(`${API}/manual`, { json: { indicator: ind.value, area: area.value, period: period.value.trim(), value: Number(value.value.replace(',', '.')), source: source.value.trim(), evidence: evidence.value.trim() } });
      await loadStatus(view);
    } catch (e) { notice(msg, errText(e), 'error'); }
  });
  return el('section', {}, el('h3', { 'data-i18n': 'perf.manualTitle' }, t('perf.manualTitle')), form);
}

// ---- one value from the library -----------------------------------------

function valueForm(view) {
  const ind = select('perf-v-ind', state.lib.filter((d) => d.id !== 'manual' && d.id !== 'perception').map((d) => [d.id, defName(d.id)]), 'civilian-deaths');
  const area = select('perf-v-area', state.areas.map((a) => [a.code, areaName(a.code)]), 'ALL');
  const period = input('perf-v-period', { value: state.period, size: '16' });
  // The chosen indicator's breakdowns (alert times by category or the
  // reporter's sex, events by type…).
  const by = select('perf-v-by', [], '');
  const setBy = () => by.replaceChildren(...[['', t('perf.byNone')], ...(state.lib.find((d) => d.id === ind.value)?.disaggregations || []).map((d) => [d, t(`perf.dim.${d}`)])]
    .map(([v, label]) => el('option', { value: v }, label)));
  setBy();
  ind.addEventListener('change', setBy);
  const out = el('div', { id: 'perf-v-out', 'aria-live': 'polite' });
  const go = el('button', { type: 'submit', 'data-i18n': 'perf.compute' }, t('perf.compute'));
  const form = el('form', { class: 'form-row top' }, field('perf-v-ind', 'perf.indicator', ind), field('perf-v-area', 'perf.area', area),
    field('perf-v-period', 'perf.period', period, 'perf.periodHint'), field('perf-v-by', 'perf.by', by), el('div', { class: 'field' }, go));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    // Only the newest value asked for draws (an earlier one may answer after it).
    const mine = Vigil.latest(out);
    out.replaceChildren(el('p', {}, t('perf.loading')));
    try {
      const query = { indicator: ind.value, area: area.value, period: period.value.trim() };
      if (by.value) {
        const vs = await Vigil.api(`${API}/value`, { query: { ...query, by: by.value } });
        if (!mine()) return;
        out.replaceChildren(groupTable(vs, ind.value, by.value, false,
          t('perf.byCaption', { id: defName(ind.value), dim: t(`perf.dim.${by.value}`), period: periodText(query.period) })));
        return;
      }
      const v = await Vigil.api(`${API}/value`, { query });
      if (!mine()) return;
      const src = (v.provenance.sources || []).flatMap((s, i) => [i ? semi() : '',
        `${msgText(s.name_msg, sourceName(s.name))} (${[t('perf.rows', { n: s.rows }), periodText(s.span)].filter(Boolean).join(', ')}`,
        ...(s.sha256 ? [', ', fingerprint(s.sha256)] : []), ')']);
      out.replaceChildren(el('dl', { class: 'perf-value' },
        el('dt', {}, t('perf.col.value')), el('dd', { id: 'perf-v-value' }, valueText(v)),
        el('dt', {}, t('perf.col.interval')), el('dd', {}, intervalText(v) || '—', v.ci ? ciText(v) : ''),
        el('dt', {}, t('perf.coverage')), el('dd', {}, t('perf.coverageText', { m: v.coverage.months, p: v.coverage.period_months }), v.coverage.note ? ` ${msgText(v.coverage.note_msg, v.coverage.note)}` : ''),
        ...(v.no_data ? [el('dt', {}, t('perf.why')), el('dd', { id: 'perf-v-why' }, msgText(v.reason_msg, v.reason), ' ', fixLink(v.reason_msg))] : []),
        el('dt', {}, t('perf.provenance')), el('dd', { class: 'muted', id: 'perf-v-prov' }, `${msgText(v.provenance.method_msg, v.provenance.method)} — `, ...src)));
    } catch (e) {
      if (mine()) out.replaceChildren(el('p', { class: 'notice error' }, errText(e)));
    }
  });
  return el('section', { class: 'card' }, el('h2', { 'data-i18n': 'perf.valueTitle' }, t('perf.valueTitle')), form, out);
}

// ---- framework editor -----------------------------------------------------
// Every part of a framework is edited here: objectives, results, indicators
// (library or manual, parameters, area, owner, unit, direction, baseline,
// targets per period, disaggregations, the commitment served), and in the
// compacts section parties, commitments (deadline, indicators, evidence,
// status history) and annual reviews. Each change saves the whole framework
// (PUT, on the revision read: a concurrent change is refused, not lost).

const fwCopy = () => {
  const f = structuredClone(state.fw || { mission: state.mission, objectives: [], compacts: [] });
  f.objectives = f.objectives || [];
  f.compacts = f.compacts || [];
  return f;
};

/** Saves fw, redraws the page, then says how it went in the box with id msgId. */
async function saveFramework(view, fw, msgId) {
  let text; let kind = 'ok';
  try {
    const r = await Vigil.api(fwPath(), { method: 'PUT', query: { revision: state.rev }, json: fw });
    state.fw = r.framework;
    state.rev = r.revision;
    text = t('perf.saved', { rev: r.revision });
    await refresh(view);
  } catch (e) {
    text = errText(e); kind = 'error';
  }
  const box = view.querySelector(`#${msgId}`);
  if (box) notice(box, text, kind);
  return kind === 'ok';
}

function editButton(id, onEdit) {
  const b = el('button', { type: 'button', class: 'perf-edit', 'aria-label': t('perf.editItem', { id }) }, t('perf.edit'));
  b.addEventListener('click', onEdit);
  return b;
}

/** A remove button that asks for a second press before it removes. */
function removeButton(id, onRemove) {
  const b = el('button', { type: 'button', class: 'btn-danger perf-remove', 'aria-label': t('perf.removeItem', { id }) }, t('perf.remove'));
  b.addEventListener('click', () => {
    if (b.dataset.armed) { onRemove(); return; }
    b.dataset.armed = '1';
    b.textContent = t('perf.confirmRemove');
  });
  return b;
}

const itemButtons = (id, onEdit, onRemove) => (Vigil.can('analyst') ? [' ', editButton(id, onEdit), ' ', removeButton(id, onRemove)] : '');

/**
 * Whether a framework indicator is a share: its baseline and targets are
 * typed and listed in per cent (40 for 40 %), as its values and status
 * are shown, and stored as the share (0.4) the API and files hold.
 */
const isShare = (indicator) => indicator !== 'manual' && state.lib.find((d) => d.id === indicator)?.unit === 'share';

/** A stored value as the editor shows it: a share in per cent (0.4 → 40, without 40.00000000000001). */
const typedValue = (x, share) => (share ? Number((x * 100).toFixed(8)) : x);

/** A number typed for the field fieldKey as stored: per cent → share (between 0 and 100, else an error naming the field). */
function storedValue(n, share, fieldKey, v) {
  if (!share) return n;
  if (n < 0 || n > 100) throw new Error(t('perf.badPercent', { field: t(fieldKey), v }));
  return Number((n / 100).toFixed(10));
}

/** A number typed in a form ('' → undefined); a comma is a decimal point; a share's in per cent. */
function numberOf(input, labelKey, share) {
  const v = input.value.trim();
  if (!v) return undefined;
  const n = Number(v.replace(',', '.'));
  if (!Number.isFinite(n)) throw new Error(t('perf.badNumber', { field: t(labelKey), v }));
  return storedValue(n, share, labelKey, v);
}

/** Targets typed one per line (or separated by ;) as period = value (a share's in per cent). */
function parseTargets(text, share) {
  const out = [];
  for (const line of text.split(/[\n;]+/)) {
    if (!line.trim()) continue;
    const m = line.match(/^\s*(\S+)\s*[=:]\s*(\S+)\s*$/);
    const n = m ? Number(m[2].replace(',', '.')) : NaN;
    if (!m || !Number.isFinite(n)) throw new Error(t('perf.badTarget', { field: t('perf.targets'), line: line.trim() }));
    out.push({ period: m[1], value: storedValue(n, share, 'perf.targets', m[2]) });
  }
  return out;
}

const targetsText = (ts, share) => (ts || []).map((x) => `${x.period} = ${typedValue(x.value, share)}`).join('\n');

function commitmentIds() {
  return (state.fw?.compacts || []).flatMap((c) => (c.commitments || []).map((k) => k.id));
}

/** A list's "; " and a label's ": " as the page's language writes them: French puts a no-break space before them (U+202F before « ; », U+00A0 before « : »). */
const semi = () => listSep(Vigil.lang);
const colon = () => (Vigil.lang === 'fr' ? '\u00a0: ' : ': ');

// ---- an indicator's parameters in words ------------------------------------
// The library's parameters (type=3, top=0.1, q=0.9…) are chosen and shown
// in words of the page's language: each one's name (perf.param.NAME, or
// perf.param.INDICATOR.NAME where one indicator means another thing by
// it) and each value's (the map's names of the types of violence, a share
// of cells as a percentage, a score threshold on its scale).

/** The UCDP type of violence of a type parameter's value (1, 2, 3; a forecast's target sb, ns, osv), as the map names them. */
const VIOLENCE = { 1: 'state-based', 2: 'non-state', 3: 'one-sided', sb: 'state-based', ns: 'non-state', osv: 'one-sided' };

/** A parameter's name in words. */
function paramLabel(ind, name) {
  return Vigil.tOr(`perf.param.${ind}.${name}`, Vigil.tOr(`perf.param.${name}`, name));
}

/** A parameter's value in words ("One-sided violence (against civilians)", "the 10 % of cells at highest risk"); a free value (a form's id) as it is. */
function paramValue(name, v) {
  if ((name === 'type' || name === 'target') && VIOLENCE[v]) return t(`type.${VIOLENCE[v]}`);
  if (name === 'top' && v !== '' && !Number.isNaN(Number(v))) return t('perf.param.top.n', { pct: Vigil.percent(Number(v) * 100) });
  if (name === 'min_score' && v !== '' && !Number.isNaN(Number(v))) return t('perf.param.min_score.n', { v: Vigil.num(Number(v)) });
  if (name === 'perpetrator' && v !== 'all') return Vigil.tOr(`perf.perp.${v}`, v);
  return Vigil.tOr(`perf.param.${name}.${v}`, v);
}

/** A framework indicator's parameters in words: "Type of violence: One-sided violence (against civilians)" ('' without any). */
function paramsText(i) {
  return Object.entries(i.params || {}).filter(([, v]) => v !== '').map(([k, v]) => `${paramLabel(i.indicator, k)}${colon()}${paramValue(k, v)}`).join(semi());
}

/**
 * The editor's controls for the chosen library indicator's parameters, in
 * the fieldset box: a list of its values in words where the library has
 * them (first, the library's default, said in words), else a text field.
 * Their ids are perf-ind-param-NAME; values sets them.
 */
function drawParams(box, ind, values = {}) {
  const d = state.lib.find((x) => x.id === ind);
  const ps = d?.params || [];
  box.replaceChildren(el('legend', {}, t('perf.params')), ...(ps.length ? ps.map((p) => {
    const id = `perf-ind-param-${p.name}`;
    const v = values[p.name] ?? '';
    const control = p.values ? select(id, [['', t('perf.paramDefault', { v: p.default ? paramValue(p.name, p.default) : t('perf.none') })], ...p.values.map((x) => [x, paramValue(p.name, x)])], v)
      : input(id, { size: '16', value: v });
    // A value the list does not have (typed in an imported file) stays, as it is, for the server to judge.
    if (p.values && v && !p.values.includes(v)) control.append(el('option', { value: v, selected: '' }, v));
    return field(id, `perf.param.${ind}.${p.name}`, control);
  }) : [el('span', { class: 'muted' }, t('perf.noParams'))]));
  // field() labels a control by its key: a parameter's label is its name in words.
  for (const l of box.querySelectorAll('label')) {
    l.removeAttribute('data-i18n');
    l.textContent = paramLabel(ind, l.htmlFor.replace('perf-ind-param-', ''));
  }
}

/** The parameters chosen in the box: name → value, those left at the library's default omitted. */
function paramsOf(box) {
  const out = {};
  for (const c of box.querySelectorAll('[id^="perf-ind-param-"]')) if (c.value.trim()) out[c.id.replace('perf-ind-param-', '')] = c.value.trim();
  return out;
}

function indSummary(i) {
  const parts = [`${i.id}${colon()}${i.indicator === 'manual' ? `${t('perf.manual')} (${i.params?.id || ''})` : indName(i.indicator, i.id)}`, areaName(i.area)];
  if (i.indicator !== 'manual' && paramsText(i)) parts.push(paramsText(i));
  if (i.owner) parts.push(inLang(i.owner, i.owner_fr));
  parts.push(t('perf.sumUnit', { unit: unitText(i.unit), dir: t(i.direction === 'higher' ? 'perf.dirHigher' : 'perf.dirLower') }));
  // A share's baseline and targets in per cent, as its value and status are shown.
  const v = (x) => (isShare(i.indicator) ? fmt(x, 'share') : Vigil.num(x));
  if (i.baseline !== undefined && i.baseline !== null) parts.push(t('perf.sumBaseline', { v: v(i.baseline), p: periodText(i.baseline_period) || '—' }));
  if (i.targets?.length) parts.push(t('perf.sumTargets', { list: i.targets.map((x) => `${periodText(x.period)} = ${v(x.value)}`).join(semi()) }));
  if (i.disaggregations?.length) parts.push(t('perf.sumBy', { list: i.disaggregations.map((d) => t(`perf.dim.${d}`)).join(', ') }));
  if (i.commitment) parts.push(t('perf.sumCommitment', { id: i.commitment }));
  return parts.join(' · ');
}

/** The framework as an outline, each part with its edit and remove buttons. */
function outline(view) {
  const fw = state.fw;
  if (!fw?.objectives?.length) return '';
  const save = (change) => { const f = fwCopy(); change(f); saveFramework(view, f, 'perf-edit-msg'); };
  return el('ul', { id: 'perf-outline', class: 'perf-outline' }, ...fw.objectives.map((o, oi) => el('li', { 'data-obj': o.id },
    el('strong', { translate: 'no' }, titled(o.id, o.title, o.title_fr)), // the mission's own words, in the page's language when it gives them
    itemButtons(o.id, () => fillObjective(view, o), () => save((f) => f.objectives.splice(oi, 1))),
    el('ul', {}, ...o.results.map((r, ri) => el('li', { 'data-result': r.id },
      el('span', { translate: 'no' }, titled(r.id, r.title, r.title_fr)),
      itemButtons(r.id, () => fillResult(view, o, r), () => save((f) => f.objectives[oi].results.splice(ri, 1))),
      el('ul', {}, ...r.indicators.map((i, ii) => el('li', { 'data-ind': i.id }, el('span', {}, indSummary(i)),
        itemButtons(i.id, () => fillIndicator(view, o, r, i), () => save((f) => f.objectives[oi].results[ri].indicators.splice(ii, 1))))))))))));
}

/** Sets x's title and French title (none when empty) from the two fields; returns x. */
function setTitles(x, title, titleFr) {
  x.title = title.value.trim();
  if (titleFr.value.trim()) x.title_fr = titleFr.value.trim(); else delete x.title_fr;
  return x;
}

function setValues(view, values) {
  for (const [id, v] of Object.entries(values)) {
    const x = view.querySelector(`#${id}`);
    if (x) x.value = v ?? '';
  }
}

function fillObjective(view, o) {
  setValues(view, { 'perf-obj-id': o.id, 'perf-obj-title': o.title, 'perf-obj-title-fr': o.title_fr });
  view.querySelector('#perf-obj-title').focus();
}

function fillResult(view, o, r) {
  setValues(view, { 'perf-res-obj': o.id, 'perf-res-id': r.id, 'perf-res-title': r.title, 'perf-res-title-fr': r.title_fr });
  view.querySelector('#perf-res-title').focus();
}

function fillIndicator(view, o, r, i) {
  state.editing = i.id;
  setValues(view, {
    'perf-ind-obj': o.id, 'perf-ind-rid': r.id, 'perf-ind-rtitle': r.title, 'perf-ind-rtitle-fr': r.title_fr, 'perf-ind-id': i.id, 'perf-ind-lib': i.indicator,
    'perf-ind-area': i.area, 'perf-ind-owner': i.owner, 'perf-ind-owner-fr': i.owner_fr,
    'perf-ind-unit': i.unit, 'perf-ind-dir': i.direction, 'perf-ind-base': i.baseline === undefined || i.baseline === null ? '' : typedValue(i.baseline, isShare(i.indicator)),
    'perf-ind-basep': i.baseline_period, 'perf-ind-targets': targetsText(i.targets, isShare(i.indicator)), 'perf-ind-commit': i.commitment || '',
  });
  view.querySelector('#perf-ind-lib').dispatchEvent(new Event('change'));
  drawParams(view.querySelector('#perf-ind-params'), i.indicator, i.params || {});
  for (const d of i.disaggregations || []) {
    const c = view.querySelector(`#perf-ind-by-${d}`);
    if (c) c.checked = true;
  }
  view.querySelector('#perf-ind-form h3, #perf-ind-id').scrollIntoView?.({ block: 'center' });
  view.querySelector('#perf-ind-id').focus();
}

function editor(view) {
  state.editing = null;
  const msg = el('div', { id: 'perf-edit-msg', 'aria-live': 'polite' });
  const save = (f) => saveFramework(view, f, 'perf-edit-msg');
  const fail = (e) => notice(view.querySelector('#perf-edit-msg'), errText(e), 'error');
  // Objective: added, or its title changed (by id).
  const oid = input('perf-obj-id', { size: '10', required: '' });
  const otitle = input('perf-obj-title', { size: '30', required: '' });
  const otitleFr = input('perf-obj-title-fr', { size: '30', lang: 'fr' });
  const oform = el('form', { class: 'form-row top', id: 'perf-obj-form' }, field('perf-obj-id', 'perf.objId', oid), field('perf-obj-title', 'perf.objTitle', otitle),
    field('perf-obj-title-fr', 'perf.objTitleFr', otitleFr, 'perf.titleFrHint'),
    el('div', { class: 'field' }, el('button', { type: 'submit', 'data-i18n': 'perf.saveObjective' }, t('perf.saveObjective'))));
  oform.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fwCopy();
    const o = f.objectives.find((x) => x.id === oid.value.trim());
    if (o) setTitles(o, otitle, otitleFr);
    else f.objectives.push(setTitles({ id: oid.value.trim(), results: [] }, otitle, otitleFr));
    save(f);
  });
  const objs = (state.fw?.objectives || []).map((o) => [o.id, titled(o.id, o.title, o.title_fr)]);
  // Result: added to an objective, or its title changed.
  const robj = select('perf-res-obj', objs, objs[0]?.[0]);
  const resid = input('perf-res-id', { size: '10', required: '' });
  const restitle = input('perf-res-title', { size: '30', required: '' });
  const restitleFr = input('perf-res-title-fr', { size: '30', lang: 'fr' });
  const rform = el('form', { class: 'form-row top', id: 'perf-res-form' }, field('perf-res-obj', 'perf.objective', robj), field('perf-res-id', 'perf.resultId', resid),
    field('perf-res-title', 'perf.resultTitle', restitle), field('perf-res-title-fr', 'perf.resultTitleFr', restitleFr, 'perf.titleFrHint'),
    el('div', { class: 'field' }, el('button', { type: 'submit', 'data-i18n': 'perf.saveResult', disabled: objs.length ? undefined : '' }, t('perf.saveResult'))));
  rform.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fwCopy();
    const o = f.objectives.find((x) => x.id === robj.value);
    if (!o) return;
    const r = o.results.find((x) => x.id === resid.value.trim());
    if (r) setTitles(r, restitle, restitleFr);
    else o.results.push(setTitles({ id: resid.value.trim(), indicators: [] }, restitle, restitleFr));
    save(f);
  });
  // Indicator: added, or replaced (Edit fills the form; its id may change).
  const iobj = select('perf-ind-obj', objs, objs[0]?.[0]);
  const rid = input('perf-ind-rid', { size: '10', required: '' });
  const rtitle = input('perf-ind-rtitle', { size: '24' });
  const rtitleFr = input('perf-ind-rtitle-fr', { size: '24', lang: 'fr' });
  const iid = input('perf-ind-id', { size: '10', required: '' });
  const ilib = select('perf-ind-lib', state.lib.filter((d) => d.id !== 'perception').map((d) => [d.id, d.id === 'manual' ? t('perf.manual') : defName(d.id)]), 'civilian-deaths');
  const iparams = el('fieldset', { id: 'perf-ind-params', class: 'perf-checks' });
  const iarea = select('perf-ind-area', state.areas.map((a) => [a.code, areaName(a.code)]), 'ALL');
  const iowner = input('perf-ind-owner', { size: '12' });
  const iownerFr = input('perf-ind-owner-fr', { size: '12', lang: 'fr' });
  const iunit = input('perf-ind-unit', { size: '10' });
  const idir = select('perf-ind-dir', [['', t('perf.dirDefault')], ['higher', t('perf.dirHigher')], ['lower', t('perf.dirLower')]], '');
  const ibase = input('perf-ind-base', { size: '8', inputmode: 'decimal' });
  const ibasep = input('perf-ind-basep', { size: '8' });
  const itargets = el('textarea', { id: 'perf-ind-targets', rows: '3', cols: '24' });
  const icommit = select('perf-ind-commit', [['', t('perf.none')], ...commitmentIds().map((k) => [k, k])], '');
  const byBox = el('fieldset', { id: 'perf-ind-by', class: 'perf-checks' });
  const drawBy = () => {
    const d = state.lib.find((x) => x.id === ilib.value);
    const dims = [...(d && !d.area_less ? ['area'] : []), ...(d?.disaggregations || [])];
    iunit.placeholder = d?.unit ? unitText(d.unit) : ''; // in the page's language (it said "deaths" on the French page)
    ibase.placeholder = isShare(ilib.value) ? '%' : ''; // a share's baseline and targets are typed in per cent
    byBox.replaceChildren(el('legend', {}, t('perf.disaggs')), ...(dims.length ? dims.map((x) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', id: `perf-ind-by-${x}`, value: x }), ' ', t(`perf.dim.${x}`))) : [el('span', { class: 'muted' }, t('perf.noDisaggs'))]));
  };
  ilib.addEventListener('change', drawBy);
  drawBy();
  ilib.addEventListener('change', () => drawParams(iparams, ilib.value));
  drawParams(iparams, ilib.value);
  const iform = el('form', { id: 'perf-ind-form' },
    el('div', { class: 'form-row' }, field('perf-ind-obj', 'perf.objective', iobj), field('perf-ind-rid', 'perf.resultId', rid), field('perf-ind-rtitle', 'perf.resultTitle', rtitle),
      field('perf-ind-rtitle-fr', 'perf.resultTitleFr', rtitleFr)),
    el('div', { class: 'form-row' }, field('perf-ind-id', 'perf.indId', iid), field('perf-ind-lib', 'perf.indicator', ilib), field('perf-ind-area', 'perf.area', iarea)),
    el('div', { class: 'form-row' }, iparams),
    el('div', { class: 'form-row top' }, field('perf-ind-owner', 'perf.owner', iowner), field('perf-ind-owner-fr', 'perf.ownerFr', iownerFr, 'perf.textFrHint'), field('perf-ind-unit', 'perf.unit', iunit, 'perf.unitHint'), field('perf-ind-dir', 'perf.direction', idir),
      field('perf-ind-base', 'perf.baseline', ibase), field('perf-ind-basep', 'perf.baselinePeriod', ibasep)),
    el('div', { class: 'form-row top' }, field('perf-ind-targets', 'perf.targets', itargets, 'perf.targetsHint'), byBox, field('perf-ind-commit', 'perf.commitmentServed', icommit)),
    el('button', { type: 'submit', 'data-i18n': 'perf.saveIndicator', disabled: objs.length ? undefined : '' }, t('perf.saveIndicator')));
  iform.addEventListener('submit', (ev) => {
    ev.preventDefault();
    try {
      const f = fwCopy();
      const o = f.objectives.find((x) => x.id === iobj.value);
      if (!o) return;
      const params = paramsOf(iparams);
      const ind = { id: iid.value.trim(), indicator: ilib.value, params, area: iarea.value, owner: iowner.value.trim(), unit: iunit.value.trim(), direction: idir.value,
        targets: parseTargets(itargets.value, isShare(ilib.value)), disaggregations: [...byBox.querySelectorAll('input:checked')].map((c) => c.value) };
      const base = numberOf(ibase, 'perf.baseline', isShare(ilib.value));
      if (base !== undefined) ind.baseline = base;
      if (ibasep.value.trim()) ind.baseline_period = ibasep.value.trim();
      if (icommit.value) ind.commitment = icommit.value;
      if (iownerFr.value.trim()) ind.owner_fr = iownerFr.value.trim();
      // Replace the indicator being edited (or one with the same id) where it is.
      let at = null;
      for (const ob of f.objectives) for (const r of ob.results) {
        const k = r.indicators.findIndex((x) => x.id === (state.editing || ind.id));
        if (k >= 0) { r.indicators.splice(k, 1); at = at || { r, k }; }
      }
      let r = o.results.find((x) => x.id === rid.value.trim());
      if (!r) { r = setTitles({ id: rid.value.trim(), indicators: [] }, rtitle, rtitleFr); o.results.push(r); } else if (rtitle.value.trim()) setTitles(r, rtitle, rtitleFr);
      if (at && at.r === r) r.indicators.splice(at.k, 0, ind); else r.indicators.push(ind);
      state.editing = null;
      save(f);
    } catch (e) { fail(e); }
  });
  // Import / export.
  const file = input('perf-import-file', { type: 'file', accept: '.csv,.json,text/csv,application/json' });
  const imp = el('button', { type: 'button', id: 'perf-import', 'data-i18n': 'perf.import' }, t('perf.import'));
  imp.addEventListener('click', async () => {
    const fl = file.files[0];
    if (!fl) { notice(msg, t('perf.chooseFile'), 'error'); return; }
    try {
      const r = await Vigil.api(`${fwPath()}/import`, { json: { format: fl.name.toLowerCase().endsWith('.json') ? 'json' : 'csv', name: fl.name, data: await fl.text() } });
      state.fw = r.framework; state.rev = r.revision;
      await refresh(view);
      notice(view.querySelector('#perf-edit-msg'), t('perf.imported', { rev: r.revision }), 'ok');
    } catch (e) {
      notice(view.querySelector('#perf-edit-msg'), errText(e), 'error');
    }
  });
  const exports = state.fw ? el('p', {}, el('a', { id: 'perf-export-csv', href: `${fwPath()}?format=csv`, download: '', 'data-i18n': 'perf.exportCSV' }, t('perf.exportCSV')), ' · ',
    el('a', { id: 'perf-export-json', href: `${fwPath()}?format=json`, download: '', 'data-i18n': 'perf.exportJSON' }, t('perf.exportJSON'))) : '';
  const canEdit = Vigil.can('analyst');
  const sec = el('section', { class: 'card', id: 'perf-editor' }, el('h2', { 'data-i18n': 'perf.editorTitle' }, t('perf.editorTitle')),
    outline(view), msg,
    canEdit ? [el('h3', { 'data-i18n': 'perf.objectiveTitle' }, t('perf.objectiveTitle')), oform,
      el('h3', { 'data-i18n': 'perf.resultFormTitle' }, t('perf.resultFormTitle')), rform,
      el('h3', { 'data-i18n': 'perf.indicatorTitle' }, t('perf.indicatorTitle')), iform,
      el('h3', { 'data-i18n': 'perf.importTitle' }, t('perf.importTitle')), el('div', { class: 'form-row top' }, field('perf-import-file', 'perf.importFile', file, 'perf.importHint'), el('div', { class: 'field' }, imp))]
      : el('p', { class: 'muted' }, t('perf.readOnly')),
    exports);
  if (canEdit) Vigil.filePick(file);
  return sec;
}

// ---- compacts ---------------------------------------------------------------

/** A link only for http(s) addresses; anything else is shown as text. */
function evidenceLink(u) {
  return /^https?:\/\//i.test(u) ? el('a', { href: u, rel: 'noopener noreferrer', target: '_blank' }, u) : el('span', {}, u);
}

function compactsSection(view) {
  const box = el('section', { class: 'card', id: 'perf-compacts' }, el('h2', { 'data-i18n': 'perf.compactsTitle' }, t('perf.compactsTitle')));
  const msg = el('div', { id: 'perf-compact-msg', 'aria-live': 'polite' });
  const cs = state.fw?.compacts || [];
  const owes = state.compacts?.owes || [];
  const owed = (kid) => owes.flatMap((o) => o.commitments).find((k) => k.id === kid);
  const save = (change) => { const f = fwCopy(); change(f); saveFramework(view, f, 'perf-compact-msg'); };
  const canEdit = Vigil.can('analyst');
  if (!cs.length) box.append(Vigil.empty({ title: 'perf.noCompacts.title', body: 'perf.noCompacts.body' }));
  cs.forEach((c, ci) => {
    const sec = el('div', { class: 'perf-compact', 'data-compact': c.id });
    sec.append(el('h3', {}, el('span', { translate: 'no' }, `${(Vigil.lang === 'fr' && c.title_fr) || c.title || c.id} (${c.id})`), itemButtons(c.id, () => {
      setValues(view, { 'perf-c-id': c.id, 'perf-c-title': c.title, 'perf-c-title-fr': c.title_fr });
      view.querySelector('#perf-c-title').focus();
    }, () => save((f) => f.compacts.splice(ci, 1)))));
    // What each party owes, at a glance.
    (c.parties || []).forEach((p, pi) => {
      const ks = (c.commitments || []).map((k, ki) => [k, ki]).filter(([k]) => k.party === p.id);
      const rows = ks.map(([k, ki]) => {
        const o = owed(k.id) || { status: 'not-started', overdue: false };
        const hist = k.history || [];
        const cells = [
          el('td', {}, el('span', { translate: 'no', class: 'perf-k-text' }, inLang(k.text, k.text_fr)), el('div', { class: 'muted' }, k.id)),
          el('td', {}, Vigil.date(k.deadline), o.overdue ? [' ', el('span', { class: 'badge danger' }, t('perf.overdue'))] : ''),
          el('td', {}, el('span', { class: 'badge' }, t(`perf.commit.${o.status}`)),
            hist.length ? el('details', { class: 'perf-history' }, el('summary', {}, t('perf.historyN', { n: hist.length })),
              el('ul', {}, ...hist.map((h) => el('li', {}, t('perf.historyItem', { date: Vigil.date(h.date), status: t(`perf.commit.${h.status}`), by: h.by || '' }), h.note ? ` — ${h.note}` : '')))) : ''),
          el('td', { class: 'perf-k-inds' }, (k.indicators || []).length ? el('ul', {}, ...k.indicators.map((i) => el('li', {}, fwIndicatorName(i)))) : '—'),
          el('td', {}, ...(k.evidence || []).flatMap((u, i) => [i ? el('br') : '', evidenceLink(u)])),
        ];
        if (canEdit) {
          const sel = select(`perf-k-status-${k.id}`, COMMITMENT.map((s) => [s, t(`perf.commit.${s}`)]), o.status);
          sel.setAttribute('aria-label', t('perf.statusOf', { id: k.id }));
          const note = input(`perf-k-note-${k.id}`, { size: '14', 'aria-label': t('perf.statusNoteOf', { id: k.id }), placeholder: t('perf.note') });
          const btn = el('button', { type: 'button', class: 'perf-set-status', 'data-i18n': 'perf.setStatus' }, t('perf.setStatus'));
          btn.addEventListener('click', async () => {
            try {
              await Vigil.api(`${fwPath()}/commitments/${encodeURIComponent(k.id)}/status`, { json: { status: sel.value, note: note.value.trim() } });
              await refresh(view);
            } catch (e) { notice(view.querySelector('#perf-compact-msg'), errText(e), 'error'); }
          });
          cells.push(el('td', {}, sel, ' ', note, ' ', btn, itemButtons(k.id, () => fillCommitment(view, c, k), () => save((f) => f.compacts[ci].commitments.splice(ki, 1)))));
        }
        return el('tr', { 'data-commitment': k.id }, ...cells);
      });
      const head = ['perf.col.commitment', 'perf.col.deadline', 'perf.col.status', 'perf.col.measuredBy', 'perf.col.evidence', ...(canEdit ? ['perf.col.update'] : [])];
      sec.append(el('h4', { 'data-party': p.id }, el('span', { translate: 'no' }, inLang(p.name, p.name_fr)), ` (${t(`perf.kind.${p.kind}`)})`, itemButtons(p.id, () => {
        setValues(view, { 'perf-p-compact': c.id, 'perf-p-id': p.id, 'perf-p-name': p.name, 'perf-p-name-fr': p.name_fr, 'perf-p-kind': p.kind });
        view.querySelector('#perf-p-name').focus();
      }, () => save((f) => f.compacts[ci].parties.splice(pi, 1)))),
      rows.length ? Vigil.scrollTable(el('table', { class: 'full' }, el('thead', {}, el('tr', {}, ...head.map((k) => el('th', { scope: 'col' }, t(k))))), el('tbody', {}, ...rows)))
        : el('p', { class: 'muted' }, t('perf.owesNothing')));
    });
    // Annual reviews.
    const rv = c.reviews || [];
    sec.append(el('h4', {}, t('perf.reviews')), rv.length ? el('ul', { class: 'perf-reviews' }, ...rv.map((r, ri) => el('li', { 'data-year': String(r.year) },
      el('strong', {}, `${r.year}`), ` (${Vigil.date(r.date)}): `, el('span', { translate: 'no', class: 'perf-r-text' }, inLang(r.summary, r.summary_fr)),
      itemButtons(`${c.id} ${r.year}`, () => {
        setValues(view, { 'perf-r-compact': c.id, 'perf-r-year': r.year, 'perf-r-date': r.date, 'perf-r-summary': r.summary, 'perf-r-summary-fr': r.summary_fr });
        view.querySelector('#perf-r-summary').focus();
      }, () => save((f) => f.compacts[ci].reviews.splice(ri, 1))))))
      : el('p', { class: 'muted' }, t('perf.noReviews')));
    box.append(sec);
  });
  box.append(msg);
  if (canEdit && state.mission) box.append(compactForms(view, cs));
  return box;
}

function fillCommitment(view, c, k) {
  setValues(view, { 'perf-k-compact': c.id, 'perf-k-id': k.id, 'perf-k-text': k.text, 'perf-k-text-fr': k.text_fr, 'perf-k-deadline': k.deadline, 'perf-k-evidence': (k.evidence || []).join('\n') });
  view.querySelector('#perf-k-compact').dispatchEvent(new Event('change'));
  view.querySelector('#perf-k-party').value = k.party;
  for (const o of view.querySelector('#perf-k-inds').options) o.selected = (k.indicators || []).includes(o.value);
  view.querySelector('#perf-k-text').focus();
}

// The forms that add or change (by id) a compact, a party, a commitment and
// an annual review.
function compactForms(view, cs) {
  const save = (change) => { const f = fwCopy(); change(f); return saveFramework(view, f, 'perf-compact-msg'); };
  const ids = cs.map((c) => [c.id, titled(c.id, c.title, c.title_fr)]);
  const findC = (f, id) => f.compacts.find((x) => x.id === id);
  const submit = (form, fn) => form.addEventListener('submit', (ev) => { ev.preventDefault(); fn(); });
  const btn = (key, off) => el('button', { type: 'submit', 'data-i18n': key, disabled: off ? '' : undefined }, t(key));
  // Compact.
  const cid = input('perf-c-id', { size: '12', required: '' });
  const ctitle = input('perf-c-title', { size: '30' });
  const ctitleFr = input('perf-c-title-fr', { size: '30', lang: 'fr' });
  const cform = el('form', { id: 'perf-compact-form', class: 'form-row top' }, field('perf-c-id', 'perf.compactId', cid), field('perf-c-title', 'perf.compactTitle', ctitle),
    field('perf-c-title-fr', 'perf.compactTitleFr', ctitleFr, 'perf.titleFrHint'), el('div', { class: 'field' }, btn('perf.saveCompact')));
  submit(cform, () => save((f) => {
    const c = findC(f, cid.value.trim());
    if (c) setTitles(c, ctitle, ctitleFr);
    else f.compacts.push(setTitles({ id: cid.value.trim(), parties: [], commitments: [] }, ctitle, ctitleFr));
  }));
  // Party.
  const pc = select('perf-p-compact', ids, ids[0]?.[0]);
  const pid = input('perf-p-id', { size: '8', required: '' });
  const pname = input('perf-p-name', { size: '24', required: '' });
  const pnameFr = input('perf-p-name-fr', { size: '24', lang: 'fr' });
  const pkind = select('perf-p-kind', KINDS.map((k) => [k, t(`perf.kind.${k}`)]), 'host-government');
  const pform = el('form', { id: 'perf-party-form', class: 'form-row top' }, field('perf-p-compact', 'perf.compact', pc), field('perf-p-id', 'perf.partyId', pid),
    field('perf-p-name', 'perf.partyName', pname), field('perf-p-name-fr', 'perf.partyNameFr', pnameFr, 'perf.nameFrHint'), field('perf-p-kind', 'perf.partyKind', pkind), el('div', { class: 'field' }, btn('perf.saveParty', !ids.length)));
  submit(pform, () => save((f) => {
    const c = findC(f, pc.value);
    c.parties = c.parties || [];
    const p = { id: pid.value.trim(), name: pname.value.trim(), kind: pkind.value };
    if (pnameFr.value.trim()) p.name_fr = pnameFr.value.trim();
    const i = c.parties.findIndex((x) => x.id === p.id);
    if (i >= 0) c.parties[i] = p; else c.parties.push(p);
  }));
  // Commitment.
  const kc = select('perf-k-compact', ids, ids[0]?.[0]);
  const kparty = el('select', { id: 'perf-k-party' });
  const fillParties = () => kparty.replaceChildren(...((cs.find((c) => c.id === kc.value)?.parties) || []).map((p) => el('option', { value: p.id, translate: 'no' }, inLang(p.name, p.name_fr))));
  kc.addEventListener('change', fillParties);
  fillParties();
  const kid = input('perf-k-id', { size: '8', required: '' });
  const ktext = input('perf-k-text', { size: '36', required: '' });
  const ktextFr = input('perf-k-text-fr', { size: '36', lang: 'fr' });
  const kdead = Vigil.dateInput({ id: 'perf-k-deadline', label: 'perf.deadline', required: true });
  const inds = (state.fw?.objectives || []).flatMap((o) => o.results.flatMap((r) => r.indicators.map((i) => i.id)));
  const kinds = el('select', { id: 'perf-k-inds', multiple: '', size: String(Math.min(Math.max(inds.length, 2), 6)) }, ...inds.map((i) => el('option', { value: i }, fwIndicatorName(i))));
  const kev = el('textarea', { id: 'perf-k-evidence', rows: '2', cols: '36' });
  const kform = el('form', { id: 'perf-commit-form' },
    el('div', { class: 'form-row' }, field('perf-k-compact', 'perf.compact', kc), field('perf-k-id', 'perf.commitId', kid), field('perf-k-party', 'perf.party', kparty), kdead),
    el('div', { class: 'form-row top' }, field('perf-k-text', 'perf.commitText', ktext), field('perf-k-text-fr', 'perf.commitTextFr', ktextFr, 'perf.textFrHint')),
    el('div', { class: 'form-row top' }, field('perf-k-inds', 'perf.commitInds', kinds, 'perf.commitIndsHint'), field('perf-k-evidence', 'perf.evidenceLinks', kev, 'perf.evidenceHint')),
    btn('perf.saveCommitment', !ids.length));
  submit(kform, () => save((f) => {
    const c = findC(f, kc.value);
    c.commitments = c.commitments || [];
    const k = { id: kid.value.trim(), party: kparty.value, text: ktext.value.trim(), deadline: kdead.value,
      indicators: [...kinds.selectedOptions].map((o) => o.value), evidence: kev.value.split('\n').map((x) => x.trim()).filter(Boolean) };
    if (ktextFr.value.trim()) k.text_fr = ktextFr.value.trim();
    const i = c.commitments.findIndex((x) => x.id === k.id);
    if (i >= 0) {
      c.commitments[i] = { ...c.commitments[i], ...k };
      if (!k.text_fr) delete c.commitments[i].text_fr; // emptied: the English is shown
    } else c.commitments.push(k);
  }));
  // Annual review.
  const rc = select('perf-r-compact', ids, ids[0]?.[0]);
  const ryear = input('perf-r-year', { type: 'number', min: '2000', max: '2100', required: '' });
  const rdate = Vigil.dateInput({ id: 'perf-r-date', label: 'perf.reviewDate', required: true });
  const rsum = el('textarea', { id: 'perf-r-summary', rows: '3', cols: '48', required: '' });
  const rsumFr = el('textarea', { id: 'perf-r-summary-fr', rows: '3', cols: '48', lang: 'fr' });
  const rform = el('form', { id: 'perf-review-form' },
    el('div', { class: 'form-row' }, field('perf-r-compact', 'perf.compact', rc), field('perf-r-year', 'perf.reviewYear', ryear), rdate),
    el('div', { class: 'form-row top' }, field('perf-r-summary', 'perf.reviewSummary', rsum), field('perf-r-summary-fr', 'perf.reviewSummaryFr', rsumFr, 'perf.textFrHint')),
    btn('perf.saveReview', !ids.length));
  submit(rform, () => save((f) => {
    const c = findC(f, rc.value);
    c.reviews = c.reviews || [];
    const r = { year: Number(ryear.value), date: rdate.value, summary: rsum.value.trim() };
    if (rsumFr.value.trim()) r.summary_fr = rsumFr.value.trim();
    const i = c.reviews.findIndex((x) => x.year === r.year);
    if (i >= 0) c.reviews[i] = r; else c.reviews.push(r);
    c.reviews.sort((a, b) => a.year - b.year);
  }));
  return el('div', { id: 'perf-compact-forms' },
    el('h3', { 'data-i18n': 'perf.compactFormTitle' }, t('perf.compactFormTitle')), cform,
    el('h3', { 'data-i18n': 'perf.partyFormTitle' }, t('perf.partyFormTitle')), pform,
    el('h3', { 'data-i18n': 'perf.commitFormTitle' }, t('perf.commitFormTitle')), kform,
    el('h3', { 'data-i18n': 'perf.reviewFormTitle' }, t('perf.reviewFormTitle')), rform);
}

// ---- options for leadership ------------------------------------------------

/**
 * An option's sites in words: an opened site by its nearest place in the
 * page's language ("près de Bandiagara, Mopti (Mali)"), else by its id; the
 * TOB tried on the map has no other id than "proposed" (as performance's
 * Effect.SiteNames writes them in the brief).
 */
function siteNames(e) {
  return (e.sites || []).map((id, i) => {
    const p = (e.places || [])[i];
    if (p) return (Vigil.lang === 'fr' && p.label_fr) || p.label;
    return id === 'proposed' ? '' : id;
  }).filter(Boolean);
}

function optionsSection(view) {
  const box = el('section', { class: 'card', id: 'perf-options' }, el('h2', { 'data-i18n': 'perf.optionsTitle' }, t('perf.optionsTitle')),
    el('p', { class: 'muted', 'data-i18n': 'perf.optionsDoc' }, t('perf.optionsDoc')));
  const msg = el('div', { 'aria-live': 'polite' });
  const gaps = state.options || [];
  if (!gaps.length) box.append(Vigil.empty({ title: 'perf.noOptions.title', body: 'perf.noOptions.body', action: { label: 'perf.noOptions.action', href: '#/coverage' } }));
  const r2 = (x) => Vigil.num(Math.round(x * 100) / 100);
  for (const g of gaps) {
    const rows = [];
    for (const o of g.options) {
      const name = `${scenarioName({ name: o.scenario, name_fr: o.scenario_fr, month: o.month }, Vigil.lang) || '#' + o.scenario_id} (${strategyText(o.kind)}, ${Vigil.month(o.month || '')})`;
      // An option attached by mistake (or overtaken) is taken off here; it
      // left the brief only through the API before.
      const remove = (first) => (first && Vigil.can('analyst') ? el('div', {}, removeButton(name, async () => {
        try {
          await Vigil.api(`${fwPath()}/options/${o.id}`, { method: 'DELETE' });
          await refresh(view);
        } catch (e) { notice(msg, errText(e), 'error'); }
      })) : '');
      if (o.problem) { rows.push(el('tr', {}, el('th', { scope: 'row' }, name, remove(true)), el('td', { colspan: '5' }, msgText(o.problem_msg, o.problem)))); continue; }
      for (const [i, e] of o.effects.entries()) {
        rows.push(el('tr', { 'data-option': o.id }, el('th', { scope: 'row' }, name, o.note ? el('div', { class: 'muted' }, o.note) : '', remove(i === 0)), el('td', {}, strategyText(e.strategy)),
          el('td', { class: 'num' }, `${r2(e.covered_before)} → ${r2(e.covered_after)}`),
          el('td', { class: 'num' }, e.share_before === null ? '—' : `${fmt(e.share_before, 'share')} → ${fmt(e.share_after, 'share')}`),
          el('td', { class: 'num' }, (e.change > 0 ? '+' : '') + r2(e.change)),
          el('td', {}, e.cost === undefined || e.cost === null ? '' : r2(e.cost), siteNames(e).length ? el('div', { class: 'muted' }, siteNames(e).join(semi())) : '')));
      }
    }
    const head = ['perf.col.option', 'perf.col.strategy', 'perf.col.covered', 'perf.col.share', 'perf.col.change', 'perf.col.cost'].map((k) => el('th', { scope: 'col' }, t(k)));
    box.append(el('h3', {}, g.gap, g.area ? ` — ${areaName(g.area)}` : ''),
      Vigil.scrollTable(el('table', { class: 'full' }, el('thead', {}, el('tr', {}, ...head)), el('tbody', {}, ...rows))));
  }
  if (Vigil.can('analyst')) {
    const gap = input('perf-o-gap', { size: '30', required: '' });
    const area = select('perf-o-area', [['', '—'], ...state.areas.filter((a) => a.code !== 'ALL').map((a) => [a.code, areaName(a.code)])], '');
    const sc = select('perf-o-scenario', (state.scenarios || []).map((x) => [String(x.id), `${scenarioName(x, Vigil.lang)} (${strategyText(x.kind)}, ${Vigil.month(x.month)})`]), '');
    const note = input('perf-o-note', { size: '30' });
    const form = el('form', { id: 'perf-option-form' },
      el('div', { class: 'form-row top' }, field('perf-o-gap', 'perf.gap', gap, 'perf.gapHint'), field('perf-o-area', 'perf.area', area)),
      el('div', { class: 'form-row' }, field('perf-o-scenario', 'perf.scenario', sc), field('perf-o-note', 'perf.note', note)),
      el('button', { type: 'submit', 'data-i18n': 'perf.attach', disabled: (state.scenarios || []).length ? undefined : '' }, t('perf.attach')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await Vigil.api(`${fwPath()}/options`, { json: { gap: gap.value.trim(), area: area.value, scenario_id: Number(sc.value), note: note.value.trim() } });
        await refresh(view);
      } catch (e) { notice(msg, errText(e), 'error'); }
    });
    box.append(el('h3', { 'data-i18n': 'perf.attachTitle' }, t('perf.attachTitle')), form);
  }
  box.append(msg);
  return box;
}

// ---- withdrawal watch ---------------------------------------------------------

function watchSection() {
  const w = state.watch;
  const box = el('section', { class: 'card', id: 'perf-watch' }, el('h2', { 'data-i18n': 'perf.watchTitle' }, t('perf.watchTitle')));
  if (!w) return box;
  if (!w.found) {
    box.append(Vigil.empty({ title: 'perf.noWatch.title', body: 'perf.noWatch.body', action: { label: 'perf.noWatch.action', href: '#/coverage' } }));
    return box;
  }
  const r2 = (x) => Vigil.num(Math.round(x * 100) / 100);
  // What the watch found in plain words first (performance.WatchWords); the difference-in-differences for analysts.
  box.append(w.words ? el('p', { id: 'perf-watch-words' }, msgText(w.words)) : '',
    el('p', { id: 'perf-watch-summary' }, t('perf.watchSummary', { found: w.found, evaluated: w.evaluated, fired: w.fired })),
    w.did !== null ? el('details', { id: 'perf-watch-did' }, el('summary', {}, t('perf.analysts')),
      el('p', {}, t('perf.watchDiD', { did: r2(w.did), lo: r2(w.did_low), hi: r2(w.did_high), level: Math.round(w.config.interval_level * 100) }))) : '',
    el('p', { class: 'muted' }, triggerText(w.config)),
    w.evaluated ? el('p', { class: 'muted', id: 'perf-watch-matching' }, t('perf.watchMatching', { stored: (w.risk_sources || {}).forecast || 0, computed: (w.risk_sources || {})['exp-decay'] || 0 })) : '');
  const ev = w.withdrawals.filter((x) => x.status === 'evaluated').slice(-50).reverse();
  const risk = watchRisk(ev);
  const head = ['perf.col.month', 'perf.col.place', 'perf.col.area', 'perf.col.before', 'perf.col.after', 'perf.col.expected', 'perf.col.risk', 'perf.col.trigger'].map((k) => el('th', { scope: 'col', class: k === 'perf.col.risk' && risk.num ? 'num' : undefined }, k === 'perf.col.risk' ? risk.head : t(k)));
  box.append(Vigil.scrollTable(el('table', { class: 'full' }, el('caption', {}, t('perf.watchCaption')),
    el('thead', {}, el('tr', {}, ...head)),
    el('tbody', {}, ...ev.map((x, i) => el('tr', {}, el('td', {}, Vigil.month(x.month)), el('td', {}, `${x.location} (${x.mission})`), el('td', {}, areaName(x.area)),
      el('td', { class: 'num' }, Vigil.num(x.before)), el('td', { class: 'num' }, Vigil.num(x.after)), el('td', { class: 'num' }, r2(x.expected)),
      el('td', { class: risk.num ? 'num' : undefined }, risk.cells[i]),
      el('td', {}, x.fired ? el('span', { class: 'badge danger' }, t('perf.fired')) : el('span', { class: 'muted' }, t('perf.notFired')))))))));
  return box;
}

/**
 * Where a withdrawal's forecast risk came from: a stored forecast named by
 * the day it was computed and its model (never its run number), or the
 * exponential-decay model.
 */
function riskSource(x) {
  if (x.risk_source === 'forecast' && x.risk_run_created) {
    return t('perf.riskSrc.forecast', { created: Vigil.date(x.risk_run_created), model: msgText({ code: `model.${x.risk_model}` }, x.risk_model || '?') });
  }
  return t(x.risk_source === 'forecast' ? 'perf.riskSrc.forecastStored' : `perf.riskSrc.${x.risk_source}`);
}

/**
 * The watch table's risk column: its header and one cell a row. When every
 * row's risk has the same source, the header says it once (« Risque prévu
 * (modèle à décroissance exponentielle, événements antérieurs) ») and the
 * cells are the percentages (a number column, num); otherwise each cell
 * says its own.
 */
export function watchRisk(rows) {
  const srcs = rows.map(riskSource);
  const pcts = rows.map((x) => t('perf.risk.pct', { p: Vigil.num(Math.round(x.risk * 1000) / 10) }));
  if (srcs.length && srcs.every((s) => s === srcs[0])) return { head: t('perf.col.riskFrom', { source: srcs[0] }), cells: pcts, num: true };
  return { head: t('perf.col.risk'), cells: pcts.map((p, i) => t('perf.risk.withSource', { p, source: srcs[i] })), num: false };
}

function triggerText(c) {
  return t('perf.watchTrigger', { measure: t(`perf.measure.${c.measure}`), conf: Vigil.num(Math.round(c.confidence * 1000) / 10), min: Vigil.num(c.min_expected) });
}

// ---- alert to leadership ------------------------------------------------------

// The withdrawal-watch triggers leadership was alerted to (by vigil serve's
// watch, which also sends them to the escalation webhook), each with its
// evidence: a notice at the top of the page. A leader or analyst
// acknowledges one with a note (kept with who and when); acknowledged
// alerts stay listed, marked, and leave the navigation's count.
const openAlerts = () => (state.leadership || []).filter((x) => !x.acked_at);
const alertKey = (x) => `${x.cell}-${x.month}`;

function leadershipNotice() {
  const ts = state.leadership || [];
  if (!ts.length) return el('div', { id: 'perf-leadership', hidden: '' });
  const box = el('section', { id: 'perf-leadership', 'aria-labelledby': 'perf-lead-title' });
  // Each alert in plain words for leadership (what happened, where, how
  // sure: performance.AlertWords, as the webhook and the brief say it); its
  // statistics for analysts apart (AlertFigures), as the watch's are.
  const items = ts.map((x) => el('li', { 'data-cell': String(x.cell), 'data-month': x.month, id: `perf-lead-${alertKey(x)}`, tabindex: '-1' },
    el('span', { class: 'perf-lead-words' }, msgText(x.words)),
    ' ', el('span', { class: 'muted' }, t('perf.leadSeen', { date: x.first_seen ? Vigil.date(x.first_seen) : '' })),
    x.figures ? el('details', { class: 'perf-lead-figures' }, el('summary', {}, t('perf.analysts')), el('p', {}, msgText(x.figures))) : '',
    (x.controls || []).length ? el('details', {}, el('summary', {}, t('perf.leadControls', { n: x.controls.length })),
      el('ul', {}, ...x.controls.map((k) => el('li', { 'data-cell': String(k.cell) }, controlText(k))))) : '',
    ackPart(x)));
  const open = openAlerts().length;
  box.className = open ? 'notice error' : 'notice';
  if (open) box.setAttribute('role', 'alert');
  box.append(el('h2', { id: 'perf-lead-title' }, t(open ? 'perf.leadTitle' : 'perf.leadTitleDone')), el('p', {}, t('perf.leadBody')), el('ul', {}, ...items));
  return box;
}

// A matched control cell of an alert: its place by name (its country when
// the server names no place), the cell id only in brackets.
function controlText(k) {
  return t('perf.leadControl', { place: cellPlace(k) || areaName(k.area), cell: k.cell, before: Vigil.num(k.before), after: Vigil.num(k.after) });
}

// An alert's acknowledgement, or (for an analyst) the form to give it.
function ackPart(x) {
  if (x.acked_at) {
    return el('p', { class: 'perf-acked' }, t('perf.ackedBy', { who: x.acked_by, date: Vigil.dateTime(x.acked_at), note: x.ack_note || '—' }));
  }
  if (!Vigil.can('analyst')) return '';
  const id = `perf-ack-note-${alertKey(x)}`;
  const note = el('input', { id, size: '40', maxlength: '2000' });
  const msg = el('span', { 'aria-live': 'polite' });
  const form = el('form', { class: 'form-row perf-ack' }, field(id, 'perf.ackNote', note),
    el('div', { class: 'field' }, el('button', { type: 'submit', class: 'btn' }, t('perf.ack'))), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await Vigil.api(`${API}/alerts/${x.cell}/${encodeURIComponent(x.month)}/ack`, { json: { note: note.value } });
      await refreshNavAlerts(true);
      document.getElementById('perf-leadership')?.replaceWith(leadershipNotice());
      document.getElementById(`perf-lead-${alertKey(x)}`)?.focus();
    } catch (e) {
      msg.textContent = errText(e);
    }
  });
  return form;
}

// The open alerts to leadership on the alerts page (alerts.js announces
// its queue), each linking to its evidence on this page.
Vigil.on('alerts-queue', async (root) => {
  const box = root?.querySelector('#alerts-leadership');
  if (!box || !Vigil.serves('performance')) return;
  await refreshNavAlerts(true);
  const open = openAlerts();
  if (!open.length) { box.replaceChildren(); return; }
  box.className = 'notice error';
  box.replaceChildren(el('h2', {}, t('perf.leadTitle')),
    el('ul', {}, ...open.map((x) => el('li', {}, el('a', { href: `#/performance?alert=${alertKey(x)}` },
      t('perf.leadLink', { place: x.location || cellPlace(x) || `#${x.cell}`, area: watchArea(x), month: Vigil.month(x.month) }))))));
});

// ---- brief -----------------------------------------------------------------------

/** The starter perception form's id (surveys/starter; the demo's survey). */
const STARTER_FORM = 'vigil_perception';

function briefSection() {
  const month = Vigil.dateInput({ id: 'perf-brief-month', label: 'perf.month', kind: 'month', value: state.month });
  const lang = select('perf-brief-lang', [['en', 'English'], ['fr', 'Français']], Vigil.lang);
  // each language is named in itself, so its option says which language it is in (WCAG 3.1.2)
  lang.querySelectorAll('option').forEach((o) => { o.lang = o.value; });
  // The perception survey whose indicators the brief shows (with their
  // change over 12 months): the starter form by default; an analyst, who
  // may list the forms, chooses among them.
  const form = select('perf-brief-form', [['', t('perf.briefFormNone')], [STARTER_FORM, STARTER_FORM]], STARTER_FORM);
  const html = el('a', { id: 'perf-brief-html', class: 'btn', target: '_blank', rel: 'noopener', 'data-i18n': 'perf.briefHTML' }, t('perf.briefHTML'));
  const pdf = el('a', { id: 'perf-brief-pdf', class: 'btn btn-primary', download: '', 'data-i18n': 'perf.briefPDF' }, t('perf.briefPDF'));
  const update = () => {
    const q = new URLSearchParams({ month: month.value, lang: lang.value });
    if (state.fw) q.set('mission', state.mission);
    if (form.value) q.set('form', form.value);
    html.href = `${API}/brief?${q}`;
    q.set('format', 'pdf');
    pdf.href = `${API}/brief?${q}`;
  };
  month.addEventListener('input', update);
  month.addEventListener('change', update);
  lang.addEventListener('change', update);
  form.addEventListener('change', update);
  update();
  if (Vigil.can('analyst')) {
    Vigil.api('/api/v1/surveys/forms').then((r) => {
      const forms = r.forms || [];
      const chosen = forms.some((f) => f.form_id === form.value) ? form.value : (forms[0]?.form_id || '');
      form.replaceChildren(el('option', { value: '' }, t('perf.briefFormNone')),
        ...forms.map((f) => el('option', { value: f.form_id }, f.title && f.title !== f.form_id ? `${f.title} (${f.form_id})` : f.form_id)));
      form.value = chosen;
      update();
    }).catch((e) => Vigil.notify(Vigil.errMsg(e), 'error'));
  }
  return el('section', { class: 'card', id: 'perf-brief' }, el('h2', { 'data-i18n': 'perf.briefTitle' }, t('perf.briefTitle')),
    el('p', { class: 'muted', 'data-i18n': 'perf.briefDoc' }, t('perf.briefDoc')),
    el('div', { class: 'form-row' }, month, field('perf-brief-lang', 'perf.lang', lang),
      field('perf-brief-form', 'perf.briefForm', form, 'perf.briefFormHint')),
    el('p', { class: 'btn-row' }, html, pdf));
}

// ---- page ----------------------------------------------------------------------------

// The page is shown: set by each render (Vigil.latest on its element), false once it is left.
let shown = () => false;

// refresh reads the chosen mission's framework and draws the page. Only
// the newest refresh draws (Show pressed again, another change saved), and
// only while the page is shown: what it read is kept until then, so an
// earlier mission's framework answering late is not mixed with a newer one.
async function refresh(view) {
  const mine = Vigil.latest(refresh);
  const got = {};
  let status = null;
  if (state.mission) {
    const path = fwPath();
    got.frameworks = await Vigil.api(`${API}/frameworks`);
    got.fw = null; got.rev = 0;
    if (got.frameworks.some((f) => f.mission === state.mission)) {
      const r = await Vigil.api(path);
      got.fw = r.framework; got.rev = r.revision;
    }
    got.compacts = got.fw ? await Vigil.api(`${path}/compacts`) : null;
    // The indicators' status too, before the page is drawn: drawn as
    // « Chargement… » and filled once it answered, it pushed the value
    // form under it ~1,500 px down after the page was shown.
    [got.options, got.scenarios, status] = await Promise.all([Vigil.api(`${path}/options`), Vigil.api('/api/v1/coverage/scenarios'), statusOf(got.fw)]);
  }
  if (!mine() || !shown()) return;
  Object.assign(state, got);
  Vigil.latest(loadStatus); // a status read still on its way draws nothing now
  draw(view);
  showStatus(view, status);
}

function draw(view) {
  const missions = state.frameworks.map((f) => f.mission);
  if (state.mission && !missions.includes(state.mission)) missions.push(state.mission);
  const msel = select('perf-mission', missions.map((m) => [m, m]), state.mission);
  const mnew = input('perf-mission-new', { size: '12' });
  const period = input('perf-period', { value: state.period, size: '12' });
  const show = el('button', { type: 'submit', 'data-i18n': 'perf.show' }, t('perf.show'));
  const controls = el('form', { class: 'form-row top', id: 'perf-controls' },
    missions.length ? field('perf-mission', 'perf.mission', msel) : '',
    field('perf-mission-new', 'perf.missionNew', mnew, 'perf.missionNewHint'),
    field('perf-period', 'perf.period', period, 'perf.periodHint'), el('div', { class: 'field' }, show));
  controls.addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.mission = mnew.value.trim() || msel.value || '';
    state.period = period.value.trim();
    // The chosen mission and period go in the address (a new entry: Back
    // returns to the period before), so a reload or a shared link shows them.
    if (location.hash !== routeHash()) history.pushState(null, '', routeHash());
    refresh(view).catch((e) => Vigil.notify(Vigil.errMsg(e), 'error'));
  });
  const noMission = () => Vigil.empty({ title: 'perf.noMission.title', body: 'perf.noMission.body',
    action: { label: 'perf.noMission.action', onclick: () => view.querySelector('#perf-mission-new').focus() } });
  const parts = {
    indicators: () => [el('section', { class: 'card' }, el('h2', {}, state.mission ? t('perf.frameworkOf', { mission: state.mission }) : t('perf.frameworkNone')),
      state.mission ? el('div', { id: 'perf-indicators' }) : noMission()), valueForm(view)],
    framework: () => [state.mission ? editor(view) : noMission()],
    compacts: () => [state.mission ? compactsSection(view) : noMission()],
    options: () => [state.mission ? optionsSection(view) : noMission()],
    watch: () => [watchSection()],
    brief: () => [briefSection()],
  };
  view.replaceChildren(
    el('h1', { 'data-i18n': 'perf.title' }, t('perf.title')),
    el('p', { class: 'muted', 'data-i18n': 'perf.intro' }, t('perf.intro')),
    leadershipNotice(),
    controls,
    tabList(view),
    ...TABS.map((id) => el('div', { role: 'tabpanel', id: `perf-panel-${id}`, class: 'perf-panel', 'aria-labelledby': `perf-tab-${id}`, tabindex: '0',
      hidden: id === state.tab ? undefined : '' }, ...parts[id]())));
}

// ---- tabs ------------------------------------------------------------------------------
// The page's parts are tabs (WAI-ARIA tabs: arrow keys, Home and End move
// between them, the panel follows); the chosen one is in the address
// (#/performance?tab=ID), so a link or a reload opens it. So are the
// mission and the period shown (&mission=M&period=P).

const TABS = ['indicators', 'framework', 'compacts', 'options', 'watch', 'brief'];

/** The page's address for the tab, mission and period shown; other parameters of the address (alert) kept. */
function routeHash() {
  const q = Vigil.params();
  q.set('tab', state.tab);
  for (const k of ['mission', 'period']) { if (state[k]) q.set(k, state[k]); else q.delete(k); }
  return `#/performance?${q}`;
}

/** The tab the address asks for (#/performance?tab=ID), if any. */
function tabInHash() {
  const want = Vigil.params().get('tab');
  return TABS.includes(want) ? want : '';
}

function tabList(view) {
  const list = el('div', { role: 'tablist', class: 'tabs perf-tabs', 'aria-label': t('perf.tabs') },
    ...TABS.map((id) => {
      const on = id === state.tab;
      const b = el('button', { type: 'button', role: 'tab', class: 'tab', id: `perf-tab-${id}`, 'aria-controls': `perf-panel-${id}`,
        'aria-selected': String(on), tabindex: on ? '0' : '-1', 'data-tab': id }, t(`perf.tab.${id}`));
      b.addEventListener('click', () => selectTab(view, id));
      return b;
    }));
  list.addEventListener('keydown', (ev) => {
    const i = TABS.indexOf(state.tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    selectTab(view, TABS[(next + TABS.length) % TABS.length], true);
  });
  return list;
}

/** Shows the tab id's panel (focusing its tab when focus is true) and puts it in the address. */
function selectTab(view, id, focus) {
  state.tab = id;
  for (const b of view.querySelectorAll('[role=tab]')) {
    const on = b.dataset.tab === id;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    if (on && focus) b.focus();
  }
  for (const p of view.querySelectorAll('[role=tabpanel]')) p.hidden = p.id !== `perf-panel-${id}`;
  if (location.hash !== routeHash()) Vigil.replaceRoute(routeHash());
}

// The alerts to leadership are visible from every page: the navigation
// link to this page counts them (refreshed when a page is shown, at most
// every five minutes).
let navAlertsAt = 0;
function navLabel() {
  const n = openAlerts().length;
  return n ? t('perf.navAlerts', { n }) : t('perf.nav');
}
async function refreshNavAlerts(force) {
  if (!Vigil.user || !Vigil.serves('performance') || (!force && Date.now() - navAlertsAt < 5 * 60 * 1000)) return;
  navAlertsAt = Date.now();
  try { state.leadership = await Vigil.api(`${API}/alerts`); } catch { return; }
  const a = document.getElementById('nav-performance');
  if (a) a.textContent = navLabel();
}
Vigil.on('page', () => { refreshNavAlerts(false); });

Vigil.registerPage({
  id: 'performance',
  // A label object is read in the page's language (Vigil.label).
  label: { get en() { return navLabel(); }, get fr() { return navLabel(); } },
  minRole: 'viewer',
  order: 45,
  render(view) {
    state.tab = tabInHash() || 'indicators';
    // A mission and period in the address (a link, a reload, Back) are the ones shown.
    for (const k of ['mission', 'period']) if (Vigil.params().get(k)) state[k] = Vigil.params().get(k);
    const here = shown = Vigil.latest(view); // boot takes a turn on view when another page is shown
    view.append(el('p', {}, t('perf.loading')));
    (async () => {
      try {
        const [lib, areas, fws] = await Promise.all([Vigil.api(`${API}/indicators`), Vigil.api(`${API}/areas`), Vigil.api(`${API}/frameworks`), loadReasons()]);
        state.lib = lib; state.areas = areas; state.frameworks = fws;
        if (!state.mission && fws.length) state.mission = fws[0].mission;
        if (!state.period) {
          // The last full year of the data: the events' span is in the provenance of any value.
          const v = await Vigil.api(`${API}/value`, { query: { indicator: 'events', period: '2000', area: 'ALL' } }).catch(() => null);
          const to = v?.coverage?.data_to || '';
          state.period = to ? String(Number(to.slice(0, 4)) - (to.slice(5) === '12' ? 0 : 1)) : String(new Date().getFullYear() - 1);
          state.month = to || '';
        }
        await refreshNavAlerts(true);
        if (!here()) return; // another page is shown: this one draws nothing
        if (location.hash !== routeHash()) Vigil.replaceRoute(routeHash());
        await refresh(view);
        state.watch = await Vigil.api(`${API}/watch`);
        if (!here()) return;
        view.querySelector('#perf-watch')?.replaceWith(watchSection());
        view.querySelector('#perf-leadership')?.replaceWith(leadershipNotice());
        const want = /[?&]alert=([\w-]+)/.exec(location.hash);
        if (want) document.getElementById(`perf-lead-${want[1]}`)?.focus();
      } catch (e) {
        if (here()) view.replaceChildren(el('p', { class: 'notice error' }, errText(e)));
      }
    })();
    const off = Vigil.on('lang', () => { if (state.lib.length) { draw(view); loadStatus(view); } });
    // A link to another tab of this page (the router keeps the page), or
    // another mission or period in the address (Back after Show).
    const onHash = () => {
      const q = Vigil.params();
      if (!view.querySelector('[role=tablist]')) {
        // Still loading: the load draws what the address now asks (it
        // would otherwise write its first tab back over the address).
        state.tab = tabInHash() || state.tab;
        for (const k of ['mission', 'period']) if (q.get(k)) state[k] = q.get(k);
        return;
      }
      const [mission, period] = [q.get('mission') || state.mission, q.get('period') || state.period];
      if (mission !== state.mission || period !== state.period) {
        Object.assign(state, { mission, period, tab: tabInHash() || state.tab });
        refresh(view).catch((e) => Vigil.notify(Vigil.errMsg(e), 'error'));
        return;
      }
      const want = tabInHash();
      if (want && want !== state.tab) selectTab(view, want);
    };
    window.addEventListener('hashchange', onHash);
    return () => { off(); window.removeEventListener('hashchange', onHash); };
  },
});
