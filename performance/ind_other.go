package performance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/estimate"
)

// alertMinutes is the indicator of the minutes from an incident's first
// alert to stage (alertTimes), a quantile by alertBy.
func alertMinutes(stage, id, name, nameFR, doc string) Definition {
	return Definition{
		ID: id, Name: name, NameFR: nameFR,
		Unit: "minutes", Direction: LowerIsBetter, Sources: []string{"alerts"},
		Doc:             doc,
		Params:          []Param{qParam},
		Disaggregations: alertBy,
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) {
			return e.alertTimes(ctx, r, stage)
		},
	}
}

// otherIndicators lists the personnel, alert and perception indicators.
func otherIndicators() []Definition {
	var defs []Definition
	defs = append(defs, Definition{
		ID: "women-share", Name: "Women's share of deployed personnel", NameFR: "Part des femmes dans le personnel déployé",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"deployments"},
		Doc:             "Σ women × months ÷ Σ (women + men) × months over the sites active in the period whose records carry personnel by sex (Vigil's own deployment CSV/GeoJSON columns women, men). Geo-PKO has no sex breakdown: on Geo-PKO data the answer is no data.",
		Disaggregations: []string{"unit"},
		compute:         (*Engine).womenShare,
	})
	defs = append(defs,
		alertMinutes("triage", "alert-triage-minutes", "Time from first alert to triage", "Délai entre la première alerte et le tri",
			"Median (or 90th percentile, q=0.9) minutes from an incident's first alert to triage, over incidents first reported in the period (type-7 quantile, as the alerts dashboard). 95% interval: order statistics. --by priority, category (the incident's category; none: not categorised) or sex (the reporter's sex where recorded: female, male, unknown, not_asked; none: not recorded). By sex, a group whose value rests on fewer than 5 incidents (its n: those triaged, or responded to, or for alert-sla-share handled or overdue; surveys.DefaultK, the survey exports' k-anonymity minimum) is suppressed, and when only one non-empty group is, the next smallest too, so that no small group can be worked out from the total; every sex is listed, an empty group suppressed too, so that the groups shown do not tell a few reporters' sex: the reporter's sex is never shown per incident. Values by sex are shown to responders and above (two answers could be differenced), as the alerts dashboard's counts by sex."),
		alertMinutes("response", "alert-response-minutes", "Time from first alert to response dispatched", "Délai entre la première alerte et l’envoi d’une réponse",
			"As alert-triage-minutes, to the response being dispatched (same breakdowns and small-group rule)."),
	)
	defs = append(defs, Definition{
		ID: "alert-sla-share", Name: "Share of incidents handled within the SLA", NameFR: "Part des incidents traités dans les délais",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"alerts"},
		Doc:             "Share of the period's incidents triaged (stage=triage) or responded to (stage=response) within the SLA (default 15 min / 2 h; serve --alerts-* settings); an incident not yet handled counts as a miss once its SLA has passed and is left out before. 95% interval: Clopper–Pearson. Breakdowns and the small-group rule as alert-triage-minutes.",
		Params:          []Param{{Name: "stage", Default: "triage", Values: []string{"triage", "response"}, Doc: "which timer"}},
		Disaggregations: alertBy,
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) {
			return e.alertTimes(ctx, r, "sla-"+r.Params["stage"])
		},
	})
	defs = append(defs, Definition{
		ID: "perception", Name: "Perception survey indicator", NameFR: "Indicateur d’enquête de perception",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"surveys"},
		Doc:             "A perception indicator of a survey form's analysis settings (e.g. share feeling safe, share trusting the mission to protect), design-based over the answers given in the period (the form's end, else start, timestamp; else when received), with its 95% interval — the survey analysis' numbers (equal to R's survey package). --by sex, age, area or displacement uses the settings' breakdown field whose name contains that word (area: the settings' area field). Areas are the form's own: --country is not used.",
		Params:          []Param{{Name: "form", Doc: "required: the survey form's id"}, {Name: "id", Doc: "the indicator's id in the form's settings (default: the first)"}},
		Disaggregations: []string{"sex", "age", "area", "displacement"},
		AreaLess:        true,
		compute:         (*Engine).perception,
	})
	defs = append(defs, Definition{
		ID: "forecast-skill", Name: "Forecast skill against the best baseline", NameFR: "Qualité de la prévision face à la meilleure référence",
		AreaLess: true,
		Unit:     "AUPR difference", Direction: HigherIsBetter, Sources: []string{"forecasts"},
		Doc:     "From the latest stored one-sided violence forecast run's walk-forward backtest (vigil forecast, default the last 12 months): the model's AUPR minus the best baseline's (highest AUPR). The backtest stores no interval, so its status is always cannot tell yet. The period must overlap the backtest's months.",
		Params:  []Param{{Name: "target", Default: "osv", Values: []string{"osv", "sb", "ns"}, Doc: "forecast target"}},
		compute: (*Engine).forecastSkill,
	})
	return defs
}

// alertBy are the alert indicators' breakdowns: the incident's priority
// and category, and the reporter's sex (counted, never shown per
// incident: small groups are suppressed).
var alertBy = []string{"priority", "category", "sex"}

// reporterSexWithheld reports whether ctx's caller may not see alert
// values broken down by the reporter's sex: a user below responder, the
// alerts dashboard's rule (alerts.Service.DashboardQuery). The small-group
// rule holds for one answer, but a viewer could difference two answers
// (two periods, an area and the whole) and learn how many reporters of an
// incident-poor month were women; responders see each incident's reporter
// sex anyway. A caller without a user (the CLI, on the data directory) may.
func reporterSexWithheld(ctx context.Context) bool {
	u, ok := auth.UserFrom(ctx)
	return ok && !u.Role.AtLeast(auth.Responder)
}

// withholdReporterSex blanks v, a recorded value, when it is an alert
// indicator's value for one reporter sex and ctx's caller may not see it
// (reporterSexWithheld).
func withholdReporterSex(ctx context.Context, v *Value) {
	if _, bySex := v.Disaggregation["sex"]; !bySex || !byReporterSex(v.Indicator) || !reporterSexWithheld(ctx) {
		return
	}
	*v = Value{Indicator: v.Indicator, Params: v.Params, Period: v.Period, Area: v.Area, AreaName: v.AreaName,
		Disaggregation: v.Disaggregation, Unit: v.Unit, Coverage: v.Coverage}
	withReason(v, msg("value.reporter-sex-role"))
}

// byReporterSex reports whether indicator id's "sex" breakdown is the
// reporter's (the alert indicators, broken down by alertBy), not a survey
// respondent's.
func byReporterSex(id string) bool {
	d, ok := Lookup(id)
	return ok && slices.Equal(d.Disaggregations, alertBy)
}

var qParam = Param{Name: "q", Default: "0.5", Values: []string{"0.5", "0.9"}, Doc: "quantile: 0.5 median, 0.9 90th percentile"}

func (e *Engine) womenShare(ctx context.Context, r Request) ([]Value, error) {
	dep, err := e.deployments(ctx)
	if err != nil {
		return nil, err
	}
	if len(dep.deps) == 0 {
		return []Value{noData(msg("value.no-deployments"), dep.src)}, nil
	}
	cv := Coverage{DataFrom: dep.from.String(), DataTo: dep.to.String(), Months: overlap(r.Period, int(dep.from), int(dep.to))}
	if cv.Months == 0 {
		v := noData(msg("value.deployments-outside", "from", dep.from, "to", dep.to, "period", r.Period), dep.src)
		v.Coverage = cv
		return []Value{v}, nil
	}
	type acc struct {
		w, all float64
		n      int
	}
	groups := map[string]*acc{}
	active, withSex := 0, 0
	for _, d := range dep.deps {
		m := overlap(r.Period, int(d.Start), int(d.End))
		if m == 0 {
			continue
		}
		if !r.Area.IsAll() {
			a, ok := areaOf(d.Country)
			if !ok && e.in.Cells != nil {
				if c, ok2 := e.in.Cells.Get(d.Cell); ok2 {
					a, ok = areaOf(c.Country)
				}
			}
			if !ok || a.Code != r.Area.Code {
				continue
			}
		}
		active++
		if d.Women+d.Men == 0 {
			continue
		}
		withSex++
		keys := []string{""}
		if r.By == "unit" {
			keys = d.Units
			if len(keys) == 0 {
				keys = []string{"unspecified"}
			}
		}
		for _, k := range keys {
			a := groups[k]
			if a == nil {
				a = &acc{}
				groups[k] = a
			}
			a.w += float64(d.Women * m)
			a.all += float64((d.Women + d.Men) * m)
			a.n++
		}
	}
	if active == 0 {
		v := noData(msg("value.no-active-site", "area", r.Area.Code, "period", r.Period), dep.src)
		v.Coverage = cv
		return []Value{v}, nil
	}
	if withSex == 0 {
		v := noData(msg("value.no-personnel-sex", "n", active), dep.src)
		v.Coverage = cv
		return []Value{v}, nil
	}
	keys := slices.Sorted(maps.Keys(groups))
	var out []Value
	for _, k := range keys {
		a := groups[k]
		x := a.w / a.all
		v := Value{Value: &x, CILow: &x, CIHigh: &x, Uncertainty: Exact, CI: "none: a census of the sites' records", N: a.n, Coverage: cv,
			Prov: method(msg("method.women-share", "k", withSex, "n", active), dep.src)}
		if r.By != "" {
			v.Disaggregation = map[string]string{r.By: k}
		}
		out = append(out, v)
	}
	return out, nil
}

// incidents reads the incidents first reported in period p (the store
// answers at most 10,000 per request: a longer list is read month by
// month).
func (e *Engine) incidents(ctx context.Context, p Period) ([]alerts.Incident, Source, error) {
	var ins []alerts.Incident
	for mo := p.From; mo <= p.To; mo++ {
		since := time.Date(mo.Year(), time.Month(mo.Mon()), 1, 0, 0, 0, 0, time.UTC)
		page, err := e.in.Alerts.Incidents(ctx, alerts.IncidentFilter{Since: since, Until: since.AddDate(0, 1, 0).Add(-time.Nanosecond), Limit: 10000})
		if err != nil {
			return nil, Source{}, err
		}
		if len(page) >= 10000 {
			return nil, Source{}, fmt.Errorf("more than 10,000 incidents in %s: too many to compute from", mo)
		}
		ins = append(ins, page...)
	}
	var b strings.Builder
	sort.Slice(ins, func(i, j int) bool { return ins[i].ID < ins[j].ID })
	for _, in := range ins {
		fmt.Fprintf(&b, "%d|%s|%s|%s|%v|%v|%v|%s|%s\n", in.ID, in.Status, in.Priority, in.FirstAt.UTC().Format(time.RFC3339), in.TriagedAt, in.RespondedAt, in.Location.Lat, in.Category, in.ReporterSex)
	}
	return ins, hashSource("alert incidents", len(ins), b.String()), nil
}

func (e *Engine) alertTimes(ctx context.Context, r Request, what string) ([]Value, error) {
	if e.in.Alerts == nil {
		return []Value{noData(msg("value.no-alert-store"))}, nil
	}
	ins, src, err := e.incidents(ctx, r.Period)
	if err != nil {
		return nil, err
	}
	now := e.now()
	groups := map[string][]float64{}
	hits := map[string]int{}
	var located, outside int
	for _, in := range ins {
		mo := grid.MonthOf(in.FirstAt.UTC().Year(), int(in.FirstAt.UTC().Month()))
		if !r.Period.Contains(mo) {
			continue
		}
		if !r.Area.IsAll() {
			if in.Location.Lat == nil || in.Location.Lon == nil || e.in.Cells == nil {
				outside++
				continue
			}
			gid, err := grid.PrioGID(*in.Location.Lat, *in.Location.Lon)
			c, ok := e.in.Cells.Get(gid)
			a, ok2 := areaOf(c.Country)
			if err != nil || !ok || !ok2 || a.Code != r.Area.Code {
				outside++
				continue
			}
			located++
		}
		g := ""
		switch r.By {
		case "priority":
			g = in.Priority
		case "category":
			g = cmp.Or(in.Category, "none")
		case "sex":
			g = cmp.Or(in.ReporterSex, "none")
		}
		var at *time.Time
		sla := e.in.SLA.Triage
		switch what {
		case "triage", "sla-triage":
			at = in.TriagedAt
		default:
			at, sla = in.RespondedAt, e.in.SLA.Response
		}
		if strings.HasPrefix(what, "sla-") {
			switch {
			case at != nil:
				groups[g] = append(groups[g], 0)
				if at.Sub(in.FirstAt) <= sla {
					hits[g]++
				}
			case now.Sub(in.FirstAt) > sla:
				groups[g] = append(groups[g], 0) // a miss
			}
			continue
		}
		if at != nil {
			groups[g] = append(groups[g], at.Sub(in.FirstAt).Minutes())
		} else if _, ok := groups[g]; !ok {
			groups[g] = nil
		}
	}
	cv := Coverage{Months: r.Period.Months()}
	if outside > 0 {
		cv.setNote(msg("note.incidents-outside", "n", outside, "area", r.Area.Code))
	}
	if r.By == "sex" && len(groups) > 0 {
		// Every sex is listed (an empty group is suppressed as a small
		// one), so that which groups appear does not tell the sex of a
		// period's or area's few reporters.
		for _, g := range append(slices.Clone(alerts.ReporterSexes), "none") {
			if _, ok := groups[g]; !ok {
				groups[g] = nil
			}
		}
	}
	keys := slices.Sorted(maps.Keys(groups))
	if len(keys) == 0 {
		v := noData(msg("value.no-incident", "area", r.Area.Code, "period", r.Period), src)
		v.Coverage = cv
		return []Value{v}, nil
	}
	var hidden map[string]Msg
	if r.By == "sex" && reporterSexWithheld(ctx) {
		hidden = map[string]Msg{}
		for _, k := range keys {
			hidden[k] = msg("value.reporter-sex-role")
		}
	} else if r.By == "sex" {
		// The rule counts the incidents each value rests on (its n: those
		// triaged or responded to; for the SLA share, handled or overdue),
		// not all of the group's: no value shown rests on fewer than k.
		n := map[string]int{}
		for _, k := range keys {
			n[k] = len(groups[k])
		}
		hidden = smallGroups(keys, n, surveys.DefaultK)
	}
	var out []Value
	for _, k := range keys {
		xs := groups[k]
		v := Value{N: len(xs), Coverage: cv, Prov: Provenance{Sources: []Source{src}}}
		if r.By != "" {
			v.Disaggregation = map[string]string{r.By: k}
		}
		why, small := hidden[k]
		switch {
		case small:
			v.N = 0
			withReason(&v, why)
		case len(xs) == 0:
			withReason(&v, msg("value.no-stage"))
		case strings.HasPrefix(what, "sla-"):
			x := float64(hits[k]) / float64(len(xs))
			lo, hi := ClopperPearson(hits[k], len(xs), 0.95)
			v.Value, v.CILow, v.CIHigh, v.Unit = &x, &lo, &hi, "share"
			v.Uncertainty, v.CI = Estimate, "Clopper–Pearson 95%"
			v.Prov.setMethod(msg("method.alerts-sla", "k", hits[k], "n", len(xs)))
		default:
			q := setQuantile(&v, xs, r.Params["q"])
			v.Prov.setMethod(msg("method.alerts-quantile", "q", fmt.Sprintf("%g", q), "n", len(xs)))
		}
		out = append(out, v)
	}
	return out, nil
}

// smallGroups applies the small-group rule to a breakdown about people:
// each group whose value rests on fewer than k incidents (size; an empty
// one too) is
// suppressed and, when that leaves exactly one non-empty group suppressed
// among several, the next smallest too (its size could otherwise be worked
// out from the total). It returns why each suppressed group is.
func smallGroups(keys []string, size map[string]int, k int) map[string]Msg {
	out := map[string]Msg{}
	small := 0 // non-empty groups suppressed
	for _, g := range keys {
		if size[g] < k {
			out[g] = msg("value.suppressed-group", "min", k)
			if size[g] > 0 {
				small++
			}
		}
	}
	if small == 1 && len(out) < len(keys) {
		next := ""
		for _, g := range keys {
			if _, ok := out[g]; !ok && (next == "" || size[g] < size[next]) {
				next = g
			}
		}
		out[next] = msg("value.suppressed-complement", "min", k)
	}
	return out
}

// setQuantile sets v to the q-th sample quantile (q given as text, default
// the median) of xs with its distribution-free order-statistic 95%
// interval (a bound the sample is too small for is left nil); it sorts xs
// and returns q.
func setQuantile(v *Value, xs []float64, qs string) float64 {
	q := 0.5
	fmt.Sscan(qs, &q)
	sort.Float64s(xs)
	x := SampleQuantile(xs, q)
	v.Value = &x
	lo, hi, lok, hok := QuantileCI(xs, q, 0.95)
	if lok {
		v.CILow = &lo
	}
	if hok {
		v.CIHigh = &hi
	}
	v.Uncertainty, v.CI = Quantile, "order-statistic 95% (distribution-free)"
	return q
}

// formTitle is the survey form's title, as its author wrote it, for
// people (reasons and sources name the form by it); its id when the form
// has none or cannot be read.
func (e *Engine) formTitle(ctx context.Context, form string) string {
	if f, err := e.in.Surveys.Store.FormByFormID(ctx, form); err == nil && strings.TrimSpace(f.Title) != "" {
		return f.Title
	}
	return form
}

// answeredAt is when a survey answer was given: the form's end (else
// start) timestamp, the metadata ODK forms preload, else when the server
// received it (an answer sent in weeks after the interview belongs to the
// interview's month).
func answeredAt(row map[string]string) (time.Time, bool) {
	for _, k := range []string{"end", "start", surveys.KeyReceived} {
		if t, err := time.Parse(time.RFC3339, row[k]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (e *Engine) perception(ctx context.Context, r Request) ([]Value, error) {
	form := r.Params["form"]
	if e.in.Surveys == nil || e.in.Settings == nil {
		return []Value{noData(msg("value.no-survey-store"))}, nil
	}
	if !r.Area.IsAll() {
		return []Value{noData(msg("value.survey-by-area"))}, nil
	}
	title := e.formTitle(ctx, form) // what reasons and sources call the form
	st, err := e.in.Settings.Settings(ctx, form)
	if errors.Is(err, surveys.ErrNoSettings) || errors.Is(err, surveys.ErrNoForm) {
		return []Value{noData(msg("value.form-no-settings", "form", title))}, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := e.surveyRows(ctx, form)
	if errors.Is(err, surveys.ErrNoForm) {
		return nil, invalid("form", "err.no-form", "form", fmt.Sprintf("%q", form))
	}
	if err != nil {
		return nil, err
	}
	var sel []map[string]string
	var b strings.Builder
	for _, row := range rows {
		t, ok := answeredAt(row)
		if !ok || !r.Period.Contains(monthOfTime(t)) {
			continue
		}
		sel = append(sel, row)
		b.WriteString(row[surveys.KeyInstanceID] + "\n")
	}
	src := hashSource("survey "+form+" responses", len(sel), b.String())
	name := msg("source.survey", "form", title)
	src.NameMsg = &name
	if len(sel) == 0 {
		return []Value{noData(msg("value.form-no-responses", "form", title, "period", r.Period), src)}, nil
	}
	var pop *surveys.Population
	if st.Margins != "" {
		if pop, err = e.in.Settings.Margins(ctx, st.Margins); err != nil {
			return nil, err
		}
	}
	plan := st.Plan(pop)
	id := r.Params["id"]
	var ind *surveys.Indicator
	for i := range plan.Indicators {
		if id == "" || plan.Indicators[i].ID == id {
			ind = &plan.Indicators[i]
			break
		}
	}
	if ind == nil {
		var ids []string
		for _, x := range plan.Indicators {
			ids = append(ids, x.ID)
		}
		return nil, invalid("id", "err.form-no-indicator", "form", fmt.Sprintf("%q", form), "id", fmt.Sprintf("%q", id), "ids", strings.Join(ids, ", "))
	}
	plan.Indicators = []surveys.Indicator{*ind}
	field := ""
	if r.By != "" {
		if r.By == "area" {
			field = st.AreaField
		}
		for _, b := range st.Breakdowns {
			if field == "" && strings.Contains(strings.ToLower(b), r.By) {
				field = b
			}
		}
		if field == "" {
			return []Value{noData(msg("value.form-no-breakdown", "form", title, "by", r.By), src)}, nil
		}
		plan.Breakdowns = []string{field}
	} else {
		plan.Breakdowns = nil
	}
	a, err := surveys.Analyze(sel, plan)
	if err != nil {
		return []Value{noData(msg("value.survey-failed", "err", err.Error()), src)}, nil
	}
	res := a.Results[0]
	mk := func(g string, est estimate.Estimate) Value {
		v := Value{N: est.N, Coverage: Coverage{Months: r.Period.Months()}, Prov: method(msg("method.survey", "calibration", calibrationMsg(a.Calibrated)), src)}
		if g != "" || r.By != "" {
			v.Disaggregation = map[string]string{r.By: g}
		}
		if est.Suppress != "" {
			withReason(&v, suppressedMsg(est.Suppress))
			return v
		}
		if math.IsNaN(est.Value) {
			withReason(&v, msg("value.no-valid-answer"))
			return v
		}
		val, lo, hi := est.Value, est.CILow, est.CIHigh
		v.Value, v.CILow, v.CIHigh, v.Low, v.High = &val, &lo, &hi, &lo, &hi
		v.Uncertainty, v.CI, v.Range = Estimate, fmt.Sprintf("design-based %g%%", 100*est.Level), "the confidence interval"
		return v
	}
	if r.By == "" {
		return []Value{mk("", res.Overall)}, nil
	}
	var out []Value
	for _, est := range res.By[field] {
		out = append(out, mk(est.Group, est))
	}
	return out, nil
}

func (e *Engine) forecastSkill(ctx context.Context, r Request) ([]Value, error) {
	if e.in.Forecasts == nil {
		return []Value{noData(msg("value.no-forecast-store"))}, nil
	}
	if !r.Area.IsAll() {
		return []Value{noData(msg("value.backtest-grid"))}, nil
	}
	run, err := forecast.LatestRun(ctx, e.in.Forecasts, r.Params["target"])
	if errors.Is(err, forecast.ErrNoForecast) {
		return []Value{noData(msg("value.no-forecast-run"))}, nil
	}
	if err != nil {
		return nil, err
	}
	var model *forecast.Result
	best := forecast.Result{AUPR: math.Inf(-1)}
	for i, x := range run.Backtest {
		if x.Model == forecast.ModelGBT {
			model = &run.Backtest[i]
		} else if x.AUPR > best.AUPR {
			best = x
		}
	}
	name := msg("source.forecast-run", "model", known("model.", run.Model), "target", known("target.", run.Target), "grid", known("grid.", run.Grid), "created", run.Created.UTC().Format(time.RFC3339))
	src := Source{Name: name.Text("en"), NameMsg: &name, Rows: len(run.Backtest)}
	if model == nil || math.IsInf(best.AUPR, -1) {
		return []Value{noData(msg("value.no-backtest"), src)}, nil
	}
	from, err1 := grid.ParseMonth(model.From)
	to, err2 := grid.ParseMonth(model.To)
	if err1 != nil || err2 != nil {
		return []Value{noData(msg("value.backtest-no-months"), src)}, nil
	}
	cv := Coverage{DataFrom: model.From, DataTo: model.To, Months: overlap(r.Period, int(from), int(to))}
	if cv.Months == 0 {
		why := msg("value.backtest-outside", "from", model.From, "to", model.To, "period", r.Period)
		// A period after the events data (the forecast months) has no
		// outcomes yet to score a forecast against: say so.
		if ev, err := e.events(ctx); err == nil && len(ev.raw) > 0 && r.Period.From > ev.to {
			why = msg("value.skill-no-outcomes", "period", r.Period, "end", ev.to, "from", model.From, "to", model.To)
		}
		v := noData(why, src)
		v.Coverage = cv
		return []Value{v}, nil
	}
	x := model.AUPR - best.AUPR
	return []Value{{Value: &x, Uncertainty: Unknown, CI: "none stored with the backtest", N: model.Rows, Coverage: cv,
		Disaggregation: map[string]string{"baseline": best.Model},
		Prov:           method(msg("method.forecast-skill", "model", known("model.", model.Model), "m", fmt.Sprintf("%.4f", model.AUPR), "baseline", known("model.", best.Model), "b", fmt.Sprintf("%.4f", best.AUPR), "from", model.From, "to", model.To), src)}}, nil
}
