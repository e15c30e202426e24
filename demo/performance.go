package demo

import (
	"context"
	"errors"
	"strings"

	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
)

// FrameworkMission is the mission of the demo results framework.
const FrameworkMission = "MINUSCA"

// frameworkJSON is the demo results framework: MINUSCA's protection
// objective measured by indicators that compute themselves from the demo's
// real UCDP events and Geo-PKO deployments, and its confidence objective
// measured by the perception survey (the demo's synthetic answers of
// November–December 2018, LoadSurvey), by sex, age group and region. The baselines, targets and the
// compact are illustrative planning choices written for the demo (not
// official MINUSCA figures); every value shown against them is computed.
// Every objective, result and the compact has its title in English and
// in French (title_fr), as a francophone mission's framework would; so do
// the indicators' owners (owner_fr; JMAC, an acronym French texts use as
// it is, has none), the parties named in words (name_fr; MINUSCA is a
// name) and the commitments (text_fr).
const frameworkJSON = `{
  "mission": "MINUSCA",
  "objectives": [
    {"id": "poc", "title": "Protection of civilians", "title_fr": "Protection des civils", "results": [
      {"id": "poc-1", "title": "Fewer civilians killed", "title_fr": "Moins de civils tués", "indicators": [
        {"id": "cd-caf", "indicator": "civilian-deaths", "params": {"type": "3"}, "area": "CAF", "owner": "JMAC", "unit": "deaths", "direction": "lower",
         "targets": [{"period": "2017", "value": 400}, {"period": "2018", "value": 300}], "disaggregations": ["perpetrator"], "commitment": "gov-1"},
        {"id": "ev-caf", "indicator": "events", "params": {"type": "all"}, "area": "CAF", "owner": "JMAC", "unit": "events", "direction": "lower",
         "targets": [{"period": "2018", "value": 250}]}]},
      {"id": "poc-2", "title": "Violence within reach of the mission", "title_fr": "Violences à portée de la mission", "indicators": [
        {"id": "risk-caf", "indicator": "risk-covered", "params": {"risk": "recent"}, "area": "CAF", "owner": "Force HQ", "owner_fr": "QG de la Force", "unit": "share", "direction": "higher",
         "targets": [{"period": "2017", "value": 0.6}, {"period": "2018", "value": 0.7}], "commitment": "mis-1"},
        {"id": "onsets", "indicator": "onsets-covered-3m", "area": "ALL", "owner": "Force HQ", "owner_fr": "QG de la Force", "unit": "share", "direction": "higher", "disaggregations": ["perpetrator"],
         "targets": [{"period": "2018", "value": 0.5}]}]}]},
    {"id": "trust", "title": "Confidence in the mission", "title_fr": "Confiance dans la mission", "results": [
      {"id": "trust-1", "title": "Civilians feel safer and trust the mission to protect them",
       "title_fr": "Les civils se sentent plus en sécurité et font confiance à la mission pour les protéger", "indicators": [
        {"id": "safe", "indicator": "perception", "params": {"form": "vigil_perception", "id": "feels_safe"}, "area": "ALL", "owner": "Civil Affairs", "owner_fr": "Affaires civiles", "unit": "share", "direction": "higher",
         "targets": [{"period": "2018", "value": 0.6}], "disaggregations": ["sex", "age", "area"]},
        {"id": "trusts", "indicator": "perception", "params": {"form": "vigil_perception", "id": "trusts_mission"}, "area": "ALL", "owner": "Civil Affairs", "owner_fr": "Affaires civiles", "unit": "share", "direction": "higher",
         "targets": [{"period": "2018", "value": 0.5}], "disaggregations": ["sex", "age", "area"]}]}]},
    {"id": "wps", "title": "Women, peace and security", "title_fr": "Femmes, paix et sécurité", "results": [
      {"id": "wps-1", "title": "More women among deployed personnel", "title_fr": "Davantage de femmes parmi le personnel déployé", "indicators": [
        {"id": "women", "indicator": "women-share", "area": "ALL", "owner": "Mission support", "owner_fr": "Appui à la mission", "unit": "share", "direction": "higher",
         "targets": [{"period": "2018", "value": 0.15}]}]}]}],
  "compacts": [
    {"id": "compact-2017", "title": "Demo compact: protection of civilians, 2017–2018",
     "title_fr": "Pacte de démonstration\u00a0: protection des civils, 2017–2018",
     "parties": [{"id": "gov", "name": "Government of the Central African Republic", "name_fr": "Gouvernement de la République centrafricaine", "kind": "host-government"},
                 {"id": "faca", "name": "Central African Armed Forces (FACA)", "name_fr": "Forces armées centrafricaines (FACA)", "kind": "national-forces"},
                 {"id": "mis", "name": "MINUSCA", "kind": "mission"}],
     "commitments": [
       {"id": "gov-1", "party": "gov", "text": "Redeploy prefects and police to the prefectures of the east",
        "text_fr": "Redéployer les préfets et la police dans les préfectures de l’Est", "deadline": "2018-06-30", "indicators": ["cd-caf"]},
       {"id": "faca-1", "party": "faca", "text": "Vet and train the battalions deployed with the mission",
        "text_fr": "Vérifier les antécédents des bataillons déployés avec la mission et les former", "deadline": "2018-12-31"},
       {"id": "mis-1", "party": "mis", "text": "Temporary operating bases within reach of the areas of recent violence",
        "text_fr": "Bases opérationnelles temporaires à portée des zones de violences récentes", "deadline": "2018-12-31", "indicators": ["risk-caf"]}]}]
}`

// LoadFramework stores the demo results framework when the store has no
// framework for its mission yet; it reports whether it did.
func LoadFramework(ctx context.Context, db *storage.DB, actor string) (bool, error) {
	if _, _, err := db.Framework(ctx, FrameworkMission); !errors.Is(err, performance.ErrNoFramework) {
		return false, err
	}
	f, err := performance.ReadFrameworkJSON(strings.NewReader(frameworkJSON), "demo framework")
	if err != nil {
		return false, err
	}
	if _, err := db.SaveFramework(ctx, actor, f, 0); err != nil {
		return false, err
	}
	return true, nil
}

// StateFrameworkFR records (storage.DemoState) that FrameworkFrench has
// run on this store.
const StateFrameworkFR = "framework:fr"

// FrameworkFrench gives the stored demo results framework the French texts
// of the shipped one (frameworkJSON) that it lacks: a data directory made
// before Vigil had them (migrations 0055 and 0056) kept its demo framework
// in English only, since LoadFramework stores only a missing framework. It
// runs once per store (StateFrameworkFR), so a French text a user removes
// later is not put back, and reports how many texts it filled.
//
// A text is the demo's when its record (objective, result, compact by id;
// indicator by id; party and commitment by id within their compact) has the
// shipped demo's id and its English text is the demo's, word for word;
// only then, and only when the stored French is empty, is the demo's
// French written. An English text a user changed keeps no French (the
// demo's would not translate it); a French text a user wrote is kept.
func FrameworkFrench(ctx context.Context, db *storage.DB, actor string) (int, error) {
	st, err := db.DemoState(ctx)
	if err != nil || st[StateFrameworkFR] == Done {
		return 0, err
	}
	n, err := fillFrameworkFrench(ctx, db, actor)
	if err != nil {
		return n, err
	}
	return n, db.SetDemoState(ctx, StateFrameworkFR, Done)
}

func fillFrameworkFrench(ctx context.Context, db *storage.DB, actor string) (int, error) {
	f, rev, err := db.Framework(ctx, FrameworkMission)
	if errors.Is(err, performance.ErrNoFramework) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	shipped, err := performance.ReadFrameworkJSON(strings.NewReader(frameworkJSON), "demo framework")
	if err != nil {
		return 0, err
	}
	// The shipped texts by record: English and French.
	type texts struct{ en, fr string }
	demo := map[string]texts{}
	for _, o := range shipped.Objectives {
		demo["objective "+o.ID] = texts{o.Title, o.TitleFR}
		for _, r := range o.Results {
			demo["result "+o.ID+" "+r.ID] = texts{r.Title, r.TitleFR}
			for _, fi := range r.Indicators {
				demo["owner "+fi.ID] = texts{fi.Owner, fi.OwnerFR}
			}
		}
	}
	for _, c := range shipped.Compacts {
		demo["compact "+c.ID] = texts{c.Title, c.TitleFR}
		for _, p := range c.Parties {
			demo["party "+c.ID+" "+p.ID] = texts{p.Name, p.NameFR}
		}
		for _, m := range c.Commitments {
			demo["commitment "+c.ID+" "+m.ID] = texts{m.Text, m.TextFR}
		}
	}
	n := 0
	fill := func(key, en string, fr *string) {
		if d, ok := demo[key]; ok && *fr == "" && en == d.en && d.fr != "" {
			*fr = d.fr
			n++
		}
	}
	for oi := range f.Objectives {
		o := &f.Objectives[oi]
		fill("objective "+o.ID, o.Title, &o.TitleFR)
		for ri := range o.Results {
			r := &o.Results[ri]
			fill("result "+o.ID+" "+r.ID, r.Title, &r.TitleFR)
			for ii := range r.Indicators {
				fi := &r.Indicators[ii]
				fill("owner "+fi.ID, fi.Owner, &fi.OwnerFR)
			}
		}
	}
	for ci := range f.Compacts {
		c := &f.Compacts[ci]
		fill("compact "+c.ID, c.Title, &c.TitleFR)
		for pi := range c.Parties {
			fill("party "+c.ID+" "+c.Parties[pi].ID, c.Parties[pi].Name, &c.Parties[pi].NameFR)
		}
		for mi := range c.Commitments {
			fill("commitment "+c.ID+" "+c.Commitments[mi].ID, c.Commitments[mi].Text, &c.Commitments[mi].TextFR)
		}
	}
	if n == 0 {
		return 0, nil
	}
	// Saved over the revision read: a change made meanwhile is refused
	// (performance.Changed), not overwritten.
	if _, err := db.SaveFramework(ctx, actor, f, rev); err != nil {
		return 0, err
	}
	return n, nil
}
