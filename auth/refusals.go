package auth

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the refusals of logins, credentials and the Administration
// page's users and tokens as catalog messages (apperr.Catalog: the English
// fmt format the error has always been written with, and its French), so
// the pages say them in their language: a request without a valid
// credential (401) or without its CSRF token (403), a user name, role or
// password refused, an admin locking themselves out, a token's name, life
// or owner. A role is said as the pages name it (RoleWord).
// web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	// A request's credential (Authenticate).
	"auth.refusal.login-required":  {"login required", "connexion requise"},
	"auth.refusal.session-expired": {"session expired or ended: log in again", "session expirée ou terminée\u00a0: reconnectez-vous"},
	"auth.refusal.bearer-form":     {"Authorization header must be 'Bearer TOKEN'", "l’en-tête Authorization doit avoir la forme « Bearer JETON »"},
	"auth.refusal.bad-token":       {"invalid, expired or revoked token", "jeton invalide, expiré ou révoqué"},
	"auth.refusal.csrf-missing": {"missing CSRF token (send the X-CSRF-Token header from GET /api/v1/me)",
		"jeton CSRF manquant (envoyez l’en-tête X-CSRF-Token donné par GET /api/v1/me)"},
	"auth.refusal.csrf-wrong": {"wrong CSRF token", "jeton CSRF incorrect"},

	// Users (Administration → Users).
	"auth.refusal.name-empty": {"name is empty", "le nom est vide"},
	"auth.refusal.name-long":  {"name is longer than 64 characters", "le nom dépasse 64 caractères"},
	// The field is named once (by the page, or "name: " by the API); a
	// character one cannot see is said in words (a space) or by its code
	// point (U+0009), never as empty quotes.
	"auth.refusal.name-char":      {"%q: the character at position %d, %q, is not allowed (letters, digits, . _ @ -)", "{0}\u00a0: le caractère en position {1}, {2}, n’est pas permis (lettres, chiffres, . _ @ -)"},
	"auth.refusal.name-unseen":    {"%q: the character at position %d, %v, is not allowed (letters, digits, . _ @ -)", "{0}\u00a0: le caractère en position {1}, {2}, n’est pas permis (lettres, chiffres, . _ @ -)"},
	"auth.refusal.char.space":     {"a space", "une espace"},
	"auth.refusal.role":           {"unknown role %q (want viewer, responder, analyst or admin)", "rôle inconnu {0} (attendu viewer, responder, analyst ou admin)"},
	"auth.refusal.pw-utf8":        {"password is not valid UTF-8", "le mot de passe n’est pas de l’UTF-8 valide"},
	"auth.refusal.pw-short":       {"password must be at least %d characters", "le mot de passe doit compter au moins {0} caractères"},
	"auth.refusal.pw-long":        {"password must be at most %d bytes", "le mot de passe doit faire au plus {0} octets"},
	"auth.refusal.user-exists":    {"a user named %q already exists", "un utilisateur nommé {0} existe déjà"},
	"auth.refusal.no-user":        {"no user named %q", "aucun utilisateur nommé {0}"},
	"auth.refusal.own-disable":    {"you cannot disable your own account", "vous ne pouvez pas désactiver votre propre compte"},
	"auth.refusal.own-admin":      {"you cannot remove your own admin role", "vous ne pouvez pas retirer votre propre rôle d’administrateur"},
	"auth.refusal.user-off":       {"user %s is disabled", "l’utilisateur {0} est désactivé"},
	"auth.refusal.token-other":    {"only an admin can create tokens for another user", "seul un administrateur peut créer des jetons pour un autre utilisateur"},
	"auth.refusal.token-days":     {"ttl_days must be between 0 (no expiry) and %d", "la durée (ttl_days) doit être de 0 (sans expiration) à {0} jours"},
	"auth.refusal.token-long":     {"token name is longer than %d bytes", "le nom du jeton dépasse {0} octets"},
	"auth.refusal.token-name":     {"token name %v", "le nom du jeton {0}"},
	"auth.refusal.no-token":       {"no token %d of yours", "vous n’avez pas de jeton {0}"},
	"auth.refusal.role.viewer":    {"viewer", "lecteur"},
	"auth.refusal.role.responder": {"responder", "intervenant"},
	"auth.refusal.role.analyst":   {"analyst", "analyste"},
	"auth.refusal.role.admin":     {"admin", "administrateur"},
})

// RoleWord is role r as an argument of a refusal's format: a catalog
// message (its English is r, as the API writes it), so a page says the role
// as it names it (web/ui/i18n/*.json role.*); r itself for a role the
// catalog does not know.
func RoleWord(r Role) any {
	return apperr.Word("auth.refusal.role."+string(r), string(r))
}

// unauthenticated is the refusal of a credential by the catalog's key (its
// English the error's text).
func unauthenticated(key string) *Unauthenticated {
	m, _ := apperr.Msg(key)
	return &Unauthenticated{Msg: m.Text("en"), Key: key}
}
