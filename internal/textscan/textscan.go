// Package textscan holds the small text-scanning pieces Vigil's text
// matchers (geotext, integrity/classify, integrity/narrative) share.
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
