package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys/starter"
)

// namedStarter is the starter form with a free-text question for the
// respondent's name, a device id and an instance name in meta (as many
// real forms have), under a new version.
func namedStarter(t *testing.T) []byte {
	t.Helper()
	x := string(starter.FormXML)
	rep := func(old, new string) {
		if !strings.Contains(x, old) {
			t.Fatalf("starter form has no %q", old)
		}
		x = strings.Replace(x, old, new, 1)
	}
	rep(`version="2026112501"`, `version="2026120401"`)
	rep(`<location/>`, `<location/><respondent_name/><deviceid/>`)
	rep(`<instanceID/>`, `<instanceID/><instanceName/>`)
	rep(`<bind nodeset="/perception/location"`, `<bind nodeset="/perception/respondent_name" type="string"/><bind nodeset="/perception/deviceid" type="string" jr:preload="property" jr:preloadParams="deviceid"/><bind nodeset="/perception/meta/instanceName" type="string"/><bind nodeset="/perception/location"`)
	rep(`<input ref="/perception/location">`, `<input ref="/perception/respondent_name"><label>Name</label></input><input ref="/perception/location">`)
	return []byte(x)
}

// TestSurveyExportLeavesOutIdentifiersAndFreeText: an export that passes
// k-anonymity carries no instance id (neither _instance_id nor
// meta/instanceID), no device id or instance name, and no free-text
// answer unless the analyst names it; the report lists the free-text
// fields left out.
func TestSurveyExportLeavesOutIdentifiersAndFreeText(t *testing.T) {
	e := newSAEnv(t)
	ctx := context.Background()
	if _, _, err := e.svc.AddForm(ctx, "test", namedStarter(t), nil); err != nil {
		t.Fatal(err)
	}
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	names := []string{"Amina Oumarou", "Jean-Baptiste Ndoye", "Fatimé Mahamat", "Ousmane Diallo", "Clarisse Ngaba", "Idriss Abakar"}
	for i, n := range names {
		x := fmt.Sprintf(`<perception id="vigil_perception" version="2026120401"><round>R1</round><consent>yes</consent><region>north</region><admin2>AD01</admin2><sex>female</sex><age_group>25_34</age_group><displacement>idp</displacement><q_safety>safe</q_safety><q_trust>a_lot</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>tv</q_sources><respondent_name>%s</respondent_name><deviceid>collect:PHONE%d</deviceid><meta><instanceID>uuid:named-%d</instanceID><instanceName>%s</instanceName></meta></perception>`, n, i, i, n)
		if _, err := e.svc.Submit(ctx, admin, []byte(x), nil); err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	base := "/api/v1/surveys/forms/" + starter.FormID

	code, body, _ := e.do("GET", base+"/export?round=R1", "ana", "", "")
	if code != 200 {
		t.Fatalf("export: %d %s", code, body)
	}
	for _, leak := range append([]string{"uuid:", "PHONE", "respondent_name", "instanceID", "instanceName", "deviceid"}, names...) {
		if strings.Contains(string(body), leak) {
			t.Errorf("export contains %q", leak)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+91+len(names) {
		t.Errorf("%d lines", len(recs))
	}
	cols := strings.Join(recs[0], ",")
	for _, want := range []string{"region", "admin2", "round", "q_safety"} {
		if !strings.Contains(cols, want) {
			t.Errorf("column %s missing from %s", want, cols)
		}
	}

	code, body, _ = e.do("GET", base+"/export?format=report&round=R1", "ana", "", "")
	var rep struct {
		Passes   bool     `json:"passes"`
		Dropped  []string `json:"dropped_fields"`
		Excluded []string `json:"free_text_excluded"`
	}
	if err := json.Unmarshal(body, &rep); code != 200 || err != nil {
		t.Fatalf("report: %d %s", code, body)
	}
	if !rep.Passes || strings.Join(rep.Excluded, ",") != "respondent_name" {
		t.Errorf("report: passes %v, free text excluded %v", rep.Passes, rep.Excluded)
	}
	for _, f := range []string{"_instance_id", "_enumerator", "meta/instanceID", "meta/instanceName", "deviceid", "location"} {
		if !slices.Contains(rep.Dropped, f) {
			t.Errorf("report does not list %s as dropped: %v", f, rep.Dropped)
		}
	}

	// Named explicitly, the free text is exported; identifiers never are.
	code, body, _ = e.do("GET", base+"/export?round=R1&text=respondent_name", "ana", "", "")
	if code != 200 || !strings.Contains(string(body), "Amina Oumarou") || strings.Contains(string(body), "uuid:") {
		t.Errorf("export with text=respondent_name: %d %.300s", code, body)
	}
	for _, c := range []struct{ q, want string }{
		{"text=q_safety", `"field":"text"`},
		{"text=nope", `"field":"text"`},
		{"text=meta/instanceName", `"field":"text"`},
	} {
		if code, body, _ := e.do("GET", base+"/export?round=R1&"+c.q, "ana", "", ""); code != 400 || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %s", c.q, code, body)
		}
	}
}
