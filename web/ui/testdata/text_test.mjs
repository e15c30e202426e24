// Unit tests of web/ui/core/text.js, run by TestTextJS (go test ./web/ui)
// with node's test runner: node --test web/ui/testdata/text_test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerTexts, broadcastField, broadcastRequest, contactChanges, contactRequest, csvCell, fill, frenchIn, guillemets, listSep, parseGoDuration, replaceDurations, unquoted } from '../core/text.js';

test('parseGoDuration reads what Go writes and reads', () => {
  const cases = [
    ['1h30m', 5400], ['45s', 45], ['2h0m0s', 7200], ['45m10s', 2710], ['1.5s', 1.5], ['300ms', 0.3],
    ['1h0m0.5s', 3600.5], ['0s', 0], ['0', 0], ['-5m', -300], ['+2h', 7200], ['1m30s', 90], ['.5h', 1800],
    ['90s', 90], ['1µs', 1e-6], ['2us', 2e-6], ['10ns', 1e-8], ['  3m  ', 180],
  ];
  for (const [s, want] of cases) {
    const got = parseGoDuration(s);
    assert.ok(got !== null && Math.abs(got - want) < 1e-9, `${JSON.stringify(s)}: ${got}, want ${want}`);
  }
});

test('parseGoDuration refuses what is not a duration', () => {
  for (const s of ['', ' ', '-', '5', '1990', 'h', '1h 30m', '1x', '1d', '1.2.3s', 's5', '1990s in Mali', null, undefined, '--1s', '1hh']) {
    assert.equal(parseGoDuration(s), null, JSON.stringify(s));
  }
});

test('replaceDurations: a whole text, or tokens of two units in a sentence', () => {
  const say = (sec) => `<${sec}>`;
  const cases = [
    ['45s', '<45>'],
    ['2h0m0s', '<7200>'],
    ['took 45m10s, then 1h2m3s', 'took <2710>, then <3723>'],
    ['in the 1990s', 'in the 1990s'], // one unit in a sentence: not a duration
    ['waited 45s', 'waited 45s'],
    ['1990', '1990'], // a bare number is not a duration
    ['', ''],
    ['v1h2m3s or 1h2m3sx', 'v1h2m3s or 1h2m3sx'], // not a word of its own
    ['rotated key 2 after 3m0.25s.', 'rotated key 2 after <180.25>.'],
  ];
  for (const [text, want] of cases) assert.equal(replaceDurations(text, say), want, JSON.stringify(text));
});

test('fill: placeholders and plurals in English and French', () => {
  const en = '{n, plural, one {# item was} other {# items were}} scored harmful in {place}';
  const fr = '{n, plural, one {# contenu jugé nuisible} other {# contenus jugés nuisibles}} à {place}';
  const num = (n) => new Intl.NumberFormat('fr-FR').format(n);
  const cases = [
    [en, { n: 1, place: 'Bunia' }, 'en', String, '1 item was scored harmful in Bunia'],
    [en, { n: 0, place: 'Bunia' }, 'en', String, '0 items were scored harmful in Bunia'],
    [en, { n: 2, place: 'Bunia' }, 'en', String, '2 items were scored harmful in Bunia'],
    [fr, { n: 0, place: 'Bunia' }, 'fr', num, '0 contenu jugé nuisible à Bunia'], // French: 0 and 1 are singular
    [fr, { n: 1, place: 'Bunia' }, 'fr', num, '1 contenu jugé nuisible à Bunia'],
    [fr, { n: 1.5, place: 'Bunia' }, 'fr', num, '1,5 contenu jugé nuisible à Bunia'],
    [fr, { n: 2, place: 'Bunia' }, 'fr', num, '2 contenus jugés nuisibles à Bunia'],
    [fr, { n: 1234, place: 'Bunia' }, 'fr', num, `${num(1234)} contenus jugés nuisibles à Bunia`],
    ['{n, plural, =0 {none} one {one} other {#}}', { n: 0 }, 'en', String, 'none'],
    ['{n, plural, one {# in {where}} other {# in {where}s}}', { n: 3, where: 'cell' }, 'en', String, '3 in cells'],
    ['{a} and {b}', { a: 1 }, 'en', String, '1 and {b}'], // a missing value is left as written
    ['{n, plural, one {x} other {y}}', {}, 'en', String, '{n, plural, one {x} other {y}}'],
    ['{n, plural, one {x}}', { n: 1 }, 'en', String, '{n, plural, one {x}}'], // no "other": not a plural
    ['{n, plural, one {# x} other {# y}}', { n: 'many' }, 'en', String, 'many y'],
    ['# is kept outside a plural; {n}', { n: 2 }, 'en', String, '# is kept outside a plural; 2'],
    ['unclosed {n', { n: 2 }, 'en', String, 'unclosed {n'],
    // counts already formatted for people
    [en, { n: '1', place: 'Bunia' }, 'en', String, '1 item was scored harmful in Bunia'],
    [en, { n: '1,234', place: 'Bunia' }, 'en', String, '1,234 items were scored harmful in Bunia'],
    [fr, { n: num(1234), place: 'Bunia' }, 'fr', num, `${num(1234)} contenus jugés nuisibles à Bunia`],
    [fr, { n: '0', place: 'Bunia' }, 'fr', num, '0 contenu jugé nuisible à Bunia'],
    // French typography's minus sign (Vigil.num): −2 is plural, −1 singular
    ['{n, plural, one {# point} other {# points}}', { n: '\u22122' }, 'fr', String, '\u22122 points'],
    ['{n, plural, one {# point} other {# points}}', { n: '\u22121' }, 'fr', String, '\u22121 point'],
    // French elides « de » before a value starting with a vowel (as geotext.PresDe)
    ['{r} km autour de {p}', { r: 15, p: 'Ippy' }, 'fr', String, '15 km autour d’Ippy'],
    ['{r} km autour de {p}', { r: 15, p: 'Éloko' }, 'fr', String, '15 km autour d’Éloko'],
    ['{r} km autour de {p}', { r: 15, p: 'Bunia' }, 'fr', String, '15 km autour de Bunia'],
    ['{r} km autour de {p}', { r: 15, p: 'Ippy' }, 'en', String, '15 km autour de Ippy'], // only French
    ['le retrait de {p}', { p: 'Ituri' }, 'fr', String, 'le retrait d’Ituri'],
    ['(de {p})', { p: 'Aru' }, 'fr', String, '(d’Aru)'],
    ['monde {p}', { p: 'Aru' }, 'fr', String, 'monde Aru'], // « de » inside a word is not elided
    ['de {n}', { n: 8 }, 'fr', String, 'de 8'],
  ];
  for (const [msg, vars, lang, f, want] of cases) assert.equal(fill(msg, vars, lang, f), want, `${msg} ${JSON.stringify(vars)} ${lang}`);
});

// singleForms answers the sentences of a message that read wrong for one
// thing ("1 messages", "1 cellules", "alert(s)"): each placeholder, plural
// or not, other than the names in NAMES, is given the count 1 (written with
// a no-break space before it, so a literal "1" of the text is not taken for
// a count).
const NAMES = new Set(['name', 'form', 'title', 'place', 'where', 'group', 'user', 'role', 'who', 'mission', 'location', 'type', 'names']);
const NOT_PLURAL = {
  en: new Set(['is', 'was', 'has', 'as', 'this', 'its', 'his', 'us', 'plus', 'across', 'unless', 'always', 'perhaps']),
  fr: new Set(['les', 'des', 'ces', 'ses', 'mes', 'tes', 'nos', 'vos', 'aux', 'mois', 'fois', 'sans', 'dans', 'sous', 'plus',
    'pas', 'mis', 'après', 'depuis', 'mais', 'vers', 'lors', 'très', 'jamais', 'puis', 'remis', 'pris', 'inclus', 'exclus', 'pays', 'prix']),
};
const PLURAL_ONLY = { en: new Set(['people', 'children', 'men', 'women', 'data']), fr: new Set() };
function singleForms(message, lang) {
  const vars = {};
  for (const m of String(message).matchAll(/\{(\w+)\s*[,}]/g)) vars[m[1]] = NAMES.has(m[1]) ? 'Bunia' : '\u00a01';
  const text = fill(message, vars, lang);
  const bad = [];
  if (/\w\((s|x|es)\)/.test(text)) bad.push('(s)');
  for (const m of text.matchAll(/\u00a01 (\p{L}+)(?![\p{L}/])/gu)) {
    const w = m[1].toLowerCase();
    if (NOT_PLURAL[lang].has(w)) continue;
    if (PLURAL_ONLY[lang].has(w) || (w.length > 2 && (w.endsWith('s') || (lang === 'fr' && w.endsWith('x'))))) bad.push(`1 ${m[1]}`);
  }
  return bad;
}

test('singleForms catches a count sentence without plural forms', () => {
  assert.deepEqual(singleForms('{n} messages', 'en'), ['1 messages']);
  assert.deepEqual(singleForms('{n} alert(s)', 'en'), ['(s)']);
  assert.deepEqual(singleForms('{n} lieux importés', 'fr'), ['1 lieux']);
  assert.deepEqual(singleForms('{n, plural, one {# message} other {# messages}}', 'en'), []);
  assert.deepEqual(singleForms('{n, plural, one {# lieu importé} other {# lieux importés}}', 'fr'), []);
  assert.deepEqual(singleForms('{n} people', 'en'), ['1 people']);
  assert.deepEqual(singleForms('{name} is now {role}', 'en'), []);
  assert.deepEqual(singleForms('{n} mois', 'fr'), []);
  assert.deepEqual(singleForms('A ratio above 1 means more; {name} enregistrées', 'fr'), []);
});

test('every UI message with a count has its plural forms (EN and FR)', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const dir = new URL('../i18n/', import.meta.url);
  const bad = [];
  // refusals.*.json are written from the Go catalogs (apperr), whose
  // messages take positional arguments formatted by Go as well: they have no
  // plural forms on the Go side, so they are left out here (most of their
  // counts are limits above one: "at most {0} bytes").
  for (const file of (await readdir(dir)).filter((f) => /(^|\.)(en|fr)\.json$/.test(f) && !f.startsWith('refusals.'))) {
    const lang = /(^|\.)fr\.json$/.test(file) ? 'fr' : 'en';
    const msgs = JSON.parse(await readFile(new URL(file, dir), 'utf8'));
    for (const [key, msg] of Object.entries(msgs)) {
      if (typeof msg !== 'string') continue;
      const found = singleForms(msg, lang);
      if (found.length) bad.push(`${file} ${key}: ${found.join(', ')} in ${JSON.stringify(msg)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('frenchIn: en, au, aux or à before a country; « dans la zone » before anything else (an admin-1 name)', () => {
  const cases = [
    ['CAF', 'République centrafricaine', 'en République centrafricaine'],
    ['COD', 'République démocratique du Congo', 'en République démocratique du Congo'],
    ['COD', 'RD Congo', 'en RD Congo'],
    ['MLI', 'Mali', 'au Mali'], ['SDN', 'Soudan', 'au Soudan'], ['SOM', 'Somalie', 'en Somalie'],
    ['SSD', 'Soudan du Sud', 'au Soudan du Sud'], ['TCD', 'Tchad', 'au Tchad'], ['COM', 'Comores', 'aux Comores'],
    ['MDG', 'Madagascar', 'à Madagascar'], ['UGA', 'Ouganda', 'en Ouganda'],
    ['COG', 'Congo', 'au Congo'], ['COG', 'République du Congo', 'en République du Congo'],
    ['ALL', 'toutes les zones', 'dans l’ensemble des zones'], ['Ituri', 'Ituri', 'dans la zone Ituri'],
    ['', 'Nord-Kivu', 'dans la zone Nord-Kivu'], ['', 'Haute-Kotto', 'dans la zone Haute-Kotto'],
  ];
  for (const [code, name, want] of cases) assert.equal(frenchIn(code, name), want, `${code} ${name}`);
});

test('listSep: a list\u2019s and an interval\u2019s separator as each language writes it', () => {
  const cases = [
    ['en', 'list', '; '], ['en', 'interval', ', '], ['en', undefined, '; '],
    // French: U+202F before « ; », and a semicolon between an interval's ends too (its decimal comma)
    ['fr', 'list', '\u202f; '], ['fr', 'interval', '\u202f; '], ['fr', undefined, '\u202f; '],
    ['de', 'list', '; '], // a language the UI does not speak: as English
  ];
  for (const [lang, kind, want] of cases) assert.equal(listSep(lang, kind), want, `${lang} ${kind}`);
  assert.equal(`[${['164', '237'].join(listSep('fr', 'interval'))}]`, '[164\u202f; 237]');
});

test('unquoted says a %q argument as the server does (apperr.Unquoted, on the same cases)', async () => {
  const { readFile } = await import('node:fs/promises');
  const cases = JSON.parse(await readFile(new URL('../../../internal/apperr/testdata/unquoted.json', import.meta.url), 'utf8'));
  assert.ok(cases.length > 10);
  for (const c of cases) assert.equal(unquoted(c.in), c.want, JSON.stringify(c.in));
});

test('guillemets says the Go-quoted values of a list as the server does (apperr.Guillemets, on the same cases)', async () => {
  const { readFile } = await import('node:fs/promises');
  const cases = JSON.parse(await readFile(new URL('../../../internal/apperr/testdata/guillemets.json', import.meta.url), 'utf8'));
  assert.ok(cases.length > 5);
  for (const c of cases) assert.equal(guillemets(c.in), c.want, JSON.stringify(c.in));
  assert.equal(fill('valeurs : {0:qs}', { 0: '"a" (1), "b" (2)' }, 'fr'), 'valeurs : \u00ab\u202fa\u202f\u00bb (1), \u00ab\u202fb\u202f\u00bb (2)');
  assert.equal(fill('valeurs : {0:qs}', {}, 'fr'), 'valeurs : {0:qs}'); // no value: left as written
});

test('a refusal quoting an argument (%q) is said in French in guillemets, not Go\'s quotes', async () => {
  const { readFile } = await import('node:fs/promises');
  const fr = JSON.parse(await readFile(new URL('../i18n/refusals.fr.json', import.meta.url), 'utf8'));
  const en = JSON.parse(await readFile(new URL('../i18n/refusals.en.json', import.meta.url), 'utf8'));
  const arg = '"a \\"b\\""'; // Go's %q of a "b"
  let n = 0;
  const bad = [];
  for (const [key, tmpl] of Object.entries(fr)) {
    const qs = [...tmpl.matchAll(/\{(\d+):q\}/g)].map((m) => m[1]);
    if (!qs.length) continue;
    n++;
    const vars = {};
    for (const m of en[key].matchAll(/\{(\d+)\}/g)) vars[m[1]] = `v${m[1]}`;
    for (const q of qs) vars[q] = arg;
    const said = fill(tmpl, vars, 'fr');
    if (said.includes('\\"') || said.includes('"a') || !said.includes('\u00ab\u202fa "b"\u202f\u00bb')) bad.push(`${key}: ${said}`);
    if (!fill(en[key], vars, 'en').includes(arg)) bad.push(`${key} (en): ${fill(en[key], vars, 'en')}`);
  }
  assert.deepEqual(bad, []);
  assert.ok(n > 100, `${n} messages with a quoted argument`);
  assert.equal(fill('nom {0:q}', { 0: '"pw"' }, 'fr'), 'nom pw');
  assert.equal(fill('nom {0:q}', {}, 'fr'), 'nom {0:q}'); // no value: left as written
});

test('csvCell guards a cell as internal/csvsafe.Cell does (on the same cases)', async () => {
  const { readFile } = await import('node:fs/promises');
  const cases = JSON.parse(await readFile(new URL('../../../internal/csvsafe/testdata/cells.json', import.meta.url), 'utf8'));
  assert.ok(cases.length >= 40);
  const bad = cases.filter((c) => csvCell(c.in) !== c.want).map((c) => `${JSON.stringify(c.in)}: ${JSON.stringify(csvCell(c.in))}, want ${JSON.stringify(c.want)}`);
  assert.deepEqual(bad, []);
  assert.equal(csvCell(-3.5), '-3.5');
  assert.equal(csvCell(null), '');
});

test('contactRequest: the one-contact form as the contacts API takes it', () => {
  const blank = { phone: '', name: '', language: 'fr', groups: '', place: '', lat: '', lon: '', consent: '', optIn: false };
  const cases = [
    [{ ...blank, phone: ' +243 810 ', name: ' Amani ', groups: 'CAN; leaders, ,', consent: ' verbal ' },
      { phone: '+243 810', name: 'Amani', language: 'fr', groups: ['CAN', 'leaders'], consent_how: 'verbal' }],
    [{ ...blank, place: ' Bunia ' }, { phone: '', name: '', language: 'fr', groups: [], consent_how: '', place: 'Bunia' }],
    [{ ...blank, lat: '1,56', lon: ' 30.25', place: 'Marché' }, { phone: '', name: '', language: 'fr', groups: [], consent_how: '', lat: 1.56, lon: 30.25, place: 'Marché' }],
    [{ ...blank, optIn: true, consent: 'visite' }, { phone: '', name: '', language: 'fr', groups: [], consent_how: 'visite', opt_in: true }],
  ];
  for (const [v, want] of cases) assert.deepEqual(contactRequest(v), want, JSON.stringify(v));
});

test('contactChanges: an edit sends only the fields the user changed; the name can be cleared', () => {
  const before = { phone: '', name: '', language: 'sw', groups: 'can, leaders', place: 'Bunia', lat: '', lon: '', consent: '', optIn: false, clearName: false };
  const cases = [
    ['nothing changed', {}, {}],
    ['the language', { language: 'fr' }, { language: 'fr' }],
    ['the same groups, written otherwise', { groups: 'leaders; can ' }, {}],
    ['a group removed', { groups: 'can' }, { groups: ['can'] }],
    ['every group removed', { groups: ' ' }, { groups: [] }],
    ['a new number and name', { phone: ' +243 810 ', name: ' Amani ' }, { phone: '+243 810', name: 'Amani' }],
    ['the name cleared', { clearName: true }, { name: null }],
    ['the place replaced by coordinates', { place: '', lat: '1,5', lon: '30' }, { place: null, lat: 1.5, lon: 30 }],
    ['the place cleared', { place: '' }, { place: null, lat: null, lon: null }],
    ['a new consent, opted in', { consent: ' visite ', optIn: true }, { consent_how: 'visite', opt_in: true }],
  ];
  for (const [what, change, want] of cases) {
    assert.deepEqual(contactChanges(before, { ...before, ...change }), want, what);
  }
});

test('broadcastRequest: one audience, the texts written, the time in UTC', () => {
  const base = { channel: '3', mode: 'group', group: ' can ', place: 'Goma', radius: '10', admin: 'Ituri', cells: '', texts: { fr: ' Réunion ', en: '', sw: '  ' }, at: '' };
  const cases = [
    ['a group, now', {}, { channel_id: 3, messages: { fr: 'Réunion' }, group: 'can' }],
    ['near a place (decimal comma)', { mode: 'area', radius: '12,5' }, { channel_id: 3, messages: { fr: 'Réunion' }, near_place: 'Goma', radius_km: 12.5 }],
    ['an admin area', { mode: 'admin', admin: ' Ituri ' }, { channel_id: 3, messages: { fr: 'Réunion' }, admin_area: 'Ituri' }],
    ['cells', { mode: 'cells', cells: '12 34,56; 78' }, { channel_id: 3, messages: { fr: 'Réunion' }, cells: [12, 34, 56, 78] }],
    ['scheduled', { at: '2026-12-09T14:14' }, { channel_id: 3, messages: { fr: 'Réunion' }, group: 'can', at: '2026-12-09T14:14:00Z' }],
    ['two texts', { texts: { fr: 'Réunion', en: 'Meeting' } }, { channel_id: 3, messages: { fr: 'Réunion', en: 'Meeting' }, group: 'can' }],
    ['no text: the server says so', { texts: { fr: ' ' } }, { channel_id: 3, messages: {}, group: 'can' }],
  ];
  for (const [what, v, want] of cases) assert.deepEqual(broadcastRequest({ ...base, ...v }), want, what);
});

test('broadcastField: the form field a refusal is about', () => {
  const cases = [['channel_id', 'channel'], ['group', 'group'], ['near_place', 'place'], ['lat', 'place'], ['radius_km', 'radius'],
    ['admin_area', 'admin'], ['cells', 'cells'], ['messages', 'text'], ['messages.sw', 'text-sw'], ['fallback', 'text'],
    ['broadcast', ''], ['', ''], [undefined, '']];
  for (const [f, want] of cases) assert.equal(broadcastField(f), want, String(f));
});

test('answerTexts: the rating, the summary and the public page, as the tipline answer says them', () => {
  const pub = { rating: 'false', summary_en: 'No armed group is coming back to Ippy.', summary_fr: 'Aucun groupe armé ne revient à Ippy.', slug: 'abc' };
  const cases = [
    ['published', pub, { en: 'False: No armed group is coming back to Ippy. https://v.example/factcheck/abc',
      fr: 'Faux\u00a0: Aucun groupe armé ne revient à Ippy. https://v.example/factcheck/abc?lang=fr' }],
    ['rated, not published', { ...pub, slug: '', rating: 'misleading' }, { en: 'Misleading: No armed group is coming back to Ippy.', fr: 'Trompeur\u00a0: Aucun groupe armé ne revient à Ippy.' }],
    ['a French summary only', { ...pub, summary_en: ' ' }, { en: '', fr: 'Faux\u00a0: Aucun groupe armé ne revient à Ippy. https://v.example/factcheck/abc?lang=fr' }],
    ['not rated', { summary_en: 'x', summary_fr: 'y' }, { en: '', fr: '' }],
  ];
  for (const [what, c, want] of cases) assert.deepEqual(answerTexts(c, 'https://v.example/'), want, what);
});
