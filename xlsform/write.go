package xlsform

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// itextEntry is one <text> of every translation: lang -> form -> value,
// where form "" is the plain text and image, audio, video, big-image are
// media (jr:// URIs).
type itextEntry struct {
	id   string
	vals map[string]map[string]string
	// same is a text written alike in every language ("Other").
	same string
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

// mediaOf returns a row's media (image, audio, video, big-image columns,
// also media::image and image::lang) by language, as jr:// URIs.
func mediaOf(r row) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, v := range r.cols {
		base, lang := normHeader(k)
		prefix := mediaForms[base]
		if prefix == "" || strings.TrimSpace(v) == "" {
			continue
		}
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		out[lang][base] = prefix + strings.TrimSpace(v)
	}
	return out
}

// needsItext says whether a text goes to itext (as pyxform decides): when
// it has a language-suffixed column or media; otherwise it is written
// inline.
func needsItext(t map[string]string, media map[string]map[string]string) bool {
	if len(media) > 0 {
		return true
	}
	for l := range t {
		if l != "" {
			return true
		}
	}
	return false
}

// addText records an itext entry; the unsuffixed column is the default
// language.
func (w *writer) addText(id string, byLang map[string]string, media map[string]map[string]string) {
	vals := map[string]map[string]string{}
	lang := func(l string) map[string]string {
		if l == "" {
			l = w.c.defLang
		}
		if vals[l] == nil {
			vals[l] = map[string]string{}
		}
		return vals[l]
	}
	for l, v := range byLang {
		lang(l)[""] = v
	}
	for l, m := range media {
		for f, v := range m {
			lang(l)[f] = v
		}
	}
	w.texts = append(w.texts, itextEntry{id: id, vals: vals})
}

// langs returns the itext languages, the default first.
func (w *writer) langs() []string {
	set := map[string]bool{}
	for _, t := range w.texts {
		for l := range t.vals {
			set[l] = true
		}
	}
	var ls []string
	for l := range set {
		if l != w.c.defLang {
			ls = append(ls, l)
		}
	}
	sort.Strings(ls)
	if set[w.c.defLang] || len(ls) == 0 {
		ls = append([]string{w.c.defLang}, ls...)
	}
	return ls
}

// writeItext writes the translations. As pyxform does, a text missing in a
// language is "-" there; missing media are left out.
func (w *writer) writeItext(b *strings.Builder) {
	if len(w.texts) == 0 {
		return
	}
	langs := w.langs()
	b.WriteString("      <itext>\n")
	for _, l := range langs {
		def := ""
		if l == w.c.defLang {
			def = ` default="true()"`
		}
		fmt.Fprintf(b, "        <translation lang=\"%s\"%s>\n", esc(l), def)
		for _, t := range w.texts {
			forms := map[string]bool{}
			for _, m := range t.vals {
				for f := range m {
					forms[f] = true
				}
			}
			var fs []string
			for f := range forms {
				if f != "" {
					fs = append(fs, f)
				}
			}
			sort.Strings(fs)
			var vb strings.Builder
			for _, f := range fs {
				if v, ok := t.vals[l][f]; ok {
					fmt.Fprintf(&vb, "<value form=\"%s\">%s</value>", f, esc(v))
				}
			}
			if t.same != "" {
				fmt.Fprintf(&vb, "<value>%s</value>", esc(t.same))
			} else if forms[""] {
				v, ok := t.vals[l][""]
				if !ok {
					v = "-"
				}
				fmt.Fprintf(&vb, "<value>%s</value>", w.richText(v))
			}
			if vb.Len() == 0 {
				fmt.Fprintf(b, "          <text id=\"%s\"/>\n", esc(t.id))
			} else {
				fmt.Fprintf(b, "          <text id=\"%s\">%s</text>\n", esc(t.id), vb.String())
			}
		}
		b.WriteString("        </translation>\n")
	}
	b.WriteString("      </itext>\n")
}

// listItext says whether a choice list's labels go to itext.
func (c *converter) listItext(list string) bool {
	for _, ch := range c.choices[list] {
		if needsItext(ch.labels, ch.media) {
			return true
		}
	}
	return false
}

func (c *converter) hasOther(list string) bool {
	other := false
	c.walk(c.root, func(e *element) {
		if e.list == list && e.orOther {
			other = true
		}
	})
	return other
}

// attrCols returns the values of the attribute columns with the prefix
// (bind::, instance::, body::) as ` name="value"`, ${} references replaced,
// sorted by name.
func (c *converter) attrCols(e *element, prefix string) string {
	var keys []string
	for k, v := range e.row.cols {
		if p, _, ok := attrColumn(k); ok && p == prefix && strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		_, name, _ := attrColumn(k)
		fmt.Fprintf(&b, ` %s="%s"`, name, esc(c.expr("survey", e.row.num, k, e.row.get(k))))
	}
	return b.String()
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
	for _, list := range c.used {
		if !c.listItext(list) {
			continue
		}
		for i, ch := range c.choices[list] {
			w.addText(fmt.Sprintf("%s-%d", list, i), ch.labels, ch.media)
		}
		if c.hasOther(list) {
			w.texts = append(w.texts, itextEntry{id: fmt.Sprintf("%s-%d", list, len(c.choices[list])), same: "Other"})
		}
	}
	b := &w.b
	b.WriteString(`<?xml version="1.0"?>` + "\n")
	b.WriteString(`<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:ev="http://www.w3.org/2001/xml-events" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms" xmlns:orx="http://openrosa.org/xforms" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` + "\n")
	b.WriteString("  <h:head>\n")
	fmt.Fprintf(b, "    <h:title>%s</h:title>\n", esc(title))
	b.WriteString(`    <model odk:xforms-version="1.0.0">` + "\n")
	if url, key := c.settings["submission_url"], c.settings["public_key"]; url != "" || key != "" {
		b.WriteString("      <submission")
		if url != "" {
			fmt.Fprintf(b, ` action="%s"`, esc(url))
		}
		if key != "" {
			fmt.Fprintf(b, ` base64RsaPublicKey="%s"`, esc(key))
		}
		b.WriteString(` method="post"/>` + "\n")
	}
	w.writeItext(b)
	b.WriteString("      <instance>\n")
	verAttr := ""
	if version != "" {
		verAttr = fmt.Sprintf(` version="%s"`, esc(version))
	}
	fmt.Fprintf(b, "        <%s id=\"%s\"%s>\n", c.root.name, esc(id), verAttr)
	for _, e := range c.root.children {
		w.instanceElement(e, "          ", false)
	}
	b.WriteString("          <meta>\n            <instanceID/>\n")
	if c.settings["instance_name"] != "" {
		b.WriteString("            <instanceName/>\n")
	}
	b.WriteString("          </meta>\n")
	fmt.Fprintf(b, "        </%s>\n", c.root.name)
	b.WriteString("      </instance>\n")
	for _, list := range c.used {
		fmt.Fprintf(b, "      <instance id=\"%s\">\n        <root>\n", esc(list))
		itext := c.listItext(list)
		for i, ch := range c.choices[list] {
			b.WriteString("          <item>")
			if itext {
				fmt.Fprintf(b, "<itextId>%s-%d</itextId>", esc(list), i)
			} else {
				fmt.Fprintf(b, "<label>%s</label>", esc(ch.labels[""]))
			}
			fmt.Fprintf(b, "<name>%s</name>", esc(ch.name))
			for _, col := range c.listCols[list] {
				if v, ok := ch.extra[col]; ok {
					fmt.Fprintf(b, "<%s>%s</%s>", col, esc(v), col)
				}
			}
			b.WriteString("</item>\n")
		}
		if c.hasOther(list) {
			if itext {
				fmt.Fprintf(b, "          <item><itextId>%s-%d</itextId><name>other</name></item>\n", esc(list), len(c.choices[list]))
			} else {
				b.WriteString("          <item><label>Other</label><name>other</name></item>\n")
			}
		}
		b.WriteString("        </root>\n      </instance>\n")
	}
	for _, name := range c.pulldataInstances() {
		fmt.Fprintf(b, "      <instance id=\"%s\" src=\"jr://file-csv/%s.csv\"/>\n", esc(name), esc(name))
	}
	b.WriteString(binds)
	fmt.Fprintf(b, "      <bind jr:preload=\"uid\" nodeset=\"/%s/meta/instanceID\" readonly=\"true()\" type=\"string\"/>\n", c.root.name)
	if v := c.settings["instance_name"]; v != "" {
		fmt.Fprintf(b, "      <bind calculate=\"%s\" nodeset=\"/%s/meta/instanceName\" type=\"string\"/>\n", esc(c.expr("settings", 2, "instance_name", v)), c.root.name)
	}
	b.WriteString("    </model>\n  </h:head>\n")
	if style := c.settings["style"]; style != "" {
		fmt.Fprintf(b, "  <h:body class=\"%s\">\n", esc(style))
	} else {
		b.WriteString("  <h:body>\n")
	}
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
				if !slices.Contains(out, m[1]) {
					out = append(out, m[1])
				}
			}
		}
	})
	return out
}

func (w *writer) instanceElement(e *element, ind string, template bool) {
	b := &w.b
	attrs := ""
	if !template {
		attrs = w.c.attrCols(e, "instance::")
	}
	switch e.kind {
	case "question":
		if d := e.row.get("default"); d != "" {
			fmt.Fprintf(b, "%s<%s%s>%s</%s>\n", ind, e.name, attrs, esc(d), e.name)
		} else {
			fmt.Fprintf(b, "%s<%s%s/>\n", ind, e.name, attrs)
		}
	case "group":
		if w.c.flat {
			for _, ch := range e.children {
				w.instanceElement(ch, ind, false)
			}
			return
		}
		fmt.Fprintf(b, "%s<%s%s>\n", ind, e.name, attrs)
		for _, ch := range e.children {
			w.instanceElement(ch, ind+"  ", false)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, e.name)
	case "repeat":
		fmt.Fprintf(b, "%s<%s jr:template=\"\">\n", ind, e.name)
		for _, ch := range e.children {
			w.instanceElement(ch, ind+"  ", false)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, e.name)
		fmt.Fprintf(b, "%s<%s%s>\n", ind, e.name, attrs)
		for _, ch := range e.children {
			w.instanceElement(ch, ind+"  ", false)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, e.name)
	}
}

// message adds jr:constraintMsg or jr:requiredMsg: inline, or an itext
// reference when the message has translations.
func (w *writer) message(add func(k, v string), e *element, col, attr string) {
	msgs := texts(e.row, col)
	if len(msgs) == 0 {
		return
	}
	if needsItext(msgs, nil) {
		id := e.path + ":" + attr
		w.addText(id, msgs, nil)
		add(attr, "jr:itext('"+id+"')")
		return
	}
	add(attr, msgs[""])
}

func (w *writer) bind(e *element) {
	c := w.c
	if c.flat && e.kind == "group" {
		return // its relevance is on its questions
	}
	var attrs []string
	add := func(k, v string) { attrs = append(attrs, fmt.Sprintf(`%s="%s"`, k, esc(v))) }
	r := e.row
	// relevance, with that of the flat groups around the element
	var rels []string
	if c.flat {
		for p := e.parent; p != nil && p != c.root; p = p.parent {
			if v := p.row.get("relevant"); p.kind == "group" && v != "" {
				rels = append([]string{c.expr("survey", p.row.num, "relevant", v)}, rels...)
			}
		}
	}
	if e.otherOf != nil {
		rels = append(rels, fmt.Sprintf("selected(../%s, 'other')", e.otherOf.name))
	} else if v := r.get("relevant"); v != "" {
		rels = append(rels, c.expr("survey", r.num, "relevant", v))
	}
	switch len(rels) {
	case 0:
	case 1:
		add("relevant", rels[0])
	default:
		add("relevant", "("+strings.Join(rels, ") and (")+")")
	}
	if e.otherOf != nil {
		add("type", "string")
		fmt.Fprintf(&w.b, "      <bind nodeset=\"%s\" %s/>\n", e.path, strings.Join(attrs, " "))
		return
	}
	if v := r.get("calculation"); v != "" {
		add("calculate", c.expr("survey", r.num, "calculation", v))
	}
	if v := r.get("constraint"); v != "" {
		add("constraint", c.expr("survey", r.num, "constraint", v))
		w.message(add, e, "constraint_message", "jr:constraintMsg")
	}
	ro := ""
	if e.typ == "note" {
		ro = "true()"
	}
	if v := r.get("read_only"); v != "" {
		if x, ok := boolWord(v); ro != "" {
			// a note is read-only whatever the column says
		} else if !ok {
			ro = c.expr("survey", r.num, "read_only", v)
		} else {
			ro = x // an explicit no is written, as pyxform does
		}
	}
	if ro != "" {
		add("readonly", ro)
	}
	if v := r.get("required"); v != "" {
		x, ok := boolWord(v)
		if !ok {
			x = c.expr("survey", r.num, "required", v)
		}
		if x != "" {
			add("required", x)
		}
		if x != "" && x != "false()" {
			w.message(add, e, "required_message", "jr:requiredMsg")
		}
	}
	qt := questionTypes[e.typ]
	if e.kind == "question" && qt.preload != "" {
		add("jr:preload", qt.preload)
		add("jr:preloadParams", qt.params)
	}
	if v := r.get("noapperrorstring"); v != "" {
		add("jr:noAppErrorString", v)
	}
	extra := c.attrCols(e, "bind::")
	if e.kind == "question" {
		add("type", qt.bind)
	} else if len(attrs) == 0 && extra == "" {
		return
	}
	list := ""
	if len(attrs) > 0 {
		list = " " + strings.Join(attrs, " ")
	}
	fmt.Fprintf(&w.b, "      <bind nodeset=\"%s\"%s%s/>\n", e.path, list, extra)
}

// labelHint writes <label> and <hint>: inline, or an itext reference when
// they have translations or media.
func (w *writer) labelHint(b *strings.Builder, e *element, ind string) {
	if e.emptyLabel {
		fmt.Fprintf(b, "%s<label></label>\n", ind)
		return
	}
	for _, col := range []string{"label", "hint"} {
		t := texts(e.row, col)
		var media map[string]map[string]string
		if col == "label" {
			media = mediaOf(e.row)
		}
		if len(t) == 0 && len(media) == 0 {
			continue
		}
		if needsItext(t, media) {
			id := e.path + ":" + col
			w.addText(id, t, media)
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
	attrs := w.c.attrCols(e, "body::")
	switch e.kind {
	case "group":
		if w.c.flat {
			fmt.Fprintf(b, "%s<group%s%s>\n", ind, app, attrs)
		} else {
			fmt.Fprintf(b, "%s<group%s%s ref=\"%s\">\n", ind, app, attrs, e.path)
		}
		w.labelHint(b, e, ind+"  ")
		for _, ch := range e.children {
			w.bodyElement(b, ch, ind+"  ")
		}
		fmt.Fprintf(b, "%s</group>\n", ind)
	case "repeat":
		fmt.Fprintf(b, "%s<group ref=\"%s\">\n", ind, e.path)
		w.labelHint(b, e, ind+"  ")
		count := ""
		if e.count != "" {
			count = fmt.Sprintf(` jr:count="%s"`, esc(e.count))
		}
		fmt.Fprintf(b, "%s  <repeat%s%s%s nodeset=\"%s\">\n", ind, app, attrs, count, e.path)
		for _, ch := range e.children {
			w.bodyElement(b, ch, ind+"    ")
		}
		fmt.Fprintf(b, "%s  </repeat>\n%s</group>\n", ind, ind)
	case "question":
		qt := questionTypes[e.typ]
		if qt.control == "" {
			return
		}
		extra := ""
		if qt.mediatype != "" {
			extra = fmt.Sprintf(` mediatype="%s"`, qt.mediatype)
		}
		if v := e.row.get("rows"); v != "" {
			extra += fmt.Sprintf(` rows="%s"`, esc(v))
		}
		if v := e.row.get("autoplay"); v != "" {
			extra += fmt.Sprintf(` autoplay="%s"`, esc(strings.ToLower(v)))
		}
		fmt.Fprintf(b, "%s<%s%s%s%s ref=\"%s\">\n", ind, qt.control, app, extra, attrs, e.path)
		w.labelHint(b, e, ind+"  ")
		if e.list != "" {
			nodeset := fmt.Sprintf("instance('%s')/root/item", e.list)
			if f := e.row.get("choice_filter"); f != "" {
				nodeset += "[" + w.c.expr("survey", e.row.num, "choice_filter", f) + "]"
			}
			label := "label"
			if w.c.listItext(e.list) {
				label = "jr:itext(itextId)"
			}
			fmt.Fprintf(b, "%s  <itemset nodeset=\"%s\">\n%s    <value ref=\"name\"/>\n%s    <label ref=\"%s\"/>\n%s  </itemset>\n", ind, esc(nodeset), ind, ind, label, ind)
		}
		fmt.Fprintf(b, "%s</%s>\n", ind, qt.control)
	}
}
