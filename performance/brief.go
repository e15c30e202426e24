package performance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	language "github.com/vigil-project/vigil/internal/lang"
	"github.com/vigil-project/vigil/surveys"
)

// Brief is the monthly protection-and-performance brief: the same
// content renders as PDF (WritePDF) and as a printable HTML page
// (WriteHTML); every number in it is an indicator value as Compute gives
// it.
type Brief struct {
	Month     Period    `json:"month"`
	Lang      string    `json:"lang"`
	Generated time.Time `json:"generated"`
	// Headlines: one row per indicator and area.
	Headlines []Headline `json:"headlines"`
	// Alerts: the month's alert SLA values.
	Alerts []Headline `json:"alerts"`
	// Perception: survey indicators (when a form is named).
	Perception []Headline `json:"perception,omitempty"`
	// Mission and Targets: the framework's indicators with their status
	// against the month's targets (when a framework was given).
	Mission string            `json:"mission,omitempty"`
	Targets []IndicatorStatus `json:"targets,omitempty"`
	// Decisions: gaps with the options attached to them.
	Decisions []GapOptions `json:"decisions,omitempty"`
	// Watch: withdrawals in the 36 months up to the month.
	Watch       *WatchReport `json:"watch,omitempty"`
	WatchRecent []Withdrawal `json:"watch_recent"`
	// Map: each cell's risk in the month, whether a site reaches it and
	// whether it is a coverage gap; the month's located alert incidents.
	Map      BriefMap `json:"map"`
	Caveats  []string `json:"caveats"`
	Sources  []Source `json:"sources"`
	AreaList []Area   `json:"areas"`
}

// Headline is an indicator value with its recent history and trend.
type Headline struct {
	Def   Definition `json:"definition"`
	Value Value      `json:"value"`
	// Label and LabelFR name what the row measures within its indicator
	// (a perception row: the survey indicator's label), when it is not
	// the indicator itself.
	Label   string `json:"label,omitempty"`
	LabelFR string `json:"label_fr,omitempty"`
	// Spark: the monthly values of the 12 months up to the brief's month
	// (nil = no data that month).
	Spark []*float64 `json:"spark"`
	// Trend: the quarter ending with the month against the quarter before.
	Trend Assessment `json:"trend"`
}

// BriefMap is the brief's map of its month.
type BriefMap struct {
	Cells []MapCell `json:"cells"`
	// Shading is "forecast" (the stored forecast for the month), "recent"
	// (no forecast stored: violent events in the 12 months before) or ""
	// (neither: no shading).
	Shading string `json:"shading"`
	// Coverage: the month's deployments are known, so coverage and gaps
	// are drawn.
	Coverage bool `json:"coverage"`
	// Incidents: the month's located alert incidents (nil: no alert store).
	Incidents []MapIncident `json:"incidents"`
	// Text, in the brief's language: the caption (what the shading shows)
	// first, then what the map lacks and why.
	Text []string `json:"text"`
}

// MapCell is one cell of the brief's map.
type MapCell struct {
	Cell int     `json:"cell"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
	// Risk is the shaded risk (BriefMap.Shading): the stored forecast's
	// probability of one-sided violence in the month, or the violent
	// events in the 12 months before.
	Risk    float64 `json:"risk"`
	Covered bool    `json:"covered"`
	// Gap: the cell is among the tenth of cells at highest risk (risk > 0)
	// and no site reaches it (only when the month's deployments are
	// known).
	Gap bool `json:"gap"`
}

// MapIncident is an alert incident on the brief's map: where it is, its
// state group and category; never who reported it or what they said.
type MapIncident struct {
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	State    string  `json:"state"` // one of incidentStates
	Category string  `json:"category,omitempty"`
}

// incidentStates are the map's incident groups, in legend order.
var incidentStates = []string{"awaiting-triage", "awaiting-response", "dealt-with", "not-confirmed"}

// incidentState groups an incident's status for the map.
func incidentState(s alerts.Status) string {
	switch s {
	case alerts.Received:
		return "awaiting-triage"
	case alerts.Triaged, alerts.Verified:
		return "awaiting-response"
	case alerts.False, alerts.Unverified:
		return "not-confirmed"
	}
	return "dealt-with" // dispatched, resolved, closed
}

// BriefOptions choose what goes in a brief.
type BriefOptions struct {
	Lang string // "en" or "fr"
	// SurveyForm, when set, adds its perception indicators: one row for
	// each indicator of the form's analysis settings, with its change over
	// the last 12 months and trend.
	SurveyForm string
	Watch      WatchConfig
	// Framework, when set, adds its indicators with their status against
	// the month's targets.
	Framework *Framework
	// Options, when set, are the open decisions: each gap with its options
	// side by side.
	Options []GapOptions
}

// headline indicators of the brief: (id, params, by area).
var briefIndicators = []struct {
	id      string
	params  map[string]string
	byArea  bool
	quarter bool // computed over the quarter ending with the month
}{
	{"civilian-deaths", nil, true, false},
	{"deaths", nil, false, false},
	{"events", nil, false, false},
	{"risk-covered", nil, true, false},
	{"high-risk-covered", nil, false, false},
	{"onsets-covered-3m", nil, false, true},
	{"women-share", nil, false, false},
	{"forecast-skill", nil, false, false},
}

// BuildBrief computes the brief for month m.
func (e *Engine) BuildBrief(ctx context.Context, m grid.Month, opt BriefOptions) (*Brief, error) {
	if opt.Lang != "fr" {
		opt.Lang = "en"
	}
	b := &Brief{Month: Period{m, m}, Lang: opt.Lang, Generated: e.now()}
	// One request: a form's answers are read (and the read audited) once
	// for all the brief's perception values.
	ctx = withRequest(ctx, e.actor(ctx), "the monthly brief of "+m.String())
	areas, err := e.Areas(ctx)
	if err != nil {
		return nil, err
	}
	b.AreaList = areas
	add := func(dst *[]Headline, id string, params map[string]string, area Area, p Period) error {
		d, _ := Lookup(id)
		req := Request{Indicator: id, Period: p, Area: area, Params: copyParams(params)}
		vs, err := e.Compute(ctx, req)
		if err != nil {
			return err
		}
		h := Headline{Def: d, Value: vs[0]}
		for k := 11; k >= 0; k-- {
			mo := m - grid.Month(k)
			r := req
			r.Params = copyParams(params)
			r.Period = Period{mo, mo}
			if p.Months() > 1 {
				r.Period = Period{mo - grid.Month(p.Months()-1), mo}
			}
			sv, err := e.Compute(ctx, r)
			if err != nil {
				return err
			}
			h.Spark = append(h.Spark, sv[0].Value)
		}
		q := Period{m - 2, m}
		prevQ := q.Shift(-1)
		rq := req
		rq.Params, rq.Period = copyParams(params), q
		cur, err := e.Compute(ctx, rq)
		if err != nil {
			return err
		}
		rq.Params, rq.Period = copyParams(params), prevQ
		prev, err := e.Compute(ctx, rq)
		if err != nil {
			return err
		}
		h.Trend = Trend(prev[0], cur[0], d.Direction)
		*dst = append(*dst, h)
		return nil
	}
	for _, bi := range briefIndicators {
		p := b.Month
		if bi.quarter {
			p = Period{m - 2, m}
		}
		if err := add(&b.Headlines, bi.id, bi.params, AllAreas, p); err != nil {
			return nil, err
		}
		if bi.byArea {
			for _, a := range areas {
				if err := add(&b.Headlines, bi.id, bi.params, a, p); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, id := range []string{"alert-triage-minutes", "alert-response-minutes", "alert-sla-share"} {
		if err := add(&b.Alerts, id, nil, AllAreas, b.Month); err != nil {
			return nil, err
		}
	}
	if opt.SurveyForm != "" {
		inds, err := e.perceptionIndicators(ctx, opt.SurveyForm)
		if err != nil {
			return nil, err
		}
		for _, ind := range inds {
			params := map[string]string{"form": opt.SurveyForm}
			if ind.ID != "" {
				params["id"] = ind.ID
			}
			if err := add(&b.Perception, "perception", params, AllAreas, b.Month); err != nil {
				return nil, err
			}
			h := &b.Perception[len(b.Perception)-1]
			h.Label, h.LabelFR = ind.Label, ind.LabelFR
		}
	}
	b.Decisions = opt.Options
	if opt.Framework != nil {
		b.Mission = opt.Framework.Mission
		if b.Targets, err = e.Status(ctx, opt.Framework, b.Month); err != nil {
			return nil, err
		}
	}
	// Withdrawal watch over the whole history; the brief lists those of
	// the last 36 months.
	ev, dep, err := e.watchData(ctx)
	if err != nil {
		return nil, err
	}
	b.Sources = []Source{ev.src, dep.src}
	if len(dep.deps) > 0 {
		w, err := e.watch(ctx, ev, dep, opt.Watch)
		if err != nil {
			return nil, err
		}
		b.Watch = w
		for _, x := range w.Withdrawals {
			mo, _ := grid.ParseMonth(x.Month)
			if mo <= m && mo > m-36 {
				b.WatchRecent = append(b.WatchRecent, x)
			}
		}
	}
	if err := e.briefMap(ctx, b, ev, dep); err != nil {
		return nil, err
	}
	// Caveats: every no-data reason and coverage note, once, in the
	// brief's language.
	seen := map[string]bool{}
	for _, hs := range [][]Headline{b.Headlines, b.Alerts, b.Perception} {
		for _, h := range hs {
			v := h.Value
			for _, m := range []*Msg{v.ReasonMsg, v.Coverage.NoteMsg} {
				if m == nil {
					continue
				}
				c := msg("caveat.indicator", "indicator", b.name(h.Def), "why", *m).Text(b.Lang)
				if !seen[c] {
					seen[c] = true
					b.Caveats = append(b.Caveats, c)
				}
			}
		}
	}
	for _, c := range []string{"caveat.ucdp", "caveat.reach", "caveat.watch"} {
		b.Caveats = append(b.Caveats, Msg{Code: c}.Text(b.Lang))
	}
	return b, nil
}

// briefMap draws the brief's map of month b.Month: each cell shaded by
// the stored forecast's probability of one-sided violence for the month
// (the risk-covered indicator's forecast: target osv, one month ahead) or,
// when none is stored, by the recent-violence proxy; outlined where a site
// reaches it and struck through where its risk is out of reach (a gap);
// the alert incidents first reported in the month with a location, by
// state. Its caption and what it lacks are in b.Map.Text.
func (e *Engine) briefMap(ctx context.Context, b *Brief, ev *eventData, dep *depData) error {
	m := b.Month.From
	if e.in.Cells == nil {
		b.Map.Text = []string{b.tr("map.nocells")}
		return nil
	}
	cells := e.in.Cells.All()
	risk := make([]float64, len(cells))
	if e.in.Forecasts != nil {
		run, rows, err := forecast.Risk(ctx, e.in.Forecasts, "osv", m, 1)
		if err != nil && !errors.Is(err, forecast.ErrNoForecast) {
			return err
		}
		for _, x := range rows {
			if _, ok := e.in.Cells.Get(x.Cell); ok {
				risk[cellIndex(e.in.Cells, x.Cell)] = x.Prob
				b.Map.Shading = "forecast"
			}
		}
		if b.Map.Shading != "" {
			b.Map.Text = append(b.Map.Text, b.trf("map.forecast", "{month}", b.MonthText(), "{created}", language.Day(run.Created, b.Lang), "{model}", ModelWords(run.Model, b.Lang)))
		}
	}
	if b.Map.Shading == "" {
		if len(ev.recs) > 0 && m-12 >= ev.from && m-1 <= ev.to {
			risk = e.recentRiskIn(e.recentRisk(ev), m)
			b.Map.Shading = "recent"
			b.Map.Text = append(b.Map.Text, b.trf("map.noforecast", "{month}", b.MonthText()))
		} else {
			b.Map.Text = append(b.Map.Text, b.trf("map.norisk", "{month}", b.MonthText()))
		}
	}
	var cov []bool
	if len(dep.deps) > 0 && m >= dep.from && m <= dep.to {
		cov, b.Map.Coverage = e.coveredIn(dep.deps, m), true
	} else {
		b.Map.Text = append(b.Map.Text, b.trf("map.nocoverage", "{month}", b.MonthText()))
	}
	// Gaps: the high-risk cells (as high-risk-covered counts them: the
	// top tenth of the cells by risk, risk > 0) no site reaches.
	var pos []int
	for i := range cells {
		if risk[i] > 0 {
			pos = append(pos, i)
		}
	}
	sort.SliceStable(pos, func(a, b int) bool { return risk[pos[a]] > risk[pos[b]] })
	high := map[int]bool{}
	for _, i := range pos[:min(len(pos), int(math.Ceil(0.1*float64(len(cells)))))] {
		high[i] = true
	}
	for i, c := range cells {
		mc := MapCell{Cell: c.GID, Lat: c.Lat, Lon: c.Lon, Risk: risk[i]}
		if cov != nil {
			mc.Covered, mc.Gap = cov[i], high[i] && !cov[i]
		}
		b.Map.Cells = append(b.Map.Cells, mc)
	}
	if e.in.Alerts == nil {
		b.Map.Text = append(b.Map.Text, b.tr("map.noalerts"))
		return nil
	}
	ins, _, err := e.incidents(ctx, b.Month)
	if err != nil {
		return err
	}
	b.Map.Incidents = []MapIncident{}
	minLat, maxLat, minLon, maxLon := bounds(b.Map.Cells)
	unplaced := 0
	for _, in := range ins {
		l := in.Location
		if l.Lat == nil || l.Lon == nil || *l.Lat < minLat-0.25 || *l.Lat > maxLat+0.25 || *l.Lon < minLon-0.25 || *l.Lon > maxLon+0.25 {
			unplaced++
			continue
		}
		b.Map.Incidents = append(b.Map.Incidents, MapIncident{Lat: *l.Lat, Lon: *l.Lon, State: incidentState(in.Status), Category: in.Category})
	}
	if len(ins) == 0 {
		b.Map.Text = append(b.Map.Text, b.trf("map.noincidents", "{month}", b.MonthText()))
	}
	if unplaced > 0 {
		b.Map.Text = append(b.Map.Text, b.trf("map.unplaced", "{n}", b.Count(unplaced)))
	}
	return nil
}

// perceptionIndicators are the indicators of form's analysis settings;
// without settings (no form, no settings, no indicator, or no survey
// store), one with no id, whose row says why it has no value. Any other
// error reading the settings is returned.
func (e *Engine) perceptionIndicators(ctx context.Context, form string) ([]surveys.Indicator, error) {
	if e.in.Settings != nil {
		st, err := e.in.Settings.Settings(ctx, form)
		if err != nil && !errors.Is(err, surveys.ErrNoSettings) && !errors.Is(err, surveys.ErrNoForm) {
			return nil, err
		}
		if err == nil && len(st.Indicators) > 0 {
			return st.Indicators, nil
		}
	}
	return []surveys.Indicator{{}}, nil
}

// perceptionLabel is the English and French label of a framework's
// perception indicator (its form's and id's in the form's settings); empty
// for another indicator or an id the settings do not have.
func (e *Engine) perceptionLabel(ctx context.Context, fi FIndicator) (string, string, error) {
	if fi.Indicator != "perception" || fi.Params["form"] == "" || fi.Params["id"] == "" {
		return "", "", nil
	}
	inds, err := e.perceptionIndicators(ctx, fi.Params["form"])
	if err != nil {
		return "", "", err
	}
	for _, ind := range inds {
		if ind.ID == fi.Params["id"] {
			return ind.Label, ind.LabelFR, nil
		}
	}
	return "", "", nil
}

func copyParams(p map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range p {
		out[k] = v
	}
	return out
}

// FormatNumber writes a value as the brief shows it: shares as
// percentages rounded to two decimals with no trailing zeros (0.3085 →
// 30.85%, 0.686 → 68.6%, 0.7 → 70%), as the Performance page writes them
// (web/ui/performance.js fmt: Math.round(x * 10000) / 100), other units
// with the digits the API gives.
func FormatNumber(x *float64, unit string) string {
	if x == nil {
		return "—"
	}
	if unit == "share" {
		return strconv.FormatFloat(math.Round(*x*10000)/100+0, 'f', -1, 64) + "%" // + 0: no "-0%"
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// FormatNumberLang is FormatNumber for a reader of lang, localized as
// LocalNumber writes it (English 1,234.5 and 30.85%; French 1 234,5 and
// 30,85 %).
func FormatNumberLang(x *float64, unit, lang string) string {
	return LocalNumber(FormatNumber(x, unit), lang)
}

// LocalNumber writes a machine number s (a sign, digits, a decimal point,
// more digits, then anything: an exponent, a % sign) for a reader of lang,
// as Intl.NumberFormat writes them: in English the integer digits grouped
// by three with commas (1234.5 → 1,234.5; 12345.6 → 12,345.6); in French
// with a decimal comma, the integer digits grouped by three with narrow
// no-break spaces (U+202F), a narrow no-break space before a % sign and
// the minus sign of French typography, U+2212, as the pages write it
// (Vigil.num) (1234.5 → 1 234,5; 30.85% → 30,85 %; -3.39 → −3,39). Text
// that does not start with a number ("—", "inf") is returned unchanged.
// ParseNumber reads it back.
func LocalNumber(s, lang string) string {
	group, point, percent, minus := ",", ".", "%", "-"
	if lang == "fr" {
		group, point, percent, minus = nnbsp, ",", nnbsp+"%", frMinus
	}
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return s
	}
	var sb strings.Builder
	if s[:i] == "-" {
		sb.WriteString(minus)
	} else {
		sb.WriteString(s[:i])
	}
	for k := i; k < j; k++ {
		if k > i && (j-k)%3 == 0 {
			sb.WriteString(group)
		}
		sb.WriteByte(s[k])
	}
	rest := s[j:]
	if strings.HasPrefix(rest, ".") {
		rest = point + rest[1:]
	}
	if strings.HasSuffix(rest, "%") {
		rest = strings.TrimSuffix(rest, "%") + percent
	}
	sb.WriteString(rest)
	return sb.String()
}

// nnbsp is the narrow no-break space French puts between groups of digits
// and before a % sign.
const nnbsp = "\u202f"

// frMinus is the minus sign French typography writes before a negative
// number (U+2212); the PDF's core fonts have none and print a hyphen.
const frMinus = "\u2212"

// ParseNumber reads a number written by FormatNumberLang for a reader of
// lang (a share's % sign dropped: 30,85 % → 30.85; 1,234.5 in English and
// 1 234,5 in French → 1234.5).
func ParseNumber(s, lang string) (float64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	r := strings.NewReplacer(",", "")
	if lang == "fr" {
		r = strings.NewReplacer(nnbsp, "", "\u00a0", "", " ", "", ",", ".", frMinus, "-")
	}
	return strconv.ParseFloat(strings.TrimSpace(r.Replace(s)), 64)
}

// num writes a value in the brief's language (FormatNumberLang).
func (b *Brief) num(x *float64, unit string) string { return FormatNumberLang(x, unit, b.Lang) }

// loc formats one number with a fmt verb, in the brief's language.
func (b *Brief) loc(format string, x float64) string {
	return LocalNumber(fmt.Sprintf(format, x), b.Lang)
}

// r2 writes x to two decimals at most, without trailing zeros, in the
// brief's language, as the Performance page and the alert's figures
// (AlertFigures) write a withdrawal's expectation and
// difference-in-differences: 3.5 (not 3.50), French 3,5.
func (b *Brief) r2(x float64) string { return LocalNumber(round2(x), b.Lang) }

// pText is a p-value in the brief's language: "0,0123", "< 0,001".
func (b *Brief) pText(p float64) string {
	if s, ok := strings.CutPrefix(PText(p), "<"); ok {
		return "< " + LocalNumber(s, b.Lang)
	}
	return LocalNumber(PText(p), b.Lang)
}

// Colon is ": " in English and " : " in French (a space before the
// colon, as French writes it).
func (b *Brief) Colon() string {
	if b.Lang == "fr" {
		return "\u00a0: "
	}
	return ": "
}

// trf is tr with its {placeholders} replaced (old, new pairs).
func (b *Brief) trf(key string, oldnew ...string) string {
	return strings.NewReplacer(oldnew...).Replace(b.tr(key))
}

// tr returns the label in the brief's language.
func (b *Brief) tr(key string) string {
	if l, ok := briefLabels[key]; ok {
		if b.Lang == "fr" {
			return l[1]
		}
		return l[0]
	}
	return key
}

var briefLabels = map[string][2]string{
	"title":     {"Protection and performance brief", "Note de protection et de performance"},
	"month":     {"Month", "Mois"},
	"generated": {"Generated", "Produit le"},
	"headlines": {"Headline indicators", "Indicateurs clés"},
	"indicator": {"Indicator", "Indicateur"},
	"area":      {"Area", "Zone"},
	"value":     {"Value", "Valeur"},
	"range":     {"Range / 95% interval", "Fourchette / intervalle à 95 %"},
	"trend":     {"Trend (quarter)", "Tendance (trimestre)"},
	"last12":    {"Last 12 months", "12 derniers mois"},
	"targets":   {"Results framework: status against the month's targets", "Cadre de résultats\u00a0: situation par rapport aux cibles du mois"},
	"target":    {"Target", "Cible"},
	"targets.rule": {"A month is judged against its year's target: a share's or a rate's as it is, a count's (deaths, events) shared evenly over the year's months (300 a year: 25 a month).",
		"Un mois est jugé par rapport à la cible de son année\u00a0: celle d’une part ou d’un taux telle quelle, celle d’un nombre (décès, événements) répartie également sur les mois de l’année (300 par an\u00a0: 25 par mois)."},
	"status":     {"Status", "Situation"},
	"decisions":  {"Open decisions: options for each gap", "Décisions à prendre\u00a0: options pour chaque lacune"},
	"alerts":     {"Community alerts: time to act", "Alertes communautaires\u00a0: délais"},
	"perception": {"Perception", "Perception"},
	"watch":      {"Withdrawal watch", "Veille après retrait"},
	"map":        {"Map: forecast risk, coverage gaps and incidents", "Carte\u00a0: risque prévu, lacunes de couverture et incidents"},
	"map.forecast": {"Shading: the stored forecast's probability of one-sided violence against civilians in {month} (forecast of {created} by the model {model}, one month ahead)",
		"Teinte\u00a0: probabilité de violence contre les civils en {month} selon la prévision enregistrée (prévision du {created} par le modèle {model}, à un mois)"},
	"map.noforecast": {"No forecast stored for {month}: the shading shows recent violence instead (violent events in the 12 months before)",
		"Aucune prévision enregistrée pour {month}\u00a0: la teinte montre à la place la violence récente (événements violents des 12 mois précédents)"},
	"map.norisk": {"No forecast stored for {month} and no event data for the 12 months before: no risk is shaded",
		"Aucune prévision enregistrée pour {month} et pas de données d’événements pour les 12 mois précédents\u00a0: aucun risque n’est représenté"},
	"map.nocells":     {"No cell grid loaded: no map can be drawn.", "Aucune grille de cellules chargée\u00a0: la carte ne peut pas être dessinée."},
	"map.nocoverage":  {"No deployment data for {month}: coverage and gaps are not shown.", "Pas de données de déploiement pour {month}\u00a0: couverture et lacunes non représentées."},
	"map.noalerts":    {"No alert store: incidents are not shown.", "Pas de base d’alertes\u00a0: incidents non représentés."},
	"map.noincidents": {"No alert incident first reported in {month}.", "Aucun incident d’alerte signalé pour la première fois en {month}."},
	"map.unplaced":    {"Incidents without a location (or outside the map), not drawn: {n}.", "Incidents sans localisation (ou hors de la carte), non représentés\u00a0: {n}."},
	"map.legend":      {"Legend", "Légende"},
	"map.norisk.cell": {"no risk", "aucun risque"},
	"map.classes.forecast": {"Risk classes: each cell's forecast probability of violence against civilians in {month} (quartiles of the cells with risk; a cell is 0.5° square, about 55 km)",
		"Classes de risque\u00a0: probabilité prévue de violence contre les civils dans chaque cellule en {month} (quartiles des cellules à risque\u202f; une cellule est un carré de 0,5°, environ 55 km)"},
	"map.classes.recent": {"Risk classes: violent events per cell in the 12 months before {month} (quartiles of the cells with any; a cell is 0.5° square, about 55 km)",
		"Classes de risque\u00a0: événements violents par cellule au cours des 12 mois précédant {month} (quartiles des cellules qui en ont\u202f; une cellule est un carré de 0,5°, environ 55 km)"},
	"map.covered":       {"blue outline: within reach of a site", "contour bleu\u00a0: à portée d’un site"},
	"map.gap":           {"struck through: coverage gap (one of the tenth of cells at highest risk, out of reach of every site)", "barrée\u00a0: lacune de couverture (parmi le dixième des cellules au risque le plus élevé, hors de portée de tout site)"},
	"map.incidents":     {"Alert incidents first reported in the month, by state", "Incidents d’alerte signalés pour la première fois dans le mois, par état"},
	"awaiting-triage":   {"awaiting triage", "en attente de tri"},
	"awaiting-response": {"triaged, awaiting response", "triés, en attente de réponse"},
	"dealt-with":        {"response dispatched, resolved or closed", "réponse envoyée, résolus ou clos"},
	"not-confirmed":     {"not confirmed (false or unverified)", "non confirmés (faux ou non vérifiés)"},
	"caveats":           {"Data caveats", "Limites des données"},
	"nodata":            {"no data", "pas de données"},
	"sources":           {"Sources", "Sources"},
	"did-short":         {"difference-in-differences", "double différence"},
	"analysts":          {"Figures for analysts", "Chiffres pour les analystes"},
	"w.line": {"{measure} {before} before, {after} after (similar places where the mission stayed lead to expect about {expected})",
		"{measure}\u00a0: {before} avant, {after} après (des lieux semblables où la mission est restée laissent attendre environ {expected})"},
	"fired":           {"TRIGGER FIRED", "ALERTE DÉCLENCHÉE"},
	"nowatch":         {"No withdrawal in the 36 months up to this month.", "Aucun retrait dans les 36 mois précédant ce mois."},
	"improving":       {"improving", "en amélioration"},
	"worsening":       {"worsening", "en dégradation"},
	"cannot tell yet": {"cannot tell yet", "impossible de se prononcer"},
	"on track":        {"on track", "en bonne voie"},
	"at risk":         {"at risk", "à risque"},
	"off track":       {"off track", "hors trajectoire"},
	"no data":         {"no data", "pas de données"},
	"rows":            {"rows", "lignes"},
	"expected":        {"expected", "attendu"},
	WRedeployed:       {"redeployed", "redéployé"},
	WNoData:           {"no event data after", "pas de données d’événements après"},
	WNoControls:       {"no matched control", "aucun témoin apparié"},
	"did":             {"Difference-in-differences (after − before, withdrawn − matched), mean:", "Double différence (après − avant, retiré − apparié), moyenne\u00a0:"},
	"did.counts": {"{evaluated} of {found} withdrawals compared with similar places where the mission stayed; the alert to leadership fired {fired} times.",
		"{evaluated} retraits sur {found} comparés à des lieux semblables où la mission est restée\u202f; l’alerte à la direction s’est déclenchée {fired} fois."},
	"did.counts.once": {"{evaluated} of {found} withdrawals compared with similar places where the mission stayed; the alert to leadership fired once.",
		"{evaluated} retraits sur {found} comparés à des lieux semblables où la mission est restée\u202f; l’alerte à la direction s’est déclenchée une fois."},
	// A coverage scenario's kind and an option's strategy, as the Coverage page names them.
	"strategy.try":      {"Tried TOB", "BOT essayée"},
	"strategy.plan":     {"Optimiser plan", "Plan de l’optimiseur"},
	"strategy.cut":      {"Cut comparison", "Comparaison de réductions"},
	"strategy.targeted": {"Targeted: close or trim chosen sites", "Ciblée\u00a0: fermer ou alléger des sites choisis"},
	"strategy.thinning": {"Across-the-board thinning", "Réduction uniforme partout"},
}

// name returns the indicator's name in the brief's language.
func (b *Brief) name(d Definition) string {
	if b.Lang == "fr" {
		return d.NameFR
	}
	return d.Name
}

// areaLabel names an area in the brief's language.
func (b *Brief) areaLabel(code string) string {
	if code == AllAreas.Code {
		return AllAreas.Label(b.Lang)
	}
	a, err := ParseArea(code)
	if err != nil {
		return code
	}
	return a.Label(b.Lang)
}

// CountUnits are the units that count things (deaths, events): the brief
// writes their values, ranges, interval bounds and targets as whole
// numbers, as the Performance page does (web/ui/performance.js
// COUNT_UNITS); a status reason of such a value says its levels whole too
// (Msg argument scale=count).
var CountUnits = map[string]bool{"deaths": true, "events": true}

// level is x, a value's level, bound or target, in the brief's language:
// a whole number for a count unit, else as num writes it.
func (b *Brief) level(x *float64, unit string) string {
	if x != nil && CountUnits[unit] {
		r := math.Round(*x) + 0 // + 0: -0.4 is "0", not "-0"
		return b.num(&r, unit)
	}
	return b.num(x, unit)
}

// valueText is the value with its unit, or "no data".
func (b *Brief) valueText(v Value) string {
	if v.NoData || v.Value == nil {
		return b.tr("nodata")
	}
	s := b.level(v.Value, v.Unit)
	if v.Unit == "AUPR difference" { // plain words first, the number for analysts
		return SkillWords(*v.Value).Text(b.Lang) + " (" + s + " " + UnitLabel(v.Unit, b.Lang) + ")"
	}
	if v.Unit != "share" {
		x := *v.Value
		if CountUnits[v.Unit] {
			x = math.Round(x) // the unit's number is the number written
		}
		s += " " + UnitLabelN(v.Unit, b.Lang, x)
	}
	return s
}

// rangeText is the source range (when there is one) and the interval.
func (b *Brief) rangeText(v Value) string {
	if v.NoData || v.Value == nil {
		return ""
	}
	var parts []string
	if v.Range == "UCDP low–high estimates" {
		parts = append(parts, b.level(v.Low, v.Unit)+"–"+b.level(v.High, v.Unit))
	}
	if v.Uncertainty != Exact && v.Uncertainty != Unknown {
		hi := "∞"
		if v.CIHigh != nil {
			hi = b.level(v.CIHigh, v.Unit)
		}
		parts = append(parts, b.interval(b.level(v.CILow, v.Unit), hi))
	}
	return strings.Join(parts, " ")
}

// interval writes the interval [lo, hi] in the brief's language: in French
// its bounds are separated by " ; " (the comma is the decimal separator).
func (b *Brief) interval(lo, hi string) string {
	if b.Lang == "fr" {
		return "[" + lo + "\u202f; " + hi + "]"
	}
	return "[" + lo + ", " + hi + "]"
}

// sparkRange returns the min and max of a sparkline's values.
func sparkRange(s []*float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range s {
		if x != nil {
			lo, hi, ok = math.Min(lo, *x), math.Max(hi, *x), true
		}
	}
	return
}

// riskClasses splits positive map risks into 4 quantile classes.
func riskClasses(cells []MapCell) []float64 {
	var pos []float64
	for _, c := range cells {
		if c.Risk > 0 {
			pos = append(pos, c.Risk)
		}
	}
	sort.Float64s(pos)
	if len(pos) == 0 {
		return nil
	}
	return []float64{SampleQuantile(pos, 0.25), SampleQuantile(pos, 0.5), SampleQuantile(pos, 0.75)}
}

func riskClass(r float64, cuts []float64) int {
	if r <= 0 {
		return 0
	}
	k := 1
	for _, c := range cuts {
		if r > c {
			k++
		}
	}
	return k
}

// riskColours: none, then four classes light to dark (RGB).
var riskColours = [][3]int{{245, 245, 245}, {254, 229, 217}, {252, 174, 145}, {251, 106, 74}, {203, 24, 29}}

// fmtDate writes a time to the minute in language l: "5 December 2026, 14:31 UTC".
func fmtDate(t time.Time, l string) string {
	t = t.UTC()
	return language.Day(t, l) + ", " + t.Format("15:04") + " UTC"
}

// summary is one withdrawal in plain words of the brief's language: what
// was measured before and after it, against what similar places where the
// mission stayed lead to expect; a fired one as leadership was alerted to
// it (AlertWords: how sure, too). figures has the statistics.
func (w Withdrawal) summary(b *Brief) string {
	var cfg WatchConfig
	if b.Watch != nil {
		cfg = b.Watch.Config
	}
	if w.Status == WEvaluated && w.Fired {
		return b.tr("fired") + b.Colon() + AlertWords(w, cfg).Text(b.Lang)
	}
	month := PeriodWords(w.Month, b.Lang)
	s := fmt.Sprintf("%s %s (%s, %s)%s%s", month, w.Location, b.areaLabel(w.Area), w.Mission, b.Colon(), b.tr(w.Status))
	if w.Status == WEvaluated {
		s = fmt.Sprintf("%s %s (%s, %s)%s", month, w.Location, b.areaLabel(w.Area), w.Mission, b.Colon()) +
			b.trf("w.line", "{measure}", Msg{Code: "watch.measure." + cmp.Or(cfg.Measure, "deaths")}.Text(b.Lang), "{before}", b.loc("%g", w.Before), "{after}", b.loc("%g", w.After),
				"{expected}", b.loc("%g", math.Round(w.Expected*10)/10))
	}
	return s
}

// figures are one evaluated withdrawal's statistics, for analysts: its
// matched expectation, difference-in-differences and the trigger's p-value.
func (w Withdrawal) figures(b *Brief) string {
	return fmt.Sprintf("%s, %s%s%s %s, %s %s, p %s", w.Location, PeriodWords(w.Month, b.Lang), b.Colon(), b.tr("expected"), b.r2(w.Expected),
		b.tr("did-short"), b.r2(w.DiD), b.pText(w.P))
}
