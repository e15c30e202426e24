package performance

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/surveys"
)

// scenarios is a coverage store holding saved scenarios by id.
type scenarios struct {
	coverage.Store
	by map[int64]coverage.Scenario
}

func (s scenarios) Scenario(ctx context.Context, id int64) (coverage.Scenario, error) {
	if sc, ok := s.by[id]; ok {
		return sc, nil
	}
	return coverage.Scenario{}, errors.New("no such scenario")
}

// said is the catalog message err carries as the API answers it (the
// apperr error's key and args) or as a plain refusal does.
func said(err error) (Msg, bool) {
	if ae := apperr.As(err); ae != nil {
		return Msg{Code: ae.Key, Args: ae.Args}, ae.Key != ""
	}
	var f fwErr
	if errors.As(err, &f) {
		return f.m, true
	}
	return Msg{}, false
}

// watchErr is the refusal of the watch configuration c (its defaults
// filled in first, as Watch does).
func watchErr(c WatchConfig) func() error {
	return func() error { return c.defaults() }
}

// refusalCase is a refusal and the message it must carry: its code and
// its whole French ("": not checked).
type refusalCase struct {
	name string
	err  func() error
	code string
	fr   string // the whole French text, when checked
}

// TestRefusalMessages: every refusal of the package that was English only
// carries its whole text as a catalog message (err.*, and fw.* where the
// words are a framework's): its English is the error's text, exactly as
// it always read, its French a French catalog entry, and every err.* code
// of the catalog is said by one of them.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	s := &Service{}
	civ, _ := Lookup("civilian-deaths")
	manual, _ := Lookup("manual")
	var unfit Definition // one that takes no parameters
	for _, d := range Library() {
		if len(d.Params) == 0 {
			unfit = d
		}
	}
	fin := func(x float64) *float64 { return &x }
	check := func(d Definition, r Request) error { return d.check(&r) }
	jsonOf := func(in string) error { var v struct{ A []int }; return json.Unmarshal([]byte(in), &v) }
	keyring, subs, _ := perceptionAnswers(t)
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "feels_safe", Field: "q_safe", Values: []string{"yes"}}}}
	eng := NewEngine(Inputs{Surveys: &surveys.Service{Store: fakeSurveyStore{subs: subs}, Keys: keyring}, Settings: fakeSettings{st}, Actor: "test"})
	mar := mustPeriod(t, "2019-03")
	cut := scenarios{by: map[int64]coverage.Scenario{1: {Kind: "cut", Body: json.RawMessage(`{}`)}, 2: {Kind: "rotate"}, 3: {Kind: "plan", Body: json.RawMessage(`{"before": x}`)}}}
	cases := []refusalCase{
		{"empty period", func() error { _, err := ParsePeriod(" "); return err }, "err.period", "période «\u202f \u202f»\u00a0: est vide (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"year digits", func() error { _, err := ParsePeriod("19"); return err }, "err.period", "période «\u202f19\u202f»\u00a0: l’année «\u202f19\u202f» n’a pas quatre chiffres (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"year range", func() error { _, err := ParsePeriod("1850-01"); return err }, "err.period", ""},
		{"quarter", func() error { _, err := ParsePeriod("2019-Q5"); return err }, "err.period", "période «\u202f2019-Q5\u202f»\u00a0: le trimestre «\u202fQ5\u202f» n’est pas Q1 à Q4 (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"month digits", func() error { _, err := ParsePeriod("2019-7"); return err }, "err.period", ""},
		{"month range", func() error { _, err := ParsePeriod("2019-13"); return err }, "err.period", ""},
		{"reversed", func() error { _, err := ParsePeriod("2019-06..2019-01"); return err }, "err.period", ""},
		{"country blank", func() error { _, err := ParseArea("'"); return err }, "err.country-blank", "pays «\u202f'\u202f»\u00a0: ni un code ni un nom"},
		{"country unknown", func() error { _, err := ParseArea("Narnia"); return err }, "err.country-unknown", ""},
		{"direction", func() error { _, err := ParseDirection("sideways"); return err }, "err.direction", ""},
		{"period required", func() error { _, err := PeriodParam(url.Values{}, "period"); return err }, "err.period-required", ""},
		{"period param", func() error { _, err := PeriodParam(url.Values{"period": {"2019-13"}}, "period"); return err }, "err.field",
			"period\u00a0: période «\u202f2019-13\u202f»\u00a0: le mois «\u202f13\u202f» est hors de 01–12 (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"indicator required", func() error { _, err := ParseValueQuery(url.Values{"period": {"2019"}}); return err }, "err.indicator-required", ""},
		{"value area", func() error {
			_, err := ParseValueQuery(url.Values{"indicator": {"civilian-deaths"}, "period": {"2019"}, "area": {"Narnia"}})
			return err
		}, "err.field", ""},
		{"one month", func() error { _, err := ParseBriefQuery(url.Values{"month": {"2019"}}); return err }, "err.field", ""},
		{"no params", func() error { return check(unfit, Request{Params: map[string]string{"x": "1"}}) }, "err.field", ""},
		{"no param", func() error { return check(civ, Request{Params: map[string]string{"kind": "1"}}) }, "err.field", ""},
		{"one of", func() error { return check(civ, Request{Params: map[string]string{"type": "9"}}) }, "err.field", "type\u00a0: «\u202f9\u202f»\u00a0: attendu l’un de 1, 2, 3, all"},
		{"needs param", func() error { return check(manual, Request{}) }, "err.field", ""},
		{"no breakdown", func() error { return check(manual, Request{Params: map[string]string{"id": "x"}, By: "sex"}) }, "err.field", ""},
		{"not by", func() error { return check(civ, Request{By: "colour"}) }, "err.field", ""},
		{"unknown indicator", func() error { _, err := eng.Compute(ctx, Request{Indicator: "nope"}); return err }, "err.field", ""},
		{"period missing", func() error { _, err := eng.Compute(ctx, Request{Indicator: "civilian-deaths"}); return err }, "err.field", ""},
		{"no form", func() error {
			_, err := eng.Compute(ctx, Request{Indicator: "perception", Period: mar, Params: map[string]string{"form": "gone"}})
			return indicatorErr("safe", err)
		}, "err.indicator", "indicateur safe\u00a0: form\u00a0: aucun formulaire d’enquête «\u202fgone\u202f»"},
		{"form indicator", func() error {
			_, err := eng.Compute(ctx, Request{Indicator: "perception", Period: mar, Params: map[string]string{"form": "perc", "id": "trusts"}})
			return err
		}, "err.field", ""},
		{"manual indicator", func() error { return (&ManualValue{}).Validate() }, "err.field", ""},
		{"manual period", func() error { return (&ManualValue{Indicator: "m", Period: "2019-Q0"}).Validate() }, "err.field", ""},
		{"manual area", func() error { return (&ManualValue{Indicator: "m", Period: "2019", Area: "Narnia"}).Validate() }, "err.field", ""},
		{"manual value", func() error { return (&ManualValue{Indicator: "m", Period: "2019", Value: math.NaN()}).Validate() }, "err.field", ""},
		{"manual low", func() error { return (&ManualValue{Indicator: "m", Period: "2019", Value: 2, Low: fin(3)}).Validate() }, "err.field", "low\u00a0: 3 est au-dessus de la valeur 2"},
		{"manual high", func() error { return (&ManualValue{Indicator: "m", Period: "2019", Value: 2, High: fin(1)}).Validate() }, "err.field", ""},
		{"manual source", func() error { return (&ManualValue{Indicator: "m", Period: "2019"}).Validate() }, "err.field", ""},
		{"manual evidence", func() error {
			return (&ManualValue{Indicator: "m", Period: "2019", Source: "s", Evidence: "here"}).Validate()
		}, "err.field", ""},
		{"manual time", func() error {
			return (&ManualValue{Indicator: "m", Period: "2019", Source: "s", EnteredAt: "today"}).Validate()
		}, "err.field", ""},
		{"manual file entry", func() error {
			_, err := ReadManual(strings.NewReader(`[{"indicator":"m","period":"2019-00"}]`), "m.json")
			return err
		}, "err.entry",
			"m.json\u00a0: entrée 1\u00a0: period\u00a0: période «\u202f2019-00\u202f»\u00a0: le mois «\u202f00\u202f» est hors de 01–12 (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"manual file json", func() error { _, err := ReadManual(strings.NewReader(`[{"indicator":"m",}]`), "m.json"); return err }, "err.in-file", ""},
		{"manual file wrong type", func() error {
			_, err := ReadManual(strings.NewReader(`[{"indicator":"m","value":"many"}]`), "m.json")
			return err
		}, "err.in-file",
			"m.json\u00a0: json\u00a0: champ value\u00a0: une chaîne ne convient pas, il faut un nombre"},
		{"entered by", func() error { _, err := s.EnterManual(ctx, "a", ManualValue{EnteredBy: "b"}); return err }, "err.entered-by", ""},
		{"mission empty", func() error { return CheckMission(" ") }, "err.field", ""},
		{"mission long", func() error { return CheckMission(strings.Repeat("m", 101)) }, "err.field", ""},
		{"mission chars", func() error { return CheckMission("A/B") }, "err.field", "mission\u00a0: «\u202fA/B\u202f»\u00a0: lettres, chiffres, espaces et - _ . seulement"},
		{"mission path", func() error { _, err := s.PutFramework(ctx, "a", "M", -1, &Framework{Mission: "N"}); return err }, "err.mission-path", ""},
		{"compact path", func() error { _, err := s.PutCompact(ctx, "a", "M", "c1", Compact{ID: "c2"}); return err }, "err.compact-path", ""},
		{"by", func() error {
			_, err := s.ChangeCommitmentStatus(ctx, "a", "M", "k", StatusChange{By: "b"})
			return err
		}, "err.by", ""},
		{"format", func() error { _, _, err := s.ImportFramework(ctx, "a", "M", "xml", strings.NewReader("")); return err }, "err.field", ""},
		{"other mission", func() error {
			_, _, err := s.ImportFramework(ctx, "a", "M", "json", strings.NewReader(`{"mission":"N","objectives":[]}`))
			return err
		}, "fw.at", "framework.json\u00a0: mission\u00a0: le fichier est le cadre de «\u202fN\u202f», pas celui de «\u202fM\u202f»"},
		{"commitment status", func() error {
			return invalidErr("date", (&Framework{Compacts: []Compact{{ID: "c", Parties: []Party{{ID: "p", Kind: "mission"}},
				Commitments: []Commitment{{ID: "k", Party: "p", Deadline: "2019-01-01", History: []StatusChange{{Date: "soon"}}}}}}}).Validate("framework").(*FieldErr).reason())
		}, "err.field", "date\u00a0: «\u202fsoon\u202f» n’est pas une date (AAAA-MM-JJ)"},
		{"no commitment", func() error { return invalid("commitment", "err.no-commitment", "id", `"k"`, "mission", "M") }, "err.field", ""},
		{"ack month", func() error { _, err := s.AcknowledgeAlert(ctx, "a", 1, "March", ""); return err }, "err.field", ""},
		{"ack long", func() error {
			_, err := s.AcknowledgeAlert(ctx, "a", 1, "2019-03", strings.Repeat("n", MaxAckNote+1))
			return err
		}, "err.field", ""},
		{"ack utf8", func() error { _, err := s.AcknowledgeAlert(ctx, "a", 1, "2019-03", "\xff"); return err }, "err.field", ""},
		{"ack control", func() error { _, err := s.AcknowledgeAlert(ctx, "a", 1, "2019-03", "a\x01b"); return err }, "err.field", ""},
		{"gap", func() error { _, err := s.AttachOption(ctx, "a", "M", Option{}); return err }, "err.field", ""},
		{"gap long", func() error {
			_, err := s.AttachOption(ctx, "a", "M", Option{Gap: strings.Repeat("g", 201)})
			return err
		}, "err.field", ""},
		{"option note", func() error {
			_, err := s.AttachOption(ctx, "a", "M", Option{Gap: "g", Note: strings.Repeat("n", 2001)})
			return err
		}, "err.field", ""},
		{"option area", func() error { _, err := s.AttachOption(ctx, "a", "M", Option{Gap: "g", Area: "Narnia"}); return err }, "err.field", ""},
		{"no coverage", func() error { _, err := s.AttachOption(ctx, "a", "M", Option{Gap: "g"}); return err }, "err.field", ""},
		{"no scenario", func() error {
			_, err := (&Service{Deployments: cut}).AttachOption(ctx, "a", "M", Option{Gap: "g", ScenarioID: 9})
			return err
		}, "err.field", ""},
		{"cut empty", func() error {
			_, err := (&Service{Deployments: cut}).AttachOption(ctx, "a", "M", Option{Gap: "g", ScenarioID: 1})
			return err
		}, "err.field", ""},
		{"scenario kind", func() error {
			_, err := (&Service{Deployments: cut}).AttachOption(ctx, "a", "M", Option{Gap: "g", ScenarioID: 2})
			return err
		}, "err.field",
			"scenario_id\u00a0: scénario 2\u00a0: son résultat ne peut pas être lu\u00a0: type de scénario «\u202frotate\u202f» non pris en charge"},
		{"scenario json", func() error {
			_, err := (&Service{Deployments: cut}).AttachOption(ctx, "a", "M", Option{Gap: "g", ScenarioID: 3})
			return err
		}, "err.field", ""},
		{"no framework", func() error { return NoFramework("MONUSCO") }, "err.no-framework", "MONUSCO\u00a0: aucun cadre de résultats n’est enregistré pour cette mission"},
		{"changed", func() error { return Changed("MONUSCO", 3, 2) }, "err.changed", ""},
		{"no option", func() error { return NoOption(4, "MONUSCO") }, "err.no-option", ""},
		{"json file", func() error {
			_, err := ReadFrameworkJSON(strings.NewReader(`{"objectives": 3}`), "f.json")
			return err
		}, "fw.at", ""},
		{"json field", func() error {
			_, err := ReadFrameworkJSON(strings.NewReader(`{"objective": []}`), "f.json")
			return err
		}, "fw.at", "f.json\u00a0: (json)\u00a0: json\u00a0: champ inconnu «\u202fobjective\u202f»"},
		{"framework area", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,result_id,indicator_id,indicator,area\no,r,i,civilian-deaths,Narnia\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 2\u00a0: colonne area\u00a0: pays «\u202fNarnia\u202f»\u00a0: inconnu (attendu un code ISO 3166 alpha-3 comme COD, ou un nom de pays en anglais ou en français)"},
		{"framework parameter", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,result_id,indicator_id,indicator,params\no,r,i,civilian-deaths,type=9\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 2\u00a0: colonne params\u00a0: type\u00a0: «\u202f9\u202f»\u00a0: attendu l’un de 1, 2, 3, all"},
		{"framework direction", func() error {
			_, err := ReadFrameworkJSON(strings.NewReader(`{"objectives":[{"id":"o","results":[{"id":"r","indicators":[{"id":"i","indicator":"civilian-deaths","direction":"up-ish","baseline_period":"2019"}]}]}]}`), "f.json")
			return err
		}, "fw.at", "f.json\u00a0: objectives[0].results[0].indicators[0].direction\u00a0: sens «\u202fup-ish\u202f»\u00a0: attendu higher (plus haut) ou lower (plus bas)"},
		{"framework baseline period", func() error {
			_, err := ReadFrameworkJSON(strings.NewReader(`{"objectives":[{"id":"o","results":[{"id":"r","indicators":[{"id":"i","indicator":"civilian-deaths","baseline_period":"2019-Q5"}]}]}]}`), "f.json")
			return err
		}, "fw.at", ""},
		{"csv empty", func() error { _, err := ReadFrameworkCSV(strings.NewReader(""), "f.csv"); return err }, "fw.at-row",
			"f.csv, ligne 1\u00a0: colonne (en-tête)\u00a0: impossible de lire l’en-tête\u00a0: le fichier est vide"},
		{"csv header quote", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,res\"ult\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 1\u00a0: colonne (en-tête)\u00a0: impossible de lire l’en-tête\u00a0: erreur de lecture à la ligne 1, colonne 17\u00a0: guillemet \" dans un champ sans guillemets"},
		{"csv row quote", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,result_id,indicator_id,indicator\no,r\"x,i,civilian-deaths\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 2\u00a0: colonne (ligne)\u00a0: erreur de lecture à la ligne 2, colonne 4\u00a0: guillemet \" dans un champ sans guillemets"},
		{"csv record quote", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,result_id,indicator_id,indicator\no,\"r\nx\"y,i,civilian-deaths\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 3\u00a0: colonne (ligne)\u00a0: enregistrement commencé à la ligne 2\u202f; erreur de lecture à la ligne 3, colonne 2\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		{"csv no rows", func() error {
			_, err := ReadFrameworkCSV(strings.NewReader("objective_id,result_id,indicator_id,indicator\n"), "f.csv")
			return err
		}, "fw.at-row", "f.csv, ligne 1\u00a0: colonne (lignes)\u00a0: aucun indicateur"},
		{"json empty", func() error { _, err := ReadFrameworkJSON(strings.NewReader(" \n"), "f.json"); return err }, "fw.at", "f.json\u00a0: (json)\u00a0: le fichier est vide"},
		{"no alert", func() error { return ErrNoTrigger }, "err.no-alert", "aucune alerte à la direction pour ce retrait (cellule et mois)"},
		{"acknowledged", func() error { return Acknowledged("lead", time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)) }, "err.field",
			"alert\u00a0: l’alerte a déjà été prise en compte par lead le 2026-12-05T03:00:00Z"},
		{"json cut short", func() error { _, err := ReadFrameworkJSON(strings.NewReader(`{"objectives": [`), "f.json"); return err }, "fw.at", "f.json\u00a0: (json)\u00a0: fin inattendue\u00a0: le JSON est incomplet"},
		{"json eof", func() error { return jsonErr(jsonOf(`{"A": [1`)) }, "err.json-end", ""},
		{"json value", func() error { return jsonErr(jsonOf(`x`)) }, "err.json-char", `caractère 'x' invalide là où une valeur devait commencer`},
		{"json key", func() error { return jsonErr(jsonOf(`{1}`)) }, "err.json-char", ""},
		{"json after key", func() error { return jsonErr(jsonOf(`{"A" 1}`)) }, "err.json-char", ""},
		{"json after pair", func() error { return jsonErr(jsonOf(`{"A": [] "B": 1}`)) }, "err.json-char", ""},
		{"json after element", func() error { return jsonErr(jsonOf(`{"A": [1 2]}`)) }, "err.json-char", ""},
		{"json after top", func() error { return jsonErr(jsonOf(`{} x`)) }, "err.json-char", ""},
		{"json in string", func() error { return jsonErr(jsonOf("\"a\x01\"")) }, "err.json-char", ""},
		{"json in number", func() error { return jsonErr(jsonOf(`-x`)) }, "err.json-char", ""},
		{"json in escape", func() error { return jsonErr(jsonOf(`{"A\x": 1}`)) }, "err.json-char", "caractère 'x' invalide dans un échappement de chaîne"},
		{"json in unicode escape", func() error { return jsonErr(jsonOf(`{"A\u12x4": 1}`)) }, "err.json-char", ""},
		{"json literal", func() error { return jsonErr(jsonOf(`{"A": nul}`)) }, "err.json-lit", "caractère '}' invalide dans le littéral null (attendu 'l')"},
		{"json top-level type", func() error { return jsonErr(jsonOf(`[1]`)) }, "err.json-top", ""},
		{"invalid json", func() error {
			err := jsonOf(`{"A": 1}`)
			m := InvalidJSON(err)
			if m == nil {
				return err
			}
			return fwErr{*m} // as the HTTP edge answers it: "invalid JSON: …"
		}, "err.invalid-json", ""},
		{"json type said in words", func() error { return jsonErr(jsonOf(`{"A": "x"}`)) }, "err.json-type",
			"json\u00a0: champ A\u00a0: une chaîne ne convient pas, il faut un tableau d’entiers"},
		// The withdrawal watch's configuration (vigil watch withdrawals' flags).
		{"watch windows", watchErr(WatchConfig{Before: 121}), "err.field", "before\u00a0: before et after doivent être de 1 à 120 mois"},
		{"watch presence", watchErr(WatchConfig{Before: 6, MinPresence: 7}), "err.field", "min_presence\u00a0: 7 doit être de 1 à 6 (la fenêtre before)"},
		{"watch controls", watchErr(WatchConfig{Controls: 51}), "err.field", "controls\u00a0: 51 doit être de 1 à 50"},
		{"watch measure", watchErr(WatchConfig{Measure: "hearts"}), "err.field", "measure\u00a0: «\u202fhearts\u202f»\u00a0: attendu deaths (morts) ou events (événements)"},
		{"watch confidence", watchErr(WatchConfig{Confidence: 0.25}), "err.field", "confidence\u00a0: 0,25 doit être dans ]0,5\u202f; 1["},
		{"watch level", watchErr(WatchConfig{Level: 1.5}), "err.field", "interval_level\u00a0: 1,5 doit être dans ]0,5\u202f; 1["},
		{"watch min expected", watchErr(WatchConfig{MinExpected: -1}), "err.field", "min_expected\u00a0: doit être > 0"},
		{"watch min expected infinite", watchErr(WatchConfig{MinExpected: math.Inf(1)}), "err.field", "min_expected\u00a0: doit être > 0"},
		{"watch bootstrap", watchErr(WatchConfig{Bootstrap: 99}), "err.field", "bootstrap\u00a0: doit être de 100 à 100\u202f000"},
	}
	// The words of every JSON value's kind and Go type (apperr's).
	for _, err := range apperrtest.JSONWordErrors() {
		cases = append(cases, refusalCase{err.Error(), func() error { return jsonErr(err) }, "err.json-type", ""})
	}
	reached := map[string]bool{}
	for _, c := range cases {
		err := c.err()
		m, ok := said(err)
		if err == nil || !ok {
			t.Errorf("%s: %v has no message", c.name, err)
			continue
		}
		reached[m.Code] = true
		for _, v := range m.Args {
			reached[v] = true
		}
		en, fr := m.Text("en"), m.Text("fr")
		if m.Code != c.code || en != err.Error() {
			t.Errorf("%s: %s %q, error %q (want %s)", c.name, m.Code, en, err, c.code)
		}
		if fr == en || placeholder.MatchString(fr) || (c.fr != "" && fr != c.fr) {
			t.Errorf("%s: French %q (want %q; English %q)", c.name, fr, c.fr, en)
		}
	}
	for _, code := range append(ReasonCodes(), "fw.other-mission") {
		// err.json.w.time, a date-time's word, is said only by apperr.JSONDecodeReason
		// (tested there): no performance body or file takes a date-time.
		if (strings.HasPrefix(code, "err.") || code == "fw.other-mission") && code != "err.json.w.time" && !reached[code] {
			t.Errorf("%s: no refusal says it", code)
		}
	}
}
