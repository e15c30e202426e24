package surveys

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are the survey API's refusals a browser user meets, as catalog
// messages (apperr.Catalog: the English fmt format the error has always
// been written with, and its French), so the pages say them in their
// language: the Surveys page's analysis, "who is unheard" and margins
// upload; the Administration page's form upload (the XForm's and
// XLSForm's own refusals are xform.Refusals and xlsform.Refusals), a
// form's state and enumerators, the margins and the interlocutor log; and
// the API's analysis settings, disclosure control and export. What ODK
// Collect meets (a submission, a form or its media) is said in the
// language of its Accept-Language by the OpenRosa routes.
// web/ui/i18n/refusals.*.json holds them for the pages.
var Refusals = apperr.Register(apperr.Catalog{
	// The service, a form, a margin set.
	"surveys.refusal.not-configured":     {"surveys are not configured on this server", "les enquêtes ne sont pas configurées sur ce serveur"},
	"surveys.refusal.no-form":            {"no form %q", "aucun formulaire {0}"},
	"surveys.refusal.form-missing":       {"form %q does not exist", "le formulaire {0} n’existe pas"},
	"surveys.refusal.no-settings":        {"form %q has no analysis settings: PUT /api/v1/surveys/forms/%s/analysis/settings first", "le formulaire {0} n’a pas encore de paramètres d’analyse (indicateurs et ventilations)\u00a0: définissez-les d’abord (PUT /api/v1/surveys/forms/{1}/analysis/settings)"},
	"surveys.refusal.margins-not-loaded": {"population margins %q are not loaded: PUT /api/v1/surveys/margins/%s", "les marges de population {0} ne sont pas chargées\u00a0: téléversez-les d’abord"},
	"surveys.refusal.margin-name":        {"margin set name %q: letters, digits, _ . - (at most 64)", "nom de jeu de marges {0}\u00a0: lettres, chiffres, _ . - (64 au plus)"},
	"surveys.refusal.state":              {"state must be %q or %q", "l’état doit être {0} ou {1}"},
	"surveys.refusal.no-user":            {"user %q does not exist", "l’utilisateur {0} n’existe pas"},

	// The analysis, who is unheard, the export.
	"surveys.refusal.not-date":        {"%q is not a date (YYYY-MM-DD)", "{0} n’est pas une date (AAAA-MM-JJ)"},
	"surveys.refusal.no-responses":    {"form %q has no responses yet", "le formulaire {0} n’a encore aucune réponse"},
	"surveys.refusal.no-round":        {"no responses in round %q (rounds: %s)", "aucune réponse dans la vague {0} (vagues\u00a0: {1})"},
	"surveys.refusal.no-margins":      {"no population margins: give ?margins=NAME or set margins in the form's settings", "aucune marge de population\u00a0: choisissez un jeu de marges (?margins=NOM) ou indiquez-en un dans les paramètres du formulaire"},
	"surveys.refusal.design-field":    {"design field %q: no response has it", "champ du plan de sondage {0}\u00a0: aucune réponse ne le contient"},
	"surveys.refusal.rake-no-margins": {"rake_on: no population margins loaded", "rake_on\u00a0: aucune marge de population chargée"},
	"surveys.refusal.rake-no-answer": {"the response with instanceID %q: no answer to %q, needed to calibrate to the population; recode the answer, or set rake_missing to leave_out to leave such respondents out",
		"la réponse dont l’instanceID est {0}\u00a0: pas de réponse à {1}, nécessaire pour caler sur la population\u202f; recodez la réponse, ou choisissez dans les paramètres de laisser de côté ces personnes interrogées (rake_missing\u00a0: leave_out)"},
	"surveys.refusal.no-dim":          {"population margins have no dimension %q (dimensions: %s)", "les marges de population n’ont pas de dimension {0} (dimensions\u00a0: {1})"},
	"surveys.refusal.area-dim":        {"area dimension: %w", "dimension de zone\u00a0: {0}"},
	"surveys.refusal.zero-population": {"population margins add up to zero", "le total des marges de population est nul"},
	"surveys.refusal.format":          {"format %q: want csv, hxl or report", "format {0}\u00a0: attendu csv, hxl ou report"},
	"surveys.refusal.not-free-text":   {"%q is not a free-text field of form %q (free-text fields: %s)", "{0} n’est pas un champ de texte libre du formulaire {1} (champs de texte libre\u00a0: {2})"},
	"surveys.refusal.identifier":      {"%q is an identifier and is never exported", "{0} est un identifiant et n’est jamais exporté"},
	"surveys.refusal.disclosure":      {"disclosure control: %v", "contrôle de la divulgation\u00a0: {0}"},
	"surveys.refusal.qi-dropped":      {"quasi-identifier %q is also dropped", "le quasi-identifiant {0} est aussi retiré"},
	"surveys.refusal.not-weight":      {"record %d: weight field %q: %q is not a weight", "enregistrement {0}, champ de poids {1}\u00a0: {2} n’est pas un poids"},
	"surveys.refusal.export-refused": {"export refused: after protection %d records are still below k=%d or the mean re-identification risk %.4f is not below %.2f; add generalisations or fewer quasi-identifiers (see ?format=report)",
		"export refusé\u00a0: après protection, {0} enregistrements restent sous k={1} ou le risque moyen de réidentification {2} n’est pas inférieur à {3}\u202f; ajoutez des généralisations ou retirez des quasi-identifiants (voir ?format=report)"},

	// Analysis settings (PUT …/analysis/settings) and their disclosure rule.
	"surveys.refusal.no-indicators":    {"indicators: none defined", "indicators\u00a0: aucun indicateur défini"},
	"surveys.refusal.too-many":         {"indicators/breakdowns: at most 200 indicators and 20 breakdowns", "indicators/breakdowns\u00a0: au plus 200 indicateurs et 20 ventilations"},
	"surveys.refusal.indicator-at":     {"indicators[%d]: %w", "indicators[{0}]\u00a0: {1}"},
	"surveys.refusal.indicator-twice":  {"indicators[%d]: id %q used twice", "indicators[{0}]\u00a0: l’identifiant {1} est utilisé deux fois"},
	"surveys.refusal.indicator-no-id":  {"indicator: no id", "indicateur\u00a0: pas d’identifiant"},
	"surveys.refusal.indicator-field":  {"indicator %s: field: no answer field given", "indicateur {0}, field\u00a0: aucun champ de réponse indiqué"},
	"surveys.refusal.indicator-values": {"indicator %s: values: no answer values counted", "indicateur {0}, values\u00a0: aucune valeur de réponse comptée"},
	"surveys.refusal.indicator-empty":  {"indicator %s: values: empty value", "indicateur {0}, values\u00a0: valeur vide"},
	"surveys.refusal.indicator-both":   {"indicator %s: %q is both counted and missing", "indicateur {0}\u00a0: {1} figure à la fois parmi les valeurs comptées et parmi les valeurs manquantes"},
	"surveys.refusal.rake-needs-set":   {"margins: rake_on needs a margin set", "margins\u00a0: rake_on demande un jeu de marges"},
	"surveys.refusal.fpc-count":        {"fpc: %d fields (%s) for %d sampling stages: give one per cluster field, or none", "fpc\u00a0: {0} champ(s) ({1}) pour {2} degré(s) de sondage\u00a0: donnez-en un par champ de grappe, ou aucun"},
	"surveys.refusal.rake-missing":     {"rake_missing: %q: want refuse (refuse the analysis) or leave_out (leave such respondents out)", "rake_missing\u00a0: {0} n’est pas un choix\u00a0: refuse (refuser l’analyse) ou leave_out (laisser de côté ces personnes interrogées)"},
	"surveys.refusal.trim":             {"trim_ratio: %v must be above 1", "trim_ratio\u00a0: {0} doit être supérieur à 1"},
	"surveys.refusal.area-field":       {"area_field: name the answer field holding the admin area", "area_field\u00a0: nommez le champ de réponse qui contient la zone administrative"},
	"surveys.refusal.disclosure-rule":  {"disclosure: %w", "disclosure\u00a0: {0}"},
	"surveys.refusal.k":                {"k: %d out of range 1–1000", "k\u00a0: {0} hors de l’intervalle 1–1000"},
	"surveys.refusal.qi-none":          {"quasi_identifiers: choose at least one (e.g. region, sex, age_group)", "quasi_identifiers\u00a0: choisissez-en au moins un (p. ex. region, sex, age_group)"},
	"surveys.refusal.qi-empty":         {"quasi_identifiers: empty name", "quasi_identifiers\u00a0: nom vide"},
	"surveys.refusal.qi-twice":         {"quasi_identifiers: %q twice", "quasi_identifiers\u00a0: {0} deux fois"},
	"surveys.refusal.generalise":       {"generalise: %q is not a quasi-identifier", "generalise\u00a0: {0} n’est pas un quasi-identifiant"},
	"surveys.refusal.max-risk":         {"max_risk: %v out of range 0–1", "max_risk\u00a0: {0} hors de l’intervalle 0–1"},
	"surveys.refusal.setting-field":    {"%s: form %q has no field %q", "{0}\u00a0: le formulaire {1} n’a pas de champ {2}"},
	"surveys.refusal.not-a-choice":     {"indicators[%d].%s: %q is not a choice of question %q (choices: %s)", "indicators[{0}].{1}\u00a0: {2} n’est pas un choix de la question {3} (choix\u00a0: {4})"},
	"surveys.refusal.multiple-many": {"indicators[%d].multiple: question %q takes several answers (select_multiple), so multiple must be true: otherwise a respondent who chose more than one answer is never counted",
		"indicators[{0}].multiple\u00a0: la question {1} admet plusieurs réponses (select_multiple), multiple doit donc être true\u00a0: sinon une personne qui a choisi plus d’une réponse n’est jamais comptée"},
	"surveys.refusal.multiple-one": {"indicators[%d].multiple: question %q takes a single answer (select_one), so multiple must be false", "indicators[{0}].multiple\u00a0: la question {1} n’admet qu’une seule réponse (select_one), multiple doit donc être false"},
	"surveys.refusal.rake-dim":     {"rake_on: population margins %q have no dimension %q (dimensions: %s)", "rake_on\u00a0: les marges de population {0} n’ont pas de dimension {1} (dimensions\u00a0: {2})"},
	"surveys.refusal.rake-values": {"rake_on: %s: values given by respondents are missing from population margins %q: %s; respondents concerned: %d; add the values to the margins or recode the answers",
		"rake_on\u00a0: {0}\u00a0: des valeurs données par des personnes interrogées manquent aux marges de population {1}\u00a0: {2:qs}\u202f; personnes interrogées concernées\u00a0: {3}\u202f; ajoutez ces valeurs aux marges ou recodez les réponses"},
	"surveys.refusal.margins-raked": {"form %q rakes on margin set %q: %v", "le formulaire {0} est calé sur le jeu de marges {1}\u00a0: {2}"},

	// A margins CSV (its file name, line and column).
	"surveys.refusal.csv-empty":       {"%s: empty file (want a header with dimension columns and %q)", "{0}\u00a0: fichier vide (un en-tête avec les colonnes des dimensions et {1} est attendu)"},
	"surveys.refusal.csv-at":          {"%s: %w", "{0}\u00a0: {1}"},
	"surveys.refusal.csv-no-name":     {"%s: line 1, column %d: empty column name", "fichier {0}, ligne 1, colonne {1}\u00a0: nom de colonne vide"},
	"surveys.refusal.csv-col-twice":   {"%s: line 1: column %q appears twice", "fichier {0}, ligne 1\u00a0: la colonne {1} apparaît deux fois"},
	"surveys.refusal.csv-no-pop":      {"%s: line 1: no %q column", "fichier {0}, ligne 1\u00a0: pas de colonne {1}"},
	"surveys.refusal.csv-no-dims":     {"%s: line 1: no dimension columns besides %q", "fichier {0}, ligne 1\u00a0: aucune colonne de dimension en plus de {1}"},
	"surveys.refusal.csv-not-count":   {"%s: line %d, column %q: %q is not a population count", "fichier {0}, ligne {1}, colonne {2}\u00a0: {3} n’est pas un effectif de population"},
	"surveys.refusal.csv-empty-value": {"%s: line %d, column %q: empty value", "fichier {0}, ligne {1}, colonne {2}\u00a0: valeur vide"},
	"surveys.refusal.csv-repeat":      {"%s: line %d: cell %s repeats line %d", "fichier {0}, ligne {1}\u00a0: la cellule {2} répète la ligne {3}"},
	"surveys.refusal.csv-cells":       {"%s: more than %d cells", "fichier {0}\u00a0: plus de {1} cellules"},
	"surveys.refusal.csv-no-rows":     {"%s: no population rows after the header", "{0}\u00a0: aucune ligne de population après l’en-tête"},

	// An interlocutor log entry.
	"surveys.refusal.date-layout": {"%q is not YYYY-MM-DD", "{0} n’est pas au format AAAA-MM-JJ"},
	"surveys.refusal.empty":       {"empty", "vide"}, // the same English and French as lexicon.refusal.empty
	"surveys.refusal.too-long":    {"longer than 200 characters", "plus de 200 caractères"},

	// A form upload.
	"surveys.refusal.xlsx-busy":    {"%s: retry in a few seconds", "{0}\u00a0: réessayez dans quelques secondes"},
	"surveys.refusal.content-type": {"Content-Type must be application/xml (XForm) or %s (XLSForm)", "le Content-Type doit être application/xml (XForm) ou {0} (XLSForm)"},
	"surveys.refusal.same-version": {"form %q: %w (still %q): give the new definition a new version", "formulaire {0}\u00a0: {1} (toujours {2})\u00a0: donnez une nouvelle version à la nouvelle définition"},
	"surveys.refusal.changed":      {"form changed but its version did not", "le formulaire a changé mais pas sa version"},
})

// SubmissionRefusals are what ODK Collect meets from this package (a
// submission, a form's media file) as catalog messages, said in the
// language of its Accept-Language by the OpenRosa routes (the multipart
// body's own refusals are openrosa.Refusals, the XML's
// xform.SubmissionRefusals).
var SubmissionRefusals = apperr.Register(apperr.Catalog{
	"surveys.refusal.not-logged-in":  {"not logged in", "non connecté"},
	"surveys.refusal.submission":     {"xml_submission_file: %v", "xml_submission_file\u00a0: {0}"},
	"surveys.refusal.submission-id":  {"xml_submission_file: /%s: the root element has no id attribute (the form id)", "xml_submission_file\u00a0: /{0}\u00a0: l’élément racine n’a pas d’attribut id (l’identifiant du formulaire)"},
	"surveys.refusal.not-on-server":  {"form %q does not exist on this server", "le formulaire {0} n’existe pas sur ce serveur"},
	"surveys.refusal.may-not-submit": {"user %s may not submit to form %q", "l’utilisateur {0} n’a pas le droit d’envoyer des réponses au formulaire {1}"},
	"surveys.refusal.closed":         {"form %q is closed and accepts no submissions", "le formulaire {0} est fermé et n’accepte plus de réponses"},
	"surveys.refusal.att-unused":     {"attachment %s: no question of the submission refers to it", "pièce jointe {0}\u00a0: aucune question de la soumission n’y renvoie"},
	"surveys.refusal.att-large":      {"attachment %s: larger than %d bytes", "pièce jointe {0}\u00a0: plus de {1} octets"},
	"surveys.refusal.duplicate":      {"a different submission with this instanceID exists", "une autre soumission porte déjà cet instanceID"},
	"surveys.refusal.duplicate-at":   {"instanceID %q: %w for form %q", "instanceID {0}\u00a0: {1} (formulaire {2})"},
	"surveys.refusal.no-media":       {"form %q has no media file %q", "le formulaire {0} n’a pas de fichier média {1}"},
})

// said is apperr.Text(s) once Refusals are registered (a sentinel error
// that says its text by the catalog).
func said(s string) error {
	_, _ = Refusals, SubmissionRefusals
	return apperr.Text(s)
}

// sayKey is the error whose text is the message key (one without
// arguments), said by it even when another catalog has the same English.
func sayKey(key string) error {
	return apperr.MustMsg(key).Err()
}

// refuseField refuses with an error of kind naming field ("" for none)
// whose formatted text is the whole message, said by the catalog when
// format is a registered message's English.
func refuseField(kind apperr.Kind, field, format string, args ...any) error {
	e := apperr.Refuse(kind, field, format, args...)
	if m, ok := apperr.MessageOf(apperr.Textf(format, args...)); ok {
		e.Key, e.Args = m.Key, m.Args
	}
	return e
}

// refuseErr is refuseField(kind, field, "%v", err), said by err's message
// when it carries one.
func refuseErr(kind apperr.Kind, field string, err error) error {
	e := apperr.Refuse(kind, field, "%v", err)
	if m, ok := apperr.MessageOf(err); ok {
		e.Key, e.Args = m.Key, m.Args
	} else if m, ok := apperr.MessageOf(apperr.As(err)); ok && m.Text("en") == err.Error() {
		e.Key, e.Args = m.Key, m.Args
	}
	return e
}

// WarningMessages are an accepted form's warnings of this package (the
// XForm's own are xform.WarningMessages), said in the page's language.
var WarningMessages = apperr.Register(apperr.Catalog{
	"surveys.warning.media": {"media file %s is not referred to by the form", "le formulaire ne fait référence nulle part au fichier média {0}"},
})
