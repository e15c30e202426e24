package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

// StateInterlocutors records (storage.DemoState) that the demo's
// interlocutor log is loaded (LoadInterlocutors).
const StateInterlocutors = "interlocutors"

// Interlocutors is how many meetings the demo's interlocutor log has.
const Interlocutors = 60

// InterlocutorMark starts every demo interlocutor's role: the log has no
// note, and its role is one text shown as written on the English and the
// French pages, in both languages.
const InterlocutorMark = "DEMO (synthetic / synthétique) — "

// interlocutorRegions are where the demo's civil affairs officers met
// people, with each region's share of the meetings: near the bases, as
// the survey's regions (surveyRegions) — the east, 30 % of the synthetic
// population, has 10 % of the meetings; the centre, 10 %, none.
var interlocutorRegions = []string{"north", "south", "west", "east", "centre"}
var interlocutorRegionShares = []float64{0.40, 0.25, 0.25, 0.10, 0}

// demoInterlocutors are the synthetic meetings of the demo's interlocutor
// log, the same every time (SurveySeed): mostly men and local
// authorities of the resident population, a few women's associations and
// IDP committees, so that "who is unheard" among interlocutors shows
// women, the displaced and the east and centre met less than their share
// of the population (the demo margins).
func demoInterlocutors() []surveys.Interlocutor {
	rng := rand.New(rand.NewPCG(SurveySeed, 4))
	day0 := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
	out := make([]surveys.Interlocutor, 0, Interlocutors)
	for range Interlocutors {
		it := surveys.Interlocutor{
			Date:  day0.AddDate(0, 0, rng.IntN(81)).Format("2006-01-02"), // Oct–Dec 2018, the survey's rounds
			Place: pick(rng, interlocutorRegions, interlocutorRegionShares),
			Sex:   "male",
		}
		role := ""
		if rng.Float64() < 0.18 {
			it.Sex = "female"
			it.Group = pick(rng, []string{"resident", "idp"}, []float64{0.8, 0.2})
			role = "women’s association / association de femmes"
		} else {
			it.Group = pick(rng, []string{"resident", "idp", "returnee"}, []float64{0.9, 0.06, 0.04})
			role = pick(rng, []string{"local authority / autorité locale", "village chief / chef de village",
				"religious leader / chef religieux", "youth leader / responsable de jeunes"}, []float64{0.45, 0.3, 0.15, 0.1})
		}
		if it.Group == "idp" {
			role = "IDP committee / comité des déplacés"
		}
		it.Role = InterlocutorMark + role
		out = append(out, it)
	}
	return out
}

// LoadInterlocutors fills the interlocutor log (Administration →
// Interlocutor log) with the demo's synthetic meetings, through the
// surveys service as a user adds one (checked, sealed, audited in user's
// name): areas and groups are the demo margins' (region, displacement),
// so that the Surveys page's "who is unheard" compares interlocutors with
// the population too. It returns the meetings added.
func LoadInterlocutors(ctx context.Context, db *storage.DB, keys *crypt.Keyring, user string) (int, error) {
	svc := surveyService(db, keys)
	n := 0
	for i, it := range demoInterlocutors() {
		if _, err := svc.AddInterlocutor(ctx, user, it); err != nil {
			return n, fmt.Errorf("demo interlocutor %d: %w", i+1, err)
		}
		n++
	}
	return n, nil
}
