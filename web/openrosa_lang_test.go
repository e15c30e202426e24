package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// orMessage is the <message> of an <OpenRosaResponse> body.
func orMessage(t *testing.T, body string) string {
	t.Helper()
	var doc struct {
		Message string `xml:"message"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not an OpenRosaResponse: %v\n%s", err, body)
	}
	return doc.Message
}

// TestOpenRosaLanguage: what ODK Collect shows the enumerator (the
// <message> of an accepted or refused submission, of a refused login, form
// or media download) is in French when its Accept-Language asks for French
// (ODK Collect sends the phone's language), in English otherwise.
func TestOpenRosaLanguage(t *testing.T) {
	e := newOREnv(t)
	send := func(method, path, user, accept, ctype string, body []byte) (int, string) {
		t.Helper()
		r, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if raw, ok := strings.CutPrefix(user, "header:"); ok {
			r.Header.Set("Authorization", raw) // as a client sent it
		} else if user != "" {
			pw := orPassword
			if name, ok := strings.CutSuffix(user, ":wrong"); ok {
				user, pw = name, "wrong password!"
			}
			r.SetBasicAuth(user, pw)
		}
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		resp, b := e.roundTrip(r, ctype)
		return resp.StatusCode, orMessage(t, b)
	}
	post := func(user, accept, xml string) (int, string) {
		ct, body := submission(xml, nil)
		return send("POST", "/submission", user, accept, ct, body)
	}
	formMissing := apperr.Message{Key: "surveys.refusal.form-missing", Args: map[string]string{"0": `"simple"`}}
	type answer struct {
		status int
		en, fr string
	}
	cases := []struct {
		name string
		do   func(accept string) (int, string)
		want answer
	}{
		{"received", func(a string) (int, string) { return post("enum", a, simpleXML("uuid:"+a, "Alice", "30")) },
			answer{201, "Submission received: uuid:{a}", "Soumission reçue\u00a0: uuid:{a}"}},
		{"received before", func(a string) (int, string) { return post("enum", a, simpleXML("uuid:"+a, "Alice", "30")) },
			answer{201, "Submission uuid:{a} was already received; 0 new attachments stored", "La soumission uuid:{a} avait déjà été reçue\u202f; aucune nouvelle pièce jointe enregistrée"}},
		{"no credentials", func(a string) (int, string) { return post("", a, simpleXML("uuid:2", "Bob", "30")) },
			answer{401, "authentication required", "authentification requise"}},
		{"wrong password", func(a string) (int, string) { return post("ghost:wrong", a, simpleXML("uuid:2", "Bob", "30")) },
			answer{401, "invalid user name or password", "nom d’utilisateur ou mot de passe incorrect"}},
		{"constraint", func(a string) (int, string) { return post("enum", a, simpleXML("uuid:2", "Bob", "300")) },
			answer{400, `xml_submission_file: line 1: /data/age: answer "300" breaks the constraint . < 130`,
				"xml_submission_file\u00a0: ligne 1, /data/age\u00a0: la réponse «\u202f300\u202f» ne respecte pas la contrainte . < 130"}},
		{"required and constraint", func(a string) (int, string) { return post("enum", a, simpleXML("uuid:2", "", "300")) },
			answer{400, `xml_submission_file: line 1: /data/name: required question is not answered; line 1: /data/age: answer "300" breaks the constraint . < 130`,
				"xml_submission_file\u00a0: ligne 1, /data/name\u00a0: question obligatoire sans réponse\u202f; ligne 1, /data/age\u00a0: la réponse «\u202f300\u202f» ne respecte pas la contrainte . < 130"}},
		{"old form version", func(a string) (int, string) {
			return post("enum", a, `<data id="simple" version="1"><meta><instanceID>x</instanceID></meta></data>`)
		}, answer{400, `xml_submission_file: line 1: /data/@version: version "1" does not match the form's version "2"`,
			"xml_submission_file\u00a0: ligne 1, /data/@version\u00a0: la version «\u202f1\u202f» ne correspond pas à la version «\u202f2\u202f» du formulaire"}},
		{"unknown form", func(a string) (int, string) {
			return post("enum", a, `<data id="nope"><meta><instanceID>x</instanceID></meta></data>`)
		}, answer{404, `form "nope" does not exist on this server`, "le formulaire «\u202fnope\u202f» n’existe pas sur ce serveur"}},
		{"no access", func(a string) (int, string) { return post("outsider", a, simpleXML("uuid:2", "Bob", "30")) },
			answer{403, `user outsider may not submit to form "simple"`, "l’utilisateur outsider n’a pas le droit d’envoyer des réponses au formulaire «\u202fsimple\u202f»"}},
		{"not multipart", func(a string) (int, string) {
			return send("POST", "/submission", "enum", a, "text/xml", []byte(simpleXML("uuid:2", "Bob", "30")))
		}, answer{415, "Content-Type must be multipart/form-data with the xml_submission_file part", "le Content-Type doit être multipart/form-data avec la partie xml_submission_file"}},
		{"no xml part", func(a string) (int, string) {
			return send("POST", "/submission", "enum", a, "multipart/form-data; boundary=b",
				[]byte("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.jpg\"\r\n\r\nx\r\n--b--\r\n"))
		}, answer{400, "missing the xml_submission_file part", "la partie xml_submission_file manque"}},
		{"malformed Digest header", func(a string) (int, string) {
			return send("GET", "/formList", `header:Digest username="enum", realm="Vigil`, a, "", nil)
		}, answer{401, "Authorization: Digest parameter realm: unterminated quoted value",
			"en-tête Authorization\u00a0: paramètre Digest realm\u00a0: guillemet fermant manquant"}},
		{"Digest header without nc", func(a string) (int, string) {
			return send("GET", "/formList", `header:Digest username="enum", realm="Vigil", nonce="n", uri="/formList", qop=auth, cnonce="c", response="6629fae49393a05397450978507c4ef1"`, a, "", nil)
		}, answer{401, "Authorization: Digest parameter nc is missing", "en-tête Authorization\u00a0: le paramètre Digest nc manque"}},
		{"body cut short", func(a string) (int, string) {
			return send("POST", "/submission", "enum", a, "multipart/form-data; boundary=b",
				[]byte("--b\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; filename=\"s.xml\"\r\n\r\n<data"))
		}, answer{400, "malformed multipart body: unexpected EOF", "corps multipart mal formé (détail technique\u00a0: fin inattendue des données — unexpected EOF)"}},
		{"form list, wrong password", func(a string) (int, string) { return send("GET", "/formList", "ghost2:wrong", a, "", nil) },
			answer{401, "invalid user name or password", "nom d’utilisateur ou mot de passe incorrect"}},
		{"form without access", func(a string) (int, string) { return send("GET", "/forms/simple/form.xml", "outsider", a, "", nil) },
			answer{404, formMissing.Text("en"), formMissing.Text("fr")}},
		{"missing media", func(a string) (int, string) { return send("GET", "/forms/simple/media/none.png", "enum", a, "", nil) },
			answer{404, `form "simple" has no media file "none.png"`, "le formulaire «\u202fsimple\u202f» n’a pas de fichier média «\u202fnone.png\u202f»"}},
	}
	langs := []struct{ accept, lang string }{
		{"fr-FR,fr;q=0.9,en;q=0.8", "fr"}, // ODK Collect on a French phone
		{"fr", "fr"},
		{"en-US,en;q=0.9", "en"},
		{"sw-KE", "en"}, // a language Vigil does not speak
		{"", "en"},
	}
	for _, tc := range cases {
		for _, l := range langs {
			t.Run(tc.name+"/"+l.accept, func(t *testing.T) {
				want := tc.want.en
				if l.lang == "fr" {
					want = tc.want.fr
				}
				want = strings.ReplaceAll(want, "{a}", l.accept)
				status, msg := tc.do(l.accept)
				if status != tc.want.status || msg != want {
					t.Errorf("%d %q\nwant %d %q", status, msg, tc.want.status, want)
				}
			})
		}
	}
}
