package integrity

import (
	"strings"
	"testing"
)

// TestSampleTitle: an unnamed narrative is titled by its first item's text,
// cut at a word's end and marked "…" when longer than 80 bytes.
func TestSampleTitle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Short rumour", "Short rumour"},
		{"Two\nlines  here", "Two lines here"},
		{"Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience",
			"Tous les êtres humains naissent libres et égaux en dignité et en droits…"},
		{"All human beings are born free and equal in dignity and rights. They are endowed with reason",
			"All human beings are born free and equal in dignity and rights. They are…"},
		{strings.Repeat("x", 100), strings.Repeat("x", 77) + "…"},
		{strings.Repeat("é", 50), strings.Repeat("é", 38) + "…"},
	} {
		got := sampleTitle(c.in)
		if got != c.want || len(got) > 80 {
			t.Errorf("sampleTitle(%.30q…) = %q (%d bytes), want %q", c.in, got, len(got), c.want)
		}
	}
}
