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

// spaceBeforePercent is a space before a % sign that is not the narrow
// no-break space (U+202F): a plain space, which lets the line break between
// a number and its %, or a no-break space (U+00A0), wider than French
// typography sets it.
var spaceBeforePercent = regexp.MustCompile(`[ \t\x{a0}]%`)

// numberSign is « n° » then a plain space: the number may be carried to
// the next line.
var numberSign = regexp.MustCompile(`n°[ \t]`)

// spaceBeforeSign is a space before « : », « ; », « ! » or « ? » that is
// not the one the app writes: a plain space (the line may break before the
// sign), U+202F before « : » (the app writes U+00A0 there, as French
// typography sets a colon) or U+00A0 before « ; ! ? » (the app writes
// the narrow U+202F there, as before « % » and inside « »).
var spaceBeforeSign = regexp.MustCompile(`[ \t][:;!?]|\x{202f}:|\x{a0}[;!?]`)

// queryParam is an address's query named in a text (« voir ?format=report »):
// its « ? » is no punctuation and keeps the plain space before it.
var queryParam = regexp.MustCompile(`\?\w+=`)

// noSpaceBeforeSign is a word, a number, a closing guillemet or bracket
// then « : », « ; », « ! » or « ? » and a space or the end: French puts a
// no-break space before the sign. A colon in a time (10:30), a URL
// (https://) or a query (?lang=fr) is not followed by a space.
var noSpaceBeforeSign = regexp.MustCompile(`[\p{L}\p{N}»)\]}’][:;!?]( |$)`)

// TestFrenchShippedSpaces: the French Vigil writes itself outside the
// dictionaries — a radio script (its labels, the default help, the
// fact-check it quotes), the demo's French names, claim, summary and
// lexicon meanings (demo.FrenchTexts, less the posts, which imitate what
// people type) and the demo fact-check's script — holds a word and the
// sign after it (: ; ! ? % ») or before it (« n°) with a no-break space,
// never a plain one; so does the demo's coverage scenario's French name
// (coverage.DemoScenarioName). In every French text the app shows
// (frenchTexts: the pages' dictionaries, the refusal catalogs, the
// performance reasons, the web form, the SMS replies, the login page, the
// fact-check page, what ODK Collect is told):
//   - « n° » holds its number with a no-break space (« Incident n° {id} »
//     did not);
//   - a % sign follows its number with a narrow no-break space (U+202F):
//     « 95 % », never a plain space nor U+00A0 (« l’intervalle à 90 % » of
//     the risk legend could break between 90 and %; TestFrenchColumnPercent
//     in web/ui checks only the column headings);
//   - « : » follows its word with U+00A0 and « ; », « ! », « ? » with
//     U+202F, as the demo's « DEMO : » and « Faux ; » and the brief's Colon
//     did: about a thousand texts of the dictionaries and catalogs had a
//     plain space there, so a line could begin with the sign.
//
// The files are walked once (this was TestFrenchPercentSpace too).
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
	all := frenchTexts(t)
	for where, s := range all {
		if numberSign.MatchString(s) {
			bad = append(bad, fmt.Sprintf("%s: « n° » in %q", where, s))
		}
		if spaceBeforePercent.MatchString(s) {
			bad = append(bad, fmt.Sprintf("%s: %q (write U+202F before %%)", where, s))
		}
		// An HTTP header in the text is written as HTTP says it.
		for _, m := range noSpaceBeforeSign.FindAllString(strings.ReplaceAll(s, "Authorization: ", ""), -1) {
			bad = append(bad, fmt.Sprintf("%s: no space in %q in %q", where, m, s))
		}
	}
	for where, s := range texts {
		all[where] = s
	}
	for where, s := range all {
		for _, m := range spaceBeforeSign.FindAllString(queryParam.ReplaceAllString(s, "="), -1) {
			bad = append(bad, fmt.Sprintf("%s: %q before %q in %q", where, []rune(m)[0], m[len(m)-1:], s))
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
