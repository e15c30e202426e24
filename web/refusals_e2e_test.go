package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ESharedRefusalsFrench: on the French Integrity page, a refusal of
// a check every endpoint shares is said in French: a search over 200
// bytes (internal/query's parameter check), a body the JSON decoder
// refused (the feed form's body made malformed in the page, or with a
// value of the wrong type: decodeJSON);
// a server that failed (a 500 answered in the page, with a detail the page
// must not show) and a server that cannot be reached are the UI's own
// words in the page's language, in English on the English page.
func TestE2ESharedRefusalsFrench(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	// The page's next call to the API that sends something (not a GET)
	// goes through window.__next (then fetch is the browser's again): a
	// body made malformed, a 500, no network. GETs pass by: the Add tab
	// loads its feeds and channels while the form is already shown, and
	// the CI run of a10d296 failed « a malformed body refused in French »
	// when such a load took the hook and the feed was simply added.
	const hook = `(() => { const f = window.fetch; window.fetch = (u, o) => { const m = ((o && o.method) || 'GET').toUpperCase(); const n = m === 'GET' ? null : window.__next; if (n) window.__next = null; return n ? n(u, o, f) : f(u, o); }; return true; })()`
	const malformed = `(window.__next = (u, o, f) => f(u, { ...o, body: '{"url": x}' }), true)`
	const wrongType = `(window.__next = (u, o, f) => f(u, { ...o, body: '{"url": 7}' }), true)`
	const failed = `(window.__next = () => Promise.resolve(new Response(JSON.stringify({ error: 'pq: relation "feeds" does not exist' }), { status: 500, headers: { 'Content-Type': 'application/json' } })), true)`
	const unreachable = `(window.__next = () => Promise.reject(new TypeError('Failed to fetch')), true)`
	const items = `(document.querySelector('#integrity-items .notice.error')?.textContent || '')`
	const feed = `(document.querySelector('#integrity-feed-result')?.textContent || '')`
	submitFeed := func(setup string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{evalJS(setup), chromedp.SetValue(css(`#integrity-feed-url`), "https://radio.example/feed.xml"),
			click(css(`#integrity-feed-form button[type=submit]`))}
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the French Integrity page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity"), setLangJS("fr"), evalJS(hook)},
			`document.documentElement.lang === 'fr' && document.querySelector('#integrity-tab-items')?.textContent === 'Contenus'`},
		{"its items", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-items`))}, `document.querySelector('#integrity-q')`},
		{"a search over 200 bytes refused in French", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#integrity-q`), strings.Repeat("a", 201)),
			click(css(`form:has(#integrity-q) button[type=submit]`))},
			items + ` === 'q\u00a0: au plus 200 octets'`},
		{"the feeds form", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-add`))}, `document.querySelector('#integrity-feed-form')`},
		{"a malformed body refused in French", submitFeed(malformed),
			feed + ` === "JSON invalide\u00a0: caractère 'x' invalide là où une valeur devait commencer"`},
		{"a value of the wrong type refused in French, without Go's names", submitFeed(wrongType),
			feed + ` === "JSON invalide\u00a0: json\u00a0: champ url\u00a0: un nombre ne convient pas, il faut une chaîne"`},
		{"a 500 said in French, without the server's detail", submitFeed(failed),
			feed + ` === "Le serveur n’a pas pu traiter la demande. Réessayez\u202f; l’erreur a été consignée." && !document.body.innerText.includes('relation')`},
		{"no network said in French", submitFeed(unreachable),
			feed + ` === 'Le serveur Vigil est injoignable\u00a0: rien n’a été enregistré. Ce que vous avez saisi reste ici\u202f; renvoyez-le quand la connexion sera revenue.'`},
		{"the English page", []chromedp.Action[chromedp.Void]{setLangJS("en")},
			`document.documentElement.lang === 'en' && document.querySelector('#integrity-tab-add')?.textContent === 'Bring items in'`},
		{"the English feeds form", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-add`))}, `document.querySelector('#integrity-feed-form')`},
		{"a 500 said in English", submitFeed(failed),
			feed + ` === 'The server failed to do this. Try again; the error was logged.'`},
		{"a malformed body refused as the server says it", submitFeed(malformed),
			feed + ` === "invalid JSON: invalid character 'x' looking for beginning of value"`},
		{"a value of the wrong type refused in JSON words", submitFeed(wrongType),
			feed + ` === "invalid JSON: json: field url: cannot use a number here, want a string"`},
	})
}
