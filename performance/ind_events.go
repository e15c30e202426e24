package performance

import (
	"context"
	"sort"

	"github.com/vigil-project/vigil/events"
)

var typeParam = Param{Name: "type", Doc: "UCDP type of violence: 1 state-based, 2 non-state, 3 one-sided (against civilians), all = 1–3", Values: []string{"1", "2", "3", "all"}}

// eventIndicators lists the indicators counted from conflict events.
func eventIndicators() []Definition {
	return []Definition{
		eventIndicator("civilian-deaths", "3", "deaths", "Civilian deaths from one-sided violence", "Civils tués dans des violences unilatérales",
			"Sum of UCDP `best` fatality estimates of one-sided violence (type 3) events in the area and period; low–high is the sum of UCDP's `low` and `high`. --type 1 or 2 gives the deaths of that type instead. 95% interval: exact Poisson around low and high."),
		eventIndicator("deaths", "all", "deaths", "Deaths in organised violence by type", "Morts dans la violence organisée, par type",
			"Sum of UCDP `best` fatality estimates of events of the type (default all of 1–3), low–high from UCDP `low`/`high`."),
		eventIndicator("events", "all", "events", "Violent events by type", "Événements violents, par type",
			"Number of events of the type (default all of 1–3). 95% interval: exact Poisson."),
	}
}

// eventIndicator is an indicator of eventCounts: the deaths of the events
// of the type (unit "deaths") or their number (unit "events"), by type and
// perpetrator; typeDefault is its type parameter's default.
func eventIndicator(id, typeDefault, unit, name, nameFR, doc string) Definition {
	p := typeParam
	p.Default = typeDefault
	deaths := unit == "deaths"
	return Definition{
		ID: id, Name: name, NameFR: nameFR,
		Unit: unit, Direction: LowerIsBetter, Sources: []string{"events"},
		Doc:             doc,
		Params:          []Param{p},
		Disaggregations: []string{"type", "perpetrator"},
		compute:         func(e *Engine, ctx context.Context, r Request) ([]Value, error) { return e.eventCounts(ctx, r, deaths) },
	}
}

func typesOf(s string) []events.ViolenceType {
	switch s {
	case "1":
		return []events.ViolenceType{events.StateBased}
	case "2":
		return []events.ViolenceType{events.NonState}
	case "3":
		return []events.ViolenceType{events.OneSided}
	}
	return []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}
}

func perpetrator(r *evRec) string {
	if r.state {
		return "state"
	}
	return "non-state"
}

// eventCounts sums deaths (or counts events) by the request.
func (e *Engine) eventCounts(ctx context.Context, r Request, deaths bool) ([]Value, error) {
	ev, err := e.events(ctx)
	if err != nil {
		return nil, err
	}
	if len(ev.recs) == 0 {
		return []Value{noData(msg("value.no-events"), ev.src)}, nil
	}
	ok, as, err := e.covers(ctx, r.Area)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []Value{noData(msg("value.area-not-covered", "area", r.Area.Code, "areas", areaCodes(as)), ev.src)}, nil
	}
	cov := Coverage{DataFrom: ev.from.String(), DataTo: ev.to.String(), PeriodMonths: r.Period.Months(),
		Months: overlap(r.Period, int(ev.from), int(ev.to))}
	if cov.Months == 0 {
		v := noData(msg("value.events-outside", "from", ev.from, "to", ev.to, "period", r.Period), ev.src)
		v.Coverage = cov
		return []Value{v}, nil
	}
	if cov.Months < cov.PeriodMonths {
		cov.setNote(msg("note.months-inside", "n", cov.Months, "m", cov.PeriodMonths, "from", ev.from, "to", ev.to))
	}
	types := typesOf(r.Params["type"])
	type acc struct{ n, best, low, high int }
	groups := map[string]*acc{}
	var order []string
	switch r.By {
	case "type":
		for _, t := range types {
			order = append(order, t.String())
		}
	case "perpetrator":
		order = []string{"state", "non-state"}
	default:
		order = []string{""}
	}
	for _, g := range order {
		groups[g] = &acc{}
	}
	first := sort.Search(len(ev.recs), func(i int) bool { return ev.recs[i].mo >= r.Period.From })
	for i := first; i < len(ev.recs) && ev.recs[i].mo <= r.Period.To; i++ {
		x := &ev.recs[i]
		if !r.Area.IsAll() && x.area != r.Area.Code {
			continue
		}
		okType := false
		for _, t := range types {
			if x.typ == t {
				okType = true
				break
			}
		}
		if !okType {
			continue
		}
		g := ""
		switch r.By {
		case "type":
			g = x.typ.String()
		case "perpetrator":
			g = perpetrator(x)
		}
		a := groups[g]
		a.n++
		a.best += x.best
		a.low += x.low
		a.high += x.high
	}
	how := msg("method.deaths-sum")
	if !deaths {
		how = msg("method.event-count")
	}
	var out []Value
	for _, g := range order {
		a := groups[g]
		v := Value{Uncertainty: Count, N: a.n, Coverage: cov, Prov: method(how, ev.src)}
		if r.By != "" {
			v.Disaggregation = map[string]string{r.By: g}
		}
		val, lo, hi := float64(a.best), float64(a.low), float64(a.high)
		v.Range = "UCDP low–high estimates"
		if !deaths {
			val, lo, hi = float64(a.n), float64(a.n), float64(a.n)
			v.Range = "none (a count)"
		}
		v.Value, v.Low, v.High = num(val), num(lo), num(hi)
		cl, _ := PoissonCI(lo, 0.95)
		_, ch := PoissonCI(hi, 0.95)
		v.CILow, v.CIHigh = num(cl), num(ch)
		v.CI = "exact Poisson 95% (Garwood) below low and above high"
		out = append(out, v)
	}
	return out, nil
}
