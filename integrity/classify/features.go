package classify

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Feature kinds: a word n-gram or a character n-gram inside a word.
const (
	kindWord = 1
	kindChar = 2
)

// Span is a byte range [Start, End) in the original text.
type Span struct{ Start, End int }

// occurrence is one extracted n-gram: its feature key and where it is.
// With hash buckets (dim > 0) word n-grams hash into [0, dim) and character
// n-grams into [dim, 2·dim); with an exact vocabulary (dim = 0) the key is
// the n-gram's full 64-bit hash, top bit clear for a word n-gram and set
// for a character n-gram, so words sort before characters either way.
type occurrence struct {
	bucket uint64
	kind   uint8
	span   Span
}

// wordKey and charKey are the feature keys of a word or character n-gram
// of hash h (see occurrence).
func wordKey(h uint64, dim uint32) uint64 {
	if dim == 0 {
		return textscan.Mix64(h) >> 1
	}
	return textscan.Mix64(h) % uint64(dim)
}

func charKey(h uint64, dim uint32) uint64 {
	if dim == 0 {
		return textscan.Mix64(h) | 1<<63
	}
	return uint64(dim) + textscan.Mix64(h)%uint64(dim)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func mix(h uint64, r rune) uint64 {
	h ^= uint64(r)
	h *= fnvPrime
	return h
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r)
}

// Feature variants (Model.Features, Options.Features): bit flags over the
// default design (character n-grams inside each word, sublinear tf).
const (
	// CharAcross takes character n-grams over the whole text, words joined
	// by one space (scikit-learn's "char" analyzer), so n-grams cross word
	// boundaries (" word", "d wo"), instead of inside each padded word
	// ("char_wb").
	CharAcross = 1 << iota
	// RawTF weights a feature by its raw count × idf (scikit-learn's
	// default) instead of 1 + ln(count).
	RawTF
	featAll = CharAcross | RawTF
)

// extract lists the hashed word 1–2-grams and character 2–5-grams of text.
// Text is lower-cased rune by rune; URLs become one "_url_" token and
// @mentions one "_mention_" token (neither contributes character n-grams);
// words are runs of letters, digits, marks and '_' of two runes or more;
// character n-grams are taken inside each whitespace-separated piece padded
// with a space on each side (scikit-learn's "char_wb"), or, with CharAcross,
// over the pieces joined by single spaces and padded with one space at each
// end (scikit-learn's "char" on whitespace-normalised text).
func extract(text string, dim uint32, feat uint8, out []occurrence) []occurrence {
	type tok struct {
		h    uint64
		span Span
	}
	var toks []tok
	var runes []rune
	var offs []int
	// across mode: the whole text's runes, with each rune's byte range
	// (an inserted space has an empty range at the boundary)
	across := feat&CharAcross != 0
	var all []rune
	var allS, allE []int
	if across {
		all, allS, allE = append(all, ' '), append(allS, 0), append(allE, 0)
	}
	for i := 0; ; {
		start, end := textscan.Field(text, i)
		if start == end {
			break
		}
		i = end
		seg := text[start:i]
		lower := strings.ToLower(seg)
		if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "www.") {
			toks = append(toks, tok{hashString(kindWord, "_url_"), Span{start, i}})
			continue
		}
		if len(seg) > 1 && seg[0] == '@' {
			toks = append(toks, tok{hashString(kindWord, "_mention_"), Span{start, i}})
			continue
		}
		// runes of the piece, lower-cased, with their byte offsets
		runes = runes[:0]
		offs = offs[:0]
		for j, r := range seg {
			runes = append(runes, unicode.ToLower(r))
			offs = append(offs, start+j)
		}
		offs = append(offs, i)
		n := len(runes)
		if across {
			for j, r := range runes {
				all, allS, allE = append(all, r), append(allS, offs[j]), append(allE, offs[j+1])
			}
			all, allS, allE = append(all, ' '), append(allS, i), append(allE, i)
		} else {
			// character n-grams of " piece "
			for a := -1; a < n; a++ {
				h := uint64(fnvOffset) ^ kindChar
				for b := a; b <= n && b-a < 5; b++ {
					var r rune = ' '
					if b >= 0 && b < n {
						r = runes[b]
					}
					h = mix(h, r)
					if b-a >= 1 {
						s0, s1 := a, b+1
						if s0 < 0 {
							s0 = 0
						}
						if s1 > n {
							s1 = n
						}
						out = append(out, occurrence{charKey(h, dim), kindChar, Span{offs[s0], offs[s1]}})
					}
				}
			}
		}
		// word tokens
		for a := 0; a < n; {
			if !isWordRune(runes[a]) {
				a++
				continue
			}
			b := a
			h := uint64(fnvOffset) ^ kindWord
			for b < n && isWordRune(runes[b]) {
				h = mix(h, runes[b])
				b++
			}
			if b-a >= 2 {
				toks = append(toks, tok{h, Span{offs[a], offs[b]}})
			}
			a = b
		}
	}
	if across && len(all) > 1 {
		n := len(all)
		for a := 0; a < n-1; a++ {
			h := uint64(fnvOffset) ^ kindChar
			h = mix(h, all[a])
			for b := a + 1; b < n && b-a < 5; b++ {
				h = mix(h, all[b])
				// the span leaves out inserted spaces at either end
				s0, s1 := a, b
				for s0 < s1 && allS[s0] == allE[s0] {
					s0++
				}
				for s1 > s0 && allS[s1] == allE[s1] {
					s1--
				}
				sp := Span{allS[s0], allE[s1]}
				if allS[s0] == allE[s0] { // only inserted spaces
					sp = Span{allS[a], allS[a]}
				}
				out = append(out, occurrence{charKey(h, dim), kindChar, sp})
			}
		}
	}
	for k, t := range toks {
		out = append(out, occurrence{wordKey(t.h, dim), kindWord, t.span})
		if k > 0 {
			p := toks[k-1]
			h := (p.h*0x9E3779B97F4A7C15 ^ t.h) + 0x632BE59BD9B4E019
			out = append(out, occurrence{wordKey(h, dim), kindWord, Span{p.span.Start, t.span.End}})
		}
	}
	return out
}

func hashString(kind uint64, s string) uint64 {
	h := uint64(fnvOffset) ^ kind
	for _, r := range s {
		h = mix(h, r)
	}
	return h
}

// term is one feature's count in a document.
type term struct {
	bucket uint64
	kind   uint8
	count  float64
}

// countTerms folds occurrences into per-bucket counts (sorted by bucket;
// the bucket gives the kind); of, when not nil, receives the index in the
// result of each occurrence's term. occ is not changed.
func countTerms(occ []occurrence, out []term, of []int32) []term {
	type ki struct {
		key uint64
		i   int32
	}
	keys := make([]ki, len(occ))
	for i, o := range occ {
		keys[i] = ki{o.bucket, int32(i)}
	}
	slices.SortFunc(keys, func(a, b ki) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.i - b.i)
	})
	out = out[:0]
	for _, k := range keys {
		o := occ[k.i]
		if len(out) > 0 && out[len(out)-1].bucket == o.bucket {
			out[len(out)-1].count++
		} else {
			out = append(out, term{o.bucket, o.kind, 1})
		}
		if of != nil {
			of[k.i] = int32(len(out) - 1)
		}
	}
	return out
}

// sublinear is scikit-learn's sublinear_tf: 1 + ln(tf).
func sublinear(tf float64) float64 {
	if tf == 1 {
		return 1 // 1 + ln 1, without the logarithm
	}
	return 1 + math.Log(tf)
}

// kindLex marks a document's lexicon-hit values (term.bucket is the
// feature's index in [0, NumLexiconFeatures)); they follow the n-grams.
const kindLex = 3

// NumLexiconFeatures is the number of lexicon-hit features.
const NumLexiconFeatures = 3

// LexiconFeatures are the lexicon-hit features of text: the number of
// places where an entry of lex matches (capped at 3, divided by 3), the
// highest severity matched (1–3, divided by 3) and 1 if anything matched;
// all 0 when nothing does. Matching is lexicon.Match's (case, accents,
// leetspeak and repeated letters folded; every language). The matches are
// returned, one per place.
func LexiconFeatures(lex *lexicon.Lexicon, text string) ([NumLexiconFeatures]float64, []lexicon.Match) {
	var f [NumLexiconFeatures]float64
	if lex == nil {
		return f, nil
	}
	ms := lex.Match(text, "")
	places := ms[:0]
	sev := 0
	for _, m := range ms {
		sev = max(sev, min(max(m.Entry.Severity, 1), 3))
		if n := len(places); n == 0 || places[n-1].Start != m.Start {
			places = append(places, m)
		}
	}
	if len(places) > 0 {
		f[0] = float64(min(len(places), 3)) / 3
		f[1] = float64(sev) / 3
		f[2] = 1
	}
	return f, places
}

// appendLexicon appends a training document's lexicon-hit values (those not
// zero) as kindLex terms.
func appendLexicon(d doc, lex *lexicon.Lexicon, text string) doc {
	if lex == nil {
		return d
	}
	f, _ := LexiconFeatures(lex, text)
	for j, v := range f {
		if v != 0 {
			d = append(d, term{uint64(j), kindLex, v})
		}
	}
	return d
}

// HarmfulTerms are the entries of a lexicon that name harmful terms: all
// but the search keywords of the starter lexicon (lexicon.MeaningKeyword,
// "a contested topic, not harmful by itself").
func HarmfulTerms(entries []lexicon.Entry) []lexicon.Entry {
	var out []lexicon.Entry
	for _, e := range entries {
		if e.MeaningCode != lexicon.MeaningKeyword {
			out = append(out, lexicon.Entry{Term: e.Term, Variants: e.Variants, Language: e.Language, Severity: e.Severity})
		}
	}
	return out
}
