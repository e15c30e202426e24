// Package textcheck refuses characters that make a text show something other than it holds.
//
// It refuses the characters that make a name or a text show something other
// than what it holds: NUL and other control characters, bidirectional overrides
// and isolates (U+202E turns "exe.txt" around) and invisible format characters
// such as zero-width spaces.
package textcheck

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

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

// nameRefuses names what Name refuses in r ("" when r is allowed).
func nameRefuses(r rune) string {
	switch {
	case r == 0:
		return "a NUL character"
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (U+%04X)", r)
	case bidiControl(r):
		return fmt.Sprintf("a bidirectional override (U+%04X)", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("an invisible format character (U+%04X)", r)
	}
	return ""
}

// Text checks a free text that may span lines and mix scripts (a message,
// a note): valid UTF-8 and no NUL. Line breaks, tabs, joiners and
// directional marks, which Arabic, Persian and Indic writing and emoji
// need, are allowed.
func Text(s string) error {
	return check(s, func(r rune) string {
		if r == 0 {
			return "a NUL character"
		}
		return ""
	})
}

// check refuses s when it is not valid UTF-8 or refuses names one of its
// characters; the error names the character and its position (1-based, in
// characters).
func check(s string, refuses func(rune) string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	i := 0
	for _, r := range s {
		i++
		if what := refuses(r); what != "" {
			return fmt.Errorf("contains %s at position %d", what, i)
		}
	}
	return nil
}
