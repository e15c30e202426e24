package coverage

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are messages of the coverage API's parameter checks (apperr's
// catalog; badInput says them), so that a page says them in its language.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.coverage.month-required": {"%s is required (YYYY-MM)", "{0} est requis (AAAA-MM)"},
	"refusal.coverage.limit":          {"limit %q: want 1..5000", "limit {0} : attendu 1..5000"},
	"refusal.coverage.scenario-id":    {"scenario id %q is not a positive integer", "l'identifiant de scénario {0} n'est pas un entier positif"},
})
