package performance

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

func TestFrameworkCSVRoundTrip(t *testing.T) {
	b, err := os.ReadFile("testdata/framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadFrameworkCSV(bytes.NewReader(b), "framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Objectives) != 2 || len(f.Objectives[0].Results) != 2 {
		t.Fatalf("structure: %+v", f)
	}
	cd := f.Objectives[0].Results[0].Indicators[0]
	if cd.ID != "cd-cod" || len(cd.Targets) != 2 || cd.Targets[1].Value != 700 || *cd.Baseline != 1200 || cd.Area != "COD" || cd.Direction != LowerIsBetter {
		t.Errorf("cd-cod: %+v", cd)
	}
	fr, err := ReadFrameworkCSV(strings.NewReader(strings.Replace(string(b), "agreements,manual,id=local-agreements,CAF", "agreements,manual,id=local-agreements,République centrafricaine", 1)), "fr.csv")
	if err != nil || fr.Objectives[1].Results[0].Indicators[0].Area != "CAF" {
		t.Errorf("area by French name: %v %+v", err, fr)
	}
	var out bytes.Buffer
	if err := f.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(b) {
		t.Errorf("CSV round trip differs:\n%s\nwant\n%s", out.String(), b)
	}
	var js bytes.Buffer
	f.WriteJSON(&js)
	g, err := ReadFrameworkJSON(&js, "f.json")
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	g.WriteCSV(&out)
	if out.String() != string(b) {
		t.Errorf("JSON round trip differs")
	}
}

// frameworkTitles are f's titles, English and French, by "o:objective",
// "r:objective/result" and "c:compact".
func frameworkTitles(f *Framework) map[string][2]string {
	out := map[string][2]string{}
	for _, o := range f.Objectives {
		out["o:"+o.ID] = [2]string{o.Title, o.TitleFR}
		for _, r := range o.Results {
			out["r:"+o.ID+"/"+r.ID] = [2]string{r.Title, r.TitleFR}
		}
	}
	for _, c := range f.Compacts {
		out["c:"+c.ID] = [2]string{c.Title, c.TitleFR}
	}
	return out
}

// TestFrameworkTitlesFR: an objective's, a result's and a compact's
// French title (title_fr; the CSV's objective_fr and result_fr columns)
// is read, written and read back the same in JSON and CSV; without one
// (a CSV of the layout before French titles, a JSON without title_fr) it
// is empty, and the JSON written has no title_fr.
func TestFrameworkTitlesFR(t *testing.T) {
	b, err := os.ReadFile("testdata/framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The layout before French titles: the same file without its two French columns.
	old := withoutColumns(b, 5, 2) // result_fr, objective_fr
	const js = `{"mission":"MINUSCA","objectives":[{"id":"poc","title":"Protection of civilians","title_fr":"Protection des civils","results":[
	 {"id":"poc-1","title":"Fewer civilians killed","title_fr":"Moins de civils tués","indicators":[{"id":"cd","indicator":"civilian-deaths","area":"CAF","targets":[]}]},
	 {"id":"poc-2","title":"Risk within reach","indicators":[]}]}],
	 "compacts":[{"id":"k","title":"Compact 2018","title_fr":"Pacte 2018","parties":[{"id":"gov","name":"Government","kind":"host-government"}],"commitments":[]}]}`
	noFR := strings.NewReplacer(`,"title_fr":"Protection des civils"`, "", `,"title_fr":"Moins de civils tués"`, "", `,"title_fr":"Pacte 2018"`, "").Replace(js)
	for _, c := range []struct {
		name, format, in string
		want             map[string][2]string
	}{
		{"CSV with objective_fr and result_fr", "csv", string(b), map[string][2]string{
			"o:poc": {"Protection of civilians", "Protection des civils"}, "r:poc/poc-1": {"Fewer civilians killed", "Moins de civils tués"},
			"r:poc/poc-2": {"Risk within reach", ""}, "o:pol": {"Political process", ""}, "r:pol/pol-1": {"Local agreements", ""}}},
		{"CSV without the French columns", "csv", old, map[string][2]string{
			"o:poc": {"Protection of civilians", ""}, "r:poc/poc-1": {"Fewer civilians killed", ""},
			"r:poc/poc-2": {"Risk within reach", ""}, "o:pol": {"Political process", ""}, "r:pol/pol-1": {"Local agreements", ""}}},
		{"JSON with title_fr", "json", js, map[string][2]string{
			"o:poc": {"Protection of civilians", "Protection des civils"}, "r:poc/poc-1": {"Fewer civilians killed", "Moins de civils tués"},
			"r:poc/poc-2": {"Risk within reach", ""}, "c:k": {"Compact 2018", "Pacte 2018"}}},
		{"JSON without title_fr", "json", noFR, map[string][2]string{
			"o:poc": {"Protection of civilians", ""}, "r:poc/poc-1": {"Fewer civilians killed", ""},
			"r:poc/poc-2": {"Risk within reach", ""}, "c:k": {"Compact 2018", ""}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := readFramework(t, c.format, c.in)
			if got := frameworkTitles(f); !reflect.DeepEqual(got, c.want) {
				t.Errorf("read titles %v\nwant %v", got, c.want)
			}
			// JSON: written and read back the same; title_fr only where there is one.
			j := jsonRoundTrip(t, f)
			hasFR := false
			for _, x := range c.want {
				hasFR = hasFR || x[1] != ""
			}
			if strings.Contains(j, `"title_fr"`) != hasFR {
				t.Errorf("written JSON has title_fr: %v, want %v\n%s", !hasFR, hasFR, j)
			}
			// CSV: the objectives' and results' titles (compacts are only in JSON).
			var w bytes.Buffer
			if err := f.WriteCSV(&w); err != nil {
				t.Fatal(err)
			}
			if head, _, _ := strings.Cut(w.String(), "\n"); !strings.HasPrefix(head, "objective_id,objective,objective_fr,result_id,result,result_fr,") {
				t.Errorf("CSV header %q", head)
			}
			h, err := ReadFrameworkCSV(&w, "f.csv")
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if c.format == "json" {
				want = maps.Clone(c.want)
				delete(want, "c:k")
				delete(want, "r:poc/poc-2") // a result without indicators has no CSV row
			}
			if got := frameworkTitles(h); !reflect.DeepEqual(got, want) {
				t.Errorf("CSV round trip titles %v\nwant %v", got, want)
			}
		})
	}
}

func TestFrameworkCSVErrors(t *testing.T) {
	head := "objective_id,objective,result_id,result,indicator_id,indicator,params,area,owner,unit,direction,baseline,baseline_period,target_period,target,disaggregations,commitment\n"
	row := func(s string) string { return head + "poc,P,poc-1,R," + s + "\n" }
	cases := []struct{ in, want string }{
		{row("x,civilian-killings,,COD,JMAC,deaths,lower,,,2018,5,,"), `f.csv:2: column indicator: unknown indicator "civilian-killings"`},
		{row("x,civilian-deaths,,COD,JMAC,percent,lower,,,2018,5,,"), `f.csv:2: column unit: target in the wrong unit: civilian-deaths is measured in deaths, not "percent"`},
		{row("x,risk-covered,,COD,HQ,share,higher,,,2018,45,,"), `f.csv:2: column target: 45 is not a share between 0 and 1`},
		{row("x,civilian-deaths,,COD,JMAC,deaths,lower,,,2018-13,5,,"), `f.csv:2: column target_period: period "2018-13": month "13" outside 01–12`},
		{row("x,civilian-deaths,,COD,JMAC,deaths,lower,,,2018,5,sex,"), `f.csv:2: column disaggregations: indicator civilian-deaths cannot be disaggregated by "sex"`},
		{row("x,civilian-deaths,type=9,COD,JMAC,deaths,lower,,,2018,5,,"), `f.csv:2: column params: type: "9": want one of 1, 2, 3, all`},
		{row("x,civilian-deaths,,Narnia,JMAC,deaths,lower,,,2018,5,,"), `f.csv:2: column area: country "Narnia": unknown`},
		{row("x,civilian-deaths,,COD,JMAC,deaths,sideways,,,2018,5,,"), `f.csv:2: column direction: direction "sideways"`},
		{row("x,civilian-deaths,,COD,JMAC,deaths,lower,,,2018,many,,"), `f.csv:2: column target: "many" is not a number`},
		{row("x,civilian-deaths,,COD,JMAC,deaths,lower,,,2018,5,,") + "poc,P,poc-1,R,x,civilian-deaths,,COD,JMAC,deaths,lower,,,2018,6,,\n", `f.csv:3: column target_period: 2018: a second target for indicator x`},
		{"objective_id,result_id,indicator_id\n", `f.csv:1: column indicator: missing column`},
		{head, `f.csv:1: column (rows): no indicators`},
	}
	for _, c := range cases {
		_, err := ReadFrameworkCSV(strings.NewReader(c.in), "f.csv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("got %v\nwant %s…", err, c.want)
		}
	}
}

// TestFrameworkRepeatedIDs: a blank or repeated compact, objective or
// result id is refused with its path.
func TestFrameworkRepeatedIDs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"objectives":[{"id":"o","results":[{"id":"r"},{"id":"r"}]}]}`, `f.json: objectives[0].results[1].id: missing or repeated result id "r"`},
		{`{"objectives":[{"id":"o"},{"id":" "}]}`, `f.json: objectives[1].id: missing or repeated objective id " "`},
		{`{"objectives":[{"id":"o"},{"id":"o"}]}`, `f.json: objectives[1].id: missing or repeated objective id "o"`},
		{`{"compacts":[{"id":"c"},{"id":"c"}]}`, `f.json: compacts[1].id: missing or repeated compact id "c"`},
		{`{"compacts":[{"id":""}]}`, `f.json: compacts[0].id: missing or repeated compact id ""`},
	} {
		_, err := ReadFrameworkJSON(strings.NewReader(c.in), "f.json")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.in, err, c.want)
		}
	}
}

// TestFrameworkErrorMessages: a framework's refusals carry their whole
// text (where and what) as a catalog message, the apperr Key and Args the
// API answers: its English is the error's text, its French is French.
func TestFrameworkErrorMessages(t *testing.T) {
	head := "objective_id,result_id,indicator_id,indicator,unit,target_period,target\n"
	for _, c := range []struct{ in, file, fr string }{
		{head + "o,r,x,civilian-killings,,,\n", "f.csv", "f.csv, ligne 2\u00a0: colonne indicator\u00a0: indicateur inconnu «\u202fcivilian-killings\u202f» (vigil indicator list montre la bibliothèque\u202f; manual pour un indicateur saisi à la main)"},
		{head + "o,r,x,civilian-deaths,kg,,\n", "f.csv", "f.csv, ligne 2\u00a0: colonne unit\u00a0: cible dans la mauvaise unité\u00a0: civilian-deaths se mesure en décès, pas en «\u202fkg\u202f»"},
		{head + "o,r,x,risk-covered,,2018,45\n", "f.csv", "f.csv, ligne 2\u00a0: colonne target\u00a0: 45 n’est pas une part entre 0 et 1 (un pourcentage\u202f? écrivez 0.45)\u00a0: cible dans la mauvaise unité"},
		{"objective_id\n", "f.csv", "f.csv, ligne 1\u00a0: colonne result_id\u00a0: colonne manquante"},
		{`{"objectives":[{"id":"o"},{"id":"o"}]}`, "f.json", "f.json\u00a0: objectives[1].id\u00a0: identifiant d’objectif manquant ou répété «\u202fo\u202f»"},
	} {
		read := ReadFrameworkCSV
		if strings.HasSuffix(c.file, ".json") {
			read = ReadFrameworkJSON
		}
		_, err := read(strings.NewReader(c.in), c.file)
		ae := apperr.As(err)
		if ae == nil || ae.Key == "" {
			t.Errorf("%s: %v has no message key", c.in, err)
			continue
		}
		m := Msg{Code: ae.Key, Args: ae.Args}
		if m.Text("en") != err.Error() || m.Text("fr") != c.fr {
			t.Errorf("%s:\nen %q (error %q)\nfr %q\nwant %q", c.in, m.Text("en"), err, m.Text("fr"), c.fr)
		}
	}
}

func TestFrameworkJSONCompacts(t *testing.T) {
	good := `{"mission":"MONUSCO","objectives":[{"id":"poc","title":"POC","results":[{"id":"r1","title":"R","indicators":[
	 {"id":"cd","indicator":"civilian-deaths","area":"COD","owner":"JMAC","targets":[{"period":"2018","value":300}],"commitment":"c1"}]}]}],
	 "compacts":[{"id":"k","title":"Compact","parties":[{"id":"gov","name":"Government","kind":"host-government"},{"id":"m","name":"MONUSCO","kind":"mission"}],
	 "commitments":[{"id":"c1","party":"gov","text":"Deploy police to Djugu","deadline":"2018-12-31","indicators":["cd"],"evidence":["https://example.org/e"],
	 "history":[{"date":"2018-03-01","status":"in-progress","by":"JMAC"}]}]}]}`
	f, err := ReadFrameworkJSON(strings.NewReader(good), "f.json")
	if err != nil {
		t.Fatal(err)
	}
	if f.Objectives[0].Results[0].Indicators[0].Unit != "deaths" || f.Objectives[0].Results[0].Indicators[0].Direction != LowerIsBetter {
		t.Errorf("defaults not filled: %+v", f.Objectives[0].Results[0].Indicators[0])
	}
	for _, c := range []struct{ old, new, want string }{
		{`"party":"gov"`, `"party":"un"`, `f.json: compacts[0].commitments[0].party: "un" is not a party`},
		{`"deadline":"2018-12-31"`, `"deadline":"end of year"`, `f.json: compacts[0].commitments[0].deadline:`},
		{`"status":"in-progress"`, `"status":"ongoing"`, `f.json: compacts[0].commitments[0].history[0].status:`},
		{`"commitment":"c1"`, `"commitment":"c9"`, `f.json: objectives[0].results[0].indicators[0].commitment: no compact has a commitment "c9"`},
		{`"value":300`, `"value":300.5`, `f.json: objectives[0].results[0].indicators[0].targets: 300.5 is not a whole number`},
		{`"indicators":["cd"]`, `"indicators":["zz"]`, `f.json: compacts[0].commitments[0].indicators: no framework indicator "zz"`},
	} {
		_, err := ReadFrameworkJSON(strings.NewReader(strings.Replace(good, c.old, c.new, 1)), "f.json")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s…", c.new, err, c.want)
		}
	}
}

// TestFrameworkStatus: the framework's status on hand-made data — 7
// civilian deaths in Mali in 2019 (interval [PoissonLo(6)=2.2,
// PoissonHi(11)=19.68]) against a target of 25 is on track, against 10
// cannot tell yet.
func TestFrameworkStatus(t *testing.T) {
	f := &Framework{Objectives: []Objective{{ID: "poc", Results: []Result{{ID: "r", Indicators: []FIndicator{
		{ID: "a", Indicator: "civilian-deaths", Area: "MLI", Targets: []Target{{"2019", 25}}},
		{ID: "b", Indicator: "civilian-deaths", Area: "MLI", Targets: []Target{{"2019", 10}}},
		{ID: "c", Indicator: "civilian-deaths", Area: "MLI"},
	}}}}}}
	if err := f.Validate("f"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(Inputs{EventList: []events.Event{ev("1", cellA, 2019, 3, events.OneSided, 3, 2, 5), ev("2", cellB, 2019, 2, events.OneSided, 4, 4, 6), ev("3", cellA, 2018, 1, events.StateBased, 1, 1, 1), ev("4", cellA, 2019, 12, events.StateBased, 1, 1, 1)}, Cells: mali()})
	st, err := e.Status(context.Background(), f, mustPeriod(t, "2019"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{OnTrack, CannotTell, CannotTell}
	for i, s := range st {
		if s.Status.Status != want[i] {
			t.Errorf("%s: %+v, want %s", s.ID, s.Status, want[i])
		}
	}
}

func FuzzReadFrameworkCSV(f *testing.F) {
	b, _ := os.ReadFile("testdata/framework.csv")
	seeds := []string{
		string(b),
		"objective_id,result_id,indicator_id,indicator\n#a,#b,#c,#d\no,r,i,civilian-deaths\n",
		"objective_id,result_id,indicator_id,indicator,target_period,target\no,r,i,risk-covered,2019-Q9,2\n",
	}
	read := func(s string) (*Framework, error) { return ReadFrameworkCSV(strings.NewReader(s), "f.csv") }
	fuzzParse(f, seeds, read, inFile("f.csv:"), func(t *testing.T, s string, fw *Framework) {
		// What was accepted writes and reads back the same.
		var a, b bytes.Buffer
		if err := fw.WriteCSV(&a); err != nil {
			t.Fatal(err)
		}
		g, err := ReadFrameworkCSV(bytes.NewReader(a.Bytes()), "f.csv")
		if err != nil {
			t.Fatalf("re-read of written CSV: %v\n%s", err, a.String())
		}
		g.WriteCSV(&b)
		if a.String() != b.String() {
			t.Fatalf("not stable:\n%s\n%s", a.String(), b.String())
		}
	})
}

// FuzzReadFrameworkJSON: any JSON either fails with an error naming the
// file, or is a framework that validates again after a write and re-read.
func FuzzReadFrameworkJSON(f *testing.F) {
	b, _ := os.ReadFile("testdata/framework.csv")
	fw, err := ReadFrameworkCSV(bytes.NewReader(b), "framework.csv")
	if err != nil {
		f.Fatal(err)
	}
	var js bytes.Buffer
	fw.WriteJSON(&js)
	seeds := []string{
		js.String(),
		`{"mission":"M","objectives":[{"id":"o","results":[{"id":"r","indicators":[{"id":"i","indicator":"deaths","area":"Mali","targets":[{"period":"2019","value":3}]}]}]}],"compacts":[{"id":"c","parties":[{"id":"g","kind":"host-government"}],"commitments":[{"id":"k","party":"g","deadline":"2019-12-31","indicators":["i"],"history":[{"date":"2019-01-01","status":"met"}]}]}]}`,
		`{"objectives":[{"id":"o","results":[{"id":"r"},{"id":"r"}]}]}`,
		`{"objectives":[{"id":"o","results":[{"id":"r","indicators":[{"id":"i","indicator":"risk-covered","targets":[{"period":"2019","value":45}]}]}]}]}`,
	}
	read := func(s string) (*Framework, error) { return ReadFrameworkJSON(strings.NewReader(s), "f.json") }
	fuzzParse(f, seeds, read, inFile("f.json:"), func(t *testing.T, s string, fw *Framework) {
		var a bytes.Buffer
		if err := fw.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFrameworkJSON(bytes.NewReader(a.Bytes()), "f.json"); err != nil {
			t.Fatalf("re-read of written JSON: %v\n%s", err, a.String())
		}
	})
}

// frameworkTexts are f's other texts a reader sees, English and French:
// indicators' owners ("i:id"), parties' names ("p:compact/party"),
// commitments' texts ("k:id") and reviews' summaries ("v:compact/year").
func frameworkTexts(f *Framework) map[string][2]string {
	out := map[string][2]string{}
	for _, o := range f.Objectives {
		for _, r := range o.Results {
			for _, fi := range r.Indicators {
				out["i:"+fi.ID] = [2]string{fi.Owner, fi.OwnerFR}
			}
		}
	}
	for _, c := range f.Compacts {
		for _, p := range c.Parties {
			out["p:"+c.ID+"/"+p.ID] = [2]string{p.Name, p.NameFR}
		}
		for _, k := range c.Commitments {
			out["k:"+k.ID] = [2]string{k.Text, k.TextFR}
		}
		for _, v := range c.Reviews {
			out[fmt.Sprintf("v:%s/%d", c.ID, v.Year)] = [2]string{v.Summary, v.SummaryFR}
		}
	}
	return out
}

// TestFrameworkTextsFR: an indicator's owner in French (owner_fr; the
// CSV's owner_fr column), a party's name (name_fr), a commitment's text
// (text_fr) and a review's summary (summary_fr) in French are read,
// written and read back the same, in JSON and, for the owner, in CSV;
// without them (a CSV of the layout before owner_fr, a JSON without the
// French) they are empty and the JSON written has none of the keys.
func TestFrameworkTextsFR(t *testing.T) {
	b, err := os.ReadFile("testdata/framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The layout before owner_fr: the same file without that column (the 12th).
	old := withoutColumns(b, 11)
	const js = `{"mission":"MINUSCA","objectives":[{"id":"poc","title":"Protection of civilians","results":[
	 {"id":"poc-1","title":"Fewer civilians killed","indicators":[
	  {"id":"cd","indicator":"civilian-deaths","area":"CAF","owner":"JMAC","targets":[]},
	  {"id":"rc","indicator":"risk-covered","area":"CAF","owner":"Force HQ","owner_fr":"QG de la Force","targets":[]}]}]}],
	 "compacts":[{"id":"k","title":"Compact 2018","parties":[
	  {"id":"gov","name":"Government of the Central African Republic","name_fr":"Gouvernement de la République centrafricaine","kind":"host-government"},
	  {"id":"mis","name":"MINUSCA","kind":"mission"}],
	  "commitments":[{"id":"gov-1","party":"gov","text":"Redeploy prefects","text_fr":"Redéployer les préfets","deadline":"2018-06-30"},
	   {"id":"mis-1","party":"mis","text":"Patrol the road","deadline":"2018-12-31"}],
	  "reviews":[{"year":2017,"date":"2017-12-15","summary":"First review"},{"year":2018,"date":"2018-12-14","summary":"Partly met","summary_fr":"Partiellement tenu"}]}]}`
	noFR := strings.NewReplacer(`,"owner_fr":"QG de la Force"`, "", `,"name_fr":"Gouvernement de la République centrafricaine"`, "",
		`,"text_fr":"Redéployer les préfets"`, "", `,"summary_fr":"Partiellement tenu"`, "").Replace(js)
	jsWant := map[string][2]string{"i:cd": {"JMAC", ""}, "i:rc": {"Force HQ", "QG de la Force"},
		"p:k/gov": {"Government of the Central African Republic", "Gouvernement de la République centrafricaine"}, "p:k/mis": {"MINUSCA", ""},
		"k:gov-1": {"Redeploy prefects", "Redéployer les préfets"}, "k:mis-1": {"Patrol the road", ""},
		"v:k/2017": {"First review", ""}, "v:k/2018": {"Partly met", "Partiellement tenu"}}
	jsNoFR := map[string][2]string{}
	for k, v := range jsWant {
		jsNoFR[k] = [2]string{v[0], ""}
	}
	for _, c := range []struct {
		name, format, in string
		want             map[string][2]string
	}{
		{"CSV with owner_fr", "csv", string(b), map[string][2]string{"i:cd-cod": {"JMAC", ""}, "i:rc-all": {"Force HQ", "QG de la Force"}, "i:agreements": {"Civil Affairs", "Affaires civiles"}}},
		{"CSV without owner_fr", "csv", old, map[string][2]string{"i:cd-cod": {"JMAC", ""}, "i:rc-all": {"Force HQ", ""}, "i:agreements": {"Civil Affairs", ""}}},
		{"JSON with the French", "json", js, jsWant},
		{"JSON without the French", "json", noFR, jsNoFR},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := readFramework(t, c.format, c.in)
			if got := frameworkTexts(f); !reflect.DeepEqual(got, c.want) {
				t.Errorf("read texts %v\nwant %v", got, c.want)
			}
			j := jsonRoundTrip(t, f)
			for _, key := range []string{"owner_fr", "name_fr", "text_fr", "summary_fr"} {
				has := false
				for k, x := range c.want {
					has = has || x[1] != "" && strings.HasPrefix(k, map[string]string{"owner_fr": "i:", "name_fr": "p:", "text_fr": "k:", "summary_fr": "v:"}[key])
				}
				if strings.Contains(j, `"`+key+`"`) != has {
					t.Errorf("written JSON has %s: %v, want %v", key, !has, has)
				}
			}
			// CSV: the owners (compacts are only in JSON).
			var w bytes.Buffer
			if err := f.WriteCSV(&w); err != nil {
				t.Fatal(err)
			}
			if head, _, _ := strings.Cut(w.String(), "\n"); !strings.Contains(head, ",owner,owner_fr,unit,") {
				t.Errorf("CSV header %q", head)
			}
			h, err := ReadFrameworkCSV(&w, "f.csv")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][2]string{}
			for k, v := range c.want {
				if strings.HasPrefix(k, "i:") {
					want[k] = v
				}
			}
			if got := frameworkTexts(h); !reflect.DeepEqual(got, want) {
				t.Errorf("CSV round trip %v\nwant %v", got, want)
			}
		})
	}
}

// TestFrameworkTextsFRErrors: a French text without its English one is
// refused where it is (the CSV's line and column, the JSON path), and so
// is a later row of an indicator giving another owner or French owner
// than its first (naming that row's line and the first's), in English and
// in French.
func TestFrameworkTextsFRErrors(t *testing.T) {
	head := "objective_id,result_id,indicator_id,indicator,area,owner,owner_fr,target_period,target\n"
	const hxl = "#objective+id,#output+id,#indicator+id,#indicator+code,#country+code,#org+owner,#org+owner+i_fr,#date+target,#indicator+target\n"
	compact := func(s string) string {
		return `{"objectives":[],"compacts":[{"id":"k","parties":[{"id":"gov","name":"Government","kind":"host-government"}],` + s + `}]}`
	}
	for _, c := range []struct{ file, in, en, fr string }{
		{"f.csv", head + "o,r,x,civilian-deaths,CAF,,Affaires civiles,2018,5\n",
			`f.csv:2: column owner_fr: a French text needs its English one (owner is empty)`,
			"f.csv, ligne 2\u00a0: colonne owner_fr\u00a0: un texte en français demande son texte en anglais (owner est vide)"},
		{"f.csv", head + hxl + "o,r,x,civilian-deaths,CAF,Civil Affairs,Affaires civiles,2018,5\no,r,y,events,CAF,JMAC,,2018,7\no,r,x,civilian-deaths,CAF,Civil Affairs,Affaires politiques,2019,4\n",
			`f.csv:5: column owner_fr: "Affaires politiques": indicator x has "Affaires civiles" on line 3`,
			"f.csv, ligne 5\u00a0: colonne owner_fr\u00a0: «\u202fAffaires politiques\u202f»\u00a0: l’indicateur x a «\u202fAffaires civiles\u202f» à la ligne 3"},
		{"f.csv", head + "o,r,x,civilian-deaths,CAF,Civil Affairs,,2018,5\no,r,x,civilian-deaths,CAF,Political Affairs,,2019,4\n",
			`f.csv:3: column owner: "Political Affairs": indicator x has "Civil Affairs" on line 2`, ""},
		{"f.json", `{"objectives":[{"id":"o","results":[{"id":"r","indicators":[{"id":"x","indicator":"civilian-deaths","area":"CAF","owner_fr":"QG de la Force"}]}]}]}`,
			`f.json: objectives[0].results[0].indicators[0].owner_fr: a French text needs its English one (owner is empty)`, ""},
		{"f.json", `{"objectives":[],"compacts":[{"id":"k","parties":[{"id":"gov","name_fr":"Gouvernement","kind":"host-government"}],"commitments":[]}]}`,
			`f.json: compacts[0].parties[0].name_fr: a French text needs its English one (name is empty)`,
			"f.json\u00a0: compacts[0].parties[0].name_fr\u00a0: un texte en français demande son texte en anglais (name est vide)"},
		{"f.json", compact(`"commitments":[{"id":"c","party":"gov","text":"","text_fr":"Redéployer","deadline":"2018-06-30"}]`),
			`f.json: compacts[0].commitments[0].text_fr: a French text needs its English one (text is empty)`, ""},
		{"f.json", compact(`"commitments":[],"reviews":[{"year":2018,"date":"2018-12-01","summary":"Met"},{"year":2019,"date":"2019-12-01","summary_fr":"Tenu"}]`),
			`f.json: compacts[0].reviews[1].summary_fr: a French text needs its English one (summary is empty)`, ""},
	} {
		read := ReadFrameworkCSV
		if c.file == "f.json" {
			read = ReadFrameworkJSON
		}
		_, err := read(strings.NewReader(c.in), c.file)
		if err == nil || err.Error() != c.en {
			t.Errorf("%s:\ngot  %v\nwant %s", c.in, err, c.en)
			continue
		}
		if c.fr == "" {
			continue
		}
		ae := apperr.As(err)
		if ae == nil || ae.Key == "" {
			t.Errorf("%s: no catalog message: %v", c.en, err)
			continue
		}
		if got := (Msg{Code: ae.Key, Args: ae.Args}).Text("fr"); got != c.fr {
			t.Errorf("French:\ngot  %s\nwant %s", got, c.fr)
		}
	}
}

// withoutColumns is CSV file b without its columns cols (0-based, from the
// last to the first), as a file of an older layout: a line with too few
// cells (the file's last, empty) is kept as it is. The test files quote
// no comma.
func withoutColumns(b []byte, cols ...int) string {
	var out strings.Builder
	for _, line := range strings.SplitAfter(string(b), "\n") {
		cells := strings.Split(line, ",")
		if len(cells) > cols[0] {
			for _, c := range cols {
				cells = slices.Delete(cells, c, c+1)
			}
		}
		out.WriteString(strings.Join(cells, ","))
	}
	return out.String()
}

// readFramework reads in, a framework file of format (csv or json); the
// test stops on an error.
func readFramework(t *testing.T, format, in string) *Framework {
	t.Helper()
	read := ReadFrameworkCSV
	if format == "json" {
		read = ReadFrameworkJSON
	}
	f, err := read(strings.NewReader(in), "f."+format)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// jsonRoundTrip writes f as JSON, fails unless it reads back the same, and
// answers what was written.
func jsonRoundTrip(t *testing.T, f *Framework) string {
	t.Helper()
	var j bytes.Buffer
	if err := f.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	written := j.String()
	g, err := ReadFrameworkJSON(&j, "f.json")
	if err != nil || !reflect.DeepEqual(g, f) {
		t.Errorf("JSON round trip: %v\n got %+v\nwant %+v", err, g, f)
	}
	return written
}

// TestTargetFor: a period inside a longer target's period is judged
// against the shortest such target: a share's (or another level's) as it
// is, a count's shared evenly over its months; a target's own period takes
// it as it is with no note; a longer period, a period outside every
// target's and a manual indicator's month have none.
func TestTargetFor(t *testing.T) {
	deaths := FIndicator{ID: "d", Indicator: "civilian-deaths", Targets: []Target{{"2018", 300}}}
	nested := FIndicator{ID: "n", Indicator: "events", Targets: []Target{{"2018", 300}, {"2018-Q4", 60}}}
	share := FIndicator{ID: "s", Indicator: "risk-covered", Targets: []Target{{"2018", 0.7}}}
	manual := FIndicator{ID: "m", Indicator: "manual", Params: map[string]string{"id": "x"}, Targets: []Target{{"2018", 12}}}
	quarter := FIndicator{ID: "q", Indicator: "events", Targets: []Target{{"2018-Q4", 60}}}
	for _, c := range []struct {
		fi     FIndicator
		period string
		want   float64 // 0: no target
		en, fr string  // the note ("" none)
	}{
		{deaths, "2018", 300, "", ""},
		{deaths, "2018-12", 25, "the target set for 2018, 300, shared evenly over its 12 months: 25 for December 2018",
			"la cible fixée pour 2018, 300, répartie également sur ses 12 mois\u00a0: 25 pour décembre 2018"},
		{deaths, "2018-Q4", 75, "the target set for 2018, 300, shared evenly over its 12 months: 75 for Q4 2018",
			"la cible fixée pour 2018, 300, répartie également sur ses 12 mois\u00a0: 75 pour T4 2018"},
		{nested, "2018-12", 20, "the target set for Q4 2018, 60, shared evenly over its 3 months: 20 for December 2018",
			"la cible fixée pour T4 2018, 60, répartie également sur ses 3 mois\u00a0: 20 pour décembre 2018"},
		{share, "2018-12", 0.7, "the target set for 2018 applies as it is to December 2018 (a share or a rate)",
			"la cible fixée pour 2018 s’applique telle quelle à décembre 2018 (une part ou un taux)"},
		{share, "2018-01..2018-06", 0.7, "the target set for 2018 applies as it is to January–June 2018 (a share or a rate)",
			"la cible fixée pour 2018 s’applique telle quelle à janvier–juin 2018 (une part ou un taux)"},
		{deaths, "2019-01", 0, "", ""},
		{quarter, "2018", 0, "", ""},
		{manual, "2018-12", 0, "", ""},
		{manual, "2018", 12, "", ""},
	} {
		got, _, note := targetFor(c.fi, mustPeriod(t, c.period), map[string]string{"civilian-deaths": "deaths", "events": "events", "risk-covered": "share"}[c.fi.Indicator])
		switch {
		case c.want == 0 && got != nil, c.want != 0 && (got == nil || math.Abs(*got-c.want) > 1e-12):
			t.Errorf("%s %s: target %v, want %v", c.fi.ID, c.period, got, c.want)
		case (note == nil) != (c.en == ""):
			t.Errorf("%s %s: note %v, want %q", c.fi.ID, c.period, note, c.en)
		case note != nil && (note.Text("en") != c.en || note.Text("fr") != c.fr):
			t.Errorf("%s %s: note %q / %q, want %q / %q", c.fi.ID, c.period, note.Text("en"), note.Text("fr"), c.en, c.fr)
		}
	}
	// In Status: a month of 2019 against the year's count target, pro-rated.
	f := &Framework{Objectives: []Objective{{ID: "poc", Results: []Result{{ID: "r", Indicators: []FIndicator{
		{ID: "a", Indicator: "civilian-deaths", Area: "MLI", Targets: []Target{{"2019", 1200}}}}}}}}}
	if err := f.Validate("f"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(Inputs{EventList: []events.Event{ev("1", cellA, 2019, 3, events.OneSided, 3, 2, 5), ev("4", cellA, 2019, 12, events.StateBased, 1, 1, 1)}, Cells: mali()})
	st, err := e.Status(context.Background(), f, mustPeriod(t, "2019-03"))
	if err != nil {
		t.Fatal(err)
	}
	if s := st[0]; s.Target == nil || *s.Target != 100 || s.TargetNote == nil || s.Status.Status != OnTrack {
		t.Errorf("March 2019 against 1,200 a year: %+v", s)
	}
}

// TestStatusBaselineProrated: a month judged against its year's count
// target (pro-rated) is compared with the baseline's monthly share too, not
// with a whole year's baseline: 150 civilian deaths in March 2019 is worse
// than 2018's 1,200 a year (100 a month), so off track, not "at risk,
// better than the baseline 1,200". A baseline_period of another length is
// shared over its own months; without one, over the target's. A year
// judged against its own target keeps the baseline as it is.
func TestStatusBaselineProrated(t *testing.T) {
	evs := []events.Event{ev("1", cellA, 2019, 3, events.OneSided, 150, 150, 150), ev("2", cellA, 2019, 4, events.OneSided, 70, 70, 70)}
	e := NewEngine(Inputs{EventList: evs, Cells: mali()})
	for _, c := range []struct {
		name       string
		period     string
		base       float64
		basePeriod string
		want       Status
		baseline   string // the baseline the reason says
		note       string // the English note ("" none)
	}{
		{"month worse than the baseline's month", "2019-03", 1200, "2018", OffTrack, "100",
			"the target set for 2019, 600, shared evenly over its 12 months: 50 for March 2019; the baseline set for 2018, 1,200, shared alike: 100 for March 2019"},
		{"month between target and baseline", "2019-04", 1200, "2018", AtRisk, "100",
			"the target set for 2019, 600, shared evenly over its 12 months: 50 for April 2019; the baseline set for 2018, 1,200, shared alike: 100 for April 2019"},
		{"baseline of a half year", "2019-03", 600, "2018-01..2018-06", OffTrack, "100",
			"the target set for 2019, 600, shared evenly over its 12 months: 50 for March 2019; the baseline set for January–June 2018, 600, shared alike: 100 for March 2019"},
		{"baseline without its period: the target's", "2019-03", 1200, "", OffTrack, "100",
			"the target set for 2019, 600, shared evenly over its 12 months: 50 for March 2019; the baseline, 1,200, shared alike: 100 for March 2019"},
		{"the year against its own target", "2019", 1200, "2018", OnTrack, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := c.base
			f := &Framework{Objectives: []Objective{{ID: "poc", Results: []Result{{ID: "r", Indicators: []FIndicator{
				{ID: "a", Indicator: "civilian-deaths", Area: "MLI", Baseline: &b, BaselinePeriod: c.basePeriod, Targets: []Target{{"2019", 600}}}}}}}}}
			if err := f.Validate("f"); err != nil {
				t.Fatal(err)
			}
			st, err := e.Status(context.Background(), f, mustPeriod(t, c.period))
			if err != nil {
				t.Fatal(err)
			}
			s := st[0]
			if s.Status.Status != c.want || s.Status.Msg.Args["baseline"] != c.baseline {
				t.Errorf("status %s, baseline %q (%s); want %s, baseline %s", s.Status.Status, s.Status.Msg.Args["baseline"], s.Status.Msg.Text("en"), c.want, c.baseline)
			}
			if c.baseline == "100" && (s.Baseline == nil || *s.Baseline != 100) {
				t.Errorf("answered baseline %v, want the one judged against, 100", s.Baseline)
			}
			if note := ""; s.TargetNote != nil {
				note = s.TargetNote.Text("en")
				if note != c.note {
					t.Errorf("note %q, want %q", note, c.note)
				}
				if fr := "la cible fixée pour 2019, 600, répartie également sur ses 12 mois\u00a0: 50 pour mars 2019\u202f; la référence fixée pour 2018, 1\u202f200, répartie de même\u00a0: 100 pour mars 2019"; c.name == "month worse than the baseline's month" && s.TargetNote.Text("fr") != fr {
					t.Errorf("French note %q, want %q", s.TargetNote.Text("fr"), fr)
				}
			} else if c.note != "" {
				t.Errorf("no note, want %q", c.note)
			}
		})
	}
}

// TestFrameworkCSVFormulas: an exported framework opened in a spreadsheet
// runs no formula from a title, owner or commitment (internal/csvsafe);
// numbers stay numbers and the file reads back as it was.
func TestFrameworkCSVFormulas(t *testing.T) {
	b, err := os.ReadFile("testdata/framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadFrameworkCSV(bytes.NewReader(b), "framework.csv")
	if err != nil {
		t.Fatal(err)
	}
	fi := &f.Objectives[0].Results[0].Indicators[0]
	fi.Owner, fi.Commitment = "=HYPERLINK(\"http://x\")", "@x"
	f.Objectives[0].Title = "+1 objective"
	var out bytes.Buffer
	if err := f.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, ",'@x", "'+1 objective", ",1200,"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export lacks %s:\n%s", want, out.String())
		}
	}
	g, err := ReadFrameworkCSV(bytes.NewReader(out.Bytes()), "again.csv")
	if err != nil {
		t.Fatal(err)
	}
	gi := g.Objectives[0].Results[0].Indicators[0]
	if gi.Owner != fi.Owner || gi.Commitment != "@x" || g.Objectives[0].Title != "+1 objective" || *gi.Baseline != 1200 {
		t.Errorf("read back: %+v %q", gi, g.Objectives[0].Title)
	}
}
