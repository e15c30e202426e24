package events

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the event filter's messages (apperr's catalog): the
// parameters every event query takes (ParseFilter, ParseBBox, ParseDate,
// ParseViolenceType), said in a page's language; the English is the API's.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.events.bbox-count": {"want west,south,east,north (4 numbers), got %d values", "attendu ouest,sud,est,nord (4 nombres), reçu {0} valeurs"},
	"refusal.events.bbox-value": {"value %d (%q) is not a number", "la valeur {0} ({1}) n’est pas un nombre"},
	"refusal.events.bbox-south": {"south is greater than north", "la latitude sud dépasse la latitude nord"},
	"refusal.events.bbox-west":  {"west is greater than east (boxes across the antimeridian are not supported)", "la longitude ouest dépasse la longitude est (les cadres qui traversent l’antiméridien ne sont pas pris en charge)"},
	"refusal.events.date":       {"%q is not a date (YYYY-MM-DD or YYYY-MM)", "{0} n’est pas une date (AAAA-MM-JJ ou AAAA-MM)"},
	"refusal.events.year":       {"year %d out of range 1900..2200", "année {0} hors de l’intervalle 1900..2200"},
	"refusal.events.to-before":  {"to (%s) is before from (%s)", "to ({0}) est avant from ({1})"},
	// Also said when an incident recorded as an event gives a bad type
	// (alerts.Service.Event).
	"refusal.events.type": {"unknown violence type %q (want state-based, non-state, one-sided, other-violence, non-violent or UCDP code 1–3)", "type de violence inconnu {0} (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},
})

// CheckRefusals are an event's checks (ValidatePublished, CheckEstimates:
// an imported file's row, an incident recorded as an event) as catalog
// messages; a start year out of range is Refusals' refusal.events.year,
// a field empty or not given apperr's KeyEmpty and KeyMissing. "fatalities
// cannot be negative" is alerts' refusal too.
var CheckRefusals = apperr.Register(apperr.Catalog{
	"refusal.events.end-before":     {"%s is before date_start %s", "{0} est antérieure à date_start {1}"},
	"refusal.events.lat":            {"%v outside -90..90", "{0} hors de -90..90"},
	"refusal.events.lon":            {"%v outside -180..180", "{0} hors de -180..180"},
	"refusal.events.violence-code":  {"unknown violence type %d", "type de violence inconnu {0}"},
	"refusal.events.best-negative":  {"fatalities cannot be negative", "le nombre de morts ne peut pas être négatif"},
	"refusal.events.negative":       {"cannot be negative", "ne peut pas être négatif"},
	"refusal.events.low-above-high": {"low estimate %d is greater than high %d", "l’estimation basse {0} dépasse l’estimation haute {1}"},
	// PostgreSQL's events table keeps counts as 32-bit integers (storage/events_pg.go).
	"refusal.events.store-range":  {"%d is out of range for the store", "{0} dépasse ce que la base peut enregistrer"},
	"refusal.events.best-outside": {"best estimate %d outside low..high %d..%d", "la meilleure estimation {0} est hors de l’intervalle basse..haute {1}..{2}"},
})
