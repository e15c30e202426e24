package performance

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	language "github.com/vigil-project/vigil/internal/lang"
	"github.com/vigil-project/vigil/surveys"
)

// Msg is a reason or a note that can be shown in any language: a code of
// the catalog (Reasons) with its arguments. An argument whose value is
// itself a code is a nested message (its arguments are in the same map);
// an argument named area, or ending in _area, holds an area code and is
// shown as the area's name; one named created holds an RFC 3339 time and
// is shown as a date of the language (internal/lang.Day); one named
// period, from, to, month or end that holds a period (2019-07,
// 2019-01..2019-06) is shown in words of the language (Period.Words).
type Msg struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
}

// msg builds a Msg from code and name, value pairs (floats written as f
// writes them, a Msg merged in as a nested message).
func msg(code string, kv ...any) Msg {
	m := Msg{Code: code}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if m.Args == nil {
			m.Args = map[string]string{}
		}
		switch v := kv[i+1].(type) {
		case Msg:
			m.Args[k] = v.Code
			for ak, av := range v.Args {
				m.Args[ak] = av
			}
		case *Msg:
			if v != nil {
				m.Args[k] = v.Code
				for ak, av := range v.Args {
					m.Args[ak] = av
				}
			}
		case float64:
			m.Args[k] = f(v)
		case fmt.Stringer:
			m.Args[k] = v.String()
		default:
			m.Args[k] = fmt.Sprint(v)
		}
	}
	return m
}

// known is the catalog's code prefix+v (a nested message naming v in
// words: model.gbt), or v as it is when the catalog has no words for it.
func known(prefix, v string) string {
	if _, ok := Reasons[prefix+v]; ok {
		return prefix + v
	}
	return v
}

// periodArgs are the arguments that may hold a period (shown in words).
var periodArgs = map[string]bool{"period": true, "from": true, "to": true, "month": true, "end": true, "target_period": true, "baseline_period": true}

// periodText is a period as the service writes it (Period.String).
var periodText = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?(\.\.\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?)?$`)

// periodArg reads an argument that holds a period (checked first, so
// that ParsePeriod's own messages, which render arguments, never recurse).
func periodArg(v string) (Period, bool) {
	if !periodText.MatchString(v) {
		return Period{}, false
	}
	p, err := ParsePeriod(v)
	return p, err == nil
}

// spanPlaceholder is a run of months in a message, written as one period.
const spanPlaceholder = "{from} – {to}"

// {name:q} is an argument Go quoted ("x") said without its quotes
// (apperr.Unquoted), as the page's fill says it: apperr's French writes
// it in guillemets, « x » (apperr.Words).
var placeholder = regexp.MustCompile(`\{(\w+)(:q)?\}`)

// numberArgs are the arguments that hold numbers (interval bounds,
// targets, p-values, counts): they are written for the reader as
// LocalNumber writes them (1,234.5 in English, 1 234,5 in French), as the
// brief's columns and the UI write numbers. Periods, years and ids are not
// numbers.
var numberArgs = map[string]bool{"lo": true, "hi": true, "target": true, "baseline": true, "m": true, "b": true, "change": true, "z": true,
	"p": true, "q": true, "min": true, "cv": true, "n": true, "k": true, "k1": true, "k2": true, "t1": true, "t2": true, "fc": true, "proxy": true,
	"v1": true, "v2": true, "did": true, "total": true, "baseline_total": true, "before": true, "after": true, "expected": true, "expected_exact": true,
	"x": true}

// percentArgs are the arguments that are levels of the value (interval
// bounds, targets, baselines): for a share (a message with the argument
// scale=percent) they are written as percentages, as the value is
// (FormatNumber: 0.4913 → 49.13%); pointArgs, changes of a share, in
// percentage points (0.21 → 21 points). For a count (scale=count: deaths,
// events, CountUnits) they are written as whole numbers (163.94 → 164).
var (
	percentArgs = map[string]bool{"lo": true, "hi": true, "target": true, "baseline": true, "l1": true, "h1": true, "l2": true, "h2": true, "v1": true, "v2": true}
	pointArgs   = map[string]bool{"change": true, "z": true}
)

// Text renders m in lang ("en" or "fr"; anything else is English).
func (m Msg) Text(lang string) string {
	return m.render(lang, 0)
}

func (m Msg) render(lang string, depth int) string {
	l, ok := Reasons[m.Code]
	if !ok {
		return m.Code
	}
	s := l[0]
	if lang == "fr" {
		s = l[1]
	}
	// A run of months from {from} to {to} is one period in words ("January–June 2019").
	if from, ok := periodArg(m.Args["from"]); ok && strings.Contains(s, spanPlaceholder) {
		if to, ok := periodArg(m.Args["to"]); ok && from.From <= to.To {
			s = strings.ReplaceAll(s, spanPlaceholder, Period{from.From, to.To}.Words(lang))
		}
	}
	return placeholder.ReplaceAllStringFunc(s, func(ph string) string {
		k, quoted := strings.CutSuffix(ph[1:len(ph)-1], ":q")
		if quoted {
			if v, ok := m.Args[k]; ok {
				return apperr.Unquoted(v)
			}
			return ph
		}
		if ak, in := strings.CutPrefix(k, "in_"); in && isAreaArg(ak) {
			if a, err := ParseArea(m.Args[ak]); err == nil {
				return a.In(lang) // {in_area}: "au Mali", "in Mali"
			}
		}
		v, ok := m.Args[k]
		if !ok {
			return ph
		}
		if _, nested := Reasons[v]; nested && depth < 3 {
			return Msg{Code: v, Args: m.Args}.render(lang, depth+1)
		}
		if m.Args["scale"] == "percent" && (percentArgs[k] || pointArgs[k]) {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				if pointArgs[k] {
					return LocalNumber(strconv.FormatFloat(math.Round(x*10000)/100, 'f', -1, 64), lang) + " points"
				}
				return FormatNumberLang(&x, "share", lang)
			}
		}
		if m.Args["scale"] == "count" && percentArgs[k] {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				return LocalNumber(strconv.FormatFloat(math.Round(x)+0, 'f', -1, 64), lang)
			}
		}
		if numberArgs[k] {
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				return LocalNumber(v, lang)
			}
		}
		if p, ok := periodArg(v); ok && periodArgs[k] {
			return p.Words(lang)
		}
		if k == "created" {
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				return language.Day(t, lang)
			}
		}
		if isAreaArg(k) {
			if a, err := ParseArea(v); err == nil {
				return a.InSentence(lang)
			}
		}
		return v
	})
}

// isAreaArg reports whether the argument k of a message is an area code.
func isAreaArg(k string) bool { return k == "area" || strings.HasSuffix(k, "_area") }

// ModelWords names a forecast model in language l (the catalog's
// model.NAME), else as it is.
func ModelWords(model, l string) string {
	if _, ok := Reasons["model."+model]; ok {
		return Msg{Code: "model." + model}.Text(l)
	}
	return model
}

// MsgText renders a message that may be absent (nil: "").
func MsgText(m *Msg, lang string) string {
	if m == nil {
		return ""
	}
	return m.Text(lang)
}

// ReasonTexts is the catalog in one language, by code.
func ReasonTexts(lang string) map[string]string {
	out := make(map[string]string, len(Reasons))
	for k, l := range Reasons {
		if lang == "fr" {
			out[k] = l[1]
		} else {
			out[k] = l[0]
		}
	}
	return out
}

// ReasonCodes lists the catalog's codes, sorted.
func ReasonCodes() []string { return slices.Sorted(maps.Keys(Reasons)) }

// Reasons is the catalog of reasons and notes, English and French, with
// {name} placeholders for their arguments. The web page translates the
// codes it is given from this catalog (GET /api/v1/performance/reasons);
// the brief renders them in its own language.
var Reasons = map[string][2]string{
	// Status against a target (Assess).
	"status.no-value":     {"no value for the period: {why}", "pas de valeur pour la période\u00a0: {why}"},
	"status.no-interval":  {"the value has no interval: its difference from the target cannot be weighed against its uncertainty", "la valeur n’a pas d’intervalle\u00a0: son écart à la cible ne peut pas être comparé à son incertitude"},
	"status.on-track":     {"the whole 95% interval [{lo}, {hi}] meets the target {target}", "tout l’intervalle à 95 % [{lo}\u202f; {hi}] atteint la cible {target}"},
	"status.at-risk":      {"the whole 95% interval [{lo}, {hi}] misses the target {target}, though part of it is better than the baseline {baseline}", "tout l’intervalle à 95 % [{lo}\u202f; {hi}] manque la cible {target}, mais une partie est meilleure que la référence {baseline}"},
	"status.off-baseline": {"the whole 95% interval [{lo}, {hi}] misses the target {target} and is no better than the baseline {baseline}", "tout l’intervalle à 95 % [{lo}\u202f; {hi}] manque la cible {target} et n’est pas meilleur que la référence {baseline}"},
	"status.off-track":    {"the whole 95% interval [{lo}, {hi}] misses the target {target}", "tout l’intervalle à 95 % [{lo}\u202f; {hi}] manque la cible {target}"},
	// The same for an exact value (complete data: no interval to weigh).
	"status.on-track.exact":     {"the value {lo} meets the target {target} (complete data, no uncertainty)", "la valeur {lo} atteint la cible {target} (données complètes, sans incertitude)"},
	"status.at-risk.exact":      {"the value {lo} misses the target {target}, though it is better than the baseline {baseline} (complete data, no uncertainty)", "la valeur {lo} manque la cible {target}, mais elle est meilleure que la référence {baseline} (données complètes, sans incertitude)"},
	"status.off-baseline.exact": {"the value {lo} misses the target {target} and is no better than the baseline {baseline} (complete data, no uncertainty)", "la valeur {lo} manque la cible {target} et n’est pas meilleure que la référence {baseline} (données complètes, sans incertitude)"},
	"status.off-track.exact":    {"the value {lo} misses the target {target} (complete data, no uncertainty)", "la valeur {lo} manque la cible {target} (données complètes, sans incertitude)"},
	"status.inside":             {"the target {target} lies inside the 95% interval [{lo}, {hi}]: the difference is not larger than the uncertainty", "la cible {target} se trouve dans l’intervalle à 95 % [{lo}\u202f; {hi}]\u00a0: l’écart ne dépasse pas l’incertitude"},
	"status.no-target":          {"no target for {period}", "pas de cible pour {period}"},
	// Which target a period inside a longer target's period is judged against (targetFor).
	"target.level": {"the target set for {target_period} applies as it is to {period} (a share or a rate)",
		"la cible fixée pour {target_period} s’applique telle quelle à {period} (une part ou un taux)"},
	"target.prorated": {"the target set for {target_period}, {total}, shared evenly over its {n} months: {target} for {period}",
		"la cible fixée pour {target_period}, {total}, répartie également sur ses {n} mois\u00a0: {target} pour {period}"},
	// A count's baseline shared alike (its own period's months, or the target's when it has none).
	"target.prorated.baseline": {"{prorated}; the baseline set for {baseline_period}, {baseline_total}, shared alike: {baseline} for {period}",
		"{prorated}\u202f; la référence fixée pour {baseline_period}, {baseline_total}, répartie de même\u00a0: {baseline} pour {period}"},
	"target.prorated.baseline-same": {"{prorated}; the baseline, {baseline_total}, shared alike: {baseline} for {period}",
		"{prorated}\u202f; la référence, {baseline_total}, répartie de même\u00a0: {baseline} pour {period}"},
	// Trends (Trend).
	"trend.no-earlier":   {"no value for the earlier period: {why}", "pas de valeur pour la période précédente\u00a0: {why}"},
	"trend.no-value":     {"no value for the period: {why}", "pas de valeur pour la période\u00a0: {why}"},
	"trend.no-intervals": {"the values have no interval", "les valeurs n’ont pas d’intervalle"},
	"trend.no-change":    {"no change", "aucun changement"},
	"trend.not-clear":    {"the change is not larger than the uncertainty: {how}", "le changement ne dépasse pas l’incertitude\u00a0: {how}"},
	"trend.overlap-up":   {"the ranges overlap (earlier up to {k1}, now from {k2})", "les fourchettes se chevauchent (avant jusqu’à {k1}, maintenant à partir de {k2})"},
	"trend.overlap-down": {"the ranges overlap (earlier from {k1}, now up to {k2})", "les fourchettes se chevauchent (avant à partir de {k1}, maintenant jusqu’à {k2})"},
	"trend.poisson":      {"conditional Poisson test on {k1} vs {k2} over {t1} vs {t2} months: p = {p}", "test de Poisson conditionnel sur {k1} contre {k2} en {t1} contre {t2} mois\u00a0: p = {p}"},
	"trend.poisson-tiny": {"conditional Poisson test on {k1} vs {k2} over {t1} vs {t2} months: p < 0.001", "test de Poisson conditionnel sur {k1} contre {k2} en {t1} contre {t2} mois\u00a0: p < 0,001"},
	"trend.exact":        {"from {v1} to {v2} (complete data, no uncertainty)", "de {v1} à {v2} (données complètes, sans incertitude)"},
	"trend.estimate":     {"change {change} against ±{z} (95%)", "variation de {change} pour ±{z} (95 %)"},
	"trend.intervals":    {"95% intervals [{l1}, {h1}] and [{l2}, {h2}]", "intervalles à 95 % [{l1}\u202f; {h1}] et [{l2}\u202f; {h2}]"},
	// Why a value is missing, and coverage notes.
	"value.no-cells":            {"no PRIO-GRID cell set is loaded", "aucun jeu de cellules PRIO-GRID n’est chargé"},
	"value.no-deployments":      {"no deployments are loaded", "aucun déploiement n’est chargé"},
	"value.area-not-covered":    {"the data do not cover {area} (they cover {areas})", "les données ne couvrent pas {area} (elles couvrent {areas})"},
	"value.no-cell-in-area":     {"no cell of the cell set lies {in_area}", "aucune cellule du jeu ne se trouve {in_area}"},
	"value.no-risk-month":       {"no month of the period has both deployment data and a risk: {note}", "aucun mois de la période n’a à la fois des données de déploiement et un risque\u00a0: {note}"},
	"value.no-risk-cells":       {"no cell had any risk in the period: there were no high-risk cells to cover", "aucune cellule n’avait de risque sur la période\u00a0: il n’y avait pas de cellule à haut risque à couvrir"},
	"value.area-no-risk":        {"the area had no risk in the period: there was nothing to cover", "la zone n’avait aucun risque sur la période\u00a0: il n’y avait rien à couvrir"},
	"value.resp-needs-both":     {"responsiveness needs both deployments and events", "la réactivité demande à la fois des déploiements et des événements"},
	"value.onsets-span":         {"onsets can be found in {from} – {to} only (deployments and events overlap, after 12 months of history)", "les débuts de violence ne peuvent être repérés qu’entre {from} et {to} (chevauchement des déploiements et des événements, après 12 mois d’historique)"},
	"value.no-onset":            {"no onset of violence against civilians in the period and area (in a country with a mission)", "aucun début de violence contre les civils sur la période et dans la zone (dans un pays avec une mission)"},
	"value.no-followup":         {"no onset has 3 months of follow-up yet", "aucun début de violence n’a encore 3 mois de suivi"},
	"value.median-censored":     {"half or more of the {n} onsets were never covered by the end of the data: the median is longer than the follow-up", "la moitié ou plus des {n} débuts de violence n’étaient toujours pas couverts à la fin des données\u00a0: la médiane dépasse la durée de suivi"},
	"value.no-events":           {"no conflict events are loaded", "aucun événement de conflit n’est chargé"},
	"value.events-outside":      {"the events data span {from} – {to}; {period} is outside it", "les données d’événements couvrent {from} – {to}\u202f; {period} est en dehors"},
	"value.deployments-outside": {"the deployment data span {from} – {to}; {period} is outside it", "les données de déploiement couvrent {from} – {to}\u202f; {period} est en dehors"},
	"value.no-active-site":      {"no site was active {in_area} in {period}", "aucun site n’était actif {in_area} en {period}"},
	"value.no-personnel-sex": {"none of the {n} active sites' records carries personnel by sex (Geo-PKO has no such column): import the deployments with their women and men columns on the Administration page, tab “Import data”",
		"aucun des {n} sites actifs n’indique le personnel par sexe (Geo-PKO n’a pas cette colonne)\u00a0: importez les déploiements avec leurs colonnes women et men dans la page Administration, onglet « Importer des données »"},
	"value.no-alert-store":        {"no community alert store is configured", "aucun stock d’alertes communautaires n’est configuré"},
	"value.no-incident":           {"no incident {in_area} was first reported in {period}", "aucun incident {in_area} n’a été signalé pour la première fois en {period}"},
	"value.no-stage":              {"no incident of the period has reached this stage yet", "aucun incident de la période n’a encore atteint cette étape"},
	"value.no-survey-store":       {"no survey store (or no encryption keys) is configured", "aucun stock d’enquêtes (ou aucune clé de chiffrement) n’est configuré"},
	"value.survey-by-area":        {"survey answers are placed by the form's own area field, not by country: leave --country out and use --by area", "les réponses aux enquêtes sont localisées par le champ de zone du formulaire, pas par pays\u00a0: omettez le pays et ventilez par zone"},
	"value.form-no-settings":      {"the survey “{form}” has no analysis settings (no perception indicators defined)", "l’enquête « {form} » n’a pas de paramètres d’analyse (aucun indicateur de perception défini)"},
	"value.form-no-responses":     {"the survey “{form}” has no answers given in {period}", "l’enquête « {form} » n’a aucune réponse donnée en {period}"},
	"value.form-no-breakdown":     {"the settings of the survey “{form}” have no breakdown field for {by}", "les paramètres de l’enquête « {form} » n’ont pas de champ de ventilation pour {by}"},
	"value.survey-failed":         {"the survey analysis failed: {err}", "l’analyse de l’enquête a échoué\u00a0: {err}"},
	"value.suppressed-n":          {"suppressed: fewer than {min} respondents (n={n})", "masqué\u00a0: moins de {min} répondants (n={n})"},
	"value.suppressed-cv":         {"suppressed: coefficient of variation above {cv}%", "masqué\u00a0: coefficient de variation supérieur à {cv} %"},
	"value.suppressed":            {"suppressed: {why}", "masqué\u00a0: {why}"},
	"value.reporter-sex-role":     {"shown to responders and above: values by the reporter's sex could tell a reporter's sex when two answers are compared", "visible à partir du rôle intervenant\u00a0: des valeurs par sexe de la personne ayant donné l’alerte pourraient révéler ce sexe en comparant deux réponses"},
	"value.suppressed-group":      {"suppressed: fewer than {min} incidents behind this group's value (a small group could identify a reporter)", "masqué\u00a0: moins de {min} incidents derrière la valeur de ce groupe (un petit groupe pourrait identifier une personne ayant donné l’alerte)"},
	"value.suppressed-complement": {"suppressed: another group is under {min} incidents and could be worked out from this one and the total", "masqué\u00a0: un autre groupe compte moins de {min} incidents et pourrait être déduit de celui-ci et du total"},
	"value.other":                 {"{why}", "{why}"},
	"value.no-valid-answer":       {"no valid answer", "aucune réponse valable"},
	"value.no-forecast-store":     {"no forecast store is configured", "aucun stock de prévisions n’est configuré"},
	"value.backtest-grid":         {"the backtest scores the whole grid, not one country: leave --country out", "le test rétrospectif porte sur toute la grille, pas sur un pays\u00a0: omettez le pays"},
	"value.no-forecast-run":       {"no forecast run is stored: an analyst can press \"Refresh forecasts now\" in the map's risk layer", "aucune prévision n’est enregistrée\u00a0: un analyste peut appuyer sur « Actualiser les prévisions » dans la couche de risque de la carte"},
	"value.no-backtest":           {"the latest forecast run stores no backtest with the model and a baseline", "la dernière prévision n’enregistre pas de test rétrospectif du modèle et d’une référence"},
	"value.backtest-no-months":    {"the backtest's months are not recorded", "les mois du test rétrospectif ne sont pas enregistrés"},
	"value.backtest-outside":      {"the latest backtest covers {from} – {to}; {period} is outside it", "le dernier test rétrospectif couvre {from} – {to}\u202f; {period} est en dehors"},
	"value.skill-no-outcomes":     {"{period} has no outcomes to score a forecast against yet: the events data end in {end} (the latest backtest covers {from} – {to})", "{period} n’a pas encore de résultats observés pour évaluer une prévision\u00a0: les données d’événements s’arrêtent en {end} (le dernier test rétrospectif couvre {from} – {to})"},
	"value.manual-no-value":       {"no value entered for {id} in {period}, {area}", "aucune valeur saisie pour {id} en {period}, {area}"},
	"value.no-integrity-store":    {"no information-integrity store is configured", "aucun stock d’intégrité de l’information n’est configuré"},
	"value.no-items":              {"no content item was posted in {period}", "aucun contenu n’a été publié en {period}"},
	"value.no-rated-claim":        {"no claim first seen in {period} has been rated yet", "aucune rumeur apparue en {period} n’a encore été évaluée"},
	"value.no-response-yet":       {"none of the {n} rated claim(s) has a response yet", "aucune des {n} rumeur(s) évaluée(s) n’a encore de réponse"},
	"note.claims-waiting":         {"{n} rated claim(s) without a response yet are left out of the quantile", "{n} rumeur(s) évaluée(s) encore sans réponse sont écartées du quantile"},
	"note.months-left-out":        {"{n} month(s) left out: {first} ({first_why}) … {last}", "{n} mois écarté(s)\u00a0: {first} ({first_why}) … {last}"},
	"note.month-left-out":         {"1 month left out: {first} ({first_why})", "1 mois écarté\u00a0: {first} ({first_why})"},
	"note.outside-deployments":    {"outside the deployment data", "hors des données de déploiement"},
	"note.no-forecast":            {"no stored forecast", "aucune prévision enregistrée"},
	"note.no-history":             {"no events for the 12 months before", "aucun événement dans les 12 mois précédents"},
	"note.months-inside":          {"only {n} of the period's {m} months are inside the data ({from} – {to})", "seuls {n} des {m} mois de la période sont dans les données ({from} – {to})"},
	"note.incidents-outside":      {"{n} incident(s) of the period not placed {in_area} (no location or elsewhere)", "{n} incident(s) de la période non situé(s) {in_area} (sans lieu ou ailleurs)"},
	// Why an option's effects cannot be read.
	"option.no-coverage-store": {"no coverage store is configured", "aucun stock de couverture n’est configuré"},
	"option.scenario-gone":     {"scenario {id} is no longer stored", "le scénario {id} n’est plus enregistré"},
	"option.unreadable":        {"the scenario cannot be read: {err}", "le scénario est illisible\u00a0: {err}"},
	// Names of the data sources in a value's provenance (source.NAME).
	"source.events":           {"events", "événements"},
	"source.deployments":      {"deployments", "déploiements"},
	"source.cells":            {"cells", "cellules"},
	"source.alert incidents":  {"alert incidents", "incidents d’alerte"},
	"source.content items":    {"content items", "contenus suivis"},
	"source.integrity checks": {"integrity checks", "vérifications de l’intégrité de l’information"},
	"source.survey":           {"responses to the survey “{form}”", "réponses à l’enquête « {form} »"},
	"source.forecasts (osv, horizon 1, latest run per month)": {"forecasts (osv, horizon 1, latest run per month)", "prévisions (violence contre les civils, horizon 1, dernière prévision de chaque mois)"},
	"source.forecast-run": {"forecast run on {created} by the model {model} ({target}, {grid})", "prévision calculée le {created} par le modèle {model} ({target}, {grid})"},
	// A forecast run's model, target and grid in words (model.NAME: forecast.Model*, target.NAME: forecast.TypeNames, grid.NAME: forecast.Grid*).
	"model.gbt":             {"gradient-boosted trees", "arbres de décision boostés par gradient"},
	"model.zero":            {"zero baseline", "référence zéro"},
	"model.no-change":       {"no-change baseline", "référence sans changement"},
	"model.historical-rate": {"historical-rate baseline", "référence du taux historique"},
	"model.exp-decay":       {"exponential-decay baseline", "référence à décroissance exponentielle"},
	"target.os":             {"violence against civilians", "violence contre les civils"},
	"target.sb":             {"state-based fighting", "combats impliquant l’État"},
	"target.ns":             {"fighting between armed groups", "combats entre groupes armés"},
	"grid.priogrid":         {"PRIO-GRID cells", "cellules PRIO-GRID"},
	"grid.ops":              {"operations grid", "grille opérationnelle"},
	"grid.country":          {"countries", "pays"},
	// How a value's 95% interval is computed (ci.CI: Value.CI).
	"ci.none: computed from complete data":                    {"none: computed from complete data", "aucun\u00a0: calculé sur des données complètes"},
	"ci.none: a census of the sites' records":                 {"none: a census of the sites' records", "aucun\u00a0: recensement des enregistrements des sites"},
	"ci.none stored with the backtest":                        {"none stored with the backtest", "aucun enregistré avec le test rétrospectif"},
	"ci.Clopper–Pearson 95%":                                  {"Clopper–Pearson 95%", "Clopper–Pearson à 95 %"},
	"ci.exact Poisson 95% (Garwood) below low and above high": {"exact Poisson 95% (Garwood) below low and above high", "Poisson exact à 95 % (Garwood) sous « low » et au-dessus de « high »"},
	"ci.order-statistic 95% (distribution-free)":              {"order-statistic 95% (distribution-free)", "statistiques d’ordre à 95 % (sans hypothèse de loi)"},
	"ci.order-statistic 95% (distribution-free); no upper end when it falls on onsets never covered": {"order-statistic 95% (distribution-free); no upper end when it falls on onsets never covered",
		"statistiques d’ordre à 95 % (sans hypothèse de loi)\u202f; pas de borne haute quand elle tombe sur des débuts de violence jamais couverts"},
	"ci.design-based 95%": {"design-based 95%", "fondé sur le plan de sondage, 95 %"},
	// The withdrawal watch in plain words (WatchWords), for leadership: what
	// it measures (watch.measure.MEASURE) and what its mean
	// difference-in-differences says, by its interval.
	"watch.measure.deaths": {"civilian deaths", "décès de civils"},
	"watch.measure.events": {"events of violence against civilians", "événements de violence contre les civils"},
	"watch.none": {"No measurable change in {measure} after the mission's withdrawals: where it left, they changed about as much as in similar places where it stayed.",
		"Aucun changement mesurable des {measure} après les retraits de la mission\u00a0: là où elle est partie, ils ont évolué à peu près comme dans des lieux semblables où elle est restée."},
	"watch.rose": {"After the mission's withdrawals, {measure} rose: about {did} more per place than in similar places where it stayed.",
		"Après les retraits de la mission, les {measure} ont augmenté\u00a0: environ {did} de plus par lieu que dans des lieux semblables où elle est restée."},
	"watch.fell": {"After the mission's withdrawals, {measure} fell: about {did} fewer per place than in similar places where it stayed.",
		"Après les retraits de la mission, les {measure} ont diminué\u00a0: environ {did} de moins par lieu que dans des lieux semblables où elle est restée."},
	// A fired withdrawal as leadership is alerted to it (AlertWords: the
	// Performance page, the escalation webhook, the brief): what happened,
	// where and how sure (watch.sure.*, by the trigger's p-value), its
	// statistics apart for analysts (AlertFigures).
	"watch.alert": {"Violence against civilians rose after the mission left {place} ({area}, {mission}) in {month}: {after} {measure} in {window}, where similar places where the mission stayed lead to expect about {expected} ({before} before) — {sure}.",
		"La violence contre les civils a augmenté après le départ de la mission de {place} ({area}, {mission}) en {month}\u00a0: {after} {measure} dans {window}, alors que des lieux semblables où la mission est restée laissent attendre environ {expected} ({before} avant) — {sure}."},
	"watch.window":        {"the {n} months after", "les {n} mois suivants"},
	"watch.window.one":    {"the month after", "le mois suivant"},
	"watch.sure.almost":   {"almost certainly not chance", "presque certainement pas un hasard"},
	"watch.sure.very":     {"very unlikely to be chance", "très probablement pas un hasard"},
	"watch.sure.unlikely": {"unlikely to be chance", "probablement pas un hasard"},
	"watch.sure.possibly": {"possibly chance", "peut-être un hasard"},
	"watch.alert.figures": {"expected {expected_exact}; difference-in-differences {did}; Poisson test p = {p}",
		"attendu {expected_exact}\u202f; double différence {did}\u202f; test de Poisson p = {p}"},
	"watch.alert.figures-tiny": {"expected {expected_exact}; difference-in-differences {did}; Poisson test p < 0.001",
		"attendu {expected_exact}\u202f; double différence {did}\u202f; test de Poisson p < 0,001"},
	// The forecast's skill in plain words (SkillWords): its AUPR against
	// the best simple baseline's.
	"skill.same":            {"about as accurate as the best simple baseline", "à peu près aussi précise que la meilleure référence simple"},
	"skill.lower-slightly":  {"slightly less accurate than the best simple baseline", "légèrement moins précise que la meilleure référence simple"},
	"skill.lower":           {"less accurate than the best simple baseline", "moins précise que la meilleure référence simple"},
	"skill.higher-slightly": {"slightly more accurate than the best simple baseline", "légèrement plus précise que la meilleure référence simple"},
	"skill.higher":          {"more accurate than the best simple baseline", "plus précise que la meilleure référence simple"},
	// The library's units (unit.UNIT; UnitLabel).
	"unit.AUPR difference": {"AUPR difference", "écart d’AUPR"},
	"unit.deaths":          {"deaths", "décès"},
	"unit.events":          {"events", "événements"},
	"unit.hours":           {"hours", "heures"},
	"unit.minutes":         {"minutes", "min"},
	"unit.months":          {"months", "mois"},
	// The same for one (UnitLabelN): English for exactly 1, French below 2.
	"unit.deaths.one":  {"death", "décès"},
	"unit.events.one":  {"event", "événement"},
	"unit.hours.one":   {"hour", "heure"},
	"unit.months.one":  {"month", "mois"},
	"unit.minutes.one": {"minute", "min"},
	// How a value was computed (Provenance.MethodMsg).
	"method.deaths-sum":      {"sum of UCDP best (low, high) over events", "somme des estimations UCDP « best » (« low », « high ») des événements"},
	"method.event-count":     {"count of events", "nombre d’événements"},
	"method.risk-share":      {"Σ covered risk ÷ Σ risk over cell-months; risk: forecast in {fc} month(s), recent-violence proxy in {proxy}", "Σ risque couvert ÷ Σ risque sur les cellules-mois\u202f; risque\u00a0: prévision sur {fc} mois, indicateur de violence récente sur {proxy}"},
	"method.high-risk-share": {"covered high-risk cell-months ÷ high-risk cell-months; risk: forecast in {fc} month(s), recent-violence proxy in {proxy}", "cellules-mois à haut risque couvertes ÷ cellules-mois à haut risque\u202f; risque\u00a0: prévision sur {fc} mois, indicateur de violence récente sur {proxy}"},
	"method.onsets-3m":       {"{k} of {n} onsets covered within 3 months", "{k} débuts de violence sur {n} couverts en 3 mois"},
	"method.onsets-median":   {"median of {n} onsets' months to coverage (never covered = longer than any)", "médiane des mois jusqu’à la couverture de {n} débuts de violence (jamais couvert = plus long que tous)"},
	"method.items-scored":    {"{k} of {n} items scored ≥ {min}", "{k} contenus sur {n} notés ≥ {min}"},
	"method.claims-quantile": {"type-7 quantile {q} of {n} rated claims' hours to a {to} response", "quantile de type 7 ({q}) des heures jusqu’à une réponse {to}, sur {n} rumeurs évaluées"},
	"method.to-published":    {"published", "publiée"},
	"method.to-responded":    {"responded", "donnée"},
	"method.women-share":     {"person-months of women ÷ of women and men, {k} of {n} active sites carry sex", "personnes-mois de femmes ÷ de femmes et d’hommes\u202f; {k} des {n} sites actifs indiquent le sexe"},
	"method.alerts-sla":      {"{k} of {n} incidents within the SLA", "{k} incidents sur {n} dans le délai convenu (SLA)"},
	"method.alerts-quantile": {"type-7 quantile {q} of {n} incidents' minutes", "quantile de type 7 ({q}) des minutes de {n} incidents"},
	"method.survey":          {"design-based proportion ({calibration}), logit interval as R svyciprop", "proportion selon le plan de sondage ({calibration}), intervalle logit comme svyciprop de R"},
	"method.calib-none":      {"none", "sans calage"},
	"method.calib-post":      {"post-stratified on {on}", "post-stratifiée sur {on}"},
	"method.calib-raked":     {"raked on {on}", "calée par raking sur {on}"},
	"method.calib-trimmed":   {"{calib}, weights trimmed to [mean/{ratio}, mean×{ratio}]", "{calib}, poids bornés à [moyenne/{ratio}\u202f; moyenne×{ratio}]"},
	"method.forecast-skill":  {"AUPR: {model} {m} − {baseline} {b} over {from} – {to}", "AUPR\u00a0: {model} {m} − {baseline} {b} sur {from} – {to}"},
	"method.manual":          {"entered by {by} {at}", "saisie par {by} le {at}"},
	// A results framework's refusals (FieldErr.Message: fw.at, fw.at-row
	// around one of the others), English as the errors always said them.
	"fw.at":                {"{file}: {column}: {why}", "{file}\u00a0: {column}\u00a0: {why}"},
	"fw.at-row":            {"{file}:{row}: column {column}: {why}", "{file}, ligne {row}\u00a0: colonne {column}\u00a0: {why}"},
	"fw.empty":             {"is empty", "est vide"},
	"fw.unknown-indicator": {"unknown indicator {indicator} (vigil indicator list shows the library; use manual for a hand-entered one)", "indicateur inconnu «\u202f{indicator:q}\u202f» (vigil indicator list montre la bibliothèque\u202f; manual pour un indicateur saisi à la main)"},
	"fw.manual-id":         {"a manual indicator needs id=… (the id its values are entered under)", "un indicateur saisi à la main demande id=… (l’identifiant sous lequel ses valeurs sont saisies)"},
	"fw.no-disagg":         {"indicator {id} cannot be disaggregated by {by} (it can by {dims})", "l’indicateur {id} ne peut pas être ventilé par «\u202f{by:q}\u202f» (il peut l’être par {dims})"},
	"fw.wrong-unit":        {"target in the wrong unit: {id} is measured in {unit}, not {typed}", "cible dans la mauvaise unité\u00a0: {id} se mesure en {unit}, pas en «\u202f{typed:q}\u202f»"},
	"fw.not-finite":        {"{v} is not a finite number", "{v} n’est pas un nombre fini"},
	"fw.not-share":         {"{v} is not a share between 0 and 1 (a percentage? write {pct}): target in the wrong unit", "{v} n’est pas une part entre 0 et 1 (un pourcentage\u202f? écrivez {pct})\u00a0: cible dans la mauvaise unité"},
	"fw.not-whole":         {"{v} is not a whole number of {unit}: target in the wrong unit", "{v} n’est pas un nombre entier de {unit}\u00a0: cible dans la mauvaise unité"},
	"fw.second-target":     {"{period}: a second target for the same period", "{period}\u00a0: une deuxième cible pour la même période"},
	"fw.second-target-of":  {"{period}: a second target for indicator {id}", "{period}\u00a0: une deuxième cible pour l’indicateur {id}"},
	"fw.party":             {"needs an id and a kind ({kinds})", "il faut un identifiant et un type ({kinds})"},
	"fw.repeated-id":       {"missing or repeated {what} id {id}", "identifiant {what} manquant ou répété «\u202f{id:q}\u202f»"},
	"fw.what.commitment":   {"commitment", "d’engagement"},
	"fw.what.compact":      {"compact", "de pacte"},
	"fw.what.objective":    {"objective", "d’objectif"},
	"fw.what.result":       {"result", "de résultat"},
	"fw.not-party":         {"{party} is not a party of compact {compact}", "«\u202f{party:q}\u202f» n’est pas partie au pacte {compact}"},
	"fw.not-date":          {"{v} is not a date (YYYY-MM-DD)", "«\u202f{v:q}\u202f» n’est pas une date (AAAA-MM-JJ)"},
	"fw.status":            {"{v}: want one of {statuses}", "«\u202f{v:q}\u202f»\u00a0: attendu l’un de {statuses}"},
	"fw.id-twice":          {"indicator id {id} is used twice", "l’identifiant d’indicateur «\u202f{id:q}\u202f» est utilisé deux fois"},
	"fw.no-commitment":     {"no compact has a commitment {id}", "aucun pacte n’a d’engagement «\u202f{id:q}\u202f»"},
	"fw.no-indicator":      {"no framework indicator {id}", "aucun indicateur du cadre «\u202f{id:q}\u202f»"},
	"fw.missing-column":    {"missing column", "colonne manquante"},
	"fw.params":            {"{v}: want NAME=VALUE;NAME=VALUE", "«\u202f{v:q}\u202f»\u00a0: attendu NOM=VALEUR;NOM=VALEUR"},
	"fw.not-number":        {"{v} is not a number", "«\u202f{v:q}\u202f» n’est pas un nombre"},
	"fw.redefined":         {"{id} is already defined differently (objective, result, indicator, area or unit)", "«\u202f{id:q}\u202f» est déjà défini autrement (objectif, résultat, indicateur, zone ou unité)"},
	"fw.no-indicators":     {"no indicators", "aucun indicateur"},
	"fw.fr-without-en":     {"a French text needs its English one ({en} is empty)", "un texte en français demande son texte en anglais ({en} est vide)"},
	"fw.other-text":        {"{v}: indicator {id} has {was} on line {line}", "«\u202f{v:q}\u202f»\u00a0: l’indicateur {id} a «\u202f{was:q}\u202f» à la ligne {line}"},
	"fw.other-mission":     {"the file is {of}'s framework, not {mission}'s", "le fichier est le cadre de «\u202f{of:q}\u202f», pas celui de «\u202f{mission:q}\u202f»"},
	// The package's other refusals (refusal.go: invalid, refused, within),
	// English as the errors always said them: a field's ("{field}: …"),
	// a period's, a country's, a direction's, an indicator's parameters,
	// a manual value's, a mission's, a store's, an option's, a JSON body's.
	"err.field":              {"{field}: {field_why}", "{field}\u00a0: {field_why}"},
	"err.period":             {"period {period}: {period_why} (want 2019, 2019-Q3, 2019-07 or 2019-01..2019-06)", "période «\u202f{period:q}\u202f»\u00a0: {period_why} (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
	"err.period-reversed":    {"ends before it starts", "finit avant de commencer"},
	"err.year-digits":        {"year {year} is not four digits", "l’année «\u202f{year:q}\u202f» n’a pas quatre chiffres"},
	"err.year-range":         {"year {year} outside 1900–2200", "l’année «\u202f{year:q}\u202f» est hors de 1900–2200"},
	"err.quarter":            {"quarter {quarter} is not Q1–Q4", "le trimestre «\u202f{quarter:q}\u202f» n’est pas Q1 à Q4"},
	"err.month-digits":       {"month {month} is not two digits", "le mois «\u202f{month:q}\u202f» n’a pas deux chiffres"},
	"err.month-range":        {"month {month} outside 01–12", "le mois «\u202f{month:q}\u202f» est hors de 01–12"},
	"err.period-missing":     {"missing or empty", "manquante ou vide"},
	"err.period-required":    {"{param} is required (2019, 2019-Q3, 2019-07 or 2019-01..2019-06)", "{param} est requis (2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
	"err.country-blank":      {"country {country}: not a code or a name", "pays «\u202f{country:q}\u202f»\u00a0: ni un code ni un nom"},
	"err.country-unknown":    {"country {country}: unknown (want an ISO 3166 alpha-3 code such as COD, or a country name in English or French)", "pays «\u202f{country:q}\u202f»\u00a0: inconnu (attendu un code ISO 3166 alpha-3 comme COD, ou un nom de pays en anglais ou en français)"},
	"err.direction":          {"direction {direction}: want higher or lower", "sens «\u202f{direction:q}\u202f»\u00a0: attendu higher (plus haut) ou lower (plus bas)"},
	"err.indicator":          {"indicator {ind}: {ind_why}", "indicateur {ind}\u00a0: {ind_why}"},
	"err.indicator-required": {"indicator is required (GET /api/v1/performance/indicators lists them)", "indicator est requis (GET /api/v1/performance/indicators les énumère)"},
	"err.unknown-indicator":  {"unknown indicator {indicator} (vigil indicator list shows them)", "indicateur inconnu «\u202f{indicator:q}\u202f» (vigil indicator list les montre)"},
	"err.no-params":          {"indicator {id} takes no parameters", "l’indicateur {id} ne prend aucun paramètre"},
	"err.no-param":           {"indicator {id} has no parameter {param} (it has {params})", "l’indicateur {id} n’a pas de paramètre «\u202f{param:q}\u202f» (il a {params})"},
	"err.one-of":             {"{v}: want one of {values}", "«\u202f{v:q}\u202f»\u00a0: attendu l’un de {values}"},
	"err.needs-param":        {"indicator {id} needs {param}", "l’indicateur {id} demande {param}"},
	"err.no-breakdown":       {"indicator {id} cannot be disaggregated", "l’indicateur {id} ne peut pas être ventilé"},
	"err.no-form":            {"no survey form {form}", "aucun formulaire d’enquête «\u202f{form:q}\u202f»"},
	"err.form-no-indicator":  {"form {form} has no indicator {id} (it has {ids})", "le formulaire «\u202f{form:q}\u202f» n’a pas d’indicateur «\u202f{id:q}\u202f» (il a {ids})"},
	"err.not-finite":         {"is not a finite number", "n’est pas un nombre fini"},
	"err.low":                {"{low} is above the value {value}", "{low} est au-dessus de la valeur {value}"},
	"err.high":               {"{high} is below the value {value}", "{high} est au-dessous de la valeur {value}"},
	"err.no-source":          {"is empty: say where the value comes from", "est vide\u00a0: dites d’où vient la valeur"},
	"err.not-link":           {"{v} is not a link (want https://… or a document reference with a scheme)", "«\u202f{v:q}\u202f» n’est pas un lien (attendu https://… ou une référence de document avec un schéma)"},
	"err.not-time":           {"{v} is not an RFC 3339 time", "«\u202f{v:q}\u202f» n’est pas une heure RFC 3339"},
	"err.entered-by":         {"entered_by and entered_at are set by the server", "entered_by et entered_at sont fixés par le serveur"},
	"err.in-file":            {"{file}: {file_why}", "{file}\u00a0: {file_why}"},
	"err.entry":              {"{file}: entry {entry}: {entry_why}", "{file}\u00a0: entrée {entry}\u00a0: {entry_why}"},
	"err.too-long":           {"is longer than {max} characters", "dépasse {max} caractères"},
	"err.mission-chars":      {"{v}: letters, digits, spaces and - _ . only", "«\u202f{v:q}\u202f»\u00a0: lettres, chiffres, espaces et - _ . seulement"},
	"err.mission-path":       {"mission {v} in the body is not {path} of the path", "la mission «\u202f{v:q}\u202f» du corps n’est pas «\u202f{path:q}\u202f» du chemin"},
	"err.compact-path":       {"compact id {v} in the body is not {path} of the path", "l’identifiant de pacte «\u202f{v:q}\u202f» du corps n’est pas «\u202f{path:q}\u202f» du chemin"},
	"err.format":             {"{v}: want csv or json", "«\u202f{v:q}\u202f»\u00a0: attendu csv ou json"},
	"err.no-commitment":      {"no commitment {id} in {mission}'s compacts", "aucun engagement «\u202f{id:q}\u202f» dans les pactes de {mission}"},
	"err.by":                 {"by is set by the server", "by est fixé par le serveur"},
	"err.one-month":          {"{v} is not one month (YYYY-MM)", "{v} n’est pas un seul mois (AAAA-MM)"},
	"err.want-month":         {"{v}: want YYYY-MM", "«\u202f{v:q}\u202f»\u00a0: attendu AAAA-MM"},
	"err.note-bytes":         {"is {size} bytes long; at most {max}", "fait {size} octets\u202f; au plus {max}"},
	"err.not-utf8":           {"is not valid UTF-8", "n’est pas de l’UTF-8 valide"},
	"err.control-char":       {"holds a control character", "contient un caractère de contrôle"},
	"err.no-framework":       {"{mission}: no results framework stored for this mission", "{mission}\u00a0: aucun cadre de résultats n’est enregistré pour cette mission"},
	"err.changed":            {"framework {mission} is at revision {rev}, not {read}: the framework was changed by someone else since it was read: reload it", "le cadre {mission} est à la révision {rev}, pas {read}\u00a0: quelqu’un d’autre l’a modifié depuis sa lecture\u00a0: rechargez-le"},
	"err.no-option":          {"option {option} of {mission}: no such option", "option {option} de {mission}\u00a0: cette option n’existe pas"},
	"err.no-gap":             {"is empty: say which protection gap the option answers (e.g. \"Ouaka: violence out of reach, 2018-06\")", "est vide\u00a0: dites à quel manque de protection l’option répond (p. ex. \"Ouaka\u00a0: violence hors de portée, 2018-06\")"},
	"err.no-coverage":        {"no coverage store is configured", "aucun stockage de couverture n’est configuré"},
	"err.no-scenario":        {"no saved coverage scenario {scenario} (save one on the Coverage page)", "aucun scénario de couverture enregistré {scenario} (enregistrez-en un sur la page Couverture)"},
	"err.scenario-unread":    {"scenario {scenario}: its result cannot be read: {scenario_why}", "scénario {scenario}\u00a0: son résultat ne peut pas être lu\u00a0: {scenario_why}"},
	"err.cut-empty":          {"the cut scenario holds no targeted or thinning result", "le scénario de réduction ne contient aucun résultat ciblé ni d’éclaircissement"},
	"err.scenario-kind":      {"scenario kind {kind}", "type de scénario «\u202f{kind:q}\u202f» non pris en charge"},
	"err.watch-windows":      {"before and after must be 1–120 months", "before et after doivent être de 1 à 120 mois"},
	"err.watch-presence":     {"{v} must be 1–{max} (the before window)", "{v} doit être de 1 à {max} (la fenêtre before)"},
	"err.watch-range":        {"{v} must be 1–{max}", "{v} doit être de 1 à {max}"},
	"err.watch-measure":      {"{v}: want deaths or events", "«\u202f{v:q}\u202f»\u00a0: attendu deaths (morts) ou events (événements)"},
	"err.watch-open":         {"{x} must be in (0.5, 1)", "{x} doit être dans ]0,5\u202f; 1["},
	"err.watch-positive":     {"must be > 0", "doit être > 0"},
	"err.watch-bootstrap":    {"must be 100–100000", "doit être de 100 à 100\u202f000"},
	"err.invalid-json":       {"invalid JSON: {json_why}", "JSON invalide\u00a0: {json_why}"},
	"err.json-empty":         {"EOF", "le fichier est vide"},
	// A framework CSV the reader cannot read (err.csv-parse and
	// err.csv-parse-record around csv_err, err.csv.*: apperr's words for
	// encoding/csv's errors; init), and the pseudo-columns a
	// refusal names when no column is at fault.
	"err.csv-empty":  {"cannot read the header: EOF", "impossible de lire l’en-tête\u00a0: le fichier est vide"},
	"err.csv-header": {"cannot read the header: {csv_why}", "impossible de lire l’en-tête\u00a0: {csv_why}"},
	"err.col.header": {"(header)", "(en-tête)"},
	"err.col.row":    {"(row)", "(ligne)"},
	"err.col.rows":   {"(rows)", "(lignes)"},
	// The withdrawal watch's leadership alerts (acknowledging one).
	"err.no-alert": {"no leadership alert for this withdrawal (cell and month)", "aucune alerte à la direction pour ce retrait (cellule et mois)"},
	"err.acked":    {"the alert was already acknowledged by {by} at {at}", "l’alerte a déjà été prise en compte par {by} le {at}"},
	// err.json-*, err.json.*: apperr's JSON words (jsonCodes, refusal.go).
	// The brief's standing caveats.
	"caveat.ucdp":      {"UCDP counts are the best estimates; low–high is UCDP's own range; status and trends use exact Poisson intervals around it, so a change is shown only when larger than both.", "Les décomptes UCDP sont les meilleures estimations\u202f; bas–haut est la fourchette propre à l’UCDP\u202f; situations et tendances utilisent des intervalles de Poisson exacts autour d’elle, de sorte qu’un changement n’est affiché que s’il dépasse les deux."},
	"caveat.reach":     {"Risk-coverage shares use the coverage planner's reach assumptions (foot 10 km, vehicle 50 km, air 150 km, rainy-season factors).", "Les parts de risque couvert reposent sur les hypothèses de portée du planificateur de couverture (à pied 10 km, véhicule 50 km, air 150 km, facteurs de saison des pluies)."},
	"caveat.watch":     {"The withdrawal watch's Poisson trigger understates the spread of deaths (massacres cluster): it errs on the side of firing.", "Le seuil de Poisson de la veille après retrait sous-estime la dispersion des décès (les massacres sont groupés)\u00a0: il pèche par excès d’alerte."},
	"caveat.indicator": {"{indicator}: {why}", "{indicator}\u00a0: {why}"},
}

// SourceLabel names a data source (Source.Name) in lang: "survey F
// responses" and the catalog's source.NAME entries; another name as it is.
func SourceLabel(name, lang string) string {
	if f, ok := strings.CutPrefix(name, "survey "); ok {
		if f, ok := strings.CutSuffix(f, " responses"); ok {
			return msg("source.survey", "form", f).Text(lang)
		}
	}
	if _, ok := Reasons["source."+name]; ok {
		return Msg{Code: "source." + name}.Text(lang)
	}
	return name
}

// assessment is a status with its message (Reason: the English text).
func assessment(s Status, m Msg) Assessment {
	return Assessment{Status: s, Reason: m.Text("en"), Msg: m}
}

// why is a value's missing-data reason as a nested message.
func why(v Value) Msg {
	if v.ReasonMsg != nil {
		return *v.ReasonMsg
	}
	return msg("value.other", "why", v.Reason) // a value stored before reasons had codes
}

// withReason marks v as missing for m.
func withReason(v *Value, m Msg) {
	v.NoData, v.Reason, v.ReasonMsg = true, m.Text("en"), &m
}

var (
	suppressN  = regexp.MustCompile(`^fewer than (\d+) respondents \(n=(\d+)\)$`)
	suppressCV = regexp.MustCompile(`^coefficient of variation above (\d+)%$`)
)

// suppressedMsg turns the survey estimator's suppression reason into a
// message.
func suppressedMsg(s string) Msg {
	if m := suppressN.FindStringSubmatch(s); m != nil {
		return msg("value.suppressed-n", "min", m[1], "n", m[2])
	}
	if m := suppressCV.FindStringSubmatch(s); m != nil {
		return msg("value.suppressed-cv", "cv", m[1])
	}
	return msg("value.suppressed", "why", s)
}

// calibrationMsg writes the survey analysis' calibration (surveys.Calibrated)
// as a nested message.
func calibrationMsg(c surveys.Calibrated) Msg {
	m := msg("method.calib-none")
	switch c.Method {
	case "post-stratified":
		m = msg("method.calib-post", "on", strings.Join(c.On, ", "))
	case "raked":
		m = msg("method.calib-raked", "on", strings.Join(c.On, ", "))
	}
	if c.TrimRatio > 1 {
		r := fmt.Sprintf("%g", c.TrimRatio)
		m = msg("method.calib-trimmed", "calib", m, "ratio", r)
	}
	return m
}

// UnitLabelN is UnitLabel for the number x: the singular for one ("1
// event", "1,5 heure": English for exactly 1, French for |x| < 2), when the
// unit has one.
func UnitLabelN(unit, lang string, x float64) string {
	one := x == 1
	if lang == "fr" {
		one = math.Abs(x) < 2
	}
	if _, ok := Reasons["unit."+unit+".one"]; ok && one {
		return Msg{Code: "unit." + unit + ".one"}.Text(lang)
	}
	return UnitLabel(unit, lang)
}

// UnitLabel names a unit in lang: the library's units from the catalog
// (unit.UNIT), a framework's own unit as it is.
func UnitLabel(unit, lang string) string {
	if _, ok := Reasons["unit."+unit]; ok {
		return Msg{Code: "unit." + unit}.Text(lang)
	}
	return unit
}

// SkillWords says a forecast-skill value (the model's AUPR minus the best
// baseline's) in plain words: within 0.005 of it "about as accurate",
// within 0.05 "slightly" more or less accurate, beyond that more or less
// accurate. The Performance page says it with the same thresholds
// (web/ui/performance.js skillCode).
func SkillWords(x float64) Msg {
	switch {
	case math.Abs(x) < 0.005:
		return Msg{Code: "skill.same"}
	case x > 0 && x < 0.05:
		return Msg{Code: "skill.higher-slightly"}
	case x < 0 && x > -0.05:
		return Msg{Code: "skill.lower-slightly"}
	case x > 0:
		return Msg{Code: "skill.higher"}
	}
	return Msg{Code: "skill.lower"}
}

// WatchWords says the watch's mean difference-in-differences in plain
// words: a rise (or a fall) only when its whole interval is above (below)
// zero, else no measurable change; nil without one.
func WatchWords(w *WatchReport) *Msg {
	if w == nil || w.DiD == nil || w.DiDLow == nil || w.DiDHigh == nil {
		return nil
	}
	code := "watch.none"
	if *w.DiDLow > 0 {
		code = "watch.rose"
	} else if *w.DiDHigh < 0 {
		code = "watch.fell"
	}
	m := msg(code, "measure", "watch.measure."+cmp.Or(w.Config.Measure, "deaths"), "did", strconv.FormatFloat(math.Abs(math.Round(*w.DiD*10)/10), 'f', -1, 64))
	return &m
}

// AlertWords says a fired withdrawal in plain words for leadership, as
// the Performance page, the escalation webhook and the brief say it: the
// measure after the withdrawal against what similar places where the
// mission stayed lead to expect (about, one decimal), and how sure, by the
// trigger's p-value (below 0.001 almost certainly not chance, below 0.01
// very unlikely, below 0.1 unlikely, else possibly chance). AlertFigures
// has the statistics for analysts.
func AlertWords(w Withdrawal, cfg WatchConfig) Msg {
	window := "watch.window"
	if cfg.After == 1 {
		window = "watch.window.one"
	}
	sure := "watch.sure.possibly"
	switch {
	case w.P < 0.001:
		sure = "watch.sure.almost"
	case w.P < 0.01:
		sure = "watch.sure.very"
	case w.P < 0.1:
		sure = "watch.sure.unlikely"
	}
	place := w.Location
	if place == "" && w.Place != nil {
		place = w.Place.Label
	}
	return msg("watch.alert", "place", cmp.Or(place, "#"+strconv.Itoa(w.Cell)), "area", w.Area, "mission", w.Mission, "month", w.Month,
		"after", w.After, "before", w.Before, "expected", math.Round(w.Expected*10)/10,
		"measure", "watch.measure."+cmp.Or(cfg.Measure, "deaths"), "window", window, "n", cmp.Or(cfg.After, 12), "sure", sure)
}

// AlertFigures are a fired withdrawal's statistics, for analysts: its
// matched expectation, difference-in-differences and the trigger's
// p-value (PText: below 0.001 as its bound).
func AlertFigures(w Withdrawal) Msg {
	code := "watch.alert.figures"
	if w.P < 0.001 {
		code = "watch.alert.figures-tiny"
	}
	return msg(code, "expected_exact", math.Round(w.Expected*100)/100, "did", math.Round(w.DiD*100)/100, "p", PText(w.P))
}
