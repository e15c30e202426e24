package openrosa

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are this package's refusals of an OpenRosa request (a login, a
// submission's multipart body) as catalog messages (apperr.Catalog: the
// English they have always been written with, and their French), so that
// the server answers ODK Collect in the language its Accept-Language asks
// for. Go's multipart reader says its own part in English, kept as
// technical detail. web/ui/i18n/refusals.*.json holds them too.
var Refusals = apperr.Register(apperr.Catalog{
	// Logins.
	"openrosa.refusal.auth-required": {"authentication required", "authentification requise"},
	"openrosa.refusal.auth-scheme":   {"Authorization must be Digest, Basic or Bearer", "l’en-tête Authorization doit être Digest, Basic ou Bearer"},
	"openrosa.refusal.basic-tls": {"HTTP Basic is accepted only over HTTPS: use Digest authentication, or HTTPS",
		"HTTP Basic n’est accepté qu’en HTTPS : utilisez l’authentification Digest, ou HTTPS"},
	"openrosa.refusal.no-digest": {"Digest authentication is not available: use Basic over TLS", "l’authentification Digest n’est pas disponible : utilisez Basic en TLS (HTTPS)"},
	"openrosa.refusal.bad-login": {"invalid user name or password", "nom d’utilisateur ou mot de passe incorrect"},
	"openrosa.refusal.rate":      {"too many failed logins: wait a few minutes", "trop de connexions échouées : attendez quelques minutes"},
	"openrosa.refusal.stale":     {"nonce expired: retry with the new nonce", "nonce expiré : réessayez avec le nouveau nonce"},

	// A submission's body.
	"openrosa.refusal.want-multipart": {"Content-Type must be multipart/form-data with the xml_submission_file part",
		"le Content-Type doit être multipart/form-data avec la partie xml_submission_file"},
	"openrosa.refusal.no-boundary":    {"multipart Content-Type without a boundary", "Content-Type multipart sans délimiteur (boundary)"},
	"openrosa.refusal.malformed":      {"malformed multipart body: %s", "corps multipart mal formé (détail technique : {0})"},
	"openrosa.refusal.two-xml":        {"more than one xml_submission_file part", "plus d’une partie xml_submission_file"},
	"openrosa.refusal.twice":          {"attachment %s: sent twice", "pièce jointe {0} : envoyée deux fois"},
	"openrosa.refusal.attachments":    {"more than %d attachments", "plus de {0} pièces jointes"},
	"openrosa.refusal.no-xml":         {"missing the xml_submission_file part", "la partie xml_submission_file manque"},
	"openrosa.refusal.empty-xml":      {"xml_submission_file is empty", "xml_submission_file est vide"},
	"openrosa.refusal.too-large":      {"submission larger than %d bytes", "soumission de plus de {0} octets"},
	"openrosa.refusal.part-too-large": {"part %q larger than %d bytes", "partie {0} de plus de {1} octets"},
	"openrosa.refusal.file-name":      {"attachment file name %q is not a plain file name", "le nom de fichier de pièce jointe {0} n’est pas un simple nom de fichier"},
})

// refusal is an error of kind whose whole text is the message key with a.
func refusal(kind apperr.Kind, key string, a ...any) error {
	return apperr.Say(kind, "", key, a...)
}

// TooLarge refuses a submission larger than n bytes (413).
func TooLarge(n int64) error {
	return refusal(apperr.KindTooLarge, "openrosa.refusal.too-large", n)
}
