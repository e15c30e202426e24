package openrosa

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are this package's refusals of an OpenRosa request (a login, a
// submission's multipart body) as catalog messages (apperr.Catalog: the
// English they have always been written with, and their French), so that
// the server answers ODK Collect in the language its Accept-Language asks
// for. Go's multipart reader says its own part in English, kept as
// technical detail (apperr.Detail: a common cause, as a body cut short,
// also in French words). web/ui/i18n/refusals.*.json holds them too.
var Refusals = apperr.Register(apperr.Catalog{
	// Logins.
	"openrosa.refusal.auth-required": {"authentication required", "authentification requise"},
	"openrosa.refusal.auth-scheme":   {"Authorization must be Digest, Basic or Bearer", "l’en-tête Authorization doit être Digest, Basic ou Bearer"},
	"openrosa.refusal.basic-tls": {"HTTP Basic is accepted only over HTTPS: use Digest authentication, or HTTPS",
		"HTTP Basic n’est accepté qu’en HTTPS\u00a0: utilisez l’authentification Digest, ou HTTPS"},
	"openrosa.refusal.no-digest": {"Digest authentication is not available: use Basic over TLS", "l’authentification Digest n’est pas disponible\u00a0: utilisez Basic en TLS (HTTPS)"},
	"openrosa.refusal.bad-login": {"invalid user name or password", "nom d’utilisateur ou mot de passe incorrect"},
	"openrosa.refusal.rate":      {"too many failed logins: wait a few minutes", "trop de connexions échouées\u00a0: attendez quelques minutes"},
	"openrosa.refusal.stale":     {"nonce expired: retry with the new nonce", "nonce expiré\u00a0: réessayez avec le nouveau nonce"},
	"openrosa.refusal.replay":    {"nonce count already used (replay)", "compteur de nonce déjà utilisé (rejeu)"},

	// A malformed "Authorization: Digest" header (ParseDigest, ParseNC)
	// or one for another realm, request or server (Verify).
	"openrosa.refusal.digest-long":       {"Authorization: header longer than %d bytes", "en-tête Authorization\u00a0: plus de {0} octets"},
	"openrosa.refusal.digest-scheme":     {"Authorization: scheme is not Digest", "en-tête Authorization\u00a0: le schéma n’est pas Digest"},
	"openrosa.refusal.digest-missing":    {"Authorization: Digest parameter %s is missing", "en-tête Authorization\u00a0: le paramètre Digest {0} manque"},
	"openrosa.refusal.digest-algorithm":  {"Authorization: algorithm %q is not supported (want MD5)", "en-tête Authorization\u00a0: l’algorithme {0} n’est pas pris en charge (attendu MD5)"},
	"openrosa.refusal.digest-qop":        {"Authorization: qop %q is not supported (want auth)", "en-tête Authorization\u00a0: qop {0} n’est pas pris en charge (attendu auth)"},
	"openrosa.refusal.digest-response":   {"Authorization: response is not 32 hex digits", "en-tête Authorization\u00a0: response n’est pas fait de 32 chiffres hexadécimaux"},
	"openrosa.refusal.digest-empty":      {"Authorization: username, cnonce and uri must not be empty", "en-tête Authorization\u00a0: username, cnonce et uri ne doivent pas être vides"},
	"openrosa.refusal.digest-nc":         {"Authorization: nc %q is not 8 hex digits", "en-tête Authorization\u00a0: nc {0} n’est pas fait de 8 chiffres hexadécimaux"},
	"openrosa.refusal.digest-nc-zero":    {"Authorization: nc %q is not 8 hex digits above zero", "en-tête Authorization\u00a0: nc {0} n’est pas fait de 8 chiffres hexadécimaux au-dessus de zéro"},
	"openrosa.refusal.digest-no-value":   {"Authorization: Digest parameter %q has no value", "en-tête Authorization\u00a0: le paramètre Digest {0} n’a pas de valeur"},
	"openrosa.refusal.digest-unquoted":   {"Authorization: Digest parameter %s: unterminated quoted value", "en-tête Authorization\u00a0: paramètre Digest {0}\u00a0: guillemet fermant manquant"},
	"openrosa.refusal.digest-twice":      {"Authorization: Digest parameter %s given twice", "en-tête Authorization\u00a0: paramètre Digest {0} donné deux fois"},
	"openrosa.refusal.digest-comma":      {"Authorization: Digest parameter %s: expected ',' after its value", "en-tête Authorization\u00a0: paramètre Digest {0}\u00a0: une virgule est attendue après sa valeur"},
	"openrosa.refusal.digest-realm":      {"Authorization: realm does not match", "en-tête Authorization\u00a0: le realm ne correspond pas"},
	"openrosa.refusal.digest-uri":        {"Authorization: uri does not match the request", "en-tête Authorization\u00a0: uri ne correspond pas à la requête"},
	"openrosa.refusal.digest-opaque":     {"Authorization: opaque does not match", "en-tête Authorization\u00a0: opaque ne correspond pas"},
	"openrosa.refusal.digest-nonce-full": {"too many live nonces", "trop de nonces en cours"},

	// A submission's body.
	"openrosa.refusal.want-multipart": {"Content-Type must be multipart/form-data with the xml_submission_file part",
		"le Content-Type doit être multipart/form-data avec la partie xml_submission_file"},
	"openrosa.refusal.no-boundary":    {"multipart Content-Type without a boundary", "Content-Type multipart sans délimiteur (boundary)"},
	"openrosa.refusal.malformed":      {"malformed multipart body: %s", "corps multipart mal formé (détail technique\u00a0: {0})"},
	"openrosa.refusal.two-xml":        {"more than one xml_submission_file part", "plus d’une partie xml_submission_file"},
	"openrosa.refusal.twice":          {"attachment %s: sent twice", "pièce jointe {0}\u00a0: envoyée deux fois"},
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

// said is the catalog message key (one without arguments) as an error
// whose text is its English (this package's sentinels: ErrDigestRealm…).
func said(key string) error {
	_ = Refusals // registered before any sentinel is made
	return apperr.MustMsg(key).Err()
}

// TooLarge refuses a submission larger than n bytes (413).
func TooLarge(n int64) error {
	return refusal(apperr.KindTooLarge, "openrosa.refusal.too-large", n)
}
