package coverage_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: the coverage API's month, limit and scenario id
// refusals are said by catalog messages (the API's key and args): English
// the error, French what a French page shows.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	s := &coverage.Service{}
	q := func(v string) url.Values { x, _ := url.ParseQuery(v); return x }
	second := func(_ any, err error) error { return err }
	reached := map[string]bool{}
	for _, c := range []struct {
		name string
		err  error
		fr   string
	}{
		{"no month", second(coverage.MonthParam("month", "")), "month est requis (AAAA-MM)"},
		{"bad month", second(coverage.MonthParam("from", "2019-13")), `from : mois "2019-13" : attendu AAAA-MM`},
		{"limit", second(s.GapQuery(ctx, q("month=latest&limit=0"))), `limit "0" : attendu 1..5000`},
		{"scenario id", second(s.ScenarioByID(ctx, "x")), `l'identifiant de scénario "x" n'est pas un entier positif`},
	} {
		if !apperr.IsInvalid(c.err) {
			t.Errorf("%s: %v is not invalid input", c.name, c.err)
		}
		for _, k := range apperrtest.Said(t, c.name, c.err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, coverage.Refusals, reached)
}
