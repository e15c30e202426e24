package integrity

import (
	"testing"

	"github.com/vigil-project/vigil/integrity/spike"
)

func spikeRule() spike.Rule { return spike.Rule{} }

// TestMayNameAPlace: the pre-check that spares the gazetteer search agrees
// with writtenAsName — a text is skipped only when no word can be a name.
func TestMayNameAPlace(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"all human beings are born free", false},
		{"motema na ngai", false},
		{"rt @user: fighting near Bunia today", true},
		{"l'armée est à goma", false},
		{"L'armée est à Goma", true},
		{"هجوم في بني", true}, // a script without case
		{"", false},
		{"1234 !!", false},
	} {
		if got := mayNameAPlace(c.text); got != c.want {
			t.Errorf("mayNameAPlace(%q) = %v, want %v", c.text, got, c.want)
		}
		if !c.want && writtenAsName(c.text, "bunia") {
			t.Errorf("%q: writtenAsName true where mayNameAPlace is false", c.text)
		}
	}
}
