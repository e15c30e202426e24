package coverage

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/ingest"
)

// ReadEventsFile parses an event file (UCDP GED, ACLED, HXL, GeoJSON) with
// package ingest into memory, without a database. Inconsistent fatality
// estimates are repaired (coverage only counts events).
func ReadEventsFile(ctx context.Context, path string) ([]events.Event, error) {
	return ingest.ReadAllFile(ctx, path, ingest.Options{RepairEstimates: true})
}

// ReadEvents is ReadEventsFile on a reader.
func ReadEvents(ctx context.Context, name string, r io.Reader) ([]events.Event, error) {
	return ingest.ReadAll(ctx, name, r, ingest.Options{RepairEstimates: true})
}

// Report is the responsiveness analysis over a period.
type Report struct {
	From          string           `json:"from"`
	To            string           `json:"to"`
	Cells         int              `json:"cells"`
	Deployments   int              `json:"deployments"`
	Onsets        int              `json:"onsets"`
	Overall       []Distribution   `json:"overall"`
	ByMission     []Distribution   `json:"by_mission"`
	ByYear        []Distribution   `json:"by_year"`
	ByPerpetrator []Distribution   `json:"by_perpetrator"`
	PriorYear     []PriorYearCheck `json:"prior_year"`
	// PriorYearByCountry: the one-sided-violence check per country (one
	// row per country, whatever spellings its cells carry).
	PriorYearByCountry []PriorYearCheck `json:"prior_year_by_country"`
	OnsetList          []Onset          `json:"onset_list,omitempty"`
}

// Analyse builds the coverage panel over [from, to] and reports
// responsiveness and the prior-year check.
func (m *Model) Analyse(deps []Deployment, inc []Incident, from, to grid.Month) Report {
	p := m.Panel(deps, from, to)
	os := m.Responsiveness(p, inc, 12)
	r := Report{From: from.String(), To: to.String(), Cells: m.Cells.Len(), Deployments: len(deps), Onsets: len(os), OnsetList: os}
	r.Overall = Distributions(os, func(Onset) string { return "all" })
	r.ByMission = Distributions(os, func(o Onset) string { return o.Mission })
	r.ByYear = Distributions(os, func(o Onset) string { return strconv.Itoa(o.Year) })
	r.ByPerpetrator = Distributions(os, func(o Onset) string { return o.Perpetrator })
	r.PriorYear = []PriorYearCheck{
		m.PriorYear(p, inc, "any UCDP event (types 1–3) in the prior year", func(x Incident) bool {
			return x.Violence >= events.StateBased && x.Violence <= events.OneSided
		}),
		m.PriorYear(p, inc, "one-sided violence in the prior year", func(x Incident) bool { return x.Violence == events.OneSided }),
	}
	for _, c := range m.Cells.CountryGroups() {
		chk := m.PriorYearIn(p, inc, c, func(x Incident) bool { return x.Violence == events.OneSided })
		if chk.WithViolence+chk.WithoutViolence > 0 {
			r.PriorYearByCountry = append(r.PriorYearByCountry, chk)
		}
	}
	return r
}

// WriteText prints the report as plain text.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "period %s to %s, %d cells, %d deployment records, %d onsets of one-sided violence in countries with a mission\n",
		r.From, r.To, r.Cells, r.Deployments, r.Onsets)
	for _, c := range r.PriorYear {
		fmt.Fprintln(w, c)
	}
	fmt.Fprintln(w, "\nby country, one-sided violence in the prior year:")
	for _, c := range r.PriorYearByCountry {
		fmt.Fprintln(w, "  "+c.String())
	}
	table := func(title string, ds []Distribution) {
		fmt.Fprintf(w, "\n%s\n%-12s %6s %8s %8s %8s %8s %7s %7s\n", title, "group", "n", "at-onset", "≤3 mo", "≤12 mo", "never", "median", "mean")
		for _, d := range ds {
			fmt.Fprintf(w, "%-12s %6d %7.1f%% %7.1f%% %7.1f%% %7.1f%% %7.1f %7.1f\n", d.Group, d.N,
				100*d.CoveredAtOnset, 100*d.Within3, 100*d.Within12, 100*d.Never, d.MedianMonths, d.MeanMonths)
		}
	}
	table("months from onset to coverage", r.Overall)
	table("by mission", r.ByMission)
	table("by perpetrator", r.ByPerpetrator)
	table("by year of onset", r.ByYear)
}

// LoadIncidents pages through the events in a store matching f (its After
// and Limit are managed here) and converts them to incidents.
func LoadIncidents(ctx context.Context, store events.Store, f events.Filter) ([]Incident, error) {
	var out []Incident
	f.Limit = 0
	err := events.EachPage(ctx, store, f, func(es []events.Event) error {
		out = append(out, FromEvents(es)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Span returns the first start and last end month of deployments.
func Span(deps []Deployment) (from, to grid.Month) {
	for k, d := range deps {
		if k == 0 || d.Start < from {
			from = d.Start
		}
		if d.End > to {
			to = d.End
		}
	}
	return from, to
}
