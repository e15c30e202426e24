package surveys

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strings"
	"testing"
)

// naiveMatches counts, for record i, the records compatible with it ("*"
// matches anything), by brute force.
func naiveMatches(rows []map[string]string, qis []string, i int) int {
	n := 0
	for j := range rows {
		ok := true
		for _, q := range qis {
			a, b := rows[i][q], rows[j][q]
			if a != b && a != Suppressed && b != Suppressed {
				ok = false
				break
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// TestProtectAPI protects the stratified API sample with county, school
// type and awards as quasi-identifiers: many county × type combinations
// are held by one or two schools.
func TestProtectAPI(t *testing.T) {
	rows := apiRows(t, "apistrat.csv")
	rows[0]["location"] = "-1.2921 36.8219 1650 5" // a GPS answer must never leave
	rows[0]["_instance_id"] = "uuid:abc"
	qis := []string{"cname", "stype", "awards"}
	for _, k := range []int{2, 5, 10} {
		rule := DisclosureRule{K: k, QuasiIdentifiers: qis, Weight: "pw", Generalise: map[string]map[string]string{"stype": {"E": "E", "M": "M/H", "H": "M/H"}}, Drop: []string{"name", "sname", "dname", "cds"}}
		out, rep, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		if rep.UnsafeBefore == 0 {
			t.Fatalf("k=%d: no risky records before protection", k)
		}
		for i := range out {
			if m := naiveMatches(out, qis, i); m < k {
				t.Fatalf("k=%d: record %d (%v %v %v) compatible with %d records", k, i, out[i]["cname"], out[i]["stype"], out[i]["awards"], m)
			}
		}
		if rep.UnsafeAfter != 0 || rep.MeanRiskAfter > rep.MeanRiskBefore || !rep.Passes || !rep.MeanRiskChecked {
			t.Errorf("k=%d: report %+v", k, rep)
		}
		for _, f := range []string{"location", "_instance_id", "name", "cds"} {
			if _, ok := out[0][f]; ok {
				t.Errorf("k=%d: field %s exported", k, f)
			}
		}
		if rows[0]["location"] == "" || rows[3]["cname"] == Suppressed {
			t.Error("Protect modified its input")
		}
		if len(rep.Generalised) != 1 || rep.Generalised[0] != "stype" {
			t.Errorf("generalised %v", rep.Generalised)
		}
		t.Logf("k=%d: %d below k before (mean risk %.4f), %d records blocked (%d values), mean risk after %.4f, passes=%v",
			k, rep.UnsafeBefore, rep.MeanRiskBefore, rep.RecordsBlocked, rep.ValuesBlocked, rep.MeanRiskAfter, rep.Passes)
		// Without weights the risk is measured in the file alone.
		rule.Weight = ""
		_, rep2, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		if rep2.MaxRiskAfter > 1/float64(k)+1e-12 || rep2.UnsafeAfter != 0 {
			t.Errorf("k=%d unweighted: %+v", k, rep2)
		}
		// ... and k alone decides: the report says the mean-risk threshold
		// was not applied, even when the file's mean is above it.
		rule.MaxRisk = rep2.MeanRiskAfter / 2
		_, rep3, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		if rep3.MeanRiskChecked || !rep3.Passes || rep3.MeanRiskAfter <= rep3.MaxRisk {
			t.Errorf("k=%d unweighted, max risk %.4f: checked %v, passes %v, mean %.4f", k, rule.MaxRisk, rep3.MeanRiskChecked, rep3.Passes, rep3.MeanRiskAfter)
		}
	}
}

func TestExportHXLAndFormulas(t *testing.T) {
	rows := []map[string]string{
		{"region": "North", "sex": "female", "q_note": "=HYPERLINK(\"x\")", "score": "-3"},
		{"region": "North", "sex": "male", "q_note": "+cmd", "score": "4"},
		// A leading tab or carriage return too (OWASP's CSV injection list,
		// as the pages' Vigil.csvURL guards them).
		{"region": "South", "sex": "female", "q_note": "\t=cmd|' /C calc'!A0", "score": "+2.5"},
		{"region": "South", "sex": "male", "q_note": "\r@SUM(1+1)", "score": "-0.5"},
	}
	rule := DisclosureRule{K: 1, QuasiIdentifiers: []string{"region", "sex"}}
	out, _, err := Protect(rows, rule)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteExport(&b, out, ExportColumns(out, rule), true, map[string]string{"q_note": "#description"}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"region", "sex", "q_note", "score"},
		{"#adm1 +name", "#respondee +sex", "#description", "#indicator +score"},
		{"North", "female", "'=HYPERLINK(\"x\")", "-3"},
		{"North", "male", "'+cmd", "4"},
		{"South", "female", "'\t=cmd|' /C calc'!A0", "+2.5"},
		{"South", "male", "'\r@SUM(1+1)", "-0.5"},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %v", recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d: %q, want %q", i+1, recs[i], want[i])
		}
	}
}

func TestDisclosureRuleErrors(t *testing.T) {
	for _, r := range []DisclosureRule{
		{K: 5},
		{K: -1, QuasiIdentifiers: []string{"a"}},
		{K: 5, QuasiIdentifiers: []string{"a", "a"}},
		{K: 5, QuasiIdentifiers: []string{"a"}, Generalise: map[string]map[string]string{"b": {}}},
		{K: 5, QuasiIdentifiers: []string{"a"}, Drop: []string{"a"}},
	} {
		if _, _, err := Protect([]map[string]string{{"a": "1"}}, r); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}

func FuzzProtect(f *testing.F) {
	f.Add("a,b\n1,x\n1,y\n2,x\n", 2)
	f.Add("a,meta/instanceID,c[1]/deviceid\n1,uuid:x,p\n1,uuid:y,q\n", 1)
	f.Fuzz(func(t *testing.T, data string, k int) {
		recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
		if err != nil || len(recs) < 2 || len(recs[0]) == 0 || k < 1 || k > 20 {
			return
		}
		var rows []map[string]string
		for _, r := range recs[1:] {
			m := map[string]string{}
			for j, v := range r {
				if j < len(recs[0]) {
					m[recs[0][j]] = v
				}
			}
			rows = append(rows, m)
		}
		rule := DisclosureRule{K: k, QuasiIdentifiers: []string{recs[0][0]}}
		if rule.Validate() != nil {
			return
		}
		out, rep, err := Protect(rows, rule)
		if err != nil {
			return
		}
		for i := range out {
			for key := range out[i] {
				if IsIdentifier(key) {
					t.Fatalf("record %d exports identifier %q", i, key)
				}
			}
			if m := naiveMatches(out, rule.QuasiIdentifiers, i); m < k && len(out) >= k {
				t.Fatalf("record %d compatible with %d < %d (%+v)", i, m, k, rep)
			}
		}
	})
}

func TestIsIdentifier(t *testing.T) {
	for _, c := range []struct {
		key  string
		want bool
	}{
		{"_instance_id", true}, {"_enumerator", true}, {"meta/instanceID", true},
		{"meta/instanceName", true}, {"meta/deprecatedID", true}, {"deviceid", true},
		{"group/phonenumber", true}, {"hh/member[2]/meta/x", true}, {"username", true},
		{"region", false}, {"_received", false}, {"metadata_note", false}, {"q_safety", false},
	} {
		if got := IsIdentifier(c.key); got != c.want {
			t.Errorf("IsIdentifier(%q) = %v", c.key, got)
		}
	}
}

// TestProtectFreeText: free-text answers leave only when named, repeat
// instances included; the report lists those left out.
func TestProtectFreeText(t *testing.T) {
	rows := []map[string]string{
		{"region": "north", "comment": "Amina told me", "hh/member[1]/name": "Amina", "meta/instanceID": "uuid:1"},
		{"region": "north", "comment": "nothing", "hh/member[2]/name": "Ali", "meta/instanceID": "uuid:2"},
	}
	for _, c := range []struct {
		text         []string
		wantCols     string
		wantExcluded string
	}{
		{nil, "region", "comment,hh/member/name"},
		{[]string{"comment"}, "region,comment", "hh/member/name"},
		{[]string{"hh/member/name"}, "region,hh/member[1]/name,hh/member[2]/name", "comment"},
	} {
		rule := DisclosureRule{K: 1, QuasiIdentifiers: []string{"region"}, FreeText: []string{"comment", "hh/member/name"}, Text: c.text}
		out, rep, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ExportColumns(out, rule), ","); got != c.wantCols {
			t.Errorf("text %v: columns %s, want %s", c.text, got, c.wantCols)
		}
		if got := strings.Join(rep.FreeTextExcluded, ","); got != c.wantExcluded {
			t.Errorf("text %v: excluded %s, want %s", c.text, got, c.wantExcluded)
		}
		if !slices.Contains(rep.Dropped, "meta/instanceID") {
			t.Errorf("dropped %v", rep.Dropped)
		}
	}
}

// TestRiskSumsInKeyOrder: the weights of the records compatible with a
// combination are summed in a fixed order, so that the report's risks are
// the same to the bit from one export to the next. The weights are chosen
// so that the order shows: 1e16 + 1 rounds to 1e16 (ties to even), so
// adding the 1s one by one after 1e16 leaves it there, while adding them
// first gives 1e16 + 8; a sum in the index's map order gave one or the
// other.
func TestRiskSumsInKeyOrder(t *testing.T) {
	qis := []string{"a", "b", "c"}
	var rows []map[string]string
	for i, tuple := range [][3]string{
		{"x", "y", "z"}, {Suppressed, "y", "z"}, {"x", Suppressed, "z"}, {"x", "y", Suppressed},
		{Suppressed, Suppressed, "z"}, {Suppressed, "y", Suppressed}, {"x", Suppressed, Suppressed}, {Suppressed, Suppressed, Suppressed},
	} {
		w := "1"
		if i == 4 {
			w = "1e16"
		}
		rows = append(rows, map[string]string{"a": tuple[0], "b": tuple[1], "c": tuple[2], "w": w})
	}
	rule := DisclosureRule{K: 2, QuasiIdentifiers: qis, Weight: "w", MaxRisk: 0.5}
	bits := func(r *DisclosureReport) [4]uint64 {
		return [4]uint64{math.Float64bits(r.MeanRiskBefore), math.Float64bits(r.MaxRiskBefore), math.Float64bits(r.MeanRiskAfter), math.Float64bits(r.MaxRiskAfter)}
	}
	_, first, err := Protect(rows, rule)
	if err != nil {
		t.Fatal(err)
	}
	for run := range 200 {
		_, rep, err := Protect(rows, rule)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := bits(rep), bits(first); got != want {
			t.Fatalf("run %d: risks (mean, max before; mean, max after) %v %v %v %v, first run %v %v %v %v", run+2,
				rep.MeanRiskBefore, rep.MaxRiskBefore, rep.MeanRiskAfter, rep.MaxRiskAfter, first.MeanRiskBefore, first.MaxRiskBefore, first.MeanRiskAfter, first.MaxRiskAfter)
		}
	}
}
