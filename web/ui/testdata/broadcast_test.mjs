// Unit tests of web/ui/broadcast_form.js's words for a broadcast (the
// Contacts page's list, the Verify page's and the weekly brief's
// audiences) with the shipped dictionaries, run by TestBroadcastJS (go
// test ./web/ui, textnode_test.go) with node's test runner. The browser's
// globals are stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const { audienceText, reachText, whenText } = await import('../broadcast_form.js');
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };

test('audienceText names grid cells by the places nearest them, their count beside, never their numbers', () => {
  const cells = (n) => Array.from({ length: n }, (_, i) => 100000 + i);
  for (const [name, b, en, fr] of [
    ['one place', { cells: cells(12), cells_around: ['Bria'] },
      'Everyone in 12 grid cells around Bria', 'Tout le monde dans 12 cellules de la grille autour de Bria'],
    ['two places', { cells: cells(3), cells_around: ['Bria', 'Ndélé'] },
      'Everyone in 3 grid cells around Bria and Ndélé', 'Tout le monde dans 3 cellules de la grille autour de Bria et Ndélé'],
    ['elided before a vowel', { cells: cells(1), cells_around: ['Aweil'] },
      'Everyone in 1 grid cell around Aweil', 'Tout le monde dans 1 cellule de la grille autour d’Aweil'],
    ['no place known (no gazetteer)', { cells: cells(2) },
      'Everyone in 2 grid cells', 'Tout le monde dans 2 cellules de la grille'],
  ]) {
    assert.equal(inLang('en', () => audienceText(b)), en, name);
    assert.equal(inLang('fr', () => audienceText(b)), fr, name);
    for (const s of [en, fr]) assert.doesNotMatch(s, /1000\d\d/, `${name}: a cell's number`);
  }
});

test('reachText says a scheduled broadcast reaches no one now, and one due to no one that nothing was sent', () => {
  const at = '2026-12-08T10:00:00Z';
  for (const [name, b, en, fr, when] of [
    ['scheduled', { scheduled_at: at }, /^Scheduled for /, /^Programmée pour le /, ''],
    ['scheduled to no one now', { scheduled_at: at, no_one_now: true },
      /^Scheduled for .*\. Nobody is in this audience now: it is counted when it is sent\.$/,
      /^Programmée pour le .*\. Personne n’est dans ce public pour l’instant\u00a0: il sera compté au moment de l’envoi\.$/, ''],
    ['due to nobody', { scheduled_at: at, queued_at: at, reach: { queued: 0, skipped_opted_out: 0 } },
      /^Nobody was in this audience when it was due \(.+\): nothing sent$/, /^Personne n’était dans ce public à l’heure prévue \(.+\)\u00a0: rien n’a été envoyé$/, ''],
    ['due to the opted out only', { scheduled_at: at, queued_at: at, reach: { queued: 0, skipped_opted_out: 2 } },
      /^Everyone in this audience had opted out when it was due \(.+; 2 contacts\): nothing sent$/,
      /^Tout le monde dans ce public s’était désinscrit à l’heure prévue \(.+\u202f; 2 contacts\)\u00a0: rien n’a été envoyé$/, ''],
    ['queued to someone', { scheduled_at: at, queued_at: at, reach: { queued: 3, sent: 0, pending: 3, skipped_opted_out: 0, withheld: 0 } },
      /^3 queued, 0 sent/, /^3 mis en file d’attente, 0 envoyé/, 'queued'],
  ]) {
    assert.match(inLang('en', () => reachText(b)), en, name);
    assert.match(inLang('fr', () => reachText(b)), fr, name);
    // A broadcast due to no one has no "queued …, nothing sent" beside: its reach says it.
    assert.equal(inLang('en', () => whenText(b)).startsWith(when), true, `${name}: when ${whenText(b)}`);
    if (!when) assert.equal(whenText(b), '', name);
  }
});
