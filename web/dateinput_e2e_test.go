package web_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"
)

// TestE2EDateInputs: every date and month the UI asks for is entered in the
// page's language (Vigil.dateInput: day, month name, year), not with the
// browser's <input type=date|month>, which Chromium draws in its own locale
// ("mm/dd/yyyy", "January 2019" on a French page); the values reach the API
// as YYYY-MM-DD and YYYY-MM; a date that does not exist is said, naming the
// field, in the page's language; a language switch redraws the month names.
func TestE2EDateInputs(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startFullServer(t)
	saveDemoDeployments(t, srv.DB)
	ctx, _ := newBrowser(t, 1366, 768)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}); err != nil {
		t.Fatal(err)
	}
	// openFR opens hash in French and waits (across the reload) for sel.
	openFR := func(hash, sel string) {
		t.Helper()
		if err := openIn(ctx, srv.URL+"/"+hash, "fr"); err != nil {
			t.Fatal(err)
		}
		if err := pollAcrossReloads(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('`+sel+`')`, stepWait); err != nil {
			t.Fatalf("%s: %s never shown: %v", hash, sel, err)
		}
	}
	frMonths := "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre"
	enMonths := "January,February,March,April,May,June,July,August,September,October,November,December"
	// What the page's date controls are: native date/month inputs (must be
	// none), the month names each offers, and the text of their labels.
	const controls = `JSON.stringify({
	  native: [...document.querySelectorAll('input[type=date], input[type=month], input[type=datetime-local]')].map((e) => e.id || e.outerHTML.slice(0, 80)),
	  months: [...document.querySelectorAll('.date-input select.date-month')].map((s) => [...s.options].slice(1).map((o) => o.textContent).join(',')),
	  labels: [...document.querySelectorAll('.date-input .date-part > label')].map((l) => l.textContent)})`
	type shown struct{ Native, Months, Labels []string }
	read := func() shown {
		t.Helper()
		var s shown
		raw, err := js[string](ctx, controls)
		if err == nil {
			err = json.Unmarshal([]byte(raw), &s)
		}
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pages := []struct{ hash, id string }{
		{"#/map", "filter-from"},
		{"#/coverage", "coverage-month"},
		{"#/responsiveness", "resp-from"},
		{"#/integrity?tab=brief", "integrity-brief-end"},
		{"#/admin?tab=interlocutors", "admin-inter-date"},
		{"#/admin?tab=audit", "admin-audit-since"},
		{"#/contacts", "broadcast-at"},
		{"#/integrity?tab=add", "integrity-item-time"},
	}
	for _, p := range pages {
		if err := openIn(ctx, srv.URL+"/"+p.hash, "fr"); err != nil {
			t.Fatalf("%s: %v", p.hash, err)
		}
		if err := pollAcrossReloads(ctx, `document.documentElement.lang === 'fr' && !!document.getElementById('`+p.id+`')`, stepWait); err != nil {
			body, _ := js[string](ctx, `location.href + ' ' + document.documentElement.lang + ' ' + (document.querySelector('main')?.textContent || '').slice(0, 400)`)
			t.Fatalf("%s: #%s never shown: %v\npage: %s", p.hash, p.id, err, body)
		}
		s := read()
		if len(s.Native) > 0 {
			t.Errorf("%s (French): the browser's own date inputs, drawn in its locale: %v", p.hash, s.Native)
		}
		if len(s.Months) == 0 {
			t.Errorf("%s (French): no month chosen by name", p.hash)
		}
		for _, m := range s.Months {
			if m != frMonths {
				t.Errorf("%s (French): months offered %q, want %q", p.hash, m, frMonths)
			}
		}
		for _, l := range s.Labels {
			if l != "Jour" && l != "Mois" && l != "Année" && l != "Heure (0 à 23)" && l != "Minutes" {
				t.Errorf("%s (French): a date part labelled %q", p.hash, l)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// The audit filter: a date that does not exist is said in French,
	// naming the field, and the form is not sent.
	openFR("#/admin?tab=audit", "#admin-audit")
	if err := typeInto(ctx, "#admin-audit-since-day", "31"); err != nil {
		t.Fatal(err)
	}
	if err := keyboardChoose(ctx, "#admin-audit-since-month", "02"); err != nil {
		t.Fatal(err)
	}
	if err := typeInto(ctx, "#admin-audit-since-year", "2019"); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.KeyEvent(keys.Tab)); err != nil { // out of the date
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const e = document.getElementById('admin-audit-since-error'); return !e.hidden && e.textContent.startsWith('Du\u00a0: cette date n’existe pas'); })()`, stepWait); err != nil {
		msg, _ := js[string](ctx, `document.getElementById('admin-audit-since-error')?.textContent || 'no message'`)
		t.Fatalf("31 February: the page says %q: %v", msg, err)
	}
	if v, _ := js[string](ctx, `document.getElementById('admin-audit-since').value`); v != "" {
		t.Errorf("31 February read as %q", v)
	}
	if ok, _ := js[bool](ctx, `document.getElementById('admin-audit-form').checkValidity()`); ok {
		t.Error("the audit filter with 31 February can be sent")
	}
	// Corrected (the 28th): the filter reaches the API as since=2019-02-28.
	if err := typeInto(ctx, "#admin-audit-since-day", "28"); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, "#admin-audit-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('admin-audit-since-error').hidden && performance.getEntriesByType('resource').some((e) => e.name.includes('/api/v1/audit?') && e.name.includes('since=2019-02-28&'))`, stepWait); err != nil {
		asked, _ := js[string](ctx, `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/api/v1/audit')).join(' ')`)
		t.Fatalf("the audit filter never asked since=2019-02-28 (asked: %s): %v", asked, err)
	}

	// A date and time (24-hour): an item heard on 5 March 2018 at 14:30.
	openFR("#/integrity?tab=add", "#integrity-item-time-day")
	for _, st := range []struct{ sel, text string }{{"#integrity-item-time-day", "5"}, {"#integrity-item-time-year", "2018"}, {"#integrity-item-time-hour", "14"}, {"#integrity-item-time-minute", "30"}} {
		if err := typeInto(ctx, st.sel, st.text); err != nil {
			t.Fatal(err)
		}
	}
	if err := keyboardChoose(ctx, "#integrity-item-time-month", "03"); err != nil {
		t.Fatal(err)
	}
	if v, _ := js[string](ctx, `document.getElementById('integrity-item-time').value`); v != "2018-03-05T14:30" {
		t.Errorf("5 mars 2018, 14 h 30 read as %q", v)
	}
	if err := typeInto(ctx, "#integrity-item-time-hour", "24"); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.KeyEvent(keys.Tab)); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('integrity-item-time').value === '' && document.getElementById('integrity-item-time-error').textContent === 'Quand (UTC)\u00a0: l’heure est un nombre de 0 à 23, les minutes de 0 à 59'`, stepWait); err != nil {
		msg, _ := js[string](ctx, `document.getElementById('integrity-item-time-error')?.textContent || 'no message'`)
		t.Errorf("hour 24: the page says %q: %v", msg, err)
	}

	// The interlocutor log: a meeting on 5 March 2018, entered with the
	// keyboard, is stored with the date 2018-03-05. The server holds
	// margins, so the place is chosen among their areas (the first).
	openFR("#/admin?tab=interlocutors", "#admin-inter-date-day")
	for _, st := range []struct{ sel, text string }{{"#admin-inter-date-day", "5"}, {"#admin-inter-date-year", "2018"}} {
		if err := typeInto(ctx, st.sel, st.text); err != nil {
			t.Fatal(err)
		}
	}
	if err := keyboardChoose(ctx, "#admin-inter-date-month", "03"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('select#admin-inter-place')?.options.length > 1`, stepWait); err != nil {
		t.Fatalf("no choice of place: %v", err)
	}
	area := mustJS(t, ctx, `document.querySelector('#admin-inter-place').options[1].value`)
	label := mustJS(t, ctx, `document.querySelector('#admin-inter-place').options[1].textContent`)
	if err := keyboardChoose(ctx, "#admin-inter-place", area); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, "#admin-inter-form button[type=submit]"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-inter') && document.querySelector('#admin-inter').textContent.includes(`+strconv.Quote(label)+`)`, stepWait); err != nil {
		t.Fatal(err)
	}
	stored := mustJS(t, ctx, `fetch('/api/v1/surveys/interlocutors').then((r) => r.json()).then((x) => x.interlocutors.filter((i) => i.place === `+strconv.Quote(area)+`).map((i) => i.date).join(','))`)
	if stored != "2018-03-05" {
		t.Errorf("the meeting entered as 5 mars 2018 is stored with the date %q", stored)
	}

	// Responsiveness: the months asked reach the API as YYYY-MM.
	openFR("#/responsiveness", "#resp-from-month")
	for _, st := range []struct{ id, month, year string }{{"resp-from", "03", "1990"}, {"resp-to", "11", "1991"}} {
		if err := keyboardChoose(ctx, "#"+st.id+"-month", st.month); err != nil {
			t.Fatal(err)
		}
		if err := typeInto(ctx, "#"+st.id+"-year", st.year); err != nil {
			t.Fatal(err)
		}
	}
	if err := focusEnter(ctx, "#resp-go"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `performance.getEntriesByType('resource').some((e) => e.name.includes('/api/v1/coverage/responsiveness?from=1990-03&to=1991-11'))`, stepWait); err != nil {
		asked, _ := js[string](ctx, `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('responsiveness')).join(' ')`)
		t.Fatalf("responsiveness never asked from=1990-03&to=1991-11 (asked: %s): %v", asked, err)
	}

	// The language switch redraws the month names and the labels, and keeps the values.
	if err := do(ctx, chromedp.SetValue(css(`#lang`), "en")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'en'`, stepWait); err != nil {
		t.Fatal(err)
	}
	s := read()
	if len(s.Months) != 2 || s.Months[0] != enMonths || s.Months[1] != enMonths {
		t.Errorf("after the switch to English, months offered %q", s.Months)
	}
	if got := strings.Join(s.Labels, ","); got != "Month,Year,Month,Year" {
		t.Errorf("after the switch to English, the parts are labelled %q", got)
	}
	if v, _ := js[string](ctx, `document.getElementById('resp-from').value + ' ' + document.getElementById('resp-to').value`); v != "1990-03 1991-11" {
		t.Errorf("after the switch to English, the months hold %q", v)
	}
}
