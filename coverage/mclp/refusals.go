package mclp

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are Validate's messages a planner's request can meet (its p,
// budget and candidate sites' costs; apperr's catalog), so that the
// Coverage page says them in its language; the English is the error's
// text as it always was. The checks of a problem's own consistency (ids,
// coverage lists, weights) are the caller's mistakes and stay English.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.mclp.cost":        {"mclp: site %s: cost %v must be a finite number ≥ 0", "mclp\u00a0: site {0}\u00a0: le coût {1} doit être un nombre fini ≥ 0"},
	"refusal.mclp.p":           {"mclp: p = %d: must be ≥ 0", "mclp\u00a0: p = {0}\u00a0: doit être ≥ 0"},
	"refusal.mclp.budget":      {"mclp: budget %v: must be a finite number ≥ 0", "mclp\u00a0: budget {0}\u00a0: doit être un nombre fini ≥ 0"},
	"refusal.mclp.nothing":     {"mclp: give p > 0 new sites, a budget > 0, or both", "mclp\u00a0: indiquez p > 0 nouveaux sites, un budget > 0, ou les deux"},
	"refusal.mclp.p-too-large": {"mclp: p = %d is larger than the %d candidate sites that are not fixed", "mclp\u00a0: p = {0} dépasse le nombre de sites candidats non fixés ({1})"},
	"refusal.mclp.no-free":     {"mclp: no candidate sites (all sites are fixed)", "mclp\u00a0: aucun site candidat (tous les sites sont fixés)"},
	"refusal.mclp.infeasible":  {"mclp: budget %v is infeasible: the cheapest candidate site costs %v", "mclp\u00a0: le budget {0} ne suffit pas\u00a0: le site candidat le moins cher coûte {1}"},
})
