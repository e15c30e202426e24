package xform_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/xform"
)

// TestRefusalMessages: every refusal of a form upload (the document, the
// form's structure, its binds' XPath) carries its whole text as a catalog
// message (Refusals, with apperr's line and list), so the Administration
// page says it in French; every message is said by one.
func TestRefusalMessages(t *testing.T) {
	form := func(model string) string {
		return `<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance>` + model + `</model></h:head><h:body>` + "\n" + `</h:body></h:html>`
	}
	bind := func(attr, expr string) string { return form(`<bind nodeset="/data/a" ` + attr + `="` + expr + `"/>`) }
	big := strings.Repeat("9", 310) + "e999"
	cases := []struct{ name, xml, fr string }{
		// The document.
		{"too big", strings.Repeat(" ", xform.MaxFormBytes+1), "le formulaire dépasse 10485760 octets"},
		{"malformed", "<a>\n<b></a>", "ligne 2\u00a0: XML mal formé (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — element <b> closed by </a>)"},
		{"two roots", "<a/><b/>", "ligne 1\u00a0: XML mal formé\u00a0: plus d’un élément racine"},
		{"text outside", "<a/>x", "ligne 1\u00a0: XML mal formé\u00a0: du texte hors de l’élément racine"},
		{"deep", strings.Repeat("<a>", 65) + strings.Repeat("</a>", 65), "ligne 1\u00a0: éléments imbriqués sur plus de 64 niveaux"},
		{"doctype", "<!DOCTYPE a><a/>", "ligne 1\u00a0: DOCTYPE et les autres directives ne sont pas acceptés"},
		{"empty", " ", "ligne 1\u00a0: document vide\u00a0: aucun élément racine"},
		// The form.
		{"root", "<data/>", "ligne 1\u00a0: l’élément racine est <data>, <h:html> attendu"},
		{"no head", `<h:html xmlns:h="h"/>`, "ligne 1\u00a0: il manque <h:head>"},
		{"no model", `<h:html xmlns:h="h"><h:head/></h:html>`, "ligne 1\u00a0: il manque <model> dans <h:head>"},
		{"empty instance", `<h:html xmlns:h="h"><h:head><model><instance/></model></h:head></h:html>`, "ligne 1\u00a0: l'<instance> principale est vide"},
		{"no instance", `<h:html xmlns:h="h"><h:head><model/></h:head></h:html>`, "ligne 1\u00a0: il manque l'<instance> principale"},
		{"no id", `<h:html xmlns:h="h"><h:head><model><instance><data/></instance></model></h:head></h:html>`,
			"ligne 1, /data\u00a0: la racine de l’instance principale n’a pas d’attribut id (l’identifiant du formulaire)"},
		{"bind without nodeset", form(`<bind type="string"/>`), "ligne 1\u00a0: <bind> sans nodeset"},
		{"bind outside", form(`<bind nodeset="/data/b"/><bind nodeset="/data/c"/>`),
			"ligne 1, /data/b\u00a0: le nodeset du bind n’est pas un nœud de l’instance principale\u202f; ligne 1, /data/c\u00a0: le nodeset du bind n’est pas un nœud de l’instance principale"},
		{"repeat outside", strings.Replace(form(""), "<h:body>\n", "<h:body>\n<repeat nodeset=\"/data/r\"/>", 1), "ligne 2, /data/r\u00a0: le nodeset de la répétition n’est pas un nœud de l’instance principale"},
		{"control outside", strings.Replace(form(""), "<h:body>\n", "<h:body>\n<input ref=\"/data/q\"/>", 1), "ligne 2, /data/q\u00a0: le ref de <input> n’est pas un nœud de l’instance principale"},
		// XPath.
		{"calculate", bind("calculate", "'abc"), "ligne 1, /data/a\u00a0: calculate\u00a0: erreur de syntaxe XPath\u00a0: chaîne non terminée à la position 0"},
		{"number", bind("relevant", "1.2.3"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: nombre «\u202f1.2.3\u202f» invalide à la position 0"},
		{"dollar", bind("relevant", "$"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: « $ » sans nom de variable à la position 0"},
		{"character", bind("relevant", "#"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: «\u202f#\u202f» inattendu à la position 0"},
		{"empty expression", bind("relevant", " "), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: expression vide"},
		{"arity", bind("relevant", "selected(.)"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: selected() prend exactement 2 arguments, reçu 1"},
		{"arity range", bind("relevant", "number(1, 2)"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: number() prend de 0 à 1 arguments, reçu 2"},
		{"unexpected", bind("constraint", ". &gt; 1 ) 2"), "ligne 1, /data/a\u00a0: constraint\u00a0: erreur de syntaxe XPath\u00a0: «\u202f)\u202f» inattendu (à la position 6)"},
		{"bad number", bind("relevant", big), ""},
		{"paren", bind("relevant", "(1"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: il manque « ) » (à la position 2)"},
		{"paren after arguments", bind("relevant", "concat(1,2"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: il manque « ) » après les arguments de concat() (à la position 10)"},
		{"bracket", bind("relevant", "a[1"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: il manque « ] » (à la position 3)"},
		{"predicate", bind("relevant", ".[1]"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: un prédicat ne peut pas suivre «\u202f.\u202f» (à la position 1)"},
		{"attribute", bind("relevant", "@"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: nom d’attribut manquant après « @ » (à la position 1)"},
		{"node test", bind("relevant", "child::"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: test de nœud manquant après child:: (à la position 7)"},
		{"value expected", bind("relevant", "1 +"), "ligne 1, /data/a\u00a0: relevant\u00a0: erreur de syntaxe XPath\u00a0: l’expression se termine là où une valeur était attendue (à la position 3)"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		_, err := xform.Parse([]byte(c.xml))
		for _, k := range apperrtest.Said(t, c.name, err, c.fr) {
			reached[k] = true
		}
	}
	// A document of more elements than a submission may hold.
	_, err := xform.ParseTree(strings.NewReader("<a><b/><b/></a>"), xform.Limits{MaxElements: 2})
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "elements", Err: err, FR: "ligne 1\u00a0: plus de 2 éléments"})
	apperrtest.Catalog(t, xform.Refusals, reached)
}

// TestWarningMessages: every warning of an accepted form (a bind's
// expression the server will not enforce, and the construct that makes it
// so) carries its whole text as a catalog message (WarningMessages), so the
// Administration page says it in French; every message is said by one.
func TestWarningMessages(t *testing.T) {
	bind := func(attr, expr string) string {
		return `<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance>` + "\n" +
			`<bind nodeset="/data/a" ` + attr + `="` + expr + `"/></model></h:head><h:body/></h:html>`
	}
	const at = "ligne 2, /data/a\u00a0: "
	cases := []struct{ name, attr, expr, fr string }{
		{"union", "relevant", "/data/a | /data/a", at + "l’expression relevant «\u202f/data/a | /data/a\u202f» n’est pas appliquée par le serveur (l’opérateur d’union «\u202f|\u202f»)"},
		{"variable", "constraint", "$x", at + "l’expression constraint «\u202f$x\u202f» n’est pas appliquée par le serveur (la variable $x)"},
		{"function", "constraint", "pulldata('a', 'b')", at + "l’expression constraint «\u202fpulldata('a', 'b')\u202f» n’est pas appliquée par le serveur (la fonction pulldata())"},
		{"regex not literal", "constraint", "regex(., /data/a)", at + "l’expression constraint «\u202fregex(., /data/a)\u202f» n’est pas appliquée par le serveur (regex() avec un motif qui n’est pas une chaîne littérale)"},
		{"regex", "constraint", "regex(., '(?=a)')", ""},
		{"path after", "relevant", "(.)/b", at + "l’expression relevant «\u202f(.)/b\u202f» n’est pas appliquée par le serveur (un chemin après un appel de fonction ou une parenthèse)"},
		{"predicate", "relevant", "/data/a[1]", at + "l’expression relevant «\u202f/data/a[1]\u202f» n’est pas appliquée par le serveur (un prédicat [...])"},
		{"descendant", "relevant", "//a", at + "l’expression relevant «\u202f//a\u202f» n’est pas appliquée par le serveur (le chemin descendant «\u202f//\u202f»)"},
		{"descendant step", "relevant", "/data//a", ""},
		{"attribute", "required", "@id", at + "l’expression required «\u202f@id\u202f» n’est pas appliquée par le serveur (l’étape d’attribut «\u202f@\u202f»)"},
		{"wildcard", "relevant", "/data/*", at + "l’expression relevant «\u202f/data/*\u202f» n’est pas appliquée par le serveur (l’étape générique «\u202f*\u202f»)"},
		{"axis", "relevant", "ancestor::data", at + "l’expression relevant «\u202fancestor::data\u202f» n’est pas appliquée par le serveur (l’axe ancestor::)"},
		{"node test", "relevant", "node()", at + "l’expression relevant «\u202fnode()\u202f» n’est pas appliquée par le serveur (le test de nœud node())"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		f, err := xform.Parse([]byte(bind(c.attr, c.expr)))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(f.Warnings) != 1 {
			t.Errorf("%s: warnings %q, want one", c.name, f.Warnings)
			continue
		}
		for _, k := range apperrtest.Said(t, c.name, f.Warnings[0], c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, xform.WarningMessages, reached)
}

// subForm has a question of each checked type, a select, required and
// constrained questions with and without their author's message, and a
// group.
const subForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa"><h:head><h:title>T</h:title><model>
<instance><data id="t" version="2"><meta><instanceID/></meta><i/><d/><dt/><tm/><b/><g/><c/><r/><rm/><k/><km/><grp><q/></grp></data></instance>
<bind nodeset="/data/i" type="int"/><bind nodeset="/data/d" type="decimal"/><bind nodeset="/data/dt" type="dateTime"/>
<bind nodeset="/data/tm" type="time"/><bind nodeset="/data/b" type="boolean"/><bind nodeset="/data/g" type="geopoint"/>
<bind nodeset="/data/c" type="string"/>
<bind nodeset="/data/r" type="string" required="true()"/><bind nodeset="/data/rm" type="string" required="true()" jr:requiredMsg="Say the village"/>
<bind nodeset="/data/k" type="int" constraint=". &lt; 10"/><bind nodeset="/data/km" type="int" constraint=". &lt; 10" jr:constraintMsg="Less than 10"/>
</model></h:head><h:body><select1 ref="/data/c"><item><value>yes</value></item><item><value>no</value></item></select1></h:body></h:html>`

// TestSubmissionRefusals: every refusal of a submission (Form.Validate)
// carries its whole text as a catalog message, so that the OpenRosa
// routes answer ODK Collect in French when it asks; every submission
// message of SubmissionRefusals is said by one.
func TestSubmissionRefusals(t *testing.T) {
	f, err := xform.Parse([]byte(subForm))
	if err != nil {
		t.Fatal(err)
	}
	// sub is a submission answering r and rm (required) with the given
	// elements instead of the rest.
	sub := func(inner string) string {
		return `<data id="t" version="2"><meta><instanceID>uuid:1</instanceID></meta><r>x</r><rm>x</rm>` + inner + `</data>`
	}
	cases := []struct{ name, xml, fr string }{
		{"too big", strings.Repeat(" ", xform.MaxSubmissionBytes+1), "le XML de la soumission dépasse 10485760 octets"},
		{"root", `<other/>`, "ligne 1, /other\u00a0: l’élément racine est <other>, le formulaire «\u202ft\u202f» attend <data>"},
		{"form id", `<data id="u" version="2"/>`, "ligne 1, /data/@id\u00a0: l’identifiant de formulaire «\u202fu\u202f» ne correspond pas au formulaire «\u202ft\u202f»"},
		{"version", `<data id="t" version="1"/>`, "ligne 1, /data/@version\u00a0: la version «\u202f1\u202f» ne correspond pas à la version «\u202f2\u202f» du formulaire"},
		{"no instanceID", `<data id="t" version="2"><r>x</r><rm>x</rm></data>`, "/data/meta/instanceID\u00a0: instanceID manque ou est vide"},
		{"long instanceID", `<data id="t" version="2"><meta><instanceID>` + strings.Repeat("u", 257) + `</instanceID></meta><r>x</r><rm>x</rm></data>`,
			"/data/meta/instanceID\u00a0: instanceID dépasse 256 caractères"},
		{"not in the form", sub(`<zz>1</zz>`), "ligne 1, /data/zz\u00a0: cet élément n’est pas dans le formulaire"},
		{"repeated", sub(`<i>1</i><i>2</i>`), "ligne 1, /data/i\u00a0: cet élément apparaît plusieurs fois mais n’est pas une répétition"},
		{"children", sub(`<i><x/></i>`), "ligne 1, /data/i\u00a0: la question contient des éléments enfants"},
		{"group text", sub(`<grp>text</grp>`), "ligne 1, /data/grp\u00a0: le groupe ou la répétition contient du texte au lieu de questions"},
		{"integer", sub(`<i>one</i>`), "ligne 1, /data/i\u00a0: «\u202fone\u202f» n’est pas un nombre entier"},
		{"decimal", sub(`<d>1,5</d>`), "ligne 1, /data/d\u00a0: «\u202f1,5\u202f» n’est pas un nombre décimal"},
		{"date and time", sub(`<dt>today</dt>`), "ligne 1, /data/dt\u00a0: «\u202ftoday\u202f» n’est pas une date et heure (AAAA-MM-JJThh:mm:ss.sss±hh:mm)"},
		{"time", sub(`<tm>noon</tm>`), "ligne 1, /data/tm\u00a0: «\u202fnoon\u202f» n’est pas une heure (hh:mm:ss.sss±hh:mm)"},
		{"boolean", sub(`<b>yes</b>`), "ligne 1, /data/b\u00a0: «\u202fyes\u202f» n’est pas un booléen (true/false)"},
		{"geopoint", sub(`<g>1</g>`), "ligne 1, /data/g\u00a0: «\u202f1\u202f» n’est pas un point géographique (latitude longitude [altitude [précision]])"},
		{"geopoint number", sub(`<g>1 x</g>`), "ligne 1, /data/g\u00a0: «\u202f1 x\u202f» n’est pas un point géographique\u00a0: «\u202fx\u202f» n’est pas un nombre"},
		{"latitude", sub(`<g>91 1</g>`), "ligne 1, /data/g\u00a0: «\u202f91 1\u202f» n’est pas un point géographique\u00a0: la latitude 91 est hors de -90..90"},
		{"longitude", sub(`<g>1 181</g>`), "ligne 1, /data/g\u00a0: «\u202f1 181\u202f» n’est pas un point géographique\u00a0: la longitude 181 est hors de -180..180"},
		{"accuracy", sub(`<g>1 1 0 -5</g>`), "ligne 1, /data/g\u00a0: «\u202f1 1 0 -5\u202f» n’est pas un point géographique\u00a0: précision négative"},
		{"choice", sub(`<c>maybe</c>`), "ligne 1, /data/c\u00a0: «\u202fmaybe\u202f» ne fait pas partie des choix (yes, no)"},
		{"required", `<data id="t" version="2"><meta><instanceID>uuid:1</instanceID></meta><rm>x</rm></data>`, "ligne 1, /data/r\u00a0: question obligatoire sans réponse"},
		{"required, the author's message", `<data id="t" version="2"><meta><instanceID>uuid:1</instanceID></meta><r>x</r></data>`,
			"ligne 1, /data/rm\u00a0: question obligatoire sans réponse (Say the village)"},
		{"constraint", sub(`<k>12</k>`), "ligne 1, /data/k\u00a0: la réponse «\u202f12\u202f» ne respecte pas la contrainte . < 10"},
		{"constraint, the author's message", sub(`<km>12</km>`), "ligne 1, /data/km\u00a0: la réponse «\u202f12\u202f» ne respecte pas la contrainte . < 10 (Less than 10)"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		_, err := f.Validate([]byte(c.xml))
		for _, k := range apperrtest.Said(t, c.name, err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, xform.SubmissionRefusals, reached)
}
