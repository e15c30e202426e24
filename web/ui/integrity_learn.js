// Information integrity, learning from analysts: the progress of
// re-matching stored items after a lexicon change (shown on the lexicon
// tab). Imported by integrity.js; registers nothing itself.
import { Vigil } from './core/vigil.js';

const el = (...a) => Vigil.el(...a);
const t = (k, v) => Vigil.t(k, v);

/** A status line that follows a background pass at url until it ends; key prefix names the strings. */
export function passStatus(url, prefix, id) {
  const line = el('p', { id, class: 'hint', role: 'status', 'aria-live': 'polite' });
  const poll = async () => {
    if (!line.isConnected && line.dataset.polled) return; // the page moved on
    line.dataset.polled = '1';
    try {
      const p = await Vigil.api(url);
      if (p.running) {
        line.textContent = t(prefix + '.running', { done: Vigil.num(p.done), total: Vigil.num(p.total) });
        setTimeout(poll, 1500);
      } else if (p.error) {
        line.textContent = t(prefix + '.failed', { error: p.error });
      } else if (p.finished) {
        line.textContent = t(prefix + '.done', { done: Vigil.num(p.done), changed: Vigil.num(p.changed) });
      }
    } catch (e) {
      line.textContent = e.message;
    }
  };
  setTimeout(poll, 0);
  return line;
}

/** An item's place with its first-level area and, when the gazetteer located a name, how sure it was. */
export function placeText(it) {
  const parts = [it.admin1, it.place_confidence !== undefined && it.place_confidence !== null
    ? t('integrity.place.confidence', { pct: `${Math.round(it.place_confidence * 100)} %` }) : ''].filter(Boolean);
  return parts.length ? `${it.place} (${parts.join(', ')})` : it.place;
}

/** "Where it matters" summed by first-level administrative area (from the gazetteer). */
export function admin1Table(rows) {
  const country = (a) => (Vigil.lang === 'fr' ? a.country_name_fr : a.country_name) || a.country || '—';
  if (!rows.length) return el('p', { class: 'muted', id: 'integrity-where-admin1' }, t('integrity.admin1.none'));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'full', id: 'integrity-where-admin1' },
    el('caption', {}, t('integrity.admin1.caption', { n: Vigil.num(rows.length) })),
    el('thead', {}, el('tr', {}, ...[['admin1', false], ['country', false], ['cells', true], ['items', true], ['harmful', true], ['alerts', true]].map(([k, num]) =>
      el('th', { scope: 'col', class: num ? 'num' : undefined }, t('integrity.admin1.col.' + k))))),
    el('tbody', {}, ...rows.map((a) => el('tr', {}, el('th', { scope: 'row' }, a.admin1), el('td', {}, country(a)),
      el('td', { class: 'num' }, Vigil.num(a.cells)), el('td', { class: 'num' }, Vigil.num(a.items)),
      el('td', { class: 'num' }, Vigil.num(a.harmful)), el('td', { class: 'num' }, Vigil.num(a.alert_cells)))))));
}
