package demo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestLoadFramework: the demo framework is valid, stored once, and its
// indicators are library indicators the demo data can compute.
func TestLoadFramework(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, want := range []bool{true, false} {
		ok, err := LoadFramework(ctx, db, "demo")
		if err != nil || ok != want {
			t.Fatalf("load %d: %v %v, want %v", i, ok, err, want)
		}
	}
	f, rev, err := db.Framework(ctx, FrameworkMission)
	if err != nil || rev != 1 || len(f.Objectives) != 3 || len(f.Compacts) != 1 {
		t.Fatalf("framework rev %d: %+v %v", rev, f, err)
	}
}

// TestFrameworkFrench: every indicator of the demo framework has a name of
// its own in French, as the performance page and the brief name it (the
// status answer's label_fr for a perception indicator, its form's words,
// else the library's French name), and a French reader sees no English
// name: the two perception indicators were both "Indicateur d'enquête de
// perception" (on the page and in the brief's framework table). The
// objective, result and compact titles: TestFrameworkTitlesFrench.
func TestFrameworkFrench(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	if _, err := LoadFramework(ctx, db, "demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSurvey(ctx, db, testutil.Keys(t, "k1"), "demo"); err != nil {
		t.Fatal(err)
	}
	f, _, err := db.Framework(ctx, FrameworkMission)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := performance.ParsePeriod("2018")
	st, err := performance.NewEngine(performance.Inputs{Settings: db}).Status(ctx, f, p)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, s := range st {
		d, ok := performance.Lookup(s.Indicator)
		if !ok {
			t.Fatalf("%s: no library indicator %q", s.ID, s.Indicator)
		}
		en, fr := d.Name, d.NameFR
		if s.Label != "" {
			en, fr = s.Label, s.LabelFR
		}
		if fr == "" || fr == en {
			t.Errorf("%s: French name %q (English %q)", s.ID, fr, en)
		}
		if row := (&performance.Brief{Lang: "fr"}).TargetRow(s); row.Name != s.ID+" — "+fr { // the brief's framework table
			t.Errorf("%s: the French brief names it %q, want %q", s.ID, row.Name, s.ID+" — "+fr)
		}
		if o, dup := seen[fr]; dup {
			t.Errorf("%s and %s are both named %q in French", o, s.ID, fr)
		}
		seen[fr] = s.ID
	}
	if len(st) != 7 || seen["Se sentent en sécurité ou très en sécurité dans leur zone"] != "safe" {
		t.Errorf("%d indicators, French names %v", len(st), seen)
	}
}

// TestFrameworkTitlesFrench: every objective, result and compact of the
// demo framework, as stored, has a French title (title_fr) that is not its
// English one, so that the French performance page and brief show no
// English title; and the French brief heads its rows with them.
func TestFrameworkTitlesFrench(t *testing.T) {
	ctx := context.Background()
	db, f := storedFramework(t)
	var all []bilingual
	for _, o := range f.Objectives {
		all = append(all, bilingual{"objective", o.ID, o.Title, o.TitleFR})
		for _, r := range o.Results {
			all = append(all, bilingual{"result", r.ID, r.Title, r.TitleFR})
		}
	}
	for _, c := range f.Compacts {
		all = append(all, bilingual{"compact", c.ID, c.Title, c.TitleFR})
	}
	checkBilingual(t, all)
	if len(all) != 8 {
		t.Errorf("%d titled entries, want 3 objectives, 4 results and a compact", len(all))
	}
	// The French brief's framework table heads poc's rows in French.
	p, _ := performance.ParsePeriod("2018")
	st, err := performance.NewEngine(performance.Inputs{Settings: db}).Status(ctx, f, p)
	if err != nil {
		t.Fatal(err)
	}
	rows := (&performance.Brief{Lang: "fr", Targets: st}).TargetRows()
	if len(rows) == 0 || rows[0].Objective != "poc — Protection des civils" || rows[0].Result != "poc-1 — Moins de civils tués" {
		t.Errorf("French brief's first row: %+v", rows)
	}
}

// TestFrameworkTextsFrench: the demo framework's other texts a reader
// sees, as stored, are in French too, so that the French performance page
// shows no English: every commitment's text (text_fr), every party named
// in words (name_fr; the mission, MINUSCA, is a name) and every
// indicator's owner (owner_fr) but JMAC, an acronym French texts use as
// it is; each French text differs from its English.
func TestFrameworkTextsFrench(t *testing.T) {
	_, f := storedFramework(t)
	var all []bilingual
	for _, o := range f.Objectives {
		for _, r := range o.Results {
			for _, fi := range r.Indicators {
				if fi.Owner != "JMAC" {
					all = append(all, bilingual{"owner of", fi.ID, fi.Owner, fi.OwnerFR})
				} else if fi.OwnerFR != "" {
					t.Errorf("%s: JMAC has a French owner %q", fi.ID, fi.OwnerFR)
				}
			}
		}
	}
	for _, c := range f.Compacts {
		for _, p := range c.Parties {
			if p.Kind != "mission" {
				all = append(all, bilingual{"party", p.ID, p.Name, p.NameFR})
			}
		}
		for _, k := range c.Commitments {
			all = append(all, bilingual{"commitment", k.ID, k.Text, k.TextFR})
		}
		for _, r := range c.Reviews {
			all = append(all, bilingual{"review", fmt.Sprint(r.Year), r.Summary, r.SummaryFR})
		}
	}
	checkBilingual(t, all)
	if len(all) != 10 {
		t.Errorf("%d texts, want 5 owners, 2 parties and 3 commitments", len(all))
	}
}

// storedFramework loads the demo framework into a fresh store and answers
// the store and the framework as stored.
func storedFramework(t *testing.T) (*storage.DB, *performance.Framework) {
	t.Helper()
	db := testutil.Store(t)
	if _, err := LoadFramework(context.Background(), db, "demo"); err != nil {
		t.Fatal(err)
	}
	f, _, err := db.Framework(context.Background(), FrameworkMission)
	if err != nil {
		t.Fatal(err)
	}
	return db, f
}

// bilingual is a text of the framework (what, id) in English and French.
type bilingual struct{ what, id, en, fr string }

// checkBilingual fails for each text whose English or French is empty or
// whose French is its English.
func checkBilingual(t *testing.T, all []bilingual) {
	t.Helper()
	for _, e := range all {
		if e.en == "" || e.fr == "" || e.fr == e.en {
			t.Errorf("%s %s: English %q, French %q", e.what, e.id, e.en, e.fr)
		}
	}
}

// TestFrameworkFrenchFill: a demo framework stored by a Vigil without the
// French texts (migrations 0055, 0056) gets the shipped demo's French at
// the next serve --demo, for each text still the demo's; a text a user
// changed in English keeps no French, a French a user wrote is kept, a
// record the user added gets none, and it runs once: a French the user
// removes afterwards stays removed. A fresh demo framework is left as it
// is (it has every French text already).
func TestFrameworkFrenchFill(t *testing.T) {
	ctx := context.Background()
	t.Run("fresh", func(t *testing.T) {
		db := testutil.Store(t)
		if _, err := LoadFramework(ctx, db, "demo"); err != nil {
			t.Fatal(err)
		}
		if n, err := FrameworkFrench(ctx, db, "demo"); n != 0 || err != nil {
			t.Fatalf("FrameworkFrench on a fresh demo framework: %d, %v; want 0 filled", n, err)
		}
		if _, rev, _ := db.Framework(ctx, FrameworkMission); rev != 1 {
			t.Errorf("revision %d after FrameworkFrench on a fresh framework, want 1 (not saved again)", rev)
		}
	})

	db := testutil.Store(t)
	shipped, err := performance.ReadFrameworkJSON(strings.NewReader(frameworkJSON), "demo framework")
	if err != nil {
		t.Fatal(err)
	}
	old, _ := performance.ReadFrameworkJSON(strings.NewReader(frameworkJSON), "demo framework")
	// As an older Vigil stored it: no French at all.
	for oi := range old.Objectives {
		o := &old.Objectives[oi]
		o.TitleFR = ""
		for ri := range o.Results {
			o.Results[ri].TitleFR = ""
			for ii := range o.Results[ri].Indicators {
				o.Results[ri].Indicators[ii].OwnerFR = ""
			}
		}
	}
	for ci := range old.Compacts {
		c := &old.Compacts[ci]
		c.TitleFR = ""
		for pi := range c.Parties {
			c.Parties[pi].NameFR = ""
		}
		for mi := range c.Commitments {
			c.Commitments[mi].TextFR = ""
		}
	}
	// What a user did since: an objective retitled, a party renamed, a
	// commitment given the user's own French, an indicator added with an
	// owner the demo translates elsewhere.
	old.Objectives[1].Title = "Trust in the mission"
	old.Compacts[0].Parties[0].Name = "Government of CAR"
	old.Compacts[0].Commitments[1].TextFR = "Former les bataillons déployés"
	added := old.Objectives[0].Results[1].Indicators[0]
	added.ID = "risk-user"
	old.Objectives[0].Results[1].Indicators = append(old.Objectives[0].Results[1].Indicators, added)
	if _, err := db.SaveFramework(ctx, "older vigil", old, 0); err != nil {
		t.Fatal(err)
	}

	n, err := FrameworkFrench(ctx, db, "serve --demo")
	// 18 French texts shipped (3 objectives, 4 results, the compact, 5
	// owners, 2 parties, 3 commitments), less the three the user's edits
	// keep from being filled.
	if err != nil || n != 15 {
		t.Fatalf("FrameworkFrench: %d filled, %v; want 15", n, err)
	}
	f, rev, err := db.Framework(ctx, FrameworkMission)
	if err != nil || rev != 2 {
		t.Fatalf("framework after filling: revision %d, %v; want 2", rev, err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"objective poc", f.Objectives[0].TitleFR, shipped.Objectives[0].TitleFR},
		{"objective trust (retitled)", f.Objectives[1].TitleFR, ""},
		{"objective wps", f.Objectives[2].TitleFR, shipped.Objectives[2].TitleFR},
		{"result trust-1", f.Objectives[1].Results[0].TitleFR, shipped.Objectives[1].Results[0].TitleFR},
		{"owner of risk-caf", f.Objectives[0].Results[1].Indicators[0].OwnerFR, "QG de la Force"},
		{"owner of cd-caf (JMAC)", f.Objectives[0].Results[0].Indicators[0].OwnerFR, ""},
		{"owner of risk-user (added)", f.Objectives[0].Results[1].Indicators[2].OwnerFR, ""},
		{"owner of women", f.Objectives[2].Results[0].Indicators[0].OwnerFR, "Appui à la mission"},
		{"compact", f.Compacts[0].TitleFR, shipped.Compacts[0].TitleFR},
		{"party gov (renamed)", f.Compacts[0].Parties[0].NameFR, ""},
		{"party faca", f.Compacts[0].Parties[1].NameFR, "Forces armées centrafricaines (FACA)"},
		{"commitment gov-1", f.Compacts[0].Commitments[0].TextFR, shipped.Compacts[0].Commitments[0].TextFR},
		{"commitment faca-1 (the user's French)", f.Compacts[0].Commitments[1].TextFR, "Former les bataillons déployés"},
		{"commitment mis-1", f.Compacts[0].Commitments[2].TextFR, shipped.Compacts[0].Commitments[2].TextFR},
	} {
		if c.got != c.want {
			t.Errorf("%s: French %q, want %q", c.what, c.got, c.want)
		}
	}
	if f.Objectives[1].Title != "Trust in the mission" || f.Compacts[0].Parties[0].Name != "Government of CAR" {
		t.Errorf("the user's English changed: %q, %q", f.Objectives[1].Title, f.Compacts[0].Parties[0].Name)
	}

	// Once only: a French the user removes is not put back.
	f.Objectives[0].TitleFR = ""
	if _, err := db.SaveFramework(ctx, "user", f, rev); err != nil {
		t.Fatal(err)
	}
	if n, err := FrameworkFrench(ctx, db, "serve --demo"); n != 0 || err != nil {
		t.Fatalf("second FrameworkFrench: %d, %v; want nothing done", n, err)
	}
	if f, _, _ := db.Framework(ctx, FrameworkMission); f.Objectives[0].TitleFR != "" {
		t.Errorf("the French title the user removed is back: %q", f.Objectives[0].TitleFR)
	}
}
