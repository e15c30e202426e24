package web_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// Small wording defects found by walking the French demo, each checked
// where it was seen.

// TestE2EWalk25VerifyChooser: Verify's narrative chooser lists each
// narrative by its name, without its id in front (« #25 DEMO : rumeur… »);
// only two narratives of the same name are told apart, by « récit n° N ».
func TestE2EWalk25VerifyChooser(t *testing.T) {
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
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	if err := openIn(ctx, srv.URL+"/#/verify", "fr"); err != nil {
		t.Fatal(err)
	}
	const options = `[...document.querySelectorAll('#verify-narrative option')].slice(1).map((o) => o.textContent).sort().join(' | ')`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelectorAll('#verify-narrative option').length === 4`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, options)
	n := func(i int) string { return strconv.FormatInt(its[i].Narrative, 10) }
	if want := "Coupure d’eau | Rumeur du pont (récit n°\u00a0" + n(0) + ") | Rumeur du pont (récit n°\u00a0" + n(1) + ")"; got != want {
		t.Errorf("chooser's options:\n got %q\nwant %q", got, want)
	}
}
