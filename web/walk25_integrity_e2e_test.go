package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// The defects found by walking the demo in French as a mission's
// information analyst (notes s25-walk-integrity.md), each checked where it
// was seen.

// TestE2EWalk25LexiconNoFile: « Téléverser » under « Importer un lexique »
// with no file chosen says so by the form and takes the focus to the file
// field (it did nothing at all).
func TestE2EWalk25LexiconNoFile(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=lexicon", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#integrity-lexicon-file')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#integrity-lexicon-file').form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#integrity-lexicon-file').form.textContent || '').includes('Choisissez d’abord un fichier.') && document.activeElement?.id === 'integrity-lexicon-file'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#integrity-lexicon-file').form.textContent + ' | focus: ' + document.activeElement?.id`)
		t.Errorf("no file: the form says %q, want « Choisissez d’abord un fichier. » and the focus on the file field: %v", got, err)
	}
}

// TestE2EWalk25TermEdit: « Modifier » on a term opens one edit form under
// it, its first field focused, and pressed again opens no second one (each
// press added another form, and the focus stayed on the button).
func TestE2EWalk25TermEdit(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	tm, err := svc.SaveTerm(t.Context(), "test", integrity.Term{Term: "cafard", Language: "fr", Meaning: "insulte déshumanisante", Severity: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=lexicon", "fr")
	id := "term-edit-" + strconv.FormatInt(tm.ID, 10)
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#`+id+`')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css("#"+id)), click(css("#"+id))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('#integrity-terms form').length >= 1`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, `document.querySelectorAll('#integrity-terms form').length + ' form(s), focus: ' + document.activeElement?.id`)
	if want := "1 form(s), focus: integrity-term-term-" + strconv.FormatInt(tm.ID, 10); got != want {
		t.Errorf("after pressing « Modifier » twice: %s, want %s", got, want)
	}
}

// TestE2EWalk25ContactCoordinates: a contact placed by coordinates only is
// shown with French decimal commas, the two numbers apart (it showed
// « 1.567, 30.250 » on the French page).
func TestE2EWalk25ContactCoordinates(t *testing.T) {
	t.Parallel()
	s, _ := alertsContactsServer(t)
	fp := func(f float64) *float64 { return &f }
	if _, err := s.Contacts.Import(t.Context(), "test", []contacts.Row{{Where: "c.csv:2",
		Input: contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"can"}, Lat: fp(1.5667), Lon: fp(30.25), ConsentHow: "verbal"}}}); err != nil {
		t.Fatal(err)
	}
	srv := serveE2E(t, s, "analyst.walk25c", auth.Analyst)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/contacts", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelectorAll('#contacts-list tbody tr').length === 1`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, `document.querySelector('#contacts-list tbody tr').children[4].textContent`)
	if want := "1,567\u202f; 30,25"; got != want {
		t.Errorf("place of a contact by coordinates: %q, want %q", got, want)
	}
	if strings.Contains(got, ".") {
		t.Errorf("decimal point in French: %q", got)
	}
	// The row's edit button says « Modifier », named by the row's masked
	// number for a screen reader (it showed « Modifier +•••••••••001 #933e »).
	edit, _ := js[string](ctx, `(() => { const b = document.querySelector('#contacts-list .contact-edit'); return b.textContent + ' | ' + b.getAttribute('aria-label'); })()`)
	if text, name, _ := strings.Cut(edit, " | "); text != "Modifier" || !strings.HasPrefix(name, "Modifier +") {
		t.Errorf("contact's edit button: %q, want « Modifier » named « Modifier +… »", edit)
	}
}

// TestE2EWalk25FactCheckLink390: on a phone (390 px) the published
// fact-check's address wraps inside the page (it ran 111 px past the
// window's right edge, and the page scrolled sideways).
func TestE2EWalk25FactCheckLink390(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	it := &integrity.Item{Source: "s", SourceID: "r1", Via: integrity.ViaImport, Lang: "fr", Text: "On dit que le pont de Rutshuru sera détruit ce soir", Time: time.Now().UTC().AddDate(0, 0, -1)}
	testutil.AddItems(t, svc, "test", it)
	for _, u := range []integrity.CheckUpdate{{State: new("verifying")}, {Claim: new("Le pont de Rutshuru sera détruit ce soir.")}, {State: new("rated"), Rating: new("false"), SummaryFR: new("Le pont est ouvert.")}} {
		if _, err := svc.UpdateCheck(t.Context(), "test", it.Narrative, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Publish(t.Context(), "test", it.Narrative); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 390, 844, "/#/verify?narrative="+strconv.FormatInt(it.Narrative, 10), "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#verify-link')`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, `Math.round(document.querySelector('#verify-link').getBoundingClientRect().right) + ' ≤ ' + document.documentElement.clientWidth + ', page ' + document.documentElement.scrollWidth`)
	if ok, _ := js[bool](ctx, `document.querySelector('#verify-link').getBoundingClientRect().right <= document.documentElement.clientWidth && document.documentElement.scrollWidth <= document.documentElement.clientWidth`); !ok {
		t.Errorf("390 px: the fact-check's address sticks out: right %s", got)
	}
}

// TestE2EWalk25BroadcastFieldNames: a broadcast to a place the gazetteer
// does not know is refused naming the field by its label, « Lieu », not by
// the API's name (« near_place : aucun lieu nommé … »), under that field.
func TestE2EWalk25BroadcastFieldNames(t *testing.T) {
	t.Parallel()
	s, _ := alertsContactsServer(t)
	s.Contacts.Places = testutil.Places{G: testutil.Gazetteer(t, "name,lat,lon,admin1_name,kind,population\nBunia,1.566,30.252,Ituri,town,900000\n")}
	if _, err := s.Alerts.NewChannel(t.Context(), "test", alerts.SMSSync, "Bunia phone", "s-secret", ""); err != nil {
		t.Fatal(err)
	}
	srv := serveE2E(t, s, "analyst.walk25b", auth.Analyst)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/contacts", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#broadcast-form #broadcast-mode')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const m = document.querySelector('#broadcast-mode'); m.value = 'area'; m.dispatchEvent(new Event('change'));
		document.querySelector('#broadcast-place').value = 'Nulle-Part-Ville'; document.querySelector('#broadcast-text-fr').value = 'Réunion demain.';
		document.querySelector('#broadcast-form').requestSubmit(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#broadcast-place-err')`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := text(ctx, "#broadcast-place-err")
	if !strings.HasPrefix(got, "Lieu\u00a0: aucun lieu nommé") {
		t.Errorf("refusal %q, want « Lieu : aucun lieu nommé … »", got)
	}
}

// TestE2EWalk25ManualItemNarrative: an item typed in by hand is said to
// have joined its narrative by the narrative's words, with a way to its
// items (it said « Contenu ajouté au récit n° 34. », a number the page
// shows nowhere else).
func TestE2EWalk25ManualItemNarrative(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=add", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#integrity-manual #integrity-item-text')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const x = document.querySelector('#integrity-item-text'); x.value = 'Rumeur : le pont de Bunia serait coupé depuis ce matin'; x.form.requestSubmit(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#integrity-manual .notice.ok')`, stepWait); err != nil {
		t.Fatal(err)
	}
	said, _ := text(ctx, "#integrity-manual .notice.ok")
	if said != "Contenu ajouté au récit «\u202fRumeur : le pont de Bunia serait coupé depuis ce matin\u202f»." {
		t.Errorf("manual item added: %q, want the narrative's words", said)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#integrity-manual-see').click(), true)`); err != nil {
		t.Fatalf("no button to the narrative's items: %v", err)
	}
	if err := poll(ctx, `/tab=items&narrative=\d+$/.test(location.hash) && document.querySelectorAll('#integrity-items > li').length === 1`, stepWait); err != nil {
		t.Errorf("the button does not list the narrative's items: %v", err)
	}
}

// TestE2EWalk25ModelNoData: an analyst on a server without the training
// data is told who can make retraining possible, not a command to type
// (« (vigil serve --mdmh-data DOSSIER) »).
func TestE2EWalk25ModelNoData(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=model", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#integrity-train')`, stepWait); err != nil {
		t.Fatal(err)
	}
	said, _ := js[string](ctx, `[...document.querySelectorAll('main .notice')].map((n) => n.textContent).join(' | ')`)
	if strings.Contains(said, "vigil") || strings.Contains(said, "--") || !strings.Contains(said, "administr") {
		t.Errorf("no training data: %q, want who to ask, without a command", said)
	}
}
