// Headless ODK Web Forms client for web/odk_client_test.go.
//
// It behaves as an OpenRosa client would against a running Vigil: reads the
// form list, downloads the form named by FORM_ID, loads it in the ODK Web
// Forms engine (@getodk/xforms-engine) under Node with a jsdom DOM, fills it
// in from ANSWERS, lets the engine build its submission payload, then sends
// HEAD /submission and POSTs the payload (twice, to exercise deduplication).
//
// Environment: VIGIL_URL, VIGIL_USER, VIGIL_PASSWORD, FORM_ID,
// ANSWERS (JSON: {"repeats": {"/data/r": 2}, "values": {"/data/q": "x",
// "/data/r[2]/q": "y", "/data/sel": ["a", "b"]}}).
// Prints one JSON object with what happened; exits 1 on any failure.
import { createRequire } from 'node:module';
import path from 'node:path';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);
const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>');
for (const k of ['DOMParser', 'XMLSerializer', 'Node', 'Element', 'Document', 'NodeFilter', 'Attr', 'Text',
  'CDATASection', 'ProcessingInstruction', 'Comment', 'DocumentFragment', 'XPathResult', 'HTMLElement']) {
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
}
globalThis.window ??= dom.window;
globalThis.document ??= dom.window.document;
// The engine's bundled tree-sitter looks for its .wasm next to __dirname
// and loads Node modules with require.
globalThis.__dirname = path.dirname(require.resolve('@getodk/xforms-engine'));
globalThis.require = require;
const engine = await import('@getodk/xforms-engine');

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const base = env('VIGIL_URL').replace(/\/$/, '');
const formID = env('FORM_ID');
const answers = JSON.parse(env('ANSWERS'));
const auth = 'Basic ' + Buffer.from(`${env('VIGIL_USER')}:${env('VIGIL_PASSWORD')}`).toString('base64');
const headers = { Authorization: auth, 'X-OpenRosa-Version': '1.0' };
const out = { steps: [] };

async function get(url) {
  const r = await fetch(url, { headers });
  out.steps.push({ method: 'GET', url: url.replace(base, ''), status: r.status, openrosa: r.headers.get('x-openrosa-version') });
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return r;
}

try {
  // 1. Form list, as ODK Collect reads it.
  const list = await (await get(`${base}/formList?formID=${encodeURIComponent(formID)}`)).text();
  const entry = [...list.matchAll(/<xform>([\s\S]*?)<\/xform>/g)].map((m) => m[1])
    .find((x) => x.includes(`<formID>${formID}</formID>`));
  if (!entry) throw new Error(`form ${formID} is not in the form list: ${list}`);
  const downloadUrl = entry.match(/<downloadUrl>([^<]*)<\/downloadUrl>/)[1];
  out.hash = entry.match(/<hash>([^<]*)<\/hash>/)[1];

  // 2. Download and load the form in the engine.
  const xml = await (await get(downloadUrl)).text();
  const { root } = await engine.createInstance(xml, {
    form: {
      fetchFormAttachment: async (url) => { throw new Error(`unexpected form attachment ${url}`); },
    },
  });

  // 3. Fill it in: repeats first, then values by node reference.
  for (const [ref, n] of Object.entries(answers.repeats ?? {})) {
    const range = findNode(root, ref);
    if (!range || !range.addInstances) throw new Error(`no repeat ${ref}`);
    const have = range.currentState.children.length;
    if (n > have) range.addInstances(have - 1, n - have);
  }
  const set = [];
  for (const [ref, value] of Object.entries(answers.values ?? {})) {
    const node = findNode(root, ref);
    if (!node) throw new Error(`no question ${ref} in the form (have ${refs(root).join(', ')})`);
    if (node.nodeType === 'select') {
      Array.isArray(value) ? node.selectValues(value) : node.selectValue(value);
    } else if (node.nodeType === 'input') {
      const vt = node.valueType;
      node.setValue(vt === 'int' ? Number.parseInt(value, 10) : vt === 'decimal' ? Number.parseFloat(value) : value);
    } else {
      throw new Error(`${ref} is a ${node.nodeType}, not a question`);
    }
    set.push(ref);
  }
  out.set = set;

  // 4. The engine's payload: the submission XML and attachments.
  const payload = await root.prepareInstancePayload();
  out.payloadStatus = payload.status;
  if (payload.status !== 'ready') {
    out.violations = payload.violations?.map((v) => v.reference ?? v);
    throw new Error(`payload is ${payload.status}`);
  }
  out.instanceID = payload.data[0].get('xml_submission_file') && (await payload.data[0].get('xml_submission_file').text())
    .match(/<(?:\w+:)?instanceID>([^<]*)</)?.[1];

  // 5. HEAD then POST, like ODK Collect; then the same payload again.
  const head = await fetch(`${base}/submission`, { method: 'HEAD', headers });
  out.steps.push({ method: 'HEAD', url: '/submission', status: head.status, openrosa: head.headers.get('x-openrosa-version'),
    acceptContentLength: head.headers.get('x-openrosa-accept-content-length') });
  if (head.status !== 204) throw new Error(`HEAD /submission: ${head.status}`);
  out.posts = [];
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${base}/submission`, { method: 'POST', headers, body: payload.data[0] });
    const body = await r.text();
    out.posts.push({ status: r.status, openrosa: r.headers.get('x-openrosa-version'), body });
    if (r.status !== 201) throw new Error(`POST /submission: ${r.status} ${body}`);
  }
  console.log(JSON.stringify(out));
} catch (err) {
  out.error = String(err?.stack ?? err);
  console.log(JSON.stringify(out));
  process.exit(1);
}

function* walk(node) {
  yield node;
  const kids = node.currentState?.children;
  if (Array.isArray(kids)) for (const c of kids) yield* walk(c);
}

function findNode(root, ref) {
  for (const n of walk(root)) if (n.currentState?.reference === ref) return n;
  return null;
}

function refs(root) {
  return [...walk(root)].map((n) => n.currentState?.reference);
}
