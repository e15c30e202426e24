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
	"geotext.refusal.limit":         {"%q: want 1 to 50", "{0} : attendu de 1 à 50"},
	"geotext.refusal.csv-empty":     {"the CSV is empty", "le CSV est vide"},
})
