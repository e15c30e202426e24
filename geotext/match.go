package geotext

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/textscan"
)

// maxNameTokens is the longest name (in words) matched in text.
const maxNameTokens = 8

// Area is where a channel or mission works: names near it, or in its
// countries, rank before the same names elsewhere.
type Area struct {
	Lat, Lon  float64  // centre; used when HasCentre
	HasCentre bool     //
	Countries []string // ISO3 codes; empty: any
}

// Candidate is one place a name in text may mean, with the confidence
// (0–1) that it is the one meant.
type Candidate struct {
	Place      Place
	Confidence float64
}

// Mention is a place name found in text and the places it may mean, most
// likely first.
type Mention struct {
	Text       string // the words of the text (folded) that matched
	Name       string // the gazetteer name (folded) they matched
	Edits      int    // 0 for an exact match, else the spelling differences
	Candidates []Candidate
}

// stopWords are common English and French words, and common words of the
// other languages items come in (Swahili, Lingala, Sango, Hausa, Bambara),
// that are also the names of some small place somewhere ("wote", all, is a
// town in Kenya; "oyo", this, a city in Nigeria): a single such word is never
// read as a place, and no word of the text is fuzzily matched to a place if
// it is one.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for from has have he her his i in into is it its
		no not of on or our she so than that the their them then there these they this to up was we were what when where which who will with you
		after again all also any back before being below between both came come could day days did does down during each even every few first
		get go going got had here him how just last left like made make many may me more most much must my near new now off old once only other
		over own people right said same saw see seen since some still such take taken tell told too two under until very want way well went
		while why would yes yesterday today tonight morning evening night week month year years ago men women children man woman child
		armed army attack attacked attacks soldiers rebels group groups gunmen gunfire shooting shots killed dead death injured wounded burned
		village villages town city market road bridge camp school church mosque hospital river forest field fields farm house houses home
		north south east west central upper lower new old big small great little main
		le la les un une des du de et est en au aux ce ces cet cette dans par pour sur sous avec sans chez entre vers contre pas plus moins
		il elle ils elles nous vous on qui que quoi dont ou où mais donc car ni ne se sa son ses leur leurs mon ma mes ton ta tes
		hier aujourdhui demain matin soir nuit semaine mois an ans depuis avant apres pendant encore deja tres bien mal tout tous toute toutes
		hommes femmes enfants homme femme enfant gens personnes population armes arme armee militaires soldats rebelles groupe groupes
		attaque attaques tirs tir coups feu tues morts mort blesses blesse brule brules incendie village villages ville marche route pont
		camp ecole eglise mosquee hopital riviere foret champ champs maison maisons nord sud est ouest centre haut bas grand grande petit petite
		pres loin cote autour milieu fin debut via dit disent signale signalent vu vus entendu alerte urgent urgence aide secours
		bar gare port base poste police
		na ya wa za kwa ni katika hii huu hiyo hizo hayo wote watu mtu kila sana leo jana kesho sasa bado pia lakini kama au juu chini
		ndani nje baada kabla karibu mbali hapa pale huko wao sisi wewe mimi yeye kati maisha jambo mambo sheria kura saa chama bure
		nyumba kijiji mji njia usiku tarehe jirani silaha haki huru sawa akili
		mpe ba oyo ete nyonso ezali bazali makoki wana awa te lelo lobi bato moto mboka nzela mbala ndenge yango alingi misala maboko motema bomoi mokolo pene butu
		ti so ayeke lo ala kue wara bata kono koko kobo lengo manda ngo mbeni nengo
		da ta su mu ku ba ne ce kuma amma don domin sami yana tana san mutum kowane kamata
		ka kan ye la be wa ma fana minnu maaya baara kelen waati taama`) {
		m[w] = true
	}
	return m
}()

// Match finds the place names written in text, exact (ignoring case,
// accents and punctuation) and, when no name is written exactly, within one
// spelling difference (two for names of nine letters or more). Each
// mention's candidates are ranked by how well the words match, the kind of
// place, its population, its nearness to area (or g.Area when area is nil)
// and the first-level unit or country the text also names ("Djugu, Ituri").
// Names that only qualify another (the "Ituri" of "Djugu, Ituri") are not
// returned as mentions of their own.
func (g *Gazetteer) Match(text string, area *Area) []Mention {
	if area == nil {
		area = g.Area
	}
	toks := splitWords(FoldText(text), 2000)
	var ms []Mention
	var countries []string
	covered := make([]bool, toks.len())
	for i := 0; i < toks.len(); {
		n, key := g.longestAt(toks, i)
		cn, c := countryAt(toks, i)
		switch {
		case cn > 0 && cn >= n:
			countries = append(countries, c.ISO3)
			markCovered(covered, i, cn)
			i += cn
		case n > 0:
			ms = append(ms, Mention{Text: key, Name: key})
			markCovered(covered, i, n)
			i += n
		default:
			i++
		}
	}
	if len(ms) == 0 {
		ms = g.fuzzyMentions(toks, covered)
	}
	if len(ms) == 0 {
		return nil
	}
	// First-level units and countries named in the text qualify the other
	// names: "Djugu, Ituri" is the Djugu of Ituri.
	admin1s := map[string]bool{}
	for _, m := range ms {
		for _, i := range g.index[m.Name] {
			if p := g.Places[i]; p.Kind == "admin1" {
				admin1s[Fold(p.Name)] = true
			}
		}
	}
	for k := range ms {
		ms[k].Candidates = g.rank(ms[k], area, admin1s, countries)
	}
	// Drop a mention that names the first-level unit of another mention's
	// best place ("Bankass, Mopti": Mopti is also a town, but here it says
	// which Bankass).
	drop := make([]bool, len(ms))
	for k, m := range ms {
		if len(ms) < 2 {
			break
		}
		isUnit := false
		for _, c := range m.Candidates {
			isUnit = isUnit || c.Place.Kind == "admin1"
		}
		if !isUnit {
			continue
		}
		for j, o := range ms {
			if j != k && !drop[j] && o.Name != m.Name && len(o.Candidates) > 0 && Fold(o.Candidates[0].Place.Admin1) == m.Name {
				drop[k] = true
				break
			}
		}
	}
	// With an area of countries, a mention with no place there is dropped
	// when another has one ("anti-Balaka near Alindao": Balaka is a town
	// of Malawi).
	if area != nil && len(area.Countries) > 0 {
		inArea := func(m Mention) bool {
			for _, c := range m.Candidates {
				if slices.Contains(area.Countries, c.Place.Country) {
					return true
				}
			}
			return false
		}
		any := false
		for k, m := range ms {
			any = any || !drop[k] && inArea(m)
		}
		if any {
			for k, m := range ms {
				if !inArea(m) {
					drop[k] = true
				}
			}
		}
	}
	out := ms[:0]
	for k, m := range ms {
		if !drop[k] {
			out = append(out, m)
		}
	}
	return out
}

func markCovered(c []bool, i, n int) {
	for k := i; k < i+n && k < len(c); k++ {
		c[k] = true
	}
}

// words are a folded text's words, joined back without copying when the
// text separates them by single spaces (as Fold does).
type words struct {
	s          string
	start, end []int // byte offsets of each word in s
	single     bool  // every separator is one ' '
}

// splitWords splits s as strings.Fields does, keeping at most max words.
func splitWords(s string, max int) words {
	w := words{s: s, single: true}
	for i := 0; len(w.start) < max; {
		a, b := textscan.Field(s, i)
		if a == b {
			break
		}
		if len(w.end) > 0 && (a-w.end[len(w.end)-1] != 1 || s[a-1] != ' ') {
			w.single = false
		}
		w.start, w.end = append(w.start, a), append(w.end, b)
		i = b
	}
	return w
}

func (w words) len() int { return len(w.start) }

// word is the i-th word.
func (w words) word(i int) string { return w.s[w.start[i]:w.end[i]] }

// join is words i to i+n-1 joined by single spaces.
func (w words) join(i, n int) string {
	if w.single || n == 1 {
		return w.s[w.start[i]:w.end[i+n-1]]
	}
	parts := make([]string, n)
	for k := range parts {
		parts[k] = w.word(i + k)
	}
	return strings.Join(parts, " ")
}

// longestAt is the longest gazetteer name starting at toks[i] (0 if none).
func (g *Gazetteer) longestAt(toks words, i int) (int, string) {
	for n := min(g.maxToks, toks.len()-i); n > 0; n-- {
		k := toks.join(i, n)
		if _, ok := g.index[k]; !ok {
			continue
		}
		if n == 1 && (stopWords[k] || utf8.RuneCountInString(k) < 3) {
			continue
		}
		return n, k
	}
	return 0, ""
}

var countryIndex = func() map[string]*Country {
	m := map[string]*Country{}
	for i := range Countries {
		c := &Countries[i]
		for _, n := range append([]string{c.EN, c.FR}, c.Alt...) {
			m[Fold(n)] = c
		}
	}
	return m
}()

func countryByName(s string) *Country { return countryIndex[Fold(s)] }

// countryAt is the longest country name starting at toks[i].
func countryAt(toks words, i int) (int, *Country) {
	for n := min(5, toks.len()-i); n > 0; n-- {
		if c, ok := countryIndex[toks.join(i, n)]; ok {
			if w := toks.word(i); n == 1 && len(w) <= 3 && w != "rca" && w != "rdc" && w != "drc" {
				continue // "car", "mali"? no: only short codes are risky
			}
			return n, c
		}
	}
	return 0, nil
}

// fuzzyKey is what a string is in the fuzzy index: a folded name itself
// (name) and the names of five runes or more one of whose one-rune
// deletions it is.
type fuzzyKey struct {
	name  bool
	names []string
}

// buildFuzzy indexes every name by its one-rune deletions (the symmetric
// deletion method), once, on first use; the names themselves are in the
// same map, so that one look-up answers both.
func (g *Gazetteer) buildFuzzy() {
	g.lazyMu.Lock()
	defer g.lazyMu.Unlock()
	if g.fuzzy != nil {
		return
	}
	f := make(map[string]fuzzyKey, 8*len(g.index))
	var buf []byte
	for k := range g.index {
		e := f[k]
		e.name = true
		f[k] = e
		if utf8.RuneCountInString(k) < 5 {
			continue
		}
		for off := 0; off < len(k); {
			_, size := utf8.DecodeRuneInString(k[off:])
			buf = deletion(buf, k, off, size)
			e := f[string(buf)]
			if l := e.names; len(l) == 0 || l[len(l)-1] != k {
				e.names = append(l, k)
				f[string(buf)] = e
			}
			off += size
		}
	}
	// a bit per hashed key (at least 16 bits a key, so that about one
	// look-up in sixteen of a string that is no key reaches the map)
	bits := uint64(1 << 10)
	for bits < 16*uint64(len(f)) {
		bits <<= 1
	}
	fl := fuzzyFilter{seed: maphash.MakeSeed(), bits: make([]uint64, bits/64), mask: bits - 1}
	for k := range f {
		fl.add(k)
	}
	g.fuzzy, g.fuzzyFilter = f, fl
}

// fuzzyFilter is a one-hash Bloom filter of the fuzzy index's keys: most
// words and their deletions are no key, and the filter, small enough to
// stay in the processor's cache, says so without a map look-up.
type fuzzyFilter struct {
	seed maphash.Seed
	bits []uint64
	mask uint64
}

func (f *fuzzyFilter) add(k string) {
	h := maphash.String(f.seed, k) & f.mask
	f.bits[h/64] |= 1 << (h % 64)
}

// mayHave is false when k is certainly no key.
func (f *fuzzyFilter) mayHave(k []byte) bool {
	h := maphash.Bytes(f.seed, k) & f.mask
	return f.bits[h/64]&(1<<(h%64)) != 0
}

// lookup is k's entry in the fuzzy index (zero when none).
func (g *Gazetteer) lookupFuzzy(k []byte) fuzzyKey {
	if !g.fuzzyFilter.mayHave(k) {
		return fuzzyKey{}
	}
	return g.fuzzy[string(k)]
}

// deletion is s without its rune at byte off (size bytes long), in buf.
// Folded strings are valid UTF-8 (Fold writes runes), so this is the
// deletion of one rune of []rune(s).
func deletion(buf []byte, s string, off, size int) []byte {
	return append(append(buf[:0], s[:off]...), s[off+size:]...)
}

// fuzzyMentions finds names spelled with one or two differences in the
// words not already matched, longest first.
func (g *Gazetteer) fuzzyMentions(toks words, covered []bool) []Mention {
	g.buildFuzzy()
	var ms []Mention
	var buf []byte
	for i := 0; i < toks.len(); {
		if covered[i] {
			i++
			continue
		}
		found := false
		for n := min(3, g.maxToks, toks.len()-i); n > 0 && !found; n-- {
			if slices.Contains(covered[i:i+n], true) {
				continue
			}
			s := toks.join(i, n)
			if n == 1 && stopWords[s] {
				continue
			}
			rc := utf8.RuneCountInString(s)
			if rc < 5 || rc > 60 {
				continue
			}
			maxEd := 1
			if rc >= 9 {
				maxEd = 2
			}
			best, bestD := "", maxEd+1
			try := func(k string) {
				if d := editDistance(s, k, maxEd); d <= maxEd && (d < bestD || d == bestD && k < best) {
					best, bestD = k, d
				}
			}
			buf = append(buf[:0], s...)
			e := g.lookupFuzzy(buf)
			if e.name {
				try(s)
			}
			for _, k := range e.names {
				try(k)
			}
			for off := 0; off < len(s); {
				_, size := utf8.DecodeRuneInString(s[off:])
				buf = deletion(buf, s, off, size)
				off += size
				e := g.lookupFuzzy(buf)
				if e.name {
					try(string(buf))
				}
				for _, k := range e.names {
					try(k)
				}
			}
			if best != "" && !stopWords[best] {
				ms = append(ms, Mention{Text: s, Name: best, Edits: bestD})
				i += n
				found = true
			}
		}
		if !found {
			i++
		}
	}
	return ms
}

// editDistance is the optimal-string-alignment distance of a and b (an
// adjacent swap counts one), or max+1 when it is above max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// kindWeight: a town is the likeliest meaning of a name, a province the
// least specific.
var kindWeight = map[string]float64{"town": 1, "locality": 0.8, "deployment": 0.8, "admin2": 0.7, "admin1": 0.5}

// rank scores the places a mention may mean and turns the scores into
// confidences: the match quality (1 exact, 0.8 one difference, 0.65 two)
// times each place's share of the scores.
func (g *Gazetteer) rank(m Mention, area *Area, admin1s map[string]bool, countries []string) []Candidate {
	ids := g.index[m.Name]
	cs := make([]Candidate, 0, len(ids))
	scores := make([]float64, 0, len(ids))
	total := 0.0
	for _, i := range ids {
		p := g.Places[i]
		w, ok := kindWeight[p.Kind]
		if !ok {
			w = 1
		}
		w *= 1 + math.Log10(1+float64(p.Population))
		if area != nil {
			if len(area.Countries) > 0 && p.Country != "" && !slices.Contains(area.Countries, p.Country) {
				w *= 0.2
			}
			if area.HasCentre {
				w *= 1 + 4*math.Exp(-Distance(area.Lat, area.Lon, p.Lat, p.Lon)/200000)
			}
		}
		if p.Admin1 != "" && admin1s[Fold(p.Admin1)] && p.Kind != "admin1" {
			w *= 5
		}
		if p.Country != "" && slices.Contains(countries, p.Country) {
			w *= 3
		}
		cs = append(cs, Candidate{Place: p})
		scores = append(scores, w)
		total += w
	}
	q := 1.0
	switch m.Edits {
	case 0:
	case 1:
		q = 0.8
	default:
		q = 0.65
	}
	for k := range cs {
		cs[k].Confidence = q * scores[k] / total
	}
	slices.SortStableFunc(cs, func(a, b Candidate) int {
		if a.Confidence != b.Confidence {
			if a.Confidence > b.Confidence {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Place.Name, b.Place.Name)
	})
	return cs
}

// Describe is a place's name with its first-level unit and country, in
// English or French: "Djugu, Ituri (DR Congo)", « Kutum, Darfour-Nord
// (Soudan) » (UnitName; a first-level unit's own name too), and a place of
// the Abyei Area with both countries (AreaCountry).
func (p Place) Describe(lang string) string {
	s := p.Name
	if p.Kind == "admin1" {
		s = upperFirst(UnitName(p.Name, lang)) // « Zone de l’Ouest (Sierra Leone) »
	}
	if p.Admin1 != "" && Fold(p.Admin1) != Fold(p.Name) {
		s += ", " + UnitName(p.Admin1, lang)
	}
	if c := AreaCountry(p.Admin1, p.Country); c != nil {
		s += " (" + c.Name(lang) + ")"
	}
	return s
}

// Merge returns one gazetteer of all the places of gs (nil ones skipped),
// in order; the first non-nil Area is kept.
func Merge(gs ...*Gazetteer) *Gazetteer {
	out := &Gazetteer{index: map[string][]int{}}
	for _, g := range gs {
		if g == nil {
			continue
		}
		if out.Area == nil {
			out.Area = g.Area
		}
		for _, p := range g.Places {
			p.ID = len(out.Places) + 1
			out.add(p)
		}
	}
	return out
}

// confidenceText is a confidence for people: "87 %", the % held by a
// narrow no-break space (U+202F) as French wants it (the pages re-say a
// location note in their language; older notes have a plain space).
func confidenceText(c float64) string { return fmt.Sprintf("%.0f\u202f%%", 100*c) }

// Search finds places for a search box: names equal to q, then names
// starting with q, then (when neither) names within a spelling difference
// or two; ranked by kind, population and nearness to area, at most limit.
func (g *Gazetteer) Search(q string, area *Area, limit int) []Candidate {
	fq := Fold(q)
	if utf8.RuneCountInString(fq) < 2 || limit <= 0 {
		return nil
	}
	g.buildSorted()
	type hit struct {
		i     int
		level int // 0 exact, 1 prefix, 2 fuzzy
		edits int
	}
	var hits []hit
	seen := map[int]bool{}
	add := func(k string, level, edits int) {
		for _, i := range g.index[k] {
			if !seen[i] {
				seen[i] = true
				hits = append(hits, hit{i, level, edits})
			}
		}
	}
	add(fq, 0, 0)
	lo, _ := slices.BinarySearch(g.sorted, fq)
	for j := lo; j < len(g.sorted) && j < lo+500 && strings.HasPrefix(g.sorted[j], fq); j++ {
		add(g.sorted[j], 1, 0)
	}
	if len(hits) == 0 {
		for _, m := range g.Match(q, area) {
			add(m.Name, 2, m.Edits)
		}
	}
	if len(hits) == 0 {
		return nil
	}
	if area == nil {
		area = g.Area
	}
	scores := make([]float64, len(hits))
	total := 0.0
	for k, h := range hits {
		p := g.Places[h.i]
		w, ok := kindWeight[p.Kind]
		if !ok {
			w = 1
		}
		w *= 1 + math.Log10(1+float64(p.Population))
		if area != nil && len(area.Countries) > 0 && p.Country != "" && !slices.Contains(area.Countries, p.Country) {
			w *= 0.2
		}
		if area != nil && area.HasCentre {
			w *= 1 + 4*math.Exp(-Distance(area.Lat, area.Lon, p.Lat, p.Lon)/200000)
		}
		w *= []float64{1, 0.5, 0.3}[h.level] / float64(1+h.edits)
		scores[k] = w
		total += w
	}
	idx := make([]int, len(hits))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if hits[a].level != hits[b].level {
			return hits[a].level - hits[b].level
		}
		if scores[a] != scores[b] {
			if scores[a] > scores[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(g.Places[hits[a].i].Name, g.Places[hits[b].i].Name)
	})
	var out []Candidate
	for _, k := range idx[:min(limit, len(idx))] {
		out = append(out, Candidate{Place: g.Places[hits[k].i], Confidence: scores[k] / total})
	}
	return out
}

func (g *Gazetteer) buildSorted() {
	g.lazyMu.Lock()
	defer g.lazyMu.Unlock()
	if g.sorted != nil {
		return
	}
	ks := make([]string, 0, len(g.index))
	for k := range g.index {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	g.sorted = ks
}
