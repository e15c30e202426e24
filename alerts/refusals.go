package alerts

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are a channel's refusals (creating one, marking a tipline) and
// a gateway URL's (CheckEscalationURL) as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French), so the Administration page says them in its language;
// web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	"alerts.refusal.kind":       {"unknown channel kind %q (want smssync, twilio, webhook or web)", "type de canal inconnu {0} (attendu smssync, twilio, webhook ou web)"},
	"alerts.refusal.too-long":   {"is %d bytes, the limit is %d", "fait {0} octets, la limite est {1}"},
	"alerts.refusal.empty":      {"is empty", "est vide"},
	"alerts.refusal.secret":     {"a %s channel needs %s (gateways must prove who they are)", "un canal {0} a besoin de {1} (les passerelles doivent prouver qui elles sont)"},
	"alerts.refusal.not-one-of": {"%q is not one of %s", "{0} n'est pas l'un de {1}"}, // integrity's French for the same English
	"alerts.refusal.tipline":    {"required (true: a tipline, false: an ordinary alert channel)", "obligatoire (true : une ligne de signalement, false : un canal d'alerte ordinaire)"},
	"alerts.refusal.no-channel": {"no channel %d", "aucun canal {0}"},
	"alerts.refusal.url-parse":  {"the URL does not parse", "l'URL est illisible"},
	"alerts.refusal.url-scheme": {"scheme %q is not allowed: use http or https", "le schéma {0} n'est pas permis : utilisez http ou https"},
	"alerts.refusal.url-host":   {"the URL has no host", "l'URL n'a pas d'hôte"},
})
