package xform

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Elem is an element of a parsed XML document. Names are local names: the
// namespace prefixes that ODK clients add (orx:meta, orx:instanceID) are
// dropped, as ODK Central does.
type Elem struct {
	Name     string
	Space    string // namespace URL (or the undeclared prefix)
	Attr     []xml.Attr
	Text     string // character data directly inside the element
	Children []*Elem
	Parent   *Elem
	Line     int // line of the start tag

	virtual bool // added by Validate for an absent node
}

// AttrValue returns the value of the attribute with the given local name
// (any namespace) and whether it is present.
func (e *Elem) AttrValue(local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// Child returns the first child with the local name, or nil.
func (e *Elem) Child(name string) *Elem {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Path returns the element's absolute path of local names, e.g.
// "/data/group/q1".
func (e *Elem) Path() string {
	var parts []string
	for x := e; x != nil; x = x.Parent {
		parts = append(parts, x.Name)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// Limits bound what ParseTree accepts.
type Limits struct {
	MaxDepth    int // default 64
	MaxElements int // default 200000
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxElements <= 0 {
		l.MaxElements = 200000
	}
	return l
}

// ParseTree reads an XML document into an element tree. Errors give the
// line where the document is broken.
func ParseTree(r io.Reader, lim Limits) (*Elem, error) {
	lim = lim.withDefaults()
	dec := xml.NewDecoder(r)
	dec.Strict = true
	// Accept undeclared entity-free documents only; no custom charsets
	// other than UTF-8 / ASCII.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q (use UTF-8)", label)
	}
	var root, cur *Elem
	var text bytes.Buffer
	n := 0
	depth := 0
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, apperr.Textf("line %d: malformed XML: %s", se.Line, apperr.DetailText(se.Msg))
			}
			return nil, apperr.Textf("line %d: malformed XML: %s", line, apperr.Detail(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && cur == nil {
				return nil, apperr.Textf("line %d: malformed XML: more than one root element", line)
			}
			n++
			depth++
			if n > lim.MaxElements {
				return nil, apperr.Textf("line %d: more than %d elements", line, lim.MaxElements)
			}
			if depth > lim.MaxDepth {
				return nil, apperr.Textf("line %d: elements nested deeper than %d", line, lim.MaxDepth)
			}
			if cur != nil && strings.TrimSpace(text.String()) != "" {
				cur.Text += text.String()
			}
			text.Reset()
			e := &Elem{Name: t.Name.Local, Space: t.Name.Space, Attr: t.Attr, Parent: cur, Line: line}
			if cur != nil {
				cur.Children = append(cur.Children, e)
			} else {
				root = e
			}
			cur = e
		case xml.EndElement:
			if len(cur.Children) == 0 {
				cur.Text += text.String()
			} else if strings.TrimSpace(text.String()) != "" {
				cur.Text += text.String()
			}
			text.Reset()
			cur = cur.Parent
			depth--
		case xml.CharData:
			if cur == nil {
				if strings.TrimSpace(string(t)) != "" {
					return nil, apperr.Textf("line %d: malformed XML: text outside the root element", line)
				}
				continue
			}
			text.Write(t)
		case xml.Directive:
			return nil, apperr.Textf("line %d: DOCTYPE and other directives are not accepted", line)
		}
	}
	if root == nil {
		return nil, said("line 1: empty document: no root element")
	}
	return root, nil
}
