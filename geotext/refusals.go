package geotext

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the place API's own refusals (a place search, a gazetteer
// upload: requests.go) as catalog messages (apperr.Catalog: the English
// fmt format the error has always been written with, and its French), so
// the pages that search places (the map, an incident's location, the
// Administration page's gazetteer tab) say them in their language;
// web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	"geotext.refusal.search-empty":  {"give a place name to search for", "donnez un nom de lieu à chercher"},
	"geotext.refusal.at-most-bytes": {"at most %d bytes", "au plus {0} octets"}, // integrity's and query's French for the same English
	"geotext.refusal.limit":         {"%q: want 1 to 50", "{0}\u00a0: attendu de 1 à 50"},
	"geotext.refusal.csv-empty":     {"the CSV is empty", "le CSV est vide"},

	// A gazetteer's rows (LoadGazetteer), at their line and column.
	"geotext.refusal.gaz-empty":  {"%s: empty file, want a header row", "fichier {0}\u00a0: fichier vide, une ligne d’en-tête est attendue"},
	"geotext.refusal.gaz-header": {"%s:1: header has no %q column (have %s)", "fichier {0}, ligne 1\u00a0: l’en-tête n’a pas de colonne {1} (colonnes\u00a0: {2})"},
	"geotext.refusal.gaz-at":     {"%s:%d: column %s: %v", "fichier {0}, ligne {1}, colonne {2}\u00a0: {3}"},
	"geotext.refusal.gaz-none":   {"%s: no places after the header", "fichier {0}\u00a0: aucun lieu après l’en-tête"},
	"geotext.refusal.empty":      {"empty", "vide"}, // the same English and French as surveys' and the lexicon's
	"geotext.refusal.name-long":  {"longer than 200 bytes", "plus de 200 octets"},
	"geotext.refusal.country":    {"%q is not a known country code or name", "{0} n’est ni un code ni un nom de pays connu"},
	"geotext.refusal.population": {"%q is not a number of people", "{0} n’est pas un nombre d’habitants"},
	// A latitude or a longitude (ParseLat, ParseLon: a gazetteer's lat and
	// lon, the place API's label query).
	"geotext.refusal.sign":       {"sign %q in the middle of %q", "signe {0} au milieu de {1}"},
	"geotext.refusal.two-hemis":  {"two hemisphere letters in %q", "deux lettres d’hémisphère dans {0}"},
	"geotext.refusal.unexpected": {"unexpected %q in %q", "{0} inattendu dans {1}"},
	"geotext.refusal.degrees":    {"%q: want degrees, optionally minutes and seconds", "{0}\u00a0: attendu des degrés, éventuellement des minutes et des secondes"},
	"geotext.refusal.minus-hemi": {"%q has both a minus sign and hemisphere %c", "{0} a à la fois un signe moins et l’hémisphère {1}"},
	"geotext.refusal.decimals":   {"%q: only the last part may have decimals", "{0}\u00a0: seule la dernière partie peut avoir des décimales"},
	"geotext.refusal.minutes":    {"%q: minutes must be below 60", "{0}\u00a0: les minutes doivent être inférieures à 60"},
	"geotext.refusal.seconds":    {"%q: seconds must be below 60", "{0}\u00a0: les secondes doivent être inférieures à 60"},
	"geotext.refusal.hemi-lat":   {"%q: hemisphere %c is not a latitude", "{0}\u00a0: l’hémisphère {1} ne convient pas à une latitude"},
	"geotext.refusal.lat-range":  {"%q: latitude %g out of range [-90, 90]", "{0}\u00a0: latitude {1} hors de l’intervalle [-90, 90]"},
	"geotext.refusal.hemi-lon":   {"%q: hemisphere %c is not a longitude", "{0}\u00a0: l’hémisphère {1} ne convient pas à une longitude"},
	"geotext.refusal.lon-range":  {"%q: longitude %g out of range [-180, 180]", "{0}\u00a0: longitude {1} hors de l’intervalle [-180, 180]"},
})
