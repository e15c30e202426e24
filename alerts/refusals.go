package alerts

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the alert network's refusals as catalog messages
// (apperr.Catalog: the English fmt format the error has always been
// written with, and its French), so the pages say them in their language:
// a channel's (creating one, marking a tipline) and a gateway URL's
// (CheckEscalationURL) on the Administration page; the alert list's, the
// incident queue's and the dashboard's queries; an alert typed into the app
// or the public web form; an incident's triage (status, priority,
// category, location), a move of an alert, a reply to its reporter, a CAP
// publication and an incident turned into an event (the store's refusals
// too: storage uses these messages); "fatalities cannot be negative" is the
// events package's message (events.CheckRefusals).
// web/ui/i18n/refusals.*.json holds
// them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	"alerts.refusal.kind":           {"unknown channel kind %q (want smssync, twilio, webhook or web)", "type de canal inconnu {0} (attendu smssync, twilio, webhook ou web)"},
	"alerts.refusal.too-long":       {"is %d bytes, the limit is %d", "fait {0} octets, la limite est {1}"},
	"alerts.refusal.too-many-chars": {"is %d characters, the limit is %d", "fait {0} caractères, la limite est {1}"},
	"alerts.refusal.not-one-of":     {"%q is not one of %s", "{0} n’est pas l’un de {1}"}, // integrity's French for the same English
	"alerts.refusal.patch-empty": {"give tipline (true: a tipline, false: an ordinary alert channel), lang (en, fr, or \"\" for none) or disabled (true: it takes no message, false: it takes them again)",
		"indiquez tipline (true\u00a0: une ligne de signalement, false\u00a0: un canal d’alerte ordinaire), lang (en, fr, ou \"\" pour aucune) ou disabled (true\u00a0: il ne reçoit plus de messages, false\u00a0: il les reçoit de nouveau)"},
	"alerts.refusal.secret-web":    {"%s is a web form channel: it has no secret (its public form checks a token of its own)", "« {0} » est un canal de formulaire web\u00a0: il n’a pas de secret (son formulaire public vérifie un jeton qui lui est propre)"},
	"alerts.refusal.secret-twilio": {"give the new auth token: Twilio makes it (rotate it in Twilio's console first, then paste it here)", "indiquez le nouveau jeton d’authentification\u00a0: c’est Twilio qui le crée (changez-le d’abord dans la console Twilio, puis collez-le ici)"},
	"alerts.refusal.secret-length": {"a secret is 8 to 200 characters (empty: the server makes one)", "un secret fait de 8 à 200 caractères (vide\u00a0: le serveur en crée un)"},
	"alerts.refusal.secret-missing": {"an SMSSync or webhook channel needs a secret of 8 to 200 characters: gateways must prove who they are",
		"un canal SMSSync ou webhook a besoin d’un secret de 8 à 200 caractères\u00a0: les passerelles doivent prouver qui elles sont"},
	"alerts.refusal.token-missing": {"a Twilio channel needs its auth token: paste it into Twilio auth token (from the Twilio console; Vigil checks each message's signature with it)",
		"un canal Twilio a besoin de son jeton d’authentification\u00a0: collez-le dans « Jeton d’authentification Twilio » (depuis la console Twilio\u202f; Vigil vérifie avec lui la signature de chaque message)"},
	"alerts.refusal.new-secret-length": {"a channel's secret is 8 to 200 characters (Twilio: its auth token)", "le secret d’un canal fait de 8 à 200 caractères (Twilio\u00a0: son jeton d’authentification)"},
	"alerts.refusal.channel-used": {"%s has been used (alerts taken: %d; replies sent: %d; broadcasts carried: %d): removing it would lose the channel they went through. Disable it instead: it takes no more messages and keeps its history",
		"« {0} » a déjà servi (alertes reçues\u00a0: {1}\u202f; réponses envoyées\u00a0: {2}\u202f; diffusions\u00a0: {3})\u00a0: le supprimer ferait perdre le canal par lequel elles sont passées. Désactivez-le plutôt\u00a0: il ne reçoit plus de messages et garde son historique"},
	"alerts.refusal.channel-just-used": {"%s has just been used (a message came in or was queued while it was being removed): it was not removed. Disable it instead: it takes no more messages and keeps its history",
		"« {0} » vient de servir (un message est arrivé ou a été mis en attente d’envoi pendant sa suppression)\u00a0: il n’a pas été supprimé. Désactivez-le plutôt\u00a0: il ne reçoit plus de messages et garde son historique"},
	"alerts.refusal.lang":        {"%q is not a language of the answers to reporters (want en, fr, or \"\" for none)", "{0} n’est pas une langue des réponses aux auteurs d’alertes (attendu en, fr, ou \"\" pour aucune)"},
	"alerts.refusal.no-channel":  {"no channel %d", "aucun canal {0}"},
	"alerts.refusal.url-parse":   {"the URL does not parse", "l’URL est illisible"},
	"alerts.refusal.url-scheme":  {"scheme %q is not allowed: use http or https", "le schéma {0} n’est pas permis\u00a0: utilisez http ou https"},
	"alerts.refusal.url-host":    {"the URL has no host", "l’URL n’a pas d’hôte"},
	"alerts.refusal.url-cloud":   {"host %s is a cloud metadata service: %w", "l’hôte {0} est un service de métadonnées du cloud\u00a0: {1}"},
	"alerts.refusal.url-refused": {"host %s is %s: %w", "l’hôte {0} est {1}\u00a0: {2}"},

	// Queries (the alert list, the incident queue, the dashboard).
	"alerts.refusal.status":    {"unknown status %q", "statut inconnu {0}"},
	"alerts.refusal.not-count": {"%q is not a non-negative integer", "{0} n’est pas un entier positif ou nul"},
	"alerts.refusal.limit":     {"%d is outside 1..%d", "{0} n’est pas entre 1 et {1}"},
	"alerts.refusal.time":      {"%q is not an RFC 3339 time", "{0} n’est pas une date et heure RFC 3339"},
	"alerts.refusal.weeks":     {"must be 1..520", "doit être entre 1 et 520"},

	// An alert (typed into the app, the web form).
	"alerts.refusal.web-channel":      {"unknown web channel %q", "canal web inconnu {0}"},
	"alerts.refusal.channel-disabled": {"%s is disabled: it takes no alerts (Administration → Intake channels)", "« {0} » est désactivé\u00a0: il ne reçoit plus d’alertes (Administration → Canaux de réception)"},
	"alerts.refusal.lat-lon":          {"lat and lon go together", "lat et lon vont ensemble"},
	"alerts.refusal.lat-range":        {"out of range [-90, 90]", "hors de l’intervalle [-90, 90]"},
	"alerts.refusal.lon-range":        {"out of range [-180, 180]", "hors de l’intervalle [-180, 180]"},
	"alerts.refusal.id-other-content": {"alert %d was already recorded with this id, as first sent: these changes were not recorded (send them as a new alert, or add them as a note on its incident)",
		"l’alerte n°\u00a0{0} a déjà été enregistrée avec cet identifiant, telle qu’envoyée la première fois\u00a0: ces modifications n’ont pas été enregistrées (envoyez-les comme une nouvelle alerte, ou ajoutez-les en note à son incident)"},

	// An incident's triage, its alerts and their reporters.
	"alerts.refusal.place-coords":   {"a place or precision needs lat and lon", "un lieu ou une précision demande lat et lon"},
	"alerts.refusal.precision":      {"must be more than 0 and at most 500000 metres", "doit être de plus de 0 et d’au plus 500 000 mètres"},
	"alerts.refusal.coords":         {"coordinates out of range", "coordonnées hors limites"},
	"alerts.refusal.move-status":    {"cannot move from %s to %s", "impossible de passer du statut « {0} » au statut « {1} »"},
	"alerts.refusal.request-reused": {"was already sent with another change to incident %d: send a new change with a new id", "a déjà été envoyé avec une autre modification de l’incident {0}\u00a0: envoyez une nouvelle modification avec un nouvel identifiant"},
	"alerts.refusal.move-required":  {"required (an open incident's id, or 0 for a new incident)", "obligatoire (l’identifiant d’un incident ouvert, ou 0 pour un nouvel incident)"},
	"alerts.refusal.move-id":        {"must be an incident id or 0 for a new incident", "doit être l’identifiant d’un incident ou 0 pour un nouvel incident"},
	"alerts.refusal.same-incident":  {"the alert is already in that incident", "l’alerte est déjà dans cet incident"},
	"alerts.refusal.no-webhook": {"no escalation webhook is set (on Administration → Escalation notices, or by vigil serve --alerts-escalation-url): the notice cannot be posted",
		"aucun webhook de remontée n’est défini (dans Administration → Avis de remontée, ou par vigil serve --alerts-escalation-url)\u00a0: l’avis ne peut pas être envoyé"},
	"alerts.refusal.hook-empty":     {"give the webhook's URL (http or https)", "indiquez l’URL du webhook (http ou https)"},
	"alerts.refusal.hook-long":      {"the URL is longer than %d bytes", "l’URL fait plus de {0} octets"},
	"alerts.refusal.hook-none-here": {"no escalation webhook is set on this page: nothing was removed", "aucun webhook de remontée n’est défini sur cette page\u00a0: rien n’a été supprimé"},
	"alerts.refusal.no-notice":      {"notice %d does not wait to be sent (sent already, or none such)", "l’avis {0} n’attend pas d’être envoyé (déjà envoyé, ou inexistant)"},
	"alerts.refusal.notice-busy": {"notice %d is being sent: nothing was changed; look again in a minute",
		"l’avis {0} est en cours d’envoi\u00a0: rien n’a été modifié\u202f; regardez de nouveau dans une minute"},
	"alerts.refusal.no-incident":     {"incident %d does not exist", "l’incident {0} n’existe pas"},
	"alerts.refusal.incident-status": {"incident %d is %s", "l’incident {0} a le statut « {1} »"},
	"alerts.refusal.escalate-closed": {"incident %d is %s: only an open incident can be escalated", "l’incident {0} a le statut « {1} »\u00a0: seul un incident ouvert peut faire l’objet d’une escalade"},
	"alerts.refusal.no-reporter":     {"no reporter details stored (anonymous or purged by the retention policy)", "aucune coordonnée de la personne qui a signalé n’est conservée (anonyme ou effacée par la politique de conservation)"},
	"alerts.refusal.no-number":       {"this alert has no reporter number (anonymous or purged)", "cette alerte n’a pas de numéro d’expéditeur (anonyme ou effacé)"},
	"alerts.refusal.no-gateway": {"no SMS gateway to send the reply through: add an SMSSync channel (a phone running SMSSync) under Administration → Channels, " +
		"or give a Twilio channel its sending settings (Administration → Channels → Broadcast gateways): the alert’s own for an alert that came in through Twilio, " +
		"any one for an alert sent with the web form",
		"aucune passerelle SMS pour envoyer la réponse\u00a0: ajoutez un canal SMSSync (un téléphone sur lequel tourne SMSSync) dans Administration → Canaux de réception " +
			"ou renseignez les réglages d’envoi d’un canal Twilio (Administration → Canaux → Passerelles de diffusion)\u00a0: celui de l’alerte pour une alerte reçue par Twilio, " +
			"n’importe lequel pour une alerte envoyée avec le formulaire web"},

	// A reply whose alert's channel cannot send it: it is not rerouted
	// through another (Service.Reply).
	"alerts.refusal.reply-disabled": {"%s is disabled: " + notRerouted + "; enable it again to answer (Administration → Intake channels)",
		"«\u202f{0}\u202f» est désactivé\u00a0: " + notReroutedFR + "\u202f; réactivez-le pour répondre (Administration → Canaux de réception)"},
	"alerts.refusal.reply-twilio": {"%s has no sending settings (or its sending is paused): give it its account SID and sender number under Administration → Channels → Broadcast gateways. " + notReroutedUp,
		"«\u202f{0}\u202f» n’a pas de réglages d’envoi (ou son envoi est en pause)\u00a0: renseignez son SID de compte et son numéro d’envoi dans Administration → Canaux → Passerelles de diffusion. " + notReroutedUpFR},
	"alerts.refusal.reply-webhook": {"%s has no outbound URL (or its sending is paused): give it the URL its gateway takes messages at under Administration → Channels → Broadcast gateways. " + notReroutedUp,
		"«\u202f{0}\u202f» n’a pas d’URL d’envoi (ou son envoi est en pause)\u00a0: indiquez l’URL à laquelle sa passerelle prend les messages dans Administration → Canaux → Passerelles de diffusion. " + notReroutedUpFR},

	// A CAP publication, an event.
	"alerts.refusal.cap-lang":       {"CAP is written in en or fr, not %q", "le CAP s’écrit en en ou fr, pas {0}"},
	"alerts.refusal.cap-status":     {"only verified incidents are published (this one is %s)", "seuls les incidents vérifiés sont publiés (celui-ci a le statut « {0} »)"},
	"alerts.refusal.cap-title":      {"set a title before publishing (the reporters' messages are never published)", "donnez un titre avant de publier (les messages des personnes qui signalent ne sont jamais publiés)"},
	"alerts.refusal.event-status":   {"only verified incidents become events (this one is %s)", "seuls les incidents vérifiés deviennent des événements (celui-ci a le statut « {0} »)"},
	"alerts.refusal.event-closed":   {"this incident was closed without being verified", "cet incident a été clos sans avoir été vérifié"},
	"alerts.refusal.event-location": {"the incident has no resolved location: set it first", "l’incident n’a pas de lieu résolu\u00a0: définissez-le d’abord"},
	"alerts.refusal.not-found":      {"not found", "introuvable"},
	"alerts.refusal.not-configured": {"the alert network is not configured on this server", "le réseau d’alerte n’est pas configuré sur ce serveur"},
	"alerts.refusal.no-events":      {"no events store", "aucune base d’événements sur ce serveur"},
	// Administration → Keys: a rotation the server cannot make (crypt).
	"alerts.refusal.keys-env": {"crypt: keys come from %s: put a new key first in that variable to rotate",
		"les clés viennent de la variable d’environnement {0}\u00a0: pour changer de clé, placez une nouvelle clé en tête de cette variable"},
	// The live queue's stream beyond its limit (ErrTooManyStreams).
	"alerts.refusal.streams": {"too many live queue streams open on this server; poll GET /api/v1/alerts instead",
		"trop de flux en direct de la file d’alertes sont ouverts sur ce serveur\u202f; interrogez plutôt GET /api/v1/alerts"},
	"alerts.refusal.retry": {"the database cannot take the message now (busy or read-only): nothing was stored; send it again later",
		"la base de données ne peut pas prendre le message maintenant (occupée ou en lecture seule)\u00a0: rien n’a été enregistré\u202f; renvoyez-le plus tard"},

	// An incident's status, as the pages name it (an argument of the
	// messages above: StatusWord).
	"alerts.refusal.status.received":   {"received", "reçu"},
	"alerts.refusal.status.triaged":    {"triaged", "trié"},
	"alerts.refusal.status.verified":   {"verified", "vérifié"},
	"alerts.refusal.status.unverified": {"unverified", "non vérifiable"},
	"alerts.refusal.status.false":      {"false", "fausse alerte"},
	"alerts.refusal.status.dispatched": {"dispatched", "réponse envoyée"},
	"alerts.refusal.status.resolved":   {"resolved", "résolu"},
	"alerts.refusal.status.closed":     {"closed", "clos"},
})

// StatusWord is status s as an argument of a refusal's format: a catalog
// message (its English is s), so a page says the status in its language;
// s itself for a status the catalog does not know.
func StatusWord(s Status) any {
	return apperr.Word("alerts.refusal.status."+string(s), string(s))
}

// NotFoundSaid is err, a bare "not found" (apperr.ErrNotFound as the store
// answers a missing alert or incident) said by the catalog so the pages say
// it in their language; any other err as it is.
func NotFoundSaid(err error) error {
	if e := apperr.As(err); e == apperr.ErrNotFound && err.Error() == e.Error() {
		return apperr.Say(apperr.KindNotFound, "", "alerts.refusal.not-found")
	}
	return err
}

// wholeRefusal is err (its text, Whole, as apperr.Refuse(kind, field,
// "%v", err) wrote it) said by the catalog's key with a when that message's
// English is err's text (a refusal of another package said in ours).
func wholeRefusal(kind apperr.Kind, field string, err error, key string, a ...any) error {
	if m, ok := apperr.Msg(key, a...); ok && m.Text("en") == err.Error() {
		return apperr.Say(kind, field, key, a...)
	}
	return apperr.Wrap(kind, field, err)
}

// Why a reply is not rerouted through another channel (the reply-*
// refusals): the reporter would get it from a number of the mission they
// do not know, and a WhatsApp reporter may not get an SMS at all.
const (
	notRerouted     = "a reply to its reporter is not sent through another channel (it would come from a number of the mission they do not know, and a WhatsApp reporter may not get an SMS)"
	notReroutedFR   = "une réponse à la personne qui a signalé n’est pas envoyée par un autre canal (elle viendrait d’un numéro de la mission qu’elle ne connaît pas, et une personne qui écrit sur WhatsApp peut ne pas recevoir de SMS)"
	notReroutedUp   = "A reply to its reporter is not sent through another channel: it would come from a number of the mission they do not know, and a WhatsApp reporter may not get an SMS"
	notReroutedUpFR = "Une réponse à la personne qui a signalé n’est pas envoyée par un autre canal\u00a0: elle viendrait d’un numéro de la mission qu’elle ne connaît pas, et une personne qui écrit sur WhatsApp peut ne pas recevoir de SMS"
)
