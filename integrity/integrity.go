// Package integrity is Vigil's information-integrity capability.
//
// It covers content items (posts, messages, articles, radio notes, rumours)
// stored with their language, harmful-speech score and reasons, lexicon matches
// and narrative, narratives that analysts merge, split and name, the mission's
// lexicon, and spike flags per narrative, term and place.
//
// Verify and respond (check.go): each narrative has at most one check.
// When narratives are merged (Service.MergeNarratives), the work follows
// the claim: a check in progress on the narrative merged away moves, with
// its log and the answers already sent, to the surviving narrative when
// that one has no check (its log says so: LogMergedIn); when the survivor
// has its own check, the merged one is closed, its log naming the
// survivor (LogMerged), and the survivor's check goes on (if that one was
// closed, reopening it, closed → monitoring, carries the work on). A closed check
// stays where it was (its fact-check page keeps its address). So the
// queue of checks in progress (Service.CheckQueue) never lists a
// merged-away narrative, and the merge says which happened (MergedCheck);
// upgrading to this rule (migration 0065) carried
// the checks older versions had left on merged narratives the same way.
//
// A check is "responded" only with a record of how the claim was
// answered: the fact-check's answer sent to tipline senders
// (Service.SendAnswers moves it there once an answer went to someone),
// or, when none was, the analyst's words of how (CheckUpdate.Response:
// a broadcast, "Radio Okapi 14 h"), kept in the move's log entry and
// audit.
//
// The queue and the check's page (Service.GetCheck) count a narrative's
// tipline messages and, apart, the people who sent them, alike
// (CheckStore.CheckSenders): items are told apart by their SenderKey, the keyed hash
// of the number the phone network gave, made at intake from the number in
// memory (alerts.Alert.SenderMAC); a stored number is never opened for
// it. A message without one (a web form's typed number, or filed before
// keys were stored) counts as one person; the queue says how many
// (QueuedCheck.Unkeyed). Who is left to answer (Check.ToAnswer) is
// counted the same way, so such a message is one more person to answer
// until the answers are sent: SendAnswers opens its number (as it must
// to send), and when its sender was answered through another message,
// sends nothing and records it answered so (ReplySameSender).
package integrity

import (
	"context"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of content item.
var Kinds = []string{"post", "message", "article", "radio", "rumour"}

// Vias say how an item arrived.
const (
	ViaManual  = "manual"
	ViaImport  = "import"
	ViaTipline = "tipline"
	ViaFeed    = "feed"
)

// Narrative statuses.
const (
	StatusNew    = "new"
	StatusMerged = "merged"
)

// HarmfulLabel is the label of the built-in classifier's harmful class.
const HarmfulLabel = "harmful"

// Limits on item fields (characters: Unicode code points, as a form's
// maxlength and counter count them; MaxMedia and MaxTerms are counts).
const (
	MaxText   = 10000
	MaxShort  = 300
	MaxURL    = 2000
	MaxMedia  = 20
	MaxTerms  = 20000
	MaxName   = 200
	MaxAuthor = 300
)

// AADAuthor binds a sealed author handle to its column.
const AADAuthor = "integrity_items.author"

// Item is one content item.
type Item struct {
	ID       int64     `json:"id"`
	Source   string    `json:"source"`    // platform, outlet, station or channel
	SourceID string    `json:"source_id"` // the item's id at its source (idempotency key with Source)
	Kind     string    `json:"kind"`
	Via      string    `json:"via"`
	Text     string    `json:"text"`
	Lang     string    `json:"lang"`
	Time     time.Time `json:"time"`
	URL      string    `json:"url,omitempty"`
	Engagement
	Place     string   `json:"place,omitempty"`
	PlaceFrom string   `json:"place_from,omitempty"` // "given" or "text"
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	// Admin1 and Country (ISO 3166 alpha-3) are the first-level
	// administrative area and country of the place, from the gazetteer;
	// PlaceConfidence (0–1) is how sure the gazetteer was that the name
	// meant that place (absent when the coordinates came with the item).
	Admin1 string `json:"admin1,omitempty"`
	// Admin1FR is Admin1's French name where it differs (« zone d’Abyei »
	// for "Abyei Area"); set for the API's readers, not stored.
	Admin1FR        string   `json:"admin1_fr,omitempty"`
	Country         string   `json:"country,omitempty"`
	PlaceConfidence *float64 `json:"place_confidence,omitempty"`
	Media           []string `json:"media,omitempty"`

	Score     float64    `json:"score"` // probability of the harmful class (the classifier's; Harmful says whether the item counts as harmful)
	Label     string     `json:"label"`
	Reasons   []Reason   `json:"reasons"`
	Matches   []LexMatch `json:"matches"`
	Narrative int64      `json:"narrative"`
	Created   time.Time  `json:"created"`
	// Labelled is an analyst's label of the item (harmful or normal; ""
	// when none), LabelClass the class of harm they gave (learn.go).
	Labelled   string `json:"labelled,omitempty"`
	LabelClass string `json:"label_class,omitempty"`

	// HasAuthor says an author handle is stored (sealed).
	HasAuthor bool `json:"has_author"`
	// Author is the clear handle: set on input, never read back from the
	// store (see Service.RevealAuthor).
	Author string `json:"-"`
	// AuthorSealed is the handle sealed with the keyring (AADAuthor).
	AuthorSealed []byte `json:"-"`
	// SenderKey tells a tipline message's sender apart from others without
	// naming them: the keyed hash of the number the phone network gave
	// (alerts.Alert.SenderMAC), "" when there is none (a web form's typed
	// number, an anonymous message, an item that is no tipline message, or
	// one filed before keys were stored). Stored, never shown; set on
	// input only.
	SenderKey string `json:"-"`
}

// Engagement counts of an item.
type Engagement struct {
	Shares    int64 `json:"shares"`
	Reactions int64 `json:"reactions"`
	Views     int64 `json:"views"`
	Replies   int64 `json:"replies"`
}

// Reach is the summed engagement.
func (e Engagement) Reach() int64 { return e.Shares + e.Reactions + e.Views + e.Replies }

// Harmful says whether the item counts as harmful: its analyst's label
// when it has one, else its classifier's score (see the func Harmful).
func (it *Item) Harmful() bool { return Harmful(it.Labelled, it.Score) }

// Key is the item's idempotency key.
func (it *Item) Key() string { return it.Source + "\x1f" + it.SourceID }

// Reason is a word that drove the classifier's score.
type Reason struct {
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
}

// LexMatch is one lexicon match of an item, explainable.
type LexMatch struct {
	Term    string `json:"term"`
	Matched string `json:"matched"`
	Meaning string `json:"meaning,omitempty"`
	// MeaningCode and MeaningPct: the term's meaning is Vigil's sentence of
	// this code (lexicon.GeneratedMeaning), shown in the reader's language.
	MeaningCode string `json:"meaning_code,omitempty"`
	MeaningPct  int    `json:"meaning_pct,omitempty"`
	Group       string `json:"group,omitempty"`
	Severity    int    `json:"severity"`
	Explain     string `json:"explain"`
}

// Narrative is a group of items telling the same claim or story.
type Narrative struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Status     string    `json:"status"`
	MergedInto int64     `json:"merged_into,omitempty"`
	SplitFrom  int64     `json:"split_from,omitempty"`
	Created    time.Time `json:"created"`
}

// NarrativeStats is a narrative with its figures.
type NarrativeStats struct {
	Narrative
	Sample    string     `json:"sample"` // the text of its first item
	Items     int        `json:"items"`
	Harmful   int        `json:"harmful"` // harmful items: labelled harmful by an analyst, or unlabelled and scored ≥ HarmfulAt (see Harmful)
	Reach     int64      `json:"reach"`
	First     time.Time  `json:"first"`
	Last      time.Time  `json:"last"`
	MaxScore  float64    `json:"max_score"`
	Languages []Count    `json:"languages"`
	Places    []Count    `json:"places"`
	Sources   []Count    `json:"sources"`
	Groups    []Count    `json:"groups"` // targeted groups from lexicon matches
	Spike     *SpikeFlag `json:"spike,omitempty"`
}

// Count is a value and how many items have it.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// Facet is one (narrative, value, count) row of a narrative facet.
type Facet struct {
	Narrative int64
	Value     string
	N         int
}

// DayCount is one key's item count on one day (YYYY-MM-DD).
type DayCount struct {
	Key string
	Day string
	N   int
}

// SpikeFlag is a recent day on which a series jumped above its baseline.
type SpikeFlag struct {
	By       string  `json:"by"` // narrative, term or place
	Key      string  `json:"key"`
	Day      string  `json:"day"`
	Count    int     `json:"count"`
	Expected float64 `json:"expected"`
	PValue   float64 `json:"p_value"`
}

// Term is one lexicon entry as stored.
type Term struct {
	ID       int64    `json:"id"`
	Term     string   `json:"term"`
	Variants []string `json:"variants"`
	Language string   `json:"language"`
	Meaning  string   `json:"meaning"`
	// MeaningCode ("" for a mission's own words) and its figure: see
	// lexicon.Entry; a page shows the code's sentence in its language.
	MeaningCode string `json:"meaning_code,omitempty"`
	MeaningPct  int    `json:"meaning_pct,omitempty"`
	Group       string `json:"group"`
	Severity    int    `json:"severity"`
	Source      string `json:"source"`
}

// ItemFilter selects items (newest first).
type ItemFilter struct {
	Narrative int64
	Harmful   bool // only harmful items (Item.Harmful: labelled harmful, or unlabelled and scored ≥ HarmfulAt)
	Query     string
	Limit     int
	Offset    int
}

// ItemText is what rebuilding the narrative grouper needs of a stored item.
type ItemText struct {
	ID        int64
	Key       string
	Text      string
	Narrative int64
}

// Store persists items, narratives and terms. Every change is audited in
// the same transaction.
type Store interface {
	// SaveItems inserts items that are new (by source and source id) and
	// updates the engagement counts of those already stored, creating the
	// given new narratives first, in one transaction audited as one entry
	// (action, detail; an empty detail: the counts). It sets each item's ID.
	SaveItems(ctx context.Context, actor, action, detail string, narratives []Narrative, items []*Item) error
	// Items lists items, newest first.
	Items(ctx context.Context, f ItemFilter) ([]Item, error)
	// CountMatching counts the items f selects, whatever its page.
	CountMatching(ctx context.Context, f ItemFilter) (int, error)
	// Item returns one item (apperr.ErrNotFound).
	Item(ctx context.Context, id int64) (Item, error)
	// ItemTexts calls fn for every item in arrival (id) order.
	ItemTexts(ctx context.Context, fn func(ItemText) error) error
	// RevealAuthor returns an item's sealed author handle, audited as a
	// sensitive read by actor.
	RevealAuthor(ctx context.Context, actor string, id int64) ([]byte, error)

	// Narratives returns the live (not merged) narratives with items, with
	// their counts; the facets are filled by NarrativeFacets.
	Narratives(ctx context.Context) ([]NarrativeStats, error)
	// NarrativeFacets counts items per narrative and value of a facet:
	// "lang", "place", "source" or "group".
	NarrativeFacets(ctx context.Context, facet string) ([]Facet, error)
	// Narrative returns one narrative (apperr.ErrNotFound).
	Narrative(ctx context.Context, id int64) (Narrative, error)
	// MaxNarrativeID is the largest narrative id stored (0 if none).
	MaxNarrativeID(ctx context.Context) (int64, error)
	// RenameNarrative sets a narrative's name, audited.
	RenameNarrative(ctx context.Context, actor string, id int64, name string) error
	// MergeNarratives moves every item of from into into and marks from
	// merged, audited. In the same transaction it carries from's check in
	// progress (CheckStore), as of at: to into, with its log and
	// answers, when into has no check (logged LogMergedIn on it), else
	// closing it (logged LogMerged); a closed check stays where it is. It
	// says which of these happened.
	MergeNarratives(ctx context.Context, actor string, into, from int64, at time.Time) (MergedCheck, error)
	// SplitNarrative creates narrative to (split from from) and moves the
	// given items of from into it, audited.
	SplitNarrative(ctx context.Context, actor string, from int64, to Narrative, items []int64) error
	// DailyCounts counts items per key and day; by is "narrative",
	// "term" or "place".
	DailyCounts(ctx context.Context, by string) ([]DayCount, error)

	// Terms lists the lexicon.
	Terms(ctx context.Context) ([]Term, error)
	// SaveTerm creates (ID 0) or updates a term, audited.
	SaveTerm(ctx context.Context, actor string, t *Term) error
	// DeleteTerm removes a term, audited.
	DeleteTerm(ctx context.Context, actor string, id int64) error
	// ImportTerms adds terms (replacing those with the same term and
	// language) in one transaction audited as one entry.
	ImportTerms(ctx context.Context, actor, detail string, ts []Term) error
}

func fieldErr(field, format string, args ...any) *apperr.Error {
	return apperr.Fieldf(apperr.KindInvalid, field, format, args...)
}

// checkText checks a text field's length in characters (Unicode code
// points: an accented letter is one, as the pages' counters and maxlength
// count it), UTF-8 and control characters.
func checkText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return fieldErr(field, "is required")
	}
	if !utf8.ValidString(s) {
		return fieldErr(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fieldErr(field, "is %d characters long; at most %d", n, max)
	}
	for _, r := range s {
		if r == 0 || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') {
			return fieldErr(field, "holds a control character (U+%04X)", r)
		}
	}
	return nil
}

// checkLine is checkText for one-line fields.
func checkLine(field, s string, max int, required bool) error {
	if err := checkText(field, s, max, required); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\r\n") {
		return fieldErr(field, "must be on one line")
	}
	return nil
}

// admin1French is a first-level area's French name (geotext.UnitName),
// "" where it is the gazetteer's English one: the API's admin1_fr fields
// are there only when they differ, as a cell's near_fr.
func admin1French(admin1 string) string {
	if fr := geotext.UnitName(admin1, "fr"); fr != admin1 {
		return fr
	}
	return ""
}

// withAreaNames is it with its first-level area's French name set.
func withAreaNames(it Item) Item {
	it.Admin1FR = admin1French(it.Admin1)
	return it
}
