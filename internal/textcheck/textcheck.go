// Package textcheck refuses characters that make a text show something other than it holds.
//
// It refuses the characters that make a name or a text show something other
// than what it holds: NUL and other control characters, bidirectional overrides
// and isolates (U+202E turns "exe.txt" around) and invisible format characters
// such as zero-width spaces.
package textcheck

import (
	"unicode"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Refusals are the checks' refusals as catalog messages (apperr.Catalog:
// the English fmt format, its French), so a page says them in its
// language when a caller keeps the error (apperr.FieldErr); what a text
// contains is a message of its own, nested.
var Refusals = apperr.Register(apperr.Catalog{
	"textcheck.not-utf8": {"is not valid UTF-8", "n’est pas de l’UTF-8 valide"}, // integrity's French for the same English
	"textcheck.contains": {"contains %s at position %d", "contient {0} à la position {1}"},
	"textcheck.nul":      {"a NUL character", "un caractère NUL"},
	"textcheck.control":  {"a control character (U+%04X)", "un caractère de contrôle (U+{0})"},
	"textcheck.bidi":     {"a bidirectional override (U+%04X)", "un caractère qui inverse le sens d’écriture (U+{0})"},
	"textcheck.format":   {"an invisible format character (U+%04X)", "un caractère de mise en forme invisible (U+{0})"},
})

// bidiControl reports whether r is a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069): it reorders the text after it.
func bidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// Name checks a one-line name or label (a scenario, a token, a layer, a
// place): valid UTF-8 with no control character (C0, DEL, C1: NUL, line
// breaks, tabs, escapes) and no invisible format character (Unicode
// category Cf: bidirectional controls and marks, zero-width space, joiners
// and non-joiner, word joiner, byte-order mark, soft hyphen). The error
// names the character and its position (1-based, in characters).
func Name(s string) error { return check(s, nameRefuses) }

// nameRefuses names what Name refuses in r (nil when r is allowed).
func nameRefuses(r rune) error {
	switch {
	case r == 0:
		return apperr.Text("a NUL character")
	case unicode.IsControl(r):
		return apperr.Textf("a control character (U+%04X)", r)
	case bidiControl(r):
		return apperr.Textf("a bidirectional override (U+%04X)", r)
	case unicode.Is(unicode.Cf, r):
		return apperr.Textf("an invisible format character (U+%04X)", r)
	}
	return nil
}

// Text checks a free text that may span lines and mix scripts (a message,
// a note): valid UTF-8 and no NUL. Line breaks, tabs, joiners and
// directional marks, which Arabic, Persian and Indic writing and emoji
// need, are allowed.
func Text(s string) error {
	return check(s, func(r rune) error {
		if r == 0 {
			return apperr.Text("a NUL character")
		}
		return nil
	})
}

// check refuses s when it is not valid UTF-8 or refuses names one of its
// characters; the error names the character and its position (1-based, in
// characters), and says it by Refusals.
func check(s string, refuses func(rune) error) error {
	if !utf8.ValidString(s) {
		return apperr.Text("is not valid UTF-8")
	}
	i := 0
	for _, r := range s {
		i++
		if what := refuses(r); what != nil {
			return apperr.Textf("contains %s at position %d", what, i)
		}
	}
	return nil
}
