package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/radio"
	"github.com/vigil-project/vigil/surveys"
)

// straightApostrophe is a straight apostrophe between two letters (l'alerte,
// d'un, aujourd'hui): the app's French writes the typographic ’ (U+2019).
var straightApostrophe = regexp.MustCompile(`\pL'\pL`)

// TestFrenchApostrophes: no French the app shows writes a straight
// apostrophe between letters: the pages' French dictionaries
// (ui/i18n/fr.json, ui/i18n/*.fr.json), the French of every registered
// refusal catalog (apperr.Catalogs, which refusals.fr.json is written
// from), the performance reasons, the public web form's wording (its
// field labels and busy messages too), the SMS replies to reporters, the
// login page, the public fact-check page and what ODK Collect is told of a
// stored submission. Each failure names the text's source and key.
func TestFrenchApostrophes(t *testing.T) {
	texts := frenchTexts(t)
	var bad []string
	for where, s := range texts {
		if m := straightApostrophe.FindString(s); m != "" {
			bad = append(bad, where+": "+m+" in "+s)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s (write ’, U+2019)", b)
	}
}

// guillemetSpace is a guillemet without a no-break space inside it: « then
// anything but a narrow no-break space (U+202F) or a no-break space
// (U+00A0), or » after anything but those. A plain space lets the line
// break between the guillemet and its word.
var guillemetSpace = regexp.MustCompile(`«[^\x{202f}\x{a0}]|[^\x{202f}\x{a0}]»`)

// TestFrenchGuillemets: in all the French TestFrenchApostrophes reads (the
// pages' dictionaries, the refusal catalogs, the performance reasons, the
// web form, the SMS replies, the login page, the fact-check page, what ODK
// Collect is told), in a French radio script (the claim it quotes) and in
// the demo's French integrity material (demo.FrenchTexts: narratives'
// names and posts, lexicon meanings, the fact-check), a guillemet holds its
// words with a no-break space, narrow (U+202F) or not (U+00A0): « mot »,
// never a plain space, which lets the line break between « and the word.
// (The demo's posts and alerts are not read for apostrophes: they imitate
// what people type, with the keyboard's '.)
func TestFrenchGuillemets(t *testing.T) {
	texts := frenchTexts(t)
	for k, s := range demo.FrenchTexts() {
		texts["demo "+k] = s
	}
	script, err := (&radio.Service{Checks: oneCheck{integrity.Check{Claim: demo.FrenchTexts()["check claim"], Rating: "false", SummaryFR: demo.FrenchTexts()["check summary_fr"]}}}).FactCheck(context.Background(), "demo", "fr")
	if err != nil {
		t.Fatal(err)
	}
	texts["radio fact-check script fr"] = script.Text
	var bad []string
	for where, s := range texts {
		for _, m := range guillemetSpace.FindAllString(s, -1) {
			bad = append(bad, fmt.Sprintf("%s: %q in %s", where, m, s))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s (write « and » with U+202F inside)", b)
	}
}

// oneCheck is a radio.FactChecks holding one published fact-check.
type oneCheck struct{ c integrity.Check }

func (o oneCheck) FactCheck(context.Context, string) (integrity.Check, error) { return o.c, nil }

// frenchTexts is the French the app shows, by its source and key.
func frenchTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{} // source: key → French
	dicts, err := filepath.Glob("ui/i18n/*fr.json")
	if err != nil || len(dicts) < 2 {
		t.Fatalf("French dictionaries: %v %v", dicts, err)
	}
	for _, path := range dicts {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var d map[string]any
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			switch v := v.(type) {
			case string:
				texts[path+": "+prefix] = v
			case map[string]any:
				for k, w := range v {
					walk(prefix+"/"+k, w)
				}
			case []any:
				for i, w := range v {
					walk(prefix+"/"+strconv.Itoa(i), w)
				}
			}
		}
		walk("", d)
	}
	for k, fr := range apperr.Catalogs()["fr"] {
		texts["catalog "+k] = fr
	}
	for k, t := range performance.Reasons {
		texts["performance.Reasons "+k] = t[1]
	}
	// Texts of structs (string fields, and maps of strings: the web form's
	// field labels): the public web form, the replies to reporters by SMS,
	// the login page.
	for name, v := range map[string]any{"alerts.WebFormTexts": alerts.WebFormTexts["fr"], "alerts.ReporterTexts": alerts.ReporterTexts["fr"], "loginTexts": loginTexts["fr"]} {
		rv := reflect.ValueOf(v)
		for i := 0; i < rv.NumField(); i++ {
			where := name + " fr." + rv.Type().Field(i).Name
			switch f := rv.Field(i).Interface().(type) {
			case string:
				texts[where] = f
			case map[string]string:
				for k, s := range f {
					texts[where+"."+k] = s
				}
			}
		}
	}
	texts["alerts.WebFormBusy fr"] = alerts.WebFormBusy["fr"]
	// The public fact-check page.
	for k, s := range integrity.PageWords("fr") {
		texts["integrity fact-check page fr."+k] = s
	}
	for _, r := range []string{"false", "misleading", "true", "unverifiable"} {
		texts["integrity.RatingName fr."+r] = integrity.RatingName(r, "fr")
	}
	texts["integrity.DefaultMissionFR"] = integrity.DefaultMissionFR
	// What ODK Collect shows an enumerator once a submission is stored.
	for _, r := range []surveys.Result{{InstanceID: "uuid:1", Created: true}, {InstanceID: "uuid:1"}, {InstanceID: "uuid:1", Added: 1}, {InstanceID: "uuid:1", Added: 2}} {
		texts[fmt.Sprintf("surveys.Result%+v.Said fr", r)] = r.Said("fr")
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d French texts found", len(texts))
	}
	return texts
}
