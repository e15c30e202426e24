package coverage

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the coverage API's messages (apperr's catalog), so that the
// Coverage, Responsiveness and Administration pages say a refusal in their
// language; the English is the API's text as it always was: the
// parameters and bodies of its requests (badInput), a try, plan or cut
// the model refuses, the rainy seasons, a deployments file (CSV, Geo-PKO,
// GeoJSON: Deployment.Validate and the readers) or a population layer
// refused at its line, the store's refusal of a scenario, and the answers
// with nothing stored to answer from (404).
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.coverage.month-required": {"%s is required (YYYY-MM)", "{0} est requis (AAAA-MM)"},
	"refusal.coverage.limit":          {"limit %q: want 1..5000", "limit {0}\u00a0: attendu 1..5000"},
	"refusal.coverage.scenario-id":    {"scenario id %q is not a positive integer", "l’identifiant de scénario {0} n’est pas un entier positif"},
	"refusal.coverage.time-limit":     {"time_limit_seconds %v: want 0 < t ≤ %v", "time_limit_seconds {0}\u00a0: attendu 0 < t ≤ {1}"},
	"refusal.coverage.candidates":     {"at most 50,000 candidates", "au plus 50 000 sites candidats"},
	"refusal.coverage.server-fields":  {"id, created_by and created_at are set by the server", "id, created_by et created_at sont fixés par le serveur"},
	"refusal.coverage.scenario-body":  {"body must be the JSON of a plan, try or cut result", "body doit être le JSON d’un résultat plan, try ou cut"},
	"refusal.coverage.name-long":      {"name: at most 200 characters", "name\u00a0: au plus 200 caractères"},
	"refusal.coverage.scenario-name":  {"must be 1–200 characters", "doit faire de 1 à 200 caractères"},
	"refusal.coverage.scenario-kind":  {"%q: want plan, try or cut", "{0}\u00a0: attendu plan, try ou cut"},

	// Nothing stored to answer from (404).
	"refusal.coverage.no-data":        {"no deployments or events stored", "aucun déploiement ni événement enregistré"},
	"refusal.coverage.no-deployments": {"no deployments stored", "aucun déploiement enregistré"},
	"refusal.coverage.no-scenario":    {"no scenario %d", "aucun scénario {0}"},
	"refusal.coverage.no-population":  {"no population layer loaded", "aucune couche de population chargée"},

	// Responsiveness's period.
	"refusal.coverage.to-before": {"to %s is before from %s", "la fin de la période ({0}) précède son début ({1})"},
	"refusal.coverage.years":     {"at most 60 years at a time", "au plus 60 ans à la fois"},

	// A try, a plan, a cut.
	"refusal.coverage.mobility":           {"mobility %q: want foot, vehicle or air", "mobilité {0}\u00a0: attendu foot, vehicle ou air"},
	"refusal.coverage.weight-pop":         {"weight %q needs a population layer", "le poids {0} demande une couche de population"},
	"refusal.coverage.weight":             {"weight %q: want risk_population, risk or population", "poids {0}\u00a0: attendu risk_population, risk ou population"},
	"refusal.coverage.candidate":          {"candidate %d (%s): %v", "site candidat {0} ({1})\u00a0: {2}"},
	"refusal.coverage.candidate-mobility": {"candidate %d (%s): unknown mobility %q", "site candidat {0} ({1})\u00a0: mobilité inconnue {2}"},
	"refusal.coverage.share":              {"share %v: want a fraction between 0 and 1 (e.g. 0.26)", "réduction {0}\u00a0: attendu une fraction entre 0 et 1 (p. ex. 0.26)"},
	"refusal.coverage.basis":              {"basis %q: want personnel or cost", "base {0}\u00a0: attendu personnel ou cost"},
	"refusal.coverage.no-active":          {"no deployments active in %s", "aucun déploiement actif en {0}"},
	"refusal.coverage.nothing-to-cut":     {"the active sites have no %s to cut", "les sites actifs n’ont aucun {0} à réduire"},
	"refusal.coverage.basis.personnel":    {"personnel", "effectif"},
	"refusal.coverage.basis.cost":         {"cost", "coût"},

	// Rainy seasons.
	"refusal.coverage.seasons-none":  {"rainy_months: give at least one country", "rainy_months\u00a0: indiquez au moins un pays"},
	"refusal.coverage.country":       {"unknown country %q (the grid's countries: %s)", "pays inconnu {0} (pays de la grille\u00a0: {1})"},
	"refusal.coverage.country-twice": {"country %q named twice (as %s)", "pays {0} nommé deux fois (sous {1})"},
	"refusal.coverage.country-name":  {"country name %q must be 1–100 characters", "le nom de pays {0} doit faire de 1 à 100 caractères"},
	"refusal.coverage.month-range":   {"month %d outside 1–12", "mois {0} hors de 1–12"},
	"refusal.coverage.month-twice":   {"month %d listed twice", "mois {0} donné deux fois"},

	// A deployments file (a site, at its line or feature).
	"refusal.coverage.format":              {"format %q: want csv, geojson or geopko", "format {0}\u00a0: attendu csv, geojson ou geopko"},
	"refusal.coverage.no-deployments-file": {"no deployments in the file", "aucun déploiement dans le fichier"},
	"refusal.coverage.outside":             {"site at %.4f,%.4f (PRIO-GRID cell %d) is outside the grid loaded (%d cells)", "le site en {0},{1} (cellule PRIO-GRID {2}) est hors de la grille chargée ({3} cellules)"},
	"refusal.coverage.mobility-of":         {"%q: want foot, vehicle or air", "{0}\u00a0: attendu foot, vehicle ou air"},
	"refusal.coverage.one-of":              {"%q: want one of %v", "{0}\u00a0: attendu l’un de {1}"},
	"refusal.coverage.end-before":          {"%s is before start %s", "{0} est avant le début {1}"},
	"refusal.coverage.negative":            {"%d is negative", "{0} est négatif"},
	"refusal.coverage.women-men":           {"women %d + men %d exceed personnel %d", "femmes {0} + hommes {1} dépassent l’effectif {2}"},
	"refusal.coverage.cost":                {"%v must be a finite number ≥ 0", "{0} doit être un nombre fini ≥ 0"},
	"refusal.coverage.unit":                {"unknown unit type %q (want %s)", "type d’unité inconnu {0} (attendu {1})"},
	"refusal.coverage.header":              {"cannot read the header line: %v", "impossible de lire la ligne d’en-tête\u00a0: {0}"},
	"refusal.coverage.header-empty":        {"cannot read the header line: EOF", "impossible de lire la ligne d’en-tête\u00a0: le fichier est vide"},
	// A number or year a deployments file's cell cannot be read as is said
	// by forecast's refusal.forecast.finite and refusal.forecast.year (the
	// same English and French; coverage imports forecast, so they are
	// always registered, first): registered twice, the message was said by
	// forecast's key and coverage's were said by none.
	"refusal.coverage.missing-column":    {"missing column", "colonne manquante"},
	"refusal.coverage.not-personnel":     {"%q is not a whole number of personnel", "{0} n’est pas un effectif entier"},
	"refusal.coverage.not-month":         {"%q is not a month 1–12", "{0} n’est pas un mois de 1 à 12"},
	"refusal.coverage.month-or-date":     {"%q: want YYYY-MM or YYYY-MM-DD", "{0}\u00a0: attendu AAAA-MM ou AAAA-MM-JJ"},
	"refusal.coverage.duplicate-id":      {"duplicate id %q (line %d)", "identifiant {0} en double (ligne {1})"},
	"refusal.coverage.geojson":           {"%s: invalid GeoJSON: %v", "{0}\u00a0: GeoJSON invalide\u00a0: {1}"},
	"refusal.coverage.geojson-type":      {"%s: type %q: want FeatureCollection", "{0}\u00a0: type {1}\u00a0: attendu FeatureCollection"},
	"refusal.coverage.feature":           {"%s: feature %d: %s: %v", "{0}\u00a0: entité {1}, champ {2}\u00a0: {3}"},
	"refusal.coverage.point":             {"want a Point with [lon, lat]", "attendu un Point avec [lon, lat]"},
	"refusal.coverage.duplicate-feature": {"duplicate id %q (feature %d)", "identifiant {0} en double (entité {1})"},

	// A population layer (at file:line).
	"refusal.coverage.pop-empty":       {"empty file: want a header gid,population[,friction] or gid,year,population[,friction]", "fichier vide\u00a0: attendu un en-tête gid,population[,friction] ou gid,year,population[,friction]"},
	"refusal.coverage.pop-header":      {"cannot read header: %v", "impossible de lire l’en-tête\u00a0: {0}"},
	"refusal.coverage.pop-twice":       {"column %q appears twice", "la colonne {0} apparaît deux fois"},
	"refusal.coverage.pop-no-gid":      {"missing a location column: gid (or priogrid_gid, cell), lat and lon, pcode or place", "colonne de localisation manquante\u00a0: gid (ou priogrid_gid, cell), lat et lon, pcode ou place"},
	"refusal.coverage.pop-no-where":    {"no location: give gid, lat and lon, pcode or place", "aucune localisation\u00a0: indiquez gid, lat et lon, pcode ou place"},
	"refusal.coverage.pop-latlon":      {"lat %q, lon %q is not a position (latitude -90..90, longitude -180..180)", "lat {0}, lon {1} n’est pas une position (latitude de -90 à 90, longitude de -180 à 180)"},
	"refusal.coverage.pop-point-grid":  {"lat %v, lon %v is in cell %d, not a cell of the analysis grid (%d cells)", "lat {0}, lon {1} est dans la cellule {2}, qui n’est pas une cellule de la grille d’analyse ({3} cellules)"},
	"refusal.coverage.pop-place-grid":  {"%q is in cell %d, not a cell of the analysis grid (%d cells)", "{0} est dans la cellule {1}, qui n’est pas une cellule de la grille d’analyse ({2} cellules)"},
	"refusal.coverage.pop-place-again": {"%q already given on line %d", "{0} déjà donné à la ligne {1}"},
	"refusal.coverage.pop-country":     {"country %q is not a country Vigil knows: give its ISO code (e.g. COD)", "le pays {0} n’est pas un pays connu de Vigil\u00a0: indiquez son code ISO (p. ex. COD)"},
	"refusal.coverage.pop-place-unknown": {"place %q is not in the gazetteer: give its lat and lon or its P-code, or add it to the gazetteer (Administration → Place names)",
		"le lieu {0} n’est pas dans le répertoire géographique\u00a0: indiquez sa lat et sa lon ou son P-code, ou ajoutez-le au répertoire (Administration → Noms de lieux)"},
	"refusal.coverage.pop-place-ambiguous": {"place %q is ambiguous: %d places have this name (%s): add a country column (ISO code) or give its lat and lon or its P-code",
		"le lieu {0} est ambigu\u00a0: {1} lieux portent ce nom ({2})\u00a0: ajoutez une colonne country (code ISO) ou indiquez sa lat et sa lon ou son P-code"},
	"refusal.coverage.pop-pcode-unknown": {"P-code %q is not in the gazetteer: import the mission's gazetteer with its P-codes (Administration → Place names) or give lat and lon",
		"le P-code {0} n’est pas dans le répertoire géographique\u00a0: importez la liste de lieux de la mission avec ses P-codes (Administration → Noms de lieux) ou indiquez lat et lon"},
	"refusal.coverage.pop-pcode-ambiguous": {"P-code %q is ambiguous: %d places have it (%s): give lat and lon instead",
		"le P-code {0} est ambigu\u00a0: {1} lieux le portent ({2})\u00a0: indiquez plutôt lat et lon"},
	"refusal.coverage.pop-no-pop":     {"missing column population", "colonne population manquante"},
	"refusal.coverage.pop-gid":        {"gid %q is not an integer", "gid {0} n’est pas un entier"},
	"refusal.coverage.pop-cell":       {"gid %d is not a cell of the analysis grid (%d cells)", "gid {0} n’est pas une cellule de la grille d’analyse ({1} cellules)"},
	"refusal.coverage.pop-year":       {"year %q must be an integer in 1900..2100", "year {0} doit être un entier de 1900 à 2100"},
	"refusal.coverage.pop-value":      {"population %q must be a number in 0..1e9", "population {0} doit être un nombre de 0 à 1e9"},
	"refusal.coverage.pop-friction":   {"friction %q must be a number in 1..100 (or empty)", "friction {0} doit être un nombre de 1 à 100 (ou vide)"},
	"refusal.coverage.pop-again-year": {"gid %d year %d already given on line %d", "gid {0} year {1} déjà donné à la ligne {2}"},
	"refusal.coverage.pop-again":      {"gid %d already given on line %d", "gid {0} déjà donné à la ligne {1}"},
	"refusal.coverage.pop-no-rows":    {"%s: no rows after the header", "{0}\u00a0: aucune ligne après l’en-tête"},
	"refusal.coverage.pop-rows":       {"more than %d rows", "plus de {0} lignes"},
})

// basisWord is a cut's basis (personnel or cost) as a message, so that a
// refusal naming it says it in the page's language.
func basisWord(b string) any {
	return apperr.Word("refusal.coverage.basis."+b, b)
}
