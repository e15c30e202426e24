package xlsform

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/xform"
)

// Error is a problem in an XLSForm, naming the sheet, row and column.
type Error struct {
	Sheet  string
	Row    int // spreadsheet row number (1-based); 0 for the whole sheet
	Column string
	Msg    string
	why    *apperr.Message // Msg as a catalog message (problem)
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
	return ConvertContext(context.Background(), xlsx, opt)
}

// ConvertContext is Convert within the shared decompression budget
// (ReadXLSXContext): it may wait for other workbooks until ctx ends.
func ConvertContext(ctx context.Context, xlsx []byte, opt Options) ([]byte, error) {
	sheets, err := ReadXLSXContext(ctx, xlsx)
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
var translatable = map[string]bool{"label": true, "hint": true, "constraint_message": true, "required_message": true,
	"image": true, "audio": true, "video": true, "big-image": true}

// mediaForms are the media columns (image, media::image, image::lang …):
// the itext value form and the jr:// URI prefix of the file.
var mediaForms = map[string]string{"image": "jr://images/", "big-image": "jr://images/", "audio": "jr://audio/", "video": "jr://video/"}

var surveyColumns = map[string]bool{"type": true, "name": true, "label": true, "hint": true, "required": true,
	"required_message": true, "relevant": true, "constraint": true, "constraint_message": true, "calculation": true,
	"choice_filter": true, "appearance": true, "read_only": true, "default": true, "repeat_count": true, "rows": true,
	"autoplay": true, "noapperrorstring": true, "buttontext": true,
	"image": true, "audio": true, "video": true, "big-image": true}

// attribute column prefixes: bind::x, instance::x and body::x add the
// attribute x to the question's bind, instance node or body control.
var attrPrefixes = []string{"bind::", "instance::", "body::"}

// reserved attributes the converter writes itself, by attribute column
// prefix; an attribute column may not set them.
var reservedAttrs = map[string]map[string]bool{
	"bind::":     {"nodeset": true, "type": true, "relevant": true, "required": true, "constraint": true, "calculate": true, "readonly": true, "jr:constraintMsg": true, "jr:requiredMsg": true, "jr:preload": true, "jr:preloadParams": true, "jr:noAppErrorString": true},
	"instance::": {"id": true, "version": true, "jr:template": true},
	"body::":     {"ref": true, "nodeset": true, "appearance": true, "mediatype": true, "jr:count": true, "rows": true, "autoplay": true},
}

var reAttrName = regexp.MustCompile(`^(?:(?:jr|odk|orx):)?[A-Za-z_][A-Za-z0-9._-]*$`)

func normHeader(h string) (base, lang string) {
	h = strings.TrimSpace(h)
	base, lang, _ = strings.Cut(h, "::")
	base = strings.ToLower(strings.TrimSpace(base))
	lang = strings.TrimSpace(lang)
	switch base {
	case "bind", "instance", "body":
		return base + "::" + lang, ""
	case "media":
		base, lang, _ = strings.Cut(lang, "::")
		base = strings.ToLower(strings.TrimSpace(base))
		lang = strings.TrimSpace(lang)
	}
	if a, ok := aliases[base]; ok {
		base = a
	}
	return base, lang
}

// attrColumn splits an attribute column (bind::x) into prefix and name.
func attrColumn(base string) (prefix, name string, ok bool) {
	for _, p := range attrPrefixes {
		if strings.HasPrefix(base, p) {
			return p, base[len(p):], true
		}
	}
	return "", "", false
}

// smartQuotes are replaced by straight ones in every cell, as pyxform does.
var smartQuotes = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`)

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
			cols[key] = smartQuotes.Replace(v)
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
	// generated: a repeat count or table-list label the converter adds;
	// its row's cells are checked on the row it comes from
	generated bool
	// count is a repeat's jr:count expression (an absolute path)
	count string
	// emptyLabel: the generated label row of a table-list group
	emptyLabel bool
}

type choice struct {
	name   string
	labels map[string]string            // lang ("" for the unsuffixed column) -> label
	media  map[string]map[string]string // lang -> form (image, audio, …) -> jr:// URI
	extra  map[string]string
}

var (
	reName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)
	reRef  = regexp.MustCompile(`\$\{([^}]*)\}`)
)

// qtype is how an XLSForm type is written: the bind type, the body
// control ("" for none), the upload media type and the preload.
type qtype struct{ bind, control, mediatype, preload, params string }

// questionTypes maps XLSForm types to the bind type and body control.
var questionTypes = map[string]qtype{
	"text":            {bind: "string", control: "input"},
	"integer":         {bind: "int", control: "input"},
	"decimal":         {bind: "decimal", control: "input"},
	"date":            {bind: "date", control: "input"},
	"time":            {bind: "time", control: "input"},
	"datetime":        {bind: "dateTime", control: "input"},
	"geopoint":        {bind: "geopoint", control: "input"},
	"geotrace":        {bind: "geotrace", control: "input"},
	"geoshape":        {bind: "geoshape", control: "input"},
	"barcode":         {bind: "barcode", control: "input"},
	"note":            {bind: "string", control: "input"},
	"acknowledge":     {bind: "string", control: "trigger"},
	"calculate":       {bind: "string"},
	"select_one":      {bind: "string", control: "select1"},
	"select_multiple": {bind: "string", control: "select"},
	"image":           {bind: "binary", control: "upload", mediatype: "image/*"},
	"audio":           {bind: "binary", control: "upload", mediatype: "audio/*"},
	"video":           {bind: "binary", control: "upload", mediatype: "video/*"},
	"file":            {bind: "binary", control: "upload", mediatype: "application/*"},
	// metadata: filled in by the client, no body control
	"start":        {bind: "dateTime", preload: "timestamp", params: "start"},
	"end":          {bind: "dateTime", preload: "timestamp", params: "end"},
	"today":        {bind: "date", preload: "date", params: "today"},
	"deviceid":     {bind: "string", preload: "property", params: "deviceid"},
	"uri:deviceid": {bind: "string", preload: "property", params: "uri:deviceid"},
	"subscriberid": {bind: "string", preload: "property", params: "subscriberid"},
	"simserial":    {bind: "string", preload: "property", params: "simserial"},
	"phonenumber":  {bind: "string", preload: "property", params: "phonenumber"},
	"username":     {bind: "string", preload: "property", params: "username"},
	"email":        {bind: "string", preload: "property", params: "email"},
}

// knownSettings are the settings sheet columns the converter reads (or,
// for clean_text_values, that need no action: cell text is always
// trimmed).
var knownSettings = map[string]bool{"form_title": true, "form_id": true, "version": true, "default_language": true,
	"name": true, "public_key": true, "submission_url": true, "instance_name": true, "omit_instanceid": true,
	"add_none_option": true, "clean_text_values": true, "flat": true, "style": true}

type converter struct {
	errs     Errors
	defLang  string
	root     *element
	byName   map[string]*element
	choices  map[string][]choice
	listCols map[string][]string // list -> extra columns in order
	used     []string            // lists used, in order
	settings map[string]string
	pulldata map[string]bool
	flat     bool // settings flat: groups add no instance node
}

// errf adds a problem at sheet, row r and column col: format's text, said
// by the catalog when format is a registered message's English ("%v" of
// an error: that error's message).
func (c *converter) errf(sheet string, r int, col, format string, args ...any) {
	why := apperr.Textf(format, args...)
	if format == "%v" && len(args) == 1 {
		if err, ok := args[0].(error); ok {
			why = err
		}
	}
	c.errs = append(c.errs, problem(sheet, r, col, why))
}

// ConvertSheets converts an already read workbook.
func ConvertSheets(sheets []Sheet, opt Options) ([]byte, error) {
	c := &converter{byName: map[string]*element{}, choices: map[string][]choice{},
		listCols: map[string][]string{}, settings: map[string]string{}, pulldata: map[string]bool{}}
	for _, sh := range sheets {
		for i, r := range sh.Rows {
			for j, v := range r {
				if why := badText(v); why != nil {
					n := i + 1
					if i < len(sh.RowNums) {
						n = sh.RowNums[i]
					}
					c.errf(sh.Name, n, columnName(j), "%v", why)
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
		return nil, Errors{problem("survey", 0, "", said("the workbook has no sheet named survey"))}
	}
	sname := survey.Name
	if st := find("settings"); st != nil {
		_, rows := sheetRows(*st)
		if len(rows) > 0 {
			for k, v := range rows[0].cols {
				v = strings.TrimSpace(v)
				c.settings[k] = v
				if v == "" {
					continue
				}
				if !knownSettings[k] {
					c.errf(st.Name, rows[0].num, k, "setting %q is not supported by this converter", k)
					continue
				}
				b, isBool := boolWord(v)
				switch k {
				case "omit_instanceid", "add_none_option":
					if !isBool || b == "true()" {
						c.errf(st.Name, rows[0].num, k, "%s %q is not supported by this converter (only FALSE)", k, v)
					}
				case "flat", "clean_text_values":
					if !isBool {
						c.errf(st.Name, rows[0].num, k, "%q is not TRUE or FALSE", v)
					}
					c.flat = c.flat || k == "flat" && b == "true()"
				}
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
		key := base
		if lang != "" {
			key += "::" + lang
		}
		var msg error
		if prefix, name, ok := attrColumn(base); ok {
			switch {
			case !reAttrName.MatchString(name):
				msg = apperr.Textf("%q is not a valid attribute name", name)
			case reservedAttrs[prefix][name]:
				msg = apperr.Textf("column %q would overwrite the attribute %s the converter writes", strings.TrimSpace(h), name)
			}
		} else if !surveyColumns[base] || lang != "" && !translatable[base] {
			msg = apperr.Textf("column %q is not supported by this converter", strings.TrimSpace(h))
		}
		if msg != nil {
			// only an error if some row uses it
			for _, r := range rows {
				if r.get(key) != "" {
					c.errf(sname, r.num, strings.TrimSpace(h), "%v", msg)
					break
				}
			}
		}
	}
	if !hasCol["type"] || !hasCol["name"] {
		return nil, Errors{problem(sname, 1, "", said("the header row needs the columns type and name"))}
	}
	if ch := find("choices"); ch != nil {
		c.readChoices(*ch)
	}
	c.defLang = c.settings["default_language"]
	if c.defLang == "" {
		c.defLang = "default"
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
			if e == nil {
				// keep the nesting so that the matching end is not reported
				e = &element{kind: kind, typ: lt, name: name, row: r, parent: parent, path: parent.path + "/" + name}
			}
			for _, col := range []string{"default", "rows", "autoplay", "noapperrorstring", "choice_filter"} {
				if r.get(col) != "" {
					c.errf(sname, r.num, col, "%s is for questions, not for a %s", col, kind)
				}
			}
			if rc := r.get("repeat_count"); rc != "" {
				if kind != "repeat" {
					c.errf(sname, r.num, "repeat_count", "repeat_count is only for begin repeat")
				} else if !reRef.MatchString(rc) || reRef.FindString(rc) != rc {
					c.countElement(sname, e, rc)
				}
			}
			if c.flat {
				if kind == "repeat" {
					c.errf(sname, r.num, "type", "repeats in a form with the setting flat are not supported by this converter")
				}
				for _, col := range []string{"required", "read_only", "constraint", "calculation"} {
					if r.get(col) != "" {
						c.errf(sname, r.num, col, "%s on a group of a flat form is not supported by this converter", col)
					}
				}
				for k, v := range r.cols {
					if p, _, ok := attrColumn(k); ok && p != "body::" && strings.TrimSpace(v) != "" {
						c.errf(sname, r.num, k, "column %q on a group of a flat form is not supported by this converter (a flat group has no instance node)", k)
					}
				}
				e.path = parent.path
			}
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
			if top.kind == "group" && strings.EqualFold(top.row.get("appearance"), "table-list") {
				c.tableList(sname, top)
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
			} else if !slices.Contains(c.used, e.list) {
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
		if base != "select_one" && base != "select_multiple" && r.get("choice_filter") != "" {
			c.errf(sname, r.num, "choice_filter", "choice_filter is only for select_one and select_multiple")
		}
		if qt.control == "" && qt.preload != "" {
			for _, col := range []string{"label", "hint", "relevant", "constraint", "required", "calculation", "default"} {
				if r.get(col) != "" {
					c.errf(sname, r.num, col, "%s is not used by the metadata type %q", col, base)
				}
			}
		}
		if v := r.get("rows"); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || qt.control != "input" {
				c.errf(sname, r.num, "rows", "rows %q: a positive whole number, for a text-entry question only", v)
			}
		}
		if v := r.get("autoplay"); v != "" && !strings.EqualFold(v, "audio") && !strings.EqualFold(v, "video") {
			c.errf(sname, r.num, "autoplay", "autoplay %q is not audio or video", v)
		}
		if v := r.get("default"); v != "" && (strings.Contains(v, "${") || strings.ContainsAny(v, "()")) {
			c.errf(sname, r.num, "default", "default %q looks like an expression: dynamic defaults are not supported by this converter", v)
		}
	}
	for _, e := range stack[1:] {
		c.errf(sname, e.row.num, "type", "begin %s %q is never ended", e.kind, e.name)
	}
	// Expressions (after all names are known).
	c.walk(c.root, func(e *element) {
		if e.otherOf != nil || e == c.root || e.generated {
			return
		}
		for _, col := range []string{"relevant", "constraint", "calculation", "required", "read_only", "choice_filter", "repeat_count"} {
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
			if _, _, attr := attrColumn(base); translatable[base] || attr {
				c.expr(sname, e.row.num, k, v) // check ${} references
			}
		}
		if e.kind == "repeat" && e.count == "" {
			if rc := e.row.get("repeat_count"); rc != "" {
				if x := c.expr(sname, e.row.num, "repeat_count", rc); x != "" {
					e.count = x
				}
			}
		}
	})
	if v := c.settings["instance_name"]; v != "" {
		if x := c.expr("settings", 2, "instance_name", v); x != "" {
			if _, err := xform.ParseExpr(x); err != nil {
				c.errf("settings", 2, "instance_name", "%v", err)
			}
		}
	}
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

// boolWord reads a yes/no cell: "true()" for yes, "false()" for an
// explicit no, "" for an empty cell; ok is false for anything else (an
// expression).
func boolWord(v string) (x string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "true()", "1":
		return "true()", true
	case "no", "false", "false()", "0":
		return "false()", true
	case "":
		return "", true
	}
	return "", false
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

// countElement adds the calculate that holds a repeat's repeat_count (a
// number or an expression), as pyxform does: <name>_count before the repeat.
func (c *converter) countElement(sheet string, rep *element, rc string) {
	parent := rep.parent
	name := rep.name + "_count"
	if prev, dup := c.byName[name]; dup {
		c.errf(sheet, rep.row.num, "repeat_count", "the repeat count needs the name %q, already used at row %d", name, prev.row.num)
		return
	}
	ce := &element{kind: "question", typ: "calculate", name: name, parent: parent, generated: true, path: parent.path + "/" + name,
		row: row{num: rep.row.num, cols: map[string]string{"calculation": rc, "read_only": "yes"}}}
	c.byName[name] = ce
	for i, ch := range parent.children {
		if ch == rep {
			parent.children = append(parent.children[:i], append([]*element{ce}, parent.children[i:]...)...)
			break
		}
	}
	rep.count = " " + ce.path + " "
}

// tableList turns a group with appearance table-list into what pyxform
// writes: a field-list group whose first question shows the choice labels
// (appearance label) and whose questions show no choice labels
// (list-nolabel).
func (c *converter) tableList(sheet string, g *element) {
	var first *element
	for _, ch := range g.children {
		if ch.kind != "question" || ch.otherOf != nil || ch.list == "" || ch.orOther {
			c.errf(sheet, ch.row.num, "type", "a table-list group (row %d) holds only select_one and select_multiple questions without or_other", g.row.num)
			return
		}
		if first == nil {
			first = ch
		} else if ch.list != first.list {
			c.errf(sheet, ch.row.num, "type", "a table-list group (row %d) needs one choice list: %q here, %q at row %d", g.row.num, ch.list, first.list, first.row.num)
			return
		}
		if a := ch.row.get("appearance"); a != "" && a != "list-nolabel" {
			c.errf(sheet, ch.row.num, "appearance", "appearance %q inside a table-list group (row %d)", a, g.row.num)
			return
		}
	}
	if first == nil {
		return
	}
	name := "reserved_name_for_field_list_labels_" + strconv.Itoa(g.row.num+1)
	if prev, dup := c.byName[name]; dup {
		c.errf(sheet, g.row.num, "name", "the table-list group needs the name %q, already used at row %d", name, prev.row.num)
		return
	}
	le := &element{kind: "question", typ: "select_one", list: first.list, name: name, parent: g, path: g.path + "/" + name,
		emptyLabel: true, generated: true, row: row{num: g.row.num, cols: map[string]string{"appearance": "label"}}}
	c.byName[name] = le
	g.children = append([]*element{le}, g.children...)
	g.row.cols["appearance"] = "field-list"
	for _, ch := range g.children[1:] {
		ch.row.cols["appearance"] = "list-nolabel"
	}
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
			c.errf(sheet, rowNum, col, "%s refers to no question", "${"+name+"}") // "${" an argument: a page's template reads braces
			ok = false
			return m
		}
		return " " + e.path + " "
	})
	if strings.Contains(out, "${") && ok {
		c.errf(sheet, rowNum, col, "unclosed %s reference in %q", "${", v)
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
		case base == "label" || mediaForms[base] != "":
		case lang == "" && reName.MatchString(base):
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
		ch := choice{name: name, labels: texts(r, "label"), media: mediaOf(r), extra: map[string]string{}}
		for _, col := range extra {
			if v := r.get(col); v != "" {
				ch.extra[col] = v
				if !slices.Contains(c.listCols[list], col) {
					c.listCols[list] = append(c.listCols[list], col)
				}
			}
		}
		c.choices[list] = append(c.choices[list], ch)
	}
}

// badText says what makes a cell's text unusable in XML, if anything.
func badText(s string) error {
	if !utf8.ValidString(s) {
		return said("cell text is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return apperr.Textf("cell text holds the control character %U", r)
		}
	}
	return nil
}

// columnName turns a 0-based index into a spreadsheet column (A, B, … AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
