// Unit tests of web/ui/performance.js's withdrawal watch words (the risk
// column saying its source once, the alert column's words agreeing with
// their noun), with the shipped dictionaries, run by TestPerformanceJS
// (go test ./web/ui, textnode_test.go) with node's test runner. The
// browser's globals are stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const { watchRisk } = await import('../performance.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };

test('watchRisk: one source is said once, in the header; mixed sources on each row', () => {
  const decay = [{ risk: 0.123, risk_source: 'exp-decay' }, { risk: 0.5, risk_source: 'exp-decay' }];
  for (const [lang, head, cells] of [
    ['en', 'Forecast risk (exponential-decay model, events before)', ['12.3%', '50%']],
    ['fr', 'Risque prévu (modèle à décroissance exponentielle, événements antérieurs)', ['12,3 %', '50 %']],
  ]) {
    const r = inLang(lang, () => watchRisk(decay));
    assert.equal(r.head, head, lang);
    assert.equal(r.num, true, lang);
    assert.deepEqual(r.cells.map((s) => s.replace(/[\u202f\u00a0]/g, ' ')), cells, lang);
  }
  const mixed = inLang('fr', () => watchRisk([{ risk: 0.1, risk_source: 'exp-decay' }, { risk: 0.2, risk_source: 'forecast' }]));
  assert.equal(mixed.head, 'Risque prévu (source)');
  assert.equal(mixed.num, false);
  assert.deepEqual(mixed.cells.map((s) => s.replace(/[\u202f\u00a0]/g, ' ')), ['10 % (modèle à décroissance exponentielle, événements antérieurs)', '20 % (prévision enregistrée)']);
});

test('the watch’s alert column: its words agree with its noun (« Alerte » … « non déclenchée »)', () => {
  assert.equal(inLang('fr', () => Vigil.t('perf.col.trigger')), 'Alerte');
  assert.equal(inLang('fr', () => Vigil.t('perf.notFired')), 'non déclenchée');
  assert.equal(inLang('en', () => Vigil.t('perf.col.trigger')), 'Alert');
});
