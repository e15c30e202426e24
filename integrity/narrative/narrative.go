// Package narrative groups text items into narratives as they arrive.
//
// It covers near-duplicates (retweets, quotes, added links, hashtags or
// mentions, case and accent changes, truncations, small edits) go together,
// different claims stay apart.
package narrative

import (
	"cmp"
	"html"
	"slices"
	"strings"
	"unicode"

	"github.com/vigil-project/vigil/integrity/fold"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Normalize reduces a text to the words that carry its claim: HTML entities
// decoded, lower case, accents folded, "RT @x:" prefixes, URLs, @mentions,
// '#' signs, punctuation and a trailing truncation ("…", "...") removed.
func Normalize(text string) []string {
	text = html.UnescapeString(text)
	truncated := false
	t := strings.TrimRightFunc(text, unicode.IsSpace)
	if strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...") {
		truncated = true
		t = strings.TrimRight(t, ".…")
	}
	var words []string
	for _, f := range strings.Fields(t) {
		lf := strings.ToLower(f)
		switch {
		case lf == "rt" || lf == "via" || lf == "mt":
			continue
		case strings.HasPrefix(lf, "@"):
			continue
		case strings.HasPrefix(lf, "http://") || strings.HasPrefix(lf, "https://") || strings.HasPrefix(lf, "www."):
			// a cut-off link at the end of a truncated text
			continue
		}
		var b strings.Builder
		flush := func() {
			if b.Len() > 0 {
				words = append(words, b.String())
				b.Reset()
			}
		}
		for _, r := range lf {
			if s, ok := fold.Rune(r); ok {
				for _, r2 := range s {
					if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
						b.WriteRune(r2)
					}
				}
				continue
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			} else if r == '\'' {
				continue
			} else {
				flush()
			}
		}
		flush()
	}
	if truncated && len(words) > 1 {
		words = words[:len(words)-1] // the last word may be cut
	}
	return words
}

// Options tunes the grouper; the zero value gives the defaults.
type Options struct {
	// Jaccard is the shingle-set similarity at or above which two items are
	// near-duplicates (default 0.5).
	Jaccard float64
	// Containment is the share of the smaller item's shingles found in the
	// larger at or above which a shorter item is a truncation or an excerpt
	// of a longer one (default 0.8), provided the smaller has at least
	// MinContained shingles (default 5).
	Containment  float64
	MinContained int
	// Bands × Rows MinHash values are kept per item for the LSH index
	// (default 20 × 2).
	Bands, Rows int
}

func (o *Options) defaults() {
	o.Jaccard = cmp.Or(o.Jaccard, 0.5)
	o.Containment = cmp.Or(o.Containment, 0.8)
	o.MinContained = cmp.Or(o.MinContained, 5)
	o.Bands = cmp.Or(o.Bands, 20)
	o.Rows = cmp.Or(o.Rows, 2)
}

type item struct {
	id        string
	shingles  []uint64 // sorted, distinct
	narrative int
}

// Grouper assigns items to narratives online. It is not safe for concurrent
// use.
type Grouper struct {
	opt       Options
	items     []item
	byID      map[string]int
	buckets   map[uint64][]int32 // LSH band key → items
	members   map[int][]int      // narrative → items
	next      int
	seeds     []uint64
	maxBucket int
	seen      []uint32 // per item: the stamp of the last Add that compared it
	stamp     uint32
}

// New returns an empty grouper.
func New(opt Options) *Grouper {
	opt.defaults()
	g := &Grouper{opt: opt, byID: map[string]int{}, buckets: map[uint64][]int32{}, members: map[int][]int{}, next: 1, maxBucket: 64}
	s := uint64(0x243F6A8885A308D3)
	for i := 0; i < opt.Bands*opt.Rows; i++ {
		s = textscan.Mix64(s + uint64(i) + 1)
		g.seeds = append(g.seeds, s|1)
	}
	return g
}

func hashWord(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

// Shingles returns the sorted distinct hashes of the word pairs of words
// (of the single words when there are fewer than three).
func Shingles(words []string) []uint64 {
	hs := make([]uint64, 0, len(words))
	if len(words) < 3 {
		for _, w := range words {
			hs = append(hs, textscan.Mix64(hashWord(w)))
		}
	} else {
		for i := 0; i+1 < len(words); i++ {
			hs = append(hs, textscan.Mix64(hashWord(words[i])*31+hashWord(words[i+1])))
		}
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// similar reports whether two shingle sets are near-duplicates.
func (g *Grouper) similar(a, b []uint64) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	inter := 0
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	small := min(len(a), len(b))
	if small < 3 { // one or two words: only the same words
		return inter == len(a) && inter == len(b)
	}
	union := len(a) + len(b) - inter
	if float64(inter) >= g.opt.Jaccard*float64(union) {
		return true
	}
	return small >= g.opt.MinContained && float64(inter) >= g.opt.Containment*float64(small)
}

// Add files an item and returns its narrative id (ids start at 1). Adding an
// id again returns its current narrative without changing anything.
func (g *Grouper) Add(id, text string) int {
	if i, ok := g.byID[id]; ok {
		return g.items[i].narrative
	}
	return g.AddPrepared(id, g.Prepare(text))
}

// Prepared is a text's shingles and LSH keys, worked out by Prepare.
type Prepared struct {
	shingles, keys []uint64
}

// Prepare works out what Add needs of a text. It reads only the grouper's
// options, so, unlike Add, it may run on many goroutines at once (while
// no Add runs).
func (g *Grouper) Prepare(text string) Prepared {
	p := Prepared{shingles: Shingles(Normalize(text))}
	if len(p.shingles) > 0 {
		p.keys = g.bandKeys(p.shingles)
	}
	return p
}

// AddPrepared is Add of a text already prepared by Prepare.
func (g *Grouper) AddPrepared(id string, p Prepared) int {
	if i, ok := g.byID[id]; ok {
		return g.items[i].narrative
	}
	sh, keys := p.shingles, p.keys
	idx := len(g.items)
	best, bestN := -1, 0
	if len(sh) > 0 {
		// seen: items compared already for this one (a stamp per item,
		// rather than a map per Add)
		if g.stamp++; g.stamp == 0 { // wrapped: forget the old stamps
			clear(g.seen)
			g.stamp = 1
		}
		for len(g.seen) < len(g.items) {
			g.seen = append(g.seen, 0)
		}
		for _, k := range keys {
			for _, c := range g.buckets[k] {
				if g.seen[c] == g.stamp {
					continue
				}
				g.seen[c] = g.stamp
				if g.similar(sh, g.items[c].shingles) {
					// prefer the earliest matching item: stable narratives
					if best < 0 || int(c) < best {
						best = int(c)
					}
				}
			}
		}
	}
	if best >= 0 {
		bestN = g.items[best].narrative
	} else {
		bestN = g.next
		g.next++
	}
	g.items = append(g.items, item{id: id, shingles: sh, narrative: bestN})
	g.byID[id] = idx
	g.members[bestN] = append(g.members[bestN], idx)
	for _, k := range keys {
		b := g.buckets[k]
		if len(b) >= g.maxBucket { // a very common key: keep the latest ones
			copy(b, b[1:])
			b = b[:len(b)-1]
		}
		g.buckets[k] = append(b, int32(idx))
	}
	return bestN
}

// bandKeys computes MinHash signatures and hashes them band by band. Items
// with few shingles also get a key for their whole set, so that the exact
// check sees every identical short text.
func (g *Grouper) bandKeys(sh []uint64) []uint64 {
	sig := make([]uint64, len(g.seeds))
	for i, s := range g.seeds {
		m := ^uint64(0)
		for _, h := range sh {
			if v := textscan.Mix64(h ^ s); v < m {
				m = v
			}
		}
		sig[i] = m
	}
	keys := make([]uint64, 0, g.opt.Bands+1)
	for b := 0; b < g.opt.Bands; b++ {
		k := uint64(b+1) * 0x9E3779B97F4A7C15
		for r := 0; r < g.opt.Rows; r++ {
			k = textscan.Mix64(k ^ sig[b*g.opt.Rows+r])
		}
		keys = append(keys, k)
	}
	if len(sh) < 3 {
		k := uint64(0xABCDEF)
		for _, h := range sh {
			k = textscan.Mix64(k ^ h)
		}
		keys = append(keys, k)
	}
	return keys
}

// Narrative returns the narrative of an item id (0 if unknown).
func (g *Grouper) Narrative(id string) int {
	if i, ok := g.byID[id]; ok {
		return g.items[i].narrative
	}
	return 0
}

// Members returns the item ids of a narrative, in arrival order.
func (g *Grouper) Members(n int) []string {
	var out []string
	for _, i := range g.members[n] {
		out = append(out, g.items[i].id)
	}
	return out
}

// Merge moves every item of narrative from into narrative into; later
// near-duplicates of either join into. It reports false if either is unknown.
func (g *Grouper) Merge(into, from int) bool {
	if into == from || len(g.members[into]) == 0 || len(g.members[from]) == 0 {
		return false
	}
	for _, i := range g.members[from] {
		g.items[i].narrative = into
	}
	g.members[into] = append(g.members[into], g.members[from]...)
	slices.Sort(g.members[into])
	delete(g.members, from)
	return true
}

// Split moves the given items out of their narrative into a new one and
// returns its id (0 if no given id is known). Later near-duplicates of the
// moved items join the new narrative.
func (g *Grouper) Split(ids []string) int {
	n := g.next
	moved := false
	for _, id := range ids {
		i, ok := g.byID[id]
		if !ok {
			continue
		}
		old := g.items[i].narrative
		if old == n {
			continue
		}
		g.members[old] = slices.DeleteFunc(g.members[old], func(x int) bool { return x == i })
		if len(g.members[old]) == 0 {
			delete(g.members, old)
		}
		g.items[i].narrative = n
		g.members[n] = append(g.members[n], i)
		moved = true
	}
	if !moved {
		return 0
	}
	slices.Sort(g.members[n])
	g.next++
	return n
}

// Len returns the number of items filed.
func (g *Grouper) Len() int { return len(g.items) }
