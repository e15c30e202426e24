package xform_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil/wanterr"
	"github.com/vigil-project/vigil/xform"
)

func readShared(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file      string
		id, ver   string
		title     string
		fields    int
		langs     []string
		media     []string
		repeats   []string
		warnings  int
		wantError string
	}{
		{file: "central-backend/simple.form.xml", id: "simple", title: "Simple", fields: 3},
		{file: "central-backend/withrepeat.form.xml", id: "withrepeat", ver: "1.0", fields: 5, repeats: []string{"/data/children/child"}},
		{file: "central-backend/doubleRepeat.form.xml", id: "doubleRepeat", ver: "1.0", fields: 4, repeats: []string{"/data/children/child", "/data/children/child/toys/toy"}},
		{file: "central-backend/selectMultiple.form.xml", id: "selectMultiple", fields: 3},
		{file: "web-forms/1-validation.xml", id: "validation", ver: "20240708154514", title: "Validation Form", fields: 7, langs: []string{"default", "Urdu (ur)"}},
		{file: "web-forms/geopoint.xml", id: "1_geopoint", ver: "2025020401"},
		{file: "web-forms/12-NestedRepeat.xml", repeats: []string{"/data/person_repeat", "/data/person_repeat/language_repeat"}},
		{file: "web-forms/6-relevant-calculate-group.xml"},
		{file: "web-forms/all-question-types-v2024091201-3.xml", id: "all-question-types", ver: "2024091201-3", media: []string{"cities.geojson"}},
		{file: "web-forms/xpath-syntax-error.xml", wantError: "calculate: XPath syntax error: unexpected '?'"},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			f, err := xform.Parse(readShared(t, "odk/"+tc.file))
			if wanterr.Check(t, err, tc.wantError) {
				return
			}
			if tc.id != "" && f.ID != tc.id {
				t.Errorf("ID = %q, want %q", f.ID, tc.id)
			}
			if f.Version != tc.ver && tc.id != "" {
				t.Errorf("Version = %q, want %q", f.Version, tc.ver)
			}
			if tc.title != "" && f.Title != tc.title {
				t.Errorf("Title = %q, want %q", f.Title, tc.title)
			}
			if tc.fields > 0 && len(f.Fields) != tc.fields {
				t.Errorf("%d fields, want %d: %+v", len(f.Fields), tc.fields, f.Fields)
			}
			if tc.langs != nil && strings.Join(f.Languages, "|") != strings.Join(tc.langs, "|") {
				t.Errorf("Languages = %q, want %q", f.Languages, tc.langs)
			}
			for _, m := range tc.media {
				if !slices.Contains(f.Media, m) {
					t.Errorf("Media = %q, want it to hold %q", f.Media, m)
				}
			}
			for _, r := range tc.repeats {
				if !f.Repeats[r] {
					t.Errorf("Repeats = %v, want %s", f.Repeats, r)
				}
			}
			t.Logf("warnings: %q", f.Warnings)
		})
	}
}

func TestAllQuestionTypesMedia(t *testing.T) {
	f, err := xform.Parse(readShared(t, "odk/web-forms/all-question-types-v2024091201-3.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Media) < 5 {
		t.Fatalf("media = %q, want the form's images and cities.geojson", f.Media)
	}
	for _, m := range f.Media {
		if strings.Contains(m, "/") || strings.HasPrefix(m, "jr:") {
			t.Errorf("media name %q should be a bare file name", m)
		}
	}
}

func TestValidateCentralInstances(t *testing.T) {
	tests := []struct {
		form, instance string
		instanceID     string
		answers        map[string]string
	}{
		{"simple", "one", "one", map[string]string{"name": "Alice", "age": "30", "meta/instanceID": "one"}},
		{"simple", "three", "three", map[string]string{"name": "Chelsea", "age": "38"}},
		{"withrepeat", "one", "rone", map[string]string{"name": "Alice", "age": "30"}},
		{"withrepeat", "two", "rtwo", map[string]string{"children/child[1]/name": "Billy", "children/child[2]/age": "6"}},
		{"doubleRepeat", "double", "double", map[string]string{"children/child[2]/toys/toy[4]/name": "Spike", "children/child[3]/name": "Chelsea"}},
		{"selectMultiple", "one", "one", map[string]string{"q1": "a b", "g1/q2": "x y z"}},
		{"selectMultiple", "three", "three", map[string]string{"q1": " b c"}},
	}
	for _, tc := range tests {
		t.Run(tc.form+"/"+tc.instance, func(t *testing.T) {
			f, err := xform.Parse(readShared(t, "odk/central-backend/"+tc.form+".form.xml"))
			if err != nil {
				t.Fatal(err)
			}
			s, err := f.Validate(readShared(t, "odk/central-backend/"+tc.form+".instance."+tc.instance+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			if s.InstanceID != tc.instanceID {
				t.Errorf("InstanceID = %q, want %q", s.InstanceID, tc.instanceID)
			}
			for k, v := range tc.answers {
				if s.Answers[k] != v {
					t.Errorf("Answers[%q] = %q, want %q (all: %v)", k, s.Answers[k], v, s.Answers)
				}
			}
		})
	}
}

const validationForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
<h:head><h:title>T</h:title><model>
<instance><data id="t" orx:version="3">
  <name/><age/><color/><pets/><born/><where/><consent/><g><why/></g>
  <kids><kid jr:template=""><kname/><kage/></kid></kids>
  <code/><odd/>
  <meta><instanceID/></meta>
</data></instance>
<bind nodeset="/data/name" type="string" required="true()"/>
<bind nodeset="/data/age" type="int" required="true()" constraint=". &gt;= 18 and . &lt; 120" jr:constraintMsg="adults only"/>
<bind nodeset="/data/color" type="select1"/>
<bind nodeset="/data/pets" type="select" constraint="count-selected(.) &lt;= 2 and not(selected(., 'dog') and selected(., 'none'))"/>
<bind nodeset="/data/born" type="date"/>
<bind nodeset="/data/where" type="geopoint"/>
<bind nodeset="/data/consent" type="string"/>
<bind nodeset="/data/g" relevant="/data/consent = 'yes'"/>
<bind nodeset="/data/g/why" type="string" required="true()" constraint="string-length(.) &gt; 2"/>
<bind nodeset="/data/kids/kid/kname" type="string" required="true()"/>
<bind nodeset="/data/kids/kid/kage" type="int" constraint=". &lt; /data/age" relevant="string-length(../kname) &gt; 0"/>
<bind nodeset="/data/code" type="string" constraint="regex(., '^[A-Z]{3}[0-9]+$')"/>
<bind nodeset="/data/odd" type="string" constraint="pulldata('x', 'y', 'z', .) = 1"/>
<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model></h:head>
<h:body>
<input ref="/data/name"/><input ref="/data/age"/>
<select1 ref="/data/color"><item><value>red</value></item><item><value>blue</value></item></select1>
<select ref="/data/pets"><item><value>dog</value></item><item><value>cat</value></item><item><value>none</value></item></select>
<group ref="/data/kids"><repeat nodeset="/data/kids/kid"><input ref="/data/kids/kid/kname"/><input ref="/data/kids/kid/kage"/></repeat></group>
</h:body></h:html>`

func sub(body string) []byte {
	return []byte(`<data id="t" version="3"><meta><instanceID>uuid:1</instanceID></meta>` + body + `</data>`)
}

func TestValidate(t *testing.T) {
	f, err := xform.Parse([]byte(validationForm))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].Error(), "/data/odd") || !strings.Contains(f.Warnings[0].Error(), "pulldata") {
		t.Errorf("warnings = %q, want one naming /data/odd and pulldata()", f.Warnings)
	}
	ok := `<name>Ann</name><age>30</age>`
	tests := []struct {
		name string
		xml  []byte
		want string // "" = valid; else substring of the error
	}{
		{"minimal", sub(ok), ""},
		{"all answered", sub(ok + `<color>red</color><pets>dog cat</pets><born>1990-02-03</born><where>12.5 -3.25 100 5</where><consent>yes</consent><g><why>because</why></g><kids><kid><kname>Bo</kname><kage>3</kage></kid><kid><kname>Cy</kname></kid></kids><code>ABC12</code><odd>anything</odd>`), ""},
		{"not relevant group skipped", sub(ok + `<consent>no</consent>`), ""},
		{"missing instanceID", []byte(`<data id="t" version="3"><name>A</name><age>30</age></data>`), "/data/meta/instanceID: instanceID is missing"},
		{"wrong form id", []byte(`<data id="other" version="3"><meta><instanceID>x</instanceID></meta></data>`), `form id "other" does not match form "t"`},
		{"wrong version", []byte(`<data id="t" version="2"><meta><instanceID>x</instanceID></meta></data>`), `version "2" does not match`},
		{"wrong root", []byte(`<root id="t" version="3"/>`), "root element is <root>"},
		{"unknown field", sub(ok + `<salary>3</salary>`), "/data/salary: element is not in the form"},
		{"duplicate non-repeat", sub(ok + `<born>1990-01-01</born><born>1990-01-01</born>`), "/data/born: element appears more than once"},
		{"bad int", sub(`<name>A</name><age>thirty</age>`), `/data/age: "thirty" is not an integer`},
		{"bad date", sub(ok + `<born>1990-13-01</born>`), `/data/born: "1990-13-01" is not a date`},
		{"bad geopoint", sub(ok + `<where>95 10</where>`), "latitude 95 is outside"},
		{"not a choice", sub(ok + `<color>green</color>`), `/data/color: "green" is not one of the choices`},
		{"required missing", sub(`<age>30</age>`), "/data/name: required question is not answered"},
		{"required empty", sub(`<name> </name><age>30</age>`), "/data/name: required question is not answered"},
		{"constraint", sub(`<name>A</name><age>12</age>`), `/data/age: answer "12" breaks the constraint . >= 18 and . < 120 (adults only)`},
		{"select constraint", sub(ok + `<pets>dog none</pets>`), "/data/pets: answer"},
		{"relevant group required", sub(ok + `<consent>yes</consent>`), "/data/g/why: required question is not answered"},
		{"relevant group constraint", sub(ok + `<consent>yes</consent><g><why>no</why></g>`), "/data/g/why: answer \"no\" breaks"},
		{"repeat required", sub(ok + `<kids><kid><kname>Bo</kname></kid><kid><kage>2</kage></kid></kids>`), "/data/kids/kid/kname: required"},
		{"repeat constraint uses own instance", sub(ok + `<kids><kid><kname>Bo</kname><kage>31</kage></kid></kids>`), "/data/kids/kid/kage: answer \"31\" breaks"},
		{"regex", sub(ok + `<code>abc</code>`), "/data/code: answer \"abc\" breaks"},
		{"malformed", []byte(`<data id="t"><name>`), "malformed XML"},
		{"doctype", []byte(`<!DOCTYPE data [<!ENTITY x "y">]><data id="t" version="3"/>`), "DOCTYPE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.Validate(tc.xml)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseFormErrors(t *testing.T) {
	tests := []struct {
		name, xml, want string
	}{
		{"not html", `<data/>`, "root element is <data>"},
		{"no model", `<h:html xmlns:h="h"><h:head/></h:html>`, "missing <model>"},
		{"no id", `<h:html xmlns:h="h"><h:head><model><instance><data/></instance></model></h:head></h:html>`, "no id attribute"},
		{"bad bind", `<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance><bind nodeset="/data/b"/></model></h:head></h:html>`, "/data/b: bind nodeset is not a node"},
		{"syntax", `<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance><bind nodeset="/data/a" constraint=". &gt;"/></model></h:head></h:html>`, "/data/a: constraint: XPath syntax error"},
		{"bad arity", `<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance><bind nodeset="/data/a" relevant="selected(.)"/></model></h:head></h:html>`, "selected() takes 2 arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xform.Parse([]byte(tc.xml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			var fes xform.Errors
			if !apperr.IsInvalid(err) && !errors.As(err, &fes) {
				t.Errorf("error %T is not an apperr error nor xform.Errors", err)
			}
		})
	}
}

func TestExpr(t *testing.T) {
	doc, err := xform.ParseTree(strings.NewReader(`<data><a>5</a><b>abc</b><s>x y</s><r><i><v>1</v></i><i><v>2</v></i></r></data>`), xform.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	a := doc.Children[0]
	tests := []struct {
		expr string
		want bool
		unsp bool
	}{
		{". = 5", true, false},
		{". = '5'", true, false},
		{". > 4 and . < 6", true, false},
		{". + 1 = 6", true, false},
		{"(. * 2) div 4 = 2.5", true, false},
		{". mod 2 = 1", true, false},
		{"-. = -5", true, false},
		{"not(. = 5)", false, false},
		{"../b = 'abc' or false()", true, false},
		{"/data/b != 'abc'", false, false},
		{"string-length(/data/b) = 3", true, false},
		{"selected(/data/s, 'y')", true, false},
		{"selected(/data/s, 'z')", false, false},
		{"count-selected(../s) = 2", true, false},
		{"regex(../b, '^a.c$')", true, false},
		{"/data/r/i/v = 2", true, false},
		{"count(/data/r/i) = 2", true, false},
		{"/data/missing = ''", false, false},
		{"number('') != number('')", true, false},
		{"concat(../b, 'd') = 'abcd'", true, false},
		{"instance('x')/root/item[name = 1]", false, true},
		{"../r/i[1]/v = 1", false, true},
		{"@id = 1", false, true},
		{"today() > 1", false, true},
		{"regex(., '(?=x)')", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			x, err := xform.ParseExpr(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if x.Supported() == tc.unsp {
				t.Fatalf("Supported() = %v (%s)", x.Supported(), x.Unsupported)
			}
			if tc.unsp {
				if _, err := x.EvalBool(doc, a); err == nil {
					t.Fatal("evaluating an unsupported expression must fail")
				}
				return
			}
			got, err := x.EvalBool(doc, a)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{"", ". >", "(. = 1", "1 ? 2", "f(,)", "'abc", "a[1", "..[1]"} {
		if _, err := xform.ParseExpr(bad); !errors.Is(err, xform.ErrSyntax) {
			t.Errorf("ParseExpr(%q) err = %v, want a syntax error", bad, err)
		}
	}
}

// TestPyxformForms: the XForms pyxform writes for its spec forms (barcode,
// acknowledge, audio/video uploads, media itext in three languages, custom
// bind/body/instance attributes, jr:count) are accepted, and a submission
// of the flat one is checked with their types.
func TestPyxformForms(t *testing.T) {
	for _, name := range []string{"xlsform_spec_test", "attribute_columns_test", "flat_xlsform_test", "or_other", "pull_data", "survey_no_name"} {
		f, err := xform.Parse(readShared(t, "odk/pyxform/"+name+".xml"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.HasSuffix(name, "_test") {
			continue
		}
		if got := strings.Join(f.Languages, "|"); got != "default|chinese|english" {
			t.Errorf("%s: languages %q", name, got)
		}
		if got := strings.Join(f.Media, " "); got != "a.jpg audio_test.wav b.jpg chinese_audio.wav img_test.jpg img_test_2.jpg test.mov" {
			t.Errorf("%s: media %q", name, got)
		}
		for _, q := range []string{"acknowledge_test", "barcode_test", "audio_test", "video_test"} {
			var c *xform.Control
			for ref, ctl := range f.Controls {
				if strings.HasSuffix(ref, "/"+q) {
					c = ctl
				}
			}
			want := map[string]string{"acknowledge_test": "trigger", "barcode_test": "input", "audio_test": "upload", "video_test": "upload"}[q]
			if c == nil || c.Kind != want {
				t.Errorf("%s: control %s = %+v, want %s", name, q, c, want)
			}
		}
	}
	f, err := xform.Parse(readShared(t, "odk/pyxform/flat_xlsform_test.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if b := f.Binds["/flat_xlsform_test/barcode_test"]; b == nil || b.Type != "barcode" {
		t.Fatalf("barcode bind = %+v", b)
	}
	sub := func(extra string) []byte {
		return []byte(`<flat_xlsform_test id="Flat test"><skip_to_end>no</skip_to_end><required_text>x</required_text><list-nolabel-test>yes</list-nolabel-test>` +
			`<acknowledge_test>OK</acknowledge_test><barcode_test>0123456789012</barcode_test><audio_test>a.m4a</audio_test>` + extra +
			`<meta><instanceID>uuid:1</instanceID><instanceName>n</instanceName></meta></flat_xlsform_test>`)
	}
	s, err := f.Validate(sub(`<a_integer>3</a_integer>`))
	if err != nil {
		t.Fatalf("valid submission refused: %v", err)
	}
	if s.Answers["barcode_test"] != "0123456789012" || s.Answers["acknowledge_test"] != "OK" || strings.Join(s.Attachments, " ") != "a.m4a" {
		t.Errorf("answers %v attachments %v", s.Answers, s.Attachments)
	}
	if _, err := f.Validate(sub(`<a_integer>three</a_integer>`)); err == nil || !strings.Contains(err.Error(), "a_integer") {
		t.Errorf("a bad integer beside barcode and acknowledge answers: %v", err)
	}
}
