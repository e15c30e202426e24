// Unit tests of web/ui/coverage.js's reading of the coverage layer's
// answer (layerFeatures), run by TestCoverageJS (go test ./web/ui,
// textnode_test.go) with node's test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { layerFeatures } = await import('../coverage.js');

// A cell's square as the server writes it (coverage/answers.go layerAnswer).
const square = (w, s) => ({ type: 'Polygon', coordinates: [[[w, s], [w + 0.5, s], [w + 0.5, s + 0.5], [w, s + 0.5], [w, s]]] });

test('layerFeatures: the quiet cells rebuilt as the features they were, under the coloured ones', () => {
  const atRisk = { type: 'Feature', id: 136481, geometry: square(20, 4.5),
    properties: { cell: 136481, country: 'Central African Republic', month: '2018-12', covered: false, sites: 0, personnel: 0, risk: 7, uncovered_risk: 7, reason: 'too far', nearest_km: 61.5, nearest_site: 'bangui', gap_score: 7 } };
  const fc = {
    type: 'FeatureCollection', month: '2018-12', risk_is_forecast: false, features: [atRisk],
    quiet: {
      cells: [136480, 137520, 720], country: [0, 1, 0], countries: [['Central African Republic', 'République centrafricaine'], ['Atlantis', '']],
      place: [0, -1, 0], places: [['near Bimbo', 'près de Bimbo']], reason: [0, 1, 1], reasons: ['too far', 'no site'],
      nearest_km: [80.2, 0, 0], nearest_site: [0, -1, -1], site_ids: ['bangui'], population: [250, 0, 0],
    },
  };
  const quiet = (cell, geometry, p) => ({ type: 'Feature', id: cell, geometry,
    properties: { cell, month: '2018-12', covered: false, sites: 0, personnel: 0, risk: 0, uncovered_risk: 0, ...p } });
  assert.deepEqual(layerFeatures(fc), [
    quiet(136480, square(19.5, 4.5), { country: 'Central African Republic', country_fr: 'République centrafricaine', reason: 'too far', nearest_km: 80.2, nearest_site: 'bangui', population: 250,
      place: { label: 'near Bimbo', label_fr: 'près de Bimbo' } }),
    quiet(137520, square(179.5, 5), { country: 'Atlantis', reason: 'no site' }),
    quiet(720, square(179.5, -90), { country: 'Central African Republic', country_fr: 'République centrafricaine', reason: 'no site', place: { label: 'near Bimbo', label_fr: 'près de Bimbo' } }),
    atRisk,
  ]);
});

test('layerFeatures: an answer without quiet cells is its features', () => {
  const f = { type: 'Feature', id: 1, geometry: square(-180, -90), properties: { cell: 1 } };
  assert.deepEqual(layerFeatures({ features: [f] }), [f]);
  assert.deepEqual(layerFeatures({ features: [f], quiet: { cells: [], country: [], countries: [], place: [], places: [], reason: [], reasons: [], nearest_km: [], nearest_site: [], site_ids: [] } }), [f]);
});

test('scenarioName: a saved scenario named without its raw month (the month is said once, in words, beside it)', async () => {
  const { scenarioName } = await import('../core/text.js');
  for (const [s, lang, want] of [
    [{ name: 'DEMO: a temporary base near Bria (vehicle patrols), 2018-12', name_fr: 'DEMO : une base près de Bria (patrouilles en véhicule), 2018-12', month: '2018-12' }, 'en', 'DEMO: a temporary base near Bria (vehicle patrols)'],
    [{ name: 'DEMO: a temporary base near Bria (vehicle patrols), 2018-12', name_fr: 'DEMO : une base près de Bria (patrouilles en véhicule), 2018-12', month: '2018-12' }, 'fr', 'DEMO : une base près de Bria (patrouilles en véhicule)'],
    [{ name: 'Tried TOB 2018-12', month: '2018-12' }, 'fr', 'Tried TOB'],
    [{ name: 'Plan for 2018-12 review', month: '2018-12' }, 'en', 'Plan for 2018-12 review'],
    [{ name: 'Bria, 2019-01', month: '2018-12' }, 'en', 'Bria, 2019-01'],
    [{ name: '2018-12', month: '2018-12' }, 'en', '2018-12'],
  ]) assert.equal(scenarioName(s, lang), want, `${lang} ${s.name}`);
});
