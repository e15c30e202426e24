package xlsform

import "github.com/vigil-project/vigil/internal/apperr"

// Refusals are an XLSForm's problems as catalog messages (apperr.Catalog:
// the English fmt format the error has always been written with, and its
// French), so the Administration page says a refused upload in its
// language, naming the sheet, row and column as the form's author sees
// them in Excel. The XPath errors of a column are xform.Refusals. A part
// Go's zip or XML reader refuses is said in French with Go's own English
// kept after it as technical detail. web/ui/i18n/refusals.*.json holds them.
var Refusals = apperr.Register(apperr.Catalog{
	// The place of a problem (Error) and a list of them (Errors).
	"xlsform.refusal.at":      {"%s sheet: %v", "feuille {0}\u00a0: {1}"},
	"xlsform.refusal.at-row":  {"%s sheet, row %d: %v", "feuille {0}, ligne {1}\u00a0: {2}"},
	"xlsform.refusal.at-cell": {"%s sheet, row %d, column %s: %v", "feuille {0}, ligne {1}, colonne {2}\u00a0: {3}"},
	"xlsform.refusal.list":    {"%v\n%v", "{0}\n{1}"},

	// The workbook.
	"xlsform.refusal.too-big":      {"workbook is larger than %d bytes", "le classeur dépasse {0} octets"},
	"xlsform.refusal.not-zip":      {"not an .xlsx workbook (zip): %v", "le fichier n’est pas un classeur .xlsx (détail technique\u00a0: {0})"},
	"xlsform.refusal.part-big":     {"%s: larger than %d bytes uncompressed (declares %d)", "{0}\u00a0: plus de {1} octets une fois décompressé (en déclare {2})"},
	"xlsform.refusal.part-missing": {"workbook part %s is missing", "il manque la partie {0} du classeur"},
	"xlsform.refusal.not-xml-part": {"workbook part %s is not an XML part", "la partie {0} du classeur n’est pas une partie XML"},
	"xlsform.refusal.damaged":      {"damaged: %v", "partie endommagée (détail technique\u00a0: {0})"},
	"xlsform.refusal.xml-syntax":   {"XML syntax error on line %d: %s", "XML mal formé à la ligne {0} (détail technique\u00a0: {1})"},
	"xlsform.refusal.xml":          {"unreadable XML: %v", "XML illisible (détail technique\u00a0: {0})"},
	"xlsform.refusal.sheet":        {"sheet %q: %v", "feuille {0}\u00a0: {1}"},
	"xlsform.refusal.relationship": {"sheet %q: no relationship %q", "feuille {0}\u00a0: aucune relation {1} dans xl/_rels/workbook.xml.rels"},
	"xlsform.refusal.cell-ref":     {"sheet %q row %d: bad cell reference %q", "feuille {0}, ligne {1}\u00a0: référence de cellule {2} invalide"},
	"xlsform.refusal.shared-index": {"sheet %q cell %s: bad shared string index %q", "feuille {0}, cellule {1}\u00a0: index de chaîne partagée {2} invalide"},
	"xlsform.refusal.decompress":   {"workbook too large to decompress", "classeur trop grand pour être décompressé"},
	"xlsform.refusal.budget": {"%w: its parts declare %d bytes uncompressed, more than the %d bytes allowed for all uploads at once",
		"{0}\u00a0: ses parties déclarent {1} octets décompressés, plus que les {2} octets permis pour tous les téléversements à la fois"},
	"xlsform.refusal.busy": {"too many workbooks being read at once: %v",
		"trop de classeurs sont en cours de lecture en même temps (détail technique\u00a0: {0})"},
	"xlsform.refusal.cells":          {"workbook has more than %d cells", "le classeur a plus de {0} cellules"},
	"xlsform.refusal.shared-strings": {"more than %d shared strings", "plus de {0} chaînes partagées"},
	"xlsform.refusal.no-survey":      {"the workbook has no sheet named survey", "le classeur n’a pas de feuille nommée survey"},
	"xlsform.refusal.header":         {"the header row needs the columns type and name", "la ligne d’en-tête doit avoir les colonnes type et name"},
	"xlsform.refusal.utf8":           {"cell text is not valid UTF-8", "le texte de la cellule n’est pas de l’UTF-8 valide"},
	"xlsform.refusal.control":        {"cell text holds the control character %U", "le texte de la cellule contient le caractère de contrôle {0}"},

	// Settings and columns.
	"xlsform.refusal.setting":        {"setting %q is not supported by this converter", "le paramètre {0} n’est pas pris en charge par ce convertisseur"},
	"xlsform.refusal.only-false":     {"%s %q is not supported by this converter (only FALSE)", "{0} {1} n’est pas pris en charge par ce convertisseur (seulement FALSE)"},
	"xlsform.refusal.not-bool":       {"%q is not TRUE or FALSE", "{0} n’est ni TRUE ni FALSE"},
	"xlsform.refusal.attr-name":      {"%q is not a valid attribute name", "{0} n’est pas un nom d’attribut valide"},
	"xlsform.refusal.attr-reserved":  {"column %q would overwrite the attribute %s the converter writes", "la colonne {0} écraserait l’attribut {1}, que le convertisseur écrit lui-même"},
	"xlsform.refusal.column":         {"column %q is not supported by this converter", "la colonne {0} n’est pas prise en charge par ce convertisseur"},
	"xlsform.refusal.root-name":      {"%q is not a valid XML element name", "{0} n’est pas un nom d’élément XML valide"},
	"xlsform.refusal.flat-repeat":    {"repeats in a form with the setting flat are not supported by this converter", "les répétitions d’un formulaire avec le paramètre flat ne sont pas prises en charge par ce convertisseur"},
	"xlsform.refusal.flat-column":    {"column %q on a group of a flat form is not supported by this converter (a flat group has no instance node)", "la colonne {0} sur un groupe d’un formulaire flat n’est pas prise en charge par ce convertisseur (un groupe flat n’a pas de nœud d’instance)"},
	"xlsform.refusal.flat-attribute": {"%s on a group of a flat form is not supported by this converter", "{0} sur un groupe d’un formulaire flat n’est pas pris en charge par ce convertisseur"},

	// Questions, groups and repeats.
	"xlsform.refusal.no-type":          {"question %q has no type", "la question {0} n’a pas de type"},
	"xlsform.refusal.question-only":    {"%s is for questions, not for a %s", "{0} ne s’applique qu’aux questions, pas à un élément {1}"},
	"xlsform.refusal.repeat-count-on":  {"repeat_count is only for begin repeat", "repeat_count ne s’applique qu’à begin repeat"},
	"xlsform.refusal.unmatched-end":    {"%q without a matching begin %s", "{0} sans begin {1} correspondant"},
	"xlsform.refusal.crossed-end":      {"%q closes the %s %q begun at row %d", "{0} ferme l’élément {1} {2} commencé à la ligne {3}"},
	"xlsform.refusal.no-list":          {"%q needs a choice list name (e.g. %q)", "{0} demande un nom de liste de choix (p. ex. {1})"},
	"xlsform.refusal.extra-words":      {"%q: unexpected words after the type", "{0}\u00a0: mots inattendus après le type"},
	"xlsform.refusal.type":             {"unknown question type %q", "type de question inconnu {0}"},
	"xlsform.refusal.after-list":       {"%q: unexpected %q after the list name", "{0}\u00a0: {1} inattendu après le nom de la liste"},
	"xlsform.refusal.no-choices":       {"%q: the workbook has no choices sheet", "{0}\u00a0: le classeur n’a pas de feuille choices"},
	"xlsform.refusal.unknown-list":     {"choice list %q is not in the choices sheet", "la liste de choix {0} n’est pas dans la feuille choices"},
	"xlsform.refusal.no-calculation":   {"calculate %q has no calculation", "le calcul {0} n’a pas de formule (colonne calculation)"},
	"xlsform.refusal.choice-filter":    {"choice_filter is only for select_one and select_multiple", "choice_filter ne s’applique qu’à select_one et select_multiple"},
	"xlsform.refusal.metadata":         {"%s is not used by the metadata type %q", "{0} n’est pas utilisé par le type de métadonnée {1}"},
	"xlsform.refusal.rows":             {"rows %q: a positive whole number, for a text-entry question only", "rows {0}\u00a0: un nombre entier positif, pour une question de saisie de texte seulement"},
	"xlsform.refusal.autoplay":         {"autoplay %q is not audio or video", "autoplay {0} n’est ni audio ni video"},
	"xlsform.refusal.dynamic-default":  {"default %q looks like an expression: dynamic defaults are not supported by this converter", "default {0} ressemble à une expression\u00a0: les valeurs par défaut dynamiques ne sont pas prises en charge par ce convertisseur"},
	"xlsform.refusal.never-ended":      {"begin %s %q is never ended", "begin {0} {1} n’est jamais fermé"},
	"xlsform.refusal.no-name":          {"%s has no name", "{0} n’a pas de nom"},
	"xlsform.refusal.bad-name":         {"%q is not a valid name (letters, digits, _ - . ; starting with a letter or _)", "{0} n’est pas un nom valide (lettres, chiffres, _ - .\u202f; commençant par une lettre ou _)"},
	"xlsform.refusal.duplicate-name":   {"duplicate name %q (also at row %d)", "nom {0} en double (aussi à la ligne {1})"},
	"xlsform.refusal.count-name":       {"the repeat count needs the name %q, already used at row %d", "le compte de la répétition a besoin du nom {0}, déjà utilisé à la ligne {1}"},
	"xlsform.refusal.table-list-type":  {"a table-list group (row %d) holds only select_one and select_multiple questions without or_other", "un groupe table-list (ligne {0}) ne contient que des questions select_one et select_multiple sans or_other"},
	"xlsform.refusal.table-list-lists": {"a table-list group (row %d) needs one choice list: %q here, %q at row %d", "un groupe table-list (ligne {0}) demande une seule liste de choix\u00a0: {1} ici, {2} à la ligne {3}"},
	"xlsform.refusal.table-list-look":  {"appearance %q inside a table-list group (row %d)", "appearance {0} dans un groupe table-list (ligne {1})"},
	"xlsform.refusal.table-list-name":  {"the table-list group needs the name %q, already used at row %d", "le groupe table-list a besoin du nom {0}, déjà utilisé à la ligne {1}"},
	"xlsform.refusal.no-question":      {"%s refers to no question", "{0} ne renvoie à aucune question"},
	"xlsform.refusal.unclosed-ref":     {"unclosed %s reference in %q", "référence {0} non fermée dans {1}"},

	// Choices.
	"xlsform.refusal.choice-no-list":   {"choice %q has no list name", "le choix {0} n’a pas de nom de liste"},
	"xlsform.refusal.choice-no-name":   {"a choice of list %q has no name", "un choix de la liste {0} n’a pas de nom"},
	"xlsform.refusal.choice-duplicate": {"duplicate choice %q in list %q (also at row %d)", "choix {0} en double dans la liste {1} (aussi à la ligne {2})"},
})

// said is apperr.Text(s) once Refusals are registered.
func said(s string) error {
	_ = Refusals
	return apperr.Text(s)
}

// problem is an Error at sheet, row and column whose message is why's
// text (said by the catalog when why carries a message).
func problem(sheet string, row int, col string, why error) *Error {
	e := &Error{Sheet: sheet, Row: row, Column: col, Msg: why.Error()}
	if m, ok := apperr.MessageOf(why); ok {
		e.why = &m
	}
	return e
}

// Said is e's whole text as a catalog message (its place and problem),
// when its problem has one.
func (e *Error) Said() (apperr.Message, bool) {
	if e.why == nil || e.why.Text("en") != e.Msg {
		return apperr.Message{}, false
	}
	switch {
	case e.Row > 0 && e.Column != "":
		return apperr.Msg("xlsform.refusal.at-cell", e.Sheet, e.Row, e.Column, *e.why)
	case e.Row > 0:
		return apperr.Msg("xlsform.refusal.at-row", e.Sheet, e.Row, *e.why)
	case e.Column == "":
		return apperr.Msg("xlsform.refusal.at", e.Sheet, *e.why)
	}
	return apperr.Message{}, false // no problem names a column without its row
}

// Said is every problem's text as one catalog message, when each has one.
func (es Errors) Said() (apperr.Message, bool) {
	return apperr.ListSaid("xlsform.refusal.list", len(es), func(i int) (apperr.Message, bool) { return es[i].Said() })
}
