package ui

import (
	"strings"
	"testing"
)

// TestTiplineWordAgrees: the French pages name a tipline as Administration
// → Channels does (every « ligne » of a French string whose English says
// "tipline" is that one), where a channel is made one (admin.channels.tiplineShort,
// « ligne de signalement »). The Verify page and the weekly brief said
// « ligne d'alerte » (also the Alerts page's word for any alert channel),
// so an analyst could not tell they meant the channel marked there.
func TestTiplineWordAgrees(t *testing.T) {
	word := readDict(t, "admin.fr.json")["admin.channels.tiplineShort"]
	if word == "" {
		t.Fatal("admin.fr.json has no admin.channels.tiplineShort")
	}
	n := 0
	for _, page := range []string{"integrity", "integrity_learn", "verify", "contacts"} {
		en, fr := readDict(t, page+".en.json"), readDict(t, page+".fr.json")
		for k, e := range en {
			if !strings.Contains(strings.ToLower(e), "tipline") {
				continue
			}
			n++
			// A short label may say it otherwise (« Signalements reçus »);
			// any « ligne … » it says is the channel's.
			f := strings.ToLower(fr[k])
			if f == "" || strings.Count(f, "ligne") != strings.Count(f, word) {
				t.Errorf("%s.fr.json %s: %q names a line other than %q (English: %q)", page, k, fr[k], word, e)
			}
		}
	}
	if n < 4 {
		t.Errorf("%d English strings name a tipline, want at least 4 (the test reads the wrong files?)", n)
	}
}
