package coverage

import (
	"fmt"
	"sort"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// Onset is the start of violence against civilians in a cell: a month with
// one-sided violence after at least Quiet months without any there.
type Onset struct {
	Cell    int    `json:"cell"`
	Country string `json:"country"`
	Month   string `json:"month"`
	Year    int    `json:"year"`
	Mission string `json:"mission"` // mission with most sites in the country then
	// Perpetrator is "state" (government forces) or "non-state"; "state"
	// when any of the onset month's one-sided events was by a state.
	Perpetrator string `json:"perpetrator"`
	// Months until a deployment covers the cell (0 = covered at onset);
	// -1 = not covered by the end of the follow-up (censored).
	Months   int `json:"months"`
	FollowUp int `json:"follow_up"` // months observed after onset
}

// Responsiveness finds onsets of one-sided violence in [from, to] in cells
// of countries where a mission is deployed at the onset month, and measures
// months until coverage (follow-up up to panel.To). quiet is the number of
// months without one-sided violence that must precede an onset (default
// 12); onsets earlier than from+quiet are skipped (their history is unseen).
func (m *Model) Responsiveness(p *Panel, inc []Incident, quiet int) []Onset {
	if quiet <= 0 {
		quiet = 12
	}
	type cm struct {
		cell int
		mo   grid.Month
	}
	osv := map[cm]bool{}
	state := map[cm]bool{}
	var firstMonth grid.Month = 1 << 30
	for _, x := range inc {
		if x.Month < firstMonth {
			firstMonth = x.Month
		}
		if x.Violence != events.OneSided || !m.Cells.Has(x.Cell) {
			continue
		}
		k := cm{x.Cell, x.Month}
		osv[k] = true
		if x.State {
			state[k] = true
		}
	}
	start := max(p.From, firstMonth) + grid.Month(quiet)
	var out []Onset
	for ci, c := range m.Cells.list {
		for mo := start; mo <= p.To; mo++ {
			if !osv[cm{c.GID, mo}] {
				continue
			}
			fresh := true
			for k := 1; k <= quiet; k++ {
				if osv[cm{c.GID, mo - grid.Month(k)}] {
					fresh = false
					break
				}
			}
			if !fresh {
				continue
			}
			mission := p.Mission(c.Key, mo)
			if mission == "" {
				continue
			}
			o := Onset{Cell: c.GID, Country: c.Country, Month: mo.String(), Year: mo.Year(), Mission: mission,
				Perpetrator: "non-state", Months: -1, FollowUp: int(p.To - mo)}
			if state[cm{c.GID, mo}] {
				o.Perpetrator = "state"
			}
			for t := mo; t <= p.To; t++ {
				if p.Covered(ci, t) {
					o.Months = int(t - mo)
					break
				}
			}
			out = append(out, o)
		}
	}
	return out
}

// Distribution summarises months-to-coverage for a group of onsets.
type Distribution struct {
	Group          string  `json:"group"`
	N              int     `json:"n"`
	CoveredAtOnset float64 `json:"covered_at_onset"` // share
	Within3        float64 `json:"within_3"`         // share covered within 3 months
	Within12       float64 `json:"within_12"`
	Never          float64 `json:"never"`         // share not covered by the end of follow-up
	MedianMonths   float64 `json:"median_months"` // among those covered; -1 if none
	MeanMonths     float64 `json:"mean_months"`   // among those covered
}

// Distributions groups onsets by key (e.g. mission, year, perpetrator) and
// summarises each group; groups are sorted by name.
func Distributions(os []Onset, key func(Onset) string) []Distribution {
	groups := map[string][]Onset{}
	for _, o := range os {
		k := key(o)
		groups[k] = append(groups[k], o)
	}
	var out []Distribution
	for k, g := range groups {
		d := Distribution{Group: k, N: len(g), MedianMonths: -1}
		var ms []int
		for _, o := range g {
			switch {
			case o.Months < 0:
				d.Never++
			default:
				ms = append(ms, o.Months)
				if o.Months == 0 {
					d.CoveredAtOnset++
				}
				if o.Months <= 3 {
					d.Within3++
				}
				if o.Months <= 12 {
					d.Within12++
				}
			}
		}
		n := float64(len(g))
		d.CoveredAtOnset /= n
		d.Within3 /= n
		d.Within12 /= n
		d.Never /= n
		if len(ms) > 0 {
			sort.Ints(ms)
			if len(ms)%2 == 1 {
				d.MedianMonths = float64(ms[len(ms)/2])
			} else {
				d.MedianMonths = float64(ms[len(ms)/2-1]+ms[len(ms)/2]) / 2
			}
			var s int
			for _, x := range ms {
				s += x
			}
			d.MeanMonths = float64(s) / float64(len(ms))
		}
		out = append(out, d)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Group < out[b].Group })
	return out
}

// PriorYearCheck compares how often cells are covered in a year depending on
// whether they had violence in the year before.
type PriorYearCheck struct {
	Definition string `json:"definition"`
	// Country is the ISO 3166-1 alpha-3 code of a per-country check's
	// country ("" for the overall checks and a country geotext does not
	// know); its Definition is then the English name.
	Country string `json:"country,omitempty"`
	// NameFR is the country's French name (per-country checks of a known
	// country), for the UI.
	NameFR string `json:"name_fr,omitempty"`
	// Cell-years in countries with a mission deployed during the year.
	WithViolence       int     `json:"with_violence"`
	WithViolenceCov    int     `json:"with_violence_covered"`
	WithoutViolence    int     `json:"without_violence"`
	WithoutViolenceCov int     `json:"without_violence_covered"`
	ShareWith          float64 `json:"share_with"`
	ShareWithout       float64 `json:"share_without"`
	Ratio              float64 `json:"ratio"` // ShareWith / ShareWithout
}

func (c PriorYearCheck) String() string {
	return fmt.Sprintf("%s: covered %d/%d = %.1f%% of cell-years with violence in the prior year vs %d/%d = %.1f%% without (ratio %.2f)",
		c.Definition, c.WithViolenceCov, c.WithViolence, 100*c.ShareWith, c.WithoutViolenceCov, c.WithoutViolence, 100*c.ShareWithout, c.Ratio)
}

// PriorYear runs the check for years whose whole span lies in the panel: a
// cell-year counts when the cell's country had a deployment in the year;
// covered = covered in at least one month of the year; violence = at least
// one incident matching keep in the previous calendar year.
func (m *Model) PriorYear(p *Panel, inc []Incident, definition string, keep func(Incident) bool) PriorYearCheck {
	return m.priorYear(p, inc, definition, keep, nil)
}

// PriorYearIn is PriorYear restricted to the cells of one country (those
// of each of its spellings), named by its English name.
func (m *Model) PriorYearIn(p *Panel, inc []Incident, country CountryGroup, keep func(Incident) bool) PriorYearCheck {
	in := map[string]bool{}
	for _, s := range country.Spellings {
		in[s] = true
	}
	r := m.priorYear(p, inc, country.Name, keep, in)
	r.Country, r.NameFR = country.Code, country.NameFR
	return r
}

// priorYear runs the check over the cells whose country is in countries
// (nil: every cell).
func (m *Model) priorYear(p *Panel, inc []Incident, definition string, keep func(Incident) bool, countries map[string]bool) PriorYearCheck {
	type cy struct{ cell, year int }
	viol := map[cy]bool{}
	for _, x := range inc {
		if keep(x) {
			viol[cy{x.Cell, x.Month.Year()}] = true
		}
	}
	r := PriorYearCheck{Definition: definition}
	for y := p.From.Year(); y <= p.To.Year(); y++ {
		if grid.MonthOf(y, 1) < p.From || grid.MonthOf(y, 12) > p.To {
			continue
		}
		for ci, c := range m.Cells.list {
			if countries != nil && !countries[c.Country] {
				continue
			}
			present, covered := false, false
			for mo := grid.MonthOf(y, 1); mo <= grid.MonthOf(y, 12); mo++ {
				if p.Mission(c.Key, mo) != "" {
					present = true
				}
				if p.Covered(ci, mo) {
					covered = true
				}
			}
			if !present {
				continue
			}
			if viol[cy{c.GID, y - 1}] {
				r.WithViolence++
				if covered {
					r.WithViolenceCov++
				}
			} else {
				r.WithoutViolence++
				if covered {
					r.WithoutViolenceCov++
				}
			}
		}
	}
	if r.WithViolence > 0 {
		r.ShareWith = float64(r.WithViolenceCov) / float64(r.WithViolence)
	}
	if r.WithoutViolence > 0 {
		r.ShareWithout = float64(r.WithoutViolenceCov) / float64(r.WithoutViolence)
	}
	if r.ShareWithout > 0 {
		r.Ratio = r.ShareWith / r.ShareWithout
	}
	return r
}
