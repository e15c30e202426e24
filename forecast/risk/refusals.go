package risk

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the risk API's messages (apperr's catalog), so that the
// map's risk layer and a cell's or country's explanation say a refusal in
// the page's language; the English is the API's text as it always was:
// a run key's cell_size, a place that is not one, and no forecast stored
// for what was asked (404).
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.risk.cell-size":     {"%q: want the ops grid's cell size in degrees, above 0 and at most 0.5", "{0}\u00a0: attendu la taille de cellule de la grille ops en degrés, au-dessus de 0 et au plus 0.5"},
	"refusal.risk.cell-size-ops": {"cell_size applies to grid=ops only", "cell_size ne s’applique qu’avec grid=ops"},
	"refusal.risk.not-place":     {"%q is not %s", "{0} n’est pas {1}"},
	"refusal.risk.place.cell":    {"a grid cell id", "un identifiant de cellule de la grille"},
	"refusal.risk.place.country": {"a country code (e.g. 490)", "un code de pays (p. ex. 490)"},
	"refusal.risk.no-forecast": {"no forecast stored for %s yet: an analyst can press \"Refresh forecasts now\" in the risk layer's legend (or run vigil forecast)",
		"aucune prévision enregistrée pour {0} pour l’instant\u00a0: un analyste peut appuyer sur « Actualiser les prévisions » dans la légende de la couche de risque (ou lancer vigil forecast)"},
	"refusal.risk.on-grid":       {"%s on grid %s", "{0} sur la grille {1}"},
	"refusal.risk.month-horizon": {"%s, month %s at horizon %d", "{0}, mois {1} à l’horizon {2}"},
	"refusal.risk.cell":          {"cell %d (%s)", "cellule {0} ({1})"},
	"refusal.risk.country":       {"country %d (%s): run vigil forecast --grid country", "pays {0} ({1})\u00a0: lancez vigil forecast --grid country"},
	"refusal.risk.cell-country":  {"the country of cell %d (%s): run vigil forecast --grid country", "le pays de la cellule {0} ({1})\u00a0: lancez vigil forecast --grid country"},
	"refusal.risk.cell-no-country": {"cell %d is in no country of the latest country forecast (%s)",
		"la cellule {0} n’est dans aucun pays de la dernière prévision par pays ({1})"},
	"refusal.risk.explain-grid": {"%q: want country (the country holding the cell) or none (the cell itself)", "{0}\u00a0: attendu country (le pays de la cellule) ou rien (la cellule elle-même)"},
})
