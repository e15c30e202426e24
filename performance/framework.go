package performance

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvsafe"
)

// Framework is a mission's results framework: objectives (mandate
// priorities) → intended results → indicators with targets, and the
// compacts whose commitments some indicators measure.
type Framework struct {
	Mission    string      `json:"mission"`
	Objectives []Objective `json:"objectives"`
	Compacts   []Compact   `json:"compacts,omitempty"`
}

// Titled is the human title of a framework entry (an objective, a
// result, a compact) and its title in French, which a French reader (the
// page, the brief) is shown when there is one.
type Titled struct {
	Title   string `json:"title"`
	TitleFR string `json:"title_fr,omitempty"`
}

// In is the title for a reader of lang (InLang).
func (t Titled) In(lang string) string { return InLang(lang, t.Title, t.TitleFR) }

// Objective is a mandate priority.
type Objective struct {
	ID string `json:"id"`
	Titled
	Results []Result `json:"results"`
}

// Result is an intended result of an objective.
type Result struct {
	ID string `json:"id"`
	Titled
	Indicators []FIndicator `json:"indicators"`
}

// InLang is the text for a reader of lang: fr when the reader is French
// and there is one, else en (a title and its TitleFR, a label and its
// LabelFR).
func InLang(lang, en, fr string) string {
	if lang == "fr" && fr != "" {
		return fr
	}
	return en
}

// FIndicator is an indicator of the framework: a library indicator with
// its parameters (or a manual one), where it is measured, who owns it,
// which way is better, its baseline and targets.
type FIndicator struct {
	ID              string            `json:"id"`
	Indicator       string            `json:"indicator"` // library id; "manual" for a hand-entered one
	Params          map[string]string `json:"params,omitempty"`
	Area            string            `json:"area"` // ISO3 or ALL
	Owner           string            `json:"owner"`
	OwnerFR         string            `json:"owner_fr,omitempty"` // the owner in French ("QG de la Force"), shown to a French reader; empty: Owner
	Unit            string            `json:"unit"`
	Direction       Direction         `json:"direction"`
	Baseline        *float64          `json:"baseline,omitempty"`
	BaselinePeriod  string            `json:"baseline_period,omitempty"`
	Targets         []Target          `json:"targets"`
	Disaggregations []string          `json:"disaggregations,omitempty"`
	Commitment      string            `json:"commitment,omitempty"` // compact commitment id
}

// Target is the value aimed at for a period.
type Target struct {
	Period string  `json:"period"`
	Value  float64 `json:"value"`
}

// Compact is a strategic compact between parties with mutual commitments.
type Compact struct {
	ID string `json:"id"`
	Titled
	Parties     []Party      `json:"parties"`
	Commitments []Commitment `json:"commitments"`
	Reviews     []Review     `json:"reviews,omitempty"`
}

// Party kinds.
var PartyKinds = []string{"host-government", "national-forces", "mission", "tcc", "pcc", "party-to-conflict", "partner"}

// Party is a party to a compact. NameFR is its name in French, for a
// party named in words ("Gouvernement de la République centrafricaine");
// empty for a proper name said the same in both (MINUSCA): Name is shown.
type Party struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameFR string `json:"name_fr,omitempty"`
	Kind   string `json:"kind"`
}

// Commitment is what one party owes, by when, measured how.
type Commitment struct {
	ID         string         `json:"id"`
	Party      string         `json:"party"`
	Text       string         `json:"text"`
	TextFR     string         `json:"text_fr,omitempty"`    // the text in French (InLang); empty: Text
	Deadline   string         `json:"deadline"`             // YYYY-MM-DD
	Indicators []string       `json:"indicators,omitempty"` // framework indicator ids
	Evidence   []string       `json:"evidence,omitempty"`   // links
	History    []StatusChange `json:"history,omitempty"`
}

// Commitment statuses.
var CommitmentStatuses = []string{"not-started", "in-progress", "met", "partly-met", "not-met", "dropped"}

// StatusChange is one entry of a commitment's status history.
type StatusChange struct {
	Date   string `json:"date"` // YYYY-MM-DD
	Status string `json:"status"`
	By     string `json:"by"`
	Note   string `json:"note,omitempty"`
}

// Review is an annual review of a compact, its conclusions in Summary and
// in French in SummaryFR (empty: Summary is shown to a French reader).
type Review struct {
	Year      int    `json:"year"`
	Date      string `json:"date"`
	Summary   string `json:"summary"`
	SummaryFR string `json:"summary_fr,omitempty"`
}

// FieldErr is an error in a framework file naming where: the row (line)
// and column of a CSV, or the JSON path.
type FieldErr struct {
	File   string
	Row    int    // CSV line (0 for JSON)
	Column string // CSV column or JSON path
	Msg    string
	// Why is Msg as a catalog message (fw.*), when the check that failed
	// says it in one; nil for a reader's own error (CSV syntax).
	Why *Msg
}

// fwErr is a framework check's refusal said by a catalog message (the
// Reasons' fw.* entries): its English text is the error, the message
// lets a page say it in French (FieldErr.Why, apperr Key and Args).
type fwErr struct{ m Msg }

func (e fwErr) Error() string { return e.m.Text("en") }

// refuse is a framework check's refusal: the catalog message code with
// its arguments (name, value pairs as msg takes them).
func refuse(code string, kv ...any) error { return fwErr{msg(code, kv...)} }

// fieldErr is err at file, row (0: a JSON path) and column, with its
// catalog message when it has one (msgOf).
func fieldErr(file string, row int, column string, err error) *FieldErr {
	return &FieldErr{File: file, Row: row, Column: column, Msg: err.Error(), Why: msgOf(err)}
}

// reason is what went wrong (Msg) as an error said by its catalog
// message when it has one.
func (e *FieldErr) reason() error {
	if e.Why != nil {
		return fwErr{*e.Why}
	}
	return errors.New(e.Msg)
}

// indicatorErr is err computing framework indicator id: "indicator ID: …".
func indicatorErr(id string, err error) error {
	return within(err, fmt.Sprintf("indicator %s: %v", id, err), "err.indicator", "ind_why", "ind", id)
}

// Message is the whole error (where and what) as a catalog message, nil
// when what went wrong has none.
func (e *FieldErr) Message() *Msg {
	if e.Why == nil {
		return nil
	}
	m := msg("fw.at", "file", e.File, "column", colArg(e.Column), "why", e.Why)
	if e.Row > 0 {
		m = msg("fw.at-row", "file", e.File, "row", e.Row, "column", colArg(e.Column), "why", e.Why)
	}
	return &m
}

func (e *FieldErr) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("%s:%d: column %s: %s", e.File, e.Row, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Column, e.Msg)
}

// Unwrap makes e apperr bad input naming its column (errors.As finds the
// *apperr.Error), its whole text the message.
func (e *FieldErr) Unwrap() error {
	ae := apperr.Refuse(apperr.KindInvalid, e.Column, "%s", e.Error())
	if m := e.Message(); m != nil {
		ae.Key, ae.Args = m.Code, m.Args
	}
	return ae
}

// unitAliases are the units a framework may write for a library unit.
var unitAliases = map[string][]string{
	"share":  {"share", "proportion", "fraction"},
	"deaths": {"deaths", "fatalities", "people killed"},
	"events": {"events", "incidents"},
}

// checkIndicator validates one framework indicator; col names where a
// problem is (CSV column names).
func checkIndicator(fi *FIndicator) (col string, err error) {
	if strings.TrimSpace(fi.ID) == "" {
		return "indicator_id", refuse("fw.empty")
	}
	def, ok := Lookup(fi.Indicator)
	if !ok {
		return "indicator", refuse("fw.unknown-indicator", "indicator", fmt.Sprintf("%q", fi.Indicator))
	}
	r := Request{Indicator: fi.Indicator, Params: copyParams(fi.Params)}
	if err := def.check(&r); err != nil {
		return "params", err
	}
	if def.ID == "manual" && r.Params["id"] == "" {
		return "params", refuse("fw.manual-id")
	}
	for _, d := range fi.Disaggregations {
		if d == "area" || d == "period" {
			continue
		}
		if !slices.Contains(def.Disaggregations, d) {
			return "disaggregations", refuse("fw.no-disagg", "id", def.ID, "by", fmt.Sprintf("%q", d), "dims", strings.Join(append([]string{"area"}, def.Disaggregations...), ", "))
		}
	}
	a, err := ParseArea(fi.Area)
	if err != nil {
		return "area", err
	}
	fi.Area = a.Code
	if fi.OwnerFR != "" && fi.Owner == "" {
		return "owner_fr", refuse("fw.fr-without-en", "en", "owner")
	}
	if fi.Unit == "" {
		fi.Unit = def.Unit
	}
	if def.ID != "manual" && fi.Unit != def.Unit && !slices.Contains(unitAliases[def.Unit], strings.ToLower(fi.Unit)) {
		return "unit", refuse("fw.wrong-unit", "id", def.ID, "unit", known("unit.", def.Unit), "typed", fmt.Sprintf("%q", fi.Unit))
	}
	if fi.Direction == "" {
		fi.Direction = def.Direction
	}
	if _, err := ParseDirection(string(fi.Direction)); err != nil {
		return "direction", err
	}
	if fi.BaselinePeriod != "" {
		p, err := ParsePeriod(fi.BaselinePeriod)
		if err != nil {
			return "baseline_period", err
		}
		fi.BaselinePeriod = p.String()
	}
	inUnit := func(v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return refuse("fw.not-finite", "v", fmt.Sprint(v))
		}
		if def.Unit == "share" && (v < 0 || v > 1) {
			return refuse("fw.not-share", "v", fmt.Sprint(v), "pct", fmt.Sprintf("%g", v/100))
		}
		if (def.Unit == "deaths" || def.Unit == "events") && (v < 0 || v != math.Trunc(v)) {
			return refuse("fw.not-whole", "v", fmt.Sprint(v), "unit", known("unit.", def.Unit))
		}
		return nil
	}
	if fi.Baseline != nil {
		if err := inUnit(*fi.Baseline); err != nil {
			return "baseline", err
		}
	}
	seen := map[string]bool{}
	for i := range fi.Targets {
		p, err := ParsePeriod(fi.Targets[i].Period)
		if err != nil {
			return "target_period", err
		}
		fi.Targets[i].Period = p.String()
		if seen[p.String()] {
			return "target_period", refuse("fw.second-target", "period", p.String())
		}
		seen[p.String()] = true
		if err := inUnit(fi.Targets[i].Value); err != nil {
			return "target", err
		}
	}
	return "", nil
}

// Validate checks the whole framework: indicators, unique ids, compacts'
// parties, deadlines, statuses and the commitments indicators name.
func (f *Framework) Validate(file string) error {
	bad := func(path, code string, kv ...any) error { return fieldErr(file, 0, path, refuse(code, kv...)) }
	ids := map[string]bool{}
	commitments := map[string]bool{}
	for ci, c := range f.Compacts {
		parties := map[string]bool{}
		for pi, p := range c.Parties {
			if p.ID == "" || !slices.Contains(PartyKinds, p.Kind) {
				return bad(fmt.Sprintf("compacts[%d].parties[%d]", ci, pi), "fw.party", "kinds", strings.Join(PartyKinds, ", "))
			}
			if p.NameFR != "" && p.Name == "" {
				return bad(fmt.Sprintf("compacts[%d].parties[%d].name_fr", ci, pi), "fw.fr-without-en", "en", "name")
			}
			parties[p.ID] = true
		}
		for ki, k := range c.Commitments {
			path := fmt.Sprintf("compacts[%d].commitments[%d]", ci, ki)
			if k.ID == "" || commitments[k.ID] {
				return bad(path+".id", "fw.repeated-id", "what", "fw.what.commitment", "id", fmt.Sprintf("%q", k.ID))
			}
			commitments[k.ID] = true
			if !parties[k.Party] {
				return bad(path+".party", "fw.not-party", "party", fmt.Sprintf("%q", k.Party), "compact", c.ID)
			}
			if k.TextFR != "" && k.Text == "" {
				return bad(path+".text_fr", "fw.fr-without-en", "en", "text")
			}
			if _, err := time.Parse("2006-01-02", k.Deadline); err != nil {
				return bad(path+".deadline", "fw.not-date", "v", fmt.Sprintf("%q", k.Deadline))
			}
			for hi, h := range k.History {
				if _, err := time.Parse("2006-01-02", h.Date); err != nil {
					return bad(fmt.Sprintf("%s.history[%d].date", path, hi), "fw.not-date", "v", fmt.Sprintf("%q", h.Date))
				}
				if !slices.Contains(CommitmentStatuses, h.Status) {
					return bad(fmt.Sprintf("%s.history[%d].status", path, hi), "fw.status", "v", fmt.Sprintf("%q", h.Status), "statuses", strings.Join(CommitmentStatuses, ", "))
				}
			}
		}
		for ri, r := range c.Reviews {
			if r.SummaryFR != "" && r.Summary == "" {
				return bad(fmt.Sprintf("compacts[%d].reviews[%d].summary_fr", ci, ri), "fw.fr-without-en", "en", "summary")
			}
		}
	}
	// newID refuses a blank id or one seen before among its kind (what).
	newID := func(seen map[string]bool, id, path, what string) error {
		if strings.TrimSpace(id) == "" || seen[id] {
			return bad(path, "fw.repeated-id", "what", "fw.what."+what, "id", fmt.Sprintf("%q", id))
		}
		seen[id] = true
		return nil
	}
	compactIDs := map[string]bool{}
	for ci, c := range f.Compacts {
		if err := newID(compactIDs, c.ID, fmt.Sprintf("compacts[%d].id", ci), "compact"); err != nil {
			return err
		}
	}
	objIDs := map[string]bool{}
	for oi := range f.Objectives {
		o := &f.Objectives[oi]
		if err := newID(objIDs, o.ID, fmt.Sprintf("objectives[%d].id", oi), "objective"); err != nil {
			return err
		}
		resIDs := map[string]bool{}
		for ri := range o.Results {
			r := &o.Results[ri]
			if err := newID(resIDs, r.ID, fmt.Sprintf("objectives[%d].results[%d].id", oi, ri), "result"); err != nil {
				return err
			}
			for ii := range r.Indicators {
				fi := &r.Indicators[ii]
				path := fmt.Sprintf("objectives[%d].results[%d].indicators[%d]", oi, ri, ii)
				if col, err := checkIndicator(fi); err != nil {
					return fieldErr(file, 0, path+"."+jsonName(col), err)
				}
				if ids[fi.ID] {
					return bad(path+".id", "fw.id-twice", "id", fmt.Sprintf("%q", fi.ID))
				}
				ids[fi.ID] = true
				if fi.Commitment != "" && !commitments[fi.Commitment] {
					return bad(path+".commitment", "fw.no-commitment", "id", fmt.Sprintf("%q", fi.Commitment))
				}
			}
		}
	}
	for ci, c := range f.Compacts {
		for ki, k := range c.Commitments {
			for _, id := range k.Indicators {
				if !ids[id] {
					return bad(fmt.Sprintf("compacts[%d].commitments[%d].indicators", ci, ki), "fw.no-indicator", "id", fmt.Sprintf("%q", id))
				}
			}
		}
	}
	return nil
}

func jsonName(col string) string {
	switch col {
	case "indicator_id":
		return "id"
	case "target", "target_period":
		return "targets"
	}
	return col
}

// ReadFrameworkJSON reads and validates a framework in JSON.
func ReadFrameworkJSON(r io.Reader, file string) (*Framework, error) {
	var f Framework
	dec := json.NewDecoder(io.LimitReader(r, 16<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); errors.Is(err, io.EOF) {
		return nil, fieldErr(file, 0, "(json)", refuse("err.json-empty")) // "EOF": the file is empty
	} else if err != nil {
		return nil, fieldErr(file, 0, "(json)", jsonErr(err))
	}
	if err := f.Validate(file); err != nil {
		return nil, err
	}
	return &f, nil
}

// WriteJSON writes the framework as indented JSON.
func (f *Framework) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// CSVColumns are the framework CSV's columns with their HXL tags (the
// second row of an exported file). One row per indicator and target
// period; an indicator without targets has one row with them empty. The
// titles of an objective and a result (objective, result and their French
// objective_fr, result_fr, HXL +i_fr) are read from its first row; an
// indicator's owner and its French owner_fr too, and a later row of the
// indicator that gives either gives the same.
var CSVColumns = [][2]string{
	{"objective_id", "#objective+id"}, {"objective", "#objective+name"}, {"objective_fr", "#objective+name+i_fr"},
	{"result_id", "#output+id"}, {"result", "#output+name"}, {"result_fr", "#output+name+i_fr"},
	{"indicator_id", "#indicator+id"}, {"indicator", "#indicator+code"}, {"params", "#indicator+params"},
	{"area", "#country+code"}, {"owner", "#org+owner"}, {"owner_fr", "#org+owner+i_fr"}, {"unit", "#indicator+unit"}, {"direction", "#indicator+direction"},
	{"baseline", "#indicator+baseline"}, {"baseline_period", "#date+baseline"},
	{"target_period", "#date+target"}, {"target", "#indicator+target"},
	{"disaggregations", "#indicator+disaggregated"}, {"commitment", "#meta+commitment"},
}

// ReadFrameworkCSV reads the indicator part of a framework from CSV
// (header row, optional HXL tag row). Errors name the line and column;
// on any error nothing is returned. Compacts are only in JSON.
func ReadFrameworkCSV(r io.Reader, file string) (*Framework, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fieldErr(file, 1, "(header)", csvErr(err, true))
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range []string{"objective_id", "result_id", "indicator_id", "indicator"} {
		if _, ok := col[c]; !ok {
			return nil, fieldErr(file, 1, c, refuse("fw.missing-column"))
		}
	}
	f := &Framework{}
	type loc struct{ o, r, i, line int }
	where := map[string]loc{}
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, fieldErr(file, line, "(row)", csvErr(err, false))
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return csvsafe.Unguard(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		if first && strings.HasPrefix(get("indicator_id"), "#") {
			first = false
			continue // the HXL tag row
		}
		first = false
		bad := func(c, code string, kv ...any) error { return fieldErr(file, line, c, refuse(code, kv...)) }
		fi := FIndicator{ID: get("indicator_id"), Indicator: get("indicator"), Area: get("area"), Owner: get("owner"), OwnerFR: get("owner_fr"), Unit: get("unit"),
			Direction: Direction(get("direction")), BaselinePeriod: get("baseline_period"), Commitment: get("commitment")}
		if p := get("params"); p != "" {
			fi.Params = map[string]string{}
			for _, kv := range strings.Split(p, ";") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return nil, bad("params", "fw.params", "v", fmt.Sprintf("%q", p))
				}
				fi.Params[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		if d := get("disaggregations"); d != "" {
			for _, x := range strings.Split(d, "|") {
				fi.Disaggregations = append(fi.Disaggregations, strings.TrimSpace(x))
			}
		}
		if b := get("baseline"); b != "" {
			v, err := strconv.ParseFloat(b, 64)
			if err != nil {
				return nil, bad("baseline", "fw.not-number", "v", fmt.Sprintf("%q", b))
			}
			fi.Baseline = &v
		}
		if tp, tv := get("target_period"), get("target"); tp != "" || tv != "" {
			v, err := strconv.ParseFloat(tv, 64)
			if err != nil {
				return nil, bad("target", "fw.not-number", "v", fmt.Sprintf("%q", tv))
			}
			fi.Targets = []Target{{Period: tp, Value: v}}
		}
		if c, err := checkIndicator(&fi); err != nil {
			return nil, fieldErr(file, line, c, err)
		}
		oid, rid := get("objective_id"), get("result_id")
		if oid == "" {
			return nil, bad("objective_id", "fw.empty")
		}
		if rid == "" {
			return nil, bad("result_id", "fw.empty")
		}
		if l, ok := where[fi.ID]; ok {
			// Another target of an indicator already read: the rest must agree.
			prev := &f.Objectives[l.o].Results[l.r].Indicators[l.i]
			if f.Objectives[l.o].ID != oid || f.Objectives[l.o].Results[l.r].ID != rid || prev.Indicator != fi.Indicator || prev.Area != fi.Area || prev.Unit != fi.Unit {
				return nil, bad("indicator_id", "fw.redefined", "id", fmt.Sprintf("%q", fi.ID))
			}
			for _, x := range []struct{ col, was, is string }{{"owner", prev.Owner, fi.Owner}, {"owner_fr", prev.OwnerFR, fi.OwnerFR}} {
				if x.is != "" && x.is != x.was {
					return nil, bad(x.col, "fw.other-text", "id", fi.ID, "v", fmt.Sprintf("%q", x.is), "was", fmt.Sprintf("%q", x.was), "line", l.line)
				}
			}
			for _, t := range fi.Targets {
				for _, pt := range prev.Targets {
					if pt.Period == t.Period {
						return nil, bad("target_period", "fw.second-target-of", "period", t.Period, "id", fi.ID)
					}
				}
				prev.Targets = append(prev.Targets, t)
			}
			continue
		}
		oi := slices.IndexFunc(f.Objectives, func(o Objective) bool { return o.ID == oid })
		if oi < 0 {
			f.Objectives = append(f.Objectives, Objective{ID: oid, Titled: Titled{get("objective"), get("objective_fr")}})
			oi = len(f.Objectives) - 1
		}
		o := &f.Objectives[oi]
		ri := slices.IndexFunc(o.Results, func(r Result) bool { return r.ID == rid })
		if ri < 0 {
			o.Results = append(o.Results, Result{ID: rid, Titled: Titled{get("result"), get("result_fr")}})
			ri = len(o.Results) - 1
		}
		o.Results[ri].Indicators = append(o.Results[ri].Indicators, fi)
		where[fi.ID] = loc{oi, ri, len(o.Results[ri].Indicators) - 1, line}
	}
	if len(where) == 0 {
		return nil, fieldErr(file, 1, "(rows)", refuse("fw.no-indicators"))
	}
	// Commitments live in the JSON compacts; a CSV alone cannot check them.
	return f, nil
}

// WriteCSV writes the framework's indicators as HXL-tagged CSV (header,
// tag row, one row per target), its cells guarded from spreadsheets'
// formulas (csvsafe; ReadFrameworkCSV takes the guard off).
func (f *Framework) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	var h, tags []string
	for _, c := range CSVColumns {
		h, tags = append(h, c[0]), append(tags, c[1])
	}
	cw.Write(h)
	cw.Write(tags)
	for _, o := range f.Objectives {
		for _, r := range o.Results {
			for _, fi := range r.Indicators {
				var ps []string
				for k, v := range fi.Params {
					ps = append(ps, k+"="+v)
				}
				sort.Strings(ps)
				base := ""
				if fi.Baseline != nil {
					base = strconv.FormatFloat(*fi.Baseline, 'f', -1, 64)
				}
				row := func(tp, tv string) []string {
					return []string{o.ID, o.Title, o.TitleFR, r.ID, r.Title, r.TitleFR, fi.ID, fi.Indicator, strings.Join(ps, ";"), fi.Area, fi.Owner, fi.OwnerFR, fi.Unit, string(fi.Direction),
						base, fi.BaselinePeriod, tp, tv, strings.Join(fi.Disaggregations, "|"), fi.Commitment}
				}
				if len(fi.Targets) == 0 {
					cw.Write(csvsafe.Row(row("", "")))
				}
				for _, t := range fi.Targets {
					cw.Write(csvsafe.Row(row(t.Period, strconv.FormatFloat(t.Value, 'f', -1, 64))))
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// IndicatorStatus is a framework indicator's value for a period and its
// status against the period's target.
type IndicatorStatus struct {
	Objective string `json:"objective"`
	Result    string `json:"result"`
	// ObjectiveTitle, ResultTitle and their French are the framework's
	// titles of the indicator's objective and result, for a table or the
	// brief to head its rows with, in the reader's language.
	ObjectiveTitle   string `json:"objective_title,omitempty"`
	ObjectiveTitleFR string `json:"objective_title_fr,omitempty"`
	ResultTitle      string `json:"result_title,omitempty"`
	ResultTitleFR    string `json:"result_title_fr,omitempty"`
	ID               string `json:"id"`
	Owner            string `json:"owner"`
	OwnerFR          string `json:"owner_fr,omitempty"` // the framework's owner in French, when it has one
	Indicator        string `json:"indicator"`
	// Label and LabelFR name a perception indicator as its survey form's
	// settings do ("Feel safe or very safe in their area"), for the row to
	// say what it measures rather than the library's "Perception survey
	// indicator"; empty for the other indicators.
	Label     string    `json:"label,omitempty"`
	LabelFR   string    `json:"label_fr,omitempty"`
	Direction Direction `json:"direction"`
	// Baseline and Target are those the period is judged against: a
	// count's shared over its months when they come from a longer
	// period's (targetFor).
	Baseline *float64 `json:"baseline"`
	Target   *float64 `json:"target"`
	// TargetNote says how Target (and Baseline) come from a longer
	// period's target (targetFor: a year's target for a month); nil when
	// it is the period's own.
	TargetNote *Msg       `json:"target_note,omitempty"`
	Value      Value      `json:"value"`
	Status     Assessment `json:"status"`
	// Trend compares the value with the period just before, of the same
	// length, by the same rule (a change only when larger than the
	// uncertainty).
	Trend Assessment `json:"trend"`
}

// Status computes every indicator of f for period p and assesses it
// against its target for p (no target: "cannot tell yet", saying so).
func (e *Engine) Status(ctx context.Context, f *Framework, p Period) ([]IndicatorStatus, error) {
	var out []IndicatorStatus
	for _, o := range f.Objectives {
		for _, r := range o.Results {
			for _, fi := range r.Indicators {
				a, _ := ParseArea(fi.Area)
				vs, err := e.Compute(ctx, Request{Indicator: fi.Indicator, Period: p, Area: a, Params: copyParams(fi.Params)})
				if err != nil {
					return nil, indicatorErr(fi.ID, err)
				}
				s := IndicatorStatus{Objective: o.ID, Result: r.ID, ObjectiveTitle: o.Title, ObjectiveTitleFR: o.TitleFR, ResultTitle: r.Title, ResultTitleFR: r.TitleFR, ID: fi.ID, Owner: fi.Owner, OwnerFR: fi.OwnerFR, Indicator: fi.Indicator, Direction: fi.Direction, Baseline: fi.Baseline, Value: vs[0]}
				if s.Label, s.LabelFR, err = e.perceptionLabel(ctx, fi); err != nil {
					return nil, indicatorErr(fi.ID, err)
				}
				prev, err := e.Compute(ctx, Request{Indicator: fi.Indicator, Period: p.Shift(-1), Area: a, Params: copyParams(fi.Params)})
				if err != nil {
					return nil, indicatorErr(fi.ID, err)
				}
				s.Trend = Trend(prev[0], vs[0], fi.Direction)
				d, _ := Lookup(fi.Indicator)
				s.Target, s.Baseline, s.TargetNote = targetFor(fi, p, d.Unit)
				if s.Target == nil {
					s.Status = assessment(CannotTell, msg("status.no-target", "period", p))
				} else {
					s.Status = Assess(vs[0], *s.Target, s.Baseline, fi.Direction)
				}
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// targetFor is fi's target for period p and, when it is not p's own, how
// it comes from a longer period's (nil otherwise). A period inside a
// target's period (a month or a quarter of a yearly target) is judged
// against the shortest such target: a share's or any other level's (a
// rate, a time) as it is, since each month's value is a level of its own;
// a count's (deaths, events: CountUnits) shared evenly over its months, the
// part of the year's total the period's months are allowed (300 a year: 25
// a month), and so is its baseline, when it has one: the part of its
// baseline period's total (of the target's period's, when the baseline
// has none) the period's months had, since a month's count compared with a
// year's would always look better (1,200 deaths a year: 100 a month). The
// baseline answered is fi's own when it is not shared. A manual
// indicator, entered by hand for its periods, has only its own period's
// target.
func targetFor(fi FIndicator, p Period, unit string) (target, baseline *float64, note *Msg) {
	var best *Target
	var bp Period
	for i, t := range fi.Targets {
		tp, err := ParsePeriod(t.Period)
		if err != nil {
			continue
		}
		if tp == p {
			v := t.Value
			return &v, fi.Baseline, nil
		}
		if fi.Indicator != "manual" && tp.From <= p.From && p.To <= tp.To && (best == nil || tp.Months() < bp.Months()) {
			best, bp = &fi.Targets[i], tp
		}
	}
	if best == nil {
		return nil, fi.Baseline, nil
	}
	if !CountUnits[unit] {
		v := best.Value
		m := msg("target.level", "target_period", bp, "period", p)
		return &v, fi.Baseline, &m
	}
	v := best.Value * float64(p.Months()) / float64(bp.Months())
	m := msg("target.prorated", "target_period", bp, "total", best.Value, "n", bp.Months(), "target", v, "period", p, "scale", "count")
	if fi.Baseline == nil {
		return &v, nil, &m
	}
	over, code := bp, "target.prorated.baseline-same"
	if q, err := ParsePeriod(fi.BaselinePeriod); err == nil && fi.BaselinePeriod != "" {
		over, code = q, "target.prorated.baseline"
	}
	b := *fi.Baseline * float64(p.Months()) / float64(over.Months())
	m = msg(code, "prorated", m, "baseline_period", over, "baseline_total", *fi.Baseline, "baseline", b, "period", p, "scale", "count")
	return &v, &b, &m
}
