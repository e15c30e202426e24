package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
)

// TestE2EIntegrityMergeCheckNotice: merging narratives on the Narratives
// tab says what became of the merged narrative's check: in English, a
// check in progress moved to a narrative that had none; in French, one
// closed because the surviving narrative has its own. Both narratives are
// named, not numbered (it said « le récit n° 26 », a number the page shows
// nowhere else).
func TestE2EIntegrityMergeCheckNotice(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	_, svc, srv := integrityE2EServer(t)
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	narrative := func(key, text, name string, state string) string {
		t.Helper()
		it := &integrity.Item{Source: "facebook", SourceID: key, Via: integrity.ViaImport, Kind: "post", Text: text, Time: at, Lang: "fr"}
		if err := svc.Validate(it); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Add(ctx0, "test", "integrity.import", "", []*integrity.Item{it}); err != nil {
			t.Fatal(err)
		}
		if name != "" {
			if err := svc.RenameNarrative(ctx0, "test", it.Narrative, name); err != nil {
				t.Fatal(err)
			}
		}
		if state != "" {
			if _, err := svc.UpdateCheck(ctx0, "analyst.e2e", it.Narrative, integrity.CheckUpdate{State: &state}); err != nil {
				t.Fatal(err)
			}
		}
		return strconv.FormatInt(it.Narrative, 10)
	}
	a := narrative("m1", "Le pont de Rutshuru sera détruit ce soir par les rebelles", "", "verifying")
	b := narrative("m2", "Water from the Kiwanja borehole has been poisoned by the soldiers", "Kiwanja borehole", "")
	c := narrative("m3", "Les résultats des élections à Goma ont été truqués par la commission", "Goma elections", "verifying")

	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	banner := `(document.querySelector('#banner')?.textContent || '')`
	merge := func(into, from string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{click(css(`#narrative-edit-` + into)), chromedp.SetValue(css(`#integrity-edit-merge`), from),
			click(css(`#integrity-edit-mergeform button[type=submit]`))}
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"narratives", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity?tab=narratives")},
			`document.querySelectorAll('#integrity-narratives tbody tr').length === 3`},
		{"a's check moves to b", merge(b, a),
			`document.querySelectorAll('#integrity-narratives tbody tr').length === 2 && ` + banner + ` === 'The check of narrative “Le pont de Rutshuru sera détruit ce soir par les rebelles” moved to narrative “Kiwanja borehole”, where it goes on.'`},
		{"in French", []chromedp.Action[chromedp.Void]{setLangJS("fr")}, `document.querySelector('#narrative-edit-` + c + `')?.textContent === 'Renommer ou fusionner'`},
		{"b's check (a's) is closed: c has its own", merge(c, b),
			`document.querySelectorAll('#integrity-narratives tbody tr').length === 1 && ` + banner + ` === 'La vérification du récit «\u202fKiwanja borehole\u202f» a été close\u00a0: le récit «\u202fGoma elections\u202f» a sa propre vérification, qui se poursuit.'`},
	})
}
