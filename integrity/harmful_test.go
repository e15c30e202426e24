package integrity_test

import (
	"testing"

	"github.com/vigil-project/vigil/integrity"
)

// TestHarmful: an analyst's label decides when there is one; with none,
// the classifier's score from HarmfulAt. The same for Item and PlacedItem.
func TestHarmful(t *testing.T) {
	for _, tc := range []struct {
		name     string
		labelled string
		score    float64
		want     bool
	}{
		{"labelled harmful, low score", integrity.HarmfulLabel, 0.34, true},
		{"labelled harmful, score 0", integrity.HarmfulLabel, 0, true},
		{"labelled harmful, high score", integrity.HarmfulLabel, 0.9, true},
		{"labelled normal, high score", integrity.LabelNormal, 0.97, false},
		{"labelled normal, at the threshold", integrity.LabelNormal, integrity.HarmfulAt, false},
		{"labelled normal, low score", integrity.LabelNormal, 0.1, false},
		{"no label, at the threshold", "", integrity.HarmfulAt, true},
		{"no label, high score", "", 0.8, true},
		{"no label, just below", "", 0.4999, false},
		{"no label, low score", "", 0.46, false},
	} {
		it := integrity.Item{Labelled: tc.labelled, Score: tc.score}
		pl := integrity.PlacedItem{Labelled: tc.labelled, Score: tc.score}
		if got := integrity.Harmful(tc.labelled, tc.score); got != tc.want {
			t.Errorf("%s: Harmful(%q, %v) = %v, want %v", tc.name, tc.labelled, tc.score, got, tc.want)
		}
		if got := it.Harmful(); got != tc.want {
			t.Errorf("%s: Item.Harmful() = %v, want %v", tc.name, got, tc.want)
		}
		if got := pl.Harmful(); got != tc.want {
			t.Errorf("%s: PlacedItem.Harmful() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
