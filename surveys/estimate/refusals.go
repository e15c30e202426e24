package estimate

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the estimation's refusals of its input that a survey
// analysis meets when a form's settings name design or calibration fields
// its answers do not fit (a weight that is not a number, a respondent's
// group the population margins lack), as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French), so the Surveys page says them in its language. The French
// names the line and column without the table's name (the analysis calls
// its answers "responses"). Errors of the estimator's own invariants stay
// English. web/ui/i18n/refusals.*.json holds them.
var Refusals = apperr.Register(apperr.Catalog{
	"estimate.refusal.not-number":     {"%s: line %d, column %q: %q is not a number", "ligne {1}, colonne {2}\u00a0: {3} n’est pas un nombre"},
	"estimate.refusal.design-missing": {"%s: line %d, column %q: missing value in a design column", "ligne {1}, colonne {2}\u00a0: valeur manquante dans une colonne du plan de sondage"},
	"estimate.refusal.missing":        {"%s: line %d, column %q: missing %s", "ligne {1}, colonne {2}\u00a0: {3} manquant"},
	"estimate.refusal.not-positive":   {"%s: line %d, column %q: %s %v must be positive", "ligne {1}, colonne {2}\u00a0: {3} {4} doit être positif"},
	"estimate.refusal.weight":         {"weight", "poids"},
	"estimate.refusal.fpc":            {"fpc", "taux de sondage (fpc)"},
	"estimate.refusal.fpc-count":      {"%d fpc columns (%s) for %d sampling stages: give one per cluster column", "{0} colonnes fpc ({1}) pour {2} degré(s) de sondage\u00a0: donnez-en une par colonne de grappe"},
	"estimate.refusal.not-in-margins": {"margin %q: cell %q is in the sample but not in the population margins", "marge {0}\u00a0: la cellule {1} est dans l’échantillon mais pas dans les marges de population"},
	"estimate.refusal.overflow":       {"the weights and values are too large: their weighted sum is beyond 1.8e308", "les poids et les valeurs sont trop grands\u00a0: leur somme pondérée dépasse 1,8e308"},
	"estimate.refusal.zero-weight":    {"margin %q: cell %q has population %v but zero total weight in the sample", "marge {0}\u00a0: la cellule {1} a une population de {2} mais un poids total nul dans l’échantillon"},
})
