package demo_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/integrity"
)

// frenchSpaceFault is what French typography as the app writes it does
// not allow (as web's TestFrenchShippedSpaces): a plain space before
// « : ; ! ? % » » or after « (the line may break there), U+202F before
// « : » or U+00A0 before « ; ! ? % » (the app writes U+00A0 before a
// colon, U+202F before the others and inside « »), or no space at all
// between a word and « : ; ! ? » (a time, a URL or a query is not
// followed by a space).
var frenchSpaceFault = regexp.MustCompile(`[ \t][:;!?%»]|«[ \t]|\x{202f}:|\x{a0}[;!?%]|[\p{L}\p{N}»)\]}’][:;!?]( |$)`)

// TestDemoFrenchTypography: the French the demo writes as the product —
// what the mission's staff would write in Vigil: the French narratives'
// names, the French claim and summary of its checks and the answer sent
// to the tipline's senders (integrity.AnswerText), the French half of
// the notes on the checks and of the incidents' titles and notes (each
// such text is "English / French", shown as written), the results
// framework's French texts and the demo notice — holds a word and the
// sign after it with the no-break space the app writes. What the demo
// writes as people outside the mission is left as they type it: the
// reporters' alerts (« ALERTE DEMO (…) : … », « Deuxième message :
// toujours tendu. »), the posts and tipline messages (« Partagez à tous
// les habitants ! », « Transféré : … »); so is an incident title that is
// a place name after « DEMO: ».
func TestDemoFrenchTypography(t *testing.T) {
	ctx := context.Background()
	db, keys, now := integrityDemo(t)
	texts := map[string]string{}              // where → French text
	french := func(s string) (string, bool) { // the French half of "English / French"
		_, fr, ok := strings.Cut(s, " / ")
		return fr, ok
	}

	s := integrity.NewService(db, keys)
	s.Now = func() time.Time { return now }
	ns, err := s.Narratives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	frNames := 0
	for _, n := range ns {
		c, err := s.GetCheck(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(n.Languages) > 0 && n.Languages[0].Value == "fr" && strings.HasPrefix(n.Name, "DEMO") {
			texts[fmt.Sprintf("narrative %d name", n.ID)] = n.Name
			frNames++
			if c.Claim != "" {
				texts[fmt.Sprintf("narrative %d claim", n.ID)] = c.Claim
			}
		}
		if c.SummaryFR != "" {
			texts[fmt.Sprintf("narrative %d summary_fr", n.ID)] = c.SummaryFR
		}
		if c.PublishedAt != nil { // the answer the tipline's senders get
			texts[fmt.Sprintf("narrative %d answer fr", n.ID)] = integrity.AnswerText(c, "fr", "http://localhost:8080")
		}
		for k, e := range c.Log {
			if fr, ok := french(e.Text); ok && (e.Kind == integrity.LogNote || e.Kind == integrity.LogEvidence) {
				texts[fmt.Sprintf("narrative %d check log %d", n.ID, k)] = fr
			}
		}
	}

	ins, err := db.Incidents(ctx, alerts.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	as := alerts.NewService(db, keys)
	for _, in := range ins {
		if fr, ok := french(in.Title); ok {
			texts[fmt.Sprintf("incident %d title", in.ID)] = fr
		}
		p, err := as.IncidentPage(ctx, auth.Admin, in.ID, nil, "fr")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Timeline {
			if fr, ok := french(e.Text); ok && e.Kind == "note" {
				texts[fmt.Sprintf("incident %d note %d", in.ID, e.ID)] = fr
			}
		}
	}

	if _, err := demo.LoadFramework(ctx, db, "demo"); err != nil { // serve --demo stores it
		t.Fatal(err)
	}
	f, _, err := db.Framework(ctx, demo.FrameworkMission)
	if err != nil {
		t.Fatal(err)
	}
	frenchFields(reflect.ValueOf(f), "framework", texts)

	st, err := (&demo.Status{Store: db}).Answer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	texts["status notice_fr"], _ = st["notice_fr"].(string)

	kinds := map[string]int{}
	for where := range texts {
		kinds[strings.FieldsFunc(where, func(r rune) bool { return r == ' ' || r == '.' || r == '[' })[0]]++
	}
	if frNames < 3 || kinds["narrative"] < 8 || kinds["incident"] < 10 || kinds["framework"] < 15 || texts["status notice_fr"] == "" {
		t.Errorf("French texts found: %v (%d French narrative names); want the narratives' names, claims, summaries and notes, the incidents' titles and notes, the framework and the notice", kinds, frNames)
	}
	var bad []string
	for where, s := range texts {
		if ms := frenchSpaceFault.FindAllString(s, -1); ms != nil {
			bad = append(bad, fmt.Sprintf("%s: %q in %q", where, ms, s))
		}
	}
	slices.Sort(bad)
	for _, b := range bad {
		t.Errorf("%s (write U+00A0 before :, U+202F before ; ! ? %% and inside « »)", b)
	}
}

// frenchFields adds the French string fields (named …FR) of v, walked
// through pointers, structs and slices, to texts.
func frenchFields(v reflect.Value, where string, texts map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			frenchFields(v.Elem(), where, texts)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			frenchFields(v.Index(i), fmt.Sprintf("%s[%d]", where, i), texts)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Type.Kind() == reflect.String && strings.HasSuffix(f.Name, "FR") {
				if s := v.Field(i).String(); s != "" {
					texts[where+"."+f.Name] = s
				}
				continue
			}
			frenchFields(v.Field(i), where+"."+f.Name, texts)
		}
	}
}

// TestDemoFrenchNoBareColon: the demo's French material the pages show
// (demo.FrenchTexts less the posts, which imitate what people type) never
// writes « DEMO: » without the space French puts before a colon — the
// lexicon's bilingual groups and meanings are marked « [DEMO] » as the
// posts are — and the fact-check's French summary says no rating and no
// « DEMO : » of its own: the page puts it after « Faux : ».
func TestDemoFrenchNoBareColon(t *testing.T) {
	for k, s := range demo.FrenchTexts() {
		if strings.HasSuffix(k, " post") {
			continue
		}
		if strings.Contains(s, "DEMO:") {
			t.Errorf("%s: %q writes « DEMO: »", k, s)
		}
	}
	if s := demo.FrenchTexts()["check summary_fr"]; strings.Contains(s, ":") || strings.Contains(s, "Faux") {
		t.Errorf("check summary_fr %q: shown after « Faux : », it says neither a colon nor the rating", s)
	}
}
