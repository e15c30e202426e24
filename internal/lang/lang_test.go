package lang

import (
	"slices"
	"testing"
	"time"
)

// picks lists, for each language, the Accept-Language headers that pick it
// when no language is asked for explicitly.
var picks = map[string][]string{
	"en": {"", "en-GB,fr;q=0.9", "en, fr", "fr;q=2, en;q=0.1", "fr;q=x", "de,es"},
	"fr": {"fr-CA,en;q=0.8", "fr;q=0.5, en;q=0.4", "en;q=0.4, fr;q=0.5", "fr, en", "de, fr;q=0.1", "FR-be"},
}

func TestPick(t *testing.T) {
	for want, headers := range picks {
		for _, h := range headers {
			if got := Pick("", h); got != want {
				t.Errorf("Pick(\"\", %q) = %q, want %q", h, got, want)
			}
			// An explicit supported language wins; anything else is ignored.
			if got, got2 := Pick("fr", h), Pick("de", h); got != "fr" || got2 != want {
				t.Errorf("Pick(fr, %q) = %q, Pick(de, %q) = %q", h, got, h, got2)
			}
		}
	}
	if got := Pick("EN", "fr"); got != "fr" {
		t.Errorf("Pick(EN, fr) = %q: languages are lower case", got)
	}
}

// FuzzPick: any header picks a supported language, and an explicit
// supported language always wins.
func FuzzPick(f *testing.F) {
	for _, s := range []string{"", "fr-CA,en;q=0.8", "fr;q=, en;q=1.5", ";;,,q=0.1", "fr;q=1e-400"} {
		f.Add("", s)
		f.Add("fr", s)
	}
	f.Fuzz(func(t *testing.T, explicit, header string) {
		got := Pick(explicit, header)
		if !slices.Contains(Supported, got) {
			t.Fatalf("Pick(%q, %q) = %q: not supported", explicit, header, got)
		}
		if slices.Contains(Supported, explicit) && got != explicit {
			t.Fatalf("Pick(%q, %q) = %q: the explicit language lost", explicit, header, got)
		}
	})
}

func TestDay(t *testing.T) {
	for _, c := range []struct {
		day, lang, want string
	}{
		{"2026-12-05", "en", "5 December 2026"},
		{"2026-12-05", "fr", "5 décembre 2026"},
		{"2019-02-01", "fr", "1er février 2019"}, // the first of the month is « 1er » in French
		{"2019-02-01", "en", "1 February 2019"},
		{"2019-02-11", "fr", "11 février 2019"},
		{"2019-08-31", "fr", "31 août 2019"},
		{"2019-08-31", "sw", "31 August 2019"},
	} {
		d, err := time.Parse(time.DateOnly, c.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := Day(d, c.lang); got != c.want {
			t.Errorf("Day(%s, %s) = %q, want %q", c.day, c.lang, got, c.want)
		}
	}
}
