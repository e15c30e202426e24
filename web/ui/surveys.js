// Surveys page: perception indicators from a form's answers (trust in the
// mission by region with 95 % intervals, any indicator by any breakdown),
// the change since an earlier round, and who the mission is not hearing
// (respondents and the interlocutor log against population margins). Small
// cells are suppressed by the server and shown as such. The map layer puts
// the selected indicator on PRIO-GRID cells (respondents' GPS points).
import { Vigil } from './core/vigil.js';
import { listSep } from './core/text.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const pct = (p) => Vigil.pct(p);
const state = {
  form: 'vigil_perception', round: '', compare: '', indicator: 'trusts_mission', by: 'region', margins: '',
  data: null,
  demoRefused: null, // the demo's refused weighting: { form, refusal } (loadDemoRefusal)
};

function indicatorLabel(ind) {
  return (Vigil.lang === 'fr' && ind.label_fr) || ind.label || ind.id;
}

/** A label of the form's own (EN/FR), from the analysis' labels; the admin page's margins use it too. */
export function langText(lt) {
  if (!lt) return '';
  return (Vigil.lang === 'fr' && lt.fr) || lt.en || '';
}
const labels = () => (state.data && state.data.labels) || state.labels || { fields: {}, choices: {} };
/** A breakdown's name: the question's label, else the field name. */
const fieldLabel = (f) => langText((labels().fields || {})[f]) || (f === 'region' ? t('surveys.region') : f);
/** A group of a breakdown: the choice's label, else the code. */
const choiceLabel = (f, v) => langText(((labels().choices || {})[f] || {})[v]) || v;
/** "Question: choice" (French typography in French). */
const dimGroup = (f, v, source) => t('surveys.dimValue', { dim: unheardDim(f, source), value: choiceLabel(f, v) });
/**
 * A dimension's name in who is unheard: the interlocutor log records the
 * sex of the interlocutor met, so its section does not borrow the form's
 * « Sex of the respondent »; any other dimension is the form's label.
 */
export const unheardDim = (f, source) => (source === 'interlocutors' && f === 'sex' ? t('surveys.interSex') : fieldLabel(f));
/**
 * The dissimilarity indices as the page writes them, one a dimension and
 * separated as the language does (listSep: "Sex: 0.14; Region: 0.22",
 * « Sexe : 0,14 ; Région : 0,22 » with a narrow no-break space).
 */
export function indexParts(index, source) {
  return (index || []).map((ix) => t('surveys.dimValue', { dim: unheardDim(ix.dim, source), value: Vigil.num(Math.round(ix.index * 100) / 100) }));
}

/** An error as the page shows it: a keyed refusal, a failed or unreachable server in the page's language (Vigil.errMsg), else the server's text read by serverText. */
const errShown = (e) => (e && e.key ? Vigil.errMsg(e) : serverText(e.message));

/**
 * The server's survey texts that are not refusals (suppression reasons,
 * the unheard rule, warnings) in the user's language: each known text
 * (English, from surveys/) as a key; others as they come. Refusals carry
 * their catalog key (errShown).
 */
const SERVER_MSGS = [
  [/^fewer than (\d+) respondents \(n=(\d+)\)$/, 'surveys.reason.fewN', ['min', 'n']],
  [/^coefficient of variation above (\d+)%$/, 'surveys.reason.cv', ['cv']],
  [/^under-heard: share among those heard below ([\d.]+) × population share, where at least ([\d.]+) would be expected/, 'surveys.rule', ['ratio', 'min']],
  [/^(.+)=(.+): population (\d+) but no respondents; left out of calibration$/, 'surveys.warn.noRespondents', ['dim', 'group', 'pop']],
  [/^raking did not converge in (\d+) iterations$/, 'surveys.warn.raking', ['n']],
  [/^(\d+) submissions? answered none of the questions analysed nor the calibration fields \(no consent, say\): left out as non-response$/, 'surveys.warn.nonResponse', ['n']],
  [/^(.+)=(.+): (\d+) (respondents|interlocutors) but not in the population margins$/, 'surveys.warn.notInMargins', ['dim', 'group', 'n', 'source']],
  [/^(\d+) respondents? left out: no (.+)$/, 'surveys.warn.noCalibration', ['n', 'dim']],
  [/^(.+): no (respondents|interlocutors) record gives ".*"; not compared$/, 'surveys.warn.notCompared', ['dim', 'source']],
];
export function serverText(msg) {
  const hit = Vigil.matchText(SERVER_MSGS, msg || '');
  if (!hit) return msg;
  const { key, vars: v } = hit;
  if (v.dim !== undefined) {
    v.group = choiceLabel(v.dim, v.group);
    v.dim = unheardDim(v.dim, v.source);
  }
  for (const k of ['ratio', 'min', 'pop', 'n']) if (v[k] !== undefined && v[k] !== '' && !Number.isNaN(Number(v[k]))) v[k] = Vigil.num(Number(v[k]));
  // who was counted (respondents or interlocutors) is part of the sentence, with its plural
  return t(v.source === 'interlocutors' ? `${key}Interlocutors` : key, v);
}

/** An interval bar: the estimate as a dot on a 0–100 % scale, the 95 % CI as a line. */
function ciBar(e) {
  const NS = 'http://www.w3.org/2000/svg';
  const w = 220;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', w);
  svg.setAttribute('height', 16);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('surveys.ciAria', { est: pct(e.estimate), lo: pct(e.ci_low), hi: pct(e.ci_high) }));
  const x = (p) => 4 + p * (w - 8);
  const axis = document.createElementNS(NS, 'line');
  Object.entries({ x1: x(0), x2: x(1), y1: 8, y2: 8, stroke: '#ddd' }).forEach(([k, v]) => axis.setAttribute(k, v));
  const ci = document.createElementNS(NS, 'line');
  Object.entries({ x1: x(e.ci_low), x2: x(e.ci_high), y1: 8, y2: 8, stroke: '#1f5fa8', 'stroke-width': 4 }).forEach(([k, v]) => ci.setAttribute(k, v));
  const dot = document.createElementNS(NS, 'circle');
  Object.entries({ cx: x(e.estimate), cy: 8, r: 4, fill: '#0b2e59' }).forEach(([k, v]) => dot.setAttribute(k, v));
  svg.append(axis, ci, dot);
  return svg;
}

function estimateRow(label, e) {
  if (e.suppressed) {
    return el('tr', { class: 'surveys-suppressed' }, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, Vigil.num(e.n)),
      el('td', { colspan: '3' }, t('surveys.suppressed'), ' ', el('span', { class: 'muted' }, `(${serverText(e.reason || '')})`)));
  }
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, Vigil.num(e.n)),
    el('td', { class: 'num' }, pct(e.estimate)),
    el('td', { class: 'num' }, `${pct(e.ci_low)} – ${pct(e.ci_high)}`),
    el('td', {}, ciBar(e)));
}

function resultTable(res) {
  const head = el('tr', {}, ...['surveys.group', 'surveys.n', 'surveys.estimate', 'surveys.ci', 'surveys.chart'].map((k) => el('th', { scope: 'col', 'data-i18n': k, class: ['surveys.n', 'surveys.estimate', 'surveys.ci'].includes(k) ? 'num' : undefined }, t(k))));
  const rows = [estimateRow(t('surveys.all'), res.overall)];
  for (const g of (res.by && res.by[state.by]) || []) rows.push(estimateRow(choiceLabel(state.by, g.group), g));
  return Vigil.scrollTable(el('table', { class: 'surveys-table', id: 'surveys-estimates' },
    el('caption', {}, `${indicatorLabel(res.indicator)} — ${t('surveys.byWhat', { by: fieldLabel(state.by) })}`),
    el('thead', {}, head), el('tbody', {}, ...rows)));
}

function trendTable(tr) {
  const cell = (c, label) => {
    if (c.suppressed) return el('tr', { class: 'surveys-suppressed' }, el('th', { scope: 'row' }, label), el('td', { colspan: '3' }, t('surveys.suppressed')));
    const sign = c.change > 0 ? '+' : '';
    return el('tr', {}, el('th', { scope: 'row' }, label),
      el('td', { class: 'num' }, `${pct(c.from)} → ${pct(c.to)}`),
      el('td', { class: 'num' }, t('surveys.trend.points', { d: sign + Vigil.num(Math.round(c.change * 1000) / 10), lo: Vigil.num(Math.round(c.ci_low * 1000) / 10), hi: Vigil.num(Math.round(c.ci_high * 1000) / 10) })),
      el('td', {}, c.significant ? t('surveys.significant') : t('surveys.notSignificant')));
  };
  const rows = [cell(tr.overall, t('surveys.all'))];
  for (const c of (tr.by && tr.by[state.by]) || []) rows.push(cell(c, choiceLabel(state.by, c.group)));
  return Vigil.scrollTable(el('table', { class: 'surveys-table', id: 'surveys-trend' },
    el('caption', {}, t('surveys.trendCaption', { from: state.compare, to: state.round || t('surveys.allRounds') })),
    // headed: the change's figures and its interval said (they were a bare « −12,4 pts (−24,1 … −0,6) »)
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('surveys.group')),
      el('th', { scope: 'col', class: 'num' }, t('surveys.trend.rounds', { from: state.compare, to: state.round || t('surveys.allRounds') })),
      el('th', { scope: 'col', class: 'num' }, t('surveys.trend.change')), el('th', { scope: 'col' }, t('surveys.trend.meaning')))),
    el('tbody', {}, ...rows)));
}

function unheardList(rep, title, source) {
  if (!rep) {
    // Empty: say where the log is kept (a link for who may write in it).
    const where = t('surveys.noLogWhere', { page: t('admin.nav'), tab: t('admin.tab.interlocutors') });
    return el('p', { class: 'muted', id: 'surveys-no-log' }, t('surveys.noLog'), ' ',
      Vigil.can('analyst') ? el('a', { href: '#/admin?tab=interlocutors' }, t('surveys.noLogHow', { where })) : t('surveys.noLogHow', { where }));
  }
  const items = (rep.flagged || []).map((g) => el('li', { class: 'surveys-flag-' + g.flag.replace(/\W+/g, '-') },
    el('strong', {}, g.place ? `${choiceLabel(rep.area_dim || '', g.place)} · ${dimGroup(g.dim, g.group, source)}` : dimGroup(g.dim, g.group, source)), ' — ',
    t('surveys.flag.' + g.flag), ' ',
    el('span', { class: 'muted' }, t('surveys.ratio', { heard: g.heard, expected: Vigil.num(Math.round(g.expected * 10) / 10), ratio: Vigil.num(Math.round(g.ratio * 100) / 100) }))));
  return el('section', { class: 'surveys-unheard' }, el('h3', {}, title),
    items.length ? el('ul', { id: title === t('surveys.respondents') ? 'surveys-unheard-list' : undefined }, ...items) : el('p', {}, t('surveys.noneFlagged')),
    ...(rep.warnings || []).map((w) => el('p', { class: 'muted' }, '⚠ ', serverText(w))),
    // one index a dimension, separated as the language does (they ran
    // together, then « Sexe : 0,14  ; » had a margin before the separator)
    el('p', { class: 'muted', id: title === t('surveys.respondents') ? 'surveys-index' : undefined }, t('surveys.index'), ' ',
      ...indexParts(rep.index, source).flatMap((text, i) => [i ? listSep(Vigil.lang) : '', el('span', { class: 'surveys-index' }, text)]), '.'));
}

/** The forms (with their response counts) into the form chooser. */
async function loadForms(view) {
  const sel = view.querySelector('#surveys-form');
  const out = view.querySelector('#surveys-out');
  let forms = [];
  try {
    forms = (await Vigil.api('/api/v1/surveys/forms')).forms || [];
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, errShown(e)));
    return false;
  }
  state.forms = forms;
  if (!forms.length) {
    sel.replaceChildren();
    out.replaceChildren(Vigil.empty({ title: 'surveys.empty.noFormsTitle', body: 'surveys.empty.noForms',
      action: Vigil.can('admin') ? { label: 'surveys.empty.toAdmin', href: '#/admin' } : undefined }));
    return false;
  }
  if (!forms.some((f) => f.form_id === state.form)) state.form = forms[0].form_id;
  sel.replaceChildren(...forms.map((f) => el('option', { value: f.form_id, selected: f.form_id === state.form ? '' : undefined },
    t('surveys.formOption', { title: f.title || f.form_id, id: f.form_id, n: Vigil.num(f.submissions || 0) }))));
  return true;
}

/** The loaded margin sets into the margins chooser. */
async function loadMargins(view) {
  const sel = view.querySelector('#surveys-margins');
  try {
    const names = (await Vigil.api('/api/v1/surveys/margins')).margins || [];
    sel.replaceChildren(el('option', { value: '' }),
      ...names.map((n) => el('option', { value: n, selected: n === state.margins ? '' : undefined }, n)));
    nameFormMargins(view);
  } catch {
    /* the analysis shows the error */
  }
}

/**
 * The margins chooser's first choice (no set asked for: the server takes
 * the form's settings' margins) says which set that is: « Les marges du
 * formulaire : demo_population_synthetic » (it named none). Said again when
 * the settings are read or saved, and on a language switch.
 */
function nameFormMargins(view) {
  const o = view.querySelector('#surveys-margins option[value=""]');
  const name = state.settings?.margins;
  if (o) o.textContent = name ? t('surveys.marginsSettingsNamed', { name }) : t('surveys.marginsSettings');
}

async function load(view) {
  const out = view.querySelector('#surveys-out');
  // Only the newest choice of form, round and comparison draws (an earlier one may answer after it).
  const mine = Vigil.latest(out);
  const f = (state.forms || []).find((x) => x.form_id === state.form);
  if (f && !f.submissions) {
    state.data = null;
    out.removeAttribute('aria-busy');
    out.replaceChildren(Vigil.empty({ title: 'surveys.empty.noResponsesTitle', body: 'surveys.empty.noResponses', vars: { form: f.title || f.form_id } }));
    return;
  }
  // Another round or comparison of the form shown: its analysis stays in
  // place, marked busy, until the new one replaces it. It went back to one
  // « Chargement… » line, which took the export's links, the margins
  // chooser and its button 370 px up and then brought them back down under
  // a pointer on its way to them. A new form starts from « Chargement… ».
  if (state.data) out.setAttribute('aria-busy', 'true');
  else out.replaceChildren(el('p', {}, t('surveys.loading')));
  try {
    const query = {};
    if (state.round) query.round = state.round;
    if (state.compare) query.compare = state.compare;
    const d = await Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(state.form)}/analysis`, { query });
    if (!mine()) return;
    state.data = d;
    state.labels = d.labels;
    view.dispatchEvent(new CustomEvent('surveys-labels')); // the settings panel's raking choices by their labels
    fillChoosers(view);
    render(view);
    out.removeAttribute('aria-busy');
    await loadExport(view);
  } catch (e) {
    if (!mine()) return;
    state.data = null;
    out.removeAttribute('aria-busy');
    out.replaceChildren(el('p', { class: 'error' }, errShown(e)));
  }
}

/** The round, comparison, indicator and breakdown choosers, in the user's language. */
function fillChoosers(view) {
  const d = state.data;
  if (!d) return;
  const rounds = ['', ...d.rounds];
  for (const id of ['#surveys-round', '#surveys-compare']) {
    const s = view.querySelector(id);
    const cur = id === '#surveys-round' ? state.round : state.compare;
    s.replaceChildren(...rounds.map((r) => el('option', { value: r, selected: r === cur ? '' : undefined }, r || (id === '#surveys-round' ? t('surveys.allRounds') : t('surveys.noCompare')))));
  }
  const sel = view.querySelector('#surveys-indicator');
  sel.replaceChildren(...d.analysis.results.map((r) => el('option', { value: r.indicator.id, selected: r.indicator.id === state.indicator ? '' : undefined }, indicatorLabel(r.indicator))));
  const bys = Object.keys(d.analysis.results[0]?.by || {}).filter((b) => b !== '_prio_gid');
  if (!bys.includes(state.by)) state.by = bys[0] || '';
  const bsel = view.querySelector('#surveys-by');
  bsel.replaceChildren(...bys.map((b) => el('option', { value: b, selected: b === state.by ? '' : undefined }, fieldLabel(b))));
}

function render(view) {
  const d = state.data;
  const out = view.querySelector('#surveys-out');
  if (!d) return;
  const res = d.analysis.results.find((r) => r.indicator.id === state.indicator) || d.analysis.results[0];
  const parts = [
    el('p', { class: 'muted', id: 'surveys-meta' }, t('surveys.meta', { n: Vigil.num(d.analysis.respondents), calib: weightsText(d.analysis.calibration) })),
    ...demoWeightsOff(d),
    ...(d.analysis.warnings || []).map((w) => el('p', { class: 'muted' }, '⚠ ', serverText(w))),
    resultTable(res),
  ];
  // The respondents who gave no usable answer ("don't know", refused,
  // skipped) are not in the percentages: say how many, so that 344 under
  // "360 respondents" is not a mystery.
  const left = d.analysis.respondents - ((res.overall && res.overall.n) || 0);
  if (left > 0) parts.push(el('p', { class: 'muted', id: 'surveys-left-out' }, t('surveys.leftOut', { left, n: Vigil.num(res.overall.n) })));
  const tr = (d.trend || []).find((x) => x.indicator === res.indicator.id);
  if (tr) parts.push(trendTable(tr));
  out.replaceChildren(...parts);
}

/**
 * The demo's weighting of its survey answers, refused when the demo
 * started (GET /api/v1/demo: survey_weights_refused, the refusal as the
 * API answers one): said, with its reason in the page's language, over the
 * demo form's estimates while they are weighted by nothing.
 */
function demoWeightsOff(d) {
  const off = state.demoRefused;
  if (!off || off.form !== state.form || !/^none\b/.test(d.analysis.calibration || '')) return [];
  const r = off.refusal;
  const reason = Vigil.errText({ key: r.key, args: r.args, field: r.field, message: r.error });
  return [el('p', { class: 'muted', id: 'surveys-demo-weights' }, '⚠ ', t('surveys.demoWeightsOff', { reason }))];
}

/** Whether the demo's weighting was refused (demoWeightsOff), asked of the server once per page. */
async function loadDemoRefusal(view) {
  try {
    const d = await Vigil.api('/api/v1/demo');
    state.demoRefused = d && d.survey_form && d.survey_weights_refused ? { form: d.survey_form, refusal: d.survey_weights_refused } : null;
  } catch {
    return; // no demo marker: nothing to say
  }
  if (state.demoRefused) render(view);
}

/** The weighting in words: "none", "post-stratified on X", "raked on X, Y", then ", weights trimmed to [mean/R, mean×R]". */
function calibText(c) {
  const m = /^(none|post-stratified|raked)(?: on (.+?))?(?:, weights trimmed to \[mean\/([\d.]+), mean×[\d.]+\])?$/.exec(c || '');
  if (!m) return c;
  const dims = (m[2] || '').split(/,\s*/).map(fieldLabel).join(', ');
  const calib = m[1] === 'none' ? t('surveys.calib.none') : t(m[1] === 'raked' ? 'surveys.calib.raked' : 'surveys.calib.post', { dims });
  return m[3] ? t('surveys.calib.trimmed', { calib, r: Vigil.num(Number(m[3])) }) : calib;
}

/**
 * The weights in use, as the analysis applied them: the design weight
 * field (from the form's settings) and the calibration; with margins named
 * but not used to weight, how to turn them on.
 */
function weightsText(c) {
  const st = state.settings || {};
  let text = calibText(c);
  if (st.weights) text = t(/^none\b/.test(c || '') ? 'surveys.calib.design' : 'surveys.calib.designAnd', { field: fieldLabel(st.weights), calib: text });
  if (/^none\b/.test(c || '') && st.margins && !(st.rake_on || []).length) text += ' ' + t('surveys.calib.marginsUnused', { margins: st.margins, panel: t('surveys.set.title') });
  return text;
}

/**
 * The form's answers to download (the round chosen above), protected by the
 * server before they leave (GET …/export): what the protection does, from
 * its report, then the CSV and HXL links; a refusal when it cannot protect
 * them. The report is not an export: only a download is audited.
 */
async function loadExport(view) {
  const box = view.querySelector('#surveys-export');
  if (!box) return;
  const mine = Vigil.latest(box);
  const path = `/api/v1/surveys/forms/${encodeURIComponent(state.form)}/export`;
  const href = (format) => {
    const q = new URLSearchParams();
    if (state.round) q.set('round', state.round);
    if (format) q.set('format', format);
    return q.size ? `${path}?${q}` : path;
  };
  // A report shown (another round, the language switched) stays, marked
  // busy, until the new one replaces it, as the analysis above does.
  if (box.querySelector('#surveys-export-how')) box.setAttribute('aria-busy', 'true');
  else box.replaceChildren(el('p', {}, t('surveys.loading')));
  try {
    const rep = await Vigil.api(href('report'));
    if (!mine()) return;
    box.removeAttribute('aria-busy');
    const vars = { records: rep.records, blocked: rep.records_blocked, k: rep.k, unsafe: rep.records_below_k_after,
      qi: (rep.quasi_identifiers || []).map(fieldLabel).join(', ') };
    const how = el('p', { class: 'muted', id: 'surveys-export-how' }, t('surveys.exportHow', vars));
    if (!rep.passes) {
      box.replaceChildren(how, el('p', { class: 'error', id: 'surveys-export-refused' }, t('surveys.exportRefused', vars)));
      return;
    }
    box.replaceChildren(how, el('p', { class: 'surveys-export-links' },
      el('a', { id: 'surveys-export-csv', class: 'btn btn-primary', href: href(''), download: '' }, t('surveys.exportCSV')), ' ',
      el('a', { id: 'surveys-export-hxl', class: 'btn', href: href('hxl'), download: '' }, t('surveys.exportHXL'))));
  } catch (e) {
    if (mine()) { box.removeAttribute('aria-busy'); box.replaceChildren(el('p', { class: 'error' }, errShown(e))); }
  }
}

async function loadUnheard(view) {
  const box = view.querySelector('#surveys-unheard');
  const mine = Vigil.latest(box); // only the newest margins asked for draw
  box.replaceChildren(el('p', {}, t('surveys.loading')));
  try {
    const query = {};
    if (state.margins) query.margins = state.margins;
    if (state.round) query.round = state.round;
    const u = await Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(state.form)}/unheard`, { query });
    if (!mine()) return;
    if (u.labels) state.labels = u.labels;
    box.replaceChildren(el('p', { class: 'muted' }, serverText(u.respondents.rule)),
      unheardList(u.respondents, t('surveys.respondents'), 'respondents'), unheardList(u.interlocutors, t('surveys.interlocutors'), 'interlocutors'));
  } catch (e) {
    if (mine()) box.replaceChildren(el('p', { class: 'error' }, errShown(e)));
  }
}

/** Upload a margins CSV (analysts): PUT /api/v1/surveys/margins/{name}. */
function marginsUpload(view) {
  const name = el('input', { id: 'surveys-margins-name', size: '14', autocomplete: 'off', pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}' });
  const file = el('input', { id: 'surveys-margins-file', type: 'file', accept: '.csv,text/csv' });
  const btn = el('button', { type: 'submit', id: 'surveys-margins-upload' }, t('surveys.marginsUpload'));
  const msg = el('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const f = el('form', { class: 'surveys-controls surveys-margins-form' },
    el('label', { for: 'surveys-margins-name' }, el('span', {}, t('surveys.marginsName')), ' ', name),
    el('span', { class: 'surveys-margins-file' }, el('label', { for: 'surveys-margins-file' }, t('surveys.marginsFile')), ' ', file), btn);
  Vigil.filePick(file);
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    if (!n || !file.files[0]) {
      msg.textContent = t('surveys.marginsNeed');
      return;
    }
    try {
      const r = await Vigil.api(`/api/v1/surveys/margins/${encodeURIComponent(n)}`, { method: 'PUT', body: await file.files[0].text() });
      msg.textContent = t('surveys.marginsDone', { name: r.name, cells: Vigil.num(r.cells), dims: (r.dims || []).map(fieldLabel).join(', ') });
      state.margins = r.name;
      view.dispatchEvent(new CustomEvent('surveys-margins', { detail: r.name }));
      await loadMargins(view);
    } catch (e) {
      msg.textContent = errShown(e);
    }
  });
  return el('details', { class: 'surveys-margins-box' }, el('summary', {}, t('surveys.marginsUploadTitle')),
    el('p', { class: 'muted' }, t('surveys.marginsHelp')), f, msg);
}

/** A list typed as "a, b, c": its names, none empty. */
const names = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);

/** A number typed in the page's way ("0,05" in French); a text that is not one is sent as it is, for the server to refuse naming the field. */
function numberOf(v) {
  const x = v.trim();
  if (!x) return 0;
  const n = Number(x.replace(',', '.'));
  return Number.isFinite(n) ? n : x;
}

/**
 * One indicator of the settings panel, editable: its id, its name in
 * English and French, the answer field, the answers counted, those read as
 * no answer, whether the question takes several answers; and a button
 * removing it. Inputs are named surveys-set-ind-{n}-{member} (n from 0,
 * member as the JSON: id, label, label_fr, field, values, missing,
 * multiple), so a refusal naming indicators[n].member marks its input.
 */
function indicatorEditor(ind, n, remove) {
  const id = (m) => `surveys-set-ind-${n}-${m}`;
  const text = (m, v) => el('input', { id: id(m), type: 'text', autocomplete: 'off', value: v || '' });
  // Each field is described by the hint said once above the indicators (indicatorHints).
  const row = (m, key, c) => (c.setAttribute('aria-describedby', `surveys-set-ind-hint-${key}`),
    el('div', { class: 'field' }, el('label', { for: c.id, 'data-i18n': `surveys.set.ind.${key}` }, t(`surveys.set.ind.${key}`)), c));
  const multiple = el('input', { id: id('multiple'), type: 'checkbox', checked: ind.multiple ? '' : undefined });
  const legend = el('legend', {});
  const name = () => { legend.textContent = ind.id || ind.label ? t('surveys.set.ind.legend', { n: Vigil.num(n + 1), name: indicatorLabel(ind) }) : t('surveys.set.ind.legendNew', { n: Vigil.num(n + 1) }); };
  name();
  const drop = el('button', { type: 'button', class: 'btn', id: id('remove'), 'data-i18n': 'surveys.set.ind.remove' }, t('surveys.set.ind.remove'));
  drop.addEventListener('click', remove);
  const fs = el('fieldset', { class: 'surveys-set-ind', id: id('box') }, legend,
    row('id', 'id', text('id', ind.id)), row('label', 'label', text('label', ind.label)), row('label_fr', 'labelFR', text('label_fr', ind.label_fr)),
    row('field', 'field', text('field', ind.field)), row('values', 'values', text('values', (ind.values || []).join(', '))),
    row('missing', 'missing', text('missing', (ind.missing || []).join(', '))),
    el('div', { class: 'field' }, el('label', { for: multiple.id }, multiple, ' ', el('span', { 'data-i18n': 'surveys.set.ind.multiple' }, t('surveys.set.ind.multiple')))),
    el('div', { class: 'btn-row' }, drop));
  const v = (m) => fs.querySelector(`#${id(m)}`).value.trim();
  /** The indicator as typed, as the settings' JSON has it. */
  const read = () => {
    const out = { id: v('id'), label: v('label'), field: v('field'), values: names(v('values')) };
    if (v('label_fr')) out.label_fr = v('label_fr');
    if (names(v('missing')).length) out.missing = names(v('missing'));
    if (multiple.checked) out.multiple = true;
    return out;
  };
  return { fs, read, relang: name };
}

/** The fields of an indicator (indicatorEditor), by their dictionary keys. */
const IND_FIELDS = ['id', 'label', 'labelFR', 'field', 'values', 'missing'];

/**
 * What each field of an indicator means, said once above the indicators
 * (it was said under each of them: six long hints seven times, ~40 lines):
 * a details of terms, each hint with the id its fields' aria-describedby
 * names (surveys-set-ind-hint-{key}).
 */
function indicatorHints() {
  return el('details', { class: 'surveys-set-ind-help', id: 'surveys-set-ind-help' },
    el('summary', { 'data-i18n': 'surveys.set.ind.help' }, t('surveys.set.ind.help')),
    el('dl', {}, ...IND_FIELDS.flatMap((key) => [
      el('dt', { 'data-i18n': `surveys.set.ind.${key}` }, t(`surveys.set.ind.${key}`)),
      el('dd', { class: 'hint', id: `surveys-set-ind-hint-${key}`, 'data-i18n': `surveys.set.ind.${key}Hint` }, t(`surveys.set.ind.${key}Hint`))])));
}

/**
 * The form's analysis settings, shown and changed in the page (GET and PUT
 * …/analysis/settings: analysts, CSRF, the change audited by the server):
 * what the analysis reports (its indicators, the breakdowns); population
 * margins and the dimensions the answers are weighted to (and whether a
 * respondent without an answer to one refuses the analysis or is left
 * out), the design fields (weights, strata, clusters, finite population
 * correction), weight
 * trimming; the smallest group k, the answers that could identify someone,
 * the highest mean re-identification risk, its weight field and the
 * answers never downloaded. Each with what it means; a refusal is said in
 * the page's language and marks the input of the field it names (an
 * indicator's by its JSON path, indicators[1].values). The other settings
 * (area, round and GPS fields, …) are sent back as they were.
 */
function settingsPanel(view) {
  const msg = el('p', { role: 'status', 'aria-live': 'polite', id: 'surveys-set-msg' });
  const fields = el('div', { id: 'surveys-set-fields' });
  const box = el('details', { class: 'surveys-settings-box', id: 'surveys-settings' },
    el('summary', { 'data-i18n': 'surveys.set.title' }, t('surveys.set.title')), fields, msg);
  let said = null; // the last message, said again in another language
  const say = (m) => { said = m; msg.className = m && m.error ? 'error' : 'muted'; msg.textContent = !m ? '' : m.error ? errShown(m.error) : t(m.key, m.vars); };
  const input = (id) => el('input', { id, type: 'text', autocomplete: 'off' });
  const inputs = {
    margins: el('select', { id: 'surveys-set-margins' }),
    breakdowns: input('surveys-set-breakdowns'),
    weights: input('surveys-set-weights'), strata: input('surveys-set-strata'), clusters: input('surveys-set-clusters'), fpc: input('surveys-set-fpc'),
    rake_missing: el('select', { id: 'surveys-set-rake-missing' }, ...['refuse', 'leave_out'].map((v) => el('option', { value: v, 'data-i18n': `surveys.set.rakeMissing.${v}` }, t(`surveys.set.rakeMissing.${v}`)))),
    trim_ratio: el('input', { id: 'surveys-set-trim', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '6' }),
    'disclosure.k': el('input', { id: 'surveys-set-k', type: 'text', inputmode: 'numeric', autocomplete: 'off', size: '6' }),
    'disclosure.quasi_identifiers': input('surveys-set-qi'),
    'disclosure.max_risk': el('input', { id: 'surveys-set-risk', type: 'text', inputmode: 'decimal', autocomplete: 'off', size: '6' }),
    'disclosure.weight': input('surveys-set-riskweight'), 'disclosure.drop': input('surveys-set-drop'),
  };
  const rake = el('fieldset', { id: 'surveys-set-rake', class: 'surveys-set-rake', 'aria-describedby': 'surveys-set-rake-hint' });
  const row = (name, key) => {
    const c = inputs[name];
    const hint = `${c.id}-hint`;
    c.setAttribute('aria-describedby', hint);
    return el('div', { class: 'field' }, el('label', { for: c.id, 'data-i18n': `surveys.set.${key}` }, t(`surveys.set.${key}`)), c,
      el('span', { class: 'hint', id: hint, 'data-i18n': `surveys.set.${key}Hint` }, t(`surveys.set.${key}Hint`)));
  };
  let dims = []; // the chosen margin set's dimensions
  const drawRake = () => {
    const on = new Set([...rake.querySelectorAll('input:checked')].map((c) => c.value));
    rake.replaceChildren(el('legend', { 'data-i18n': 'surveys.set.rake' }, t('surveys.set.rake')),
      ...(dims.length ? dims.map((d) => el('label', { class: 'surveys-set-dim' },
        el('input', { type: 'checkbox', value: d, checked: on.has(d) ? '' : undefined }), ' ', fieldLabel(d)))
        : [el('span', { class: 'muted', 'data-i18n': 'surveys.set.rakeNoMargins' }, t('surveys.set.rakeNoMargins'))]),
      el('span', { class: 'hint', id: 'surveys-set-rake-hint', 'data-i18n': 'surveys.set.rakeHint' }, t('surveys.set.rakeHint')));
  };
  /** The chosen margin set's dimensions into the raking choices (those checked before stay checked). */
  const readDims = async (checked) => {
    const name = inputs.margins.value;
    dims = [];
    if (name) {
      try { dims = (await Vigil.api(`/api/v1/surveys/margins/${encodeURIComponent(name)}`)).dims || []; } catch (e) { say({ error: e }); }
    }
    drawRake();
    if (checked) for (const c of rake.querySelectorAll('input')) c.checked = checked.includes(c.value);
  };
  inputs.margins.addEventListener('change', () => readDims());
  // The indicators, each an editor; removing one or adding one redraws them
  // all with what was typed (their numbers, and so their inputs' ids, follow).
  let editors = [];
  const inds = el('div', { id: 'surveys-set-inds' });
  const drawIndicators = (list) => {
    editors = list.map((ind, n) => indicatorEditor(ind, n, () => {
      drawIndicators(editors.filter((_, i) => i !== n).map((e) => e.read()));
      (inds.querySelector('fieldset button') || addInd).focus();
    }));
    inds.replaceChildren(...editors.map((e) => e.fs));
  };
  const addInd = el('button', { type: 'button', class: 'btn', id: 'surveys-set-ind-add', 'data-i18n': 'surveys.set.ind.add' }, t('surveys.set.ind.add'));
  addInd.addEventListener('click', () => {
    drawIndicators([...editors.map((e) => e.read()), { id: '', field: '', values: [] }]);
    inds.querySelector(`#surveys-set-ind-${editors.length - 1}-id`).focus();
  });
  const save = el('button', { type: 'submit', id: 'surveys-set-save', 'data-i18n': 'surveys.set.save' }, t('surveys.set.save'));
  const form = el('form', { id: 'surveys-set-form', novalidate: '' },
    el('fieldset', {}, el('legend', { 'data-i18n': 'surveys.set.reported' }, t('surveys.set.reported')),
      el('p', { class: 'muted', 'data-i18n': 'surveys.set.reportedHelp' }, t('surveys.set.reportedHelp')),
      indicatorHints(), inds, el('div', { class: 'btn-row' }, addInd), row('breakdowns', 'breakdowns')),
    el('fieldset', {}, el('legend', { 'data-i18n': 'surveys.set.weighting' }, t('surveys.set.weighting')),
      el('p', { class: 'muted', 'data-i18n': 'surveys.set.weightingHelp' }, t('surveys.set.weightingHelp')),
      row('margins', 'margins'), rake, row('rake_missing', 'rakeMissing'), row('weights', 'weights'), row('strata', 'strata'), row('clusters', 'clusters'), row('fpc', 'fpc'), row('trim_ratio', 'trim')),
    el('fieldset', {}, el('legend', { 'data-i18n': 'surveys.set.protection' }, t('surveys.set.protection')),
      el('p', { class: 'muted', 'data-i18n': 'surveys.set.protectionHelp' }, t('surveys.set.protectionHelp')),
      row('disclosure.k', 'k'), row('disclosure.quasi_identifiers', 'qi'), row('disclosure.max_risk', 'risk'), row('disclosure.weight', 'riskWeight'), row('disclosure.drop', 'drop')),
    el('div', { class: 'btn-row' }, save));
  const unmark = () => { for (const c of [...Object.values(inputs), ...rake.querySelectorAll('input'), ...inds.querySelectorAll('input')]) c.removeAttribute('aria-invalid'); };
  /** The input of the setting a refusal names by its JSON path. */
  const inputOf = (field) => {
    const ind = /^indicators\[(\d+)\]\.(\w+)$/.exec(field || '');
    if (ind) return inds.querySelector(`#surveys-set-ind-${ind[1]}-${ind[2]}`);
    if (field === 'indicators') return addInd;
    return field === 'rake_on' ? rake.querySelector('input') : inputs[field] || inputs[field?.replace(/\[\d+\]$/, '')];
  };
  const show = async (st, margins) => {
    const names0 = margins || [...inputs.margins.options].map((o) => o.value).filter(Boolean);
    inputs.margins.replaceChildren(el('option', { value: '', 'data-i18n': 'surveys.set.noMargins' }, t('surveys.set.noMargins')),
      ...names0.map((n) => el('option', { value: n, selected: n === st.margins ? '' : undefined }, n)));
    inputs.margins.value = st.margins || '';
    const d = st.disclosure || {};
    const text = (v) => (v === undefined || v === null || v === 0 ? '' : String(v));
    const num = (v) => (v ? Vigil.num(v, 6).replace(/\s/g, '') : '');
    drawIndicators(st.indicators || []);
    inputs.breakdowns.value = (st.breakdowns || []).join(', ');
    inputs.fpc.value = (st.fpc || []).join(', ');
    inputs.weights.value = st.weights || '';
    inputs.strata.value = st.strata || '';
    inputs.clusters.value = (st.clusters || []).join(', ');
    inputs.trim_ratio.value = num(st.trim_ratio);
    inputs.rake_missing.value = st.rake_missing === 'leave_out' ? 'leave_out' : 'refuse';
    inputs['disclosure.k'].value = text(d.k);
    inputs['disclosure.quasi_identifiers'].value = (d.quasi_identifiers || []).join(', ');
    inputs['disclosure.max_risk'].value = num(d.max_risk);
    inputs['disclosure.weight'].value = d.weight || '';
    inputs['disclosure.drop'].value = (d.drop || []).join(', ');
    await readDims(st.rake_on || []);
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    unmark();
    const st = state.settings;
    if (!st) return;
    const body = { ...st, indicators: editors.map((e) => e.read()), breakdowns: names(inputs.breakdowns.value), fpc: names(inputs.fpc.value), margins: inputs.margins.value, rake_on: [...rake.querySelectorAll('input:checked')].map((c) => c.value),
      rake_missing: inputs.rake_missing.value === 'leave_out' ? 'leave_out' : '',
      weights: inputs.weights.value.trim(), strata: inputs.strata.value.trim(), clusters: names(inputs.clusters.value), trim_ratio: numberOf(inputs.trim_ratio.value),
      disclosure: { ...(st.disclosure || {}), k: numberOf(inputs['disclosure.k'].value), quasi_identifiers: names(inputs['disclosure.quasi_identifiers'].value),
        max_risk: numberOf(inputs['disclosure.max_risk'].value), weight: inputs['disclosure.weight'].value.trim(), drop: names(inputs['disclosure.drop'].value) } };
    save.disabled = true;
    try {
      state.settings = await Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(state.form)}/analysis/settings`, { method: 'PUT', json: body });
      nameFormMargins(view);
      say({ key: 'surveys.set.saved' });
      load(view); // the estimates with the weights now in use
    } catch (e) {
      say({ error: e });
      const at = inputOf(e.field);
      if (at) { if (at !== addInd) at.setAttribute('aria-invalid', 'true'); at.focus(); }
    } finally {
      save.disabled = false;
    }
  });
  /** The path's form's settings and the loaded margin sets into the form (nothing typed is kept: another form's). */
  const open = async () => {
    const mine = Vigil.latest(fields);
    say(null);
    try {
      const [st, m] = await Promise.all([
        Vigil.api(`/api/v1/surveys/forms/${encodeURIComponent(state.form)}/analysis/settings`),
        Vigil.api('/api/v1/surveys/margins')]);
      if (!mine()) return;
      state.settings = st;
      nameFormMargins(view);
      fields.replaceChildren(form);
      await show(st, m.margins || []);
      if (state.data) render(view); // the weights line reads the settings
    } catch (e) {
      if (!mine()) return;
      state.settings = null;
      nameFormMargins(view);
      fields.replaceChildren();
      say({ error: e });
    }
  };
  // labelsLoaded: the form's labels came after the panel drew its raking
  // choices (open and load run side by side), which then showed field
  // names ("displacement") instead of their labels.
  return { box, open, relang: () => { drawRake(); for (const e of editors) e.relang(); say(said); }, labelsLoaded: () => drawRake(), marginsLoaded: (n) => {
    if (![...inputs.margins.options].some((o) => o.value === n)) inputs.margins.append(el('option', { value: n }, n));
  } };
}

Vigil.registerPage({
  id: 'surveys',
  label: 'surveys.nav',
  minRole: 'analyst',
  order: 40,
  render(view) {
    const field = (id, key, control) => el('label', { for: id }, el('span', { 'data-i18n': key }, t(key)), ' ', control);
    const form = el('select', { id: 'surveys-form' });
    const round = el('select', { id: 'surveys-round' });
    const compare = el('select', { id: 'surveys-compare' });
    const ind = el('select', { id: 'surveys-indicator' });
    const by = el('select', { id: 'surveys-by' });
    const margins = el('select', { id: 'surveys-margins' });
    const un = el('button', { type: 'button', id: 'surveys-unheard-load' }, t('surveys.unheardLoad'));
    const settings = settingsPanel(view);
    // The page under its title is shown once the forms, the analysis, the
    // export's report and the margin sets are drawn (below), « Chargement… »
    // until then: drawn as each request answered, they pushed the controls
    // under them down four times in the page's first 600 ms (the margins
    // chooser and its button 453 → 975 px), so a click aimed at one pressed
    // whatever came under the pointer instead.
    const loading = el('p', { id: 'surveys-page-loading', 'data-i18n': 'surveys.loading' }, t('surveys.loading'));
    const body = el('div', { id: 'surveys-body', hidden: '' },
      el('div', { class: 'surveys-controls' }, field('surveys-form', 'surveys.form', form), field('surveys-round', 'surveys.round', round),
        field('surveys-compare', 'surveys.compare', compare)),
      settings.box,
      el('div', { class: 'surveys-controls' }, field('surveys-indicator', 'surveys.indicator', ind), field('surveys-by', 'surveys.by', by)),
      el('div', { id: 'surveys-out' }),
      el('h2', { 'data-i18n': 'surveys.exportTitle' }, t('surveys.exportTitle')),
      el('div', { id: 'surveys-export' }),
      el('h2', { 'data-i18n': 'surveys.unheardTitle' }, t('surveys.unheardTitle')),
      el('div', { class: 'surveys-controls' }, field('surveys-margins', 'surveys.margins', margins), un),
      marginsUpload(view),
      el('div', { id: 'surveys-unheard' }));
    view.append(el('h1', { 'data-i18n': 'surveys.title' }, t('surveys.title')), loading, body);
    form.addEventListener('change', () => { state.form = form.value; state.round = ''; state.compare = ''; state.data = null; settings.open(); load(view); });
    round.addEventListener('change', () => { state.round = round.value; load(view); });
    compare.addEventListener('change', () => { state.compare = compare.value; load(view); });
    ind.addEventListener('change', () => { state.indicator = ind.value; render(view); });
    by.addEventListener('change', () => { state.by = by.value; render(view); });
    un.addEventListener('click', () => { state.margins = margins.value; loadUnheard(view); });
    Promise.all([loadForms(view).then((ok) => ok && Promise.all([settings.open(), load(view)])), loadMargins(view), loadDemoRefusal(view)])
      .finally(() => { loading.remove(); body.hidden = false; });
    view.addEventListener('surveys-margins', (ev) => settings.marginsLoaded(ev.detail));
    view.addEventListener('surveys-labels', () => settings.labelsLoaded());
    const off = Vigil.on('lang', () => { Vigil.translate(view); nameFormMargins(view); settings.relang(); fillChoosers(view); render(view); if (state.data) loadExport(view); });
    return () => off();
  },
});

const COLOURS = ['#d73027', '#fc8d59', '#fee08b', '#d9ef8b', '#91cf60', '#1a9850'];
const colour = (p) => COLOURS[Math.min(COLOURS.length - 1, Math.floor(p * COLOURS.length))];

Vigil.registerLayer({
  id: 'surveys',
  label: 'surveys.layer',
  minRole: 'analyst',
  async update(layer, ctx) {
    // With the map's country or dates, the cells of that country and of the
    // answers received on those days only (not cached).
    const f = ctx.filters;
    const query = {};
    if (f.country) query.country = f.country;
    if (f.from) query.from = f.from;
    if (f.to) query.to = f.to;
    const filtered = Object.keys(query).length > 0;
    let d = filtered ? null : state.data;
    if (!d) {
      d = await ctx.api(`/api/v1/surveys/forms/${encodeURIComponent(state.form)}/analysis`, { query, signal: ctx.signal });
      if (!filtered) state.data = d;
    }
    layer.clearLayers();
    const res = d.analysis.results.find((r) => r.indicator.id === state.indicator) || d.analysis.results[0];
    if (!res) return; // no answer received on the days chosen
    const cells = new Map((d.cells || []).map((c) => [String(c.gid), c]));
    for (const e of res.by._prio_gid || []) {
      const c = cells.get(e.group);
      if (!c) continue;
      const b = [[c.lat - 0.25, c.lon - 0.25], [c.lat + 0.25, c.lon + 0.25]];
      const style = e.suppressed ? { color: '#888', weight: 1, fillColor: '#ccc', fillOpacity: 0.4, dashArray: '3' } : { color: '#333', weight: 1, fillColor: colour(e.estimate), fillOpacity: 0.7 };
      // Named (the cell's nearest notable place, as the risk layer's cells,
      // else its grid reference) and counted in words: it said
      // « indicateur : 57 % (…), n=12 » and named no place.
      const where = c.place && c.place.label ? (Vigil.lang === 'fr' && c.place.label_fr) || c.place.label : t('surveys.cellRef', { cell: c.gid });
      const vars = { indicator: indicatorLabel(res.indicator), where, n: e.n };
      const tip = e.suppressed ? t('surveys.tipSuppressed', { ...vars, why: t('surveys.suppressed') })
        : t('surveys.tip', { ...vars, p: pct(e.estimate), lo: pct(e.ci_low), hi: pct(e.ci_high) });
      L.rectangle(b, style).bindTooltip(Vigil.plain(tip)).addTo(layer);
    }
  },
  legend() {
    return el('div', { class: 'legend' }, t('surveys.legend'), ' ',
      ...COLOURS.map((c, i) => el('span', { class: 'surveys-swatch', style: `background:${c}`, title: `${Vigil.num(i * 100 / COLOURS.length)}–${Vigil.percent((i + 1) * 100 / COLOURS.length)}` })),
      ' ', el('span', { class: 'muted' }, t('surveys.legendSuppressed')));
  },
});
