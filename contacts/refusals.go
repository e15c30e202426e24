package contacts

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the package's refusals as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French): a contacts file's rows (placed at their file, line and column),
// a contact's fields, a broadcast's audience and message, a channel's
// sending settings. fieldErr finds a
// message by its format; web/ui/i18n/refusals.*.json holds them for the
// pages.
var Refusals = apperr.Register(apperr.Catalog{
	// A contacts file.
	"contacts.refusal.empty-file": {
		"empty file: want a header row (phone,name,language,groups,place or lat,lon)",
		"fichier vide\u00a0: une ligne d’en-tête est attendue (phone,name,language,groups,place ou lat,lon)",
	},
	"contacts.refusal.unknown-col":   {"unknown column %q (want phone,name,language,groups,place,lat,lon,consent)", "colonne inconnue {0} (attendu phone,name,language,groups,place,lat,lon,consent)"},
	"contacts.refusal.col-twice":     {"column %q twice", "colonne {0} en double"},
	"contacts.refusal.no-phone":      {"no phone column", "pas de colonne phone"},
	"contacts.refusal.lat-lon-cols":  {"lat and lon come together", "lat et lon vont ensemble"},
	"contacts.refusal.fields":        {"wrong number of fields: %d, the header has %d", "nombre de champs incorrect\u00a0: {0}, l’en-tête en a {1}"},
	"contacts.refusal.not-lat-lon-q": {"%q,%q is not a latitude,longitude", "{0},{1} n’est pas une latitude,longitude"},
	"contacts.refusal.too-many":      {"more than %d rows: split the file", "plus de {0} lignes\u00a0: découpez le fichier"},
	"contacts.refusal.no-contacts":   {"no contacts after the header", "aucun contact après l’en-tête"},
	"contacts.refusal.same-number":   {"the same number as %s", "le même numéro qu’en {0}"},
	// A contact.
	"contacts.refusal.phone":          {"%q is not a phone number (digits, spaces, dashes and a leading + only)", "{0} n’est pas un numéro de téléphone (chiffres, espaces, tirets et un + initial seulement)"},
	"contacts.refusal.phone-digits":   {"a phone number has 6 to 15 digits, this one has %d", "un numéro de téléphone a de 6 à 15 chiffres, celui-ci en a {0}"},
	"contacts.refusal.known":          {"this phone number is already a contact", "ce numéro de téléphone est déjà un contact"},
	"contacts.refusal.long-200":       {"longer than 200 bytes", "plus de 200 octets"},
	"contacts.refusal.long-200-chars": {"longer than 200 characters", "plus de 200 caractères"}, // a contact's name, how they agreed
	"contacts.refusal.control":        {"control characters are not allowed", "les caractères de contrôle ne sont pas permis"},
	"contacts.refusal.language":       {"%q is not a language code Vigil knows (%s)", "{0} n’est pas un code de langue que Vigil connaît ({1})"},
	"contacts.refusal.group-long":     {"group %q is longer than 60 bytes", "le groupe {0} dépasse 60 octets"},
	"contacts.refusal.group-chars":    {"group %q: letters, digits, spaces, - and _ only", "groupe {0}\u00a0: lettres, chiffres, espaces, - et _ seulement"},
	"contacts.refusal.consent":        {"say how the person agreed to be messaged (e.g. \"verbal, community meeting\")", "dites comment la personne a accepté de recevoir des messages (par ex. « verbal, réunion communautaire »)"},
	"contacts.refusal.lat-and-lon":    {"give both lat and lon", "donnez lat et lon"},
	"contacts.refusal.not-lat-lon":    {"%v,%v is not a latitude,longitude", "{0},{1} n’est pas une latitude,longitude"},
	"contacts.refusal.no-gazetteer":   {"no gazetteer loaded: give lat and lon instead of %q", "aucun répertoire de lieux chargé\u00a0: donnez lat et lon au lieu de {0}"},
	"contacts.refusal.no-place":       {"no place named %q in the gazetteer: check the spelling or give lat and lon", "aucun lieu nommé {0} dans le répertoire\u00a0: vérifiez l’orthographe ou donnez lat et lon"},
	"contacts.refusal.ambiguous":      {"%d places are named %q, more than 10 km apart: give lat and lon", "{0} lieux s’appellent {1}, à plus de 10 km les uns des autres\u00a0: donnez lat et lon"},
	"contacts.refusal.no-contact":     {"no such contact", "aucun contact avec cet identifiant"},
	"contacts.refusal.opt-in":         {"this contact opted out: to opt them in again, record how the person agreed again", "ce contact s’est désinscrit\u00a0: pour le réinscrire, dites comment la personne a de nouveau accepté"},
	// A broadcast.
	"contacts.refusal.no-broadcast": {"no such broadcast", "aucune diffusion avec cet identifiant"},
	"contacts.refusal.channel":      {"choose the gateway channel to send through", "choisissez le canal de passerelle d’envoi"},
	"contacts.refusal.no-gateway":   {"no gateway ready to send with this id: an SMSSync phone, or a Twilio or webhook channel with its sending settings (Administration → Channels → Broadcast gateways)", "aucune passerelle prête à envoyer avec cet identifiant\u00a0: un téléphone SMSSync, ou un canal Twilio ou webhook avec ses réglages d’envoi (Administration → Canaux → Passerelles de diffusion)"},
	"contacts.refusal.one-audience": {"give one audience: a group, a place with a radius, cells or an admin area", "donnez un seul public\u00a0: un groupe, un lieu avec un rayon, des cellules ou une zone administrative"},
	"contacts.refusal.radius":       {"give a radius between 0 and 500 km", "donnez un rayon entre 0 et 500 km"},
	"contacts.refusal.audience":     {"give a group, a place (or lat,lon) with a radius, cells or an admin area", "donnez un groupe, un lieu (ou lat,lon) avec un rayon, des cellules ou une zone administrative"},
	"contacts.refusal.message":      {"write the message (at least one language)", "écrivez le message (au moins une langue)"},
	"contacts.refusal.message-long": {"longer than %d characters", "plus de {0} caractères"},
	"contacts.refusal.fallback":     {"no message in %q, the fallback language", "aucun message en {0}, la langue de repli"},
	"contacts.refusal.cells":        {"more than %d cells", "plus de {0} cellules"},
	"contacts.refusal.cell":         {"%d is not a PRIO-GRID cell id (1 to 259200)", "{0} n’est pas un identifiant de cellule PRIO-GRID (1 à 259200)"},
	"contacts.refusal.no-admin":     {"no first-level admin area named %q in the gazetteer", "aucune zone administrative de premier niveau nommée {0} dans le répertoire"},
	"contacts.refusal.gazetteer":    {"no gazetteer loaded", "aucun répertoire de lieux chargé"},
	// An audience that reaches no one (422, nothing written).
	"contacts.refusal.empty-group": {"no contact is in the group %q: add some on the Contacts page, or choose another audience",
		"aucun contact dans le groupe {0}\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
	"contacts.refusal.empty-area": {"no contact with a known place is in this area: add some on the Contacts page, or choose another audience",
		"aucun contact dont le lieu est connu n’est dans cette zone\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
	"contacts.refusal.all-opted-out": {"every contact in this audience opted out (%d): no one would receive the broadcast",
		"tous les contacts de ce public se sont désinscrits ({0})\u00a0: personne ne recevrait la diffusion"},
	// A channel's sending settings (SetGateway).
	"contacts.refusal.gw-channel": {"no channel with this id", "aucun canal avec cet identifiant"},
	"contacts.refusal.gw-rate":    {"give a rate between 0.01 and 100 messages per second", "donnez un débit entre 0,01 et 100 messages par seconde"},
	"contacts.refusal.gw-tries":   {"give between 1 and 20 tries per message (0: the server's default)", "donnez entre 1 et 20 essais par message (0\u00a0: la valeur par défaut du serveur)"},
	"contacts.refusal.gw-secret":  {"a secret is 8 to 200 characters", "un secret fait de 8 à 200 caractères"},
	"contacts.refusal.gw-sid":     {"a Twilio account SID is AC followed by 32 letters or digits", "un SID de compte Twilio est AC suivi de 32 lettres ou chiffres"},
	"contacts.refusal.gw-url":     {"give the URL the webhook gateway takes messages at", "donnez l’URL à laquelle la passerelle webhook reçoit les messages"},
	"contacts.refusal.gw-web":     {"a web form channel cannot send messages", "un canal de formulaire web ne peut pas envoyer de messages"},
})

// ErrNotFound is returned for an unknown contact or broadcast (declared
// after Refusals, whose message it says).
var ErrNotFound = apperr.Say(apperr.KindNotFound, "", "contacts.refusal.no-broadcast")

// ErrNoContact is returned for an unknown contact.
var ErrNoContact = apperr.Say(apperr.KindNotFound, "", "contacts.refusal.no-contact")
