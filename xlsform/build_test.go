package xlsform_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/xform"
	"github.com/vigil-project/vigil/xlsform"
)

var update = flag.Bool("update", false, "rewrite golden files")

type sheet struct {
	name string
	rows [][]string
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// makeXLSX writes a minimal .xlsx: inline strings, one part per sheet.
func makeXLSX(t testing.TB, sheets ...sheet) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, xmlEsc(s.name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		var ws strings.Builder
		ws.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for r, row := range s.rows {
			fmt.Fprintf(&ws, `<row r="%d">`, r+1)
			for c, v := range row {
				if v == "" {
					continue
				}
				fmt.Fprintf(&ws, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+c, r+1, xmlEsc(v))
			}
			ws.WriteString(`</row>`)
		}
		ws.WriteString(`</sheetData></worksheet>`)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), ws.String())
	}
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var perceptionSurvey = sheet{"survey", [][]string{
	{"type", "name", "label::English (en)", "label::French (fr)", "hint::English (en)", "hint::French (fr)", "required", "relevant", "constraint", "constraint_message::English (en)", "constraint_message::French (fr)", "calculation", "appearance"},
	{"select_one regions", "region", "Region", "Région", "", "", "yes"},
	{"begin group", "respondent", "Respondent", "Répondant", "", "", "", "", "", "", "", "", "field-list"},
	{"integer", "age", "Age", "Âge", "In years", "En années", "yes", "", ". >= 18 and . <= 110", "Adults only", "Adultes seulement"},
	{"select_one sex", "sex", "Sex", "Sexe", "", "", "yes"},
	{"end group"},
	{"select_one safety", "safety", "How safe do you feel?", "Vous sentez-vous en sécurité ?", "", "", "yes"},
	{"select_multiple sources", "sources", "Sources of information", "Sources d'information", "", "", "", "", "not(selected(., 'none') and count-selected(.) > 1)"},
	{"decimal", "distance", "Distance to the base (km)", "Distance de la base (km)", "", "", "", "", ". >= 0"},
	{"date", "interview_date", "Date", "Date"},
	{"geopoint", "location", "Location", "Position"},
	{"begin repeat", "member", "Household member", "Membre du ménage"},
	{"text", "member_name", "Name", "Nom"},
	{"integer", "member_age", "Age", "Âge", "", "", "", "", ". < 120"},
	{"end repeat"},
	{"calculate", "adult", "", "", "", "", "", "", "", "", "", "if(${age} >= 18, 'yes', 'no')"},
	{"select_one yes_no", "displaced", "Displaced?", "Déplacé ?"},
	{"text", "camp", "Which camp?", "Quel camp ?", "", "", "yes", "${displaced} = 'yes'"},
	{"note", "thanks", "Thank you ${region}", "Merci ${region}"},
}}

var perceptionChoices = sheet{"choices", [][]string{
	{"list_name", "name", "label::English (en)", "label::French (fr)"},
	{"regions", "gao", "Gao", "Gao"}, {"regions", "mopti", "Mopti", "Mopti"},
	{"sex", "female", "Female", "Femme"}, {"sex", "male", "Male", "Homme"},
	{"safety", "safe", "Safe", "En sécurité"}, {"safety", "unsafe", "Unsafe", "Pas en sécurité"},
	{"sources", "radio", "Radio", "Radio"}, {"sources", "mission", "The mission", "La mission"}, {"sources", "none", "None", "Aucune"},
	{"yes_no", "yes", "Yes", "Oui"}, {"yes_no", "no", "No", "Non"},
}}

var perceptionSettings = sheet{"settings", [][]string{
	{"form_title", "form_id", "version", "default_language"},
	{"Perception survey", "perception", "2026112501", "English (en)"},
}}

func TestBilingualForm(t *testing.T) {
	in := makeXLSX(t, perceptionSurvey, perceptionChoices, perceptionSettings)
	out, err := xlsform.Convert(in, xlsform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		os.WriteFile("testdata/perception.xml", out, 0o644)
	}
	want, err := os.ReadFile("testdata/perception.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("output differs from testdata/perception.xml (run with -update and review)")
	}
	f, err := xform.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "perception" || f.Version != "2026112501" || f.Title != "Perception survey" || strings.Join(f.Languages, "|") != "English (en)|French (fr)" || f.DefaultLang != "English (en)" {
		t.Errorf("form = %q %q %q %q (default %q)", f.ID, f.Version, f.Title, f.Languages, f.DefaultLang)
	}
	if !f.Repeats["/data/member"] {
		t.Errorf("repeat /data/member missing: %v", f.Repeats)
	}
	wantTypes := map[string]string{"/data/region": "string", "/data/respondent/age": "int", "/data/distance": "decimal", "/data/interview_date": "date",
		"/data/location": "geopoint", "/data/member/member_age": "int", "/data/adult": "string", "/data/thanks": "string"}
	for p, typ := range wantTypes {
		if b := f.Binds[p]; b == nil || b.Type != typ {
			t.Errorf("bind %s = %+v, want type %s", p, b, typ)
		}
	}
	if b := f.Binds["/data/camp"]; b == nil || b.Relevant == nil || strings.TrimSpace(b.Relevant.Src) != "/data/displaced  = 'yes'" || b.Required == nil {
		t.Errorf("camp bind = %+v", b)
	}
	if b := f.Binds["/data/thanks"]; b.Readonly != "true()" {
		t.Errorf("note not read-only: %+v", b)
	}
	for _, s := range []string{`<text id="/data/respondent/age:jr:constraintMsg"><value>Adultes seulement</value></text>`,
		`<label ref="jr:itext('/data/region:label')"/>`, `<value>Merci <output value=" /data/region "/></value>`,
		`<group appearance="field-list" ref="/data/respondent">`, `<repeat nodeset="/data/member">`, `<member jr:template="">`,
		`<item><itextId>regions-0</itextId><name>gao</name></item>`, `<text id="sex-0"><value>Femme</value></text>`} {
		if !strings.Contains(string(out), s) {
			t.Errorf("output lacks %s", s)
		}
	}
	// A submission of the converted form is checked with its rules.
	sub := func(age string) []byte {
		return []byte(`<data id="perception" version="2026112501"><region>gao</region><respondent><age>` + age + `</age><sex>female</sex></respondent><safety>safe</safety><displaced>no</displaced><member><member_name>A</member_name><member_age>7</member_age></member><meta><instanceID>uuid:x</instanceID></meta></data>`)
	}
	if _, err := f.Validate(sub("30")); err != nil {
		t.Errorf("valid submission refused: %v", err)
	}
	bad := strings.Replace(string(sub("30")), "<region>gao</region>", "<region>timbuktu</region>", 1)
	if _, err := f.Validate([]byte(bad)); err == nil || !strings.Contains(err.Error(), `/data/region: "timbuktu" is not one of the choices (gao, mopti)`) {
		t.Errorf("choice not checked against the itemset's list: %v", err)
	}
	if _, err := f.Validate(sub("12")); err == nil || !strings.Contains(err.Error(), "/data/respondent/age") {
		t.Errorf("constraint not enforced: %v", err)
	}
}

func TestSingleLanguage(t *testing.T) {
	in := makeXLSX(t, sheet{"survey", [][]string{
		{"type", "name", "label", "required_message"},
		{"text", "name", "Your name", ""},
		{"integer", "n", "How many?"},
		{"select_one yn", "ok", "OK?"},
	}}, sheet{"choices", [][]string{{"list name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}}})
	out, err := xlsform.Convert(in, xlsform.Options{Name: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := xform.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "tiny" || f.RootName != "tiny" || len(f.Languages) != 0 || !strings.Contains(string(out), "<label>Your name</label>") {
		t.Errorf("id %q root %q langs %q\n%s", f.ID, f.RootName, f.Languages, out)
	}
}

func TestConvertErrors(t *testing.T) {
	choices := sheet{"choices", [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}}}
	survey := func(rows ...[]string) sheet {
		return sheet{"survey", append([][]string{{"type", "name", "label", "relevant", "constraint", "calculation"}}, rows...)}
	}
	tests := []struct {
		name   string
		sheets []sheet
		want   string
	}{
		{"no survey sheet", []sheet{choices, {"settings", [][]string{{"form_id"}, {"x"}}}}, "survey sheet: the workbook has no sheet named survey"},
		{"no type column", []sheet{{"survey", [][]string{{"name", "label"}, {"a", "A"}}}}, "survey sheet, row 1: the header row needs the columns type and name"},
		{"unknown type", []sheet{survey([]string{"txt", "a", "A"})}, `survey sheet, row 2, column type: unknown question type "txt"`},
		{"no list name", []sheet{survey([]string{"select_one", "a", "A"}), choices}, `survey sheet, row 2, column type: "select_one" needs a choice list name`},
		{"unknown list", []sheet{survey([]string{"select_one colours", "a", "A"}), choices}, `survey sheet, row 2, column type: choice list "colours" is not in the choices sheet`},
		{"no choices sheet", []sheet{survey([]string{"select_one yn", "a", "A"})}, `survey sheet, row 2, column type: "select_one yn": the workbook has no choices sheet`},
		{"duplicate name", []sheet{survey([]string{"text", "a", "A"}, []string{"integer", "a", "B"})}, `survey sheet, row 3, column name: duplicate name "a" (also at row 2)`},
		{"bad name", []sheet{survey([]string{"text", "1a", "A"})}, `survey sheet, row 2, column name: "1a" is not a valid name`},
		{"missing name", []sheet{survey([]string{"text", "", "A"})}, `survey sheet, row 2, column name: text has no name`},
		{"unmatched end", []sheet{survey([]string{"text", "a", "A"}, []string{"end group"})}, `survey sheet, row 3, column type: "end group" without a matching begin group`},
		{"unclosed group", []sheet{survey([]string{"begin group", "g", "G"}, []string{"text", "a", "A"})}, `survey sheet, row 2, column type: begin group "g" is never ended`},
		{"crossed end", []sheet{survey([]string{"begin repeat", "r", "R"}, []string{"text", "a", "A"}, []string{"end group"})}, `survey sheet, row 4, column type: "end group" closes the repeat "r" begun at row 2`},
		{"broken relevant", []sheet{survey([]string{"text", "a", "A"}, []string{"text", "b", "B", "${a} = "})}, "survey sheet, row 3, column relevant: XPath syntax error"},
		{"broken constraint", []sheet{survey([]string{"integer", "a", "A", "", ". > 1 ) 2"})}, "survey sheet, row 2, column constraint: XPath syntax error"},
		{"unknown reference", []sheet{survey([]string{"text", "a", "A", "${b} = 1"})}, "survey sheet, row 2, column relevant: ${b} refers to no question"},
		{"calculate without calculation", []sheet{survey([]string{"calculate", "c"})}, `survey sheet, row 2, column calculation: calculate "c" has no calculation`},
		{"duplicate choice", []sheet{survey([]string{"select_one yn", "a", "A"}), {"choices", [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "y", "Oui"}}}}, `choices sheet, row 3, column name: duplicate choice "y" in list "yn" (also at row 2)`},
		{"unsupported column", []sheet{{"survey", [][]string{{"type", "name", "label", "parameters"}, {"text", "a", "A"}, {"text", "r", "R", "max-pixels=640"}}}}, `survey sheet, row 3, column parameters: column "parameters" is not supported`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xlsform.Convert(makeXLSX(t, tc.sheets...), xlsform.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
		})
	}
	for _, bad := range [][]byte{nil, []byte("not a zip"), makeXLSX(t)} {
		if _, err := xlsform.Convert(bad, xlsform.Options{}); err == nil {
			t.Errorf("Convert(%q) succeeded", bad)
		}
	}
}

func FuzzConvert(f *testing.F) {
	f.Add(makeXLSX(f, perceptionSurvey, perceptionChoices, perceptionSettings))
	f.Add(makeXLSX(f, sheet{"survey", [][]string{{"type", "name", "label"}, {"begin group", "g"}, {"text", "a", "${a}"}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := xlsform.Convert(b, xlsform.Options{})
		if err != nil {
			return
		}
		if _, err := xform.Parse(out); err != nil {
			t.Fatalf("converted form does not parse: %v\n%s", err, out)
		}
	})
}

func FuzzConvertSheets(f *testing.F) {
	f.Add("text a A\ninteger b B . > 1\nbegin group g G\nselect_one yn c C\nend group", "yn y Y\nyn n N")
	f.Fuzz(func(t *testing.T, survey, choices string) {
		toSheet := func(name string, header []string, s string) xlsform.Sheet {
			sh := xlsform.Sheet{Name: name, Rows: [][]string{header}, RowNums: []int{1}}
			for i, line := range strings.Split(s, "\n") {
				sh.Rows = append(sh.Rows, strings.SplitN(line, " ", len(header)))
				sh.RowNums = append(sh.RowNums, i+2)
			}
			return sh
		}
		sheets := []xlsform.Sheet{toSheet("survey", []string{"type", "name", "label", "constraint"}, survey), toSheet("choices", []string{"list_name", "name", "label"}, choices)}
		// "select_one yn" needs two words in type: join the first two fields
		for i, r := range sheets[0].Rows[1:] {
			if len(r) > 1 && strings.HasPrefix(r[0], "select_") {
				sheets[0].Rows[i+1] = append([]string{r[0] + " " + r[1]}, r[2:]...)
			}
		}
		out, err := xlsform.ConvertSheets(sheets, xlsform.Options{})
		if err != nil {
			return
		}
		if _, err := xform.Parse(out); err != nil {
			t.Fatalf("converted form does not parse: %v\n%s", err, out)
		}
	})
}
