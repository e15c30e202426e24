package web

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/radio"
)

// plainSpaceFR is a plain space where French typography holds the words
// together with a no-break space (U+00A0, or the narrow U+202F): before
// « : », « ; », « ! », « ? », « % » and « », after « and after « n° ».
var plainSpaceFR = regexp.MustCompile(`[ \t][:;!?%»]|«[ \t]|n°[ \t]`)

// numberSign is « n° » then a plain space: the number may be carried to
// the next line.
var numberSign = regexp.MustCompile(`n°[ \t]`)

// TestFrenchShippedSpaces: the French Vigil writes itself outside the
// dictionaries — a radio script (its labels, the default help, the
// fact-check it quotes), the demo's French names, claim, summary and
// lexicon meanings (demo.FrenchTexts, less the posts, which imitate what
// people type) and the demo fact-check's script — holds a word and the
// sign after it (: ; ! ? % ») or before it (« n°) with a no-break space,
// never a plain one; so does the demo's coverage scenario's French name
// (coverage.DemoScenarioName). The radio script's « Date : » labels and
// the demo's « DEMO : » names had plain spaces, which TestFrenchGuillemets and
// TestFrenchPercentSpace do not look for. In every French text the app
// shows (frenchTexts), « n° » holds its number with a no-break space too
// (« Incident n° {id} » did not). The dictionaries' and catalogs' plain
// space before « : » and « ; » (the whole app's, about a thousand texts)
// is not checked here.
func TestFrenchShippedSpaces(t *testing.T) {
	texts := map[string]string{}
	for k, s := range demo.FrenchTexts() {
		if !strings.HasSuffix(k, " post") {
			texts["demo "+k] = s
		}
	}
	at := time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)
	fr := demo.FrenchTexts()
	s := &radio.Service{Mission: "MONUSCO",
		Checks:     oneCheck{integrity.Check{Claim: fr["check claim"], Rating: "false", SummaryFR: fr["check summary_fr"], PublishedAt: &at}},
		Broadcasts: oneBroadcast{contacts.Broadcast{ID: 7, Messages: map[string]string{"fr": "Réunion demain à 10\u00a0h."}, Fallback: "fr", ScheduledAt: at}},
	}
	check, err := s.FactCheck(context.Background(), "demo", "fr")
	if err != nil {
		t.Fatal(err)
	}
	bc, err := s.Broadcast(context.Background(), 7, "fr")
	if err != nil {
		t.Fatal(err)
	}
	texts["radio fact-check script fr"], texts["radio broadcast script fr"] = check.Text, bc.Text
	texts["radio.DefaultHelp fr"] = radio.DefaultHelp["fr"]
	mo, err := grid.ParseMonth("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	texts["coverage.DemoScenarioName fr"] = coverage.DemoScenarioName("à Bunia", mo, "fr")
	var bad []string
	for where, s := range texts {
		if ms := plainSpaceFR.FindAllString(s, -1); ms != nil {
			bad = append(bad, fmt.Sprintf("%s: %q in %q", where, ms, s))
		}
	}
	for where, s := range frenchTexts(t) {
		if numberSign.MatchString(s) {
			bad = append(bad, fmt.Sprintf("%s: « n° » in %q", where, s))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s (write a no-break space: U+00A0 before :, U+202F before ; ! ? %% and inside « »)", b)
	}
}

// oneBroadcast is a radio.Broadcasts holding one broadcast.
type oneBroadcast struct{ b contacts.Broadcast }

func (o oneBroadcast) Get(context.Context, int64) (contacts.Broadcast, error) { return o.b, nil }
