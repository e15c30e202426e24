// Package xform reads ODK XForms and checks submissions against them.
//
// It reads ODK XForms (the XML form definitions that ODK Collect, Enketo and
// ODK Web Forms fill in) and checks submissions against them: the form's id,
// version, title, instance structure, binds (type, required, relevant,
// constraint, calculate), itext languages and the media files it refers to.
// Constraint, relevance and required conditions are evaluated by a small XPath
// subset evaluator; expressions outside that subset are kept, reported as
// warnings, and never enforced.
package xform

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Form is a parsed XForm.
type Form struct {
	ID       string // the primary instance root's id attribute
	Version  string // its version (or orx:version) attribute; may be empty
	Title    string
	RootName string // the primary instance root's local name (usually "data")

	// Instance is the primary instance's template tree (jr:template
	// nodes included once).
	Instance *Elem
	// Binds by normalised nodeset path (local names, e.g. "/data/meta/instanceID").
	Binds map[string]*Bind
	// Fields lists the leaf nodes of the instance in document order.
	Fields []Field
	// Repeats holds the paths of repeated nodes.
	Repeats map[string]bool
	// Controls are the body's questions by normalised ref path.
	Controls map[string]*Control
	// Languages are the itext translation languages in document order;
	// DefaultLang is the one marked default (or the first).
	Languages   []string
	DefaultLang string
	// Media are the file names the form refers to (itext images, audio,
	// video; external secondary instances), without the jr:// prefix part,
	// sorted. The manifest lists them.
	Media []string
	// Warnings are expressions that are not enforced (outside the
	// supported XPath subset), naming the bind: each error's text is the
	// English, said as a message of WarningMessages (apperr.MessageOf).
	Warnings []error

	secondary map[string][]*Elem           // secondary instance id -> items
	itext     map[string]map[string]string // language -> text id -> text
}

// Bind is one <bind> of the model.
type Bind struct {
	Path          string
	Line          int
	Type          string // without the xsd: prefix; "string" when absent
	Required      *Expr
	Relevant      *Expr
	Constraint    *Expr
	Calculate     string
	Readonly      string
	ConstraintMsg string
	RequiredMsg   string
	Preload       string
}

// Field is a leaf of the instance.
type Field struct {
	Path     string // normalised absolute path
	Type     string
	InRepeat bool
}

// Control is a body control (input, select1, select, upload, …).
type Control struct {
	Kind  string // element name: input, select1, select, upload, trigger, range, odk:rank, …
	Ref   string
	Line  int
	Items []string // static choice values; nil when there is an itemset
	// Label is the control's label: a jr:itext('id') reference or its
	// text; ItemLabels the static choices' labels, by choice value.
	Label      string
	ItemLabels map[string]string
	// Itemset is true when choices come from an itemset (not checked).
	Itemset bool
}

// Errors is a list of problems, each an invalid-input apperr error naming the
// field (a node path) and the form's line ("line 4: /data/age: …"); it is
// returned as one error.
type Errors []*apperr.Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// NormPath turns an XPath nodeset such as "/data/orx:meta/orx:instanceID"
// into a path of local names ("/data/meta/instanceID").
func NormPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = localName(s)
	}
	return strings.Join(parts, "/")
}

// MaxFormBytes bounds the size of a form definition.
const MaxFormBytes = 10 << 20

// Parse reads an XForm. It fails when the document is not an XForm (no
// model, no primary instance, no id), when a bind points outside the
// instance, or when an expression is not valid XPath; expressions that are
// valid but outside the supported subset become Warnings.
func Parse(data []byte) (*Form, error) {
	if len(data) > MaxFormBytes {
		return nil, apperr.Textf("form is larger than %d bytes", MaxFormBytes)
	}
	doc, err := ParseTree(bytes.NewReader(data), Limits{})
	if err != nil {
		return nil, err
	}
	if doc.Name != "html" {
		return nil, problem(doc.Line, "", "root element is <%s>, want <h:html>", doc.Name)
	}
	head := doc.Child("head")
	if head == nil {
		return nil, problemErr(doc.Line, "", said("missing <h:head>"))
	}
	model := head.Child("model")
	if model == nil {
		return nil, problemErr(head.Line, "", said("missing <model> in <h:head>"))
	}
	f := &Form{Binds: map[string]*Bind{}, Repeats: map[string]bool{}, Controls: map[string]*Control{}, secondary: map[string][]*Elem{}}
	if t := head.Child("title"); t != nil {
		f.Title = strings.TrimSpace(t.Text)
	}
	media := map[string]bool{}
	var errs Errors
	for _, c := range model.Children {
		if c.Name != "instance" {
			continue
		}
		if id, ok := c.AttrValue("id"); ok && id != "" {
			if src, ok := c.AttrValue("src"); ok {
				addMedia(media, src)
			}
			if len(c.Children) == 1 {
				f.secondary[id] = c.Children[0].Children
			}
			continue
		}
		if f.Instance != nil {
			continue
		}
		for _, ch := range c.Children {
			f.Instance = ch
			break
		}
		if f.Instance == nil {
			return nil, problemErr(c.Line, "", said("the primary <instance> is empty"))
		}
	}
	if f.Instance == nil {
		return nil, problemErr(model.Line, "", said("missing the primary <instance>"))
	}
	f.Instance.Parent = nil
	f.RootName = f.Instance.Name
	f.ID, _ = f.Instance.AttrValue("id")
	f.ID = strings.TrimSpace(f.ID)
	if f.ID == "" {
		return nil, problemErr(f.Instance.Line, "/"+f.RootName, said("the primary instance root has no id attribute (the form id)"))
	}
	f.Version, _ = f.Instance.AttrValue("version")
	f.Version = strings.TrimSpace(f.Version)

	index := map[string]*Elem{}
	var walk func(e *Elem)
	walk = func(e *Elem) {
		p := e.Path()
		if _, dup := index[p]; dup {
			// a repeat with default instances: the first one is the template
			f.Repeats[p] = true
			return
		}
		index[p] = e
		if _, ok := e.AttrValue("template"); ok {
			f.Repeats[p] = true
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(f.Instance)

	// itext
	if it := model.Child("itext"); it != nil {
		for _, tr := range it.Children {
			if tr.Name != "translation" {
				continue
			}
			lang, _ := tr.AttrValue("lang")
			f.Languages = append(f.Languages, lang)
			texts := map[string]string{}
			if f.itext == nil {
				f.itext = map[string]map[string]string{}
			}
			f.itext[lang] = texts
			if d, ok := tr.AttrValue("default"); ok && d != "" && f.DefaultLang == "" {
				f.DefaultLang = lang
			}
			for _, text := range tr.Children {
				id, _ := text.AttrValue("id")
				for _, v := range text.Children {
					if form, ok := v.AttrValue("form"); !ok || form == "" {
						texts[id] = strings.TrimSpace(v.Text)
					}
					if form, ok := v.AttrValue("form"); ok && form != "" && form != "guidance" && form != "short" && form != "long" {
						addMedia(media, strings.TrimSpace(v.Text))
					}
				}
			}
		}
		if f.DefaultLang == "" && len(f.Languages) > 0 {
			f.DefaultLang = f.Languages[0]
		}
	}

	for _, b := range model.Children {
		if b.Name != "bind" {
			continue
		}
		ns, ok := b.AttrValue("nodeset")
		if !ok {
			if ns, ok = b.AttrValue("ref"); !ok {
				errs = append(errs, problemErr(b.Line, "", said("<bind> without nodeset")))
				continue
			}
		}
		p := NormPath(strings.TrimSpace(ns))
		if _, ok := index[p]; !ok {
			errs = append(errs, problemErr(b.Line, p, said("bind nodeset is not a node of the primary instance")))
			continue
		}
		bd := f.Binds[p]
		if bd == nil {
			bd = &Bind{Path: p, Line: b.Line, Type: "string"}
			f.Binds[p] = bd
		}
		for _, a := range b.Attr {
			v := strings.TrimSpace(a.Value)
			var target **Expr
			switch a.Name.Local {
			case "type":
				bd.Type = strings.TrimPrefix(strings.TrimPrefix(v, "xsd:"), "xs:")
			case "required":
				target = &bd.Required
			case "relevant":
				target = &bd.Relevant
			case "constraint":
				target = &bd.Constraint
			case "calculate":
				bd.Calculate = v
				if _, err := ParseExpr(v); err != nil {
					errs = append(errs, problem(b.Line, p, "calculate: %v", err))
				}
			case "readonly":
				bd.Readonly = v
			case "constraintMsg":
				bd.ConstraintMsg = v
			case "requiredMsg":
				bd.RequiredMsg = v
			case "preload":
				bd.Preload = v
			}
			if target == nil {
				continue
			}
			x, err := ParseExpr(v)
			if err != nil {
				errs = append(errs, problem(b.Line, p, "%s: %v", a.Name.Local, err))
				continue
			}
			if !x.Supported() {
				f.Warnings = append(f.Warnings, apperr.Textf("line %d: %s: %s %q is not enforced by the server (%v)", b.Line, p, a.Name.Local, v, x.why))
			}
			*target = x
		}
	}

	// body
	if body := doc.Child("body"); body != nil {
		f.walkBody(body, "/"+f.RootName, index, &errs)
	}

	var leaves func(e *Elem, inRepeat bool)
	leaves = func(e *Elem, inRepeat bool) {
		p := e.Path()
		if index[p] != e {
			return
		}
		inRepeat = inRepeat || f.Repeats[p]
		if len(e.Children) == 0 {
			typ := "string"
			if b := f.Binds[p]; b != nil {
				typ = b.Type
			}
			f.Fields = append(f.Fields, Field{Path: p, Type: typ, InRepeat: inRepeat})
			return
		}
		for _, c := range e.Children {
			leaves(c, inRepeat)
		}
	}
	leaves(f.Instance, false)

	for m := range media {
		f.Media = append(f.Media, m)
	}
	sort.Strings(f.Media)
	if len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}

func addMedia(media map[string]bool, src string) {
	src = strings.TrimSpace(src)
	if !strings.HasPrefix(src, "jr://") {
		return
	}
	rest := strings.TrimPrefix(src, "jr://")
	_, name, ok := strings.Cut(rest, "/")
	if !ok || name == "" || strings.Contains(name, "/") || strings.Contains(name, "..") {
		return
	}
	media[name] = true
}

func (f *Form) walkBody(e *Elem, ctx string, index map[string]*Elem, errs *Errors) {
	for _, c := range e.Children {
		ref, hasRef := c.AttrValue("ref")
		if c.Name == "repeat" {
			ref, hasRef = c.AttrValue("nodeset")
		}
		p := ctx
		if hasRef {
			ref = strings.TrimSpace(ref)
			if strings.HasPrefix(ref, "/") {
				p = NormPath(ref)
			} else {
				p = NormPath(ctx + "/" + ref)
			}
		}
		switch c.Name {
		case "group":
			f.walkBody(c, p, index, errs)
		case "repeat":
			if _, ok := index[p]; !ok {
				*errs = append(*errs, problemErr(c.Line, p, said("repeat nodeset is not a node of the primary instance")))
				continue
			}
			f.Repeats[p] = true
			f.walkBody(c, p, index, errs)
		case "input", "select1", "select", "upload", "trigger", "range", "rank", "textarea", "secret", "odk:rank":
			if !hasRef {
				continue
			}
			if _, ok := index[p]; !ok {
				*errs = append(*errs, problem(c.Line, p, "<%s> ref is not a node of the primary instance", c.Name))
				continue
			}
			ctl := &Control{Kind: c.Name, Ref: p, Line: c.Line, Label: labelOf(c)}
			if c.Name == "select1" || c.Name == "select" {
				for _, it := range c.Children {
					switch it.Name {
					case "item":
						if v := it.Child("value"); v != nil {
							val := strings.TrimSpace(v.Text)
							ctl.Items = append(ctl.Items, val)
							if l := labelOf(it); l != "" {
								if ctl.ItemLabels == nil {
									ctl.ItemLabels = map[string]string{}
								}
								ctl.ItemLabels[val] = l
							}
						}
					case "itemset":
						ctl.Itemset = true
						ctl.Items = nil
						if items, ok := f.itemsetValues(it); ok {
							ctl.Items = items
							ctl.Itemset = false
						}
					}
					if ctl.Itemset {
						break
					}
				}
				if ctl.Itemset {
					ctl.Items = nil
				}
			}
			f.Controls[p] = ctl
		}
	}
}

var reItemset = regexp.MustCompile(`^instance\(\s*'([^']+)'\s*\)/root/item(\[.*\])?$`)

// itemsetValues returns the possible values of an itemset drawn from a
// secondary instance of the form (instance('list')/root/item, with or
// without a filter: a filter only narrows the list). ok is false for any
// other itemset, whose choices are then not checked.
func (f *Form) itemsetValues(it *Elem) ([]string, bool) {
	ns, _ := it.AttrValue("nodeset")
	m := reItemset.FindStringSubmatch(strings.TrimSpace(ns))
	if m == nil {
		return nil, false
	}
	items, ok := f.secondary[m[1]]
	if !ok {
		return nil, false
	}
	v := it.Child("value")
	if v == nil {
		return nil, false
	}
	ref, _ := v.AttrValue("ref")
	ref = strings.TrimSpace(ref)
	if !reSimpleName.MatchString(ref) {
		return nil, false
	}
	var out []string
	for _, item := range items {
		if c := item.Child(ref); c != nil {
			out = append(out, strings.TrimSpace(c.Text))
		}
	}
	return out, len(out) > 0
}

var reSimpleName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)

// labelOf returns an element's <label>: its ref (jr:itext('id')) or text.
func labelOf(e *Elem) string {
	l := e.Child("label")
	if l == nil {
		return ""
	}
	if ref, ok := l.AttrValue("ref"); ok && strings.TrimSpace(ref) != "" {
		return strings.TrimSpace(ref)
	}
	return strings.TrimSpace(l.Text)
}

var reItextRef = regexp.MustCompile(`^jr:itext\(\s*'([^']*)'\s*\)$`)

// Text returns a label (Control.Label, ItemLabels) in the form's language
// lang: the translation of a jr:itext('id') reference (the default
// language's when lang has none), or the label itself when it is text.
func (f *Form) Text(label, lang string) string {
	m := reItextRef.FindStringSubmatch(label)
	if m == nil {
		return label
	}
	if t, ok := f.itext[lang][m[1]]; ok && t != "" {
		return t
	}
	if t, ok := f.itext[f.DefaultLang][m[1]]; ok {
		return t
	}
	return ""
}

// Lang returns the form's translation language for an ISO 639-1 code
// ("en", "fr"): the one named "code", "Name (code)" or by the language's
// English or own name; "" when the form has none.
func (f *Form) Lang(code string) string {
	names := map[string][]string{"en": {"english"}, "fr": {"french", "français", "francais"}}[code]
	for _, l := range f.Languages {
		low := strings.ToLower(strings.TrimSpace(l))
		if low == code || strings.HasSuffix(low, "("+code+")") {
			return l
		}
		for _, n := range names {
			if low == n || strings.HasPrefix(low, n+" ") {
				return l
			}
		}
	}
	return ""
}
