package surveys_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/surveys"
)

// photoForm is a form with a photo question and a logo media file.
const photoForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>P</h:title><model>
<instance><p id="p" version="1"><photo/><meta><instanceID/></meta></p></instance>
<bind nodeset="/p/photo" type="binary"/>
</model></h:head><h:body><upload ref="/p/photo" mediatype="image/*"/></h:body></h:html>`

// TestSubmissionRefusalMessages: every refusal ODK Collect meets from the
// survey service (a submission, a form's media file) carries its whole
// text as a catalog message, so that the OpenRosa routes answer it in
// French when its Accept-Language asks; every message of SubmissionRefusals is
// said by one.
func TestSubmissionRefusalMessages(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	svc := &surveys.Service{Store: db, Keys: testutil.Keys(t, "k"), Auditor: db}
	for _, x := range [][]byte{refusalForm("1"), []byte(photoForm), []byte(strings.Replace(string(refusalForm("1")), `id="t"`, `id="closed"`, 1))} {
		if _, _, err := svc.AddForm(ctx, "a", x, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.SetState(ctx, "a", "closed", surveys.Closed); err != nil {
		t.Fatal(err)
	}
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	viewer := &auth.User{ID: 99, Name: "vera", Role: auth.Viewer}
	sub := func(id string) []byte {
		return []byte(`<t id="t" version="1"><round>R1</round><region>north</region><sex>female</sex><meta><instanceID>` + id + `</instanceID></meta></t>`)
	}
	if _, err := svc.Submit(ctx, admin, sub("uuid:1"), nil); err != nil {
		t.Fatal(err)
	}
	submit := func(u *auth.User, xml []byte, atts ...surveys.Attachment) func() error {
		return func() error { _, err := svc.Submit(ctx, u, xml, atts); return err }
	}
	photo := []byte(`<p id="p" version="1"><photo>a.jpg</photo><meta><instanceID>uuid:p</instanceID></meta></p>`)
	cases := []struct {
		name string
		err  func() error
		fr   string
	}{
		{"not logged in", submit(nil, sub("uuid:2")), "non connecté"},
		{"malformed", submit(admin, []byte("<t>")), "xml_submission_file\u00a0: ligne 1\u00a0: XML mal formé (détail technique\u00a0: fin inattendue des données — unexpected EOF)"},
		{"no form id", submit(admin, []byte("<t/>")), "xml_submission_file\u00a0: /t\u00a0: l’élément racine n’a pas d’attribut id (l’identifiant du formulaire)"},
		{"no such form", submit(admin, []byte(`<x id="x"/>`)), "le formulaire «\u202fx\u202f» n’existe pas sur ce serveur"},
		{"may not submit", submit(viewer, sub("uuid:2")), "l’utilisateur vera n’a pas le droit d’envoyer des réponses au formulaire «\u202ft\u202f»"},
		{"closed", submit(admin, []byte(`<t id="closed" version="1"/>`)), "le formulaire «\u202fclosed\u202f» est fermé et n’accepte plus de réponses"},
		{"invalid", submit(admin, []byte(`<t id="t" version="2"/>`)), "xml_submission_file\u00a0: ligne 1, /t/@version\u00a0: la version «\u202f2\u202f» ne correspond pas à la version «\u202f1\u202f» du formulaire"},
		{"too many attachments", submit(admin, photo, make([]surveys.Attachment, surveys.MaxAttachments+1)...), "plus de 100 pièces jointes"},
		{"attachment twice", submit(admin, photo, surveys.Attachment{Name: "a.jpg"}, surveys.Attachment{Name: "a.jpg"}), "pièce jointe a.jpg\u00a0: envoyée deux fois"},
		{"attachment unused", submit(admin, photo, surveys.Attachment{Name: "b.jpg"}), "pièce jointe b.jpg\u00a0: aucune question de la soumission n’y renvoie"},
		{"attachment too large", submit(admin, photo, surveys.Attachment{Name: "a.jpg", Content: bytes.Repeat([]byte{1}, surveys.MaxAttachmentBytes+1)}),
			"pièce jointe a.jpg\u00a0: plus de 20971520 octets"},
		{"duplicate", submit(admin, bytes.Replace(sub("uuid:1"), []byte("R1"), []byte("R2"), 1)), "instanceID «\u202fuuid:1\u202f»\u00a0: une autre soumission porte déjà cet instanceID (formulaire «\u202ft\u202f»)"},
		{"no media file", func() error { _, err := svc.MediaFile(ctx, admin, "p", "logo.png"); return err }, "le formulaire «\u202fp\u202f» n’a pas de fichier média «\u202flogo.png\u202f»"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, surveys.SubmissionRefusals, reached)
}
