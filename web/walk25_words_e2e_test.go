package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// Small wording defects found by walking the French demo, each checked
// where it was seen.

// TestE2EWalk25VerifyChooser: Verify's narrative chooser lists each
// narrative by its name, without its id in front (« #25 DEMO : rumeur… »);
// only two narratives of the same name are told apart, by « récit n° N »;
// each says its item count and its check's state, if any
// (« Coupure d’eau · 1 contenu · en vérification »). The claim's facts
// are a list of two columns.
func TestE2EWalk25VerifyChooser(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	day := time.Now().UTC().Add(-2 * time.Hour)
	its := []*integrity.Item{
		{Source: "s", SourceID: "v1", Via: integrity.ViaImport, Lang: "fr", Text: "Le pont de Rutshuru sera détruit ce soir", Time: day},
		{Source: "s", SourceID: "v2", Via: integrity.ViaImport, Lang: "fr", Text: "Les vaccins de la campagne rendent les enfants stériles", Time: day},
		{Source: "s", SourceID: "v3", Via: integrity.ViaImport, Lang: "fr", Text: "Une coupure d’eau générale est annoncée à Goma demain", Time: day},
	}
	testutil.AddItems(t, svc, "test", its...)
	for i, name := range []string{"Rumeur du pont", "Rumeur du pont", "Coupure d’eau"} {
		if err := svc.RenameNarrative(t.Context(), "test", its[i].Narrative, name); err != nil {
			t.Fatal(err)
		}
	}
	// Each option says its item count, and its check's state when it has one.
	if _, err := svc.UpdateCheck(t.Context(), "test", its[2].Narrative, integrity.CheckUpdate{State: new("verifying")}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/verify", "fr")
	const options = `[...document.querySelectorAll('#verify-narrative option')].slice(1).map((o) => o.textContent).sort().join(' | ')`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelectorAll('#verify-narrative option').length === 4`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, options)
	n := func(i int) string { return strconv.FormatInt(its[i].Narrative, 10) }
	if want := "Coupure d’eau · 1 contenu · en vérification | Rumeur du pont (récit n°\u00a0" + n(0) + ") · 1 contenu | Rumeur du pont (récit n°\u00a0" + n(1) + ") · 1 contenu"; got != want {
		t.Errorf("chooser's options:\n got %q\nwant %q", got, want)
	}
	// The claim's facts: a two-column list, each value on its term's line
	// (they stood under their terms, indented by the browser's dd margin).
	if _, err := js[bool](ctx, `(() => { const s = document.querySelector('#verify-narrative'); s.value = '`+n(2)+`'; s.form.requestSubmit(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#verify-summary dl')`, stepWait); err != nil {
		t.Fatal(err)
	}
	facts, _ := js[string](ctx, `[...document.querySelectorAll('#verify-summary dt')].filter((dt) => {
	  const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
	  return Math.abs(a.top - b.top) > 4 || b.left <= a.right || parseFloat(getComputedStyle(dd).marginLeft) > 0; }).map((dt) => dt.textContent).join(' | ')`)
	if facts != "" {
		t.Errorf("claim facts not on their terms' lines: %s", facts)
	}
}

// TestE2EWalk25TermLanguage: « Nouveau terme » chooses the term's language
// in a list of the languages Vigil knows, named as the table names them
// (it was a free-text field « Langue (fr, en, ar…) »), and sends its code;
// editing a term keeps its language chosen, one Vigil does not identify
// too.
func TestE2EWalk25TermLanguage(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	var ids []int64
	for _, tm := range []integrity.Term{{Term: "cafard", Language: "fr", Meaning: "insulte", Severity: 3}, {Term: "inyenzi", Language: "rw", Meaning: "insulte", Severity: 3}} {
		saved, err := svc.SaveTerm(t.Context(), "test", tm)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.ID)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=lexicon", "fr")
	const sel = `document.querySelector('#integrity-term-language-new')`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!`+sel, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, sel+`.tagName + ' ' + document.querySelector('label[for=integrity-term-language-new]').textContent + ': ' + [...`+sel+`.options].map((o) => o.value + '=' + o.textContent).join(', ')`)
	for _, want := range []string{"SELECT Langue: ", "=Toutes les langues", "ar=Arabe", "en=Anglais", "fr=Français", "sw=Swahili"} {
		if !strings.Contains(got, want) {
			t.Errorf("new term's language: %q lacks %q", got, want)
		}
	}
	if _, err := js[bool](ctx, `(`+sel+`.value = 'ar', document.querySelector('#integrity-term-term-new').value = 'كلب', `+sel+`.form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `[...document.querySelectorAll('#integrity-terms tbody tr')].some((r) => r.textContent.includes('كلب'))`, stepWait); err != nil {
		t.Fatal(err)
	}
	terms, err := svc.Terms(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]string{}
	for _, tm := range terms {
		langs[tm.Term] = tm.Language
	}
	if langs["كلب"] != "ar" {
		t.Errorf("term added in Arabic stored with language %q", langs["كلب"])
	}
	for i, want := range []string{"fr", "rw"} {
		id := strconv.FormatInt(ids[i], 10)
		if err := do(ctx, click(css("#term-edit-"+id))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('#integrity-term-language-`+id+`')?.value === '`+want+`'`, stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('#integrity-term-language-`+id+`')?.value ?? 'no field'`)
			t.Errorf("editing a term in %q: its language field says %q", want, got)
		}
	}
}

// TestE2EWalk25ScriptLanguages: « Texte à lire à la radio » under a recent
// broadcast names its languages as the rest of the French page does
// (« Anglais », not « English »).
func TestE2EWalk25ScriptLanguages(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, _ := alertsContactsServer(t)
	al, cs := s.Alerts, s.Contacts
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	tw, err := al.NewChannel(ctx0, "test", alerts.Twilio, "Twilio", "tw-token", "")
	if err != nil {
		t.Fatal(err)
	}
	g := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 100, AccountSID: "AC" + fmt.Sprintf("%032d", 0), From: "+15005550006", SendURL: "http://127.0.0.1:1/"}
	if _, err := cs.SetGateway(ctx0, "test", g); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Import(ctx0, "test", []contacts.Row{{Where: "c.csv", Input: contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"can"}, ConsentHow: "verbal"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Send(ctx0, "test", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": "Réunion demain"}}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/contacts", "fr")
	const links = `[...document.querySelectorAll('#broadcast-list li a[href*="/script?lang="]')].map((a) => a.textContent).join(' · ')`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelectorAll('#broadcast-list li a[href*="/script?lang="]').length === 2`, stepWait); err != nil {
		t.Fatal(err)
	}
	if got, _ := js[string](ctx, links); got != "Anglais · Français" {
		t.Errorf("radio script links on the French page: %q, want %q", got, "Anglais · Français")
	}
}

// TestE2EWalk25PhoneSearchEmpty: « Rechercher » by the phone report's
// place with the field empty says « Saisissez d’abord un nom de lieu. »
// by the field and puts the focus in it, as the incident's « Corriger le
// lieu » does (it did nothing and said nothing).
func TestE2EWalk25PhoneSearchEmpty(t *testing.T) {
	t.Parallel()
	srv, _, _, _, ctx := phoneFormBrowser(t)
	if err := openIn(ctx, srv.URL+"/#/alerts", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#alerts-phone summary')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css("#alerts-phone summary")), click(css("#alerts-phone-search"))); err != nil {
		t.Fatal(err)
	}
	// What is said is named by the field (aria-describedby), so a screen
	// reader reads it there.
	const said = `(document.querySelector('#alerts-phone-place').getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' | ')`
	if err := poll(ctx, said+`.includes('Saisissez d’abord un nom de lieu.') && document.activeElement?.id === 'alerts-phone-place'`, stepWait); err != nil {
		got, _ := js[string](ctx, said+` + ' | focus: ' + document.activeElement?.id`)
		t.Errorf("empty place search: the field says %q, want « Saisissez d’abord un nom de lieu. » and the focus in it: %v", got, err)
	}
}

// TestE2EWalk25LoginStoredLanguage: on an English browser, a user who chose
// French in the app meets the login page in French (it followed the
// browser), and logs in to the French app.
func TestE2EWalk25LoginStoredLanguage(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/alerts", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr'`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(css(`#login-form`))); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, `document.documentElement.lang + ' ' + document.querySelector('label[for=name]').textContent`)
	if want := "fr Nom d’utilisateur"; got != want {
		t.Errorf("login page with « fr » stored, on an English browser: %q, want %q", got, want)
	}
}
