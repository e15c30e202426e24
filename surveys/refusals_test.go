package surveys_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/internal/testutil/xlsxtest"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/estimate"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/xlsform"
)

// refusalForm is a small form: a round, a region and sex chosen from
// lists (select_one), the languages spoken (select_multiple), a weight, a name (an identifier) and a comment (free text).
func refusalForm(version string) []byte {
	return []byte(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>T</h:title><model>
<instance><t id="t" version="` + version + `"><round/><region/><sex/><langs/><w/><name/><comment/><meta><instanceID/></meta></t></instance>
<bind nodeset="/t/round" type="string"/><bind nodeset="/t/region" type="string"/><bind nodeset="/t/sex" type="string"/><bind nodeset="/t/langs" type="string"/><bind nodeset="/t/w" type="string"/>
<bind nodeset="/t/name" type="string"/><bind nodeset="/t/comment" type="string"/><bind nodeset="/t/meta/instanceID" type="string"/>
</model></h:head><h:body>
<input ref="/t/round"/><select1 ref="/t/region"><item><value>north</value></item><item><value>south</value></item></select1>
<select1 ref="/t/sex"><item><value>female</value></item><item><value>male</value></item></select1>
<select ref="/t/langs"><item><value>en</value></item><item><value>fr</value></item></select><input ref="/t/w"/><input ref="/t/name"/><input ref="/t/comment"/>
</h:body></h:html>`)
}

// onlyForms is a store that keeps forms but not what the analysis needs.
type onlyForms struct{ surveys.Store }

// TestRefusalMessages: every refusal of the survey API a page meets (the
// Surveys page's analysis, who is unheard and margins upload; the
// Administration page's form upload, state, enumerators, margins and
// interlocutor log) and the API's analysis settings, disclosure control
// and export carry their whole text as a catalog message (Refusals; apperr
// Key and Args as the API answers them): English as the error always read,
// French another text with nothing left unfilled; every message is said
// by one.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	if _, _, err := svc.AddForm(ctx, "a", refusalForm("1"), nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AddForm(ctx, "a", []byte(strings.Replace(string(refusalForm("1")), `id="t"`, `id="empty"`, 1)), nil); err != nil {
		t.Fatal(err)
	}
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	for i := 0; i < 12; i++ {
		region := []string{"north", "south"}[i%2]
		if i == 11 {
			region = ""
		}
		x := fmt.Sprintf(`<t id="t" version="1"><round>R1</round><region>%s</region><sex>%s</sex><w>%s</w><name>N%d</name><comment>c</comment><meta><instanceID>uuid:%d</instanceID></meta></t>`,
			region, []string{"female", "male"}[i%3%2], []string{"1", "x"}[i/11], i, i)
		if _, err := svc.Submit(ctx, admin, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	margins := func(name, csv string) error {
		_, err := svc.PutMargins(ctx, "a", name, strings.NewReader(csv))
		return err
	}
	if err := margins("census", "region,sex,population\nnorth,female,100\nnorth,male,90\nsouth,female,80\nsouth,male,70\n"); err != nil {
		t.Fatal(err)
	}
	if err := margins("zero", "region,population\nnorth,0\nsouth,0\n"); err != nil {
		t.Fatal(err)
	}
	ind := surveys.Indicator{ID: "woman", Field: "sex", Values: []string{"female"}}
	st := surveys.Settings{Indicators: []surveys.Indicator{ind}, Breakdowns: []string{"region"}, AreaField: "region",
		Disclosure: surveys.DisclosureRule{K: 2, QuasiIdentifiers: []string{"region", "sex"}}}
	with := func(change func(*surveys.Settings)) surveys.Settings {
		s := st
		s.Disclosure.QuasiIdentifiers = append([]string(nil), st.Disclosure.QuasiIdentifiers...)
		change(&s)
		return s
	}
	analyse := func(form string, s surveys.Settings, q surveys.AnalyseQuery) func() error {
		return func() error { _, err := svc.Analyse(ctx, "a", form, s, q); return err }
	}
	unheard := func(s surveys.Settings, margins string) func() error {
		return func() error { _, err := svc.Unheard(ctx, "a", "t", s, "", margins, "", ""); return err }
	}
	export := func(s surveys.Settings, format, text string) func() error {
		return func() error { _, err := svc.Export(ctx, "a", "t", s, "", format, text); return err }
	}
	put := func(s surveys.Settings) func() error {
		return func() error { _, err := svc.PutSettings(ctx, "a", "t", s); return err }
	}
	meet := func(it surveys.Interlocutor) func() error {
		return func() error { _, err := svc.AddInterlocutor(ctx, "a", it); return err }
	}
	rows := []map[string]string{{"region": "north", "sex": "female", "w": "x"}, {"region": "", "sex": "male", "w": "1"}}
	noDefault := func(string) (surveys.Settings, bool) { return surveys.Settings{}, false }
	design := func(spec estimate.TableSpec, rows ...map[string]string) func() error {
		return func() error {
			var cols []string
			for c := range rows[0] {
				cols = append(cols, c)
			}
			slices.Sort(cols)
			_, err := estimate.DesignFromTable(estimate.NewTable("responses", cols, rows), spec)
			return err
		}
	}
	sexes, err := surveys.ReadPopulation(strings.NewReader("sex,population\nfemale,1\nmale,1\n"), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	calibrate := func(rows ...map[string]string) func() error {
		return func() error {
			_, err := surveys.Analyze(rows, surveys.Plan{Indicators: st.Indicators, Population: sexes, Margins: "p", RakeOn: []string{"sex"}, Design: estimate.TableSpec{Weights: "w"}})
			return err
		}
	}
	cases := []struct {
		name string
		err  func() error
		fr   string
	}{
		// The service, a form, a margin set.
		{"not configured", func() error { _, err := (&surveys.Service{Store: onlyForms{db}}).MarginSets(ctx); return err }, "les enquêtes ne sont pas configurées sur ce serveur"},
		{"no form", analyse("nope", st, surveys.AnalyseQuery{}), "aucun formulaire «\u202fnope\u202f»"},
		{"state of no form", func() error {
			_, err := svc.ChangeState(ctx, "a", "nope", surveys.StateChange{State: surveys.Closed})
			return err
		}, "le formulaire «\u202fnope\u202f» n’existe pas"},
		{"grant on no form", func() error {
			_, err := svc.AddEnumerator(ctx, "a", "nope", surveys.EnumeratorGrant{User: "x"})
			return err
		}, "le formulaire «\u202fnope\u202f» n’existe pas"},
		{"no settings", func() error { _, err := svc.SettingsOf(ctx, "t", noDefault); return err },
			"le formulaire «\u202ft\u202f» n’a pas encore de paramètres d’analyse (indicateurs et ventilations)\u00a0: définissez-les d’abord (PUT /api/v1/surveys/forms/t/analysis/settings)"},
		{"margins not loaded", unheard(st, "nope"), "les marges de population «\u202fnope\u202f» ne sont pas chargées\u00a0: téléversez-les d’abord"},
		{"margin name", func() error { return surveys.CheckMarginName("a b") }, "nom de jeu de marges «\u202fa b\u202f»\u00a0: lettres, chiffres, _ . - (64 au plus)"},
		{"state", func() error {
			_, err := svc.ChangeState(ctx, "a", "t", surveys.StateChange{State: "archived"})
			return err
		}, "l’état doit être «\u202fopen\u202f» ou «\u202fclosed\u202f»"},
		{"no user", func() error {
			_, err := svc.AddEnumerator(ctx, "a", "t", surveys.EnumeratorGrant{User: "ghost"})
			return err
		}, "l’utilisateur «\u202fghost\u202f» n’existe pas"},

		// The analysis, who is unheard, the export.
		{"from", analyse("t", st, surveys.AnalyseQuery{From: "yesterday"}), "«\u202fyesterday\u202f» n’est pas une date (AAAA-MM-JJ)"},
		{"no responses", analyse("empty", st, surveys.AnalyseQuery{}), "le formulaire «\u202fempty\u202f» n’a encore aucune réponse"},
		{"no round", analyse("t", st, surveys.AnalyseQuery{Round: "R9"}), "aucune réponse dans la vague «\u202fR9\u202f» (vagues\u00a0: R1)"},
		{"design field", analyse("t", with(func(s *surveys.Settings) { s.Weights = "weight" }), surveys.AnalyseQuery{}), "champ du plan de sondage «\u202fweight\u202f»\u00a0: aucune réponse ne le contient"},
		{"rake without margins", func() error {
			_, err := surveys.Analyze(rows, surveys.Plan{Indicators: st.Indicators, RakeOn: []string{"region"}})
			return err
		}, "rake_on\u00a0: aucune marge de population chargée"},
		{"rake without an answer", analyse("t", with(func(s *surveys.Settings) { s.Margins, s.RakeOn = "census", []string{"region"} }), surveys.AnalyseQuery{}),
			"la réponse dont l’instanceID est «\u202fuuid:11\u202f»\u00a0: pas de réponse à «\u202fregion\u202f», nécessaire pour caler sur la population\u202f; recodez la réponse, ou choisissez dans les paramètres de laisser de côté ces personnes interrogées (rake_missing\u00a0: leave_out)"},
		{"rake on no dimension", analyse("t", with(func(s *surveys.Settings) { s.Margins, s.RakeOn = "census", []string{"age"} }), surveys.AnalyseQuery{}),
			"les marges de population n’ont pas de dimension «\u202fage\u202f» (dimensions\u00a0: region, sex)"},
		{"no margins", unheard(st, ""), "aucune marge de population\u00a0: choisissez un jeu de marges (?margins=NOM) ou indiquez-en un dans les paramètres du formulaire"},
		{"area dimension", unheard(with(func(s *surveys.Settings) { s.AreaField = "province" }), "census"),
			"dimension de zone\u00a0: les marges de population n’ont pas de dimension «\u202fprovince\u202f» (dimensions\u00a0: region, sex)"},
		{"zero population", unheard(st, "zero"), "le total des marges de population est nul"},
		{"format", export(st, "xlsx", ""), "format «\u202fxlsx\u202f»\u00a0: attendu csv, hxl ou report"},
		{"not free text", export(st, "", "region"), "«\u202fregion\u202f» n’est pas un champ de texte libre du formulaire «\u202ft\u202f» (champs de texte libre\u00a0: round, w, name, comment, meta/instanceID)"},
		{"identifier", export(st, "", "meta/instanceID"), "«\u202fmeta/instanceID\u202f» est un identifiant et n’est jamais exporté"},
		{"dropped quasi-identifier", export(with(func(s *surveys.Settings) { s.Disclosure.Drop = []string{"sex"} }), "report", ""),
			"contrôle de la divulgation\u00a0: le quasi-identifiant «\u202fsex\u202f» est aussi retiré"},
		{"weight", export(with(func(s *surveys.Settings) { s.Disclosure.Weight = "w" }), "report", ""),
			"contrôle de la divulgation\u00a0: enregistrement 12, champ de poids «\u202fw\u202f»\u00a0: «\u202fx\u202f» n’est pas un poids"},
		{"export refused", export(with(func(s *surveys.Settings) { s.Disclosure.K = 1000 }), "csv", ""), ""},

		// The estimation, as settings that do not fit the answers meet it.
		{"weight not a number", analyse("t", with(func(s *surveys.Settings) { s.Weights = "w" }), surveys.AnalyseQuery{}), "ligne 13, colonne «\u202fw\u202f»\u00a0: «\u202fx\u202f» n’est pas un nombre"},
		{"stratum missing", analyse("t", with(func(s *surveys.Settings) { s.Strata = "region" }), surveys.AnalyseQuery{}),
			"ligne 13, colonne «\u202fregion\u202f»\u00a0: valeur manquante dans une colonne du plan de sondage"},
		{"weight missing", design(estimate.TableSpec{Weights: "w"}, map[string]string{"w": ""}), "ligne 2, colonne «\u202fw\u202f»\u00a0: poids manquant"},
		{"fpc not positive", design(estimate.TableSpec{FPC: []string{"f"}}, map[string]string{"f": "0"}), "ligne 2, colonne «\u202ff\u202f»\u00a0: taux de sondage (fpc) 0 doit être positif"},
		{"fpc count", design(estimate.TableSpec{FPC: []string{"f", "g"}}, map[string]string{"f": "10", "g": "10"}),
			"2 colonnes fpc (f,g) pour 1 degré(s) de sondage\u00a0: donnez-en une par colonne de grappe"},
		{"weighted sum too large", func() error {
			tab := estimate.NewTable("r", []string{"y", "w"}, []map[string]string{{"y": "1", "w": "1e308"}, {"y": "0", "w": "1e308"}})
			d, err := estimate.DesignFromTable(tab, estimate.TableSpec{Weights: "w"})
			if err != nil {
				return err
			}
			y, _ := tab.Floats("y")
			_, err = d.Proportion(y, nil)
			return err
		}, "les poids et les valeurs sont trop grands\u00a0: leur somme pondérée dépasse 1,8e308"},
		{"not in the margins", calibrate(map[string]string{"sex": "other", "w": "1"}, map[string]string{"sex": "other", "w": "1"}, map[string]string{"sex": "x", "w": "1"}),
			"rake_on\u00a0: sex\u00a0: des valeurs données par des personnes interrogées manquent aux marges de population «\u202fp\u202f»\u00a0: «\u202fother\u202f» (2), «\u202fx\u202f» (1)\u202f; personnes interrogées concernées\u00a0: 3\u202f; ajoutez ces valeurs aux marges ou recodez les réponses"},
		{"not in the estimator's margins", func() error {
			d, err := estimate.DesignFromTable(estimate.NewTable("r", []string{"sex"}, []map[string]string{{"sex": "other"}}), estimate.TableSpec{})
			if err != nil {
				return err
			}
			_, err = d.PostStratify(estimate.Margin{Name: "sex", Cell: []string{"other"}, Pop: map[string]float64{"female": 1}})
			return err
		}, "marge «\u202fsex\u202f»\u00a0: la cellule «\u202fother\u202f» est dans l’échantillon mais pas dans les marges de population"},
		{"zero weight", calibrate(map[string]string{"sex": "female", "w": "1"}, map[string]string{"sex": "male", "w": "0"}),
			"marge «\u202fsex\u202f»\u00a0: la cellule «\u202fmale\u202f» a une population de 1 mais un poids total nul dans l’échantillon"},

		// Analysis settings and their disclosure rule.
		{"no indicators", put(with(func(s *surveys.Settings) { s.Indicators = nil })), "indicators\u00a0: aucun indicateur défini"},
		{"too many", put(with(func(s *surveys.Settings) { s.Breakdowns = make([]string, 21) })), "indicators/breakdowns\u00a0: au plus 200 indicateurs et 20 ventilations"},
		{"indicator id", put(with(func(s *surveys.Settings) { s.Indicators = []surveys.Indicator{{Field: "sex"}} })), "indicators[0]\u00a0: indicateur\u00a0: pas d’identifiant"},
		{"indicator field", put(with(func(s *surveys.Settings) { s.Indicators = []surveys.Indicator{{ID: "i"}} })), "indicators[0]\u00a0: indicateur i, field\u00a0: aucun champ de réponse indiqué"},
		{"indicator values", put(with(func(s *surveys.Settings) { s.Indicators = []surveys.Indicator{{ID: "i", Field: "sex"}} })), "indicators[0]\u00a0: indicateur i, values\u00a0: aucune valeur de réponse comptée"},
		{"indicator empty value", put(with(func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "i", Field: "sex", Values: []string{" "}}}
		})),
			"indicators[0]\u00a0: indicateur i, values\u00a0: valeur vide"},
		{"indicator both", put(with(func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "i", Field: "sex", Values: []string{"x"}, Missing: []string{"x"}}}
		})), "indicators[0]\u00a0: indicateur i\u00a0: «\u202fx\u202f» figure à la fois parmi les valeurs comptées et parmi les valeurs manquantes"},
		{"indicator twice", put(with(func(s *surveys.Settings) { s.Indicators = []surveys.Indicator{ind, ind} })), "indicators[1]\u00a0: l’identifiant «\u202fwoman\u202f» est utilisé deux fois"},
		{"fpc count", put(with(func(s *surveys.Settings) { s.FPC = []string{"w", "w"} })), "fpc\u00a0: 2 champ(s) (w, w) pour 1 degré(s) de sondage\u00a0: donnez-en un par champ de grappe, ou aucun"},
		{"rake needs a set", put(with(func(s *surveys.Settings) { s.RakeOn = []string{"region"} })), "margins\u00a0: rake_on demande un jeu de marges"},
		{"trim", put(with(func(s *surveys.Settings) { s.TrimRatio = 0.5 })), "trim_ratio\u00a0: 0.5 doit être supérieur à 1"},
		{"area field", put(with(func(s *surveys.Settings) { s.AreaField = "" })), "area_field\u00a0: nommez le champ de réponse qui contient la zone administrative"},
		{"k", put(with(func(s *surveys.Settings) { s.Disclosure.K = 1001 })), "disclosure\u00a0: k\u00a0: 1001 hors de l’intervalle 1–1000"},
		{"no quasi-identifiers", put(with(func(s *surveys.Settings) { s.Disclosure.QuasiIdentifiers = nil })),
			"disclosure\u00a0: quasi_identifiers\u00a0: choisissez-en au moins un (p. ex. region, sex, age_group)"},
		{"empty quasi-identifier", put(with(func(s *surveys.Settings) { s.Disclosure.QuasiIdentifiers = []string{" "} })), "disclosure\u00a0: quasi_identifiers\u00a0: nom vide"},
		{"quasi-identifier twice", put(with(func(s *surveys.Settings) { s.Disclosure.QuasiIdentifiers = []string{"sex", "sex"} })), "disclosure\u00a0: quasi_identifiers\u00a0: «\u202fsex\u202f» deux fois"},
		{"generalise", put(with(func(s *surveys.Settings) { s.Disclosure.Generalise = map[string]map[string]string{"age": {}} })),
			"disclosure\u00a0: generalise\u00a0: «\u202fage\u202f» n’est pas un quasi-identifiant"},
		{"max risk", put(with(func(s *surveys.Settings) { s.Disclosure.MaxRisk = 2 })), "disclosure\u00a0: max_risk\u00a0: 2 hors de l’intervalle 0–1"},
		{"rake missing", put(with(func(s *surveys.Settings) { s.RakeMissing = "drop" })),
			"rake_missing\u00a0: «\u202fdrop\u202f» n’est pas un choix\u00a0: refuse (refuser l’analyse) ou leave_out (laisser de côté ces personnes interrogées)"},
		{"no such field", put(with(func(s *surveys.Settings) { s.Weights = "pw" })), "weights\u00a0: le formulaire «\u202ft\u202f» n’a pas de champ «\u202fpw\u202f»"},
		{"rake on no dimension of the set", put(with(func(s *surveys.Settings) { s.Margins, s.RakeOn = "zero", []string{"sex"} })),
			"rake_on\u00a0: les marges de population «\u202fzero\u202f» n’ont pas de dimension «\u202fsex\u202f» (dimensions\u00a0: region)"},
		{"not a choice", put(with(func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "i", Field: "sex", Values: []string{"nope_not_an_answer"}}}
		})),
			"indicators[0].values\u00a0: «\u202fnope_not_an_answer\u202f» n’est pas un choix de la question «\u202fsex\u202f» (choix\u00a0: female, male)"},
		{"several answers to a select_one", put(with(func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "i", Field: "sex", Values: []string{"female"}, Multiple: true}}
		})),
			"indicators[0].multiple\u00a0: la question «\u202fsex\u202f» n’admet qu’une seule réponse (select_one), multiple doit donc être false"},
		{"one answer to a select_multiple", put(with(func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "fr", Field: "langs", Values: []string{"fr"}}}
		})),
			"indicators[0].multiple\u00a0: la question «\u202flangs\u202f» admet plusieurs réponses (select_multiple), multiple doit donc être true\u00a0: sinon une personne qui a choisi plus d’une réponse n’est jamais comptée"},

		// A margins CSV.
		{"too many cells", func() error {
			var b strings.Builder
			b.WriteString("region,population\n")
			for i := 0; i <= 1_000_000; i++ {
				fmt.Fprintf(&b, "r%d,1\n", i)
			}
			return margins("m", b.String())
		}, "fichier m.csv\u00a0: plus de 1000000 cellules"},
		{"margins a form rakes on", func() error {
			if err := margins("sexes", "sex,population\nfemale,1\nmale,1\n"); err != nil {
				return err
			}
			if err := put(with(func(s *surveys.Settings) { s.Margins, s.RakeOn = "sexes", []string{"sex"} }))(); err != nil {
				return err
			}
			return margins("sexes", "sex,population\nfemale,1\n")
		}, "le formulaire «\u202ft\u202f» est calé sur le jeu de marges «\u202fsexes\u202f»\u00a0: rake_on\u00a0: sex\u00a0: des valeurs données par des personnes interrogées manquent aux marges de population «\u202fsexes\u202f»\u00a0: «\u202fmale\u202f» (4)\u202f; personnes interrogées concernées\u00a0: 4\u202f; ajoutez ces valeurs aux marges ou recodez les réponses"},
		{"empty CSV", func() error { return margins("m", "") }, "m.csv\u00a0: fichier vide (un en-tête avec les colonnes des dimensions et «\u202fpopulation\u202f» est attendu)"},
		{"bad header", func() error { return margins("m", "region,\"pop\nx") }, ""},
		{"empty column name", func() error { return margins("m", "region,,population\n") }, "fichier m.csv, ligne 1, colonne 2\u00a0: nom de colonne vide"},
		{"column twice", func() error { return margins("m", "region,region,population\n") }, "fichier m.csv, ligne 1\u00a0: la colonne «\u202fregion\u202f» apparaît deux fois"},
		{"no population column", func() error { return margins("m", "region,people\n") }, "fichier m.csv, ligne 1\u00a0: pas de colonne «\u202fpopulation\u202f»"},
		{"no dimension", func() error { return margins("m", "population\n1\n") }, "fichier m.csv, ligne 1\u00a0: aucune colonne de dimension en plus de «\u202fpopulation\u202f»"},
		{"not a count", func() error { return margins("m", "region,population\nnorth,many\n") },
			"fichier m.csv, ligne 2, colonne «\u202fpopulation\u202f»\u00a0: «\u202fmany\u202f» n’est pas un effectif de population"},
		{"empty value", func() error { return margins("m", "region,population\n ,3\n") }, "fichier m.csv, ligne 2, colonne «\u202fregion\u202f»\u00a0: valeur vide"},
		{"repeated cell", func() error { return margins("m", "region,population\nnorth,3\nnorth,4\n") }, "fichier m.csv, ligne 3\u00a0: la cellule north répète la ligne 2"},
		{"no rows", func() error { return margins("m", "region,population\n") }, "m.csv\u00a0: aucune ligne de population après l’en-tête"},

		// An interlocutor log entry.
		{"date layout", meet(surveys.Interlocutor{Date: "2026-2-3", Place: "north"}), "date\u00a0: «\u202f2026-2-3\u202f» n’est pas au format AAAA-MM-JJ"},
		{"not a date", meet(surveys.Interlocutor{Date: "2026-02-30", Place: "north"}), "date\u00a0: «\u202f2026-02-30\u202f» n’est pas une date (AAAA-MM-JJ)"},
		{"no place", meet(surveys.Interlocutor{Date: "2026-02-03", Place: " "}), "place\u00a0: vide"},
		{"long role", meet(surveys.Interlocutor{Date: "2026-02-03", Place: "north", Role: strings.Repeat("r", 201)}), "role\u00a0: plus de 200 caractères"},
		{"control character", meet(surveys.Interlocutor{Date: "2026-02-03", Place: "north", Group: "a\tb"}), "group\u00a0: contient un caractère de contrôle (U+0009) à la position 2"},

		// A form upload.
		{"content type", func() error { _, _, err := svc.UploadForm(ctx, "a", "text/plain", "", nil); return err },
			"le Content-Type doit être application/xml (XForm) ou application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (XLSForm)"},
		{"same version", func() error {
			_, _, err := svc.UploadForm(ctx, "a", "application/xml", "", []byte(strings.Replace(string(refusalForm("1")), "<h:title>T", "<h:title>T2", 1)))
			return err
		}, "formulaire «\u202ft\u202f»\u00a0: le formulaire a changé mais pas sa version (toujours «\u202f1\u202f»)\u00a0: donnez une nouvelle version à la nouvelle définition"},
		{"XForm", func() error {
			_, _, err := svc.UploadForm(ctx, "a", "application/xml", "", []byte("<form/>"))
			return err
		}, "ligne 1\u00a0: l’élément racine est <form>, <h:html> attendu"},
		{"XLSForm", func() error {
			_, _, err := svc.UploadForm(ctx, "a", surveys.XLSXType, "", []byte("not a zip"))
			return err
		},
			"le fichier n’est pas un classeur .xlsx (détail technique\u00a0: archive zip non valide — zip: not a valid zip file)"},
		{"XLSForm waiting for the budget", func() error {
			release, err := xlsform.Reserve(ctx, xlsform.DecompressBudget) // other uploads hold it all
			if err != nil {
				return err
			}
			defer release()
			svc.XLSXWait = time.Millisecond
			defer func() { svc.XLSXWait = 0 }()
			_, _, err = svc.UploadForm(ctx, "a", surveys.XLSXType, "", xlsxtest.Build(t, xlsxtest.Sheet{Name: "survey", Rows: [][]string{{"type", "name"}}}))
			if e := apperr.As(err); e == nil || e.Kind != apperr.KindUnavailable || e.Field != "xlsform" {
				t.Errorf("budget held: %v, want unavailable, field xlsform", err)
			}
			return err
		}, "trop de classeurs sont en cours de lecture en même temps (détail technique\u00a0: délai dépassé — context deadline exceeded)\u00a0: réessayez dans quelques secondes"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, surveys.Refusals, reached)
	apperrtest.Catalog(t, estimate.Refusals, reached)
}

// TestWarningMessages: the warnings of an accepted form, its own (a media
// file the form does not refer to) and its XForm's (an expression the
// server will not enforce), carry their whole text as catalog messages, so
// the Administration page says them in French; every message of
// WarningMessages is said by one.
func TestWarningMessages(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	xml := strings.Replace(string(refusalForm("1")), `<bind nodeset="/t/w" type="string"/>`, `<bind nodeset="/t/w" type="string" constraint="pulldata('a', 'b')"/>`, 1)
	_, warnings, err := svc.AddForm(ctx, "a", []byte(xml), []surveys.Media{{Name: "logo.png", Content: []byte("png")}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ligne 3, /t/w\u00a0: l’expression constraint «\u202fpulldata('a', 'b')\u202f» n’est pas appliquée par le serveur (la fonction pulldata())",
		"le formulaire ne fait référence nulle part au fichier média logo.png",
	}
	if len(warnings) != len(want) {
		t.Fatalf("warnings %q, want %d", warnings, len(want))
	}
	reached := map[string]bool{}
	for i, w := range warnings {
		for _, k := range apperrtest.Said(t, want[i], w, want[i]) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, surveys.WarningMessages, reached)
}

// TestSettingsFields: a settings change the Surveys page's settings form
// sends is refused naming the setting at fault (the form's input is marked
// by it), nothing stored: the disclosure rule's own fields as
// disclosure.k, disclosure.max_risk; a design, calibration or protection
// field the form does not have; a raking dimension the margin set lacks.
// Fields of the form, and the keys every row has, are taken.
func TestSettingsFields(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	if _, _, err := svc.AddForm(ctx, "a", refusalForm("1"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutMargins(ctx, "a", "regions", strings.NewReader("region,population\nnorth,100\nsouth,80\n")); err != nil {
		t.Fatal(err)
	}
	base := surveys.Settings{Indicators: []surveys.Indicator{{ID: "woman", Field: "sex", Values: []string{"female"}}}, Breakdowns: []string{"region"}, AreaField: "region",
		Disclosure: surveys.DisclosureRule{K: 2, QuasiIdentifiers: []string{"region", "sex"}}}
	if _, err := svc.PutSettings(ctx, "a", "t", base); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, field, key string
		change           func(*surveys.Settings)
	}{
		{"k", "disclosure.k", "surveys.refusal.disclosure-rule", func(s *surveys.Settings) { s.Disclosure.K = -1 }},
		{"max risk", "disclosure.max_risk", "surveys.refusal.disclosure-rule", func(s *surveys.Settings) { s.Disclosure.MaxRisk = 1.5 }},
		{"no quasi-identifiers", "disclosure.quasi_identifiers", "surveys.refusal.disclosure-rule", func(s *surveys.Settings) { s.Disclosure.QuasiIdentifiers = nil }},
		{"trim", "trim_ratio", "surveys.refusal.trim", func(s *surveys.Settings) { s.TrimRatio = 1 }},
		{"rake missing", "rake_missing", "surveys.refusal.rake-missing", func(s *surveys.Settings) { s.RakeMissing = "drop" }},
		{"weights", "weights", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Weights = "pw" }},
		{"strata", "strata", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Strata = "stratum" }},
		{"clusters", "clusters", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Clusters = []string{"village"} }},
		{"rake on a field the form lacks", "rake_on", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Margins, s.RakeOn = "regions", []string{"age"} }},
		{"rake on a dimension the set lacks", "rake_on", "surveys.refusal.rake-dim", func(s *surveys.Settings) { s.Margins, s.RakeOn = "regions", []string{"region", "sex"} }},
		{"risk weight", "disclosure.weight", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Disclosure.Weight = "pw" }},
		{"quasi-identifier", "disclosure.quasi_identifiers", "surveys.refusal.setting-field", func(s *surveys.Settings) { s.Disclosure.QuasiIdentifiers = []string{"region", "age"} }},
		{"margins not loaded", "margins", "surveys.refusal.margins-not-loaded", func(s *surveys.Settings) { s.Margins = "census" }},
		{"counted answer not a choice", "indicators[0].values", "surveys.refusal.not-a-choice", func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "woman", Field: "sex", Values: []string{"female", "nope_not_an_answer"}}}
		}},
		{"no-answer answer not a choice", "indicators[1].missing", "surveys.refusal.not-a-choice", func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{base.Indicators[0], {ID: "north", Field: "region", Values: []string{"north"}, Missing: []string{"nope_not_an_answer"}}}
		}},
		{"several answers to a select_one", "indicators[1].multiple", "surveys.refusal.multiple-one", func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{base.Indicators[0], {ID: "north", Field: "region", Values: []string{"north"}, Multiple: true}}
		}},
		{"one answer to a select_multiple", "indicators[0].multiple", "surveys.refusal.multiple-many", func(s *surveys.Settings) {
			s.Indicators = []surveys.Indicator{{ID: "french", Field: "langs", Values: []string{"fr"}}}
		}},
	}
	for _, c := range cases {
		st := base
		st.Disclosure.QuasiIdentifiers = slices.Clone(base.Disclosure.QuasiIdentifiers)
		c.change(&st)
		_, err := svc.PutSettings(ctx, "b", "t", st)
		e := apperr.As(err)
		if e == nil || e.Field != c.field || e.Key != c.key {
			t.Errorf("%s: %v (%+v), want field %s, key %s", c.name, err, e, c.field, c.key)
		}
		if got, err := svc.StoredSettings(ctx, "t"); err != nil || fmt.Sprint(got) != fmt.Sprint(base) {
			t.Errorf("%s: stored %+v (%v), want the settings before", c.name, got, err)
		}
	}
	// What the form has is taken: its fields (w as weights and the risk's
	// weight), the keys every row has (_enumerator as clusters), the set's
	// dimensions, a select question's choices (counted or taken as no
	// answer), several answers to a select_multiple and any value of a
	// question without a choice list.
	ok := base
	ok.Weights, ok.Clusters, ok.Margins, ok.RakeOn, ok.TrimRatio, ok.RakeMissing = "w", []string{surveys.KeyEnumerator}, "regions", []string{"region"}, 5, surveys.RakeLeaveOut
	ok.Indicators = append(slices.Clone(base.Indicators), surveys.Indicator{ID: "north", Field: "region", Values: []string{"north"}, Missing: []string{"south"}},
		surveys.Indicator{ID: "heavy", Field: "w", Values: []string{"anything", "goes"}},
		surveys.Indicator{ID: "french", Field: "langs", Values: []string{"fr"}, Multiple: true})
	ok.Disclosure.Weight, ok.Disclosure.MaxRisk = "w", 0.05
	if _, err := svc.PutSettings(ctx, "b", "t", ok); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.StoredSettings(ctx, "t"); err != nil || fmt.Sprint(got) != fmt.Sprint(ok) {
		t.Errorf("stored %+v (%v), want %+v", got, err, ok)
	}
}

// TestStarterSettingsSave: the starter form's own settings (those the demo
// saves) pass the settings check, every counted and no-answer value being
// a choice of its question.
func TestStarterSettingsSave(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	if _, _, err := svc.AddForm(ctx, "a", starter.FormXML, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutSettings(ctx, "a", starter.FormID, starter.Settings()); err != nil {
		t.Fatalf("starter settings: %v", err)
	}
}

// TestSettingsRakeCheckOnChange: the answers are read (and the read
// audited) to check the raking against them only when a save changes the
// margins or the raking dimensions: settings saved again with the same
// raking (indicators, protection changed) read nothing, since their raking
// was checked when saved, a margins upload checks the forms raked on it
// and the analysis checks answers given since. A change of raking still
// reads and refuses values the margins lack.
func TestSettingsRakeCheckOnChange(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	if _, _, err := svc.AddForm(ctx, "a", refusalForm("1"), nil); err != nil {
		t.Fatal(err)
	}
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	for i, region := range []string{"north", "south", "north"} {
		x := fmt.Sprintf(`<t id="t" version="1"><round>R1</round><region>%s</region><sex>%s</sex><w>1</w><name>N</name><comment>c</comment><meta><instanceID>uuid:%d</instanceID></meta></t>`, region, []string{"female", "male"}[i%2], i)
		if _, err := svc.Submit(ctx, admin, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.PutMargins(ctx, "a", "census", strings.NewReader("region,sex,population\nnorth,female,100\nnorth,male,90\n")); err != nil { // no south
		t.Fatal(err)
	}
	reads := func() int {
		recs, err := db.AuditLog(ctx, audit.Filter{Action: "survey.read"})
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "woman", Field: "sex", Values: []string{"female"}}}, AreaField: "region", Margins: "census", RakeOn: []string{"sex"},
		Disclosure: surveys.DisclosureRule{K: 2, QuasiIdentifiers: []string{"region"}}}
	for _, c := range []struct {
		name    string
		change  func(*surveys.Settings)
		read    bool
		refused bool
	}{
		{"first save", func(*surveys.Settings) {}, true, false},
		{"same raking, another indicator", func(s *surveys.Settings) { s.Indicators[0].ID = "women" }, false, false},
		{"same raking, another k", func(s *surveys.Settings) { s.Disclosure.K = 3 }, false, false},
		{"raking on region too", func(s *surveys.Settings) { s.RakeOn = []string{"sex", "region"} }, true, true},
		{"no raking", func(s *surveys.Settings) { s.RakeOn = nil }, false, false},
		{"raking again", func(s *surveys.Settings) { s.RakeOn = []string{"sex"} }, true, false},
	} {
		before := reads()
		c.change(&st)
		_, err := svc.PutSettings(ctx, "a", "t", st)
		if refused := err != nil; refused != c.refused || (err != nil && apperr.As(err).Key != "surveys.refusal.rake-values") {
			t.Errorf("%s: %v, want refused %v", c.name, err, c.refused)
		}
		if err != nil {
			st.RakeOn = []string{"sex"} // as stored
		}
		if read := reads() > before; read != c.read {
			t.Errorf("%s: answers read %v, want %v", c.name, read, c.read)
		}
	}
}
