package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil/xlsxtest"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/xlsform"
)

// TestSurveysRefusalKeys: the survey API answers a refusal with its English
// "error" and status as always, and beside them the catalog key and
// arguments that say the same text (checked) and its French: the Surveys
// page's analysis, who is unheard and margins upload; the Administration
// page's form upload (an XForm's line, an XLSForm's sheet, row and
// column), a form's state and enumerators, the interlocutor log; the
// analysis settings and the export; a server without surveys.
func TestSurveysRefusalKeys(t *testing.T) {
	ctx := context.Background()
	s, svc, db := NewSurveysTestServer(t)
	e := serveEnv(t, db, s, nil)
	e.addUser(ctx, "ana", auth.Analyst)
	e.addUser(ctx, "root", auth.Admin)
	if _, _, err := svc.AddForm(ctx, "test", starter.FormXML, nil); err != nil {
		t.Fatal(err)
	}
	for i, region := range []string{"north", "south"} {
		x := fmt.Sprintf(`<perception id="vigil_perception" version="2026112501"><round>R1</round><consent>yes</consent><region>%s</region><sex>female</sex><age_group>18_24</age_group><displacement>resident</displacement><q_safety>safe</q_safety><q_trust>a_lot</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>radio_un</q_sources><meta><instanceID>uuid:k-%d</instanceID></meta></perception>`, region, i)
		if _, err := svc.Submit(ctx, &auth.User{Name: "loader", Role: auth.Admin}, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Settings whose weights are the region: not a number.
	st := starter.Settings()
	st.Weights = "region"
	if _, err := svc.PutSettings(ctx, "test", starter.FormID, st); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/surveys/forms/" + starter.FormID
	xlsx := xlsxtest.Build(t, xlsxtest.Sheet{Name: "survey", Rows: [][]string{{"type", "name", "label"}, {"txt", "a", "A"}}})
	// A workbook whose xl/workbook.xml Go's XML reader refuses.
	var zb bytes.Buffer
	z := zip.NewWriter(&zb)
	if w, err := z.Create("xl/workbook.xml"); err != nil {
		t.Fatal(err)
	} else {
		w.Write([]byte("<workbook>\n<sheets></workbook>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	badPart := zb.Bytes()
	as := func(name, who, method, path, ctype, body string, status int, key, fr string) keyedCase {
		return keyedCase{name: name, method: method, path: path, body: body, opt: reqOpt{token: e.tokens[who], ctype: ctype}, status: status, key: key, fr: fr}
	}
	checkKeyed(t, e, []keyedCase{
		// The Surveys page.
		as("round", "ana", "GET", base+"/analysis?round=R9", "", "", 400, "surveys.refusal.no-round", "aucune réponse dans la vague «\u202fR9\u202f» (vagues\u00a0: R1)"),
		as("from", "ana", "GET", base+"/analysis?from=yesterday", "", "", 400, "surveys.refusal.not-date", "«\u202fyesterday\u202f» n’est pas une date (AAAA-MM-JJ)"),
		as("weights", "ana", "GET", base+"/analysis", "", "", 422, "estimate.refusal.not-number", "ligne 2, colonne «\u202fregion\u202f»\u00a0: «\u202fnorth\u202f» n’est pas un nombre"),
		as("no settings", "ana", "GET", "/api/v1/surveys/forms/nope/analysis", "", "", 404, "surveys.refusal.no-settings",
			"le formulaire «\u202fnope\u202f» n’a pas encore de paramètres d’analyse (indicateurs et ventilations)\u00a0: définissez-les d’abord (PUT /api/v1/surveys/forms/nope/analysis/settings)"),
		as("no margins", "ana", "GET", base+"/unheard", "", "", 400, "surveys.refusal.no-margins",
			"aucune marge de population\u00a0: choisissez un jeu de marges (?margins=NOM) ou indiquez-en un dans les paramètres du formulaire"),
		as("margins not loaded", "ana", "GET", base+"/unheard?margins=missing", "", "", 409, "surveys.refusal.margins-not-loaded",
			"les marges de population «\u202fmissing\u202f» ne sont pas chargées\u00a0: téléversez-les d’abord"),
		as("margins CSV", "ana", "PUT", "/api/v1/surveys/margins/census", "text/csv", "region,population\nnorth,many\n", 400, "surveys.refusal.csv-not-count",
			"fichier census.csv, ligne 2, colonne «\u202fpopulation\u202f»\u00a0: «\u202fmany\u202f» n’est pas un effectif de population"),
		as("margin name", "ana", "PUT", "/api/v1/surveys/margins/a%20b", "text/csv", "region,population\nnorth,1\n", 400, "surveys.refusal.margin-name",
			"nom de jeu de marges «\u202fa b\u202f»\u00a0: lettres, chiffres, _ . - (64 au plus)"),
		// The Administration page.
		as("XForm", "root", "POST", "/api/v1/surveys/forms", "application/xml", "<form/>", 400, apperr.KeyLine, "ligne 1\u00a0: l’élément racine est <form>, <h:html> attendu"),
		as("XLSForm", "root", "POST", "/api/v1/surveys/forms", surveys.XLSXType, string(xlsx), 400, "xlsform.refusal.at-cell",
			"feuille survey, ligne 2, colonne type\u00a0: type de question inconnu «\u202ftxt\u202f»"),
		as("not a workbook", "root", "POST", "/api/v1/surveys/forms", surveys.XLSXType, "not a zip", 400, "xlsform.refusal.not-zip",
			"le fichier n’est pas un classeur .xlsx (détail technique\u00a0: archive zip non valide — zip: not a valid zip file)"),
		as("malformed XForm", "root", "POST", "/api/v1/surveys/forms", "application/xml", "<a>\n<b></a>", 400, "xform.refusal.malformed",
			"ligne 2\u00a0: XML mal formé (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — element <b> closed by </a>)"),
		as("malformed workbook part", "root", "POST", "/api/v1/surveys/forms", surveys.XLSXType, string(badPart), 400, apperr.KeyField,
			"xl/workbook.xml\u00a0: XML mal formé à la ligne 2 (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — element <sheets> closed by </workbook>)"),
		as("content type", "root", "POST", "/api/v1/surveys/forms", "text/plain", "x", 415, "surveys.refusal.content-type",
			"le Content-Type doit être application/xml (XForm) ou application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (XLSForm)"),
		as("state", "root", "PUT", base+"/state", "", `{"state":"archived"}`, 400, "surveys.refusal.state", "l’état doit être «\u202fopen\u202f» ou «\u202fclosed\u202f»"),
		as("state of no form", "root", "PUT", "/api/v1/surveys/forms/nope/state", "", `{"state":"closed"}`, 404, "surveys.refusal.form-missing", "le formulaire «\u202fnope\u202f» n’existe pas"),
		as("enumerator", "root", "POST", base+"/enumerators", "", `{"user":"ghost"}`, 400, "surveys.refusal.no-user", "l’utilisateur «\u202fghost\u202f» n’existe pas"),
		as("interlocutor", "ana", "POST", "/api/v1/surveys/interlocutors", "", `{"date":"2026-02-30","place":"north"}`, 400, apperr.KeyField,
			"date\u00a0: «\u202f2026-02-30\u202f» n’est pas une date (AAAA-MM-JJ)"),
		// The API: settings and export.
		as("settings", "ana", "PUT", base+"/analysis/settings", "", `{"indicators":[],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, 400,
			"surveys.refusal.no-indicators", "indicators\u00a0: aucun indicateur défini"),
		as("export format", "ana", "GET", base+"/export?format=xlsx", "", "", 400, "surveys.refusal.format", "format «\u202fxlsx\u202f»\u00a0: attendu csv, hxl ou report"),
		as("export refused", "ana", "GET", base+"/export", "", "", 409, "surveys.refusal.export-refused",
			"export refusé\u00a0: après protection, 2 enregistrements restent sous k=5 ou le risque moyen de réidentification 0.5000 n’est pas inférieur à 0.03\u202f; ajoutez des généralisations ou retirez des quasi-identifiants (voir ?format=report)"),
	})
	// Margins past their million cells.
	var many strings.Builder
	many.WriteString("region,population\n")
	for i := 0; i <= 1_000_000; i++ {
		fmt.Fprintf(&many, "r%d,1\n", i)
	}
	checkKeyed(t, e, []keyedCase{
		as("margins cells", "ana", "PUT", "/api/v1/surveys/margins/big", "text/csv", many.String(), 400, "surveys.refusal.csv-cells", "fichier big.csv\u00a0: plus de 1000000 cellules"),
	})
	// A workbook past the reader's million cells; one waiting for the
	// decompression budget other uploads hold (503, Retry-After).
	checkKeyed(t, e, []keyedCase{
		as("million cells", "root", "POST", "/api/v1/surveys/forms", surveys.XLSXType, string(xlsxtest.Large(t, 1_000_001, 0)), 400, "xlsform.refusal.cells",
			"le classeur a plus de 1000000 cellules"),
	})
	release, err := xlsform.Reserve(ctx, xlsform.DecompressBudget)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release) // released below; here too if the test stops before
	svc.XLSXWait = time.Millisecond
	checkKeyed(t, e, []keyedCase{
		as("budget held", "root", "POST", "/api/v1/surveys/forms", surveys.XLSXType, string(xlsx), 503, "surveys.refusal.xlsx-busy",
			"trop de classeurs sont en cours de lecture en même temps (détail technique\u00a0: délai dépassé — context deadline exceeded)\u00a0: réessayez dans quelques secondes"),
	})
	if resp, _ := e.do(nil, "POST", "/api/v1/surveys/forms", reqOpt{token: e.tokens["root"], ctype: surveys.XLSXType, body: string(xlsx)}); resp.Header.Get("Retry-After") == "" {
		t.Errorf("budget held: %d without Retry-After", resp.StatusCode)
	}
	release()
	svc.XLSXWait = 0
	// A server without surveys.
	bare := &Server{Log: QuietLog()}
	w := httptest.NewRecorder()
	bare.serveError(w, httptest.NewRequest("GET", "/api/v1/surveys/forms", nil), bare.formsReady())
	keyedCase{name: "not configured", status: 503, key: "surveys.refusal.not-configured", fr: "les enquêtes ne sont pas configurées sur ce serveur"}.check(t, w.Code, w.Body.Bytes())
}
