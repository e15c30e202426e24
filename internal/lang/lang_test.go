package lang

import (
	"slices"
	"testing"
)

func TestPick(t *testing.T) {
	for _, tc := range []struct{ explicit, header, want string }{
		{"", "", "en"},
		{"fr", "en", "fr"},
		{"de", "fr-CA,en;q=0.8", "fr"},
		{"", "en-GB,fr;q=0.9", "en"},
		{"", "fr;q=0.5, en;q=0.4", "fr"},
		{"", "en;q=0.4, fr;q=0.5", "fr"},
		{"", "fr, en", "fr"},
		{"", "en, fr", "en"},
		{"", "de, fr;q=0.1", "fr"},
		{"", "FR-be", "fr"},
		{"", "fr;q=2, en;q=0.1", "en"},
		{"", "fr;q=x", "en"},
		{"", "de,es", "en"},
		{"EN", "fr", "fr"},
	} {
		if got := Pick(tc.explicit, tc.header); got != tc.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", tc.explicit, tc.header, got, tc.want)
		}
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
