// Information integrity, learning from analysts: the progress of
// re-matching stored items after a lexicon change (shown on the lexicon
// tab). Imported by integrity.js; registers nothing itself.
import { Vigil } from './core/vigil.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);
/** A server's refusal: in the page's language when it comes as a message of the dictionary, else as the server wrote it (Vigil.errMsg). */
export const errMsg = (e) => Vigil.errMsg(e);

/**
 * A title cut to about n characters at a word's end, marked "…" when cut
 * (a narrative's sample in a select or a heading: "… en droits. Ils son"
 * was cut inside a word, unmarked).
 */
export function clipWords(s, n) {
  const str = String(s || '');
  if (str.length <= n) return str;
  let cut = str.slice(0, n - 1);
  const sp = cut.lastIndexOf(' ');
  if (sp >= n / 2) cut = cut.slice(0, sp);
  return cut.replace(/[\s,;:.\-–—]+$/u, '') + '…';
}

/**
 * A status line that follows a background pass at url until it ends; key
 * prefix names the strings. It resolves once the line says the pass's
 * state, so that a panel is drawn with it: a line filled after the panel
 * was shown pushed what is under it down (the lexicon's starter button by
 * 59 px) while a user's click was on its way.
 */
export async function passStatus(url, prefix, id) {
  const line = el('p', { id, class: 'hint', role: 'status', 'aria-live': 'polite' });
  const poll = async () => {
    if (line.isConnected) line.dataset.shown = '1';
    else if (line.dataset.shown) return; // the page moved on
    try {
      const p = await Vigil.api(url);
      if (p.running) {
        line.textContent = t(prefix + '.running', { done: Vigil.num(p.done), total: Vigil.num(p.total) });
        setTimeout(poll, 1500);
      } else if (p.error) {
        line.textContent = t(prefix + '.failed', { error: Vigil.errText({ message: p.error, key: p.key, args: p.args }) });
      } else if (p.finished) {
        line.textContent = t(prefix + '.done', { done: Vigil.num(p.done), changed: Vigil.num(p.changed) });
      }
    } catch (e) {
      line.textContent = errMsg(e);
    }
  };
  await poll();
  return line;
}

/** A first-level area (an item, a where or brief row) by its name in the page's language: admin1_fr, sent only where it differs (« zone d’Abyei »), in French; else the gazetteer's. */
export const admin1Text = (a) => (Vigil.lang === 'fr' && a.admin1_fr) || a.admin1;
/** admin1Text starting a table row or a tooltip: with a capital (« Zone d’Abyei »; within a phrase, « zone d’Abyei »). */
export const admin1Title = (a) => { const s = admin1Text(a) || ''; return s.charAt(0).toUpperCase() + s.slice(1); };

/** An item's place with its first-level area and, when the gazetteer located a name, how sure it was. */
export function placeText(it) {
  const parts = [admin1Text(it), it.place_confidence !== undefined && it.place_confidence !== null
    ? t('integrity.place.confidence', { pct: Vigil.percent(Math.round(it.place_confidence * 100)) }) : ''].filter(Boolean);
  return parts.length ? `${it.place} (${parts.join(', ')})` : it.place;
}

/** The country of a first-level area (a where or brief row) by its name in the page's language, else its code, else '—'. */
export const countryName = (a) => (Vigil.lang === 'fr' ? a.country_name_fr : a.country_name) || a.country || '—';

/** "Where it matters" summed by first-level administrative area (from the gazetteer). */
export function admin1Table(rows) {
  if (!rows.length) return el('p', { class: 'muted', id: 'integrity-where-admin1' }, t('integrity.admin1.none'));
  return Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-where-admin1' },
    el('caption', {}, t('integrity.admin1.caption', { n: Vigil.num(rows.length) })),
    el('thead', {}, el('tr', {}, ...[['admin1', false], ['country', false], ['cells', true], ['items', true], ['harmful', true], ['alerts', true]].map(([k, num]) =>
      el('th', { scope: 'col', class: num ? 'num' : undefined }, t('integrity.admin1.col.' + k))))),
    el('tbody', {}, ...rows.map((a) => el('tr', {}, el('th', { scope: 'row' }, admin1Title(a)), el('td', {}, countryName(a)),
      el('td', { class: 'num' }, Vigil.num(a.cells)), el('td', { class: 'num' }, Vigil.num(a.items)),
      el('td', { class: 'num' }, Vigil.num(a.harmful)), el('td', { class: 'num' }, Vigil.num(a.alert_cells)))))));
}

/** An analyst's label of an item (harmful / not harmful, and the class of harm), saved at once; labels train the classifier's next version. */
export function labelForm(it, onLabelled) {
  const sel = `integrity-label-${it.id}`;
  const cls = `integrity-label-class-${it.id}`;
  const out = el('span', { class: 'muted', role: 'status' });
  const pick = el('select', { id: sel, name: 'label' },
    ...['', 'harmful', 'normal'].map((v) => el('option', { value: v, selected: (it.labelled || '') === v }, t('integrity.label.' + (v || 'none')))));
  const classIn = el('input', { id: cls, name: 'class', maxlength: '100', value: it.label_class || '', placeholder: t('integrity.label.classHint') });
  // One row under the item (integrity.css): each label beside its field.
  return el('form', { class: 'integrity-label', dataset: { item: String(it.id) }, onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await Vigil.api('/api/v1/integrity/labels', { json: { item: it.id, label: pick.value, class: pick.value === 'harmful' ? classIn.value : '' } });
      out.textContent = r.labelled ? t('integrity.label.saved', { label: t('integrity.label.' + r.labelled) }) : t('integrity.label.removed');
      if (onLabelled) onLabelled(r); // the item's badge and its narrative's count, from the answer
    } catch (e) { out.textContent = errMsg(e); }
  } },
  el('label', { for: sel }, t('integrity.label.title')), pick,
  el('label', { for: cls }, t('integrity.label.class')), classIn,
  el('button', { type: 'submit' }, t('integrity.label.save')), out);
}

/** The model a version was compared with, as the server names it ("built-in", "model 3"), in the page's words. */
const baseName = (b) => {
  if (b === 'built-in') return t('integrity.model.builtin');
  const m = /^model (\d+)$/.exec(b || '');
  return m ? t('integrity.model.version', { id: m[1] }) : b;
};

/** A macro-F1 (0 to 1) to three decimals, with the page's decimal sign (1,000 in French). */
const f1 = (x) => {
  if (x === undefined || x === null) return '—';
  const s = Number(x).toFixed(3);
  return Vigil.lang === 'fr' ? s.replace('.', ',') : s;
};

/** The Classifier tab: labels so far, retraining, the trained versions with their held-out macro-F1 beside the model in use, and activation. */
export async function renderModels(box) {
  const analyst = Vigil.can('analyst');
  box.replaceChildren(el('p', {}, t('integrity.loading')));
  const reload = () => renderModels(box);
  try {
    const [l, rescore] = await Promise.all([Vigil.api('/api/v1/integrity/models'), passStatus('/api/v1/integrity/models/rescore', 'integrity.rescore', 'integrity-rescore')]);
    const parts = [el('p', { class: 'hint' }, t('integrity.model.intro')),
      el('p', { id: 'integrity-model-labels' }, t('integrity.model.labels', { harmful: Vigil.num(l.harmful), normal: Vigil.num(l.normal), need: Vigil.num(l.need) })),
      el('p', { id: 'integrity-model-active' }, l.active ? t('integrity.model.activeIs', { id: l.active }) : t('integrity.model.builtinActive'))];
    const tr = l.training || {};
    if (tr.running) {
      parts.push(el('p', { class: 'notice', role: 'status' }, t('integrity.model.training')));
      setTimeout(() => { if (box.isConnected) reload(); }, 3000);
    } else if (tr.error) {
      parts.push(el('p', { class: 'notice error', role: 'alert' }, t('integrity.model.trainFailed', { error: Vigil.errText({ message: tr.error, key: tr.key, args: tr.args }) })));
    }
    if (analyst) {
      // Who can make retraining possible: the server's administrator (the command is theirs to run).
      if (!l.can_train) parts.push(el('p', { class: 'notice' }, t(Vigil.can('admin') ? 'integrity.model.noDataAdmin' : 'integrity.model.noData')));
      parts.push(el('div', { class: 'btn-row' }, el('button', { type: 'button', id: 'integrity-train', disabled: !l.can_train || tr.running, onclick: async () => {
        try {
          await Vigil.api('/api/v1/integrity/models/train', { method: 'POST' });
          reload();
        } catch (e) { Vigil.notify(errMsg(e)); }
      } }, t('integrity.model.train'))));
    }
    parts.push(rescore);
    if (!l.models.length) {
      parts.push(el('p', { class: 'muted' }, t('integrity.model.none')));
    } else {
      const activate = (id) => async () => {
        try {
          await Vigil.api('/api/v1/integrity/models/activate', { json: { model: id } });
          reload();
        } catch (e) { Vigil.notify(errMsg(e)); }
      };
      // Its frame scrolls on narrow screens: a tab stop then, named by its caption (Vigil.scrollTable), so a keyboard can scroll it.
      parts.push(Vigil.scrollTable(el('table', { class: 'full', id: 'integrity-models' },
        el('caption', {}, t('integrity.model.caption')),
        el('thead', {}, el('tr', {}, ...[['version', false], ['created', false], ['trained', true], ['heldOut', true], ['f1', true], ['baseF1', true], ['state', false]].map(([k, num]) =>
          el('th', { scope: 'col', class: num ? 'num' : undefined }, t('integrity.model.col.' + k))))),
        el('tbody', {}, ...l.models.map((m) => el('tr', { dataset: { model: String(m.id) } },
          el('th', { scope: 'row' }, t('integrity.model.version', { id: m.id })),
          el('td', {}, `${Vigil.dateTime(m.created)} · ${m.actor}`),
          el('td', { class: 'num' }, t('integrity.model.trainedOn', { examples: Vigil.num(m.examples), labels: Vigil.num(m.labels) })),
          el('td', { class: 'num' }, Vigil.num(m.held_out)),
          el('td', { class: 'num' }, f1(m.macro_f1)),
          el('td', { class: 'num' }, `${f1(m.base_f1)} (${baseName(m.base)})`),
          el('td', {}, m.active ? el('span', { class: 'badge ok' }, t('integrity.model.active'))
            : analyst ? el('button', { type: 'button', class: 'linklike', 'aria-label': t('integrity.model.activateN', { id: m.id }), onclick: activate(m.id) }, t('integrity.model.activate')) : '')))))));
      if (analyst && l.active) {
        parts.push(el('div', { class: 'btn-row' }, el('button', { type: 'button', id: 'integrity-use-builtin', onclick: activate(0) }, t('integrity.model.useBuiltin'))));
      }
    }
    box.replaceChildren(...parts);
  } catch (e) {
    box.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, errMsg(e)));
  }
}

/** The gazetteer's place nearest a cell's centre, in the page's language (« près de Djugu, Ituri (RD Congo) »), or ''. */
export const nearLabel = (c) => (c.near && c.near.label ? (Vigil.lang === 'fr' && c.near.label_fr) || c.near.label : '');

/**
 * A "where it matters" row's place, never its cell number: the items'
 * places with their most common first-level area (« Mogadishu, Banaadir »,
 * named as areas names it), else the gazetteer's place near the cell's
 * centre (« près de Djugu, Ituri (RD Congo) »), else a word saying none is
 * near. The country has its own column; the cell stays in data-cell.
 */
export function cellPlace(c, areas = []) {
  const near = nearLabel(c);
  if (!(c.places && c.places.length)) return near || t('integrity.where.noPlace');
  const places = c.places.map((p) => p.value).slice(0, 3);
  const top = (c.admin1 || [])[0];
  if (!top || places.includes(top.value)) return places.join(', ');
  const named = areas.find((a) => a.admin1 === top.value);
  return [...places, named ? admin1Text(named) : top.value].join(', ');
}

/** A cell's first-level administrative areas (from the gazetteer), named as areas (the where report's admin1 rows) names them, for the map popup; '' when none is known. */
export function admin1Line(c, areas = []) {
  const named = new Map(areas.map((a) => [a.admin1, admin1Text(a)]));
  const as = (c.admin1 || []).map((a) => `${named.get(a.value) || a.value} (${Vigil.num(a.n)})`).join(', ');
  return as ? el('p', { class: 'muted' }, t('integrity.admin1.cell', { areas: as })) : '';
}
