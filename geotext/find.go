package geotext

import (
	"strings"

	"github.com/vigil-project/vigil/internal/textscan"
)

// CoordMatch is a coordinate pair found in free text.
type CoordMatch struct {
	Coord
	Text string // the matched text
}

// isCoordRune reports whether r can be part of a written coordinate.
func isCoordRune(r rune) bool {
	return r >= '0' && r <= '9' || strings.ContainsRune(".,;/-+−°º˚'′’\"″”: \t\u00a0", r)
}

// FindCoords returns the coordinate pairs written in text, in order. To keep
// numbers such as "20 people 3 villages" from reading as coordinates, a pair
// needs a hemisphere letter, a degree/minute mark, or at least two decimals
// on both numbers.
func FindCoords(text string) []CoordMatch {
	// Split text into runs of coordinate characters where single letters
	// N/S/E/W standing alone (not part of a word) are allowed.
	type tok struct{ s, e int }
	var runs [][]tok
	var cur []tok
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
	}
	for next := 0; ; {
		// A token: maximal non-space sequence.
		start, end := textscan.Field(text, next)
		if start == end {
			break
		}
		if coordToken(text[start:end]) {
			cur = append(cur, tok{start, end})
		} else {
			// Strip leading/trailing punctuation of a word like "(S" or "E)".
			flush()
		}
		next = end
	}
	flush()
	var out []CoordMatch
	for _, run := range runs {
		if len(run) > 24 {
			run = run[:24]
		}
		k := 0
		for k < len(run) {
			matched := false
			// Longest window first.
			for e := len(run); e > k; e-- {
				span := strings.Trim(text[run[k].s:run[e-1].e], ",;/.:")
				c, err := ParseCoord(span)
				if err != nil || !plausible(c) {
					continue
				}
				out = append(out, CoordMatch{c, span})
				k = e
				matched = true
				break
			}
			if !matched {
				k++
			}
		}
	}
	return out
}

func plausible(c Coord) bool {
	return c.marked || c.minDec >= 2
}

// coordToken reports whether a whitespace-separated token can be part of a
// coordinate: only coordinate characters plus hemisphere letters, with at
// most one letter, and not a word.
func coordToken(t string) bool {
	t = strings.Trim(t, "()[]")
	if t == "" {
		return false
	}
	letters := 0
	for _, r := range t {
		switch {
		case strings.ContainsRune("NSEWnsew", r):
			letters++
		case isCoordRune(r):
		default:
			return false
		}
	}
	if letters > 1 {
		// "N45:30:30;W75:30:30" and "45N30/75W30" hold two letters.
		return letters == 2 && strings.ContainsAny(t, "0123456789") && strings.ContainsAny(t, ",;/")
	}
	if letters == 1 && len(t) == 1 {
		// A lone letter: only upper case counts as a hemisphere ("S 1.29").
		return strings.ContainsAny(t, "NSEW")
	}
	return true
}
