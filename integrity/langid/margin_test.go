package langid

import (
	"bufio"
	"testing"

	"github.com/vigil-project/vigil/integrity/textcsv"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestMarginChoice records how DefaultMargin was chosen: the largest of
// 0, 0.05 … 0.3 keeping every 8-word held-out declaration excerpt right,
// scored on 4,000 of Davidson et al.'s English tweets (not on MLMA).
func TestMarginChoice(t *testing.T) {
	f := shareddata.Open(t, "mdmh/davidson2017_train.csv")
	p := f.Name()
	rd, _ := textcsv.NewReader(bufio.NewReader(f), p, "text")
	var tw []string
	for len(tw) < 4000 {
		row, err := rd.Next()
		if err != nil {
			break
		}
		tw = append(tw, row.Fields[0])
	}
	ho := heldOut(t)
	m := *Builtin()
	best := 0.0
	for _, mg := range []float64{0, 0.05, 0.1, 0.15, 0.2, 0.3} {
		m.Margin = mg
		ok := 0
		for _, x := range tw {
			if m.Detect(x) == "en" {
				ok++
			}
		}
		oo, on := 0, 0
		for want, texts := range ho {
			for _, x := range texts {
				if m.Detect(firstWords(x, 8)) == want {
					oo++
				}
				on++
			}
		}
		t.Logf("margin %.2f: Davidson tweets detected as English %.4f, held-out UDHR 8-word excerpts right %.4f", mg, float64(ok)/float64(len(tw)), float64(oo)/float64(on))
		if oo == on {
			best = mg
		}
	}
	if best != DefaultMargin {
		t.Errorf("the rule picks margin %v, DefaultMargin is %v", best, DefaultMargin)
	}
}
