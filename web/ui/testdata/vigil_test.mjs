// Unit tests of web/ui/core/vigil.js's words (Vigil.duration, Vigil.errText)
// with the shipped dictionaries, run by TestVigilJS (go test ./web/ui, textnode_test.go) with
// node's test runner: node --test web/ui/testdata/vigil_test.mjs. The
// browser's globals vigil.js reaches for on loading are stubbed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieWrites, stored } from './browser_stubs.mjs';

const { Vigil, ApiError } = await import('../core/vigil.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };
const nb = (s) => s.replace(/[\u00a0\u202f]/g, ' '); // French spaces as plain ones, to compare

test('duration: seconds, minutes, hours, then days and hours from 48 h', () => {
  const H = 3600, D = 24 * H;
  const cases = [
    [45, '45 s', '45 s'],
    [12 * 60, '12 min', '12 min'],
    [H + 6 * 60, '1 h 6 min', '1 h 6 min'],
    [3 * H, '3 h', '3 h'],
    [47 * H + 59 * 60, '47 h 59 min', '47 h 59 min'],
    [48 * H, '2 d', '2 j'],
    [160 * H + 34 * 60, '6 d 17 h', '6 j 17 h'], // the walk's « tri en retard de 160 h 34 min »: to the nearest hour
    [210 * H + 46 * 60, '8 d 19 h', '8 j 19 h'], // 210 h 46 min
    [3 * D + 23 * H + 31 * 60, '4 d', '4 j'], // 95 h 31 min rounds up to 96 h
    [-(160 * H + 34 * 60), '−6 d 17 h', '−6 j 17 h'],
  ];
  for (const [sec, en, fr] of cases) {
    assert.equal(nb(inLang('en', () => Vigil.duration(sec))), en, `en ${sec}`);
    assert.equal(nb(inLang('fr', () => Vigil.duration(sec))), fr, `fr ${sec}`);
  }
});

test('errText: a refusal naming an API field says the field in the page language', () => {
  // What the server sends for apperr.Invalid("message", "is empty") keyed (refusal.field).
  const empty = (field) => new ApiError(400, `${field}: is empty`, field, 'refusal.field', { 0: field, 1: 'is empty', '1.key': 'refusal.empty' });
  assert.equal(nb(inLang('fr', () => Vigil.errText(empty('message')))), 'Message : est vide');
  assert.equal(inLang('en', () => Vigil.errText(empty('message'))), 'Message: is empty');
  assert.equal(nb(inLang('fr', () => Vigil.errText(empty('phone')))), 'Numéro de téléphone : est vide');
  // A field no dictionary names is said as sent.
  assert.equal(nb(inLang('fr', () => Vigil.errText(empty('zz_unknown')))), 'zz_unknown : est vide');
  // An unkeyed message that is a whole sentence is not prefixed with the raw field name.
  const whole = new ApiError(400, 'The zz_field is empty or too long.', 'zz_field');
  assert.equal(inLang('fr', () => Vigil.errText(whole)), 'The zz_field is empty or too long.');
  // A short unkeyed message is prefixed with the field's label when there is one, else with the field as sent.
  const short = new ApiError(400, 'too long', 'message');
  assert.equal(nb(inLang('fr', () => Vigil.errText(short))), 'Message : too long');
  assert.equal(inLang('en', () => Vigil.errText(new ApiError(400, 'too long', 'zz_unknown'))), 'zz_unknown: too long');
});

test('keepLang: the login page\'s language cookie is written when the language changes, not on every load', async () => {
  const prefWrites = () => cookieWrites.filter((c) => c.startsWith('vigil_lang_pref='));
  cookieWrites.length = 0;
  await Vigil.setLang('en'); // as written when the tests loaded
  assert.deepEqual(prefWrites(), []);
  await Vigil.setLang('fr');
  assert.equal(prefWrites().length, 1);
  assert.match(prefWrites()[0], /^vigil_lang_pref=fr; Max-Age=31536000; Path=\/login; SameSite=Strict/);
  await Vigil.setLang('fr');
  await Vigil.setLang('fr');
  assert.equal(prefWrites().length, 1);
  // Written 30 days ago or more: written again, so that its year never lapses.
  stored.set('vigil.langPref', `fr ${Math.floor(Date.now() / 864e5) - 30}`);
  await Vigil.setLang('fr');
  assert.equal(prefWrites().length, 2);
  await Vigil.setLang('en');
  assert.equal(prefWrites().length, 3);
  assert.match(prefWrites()[2], /^vigil_lang_pref=en;/);
});

test('verify.sendersLine: nobody is said in words, and every count agrees with its number', () => {
  // The check page's tipline senders (verify.js): « 0 personne a envoyé… »
  // was shown when nobody had sent the rumour.
  const line = (lang, n, sent) => nb(inLang(lang, () => Vigil.t('verify.sendersLine', { n: Vigil.num(n), sent: Vigil.num(sent) })));
  const cases = [
    [0, 0, 'Nobody sent this rumour to a tipline; publishing sends no replies.',
      'Personne n’a envoyé cette rumeur à une ligne de signalement ; la publication n’envoie aucune réponse.'],
    [1, 0, '1 person sent this rumour to a tipline; none answered yet',
      '1 personne a envoyé cette rumeur à une ligne de signalement ; personne n’a encore reçu la réponse'],
    [1, 1, '1 person sent this rumour to a tipline; 1 answered',
      '1 personne a envoyé cette rumeur à une ligne de signalement ; 1 a reçu la réponse'],
    [2, 1, '2 people sent this rumour to a tipline; 1 answered',
      '2 personnes ont envoyé cette rumeur à une ligne de signalement ; 1 a reçu la réponse'],
    [3, 2, '3 people sent this rumour to a tipline; 2 answered',
      '3 personnes ont envoyé cette rumeur à une ligne de signalement ; 2 ont reçu la réponse'],
  ];
  for (const [n, sent, en, fr] of cases) {
    assert.equal(line('en', n, sent), en, `en ${n}/${sent}`);
    assert.equal(line('fr', n, sent), fr, `fr ${n}/${sent}`);
  }
});
