// Package coverage answers where peacekeepers are and whom they can reach.
//
// It covers deployments (sites with kind, mission, dates, personnel by
// component and sex, unit types and mobility), imported from Geo-PKO or a
// native CSV or GeoJSON; the cells each site can protect (reach by mobility,
// seasonal multipliers, per-cell friction); coverage and uncovered risk per
// cell-month with a ranked gap list; responsiveness after violence against
// civilians; placement of new temporary operating bases through the maximal
// covering location optimiser (package coverage/mclp); and cut scenarios that
// choose which sites to withdraw.
package coverage

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Kind is a deployment site's kind.
type Kind string

const (
	Permanent  Kind = "permanent"   // permanent / battalion / sector base
	COB        Kind = "cob"         // company operating base
	TOB        Kind = "tob"         // temporary operating base
	PatrolBase Kind = "patrol_base" // patrol base, standing combat deployment
	PolicePost Kind = "police_post" // UNPOL / FPU post
)

// Kinds lists the valid kinds.
var Kinds = []Kind{Permanent, COB, TOB, PatrolBase, PolicePost}

// Mobility is how a site's troops move to reach civilians.
type Mobility string

const (
	Foot    Mobility = "foot"
	Vehicle Mobility = "vehicle"
	Air     Mobility = "air"
)

// Mobilities lists the valid mobilities.
var Mobilities = []Mobility{Foot, Vehicle, Air}

// Unit types recognised in Units.
var UnitTypes = []string{"infantry", "reserve", "aviation", "medical", "engineering", "unpol", "fpu", "observers", "hq", "signals", "transport", "riverine", "special_forces", "logistics"}

// Deployment is one site held over a span of months.
type Deployment struct {
	ID       int64   `json:"id,omitempty"`
	Source   string  `json:"source"`    // "geopko", "csv", "geojson", "plan"
	SourceID string  `json:"source_id"` // unique within Source
	Mission  string  `json:"mission"`
	Country  string  `json:"country,omitempty"`
	Location string  `json:"location,omitempty"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	Cell     int     `json:"cell"` // PRIO-GRID gid, derived from Lat/Lon
	Kind     Kind    `json:"kind"`

	Start grid.Month `json:"-"` // first month held
	End   grid.Month `json:"-"` // last month held (inclusive)

	Military int `json:"military"`
	Police   int `json:"police"`
	Civilian int `json:"civilian"`
	Women    int `json:"women"` // of the personnel above; 0 when unknown
	Men      int `json:"men"`

	Units    []string `json:"units,omitempty"`
	Mobility Mobility `json:"mobility"`
	// Cost is the yearly running cost in any consistent unit (for cut
	// scenarios); 0 = unknown (personnel is used instead).
	Cost float64 `json:"cost,omitempty"`
}

// Personnel is military + police + civilian.
func (d *Deployment) Personnel() int { return d.Military + d.Police + d.Civilian }

// Active reports whether the site is held in month m.
func (d *Deployment) Active(m grid.Month) bool { return d.Start <= m && m <= d.End }

// Validate checks a deployment and derives Cell. When cells is non-nil the
// site must fall in one of its cells or a cell next to one (border posts
// such as Kinshasa, whose PRIO-GRID cell belongs to the neighbouring
// country); otherwise it is "outside the grid".
func (d *Deployment) Validate(cells *Cells) error {
	if strings.TrimSpace(d.Mission) == "" {
		return apperr.FieldErr(apperr.KindInvalid, "mission", apperr.Text("is empty"))
	}
	if err := grid.CheckLatLon(d.Lat, d.Lon); err != nil {
		return apperr.FieldErr(apperr.KindInvalid, "lat", err)
	}
	gid, err := grid.PrioGID(d.Lat, d.Lon)
	if err != nil {
		return apperr.Invalid("lat", err.Error())
	}
	d.Cell = gid
	if cells != nil && !cells.Near(gid) {
		return apperr.Fieldf(apperr.KindInvalid, "lat", "site at %.4f,%.4f (PRIO-GRID cell %d) is outside the grid loaded (%d cells)", d.Lat, d.Lon, gid, cells.Len())
	}
	if d.Kind == "" {
		d.Kind = Permanent
	}
	if !slices.Contains(Kinds, d.Kind) {
		return apperr.Fieldf(apperr.KindInvalid, "kind", "%q: want one of %v", d.Kind, Kinds)
	}
	if d.Mobility == "" {
		d.Mobility = Vehicle
	}
	if !slices.Contains(Mobilities, d.Mobility) {
		return apperr.Fieldf(apperr.KindInvalid, "mobility", "%q: want foot, vehicle or air", d.Mobility)
	}
	if d.Start == 0 {
		return apperr.Fieldf(apperr.KindInvalid, "start", "is missing")
	}
	if d.End == 0 {
		return apperr.Fieldf(apperr.KindInvalid, "end", "is missing")
	}
	if d.End < d.Start {
		return apperr.Fieldf(apperr.KindInvalid, "end", "%s is before start %s", d.End, d.Start)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"military", d.Military}, {"police", d.Police}, {"civilian", d.Civilian}, {"women", d.Women}, {"men", d.Men}} {
		if f.v < 0 {
			return apperr.Fieldf(apperr.KindInvalid, f.name, "%d is negative", f.v)
		}
	}
	if d.Women+d.Men > d.Personnel() {
		return apperr.Fieldf(apperr.KindInvalid, "women", "women %d + men %d exceed personnel %d", d.Women, d.Men, d.Personnel())
	}
	if d.Cost < 0 || math.IsNaN(d.Cost) || math.IsInf(d.Cost, 0) {
		return apperr.Fieldf(apperr.KindInvalid, "cost", "%v must be a finite number ≥ 0", d.Cost)
	}
	for _, u := range d.Units {
		if !slices.Contains(UnitTypes, u) {
			return apperr.Fieldf(apperr.KindInvalid, "units", "unknown unit type %q (want %s)", u, strings.Join(UnitTypes, ", "))
		}
	}
	return nil
}

// Scenario is a saved planning result (a TOB plan, a tried site, or a cut
// comparison) so planners can compare them later.
type Scenario struct {
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	NameFR    string          `json:"name_fr,omitempty"` // its name in French ("": none, Name is shown)
	Kind      string          `json:"kind"`              // "plan", "try", "cut"
	Month     grid.Month      `json:"-"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	Body      json.RawMessage `json:"body"` // the request and its result
}

// ScenarioKinds are the valid Scenario.Kind values.
var ScenarioKinds = []string{"plan", "try", "cut"}

// DeploymentFilter selects stored deployments.
type DeploymentFilter struct {
	Mission string
	Source  string
	// Active: only deployments held in this month (0 = any).
	Active grid.Month
	// From/To: only deployments overlapping [From, To] (0 = open).
	From, To grid.Month
}

// Store is the persistence coverage needs (implemented by *storage.DB).
type Store interface {
	// SaveDeployments validates and upserts deployments by (source,
	// source_id) in one transaction, audited; on any error nothing is written.
	SaveDeployments(ctx context.Context, actor string, deps []Deployment) (inserted, updated int, err error)
	Deployments(ctx context.Context, f DeploymentFilter) ([]Deployment, error)
	SaveScenario(ctx context.Context, actor string, s *Scenario) (int64, error)
	Scenarios(ctx context.Context) ([]Scenario, error)
	Scenario(ctx context.Context, id int64) (Scenario, error)
}
