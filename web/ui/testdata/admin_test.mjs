// Unit tests of web/ui/admin.js's audit log words: the action list's
// families (auditActionGroups, auditMove) and an object named by the
// store (a manual value, a survey answer), with the shipped dictionaries,
// run by TestAdminJS (go test ./web/ui, textnode_test.go) with node's
// test runner. The browser's globals are stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const { auditActionGroups, auditFamily, auditMove, AUDIT_FAMILIES } = await import('../admin.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };
const actions = () => Vigil.keys('admin.audit.do.').map((k) => k.slice('admin.audit.do.'.length)).map((c) => [c, Vigil.t('admin.audit.do.' + c)]);

test('every action the page words has a family other than « other », labelled in English and French', () => {
  const all = actions();
  assert.ok(all.length > 50, `${all.length} actions`);
  for (const [code] of all) assert.notEqual(auditFamily(code), 'other', code);
  for (const id of [...AUDIT_FAMILIES.map(([f]) => f), 'other']) {
    for (const lang of ['en', 'fr']) {
      const label = inLang(lang, () => Vigil.t('admin.audit.family.' + id));
      assert.ok(label && !label.startsWith('admin.'), `${lang} family ${id}: ${label}`);
    }
  }
  assert.equal(auditFamily('nothing.such'), 'other');
});

test('auditActionGroups: the families in order, each action once, the words sorted within a family', () => {
  for (const lang of ['en', 'fr']) {
    const groups = inLang(lang, () => auditActionGroups(actions()));
    const order = AUDIT_FAMILIES.map(([f]) => f);
    assert.deepEqual(groups.map((g) => g.family), order, lang);
    assert.equal(groups.flatMap((g) => g.actions).length, actions().length, lang);
    for (const g of groups) {
      const words = g.actions.map(([, w]) => w);
      assert.deepEqual(words, [...words].sort((a, b) => a.localeCompare(b, lang)), `${lang} ${g.family}`);
    }
    assert.equal(groups[0].label, lang === 'fr' ? 'Utilisateurs et accès' : 'Users and access');
  }
});

test('auditActionGroups: typing filters — a code prefix, words without accents, a family name', () => {
  const codes = (q, lang = 'en') => inLang(lang, () => auditActionGroups(actions(), q)).flatMap((g) => g.actions.map(([c]) => c));
  const users = codes('user.');
  assert.ok(users.length >= 3 && users.every((c) => c.startsWith('user.')), users.join(' '));
  assert.deepEqual(codes('token.create'), ['token.create']);
  // « Jeton d’API créé » found as « cree »
  assert.ok(codes('jeton d’api cree', 'fr').includes('token.create'));
  // A family's name lists the family.
  const fam = inLang('fr', () => auditActionGroups(actions(), 'enquêtes'));
  assert.deepEqual(fam.map((g) => g.family), ['surveys']);
  assert.ok(fam[0].actions.some(([c]) => c === 'submission.create'));
  assert.deepEqual(codes('zzz-nothing'), []);
});

test('auditMove: arrow keys move across the families, wrapping', () => {
  assert.equal(auditMove(-1, 5, 'ArrowDown'), 0);
  assert.equal(auditMove(-1, 5, 'ArrowUp'), 4);
  assert.equal(auditMove(4, 5, 'ArrowDown'), 0);
  assert.equal(auditMove(0, 5, 'ArrowUp'), 4);
  assert.equal(auditMove(2, 5, 'ArrowDown'), 3);
  assert.equal(auditMove(-1, 0, 'ArrowDown'), -1);
});
