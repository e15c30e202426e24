package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestE2EIntegrityLearn: an analyst labels an item on the Items tab, opens
// the Classifier tab, retrains (the labels counted, the new version's
// held-out macro-F1 shown beside the built-in model's), activates it and
// sees the items re-scored; the tab is axe clean in English and French.
func TestE2EIntegrityLearn(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	_, svc, srv := integrityE2EServer(t)
	items := trainableItems(t, svc)
	// Every item but the first is labelled already; the analyst labels it.
	for i, it := range items[1:] {
		label := "normal"
		if i%2 == 1 {
			label = "harmful"
		}
		if _, err := svc.LabelItem(ctx0, "test", integrity.Label{Item: it.ID, Label: label}); err != nil {
			t.Fatal(err)
		}
	}
	first := fmt.Sprintf(`.integrity-label[data-item="%d"]`, items[0].ID)
	badge := fmt.Sprintf(`.integrity-score[data-item="%d"]`, items[0].ID)

	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/integrity?tab=items", "")
	steps := []e2eStep{
		{"items with label forms", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity?tab=items")},
			`document.querySelectorAll('#integrity-items .integrity-label').length === 12 && !!document.querySelector('` + first + `')` +
				// the words behind the score, for items under the line too
				` && [...document.querySelectorAll('#integrity-items .integrity-why')].some((p) => /^Score \d+\s?% — words that raised it: /.test(p.textContent))`},
		{"an item labelled harmful with its class", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(first+` select`), "harmful"), chromedp.SetValue(css(first+` input[name=class]`), "incitement"), click(css(first + ` button[type=submit]`))},
			`document.querySelector('` + first + ` [role=status]').textContent === 'Labelled: Harmful.'` +
				// the item's badge says it at once (before: on the next visit)
				` && / · Harmful$/.test(document.querySelector('` + badge + `')?.textContent || '') && document.querySelector('` + badge + `').classList.contains('danger')`},
		{"the classifier tab counts the labels", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-model`))},
			`/6 harmful, 6 not harmful/.test(document.querySelector('#integrity-model-labels')?.textContent || '') && /built-in model/.test(document.querySelector('#integrity-model-active').textContent)`},
		{"retrained: a version with its held-out macro-F1", []chromedp.Action[chromedp.Void]{click(css(`#integrity-train`))},
			`document.querySelectorAll('#integrity-models tbody tr').length === 1 && /built-in/.test(document.querySelector('#integrity-models tbody tr').textContent) && !!document.querySelector('#integrity-models tbody tr button') && / 20\d\d, \d\d:\d\d UTC · /.test(document.querySelector('#integrity-models tbody td').textContent)`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)
	axe := axeCheck(t, ctx)
	axe("classifier en")
	if err := do(ctx, click(css(`#integrity-models tbody tr button`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `/version 1/.test(document.querySelector('#integrity-model-active')?.textContent || '') && /12 checked/.test(document.querySelector('#integrity-rescore')?.textContent || '')`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.querySelector('main')?.innerText || ''`)
		t.Fatalf("activated: %v\npage: %.1500s", err, body)
	}
	if it, err := svc.Item(ctx0, items[0].ID); err != nil || it.Labelled != "harmful" || it.LabelClass != "incitement" {
		t.Errorf("stored label %+v %v", it, err)
	}
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `/version 1/.test(document.querySelector('#integrity-model-active')?.textContent || '') && /En service/.test(document.querySelector('#integrity-model-active').textContent)`, stepWait); err != nil {
		t.Fatalf("not in French: %v", err)
	}
	axe("classifier fr")
	// Retrained again: the new version is compared with version 1, named
	// so in French (the server says "model 1").
	if err := do(ctx, click(css(`#integrity-train`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('#integrity-models tbody tr').length === 2 && [...document.querySelectorAll('#integrity-models tbody tr')].some((r) => r.textContent.includes('(Version 1)'))`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.querySelector('#integrity-models')?.innerText || ''`)
		t.Fatalf("second version not compared with « Version 1 »: %v\ntable: %s", err, body)
	}
	if p, err := frameStop(ctx, "integrity-models"); err != nil || p != "" {
		t.Errorf("%s (%v)", p, err)
	}
	// French decimals: 0,333, not 0.333
	if dots, err := js[string](ctx, `(document.querySelector('#integrity-models').innerText.match(/\d\.\d{3}/g) || []).join(' ')`); err != nil || dots != "" {
		t.Errorf("F1 with a decimal point on the French page: %q (%v)", dots, err)
	}
	for _, p := range languageProblems(ctx, "fr") {
		t.Error(p)
	}
}

// trainableItems gives svc a tiny stand-in for the built-in training files
// (same names and columns) and adds twelve items, alternately a threat and
// a notice, for an analyst to label.
func trainableItems(t *testing.T, svc *integrity.Service) []*integrity.Item {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"davidson2017_train.csv": "id,text,label\n1,you people are trash and should be beaten,hate\n2,what a lovely day at the market,neither\n3,shut up you stupid idiot,offensive\n4,the meeting is on thursday,neither\n",
		"mlma2019_fr_train.csv":  "id,text,label\n1,ces gens sont des ordures,toxic\n2,la réunion est jeudi,normal\n",
		"mlma2019_en_train.csv":  "id,text,label\n1,get out of our country vermin,toxic\n2,thanks for the help today,normal\n",
		"mlma2019_ar_train.csv":  "id,text,label\n1,انتم حثالة,toxic\n2,شكرا لكم,normal\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	svc.TrainingDir = dir
	var items []*integrity.Item
	for i := range 6 {
		items = append(items,
			&integrity.Item{Text: fmt.Sprintf("the zorblat people of block %d must be chased out tonight", i), Lang: "en"},
			&integrity.Item{Text: fmt.Sprintf("water distribution at point %d starts at nine tomorrow", i), Lang: "en"})
	}
	for i, it := range items {
		it.Source, it.SourceID, it.Via, it.Time = "s", fmt.Sprint(i), integrity.ViaImport, time.Date(2024, 3, 1+i, 9, 0, 0, 0, time.UTC)
	}
	testutil.AddItems(t, svc, "test", items...)
	return items
}

// TestE2EIntegrityTrainFailedFrench: a retraining that failed on a
// training file (a label the built-in model does not map) is said on the
// Classifier tab with the file, line and column, in French on a French
// page (its catalog message, not the server's English); axe clean in both.
func TestE2EIntegrityTrainFailedFrench(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	_, svc, srv := integrityE2EServer(t)
	for i, it := range trainableItems(t, svc) {
		label := "normal"
		if i%2 == 1 {
			label = "harmful"
		}
		if _, err := svc.LabelItem(ctx0, "test", integrity.Label{Item: it.ID, Label: label}); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(svc.TrainingDir, "mlma2019_fr_train.csv")
	if err := os.WriteFile(bad, []byte("id,text,label\n1,la réunion est jeudi,normal\n2,ces gens,haineux\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Train(ctx0, "test"); err != nil {
		t.Fatal(err)
	}
	if err := svc.WaitTraining(ctx0); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, want string }{
		{"en", "Training failed: " + bad + `:3: label: unknown label "haineux" (want hate, neither, normal, offensive, toxic)`},
		{"fr", "L’entraînement a échoué\u00a0: fichier " + bad + ", ligne 3, colonne label\u00a0: étiquette inconnue «\u202fhaineux\u202f» (attendu hate, neither, normal, offensive, toxic)"},
	} {
		openLang(t, ctx, srv, "#/integrity?tab=model", c.lang, "integrity-model-labels")
		q, _ := json.Marshal(c.want)
		if err := poll(ctx, `document.querySelector('#integrity-body .notice.error, main .notice.error')?.textContent === `+string(q), stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('main .notice.error')?.textContent || ''`)
			t.Fatalf("%s: %q, want %q", c.lang, got, c.want)
		}
		axe("training failed " + c.lang)
	}
}
