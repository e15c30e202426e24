// Unit tests of web/ui/integrity_learn.js's place words: a first-level
// area in the page's language (admin1_fr, « zone d’Abyei »), with the
// shipped dictionaries, run by TestIntegrityJS (go test ./web/ui,
// textnode_test.go) with node's test runner. The browser's globals are
// stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const { admin1Text, admin1Title, placeText } = await import('../integrity_learn.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };

test('admin1Text and placeText: the French name where the API sends one, the gazetteer’s otherwise', () => {
  const abyei = { place: 'Abyei', admin1: 'Abyei Area', admin1_fr: 'zone d’Abyei', place_confidence: 1 };
  const bunia = { place: 'Bunia', admin1: 'Ituri' };
  for (const [lang, a, b, line] of [
    ['en', 'Abyei Area', 'Ituri', /^Abyei \(Abyei Area, /],
    ['fr', 'zone d’Abyei', 'Ituri', /^Abyei \(zone d’Abyei, /],
  ]) {
    assert.equal(inLang(lang, () => admin1Text(abyei)), a, lang);
    assert.equal(inLang(lang, () => admin1Text(bunia)), b, lang);
    assert.match(inLang(lang, () => placeText(abyei)), line, lang);
    assert.equal(inLang(lang, () => placeText(bunia)), 'Bunia (Ituri)', lang);
    // starting a row or a tooltip, with a capital
    assert.equal(inLang(lang, () => admin1Title(abyei)), a[0].toUpperCase() + a.slice(1), lang);
  }
});

test('cellPlace: a "where it matters" row names its place with its area, never its cell number', async () => {
  const { cellPlace } = await import('../integrity_learn.js');
  const areas = [{ admin1: 'Abyei Area', admin1_fr: 'zone d’Abyei' }];
  const mog = { cell: 132931, places: [{ value: 'Mogadishu', n: 3 }], admin1: [{ value: 'Banaadir', n: 3 }] };
  const abyei = { cell: 99, places: [{ value: 'Abyei', n: 1 }], admin1: [{ value: 'Abyei Area', n: 1 }] };
  const near = { cell: 127139, places: [], near: { label: 'near Djugu, Ituri (DR Congo)', label_fr: 'près de Djugu, Ituri (RD Congo)' } };
  const nothing = { cell: 5, places: [] };
  for (const [lang, m, a, n, none] of [
    ['en', 'Mogadishu, Banaadir', 'Abyei, Abyei Area', 'near Djugu, Ituri (DR Congo)', 'No named place nearby'],
    ['fr', 'Mogadishu, Banaadir', 'Abyei, zone d’Abyei', 'près de Djugu, Ituri (RD Congo)', 'Aucun lieu nommé à proximité'],
  ]) {
    assert.equal(inLang(lang, () => cellPlace(mog, areas)), m, lang);
    assert.equal(inLang(lang, () => cellPlace(abyei, areas)), a, lang);
    assert.equal(inLang(lang, () => cellPlace(near, areas)), n, lang);
    assert.equal(inLang(lang, () => cellPlace(nothing, areas)), none, lang);
    // the area not said twice when it is the place's own name
    assert.equal(inLang(lang, () => cellPlace({ cell: 1, places: [{ value: 'Banaadir', n: 1 }], admin1: [{ value: 'Banaadir', n: 1 }] }, areas)), 'Banaadir', lang);
  }
});
