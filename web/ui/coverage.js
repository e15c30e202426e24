// Deployment coverage: a map layer with coverage and uncovered risk per
// cell-month, and the Coverage planner page — gap list, propose or drag a
// TOB and see the coverage it gains beside the optimiser's suggestion, cut
// scenarios side by side, and saved scenarios to compare.
import { Vigil } from './core/vigil.js';
import { addBasemap } from './core/map.js';
import { scenarioName } from './core/text.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const RISK = ['#fee5d9', '#fcae91', '#fb6a4a', '#cb181d'];
const state = { month: '2017-07' };

function currentMonth() {
  const m = (Vigil.filters || {}).month;
  return m && /^\d{4}-\d{2}$/.test(m) ? m : state.month;
}

// The risk classes' lower bounds (classes 1–3): counts of past events, or
// a forecast's probability (as the risk layer's classes).
const BREAKS = { counts: [2, 5, 20], forecast: [0.05, 0.15, 0.3] };

function cellStyle(p, forecast) {
  if (p.covered) return { fillColor: '#2171b5', fillOpacity: 0.35, color: '#2171b5', weight: 0.3 };
  if (!p.uncovered_risk) return { fillOpacity: 0, color: '#bbb', weight: 0.2 };
  const b = forecast ? BREAKS.forecast : BREAKS.counts;
  const i = p.uncovered_risk >= b[2] ? 3 : p.uncovered_risk >= b[1] ? 2 : p.uncovered_risk >= b[0] ? 1 : 0;
  return { fillColor: RISK[i], fillOpacity: 0.75, color: '#a50f15', weight: 0.4 };
}

function reasonText(r) {
  return r ? t('coverage.reason.' + r.replace(' ', '_')) : '';
}

/**
 * A cell's tooltip, led by its place as the risk layer's: its nearest
 * notable place (the layer's place), else its country, else (neither
 * known) its PRIO-GRID cell.
 */
function cellTip(p, forecast) {
  const where = p.place || p.country ? placeName(p) : t('coverage.cellTitle', { cell: p.cell });
  if (p.covered) return t('coverage.tipCovered', { where, sites: p.sites, personnel: Vigil.num(p.personnel) });
  return t(forecast ? 'coverage.tipGapP' : 'coverage.tipGap', { where, risk: riskText(p.risk, forecast), reason: reasonText(p.reason), km: Vigil.num(p.nearest_km || 0) });
}

// forecast() says whether the cells' risk is a forecast's probability (the
// answer's risk_is_forecast) rather than a count of events: the colours,
// and the tooltips (written when shown, in the language of the moment).
function cellLayer(forecast) {
  return L.geoJSON(null, {
    style: (f) => cellStyle(f.properties || {}, forecast()),
    onEachFeature: (f, layer) => layer.bindTooltip(() => Vigil.plain(cellTip(f.properties || {}, forecast()))),
  });
}

function siteLayer() {
  return L.geoJSON(null, {
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: f.properties.kind === 'tob' ? 5 : 4, color: '#08306b', weight: 1, fillColor: '#6baed6', fillOpacity: 0.9 }),
    onEachFeature: (f, layer) => {
      const p = f.properties;
      layer.bindTooltip(Vigil.plain(t('coverage.siteTip', { mission: p.mission, location: p.location || p.source_id, kind: t('coverage.kind.' + p.kind), mil: Vigil.num(p.military), pol: Vigil.num(p.police) })));
    },
  });
}

/**
 * The layer's cells as GeoJSON features: the quiet ones (neither covered
 * nor at risk), which the answer sends in columns (coverage/answers.go
 * quietCells), rebuilt with the properties and square they had as
 * features, drawn first (under the coloured ones), then the answer's
 * features.
 */
export function layerFeatures(fc) {
  const q = fc.quiet;
  if (!q || !q.cells) return fc.features || [];
  const quiet = q.cells.map((cell, i) => {
    const [country, countryFR] = q.countries[q.country[i]];
    const p = { cell, country, month: fc.month, covered: false, sites: 0, personnel: 0, risk: 0, uncovered_risk: 0, reason: q.reasons[q.reason[i]] };
    if (q.nearest_km[i]) p.nearest_km = q.nearest_km[i];
    if (q.nearest_site[i] >= 0) p.nearest_site = q.site_ids[q.nearest_site[i]];
    if (q.population && q.population[i]) p.population = q.population[i];
    if (q.place[i] >= 0) p.place = { label: q.places[q.place[i]][0], label_fr: q.places[q.place[i]][1] };
    if (countryFR) p.country_fr = countryFR;
    // the PRIO-GRID cell's square: gid = (row−1)·720 + col, rows from 90° S, columns from 180° W
    const s = -90 + Math.floor((cell - 1) / 720) * 0.5;
    const w = -180 + ((cell - 1) % 720) * 0.5;
    const ring = [[w, s], [w + 0.5, s], [w + 0.5, s + 0.5], [w, s + 0.5], [w, s]];
    return { type: 'Feature', id: cell, geometry: { type: 'Polygon', coordinates: [ring] }, properties: p };
  });
  return quiet.concat(fc.features || []);
}

// country (the map's country filter, '' for all) keeps that country's cells and sites.
// It answers the cells' FeatureCollection (its risk_is_forecast says what the risk is).
async function loadMonth(cells, sites, month, bbox, signal, country = '') {
  const q = { month };
  if (bbox) q.bbox = bbox.join(',');
  if (country) q.country = country;
  const [fc, deps] = await Promise.all([
    Vigil.api('/api/v1/coverage', { query: q, signal }),
    Vigil.api('/api/v1/coverage/deployments', { query: country ? { month, country } : { month }, signal }),
  ]);
  cells.clearLayers();
  cells.addData(layerFeatures(fc));
  sites.clearLayers();
  sites.addData(deps);
  return fc;
}

// The map layer's legend: the month shown, what its risk is (a forecast's
// probability or counts of past events, as the server says) and the classes.
const mainLayer = { month: '', forecast: false, legend: null };
function drawMainLegend() {
  const box = mainLayer.legend;
  if (!box) return;
  const f = mainLayer.forecast;
  box.replaceChildren(el('div', {}, t('coverage.legendMonth', { month: Vigil.month(mainLayer.month || currentMonth()) })),
    el('div', {}, t(f ? 'coverage.legendForecast' : 'coverage.legendCounts')), ...legendItems(f));
}

// The map layer on the main map page.
Vigil.registerLayer({
  id: 'coverage',
  label: 'coverage.layer',
  minRole: 'viewer',
  defaultOn: false,
  create() {
    const g = L.layerGroup();
    g.cells = cellLayer(() => mainLayer.forecast).addTo(g);
    g.sites = siteLayer().addTo(g);
    return g;
  },
  async update(layer, ctx) {
    const month = currentMonth();
    mainLayer.forecast = false; // until the answer says (addData draws the cells)
    const fc = await loadMonth(layer.cells, layer.sites, month, ctx.filters.bbox, ctx.signal, ctx.filters.country);
    mainLayer.forecast = !!fc.risk_is_forecast;
    mainLayer.month = fc.month || month;
    layer.cells.setStyle((f) => cellStyle(f.properties || {}, mainLayer.forecast));
    drawMainLegend();
  },
  legend() {
    mainLayer.legend = el('div', { class: 'legend coverage-legend', id: 'coverage-layer-legend' });
    drawMainLegend();
    return mainLayer.legend;
  },
});

function field(labelKey, input) {
  return el('label', { class: 'coverage-field' }, el('span', {}, t(labelKey)), input);
}

/** A country named by the server (its data's spelling) in the user's language, when the server gives its French name. */
const countryName = (name, fr) => (Vigil.lang === 'fr' && fr ? fr : name);

/** A gap cell's place: its nearest notable place ("near Afgooye, Lower Shebelle (Somalia)"), or its country when none is within 100 km. */
const placeName = (g) => (g.place ? (Vigil.lang === 'fr' && g.place.label_fr) || g.place.label : countryName(g.country, g.country_fr));

/** A gap list's risk in words: a forecast's probability as a percentage (84.7 %), else a count of events. */
const riskText = (v, forecast) => (forecast ? Vigil.pct(v) : Vigil.num(v));
/** A covered or gained risk weight (a sum of probabilities or of events), to one decimal as the page's summary writes it. */
const weight = (v) => Vigil.num(Math.round((v || 0) * 10) / 10);

/** The colour classes of the cells: covered, and uncovered by risk (counts, or a forecast's probability). */
const legendItems = (forecast) => [el('span', { class: 'swatch' }, el('i', { style: 'background:#2171b5;opacity:.5' }), t('coverage.covered')),
  ...RISK.map((c, i) => el('span', { class: 'swatch' }, el('i', { style: `background:${c}` }), t((forecast ? 'coverage.riskClassP' : 'coverage.riskClass') + i)))];

function gapTable(gaps, forecast) {
  // With a population layer the server ranks gaps by risk × people: show
  // the people and say so. Each gap is named by its place; its PRIO-GRID
  // cell is kept in the row's data-cell and the place's title (the CSV
  // has it in a column of its own). Numbers do not wrap, and the nearest
  // site's distance is a line over its name (coverage.css): a row is one
  // or two lines in the side column at 1366 px.
  const withPop = gaps.some((g) => g.population > 0);
  const cols = ['coverage.col.place', 'coverage.col.risk'];
  if (withPop) cols.push('coverage.col.people', 'coverage.col.score');
  cols.push('coverage.col.reason', 'coverage.col.nearest');
  const head = el('tr', {}, ...cols.map((k) => el('th', { scope: 'col' }, t(k))));
  const num = (v) => el('td', { class: 'coverage-num' }, v);
  const rows = gaps.map((g) => el('tr', { dataset: { cell: String(g.cell) } },
    el('td', { class: 'coverage-place', title: t('coverage.cellTitle', { cell: g.cell }) }, placeName(g)), num(riskText(g.risk, forecast)),
    ...(withPop ? [num(Vigil.num(g.population || 0)), num(Vigil.num(g.gap_score))] : []),
    el('td', {}, reasonText(g.reason)), el('td', {}, g.nearest_site ? [el('span', { class: 'coverage-km' }, `${Vigil.num(g.nearest_km)} km`), ' ', el('span', { class: 'coverage-site' }, g.nearest_site_name || g.nearest_site)] : '—')));
  return Vigil.scrollTable(el('table', { class: 'coverage-table' }, el('caption', {}, t(withPop ? 'coverage.gapsTitlePop' : 'coverage.gapsTitle')), el('thead', {}, head), el('tbody', {}, ...rows)));
}

/** A site the optimiser proposes, by its place ("near Afgooye, Lower Shebelle (Somalia)"), else its position; its id and position in the title. */
function chosenSite(c) {
  const at = { lat: Vigil.num(c.lat, 2), lon: Vigil.num(c.lon, 2) };
  return el('li', { title: t('coverage.siteAt', { ...at, place: c.id }) },
    c.place ? placeName(c) : t('coverage.position', at));
}

/**
 * The gap list as CSV rows for the month's review (headers in the page's
 * language): the cell, its place and country, its risk in its unit (a
 * forecast's probability in per cent, else events), the people and score
 * when a population layer ranks it, why it is uncovered, the nearest site
 * and its distance.
 */
function gapRows(gaps, forecast) {
  const withPop = gaps.some((g) => g.population > 0);
  const head = [t('coverage.csv.cell'), t('coverage.col.place'), t('coverage.csv.country'), t(forecast ? 'coverage.csv.riskP' : 'coverage.csv.riskN'),
    ...(withPop ? [t('coverage.col.people'), t('coverage.col.score')] : []), t('coverage.col.reason'), t('coverage.col.nearest'), t('coverage.csv.km')];
  return [head, ...gaps.map((g) => [g.cell, placeName(g), countryName(g.country, g.country_fr), forecast ? Math.round(g.risk * 1000) / 10 : g.risk,
    ...(withPop ? [g.population || 0, g.gap_score] : []), reasonText(g.reason), g.nearest_site ? g.nearest_site_name || g.nearest_site : '', g.nearest_site ? g.nearest_km : ''])];
}

function cutColumn(o) {
  return el('div', { class: 'coverage-cut-col' },
    el('h4', {}, t('coverage.cut.' + o.strategy)),
    el('p', {}, t('coverage.cut.removed', { removed: Vigil.num(Math.round(o.removed)), target: Vigil.num(Math.round(o.target)) })),
    el('p', {}, t('coverage.cut.closed', { n: (o.withdrawn || []).length })),
    el('p', {}, t('coverage.cut.covered', { before: weight(o.covered_before), after: weight(o.covered_after), total: weight(o.total_weight) })),
    el('p', {}, t('coverage.cut.reach', { before: Vigil.num(Math.round(o.reach_personnel_before)), after: Vigil.num(Math.round(o.reach_personnel_after)) })),
    el('p', {}, t('coverage.cut.lost', { n: (o.cells_lost || []).length })),
    // tabindex: the list scrolls, so the keyboard must reach it (WCAG 2.1.1).
    el('ul', { class: 'coverage-lost', tabindex: '0', 'aria-label': t('coverage.cut.lost', { n: (o.cells_lost || []).length }) }, ...(o.cells_lost || []).slice(0, 15).map((c) => el('li', {}, c.place
      ? t('coverage.cut.lostPlace', { place: placeName(c), cell: c.cell, w: Vigil.num(c.weight) })
      : t('coverage.cut.lostCell', { cell: c.cell, country: countryName(c.country, c.country_fr), w: Vigil.num(c.weight) })))),
  );
}

function scenarioSummary(s) {
  const b = s.body || {};
  if (s.kind === 'try') return t('coverage.sum.try', { gained: weight(b.weight_gained), cells: (b.cells_gained || []).length });
  if (s.kind === 'plan') {
    // In plain words, as the plan's note: the best possible placement, or how far short of the best it may be (the optimality gap).
    const gap = (b.solution || {}).gap || 0;
    return t(gap > 0 ? 'coverage.sum.plan' : 'coverage.sum.planBest', { gained: weight((b.covered_weight_after || 0) - (b.covered_weight_before || 0)), gap: Vigil.num(Math.round(gap * 10000) / 100) });
  }
  if (s.kind === 'cut') return t('coverage.sum.cut', { tg: weight((b.targeted || {}).covered_after), th: weight((b.thinning || {}).covered_after) });
  return '';
}

// The population layer panel: summary for everyone; upload (a CSV read in
// the browser and sent as {name, data}) and remove for analysts. Errors
// from the API name the file and line ("pop.csv:12: …"): shown as such.
const MAX_POP_BYTES = 64 << 20;

function popSummary(p) {
  if (!p || !p.loaded) return t('coverage.pop.none');
  const years = (p.years || []).filter((y) => y > 0);
  const total = Object.values(p.total_population || {}).reduce((a, b) => Math.max(a, b), 0);
  return t('coverage.pop.summary', {
    name: p.name || '', cells: Vigil.num(p.cells), people: Vigil.num(Math.round(total)),
    years: years.length ? years.join(', ') : t('coverage.pop.allYears'),
    friction: Vigil.num(p.cells_with_friction || 0), by: p.loaded_by || '', at: p.loaded_at ? Vigil.date(p.loaded_at) : '',
  });
}

// popError turns the API's "file:line: message" into a line-numbered entry,
// its message in the page's language when the server says it by a key
// (refusal.at-line: the file, the line and the message nested as 2).
function popError(e) {
  const line = (file, n, why) => el('p', { class: 'error' },
    el('strong', { class: 'coverage-pop-errline' }, t('coverage.pop.errLine', { file, line: n })), ' ', why);
  const a = (e && e.args) || {};
  if (e && e.key === 'refusal.at-line' && a['2.key']) {
    const why = Object.fromEntries(Object.entries(a).filter(([k]) => k.startsWith('2.')).map(([k, v]) => [k.slice(2), v]));
    return line(a[0], a[1], Vigil.errText({ key: a['2.key'], args: why }));
  }
  const m = e && e.key ? null : /^(.*?):(\d+): ([\s\S]*)$/.exec(Vigil.errMsg(e) || '');
  return m ? line(m[1], m[2], m[3]) : el('p', { class: 'error' }, Vigil.errMsg(e));
}

// box, whose words come after the page is shown, in a frame that keeps
// from the start the place of the longest words it may say: samples()
// draws them (as the box will, in the page's language) hidden in the same
// grid cell as the box, so the frame is as tall as the tallest at any
// width, and the box's words coming or changing move nothing under it.
// frame.relang() draws them again in the new language.
function steadyFrame(box, samples) {
  const frame = el('div', { class: 'coverage-steady' }, box);
  frame.relang = () => {
    for (const s of frame.querySelectorAll(':scope > .coverage-sizer')) s.remove();
    box.before(...samples().map((e) => {
      for (const x of e.querySelectorAll('[id]')) x.removeAttribute('id');
      e.classList.add('coverage-sizer');
      e.setAttribute('aria-hidden', 'true');
      return e;
    }));
  };
  frame.relang();
  return frame;
}

// The longest of the twelve months' names in the page's language.
const longestMonth = () => Array.from({ length: 12 }, (_, i) => Vigil.month(`2026-${String(i + 1).padStart(2, '0')}`))
  .reduce((a, b) => (b.length > a.length ? b : a));

// The risk note over the planner's map: the month's risk basis (fc: a
// forecast covers it) and the other month it offers, if any (names).
function basisNote(fc, month, other, go) {
  return el('p', { class: fc ? 'notice' : 'notice warn' },
    t(fc ? 'coverage.basis.forecast' : 'coverage.basis.counts', { month }),
    other ? [' ', el('button', { type: 'button', id: 'coverage-basis-other', onclick: go },
      t(fc ? 'coverage.basis.showData' : 'coverage.basis.showForecast', { month: other }))] : '');
}

// The status line's summary of a month's gap list (g: its answer).
function gapSummary(g) {
  const fc = !!g.risk_is_forecast;
  const r = (v) => Vigil.num(fc ? Math.round(v * 10) / 10 : v);
  // The risk's unit said: a forecast's probabilities summed are the
  // expected number of cells with an attack; else counts of events.
  return t(fc ? 'coverage.summary.forecast' : 'coverage.summary.counts', { covered: g.covered_cells, cells: g.cells,
    share: Vigil.pct(g.risk > 0 ? g.uncovered_risk / g.risk : 0), risk: r(g.uncovered_risk), total: r(g.risk) });
}

function populationPanel(analyst, changed) {
  const summary = el('p', { id: 'coverage-pop-summary', 'aria-live': 'polite' }, t('coverage.loading'));
  const errBox = el('div', { id: 'coverage-pop-error', role: 'alert' });
  const fileIn = el('input', { type: 'file', id: 'coverage-pop-file', accept: '.csv,text/csv,text/plain' });
  const upBtn = el('button', { type: 'button', id: 'coverage-pop-upload', 'data-i18n': 'coverage.pop.upload' }, t('coverage.pop.upload'));
  const rmBtn = el('button', { type: 'button', id: 'coverage-pop-remove', hidden: true, 'data-i18n': 'coverage.pop.remove' }, t('coverage.pop.remove'));
  const busy = (b) => { upBtn.disabled = b; rmBtn.disabled = b; };

  let shown = null;
  function show(p) {
    shown = p;
    summary.textContent = popSummary(p);
    rmBtn.hidden = !(p && p.loaded);
  }
  async function load() {
    try { show(await Vigil.api('/api/v1/coverage/population')); } catch (e) { summary.textContent = Vigil.errMsg(e); }
  }
  async function upload() {
    errBox.replaceChildren();
    const f = fileIn.files && fileIn.files[0];
    if (!f) { errBox.replaceChildren(el('p', { class: 'error' }, t('coverage.pop.pick'))); fileIn.focus(); return; }
    if (f.size > MAX_POP_BYTES) { errBox.replaceChildren(el('p', { class: 'error' }, t('coverage.pop.tooBig', { name: f.name }))); return; }
    busy(true);
    summary.textContent = t('coverage.pop.uploading', { name: f.name });
    try {
      const data = await f.text();
      await Vigil.api('/api/v1/coverage/population', { method: 'POST', json: { name: f.name.slice(0, 200), data } });
      await load(); // the stored summary, with who loaded it and when
      fileIn.value = '';
      Vigil.notify(t('coverage.pop.loaded'), 'info');
      changed();
    } catch (e) {
      errBox.replaceChildren(popError(e));
      load();
    } finally { busy(false); }
  }
  async function remove() {
    if (await Vigil.ask({ title: 'coverage.pop.remove', text: 'coverage.pop.confirmRemove', confirm: 'coverage.pop.removeYes', danger: true }) === null) return;
    errBox.replaceChildren();
    busy(true);
    try {
      await Vigil.api('/api/v1/coverage/population', { method: 'DELETE' });
      Vigil.notify(t('coverage.pop.removed'), 'info');
      changed();
    } catch (e) { errBox.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))); }
    busy(false);
    load();
  }
  upBtn.addEventListener('click', upload);
  rmBtn.addEventListener('click', remove);
  const ready = load();
  const panel = el('section', { class: 'coverage-pop', id: 'coverage-pop', 'aria-labelledby': 'coverage-pop-title' },
    el('h2', { id: 'coverage-pop-title', 'data-i18n': 'coverage.pop.title' }, t('coverage.pop.title')),
    summary,
    analyst ? el('div', { class: 'coverage-pop-form' },
      el('label', { for: 'coverage-pop-file', 'data-i18n': 'coverage.pop.file' }, t('coverage.pop.file')), ' ', fileIn,
      el('p', { class: 'muted', 'data-i18n': 'coverage.pop.format' }, t('coverage.pop.format')),
      upBtn, ' ', rmBtn) : el('p', { class: 'muted', 'data-i18n': 'coverage.pop.viewerNote' }, t('coverage.pop.viewerNote')),
    errBox);
  if (analyst) Vigil.filePick(fileIn);
  // On a language switch: the summary again in the new language.
  panel.relang = () => { if (shown) summary.textContent = popSummary(shown); };
  // Settled once the summary says the layer (or why it could not): the
  // page shows the card then, so that the summary's lines do not push its
  // buttons down once they are shown.
  panel.ready = ready;
  return panel;
}

// The rainy-season editor: one row of twelve month toggles per country of
// the grid; save (PUT the list) or reset to the documented default (null).
function monthName(m) {
  return new Intl.DateTimeFormat(Vigil.lang, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
}

function seasonsPanel(analyst, changed) {
  const body = el('div', { class: 'coverage-seasons-list' }, el('p', {}, t('coverage.loading')));
  const head = el('p', { class: 'muted' });

  function row(c, i) {
    const err = el('p', { class: 'error coverage-season-error', id: `coverage-season-err-${i}`, role: 'alert' });
    const boxes = [];
    const toggles = el('div', { class: 'coverage-months' });
    for (let m = 1; m <= 12; m++) {
      const id = `coverage-season-${i}-${m}`;
      const cb = el('input', { type: 'checkbox', id, value: String(m), disabled: !analyst, 'aria-describedby': err.id });
      cb.checked = (c.rainy_months || []).includes(m);
      boxes.push(cb);
      toggles.append(el('label', { for: id, class: 'coverage-month', title: t('coverage.seasons.toggle', { month: monthName(m), country: countryName(c.name || c.country, c.name_fr) }) }, cb, monthName(m)));
    }
    const put = async (months, btn) => {
      err.textContent = '';
      btn.disabled = true;
      try {
        const s = await Vigil.api('/api/v1/coverage/seasons', { method: 'PUT', json: { rainy_months: { [c.country]: months } } });
        render(s);
        Vigil.notify(t('coverage.seasons.saved', { country: countryName(c.name || c.country, c.name_fr) }), 'info');
        changed();
      } catch (e) {
        err.textContent = Vigil.errMsg(e);
        btn.disabled = false;
      }
    };
    const src = el('span', { class: 'coverage-season-src', id: `coverage-season-src-${i}` }, t(c.source === 'stored' ? 'coverage.seasons.stored' : 'coverage.seasons.default'));
    return el('fieldset', { class: 'coverage-season', 'data-country': c.country },
      el('legend', {}, countryName(c.name || c.country, c.name_fr), ' ', src),
      toggles,
      analyst ? el('div', {},
        el('button', { type: 'button', id: `coverage-season-save-${i}`, onclick: (ev) => put(boxes.filter((b) => b.checked).map((b) => Number(b.value)), ev.currentTarget) }, t('coverage.seasons.save')),
        ' ',
        el('button', { type: 'button', id: `coverage-season-reset-${i}`, disabled: c.source !== 'stored', onclick: (ev) => put(null, ev.currentTarget) }, t('coverage.seasons.reset'))) : '',
      err);
  }
  let shown = null;
  function render(s) {
    shown = s;
    const km = s.km || {};
    const f = s.rainy_factor || {};
    head.textContent = t('coverage.seasons.reach', {
      foot: Vigil.num(km.foot || 0), vehicle: Vigil.num(km.vehicle || 0), air: Vigil.num(km.air || 0),
      ffoot: Vigil.num(f.foot || 0), fvehicle: Vigil.num(f.vehicle || 0), fair: Vigil.num(f.air || 0),
    });
    const list = s.countries || [];
    body.replaceChildren(...(list.length ? list.map(row) : [el('p', { class: 'muted' }, t('coverage.seasons.none'))]));
  }
  const ready = Vigil.api('/api/v1/coverage/seasons').then(render).catch((e) => body.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))));
  const hint = analyst ? 'coverage.seasons.hint' : 'coverage.seasons.viewerNote';
  const panel = el('section', { class: 'coverage-seasons', id: 'coverage-seasons', 'aria-labelledby': 'coverage-seasons-title' },
    el('h2', { id: 'coverage-seasons-title', 'data-i18n': 'coverage.seasons.title' }, t('coverage.seasons.title')),
    el('p', { class: 'muted', 'data-i18n': hint }, t(hint)),
    head, body);
  // On a language switch: month names and labels again (unsaved ticks of
  // the shown list are redrawn from the last saved state).
  panel.relang = () => { if (shown) render(shown); };
  panel.ready = ready; // settled once the list (or its error) is drawn
  return panel;
}

Vigil.registerPage({
  id: 'coverage',
  label: 'coverage.nav',
  minRole: 'viewer',
  order: 40,
  render(root) {
    const analyst = Vigil.can('analyst');
    const monthIn = Vigil.dateInput({ id: 'coverage-month', label: 'coverage.month', kind: 'month', value: state.picked || '' });
    const status = el('p', { class: 'muted', id: 'coverage-status', 'aria-live': 'polite' });
    // What the risk numbers are for the month shown (a forecast, or counts
    // of past events when no forecast covers it), with the other month.
    // Until the first gap list says it, a note of about its size saying
    // « Chargement… »: the note came after the map was drawn and pushed the
    // map, its zoom buttons and the side column ~99 px down.
    //
    // The note and the status line above it (« Loading… », then the gap
    // list's summary: a line, four in French at 390 px) keep the place of
    // their longest words from the start (steadyFrame): « Loading… » in a
    // box of a fixed size was as tall as the note at 1366 px in English
    // only, and the map still moved elsewhere.
    const basis = el('div', { class: 'coverage-basis', id: 'coverage-basis', 'aria-live': 'polite' },
      el('p', { class: 'notice coverage-basis-loading', 'data-i18n': 'coverage.loading' }, t('coverage.loading')));
    const basisFrame = steadyFrame(basis, () => [true, false].map((fc) => el('div', { class: 'coverage-basis' }, basisNote(fc, longestMonth(), longestMonth(), null))));
    const big = { covered_cells: 88888, cells: 88888, risk: 888888, uncovered_risk: 888888 };
    const statusFrame = steadyFrame(status, () => [true, false].map((fc) => el('p', { class: 'muted' }, gapSummary({ ...big, risk_is_forecast: fc }))));
    const gapsBox = el('div', { class: 'coverage-gaps' }, el('p', { class: 'coverage-gaps-loading' }, t('coverage.loading')));
    const tryOut = el('div', { class: 'coverage-try', 'aria-live': 'polite' });
    const planOut = el('div', { class: 'coverage-plan', 'aria-live': 'polite' });
    const cutOut = el('div', { class: 'coverage-cut' });
    const scenBox = el('div', { class: 'coverage-scenarios' });
    const mapDiv = el('div', { class: 'coverage-map', id: 'coverage-map', role: 'region', 'aria-label': t('coverage.mapLabel') });
    const last = {};
    const popPanel = populationPanel(analyst, () => refresh());
    const seasPanel = seasonsPanel(analyst, () => refresh());

    const pIn = el('input', { type: 'number', id: 'coverage-p', min: '1', max: '50', value: '2' });
    const mobIn = el('select', { id: 'coverage-mobility' }, ...['foot', 'vehicle', 'air'].map((m) => el('option', { value: m }, t('coverage.mob.' + m))));
    const shareIn = el('input', { type: 'number', id: 'coverage-share', min: '1', max: '90', value: '26' });
    const nameIn = el('input', { type: 'text', id: 'coverage-name', maxlength: '200', placeholder: t('coverage.namePlaceholder') });

    const side = el('section', { class: 'coverage-side' }, gapsBox);
    root.append(
      el('h1', {}, t('coverage.title')),
      el('p', { class: 'muted' }, t('coverage.intro')),
      el('div', { class: 'coverage-controls' }, monthIn, statusFrame), basisFrame,
      // The map first: over the side column on a phone, at its right from
      // the same top on a laptop (grid areas, coverage.css), so Tab goes
      // down the page as it is drawn (it went down the column, then back
      // up to the map above it; TestE2ECoverageTabOrder).
      el('div', { class: 'coverage-grid' }, mapDiv, side),
    );
    // The side column under the gaps list, shown once the list, the
    // population summary and the seasons are drawn (below): each came
    // from its own request after the column was shown and pushed what is
    // under it down (the gaps list, from the slowest request, ~1,800 px),
    // so a click aimed at a control there pressed whatever came under the
    // pointer. Until then the gaps list says it is loading.
    const rest = [
      popPanel,
      seasPanel,
      analyst ? el('section', {},
        el('h2', {}, t('coverage.planTitle')),
        el('p', { class: 'muted' }, t('coverage.dragHint')),
        tryOut,
        field('coverage.p', pIn), field('coverage.mobility', mobIn),
        el('button', { type: 'button', id: 'coverage-plan-btn', onclick: () => plan() }, t('coverage.planBtn')),
        planOut,
        el('h2', {}, t('coverage.cutTitle')),
        field('coverage.share', shareIn),
        el('button', { type: 'button', id: 'coverage-cut-btn', onclick: () => cut() }, t('coverage.cutBtn')),
        cutOut,
        el('h2', {}, t('coverage.saveTitle')),
        field('coverage.name', nameIn),
        el('div', {}, ...['try', 'plan', 'cut'].map((k) => el('button', { type: 'button', id: `coverage-save-${k}`, onclick: () => save(k) }, t('coverage.save.' + k)))),
      ) : el('p', { class: 'muted' }, t('coverage.viewerNote')),
      el('h2', {}, t('coverage.scenariosTitle')),
      scenBox,
    ];

    const map = L.map(mapDiv, { center: [3, 22], zoom: 5, zoomControl: true, attributionControl: false });
    addBasemap(map, false).catch(() => {}); // country outlines (none offline without the vendored file: the cells still show)
    const legend = el('div', { class: 'legend coverage-legend coverage-map-legend', id: 'coverage-map-legend' });
    const legendCtl = L.control({ position: 'bottomleft' });
    legendCtl.onAdd = () => legend;
    legendCtl.addTo(map);
    const cells = cellLayer(() => !!(shown && shown.risk_is_forecast)).addTo(map);
    const sites = siteLayer().addTo(map);
    const gained = L.layerGroup().addTo(map);
    const suggested = L.layerGroup().addTo(map);
    const tob = L.marker([4.5, 21], { draggable: true, keyboard: true, title: t('coverage.tobTitle'), alt: t('coverage.tobTitle') });
    if (analyst) tob.addTo(map);
    let ctrl = null;

    function month() { return monthIn.value || currentMonth(); }

    function showCells(ids, layer, colour) {
      layer.clearLayers();
      for (const gid of ids || []) {
        const row = Math.floor((gid - 1) / 720) + 1;
        const col = ((gid - 1) % 720) + 1;
        const s = -90 + (row - 1) * 0.5;
        const w = -180 + (col - 1) * 0.5;
        L.rectangle([[s, w], [s + 0.5, w + 0.5]], { color: colour, weight: 2, fill: false }).addTo(layer);
      }
    }

    // The status and the risk basis of the last gap list (redrawn on a language switch).
    let shown = null;
    let csvHref = '';
    function showGaps(g) {
      shown = g;
      const fc = !!g.risk_is_forecast;
      status.textContent = gapSummary(g);
      const other = fc ? state.dataMonth : g.forecast_month;
      basis.replaceChildren(basisNote(fc, Vigil.month(g.month), other && other !== g.month ? Vigil.month(other) : '', () => { monthIn.value = other; refresh(); }));
      // The list to take to the review: a CSV of the rows shown, made here.
      if (csvHref) URL.revokeObjectURL(csvHref);
      csvHref = (g.gaps || []).length ? Vigil.csvURL(gapRows(g.gaps, fc)) : '';
      gapsBox.replaceChildren(gapTable(g.gaps || [], fc), el('p', { class: 'muted' }, t('coverage.reachDef')),
        csvHref ? el('p', {}, el('a', { id: 'coverage-gaps-csv', class: 'btn', href: csvHref, download: `vigil-gaps-${g.month}.csv` }, t('coverage.csv.download'))) : '');
      cells.setStyle((f) => cellStyle(f.properties || {}, fc));
      legend.replaceChildren(el('div', {}, t('coverage.legendMonth', { month: Vigil.month(g.month) })), ...legendItems(fc));
    }

    async function refresh() {
      if (ctrl) ctrl.abort();
      const c = ctrl = new AbortController();
      status.textContent = t('coverage.loading');
      // The list shown stays in place, marked busy, until the month's replaces it.
      gapsBox.setAttribute('aria-busy', 'true');
      try {
        if (!monthIn.value) {
          // First visit: the last month with both deployments and events;
          // when no forecast covers it (its risk would be counts of past
          // events) but a later month has one, that month: the month to plan.
          const g = await Vigil.api('/api/v1/coverage/gaps', { query: { month: 'latest', limit: 1 }, signal: c.signal });
          state.dataMonth = g.month;
          monthIn.value = g.forecast_month || g.month;
        }
        state.month = state.picked = month();
        await loadMonth(cells, sites, month(), null, c.signal);
        if (!state.fitted && cells.getLayers().length) {
          map.fitBounds(cells.getBounds(), { animate: false });
          state.fitted = true;
        }
        showGaps(await Vigil.api('/api/v1/coverage/gaps', { query: { month: month(), limit: 20 }, signal: c.signal }));
      } catch (e) {
        // Only a newer refresh (or leaving the page) aborts this one: it
        // writes the status. A request ended otherwise (an AbortError not
        // ours) says so, with a retry, instead of leaving "Loading…".
        if (c.signal.aborted) return;
        for (const p of root.querySelectorAll('.coverage-gaps-loading, .coverage-basis-loading')) p.remove(); // the status says why, with a retry
        status.replaceChildren(e.name === 'AbortError' ? t('coverage.interrupted') : Vigil.errMsg(e), ' ',
          el('button', { type: 'button', id: 'coverage-retry', onclick: () => refresh() }, t('coverage.retry')));
      } finally {
        if (ctrl === c) gapsBox.removeAttribute('aria-busy');
      }
      loadScenarios();
    }

    // tryTob, plan, cut and loadScenarios draw only their newest request's
    // answer (Vigil.latest): the TOB moved again, or the button pressed
    // again with other settings, may answer before an earlier one. The
    // cells on the map (gained) are the newest of the three's: a TOB's gain
    // answered after a cut or a plan asked since does not replace its cells.
    async function tryTob() {
      const ll = tob.getLatLng();
      const mine = Vigil.latest(tryOut);
      const cells = Vigil.latest(gained);
      try {
        // The TOB's place by name (the gazetteer's nearest place), beside
        // its position; a failed lookup leaves the position alone.
        const [r, at] = await Promise.all([
          Vigil.api('/api/v1/coverage/try', { method: 'POST', json: { month: month(), lat: ll.lat, lon: ll.lng, mobility: mobIn.value } }),
          Vigil.api('/api/v1/places/label', { query: { lat: ll.lat.toFixed(5), lon: ll.lng.toFixed(5) } }).catch(() => null),
        ]);
        if (!mine()) return;
        last.try = r;
        if (cells()) showCells(r.cells_gained, gained, '#238b45');
        const vars = { gained: weight(r.weight_gained), cells: (r.cells_gained || []).length, lat: Vigil.num(ll.lat, 2), lon: Vigil.num(ll.lng, 2) };
        const place = at && at.place ? placeName(at) : '';
        tryOut.replaceChildren(el('p', {}, place ? t('coverage.tryResultPlace', { ...vars, place }) : t('coverage.tryResult', vars)));
      } catch (e) { if (mine()) tryOut.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))); }
    }

    async function plan() {
      const mine = Vigil.latest(planOut);
      const cells = Vigil.latest(gained);
      planOut.replaceChildren(el('p', {}, t('coverage.loading')));
      try {
        const r = await Vigil.api('/api/v1/coverage/plan', { method: 'POST', json: { month: month(), p: Number(pIn.value), mobility: mobIn.value } });
        if (!mine()) return;
        last.plan = r;
        suggested.clearLayers();
        for (const c of r.chosen || []) L.circleMarker([c.lat, c.lon], { radius: 8, color: '#6a51a3', weight: 3, fill: false }).bindTooltip(() => Vigil.plain(c.place ? t('coverage.suggestedPlace', { place: placeName(c) }) : t('coverage.suggested'))).addTo(suggested);
        if (cells()) showCells(r.cells_gained, gained, '#6a51a3');
        const s = r.solution;
        planOut.replaceChildren(
          el('p', {}, t('coverage.planResult', { n: (r.chosen || []).length, gained: weight(r.covered_weight_after - r.covered_weight_before), cells: (r.cells_gained || []).length })),
          el('ul', { class: 'coverage-plan-sites', 'aria-label': t('coverage.planSites') }, ...(r.chosen || []).map(chosenSite)),
          // In plain words whether a better placement may exist (the
          // solver's optimality gap, technical, in the title): the total
          // covered with the current sites, not the gain said above.
          el('p', { class: 'muted coverage-plan-note', title: t('coverage.planGap', { gap: Vigil.num(Math.round(s.gap * 10000) / 100), bound: weight(s.upper_bound) }) },
            t(s.optimal || !(s.gap > 0) ? 'coverage.planBest' : 'coverage.planNear', { covered: weight(r.covered_weight_after), bound: weight(s.upper_bound) })),
          last.try ? el('p', {}, t('coverage.compare', { mine: weight(last.try.weight_gained), opt: weight(r.covered_weight_after - r.covered_weight_before) })) : '',
        );
      } catch (e) { if (mine()) planOut.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))); }
    }

    async function cut() {
      const mine = Vigil.latest(cutOut);
      const cells = Vigil.latest(gained);
      cutOut.replaceChildren(el('p', {}, t('coverage.loading')));
      try {
        const r = await Vigil.api('/api/v1/coverage/cut', { method: 'POST', json: { month: month(), share: Number(shareIn.value) / 100 } });
        if (!mine()) return;
        last.cut = r;
        cutOut.replaceChildren(el('div', { class: 'coverage-cut-cols' }, cutColumn(r.targeted), cutColumn(r.thinning)));
        if (cells()) showCells((r.targeted.cells_lost || []).map((c) => c.cell), gained, '#d94801');
      } catch (e) { if (mine()) cutOut.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))); }
    }

    async function save(kind) {
      if (!last[kind]) { Vigil.notify(t('coverage.nothingToSave'), 'error'); return; }
      const name = nameIn.value.trim() || t('coverage.save.' + kind); // its month is kept beside it
      try {
        await Vigil.api('/api/v1/coverage/scenarios', { method: 'POST', json: { name, kind, month: month(), body: last[kind] } });
        Vigil.notify(t('coverage.saved'), 'info');
        loadScenarios();
      } catch (e) { Vigil.notify(Vigil.errMsg(e), 'error'); }
    }

    async function loadScenarios() {
      const mine = Vigil.latest(scenBox);
      try {
        const list = await Vigil.api('/api/v1/coverage/scenarios');
        const full = await Promise.all(list.slice(0, 10).map((s) => Vigil.api(`/api/v1/coverage/scenarios/${s.id}`)));
        if (!mine()) return;
        const head = el('tr', {}, ...['coverage.col.name', 'coverage.col.kind', 'coverage.col.month', 'coverage.col.result', 'coverage.col.by'].map((k) => el('th', { scope: 'col' }, t(k))));
        scenBox.replaceChildren(full.length ? Vigil.scrollTable(el('table', { class: 'coverage-table' }, el('thead', {}, head), el('tbody', {}, ...full.map((s) => el('tr', {},
          el('td', {}, scenarioName(s, Vigil.lang)), el('td', {}, t('coverage.save.' + s.kind)), el('td', {}, Vigil.month(s.month)), el('td', {}, scenarioSummary(s)), el('td', {}, s.created_by)))))) : el('p', { class: 'muted' }, t('coverage.noScenarios')));
      } catch (e) { if (mine()) scenBox.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e))); }
    }

    tob.on('dragend', tryTob);
    map.on('click', (ev) => { if (analyst) { tob.setLatLng(ev.latlng); tryTob(); } });
    monthIn.addEventListener('change', refresh);
    mobIn.addEventListener('change', () => { if (last.try) tryTob(); });
    Promise.all([refresh(), popPanel.ready, seasPanel.ready]).then(() => side.append(...rest));
    setTimeout(() => map.invalidateSize(), 0);
    const off = Vigil.on('lang', () => { Vigil.translate(root); for (const e of rest) if (e instanceof Element && !e.isConnected) Vigil.translate(e); popPanel.relang(); seasPanel.relang(); statusFrame.relang(); basisFrame.relang(); if (shown) showGaps(shown); });
    return () => { off(); if (ctrl) ctrl.abort(); map.remove(); state.fitted = false; };
  },
});
