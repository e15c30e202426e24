package query_test

import (
	"math"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/query"
)

// TestRefusalMessages: every refusal of the shared parameter checks
// carries its whole text as a catalog message (the API's key and args):
// its English is the error, its French the text a French page shows.
func TestRefusalMessages(t *testing.T) {
	qs := func(s string) url.Values { q, _ := url.ParseQuery(s); return q }
	reached := map[string]bool{}
	for _, c := range []struct {
		name string
		err  error
		fr   string
	}{
		{"unknown", query.Check(qs("z=1"), "a", "b"), "paramètre «\u202fz\u202f» inconnu (permis\u00a0: a, b)"},
		{"twice", query.Once(qs("a=1&a=2")), "paramètre «\u202fa\u202f» donné 2 fois"},
		{"choice of one", second(query.Choice(qs("f=x"), "f", "csv")), "f\u00a0: «\u202fx\u202f»\u00a0: attendu csv"},
		{"choice", second(query.Choice(qs("lang=de"), "lang", "en", "fr")), "lang\u00a0: «\u202fde\u202f»\u00a0: attendu en ou fr"},
		{"choice of three", second(query.Choice(qs("f=x"), "f", "html", "pdf", "json")), "f\u00a0: «\u202fx\u202f»\u00a0: attendu html, pdf ou json"},
		{"id", second(query.Int(qs("n=x"), "n", 0, 0, 10, query.NotID)), "n\u00a0: «\u202fx\u202f» n’est pas un identifiant"},
		{"count", second(query.Int(qs("n=-1"), "n", 0, 0, 10, query.NotCount)), "n\u00a0: «\u202f-1\u202f» n’est pas un nombre entier"},
		{"between", second(query.Int(qs("limit=0"), "limit", 1, 1, 500, query.Between(1, 500))), "limit\u00a0: «\u202f0\u202f» doit être un entier de 1 à 500"},
		{"span", second(query.Int(qs("limit=x"), "limit", 1, 1, 10000, query.Span(1, 10000))), "limit\u00a0: «\u202fx\u202f» doit être de 1 à 10000"},
		{"months", second(query.Int(qs("horizon=0"), "horizon", 1, 1, 36, query.Months(36))), "horizon\u00a0: «\u202f0\u202f» doit être un nombre entier de mois de 1 à 36"},
		{"cursor", second(query.Int(qs("cursor=-1"), "cursor", 0, 0, math.MaxInt64, query.NotCursor)), "cursor\u00a0: «\u202f-1\u202f» n’est pas un curseur donné par le next d’une réponse précédente"},
		{"after", second(query.Int(qs("cursor=0"), "cursor", 0, 1, math.MaxInt64, query.NotAfter)), ""},
		{"revision", second(query.Int(qs("revision=r"), "revision", -1, 0, math.MaxInt, query.NotRevision)), "revision\u00a0: «\u202fr\u202f» n’est pas un numéro de révision"},
		{"day", second(query.Day(qs("d=2023-02-29"), "d")), "d\u00a0: «\u202f2023-02-29\u202f» n’est pas un jour (AAAA-MM-JJ)"},
		{"time", second(query.Time(qs("since=yesterday"), "since")), "since\u00a0: «\u202fyesterday\u202f» n’est pas une heure RFC 3339 ni une date AAAA-MM-JJ"},
		{"bool", second(query.Bool(qs("h=yes"), "h")), "h\u00a0: attendu 1 ou 0"},
		{"text", second(query.Text(qs("s=abc"), "s", 2)), "s\u00a0: au plus 2 octets"},
		{"file name", second(query.FileName(qs("name=a%0Ab"), "x")), "name\u00a0: un nom de fichier d’au plus 200 octets sur une seule ligne"},
		{"positive", query.NotPositive("id", "x"), "id\u00a0: «\u202fx\u202f» n’est pas un entier positif"},
		{"month", query.Month("from", "2019-13"), "from\u00a0: «\u202f2019-13\u202f» n’est pas un mois (AAAA-MM)"},
		{"country", query.NoCountry(" , "), "country\u00a0: aucun pays n’est nommé dans «\u202f , \u202f»"},
	} {
		if !apperr.IsInvalid(c.err) {
			t.Errorf("%s: %v is not invalid input", c.name, c.err)
		}
		for _, k := range apperrtest.Said(t, c.name, c.err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, query.Refusals, reached)
}

func second[T any](_ T, err error) error { return err }
