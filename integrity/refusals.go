package integrity

import (
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Refusals are the package's refusals as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French), so that a French page says them in French: item and intake
// checks, an export's line-numbered problems, feeds, the lexicon, the
// verification workflow. fieldErr and apperr.Textf find a message by its
// format; web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	// A broadcast that answers a check (check_broadcast.go).
	"integrity.refusal.broadcast-give":    {"give the broadcast to link (its id), or the one to send", "donnez la diffusion à lier (son numéro), ou celle à envoyer"},
	"integrity.refusal.broadcast-check":   {"a broadcast answers a check in progress (this one is %s)", "une diffusion répond à une vérification en cours (celle-ci est à l’état {0})"},
	"integrity.refusal.broadcast-other":   {"broadcast %d already answers the check of narrative %d", "la diffusion {0} répond déjà à la vérification du récit {1}"},
	"integrity.refusal.broadcast-unknown": {"no broadcast %d", "aucune diffusion {0}"},
	// Text fields (checkText, checkLine).
	"integrity.refusal.required":     {"is required", "est requis"},
	"integrity.refusal.required-id":  {"is required (re-importing updates the item with the same source and id)", "est requis (réimporter met à jour le contenu de même source et même identifiant)"},
	"integrity.refusal.too-long":     {"is %d characters long; at most %d", "fait {0} caractères\u202f; au plus {1}"},
	"integrity.refusal.not-utf8":     {"is not valid UTF-8", "n’est pas de l’UTF-8 valide"},
	"integrity.refusal.control":      {"holds a control character (U+%04X)", "contient un caractère de contrôle (U+{0})"},
	"integrity.refusal.one-line":     {"must be on one line", "doit tenir sur une ligne"},
	"integrity.refusal.not-one-of":   {"%q is not one of %s", "{0} n’est pas l’un de {1}"},
	"integrity.refusal.lang":         {"%q is not a two-letter language code", "{0} n’est pas un code de langue à deux lettres"},
	"integrity.refusal.future":       {"%s is in the future", "{0} est dans le futur"},
	"integrity.refusal.before-1990":  {"%s is before 1990", "{0} est antérieur à 1990"},
	"integrity.refusal.count":        {"%d is not a count (0 to 10¹²)", "{0} n’est pas un nombre (0 à 10¹²)"},
	"integrity.refusal.lat-lon":      {"give both lat and lon or neither", "donnez lat et lon ensemble, ou aucun des deux"},
	"integrity.refusal.latitude":     {"%v is not a latitude", "{0} n’est pas une latitude"},
	"integrity.refusal.longitude":    {"%v is not a longitude", "{0} n’est pas une longitude"},
	"integrity.refusal.place-name":   {"a place with coordinates needs its name (places are shown by name)", "un lieu avec des coordonnées demande son nom (les lieux sont affichés par leur nom)"},
	"integrity.refusal.media":        {"%d links; at most %d", "{0} liens\u202f; au plus {1}"},
	"integrity.refusal.url":          {"%q is not an http(s) URL", "{0} n’est pas une URL http(s)"},
	"integrity.refusal.format":       {"%q is not csv or jsonl", "{0} n’est ni csv ni jsonl"},
	"integrity.refusal.not-whole":    {"%q is not a whole number", "{0} n’est pas un nombre entier"},
	"integrity.refusal.not-date":     {"%q is not a date (want e.g. 2024-03-01T14:05:00Z or 2024-03-01 14:05)", "{0} n’est pas une date (attendu par ex. 2024-03-01T14:05:00Z ou 2024-03-01 14:05)"},
	"integrity.refusal.not-day":      {"%s is not a day of the data (1990 to today)", "{0} n’est pas un jour des données (1990 à aujourd’hui)"},
	"integrity.refusal.window-order": {"%s is after to (%s)", "{0} est après to ({1})"},
	"integrity.refusal.window-year":  {"the window is longer than a year", "la fenêtre dépasse un an"},
	// An export's problems (ReadExport), each at its line.
	"integrity.refusal.at-line-json":  {"%s:%d: %s: %v", "fichier {0}, ligne {1}, champ {2}\u00a0: {3}"},
	"integrity.refusal.too-many-rows": {"more than %d rows: split the file", "plus de {0} lignes\u00a0: découpez le fichier"},
	"integrity.refusal.empty-export":  {"empty file: want a header row", "fichier vide\u00a0: une ligne d’en-tête est attendue"},
	"integrity.refusal.no-column":     {"the header has no column for %v", "l’en-tête n’a pas de colonne pour {0}"},
	"integrity.refusal.no-column-but": {"the header has no column for %v (columns not recognised: %s)", "l’en-tête n’a pas de colonne pour {0} (colonnes non reconnues\u00a0: {1})"},
	"integrity.refusal.col-text":      {"text (or message, content, full text …)", "text (ou message, content, full text …)"},
	"integrity.refusal.col-id":        {"id (or url)", "id (ou url)"},
	"integrity.refusal.col-source":    {"source (or platform …; or give the export's source)", "source (ou platform …\u202f; ou indiquez la source de l’export)"},
	"integrity.refusal.comma":         {"%v, %v", "{0}, {1}"},
	"integrity.refusal.csv-column":    {"column %d: %v", "colonne {0}\u00a0: {1}"},
	"integrity.refusal.csv-record":    {"record from line %d: column %d: %v", "enregistrement commencé ligne {0}\u00a0: colonne {1}\u00a0: {2}"},
	"integrity.refusal.not-json":      {"not a JSON object: %v", "pas un objet JSON\u00a0: {0}"},
	"integrity.refusal.two-json":      {"more than one JSON value on the line", "plus d’une valeur JSON sur la ligne"},
	"integrity.refusal.long-line":     {"line longer than %d bytes", "ligne de plus de {0} octets"},
	"integrity.refusal.no-rows":       {"no rows", "aucune ligne"},
	// A pass over the stored items (re-scoring, re-matching) that stopped.
	"integrity.refusal.pass-error": {"the server could not read or write the stored items: %v",
		"le serveur n’a pas pu lire ou écrire les contenus enregistrés\u202f; réessayez plus tard et, si l’échec se répète, signalez-le à un administrateur (détail technique\u00a0: {0})"},
	"integrity.refusal.model-unreadable": {"integrity: model %d: %w",
		"le modèle {0} enregistré est illisible\u202f; activez un autre modèle ou le modèle intégré (détail technique\u00a0: {1})"},
	// Feeds.
	"integrity.refusal.feed-forbidden": {"%s is %s: refused", "{0} est {1}\u00a0: refusé"},
	"integrity.refusal.feed-every":     {"%d is not between %d and %d minutes", "{0} n’est pas entre {1} et {2} minutes"},
	"integrity.refusal.feeds-max":      {"%d feeds already; at most %d", "déjà {0} flux\u202f; au plus {1}"},
	"integrity.refusal.feed-large":     {"%s: larger than %d bytes", "{0}\u00a0: plus de {1} octets"},
	"integrity.refusal.feed-not":       {"%s:%d: not an RSS or Atom feed: %v", "{0}, ligne {1}\u00a0: pas un flux RSS ou Atom\u00a0: {2}"},
	"integrity.refusal.feed-root":      {"%s:1: <%s> is not an RSS or Atom feed", "{0}, ligne 1\u00a0: <{1}> n’est pas un flux RSS ou Atom"},
	"integrity.refusal.feed-date":      {"%s: entry %d: date: %v", "{0}\u00a0: entrée {1}\u00a0: date\u00a0: {2}"},
	"integrity.refusal.feed-entry":     {"%s: entry %d: %v", "{0}\u00a0: entrée {1}\u00a0: {2}"},
	"integrity.refusal.feed-http":      {"feed %s: HTTP %s", "le serveur du flux {0} a répondu HTTP {1}"},
	"integrity.refusal.feed-timeout":   {"feed %s: timed out: %w", "le flux {0} n’a pas répondu à temps\u202f; il sera interrogé de nouveau à la prochaine échéance (détail technique\u00a0: {1})"},
	"integrity.refusal.feed-cut":       {"feed %s: timed out before the whole feed arrived", "flux {0}\u00a0: délai dépassé avant l’arrivée du flux entier"},
	"integrity.refusal.feed-failed":    {"feed %s: %w", "l’interrogation du flux {0} a échoué (détail technique\u00a0: {1})"},
	"integrity.refusal.feed-xml":       {"XML syntax error on line %d: %v", "XML mal formé à la ligne {0} (détail technique\u00a0: {1})"},
	"integrity.refusal.feed-short":     {"%s: the feed stopped before its end: %v", "{0}\u00a0: le flux s’est arrêté avant sa fin (détail technique\u00a0: {1})"},
	"integrity.refusal.feed-not-date":  {"%q is not a date (want e.g. Mon, 02 Jan 2006 15:04:05 GMT or 2006-01-02T15:04:05Z)", "{0} n’est pas une date (attendu par ex. Mon, 02 Jan 2006 15:04:05 GMT ou 2006-01-02T15:04:05Z)"},
	"integrity.refusal.feed-zone":      {"a named time zone other than GMT or UTC", "un fuseau horaire nommé autre que GMT ou UTC"},
	// Narratives.
	"integrity.refusal.name":          {"give the narrative's name", "donnez le nom du récit"},
	"integrity.refusal.merge-from":    {"give the narrative to merge in", "donnez le récit à fusionner"},
	"integrity.refusal.at-most":       {"at most %d", "au plus {0}"},
	"integrity.refusal.at-most-bytes": {"at most %d bytes", "au plus {0} octets"},
	"integrity.refusal.merge-self":    {"cannot merge a narrative into itself", "un récit ne peut pas être fusionné avec lui-même"},
	"integrity.refusal.merged":        {"narrative %d was already merged into %d", "le récit {0} a déjà été fusionné dans {1}"},
	"integrity.refusal.split-none":    {"name at least one item to split off", "nommez au moins un contenu à séparer"},
	// The store's (storage/integrity*.go): a term renamed to another's
	// words, a check changed meanwhile, a feed added twice.
	"integrity.refusal.no-factcheck":  {"no such fact-check", "aucune vérification publiée à cette adresse"},
	"integrity.refusal.term-taken":    {"%q (%s) is already term %d", "{0} ({1}) est déjà le terme {2}"},
	"integrity.refusal.check-changed": {"someone else changed this check: reload it", "quelqu’un d’autre a modifié cette vérification\u00a0: rechargez-la"},
	"integrity.refusal.feed-taken":    {"this feed is already polled", "ce flux est déjà interrogé"},
	"integrity.refusal.split-not-in":  {"item %d is not in narrative %d", "le contenu {0} n’est pas dans le récit {1}"},
	"integrity.refusal.split-all":     {"that is every item of narrative %d: nothing would stay", "ce sont tous les contenus du récit {0}\u00a0: il n’en resterait aucun"},
	// The lexicon.
	"integrity.refusal.variant-pipe": {"%q holds '|', the variant separator", "{0} contient « | », le séparateur des variantes"},
	"integrity.refusal.severity":     {"%d is not 1 (low), 2 (medium) or 3 (high)", "{0} n’est pas 1 (faible), 2 (moyenne) ou 3 (élevée)"},
	"integrity.refusal.terms-max":    {"%d terms; at most %d", "{0} termes\u202f; au plus {1}"},
	"integrity.refusal.entry":        {"entry %d: %v", "entrée {0}\u00a0: {1}"},
	// Labels and models.
	"integrity.refusal.no-training":    {"retraining needs the built-in model's training data on this server: start vigil serve with --mdmh-data DIR (the directory of %s)", "le réentraînement demande les données d’entraînement du modèle intégré sur ce serveur\u00a0: lancez vigil serve avec --mdmh-data DIR (le dossier de {0})"},
	"integrity.refusal.training":       {"a model is already being trained", "un modèle est déjà en cours d’entraînement"},
	"integrity.refusal.fixed-model":    {"this server scores with a model given at start-up", "ce serveur note avec un modèle donné au démarrage"},
	"integrity.refusal.label":          {"%q is not harmful or normal (not harmful)", "{0} n’est ni harmful ni normal (non nuisible)"},
	"integrity.refusal.label-class":    {"a class of harm is only for items labelled harmful", "un type de contenu nuisible ne peut être indiqué que pour un contenu étiqueté nuisible"},
	"integrity.refusal.labels-few":     {"retraining needs at least %d items labelled harmful and %d labelled not harmful; there are %d and %d", "le réentraînement demande au moins {0} contenus étiquetés nuisibles et {1} non nuisibles\u202f; il y en a {2} et {3}"},
	"integrity.refusal.label-required": {"is required: harmful, normal, or \"\" to remove the label", "est requis\u00a0: harmful, normal, ou « » (vide) pour retirer l’étiquette"},
	"integrity.refusal.item-id":        {"%d is not an item id", "{0} n’est pas un identifiant de contenu"},
	"integrity.refusal.model-required": {"is required: a model id (0: the built-in model)", "est requis\u00a0: un identifiant de modèle (0\u00a0: le modèle intégré)"},
	"integrity.refusal.model-id":       {"%d is not a model id (0: the built-in model)", "{0} n’est pas un identifiant de modèle (0\u00a0: le modèle intégré)"},
	// The verification workflow.
	"integrity.refusal.no-checks":      {"verification needs a store that keeps checks", "la vérification demande un stockage qui garde les vérifications"},
	"integrity.refusal.no-replier":     {"answers need the alert network and the contacts (the data directory's key)", "les réponses demandent le réseau d’alerte et les contacts (la clé du dossier de données)"},
	"integrity.refusal.rating-move":    {"a rating is given with the move to %q", "une note est donnée avec le passage à {0}"},
	"integrity.refusal.assignee":       {"%q is not an enabled analyst or administrator (the people a check may be given to)", "{0} n’est pas un analyste ou un administrateur actif (les personnes à qui une vérification peut être confiée)"},
	"integrity.refusal.one-step":       {"give one step: state, claim, assignee, deadline, note or evidence", "donnez une seule étape\u00a0: state, claim, assignee, deadline, note ou evidence"},
	"integrity.refusal.transition":     {"a check cannot go from %s to %s (allowed: %s)", "une vérification ne peut pas passer de l’état {0} à l’état {1} (états permis\u00a0: {2})"},
	"integrity.refusal.publish-first":  {"publish the fact-check before marking the claim responded", "publiez la vérification avant de marquer l’affirmation comme traitée"},
	"integrity.refusal.response-how":   {"say how the claim was answered (e.g. %q): the fact-check's answer was sent to no tipline sender", "dites comment la réponse a été donnée (par ex. {0})\u00a0: la réponse de la vérification n’a été envoyée à aucune personne qui a signalé la rumeur"},
	"integrity.refusal.response-move":  {"how the claim was answered is given with the move to %q", "la façon dont la réponse a été donnée s’indique avec le passage à {0}"},
	"integrity.refusal.claim-fixed":    {"the fact-check is published: its claim cannot change", "la vérification est publiée\u00a0: son affirmation ne peut plus changer"},
	"integrity.refusal.deadline":       {"%s is not a plausible deadline", "{0} n’est pas une échéance plausible"},
	"integrity.refusal.rating":         {"one of %s (a claim is rated when it moves to %q)", "l’une de {0} (une affirmation est évaluée quand elle passe à {1})"},
	"integrity.refusal.rating-not":     {"%q is not one of %s (a claim is rated when it moves to %q)", "{0} n’est pas l’une de {1} (une affirmation est évaluée quand elle passe à {2})"},
	"integrity.refusal.summary":        {"write the answer (what is true) in English or French: it goes on the fact-check page and to the people who asked", "écrivez la réponse (ce qui est vrai) en anglais ou en français\u00a0: elle va sur la page de la vérification et aux personnes qui ont demandé"},
	"integrity.refusal.claim-first":    {"state the claim being rated first", "énoncez d’abord l’affirmation à évaluer"},
	"integrity.refusal.publish-rated":  {"only a rated claim is published (this one is %s)", "seule une affirmation évaluée est publiée (celle-ci est à l’état {0})"},
	"integrity.refusal.answer-publish": {"publish the fact-check before sending the answer", "publiez la vérification avant d’envoyer la réponse"},
	"integrity.refusal.answer-plan":    {"plan the response first (the check is %s)", "planifiez d’abord la réponse (la vérification est à l’état {0})"},

	// A check's state as the Verify page names it (an argument of the
	// messages above: StateWord); the English is the API's word, quoted.
	"integrity.refusal.state.new":              {`"new"`, "« Nouveau »"},
	"integrity.refusal.state.monitoring":       {`"monitoring"`, "« En veille »"},
	"integrity.refusal.state.verifying":        {`"verifying"`, "« En vérification »"},
	"integrity.refusal.state.rated":            {`"rated"`, "« Évalué »"},
	"integrity.refusal.state.response_planned": {`"response_planned"`, "« Réponse prévue »"},
	"integrity.refusal.state.responded":        {`"responded"`, "« Réponse envoyée »"},
	"integrity.refusal.state.closed":           {`"closed"`, "« Clos »"},
})

// errNoFactCheck is a fact-check slug that names none (declared after
// Refusals, whose message it says).
var errNoFactCheck = apperr.Say(apperr.KindNotFound, "", "integrity.refusal.no-factcheck")

// StateWord is a check's state as an argument of a refusal's format: a
// catalog message (its English is the state quoted, as %q wrote it), so a
// page says the state as the Verify page names it; the state quoted for a
// state the catalog does not know.
func StateWord(state string) any {
	return apperr.Word("integrity.refusal.state."+state, strconv.Quote(state))
}

// allowedWords are the states a check may move to from each state
// (Transitions) as one catalog word per state, integrity.refusal.allowed.
// and the state: its English the states as the API names them, joined by
// commas ("monitoring, verifying, closed"), as a refused transition has
// always listed them; its French the Verify page's labels, the state
// words' French ("« En veille », « En vérification », « Clos »").
var allowedWords = apperr.Register(func() apperr.Catalog {
	c := apperr.Catalog{}
	for from, tos := range Transitions {
		fr := make([]string, len(tos))
		for i, to := range tos {
			fr[i] = Refusals["integrity.refusal.state."+to][1]
		}
		c["integrity.refusal.allowed."+from] = [2]string{strings.Join(tos, ", "), strings.Join(fr, ", ")}
	}
	return c
}())

// AllowedWord is the states a check may move to from state, as an
// argument of a refusal's format (allowedWords); the states joined by
// commas for a state the catalog does not know.
func AllowedWord(state string) any {
	return apperr.Word("integrity.refusal.allowed."+state, strings.Join(Transitions[state], ", "))
}
