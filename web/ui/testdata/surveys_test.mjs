// Unit tests of web/ui/surveys.js's "who is unheard" words: the
// interlocutors' dimensions in interlocutor words and the dissimilarity
// indices separated as each language does, with the shipped dictionaries,
// run by TestSurveysJS (go test ./web/ui, textnode_test.go) with node's
// test runner. The browser's globals are stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const { listSep } = await import('../core/text.js');
const { unheardDim, indexParts, serverText } = await import('../surveys.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };

test('unheardDim: the interlocutors are not called respondents', () => {
  for (const [lang, want] of [['en', 'Sex of the interlocutor'], ['fr', 'Sexe de l’interlocuteur']]) {
    assert.equal(inLang(lang, () => unheardDim('sex', 'interlocutors')), want, lang);
    assert.doesNotMatch(inLang(lang, () => unheardDim('sex', 'interlocutors')), /respond|répond/i, lang);
  }
  // the respondents keep the form's label (here none: the field's name)
  assert.equal(unheardDim('sex', 'respondents'), 'sex');
  assert.equal(inLang('fr', () => unheardDim('region', 'interlocutors')), 'Région');
  // a warning about the interlocutor log names its dimension likewise
  assert.match(serverText('sex=other: 3 interlocutors but not in the population margins'), /^Sex of the interlocutor: other: 3 interlocutors met/);
});

test('indexParts joined by listSep: no space before « ; » in English, a narrow no-break space in French', () => {
  const index = [{ dim: 'sex', index: 0.1449 }, { dim: 'region', index: 0.2203 }];
  const line = (lang) => inLang(lang, () => indexParts(index, 'interlocutors').join(listSep(lang)));
  assert.equal(line('en'), 'Sex of the interlocutor: 0.14; Region: 0.22');
  assert.equal(line('fr'), 'Sexe de l’interlocuteur\u00a0: 0,14\u202f; Région\u00a0: 0,22');
  assert.deepEqual(indexParts(undefined, 'respondents'), []);
});
