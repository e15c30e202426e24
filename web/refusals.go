package web

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the HTTP edge's own messages (apperr's catalog): a request
// body the JSON decoder refused (decodeJSON, its reason said by apperr's
// JSON words), a body over its limit, a role that may not; said in a
// page's language (ui/i18n/refusals.*.json), the English as the API has
// always written it.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.http.invalid-json":   {"invalid JSON: %v", "JSON invalide : {0}"},
	"refusal.http.trailing-json":  {"invalid JSON: trailing data after the object", "JSON invalide : des données suivent l'objet"},
	"refusal.http.want-json":      {"Content-Type must be application/json", "le Content-Type doit être application/json"},
	"refusal.http.too-large":      {"request body larger than %d bytes", "corps de la requête de plus de {0} octets"},
	"refusal.http.file-too-large": {"file larger than %d bytes", "fichier de plus de {0} octets"},
	"refusal.http.not-multipart":  {"%s: not a multipart form: %v", "{0} : pas un formulaire multipart : {1}"},
	"refusal.http.one-file":       {"%s: want one file in the form part %q, got %d", "{0} : attendu un seul fichier dans la partie {1} du formulaire, reçu {2}"},
	// A service this server was built without (503).
	"refusal.http.no-contacts":    {"the contacts service is not configured", "le service des contacts n'est pas configuré"},
	"refusal.http.no-integrity":   {"information integrity is not available on this server (it needs the data directory's key)", "l'intégrité de l'information n'est pas disponible sur ce serveur (elle demande la clé du répertoire de données)"},
	"refusal.http.no-performance": {"the performance service is not configured", "le service de performance n'est pas configuré"},
	"refusal.http.no-surveys":     {"surveys are not configured on this server", "les enquêtes ne sont pas configurées sur ce serveur"},
	"refusal.http.no-forecasts":   {"this server does not compute forecasts", "ce serveur ne calcule pas de prévisions"},
	"refusal.http.no-radio":       {"radio scripts are not configured", "les scripts radio ne sont pas configurés"},
	"refusal.http.role":           {"this needs the %s role", "il faut le rôle « {0} »"},
})
