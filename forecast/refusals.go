package forecast

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the forecast refresh's messages a page can meet (apperr's
// catalog): a refresh asked for while one runs; and the refusals of the
// files the backtest reads (a covariate CSV, a PRIO-GRID cell list, a UCDP
// GED CSV), each at the file's line naming the column (fileErr). The model's
// own errors (its data, its invariants) are not a user's input and stay
// English.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.forecast.running": {"a forecast refresh is already running", "une actualisation des prévisions est déjà en cours"},

	// A covariate CSV (ReadCovariates).
	"refusal.forecast.cov-empty":  {"empty file (want a header cell,month,… or cell,year,…)", "fichier vide (il faut un en-tête cell,month,… ou cell,year,…)"},
	"refusal.forecast.cov-header": {"header must be cell,month,NAME… or cell,year,NAME…", "l’en-tête doit être cell,month,NOM… ou cell,year,NOM…"},
	"refusal.forecast.cov-period": {"second column must be month or year, not %q", "la deuxième colonne doit être month ou year, pas {0}"},
	"refusal.forecast.cov-name":   {"covariate name %q empty or repeated", "nom de covariable {0} vide ou répété"},
	"refusal.forecast.cell-id":    {"%q is not an integer cell id", "{0} n’est pas un identifiant de cellule entier"},
	"refusal.forecast.cell-panel": {"unknown cell %d (not in the panel)", "cellule {0} inconnue (absente du panel)"},
	"refusal.forecast.year":       {"%q is not a year", "{0} n’est pas une année"},
	"refusal.forecast.cov-twice":  {"cell %d %s %s given twice", "cellule {0}, {1} {2}\u00a0: donnée deux fois"},
	"refusal.forecast.finite":     {"%q is not a finite number", "{0} n’est pas un nombre fini"},
	"refusal.forecast.cov-month": {"cell %d has no row for month %s (every panel cell needs every month from %s to %s)",
		"la cellule {0} n’a pas de ligne pour le mois {1} (chaque cellule du panel a besoin de chaque mois de {2} à {3})"},
	"refusal.forecast.cov-year": {"cell %d has no row for year %d (every panel cell needs every year from %s to %s)",
		"la cellule {0} n’a pas de ligne pour l’année {1} (chaque cellule du panel a besoin de chaque année de {2} à {3})"},

	// A PRIO-GRID cell list (ReadPrioCells).
	"refusal.forecast.cells-columns": {"need columns priogrid_gid and gwno_prio2014 (or gwno/country_id)", "il faut les colonnes priogrid_gid et gwno_prio2014 (ou gwno/country_id)"},
	"refusal.forecast.prio-id":       {"%q is not a PRIO-GRID cell id", "{0} n’est pas un identifiant de cellule PRIO-GRID"},
	"refusal.forecast.country-code":  {"%q is not an integer code", "{0} n’est pas un code entier"},
	"refusal.forecast.cell-twice":    {"cell %d already listed on line %d", "cellule {0} déjà listée à la ligne {1}"},
	"refusal.forecast.no-cells":      {"no cells", "aucune cellule"},

	// A UCDP GED CSV (ReadUCDPCellMonths).
	"refusal.forecast.column":   {"missing column %q", "colonne {0} manquante"},
	"refusal.forecast.date":     {"%q: want YYYY-MM-DD", "{0}\u00a0: il faut AAAA-MM-JJ"},
	"refusal.forecast.violence": {"%q: want 1, 2 or 3", "{0}\u00a0: il faut 1, 2 ou 3"},
	"refusal.forecast.coords":   {"%q,%q not valid coordinates", "{0},{1} ne sont pas des coordonnées valides"},
	"refusal.forecast.count":    {"%q is not a count", "{0} n’est pas un nombre entier positif ou nul"},
})

// fileErr is invalid input at file:line (0: the file as a whole) in column
// col ("" for the whole record), its text the catalog message format
// with a.
func fileErr(file string, line int, col, format string, a ...any) error {
	_ = Refusals // registered before any refusal is made
	return apperr.AtLine(file, line, apperr.Fieldf(apperr.KindInvalid, col, format, a...))
}

// headerErr is a CSV reader's err on a file's header (line 1), said by
// the catalog (apperr.CSVError).
func headerErr(file string, err error) error {
	return apperr.AtLine(file, 1, apperr.FieldErr(apperr.KindInvalid, "", apperr.CSVError(err)))
}

// refusal is the error of kind whose whole text is the message key of
// Refusals (initialised after them).
func refusal(kind apperr.Kind, key string) *apperr.Error {
	if _, ok := Refusals[key]; !ok {
		panic("forecast: no message " + key)
	}
	return apperr.Say(kind, "", key)
}
