package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestSurveyRakeValuesChecked: settings that rake on a dimension whose
// collected answers hold values the margins lack are refused when saved,
// naming the dimension, the values and how many respondents gave them
// (keyed, said in French too); so is a margins upload that would leave a
// form's saved raking so; nothing is written. On SQLite and PostgreSQL.
func TestSurveyRakeValuesChecked(t *testing.T) {
	// The starter answers: displacement is idp or resident, region north,
	// centre or south.
	full := "displacement,population\nresident,90000\nidp,30000\nreturnee,5000\n"
	lacking := "displacement,population\nresident,90000\nreturnee,5000\n"
	noDim := "region,population\nnorth,100\ncentre,100\nsouth,100\n"
	settings := func(margins string) string {
		return `{"indicators":[{"id":"safe","field":"q_safety","values":["very_safe","safe"]}],"breakdowns":["region"],"margins":"` + margins + `","rake_on":["displacement"],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region","sex"]}}`
	}
	for _, d := range sharedDBs(t) {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			keys, err := crypt.Load(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			e := newSAEnvOn(t, d.a, keys)
			base := "/api/v1/surveys/forms/" + starter.FormID
			idp := 0
			for _, x := range starterAnswers(t) {
				if strings.Contains(x, "<displacement>idp<") {
					idp++
				}
			}
			for _, m := range []struct{ name, csv string }{{"full", full}, {"lacking", lacking}, {"nodim", noDim}} {
				if code, body, _ := e.do("PUT", "/api/v1/surveys/margins/"+m.name, "ana", "text/csv", m.csv); code != 200 {
					t.Fatalf("margins %s: %d %s", m.name, code, body)
				}
			}
			saved := func() int {
				recs, err := d.a.AuditLog(ctx, audit.Filter{Action: "survey.settings.save"})
				if err != nil {
					t.Fatal(err)
				}
				return len(recs)
			}

			// Settings raking on margins that lack idp: refused, naming it.
			code, body, _ := e.do("PUT", base+"/analysis/settings", "ana", "application/json", settings("lacking"))
			var refusal struct {
				Error, Field, Key string
				Args              map[string]string
			}
			_ = json.Unmarshal(body, &refusal)
			wantEN := `rake_on: displacement: values given by respondents are missing from population margins "lacking": "idp" (` + itoa(idp) + `); respondents concerned: ` + itoa(idp) + `; add the values to the margins or recode the answers`
			if code != 400 || refusal.Field != "rake_on" || refusal.Error != wantEN || refusal.Key != "surveys.refusal.rake-values" {
				t.Errorf("settings raking on lacking margins: %d %s\nwant 400 on rake_on: %s", code, body, wantEN)
			}
			wantFR := "rake_on\u00a0: displacement\u00a0: des valeurs données par des personnes interrogées manquent aux marges de population «\u202flacking\u202f»\u00a0: «\u202fidp\u202f» (" + itoa(idp) + ")\u202f; personnes interrogées concernées\u00a0: " + itoa(idp) + "\u202f; ajoutez ces valeurs aux marges ou recodez les réponses"
			if fr := (apperr.Message{Key: refusal.Key, Args: refusal.Args}).Text("fr"); fr != wantFR {
				t.Errorf("in French: %s\nwant %s", fr, wantFR)
			}
			if n := saved(); n != 0 {
				t.Errorf("%d settings saved after a refusal", n)
			}
			if code, body, _ = e.do("GET", base+"/analysis/settings", "ana", "", ""); code != 200 || strings.Contains(string(body), "lacking") {
				t.Errorf("settings after the refusal: %d %s", code, body)
			}

			// Margins that have every value: saved, and the analysis rakes.
			if code, body, _ = e.do("PUT", base+"/analysis/settings", "ana", "application/json", settings("full")); code != 200 {
				t.Fatalf("settings on full margins: %d %s", code, body)
			}
			if code, body, _ = e.do("GET", base+"/analysis", "ana", "", ""); code != 200 || !strings.Contains(string(body), "post-stratified on displacement") {
				t.Errorf("analysis: %d %.300s", code, body)
			}

			// Replacing the margins the saved settings rake on by a set
			// without idp, or without the dimension: refused, the stored
			// set unchanged.
			for _, c := range []struct{ csv, key, want string }{
				{lacking, "surveys.refusal.rake-values", `"idp" (` + itoa(idp) + `)`},
				{noDim, "surveys.refusal.no-dim", `no dimension "displacement"`},
			} {
				code, body, _ = e.do("PUT", "/api/v1/surveys/margins/full", "ana", "text/csv", c.csv)
				refusal.Key, refusal.Args = "", nil
				_ = json.Unmarshal(body, &refusal)
				if code != 409 || refusal.Field != "body" || refusal.Key != "surveys.refusal.margins-raked" || refusal.Args["2.key"] != c.key || !strings.Contains(refusal.Error, `form "vigil_perception" rakes on margin set "full"`) || !strings.Contains(refusal.Error, c.want) {
					t.Errorf("margins replaced: %d %s, want 409 on body saying %s", code, body, c.want)
				}
			}
			if code, body, _ = e.do("GET", "/api/v1/surveys/margins/full", "ana", "", ""); code != 200 || !strings.Contains(string(body), `"idp"`) {
				t.Errorf("margins after the refusal: %d %.300s", code, body)
			}
			// An answer given after the settings were saved with a value the
			// margins lack: the analysis says it the same way.
			x := strings.Replace(starterAnswers(t)[0], "<displacement>", "<displacement>refugee", 1)
			x = strings.Replace(strings.Replace(x, "<displacement>refugeeidp", "<displacement>refugee", 1), "<displacement>refugeeresident", "<displacement>refugee", 1)
			x = strings.Replace(x, "uuid:api-0<", "uuid:api-late<", 1)
			if _, err := e.svc.Submit(ctx, &auth.User{Name: "loader", Role: auth.Admin}, []byte(x), nil); err != nil {
				t.Fatal(err)
			}
			code, body, _ = e.do("GET", base+"/analysis", "ana", "", "")
			refusal.Key = ""
			_ = json.Unmarshal(body, &refusal)
			if code != 422 || refusal.Key != "surveys.refusal.rake-values" || !strings.Contains(refusal.Error, `"refugee" (1); respondents concerned: 1`) {
				t.Errorf("analysis with a late answer the margins lack: %d %s", code, body)
			}
			// Another set is free to lack idp: no form rakes on it.
			if code, body, _ = e.do("PUT", "/api/v1/surveys/margins/lacking", "ana", "text/csv", lacking); code != 200 {
				t.Errorf("margins no form rakes on: %d %s", code, body)
			}
		})
	}
}
