package lexicon

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are a lexicon file's refusals as catalog messages (English fmt
// format as the errors always read, French), for a French page to say
// them in French; ReadCSV places each at its file and line (apperr.AtText).
var Refusals = apperr.Catalog{
	"lexicon.refusal.empty-file":   {"empty file: want a header with %s", "fichier vide\u00a0: un en-tête avec {0} est attendu"},
	"lexicon.refusal.no-term":      {"missing column %q", "colonne {0} manquante"},
	"lexicon.refusal.fields":       {"wrong number of fields: %d, header has %d", "nombre de champs incorrect\u00a0: {0}, l’en-tête en a {1}"},
	"lexicon.refusal.empty":        {"empty", "vide"},
	"lexicon.refusal.no-letters":   {"%q has no letters or digits", "{0} n’a ni lettre ni chiffre"},
	"lexicon.refusal.language":     {"%q is not a two-letter code", "{0} n’est pas un code à deux lettres"},
	"lexicon.refusal.severity":     {"%s out of range 1–3", "{0} hors de l’intervalle 1–3"},
	"lexicon.refusal.severity-not": {"%q is not 1–3 or low/medium/high", "{0} n’est ni 1–3 ni low/medium/high"},
	"lexicon.refusal.not-whole":    {"%q is not a whole number", "{0} n’est pas un nombre entier"},
	"lexicon.refusal.repeats":      {"%q repeats line %d", "{0} répète la ligne {1}"},
	"lexicon.refusal.pct-no-code":  {"%d without a meaning_code", "{0} sans meaning_code"},
	"lexicon.refusal.pct":          {"%d is not a percentage 0–100", "{0} n’est pas un pourcentage 0–100"},
	"lexicon.refusal.code":         {"%q is not one of %s, %s", "{0} n’est pas l’un de {1}, {2}"},
}

func init() { apperr.Register(Refusals) }
