package xform

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are an XForm's problems as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French), so the Administration page says a refused form upload in its
// language, naming the line and node: the document (malformed XML, limits),
// the form's structure, and the XPath of its binds (which the XLSForm
// converter reports in a column too). Go's XML reader says its own part
// of a malformed document ("unexpected EOF") in English, kept on a French
// page as technical detail. A submission's problems are
// SubmissionRefusals.
// web/ui/i18n/refusals.*.json holds them.
var Refusals = apperr.Register(apperr.Catalog{
	// The document.
	"xform.refusal.too-big":      {"form is larger than %d bytes", "le formulaire dépasse {0} octets"},
	"xform.refusal.malformed":    {"line %d: malformed XML: %s", "ligne {0}\u00a0: XML mal formé (détail technique\u00a0: {1})"},
	"xform.refusal.two-roots":    {"line %d: malformed XML: more than one root element", "ligne {0}\u00a0: XML mal formé\u00a0: plus d’un élément racine"},
	"xform.refusal.outside-root": {"line %d: malformed XML: text outside the root element", "ligne {0}\u00a0: XML mal formé\u00a0: du texte hors de l’élément racine"},
	"xform.refusal.elements":     {"line %d: more than %d elements", "ligne {0}\u00a0: plus de {1} éléments"},
	"xform.refusal.depth":        {"line %d: elements nested deeper than %d", "ligne {0}\u00a0: éléments imbriqués sur plus de {1} niveaux"},
	"xform.refusal.directive":    {"line %d: DOCTYPE and other directives are not accepted", "ligne {0}\u00a0: DOCTYPE et les autres directives ne sont pas acceptés"},
	"xform.refusal.empty":        {"line 1: empty document: no root element", "ligne 1\u00a0: document vide\u00a0: aucun élément racine"},

	// The form.
	"xform.refusal.root":         {"root element is <%s>, want <h:html>", "l’élément racine est <{0}>, <h:html> attendu"},
	"xform.refusal.no-head":      {"missing <h:head>", "il manque <h:head>"},
	"xform.refusal.no-model":     {"missing <model> in <h:head>", "il manque <model> dans <h:head>"},
	"xform.refusal.empty-inst":   {"the primary <instance> is empty", "l'<instance> principale est vide"},
	"xform.refusal.no-instance":  {"missing the primary <instance>", "il manque l'<instance> principale"},
	"xform.refusal.no-id":        {"the primary instance root has no id attribute (the form id)", "la racine de l’instance principale n’a pas d’attribut id (l’identifiant du formulaire)"},
	"xform.refusal.bind":         {"<bind> without nodeset", "<bind> sans nodeset"},
	"xform.refusal.bind-node":    {"bind nodeset is not a node of the primary instance", "le nodeset du bind n’est pas un nœud de l’instance principale"},
	"xform.refusal.calculate":    {"calculate: %v", "calculate\u00a0: {0}"},
	"xform.refusal.repeat-node":  {"repeat nodeset is not a node of the primary instance", "le nodeset de la répétition n’est pas un nœud de l’instance principale"},
	"xform.refusal.control-node": {"<%s> ref is not a node of the primary instance", "le ref de <{0}> n’est pas un nœud de l’instance principale"},

	// XPath.
	"xform.refusal.syntax":         {"XPath syntax error", "erreur de syntaxe XPath"},
	"xform.refusal.at-offset":      {"%w: %s (at offset %d)", "{0}\u00a0: {1} (à la position {2})"},
	"xform.refusal.unterminated":   {"%w: unterminated string at offset %d", "{0}\u00a0: chaîne non terminée à la position {1}"},
	"xform.refusal.number-at":      {"%w: bad number %q at offset %d", "{0}\u00a0: nombre {1} invalide à la position {2}"},
	"xform.refusal.dollar":         {"%w: '$' without a variable name at offset %d", "{0}\u00a0: « $ » sans nom de variable à la position {1}"},
	"xform.refusal.char":           {"%w: unexpected %q at offset %d", "{0}\u00a0: {1} inattendu à la position {2}"},
	"xform.refusal.empty-expr":     {"%w: empty expression", "{0}\u00a0: expression vide"},
	"xform.refusal.arity":          {"%w: %s() takes %s, got %d", "{0}\u00a0: {1}() prend {2}, reçu {3}"},
	"xform.refusal.args":           {"%d arguments", "exactement {0} arguments"},
	"xform.refusal.args-range":     {"%d to %d arguments", "de {0} à {1} arguments"},
	"xform.refusal.unexpected":     {"unexpected %q", "{0} inattendu"},
	"xform.refusal.number":         {"bad number %q", "nombre {0} invalide"},
	"xform.refusal.paren":          {"missing ')'", "il manque « ) »"},
	"xform.refusal.paren-args":     {"missing ')' after the arguments of %s()", "il manque « ) » après les arguments de {0}()"},
	"xform.refusal.bracket":        {"missing ']'", "il manque « ] »"},
	"xform.refusal.predicate":      {"a predicate cannot follow %q", "un prédicat ne peut pas suivre {0}"},
	"xform.refusal.attribute":      {"missing attribute name after '@'", "nom d’attribut manquant après « @ »"},
	"xform.refusal.node-test":      {"missing node test after %s::", "test de nœud manquant après {0}::"},
	"xform.refusal.value-expected": {"expression ends where a value was expected", "l’expression se termine là où une valeur était attendue"},
})

// SubmissionRefusals are a submission's problems (Form.Validate) as
// catalog messages, so that the OpenRosa routes say them to ODK Collect in
// the language of its Accept-Language. "%q is not a date (YYYY-MM-DD)" is
// surveys.refusal.not-date's.
var SubmissionRefusals = apperr.Register(apperr.Catalog{
	"xform.refusal.sub-too-big":    {"submission XML is larger than %d bytes", "le XML de la soumission dépasse {0} octets"},
	"xform.refusal.sub-root":       {"root element is <%s>, form %q wants <%s>", "l’élément racine est <{0}>, le formulaire {1} attend <{2}>"},
	"xform.refusal.sub-form-id":    {"form id %q does not match form %q", "l’identifiant de formulaire {0} ne correspond pas au formulaire {1}"},
	"xform.refusal.sub-version":    {"version %q does not match the form's version %q", "la version {0} ne correspond pas à la version {1} du formulaire"},
	"xform.refusal.sub-no-id":      {"instanceID is missing or empty", "instanceID manque ou est vide"},
	"xform.refusal.sub-id-long":    {"instanceID is longer than 256 characters", "instanceID dépasse 256 caractères"},
	"xform.refusal.sub-not-node":   {"element is not in the form", "cet élément n’est pas dans le formulaire"},
	"xform.refusal.sub-repeated":   {"element appears more than once but is not a repeat", "cet élément apparaît plusieurs fois mais n’est pas une répétition"},
	"xform.refusal.sub-children":   {"question has child elements", "la question contient des éléments enfants"},
	"xform.refusal.sub-group-text": {"group or repeat holds text instead of questions", "le groupe ou la répétition contient du texte au lieu de questions"},
	"xform.refusal.sub-int":        {"%q is not an integer", "{0} n’est pas un nombre entier"},
	"xform.refusal.sub-decimal":    {"%q is not a decimal number", "{0} n’est pas un nombre décimal"},
	"xform.refusal.sub-datetime":   {"%q is not a date and time (YYYY-MM-DDThh:mm:ss.sss±hh:mm)", "{0} n’est pas une date et heure (AAAA-MM-JJThh:mm:ss.sss±hh:mm)"},
	"xform.refusal.sub-time":       {"%q is not a time (hh:mm:ss.sss±hh:mm)", "{0} n’est pas une heure (hh:mm:ss.sss±hh:mm)"},
	"xform.refusal.sub-boolean":    {"%q is not a boolean (true/false)", "{0} n’est pas un booléen (true/false)"},
	"xform.refusal.sub-geopoint":   {"%q is not a geopoint (latitude longitude [altitude [accuracy]])", "{0} n’est pas un point géographique (latitude longitude [altitude [précision]])"},
	"xform.refusal.sub-geo-number": {"%q is not a geopoint: %q is not a number", "{0} n’est pas un point géographique\u00a0: {1} n’est pas un nombre"},
	"xform.refusal.sub-latitude":   {"%q is not a geopoint: latitude %v is outside -90..90", "{0} n’est pas un point géographique\u00a0: la latitude {1} est hors de -90..90"},
	"xform.refusal.sub-longitude":  {"%q is not a geopoint: longitude %v is outside -180..180", "{0} n’est pas un point géographique\u00a0: la longitude {1} est hors de -180..180"},
	"xform.refusal.sub-accuracy":   {"%q is not a geopoint: negative accuracy", "{0} n’est pas un point géographique\u00a0: précision négative"},
	"xform.refusal.sub-choice":     {"%q is not one of the choices (%s)", "{0} ne fait pas partie des choix ({1})"},
	"xform.refusal.sub-required":   {"required question is not answered", "question obligatoire sans réponse"},
	"xform.refusal.sub-required-m": {"required question is not answered (%s)", "question obligatoire sans réponse ({0})"},
	"xform.refusal.sub-constraint": {"answer %q breaks the constraint %s", "la réponse {0} ne respecte pas la contrainte {1}"},
	"xform.refusal.sub-constr-m":   {"answer %q breaks the constraint %s (%s)", "la réponse {0} ne respecte pas la contrainte {1} ({2})"},
})

// WarningMessages are a form's warnings as catalog messages: an
// expression of a bind that the server parses but will not enforce
// (Form.Warnings), and the construct outside the supported XPath subset
// that makes it so (Expr.Unsupported). The Administration page says them
// in its language after an upload; web/ui/i18n/refusals.*.json holds them.
var WarningMessages = apperr.Register(apperr.Catalog{
	"xform.warning.not-enforced": {"line %d: %s: %s %q is not enforced by the server (%v)", "ligne {0}, {1}\u00a0: l’expression {2} {3} n’est pas appliquée par le serveur ({4})"},

	// What is not supported.
	"xform.warning.union":      {"union operator '|'", "l’opérateur d’union « | »"},
	"xform.warning.variable":   {"variable $%s", "la variable ${0}"},
	"xform.warning.function":   {"function %s()", "la fonction {0}()"},
	"xform.warning.regex-expr": {"regex() with a pattern that is not a literal", "regex() avec un motif qui n’est pas une chaîne littérale"},
	"xform.warning.regex":      {"regex pattern %q (not supported by Go's regexp: %v)", "le motif regex {0} (que les expressions régulières du serveur ne prennent pas en charge\u00a0: {1})"},
	"xform.warning.path-after": {"a path after a function call or parenthesis", "un chemin après un appel de fonction ou une parenthèse"},
	"xform.warning.predicate":  {"predicate [...]", "un prédicat [...]"},
	"xform.warning.descendant": {"descendant path '//'", "le chemin descendant « // »"},
	"xform.warning.attribute":  {"attribute step '@'", "l’étape d’attribut « @ »"},
	"xform.warning.wildcard":   {"wildcard step '*'", "l’étape générique « * »"},
	"xform.warning.axis":       {"axis %s::", "l’axe {0}::"},
	"xform.warning.node-test":  {"node test %s()", "le test de nœud {0}()"},
})

// said is apperr.Text(s) once Refusals are registered.
func said(s string) error {
	_ = Refusals
	return apperr.Text(s)
}

// problem is invalid input at line naming field (a node path; "" for
// none): format's text, said by the catalog (with its line and field)
// when format is a registered message's English.
func problem(line int, field, format string, args ...any) *apperr.Error {
	return problemErr(line, field, apperr.Textf(format, args...))
}

// problemErr is problem with why's text.
func problemErr(line int, field string, why error) *apperr.Error {
	e := &apperr.Error{Line: line, Field: field, Msg: why.Error()}
	m, ok := apperr.MessageOf(why)
	if !ok {
		return e
	}
	switch {
	case line > 0 && field != "":
		m, ok = apperr.Msg(apperr.KeyLineField, line, field, m)
	case line > 0:
		m, ok = apperr.Msg(apperr.KeyLine, line, m)
	case field != "":
		m, ok = apperr.Msg(apperr.KeyField, field, m)
	}
	if ok && m.Text("en") == e.Error() {
		e.Key, e.Args = m.Key, m.Args
	}
	return e
}

// Said is every problem's text as one catalog message (apperr's list),
// when each says its text by one.
func (es Errors) Said() (apperr.Message, bool) {
	return apperr.ListSaid(apperr.KeyList, len(es), func(i int) (apperr.Message, bool) { return apperr.MessageOf(es[i]) })
}
