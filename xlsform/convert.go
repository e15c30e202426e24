package xlsform

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vigil-project/vigil/xform"
)

// Error is a problem in an XLSForm, naming the sheet, row and column.
type Error struct {
	Sheet  string
	Row    int // spreadsheet row number (1-based); 0 for the whole sheet
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Sheet)
	b.WriteString(" sheet")
	if e.Row > 0 {
		fmt.Fprintf(&b, ", row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found; it is returned as one error.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Options name the form when the settings sheet does not.
type Options struct {
	// Name is the instance root element's name (settings "name"; default
	// "data").
	Name string
	// ID is the form id (settings "form_id"; default Name).
	ID string
}

// Convert reads an .xlsx XLSForm and returns the XForm XML.
func Convert(xlsx []byte, opt Options) ([]byte, error) {
	sheets, err := ReadXLSX(xlsx)
	if err != nil {
		return nil, err
	}
	return ConvertSheets(sheets, opt)
}

type row struct {
	num  int
	cols map[string]string // normalised header -> cell text
}

func (r row) get(c string) string { return strings.TrimSpace(r.cols[c]) }

// header aliases (pyxform's spellings) to canonical names.
var aliases = map[string]string{
	"list name": "list_name", "constraint message": "constraint_message", "jr:constraintmsg": "constraint_message",
	"required message": "required_message", "jr:requiredmsg": "required_message", "requiredmsg": "required_message",
	"calculate": "calculation", "choice filter": "choice_filter", "read only": "read_only", "readonly": "read_only",
	"title": "form_title", "id_string": "form_id", "relevance": "relevant", "caption": "label",
}

// translatable columns (label::English (en) etc.).
var translatable = map[string]bool{"label": true, "hint": true, "constraint_message": true, "required_message": true}

var surveyColumns = map[string]bool{"type": true, "name": true, "label": true, "hint": true, "required": true,
	"required_message": true, "relevant": true, "constraint": true, "constraint_message": true, "calculation": true,
	"choice_filter": true, "appearance": true, "read_only": true}

func normHeader(h string) (base, lang string) {
	h = strings.TrimSpace(h)
	base, lang, _ = strings.Cut(h, "::")
	base = strings.ToLower(strings.TrimSpace(base))
	if a, ok := aliases[base]; ok {
		base = a
	}
	return base, strings.TrimSpace(lang)
}

func sheetRows(s Sheet) (headers []string, rows []row) {
	if len(s.Rows) == 0 {
		return nil, nil
	}
	headers = s.Rows[0]
	for i, r := range s.Rows[1:] {
		cols := map[string]string{}
		for j, v := range r {
			if j >= len(headers) || strings.TrimSpace(headers[j]) == "" {
				continue
			}
			base, lang := normHeader(headers[j])
			key := base
			if lang != "" {
				key = base + "::" + lang
			}
			cols[key] = v
		}
		rows = append(rows, row{num: s.RowNums[i+1], cols: cols})
	}
	return headers, rows
}

type element struct {
	kind     string // question, group, repeat
	typ      string // XLSForm type (text, integer, …)
	list     string
	orOther  bool
	name     string
	path     string
	row      row
	parent   *element
	children []*element
	// generated: an "other" text question
	otherOf *element
}

type choice struct {
	name   string
	labels map[string]string
	extra  map[string]string
}

var (
	reName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)
	reRef  = regexp.MustCompile(`\$\{([^}]*)\}`)
)

// questionTypes maps XLSForm types to the bind type and body control.
var questionTypes = map[string]struct{ bind, control string }{
	"text":            {"string", "input"},
	"integer":         {"int", "input"},
	"decimal":         {"decimal", "input"},
	"date":            {"date", "input"},
	"time":            {"time", "input"},
	"datetime":        {"dateTime", "input"},
	"geopoint":        {"geopoint", "input"},
	"note":            {"string", "input"},
	"calculate":       {"string", ""},
	"select_one":      {"string", "select1"},
	"select_multiple": {"string", "select"},
	"image":           {"binary", "upload"},
}

type converter struct {
	errs     Errors
	langs    map[string]bool
	defLang  string
	itext    bool
	root     *element
	byName   map[string]*element
	choices  map[string][]choice
	listCols map[string][]string // list -> extra columns in order
	used     []string            // lists used, in order
	settings map[string]string
	hasMedia bool
	pulldata map[string]bool
}

func (c *converter) errf(sheet string, r int, col, format string, args ...any) {
	c.errs = append(c.errs, &Error{Sheet: sheet, Row: r, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// ConvertSheets converts an already read workbook.
func ConvertSheets(sheets []Sheet, opt Options) ([]byte, error) {
	c := &converter{langs: map[string]bool{}, byName: map[string]*element{}, choices: map[string][]choice{},
		listCols: map[string][]string{}, settings: map[string]string{}, pulldata: map[string]bool{}}
	for _, sh := range sheets {
		for i, r := range sh.Rows {
			for j, v := range r {
				if msg := badText(v); msg != "" {
					n := i + 1
					if i < len(sh.RowNums) {
						n = sh.RowNums[i]
					}
					c.errf(sh.Name, n, columnName(j), "%s", msg)
				}
			}
		}
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	find := func(name string) *Sheet {
		for i := range sheets {
			if strings.EqualFold(strings.TrimSpace(sheets[i].Name), name) {
				return &sheets[i]
			}
		}
		return nil
	}
	survey := find("survey")
	if survey == nil && len(sheets) == 1 {
		survey = &sheets[0] // a workbook of one unnamed sheet (as pyxform accepts)
	}
	if survey == nil {
		return nil, Errors{{Sheet: "survey", Msg: "the workbook has no sheet named survey"}}
	}
	sname := survey.Name
	if st := find("settings"); st != nil {
		_, rows := sheetRows(*st)
		if len(rows) > 0 {
			for k, v := range rows[0].cols {
				c.settings[k] = strings.TrimSpace(v)
			}
		}
	}
	headers, rows := sheetRows(*survey)
	hasCol := map[string]bool{}
	for _, h := range headers {
		base, lang := normHeader(h)
		if base == "" {
			continue
		}
		hasCol[base] = true
		if lang != "" && translatable[base] {
			c.langs[lang] = true
		}
		if !surveyColumns[base] {
			// only an error if some row uses it
			for _, r := range rows {
				key := base
				if lang != "" {
					key += "::" + lang
				}
				if r.get(key) != "" {
					c.errf(sname, r.num, strings.TrimSpace(h), "column %q is not supported by this converter", strings.TrimSpace(h))
					break
				}
			}
		}
	}
	if !hasCol["type"] || !hasCol["name"] {
		return nil, Errors{{Sheet: sname, Row: 1, Msg: "the header row needs the columns type and name"}}
	}
	if ch := find("choices"); ch != nil {
		c.readChoices(*ch)
	}
	if len(c.langs) > 0 {
		c.itext = true
		c.defLang = c.settings["default_language"]
		if c.defLang == "" {
			c.defLang = "default"
		}
	}

	rootName := c.settings["name"]
	if rootName == "" {
		rootName = opt.Name
	}
	if rootName == "" {
		rootName = "data"
	}
	if !reName.MatchString(rootName) {
		c.errf("settings", 2, "name", "%q is not a valid XML element name", rootName)
		rootName = "data"
	}
	c.root = &element{kind: "group", name: rootName, path: "/" + rootName}

	// Structure: groups and repeats.
	stack := []*element{c.root}
	for _, r := range rows {
		typ := strings.Join(strings.Fields(r.get("type")), " ")
		name := r.get("name")
		if typ == "" {
			if name != "" {
				c.errf(sname, r.num, "type", "question %q has no type", name)
			}
			continue
		}
		lt := strings.ToLower(typ)
		parent := stack[len(stack)-1]
		switch lt {
		case "begin group", "begin_group", "begin repeat", "begin_repeat":
			kind := "group"
			if strings.Contains(lt, "repeat") {
				kind = "repeat"
			}
			e := c.newElement(sname, r, kind, lt, name, parent)
			stack = append(stack, e)
			continue
		case "end group", "end_group", "end repeat", "end_repeat":
			kind := "group"
			if strings.Contains(lt, "repeat") {
				kind = "repeat"
			}
			if len(stack) == 1 {
				c.errf(sname, r.num, "type", "%q without a matching begin %s", typ, kind)
				continue
			}
			top := stack[len(stack)-1]
			if top.kind != kind {
				c.errf(sname, r.num, "type", "%q closes the %s %q begun at row %d", typ, top.kind, top.name, top.row.num)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		fields := strings.Fields(typ)
		base := strings.ToLower(fields[0])
		qt, ok := questionTypes[base]
		if !ok || ((base == "select_one" || base == "select_multiple") != (len(fields) >= 2)) || len(fields) > 3 {
			switch {
			case ok && len(fields) == 1:
				c.errf(sname, r.num, "type", "%q needs a choice list name (e.g. %q)", typ, base+" yes_no")
			case ok:
				c.errf(sname, r.num, "type", "%q: unexpected words after the type", typ)
			default:
				c.errf(sname, r.num, "type", "unknown question type %q", typ)
			}
			if _, dup := c.byName[name]; !dup && name != "" {
				// known name: no follow-on errors for ${name} references
				c.byName[name] = &element{kind: "question", name: name, row: r, path: parent.path + "/" + name}
			}
			continue
		}
		_ = qt
		e := c.newElement(sname, r, "question", base, name, parent)
		if e == nil {
			continue
		}
		if len(fields) >= 2 {
			e.list = fields[1]
			if len(fields) == 3 {
				if strings.ToLower(fields[2]) != "or_other" {
					c.errf(sname, r.num, "type", "%q: unexpected %q after the list name", typ, fields[2])
				}
				e.orOther = true
			}
			if _, ok := c.choices[e.list]; !ok {
				if find("choices") == nil {
					c.errf(sname, r.num, "type", "%q: the workbook has no choices sheet", typ)
				} else {
					c.errf(sname, r.num, "type", "choice list %q is not in the choices sheet", e.list)
				}
			} else if !contains(c.used, e.list) {
				c.used = append(c.used, e.list)
			}
			if e.orOther {
				o := &element{kind: "question", typ: "text", name: name + "_other", parent: parent, otherOf: e,
					row: row{num: r.num, cols: map[string]string{"label": "Specify other."}}}
				o.path = parent.path + "/" + o.name
				parent.children = append(parent.children, o)
			}
		}
		if base == "calculate" && r.get("calculation") == "" {
			c.errf(sname, r.num, "calculation", "calculate %q has no calculation", name)
		}
		if base == "image" {
			c.hasMedia = true
		}
	}
	for _, e := range stack[1:] {
		c.errf(sname, e.row.num, "type", "begin %s %q is never ended", e.kind, e.name)
	}
	// Expressions (after all names are known).
	c.walk(c.root, func(e *element) {
		if e.otherOf != nil || e == c.root {
			return
		}
		for _, col := range []string{"relevant", "constraint", "calculation", "required", "read_only", "choice_filter"} {
			v := e.row.get(col)
			if v == "" || (col == "required" || col == "read_only") && isBoolWord(v) {
				continue
			}
			x := c.expr(sname, e.row.num, col, v)
			if x == "" {
				continue
			}
			if col == "choice_filter" {
				x = "instance('x')/root/item[" + x + "]"
			}
			if _, err := xform.ParseExpr(x); err != nil {
				c.errf(sname, e.row.num, col, "%v", err)
			}
		}
		for k, v := range e.row.cols {
			base, _ := normHeader(k)
			if translatable[base] {
				c.expr(sname, e.row.num, k, v) // check ${} references
			}
		}
	})
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	id := c.settings["form_id"]
	if id == "" {
		id = opt.ID
	}
	if id == "" {
		id = rootName
	}
	title := c.settings["form_title"]
	if title == "" {
		title = id
	}
	return c.write(id, title, c.settings["version"]), nil
}

func isBoolWord(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "no", "true", "false", "true()", "false()", "1", "0":
		return true
	}
	return false
}

func boolWord(v string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "true()", "1":
		return "true()", true
	case "", "no", "false", "false()", "0":
		return "", true
	}
	return "", false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (c *converter) newElement(sheet string, r row, kind, typ, name string, parent *element) *element {
	if name == "" {
		c.errf(sheet, r.num, "name", "%s has no name", typ)
		return nil
	}
	if !reName.MatchString(name) {
		c.errf(sheet, r.num, "name", "%q is not a valid name (letters, digits, _ - . ; starting with a letter or _)", name)
		return nil
	}
	if prev, dup := c.byName[name]; dup {
		c.errf(sheet, r.num, "name", "duplicate name %q (also at row %d)", name, prev.row.num)
		return nil
	}
	e := &element{kind: kind, typ: typ, name: name, row: r, parent: parent, path: parent.path + "/" + name}
	c.byName[name] = e
	parent.children = append(parent.children, e)
	return e
}

func (c *converter) walk(e *element, fn func(*element)) {
	fn(e)
	for _, ch := range e.children {
		c.walk(ch, fn)
	}
}

// expr replaces ${name} references with absolute paths, reporting unknown
// names. Returns "" after an error.
func (c *converter) expr(sheet string, rowNum int, col, v string) string {
	ok := true
	out := reRef.ReplaceAllStringFunc(v, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-1])
		e, found := c.byName[name]
		if !found {
			c.errf(sheet, rowNum, col, "${%s} refers to no question", name)
			ok = false
			return m
		}
		return " " + e.path + " "
	})
	if strings.Contains(out, "${") && ok {
		c.errf(sheet, rowNum, col, "unclosed ${ reference in %q", v)
		return ""
	}
	if !ok {
		return ""
	}
	return out
}

func (c *converter) readChoices(s Sheet) {
	headers, rows := sheetRows(s)
	var extra []string
	for _, h := range headers {
		base, lang := normHeader(h)
		switch {
		case base == "" || base == "list_name" || base == "name":
		case base == "label":
			if lang != "" {
				c.langs[lang] = true
			}
		case lang == "":
			extra = append(extra, base)
		default:
			c.errf(s.Name, 1, strings.TrimSpace(h), "column %q is not supported by this converter", strings.TrimSpace(h))
		}
	}
	seen := map[string]map[string]int{}
	for _, r := range rows {
		list, name := r.get("list_name"), r.get("name")
		if list == "" && name == "" {
			continue
		}
		if list == "" {
			c.errf(s.Name, r.num, "list_name", "choice %q has no list name", name)
			continue
		}
		if name == "" {
			c.errf(s.Name, r.num, "name", "a choice of list %q has no name", list)
			continue
		}
		if seen[list] == nil {
			seen[list] = map[string]int{}
		}
		if prev, dup := seen[list][name]; dup {
			c.errf(s.Name, r.num, "name", "duplicate choice %q in list %q (also at row %d)", name, list, prev)
			continue
		}
		seen[list][name] = r.num
		ch := choice{name: name, labels: map[string]string{}, extra: map[string]string{}}
		for k, v := range r.cols {
			base, lang := normHeader(k)
			if base == "label" && strings.TrimSpace(v) != "" {
				ch.labels[lang] = strings.TrimSpace(v)
			}
		}
		for _, col := range extra {
			if v := r.get(col); v != "" {
				ch.extra[col] = v
				if !contains(c.listCols[list], col) {
					c.listCols[list] = append(c.listCols[list], col)
				}
			}
		}
		c.choices[list] = append(c.choices[list], ch)
	}
}

// sortedLangs returns the languages, the default first.
func (c *converter) sortedLangs() []string {
	var ls []string
	for l := range c.langs {
		if l != c.defLang {
			ls = append(ls, l)
		}
	}
	sort.Strings(ls)
	return append([]string{c.defLang}, ls...)
}

// badText says what makes a cell's text unusable in XML, if anything.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "cell text is not valid UTF-8"
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return fmt.Sprintf("cell text holds the control character %U", r)
		}
	}
	return ""
}

// columnName turns a 0-based index into a spreadsheet column (A, B, … AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
