package apperr

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"syscall"
)

// Go's own error text, kept by a refusal as technical detail (a multipart
// body, a workbook's zip or XML part, a login form, a wait that ended):
// Detail says the common ones in the page's words too, Go's English kept
// after them, so that a French page reads « (détail technique : fin
// inattendue des données — unexpected EOF) » where it read Go's English
// alone. A detail's English is Go's text, byte for byte.

// KeyDetail + a cause's name ("unexpected-eof"…): a detail's message,
// its one argument Go's text.
const KeyDetail = "refusal.detail."

// goCauses are the causes Detail knows, in the order it tries them (the
// first that matches says the detail): name, French words, and whether
// Go's error err with text s is one.
var goCauses = []struct {
	name, fr string
	is       func(err error, s string) bool
}{
	{"unexpected-eof", "fin inattendue des données", func(err error, s string) bool {
		return errors.Is(err, io.ErrUnexpectedEOF) || strings.HasSuffix(s, "unexpected EOF")
	}},
	{"eof", "les données s’arrêtent trop tôt", func(err error, s string) bool {
		return errors.Is(err, io.EOF) || s == "EOF" || strings.HasSuffix(s, ": EOF")
	}},
	{"json-syntax", "JSON mal formé", func(err error, s string) bool {
		var se *json.SyntaxError
		return errors.As(err, &se) || invalidChar.MatchString(s) || invalidLit.MatchString(s)
	}},
	{"json-type", "une valeur JSON n’a pas le type attendu", func(err error, s string) bool {
		var te *json.UnmarshalTypeError
		return errors.As(err, &te) || strings.Contains(s, "cannot unmarshal ")
	}},
	{"too-large", "corps de la requête trop volumineux", func(_ error, s string) bool {
		return strings.HasSuffix(s, "request body too large")
	}},
	{"deadline", "délai dépassé", func(err error, s string) bool {
		return errors.Is(err, context.DeadlineExceeded) || strings.HasSuffix(s, "context deadline exceeded") || strings.HasSuffix(s, "i/o timeout")
	}},
	{"canceled", "opération annulée", func(err error, s string) bool {
		return errors.Is(err, context.Canceled) || strings.HasSuffix(s, "context canceled")
	}},
	{"refused", "connexion refusée", func(err error, s string) bool {
		return errors.Is(err, syscall.ECONNREFUSED) || strings.HasSuffix(s, "connection refused")
	}},
	{"reset", "connexion coupée par l’autre machine", func(err error, s string) bool {
		return errors.Is(err, syscall.ECONNRESET) || strings.HasSuffix(s, "connection reset by peer")
	}},
	{"no-host", "nom d’hôte introuvable", func(_ error, s string) bool { return strings.Contains(s, "no such host") }},
	{"url-escape", "séquence d’échappement d’URL invalide", func(_ error, s string) bool {
		return strings.HasPrefix(s, "invalid URL escape ")
	}},
	{"number", "nombre illisible", func(_ error, s string) bool { return strings.HasPrefix(s, "strconv.Parse") }},
	{"mime-header", "en-tête MIME mal formé", func(_ error, s string) bool { return strings.Contains(s, "malformed MIME header") }},
	{"not-zip", "archive zip non valide", func(_ error, s string) bool { return s == "zip: not a valid zip file" }},
	{"zip-checksum", "somme de contrôle incorrecte", func(_ error, s string) bool { return s == "zip: checksum error" }},
	{"deflate", "données compressées endommagées", func(_ error, s string) bool { return strings.HasPrefix(s, "flate: corrupt input") }},
	{"xml-closed", "une balise fermante ne correspond pas à la balise ouverte", func(_ error, s string) bool {
		return strings.HasPrefix(s, "element <") && strings.Contains(s, "> closed by </")
	}},
	{"xml-end", "balise fermante sans balise ouvrante", func(_ error, s string) bool { return strings.HasPrefix(s, "unexpected end element </") }},
	{"xml-entity", "entité de caractère invalide", func(_ error, s string) bool { return strings.HasPrefix(s, "invalid character entity ") }},
}

func init() {
	c := Catalog{}
	for _, g := range goCauses {
		c[KeyDetail+g.name] = [2]string{"%s", g.fr + " — {0}"}
	}
	register(c, false) // said by key only: every one's English is "%s"
}

// Detail is Go's error err as the argument of a refusal that keeps it as
// technical detail: err's own message when it says its text by one; for
// a common Go error (EOF, unexpected EOF, JSON the decoder refused, a
// request body too large, a deadline, a refused connection, a zip or XML
// part Go's readers refused…) a message whose English is err's text and
// whose French says the cause before it; else err's text.
func Detail(err error) any {
	if err == nil {
		return ""
	}
	if m, ok := MessageOf(err); ok {
		return m
	}
	s := err.Error()
	for _, g := range goCauses {
		if g.is(err, s) {
			return Message{Key: KeyDetail + g.name, Args: map[string]string{"0": s}}
		}
	}
	return s
}

// DetailText is Detail of a text Go wrote (an XML syntax error's Msg).
func DetailText(s string) any { return Detail(errors.New(s)) }
