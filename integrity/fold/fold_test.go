package fold

import "testing"

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"Éléphant À Bangui":  "elephant a bangui",
		"Cœur ŒUVRE straße":  "coeur oeuvre strasse",
		"l’armée":            "l'armee",
		"Ça Va? NAÏVE":       "ca va? naive",
		"مُحَمَّد":           "محمد",
		"أحمد إلى القاهرة":   "احمد الي القاهره",
		"already plain text": "already plain text",
		"":                   "",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}
