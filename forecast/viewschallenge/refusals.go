package viewschallenge

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the challenge files' refusals (features, actuals, a
// forecast) as catalog messages (apperr.Catalog: English fmt format,
// French), each placed at the file's line and column it names
// (apperr.AtLine: "f.csv:3: ged_sb: -1 is negative"; line 0, the file as a
// whole: "f.csv: no data rows"), so that a page reading such a file would
// say it in its language; "%q is not a number" is apperr's own.
var Refusals = apperr.Register(apperr.Catalog{
	"views.refusal.empty":       {"empty file (want a header with %s)", "fichier vide (il faut un en-tête avec {0})"},
	"views.refusal.column":      {"missing column %q", "colonne {0} manquante"},
	"views.refusal.not-integer": {"%q is not an integer", "{0} n’est pas un nombre entier"},
	"views.refusal.negative":    {"%v is negative", "{0} est négatif"},
	"views.refusal.month":       {"%d is outside 1..2000", "{0} n’est pas entre 1 et 2000"},
	"views.refusal.again":       {"country %d month %d already given on line %d", "pays {0}, mois {1}\u00a0: déjà donné à la ligne {2}"},
	"views.refusal.draw-again":  {"draw %d of country %d month %d already given on line %d", "tirage {0} du pays {1}, mois {2}\u00a0: déjà donné à la ligne {3}"},
	"views.refusal.draws": {"country %d month %d has %d draws, but country %d month %d (from line %d) has %d",
		"le pays {0}, mois {1} a {2} tirages, mais le pays {3}, mois {4} (à partir de la ligne {5}) en a {6}"},
	"views.refusal.no-rows": {"no data rows", "aucune ligne de données"},
	"views.refusal.no-forecast-for": {"no forecast for country %d month %d in the actuals",
		"aucune prévision pour le pays {0}, mois {1}, qui est dans les valeurs observées"},
	"views.refusal.no-actual":    {"forecast for country %d month %d has no actual", "la prévision pour le pays {0}, mois {1} n’a pas de valeur observée"},
	"views.refusal.no-countries": {"no countries in the features", "aucun pays dans les variables"},
	"views.refusal.cutoff-early": {"cutoff month %d is before the first month in the features (%d)",
		"le mois de coupure {0} est avant le premier mois des variables ({1})"},
	"views.refusal.no-history":          {"country %d has no months at or before the cutoff %d", "le pays {0} n’a aucun mois jusqu’au mois de coupure {1}"},
	"views.refusal.benchmark-countries": {"%d countries: the benchmark is forecast for at most %d", "{0} pays\u00a0: la référence est prévue pour {1} pays au plus"},
	"views.refusal.benchmark-missing": {"no %s forecast for country %d month %d of the actuals: no history of the country here, or the month is not 3 to 14 months after the cutoff %d",
		"aucune prévision {0} pour le pays {1}, mois {2} des valeurs observées\u00a0: pas d’historique du pays ici, ou le mois n’est pas 3 à 14 mois après le mois de coupure {3}"},
})

// refuse is invalid input not placed in a file (the caller may place it:
// apperr.AtLine), its text the catalog message format with a.
func refuse(format string, a ...any) error {
	_ = Refusals
	return apperr.Fieldf(apperr.KindInvalid, "", format, a...)
}

// bad is invalid input at file:line (0: the file as a whole) in column
// col ("" for the whole record), its text the catalog message format
// with a.
func bad(file string, line int, col, format string, a ...any) error {
	_ = Refusals // registered before any refusal is made
	return apperr.AtLine(file, line, apperr.Fieldf(apperr.KindInvalid, col, format, a...))
}
