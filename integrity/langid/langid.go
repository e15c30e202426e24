// Package langid identifies the language of a short text offline.
//
// It identifies the language of a short text without any network: English,
// French, Arabic, Swahili, Lingala, Sango, Hausa and Bambara, anything else
// "other", by naive Bayes over character 1–3-grams learnt from Universal
// Declaration of Human Rights translations.
package langid

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
)

//go:embed udhr_train.tsv.gz
var trainData []byte

// Languages are the codes Detect can answer besides Other.
var Languages = []string{"ar", "bm", "en", "fr", "ha", "ln", "sg", "sw"}

// Other is the answer for any other language, and for text with no letters.
const Other = "other"

var iso3to1 = map[string]string{"eng": "en", "fra": "fr", "arb": "ar", "swh": "sw", "lin": "ln", "sag": "sg", "hau": "ha", "bam": "bm"}

// Model is a naive Bayes language model over character n-grams.
type Model struct {
	langs  []string       // ISO 639-3 codes learnt
	row    map[gram]int32 // gram → its row in logp
	logp   []float32      // per gram (row) and language: log P(gram)
	unseen []float64      // per language: log P(unseen gram)
	// Margin is how much higher (mean log-likelihood per n-gram) a language
	// outside Languages must score than the best of Languages to answer
	// Other: social-media text is far from the declarations' register.
	Margin float64
}

// DefaultMargin was chosen on Davidson et al.'s English tweets and the
// held-out declaration paragraphs, not on the MLMA posts used to measure.
const DefaultMargin = 0.2

// Train learns a model from texts per ISO 639-3 language code.
func Train(texts map[string][]string) *Model {
	m := &Model{}
	for l := range texts {
		m.langs = append(m.langs, l)
	}
	sort.Strings(m.langs)
	m.row = map[gram]int32{}
	counts := make([]map[gram]float64, len(m.langs))
	for i, l := range m.langs {
		counts[i] = map[gram]float64{}
		for _, t := range texts[l] {
			grams(t, func(g gram) {
				counts[i][g]++
				if _, ok := m.row[g]; !ok {
					m.row[g] = int32(len(m.row))
				}
			})
		}
	}
	const alpha = 0.5
	L := len(m.langs)
	V := float64(len(m.row)) + 1
	m.logp = make([]float32, len(m.row)*L)
	for i := range m.langs {
		var n float64
		for _, c := range counts[i] {
			n += c
		}
		un := math.Log(alpha / (n + alpha*V))
		m.unseen = append(m.unseen, un)
		for g, r := range m.row {
			if c, ok := counts[i][g]; ok {
				m.logp[int(r)*L+i] = float32(math.Log((c + alpha) / (n + alpha*V)))
			} else {
				m.logp[int(r)*L+i] = float32(un)
			}
		}
	}
	return m
}

// gram is a character 1–3-gram, its runes packed 21 bits apiece (no rune
// of a gram is 0, so the packing is one-to-one).
type gram uint64

// grams calls f with the character 1–3-grams of each word of text, padded
// with a space each side; text is lower-cased and @mentions, URLs and '#'
// signs are skipped.
func grams(text string, f func(gram)) {
	var lw, rs []rune
	for _, w := range strings.Fields(text) {
		lw = lw[:0]
		for _, r := range w { // as strings.ToLower, rune by rune
			lw = append(lw, unicode.ToLower(r))
		}
		if hasPrefix(lw, "@") || hasPrefix(lw, "http") || hasPrefix(lw, "www.") {
			continue
		}
		rs = append(rs[:0], ' ')
		for _, r := range lw {
			if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' {
				rs = append(rs, r)
			} else if len(rs) > 1 && rs[len(rs)-1] != ' ' {
				rs = append(rs, ' ')
			}
		}
		if len(rs) == 1 {
			continue
		}
		if rs[len(rs)-1] != ' ' {
			rs = append(rs, ' ')
		}
		for n := 1; n <= 3; n++ {
			for i := 0; i+n <= len(rs); i++ {
				if n == 1 && rs[i] == ' ' {
					continue
				}
				var g gram
				for k, r := range rs[i : i+n] {
					g |= gram(r) << (21 * k)
				}
				f(g)
			}
		}
	}
}

// hasPrefix reports whether the runes rs start with the ASCII prefix p.
func hasPrefix(rs []rune, p string) bool {
	if len(rs) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if rs[i] != rune(p[i]) {
			return false
		}
	}
	return true
}

// Scores returns each learnt language's mean log-likelihood per n-gram
// (ISO 639-3 code → score); empty when text has no letters.
func (m *Model) Scores(text string) map[string]float64 {
	sums := make([]float64, len(m.langs))
	n := 0
	L := len(m.langs)
	grams(text, func(g gram) {
		n++
		if r, ok := m.row[g]; ok {
			for i, v := range m.logp[int(r)*L : int(r+1)*L] {
				sums[i] += float64(v)
			}
		} else {
			for i, v := range m.unseen {
				sums[i] += v
			}
		}
	})
	out := map[string]float64{}
	if n == 0 {
		return out
	}
	for i, l := range m.langs {
		out[l] = sums[i] / float64(n)
	}
	return out
}

// Detect returns the language of text as an ISO 639-1 code from Languages,
// or Other.
func (m *Model) Detect(text string) string {
	if !mostlyLatinOrArabic(text) {
		return Other
	}
	best, bestS := "", math.Inf(-1)   // among Languages
	other, otherS := "", math.Inf(-1) // among the rest
	for l, s := range m.Scores(text) {
		if _, ok := iso3to1[l]; ok {
			if s > bestS || s == bestS && l < best {
				best, bestS = l, s
			}
		} else if s > otherS {
			other, otherS = l, s
		}
	}
	if best == "" || other != "" && otherS > bestS+m.Margin {
		return Other
	}
	return iso3to1[best]
}

func mostlyLatinOrArabic(text string) bool {
	var ok, all int
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		all++
		if unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Arabic, r) {
			ok++
		}
	}
	return all > 0 && 2*ok > all
}

var trainingTexts = sync.OnceValue(func() map[string][]string {
	zr, err := gzip.NewReader(bytes.NewReader(trainData))
	if err != nil {
		panic(err)
	}
	texts := map[string][]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) == 3 {
			texts[parts[0]] = append(texts[parts[0]], parts[2])
		}
	}
	return texts
})

// TrainingTexts returns the embedded UDHR paragraphs (articles 0–20) the
// built-in model learnt from, in one language (ISO 639-3: "eng", "fra",
// "arb", …); nil for a language it does not hold. The slice is shared: do
// not modify it.
func TrainingTexts(lang string) []string { return trainingTexts()[lang] }

var builtin = sync.OnceValue(func() *Model {
	m := Train(trainingTexts())
	m.Margin = DefaultMargin
	return m
})

// Builtin returns the model learnt from the embedded UDHR texts (articles
// 0–20 of 27 translations; see ATTRIBUTION).
func Builtin() *Model { return builtin() }

// Detect identifies text's language with the built-in model.
func Detect(text string) string { return Builtin().Detect(text) }
