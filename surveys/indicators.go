package surveys

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys/estimate"
)

// Indicator is a perception indicator defined over any form's answers: the
// share of respondents whose answer to Field is one of Values, among those
// who gave an answer not listed in Missing. For a select_multiple question
// (Multiple) the answer is a space-separated list and counts when any of
// Values is chosen. Example: {ID: "feels_safe", Field: "q_safety", Values:
// ["very_safe", "safe"], Missing: ["dont_know", "refused"]}.
type Indicator struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	LabelFR  string   `json:"label_fr,omitempty"`
	Field    string   `json:"field"`
	Values   []string `json:"values"`
	Multiple bool     `json:"multiple,omitempty"`
	Missing  []string `json:"missing,omitempty"`
}

// Validate checks the definition.
func (ind Indicator) Validate() error {
	_, err := ind.check()
	return err
}

// check is Validate, with the JSON name of the indicator's member at fault
// (id, field, values, missing).
func (ind Indicator) check() (string, error) {
	switch {
	case ind.ID == "":
		return "id", apperr.Textf("indicator: no id")
	case ind.Field == "":
		return "field", apperr.Textf("indicator %s: field: no answer field given", ind.ID)
	case len(ind.Values) == 0:
		return "values", apperr.Textf("indicator %s: values: no answer values counted", ind.ID)
	}
	for _, v := range ind.Values {
		if strings.TrimSpace(v) == "" {
			return "values", apperr.Textf("indicator %s: values: empty value", ind.ID)
		}
		for _, m := range ind.Missing {
			if m == v {
				return "missing", apperr.Textf("indicator %s: %q is both counted and missing", ind.ID, v)
			}
		}
	}
	return "", nil
}

// Score returns 1 where a row counts, 0 where it answered otherwise and NaN
// where it has no (valid) answer.
func (ind Indicator) Score(rows []map[string]string) []float64 {
	col := make([]string, len(rows))
	for i, r := range rows {
		col[i] = r[ind.Field]
	}
	return ind.scoreColumn(col)
}

// scoreColumn scores the answers to the indicator's field.
func (ind Indicator) scoreColumn(col []string) []float64 {
	yes := map[string]bool{}
	for _, v := range ind.Values {
		yes[v] = true
	}
	miss := map[string]bool{}
	for _, v := range ind.Missing {
		miss[v] = true
	}
	y := make([]float64, len(col))
	for i, a := range col {
		a = strings.TrimSpace(a)
		if a == "" || miss[a] {
			y[i] = math.NaN()
			continue
		}
		if !ind.Multiple {
			if yes[a] {
				y[i] = 1
			}
			continue
		}
		for _, part := range strings.Fields(a) {
			if yes[part] {
				y[i] = 1
				break
			}
		}
	}
	return y
}

// Plan says how to analyse a round of answers.
type Plan struct {
	Indicators []Indicator `json:"indicators"`
	// Breakdowns are the answer fields to break results down by (region,
	// sex, age group, displacement status...).
	Breakdowns []string `json:"breakdowns"`
	// Design names the answer fields holding the design (weights, strata,
	// clusters, fpc); empty: simple random sample.
	Design estimate.TableSpec `json:"-"`
	// Population holds margins to calibrate to (optional) and RakeOn the
	// population dimensions (answer fields) used: one dimension
	// post-stratifies, several rake.
	Population *Population `json:"-"`
	RakeOn     []string    `json:"rake_on,omitempty"`
	// Margins is the name of Population, as refusals say it.
	Margins string `json:"-"`
	// RakeMissing says what a respondent without an answer to a RakeOn
	// field does to the analysis: RakeRefuse ("" too) refuses it, naming
	// the respondent; RakeLeaveOut leaves such respondents out (item
	// non-response on calibration), counted and said.
	RakeMissing string `json:"rake_missing,omitempty"`
	// TrimRatio, when above 1, trims the calibrated weights to
	// [mean/TrimRatio, mean×TrimRatio], sharing the excess (R trimWeights).
	TrimRatio float64 `json:"trim_ratio,omitempty"`
	// Rule is the small-cell rule (zero value: estimate.DefaultRule).
	Rule *estimate.Rule `json:"-"`
}

// What Plan.RakeMissing (Settings.RakeMissing) may say.
const (
	RakeRefuse   = "refuse"
	RakeLeaveOut = "leave_out"
)

// IndicatorResult is one indicator's estimates.
type IndicatorResult struct {
	Indicator Indicator                      `json:"indicator"`
	Overall   estimate.Estimate              `json:"overall"`
	By        map[string][]estimate.Estimate `json:"by"`
}

// Calibrated says how a design's weights were calibrated: Method "none",
// "post-stratified" or "raked" on the dimensions On, then trimmed to
// [mean/TrimRatio, mean×TrimRatio] when TrimRatio is above 1.
type Calibrated struct {
	Method    string
	On        []string
	TrimRatio float64
}

// String is the calibration in English (Analysis.Calibration): "none",
// "post-stratified on X", "raked on X, Y", then ", weights trimmed to
// [mean/R, mean×R]" when trimmed.
func (c Calibrated) String() string {
	s := c.Method
	if len(c.On) > 0 {
		s += " on " + strings.Join(c.On, ", ")
	}
	if c.TrimRatio > 1 {
		s += fmt.Sprintf(", weights trimmed to [mean/%g, mean×%g]", c.TrimRatio, c.TrimRatio)
	}
	return s
}

// Analysis is the result of a plan over a round of answers.
type Analysis struct {
	Respondents int    `json:"respondents"`
	Calibration string `json:"calibration"` // "none", "post-stratified on X", "raked on X, Y"
	// Calibrated is Calibration in parts, for a text in another language.
	Calibrated Calibrated         `json:"-"`
	Rake       *estimate.RakeInfo `json:"rake,omitempty"`
	// NoCalibrationAnswer counts, by calibration field, the respondents
	// left out for not answering it (Plan.RakeMissing RakeLeaveOut), each
	// under the first RakeOn field they did not answer.
	NoCalibrationAnswer map[string]int    `json:"no_calibration_answer,omitempty"`
	Warnings            []string          `json:"warnings,omitempty"`
	Results             []IndicatorResult `json:"results"`
	design              *estimate.Design
}

// columns returns the union of the rows' keys, sorted.
func columns(rows []map[string]string) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		for k := range r {
			seen[k] = true
		}
	}
	return SortedKeys(seen)
}

// BuildDesign makes the (calibrated) design of a plan over rows.
func BuildDesign(rows []map[string]string, plan Plan) (*estimate.Design, Calibrated, *estimate.RakeInfo, []string, error) {
	return buildDesign(frameOfKeys(rows, planKeys(plan)), plan)
}

// planKeys are the answer keys an analysis under plan reads: the
// indicators' questions, the breakdowns, the design and calibration
// fields and the instanceID (named in refusals).
func planKeys(plan Plan) []string {
	keys := []string{KeyInstanceID}
	for _, ind := range plan.Indicators {
		keys = append(keys, ind.Field)
	}
	keys = slices.Concat(keys, plan.Breakdowns, []string{plan.Design.Weights, plan.Design.Strata}, plan.Design.Clusters, plan.Design.FPC, plan.RakeOn)
	slices.Sort(keys)
	return slices.DeleteFunc(slices.Compact(keys), func(k string) bool { return k == "" })
}

// buildDesign is BuildDesign over a frame's rows.
func buildDesign(rows *frame, plan Plan) (*estimate.Design, Calibrated, *estimate.RakeInfo, []string, error) {
	if rows.len() == 0 {
		return nil, Calibrated{}, nil, nil, fmt.Errorf("no responses to analyse")
	}
	var designCols []string
	var designVals [][]string
	for _, c := range append(append([]string{plan.Design.Weights, plan.Design.Strata}, plan.Design.Clusters...), plan.Design.FPC...) {
		if c == "" {
			continue
		}
		if !rows.has(c) {
			return nil, Calibrated{}, nil, nil, apperr.Textf("design field %q: no response has it", c)
		}
		designCols = append(designCols, c)
		designVals = append(designVals, rows.strings(c, true))
	}
	tab := estimate.NewTableColumns("responses", rows.len(), designCols, designVals)
	d, err := estimate.DesignFromTable(tab, plan.Design)
	if err != nil {
		return nil, Calibrated{}, nil, nil, err
	}
	calib := Calibrated{Method: "none"}
	var info *estimate.RakeInfo
	var warnings []string
	if len(plan.RakeOn) > 0 {
		if plan.Population == nil {
			return nil, Calibrated{}, nil, nil, apperr.Textf("rake_on: no population margins loaded")
		}
		// Answers given since the settings were saved may hold values
		// the margins lack: said as when the settings are saved.
		check := newRakeCheck(plan.RakeOn, plan.Margins, plan.Population)
		check.addFrame(rows)
		if err := check.err(); err != nil {
			return nil, Calibrated{}, nil, nil, err
		}
		var ms []estimate.Margin
		for _, dim := range plan.RakeOn {
			pop, err := plan.Population.Margin(dim)
			if err != nil {
				return nil, Calibrated{}, nil, nil, err
			}
			cells := rows.strings(dim, true)
			for i, c := range cells {
				if c == "" {
					// Named by its instance id, as ODK Collect and
					// Central show it: its place among the rows
					// analysed (a round's respondents) is in no list
					// the analyst sees.
					return nil, Calibrated{}, nil, nil, apperr.Textf("the response with instanceID %q: no answer to %q, needed to calibrate to the population; recode the answer, or set rake_missing to leave_out to leave such respondents out", rows.value(i, KeyInstanceID), dim)
				}
			}
			// Population cells with no respondents cannot be reached:
			// drop them and say so (R's partial=TRUE).
			present := map[string]bool{}
			for _, c := range cells {
				present[c] = true
			}
			kept := map[string]float64{}
			for c, n := range pop {
				if present[c] {
					kept[c] = n
				} else if n > 0 {
					warnings = append(warnings, fmt.Sprintf("%s=%s: population %.0f but no respondents; left out of calibration", dim, c, n))
				}
			}
			ms = append(ms, estimate.Margin{Name: dim, Cell: cells, Pop: kept})
		}
		sort.Strings(warnings)
		if len(ms) == 1 {
			if d, err = d.PostStratify(ms[0]); err != nil {
				return nil, Calibrated{}, nil, nil, err
			}
			calib = Calibrated{Method: "post-stratified", On: plan.RakeOn[:1]}
		} else {
			var ri estimate.RakeInfo
			if d, ri, err = d.Rake(ms, estimate.RakeOptions{}); err != nil {
				return nil, Calibrated{}, nil, nil, err
			}
			info = &ri
			calib = Calibrated{Method: "raked", On: plan.RakeOn}
			if !ri.Converged {
				warnings = append(warnings, fmt.Sprintf("raking did not converge in %d iterations", ri.Iterations))
			}
		}
	}
	if plan.TrimRatio > 1 {
		if d, err = d.TrimAroundMean(plan.TrimRatio); err != nil {
			return nil, Calibrated{}, nil, nil, err
		}
		calib.TrimRatio = plan.TrimRatio
	}
	return d, calib, info, warnings, nil
}

// respondentsOnly leaves out, when the plan calibrates, the submissions
// that answered none of its indicators' questions and none of its
// calibration fields — unit non-response, such as a person who did not
// consent (the starter form then asks nothing more). They cannot be
// calibrated and carry no answer to estimate; kept, one of them refused
// the whole analysis. Without calibration nothing is left out: a
// question's blank answers are that question's non-response, as before.
// It returns the rows kept and how many were left out.
func respondentsOnly(rows *frame, plan Plan) (*frame, int) {
	if len(plan.RakeOn) == 0 {
		return rows, 0
	}
	fields := append([]string(nil), plan.RakeOn...)
	for _, ind := range plan.Indicators {
		fields = append(fields, ind.Field)
	}
	answeredTo := make([]func(int32) bool, len(fields))
	for j, f := range fields {
		answeredTo[j] = rows.is(f, func(v string) bool { return v != "" })
	}
	kept := rows.where(func(r int32) bool {
		return slices.ContainsFunc(answeredTo, func(answered func(int32) bool) bool { return answered(r) })
	})
	return kept, rows.len() - kept.len()
}

// withoutCalibrationAnswer leaves out, when the plan calibrates and its
// RakeMissing is RakeLeaveOut, the respondents without an answer to a
// calibration field (item non-response on calibration), counting each
// under the first RakeOn field they did not answer; otherwise rows are
// kept, and the first such respondent refuses the analysis (BuildDesign).
func withoutCalibrationAnswer(rows *frame, plan Plan) (*frame, map[string]int) {
	if len(plan.RakeOn) == 0 || plan.RakeMissing != RakeLeaveOut {
		return rows, nil
	}
	blank := make([]func(int32) bool, len(plan.RakeOn))
	for j, dim := range plan.RakeOn {
		blank[j] = rows.is(dim, func(v string) bool { return v == "" })
	}
	var left map[string]int
	kept := rows.where(func(r int32) bool {
		i := slices.IndexFunc(blank, func(b func(int32) bool) bool { return b(r) })
		if i < 0 {
			return true
		}
		if left == nil {
			left = map[string]int{}
		}
		left[plan.RakeOn[i]]++
		return false
	})
	return kept, left
}

// Analyze estimates every indicator of the plan, overall and by each
// breakdown, with intervals and the small-cell rule applied.
func Analyze(rows []map[string]string, plan Plan) (*Analysis, error) {
	return analyze(frameOfKeys(rows, planKeys(plan)), plan)
}

// analyze is Analyze over a frame's rows.
func analyze(rows *frame, plan Plan) (*Analysis, error) {
	if len(plan.Indicators) == 0 {
		return nil, fmt.Errorf("indicators: none given")
	}
	for _, ind := range plan.Indicators {
		if err := ind.Validate(); err != nil {
			return nil, err
		}
	}
	rule := estimate.DefaultRule
	if plan.Rule != nil {
		rule = *plan.Rule
	}
	rows, left := respondentsOnly(rows, plan)
	rows, noAnswer := withoutCalibrationAnswer(rows, plan)
	d, calib, info, warnings, err := buildDesign(rows, plan)
	if err != nil {
		return nil, err
	}
	var said []string
	if left > 0 {
		said = append(said, fmt.Sprintf("%d %s answered none of the questions analysed nor the calibration fields (no consent, say): left out as non-response", left, plural(left, "submission")))
	}
	for _, dim := range plan.RakeOn {
		if n := noAnswer[dim]; n > 0 {
			said = append(said, fmt.Sprintf("%d %s left out: no %s", n, plural(n, "respondent"), dim))
		}
	}
	warnings = append(said, warnings...)
	a := &Analysis{Respondents: rows.len(), Calibration: calib.String(), Calibrated: calib, Rake: info, NoCalibrationAnswer: noAnswer, Warnings: warnings, design: d}
	groups := make(map[string]*estimate.Groups, len(plan.Breakdowns))
	for _, b := range plan.Breakdowns {
		groups[b] = estimate.NewGroups(rows.strings(b, true))
	}
	for _, ind := range plan.Indicators {
		y := ind.scoreColumn(rows.strings(ind.Field, false))
		all, err := d.Proportion(y, nil)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: %w", ind.ID, err)
		}
		res := IndicatorResult{Indicator: ind, Overall: rule.Apply(all), By: map[string][]estimate.Estimate{}}
		for _, b := range plan.Breakdowns {
			by, err := d.ByGroups(estimate.Proportion, y, groups[b])
			if err != nil {
				return nil, fmt.Errorf("indicator %s by %s: %w", ind.ID, b, err)
			}
			for j := range by {
				by[j] = rule.Apply(by[j])
			}
			res.By[b] = by
		}
		a.Results = append(a.Results, res)
	}
	return a, nil
}

// plural is word with an s unless n is 1 (the English of a warning).
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// IndicatorTrend is the change of one indicator between two rounds.
type IndicatorTrend struct {
	Indicator string                 `json:"indicator"`
	Overall   TrendCell              `json:"overall"`
	By        map[string][]TrendCell `json:"by"`
}

// TrendCell is the change of one estimate between rounds (independent
// samples): to − from, with its SE and interval; suppressed when either
// round's cell is.
type TrendCell struct {
	Group       string   `json:"group,omitempty"`
	From        *float64 `json:"from,omitempty"`
	To          *float64 `json:"to,omitempty"`
	Change      *float64 `json:"change,omitempty"`
	SE          *float64 `json:"se,omitempty"`
	CILow       *float64 `json:"ci_low,omitempty"`
	CIHigh      *float64 `json:"ci_high,omitempty"`
	Significant bool     `json:"significant"`
	Suppressed  string   `json:"suppressed,omitempty"`
}

func trendCell(d estimate.Diff) TrendCell {
	c := TrendCell{Group: d.Group, Suppressed: d.Suppress}
	if d.Suppress != "" {
		return c
	}
	f := func(v float64) *float64 { return &v }
	c.From, c.To, c.Change, c.SE, c.CILow, c.CIHigh = f(d.From.Value), f(d.To.Value), f(d.Value), f(d.SE), f(d.CILow), f(d.CIHigh)
	c.Significant = d.Significant
	return c
}

// Trend compares two rounds' analyses indicator by indicator (matched by
// id) and group by group (matched by label; a group present in one round
// only is reported suppressed).
func Trend(from, to *Analysis) []IndicatorTrend {
	prev := map[string]IndicatorResult{}
	for _, r := range from.Results {
		prev[r.Indicator.ID] = r
	}
	var out []IndicatorTrend
	for _, r := range to.Results {
		p, ok := prev[r.Indicator.ID]
		if !ok {
			continue
		}
		t := IndicatorTrend{Indicator: r.Indicator.ID, Overall: trendCell(estimate.Difference(p.Overall, r.Overall)), By: map[string][]TrendCell{}}
		for b, cur := range r.By {
			old := map[string]estimate.Estimate{}
			for _, e := range p.By[b] {
				old[e.Group] = e
			}
			for _, e := range cur {
				o, ok := old[e.Group]
				if !ok {
					t.By[b] = append(t.By[b], TrendCell{Group: e.Group, Suppressed: "not in the first round"})
					continue
				}
				t.By[b] = append(t.By[b], trendCell(estimate.Difference(o, e)))
			}
		}
		out = append(out, t)
	}
	return out
}

// Settings are a form's analysis settings, stored per form: what to
// estimate, how the sample was drawn, what to calibrate to and how to
// protect exports.
type Settings struct {
	Indicators []Indicator `json:"indicators"`
	Breakdowns []string    `json:"breakdowns"`
	// Design fields (answer keys); all optional.
	Weights  string   `json:"weights,omitempty"`
	Strata   string   `json:"strata,omitempty"`
	Clusters []string `json:"clusters,omitempty"`
	FPC      []string `json:"fpc,omitempty"`
	// Margins names the population margin set used to calibrate (RakeOn)
	// and to see who is unheard.
	Margins   string   `json:"margins,omitempty"`
	RakeOn    []string `json:"rake_on,omitempty"`
	TrimRatio float64  `json:"trim_ratio,omitempty"`
	// RakeMissing is what a respondent without an answer to a RakeOn
	// field does (Plan.RakeMissing): RakeRefuse (default, "") or
	// RakeLeaveOut.
	RakeMissing string `json:"rake_missing,omitempty"`
	// AreaField is the answer field holding the admin area (map layer,
	// places in the unheard comparison); RoundField the field holding the
	// survey round (default "round").
	AreaField  string `json:"area_field"`
	RoundField string `json:"round_field,omitempty"`
	// GeoField is the geopoint answer placing respondents on the
	// PRIO-GRID map layer (optional).
	GeoField string `json:"geo_field,omitempty"`
	// GroupDim is the population dimension that the interlocutor log's
	// "group" refers to.
	GroupDim   string         `json:"group_dim,omitempty"`
	Disclosure DisclosureRule `json:"disclosure"`
}

// Validate checks settings, naming the field at fault.
func (s Settings) Validate() error {
	if len(s.Indicators) == 0 {
		return apperr.Textf("indicators: none defined")
	}
	if len(s.Indicators) > 200 || len(s.Breakdowns) > 20 {
		return apperr.Textf("indicators/breakdowns: at most 200 indicators and 20 breakdowns")
	}
	ids := map[string]bool{}
	for i, ind := range s.Indicators {
		if member, err := ind.check(); err != nil {
			return &SettingError{fmt.Sprintf("indicators[%d].%s", i, member), apperr.Textf("indicators[%d]: %w", i, err)}
		}
		if ids[ind.ID] {
			return &SettingError{fmt.Sprintf("indicators[%d].id", i), apperr.Textf("indicators[%d]: id %q used twice", i, ind.ID)}
		}
		ids[ind.ID] = true
	}
	if n := max(1, len(s.Clusters)); len(s.FPC) > 0 && len(s.FPC) != n {
		return apperr.Textf("fpc: %d fields (%s) for %d sampling stages: give one per cluster field, or none", len(s.FPC), strings.Join(s.FPC, ", "), n)
	}
	if len(s.RakeOn) > 0 && s.Margins == "" {
		return apperr.Textf("margins: rake_on needs a margin set")
	}
	if s.RakeMissing != "" && s.RakeMissing != RakeRefuse && s.RakeMissing != RakeLeaveOut {
		return apperr.Textf("rake_missing: %q: want refuse (refuse the analysis) or leave_out (leave such respondents out)", s.RakeMissing)
	}
	if s.TrimRatio != 0 && s.TrimRatio <= 1 {
		return apperr.Textf("trim_ratio: %v must be above 1", s.TrimRatio)
	}
	if s.AreaField == "" {
		return apperr.Textf("area_field: name the answer field holding the admin area")
	}
	if err := s.Disclosure.Validate(); err != nil {
		return apperr.Textf("disclosure: %w", err)
	}
	return nil
}

// SettingError is a refusal of Validate that names the setting at fault
// by its JSON path (indicators[2].values); Error is Err's text.
type SettingError struct {
	Path string
	Err  error
}

func (e *SettingError) Error() string { return e.Err.Error() }
func (e *SettingError) Unwrap() error { return e.Err }

// Round returns the round field (default "round").
func (s Settings) Round() string {
	if s.RoundField == "" {
		return "round"
	}
	return s.RoundField
}

// Plan turns settings into an analysis plan; pop is the margin set named
// by Margins (nil if none).
func (s Settings) Plan(pop *Population) Plan {
	return Plan{
		Indicators:  s.Indicators,
		Breakdowns:  s.Breakdowns,
		Design:      estimate.TableSpec{Weights: s.Weights, Strata: s.Strata, Clusters: s.Clusters, FPC: s.FPC},
		Population:  pop,
		RakeOn:      s.RakeOn,
		Margins:     s.Margins,
		RakeMissing: s.RakeMissing,
		TrimRatio:   s.TrimRatio,
	}
}

// FilterRound keeps the rows whose round field equals round ("" keeps
// all).
func FilterRound(rows []map[string]string, field, round string) []map[string]string {
	if round == "" {
		return rows
	}
	var out []map[string]string
	for _, r := range rows {
		if strings.TrimSpace(r[field]) == round {
			out = append(out, r)
		}
	}
	return out
}

// Rounds lists the distinct rounds in rows, sorted.
func Rounds(rows []map[string]string, field string) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		if v := strings.TrimSpace(r[field]); v != "" {
			seen[v] = true
		}
	}
	return SortedKeys(seen)
}

// ErrNoMargins and ErrNoSettings are returned by AnalysisStore lookups.
var (
	ErrNoMargins  = errors.New("no such population margin set")
	ErrNoSettings = errors.New("no analysis settings for this form")
)

// SealedInterlocutor is a stored interlocutor log entry, sealed.
type SealedInterlocutor struct {
	ID     int64
	Date   string
	Sealed []byte
}

// AnalysisStore persists what the survey analysis needs besides forms and
// submissions (implemented by *storage.DB). Changes are audited in the
// same transaction.
type AnalysisStore interface {
	// SaveMargins creates or replaces a named margin set (audit
	// "survey.margins.save").
	SaveMargins(ctx context.Context, actor, name string, p *Population) error
	// Margins returns a margin set; ErrNoMargins if none.
	Margins(ctx context.Context, name string) (*Population, error)
	// MarginNames lists the margin sets.
	MarginNames(ctx context.Context) ([]string, error)
	// AddInterlocutor appends a sealed log entry (audit
	// "survey.interlocutor.add").
	AddInterlocutor(ctx context.Context, actor string, e SealedInterlocutor) (int64, error)
	// Interlocutors returns the sealed log entries met between from and to
	// (YYYY-MM-DD, inclusive; "" for no bound), oldest first.
	Interlocutors(ctx context.Context, from, to string) ([]SealedInterlocutor, error)
	// SaveSettings stores a form's analysis settings (audit
	// "survey.settings.save").
	SaveSettings(ctx context.Context, actor, formID string, s Settings) error
	// Settings returns a form's analysis settings; ErrNoSettings if none.
	Settings(ctx context.Context, formID string) (Settings, error)
}

// interlocutorAAD binds sealed log entries to their table.
var interlocutorAAD = []byte("surveys.interlocutor")

// SealInterlocutor validates and seals a log entry with the survey key.
func SealInterlocutor(k *crypt.Keyring, it Interlocutor) (SealedInterlocutor, error) {
	if err := it.Validate(); err != nil {
		return SealedInterlocutor{}, err
	}
	it.ID = 0
	b, err := json.Marshal(it)
	if err != nil {
		return SealedInterlocutor{}, err
	}
	sealed, err := k.Seal(b, interlocutorAAD)
	if err != nil {
		return SealedInterlocutor{}, err
	}
	return SealedInterlocutor{Date: it.Date, Sealed: sealed}, nil
}

// OpenInterlocutors opens sealed log entries.
func OpenInterlocutors(k *crypt.Keyring, sealed []SealedInterlocutor) ([]Interlocutor, error) {
	out := make([]Interlocutor, 0, len(sealed))
	for _, s := range sealed {
		b, err := k.Open(s.Sealed, interlocutorAAD)
		if err != nil {
			return nil, fmt.Errorf("interlocutor %d: %w", s.ID, err)
		}
		var it Interlocutor
		if err := json.Unmarshal(b, &it); err != nil {
			return nil, fmt.Errorf("interlocutor %d: %w", s.ID, err)
		}
		it.ID = s.ID
		out = append(out, it)
	}
	return out, nil
}
