package surveys

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/nonnil"
	"github.com/vigil-project/vigil/xform"
)

// The analysis a Service answers over its Store when the Store is also an
// AnalysisStore: estimates and trends, who is unheard, population margins,
// the interlocutor log, per-form settings and the protected export. Every
// read of answers is audited (Rows); so are interlocutor reads and exports.
// Refusals are apperr errors of the kind that fits, naming the field.

// analysisStore is the Store's analysis side, or an error saying surveys
// analysis is not available.
func (s *Service) analysisStore() (AnalysisStore, error) {
	if as, ok := s.Store.(AnalysisStore); ok {
		return as, nil
	}
	return nil, refuseField(apperr.KindUnavailable, "", "surveys are not configured on this server")
}

// CanAnalyse reports whether the Store keeps what the analysis needs.
func (s *Service) CanAnalyse() bool { _, err := s.analysisStore(); return err == nil }

// StoredSettings returns a form's analysis settings; ErrNoSettings when
// none were saved.
func (s *Service) StoredSettings(ctx context.Context, form string) (Settings, error) {
	as, err := s.analysisStore()
	if err != nil {
		return Settings{}, err
	}
	return as.Settings(ctx, form)
}

// SaveSettings checks and stores a form's analysis settings (the margins
// they name must be loaded, the form must exist).
func (s *Service) SaveSettings(ctx context.Context, actor, form string, st Settings) error {
	as, err := s.analysisStore()
	if err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		if se, ok := errors.AsType[*SettingError](err); ok {
			return refuseErr(apperr.KindInvalid, se.Path, se.Err)
		}
		field, rest, _ := strings.Cut(err.Error(), ":")
		if field == "disclosure" { // the rule's own field: disclosure.k, disclosure.max_risk, …
			inner, _, _ := strings.Cut(strings.TrimSpace(rest), ":")
			field += "." + inner
		}
		return refuseErr(apperr.KindInvalid, field, err)
	}
	pop, err := s.Margins(ctx, st.Margins)
	if err != nil {
		return err
	}
	f, err := s.Store.FormByFormID(ctx, form)
	if errors.Is(err, ErrNoForm) {
		return refuseField(apperr.KindNotFound, "", "no form %q", form)
	} else if err != nil {
		return err
	}
	if err := checkSettingFields(f, st, pop); err != nil {
		return err
	}
	// The answers are read (decrypted, the read audited) only when the
	// raking changes: the stored settings' raking was checked when saved,
	// a margins upload checks the forms raked on it, and the analysis
	// checks answers given since.
	prev, err := as.Settings(ctx, form)
	if err != nil && !errors.Is(err, ErrNoSettings) {
		return err
	}
	sameRaking := err == nil && prev.Margins == st.Margins && slices.Equal(prev.RakeOn, st.RakeOn)
	if len(st.RakeOn) > 0 && !sameRaking {
		// Checked as they are read, one row at a time: 100,000 answers
		// are never all in memory.
		c := newRakeCheck(st.RakeOn, st.Margins, pop)
		if err := s.eachRow(ctx, actor, form, "checking the raking settings against the answers", c.add); err != nil {
			return err
		}
		if err := c.err(); err != nil {
			return err
		}
	}
	return as.SaveSettings(ctx, actor, form, st)
}

// checkRakeValues refuses calibrating rows to the margin set pop (named
// margins) on the dimensions rakeOn when some respondents answered a
// dimension with values the set lacks, naming the dimension, the values
// with how many respondents gave each, and how many in all (or, for a
// dimension the set lacks, that). Raking, as R's postStratify and rake,
// cannot place such respondents in any population cell: the analysis
// would fail, and leaving them out would drop part of the sample without
// the analyst's say. Respondents without an answer are left to the
// analysis, which names them.
func checkRakeValues(rows []map[string]string, rakeOn []string, margins string, pop *Population) error {
	c := newRakeCheck(rakeOn, margins, pop)
	for _, r := range rows {
		c.add(r)
	}
	return c.err()
}

// rakeCheck is checkRakeValues one row at a time (add), so that the
// answers can be checked as they are read, without keeping them.
type rakeCheck struct {
	rakeOn  []string
	margins string
	cells   []map[string]float64 // each dimension's margin
	bad     []error              // a dimension the set lacks
	lacking []map[string]int     // values the margin lacks, with their counts
	n       []int                // respondents who gave them
}

func newRakeCheck(rakeOn []string, margins string, pop *Population) *rakeCheck {
	c := &rakeCheck{rakeOn: rakeOn, margins: margins, cells: make([]map[string]float64, len(rakeOn)), bad: make([]error, len(rakeOn)),
		lacking: make([]map[string]int, len(rakeOn)), n: make([]int, len(rakeOn))}
	for i, dim := range rakeOn {
		c.cells[i], c.bad[i] = pop.Margin(dim)
		c.lacking[i] = map[string]int{}
	}
	return c
}

// add counts the values of row that the margins lack.
func (c *rakeCheck) add(row map[string]string) {
	for i, dim := range c.rakeOn {
		c.addValue(i, row[dim], 1)
	}
}

// addValue counts n respondents' answer v to the i-th dimension when the
// margins lack it.
func (c *rakeCheck) addValue(i int, v string, n int) {
	if c.bad[i] != nil {
		return
	}
	v = strings.TrimSpace(v)
	if _, ok := c.cells[i][v]; !ok && v != "" {
		c.lacking[i][v] += n
		c.n[i] += n
	}
}

// addFrame counts the values of the frame's rows that the margins lack,
// each distinct answer looked up once.
func (c *rakeCheck) addFrame(f *frame) {
	for i, dim := range c.rakeOn {
		col := f.cols[dim]
		if col == nil {
			continue
		}
		n := make([]int, len(col.vals)+1)
		for _, r := range f.sel {
			n[col.codes[r]]++
		}
		for code, v := range col.vals {
			if n[code+1] > 0 {
				c.addValue(i, v, n[code+1])
			}
		}
	}
}

// err is the refusal of the first dimension the set lacks or whose
// answers hold values the margins lack, in rakeOn's order.
func (c *rakeCheck) err() error {
	for i, dim := range c.rakeOn {
		if c.bad[i] != nil {
			return refuseErr(apperr.KindInvalid, "rake_on", c.bad[i])
		}
		if c.n[i] == 0 {
			continue
		}
		lacking := c.lacking[i]
		values := SortedKeys(lacking)
		slices.SortStableFunc(values, func(a, b string) int { return lacking[b] - lacking[a] })
		const shown = 10
		var list []string
		for i, v := range values {
			if i == shown {
				list = append(list, fmt.Sprintf("… (+%d)", len(values)-shown))
				break
			}
			list = append(list, fmt.Sprintf("%q (%d)", v, lacking[v]))
		}
		return refuseField(apperr.KindInvalid, "rake_on", "rake_on: %s: values given by respondents are missing from population margins %q: %s; respondents concerned: %d; add the values to the margins or recode the answers", dim, c.margins, strings.Join(list, ", "), c.n[i])
	}
	return nil
}

// checkMarginsRaked refuses the margin set pop as the new set name when a
// form's saved settings rake on name and its answers do not fit pop
// (checkRakeValues): replacing the set would break that form's analysis.
func (s *Service) checkMarginsRaked(ctx context.Context, as AnalysisStore, actor, name string, pop *Population) error {
	forms, err := s.Store.Forms(ctx)
	if err != nil {
		return err
	}
	for _, f := range forms {
		st, err := as.Settings(ctx, f.FormID)
		if errors.Is(err, ErrNoSettings) || (err == nil && (st.Margins != name || len(st.RakeOn) == 0)) {
			continue
		} else if err != nil {
			return err
		}
		// Checked as they are read, one row at a time, as SaveSettings
		// does: the decrypted answers are never all in memory.
		c := newRakeCheck(st.RakeOn, name, pop)
		if err := s.eachRow(ctx, actor, f.FormID, "checking new population margins against the answers", c.add); err != nil {
			return err
		}
		if err := c.err(); err != nil {
			return refuseField(apperr.KindConflict, "body", "form %q rakes on margin set %q: %v", f.FormID, name, err)
		}
	}
	return nil
}

// checkSettingFields refuses settings that report (indicators,
// breakdowns), place (area, round, GPS point), weight or protect by a field
// form f does not have (its answers outside repeats, or the keys every
// row has, such as _enumerator), or rake on a dimension the margin set pop
// lacks, naming the setting: a typo would otherwise be found only when an
// analysis or export fails.
func checkSettingFields(f Form, st Settings, pop *Population) error {
	pf, err := parsedForm(f)
	if err != nil {
		return fmt.Errorf("stored form %q does not parse: %w", f.FormID, err)
	}
	has := map[string]bool{KeyInstanceID: true, KeyReceived: true, KeyEnumerator: true, KeyVersion: true}
	prefix := "/" + pf.RootName + "/"
	for _, fl := range pf.Fields {
		if !fl.InRepeat {
			has[strings.TrimPrefix(fl.Path, prefix)] = true
		}
	}
	type use struct {
		setting string // its JSON path
		fields  []string
	}
	uses := []use{
		{"weights", []string{st.Weights}}, {"strata", []string{st.Strata}}, {"clusters", st.Clusters}, {"fpc", st.FPC},
		{"rake_on", st.RakeOn}, {"area_field", []string{st.AreaField}}, {"round_field", []string{st.RoundField}}, {"geo_field", []string{st.GeoField}},
		{"disclosure.weight", []string{st.Disclosure.Weight}},
		{"disclosure.quasi_identifiers", st.Disclosure.QuasiIdentifiers},
	}
	for i, ind := range st.Indicators {
		uses = append(uses, use{fmt.Sprintf("indicators[%d].field", i), []string{ind.Field}})
	}
	for j, b := range st.Breakdowns {
		uses = append(uses, use{fmt.Sprintf("breakdowns[%d]", j), []string{b}})
	}
	for _, u := range uses {
		for _, name := range u.fields {
			if name != "" && !has[name] {
				return refuseField(apperr.KindInvalid, u.setting, "%s: form %q has no field %q", u.setting, f.FormID, name)
			}
		}
	}
	for _, d := range st.RakeOn {
		if !slices.Contains(pop.Dims, d) {
			return refuseField(apperr.KindInvalid, "rake_on", "rake_on: population margins %q have no dimension %q (dimensions: %s)", st.Margins, d, strings.Join(pop.Dims, ", "))
		}
	}
	return checkIndicatorChoices(pf, st.Indicators)
}

// checkIndicatorChoices refuses an indicator's counted value (values) or
// value taken as no answer (missing) that is not a choice of its question,
// when the question is a select_one or select_multiple whose choices the
// form lists (an itemset the form does not resolve is not checked; nor is
// a question without a choice list, whose answers are free). Such a value
// would never match an answer: the indicator would silently count nothing
// (or miss nothing). It refuses too an indicator whose multiple flag does
// not fit its question (select_one or select_multiple, whatever its choice
// list): a select_multiple's answer "a b" never equals a counted value, and
// a select_one's answer is never a list.
func checkIndicatorChoices(pf *xform.Form, inds []Indicator) error {
	for i, ind := range inds {
		c := pf.Controls["/"+pf.RootName+"/"+ind.Field]
		if c == nil || (c.Kind != "select1" && c.Kind != "select") {
			continue
		}
		if many := c.Kind == "select"; ind.Multiple != many {
			if many {
				return refuseField(apperr.KindInvalid, fmt.Sprintf("indicators[%d].multiple", i), "indicators[%d].multiple: question %q takes several answers (select_multiple), so multiple must be true: otherwise a respondent who chose more than one answer is never counted", i, ind.Field)
			}
			return refuseField(apperr.KindInvalid, fmt.Sprintf("indicators[%d].multiple", i), "indicators[%d].multiple: question %q takes a single answer (select_one), so multiple must be false", i, ind.Field)
		}
		if c.Itemset || len(c.Items) == 0 {
			continue
		}
		for _, m := range []struct {
			member string
			values []string
		}{{"values", ind.Values}, {"missing", ind.Missing}} {
			for _, v := range m.values {
				if slices.Contains(c.Items, v) {
					continue
				}
				choices := c.Items
				const shown = 20
				if len(choices) > shown {
					choices = append(slices.Clone(choices[:shown]), fmt.Sprintf("… (+%d)", len(c.Items)-shown))
				}
				path := fmt.Sprintf("indicators[%d].%s", i, m.member)
				return refuseField(apperr.KindInvalid, path, "indicators[%d].%s: %q is not a choice of question %q (choices: %s)", i, m.member, v, ind.Field, strings.Join(choices, ", "))
			}
		}
	}
	return nil
}

// Margins returns the margin set name (nil for ""); a set not loaded is
// refused with 409.
func (s *Service) Margins(ctx context.Context, name string) (*Population, error) {
	as, err := s.analysisStore()
	if err != nil || name == "" {
		return nil, err
	}
	p, err := as.Margins(ctx, name)
	if errors.Is(err, ErrNoMargins) {
		return nil, refuseField(apperr.KindConflict, "margins", "population margins %q are not loaded: PUT /api/v1/surveys/margins/%s", name, name)
	}
	return p, err
}

// MarginNames lists the loaded margin sets (never nil).
func (s *Service) MarginNames(ctx context.Context) ([]string, error) {
	as, err := s.analysisStore()
	if err != nil {
		return nil, err
	}
	return nonnil.List(as.MarginNames(ctx))
}

var marginNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// CheckMarginName refuses a margin set name that is not 1-64 letters,
// digits, _ . - (starting with a letter or digit).
func CheckMarginName(name string) error {
	if !marginNameRE.MatchString(name) {
		return refuseField(apperr.KindInvalid, "name", "margin set name %q: letters, digits, _ . - (at most 64)", name)
	}
	return nil
}

// LoadMargins reads a margins CSV (header: dimensions and "population")
// from r and stores it as name. A read or parse failure is a 400 on
// "body" that wraps the reader's error.
func (s *Service) LoadMargins(ctx context.Context, actor, name string, r io.Reader) (*Population, error) {
	as, err := s.analysisStore()
	if err != nil {
		return nil, err
	}
	if err := CheckMarginName(name); err != nil {
		return nil, err
	}
	p, err := ReadPopulation(r, name+".csv")
	if err != nil {
		return nil, apperr.Wrap(apperr.KindInvalid, "body", err)
	}
	if err := s.checkMarginsRaked(ctx, as, actor, name, p); err != nil {
		return nil, err
	}
	if err := as.SaveMargins(ctx, actor, name, p); err != nil {
		return nil, err
	}
	if s.MarginsSaved != nil {
		if err := s.MarginsSaved(ctx, actor, name); err != nil {
			return nil, fmt.Errorf("margins %q saved, then: %w", name, err)
		}
	}
	return p, nil
}

// checkDates refuses from/to values that are not YYYY-MM-DD dates.
func checkDates(dates map[string]string) error {
	for _, p := range []string{"from", "to"} {
		if v := dates[p]; v != "" {
			if err := (Interlocutor{Date: v, Place: "x"}).Validate(); err != nil {
				return refuseField(apperr.KindInvalid, p, "%q is not a date (YYYY-MM-DD)", v)
			}
		}
	}
	return nil
}

// Interlocutors opens the interlocutor log between from and to (a
// sensitive read, audited when there is anything to read).
func (s *Service) Interlocutors(ctx context.Context, actor, from, to string) ([]Interlocutor, error) {
	as, err := s.analysisStore()
	if err != nil {
		return nil, err
	}
	if err := checkDates(map[string]string{"from": from, "to": to}); err != nil {
		return nil, err
	}
	sealed, err := as.Interlocutors(ctx, from, to)
	if err != nil || len(sealed) == 0 {
		return nil, err
	}
	if err := s.audit(ctx, audit.Entry{Actor: actor, Action: "survey.interlocutor.read", Object: "interlocutors", Detail: fmt.Sprintf("%d entries from %q to %q", len(sealed), from, to)}); err != nil {
		return nil, err
	}
	return OpenInterlocutors(s.Keys, sealed)
}

// AddInterlocutor checks, seals and appends a log entry; it returns the
// entry with its id.
func (s *Service) AddInterlocutor(ctx context.Context, actor string, it Interlocutor) (Interlocutor, error) {
	as, err := s.analysisStore()
	if err != nil {
		return it, err
	}
	sealed, err := SealInterlocutor(s.Keys, it)
	if err != nil {
		field, _, _ := strings.Cut(err.Error(), ":")
		return it, refuseErr(apperr.KindInvalid, field, err)
	}
	it.ID, err = as.AddInterlocutor(ctx, actor, sealed)
	return it, err
}

func (s *Service) audit(ctx context.Context, e audit.Entry) error {
	if s.Auditor == nil {
		return errors.New("surveys: no audit log to record " + e.Action)
	}
	return s.Auditor.Record(ctx, e)
}

// CellField is the key under which respondents' PRIO-GRID cell is added
// for the grid map layer.
const CellField = "_prio_gid"

// MapCell is a PRIO-GRID cell of the map layer.
type MapCell struct {
	GID int     `json:"gid"`
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// Place is the cell's nearest notable place (additive; set by the web
	// server from its gazetteer, nil when none is within 100 km): the map
	// layer's tooltip names it, as the risk layer's does.
	Place *geotext.PointLabel `json:"place,omitempty"`
}

// AnalysisResult is a form's analysis for a round, with its trend from
// another round and the cells of the grid map layer.
type AnalysisResult struct {
	Form      string           `json:"form"`
	Round     string           `json:"round,omitempty"`
	Compare   string           `json:"compare,omitempty"`
	Rounds    []string         `json:"rounds"`
	AreaField string           `json:"area_field"`
	Analysis  *Analysis        `json:"analysis"`
	Trend     []IndicatorTrend `json:"trend,omitempty"`
	Cells     []MapCell        `json:"cells,omitempty"`
	// Labels are the form's question and choice labels (EN/FR), for the
	// breakdowns; nil when the form's definition cannot be read.
	Labels *Labels `json:"labels,omitempty"`
}

// AnalyseQuery selects the answers an analysis reads.
type AnalyseQuery struct {
	Round   string // the round analysed ("" for all)
	Compare string // an earlier round to compare with ("" for none)
	// From and To (YYYY-MM-DD, UTC, both days included; "" for no bound)
	// keep the answers received on those days only, as the map's date
	// filter asks: the estimates and the grid cells are of those answers,
	// and a range without answers is an empty analysis, not an error.
	From, To string
}

// dated reports whether q restricts the answers by their received date.
func (q AnalyseQuery) dated() bool { return q.From != "" || q.To != "" }

// FilterReceived keeps the rows received (KeyReceived, RFC3339) between
// from and to (YYYY-MM-DD, UTC, both days included; "" for no bound). A
// row without a readable received time is left out when a bound is given.
func FilterReceived(rows []map[string]string, from, to string) []map[string]string {
	if from == "" && to == "" {
		return rows
	}
	var out []map[string]string
	for _, r := range rows {
		t, err := time.Parse(time.RFC3339, r[KeyReceived])
		if err != nil {
			continue
		}
		day := t.UTC().Format(time.DateOnly)
		if (from == "" || day >= from) && (to == "" || day <= to) {
			out = append(out, r)
		}
	}
	return out
}

// analysedKeys are the answers' keys Analyse reads under st: the
// indicators' questions, the breakdowns, the design and calibration
// fields, the round, the area and the geopoint, the instanceID (named in
// refusals) and the time received (the date filter).
func analysedKeys(st Settings) map[string]bool {
	keep := map[string]bool{KeyInstanceID: true, KeyReceived: true, st.Round(): true}
	for _, ind := range st.Indicators {
		keep[ind.Field] = true
	}
	for _, f := range slices.Concat(st.Breakdowns, []string{st.AreaField, st.GeoField, st.Weights, st.Strata}, st.Clusters, st.FPC, st.RakeOn) {
		keep[f] = true
	}
	delete(keep, "")
	return keep
}

// Analyse estimates form's indicators under st for q.Round and, when
// q.Compare is set, their change since that round, over the answers
// received between q.From and q.To.
func (s *Service) Analyse(ctx context.Context, actor, form string, st Settings, q AnalyseQuery) (*AnalysisResult, error) {
	round, compare := q.Round, q.Compare
	if err := checkDates(map[string]string{"from": q.From, "to": q.To}); err != nil {
		return nil, err
	}
	pop, err := s.Margins(ctx, st.Margins)
	if err != nil {
		return nil, err
	}
	// The rows as columns of the fields analysed: a map per row held
	// several times as much (docs/benchmarks.md, session 27).
	rows, err := s.readFrame(ctx, actor, form, "", analysedKeys(st))
	if err != nil {
		return nil, err
	}
	rows.addCells(st.GeoField)
	plan := st.Plan(pop)
	if !slices.Contains(plan.Breakdowns, st.AreaField) {
		plan.Breakdowns = append(plan.Breakdowns, st.AreaField)
	}
	if st.GeoField != "" {
		plan.Breakdowns = append(plan.Breakdowns, CellField)
	}
	res := &AnalysisResult{Form: form, Round: round, Compare: compare, Rounds: rows.rounds(st.Round()), AreaField: st.AreaField}
	res.Labels, _ = s.Labels(ctx, form) // labels are optional: codes are shown without them
	answered := rows.len() > 0
	rows = rows.received(q.From, q.To)
	analyse := func(round, field string) (*Analysis, error) {
		sel := rows.round(st.Round(), round)
		if sel.len() == 0 && answered && q.dated() {
			return &Analysis{Results: []IndicatorResult{}}, nil
		}
		if sel.len() == 0 && round == "" {
			return nil, refuseField(apperr.KindConflict, "", "form %q has no responses yet", form)
		}
		if sel.len() == 0 {
			return nil, refuseField(apperr.KindInvalid, field, "no responses in round %q (rounds: %s)", round, strings.Join(res.Rounds, ", "))
		}
		a, err := analyze(sel, plan)
		if err != nil {
			return nil, refuseErr(apperr.KindUnprocessable, "", err)
		}
		return a, nil
	}
	if res.Analysis, err = analyse(round, "round"); err != nil {
		return nil, err
	}
	if compare != "" {
		prev, err := analyse(compare, "compare")
		if err != nil {
			return nil, err
		}
		res.Trend = Trend(prev, res.Analysis)
	}
	if st.GeoField != "" && len(res.Analysis.Results) > 0 {
		for _, e := range res.Analysis.Results[0].By[CellField] {
			gid, _ := strconv.Atoi(e.Group)
			lat, lon, err := grid.PrioCenter(gid)
			if err == nil {
				res.Cells = append(res.Cells, MapCell{GID: gid, Lat: lat, Lon: lon})
			}
		}
	}
	return res, nil
}

// UnheardResult compares who answered (and who the interlocutor log met)
// with the population margins.
type UnheardResult struct {
	Form          string         `json:"form"`
	Round         string         `json:"round,omitempty"`
	Margins       string         `json:"margins"`
	Respondents   *UnheardReport `json:"respondents"`
	Interlocutors *UnheardReport `json:"interlocutors,omitempty"`
	Labels        *Labels        `json:"labels,omitempty"` // as in AnalysisResult
}

// Unheard compares form's respondents in round, and the interlocutors met
// between from and to, with the margin set margins (st.Margins when "").
func (s *Service) Unheard(ctx context.Context, actor, form string, st Settings, round, margins, from, to string) (*UnheardResult, error) {
	if margins == "" {
		margins = st.Margins
	}
	if margins == "" {
		return nil, refuseField(apperr.KindInvalid, "margins", "no population margins: give ?margins=NAME or set margins in the form's settings")
	}
	pop, err := s.Margins(ctx, margins)
	if err != nil {
		return nil, err
	}
	if err := checkDates(map[string]string{"from": from, "to": to}); err != nil {
		return nil, err
	}
	keep := map[string]bool{st.Round(): true, st.AreaField: true}
	for _, d := range pop.Dims {
		keep[d] = true
	}
	// The respondents in round, read a row at a time and held as their
	// distinct answers to the fields compared, each with its number of
	// respondents: Unheard only counts them (a map per row before).
	fields := SortedKeys(keep)
	groups := map[string]int{}
	var answers []map[string]string
	var counts []int
	var key []byte
	err = s.eachAnswer(ctx, actor, form, "", func(_ int64, r map[string]string) {
		if round != "" && strings.TrimSpace(r[st.Round()]) != round { // FilterRound's test
			return
		}
		key = key[:0]
		for _, f := range fields { // Unheard reads every answer trimmed
			v := strings.TrimSpace(r[f])
			key = append(binary.AppendUvarint(key, uint64(len(v))), v...)
		}
		if i, ok := groups[string(key)]; ok {
			counts[i]++
			return
		}
		a := make(map[string]string, len(fields))
		for _, f := range fields {
			if v := strings.TrimSpace(r[f]); v != "" {
				a[f] = v
			}
		}
		groups[string(key)] = len(answers)
		answers, counts = append(answers, a), append(counts, 1)
	})
	if errors.Is(err, ErrNoForm) {
		return nil, refuseField(apperr.KindNotFound, "", "no form %q", form)
	} else if err != nil {
		return nil, err
	}
	res := &UnheardResult{Form: form, Round: round, Margins: margins}
	res.Labels, _ = s.Labels(ctx, form) // optional, as in Analyse
	if res.Respondents, err = unheard(func(yield func(map[string]string, int) bool) {
		for i, a := range answers {
			if !yield(a, counts[i]) {
				return
			}
		}
	}, "respondents", pop, st.AreaField, DefaultUnheardRule); err != nil {
		return nil, refuseErr(apperr.KindUnprocessable, "", err)
	}
	log, err := s.Interlocutors(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	if len(log) > 0 {
		if res.Interlocutors, err = Unheard(InterlocutorRecords(log, st.AreaField, st.GroupDim), "interlocutors", pop, st.AreaField, DefaultUnheardRule); err != nil {
			return nil, refuseErr(apperr.KindUnprocessable, "", err)
		}
	}
	return res, nil
}

// CheckExportFormat refuses an export format other than "" (csv), "csv",
// "hxl" and "report".
func CheckExportFormat(format string) error {
	switch format {
	case "", "csv", "hxl", "report":
		return nil
	}
	return refuseField(apperr.KindInvalid, "format", "format %q: want csv, hxl or report", format)
}
