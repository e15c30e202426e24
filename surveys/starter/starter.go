// Package starter holds Vigil's starter perception survey and its indicators.
//
// It holds Vigil's starter perception survey: an XForm in English and French
// with the standard questions of a mission's perception poll (feeling of
// safety, trust in the mission, knowing how to report an incident, exposure to
// violence, sources of information), the respondent's region, admin area, sex,
// age group and displacement status, and an optional GPS point; and the
// indicators and breakdowns defined over its answers.
package starter

import (
	_ "embed"

	"github.com/vigil-project/vigil/surveys"
)

// FormXML is the starter form (form id "vigil_perception").
//
//go:embed perception.xml
var FormXML []byte

// FormID is the starter form's id.
const FormID = "vigil_perception"

// Breakdowns are the answer fields results are broken down by.
var Breakdowns = []string{"region", "sex", "age_group", "displacement"}

// QuasiIdentifiers are the answers an outsider may know about a respondent.
var QuasiIdentifiers = []string{"region", "admin2", "sex", "age_group", "displacement"}

// Generalise coarsens the quasi-identifiers before values are blocked:
// age groups into three bands; the displacement status into displaced or
// not.
var Generalise = map[string]map[string]string{
	"age_group":    {"18_24": "18_34", "25_34": "18_34", "35_49": "35_64", "50_64": "35_64", "65_plus": "65_plus"},
	"displacement": {"idp": "displaced", "refugee": "displaced", "returnee": "displaced", "resident": "resident"},
}

var missing = []string{"dont_know", "refused"}

// Indicators are the starter form's perception indicators.
func Indicators() []surveys.Indicator {
	return []surveys.Indicator{
		{ID: "feels_safe", Label: "Feel safe or very safe in their area", LabelFR: "Se sentent en sécurité ou très en sécurité dans leur zone", Field: "q_safety", Values: []string{"very_safe", "safe"}, Missing: missing},
		{ID: "trusts_mission", Label: "Trust the mission a lot or somewhat to protect civilians", LabelFR: "Font beaucoup ou assez confiance à la mission pour protéger les civils", Field: "q_trust", Values: []string{"a_lot", "somewhat"}, Missing: missing},
		{ID: "knows_how_to_report", Label: "Know how to report an incident to the mission", LabelFR: "Savent comment signaler un incident à la mission", Field: "q_report", Values: []string{"yes"}},
		{ID: "exposed_to_violence", Label: "Household victim of violence in the past 12 months", LabelFR: "Ménage victime de violence au cours des 12 derniers mois", Field: "q_violence", Values: []string{"yes"}, Missing: []string{"refused"}},
		{ID: "hears_un_radio", Label: "Get security information from UN radio", LabelFR: "S’informent sur la sécurité par la radio de l’ONU", Field: "q_sources", Values: []string{"radio_un"}, Multiple: true},
		{ID: "hears_mission_staff", Label: "Get security information from mission staff", LabelFR: "S’informent sur la sécurité auprès du personnel de la mission", Field: "q_sources", Values: []string{"mission_staff"}, Multiple: true},
		{ID: "uses_social_media", Label: "Get security information from social media", LabelFR: "S’informent sur la sécurité par les réseaux sociaux", Field: "q_sources", Values: []string{"social_media"}, Multiple: true},
	}
}

// Disclosure is the starter form's export rule (k = 5).
func Disclosure() surveys.DisclosureRule {
	return surveys.DisclosureRule{K: 5, QuasiIdentifiers: QuasiIdentifiers, Generalise: Generalise, Drop: []string{"location", "start", "end"}}
}

// Settings are the starter form's analysis settings: its indicators by
// region, sex, age group and displacement status, the region as area, the
// GPS point for the grid map layer, and k = 5 disclosure control.
func Settings() surveys.Settings {
	return surveys.Settings{
		Indicators: Indicators(),
		Breakdowns: Breakdowns,
		AreaField:  "region",
		GeoField:   "location",
		GroupDim:   "displacement",
		Disclosure: Disclosure(),
	}
}
