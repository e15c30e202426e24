// Package textscan holds the small text-scanning pieces Vigil's text
// matchers (geotext, integrity/classify, integrity/narrative) share, and
// Clip, the one byte-length cut that never splits a character (stored
// gateway words, audit fields, alert previews, integrity feed texts).
package textscan

import (
	"unicode"
	"unicode/utf8"
)

// Field returns the byte range [start, end) of the first run of non-space
// runes (unicode.IsSpace) in s at or after byte i; start == end == len(s)
// when only space is left.
func Field(s string, i int) (start, end int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	start = i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return start, i
}

// Mix64 is MurmurHash3's 64-bit finaliser: every bit of h reaches every bit
// of the result, so buckets taken from its low bits are even (FNV's own low
// bits are weak).
func Mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Clip returns the longest prefix of s of at most n bytes that does not end
// inside a UTF-8 encoded character: s itself when it fits, "" when n <= 0.
// A byte that is not part of valid UTF-8 counts as a character of one byte
// and is kept as it is (Clip does not repair s; a valid s gives a valid
// result).
func Clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	if utf8.RuneStart(s[n]) {
		return s[:n]
	}
	// s[n] is a continuation byte: a character that holds it starts at the
	// nearest start byte before it, at most UTFMax-1 bytes back.
	for i := n - 1; i >= 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if r, size := utf8.DecodeRuneInString(s[i:]); (r != utf8.RuneError || size > 1) && i+size > n {
				return s[:i]
			}
			break
		}
	}
	return s[:n]
}
