package langid

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/integrity/textcsv"
	"github.com/vigil-project/vigil/internal/shareddata"
)

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The road to the market is closed because of the rain", "en"},
		{"La route du marché est fermée à cause de la pluie", "fr"},
		{"الطريق إلى السوق مغلق بسبب المطر", "ar"},
		{"Barabara ya kwenda sokoni imefungwa kwa sababu ya mvua", "sw"},
		{"Die Straße zum Markt ist wegen des Regens gesperrt", Other},
		{"Дорога на рынок закрыта", Other},
		{"12345 !!!", Other},
		{"", Other},
	}
	for _, tc := range tests {
		if got := Detect(tc.text); got != tc.want {
			t.Errorf("Detect(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// heldOut reads the UDHR articles 21–30 that the built-in model never saw.
func heldOut(t *testing.T) map[string][]string {
	b, err := os.ReadFile("testdata/udhr_heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		p := strings.SplitN(line, "\t", 3)
		want := iso3to1[p[0]]
		if want == "" {
			want = Other
		}
		out[want] = append(out[want], p[2])
	}
	return out
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}

// TestHeldOutUDHR measures accuracy on held-out UDHR paragraphs, whole and
// cut to their first 8 words (about a short post).
func TestHeldOutUDHR(t *testing.T) {
	for _, words := range []int{0, 8} {
		per := map[string][2]int{}
		var ok, all int
		for want, texts := range heldOut(t) {
			for _, x := range texts {
				if words > 0 {
					x = firstWords(x, words)
				}
				c := per[want]
				c[1]++
				if Detect(x) == want {
					c[0]++
					ok++
				}
				all++
				per[want] = c
			}
		}
		var langs []string
		for l := range per {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		var parts []string
		for _, l := range langs {
			parts = append(parts, fmt.Sprintf("%s %d/%d", l, per[l][0], per[l][1]))
		}
		acc := float64(ok) / float64(all)
		t.Logf("held-out UDHR paragraphs (first %d words; 0 = whole): accuracy %.4f (%d/%d): %s", words, acc, ok, all, strings.Join(parts, ", "))
		floor := 0.97
		if words > 0 {
			floor = 0.9
		}
		if acc < floor {
			t.Errorf("accuracy %.4f < %.2f", acc, floor)
		}
	}
}

// TestMLMAPosts measures accuracy on the MLMA tweets, whose language is known.
func TestMLMAPosts(t *testing.T) {
	for _, lang := range []string{"fr", "en", "ar"} {
		f := shareddata.Open(t, "mdmh/mlma2019_"+lang+"_train.csv")
		p := f.Name()
		rd, err := textcsv.NewReader(bufio.NewReader(f), p, "lang", "text")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		n := 0
		for {
			row, err := rd.Next()
			if err != nil {
				break
			}
			got[Detect(row.Fields[1])]++
			n++
		}
		f.Close()
		acc := float64(got[lang]) / float64(n)
		t.Logf("MLMA %s posts: accuracy %.4f (%d/%d), answers %v", lang, acc, got[lang], n, got)
		if acc < 0.85 {
			t.Errorf("MLMA %s accuracy %.4f < 0.85", lang, acc)
		}
	}
}

func BenchmarkDetect(b *testing.B) {
	m := Builtin()
	for b.Loop() {
		m.Detect("La route du marché est fermée à cause de la pluie depuis hier soir")
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("La route est fermée")
	f.Add("\xff @x http://y #z 123")
	f.Fuzz(func(t *testing.T, s string) {
		got := Detect(s)
		if got != Other {
			for _, l := range Languages {
				if l == got {
					return
				}
			}
			t.Fatalf("Detect(%q) = %q", s, got)
		}
	})
}
