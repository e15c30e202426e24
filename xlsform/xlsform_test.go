package xlsform_test

import (
	"bytes"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/xform"
	"github.com/vigil-project/vigil/xlsform"
)

// summary is what two XForms must share to be equivalent: pyxform's own
// test compares XML trees after sorting the model's instances, items and
// translations; here the parts are compared as sets and sequences with
// whitespace outside string literals ignored in expressions.
type summary struct {
	Title, ID, Version, Root string
	Instance                 []string
	Binds                    map[string]map[string]string
	Body                     []string
	Itext                    map[string]map[string]string
	Secondary                map[string][]string
}

func normExpr(s string) string {
	var b strings.Builder
	var q rune
	for _, r := range s {
		switch {
		case q != 0:
			b.WriteRune(r)
			if r == q {
				q = 0
			}
		case r == '\'' || r == '"':
			q = r
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func attrs(e *xform.Elem) map[string]string {
	m := map[string]string{}
	for _, a := range e.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		m[a.Name.Local] = a.Value
	}
	return m
}

func text(e *xform.Elem) string {
	var parts []string
	if t := strings.Join(strings.Fields(e.Text), " "); t != "" {
		parts = append(parts, t)
	}
	for _, c := range e.Children {
		if c.Name == "output" {
			parts = append(parts, "<output "+normExpr(attrs(c)["value"])+">")
		}
	}
	return strings.Join(parts, " ")
}

func summarize(t *testing.T, xml []byte) summary {
	t.Helper()
	doc, err := xform.ParseTree(bytes.NewReader(xml), xform.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s := summary{Binds: map[string]map[string]string{}, Itext: map[string]map[string]string{}, Secondary: map[string][]string{}}
	head := doc.Child("head")
	s.Title = head.Child("title").Text
	model := head.Child("model")
	for _, c := range model.Children {
		switch c.Name {
		case "itext":
			for _, tr := range c.Children {
				lang := attrs(tr)["lang"]
				s.Itext[lang] = map[string]string{}
				for _, tx := range tr.Children {
					var vals []string
					for _, v := range tx.Children {
						vals = append(vals, attrs(v)["form"]+"="+text(v))
					}
					sort.Strings(vals)
					s.Itext[lang][attrs(tx)["id"]] = strings.Join(vals, "|")
				}
			}
		case "instance":
			a := attrs(c)
			if id, ok := a["id"]; ok {
				var items []string
				if src := a["src"]; src != "" {
					items = append(items, "src="+src)
				}
				if len(c.Children) > 0 {
					for _, it := range c.Children[0].Children {
						var kv []string
						for _, f := range it.Children {
							kv = append(kv, f.Name+"="+f.Text)
						}
						sort.Strings(kv)
						items = append(items, strings.Join(kv, ","))
					}
				}
				s.Secondary[id] = items
				continue
			}
			root := c.Children[0]
			s.Root = root.Name
			ra := attrs(root)
			s.ID, s.Version = ra["id"], ra["version"]
			var walk func(e *xform.Elem)
			walk = func(e *xform.Elem) {
				p := e.Path()
				if _, tmpl := attrs(e)["template"]; tmpl {
					p += " (template)"
				}
				s.Instance = append(s.Instance, p)
				for _, ch := range e.Children {
					walk(ch)
				}
			}
			walk(root)
		case "bind":
			a := attrs(c)
			ns := a["nodeset"]
			delete(a, "nodeset")
			for k, v := range a {
				a[k] = normExpr(v)
			}
			s.Binds[ns] = a
		}
	}
	var body func(e *xform.Elem, depth int)
	body = func(e *xform.Elem, depth int) {
		for _, c := range e.Children {
			a := attrs(c)
			line := strings.Repeat("  ", depth) + c.Name
			for _, k := range []string{"ref", "nodeset", "appearance", "mediatype"} {
				if v, ok := a[k]; ok {
					line += " " + k + "=" + normExpr(v)
				}
			}
			switch c.Name {
			case "label", "hint", "value":
				if v, ok := a["ref"]; ok {
					line = strings.Repeat("  ", depth) + c.Name + " ref=" + normExpr(v)
				} else {
					line += " " + text(c)
				}
				s.Body = append(s.Body, line)
				continue
			}
			s.Body = append(s.Body, line)
			body(c, depth+1)
		}
	}
	body(doc.Child("body"), 0)
	return s
}

func diff(t *testing.T, got, want summary) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s differs:\n got: %v\nwant: %v", gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func TestPyxformPairs(t *testing.T) {
	tests := []struct {
		name    string
		opt     xlsform.Options
		wantErr []string // for workbooks beyond the supported subset
	}{
		{name: "or_other", opt: xlsform.Options{Name: "or_other", ID: "or_other"}},
		{name: "pull_data", opt: xlsform.Options{Name: "pull_data", ID: "pull_data"}},
		{name: "survey_no_name", opt: xlsform.Options{ID: "survey_no_name"}},
		{name: "flat_xlsform_test", opt: xlsform.Options{Name: "flat_xlsform_test"}, wantErr: []string{
			`survey sheet, row 30, column type: unknown question type "acknowledge"`,
			`survey sheet, row 9, column image: column "image" is not supported`}},
		{name: "xlsform_spec_test", opt: xlsform.Options{Name: "xlsform_spec_test"}, wantErr: []string{`unknown question type "barcode"`}},
		{name: "attribute_columns_test", opt: xlsform.Options{Name: "attribute_columns_test"}, wantErr: []string{`column "bind::saveIncomplete" is not supported`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile(shareddata.Path(t, "odk/pyxform/"+tc.name+".xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := xlsform.Convert(in, tc.opt)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatal("converted a workbook with unsupported types")
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(shareddata.Path(t, "odk/pyxform/"+tc.name+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			diff(t, summarize(t, got), summarize(t, want))
			// And the result is a form Vigil accepts.
			if _, err := xform.Parse(got); err != nil {
				t.Errorf("xform.Parse: %v", err)
			}
		})
	}
}
