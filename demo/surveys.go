package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// Demo survey material: synthetic, generated with a fixed seed, and
// labelled so in the data (rounds "DEMO-R1" and "DEMO-R2", instance ids
// "uuid:demo-synthetic-N", submitted by "demo-synthetic") and in
// GET /api/v1/demo.
const (
	SurveyResponses = 360
	SurveySeed      = 2018
	MarginsName     = "demo_population_synthetic"
	SurveySubmitter = "demo-synthetic"
)

// SurveyRakeOn are the margins' dimensions the demo weights its answers
// on (raking), so that the regions, ages and displacement statuses reached
// less count for their share of the synthetic population. Not sex: about
// 2 % of the synthetic respondents answered "no_answer", which the margins
// (female, male) do not have, and raking needs every respondent in one of
// their groups.
var SurveyRakeOn = []string{"region", "age_group", "displacement"}

// StateSurveyWeights records (storage.DemoState) that SurveyWeights has
// run on this store: Done, or WeightsRefused when the API's checks refused
// the weighting (tried again at the next run), the refusal then kept under
// StateSurveyWeightsRefusal.
const StateSurveyWeights = "survey:weights"

// WeightsRefused is StateSurveyWeights when the weighting was refused.
const WeightsRefused = "refused"

// StateSurveyWeightsRefusal keeps the refusal of the demo's weighting as
// the API answers a refusal (JSON: error, field, key, args), for the
// demo marker (Status) and through it the Surveys page.
const StateSurveyWeightsRefusal = "survey:weights:refusal"

// SurveyWeights has the starter form's demo settings weight the answers
// to the demo margins (SurveyRakeOn), as LoadSurvey now stores them: a
// data directory made by an older Vigil named the margins but weighted by
// nothing, and its Surveys page read "weights: none". The settings are
// changed only while they still name the demo margins with no weighting
// of any kind (no raking, design weight or trimming: a user's choice is
// kept); once done it does not run again on this store
// (StateSurveyWeights), so weighting a user turns off later is not turned
// on again, and it reports whether it changed them. The change is saved
// through the API's checks (surveys.Service SaveSettings): one the API
// would refuse (the demo margins replaced by a set without a SurveyRakeOn
// dimension, answers the margins lack) leaves the settings as they are,
// and is answered as refused (an apperr error) and recorded
// (StateSurveyWeightsRefusal) for the demo marker to say. A refused
// weighting is tried again at the next run (each vigil serve --demo):
// saved once the margins allow it, the refusal then cleared; refused
// again while they do not; and given up, the refusal cleared, once the
// settings are no longer the demo's unweighted ones (a user chose).
func SurveyWeights(ctx context.Context, db *storage.DB, keys *crypt.Keyring, actor string) (changed bool, refused, err error) {
	state, err := db.DemoState(ctx)
	if err != nil || (state[StateSurveyWeights] != "" && state[StateSurveyWeights] != WeightsRefused) {
		return false, nil, err
	}
	done := Done
	st, err := db.Settings(ctx, starter.FormID)
	switch {
	case errors.Is(err, surveys.ErrNoSettings):
	case err != nil:
		return false, nil, err
	case st.Margins == MarginsName && len(st.RakeOn) == 0 && st.Weights == "" && st.TrimRatio == 0:
		st.RakeOn = SurveyRakeOn
		err := surveyService(db, keys).SaveSettings(ctx, actor, starter.FormID, st)
		if e := apperr.As(err); e != nil && e.Kind != apperr.KindUnavailable {
			// Refused as the API would: the settings stay as they are.
			refusal, jerr := json.Marshal(refusalOf(e))
			if jerr != nil {
				return false, nil, jerr
			}
			if err := db.SetDemoState(ctx, StateSurveyWeightsRefusal, string(refusal)); err != nil {
				return false, nil, err
			}
			refused, done = e, WeightsRefused
			break
		} else if err != nil {
			return false, nil, err
		}
		changed = true
	}
	if done == Done && state[StateSurveyWeights] == WeightsRefused {
		// Refused before, weighted or given up now: the refusal is past.
		if err := db.SetDemoState(ctx, StateSurveyWeightsRefusal, ""); err != nil {
			return false, nil, err
		}
	}
	return changed, refused, db.SetDemoState(ctx, StateSurveyWeights, done)
}

// RetryWeights is what a margin upload calls (surveys.Service
// MarginsSaved) under vigil serve --demo: when the demo's weighting was
// refused (StateSurveyWeights is WeightsRefused) and the set uploaded is
// the demo margins, SurveyWeights tries it again at once, as at the next
// start: the answers weighted and the refusal cleared when the new
// margins allow it, the refusal said again when they do not. Any other
// upload, or a store whose weighting was not refused, reads the demo
// state only. actor saves the settings, as the API's user would.
func RetryWeights(db *storage.DB, keys *crypt.Keyring) func(ctx context.Context, actor, name string) error {
	return func(ctx context.Context, actor, name string) error {
		if name != MarginsName {
			return nil
		}
		state, err := db.DemoState(ctx)
		if err != nil || state[StateSurveyWeights] != WeightsRefused {
			return err
		}
		_, _, err = SurveyWeights(ctx, db, keys, actor)
		return err
	}
}

// refusal is a refusal as the API answers it (web's serveError): its
// English, the field it names, and its catalog key and arguments, which a
// page says in its language.
type refusal struct {
	Error string            `json:"error"`
	Field string            `json:"field,omitempty"`
	Key   string            `json:"key,omitempty"`
	Args  map[string]string `json:"args,omitempty"`
}

func refusalOf(e *apperr.Error) refusal {
	r := refusal{Error: e.Error(), Field: e.Field}
	if m, ok := e.Said(); ok {
		r.Key, r.Args = m.Key, m.Args
	}
	return r
}

// surveyService is the survey service over db, as the API has it: the
// demo's survey settings are saved through its checks.
func surveyService(db *storage.DB, keys *crypt.Keyring) *surveys.Service {
	return &surveys.Service{Store: db, Keys: keys, Auditor: db}
}

// surveyRegions are the starter form's regions with each one's share of
// the (synthetic) population, how likely a resident there is to be
// reached by the demo poll, and where its interviews are placed on the map
// (around Bunia, Beni, Bukavu, Kisangani and Kindu).
var surveyRegions = []struct {
	code      string
	popShare  float64
	reach     float64
	lat, lon  float64
	unsafeBia float64
}{
	{"north", 0.25, 1.0, 1.56, 30.25, 0.35},
	{"south", 0.20, 0.9, -2.49, 28.84, 0.2},
	{"east", 0.30, 0.45, 0.49, 29.47, 0.45}, // under-heard
	{"west", 0.15, 1.1, 0.52, 25.19, 0.1},
	{"centre", 0.10, 0.02, -2.94, 25.92, 0.15}, // all but unheard
}

var (
	ageGroups     = []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}
	ageShares     = []float64{0.28, 0.27, 0.25, 0.14, 0.06}
	displacements = []string{"resident", "idp", "returnee", "refugee"}
	dispShares    = []float64{0.70, 0.18, 0.09, 0.03}
)

// marginsCSV is the synthetic population: region × sex × age group ×
// displacement, 2 million people.
func marginsCSV() string {
	var b strings.Builder
	b.WriteString("region,sex,age_group,displacement,population\n")
	for _, r := range surveyRegions {
		for _, sex := range []string{"female", "male"} {
			for i, a := range ageGroups {
				for j, d := range displacements {
					n := 2e6 * r.popShare * 0.5 * ageShares[i] * dispShares[j]
					fmt.Fprintf(&b, "%s,%s,%s,%s,%.0f\n", r.code, sex, a, d, n)
				}
			}
		}
	}
	return b.String()
}

func pick(rng *rand.Rand, xs []string, shares []float64) string {
	u := rng.Float64()
	for i, s := range shares {
		if u < s {
			return xs[i]
		}
		u -= s
	}
	return xs[len(xs)-1]
}

// surveyAnswers generates the synthetic responses (submission XML), the
// same every time: women, the displaced and the east and centre are
// reached less than their population share, so "who is unheard" has
// something to show; answers vary by region.
func surveyAnswers(version string) []string {
	rng := rand.New(rand.NewPCG(SurveySeed, 1))
	var regionW []float64
	total := 0.0
	for _, r := range surveyRegions {
		regionW = append(regionW, r.popShare*r.reach)
		total += r.popShare * r.reach
	}
	for i := range regionW {
		regionW[i] /= total
	}
	codes := make([]string, len(surveyRegions))
	for i, r := range surveyRegions {
		codes[i] = r.code
	}
	out := make([]string, 0, SurveyResponses)
	for i := 0; i < SurveyResponses; i++ {
		ri := 0
		code := pick(rng, codes, regionW)
		for k, c := range codes {
			if c == code {
				ri = k
			}
		}
		reg := surveyRegions[ri]
		sex := "male"
		if rng.Float64() < 0.36 { // women under-heard
			sex = "female"
		}
		if rng.Float64() < 0.02 {
			sex = "no_answer"
		}
		age := pick(rng, ageGroups, []float64{0.32, 0.30, 0.24, 0.11, 0.03})
		disp := pick(rng, displacements, []float64{0.82, 0.09, 0.07, 0.02}) // the displaced under-heard
		unsafe := reg.unsafeBia
		if disp == "idp" {
			unsafe += 0.2
		}
		safety := pick(rng, []string{"very_safe", "safe", "unsafe", "very_unsafe", "dont_know", "refused"},
			[]float64{0.25 * (1 - unsafe), 0.75 * (1 - unsafe), 0.6 * unsafe, 0.35 * unsafe, 0.03, 0.02})
		trust := pick(rng, []string{"a_lot", "somewhat", "a_little", "not_at_all", "dont_know", "refused"},
			[]float64{0.2, 0.3, 0.25, 0.2, 0.03, 0.02})
		report := pick(rng, []string{"yes", "no", "dont_know"}, []float64{0.55 - unsafe/3, 0.35 + unsafe/3, 0.10})
		violence := pick(rng, []string{"yes", "no", "refused"}, []float64{unsafe / 2, 1 - unsafe/2 - 0.03, 0.03})
		var srcs []string
		for _, s := range []string{"radio_un", "radio_local", "tv", "social_media", "sms", "word_of_mouth", "leaders", "mission_staff"} {
			if rng.Float64() < 0.3 {
				srcs = append(srcs, s)
			}
		}
		if len(srcs) == 0 {
			srcs = []string{"word_of_mouth"}
		}
		round, month, day := "DEMO-R1", 11, 1+i%28
		if i >= SurveyResponses/2 {
			round, month = "DEMO-R2", 12
		}
		loc := ""
		if i%2 == 0 {
			loc = fmt.Sprintf("<location>%.4f %.4f 0 25</location>", reg.lat+(rng.Float64()-0.5)*0.6, reg.lon+(rng.Float64()-0.5)*0.6)
		}
		out = append(out, fmt.Sprintf(`<perception id="%s" version="%s"><start>2018-%02d-%02dT09:00:00Z</start><end>2018-%02d-%02dT09:12:00Z</end><round>%s</round><consent>yes</consent><region>%s</region><admin2>DEMO-%s-%d</admin2><sex>%s</sex><age_group>%s</age_group><displacement>%s</displacement><q_safety>%s</q_safety><q_trust>%s</q_trust><q_report>%s</q_report><q_violence>%s</q_violence><q_sources>%s</q_sources>%s<meta><instanceID>uuid:demo-synthetic-%d</instanceID></meta></perception>`,
			starter.FormID, version, month, day, month, day, round, reg.code, strings.ToUpper(reg.code[:2]), 1+i%4, sex, age, disp,
			safety, trust, report, violence, strings.Join(srcs, " "), loc, i+1))
	}
	return out
}

// LoadSurvey adds the starter perception form (if missing) with its
// analysis settings, the synthetic population margins and the synthetic
// demo responses.
func LoadSurvey(ctx context.Context, db *storage.DB, keys *crypt.Keyring, actor string) (int, error) {
	svc := surveyService(db, keys)
	f, err := db.FormByFormID(ctx, starter.FormID)
	if errors.Is(err, surveys.ErrNoForm) {
		if f, _, err = svc.AddForm(ctx, actor, starter.FormXML, nil); err != nil {
			return 0, fmt.Errorf("starter form: %w", err)
		}
	} else if err != nil {
		return 0, err
	}
	pop, err := surveys.ReadPopulation(strings.NewReader(marginsCSV()), MarginsName+".csv")
	if err != nil {
		return 0, err
	}
	if err := db.SaveMargins(ctx, actor, MarginsName, pop); err != nil {
		return 0, fmt.Errorf("demo margins: %w", err)
	}
	st := starter.Settings()
	st.Margins = MarginsName
	st.RakeOn = SurveyRakeOn
	st.RoundField = "round"
	// Checked as the API checks settings (the form's fields, the margins'
	// dimensions, the answers' values): the demo never stores settings
	// the API would refuse.
	if err := svc.SaveSettings(ctx, actor, starter.FormID, st); err != nil {
		return 0, fmt.Errorf("starter settings: %w", err)
	}
	u := &auth.User{Name: SurveySubmitter, Role: auth.Analyst}
	n := 0
	for i, x := range surveyAnswers(f.Version) {
		if _, err := svc.Submit(ctx, u, []byte(x), nil); err != nil {
			return n, fmt.Errorf("demo response %d: %w", i+1, err)
		}
		n++
	}
	return n, nil
}
