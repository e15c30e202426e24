package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
)

// straightApostrophe is a straight apostrophe between two letters (l'alerte,
// d'un, aujourd'hui): the app's French writes the typographic ’ (U+2019).
var straightApostrophe = regexp.MustCompile(`\pL'\pL`)

// TestFrenchApostrophes: no French the app shows writes a straight
// apostrophe between letters: the pages' French dictionaries
// (ui/i18n/fr.json, ui/i18n/*.fr.json), the French of every registered
// refusal catalog (apperr.Catalogs, which refusals.fr.json is written
// from), the performance reasons and the public web form's wording. Each
// failure names the text's source and key.
func TestFrenchApostrophes(t *testing.T) {
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
	wf := reflect.ValueOf(alerts.WebFormTexts["fr"])
	for i := 0; i < wf.NumField(); i++ {
		if s, ok := wf.Field(i).Interface().(string); ok {
			texts["alerts.WebFormTexts fr."+wf.Type().Field(i).Name] = s
		}
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d French texts found", len(texts))
	}
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
