package xlsform

import (
	"fmt"
	"regexp"
	"strings"
)

type itextEntry struct {
	id     string
	values map[string]string // lang -> text
}

type writer struct {
	c     *converter
	b     strings.Builder
	texts []itextEntry
}

func esc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

var reOutput = regexp.MustCompile(`\$\{([^}]*)\}`)

// richText escapes a label and turns ${name} into <output value="…"/>.
func (w *writer) richText(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range reOutput.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(esc(s[last:m[0]]))
		name := strings.TrimSpace(s[m[2]:m[3]])
		if e, ok := w.c.byName[name]; ok {
			fmt.Fprintf(&b, `<output value=" %s "/>`, esc(e.path))
		} else {
			b.WriteString(esc(s[m[0]:m[1]]))
		}
		last = m[1]
	}
	b.WriteString(esc(s[last:]))
	return b.String()
}

// texts returns the texts of a translatable column by language ("" for
// the unsuffixed column).
func texts(r row, col string) map[string]string {
	out := map[string]string{}
	for k, v := range r.cols {
		base, lang := normHeader(k)
		if base == col && strings.TrimSpace(v) != "" {
			out[lang] = strings.TrimSpace(v)
		}
	}
	return out
}

// addText records an itext entry, filling missing languages with "-".
func (w *writer) addText(id string, byLang map[string]string) {
	vals := map[string]string{}
	for _, l := range w.c.sortedLangs() {
		v, ok := byLang[l]
		if !ok && l == w.c.defLang {
			v, ok = byLang[""]
		}
		if !ok {
			v = "-"
		}
		vals[l] = v
	}
	w.texts = append(w.texts, itextEntry{id: id, values: vals})
}

func (c *converter) write(id, title, version string) []byte {
	w := &writer{c: c}
	var body strings.Builder
	for _, e := range c.root.children {
		w.bodyElement(&body, e, "    ")
	}
	// binds first: they add constraint and required messages to itext
	c.walk(c.root, func(e *element) {
		if e != c.root {
			w.bind(e)
		}
	})
	binds := w.b.String()
	w.b.Reset()
	b := &w.b
	b.WriteString(`<?xml version="1.0"?>` + "\n")
	b.WriteString(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:orx="http://openrosa.org/xforms" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` + "\n")
	b.WriteString("  <h:head>\n")
	fmt.Fprintf(b, "    <h:title>%s</h:title>\n", esc(title))
	b.WriteString(`    <model odk:xforms-version="1.0.0">` + "\n")
	if c.itext {
		// choice labels
		for _, list := range c.used {
			for i, ch := range c.choices[list] {
				w.addText(fmt.Sprintf("%s-%d", list, i), ch.labels)
			}
		}
		b.WriteString("      <itext>\n")
		for _, l := range c.sortedLangs() {
			def := ""
			if l == c.defLang {
				def = ` default="true()"`
			}
			fmt.Fprintf(b, "        <translation lang=\"%s\"%s>\n", esc(l), def)
			for _, t := range w.texts {
				fmt.Fprintf(b, "          <text id=\"%s\"><value>%s</value></text>\n", esc(t.id), w.richText(t.values[l]))
			}
			b.WriteString("        </translation>\n")
		}
		b.WriteString("      </itext>\n")
	}
	b.WriteString("      <instance>\n")
	verAttr := ""
	if version != "" {
		verAttr = fmt.Sprintf(` version="%s"`, esc(version))
	}
	fmt.Fprintf(b, "        <%s id=\"%s\"%s>\n", c.root.name, esc(id), verAttr)
	for _, e := range c.root.children {
		w.instanceElement(e, "          ", false)
	}
	b.WriteString("          <meta>\n            <instanceID/>\n          </meta>\n")
	fmt.Fprintf(b, "        </%s>\n", c.root.name)
	b.WriteString("      </instance>\n")
	for _, list := range c.used {
		fmt.Fprintf(b, "      <instance id=\"%s\">\n        <root>\n", esc(list))
		other := false
		for i, ch := range c.choices[list] {
			b.WriteString("          <item>")
			if c.itext {
				fmt.Fprintf(b, "<itextId>%s-%d</itextId>", esc(list), i)
			} else {
				label := ch.labels[""]
				fmt.Fprintf(b, "<label>%s</label>", esc(label))
			}
			fmt.Fprintf(b, "<name>%s</name>", esc(ch.name))
			for _, col := range c.listCols[list] {
				if v, ok := ch.extra[col]; ok {
					fmt.Fprintf(b, "<%s>%s</%s>", col, esc(v), col)
				}
			}
			b.WriteString("</item>\n")
		}
		c.walk(c.root, func(e *element) {
			if e.list == list && e.orOther {
				other = true
			}
		})
		if other && !c.itext {
			b.WriteString("          <item><label>Other</label><name>other</name></item>\n")
		}
		b.WriteString("        </root>\n      </instance>\n")
	}
	for _, name := range c.pulldataInstances() {
		fmt.Fprintf(b, "      <instance id=\"%s\" src=\"jr://file-csv/%s.csv\"/>\n", esc(name), esc(name))
	}
	b.WriteString(binds)
	fmt.Fprintf(b, "      <bind jr:preload=\"uid\" nodeset=\"/%s/meta/instanceID\" readonly=\"true()\" type=\"string\"/>\n", c.root.name)
	b.WriteString("    </model>\n  </h:head>\n  <h:body>\n")
	b.WriteString(body.String())
	b.WriteString("  </h:body>\n</h:html>\n")
	return []byte(b.String())
}

var rePulldata = regexp.MustCompile(`pulldata\s*\(\s*['"]([A-Za-z0-9_.-]+)['"]`)

func (c *converter) pulldataInstances() []string {
	var out []string
	c.walk(c.root, func(e *element) {
		for _, col := range []string{"calculation", "relevant", "constraint", "choice_filter"} {
			for _, m := range rePulldata.FindAllStringSubmatch(e.row.get(col), -1) {
				if !contains(out, m[1]) {
					out = append(out, m[1])
				}
			}
		}
	})
	return out
}

func (w *writer) instanceElement(e *element, ind string, _ bool) {
	b := &w.b
	switch e.kind {
	case "question":
		fmt.Fprintf(b, "%s<%s/>\n", ind, e.name)
	case "group":
		fmt.Fprintf(b, "%s<%s>\n", ind, e.name)
		for _, ch := range e.children {
			w.instanceElement(ch, ind+"  ", false)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, e.name)
	case "repeat":
		for _, tmpl := range []string{` jr:template=""`, ""} {
			fmt.Fprintf(b, "%s<%s%s>\n", ind, e.name, tmpl)
			for _, ch := range e.children {
				w.instanceElement(ch, ind+"  ", false)
			}
			fmt.Fprintf(b, "%s</%s>\n", ind, e.name)
		}
	}
}

func (w *writer) bind(e *element) {
	c := w.c
	var attrs []string
	add := func(k, v string) { attrs = append(attrs, fmt.Sprintf(`%s="%s"`, k, esc(v))) }
	r := e.row
	if e.otherOf != nil {
		add("relevant", fmt.Sprintf("selected(../%s, 'other')", e.otherOf.name))
		add("type", "string")
		fmt.Fprintf(&w.b, "      <bind nodeset=\"%s\" %s/>\n", e.path, strings.Join(attrs, " "))
		return
	}
	if v := r.get("calculation"); v != "" {
		add("calculate", c.expr("survey", r.num, "calculation", v))
	}
	if v := r.get("constraint"); v != "" {
		add("constraint", c.expr("survey", r.num, "constraint", v))
		if msgs := texts(r, "constraint_message"); len(msgs) > 0 {
			if c.itext {
				id := e.path + ":jr:constraintMsg"
				w.addText(id, msgs)
				add("jr:constraintMsg", "jr:itext('"+id+"')")
			} else {
				add("jr:constraintMsg", msgs[""])
			}
		}
	}
	ro := e.typ == "note"
	if v := r.get("read_only"); v != "" {
		if x, ok := boolWord(v); ok {
			ro = ro || x != ""
		} else {
			add("readonly", c.expr("survey", r.num, "read_only", v))
		}
	}
	if ro {
		add("readonly", "true()")
	}
	if v := r.get("relevant"); v != "" {
		add("relevant", c.expr("survey", r.num, "relevant", v))
	}
	if v := r.get("required"); v != "" {
		x, ok := boolWord(v)
		if !ok {
			x = c.expr("survey", r.num, "required", v)
		}
		if x != "" {
			add("required", x)
			if msgs := texts(r, "required_message"); len(msgs) > 0 {
				if c.itext {
					id := e.path + ":jr:requiredMsg"
					w.addText(id, msgs)
					add("jr:requiredMsg", "jr:itext('"+id+"')")
				} else {
					add("jr:requiredMsg", msgs[""])
				}
			}
		}
	}
	if e.kind == "question" {
		add("type", questionTypes[e.typ].bind)
	} else if len(attrs) == 0 {
		return
	}
	fmt.Fprintf(&w.b, "      <bind nodeset=\"%s\" %s/>\n", e.path, strings.Join(attrs, " "))
}

// label writes <label> (or its itext reference) and <hint>.
func (w *writer) labelHint(b *strings.Builder, e *element, ind string) {
	for _, col := range []string{"label", "hint"} {
		t := texts(e.row, col)
		if len(t) == 0 {
			continue
		}
		if w.c.itext {
			id := e.path + ":" + col
			w.addText(id, t)
			fmt.Fprintf(b, "%s<%s ref=\"jr:itext('%s')\"/>\n", ind, col, esc(id))
			continue
		}
		fmt.Fprintf(b, "%s<%s>%s</%s>\n", ind, col, w.richText(t[""]), col)
	}
}

func (w *writer) bodyElement(b *strings.Builder, e *element, ind string) {
	app := ""
	if a := e.row.get("appearance"); a != "" {
		app = fmt.Sprintf(` appearance="%s"`, esc(a))
	}
	switch e.kind {
	case "group":
		fmt.Fprintf(b, "%s<group%s ref=\"%s\">\n", ind, app, e.path)
		w.labelHint(b, e, ind+"  ")
		for _, ch := range e.children {
			w.bodyElement(b, ch, ind+"  ")
		}
		fmt.Fprintf(b, "%s</group>\n", ind)
	case "repeat":
		fmt.Fprintf(b, "%s<group ref=\"%s\">\n", ind, e.path)
		w.labelHint(b, e, ind+"  ")
		fmt.Fprintf(b, "%s  <repeat%s nodeset=\"%s\">\n", ind, app, e.path)
		for _, ch := range e.children {
			w.bodyElement(b, ch, ind+"    ")
		}
		fmt.Fprintf(b, "%s  </repeat>\n%s</group>\n", ind, ind)
	case "question":
		ctl := questionTypes[e.typ].control
		if ctl == "" {
			return
		}
		extra := ""
		if ctl == "upload" {
			extra = ` mediatype="image/*"`
		}
		fmt.Fprintf(b, "%s<%s%s%s ref=\"%s\">\n", ind, ctl, app, extra, e.path)
		w.labelHint(b, e, ind+"  ")
		if e.list != "" {
			nodeset := fmt.Sprintf("instance('%s')/root/item", e.list)
			if f := e.row.get("choice_filter"); f != "" {
				nodeset += "[" + w.c.expr("survey", e.row.num, "choice_filter", f) + "]"
			}
			label := "label"
			if w.c.itext {
				label = "jr:itext(itextId)"
			}
			fmt.Fprintf(b, "%s  <itemset nodeset=\"%s\">\n%s    <value ref=\"name\"/>\n%s    <label ref=\"%s\"/>\n%s  </itemset>\n", ind, esc(nodeset), ind, ind, label, ind)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, ctl)
	}
}
