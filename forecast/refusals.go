package forecast

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the forecast refresh's messages a page can meet (apperr's
// catalog): a refresh asked for while one runs. The model's own errors
// (its data, its invariants) are not a user's input and stay English.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.forecast.running": {"a forecast refresh is already running", "une actualisation des prévisions est déjà en cours"},
})

// refusal is the error of kind whose whole text is the message key of
// Refusals (initialised after them).
func refusal(kind apperr.Kind, key string) *apperr.Error {
	if _, ok := Refusals[key]; !ok {
		panic("forecast: no message " + key)
	}
	return apperr.Say(kind, "", key)
}
