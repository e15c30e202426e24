package lexicon

import (
	"strings"
	"testing"
)

func fixture() *Lexicon {
	return New([]Entry{
		{Term: "cafard", Variants: []string{"kafard"}, Language: "fr", Meaning: "cockroach, used to dehumanise", Group: "group A", Severity: 3},
		{Term: "go back home", Language: "en", Meaning: "call to expel", Group: "displaced people", Severity: 2},
		{Term: "go back", Language: "en", Meaning: "shorter phrase", Severity: 1},
		{Term: "étrangers dehors", Meaning: "foreigners out", Severity: 3},
	})
}

func TestMatch(t *testing.T) {
	lx := fixture()
	tests := []struct {
		text, lang string
		want       []string // matched spans
		terms      []string
	}{
		{"Ces CAFARDS... non: ces Cafard!", "fr", []string{"Cafard"}, []string{"cafard"}},
		{"un kaaafard de plus", "fr", []string{"kaaafard"}, []string{"cafard"}},
		{"c4f4rd", "", []string{"c4f4rd"}, []string{"cafard"}},
		{"cafard in English text", "en", nil, nil},
		{"They said GO   BACK HOME now", "en", []string{"GO   BACK HOME"}, []string{"go back home"}},
		{"go back to the market", "en", []string{"go back"}, []string{"go back"}},
		{"Etrangers dehors !", "fr", []string{"Etrangers dehors"}, []string{"étrangers dehors"}},
		{"etrangers, dehors", "", []string{"etrangers, dehors"}, []string{"étrangers dehors"}},
		{"nothing here", "", nil, nil},
		{"", "", nil, nil},
	}
	for _, tc := range tests {
		ms := lx.Match(tc.text, tc.lang)
		var got, terms []string
		for _, m := range ms {
			got = append(got, tc.text[m.Start:m.End])
			terms = append(terms, m.Entry.Term)
			if m.Matched != tc.text[m.Start:m.End] {
				t.Errorf("%q: Matched %q but span %q", tc.text, m.Matched, tc.text[m.Start:m.End])
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || strings.Join(terms, "|") != strings.Join(tc.terms, "|") {
			t.Errorf("Match(%q, %q) = %q %q, want %q %q", tc.text, tc.lang, got, terms, tc.want, tc.terms)
		}
	}
}

func TestExplain(t *testing.T) {
	m := fixture().Match("un kafard", "fr")
	if len(m) != 1 {
		t.Fatalf("matches %v", m)
	}
	want := "matched 'kafard' (term 'cafard') — meaning cockroach, used to dehumanise; targets group A; severity high"
	if got := m[0].Explain(); got != want {
		t.Errorf("Explain = %q, want %q", got, want)
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		wantErr  string
	}{
		{"ok", "term,variants,language,meaning,group,severity\ncafard,kafard|kafar,fr,cockroach,A,high\ngo back home,,en,,,2\n", 2, ""},
		{"minimal", "term\nx1\n", 1, ""},
		{"no term column", "word\nx\n", 0, `f.csv:1: missing column "term"`},
		{"empty term", "term,severity\n,2\n", 0, "f.csv:2: term: empty"},
		{"bad severity", "term,severity\nx,4\ny,severe\n", 0, "f.csv:2: severity: 4 out of range"},
		{"bad language", "term,language\nx,french\n", 0, `f.csv:2: language: "french"`},
		{"duplicate by spelling", "term\nCafé\ncafe\n", 0, `f.csv:3: term: "cafe" repeats line 2`},
		{"ragged", "term,severity\nx\n", 0, "f.csv:2: wrong number of fields: 1, header has 2"},
		{"bad quote", "term\n\"x\n", 0, "f.csv:2:"},
		{"punctuation only", "term\n!!!\n", 0, "f.csv:2: term: \"!!!\" has no letters"},
		{"empty", "", 0, "f.csv:1: empty file"},
		{"meaning code", "term,meaning,meaning_code,meaning_pct\nx,,ngram,40\ny,,keyword,\n", 2, ""},
		{"unknown meaning code", "term,meaning_code\nx,slur\n", 0, `f.csv:2: meaning_code: "slur" is not one of`},
		{"bad meaning pct", "term,meaning_code,meaning_pct\nx,ngram,forty\n", 0, `f.csv:2: meaning_pct: "forty" is not a whole number`},
		{"meaning pct out of range", "term,meaning_code,meaning_pct\nx,ngram,140\n", 0, "f.csv:2: meaning_pct: 140 is not a percentage"},
		{"meaning pct without code", "term,meaning_pct\nx,40\n", 0, "f.csv:2: meaning_pct: 40 without a meaning_code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ReadCSV(strings.NewReader(tc.in), "f.csv")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || e != nil {
					t.Fatalf("err %v (entries %d), want %q and no entries", err, len(e), tc.wantErr)
				}
				return
			}
			if err != nil || len(e) != tc.n {
				t.Fatalf("%d entries, err %v", len(e), err)
			}
		})
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("term,variants,language,meaning,group,severity\ncafard,kafard,fr,x,y,3\n")
	f.Add("term\n\"a\nb\"\n")
	f.Add("term,severity\n,9\n")
	f.Fuzz(func(t *testing.T, in string) {
		e, err := ReadCSV(strings.NewReader(in), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv:") || e != nil {
				t.Fatalf("error %v (entries %d)", err, len(e))
			}
			return
		}
		lx := New(e)
		for _, en := range e {
			if len(lx.Match(en.Term, "")) == 0 {
				t.Fatalf("term %q does not match itself", en.Term)
			}
		}
	})
}

// TestCheckMeaning: a meaning code is kept only with its own sentence; an
// analyst's words over it stay as written, without the code.
func TestCheckMeaning(t *testing.T) {
	ngram40, _ := GeneratedMeaning(MeaningNgram, 40)
	keyword, _ := GeneratedMeaning(MeaningKeyword, 0)
	tests := []struct {
		name, meaning, code   string
		pct                   int
		wantMeaning, wantCode string
		wantPct               int
		wantErr               string
	}{
		{"mission's words", "cockroach", "", 0, "cockroach", "", 0, ""},
		{"code fills the sentence", "", MeaningNgram, 40, ngram40, MeaningNgram, 40, ""},
		{"code with its sentence", keyword, MeaningKeyword, 0, keyword, MeaningKeyword, 0, ""},
		{"analyst wrote over it", "a slur for the displaced", MeaningKeyword, 0, "a slur for the displaced", "", 0, ""},
		{"another figure is not the sentence", ngram40, MeaningNgram, 41, ngram40, "", 0, ""},
		{"unknown code", "", "slur", 0, "", "", 0, `meaning_code: "slur"`},
		{"pct out of range", "", MeaningNgram, -1, "", "", 0, "meaning_pct: -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, c, p, err := CheckMeaning(tc.meaning, tc.code, tc.pct)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || m != tc.wantMeaning || c != tc.wantCode || p != tc.wantPct {
				t.Fatalf("got %q %q %d %v, want %q %q %d", m, c, p, err, tc.wantMeaning, tc.wantCode, tc.wantPct)
			}
		})
	}
}

func TestStarter(t *testing.T) {
	e := Starter()
	langs := map[string]int{}
	for _, x := range e {
		langs[x.Language]++
		if x.Source == "" || x.Meaning == "" {
			t.Errorf("entry %q lacks source or meaning", x.Term)
		}
		// Every starter meaning is Vigil's sentence, carried by its code and figure.
		if gen, ok := GeneratedMeaning(x.MeaningCode, x.MeaningPct); !ok || gen != x.Meaning || (x.MeaningCode == MeaningNgram) != (x.MeaningPct > 0) {
			t.Errorf("entry %q: meaning code %q, pct %d for %q", x.Term, x.MeaningCode, x.MeaningPct, x.Meaning)
		}
	}
	if langs["en"] < 100 || langs["fr"] < 30 || langs["ar"] < 30 {
		t.Errorf("starter lexicon languages %v", langs)
	}
	lx := New(e)
	if m := lx.Match("They want to protect from immigrants, again", "en"); len(m) == 0 || !strings.Contains(m[0].Explain(), "keyword") {
		t.Errorf("starter lexicon did not match an MLMA keyword: %v", m)
	}
}

func BenchmarkMatch(b *testing.B) {
	lx := New(Starter())
	text := "Residents of the town say the convoy was stopped at the bridge; people protect from immigrants and refugees, they said, and the market closed early again"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		lx.Match(text, "")
	}
}

// TestWriteCSVFormulas: an exported lexicon opened in a spreadsheet runs
// no formula from a term, variant, meaning, group or source (internal/
// csvsafe), and reads back as it was.
func TestWriteCSVFormulas(t *testing.T) {
	in := []Entry{{Term: "=HYPERLINK(\"http://x\";\"y\")", Variants: []string{"+cmd", "ok"}, Language: "en", Meaning: "@SUM(A1)", Group: "-group", Severity: 2, Source: "\t=1+1"}}
	var b strings.Builder
	if err := WriteCSV(&b, in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"";""y"")"`, "'+cmd|ok", "'@SUM(A1)", "'-group"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("export lacks %s:\n%s", want, b.String())
		}
	}
	back, err := ReadCSV(strings.NewReader(b.String()), "f.csv")
	if err != nil || len(back) != 1 {
		t.Fatalf("read back: %v %+v", err, back)
	}
	if e := back[0]; e.Term != in[0].Term || e.Variants[0] != "+cmd" || e.Meaning != "@SUM(A1)" || e.Group != "-group" || e.Source != in[0].Source {
		t.Errorf("read back %+v", e)
	}
}
