package starter

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

type xnode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xnode    `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n xnode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n xnode) walk(fn func(xnode)) {
	fn(n)
	for _, c := range n.Children {
		c.walk(fn)
	}
}

// TestStarterForm checks the form's structure: both languages carry every
// label the body refers to, every body control has a bind and an instance
// node, and the indicators refer to existing questions and choices.
func TestStarterForm(t *testing.T) {
	var root xnode
	if err := xml.Unmarshal(FormXML, &root); err != nil {
		t.Fatal(err)
	}
	texts := map[string]map[string]bool{} // lang → ids
	binds := map[string]bool{}
	instance := map[string]bool{}
	refs := map[string]bool{}
	choices := map[string]map[string]bool{} // field → values
	var formID string
	root.walk(func(n xnode) {
		switch n.XMLName.Local {
		case "translation":
			ids := map[string]bool{}
			for _, c := range n.Children {
				ids[c.attr("id")] = true
			}
			texts[n.attr("lang")] = ids
		case "bind":
			binds[n.attr("nodeset")] = true
		case "perception":
			formID = n.attr("id")
			for _, c := range n.Children {
				instance["/perception/"+c.XMLName.Local] = true
			}
		case "select1", "select", "input":
			ref := n.attr("ref")
			field := strings.TrimPrefix(ref, "/perception/")
			choices[field] = map[string]bool{}
			for _, c := range n.Children {
				if c.XMLName.Local == "item" {
					for _, cc := range c.Children {
						if cc.XMLName.Local == "value" {
							choices[field][strings.TrimSpace(cc.Text)] = true
						}
					}
				}
			}
			n.walk(func(m xnode) {
				if m.XMLName.Local == "label" {
					r := m.attr("ref")
					r = strings.TrimSuffix(strings.TrimPrefix(r, "jr:itext('"), "')")
					refs[r] = true
				}
			})
			if !binds[ref] {
				t.Errorf("control %s has no bind", ref)
			}
			if !instance[ref] {
				t.Errorf("control %s has no instance node", ref)
			}
		}
	})
	if formID != FormID {
		t.Errorf("form id %q, want %q", formID, FormID)
	}
	if len(texts) != 2 || texts["English (en)"] == nil || texts["French (fr)"] == nil {
		t.Fatalf("translations %v, want English (en) and French (fr)", len(texts))
	}
	for r := range refs {
		for lang, ids := range texts {
			if !ids[r] {
				t.Errorf("%s: no text %s", lang, r)
			}
		}
	}
	for _, q := range append(append([]string{}, Breakdowns...), "q_safety", "q_trust", "q_report", "q_violence", "q_sources", "location") {
		if _, ok := choices[q]; !ok {
			t.Errorf("no question %s", q)
		}
	}
	for _, ind := range Indicators() {
		if err := ind.Validate(); err != nil {
			t.Error(err)
		}
		for _, v := range append(append([]string{}, ind.Values...), ind.Missing...) {
			if !choices[ind.Field][v] {
				t.Errorf("indicator %s: %s has no choice %q", ind.ID, ind.Field, v)
			}
		}
	}
	for q, h := range Generalise {
		for v := range h {
			if !choices[q][v] {
				t.Errorf("generalise %s: no choice %q", q, v)
			}
		}
	}
	if err := Disclosure().Validate(); err != nil {
		t.Error(err)
	}
}

// TestStarterFrenchApostrophes: the form's French labels (its French
// translation) and the indicators' French labels write the typographic
// apostrophe ’ between letters, as the app's French does (« Tranche
// d’âge », « Radio de l’ONU »), never a straight one.
func TestStarterFrenchApostrophes(t *testing.T) {
	var root xnode
	if err := xml.Unmarshal(FormXML, &root); err != nil {
		t.Fatal(err)
	}
	straight := regexp.MustCompile(`\pL'\pL`)
	texts := map[string]string{} // where → French
	root.walk(func(n xnode) {
		if n.XMLName.Local != "translation" || !strings.HasPrefix(n.attr("lang"), "French") {
			return
		}
		for _, c := range n.Children {
			c.walk(func(v xnode) {
				if v.XMLName.Local == "value" {
					texts["label "+c.attr("id")] = v.Text
				}
			})
		}
	})
	for _, ind := range Indicators() {
		texts["indicator "+ind.ID] = ind.LabelFR
	}
	if len(texts) < 40 {
		t.Fatalf("only %d French texts found", len(texts))
	}
	for where, s := range texts {
		if m := straight.FindString(s); m != "" {
			t.Errorf("%s: %q has %q (write ’, U+2019)", where, s, m)
		}
	}
}
