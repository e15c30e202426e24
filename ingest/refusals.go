package ingest

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the parsers' refusals of an event file as catalog messages
// (apperr.Catalog: the English fmt format the error has always been
// written with, and its French), placed at their file, line and column
// (at), so that Administration → Import data says them in the page's
// language; an event's own checks are events.CheckRefusals, a cell the
// encoding/csv or encoding/json reader refused is said by apperr.
// web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	// The file as a whole.
	"ingest.refusal.empty":      {"empty file (0 bytes)", "fichier vide (0 octet)"},
	"ingest.refusal.binary":     {"not a text file (binary byte 0x%02x at offset %d)", "ce n’est pas un fichier texte (octet binaire 0x{0} à la position {1})"},
	"ingest.refusal.format":     {"cannot tell the format (not UCDP GED, ACLED, HXL-tagged CSV or GeoJSON); name it with --format", "format non reconnu (ni UCDP GED, ni ACLED, ni CSV balisé HXL, ni GeoJSON)\u00a0: choisissez-le dans la liste « Format » (--format en ligne de commande)"},
	"ingest.refusal.no-events":  {"no events in the file", "aucun événement dans le fichier"},
	"ingest.refusal.duplicate":  {"duplicate id %q (first on line %d)", "identifiant {0} en double (déjà à la ligne {1})"},
	"ingest.refusal.strict":     {"%v (refused by --strict; without it such rows are kept as published and counted)", "{0} (refusé en mode strict\u202f; sinon, ces lignes sont gardées telles que publiées et comptées)"},
	"ingest.refusal.format-arg": {"unknown format %q (want ged, acled, hxl or geojson)", "format inconnu {0} (attendu ged, acled, hxl ou geojson)"},
	"ingest.refusal.flag":       {"%q is not true or false", "{0} n’est ni true ni false"},
	"ingest.refusal.combined":   {"strict and repair cannot be combined", "strict et repair ne peuvent pas aller ensemble"},
	"ingest.refusal.source":     {"a name of at most 100 bytes on one line", "un nom d’au plus 100 octets sur une seule ligne"},

	// CSV files (UCDP GED, ACLED, HXL).
	"ingest.refusal.csv-empty":    {"empty file", "fichier vide"},
	"ingest.refusal.no-header":    {"no header row, and %d columns instead of the %d of the %s layout", "pas de ligne d’en-tête, et {0} colonnes au lieu des {1} du format {2}"},
	"ingest.refusal.acled-layout": {"ACLED export", "export ACLED"},
	"ingest.refusal.malformed":    {"malformed CSV at character %d: %v", "CSV mal formé au caractère {0}\u00a0: {1}"},
	"ingest.refusal.columns":      {"wrong number of columns: %d, the header has %d", "nombre de colonnes incorrect\u00a0: {0}, l’en-tête en a {1}"},
	"ingest.refusal.utf8":         {"not valid UTF-8 text", "ce n’est pas du texte UTF-8 valide"},
	// integrity's and the lexicon's English and French too: said by key.
	"ingest.refusal.whole":        {"%q is not a whole number", "{0} n’est pas un nombre entier"},
	"ingest.refusal.date":         {"%q is not a date (want YYYY-MM-DD)", "{0} n’est pas une date (attendu AAAA-MM-JJ)"},
	"ingest.refusal.ged-column":   {"no %q column in the header (a UCDP GED file needs id, date_start, latitude, longitude, type_of_violence and best)", "pas de colonne {0} dans l’en-tête (un fichier UCDP GED a besoin de id, date_start, latitude, longitude, type_of_violence et best)"},
	"ingest.refusal.ged-date":     {`no "date_start" column (nor year, month and day) in the header`, "pas de colonne « date_start » (ni year, month et day) dans l’en-tête"},
	"ingest.refusal.ged-ymd":      {"year %d month %d day %d is not a date", "année {0}, mois {1}, jour {2}\u00a0: ce n’est pas une date"},
	"ingest.refusal.ged-type":     {"unknown violence type %q (UCDP GED uses 1 state-based, 2 non-state, 3 one-sided)", "type de violence inconnu {0} (UCDP GED utilise 1 state-based, 2 non-state, 3 one-sided)"},
	"ingest.refusal.acled-column": {"no %q column in the header (an ACLED file needs event_id_cnty, event_date, event_type, latitude, longitude and fatalities)", "pas de colonne {0} dans l’en-tête (un fichier ACLED a besoin de event_id_cnty, event_date, event_type, latitude, longitude et fatalities)"},
	"ingest.refusal.acled-type":   {"unknown violence type: ACLED event type %q (want Battles, Violence against civilians, Explosions/Remote violence, Riots, Protests or Strategic developments)", "type de violence inconnu\u00a0: type d’événement ACLED {0} (attendu Battles, Violence against civilians, Explosions/Remote violence, Riots, Protests ou Strategic developments)"},

	// HXL and its coordinates (ParseLat, ParseLon, ParseCoord; what is
	// "latitude" or "longitude", the same word in French).
	"ingest.refusal.hxl-row":         {"no HXL hashtag row (#date, #geo+lat, …) in the first %d rows: the file is not HXL-tagged", "aucune ligne de hashtags HXL (#date, #geo+lat, …) dans les {0} premières lignes\u00a0: le fichier n’est pas balisé en HXL"},
	"ingest.refusal.hxl-date":        {"no #date column: an HXL event file needs #date (or #date+start), #geo+lat and #geo+lon (or #geo+coord)", "pas de colonne #date\u00a0: un fichier d’événements HXL a besoin de #date (ou #date+start), #geo+lat et #geo+lon (ou #geo+coord)"},
	"ingest.refusal.hxl-coords":      {"no #geo+lat and #geo+lon (or #geo+coord) columns: an HXL event file needs coordinates", "pas de colonnes #geo+lat et #geo+lon (ni #geo+coord)\u00a0: un fichier d’événements HXL a besoin de coordonnées"},
	"ingest.refusal.coord-pair":      {"%q is not a coordinate pair (want lat,lon)", "{0} n’est pas une paire de coordonnées (attendu lat,lon)"},
	"ingest.refusal.coord-empty":     {"%s is empty", "{0} vide"},
	"ingest.refusal.coord-range":     {"%s %s outside -%v..%v", "{0} {1} hors de -{2}..{3}"},
	"ingest.refusal.coord-range-q":   {"%s %q outside -%v..%v", "{0} {1} hors de -{2}..{3}"},
	"ingest.refusal.coord-not":       {"%q is not a %s", "{0} n’est pas une {1}"},
	"ingest.refusal.coord-hemis":     {"%q is not a %s (more than one hemisphere letter)", "{0} n’est pas une {1} (plus d’une lettre d’hémisphère)"},
	"ingest.refusal.coord-sign":      {"%q is not a %s (both a sign and a hemisphere)", "{0} n’est pas une {1} (à la fois un signe et un hémisphère)"},
	"ingest.refusal.coord-sexagesim": {"%q is not a %s (minutes and seconds must be below 60)", "{0} n’est pas une {1} (les minutes et les secondes doivent être inférieures à 60)"},

	// GeoJSON.
	"ingest.refusal.geo-object":     {"not a GeoJSON FeatureCollection (want a JSON object)", "ce n’est pas une FeatureCollection GeoJSON (attendu un objet JSON)"},
	"ingest.refusal.geo-fc":         {"%q: want FeatureCollection", "{0}\u00a0: attendu FeatureCollection"},
	"ingest.refusal.geo-array":      {"is not an array", "n’est pas un tableau"},
	"ingest.refusal.geo-json":       {"malformed JSON: %v", "JSON mal formé\u00a0: {0}"},
	"ingest.refusal.geo-eof":        {"unexpected end of file (truncated JSON)", "fin de fichier inattendue (JSON tronqué)"},
	"ingest.refusal.geo-json-type":  {"is %s in JSON, want %s", "est {0} en JSON, attendu {1}"},
	"ingest.refusal.geo-no-type":    {`missing "type": "FeatureCollection"`, `il manque "type": "FeatureCollection"`},
	"ingest.refusal.geo-after":      {"unexpected data after the FeatureCollection: %v", "données inattendues après la FeatureCollection\u00a0: {0}"},
	"ingest.refusal.geo-feature":    {"%q: want Feature", "{0}\u00a0: attendu Feature"},
	"ingest.refusal.geo-null":       {"is null: an event needs a Point", "est null\u00a0: un événement a besoin d’un Point"},
	"ingest.refusal.geo-point":      {"%q: want Point", "{0}\u00a0: attendu Point"},
	"ingest.refusal.geo-lonlat":     {"want [longitude, latitude]", "attendu [longitude, latitude]"},
	"ingest.refusal.geo-coordinate": {"%s is not a number", "{0:qs} n’est pas un nombre"},
	"ingest.refusal.geo-property":   {"is a JSON object or array, want a string or number", "est un objet ou un tableau JSON, attendu une chaîne ou un nombre"},
})

// say is the message key with a, as an error (its English); for an
// English that other catalogs have too (its message then found by key,
// not by format).
func say(key string, a ...any) error {
	return apperr.MustMsg(key, a...).Err()
}

// at is bad input at file:line (0: the file as a whole) in column col
// ("" for none) whose message is err's: "file:line: col: " err, said by
// the catalog when err carries a message.
func at(file string, line int, col string, err error) error {
	return apperr.AtLine(file, line, apperr.FieldErr(apperr.KindInvalid, col, err))
}
