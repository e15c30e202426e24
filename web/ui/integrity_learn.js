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
