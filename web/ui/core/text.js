// Text helpers of the UI core without the DOM: messages with placeholders
// and plural forms, and the durations a server writes as Go does. vigil.js
// uses them (Vigil.t, Vigil.durations); web/ui/testdata/text_test.mjs tests
// them under node (go test ./web/ui).

/** Index of the "}" closing the "{" at s[i], or -1. */
function closing(s, i) {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

const SELECTOR = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;

/**
 * The branches of a plural's body ("one {# item} other {# items}") as
 * [[selector, text]…], or null when the body is not one.
 */
function branches(body) {
  const out = [];
  let i = 0;
  while (i < body.length) {
    if (/^\s*$/.test(body.slice(i))) break;
    SELECTOR.lastIndex = i;
    const m = SELECTOR.exec(body);
    if (!m) return null;
    const open = SELECTOR.lastIndex - 1;
    const end = closing(body, open);
    if (end < 0) return null;
    out.push([m[1], body.slice(open + 1, end)]);
    i = end + 1;
  }
  return out.some(([sel]) => sel === 'other') ? out : null;
}

/**
 * countOf is the number a plural's value stands for: a number, or a count
 * already formatted for people ("1,234" in English, "1 234" or "−2" in French).
 */
function countOf(v) {
  if (typeof v === 'number') return v;
  return Number(String(v).replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-').replace(/,(?=\d{3}(?!\d))/g, ''));
}

/**
 * unquoted is s, a text as Go's %q wrote it ("pw", 'x', or `p\w` with %#q),
 * without its quotes and with the quotes and backslashes Go escaped inside
 * it unescaped; other escapes (\n, \x00) stay as Go wrote them, visible.
 * Anything else is s as it is. The server's apperr.Unquoted says the same
 * (both tested on internal/apperr/testdata/unquoted.json).
 */
export function unquoted(v) {
  const s = String(v);
  if (s.length < 2 || s[0] !== s[s.length - 1] || !`"'\``.includes(s[0])) return s;
  if (s[0] === '`') return s.slice(1, -1);
  return s.slice(1, -1).replace(/\\(["'\\])/g, '$1');
}

/**
 * guillemets is s with each text Go quoted in it with %q ("idp") said in
 * guillemets held by narrow no-break spaces, « idp » (unquoted inside); a
 * quote that opens no quoted text stays as it is. The server's
 * apperr.Guillemets says the same (both tested on
 * internal/apperr/testdata/guillemets.json).
 */
export function guillemets(v) {
  return String(v).replace(/"(?:[^"\\\n]|\\.)*"/g, (q) => `\u00ab\u202f${unquoted(q)}\u202f\u00bb`);
}

/**
 * fill puts vars into a message: {name} is vars.name as written, {name:q}
 * vars.name, a text Go quoted (%q: a refusal's argument, which French says
 * in guillemets the message holds itself), without its quotes, {name:qs}
 * vars.name, a text holding Go-quoted values (a list), with each in
 * guillemets (guillemets); a plural,
 * {name, plural, one {# item} other {# items}} (ICU MessageFormat's form),
 * picks the branch of the number vars.name in lang by the language's
 * plural rules (=N matches N exactly), with # standing for the number as
 * num formats it (a value given as text, already formatted, is shown as
 * given). A placeholder without its value is left as written.
 */
/**
 * elide is out, the message written so far, with a French « de » just
 * before a value that starts with a vowel written « d’ », as French does
 * and geotext.PresDe on the server (« 15 km autour d’Ippy », « près
 * d’Éloko »; « de Bunia » stays). Only a whole word « de » right before
 * the value; any other language, or a value starting otherwise, is out
 * as it was.
 */
function elide(out, value, lang) {
  if (lang !== 'fr' || !/^[AEIOUÉÈÊÂÎÔÛaeiouéèêâîôû]/.test(value)) return out;
  return out.replace(/(^|[\s(\u00a0\u202f«’'])de $/, '$1d’');
}

export function fill(message, vars, lang = 'en', num = String, hash) {
  const s = String(message);
  if (!vars && hash === undefined) return s;
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === '#' && hash !== undefined) {
      out += hash;
      i++;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    const end = closing(s, i);
    if (end < 0) {
      out += s.slice(i);
      break;
    }
    const body = s.slice(i + 1, end);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,/.exec(body);
    const name = plural ? plural[1] : body.trim();
    const has = vars && Object.prototype.hasOwnProperty.call(vars, name);
    const bs = plural && has ? branches(body.slice(plural[0].length)) : null;
    if (bs) {
      const v = vars[name];
      const n = countOf(v);
      const cat = Number.isFinite(n) ? new Intl.PluralRules(lang).select(n) : 'other';
      const pick = bs.find(([sel]) => sel === `=${n}`) || bs.find(([sel]) => sel === cat) || bs.find(([sel]) => sel === 'other');
      out += fill(pick[1], vars, lang, num, typeof v === 'number' ? num(v) : String(v));
    } else if (!plural && has && /^\w+$/.test(name)) {
      out = elide(out, String(vars[name]), lang);
      out += String(vars[name]);
    } else if (!plural && /^\w+:q$/.test(name) && vars && Object.prototype.hasOwnProperty.call(vars, name.slice(0, -2))) {
      out += unquoted(vars[name.slice(0, -2)]);
    } else if (!plural && /^\w+:qs$/.test(name) && vars && Object.prototype.hasOwnProperty.call(vars, name.slice(0, -3))) {
      out += guillemets(vars[name.slice(0, -3)]);
    } else {
      out += s.slice(i, end + 1);
    }
    i = end + 1;
  }
  return out;
}

const UNITS = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ns: 1e-9 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|us|µs|μs|ns|m|s)/y;

/**
 * parseGoDuration reads a duration as Go's time.Duration writes and
 * time.ParseDuration reads it ("2h0m0s", "1h30m", "45s", "1.5s", "300ms",
 * "-5m", "0") and answers its length in seconds, or null when s is not one.
 */
export function parseGoDuration(s) {
  const str = String(s ?? '').trim();
  let i = 0;
  let sign = 1;
  if (str[0] === '-' || str[0] === '+') {
    sign = str[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (str.slice(i) === '0') return 0;
  if (i === str.length) return null;
  let total = 0;
  while (i < str.length) {
    PART.lastIndex = i;
    const m = PART.exec(str);
    if (!m) return null;
    total += Number(m[1]) * UNITS[m[2]];
    i = PART.lastIndex;
  }
  return sign * total;
}

// A Go duration in running text: two units or more ("2h0m0s", "45m10s").
// One unit alone ("45s", "1990s") counts only as the whole text.
const IN_TEXT = /(?<![\w.])(?:(?:\d+(?:\.\d+)?)(?:h|ms|us|µs|ns|m|s)){2,}(?!\w|\.\d)/g;

/**
 * replaceDurations replaces each Go duration in text by say(seconds): the
 * whole text when it is one, else each token of two units or more.
 */
export function replaceDurations(text, say) {
  const s = String(text ?? '');
  const whole = parseGoDuration(s);
  if (whole !== null && s.trim() !== '' && !/^[+-]?\d+(\.\d+)?$/.test(s.trim())) return say(whole);
  return s.replace(IN_TEXT, (tok) => {
    const sec = parseGoDuration(tok);
    return sec === null ? tok : say(sec);
  });
}

// The preposition French puts before each country to say "in", by ISO3
// (geotext.FrenchIn; TestFrenchInJS checks they agree): en, au, aux, à.
const FRENCH_IN = {
  DZA: 'en', AGO: 'en', BEN: 'au', BWA: 'au', BFA: 'au', BDI: 'au',
  CPV: 'à', CMR: 'au', CAF: 'en', TCD: 'au', COM: 'aux', COG: 'au',
  COD: 'en', CIV: 'en', DJI: 'à', EGY: 'en', GNQ: 'en', ERI: 'en',
  SWZ: 'en', ETH: 'en', GAB: 'au', GMB: 'en', GHA: 'au', GIN: 'en',
  GNB: 'en', KEN: 'au', LSO: 'au', LBR: 'au', LBY: 'en', MDG: 'à',
  MWI: 'au', MLI: 'au', MRT: 'en', MUS: 'à', MAR: 'au', MOZ: 'au',
  NAM: 'en', NER: 'au', NGA: 'au', RWA: 'au', STP: 'à', SEN: 'au',
  SYC: 'aux', SLE: 'en', SOM: 'en', ZAF: 'en', SSD: 'au', SDN: 'au',
  TZA: 'en', TGO: 'au', TUN: 'en', UGA: 'en', ESH: 'au', ZMB: 'en',
  ZWE: 'au',
  // hosts of peace operations outside Africa that the performance framework names
  HTI: 'en', COL: 'en', CYP: 'à', XKX: 'au', LBN: 'au', SYR: 'en',
  ISR: 'en', IRQ: 'en', YEM: 'au', AFG: 'en', IND: 'en', PAK: 'au',
};

/**
 * frenchIn is the area of ISO3 code named name after French "in": a
 * country with its preposition ("au Mali", "en Somalie", "aux Comores",
 * "à Madagascar"; a name starting "République" takes "en"), anything else
 * (an admin-1 unit: Ituri, Nord-Kivu, Haute-Kotto) as « dans la zone
 * Ituri », which needs no article of its own (« en Ituri », « dans le
 * Nord-Kivu », « dans la Haute-Kotto »); as geotext.FrenchInCode.
 */
export function frenchIn(code, name) {
  // The whole of the data: « aucun incident dans l’ensemble des zones », not « … dans toutes les zones » (read as "not in every area"); as geotext.FrenchInCode.
  if (String(code).toUpperCase() === 'ALL' && name === 'toutes les zones') return 'dans l’ensemble des zones';
  const p = FRENCH_IN[String(code).toUpperCase()];
  // a unit French names as a zone already (« zone d’Abyei ») is « dans la zone d’Abyei », not « … zone zone … »
  if (!p) return `dans la zone ${String(name).replace(/^zone /i, '')}`;
  return /^r[ée]publique\b/i.test(name) ? `en ${name}` : `${p} ${name}`;
}

/**
 * listSep is what lang writes between a list's items (kind 'list': "a; b",
 * « a ; b ») or an interval's two ends (kind 'interval': "[164, 237]",
 * « [164 ; 237] »: French numbers have a decimal comma): French puts a
 * narrow no-break space (U+202F) before « ; ». Any other language is
 * written as English.
 */
export function listSep(lang, kind = 'list') {
  if (lang === 'fr') return '\u202f; ';
  return kind === 'interval' ? ', ' : '; ';
}

// CSV_RISKY are the first characters a spreadsheet may read as the start
// of a formula (OWASP's list, as internal/csvsafe's).
const CSV_RISKY = /^[=+\-@\t\r]/;
// A cell spreadsheets read as a number: plain decimal digits with an
// optional sign, point and exponent, within float64's range (as
// internal/csvsafe's plainNumber). Go also reads hex floats, "_" between
// digits and Inf, but a spreadsheet reads -0x1p-2 or -Inf as a formula.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
function plainNumber(s) {
  return PLAIN_NUMBER.test(s) && Number.isFinite(Number(s));
}

/**
 * csvCell is v as a CSV cell a spreadsheet will not run, by internal/csvsafe's
 * rule (Cell; both tested on internal/csvsafe/testdata/cells.json): a text that
 * starts with = + - @, a tab or a carriage return gets a leading ' unless it
 * is a plain decimal number (-3, +2.5, -1.5e-3); one that starts with ' and then one of them
 * gets another ', so that csvsafe.Unguard gives it back as it was.
 */
export function csvCell(v) {
  const s = String(v ?? '');
  const t = s.replace(/^'+/, '');
  if (t.length < s.length && CSV_RISKY.test(t)) return "'" + s;
  return CSV_RISKY.test(s) && !plainNumber(s) ? "'" + s : s;
}

/**
 * contactRequest is the JSON body of the one-contact form: POST
 * /api/v1/contacts (add) or PATCH /api/v1/contacts/{id} (edit: an empty
 * phone keeps the number, an empty consent keeps the consent record;
 * optIn opts a contact who opted out in again, with a new consent).
 * Groups are separated by commas or semicolons; lat and lon, when both
 * typed (a decimal comma taken), go instead of the place's name.
 */
export function contactRequest(v) {
  const num = (x) => Number(String(x).trim().replace(',', '.'));
  const req = { phone: v.phone.trim(), name: v.name.trim(), language: v.language,
    groups: v.groups.split(/[,;]/).map((g) => g.trim()).filter(Boolean), consent_how: v.consent.trim() };
  if (String(v.lat).trim() !== '' || String(v.lon).trim() !== '') {
    req.lat = num(v.lat); req.lon = num(v.lon);
    if (v.place.trim()) req.place = v.place.trim();
  } else if (v.place.trim()) {
    req.place = v.place.trim();
  }
  if (v.optIn) req.opt_in = true;
  return req;
}

/**
 * contactChanges is the PATCH /api/v1/contacts/{id} body of the edit form:
 * only the fields the user changed from before (the form as the edit
 * filled it; both in contactRequest's shape). A typed number or name
 * replaces it (the page has them masked only, so their fields start
 * empty); clearName clears the name (null); groups and the place are sent
 * when they differ, as a whole, null clearing the place; a typed consent
 * records a new one; optIn opts the contact in again.
 */
export function contactChanges(before, v) {
  const a = contactRequest(before), b = contactRequest(v);
  const out = {};
  if (b.phone) out.phone = b.phone;
  if (v.clearName) out.name = null;
  else if (b.name) out.name = b.name;
  if (b.language !== a.language) out.language = b.language;
  const sorted = (gs) => gs.map((g) => g.toLowerCase()).sort().join(',');
  if (sorted(b.groups) !== sorted(a.groups)) out.groups = b.groups;
  const where = (r) => JSON.stringify([r.place ?? null, r.lat ?? null, r.lon ?? null]);
  if (where(b) !== where(a)) Object.assign(out, { place: b.place ?? null, lat: b.lat ?? null, lon: b.lon ?? null });
  if (b.consent_how) out.consent_how = b.consent_how;
  if (b.opt_in) out.opt_in = true;
  return out;
}

/**
 * broadcastRequest is the JSON body of a broadcast form (the Contacts
 * page's, POST /api/v1/broadcasts, and a check's on the Verify page, POST
 * /api/v1/integrity/narratives/{id}/check/broadcasts; broadcast_form.js):
 * the gateway channel, one audience by v.mode ('group'; 'area', everyone
 * within v.radius km of v.place; 'admin', an admin area; 'cells', grid
 * cells separated by spaces, commas or semicolons), v.texts by language
 * with the empty ones left out, and v.at typed in UTC ('YYYY-MM-DDTHH:MM';
 * '' sends it now).
 */
export function broadcastRequest(v) {
  const messages = {};
  for (const [l, text] of Object.entries(v.texts || {})) { const s = String(text).trim(); if (s) messages[l] = s; }
  const req = { channel_id: Number(v.channel), messages };
  if (v.mode === 'group') req.group = v.group.trim();
  else if (v.mode === 'admin') req.admin_area = v.admin.trim();
  else if (v.mode === 'cells') req.cells = v.cells.split(/[\s,;]+/).filter(Boolean).map(Number);
  else { req.near_place = v.place.trim(); req.radius_km = Number(String(v.radius).trim().replace(',', '.')); }
  if (v.at) req.at = `${v.at}:00Z`;
  return req;
}

/**
 * broadcastField is the broadcast form's field (broadcastRequest's names:
 * 'channel', 'group', 'place', 'radius', 'admin', 'cells', 'text-<lang>',
 * 'text' for the first text, 'at') a refusal naming the API's field f is
 * about; '' when none (the role, the check's state).
 */
export function broadcastField(f) {
  const m = /^messages\.([a-z]+)$/.exec(f || '');
  if (m) return 'text-' + m[1];
  return { channel_id: 'channel', group: 'group', near_place: 'place', lat: 'place', lon: 'place', radius_km: 'radius',
    admin_area: 'admin', cells: 'cells', messages: 'text', fallback: 'text', at: 'at' }[f] || '';
}

// A rating's name in English and French, as integrity.RatingName says it.
const RATING_NAMES = { false: ['False', 'Faux'], misleading: ['Misleading', 'Trompeur'], true: ['True', 'Vrai'], unverifiable: ['Unverifiable', 'Invérifiable'] };

/**
 * answerTexts is what a broadcast answering check c says first, in English
 * and French, as the answer to a tipline sender does (integrity.AnswerText):
 * the rating, the fact-check's summary in that language and, once published,
 * its public page at origin. '' for a language without a summary, and both
 * '' before the claim is rated.
 */
export function answerTexts(c, origin) {
  const out = { en: '', fr: '' };
  if (!c.rating) return out;
  for (const [i, l] of ['en', 'fr'].entries()) {
    const sum = String(c['summary_' + l] || '').trim();
    if (!sum) continue;
    const name = (RATING_NAMES[c.rating] || [c.rating, c.rating])[i];
    const url = c.slug ? ` ${origin.replace(/\/+$/, '')}/factcheck/${c.slug}${l === 'fr' ? '?lang=fr' : ''}` : '';
    out[l] = name + (l === 'fr' ? '\u00a0: ' : ': ') + sum + url;
  }
  return out;
}

/**
 * A saved scenario's name in lang (its French name where it has one),
 * without the raw month its name may end with (« …, 2018-12 »: the demo's
 * and older default names): the month is said beside it, in words, once.
 * A name that is only the month is kept.
 */
export function scenarioName(s, lang) {
  const name = (lang === 'fr' && s.name_fr) || s.name || '';
  const bare = s.month && name.endsWith(s.month) ? name.slice(0, -s.month.length).replace(/[\s,]+$/, '') : name;
  return bare || name;
}
