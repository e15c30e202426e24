package openrosa_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/openrosa"
)

// TestRefusalMessages: every refusal ODK Collect can meet from this
// package (a login, a Digest header, a submission's multipart body)
// carries its whole text as a catalog message (Refusals), English as it
// always read, French another text, so the OpenRosa routes say it in the
// language the phone asks for; every message is said by one. Go's own
// multipart detail is said with French words before it (apperr.Detail).
func TestRefusalMessages(t *testing.T) {
	reached := map[string]bool{}
	base := `realm="Vigil", nonce="n", uri="/", qop=auth, nc=00000001, cnonce="c", response="6629fae49393a05397450978507c4ef1"`
	digest := func(h string) error { _, err := openrosa.ParseDigest(h); return err }
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "long", Err: digest("Digest username=\"" + strings.Repeat("a", 5000) + `", ` + base), FR: "en-tête Authorization\u00a0: plus de 4096 octets"},
		apperrtest.Case{Name: "scheme", Err: digest("Basic YTpi"), FR: "en-tête Authorization\u00a0: le schéma n’est pas Digest"},
		apperrtest.Case{Name: "missing", Err: digest("Digest " + base), FR: "en-tête Authorization\u00a0: le paramètre Digest username manque"},
		apperrtest.Case{Name: "algorithm", Err: digest(`Digest username="u", algorithm=SHA-256, ` + base), FR: "en-tête Authorization\u00a0: l’algorithme «\u202fSHA-256\u202f» n’est pas pris en charge (attendu MD5)"},
		apperrtest.Case{Name: "qop", Err: digest(`Digest username="u", ` + strings.Replace(base, "qop=auth", "qop=auth-int", 1)), FR: "en-tête Authorization\u00a0: qop «\u202fauth-int\u202f» n’est pas pris en charge (attendu auth)"},
		apperrtest.Case{Name: "response", Err: digest(`Digest username="u", ` + strings.Replace(base, "6629fae49393a05397450978507c4ef1", "66", 1)), FR: "en-tête Authorization\u00a0: response n’est pas fait de 32 chiffres hexadécimaux"},
		apperrtest.Case{Name: "empty", Err: digest(`Digest username="", ` + base), FR: "en-tête Authorization\u00a0: username, cnonce et uri ne doivent pas être vides"},
		apperrtest.Case{Name: "nc", Err: digest(`Digest username="u", ` + strings.Replace(base, "00000001", "1", 1)), FR: "en-tête Authorization\u00a0: nc «\u202f1\u202f» n’est pas fait de 8 chiffres hexadécimaux"},
		apperrtest.Case{Name: "nc zero", Err: digest(`Digest username="u", ` + strings.Replace(base, "00000001", "00000000", 1)), FR: "en-tête Authorization\u00a0: nc «\u202f00000000\u202f» n’est pas fait de 8 chiffres hexadécimaux au-dessus de zéro"},
		apperrtest.Case{Name: "no value", Err: digest("Digest username"), FR: "en-tête Authorization\u00a0: le paramètre Digest «\u202fusername\u202f» n’a pas de valeur"},
		apperrtest.Case{Name: "unterminated", Err: digest(`Digest username="u`), FR: "en-tête Authorization\u00a0: paramètre Digest username\u00a0: guillemet fermant manquant"},
		apperrtest.Case{Name: "twice", Err: digest(`Digest username="u", username="v", ` + base), FR: "en-tête Authorization\u00a0: paramètre Digest username donné deux fois"},
		apperrtest.Case{Name: "comma", Err: digest(`Digest username="u" x, ` + base), FR: "en-tête Authorization\u00a0: paramètre Digest username\u00a0: une virgule est attendue après sa valeur"},
		// Verify's outcomes (TestDigestVerify makes each).
		apperrtest.Case{Name: "realm", Err: openrosa.ErrDigestRealm, FR: "en-tête Authorization\u00a0: le realm ne correspond pas"},
		apperrtest.Case{Name: "uri", Err: openrosa.ErrDigestURI, FR: "en-tête Authorization\u00a0: uri ne correspond pas à la requête"},
		apperrtest.Case{Name: "opaque", Err: openrosa.ErrDigestOpaque, FR: "en-tête Authorization\u00a0: opaque ne correspond pas"},
		apperrtest.Case{Name: "replay", Err: openrosa.ErrReplay, FR: "compteur de nonce déjà utilisé (rejeu)"},
		apperrtest.Case{Name: "nonces full", Err: openrosa.ErrNonceMemoryFull, FR: "trop de nonces en cours"},
		apperrtest.Case{Name: "response wrong", Err: openrosa.ErrDigestResponse, FR: "nom d’utilisateur ou mot de passe incorrect"},
		apperrtest.Case{Name: "stale", Err: openrosa.ErrDigestStale, FR: "nonce expiré\u00a0: réessayez avec le nouveau nonce"},
	)

	// Logins (Authenticate), a Digest header refused as a 401 in its words.
	login := func(header string, viaTLS bool) error {
		o := openrosa.NewLogin(noAccounts{}, nil, nil, nil)
		o.Verify = func(string, string) bool { return false }
		r := httptest.NewRequest("POST", "/submission", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		_, err := o.Authenticate(context.Background(), r, "192.0.2.1", viaTLS, func() (*auth.User, error) { return nil, nil })
		return err
	}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "no credentials", Err: login("", false), FR: "authentification requise"},
		apperrtest.Case{Name: "other scheme", Err: login("Token abc", false), FR: "l’en-tête Authorization doit être Digest, Basic ou Bearer"},
		apperrtest.Case{Name: "basic in clear", Err: login("Basic ZW51bTpwYXNzd29yZA==", false), FR: "HTTP Basic n’est accepté qu’en HTTPS\u00a0: utilisez l’authentification Digest, ou HTTPS"},
		apperrtest.Case{Name: "basic wrong", Err: login("Basic ZW51bTpwYXNzd29yZA==", true), FR: "nom d’utilisateur ou mot de passe incorrect"},
		apperrtest.Case{Name: "digest malformed", Err: login(`Digest username="u`, false), FR: "en-tête Authorization\u00a0: paramètre Digest username\u00a0: guillemet fermant manquant"},
		apperrtest.Case{Name: "digest not offered", Err: login(`Digest username="u", `+base, false), FR: "l’authentification Digest n’est pas disponible\u00a0: utilisez Basic en TLS (HTTPS)"},
	)
	o := openrosa.NewLogin(noAccounts{}, nil, nil, nil)
	o.Verify = func(string, string) bool { return false }
	var err error
	for range 11 {
		r := httptest.NewRequest("POST", "/submission", nil)
		r.SetBasicAuth("enum", "wrong")
		_, err = o.Authenticate(context.Background(), r, "192.0.2.1", true, nil)
	}
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "rate", Err: err, FR: "trop de connexions échouées\u00a0: attendez quelques minutes"})

	// A submission's body (ReadSubmission).
	xml := []byte(`<data id="simple"/>`)
	submit := func(ctype string, lim openrosa.Limits, parts ...part) error {
		ct, body := multipartBody(t, parts)
		if ctype != "" {
			ct = ctype
		}
		_, _, err := openrosa.ReadSubmission(ct, bytes.NewReader(body), lim)
		return err
	}
	ct, body := multipartBody(t, []part{{"xml_submission_file", "s.xml", "", xml}})
	_, _, cut := openrosa.ReadSubmission(ct, bytes.NewReader(body[:len(body)-10]), openrosa.Limits{})
	x := part{"xml_submission_file", "s.xml", "", xml}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "not multipart", Err: submit("application/xml", openrosa.Limits{}), FR: "le Content-Type doit être multipart/form-data avec la partie xml_submission_file"},
		apperrtest.Case{Name: "no boundary", Err: submit("multipart/form-data", openrosa.Limits{}), FR: "Content-Type multipart sans délimiteur (boundary)"},
		apperrtest.Case{Name: "cut short", Err: cut, FR: "corps multipart mal formé (détail technique\u00a0: fin inattendue des données — unexpected EOF)"},
		apperrtest.Case{Name: "two xml", Err: submit("", openrosa.Limits{}, x, x), FR: "plus d’une partie xml_submission_file"},
		apperrtest.Case{Name: "twice", Err: submit("", openrosa.Limits{}, x, part{"a", "a.jpg", "", xml}, part{"b", "a.jpg", "", xml}), FR: "pièce jointe a.jpg\u00a0: envoyée deux fois"},
		apperrtest.Case{Name: "attachments", Err: submit("", openrosa.Limits{MaxAttachments: 1}, x, part{"a", "a", "", nil}, part{"b", "b", "", nil}), FR: "plus de 1 pièces jointes"},
		apperrtest.Case{Name: "no xml", Err: submit("", openrosa.Limits{}, part{"a", "a.jpg", "", xml}), FR: "la partie xml_submission_file manque"},
		apperrtest.Case{Name: "empty xml", Err: submit("", openrosa.Limits{}, part{"xml_submission_file", "s.xml", "", nil}), FR: "xml_submission_file est vide"},
		apperrtest.Case{Name: "too large", Err: submit("", openrosa.Limits{MaxBytes: 100}, x, part{"a", "a.jpg", "", bytes.Repeat([]byte("x"), 500)}), FR: "soumission de plus de 100 octets"},
		apperrtest.Case{Name: "part too large", Err: submit("", openrosa.Limits{MaxXMLBytes: 5}, x), FR: "partie «\u202fxml_submission_file\u202f» de plus de 5 octets"},
		apperrtest.Case{Name: "file name", Err: submit("", openrosa.Limits{}, x, part{"a", "..", "", xml}), FR: "le nom de fichier de pièce jointe «\u202f..\u202f» n’est pas un simple nom de fichier"},
	)
	apperrtest.Catalog(t, openrosa.Refusals, reached)
}
