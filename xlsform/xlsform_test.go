package xlsform_test

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"slices"
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
// whitespace outside string literals ignored in expressions. Every
// attribute counts (namespace included: jr:preload is not preload): of the
// binds, of the instance nodes (custom instance:: attributes, defaults as
// text), of the body controls (rows, autoplay, body:: attributes, jr:count)
// and of the other model elements (submission); itext values keep their
// form (image, audio, video) and the default translation is marked.
type summary struct {
	Title, ID, Version, Root string
	Model                    []string
	Instance                 []string
	Binds                    map[string]map[string]string
	Body                     []string
	Itext                    map[string]map[string]string
	Secondary                map[string][]string
}

var nsPrefix = map[string]string{"http://openrosa.org/javarosa": "jr:", "http://www.opendatakit.org/xforms": "odk:", "http://openrosa.org/xforms": "orx:"}

// attrsNS returns the attributes by prefixed name (jr:count).
func attrsNS(e *xform.Elem) map[string]string {
	m := map[string]string{}
	for _, a := range e.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		p, ok := nsPrefix[a.Name.Space]
		if !ok && a.Name.Space != "" {
			p = a.Name.Space + ":"
		}
		m[p+a.Name.Local] = a.Value
	}
	return m
}

// attrLine writes attributes sorted, expressions normalised, leaving out
// those in skip.
func attrLine(e *xform.Elem, skip ...string) string {
	a := attrsNS(e)
	var keys []string
	for k := range a {
		if !slices.Contains(skip, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(" " + k + "=" + normExpr(a[k]))
	}
	return b.String()
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
				if d, ok := attrs(tr)["default"]; ok {
					lang += " (default " + d + ")"
				}
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
				line := e.Path()
				if e != root {
					line += attrLine(e)
				}
				if t := strings.TrimSpace(e.Text); t != "" {
					line += " text=" + t
				}
				s.Instance = append(s.Instance, line)
				for _, ch := range e.Children {
					walk(ch)
				}
			}
			walk(root)
		case "bind":
			a := attrsNS(c)
			ns := a["nodeset"]
			delete(a, "nodeset")
			for k, v := range a {
				a[k] = normExpr(v)
			}
			s.Binds[ns] = a
		default:
			s.Model = append(s.Model, c.Name+attrLine(c))
		}
	}
	var body func(e *xform.Elem, depth int)
	body = func(e *xform.Elem, depth int) {
		for _, c := range e.Children {
			line := strings.Repeat("  ", depth) + c.Name + attrLine(c)
			switch c.Name {
			case "label", "hint", "value":
				if _, ok := attrs(c)["ref"]; !ok {
					line += " " + text(c)
				}
				s.Body = append(s.Body, line)
				continue
			}
			s.Body = append(s.Body, line)
			body(c, depth+1)
		}
	}
	b := doc.Child("body")
	s.Body = append(s.Body, "body"+attrLine(b))
	body(b, 0)
	return s
}

// diffs lists the fields that differ, naming the differing keys or lines
// rather than printing whole summaries.
func diffs(got, want summary) []string {
	var out []string
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if reflect.DeepEqual(g, w) {
			continue
		}
		switch g := g.(type) {
		case []string:
			w := w.([]string)
			for j := 0; j < max(len(g), len(w)); j++ {
				var a, b string
				if j < len(g) {
					a = g[j]
				}
				if j < len(w) {
					b = w[j]
				}
				if a != b {
					out = append(out, fmt.Sprintf("%s differs from line %d:\n got: %q\nwant: %q", name, j, a, b))
					break
				}
			}
		case map[string]map[string]string:
			w := w.(map[string]map[string]string)
			for k := range mergeKeys(g, w) {
				_, gok := g[k]
				_, wok := w[k]
				if gok != wok {
					out = append(out, fmt.Sprintf("%s[%q]: present %v, want %v", name, k, gok, wok))
					continue
				}
				for kk := range mergeKeys(g[k], w[k]) {
					gv, gok := g[k][kk]
					wv, wok := w[k][kk]
					if gv != wv || gok != wok {
						out = append(out, fmt.Sprintf("%s[%q][%q]:\n got: %q\nwant: %q", name, k, kk, gv, wv))
					}
				}
			}
		default:
			out = append(out, fmt.Sprintf("%s differs:\n got: %v\nwant: %v", name, g, w))
		}
	}
	sort.Strings(out)
	return out
}

func diff(t *testing.T, got, want summary) {
	t.Helper()
	for _, d := range diffs(got, want) {
		t.Error(d)
	}
}

// TestSummaryCatches checks that the equivalence is strict enough: each
// small change to pyxform's expected XForm, of the kind the converter could
// get wrong, makes the summaries differ.
func TestSummaryCatches(t *testing.T) {
	path := shareddata.Path(t, "odk/pyxform/attribute_columns_test.xml")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base := summarize(t, orig)
	if d := diffs(base, summarize(t, orig)); len(d) > 0 {
		t.Fatalf("a form differs from itself: %v", d)
	}
	tests := []struct{ name, old, new string }{
		{"body attribute column", ` bodyAttribute="42"`, ``},
		{"body attribute value", ` bodyAttribute="42"`, ` bodyAttribute="43"`},
		{"bind attribute column", ` saveIncomplete="true()"`, ``},
		{"instance attribute column", `<skip_to_end testAttribute="test"/>`, `<skip_to_end/>`},
		{"instance attribute on the template", `<repeat_test jr:template="">`, `<repeat_test jr:template="" testAttribute="test">`},
		{"media form", `<value form="image">jr://images/img_test_2.jpg</value>`, `<value form="big-image">jr://images/img_test_2.jpg</value>`},
		{"media dropped", `<value form="video">jr://video/test.mov</value>`, ``},
		{"rows", ` rows="12"`, ``},
		{"autoplay", ` autoplay="audio"`, ` autoplay="video"`},
		{"jr:count", ` jr:count=" /attribute_columns_test/everything/repeat_test_count "`, ``},
		{"mediatype", `mediatype="audio/*"`, `mediatype="video/*"`},
		{"control kind", `<trigger bodyAttribute="test" bodyAttribute2="test" ref="/attribute_columns_test/everything/acknowledge_test">
        <label ref="jr:itext('/attribute_columns_test/everything/acknowledge_test:label')"/>
      </trigger>`, `<input bodyAttribute="test" bodyAttribute2="test" ref="/attribute_columns_test/everything/acknowledge_test">
        <label ref="jr:itext('/attribute_columns_test/everything/acknowledge_test:label')"/>
      </input>`},
		{"bind type", `type="barcode"`, `type="string"`},
		{"preload namespace", `jr:preload="uid"`, `preload="uid"`},
		{"submission", `method="post"`, `method="get"`},
		{"default translation", `<translation default="true()" lang="default">`, `<translation lang="default">`},
		{"instance default", `<my_name/>`, `<my_name>x</my_name>`},
		{"inline hint", `<hint>hint</hint>`, `<hint>hunt</hint>`},
		{"empty label", `<label></label>`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(orig), tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			mut := strings.Replace(string(orig), tc.old, tc.new, 1)
			if d := diffs(summarize(t, []byte(mut)), base); len(d) == 0 {
				t.Errorf("replacing %q by %q goes unnoticed", tc.old, tc.new)
			}
		})
	}
}

func mergeKeys[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func TestPyxformPairs(t *testing.T) {
	tests := []struct {
		name string
		opt  xlsform.Options
	}{
		{name: "or_other", opt: xlsform.Options{Name: "or_other", ID: "or_other"}},
		{name: "pull_data", opt: xlsform.Options{Name: "pull_data", ID: "pull_data"}},
		{name: "survey_no_name", opt: xlsform.Options{ID: "survey_no_name"}},
		{name: "flat_xlsform_test", opt: xlsform.Options{Name: "flat_xlsform_test"}},
		{name: "xlsform_spec_test", opt: xlsform.Options{Name: "xlsform_spec_test"}},
		{name: "attribute_columns_test", opt: xlsform.Options{Name: "attribute_columns_test"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile(shareddata.Path(t, "odk/pyxform/"+tc.name+".xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := xlsform.Convert(in, tc.opt)
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
