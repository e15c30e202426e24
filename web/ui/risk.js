// Risk layer: next months' forecast probability of violence against
// civilians per grid cell (from `vigil forecast`) or, switched in the legend,
// per country (`vigil forecast --grid country`), its uncertainty, and for a
// clicked cell or country why (the features that drove its risk) and its
// recent history. The legend links the backtest plot (calibration, capture
// curve).
import { Vigil } from './core/vigil.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
const RISK = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];
const BREAKS = [0.02, 0.05, 0.15, 0.3]; // probability class limits
const state = { horizon: 1, target: 'osv', grid: '' }; // grid '' = map cells, 'country'

/** The backtest plot's address for the current unit. */
const plotSrc = () => `/api/v1/risk/backtest.svg?target=osv&lang=${Vigil.lang}${state.grid ? `&grid=${state.grid}` : ''}`;

function riskColour(p) {
  let i = 0;
  while (i < BREAKS.length && p >= BREAKS[i]) i++;
  return RISK[i];
}

const pct = (p) => Vigil.pct(p);

/** A country of a country run by its name in the page language (name_fr on the French page). */
const unitName = (u) => (Vigil.lang === 'fr' && u.name_fr) || u.name || String(u.country);

/**
 * Where a PRIO-GRID cell is, in the page's number format: the latitude and
 * longitude of its centre ({ lat: '4.75° N', lon: '18.25° E' }; French
 * « 4,75° N », « 18,25° O »). A cell with no named place near it is named
 * so, never by its raw number (« Cellule 132931 » told a reader nothing).
 */
function cellWhere(gid) {
  const i = Number(gid) - 1; // gid = (row−1)·720 + col, rows from 90° S, columns from 180° W
  const lat = -90 + Math.floor(i / 720) * 0.5 + 0.25;
  const lon = -180 + (i % 720) * 0.5 + 0.25;
  const deg = (v, pos, neg) => t('risk.deg', { v: Vigil.num(Math.abs(v)), h: t('risk.hemi.' + (v < 0 ? neg : pos)) });
  return { lat: deg(lat, 'n', 's'), lon: deg(lon, 'e', 'w') };
}

/** A feature's unit in words: its country, the place near its cell, else where the cell is. */
const unitLabel = (p) => (p.country !== undefined ? unitName(p)
  : p.place && p.place.label ? (Vigil.lang === 'fr' && p.place.label_fr) || p.place.label : t('risk.cellAt', cellWhere(p.cell)));

/** A feature name such as os_ring1_sum12 as words. */
function featureLabel(name) {
  if (name.startsWith('cov_')) return t('risk.feat.covariate', { name: name.slice(4) });
  if (name === 'month_sin' || name === 'month_cos') return t('risk.feat.season');
  const i = name.indexOf('_');
  const ty = name.slice(0, i);
  const kind = name.slice(i + 1);
  return t('risk.feat.' + kind, { type: t('risk.type.' + ty) });
}

/** A small bar chart of monthly events (SVG built without innerHTML). */
function sparkline(history) {
  const NS = 'http://www.w3.org/2000/svg';
  const w = 180;
  const h = 40;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h + 12);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('risk.history'));
  const max = Math.max(1, ...history.map((x) => x.events));
  const bw = w / Math.max(1, history.length);
  history.forEach((x, k) => {
    const r = document.createElementNS(NS, 'rect');
    const bh = (x.events / max) * h;
    r.setAttribute('x', String(k * bw + 1));
    r.setAttribute('y', String(h - bh));
    r.setAttribute('width', String(Math.max(1, bw - 2)));
    r.setAttribute('height', String(bh));
    r.setAttribute('fill', x.events > 0 ? '#d94801' : '#ddd');
    const tt = document.createElementNS(NS, 'title');
    tt.textContent = `${Vigil.month(x.month)}: ${Vigil.num(x.events)} / ${Vigil.num(x.fatalities)}`;
    r.append(tt);
    svg.append(r);
  });
  if (history.length) {
    for (const [k, anchor] of [[0, 'start'], [history.length - 1, 'end']]) {
      const lab = document.createElementNS(NS, 'text');
      lab.setAttribute('x', String(anchor === 'start' ? 0 : w));
      lab.setAttribute('y', String(h + 11));
      lab.setAttribute('font-size', '9');
      lab.setAttribute('text-anchor', anchor);
      lab.textContent = Vigil.month(history[k].month);
      svg.append(lab);
    }
  }
  return svg;
}

/**
 * The explanation panel for a feature's unit: a cell, or a country; for a
 * cell asked while the map shows the country forecast (a found place's
 * « Explain the risk here », p.inCountry), the country holding it (it
 * explained the cell's own forecast, not the one the map showed).
 */
const unitPanel = (p) => (p.country !== undefined ? cellPanel(p.country, 'country')
  : cellPanel(p.cell, p.inCountry ? 'cellCountry' : 'cell'));

/**
 * The explanation panel for one cell (kind 'cell'), one country
 * ('country'), or the country holding a cell ('cellCountry').
 */
async function cellPanel(gid, kind) {
  const box = el('div', { class: 'risk-cell' }, el('p', {}, t('risk.loading')));
  try {
    const query = { target: state.target };
    if (kind === 'cellCountry') query.grid = 'country';
    const c = await Vigil.api(`/api/v1/risk/${kind === 'country' ? 'country' : 'cell'}/${encodeURIComponent(gid)}`, { query });
    const country = c.country !== undefined;
    const f = c.forecasts.find((x) => x.horizon === state.horizon) || c.forecasts[0];
    const drivers = el('ul', { class: 'risk-drivers' }, ...(f.drivers || []).map((d) =>
      el('li', { class: d.contribution >= 0 ? 'up' : 'down' },
        el('span', { class: 'arrow', 'aria-hidden': 'true' }, d.contribution >= 0 ? '▲' : '▼'),
        ` ${featureLabel(d.feature)} `,
        el('span', { class: 'muted' }, `(${d.contribution >= 0 ? '+' : ''}${Vigil.num(Math.round(d.contribution * 100) / 100)})`))));
    box.replaceChildren(
      el('h3', {}, country ? t('risk.countryTitle', { name: unitName(c), month: Vigil.month(f.month) })
        : c.place && c.place.label ? t('risk.placeTitle', { place: (Vigil.lang === 'fr' && c.place.label_fr) || c.place.label, month: Vigil.month(f.month) })
          : t('risk.cellTitle', { ...cellWhere(c.cell), month: Vigil.month(f.month) })),
      country ? '' : el('p', { class: 'muted' }, t('risk.cellRef', { cell: c.cell })), // the number as a reference, in small print
      el('p', {}, t('risk.prob', { p: pct(f.probability) })),
      el('p', {}, t('risk.fatalities', { e: Vigil.num(Math.round(f.expected_fatalities * 10) / 10), lo: Vigil.num(Math.round(f.interval[0] * 10) / 10), hi: Vigil.num(Math.round(f.interval[1] * 10) / 10) })), // to a tenth, as the expected number (it showed « 0–4.771 »)
      el('h4', {}, t('risk.why')),
      // no reasons stored with this forecast: said (the heading stood over nothing)
      (f.drivers || []).length ? drivers : el('p', { class: 'risk-why-none' }, t('risk.whyNone')),
      // the number after each reason, said (it stood alone: « (+4,16) »)
      (f.drivers || []).length ? el('p', { class: 'muted' }, t('risk.whyWeight')) : '',
      el('h4', {}, t(country ? 'risk.historyCountry' : 'risk.history')),
      sparkline(c.history || []),
      // the model in words (it said « modèle gbt »), a model not known here by its name
      el('p', { class: 'muted' }, t('risk.origin', { origin: Vigil.month(c.origin), model: Vigil.tOr('risk.model.' + c.model, c.model) })),
    );
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, Vigil.errMsg(e)));
  }
  return box;
}

/** The elements of box Tab stops at, in the page's order. */
const tabbables = (box) => [...box.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
  .filter((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0);

/**
 * Keeps Tab and Shift+Tab inside box (a dialog, WAI-ARIA APG): from its
 * last stop Tab goes to its first, from its first Shift+Tab to its last,
 * and from an element that is no stop (the title the focus was put on)
 * to the next or previous stop in the page's order, round inside box.
 */
function keepTab(box) {
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const stops = tabbables(box);
    e.preventDefault();
    if (!stops.length) return;
    const at = document.activeElement;
    const after = (x) => at.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING;
    const next = e.shiftKey ? stops.filter((x) => x !== at && !after(x)).pop() || stops[stops.length - 1]
      : stops.find((x) => x !== at && after(x)) || stops[0];
    next.focus();
  });
}

let popupSeq = 0; // names the popups' titles (aria-labelledby)

/**
 * Opens the explanation of unit p (a feature's properties) in a popup at
 * latlng and answers its panel; null when a unit clicked since is shown
 * instead (its explanation may answer first: the latest click wins).
 * However it was opened, the popup is a dialog named by the explanation's
 * title (WAI-ARIA APG): the focus goes to that title, Tab and Shift+Tab
 * stay in the popup (they went on into the map behind), Escape closes it,
 * and on closing the focus goes back to back (the button that asked, or a
 * function answering it) or, opened by a click on the map, to what had the
 * focus then (the map, which Leaflet focuses on a press). A click on a
 * cell opened a popup that was no dialog and kept no focus: a screen
 * reader was not told of it, Escape did not close it unless the map had
 * the focus. The same dialog for the mouse costs its users nothing: the
 * map stays clickable (aria-modal is no inert page), a click elsewhere
 * closes it as before, and a focus moved by a click shows no ring.
 */
async function openPanel(p, latlng, back) {
  const was = document.activeElement;
  back ||= () => (was && was !== document.body && was.isConnected ? was : Vigil.map?.getContainer());
  const mine = Vigil.latest(unitPanel);
  const panel = await unitPanel(p);
  if (!mine() || !Vigil.map) return null;
  const map = Vigil.map;
  // No taller than the map (less its tip and a margin): the explanation
  // scrolls inside it. At 1366×768 in French (a two-line banner) it was
  // taller than the map, and its title was cut off above the map's edge.
  const popup = L.popup({ maxWidth: 320, maxHeight: Math.max(160, map.getContainer().clientHeight - 70) }).setLatLng(latlng).setContent(panel).openOn(map);
  const box = popup.getElement() || panel;
  // Leaflet closes a popup on Escape only while the map itself has the
  // focus: here also on the popup's close button
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      map.closePopup(popup);
    }
  });
  popup.once('remove', () => {
    const f = document.activeElement;
    const b = typeof back === 'function' ? back() : back;
    // the focus in the explanation, or lost with it: back to the button
    if (b?.isConnected && (!f || f === document.body || !f.isConnected || panel.contains(f) || popup.getElement()?.contains(f))) b.focus();
  });
  const title = panel.querySelector('h3, .error'); // the title, or why there is none (no forecast for that cell)
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-modal', 'true');
  if (title) {
    title.id ||= `risk-popup-title-${++popupSeq}`;
    box.setAttribute('aria-labelledby', title.id);
  } else {
    box.setAttribute('aria-label', t('risk.explainHere'));
  }
  keepTab(box);
  if (title) {
    title.setAttribute('tabindex', '-1');
    title.focus();
  }
  return panel;
}

/** Fetch the forecast for the chosen horizon and redraw the layer. */
async function refresh(layer, bbox, signal) {
  const q = { horizon: state.horizon, target: state.target };
  if (state.grid) q.grid = state.grid;
  if (bbox) q.bbox = bbox.join(',');
  const country = (Vigil.filters || {}).country; // the map's country filter
  if (country) q.country = country;
  // Only the latest request draws: the map's own update (asked with the
  // unit and horizon of its time) can answer after a newer choice's.
  const seq = state.seq = (state.seq || 0) + 1;
  let fc;
  try {
    fc = await Vigil.api('/api/v1/risk', { query: q, signal });
  } catch (e) {
    if (seq !== state.seq) return; // a newer choice's answer is drawn: an older one's failure is not said over it
    throw e;
  }
  if (seq !== state.seq) return;
  layer.clearLayers();
  layer.addData(fc);
  const first = (fc.features || [])[0];
  state.month = first ? first.properties.month : '';
  state.computed = first ? first.properties.computed : '';
  if (state.monthOut) state.monthOut.textContent = state.month ? t('risk.forMonth', { month: Vigil.month(state.month) }) : t('risk.none');
  showComputed();
  // the highest-risk cells in view, as buttons (keyboard access to the explanations)
  if (state.topList) {
    // the focus on a button of the list stays on that unit's new button (else
    // the first): the list is refilled when the map moves, and the focus fell
    // to the page's top (an explanation's opening pans the map)
    const had = state.topList.contains(document.activeElement) ? document.activeElement.dataset.unit : undefined;
    const top = (fc.features || []).slice().sort((a, b) => b.properties.probability - a.properties.probability).slice(0, 10);
    state.topList.replaceChildren(...top.map((f) => {
      const p = f.properties;
      // the centre of the feature's bounds (a cell's square, a country's outline)
      const pts = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates.flatMap((pg) => pg[0]) : f.geometry.coordinates[0];
      const lons = pts.map((x) => x[0]);
      const lats = pts.map((x) => x[1]);
      const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
      const lon = (Math.min(...lons) + Math.max(...lons)) / 2;
      const label = p.country !== undefined ? t('risk.topCountry', { name: unitName(p), p: pct(p.probability) })
        : p.place && p.place.label ? t('risk.topPlace', { place: (Vigil.lang === 'fr' && p.place.label_fr) || p.place.label, p: pct(p.probability) }) : t('risk.topItem', { ...cellWhere(p.cell), p: pct(p.probability) });
      const unit = String(p.country ?? p.cell);
      const b = el('button', { type: 'button', class: 'risk-top', 'data-unit': unit }, label);
      // the list is refilled when the map moves (the popup's opening pans it):
      // back to this unit's new button, else the list's first
      const back = () => (b.isConnected ? b : [...(state.topList?.querySelectorAll('button') || [])].find((x) => x.dataset.unit === unit) || state.topList?.querySelector('button'));
      b.addEventListener('click', () => { openPanel(p, [lat, lon], back); });
      return el('li', {}, b);
    }));
    if (had !== undefined) {
      const buttons = [...state.topList.querySelectorAll('button')];
      (buttons.find((x) => x.dataset.unit === had) || buttons[0])?.focus();
    }
  }
}

/** "Computed on …" under the month shown, from the run drawn. */
function showComputed() {
  if (!state.computedOut) return;
  state.computedOut.textContent = state.computed ? t('risk.computed', { date: Vigil.dateTime(state.computed) }) : '';
}

/**
 * What a 404 of the risk layer says: the page's own words when a refresh
 * can make the forecast (risk.none), else the server's refusal, which says
 * what this server lacks (no cell list for the country forecast, no
 * refresh) and who can give it.
 */
const noneMsg = (e) => (e.key === 'refusal.risk.no-forecast' ? t('risk.none') : Vigil.errMsg(e));

/** Redraw after a refresh ended (the layer, if on). */
function redraw() {
  if (state.layer) refresh(state.layer, (Vigil.filters || {}).bbox).catch((e) => Vigil.notify(e.status === 404 ? noneMsg(e) : Vigil.errMsg(e), 'error'));
}

// What to do after a failed step (risk.refresh.todo.*): the backtest and
// the training fail on the data, the load and the save on the server.
const REFRESH_TODO = { load: 'load', backtest: 'model', train: 'model', save: 'save' };

/**
 * A failed refresh in the page's words: which forecast and when, the step
 * that failed, its cause when the server says it by a message of the
 * dictionary, and what to do.
 */
function failedText(st) {
  const parts = [t('risk.refresh.failed', { date: Vigil.dateTime(st.finished), unit: t(st.failed_job === 'country' ? 'risk.refresh.country' : 'risk.refresh.cells') })];
  if (REFRESH_TODO[st.failed_step]) parts.push(t('risk.refresh.step.' + st.failed_step));
  if (st.cause_key) parts.push(t('risk.refresh.cause', { cause: Vigil.errText({ key: st.cause_key, args: st.cause_args, message: st.error }) }));
  parts.push(t('risk.refresh.todo.' + (REFRESH_TODO[st.failed_step] || 'any')));
  return parts.join(' ');
}

/**
 * The refresh box: the last refresh, the next scheduled one, and for
 * analysts a "Refresh forecasts now" button with the running refresh's
 * progress (polled while it runs).
 */
function refreshBox() {
  const status = el('p', { class: 'risk-refresh-status', id: 'risk-refresh-status', role: 'status', 'aria-live': 'polite' });
  const bar = el('progress', { id: 'risk-refresh-progress', max: '1', value: '0', hidden: true, 'aria-label': t('risk.refresh.progress') });
  const btn = el('button', { type: 'button', id: 'risk-refresh', class: 'btn', hidden: true }, t('risk.refresh.now'));
  // a failed refresh's technical detail: the server's words, in English (marked so)
  const errText = el('code', { lang: 'en' });
  const errBox = el('details', { class: 'risk-refresh-error', id: 'risk-refresh-error', hidden: true }, el('summary', {}, t('risk.refresh.detail')), errText);
  const box = el('div', { class: 'risk-refresh' }, btn, bar, status, errBox);
  let timer = 0;
  let wasRunning = false;
  const show = (d) => {
    const st = d.status || {};
    btn.hidden = !(d.available && Vigil.can('analyst'));
    btn.disabled = !!st.running;
    bar.hidden = !st.running;
    const lines = [];
    if (st.running) {
      bar.max = String(Math.max(1, st.steps));
      bar.value = String(st.step);
      lines.push(t('risk.refresh.running', { step: st.step, steps: st.steps, unit: t(st.grid === 'country' ? 'risk.refresh.country' : 'risk.refresh.cells') }));
      if (st.trigger === 'import') lines.push(t('risk.refresh.afterImport'));
    } else if (st.error) {
      lines.push(failedText(st));
    }
    // Go's English only when no catalog message says the cause
    errBox.hidden = !!st.running || !st.error || !!st.cause_key;
    errText.textContent = st.error || '';
    if (st.last_ok) lines.push(t('risk.refresh.last', { date: Vigil.dateTime(st.last_ok) }));
    if (st.next) lines.push(t('risk.refresh.next', { date: Vigil.dateTime(st.next) }));
    else if (d.available && !st.every_seconds) lines.push(t('risk.refresh.noSchedule'));
    status.textContent = lines.join(' · ');
    if (wasRunning && !st.running) {
      if (!st.error) Vigil.notify(t('risk.refresh.done', { n: Vigil.num(st.stored) }), 'info');
      redraw();
    }
    wasRunning = !!st.running;
    clearTimeout(timer);
    if (st.running) timer = setTimeout(poll, 2000);
  };
  const poll = () => {
    if (!box.isConnected) return;
    Vigil.api('/api/v1/risk/refresh').then(show).catch(() => {});
  };
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      show(await Vigil.api('/api/v1/risk/refresh', { method: 'POST' }));
    } catch (e) {
      btn.disabled = false;
      Vigil.notify(e.status === 409 ? t('risk.refresh.busy') : Vigil.errMsg(e), 'error');
    }
  });
  setTimeout(poll, 0); // once the legend is in the page
  return box;
}

/** The backtest plot at its full size in a modal dialog. */
function plotDialog(src) {
  const img = el('img', { src, alt: t('risk.plotAlt'), class: 'risk-plot-full', width: 760, height: 380 });
  const close = el('button', { type: 'button', class: 'btn' }, t('risk.close'));
  const d = el('dialog', { class: 'risk-plot-dialog', 'aria-label': t('risk.backtest') }, el('h2', {}, t('risk.backtest')), img, el('p', {}, close));
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  close.focus();
}

/** The PRIO-GRID cell holding a point: gid = (row−1)·720 + col, row = ⌊(lat+90)/0.5⌋+1, col = ⌊(lon+180)/0.5⌋+1. */
const cellAt = (lat, lon) => Math.min(359, Math.floor((lat + 90) / 0.5)) * 720 + Math.min(719, Math.floor((lon + 180) / 0.5)) + 1;

Vigil.registerLayer({
  id: 'risk',
  label: 'risk.layer',
  minRole: 'viewer',
  defaultOn: false,
  // on a found place (the map's place search): the explanation of the cell
  // holding it (titled by the named place nearest the cell's centre), or,
  // while the map shows the country forecast, of the country holding that
  // cell; a way in from the keyboard and for a screen reader, which the
  // cells are not
  placeAction: {
    label: 'risk.explainHere',
    labelAt: 'risk.explainHereAt',
    run: (place, button) => openPanel({ cell: cellAt(place.lat, place.lon), inCountry: state.grid === 'country' }, [place.lat, place.lon], button),
  },
  create() {
    return L.geoJSON(null, {
      style: (feat) => {
        const p = feat.properties || {};
        const wide = (p.interval || [0, 0])[1] >= 10; // uncertainty: a wide fatality interval
        return { fillColor: riskColour(p.probability || 0), fillOpacity: 0.7, color: wide ? '#4a1486' : '#999', weight: wide ? 2 : 0.3, dashArray: wide ? '4 3' : null };
      },
      onEachFeature: (feat, layer) => {
        const p = feat.properties || {};
        // named: the place near the cell, or the country (it said only « 84,7 % · janvier 2019 »)
        layer.bindTooltip(() => Vigil.plain(t('risk.tip', { where: unitLabel(p), p: pct(p.probability || 0), month: Vigil.month(p.month) })));
        layer.on('click', (ev) => { openPanel(p, ev.latlng); });
      },
    });
  },
  async update(layer, ctx) {
    state.layer = layer;
    try {
      await refresh(layer, ctx.filters.bbox, ctx.signal);
    } catch (e) {
      if (e.status !== 404) throw e;
      layer.clearLayers(); // no forecast stored: say how to make one
      if (state.monthOut) state.monthOut.textContent = noneMsg(e);
      throw new Error(noneMsg(e));
    }
  },
  legend(ctx) {
    const sel = el('select', { id: 'risk-horizon', 'aria-label': t('risk.horizon') },
      ...[1, 2, 3, 4, 5, 6].map((h) => el('option', { value: String(h), selected: h === state.horizon }, t('risk.monthsAhead', { h }))));
    sel.addEventListener('change', () => {
      state.horizon = Number(sel.value);
      if (state.layer) refresh(state.layer, (Vigil.filters || {}).bbox).catch((e) => Vigil.notify(Vigil.errMsg(e), 'error'));
    });
    state.monthOut = el('span', { class: 'risk-month', 'aria-live': 'polite' });
    const unit = el('select', { id: 'risk-grid', 'aria-label': t('risk.unit') },
      el('option', { value: '', selected: state.grid === '' }, t('risk.unitCells')),
      el('option', { value: 'country', selected: state.grid === 'country' }, t('risk.unitCountries')));
    const classes = RISK.map((c, i) => {
      const lo = i === 0 ? 0 : BREAKS[i - 1];
      const hi = BREAKS[i];
      const lab = hi === undefined ? `≥ ${pct(lo)}` : `${pct(lo)}–${pct(hi)}`;
      return el('span', { class: 'swatch' }, el('i', { style: `background:${c}` }), lab);
    });
    const plot = el('img', { src: plotSrc(), alt: t('risk.plotAlt'), class: 'risk-plot', loading: 'lazy', width: 380 });
    const noPlot = el('p', { class: 'muted', hidden: true }, t('risk.noPlot'));
    const full = el('button', { type: 'button', class: 'btn risk-plot-open', id: 'risk-plot-open' }, t('risk.plotFull'));
    full.addEventListener('click', () => plotDialog(plot.src));
    plot.addEventListener('error', () => { plot.hidden = true; full.hidden = true; noPlot.hidden = false; });
    plot.addEventListener('load', () => { plot.hidden = false; full.hidden = false; noPlot.hidden = true; });
    unit.addEventListener('change', () => {
      state.grid = unit.value;
      plot.src = plotSrc();
      if (state.layer) {
        refresh(state.layer, (Vigil.filters || {}).bbox).catch((e) => {
          state.layer.clearLayers();
          if (state.topList) state.topList.replaceChildren();
          const msg = e.status === 404 ? noneMsg(e) : Vigil.errMsg(e);
          if (state.monthOut) state.monthOut.textContent = e.status === 404 ? msg : t('risk.none');
          Vigil.notify(msg, 'error');
        });
      }
    });
    return el('div', { class: 'legend risk-legend' },
      el('label', {}, t('risk.unit'), ' ', unit),
      el('label', {}, t('risk.horizon'), ' ', sel), state.monthOut,
      state.computedOut = el('span', { class: 'risk-computed muted' }),
      refreshBox(),
      el('div', {}, el('span', {}, t('risk.legend')), ...classes),
      el('div', {}, el('i', { class: 'risk-wide', 'aria-hidden': 'true' }), ' ', t('risk.wide')),
      el('details', {}, el('summary', {}, t('risk.top')), state.topList = el('ol', { class: 'risk-top-list' })),
      el('details', {}, el('summary', {}, t('risk.backtest')), plot, full, noPlot));
  },
});
