package web

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityLabelAnswer: labelling an item answers what the page shows
// of it and of its narrative, so both change in place: whether the item
// now counts as harmful ("harmful") and its narrative's harmful count
// ("narrative_harmful", as the narratives list counts it). Before, the
// answer was the item alone and the page showed the old badge and count
// until the next visit.
func TestIntegrityLabelAnswer(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	items := importedItems(t, e, ana)
	it := items.Items[0]
	harmfulOf := func(n int64) int {
		var ns struct{ Narratives []integrity.NarrativeStats }
		_, b := e.do(nil, "GET", "/api/v1/integrity/narratives", reqOpt{token: ana})
		json.Unmarshal(b, &ns)
		for _, x := range ns.Narratives {
			if x.ID == n {
				return x.Harmful
			}
		}
		t.Fatalf("narrative %d not listed: %s", n, b)
		return 0
	}
	for _, label := range []string{"harmful", "normal", ""} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/labels", reqOpt{token: ana, body: `{"item":` + strconv.FormatInt(it.ID, 10) + `,"label":"` + label + `"}`})
		if resp.StatusCode != 200 {
			t.Fatalf("label %q: %d %s", label, resp.StatusCode, b)
		}
		var got struct {
			ID               int64   `json:"id"`
			Labelled         string  `json:"labelled"`
			Score            float64 `json:"score"`
			Harmful          *bool   `json:"harmful"`
			NarrativeHarmful *int    `json:"narrative_harmful"`
		}
		json.Unmarshal(b, &got)
		want := integrity.Harmful(label, got.Score)
		if got.ID != it.ID || got.Labelled != label || got.Harmful == nil || *got.Harmful != want ||
			got.NarrativeHarmful == nil || *got.NarrativeHarmful != harmfulOf(it.Narrative) {
			t.Errorf("label %q: answer %s, want harmful %v and the narrative's harmful count %d", label, b, want, harmfulOf(it.Narrative))
		}
	}
}

// TestIntegrityReasonsEveryScore: every scored item says the words that
// raised its score, under the line too (before, only an item the model
// labelled harmful had any: the demo's items showed none).
func TestIntegrityReasonsEveryScore(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	items := importedItems(t, e, ana)
	under := 0
	for _, it := range items.Items {
		if it.Label == integrity.Unscored {
			continue
		}
		if it.Score < integrity.HarmfulAt {
			under++
		}
		if len(it.Reasons) == 0 || len(it.Reasons) > 6 {
			t.Errorf("item %q (score %.2f): %d words behind its score, want 1 to 6", it.Text, it.Score, len(it.Reasons))
		}
		for _, r := range it.Reasons {
			if r.Weight <= 0 {
				t.Errorf("item %q: reason %+v did not raise the score", it.Text, r)
			}
		}
	}
	if under == 0 {
		t.Fatalf("no item under the line among %d items", len(items.Items))
	}
}
