package performance

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/grid"
)

func TestParsePeriod(t *testing.T) {
	m := grid.MonthOf
	cases := []struct {
		in       string
		from, to grid.Month
		str      string
	}{
		{"2019", m(2019, 1), m(2019, 12), "2019"},
		{"2019-Q3", m(2019, 7), m(2019, 9), "2019-Q3"},
		{"2019-q1", m(2019, 1), m(2019, 3), "2019-Q1"},
		{"2019-07", m(2019, 7), m(2019, 7), "2019-07"},
		{"2019-01..2019-06", m(2019, 1), m(2019, 6), "2019-01..2019-06"},
		{"2019-01..2019-03", m(2019, 1), m(2019, 3), "2019-Q1"},
		{"2018..2019", m(2018, 1), m(2019, 12), "2018-01..2019-12"},
		{" 2017-12 ", m(2017, 12), m(2017, 12), "2017-12"},
		// a quarter as Words writes it, in English and French
		{"Q3 2019", m(2019, 7), m(2019, 9), "2019-Q3"},
		{"T4 2018", m(2018, 10), m(2018, 12), "2018-Q4"},
		{"t1 2019..T2 2019", m(2019, 1), m(2019, 6), "2019-01..2019-06"},
	}
	for _, c := range cases {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.From != c.from || p.To != c.to || p.String() != c.str {
			t.Errorf("%q: got %s..%s %q, want %s..%s %q", c.in, p.From, p.To, p, c.from, c.to, c.str)
		}
	}
	bad := []struct{ in, want string }{
		{"", `period "": is empty`},
		{"19", `period "19": year "19" is not four digits`},
		{"2019-13", `period "2019-13": month "13" outside 01–12`},
		{"2019-Q5", `period "2019-Q5": quarter "Q5" is not Q1–Q4`},
		{"2019-06..2019-01", `period "2019-06..2019-01": ends before it starts`},
		{"2019-1", `period "2019-1": month "1" is not two digits`},
		{"abcd", `period "abcd": year "abcd" outside 1900–2200`},
		{"2019-01..", `period "2019-01..": year "" is not four digits`},
	}
	for _, c := range bad {
		_, err := ParsePeriod(c.in)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q…", c.in, err, c.want)
		}
	}
}

func TestPeriodShift(t *testing.T) {
	p, _ := ParsePeriod("2019-Q1")
	if got := p.Shift(-1).String(); got != "2018-Q4" {
		t.Errorf("Q1 shifted back: %s", got)
	}
	y, _ := ParsePeriod("2019")
	if got := y.Shift(-1).String(); got != "2018" {
		t.Errorf("2019 shifted back: %s", got)
	}
}

// TestPeriodWords: a period for people, in each language, as the brief and
// the page write it; what is not a period stays as it is.
func TestPeriodWords(t *testing.T) {
	words := map[string][2]string{ // period: English, French
		"2019":             {"2019", "2019"},
		"2019-07":          {"July 2019", "juillet 2019"},
		"2019-Q3":          {"Q3 2019", "T3 2019"}, // a calendar quarter: « T » for trimestre
		"2019-04..2019-06": {"Q2 2019", "T2 2019"},
		"2019-02..2019-04": {"February–April 2019", "février–avril 2019"}, // three months, no quarter
		"2019-01..2019-06": {"January–June 2019", "janvier–juin 2019"},
		"2018-11..2019-02": {"November 2018 – February 2019", "novembre 2018 – février 2019"},
		"1989-01..2018-12": {"1989 – 2018", "1989 – 2018"},
		"2019-13":          {"2019-13", "2019-13"},
		`"2019"`:           {`"2019"`, `"2019"`},
	}
	for in, want := range words {
		if got := [2]string{PeriodWords(in, "en"), PeriodWords(in, "fr")}; got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// fuzzParse fuzzes parse from seeds: an input it refuses must be refused
// with an error refusal finds right (it says what is wrong with it, or "");
// check checks each value it accepts.
func fuzzParse[T any](f *testing.F, seeds []string, parse func(string) (T, error), refusal func(error) string, check func(t *testing.T, s string, v T)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse(s)
		if err != nil {
			if what := refusal(err); what != "" {
				t.Fatalf("%s: %v", what, err)
			}
			return
		}
		check(t, s, v)
	})
}

// naming: an error must name the thing (say its word).
func naming(thing string) func(error) string {
	return func(err error) string {
		if strings.Contains(err.Error(), thing) {
			return ""
		}
		return "error does not name the " + thing
	}
}

// inFile: an error must start with the file name prefix.
func inFile(prefix string) func(error) string {
	return func(err error) string {
		if strings.HasPrefix(err.Error(), prefix) {
			return ""
		}
		return "error without the file name"
	}
}

func FuzzParsePeriod(f *testing.F) {
	fuzzParse(f, []string{"2019", "2019-Q3", "2019-07", "2019-01..2019-06", "", "..", "2019-Q", "9999-99"}, ParsePeriod, naming("period"), func(t *testing.T, s string, p Period) {
		if p.To < p.From {
			t.Fatalf("%q: empty period %v", s, p)
		}
		q, err := ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("%q: round trip %q gave %v, %v", s, p.String(), q, err)
		}
	})
}

func TestParseArea(t *testing.T) {
	cases := []struct{ in, code string }{
		{"COD", "COD"}, {"cod", "COD"}, {"DR Congo (Zaire)", "COD"}, {"DRC", "COD"},
		{"République démocratique du Congo", "COD"}, {"REPUBLIQUE DEMOCRATIQUE DU CONGO", "COD"},
		{"490", "COD"}, {"Central African Republic", "CAF"}, {"République centrafricaine", "CAF"},
		{"Soudan du Sud", "SSD"}, {"South Sudan", "SSD"}, {"Somalie", "SOM"}, {"mali", "MLI"},
		{"Côte d'Ivoire", "CIV"}, {"cote divoire", "CIV"}, {"Cote D'ivoire", "CIV"}, {"Tchad", "TCD"},
		{"", "ALL"}, {"all", "ALL"},
	}
	for _, c := range cases {
		a, err := ParseArea(c.in)
		if err != nil || a.Code != c.code {
			t.Errorf("%q: got %v %v, want %s", c.in, a.Code, err, c.code)
		}
	}
	if _, err := ParseArea("Atlantis"); err == nil || !strings.Contains(err.Error(), `country "Atlantis": unknown`) {
		t.Errorf("Atlantis: %v", err)
	}
}

func FuzzParseArea(f *testing.F) {
	fuzzParse(f, []string{"COD", "République démocratique du Congo", "DR Congo (Zaire)", "490", "", "all", "Côte d'Ivoire", "\xff"}, ParseArea, naming("country"), func(t *testing.T, s string, a Area) {
		// A resolved area resolves again from its own code and names.
		for _, k := range []string{a.Code, a.Name, a.NameFR} {
			b, err := ParseArea(k)
			if err != nil || b.Code != a.Code {
				t.Fatalf("%q → %s, but %q → %v %v", s, a.Code, k, b.Code, err)
			}
		}
	})
}

func FuzzReadManual(f *testing.F) {
	seeds := []string{
		`[{"indicator":"x","period":"2019-Q1","area":"Mali","value":1,"source":"s","evidence":"https://e.org"}]`,
		`[{"indicator":"x","period":"2019","area":"ALL","value":1,"low":0,"high":2,"source":"s"}]`,
		`[{}]`,
	}
	read := func(s string) ([]ManualValue, error) { return ReadManual(strings.NewReader(s), "m.json") }
	fuzzParse(f, seeds, read, inFile("m.json: "), func(t *testing.T, s string, ms []ManualValue) {
		for _, m := range ms {
			if _, err := ParsePeriod(m.Period); err != nil {
				t.Fatalf("accepted bad period %q", m.Period)
			}
		}
	})
}
