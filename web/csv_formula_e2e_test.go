package web_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// TestE2ECSVFormulaGuard: the spreadsheets the pages make (Vigil.csvURL:
// the audit log, coverage gaps) do not start a cell with what a
// spreadsheet reads as a formula (=, +, -, @, a tab or a carriage return,
// as OWASP's CSV injection advice lists): such a cell starts with ' ; a
// plain number, negative or signed, stays a number.
func TestE2ECSVFormulaGuard(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv, _, _ := startAlertsServer(t, "analyst.csv", auth.Analyst, nil)
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/alerts", "en")
	cells := []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", `"'=HYPERLINK(""http://x"")"`},
		{"+243812345678", "+243812345678"},
		{"+1+cmd", "'+1+cmd"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "\"'\r=1\""},
		{"-3.5", "-3.5"},
		{"-12", "-12"},
		{"1e-3", "1e-3"},
		{"Djugu, Ituri", `"Djugu, Ituri"`},
		{"a-b", "a-b"},
	}
	var in []string
	for _, c := range cells {
		in = append(in, jsString(c.in))
	}
	// The blob is taken as it is made (the page's CSP lets no fetch read a
	// blob: URL) and read as bytes (a text decoder would drop the BOM).
	if _, err := js[bool](ctx, `(() => {
		const made = URL.createObjectURL;
		URL.createObjectURL = (b) => { b.arrayBuffer().then((a) => { window.csvRead = new TextDecoder('utf-8', { ignoreBOM: true }).decode(a); }); return made.call(URL, b); };
		Vigil.csvURL([[`+strings.Join(in, ", ")+`], [-3.5]]);
		URL.createObjectURL = made;
		return true;
	})()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `typeof window.csvRead === 'string'`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, err := js[string](ctx, `window.csvRead`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cells {
		want = append(want, c.want)
	}
	if w := "\ufeff" + strings.Join(want, ",") + "\r\n-3.5\r\n"; got != w {
		t.Errorf("CSV\n%q\nwant\n%q", got, w)
	}
}
