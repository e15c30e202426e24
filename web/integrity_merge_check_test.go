package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityMergeCheckAPI: the answer to a merge says what became of
// the check of the narrative merged away: moved to the survivor (which
// had none), closed (the survivor has its own), or nothing (it had no
// check, or a closed one, which stays).
func TestIntegrityMergeCheckAPI(t *testing.T) {
	e := newCheckEnv(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	narrative := func(key, text string, states ...string) int64 {
		t.Helper()
		it := &integrity.Item{Source: "facebook", SourceID: key, Via: integrity.ViaImport, Kind: "post", Text: text, Time: at, Lang: "fr"}
		if err := e.integ.Validate(it); err != nil {
			t.Fatal(err)
		}
		if _, err := e.integ.Add(ctx, "test", "integrity.import", "", []*integrity.Item{it}); err != nil {
			t.Fatal(err)
		}
		for _, st := range states {
			if _, err := e.integ.UpdateCheck(ctx, "ana", it.Narrative, integrity.CheckUpdate{State: &st}); err != nil {
				t.Fatal(err)
			}
		}
		return it.Narrative
	}
	for _, c := range []struct {
		name       string
		from, into int64
		outcome    string
		where      func(from, into int64) int64
	}{
		{"a check in progress, a survivor without one", narrative("m1", "Le pont de Rutshuru sera détruit ce soir par les rebelles", "verifying"),
			narrative("m2", "Water from the Kiwanja borehole has been poisoned by the soldiers"), "moved", func(_, into int64) int64 { return into }},
		{"a check in progress, a survivor with its own", narrative("m3", "Les résultats des élections à Goma ont été truqués par la commission", "monitoring"),
			narrative("m4", "Vaccination teams in Beni are spreading the Ebola virus on purpose", "verifying"), "closed", func(from, _ int64) int64 { return from }},
		{"a closed check", narrative("m5", "La route de Kanyabayonga est minée depuis hier soir, évitez-la", "closed"),
			narrative("m6", "Refugees from Masisi will be moved by force to the camp next week"), "none", func(int64, int64) int64 { return 0 }},
		{"no check", narrative("m7", "Les soldats vont fermer le marché de Kiwanja demain matin sans prévenir"),
			narrative("m8", "The ferry at Kalehe has sunk with all its passengers this morning"), "none", func(int64, int64) int64 { return 0 }},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+strconv.FormatInt(c.into, 10)+"/merge",
			reqOpt{token: e.tokens["ana"], body: `{"from":` + strconv.FormatInt(c.from, 10) + `}`})
		var m integrity.Merged
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &m) != nil {
			t.Fatalf("%s: merge %d %s", c.name, resp.StatusCode, b)
		}
		want := integrity.MergedCheck{Outcome: c.outcome, Narrative: c.where(c.from, c.into)}
		if m.ID != c.into || m.Merged != c.from || m.Check != want {
			t.Errorf("%s: %s, want check %+v", c.name, b, want)
		}
	}
}
