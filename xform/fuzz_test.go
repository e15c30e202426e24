package xform_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/xform"
)

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{". > 18 and . < 100", "selected(/data/a, 'x')", "regex(., '^[a-z]+$')", "instance('c')/root/item[name=../x]/label", "-(1 + 2) * 3 div 4 mod 5", "count-selected(.) = 2"} {
		f.Add(s)
	}
	doc, _ := xform.ParseTree(stringsReader(`<data><a>5</a><b>x y</b></data>`), xform.Limits{})
	f.Fuzz(func(t *testing.T, src string) {
		x, err := xform.ParseExpr(src)
		if err != nil {
			return
		}
		if x.Supported() {
			_, _ = x.Eval(doc, doc.Children[0])
		}
	})
}

func FuzzParseForm(f *testing.F) {
	f.Add([]byte(validationForm))
	if root := shareddata.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "odk/*/*.xml"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := xform.Parse(b)
		if err != nil {
			return
		}
		// labels in each language: never a panic
		for _, lang := range []string{pf.Lang("en"), pf.Lang("fr"), ""} {
			for _, c := range pf.Controls {
				_ = pf.Text(c.Label, lang)
				for _, l := range c.ItemLabels {
					_ = pf.Text(l, lang)
				}
			}
		}
	})
}

func FuzzValidate(f *testing.F) {
	form, err := xform.Parse([]byte(validationForm))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sub(`<name>Ann</name><age>30</age><consent>yes</consent><g><why>because</why></g><kids><kid><kname>Bo</kname><kage>3</kage></kid></kids>`))
	f.Add(sub(`<pets>dog none</pets><where>1 2 3 4</where><born>2000-01-01</born>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := form.Validate(b)
		if err == nil && s.InstanceID == "" {
			t.Fatal("valid submission without an instanceID")
		}
	})
}

func stringsReader(s string) *stringReader { return &stringReader{s: s} }

type stringReader struct{ s string }

func (r *stringReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}
