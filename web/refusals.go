package web

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the HTTP edge's own messages (apperr's catalog): a request
// body the JSON decoder refused (decodeJSON, its reason said by apperr's
// JSON words), a body over its limit, a role that may not, a path no route
// answers or a method it does not take, a broadcast id; said in a
// page's language (ui/i18n/refusals.*.json), the English as the API has
// always written it.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.http.invalid-json":   {"invalid JSON: %v", "JSON invalide\u00a0: {0}"},
	"refusal.http.trailing-json":  {"invalid JSON: trailing data after the object", "JSON invalide\u00a0: des données suivent l’objet"},
	"refusal.http.want-json":      {"Content-Type must be application/json", "le Content-Type doit être application/json"},
	"refusal.http.too-large":      {"request body larger than %d bytes", "corps de la requête de plus de {0} octets"},
	"refusal.http.file-too-large": {"file larger than %d bytes", "fichier de plus de {0} octets"},
	"refusal.http.not-multipart":  {"%s: not a multipart form: %v", "{0}\u00a0: pas un formulaire multipart\u00a0: {1}"},
	"refusal.http.one-file":       {"%s: want one file in the form part %q, got %d", "{0}\u00a0: attendu un seul fichier dans la partie {1} du formulaire, reçu {2}"},
	// A service this server was built without (503).
	"refusal.views.cutoff":        {"cutoff: %q is not a month_id from 1 to 2000", "cutoff\u00a0: {0} n’est pas un month_id de 1 à 2000"},
	"refusal.views.cutoff-twice":  {"cutoff: given %d times, want once", "cutoff\u00a0: donné {0} fois, il faut une seule fois"},
	"refusal.views.cutoff-alone":  {"cutoff: given without a features file to forecast the benchmark from", "cutoff\u00a0: donné sans fichier de variables d’où prévoir la référence"},
	"refusal.http.no-contacts":    {"the contacts service is not configured", "le service des contacts n’est pas configuré"},
	"refusal.http.no-integrity":   {"information integrity is not available on this server (it needs the data directory's key)", "l’intégrité de l’information n’est pas disponible sur ce serveur (elle demande la clé du répertoire de données)"},
	"refusal.http.no-performance": {"the performance service is not configured", "le service de performance n’est pas configuré"},
	"refusal.http.no-forecasts":   {"this server does not compute forecasts", "ce serveur ne calcule pas de prévisions"},
	"refusal.http.no-radio":       {"radio scripts are not configured", "les scripts radio ne sont pas configurés"},
	"refusal.http.role":           {"this needs the %s role", "il faut le rôle « {0} »"},
	// A request no route answers, a path or a body the edge refuses.
	"refusal.http.no-route":      {"no such route: %s %s", "aucune route ne répond à {0} {1}"},
	"refusal.http.method":        {"method %s not allowed on %s (allowed: %s)", "méthode {0} non permise sur {1} (permises\u00a0: {2})"},
	"refusal.http.no-file":       {"no such file: %s", "aucun fichier {0}"},
	"refusal.http.not-broadcast": {"not a broadcast id", "ce n’est pas l’identifiant d’une diffusion"},
	"refusal.http.want-csv":      {"Content-Type must be text/csv", "le Content-Type doit être text/csv"},
	"refusal.http.import-large":  {"file larger than %d bytes: split it or use `vigil import`", "fichier de plus de {0} octets\u00a0: découpez-le ou utilisez `vigil import`"},
	"refusal.http.export-large":  {"export larger than %d bytes: split it", "export de plus de {0} octets\u00a0: découpez-le"},
	"refusal.http.lexicon-large": {"lexicon larger than %d bytes", "lexique de plus de {0} octets"},
	"refusal.http.margins-large": {"margins larger than %d bytes", "marges de plus de {0} octets"},
	// A login form whose body cannot be read (too large, a broken escape);
	// Go's reason kept as technical detail.
	"refusal.http.internal":   {"internal error", "erreur interne du serveur"},
	"refusal.http.login-form": {"cannot read the login form: %v", "le formulaire de connexion est illisible (détail technique\u00a0: {0})"},
})
