package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/web"
)

// formsBrowser is an administrator logged in at 1366×768 on the demo data.
func formsBrowser(t *testing.T) (*e2eServer, context.Context) {
	t.Helper()
	chromiumPath(t)
	db, _ := openDemoStore(t)
	srv := serveE2E(t, &web.Server{DB: db, Log: web.QuietLog()}, "admin.forms", auth.Admin)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	return srv, ctx
}

// openLang opens the UI route hash in language lang and waits (across the
// reload) for the element with id in the reloaded page: the page before the
// reload is marked (window.vigilBeforeReload), for it can show the route
// too, in lang already (openIn's navigate draws it there first), and a test
// acting on it lost what it did to the reload (TestE2ESurveysRefusalsFrench
// opened the margins box there, and it came back closed).
func openLang(t *testing.T, ctx context.Context, srv *e2eServer, hash, lang, id string) {
	t.Helper()
	if _, err := js[bool](ctx, `window.vigilBeforeReload = true`); err != nil {
		t.Fatal(err)
	}
	if err := openIn(ctx, srv.URL+"/"+hash, lang); err != nil {
		t.Fatal(err)
	}
	if err := pollAcrossReloads(ctx, `window.vigilBeforeReload !== true && document.documentElement.lang === '`+lang+`' && !!document.getElementById('`+id+`')`, stepWait); err != nil {
		t.Fatalf("%s (%s): #%s never shown: %v", hash, lang, id, err)
	}
}

// TestE2EDateInputMonthLabel: the coverage planner's month (a
// Vigil.dateInput of kind month named "Month") shows that name once, not
// once for the field and again over the month list; the list keeps its
// accessible name, and axe finds nothing serious, in English and French.
func TestE2EDateInputMonthLabel(t *testing.T) {
	t.Parallel()
	srv, ctx := formsBrowser(t)
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, want string }{{"en", "Month"}, {"fr", "Mois"}} {
		openLang(t, ctx, srv, "#/coverage", c.lang, "coverage-month")
		// The texts of the legend and part labels a sighted user sees, and the month list's label.
		raw, err := js[string](ctx, `JSON.stringify((() => {
		  const fs = document.getElementById('coverage-month');
		  const seen = [...fs.querySelectorAll('legend, .date-part > label')].filter((e) => e.getBoundingClientRect().width > 1 && e.getBoundingClientRect().height > 1).map((e) => e.textContent);
		  const m = document.getElementById('coverage-month-month');
		  return {seen, name: [...m.labels].map((l) => l.textContent).join(' ')};
		})())`)
		var got struct {
			Seen []string
			Name string
		}
		if err == nil {
			err = json.Unmarshal([]byte(raw), &got)
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(strings.Join(got.Seen, "|")+"|", c.want+"|"); n != 1 {
			t.Errorf("%s: the month field shows %q: %q %d times, want once", c.lang, got.Seen, c.want, n)
		}
		if got.Name != c.want {
			t.Errorf("%s: the month list is labelled %q, want %q", c.lang, got.Name, c.want)
		}
		axe("coverage " + c.lang)
	}
}

// TestE2EDateInputSidebar: the map sidebar's From and To dates (day, month
// name, year) each stand on one line inside the sidebar at 1366×768, in
// English and French (French month names are the longer).
func TestE2EDateInputSidebar(t *testing.T) {
	t.Parallel()
	srv, ctx := formsBrowser(t)
	for _, lang := range []string{"en", "fr"} {
		openLang(t, ctx, srv, "#/map", lang, "filter-to")
		for _, id := range []string{"filter-from", "filter-to"} {
			// Parts on another line than the first (their top below the
			// first part's middle: sub-pixel differences in the parts' tops
			// are one line, and rounding them counted two in the full suite),
			// parts past the sidebar's
			// content edge, and whether the month list is narrower than its
			// longest month name (the name cut).
			raw, err := js[string](ctx, `JSON.stringify((() => {
			  const fs = document.getElementById('`+id+`'), side = fs.closest('.sidebar');
			  const edge = side.getBoundingClientRect().left + side.clientWidth - parseFloat(getComputedStyle(side).paddingRight) + 0.5;
			  const parts = [...fs.querySelectorAll('.date-part')].map((p) => p.getBoundingClientRect());
			  const m = fs.querySelector('select.date-month'), st = getComputedStyle(m);
			  const ctx = document.createElement('canvas').getContext('2d'); ctx.font = st.font;
			  const longest = Math.max(...[...m.options].map((o) => ctx.measureText(o.textContent).width));
			  return {lines: 1 + parts.filter((r) => r.top >= parts[0].top + parts[0].height / 2).length, past: parts.filter((r) => r.right > edge).length,
			    cut: m.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight) - 16 < longest};
			})())`)
			var got struct {
				Lines, Past int
				Cut         bool
			}
			if err == nil {
				err = json.Unmarshal([]byte(raw), &got)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Lines != 1 || got.Past != 0 || got.Cut {
				t.Errorf("%s #%s: on %d lines, %d parts past the sidebar, month name cut %v; want one line inside, names whole", lang, id, got.Lines, got.Past, got.Cut)
			}
		}
	}
}

// TestE2EDateInputListeners: a Vigil.dateInput whose form has left the
// page leaves no listener behind (a language listener and a document reset
// listener per control stayed until the next language switch).
func TestE2EDateInputListeners(t *testing.T) {
	t.Parallel()
	srv, ctx := formsBrowser(t)
	openLang(t, ctx, srv, "#/map", "en", "filter-to")
	left, err := js[int](ctx, `(() => {
	  let held = 0;
	  const on = Vigil.on, add = document.addEventListener, rm = document.removeEventListener;
	  Vigil.on = function (name, fn) {
	    const off = on.call(this, name, fn); held++; let gone = false;
	    return () => { if (!gone) { gone = true; held--; } return off(); };
	  };
	  document.addEventListener = function (type, ...rest) { if (type === 'reset') held++; return add.call(this, type, ...rest); };
	  document.removeEventListener = function (type, ...rest) { if (type === 'reset') held--; return rm.call(this, type, ...rest); };
	  try {
	    for (let i = 0; i < 5; i++) {
	      const f = document.createElement('form');
	      f.append(Vigil.dateInput({ id: 'gone-' + i, label: 'filter.from', value: '2019-03-05' }));
	      document.body.append(f);
	      f.remove();
	    }
	  } finally { Vigil.on = on; document.addEventListener = add; document.removeEventListener = rm; }
	  return held;
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("5 date controls made and gone: %d listeners still held", left)
	}
	// The controls on the page still follow a language switch and a reset.
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#filter-from-month option[value="03"]').textContent === 'mars'`, stepWait); err != nil {
		t.Errorf("the map's From date kept its English month names after switching to French: %v", err)
	}
	if _, err := js[bool](ctx, `(() => { const fs = document.getElementById('filter-from'); fs.value = '1900-01-01'; fs.dispatchEvent(new FocusEvent('focusout', { bubbles: true })); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!document.getElementById('filter-from-error').hidden`, stepWait); err != nil {
		t.Errorf("1 January 1900 (before 1946) not said: %v", err)
	}
	if _, err := js[bool](ctx, `(document.getElementById('filters').reset(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('filter-from-error').hidden`, stepWait); err != nil {
		t.Errorf("after the filters' reset the From date still says a problem: %v", err)
	}
}

// TestE2EAdminErrorField (review F10): an administration form the API
// refuses says which field is wrong, "field: message" (Vigil.errText, as
// the other pages), not the message alone; a message that already names
// its field is not given it twice.
func TestE2EAdminErrorField(t *testing.T) {
	t.Parallel()
	srv, ctx := formsBrowser(t)
	openLang(t, ctx, srv, "#/admin?tab=users", "en", "admin-user-name")
	submit := func(name string) string {
		t.Helper()
		if _, err := js[bool](ctx, `(document.querySelector('#admin-body .notice.error')?.remove(), true)`); err != nil {
			t.Fatal(err)
		}
		if err := typeInto(ctx, "#admin-user-name", name); err != nil {
			t.Fatal(err)
		}
		if err := focusEnter(ctx, "#admin-user-form button[type=submit]"); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `!!document.querySelector('#admin-body .notice.error')`, stepWait); err != nil {
			t.Fatalf("no error said for the user %q: %v", name, err)
		}
		msg, _ := text(ctx, "#admin-body .notice.error")
		return msg
	}
	// The server's own answer names the field in its message: said once.
	if msg := submit("bad name"); !strings.HasPrefix(msg, "Failed: Name: ") || strings.HasPrefix(msg, "Failed: Name: Name: ") {
		t.Errorf("the refused user name is said %q, want %q once", msg, "Name: ")
	}
	// An answer whose field the message does not name (the form a handler's
	// bad request takes, {"error": "unknown parameter …", "field": "x"}).
	if _, err := js[bool](ctx, `(() => {
	  const real = window.fetch;
	  window.fetch = (u, o) => String(u).includes('/api/v1/users') && o && o.method === 'POST'
	    ? Promise.resolve(new Response(JSON.stringify({ error: 'must be one of viewer, responder, analyst, admin', field: 'role' }), { status: 400, headers: { 'Content-Type': 'application/json' } }))
	    : real(u, o);
	  return true;
	})()`); err != nil {
		t.Fatal(err)
	}
	if msg, want := submit("field.officer"), "Failed: Role: must be one of viewer, responder, analyst, admin"; msg != want {
		t.Errorf("a refusal naming the field role is said %q, want %q", msg, want)
	}
}
