package integrity

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/integrity/langid"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/integrity/narrative"
	"github.com/vigil-project/vigil/integrity/spike"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textscan"
)

// HarmfulAt is the classifier's score at or above which an item with no
// analyst's label counts as harmful, flagged for people to look at (the
// classifier never decides alone): an analyst's label, when there is one,
// decides instead (see Harmful).
const HarmfulAt = 0.5

// Harmful is the rule of every harmful count (map, Where, narratives,
// brief, the harmful filter of item search): an item is harmful when an
// analyst labelled it harmful, or, with no analyst's label, when the
// classifier scored it at least HarmfulAt. An item labelled normal is not
// harmful whatever its score. labelled is the analyst's label ("" when
// none), score the classifier's.
func Harmful(labelled string, score float64) bool {
	if labelled != "" {
		return labelled == HarmfulLabel
	}
	return score >= HarmfulAt
}

// HarmfulSQL is Harmful as an SQL condition (SQLite and PostgreSQL), for
// the store's queries: label is an SQL expression of the item's analyst's
// label (NULL or empty when none), score one of its classifier's score.
func HarmfulSQL(label, score string) string {
	return "(COALESCE(" + label + ", '') = '" + HarmfulLabel + "' OR (COALESCE(" + label + ", '') = '' AND " +
		score + " >= " + strconv.FormatFloat(HarmfulAt, 'f', -1, 64) + "))"
}

// ScoredLanguages are the languages the built-in classifier learnt from
// (the labelled posts of Davidson et al. and Ousidhoum et al.): items in
// any other language are left unscored (label Unscored) rather than given
// a number that means nothing.
var ScoredLanguages = map[string]bool{"en": true, "fr": true, "ar": true}

// Unscored is the label of an item in a language the classifier does not know.
const Unscored = "unscored"

// RecentDays is how many days back from the newest item a spike still
// counts as current.
const RecentDays = 7

// Service is the information-integrity logic: every arriving item is
// analysed (language, classifier, lexicon, place) and filed into a
// narrative by one in-memory grouper, rebuilt from the store on first use.
// One process writes items at a time (the grouper is per process).
type Service struct {
	Store Store
	Keys  *crypt.Keyring
	// Model is the harmful-speech classifier; the built-in one when nil.
	Model *classify.Model
	// Places gives the server's current gazetteer (shipped and imported
	// names) to find places in texts; SetGazetteer's when nil.
	Places interface {
		Gazetteer(ctx context.Context) (*geotext.Gazetteer, error)
	}
	// Rule is the spike rule (zero value: spike's defaults).
	Rule spike.Rule
	// FeedHTTP fetches scheduled feeds; FeedClient(FeedTimeout) when nil.
	FeedHTTP *http.Client
	Now      func() time.Time
	Log      *slog.Logger
	// Replier answers tipline senders (check.go); SendAnswers is
	// unavailable when nil.
	Replier Replier
	// Mission is the author named on published fact-checks (factcheck.go).
	Mission string
	// Assignable names the people a check may be given to, the Verify
	// page's « Confié à » list (auth.Service.Verifiers: enabled analysts
	// and administrators); nil takes any name.
	Assignable func(ctx context.Context) ([]string, error)

	// TrainingDir holds the built-in model's training files
	// (classify.TrainingFiles) for retraining with analysts' labels
	// (learn.go); "": retraining is unavailable.
	TrainingDir string
	// PassBatch is how many items a pass over the store (re-matching
	// after a lexicon change, re-scoring after a model change) handles at
	// a time (DefaultPassBatch when 0; pass.go).
	PassBatch int

	gaz atomic.Pointer[geotext.Gazetteer]
	lex atomic.Pointer[lexicon.Lexicon]

	mu      sync.Mutex // guards the grouper state below and item writes
	loaded  bool
	grouper *narrative.Grouper
	narrOf  map[int]int64 // grouper id → stored narrative id
	next    int64         // next narrative id

	rematchPass pass // after lexicon changes (rematch.go)
	rescorePass pass // after a model is activated (learn.go)

	active    atomic.Pointer[scorer] // the model in use (learn.go); nil: load it
	trainMu   sync.Mutex             // guards trainSt and trainDone
	trainSt   TrainStatus
	trainDone chan struct{}
}

// NewService returns a service over st sealing authors with keys.
func NewService(st Store, keys *crypt.Keyring) *Service {
	return &Service{Store: st, Keys: keys, Now: time.Now, Log: slog.Default()}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// SetGazetteer sets the place-name gazetteer used to find places in text.
func (s *Service) SetGazetteer(g *geotext.Gazetteer) { s.gaz.Store(g) }

// load rebuilds the grouper and the lexicon from the store. s.mu is held.
func (s *Service) load(ctx context.Context) error {
	if s.loaded {
		return nil
	}
	if err := s.reloadLexicon(ctx); err != nil {
		return err
	}
	g := narrative.New(narrative.Options{})
	narrOf := map[int]int64{}
	err := s.Store.ItemTexts(ctx, func(it ItemText) error {
		gid := g.Add(it.Key, it.Text)
		switch n := narrOf[gid]; {
		case n == 0:
			narrOf[gid] = it.Narrative
		case n != it.Narrative:
			// An analyst split this item off: keep it apart.
			narrOf[g.Split([]string{it.Key})] = it.Narrative
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("integrity: rebuild narratives: %w", err)
	}
	maxID, err := s.Store.MaxNarrativeID(ctx)
	if err != nil {
		return err
	}
	s.grouper, s.narrOf, s.next, s.loaded = g, narrOf, maxID+1, true
	return nil
}

func (s *Service) reloadLexicon(ctx context.Context) error {
	ts, err := s.Store.Terms(ctx)
	if err != nil {
		return err
	}
	es := make([]lexicon.Entry, len(ts))
	for i, t := range ts {
		es[i] = t.entry()
	}
	s.lex.Store(lexicon.New(es))
	return nil
}

func (t Term) entry() lexicon.Entry {
	return lexicon.Entry{Term: t.Term, Variants: t.Variants, Language: t.Language, Meaning: t.Meaning, MeaningCode: t.MeaningCode, MeaningPct: t.MeaningPct,
		Group: t.Group, Severity: t.Severity, Source: t.Source}
}

// Load rebuilds the in-memory narrative grouper and lexicon from the store
// now rather than on the first item.
func (s *Service) Load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(ctx)
}

// Validate checks an item's fields and fills defaults (kind, time, a
// generated source id for manual items). Errors are invalid input (*apperr.Error).
func (s *Service) Validate(it *Item) error {
	if it.Source == "" && it.Via == ViaManual {
		it.Source = "manual"
	}
	if err := checkLine("source", it.Source, MaxShort, true); err != nil {
		return err
	}
	if it.SourceID == "" {
		if it.Via == ViaImport || it.Via == ViaFeed {
			return fieldErr("id", "is required (re-importing updates the item with the same source and id)")
		}
		var b [8]byte
		_, _ = rand.Read(b[:])
		it.SourceID = it.Via + ":" + hex.EncodeToString(b[:])
	}
	if err := checkLine("id", it.SourceID, MaxShort, true); err != nil {
		return err
	}
	if it.Kind == "" {
		it.Kind = "post"
		if it.Via == ViaManual {
			it.Kind = "rumour"
		}
	}
	ok := false
	for _, k := range Kinds {
		ok = ok || k == it.Kind
	}
	if !ok {
		return fieldErr("kind", "%q is not one of %s", it.Kind, strings.Join(Kinds, ", "))
	}
	if err := checkText("text", it.Text, MaxText, true); err != nil {
		return err
	}
	if it.Lang != "" {
		ok := it.Lang == langid.Other
		for _, l := range langid.Languages {
			ok = ok || l == it.Lang
		}
		if !ok && (len(it.Lang) != 2 || strings.Trim(it.Lang, "abcdefghijklmnopqrstuvwxyz") != "") {
			return fieldErr("lang", "%q is not a two-letter language code", it.Lang)
		}
	}
	if err := checkLine("author", it.Author, MaxAuthor, false); err != nil {
		return err
	}
	if it.Time.IsZero() {
		it.Time = s.now()
	}
	if it.Time.After(s.now().Add(24 * time.Hour)) {
		return fieldErr("time", "%s is in the future", it.Time.Format(time.RFC3339))
	}
	if it.Time.Year() < 1990 {
		return fieldErr("time", "%s is before 1990", it.Time.Format(time.RFC3339))
	}
	it.Time = it.Time.UTC().Truncate(time.Second)
	if err := checkURL("url", it.URL); err != nil {
		return err
	}
	for _, n := range []struct {
		f string
		v int64
	}{{"shares", it.Shares}, {"reactions", it.Reactions}, {"views", it.Views}, {"replies", it.Replies}} {
		if n.v < 0 || n.v > 1e12 {
			return fieldErr(n.f, "%d is not a count (0 to 10¹²)", n.v)
		}
	}
	if err := checkLine("place", it.Place, MaxShort, false); err != nil {
		return err
	}
	if (it.Lat == nil) != (it.Lon == nil) {
		return fieldErr("lat", "give both lat and lon or neither")
	}
	if it.Lat != nil && (*it.Lat < -90 || *it.Lat > 90 || *it.Lat != *it.Lat) {
		return fieldErr("lat", "%v is not a latitude", *it.Lat)
	}
	if it.Lon != nil && (*it.Lon < -180 || *it.Lon > 180 || *it.Lon != *it.Lon) {
		return fieldErr("lon", "%v is not a longitude", *it.Lon)
	}
	if it.Lat != nil && it.Place == "" {
		return fieldErr("place", "a place with coordinates needs its name (places are shown by name)")
	}
	if len(it.Media) > MaxMedia {
		return fieldErr("media", "%d links; at most %d", len(it.Media), MaxMedia)
	}
	for _, m := range it.Media {
		if err := checkURL("media", m); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(field, u string) error {
	if u == "" {
		return nil
	}
	if err := checkLine(field, u, MaxURL, false); err != nil {
		return err
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fieldErr(field, "%q is not an http(s) URL", u)
	}
	return nil
}

// analyse fills language, score, reasons, lexicon matches and place.
func (s *Service) analyse(m *scorer, g *geotext.Gazetteer, it *Item) {
	if it.Lang == "" {
		it.Lang = langid.Detect(it.Text)
	}
	it.Score, it.Label, it.Reasons = m.score(it.Text, it.Lang)
	it.Matches = lexMatches(s.lex.Load(), it.Text, it.Lang, it.Matches[:0])
	s.place(g, it)
}

// analyseAll analyses items on every core: each item's analysis depends
// on that item alone (the model, lexicon and gazetteer are read-only), so
// the result is the same as one by one; items are then grouped in input
// order by the caller. also (nil: none) is called after each item's
// analysis with its index, on the same goroutine.
func (s *Service) analyseAll(m *scorer, g *geotext.Gazetteer, items []*Item, also func(i int)) {
	one := func(i int) {
		s.analyse(m, g, items[i])
		if also != nil {
			also(i)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(items)+63)/64)
	if workers <= 1 {
		for i := range items {
			one(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(64)) - 64
				if i >= len(items) {
					return
				}
				for j := i; j < min(i+64, len(items)); j++ {
					one(j)
				}
			}
		})
	}
	wg.Wait()
}

// gazetteer is what items are placed with: the store's places when it
// has them, else the one SetGazetteer gave (nil: none).
func (s *Service) gazetteer(ctx context.Context) *geotext.Gazetteer {
	if s.Places != nil {
		if g, err := s.Places.Gazetteer(ctx); err == nil && g != nil {
			return g
		}
	}
	return s.gaz.Load()
}

// place locates an item by the gazetteer g (nil: it stays as given). A
// place name given without coordinates, or else a place named in the text,
// is resolved as the alert intake resolves a message (geotext.Resolve),
// keeping the confidence and the place's first-level area and country;
// given coordinates get the area and country of the nearest known place.
// Only gazetteer names are taken from texts, never coordinates written in
// them, which may be where the author is.
func (s *Service) place(g *geotext.Gazetteer, it *Item) {
	byName := func(text string, fromText bool) bool {
		if g == nil || strings.TrimSpace(text) == "" {
			return false
		}
		r := geotext.Resolve(text, g)
		if r.Status != geotext.Resolved || r.Location == nil || r.Location.Source != "gazetteer" || r.Location.Place == "" {
			return false
		}
		l := r.Location
		if fromText && !writtenAsName(text, l.Text) {
			return false
		}
		lat, lon, conf := l.Lat, l.Lon, round3(l.Confidence)
		it.Lat, it.Lon, it.Admin1, it.Country, it.PlaceConfidence = &lat, &lon, l.Admin1, l.Country, &conf
		if it.Place == "" {
			it.Place = l.Place
		}
		return true
	}
	switch {
	case it.Lat != nil && it.Lon != nil:
		if it.Place != "" {
			it.PlaceFrom = "given"
		}
		if g != nil {
			if l, ok := g.Label(*it.Lat, *it.Lon); ok {
				it.Admin1, it.Country = l.Place.Admin1, l.Place.Country
			}
		}
	case it.Place != "":
		it.PlaceFrom = "given"
		byName(it.Place, false)
	default:
		// A place found in the text must be written there as a name
		// (writtenAsName): a text whose every word starts lower-case
		// names none, and is not searched.
		if mayNameAPlace(it.Text) && byName(it.Text, true) {
			it.PlaceFrom = "text"
		}
	}
}

// writtenAsName reports whether the words of a place name found in text
// (mention: the folded words that matched) are written there as a proper
// noun: some occurrence of its first word starts with a capital letter (or
// with a letter of a script without case). Ordinary words that are also
// town names somewhere — English "human" read as Numan, Lingala "motema"
// (heart) as Motema — are then not taken for places.
func writtenAsName(text, mention string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(mention), " ")
	if first == "" {
		return true
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
		if geotext.Fold(w) != first {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || unicode.IsTitle(r) || !unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// mayNameAPlace reports whether some word of text (as writtenAsName splits
// it) does not start with a lower-case letter: without one, no place found
// in text can pass writtenAsName.
func mayNameAPlace(text string) bool {
	inWord := false
	for _, r := range text {
		letter := unicode.IsLetter(r) || unicode.IsMark(r)
		if letter && !inWord && !unicode.IsLower(r) {
			return true
		}
		inWord = letter
	}
	return false
}

// lexMatches appends the matches of lx (nil: none) in text to out.
func lexMatches(lx *lexicon.Lexicon, text, lang string, out []LexMatch) []LexMatch {
	if lx == nil {
		return out
	}
	for _, mt := range lx.Match(text, lang) {
		out = append(out, LexMatch{Term: mt.Entry.Term, Matched: mt.Matched, Meaning: mt.Entry.Meaning, MeaningCode: mt.Entry.MeaningCode, MeaningPct: mt.Entry.MeaningPct,
			Group: mt.Entry.Group, Severity: mt.Entry.Severity, Explain: mt.Explain()})
	}
	return out
}

// scorer is the harmful-speech model in use and the languages it scores
// (nil: all).
type scorer struct {
	m     *classify.Model
	id    int64 // the stored model's id; 0: the built-in model or Service.Model
	langs map[string]bool
}

// score gives a text's harmful probability, label and the words that
// drove a harmful label; a text in a language the model does not know is
// left unscored.
func (m *scorer) score(text, lang string) (float64, string, []Reason) {
	if m.langs != nil && !m.langs[lang] {
		return 0, Unscored, nil
	}
	// The words that raised the harmful score, for every scored item
	// (under the line too: a reader sees why 0.32 and not 0.05).
	pred, reasons := m.m.ExplainToward(text, 6, HarmfulLabel)
	var out []Reason
	for _, r := range reasons {
		if r.Weight > 0 {
			out = append(out, Reason{Text: r.Text, Weight: round3(r.Weight)})
		}
	}
	return pred.Probs[HarmfulLabel], pred.Label, out
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// AddResult says what an Add or Import did.
type AddResult struct {
	Added      int     `json:"added"`
	Updated    int     `json:"updated"` // already stored: engagement counts updated
	Narratives int     `json:"new_narratives"`
	Items      []int64 `json:"items,omitempty"` // the items' ids, in input order
}

// Add analyses validated items, files them into narratives and stores them
// in one transaction (new items inserted, known ones — same source and id
// — get their engagement counts updated). Nothing is written on error.
// The audit entry gives the counts and from, where the items came from
// ("from file export.csv", "manual entry"; see Intake*): never an author,
// a number or an item's text.
func (s *Service) Add(ctx context.Context, actor, action, from string, items []*Item) (AddResult, error) {
	var res AddResult
	m, err := s.scorer(ctx)
	if err != nil {
		return res, err
	}
	for _, it := range items {
		if it.Author != "" {
			sealed, err := s.Keys.Seal([]byte(it.Author), []byte(AADAuthor))
			if err != nil {
				return res, err
			}
			it.AuthorSealed, it.HasAuthor = sealed, true
		}
	}
	gaz := s.gazetteer(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(ctx); err != nil {
		return res, err
	}
	var newNarr []Narrative
	now := s.now()
	seen := map[string]bool{}
	fresh := make([]*Item, 0, len(items))
	for _, it := range items {
		key := it.Key()
		if gid := s.grouper.Narrative(key); gid != 0 || seen[key] {
			res.Updated++
			it.Narrative = s.narrOf[gid]
			continue
		}
		seen[key] = true
		fresh = append(fresh, it)
	}
	// the texts' shingles are worked out with their analysis, on every
	// core; the grouping itself is in input order
	preps := make([]narrative.Prepared, len(fresh))
	s.analyseAll(m, gaz, fresh, func(i int) { preps[i] = s.grouper.Prepare(fresh[i].Text) })
	for i, it := range fresh {
		res.Added++
		it.Created = now
		gid := s.grouper.AddPrepared(it.Key(), preps[i])
		n := s.narrOf[gid]
		if n == 0 {
			n = s.next
			s.next++
			s.narrOf[gid] = n
			newNarr = append(newNarr, Narrative{ID: n, Status: StatusNew, Created: now})
		}
		it.Narrative = n
	}
	detail := fmt.Sprintf("%d items: %d new, %d updated, %d new narratives", len(items), res.Added, res.Updated, len(newNarr))
	if from = textscan.Clip(oneLine(from), 300); from != "" {
		detail += "; " + from
	}
	if err := s.Store.SaveItems(ctx, actor, action, detail, newNarr, items); err != nil {
		s.loaded = false // the grouper holds unsaved items: rebuild from the store
		return AddResult{}, err
	}
	res.Narratives = len(newNarr)
	for _, it := range items {
		res.Items = append(res.Items, it.ID)
	}
	return res, nil
}

// AddOne validates and adds one item entered by hand (audited as a
// manual entry).
func (s *Service) AddOne(ctx context.Context, actor string, it Item) (Item, error) {
	return s.addOne(ctx, actor, IntakeManual, it)
}

// addOne validates and adds one item that came from where (Add's from).
func (s *Service) addOne(ctx context.Context, actor, from string, it Item) (Item, error) {
	if err := s.Validate(&it); err != nil {
		return Item{}, err
	}
	if _, err := s.Add(ctx, actor, "integrity.item.add", from, []*Item{&it}); err != nil {
		return Item{}, err
	}
	return s.Store.Item(ctx, it.ID)
}

// Where items came from, as their intake's audit entry says it after the
// counts (Add's from): a file's name only, a feed by its number and host
// (not its path or query, which may name an account or hold a key), a
// tipline by its channel's name (not the sender).
const (
	IntakeManual = "manual entry"
	IntakeDemo   = "from the demo: synthetic items based on UCDP GED events"
)

// IntakeFile is where an import's items came from: the file's name, without
// its folders.
func IntakeFile(name string) string {
	return "from file " + name[strings.LastIndexAny(name, `/\`)+1:]
}

// IntakeFeed is where a poll's items came from: feed id (0: a feed polled
// by its URL alone) at the URL's host.
func IntakeFeed(id int64, feedURL string) string {
	host := "an unreadable address"
	if u, err := url.Parse(feedURL); err == nil && u.Host != "" {
		host = u.Host
	}
	if id == 0 {
		return "from a feed at " + host
	}
	return fmt.Sprintf("from feed %d at %s", id, host)
}

// IntakeTipline is where a tipline message came from: its channel.
func IntakeTipline(channel string) string { return "from tipline channel " + channel }

// Items lists stored items, newest first.
func (s *Service) Items(ctx context.Context, f ItemFilter) ([]Item, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	items, err := s.Store.Items(ctx, f)
	for i := range items {
		items[i] = withAreaNames(items[i])
	}
	return items, err
}

// Item returns one item.
func (s *Service) Item(ctx context.Context, id int64) (Item, error) {
	it, err := s.Store.Item(ctx, id)
	return withAreaNames(it), err
}

// RevealAuthor opens an item's sealed author handle; the read is audited.
func (s *Service) RevealAuthor(ctx context.Context, actor string, id int64) (string, error) {
	sealed, err := s.Store.RevealAuthor(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if len(sealed) == 0 {
		return "", nil
	}
	b, err := s.Keys.Open(sealed, []byte(AADAuthor))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Narratives lists the live narratives with their figures and current
// spike flag, largest volume first.
func (s *Service) Narratives(ctx context.Context) ([]NarrativeStats, error) {
	ns, err := s.Store.Narratives(ctx)
	if err != nil {
		return nil, err
	}
	idx := make(map[int64]*NarrativeStats, len(ns))
	for i := range ns {
		idx[ns[i].ID] = &ns[i]
	}
	for _, facet := range []string{"lang", "place", "source", "group"} {
		fs, err := s.Store.NarrativeFacets(ctx, facet)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			n := idx[f.Narrative]
			if n == nil || f.Value == "" {
				continue
			}
			c := Count{f.Value, f.N}
			switch facet {
			case "lang":
				n.Languages = append(n.Languages, c)
			case "place":
				n.Places = append(n.Places, c)
			case "source":
				n.Sources = append(n.Sources, c)
			case "group":
				n.Groups = append(n.Groups, c)
			}
		}
	}
	flags, err := s.spikes(ctx, "narrative", "")
	if err != nil {
		return nil, err
	}
	for i := range flags {
		var id int64
		fmt.Sscan(flags[i].Key, &id)
		if n := idx[id]; n != nil && (n.Spike == nil || flags[i].Day > n.Spike.Day) {
			n.Spike = &flags[i]
		}
	}
	for i := range ns {
		for _, cs := range [][]Count{ns[i].Languages, ns[i].Places, ns[i].Sources, ns[i].Groups} {
			sort.SliceStable(cs, func(a, b int) bool { return cs[a].N > cs[b].N })
		}
	}
	sort.SliceStable(ns, func(a, b int) bool {
		if ns[a].Items != ns[b].Items {
			return ns[a].Items > ns[b].Items
		}
		return ns[a].ID < ns[b].ID
	})
	return ns, nil
}

// Spikes returns the current spike flags (on the last RecentDays days of
// the data) of narratives, terms and places, by the stated rule of package
// spike: a day is flagged when its count is improbable (upper-tail p below
// Rule.Alpha under a negative binomial, or a Poisson, with the mean and
// overdispersion of its own trailing window).
func (s *Service) Spikes(ctx context.Context) ([]SpikeFlag, error) { return s.spikesUntil(ctx, "") }

// spikesUntil is Spikes on the RecentDays days up to day until ("": the
// newest item's day).
func (s *Service) spikesUntil(ctx context.Context, until string) ([]SpikeFlag, error) {
	var out []SpikeFlag
	for _, by := range []string{"narrative", "term", "place"} {
		fs, err := s.spikes(ctx, by, until)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Day != out[b].Day {
			return out[a].Day > out[b].Day
		}
		return out[a].PValue < out[b].PValue
	})
	return out, nil
}

// spikes scans the series by; until (YYYY-MM-DD, "" for the newest item's
// day) is the last day of the series, so the flags are those of the
// RecentDays days up to it.
func (s *Service) spikes(ctx context.Context, by, until string) ([]SpikeFlag, error) {
	// Every series runs over the days of all items (the narrative counts
	// cover them all), so a term or place first seen today has a history
	// of zeros behind it.
	all, err := s.Store.DailyCounts(ctx, "narrative")
	if err != nil || len(all) == 0 {
		return nil, err
	}
	first, last := all[0].Day, all[0].Day
	for _, d := range all {
		first, last = min(first, d.Day), max(last, d.Day)
	}
	if until != "" {
		last = until
	}
	dcs := all
	if by != "narrative" {
		if dcs, err = s.Store.DailyCounts(ctx, by); err != nil {
			return nil, err
		}
	}
	return ScanSpikes(s.Rule, by, dcs, first, last), nil
}

// ScanSpikes applies rule to each key's daily series, zero-filled from
// day first to day last (YYYY-MM-DD), and returns the flags on the last
// RecentDays days.
func ScanSpikes(rule spike.Rule, by string, dcs []DayCount, first, last string) []SpikeFlag {
	t0, err1 := time.Parse(time.DateOnly, first)
	t1, err2 := time.Parse(time.DateOnly, last)
	if err1 != nil || err2 != nil || t1.Before(t0) {
		return nil
	}
	n := int(t1.Sub(t0).Hours()/24) + 1
	series := map[string][]int{}
	var keys []string
	for _, d := range dcs {
		t, err := time.Parse(time.DateOnly, d.Day)
		if err != nil || d.Key == "" || t.Before(t0) || t.After(t1) {
			continue
		}
		sr := series[d.Key]
		if sr == nil {
			sr = make([]int, n)
			series[d.Key] = sr
			keys = append(keys, d.Key)
		}
		sr[int(t.Sub(t0).Hours()/24)] += d.N
	}
	sort.Strings(keys)
	var out []SpikeFlag
	for _, k := range keys {
		for _, f := range rule.Scan(series[k]) {
			if f.Day < n-RecentDays {
				continue
			}
			out = append(out, SpikeFlag{By: by, Key: k, Day: t0.AddDate(0, 0, f.Day).Format(time.DateOnly),
				Count: f.Count, Expected: round3(f.Expected), PValue: f.PValue})
		}
	}
	return out
}

// RenameNarrative names a narrative.
func (s *Service) RenameNarrative(ctx context.Context, actor string, id int64, name string) error {
	if err := checkLine("name", name, MaxName, false); err != nil {
		return err
	}
	return s.Store.RenameNarrative(ctx, actor, id, strings.TrimSpace(name))
}

// MergeNarratives merges from into into: later near-duplicates of either
// join into. It says what became of from's check (see the package doc).
func (s *Service) MergeNarratives(ctx context.Context, actor string, into, from int64) (MergedCheck, error) {
	if into == from {
		return MergedCheck{}, fieldErr("from", "cannot merge a narrative into itself")
	}
	for _, id := range []int64{into, from} {
		n, err := s.Store.Narrative(ctx, id)
		if err != nil {
			return MergedCheck{}, err
		}
		if n.MergedInto != 0 {
			return MergedCheck{}, fieldErr("from", "narrative %d was already merged into %d", id, n.MergedInto)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(ctx); err != nil {
		return MergedCheck{}, err
	}
	mc, err := s.Store.MergeNarratives(ctx, actor, into, from, s.now())
	if err != nil {
		return MergedCheck{}, err
	}
	for g, n := range s.narrOf {
		if n == from {
			s.narrOf[g] = into
		}
	}
	return mc, nil
}

// SplitNarrative moves the given items of narrative from into a new
// narrative and returns it; later near-duplicates of the moved items join
// the new one.
func (s *Service) SplitNarrative(ctx context.Context, actor string, from int64, items []int64, name string) (Narrative, error) {
	if len(items) == 0 {
		return Narrative{}, fieldErr("items", "name at least one item to split off")
	}
	if err := checkLine("name", name, MaxName, false); err != nil {
		return Narrative{}, err
	}
	members, err := s.Store.Items(ctx, ItemFilter{Narrative: from, Limit: 1 << 30})
	if err != nil {
		return Narrative{}, err
	}
	in := map[int64]string{}
	for _, it := range members {
		in[it.ID] = it.Key()
	}
	var keys []string
	for _, id := range items {
		k, ok := in[id]
		if !ok {
			return Narrative{}, fieldErr("items", "item %d is not in narrative %d", id, from)
		}
		keys = append(keys, k)
	}
	if len(keys) == len(in) {
		return Narrative{}, fieldErr("items", "that is every item of narrative %d: nothing would stay", from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(ctx); err != nil {
		return Narrative{}, err
	}
	n := Narrative{ID: s.next, Name: strings.TrimSpace(name), Status: StatusNew, SplitFrom: from, Created: s.now()}
	if err := s.Store.SplitNarrative(ctx, actor, from, n, items); err != nil {
		return Narrative{}, err
	}
	s.next++
	s.narrOf[s.grouper.Split(keys)] = n.ID
	return n, nil
}

// Terms lists the lexicon.
func (s *Service) Terms(ctx context.Context) ([]Term, error) { return s.Store.Terms(ctx) }

// CheckTerm validates a term.
func CheckTerm(t *Term) error {
	t.Term = strings.TrimSpace(t.Term)
	if err := checkLine("term", t.Term, MaxShort, true); err != nil {
		return err
	}
	var vs []string
	for _, v := range t.Variants {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if err := checkLine("variants", v, MaxShort, false); err != nil {
			return err
		}
		if strings.Contains(v, "|") {
			return fieldErr("variants", "%q holds '|', the variant separator", v)
		}
		vs = append(vs, v)
	}
	t.Variants = vs
	if err := checkLine("language", t.Language, 10, false); err != nil {
		return err
	}
	if err := checkText("meaning", t.Meaning, 2000, false); err != nil {
		return err
	}
	var err error
	if t.Meaning, t.MeaningCode, t.MeaningPct, err = lexicon.CheckMeaning(t.Meaning, t.MeaningCode, t.MeaningPct); err != nil {
		return err // an apperr.Invalid naming meaning_code or meaning_pct
	}
	if err := checkLine("group", t.Group, MaxShort, false); err != nil {
		return err
	}
	if err := checkLine("source", t.Source, MaxShort, false); err != nil {
		return err
	}
	if t.Severity == 0 {
		t.Severity = 1
	}
	if t.Severity < 1 || t.Severity > 3 {
		return fieldErr("severity", "%d is not 1 (low), 2 (medium) or 3 (high)", t.Severity)
	}
	return nil
}

// SaveTerm creates or updates a lexicon term; stored items are matched again
// (rematch.go) and new ones are matched with it.
func (s *Service) SaveTerm(ctx context.Context, actor string, t Term) (Term, error) {
	if err := CheckTerm(&t); err != nil {
		return Term{}, err
	}
	if err := s.Store.SaveTerm(ctx, actor, &t); err != nil {
		return Term{}, err
	}
	return t, s.lexiconChanged(ctx, actor)
}

// lexiconChanged reloads the lexicon and re-matches the stored items with it.
func (s *Service) lexiconChanged(ctx context.Context, actor string) error {
	if err := s.reloadLexicon(ctx); err != nil {
		return err
	}
	return s.rematch(ctx, actor)
}

// DeleteTerm removes a lexicon term.
func (s *Service) DeleteTerm(ctx context.Context, actor string, id int64) error {
	if err := s.Store.DeleteTerm(ctx, actor, id); err != nil {
		return err
	}
	return s.lexiconChanged(ctx, actor)
}

// ImportTerms reads a lexicon CSV (lexicon.Header columns) and adds its
// terms; on any error nothing is written.
func (s *Service) ImportTerms(ctx context.Context, actor string, es []lexicon.Entry, what string) (int, error) {
	ts := make([]Term, 0, len(es))
	for i, e := range es {
		t := Term{Term: e.Term, Variants: e.Variants, Language: e.Language, Meaning: e.Meaning, MeaningCode: e.MeaningCode, MeaningPct: e.MeaningPct,
			Group: e.Group, Severity: e.Severity, Source: e.Source}
		if err := CheckTerm(&t); err != nil {
			var fe *apperr.Error
			if errors.As(err, &fe) {
				var why error = errors.New(fe.Msg)
				if m, ok := fe.MsgSaid(); ok {
					why = m.Err()
				}
				*fe = *apperr.FieldErr(fe.Kind, fe.Field, apperr.Textf("entry %d: %v", i+1, why))
			}
			return 0, err
		}
		ts = append(ts, t)
	}
	if len(ts) > MaxTerms {
		return 0, fieldErr("file", "%d terms; at most %d", len(ts), MaxTerms)
	}
	if err := s.Store.ImportTerms(ctx, actor, fmt.Sprintf("%d terms from %s", len(ts), what), ts); err != nil {
		return 0, err
	}
	return len(ts), s.lexiconChanged(ctx, actor)
}

// LoadStarter adds the starter lexicon (lexicon.Starter).
func (s *Service) LoadStarter(ctx context.Context, actor string) (int, error) {
	return s.ImportTerms(ctx, actor, lexicon.Starter(), "the starter lexicon")
}

// FromTipline files a message that arrived on an alert channel marked as a
// tipline as a content item (kind message, via tipline, source the
// channel's name, id "alert:N"). The sender's number stays with the alert
// only: an analyst answers the sender through that alert's reply.
func (s *Service) FromTipline(ctx context.Context, channel string, alertID int64, text string, at time.Time) (Item, error) {
	return s.FromTiplineSender(ctx, channel, alertID, "", text, at)
}

// FromTiplineSender is FromTipline with the sender's key (Item.SenderKey:
// alerts.Alert.SenderMAC, "" when none), so that the queue of checks
// counts the people who sent a rumour apart from their messages.
func (s *Service) FromTiplineSender(ctx context.Context, channel string, alertID int64, senderKey, text string, at time.Time) (Item, error) {
	it := Item{Via: ViaTipline, Kind: "message", Source: "tipline: " + channel, SourceID: fmt.Sprintf("alert:%d", alertID), Text: text, Time: at,
		SenderKey: senderKey}
	if r := []rune(it.Source); len(r) > MaxShort { // characters, as checkLine counts them (a byte cut could split one)
		it.Source = string(r[:MaxShort])
	}
	return s.addOne(ctx, "tipline", IntakeTipline(channel), it)
}
