// The map page: offline basemap (Natural Earth outlines), server-side event
// clusters refreshed on pan/zoom, filters (type, dates, country), the grid
// heat layer by month with a time slider, registered module layers, and the
// event detail panel.
import { Vigil } from './vigil.js';

const TYPES = ['state-based', 'non-state', 'one-sided'];
const TYPE_CODE = { 'state-based': 1, 'non-state': 2, 'one-sided': 3 };
const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);

Vigil.registerPage({ id: 'map', label: 'nav.map', order: 0, layout: 'full', render: renderMap });

// ---------- Leaflet's own strings (zoom buttons, popup close) in the user's language ----------
/** Titles and labels of every Leaflet control in root, in the current language. */
export function leafletStrings(root = document) {
  const set = (sel, key) => root.querySelectorAll(sel).forEach((e) => {
    e.title = t(key);
    e.setAttribute('aria-label', t(key));
  });
  set('.leaflet-control-zoom-in', 'leaflet.zoomIn');
  set('.leaflet-control-zoom-out', 'leaflet.zoomOut');
  set('.leaflet-popup-close-button', 'leaflet.closePopup');
  root.querySelectorAll('.leaflet-control-attribution a[href*="leafletjs.com"]').forEach((a) => { a.title = t('leaflet.library'); });
}
if (window.L && L.Map && L.Map.addInitHook) {
  // every map of every page: its controls now, its popups when they open
  L.Map.addInitHook(function hook() {
    this.whenReady(() => leafletStrings(this.getContainer()));
    this.on('popupopen', () => leafletStrings(this.getContainer()));
    // The controls (zoom buttons, at the map's top left) before the map's
    // panes in the document: Tab reaches them before the markers, not
    // after every cluster. Leaflet places them by CSS, not by this order.
    if (this._controlContainer) this.getContainer().prepend(this._controlContainer);
  });
  // Leaflet listens for focus on every vector shape with a tooltip (to show
  // it), and Chromium then stops Tab at each of them: the Coverage page's
  // 3,256 cells came before anything below its map. A shape is out of the
  // Tab order (tabindex -1, still focusable by script); the cells are
  // listed in the pages' tables and their popups open by click.
  L.Path.addInitHook(function hook() {
    this.on('add', () => {
      const e = this.getElement && this.getElement();
      if (e && !e.hasAttribute('tabindex')) e.setAttribute('tabindex', '-1');
    });
  });
  Vigil.on('lang', () => leafletStrings(document));
}

// ---------- month helpers ("YYYY-MM" ↔ index) ----------
const monthIndex = (s) => {
  const [y, m] = s.split('-').map(Number);
  return y * 12 + m - 1;
};
const monthString = (i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
function monthLabel(s) {
  const [y, m] = s.split('-').map(Number);
  return new Intl.DateTimeFormat(Vigil.lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

// ---------- the built-in grid heat layer, registered like any module layer ----------
const HEAT = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];
function heatColor(v) {
  if (v <= 0) return HEAT[0];
  if (v < 2) return HEAT[1];
  if (v < 10) return HEAT[2];
  if (v < 50) return HEAT[3];
  return HEAT[4];
}

/** Sum of a grid feature's counts or deaths over the selected types, whatever shape the properties take. */
export function cellValue(props, types, what) {
  const v = props[what] ?? props[what === 'deaths' ? 'fatalities' : 'events'];
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') {
    let s = 0;
    for (const ty of types) s += Number(v[ty] ?? v[TYPE_CODE[ty]] ?? v[ty.replace('-', '_')] ?? 0);
    return s;
  }
  let s = 0;
  for (const ty of types) s += Number(props[`${what}_${ty.replace('-', '_')}`] ?? props[`${what}_${TYPE_CODE[ty]}`] ?? 0);
  return s;
}

Vigil.registerLayer({
  id: 'grid',
  label: 'layer.grid',
  attribution: 'attr.priogrid',
  create(ctx) {
    return L.geoJSON(null, {
      pane: 'grid',
      interactive: false,
      style: () => ({ weight: 0.3, color: '#7f2704', fillOpacity: 0.65 }),
    });
  },
  async update(layer, ctx) {
    const f = ctx.filters;
    if (!f.month || !f.bbox) return;
    const fc = await ctx.api('/api/v1/grid', {
      query: { bbox: f.bbox.join(','), from: f.month, to: f.month, grid: 'priogrid', type: f.types.join(','), country: f.country },
      signal: ctx.signal,
    });
    layer.options.style = (feat) => {
      const d = cellValue(feat.properties || {}, f.types, 'deaths');
      const c = cellValue(feat.properties || {}, f.types, 'counts');
      return { fillColor: heatColor(Math.max(d, c > 0 ? 1 : 0)), weight: 0.4, color: '#7f2704', fillOpacity: 0.75 };
    };
    layer.clearLayers();
    layer.addData(fc);
    layer.featureCount = (fc.features || []).length;
  },
  legend() {
    const bins = [['1', HEAT[1]], ['2–9', HEAT[2]], ['10–49', HEAT[3]], ['50+', HEAT[4]]];
    return el('div', { class: 'legend' }, el('span', {}, t('layer.gridLegend')), ...bins.map(([lab, c]) => el('span', { class: 'swatch' }, el('i', { style: `background:${c}` }), lab)));
  },
});


/**
 * addBasemap draws the offline Natural Earth country outlines (vendored
 * world-atlas) under map's layers, in a 'basemap' pane: the 1:110m ones,
 * and with fine the 1:50m ones from zoom 5 (loaded once, on demand: 110m
 * is ~108 kB, 50m ~756 kB before gzip). Answers a promise of the first
 * outlines drawn (rejected when they cannot be loaded).
 */
export function addBasemap(map, fine = true) {
  map.createPane('basemap').style.zIndex = 200;
  const basemap = { coarse: null, fine: null, loadingFine: false, gone: false };
  map.once('unload', () => { basemap.gone = true; }); // outlines that arrive after the page is left are not drawn
  const baseStyle = { pane: 'basemap', interactive: false, style: { color: '#8c8c8c', weight: 0.6, fillColor: '#f2efe6', fillOpacity: 1 } };
  async function loadBase(file) {
    const res = await fetch('/ui/vendor/world-atlas/' + file, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(res.statusText);
    const topo = await res.json();
    const geo = topojson.feature(topo, topo.objects.countries);
    for (const ft of geo.features) unwrapRings(ft.geometry);
    return L.geoJSON(geo, baseStyle);
  }
  if (fine) {
    map.on('zoomend', async () => {
      if (map.getZoom() >= 5 && !basemap.fine && !basemap.loadingFine) {
        basemap.loadingFine = true;
        try { basemap.fine = await loadBase('countries-50m.json'); } catch { basemap.loadingFine = false; }
      }
      if (basemap.gone) return;
      const show = map.getZoom() >= 5 && basemap.fine;
      if (show) { basemap.coarse && map.removeLayer(basemap.coarse); basemap.fine.addTo(map); }
      else if (basemap.coarse) { basemap.fine && map.removeLayer(basemap.fine); basemap.coarse.addTo(map); }
    });
  }
  return loadBase('countries-110m.json').then((l) => { basemap.coarse = l; if (!basemap.gone && (map.getZoom() < 5 || !basemap.fine)) l.addTo(map); return l; });
}
/** Clusters as [{lat, lon, count, deaths, id}] from either a GeoJSON FeatureCollection of points or a plain array. */
export function normaliseClusters(x) {
  if (!x) return [];
  if (Array.isArray(x)) return x;
  return (x.features || []).map((f) => {
    const p = f.properties || {};
    const [lon, lat] = (f.geometry && f.geometry.coordinates) || [0, 0];
    return { lat, lon, count: Number(p.count || 0), deaths: Number(p.deaths || 0), id: p.event_id ?? p.id ?? f.id };
  });
}

/**
 * Make rings that cross the antimeridian continuous (longitudes past ±180)
 * so that Russia or Fiji are not drawn as bands across the whole map.
 */
export function unwrapRings(g) {
  if (!g) return;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const prev = ring[i - 1][0];
        let lon = ring[i][0];
        while (lon - prev > 180) lon -= 360;
        while (lon - prev < -180) lon += 360;
        ring[i] = [lon, ring[i][1]];
      }
    }
  }
}

/** The server's cluster square for a zoom level (web/events_api.go clusterDegrees). */
const clusterDegrees = (zoom) => 90 / 2 ** zoom;
const LIST_ZOOM = 10; // from this zoom, clicking a cluster lists its events instead of zooming in

/** The bounds of what a layer drew (its shapes and markers); not valid when it drew nothing. */
function layerBounds(layer) {
  const b = L.latLngBounds([]);
  const add = (l) => {
    if (l.getBounds) b.extend(l.getBounds());
    else if (l.getLatLng) b.extend(l.getLatLng());
    else if (l.eachLayer) l.eachLayer(add);
  };
  if (layer.eachLayer) layer.eachLayer(add);
  return b;
}

// The filters the user last chose on the map (event types, dates, country,
// the slider's month; each as they set it there, ticked, typed, moved or
// reset), kept apart from a link's: a link (the Integrity Where tab's "See
// on the map", an incident's place, a shared address) sets the view it
// opens, and a later visit without that part (the menu) shows the user's
// own choice again, not the link's. Kept for the browser tab (a reload
// keeps it; logging out forgets it, core/vigil.js clearOfflineData).
const OWN_KEY = 'vigil.mapOwn';
const ownDefault = () => ({ types: [...TYPES], from: '', to: '', country: '', month: '' });
let own = (() => {
  try {
    const o = JSON.parse(sessionStorage.getItem(OWN_KEY) || 'null');
    if (!o || typeof o !== 'object') return ownDefault();
    const day = (x) => (/^\d{4}-\d{2}-\d{2}$/.test(x) ? x : '');
    return {
      types: Array.isArray(o.types) ? o.types.filter((x) => TYPES.includes(x)) : [...TYPES],
      from: day(o.from), to: day(o.to),
      country: typeof o.country === 'string' ? o.country.slice(0, 100) : '',
      month: /^\d{4}-\d{2}$/.test(o.month) ? o.month : '',
    };
  } catch { return ownDefault(); }
})();
function keepOwn(part) {
  own = { ...own, ...part };
  try { sessionStorage.setItem(OWN_KEY, JSON.stringify(own)); } catch { /* storage full or refused: kept for this page only */ }
}

// ---------- the page ----------
function renderMap(root) {
  const f = Vigil.filters;
  const state = { first: true, ctrl: null, timer: 0, layerOn: new Map(), extent: null };
  // A view can be shared as a link: #/map?c=lat,lon&z=6&types=…&from=…&to=…&country=…&month=YYYY-MM&layers=grid
  const link = Vigil.params();
  f.types = link.has('types') ? link.get('types').split(',').filter((x) => TYPES.includes(x)) : [...own.types];
  for (const k of ['from', 'to']) f[k] = /^\d{4}-\d{2}-\d{2}$/.test(link.get(k) || '') ? link.get(k) : own[k];
  f.country = link.has('country') ? link.get('country').slice(0, 100) : own.country;
  f.month = /^\d{4}-\d{2}$/.test(link.get('month') || '') ? link.get('month') : own.month;
  state.sliderTouched = !!f.month;
  state.wantLayers = new Set((link.get('layers') || '').split(',').filter(Boolean));
  // fit=<layer id>: once that layer has drawn, the view fits what it drew
  // (the Where tab's "See on the map"); the events do not move it first.
  state.fitLayer = state.wantLayers.has(link.get('fit')) ? link.get('fit') : '';
  if (state.fitLayer) state.first = false;

  // Sidebar: filters, time slider, layers, summary.
  const typeBoxes = TYPES.map((ty) =>
    el('label', { class: 'check type-' + ty },
      el('input', { type: 'checkbox', id: 'type-' + ty, value: ty, checked: f.types.includes(ty) }),
      el('span', { 'data-i18n': 'type.' + ty }, t('type.' + ty))),
  );
  const from = Vigil.dateInput({ id: 'filter-from', label: 'filter.from', value: f.from, min: '1946-01-01' });
  const to = Vigil.dateInput({ id: 'filter-to', label: 'filter.to', value: f.to, min: '1946-01-01' });
  const country = el('input', { type: 'search', id: 'filter-country', value: f.country, autocomplete: 'off', list: 'countries', 'data-i18n-attr': 'placeholder:filter.countryHint', placeholder: t('filter.countryHint') });
  const countries = el('datalist', { id: 'countries' });
  const summary = el('p', { id: 'summary', class: 'summary', role: 'status', 'aria-live': 'polite' });
  // The summary's box keeps its height (app.css): a text longer than it (a
  // long error) scrolls in it, and the box is then a tab stop, so that a
  // keyboard can scroll it (axe's scrollable-region-focusable).
  const fitSummary = () => {
    if (summary.scrollHeight > summary.clientHeight + 1) summary.setAttribute('tabindex', '0');
    else if (document.activeElement !== summary) summary.removeAttribute('tabindex');
  };
  // And when the box's size changes (the window resized, the side column
  // over the map below 800 px): an error that fitted may scroll, or one
  // that scrolled fit (it was fitted when drawn only).
  const summarySized = typeof ResizeObserver === 'function' ? new ResizeObserver(() => fitSummary()) : null;
  if (summarySized) summarySized.observe(summary);
  const slider = el('input', { type: 'range', id: 'month-slider', min: 0, max: 0, value: 0, step: 1, 'data-i18n-attr': 'aria-label:slider.label', 'aria-label': t('slider.label') });
  const monthOut = el('output', { id: 'month-label', for: 'month-slider' });
  const layerList = el('div', { class: 'layers' });
  const playButton = el('button', { type: 'button', id: 'month-play', 'aria-pressed': 'false', 'data-i18n': 'slider.play', onclick: () => togglePlay() }, t('slider.play'));

  // Find a place by name (the gazetteer, accent- and case-insensitive, EN/FR): the map goes there.
  const placeQ = el('input', { type: 'search', id: 'place-q', maxlength: '100', autocomplete: 'off', 'data-i18n-attr': 'placeholder:map.placeHint', placeholder: t('map.placeHint') });
  const placeHits = el('ul', { class: 'plain place-hits', id: 'place-hits', 'aria-live': 'polite' });
  const placeForm = el('form', { id: 'place-search', role: 'search', onsubmit: async (e) => {
    e.preventDefault();
    const q = placeQ.value.trim();
    if (!q) return;
    const mine = Vigil.latest(placeHits); // the newest search's places only
    try {
      const r = await Vigil.api('/api/v1/places/search', { query: { q, lang: Vigil.lang, limit: 5 } });
      if (!mine()) return;
      // a layer on the map may act on a place (the risk layer: explain the
      // risk of the cell holding it), a button after the place's name
      const acts = [...state.layerOn.values()].map((x) => x.def.placeAction).filter(Boolean);
      placeHits.replaceChildren(...(r.places.length ? r.places.map((p) => el('li', {}, el('button', { type: 'button', class: 'linklike', onclick: () => map.setView([p.lat, p.lon], 9) }, p.label || p.name),
        ...acts.map((a) => {
          const b = el('button', { type: 'button', class: 'linklike place-act', 'aria-label': t(a.labelAt, { place: p.label || p.name }) }, t(a.label));
          b.addEventListener('click', () => { map.setView([p.lat, p.lon], 9); a.run(p, b); });
          return [' · ', b];
        }).flat()))
        : [el('li', { class: 'muted' }, t('map.placeNone', { q }))]));
    } catch (err) { if (mine()) placeHits.replaceChildren(el('li', { class: 'error' }, Vigil.errMsg(err))); }
  } }, el('label', { for: 'place-q', class: 'block', 'data-i18n': 'map.place' }, t('map.place')), placeQ, ' ',
  el('button', { type: 'submit', 'data-i18n': 'map.placeFind' }, t('map.placeFind')), placeHits);

  const sidebar = el('aside', { class: 'sidebar', 'aria-labelledby': 'filters-title' },
    summary, placeForm,
    el('h2', { id: 'filters-title', 'data-i18n': 'filter.title' }, t('filter.title')),
    el('form', { id: 'filters', onsubmit: (e) => e.preventDefault() },
      el('fieldset', {}, el('legend', { 'data-i18n': 'filter.types' }, t('filter.types')), ...typeBoxes),
      el('fieldset', {}, el('legend', { 'data-i18n': 'filter.dates' }, t('filter.dates')),
        from, to),
      el('label', { for: 'filter-country', class: 'block', 'data-i18n': 'filter.country' }, t('filter.country')), country, countries,
      el('button', { type: 'reset', id: 'filter-reset', 'data-i18n': 'filter.reset' }, t('filter.reset')),
    ),
    el('fieldset', {}, el('legend', { 'data-i18n': 'layer.title' }, t('layer.title')), layerList),
    el('fieldset', { class: 'timeline' },
      el('legend', { 'data-i18n': 'slider.title' }, t('slider.title')),
      slider, monthOut,
      el('div', { class: 'stepper' },
        el('button', { type: 'button', id: 'month-prev', 'data-i18n-attr': 'aria-label:slider.prev', 'aria-label': t('slider.prev'), onclick: () => stepMonth(-1) }, '◀'),
        playButton,
        el('button', { type: 'button', id: 'month-next', 'data-i18n-attr': 'aria-label:slider.next', 'aria-label': t('slider.next'), onclick: () => stepMonth(1) }, '▶'))),
  );
  const mapDiv = el('div', { id: 'map', class: 'map', role: 'application', 'data-i18n-attr': 'aria-label:map.label', 'aria-label': t('map.label') });
  const detail = el('aside', { id: 'detail', class: 'detail', hidden: true, tabindex: '-1', 'aria-labelledby': 'detail-title' });
  root.append(el('div', { class: 'mapview' }, sidebar, mapDiv, detail));

  // Map with the offline basemap.
  const map = L.map(mapDiv, {
    minZoom: 2, maxZoom: 13, zoomSnap: 1, worldCopyJump: false, attributionControl: false,
    maxBounds: [[-89.9, -200], [89.9, 200]], maxBoundsViscosity: 0.8, preferCanvas: false,
    // No zoom/fade animations for users who ask for less motion (and for slow laptops that do).
    ...(matchMedia('(prefers-reduced-motion: reduce)').matches ? { zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false } : {}),
  });
  Vigil.map = map;
  map.createPane('grid').style.zIndex = 350;
  // Event clusters under the operational layers (incidents, survey cells,
  // risk: the overlay pane at 400 and markers at 600), above the grid.
  map.createPane('events').style.zIndex = 390;
  const [lat, lon] = (link.get('c') || '').split(',').map(Number);
  const zoom = Number(link.get('z'));
  if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && zoom >= 2 && zoom <= 13 && link.get('c')) {
    map.setView([lat, lon], Math.round(zoom));
  } else {
    map.setView([5, 20], 3);
  }
  addBasemap(map).catch(() => { if (Vigil.map === map) Vigil.notify(t('map.basemapFailed')); }); // not once the page is left

  const clusters = L.layerGroup().addTo(map);

  function bbox() {
    const b = map.getBounds();
    const r = (x) => Math.round(x * 1e4) / 1e4;
    const w = r(Math.max(-180, b.getWest())), e = r(Math.min(180, b.getEast()));
    const s = r(Math.max(-90, b.getSouth())), n = r(Math.min(90, b.getNorth()));
    return [w, s, Math.max(w, e), Math.max(s, n)];
  }

  function readFilters() {
    f.types = TYPES.filter((ty) => document.getElementById('type-' + ty).checked);
    f.from = from.value;
    f.to = to.value;
    f.country = country.value.trim();
    f.bbox = bbox();
    f.zoom = map.getZoom();
  }

  // The first and last month holding any event, so the slider starts where
  // the data is: a binary search with one-event pages (about 20 requests of
  // a few hundred bytes, once per page view; the API has no extent endpoint).
  async function findExtent() {
    const now = new Date();
    const top = now.getUTCFullYear() * 12 + now.getUTCMonth();
    const bottom = 1946 * 12;
    const any = async (q) => {
      const feats = (await Vigil.api('/api/v1/events', { query: { ...q, limit: 1 } })).features || [];
      learnCountries(feats);
      return feats.length > 0;
    };
    if (!(await any({}))) return null;
    let lo = bottom, hi = top; // last month m with events from m on
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (await any({ from: monthString(mid) })) lo = mid; else hi = mid - 1;
    }
    const last = lo;
    lo = bottom; hi = last; // first month m with events up to m
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await any({ to: monthString(mid) })) hi = mid; else lo = mid + 1;
    }
    return [monthString(lo), monthString(last)];
  }

  // ----- time slider over months -----
  function sliderRange() {
    const now = new Date();
    const lo = f.from ? f.from.slice(0, 7) : state.extent?.[0] || '1989-01';
    const hi = f.to ? f.to.slice(0, 7) : state.extent?.[1] || `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    return [monthIndex(lo), Math.max(monthIndex(lo), monthIndex(hi))];
  }
  function syncSlider() {
    const [lo, hi] = sliderRange();
    slider.max = String(hi - lo);
    if (!f.month && !f.to && !state.extentKnown) {
      // The latest month with data is not known yet (ensureExtent asks for
      // it when the month matters): no month is said, rather than this
      // month's, which the data may not reach; the layers wait for it.
      slider.value = slider.max;
      monthOut.textContent = '';
      slider.removeAttribute('aria-valuetext');
      return;
    }
    let cur = f.month ? monthIndex(f.month) : hi;
    cur = Math.min(hi, Math.max(lo, cur));
    slider.value = String(cur - lo);
    f.month = monthString(cur);
    monthOut.textContent = monthLabel(f.month);
    slider.setAttribute('aria-valuetext', monthLabel(f.month));
  }
  function onSlider() {
    state.sliderTouched = true;
    const [lo] = sliderRange();
    f.month = monthString(lo + Number(slider.value));
    keepOwn({ month: f.month });
    monthOut.textContent = monthLabel(f.month);
    slider.setAttribute('aria-valuetext', monthLabel(f.month));
    schedule(250, false);
  }
  // Play: one month every 1.5 s (each step loads one month of the layers).
  function togglePlay(stop) {
    const playing = !stop && !state.play;
    clearInterval(state.play);
    state.play = 0;
    if (playing) {
      ensureExtent();
      if (Number(slider.value) >= Number(slider.max)) { slider.value = '0'; onSlider(); }
      state.play = setInterval(() => {
        if (Number(slider.value) >= Number(slider.max)) togglePlay(true);
        else stepMonth(1);
      }, 1500);
    }
    playButton.setAttribute('aria-pressed', String(playing));
    playButton.dataset.i18n = playing ? 'slider.pause' : 'slider.play';
    playButton.textContent = t(playButton.dataset.i18n);
  }

  function stepMonth(d) {
    const v = Math.min(Number(slider.max), Math.max(0, Number(slider.value) + d));
    slider.value = String(v);
    onSlider();
  }
  slider.addEventListener('input', onSlider);

  // Keep the address bar on the current view so that it can be bookmarked or sent.
  function writeLink() {
    if (state.closed) return; // the user has left the map page
    const c = map.getCenter();
    const q = new URLSearchParams({ c: `${c.lat.toFixed(4)},${c.lng.toFixed(4)}`, z: String(map.getZoom()) });
    if (f.types.length !== TYPES.length) q.set('types', f.types.join(','));
    for (const k of ['from', 'to', 'country']) if (f[k]) q.set(k, f[k]);
    if (state.layerOn.size > 0) {
      q.set('layers', [...state.layerOn.keys()].join(','));
      if (f.month) q.set('month', f.month);
    }
    Vigil.replaceRoute('#/map?' + q.toString().replace(/%2C/g, ',')); // not once the reader is leaving
  }

  // ----- refresh: clusters + active layers -----
  // Nothing once the page is left: removing the map ends a pan under way
  // with a moveend, and the focused country field's removal fires its
  // change, both after the cleanup below cleared the timer.
  function schedule(ms, withClusters = true) {
    clearTimeout(state.timer);
    if (state.closed) return;
    state.timer = setTimeout(() => refresh(withClusters), ms);
  }

  async function refresh(withClusters = true) {
    if (state.closed) return; // the filters' inputs are gone with the page
    readFilters();
    syncSlider();
    if (state.ctrl) state.ctrl.abort();
    const ctrl = (state.ctrl = new AbortController());
    Vigil.emit('filters', { ...f });
    writeLink();
    const jobs = [];
    if (withClusters) jobs.push(loadClusters(ctrl.signal));
    for (const [id, entry] of state.layerOn) jobs.push(updateLayer(id, entry, ctrl.signal));
    await Promise.allSettled(jobs);
  }

  async function loadClusters(signal) {
    mapDiv.dataset.loading = '1';
    let list = [];
    try {
      if (f.types.length > 0) {
        list = await Vigil.api('/api/v1/clusters', {
          query: { bbox: f.bbox.join(','), zoom: f.zoom, type: f.types.join(','), from: f.from, to: f.to, country: f.country },
          signal,
        });
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      // The clusters of the previous view are still drawn (offline, a
      // filter never viewed has no stored answer): said, and outlined.
      const stale = clusters.getLayers().length > 0;
      summary.textContent = Vigil.errMsg(e) + (stale ? ' ' + t('map.previousView') : '');
      summary.className = 'summary error';
      summary.scrollTop = 0;
      fitSummary();
      mapDiv.classList.toggle('clusters-stale', stale);
      delete mapDiv.dataset.loading;
      return;
    }
    mapDiv.classList.remove('clusters-stale');
    list = normaliseClusters(list);
    drawClusters(list);
    delete mapDiv.dataset.loading;
    const untouched = map.getZoom() === 3 && map.getCenter().distanceTo(L.latLng(5, 20)) < 1000;
    if (state.first && untouched && list.length > 0 && !f.from && !f.to && !f.country) {
      state.first = false;
      const b = L.latLngBounds(list.map((c) => [c.lat, c.lon]));
      if (b.isValid()) map.fitBounds(b.pad(0.1), { maxZoom: 6, animate: false }); // triggers moveend → reload at the fitted view
    }
    state.first = false;
    // A country chosen: zoom to all its events (once per choice), wherever the view was.
    if (f.country && f.country !== state.zoomedCountry) {
      const chosen = (state.zoomedCountry = f.country);
      Vigil.api('/api/v1/clusters', { query: { bbox: '-180,-90,180,90', zoom: 3, country: f.country, type: f.types.join(','), from: f.from, to: f.to } })
        .then((all) => {
          if (f.country !== chosen) return; // the choice changed while its events were on their way
          const pts = normaliseClusters(all);
          const b = L.latLngBounds(pts.map((c) => [c.lat, c.lon]));
          if (b.isValid() && Vigil.map === map) map.fitBounds(b.pad(0.15), { maxZoom: 8, animate: false });
        }).catch(() => { if (state.zoomedCountry === chosen) state.zoomedCountry = ''; }); // asked again at the next load (offline: when the server answers)
    } else if (!f.country) {
      state.zoomedCountry = '';
    }
  }

  function drawClusters(list) {
    clusters.clearLayers();
    let n = 0, deaths = 0;
    for (const c of list) {
      n += c.count;
      deaths += c.deaths || 0;
      const size = Math.round(20 + 7 * Math.log10(c.count));
      const single = c.count === 1 && c.id;
      const label = single ? t('cluster.one', { deaths: c.deaths || 0 })
        : t(map.getZoom() >= LIST_ZOOM ? 'cluster.manyList' : 'cluster.many', { count: Vigil.num(c.count), deaths: Vigil.num(c.deaths || 0) });
      const m = L.marker([c.lat, c.lon], {
        icon: L.divIcon({ className: 'cluster' + (single ? ' single' : '') + (c.deaths >= 100 ? ' deadly' : ''), html: single ? '' : Vigil.num(c.count), iconSize: single ? [14, 14] : [size, size] }),
        keyboard: true, title: label, alt: label, riseOnHover: true, pane: 'events',
      });
      const open = () => {
        if (single) openDetail(c.id);
        else if (map.getZoom() >= LIST_ZOOM) openList(c);
        else map.setView([c.lat, c.lon], Math.min(map.getMaxZoom(), map.getZoom() + 2));
      };
      m.on('click', open);
      m.on('add', () => {
        const e = m.getElement();
        e.setAttribute('role', 'button');
        e.setAttribute('aria-label', label);
        if (single) e.dataset.eventId = String(c.id);
        e.dataset.count = String(c.count);
        e.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); }
        });
      });
      clusters.addLayer(m);
    }
    summary.className = 'summary';
    summary.dataset.events = String(n);
    summary.dataset.deaths = String(deaths);
    summary.textContent = f.types.length === 0 ? t('summary.noType') : t('summary.text', { events: Vigil.num(n), deaths: Vigil.num(deaths) });
    fitSummary();
  }

  // ----- module layers -----
  // Sources of the layers switched on, in the page footer beside the events' citation.
  function renderAttributions() {
    const box = document.getElementById('attr-layers');
    if (!box) return;
    const parts = [...state.layerOn.values()].map((e) => e.def.attribution).filter(Boolean).map((a) => Vigil.label(a));
    box.replaceChildren(...[...new Set(parts)].map((p) => el('span', {}, ' · ' + p)));
  }
  function layerCtx(signal) {
    return { map, filters: { ...f }, t, api: Vigil.api.bind(Vigil), signal };
  }
  async function updateLayer(id, entry, signal) {
    if (!entry.def.update || !entry.layer) return;
    entry.status.textContent = t('layer.loading');
    try {
      await entry.def.update(entry.layer, layerCtx(signal));
      entry.status.textContent = '';
    } catch (e) {
      if (e.name !== 'AbortError') entry.status.textContent = Vigil.errMsg(e);
    }
  }
  function renderLayers() {
    layerList.replaceChildren();
    for (const def of Vigil.layers.filter((l) => Vigil.can(l.minRole))) {
      const box = el('input', { type: 'checkbox', id: 'layer-' + def.id, checked: state.layerOn.has(def.id) || (!state.touched?.has(def.id) && (def.defaultOn || state.wantLayers.has(def.id))) });
      const status = el('span', { class: 'layer-status', 'aria-live': 'polite' });
      const legend = el('div', { class: 'layer-legend' });
      const row = el('div', { class: 'layer' }, el('label', { class: 'check' }, box, el('span', {}, Vigil.label(def.label))), status, legend);
      const on = async () => {
        const ctrl = new AbortController();
        let layer;
        try {
          layer = await def.create(layerCtx(ctrl.signal));
        } catch (e) {
          status.textContent = Vigil.errMsg(e);
          box.checked = false;
          return;
        }
        if (!box.checked || state.closed) return;
        ensureExtent();
        const entry = { def, layer, status, legend };
        state.layerOn.set(def.id, entry);
        mapDiv.classList.toggle(def.id + '-on', true);
        renderAttributions();
        writeLink();
        layer.addTo(map);
        if (def.legend) legend.replaceChildren(def.legend(layerCtx(ctrl.signal)) || '');
        readFilters();
        syncSlider();
        await updateLayer(def.id, entry, ctrl.signal);
        if (state.fitLayer === def.id && state.layerOn.get(def.id) === entry && Vigil.map === map) {
          state.fitLayer = '';
          const b = layerBounds(layer);
          if (b.isValid()) map.fitBounds(b.pad(0.5), { maxZoom: 8, animate: false });
        }
      };
      const off = () => {
        const entry = state.layerOn.get(def.id);
        if (entry && entry.layer) map.removeLayer(entry.layer);
        state.layerOn.delete(def.id);
        mapDiv.classList.toggle(def.id + '-on', false);
        renderAttributions();
        writeLink();
        legend.replaceChildren();
        status.textContent = '';
      };
      box.addEventListener('change', () => {
        (state.touched ||= new Set()).add(def.id);
        box.checked ? on() : off();
      });
      layerList.append(row);
      if (box.checked && !state.layerOn.has(def.id)) on();
      else if (state.layerOn.has(def.id)) {
        const entry = state.layerOn.get(def.id);
        entry.status = status;
        entry.legend = legend;
        if (def.legend) legend.replaceChildren(def.legend(layerCtx()) || '');
      }
    }
  }

  // ----- event detail -----
  // openDetail, openList and closeDetail take a turn on the panel
  // (Vigil.latest): an event or list chosen earlier whose answer comes
  // after a newer choice (or after the panel was closed) draws nothing.
  async function openDetail(id) {
    const mine = Vigil.latest(detail);
    detail.hidden = false;
    detail.replaceChildren(el('p', { class: 'loading' }, t('app.loading')));
    detail.dataset.eventId = String(id);
    let feat;
    try {
      feat = await Vigil.api('/api/v1/events/' + encodeURIComponent(id));
    } catch (e) {
      if (mine()) detail.replaceChildren(closeButton(), el('p', { class: 'error' }, Vigil.errMsg(e)));
      return;
    }
    if (!mine()) return;
    state.detail = feat;
    renderDetail(feat);
    detail.focus();
  }
  // Events of a cluster that no zoom level separates (many UCDP events share a town's coordinates).
  async function openList(c) {
    const mine = Vigil.latest(detail);
    detail.hidden = false;
    state.detail = null;
    detail.replaceChildren(el('p', { class: 'loading' }, t('app.loading')));
    const d = clusterDegrees(map.getZoom());
    const box = [Math.max(-180, c.lon - d), Math.max(-90, c.lat - d), Math.min(180, c.lon + d), Math.min(90, c.lat + d)].map((x) => Math.round(x * 1e5) / 1e5);
    let fc;
    try {
      fc = await Vigil.api('/api/v1/events', {
        query: { bbox: box.join(','), type: f.types.join(','), from: f.from, to: f.to, country: f.country, limit: 100 },
      });
    } catch (e) {
      if (mine()) detail.replaceChildren(closeButton(), el('p', { class: 'error' }, Vigil.errMsg(e)));
      return;
    }
    if (!mine()) return;
    learnCountries(fc.features || []);
    const feats = (fc.features || []).slice().sort((a, b) => String(b.properties.date_start).localeCompare(String(a.properties.date_start)));
    detail.replaceChildren(
      closeButton(),
      el('h2', { id: 'detail-title' }, t('list.title', { count: Vigil.num(feats.length) + (fc.next ? '+' : '') })),
      el('ul', { class: 'event-list' }, ...feats.map((ft) => {
        const p = ft.properties;
        return el('li', {}, el('button', { type: 'button', class: 'event-link', dataset: { eventId: String(ft.id) }, onclick: () => openDetail(ft.id) },
          `${Vigil.date(p.date_start)} · ${t('type.' + p.type)} · ${t('list.deaths', { n: Vigil.num(p.best) })}`,
          el('br'), el('small', {}, [p.location, p.conflict].filter(Boolean).join(' — '))));
      })),
    );
    detail.focus();
  }

  function closeButton() {
    return el('button', { type: 'button', class: 'close', id: 'detail-close', 'aria-label': t('detail.close'), onclick: closeDetail }, '×');
  }
  function closeDetail() {
    Vigil.latest(detail);
    detail.hidden = true;
    state.detail = null;
    mapDiv.focus();
  }
  detail.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeDetail(); });

  // Country suggestions use the source's own spelling (what the filter
  // matches), learnt from the events the user has opened or listed.
  const seenCountries = new Set();
  function learnCountries(feats) {
    let added = false;
    for (const ft of feats) {
      const p = ft.properties || {};
      for (const c of [p.country, p.country_code]) {
        if (c && !seenCountries.has(c)) { seenCountries.add(c); added = true; }
      }
    }
    if (added) countries.replaceChildren(...[...seenCountries].sort().map((n) => el('option', { value: n })));
  }

  const DETAIL_DATA = new Set(['detail.eventType', 'detail.conflict', 'detail.sideA', 'detail.sideB', 'detail.source', 'detail.notes']);
  function renderDetail(feat) {
    learnCountries([feat]);
    const p = feat.properties || feat;
    const g = feat.geometry && feat.geometry.coordinates;
    const v = (...keys) => { for (const k of keys) if (p[k] !== undefined && p[k] !== null && p[k] !== '') return p[k]; return undefined; };
    const type = v('type', 'violence', 'type_of_violence');
    const rows = [
      ['detail.type', type !== undefined ? t('type.' + type) : undefined],
      ['detail.eventType', [v('event_type'), v('sub_event_type')].filter(Boolean).join(' — ') || undefined],
      ['detail.dates', [v('date_start'), v('date_end')].filter(Boolean).filter((x, i, a) => a.indexOf(x) === i).map((d) => Vigil.date(d)).join(' → ') || undefined],
      ['detail.datePrecision', v('date_precision', 'date_prec') !== undefined ? t('prec.date.' + v('date_precision', 'date_prec')) : undefined],
      ['detail.conflict', v('conflict_name', 'conflict')],
      ['detail.sideA', v('side_a')],
      ['detail.sideB', v('side_b')],
      ['detail.fatalities', v('best') !== undefined ? t('detail.fatalitiesValue', { best: Vigil.num(v('best')), low: v('low') !== undefined ? Vigil.num(v('low')) : '?', high: v('high') !== undefined ? Vigil.num(v('high')) : '?' }) : undefined],
      ['detail.civilians', v('civilian', 'deaths_civilians') !== undefined && v('civilian', 'deaths_civilians') >= 0 ? Vigil.num(v('civilian', 'deaths_civilians')) : undefined],
      ['detail.place', [v('location', 'where'), v('admin2', 'adm_2'), (Vigil.lang === 'fr' && v('admin1_fr')) || v('admin1', 'adm_1'), (Vigil.lang === 'fr' && v('country_fr')) || v('country')].filter(Boolean).join(', ') || undefined],
      ['detail.coords', g ? `${Number(g[1]).toFixed(4)}, ${Number(g[0]).toFixed(4)}` : undefined],
      ['detail.wherePrecision', v('where_precision', 'where_prec') !== undefined ? t('prec.where.' + v('where_precision', 'where_prec')) : undefined],
      ['detail.cell', v('cell', 'grid_cell', 'priogrid_gid')],
      ['detail.source', [v('source'), v('source_id')].filter((x) => x !== undefined).join(' #') || undefined],
      ['detail.notes', v('notes')],
    ].filter(([, val]) => val !== undefined);
    const title = v('conflict_name', 'conflict', 'location') || t('detail.title');
    detail.replaceChildren(
      closeButton(),
      // The source's own names (conflicts, actors, notes) are data, not
      // the interface: not translated.
      el('h2', { id: 'detail-title', translate: 'no' }, title),
      el('dl', {}, ...rows.flatMap(([k, val]) => [el('dt', {}, t(k)), el('dd', { 'data-field': k.slice(7), translate: DETAIL_DATA.has(k) ? 'no' : undefined }, String(val))])),
      el('p', { class: 'cite' }, t('detail.cite')),
    );
  }

  // ----- wiring -----
  const offs = [];
  const checkedTypes = () => TYPES.filter((ty) => document.getElementById('type-' + ty)?.checked);
  for (const box of typeBoxes.map((l) => l.querySelector('input'))) box.addEventListener('change', () => keepOwn({ types: checkedTypes() }));
  from.addEventListener('change', () => keepOwn({ from: from.value }));
  to.addEventListener('change', () => keepOwn({ to: to.value }));
  for (const ev of ['input', 'change']) country.addEventListener(ev, () => keepOwn({ country: country.value.trim() }));
  for (const input of [...typeBoxes.map((l) => l.querySelector('input')), from, to]) input.addEventListener('change', () => schedule(50));
  country.addEventListener('input', () => schedule(500));
  country.addEventListener('change', () => schedule(50));
  document.getElementById('filters').addEventListener('reset', () => {
    f.month = '';
    state.sliderTouched = false;
    setTimeout(() => {
      if (state.closed) return;
      // the filters as the reset left them
      keepOwn({ types: checkedTypes(), from: from.value, to: to.value, country: country.value.trim(), month: '' });
      schedule(0);
    }, 0);
  });
  map.on('moveend', () => schedule(150));
  offs.push(Vigil.on('lang', () => {
    Vigil.translate(root);
    renderAttributions();
    renderLayers();
    syncSlider();
    readFilters();
    const n = Number(summary.dataset.events || 0), d = Number(summary.dataset.deaths || 0);
    if (summary.dataset.events !== undefined) {
      summary.textContent = f.types.length === 0 ? t('summary.noType') : t('summary.text', { events: Vigil.num(n), deaths: Vigil.num(d) });
      fitSummary();
    }
    if (state.detail && !detail.hidden) renderDetail(state.detail);
    refresh(true);
  }));
  offs.push(Vigil.on('layers', renderLayers));
  offs.push(Vigil.on('reconnect', () => refresh(true)));
  offs.push(Vigil.on('events-imported', () => refresh(true))); // admin.js: an event file was imported

  // Only when the month matters (a layer is switched on or the slider used):
  // about 21 small requests, which a satellite link should not pay for nothing.
  let extentAsked = false;
  function ensureExtent() {
    if (extentAsked) return;
    extentAsked = true;
    findExtent().then((x) => {
      if (state.closed) return;
      state.extentKnown = true; // none when the store holds no event: the slider ends at this month
      if (!x) { syncSlider(); return; }
      state.extent = x;
      const before = f.month;
      if (!state.sliderTouched) f.month = ''; // start on the latest month with data
      syncSlider();
      if (f.month !== before && state.layerOn.size > 0) schedule(0, false);
    }).catch(() => { extentAsked = false; });
  }
  slider.addEventListener('focus', ensureExtent);

  renderLayers();
  readFilters();
  syncSlider();
  refresh(true);

  return () => {
    state.closed = true;
    if (summarySized) summarySized.disconnect();
    offs.forEach((off) => off());
    clearTimeout(state.timer);
    clearInterval(state.play);
    if (state.ctrl) state.ctrl.abort();
    map.remove();
    Vigil.map = null;
    state.layerOn.clear();
    renderAttributions();
  };
}
