package xform

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Submission is a submission checked against its form.
type Submission struct {
	InstanceID string
	FormID     string
	Version    string
	Root       *Elem
	// Answers maps flattened paths relative to the root ("name",
	// "group/q1", repeats as "children/child[2]/name", 1-based) to the
	// answer text, for every non-empty leaf.
	Answers map[string]string
	// Attachments are the file names that binary (upload) questions
	// refer to.
	Attachments []string
}

// MaxSubmissionBytes bounds the size of a submission's XML.
const MaxSubmissionBytes = 10 << 20

// Validate parses a submission's XML and checks it against the form: the
// root element, form id and version, instanceID, that every element exists
// in the form (and that only repeats repeat), that answers parse as their
// types and are among a select's static choices, that required questions
// are answered and constraints hold (where relevance and the expressions can
// be evaluated). All problems found are returned as Errors naming the field.
func (f *Form) Validate(data []byte) (*Submission, error) {
	if len(data) > MaxSubmissionBytes {
		return nil, problem(0, "", "submission XML is larger than %d bytes", MaxSubmissionBytes)
	}
	root, err := ParseTree(bytes.NewReader(data), Limits{MaxDepth: 64, MaxElements: 100000})
	if err != nil {
		return nil, err
	}
	s := &Submission{Root: root, Answers: map[string]string{}}
	s.FormID, _ = root.AttrValue("id")
	s.Version, _ = root.AttrValue("version")
	var errs Errors
	if root.Name != f.RootName {
		return nil, problem(root.Line, "/"+root.Name, "root element is <%s>, form %q wants <%s>", root.Name, f.ID, f.RootName)
	}
	if s.FormID != f.ID {
		return nil, problem(root.Line, "/"+root.Name+"/@id", "form id %q does not match form %q", s.FormID, f.ID)
	}
	if s.Version != f.Version {
		return nil, problem(root.Line, "/"+root.Name+"/@version", "version %q does not match the form's version %q", s.Version, f.Version)
	}
	if meta := root.Child("meta"); meta != nil {
		if id := meta.Child("instanceID"); id != nil {
			s.InstanceID = strings.TrimSpace(id.Text)
		}
	}
	if s.InstanceID == "" {
		errs = append(errs, problem(0, "/"+root.Name+"/meta/instanceID", "instanceID is missing or empty"))
	} else if len(s.InstanceID) > 256 {
		errs = append(errs, problem(0, "/"+root.Name+"/meta/instanceID", "instanceID is longer than 256 characters"))
	}

	// Structure: every element must exist in the form; only repeats repeat.
	var check func(e *Elem, rel string)
	check = func(e *Elem, rel string) {
		seen := map[string]int{}
		for _, c := range e.Children {
			p := c.Path()
			tmpl := f.node(p)
			if tmpl == nil {
				errs = append(errs, problem(c.Line, p, "element is not in the form"))
				continue
			}
			seen[c.Name]++
			crel := c.Name
			if rel != "" {
				crel = rel + "/" + c.Name
			}
			if f.Repeats[p] {
				crel = fmt.Sprintf("%s[%d]", crel, seen[c.Name])
			} else if seen[c.Name] > 1 {
				errs = append(errs, problem(c.Line, p, "element appears more than once but is not a repeat"))
				continue
			}
			if len(c.Children) > 0 {
				if len(tmpl.Children) == 0 {
					errs = append(errs, problem(c.Line, p, "question has child elements"))
					continue
				}
				check(c, crel)
				continue
			}
			v := c.Text
			if strings.TrimSpace(v) == "" {
				continue
			}
			if len(tmpl.Children) > 0 {
				errs = append(errs, problem(c.Line, p, "group or repeat holds text instead of questions"))
				continue
			}
			s.Answers[crel] = v
			b := f.Binds[p]
			if b == nil {
				continue
			}
			if b.Calculate == "" { // calculated values are the client's; not type-checked
				if why := checkType(b.Type, v); why != nil {
					errs = append(errs, problemErr(c.Line, p, why))
					continue
				}
			}
			if b.Type == "binary" {
				s.Attachments = append(s.Attachments, strings.TrimSpace(v))
			}
			if ctl := f.Controls[p]; ctl != nil && ctl.Items != nil {
				vals := []string{strings.TrimSpace(v)}
				if ctl.Kind == "select" {
					vals = strings.Fields(v)
				}
				for _, x := range vals {
					if !slices.Contains(ctl.Items, x) {
						errs = append(errs, problem(c.Line, p, "%q is not one of the choices (%s)", x, strings.Join(ctl.Items, ", ")))
						break
					}
				}
			}
		}
	}
	check(root, "")
	if len(errs) > 0 {
		return nil, errs
	}

	// Required, relevance and constraints over the tree with absent
	// non-repeat nodes filled in as empty.
	f.fill(root)
	rel := map[*Elem]relevance{}
	var walk func(e *Elem)
	walk = func(e *Elem) {
		p := e.Path()
		r := f.relevant(root, e, rel)
		if r == relFalse || r == relUnknown {
			return // not relevant: nothing to enforce; unknown: not enforced
		}
		if b := f.Binds[p]; b != nil && len(e.Children) == 0 {
			v := strings.TrimSpace(e.Text)
			if v == "" && b.Required.Supported() {
				if req, err := b.Required.EvalBool(root, e); err == nil && req {
					why := apperr.Textf("required question is not answered")
					if b.RequiredMsg != "" && !strings.HasPrefix(b.RequiredMsg, "jr:itext(") {
						why = apperr.Textf("required question is not answered (%s)", b.RequiredMsg)
					}
					errs = append(errs, problemErr(e.Line, p, why))
				}
			}
			if v != "" && b.Constraint.Supported() {
				ok, err := b.Constraint.EvalBool(root, e)
				if err == nil && !ok {
					why := apperr.Textf("answer %q breaks the constraint %s", v, b.Constraint.Src)
					if b.ConstraintMsg != "" && !strings.HasPrefix(b.ConstraintMsg, "jr:itext(") {
						why = apperr.Textf("answer %q breaks the constraint %s (%s)", v, b.Constraint.Src, b.ConstraintMsg)
					}
					errs = append(errs, problemErr(e.Line, p, why))
				}
			}
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(root)
	if len(errs) > 0 {
		return nil, errs
	}
	sort.Strings(s.Attachments)
	return s, nil
}

// node returns the template node at a normalised path.
func (f *Form) node(p string) *Elem {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) == 0 || parts[0] != f.Instance.Name {
		return nil
	}
	e := f.Instance
	for _, name := range parts[1:] {
		e = e.Child(name)
		if e == nil {
			return nil
		}
	}
	return e
}

// fill adds, under e, empty virtual elements for the template's non-repeat
// children that the submission left out (ODK clients omit non-relevant
// nodes), so required questions inside them are checked.
func (f *Form) fill(e *Elem) {
	t := f.node(e.Path())
	if t == nil {
		return
	}
	for _, tc := range t.Children {
		if e.Child(tc.Name) != nil {
			continue
		}
		if f.Repeats[e.Path()+"/"+tc.Name] {
			continue // zero instances of a repeat is an answer
		}
		e.Children = append(e.Children, &Elem{Name: tc.Name, Parent: e, Line: e.Line, virtual: true})
	}
	for _, c := range e.Children {
		f.fill(c)
	}
}

type relevance int

const (
	relTrue relevance = iota + 1
	relFalse
	relUnknown
)

// relevant evaluates a node's relevance: its own relevant condition and all
// its ancestors'.
func (f *Form) relevant(root, e *Elem, memo map[*Elem]relevance) relevance {
	if e == nil {
		return relTrue
	}
	if r, ok := memo[e]; ok {
		return r
	}
	r := f.relevant(root, e.Parent, memo)
	if r == relTrue {
		if b := f.Binds[e.Path()]; b != nil && b.Relevant != nil {
			if !b.Relevant.Supported() {
				r = relUnknown
			} else if ok, err := b.Relevant.EvalBool(root, e); err != nil {
				r = relUnknown
			} else if !ok {
				r = relFalse
			}
		}
	}
	memo[e] = r
	return r
}

var (
	reDecimal = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	dateTimes = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999-07:00", "2006-01-02T15:04:05.999-0700", "2006-01-02T15:04:05.999", "2006-01-02T15:04:05"}
	times     = []string{"15:04:05.999Z07:00", "15:04:05.999-0700", "15:04:05.999", "15:04"}
)

// checkType returns nil if v is a valid value of the XForms type, or what
// is wrong (said by the catalog: Refusals).
func checkType(typ, v string) error {
	v = strings.TrimSpace(v)
	switch typ {
	case "int", "integer", "long", "short":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return apperr.Textf("%q is not an integer", v)
		}
	case "decimal", "double", "float":
		if !reDecimal.MatchString(v) {
			return apperr.Textf("%q is not a decimal number", v)
		}
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return apperr.Textf("%q is not a date (YYYY-MM-DD)", v)
		}
	case "dateTime":
		for _, l := range dateTimes {
			if _, err := time.Parse(l, v); err == nil {
				return nil
			}
		}
		return apperr.Textf("%q is not a date and time (YYYY-MM-DDThh:mm:ss.sss±hh:mm)", v)
	case "time":
		for _, l := range times {
			if _, err := time.Parse(l, v); err == nil {
				return nil
			}
		}
		return apperr.Textf("%q is not a time (hh:mm:ss.sss±hh:mm)", v)
	case "boolean":
		switch v {
		case "true", "false", "1", "0":
		default:
			return apperr.Textf("%q is not a boolean (true/false)", v)
		}
	case "geopoint":
		return checkPoint(v)
	case "geotrace", "geoshape":
		for _, pt := range strings.Split(v, ";") {
			if err := checkPoint(strings.TrimSpace(pt)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkPoint(v string) error {
	fs := strings.Fields(v)
	if len(fs) < 2 || len(fs) > 4 {
		return apperr.Textf("%q is not a geopoint (latitude longitude [altitude [accuracy]])", v)
	}
	var n [4]float64
	for i, x := range fs {
		f, err := strconv.ParseFloat(x, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return apperr.Textf("%q is not a geopoint: %q is not a number", v, x)
		}
		n[i] = f
	}
	if n[0] < -90 || n[0] > 90 {
		return apperr.Textf("%q is not a geopoint: latitude %v is outside -90..90", v, n[0])
	}
	if n[1] < -180 || n[1] > 180 {
		return apperr.Textf("%q is not a geopoint: longitude %v is outside -180..180", v, n[1])
	}
	if len(fs) == 4 && n[3] < 0 {
		return apperr.Textf("%q is not a geopoint: negative accuracy", v)
	}
	return nil
}
