package query

import (
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Refusals are the query parameter checks' messages (apperr's catalog),
// shared by every endpoint that reads its parameters here, so that a page
// says a refused parameter in its language; the English is the API's text.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.query.unknown":    {"unknown parameter %q (allowed: %s)", "paramètre {0} inconnu (permis\u00a0: {1})"},
	"refusal.query.twice":      {"parameter %q given %d times", "paramètre {0} donné {1} fois"},
	"refusal.query.want":       {"%q: want %s", "{0}\u00a0: attendu {1}"},
	"refusal.query.want-or":    {"%q: want %s or %s", "{0}\u00a0: attendu {1} ou {2}"},
	"refusal.query.int":        {"%q %v", "{0} {1}"},
	"refusal.query.not-id":     {"is not an id", "n’est pas un identifiant"},
	"refusal.query.not-count":  {"is not a count", "n’est pas un nombre entier"},
	"refusal.query.between":    {"must be an integer from %d to %d", "doit être un entier de {0} à {1}"},
	"refusal.query.span":       {"must be %d–%d", "doit être de {0} à {1}"},
	"refusal.query.cursor":     {"is not a cursor from a previous answer's next", "n’est pas un curseur donné par le next d’une réponse précédente"},
	"refusal.query.after":      {"is not a positive integer from a previous answer's next", "n’est pas un entier positif donné par le next d’une réponse précédente"},
	"refusal.query.months":     {"must be a whole number of months 1…%d", "doit être un nombre entier de mois de 1 à {0}"},
	"refusal.query.revision":   {"is not a revision number", "n’est pas un numéro de révision"},
	"refusal.query.positive":   {"%q is not a positive integer", "{0} n’est pas un entier positif"},
	"refusal.query.day":        {"%q is not a day (YYYY-MM-DD)", "{0} n’est pas un jour (AAAA-MM-JJ)"},
	"refusal.query.time":       {"%q is not an RFC 3339 time or a YYYY-MM-DD date", "{0} n’est pas une heure RFC 3339 ni une date AAAA-MM-JJ"},
	"refusal.query.month":      {"%q is not a month (YYYY-MM)", "{0} n’est pas un mois (AAAA-MM)"},
	"refusal.query.bool":       {"want 1 or 0", "attendu 1 ou 0"},
	"refusal.query.bytes":      {"at most %d bytes", "au plus {0} octets"},
	"refusal.query.file-name":  {"a file name of at most 200 bytes on one line", "un nom de fichier d’au plus 200 octets sur une seule ligne"},
	"refusal.query.no-country": {"no country named in %q", "aucun pays n’est nommé dans {0}"},
})

// The words of Int's refusals most parameters use.
var (
	NotID    = apperr.Text("is not an id")
	NotCount = apperr.Text("is not a count")
	// NotCursor and NotAfter: a page's cursor (an id, 0 or more; a
	// positive id) that a previous answer gave.
	NotCursor   = apperr.Text("is not a cursor from a previous answer's next")
	NotAfter    = apperr.Text("is not a positive integer from a previous answer's next")
	NotRevision = apperr.Text("is not a revision number")
)

// Between is Int's words for a value that must be an integer from min to
// max.
func Between(min, max int64) error {
	return apperr.Textf("must be an integer from %d to %d", min, max)
}

// Months is Int's words for a number of months from 1 to max.
func Months(max int64) error { return apperr.Textf("must be a whole number of months 1…%d", max) }

// Span is Between written "must be min–max".
func Span(min, max int64) error { return apperr.Textf("must be %d–%d", min, max) }

// Unknown is the refusal of a parameter name not in allowed.
func Unknown(name string, allowed ...string) *apperr.Error {
	return apperr.Say(apperr.KindInvalid, name, "refusal.query.unknown", name, strings.Join(allowed, ", "))
}

// NotPositive is the refusal of field whose value v is not a positive
// integer (an id in a path): `field: "v" is not a positive integer`, as
// the other parameters' refusals name theirs.
func NotPositive(field, v string) *apperr.Error {
	return apperr.Fieldf(apperr.KindInvalid, field, "%q is not a positive integer", v)
}

// Month is the refusal "name: "v" is not a month (YYYY-MM)".
func Month(name, v string) *apperr.Error {
	return apperr.Fieldf(apperr.KindInvalid, name, "%q is not a month (YYYY-MM)", v)
}

// NoCountry is the refusal of a country parameter v that names no country.
func NoCountry(v string) *apperr.Error {
	return apperr.Fieldf(apperr.KindInvalid, "country", "no country named in %q", v)
}
