package performance

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/geotext"
)

// Effect is what one way of carrying out a scenario does to the covered
// weight (forecast or recent-violence risk, or people, as the coverage
// planner was run): before, after, the total, and what it costs.
type Effect struct {
	Strategy    string   `json:"strategy"` // plan, try, or the cut's targeted/thinning
	Before      float64  `json:"covered_before"`
	After       float64  `json:"covered_after"`
	Total       float64  `json:"total"`
	Change      float64  `json:"change"` // after − before
	ShareBefore *float64 `json:"share_before"`
	ShareAfter  *float64 `json:"share_after"`
	Sites       []string `json:"sites,omitempty"` // opened (plan, try) or closed (cut)
	// Places names each opened site (plan, try) by its nearest notable
	// place, in Sites' order (null where none is within 100 km; absent
	// without a gazetteer): the planner's ids ("cell-132931", "proposed")
	// mean nothing to a reader.
	Places []*geotext.PointLabel `json:"places,omitempty"`
	Cost   *float64              `json:"cost,omitempty"` // cost of the new sites (a try has none); removed personnel or cost for a cut
}

// OptionView is an option with its scenario and effects.
type OptionView struct {
	Option
	Scenario string `json:"scenario"`
	// ScenarioFR is the scenario's name in French ("": none).
	ScenarioFR string   `json:"scenario_fr,omitempty"`
	Kind       string   `json:"kind"`
	Month      string   `json:"month"`
	Effects    []Effect `json:"effects"`
	Problem    string   `json:"problem,omitempty"` // why no effect could be read
	// ProblemMsg is Problem as a code of the catalog, for other languages.
	ProblemMsg *Msg `json:"problem_msg,omitempty"`
}

// GapOptions are the options attached to one gap, side by side.
type GapOptions struct {
	Gap     string       `json:"gap"`
	Area    string       `json:"area,omitempty"`
	Options []OptionView `json:"options"`
}

func shareOf(x, total float64) *float64 {
	if total <= 0 {
		return nil
	}
	v := roundTo(x/total, 4)
	return &v
}

// scenarioEffects reads the effects of a saved coverage scenario from its
// result (the planner's own numbers); label (nil: none) names the places
// of the sites it opens.
func scenarioEffects(sc coverage.Scenario, label geotext.Labeler) ([]Effect, error) {
	mk := func(strategy string, before, after, total float64) Effect {
		return Effect{Strategy: strategy, Before: roundTo(before, 4), After: roundTo(after, 4), Total: roundTo(total, 4), Change: roundTo(after-before, 4),
			ShareBefore: shareOf(before, total), ShareAfter: shareOf(after, total)}
	}
	switch sc.Kind {
	case "plan":
		var r coverage.PlanResult
		if err := json.Unmarshal(sc.Body, &r); err != nil {
			return nil, err
		}
		e := mk("plan", r.Before, r.After, r.Total)
		var cost float64
		sites := make([]coverage.Candidate, 0, len(r.Chosen))
		for _, c := range r.Chosen {
			e.Sites = append(e.Sites, c.ID)
			cost += c.Cost
			sites = append(sites, c.Candidate)
		}
		e.Cost = &cost
		e.Places = sitePlaces(label, sites...)
		return []Effect{e}, nil
	case "try":
		var r coverage.TryResult
		if err := json.Unmarshal(sc.Body, &r); err != nil {
			return nil, err
		}
		e := mk("try", r.Before, r.Before+r.Gained, r.Total)
		e.Sites = []string{r.Candidate.ID}
		if cost := r.Candidate.Cost; cost != 0 { // a TOB tried on the map is given no cost
			e.Cost = &cost
		}
		e.Places = sitePlaces(label, r.Candidate)
		return []Effect{e}, nil
	case "cut":
		var r struct {
			Targeted *coverage.CutOption `json:"targeted"`
			Thinning *coverage.CutOption `json:"thinning"`
		}
		if err := json.Unmarshal(sc.Body, &r); err != nil {
			return nil, err
		}
		var out []Effect
		for _, o := range []*coverage.CutOption{r.Targeted, r.Thinning} {
			if o == nil {
				continue
			}
			e := mk("cut: "+o.Strategy, o.CoveredBefore, o.CoveredAfter, o.Total)
			e.Sites = o.Withdrawn
			removed := o.Removed
			e.Cost = &removed
			out = append(out, e)
		}
		if len(out) == 0 {
			return nil, refuse("err.cut-empty")
		}
		return out, nil
	}
	return nil, refuse("err.scenario-kind", "kind", fmt.Sprintf("%q", sc.Kind))
}

// SiteNames names the sites in language l (en, fr): an opened site by its
// place where known ("near Bandiagara, Mopti (Mali)"), else by its id; the
// TOB tried on the map has no other id than "proposed", said by nothing.
func (e Effect) SiteNames(l string) []string {
	var out []string
	for i, id := range e.Sites {
		switch p := placeAt(e.Places, i); {
		case p != nil && l == "fr" && p.LabelFR != "":
			out = append(out, p.LabelFR)
		case p != nil && p.Label != "":
			out = append(out, p.Label)
		case id != coverage.ProposedSite:
			out = append(out, id)
		}
	}
	return out
}

func placeAt(ps []*geotext.PointLabel, i int) *geotext.PointLabel {
	if i < len(ps) {
		return ps[i]
	}
	return nil
}

// sitePlaces names the places of sites (nil without a labeler).
func sitePlaces(label geotext.Labeler, sites ...coverage.Candidate) []*geotext.PointLabel {
	if label == nil || len(sites) == 0 {
		return nil
	}
	out := make([]*geotext.PointLabel, len(sites))
	for i, c := range sites {
		out[i] = label(c.Lat, c.Lon)
	}
	return out
}

// AttachOption attaches a saved coverage scenario to a gap of a mission.
func (s *Service) AttachOption(ctx context.Context, actor, mission string, o Option) (Option, error) {
	if err := CheckMission(mission); err != nil {
		return o, err
	}
	o.Mission = mission
	o.Gap = strings.TrimSpace(o.Gap)
	switch {
	case o.Gap == "":
		return o, invalid("gap", "err.no-gap")
	case len(o.Gap) > 200:
		return o, invalid("gap", "err.too-long", "max", 200)
	case len(o.Note) > 2000:
		return o, invalid("note", "err.too-long", "max", 2000)
	}
	if o.Area != "" {
		a, err := ParseArea(o.Area)
		if err != nil {
			return o, invalidErr("area", err)
		}
		o.Area = a.Code
	}
	if s.Deployments == nil {
		return o, invalid("scenario_id", "err.no-coverage")
	}
	sc, err := s.Deployments.Scenario(ctx, o.ScenarioID)
	if err != nil {
		return o, invalid("scenario_id", "err.no-scenario", "scenario", o.ScenarioID)
	}
	if _, err := scenarioEffects(sc, nil); err != nil {
		return o, invalidErr("scenario_id", within(jsonErr(err), fmt.Sprintf("scenario %d: its result cannot be read: %v", o.ScenarioID, err), "err.scenario-unread", "scenario_why", "scenario", o.ScenarioID))
	}
	o.CreatedBy, o.CreatedAt = actor, s.now().UTC().Truncate(time.Second)
	id, err := s.Store.AddOption(ctx, actor, o)
	if err != nil {
		return o, err
	}
	o.ID = id
	return o, nil
}

// Options returns a mission's options grouped by gap, each with its
// scenario's effects side by side.
func (v *OptionView) setProblem(m Msg) { v.Problem, v.ProblemMsg = m.Text("en"), &m }

func (s *Service) Options(ctx context.Context, mission string) ([]GapOptions, error) {
	os, err := s.Store.Options(ctx, mission)
	if err != nil {
		return nil, err
	}
	out := []GapOptions{}
	idx := map[string]int{}
	var label geotext.Labeler
	if s.Places != nil {
		label = s.Places.Labeler(ctx)
	}
	for _, o := range os {
		v := OptionView{Option: o, Effects: []Effect{}}
		if s.Deployments == nil {
			v.setProblem(msg("option.no-coverage-store"))
		} else if sc, err := s.Deployments.Scenario(ctx, o.ScenarioID); err != nil {
			v.setProblem(msg("option.scenario-gone", "id", o.ScenarioID))
		} else {
			v.Scenario, v.ScenarioFR, v.Kind, v.Month = sc.Name, sc.NameFR, sc.Kind, sc.Month.String()
			if es, err := scenarioEffects(sc, label); err != nil {
				v.setProblem(msg("option.unreadable", "err", err.Error()))
			} else {
				v.Effects = es
			}
		}
		i, ok := idx[o.Gap]
		if !ok {
			i = len(out)
			idx[o.Gap] = i
			out = append(out, GapOptions{Gap: o.Gap, Area: o.Area})
		}
		out[i].Options = append(out[i].Options, v)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Gap < out[b].Gap })
	return out, nil
}

// DeleteOption detaches an option.
func (s *Service) DeleteOption(ctx context.Context, actor, mission string, id int64) error {
	return s.Store.DeleteOption(ctx, actor, mission, id)
}
