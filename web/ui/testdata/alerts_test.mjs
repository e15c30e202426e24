// Unit tests of web/ui/alerts.js's words for a reply's delivery, with the
// shipped dictionaries, run by TestAlertsJS (go test ./web/ui,
// textnode_test.go) with node's test runner. The browser's globals the
// modules reach for on loading are stubbed (browser_stubs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './browser_stubs.mjs';

const { Vigil } = await import('../core/vigil.js');
const alertsModule = await import('../alerts.js');
const { deliveryText } = alertsModule;
await Vigil.setLang('fr');
await Vigil.setLang('en');
const inLang = (lang, f) => { const was = Vigil.lang; Vigil.lang = lang; try { return f(); } finally { Vigil.lang = was; } };

test('deliveryText: a reply\'s state and why it failed, in English and French', () => {
  const phone2 = { key: 'contacts.fail.phone.2', args: { code: 2 }, code: 'phone:2', reason: 'The phone could not send it: its radio is off, airplane mode (Android error 2)' };
  const cases = [
    [{ state: 'queued' }, 'queued for the gateway', 'en file d\u2019attente'],
    [{ state: 'sent' }, 'sent', 'envoyé'],
    [{ state: 'delivered' }, 'delivered', 'remis'],
    [{ state: 'failed', ...phone2 }, 'failed: The phone could not send it: its radio is off, airplane mode (Android error 2)',
      'échec\u00a0: Le téléphone n\u2019a pas pu l\u2019envoyer\u00a0: sa radio est coupée, mode avion (erreur Android 2)'],
    [{ state: 'failed', key: 'contacts.fail.twilio', args: { code: 30009 }, code: 'twilio:30009', reason: 'x' },
      'failed: Twilio refused or could not deliver it (error 30009)', 'échec\u00a0: Twilio a refusé ou n\u2019a pas pu remettre le message (erreur 30009)'],
    [{ state: 'queued', key: 'contacts.fail.timeout', args: { s: 20 }, code: 'timeout:20', reason: 'x' },
      'queued for the gateway, to be tried again (last try: Gateway did not answer in 20 s)',
      'en file d\u2019attente, sera réessayé (dernier essai\u00a0: La passerelle n\u2019a pas répondu en 20\u00a0s)'],
    // Withheld: the person opted out (when, in the page's date format).
    [{ state: 'withheld', code: 'opted-out', key: 'alerts.delivery.optedOut', opted_out_at: '2026-12-07T14:05:00Z' },
      `not sent: the person opted out on ${inLang('en', () => Vigil.dateTime('2026-12-07T14:05:00Z'))}`,
      `non envoyé\u00a0: la personne s\u2019est désinscrite le ${inLang('fr', () => Vigil.dateTime('2026-12-07T14:05:00Z'))}`],
    // A key no dictionary has: the server's words.
    [{ state: 'failed', key: 'contacts.fail.zz', code: 'zz', reason: 'Gateway said no' }, 'failed: Gateway said no', 'échec\u00a0: Gateway said no'],
  ];
  for (const [d, en, fr] of cases) {
    assert.equal(inLang('en', () => deliveryText(d)), en, `en ${JSON.stringify(d)}`);
    assert.equal(inLang('fr', () => deliveryText(d)), fr, `fr ${JSON.stringify(d)}`);
  }
});

test('incidentSig: an incident page answered twice, unchanged but for its SLA clock\'s seconds left, is the same; a change is not', () => {
  const { incidentSig } = alertsModule;
  const page = (left, more = {}) => ({ incident: { id: 1, status: 'new', category: '', sla: { kind: 'triage', due: '2026-12-07T15:00:00Z', left_s: left }, ...more }, alerts: [], timeline: [], cap: [] });
  assert.equal(incidentSig(page(899.42)), incidentSig(page(897.05)));
  assert.notEqual(incidentSig(page(899.42)), incidentSig(page(899.42, { category: 'abduction' })));
  assert.notEqual(incidentSig(page(-1.2)), incidentSig(page(-1.2, { overdue: 'triage' })));
  assert.notEqual(incidentSig(page(10, { sla: { kind: 'response', due: '2026-12-07T16:00:00Z', left_s: 10 } })), incidentSig(page(10)));
});
