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
	"refusal.risk.no-forecast": {"no forecast stored for %s yet: an analyst can press \"Refresh forecasts now\" in the risk layer's legend",
		"aucune prévision enregistrée pour {0} pour l’instant\u00a0: un analyste peut appuyer sur « Actualiser les prévisions » dans la légende de la couche de risque"},
	"refusal.risk.no-cell-list": {"no forecast stored for %s: this server computes no country forecasts, as it has no PRIO-GRID cell list (an administrator starts it with vigil serve --forecast-cells FILE)",
		"aucune prévision enregistrée pour {0}\u00a0: ce serveur ne calcule pas de prévisions par pays, faute de liste des cellules PRIO-GRID (un administrateur le démarre avec vigil serve --forecast-cells FICHIER)"},
	"refusal.risk.no-refresh-grid": {"no forecast stored for %s: this server's refresh does not compute this grid (an administrator stores it with vigil forecast)",
		"aucune prévision enregistrée pour {0}\u00a0: l’actualisation de ce serveur ne calcule pas cette grille (un administrateur l’enregistre avec vigil forecast)"},
	"refusal.risk.no-refresh": {"no forecast stored for %s: this server does not compute forecasts (an administrator stores them with vigil forecast)",
		"aucune prévision enregistrée pour {0}\u00a0: ce serveur ne calcule pas de prévisions (un administrateur les enregistre avec vigil forecast)"},
	"refusal.risk.no-backtest-refresh": {"the latest %s forecast run has no backtest: an analyst can press \"Refresh forecasts now\" in the risk layer's legend (its forecast per grid cell is checked on the last 12 months)",
		"la dernière prévision {0} n’a pas de backtest\u00a0: un analyste peut appuyer sur « Actualiser les prévisions » dans la légende de la couche de risque (sa prévision par cellule est vérifiée sur les 12 derniers mois)"},
	"refusal.risk.no-backtest": {"the latest %s forecast run has no backtest: this server's refresh does not check this grid (an administrator runs vigil forecast with --backtest-months)",
		"la dernière prévision {0} n’a pas de backtest\u00a0: l’actualisation de ce serveur ne vérifie pas cette grille (un administrateur lance vigil forecast avec --backtest-months)"},
	"refusal.risk.on-grid":       {"%s on grid %s", "{0} sur la grille {1}"},
	"refusal.risk.month-horizon": {"%s, month %s at horizon %d", "{0}, mois {1} à l’horizon {2}"},
	"refusal.risk.cell":          {"cell %d (%s)", "cellule {0} ({1})"},
	"refusal.risk.country":       {"country %d (%s)", "pays {0} ({1})"},
	"refusal.risk.cell-country":  {"the country of cell %d (%s)", "le pays de la cellule {0} ({1})"},
	"refusal.risk.cell-no-country": {"cell %d is in no country of the latest country forecast (%s)",
		"la cellule {0} n’est dans aucun pays de la dernière prévision par pays ({1})"},
	"refusal.risk.explain-grid": {"%q: want country (the country holding the cell) or none (the cell itself)", "{0}\u00a0: attendu country (le pays de la cellule) ou rien (la cellule elle-même)"},
})
