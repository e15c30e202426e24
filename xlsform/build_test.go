package xlsform_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil/golden"
	"github.com/vigil-project/vigil/internal/testutil/xlsxtest"
	"github.com/vigil-project/vigil/xform"
	"github.com/vigil-project/vigil/xlsform"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sheet is one worksheet of a test workbook; makeXLSX writes them.
type sheet = xlsxtest.Sheet

var makeXLSX = xlsxtest.Build

var perceptionSurvey = sheet{Name: "survey", Rows: [][]string{
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

var perceptionChoices = sheet{Name: "choices", Rows: [][]string{
	{"list_name", "name", "label::English (en)", "label::French (fr)"},
	{"regions", "gao", "Gao", "Gao"}, {"regions", "mopti", "Mopti", "Mopti"},
	{"sex", "female", "Female", "Femme"}, {"sex", "male", "Male", "Homme"},
	{"safety", "safe", "Safe", "En sécurité"}, {"safety", "unsafe", "Unsafe", "Pas en sécurité"},
	{"sources", "radio", "Radio", "Radio"}, {"sources", "mission", "The mission", "La mission"}, {"sources", "none", "None", "Aucune"},
	{"yes_no", "yes", "Yes", "Oui"}, {"yes_no", "no", "No", "Non"},
}}

var perceptionSettings = sheet{Name: "settings", Rows: [][]string{
	{"form_title", "form_id", "version", "default_language"},
	{"Perception survey", "perception", "2026112501", "English (en)"},
}}

func TestBilingualForm(t *testing.T) {
	in := makeXLSX(t, perceptionSurvey, perceptionChoices, perceptionSettings)
	out, err := xlsform.Convert(in, xlsform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/perception.xml", out, *update)
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
	in := makeXLSX(t, sheet{Name: "survey", Rows: [][]string{
		{"type", "name", "label", "required_message"},
		{"text", "name", "Your name", ""},
		{"integer", "n", "How many?"},
		{"select_one yn", "ok", "OK?"},
	}}, sheet{Name: "choices", Rows: [][]string{{"list name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}}})
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
	choices := sheet{Name: "choices", Rows: [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "n", "No"}}}
	survey := func(rows ...[]string) sheet {
		return sheet{Name: "survey", Rows: append([][]string{{"type", "name", "label", "relevant", "constraint", "calculation"}}, rows...)}
	}
	tests := []struct {
		name   string
		sheets []sheet
		want   string
	}{
		{"no survey sheet", []sheet{choices, {Name: "settings", Rows: [][]string{{"form_id"}, {"x"}}}}, "survey sheet: the workbook has no sheet named survey"},
		{"no type column", []sheet{{Name: "survey", Rows: [][]string{{"name", "label"}, {"a", "A"}}}}, "survey sheet, row 1: the header row needs the columns type and name"},
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
		{"duplicate choice", []sheet{survey([]string{"select_one yn", "a", "A"}), {Name: "choices", Rows: [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"yn", "y", "Oui"}}}}, `choices sheet, row 3, column name: duplicate choice "y" in list "yn" (also at row 2)`},
		{"unsupported column", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label", "parameters"}, {"text", "a", "A"}, {"text", "r", "R", "max-pixels=640"}}}}, `survey sheet, row 3, column parameters: column "parameters" is not supported`},
		// still outside the converter's subset
		{"range type", []sheet{survey([]string{"range", "r", "R"})}, `survey sheet, row 2, column type: unknown question type "range"`},
		{"select from file", []sheet{survey([]string{"select_one_from_file towns.csv", "t", "T"})}, `survey sheet, row 2, column type: unknown question type "select_one_from_file towns.csv"`},
		{"translated relevant", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "relevant::fr"}, {"text", "a", "1"}}}}, `survey sheet, row 2, column relevant::fr: column "relevant::fr" is not supported`},
		{"unknown setting", []sheet{survey([]string{"text", "a", "A"}), {Name: "settings", Rows: [][]string{{"form_id", "auto_send"}, {"x", "true"}}}}, `settings sheet, row 2, column auto_send: setting "auto_send" is not supported`},
		{"omit instanceID", []sheet{survey([]string{"text", "a", "A"}), {Name: "settings", Rows: [][]string{{"omit_instanceID"}, {"TRUE"}}}}, `settings sheet, row 2, column omit_instanceid: omit_instanceid "TRUE" is not supported by this converter (only FALSE)`},
		{"add none option", []sheet{survey([]string{"text", "a", "A"}), {Name: "settings", Rows: [][]string{{"add_none_option"}, {"yes"}}}}, `settings sheet, row 2, column add_none_option: add_none_option "yes" is not supported`},
		{"flat not boolean", []sheet{survey([]string{"text", "a", "A"}), {Name: "settings", Rows: [][]string{{"flat"}, {"maybe"}}}}, `settings sheet, row 2, column flat: "maybe" is not TRUE or FALSE`},
		{"flat repeat", []sheet{survey([]string{"begin repeat", "r", "R"}, []string{"text", "a", "A"}, []string{"end repeat"}), {Name: "settings", Rows: [][]string{{"flat"}, {"TRUE"}}}}, `survey sheet, row 2, column type: repeats in a form with the setting flat are not supported`},
		{"flat group bind column", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "bind::odk:x"}, {"begin group", "g", "1"}, {"text", "a"}, {"end group"}}}, {Name: "settings", Rows: [][]string{{"flat"}, {"TRUE"}}}}, `survey sheet, row 2, column bind::odk:x: column "bind::odk:x" on a group of a flat form is not supported`},
		{"reserved bind attribute", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "bind::type"}, {"text", "a", "int"}}}}, `survey sheet, row 2, column bind::type: column "bind::type" would overwrite the attribute type the converter writes`},
		{"reserved body attribute", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "body::ref"}, {"text", "a", "/x"}}}}, `survey sheet, row 2, column body::ref: column "body::ref" would overwrite the attribute ref`},
		{"bad attribute name", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "instance::1x"}, {"text", "a", "v"}}}}, `survey sheet, row 2, column instance::1x: "1x" is not a valid attribute name`},
		{"foreign attribute prefix", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "body::xsl:x"}, {"text", "a", "v"}}}}, `survey sheet, row 2, column body::xsl:x: "xsl:x" is not a valid attribute name`},
		{"attribute reference", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "bind::odk:x"}, {"text", "a", "${b}"}}}}, `survey sheet, row 2, column bind::odk:x: ${b} refers to no question`},
		{"dynamic default", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "default"}, {"text", "a", "x"}, {"text", "b", "${a}"}}}}, `survey sheet, row 3, column default: default "${a}" looks like an expression: dynamic defaults are not supported`},
		{"rows not a number", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "rows"}, {"text", "a", "many"}}}}, `survey sheet, row 2, column rows: rows "many": a positive whole number, for a text-entry question only`},
		{"rows on a select", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "rows"}, {"select_one yn", "a", "3"}}}, choices}, `survey sheet, row 2, column rows: rows "3"`},
		{"bad autoplay", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "autoplay"}, {"text", "a", "image"}}}}, `survey sheet, row 2, column autoplay: autoplay "image" is not audio or video`},
		{"repeat_count on a group", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "repeat_count"}, {"begin group", "g", "2"}, {"text", "a"}, {"end group"}}}}, `survey sheet, row 2, column repeat_count: repeat_count is only for begin repeat`},
		{"broken repeat_count", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "repeat_count"}, {"begin repeat", "r", "2 +"}, {"text", "a"}, {"end repeat"}}}}, `survey sheet, row 2, column repeat_count: XPath syntax error`},
		{"repeat_count name taken", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "repeat_count"}, {"integer", "r_count"}, {"begin repeat", "r", "2"}, {"text", "a"}, {"end repeat"}}}}, `survey sheet, row 3, column repeat_count: the repeat count needs the name "r_count", already used at row 2`},
		{"metadata with a label", []sheet{survey([]string{"start", "s", "Start"})}, `survey sheet, row 2, column label: label is not used by the metadata type "start"`},
		{"table-list with a text", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "appearance"}, {"begin group", "g", "table-list"}, {"select_one yn", "a"}, {"text", "b"}, {"end group"}}}, choices}, `survey sheet, row 4, column type: a table-list group (row 2) holds only select_one and select_multiple questions`},
		{"table-list of two lists", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "appearance"}, {"begin group", "g", "table-list"}, {"select_one yn", "a"}, {"select_one ab", "b"}, {"end group"}}},
			{Name: "choices", Rows: [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}, {"ab", "a", "A"}}}}, `survey sheet, row 4, column type: a table-list group (row 2) needs one choice list: "ab" here, "yn" at row 3`},
		{"default on a group", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "default"}, {"begin group", "g", "x"}, {"text", "a"}, {"end group"}}}}, `survey sheet, row 2, column default: default is for questions, not for a group`},
		{"choice filter on a text", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "choice_filter"}, {"text", "a", "x = 1"}}}}, `survey sheet, row 2, column choice_filter: choice_filter is only for select_one and select_multiple`},
		{"bad choices column", []sheet{survey([]string{"select_one yn", "a", "A"}), {Name: "choices", Rows: [][]string{{"list_name", "name", "label", "bind::x"}, {"yn", "y", "Yes", "1"}}}}, `choices sheet, row 1, column bind::x: column "bind::x" is not supported`},
	}
	// Each refusal is said by the catalog too (Refusals: the Administration
	// page says it in French); every message is said by one.
	reached := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xlsform.Convert(makeXLSX(t, tc.sheets...), xlsform.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			for _, k := range apperrtest.Said(t, tc.name, err, "") {
				reached[k] = true
			}
		})
	}
	for _, bad := range [][]byte{nil, []byte("not a zip"), makeXLSX(t)} {
		if _, err := xlsform.Convert(bad, xlsform.Options{}); err == nil {
			t.Errorf("Convert(%q) succeeded", bad)
		}
	}
	convert := func(sheets ...sheet) error {
		_, err := xlsform.Convert(makeXLSX(t, sheets...), xlsform.Options{})
		return err
	}
	rows := func(name string, rows ...[]string) sheet { return sheet{Name: name, Rows: rows} }
	head := []string{"type", "name", "label"}
	// A cell's text as a workbook reader gives it (XML cannot hold these).
	cells := func(label string) error {
		_, err := xlsform.ConvertSheets([]xlsform.Sheet{{Name: "survey", Rows: [][]string{head, {"text", "a", label}}, RowNums: []int{1, 2}}}, xlsform.Options{})
		return err
	}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "two problems", Err: convert(survey([]string{"txt", "a", "A"}, []string{"text", "1a", "B"})),
			FR: "feuille survey, ligne 2, colonne type\u00a0: type de question inconnu «\u202ftxt\u202f»\nfeuille survey, ligne 3, colonne name\u00a0: «\u202f1a\u202f» n’est pas un nom valide (lettres, chiffres, _ - .\u202f; commençant par une lettre ou _)"},
		apperrtest.Case{Name: "XPath", Err: convert(survey([]string{"integer", "a", "A", "", ". > 1 ) 2"})),
			FR: "feuille survey, ligne 2, colonne constraint\u00a0: erreur de syntaxe XPath\u00a0: «\u202f)\u202f» inattendu (à la position 6)"},
		apperrtest.Case{Name: "not a zip", Err: func() error { _, err := xlsform.Convert([]byte("not a zip"), xlsform.Options{}); return err }(),
			FR: "le fichier n’est pas un classeur .xlsx (détail technique\u00a0: archive zip non valide — zip: not a valid zip file)"},
		apperrtest.Case{Name: "too big", Err: func() error { _, err := xlsform.Convert(make([]byte, 20<<20+1), xlsform.Options{}); return err }(),
			FR: "le classeur dépasse 20971520 octets"},
		apperrtest.Case{Name: "no workbook", Err: func() error { _, err := xlsform.Convert(zipOf(t, map[string]uint64{}), xlsform.Options{}); return err }(),
			FR: "il manque la partie xl/workbook.xml du classeur"},
		apperrtest.Case{Name: "part too big", Err: func() error {
			_, err := xlsform.Convert(zipOf(t, map[string]uint64{"xl/workbook.xml": 101 << 20}), xlsform.Options{})
			return err
		}(), FR: "xl/workbook.xml\u00a0: plus de 104857600 octets une fois décompressé (en déclare 105906176)"},
		apperrtest.Case{Name: "over the budget", Err: func() error {
			_, err := xlsform.Convert(zipOf(t, map[string]uint64{"a.xml": 95 << 20, "b.xml": 95 << 20, "c.xml": 95 << 20}), xlsform.Options{})
			return err
		}(), FR: "classeur trop grand pour être décompressé\u00a0: ses parties déclarent 298844160 octets décompressés, plus que les 268435456 octets permis pour tous les téléversements à la fois"},
		apperrtest.Case{Name: "control character", Err: cells("A\x01"), FR: "feuille survey, ligne 2, colonne C\u00a0: le texte de la cellule contient le caractère de contrôle U+0001"},
		apperrtest.Case{Name: "invalid UTF-8", Err: cells("A\xff"), FR: "feuille survey, ligne 2, colonne C\u00a0: le texte de la cellule n’est pas de l’UTF-8 valide"},
		apperrtest.Case{Name: "root name", Err: convert(survey([]string{"text", "a", "A"}), rows("settings", []string{"name"}, []string{"1x"})), FR: "feuille settings, ligne 2, colonne name\u00a0: «\u202f1x\u202f» n’est pas un nom d’élément XML valide"},
		apperrtest.Case{Name: "no type", Err: convert(survey([]string{"", "a", "A"})), FR: "feuille survey, ligne 2, colonne type\u00a0: la question «\u202fa\u202f» n’a pas de type"},
		apperrtest.Case{Name: "extra words", Err: convert(survey([]string{"text yn", "a", "A"})), FR: "feuille survey, ligne 2, colonne type\u00a0: «\u202ftext yn\u202f»\u00a0: mots inattendus après le type"},
		apperrtest.Case{Name: "after the list", Err: convert(survey([]string{"select_one yn x", "a", "A"}), choices), FR: "feuille survey, ligne 2, colonne type\u00a0: «\u202fselect_one yn x\u202f»\u00a0: «\u202fx\u202f» inattendu après le nom de la liste"},
		apperrtest.Case{Name: "flat attribute", Err: convert(rows("survey", []string{"type", "name", "required"}, []string{"begin group", "g", "yes"}, []string{"text", "a"}, []string{"end group"}),
			rows("settings", []string{"flat"}, []string{"TRUE"})), FR: "feuille survey, ligne 2, colonne required\u00a0: required sur un groupe d’un formulaire flat n’est pas pris en charge par ce convertisseur"},
		apperrtest.Case{Name: "unclosed reference", Err: convert(survey([]string{"text", "a", "A", "${a"})), FR: "feuille survey, ligne 2, colonne relevant\u00a0: référence ${ non fermée dans «\u202f${a\u202f»"},
		apperrtest.Case{Name: "table-list appearance", Err: convert(rows("survey", []string{"type", "name", "appearance"}, []string{"begin group", "g", "table-list"}, []string{"select_one yn", "a", "minimal"}, []string{"end group"}), choices),
			FR: "feuille survey, ligne 3, colonne appearance\u00a0: appearance «\u202fminimal\u202f» dans un groupe table-list (ligne 2)"},
		apperrtest.Case{Name: "table-list name", Err: convert(rows("survey", []string{"type", "name", "appearance"}, []string{"text", "reserved_name_for_field_list_labels_4"}, []string{"begin group", "g", "table-list"}, []string{"select_one yn", "a"}, []string{"end group"}), choices), FR: ""},
		apperrtest.Case{Name: "choice without list", Err: convert(survey([]string{"select_one yn", "a", "A"}), rows("choices", head[1:], []string{"y", "Yes"}, []string{"", ""}, []string{"n", "No"})), FR: ""},
		apperrtest.Case{Name: "choice without name", Err: convert(survey([]string{"select_one yn", "a", "A"}), rows("choices", []string{"list_name", "name", "label"}, []string{"yn", "", "Yes"})),
			FR: "feuille choices, ligne 2, colonne name\u00a0: un choix de la liste «\u202fyn\u202f» n’a pas de nom\nfeuille survey, ligne 2, colonne type\u00a0: la liste de choix «\u202fyn\u202f» n’est pas dans la feuille choices"},
	)
	apperrtest.SaidAll(t, reached, partCases(t)...)
	apperrtest.SaidAll(t, reached, limitCases(t)...)
	apperrtest.Catalog(t, xlsform.Refusals, reached)
}

// zipOf is a zip of stored parts, each declaring its uncompressed size
// (the bytes are a few, the declared sizes as given).
func zipOf(t *testing.T, parts map[string]uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, size := range parts {
		w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 1, UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func FuzzConvert(f *testing.F) {
	f.Add(makeXLSX(f, perceptionSurvey, perceptionChoices, perceptionSettings))
	f.Add(makeXLSX(f, sheet{Name: "survey", Rows: [][]string{{"type", "name", "label"}, {"begin group", "g"}, {"text", "a", "${a}"}}}))
	f.Add(makeXLSX(f, fieldSurvey, sheet{Name: "choices", Rows: [][]string{{"list_name", "name", "label", "image"}, {"yes_no", "yes", "Yes", "y.png"}}},
		sheet{Name: "settings", Rows: [][]string{{"instance_name", "public_key"}, {"${story}", "MIIB"}}}))
	f.Add(makeXLSX(f, sheet{Name: "survey", Rows: [][]string{{"type", "name", "label", "relevant", "appearance"}, {"integer", "n", "N"},
		{"begin group", "g", "G", "${n} > 1", "table-list"}, {"select_one yn", "a", "A", "${n} > 2"}, {"end group"}}},
		sheet{Name: "choices", Rows: [][]string{{"list_name", "name", "label"}, {"yn", "y", "Yes"}}}, sheet{Name: "settings", Rows: [][]string{{"flat"}, {"TRUE"}}}))
	// A part that declares 300 MB uncompressed (refused before inflating)
	// and one that inflates past the size it declares.
	for _, declared := range []uint64{300 << 20, 3} {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.CreateRaw(&zip.FileHeader{Name: "xl/workbook.xml", Method: zip.Store, CompressedSize64: 9, UncompressedSize64: declared})
		w.Write([]byte("<workbook"))
		z.Close()
		f.Add(b.Bytes())
	}
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
	f.Add("integer n N\nbegin repeat r R . ${n}\nbarcode b B\nend repeat\nbegin repeat s S . 2 odk:x\nacknowledge k K\nend repeat\nstart t", "yn y Y")
	// columns: type (two words joined), name, label, constraint, repeat_count, bind, body, instance, appearance, default
	row := func(cells ...string) string { return strings.Join(cells, " ") }
	f.Add(strings.Join([]string{row("begin", "group", "g", "G", "", "", "", "", "", "table-list"),
		row("select_one", "yn", "a", "A", ".", "", "${a}", "x", "y"), row("select_one", "yn", "b", "B"), row("end", "group"),
		row("audio", "v", "V", "", "", "", "", "", "", "1")}, "\n"), "yn y Y\nyn n N")
	f.Fuzz(func(t *testing.T, survey, choices string) {
		toSheet := func(name string, header []string, s string) xlsform.Sheet {
			sh := xlsform.Sheet{Name: name, Rows: [][]string{header}, RowNums: []int{1}}
			for i, line := range strings.Split(s, "\n") {
				sh.Rows = append(sh.Rows, strings.SplitN(line, " ", len(header)))
				sh.RowNums = append(sh.RowNums, i+2)
			}
			return sh
		}
		sheets := []xlsform.Sheet{toSheet("survey", []string{"type", "name", "label", "constraint", "repeat_count", "bind::odk:b", "body::odk:c", "instance::odk:d", "appearance", "default"}, survey),
			toSheet("choices", []string{"list_name", "name", "label"}, choices)}
		// "select_one yn", "begin group" need two words in type: join the first two fields
		for i, r := range sheets[0].Rows[1:] {
			if len(r) > 1 && (strings.HasPrefix(r[0], "select_") || r[0] == "begin" || r[0] == "end") {
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

// fieldSurvey uses what field teams add to the common subset: barcode,
// acknowledge, audio/video/image uploads, media labels per language,
// metadata, custom attributes, repeat_count and a table-list group.
var fieldSurvey = sheet{Name: "survey", Rows: [][]string{
	{"type", "name", "label::English (en)", "label::French (fr)", "image", "audio::French (fr)", "appearance", "repeat_count", "bind::odk:length", "body::odk:prompt", "instance::odk:tag", "rows", "autoplay", "default", "required"},
	{"start", "start"},
	{"deviceid", "device"},
	{"barcode", "tag_code", "Scan the tag", "Scannez l'étiquette", "", "", "", "", "", "", "", "", "", "", "yes"},
	{"acknowledge", "consent", "I agree", "J'accepte", "consent.png", "consent_fr.mp3", "", "", "", "", "", "", "audio"},
	{"text", "story", "What happened?", "Que s'est-il passé ?", "", "", "", "", "${household}", "yes", "sensitive", "5", "", "none"},
	{"integer", "household", "Household size", "Taille du ménage"},
	{"begin repeat", "member", "Member", "Membre", "", "", "", "${household}"},
	{"text", "member_name", "Name", "Nom"},
	{"end repeat"},
	{"begin repeat", "visit", "Visit", "Visite", "", "", "", "2"},
	{"date", "visit_date", "Date", "Date"},
	{"end repeat"},
	{"begin group", "grid", "Services", "Services", "", "", "table-list"},
	{"select_one yes_no", "water", "Water", "Eau"},
	{"select_one yes_no", "health", "Health", "Santé"},
	{"end group"},
	{"audio", "voice", "Voice note", "Note vocale"},
	{"video", "clip", "Video", "Vidéo"},
	{"image", "photo", "Photo", "Photo"},
}}

func TestFieldTypes(t *testing.T) {
	in := makeXLSX(t, fieldSurvey,
		sheet{Name: "choices", Rows: [][]string{{"list_name", "name", "label::English (en)", "label::French (fr)", "media::image"},
			{"yes_no", "yes", "Yes", "Oui", "yes.png"}, {"yes_no", "no", "No", "Non"}}},
		sheet{Name: "settings", Rows: [][]string{{"form_id", "version", "default_language", "instance_name", "submission_url"},
			{"field", "3", "English (en)", "concat('tag ', ${tag_code})", "https://vigil.example/submission"}}})
	out, err := xlsform.Convert(in, xlsform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/field.xml", out, *update)
	for _, s := range []string{
		`<bind nodeset="/data/tag_code" required="true()" type="barcode"/>`,
		`<trigger autoplay="audio" ref="/data/consent">`,
		`<bind nodeset="/data/start" jr:preload="timestamp" jr:preloadParams="start" type="dateTime"/>`,
		`<text id="/data/consent:label"><value form="image">jr://images/consent.png</value><value>I agree</value></text>`,
		`<text id="/data/consent:label"><value form="audio">jr://audio/consent_fr.mp3</value><value>J'accepte</value></text>`,
		`<story odk:tag="sensitive">none</story>`,
		`<bind nodeset="/data/story" type="string" odk:length=" /data/household "/>`,
		`<input rows="5" odk:prompt="yes" ref="/data/story">`,
		`<repeat jr:count=" /data/household " nodeset="/data/member">`,
		`<bind nodeset="/data/visit_count" calculate="2" readonly="true()" type="string"/>`,
		`<repeat jr:count=" /data/visit_count " nodeset="/data/visit">`,
		`<group appearance="field-list" ref="/data/grid">`,
		`<select1 appearance="label" ref="/data/grid/reserved_name_for_field_list_labels_15">`,
		`<select1 appearance="list-nolabel" ref="/data/grid/water">`,
		`<upload mediatype="audio/*" ref="/data/voice">`,
		`<upload mediatype="video/*" ref="/data/clip">`,
		`<text id="yes_no-0"><value form="image">jr://images/yes.png</value><value>Yes</value></text>`,
		`<text id="yes_no-1"><value>Non</value></text>`,
		`<submission action="https://vigil.example/submission" method="post"/>`,
		`<bind calculate="concat('tag ',  /data/tag_code )" nodeset="/data/meta/instanceName" type="string"/>`,
	} {
		if !strings.Contains(string(out), s) {
			t.Errorf("output lacks %s", s)
		}
	}
	f, err := xform.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Media, " "); got != "consent.png consent_fr.mp3 yes.png" {
		t.Errorf("media = %q", got)
	}
	if c := f.Controls["/data/consent"]; c == nil || c.Kind != "trigger" {
		t.Errorf("consent control = %+v", c)
	}
	if b := f.Binds["/data/tag_code"]; b == nil || b.Type != "barcode" || b.Required == nil {
		t.Errorf("tag_code bind = %+v", b)
	}
	if !f.Repeats["/data/member"] || !f.Repeats["/data/visit"] {
		t.Errorf("repeats = %v", f.Repeats)
	}
	sub := func(tag string) []byte {
		return []byte(`<data id="field" version="3"><start>2026-11-26T09:00:00.000+01:00</start><device>collect:abc</device>` +
			tag + `<consent>OK</consent><story>none</story><household>1</household><visit_count>2</visit_count>` +
			`<member><member_name>A</member_name></member><visit><visit_date>2026-11-20</visit_date></visit>` +
			`<grid><reserved_name_for_field_list_labels_15/><water>yes</water><health>no</health></grid>` +
			`<voice>voice.m4a</voice><clip/><photo>p.jpg</photo><meta><instanceID>uuid:1</instanceID><instanceName>tag X1</instanceName></meta></data>`)
	}
	s, err := f.Validate(sub(`<tag_code>X1</tag_code>`))
	if err != nil {
		t.Fatalf("valid submission refused: %v", err)
	}
	if got := strings.Join(s.Attachments, " "); got != "p.jpg voice.m4a" {
		t.Errorf("attachments = %q", got)
	}
	if _, err := f.Validate(sub(`<tag_code/>`)); err == nil || !strings.Contains(err.Error(), "/data/tag_code") {
		t.Errorf("a required barcode left empty: %v", err)
	}
}

// TestConvertCases checks pieces of output for small forms.
func TestConvertCases(t *testing.T) {
	yn := sheet{Name: "choices", Rows: [][]string{{"list_name", "name", "label::en", "label::fr"}, {"yn", "y", "Yes", "Oui"}, {"yn", "n", "No", "Non"}}}
	tests := []struct {
		name   string
		sheets []sheet
		want   []string
		not    []string
	}{
		{"or_other with translations", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label::en"}, {"select_one yn or_other", "q", "Q"}}}, yn},
			[]string{`<item><itextId>yn-2</itextId><name>other</name></item>`, `<text id="yn-2"><value>Other</value></text>`,
				`<bind nodeset="/data/q_other" relevant="selected(../q, 'other')" type="string"/>`}, nil},
		{"flat relevance is inherited and combined", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label", "relevant"},
			{"integer", "n", "N"}, {"begin group", "g", "G", "${n} > 1"}, {"begin group", "h", "H", "${n} > 2"}, {"text", "a", "A", "${n} > 3"}, {"end group"}, {"end group"}}},
			{Name: "settings", Rows: [][]string{{"flat"}, {"yes"}}}},
			[]string{`<bind nodeset="/data/a" relevant="( /data/n  &gt; 1) and ( /data/n  &gt; 2) and ( /data/n  &gt; 3)" type="string"/>`, "<group>\n      <label>G</label>", "<n/>\n          <a/>"},
			[]string{`nodeset="/data/g"`, `ref="/data/g"`}},
		{"explicit no", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label", "required", "read_only"}, {"text", "a", "A", "no", "no"}}}},
			[]string{`<bind nodeset="/data/a" readonly="false()" required="false()" type="string"/>`}, nil},
		{"smart quotes", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label", "relevant"}, {"text", "a", "“A” ‘b’"}, {"text", "b", "B", "${a} = ‘x’"}}}},
			[]string{`<label>&quot;A&quot; 'b'</label>`, `relevant=" /data/a  = 'x'"`}, nil},
		{"inline label beside itext hint", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label", "hint", "hint::fr"}, {"text", "a", "A", "H", "Aide"}}}},
			[]string{`<label>A</label>`, `<hint ref="jr:itext('/data/a:hint')"/>`, `<translation lang="default" default="true()">`, `<text id="/data/a:hint"><value>Aide</value></text>`}, nil},
		{"no translation of its own for an absent default language", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label::en", "label::fr"}, {"text", "a", "A", "Ah"}}}},
			[]string{`<translation lang="en">`, `<translation lang="fr">`}, []string{`lang="default"`}},
		{"media only on a choice list", []sheet{{Name: "survey", Rows: [][]string{{"type", "name", "label"}, {"select_one ab", "q", "Q"}}}, {Name: "choices", Rows: [][]string{{"list_name", "name", "label", "image"}, {"ab", "a", "A", "a.png"}, {"ab", "b", "B"}}}},
			[]string{`<text id="ab-0"><value form="image">jr://images/a.png</value><value>A</value></text>`, `<text id="ab-1"><value>B</value></text>`, `<label ref="jr:itext(itextId)"/>`, `<label>Q</label>`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := xlsform.Convert(makeXLSX(t, tc.sheets...), xlsform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.want {
				if !strings.Contains(string(out), s) {
					t.Errorf("output lacks %s\n%s", s, out)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(string(out), s) {
					t.Errorf("output has %s", s)
				}
			}
			if _, err := xform.Parse(out); err != nil {
				t.Errorf("xform.Parse: %v", err)
			}
		})
	}
}
