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

test('offline: back is said once the trial\'s requests have all answered, one health check at a time', async (t) => {
  // The page's own requests: /healthz and /api/v1/demo (asked at each
  // reconnection) answer as told; /api/v1/x fails (the page goes offline).
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
  const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); };
  const doc = globalThis.document;
  const was = { getElementById: doc.getElementById, documentElement: doc.documentElement, fetch: globalThis.fetch, notify: Vigil.notify };
  doc.getElementById = () => null;
  doc.documentElement = { dataset: {} };
  const said = [];
  Vigil.notify = (text, kind) => { if (text) said.push(kind); };
  const ok = { ok: true, status: 200, statusText: 'OK', headers: { get: () => null }, text: async () => '{}' };
  const failed = () => new TypeError('Failed to fetch');
  // A request told when to answer: settle(true) answers, settle(false) fails.
  const later = () => { let settle; const p = new Promise((res, rej) => { settle = (good) => (good ? res(ok) : rej(failed())); }); return { p, settle: (good) => settle(good) }; };
  let health = () => Promise.resolve(ok);
  let demo = () => Promise.resolve(ok);
  let asked = { health: 0, demo: 0 };
  globalThis.fetch = (url) => {
    if (url === '/healthz') { asked.health++; return health(); }
    if (url === '/api/v1/demo') { asked.demo++; return demo(); }
    return Promise.reject(failed());
  };
  let reconnects = 0;
  const off = Vigil.on('reconnect', () => { reconnects++; Vigil.api('/api/v1/demo').catch(() => {}); });
  const check = async (ms = 10000) => { t.mock.timers.tick(ms); await flush(); };
  try {
    await Vigil.api('/api/v1/x').catch(() => {});
    assert.deepEqual(said, ['error'], 'offline once the request failed');

    // A slow link: the reconnection's request fails after the next health check.
    let d = later();
    demo = () => d.p;
    await check(); // /healthz answers: the trial starts, /api/v1/demo is asked
    assert.equal(reconnects, 1);
    await check(); // /healthz answers again; /api/v1/demo has not answered yet
    d.settle(false);
    await flush();
    assert.deepEqual(said, ['error'], 'nothing said while the trial\'s request had not answered, then failed');

    // A busy server: /healthz answers after the next tick of the timer. The
    // check asked meanwhile is not sent; its answer starts one trial, and
    // back is not said before the trial's own request has answered.
    let h = later();
    health = () => h.p;
    d = later();
    demo = () => d.p;
    asked = { health: 0, demo: 0 };
    await check(20000); // the relapse doubled the wait
    await check(20000);
    await check(20000);
    assert.equal(asked.health, 1, 'one health check at a time');
    h.settle(true);
    await flush();
    assert.equal(reconnects, 2, 'one reconnection for the health check answered');
    health = () => Promise.resolve(ok);
    await check();
    assert.deepEqual(said, ['error'], 'still offline while the trial\'s request has not answered');
    d.settle(true);
    await flush();
    assert.deepEqual(said, ['error'], 'nothing said between health checks');
    await check();
    assert.deepEqual(said, ['error', 'info'], 'back once the trial\'s request answered, at the next health check');
    assert.equal(reconnects, 2);

    // A request that never answers: the trial ends unsaid after three
    // health checks; the next trial asks again, and back is never said.
    await Vigil.api('/api/v1/x').catch(() => {});
    assert.deepEqual(said, ['error', 'info', 'error']);
    demo = () => new Promise(() => {});
    await check(); // the trial starts
    assert.equal(reconnects, 3);
    await check(); await check(); await check();
    assert.deepEqual(said, ['error', 'info', 'error'], 'offline while the request is waited for, and after');
    await check(); // the relapse doubled the wait: nothing yet
    assert.equal(reconnects, 3);
    await check();
    assert.equal(reconnects, 4, 'tried again after the longer wait');
    assert.deepEqual(said, ['error', 'info', 'error']);

    // The link is whole: the next trial ends back online.
    demo = () => Promise.resolve(ok);
    await check(); await check(); await check(); // the last trial's three waits
    await check(40000); // the second relapse's wait: a trial, its request answers
    assert.equal(reconnects, 5);
    assert.deepEqual(said, ['error', 'info', 'error']);
    await check();
    assert.deepEqual(said, ['error', 'info', 'error', 'info']);
  } finally {
    off();
    Object.assign(doc, { getElementById: was.getElementById, documentElement: was.documentElement });
    globalThis.fetch = was.fetch;
    Vigil.notify = was.notify;
  }
});

test('date and dateTime: the first of the month is « 1er » in French, the other days as numbers', () => {
  const cases = [
    ['date', '2026-12-01', '1 December 2026', '1er décembre 2026'],
    ['date', '2026-12-11', '11 December 2026', '11 décembre 2026'],
    ['date', '2026-12-21', '21 December 2026', '21 décembre 2026'],
    ['dateTime', '2027-03-01T10:00:00Z', '1 Mar 2027, 10:00 UTC', '1er mars 2027, 10:00 UTC'],
    ['dateTime', '2026-12-05T14:31:00Z', '5 Dec 2026, 14:31 UTC', '5 déc. 2026, 14:31 UTC'],
  ];
  for (const [f, s, en, fr] of cases) {
    assert.equal(nb(inLang('en', () => Vigil[f](s))), en, `en ${f} ${s}`);
    assert.equal(nb(inLang('fr', () => Vigil[f](s))), fr, `fr ${f} ${s}`);
  }
});
