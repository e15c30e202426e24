// Browser globals web/ui's modules reach for on loading, stubbed for
// node's test runner, and the shipped dictionaries served as the server
// merges them (web/ui/assets.go). Imported first by the *_test.mjs files.
import { readFileSync, readdirSync } from 'node:fs';

const noop = () => {};
globalThis.window = { addEventListener: noop };
export const cookieWrites = []; // what the page wrote to document.cookie
globalThis.document = { addEventListener: noop, get cookie() { return ''; }, set cookie(v) { cookieWrites.push(v); }, documentElement: { dataset: {} }, querySelectorAll: () => [] };
export const stored = new Map(); // localStorage
globalThis.localStorage = { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, String(v)) };
Object.defineProperty(globalThis, 'navigator', { value: { languages: ['en'] }, configurable: true });

// Each language's dictionary as the server merges it (web/ui/assets.go).
const i18n = new URL('../i18n/', import.meta.url);
const merged = (lang) => Object.assign({}, ...readdirSync(i18n).filter((f) => f === `${lang}.json` || f.endsWith(`.${lang}.json`))
  .map((f) => JSON.parse(readFileSync(new URL(f, i18n), 'utf8'))));
globalThis.fetch = async (url) => {
  const lang = /\/ui\/i18n\/([a-z]+)\.json$/.exec(url)?.[1];
  return { ok: true, json: async () => merged(lang) };
};
