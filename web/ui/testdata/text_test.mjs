// Unit tests of web/ui/core/text.js, run by TestTextJS (go test ./web/ui)
// with node's test runner: node --test web/ui/testdata/text_test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fill, parseGoDuration, replaceDurations } from '../core/text.js';

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
  ];
  for (const [msg, vars, lang, f, want] of cases) assert.equal(fill(msg, vars, lang, f), want, `${msg} ${JSON.stringify(vars)} ${lang}`);
});
