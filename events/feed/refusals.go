package feed

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the map queries' own parameter messages (apperr's
// catalog; the filter's are events.Refusals, the shared ones
// query.Refusals), said in a page's language.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.feed.no-event":      {"no event with id %d", "aucun événement avec l’identifiant {0}"},
	"refusal.feed.zoom-required": {"zoom is required (0 to 22)", "zoom est requis (0 à 22)"},
	"refusal.feed.zoom":          {"%q must be an integer from 0 to 22", "{0} doit être un entier de 0 à 22"},
	"refusal.feed.grid":          {"%q must be priogrid or a cell size in degrees such as 0.1", "{0} doit être priogrid ou une taille de cellule en degrés comme 0.1"},
	"refusal.feed.grid-small":    {"cells smaller than 0.05 degrees are not served", "les cellules de moins de 0,05 degré ne sont pas servies"},
	"refusal.feed.grid-role":     {"cells smaller than %v degrees are served to responders and above only", "les cellules de moins de {0} degré ne sont servies qu’aux intervenants et au-dessus"},
	"refusal.feed.too-many":      {"the answer would have %d cell-months (more than %d): narrow bbox or from/to", "la réponse compterait {0} cellules-mois (plus de {1})\u00a0: resserrez la zone (bbox) ou la période (from/to)"},
})
