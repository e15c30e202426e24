package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// The defects found by walking, in French, the parts of the demo the first
// two walks of session 25 did not reach (notes s25-walk2.md), each checked
// where it was seen.

// TestE2EWalk25VerifyStepFocus: a step taken on the Verify page by the
// keyboard keeps the focus in the page: after a move, on the check's new
// state; after a form's « Enregistrer », on that button (the page was drawn
// anew and the focus fell to <body>, the next Tab starting from the top).
func TestE2EWalk25VerifyStepFocus(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	it := &integrity.Item{Source: "s", SourceID: "f1", Via: integrity.ViaImport, Lang: "fr", Text: "On dit que le marché de Beni brûlera demain", Time: time.Now().UTC().AddDate(0, 0, -1)}
	testutil.AddItems(t, svc, "test", it)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/verify?narrative="+strconv.FormatInt(it.Narrative, 10), "fr")
	for _, s := range []struct{ name, press, done, focus string }{
		{"move", `#verify-moves button[data-to="monitoring"]`, `document.querySelector('#verify-state')?.dataset.state === 'monitoring'`, `verify-state`},
		{"claim", `#verify-claim-form button[type="submit"]`, `document.querySelector('#verify-claim')?.textContent === 'Le marché de Beni brûlera demain.'`, `verify-claim-form`},
	} {
		if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('`+s.press+`')`, stepWait); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.name == "claim" {
			if _, err := js[bool](ctx, `(document.querySelector('#verify-claim-in').value = 'Le marché de Beni brûlera demain.', true)`); err != nil {
				t.Fatal(err)
			}
		}
		if err := focusEnter(ctx, s.press); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, s.done, stepWait); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := poll(ctx, `(() => { const a = document.activeElement; return a.id === '`+s.focus+`' || a.closest('form')?.id === '`+s.focus+`'; })()`, stepWait); err != nil {
			got, _ := js[string](ctx, `document.activeElement.tagName + '#' + document.activeElement.id`)
			t.Errorf("after the %s by the keyboard the focus is on %s, want #%s (or in it)", s.name, got, s.focus)
		}
	}
}

// TestE2EWalk25NarrativeEditFocus: renaming or merging a narrative by the
// keyboard leaves the focus on the narrative's « Renommer ou fusionner »
// (the list was drawn anew and the focus fell to <body>).
func TestE2EWalk25NarrativeEditFocus(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	a := &integrity.Item{Source: "s", SourceID: "n1", Via: integrity.ViaImport, Lang: "fr", Text: "Le pont de Rutshuru sera détruit ce soir", Time: time.Now().UTC().AddDate(0, 0, -1)}
	b := &integrity.Item{Source: "s", SourceID: "n2", Via: integrity.ViaImport, Lang: "en", Text: "Water from the Kiwanja borehole has been poisoned", Time: time.Now().UTC().AddDate(0, 0, -1)}
	testutil.AddItems(t, svc, "test", a, b)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=narratives", "fr")
	ea, eb := "narrative-edit-"+strconv.FormatInt(a.Narrative, 10), "narrative-edit-"+strconv.FormatInt(b.Narrative, 10)
	for _, s := range []struct{ name, open, set, press, done, focus string }{
		{"rename", ea, `document.querySelector('#integrity-edit-name').value = 'Pont de Rutshuru'`, `#integrity-edit-rename button[type="submit"]`,
			`document.querySelector('#narrative-title-` + strconv.FormatInt(a.Narrative, 10) + `')?.textContent === 'Pont de Rutshuru'`, ea},
		{"merge", eb, `document.querySelector('#integrity-edit-merge').value = '` + strconv.FormatInt(a.Narrative, 10) + `'`, `#integrity-edit-mergeform button[type="submit"]`,
			`document.querySelectorAll('#integrity-narratives tbody tr').length === 1`, eb},
	} {
		if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#`+s.open+`')`, stepWait); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := focusEnter(ctx, "#"+s.open); err != nil {
			t.Fatal(err)
		}
		if _, err := js[bool](ctx, `(`+s.set+`, true)`); err != nil {
			t.Fatal(err)
		}
		if err := focusEnter(ctx, s.press); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, s.done, stepWait); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := poll(ctx, `document.activeElement.id === '`+s.focus+`'`, stepWait); err != nil {
			got, _ := js[string](ctx, `document.activeElement.tagName + '#' + document.activeElement.id`)
			t.Errorf("after the %s by the keyboard the focus is on %s, want #%s", s.name, got, s.focus)
		}
	}
}

// TestE2EWalk25SplitNoneChecked: « Séparer » with no item checked says to
// check some and takes the focus to the first box (the server's refusal
// read « items : nommez au moins un contenu à séparer », the API's field
// and a word that does not say what to do).
func TestE2EWalk25SplitNoneChecked(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	a := &integrity.Item{Source: "s", SourceID: "p1", Via: integrity.ViaImport, Lang: "fr", Text: "Le pont de Rutshuru sera détruit ce soir", Time: time.Now().UTC().AddDate(0, 0, -1)}
	b := &integrity.Item{Source: "s", SourceID: "p2", Via: integrity.ViaImport, Lang: "fr", Text: "Les soldats ont empoisonné le forage de Kiwanja", Time: time.Now().UTC().AddDate(0, 0, -1)}
	testutil.AddItems(t, svc, "test", a, b)
	if a.Narrative != b.Narrative {
		if _, err := svc.MergeNarratives(t.Context(), "test", a.Narrative, b.Narrative); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/integrity?tab=items&narrative="+strconv.FormatInt(a.Narrative, 10), "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#integrity-split button[type="submit"]')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, `#integrity-split button[type="submit"]`); err != nil {
		t.Fatal(err)
	}
	want := "Cochez d’abord les contenus à séparer."
	if err := poll(ctx, `(document.querySelector('#banner')?.textContent || '') === '`+want+`' && document.activeElement === document.querySelector('.integrity-select')`, stepWait); err != nil {
		got, _ := js[string](ctx, `(document.querySelector('#banner')?.textContent || '') + ' | focus: ' + document.activeElement.tagName + '#' + document.activeElement.id`)
		t.Errorf("split with nothing checked: %q, want %q and the focus on the first box", got, want)
	}
	// One checked, split by Enter: the focus stays in the items (it fell to <body>).
	if _, err := js[bool](ctx, `(document.querySelector('.integrity-select').checked = true, true)`); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, `#integrity-split button[type="submit"]`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#banner')?.textContent || '').includes('nouveau récit') && document.querySelectorAll('.integrity-item').length === 1`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.activeElement !== document.body && !!document.activeElement.closest('main')`, stepWait); err != nil {
		t.Errorf("after a split by the keyboard the focus is on <body>")
	}
	// The page names the new narrative (unnamed: its item's words, as the
	// list names it) and links to it; the link opens its items. Before,
	// « Les contenus choisis forment désormais un nouveau récit. » said
	// neither which nor where.
	named := `['` + a.Text + `', '` + b.Text + `'].includes(document.querySelector('#integrity-split-link')?.textContent)`
	if err := poll(ctx, named+` && /narrative=\d+$/.test(document.querySelector('#integrity-split-link').getAttribute('href')) && !document.querySelector('#integrity-split-link').getAttribute('href').endsWith('narrative=`+strconv.FormatInt(a.Narrative, 10)+`') && /^Le contenu choisi forme désormais un nouveau récit/.test(document.querySelector('#integrity-split-done').textContent)`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#integrity-split-done')?.outerHTML || 'no notice'`)
		t.Fatalf("the split's notice %s, want the new narrative named and linked", got)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#integrity-split-link').click(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('.integrity-item').length === 1 && (document.querySelector('#integrity-of-narrative')?.textContent || '').includes(document.querySelector('.integrity-text')?.textContent || '-')`, stepWait); err != nil {
		t.Errorf("the split's link did not open the new narrative's items")
	}
}
