package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
)

// formLayoutProblems answers what is out of line in the forms shown: in a
// row of fields (.form-row), a field's control that does not start at the
// height of the others (a hint under one input lifted it above its
// neighbours: Integrity's feed form; a file picker counts as its
// field's control) — a field of a button alone is
// compared by its button; in a row of
// buttons (.btn-row), a space between two buttons on one line other than
// the row's gap (a page rule added a margin, so each button after the first
// stood further off, and on a wrapped line started inside the row's edge);
// in the survey settings panel, a text field (no size set) whose text is
// cut (« Se sentent en sécurité ou très en sécu… »); a field's select
// stretched past its own width to the form's (Contacts' « Langue » beside
// short fields); a button beside fields set on their foot standing lower
// than their controls (« Comparer avec la population »). Only rows whose labels
// are on one line each are compared.
const formLayoutProblems = `(() => {
  const out = [];
  const shown = (e) => e.offsetParent !== null;
  const name = (e) => e.id || e.className || e.tagName;
  for (const row of document.querySelectorAll('main .form-row')) {
    if (!shown(row)) continue;
    const fields = [...row.children].filter((f) => f.matches('.field') && shown(f));
    const ctl = fields.map((f) => f.querySelector(':scope > :is(input:not([type=checkbox]):not([type=radio]):not(.file-input), select, textarea, .file-pick)') || f.querySelector(':scope > button:only-child'));
    const labels = fields.map((f) => f.querySelector(':scope > label'));
    if (ctl.some((c) => !c) || labels.some((l, i) => l ? l.getClientRects().length !== 1 || l.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(l).lineHeight) : ctl[i].tagName !== 'BUTTON')) continue;
    // Fields on the row's first line only (a wrapped line starts lower).
    const top0 = Math.min(...fields.map((f) => f.getBoundingClientRect().top));
    const first = ctl.filter((c, i) => fields[i].getBoundingClientRect().top < top0 + 40);
    const tops = first.map((c) => Math.round(c.getBoundingClientRect().top));
    if (Math.max(...tops) - Math.min(...tops) > 2) out.push('form row ' + first.map((c, i) => name(c) + '@' + tops[i]).join(', '));
  }
  for (const row of document.querySelectorAll('main .btn-row')) {
    if (!shown(row)) continue;
    const gap = parseFloat(getComputedStyle(row).columnGap) || 0;
    const bs = [...row.children].filter(shown);
    for (let i = 1; i < bs.length; i++) {
      const a = bs[i - 1].getBoundingClientRect(), b = bs[i].getBoundingClientRect();
      if (b.top >= a.bottom - 2) { // on the next line
        if (Math.abs(b.left - row.getBoundingClientRect().left) > 2) out.push('wrapped button ' + name(bs[i]) + ' starts ' + Math.round(b.left - row.getBoundingClientRect().left) + ' px in');
        continue;
      }
      if (Math.abs(b.left - a.right - gap) > 2) out.push('buttons ' + bs[i - 1].textContent + ' | ' + bs[i].textContent + ': ' + Math.round(b.left - a.right) + ' px apart, gap ' + gap);
    }
  }
  // Buttons of a table cell (not in a row of buttons): a wrapped one starts at the first one's edge.
  for (const td of document.querySelectorAll('main td')) {
    const bs = [...td.querySelectorAll('button')].filter(shown);
    for (let i = 1; i < bs.length; i++) {
      const a = bs[i - 1].getBoundingClientRect(), b = bs[i].getBoundingClientRect();
      if (b.top >= a.bottom - 2 && Math.abs(b.left - bs[0].getBoundingClientRect().left) > 2) out.push('wrapped button ' + bs[i].textContent + ' starts ' + Math.round(b.left - bs[0].getBoundingClientRect().left) + ' px right of ' + bs[0].textContent);
    }
  }
  // In a row of fields set on their foot (Surveys', Responsiveness' controls), a button beside them stands level with their controls.
  for (const row of document.querySelectorAll('main :is(.surveys-controls, .resp-controls)')) {
    if (!shown(row)) continue;
    const ctls = [...row.querySelectorAll(':scope > :is(.field, label) > :is(select, input), :scope > fieldset .date-parts')].filter(shown);
    for (const b of [...row.querySelectorAll(':scope > button')].filter(shown)) {
      const bb = b.getBoundingClientRect();
      for (const c of ctls) {
        const r = c.getBoundingClientRect();
        if (r.bottom > bb.top && r.top < bb.bottom && Math.abs(bb.bottom - r.bottom) > 2) out.push('button ' + name(b) + ' ' + Math.round(bb.bottom - r.bottom) + ' px below the foot of ' + name(c));
      }
    }
  }
  // A field's select as wide as its choices (at least a field), not stretched to the form's width (Contacts' « Langue »).
  for (const c of document.querySelectorAll('main .field > select')) {
    if (!shown(c)) continue;
    const w = c.getBoundingClientRect().width;
    c.style.alignSelf = 'flex-start';
    const own = c.getBoundingClientRect().width;
    c.style.alignSelf = '';
    if (w > own + 2) out.push('select #' + c.id + ' stretched to ' + Math.round(w) + ' px (its own width ' + Math.round(own) + ' px)');
  }
  for (const c of document.querySelectorAll('#surveys-settings input[type=text]:not([size])')) {
    if (shown(c) && c.scrollWidth > c.clientWidth + 1) out.push('cut text in #' + c.id + ': ' + c.value);
  }
  return out;
})()`

// TestE2EFormLayout: forms line up. Seen in the screenshot pass at 1366×768
// and 1440×900, English and French: Integrity's import form had its source
// field higher than the file picker, its feed form had the source
// field (with its hint) higher than the address and the interval, its
// manual item form the type lower than source and place, Performance's
// mission lower than the new mission and the period; the « Par sexe », « Par tranche
// d'âge » buttons (and Administration's « Désactiver », « Supprimer ») stood
// apart by twice the gap and a wrapped one started inside the cell, as
// « Retirer » under « Interroger maintenant » beside a failed poll; the survey settings' names were cut in their fields;
// Contacts' « Langue », « Passerelle » and « Destinataires » selects ran the form's whole width;
// Administration's event import had « Format » lower than the file picker
// (its hint under the picker lifted it; seen on 2026-12-07).
func TestE2EFormLayout(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "form-layout-")
	// A feed whose poll failed: its long status wraps the row's actions.
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>")
	}))
	t.Cleanup(feed.Close)
	if _, err := srv.Server.Integrity.AddFeed(context.Background(), "test", integrity.FeedInput{URL: feed.URL, EveryMinutes: 60}); err != nil {
		t.Fatal(err)
	}
	b.step("feed polled", navigate(srv.URL+"/#/integrity?tab=add"))
	b.wait("feed", `document.querySelector('.integrity-feed-poll')`)
	if _, err := js[bool](b.ctx, `(document.querySelector('.integrity-feed-poll').click(), true)`); err != nil {
		t.Fatal(err)
	}
	b.wait("feed failed", `document.querySelector('.integrity-feed-status .badge.danger, .integrity-feed-status .badge.error')`)
	pages := []struct{ name, hash, ready, open string }{
		{"integrity add", "#/integrity?tab=add", `document.querySelector('#integrity-feed-form') && document.querySelector('.integrity-feed-status .badge')`, ""},
		{"performance", "#/performance", `document.querySelector('.perf-by-buttons') && !document.querySelector('#perf-indicators > p')`, ""},
		{"admin channels", "#/admin?tab=channels", `document.querySelector('#admin-channels .btn-row')`, ""},
		{"admin data", "#/admin?tab=data", `document.querySelector('#admin-deploy-form')`, ""},
		{"admin margins", "#/admin?tab=margins", `document.querySelector('#admin-margins-form')`, ""},
		{"contacts", "#/contacts", `document.querySelector('#contact-language')`, ""},
		{"survey settings", "#/surveys", `document.querySelector('#surveys-set-ind-0-label_fr')?.value`, `document.querySelector('#surveys-settings') && (document.querySelector('#surveys-settings').open = true)`},
	}
	for _, size := range [][2]int{{1366, 768}, {1440, 900}} {
		b.step("size", chromedp.EmulateViewport(int64(size[0]), int64(size[1])))
		for _, lang := range []string{"en", "fr"} {
			for _, p := range pages {
				if err := openIn(b.ctx, srv.URL+"/"+p.hash, lang); err != nil {
					t.Fatal(err)
				}
				if p.open != "" {
					b.wait(p.name, `document.documentElement.lang === '`+lang+`' && `+p.open)
				}
				b.wait(p.name, `document.documentElement.lang === '`+lang+`' && `+p.ready)
				got, err := js[[]string](b.ctx, formLayoutProblems)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range got {
					t.Errorf("%s %d×%d, %s: %s", lang, size[0], size[1], p.name, g)
				}
			}
		}
	}
}
